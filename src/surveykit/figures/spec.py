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
    return tuple(specs)
