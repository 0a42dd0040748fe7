"""Rule entry points of stage 1, cleaning (workflow/rules/clean.smk): one function per rule, named after it.

Each rule runs in a fresh Python process, so each function imports what it uses, when it runs: codebook_edition,
the first job of every wave, reads and writes YAML only and does not wait for pandas."""
from __future__ import annotations

import logging


def codebook_edition(inputs, outputs, params, logger: logging.Logger) -> None:
    from .edition import write_edition

    write_edition(inputs.codebook, params.wave, list(params.waves), outputs.codebook, logger)


def clean_wave(inputs, outputs, params, logger: logging.Logger) -> None:
    from .files import clean_wave_files

    clean_wave_files(inputs.export, inputs.codebook, outputs.responses, outputs.excluded, outputs.flow,
                     params.wave, params.on_invalid, logger, params.limits, inputs.get("names"), outputs.pii_report,
                     params.max_quarantined_share)


__all__ = ["codebook_edition", "clean_wave"]
