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
NO_HEADER = "{path}: no header row; expected the questions as column headers in row 1"
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


class _FirstLine:
    """The first line of a text read a chunk at a time, without its line end."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.whole = False

    def feed(self, text: str) -> bool:
        """Take the next chunk (nothing once the line is whole); whether the line is whole."""
        if not self.whole:
            end = _LINE_END.search(text)
            self._parts.append(text if end is None else text[:end.start()])
            self.whole = end is not None
        return self.whole

    @property
    def text(self) -> str:
        return "".join(self._parts)


def _utf8_codec(path: Path) -> str:
    """The codec a UTF-8 file is opened with: utf-8-sig when it starts with a byte order mark."""
    with path.open("rb") as handle:
        return "utf-8-sig" if handle.read(3) == b"\xef\xbb\xbf" else "utf-8"


def _scan_as(path: Path, codec: str, errors: str) -> tuple[bool, bool, bool, bool, str]:
    """(no invalid byte, a non-ASCII character, suspect, blank, the first line) of the file read in `codec`,
    chunk by chunk."""
    valid, non_ascii, suspect, blank, header = True, False, False, True, _FirstLine()
    for text in _decoded_chunks(path, codec, errors):
        odd = _SUSPECT.search(text) is not None  # one scan for both: an invalid byte is also suspect
        valid = valid and not (odd and _INVALID_BYTE.search(text))
        non_ascii = non_ascii or (not text.isascii() and _NON_ASCII_TEXT.search(text) is not None)
        suspect = suspect or odd
        blank = blank and not text.strip()
        header.feed(text)
    return valid, non_ascii, suspect, blank, header.text


# What a UTF-8 file's bytes say without decoding them: below 0x80 a byte is always that character (never a part
# of another), so the C0 controls are found in the bytes; translate() deletes every other byte, in C.
_C0_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
_NOT_C0_BYTES = bytes(b for b in range(0x100) if b not in _C0_BYTES)


def _scan_utf8(path: Path, codec: str) -> _Scan | None:
    """The scan of a file every byte of which reads as UTF-8, in one pass decoded by the codec in C (no
    pattern run over the text); None as soon as a byte does not, and `_scan` then decides as before."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    suspect, blank, header = False, True, _FirstLine()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(SCAN_CHUNK), b""):
                text = decoder.decode(chunk)
                suspect = suspect or bool(chunk.translate(None, _NOT_C0_BYTES)) or "\ufffe" in text or "\uffff" in text
                blank = blank and (not text or text.isspace())  # isspace() stops at the first other character
                header.feed(text)
            decoder.decode(b"", final=True)  # a character cut by the end of the file
    except UnicodeDecodeError:
        return None
    return _Scan(codec, codec, suspect, blank, header.text)


def _scan(path: Path) -> _Scan:
    """Decide the encoding as a careful reader would: UTF-8 (with or without BOM); Windows-1252 only when no
    character of the file reads as UTF-8. A UTF-8 file with a stray invalid byte stays UTF-8: the byte is kept
    as a surrogate escape, and `_assemble` reports it with its row and column.

    The file is read a chunk at a time (never held whole, as bytes or as text, beside its parsed cells): first
    as strict UTF-8 (`_scan_utf8`, what nearly every export is); only a file that is not is decoded again with
    its invalid bytes kept, and as Windows-1252."""
    codec = _utf8_codec(path)
    bom = codec == "utf-8-sig"
    utf8 = _scan_utf8(path, codec)
    if utf8 is not None:
        return utf8
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


def _csv_records(path: Path, scan: _Scan, delimiter: str, field_limit: int,
                 keeper: Callable[[bool], Callable[[list[str]], object]]) -> tuple[list, bool]:
    """Parse the CSV file (its lines read one at a time, split as universal newlines split them); a syntax error
    names the spreadsheet row of the record being read. `keeper(long_cells)` gives what keeps each record.

    Returns the kept records and whether a cell is longer than `field_limit`. The csv module checks that
    length while parsing; only when a cell exceeds it is the file parsed again without limit, so that
    the cell is reported with its row and column (csv's own error names neither)."""
    previous = csv.field_size_limit()
    # an invalid UTF-8 byte is kept (and reported with its cell) only in a file its scan found one in
    errors = "surrogateescape" if scan.suspect and scan.codec != "cp1252" else "strict"
    try:
        for limit in (field_limit, max(path.stat().st_size + 1, previous)):
            csv.field_size_limit(limit)
            records: list = []
            keep = keeper(limit != field_limit)
            with path.open(encoding=scan.codec, errors=errors, newline="") as handle:
                reader = csv.reader(handle, delimiter=delimiter, strict=True)
                try:
                    for record in reader:
                        records.append(keep(record))
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


