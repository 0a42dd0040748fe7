"""The figures of a chapter. Each function takes small data (dicts, tidy frames) and the words to print.

No figure has a title (the caption carries it), every number is French (decimal comma, « n (%) » as in
the tables), counts have whole-number ticks, and every word comes from the caller (the study's files).
Figures are drawn at their print size (style.TEXT_WIDTH_IN wide at most).
"""
from __future__ import annotations

import math
import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from surveykit.core import fmt

from .style import FONT, GREY, MIN_FONT_SIZE, PALETTE, SMALL_FONT_SIZE, TEXT_WIDTH_IN, french_axis

LABEL_WIDTH = 34  # characters per line of a wrapped bar label
CHAR_WIDTH_IN = 0.068  # mean width of a character at SMALL_FONT_SIZE (DejaVu Sans 8 pt), to wrap text in boxes
ROW_LABEL_MAX = 0.3  # largest share of the flowchart's width given to the names of the breakdown variables


def typographic(text: str) -> str:
    """Curly apostrophes for printed labels ("l'outil" -> "l’outil")."""
    return str(text).replace("'", "\u2019")


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(typographic(text), width, break_long_words=False)) or typographic(text)


# A number printed beside a bar or above it sits on a white box drawn over the grid and the reference lines:
# no line crosses it (surveykit.figures.check).
LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}
LABEL_ZORDER = 4


def data_label(ax, x: float, y: float, text: str, offset: tuple[float, float] = (0, 0), **kwargs):
    """A number on the plot (a bar's count), on its white box above every line, `offset` points away from (x, y)
    so that the box does not cover the bar's end."""
    return ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", fontsize=SMALL_FONT_SIZE,
                       bbox=LABEL_BOX, zorder=LABEL_ZORDER, annotation_clip=False, **kwargs)


def count_label(n: int, pct: float) -> str:
    """« 22 (56,4 %) »: the tables' n (%) format."""
    return fmt.count_percent(int(n), pct)


# --------------------------------------------------------------------------- flowchart


BOX_PAD_IN = 0.08  # white space between a flowchart box's edge and its text
ROW_IN = 0.95  # height of a flowchart row (a box and its arrow), inches
BOX_ROUND_PAD = 0.008  # rounding of a box's corners (axes units)


def _text_extent(ax, label) -> tuple[float, float]:
    """Width and height of a drawn text in data units (measured by the renderer, with the figure's font)."""
    box = label.get_window_extent(renderer=ax.figure.canvas.get_renderer())
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([[box.x0, box.y0], [box.x1, box.y1]])
    return abs(x1 - x0), abs(y1 - y0)


def _box(ax, x: float, y: float, text: str, width: float, height: float, color: str,
         fontsize: float = SMALL_FONT_SIZE, left: bool = False) -> None:
    """A box centred on (x, y), or whose left edge is x (`left`), at least `width` × `height` and as large as its
    text measures plus a margin: the text never runs out of its box."""
    label = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3)
    text_width, text_height = _text_extent(ax, label)
    to_data, origin = ax.transData.inverted(), ax.transData.transform((0, 0))
    pad_x, pad_y = to_data.transform(origin + BOX_PAD_IN * ax.figure.dpi) - to_data.transform(origin)
    width, height = max(width, text_width + 2 * pad_x), max(height, text_height + 2 * pad_y)
    if left:
        x += width / 2
        label.set_x(x)
    pad = BOX_ROUND_PAD  # the rounded outline is drawn this far outside its rectangle: within width × height
    ax.add_patch(FancyBboxPatch((x - width / 2 + pad, y - height / 2 + pad), width - 2 * pad, height - 2 * pad,
                                boxstyle=f"round,pad={pad}", facecolor="white", edgecolor=color, linewidth=1.2))


