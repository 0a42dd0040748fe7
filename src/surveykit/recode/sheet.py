"""Coding sheets: the answers left to review, for a doctor to code in a spreadsheet.

The XLSX sheet is in French: one row per distinct answer, a drop-down of the question's category
codes in « catégories », a wide wrapped « réponse » column, a frozen header row, the categories
with their definitions, and the instructions. Every cell is a text cell (an answer that starts with
"=" is never a formula) formatted as text, so what the coder types comes back unchanged; its French
headers map to the columns of a decisions file (`coding_sheet_to_decisions`).

Written as .csv, the sheet has the decisions file's own columns first (question, answer_hash,
answer, categories, coder, rationale) and the helper columns after: filled in, it *is* a decisions file.

openpyxl is imported by the functions that write or read a sheet, not with the module: the figures and the
chapter import the recoding package for its counts and reading order, and would pay for it at every start.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from surveykit.core import csvsafe
from surveykit.core.errors import InputError
from surveykit.core.io import atomic_path, atomic_write_bytes, pin_office_file

from .codebook import Codebook

if TYPE_CHECKING:
    from openpyxl import Workbook
from .decisions import (
    CITATION_COLUMN,
    COLUMNS,
    FRENCH_HEADERS,
    SEPARATOR,
    Decision,
    DecisionError,
    MergeReport,
    _parse_row,
    canonical_header,
    merge_into,
    read_decisions,
)

HELPER_COLUMNS = ["suggested_categories", "suggestion_sources", "allowed_categories"]
SHEET_COLUMNS = COLUMNS + HELPER_COLUMNS
# Column order of the XLSX sheet (what the coder reads and types first), widths in characters.
XLSX_LAYOUT = [("question", 18), ("answer", 60), ("categories", 28), ("coder", 10), ("rationale", 40),
               ("suggested_categories", 28), ("suggestion_sources", 22), ("allowed_categories", 40),
               ("answer_hash", 16)]
WRAPPED = ("answer", "rationale", "allowed_categories")
CODING_SHEET = "codage"
LISTS_SHEET = "listes"
CATEGORIES_SHEET = "catégories"
INSTRUCTIONS_SHEET = "consignes"
TEXT_FORMAT = "@"  # Excel's "Text" number format: what is typed stays text (no formula, date or number)
EDITABLE = ("categories", "coder", "rationale")
LINE_HEIGHT, MAX_ROW_HEIGHT = 15, 409  # points; 409 is the tallest row Excel allows
INSTRUCTIONS = [
    "Codage des réponses ouvertes",
    "Une ligne = une réponse distincte (les réponses identiques aux accents, majuscules et ponctuation près "
    "sont regroupées).",
    f"Colonne « {FRENCH_HEADERS['categories']} » : choisissez le code dans la liste déroulante ; pour plusieurs "
    "catégories, tapez leurs codes séparés par « ; » (par exemple : code_a;code_b).",
    "Les codes de chaque question, leurs libellés et leurs définitions sont dans la feuille « catégories ».",
    "Les catégories exclusives (« oui » dans la colonne « exclusive » de la feuille « catégories ») ne se "
    "combinent avec aucune autre.",
    f"Colonne « {FRENCH_HEADERS['coder']} » : vos initiales ; colonne « {FRENCH_HEADERS['rationale']} » : "
    "la raison du codage, en une phrase.",
    f"Ne modifiez ni « {FRENCH_HEADERS['question']} », ni « {FRENCH_HEADERS['answer']} », "
    f"ni « {FRENCH_HEADERS['answer_hash']} » : l'empreinte relie la ligne à la réponse.",
    "Les suggestions (règles, vagues précédentes) ne sont pas des décisions : recopiez-les si vous les validez.",
    "Les lignes sans catégorie sont ignorées : vous pouvez coder en plusieurs fois.",
    "Une fois rempli, le fichier est relu tel quel (coding_sheet_to_decisions) ou enregistré en CSV UTF-8 "
    "sous {folder}/<codeur>_main.csv (<codeur> : vos initiales).",
]
DECISIONS_FOLDER = "data/studies/<étude>/coding/<vague>"  # when the sheet is written for no study in particular


def instructions(folder: str = DECISIONS_FOLDER) -> list[str]:
    """The « consignes » sheet, naming the folder where the filled sheet is saved."""
    return [line.replace("{folder}", folder) for line in INSTRUCTIONS]


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
    return pd.DataFrame(rows, columns=["question", "code", "libellé", "définition", "exclusive"])


def _text_cell(ws, row: int, column: int, value: object, where: str):
    """A string cell, whatever the text: never a formula, never a number or a date once edited."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    illegal = ILLEGAL_CHARACTERS_RE.search(text)
    if illegal:
        raise InputError(f"{where!r}, row {row}: control character U+{ord(illegal.group()):04X} cannot be stored in "
                         "a spreadsheet cell; expected text without control characters (the cleaning step removes "
                         "them from answers)")
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=…" as a formula
    cell.number_format = TEXT_FORMAT
    return cell