def _shared_cells(_long_cells: bool) -> Callable[[list[str]], list[str]]:
    """Keeps a record as its cells, one string object per distinct cell: answers repeat, memory follows them."""
    shared: dict[str, str] = {}
    return lambda record: list(map(shared.setdefault, record, record))  # in C: no loop here


_CARRIAGE = re.compile(r"\r\n?")


def _cell_text_of(cell: str) -> str:
    """A cell as text: outer white space stripped, and a line break typed inside it one \\n whatever the tool
    wrote (\\r\\n from Windows, a lone \\r from Excel for Mac), so that no \\r reaches responses.csv, the quotes
    or the coding sheet."""
    cell = cell.strip()
    return _CARRIAGE.sub("\n", cell) if "\r" in cell else cell


def _cell_texts(cells: list[str]) -> list[str]:
    """`_cell_text_of` each cell; the line breaks are looked for once per row (most rows have none)."""
    cells = list(map(str.strip, cells))
    if "\r" in "".join(cells):
        cells = [_CARRIAGE.sub("\n", cell) for cell in cells]
    return cells


class _Suspect(Exception):
    """A cell holds a control character: the file is read again the careful way (`_read_csv`)."""


class _StrippedCells(dict):
    """Each distinct cell and its text (`_cell_text_of`), made once and held once. When `watch`ful (a file no scan
    has read before), a cell holding a control character stops the reading (`_Suspect`): every character of a
    CSV file but its delimiters, quotes and line ends is in a cell, so looking at each distinct cell once tells
    what a scan of the whole file would."""

    def __init__(self, watch: bool = False):
        super().__init__()
        self.watch = watch

    def __missing__(self, cell: str) -> str:
        if self.watch and _CONTROL.search(cell):
            raise _Suspect
        self[cell] = text = _cell_text_of(cell)
        return text


def _header_cells(record: list[str]) -> list[str]:
    """The headers of the header row: as text, the empty ones at its end left out (see `_answered_width`)."""
    headers = _cell_texts(record)
    while headers and not headers[-1]:
        headers.pop()
    return headers


@dataclass
class _Rows:
    """The records of a file with no control character nor invalid byte (nothing to remove or report in a cell)
    made into the export's rows as they are parsed, as `_assemble` makes them: the header row as it is, then each
    row's cells stripped (each distinct text once: answers repeat), cut or padded to the headers' width. What
    `_assemble` would stop on is kept to be said in its turn: the first row with a cell beyond the headers.
    The header row's blank cells at its end are kept until the rows say which of them head an answered column
    (`answered`, see `_answered_width`)."""

    path: Path
    limits: Limits
    long_cells: bool
    watch: bool = False  # no scan before: a control character in a cell stops the reading (`_Suspect`)
    headers: list[str] | None = None  # the header row's cells, blank ones at its end included
    named: int = 0  # how many of them up to the last one not blank
    answered: int = 0  # how many of them head a column answered somewhere, at least `named`
    count: int = 0
    surplus: str = ""  # the message for the first row with a cell beyond the headers
    problems: dict[int, tuple[str, ...]] = field(default_factory=dict)
    stripped: _StrippedCells = field(init=False)

    def __post_init__(self):
        self.stripped = _StrippedCells(self.watch)

    def __call__(self, record: list[str]) -> object:
        self.count += 1
        if self.headers is None:
            if self.watch and _CONTROL.search("".join(record)):
                raise _Suspect
            named = _header_cells(record)
            self.named = self.answered = len(named)
            self.headers = named + [""] * (len(record) - len(named))
            return record
        width = len(self.headers)
        cells = tuple(map(self.stripped.__getitem__, record))
        if len(cells) > width:
            if not self.surplus and any(cells[width:]):
                self.surplus = _surplus(self.path, self.count, record, width)
            cells = cells[:width]
        elif len(cells) < width:
            cells += ("",) * (width - len(cells))
        if self.answered < width and any(cells[self.answered:]):
            self.answered = max(i for i in range(self.answered, width) if cells[i]) + 1
        if self.long_cells and record and max(map(len, cells), default=0) > self.limits.max_answer_chars:
            self.problems[self.count], cells = _too_long(self.path, self.count, self.headers, list(cells), self.limits)
            cells = tuple(cells)
        return cells


def _read_rows(path: Path, scan: _Scan, delimiter: str, limits: Limits, notices: list[str],
               watch: bool = False) -> RawExport:
    """The export of a file with no control character nor invalid byte, its rows made as they are parsed
    (`watch`: no scan said so, the cells are looked at as they come, see `_StrippedCells`)."""
    made: list[_Rows] = []

    def keeper(long_cells: bool) -> _Rows:
        made.append(_Rows(path, limits, long_cells, watch))
        return made[-1]

    records, _long_cells = _csv_records(path, scan, delimiter, limits.max_answer_chars, keeper)
    rows = made[-1]
    if not records:
        raise InputError(NO_HEADER.format(path=path))
    width = rows.answered
    _check_shape(path, width, len(records) - 1, limits)
    if rows.surplus:
        raise InputError(rows.surplus)
    del records[0]
    if width < len(rows.headers):  # blank header cells at the end over columns nobody answered: no columns
        records = [record[:width] for record in records]
    while records and not any(records[-1]):
        records.pop()  # trailing blank lines that spreadsheets append
    return RawExport(str(path), tuple(rows.headers[:width]), tuple(records), scan.encoding, delimiter,
                     tuple(notices), rows.problems)


