"""The formatted tables for a spreadsheet: one workbook (`tableaux.xlsx`, a sheet per table with its title and notes)
and CSV copies French Excel opens as they are (`;`, UTF-8 with BOM).

In the workbook, a cell that is a number as printed in French (`12 345`, `0,0065`, `56,4 %`) is stored as a number,
with the number format that shows it with the same decimals (French Excel and LibreOffice display `56,4 %`); every
other cell is a text cell, never a formula, whatever it starts with (`=`, `+`, `-`, `@`). The file is byte-identical
across runs (fixed dates, surveykit.core.io.pin_office_file).
"""
from __future__ import annotations

import re
from pathlib import Path

from surveykit.core import fmt
from surveykit.core.io import atomic_path, pin_office_file

TITLE_ROW, HEADER_ROW = 1, 3
MAX_WIDTH, MIN_WIDTH = 60, 8
SHEET_NAME = 31  # characters Excel allows in a sheet's name
_SEPARATORS = f"[{fmt.NNBSP}{fmt.NBSP} ]"
FRENCH_NUMBER = re.compile(rf"^(?P<sign>[{fmt.MINUS}-]?)(?P<whole>\d{{1,3}}(?:{_SEPARATORS}\d{{3}})+|\d+)"
                           rf"(?:,(?P<decimals>\d+))?(?P<percent>{_SEPARATORS}?%)?$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def french_number(text: str) -> tuple[float | int, str] | None:
    """(value, Excel number format) of a cell printed as one French number, else None.

    '12 345' -> (12345, '#,##0'); '0,0065' -> (0.0065, '#,##0.0000'); '56,4 %' -> (0.564, '#,##0.0" "%')."""
    found = FRENCH_NUMBER.match(text.strip())
    if not found:
        return None
    digits = re.sub(_SEPARATORS, "", found["whole"])
    decimals = found["decimals"] or ""
    sign = -1 if found["sign"] else 1
    pattern = "#,##0" + ("." + "0" * len(decimals) if decimals else "")
    if found["percent"]:
        return sign * float(f"{digits}.{decimals or 0}") / 100, pattern + f'"{fmt.NBSP}"%'
    value = sign * (float(f"{digits}.{decimals}") if decimals else int(digits))
    return value, pattern


def numeric_columns(columns: list[str], rows: list[list]) -> set[int]:
    """Indexes of the columns whose cells are numbers (a few may be texts such as `< 0,001`); a column holding a
    word (a label, `22 (56,4 %)`) is a text column, even where one of its cells looks like a number."""
    found = set()
    for index in range(len(columns)):
        cells = [_text(row[index]).strip() for row in rows if index < len(row)]
        cells = [c for c in cells if c]
        numbers = [c for c in cells if french_number(c)]
        if numbers and all(c in numbers or c.startswith(("<", ">")) for c in cells):
            found.add(index)
    return found


def sheet_names(table_ids: list[str]) -> dict[str, str]:
    """A sheet name per table id: the id, cut to Excel's 31 characters and made unique."""
    names, used = {}, set()
    for table in table_ids:
        name, n = table[:SHEET_NAME], 2
        while name.lower() in used:
            suffix = f"~{n}"
            name, n = table[: SHEET_NAME - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[table] = name
    return names


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else _ILLEGAL.sub("", str(value))


def write_tables_workbook(tables: dict[str, dict], path: str | Path) -> None:
    """`tables`: table id -> {title, columns, rows, footnote} (as in tables.json), in chapter order."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "surveykit"
    names = sheet_names(list(tables))

    def put(sheet, row: int, column: int, value: object, numeric: bool = False):
        text = _text(value)
        cell = sheet.cell(row=row, column=column)
        parsed = french_number(text) if numeric else None
        if parsed:
            cell.value, cell.number_format = parsed
        else:
            cell.value = text
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.number_format = "@"
        return cell

    for table, entry in tables.items():
        sheet = book.create_sheet(names[table])
        put(sheet, TITLE_ROW, 1, entry.get("title") or table).font = Font(bold=True, size=12)
        columns = list(entry.get("columns") or [])
        widths = [len(_text(c)) for c in columns]
        for column, header in enumerate(columns, start=1):
            cell = put(sheet, HEADER_ROW, column, header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row = HEADER_ROW
        numeric = numeric_columns(columns, entry.get("rows") or [])
        for row, values in enumerate(entry.get("rows") or [], start=HEADER_ROW + 1):
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value, numeric=column > 1 and column - 1 in numeric)
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], len(_text(value)))
        notes = [line for line in _text(entry.get("footnote")).split("\n") if line.strip()]
        for offset, line in enumerate(notes, start=2):
            put(sheet, row + offset, 1, line).alignment = Alignment(wrap_text=False)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
    if not tables:
        put(book.create_sheet("tableaux"), 1, 1, "Aucun tableau dans le plan d'analyse")
    with atomic_path(path) as temporary:
        book.save(temporary)
        pin_office_file(temporary)
