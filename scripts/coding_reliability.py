"""Snakemake script of rule coding_reliability (logic in surveykit.recode.steps.coding_reliability)."""
from surveykit.core.runner import run_step
from surveykit.recode.steps import coding_reliability

run_step(snakemake, coding_reliability)  # noqa: F821 (snakemake is injected by Snakemake)
