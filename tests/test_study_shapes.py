"""Every study shape builds: `make study` (surveykit.tools.draft) then the pipeline give md, html and docx for a
study with no open question, with only open questions, with a single question, and with a question nobody
answered; an optional checkbox question counted on those who answered (`denominator: answered`), years
printed as years, and tables and figures taken out of the plan removed from results/ (one scratch project,
one pipeline run, then one rerun)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pipeline_helpers import make_project, snakemake

from surveykit.tools.draft import draft_study

CONFIG = "studies:\n\nwaves:\n\nseed: 7\n"
N = 30
TOOLS = ["Messagerie sécurisée", "Agenda partagé", "Téléconsultation"]


def stamp(i: int) -> str:
    return f"{1 + i // 10:02d}/03/2025 {9 + i % 10:02d}:{(7 * i) % 60:02d}:00"


def export(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue()


def tools(i: int) -> str:
    """Every fifth respondent ticks nothing; the others the options of the low bits of i (none for 8, 16, 24)."""
    return "" if i % 5 == 0 else ", ".join(o for j, o in enumerate(TOOLS) if (i >> j) & 1)


SHAPES = {
    # no open question: a single choice, an optional multi-response question, an optional 0–10 scale, a year
    "fermees": export(["Horodateur", "Quel est votre sexe ?", "Quels outils utilisez-vous ?",
                       "Sur une échelle de 0 à 10, votre satisfaction ?", "Année d'installation"],
                      [[stamp(i), "Femme" if i % 3 else "Homme", tools(i), "" if i % 7 == 0 else str(i % 11),
                        str(1990 + i % 25)] for i in range(N)]),
    "ouvertes": export(["Horodateur", "Que pensez-vous de l'outil ?", "Commentaires libres"],
                       [[stamp(i), f"Réponse libre numéro {i} sur l'outil", "" if i % 2 else f"Remarque {i}"]
                        for i in range(N)]),
    "unique": export(["Horodateur", "Utilisez-vous la télé-expertise ?"],
                     [[stamp(i), "Oui" if i % 4 else "Non"] for i in range(N)]),
    "vide": export(["Horodateur", "Quel est votre sexe ?", "Votre âge ?", "Question que personne n'a remplie",
                    "Outils que personne n'a cochés", "Nombre que personne n'a donné"],
                   [[stamp(i), "Femme" if i % 3 else "Homme", str(30 + i), "", "", ""] for i in range(N)]),
}
# What the author of the study « vide » writes once the form is at hand: the three columns nobody answered
# (drafted as free text, the export showing nothing else) are a single choice, a multi-response question
# and a number, each in the plan and the last two with their figure.
EMPTY_QUESTIONS = {
    "question_personne_remplie": """    type: single
    required: false
    header: "Question que personne n'a remplie"
    options: [{raw: "A", label: "A"}, {raw: "B", label: "B"}]
    levels: ["A", "B"]""",
    "outils_personne_coches": """    type: checkbox
    required: false
    denominator: answered
    header: "Outils que personne n'a cochés"
    options: [{raw: "X", label: "X"}, {raw: "Y", label: "Y"}]
    levels: ["X", "Y"]""",
    "nombre_personne_donne": "    type: number\n    required: false\n    header: \"Nombre que personne n'a donné\"",
}


def complete_empty_study(study: Path) -> None:
    codebook = (study / "codebook.yaml").read_text(encoding="utf-8")
    for qid, entry in EMPTY_QUESTIONS.items():
        drafted = re.search(rf"  - id: {qid}\n    number: \d+\n(    type: text\n    required: false\n    header: .*\n)",
                            codebook)
        assert drafted, (qid, codebook)
        codebook = codebook.replace(drafted.group(1), entry + "\n")
        (study / "categories" / f"{qid}.yaml").unlink()
    (study / "codebook.yaml").write_text(codebook, encoding="utf-8")
    plan = (study / "analysis_plan.yaml").read_text(encoding="utf-8")
    plan = plan.replace("variables: [sexe]", "variables: [sexe, question_personne_remplie, outils_personne_coches]")
    plan = plan.replace("variables: [age]", "variables: [age, nombre_personne_donne]")
    (study / "analysis_plan.yaml").write_text(plan, encoding="utf-8")
    with (study / "figures.yaml").open("a", encoding="utf-8") as figures:
        figures.write('  - {id: fig_outils, kind: bars, table: questions_fermees, variable: outils_personne_coches, '
                      'caption: "Outils"}\n  - {id: fig_nombre, kind: histogram, table: valeurs_numeriques, '
                      'variable: nombre_personne_donne, caption: "Nombre"}\n')


@pytest.fixture(scope="module")
def shapes_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    project = make_project(root)
    (project / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for name, text in SHAPES.items():
        path = root / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        draft_study(path, f"etude_{name}", f"vague_{name}", root=project)
    # The author counts the optional multi-response question on those who answered it.
    codebook = project / "data/studies/etude_fermees/codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    assert re.search(r"id: outils_utilisez\n    number: \d+\n    type: checkbox\n", text), text
    codebook.write_text(text.replace("    type: checkbox\n", "    type: checkbox\n    denominator: answered\n"),
                        encoding="utf-8")
    complete_empty_study(project / "data/studies/etude_vide")
    snakemake(project)
    return project


def chapter(project: Path, name: str) -> str:
    return (project / f"manuscript/build/vague_{name}/resultats.md").read_text(encoding="utf-8").replace("\u00a0", " ")


@pytest.mark.pipeline
@pytest.mark.parametrize("name", SHAPES)
def test_every_shape_builds_md_html_and_docx(shapes_project, name):
    build = shapes_project / "manuscript" / "build" / f"vague_{name}"
    for suffix in ("md", "html", "docx"):
        assert (build / f"resultats.{suffix}").stat().st_size > 0, (name, suffix)
    flow = json.loads((shapes_project / f"results/vague_{name}/clean/flow.json").read_text(encoding="utf-8"))
    assert (flow["received"], flow["analysed"]) == (N, N)
    text = chapter(shapes_project, name)
    assert "Les 30 questionnaires reçus ont tous été analysés." in text
    # front matter escaped as every text from data (an underscore would start emphasis), printed as typed
    assert text.startswith(f'---\ntitle: "Questionnaire etude&#95;{name}"\nsubtitle: "vague&#95;{name}"\n')
    paragraphs = [p.text for p in docx.Document(str(build / "resultats.docx")).paragraphs]
    assert paragraphs[:3] == [f"Questionnaire etude_{name}", f"vague_{name}", "Résultats"]


@pytest.mark.pipeline
def test_a_study_of_closed_questions_only(shapes_project):
    text = chapter(shapes_project, "fermees")
    # 21 of 30 ticked an option (blank: i multiple of 5, and i = 8, 16, 24 whose three low bits are 0);
    # Messagerie sécurisée (bit 0): the 15 odd i less 5, 15, 25 → 12 of 21 = 57,1 %
    assert re.search(r"\| Quels outils utilisez-vous(?: \?)? \| Messagerie sécurisée \| 12 \(57,1 %\) \|", text)
    assert "|  | Non renseigné | 9 |" in text
    assert "chaque option est comptée parmi les répondants ayant coché au moins une option" in text
    assert "21 répondants ayant coché au moins une option" in text
    assert re.search(r"Figure 2\. Quels outils utilisez-vous(?: \?)? \(n = 21\)", text)
    # years are whole: mean 2000.3, median 1999.5, quartiles 1993.25 and 2006.75
    assert "| Année d'installation | 30 | 2000 ± 8 | 2000 [1993–2007] |" in text
    # one precision for every percentage: 66,7 % beside 57,1 %, never a whole « 50 % »
    assert not re.search(r"\b\d+ %", re.sub(r"\d+,\d %", "", text.replace("peut dépasser 100 %", "")))
    counts = (shapes_project / "results/vague_fermees/recoding/counts.csv").read_text(encoding="utf-8")
    assert counts.splitlines() == ["question,category,label,n,n_answers,pct,definition,substantive,n_asked"]  # none
    figures = shapes_project / "results/vague_fermees/figures"
    assert (figures / "fig_echelle_0_10.png").stat().st_size > 0  # the optional scale's histogram
    assert "(n = 25)" in text.split("fig_echelle_0_10")[0].rsplit("![", 1)[1]  # 5 left it blank


@pytest.mark.pipeline
def test_a_study_of_open_questions_only(shapes_project):
    review = (shapes_project / "results/vague_ouvertes/recoding/to_review.csv").read_text(encoding="utf-8")
    assert len(review.splitlines()) == 1 + N + N // 2  # every distinct answer waits to be coded
    assert (shapes_project / "results/vague_ouvertes/tables/tables.json").read_text(encoding="utf-8").strip() == "{}"
    text = chapter(shapes_project, "ouvertes")
    assert ("## 2 Réponses ouvertes\n\nLes réponses aux questions ouvertes « Que pensez-vous de l'outil » et "
            "« Commentaires libres » restent à coder.") in text
    sheet = load_workbook(shapes_project / "results/vague_ouvertes/recoding/coding_sheet.xlsx", read_only=True)
    notes = [row[0] for row in sheet["consignes"].iter_rows(values_only=True)]
    sheet.close()
    assert "sous data/studies/etude_ouvertes/coding/vague_ouvertes/<codeur>_main.csv" in notes[-1]


@pytest.mark.pipeline
def test_questions_nobody_answered(shapes_project):
    text = chapter(shapes_project, "vide")
    for line in ("| Question que personne n'a remplie | A | 0 |", "|  | B | 0 |", "|  | Non renseigné | 30 |",
                 "| Outils que personne n'a cochés | X | 0 |", "| Nombre que personne n'a donné | 0 |  |  |",
                 "- Question que personne n'a remplie : aucune réponse.",
                 "- Outils que personne n'a cochés : aucune réponse.", "- Nombre que personne n'a donné : aucune réponse.",
                 "Figure 2. Outils (n = 0)", "Figure 3. Nombre (n = 0)"):
        assert line in text, line
    assert "()" not in text
    assert "Les réponses à la question ouverte" not in text  # every open question of « vide » became closed
    figures = shapes_project / "results/vague_vide/figures"
    assert (figures / "fig_outils.png").stat().st_size > 0 and (figures / "fig_nombre.png").stat().st_size > 0


@pytest.mark.pipeline
def test_outputs_follow_the_plan_after_an_edit(shapes_project):
    """Taking the numbers table and the scale's histogram out of the plan removes their files on the next run;
    a file the user put in results/ stays."""
    study = shapes_project / "data/studies/etude_fermees"
    plan = (study / "analysis_plan.yaml").read_text(encoding="utf-8")
    kept, _numbers = plan.split("  - id: valeurs_numeriques")
    (study / "analysis_plan.yaml").write_text(kept, encoding="utf-8")
    figures = (study / "figures.yaml").read_text(encoding="utf-8")
    (study / "figures.yaml").write_text("\n".join(line for line in figures.splitlines()
                                                  if "valeurs_numeriques" not in line) + "\n", encoding="utf-8")
    results = shapes_project / "results/vague_fermees"
    (results / "tables" / "mes_notes.txt").write_text("à moi", encoding="utf-8")
    assert (results / "tables/valeurs_numeriques.csv").exists()
    snakemake(shapes_project)
    assert sorted(p.name for p in (results / "tables").iterdir()) == ["manifest.json", "mes_notes.txt",
                                                                      "questions_fermees.csv",
                                                                      "questions_fermees.excel.csv", "tableaux.xlsx",
                                                                      "tables.json"]
    assert sorted(p.name for p in (results / "figures").iterdir()) == [
        "counts.manifest.json", "fig_outils_utilisez.png", "fig_outils_utilisez.svg", "flux.png", "flux.svg",
        "statistics.manifest.json"]
