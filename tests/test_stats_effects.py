"""surveykit.stats.effects against R (tests/r_reference/stats_reference.json and estimates_reference.json).

Tolerance 1e-8 relative, with documented exceptions:

* Noncentral chi-squared intervals (Cramér's V, epsilon²): ``effectsize`` solves
  pchisq(chi, df, ncp) = target with a Nelder-Mead ``optim``; our bounds are
  compared (1e-12 absolute) with the same equation solved by R's
  ``uniroot(tol = 1e-13)``, and with effectsize's own output to 1e-5 where its
  optim converged (R's pchisq at its ncp within 1e-6 of the target). Where it
  did not (e.g. the thesis' "Structure" table: 0.376 instead of 0.334),
  effectsize is off, not us.
* The bootstrap interval of epsilon² (``method="bootstrap"``) uses numpy's
  generator: only the percentile rule (``boot:::norm.inter``) is compared with
  R; the interval itself is checked for reproducibility.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from stats_reference_helpers import ESTIMATES, assert_r, case, cases, num, vec
from surveykit.stats import effects, rtests


@pytest.mark.parametrize("ref", cases("cramers_v"))
def test_cramers_v_estimate_matches_r(ref):
    """The point estimate is effectsize's bias-corrected V, unchanged by the new interval."""
    inp, v = ref["inputs"], ref["values"]
    res = effects.cramers_v(inp["table"], alternative=inp["alternative"])
    assert_r(res.estimate, v["estimate"], what="V")
    assert_r(res.extra["chisq"], v["chisq"], what="chi2")


@pytest.mark.parametrize("ref", cases("cramers_v_ncp", ESTIMATES))
def test_cramers_v_interval_matches_r(ref):
    """Bounds = effectsize::cramers_v(adjust = FALSE)'s, with the ncp equation solved exactly by uniroot."""
    inp, v = ref["inputs"], ref["values"]
    res = effects.cramers_v(inp["table"], alternative=inp["alternative"])
    assert_r(res.estimate, v["estimate_adjusted"], what="V")
    assert_r(res.extra["p_value"], v["p_value"], what="chisq.test(correct = FALSE) p")
    assert_r(res.ci_low, v["ci_low"], abs_tol=1e-12, what="CI low")
    assert_r(res.ci_high, v["ci_high"], abs_tol=1e-12, what="CI high")
    if num(v["effectsize_optim_error"]) <= 1e-6:
        assert_r(res.ci_low, v["effectsize_ci_low"], rel=0, abs_tol=1e-5, what="effectsize CI low")
        assert_r(res.ci_high, v["effectsize_ci_high"], rel=0, abs_tol=1e-5, what="effectsize CI high")


@pytest.mark.parametrize("ref", cases("cramers_v_ncp", ESTIMATES))
def test_cramers_v_lower_bound_agrees_with_the_chisq_test(ref):
    """Lower bound > 0 exactly when chisq.test(correct = FALSE) rejects: at 5 % for the one-sided
    interval, at 2.5 % for the two-sided one (its lower bound is the one-sided 97.5 % bound)."""
    inp, v = ref["inputs"], ref["values"]
    res = effects.cramers_v(inp["table"], alternative=inp["alternative"])
    level = 0.05 if inp["alternative"] == "greater" else 0.025
    assert (res.ci_low > 0) == (num(v["p_value"]) < level)
    assert res.ci_low <= res.ci_high


def test_cramers_v_lower_bound_no_longer_zero_at_p_0_005():
    """The thesis' age table (p = 0.0054): effectsize's adjusted bounds subtract the df bias a second
    time and give 0; the bounds on lambda / n do not."""
    v = case("cramers_v_ncp", "t2_age_two.sided", ESTIMATES)["values"]
    assert num(v["effectsize_adjusted_ci_low"]) == 0.0 and num(v["p_value"]) < 0.01
    res = effects.cramers_v(case("cramers_v_ncp", "t2_age_two.sided", ESTIMATES)["inputs"]["table"],
                            alternative="two.sided")
    assert res.ci_low > 0.1


