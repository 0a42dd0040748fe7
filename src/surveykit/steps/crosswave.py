"""Rule compare_waves: adoption and barriers across the configured waves (tables, trend figure, French section)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..codebook import load_codebook
from ..crosswave import compare_waves, evolution_figure, render_section, section_context, waves_from_params
from ..figures.style import apply_style, save
from ..io import read_responses, write_csv


def _paths(value) -> list[str]:
    """A Snakemake named input is a list of files, or a single path when given as a string."""
    return [value] if isinstance(value, (str, os.PathLike)) else [str(p) for p in value]


def compare(responses: list[str], waves: list[dict], codebook: str, template: str, adoption: str, barriers: str,
            png: str, svg: str, markdown: str, seed: int, alpha: float, design: str,
            logger: logging.Logger) -> None:
    """Read each wave's responses (oldest first) and write the four cross-wave outputs."""
    result = compare_waves([read_responses(p) for p in responses], waves_from_params(waves), load_codebook(codebook),
                           seed=seed, alpha=alpha, design=design)
    write_csv(result.adoption, adoption)
    write_csv(result.barriers, barriers)
    apply_style()
    save(evolution_figure(result), png, svg)
    figure_path = os.path.relpath(png, Path(markdown).parent)
    text = render_section(template, section_context(result, figure_path))
    Path(markdown).parent.mkdir(parents=True, exist_ok=True)
    Path(markdown).write_text(text, encoding="utf-8")
    for row in result.adoption.itertuples():
        logger.info("adoption %s: %d/%d (%.1f %%)", row.wave, row.x, row.n, row.pct)
    logger.info("between waves: %s p=%.6g (%s)", result.adoption["test"].iloc[0],
                result.adoption["p_value"].iloc[0], result.adoption["reason"].iloc[0])
    for row in result.barriers.itertuples():
        logger.info("%s %s: W=%s p=%.6g p_holm=%.6g", row.comparison, row.variable, row.statistic, row.p_value,
                    row.p_holm)


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    compare(_paths(inputs.responses), list(params.waves), inputs.codebook, inputs.template, outputs.adoption,
            outputs.barriers, outputs.png, outputs.svg, outputs.markdown, int(params.seed), float(params.alpha),
            getattr(params, "design", "baseline"), logger)


__all__ = ["compare", "run"]