def text_width_in(text: str, size: float, italic: bool = False) -> float:
    """Width of a line of text on paper (inches), measured on the figures' font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(family=FONT, style="italic" if italic else "normal")
    return TextPath((0, 0), text, size=size, prop=prop).get_extents().width / 72 if text.strip() else 0.0


def _pieces(text: str, hyphens: bool) -> list[str]:
    """Where a line may end: between words, and after the hyphen of a compound word when `hyphens`."""
    words = typographic(text).split()
    return [piece for word in words for piece in (re.findall(r"[^-]+-?|-", word) if hyphens else [word])]


def wrap_measured(text: str, width_in: float, size: float, italic: bool = False, hyphens: bool = True) -> list[str]:
    """Greedy lines of at most `width_in` inches (a piece longer than that stands alone on its line)."""
    lines: list[str] = []
    for piece in _pieces(text, hyphens):
        if lines:
            joined = lines[-1] + ("" if lines[-1].endswith("-") else " ") + piece
            if text_width_in(joined, size, italic) <= width_in:
                lines[-1] = joined
                continue
        lines.append(piece)
    return lines


def _fitting_size(words: str, width_in: float) -> float:
    """SMALL_FONT_SIZE, or MIN_FONT_SIZE when the longest piece (a word, or the part of a compound word a line may
    end after its hyphen) would not fit in the box at that size."""
    longest = max((text_width_in(piece, SMALL_FONT_SIZE) for piece in _pieces(words, True)), default=0.0)
    return SMALL_FONT_SIZE if longest <= width_in else MIN_FONT_SIZE


def two_line_width_in(text: str, size: float, italic: bool = False) -> float:
    """The narrowest width (inches) that sets `text` on at most two lines, breaking between words only."""
    words = typographic(text).split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))] or [(" ".join(words), "")]
    return min(max(text_width_in(a, size, italic), text_width_in(b, size, italic)) for a, b in splits)


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
        room = (x1 - x0) * 0.94 * TEXT_WIDTH_IN - 2 * BOX_PAD_IN  # the box, less its white margins
        size = _fitting_size(name(node), room)
        lines = wrap_measured(name(node), room, size)
        _box(ax, centre, y, "\n".join(lines + [f"n = {fmt.integer(node['n'])}"]), (x1 - x0) * 0.94,
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
    # A column for the names of the breakdown variables, wide enough to set each on two lines at most.
    names, nodes = [], tree
    while nodes:
        names.append(variable_name(nodes[0]["variable"]))
        nodes = [c for n in nodes for c in n["children"]]
    name_width = max((two_line_width_in(name, SMALL_FONT_SIZE, italic=True) for name in names), default=0.0)
    left = min(ROW_LABEL_MAX, (name_width + 0.08) / TEXT_WIDTH_IN) if tree else 0.0
    centre = (left + 1) / 2
    start = centre + 0.17  # the box of the rows not analysed: right of the arrow, its text wrapped to that room
    characters = max(12, int(((0.99 - start) * TEXT_WIDTH_IN - 2 * BOX_PAD_IN) / CHAR_WIDTH_IN))
    total = sum(n for _r, n in removed)
    aside = "\n".join([f"Non analysés : {fmt.n_equals(total)}"] + [_wrap(f"{reason} : {fmt.n_equals(n)}", characters)
                                                                  for reason, n in removed])  # « n = 45 » unbroken
    # Rows are ROW_IN inches; the gap between received and analysed grows with the lines of that box.
    lines_in = (aside.count("\n") + 1) * SMALL_FONT_SIZE * 1.3 / 72 + 2 * BOX_PAD_IN + 0.2
    gap = max(1.0, lines_in / ROW_IN) if removed else 1.0
    rows = 1 + gap + _depth(tree)
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, ROW_IN * rows + 0.1))
    fig.set_layout_engine("none")  # the axes fill the figure from now on: boxes are sized on measured text
    ax.set_position((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, rows)
    top = rows - 0.5
    middle = top - gap
    _box(ax, centre, top, f"Questionnaires reçus\nn = {fmt.integer(flow['received'])}", 0.3, 0.66, PALETTE[0])
    _box(ax, centre, middle, f"Questionnaires analysés\nn = {fmt.integer(flow['analysed'])}", 0.3, 0.66, PALETTE[0])
    _arrow(ax, (centre, top - 0.33), (centre, middle + 0.33))
    if removed:
        _box(ax, start, (top + middle) / 2, aside, 0.2, 0.66, PALETTE[1], left=True)
        _arrow(ax, (centre, (top + middle) / 2), (start, (top + middle) / 2))
    for depth, name in enumerate(names):
        wrapped = wrap_measured(name, max(name_width, (left * TEXT_WIDTH_IN) - 0.08), SMALL_FONT_SIZE, italic=True,
                                hyphens=False)
        ax.text(0.0, middle - 1 - depth, "\n".join(wrapped), ha="left", va="center", fontsize=SMALL_FONT_SIZE,
                style="italic", color=GREY)
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
        data_label(ax, n, yi, count_label(n, pct), offset=(4, 0), va="center", ha="left")
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
            data_label(ax, x, count, str(count), offset=(0, 2), ha="center", va="bottom")
    if not math.isnan(sd):  # one answer has no SD; nobody answered, no mean either
        ax.axvspan(mean - sd, mean + sd, color=PALETTE[1], alpha=0.12, linewidth=0, zorder=0.6,  # under the bars
                   label=f"± 1 écart-type ({fmt.number(sd)})")
    if not math.isnan(mean):
        ax.axvline(mean, color=PALETTE[1], linewidth=1.5, label=f"Moyenne ({fmt.number(mean)})")
    ax.set_xticks(levels)
    french_axis(ax.xaxis)
    ax.set_xlabel(typographic(axis_label))
    ax.set_ylabel(f"Nombre de {noun}")
    french_axis(ax.yaxis, integer=True)
    ax.set_ylim(0, max(counts.max(initial=0), 1) * 1.15)
    fig.legend(loc="outside upper center", frameon=False, ncols=3)  # above the plot: no bar or line under it
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


def reference_label(point: dict) -> str:
    """« Nord, 2024 »: a reference point named by its place and the year of its source."""
    return f"{point['label']}, {point['year']}"


def _category_label_y(x: np.ndarray, curve: np.ndarray, z_left: float, z_right: float) -> tuple[float, str]:
    """Where a category's name goes, away from the S-curve: at the foot of the plot when the curve passes above
    it there, else at the top (above the last grid line) when it passes below; the check of the drawing says
    if a category spans both."""
    inside = curve[(x >= z_left) & (x <= z_right)]
    low, high = (float(inside.min()), float(inside.max())) if inside.size else (0.0, 100.0)
    if low >= 16:
        return 1, "bottom"
    if high <= 84:
        return 101, "bottom"  # above the last grid line (100 %)
    return 1, "bottom"


def diffusion_curve(share: float, wave_label: str, data: dict) -> plt.Figure:
    """A share placed on the cumulative adoption curve (S) beside the reference points of `data`.

    `data` (a file of the study) gives the adopter categories (label, share in %), the reference points
    (place, year, rate in %, source) and the axis and legend words. Reference points are drawn hollow, so that
    two close rates stay visible; the legend names each by its place and the year of its source."""
    from surveykit.core import distributions as dist  # SciPy: imported by the one figure that needs it

    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 3.6))
    x = np.linspace(-3.2, 3.2, 400)
    curve = dist.norm_cdf(x) * 100
    ax.fill_between(x, np.exp(-x * x / 2) * 100, color=PALETTE[0], alpha=0.12, linewidth=0)
    ax.plot(x, curve, color=PALETTE[0], linewidth=1.6, zorder=2)
    bounds = np.cumsum([0.0] + [c["share"] for c in data["categories"]])
    for left, right, category in zip(bounds[:-1], bounds[1:], data["categories"]):
        z_left = max(dist.norm_ppf(max(left, 1e-9) / 100), -3.2)
        z_right = min(dist.norm_ppf(min(right, 100 - 1e-9) / 100), 3.2)
        if right < 100:
            ax.axvline(z_right, color=GREY, linewidth=0.6, linestyle=":", zorder=1)
        y, va = _category_label_y(x, curve, z_left, z_right)
        ax.text((z_left + z_right) / 2, y, _wrap(category["label"], 11), ha="center", va=va,
                fontsize=SMALL_FONT_SIZE, color="dimgray", zorder=LABEL_ZORDER)
    markers = ["s", "^", "D", "v", "P", "X"]
    points = [(reference_label(p), p["rate"], PALETTE[1], markers[i % len(markers)], "none")
              for i, p in enumerate(sorted(data["references"], key=lambda p: (p["year"], p["rate"])))]
    points.append((wave_label, share, PALETTE[2], "o", "full"))
    for label, rate, color, marker, fill in points:
        ax.plot([dist.norm_ppf(rate / 100)], [rate], marker, color=color, markersize=6, linestyle="none",
                fillstyle=fill, markeredgewidth=1.3, zorder=3, label=f"{typographic(label)} : {fmt.percent(rate)}")
    fig.legend(loc="outside lower center", frameon=False, ncols=2, title=typographic(data["legend_title"]))
    ax.set_xticks([])
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(0, 116)
    ax.set_yticks(range(0, 101, 20))
    french_axis(ax.yaxis)
    ax.set_ylabel(typographic(data["axis_y"]))
    ax.set_xlabel(typographic(data["axis_x"]))
    return fig


# --------------------------------------------------------------------------- diverging (choice grids)

NEUTRAL_COLOR = "#d4d4d4"
APART_COLORS = ["#7f7f7f", "#a6a6a6", "#5f5f5f", "#c4c4c4"]


def diverging_colors(negative: int, positive: int) -> tuple[list[str], list[str]]:
    """ColorBrewer's RdBu (colour-blind safe): reds for the negative levels, blues for the positive ones, the
    far ends darkest; both lists run from the most negative to the most positive level."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["RdBu"]
    reds = [to_hex(cmap(v)) for v in np.linspace(0.06, 0.36, negative)] if negative else []
    blues = [to_hex(cmap(v)) for v in np.linspace(0.64, 0.94, positive)] if positive else []
    return reds, blues


