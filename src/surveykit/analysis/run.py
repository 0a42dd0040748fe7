"""Run the analysis plan on a clean wave: tidy tables and the tests.csv rows."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..codebook import Codebook
from .compare import (TEST_COLUMNS, adjust, compare_categorical, compare_numeric, contingency, numeric_groups,
                      option_contingency, test_row)
from .describe import ALL, answered_mask, asked_mask, categorical_rows, numeric_summary, rank_rows, score_rows, tidy
from .plan import Plan, TableSpec


@dataclass
class AnalysisResult:
    tables: dict[str, pd.DataFrame]
    tests: pd.DataFrame


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
    return rank_rows(frame, list(spec.variables), list(spec.ranks), spec.by, _by_levels(book, spec)), []


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


BUILDERS = {"categorical": _categorical, "scores": _scores, "ranks": _ranks, "summary": _summary}


def run_plan(responses: pd.DataFrame, book: Codebook, plan: Plan, seed: int) -> AnalysisResult:
    """Every table of the plan as tidy rows, and one test row per comparison."""
    tables, tests = {}, []
    for spec in plan.tables:
        rows, table_tests = BUILDERS[spec.kind](responses, book, spec, seed)
        tables[spec.id] = tidy(rows, spec.id)
        tests += table_tests
    tests_frame = adjust(pd.DataFrame(tests, columns=TEST_COLUMNS)) if tests else pd.DataFrame(columns=TEST_COLUMNS)
    return AnalysisResult(tables, tests_frame)


__all__ = ["ALL", "AnalysisResult", "run_plan"]
