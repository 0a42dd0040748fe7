"""Snakemake script of rule provenance (logic in surveykit.steps.provenance)."""
from surveykit.runner import run_step
from surveykit.steps.provenance import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