def _fill(ws, frame: pd.DataFrame, headers: list[str], widths: list[int], where: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for column, header in enumerate(headers, start=1):
        _text_cell(ws, 1, column, header, where).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            _text_cell(ws, row, column, value, where)
    ws.freeze_panes = "A2"


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges: one range per block of a question's rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _add_validations(wb: Workbook, sheet: pd.DataFrame, codebooks: dict[str, Codebook], column: int) -> None:
    """A drop-down of the question's category codes on each row; typing "a;b" stays allowed."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = wb.create_sheet(LISTS_SHEET)
    coding = wb[CODING_SHEET]
    target = get_column_letter(column)
    for index, (question, book) in enumerate(codebooks.items(), start=1):
        letter = get_column_letter(index)
        ids = [c.id for c in book.active_categories]
        _text_cell(lists, 1, index, question, LISTS_SHEET)
        for row, cid in enumerate(ids, start=2):
            _text_cell(lists, row, index, cid, LISTS_SHEET)
        rows = [i + 2 for i, q in enumerate(sheet["question"]) if q == question]
        if not rows or not ids:
            continue
        validation = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${len(ids) + 1}",
                                    allow_blank=True, showErrorMessage=False, showInputMessage=True,
                                    promptTitle=FRENCH_HEADERS["categories"][:32],
                                    prompt=f"Codes de la question {question}"[:255])
        for first, last in _runs(rows):
            validation.add(f"{target}{first}:{target}{last}")
        coding.add_data_validation(validation)
    lists.sheet_state = "hidden"


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell of `width` characters needs (spreadsheets do not grow rows on opening a file)."""
    return sum(max(1, -(-len(part) // max(1, width - 2))) for part in text.split("\n"))


def _write_xlsx(sheet: pd.DataFrame, codebooks: dict[str, Codebook], path: Path,
                folder: str = DECISIONS_FOLDER) -> None:
    try:
        _build_xlsx(sheet, codebooks, path, folder)
    except InputError as exc:
        raise InputError(f"{path}, sheet {exc}") from None


def _build_xlsx(sheet: pd.DataFrame, codebooks: dict[str, Codebook], path: Path, folder: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    names = [name for name, _width in XLSX_LAYOUT]
    wb = Workbook()
    coding = wb.active
    coding.title = CODING_SHEET
    _fill(coding, sheet[names], [FRENCH_HEADERS[n] for n in names], [w for _n, w in XLSX_LAYOUT], CODING_SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    editable = PatternFill("solid", fgColor="FFF2CC")
    widths = dict(XLSX_LAYOUT)
    for row in coding.iter_rows(min_row=2):
        for cell, name in zip(row, names):
            cell.alignment = wrap if name in WRAPPED else Alignment(vertical="top")
            if name in EDITABLE:
                cell.fill = editable
        lines = max(_lines(str(cell.value or ""), widths[name]) for cell, name in zip(row, names) if name in WRAPPED)
        coding.row_dimensions[row[0].row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
    coding.page_setup.orientation = "landscape"  # printed: every column on the page's width
    coding.page_setup.fitToWidth, coding.page_setup.fitToHeight = 1, 0
    coding.sheet_properties.pageSetUpPr.fitToPage = True
    coding.print_title_rows = "1:1"
    _add_validations(wb, sheet, codebooks, names.index("categories") + 1)
    categories = _categories_frame(codebooks)
    _fill(wb.create_sheet(CATEGORIES_SHEET), categories, list(categories.columns), [18, 28, 40, 80, 10],
          CATEGORIES_SHEET)
    notes = wb.create_sheet(INSTRUCTIONS_SHEET)
    for row, line in enumerate(instructions(folder), start=1):
        _text_cell(notes, row, 1, line, INSTRUCTIONS_SHEET).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 120
    wb.active = 0
    with atomic_path(path) as tmp:
        wb.save(tmp)
        pin_office_file(tmp)


def write_coding_sheet(sheet: pd.DataFrame, codebooks: dict[str, Codebook], path: str | Path,
                       folder: str = DECISIONS_FOLDER) -> None:
    """Write the sheet as .csv (a decisions file once filled) or .xlsx (French, with drop-downs and instructions
    naming `folder`, where the wave's decisions are committed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        with atomic_path(path) as tmp:
            csvsafe.write_csv(sheet, tmp)
    elif path.suffix.lower() == ".xlsx":
        _write_xlsx(sheet, codebooks, path, folder)
    else:
        raise InputError(f"{path}: coding sheets are written as .csv or .xlsx")


KEPT_SHEETS = "filled_sheets"  # under a wave's decisions folder: coding sheets filled in results/ and kept


def keep_filled_sheet(sheet: str | Path, written_with: str | Path, decisions_folder: str | Path) -> Path | None:
    """Keep a coding sheet a coder filled where the pipeline wrote it, before a run replaces it.

    The README says to copy the sheet out of results/ first; a coder who forgets would lose the sitting when
    recode_wave runs again. A sheet saved after `written_with` (the answers to review, written by the same job)
    and holding at least one category is copied to `<decisions_folder>/filled_sheets/`, named by its content
    hash (a second run keeps nothing twice), and that copy is returned so the run can say where it is."""
    sheet, written_with = Path(sheet), Path(written_with)
    if not sheet.is_file() or not written_with.is_file():
        return None
    if sheet.stat().st_mtime <= written_with.stat().st_mtime + 1:
        return None
    try:
        filled = read_coding_sheet(sheet)
    except InputError:
        return None  # not a sheet we can read back: nothing a coder could add with `make decisions` either
    if not (filled["categories"].str.strip() != "").any():
        return None
    data = sheet.read_bytes()
    kept = Path(decisions_folder) / KEPT_SHEETS / f"{sheet.stem}-{hashlib.sha256(data).hexdigest()[:12]}.xlsx"
    if not kept.exists():
        atomic_write_bytes(kept, data)
    return kept


def _cell_text(value: object) -> str:
    """What the coder sees in a cell, as text (a number Excel stored as a number loses no digit)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def read_coding_sheet(path: str | Path) -> pd.DataFrame:
    """Rows of a filled XLSX coding sheet, every cell as text, columns named as in a decisions file.

    Formulas are read as typed ("=…"), not evaluated."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        if CODING_SHEET not in wb.sheetnames:
            raise InputError(f"{path}: no sheet named {CODING_SHEET!r} (sheets: {', '.join(wb.sheetnames)})")
        rows = list(wb[CODING_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [canonical_header(_cell_text(h)) for h in rows[0]] if rows else []
    missing = [FRENCH_HEADERS[c] for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{path}: sheet {CODING_SHEET!r}, row 1: missing column(s) "
                         f"{', '.join(repr(m) for m in missing)}; expected the headers the sheet was written with")
    data = [[_cell_text(v) for v in row] + [""] * (len(header) - len(row)) for row in rows[1:]]
    return pd.DataFrame([row[:len(header)] for row in data], columns=header)


def coding_sheet_to_decisions(xlsx_path: str | Path, csv_path: str | Path,
                              codebooks: dict[str, Codebook]) -> list[Decision]:
    """Merge the coded rows of a filled XLSX sheet into the decisions CSV `csv_path`, then read it back (validated).

    The coder's file is never replaced: its decisions, their `citation` marks and any other column stay;
    a row of the sheet adds a decision, or changes one (its previous value goes to the `history` column);
    converting the same sheet twice changes nothing (see decisions.merge_into). The sheet's rows are checked
    first (unknown category, edited answer…): on a problem, nothing is written and the message names the
    sheet's rows. Cells that a spreadsheet would take for formulas are written with a leading quote."""
    return convert_coding_sheet(xlsx_path, csv_path, codebooks)[0]


def convert_coding_sheet(xlsx_path: str | Path, csv_path: str | Path,
                         codebooks: dict[str, Codebook]) -> tuple[list[Decision], MergeReport]:
    """`coding_sheet_to_decisions`, with what the merge did (added, changed, unchanged)."""
    frame = read_coding_sheet(xlsx_path)
    where = f"{xlsx_path}, sheet {CODING_SHEET!r}"
    coded, problems = [], []
    for position, row in enumerate(frame.to_dict("records")):
        if not str(row.get("categories", "")).strip():
            continue
        _decision, row_problems = _parse_row(row, where, position + 2, codebooks, False)
        problems += [p.replace(f"{where}, line ", f"{where}, row ") for p in row_problems]
        coded.append({c: row.get(c, "") for c in COLUMNS + [CITATION_COLUMN]})
    if problems:
        raise DecisionError(problems + [f"nothing was written to {csv_path}"])
    report = merge_into(csv_path, coded)
    return read_decisions(csv_path, codebooks), report
