"""A wide export for the drafting benchmark: `wide_export(2000, 10_000)` is a Forms CSV of 2 000 columns (a
timestamp, then questions of every type drawn from the corpus bank: choices, checkboxes joined with ", ",
scales, numbers, years, dates, free text, recurring open answers, rating, ranking and categorical grids) and
10 000 respondents.

Questionnaires are drawn from successive seeds (French, the Forms CSV) and numbered (« 17. Quel est votre
âge ? ») so that every header is unique, as in a long real form; no skip logic. Every answer is drawn as `generate` draws it
(typed « Autre » texts and free text mostly unique, as in a real export). Same arguments, same bytes.
"""
from __future__ import annotations

import random

from .generate import Generated, Pii, _answer, _blank, _timestamps, _weights, questionnaire


def _questions(rng: random.Random, columns: int) -> list:
    """Numbered questions whose columns (one per grid row) add up to `columns` - 1 (the timestamp)."""
    questions, width = [], 1
    while width < columns:
        for question in questionnaire(rng, "fr"):
            question.asked_if = None
            if question.detail == "never answered":
                continue
            question.header = f"{len(questions) + 1}. {question.header}"
            room = columns - width
            if question.rows and len(question.rows) > room:
                question.rows = question.rows[:room]
            questions.append(question)
            width += len(question.rows) or 1
            if width >= columns:
                break
    return questions


def _cells(rng: random.Random, question, rows: int, pii: Pii, used: set[str]) -> list:
    weights = _weights(rng, max(1, len(question.options) + len(question.non_substantive)), rng.choice([0.5, 1, 2]))
    blank_share = rng.choice([0.2, 0.4, 0.6]) if question.kind == "text" else \
        0 if question.required else rng.choice([0.03, 0.1, 0.25])

    def draw():
        return _blank(question) if rng.random() < blank_share else _answer(rng, question, "fr", pii, used, weights)

    return [draw() for _ in range(rows)]


def wide_export(columns: int = 2000, rows: int = 10_000, seed: int = 0) -> Generated:
    """A Forms CSV export of `columns` columns and `rows` respondents (its truth holds only the headers)."""
    rng = random.Random(seed)
    questions = _questions(rng, columns)
    pii = Pii(rng)
    used: set[str] = set()
    columns_of = []
    for question in questions:
        cells = _cells(rng, question, rows, pii, used)
        if question.rows:
            columns_of += [[cell[k] for cell in cells] for k in range(len(question.rows))]
        else:
            columns_of.append(cells)
    timestamps, _style = _timestamps(rng, rows, "fr", "forms_csv")
    headers = ["Horodateur"]
    for question in questions:
        headers += [f"{question.header} [{row}]" for row in question.rows] if question.rows else [question.header]
    table = [timestamps] + columns_of
    body = [list(row) for row in zip(*table)]
    truth = {"seed": seed, "respondents": rows, "columns": len(headers), "questions": len(questions)}
    return Generated(seed, "fr", "forms_csv", "utf-8", headers, body, truth, sorted(set(pii.planted)))
