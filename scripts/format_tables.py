"""Snakemake script of rule format_tables (logic in surveykit.steps.tables)."""
from surveykit.runner import run_step
from surveykit.steps.tables import run_format

run_step(snakemake, run_format)  # noqa: F821 (snakemake is injected by Snakemake)
