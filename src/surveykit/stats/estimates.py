"""Estimates of a difference between two groups, with the interval R gives.

======================================  ==============================================================
Python                                  R reference
======================================  ==============================================================
``proportion_difference``               Newcombe (1998) method 10: hybrid Wilson score interval,
                                        from ``prop.test(x, n, correct = FALSE)$conf.int`` of each group
``odds_ratio``                          ``fisher.test(table)$estimate``, ``$conf.int`` (2 x 2)
``mean_difference``                     ``t.test(x, y, var.equal)``: estimate difference, ``$conf.int``
``hodges_lehmann`` (in :mod:`.effects`) ``wilcox.test(x, y, conf.int = TRUE)``
======================================  ==============================================================

Each returns an :class:`~.effects.EffectSize` (estimate, bounds, level, French method label).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from surveykit.core import distributions as dist

from ._rmath import DBL_EPSILON, uniroot
from .effects import EffectSize, wilson_ci
from .rtests import _count_table, t_test


def proportion_difference(x1: int, n1: int, x2: int, n2: int, conf_level: float = 0.95) -> EffectSize:
    """p1 - p2 with Newcombe's hybrid score interval (Newcombe 1998, method 10; no continuity correction).

    With (l_i, u_i) the Wilson interval of p_i (:func:`~.effects.wilson_ci`, i.e. ``prop.test(x_i, n_i,
    correct = FALSE)$conf.int``) and d = p1 - p2:
    ``low = d - sqrt((p1 - l1)² + (u2 - p2)²)``, ``high = d + sqrt((u1 - p1)² + (p2 - l2)²)``.
    Defined for every 0 <= x_i <= n_i, n_i >= 1 (zero cells included); always inside [-1, 1].
    """
    a, b = wilson_ci(x1, n1, conf_level), wilson_ci(x2, n2, conf_level)
    d = a.estimate - b.estimate
    low = d - math.sqrt((a.estimate - a.ci_low) ** 2 + (b.ci_high - b.estimate) ** 2)
    high = d + math.sqrt((a.ci_high - a.estimate) ** 2 + (b.estimate - b.ci_low) ** 2)
    return EffectSize("proportion_difference", d, low, high, conf_level,
                      "différence de proportions, IC de Newcombe (score de Wilson hybride)",
                      {"p1": a.estimate, "p2": b.estimate, "n1": n1, "n2": n2})


# --------------------------------------------------------------------------- odds ratio (fisher.test)


class _NoncentralHypergeometric:
    """The conditional law of x[0, 0] given the margins, as in R's ``fisher.test`` (2 x 2)."""

    def __init__(self, table: np.ndarray):
        self.m = int(table[:, 0].sum())
        self.n = int(table[:, 1].sum())
        self.k = int(table[0, :].sum())
        self.x = int(table[0, 0])
        self.lo = max(0, self.k - self.n)
        self.hi = min(self.k, self.m)
        self.support = np.arange(self.lo, self.hi + 1)
        self.logdc = dist.hypergeom_logpmf(self.support, self.m + self.n, self.m, self.k)

    def density(self, ncp: float) -> np.ndarray:
        d = self.logdc + math.log(ncp) * self.support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mean(self, ncp: float) -> float:
        if ncp == 0:
            return float(self.lo)
        if ncp == math.inf:
            return float(self.hi)
        return float(np.sum(self.support * self.density(ncp)))

    def tail(self, ncp: float, upper: bool) -> float:
        """R's ``pnhyper(x, ncp, upper.tail)``: P(X >= x) or P(X <= x)."""
        if ncp == 1:
            logp = self.logdc
            mask = self.support >= self.x if upper else self.support <= self.x
            return float(np.exp(logp[mask]).sum())
        if ncp == 0:
            return float(self.x <= self.lo if upper else self.x >= self.lo)
        if ncp == math.inf:
            return float(self.x <= self.hi if upper else self.x >= self.hi)
        d = self.density(ncp)
        return float(d[self.support >= self.x].sum() if upper else d[self.support <= self.x].sum())


