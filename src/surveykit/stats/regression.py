"""Logistic regression of a binary outcome and linear regression of a score, as R computes them.

===============================  =====================================================================
Python                           R (4.2, MASS 7.3)
===============================  =====================================================================
``logistic_regression``          ``glm(y ~ a + b, family = binomial)`` on complete cases
``Term.estimate, se, p_value``   ``summary(fit)$coefficients`` (Wald z)
``Term.wald_low/high``           ``exp(confint.default(fit))``
``Term.profile_low/high``        ``exp(confint(fit))`` (``MASS:::confint.glm``: profile on a grid,
                                 spline-interpolated, as MASS does, not the exact root)
``CovariateTest`` (logistic)     ``drop1(fit, test = "LRT")`` (likelihood ratio, all levels at once)
``univariable``                  one ``glm(y ~ a)`` per covariate, each on its own complete cases
``linear_regression``            ``lm(y ~ a + b)``, ``confint(fit)``, ``drop1(fit, test = "F")``
===============================  =====================================================================

Covariates are given by name → values: numbers (NaN missing) enter as they are; anything else is a
factor with treatment contrasts, its first level the reference (levels as given in ``levels``, else
sorted, as R's ``factor``), missing as None, NaN or "". The IRLS iterations are R's ``glm.fit``
(same start, same convergence rule ``|dev - dev_old| / (|dev| + 0.1) < 1e-8``), so estimates, standard
errors and profile grids follow R's path. Separation (a combination of covariates predicting the
outcome perfectly, where R prints "fitted probabilities numerically 0 or 1" and infinite-looking
ORs) is detected beforehand by linear programming (Konis 2007) and raised as :class:`SeparationError`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from surveykit.core import distributions as dist

from ._rmath import DBL_EPSILON

EPSILON = 1e-8  # glm.control()$epsilon
MAXIT = 25  # glm.control()$maxit
_THRESH, _MTHRESH, _INVEPS = 30.0, -30.0, 1 / DBL_EPSILON


class SeparationError(ValueError):
    """The outcome is perfectly predicted by a combination of covariates: no finite maximum likelihood."""


@dataclass(frozen=True)
class Term:
    """One coefficient: log-odds (logistic) or slope (linear), its test and intervals (OR scale for logistic)."""

    term: str
    covariate: str
    level: str
    estimate: float
    se: float
    statistic: float
    p_value: float
    ratio: float = math.nan
    wald_low: float = math.nan
    wald_high: float = math.nan
    profile_low: float = math.nan
    profile_high: float = math.nan


@dataclass(frozen=True)
class CovariateTest:
    """Global test of one covariate (all its levels): likelihood ratio (logistic) or F (linear)."""

    covariate: str
    df: int
    statistic: float
    p_value: float


@dataclass(frozen=True)
class RegressionResult:
    kind: str
    terms: list[Term]
    tests: list[CovariateTest]
    n: int
    events: int | None
    parameters: int
    epv: float | None
    deviance: float
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- design


def _is_missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _is_numeric(values: Sequence) -> bool:
    """Numbers (None or NaN for missing) enter as they are; anything else is a factor."""
    present = [v for v in values if not _is_missing(v)]
    return all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in present)


def design(y: Sequence, covariates: Mapping[str, Sequence], levels: Mapping[str, Sequence[str]] | None = None
           ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str, str]], list[list[int]]]:
    """(X, y, [(term, covariate, level)], columns of each covariate) on complete cases, intercept first."""
    levels = dict(levels or {})
    yv = np.asarray(y, dtype=float)
    keep = ~np.isnan(yv)
    for values in covariates.values():
        keep &= np.array([not _is_missing(v) for v in values], dtype=bool)
    columns = [np.ones(int(keep.sum()))]
    names = [("(Intercept)", "", "")]
    groups = []
    for name, values in covariates.items():
        if _is_numeric(values):
            groups.append([len(columns)])
            columns.append(np.asarray(values, dtype=float)[keep])
            names.append((name, name, ""))
            continue
        kept = [str(v) for v, k in zip(values, keep) if k]
        lv = [str(v) for v in levels.get(name, sorted(set(kept)))]
        unknown = set(kept) - set(lv)
        if unknown:
            raise ValueError(f"{name} : modalités absentes de la liste des niveaux : {sorted(unknown)}")
        present = [v for v in lv if v in set(kept)]  # R drops unused levels of a model frame (droplevels)
        groups.append(list(range(len(columns), len(columns) + len(present) - 1)))
        for level in present[1:]:
            columns.append(np.array([v == level for v in kept], dtype=float))
            names.append((f"{name}{level}", name, level))
    return np.column_stack(columns), yv[keep], names, groups


# --------------------------------------------------------------------------- glm.fit (binomial, logit)


def _linkinv(eta: np.ndarray) -> np.ndarray:
    tmp = np.where(eta < _MTHRESH, DBL_EPSILON, np.where(eta > _THRESH, _INVEPS, np.exp(np.clip(eta, -700, 700))))
    return tmp / (1 + tmp)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    e = np.exp(np.clip(eta, -700, 700))
    return np.where((eta > _THRESH) | (eta < _MTHRESH), DBL_EPSILON, e / ((1 + e) * (1 + e)))


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y > 0, y * np.log(y / mu), 0.0)
        b = np.where(1 - y > 0, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return float(np.sum(2 * (a + b)))


@dataclass
class _Fit:
    coef: np.ndarray
    deviance: float
    cov_unscaled: np.ndarray
    converged: bool
    eta: np.ndarray


def glm_fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray | None = None,
            etastart: np.ndarray | None = None) -> _Fit:
    """R's ``glm.fit(x, y, family = binomial(), offset, etastart)``: IRLS with R's start and stopping rule.

    ``cov_unscaled`` comes from the last weighted least-squares step, as ``summary.glm`` takes it."""
    n, p = x.shape
    offset = np.zeros(n) if offset is None else offset
    eta = np.log((y + 0.5) / (1 - y + 0.5)) if etastart is None else etastart  # mustart = (y + 0.5) / 2
    mu = _linkinv(eta)
    if p == 0:
        eta = offset
        mu = _linkinv(eta)
        return _Fit(np.zeros(0), _deviance(y, mu), np.zeros((0, 0)), True, eta)
    devold = _deviance(y, mu)
    coef = np.zeros(p)
    cov = np.zeros((p, p))
    converged = False
    for _ in range(MAXIT):
        mu_eta = _mu_eta(eta)
        z = (eta - offset) + (y - mu) / mu_eta
        w = np.sqrt(mu_eta ** 2 / (mu * (1 - mu)))
        q, r = np.linalg.qr(x * w[:, None])
        coef = np.linalg.solve(r, q.T @ (z * w))
        rinv = np.linalg.inv(r)
        cov = rinv @ rinv.T
        eta = x @ coef + offset
        mu = _linkinv(eta)
        dev = _deviance(y, mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < EPSILON:
            converged = True
            break
        devold = dev
    return _Fit(coef, dev, cov, converged, eta)


# --------------------------------------------------------------------------- separation


def separation(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """A direction b != 0 with (2y - 1)·Xb >= 0 for every row and > 0 for some (complete or quasi-complete
    separation, Konis 2007), or None. Linear programme: maximise sum((2y - 1)·Xb) on the box |b| <= 1."""
    from scipy.optimize import linprog  # only here: importing scipy.optimize costs 0.4 s

    signed = x * (2 * y - 1)[:, None]
    res = linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(y)), bounds=[(-1, 1)] * x.shape[1],
                  method="highs")
    if res.status != 0 or -res.fun <= 1e-9 * float(np.abs(signed).sum()):
        return None
    return res.x


# --------------------------------------------------------------------------- profile likelihood (MASS)


def _fmm_spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients (b, c, d) of R's ``spline(method = "fmm")`` (Forsythe, Malcolm and Moler)."""
    n = x.size
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
        return b, c, d
    nm1 = n - 1
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, nm1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0], b[nm1] = -d[0], -d[n - 2]
    c[0] = c[nm1] = 0.0
    if n > 3:
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[nm1] = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
        c[nm1] = -c[nm1] * d[n - 2] * d[n - 2] / (x[nm1] - x[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] = b[i] - t * d[i - 1]
        c[i] = c[i] - t * c[i - 1]
    c[nm1] = c[nm1] / b[nm1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[nm1])
    for i in range(nm1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[nm1] = 3.0 * c[nm1]
    d[nm1] = d[n - 2]
    return b, c, d


def r_spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``spline(x, y)``: the fmm spline at 3·length(x) equally spaced points from min(x) to max(x)."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    b, c, d = _fmm_spline(x, y)
    n_out = 3 * x.size
    u = x[0] + np.arange(n_out) * ((x[-1] - x[0]) / (n_out - 1))
    u[-1] = x[-1]
    i = np.clip(np.searchsorted(x, u, side="right") - 1, 0, x.size - 1)
    dx = u - x[i]
    return u, y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))


