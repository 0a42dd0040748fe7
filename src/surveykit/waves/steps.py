"""Rule entry points of the cross-wave stage (workflow/rules/waves.smk): one function per rule, named after it."""
from __future__ import annotations

import logging
import os

from surveykit.manuscript.convert import codebook_labels, convert_markdown

from .files import compare_waves_files


def _paths(value) -> list[str]:
    """A Snakemake named input is a list of files, or a single path when given as a string."""
    return [value] if isinstance(value, (str, os.PathLike)) else [str(p) for p in value]


def compare_waves(inputs, outputs, params, logger: logging.Logger) -> None:
    compare_waves_files(_paths(inputs.responses), list(params.waves), inputs.codebook, inputs.plan, inputs.template,
                        outputs.shares, outputs.scores, outputs.png, outputs.svg, outputs.markdown, int(params.seed),
                        float(params.alpha), logger, outputs.share_tests)


def convert_evolution(inputs, outputs, params, logger: logging.Logger) -> None:
    convert_markdown(inputs.markdown, outputs.html, outputs.docx, inputs.css, inputs.reference_docx,
                     legibility=params.legibility, logger=logger, whole=codebook_labels(inputs.codebook))
    logger.info("wrote %s and %s", outputs.html, outputs.docx)


__all__ = ["compare_waves", "convert_evolution"]
