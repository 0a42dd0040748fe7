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


def preferred_layout(columns: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    """Widths with every label and number on one line (the stub may wrap), or None when they do not fit."""
    full = [c.full + padding for c in columns]
    if sum(full) <= available:
        return full
    body = [c.body + padding for c in columns]
    if sum(body) <= available:
        return _water_fill(body, full, available)  # the room left goes to the shortest headers first
    if columns and not columns[0].numeric:
        stub = available - sum(body[1:])
        if stub >= columns[0].hard_min + padding:
            return [stub] + body[1:]
    return None


def squeezed_layout(columns: list[ColumnNeeds], available: float, padding: float) -> Layout:
    """Widths when labels cannot all stay on one line: label columns wrap between words, widest first."""
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
