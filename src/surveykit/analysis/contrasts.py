"""What a comparison adds to its p-value when the plan asks: the estimate of the difference between two groups
(`estimate:`) and the pairwise comparisons after a global test over three groups or more (`posthoc:`).

Both are computed here, once, and written beside tests.csv (estimates.csv, posthoc.csv); the tables and the
chapter only read them. The statistics are those of :mod:`surveykit.stats.estimates` and
:mod:`surveykit.stats.posthoc`, checked against R in ``tests/r_reference``.
"""
from __future__ import annotations

import math

import pandas as pd

from surveykit.questionnaire.codebook import Codebook
from surveykit.stats import effects, estimates, posthoc
from .compare import EFFECT_CONF_LEVEL, contingency, numeric_groups, option_contingency
from .describe import answered_mask
from .plan import Plan, TableSpec

ESTIMATE_COLUMNS = ["table", "variable", "level", "by", "group1", "group2", "estimate", "value", "ci_low", "ci_high",
                    "conf_level", "n1", "n2", "method"]
POSTHOC_COLUMNS = ["table", "variable", "level", "by", "group1", "group2", "test", "statistic", "p_value",
                   "p_adjusted", "adjust", "method"]
ADJUSTED_P = {"holm": "p_holm", "BH": "p_bh"}  # the p a table's `adjust` reads (else the raw p)
POSTHOC_ADJUST = "holm"


def global_p(spec: TableSpec, test: pd.Series) -> float:
    """The p-value of a global test as the table prints and reads it: adjusted when the table adjusts."""
    return float(test[ADJUSTED_P.get(spec.adjust, "p_value")])


# --------------------------------------------------------------------------- estimates


def _scores_estimate(spec: TableSpec, test_name: str) -> str:
    if spec.estimate != "auto":
        return spec.estimate
    return "mean_difference" if test_name in ("t_welch", "t_student") else "hodges_lehmann"


def _level_estimate(kind: str, x1: int, n1: int, x2: int, n2: int) -> effects.EffectSize | str:
    """One level's estimate between the two groups, or why there is none."""
    if n1 == 0 or n2 == 0:
        return "pas d'estimation : un groupe sans réponse"
    if kind == "odds_ratio":
        try:
            return estimates.odds_ratio([[x1, x2], [n1 - x1, n2 - x2]], EFFECT_CONF_LEVEL)
        except ValueError as error:  # a level nobody (or everybody) chose: no odds ratio
            return f"pas d'estimation : {error}"
    return estimates.proportion_difference(x1, n1, x2, n2, EFFECT_CONF_LEVEL)


def _estimate_row(spec: TableSpec, variable: str, level: str, groups: list[str], result, n1: int,
                  n2: int) -> dict:
    row = {"table": spec.id, "variable": variable, "level": level, "by": spec.by, "group1": groups[0],
           "group2": groups[1], "n1": n1, "n2": n2}
    if isinstance(result, str):
        return row | {"estimate": "", "value": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                      "conf_level": EFFECT_CONF_LEVEL, "method": result}
    return row | {"estimate": result.name, "value": result.estimate, "ci_low": result.ci_low,
                  "ci_high": result.ci_high, "conf_level": result.conf_level, "method": result.method}


def _categorical_estimates(frame, book: Codebook, spec: TableSpec, groups: list[str]) -> list[dict]:
    """Per level (per option of a multi-response question): the first group against the second, on the
    answers the table's percentages are of."""
    kind = "proportion_difference" if spec.estimate == "auto" else spec.estimate
    rows = []
    for variable in spec.variables:
        question = book.variable_question()[variable]
        levels = list(question.levels)
        rows_of = {level: [position] for position, level in enumerate(levels)}
        rows_of |= {label: [levels.index(lv) for lv in added] for label, added in spec.combined(variable)}
        for level, positions in rows_of.items():
            if question.is_multi:
                table = option_contingency(frame, variable, level, answered_mask(frame, question), spec.by, groups)
                counts = table[0]
            else:
                table = contingency(frame, variable, levels, spec.by, groups)
                counts = table[positions].sum(axis=0)
            n1, n2 = (int(v) for v in table.sum(axis=0))
            result = _level_estimate(kind, int(counts[0]), n1, int(counts[1]), n2)
            rows.append(_estimate_row(spec, variable, level, groups, result, n1, n2))
    return rows


