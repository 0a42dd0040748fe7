"""Multi-response denominators (`denominator: asked | answered` in the codebook): counts, percentages,
per-option tests and the table's footnote all use the one the author chose."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from surveykit.analysis.describe import ALL, MISSING_LABEL
from surveykit.analysis.format import format_table
from surveykit.analysis.plan import load_plan
from surveykit.analysis.run import run_plan
from surveykit.core.errors import InputError
from surveykit.questionnaire.codebook import load_codebook

CODEBOOK = """study: denominateurs
title: "Outils"
timestamp: {{headers: ["Horodateur"]}}
questions:
  - {{id: site, number: 1, type: single, required: true, header: "Site ?",
     options: [{{raw: "X", label: "X"}}, {{raw: "Y", label: "Y"}}], levels: ["X", "Y"]}}
  - {{id: outils, number: 2, type: checkbox, required: false, header: "Quels outils ?", {denominator}
     options: [{{raw: "A", label: "A"}}, {{raw: "B", label: "B"}}], levels: ["A", "B"]}}
"""
PLAN = """tables:
  - {id: outils, title: "Outils", kind: categorical, variables: [outils]}
  - {id: outils_site, title: "Outils selon le site", kind: categorical, by: site, variables: [outils], test: fisher}
"""
# Six respondents, all asked; two ticked nothing (the third and the fifth).
RESPONSES = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(1, 7)], "site": ["X", "X", "X", "Y", "Y", "Y"],
                          "outils": ["A; B", "A", "", "B", "", "A"]})


def analysed(tmp_path: Path, denominator: str):
    (tmp_path / "codebook.yaml").write_text(CODEBOOK.format(denominator=denominator), encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yaml")
    plan = load_plan(tmp_path / "plan.yaml", book)
    result = run_plan(RESPONSES, book, plan, seed=1)
    return book, plan, result


def cells(result, table: str) -> dict:
    tidy = result.tables[table]
    return {(r.level, r.group): (r.n, r.denominator, r.pct) for r in tidy.itertuples()}


@pytest.mark.parametrize("written", ["", "denominator: asked,"])
def test_asked_is_the_default_every_respondent_asked(tmp_path, written):
    book, plan, result = analysed(tmp_path, written)
    got = cells(result, "outils")
    assert got[("A", ALL)] == (3, 6, 50.0) and got[("B", ALL)][:2] == (2, 6)
    assert (MISSING_LABEL, ALL) not in got  # none ticked is « non »
    tests = result.tests.set_index("level")
    assert list(tests["n"]) == [6, 6]
    _table, note = format_table(plan.table("outils"), plan, book, result.tables["outils"], result.tests)
    assert "chaque option est comptée parmi les répondants à qui la question était posée" in note


def test_answered_counts_only_those_who_ticked_an_option(tmp_path):
    book, plan, result = analysed(tmp_path, "denominator: answered,")
    got = cells(result, "outils")
    assert got[("A", ALL)] == (3, 4, 75.0) and got[("B", ALL)] == (2, 4, 50.0)
    assert got[(MISSING_LABEL, ALL)][:2] == (2, 4)  # those asked who ticked none are missing answers
    by_site = cells(result, "outils_site")
    assert by_site[("A", "X")] == (2, 2, 100.0) and by_site[("A", "Y")] == (1, 2, 50.0)
    tests = result.tests.set_index("level")
    assert list(tests["n"]) == [4, 4]  # the per-option tests are on the same four respondents
    # option A: ticked 2/2 at X, 1/2 at Y → Fisher's exact p = 1 (hypergeometric 3 of 4, 2 drawn)
    assert tests.loc["A", "p_value"] == pytest.approx(1.0)
    table, note = format_table(plan.table("outils"), plan, book, result.tables["outils"], result.tests)
    assert ("chaque option est comptée parmi les répondants ayant coché au moins une option (les autres sont "
            "comptés comme non renseignés)") in note
    assert "Réponses non renseignées : Quels outils ?" in note
    assert "3 (75\u00a0%)" in table.to_csv()


def test_denominator_is_refused_on_a_question_that_is_not_multi_response(tmp_path):
    text = CODEBOOK.format(denominator="").replace(
        'type: single, required: true, header: "Site ?",', 'type: single, required: true, header: "Site ?", '
        'denominator: answered,')
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"question 1 \(site\): `denominator` applies to a checkbox"):
        load_codebook(tmp_path / "codebook.yaml")
