"""Column widths of a Word table from its content, the way a typesetter would choose them.

Every column first gets the width of its widest body cell set on one line (labels stay whole, a count stays
with its percentage); header cells may wrap between words, the shortest headers being unwrapped first when
there is room left. When that is too wide for the text block, the
first column (the stub: variable names, questions, group labels) wraps first, down to its longest word;
when that is still too wide, the caller tries a smaller font. At the smallest font, label columns share the
shortage (never below their longest word), and only when even the longest words do not fit are the widths
scaled down (then a word may break; the caller says which table).
Pure functions on measured widths (points), unit-tested without Word."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil


@dataclass(frozen=True)
class ColumnNeeds:
    """What a column needs, in points, without the cell margins.

    hard_min: its longest unbreakable piece (a word, a label kept whole, a statistic with its spaces
    non-breaking);
    body: its widest body cell on one line (and at least the longest word of its header);
    full: the same with the header on one line too."""

    hard_min: float
    body: float
    full: float
    numeric: bool
    head_two: float = 0.0  # the header set on two lines at most, broken between words only
    stub_min: float | None = None  # first column: each label wrapped within the rows of its block (no taller row)
    head_pref: float = 0.0  # what the header asks for beyond head_two (a short header on one line)


@dataclass(frozen=True)
class Layout:
    widths: list[float]  # with the cell margins
    fits: bool  # False: even the longest words did not fit, widths were scaled down


def _water_fill(low: list[float], high: list[float], available: float) -> list[float]:
    """Widths clamp(cap, low, high) with the cap chosen so that they add up to `available`."""
    lo, hi = 0.0, max(high)
    for _ in range(60):
        cap = (lo + hi) / 2
        if sum(min(h, max(l, cap)) for l, h in zip(low, high)) > available:
            hi = cap
        else:
            lo = cap
    return [min(h, max(l, lo)) for l, h in zip(low, high)]


def _stub_low(column: ColumnNeeds) -> float:
    """The narrowest stub: its labels wrapped within the rows of their block (else down to their longest word)."""
    return max(column.stub_min if column.stub_min is not None else column.hard_min, column.head_two)


def preferred_layout(columns: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    """Widths with every body cell on one line and every header on two lines at most, broken between words (the
    stub may wrap within the rows of its block), or None when they do not fit. The room left goes to the headers
    that need the least to be set on one line, then to the others."""
    full = [c.full + padding for c in columns]
    if sum(full) <= available:
        return full
    low = [max(c.body, c.head_two) + padding for c in columns]
    if columns and not columns[0].numeric:
        low[0] = _stub_low(columns[0]) + padding
    if sum(low) > available:
        return None
    return _water_fill(low, [max(f, lo) for f, lo in zip(full, low)], available)


def _wish(column: ColumnNeeds, low: float, padding: float) -> float:
    return max(low, column.head_pref + padding)


def wrapped_labels_layout(columns: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    """Widths when the labels cannot all stay on one line: the stub wraps within its rows, the other label columns
    wrap between words (never below their longest word), numbers stay on one line, headers on two lines at most;
    None when that does not fit."""
    low = [(max(c.body, c.head_two) if c.numeric else max(c.hard_min, c.head_two)) + padding for c in columns]
    high = [_wish(c, max(c.body, c.head_two) + padding, padding) for c in columns]
    if columns and not columns[0].numeric:
        low[0] = high[0] = _stub_low(columns[0]) + padding
    if sum(low) > available:
        return None
    return _water_fill(low, [max(h, lo) for h, lo in zip(high, low)], available)


def labels_first_layout(columns: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    """Widths when numbers may break between two statistics: number columns at their narrowest (headers on two
    lines at most), the room left to the label columns; None when that does not fit."""
    low = [max(c.hard_min, c.head_two) + padding for c in columns]
    stub = bool(columns) and not columns[0].numeric
    if stub:
        low[0] = _stub_low(columns[0]) + padding
    high = [lo if c.numeric else max(c.body + padding, lo) for c, lo in zip(columns, low)]
    if sum(low) > available:
        return None
    if not stub:
        return _water_fill(low, high, available)
    # The stub wraps within the rows of its blocks at no cost in height: the other labels are served first.
    widths = _water_fill(low, [low[0]] + high[1:], available)
    widths[0] = min(high[0], widths[0] + max(0.0, available - sum(widths)))
    return widths


def squeezed_layout(columns: list[ColumnNeeds], available: float, padding: float, headers: bool = False) -> Layout:
    """Widths when labels cannot all stay on one line: label columns wrap between words, widest first (with
    `headers`, no header below its two-line width, and the stub within its rows: fits is False when that does
    not fit)."""
    if headers:
        low = [max(c.hard_min, c.head_two) + padding for c in columns]
        if columns and not columns[0].numeric:
            low[0] = _stub_low(columns[0]) + padding
        high = [_wish(c, max(c.body, lo - padding) + padding, padding) for c, lo in zip(columns, low)]
        if sum(low) > available:
            return Layout(low, fits=False)
        return Layout(_water_fill(low, high, available), fits=True)
    low = [c.hard_min + padding for c in columns]
    high = [c.body + padding for c in columns]
    if sum(low) <= available:
        return Layout(_water_fill(low, high, available), fits=True)
    scale = available / sum(low)
    return Layout([w * scale for w in low], fits=False)


def wrapped_lines(words: list[float], space: float, width: float) -> int:
    """Lines a paragraph takes when its words (widths) are set greedily in `width` (a long word breaks)."""
    lines, used = 0, None
    for word in words:
        if used is not None and used + space + word <= width:
            used += space + word
            continue
        pieces = max(1, ceil(word / width))
        lines += pieces
        used = word - (pieces - 1) * width
    return max(lines, 1)
