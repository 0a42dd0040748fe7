"""A second study that shares no question with the thesis, run end to end with the generic template.

The fixture « outils_sante » (tests/fixtures/studies/outils_sante, exports written by
tests/fixtures/studies/make_outils_sante.py) has a derived grouping, multi-response questions with an
« Autre » field and options containing commas, a 1–5 grid, a number binned into classes, a reversed
scale, an open question no figure shows, and timestamps "2024/11/04 17:22:46 UTC+1". Its per-option
p-values are checked against R (tests/r_reference/outils_sante.R, run on the raw exports).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from pipeline_helpers import BUNDLED_CONFIG, make_project, snakemake
from surveykit.stats.rtests import p_adjust

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
R_REFERENCE = ROOT / "tests" / "r_reference" / "outils_sante.csv"
WAVES = ("outils_2024", "outils_2025")
FIXTURE_CONFIG = {
    "studies": {"outils_sante": {"folder": "tests/fixtures/studies/outils_sante"}},
    "waves": {wave: {"study": "outils_sante", "label": f"Vague {wave[-4:]} (jeu de test)",
                     "export": f"tests/fixtures/exports/{wave}.csv", "synthetic": True} for wave in WAVES},
}
GRID_IDS = {"Ergonomie": "satisfaction_ergonomie", "Fiabilité": "satisfaction_fiabilite",
            "Rapidité": "satisfaction_rapidite", "Sécurité des données": "satisfaction_securite"}


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory) -> Path:
    """The fixture study alone in config.yaml (no thesis wave), run once."""
    project = make_project(tmp_path_factory.mktemp("generic"), FIXTURE_CONFIG)
    snakemake(project)
    return project


def _tests(project: Path, wave: str) -> pd.DataFrame:
    return pd.read_csv(project / "results" / wave / "stats" / "tests.csv", keep_default_na=False,
                       na_values=[""], dtype={"level": str}).fillna({"level": "", "test": ""})


def _reference() -> pd.DataFrame:
    return pd.read_csv(R_REFERENCE, keep_default_na=False, na_values=["NA"], dtype={"level": str})


def test_the_fixture_exports_are_regenerated_bit_for_bit(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_outils_sante", ROOT / "tests/fixtures/studies/make_outils_sante.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.export_rows(2024, 90, __import__("datetime").datetime(2024, 11, 4, 8, 0), 0.0)
    path = tmp_path / "outils_2024.csv"
    module.write_csv(path, [module.HEADERS] + rows)
    assert path.read_bytes() == (ROOT / "tests/fixtures/exports/outils_2024.csv").read_bytes()


def test_every_output_of_both_waves_and_the_cross_wave_section(fixture_project):
    for wave in WAVES:
        build = fixture_project / "manuscript" / "build" / wave
        for name in ("resultats.md", "resultats.html", "resultats.docx"):
            assert (build / name).stat().st_size > 0
        assert (fixture_project / "results" / wave / "report" / "registry.md").is_file()
    waves = fixture_project / "manuscript" / "build" / "waves" / "outils_sante"
    assert (waves / "evolution.docx").is_file() and (waves / "evolution.html").is_file()
    assert not (fixture_project / "results" / "thesis_2025").exists()


def test_per_option_p_values_equal_r(fixture_project):
    reference = _reference()
    checked = 0
    for wave in WAVES:
        ours = _tests(fixture_project, wave).set_index(["table", "variable", "level"])
        for row in reference[(reference["wave"] == wave) & reference["table"].str.endswith("profession")
                             & ~reference["table"].str.startswith("satisfaction")].itertuples():
            mine = ours.loc[(row.table, row.variable, row.level)]
            if mine["test"] == "":  # an option nobody ticked: a single possible table, no test
                assert row.yes_g1 + row.yes_g2 == 0 or row.no_g1 + row.no_g2 == 0
                assert mine["reason"].startswith("pas de test")
                continue
            expected = row.p_chisq if mine["test"] == "chisq" else row.p_fisher
            assert mine["p_value"] == pytest.approx(expected, rel=1e-8, abs=1e-15), (wave, row.level)
            assert mine["n"] == row.yes_g1 + row.no_g1 + row.yes_g2 + row.no_g2  # the respondents asked
            checked += 1
    assert checked >= 20


def test_holm_within_each_multi_response_question(fixture_project):
    tests = _tests(fixture_project, "outils_2024")
    options = tests[(tests["variable"] == "outils") & (tests["test"] != "")]
    assert options["p_holm_question"].tolist() == pytest.approx(
        list(p_adjust(options["p_value"].to_numpy(), "holm")), rel=1e-12)
    # textbook Holm on the smallest p of the question: min(1, k * p)
    smallest = options["p_value"].min()
    assert options.loc[options["p_value"] == smallest, "p_holm_question"].iloc[0] == pytest.approx(
        min(1.0, len(options) * smallest), rel=1e-12)


def test_option_counts_use_the_respondents_asked(fixture_project):
    reference = _reference().set_index(["wave", "variable", "level"])
    tidy = pd.read_csv(fixture_project / "results" / "outils_2024" / "stats" / "descriptives.csv",
                       keep_default_na=False)
    rows = tidy[(tidy["table"] == "outils_par_profession") & (tidy["variable"] == "outils")]
    cell = rows.set_index(["level", "group"])
    expected = reference.loc[("outils_2024", "outils", "Messagerie sécurisée")]
    assert float(cell.loc[("Messagerie sécurisée", "Médecins"), "n"]) == expected["yes_g1"]
    assert float(cell.loc[("Messagerie sécurisée", "Médecins"), "denominator"]) == expected["yes_g1"] + expected["no_g1"]
    assert "Non renseigné" not in set(rows["level"])  # not asked is not missing, none ticked is "no"


def test_grid_tests_equal_r(fixture_project):
    reference = _reference()
    for wave in WAVES:
        ours = _tests(fixture_project, wave).set_index(["table", "variable"])
        for row in reference[(reference["wave"] == wave) & reference["table"].str.startswith("satisfaction")].itertuples():
            mine = ours.loc[(row.table, GRID_IDS[row.variable])]
            assert mine["p_value"] == pytest.approx(row.p_chisq, rel=1e-8), (wave, row.table, row.variable)
            assert mine["test"] == ("wilcoxon" if row.table.endswith("profession") else "kruskal")


def test_derived_variables_sit_beside_their_sources(fixture_project):
    responses = pd.read_csv(fixture_project / "results" / "outils_2024" / "clean" / "responses.csv",
                            keep_default_na=False, dtype=str)
    columns = list(responses.columns)
    assert columns.index("profession_groupe") > columns.index("commentaires")
    doctors = responses["profession"].str.startswith("Médecin")
    assert (responses.loc[doctors, "profession_groupe"] == "Médecins").all()
    assert (responses.loc[~doctors, "profession_groupe"] == "Autres professionnels").all()
    years = responses["anciennete"].astype(int)
    expected = ["Moins de 10 ans" if y <= 9 else "De 10 à 25 ans" if y <= 25 else "Plus de 25 ans" for y in years]
    assert responses["anciennete_classe"].tolist() == expected
    assert (responses["impact_inverse"].astype(int) == 6 - responses["impact"].astype(int)).all()
    users = responses["utilise"] == "Oui"
    assert (responses.loc[~users, "teleconsultation"] == "").all()  # not asked: missing
    assert set(responses.loc[users, "teleconsultation"]) == {"Oui", "Non"}
    assert (responses.loc[users & (responses["outils"] == ""), "teleconsultation"] == "Non").all()


def test_semi_open_answers_and_timestamps(fixture_project):
    responses = pd.read_csv(fixture_project / "results" / "outils_2024" / "clean" / "responses.csv",
                            keep_default_na=False, dtype=str)
    other = responses[responses["profession"] == "Autre profession"]
    assert len(other) and set(other["profession_autre"]) <= {"Orthophoniste", "Sage-femme"}
    assert responses["outils"].str.contains("Applications pour les patients, suivi à distance").any()
    assert responses["submitted"].str.match(r"2024-1[12]-\d\d$").all()
    flow = __import__("json").loads((fixture_project / "results" / "outils_2024" / "clean" / "flow.json")
                                    .read_text(encoding="utf-8"))
    assert (flow["received"], flow["analysed"], flow["excluded"], flow["quarantined"]) == (
        92, 90, {"doublon": 1}, {"valeur invalide": 1})
    assert flow["file"]["timestamp_order"] == "year-first"
    assert [node["level"] for node in flow["breakdown"]] == ["Médecins", "Autres professionnels"]
    assert sum(node["n"] for node in flow["breakdown"]) == 90


def test_the_open_question_without_figure_is_recoded_and_reported(fixture_project):
    counts = pd.read_csv(fixture_project / "results" / "outils_2024" / "recoding" / "counts.csv")
    assert set(counts["question"]) == {"commentaires"}
    review = pd.read_csv(fixture_project / "results" / "outils_2024" / "recoding" / "to_review.csv")
    assert review["answer"].tolist() == ["Je ne sais pas trop quoi en penser."]
    chapter = (fixture_project / "manuscript" / "build" / "outils_2024" / "resultats.md").read_text(encoding="utf-8")
    assert "Commentaires libres" in chapter and "Besoin de formation" in chapter
    quotes = pd.read_csv(fixture_project / "results" / "outils_2024" / "recoding" / "quotes.csv")
    assert quotes["category"].tolist() == ["formation", "interoperabilite", "satisfait"]


def test_generic_chapter_sentences(fixture_project):
    chapter = (fixture_project / "manuscript" / "build" / "outils_2024" / "resultats.md").read_text(encoding="utf-8")
    nbsp = "\u00a0"
    assert f"Pour la question «{nbsp}Outils utilisés{nbsp}», la part de répondants cochant l'option diffère" in chapter
    assert f"«{nbsp}Coût{nbsp}»" in chapter
    assert "Table: Tableau 2" + nbsp + ": Outils utilisés selon la profession (n" + nbsp + "=" + nbsp + "90)" in chapter
    # document order; a checkbox question asked of its users only: n is those asked (78 users of 90), as on its axis
    assert "![Figure 3. Outils numériques utilisés (n" + nbsp + "=" + nbsp + "78)]" in chapter
    for word in ("médecin généraliste", "télé-expertise", "CPTS", "frein"):  # nothing of the thesis
        assert word not in chapter.replace("Médecin généraliste", "")


def test_no_sentence_is_repeated_in_a_generic_chapter(fixture_project):
    """An author never writes the same sentence twice (issue P: seven « la répartition ne diffère pas … »)."""
    from chapter_sentences import repeated_sentences

    for wave in WAVES:
        chapter = (fixture_project / "manuscript" / "build" / wave / "resultats.md").read_text(encoding="utf-8")
        assert repeated_sentences(chapter) == {}, wave


def test_derived_grouping_is_checked_at_validation(tmp_path):
    folder = ROOT / "tests" / "fixtures" / "studies" / "outils_sante"
    project = make_project(tmp_path, FIXTURE_CONFIG)
    codebook = project / "tests" / "fixtures" / "studies" / "outils_sante" / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace(
        '"Autres professionnels": ["Infirmier(e) / IPA", "Pharmacien(ne)", "Kinésithérapeute"',
        '"Autres professionnels": ["Infirmier(e) / IPA", "Pharmacien(ne)", "Kiné"'), encoding="utf-8")
    result = snakemake(project, "-n", check=False)
    assert result.returncode != 0
    assert ("derived variable 'profession_groupe': regroup: 'Kiné' is not a level of 'profession'"
            in result.stdout + result.stderr)
    assert folder.is_dir()


def test_suite_does_not_depend_on_the_users_config(tmp_path):
    """The bundled config used by the other tests is written by the suite, not read from config.yaml."""
    project = make_project(tmp_path, FIXTURE_CONFIG)
    config = __import__("yaml").safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    assert list(config["studies"]) == ["outils_sante"] and list(config["waves"]) == list(WAVES)
    assert "thesis_2025" in BUNDLED_CONFIG["waves"]


def test_generic_chapter_numbering_and_typography(fixture_project):
    from test_manuscript import caption_numbers
    from typography_helpers import typography_problems

    chapter = (fixture_project / "manuscript" / "build" / "outils_2024" / "resultats.md").read_text(encoding="utf-8")
    tables, figures = caption_numbers(chapter)
    assert tables == list(range(1, len(tables) + 1)) and len(tables) == 7
    assert figures == list(range(1, len(figures) + 1)) and len(figures) == 5
    for path in sorted((fixture_project / "manuscript" / "build").rglob("*.md")):
        assert not typography_problems(path.read_text(encoding="utf-8")), path
    # one quote per category, the longest answer (the study's rule): no hand-picking; its definition before it
    assert ("Besoin de formation\u00a0: 11 réponses (44\u00a0%). Demande de formation ou d'accompagnement à l'usage des "
            "outils. Par exemple\u00a0: «\u00a0Besoin d'un accompagnement") in chapter
