"""Read a raw export into a table of strings, keeping spreadsheet row numbers.

Google Forms exports UTF-8 CSV with commas; French Excel re-saves it with a BOM or
in Windows-1252, with semicolons; or the author downloads an XLSX. All end up as
the same `RawExport`: the header row as written and every cell as text.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from surveykit.core.errors import InputError

HEADER_ROW = 1  # spreadsheet row of the headers; data rows start at 2
LIMITS_KEY = "limits"  # the config section of the limits below
# C0 control characters other than tab, line feed and carriage return, and the two non-characters XML
# forbids: no spreadsheet can hold them, and no respondent typed them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INVALID_BYTE = re.compile(r"[\udc80-\udcff]")  # an undecodable byte, as errors="surrogateescape" keeps it
_SUSPECT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\udc80-\udcff]")  # either of the two above
_NON_ASCII_TEXT = re.compile(r"[\x80-\ud7ff\ue000-\U0010ffff]")
MB = 1_000_000
RATIO_FLOOR_MB = 1  # below this much content, any compression ratio is harmless


@dataclass(frozen=True)
class Limits:
    """What an export may hold; beyond, the file is refused (or the row quarantined) with a message.

    Every check is one pass over the file or its cells. Defaults and descriptions: config schema, `limits:`."""

    max_answer_chars: int = 100_000
    max_file_mb: float = 200
    max_rows: int = 1_000_000
    max_columns: int = 2_000
    max_compression_ratio: float = 100

    @classmethod
    def from_config(cls, section: dict | None) -> "Limits":
        return cls(**{k: v for k, v in (section or {}).items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class RawExport:
    path: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str
    delimiter: str
    notices: tuple[str, ...] = ()  # what reading changed (control characters removed, encoding, sheet)
    # sheet row -> problems of cells that could not be kept (too long): the row is quarantined
    cell_problems: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False)
    sheet: str = ""
    header_rows: int = HEADER_ROW  # rows above the first answer (2: a second header row, as SurveyMonkey writes)

    def sheet_row(self, index: int) -> int:
        """Spreadsheet row number (as Excel shows it) of data row `index` (0-based)."""
        return index + self.header_rows + 1


def _check_size(path: Path, size: int, what: str, limits: Limits) -> None:
    if size > limits.max_file_mb * MB:
        raise InputError(f"{path}: {what} {size / MB:.1f} MB; expected at most {limits.max_file_mb:g} MB "
                         f"(config: {LIMITS_KEY}: max_file_mb)")


SCAN_CHUNK = 1 << 24  # bytes decoded at a time when a CSV file is scanned
_LINE_END = re.compile(r"[\r\n]")  # \n, \r\n or a lone \r (a CSV saved by Excel for Mac)


@dataclass
class _Scan:
    """What one pass over a CSV file's bytes tells before it is parsed."""

    codec: str  # to open the file with
    encoding: str  # as RawExport says it: utf-8, utf-8-sig or cp1252
    suspect: bool  # a control character or an invalid byte somewhere: rows are then checked one by one
    blank: bool  # nothing but white space
    header: str  # the first line, without its line end (the delimiter is chosen on it)


