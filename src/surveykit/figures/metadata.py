"""The print metrics a figure's PNG carries: its natural size and the smallest font drawn in it.

`surveykit.figures.style.save` writes them as PNG text chunks; the conversion to Word and HTML reads them
back to insert each figure at its print width and to check that its smallest text stays legible on paper.
This module imports neither matplotlib nor Pillow at import time (the conversion step loads it on the
cold-run path)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from surveykit.core.errors import InputError

WIDTH_KEY = "surveykit:width_in"
HEIGHT_KEY = "surveykit:height_in"
MIN_FONT_KEY = "surveykit:min_font_pt"
MIN_PRINTED_FONT_PT = 7.0  # smallest legible text on paper for a thesis figure


@dataclass(frozen=True)
class PrintMetrics:
    """A figure as saved: natural width and height (inches at 100 %) and its smallest font size (pt; None
    for a figure without text)."""

    width_in: float
    height_in: float
    min_font_pt: float | None

    def png_text(self) -> dict[str, str]:
        """PNG text chunks, with fixed decimals so that the bytes do not depend on float noise."""
        return {WIDTH_KEY: f"{self.width_in:.4f}", HEIGHT_KEY: f"{self.height_in:.4f}",
                MIN_FONT_KEY: "none" if self.min_font_pt is None else f"{self.min_font_pt:.2f}"}

    def print_width_in(self, max_width_in: float, max_height_in: float = float("inf")) -> float:
        """Width on paper: the natural width, scaled down only to fit `max_width_in` × `max_height_in`."""
        return min(self.width_in, max_width_in, max_height_in * self.width_in / self.height_in)

    def printed_min_font_pt(self, max_width_in: float, max_height_in: float = float("inf")) -> float | None:
        """Smallest font on paper once the figure is scaled to its print width."""
        if self.min_font_pt is None:
            return None
        return self.min_font_pt * self.print_width_in(max_width_in, max_height_in) / self.width_in


def measure(fig, dpi: float, pad_inches: float) -> PrintMetrics:
    """Natural size of `fig` saved at `dpi` with bbox_inches="tight" and `pad_inches`, and its smallest text.

    The figure is drawn once with a renderer that records the size of every non-empty string it is asked
    to draw (titles, axis labels, tick labels, legend entries, annotations): what is on the page, not the
    Text artists that exist but are never drawn (e.g. the tick labels of an axis turned off). It is drawn at
    the saving resolution, since text extents, hence the tight bounding box, vary slightly with it."""
    screen_dpi = fig.dpi
    try:
        return measure_drawn(fig, dpi, pad_inches)[0]
    finally:
        fig.set_dpi(screen_dpi)


def measure_drawn(fig, dpi: float, pad_inches: float):
    """`measure`, and the padded tight bounding box (inches) of the drawing it made at `dpi`. The figure stays
    at `dpi`: its canvas holds that drawing, which `surveykit.figures.style.save` writes as the PNG."""
    fig.set_dpi(dpi)
    renderer = fig.canvas.get_renderer()
    sizes: list[float] = []
    draw_text = renderer.draw_text

    def recording_draw_text(gc, x, y, s, prop, angle, *args, **kwargs):
        if str(s).strip():
            sizes.append(prop.get_size_in_points())
        return draw_text(gc, x, y, s, prop, angle, *args, **kwargs)

    renderer.draw_text = recording_draw_text
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    box = fig.get_tightbbox(renderer).padded(pad_inches)
    metrics = PrintMetrics(width_in=float(box.width), height_in=float(box.height),
                           min_font_pt=float(min(sizes)) if sizes else None)
    return metrics, box


def read_png(path: str | Path) -> PrintMetrics:
    """The metrics recorded in a PNG saved by `surveykit.figures.style.save` (clear error if absent)."""
    from PIL import Image

    with Image.open(path) as image:  # the text chunks precede the pixels: read without decoding them
        text = {key: value for key, value in image.info.items() if isinstance(value, str)}
        if any(key not in text for key in (WIDTH_KEY, HEIGHT_KEY, MIN_FONT_KEY)):
            text = dict(getattr(image, "text", {}) or {})
    missing = [key for key in (WIDTH_KEY, HEIGHT_KEY, MIN_FONT_KEY) if key not in text]
    if missing:
        raise InputError(f"{path}: the PNG has no {', '.join(missing)} text chunk — expected a figure saved by "
                         "surveykit.figures.style.save (natural size and smallest font size); redraw the figure")
    try:
        min_font = None if text[MIN_FONT_KEY] == "none" else float(text[MIN_FONT_KEY])
        return PrintMetrics(float(text[WIDTH_KEY]), float(text[HEIGHT_KEY]), min_font)
    except ValueError as exc:
        raise InputError(f"{path}: unreadable figure metadata {text!r} — expected numbers") from exc
