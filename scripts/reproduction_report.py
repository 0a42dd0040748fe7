"""Snakemake script of rule reproduction_report (logic in surveykit.steps.reproduction)."""
from surveykit.runner import run_step
from surveykit.steps.reproduction import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
