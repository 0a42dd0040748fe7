"""Rule entry points of stage 1, cleaning (workflow/rules/clean.smk): one function per rule, named after it."""
from __future__ import annotations

import logging

from .edition import write_edition
from .files import clean_wave_files


def codebook_edition(inputs, outputs, params, logger: logging.Logger) -> None:
    write_edition(inputs.codebook, params.wave, list(params.waves), outputs.codebook, logger)


def clean_wave(inputs, outputs, params, logger: logging.Logger) -> None:
    clean_wave_files(inputs.export, inputs.codebook, outputs.responses, outputs.excluded, outputs.flow,
                     params.wave, params.on_invalid, logger, params.limits, inputs.get("names"), outputs.pii_report,
                     params.max_quarantined_share)


__all__ = ["codebook_edition", "clean_wave"]
