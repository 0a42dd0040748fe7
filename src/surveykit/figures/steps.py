"""Rule entry point of stage 4, figures (workflow/rules/figures.smk): the rules draw_count_figures_<study> and
draw_statistics_figures_<study> both run draw_figures (the figures of a wave whose files the rule declares)."""
from __future__ import annotations

import logging

from .build import draw_figure_files


def draw_figures(inputs, outputs, params, logger: logging.Logger) -> None:
    draw_figure_files(dict(inputs.items()), list(outputs.png), list(outputs.svg), params.wave, logger)


__all__ = ["draw_figures"]
