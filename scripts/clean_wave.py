"""Snakemake script of rule clean_wave (logic in surveykit.clean.steps.clean_wave)."""
from surveykit.clean.steps import clean_wave
from surveykit.core.runner import run_step

run_step(snakemake, clean_wave)  # noqa: F821 (snakemake is injected by Snakemake)
