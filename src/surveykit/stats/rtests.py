"""Hypothesis tests that give the same numbers as R 4.x (``stats`` package).

Every function mirrors one R function, including its defaults, its special
cases and its ``method`` string, so that a p-value printed by the pipeline can
be checked against R line by line:

========================  ==============================================
Python                    R
========================  ==============================================
``fisher_test``           ``fisher.test(table)`` (exact, or simulated)
``chisq_test``            ``chisq.test(table, correct = TRUE)``
``wilcox_test``           ``wilcox.test(x, y, conf.int = ...)``
``kruskal_test``          ``kruskal.test(list(...))``
``t_test``                ``t.test(x, y, var.equal = ...)``
``anova_oneway``          ``summary(aov(y ~ g))`` / ``oneway.test(var.equal = TRUE)``
``shapiro_test``          ``shapiro.test(x)``
``p_adjust``              ``p.adjust(p, method)``
``binom_test``            ``binom.test(x, n, p)`` (two-sided)
``mcnemar_test``          ``mcnemar.test(table, correct)``; exact McNemar:
                          ``binom.test(b, b + c)`` on the discordant pairs
``wilcox_paired_test``    ``wilcox.test(x, y, paired = TRUE, exact, correct)``
========================  ==============================================

Missing values (NaN) are dropped first, as R's formula interface does with
``na.omit``. Only the Monte Carlo Fisher test cannot reproduce R's numbers:
it uses numpy's random generator instead of R's, so its p-value agrees with
R's in distribution only (seed and number of replicates are recorded).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import special

from surveykit.core import distributions as dist

from ._fexact import ExactTooLarge, fisher_rxc_pvalue
from ._rmath import (
    DBL_EPSILON,
    log_factorials,
    pwilcox,
    qwilcox,
    r_mean,
    r_var,
    uniroot,
    zeroin,
)

TEST_NAMES = ("chisq", "fisher", "fisher_mc", "t_student", "t_welch", "wilcoxon", "anova", "kruskal", "shapiro",
              "binomial", "mcnemar", "wilcoxon_paired")

#: Seed used for Monte Carlo p-values when the caller gives none (results stay reproducible).
DEFAULT_MC_SEED = 20260101

#: Default work budget of the exact r x c Fisher computation (network arcs / path pairs):
#: a few seconds of the compiled engine, which then has finished every table that R's
#: FEXACT (workspace = 2e8) finished within a minute in our benchmarks (up to 38 s of R).
DEFAULT_MAX_TABLES = 200_000_000

FISHER_METHOD = "Fisher's Exact Test for Count Data"


@dataclass(frozen=True)
class TestResult:
    """Outcome of one hypothesis test.

    ``test`` is one of :data:`TEST_NAMES`; ``method`` is R's method string;
    ``extra`` holds test-specific values (expected counts, estimates, CIs, ...).
    """

    __test__ = False  # not a pytest test class

    test: str
    statistic: float | None
    df: float | None
    p_value: float
    method: str
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- inputs


def _clean_sample(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """1-D float array without NaN (R's ``na.omit``)."""
    arr = np.asarray(values, dtype=float).ravel()
    return arr[~np.isnan(arr)]


def _count_table(table: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """Validate a contingency table like R: a matrix of non-negative finite counts."""
    x = np.asarray(table, dtype=float)
    if x.ndim != 2 or min(x.shape) < 2:
        raise ValueError("le tableau doit avoir au moins 2 lignes et 2 colonnes")
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError("les effectifs du tableau doivent être finis et positifs ou nuls")
    return np.round(x)


def drop_empty(table: np.ndarray) -> np.ndarray:
    """Remove all-zero rows and columns (what R does before simulating)."""
    x = np.asarray(table)
    x = x[x.sum(axis=1) > 0]
    return x[:, x.sum(axis=0) > 0]


# --------------------------------------------------------------------------- Fisher


def fisher_test(
    table: Sequence[Sequence[float]] | np.ndarray,
    *,
    simulate: bool = False,
    B: int = 2000,
    seed: int | None = None,
    max_tables: int = DEFAULT_MAX_TABLES,
) -> TestResult:
    """R's ``fisher.test`` (two-sided).

    * 2 x 2: hypergeometric law with R's ``relErr = 1 + 1e-7`` rule; ``extra``
      holds R's conditional maximum likelihood odds ratio (``estimate``).
      R ignores ``simulate.p.value`` for 2 x 2 tables, and so does this.
    * r x c: exact network algorithm (same value as R's FEXACT); if the network
      would exceed ``max_tables`` work units, or when ``simulate`` is true, the
      p-value is simulated like ``fisher.test(simulate.p.value = TRUE, B = B)``
      (test name ``fisher_mc``; ``extra`` records ``B``, ``seed`` and why).
    """
    x = _count_table(table)
    if x.sum() == 0:
        raise ValueError("toutes les cellules du tableau sont nulles")
    if x.shape == (2, 2):
        return _fisher_2x2(x.astype(np.int64))
    if simulate:
        return _fisher_simulated(x, B, seed, reason="simulation demandée")
    reduced = drop_empty(x).astype(np.int64)
    if min(reduced.shape) < 2:
        # a single non-empty row or column: every table with these margins is the observed one
        return TestResult("fisher", None, None, 1.0, FISHER_METHOD, {"dropped_empty": True})
    try:
        p = fisher_rxc_pvalue(reduced, max_work=max_tables)
    except ExactTooLarge:
        return _fisher_simulated(x, B, seed, reason="calcul exact trop volumineux")
    return TestResult("fisher", None, None, max(0.0, min(1.0, p)), FISHER_METHOD, {})


def _dhyper_log(support: np.ndarray, m: int, n: int, k: int) -> np.ndarray:
    """``dhyper(support, m, n, k, log = TRUE)``."""
    return dist.hypergeom_logpmf(support, m + n, m, k)


def _fisher_2x2(x: np.ndarray) -> TestResult:
    m = int(x[:, 0].sum())
    n = int(x[:, 1].sum())
    k = int(x[0, :].sum())
    x11 = int(x[0, 0])
    lo = max(0, k - n)
    hi = min(k, m)
    support = np.arange(lo, hi + 1)
    logdc = _dhyper_log(support, m, n, k)

    def dnhyper(ncp: float) -> np.ndarray:
        d = logdc + math.log(ncp) * support
        d = np.exp(d - d.max())
        return d / d.sum()

    d = dnhyper(1.0)
    rel_err = 1 + 10 ** (-7)
    p = float(np.sum(d[d <= d[x11 - lo] * rel_err]))
    estimate = _fisher_mle(x11, lo, hi, support, dnhyper)
    return TestResult("fisher", None, None, p, FISHER_METHOD, {"estimate": estimate})


def _fisher_mle(x11: int, lo: int, hi: int, support: np.ndarray, dnhyper) -> float:
    """R's conditional MLE of the odds ratio (``uniroot`` on the conditional mean)."""
    if x11 == lo:
        return 0.0
    if x11 == hi:
        return math.inf

    def mnhyper(ncp: float) -> float:
        if ncp == 0:
            return float(lo)
        if ncp == math.inf:
            return float(hi)
        return float(np.sum(support * dnhyper(ncp)))

    mu = mnhyper(1.0)
    if mu > x11:
        return uniroot(lambda t: mnhyper(t) - x11, 0.0, 1.0)
    if mu < x11:
        return 1.0 / uniroot(lambda t: mnhyper(1.0 / t) - x11, DBL_EPSILON, 1.0)
    return 1.0


def _fisher_simulated(x: np.ndarray, B: int, seed: int | None, reason: str) -> TestResult:
    """Monte Carlo p-value with R's statistic and counting rule (Patefield tables)."""
    reduced = drop_empty(x).astype(np.int64)
    if reduced.shape[0] < 2:
        raise ValueError("il faut au moins 2 marges de ligne non nulles")
    if reduced.shape[1] < 2:
        raise ValueError("il faut au moins 2 marges de colonne non nulles")
    from scipy.stats import random_table  # only here: importing scipy.stats costs every job half a second

    used_seed = DEFAULT_MC_SEED if seed is None else int(seed)
    rng = np.random.default_rng(used_seed)
    sims = random_table(reduced.sum(axis=1), reduced.sum(axis=0)).rvs(
        size=B, method="patefield", random_state=rng).astype(np.int64)
    statistic = -float(special.gammaln(reduced + 1.0).sum())
    # lfactorial table; R's C code uses cumulated logs: the almost.1 factor absorbs the difference
    fact = log_factorials(int(reduced.sum()))
    simulated = -fact[sims].sum(axis=(1, 2))
    almost_one = 1 + 64 * DBL_EPSILON
    p = (1 + int(np.sum(simulated <= statistic / almost_one))) / (B + 1)
    method = f"{FISHER_METHOD} with simulated p-value\n\t (based on {B} replicates)"
    extra = {"B": B, "seed": used_seed, "reason": reason}
    return TestResult("fisher_mc", statistic, None, p, method, extra)


# --------------------------------------------------------------------------- chi-squared


def chisq_test(table: Sequence[Sequence[float]] | np.ndarray, correct: bool = True) -> TestResult:
    """R's ``chisq.test(table, correct)`` for a contingency table.

    Yates' correction only for 2 x 2 tables, with R's ``min(0.5, |O - E|)``.
    Like R, an all-zero row or column gives NaN (drop it first).
    """
    x = _count_table(table)
    n = x.sum()
    if n == 0:
        raise ValueError("au moins une cellule du tableau doit être positive")
    expected = np.outer(x.sum(axis=1), x.sum(axis=0)) / n
    method = "Pearson's Chi-squared test"
    yates = 0.0
    if correct and x.shape == (2, 2):
        yates = float(min(0.5, np.min(np.abs(x - expected))))
        if yates > 0:
            method += " with Yates' continuity correction"
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.sum((np.abs(x - expected) - yates) ** 2 / expected))
    df = float((x.shape[0] - 1) * (x.shape[1] - 1))
    p = float(dist.chi2_sf(statistic, df)) if not math.isnan(statistic) else math.nan
    return TestResult("chisq", statistic, df, p, method, {"expected": expected})


# --------------------------------------------------------------------------- Wilcoxon


def wilcox_test(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    exact: bool | None = None,
    correct: bool = True,
    conf_int: bool = False,
    conf_level: float = 0.95,
) -> TestResult:
    """R's two-sample, two-sided ``wilcox.test(x, y, exact, correct, conf.int)``.

    Exact distribution when ``exact`` is None and both groups have fewer than
    50 values, or when ``exact`` is true, provided there are no ties; otherwise
    the normal approximation with tie and continuity corrections. With
    ``conf_int`` the Hodges-Lehmann estimate (``extra['estimate']``) and the
    interval (``extra['conf_int']``) are computed as R does, including the
    ``uniroot(tol = 1e-4)`` search of the asymptotic branch.
    """
    x = _finite(x)
    y = _finite(y)
    if x.size < 1:
        raise ValueError("pas assez d'observations (non manquantes) dans 'x'")
    if y.size < 1:
        raise ValueError("pas assez d'observations dans 'y'")
    nx, ny = float(x.size), float(y.size)
    ranks = dist.rankdata(np.concatenate([x, y]))
    w = float(ranks[: x.size].sum() - nx * (nx + 1) / 2)
    if exact is None:
        exact = nx < 50 and ny < 50
    ties = np.unique(ranks).size != ranks.size
    if exact and not ties:
        return _wilcox_exact(x, y, w, conf_int, conf_level)
    return _wilcox_normal(x, y, w, ranks, correct, conf_int, conf_level)


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """R's wilcox.test drops NA and then uses finite values only."""
    arr = np.asarray(values, dtype=float).ravel()
    return arr[np.isfinite(arr)]


def _wilcox_exact(x: np.ndarray, y: np.ndarray, w: float, conf_int: bool, conf_level: float) -> TestResult:
    nx, ny = x.size, y.size
    if w > nx * ny / 2:
        p = pwilcox(w - 1, nx, ny, lower_tail=False)
    else:
        p = pwilcox(w, nx, ny)
    p = min(2 * p, 1.0)
    extra: dict[str, Any] = {"exact": True}
    if conf_int:
        alpha = 1 - conf_level
        diffs = np.sort(np.subtract.outer(x, y).ravel())
        qu = qwilcox(alpha / 2, nx, ny)
        if qu == 0:
            qu = 1
        ql = nx * ny - qu
        achieved = 2 * pwilcox(qu - 1, nx, ny)
        level = conf_level
        if achieved - alpha > alpha / 2:
            level = 1 - achieved
        extra.update(estimate=float(np.median(diffs)),
                     conf_int=(float(diffs[qu - 1]), float(diffs[ql])), conf_level=level)
    return TestResult("wilcoxon", w, None, p, "Wilcoxon rank sum exact test", extra)


def _tie_sigma(ranks: np.ndarray, nx: float, ny: float) -> float:
    _, counts = np.unique(ranks, return_counts=True)
    counts = counts.astype(float)
    ties = float(np.sum(counts ** 3 - counts))
    return math.sqrt((nx * ny / 12) * ((nx + ny + 1) - ties / ((nx + ny) * (nx + ny - 1))))


def _wilcox_normal(x: np.ndarray, y: np.ndarray, w: float, ranks: np.ndarray, correct: bool,
                   conf_int: bool, conf_level: float) -> TestResult:
    nx, ny = float(x.size), float(y.size)
    z = w - nx * ny / 2
    sigma = _tie_sigma(ranks, nx, ny)
    method = "Wilcoxon rank sum test"
    correction = 0.0
    if correct:
        correction = float(np.sign(z)) * 0.5
        method += " with continuity correction"
    z = _ratio(z - correction, sigma)
    p = math.nan if math.isnan(z) else 2 * min(float(dist.norm_cdf(z)), float(dist.norm_sf(z)))
    extra: dict[str, Any] = {"exact": False, "z": z}
    if conf_int:
        estimate, ci = _wilcox_asymptotic_ci(x, y, correct, conf_level)
        extra.update(estimate=estimate, conf_int=ci, conf_level=conf_level)
    return TestResult("wilcoxon", w, None, p, method, extra)


def _ratio(num: float, den: float) -> float:
    """IEEE division as in R: x / 0 is +-Inf, 0 / 0 is NaN."""
    if den != 0:
        return num / den
    return math.nan if num == 0 else math.copysign(math.inf, num)


def _wilcox_asymptotic_ci(x: np.ndarray, y: np.ndarray, correct: bool,
                          conf_level: float) -> tuple[float, tuple[float, float]]:
    """R's asymptotic Hodges-Lehmann estimate and interval (uniroot, tol 1e-4)."""
    nx, ny = float(x.size), float(y.size)
    alpha = 1 - conf_level
    mumin = float(x.min() - y.max())
    mumax = float(x.max() - y.min())

    def w_stat(d: float, use_correction: bool) -> float:
        dr = dist.rankdata(np.concatenate([x - d, y]))
        dz = float(dr[: x.size].sum()) - nx * (nx + 1) / 2 - nx * ny / 2
        corr = float(np.sign(dz)) * 0.5 if use_correction else 0.0
        sigma = _tie_sigma(dr, nx, ny)
        if sigma == 0:
            raise ValueError("intervalle de confiance impossible : toutes les observations sont égales")
        return (dz - corr) / sigma

    w_min = w_stat(mumin, correct)
    w_max = w_stat(mumax, correct)

    def root(zq: float) -> float:
        f_lower = w_min - zq
        if f_lower <= 0:
            return mumin
        f_upper = w_max - zq
        if f_upper >= 0:
            return mumax
        return zeroin(lambda d: w_stat(d, correct) - zq, mumin, mumax, f_lower, f_upper, 1e-4)

    lower = root(float(dist.norm_isf(alpha / 2)))
    upper = root(float(dist.norm_ppf(alpha / 2)))
    estimate = uniroot(lambda d: w_stat(d, False), mumin, mumax, tol=1e-4)
    return estimate, (lower, upper)


# --------------------------------------------------------------------------- Kruskal-Wallis


def kruskal_test(groups: Sequence[Sequence[float] | np.ndarray]) -> TestResult:
    """R's ``kruskal.test`` (tie-corrected H); groups left empty after NaN removal are dropped.

    Dropping empty groups is what R's formula / ``(x, g)`` interface does; R's
    list interface would stop instead.
    """
    samples = [s for s in (_clean_sample(g) for g in groups) if s.size > 0]
    if len(samples) < 2:
        raise ValueError("toutes les observations sont dans le même groupe")
    statistic = kruskal_h(samples)
    df = float(len(samples) - 1)
    p = math.nan if math.isnan(statistic) else float(dist.chi2_sf(statistic, df))
    return TestResult("kruskal", statistic, df, p, "Kruskal-Wallis rank sum test", {"n_groups": len(samples)})


def kruskal_h(samples: Sequence[np.ndarray]) -> float:
    """Tie-corrected Kruskal-Wallis H, computed as R does (NaN when every value is tied)."""
    values = np.concatenate(samples)
    n = float(values.size)
    ranks = dist.rankdata(values)
    bounds = np.cumsum([0] + [s.size for s in samples])
    h = sum(float(ranks[a:b].sum()) ** 2 / (b - a) for a, b in zip(bounds[:-1], bounds[1:]))
    _, counts = np.unique(values, return_counts=True)
    counts = counts.astype(float)
    correction = 1 - float(np.sum(counts ** 3 - counts)) / (n ** 3 - n)
    return _ratio(12 * h / (n * (n + 1)) - 3 * (n + 1), correction)


# --------------------------------------------------------------------------- t-test


def t_test(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    var_equal: bool = False,
    conf_level: float = 0.95,
) -> TestResult:
    """R's two-sample, two-sided ``t.test(x, y, var.equal)`` (Welch by default).

    Raises ValueError where R stops (too few values, essentially constant
    data); also for data that are all zero, where R returns NaN.
    """
    x = _clean_sample(x)
    y = _clean_sample(y)
    nx, ny = x.size, y.size
    if nx < 1 or (not var_equal and nx < 2):
        raise ValueError("pas assez d'observations dans 'x'")
    if ny < 1 or (not var_equal and ny < 2):
        raise ValueError("pas assez d'observations dans 'y'")
    if var_equal and nx + ny < 3:
        raise ValueError("pas assez d'observations")
    mx, my = r_mean(x), r_mean(y)
    stderr, df = _t_stderr_df(x, y, var_equal)
    if stderr < 10 * DBL_EPSILON * max(abs(mx), abs(my)) or stderr == 0:
        raise ValueError("les données sont pratiquement constantes")
    t = (mx - my) / stderr
    p = 2 * float(dist.t_cdf(-abs(t), df))
    q = float(dist.t_ppf(1 - (1 - conf_level) / 2, df))
    extra = {"estimate": (mx, my), "conf_int": ((t - q) * stderr, (t + q) * stderr),
             "stderr": stderr, "conf_level": conf_level}
    if var_equal:
        return TestResult("t_student", t, df, p, " Two Sample t-test", extra)
    return TestResult("t_welch", t, df, p, "Welch Two Sample t-test", extra)


def _t_stderr_df(x: np.ndarray, y: np.ndarray, var_equal: bool) -> tuple[float, float]:
    """Standard error of the mean difference and degrees of freedom (pooled or Welch)."""
    nx, ny = x.size, y.size
    vx, vy = r_var(x), r_var(y)
    if var_equal:
        df = float(nx + ny - 2)
        v = 0.0
        if nx > 1:
            v += (nx - 1) * vx
        if ny > 1:
            v += (ny - 1) * vy
        return math.sqrt(v / df * (1 / nx + 1 / ny)), df
    se_x = math.sqrt(vx / nx)
    se_y = math.sqrt(vy / ny)
    stderr = math.sqrt(se_x ** 2 + se_y ** 2)
    if stderr == 0:
        return 0.0, math.nan
    return stderr, stderr ** 4 / (se_x ** 4 / (nx - 1) + se_y ** 4 / (ny - 1))


# --------------------------------------------------------------------------- one-way ANOVA


def anova_oneway(groups: Sequence[Sequence[float] | np.ndarray]) -> TestResult:
    """Classical one-way ANOVA F test, as ``summary(aov(y ~ g))``.

    Equals ``oneway.test(var.equal = TRUE)`` whenever every group has at least
    two values (oneway.test refuses smaller groups; aov does not).
    """
    samples = [s for s in (_clean_sample(g) for g in groups) if s.size > 0]
    k = len(samples)
    n = sum(s.size for s in samples)
    if k < 2:
        raise ValueError("il faut au moins 2 groupes non vides")
    if n <= k:
        raise ValueError("pas assez d'observations (aucun degré de liberté résiduel)")
    grand = r_mean(np.concatenate(samples))
    means = [r_mean(s) for s in samples]
    ss_between = math.fsum(s.size * (m - grand) ** 2 for s, m in zip(samples, means))
    ss_within = math.fsum(math.fsum((s - m) ** 2) for s, m in zip(samples, means))
    df1, df2 = float(k - 1), float(n - k)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.float64(ss_between / df1) / np.float64(ss_within / df2))
    p = math.nan if math.isnan(statistic) else float(dist.f_sf(statistic, df1, df2))
    extra = {"df_denominator": df2, "ss_between": ss_between, "ss_within": ss_within}
    return TestResult("anova", statistic, df1, p, "One-way analysis of means", extra)


