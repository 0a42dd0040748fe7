"""Snakemake script of rule convert_evolution (logic in surveykit.waves.steps.convert_evolution)."""
from surveykit.core.runner import run_step
from surveykit.waves.steps import convert_evolution

run_step(snakemake, convert_evolution)  # noqa: F821 (snakemake is injected by Snakemake)
