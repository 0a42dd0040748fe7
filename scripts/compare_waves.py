"""Snakemake script of rule compare_waves (logic in surveykit.waves.steps.compare_waves)."""
from surveykit.core.runner import run_step
from surveykit.waves.steps import compare_waves

run_step(snakemake, compare_waves)  # noqa: F821 (snakemake is injected by Snakemake)
