"""surveykit.stats.choice: the decision rules, their French reasons, and R's p-values.

The decisions are checked against R's own inputs to the rule (expected counts
from ``chisq.test``, Shapiro-Wilk p-values from ``shapiro.test``), and the
p-value of the chosen test against R's (tests/r_reference/stats_reference.json),
to 1e-8 relative.
"""
from __future__ import annotations

import numpy as np
import pytest
from stats_reference_helpers import assert_r, case, cases, num, vec

from surveykit.core import fmt
from surveykit.stats import choice


def _normal_in_every_group(shapiro_ps: list) -> str:
    ok = all(p is not None and not np.isnan(num(p)) and num(p) >= 0.05 for p in shapiro_ps)
    return ok


@pytest.mark.parametrize("ref", cases("choice_table"))
def test_categorical_choice_follows_expected_counts(ref):
    v = ref["values"]
    res = choice.choose_categorical(ref["inputs"]["table"])
    assert res.checks["n_below"] == v["n_below_5"]
    assert res.checks["n_cells"] == v["n_cells"]
    assert_r(res.checks["min_expected"], v["min_expected"], what="min expected")
    shown = fmt.number(num(v["min_expected"]), 1)
    if num(v["min_expected"]) >= 5:
        assert res.result.test == "chisq"
        assert_r(res.result.p_value, v["chisq_p"], what="chisq p")
        assert res.reason.startswith(f"tous les effectifs attendus ≥ 5 (minimum {shown})")
        assert ("Yates" in res.reason) == (np.asarray(ref["inputs"]["table"]).shape == (2, 2))
    else:
        assert res.result.test == "fisher"
        assert_r(res.result.p_value, v["fisher_p"], what="fisher p")
        cells = "cellule" if v["n_below_5"] == 1 else "cellules"
        assert res.reason == (f"effectif attendu minimal {shown} < 5 ({v['n_below_5']} {cells} "
                              f"sur {v['n_cells']}) → test exact de Fisher")
    assert not res.forced


def test_categorical_reference_has_both_outcomes():
    mins = [num(c.values[0]["values"]["min_expected"]) for c in cases("choice_table")]
    assert len(mins) >= 30
    assert sum(m >= 5 for m in mins) >= 4 and sum(m < 5 for m in mins) >= 20


def test_thesis_table2_age_reason():
    res = choice.choose_categorical([[6, 0, 3], [8, 5, 9], [0, 6, 2]])
    # expected counts: row sums 9, 22, 8; column sums 14, 11, 14; n = 39 -> minimum 8 * 11 / 39 = 2,26
    assert res.reason == "effectif attendu minimal 2,3 < 5 (6 cellules sur 9) → test exact de Fisher"
    assert round(res.result.p_value, 4) == 0.0051


def test_empty_category_is_dropped_and_said():
    res = choice.choose_categorical([[9, 4, 9], [5, 7, 5], [0, 0, 0]])
    ref = case("choice_table", "t2_genre")
    assert res.reason.startswith("modalités sans effectif retirées ; effectif attendu minimal 4,8 < 5")
    assert_r(res.result.p_value, ref["values"]["fisher_p"])


def test_threshold_crossing_gets_more_decimals():
    # E11 = 16 * 31 / 100 = 4.96, all other expected counts are larger
    res = choice.choose_categorical([[5, 11], [26, 58]])
    assert res.reason.startswith("effectif attendu minimal 4,96 < 5 (1 cellule sur 4)")


def test_categorical_monte_carlo_is_explained():
    big = np.array([[20, 1, 15, 5, 9], [30, 20, 1, 20, 7], [10, 25, 20, 1, 12], [9, 8, 7, 6, 1]])
    res = choice.choose_categorical(big, seed=5, B=300)
    assert res.result.test == "fisher_mc"
    assert res.reason.endswith("; p simulé par Monte-Carlo (300 tables, graine 5, calcul exact trop volumineux)")


@pytest.mark.parametrize("ref", cases("choice_two"))
def test_two_group_choice_follows_shapiro(ref):
    v = ref["values"]
    res = choice.choose_two_groups(vec(ref["inputs"]["x"]), vec(ref["inputs"]["y"]))
    for got, want in zip(res.checks["shapiro_p"], [v["shapiro_x"], v["shapiro_y"]]):
        if want is None:
            assert got is None
        else:
            assert_r(got, want, what="shapiro p")
            assert f"{fmt.p_sentence(num(want))} (groupe" in res.reason
    if _normal_in_every_group([v["shapiro_x"], v["shapiro_y"]]):
        assert res.result.test == "t_welch"
        assert_r(res.result.p_value, v["welch_p"], what="welch p")
        assert res.reason.endswith("normalité non rejetée dans chaque groupe (p ≥ 0,05) → test t de Welch")
    else:
        assert res.result.test == "wilcoxon"
        assert_r(res.result.p_value, v["wilcox_p"], what="wilcoxon p")
        assert res.reason.endswith("→ test de Wilcoxon-Mann-Whitney")


