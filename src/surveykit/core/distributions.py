"""The distribution functions the tests need, called the way scipy.stats calls them.

scipy.stats computes ``chi2.sf``, ``norm.cdf``, ``t.ppf``… with the scipy.special functions below; importing
scipy.stats costs about half a second per process, paid by every pipeline job that runs a test. These
wrappers call the same special functions and reproduce scipy.stats' handling of the edges of the domain
(NaN for an invalid parameter, 0 or 1 outside the support), so results are identical to the last bit.
The one exception is the binomial tail (equal to about 1e-15 relative), used only to judge a Monte-Carlo
p-value against an exact one."""
from __future__ import annotations

import math

import numpy as np
from scipy import special


def norm_cdf(x):
    return special.ndtr(x)


def norm_sf(x):
    return special.ndtr(-np.asarray(x, dtype=float))


def norm_ppf(q):
    return special.ndtri(q)


def norm_isf(q):
    return -special.ndtri(q)


def chi2_cdf(x: float, df: float) -> float:
    if math.isnan(x) or not df > 0:
        return math.nan
    return 0.0 if x <= 0 else float(special.chdtr(df, x))


def chi2_sf(x: float, df: float) -> float:
    if math.isnan(x) or not df > 0:
        return math.nan
    return 1.0 if x <= 0 else float(special.chdtrc(df, x))


def ncx2_cdf(x: float, df: float, nc: float) -> float:
    """Noncentral chi-squared CDF (``pchisq(x, df, ncp)``); scipy.stats uses chi2 when ``nc == 0``."""
    if math.isnan(x) or not df > 0 or not nc >= 0:
        return math.nan
    if x <= 0:
        return 0.0
    return chi2_cdf(x, df) if nc == 0 else float(special.chndtr(x, df, nc))


def t_cdf(x: float, df: float) -> float:
    if math.isnan(x) or not df > 0:
        return math.nan
    return float(special.stdtr(df, x))


def t_ppf(q: float, df: float) -> float:
    if not 0 <= q <= 1 or not df > 0:
        return math.nan
    if q in (0, 1):  # scipy.stats returns the ends of the support
        return math.copysign(math.inf, q - 0.5)
    return float(special.stdtrit(df, q))


def f_sf(x: float, dfn: float, dfd: float) -> float:
    if math.isnan(x) or not dfn > 0 or not dfd > 0:
        return math.nan
    return 1.0 if x <= 0 else float(special.fdtrc(dfn, dfd, x))


def hypergeom_logpmf(k: np.ndarray, total: int, good: int, drawn: int) -> np.ndarray:
    """``hypergeom.logpmf(k, M=total, n=good, N=drawn)``, scipy's formula in log-beta functions."""
    bad = total - good
    betaln = special.betaln
    return (betaln(good + 1, 1) + betaln(bad + 1, 1) + betaln(total - drawn + 1, drawn + 1)
            - betaln(k + 1, good - k + 1) - betaln(drawn - k + 1, bad - drawn + k + 1) - betaln(total + 1, 1))


def binom_cdf(k: float, n: int, p: float) -> float:
    """``pbinom(k, n, p)`` as the regularised incomplete beta function (scipy.stats' Boost code may differ
    in the last bit)."""
    k = math.floor(k)
    if k < 0:
        return 0.0
    return 1.0 if k >= n else float(special.betaincc(k + 1, n - k, p))


def binom_sf(k: float, n: int, p: float) -> float:
    """``pbinom(k, n, p, lower.tail = FALSE)``."""
    k = math.floor(k)
    if k < 0:
        return 1.0
    return 0.0 if k >= n else float(special.betainc(k + 1, n - k, p))


def rankdata(values) -> np.ndarray:
    """Average ranks of a flattened array (``rank(x)`` in R, ``scipy.stats.rankdata`` by default)."""
    a = np.asarray(values).ravel()
    if a.dtype.kind == "f" and np.isnan(a).any():
        return np.full(a.size, np.nan)
    order = np.argsort(a, kind="mergesort")
    inverse = np.empty(a.size, dtype=np.intp)
    inverse[order] = np.arange(a.size)
    ordered = a[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.cumsum(first)[inverse]
    bounds = np.r_[np.nonzero(first)[0], a.size]
    return 0.5 * (bounds[dense] + bounds[dense - 1] + 1)
