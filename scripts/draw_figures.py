"""Snakemake script of rules draw_count_figures and draw_statistics_figures (logic in surveykit.figures.steps.draw_figures)."""
from surveykit.core.runner import run_step
from surveykit.figures.steps import draw_figures

run_step(snakemake, draw_figures)  # noqa: F821 (snakemake is injected by Snakemake)
