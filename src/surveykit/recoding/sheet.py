"""Coding sheets: the answers left to review, for a doctor to code in a spreadsheet.

The sheet has the columns of a decisions file first (question, answer_hash,
answer, categories, coder, rationale) and then helper columns (suggestions,
allowed categories). Filled in and saved as CSV it *is* a decisions file (extra
columns are ignored); an XLSX sheet is converted with `coding_sheet_to_decisions`.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import InputError
from ..io import pin_office_file
from .codebook import Codebook
from .decisions import COLUMNS, SEPARATOR, Decision, read_decisions


HELPER_COLUMNS = ["suggested_categories", "suggestion_sources", "allowed_categories"]
SHEET_COLUMNS = COLUMNS + HELPER_COLUMNS
CODING_SHEET = "codage"
LISTS_SHEET = "listes"
INSTRUCTIONS = [
    "Codage des réponses ouvertes",
    "Une ligne = une réponse distincte (les réponses identiques aux accents, majuscules et ponctuation près "
    "sont regroupées).",
    "Colonne « categories » : un ou plusieurs identifiants de catégorie séparés par « ; » "
    "(liste déroulante pour le premier).",
    "Les catégories exclusives (aucun…, ininterprétable) ne se combinent avec aucune autre.",
    "Colonne « coder » : vos initiales ; colonne « rationale » : la raison du codage, en une phrase.",
    "Ne modifiez ni « question », ni « answer_hash », ni « answer ».",
    "Les suggestions (règles, vagues précédentes) ne sont pas des décisions : recopiez-les si vous les validez.",
]


def coding_sheet(review: pd.DataFrame, codebooks: dict[str, Codebook], coder: str = "") -> pd.DataFrame:
    """Sheet rows from a `to_review` frame (see code_wave); `categories` is left for the coder."""
    rows = []
    for r in review.itertuples(index=False):
        allowed = SEPARATOR.join(c.id for c in codebooks[r.question].active_categories)
        rows.append((r.question, r.answer_hash, r.answer, "", coder, "", r.suggested_categories,
                     r.suggestion_sources, allowed))
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def _categories_frame(codebooks: dict[str, Codebook]) -> pd.DataFrame:
    rows = [(q, c.id, c.label, c.definition, "oui" if c.exclusive else "non")
            for q, book in codebooks.items() for c in book.active_categories]
    return pd.DataFrame(rows, columns=["question", "category", "label", "definition", "exclusive"])


def _fill(ws, frame: pd.DataFrame) -> None:
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([str(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column]]) if len(frame) else len(str(column))
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 80)


def _add_validations(wb: Workbook, sheet: pd.DataFrame, codebooks: dict[str, Codebook]) -> None:
    """One drop-down list per question on its rows; free typing stays allowed for "a;b"."""
    lists = wb.create_sheet(LISTS_SHEET)
    coding = wb[CODING_SHEET]
    col_categories = get_column_letter(SHEET_COLUMNS.index("categories") + 1)
    for index, (question, book) in enumerate(codebooks.items(), start=1):
        letter = get_column_letter(index)
        ids = [c.id for c in book.active_categories]
        lists.cell(row=1, column=index, value=question)
        for row, cid in enumerate(ids, start=2):
            lists.cell(row=row, column=index, value=cid)
        rows = [i + 2 for i, q in enumerate(sheet["question"]) if q == question]
        if not rows:
            continue
        validation = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${len(ids) + 1}",
                                    allow_blank=True, showErrorMessage=False)
        for row in rows:
            validation.add(f"{col_categories}{row}")
        coding.add_data_validation(validation)


def write_coding_sheet(sheet: pd.DataFrame, codebooks: dict[str, Codebook], path: str | Path) -> None:
    """Write the sheet as .csv (a decisions file once filled) or .xlsx (with lists and instructions)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        sheet.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        return
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: coding sheets are written as .csv or .xlsx")
    wb = Workbook()
    wb.active.title = CODING_SHEET
    _fill(wb[CODING_SHEET], sheet)
    for row in wb[CODING_SHEET].iter_rows(min_row=2):
        row[SHEET_COLUMNS.index("answer_hash")].number_format = "@"
        row[SHEET_COLUMNS.index("answer")].alignment = Alignment(wrap_text=True, vertical="top")
    wb[CODING_SHEET].freeze_panes = "D2"
    _fill(wb.create_sheet("categories"), _categories_frame(codebooks))
    _add_validations(wb, sheet, codebooks)
    notes = wb.create_sheet("consignes")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 120
    wb.save(path)
    pin_office_file(path)


def read_coding_sheet(path: str | Path) -> pd.DataFrame:
    """Rows of a filled XLSX coding sheet (every cell as text)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    if CODING_SHEET not in wb.sheetnames:
        raise InputError(f"{path}: no sheet named {CODING_SHEET!r}")
    rows = list(wb[CODING_SHEET].iter_rows(values_only=True))
    wb.close()
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise InputError(f"{path}: sheet {CODING_SHEET!r} must start with the columns {', '.join(COLUMNS)}")
    header = [str(h) for h in rows[0]]
    data = [["" if v is None else str(v) for v in row] for row in rows[1:]]
    return pd.DataFrame(data, columns=header)


def coding_sheet_to_decisions(xlsx_path: str | Path, csv_path: str | Path,
                              codebooks: dict[str, Codebook]) -> list[Decision]:
    """Save the coded rows of a filled XLSX sheet as a decisions CSV, then read it back (validated)."""
    frame = read_coding_sheet(xlsx_path)
    frame = frame[frame["categories"].str.strip() != ""][COLUMNS]
    Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(csv_path, index=False, encoding="utf-8", lineterminator="\n")
    return read_decisions(csv_path, codebooks)
