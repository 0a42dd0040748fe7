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


# --- what a reader can read on a drawn figure (surveykit.figures.check) ---------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from surveykit.core.errors import InputError  # noqa: E402
from surveykit.figures import draw  # noqa: E402
from surveykit.figures.check import text_problems, wrap_axis_labels  # noqa: E402
from surveykit.figures.metadata import measure_drawn  # noqa: E402
from surveykit.figures.style import SMALL_FONT_SIZE, apply_style  # noqa: E402
from surveykit.figures.build import check_reference_years  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ADOPTION = ROOT / "data" / "studies" / "tele_expertise_cpts" / "references" / "adoption.yaml"


def drawn(fig):
    """The figure as style.save draws it (long axis labels wrapped, drawn at 300 dpi)."""
    fig.draw_without_rendering()
    wrap_axis_labels(fig)
    measure_drawn(fig, dpi=300, pad_inches=0.1)
    return fig


def test_the_check_finds_a_text_out_of_the_canvas_a_crossed_label_and_a_hidden_point():
    apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.text(5, 5, "étiquette", ha="center", va="center")
    ax.axhline(5, color="red", label="moyenne")
    ax.plot([2], [2], "^", markersize=6, label="64 %")
    ax.plot([2.05], [2.05], "D", markersize=8, label="66,3 %")
    fig.text(0.98, 0.5, "dépasse du bord du cadre")
    problems = text_problems(drawn(fig))
    assert "text 'étiquette' is crossed by line 'moyenne'" in problems
    assert "a marker of line '64 %' is hidden by a marker of line '66,3 %'" in problems
    assert "text 'dépasse du bord du cadre' runs out of the figure" in problems
    plt.close(fig)


def test_a_label_on_its_white_box_above_the_line_is_readable():
    apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.axvline(0.5, color="red")
    draw.data_label(ax, 0.5, 0.5, "17", ha="center", va="center")
    assert text_problems(drawn(fig)) == []
    plt.close(fig)


def test_histogram_legend_and_counts_are_crossed_by_no_line():
    apply_style()  # the thesis' Figure 8: the mean (7,9) falls on the bar of 8
    values = pd.DataFrame({"level": list(range(1, 11)), "n": [0, 0, 1, 1, 2, 4, 6, 4, 17, 4]})
    fig = drawn(draw.histogram(values, 7.92, 1.74, 39, "Aisance avec les outils numériques (1 = pas du tout à l'aise ; "
                               "10 = parfaitement à l'aise)", "médecins"))
    assert text_problems(fig) == []
    plt.close(fig)


def test_bar_labels_are_crossed_by_no_grid_line():
    apply_style()  # the thesis' Figures 9, 10, 12: grid lines ran through « 31 (96,9 %) »
    levels = pd.DataFrame({"label": ["Omnidoc", "Autre plateforme", "Aucune plateforme"], "n": [31, 1, 0],
                           "pct": [96.9, 3.1, 0.0]})
    fig = drawn(draw.bars(levels, "Nombre de réponses (n = 32)"))
    assert text_problems(fig) == []
    plt.close(fig)


def test_a_long_score_axis_title_stays_inside_the_figure():
    apply_style()  # the thesis' barrier chart: « …frein majeur), IC 95 9 » cut at the edge
    items = {f"v{i}": f"Manque de confiance dans la sécurité des informations {i}" for i in range(3)}
    rows = [{"variable": v, "group": g, "mean": 4.0 + i, "ci_low": 3.0 + i, "ci_high": 5.0 + i, "n": n, "rank": i + 1}
            for i, v in enumerate(items) for g, n in (("Ensemble", 39), ("Oui", 32), ("Non", 7))]
    fig = drawn(draw.scores(pd.DataFrame(rows), items, [("Oui", "Utilisateurs"), ("Non", "Non-utilisateurs")],
                            "Score moyen (1 = pas un frein ; 10 = frein majeur), IC 95 %", (1, 10)))
    assert text_problems(fig) == []
    label = fig.axes[0].xaxis.label
    assert "\n" in label.get_text() and label.get_text().replace("\n", " ").endswith("IC 95 %")
    plt.close(fig)


def test_the_diffusion_curve_shows_every_point_and_the_years_of_its_sources():
    apply_style()
    data = yaml.safe_load(ADOPTION.read_text(encoding="utf-8"))
    fig = drawn(draw.diffusion_curve(82.1, "Thèse 2025", data))
    assert text_problems(fig) == []  # 64 % beside 66,3 %: both visible; no category name under the S-curve
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Seine-Saint-Denis, 2024 : 64\u00a0%" in legend  # the year of its source [32], printed under the figure
    for point in data["references"]:
        assert str(point["year"]) in point["source"]
    plt.close(fig)


def test_a_reference_year_that_is_not_its_sources_is_a_clear_error(tmp_path):
    data = {"references": [{"label": "Nord", "year": 2025, "rate": 64.0, "source": "[32] Auteur. Titre, 2024."}]}
    with pytest.raises(InputError, match=r"references\[0\] \('Nord'\): year 2025, but its source is of 2024"):
        check_reference_years(data, tmp_path / "adoption.yaml")


def test_flowchart_labels_are_legible_and_on_two_lines_at_most():
    apply_style()  # the thesis' flowchart: « Pratiquez- / vous la / télé- / expertise ? » at 7 pt
    leaves = [{"variable": "pratique", "level": level, "n": n, "children": []} for level, n in
              (("Oui", 12), ("Non", 2))]
    flow = {"received": 39, "analysed": 39, "excluded": {}, "quarantined": {},
            "breakdown": [{"variable": "cpts", "level": name, "n": 13, "children": json.loads(json.dumps(leaves))}
                          for name in ("CPTS de l'Amandinois", "CPTS du Grand Denain", "CPTS du Grand Valenciennes")]}
    names = {"cpts": "CPTS", "pratique": "Pratiquez-vous la télé-expertise ?"}
    levels = {"Oui": "Utilisateurs", "Non": "Non-utilisateurs"}
    fig = draw.flowchart(flow, lambda variable, level: levels.get(level, level), names.get)
    metrics, _box = measure_drawn(fig, dpi=300, pad_inches=0.1)
    assert metrics.min_font_pt >= SMALL_FONT_SIZE == 8
    row_name = next(t for t in fig.axes[0].texts if t.get_text().startswith("Pratiquez"))
    assert row_name.get_text() == "Pratiquez-vous la\ntélé-expertise ?"
    assert text_problems(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("below, crossed", [(True, False), (False, True)])
def test_a_label_on_a_bar_drawn_over_the_grid_is_not_crossed_by_it(below, crossed):
    """A grid line is drawn with its axis, below the bars when `set_axisbelow(True)` (the diverging bars of a
    choice grid), though its own zorder says 2: « 41 % » on a bar hides no grid line then (15 false warnings
    on one two-grid chapter); with the grid above the bars, it does."""
    apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.barh([0], [60], left=[-10], color="lightblue")
    ax.set_xlim(-20, 60)
    ax.set_xticks([20])
    ax.grid(True, axis="x")
    ax.set_axisbelow(below)
    ax.text(20, 0, "41 %", ha="center", va="center")
    problems = text_problems(drawn(fig))
    assert ("text '41 %' is crossed by a grid line" in problems) is crossed, problems
    plt.close(fig)
