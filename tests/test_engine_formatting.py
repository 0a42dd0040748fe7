"""Formatting by kind: years without decimals, medians of whole numbers without decimals when whole, one
percentage precision per chapter (the plan's `percent`), short row labels from the codebook, flowchart text inside
its boxes at a legible size, and the coding sheet naming the study's real coding folder."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.patches import FancyBboxPatch

from surveykit.analysis.format import format_table
from surveykit.analysis.plan import load_plan
from surveykit.analysis.run import run_plan
from surveykit.core import fmt
from surveykit.figures import draw
from surveykit.figures.style import MIN_FONT_SIZE, apply_style
from surveykit.manuscript.registry import Registry, add_tidy
from surveykit.questionnaire.codebook import load_codebook
from surveykit.recode.sheet import instructions

N = fmt.NBSP


@pytest.mark.parametrize("values, digits", [
    (["1997", "2004", "2011"], 0),              # years
    ([1997.0, 2004.0, "Non renseigné"], 0),     # missing answers are not values
    (["3", "12", "40"], 1),                     # whole counts: their mean and quartiles fall between them
    (["1997", "2004,5"], 1),                    # not all whole
    ([], 1),
])
def test_location_digits_by_the_kind_of_the_answers(values, digits):
    assert fmt.location_digits(values) == digits
    assert fmt.median_iqr(2004.0, 1997.25, 2011.0, fmt.location_digits(values)) == (
        "2004 [1997–2011]" if digits == 0 else "2004,0 [1997,2–2011,0]")


def test_a_percent_style_gives_one_precision_inside_and_restores_the_default_after():
    with fmt.percent_style(fmt.PercentStyle(digits=1, trim=False)):
        assert (fmt.percent(75.0), fmt.percent(6.8)) == (f"75,0{N}%", f"6,8{N}%")
        assert fmt.count_percent(3, 7.0) == f"3 (7,0{N}%)"
        with fmt.percent_style(fmt.PercentStyle(digits=0, trim=False)):
            assert fmt.percent(6.8) == f"7{N}%"
    assert fmt.percent(75.0) == f"75{N}%"  # the thesis' style outside a chapter step


CODEBOOK = """study: libelles
title: "Libellés"
timestamp: {headers: ["Horodateur"]}
questions:
  - {id: mode, number: 1, type: single, required: true, label: "Mode d'exercice",
     header: "Quel est votre mode d'exercice principal au moment de répondre à ce questionnaire ?",
     options: [{raw: "Libéral", label: "Libéral"}, {raw: "Salarié", label: "Salarié"}], levels: ["Libéral", "Salarié"]}
  - {id: installation, number: 2, type: number, required: true, header: "En quelle année vous êtes-vous installé ?"}
"""
PLAN = """percent: {digits: 1}
tables:
  - {id: profil, title: "Profil", kind: categorical, variables: [mode]}
  - {id: annees, title: "Années", kind: summary, variables: [installation]}
