"""Snakemake script of rule analyse_wave (logic in surveykit.steps.analyse)."""
from surveykit.runner import run_step
from surveykit.steps.analyse import run_analyse

run_step(snakemake, run_analyse)  # noqa: F821 (snakemake is injected by Snakemake)
