"""Rule entry points of stage 2, recoding (workflow/rules/recode.smk), recode_wave and coding_reliability: open answers → categories, from committed decisions."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.io import read_csv, read_responses, write_csv
from surveykit.questionnaire.codebook import load_codebook

from .files import asked_counts, code_wave_files, main_decisions, reliability_files


def _earlier(files: list[str]) -> dict[str, list[str]]:
    """Group earlier waves' decision files by wave folder name, oldest wave first."""
    waves: dict[str, list[str]] = {}
    for path in files:
        waves.setdefault(Path(path).parent.name, []).append(path)
    return waves


def _categories_dir(inputs) -> str | None:
    """The folder of the category codebooks (the rule lists its files as inputs); None for a study with no
    open question."""
    return str(Path(inputs.categories[0]).parent) if len(inputs.categories) else None


def recode_wave(inputs, outputs, params, logger: logging.Logger) -> None:
    """Code the open answers (personal data were masked by the cleaning step, see surveykit.clean.privacy)."""
    decisions = main_decisions(list(inputs.decisions))
    book = load_codebook(inputs.codebook)  # this wave's form edition
    result = code_wave_files(inputs.responses, _categories_dir(inputs), decisions, outputs.coded, outputs.counts,
                             outputs.review, earlier=_earlier(list(inputs.earlier)),
                             allow_suggestions=params.allow_suggestions, strict=params.strict,
                             sheet_out=outputs.sheet, quotes_out=outputs.quotes, absent=book.absent,
                             decisions_folder=params.get("coding_folder"))
    for message in result.messages:
        logger.warning(message)
    counts = read_csv(outputs.counts)
    skip_logic = sorted({variable for question in book.questions for variable in question.asked_if})
    asked = asked_counts(read_responses(inputs.responses, columns=["respondent_id", *skip_logic]), book)
    counts["n_asked"] = counts["question"].map(asked)
    write_csv(counts, outputs.counts)
    logger.info("coded %d answers from %s; %d left to review", len(result.coded_answers),
                ", ".join(decisions) or "no decision file", len(result.to_review))


def coding_reliability(inputs, outputs, params, logger: logging.Logger) -> None:
    files = list(inputs.decisions)
    main = main_decisions(files)
    others = [f for f in files if f not in main]
    if not main or not others:
        for path in (outputs.per_category, outputs.overall, outputs.disagreements):
            write_csv(pd.DataFrame({"note": ["pas de second codeur pour cette vague"]}), path)
        logger.info("no second coder: reliability not computed")
        return
    if len(others) > 1:
        raise InputError(f"{', '.join(others)}: one second coder per wave is supported; found {len(others)}")
    reliability_files(main[0], others[0], _categories_dir(inputs), outputs.per_category, outputs.overall,
                      outputs.disagreements)
    logger.info("reliability of %s vs %s", main[0], others[0])


__all__ = ["recode_wave", "coding_reliability"]