# --------------------------------------------------------------------------- Shapiro-Wilk

_C1 = (0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056)
_C2 = (0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633)
_C3 = (0.544, -0.39978, 0.025054, -6.714e-4)
_C4 = (1.3822, -0.77857, 0.062767, -0.0020322)
_C5 = (-1.5861, -0.31082, -0.083751, 0.0038915)
_C6 = (-0.4803, -0.082676, 0.0030302)
_G = (-2.273, 0.459)


def _poly(cc: Sequence[float], x: float) -> float:
    """AS 181.2 polynomial evaluation in R's order (Horner from the top)."""
    result = cc[0]
    if len(cc) > 1:
        p = x * cc[-1]
        for j in range(len(cc) - 2, 0, -1):
            p = (p + cc[j]) * x
        result += p
    return result


def _swilk_coefficients(n: int) -> list[float]:
    """Coefficients a[1..n/2] of AS R94 (index 0 unused, as in R's C code)."""
    nn2 = n // 2
    a = [0.0] * (nn2 + 1)
    if n == 3:
        a[1] = 0.70710678
        return a
    an25 = n + 0.25
    summ2 = 0.0
    for i in range(1, nn2 + 1):
        a[i] = float(special.ndtri((i - 0.375) / an25))
        summ2 += a[i] * a[i]
    summ2 *= 2.0
    ssumm2 = math.sqrt(summ2)
    rsn = 1.0 / math.sqrt(n)
    a1 = _poly(_C1, rsn) - a[1] / ssumm2
    if n > 5:
        i1 = 3
        a2 = -a[2] / ssumm2 + _poly(_C2, rsn)
        fac = math.sqrt((summ2 - 2.0 * (a[1] * a[1]) - 2.0 * (a[2] * a[2]))
                        / (1.0 - 2.0 * (a1 * a1) - 2.0 * (a2 * a2)))
        a[2] = a2
    else:
        i1 = 2
        fac = math.sqrt((summ2 - 2.0 * (a[1] * a[1])) / (1.0 - 2.0 * (a1 * a1)))
    a[1] = a1
    for i in range(i1, nn2 + 1):
        a[i] /= -fac
    return a


