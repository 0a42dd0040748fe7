"""Write src/surveykit/figures/seaborn_whitegrid.json, seaborn's theme as matplotlib settings (logic in
surveykit.figures.theme). Run it after upgrading seaborn, and commit its output:

    .venv/bin/python scripts/make_figure_theme.py
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveykit.figures.theme import THEME_FILE, write_theme  # noqa: E402

if __name__ == "__main__":
    write_theme()
    print(f"wrote {THEME_FILE}")
