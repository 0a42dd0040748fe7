"""CSV files that a spreadsheet opens as text: no cell is ever taken for a formula (CSV injection).

Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and, in
some versions, a tab or a carriage return) as a formula. As OWASP recommends, every such text cell of
a CSV written under results/ is prefixed with a single quote: `=1+1` is written `'=1+1`, which a
spreadsheet shows as text. Numbers (`-1`, `-0.25`, `+3`, `-inf`) are not formulas and are left as they are.

The prefix is reversible: a cell that already starts with a quote gets one more (`'a` → `''a`), so
reading removes exactly one leading quote from any cell that has one (`read_csv`), and the pipeline
reads back exactly what it wrote.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# Cells pandas formats at a time when it writes a CSV (its default is 100 000: 46 rows of a 2 000-column frame, whose
# every column is then sliced and formatted 217 times for 10 000 rows, which took twice as long as the writing)
CHUNK_CELLS = 1_000_000
_NUMBER = re.compile(r"[+-]?(?:(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?|inf|nan)", re.IGNORECASE)


def neutralise(value: object) -> object:
    """The cell as written to CSV: a quote before a formula-like or quote-led text, anything else unchanged."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first == QUOTE or (first in TRIGGERS and not _NUMBER.fullmatch(value)):
        return QUOTE + value
    return value


def restore(value: object) -> object:
    """Inverse of `neutralise` (for cells read from a file it wrote)."""
    if isinstance(value, str) and value.startswith(QUOTE):
        return value[1:]
    return value


def restore_written(value: str) -> str:
    """`restore` for a file that a person may also have typed: the leading quote is removed only where
    `neutralise` would have added it (`'=1+1` → `=1+1`, `''a` → `'a`), so a typed `'a` stays `'a`."""
    if isinstance(value, str) and value.startswith(QUOTE) and neutralise(value[1:]) == value:
        return value[1:]
    return value


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)]


def _map_distinct(values: pd.Series, function) -> pd.Series:
    """`values` with `function` applied to its distinct texts (columns repeat a few labels: one call each)."""
    changed = {}
    for value in pd.unique(values):
        if isinstance(value, str):
            new = function(value)
            if new != value:
                changed[value] = new
    if not changed:
        return values
    hit = values.isin(list(changed))
    return values.where(~hit, values[hit].map(changed))


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and header) are safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in _text_columns(frame):
        safe[column] = _map_distinct(frame[column], neutralise)
    safe.columns = [neutralise(c) for c in frame.columns]
    return safe


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo `neutralise_frame` on a frame read from CSV (in place; returned for chaining)."""
    for column in _text_columns(frame):
        frame[column] = _map_distinct(frame[column], restore)
    frame.columns = [restore(c) for c in frame.columns]
    return frame


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    return any(isinstance(v, str) and "\r" in v for c in _text_columns(frame) for v in pd.unique(frame[c]))


def _chunk_rows(frame: pd.DataFrame) -> int:
    """Rows written at a time: CHUNK_CELLS cells (the bytes written are the same whatever the chunk)."""
    return max(1, CHUNK_CELLS // max(1, len(frame.columns)))


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """UTF-8 CSV with "\\n" line ends and no index; text cells neutralised for spreadsheets.

    Python's csv quotes a cell holding "\\n" but not one holding only "\\r", which a reader would take for
    a line end: a frame with such a cell is written with every text cell quoted."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_frame(frame)
    quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=quoting, chunksize=_chunk_rows(safe))


def write_excel_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """The CSV French Excel opens as it is, by a double click: `;` between cells, UTF-8 with a byte order mark (else
    Excel reads Windows-1252 and garbles accents), CRLF line ends; text cells neutralised as in write_csv."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_frame(frame)
    quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    safe.to_csv(path, index=False, sep=";", encoding="utf-8-sig", lineterminator="\r\n", quoting=quoting,
                chunksize=_chunk_rows(safe))


def read_csv(path: str | Path, **options) -> pd.DataFrame:
    """pandas.read_csv of a CSV written by `write_csv`, with the neutralising quotes removed."""
    return restore_frame(pd.read_csv(path, **options))
