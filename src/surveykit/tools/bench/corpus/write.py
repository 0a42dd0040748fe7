"""Write a generated export as Google Forms, Google Sheets or French Excel write it (same export, same bytes).

- `forms_csv`: the Forms « Télécharger les réponses (.csv) »: UTF-8 without BOM, `,`, CRLF, every cell quoted
  (`"Horodateur","Note",…` / `"2026/07/29 9:00:00 AM UTC+3","5",…`, as public parsers of these files test),
  numbers as typed (« 7,5 » in a French form, "7.5" in an English one), dates in the
  form's locale;
- `sheets_xlsx`: Sheets' « Télécharger > Microsoft Excel »: one sheet, the timestamp a date-time cell,
  numeric answers number cells, date answers date cells, everything else text;
- `excel_csv`: the Forms CSV opened and saved again by a French Excel: `;`, Windows-1252 (or UTF-8 with
  BOM), decimal commas, timestamps without seconds, CRLF.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

from .generate import Generated

FIXED_TIME = (2024, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _text(value, language: str, decimal_comma: bool) -> str:
    if value == "" or value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if language == "fr" or decimal_comma else f"{value.month}/{value.day}/{value.year}"
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def csv_bytes(export: Generated) -> bytes:
    excel = export.format == "excel_csv"
    decimal_comma = excel or export.language == "fr"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL if excel else csv.QUOTE_ALL)
    writer.writerow(export.headers)
    for row in export.rows:
        writer.writerow([_text(v, export.language, decimal_comma) for v in row])
    text = buffer.getvalue()
    if export.encoding == "cp1252":
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:  # a character Windows-1252 lacks: Excel would have saved UTF-8 with BOM
            return text.encode("utf-8-sig")
    return text.encode(export.encoding)


def xlsx_bytes(export: Generated) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Réponses au formulaire 1" if export.language == "fr" else "Form Responses 1"
    sheet.append(export.headers)
    for row in export.rows:
        sheet.append([None if v == "" else v for v in row])
    for cells in sheet.iter_rows(min_row=2, max_col=1):
        cells[0].number_format = "dd/mm/yyyy hh:mm:ss"
    fixed = dt.datetime(*FIXED_TIME)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "generated"
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic_zip(raw.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and core.xml dates (openpyxl writes the time of saving)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATE.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def export_bytes(export: Generated) -> bytes:
    return xlsx_bytes(export) if export.format == "sheets_xlsx" else csv_bytes(export)


def write_export(export: Generated, folder: str | Path, name: str | None = None) -> Path:
    """Write the export into `folder` (created), as `<name or export_<seed>><suffix>`; its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or f'export_{export.seed}'}{export.suffix}"
    path.write_bytes(export_bytes(export))
    return path


def write_truth(export: Generated, folder: str | Path, name: str | None = None) -> Path:
    """The truth beside the export, as `<name or export_<seed>>.truth.json` (sorted keys: same seed, same bytes)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or f'export_{export.seed}'}.truth.json"
    path.write_text(json.dumps(export.truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
