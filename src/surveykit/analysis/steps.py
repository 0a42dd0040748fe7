"""Rule entry points of stage 3, statistics (workflow/rules/stats.smk): one function per rule, named after it
(one rule per step for every study; the tables a step wrote are listed in its manifest).

Each rule runs in a fresh Python process, so each function imports what it uses, when it runs: format_tables
only formats the statistics' files and does not import the statistics engine (SciPy)."""
from __future__ import annotations

import logging
from pathlib import Path


def analyse_wave(inputs, outputs, params, logger: logging.Logger) -> None:
    from .files import analyse_wave_files

    analyse_wave_files(inputs.responses, inputs.codebook, inputs.plan, outputs.descriptives, outputs.tests,
                       params.seed, logger, outputs.models, outputs.estimates, outputs.posthoc, params.alpha)


def format_tables(inputs, outputs, params, logger: logging.Logger) -> None:
    """One CSV (and its Excel copy) per table of the plan (`params.expected`), listed in the wave's manifest."""
    from surveykit.core.io import write_json

    from .tables import EXCEL_CSV, format_tables_files, read_contrasts

    expected = sorted(params.expected)
    contrasts = read_contrasts(inputs.estimates, inputs.posthoc, list(inputs.published), params.alpha, params.seed)
    format_tables_files(inputs.descriptives, inputs.tests, inputs.codebook, inputs.plan, outputs.tables,
                        params.out_dir, logger, expected, out_xlsx=outputs.xlsx, models=inputs.models,
                        contrasts=contrasts)
    excel = [str(Path(path).with_name(EXCEL_CSV.format(table=Path(path).stem))) for path in expected]
    write_json({"csv": expected, "excel_csv": excel}, outputs.manifest)


__all__ = ["analyse_wave", "format_tables"]
