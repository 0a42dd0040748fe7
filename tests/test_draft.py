"""Drafting a study from its export (surveykit.tools.draft, `make study`): types, levels, order, skip logic, notes,
files that pass the study loader, config.yaml kept, edited files protected; then the pipeline builds the
drafted chapters with no edit (one run for the three drafted studies)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import make_project, snakemake

from surveykit.core.errors import InputError
from surveykit.project.study import load_study
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.read import read_export
from surveykit.tools.draft import draft_export, draft_study
from surveykit.tools.draft.infer import slug, split_cells
from surveykit.tools.draft.levels import BY_FREQUENCY, natural_order
from surveykit.tools.draft.project import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "exports" / "draft_fixture.csv"
THESIS_EXPORT = ROOT / "data" / "raw" / "thesis_2025" / "export.csv"
BAROMETER_EXPORT = ROOT / "data" / "raw" / "barometre_2025" / "export.csv"
BAROMETER_CODEBOOK = ROOT / "data" / "studies" / "barometre_numerique" / "codebook.yaml"


def by_header(path: Path) -> dict:
    return {q.header: q for q in draft_export(read_export(path)).questions}


# ------------------------------------------------------------------------------------ level order

ORDER_NAMES = {"classes": "classes", "numbers": "nombres", "frequency": "mots de fréquence",
               "intensity": "échelle d'intensité", "yes / no": "oui / non"}


@pytest.mark.parametrize("levels, expected, order", [
    (["35–50 ans inclus", "< 35 ans", "> 50 ans"], ["< 35 ans", "35–50 ans inclus", "> 50 ans"], "classes"),
    (["> 110", "75–110", "50–75", "< 50"], ["< 50", "50–75", "75–110", "> 110"], "classes"),
    (["Plus de 15 ans", "Moins de 5 ans", "5 à 15 ans"], ["Moins de 5 ans", "5 à 15 ans", "Plus de 15 ans"], "classes"),
    (["3 et plus", "Aucun", "1 à 2"], ["Aucun", "1 à 2", "3 et plus"], "classes"),
    # seed 002's share of teleconsultation, written as Forms options (a stranger export ordered them by frequency)
    (["Environ 75 %", "Environ 50 %", "Environ 99 %"], ["Environ 50 %", "Environ 75 %", "Environ 99 %"], "classes"),
    (["10", "2", "1,5"], ["1,5", "2", "10"], "numbers"),
    (["Tous les jours", "Jamais", "Plusieurs fois par semaine", "Une fois par mois"],
     ["Jamais", "Une fois par mois", "Plusieurs fois par semaine", "Tous les jours"], "frequency"),
    (["Plusieurs fois par jour", "Une fois par semaine", "Moins d'une fois par semaine", "Une fois par jour"],
     ["Moins d'une fois par semaine", "Une fois par semaine", "Une fois par jour", "Plusieurs fois par jour"], "frequency"),
    (["Souvent", "Jamais", "Toujours", "Rarement", "Parfois"], ["Jamais", "Rarement", "Parfois", "Souvent", "Toujours"],
     "frequency"),
    (["Plutôt d'accord", "Tout à fait d'accord", "Pas du tout d'accord", "Ni d'accord ni pas d'accord", "Plutôt pas d'accord"],
     ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord", "Tout à fait d'accord"],
     "intensity"),
    (["Très positif", "Neutre", "Plutôt négatif", "Très négatif", "Plutôt positif"],
     ["Très négatif", "Plutôt négatif", "Neutre", "Plutôt positif", "Très positif"], "intensity"),
    (["Oui, plutôt", "Non, pas du tout", "Oui, tout à fait", "Non, plutôt pas"],
     ["Non, pas du tout", "Non, plutôt pas", "Oui, plutôt", "Oui, tout à fait"], "intensity"),
    (["Peu intéressés", "Ne sait pas", "Très intéressés", "Pas du tout intéressés", "Assez intéressés"],
     ["Pas du tout intéressés", "Peu intéressés", "Assez intéressés", "Très intéressés", "Ne sait pas"], "intensity"),
    (["Non", "Insuffisamment", "Oui"], ["Oui", "Non", "Insuffisamment"], "yes / no"),
])
def test_natural_orders(levels, expected, order):
    found = natural_order(levels, Counter())
    assert found.levels == expected and found.order.startswith(ORDER_NAMES[order])


def test_unordered_answers_come_by_frequency_then_first_seen():
    counts = Counter({"Rural": 8, "Urbain": 17, "Semi-rural": 14, "Montagne": 8})
    found = natural_order(["Rural", "Urbain", "Semi-rural", "Montagne"], counts)
    assert (found.levels, found.order) == (["Urbain", "Semi-rural", "Rural", "Montagne"], BY_FREQUENCY)


# ----------------------------------------------------------------------------- options, ids

def test_options_containing_commas_stay_whole():
    cells = ["Aide à la décision (scores, calculateurs), Téléconsultation",
             "Téléconsultation, Télésurveillance, suivi à distance",
             "Aide à la décision (scores, calculateurs)",
             "Télésurveillance, suivi à distance, Téléconsultation, Coût, pas le temps",
             "Coût"]
    assert split_cells(cells) == [
        ["Aide à la décision (scores, calculateurs)", "Téléconsultation"],
        ["Téléconsultation", "Télésurveillance, suivi à distance"],
        ["Aide à la décision (scores, calculateurs)"],
        # « pas le temps » follows « Coût » once, and « Coût » is ticked alone elsewhere: an option, then text typed
        # in « Autre » (a fragment in lower case is glued to the one before only when they never occur apart or
        # come together twice: « e-Prescription » ticked once after another option is an option)
        ["Télésurveillance, suivi à distance", "Téléconsultation", "Coût", "pas le temps"],
        ["Coût"]]


def test_single_choices_with_a_comma_are_not_split():
    assert split_cells(["Oui, plutôt", "Non, pas du tout", "Oui, plutôt"]) == [["Oui, plutôt"], ["Non, pas du tout"],
                                                                                 ["Oui, plutôt"]]


@pytest.mark.parametrize("header, expected", [
    ("Êtes-vous médecin généraliste :", "medecin_generaliste"),
    ("Quel est votre âge ?", "age"),
    ("À quelle fréquence utilisez-vous ces outils ?", "frequence_utilisez_outils"),
    ("2e avis ?", "q_2e_avis"),
])
def test_ids_from_headers(header, expected):
    assert slug(header) == expected


# ---------------------------------------------------------------------- the three exports

def test_fixture_types_levels_and_order():
    draft = draft_export(read_export(FIXTURE))
    assert (draft.timestamp, draft.identifying) == ("Horodateur", ["Adresse e-mail"])
    got = {q.header: q for q in draft.questions}
    service = got["Dans quel service exercez-vous ?"]
    assert (service.type, service.other, service.options) == (
        "single", "Autre", ["Chirurgie", "Urgences", "Médecine interne", "Pédiatrie"])
    assert service.other_texts == ["Consultation mémoire", "Réanimation néonatale", "Équipe mobile de soins palliatifs"]
    assert service.levels[-1] == "Autre" and any("semi-ouverte" in n for n in service.notes)
    assert got["Date de votre dernière formation"].type == "date"
    patients = got["Nombre de patients vus par jour"]
    assert (patients.type, patients.min) == ("number", None)
    assert "valeurs de 6 à 40 observées" in patients.notes[0]
    years = got["Années d'exercice"]
    assert (years.type, years.levels) == ("single", ["Moins de 5 ans", "5 à 15 ans", "Plus de 15 ans"])
    teleconsultations = got["Combien de téléconsultations par semaine ?"]
    assert (teleconsultations.type, teleconsultations.asked_if, teleconsultations.required) == (
        "number", {"utilisez_teleconsultation": "Oui"}, True)
    tools = got["Quels outils utilisez-vous ?"]
    assert tools.type == "checkbox" and tools.other == "Autre"
    assert set(tools.options) == {"Logiciel de soins (dossier, prescriptions)", "Messagerie sécurisée",
                                  "Télésurveillance, objets connectés", "Aide à la décision"}
    assert tools.other_texts == ["Application de traduction", "Tableau blanc numérique du service"]
    grid = got["Votre satisfaction"]
    assert (grid.type, grid.min, grid.max) == ("grid_scale", 1, 5)
    assert [item for item, _row in grid.items] == ["satisfaction_rapidite", "satisfaction_fiabilite",
                                                   "satisfaction_ergonomie"]
    assert "valeurs de 1 à 5 observées" in grid.notes[0]
    usage = got["Fréquence d'usage"]
    assert (usage.type, usage.levels, usage.items, usage.label) == (
        "grid_choice", ["Jamais", "Parfois", "Souvent"],
        [("frequence_usage_messagerie", "Messagerie"), ("frequence_usage_visioconference", "Visioconférence")],
        "Fréquence d'usage")
    scale = got["Recommanderiez-vous ces outils à un collègue ?"]
    assert (scale.type, scale.min, scale.max) == ("scale", 0, 10)
    assert got["Les outils numériques améliorent la qualité des soins"].levels[0] == "Pas du tout d'accord"
    assert got["À quelle fréquence travaillez-vous de nuit ?"].levels == [
        "Jamais", "Une fois par mois", "Plusieurs fois par mois", "Plusieurs fois par semaine"]
    comments = got["Commentaires"]
    assert (comments.type, comments.required) == ("text", False)


def test_thesis_export_draft():
    got = by_header(THESIS_EXPORT)
    assert len(got) == 26
    assert Counter(q.type for q in got.values()) == Counter(
        {"single": 17, "text": 4, "scale": 2, "grid_rank": 2, "grid_scale": 1})
    assert got["Âge"].levels == ["< 35 ans", "35–50 ans inclus", "> 50 ans"]
    assert got["Nombre d'actes hebdomadaires"].levels == ["< 50", "50–75", "75–110", "> 110"]
    assert got["Avez-vous déjà été formé(e) ou sensibilisé(e) à la télé-expertise ?"].levels == [
        "Oui", "Non", "Insuffisamment"]
    frequency = got["Fréquence d'utilisation ?"]
    assert frequency.levels == ["Quelques fois dans l'année", "Plusieurs fois par mois", "Plusieurs fois par semaine",
                                "Tous les jours"]
    assert frequency.asked_if == {"pratiquez_tele_expertise": "Oui"}
    branch = got["Si vous l'utilisiez : fréquence d'utilisation ?"]
    assert branch.asked_if == {"pratiquez_tele_expertise": "Non"}
    assert any("posée dans une autre branche" in n and frequency.id in n for n in branch.notes)
    ranks = got["Pour obtenir l'expertise d'un confrère, comment le faites-vous ?"]
    assert (ranks.type, ranks.min, ranks.max, len(ranks.items)) == ("grid_rank", 1, 5, 5)
    assert ranks.asked_if == {"pratiquez_tele_expertise": "Oui"}
    freins = got["Freins à l'utilisation de la télé-expertise"]
    assert (freins.type, freins.min, freins.max, freins.required) == ("grid_scale", 1, 10, True)
    ease = got["Aisance avec les outils numériques"]
    assert (ease.type, ease.min, ease.max) == ("scale", 1, 10) and "valeurs de 3 à 10 observées" in ease.notes[0]
    status = got["Êtes-vous médecin généraliste :"]
    assert (status.options, status.other, status.other_texts) == (
        ["Libéral", "Remplaçant"], "Autre", ["Médecin coordonnateur en EHPAD", "Médecin de PMI"])
    platform = got["Si vous pratiquez la télé-expertise avec une plateforme, laquelle ou lesquelles utilisez-vous ?"]
    assert platform.type == "text" and "la casse, les accents" in platform.notes[0]
    assert {q.header for q in got.values() if q.type == "text"} >= {
        "Autres freins identifiés", "Qu'est-ce qui favoriserait votre utilisation ?",
        "Principaux leviers pour les années à venir ?"}


def test_barometer_export_draft_matches_its_questionnaire():
    """Drafted from the bundled barometer export, every question has the type, answers and skip logic of the
    hand-written codebook; ordered answers come in the codebook's order."""
    got = by_header(BAROMETER_EXPORT)
    book = load_codebook(BAROMETER_CODEBOOK)
    ids = {q.header: g.id for q in book.questions for g in [got[q.header]]}
    for question in book.questions:
        drafted = got[question.header]
        assert drafted.type == question.type, question.id
        assert drafted.required == question.required, question.id
        assert {k: v for k, v in drafted.asked_if.items()} == {
            ids[book.question(k).header]: v for k, v in question.asked_if.items()}, question.id
        if question.type in ("single", "checkbox"):
            assert set(drafted.options) == {o.raw for o in question.options}, question.id
            assert bool(drafted.other) == bool(question.other_label), question.id
            if drafted.order != BY_FREQUENCY:  # the other answer is « Autre » in a draft, named in the codebook
                assert [lv for lv in drafted.levels if lv != drafted.other] == [
                    lv for lv in question.levels if lv != question.other_label], question.id
    assert got["Quelle est votre profession ?"].order == BY_FREQUENCY
    assert got["À quelle fréquence utilisez-vous ces outils ?"].order.startswith("mots de fréquence")
    assert got["Quel est votre âge ?"].order == "classes de nombres"
    assert got["Comment jugez-vous l'intérêt de vos patients pour ces technologies ?"].order.startswith("échelle d'intensité")