def _decoded_chunks(path: Path, codec: str, errors: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(codec)(errors)
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _scan_as(path: Path, codec: str, errors: str) -> tuple[bool, bool, bool, bool, str]:
    """(no invalid byte, a non-ASCII character, suspect, blank, the first line) of the file read in `codec`,
    chunk by chunk."""
    valid, non_ascii, suspect, blank, header, header_done = True, False, False, True, [], False
    for text in _decoded_chunks(path, codec, errors):
        odd = _SUSPECT.search(text) is not None  # one scan for both: an invalid byte is also suspect
        valid = valid and not (odd and _INVALID_BYTE.search(text))
        non_ascii = non_ascii or (not text.isascii() and _NON_ASCII_TEXT.search(text) is not None)
        suspect = suspect or odd
        blank = blank and not text.strip()
        if not header_done:
            end = _LINE_END.search(text)
            header.append(text if end is None else text[:end.start()])
            header_done = end is not None
    return valid, non_ascii, suspect, blank, "".join(header)


def _scan(path: Path) -> _Scan:
    """Decide the encoding as a careful reader would: UTF-8 (with or without BOM); Windows-1252 only when no
    character of the file reads as UTF-8. A UTF-8 file with a stray invalid byte stays UTF-8: the byte is kept
    as a surrogate escape, and `_assemble` reports it with its row and column.

    The file is read a chunk at a time (never held whole, as bytes or as text, beside its parsed cells)."""
    with path.open("rb") as handle:
        bom = handle.read(3) == b"\xef\xbb\xbf"
    codec = "utf-8-sig" if bom else "utf-8"
    valid, non_ascii, suspect, blank, header = _scan_as(path, codec, "surrogateescape")
    if valid or bom or non_ascii:
        return _Scan(codec, "utf-8-sig" if bom else "utf-8", suspect, blank, header)
    try:
        _valid, _non_ascii, suspect_1252, blank_1252, header_1252 = _scan_as(path, "cp1252", "strict")
    except UnicodeDecodeError:  # neither: the invalid bytes are reported with their row and column
        return _Scan(codec, "utf-8", suspect, blank, header)
    return _Scan("cp1252", "cp1252", suspect_1252, blank_1252, header_1252)


def _delimiter(header: str) -> str:
    """Comma or semicolon: the one that splits the header row (the file's first line) into more fields.

    The header row is split without csv's field limit: read with the wrong delimiter, a long header row (two
    thousand questions) is one field longer than the limit, which says nothing about the file's cells."""
    first_line = header.rstrip("\r")
    previous = csv.field_size_limit()
    try:
        csv.field_size_limit(max(previous, len(first_line) + 1))
        counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in (",", ";")}
    finally:
        csv.field_size_limit(previous)
    return ";" if counts[";"] > counts[","] else ","


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cycle collector while millions of cell lists are built: they all stay alive, so each
    collection would walk every list made so far for nothing (what made reading grow faster than the file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _csv_records(path: Path, scan: _Scan, delimiter: str, field_limit: int) -> tuple[list[list[str]], bool]:
    """Parse the CSV file (its lines read one at a time, split as universal newlines split them); a syntax error
    names the spreadsheet row of the record being read.

    Returns the records and whether a cell is longer than `field_limit`. The csv module checks that
    length while parsing; only when a cell exceeds it is the file parsed again without limit, so that
    `_assemble` reports the cell with its row and column (csv's own error names neither)."""
    previous = csv.field_size_limit()
    errors = "strict" if scan.codec == "cp1252" else "surrogateescape"
    try:
        for limit in (field_limit, max(path.stat().st_size + 1, previous)):
            csv.field_size_limit(limit)
            records: list[list[str]] = []
            shared: dict[str, str] = {}  # one string object per distinct cell: answers repeat, memory follows them
            with path.open(encoding=scan.codec, errors=errors, newline="") as handle:
                reader = csv.reader(handle, delimiter=delimiter, strict=True)
                try:
                    for record in reader:
                        records.append(list(map(shared.setdefault, record, record)))  # in C: no loop here
                    return records, limit != field_limit
                except csv.Error as exc:
                    if "field larger than field limit" in str(exc) and limit == field_limit:
                        continue
                    hint = ('a quoted cell (starting with ") is never closed' if "end of data" in str(exc)
                            else 'expected cells separated by the delimiter, and quotes (") only around a whole cell')
                    raise InputError(f"{path}, row {len(records) + 1}: not valid CSV from line {reader.line_num} "
                                     f"of the file ({exc}); {hint}") from None
    finally:
        csv.field_size_limit(previous)
    raise AssertionError("unreachable: the second pass has no field limit")


def _read_csv(path: Path, limits: Limits) -> RawExport:
    _check_size(path, path.stat().st_size, "file of", limits)
    scan = _scan(path)
    if scan.blank:
        raise InputError(f"{path}: the file is empty; expected a header row and one row per response")
    delimiter = _delimiter(scan.header)
    notices = [f"{path}: not valid UTF-8 and every byte reads as Windows-1252: read as Windows-1252 "
               "(as French Excel saves CSV)"] if scan.encoding == "cp1252" else []
    with _collector_paused():
        records, long_cells = _csv_records(path, scan, delimiter, limits.max_answer_chars)
        return _assemble(path, records, scan.encoding, delimiter, limits, notices, scan.suspect, long_cells)


def _cell_text(value: object) -> str:
    """Text of an XLSX cell as the form wrote it (integers without '.0').

    A real date cell (Google Sheets writes the timestamp as one) is a date, not a text: it is written year
    first (2026-11-04 08:00:00), which no day/month order can misread, so it needs no order decision."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


HeaderCheck = Callable[[tuple[str, ...]], "str | None"]


def _check_archive(path: Path, limits: Limits) -> None:
    """Refuse a workbook whose content is out of proportion with its size, before anything is loaded."""
    _check_size(path, path.stat().st_size, "file of", limits)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: cannot open as an Excel workbook (not a ZIP archive: {exc})") from None
    content = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    _check_size(path, content, "workbook whose content uncompresses to", limits)
    if content > RATIO_FLOOR_MB * MB and content / packed > limits.max_compression_ratio:
        raise InputError(f"{path}: the workbook's {packed / 1000:.0f} KB uncompress to {content / MB:.1f} MB "
                         f"(ratio {content / packed:.0f}); expected at most {limits.max_compression_ratio:g} "
                         f"(config: {LIMITS_KEY}: max_compression_ratio); re-save it from the spreadsheet program")


def _check_dimension(path: Path, sheet, limits: Limits) -> None:
    """The sheet's declared size (its <dimension> element), before a row is read."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > limits.max_rows + HEADER_ROW or columns > limits.max_columns:
        raise InputError(f"{path}: sheet {sheet.title!r} declares {rows} rows and {columns} columns; expected at "
                         f"most {limits.max_rows} responses and {limits.max_columns} columns "
                         f"(config: {LIMITS_KEY}: max_rows, max_columns)")


def _sheet_records(path: Path, sheet, limits: Limits, max_row: int | None = None) -> list[list[str]]:
    """Rows of a sheet as text, stopping as soon as there are more rows or columns than the limits."""
    sheet.reset_dimensions()  # the declared size was checked; rows are now read as they are
    records: list[list[str]] = []
    for number, row in enumerate(sheet.iter_rows(max_row=max_row, values_only=True), start=1):
        if number > limits.max_rows + HEADER_ROW or len(row) > limits.max_columns:
            raise InputError(f"{path}: sheet {sheet.title!r}, row {number}: more than {limits.max_rows} responses "
                             f"or {limits.max_columns} columns (config: {LIMITS_KEY}: max_rows, max_columns)")
        records.append([_cell_text(v) for v in row] if row else [])
    return records


def _pick_sheet(path: Path, book, limits: Limits, accept: HeaderCheck | None):
    """The first sheet whose header row `accept`s (the answers need not be on the first sheet)."""
    sheets = book.worksheets
    if not sheets:
        raise InputError(f"{path}: the workbook has no sheet")
    if accept is None or len(sheets) == 1:
        return sheets[0]
    problems = {}
    for sheet in sheets:
        _check_dimension(path, sheet, limits)
        header = _sheet_records(path, sheet, limits, max_row=HEADER_ROW)
        problems[sheet.title] = accept(tuple(c.strip() for c in (header[0] if header else [])))
        if problems[sheet.title] is None:
            return sheet
    names = ", ".join(repr(sheet.title) for sheet in sheets)
    raise InputError(f"{path}: no sheet of the workbook has the questionnaire's headers in row 1 (sheets: {names}); "
                     f"on the first sheet {sheets[0].title!r}: {problems[sheets[0].title]}")


def _read_xlsx(path: Path, limits: Limits, accept: HeaderCheck | None = None) -> RawExport:
    import openpyxl

    _check_archive(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = _pick_sheet(path, book, limits, accept)
        _check_dimension(path, sheet, limits)
        records = _sheet_records(path, sheet, limits)
    finally:
        book.close()
    notices = ([f"{path}: answers read from sheet {sheet.title!r} (its headers match the questionnaire)"]
               if sheet is not book.worksheets[0] else [])
    return replace(_assemble(path, records, "xlsx", "", limits, notices), sheet=sheet.title)


def _control_notice(path: Path, row: int, header: str, cell: str) -> str:
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(cell)}))
    return (f'{path}, row {row}, column "{header}": control character(s) {codes} removed '
            "(no spreadsheet cell can hold them)")


