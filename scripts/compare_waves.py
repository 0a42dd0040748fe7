"""Snakemake script of rule compare_waves (logic in surveykit.steps.crosswave)."""
from surveykit.runner import run_step
from surveykit.steps.crosswave import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
