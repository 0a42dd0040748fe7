"""surveykit.core.distributions calls scipy.special as scipy.stats does: same values, bit for bit, over the domain used."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from surveykit.core import distributions as dist

POINTS = [-1.0, 0.0, 1e-3, 0.1, 1.0, 3.5, 20.0, 400.0, math.nan]
DFS = [1, 2, 5.5, 38, 0, -1]


@pytest.mark.parametrize("df", DFS)
def test_chi2_t_and_f_equal_scipy_stats_bit_for_bit(df):
    for x in POINTS:
        for mine, theirs in [(dist.chi2_sf(x, df), stats.chi2.sf(x, df)), (dist.chi2_cdf(x, df), stats.chi2.cdf(x, df)),
                             (dist.t_cdf(x, df), stats.t.cdf(x, df)), (dist.f_sf(x, df, 7), stats.f.sf(x, df, 7)),
                             (dist.f_sf(x, 3, df), stats.f.sf(x, 3, df))]:
            assert mine == theirs or (math.isnan(mine) and math.isnan(theirs)), (x, df, mine, theirs)


@pytest.mark.parametrize("nc", [0.0, 0.5, 4.0, 60.0])
def test_noncentral_chi2_equals_scipy_stats(nc):
    for x in POINTS:
        for df in DFS:
            mine, theirs = dist.ncx2_cdf(x, df, nc), stats.ncx2.cdf(x, df, nc)
            assert mine == theirs or (math.isnan(mine) and math.isnan(theirs)), (x, df, nc, mine, theirs)


def test_normal_and_student_quantiles_equal_scipy_stats():
    for q in [0.0, 1e-12, 0.025, 0.5, 0.975, 1.0]:
        assert dist.norm_ppf(q) == stats.norm.ppf(q) and dist.norm_isf(q) == stats.norm.isf(q)
        for df in [1, 3.3, 1e6]:
            assert dist.t_ppf(q, df) == stats.t.ppf(q, df)
    for x in POINTS[:-1]:
        assert dist.norm_cdf(x) == stats.norm.cdf(x) and dist.norm_sf(x) == stats.norm.sf(x)
    assert math.isnan(dist.t_ppf(0.5, 0)) and math.isnan(dist.t_ppf(1.5, 3))


@pytest.mark.parametrize("total,good,drawn", [(10, 4, 5), (30, 12, 9), (7, 7, 3), (100, 3, 50), (2, 1, 1)])
def test_hypergeometric_log_density_equals_scipy_stats(total, good, drawn):
    support = np.arange(max(0, drawn - (total - good)), min(good, drawn) + 1)
    assert np.array_equal(dist.hypergeom_logpmf(support, total, good, drawn),
                          stats.hypergeom.logpmf(support, total, good, drawn))


def test_binomial_tails_agree_with_scipy_stats_to_rounding():
    for k, n, p in [(3, 20, 0.1), (0, 5, 0.5), (19, 20, 0.3), (500, 2000, 0.26), (-1, 5, 0.2), (5, 5, 0.2), (2.5, 9, 0.7)]:
        assert dist.binom_cdf(k, n, p) == pytest.approx(stats.binom.cdf(k, n, p), rel=1e-13, abs=1e-300)
        assert dist.binom_sf(k, n, p) == pytest.approx(stats.binom.sf(k, n, p), rel=1e-13, abs=1e-300)


def test_average_ranks_equal_scipy_rankdata_with_ties():
    rng = np.random.default_rng(20261123)
    for _ in range(300):
        values = rng.integers(0, 6, size=rng.integers(1, 40)).astype(float)
        assert np.array_equal(dist.rankdata(values), stats.rankdata(values))
    assert np.array_equal(dist.rankdata([3, 1, 2, 1]), [4.0, 1.5, 3.0, 1.5])
    assert np.isnan(dist.rankdata([1.0, math.nan])).all()