def _invalid_byte(path: Path, row: int, header: str, cell: str) -> InputError:
    found = _INVALID_BYTE.search(cell)
    byte = ord(found.group()) - 0xDC00
    return InputError(f'{path}, row {row}, column "{header}": byte {byte:#04x} at character {found.start() + 1} of '
                      "the cell is not valid UTF-8, and the rest of the file is UTF-8; expected the file saved "
                      "again in UTF-8 (CSV UTF-8) or the cell retyped")


def _clean_cells(path: Path, row: int, headers: list[str], cells: list[str], notices: list[str]) -> list[str]:
    """Report invalid bytes (stop) and remove control characters (noted) in one row."""
    for column, cell in enumerate(cells):
        header = headers[column] if column < len(headers) else f"#{column + 1}"
        if _INVALID_BYTE.search(cell):
            raise _invalid_byte(path, row, header, cell)
        if _CONTROL.search(cell):
            notices.append(_control_notice(path, row, header, cell))
            cells[column] = _CONTROL.sub("", cell)
    return cells


def _suspect(record: list[str]) -> bool:
    return bool(_SUSPECT.search("\n".join(record)))


_CARRIAGE = re.compile(r"\r\n?")


def _cell_texts(cells: list[str]) -> list[str]:
    """Cells as text: outer white space stripped, and a line break typed inside a cell one \\n whatever the tool
    wrote (\\r\\n from Windows, a lone \\r from Excel for Mac), so that no \\r reaches responses.csv, the quotes
    or the coding sheet. The line breaks are looked for once per row (most rows have none)."""
    cells = list(map(str.strip, cells))
    if "\r" in "".join(cells):
        cells = [_CARRIAGE.sub("\n", cell) for cell in cells]
    return cells


