"""Rule render_chapter: the registry of reported values and the Markdown chapter (converted by steps.convert)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from .. import fmt
from ..analysis.plan import load_plan
from ..codebook import load_codebook
from ..io import read_json, read_tidy, write_csv
from ..report.chapter import Context, render_chapter
from ..report.registry import Registry, add_flow, add_tests, add_tidy
from ..yamlio import load_yaml

def add_recoding(registry: Registry, counts: pd.DataFrame, source: str, rule: str) -> None:
    """recodage.<question>.<category>.{n,pct,label}, .reponses (answers) and .repondants (asked)."""
    for question, sub in counts.groupby("question", sort=True):
        first = sub.iloc[0]
        registry.add(f"recodage.{question}.reponses", int(first["n_answers"]), str(int(first["n_answers"])),
                     source, rule)
        registry.add(f"recodage.{question}.repondants", int(first["n_asked"]), str(int(first["n_asked"])),
                     source, rule)
        for row in sub.itertuples(index=False):
            base = f"recodage.{question}.{row.category}"
            registry.add(f"{base}.n", int(row.n), str(int(row.n)), source, rule)
            registry.add(f"{base}.pct", float(row.pct), fmt.percent(row.pct), source, rule)
            registry.add(f"{base}.label", row.label, row.label, source, rule)


def build_registry(inputs: dict[str, str], alpha: float) -> Registry:
    registry = Registry()
    add_flow(registry, read_json(inputs["flow"]), inputs["flow"], "clean_wave")
    add_tidy(registry, read_tidy(inputs["descriptives"]), inputs["descriptives"], "analyse_wave")
    add_tests(registry, pd.read_csv(inputs["tests"]), alpha, inputs["tests"], "analyse_wave")
    add_recoding(registry, pd.read_csv(inputs["counts"]), inputs["counts"], "recode_wave")
    return registry


def _figures(figures_yaml: str, figure_paths: list[str], chapter_dir: Path) -> dict:
    specs = {f["id"]: f for f in load_yaml(figures_yaml)["figures"]}
    figures = {}
    for path in figure_paths:
        figure_id = Path(path).stem
        spec = specs[figure_id]
        title = f"Figure {spec['number']}. {spec['caption']}" if spec.get("number") else spec["caption"]
        figures[figure_id] = {"title": title, "path": os.path.relpath(path, chapter_dir)}
    return figures


def _labels(codebook: str, plan: str) -> dict[str, str]:
    book = load_codebook(codebook)
    labels = {item.id: item.label for q in book.questions for item in q.items}
    labels.update(load_plan(plan, book).variable_labels)
    return labels


def render(inputs, outputs, params, logger: logging.Logger) -> None:
    registry = build_registry(dict(inputs.items()), params.alpha)
    chapter_dir = Path(outputs.markdown).parent
    context = Context(registry, read_json(inputs.tables), _figures(inputs.figures, list(params.figure_files),
                      chapter_dir), _labels(inputs.codebook, inputs.plan), params.alpha)
    text = render_chapter(inputs.template, context, params.wave)
    chapter_dir.mkdir(parents=True, exist_ok=True)
    Path(outputs.markdown).write_text(text, encoding="utf-8")
    frame = registry.to_frame()
    frame["used_in_chapter"] = frame["key"].isin(registry.used)
    write_csv(frame, outputs.registry)
    logger.info("chapter rendered: %d registry values, %d quoted in the text", len(frame), len(registry.used))
