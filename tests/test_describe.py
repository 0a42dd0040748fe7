"""Descriptive tables: denominators without missing answers, R's SD, quantiles and t interval."""
import math

import pandas as pd
import pytest

from surveykit.analysis.describe import MISSING_LABEL, categorical_rows, numeric_summary, rank_rows


def test_missing_answers_are_counted_but_not_in_the_denominator():
    frame = pd.DataFrame({"genre": ["Femme", "Homme", "Femme", ""]})
    rows = {r["level"]: r for r in categorical_rows(frame, "genre", ["Femme", "Homme", "Non genré"])}
    assert rows["Femme"]["n"] == 2 and rows["Femme"]["denominator"] == 3
    assert rows["Femme"]["pct"] == pytest.approx(200 / 3)
    assert rows["Non genré"]["n"] == 0 and rows["Non genré"]["pct"] == 0
    assert rows[MISSING_LABEL]["n"] == 1 and math.isnan(rows[MISSING_LABEL]["pct"])


def test_by_group_rows_use_each_group_as_denominator():
    frame = pd.DataFrame({"age": ["a", "b", "a", "a"], "cpts": ["X", "X", "Y", "Y"]})
    rows = categorical_rows(frame, "age", ["a", "b"], "cpts", ["X", "Y"])
    cell = {(r["level"], r["group"]): (r["n"], r["pct"]) for r in rows}
    assert cell[("a", "X")] == (1, 50.0) and cell[("a", "Y")] == (2, 100.0)


def test_multi_response_counts_each_ticked_option_among_those_asked():
    # Four respondents were asked (the third ticked nothing: a "no" to every option), the fifth was not.
    frame = pd.DataFrame({"role": ["A; Autre", "A", "", "B", ""], "user": ["Oui", "Oui", "Oui", "Oui", "Non"]})
    asked = frame["user"] == "Oui"
    rows = {r["level"]: r for r in categorical_rows(frame, "role", ["A", "B", "Autre"], asked=asked)}
    assert (rows["A"]["n"], rows["Autre"]["n"], rows["B"]["n"]) == (2, 1, 1)
    assert {r["denominator"] for r in rows.values()} == {4}
    assert rows["A"]["pct"] == 50.0
    assert MISSING_LABEL not in rows  # not asked is not "missing"; none ticked is "no"


def test_numeric_summary_matches_r():
    summary = numeric_summary(pd.Series([1, 2, 3, 4]))
    assert summary["mean"] == 2.5
    assert summary["sd"] == pytest.approx(1.29099444873581, rel=1e-12)  # R: sd(c(1,2,3,4))
    # R: t.test(c(1,2,3,4))$conf.int
    assert summary["ci_low"] == pytest.approx(0.445739743239479, rel=1e-10)
    assert summary["ci_high"] == pytest.approx(4.554260256760521, rel=1e-10)
    five = numeric_summary(pd.Series([1, 2, 3, 4, 10, None]))
    assert (five["q1"], five["median"], five["q3"]) == (2, 3, 4)  # R: quantile(c(1,2,3,4,10))
    assert five["missing"] == 1 and five["n"] == 5


def test_rank_rows_count_who_gave_each_rank():
    frame = pd.DataFrame({"fax": [5, 5, None, 1], "mail": [1, None, 1, 2], "g": ["U", "U", "U", "N"]})
    rows = rank_rows(frame, ["fax", "mail"], [1, 5], "g", ["U", "N"])
    cell = {(r["variable"], r["level"], r["group"]): (r["n"], r["denominator"]) for r in rows}
    assert cell[("fax", "5", "U")] == (2, 3)
    assert cell[("mail", "1", "U")] == (2, 3)
    assert cell[("fax", "1", "N")] == (1, 1)
