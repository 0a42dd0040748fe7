"""Deal the reconstructed open answers (data/studies/<study>/reconstruction/open_answers.yaml) to respondents.

Each answer goes to one respondent, at most one answer per respondent and question.
Answers marked `user_only` go to tele-expertise users only, and a question asked only
to some respondents (codebook `asked_if`, e.g. Q17-Q18 for users) is answered only by
them. Respondents carry a seeded "verbosity" shared by all open questions, so those who
answer one open question tend to answer the others, as in real surveys.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from surveykit.core.yamlio import load_yaml
from surveykit.questionnaire.codebook import Codebook, Question

USE = "pratique_tle"
USER = "Oui"


@dataclass(frozen=True)
class OpenAnswer:
    question: str
    text: str | None
    option: str | None
    categories: tuple[str, ...]
    user_only: bool


def load_open_answers(path: str | Path) -> dict[str, list[OpenAnswer]]:
    """Answers per question, each repeated `count` times (file order kept)."""
    data = load_yaml(path)
    out: dict[str, list[OpenAnswer]] = {}
    for question, block in (data.get("questions") or {}).items():
        answers = []
        for raw in block.get("answers", []):
            answer = OpenAnswer(
                question=question,
                text=raw.get("text", raw.get("autre")),
                option=raw.get("option"),
                categories=tuple(raw.get("categories", [])),
                user_only=bool(raw.get("user_only", False)),
            )
            answers.extend([answer] * int(raw.get("count", 1)))
        out[question] = answers
    return out


def _pick(eligible: np.ndarray, k: int, log_weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """k distinct respondents among `eligible`, weighted (Gumbel top-k: sampling without replacement)."""
    keys = log_weight[eligible] + rng.gumbel(size=len(eligible))
    return eligible[np.argsort(-keys, kind="stable")[:k]]


def _cells(question: Question, answer: OpenAnswer) -> dict[str, str]:
    """Canonical cells of one answer: the question's column (label or text) and its `_autre` column."""
    if question.type == "text":
        return {question.id: answer.text or ""}
    if answer.option is not None:
        label = question.label_of(answer.option) or answer.option
        return {question.id: label}
    return {question.id: question.other_label or "", question.other_variable or f"{question.id}_autre": answer.text or ""}


def deal_open_answers(
    answers: Mapping[str, list[OpenAnswer]],
    book: Codebook,
    closed: Mapping[str, np.ndarray],
    rng: np.random.Generator,
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Columns of the open (and semi-open) questions, plus findings when answers cannot all be placed."""
    n = len(closed[USE])
    log_weight = rng.normal(0.0, 1.0, size=n)  # verbosity
    columns: dict[str, np.ndarray] = {}
    findings: list[str] = []
    for question in book.questions:
        if question.id not in answers:
            continue
        asked = np.ones(n, dtype=bool)
        for variable, value in question.asked_if.items():
            asked &= closed[variable] == value
        taken = np.zeros(n, dtype=bool)
        for variable in question.variables:
            columns[variable] = np.full(n, "", dtype=object)
        ordered = sorted(answers[question.id], key=lambda a: not a.user_only)  # constrained first
        for answer in ordered:
            eligible = np.flatnonzero(asked & ~taken & ((closed[USE] == USER) if answer.user_only else True))
            if not len(eligible):
                findings.append(f"{question.id} : la réponse « {answer.text or answer.option} » n'a pu être attribuée (plus de répondant éligible)")
                continue
            who = int(_pick(eligible, 1, log_weight, rng)[0])
            taken[who] = True
            for variable, value in _cells(question, answer).items():
                columns[variable][who] = value
    return columns, findings
