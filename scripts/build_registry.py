"""Snakemake script of rule build_registry (logic in surveykit.manuscript.steps.build_registry)."""
from surveykit.core.runner import run_step
from surveykit.manuscript.steps import build_registry

run_step(snakemake, build_registry)  # noqa: F821 (snakemake is injected by Snakemake)
