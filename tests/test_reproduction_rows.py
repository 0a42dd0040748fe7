"""The reproduction report checks the chapter's table rows against the publication, not only its numbers.

Declaring an option a later wave added once printed « Centre de santé 0 (0 %) » in the thesis' Table 1, and
the report, which compares published numbers only, did not notice."""
from __future__ import annotations

from pathlib import Path

from surveykit.reproduction.published import load_publication
from surveykit.reproduction.report import chapter_table_rows, row_differences

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data/studies/tele_expertise_cpts/published/thesis_2025.yaml"

CHAPTER = """Les caractéristiques des participants.

| Variable | Modalité | n (%) |
|:---|:---|---:|
| Genre | Femme | 22 (56,4 %) |
|  | Homme | 17 (43,6 %) |
|  | Autre | 0 (0 %) |
| Âge | Moins de 35 ans | 9 (23,1 %) |
|  | Entre 35 et 50 ans inclus | 22 (56,4 %) |
|  | Plus de 50 ans | 8 (20,5 %) |

Table: Tableau 1 : Caractéristiques principales des médecins participants (n = 39)
"""


def test_the_rows_of_each_numbered_table_are_read_from_the_chapter():
    rows = chapter_table_rows(CHAPTER)
    assert list(rows) == [1]
    assert rows[1][:3] == [("Genre", "Femme"), ("Genre", "Homme"), ("Genre", "Autre")]
    assert rows[1][3] == ("Âge", "Moins de 35 ans")


def test_rows_added_or_left_out_by_the_chapter_are_listed():
    lines = row_differences(load_publication(PUBLISHED).items, CHAPTER)
    assert "Tableau 1, ligne « Genre · Autre » : ajoutée par le chapitre régénéré (absente de la publication)." in lines
    assert "Tableau 1, ligne « Genre · Non généré » : publiée, absente du chapitre régénéré." in lines
    # variables the chapter's table does not show at all are the structure check's business, not a row each
    assert not [line for line in lines if "Mode d'exercice" in line]
    assert len(lines) == 2
