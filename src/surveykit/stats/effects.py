"""Effect sizes with confidence intervals, following R's ``effectsize`` package (0.8.x).

================================  ==================================================
Python                            R reference
================================  ==================================================
``cramers_v``                     ``effectsize::cramers_v(table, adjust = TRUE)``
``rank_biserial``                 ``effectsize::rank_biserial(x, y)``
``hodges_lehmann``                ``wilcox.test(x, y, conf.int = TRUE)`` estimate + CI
``epsilon_squared``               ``effectsize::rank_epsilon_squared(x, g)``
``wilson_ci``                     ``prop.test(x, n, correct = FALSE)$conf.int``
================================  ==================================================

Point estimates equal R's to about 1e-12. Two intervals cannot be copied
bit for bit, by construction:

* Cramér's V: ``effectsize`` inverts the noncentral chi-squared distribution
  with a Nelder-Mead ``optim`` run, which stops near, not at, the root
  ``pchisq(chi, df, ncp) = target``. Here that equation is solved with Brent's
  method to machine precision: the bounds equal R's ``uniroot`` solution to
  1e-12 and effectsize's output to about 1e-6 when its optim converged; when it
  did not (a few tables, e.g. the thesis' "Structure" table, upper bound 0.376
  instead of the correct 0.334), effectsize is the one that is off.
* epsilon-squared: a seeded, stratified percentile bootstrap like
  ``effectsize``'s (resampling within each group, ``boot``'s ``norm.inter``
  interpolation), but numpy's random numbers are not R's.

Defaults follow ``effectsize``: one-sided intervals ``[low, 1]`` (alternative
"greater") for Cramér's V and epsilon-squared, two-sided for the rank-biserial
correlation. Pass ``alternative="two.sided"`` for two-sided 95 % intervals.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import distributions as dist
from .rtests import DEFAULT_MC_SEED, chisq_test, drop_empty, kruskal_h, wilcox_test

_ALTERNATIVES = ("two.sided", "greater", "less")
BOOTSTRAP_CELLS = 2_000_000  # count cells per bootstrap chunk (16 MB of float64), whatever n is


@dataclass(frozen=True)
class EffectSize:
    """An effect size, its interval and how it was obtained."""

    name: str
    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float
    method: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProportionCI:
    """Wilson score interval of a proportion."""

    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float


def _one_sided_level(conf_level: float, alternative: str) -> float:
    """effectsize's ``.adjust_ci``: a one-sided 95 % bound is a two-sided 90 % one."""
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative inconnue : {alternative!r}")
    return conf_level if alternative == "two.sided" else 2 * conf_level - 1


# --------------------------------------------------------------------------- Cramér's V


def _ncp_for_cdf(chi: float, df: float, target: float) -> float:
    """Noncentrality ``ncp`` with ``pchisq(chi, df, ncp) == target`` (0 when none is needed)."""
    if dist.chi2_cdf(chi, df) <= target:
        return 0.0
    upper = max(1.0, chi)
    while dist.ncx2_cdf(chi, df, upper) > target:
        upper *= 2.0
    from scipy import optimize  # here: importing scipy.optimize costs 0.4 s, which jobs without a V interval skip

    return optimize.brentq(lambda ncp: dist.ncx2_cdf(chi, df, ncp) - target, 0.0, upper,
                           xtol=1e-12, rtol=1e-14, maxiter=500)


def _adjusted_v(chi: float, n: float, nrow: int, ncol: int) -> float:
    """Bergsma's (2013) bias-corrected V from a chi-squared value (effectsize's formula)."""
    df = (nrow - 1) * (ncol - 1)
    phi2 = chi / n
    phi_adj = math.sqrt(max(0.0, phi2 - df / (n - 1)))
    k = nrow - (nrow - 1) ** 2 / (n - 1)
    l = ncol - (ncol - 1) ** 2 / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # n = 2: 0 / 0 gives NaN as in R
        return float(np.float64(phi_adj) / np.sqrt(np.float64(min(k, l) - 1)))