def _swilk(x: np.ndarray) -> tuple[float, float]:
    """W and its p-value for sorted ``x``: a line-by-line port of R's ``swilk.c`` (AS R94)."""
    n = x.size
    a = _swilk_coefficients(n)
    rng = float(x[-1] - x[0])
    if rng < 1e-19:
        raise ValueError("toutes les valeurs de 'x' sont identiques")
    xs = [float(v) / rng for v in x]
    sx = xs[0]
    sa = -a[1]
    i, j = 1, n - 1
    while i < n:
        sx += xs[i]
        i += 1
        if i != j:
            sa += _sign(i - j) * a[min(i, j)]
        j -= 1
    sa /= n
    sx /= n
    ssa = ssx = sax = 0.0
    j = n - 1
    for i in range(n):
        asa = (_sign(i - j) * a[1 + min(i, j)] - sa) if i != j else -sa
        xsx = xs[i] - sx
        ssa += asa * asa
        ssx += xsx * xsx
        sax += asa * xsx
        j -= 1
    ssassx = math.sqrt(ssa * ssx)
    w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
    w = 1.0 - w1
    return w, _swilk_pvalue(n, w, w1)


def _sign(v: int) -> float:
    return float((v > 0) - (v < 0))


def _swilk_pvalue(n: int, w: float, w1: float) -> float:
    if n == 3:
        pi6 = 1.90985931710274
        stqr = 1.04719755119660
        return max(pi6 * (math.asin(math.sqrt(w)) - stqr), 0.0)
    y = math.log(w1)
    xx = math.log(n)
    if n <= 11:
        gamma = _poly(_G, n)
        if y >= gamma:
            return 1e-99
        y = -math.log(gamma - y)
        m = _poly(_C3, n)
        s = math.exp(_poly(_C4, n))
    else:
        m = _poly(_C5, xx)
        s = math.exp(_poly(_C6, xx))
    return float(dist.norm_sf((y - m) / s))


