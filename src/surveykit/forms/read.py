"""Read a raw export into a table of strings, keeping spreadsheet row numbers.

Google Forms exports UTF-8 CSV with commas; French Excel re-saves it with a BOM or
in Windows-1252, with semicolons; or the author downloads an XLSX. All end up as
the same `RawExport`: the header row as written and every cell as text.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

HEADER_ROW = 1  # spreadsheet row of the headers; data rows start at 2


@dataclass(frozen=True)
class RawExport:
    path: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str
    delimiter: str

    def sheet_row(self, index: int) -> int:
        """Spreadsheet row number (as Excel shows it) of data row `index` (0-based)."""
        return index + HEADER_ROW + 1


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), else Windows-1252 as French Excel writes."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: cannot decode byte {data[exc.start]:#04x} at offset {exc.start}; "
            "expected a CSV saved in UTF-8 (Google Forms) or Windows-1252 (Excel)"
        ) from None


def _delimiter(text: str) -> str:
    """Comma or semicolon: the one that splits the header row into more fields."""
    first_line = text.splitlines()[0] if text else ""
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in (",", ";")}
    return ";" if counts[";"] > counts[","] else ","


def _read_csv(path: Path) -> RawExport:
    text, encoding = _decode(path.read_bytes(), path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected a header row and one row per response")
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InputError(f"{path}: not a valid CSV file ({exc})") from None
    return _assemble(path, records, encoding, delimiter)


def _cell_text(value: object) -> str:
    """Text of an XLSX cell as the form wrote it (integers without '.0', dates as dd/mm/yyyy hh:mm:ss)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _read_xlsx(path: Path) -> RawExport:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = book.worksheets[0]
        records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _assemble(path, records, "xlsx", "")


def _assemble(path: Path, records: list[list[str]], encoding: str, delimiter: str) -> RawExport:
    if not records:
        raise InputError(f"{path}: no header row; expected the questions as column headers in row 1")
    headers = [h.strip() for h in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = []
    for number, record in enumerate(records[1:], start=HEADER_ROW + 1):
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            raise InputError(
                f"{path}, row {number}: {len(record)} cells but only {width} column headers "
                f"(unexpected value {extra[0]!r}); expected one cell per header"
            )
        cells = [c.strip() for c in record[:width]] + [""] * max(0, width - len(record))
        rows.append(tuple(cells))
    while rows and not any(rows[-1]):
        rows.pop()  # trailing blank lines that spreadsheets append
    return RawExport(str(path), tuple(headers), tuple(rows), encoding, delimiter)


def read_export(path: str | Path) -> RawExport:
    """Read a Google Forms export (.csv or .xlsx) as text cells."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found; declare the wave's export path in config.yaml (waves: … export:)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise InputError(f"{path}: unsupported file type {suffix!r}; expected a .csv or .xlsx export of Google Forms")