def cramers_v(
    table: Sequence[Sequence[float]] | np.ndarray,
    conf_level: float = 0.95,
    alternative: str = "greater",
) -> EffectSize:
    """Bias-corrected Cramér's V (Bergsma 2013) with a noncentral chi-squared interval.

    As ``effectsize::cramers_v(adjust = TRUE)``: Pearson's X² without Yates'
    correction, interval bounds of the noncentrality parameter converted with
    the same bias correction; empty rows/columns are dropped first (effectsize
    refuses them). The estimate is 0 when the correction exceeds phi².
    """
    x = drop_empty(np.asarray(table, dtype=float))
    if min(x.shape) < 2:
        raise ValueError("le V de Cramér demande au moins 2 lignes et 2 colonnes non vides")
    n = float(x.sum())
    nrow, ncol = x.shape
    chi = float(chisq_test(x, correct=False).statistic)
    df = float((nrow - 1) * (ncol - 1))
    level = _one_sided_level(conf_level, alternative)
    ncp_low = _ncp_for_cdf(chi, df, 1 - (1 - level) / 2)
    ncp_high = _ncp_for_cdf(chi, df, (1 - level) / 2)
    low = _adjusted_v(ncp_low, n, nrow, ncol)
    high = float(np.fmin(_adjusted_v(ncp_high, n, nrow, ncol), 1.0))
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = 0.0
    return EffectSize("cramers_v_adjusted", _adjusted_v(chi, n, nrow, ncol), low, high, conf_level,
                      "V de Cramér corrigé du biais (Bergsma 2013), IC par inversion du khi² non central",
                      {"chisq": chi, "df": df, "n": n, "alternative": alternative})


# --------------------------------------------------------------------------- rank-biserial


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return arr[np.isfinite(arr)]


def rank_biserial(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    conf_level: float = 0.95,
    alternative: str = "two.sided",
) -> EffectSize:
    """Rank-biserial correlation of two independent groups, Fisher-z interval (effectsize)."""
    x, y = _finite(x), _finite(y)
    if x.size == 0 or y.size == 0:
        raise ValueError("chaque groupe doit contenir au moins une valeur")
    n1, n2 = float(x.size), float(y.size)
    ranks = dist.rankdata(np.concatenate([x, y]))
    u1 = float(ranks[: x.size].sum()) - n1 * (n1 + 1) / 2
    u2 = float(ranks[x.size:].sum()) - n2 * (n2 + 1) / 2
    r = u1 / (n1 * n2) - u2 / (n1 * n2)
    level = _one_sided_level(conf_level, alternative)
    se = math.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    z = float(dist.norm_ppf(1 - (1 - level) / 2))
    with np.errstate(divide="ignore"):
        rf = float(np.arctanh(r))
    low, high = math.tanh(rf - z * se), math.tanh(rf + z * se)
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = -1.0
    return EffectSize("rank_biserial", r, low, high, conf_level,
                      "corrélation bisériale des rangs, IC par transformation z de Fisher",
                      {"alternative": alternative})


# --------------------------------------------------------------------------- Hodges-Lehmann


def hodges_lehmann(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    conf_level: float = 0.95,
) -> EffectSize:
    """Hodges-Lehmann shift x - y and its interval, exactly as ``wilcox.test(conf.int = TRUE)``."""
    res = wilcox_test(x, y, conf_int=True, conf_level=conf_level)
    low, high = res.extra["conf_int"]
    branch = "exacte" if res.extra["exact"] else "asymptotique"
    return EffectSize("hodges_lehmann", res.extra["estimate"], low, high, res.extra["conf_level"],
                      f"décalage de Hodges-Lehmann (méthode {branch} de wilcox.test)",
                      {"wilcoxon_method": res.method})


# --------------------------------------------------------------------------- epsilon-squared


def _epsilon(samples: list[np.ndarray]) -> float:
    n = sum(s.size for s in samples)
    return kruskal_h(samples) / ((n ** 2 - 1) / (n + 1))


def epsilon_from_counts(counts: np.ndarray) -> np.ndarray:
    """Epsilon² of each replicate from its counts, shape (replicates, groups, distinct values sorted).

    Same tie-corrected H as `kruskal_h`, computed from counts: the tied values of a column share
    the mid-rank cumsum(T) − (T − 1)/2, and sum(t³ − t) runs over the column totals T."""
    counts = np.asarray(counts, dtype=float)
    totals = counts.sum(axis=1)
    n = float(totals[0].sum())
    midranks = np.cumsum(totals, axis=1) - (totals - 1) / 2
    rank_sums = (counts * midranks[:, None, :]).sum(axis=2)
    h = (rank_sums ** 2 / counts.sum(axis=2)).sum(axis=1)
    correction = 1 - (totals ** 3 - totals).sum(axis=1) / (n ** 3 - n)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(correction > 0, (12 * h / (n * (n + 1)) - 3 * (n + 1)) / correction, np.nan)
    return statistic / ((n ** 2 - 1) / (n + 1))


