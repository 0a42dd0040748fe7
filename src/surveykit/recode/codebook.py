"""Category codebooks of the open questions (data/studies/<study>/categories/<question>.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_yaml, validate_data
from surveykit.questionnaire.forms.normalise import fold

from .normalize import normalize_text

ACTIVE = "active"
RETIRED = "retired"
MERGED_PREFIX = "merged_into:"
DEFAULT_SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "categories.schema.yaml"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    definition: str
    exclusive: bool
    status: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def merged_into(self) -> str | None:
        return self.status[len(MERGED_PREFIX):] if self.status.startswith(MERGED_PREFIX) else None


@dataclass(frozen=True)
class Rule:
    """A deterministic suggestion rule; matching is done on normalised text."""

    id: str
    category: str
    keywords: tuple[str, ...] = ()
    regex: re.Pattern | None = None
    unless: re.Pattern | None = None

    def matches(self, normalised: str) -> bool:
        if self.unless is not None and self.unless.search(normalised):
            return False
        if self.regex is not None:
            return self.regex.search(normalised) is not None
        padded = f" {normalised} "
        return any(f" {keyword} " in padded for keyword in self.keywords)


@dataclass(frozen=True)
class Codebook:
    question: str
    number: int
    title: str
    version: int
    text_variable: str
    categories: tuple[Category, ...]
    rules: tuple[Rule, ...]
    population: str = "all"
    option_variable: str | None = None
    option_map: dict[str, str] = field(default_factory=dict)
    other_labels: tuple[str, ...] = ()
    source: str = ""
    quotes: dict = field(default_factory=dict)

    @property
    def active_categories(self) -> list[Category]:
        return [c for c in self.categories if c.active]

    def category(self, cid: str) -> Category:
        for category in self.categories:
            if category.id == cid:
                return category
        raise KeyError(f"{self.question}: unknown category {cid!r}")

    def has(self, cid: str) -> bool:
        return any(c.id == cid for c in self.categories)

    def resolve(self, cid: str) -> str:
        """Follow `merged_into` links to the active category that now holds the code."""
        seen = {cid}
        category = self.category(cid)
        while category.merged_into:
            category = self.category(category.merged_into)
            if category.id in seen:
                raise InputError(f"{self.source}: merge cycle through category {cid!r}")
            seen.add(category.id)
        return category.id

    def position(self, cid: str) -> int:
        return [c.id for c in self.categories].index(cid)

    def is_exclusive(self, cid: str) -> bool:
        return self.category(cid).exclusive

    def option_category(self, value: str) -> str | None:
        """Category of a ticked option (compared after normalisation), None if not an option."""
        return self.option_map.get(normalize_text(value))

    def is_other_label(self, value: str) -> bool:
        return normalize_text(value) in {normalize_text(label) for label in self.other_labels}


def _compile(pattern: str, where: str) -> re.Pattern:
    if fold(pattern) != pattern:
        raise InputError(f"{where}: write regexes in accent-free lower case (they run on normalised text): {pattern!r}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise InputError(f"{where}: invalid regex {pattern!r}: {exc}") from None


def _category(data: dict) -> Category:
    return Category(
        id=data["id"], label=data["label"], definition=data["definition"], exclusive=data["exclusive"],
        status=data["status"], include=tuple(data.get("include", ())), exclude=tuple(data.get("exclude", ())),
        examples=tuple(data.get("examples", ())),
    )


def _rule(data: dict, where: str) -> Rule:
    return Rule(
        id=data["id"], category=data["category"],
        keywords=tuple(normalize_text(k) for k in data.get("keywords", ())),
        regex=_compile(data["regex"], where) if "regex" in data else None,
        unless=_compile(data["unless"], where) if "unless" in data else None,
    )


def _check_references(book: Codebook) -> None:
    """Checks a JSON Schema cannot express: unique ids, targets that exist and are active."""
    where = book.source
    ids = [c.id for c in book.categories]
    for cid in sorted({i for i in ids if ids.count(i) > 1}):
        raise InputError(f"{where}: category id {cid!r} is defined twice")
    rule_ids = [r.id for r in book.rules]
    for rid in sorted({i for i in rule_ids if rule_ids.count(i) > 1}):
        raise InputError(f"{where}: rule id {rid!r} is defined twice")
    for category in book.categories:
        target = category.merged_into
        if target is not None and not book.has(target):
            raise InputError(f"{where}: category {category.id!r} is merged into unknown category {target!r}")
        if target is not None:
            book.resolve(category.id)
    references = [(f"rule {r.id!r}", r.category) for r in book.rules]
    references += [("quotes", cid) for cid in book.quotes.get("categories", [])]
    references += [(f"option {value!r}", cid) for value, cid in book.option_map.items()]
    for what, cid in references:
        if not book.has(cid) or not book.category(cid).active:
            raise InputError(f"{where}: {what} points to {cid!r}, which is not an active category")


def codebook_from_dict(data: dict, source: str = "") -> Codebook:
    """Build a codebook from already schema-validated data."""
    options = data.get("options") or {}
    book = Codebook(
        question=data["question"], number=data["number"], title=data["title"], version=data["version"],
        text_variable=data["text_variable"], population=data.get("population", "all"),
        categories=tuple(_category(c) for c in data["categories"]),
        rules=tuple(_rule(r, f"{source}: rule {r['id']!r}") for r in data["rules"]),
        option_variable=options.get("variable"),
        option_map={normalize_text(o["value"]): o["category"] for o in options.get("map", ())},
        other_labels=tuple(options.get("other_labels", ())), source=source, quotes=dict(data.get("quotes", {})),
    )
    _check_references(book)
    return book


def load_codebook(path: str | Path, schema: str | Path = DEFAULT_SCHEMA) -> Codebook:
    """Read and validate one category codebook."""
    data = load_yaml(path)
    validate_data(data, schema, path)
    return codebook_from_dict(data, str(path))


def load_codebooks(directory: str | Path, schema: str | Path = DEFAULT_SCHEMA) -> dict[str, Codebook]:
    """Every codebook of a directory, keyed by question id, in questionnaire order."""
    paths = sorted(Path(directory).glob("*.yaml"))
    if not paths:
        raise InputError(f"{directory}: no category codebook (*.yaml) found")
    books = [load_codebook(p, schema) for p in paths]
    for book in books:
        if Path(book.source).stem != book.question:
            raise InputError(f"{book.source}: file name must be the question id ({book.question}.yaml)")
    return {book.question: book for book in sorted(books, key=lambda b: b.number)}