def test_two_group_reference_has_both_outcomes():
    outcomes = [_normal_in_every_group([c.values[0]["values"]["shapiro_x"], c.values[0]["values"]["shapiro_y"]])
                for c in cases("choice_two")]
    assert len(outcomes) >= 30 and 5 <= sum(outcomes) <= len(outcomes) - 5


def test_two_group_reason_for_tiny_group_uses_labels():
    res = choice.choose_two_groups([1.0, 2.0], [2, 3, 3, 4, 6, 8, 2, 5],
                                   labels=["utilisateurs", "non-utilisateurs"])
    assert "utilisateurs : n = 2 < 3, normalité non testable" in res.reason
    assert res.reason.endswith("normalité non vérifiable dans au moins un groupe"
                               " → test de Wilcoxon-Mann-Whitney")
    assert res.checks["shapiro_p"][0] is None


@pytest.mark.parametrize("ref", cases("choice_k"))
def test_k_group_choice_follows_shapiro(ref):
    v = ref["values"]
    res = choice.choose_k_groups([vec(g) for g in ref["inputs"]["groups"]])
    assert len(res.checks["shapiro_p"]) == len(v["shapiro"])
    for got, want in zip(res.checks["shapiro_p"], v["shapiro"]):
        if want is None:
            assert got is None
        else:
            assert_r(got, want, what="shapiro p")
    if _normal_in_every_group(v["shapiro"]):
        assert res.result.test == "anova"
        assert_r(res.result.p_value, v["anova_p"], what="anova p")
    else:
        assert res.result.test == "kruskal"
        assert_r(res.result.p_value, v["kruskal_p"], what="kruskal p")


def test_k_group_reference_has_both_outcomes():
    outcomes = [_normal_in_every_group(c.values[0]["values"]["shapiro"]) for c in cases("choice_k")]
    assert len(outcomes) >= 30 and 5 <= sum(outcomes) <= len(outcomes) - 5


def test_k_group_reason_constant_group():
    res = choice.choose_k_groups([[1, 2, 3], [5, 5, 5], [2, 4, 7, 9]], labels=["A", "B", "C"])
    assert "B : valeurs toutes identiques, normalité non testable" in res.reason
    assert res.result.test == "kruskal"


def test_forced_tests_of_the_thesis():
    fisher = choice.run_forced("fisher", table=[[6, 0, 3], [8, 5, 9], [0, 6, 2]])
    assert fisher.forced
    assert fisher.reason == "test choisi par le plan d'analyse → test exact de Fisher"
    assert_r(fisher.result.p_value, case("fisher", "t2_age")["values"]["p_value"])

    w = case("wilcox", "likert_12_15")
    wil = choice.run_forced("wilcoxon", x=vec(w["inputs"]["x"]), y=vec(w["inputs"]["y"]), conf_int=True)
    assert wil.reason.startswith(choice.FORCED_REASON)
    assert_r(wil.result.p_value, w["values"]["p_value"])
    assert_r(wil.result.extra["estimate"], w["values"]["estimate"])

    k = case("kruskal", "likert_three")
    kru = choice.run_forced("kruskal", groups=[vec(g) for g in k["inputs"]["groups"]])
    assert kru.reason.endswith("→ test de Kruskal-Wallis")
    assert_r(kru.result.p_value, k["values"]["p_value"])


def test_forced_test_input_errors():
    with pytest.raises(ValueError):
        choice.run_forced("fisher", x=[1, 2])
    with pytest.raises(ValueError):
        choice.run_forced("mcnemar", table=[[1, 2], [3, 4]])


def test_two_group_choice_can_use_student_as_the_thesis_words_it():
    ref = case("t_test", "ages_like_student")
    res = choice.choose_two_groups(vec(ref["inputs"]["x"]), vec(ref["inputs"]["y"]), var_equal=True)
    assert res.result.test == "t_student"
    assert res.reason.endswith("→ test t de Student")
    assert_r(res.result.p_value, ref["values"]["p_value"])
