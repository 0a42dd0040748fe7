"""Snakemake script of rule provenance (logic in surveykit.provenance.steps.provenance)."""
from surveykit.core.runner import run_step
from surveykit.provenance.steps import provenance

run_step(snakemake, provenance)  # noqa: F821 (snakemake is injected by Snakemake)
