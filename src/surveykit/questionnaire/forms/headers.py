"""Match export column headers to codebook questions, tolerant to how headers get rewritten.

Headers are compared after normalisation (case, accents, punctuation, spaces), so a
re-saved export whose headers lost accents or changed case still matches, in any
column order. Identifying columns (e-mail, name) are dropped; unknown ones reported.
"""
from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from surveykit.core.errors import InputError
from surveykit.core.normalise import normalise

from ..codebook import Codebook, Item, Question


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


def map_columns(headers: tuple[str, ...], book: Codebook, path: str,
                rows: list[list[str]] | None = None) -> ColumnMap:
    """Assign every export column to a question, the timestamp, or the dropped/unknown lists.

    `rows` (the export's cells) let a missing required question's message name the unknown column whose
    answers fit the question (a reworded header), not only the most similar header."""
    expected = {(normalise(header), q.occurrence): (q, branch, item)
                for q in book.questions for branch, item, header in q.columns()}
    aliases = {(normalise(header), q.occurrence): (q, branch, item)
               for q in book.questions for branch, item, header in q.alias_columns()}
    timestamps = {normalise(h) for h in book.timestamp_headers}
    identifying = {normalise(h) for h in book.identifying_headers}
    result = ColumnMap()
    seen: dict[tuple, str] = {}
    occurrences: Counter = Counter()
    for index, header in enumerate(headers):
        key = normalise(header)
        occurrences[key] += 1
        # the n-th column with a header feeds the question declaring that occurrence; else, as the first would
        # (a second column matching an answered question is then refused below)
        nth = next(((key, n) for n in (occurrences[key], 1) if (key, n) in expected or (key, n) in aliases), None)
        if nth is not None:
            question, branch, item = expected.get(nth) or aliases[nth]
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
    _check_missing(result, expected, headers, path, book, rows)
    return result


def answer_fit(question: Question, cells: list[str]) -> float:
    """Share of a column's filled cells that are answers the question can have (0 when none is filled)."""
    filled = [c.strip() for c in cells if c and c.strip()]
    if not filled:
        return 0.0
    if question.type in ("single", "checkbox"):
        raws = {normalise(o.raw) for o in question.options}
        if question.type == "checkbox":
            options = sorted((o.raw for o in question.options), key=len, reverse=True)

            def fits(text: str) -> bool:
                rest = text
                while rest:
                    match = next((o for o in options if rest.startswith(o) and rest[len(o):][:2] in ("", ", ")), None)
                    if match is None:
                        return bool(question.other_label)
                    rest = rest[len(match) + 2:].strip()
                return True
        else:
            def fits(text: str) -> bool:
                return normalise(text) in raws or bool(question.other_label)
    elif question.type in ("scale", "number", "grid_scale", "grid_rank"):
        def fits(text: str) -> bool:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                return False
            return (question.min is None or value >= question.min) and (question.max is None or value <= question.max)
    else:
        return 0.0
    return sum(fits(text) for text in filled) / len(filled)


def _suggestion(question: Question, header: str, candidates: list[tuple[int, str]],
                rows: list[list[str]] | None) -> tuple[str, str] | None:
    """(column, why) the missing question most likely is under another header: the unknown column whose
    answers fit the question best (more than half of its cells), ties broken by header similarity; without
    cells or fitting answers, the most similar header."""
    def similarity(text: str) -> float:
        return difflib.SequenceMatcher(None, normalise(header), normalise(text)).ratio()

    if rows:
        scored = []
        for index, text in candidates:
            fit = answer_fit(question, [row[index] if index < len(row) else "" for row in rows])
            if fit > 0.5:
                scored.append((fit, similarity(text), text))
        if scored:
            fit, _similar, best = max(scored)
            return best, f"{round(100 * fit)} % of its filled cells are answers the question offers"
    close = difflib.get_close_matches(header, [text for _i, text in candidates], n=1, cutoff=0.6)
    return (close[0], "closest header in the file") if close else None


def _check_missing(result: ColumnMap, expected: dict, headers: tuple[str, ...], path: str, book: Codebook,
                   rows: list[list[str]] | None = None) -> None:
    found = {(c.question.id, c.branch, c.item) for c in result.columns}
    unknown = {normalise(h) for h in result.unknown}
    candidates = [(i, h) for i, h in enumerate(headers) if normalise(h) in unknown]
    for (key, _nth), (question, branch, item) in expected.items():
        if (question.id, branch, item) in found:
            continue
        header = next(h for b, i, h in question.columns() if normalise(h) == key)
        if question.required:
            raise InputError(_missing_message(question, header, _suggestion(question, header, candidates, rows),
                                              path, book))
        result.missing.append(header)


def _missing_message(question: Question, header: str, suggestion: tuple[str, str] | None, path: str,
                     book: Codebook) -> str:
    """A required question without its column, and the two ways to fix it."""
    source = book.source or "the codebook"
    where = f"question {question.number} ({question.id})"
    text = f"{path}, row 1: required question {question.number} is missing: expected a column headed {header!r}"
    if suggestion:
        column, why = suggestion
        quoted = column.replace("\\", "\\\\").replace('"', '\\"')
        text += (f"; closest header in the file: {column!r}" if why == "closest header in the file" else
                 f"; the column {column!r} holds its answers ({why})")
        text += (f". If the form reworded the question, add to {where} in {source} the line  "
                 f'aliases: ["{quoted}"]' + (f"  (beside its aliases {list(question.aliases)})" if question.aliases
                                               else ""))
    text += (f". If this wave's form no longer asks the question, mark the last wave that asked it on {where} in "
             f"{source}:  until: <that wave>  (the question is then left out of this wave's cleaning, tables and "
             "chapter, and shown « non posée » across waves).")
    return text
