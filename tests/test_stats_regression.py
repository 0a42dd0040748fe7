"""surveykit.stats.regression against R 4.2 glm / MASS confint / drop1 / lm (estimates_reference.json).

Estimates, standard errors, Wald intervals and likelihood-ratio p-values: 1e-6 relative (R stops its
IRLS at a relative deviance change of 1e-8; the same iterations are run here). Profile intervals: MASS
interpolates a spline through a grid of profiled deviances; the same grid and spline are computed, 1e-6.
"""
from __future__ import annotations

import math

import pytest

from stats_reference_helpers import ESTIMATES, assert_r, cases, num
from surveykit.stats import regression

REL = 1e-6


def _inputs(inp):
    covariates = {}
    for name, values in inp["covariates"].items():
        if any(isinstance(v, str) for v in values):
            covariates[name] = [v if v is not None else None for v in values]
        else:
            covariates[name] = [num(v) for v in values]
    return [num(v) for v in inp["y"]], covariates, inp["levels"]


@pytest.mark.parametrize("ref", cases("logistic", ESTIMATES))
def test_logistic_matches_glm(ref):
    """Multivariable and single-covariate models, n = 25 to 760, rare events, missing values (complete cases)."""
    y, covariates, levels = _inputs(ref["inputs"])
    v = ref["values"]
    if max(abs(num(b)) for b in v["estimate"]) > 15:  # R's silent sign of separation: an OR of e^20 or more
        with pytest.raises(regression.SeparationError):
            regression.logistic_regression(y, covariates, levels)
        return
    res = regression.logistic_regression(y, covariates, levels)
    assert res.n == v["n"]
    assert [t.term for t in res.terms] == v["terms"]
    assert_r(res.deviance, v["deviance"], rel=1e-9, what="deviance")
    for k, term in enumerate(res.terms):
        for attr, key in [("estimate", "estimate"), ("se", "se"), ("statistic", "z"), ("p_value", "p"),
                          ("wald_low", "wald_low"), ("wald_high", "wald_high"),
                          ("profile_low", "profile_low"), ("profile_high", "profile_high")]:
            assert_r(getattr(term, attr), v[key][k], rel=REL, abs_tol=1e-12, what=f"{term.term} {attr}")
    assert [t.covariate for t in res.tests] == v["lr_terms"]
    for test, stat, df, p in zip(res.tests, v["lr_stat"], v["lr_df"], v["lr_p"]):
        assert test.df == df
        assert_r(test.statistic, stat, rel=REL, abs_tol=1e-10, what=f"{test.covariate} LR")
        assert_r(test.p_value, p, rel=REL, what=f"{test.covariate} LR p")


def test_most_logistic_references_are_finite():
    """The R-agreement test above must compare numbers on most cases, not only expect separation."""
    finite = [c for c in cases("logistic", ESTIMATES)
              if max(abs(num(b)) for b in c.values[0]["values"]["estimate"]) <= 15]
    assert len(finite) >= 15


@pytest.mark.parametrize("ref", cases("linear", ESTIMATES))
def test_linear_matches_lm(ref):
    """lm coefficients, t tests, confint and drop1 F tests on the same designs (closed form: 1e-8)."""
    _, covariates, levels = _inputs(ref["inputs"])
    y = [num(v) for v in ref["inputs"]["y"]]
    v = ref["values"]
    res = regression.linear_regression(y, covariates, levels)
    assert res.n == v["n"]
    assert_r(res.extra["sigma"], v["sigma"], what="sigma")
    for k, term in enumerate(res.terms):
        for attr, key in [("estimate", "estimate"), ("se", "se"), ("statistic", "t"), ("p_value", "p"),
                          ("wald_low", "ci_low"), ("wald_high", "ci_high")]:
            assert_r(getattr(term, attr), v[key][k], abs_tol=1e-12, what=f"{term.term} {attr}")
    for test, f, p in zip(res.tests, v["f_stat"], v["f_p"]):
        assert_r(test.statistic, f, what=f"{test.covariate} F")
        assert_r(test.p_value, p, what=f"{test.covariate} F p")


@pytest.mark.parametrize("ref", cases("logistic_separation", ESTIMATES))
def test_separation_is_refused_with_a_clear_message(ref):
    """R returns |coef| of 19 (quasi-complete: one CPTS with events only, no warning) or 1082 (complete,
    with its warning): ORs that mean nothing. Here a SeparationError names the covariate."""
    y, covariates, levels = _inputs(ref["inputs"])
    assert num(ref["values"]["max_abs_coef"]) > 15
    with pytest.raises(regression.SeparationError, match="séparation"):
        regression.logistic_regression(y, covariates, levels)


def test_univariable_keeps_separated_covariates_as_errors():
    """One model per covariate: a separated covariate gives its error, the others their OR."""
    ref = cases("logistic_separation", ESTIMATES)[0].values[0]
    y, covariates, levels = _inputs(ref["inputs"])
    out = regression.univariable(y, covariates, levels)
    assert isinstance(out["cpts"], regression.SeparationError)
    assert isinstance(out["age"], regression.RegressionResult) and out["age"].terms[1].ratio > 0


def test_missing_numbers_and_unused_levels_follow_r():
    """None in a numeric covariate is missing (not a factor level); an unused level is dropped and the first
    level present is the reference, as glm's model frame (drop.unused.levels = TRUE)."""
    ref = [c for c in cases("logistic", ESTIMATES) if c.values[0]["id"] == "with_na_n80_age_cpts_sexe"][0].values[0]
    y, covariates, levels = _inputs(ref["inputs"])
    covariates["age"] = [None if math.isnan(v) else v for v in covariates["age"]]
    res = regression.logistic_regression(y, covariates, {"cpts": ["CPTS Z"] + levels["cpts"], "sexe": levels["sexe"]},
                                         profile=False)
    assert res.n == ref["values"]["n"] and [t.term for t in res.terms] == ref["values"]["terms"]
    assert_r(res.terms[1].estimate, ref["values"]["estimate"][1], rel=REL, what="age")


def test_events_per_variable():
    """EPV = smaller outcome count / parameters (intercept excluded): 10 events, 2 parameters -> 5."""
    y = [1] * 10 + [0] * 20
    res = regression.logistic_regression(y, {"x": [float(i % 7) for i in range(30)],
                                             "g": ["a", "b"] * 15}, profile=False)
    assert res.events == 10 and res.parameters == 2 and res.epv == 5.0
    assert all(math.isnan(t.profile_low) for t in res.terms)


def test_fmm_spline_and_approx_follow_r():
    """R: spline(c(1, 2, 4, 7, 8), c(0, 1, 0.5, 2, 3))$y[c(1, 7, 15)] = 0, 0.8787546..., 3; approx inverse."""
    import numpy as np

    u, v = regression.r_spline(np.array([1.0, 2, 4, 7, 8]), np.array([0.0, 1, 0.5, 2, 3]))
    assert u.size == 15 and v[0] == 0.0 and v[-1] == 3.0
    assert regression.r_approx(np.array([0.0, 1, 2]), np.array([10.0, 20, 40]), 1.5) == 30.0
    assert math.isnan(regression.r_approx(np.array([0.0, 1]), np.array([1.0, 2]), 2.0))
