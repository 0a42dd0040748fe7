"""A study is a folder of data: the questionnaire and everything that says how to analyse and report it.

    <folder>/codebook.yaml          questionnaire: questions, export headers, answer labels, skip logic,
                                    derived variables (schema: schemas/codebook.schema.yaml)
    <folder>/analysis_plan.yaml     tables, groupings, tests (schemas/analysis_plan.schema.yaml)
    <folder>/figures.yaml           figures of the chapter (schemas/figures.schema.yaml)
    <folder>/categories/<q>.yaml    one category codebook per open question (schemas/categories.schema.yaml)
    <folder>/coding/<wave>/*.csv    coding decisions of the open answers, one file per coder
    <folder>/resultats.md.j2        optional: the study's own chapter template (else the generic one)
    <folder>/evolution.md.j2        optional: the study's own cross-wave template (else the generic one)
    <folder>/published/<wave>.yaml  optional: numbers a publication printed, for the reproduction report

This module is imported when Snakemake parses the workflow, so it stays light (no pandas): it only
reads and checks the study's YAML files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from surveykit.analysis.plan import Plan, load_plan
from surveykit.core.errors import InputError
from surveykit.figures.spec import FigureSpec, load_figures
from surveykit.questionnaire.codebook import Codebook, load_codebook

CODEBOOK = "codebook.yaml"
PLAN = "analysis_plan.yaml"
FIGURES = "figures.yaml"
CATEGORIES = "categories"
CODING = "coding"
TEMPLATE = "resultats.md.j2"
EVOLUTION_TEMPLATE = "evolution.md.j2"
MAIN_CODER_SUFFIX = "_main"


@dataclass(frozen=True)
class Study:
    name: str
    folder: Path
    codebook: Codebook
    plan: Plan
    figures: tuple[FigureSpec, ...]

    def path(self, name: str) -> str:
        return str(self.folder / name)

    @property
    def category_files(self) -> list[str]:
        """One category codebook per open question, in file-name order."""
        return sorted(str(p) for p in (self.folder / CATEGORIES).glob("*.yaml"))

    def template(self, generic: str) -> str:
        """The study's own chapter template when it ships one, else the generic template."""
        own = self.folder / TEMPLATE
        return str(own) if own.is_file() else generic

    def evolution_template(self, generic: str) -> str:
        own = self.folder / EVOLUTION_TEMPLATE
        return str(own) if own.is_file() else generic

    def coding_folder(self, wave: str) -> str:
        """Where a wave's coding decisions are committed (data/studies/<study>/coding/<wave>)."""
        return str(self.folder / CODING / wave)

    def coding_files(self, wave: str) -> list[str]:
        """Committed coding decisions of a wave (one CSV per coder), possibly none yet."""
        folder = self.folder / CODING / wave
        return sorted(str(p) for p in folder.glob("*.csv")) if folder.is_dir() else []

    def main_coding_files(self, wave: str) -> list[str]:
        """The main coder's decisions of a wave (file name ending in _main.csv)."""
        return [f for f in self.coding_files(wave) if Path(f).stem.endswith(MAIN_CODER_SUFFIX)]

    @property
    def table_ids(self) -> list[str]:
        return [table.id for table in self.plan.tables]

    def figure_ids(self, source: str) -> list[str]:
        """Ids of the figures drawn from `source` ("counts" or "statistics"), sorted."""
        return sorted(f.id for f in self.figures if f.source == source)

    @property
    def data_files(self) -> list[str]:
        """Data files the study's figures read (reference points of a study-specific figure)."""
        return sorted({self.path(f.data) for f in self.figures if f.data})

    @property
    def open_questions(self) -> list[str]:
        """Every question whose answers are recoded: each category codebook of the folder."""
        return [Path(p).stem for p in self.category_files]


def _check_open_questions(study: Study) -> None:
    """Every open question of the codebook has its category codebook (so it is recoded, figure or not)."""
    have = set(study.open_questions)
    missing = [q.id for q in study.codebook.questions if q.type == "text" and q.id not in have]
    if missing:
        raise InputError(
            f"{study.folder / CATEGORIES}: no category codebook for the open question(s) {', '.join(missing)}; "
            f"expected one file per open question, e.g. {CATEGORIES}/{missing[0]}.yaml (it may list no category yet)")
    unknown = sorted(have - set(study.codebook.variables))
    if unknown:
        raise InputError(f"{study.folder / CATEGORIES}: category codebook(s) for unknown question(s) {unknown}; "
                         f"expected ids of {study.codebook.source}")


def check_wave_editions(study: Study, waves: list[str]) -> None:
    """Each wave's form edition (codebook `since`/`until`) still fits the plan and the figures: a figure drawn
    from a question or a table a wave does not have is refused now, naming the wave, not in a job."""
    from surveykit.core.yamlio import load_validated, package_schema
    from surveykit.questionnaire.codebook import _build, check_editions, edition_of

    check_editions(study.codebook, waves)
    if not any(q.since or q.until or any(o.since or o.until for o in q.options) for q in study.codebook.questions):
        return  # one edition for every wave: the study's files were checked as they are
    raw = load_validated(study.folder / CODEBOOK, package_schema("codebook.schema.yaml"))
    for wave in waves:
        try:
            book = _build(edition_of(raw, wave, waves, str(study.folder / CODEBOOK)), str(study.folder / CODEBOOK))
            load_figures(study.folder / FIGURES, book, load_plan(study.folder / PLAN, book))
        except InputError as exc:
            raise InputError(f"wave {wave!r}, whose form is the edition of {study.folder / CODEBOOK} without the "
                             f"questions and options outside their `since`/`until`: {exc}; expected every figure to "
                             "be drawn from a question this wave asks (give the figure's question the same "
                             "`since`/`until`, or draw it from another table)") from None


def load_study(name: str, folder: str | Path) -> Study:
    """Read and cross-check the study files of `folder` (codebook, plan, figures, category codebooks)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: study folder of {name!r} not found; declare it in config.yaml (studies: … folder:)")
    book = load_codebook(folder / CODEBOOK)
    plan = load_plan(folder / PLAN, book)
    figures = load_figures(folder / FIGURES, book, plan)
    study = Study(name, folder, book, plan, figures)
    _check_open_questions(study)
    for figure in figures:
        if figure.data and not (folder / figure.data).is_file():
            raise InputError(f"{folder / FIGURES}: figure {figure.id}: data file {figure.data!r} not found in {folder}")
    return study