def shapiro_test(x: Sequence[float] | np.ndarray) -> TestResult:
    """R's ``shapiro.test(x)`` (AS R94 as coded in R, not scipy's variant)."""
    values = np.sort(_clean_sample(x))
    n = values.size
    if n < 3 or n > 5000:
        raise ValueError("la taille de l'échantillon doit être comprise entre 3 et 5000")
    rng = float(values[-1] - values[0])
    if rng == 0:
        raise ValueError("toutes les valeurs de 'x' sont identiques")
    if rng < 1e-10:
        values = values / rng
    w, p = _swilk(values)
    return TestResult("shapiro", w, None, p, "Shapiro-Wilk normality test", {"n": n})


# --------------------------------------------------------------------------- p.adjust


def p_adjust(p: Sequence[float] | np.ndarray, method: str) -> np.ndarray:
    """R's ``p.adjust(p, method)`` for "holm", "BH" (alias "fdr"), "bonferroni", "none".

    NaN entries stay NaN and do not count in the number of tests, as in R.
    """
    values = np.asarray(p, dtype=float).ravel()
    out = values.copy()
    ok = ~np.isnan(values)
    q = values[ok]
    n = q.size
    if method == "fdr":
        method = "BH"
    if method not in ("holm", "BH", "bonferroni", "none"):
        raise ValueError(f"méthode d'ajustement inconnue : {method!r}")
    if n <= 1 or method == "none":
        return out
    if method == "bonferroni":
        adjusted = np.minimum(1.0, n * q)
    elif method == "holm":
        order = np.argsort(q, kind="stable")
        i = np.arange(1, n + 1)
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * q[order]))
    else:
        order = np.argsort(-q, kind="stable")
        i = np.arange(n, 0, -1)
        adjusted = np.empty(n)
        adjusted[order] = np.minimum(1.0, np.minimum.accumulate(n / i * q[order]))
    out[ok] = adjusted
    return out


