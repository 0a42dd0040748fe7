"""The statistics of one wave, paths in, files out (rule analyse_wave): the analysis plan on a wave's responses (tidy tables and tests.csv)."""
from __future__ import annotations

import logging

import pandas as pd

from surveykit.core.io import read_responses, write_csv
from surveykit.questionnaire.codebook import load_codebook

from .describe import TIDY_COLUMNS
from .plan import load_plan
from .run import run_plan


def analyse_wave_files(responses: str, codebook: str, plan: str, descriptives: str, tests: str, seed: int,
                       logger: logging.Logger, models: str | None = None, estimates: str | None = None,
                       posthoc: str | None = None, alpha: float = 0.05) -> None:
    """Every table of the plan (tidy), every comparison (tests.csv), every regression model (models.csv), the
    estimates of two-group differences (estimates.csv) and the pairwise comparisons after a rejected global test at
    `alpha` (posthoc.csv)."""
    book = load_codebook(codebook)
    result = run_plan(read_responses(responses), book, load_plan(plan, book), seed, alpha)
    tidy = (pd.concat(result.tables.values(), ignore_index=True) if result.tables
            else pd.DataFrame(columns=TIDY_COLUMNS))  # a plan of no table (open questions only)
    write_csv(tidy, descriptives)
    write_csv(result.tests, tests)
    if estimates:
        write_csv(result.estimates, estimates)
    if posthoc:
        write_csv(result.posthoc, posthoc)
    for row in result.tests.itertuples():
        logger.info("%s %s by %s: %s p=%.6g; reason, as tests.csv gives it: \"%s\"", row.table, row.variable, row.by, row.test, row.p_value, row.reason)
    if models:
        write_csv(result.models, models)
        _log_models(result.models, logger)


def _log_models(models: pd.DataFrame, logger: logging.Logger) -> None:
    """One line per model: its complete cases and events per parameter, or why it has no estimate."""
    for row in models[models["row"] == "model"].itertuples():
        if row.status != "ok":
            logger.warning("%s %s model not estimated (n=%d); footnote: \"%s\"", row.table, row.model, row.n, row.message)
        elif row.kind == "logistic":
            logger.info("%s %s logistic model: n=%d, events=%d, events per parameter %.3g%s", row.table, row.model,
                        row.n, row.events, row.epv, " (< 10: unstable estimates)" if row.epv < 10 else "")
        else:
            logger.info("%s %s linear model: n=%d", row.table, row.model, row.n)
