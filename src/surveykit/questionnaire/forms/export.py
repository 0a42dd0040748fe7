"""Write a canonical respondent table back as a raw Google Forms export (the inverse of cleaning).

Used by the reconstruction and the wave simulator, so that the bundled waves go
through exactly the same reading and cleaning as a real export.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from ..codebook import CHOICE_GRID, GRID_TYPES, Codebook, Question, load_codebook


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or str(value) == ""


def _choice_cell(question: Question, record: dict) -> str:
    value = record.get(question.id)
    if _is_missing(value):
        return ""
    parts = []
    for label in str(value).split("; "):
        if label == question.other_label and not _is_missing(record.get(question.other_variable)):
            parts.append(str(record[question.other_variable]))
        else:
            parts.append(question.raw_of(label))
    return ", ".join(parts)


def _number_cell(value: object) -> str:
    return "" if _is_missing(value) else str(int(float(value)))


def export_row(book: Codebook, record: dict) -> dict[str, str]:
    """Export cells (header -> text) of one canonical respondent record."""
    cells: dict[str, str] = {}
    for question in book.questions:
        branch_value = record.get(question.branch_on) if question.branch_on else None
        asked = all(record.get(k) == v for k, v in question.asked_if.items())
        for branch, item, header in question.columns():
            active = asked and (branch is None or branch == branch_value)
            if not active:
                cells[header] = ""
            elif question.type in GRID_TYPES:
                cells[header] = _number_cell(record.get(item.id))
            elif question.type == CHOICE_GRID:
                label = record.get(item.id)
                cells[header] = "" if _is_missing(label) or label == "" else question.raw_of(label)
            elif question.type == "scale":
                cells[header] = _number_cell(record.get(question.id))
            elif question.type == "text":
                value = record.get(question.id)
                cells[header] = "" if _is_missing(value) else str(value)
            else:
                cells[header] = _choice_cell(question, record)
    return cells


def format_timestamp(value: object) -> str:
    """'2025-01-09 14:32:05' -> '09/01/2025 14:32:05' as a French Google Forms export writes it."""
    if _is_missing(value):
        return ""
    return dt.datetime.fromisoformat(str(value)).strftime("%d/%m/%Y %H:%M:%S")


def export_frame(canonical: pd.DataFrame, book: Codebook, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """Raw export table; `headers` optionally rewords columns (as a later edition of a form would)."""
    timestamp = book.timestamp_headers[0]
    rows = []
    for record in canonical.to_dict(orient="records"):
        row = {timestamp: format_timestamp(record.get("submitted"))}
        row.update(export_row(book, record))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[timestamp, *[h for q in book.questions for _b, _i, h in q.columns()]])
    return frame.rename(columns=headers or {})


def write_export(canonical: pd.DataFrame, codebook_path: str | Path, out_path: str | Path,
                 headers: dict[str, str] | None = None) -> None:
    """Write `canonical` (respondent table with codebook variables) as a UTF-8 Google Forms CSV."""
    frame = export_frame(canonical, load_codebook(codebook_path), headers)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out_path, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
