"""Small numerical building blocks that reproduce R's own routines.

Each helper mirrors one piece of R (version 4.x) closely enough that the
statistics built on it agree with R to about 1e-12 relative:

* :func:`zeroin` is Brent's root finder exactly as R's ``uniroot`` runs it
  (``R_zeroin2`` in ``src/library/stats/src/zeroin.c``); reproducing its
  iterations matters because R calls it with a loose tolerance (1e-4), so the
  returned root depends on the iteration path, not only on the true root.
* :func:`wilcox_counts`, :func:`pwilcox`, :func:`qwilcox` reproduce the exact
  null distribution of the Mann-Whitney statistic (R's ``cwilcox``) and R's
  quantile search with its ``10 * DBL_EPSILON`` fuzz.
* :func:`r_mean` / :func:`r_var` follow R's accurate two-pass algorithms.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from scipy import special

DBL_EPSILON = float(np.finfo(float).eps)

#: Bound on m * m * n (integer operations) for the exact Wilcoxon distribution (about 1 s).
MAX_EXACT_WILCOX_WORK = 5_000_000


def zeroin(
    f: Callable[[float], float],
    ax: float,
    bx: float,
    fa: float,
    fb: float,
    tol: float,
    maxit: int = 1000,
) -> float:
    """Brent's zero finder with R's exact iteration rules (``R_zeroin2``).

    ``fa`` and ``fb`` are ``f(ax)`` and ``f(bx)``, which R's ``uniroot``
    evaluates before calling the C routine.
    """
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            # make b the best approximation; c takes the old b
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * DBL_EPSILON * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            new_step = _interpolation_step(a, b, c, fa, fb, fc, prev_step, tol_act, new_step)
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0.0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0.0 and fc > 0.0) or (fb < 0.0 and fc < 0.0):
            c, fc = a, fa
    return b


def _interpolation_step(
    a: float, b: float, c: float, fa: float, fb: float, fc: float,
    prev_step: float, tol_act: float, bisect_step: float,
) -> float:
    """Secant or inverse quadratic step of ``R_zeroin2``; falls back to bisection."""
    cb = c - b
    if a == c:
        t1 = fb / fa
        p = cb * t1
        q = 1.0 - t1
    else:
        q = fa / fc
        t1 = fb / fc
        t2 = fb / fa
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
    if p > 0.0:
        q = -q
    else:
        p = -p
    if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
        return p / q
    return bisect_step


def uniroot(f: Callable[[float], float], lower: float, upper: float,
            tol: float = DBL_EPSILON ** 0.25, maxit: int = 1000) -> float:
    """R's ``uniroot(f, c(lower, upper), tol = tol)$root`` (no interval extension)."""
    f_lower = f(lower)
    f_upper = f(upper)
    if math.isnan(f_lower) or math.isnan(f_upper):
        raise ValueError("uniroot : f() non défini à une borne de l'intervalle")
    if np.sign(f_lower) * np.sign(f_upper) > 0:
        raise ValueError("uniroot : f() de même signe aux deux bornes de l'intervalle")
    return zeroin(f, lower, upper, f_lower, f_upper, tol, maxit)


def log_factorials(n: int) -> np.ndarray:
    """``lfactorial(0:n)`` as a float array (R's ``lgamma(x + 1)``)."""
    return special.gammaln(np.arange(n + 1, dtype=float) + 1.0)


def r_mean(x: np.ndarray) -> float:
    """R's ``mean()``: accurate sum, then one correction pass."""
    n = x.size
    s = math.fsum(x) / n
    if math.isfinite(s):
        s += math.fsum(x - s) / n
    return s


def r_var(x: np.ndarray) -> float:
    """R's ``var()`` of a vector (two-pass, denominator n - 1)."""
    n = x.size
    if n < 2:
        return math.nan
    m = r_mean(x)
    return math.fsum((x - m) ** 2) / (n - 1)


@lru_cache(maxsize=64)
def wilcox_counts(m: int, n: int) -> tuple[int, ...]:
    """Number of rankings giving each Mann-Whitney U = 0..m*n (R's ``cwilcox``).

    These are the coefficients of the Gaussian binomial [m+n choose m]_q,
    obtained exactly (Python integers) from the product
    prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
    """
    m, n = min(m, n), max(m, n)
    if m * m * n > MAX_EXACT_WILCOX_WORK:
        raise ValueError(f"distribution exacte de Wilcoxon trop volumineuse (n = {m} et {n}) : "
                         "utiliser l'approximation normale (exact=False)")
    size = m * n + 1
    poly = np.zeros(size, dtype=object)
    poly[0] = 1
    for i in range(1, m + 1):
        shift = n + i
        multiplied = poly.copy()
        if shift < size:
            multiplied[shift:] -= poly[: size - shift]
        # exact division by (1 - q^i): running sums with stride i
        for start in range(i):
            multiplied[start::i] = np.cumsum(multiplied[start::i])
        poly = multiplied
    return tuple(int(v) for v in poly)


def pwilcox(q: float, m: int, n: int, lower_tail: bool = True) -> float:
    """R's ``pwilcox(q, m, n, lower.tail)`` computed from exact counts."""
    q = math.floor(q + 1e-7)
    if q < 0:
        return 0.0 if lower_tail else 1.0
    if q >= m * n:
        return 1.0 if lower_tail else 0.0
    counts = wilcox_counts(m, n)
    total = math.comb(m + n, n)
    below = sum(counts[: int(q) + 1])
    if lower_tail:
        return below / total
    return (total - below) / total


def qwilcox(p: float, m: int, n: int) -> int:
    """R's ``qwilcox(p, m, n)`` (lower tail), including its fuzz and summation order."""
    counts = wilcox_counts(m, n)
    c = float(math.comb(m + n, n))
    acc = 0.0
    q = 0
    if p <= 0.5:
        target = p - 10.0 * DBL_EPSILON
        while True:
            acc += float(counts[q]) / c
            if acc >= target:
                return q
            q += 1
    target = 1.0 - p + 10.0 * DBL_EPSILON
    while True:
        acc += float(counts[q]) / c
        if acc > target:
            return m * n - q
        q += 1
