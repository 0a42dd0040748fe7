"""Rule draw_figure: one figure (PNG 300 dpi + SVG) from statistics or recoding outputs only."""
from __future__ import annotations

import logging

import pandas as pd

from ..analysis.describe import ALL
from ..analysis.plan import load_plan
from ..codebook import load_codebook
from ..figures import draw
from ..figures.style import apply_style, save
from ..io import read_json, read_tidy
from ..yamlio import load_yaml


def figure_spec(figures_yaml: str, figure_id: str) -> dict:
    return next(f for f in load_yaml(figures_yaml)["figures"] if f["id"] == figure_id)


def _title(spec: dict) -> str:
    return f"Figure {spec['number']}. {spec['caption']}" if spec.get("number") else spec["caption"]


def build_figure(spec: dict, inputs: dict[str, str], wave: dict):
    """The matplotlib figure for one entry of figures.yaml."""
    kind, title = spec["kind"], _title(spec)
    if kind == "flowchart":
        return draw.flowchart(read_json(inputs["flow"]), title)
    if kind == "categories":
        counts = pd.read_csv(inputs["counts"])
        return draw.category_bars(counts[counts["question"] == spec["question"]], title)
    tidy = read_tidy(inputs["descriptives"])
    table = tidy[tidy["table"] == spec["table"]]
    if kind == "histogram":
        summary = table[(table["variable"] == spec["variable"]) & (table["level"] == "")].iloc[0]
        values = table[(table["variable"] == spec["variable"]) & (table["level"] != "")]
        return draw.histogram(values, summary["mean"], summary["sd"], spec["xlabel"], title)
    if kind == "barriers":
        book = load_codebook(inputs["codebook"])
        plan = load_plan(inputs["plan"], book)
        labels = {item.id: item.label for q in book.questions for item in q.items}
        by = plan.table(spec["table"]).by
        return draw.barrier_means(table, labels, plan.group_labels.get(by, {}), title)
    if kind == "diffusion":
        row = table[(table["variable"] == spec["variable"]) & (table["level"] == spec["level"])
                    & (table["group"] == ALL)].iloc[0]
        return draw.diffusion_curve(float(row["pct"]), wave["label"], load_yaml(inputs["references"]), title)
    raise ValueError(f"unknown figure kind {kind!r}")


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    apply_style()
    spec = figure_spec(inputs.figures, params.figure)
    figure = build_figure(spec, dict(inputs.items()), params.wave)
    save(figure, outputs.png, outputs.svg)
    logger.info("drew %s (%s)", params.figure, spec["kind"])
