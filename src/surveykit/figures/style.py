"""One palette, one font and pinned metadata for every figure, so files are byte-identical across runs."""
from __future__ import annotations

import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402

from .check import text_problems, wrap_axis_labels  # noqa: E402
from .metadata import measure_drawn  # noqa: E402
from .theme import load_theme  # noqa: E402

# Okabe & Ito's colour-blind-safe palette (blue, vermillion, bluish green, orange, reddish purple, sky blue,
# yellow), grey for neutral marks.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442"]
GREY = "#7f7f7f"
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyphs on every machine
# Every figure is drawn at its print size: at most the A4 text block (16 cm), with one size scale
# (points at 100 %), so that it is inserted at 100 % and no text is smaller than 8 pt on paper.
PAD_INCHES = 0.1  # white margin savefig adds around the drawing (matplotlib's savefig.pad_inches)
TEXT_WIDTH_IN = 16 / 2.54 - 2 * PAD_INCHES  # so that the saved image, margins included, is 16 cm wide at most
FONT_SIZE = 9
SMALL_FONT_SIZE = 8
MIN_FONT_SIZE = 7  # only where a word would not fit otherwise (narrow flowchart boxes)
PNG_COMPRESSION = 3  # zlib level: a quarter larger files than level 6, twice as fast to write


def apply_style() -> None:
    """seaborn's whitegrid theme (see surveykit.figures.theme), the palette and the project's sizes."""
    matplotlib.rcParams.update(load_theme())
    matplotlib.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "patch.facecolor": PALETTE[0],
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "svg.hashsalt": "surveykit",       # stable ids inside SVG files
        "text.parse_math": False,          # a label's "$" is a dollar, never TeX (which can fail to parse)
        "svg.fonttype": "path",
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,  # labels and legends fit inside the print size
        "savefig.dpi": 300,
        "savefig.pad_inches": PAD_INCHES,
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": SMALL_FONT_SIZE,
        "ytick.labelsize": SMALL_FONT_SIZE,
        "legend.fontsize": SMALL_FONT_SIZE,
        "legend.title_fontsize": SMALL_FONT_SIZE,
        "path.simplify": True,
        "axes.formatter.use_locale": False,
    })


def save(fig: plt.Figure, png: str | Path, svg: str | Path) -> None:
    """Write PNG (300 dpi) and SVG with no date or software version in their metadata.

    The figure is drawn once at 300 dpi: that drawing gives its print metrics (surveykit.figures.metadata:
    natural size and smallest font, recorded in the PNG for the conversion to Word and HTML), its tight
    bounding box, and the PNG's pixels (cropped to the box, on white). The SVG is drawn within the same box.
    Before, an axis label wider than the figure is wrapped; after, what a reader could not read (a text out of
    the canvas, crossed by a line or hidden by a marker; a point hidden by another) is logged as a warning."""
    from PIL import Image, PngImagePlugin

    for path in (png, svg):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    dpi = matplotlib.rcParams["savefig.dpi"]
    fig.draw_without_rendering()
    wrap_axis_labels(fig)
    metrics, box = measure_drawn(fig, dpi=dpi, pad_inches=matplotlib.rcParams["savefig.pad_inches"])
    for problem in text_problems(fig):
        logging.getLogger(__name__).warning("figure %s: %s", Path(png).name, problem)
    width, height = fig.canvas.get_width_height(physical=True)
    drawing = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    left, top = round(box.x0 * dpi), round(height - box.y1 * dpi)
    image = Image.new("RGB", (round(box.width * dpi), round(box.height * dpi)), "white")
    image.paste(drawing.convert("RGB"), (-left, -top))
    info = PngImagePlugin.PngInfo()
    for key, value in metrics.png_text().items():
        info.add_text(key, value)
    image.save(png, format="PNG", pnginfo=info, dpi=(dpi, dpi), compress_level=PNG_COMPRESSION)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=box)
    plt.close(fig)


def decimal_comma(value: float, digits: int = 0) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def french_axis(axis, integer: bool = False, percent: bool = False) -> None:
    """French tick labels on a matplotlib axis: decimal comma, whole numbers only for counts, « % » after."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))

    def label(value: float, _position: int) -> str:
        digits = 0 if integer or float(value).is_integer() else 1
        return decimal_comma(value, digits) + ("\u00a0%" if percent else "")

    axis.set_major_formatter(FuncFormatter(label))
