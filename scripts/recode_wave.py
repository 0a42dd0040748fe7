"""Snakemake script of rule recode_wave (logic in surveykit.steps.recode)."""
from surveykit.runner import run_step
from surveykit.steps.recode import recode

run_step(snakemake, recode)  # noqa: F821 (snakemake is injected by Snakemake)
