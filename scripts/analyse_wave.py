"""Snakemake script of rule analyse_wave (logic in surveykit.analysis.steps.analyse_wave)."""
from surveykit.analysis.steps import analyse_wave
from surveykit.core.runner import run_step

run_step(snakemake, analyse_wave)  # noqa: F821 (snakemake is injected by Snakemake)
