"""Tables for a spreadsheet: tableaux.xlsx (a sheet per table, numbers as numbers, text never a formula, the same bytes
at every run) and the `;` CSV copies French Excel opens as they are; both opened by LibreOffice Calc when present."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from surveykit.analysis.workbook import french_number, numeric_columns, sheet_names, write_tables_workbook
from surveykit.core import fmt
from surveykit.core.io import write_csv, write_excel_csv

TABLES = {
    "tableau_1": {
        "title": "Caractéristiques des médecins interrogés",
        "columns": ["Caractéristique", "Modalité", "n (%)", "Valeur de p", "Effectif"],
        "rows": [["Genre", "Femme", "22 (56,4\u00a0%)", "0,0065", f"12{fmt.NNBSP}345"],
                 ["", "Homme", "17 (43,6\u00a0%)", "<\u00a00,001", "−3"],
                 ["Âge", "=1+1", "@SUM(A1)", "", "7"],
                 ["Déjà codé", "10", "-1,5", "", "0"]],
        "footnote": "Test exact de Fisher.\nPourcentages des répondants (n\u00a0=\u00a039).",
    },
    "un_identifiant_de_tableau_beaucoup_trop_long_pour_excel": {
        "title": "Part", "columns": ["Item", "Part"], "rows": [["Réseau", "56,4\u00a0%"], ["Téléphone", "100\u00a0%"]],
        "footnote": "",
    },
}


@pytest.mark.parametrize("text, value, pattern", [
    ("12\u202f345", 12345, "#,##0"), ("12 345,6", 12345.6, "#,##0.0"), ("0,0065", 0.0065, "#,##0.0000"),
    ("56,4\u00a0%", 0.564, '#,##0.0"\u00a0"%'), ("100\u00a0%", 1.0, '#,##0"\u00a0"%'), ("−3", -3, "#,##0"),
    ("7", 7, "#,##0"),
])
def test_a_french_number_is_read_with_its_decimals(text, value, pattern):
    parsed = french_number(text)
    assert parsed is not None and parsed[0] == pytest.approx(value) and parsed[1] == pattern


@pytest.mark.parametrize("text", ["22 (56,4\u00a0%)", "<\u00a00,001", "5,7 ± 2,9", "12 34", "1,2,3", "=1+1", "", "n = 3"])
def test_other_cells_are_not_numbers(text):
    assert french_number(text) is None


def test_thousands_are_separated_by_a_narrow_no_break_space_in_french_numbers():
    assert fmt.number(12345.6) == "12\u202f345,6"
    assert fmt.number(-1234567.891, 2) == "\u22121\u202f234\u202f567,89"
    assert fmt.number(99999.94) == "99\u202f999,9" and fmt.number(100000, 0) == "100\u202f000"
    # Four digits stay whole (French typography allows it; a year is never split).
    assert fmt.number(2004, 0) == "2004" and fmt.number(1234.5) == "1234,5"
    assert fmt.percent(100.0) == "100\u00a0%" and fmt.count_percent(12345, 56.4) == "12\u202f345 (56,4\u00a0%)"
    assert fmt.n_equals(10000) == "n\u00a0=\u00a010\u202f000" and fmt.integer(999) == "999"
    assert fmt.mean_sd(12345.5, 2.25) == "12\u202f345,5\u00a0±\u00a02,2"


def test_only_columns_of_numbers_become_numbers():
    table = TABLES["tableau_1"]
    assert numeric_columns(table["columns"], table["rows"]) == {3, 4}  # p (with "< 0,001") and counts
    names = sheet_names(["a" * 32, "a" * 33, "b"])
    assert names == {"a" * 32: "a" * 31, "a" * 33: "a" * 29 + "~2", "b": "b"}


def test_the_workbook_has_a_sheet_per_table_with_title_notes_numbers_and_text(tmp_path):
    path = tmp_path / "tableaux.xlsx"
    write_tables_workbook(TABLES, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["tableau_1", "un_identifiant_de_tableau_beauc"]
    sheet = book["tableau_1"]
    assert sheet["A1"].value == "Caractéristiques des médecins interrogés"
    assert [c.value for c in sheet[3]] == TABLES["tableau_1"]["columns"]
    assert sheet["D4"].value == pytest.approx(0.0065) and sheet["D4"].number_format == "#,##0.0000"
    assert sheet["E4"].value == 12345 and sheet["E4"].number_format == "#,##0"
    assert sheet["E5"].value == -3 and sheet["D5"].value == "<\u00a00,001" and sheet["D5"].data_type == "s"
    assert sheet["C4"].value == "22 (56,4\u00a0%)" and sheet["C4"].data_type == "s"
    assert sheet["B6"].value == "=1+1" and sheet["B6"].data_type == "s"  # text, never a formula
    assert sheet["C6"].value == "@SUM(A1)" and sheet["C6"].data_type == "s"
    assert sheet["B7"].value == "10" and sheet["B7"].data_type == "s"  # a level in a column of labels stays text
    assert [sheet["A9"].value, sheet["A10"].value] == ["Test exact de Fisher.",
                                                      "Pourcentages des répondants (n\u00a0=\u00a039)."]
    share = book["un_identifiant_de_tableau_beauc"]["B4"]
    assert share.value == pytest.approx(0.564) and share.number_format == '#,##0.0"\u00a0"%'
    with __import__("zipfile").ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere


def test_the_workbook_is_the_same_bytes_at_every_run(tmp_path):
    write_tables_workbook(TABLES, tmp_path / "a.xlsx")
    time.sleep(1.1)  # a ZIP entry's time has a two-second resolution; the core properties one second
    write_tables_workbook(TABLES, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_the_excel_csv_is_semicolon_separated_utf8_with_a_bom(tmp_path):
    frame = pd.DataFrame(TABLES["tableau_1"]["rows"], columns=TABLES["tableau_1"]["columns"])
    write_excel_csv(frame, tmp_path / "t.excel.csv")
    raw = (tmp_path / "t.excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfCaract\xc3\xa9ristique;Modalit\xc3\xa9;n (%);Valeur de p;Effectif\r\n")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[3][1] == "'=1+1" and rows[3][2] == "'@SUM(A1)" and rows[4][2] == "-1,5"  # guarded, as every CSV


# ---------------------------------------------------------------------------------------- LibreOffice Calc

def _soffice(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "lo-profile"  # its own profile: never the user's, never another run's
    return subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           *arguments], capture_output=True, text=True, timeout=180, cwd=tmp_path)


@pytest.fixture(scope="module")
def calc(tmp_path_factory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make test` installs it where apt is usable")
    probe = tmp_path_factory.mktemp("calc")
    book = openpyxl.Workbook()
    book.active["A1"] = "é"
    book.save(probe / "probe.xlsx")
    result = _soffice(probe, "--convert-to", "csv", "--outdir", str(probe / "out"), str(probe / "probe.xlsx"))
    if not (probe / "out" / "probe.csv").is_file():
        pytest.skip("LibreOffice Calc is not installed (soffice cannot open an .xlsx: "
                    f"{(result.stderr or result.stdout).strip()[-200:]}); `make test` installs libreoffice-calc-nogui")
    return probe


# UTF-8, values as shown (token 9), every sheet to its own file (token 12: -1)
CSV_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _same(original: str, shown: str) -> bool:
    """A text cell exactly (accents included); a number by its digits (Calc shows it in its own locale)."""
    if re.search(r"[^\W\d_]", original):
        return original == shown
    digits = lambda text: re.sub(r"[^\d%]", "", text)  # noqa: E731
    return digits(original) == digits(shown)


def test_libreoffice_opens_the_workbook_with_the_right_columns_and_accents(calc, tmp_path):
    write_tables_workbook(TABLES, tmp_path / "tableaux.xlsx")
    _soffice(tmp_path, "--convert-to", CSV_EXPORT, "--outdir", str(tmp_path / "out"), str(tmp_path / "tableaux.xlsx"))
    for table, name in sheet_names(list(TABLES)).items():
        exported = tmp_path / "out" / f"tableaux-{name}.csv"
        assert exported.is_file(), sorted(p.name for p in (tmp_path / "out").iterdir())
        rows = list(csv.reader(exported.read_text(encoding="utf-8").splitlines()))
        assert rows[0][0] == TABLES[table]["title"]
        assert rows[2][:len(TABLES[table]["columns"])] == TABLES[table]["columns"]
        for expected, shown in zip(TABLES[table]["rows"], rows[3:]):
            assert all(_same(e, s) for e, s in zip(expected, shown)), (expected, shown)


def test_libreoffice_reads_the_semicolon_csv_with_the_right_columns_and_accents(calc, tmp_path):
    frame = pd.DataFrame(TABLES["tableau_1"]["rows"], columns=TABLES["tableau_1"]["columns"])
    write_excel_csv(frame, tmp_path / "tableau_1.excel.csv")
    write_csv(frame, tmp_path / "tableau_1.csv")
    # As French Excel opens a double-clicked CSV: `;` between cells, the encoding from the byte order mark.
    _soffice(tmp_path, "--infilter=CSV:59,34,76,1,,1036", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
             "--outdir", str(tmp_path / "out"), str(tmp_path / "tableau_1.excel.csv"))
    shown = list(csv.reader((tmp_path / "out" / "tableau_1.excel.csv").read_text(encoding="utf-8").splitlines()))
    plain = list(csv.reader((tmp_path / "tableau_1.csv").read_text(encoding="utf-8").splitlines()))
    assert shown[0] == plain[0] == TABLES["tableau_1"]["columns"]
    assert len(shown) == len(plain) and all(len(s) == len(p) for s, p in zip(shown, plain))
    for expected, row in zip(plain[1:], shown[1:]):
        assert all(_same(e, s) for e, s in zip(expected, row)), (expected, row)