"""


def test_tables_use_the_short_label_and_print_years_and_percentages_by_kind(tmp_path):
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yaml")
    plan = load_plan(tmp_path / "plan.yaml", book)
    assert plan.percent == fmt.PercentStyle(digits=1, trim=False)  # trim_whole defaults to false
    responses = pd.DataFrame({"respondent_id": ["R1", "R2", "R3", "R4"], "mode": ["Libéral"] * 3 + ["Salarié"],
                              "installation": [1997, 2004, 2004, 2011]})
    result = run_plan(responses, book, plan, seed=1)
    with fmt.percent_style(plan.percent):
        profile, _note = format_table(plan.table("profil"), plan, book, result.tables["profil"], result.tests)
        years, _note = format_table(plan.table("annees"), plan, book, result.tables["annees"], result.tests)
    assert profile.to_dict("records") == [
        {"Caractéristique": "Mode d'exercice", "Modalité": "Libéral", "n (%)": f"3 (75,0{N}%)"},
        {"Caractéristique": "", "Modalité": "Salarié", "n (%)": f"1 (25,0{N}%)"}]
    # R: mean(c(1997, 2004, 2004, 2011)) = 2004, sd = 5.715476; quantile(type 7) = 2002.25, 2004, 2005.75
    assert years.to_dict("records") == [{"Variable": "En quelle année vous êtes-vous installé ?", "n": "4",
                                         "Moyenne ± écart-type": f"2004{N}±{N}6", "Médiane [Q1–Q3]": "2004 [2002–2006]"}]


def test_flowchart_text_stays_inside_its_boxes_at_a_legible_size():
    apply_style()
    flow = {"received": 414, "analysed": 320,
            "excluded": {"doublon": 3, "hors période de recueil": 12, "logique de saut non respectée": 4},
            "quarantined": {"valeur invalide": 45, "réponse obligatoire manquante": 30},
            "breakdown": [{"variable": "profession", "level": level, "n": n, "children": []} for level, n in
                          (("Médecin généraliste libéral", 200), ("Infirmier(e) en pratique avancée", 100),
                           ("Autre", 20))]}
    fig = draw.flowchart(flow, lambda variable, level: level, lambda variable: "Profession")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    texts = [t for t in ax.texts if t.get_text() and t.get_text() != "Profession"]
    assert len(boxes) == len(texts) == 6
    figure_box = fig.bbox
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert text.get_fontsize() >= MIN_FONT_SIZE >= 7
        assert any(box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
                   for box in boxes), text.get_text()
    for box in boxes:
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0 <= box.y1 <= figure_box.y1
    assert "valeur invalide (quarantaine) : n\u00a0=\u00a045" in " ".join(t.get_text().replace("\n", " ") for t in texts)


def test_the_coding_sheet_names_the_study_coding_folder(tmp_path):
    assert instructions("data/studies/enquete/coding/vague_2025")[-1].endswith(
        "sous data/studies/enquete/coding/vague_2025/<codeur>_main.csv (<codeur> : vos initiales).")
    assert not any("data/coding/" in line for line in instructions())


# ------------------------------------------------------------------ medians of whole numbers

def test_quantile_digits_none_when_every_median_and_quartile_is_whole():
    assert fmt.whole_numbers(["0", "1", 3.0, "Non renseigné"]) and not fmt.whole_numbers(["2,5", "4"])
    assert not fmt.whole_numbers([])
    assert fmt.quantile_digits([1.0, 0.0, 1.0, float("nan")]) == 0
    assert fmt.quantile_digits([6.0, 2.5, 7.0]) == 1  # R's type 7 falls between two answers
    assert fmt.median_iqr(1.0, 0.0, 1.0, fmt.quantile_digits([1.0, 0.0, 1.0])) == "1 [0–1]"


COUNTS_CODEBOOK = """study: comptes
title: "Comptes"
timestamp: {headers: ["Horodateur"]}
questions:
  - {id: enfants, number: 1, type: number, required: true, header: "Nombre d'enfants", label: "Enfants"}
  - {id: heures, number: 2, type: number, required: true, header: "Heures de garde", label: "Heures"}
  - {id: visites, number: 3, type: number, required: false, header: "Visites par semaine", label: "Visites"}
  - {id: notes, number: 4, type: grid_scale, required: false, header: "Notez", min: 1, max: 5,
     items: [{id: note_a, row: "A", label: "A"}, {id: note_b, row: "B", label: "B"}, {id: note_c, row: "C", label: "C"}]}
"""
COUNTS_PLAN = """tables:
  - {id: seuls, title: "Comptes entiers", kind: summary, variables: [enfants, heures]}
  - {id: melanges, title: "Comptes et demis", kind: summary, variables: [enfants, visites]}
  - {id: notes, title: "Notes", kind: scores, grid: notes}
"""


def test_a_median_of_whole_numbers_prints_without_decimals_unless_one_of_its_table_falls_between_two(tmp_path):
    """« 1 [0–1] » for a count whose median and quartiles are whole (was « 1,0 [0,0–1,0] »); one decimal for every
    whole-number median of a table where one quartile falls between two answers (R's type 7: 0,75); one decimal
    for answers with decimals even when their quartiles are whole; a scale's items, which a scores table does not
    count value by value, are whole numbers by their type. The chapter's sentences (registry) say as the table."""
    (tmp_path / "codebook.yaml").write_text(COUNTS_CODEBOOK, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(COUNTS_PLAN, encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yaml")
    plan = load_plan(tmp_path / "plan.yaml", book)
    # R, type 7: enfants 0, 1, 1; heures 4, 6, 6; visites (4 answers) 0.75, 1.5, 2.75; note_a 2, 3, 4;
    # note_b 3, 4, 4; note_c unanswered (no median)
    responses = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(5)], "enfants": [0, 0, 1, 1, 1],
                              "heures": ["2.5", "4", "6", "6", "12.5"], "visites": ["0", "1", "2", "5", ""],
                              "note_a": [1, 2, 3, 4, 5], "note_b": [2, 3, 4, 4, 5], "note_c": [pd.NA] * 5})
    result = run_plan(responses, book, plan, seed=1)
    medians = {}
    for table in ("seuls", "melanges", "notes"):
        printed, _note = format_table(plan.table(table), plan, book, result.tables[table], result.tests)
        medians[table] = list(printed["Médiane [Q1–Q3]"])
    assert medians == {"seuls": ["1 [0–1]", "6,0 [4,0–6,0]"], "melanges": ["1,0 [0,0–1,0]", "1,5 [0,8–2,8]"],
                       "notes": ["3 [2–4]", "4 [3–4]", ""]}
    registry = Registry()
    add_tidy(registry, pd.concat(result.tables.values()), "descriptives.csv", "analyse_wave",
             book.whole_number_variables())
    assert [registry.text(f"{key}.Ensemble.median_iqr") for key in
            ("seuls.enfants", "melanges.enfants", "notes.note_a")] == ["1 [0–1]", "1,0 [0,0–1,0]", "3 [2–4]"]