def _scores_estimates(frame, spec: TableSpec, groups: list[str], tests: pd.DataFrame) -> list[dict]:
    rows = []
    for variable in spec.variables:
        x, y = numeric_groups(frame, variable, spec.by, groups)
        test = tests[(tests["table"] == spec.id) & (tests["variable"] == variable)]
        kind = _scores_estimate(spec, str(test["test"].iloc[0]) if len(test) else "")
        if x.size < 2 or y.size < 2:
            result = "pas d'estimation : moins de deux réponses dans un groupe"
        elif kind == "mean_difference":
            result = estimates.mean_difference(x, y, EFFECT_CONF_LEVEL,
                                               var_equal=len(test) > 0 and test["test"].iloc[0] == "t_student")
        else:
            result = effects.hodges_lehmann(x, y, EFFECT_CONF_LEVEL)
        rows.append(_estimate_row(spec, variable, "", groups, result, int(x.size), int(y.size)))
    return rows


def estimate_rows(frame: pd.DataFrame, book: Codebook, spec: TableSpec, tests: pd.DataFrame) -> list[dict]:
    """The rows of estimates.csv of one table (none unless its plan entry sets `estimate`)."""
    if spec.estimate == "none" or not spec.compares:
        return []
    groups = list(book.question(spec.by).levels)
    if spec.kind == "categorical":
        return _categorical_estimates(frame, book, spec, groups)
    return _scores_estimates(frame, spec, groups, tests)


# --------------------------------------------------------------------------- post-hoc


def _pairwise(frame, book: Codebook, spec: TableSpec, test: pd.Series, groups: list[str], seed: int):
    """The pairs of one rejected global test: Fisher (or chi², as the global test) on the pair's columns of a
    categorical row; Wilcoxon's rank-sum test on a score."""
    variable, level = test["variable"], test["level"]
    if spec.kind == "scores":
        return posthoc.pairwise_wilcox(numeric_groups(frame, variable, spec.by, groups), groups, POSTHOC_ADJUST)
    question = book.variable_question()[variable]
    if level:
        table = option_contingency(frame, variable, level, answered_mask(frame, question), spec.by, groups)
    else:
        table = contingency(frame, variable, list(question.levels), spec.by, groups)
    method = "chisq" if test["test"] == "chisq" else "fisher"
    return posthoc.pairwise_table_tests(table, method, groups, POSTHOC_ADJUST, seed=seed)


def posthoc_rows(frame: pd.DataFrame, book: Codebook, spec: TableSpec, tests: pd.DataFrame, alpha: float,
                 seed: int) -> list[dict]:
    """The rows of posthoc.csv of one table: every pair of groups of each comparison whose global test
    rejects at `alpha` (on the p the table prints: adjusted when it adjusts)."""
    if spec.posthoc == "none" or not spec.compares:
        return []
    groups = list(book.question(spec.by).levels)
    rows = []
    mine = tests[(tests["table"] == spec.id) & (tests["test"].fillna("") != "")]
    for test in (row for _index, row in mine.iterrows()):
        p = global_p(spec, test)
        if not p < alpha:
            continue
        for pair in _pairwise(frame, book, spec, test, groups, seed):
            rows.append({"table": spec.id, "variable": test["variable"], "level": test["level"], "by": spec.by,
                         "group1": pair.group1, "group2": pair.group2, "test": _pair_test(pair.method),
                         "statistic": math.nan if pair.statistic is None else float(pair.statistic),
                         "p_value": pair.p_value, "p_adjusted": pair.p_adjusted, "adjust": POSTHOC_ADJUST,
                         "method": pair.method})
    return rows


def _pair_test(method: str) -> str:
    """The test name (as tests.csv) of one pair from R's method string."""
    if method.startswith("Fisher"):
        return "fisher_mc" if "simulated" in method else "fisher"
    if "chi-squared" in method.lower():
        return "chisq"
    if "Wilcoxon" in method:
        return "wilcoxon"
    return ""


def contrasts(frame: pd.DataFrame, book: Codebook, plan: Plan, tests: pd.DataFrame, alpha: float,
              seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(estimates.csv, posthoc.csv) of the whole plan, rows in plan order."""
    estimate, pairs = [], []
    for spec in plan.tables:
        estimate += estimate_rows(frame, book, spec, tests)
        pairs += posthoc_rows(frame, book, spec, tests, alpha, seed)
    return (pd.DataFrame(estimate, columns=ESTIMATE_COLUMNS), pd.DataFrame(pairs, columns=POSTHOC_COLUMNS))


__all__ = ["ESTIMATE_COLUMNS", "POSTHOC_COLUMNS", "contrasts", "estimate_rows", "global_p", "posthoc_rows"]
