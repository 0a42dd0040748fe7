"""Numbers a publication prints, loaded with their printed precision.

The published numbers of a wave (data/studies/<study>/published/<wave>.yaml) are kept as the printed text
("0,0065", "56,4", "3"): the number of decimals tells how precise the number is, which the
audit (surveykit.reproduction.audit) and the comparison with recomputed results need. A table may print
fewer decimals than it rounds to (R prints round(2.96, 1) as "3"): the file's `precision`
section gives, per table, the decimals it rounds to, and `PubNumber.round_to` carries it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import jsonschema

from surveykit.core.errors import InputError
from surveykit.core.printed import PubNumber, ref_table
from surveykit.core.yamlio import load_yaml, package_schema
from surveykit.questionnaire.codebook import GRID_TYPES, Codebook

KINDS = ("count", "rank_count", "category_count", "answer_count", "mean_sd", "p_value")
COUNT_KINDS = ("count", "rank_count", "category_count", "answer_count")
NUMBER_FIELDS = ("n", "pct", "mean", "sd", "p")
NEAR_MARGIN = 5  # « près de X % » reads as: at most X, and at most this many points below it


@dataclass(frozen=True)
class Bounds:
    """The values a qualified percentage admits; None where it states no bound (strict: the bound is excluded)."""

    low: Any = None
    high: Any = None
    low_strict: bool = False
    high_strict: bool = False

    def admit(self, value) -> bool:
        above = self.low is None or (value > self.low if self.low_strict else value >= self.low)
        below = self.high is None or (value < self.high if self.high_strict else value <= self.high)
        return above and below


def qualified_bounds(qualifier: str | None, printed):
    """What « plus de X % », « moins de X % » and « près de X % » state about the true percentage, in the type of
    `printed` (the float or the exact value of X); None for a percentage printed without a qualifier."""
    if qualifier == "plus de":
        return Bounds(low=printed, low_strict=True)
    if qualifier == "moins de":
        return Bounds(high=printed, high_strict=True)
    if qualifier == "près de":
        return Bounds(low=printed - NEAR_MARGIN, high=printed)
    return None


@dataclass(frozen=True)
class Category:
    id: str
    label: str


@dataclass(frozen=True)
class PublishedItem:
    """One published number (or printed pair), see the header of data/studies/<study>/published/<wave>.yaml."""

    ref: str
    kind: str
    numbers: Mapping[str, PubNumber] = field(default_factory=dict)
    variable: str | None = None
    question: str | None = None
    category: str | None = None
    level: tuple[str, ...] = ()
    printed: str | None = None
    by: str | None = None
    group: str | None = None
    rank: int | None = None
    test: str | None = None
    qualifier: str | None = None
    denominator: int | None = None
    size: int | None = None  # respondents behind a mean ± sd (the YAML `n` of mean_sd items)
    among: tuple[tuple[str, str], ...] = ()  # the subgroup a percentage is of: ((variable, level),)

    @property
    def table(self) -> str:
        """First segment of the ref: "Tableau 2", "Figure 11", "Texte §2.1"."""
        return ref_table(self.ref)

    @property
    def is_text(self) -> bool:
        """Printed in the running text (a repeat of a table or figure, or a sentence only)."""
        return self.table.startswith("Texte")

    @property
    def count(self) -> int | None:
        number = self.numbers.get("n")
        return int(number.text) if number is not None else None

    def number(self, name: str) -> PubNumber | None:
        return self.numbers.get(name)

    @property
    def subject(self) -> str | None:
        """The variable or question the number is about."""
        return self.variable or self.question


@dataclass(frozen=True)
class Publication:
    source: str
    wave: str
    n_analysed: int
    precision: Mapping[str, Mapping[str, int]]
    categories: Mapping[str, tuple[Category, ...]]
    items: tuple[PublishedItem, ...]
    path: str = ""
    structure: dict = field(default_factory=dict)
    interpretations: tuple[dict, ...] = ()


def default_schema(path: str | Path) -> Path:
    """The schema shipped with the package (src/surveykit/schemas/published.schema.yaml), whatever the data file."""
    return package_schema("published.schema.yaml")


def _item_label(data: Any, index: int) -> str:
    try:
        ref = data["items"][index]["ref"]
    except (KeyError, IndexError, TypeError):
        ref = None
    return f"item {index + 1}" + (f" « {ref} »" if isinstance(ref, str) else "")


def _where(data: Any, path: list) -> str:
    """'item 12 « Tableau 2 · Âge · p », field p' for a JSON path inside items."""
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        rest = "/".join(map(str, path[2:]))
        return _item_label(data, path[1]) + (f", field {rest}" if rest else "")
    return "/".join(map(str, path)) or "(top level)"


def validate_published(data: Any, schema_path: str | Path, source: str | Path) -> None:
    """Validate against the JSON Schema; the error names the file and the item (number and ref)."""
    validator = jsonschema.Draft202012Validator(load_yaml(schema_path))
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    first = errors[0]
    path = list(first.absolute_path)
    details = first.message
    if first.context:  # if/then and anyOf failures: show the innermost reasons
        details += " (" + "; ".join(sorted({sub.message for sub in first.context})[:3]) + ")"
    more = f" [and {len(errors) - 1} more error(s)]" if len(errors) > 1 else ""
    raise InputError(f"{source}: {_where(data, path)}: {details}{more}")


def _numbers(raw: dict, table_precision: Mapping[str, int]) -> dict[str, PubNumber]:
    numbers = {}
    for name in NUMBER_FIELDS:
        text = raw.get(name)
        if text is None or (name == "n" and raw["kind"] == "mean_sd"):
            continue
        numbers[name] = PubNumber.read(text, table_precision.get(name, 0))
    return numbers


def _item(raw: dict, precision: Mapping[str, Mapping[str, int]]) -> PublishedItem:
    table = ref_table(raw["ref"])
    level = raw.get("level")
    return PublishedItem(
        ref=raw["ref"],
        kind=raw["kind"],
        numbers=_numbers(raw, precision.get(table, {})),
        variable=raw.get("variable"),
        question=raw.get("question"),
        category=raw.get("category"),
        level=tuple(level) if isinstance(level, list) else ((level,) if level else ()),
        printed=raw.get("printed"),
        by=raw.get("by"),
        group=raw.get("group"),
        rank=raw.get("rank"),
        test=raw.get("test"),
        qualifier=raw.get("qualifier"),
        denominator=raw.get("denominator"),
        size=raw["n"] if raw["kind"] == "mean_sd" else None,
        among=tuple(sorted((raw.get("among") or {}).items())),
    )


def _check_item(item: PublishedItem, categories: Mapping[str, tuple[Category, ...]]) -> str | None:
    """Content checks a JSON Schema cannot express; returns the problem or None."""
    if item.kind == "category_count":
        ids = [c.id for c in categories.get(item.question or "", ())]
        if item.category not in ids:
            return f"category {item.category!r} is not listed under categories/{item.question}"
    count, denominator = item.count, item.denominator
    if count is not None and denominator is not None and count > denominator:
        return f"count {count} exceeds the denominator {denominator}"
    pct = item.number("pct")
    if pct is not None and pct.exact > 100:
        return f"percentage {pct.text} exceeds 100"
    p = item.number("p")
    if p is not None and p.exact > 1:
        return f"p-value {p.text} exceeds 1"
    return None


def load_publication(path: str | Path, schema_path: str | Path | None = None) -> Publication:
    """Load and validate a published-numbers file (see data/studies/<study>/published/<wave>.yaml)."""
    path = Path(path)
    data = load_yaml(path)
    validate_published(data, schema_path or default_schema(path), path)
    precision = {table: dict(digits) for table, digits in (data.get("precision") or {}).items()}
    categories = {
        question: tuple(Category(c["id"], c["label"]) for c in entries)
        for question, entries in (data.get("categories") or {}).items()
    }
    items, seen = [], set()
    for index, raw in enumerate(data["items"]):
        item = _item(raw, precision)
        problem = "ref is not unique" if item.ref in seen else _check_item(item, categories)
        if problem:
            raise InputError(f"{path}: {_item_label(data, index)}: {problem}")
        seen.add(item.ref)
        items.append(item)
    unknown = sorted(set(precision) - {item.table for item in items})
    if unknown:
        raise InputError(f"{path}: precision: no item belongs to table(s) {unknown}")
    return Publication(data["source"], data["wave"], data["n_analysed"], precision, categories, tuple(items), str(path),
                       data.get("structure") or {}, tuple(data.get("interpretations") or ()))


def load_published(path: str | Path, schema_path: str | Path | None = None) -> list[PublishedItem]:
    """The items of a published-numbers file, in file order."""
    return list(load_publication(path, schema_path).items)


def _codebook_problems(item: PublishedItem, book: Codebook) -> list[str]:
    questions = book.variable_question()
    problems = []
    subject = item.variable or item.question
    if item.question and item.question not in {q.id for q in book.questions}:
        problems.append(f"question {item.question!r} is not in the codebook")
    if item.variable and item.variable not in questions:
        problems.append(f"variable {item.variable!r} is not in the codebook")
    elif item.variable:
        question = questions[item.variable]
        unknown = [lvl for lvl in item.level if lvl not in question.levels]
        if unknown:
            problems.append(f"level(s) {unknown} are not labels of {subject!r} {list(question.levels)}")
        if item.kind == "mean_sd" and question.type not in ("scale", "grid_scale"):
            problems.append(f"{subject!r} is not a scale, it has no mean")
        if item.kind == "rank_count" and (question.type not in GRID_TYPES or not question.min <= item.rank <= question.max):
            problems.append(f"rank {item.rank} is not a rank of the grid {subject!r}")
        if question.is_multi and len(item.level) > 1:
            problems.append(f"options of the multi-response question {subject!r} are counted one at a time "
                            f"(a respondent may tick several): one item per option, not {list(item.level)}")
    for variable, level in item.among:
        among = questions.get(variable)
        if among is None:
            problems.append(f"among: {variable!r} is not in the codebook")
        elif level not in among.levels:
            problems.append(f"among: {level!r} is not a label of {variable!r} {list(among.levels)}")
    if item.by:
        by_question = questions.get(item.by)
        if by_question is None:
            problems.append(f"grouping variable {item.by!r} is not in the codebook")
        elif item.group is not None and item.group not in by_question.levels:
            problems.append(f"group {item.group!r} is not a label of {item.by!r} {list(by_question.levels)}")
    return problems


def check_against_codebook(items: list[PublishedItem], book: Codebook, source: str = "") -> None:
    """Every variable, level and group must be spelled exactly as in the codebook."""
    problems = [f"« {item.ref} »: {problem}" for item in items for problem in _codebook_problems(item, book)]
    if problems:
        raise InputError(f"{source or 'published numbers'}: not in the codebook {book.source}: " + "; ".join(problems))
