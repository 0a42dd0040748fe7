"""The open answers of a wave, taken from the cleaned responses (one row per respondent).

Answers are tables, not objects per respondent: a wave of a million respondents has millions of
answers but few distinct texts, so normalising, hashing and splitting run once per distinct cell.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit.core.errors import InputError

from .codebook import Codebook
from .normalize import answer_hash, is_answer

# The cleaning step joins the ticked labels of a checkbox question with "; ".
OPTION_SEPARATOR = ";"
TEXT_COLUMNS = ["respondent_id", "question", "text", "hash"]
OPTION_COLUMNS = ["respondent_id", "question", "value", "category"]


def _cells(column: pd.Series) -> np.ndarray:
    """The column's cells as Python strings, missing cells as ''."""
    return column.fillna("").astype(str).to_numpy(dtype=object)


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


def _joined(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """'left; right' cell by cell, or whichever of the two is not empty."""
    both = (left != "") & (right != "")
    out = np.where(left == "", right, left)
    out[both] = left[both] + "; " + right[both]
    return out


def _option_rows(book: Codebook, ids: np.ndarray, ticked: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Ticked options of a semi-open question, and the free text left in its option cells."""
    codes, distinct = pd.factorize(ticked)
    split = [_split_options(book, cell) for cell in distinct]
    frames = []
    for position, (found, _rest) in enumerate(split):
        if found:
            rows = np.flatnonzero(codes == position)
            frames += [pd.DataFrame({"_row": rows, "_k": k, "respondent_id": ids[rows], "question": book.question,
                                     "value": value, "category": category})
                       for k, (value, category) in enumerate(found)]
    rest = np.array([r for _f, r in split] + [""], dtype=object)[codes]
    if not frames:
        return pd.DataFrame(columns=OPTION_COLUMNS), rest
    options = pd.concat(frames, ignore_index=True).sort_values(["_row", "_k"], kind="stable")
    return options[OPTION_COLUMNS], rest


def _text_rows(book: Codebook, ids: np.ndarray, free: np.ndarray) -> pd.DataFrame:
    """Free-text answers of a question (cells with something left after normalisation)."""
    codes, distinct = pd.factorize(free)
    answered = np.array([is_answer(text) for text in distinct] + [False], dtype=bool)[codes]
    hashes = np.array([answer_hash(text) for text in distinct] + [""], dtype=object)
    return pd.DataFrame({"respondent_id": ids[answered], "question": book.question,
                         "text": free[answered], "hash": hashes[codes[answered]]}, columns=TEXT_COLUMNS)


def extract_answers(responses: pd.DataFrame, codebooks: dict[str, Codebook],
                    id_column: str = "respondent_id") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Free-text answers to code (TEXT_COLUMNS) and ticked options (OPTION_COLUMNS), in questionnaire
    then respondent order.

    For a semi-open question, text left in the option column that is neither an option nor the
    "Autre" label (an uncleaned export) is coded like the free text, before it.
    """
    needed = [id_column] + [b.text_variable for b in codebooks.values()]
    needed += [b.option_variable for b in codebooks.values() if b.option_variable]
    missing = [c for c in needed if c not in responses.columns]
    if missing:
        raise InputError(f"responses: missing column(s) {', '.join(missing)}")
    ordered = responses.sort_values(id_column, kind="stable")
    ids = _cells(ordered[id_column])
    texts, options = [], []
    for book in codebooks.values():
        free = np.array([cell.strip() for cell in _cells(ordered[book.text_variable])], dtype=object)
        if book.option_variable:
            ticked, rest = _option_rows(book, ids, _cells(ordered[book.option_variable]))
            options.append(ticked)
            free = _joined(rest, free)
        texts.append(_text_rows(book, ids, free))
    return (pd.concat(texts, ignore_index=True) if texts else pd.DataFrame(columns=TEXT_COLUMNS),
            pd.concat(options, ignore_index=True) if options else pd.DataFrame(columns=OPTION_COLUMNS))


def answer_counts(texts: pd.DataFrame, options: pd.DataFrame, codebooks: dict[str, Codebook]) -> dict[str, int]:
    """Number of respondents who answered each question (free text or ticked option)."""
    both = pd.concat([texts[["question", "respondent_id"]], options[["question", "respondent_id"]]])
    counts = both.drop_duplicates().groupby("question").size()
    return {q: int(counts.get(q, 0)) for q in codebooks}
