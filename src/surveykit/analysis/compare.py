"""One comparison per (table, variable): the test (forced by the plan or chosen), its reason, effect size.

The rows of tests.csv are built here; the p-values come from surveykit.stats, which
reproduces R (fisher.test, chisq.test, wilcox.test, kruskal.test, t.test, oneway.test).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.stats import choice, effects, rtests

from .describe import ticked

TEST_COLUMNS = ["table", "variable", "level", "by", "test", "statistic", "df", "p_value", "p_holm", "p_bh",
                "p_holm_question", "effect", "effect_value", "ci_low", "ci_high", "n", "method", "choice", "reason"]
EFFECT_CONF_LEVEL = 0.95  # two-sided intervals: a one-sided [low ; 1] says nothing of the upper bound


def option_contingency(frame: pd.DataFrame, variable: str, level: str, asked: pd.Series, by: str,
                       by_levels: list[str]) -> np.ndarray:
    """2 × k counts of one option of a multi-response question: (ticked, not ticked) by group, among the
    respondents asked whose group is known."""
    sub = frame[asked & (frame[by].astype(str) != "")]
    yes = ticked(sub[variable], level)
    return np.array([[int((yes & (sub[by] == group)).sum()) for group in by_levels],
                     [int((~yes & (sub[by] == group)).sum()) for group in by_levels]])


def contingency(frame: pd.DataFrame, variable: str, levels: list[str], by: str,
                by_levels: list[str]) -> np.ndarray:
    """Counts of `variable` (rows, in `levels` order) by `by` (columns); missing answers left out."""
    both = frame[(frame[variable].astype(str) != "") & (frame[by].astype(str) != "")]
    counts = pd.crosstab(both[variable], both[by]) if len(both) else pd.DataFrame()
    return counts.reindex(index=levels, columns=by_levels, fill_value=0).to_numpy(dtype=np.int64)


def numeric_groups(frame: pd.DataFrame, variable: str, by: str, by_levels: list[str]) -> list[np.ndarray]:
    values = pd.to_numeric(frame[variable], errors="coerce")
    return [values[frame[by] == group].dropna().to_numpy(dtype=float) for group in by_levels]


def ordinal_groups(frame: pd.DataFrame, variable: str, order: list[str], by: str,
                   by_levels: list[str]) -> list[np.ndarray]:
    """The answers of each group coded by their place in `order` (1 = first); answers outside it (missing,
    non-substantive) left out."""
    codes = {level: float(position) for position, level in enumerate(order, start=1)}
    values = frame[variable].astype(str).map(codes)
    return [values[frame[by] == group].dropna().to_numpy(dtype=float) for group in by_levels]


@dataclass(frozen=True)
class Untested:
    """A comparison that cannot be computed (e.g. an option every respondent, or none, ticked)."""

    test: str = ""
    statistic: float = math.nan
    df: float = math.nan
    p_value: float = math.nan
    method: str = ""


NO_EFFECT = {"effect": "", "effect_value": math.nan, "ci_low": math.nan, "ci_high": math.nan}


def testable(table: np.ndarray) -> bool:
    """At least two non-empty rows and two non-empty columns: otherwise there is nothing to compare."""
    reduced = rtests.drop_empty(np.asarray(table))
    return reduced.ndim == 2 and min(reduced.shape) >= 2


def compare_categorical(table: np.ndarray, test: str, seed: int) -> tuple[object, str, dict]:
    """(TestResult, reason, effect) for a contingency table; an untestable table gets its reason, no p."""
    if not testable(table):
        return Untested(), ("pas de test : une seule modalité observée (toutes les réponses identiques) "
                            "ou un seul groupe représenté"), NO_EFFECT
    options = {"seed": seed} if test == "fisher" else {}
    chosen = (choice.choose_categorical(table, seed=seed) if test == "auto"
              else choice.run_forced(test, table=table, **options))
    # One-sided [low ; 1] as effectsize: chi² rejects only for large values, so this lower bound is above 0
    # exactly when the uncorrected chi² test rejects at 1 - EFFECT_CONF_LEVEL (a two-sided bound would at half).
    v = effects.cramers_v(table, EFFECT_CONF_LEVEL)
    return chosen, chosen.reason, {"effect": "V de Cramér (corrigé)", "effect_value": v.estimate,
                                   "ci_low": v.ci_low, "ci_high": v.ci_high}


def compare_numeric(groups: list[np.ndarray], test: str, seed: int,
                    labels: list[str] | None = None) -> tuple[object, str, dict]:
    """(TestChoice, reason, effect) for 2 or more groups of numeric answers (`labels` name them in the reason)."""
    if test == "auto":
        chosen = (choice.choose_two_groups(*groups, labels=labels) if len(groups) == 2
                  else choice.choose_k_groups(groups, labels=labels))
    elif test in ("kruskal", "anova"):
        chosen = choice.run_forced(test, groups=groups)
    else:
        chosen = choice.run_forced(test, x=groups[0], y=groups[1])
    if len(groups) == 2:
        r = effects.rank_biserial(groups[0], groups[1], EFFECT_CONF_LEVEL)
        effect = {"effect": "corrélation rang-bisériale", "effect_value": r.estimate,
                  "ci_low": r.ci_low, "ci_high": r.ci_high}
    else:
        e = effects.epsilon_squared(groups, EFFECT_CONF_LEVEL, seed=seed)  # one-sided, as Cramér's V
        effect = {"effect": "epsilon² (Kruskal-Wallis)", "effect_value": e.estimate,
                  "ci_low": e.ci_low, "ci_high": e.ci_high}
    return chosen, chosen.reason, effect


def test_row(table_id: str, variable: str, by: str, n: int, chosen, reason: str, effect: dict,
             level: str = "") -> dict:
    """One row of tests.csv; `level` names the option of a multi-response question (one test per option).

    `chosen` is a TestChoice (or Untested); `choice` says whether the plan forced the test."""
    result = getattr(chosen, "result", chosen)
    forced = getattr(chosen, "forced", False)
    return {"table": table_id, "variable": variable, "level": level, "by": by, "test": result.test,
            "statistic": result.statistic, "df": result.df, "p_value": result.p_value,
            "p_holm": math.nan, "p_bh": math.nan, "p_holm_question": math.nan, "n": n, "method": result.method,
            "choice": ("forced" if forced else "auto") if result.test else "", "reason": reason} | effect


def adjust(tests: pd.DataFrame) -> pd.DataFrame:
    """Holm and Benjamini-Hochberg adjusted p-values within each table (R's p.adjust); for the options of a
    multi-response question, also Holm within the question."""
    tests = tests.copy()
    for _table, index in tests.groupby("table").groups.items():
        p = tests.loc[index, "p_value"].to_numpy(dtype=float)
        tests.loc[index, "p_holm"] = rtests.p_adjust(p, "holm")
        tests.loc[index, "p_bh"] = rtests.p_adjust(p, "BH")
    per_option = tests[tests["level"] != ""]
    for _key, index in per_option.groupby(["table", "variable"]).groups.items():
        tests.loc[index, "p_holm_question"] = rtests.p_adjust(tests.loc[index, "p_value"].to_numpy(dtype=float),
                                                              "holm")
    return tests[TEST_COLUMNS]
