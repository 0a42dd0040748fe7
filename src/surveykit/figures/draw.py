"""The figures of a chapter. Each function takes small data (dicts, tidy frames) and the words to print.

No figure has a title (the caption carries it), every number is French (decimal comma, « n (%) » as in
the tables), counts have whole-number ticks, and every word comes from the caller (the study's files).
Figures are drawn at their print size (style.TEXT_WIDTH_IN wide at most).
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from .. import distributions as dist
from .. import fmt
from .style import GREY, MIN_FONT_SIZE, PALETTE, SMALL_FONT_SIZE, TEXT_WIDTH_IN, french_axis

LABEL_WIDTH = 34  # characters per line of a wrapped bar label
CHAR_WIDTH_IN = 0.068
ROW_LABEL_WIDTH = 0.15  # share of the flowchart's width given to the names of the breakdown variables  # mean width of a character at SMALL_FONT_SIZE (DejaVu Sans 8 pt), to wrap text in boxes


def typographic(text: str) -> str:
    """Curly apostrophes for printed labels ("l'outil" -> "l’outil")."""
    return str(text).replace("'", "\u2019")


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(typographic(text), width, break_long_words=False)) or typographic(text)


def count_label(n: int, pct: float) -> str:
    """« 22 (56,4 %) »: the tables' n (%) format."""
    return fmt.count_percent(int(n), pct)


# --------------------------------------------------------------------------- flowchart


def _box(ax, x: float, y: float, text: str, width: float, height: float, color: str,
         fontsize: float = SMALL_FONT_SIZE) -> None:
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.008",
                                facecolor="white", edgecolor=color, linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _fitting_size(words: str, width_in: float) -> float:
    """SMALL_FONT_SIZE, or MIN_FONT_SIZE when the longest word would not fit in the box at that size."""
    longest = max((len(w) for w in words.split()), default=0)
    return SMALL_FONT_SIZE if longest * CHAR_WIDTH_IN <= 0.88 * width_in else MIN_FONT_SIZE


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.9,
                                                      "shrinkA": 0, "shrinkB": 0})


def _leaves(node: dict) -> int:
    return max(1, sum(_leaves(child) for child in node["children"]))


def _draw_tree(ax, nodes: list[dict], left: float, right: float, y: float, parent: tuple[float, float],
               name) -> None:
    """Boxes of one breakdown level under `parent`, each as wide as its share of the leaves below it."""
    total = sum(_leaves(node) for node in nodes)
    x0 = left
    for node in nodes:
        x1 = x0 + (right - left) * _leaves(node) / total
        centre = (x0 + x1) / 2
        width_in = (x1 - x0) * 0.96 * TEXT_WIDTH_IN
        size = _fitting_size(name(node), width_in)
        characters = max(6, int(0.88 * width_in / (CHAR_WIDTH_IN * size / SMALL_FONT_SIZE)))
        _box(ax, centre, y, f"{_wrap(name(node), characters)}\nn = {fmt.integer(node['n'])}", (x1 - x0) * 0.96,
             0.66, PALETTE[5] if node["children"] else PALETTE[2], size)
        _arrow(ax, parent, (centre, y + 0.33))
        if node["children"]:
            _draw_tree(ax, node["children"], x0, x1, y - 1, (centre, y - 0.33), name)
        x0 = x1


def _depth(nodes: list[dict]) -> int:
    return 1 + max((_depth(n["children"]) for n in nodes), default=0) if nodes else 0


