"""One palette, one font and pinned metadata for every figure, so files are byte-identical across runs."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5"]
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyphs on every machine


def apply_style() -> None:
    sns.set_theme(style="whitegrid", palette=PALETTE, font=FONT)
    matplotlib.rcParams.update({
        "svg.hashsalt": "surveykit",       # stable ids inside SVG files
        "svg.fonttype": "path",
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "path.simplify": True,
        "axes.formatter.use_locale": False,
    })


def save(fig: plt.Figure, png: str | Path, svg: str | Path) -> None:
    """Write PNG (300 dpi) and SVG with no date or software version in their metadata."""
    for path in (png, svg):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, format="png", metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)


def decimal_comma(value: float, digits: int = 0) -> str:
    return f"{value:.{digits}f}".replace(".", ",")
