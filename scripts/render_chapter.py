"""Snakemake script of rule render_chapter (logic in surveykit.manuscript.steps.render_chapter)."""
from surveykit.core.runner import run_step
from surveykit.manuscript.steps import render_chapter

run_step(snakemake, render_chapter)  # noqa: F821 (snakemake is injected by Snakemake)
