"""Snakemake script of rule draw_figure (logic in surveykit.steps.figures)."""
from surveykit.runner import run_step
from surveykit.steps.figures import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
