"""The analysis plan as data, checked against the codebook."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook
from ..errors import InputError
from ..yamlio import load_validated, package_schema


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    kind: str
    variables: tuple[str, ...]
    number: int | None = None
    grid: str | None = None
    by: str | None = None
    test: str = "auto"
    order: str = "questionnaire"
    ranks: tuple[int, ...] = ()
    hide_empty_levels: bool = False


@dataclass(frozen=True)
class Plan:
    tables: tuple[TableSpec, ...]
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)

    def group_label(self, by: str | None, level: str) -> str:
        return self.group_labels.get(by or "", {}).get(level, level)

    def table(self, table_id: str) -> TableSpec:
        return next(t for t in self.tables if t.id == table_id)


def _spec(raw: dict, book: Codebook) -> TableSpec:
    grid = raw.get("grid")
    variables = tuple(raw.get("variables") or [item.id for item in book.question(grid).items])
    return TableSpec(id=raw["id"], title=raw["title"], kind=raw["kind"], variables=variables,
                     number=raw.get("number"), grid=grid, by=raw.get("by"), test=raw.get("test", "auto"),
                     order=raw.get("order", "questionnaire"), ranks=tuple(raw.get("ranks", [])),
                     hide_empty_levels=raw.get("hide_empty_levels", False))


def load_plan(path: str | Path, book: Codebook) -> Plan:
    """Load the plan; every variable, grid and grouping must exist in the codebook."""
    raw = load_validated(path, package_schema("analysis_plan.schema.yaml"))
    known = set(book.variables)
    grids = {q.id for q in book.questions if q.items}
    for table in raw["tables"]:
        where = f"{path}: table {table['id']}"
        if table.get("grid") and table["grid"] not in grids:
            raise InputError(f"{where}: grid {table['grid']!r} is not a grid question of the codebook")
        for name in [*table.get("variables", []), *([table["by"]] if table.get("by") else [])]:
            if name not in known:
                raise InputError(f"{where}: variable {name!r} is not in the codebook {book.source}")
    return Plan(tables=tuple(_spec(t, book) for t in raw["tables"]),
                group_labels=raw.get("group_labels", {}), variable_labels=raw.get("variable_labels", {}))