def _surplus(path: Path, row: int, record: list[str], width: int) -> str:
    """Why a row with a cell beyond the headers is refused (its first such cell named)."""
    extra = next(c for c in record[width:] if c.strip())
    return (f"{path}, row {row}: {len(record)} cells but only {width} column headers (unexpected value {extra!r}); "
            "expected one cell per header")


def _check_shape(path: Path, width: int, responses: int, limits: Limits) -> None:
    """The limits on the header row's width and on the rows of responses."""
    if width > limits.max_columns:
        raise InputError(f"{path}, row 1: {width} column headers; expected at most {limits.max_columns} "
                         f"(config: {LIMITS_KEY}: max_columns)")
    if responses > limits.max_rows:
        raise InputError(f"{path}: {responses} rows of responses; expected at most {limits.max_rows} "
                         f"(config: {LIMITS_KEY}: max_rows)")


def _first_line(path: Path, codec: str) -> str | None:
    """The file's first line as strict UTF-8 (without its line end), None when its bytes do not read so."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    line = _FirstLine()
    try:
        with path.open("rb") as handle:
            while not line.whole and (chunk := handle.read(HEADER_CHUNK)):
                line.feed(decoder.decode(chunk))
            if not line.whole:
                line.feed(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return line.text


HEADER_CHUNK = 1 << 16  # bytes read at a time for the header row (a wide export's is about 200 kB)


def _read_utf8(path: Path, limits: Limits) -> RawExport | None:
    """The export in one pass over the file, for the file nearly every export is: UTF-8 with no control
    character. Parsed as strict UTF-8 with each distinct cell looked at (`_StrippedCells`); None as soon as a byte
    does not decode or a cell holds a control character (or when its first line is blank): `_read_csv` then
    scans the file first, as it did before this path was there. What this path returns, or the message it
    raises, is what that scan and the parse after it give on such a file."""
    codec = _utf8_codec(path)
    header = _first_line(path, codec)
    if header is None or not header.strip():
        return None
    scan = _Scan(codec, codec, suspect=False, blank=False, header=header)
    try:
        with _collector_paused():
            return _read_rows(path, scan, _delimiter(header), limits, [], watch=True)
    except (UnicodeDecodeError, _Suspect):
        return None


def _read_csv(path: Path, limits: Limits) -> RawExport:
    _check_size(path, path.stat().st_size, "file of", limits)
    export = _read_utf8(path, limits)
    if export is not None:
        return export
    scan = _scan(path)
    if scan.blank:
        raise InputError(f"{path}: the file is empty; expected a header row and one row per response")
    delimiter = _delimiter(scan.header)
    notices = [f"{path}: not valid UTF-8 and every byte reads as Windows-1252: read as Windows-1252 "
               "(as French Excel saves CSV)"] if scan.encoding == "cp1252" else []
    with _collector_paused():
        if not scan.suspect:
            return _read_rows(path, scan, delimiter, limits, notices)
        records, long_cells = _csv_records(path, scan, delimiter, limits.max_answer_chars, _shared_cells)
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


def _assemble(path: Path, records: list[list[str]], encoding: str, delimiter: str, limits: Limits,
              notices: list[str], suspect: bool = True, long_cells: bool = True) -> RawExport:
    """The export from its records; `suspect` / `long_cells` False say a scan of the whole file found no
    control character or invalid byte / no cell over the length limit, so rows need not be checked."""
    if not records:
        raise InputError(NO_HEADER.format(path=path))
    raw_headers = records[0]
    if suspect and _suspect(raw_headers):
        raw_headers = _clean_cells(path, HEADER_ROW, [f"#{i + 1}" for i in range(len(raw_headers))],
                                   list(raw_headers), notices)
    headers = _header_cells(raw_headers)
    if len(headers) < len(raw_headers):
        headers += [""] * (_answered_width(records, len(headers), len(raw_headers)) - len(headers))
    width = len(headers)
    _check_shape(path, width, len(records) - 1, limits)
    rows = []
    problems: dict[int, tuple[str, ...]] = {}
    for number in range(HEADER_ROW + 1, len(records) + 1):
        record, records[number - 1] = records[number - 1], None  # each record is released once it is a row
        if suspect and _suspect(record):
            record = _clean_cells(path, number, headers, list(record), notices)
        if any(c.strip() for c in record[width:]):
            raise InputError(_surplus(path, number, record, width))
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