def _dark(color: str) -> bool:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b < 0.5


def _segment(ax, y: float, left: float, width: float, color: str, labels: list | None) -> None:
    """One stacked segment; its percentage is queued in `labels`, printed once the axis' scale is known."""
    ax.barh(y, width, left=left, color=color, height=0.66, edgecolor="white", linewidth=0.5)
    if labels is not None and width > 0:
        labels.append((ax, left + width / 2, y, width, color))


def _segment_labels(fig: plt.Figure, labels: list) -> None:
    """« 12 % » inside each segment wide enough to hold it on paper (measured once the layout is done)."""
    fig.draw_without_rendering()
    for ax, x, y, width, color in labels:
        span = ax.get_xlim()
        inches_per_unit = ax.get_window_extent().width / fig.dpi / (span[1] - span[0])
        text = fmt.percent(width, 0)
        if width * inches_per_unit >= len(text) * CHAR_WIDTH_IN + 0.06:
            ax.text(x, y, text, ha="center", va="center", fontsize=SMALL_FONT_SIZE,
                    color="white" if _dark(color) else "black")


def _percent_ticks(axis, symmetric: bool) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    limit = max(abs(v) for v in axis.get_view_interval())
    axis.set_major_locator(MultipleLocator(20 if limit > 50 else 10))
    axis.set_major_formatter(FuncFormatter(lambda value, _p: fmt.percent(abs(value) if symmetric else value, 0)))


