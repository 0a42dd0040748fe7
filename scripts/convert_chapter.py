"""Snakemake script of rule convert_chapter (logic in surveykit.steps.convert)."""
from surveykit.runner import run_step
from surveykit.steps.convert import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