# --------------------------------------------------------------------------- paired samples


def binom_test(x: int, n: int, p: float = 0.5) -> TestResult:
    """R's two-sided ``binom.test(x, n, p)$p.value`` (sum of the outcomes as or less likely, relErr 1 + 1e-7)."""
    if n < 1 or not 0 <= x <= n:
        raise ValueError("il faut 0 <= x <= n et n >= 1")
    if not 0 <= p <= 1:
        raise ValueError("'p' doit être compris entre 0 et 1")
    extra = {"estimate": x / n, "n": n}
    method = "Exact binomial test"
    if p in (0.0, 1.0):
        return TestResult("binomial", float(x), None, float(x == (0 if p == 0 else n)), method, extra)
    support = np.arange(n + 1)
    d = np.exp(special.gammaln(n + 1) - special.gammaln(support + 1) - special.gammaln(n - support + 1)
               + special.xlogy(support, p) + special.xlog1py(n - support, -p))
    m = n * p
    rel_err = 1 + 1e-7
    if x == m:
        pval = 1.0
    elif x < m:
        i = support[support >= math.ceil(m)]
        y = int(np.sum(d[i] <= d[x] * rel_err))
        pval = dist.binom_cdf(x, n, p) + dist.binom_sf(n - y, n, p)
    else:
        i = support[support <= math.floor(m)]
        y = int(np.sum(d[i] <= d[x] * rel_err))
        pval = dist.binom_cdf(y - 1, n, p) + dist.binom_sf(x - 1, n, p)
    return TestResult("binomial", float(x), None, min(1.0, pval), method, extra)