def _bootstrap_epsilon(samples: list[np.ndarray], iterations: int, rng: np.random.Generator) -> np.ndarray:
    """Replicates of epsilon² resampling each group with replacement, drawn as multinomial counts.

    Drawing a group's n_g values with replacement is the same law as drawing multinomial counts
    over its distinct values with their observed frequencies; working on counts keeps memory and
    time proportional to (groups × distinct values), not to n, so 100 000 answers on a 0–10 scale
    cost what 40 do. Replicates are drawn in chunks of bounded size, in a fixed order."""
    distinct = np.unique(np.concatenate(samples))
    frequencies = [np.bincount(np.searchsorted(distinct, s), minlength=distinct.size) / s.size for s in samples]
    chunk = max(1, BOOTSTRAP_CELLS // (len(samples) * distinct.size))
    replicates = []
    for start in range(0, iterations, chunk):
        size = min(chunk, iterations - start)
        counts = np.stack([rng.multinomial(s.size, p, size=size) for s, p in zip(samples, frequencies)], axis=1)
        replicates.append(epsilon_from_counts(counts))
    return np.concatenate(replicates)


def norm_inter(t: np.ndarray, alpha: Sequence[float]) -> np.ndarray:
    """``boot:::norm.inter``: bootstrap quantiles interpolated on the normal scale."""
    t = np.sort(np.asarray(t, dtype=float)[np.isfinite(t)])
    r = t.size
    if r == 0:
        return np.full(len(alpha), np.nan)
    out = []
    for a in alpha:
        rk = (r + 1) * a
        k = math.trunc(rk)
        if k == rk and 0 < k <= r:
            out.append(t[k - 1])
        elif k <= 0:
            out.append(t[0])
        elif k >= r:
            out.append(t[r - 1])
        else:
            z1 = dist.norm_ppf(a)
            z2 = dist.norm_ppf(k / (r + 1))
            z3 = dist.norm_ppf((k + 1) / (r + 1))
            tk, tk1 = t[k - 1], t[k]
            out.append(tk + (z1 - z2) / (z3 - z2) * (tk1 - tk))
    return np.array(out, dtype=float)


def epsilon_squared(
    groups: Sequence[Sequence[float] | np.ndarray],
    conf_level: float = 0.95,
    alternative: str = "greater",
    iterations: int = 2000,
    seed: int | None = None,
) -> EffectSize:
    """Rank epsilon-squared of the Kruskal-Wallis test, H / ((n² - 1) / (n + 1)).

    Interval: percentile bootstrap resampling within each group (as
    ``effectsize``), ``iterations`` replicates drawn from
    ``numpy.random.default_rng(seed)``; NaN values and empty groups are dropped.
    """
    samples = [s for s in (np.asarray(g, dtype=float).ravel() for g in groups)]
    samples = [s[~np.isnan(s)] for s in samples]
    samples = [s for s in samples if s.size > 0]
    if len(samples) < 2:
        raise ValueError("il faut au moins 2 groupes non vides")
    estimate = _epsilon(samples)
    used_seed = DEFAULT_MC_SEED if seed is None else int(seed)
    replicates = _bootstrap_epsilon(samples, iterations, np.random.default_rng(used_seed))
    level = _one_sided_level(conf_level, alternative)
    low, high = norm_inter(replicates, [(1 - level) / 2, (1 + level) / 2])
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = 0.0
    return EffectSize("epsilon_squared", estimate, float(low), float(high), conf_level,
                      "epsilon² des rangs, IC par bootstrap percentile stratifié",
                      {"iterations": iterations, "seed": used_seed, "alternative": alternative})


# --------------------------------------------------------------------------- Wilson interval


def wilson_ci(x: int, n: int, conf_level: float = 0.95) -> ProportionCI:
    """Wilson score interval, identical to ``prop.test(x, n, correct = FALSE)$conf.int``."""
    if n <= 0 or x < 0 or x > n:
        raise ValueError("il faut 0 <= x <= n et n > 0")
    estimate = x / n
    z = float(dist.norm_ppf((1 + conf_level) / 2))
    z22n = z ** 2 / (2 * n)
    p_c = estimate
    if p_c >= 1:
        upper = 1.0
    else:
        upper = (p_c + z22n + z * math.sqrt(p_c * (1 - p_c) / n + z22n / (2 * n))) / (1 + 2 * z22n)
    if p_c <= 0:
        lower = 0.0
    else:
        lower = (p_c + z22n - z * math.sqrt(p_c * (1 - p_c) / n + z22n / (2 * n))) / (1 + 2 * z22n)
    return ProportionCI(estimate, max(lower, 0.0), min(upper, 1.0), conf_level)
