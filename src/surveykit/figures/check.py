"""What a reader must be able to read on a drawn figure: every text inside the canvas, crossed by no line and
hidden by no marker, and every data point visible (not covered by another one).

Measured on the drawing itself (matplotlib's window extents once the figure is drawn), so it holds whatever
the words and numbers a study gives. `surveykit.figures.style.save` runs it on every figure it saves and logs
what it finds; the tests require the bundled studies' figures to have nothing to report.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TOLERANCE_PX = 1.0  # a text may touch a line or the canvas edge by this much (antialiasing)
HIDDEN_SHARE = 0.5  # a marker is hidden when another one drawn over it covers this share of its box


def _printed(text: Text) -> bool:
    return text.get_visible() and bool(text.get_text().strip())


def drawn_texts(fig) -> list[Text]:
    """The texts the figure prints: annotations, axis labels, tick labels in view, legends, figure texts."""
    texts: list[Text] = list(fig.texts)
    legends = list(fig.legends)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += list(ax.texts)
        if ax.axison:
            texts += [ax.xaxis.label, ax.yaxis.label, ax.title]
            texts += [tick.label1 for axis in (ax.xaxis, ax.yaxis) for tick in _ticks_in_view(axis)]
        if ax.get_legend() is not None:
            legends.append(ax.get_legend())
    for legend in legends:
        texts += list(legend.get_texts()) + [legend.get_title()]
    return [text for text in texts if _printed(text)]


def _ticks_in_view(axis) -> list:
    """The major ticks matplotlib draws: those within the axis' view interval (it keeps others out of sight)."""
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    ticks = axis.get_major_ticks(len(axis.get_majorticklocs()))
    return [tick for tick, loc in zip(ticks, axis.get_majorticklocs()) if low - slack <= loc <= high + slack]


def _shrunk(box: Bbox, by: float) -> Bbox:
    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _segments_cross(points: np.ndarray, box: Bbox) -> bool:
    """Whether a polyline (display coordinates) passes through the box."""
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        if not np.all(np.isfinite([x0, y0, x1, y1])):
            continue
        # Liang-Barsky clipping of the segment against the box
        dx, dy, low, high = x1 - x0, y1 - y0, 0.0, 1.0
        for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
            if p == 0:
                if q < 0:
                    break
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
        else:
            if low <= high:
                return True
    return False


def _opaque_background(text: Text) -> bool:
    """A text printed on its own opaque box (which hides what is drawn below it)."""
    patch = text.get_bbox_patch()
    return patch is not None and patch.get_visible() and patch.get_fill() and to_rgba(patch.get_facecolor())[3] >= 1


def _holder(text: Text, legends: list[Legend]) -> Legend | None:
    return next((legend for legend in legends if text in legend.get_texts() or text is legend.get_title()), None)


def _drawn_zorder(line: Line2D) -> float:
    """The zorder the line is drawn at: a grid line is drawn with its axis (below the bars with
    `set_axisbelow(True)`), whatever its own zorder says."""
    for ax in line.figure.axes if line.figure is not None else ():  # a grid line knows its figure, not its axes
        for axis in (ax.xaxis, ax.yaxis):
            if line in axis.get_gridlines():
                return axis.get_zorder()
    return line.get_zorder()


def _on_patch(box: Bbox, text: Text, line: Line2D) -> bool:
    """Whether the text lies on an opaque shape (a bar) drawn over the line, which hides the line there."""
    ax = text.axes
    if ax is None:
        return False
    return any(patch.get_visible() and patch.get_fill() and to_rgba(patch.get_facecolor())[3] >= 1
               and patch.get_zorder() > _drawn_zorder(line) and patch.get_window_extent().contains(box.x0, box.y0)
               and patch.get_window_extent().contains(box.x1, box.y1) for patch in ax.patches)


def _covers(text: Text, box: Bbox, line: Line2D, legend: Legend | None) -> bool:
    """Whether the text (or the legend box it sits in) is drawn over the line on an opaque background."""
    if legend is not None:
        frame = legend.get_frame()
        opaque = legend.get_frame_on() and to_rgba(frame.get_facecolor())[3] * (frame.get_alpha() or 1) >= 1
        return opaque and legend.get_zorder() > _drawn_zorder(line)
    return (_opaque_background(text) and text.get_zorder() > _drawn_zorder(line)) or _on_patch(box, text, line)


def _lines(fig) -> list[Line2D]:
    """Every drawn line of the axes: data lines, reference lines, error bars, and the grid lines in view."""
    lines = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        lines += [line for line in ax.lines if line.get_visible()]
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                lines += [tick.gridline for tick in _ticks_in_view(axis) if tick.gridline.get_visible()]
    return lines


def _display_points(line: Line2D) -> np.ndarray:
    path = line.get_path()
    points = line.get_transform().transform(path.vertices)
    return np.asarray(points, dtype=float)


