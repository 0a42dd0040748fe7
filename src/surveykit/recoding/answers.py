"""The open answers of a wave, taken from the cleaned responses (one row per respondent)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import InputError
from .codebook import Codebook
from .normalize import answer_hash, is_answer

# The cleaning step joins the ticked labels of a checkbox question with "; ".
OPTION_SEPARATOR = ";"


@dataclass(frozen=True)
class Answer:
    respondent_id: str
    question: str
    text: str

    @property
    def hash(self) -> str:
        return answer_hash(self.text)


@dataclass(frozen=True)
class OptionAnswer:
    """A ticked option of a semi-open question: coded without any human decision."""

    respondent_id: str
    question: str
    value: str
    category: str


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _split_options(book: Codebook, cell: str) -> tuple[list[tuple[str, str]], str]:
    """(option value, category) pairs of a cell, and what is left as free text."""
    if book.option_category(cell):
        return [(cell.strip(), book.option_category(cell))], ""
    found, rest = [], []
    for part in (p.strip() for p in cell.split(OPTION_SEPARATOR)):
        if book.option_category(part):
            found.append((part, book.option_category(part)))
        elif part and not book.is_other_label(part):
            rest.append(part)
    return found, f"{OPTION_SEPARATOR} ".join(rest)


def extract_answers(responses: pd.DataFrame, codebooks: dict[str, Codebook],
                    id_column: str = "respondent_id") -> tuple[list[Answer], list[OptionAnswer]]:
    """Free-text answers to code and ticked options, in questionnaire then respondent order.

    For a semi-open question, text left in the option column that is neither an
    option nor the "Autre" label (an uncleaned export) is coded like the free text.
    """
    needed = [id_column] + [b.text_variable for b in codebooks.values()]
    needed += [b.option_variable for b in codebooks.values() if b.option_variable]
    missing = [c for c in needed if c not in responses.columns]
    if missing:
        raise InputError(f"responses: missing column(s) {', '.join(missing)}")
    texts: list[Answer] = []
    options: list[OptionAnswer] = []
    ordered = responses.sort_values(id_column, kind="stable")
    ids = [str(rid) for rid in ordered[id_column]]
    for book in codebooks.values():
        free_texts = [_cell(value).strip() for value in ordered[book.text_variable]]
        ticked = [_cell(value) for value in ordered[book.option_variable]] if book.option_variable else None
        split = {cell: _split_options(book, cell) for cell in set(ticked)} if ticked is not None else {}
        for index, (rid, free) in enumerate(zip(ids, free_texts)):
            if ticked is not None:
                found, rest = split[ticked[index]]
                options += [OptionAnswer(rid, book.question, value, cid) for value, cid in found]
                free = "; ".join(t for t in (rest, free) if t)
            if is_answer(free):
                texts.append(Answer(rid, book.question, free))
    return texts, options


def answer_counts(texts: list[Answer], options: list[OptionAnswer], codebooks: dict[str, Codebook]) -> dict[str, int]:
    """Number of respondents who answered each question (free text or ticked option)."""
    return {
        q: len({a.respondent_id for a in texts if a.question == q}
               | {o.respondent_id for o in options if o.question == q})
        for q in codebooks
    }
