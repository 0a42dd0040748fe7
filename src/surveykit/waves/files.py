"""The cross-wave comparison of a study, paths in, files out (rule compare_waves): the shares and scores a study declares, across its waves (tables, figure, section)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from surveykit.analysis.plan import load_plan
from surveykit.core import fmt
from surveykit.core.io import read_responses, write_csv
from surveykit.figures.style import apply_style, save
from surveykit.questionnaire.codebook import load_codebook

from .crosswave import compare_waves, evolution_figure, render_section, section_context, waves_from_params


def compare_waves_files(responses: list[str], waves: list[dict], codebook: str, plan: str, template: str, shares: str,
            scores: str, png: str, svg: str, markdown: str, seed: int, alpha: float, logger: logging.Logger,
            share_tests: str | None = None) -> None:
    """Read each wave's responses (oldest first) and write the cross-wave outputs."""
    book = load_codebook(codebook)
    the_plan = load_plan(plan, book)
    with fmt.percent_style(the_plan.percent):  # the study's one precision, as in its chapter
        _compare(responses, waves, book, the_plan, template, shares, scores, png, svg, markdown, seed, alpha, logger,
                 share_tests)


def _compare(responses, waves, book, the_plan, template, shares, scores, png, svg, markdown, seed, alpha,
             logger, share_tests) -> None:
    frames = [read_responses(p) for p in responses]
    wave_list = waves_from_params(waves)
    result = compare_waves(frames, wave_list, book, the_plan, seed=seed, alpha=alpha)
    write_csv(result.shares, shares)
    if share_tests is not None:
        write_csv(result.share_tests, share_tests)
    write_csv(result.scores, scores)
    apply_style()
    save(evolution_figure(result), png, svg)
    figure_path = os.path.relpath(png, Path(markdown).parent)
    respondents = {w.name: len(f) for w, f in zip(wave_list, frames)}
    text = render_section(template, section_context(result, figure_path, respondents))
    Path(markdown).parent.mkdir(parents=True, exist_ok=True)
    Path(markdown).write_text(text, encoding="utf-8")
    for row in result.shares.itertuples():
        logger.info("share %s=%s %s: %s %s/%s", row.variable, row.level, row.wave, row.status, row.x, row.n)
    for row in result.share_tests.itertuples():
        logger.info("share %s=%s %s: %s p=%.6g p_holm=%.6g", row.variable, row.level, row.comparison, row.test,
                    row.p_value, row.p_holm)
    for row in result.scores.itertuples():
        logger.info("%s %s: W=%s p=%.6g p_holm=%.6g", row.comparison, row.variable, row.statistic, row.p_value,
                    row.p_holm)
