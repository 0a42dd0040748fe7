"""The codebook edition of a wave (rule codebook_edition): the study's codebook as one wave's form has it (`since`/`until` resolved).

Every later rule of the wave reads this edition, so a question or an option declared for a later wave
changes nothing in an earlier wave's outputs."""
from __future__ import annotations

import logging
from pathlib import Path

import yaml

from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import edition_of, load_codebook

HEADER = ("# Written by the pipeline (rule codebook_edition): the codebook of {source} as wave {wave}'s form has\n"
          "# it. Edit {source}, never this file.\n")


def write_edition(codebook: str, wave: str, waves: list[str], output: str, logger: logging.Logger) -> None:
    raw = load_validated(codebook, package_schema("codebook.schema.yaml"))
    document = edition_of(raw, wave, list(waves), str(codebook))
    text = HEADER.format(source=codebook, wave=wave) + yaml.safe_dump(document, allow_unicode=True, sort_keys=False,
                                                                     width=120)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(text, encoding="utf-8")
    load_codebook(output)  # the edition is a valid codebook (checked here, not in the next rule)
    absent = document["edition"]["absent"]
    if absent:
        logger.info("wave %s: not in this form edition: %s", wave, ", ".join(absent))


__all__ = ["write_edition"]