def test_cramers_v_reference_mostly_converged():
    """effectsize's optim must have converged on most cases, or its comparison would be empty."""
    converged = [c for c in cases("cramers_v_ncp", ESTIMATES)
                 if num(c.values[0]["values"]["effectsize_optim_error"]) <= 1e-6]
    assert len(converged) >= 30


def test_cramers_v_drops_empty_categories():
    """effectsize refuses an all-zero row; the V of the table without it is returned."""
    full = effects.cramers_v([[9, 4, 9], [5, 7, 5], [0, 0, 0]])
    assert_r(full.estimate, case("cramers_v", "t2_genre_greater")["values"]["estimate"])
    assert full.ci_high == 1.0 and full.extra["alternative"] == "greater"


@pytest.mark.parametrize("ref", cases("rank_biserial"))
def test_rank_biserial_estimate_matches_r(ref):
    """effectsize::rank_biserial's estimate (its Fisher-z interval is no longer used)."""
    res = effects.rank_biserial(vec(ref["inputs"]["x"]), vec(ref["inputs"]["y"]))
    assert_r(res.estimate, ref["values"]["estimate"], abs_tol=1e-15, what="r")


@pytest.mark.parametrize("ref", cases("rank_biserial_wilcox", ESTIMATES))
def test_rank_biserial_interval_inverts_the_wilcoxon_test(ref):
    """Bounds r -/+ c with c from R's qwilcox (exact) or qnorm and the tie sigma (normal), written in R;
    in R's exact branch with distinct pairwise differences also equal to r minus the rank-biserial of x
    shifted to each bound of wilcox.test(conf.int = TRUE); and the interval excludes 0 exactly when R's wilcox.test rejects."""
    inp, v = ref["inputs"], ref["values"]
    res = effects.rank_biserial(vec(inp["x"]), vec(inp["y"]), conf_level=inp["conf_level"],
                                exact=inp["exact"], correct=inp["correct"])
    assert_r(res.estimate, v["estimate"], abs_tol=1e-15, what="r")
    assert_r(res.ci_low, v["ci_low"], abs_tol=1e-12, what="CI low")
    assert_r(res.ci_high, v["ci_high"], abs_tol=1e-12, what="CI high")
    if "ci_low_from_hl" in v:
        assert_r(res.ci_low, max(num(v["ci_low_from_hl"]), -1.0), abs_tol=1e-12, what="CI low = r - r(x - HL low)")
        assert_r(res.ci_high, min(num(v["ci_high_from_hl"]), 1.0), abs_tol=1e-12, what="CI high")
    p = num(v["p_value"])
    if not math.isnan(p):
        excludes_zero = res.ci_low > 0 or res.ci_high < 0
        assert excludes_zero == (p < 1 - inp["conf_level"])


def test_rank_biserial_no_longer_contradicts_its_test():
    """effectsize's Fisher-z interval excludes 0 at p = 0.052 (the thesis' « Modification des habitudes »);
    the inverted one does not. Here: a sample whose Fisher-z interval excludes 0 although p > 0.05."""
    for ref in cases("rank_biserial_wilcox", ESTIMATES):
        inp, v = ref.values[0]["inputs"], ref.values[0]["values"]
        if inp["conf_level"] != 0.95 or not num(v["p_value"]) >= 0.05:  # NaN: all values tied
            continue
        res = effects.rank_biserial(vec(inp["x"]), vec(inp["y"]), exact=inp["exact"], correct=inp["correct"])
        assert res.ci_low <= 0 <= res.ci_high


@pytest.mark.parametrize("ref", [c for c in cases("wilcox") if c.values[0]["inputs"]["conf_int"]
                                 and c.values[0]["inputs"]["exact"] is None and c.values[0]["inputs"]["correct"]])
def test_hodges_lehmann_matches_wilcox_conf_int(ref):
    res = effects.hodges_lehmann(vec(ref["inputs"]["x"]), vec(ref["inputs"]["y"]))
    v = ref["values"]
    assert_r(res.estimate, v["estimate"], what="HL shift")
    assert_r(res.ci_low, v["conf_int"][0], what="CI low")
    assert_r(res.ci_high, v["conf_int"][1], what="CI high")


