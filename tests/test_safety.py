"""Issue N, no harm: nothing a user types or receives runs, and no user data is ever lost.

Each test names the case of the issue it covers; each failed on main 36a2e79."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from surveykit.errors import InputError
from surveykit.io import atomic_path, atomic_write_text
from surveykit.recoding import answer_hash, code_wave, coding_sheet, load_codebooks, read_decisions, write_coding_sheet
from surveykit.recoding.sheet import coding_sheet_to_decisions, convert_coding_sheet

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ROOT / "data" / "studies" / "tele_expertise_cpts" / "categories"
PYTHON = sys.executable


@pytest.fixture(scope="module")
def books():
    return load_codebooks(CATEGORIES)


# ---------------------------------------------------------------- atomic writes

def test_a_failed_atomic_write_leaves_the_old_file_byte_identical(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"studies: # mine\n  a: {folder: x}\n")
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("studies:\n", encoding="utf-8")
            raise RuntimeError("disk full halfway")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml"]  # no temporary file left behind


def test_atomic_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and (path.stat().st_mode & 0o777) == 0o640


SIZE_LIMITED_WRITE = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
from surveykit.io import atomic_write_text
atomic_write_text(sys.argv[1], "x" * 5000)
"""


def test_a_file_size_limit_during_an_atomic_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("waves: {}\n# a comment\n", encoding="utf-8")
    before = path.read_bytes()
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([PYTHON, "-c", SIZE_LIMITED_WRITE, str(path)], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "File too large" in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


# ---------------------------------------------------------------- decisions merged, never replaced

def responses(rows: list[dict]) -> pd.DataFrame:
    columns = ["plateforme", "role_tle", "role_tle_autre", "autres_freins", "favoriserait", "leviers"]
    return pd.DataFrame([{"respondent_id": f"R{i + 2:05d}", **{c: "" for c in columns}, **row}
                         for i, row in enumerate(rows)])


def filled_sheet(tmp_path: Path, books, answers: dict[str, str], rationale: str = "vu") -> Path:
    """An XLSX coding sheet of `answers` (text -> code of question leviers), filled in as a coder would."""
    frame = responses([{"leviers": text} for text in answers])
    path = tmp_path / "coding_sheet.xlsx"
    write_coding_sheet(coding_sheet(code_wave(frame, books, []).to_review, books, coder="bd"), books, path)
    wb = load_workbook(path)
    ws = wb["codage"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=3).value = answers[ws.cell(row=row, column=2).value]
        ws.cell(row=row, column=5).value = rationale
    wb.save(path)
    return path


def existing_decisions(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """A coder's file with a citation column, as the README lets coders write it."""
    lines = ["question,answer_hash,answer,categories,coder,rationale,citation"]
    lines += [f"leviers,{answer_hash(text)},{text},{code},bd,ancienne,{cite}" for text, code, cite in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_converting_a_sheet_adds_to_the_coders_file_and_keeps_citations(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui"), ("Autre déjà codé", "sceptiques", "non")])
    sheet = filled_sheet(tmp_path, books, {"Nouvelle réponse": "sceptiques"})
    decisions = coding_sheet_to_decisions(sheet, main, books)
    by_answer = {d.answer: d for d in decisions}
    assert set(by_answer) == {"Déjà codé", "Autre déjà codé", "Nouvelle réponse"}
    assert (by_answer["Déjà codé"].citation, by_answer["Autre déjà codé"].citation) == ("oui", "non")
    text = main.read_text(encoding="utf-8")
    assert text.startswith("question,answer_hash,answer,categories,coder,rationale,citation\n")
    assert text.splitlines()[1:3] == [f"leviers,{answer_hash('Déjà codé')},Déjà codé,sceptiques,bd,ancienne,oui",
                                      f"leviers,{answer_hash('Autre déjà codé')},Autre déjà codé,sceptiques,bd,"
                                      "ancienne,non"]


def test_a_changed_decision_keeps_its_previous_value_and_converting_twice_changes_nothing(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    other = next(c.id for c in books["leviers"].active_categories if c.id != "sceptiques"
                 and not books["leviers"].is_exclusive(c.id))
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    sheet = filled_sheet(tmp_path, books, {"Déjà codé": other}, rationale="relu")
    _decisions, report = convert_coding_sheet(sheet, main, books)
    assert (report.added, report.changed) == (0, 1)
    once = main.read_bytes()
    (decided,) = read_decisions(main, books)
    assert decided.categories == (other,) and decided.citation == "oui" and decided.rationale == "relu"
    written = pd.read_csv(main, dtype=str, keep_default_na=False)
    assert written.loc[0, "history"] == "sceptiques (bd: ancienne)"
    _decisions, report = convert_coding_sheet(sheet, main, books)
    assert (report.added, report.changed, report.unchanged) == (0, 0, 1)
    assert main.read_bytes() == once


def test_decisions_written_from_a_sheet_are_guarded_against_formulas(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    sheet = filled_sheet(tmp_path, books, {"=1+1 (r113)": "sceptiques", "@SUM(A1:A3)": "sceptiques"},
                         rationale="-raison")
    decisions = coding_sheet_to_decisions(sheet, main, books)
    cells = pd.read_csv(main, dtype=str, keep_default_na=False)
    assert sorted(cells["answer"]) == ["'=1+1 (r113)", "'@SUM(A1:A3)"] and set(cells["rationale"]) == {"'-raison"}
    assert sorted(d.answer for d in decisions) == ["=1+1 (r113)", "@SUM(A1:A3)"]  # read back as typed
    assert {d.rationale for d in decisions} == {"-raison"}


def test_a_sheet_with_an_unknown_code_writes_nothing_and_names_the_sheet_row(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    before = main.read_bytes()
    sheet = filled_sheet(tmp_path, books, {"Nouvelle": "code_inconnu"})
    with pytest.raises(InputError, match=r"coding_sheet\.xlsx, sheet 'codage', row 2: unknown category 'code_inconnu'"):
        coding_sheet_to_decisions(sheet, main, books)
    assert main.read_bytes() == before


def test_a_merge_that_fails_while_writing_leaves_the_coders_file(tmp_path, books, monkeypatch):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    before = main.read_bytes()
    sheet = filled_sheet(tmp_path, books, {"Nouvelle réponse": "sceptiques"})
    real_replace = os.replace

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        coding_sheet_to_decisions(sheet, main, books)
    monkeypatch.setattr(os, "replace", real_replace)
    assert main.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bd_main.csv", "coding_sheet.xlsx"]


def test_a_decisions_file_saved_by_french_excel_in_windows_1252_is_read(tmp_path, books):
    text = "Délai de réponse trop long"
    path = tmp_path / "bd_main.csv"
    path.write_bytes(("question;empreinte de la réponse;réponse;catégories;codeur;justification\r\n"
                      f"leviers;{answer_hash(text)};{text};sceptiques;bd;évident\r\n").encode("cp1252"))
    (decided,) = read_decisions(path, books)
    assert (decided.answer, decided.rationale) == (text, "évident")


def test_a_decisions_file_mixing_two_encodings_is_refused_with_the_fix(tmp_path, books):
    path = tmp_path / "bd_main.csv"
    path.write_bytes("question,answer_hash,answer,categories,coder,rationale\nleviers,abc,Déjà,x,bd,\n".encode()
                     + b"leviers,abd,D\xe9j\xe0,x,bd,\n")
    with pytest.raises(InputError, match=r"bd_main\.csv, line 3: byte 0xe9 is not UTF-8.*CSV UTF-8"):
        read_decisions(path, books)
