"""Snakemake script of rule convert_chapter (logic in surveykit.manuscript.steps.convert_chapter)."""
from surveykit.core.runner import run_step
from surveykit.manuscript.steps import convert_chapter

run_step(snakemake, convert_chapter)  # noqa: F821 (snakemake is injected by Snakemake)
