"""A study folder is validated before anything runs: an entry that cannot be computed is refused, named.

Also: derived variables, timestamps as exports really write them, and the study loader."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from surveykit.analysis.plan import load_plan
from surveykit.core.errors import InputError
from surveykit.figures.spec import load_figures
from surveykit.project.study import load_study
from surveykit.questionnaire.codebook import derive, load_codebook
from surveykit.questionnaire.forms.timestamps import parse_date, parse_timestamps

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "studies" / "outils_sante"
THESIS = ROOT / "data" / "studies" / "tele_expertise_cpts"


@pytest.fixture()
def study(tmp_path) -> Path:
    """A writable copy of the fixture study folder."""
    target = tmp_path / "outils_sante"
    shutil.copytree(FIXTURE, target)
    return target


def _edit(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _table(data: dict, table_id: str) -> dict:
    return next(t for t in data["tables"] if t["id"] == table_id)


def test_both_bundled_study_folders_load():
    for name, folder in (("outils_sante", FIXTURE), ("tele_expertise_cpts", THESIS)):
        study = load_study(name, folder)
        assert study.table_ids and study.figures and study.open_questions


# ---------------------------------------------------------------- codebook


def test_two_questions_on_one_header_are_refused(study):
    _edit(study / "codebook.yaml", lambda d: d["questions"][1].update(header=d["questions"][0]["header"]))
    with pytest.raises(InputError, match=r"question 1 \(profession\) and question 2 \(exercice\) have the same export "
                                         r"header 'Quelle est votre profession \?'"):
        load_codebook(study / "codebook.yaml")


def test_bins_must_increase(study):
    def edit(d):
        d["derived"][1]["bins"][1]["max"] = 5
    _edit(study / "codebook.yaml", edit)
    with pytest.raises(InputError, match="derived variable 'anciennete_classe': bins: give increasing `max`"):
        load_codebook(study / "codebook.yaml")


def test_reverse_needs_a_scale(study):
    _edit(study / "codebook.yaml", lambda d: d["derived"][2].update({"from": "exercice"}))
    with pytest.raises(InputError, match="`reverse` applies to a scale question; 'exercice' is single"):
        load_codebook(study / "codebook.yaml")


def test_regroup_must_place_every_level_once(study):
    def edit(d):
        d["derived"][0]["regroup"]["Autres professionnels"].remove("Pharmacien(ne)")
    _edit(study / "codebook.yaml", edit)
    with pytest.raises(InputError, match=r"every level of 'profession' belongs to exactly one group; "
                                         r"\['Pharmacien\(ne\)'\] in no group"):
        load_codebook(study / "codebook.yaml")


def test_derive_computes_each_kind():
    book = load_codebook(FIXTURE / "codebook.yaml")
    assert derive(book.question("profession_groupe"), "Kinésithérapeute") == "Autres professionnels"
    assert [derive(book.question("anciennete_classe"), v) for v in (9, 10, 25, 26)] == [
        "Moins de 10 ans", "De 10 à 25 ans", "De 10 à 25 ans", "Plus de 25 ans"]
    assert derive(book.question("impact_inverse"), 1) == 5
    assert book.question("impact_inverse").anchors == {"low": "très positif", "high": "très négatif"}
    assert derive(book.question("teleconsultation"), "Logiciel métier; Téléconsultation") == "Oui"
    assert derive(book.question("teleconsultation"), "Logiciel métier") == "Non"
    assert derive(book.question("profession_groupe"), None) is None


# ---------------------------------------------------------------- analysis plan


@pytest.mark.parametrize("edit,message", [
    (lambda d: _table(d, "outils_par_profession").update(by="outils"),
     "`by: outils` must be a single-choice variable .possibly derived.; it is a multi-response question"),
    (lambda d: _table(d, "participants").update(kind="scores"),
     "a scores table cannot show 'profession' .categorical variable of type single."),
    (lambda d: _table(d, "impact").update(variables=["exercice"]),
     "a summary table cannot show 'exercice'"),
    (lambda d: _table(d, "satisfaction_par_anciennete").update(test="wilcoxon"),
     "test 'wilcoxon' does not fit a scores table by 'anciennete_classe' .3 groups."),
    (lambda d: _table(d, "outils_par_profession").update(test="kruskal"),
     "test 'kruskal' does not fit a categorical table"),
    (lambda d: _table(d, "participants").update(variables=["commentaires"]),
     "a categorical table cannot show 'commentaires' .text variable"),
    (lambda d: _table(d, "satisfaction").update(grid="outils"),
     "grid 'outils' is not a grid question"),
    (lambda d: _table(d, "participants").update(test="fisher"),
     "test 'fisher' needs `by`"),
])
def test_plan_entries_that_cannot_be_computed_are_refused(study, edit, message):
    _edit(study / "analysis_plan.yaml", edit)
    book = load_codebook(study / "codebook.yaml")
    with pytest.raises(InputError, match=message) as error:
        load_plan(study / "analysis_plan.yaml", book)
    assert str(study / "analysis_plan.yaml") in str(error.value) and ": table " in str(error.value)


def test_figures_are_checked_against_the_plan(study):
    _edit(study / "figures.yaml", lambda d: d["figures"][1].update(table="satisfaction"))
    book = load_codebook(study / "codebook.yaml")
    plan = load_plan(study / "analysis_plan.yaml", book)
    with pytest.raises(InputError, match="figure outils: a bars figure is drawn from a categorical table; "
                                         "'satisfaction' is a scores table"):
        load_figures(study / "figures.yaml", book, plan)


def test_every_open_question_needs_its_category_codebook(study):
    (study / "categories" / "commentaires.yaml").unlink()
    with pytest.raises(InputError, match="no category codebook for the open question.s. commentaires; expected one "
                                         "file per open question, e.g. categories/commentaires.yaml"):
        load_study("outils_sante", study)


# ---------------------------------------------------------------- timestamps


@pytest.mark.parametrize("texts,dates,order", [
    (["19/12/2024 14:32:05", "03/01/2025 09:00:00"], [(2024, 12, 19), (2025, 1, 3)], "day-first"),
    (["19/12/2024 14:32", "3/1/2025 9:00"], [(2024, 12, 19), (2025, 1, 3)], "day-first"),
    (["2024/11/04 17:22:46 UTC+1", "2024/11/05 08:01:00 UTC+01:00"], [(2024, 11, 4), (2024, 11, 5)], "year-first"),
    (["11/4/2024 5:22:46 PM GMT+1", "11/13/2024 9:01:02 AM GMT+1"], [(2024, 11, 4), (2024, 11, 13)], "month-first"),
    (["12/19/2024 14:32:05", "1/3/2025 09:00:00"], [(2024, 12, 19), (2025, 1, 3)], "month-first"),
    (["2024-11-04T17:22:46+01:00", "2024-11-04 17:22 CET"], [(2024, 11, 4), (2024, 11, 4)], "year-first"),
    (["04/11/2024", "05/11/2024 10:00:00 CEST"], [(2024, 11, 4), (2024, 11, 5)], "day-first"),
])
def test_timestamps_as_exports_write_them(texts, dates, order):
    parsed = parse_timestamps(texts)
    assert parsed.dates == [dt.date(*d) for d in dates]
    assert parsed.order == order


def test_undecidable_order_is_reported():
    parsed = parse_timestamps(["04/11/2024 10:00:00", "05/11/2024 10:00:00"])
    assert parsed.dates == [dt.date(2024, 11, 4), dt.date(2024, 11, 5)]
    assert "cannot be decided from the column" in parsed.note and "day first assumed" in parsed.note
    english = parse_timestamps(["4/11/2024 10:00:00 AM", "5/11/2024 10:00:00 PM"])
    assert english.order == "month-first" and "AM/PM" in english.note


def test_not_a_timestamp():
    parsed = parse_timestamps(["le 19 décembre", "", "31/02/2024 10:00:00", "2024/11/04 25:00:00"])
    assert parsed.dates == [None, None, None, None]
    assert parse_date("2024-11-04") == dt.date(2024, 11, 4)
