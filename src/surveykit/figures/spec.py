"""figures.yaml as data, checked against the codebook and the analysis plan (no plotting library here)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from surveykit.analysis.plan import Plan
from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import CHOICE_TYPES, NUMERIC_TYPES, Codebook

# Figures drawn from the flow counts or the coded open answers can be drawn before the statistics.
COUNT_KINDS = ("flowchart", "categories")
TABLE_KINDS = {"bars": "categorical", "histogram": "summary", "scores": "scores", "diffusion": "categorical",
               "diverging": "grid_choice"}


@dataclass(frozen=True)
class FigureSpec:
    id: str
    kind: str
    caption: str
    section: str = "results"
    table: str | None = None
    variable: str | None = None
    question: str | None = None
    level: str | None = None
    order: str = "frequency"
    data: str | None = None
    axis_label: str | None = None
    number: int | None = None  # the publication's number, kept (see figure_numbers)

    @property
    def source(self) -> str:
        """"counts" when drawn from flow.json / counts.csv only, "statistics" when it reads the descriptives."""
        return "counts" if self.kind in COUNT_KINDS else "statistics"


def _check(spec: FigureSpec, book: Codebook, plan: Plan, where: str) -> None:
    """What the schema cannot say: the table, variable and question a figure names exist and fit its kind."""
    questions = book.variable_question()
    needed = {"bars": ("table", "variable"), "histogram": ("table", "variable"), "scores": ("table",), "diverging": ("table",),
              "diffusion": ("table", "variable", "level", "data"), "categories": ("question",)}
    for key in needed.get(spec.kind, ()):
        if getattr(spec, key) in (None, ""):
            raise InputError(f"{where}: a {spec.kind} figure needs `{key}`")
    if spec.kind in TABLE_KINDS:
        table = next((t for t in plan.tables if t.id == spec.table), None)
        if table is None:
            raise InputError(f"{where}: table {spec.table!r} is not in the analysis plan")
        if table.kind != TABLE_KINDS[spec.kind]:
            raise InputError(f"{where}: a {spec.kind} figure is drawn from a {TABLE_KINDS[spec.kind]} table; "
                             f"{spec.table!r} is a {table.kind} table")
        if spec.variable and spec.variable not in table.variables:
            raise InputError(f"{where}: variable {spec.variable!r} is not in table {spec.table!r}")
    if spec.kind == "bars" and questions[spec.variable].type not in CHOICE_TYPES:
        raise InputError(f"{where}: a bars figure shows a single-choice or multi-response question; "
                         f"{spec.variable!r} is {questions[spec.variable].type}")
    if spec.kind == "histogram" and questions[spec.variable].type not in NUMERIC_TYPES:
        raise InputError(f"{where}: a histogram shows a scale or a number; {spec.variable!r} is "
                         f"{questions[spec.variable].type}")
    if spec.kind == "diffusion" and spec.level not in questions[spec.variable].levels:
        raise InputError(f"{where}: {spec.level!r} is not a level of {spec.variable!r}")


@dataclass(frozen=True)
class ReferenceFigure:
    """A figure of the publication the pipeline does not draw (no data of the study): its number stays its own."""

    number: int
    caption: str
    source: str


def load_reference_figures(path: str | Path) -> tuple[ReferenceFigure, ...]:
    """The `reference_figures` of figures.yaml, by number."""
    return _reference_figures(load_validated(path, package_schema("figures.schema.yaml")))


def _reference_figures(raw: dict) -> tuple[ReferenceFigure, ...]:
    return tuple(sorted((ReferenceFigure(**entry) for entry in raw.get("reference_figures", [])),
                        key=lambda figure: figure.number))


def figure_numbers(specs, references, order: list[str], first: int) -> dict[str, int]:
    """The number of each figure of `order` (ids in chapter order): a figure with a published number keeps it;
    the others follow, in chapter order, the highest published number (drawn or not), or start at `first`
    when the study declares none."""
    declared = {spec.id: spec.number for spec in specs if spec.number is not None}
    taken = list(declared.values()) + [figure.number for figure in references]
    following = max(taken, default=first - 1) + 1
    numbers = {}
    for figure_id in order:
        if figure_id in declared:
            numbers[figure_id] = declared[figure_id]
        else:
            numbers[figure_id], following = following, following + 1
    return numbers


def _check_numbers(specs: list[FigureSpec], references, path) -> None:
    """No two figures share a published number."""
    seen: dict[int, str] = {}
    for name, number in [(spec.id, spec.number) for spec in specs] + [(f"reference figure « {f.caption} »", f.number)
                                                                      for f in references]:
        if number is None:
            continue
        if number in seen:
            raise InputError(f"{path}: figure number {number} is given to both {seen[number]} and {name} — "
                             "expected each published number once")
        seen[number] = name


def load_figures(path: str | Path, book: Codebook, plan: Plan) -> tuple[FigureSpec, ...]:
    """Read figures.yaml; every reference is checked (file and figure named in the message)."""
    raw = load_validated(path, package_schema("figures.schema.yaml"))
    specs, seen = [], set()
    for entry in raw["figures"]:
        where = f"{path}: figure {entry['id']}"
        if entry["id"] in seen:
            raise InputError(f"{where}: id defined twice")
        seen.add(entry["id"])
        spec = FigureSpec(**{key.replace("-", "_"): tuple(v) if isinstance(v, list) else v
                             for key, v in entry.items()})
        _check(spec, book, plan, where)
        specs.append(spec)
    _check_numbers(specs, _reference_figures(raw), path)  # (from the file read above: not read and checked twice)
    return tuple(specs)