def flowchart(flow: dict, level_name, variable_name) -> plt.Figure:
    """Rows received → set aside (by reason) → analysed → the breakdown of flow.json, as a tree.

    `level_name(variable, level)` and `variable_name(variable)` give the printed words."""
    removed = [(reason, n) for reason, n in flow["excluded"].items()]
    removed += [(f"{reason} (quarantaine)", n) for reason, n in flow["quarantined"].items()]
    tree = flow.get("breakdown", [])
    rows = 2 + _depth(tree)
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.95 * rows + 0.1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, rows)
    top, middle = rows - 0.5, rows - 1.5
    left = ROW_LABEL_WIDTH if tree else 0.0  # a column for the names of the breakdown variables
    centre = (left + 1) / 2
    _box(ax, centre, top, f"Questionnaires reçus\nn = {fmt.integer(flow['received'])}", 0.3, 0.66, PALETTE[0])
    _box(ax, centre, middle, f"Questionnaires analysés\nn = {fmt.integer(flow['analysed'])}", 0.3, 0.66, PALETTE[0])
    _arrow(ax, (centre, top - 0.33), (centre, middle + 0.33))
    if removed:
        lines = "\n".join(_wrap(f"{reason} : n = {fmt.integer(n)}", 34) for reason, n in removed)
        total = sum(n for _r, n in removed)
        height = 0.36 + 0.2 * lines.count("\n")
        _box(ax, centre + 0.3, (top + middle) / 2, f"Non analysés : n = {fmt.integer(total)}\n{lines}", 0.26, height, PALETTE[1])
        _arrow(ax, (centre, (top + middle) / 2), (centre + 0.17, (top + middle) / 2))
    depth, nodes = 0, tree
    while nodes:
        width = int(ROW_LABEL_WIDTH * TEXT_WIDTH_IN / CHAR_WIDTH_IN) - 1
        ax.text(0.0, middle - 1 - depth, _wrap(variable_name(nodes[0]["variable"]), width), ha="left",
                va="center", fontsize=SMALL_FONT_SIZE, style="italic", color=GREY)
        nodes, depth = [c for n in nodes for c in n["children"]], depth + 1
    _draw_tree(ax, tree, left + 0.01, 0.995, middle - 1, (centre, middle - 0.33),
               lambda node: level_name(node["variable"], node["level"]))
    return fig


# --------------------------------------------------------------------------- bars


def bars(levels: pd.DataFrame, axis_label: str) -> plt.Figure:
    """Horizontal bars of n with « n (%) » labels; `levels` has columns label, n, pct, in display order."""
    levels = levels.iloc[::-1]
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.36 * len(levels) + 0.8))
    labels = [_wrap(label) for label in levels["label"]]
    y = np.arange(len(levels))
    ax.barh(y, levels["n"], color=PALETTE[0], height=0.7)
    for yi, (n, pct) in enumerate(zip(levels["n"], levels["pct"])):
        ax.text(n, yi, "\u2002" + count_label(n, pct), va="center", ha="left", fontsize=SMALL_FONT_SIZE)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(float(levels["n"].max()), 1) * 1.32)
    ax.set_xlabel(typographic(axis_label))
    french_axis(ax.xaxis, integer=True)
    ax.grid(axis="y", visible=False)
    return fig


# --------------------------------------------------------------------------- histogram