def _clip(line: Line2D) -> Bbox | None:
    """The region a line is drawn in (its axes, when clipped to them), in display coordinates."""
    return line.axes.bbox if line.get_clip_on() and line.axes is not None else None


def _marker_boxes(line: Line2D, dpi: float) -> list[Bbox]:
    """The boxes of the markers a line draws (those its clipping leaves in sight)."""
    marker = line.get_marker()
    if marker in (None, "None", "none", "", " ") or not line.get_visible():
        return []
    half = line.get_markersize() * dpi / 72 / 2
    clip = _clip(line)
    return [Bbox.from_extents(x - half, y - half, x + half, y + half) for x, y in _display_points(line)
            if np.isfinite(x) and np.isfinite(y) and (clip is None or clip.contains(x, y))]


def _visible_part(box: Bbox, line: Line2D) -> Bbox | None:
    """The part of a text's box where the line can be drawn (None: the line is clipped away there)."""
    clip = _clip(line)
    if clip is None:
        return box
    x0, y0, x1, y1 = max(box.x0, clip.x0), max(box.y0, clip.y0), min(box.x1, clip.x1), min(box.y1, clip.y1)
    return Bbox.from_extents(x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _filled(line: Line2D) -> bool:
    return line.get_fillstyle() != "none" and to_rgba(line.get_markerfacecolor())[3] > 0


def _overlap_share(a: Bbox, b: Bbox) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / (a.width * a.height)


def _is_gridline(line: Line2D, fig) -> bool:
    return any(line in axis.get_gridlines() for ax in fig.axes for axis in (ax.xaxis, ax.yaxis))


def _name(line: Line2D, fig) -> str:
    label = line.get_label()
    if _is_gridline(line, fig):
        return "a grid line"
    return f"line {label!r}" if label and not label.startswith("_") else "a line"


def text_problems(fig) -> list[str]:
    """What a reader could not read on the drawn figure, one sentence each (empty: nothing to report).

    The figure must have been drawn (its canvas holds the drawing whose extents are measured)."""
    renderer = fig.canvas.get_renderer()
    canvas = _shrunk(fig.bbox, -TOLERANCE_PX)
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    lines = _lines(fig)
    markers = [(line, _marker_boxes(line, fig.dpi)) for line in lines]
    problems = []
    for text in drawn_texts(fig):
        box = text.get_window_extent(renderer)
        label = " ".join(text.get_text().split())
        if not canvas.contains(box.x0, box.y0) or not canvas.contains(box.x1, box.y1):
            problems.append(f"text {label!r} runs out of the figure")
        inner = _shrunk(box, TOLERANCE_PX)
        if inner.width <= 0 or inner.height <= 0:
            continue
        legend = _holder(text, legends)
        for line in lines:
            part = _visible_part(inner, line)
            if part is None or line.get_linestyle() in ("None", "none", "", " ") or _covers(text, inner, line, legend):
                continue
            if _segments_cross(_display_points(line), part):
                problems.append(f"text {label!r} is crossed by {_name(line, fig)}")
        for line, boxes in markers:
            if not _covers(text, inner, line, legend) and any(_overlap_share(inner, marker) > 0 for marker in boxes):
                problems.append(f"text {label!r} is hidden by a marker of {_name(line, fig)}")
    problems += _hidden_markers(markers, fig)
    return list(dict.fromkeys(problems))


def _hidden_markers(markers: list, fig) -> list[str]:
    """Data points covered for the most part by a filled marker of another line drawn after them."""
    problems = []
    drawn = [(index, line, boxes) for index, (line, boxes) in enumerate(markers) if boxes]
    order = sorted(drawn, key=lambda item: (item[1].get_zorder(), item[0]))
    for rank, (_i, below, below_boxes) in enumerate(order):
        for _j, above, above_boxes in order[rank + 1:]:
            if not _filled(above):
                continue
            if any(_overlap_share(a, b) >= HIDDEN_SHARE for a in below_boxes for b in above_boxes):
                problems.append(f"a marker of {_name(below, fig)} is hidden by a marker of {_name(above, fig)}")
    return problems


def wrap_axis_labels(fig) -> None:
    """Wrap an axis label that would run out of the figure (a long scale anchor, centred under a narrower axes)
    between words, so that it stays inside."""
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    for ax in fig.axes:
        for label, horizontal in ((ax.xaxis.label, True), (ax.yaxis.label, False)):
            text = label.get_text()
            if not text.strip() or "\n" in text:
                continue
            extent = label.get_window_extent(renderer)
            low, high, start, end = ((extent.x0, extent.x1, canvas.x0, canvas.x1) if horizontal else
                                     (extent.y0, extent.y1, canvas.y0, canvas.y1))
            if low >= start and high <= end:
                continue
            centre = (low + high) / 2
            room = 2 * min(centre - start, end - centre)
            lines = math.ceil((high - low) / (0.95 * room))
            characters = max(10, math.ceil(len(text) / lines) + 2)  # balanced lines, no lone last word
            label.set_text("\n".join(textwrap.wrap(text, characters, break_long_words=False)))
