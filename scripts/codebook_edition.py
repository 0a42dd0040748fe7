"""Snakemake script of rule codebook_edition (logic in surveykit.clean.steps.codebook_edition)."""
from surveykit.clean.steps import codebook_edition
from surveykit.core.runner import run_step

run_step(snakemake, codebook_edition)  # noqa: F821 (snakemake is injected by Snakemake)
