"""Rule entry points of stage 5, the manuscript (workflow/rules/manuscript.smk): one function per rule, named after
it.

Each rule runs in a fresh Python process, so each function imports what it uses, when it runs: convert_chapter,
the last job of every cold run's chain, then needs neither pandas nor SciPy nor openpyxl (0.5 s of start-up
less), which rendering and the registry import."""
from __future__ import annotations

import logging
import os
from pathlib import Path


def _figures(specs, figure_paths: list[str], chapter_dir: Path) -> dict:
    """Caption and path (relative to the chapter) of every figure of the study."""
    paths = {Path(path).stem: path for path in figure_paths}
    return {spec.id: {"path": os.path.relpath(paths[spec.id], chapter_dir), "spec": spec} for spec in specs}


def build_registry(inputs, outputs, params, logger: logging.Logger) -> None:
    from .collect import collect_registry
    from .prose import typography
    from .registry import reference_markdown

    registry = collect_registry(dict(inputs.items()), params.alpha, params.get("seed"))
    registry.to_json(outputs.registry)
    with open(outputs.reference, "w", encoding="utf-8") as handle:
        handle.write(typography(reference_markdown(registry, params.wave["label"])))
    logger.info("registry: %d values", len(registry.keys()))


def render_chapter(inputs, outputs, params, logger: logging.Logger) -> None:
    from surveykit.analysis.format import variable_label
    from surveykit.analysis.plan import load_plan
    from surveykit.core.io import read_json, write_csv
    from surveykit.core.yamlio import load_yaml
    from surveykit.figures.spec import load_figures, load_reference_figures
    from surveykit.questionnaire.codebook import load_codebook

    from . import chapter
    from .chapter import Context
    from .registry import Registry

    registry = Registry.from_json(inputs.registry)
    book = load_codebook(inputs.codebook)
    plan = load_plan(inputs.plan, book)
    chapter_dir = Path(outputs.markdown).parent
    labels = {variable: variable_label(plan, book, variable) for variable in book.variables}
    figures = _figures(load_figures(inputs.figures, book, plan), list(params.figure_files), chapter_dir)
    context = Context(registry, read_json(inputs.tables), figures, labels, params.alpha, book=book, plan=plan)
    folder = Path(inputs.figures).parent
    context.reference_figures = load_reference_figures(inputs.figures)
    context.figure_data = {figure_id: load_yaml(folder / figure["spec"].data)
                           for figure_id, figure in figures.items() if figure["spec"].data}
    text = chapter.render_chapter(inputs.template, context, params.wave)
    chapter_dir.mkdir(parents=True, exist_ok=True)
    Path(outputs.markdown).write_text(text, encoding="utf-8")
    frame = registry.to_frame()
    frame["used_in_chapter"] = frame["key"].isin(registry.used)
    write_csv(frame, outputs.registry)
    logger.info("chapter rendered: %d registry values, %d quoted in the text", len(frame), len(registry.used))


def convert_chapter(inputs, outputs, params, logger: logging.Logger) -> None:
    from .convert import codebook_labels, convert_markdown

    convert_markdown(inputs.markdown, outputs.html, outputs.docx, inputs.css, inputs.reference_docx,
                     legibility=params.legibility, logger=logger, whole=codebook_labels(inputs.codebook))
    logger.info("wrote %s and %s", outputs.html, outputs.docx)


__all__ = ["build_registry", "render_chapter", "convert_chapter"]