def mcnemar_test(table: Sequence[Sequence[float]] | np.ndarray, correct: bool = True) -> TestResult:
    """R's ``mcnemar.test(table, correct)`` (Bowker's symmetry test beyond 2 x 2); rows = first wave.

    Continuity correction |b - c| - 1 only for a 2 x 2 table with b != c. No discordant pair: NaN (as R).
    ``extra['exact_p_value']`` (2 x 2 only) is the exact McNemar test, ``binom.test(b, b + c)$p.value``
    (1 when b + c = 0).
    """
    x = np.asarray(table, dtype=float)
    if x.ndim != 2 or x.shape[0] != x.shape[1] or x.shape[0] < 2:
        raise ValueError("le tableau apparié doit être carré, au moins 2 × 2")
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError("les effectifs du tableau doivent être finis et positifs ou nuls")
    r = x.shape[0]
    df = r * (r - 1) / 2
    method = "McNemar's Chi-squared test"
    if correct and r == 2 and np.any(x - x.T != 0):
        y = np.abs(x - x.T) - 1
        method += " with continuity correction"
    else:
        y = x - x.T
    s = x + x.T
    upper = np.triu_indices(r, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.sum(y[upper] ** 2 / s[upper]))
    p = math.nan if math.isnan(statistic) else float(dist.chi2_sf(statistic, df))
    extra: dict[str, Any] = {}
    if r == 2:
        b, c = int(x[0, 1]), int(x[1, 0])
        extra = {"discordant": (b, c), "exact_p_value": binom_test(b, b + c).p_value if b + c else 1.0}
    return TestResult("mcnemar", statistic, df, p, method, extra)


