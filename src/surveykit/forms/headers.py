"""Match export column headers to codebook questions, tolerant to how headers get rewritten.

Headers are compared after normalisation (case, accents, punctuation, spaces), so a
re-saved export whose headers lost accents or changed case still matches, in any
column order. Identifying columns (e-mail, name) are dropped; unknown ones reported.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..codebook import Codebook, Item, Question
from ..errors import InputError
from .normalise import normalise


@dataclass(frozen=True)
class Column:
    """An export column that feeds a question (one branch, one grid row)."""

    index: int
    header: str
    question: Question
    branch: str | None
    item: Item | None


@dataclass
class ColumnMap:
    columns: list[Column] = field(default_factory=list)
    timestamp: int | None = None
    identifying: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def for_question(self, question: Question) -> list[Column]:
        return [c for c in self.columns if c.question.id == question.id]


def map_columns(headers: tuple[str, ...], book: Codebook, path: str) -> ColumnMap:
    """Assign every export column to a question, the timestamp, or the dropped/unknown lists."""
    expected = {normalise(header): (q, branch, item) for q in book.questions for branch, item, header in q.columns()}
    aliases = {normalise(header): (q, branch, item)
               for q in book.questions for branch, item, header in q.alias_columns()}
    timestamps = {normalise(h) for h in book.timestamp_headers}
    identifying = {normalise(h) for h in book.identifying_headers}
    result = ColumnMap()
    seen: dict[tuple, str] = {}
    for index, header in enumerate(headers):
        key = normalise(header)
        if key in expected or key in aliases:
            question, branch, item = expected.get(key) or aliases[key]
            target = (question.id, branch, item.id if item else None)
            if target in seen:
                raise InputError(
                    f"{path}, row 1: columns {seen[target]!r} and {header!r} both match the same question; "
                    "expected each question once"
                )
            seen[target] = header
            result.columns.append(Column(index, header, question, branch, item))
        elif key in timestamps:
            result.timestamp = index
        elif key in identifying or "mail" in key.split():
            result.identifying.append(header)
        else:
            result.unknown.append(header)
    _check_missing(result, expected, headers, path)
    return result


def _check_missing(result: ColumnMap, expected: dict, headers: tuple[str, ...], path: str) -> None:
    found = {(c.question.id, c.branch, c.item) for c in result.columns}
    for key, (question, branch, item) in expected.items():
        if (question.id, branch, item) in found:
            continue
        header = next(h for b, i, h in question.columns() if normalise(h) == key)
        if question.required:
            close = difflib.get_close_matches(header, list(headers), n=1, cutoff=0.6)
            hint = f"; closest header in the file: {close[0]!r}" if close else ""
            raise InputError(
                f"{path}, row 1: required question {question.number} is missing: expected a column "
                f"headed {header!r}{hint}"
            )
        result.missing.append(header)
