"""The questionnaire as data: questions, export headers, answer labels and skip logic."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .yamlio import load_validated, package_schema

GRID_TYPES = ("grid_rank", "grid_scale")
CHOICE_TYPES = ("single", "checkbox")


@dataclass(frozen=True)
class Option:
    raw: str
    label: str


@dataclass(frozen=True)
class Item:
    """One row of a grid question; it becomes one analysed variable."""

    id: str
    row: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    type: str
    required: bool
    header: str | None = None
    label: str | None = None
    section: str | None = None
    min: int | None = None
    max: int | None = None
    options: tuple[Option, ...] = ()
    other_label: str | None = None
    levels: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    branch_on: str | None = None
    branch_headers: dict[str, str] = field(default_factory=dict)
    asked_if: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    @property
    def other_variable(self) -> str | None:
        """Column holding the free text typed in the form's "Autre :" field."""
        return f"{self.id}_autre" if self.other_label else None

    @property
    def variables(self) -> list[str]:
        """Analysed columns this question produces, in display order."""
        names = [item.id for item in self.items] if self.type in GRID_TYPES else [self.id]
        if self.other_variable:
            names.append(self.other_variable)
        return names

    def headers(self) -> list[tuple[str | None, str]]:
        """(branch value or None, question header) pairs shown by the form."""
        if self.branch_on:
            return list(self.branch_headers.items())
        return [(None, self.header or "")]

    def columns(self, header_override: str | None = None) -> list[tuple[str | None, Item | None, str]]:
        """(branch, grid item, export header) for every export column of this question."""
        cols = []
        for branch, header in self.headers():
            header = header_override or header
            if self.type in GRID_TYPES:
                cols.extend((branch, item, f"{header} [{item.row}]") for item in self.items)
            else:
                cols.append((branch, None, header))
        return cols

    def alias_columns(self) -> list[tuple[str | None, Item | None, str]]:
        """Columns as other editions of the form title them (see `aliases`)."""
        return [col for alias in self.aliases for col in self.columns(alias)]

    def label_of(self, raw: str) -> str | None:
        """Canonical label of a raw option text, None when it is not a listed option."""
        for option in self.options:
            if option.raw == raw:
                return option.label
        return None

    def raw_of(self, label: str) -> str:
        """Raw option text to write for a canonical label (first option carrying it)."""
        for option in self.options:
            if option.label == label:
                return option.raw
        raise KeyError(f"question {self.id}: no option has the label {label!r}")


@dataclass(frozen=True)
class InclusionRule:
    variable: str
    reason: str
    not_missing: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    study: str
    title: str
    timestamp_headers: tuple[str, ...]
    identifying_headers: tuple[str, ...]
    inclusion: tuple[InclusionRule, ...]
    questions: tuple[Question, ...]
    source: str = ""

    def question(self, qid: str) -> Question:
        for question in self.questions:
            if question.id == qid:
                return question
        raise KeyError(qid)

    @property
    def variables(self) -> list[str]:
        """Every analysed column, in questionnaire order."""
        return [name for question in self.questions for name in question.variables]

    def variable_question(self) -> dict[str, Question]:
        """Map each analysed variable to the question that produces it."""
        return {name: question for question in self.questions for name in question.variables}


def _question(raw: dict) -> Question:
    branches = raw.get("branches") or {}
    return Question(
        id=raw["id"],
        number=raw["number"],
        type=raw["type"],
        required=raw["required"],
        header=raw.get("header"),
        label=raw.get("label"),
        section=raw.get("section"),
        min=raw.get("min"),
        max=raw.get("max"),
        options=tuple(Option(o["raw"], o["label"]) for o in raw.get("options", [])),
        other_label=(raw.get("other") or {}).get("label"),
        levels=tuple(raw.get("levels", [])),
        items=tuple(Item(i["id"], i["row"], i["label"]) for i in raw.get("items", [])),
        branch_on=branches.get("variable"),
        branch_headers=dict(branches.get("headers", {})),
        asked_if=dict(raw.get("asked_if", {})),
        aliases=tuple(raw.get("aliases", [])),
    )


def _check_consistency(book: Codebook) -> None:
    """Cross-field checks a JSON Schema cannot express."""
    seen: set[str] = set()
    by_id = {q.id: q for q in book.questions}
    for question in book.questions:
        where = f"{book.source}: question {question.number} ({question.id})"
        for name in question.variables:
            if name in seen:
                raise InputError(f"{where}: variable {name!r} is defined twice")
            seen.add(name)
        labels = {o.label for o in question.options} | ({question.other_label} if question.other_label else set())
        if question.type in CHOICE_TYPES and set(question.levels) != labels:
            raise InputError(
                f"{where}: `levels` {sorted(question.levels)} must list exactly the option labels {sorted(labels)}"
            )
        conditions = dict(question.asked_if)
        if question.branch_on:
            conditions[question.branch_on] = ""
        for variable in conditions:
            if variable not in by_id or by_id[variable].number >= question.number:
                raise InputError(f"{where}: skip logic refers to {variable!r}, which is not an earlier question")
        if question.branch_on:
            missing = set(question.branch_headers) - set(by_id[question.branch_on].levels)
            if missing:
                raise InputError(f"{where}: branch values {sorted(missing)} are not answers of {question.branch_on!r}")
    for rule in book.inclusion:
        if rule.variable not in seen:
            raise InputError(f"{book.source}: inclusion rule on unknown variable {rule.variable!r}")


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a questionnaire codebook (YAML, see data/study/codebook.yaml)."""
    raw = load_validated(path, package_schema("codebook.schema.yaml"))
    book = Codebook(
        study=raw["study"],
        title=raw["title"],
        timestamp_headers=tuple(raw["timestamp"]["headers"]),
        identifying_headers=tuple(raw.get("identifying_headers", [])),
        inclusion=tuple(
            InclusionRule(r["variable"], r["reason"], r.get("not_missing", False), tuple(r.get("allowed", [])))
            for r in raw.get("inclusion", [])
        ),
        questions=tuple(_question(q) for q in raw["questions"]),
        source=str(path),
    )
    _check_consistency(book)
    return book