@lru_cache(maxsize=64)
def signrank_counts(n: int) -> tuple[int, ...]:
    """Number of subsets of {1..n} with each sum 0..n(n+1)/2 (R's ``csignrank``), exact integers."""
    total = n * (n + 1) // 2
    counts = [0] * (total + 1)
    counts[0] = 1
    for k in range(1, n + 1):
        for s in range(k * (k + 1) // 2, k - 1, -1):
            counts[s] += counts[s - k]
    return tuple(counts)


def psignrank(q: float, n: int, lower_tail: bool = True) -> float:
    """R's ``psignrank(q, n, lower.tail)`` from exact counts."""
    q = math.floor(q + 1e-7)
    total = n * (n + 1) // 2
    if q < 0:
        return 0.0 if lower_tail else 1.0
    if q >= total:
        return 1.0 if lower_tail else 0.0
    counts = signrank_counts(n)
    below = sum(counts[: int(q) + 1])
    return below / 2 ** n if lower_tail else (2 ** n - below) / 2 ** n


def qsignrank(p: float, n: int) -> int:
    """R's ``qsignrank(p, n)`` (lower tail), with its ``10 * DBL_EPSILON`` fuzz and summation order."""
    counts = signrank_counts(n)
    f = math.exp(-n * math.log(2))
    acc = 0.0
    q = 0
    if p <= 0.5:
        target = p - 10 * DBL_EPSILON
        while True:
            acc += counts[q] * f
            if acc >= target:
                return q
            q += 1
    target = 1 - p + 10 * DBL_EPSILON
    while True:
        acc += counts[q] * f
        if acc > target:
            return n * (n + 1) // 2 - q
        q += 1


def wilcox_paired_test(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    exact: bool | None = None,
    correct: bool = True,
    conf_int: bool = False,
    conf_level: float = 0.95,
) -> TestResult:
    """R's two-sided ``wilcox.test(x, y, paired = TRUE, exact, correct, conf.int)`` (signed-rank test).

    Pairs with a missing value are dropped (``complete.cases``), then zero differences. Exact
    distribution (``psignrank``) when ``exact`` is None and fewer than 50 differences remain, or when
    ``exact`` is true, provided there are neither ties nor zeros; otherwise the normal approximation
    with R's tie correction and continuity correction. Statistic V = sum of the ranks of the positive
    differences. Every difference zero: NaN (as R). With ``conf_int``: R's pseudo-median of the
    differences (``extra['estimate']``) and its interval (``extra['conf_int']``, level actually reached
    in ``extra['conf_level']``): Walsh averages and ``qsignrank`` (exact), or R's ``uniroot`` (tol 1e-4)
    on the normal statistic, with its level-doubling rule.
    """
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.size != b.size:
        raise ValueError("'x' et 'y' doivent avoir la même longueur")
    ok = ~(np.isnan(a) | np.isnan(b))
    d = a[ok] - b[ok]
    if d.size < 1:
        raise ValueError("pas assez d'observations (non manquantes) dans 'x'")
    zeroes = bool(np.any(d == 0))
    d = d[d != 0]
    n = d.size
    if exact is None:
        exact = n < 50
    ranks = dist.rankdata(np.abs(d))
    v = float(ranks[d > 0].sum())
    ties = np.unique(ranks).size != ranks.size
    extra: dict[str, Any] = {"n_nonzero": n, "zeroes": zeroes}
    if exact and not ties and not zeroes:
        p = psignrank(v - 1, n, lower_tail=False) if v > n * (n + 1) / 4 else psignrank(v, n)
        if conf_int:
            extra.update(_signrank_exact_ci(d, conf_level))
        return TestResult("wilcoxon_paired", v, None, min(2 * p, 1.0), "Wilcoxon signed rank exact test",
                          extra | {"exact": True})
    z = v - n * (n + 1) / 4
    sigma = _signrank_sigma(ranks, n)
    method = "Wilcoxon signed rank test"
    correction = 0.0
    if correct:
        correction = float(np.sign(z)) * 0.5
        method += " with continuity correction"
    z = _ratio(z - correction, sigma)
    p = math.nan if math.isnan(z) else 2 * min(float(dist.norm_cdf(z)), float(dist.norm_sf(z)))
    if conf_int:
        extra.update(_signrank_normal_ci(d, correct, conf_level))
    return TestResult("wilcoxon_paired", v, None, p, method, extra | {"exact": False, "z": z})


def _signrank_sigma(ranks: np.ndarray, n: int) -> float:
    _, counts = np.unique(ranks, return_counts=True)
    counts = counts.astype(float)
    return math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(counts ** 3 - counts)) / 48)


