"""seaborn's "whitegrid" theme as plain matplotlib settings, so that drawing does not import seaborn.

Importing seaborn costs about 1.5 s (it imports scipy.stats) in every job that draws, more than drawing the
figures. The theme is seaborn's (`axes_style("whitegrid")` and `plotting_context("notebook")`), written once
to `seaborn_whitegrid.json` by `scripts/make_figure_theme.py`; a test checks that the file still equals what
the pinned seaborn gives.
"""
from __future__ import annotations

import json
from pathlib import Path

THEME_FILE = Path(__file__).with_name("seaborn_whitegrid.json")


def seaborn_theme() -> dict:
    """The rc settings seaborn's set_theme(style="whitegrid") applies (seaborn imported here only)."""
    import seaborn as sns

    settings = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook")}
    # seaborn's colour map is registered by seaborn itself, and no figure draws an image: left out.
    return {key: (list(value) if isinstance(value, (list, tuple)) else value) for key, value in sorted(settings.items())
            if key != "image.cmap"}


def write_theme(path: Path = THEME_FILE) -> None:
    path.write_text(json.dumps(seaborn_theme(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_theme() -> dict:
    return json.loads(THEME_FILE.read_text(encoding="utf-8"))