def histogram(values: pd.DataFrame, mean: float, sd: float, n: int, axis_label: str, noun: str) -> plt.Figure:
    """Distribution of a scale (columns level, n) with the mean and ± 1 SD, explained in the legend."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 3.0))
    levels = values["level"].astype(float).to_numpy()
    counts = values["n"].astype(int).to_numpy()
    ax.bar(levels, counts, color=PALETTE[0], width=0.8, label=f"{noun.capitalize()} (n = {fmt.integer(n)})")
    for x, count in zip(levels, counts):
        if count:
            ax.text(x, count, str(count), ha="center", va="bottom", fontsize=SMALL_FONT_SIZE)
    ax.axvspan(mean - sd, mean + sd, color=PALETTE[1], alpha=0.12, linewidth=0,
               label=f"± 1 écart-type ({fmt.number(sd)})")
    ax.axvline(mean, color=PALETTE[1], linewidth=1.5, label=f"Moyenne ({fmt.number(mean)})")
    ax.set_xticks(levels)
    french_axis(ax.xaxis)
    ax.set_xlabel(typographic(axis_label))
    ax.set_ylabel(f"Nombre de {noun}")
    french_axis(ax.yaxis, integer=True)
    ax.set_ylim(0, max(counts.max(), 1) * 1.45)
    ax.legend(loc="upper left", frameon=True, ncols=3)
    ax.grid(axis="x", visible=False)
    return fig


# --------------------------------------------------------------------------- scores


def scores(table: pd.DataFrame, labels: dict[str, str], groups: list[tuple[str, str]], axis_label: str,
           scale: tuple[float, float]) -> plt.Figure:
    """Mean and 95 % CI of each item per group, items by overall rank (rank 1 at the top).

    `groups` is [(group level in the tidy table, printed label)]."""
    overall = table[table["group"] == "Ensemble"]
    overall = overall.sort_values("rank", ascending=False) if overall["rank"].notna().all() else overall.iloc[::-1]
    order = list(overall["variable"])
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 0.42 * len(order) + 1.2))
    offsets = np.linspace(-0.16, 0.16, len(groups)) if len(groups) > 1 else [0.0]
    for color, offset, (group, label) in zip(PALETTE, offsets, groups):
        sub = table[table["group"] == group].set_index("variable").loc[order]
        y = np.arange(len(order)) + offset
        ax.errorbar(sub["mean"], y, xerr=[sub["mean"] - sub["ci_low"], sub["ci_high"] - sub["mean"]], fmt="o",
                    color=color, capsize=2.5, markersize=4, linewidth=1,
                    label=f"{typographic(label)} (n = {fmt.integer(sub['n'].max())})")
    ax.set_yticks(np.arange(len(order)), [_wrap(labels.get(v, v), 40) for v in order])
    ax.set_xlim(scale[0] - 0.2, scale[1] + 0.2)
    french_axis(ax.xaxis)
    ax.set_xlabel(typographic(axis_label))
    fig.legend(loc="outside lower center", ncols=len(groups), frameon=False)
    return fig


# --------------------------------------------------------------------------- diffusion


def diffusion_curve(share: float, wave_label: str, data: dict) -> plt.Figure:
    """A share placed on the cumulative adoption curve (S) beside the reference points of `data`.

    `data` (a file of the study) gives the adopter categories (label, share in %), the reference points
    (label, year, rate in %, source) and the axis and legend words."""
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 3.6))
    x = np.linspace(-3.2, 3.2, 400)
    ax.fill_between(x, np.exp(-x * x / 2) * 100, color=PALETTE[0], alpha=0.12, linewidth=0)
    ax.plot(x, dist.norm_cdf(x) * 100, color=PALETTE[0], linewidth=1.6)
    bounds = np.cumsum([0.0] + [c["share"] for c in data["categories"]])
    for left, right, category in zip(bounds[:-1], bounds[1:], data["categories"]):
        z_left = max(dist.norm_ppf(max(left, 1e-9) / 100), -3.2)
        z_right = min(dist.norm_ppf(min(right, 100 - 1e-9) / 100), 3.2)
        if right < 100:
            ax.axvline(z_right, color=GREY, linewidth=0.6, linestyle=":")
        ax.text((z_left + z_right) / 2, 2, _wrap(category["label"], 11), ha="center", va="bottom",
                fontsize=SMALL_FONT_SIZE, color="dimgray")
    markers = ["s", "^", "D", "v", "P", "X"]
    points = [(p["label"], p["rate"], PALETTE[1], markers[i % len(markers)])
              for i, p in enumerate(sorted(data["references"], key=lambda p: (p["year"], p["rate"])))]
    points.append((wave_label, share, PALETTE[2], "o"))
    for label, rate, color, marker in points:
        ax.plot([dist.norm_ppf(rate / 100)], [rate], marker, color=color, markersize=6, linestyle="none",
                label=f"{typographic(label)} : {fmt.percent(rate)}")
    ax.legend(loc="upper left", frameon=True, title=typographic(data["legend_title"]))
    ax.set_xticks([])
    ax.set_ylim(0, 105)
    french_axis(ax.yaxis)
    ax.set_ylabel(typographic(data["axis_y"]))
    ax.set_xlabel(typographic(data["axis_x"]))
    return fig