def _root_in_odds(f: Callable[[float], float], at_one: float) -> float:
    """R's two-branch ``uniroot`` search of fisher.test: on (0, 1) when f(1) > 0, else on 1/t, t in (eps, 1)."""
    if at_one > 0:
        return uniroot(f, 0.0, 1.0)
    if at_one < 0:
        return 1.0 / uniroot(lambda t: f(1.0 / t), DBL_EPSILON, 1.0)
    return 1.0


def _mle(law: _NoncentralHypergeometric) -> float:
    if law.x == law.lo:
        return 0.0
    if law.x == law.hi:
        return math.inf
    mu = law.mean(1.0)
    if mu > law.x:
        return uniroot(lambda t: law.mean(t) - law.x, 0.0, 1.0)
    if mu < law.x:
        return 1.0 / uniroot(lambda t: law.mean(1.0 / t) - law.x, DBL_EPSILON, 1.0)
    return 1.0


def _ncp_upper(law: _NoncentralHypergeometric, alpha: float) -> float:
    if law.x == law.hi:
        return math.inf
    p = law.tail(1.0, upper=False)
    return _root_in_odds(lambda t: law.tail(t, upper=False) - alpha, alpha - p)


def _ncp_lower(law: _NoncentralHypergeometric, alpha: float) -> float:
    if law.x == law.lo:
        return 0.0
    p = law.tail(1.0, upper=True)
    return _root_in_odds(lambda t: law.tail(t, upper=True) - alpha, p - alpha)


def odds_ratio(table: Sequence[Sequence[float]] | np.ndarray, conf_level: float = 0.95) -> EffectSize:
    """Conditional maximum likelihood odds ratio of a 2 x 2 table and its exact interval, as ``fisher.test``.

    ``estimate`` = ``fisher.test(table)$estimate`` (0 or inf when x[0, 0] is at an end of its support,
    e.g. a zero cell), ``ci_low``, ``ci_high`` = ``fisher.test(table, conf.level)$conf.int``: the
    two-sided interval inverting the two one-sided conditional tests at (1 - conf_level) / 2, found by
    R's ``uniroot`` (default tolerance) on the same path. The odds ratio is x11·x22 / (x12·x21) in
    direction: rows and columns as given.
    """
    x = _count_table(table)
    if x.shape != (2, 2):
        raise ValueError("l'odds ratio demande un tableau 2 × 2")
    if x.sum() == 0:
        raise ValueError("toutes les cellules du tableau sont nulles")
    law = _NoncentralHypergeometric(x.astype(np.int64))
    if law.lo == law.hi:
        raise ValueError("une marge du tableau est nulle : l'odds ratio n'est pas défini")
    alpha = (1 - conf_level) / 2
    return EffectSize("odds_ratio", _mle(law), _ncp_lower(law, alpha), _ncp_upper(law, alpha), conf_level,
                      "odds ratio (estimation conditionnelle du maximum de vraisemblance), IC exact",
                      {"table": x.astype(int).tolist()})


# --------------------------------------------------------------------------- difference of means


def mean_difference(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray,
                    conf_level: float = 0.95, var_equal: bool = False) -> EffectSize:
    """mean(x) - mean(y) with the t interval of ``t.test(x, y, var.equal, conf.level)`` (Welch by default)."""
    res = t_test(x, y, var_equal=var_equal, conf_level=conf_level)
    mx, my = res.extra["estimate"]
    low, high = res.extra["conf_int"]
    label = "Welch" if not var_equal else "Student"
    return EffectSize("mean_difference", mx - my, low, high, conf_level,
                      f"différence de moyennes, IC de {label}",
                      {"df": res.df, "stderr": res.extra["stderr"], "p_value": res.p_value})
