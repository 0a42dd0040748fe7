"""Descriptive statistics in one tidy shape, for every kind of table of the analysis plan.

Tidy rows carry: table, variable, level, group, n, denominator, pct, mean, sd, median, q1, q3,
missing. Missing answers are counted in a "Non renseigné" row and never enter a denominator.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from surveykit.questionnaire.codebook import MULTI_SEPARATOR, Question

MISSING_LABEL = "Non renseigné"
ALL = "Ensemble"

TIDY_COLUMNS = ["table", "variable", "level", "group", "n", "denominator", "pct",
                "mean", "sd", "ci_low", "ci_high", "median", "q1", "q3", "missing", "rank"]


def _groups(frame: pd.DataFrame, by: str | None, by_levels: list[str] | None, columns: list[str]
            ) -> list[tuple[str, pd.DataFrame]]:
    """(group, its rows of `columns` only): selecting a few columns, not the whole frame, per group."""
    if by is None:
        return [(ALL, frame[columns])]
    groups = frame[by].to_numpy()
    return [(level, frame.loc[groups == level, columns]) for level in by_levels]


def ticked(values: pd.Series, level: str) -> pd.Series:
    """Whether each multi-response answer ("a; b", "" = none ticked) includes the option `level`.

    Answers repeat: each distinct answer is split once."""
    texts = values.astype(str)
    distinct = {answer: level in answer.split(MULTI_SEPARATOR) for answer in pd.unique(texts)}
    return texts.map(distinct).astype(bool)


def _answers(values: pd.Series, asked: pd.Series | None, answered: bool = False) -> tuple[pd.Series, int]:
    """The answers that count and the number of missing ones.

    Single choice: the non-missing answers. Multi-response (`asked` given): every respondent the form
    asked, an empty answer meaning no option ticked; respondents not asked are left out, not missing. With
    `answered` (`denominator: answered`), an empty answer is missing instead."""
    if asked is not None:
        shown = values[asked.reindex(values.index, fill_value=False)].fillna("").astype(str)
        if not answered:
            return shown, 0
        filled = shown[shown != ""]
        return filled, len(shown) - len(filled)
    filled = values[values.astype(str) != ""].dropna()
    return filled, len(values) - len(filled)


def categorical_rows(frame: pd.DataFrame, variable: str, levels: list[str], by: str | None = None,
                     by_levels: list[str] | None = None, asked: pd.Series | None = None,
                     answered: bool = False) -> list[dict]:
    """Counts and percentages of each level (non-missing denominator), per group.

    With `asked` (a multi-response question), each option is a yes/no item whose denominator is the
    respondents the form asked, or with `answered` those of them who ticked at least one option."""
    rows = []
    for group, sub in _groups(frame, by, by_levels, [variable]):
        answers, missing = _answers(sub[variable], asked, answered)
        denominator = len(answers)
        counts = answers.value_counts() if asked is None else None
        for level in levels:
            n = int(ticked(answers, level).sum()) if asked is not None else int(counts.get(level, 0))
            pct = 100.0 * n / denominator if denominator else math.nan
            rows.append({"variable": variable, "level": level, "group": group, "n": n,
                         "denominator": denominator, "pct": pct, "missing": missing})
        if missing:
            rows.append({"variable": variable, "level": MISSING_LABEL, "group": group, "n": missing,
                         "denominator": denominator, "pct": math.nan, "missing": missing})
    return rows


def combined_rows(rows: list[dict], variable: str, combined: list[tuple[str, tuple[str, ...]]]) -> list[dict]:
    """Rows adding up levels of `variable` (the plan's `combine`), per group, from its level rows: n summed,
    the same denominator (the answers given)."""
    out = []
    for label, levels in combined:
        by_group: dict[str, dict] = {}
        for row in rows:
            if row["variable"] == variable and row["level"] in levels:
                total = by_group.setdefault(row["group"], {"variable": variable, "level": label, "group": row["group"],
                                                           "n": 0, "denominator": row["denominator"],
                                                           "missing": row["missing"]})
                total["n"] += row["n"]
        for total in by_group.values():
            total["pct"] = 100.0 * total["n"] / total["denominator"] if total["denominator"] else math.nan
            out.append(total)
    return out


def positive_rows(frame: pd.DataFrame, variable: str, substantive: list[str], positive: list[str],
                  by: str | None = None, by_levels: list[str] | None = None) -> list[dict]:
    """An item of a choice grid, per group: the answers at the positive end (n) among its substantive answers
    (denominator; non-substantive levels and missing answers left out) and their share (pct); level ""."""
    rows = []
    for group, sub in _groups(frame, by, by_levels, [variable]):
        answers = sub[variable].astype(str)
        denominator = int(answers.isin(substantive).sum())
        n = int(answers.isin(positive).sum())
        rows.append({"variable": variable, "level": "", "group": group, "n": n, "denominator": denominator,
                     "pct": 100.0 * n / denominator if denominator else math.nan,
                     "missing": int(len(answers) - denominator)})
    return rows


def answered_mask(frame: pd.DataFrame, question: Question) -> pd.Series:
    """The respondents a multi-response question's percentages and tests are of: those asked, and with
    `denominator: answered` only those of them who ticked at least one option."""
    mask = asked_mask(frame, question)
    if question.counts_answered_only:
        mask &= frame[question.id].fillna("").astype(str) != ""
    return mask


def asked_mask(frame: pd.DataFrame, question: Question) -> pd.Series:
    """Which respondents the form showed `question` to (its `asked_if` and branch conditions)."""
    mask = pd.Series(True, index=frame.index)
    if question.branch_on:
        mask &= frame[question.branch_on].isin(list(question.branch_headers))
    for variable, value in question.asked_if.items():
        mask &= frame[variable] == value
    return mask


def numeric_summary(values: pd.Series) -> dict:
    """n, mean, SD (n − 1, as R's sd), 95 % CI of the mean (t, as R's t.test), median and quartiles
    (R's default type 7) of the non-missing values."""
    clean = pd.to_numeric(values, errors="coerce").dropna().astype(float).to_numpy()
    n = len(clean)
    summary = {"n": n, "missing": int(len(values) - n)}
    if n == 0:
        return summary | dict.fromkeys(["mean", "sd", "ci_low", "ci_high", "median", "q1", "q3"], math.nan)
    q1, median, q3 = np.quantile(clean, [0.25, 0.5, 0.75])  # numpy's default "linear" is R's type 7
    mean = float(np.mean(clean))
    sd = float(np.std(clean, ddof=1)) if n > 1 else math.nan
    from surveykit.core.distributions import t_ppf  # SciPy is loaded here: the steps that only read labels skip it

    half = t_ppf(0.975, n - 1) * sd / math.sqrt(n) if n > 1 else math.nan
    return summary | {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half,
                      "median": float(median), "q1": float(q1), "q3": float(q3)}


def score_rows(frame: pd.DataFrame, items: list[str], by: str | None = None,
               by_levels: list[str] | None = None) -> list[dict]:
    """Mean ± SD of each numeric item, per group."""
    rows = []
    for group, sub in _groups(frame, by, by_levels, list(items)):
        for item in items:
            rows.append({"variable": item, "level": "", "group": group} | numeric_summary(sub[item]))
    order = {item: position for position, item in enumerate(items)}
    return sorted(rows, key=lambda row: order[row["variable"]])


def rank_rows(frame: pd.DataFrame, items: list[str], ranks: list[int], by: str | None = None,
              by_levels: list[str] | None = None) -> list[dict]:
    """For each rank r and item: respondents who gave that item rank r (denominator: the group)."""
    rows = []
    for group, sub in _groups(frame, by, by_levels, list(items)):
        denominator = len(sub)
        for rank in ranks:
            for item in items:
                n = int((pd.to_numeric(sub[item], errors="coerce") == rank).sum())
                rows.append({"variable": item, "level": str(rank), "group": group, "n": n,
                             "denominator": denominator,
                             "pct": 100.0 * n / denominator if denominator else math.nan, "missing": 0})
    return rows


def tidy(rows: list[dict], table: str) -> pd.DataFrame:
    frame = pd.DataFrame([{"table": table} | row for row in rows])
    for column in TIDY_COLUMNS:
        if column not in frame:
            frame[column] = "" if column in ("level", "group") else math.nan
    return frame[TIDY_COLUMNS]
