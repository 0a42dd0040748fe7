"""Shared fixtures: repository paths and the hand-made export covering every question type and branch."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from surveykit.questionnaire.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CODEBOOK = ROOT / "data" / "studies" / "tele_expertise_cpts" / "codebook.yaml"
SMALL_EXPORT = FIXTURES / "export_small.csv"


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(CODEBOOK)


@pytest.fixture()
def small_rows() -> list[list[str]]:
    """The hand-made export as a list of records (header first), to derive variants from."""
    with SMALL_EXPORT.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def write_workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """An .xlsx file with these sheets, in this order (no default sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def word_fields(paragraph) -> list[tuple[str, str]]:
    """(instruction, cached result) of each complex field (`SEQ Tableau …`) of a python-docx paragraph."""
    from docx.oxml.ns import qn

    found, instruction, result, state = [], "", "", None
    for run in paragraph._p.iter(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        if char is not None:
            kind = char.get(qn("w:fldCharType"))
            if kind == "begin":
                instruction, result, state = "", "", "instr"
            elif kind == "separate":
                state = "result"
            else:
                found.append((instruction.strip(), result))
                state = None
            continue
        if state == "instr":
            instruction += "".join(t.text for t in run.iter(qn("w:instrText")))
        elif state == "result":
            result += "".join(t.text for t in run.iter(qn("w:t")))
    return found


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The whole pipeline run once, on a scratch copy of the project with its configured waves."""
    from pipeline_helpers import make_project, snakemake

    project = make_project(tmp_path_factory.mktemp("built"))
    snakemake(project)
    return project
