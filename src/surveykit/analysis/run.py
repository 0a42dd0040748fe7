"""Run the analysis plan on a clean wave: tidy tables and the tests.csv rows."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveykit.questionnaire.codebook import Codebook
from surveykit.stats.rtests import drop_empty

from .compare import (
    NO_EFFECT,
    TEST_COLUMNS,
    Untested,
    adjust,
    compare_categorical,
    compare_numeric,
    contingency,
    numeric_groups,
    option_contingency,
    ordinal_groups,
    test_row,
    testable,
)
from .contrasts import ESTIMATE_COLUMNS, POSTHOC_COLUMNS, contrasts
from .describe import (
    ALL,
    answered_mask,
    asked_mask,
    categorical_rows,
    combined_rows,
    numeric_summary,
    positive_rows,
    rank_rows,
    score_rows,
    tidy,
)
from .format import ordinal_note
from .models import MODEL_COLUMNS, models_frame, regression_rows
from .plan import Plan, TableSpec


@dataclass
class AnalysisResult:
    tables: dict[str, pd.DataFrame]
    tests: pd.DataFrame
    models: pd.DataFrame = None  # regression tables (analysis.models), one row per level, covariate and model
    estimates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ESTIMATE_COLUMNS))
    posthoc: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POSTHOC_COLUMNS))


def _by_levels(book: Codebook, spec: TableSpec) -> list[str] | None:
    return list(book.question(spec.by).levels) if spec.by else None


def _option_tests(frame, spec, variable, levels, asked, by_levels, seed) -> list[dict]:
    """A multi-response question by group: one 2 × k test per option (ticked or not, among those asked)."""
    tests = []
    for level in levels:
        table = option_contingency(frame, variable, level, asked, spec.by, by_levels)
        result, reason, effect = compare_categorical(table, spec.test, seed)
        tests.append(test_row(spec.id, variable, spec.by, int(table.sum()), result, reason, effect, level))
    return tests


def _categorical(frame, book, spec, seed):
    rows, tests = [], []
    by_levels = _by_levels(book, spec)
    for variable in spec.variables:
        question = book.variable_question()[variable]
        levels = list(question.levels)
        asked = asked_mask(frame, question) if question.is_multi else None
        # A single-choice question the form showed to some respondents only is described on them: the others
        # were not asked, they did not leave it blank.
        shown = frame if question.is_multi else frame[asked_mask(frame, question)]
        answered = question.counts_answered_only
        rows += categorical_rows(shown, variable, levels, spec.by, by_levels, asked, answered)
        if spec.by:
            rows += categorical_rows(shown, variable, levels, asked=asked, answered=answered)
        rows += combined_rows(rows, variable, spec.combined(variable))
        if not spec.compares:
            continue
        if question.is_multi:  # tested on the counts' denominator
            tests += _option_tests(frame, spec, variable, levels, answered_mask(frame, question), by_levels, seed)
        else:
            table = contingency(frame, variable, levels, spec.by, by_levels)
            result, reason, effect = compare_categorical(table, spec.test, seed)
            tests.append(test_row(spec.id, variable, spec.by, int(table.sum()), result, reason, effect))
    return rows, tests


def _mean_ranks(frame: pd.DataFrame, items: tuple[str, ...]) -> dict[str, int]:
    """Rank 1 = highest overall mean; ties keep questionnaire order."""
    means = [(-numeric_summary(frame[item])["mean"], position, item) for position, item in enumerate(items)]
    return {item: rank for rank, (_m, _p, item) in enumerate(sorted(means), start=1)}


def _scores(frame, book, spec, seed):
    by_levels = _by_levels(book, spec)
    rows = score_rows(frame, list(spec.variables))
    if spec.by:
        rows += score_rows(frame, list(spec.variables), spec.by, by_levels)
    if spec.order == "mean_desc":
        ranks = _mean_ranks(frame, spec.variables)
        rows = [row | {"rank": ranks[row["variable"]]} for row in rows]
    tests = []
    if spec.compares:
        for variable in spec.variables:
            groups = numeric_groups(frame, variable, spec.by, by_levels)
            result, reason, effect = compare_numeric(groups, spec.test, seed, by_levels)
            tests.append(test_row(spec.id, variable, spec.by, sum(len(g) for g in groups), result, reason, effect))
    return rows, tests


def _ranks(frame, book, spec, seed):
    rows = rank_rows(frame, list(spec.variables), list(spec.ranks), spec.by, _by_levels(book, spec))
    if spec.by and spec.overall:
        rows += rank_rows(frame, list(spec.variables), list(spec.ranks))
    return rows, []


def _value_levels(question, values: pd.Series) -> list[str]:
    """The values whose counts a summary shows: the whole scale, or the distinct numbers answered."""
    if question.type == "scale":
        return [str(v) for v in range(int(question.min), int(question.max) + 1)]
    return sorted({v for v in values if v != ""}, key=float)


def _summary(frame, book, spec, seed):
    rows = []
    for variable in spec.variables:
        question = book.variable_question()[variable]
        rows += score_rows(frame, [variable])
        values = frame[variable].astype("string").fillna("")
        levels = _value_levels(question, values)
        rows += categorical_rows(frame.assign(**{variable: values}), variable, levels)
    return rows, []


def _ordinal_test(frame, question, spec, variable, by_levels, seed) -> dict:
    """A grid item by group on its level order: Wilcoxon (2 groups) or Kruskal-Wallis, as the plan forces."""
    groups = ordinal_groups(frame, variable, list(question.substantive_levels), spec.by, by_levels)
    kept = [(g, label) for g, label in zip(groups, by_levels) if len(g)]
    n = sum(len(g) for g in groups)
    values = np.concatenate(groups) if n else np.zeros(0)
    if len(kept) < 2 or (spec.test == "wilcoxon" and len(kept) < len(groups)) or np.ptp(values) == 0:
        reason = ("pas de test : un seul groupe représenté ou une seule modalité observée "
                  "(réponses hors modalités non substantielles)")
        return test_row(spec.id, variable, spec.by, n, Untested(), reason, NO_EFFECT)
    result, reason, effect = compare_numeric([g for g, _l in kept], spec.test, seed, [label for _g, label in kept])
    return test_row(spec.id, variable, spec.by, n, result, f"{reason} ; {ordinal_note(question)}", effect)


def _positive_ranks(rows: list[dict], items: tuple[str, ...]) -> dict[str, int]:
    """Rank 1 = highest overall share at the positive end; ties keep questionnaire order, and items without a
    substantive answer come last."""
    share = {row["variable"]: row["pct"] for row in rows if row["level"] == "" and row["group"] == ALL}

    def key(position: int) -> tuple:
        value = share[items[position]]
        return (value != value, -value if value == value else 0.0, position)

    order = sorted(range(len(items)), key=key)
    return {items[position]: rank for rank, position in enumerate(order, start=1)}


def _grid_choice(frame, book, spec, seed):
    """Items × levels of a choice grid (n, % of the answers given), each item's share at the positive end
    (among its substantive answers) with its rank, and one test per item when the table has `by`."""
    question = book.question(spec.grid)
    by_levels = _by_levels(book, spec)
    # Levels are labels: a grid whose labels are numbers (« 1 » … « 5 ») is read back from responses.csv as
    # whole numbers; its answers are compared as text.
    frame = frame.assign(**{v: frame[v].astype("string").fillna("").astype(object) for v in spec.variables})
    shown = frame[asked_mask(frame, question)]
    levels, substantive = list(question.levels), list(question.substantive_levels)
    positive = list(question.positive_levels)
    rows, tests = [], []
    for variable in spec.variables:
        rows += categorical_rows(shown, variable, levels)
        rows += positive_rows(shown, variable, substantive, positive)
        if spec.by:
            rows += categorical_rows(shown, variable, levels, spec.by, by_levels)
            rows += positive_rows(shown, variable, substantive, positive, spec.by, by_levels)
    ranks = _positive_ranks(rows, spec.variables)
    rows = [row | {"rank": ranks[row["variable"]]} if row["level"] == "" and row["group"] == ALL else row
            for row in rows]
    if spec.compares:
        for variable in spec.variables:
            if spec.test in ("wilcoxon", "kruskal"):
                tests.append(_ordinal_test(frame, question, spec, variable, by_levels, seed))
                continue
            # Levels nobody gave (frequent in a grid: « Quotidiennement » for a rare tool) are left out, as the
            # automatic choice does, so that a forced chi² is computed on the levels observed.
            full = contingency(frame, variable, levels, spec.by, by_levels)
            table = drop_empty(full) if testable(full) else full
            result, reason, effect = compare_categorical(table, spec.test, seed)
            if spec.test != "auto" and table.shape != full.shape:
                reason = f"modalités sans effectif retirées ; {reason}"
            tests.append(test_row(spec.id, variable, spec.by, int(table.sum()), result, reason, effect))
    return rows, tests


BUILDERS = {"categorical": _categorical, "scores": _scores, "ranks": _ranks, "summary": _summary,
            "grid_choice": _grid_choice}


def run_plan(responses: pd.DataFrame, book: Codebook, plan: Plan, seed: int, alpha: float = 0.05) -> AnalysisResult:
    """Every table of the plan as tidy rows, one test row per comparison, the regression models, and what the plan
    adds to the comparisons: estimates of two-group differences and pairwise comparisons after a global test
    rejecting at `alpha`."""
    tables, tests, models = {}, [], []
    for spec in plan.tables:
        if spec.kind == "regression":  # its own file (models.csv): its rows are not counts of answers
            models += regression_rows(spec.id, spec.regression, book, responses)
            continue
        rows, table_tests = BUILDERS[spec.kind](responses, book, spec, seed)
        tables[spec.id] = tidy(rows, spec.id)
        tests += table_tests
    tests_frame = adjust(pd.DataFrame(tests, columns=TEST_COLUMNS)) if tests else pd.DataFrame(columns=TEST_COLUMNS)
    for spec in plan.tables:
        if spec.kind == "grid_choice":  # the grid is one question: Holm within it is Holm within the table
            mine = tests_frame["table"] == spec.id
            tests_frame.loc[mine, "p_holm_question"] = tests_frame.loc[mine, "p_holm"]
    estimates, posthoc = contrasts(responses, book, plan, tests_frame, alpha, seed)
    return AnalysisResult(tables, tests_frame, models_frame(models) if models else pd.DataFrame(columns=MODEL_COLUMNS),
                          estimates, posthoc)


__all__ = ["ALL", "AnalysisResult", "run_plan"]
