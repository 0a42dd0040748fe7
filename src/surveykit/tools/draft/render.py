"""The drafted study as YAML text with comments: codebook, analysis plan, figures, category codebooks.

The YAML is written as text (strings JSON-quoted, which YAML reads as double-quoted scalars) so that each
guess can carry its comment; every file is read back and validated by surveykit.project.study.load_study before
the drafter reports success.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re

import yaml

from surveykit.core.yamlio import package_schema

from .infer import Guess, StudyGuess, _masked
from .levels import is_off_scale

WRAP = 110


@dataclasses.dataclass(frozen=True)
class Engine:
    """What the engine's schemas accept, so that a draft always loads: a grid of choices is one `grid_choice`
    question when the engine has that type (else one single-choice question per row), a multi-response
    question carries `denominator:` when the engine reads it, and a study with no table is drafted when the
    analysis plan may have none."""

    grid_choice: bool = True
    denominator: bool = True
    empty_plan: bool = True
    non_substantive: bool = True  # grid_choice: the levels outside the scale listed apart
    grid_choice_table: bool = True  # the plan's `kind: grid_choice` table (else a categorical table of the rows)
    diverging: bool = True  # the figures' `kind: diverging` (a grid of choices as diverging stacked bars)
    resubmissions: bool = True  # the codebook's `resubmissions:` (which submission of a respondent is analysed)


@functools.lru_cache(maxsize=1)
def engine() -> Engine:
    codebook = yaml.safe_load(package_schema("codebook.schema.yaml").read_text(encoding="utf-8"))
    question = codebook["properties"]["questions"]["items"]["properties"]
    plan = yaml.safe_load(package_schema("analysis_plan.schema.yaml").read_text(encoding="utf-8"))
    table = plan["properties"]["tables"]["items"]["properties"]
    figures = yaml.safe_load(package_schema("figures.schema.yaml").read_text(encoding="utf-8"))
    figure_kinds = figures["properties"]["figures"]["items"]["properties"]["kind"]["enum"]
    return Engine(grid_choice="grid_choice" in question["type"]["enum"],
                  denominator="denominator" in question,
                  empty_plan=plan["properties"]["tables"].get("minItems", 0) == 0,
                  non_substantive="non_substantive" in question,
                  grid_choice_table="grid_choice" in table["kind"]["enum"],
                  diverging="diverging" in figure_kinds,
                  resubmissions="resubmissions" in codebook["properties"])


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow_list(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def comment_lines(text: str, indent: str) -> list[str]:
    """A comment wrapped at WRAP columns, never between a guillemet and the word it opens or closes."""
    return list(_wrapped(text, indent))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, indent: str) -> tuple[str, ...]:
    """The lines of a comment, each distinct note wrapped once (a wide export's notes repeat: 28 000 notes,
    1 800 distinct, on 2 000 columns)."""
    lines, line = [], ""
    for word in re.split(r"(?<!«)\s+(?!»)", text.strip()):
        if line and len(indent) + 2 + len(line) + 1 + len(word) > WRAP:
            lines.append(f"{indent}# {line}")
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(f"{indent}# {line}")
    return tuple(lines)


# ------------------------------------------------------------------------------------------ codebook

def _question_lines(guess: Guess, features: Engine) -> list[str]:
    lines = []
    for note in guess.notes:
        lines += comment_lines(_masked(note), "  ")
    lines += [f"  - id: {guess.id}", f"    number: {guess.number}", f"    type: {guess.type}",
              f"    required: {'true' if guess.required else 'false'}"]
    if guess.asked_if:
        lines.append("    asked_if: {" + ", ".join(f"{k}: {q(v)}" for k, v in guess.asked_if.items()) + "}")
    lines.append(f"    header: {q(guess.header)}")
    if guess.occurrence > 1:
        lines.append(f"    occurrence: {guess.occurrence}")
    if guess.label:
        lines.append(f"    label: {q(guess.label)}")
    if guess.min is not None:
        lines += [f"    min: {guess.min}", f"    max: {guess.max}"]
    if guess.unit:
        lines.append(f"    unit: {q(guess.unit)}")
    if guess.type == "date" and guess.date_order == "month-first":
        lines.append("    date_order: month-first")
    if guess.denominator and features.denominator:
        lines.append(f"    denominator: {guess.denominator}")
    if guess.options:
        lines.append("    options:")
        lines += [f"      - {{raw: {q(o)}, label: {q(o)}}}" for o in guess.options]
    if guess.other:
        lines.append(f"    other: {{label: {q(guess.other)}}}")
    if guess.levels:
        lines.append(f"    levels: {flow_list(guess.levels)}" + (f"   # ordre : {guess.order}" if guess.order else ""))
    off_scale = [level for level in guess.levels if is_off_scale(level)]
    if guess.type == "grid_choice" and off_scale and features.non_substantive:
        lines.append(f"    non_substantive: {flow_list(off_scale)}")
    if guess.items:
        lines.append("    items:")
        lines += [f"      - {{id: {item}, row: {q(row)}, label: {q(row)}}}" for item, row in guess.items]
    return lines


def expand_choice_grids(draft: StudyGuess, features: Engine) -> StudyGuess:
    """The draft as the engine can read it: without the `grid_choice` type, a grid of choices becomes one
    single-choice question per row (same answers for every row), as drafts did before that type."""
    if features.grid_choice or not any(g.type == "grid_choice" for g in draft.questions):
        return draft
    questions = []
    for guess in draft.questions:
        if guess.type != "grid_choice":
            questions.append(guess)
            continue
        for (item, row), column in zip(guess.items, guess.columns):
            questions.append(Guess(
                item, "single", f"{guess.header} [{row}]", [column], required=guess.required, options=list(guess.options),
                levels=list(guess.levels), order=guess.order, asked_if=dict(guess.asked_if), grid=guess.id, label=row,
                notes=[*guess.notes, f"ligne « {row} » de la grille « {guess.header} » : ce moteur n'a pas le type "
                                     "`grid_choice`, chaque ligne est donc une question à choix unique"]))
    for number, guess in enumerate(questions, start=1):
        guess.number = number
    return dataclasses.replace(draft, questions=questions)


def codebook_text(draft: StudyGuess, study: str, source: str, features: Engine | None = None) -> str:
    features = features or engine()
    lines = [
        f"# Brouillon du codebook de l'étude `{study}`, écrit par `make study` (python -m surveykit.tools.draft) à partir de",
        f"# {source} ({draft.n_rows} réponses). Une question par colonne, lignes de grille regroupées ; les ids viennent",
        "# des intitulés, les libellés des options sont les réponses telles que l'export les écrit. Chaque supposition",
        "# incertaine porte un commentaire qui dit pourquoi : la vérifier sur le formulaire. `required: true` : tous les",
        "# répondants interrogés ont répondu. Schéma et types : src/surveykit/schemas/codebook.schema.yaml ; README,",
        "# \"Start a new study\".",
        f"study: {study}",
        f"title: {q('Questionnaire ' + study)}   # absent de l'export : écrire le titre du questionnaire",
        "# Comment le chapitre nomme les répondants (par ex. « professionnel de santé ») :",
        f"respondents: {{singular: {q('répondant')}, plural: {q('répondants')}, feminine: false}}",
        "timestamp:",
        f"  headers: {flow_list([draft.timestamp] if draft.timestamp else ['Horodateur', 'Timestamp'])}",
    ]
    if draft.incomplete:
        lines += [f"  # {draft.incomplete} lignes sans date de soumission : réponses abandonnées avant la fin, écartées "
                  "(« réponse incomplète »)",
                  "  incomplete_if_empty: true"]
    if draft.identifying:
        lines += ["# Colonnes qui identifient une personne : écartées à la lecture, jamais analysées.",
                  f"identifying_headers: {flow_list(draft.identifying)}"]
    if draft.resubmissions and features.resubmissions:
        lines += comment_lines(draft.resubmissions.note, "")
        lines.append(f"resubmissions: {{key: {q(draft.resubmissions.key)}, keep: {draft.resubmissions.keep}}}")
    if draft.test_answers:
        lines += ["# Réponses de test : une ligne dont une cellule vaut l'une d'elles est écartée (« réponse de test »).",
                  f"test_answers: {flow_list(draft.test_answers)}"]
    lines.append("questions:")
    for guess in draft.questions:
        lines += _question_lines(guess, features)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- analysis plan

def _closed(draft: StudyGuess) -> list[Guess]:
    return [g for g in draft.questions if g.type in ("single", "checkbox") and not g.grid]


def _numeric(draft: StudyGuess) -> list[Guess]:
    return [g for g in draft.questions if g.type in ("scale", "number")]


def _choice_grids(draft: StudyGuess) -> dict[str, list[Guess]]:
    grids: dict[str, list[Guess]] = {}
    for guess in draft.questions:
        if guess.grid and guess.type in ("single", "checkbox"):
            grids.setdefault(guess.grid, []).append(guess)
    return grids


def _table(lines: list[str], table_id: str, section: str | None, title: str, kind: str,
           rest: list[str]) -> None:
    """One table entry (tables are numbered by the chapter in the order it shows them)."""
    lines += [f"  - id: {table_id}"]
    if section:
        lines.append(f"    section: {q(section)}")
    lines += [f"    title: {q(title)}", f"    kind: {kind}", *[f"    {r}" for r in rest]]


def heading(header: str) -> str:
    """A header as a table title or figure caption: on one line, without the colon that introduced the answers
    (« Les outils améliorent-ils, selon vous : » -> « Les outils améliorent-ils, selon vous »); a question mark
    stays."""
    return re.sub(r"\s+", " ", header).strip().rstrip(":").rstrip()


def has_tables(draft: StudyGuess) -> bool:
    """Whether the plan gets a table: a closed, numeric or grid question (else `tables: []`)."""
    return any(g.type != "text" and g.type != "date" for g in draft.questions)


def plan_text(draft: StudyGuess, study: str, features: Engine | None = None) -> str:
    features = features or engine()
    closed, numeric = _closed(draft), _numeric(draft)
    opened = [g for g in draft.questions if g.type == "text"]
    singles = [g for g in closed if g.type == "single" and 2 <= len(g.levels) <= 6]
    lines = [
        f"# Brouillon du plan d'analyse de `{study}` (écrit par `make study`) : les questions fermées en un tableau,",
        "# un tableau par grille, les nombres et échelles résumés. Ensuite, d'ordinaire : découper le premier tableau",
        "# par thème, comparer des groupes avec `by:` (une variable à choix unique, éventuellement dérivée dans le",
        "# codebook)" + (f", par ex. `by: {singles[0].id}`" if singles else "") + ", et nommer les variables dans",
        "# `variable_labels`. Schéma : src/surveykit/schemas/analysis_plan.schema.yaml.",
    ]
    lines += ["# Un tableau comparant des groupes (`by:`) montre aussi l'ensemble des répondants (colonne « Ensemble ») ;",
              "# `overall: false` dans un tableau l'en dispense.", "overall_default: true"]
    if opened:
        lines += comment_lines("Questions ouvertes, recodées d'après leurs catégories (categories/<id>.yaml) : "
                               + ", ".join(g.id for g in opened) + ".", "")
    lines.append("tables:")
    number = 0
    if closed:
        number += 1
        _table(lines, "questions_fermees", "Réponses aux questions fermées",
               "Réponses aux questions fermées", "categorical",
               ["variables: [" + ", ".join(g.id for g in closed) + "]"])
    for grid in (g for g in draft.questions if g.type in ("grid_scale", "grid_rank")):
        number += 1
        if grid.type == "grid_scale":
            rest = [f"grid: {grid.id}", "order: mean_desc", f"row_header: {q('Item')}"]
            _table(lines, grid.id, heading(grid.header), heading(grid.header), "scores", rest)
        else:
            rest = [f"grid: {grid.id}", f"ranks: [1, {grid.max}]", f"row_header: {q('Item')}",
                    f"rank_header: {q('Rang')}", f"rank_text: {q('Rang {rank}')}"]
            _table(lines, grid.id, heading(grid.header), heading(grid.header), "ranks", rest)
    for grid in (g for g in draft.questions if g.type == "grid_choice"):
        number += 1
        if features.grid_choice_table:
            _table(lines, grid.id, heading(grid.header), heading(grid.header), "grid_choice", [f"grid: {grid.id}"])
        else:
            _table(lines, grid.id, heading(grid.header), heading(grid.header), "categorical",
                   ["variables: [" + ", ".join(item for item, _row in grid.items) + "]"])
    for grid_id, rows in _choice_grids(draft).items():
        number += 1
        stem = heading(rows[0].header.rsplit(" [", 1)[0])
        _table(lines, grid_id, stem, stem, "categorical", ["variables: [" + ", ".join(g.id for g in rows) + "]"])
    if numeric:
        number += 1
        _table(lines, "valeurs_numeriques", "Échelles et valeurs numériques", "Échelles et valeurs numériques",
               "summary", ["variables: [" + ", ".join(g.id for g in numeric) + "]"])
    if number == 0:
        lines[-1] = "tables: []   # aucune question fermée, numérique ou en grille : les questions ouvertes sont recodées (categories/)"
    return "\n".join(lines) + "\n"


def figures_text(draft: StudyGuess, study: str, features: Engine | None = None) -> str:
    features = features or engine()
    lines = [f"# Brouillon des figures de `{study}` (écrit par `make study`) : le diagramme de flux, un diagramme en",
             "# barres par question à réponses multiples, des barres divergentes par grille à choix multiples, un",
             "# histogramme par échelle linéaire. Schéma : src/surveykit/schemas/figures.schema.yaml.",
             "figures:", f"  - {{id: flux, kind: flowchart, caption: {q('Diagramme de flux des répondants')}}}"]
    for guess in _closed(draft):
        if guess.type == "checkbox":
            lines.append(f"  - {{id: fig_{guess.id}, kind: bars, table: questions_fermees, "
                         f"variable: {guess.id}, order: frequency, caption: {q(heading(guess.header))}}}")
    for guess in draft.questions:
        if guess.type == "grid_choice" and features.diverging:
            lines.append(f"  - {{id: fig_{guess.id}, kind: diverging, table: {guess.id}, "
                         f"caption: {q(heading(guess.header))}}}")
    for guess in _numeric(draft):
        if guess.type == "scale":
            lines.append(f"  - {{id: fig_{guess.id}, kind: histogram, table: valeurs_numeriques, "
                         f"variable: {guess.id}, caption: {q(heading(guess.header))}}}")
    return "\n".join(lines) + "\n"


def categories_text(guess: Guess, draft: StudyGuess) -> str:
    population = "all" if not guess.asked_if else " ; ".join(f"{k} = {v}" for k, v in guess.asked_if.items())
    lines = [f"# Catégories de la question ouverte « {guess.header} » (brouillon de `make study` : aucune",
             "# catégorie encore, chaque réponse est donc listée dans results/<wave>/recoding/to_review.csv et",
             "# coding_sheet.xlsx). Ajouter des catégories (schéma : src/surveykit/schemas/categories.schema.yaml),",
             "# puis coder les réponses.",
             f"question: {guess.id}", f"number: {guess.number}", f"title: {q(guess.header)}", "version: 1",
             f"population: {q(population)}", f"text_variable: {guess.id}", "categories: []", "rules: []"]
    return "\n".join(lines) + "\n"


def study_files(draft: StudyGuess, study: str, source: str, features: Engine | None = None) -> dict[str, str]:
    """Relative path -> text of every drafted file of the study folder."""
    features = features or engine()
    draft = expand_choice_grids(draft, features)
    files = {"codebook.yaml": codebook_text(draft, study, source, features),
             "analysis_plan.yaml": plan_text(draft, study, features), "figures.yaml": figures_text(draft, study, features)}
    for guess in draft.questions:
        if guess.type == "text":
            files[f"categories/{guess.id}.yaml"] = categories_text(guess, draft)
    return files
