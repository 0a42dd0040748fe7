"""Snakemake script of rule coding_reliability (logic in surveykit.steps.recode)."""
from surveykit.runner import run_step
from surveykit.steps.recode import reliability

run_step(snakemake, reliability)  # noqa: F821 (snakemake is injected by Snakemake)
