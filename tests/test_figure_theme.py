"""The figures' theme is seaborn's, applied without importing seaborn at run time (1.5 s per job)."""
import subprocess
import sys

from surveykit.figures.theme import load_theme, seaborn_theme


def test_the_committed_theme_is_seaborns_whitegrid():
    assert load_theme() == seaborn_theme()  # regenerate with scripts/make_figure_theme.py after a seaborn upgrade


def test_drawing_does_not_import_seaborn():
    code = "import sys, surveykit.figures.build, surveykit.waves.files; print('seaborn' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
