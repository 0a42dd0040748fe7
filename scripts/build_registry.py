"""Snakemake script of rule build_registry (logic in surveykit.steps.registry)."""
from surveykit.runner import run_step
from surveykit.steps.registry import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
