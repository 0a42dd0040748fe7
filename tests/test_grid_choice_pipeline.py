"""A study with two categorical grids (grid_choice), run end to end by the real Snakefile to md, html and docx.

The fixture « grilles_usage » (tests/fixtures/studies/grilles_usage, export written by
tests/fixtures/studies/make_grilles_usage.py) has a frequency grid with a non-substantive level and an agreement
grid asked in one branch only; its per-item p-values are checked against R (tests/r_reference/grid_choice.R)."""
from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import docx
import pandas as pd
import pytest

from pipeline_helpers import make_project, snakemake
from surveykit.figures.metadata import read_png

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
WAVE = "grilles_2025"
CONFIG = {
    "studies": {"grilles_usage": {"folder": "tests/fixtures/studies/grilles_usage"}},
    "waves": {WAVE: {"study": "grilles_usage", "label": "Vague 2025 (jeu de test)",
                     "export": f"tests/fixtures/exports/{WAVE}.csv", "synthetic": True}},
}
R_REFERENCE = json.loads((ROOT / "tests" / "r_reference" / "grid_choice.json").read_text(encoding="utf-8"))
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("grids"), CONFIG)
    snakemake(project)
    return project


def test_the_fixture_export_is_regenerated_bit_for_bit(tmp_path):
    spec = importlib.util.spec_from_file_location("make_grilles_usage",
                                                  ROOT / "tests/fixtures/studies/make_grilles_usage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "export.csv"
    module.write_csv(path, [module.HEADERS] + module.export_rows())
    assert path.read_bytes() == (ROOT / "tests/fixtures/exports/grilles_2025.csv").read_bytes()


def test_md_html_and_docx_are_built(project):
    build = project / "manuscript" / "build" / WAVE
    for name in ("resultats.md", "resultats.html", "resultats.docx"):
        assert (build / name).stat().st_size > 0


def test_p_values_of_the_pipeline_equal_r(project):
    tests = pd.read_csv(project / "results" / WAVE / "stats" / "tests.csv", keep_default_na=False, na_values=[""],
                        dtype={"level": str}).set_index(["table", "variable"])
    checked = 0
    for reference in R_REFERENCE["tests"]:
        if reference["table"] not in set(tests.index.get_level_values(0)):
            continue  # a forced chi² only the unit tests run
        row = tests.loc[(reference["table"], reference["variable"])]
        assert math.isclose(row["p_value"], reference["p_value"], rel_tol=1e-8)
        assert math.isclose(row["p_holm"], reference["p_holm"], rel_tol=1e-8)
        checked += 1
    assert checked == 15


def test_the_chapter_describes_each_grid(project):
    text = (project / "manuscript" / "build" / WAVE / "resultats.md").read_text(encoding="utf-8")
    assert (f"Fréquence d'utilisation des outils{NBSP}: les items dont la part de réponses «{NBSP}Plusieurs fois par "
            f"semaine{NBSP}» ou «{NBSP}Quotidiennement{NBSP}» (hors «{NBSP}Je ne connais pas cet outil{NBSP}») est la "
            f"plus élevée sont «{NBSP}Messagerie sécurisée{NBSP}» (84,4{NBSP}%), «{NBSP}Agenda en ligne{NBSP}» (62,9{NBSP}%) et "
            f"«{NBSP}DMP{NBSP}» (44,8{NBSP}%).") \
        in text
    assert (f"«{NBSP}Plusieurs fois par mois{NBSP}» et «{NBSP}Je ne connais pas cet outil{NBSP}», à égalité, pour "
            f"«{NBSP}Télé-expertise{NBSP}» (27,6{NBSP}% chacune).") in text  # no article in the label: quoted
    assert (f"Les réponses diffèrent significativement entre les groupes «{NBSP}Ville{NBSP}» et «{NBSP}Hôpital{NBSP}» "
            f"(test de Wilcoxon-Mann-Whitney, p ajustées par la méthode de Holm au sein de la grille) pour «{NBSP}Messagerie sécurisée{NBSP}» "
            f"(p ajustée = 0,0013{NBSP}; pôle positif{NBSP}: 97,5{NBSP}% pour «{NBSP}Ville{NBSP}» et 62,5{NBSP}% pour "
            f"«{NBSP}Hôpital{NBSP}»){NBSP}; pas de différence significative pour les trois autres items.") in text
    assert f"Aucun item ne diffère significativement entre les groupes «{NBSP}Médecin{NBSP}»" in text
    assert f"Figure 2. Fréquence d'utilisation des outils (n{NBSP}={NBSP}76)" in text
    assert f"Figure 3. Opinion sur les outils (exercice en ville, n{NBSP}={NBSP}45)" in text


def test_figures_are_legible(project):
    for figure in ("usage", "opinion"):
        metrics = read_png(project / "results" / WAVE / "figures" / f"{figure}.png")
        assert metrics.min_font_pt >= 7 and metrics.width_in <= 16 / 2.54 + 1e-6


def test_the_word_file_has_the_grid_tables(project):
    document = docx.Document(project / "manuscript" / "build" / WAVE / "resultats.docx")
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    grid = next(t for t in tables if "Pôle positif" in t[0] and t[2][0] == "Ville")
    assert grid[0][:3] == ["Item", "n", "Jamais"]
    assert grid[0][-2:] == ["Pôle positif", "p\u00a0ajustée (Holm)"]  # « p » held to « ajustée » (no-break space)
    assert grid[1][-1] == "0,0013"
    assert [row[0] for row in grid[1:4]] == ["Messagerie sécurisée", "Ville", "Hôpital"]
    assert tables[1][1][0] == "Messagerie sécurisée" and tables[1][1][-1] == f"84,4{NBSP}%"


def test_registry_reference_documents_the_grid_keys(project):
    text = (project / "results" / WAVE / "report" / "registry.md").read_text(encoding="utf-8")
    assert "grille à choix" in text and "usage.usage_dmp.Ensemble.rank" in text