def r_approx(x: np.ndarray, y: np.ndarray, v: float) -> float:
    """``approx(x, y, xout = v)$y`` (rule 1: NA outside; tied x averaged)."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    ux, inverse = np.unique(x, return_inverse=True)
    if ux.size < x.size:
        y = np.bincount(inverse, weights=y) / np.bincount(inverse)
        x = ux
    if not x[0] <= v <= x[-1]:
        return math.nan
    i, j = 0, x.size - 1
    while i < j - 1:
        ij = (i + j) // 2
        if v < x[ij]:
            j = ij
        else:
            i = ij
    if v == x[j]:
        return float(y[j])
    if v == x[i]:
        return float(y[i])
    return float(y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i])))


def profile_interval(x: np.ndarray, y: np.ndarray, fit: _Fit, se: np.ndarray, index: int,
                     conf_level: float = 0.95) -> tuple[float, float]:
    """``MASS:::confint.glm`` bounds of one coefficient (log-odds scale): ``profile.glm`` grid, then spline."""
    zmax = math.sqrt(float(_chi2_ppf(1 - (1 - conf_level) / 4)))
    step_size = zmax / 5
    others = [k for k in range(x.shape[1]) if k != index]
    xi = x[:, others]
    zs, bs = [0.0], [float(fit.coef[index])]
    for sgn in (-1.0, 1.0):
        eta_prev = x @ fit.coef
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < zmax:
            bi = fit.coef[index] + sgn * step * step_size * se[index]
            offset = x[:, index] * bi
            sub = glm_fit(xi, y, offset=offset, etastart=eta_prev)
            eta_prev = sub.eta
            zz = sub.deviance - fit.deviance
            if zz <= -0.001:
                raise ValueError("le profil de vraisemblance a trouvé un meilleur ajustement : modèle non convergé")
            z = sgn * math.sqrt(max(zz, 0.0))
            zs.append(z)
            bs.append(float(bi))
    order = np.argsort(zs, kind="stable")
    u, v = r_spline(np.array(bs)[order], np.array(zs)[order])
    cutoff = float(dist.norm_ppf((1 - conf_level) / 2))
    return r_approx(v, u, cutoff), r_approx(v, u, -cutoff)


def _chi2_ppf(q: float) -> float:
    from scipy import special

    return float(special.chdtri(1, 1 - q))


# --------------------------------------------------------------------------- logistic regression


def _events(y: np.ndarray, parameters: int) -> tuple[int, float | None]:
    events = int(min(y.sum(), y.size - y.sum()))
    return events, (events / parameters if parameters else None)


def logistic_regression(y: Sequence, covariates: Mapping[str, Sequence],
                        levels: Mapping[str, Sequence[str]] | None = None, conf_level: float = 0.95,
                        profile: bool = True) -> RegressionResult:
    """Multivariable logistic regression, OR with Wald and profile intervals, likelihood-ratio p per covariate.

    ``y``: 0/1 (NaN missing). ``events`` is the smaller of the two outcome counts and ``epv`` events per
    parameter (intercept excluded): below 10 the estimates are unreliable (Peduzzi 1996).
    Raises :class:`SeparationError` when the outcome is separated, ValueError when a covariate is
    collinear with others or constant on the complete cases.
    """
    x, yv, names, groups = design(y, covariates, levels)
    if not np.all((yv == 0) | (yv == 1)):
        raise ValueError("la variable à expliquer doit valoir 0 ou 1")
    if yv.size == 0 or yv.min() == yv.max():
        raise ValueError("la variable à expliquer ne prend qu'une valeur sur les observations complètes")
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise ValueError("covariables colinéaires ou constantes sur les observations complètes")
    direction = separation(x, yv)
    if direction is not None:
        involved = sorted({names[k][1] or names[k][0] for k in np.nonzero(np.abs(direction) > 1e-9)[0] if k > 0})
        raise SeparationError("séparation : " + (", ".join(involved) or "la constante")
                              + " prédit parfaitement la variable à expliquer sur certaines observations ; "
                              "les odds ratios n'ont pas d'estimation finie (regrouper des modalités ou retirer "
                              "la covariable)")
    fit = glm_fit(x, yv)
    se = np.sqrt(np.diag(fit.cov_unscaled))
    z_crit = float(dist.norm_isf((1 - conf_level) / 2))
    terms = []
    for k, (term, cov, level) in enumerate(names):
        b = float(fit.coef[k])
        stat = b / se[k]
        prof = profile_interval(x, yv, fit, se, k, conf_level) if profile else (math.nan, math.nan)
        terms.append(Term(term, cov, level, b, float(se[k]), stat, 2 * float(dist.norm_sf(abs(stat))),
                          math.exp(b), math.exp(b - z_crit * se[k]), math.exp(b + z_crit * se[k]),
                          _exp(prof[0]), _exp(prof[1])))
    tests = []
    for name, cols in zip(covariates, groups):
        keep = [k for k in range(x.shape[1]) if k not in cols]
        reduced = glm_fit(x[:, keep], yv)
        lr = reduced.deviance - fit.deviance
        tests.append(CovariateTest(name, len(cols), lr, float(dist.chi2_sf(lr, len(cols)))))
    events, epv = _events(yv, x.shape[1] - 1)
    return RegressionResult("logistic", terms, tests, int(yv.size), events, x.shape[1] - 1, epv, fit.deviance,
                            {"converged": fit.converged, "conf_level": conf_level})


def _exp(value: float) -> float:
    return math.nan if math.isnan(value) else math.exp(value)


def univariable(y: Sequence, covariates: Mapping[str, Sequence], levels: Mapping[str, Sequence[str]] | None = None,
                conf_level: float = 0.95, kind: str = "logistic") -> dict[str, RegressionResult | Exception]:
    """One model per covariate (``y ~ covariate``, its own complete cases); a separated or degenerate
    covariate maps to its error instead of a result."""
    out: dict[str, RegressionResult | Exception] = {}
    fit = logistic_regression if kind == "logistic" else linear_regression
    for name, values in covariates.items():
        try:
            out[name] = fit(y, {name: values}, levels, conf_level)
        except ValueError as error:
            out[name] = error
    return out


# --------------------------------------------------------------------------- linear regression


def linear_regression(y: Sequence, covariates: Mapping[str, Sequence],
                      levels: Mapping[str, Sequence[str]] | None = None, conf_level: float = 0.95,
                      profile: bool = False) -> RegressionResult:
    """``lm(y ~ ...)``: slopes, t tests, ``confint`` (t interval) and ``drop1(test = "F")`` per covariate."""
    x, yv, names, groups = design(y, covariates, levels)
    n, p = x.shape
    if n <= p:
        raise ValueError("pas assez d'observations complètes pour le modèle linéaire")
    if np.linalg.matrix_rank(x) < p:
        raise ValueError("covariables colinéaires ou constantes sur les observations complètes")
    coef, rss, cov = _ols(x, yv)
    df_res = n - p
    sigma2 = rss / df_res
    se = np.sqrt(np.diag(cov) * sigma2)
    t_crit = float(dist.t_ppf(1 - (1 - conf_level) / 2, df_res))
    terms = []
    for k, (term, cov_name, level) in enumerate(names):
        stat = float(coef[k] / se[k]) if se[k] > 0 else math.nan
        p_value = 2 * float(dist.t_cdf(-abs(stat), df_res)) if not math.isnan(stat) else math.nan
        terms.append(Term(term, cov_name, level, float(coef[k]), float(se[k]), stat, p_value, math.nan,
                          float(coef[k] - t_crit * se[k]), float(coef[k] + t_crit * se[k])))
    tests = []
    for name, cols in zip(covariates, groups):
        keep = [k for k in range(p) if k not in cols]
        rss_reduced = _ols(x[:, keep], yv)[1]
        f = ((rss_reduced - rss) / len(cols)) / sigma2
        tests.append(CovariateTest(name, len(cols), f, float(dist.f_sf(f, len(cols), df_res))))
    return RegressionResult("linear", terms, tests, n, None, p - 1, None, rss,
                            {"sigma": math.sqrt(sigma2), "df_residual": df_res, "conf_level": conf_level})


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    q, r = np.linalg.qr(x)
    coef = np.linalg.solve(r, q.T @ y)
    resid = y - x @ coef
    rinv = np.linalg.inv(r)
    return coef, float(resid @ resid), rinv @ rinv.T