def diverging(items: list[tuple[str, dict[str, float], dict[str, float]]], negative: list[str], neutral: str | None,
              positive: list[str], apart: list[str], axis_label: str, apart_label: str) -> plt.Figure:
    """A choice grid as diverging stacked bars, one per item, the first item at the top.

    `items` is [(printed label, {substantive level: % of the substantive answers}, {non-substantive level: % of all
    the answers})]; `negative` runs from the most negative level to the centre, `positive` from the centre to the
    most positive level. Negative levels are drawn left of 0, positive ones right of it, the neutral level split
    across 0; the non-substantive levels (`apart`) are drawn in a panel of their own, beside."""
    reds, blues = diverging_colors(len(negative), len(positive))
    colors = dict(zip(negative, reds)) | dict(zip(positive, blues)) | ({neutral: NEUTRAL_COLOR} if neutral else {})
    height = 0.42 * len(items) + 1.5
    if apart:
        fig, (ax, side) = plt.subplots(1, 2, figsize=(TEXT_WIDTH_IN, height), sharey=True,
                                       gridspec_kw={"width_ratios": [4, 1]})
    else:
        fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, height))
        side = None
    def half(shares: dict[str, float]) -> float:
        return shares.get(neutral, 0.0) / 2 if neutral else 0.0

    labels: list = []
    reach = [0.0, 0.0]
    for index, (_label, shares, _apart) in enumerate(items):
        y = len(items) - 1 - index
        if neutral:
            _segment(ax, y, -half(shares), 2 * half(shares), colors[neutral], labels)
        left = -half(shares)
        for level in reversed(negative):
            width = shares.get(level, 0.0)
            left -= width
            _segment(ax, y, left, width, colors[level], labels)
        right = half(shares)
        for level in positive:
            width = shares.get(level, 0.0)
            _segment(ax, y, right, width, colors[level], labels)
            right += width
        reach = [max(reach[0], -left), max(reach[1], right)]
    ax.set_xlim(-min(100.0, 10 * np.ceil(reach[0] / 10) + 3), min(100.0, 10 * np.ceil(reach[1] / 10) + 3))
    ax.axvline(0, color="black", linewidth=0.8, zorder=0.5)
    _percent_ticks(ax.xaxis, symmetric=True)
    ax.set_yticks(np.arange(len(items)), [_wrap(label, 30) for label, _s, _a in reversed(items)])
    ax.set_xlabel(_wrap(axis_label, 45 if apart else 70))
    ax.grid(axis="y", visible=False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[level]) for level in [*negative, *([neutral] if neutral else []),
                                                                               *positive]]
    names = [*negative, *([neutral] if neutral else []), *positive]
    if side is not None:
        greys = dict(zip(apart, APART_COLORS * (len(apart) // len(APART_COLORS) + 1)))
        widest = 0.0
        for index, (_label, _shares, others) in enumerate(items):
            y, left = len(items) - 1 - index, 0.0
            for level in apart:
                width = others.get(level, 0.0)
                _segment(side, y, left, width, greys[level], None)
                left += width
            data_label(side, left, y, fmt.percent(left, 0), offset=(4, 0), ha="left", va="center")
            widest = max(widest, left)
        side.set_xlim(0, max(10.0, 10 * np.ceil(widest * 1.6 / 10)))
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        side.xaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 5, 10]))
        side.xaxis.set_major_formatter(FuncFormatter(lambda value, _p: fmt.percent(value, 0)))
        side.set_xlabel(_wrap(apart_label, 16))
        side.grid(axis="y", visible=False)
        side.tick_params(axis="y", left=False)
        handles += [plt.Rectangle((0, 0), 1, 1, color=greys[level]) for level in apart]
        names += apart
    fig.legend(handles, [_wrap(name, 28) for name in names], loc="outside lower center",
               ncols=min(len(names), 3 if len(names) > 4 else len(names)), frameon=False)
    _segment_labels(fig, labels)
    return fig
