"""Effect sizes with confidence intervals that agree with their tests, checked against R.

================================  ==================================================
Python                            R reference
================================  ==================================================
``cramers_v``                     ``effectsize::cramers_v(table, adjust = TRUE)``
                                  (estimate); CI of ``adjust = FALSE`` (exact root)
``rank_biserial``                 ``effectsize::rank_biserial(x, y)`` (estimate);
                                  CI by inversion of ``wilcox.test``
``hodges_lehmann``                ``wilcox.test(x, y, conf.int = TRUE)`` estimate + CI
``epsilon_squared``               ``effectsize::rank_epsilon_squared(x, g)`` (estimate);
                                  CI by inversion of ``kruskal.test``'s chi-squared
``wilson_ci``                     ``prop.test(x, n, correct = FALSE)$conf.int``
================================  ==================================================

Point estimates equal R's to about 1e-12. Every interval is the inversion of
the test printed beside it, so it excludes the null value exactly when that
test rejects at the matching level (see each function): Cramér's V and
epsilon-squared invert the noncentral chi-squared law of X² and H (solved by
Brent's method to machine precision, where ``effectsize`` runs a Nelder-Mead
``optim`` that may stop near, not at, the root); the rank-biserial and the
Hodges-Lehmann shift invert the Wilcoxon test, exact where R is exact.

Defaults follow ``effectsize``: one-sided intervals ``[low, 1]`` (alternative
"greater") for Cramér's V and epsilon-squared, two-sided for the rank-biserial
correlation. With ``alternative="two.sided"`` the lower bound of a 95 % interval
is the one-sided 97.5 % bound: it agrees with the chi-squared or Kruskal-Wallis
test at 2.5 %, not 5 % (those tests are one-sided in the noncentrality).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from surveykit.core import distributions as dist

from ._rmath import qwilcox
from .rtests import DEFAULT_MC_SEED, _tie_sigma, chisq_test, drop_empty, kruskal_h, wilcox_test

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


def ncp_bound(statistic: float, df: float, target: float) -> float:
    """Noncentrality ``ncp`` with ``pchisq(statistic, df, ncp) == target`` (0 when none is needed).

    The lower confidence bound of a noncentral chi-squared parameter at one-sided level 1 - a solves
    ``target = 1 - a``; it is above 0 exactly when ``pchisq(statistic, df) > 1 - a``, i.e. when the
    chi-squared test of ``statistic`` rejects at level a. Solved with Brent's method to machine precision.
    """
    if math.isnan(statistic):
        return math.nan
    if dist.chi2_cdf(statistic, df) <= target:
        return 0.0
    upper = max(1.0, statistic)
    while dist.ncx2_cdf(statistic, df, upper) > target:
        upper *= 2.0
    from scipy import optimize  # here: importing scipy.optimize costs 0.4 s, which jobs without a V interval skip

    return optimize.brentq(lambda ncp: dist.ncx2_cdf(statistic, df, ncp) - target, 0.0, upper,
                           xtol=1e-12, rtol=1e-14, maxiter=500)


def ncp_interval(statistic: float, df: float, conf_level: float, alternative: str) -> tuple[float, float]:
    """(low, high) bounds of the noncentrality of a chi-squared statistic (``high`` is inf for "greater").

    "greater": one-sided ``[ncp(1 - a), inf)`` with a = 1 - conf_level, the exact dual of the chi-squared
    test at level a; "two.sided": ``[ncp(1 - a/2), ncp(a/2)]`` (dual of the test at a/2 on each side);
    "less": ``[0, ncp(a)]``."""
    alpha = _alpha(conf_level, alternative)
    if alternative == "greater":
        return ncp_bound(statistic, df, 1 - alpha), math.inf
    if alternative == "less":
        return 0.0, ncp_bound(statistic, df, alpha)
    return ncp_bound(statistic, df, 1 - alpha / 2), ncp_bound(statistic, df, alpha / 2)


def _alpha(conf_level: float, alternative: str) -> float:
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative inconnue : {alternative!r}")
    if not 0 < conf_level < 1:
        raise ValueError("le niveau de confiance doit être strictement compris entre 0 et 1")
    return 1 - conf_level


def _adjusted_v(chi: float, n: float, nrow: int, ncol: int) -> float:
    """Bergsma's (2013) bias-corrected V from a chi-squared value (effectsize's formula)."""
    df = (nrow - 1) * (ncol - 1)
    phi2 = chi / n
    phi_adj = math.sqrt(max(0.0, phi2 - df / (n - 1)))
    k = nrow - (nrow - 1) ** 2 / (n - 1)
    l = ncol - (ncol - 1) ** 2 / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # n = 2: 0 / 0 gives NaN as in R
        return float(np.float64(phi_adj) / np.sqrt(np.float64(min(k, l) - 1)))


def _v_from_ncp(ncp: float, n: float, nrow: int, ncol: int) -> float:
    """Population V of a noncentrality: sqrt(ncp / n / (min(r, c) - 1)), at most 1 (effectsize, adjust = FALSE)."""
    return min(math.sqrt(ncp / n / (min(nrow, ncol) - 1)), 1.0)


def cramers_v(
    table: Sequence[Sequence[float]] | np.ndarray,
    conf_level: float = 0.95,
    alternative: str = "greater",
) -> EffectSize:
    """Bias-corrected Cramér's V (Bergsma 2013) with a noncentral chi-squared interval that agrees with the test.

    ==========================  ===============================================================
    Python                      R
    ==========================  ===============================================================
    estimate                    ``effectsize::cramers_v(table, adjust = TRUE)``
    ``ci_low``, ``ci_high``     ``effectsize::cramers_v(table, adjust = FALSE, alternative)``
                                CI, its ``optim`` replaced by an exact root (``uniroot``)
    ``extra['p_value']``        ``chisq.test(table, correct = FALSE)$p.value``
    ==========================  ===============================================================

    Pearson's X² without Yates' correction is inverted in its noncentrality λ (:func:`ncp_interval`)
    and each bound converted as ``sqrt(λ / n / (min(r, c) - 1))``. The lower bound is therefore above 0
    exactly when ``chisq.test(table, correct = FALSE)`` rejects at level a = 1 - conf_level
    ("greater", the default, one-sided [low, 1]: the chi-squared test is one-sided in λ) or at a/2
    ("two.sided", a two-sided interval: its lower bound is the one-sided bound at 1 - a/2). With
    Fisher's test shown beside it the agreement is only approximate.

    Why ``effectsize::cramers_v(adjust = TRUE)`` (0.8) gives a lower bound of 0 even at p = 0.005: it
    converts the λ bounds with Bergsma's correction, subtracting df / (n - 1) from λ / n; but λ is
    already free of the df bias that correction removes from X² / n (E[X²] = df + λ), so the bias is
    removed twice and every lower bound below df·n / (n - 1) becomes 0. Here the estimate keeps the
    correction (unchanged) and the bounds do not. Empty rows/columns are dropped first (effectsize
    refuses them); the estimate is 0 when the correction exceeds phi².
    """
    x = drop_empty(np.asarray(table, dtype=float))
    if min(x.shape) < 2:
        raise ValueError("le V de Cramér demande au moins 2 lignes et 2 colonnes non vides")
    n = float(x.sum())
    nrow, ncol = x.shape
    test = chisq_test(x, correct=False)
    chi = float(test.statistic)
    df = float((nrow - 1) * (ncol - 1))
    ncp_low, ncp_high = ncp_interval(chi, df, conf_level, alternative)
    low = _v_from_ncp(ncp_low, n, nrow, ncol)
    high = 1.0 if math.isinf(ncp_high) else _v_from_ncp(ncp_high, n, nrow, ncol)
    side = "unilatéral" if alternative != "two.sided" else "bilatéral"
    return EffectSize("cramers_v_adjusted", _adjusted_v(chi, n, nrow, ncol), low, high, conf_level,
                      "V de Cramér corrigé du biais (Bergsma 2013), IC " + side
                      + " par inversion du khi² non central (sans correction de continuité)",
                      {"chisq": chi, "df": df, "n": n, "p_value": test.p_value, "alternative": alternative,
                       "ncp_interval": (ncp_low, ncp_high)})


# --------------------------------------------------------------------------- rank-biserial


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return arr[np.isfinite(arr)]


def wilcoxon_critical_r(x: np.ndarray, y: np.ndarray, tail: float, exact: bool | None = None,
                        correct: bool = True) -> float:
    """Half-width c, on the rank-biserial scale, of the Wilcoxon rank-sum test at one-tail level ``tail``.

    The two-sided test at level 2·tail rejects exactly when |r| > c, with R's own branch of
    ``wilcox.test`` (:func:`.rtests.wilcox_test`):

    * exact (no ties, both groups < 50 unless ``exact`` says otherwise): with q = ``qwilcox(tail, nx, ny)``
      and N = nx·ny, it rejects when min(U, N - U) <= q - 1, i.e. |r| > (N - 2q + 1) / N;
    * normal approximation (ties, large groups): |U - N/2| - 0.5 > z·sigma with R's tie-corrected
      sigma and continuity correction, i.e. |r| > (2 z sigma + 1) / N (+1 only with ``correct``).
    """
    nx, ny = x.size, y.size
    big_n = float(nx * ny)
    ranks = dist.rankdata(np.concatenate([x, y]))
    if exact is None:
        exact = nx < 50 and ny < 50
    if exact and np.unique(ranks).size == ranks.size:
        q = qwilcox(tail, nx, ny)
        return (big_n - 2 * q + 1) / big_n
    sigma = _tie_sigma(ranks, float(nx), float(ny))
    if sigma == 0:
        return math.nan
    z = float(dist.norm_isf(tail))
    return (2 * z * sigma + (1.0 if correct else 0.0)) / big_n


def rank_biserial(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    conf_level: float = 0.95,
    alternative: str = "two.sided",
    exact: bool | None = None,
    correct: bool = True,
) -> EffectSize:
    """Rank-biserial correlation of two independent groups, interval from the inversion of the Wilcoxon test.

    =========================  ==================================================================
    Python                     R
    =========================  ==================================================================
    estimate                   ``effectsize::rank_biserial(x, y)$r_rank_biserial``
    ``ci_low``, ``ci_high``    ``r - c``, ``r + c`` clipped to [-1, 1]; c from ``qwilcox`` (exact)
                               or ``qnorm`` and the tie-corrected sigma (normal), see
                               :func:`wilcoxon_critical_r`; R code in ``tests/r_reference``
    =========================  ==================================================================

    The interval is the set of r0 for which the Wilcoxon test of r - r0, with the null distribution R
    uses for ``wilcox.test(x, y, exact, correct)``, does not reject at a = 1 - conf_level: it excludes 0
    exactly when that test rejects (p < a; p < 2a one-sided per side for "greater"/"less"). Without
    ties in the exact branch it equals r minus the rank-biserial of (x - d, y) at each bound d of the
    Hodges-Lehmann interval of ``wilcox.test(conf.int = TRUE)``. Being built on the null distribution it
    is conservative for large |r|. A p-value R's exact branch cannot bring below a (e.g. 3 vs 3 values)
    gives [-1, 1]. All values tied: NaN bounds (R's p-value is NaN).
    effectsize (0.8) uses a Fisher-z interval instead, which can exclude 0 when the test does not reject.
    """
    x, y = _finite(x), _finite(y)
    if x.size == 0 or y.size == 0:
        raise ValueError("chaque groupe doit contenir au moins une valeur")
    n1, n2 = float(x.size), float(y.size)
    ranks = dist.rankdata(np.concatenate([x, y]))
    u1 = float(ranks[: x.size].sum()) - n1 * (n1 + 1) / 2
    u2 = float(ranks[x.size:].sum()) - n2 * (n2 + 1) / 2
    r = u1 / (n1 * n2) - u2 / (n1 * n2)
    alpha = _alpha(conf_level, alternative)
    c = wilcoxon_critical_r(x, y, alpha / 2 if alternative == "two.sided" else alpha, exact, correct)
    low, high = max(r - c, -1.0), min(r + c, 1.0)
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = -1.0
    if math.isnan(c):
        low = high = math.nan
    return EffectSize("rank_biserial", r, low, high, conf_level,
                      "corrélation bisériale des rangs, IC par inversion du test de Wilcoxon",
                      {"alternative": alternative, "critical_r": c})


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
    method: str = "ncp",
) -> EffectSize:
    """Rank epsilon-squared of the Kruskal-Wallis test, H / ((n² - 1) / (n + 1)) = H / (n - 1).

    =========================  ==================================================================
    Python                     R
    =========================  ==================================================================
    estimate                   ``effectsize::rank_epsilon_squared(x, g)``
    interval, ``"ncp"``        ``uniroot`` on ``pchisq(H, k - 1, ncp)`` (``tests/r_reference``),
                               bounds ``ncp / (n - 1)``; ``effectsize:::.get_ncp_chi`` by optim
    interval, ``"bootstrap"``  ``effectsize::rank_epsilon_squared`` (percentile bootstrap)
    =========================  ==================================================================

    ``method="ncp"`` (default): H is referred to a noncentral chi-squared with k - 1 df, the law the
    Kruskal-Wallis test approximates (central under H0); its noncentrality λ is inverted as for
    Cramér's V (:func:`ncp_interval`) and each bound converted by the estimate's own formula, λ / (n - 1),
    capped at 1 (effectsize's ncp method, as its eta-squared from F). The lower bound is 0 exactly when
    ``kruskal.test`` does not reject at a = 1 - conf_level ("greater", one-sided [low, 1]) or at a/2
    ("two.sided"). The bounds measure λ, free of the df bias of H (E[H] ≈ k - 1 + λ); the estimate is
    not corrected, so with many groups and a very small H it can exceed a two-sided upper bound.
    All values tied: NaN (R's H is NaN).

    ``method="bootstrap"``: effectsize's seeded, stratified percentile bootstrap (``iterations``
    replicates from ``numpy.random.default_rng(seed)``, ``boot``'s ``norm.inter``); it agrees with R in
    distribution only, and its lower bound is above 0 even when the test does not reject.
    NaN values and empty groups are dropped.
    """
    samples = [s for s in (np.asarray(g, dtype=float).ravel() for g in groups)]
    samples = [s[~np.isnan(s)] for s in samples]
    samples = [s for s in samples if s.size > 0]
    if len(samples) < 2:
        raise ValueError("il faut au moins 2 groupes non vides")
    estimate = _epsilon(samples)
    if method == "bootstrap":
        return _epsilon_bootstrap(samples, estimate, conf_level, alternative, iterations, seed)
    if method != "ncp":
        raise ValueError(f"méthode d'intervalle inconnue : {method!r}")
    n = sum(s.size for s in samples)
    h = kruskal_h(samples)
    df = float(len(samples) - 1)
    ncp_low, ncp_high = ncp_interval(h, df, conf_level, alternative)
    low = min(ncp_low / (n - 1), 1.0)
    high = 1.0 if math.isinf(ncp_high) else min(ncp_high / (n - 1), 1.0)
    side = "unilatéral" if alternative != "two.sided" else "bilatéral"
    return EffectSize("epsilon_squared", estimate, low, high, conf_level,
                      f"epsilon² des rangs, IC {side} par inversion du khi² non central de Kruskal-Wallis",
                      {"statistic": h, "df": df, "n": n, "p_value": float(dist.chi2_sf(h, df)) if not math.isnan(h)
                       else math.nan, "alternative": alternative, "ncp_interval": (ncp_low, ncp_high)})


def _epsilon_bootstrap(samples: list[np.ndarray], estimate: float, conf_level: float, alternative: str,
                       iterations: int, seed: int | None) -> EffectSize:
    """effectsize's percentile bootstrap interval of epsilon² (see :func:`epsilon_squared`)."""
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
                      {"iterations": iterations, "seed": used_seed, "alternative": alternative,
                       "method": "bootstrap"})


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
