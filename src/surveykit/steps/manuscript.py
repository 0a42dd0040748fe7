"""Rule render_chapter: the Markdown chapter from the registry (converted by steps.convert)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..analysis.format import variable_label
from ..analysis.plan import load_plan
from ..codebook import load_codebook
from ..figures.spec import load_figures, load_reference_figures
from ..io import read_json, write_csv
from ..report.chapter import Context, render_chapter
from ..report.registry import Registry
from ..yamlio import load_yaml


def _figures(specs, figure_paths: list[str], chapter_dir: Path) -> dict:
    """Caption and path (relative to the chapter) of every figure of the study."""
    paths = {Path(path).stem: path for path in figure_paths}
    return {spec.id: {"path": os.path.relpath(paths[spec.id], chapter_dir), "spec": spec} for spec in specs}


def render(inputs, outputs, params, logger: logging.Logger) -> None:
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
    text = render_chapter(inputs.template, context, params.wave)
    chapter_dir.mkdir(parents=True, exist_ok=True)
    Path(outputs.markdown).write_text(text, encoding="utf-8")
    frame = registry.to_frame()
    frame["used_in_chapter"] = frame["key"].isin(registry.used)
    write_csv(frame, outputs.registry)
    logger.info("chapter rendered: %d registry values, %d quoted in the text", len(frame), len(registry.used))
