"""Rule entry point of stage 4, figures (workflow/rules/figures.smk): the rules draw_count_figures and
draw_statistics_figures both run draw_figures (the figures of a wave, listed in the rule's manifest)."""
from __future__ import annotations

import logging
from pathlib import Path

from surveykit.core.io import write_json

from .build import draw_figure_files


def draw_figures(inputs, outputs, params, logger: logging.Logger) -> None:
    """Draw the figures `params.figure_ids` beside the manifest, then list their files in it."""
    folder = Path(outputs.manifest).parent
    pngs = [str(folder / f"{figure_id}.png") for figure_id in sorted(params.figure_ids)]
    svgs = [str(folder / f"{figure_id}.svg") for figure_id in sorted(params.figure_ids)]
    draw_figure_files(dict(inputs.items()), pngs, svgs, params.wave, logger)
    write_json({"png": pngs, "svg": svgs}, outputs.manifest)


__all__ = ["draw_figures"]
