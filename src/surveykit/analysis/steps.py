"""Rule entry points of stage 3, statistics (workflow/rules/stats.smk): one function per rule, named after it
(format_tables runs as one rule per study, format_tables_<study>)."""
from __future__ import annotations

import logging

from .files import analyse_wave_files
from .tables import format_tables_files, read_contrasts


def analyse_wave(inputs, outputs, params, logger: logging.Logger) -> None:
    analyse_wave_files(inputs.responses, inputs.codebook, inputs.plan, outputs.descriptives, outputs.tests,
                       params.seed, logger, outputs.estimates, outputs.posthoc, params.alpha)


def format_tables(inputs, outputs, params, logger: logging.Logger) -> None:
    contrasts = read_contrasts(inputs.estimates, inputs.posthoc, list(inputs.published), params.alpha, params.seed)
    format_tables_files(inputs.descriptives, inputs.tests, inputs.codebook, inputs.plan, outputs.tables,
                        params.out_dir, logger, list(outputs.csv), out_xlsx=outputs.xlsx, contrasts=contrasts)


__all__ = ["analyse_wave", "format_tables"]