# ------------------------------------------------------------------- files, config, refusal

CONFIG = """# My project's configuration: these comments must survive drafting.
studies:
  # studies go here

# waves, oldest first
waves:

seed: 7  # keep
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    (root / "workflow" / "schemas").mkdir(parents=True)
    (root / "workflow" / "schemas" / "config.schema.yaml").write_text(
        (ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def test_draft_study_writes_a_loadable_folder_and_declares_it(project):
    report = draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    assert "Cleaning the export with the draft: 48 analysed, 0 excluded, 0 quarantined." in report
    study = load_study("enquete", project / "data" / "studies" / "enquete")
    assert study.open_questions == ["commentaires"]
    assert [t.kind for t in study.plan.tables] == ["categorical", "scores", "grid_choice", "summary"]  # « Fréquence d'usage [...] » is a choice grid
    config_text = (project / "config.yaml").read_text(encoding="utf-8")
    for line in CONFIG.splitlines():
        assert line in config_text
    config = yaml.safe_load(config_text)
    assert config["studies"] == {"enquete": {"folder": "data/studies/enquete"}}
    assert config["waves"]["enquete_2025"] == {"study": "enquete", "label": "enquete_2025",
                                               "export": "data/raw/enquete_2025/export.csv"}
    assert (project / "data/raw/enquete_2025/export.csv").read_bytes() == FIXTURE.read_bytes()
    codebook = (project / "data/studies/enquete/codebook.yaml").read_text(encoding="utf-8")
    assert "# nombre : valeurs de 6 à 40 observées" in codebook
    assert '    asked_if: {utilisez_teleconsultation: "Oui"}' in codebook
    manifest = json.loads((project / "data/studies/enquete" / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"codebook.yaml", "analysis_plan.yaml", "figures.yaml",
                                      "categories/commentaires.yaml"}


def test_drafting_again_keeps_edits_unless_forced(project):
    draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    again = draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    assert "Written: nothing (the draft is unchanged)." in again
    assert (project / "config.yaml").read_text(encoding="utf-8").count("enquete_2025:") == 1
    codebook = project / "data/studies/enquete/codebook.yaml"
    edited = codebook.read_text(encoding="utf-8").replace("Questionnaire enquete", "Mon enquête")
    codebook.write_text(edited, encoding="utf-8")
    with pytest.raises(InputError, match=r"1 file\(s\) differ from what the drafter wrote .*codebook.yaml.*--force"):
        draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    assert codebook.read_text(encoding="utf-8") == edited
    draft_study(FIXTURE, "enquete", "enquete_2025", root=project, force=True)
    assert "Mon enquête" not in codebook.read_text(encoding="utf-8")


def test_a_hand_written_study_is_never_overwritten(project):
    folder = project / "data/studies/enquete"
    folder.mkdir(parents=True)
    (folder / "codebook.yaml").write_text("study: enquete\n", encoding="utf-8")
    with pytest.raises(InputError, match="codebook.yaml"):
        draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    assert (folder / "codebook.yaml").read_text(encoding="utf-8") == "study: enquete\n"
    assert not (project / "data/raw/enquete_2025").exists()


def test_another_export_under_the_same_wave_is_refused(project, tmp_path):
    draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    other = tmp_path / "other.csv"
    other.write_text(FIXTURE.read_text(encoding="utf-8").replace("Urgences", "Urgence"), encoding="utf-8")
    with pytest.raises(InputError, match="raw data are never overwritten"):
        draft_study(other, "enquete", "enquete_2025", root=project, force=True)


def test_the_console_command_reports_bad_names(project):
    result = subprocess.run([sys.executable, "-m", "surveykit.tools.draft", str(FIXTURE), "--study", "Mon étude",
                             "--wave", "w", "--root", str(project)], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 1
    assert "study name 'Mon étude': expected lower-case letters" in result.stderr


def test_the_fixture_export_is_regenerated_bit_for_bit(tmp_path):
    spec = importlib.util.spec_from_file_location("make_draft_fixture", FIXTURE.with_name("make_draft_fixture.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "draft_fixture.csv"
    module.write_csv(path, module.export_rows())
    assert path.read_bytes() == FIXTURE.read_bytes()


# ---------------------------------------------------------------------------- pipeline

DRAFTED = {"draft_these": ("data/raw/thesis_2025/export.csv", "draft_these_2025", 39),
           "draft_barometre": ("data/raw/barometre_2025/export.csv", "draft_barometre_2025", 760),
           "draft_fixture": ("tests/fixtures/exports/draft_fixture.csv", "draft_fixture_2025", 48)}


@pytest.fixture(scope="module")
def drafted_project(tmp_path_factory) -> Path:
    """The three exports drafted into a scratch project whose config holds only them, then `make` (snakemake)."""
    project = make_project(tmp_path_factory.mktemp("drafted"))
    (project / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for study, (export, wave, _n) in DRAFTED.items():
        draft_study(project / export, study, wave, root=project)
    snakemake(project)
    return project


@pytest.mark.pipeline
def test_make_builds_every_drafted_chapter_without_edits(drafted_project):
    for study, (_export, wave, n) in DRAFTED.items():
        build = drafted_project / "manuscript" / "build" / wave
        for name in ("resultats.md", "resultats.html", "resultats.docx"):
            assert (build / name).stat().st_size > 0, (wave, name)
        flow = json.loads((drafted_project / "results" / wave / "clean" / "flow.json").read_text(encoding="utf-8"))
        assert (flow["received"], flow["analysed"], flow["quarantined"], flow["excluded"]) == (n, n, {}, {})
        chapter = (build / "resultats.md").read_text(encoding="utf-8").replace("\u00a0", " ")
        assert "Table: Tableau 1 : Réponses aux questions fermées" in chapter
    fixture = (drafted_project / "manuscript/build/draft_fixture_2025/resultats.md").read_text(encoding="utf-8")
    assert "Votre satisfaction" in fixture and "Échelles et valeurs numériques" in fixture
    thesis = (drafted_project / "results/draft_these_2025/tables/tables.json").read_text(encoding="utf-8")
    assert "Rang 1" in thesis


def test_a_question_like_several_others_gets_one_note_naming_the_first_few():
    """A block of the form repeated 19 times wrote 19 « semble être la même question » notes on each of its
    questions (26 600 comment lines in the wide export's codebook); one note now names three and counts the rest."""
    from surveykit.tools.draft.infer import _twins_note

    one = _twins_note(["q_2"])
    assert one.startswith("semble être la même question que q_2, posée dans une autre branche") and "deux questions" in one
    three = _twins_note(["q_2", "q_5", "q_9"])
    assert three.startswith("semble être la même question que q_2, q_5 et q_9, posées dans d'autres branches")
    assert "ce sont donc ici quatre questions" in three
    many = _twins_note([f"q_{k}" for k in range(2, 21)])
    assert many.startswith("semble être la même question que q_2, q_3, q_4 et 16 autres, posées")
    assert "ici 20 questions" in many
