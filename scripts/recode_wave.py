"""Snakemake script of rule recode_wave (logic in surveykit.recode.steps.recode_wave)."""
from surveykit.core.runner import run_step
from surveykit.recode.steps import recode_wave

run_step(snakemake, recode_wave)  # noqa: F821 (snakemake is injected by Snakemake)
