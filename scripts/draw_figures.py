"""Snakemake script of rules draw_count_figures and draw_statistics_figures (logic in surveykit.steps.figures)."""
from surveykit.runner import run_step
from surveykit.steps.figures import run

run_step(snakemake, run)  # noqa: F821 (snakemake is injected by Snakemake)