@pytest.mark.parametrize("ref", cases("epsilon_squared"))
def test_epsilon_squared_estimate_matches_r(ref):
    res = effects.epsilon_squared([vec(g) for g in ref["inputs"]["groups"]], iterations=20, seed=1)
    assert_r(res.estimate, ref["values"]["estimate"], abs_tol=1e-15, what="epsilon2")


@pytest.mark.parametrize("ref", cases("epsilon_ncp", ESTIMATES))
def test_epsilon_squared_interval_matches_r(ref):
    """ncp bounds of kruskal.test's H solved by uniroot in R, divided by n - 1; effectsize's optim to 1e-5
    where it found a positive bound; lower bound > 0 exactly when kruskal.test rejects (5 % one-sided,
    2.5 % two-sided)."""
    inp, v = ref["inputs"], ref["values"]
    res = effects.epsilon_squared([vec(g) for g in inp["groups"]], alternative=inp["alternative"])
    assert_r(res.estimate, v["estimate"], abs_tol=1e-15, what="epsilon2")
    assert_r(res.ci_low, v["ci_low"], abs_tol=1e-12, what="CI low")
    assert_r(res.ci_high, v["ci_high"], abs_tol=1e-12, what="CI high")
    p = num(v["p_value"])
    if not math.isnan(p):
        assert (res.ci_low > 0) == (p < (0.05 if inp["alternative"] == "greater" else 0.025))
        low_eff = num(v["effectsize_ncp_low"])
        if low_eff > 1e-3:
            assert abs(res.ci_low - low_eff) < 1e-5 * max(1.0, low_eff)


def test_epsilon_squared_lower_bound_reaches_zero_when_the_test_does_not_reject():
    """The bootstrap gave a lower bound above 0 even at p = 0.92; the inverted interval gives 0."""
    ref = case("epsilon_ncp", "identical_two.sided", ESTIMATES)
    res = effects.epsilon_squared([vec(g) for g in ref["inputs"]["groups"]], alternative="two.sided")
    assert num(ref["values"]["p_value"]) > 0.5 and res.ci_low == 0.0


def test_epsilon_squared_bootstrap_is_seeded():
    """The former (effectsize) bootstrap interval stays available and reproducible with its seed."""
    groups = [vec(g) for g in case("epsilon_squared", "likert_three")["inputs"]["groups"]]
    a = effects.epsilon_squared(groups, iterations=300, seed=7, method="bootstrap")
    b = effects.epsilon_squared(groups, iterations=300, seed=7, method="bootstrap")
    c = effects.epsilon_squared(groups, iterations=300, seed=8, method="bootstrap")
    assert a == b
    assert a.ci_low != c.ci_low
    assert a.extra == {"iterations": 300, "seed": 7, "alternative": "greater", "method": "bootstrap"}
    assert 0 <= a.ci_low <= a.estimate + 0.2 and a.ci_high == 1.0
    two = effects.epsilon_squared(groups, iterations=300, seed=7, alternative="two.sided", method="bootstrap")
    assert two.ci_low <= a.ci_low <= two.ci_high < 1.0


@pytest.mark.parametrize("ref", cases("norm_inter"))
def test_bootstrap_percentile_rule_matches_boot(ref):
    got = effects.norm_inter(vec(ref["inputs"]["t"]), ref["inputs"]["alpha"])
    for g, want in zip(got, ref["values"]["quantiles"]):
        assert_r(g, want, what="norm.inter")


@pytest.mark.parametrize("ref", cases("wilson"))
def test_wilson_matches_prop_test(ref):
    res = effects.wilson_ci(ref["inputs"]["x"], ref["inputs"]["n"])
    assert res.estimate == ref["inputs"]["x"] / ref["inputs"]["n"]
    assert_r(res.ci_low, ref["values"]["ci_low"], what="low")
    assert_r(res.ci_high, ref["values"]["ci_high"], what="high")


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        effects.wilson_ci(5, 4)


