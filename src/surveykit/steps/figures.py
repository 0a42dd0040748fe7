"""Rules draw_count_figures and draw_statistics_figures: figures (PNG 300 dpi + SVG) from counts or statistics."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..analysis.describe import ALL
from ..analysis.plan import load_plan
from ..codebook import load_codebook
from ..figures import draw
from ..figures.style import apply_style, save
from ..io import read_json, read_tidy
from ..yamlio import load_yaml


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


def draw_figures(inputs: dict[str, str], pngs: list[str], svgs: list[str], wave: dict,
                 logger: logging.Logger) -> None:
    """Draw every figure of figures.yaml; output files are named after the figure ids."""
    apply_style()
    specs = {spec["id"]: spec for spec in load_yaml(inputs["figures"])["figures"]}
    for png, svg in zip(sorted(pngs), sorted(svgs)):
        figure_id = Path(png).stem
        if Path(svg).stem != figure_id or figure_id not in specs:
            raise ValueError(f"{png}, {svg}: expected one PNG and one SVG per figure id of {inputs['figures']}")
        spec = specs[figure_id]
        save(build_figure(spec, inputs, wave), png, svg)
        logger.info("drew %s (%s)", figure_id, spec["kind"])


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    draw_figures(dict(inputs.items()), list(outputs.png), list(outputs.svg), params.wave, logger)
