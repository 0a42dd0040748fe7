"""Snakemake script of rule clean_wave (logic in surveykit.steps.clean)."""
from surveykit.runner import run_step
from surveykit.steps.clean import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