def test_rank_biserial_of_separated_groups_is_one():
    """3 vs 3 separated values: r = 1 but wilcox.test's exact p is 0.1, so the interval holds 0."""
    res = effects.rank_biserial([10, 11, 12], [1, 2, 3])
    assert res.estimate == 1.0 and res.ci_high == 1.0 and res.ci_low < 0
    wide = effects.rank_biserial(np.arange(10.0, 20.0), np.arange(10.0))
    assert wide.estimate == 1.0 and 0 < wide.ci_low < 1.0 == wide.ci_high


def test_effect_sizes_are_frozen():
    res = effects.wilson_ci(3, 10)
    with pytest.raises(AttributeError):
        res.ci_low = 0.0
    assert isinstance(effects.cramers_v(np.array([[10, 0], [0, 10]])).estimate, float)


def test_epsilon_from_counts_equals_the_per_sample_formula():
    """The bootstrap computes H from counts for all replicates at once; it must equal kruskal_h."""
    from surveykit.stats.effects import _epsilon, epsilon_from_counts

    rng = np.random.default_rng(7)
    for _ in range(300):
        sizes = [int(x) for x in rng.integers(1, 9, size=int(rng.integers(2, 5)))]
        groups = [rng.integers(1, 6, size=size).astype(float) for size in sizes]
        distinct = np.unique(np.concatenate(groups))
        counts = np.stack([np.bincount(np.searchsorted(distinct, g), minlength=distinct.size) for g in groups])
        expected = _epsilon(groups)
        got = epsilon_from_counts(counts[None, :, :])[0]
        assert (np.isnan(expected) and np.isnan(got)) or abs(expected - got) < 1e-12


def test_epsilon_bootstrap_is_bounded_in_memory_at_large_n():
    """100 000 answers on a 0-10 scale: the count-based bootstrap does not build an n x iterations matrix."""
    import tracemalloc

    rng = np.random.default_rng(3)
    groups = [rng.integers(0, 11, size=size).astype(float) for size in (50_000, 30_000, 20_000)]
    tracemalloc.start()
    res = effects.epsilon_squared(groups, iterations=2000, seed=1, method="bootstrap")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100 * 2 ** 20, f"peak {peak / 2 ** 20:.0f} MB"
    assert 0 <= res.ci_low <= res.estimate + 1e-3


@pytest.mark.parametrize("ref", [c for c in cases("wilcox") if c.values[0]["inputs"]["conf_int"]])
def test_hodges_lehmann_interval_agrees_with_the_wilcoxon_test(ref):
    """The Hodges-Lehmann interval excludes 0 exactly when wilcox.test rejects at 5 %, except where R
    itself lowers the level (too few values for an exact 95 % interval: 1 vs 1, 3 vs 3)."""
    inp = ref["inputs"]
    hl = effects.hodges_lehmann(vec(inp["x"]), vec(inp["y"]))
    p = wilcox_p = rtests.wilcox_test(vec(inp["x"]), vec(inp["y"]), exact=inp["exact"], correct=inp["correct"]).p_value
    assert_r(wilcox_p, ref["values"]["p_value"], what="p")
    if inp["exact"] is None and inp["correct"] and hl.conf_level == 0.95:
        assert (hl.ci_low > 0 or hl.ci_high < 0) == (p < 0.05)


def test_estimates_lie_inside_their_noncentral_intervals():
    """The bounds measure the noncentrality, the estimates keep their own formula (Bergsma's V,
    uncorrected epsilon²): on every reference case, one- and two-sided, the estimate is still inside."""
    checked = 0
    for ref in cases("cramers_v_ncp", ESTIMATES) + cases("epsilon_ncp", ESTIMATES):
        c = ref.values[0]
        if "table" in c["inputs"]:
            res = effects.cramers_v(c["inputs"]["table"], alternative=c["inputs"]["alternative"])
        else:
            res = effects.epsilon_squared([vec(g) for g in c["inputs"]["groups"]], alternative=c["inputs"]["alternative"])
        if math.isnan(res.estimate):
            continue
        assert res.ci_low - 1e-12 <= res.estimate <= res.ci_high + 1e-12
        checked += 1
    assert checked >= 140
