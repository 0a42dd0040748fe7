"""Paired tests of surveykit.stats.rtests against R (tests/r_reference/estimates_reference.json).

wilcox.test(paired = TRUE) with R's exact/normal switch (ties, zero differences, n >= 50, forced
exact or normal, with or without continuity correction); mcnemar.test and the exact McNemar test
(binom.test on the discordant pairs); binom.test. 1e-8 relative.
"""
from __future__ import annotations


import pytest

from stats_reference_helpers import ESTIMATES, assert_r, cases, num, vec
from surveykit.stats import rtests


@pytest.mark.parametrize("ref", cases("wilcox_paired", ESTIMATES))
def test_wilcox_paired_matches_r(ref):
    """Statistic V, p-value, R's method string (exact or continuity-corrected) and conf.int: pseudo-median,
    interval and the level R reaches (lowered for n = 1 or 3, NaN when every difference is zero)."""
    inp, v = ref["inputs"], ref["values"]
    res = rtests.wilcox_paired_test(vec(inp["x"]), vec(inp["y"]), exact=inp["exact"], correct=inp["correct"],
                                    conf_int=True)
    assert_r(res.statistic, v["statistic"], what="V")
    assert_r(res.p_value, v["p_value"], what="p")
    assert res.method == v["method"]
    assert_r(res.extra["estimate"], v["estimate"], abs_tol=1e-12, what="pseudo-median")
    assert_r(res.extra["conf_int"][0], v["conf_int"][0], abs_tol=1e-12, what="CI low")
    assert_r(res.extra["conf_int"][1], v["conf_int"][1], abs_tol=1e-12, what="CI high")
    assert_r(res.extra["conf_level"], v["conf_level"], what="level reached")


@pytest.mark.parametrize("ref", cases("mcnemar", ESTIMATES))
def test_mcnemar_matches_r(ref):
    """mcnemar.test, with and without correction, no or equal discordant pairs, Bowker 3 x 3; exact p."""
    inp, v = ref["inputs"], ref["values"]
    res = rtests.mcnemar_test(inp["table"], correct=inp["correct"])
    assert_r(res.statistic, v["statistic"], what="statistic")
    assert_r(res.df, v["df"], what="df")
    assert_r(res.p_value, v["p_value"], what="p")
    assert res.method == v["method"]
    if "exact_p_value" in v:
        assert_r(res.extra["exact_p_value"], v["exact_p_value"], what="exact p")


@pytest.mark.parametrize("ref", cases("binom", ESTIMATES))
def test_binom_test_matches_r(ref):
    """binom.test's two-sided p (outcomes as or less likely, relErr 1 + 1e-7), p != 0.5 included."""
    inp = ref["inputs"]
    assert_r(rtests.binom_test(int(inp["x"]), int(inp["n"]), num(inp["p"])).p_value, ref["values"]["p_value"], what="p")


def test_paired_test_needs_pairs():
    """x and y of different lengths cannot be paired (R stops too)."""
    with pytest.raises(ValueError):
        rtests.wilcox_paired_test([1, 2, 3], [1, 2])


def test_signrank_counts_sum_to_two_to_the_n():
    """R's csignrank: each of the 2^n sign patterns gives one sum."""
    for n in range(1, 30):
        counts = rtests.signrank_counts(n)
        assert sum(counts) == 2 ** n and counts == counts[::-1]