def _signrank_exact_ci(d: np.ndarray, conf_level: float) -> dict[str, Any]:
    """Exact pseudo-median and interval: order statistics of the Walsh averages (R's exact branch)."""
    n = d.size
    alpha = 1 - conf_level
    walsh = np.add.outer(d, d)[np.triu_indices(n)]
    walsh = np.sort(walsh) / 2
    qu = qsignrank(alpha / 2, n)
    if qu == 0:
        qu = 1
    ql = n * (n + 1) // 2 - qu
    achieved = 2 * psignrank(qu - 1, n)
    level = conf_level
    if achieved - alpha > alpha / 2:
        level = 1 - float(f"{achieved:.2g}")
    return {"estimate": float(np.median(walsh)), "conf_int": (float(walsh[qu - 1]), float(walsh[ql])),
            "conf_level": level}


def _signrank_normal_ci(d: np.ndarray, correct: bool, conf_level: float) -> dict[str, Any]:
    """R's asymptotic pseudo-median and interval of the signed-rank test (uniroot, tol 1e-4)."""
    if d.size == 0:
        return {"estimate": math.nan, "conf_int": (math.nan, math.nan), "conf_level": 0.0}

    def w_stat(shift: float, use_correction: bool) -> float:
        xd = d - shift
        xd = xd[xd != 0]
        nx = xd.size
        dr = dist.rankdata(np.abs(xd))
        zd = float(dr[xd > 0].sum()) - nx * (nx + 1) / 4
        corr = float(np.sign(zd)) * 0.5 if use_correction else 0.0
        return _ratio(zd - corr, _signrank_sigma(dr, nx))

    mumin, mumax = float(d.min()), float(d.max())
    w_min = w_stat(mumin, correct)
    w_max = w_stat(mumax, correct) if math.isfinite(w_min) else math.nan
    if not math.isfinite(w_max):
        return {"estimate": (mumin + mumax) / 2, "conf_int": (math.nan, math.nan), "conf_level": 0.0}
    alpha = 1 - conf_level
    while w_min - float(dist.norm_isf(alpha / 2)) < 0 or w_max - float(dist.norm_ppf(alpha / 2)) > 0:
        alpha *= 2
    level = conf_level
    if alpha >= 1 or 1 - conf_level < alpha * 0.75:
        level = 1 - min(1.0, alpha)
    if alpha < 1:
        bounds = tuple(zeroin(lambda s, q=zq: w_stat(s, correct) - q, mumin, mumax, w_min - zq, w_max - zq, 1e-4)
                       for zq in (float(dist.norm_isf(alpha / 2)), float(dist.norm_ppf(alpha / 2))))
    else:
        bounds = (float(np.median(d)),) * 2
    estimate = uniroot(lambda s: w_stat(s, False), mumin, mumax, tol=1e-4)
    return {"estimate": estimate, "conf_int": bounds, "conf_level": level}
