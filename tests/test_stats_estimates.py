"""surveykit.stats.estimates against R (tests/r_reference/estimates_reference.json).

Newcombe's interval is closed-form (Wilson bounds of prop.test combined): 1e-8 relative.
The odds ratio and its interval are R's uniroot results (tolerance 1e-4 on the root): matched to
1e-8 because the Python code runs R's Brent iterations (``_rmath.zeroin``) on the same function.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from stats_reference_helpers import ESTIMATES, assert_r, cases, num, vec
from surveykit.stats import estimates


@pytest.mark.parametrize("ref", cases("newcombe", ESTIMATES))
def test_newcombe_matches_r(ref):
    """Newcombe (1998) method 10, written in R from prop.test(correct = FALSE): zero cells, n = 1, 0/n vs n/n."""
    inp, v = ref["inputs"], ref["values"]
    res = estimates.proportion_difference(inp["x1"], inp["n1"], inp["x2"], inp["n2"], inp["conf_level"])
    assert_r(res.estimate, v["estimate"], abs_tol=1e-15, what="difference")
    assert_r(res.ci_low, v["ci_low"], abs_tol=1e-14, what="CI low")
    assert_r(res.ci_high, v["ci_high"], abs_tol=1e-14, what="CI high")
    assert -1 <= res.ci_low <= res.estimate <= res.ci_high <= 1


@pytest.mark.parametrize("ref", cases("odds_ratio", ESTIMATES))
def test_odds_ratio_matches_fisher_test(ref):
    """fisher.test's conditional MLE and exact interval, zero cells (0 or Inf) included."""
    inp, v = ref["inputs"], ref["values"]
    res = estimates.odds_ratio(inp["table"], inp["conf_level"])
    assert_r(res.estimate, v["estimate"], what="odds ratio")
    assert_r(res.ci_low, v["ci_low"], abs_tol=1e-300, what="CI low")
    assert_r(res.ci_high, v["ci_high"], what="CI high")


def test_odds_ratio_interval_agrees_with_fisher_p_in_the_references():
    """The interval holds 1 when fisher.test's p is large, excludes it when p is small (the exact
    interval inverts two one-sided tests, the p-value the two-sided minimum-likelihood test, so the
    agreement is only away from the boundary)."""
    checked = 0
    for ref in cases("odds_ratio", ESTIMATES):
        inp, v = ref.values[0]["inputs"], ref.values[0]["values"]
        p = num(v["p_value"])
        if inp["conf_level"] != 0.95 or 0.02 < p < 0.08:
            continue
        res = estimates.odds_ratio(inp["table"], 0.95)
        assert (res.ci_low <= 1 <= res.ci_high) == (p >= 0.05)
        checked += 1
    assert checked >= 20


def test_odds_ratio_refuses_an_empty_margin():
    """R returns 0 [0, Inf] for a table with an empty row, which is no estimate: a clear error instead."""
    with pytest.raises(ValueError, match="marge"):
        estimates.odds_ratio([[0, 0], [3, 4]])
    with pytest.raises(ValueError, match="2 × 2"):
        estimates.odds_ratio([[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("ref", cases("mean_difference", ESTIMATES))
def test_mean_difference_matches_t_test(ref):
    """t.test's difference of means and interval, Welch and Student (groups of size 1 only with Student)."""
    inp, v = ref["inputs"], ref["values"]
    res = estimates.mean_difference(vec(inp["x"]), vec(inp["y"]), var_equal=inp["var_equal"])
    assert_r(res.estimate, v["estimate"], abs_tol=1e-13, what="difference")
    assert_r(res.ci_low, v["ci_low"], what="CI low")
    assert_r(res.ci_high, v["ci_high"], what="CI high")


def test_estimates_are_effect_sizes_with_french_labels():
    """Same record as the effect sizes, so a table can print either."""
    res = estimates.proportion_difference(3, 10, 5, 10)
    assert res.method.startswith("différence de proportions") and res.conf_level == 0.95
    assert math.isclose(res.estimate, -0.2)
    assert estimates.odds_ratio(np.array([[0, 5], [5, 0]])).estimate == 0.0
