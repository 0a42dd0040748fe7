"""Snakemake script of rule codebook_edition (logic in surveykit.steps.edition)."""
from surveykit.runner import run_step
from surveykit.steps.edition import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