def _assemble(path: Path, records: list[list[str]], encoding: str, delimiter: str, limits: Limits,
              notices: list[str], suspect: bool = True, long_cells: bool = True) -> RawExport:
    """The export from its records; `suspect` / `long_cells` False say a scan of the whole file found no
    control character or invalid byte / no cell over the length limit, so rows need not be checked."""
    if not records:
        raise InputError(f"{path}: no header row; expected the questions as column headers in row 1")
    raw_headers = records[0]
    if suspect and _suspect(raw_headers):
        raw_headers = _clean_cells(path, HEADER_ROW, [f"#{i + 1}" for i in range(len(raw_headers))],
                                   list(raw_headers), notices)
    headers = _cell_texts(raw_headers)
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) < len(raw_headers):
        headers += [""] * (_answered_width(records, len(headers), len(raw_headers)) - len(headers))
    width = len(headers)
    if width > limits.max_columns:
        raise InputError(f"{path}, row 1: {width} column headers; expected at most {limits.max_columns} "
                         f"(config: {LIMITS_KEY}: max_columns)")
    if len(records) - 1 > limits.max_rows:
        raise InputError(f"{path}: {len(records) - 1} rows of responses; expected at most {limits.max_rows} "
                         f"(config: {LIMITS_KEY}: max_rows)")
    rows = []
    problems: dict[int, tuple[str, ...]] = {}
    for number in range(HEADER_ROW + 1, len(records) + 1):
        record, records[number - 1] = records[number - 1], None  # each record is released once it is a row
        if suspect and _suspect(record):
            record = _clean_cells(path, number, headers, list(record), notices)
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            raise InputError(
                f"{path}, row {number}: {len(record)} cells but only {width} column headers "
                f"(unexpected value {extra[0]!r}); expected one cell per header"
            )
        cells = _cell_texts(record[:width]) + [""] * max(0, width - len(record))
        if long_cells and record and max(map(len, cells)) > limits.max_answer_chars:
            problems[number], cells = _too_long(path, number, headers, cells, limits)
        rows.append(tuple(cells))
    while rows and not any(rows[-1]):
        rows.pop()  # trailing blank lines that spreadsheets append
    return RawExport(str(path), tuple(headers), tuple(rows), encoding, delimiter, tuple(notices), problems)


def _answered_width(records: list[list[str]], named: int, header_cells: int) -> int:
    """How many of the header row's `header_cells` cells (the first `named` not blank) head a column that holds an
    answer somewhere: the trailing cells of a header row are blank above the following columns of its last
    question when a second header row names them (SurveyMonkey's checkbox or matrix question last, Framaforms'
    title row), while a spreadsheet's empty trailing columns hold nothing. One pass, stopped at the first row
    filled to the end."""
    width = named
    for record in records[1:]:
        for index in range(min(len(record), header_cells) - 1, width - 1, -1):
            if record[index] is not None and str(record[index]).strip():
                width = index + 1
                break
        if width >= header_cells:
            break
    return width


def _too_long(path: Path, row: int, headers: list[str], cells: list[str],
              limits: Limits) -> tuple[tuple[str, ...], list[str]]:
    """Problems of the cells longer than the limit (never their text), and the row without them."""
    problems = tuple(f'{path}, row {row}, column "{headers[i]}": an answer of {len(cell)} characters — expected '
                     f"at most {limits.max_answer_chars} (config: {LIMITS_KEY}: max_answer_chars)"
                     for i, cell in enumerate(cells) if len(cell) > limits.max_answer_chars)
    return problems, ["" if len(cell) > limits.max_answer_chars else cell for cell in cells]


def read_export(path: str | Path, limits: Limits | None = None, accept: HeaderCheck | None = None) -> RawExport:
    """Read a Google Forms export (.csv or .xlsx) as text cells.

    `accept(headers)` returns None when a sheet's header row is the questionnaire's, else why not:
    it picks the sheet of a workbook that holds the answers."""
    path = Path(path)
    limits = limits or Limits()
    if not path.is_file():
        raise InputError(f"{path}: file not found; declare the wave's export path in config.yaml (waves: … export:)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, limits)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limits, accept)
    raise InputError(f"{path}: unsupported file type {suffix!r}; expected a .csv or .xlsx export of Google Forms")
