"""Snakemake script of rule convert_evolution (logic in surveykit.steps.manuscript)."""
from surveykit.runner import run_step
from surveykit.steps.manuscript import convert

run_step(snakemake, convert)  # noqa: F821 (snakemake is injected by Snakemake)
