"""Automatic choice of the statistical test, with a French sentence explaining it.

Rules (the thesis' "Matériel et méthodes" says: chi² or else Fisher for
categorical variables, Student or else Wilcoxon for continuous ones):

* contingency tables: Pearson's chi-squared when every expected count is at
  least 5 (Yates' correction for 2 x 2 tables, R's default), otherwise
  Fisher's exact test (simulated p-value when the exact network is too large);
* two groups: Shapiro-Wilk in each group; a t-test when normality is rejected
  in no group (Welch by default, Student with ``var_equal=True`` as the thesis
  words it), Wilcoxon-Mann-Whitney otherwise (also when a group is too small
  or constant for Shapiro-Wilk);
* k groups: the same rule between one-way ANOVA and Kruskal-Wallis;
* a test imposed by the analysis plan is run as such (:func:`run_forced`).

Empty categories (all-zero rows or columns) are removed before the expected
counts are computed, and the reason says so.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from surveykit.core import fmt
from surveykit.core.testnames import TEST_LABELS_FR

from .rtests import (
    DEFAULT_MAX_TABLES,
    TestResult,
    anova_oneway,
    chisq_test,
    drop_empty,
    fisher_test,
    kruskal_test,
    shapiro_test,
    t_test,
    wilcox_test,
)

FORCED_REASON = "test choisi par le plan d'analyse"



@dataclass(frozen=True)
class TestChoice:
    """The test that was run, why (in French), and the checks behind the choice."""

    __test__ = False  # not a pytest test class

    result: TestResult
    reason: str
    forced: bool = False
    checks: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- French formatting


def _p_text(p: float) -> str:
    """'p = 0,0065' / 'p < 0,001' as in the chapter (surveykit.core.fmt), or why there is none."""
    if fmt.is_missing(p):
        return "p non calculable"
    return fmt.p_sentence(p)


def _count_text(value: float, threshold: float) -> str:
    """Expected count with one decimal, more when rounding would cross the threshold (4,96 -> '4,96')."""
    for digits in (1, 2, 3, 4):
        text = fmt.number(value, digits)
        if (float(text.replace(",", ".")) < threshold) == (value < threshold):
            return text
    return fmt.number(value, 6)


def _monte_carlo_note(result: TestResult) -> str:
    if result.test != "fisher_mc":
        return ""
    why = result.extra.get("reason", "")
    return (f" ; p simulé par Monte-Carlo ({result.extra['B']} tables, graine {result.extra['seed']}"
            + (f", {why})" if why else ")"))


# --------------------------------------------------------------------------- contingency tables


def choose_categorical(
    table: Sequence[Sequence[float]] | np.ndarray,
    alpha_expected: float = 5,
    *,
    B: int = 2000,
    seed: int | None = None,
    max_tables: int = DEFAULT_MAX_TABLES,
) -> TestChoice:
    """Chi-squared when every expected count is >= ``alpha_expected``, else Fisher."""
    full = np.asarray(table, dtype=float)
    reduced = drop_empty(full)
    if reduced.ndim != 2 or min(reduced.shape) < 2:
        raise ValueError("tableau non testable : il faut au moins 2 lignes et 2 colonnes non vides")
    expected = chisq_test(reduced, correct=False).extra["expected"]
    n_below = int(np.sum(expected < alpha_expected))
    checks = {"min_expected": float(expected.min()), "n_below": n_below, "n_cells": int(expected.size),
              "dropped_empty": full.shape != reduced.shape, "shape": reduced.shape}
    prefix = "modalités sans effectif retirées ; " if checks["dropped_empty"] else ""
    threshold = fmt.number(alpha_expected, 0 if float(alpha_expected).is_integer() else 1)
    shown = _count_text(checks["min_expected"], alpha_expected)
    if n_below == 0:
        result = chisq_test(reduced, correct=True)
        reason = f"tous les effectifs attendus ≥ {threshold} (minimum {shown}) → {TEST_LABELS_FR['chisq']}"
        if reduced.shape == (2, 2):
            reason += " avec correction de continuité de Yates (tableau 2×2, choix par défaut de R)"
        return TestChoice(result, prefix + reason, False, checks)
    result = fisher_test(reduced, B=B, seed=seed, max_tables=max_tables)
    cells = f"{n_below} cellule{'s' if n_below > 1 else ''} sur {expected.size}"
    reason = (f"effectif attendu minimal {shown} < {threshold} ({cells}) → "
              f"{TEST_LABELS_FR['fisher']}{_monte_carlo_note(result)}")
    return TestChoice(result, prefix + reason, False, checks)


# --------------------------------------------------------------------------- normality checks


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return arr[~np.isnan(arr)]


class _Normality(NamedTuple):
    p_value: float | None  # None when Shapiro-Wilk cannot be run
    fragment: str
    accepted: bool


def _normality(sample: np.ndarray, label: str, alpha: float) -> _Normality:
    """Shapiro-Wilk in one group, or why it cannot be run (R refuses n < 3, n > 5000, constants)."""
    if sample.size < 3:
        return _Normality(None, f"{label} : n = {sample.size} < 3, normalité non testable", False)
    if sample.size > 5000:
        return _Normality(None, f"{label} : n = {sample.size} > 5000, Shapiro-Wilk non applicable", False)
    if np.ptp(sample) == 0:
        return _Normality(None, f"{label} : valeurs toutes identiques, normalité non testable", False)
    p = shapiro_test(sample).p_value
    return _Normality(p, f"{_p_text(p)} ({label})", p >= alpha)


def _labels(labels: Sequence[str] | None, k: int) -> list[str]:
    if labels is None:
        return [f"groupe {i + 1}" for i in range(k)]
    if len(labels) != k:
        raise ValueError("il faut autant de libellés que de groupes")
    return list(labels)


def _normality_reason(checks: list[_Normality], alpha: float, chosen: str) -> str:
    tested = [c.fragment for c in checks if c.p_value is not None]
    untested = [c.fragment for c in checks if c.p_value is None]
    parts = (["Shapiro-Wilk : " + ", ".join(tested)] if tested else []) + untested
    a = fmt.number(alpha, 2)
    if all(c.accepted for c in checks):
        verdict = f"normalité non rejetée dans chaque groupe (p ≥ {a})"
    elif untested:
        verdict = "normalité non vérifiable dans au moins un groupe"
    else:
        verdict = f"normalité rejetée dans au moins un groupe (p < {a})"
    return " ; ".join(parts + [verdict]) + f" → {TEST_LABELS_FR[chosen]}"


# --------------------------------------------------------------------------- two groups


def choose_two_groups(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    alpha_normality: float = 0.05,
    *,
    labels: Sequence[str] | None = None,
    conf_int: bool = False,
    var_equal: bool = False,
) -> TestChoice:
    """t-test if Shapiro-Wilk rejects normality in neither group, else Wilcoxon.

    Welch's t-test by default; Student's with ``var_equal=True``.
    """
    samples = [_clean(x), _clean(y)]
    names = _labels(labels, 2)
    checks = [_normality(s, n, alpha_normality) for s, n in zip(samples, names)]
    if all(c.accepted for c in checks):
        result = t_test(samples[0], samples[1], var_equal=var_equal)
    else:
        result = wilcox_test(samples[0], samples[1], conf_int=conf_int)
    reason = _normality_reason(checks, alpha_normality, result.test)
    return TestChoice(result, reason, False, {"shapiro_p": [c.p_value for c in checks]})


# --------------------------------------------------------------------------- k groups


def choose_k_groups(
    groups: Sequence[Sequence[float] | np.ndarray],
    alpha_normality: float = 0.05,
    *,
    labels: Sequence[str] | None = None,
) -> TestChoice:
    """One-way ANOVA if Shapiro-Wilk rejects normality in no group, else Kruskal-Wallis.

    Groups left empty after NaN removal are dropped (as R's formula interface).
    """
    names = _labels(labels, len(groups))
    kept = [(s, n) for s, n in ((_clean(g), n) for g, n in zip(groups, names)) if s.size > 0]
    checks = [_normality(s, n, alpha_normality) for s, n in kept]
    samples = [s for s, _ in kept]
    result = anova_oneway(samples) if all(c.accepted for c in checks) else kruskal_test(samples)
    reason = _normality_reason(checks, alpha_normality, result.test)
    return TestChoice(result, reason, False, {"shapiro_p": [c.p_value for c in checks],
                                              "groups_used": [n for _, n in kept]})


# --------------------------------------------------------------------------- imposed tests


def run_forced(
    test_name: str,
    *,
    table: Sequence[Sequence[float]] | np.ndarray | None = None,
    x: Sequence[float] | np.ndarray | None = None,
    y: Sequence[float] | np.ndarray | None = None,
    groups: Sequence[Sequence[float] | np.ndarray] | None = None,
    **options: Any,
) -> TestChoice:
    """Run the test imposed by the analysis plan (e.g. Fisher for Table 2).

    ``test_name``: "fisher", "chisq", "wilcoxon", "t_welch", "t_student",
    "kruskal" or "anova"; ``options`` go to the test function (e.g. ``seed``,
    ``B`` for Fisher, ``conf_int`` for Wilcoxon, ``correct`` for chi-squared).
    """
    if test_name in ("fisher", "chisq"):
        if table is None:
            raise ValueError(f"le test {test_name!r} demande un tableau de contingence")
        result = fisher_test(table, **options) if test_name == "fisher" else chisq_test(table, **options)
    elif test_name in ("wilcoxon", "t_welch", "t_student"):
        if x is None or y is None:
            raise ValueError(f"le test {test_name!r} demande deux échantillons x et y")
        if test_name == "wilcoxon":
            result = wilcox_test(x, y, **options)
        else:
            result = t_test(x, y, var_equal=test_name == "t_student", **options)
    elif test_name in ("kruskal", "anova"):
        if groups is None:
            raise ValueError(f"le test {test_name!r} demande une liste de groupes")
        result = kruskal_test(groups) if test_name == "kruskal" else anova_oneway(groups)
    else:
        raise ValueError(f"test inconnu : {test_name!r}")
    reason = f"{FORCED_REASON} → {TEST_LABELS_FR[test_name]}{_monte_carlo_note(result)}"
    return TestChoice(result, reason, True, {})
