"""Snakemake script of rules format_tables_<study> (logic in surveykit.analysis.steps.format_tables)."""
from surveykit.analysis.steps import format_tables
from surveykit.core.runner import run_step

run_step(snakemake, format_tables)  # noqa: F821 (snakemake is injected by Snakemake)
