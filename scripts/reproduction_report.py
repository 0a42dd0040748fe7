"""Snakemake script of rule reproduction_report (logic in surveykit.reproduction.steps.reproduction_report)."""
from surveykit.core.runner import run_step
from surveykit.reproduction.steps import reproduction_report

run_step(snakemake, reproduction_report)  # noqa: F821 (snakemake is injected by Snakemake)
