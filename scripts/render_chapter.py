"""Snakemake script of rule render_chapter (logic in surveykit.steps.manuscript)."""
from surveykit.runner import run_step
from surveykit.steps.manuscript import render

run_step(snakemake, render)  # noqa: F821 (snakemake is injected by Snakemake)
