"""The questionnaire as data: questions, export headers, answer labels, skip logic and derived variables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.core.normalise import normalise
from surveykit.core.yamlio import load_validated, package_schema

GRID_TYPES = ("grid_rank", "grid_scale")
CHOICE_TYPES = ("single", "checkbox")
NUMERIC_TYPES = ("scale", "number")
INTEGER_TYPES = ("scale", "grid_rank", "grid_scale")
CHOICE_GRID = "grid_choice"  # Forms' « grille à choix multiples »: one column per item, cells among shared levels
ITEM_TYPES = (*GRID_TYPES, CHOICE_GRID)  # questions whose `items` each give one analysed variable
# Answers of a choice grid that are not points of its scale, when the codebook does not list them itself
# (`non_substantive`): « Je ne connais pas cet outil », « Ne sait pas », « Ne se prononce pas », « Sans opinion »,
# « Non concerné », « Sans objet », « Don't know », « Not applicable »… (matched on normalised words).
NON_SUBSTANTIVE = re.compile(r"\b(je ne connais pas|ne connais pas|je ne sais pas|ne sait pas|ne sais pas|"
                             r"ne se prononce pas|nsp|sans opinion|non concernee?|pas concernee?|sans objet|"
                             r"non applicable|je prefere ne pas repondre|don t know|do not know|not applicable|"
                             r"no opinion|prefer not to say)\b")
MULTI_SEPARATOR = "; "  # cleaning joins the ticked options of a multi-response answer with this
# Denominators of a multi-response question: every respondent the form asked, or those who ticked an option.
ASKED, ANSWERED = "asked", "answered"


@dataclass(frozen=True)
class Derivation:
    """How a derived variable is computed from its source: exactly one rule is set."""

    source: str
    regroup: tuple[tuple[str, tuple[str, ...]], ...] = ()
    bins: tuple[tuple[str, float | None], ...] = ()
    reverse: bool = False
    any_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    raw: str
    label: str
    since: str | None = None  # first wave whose form offers it (None: every wave)
    until: str | None = None  # last wave whose form offers it


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
    anchors: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    derived: Derivation | None = None
    non_substantive: tuple[str, ...] = ()
    positive_end: str = "last"
    since: str | None = None  # first wave whose form asks it (None: every wave)
    until: str | None = None  # last wave whose form asks it
    denominator: str | None = None  # checkbox only: ASKED (the default when not written) or ANSWERED
    date_order: str | None = None  # date only: "day-first" (the default when not written) or "month-first"
    occurrence: int = 1  # its column is the n-th of the export with its header (a header asked in two sections)

    @property
    def counts_answered_only(self) -> bool:
        """A multi-response question whose percentages are of the respondents who ticked at least one option
        (`denominator: answered`); those asked who ticked none are then missing answers, not « non »."""
        return self.is_multi and self.denominator == ANSWERED

    @property
    def multi_denominator(self) -> str:
        """Whom a multi-response question's percentages are of: ASKED (default) or ANSWERED."""
        return self.denominator or ASKED

    @property
    def display_label(self) -> str:
        """What tables and figures call the question: its `label`, else its header."""
        return self.label or self.header or next(iter(self.branch_headers.values()), self.id)

    @property
    def is_multi(self) -> bool:
        """A multi-response question: each option is a yes/no item for the respondents asked."""
        return self.type == "checkbox"

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES or self.type in GRID_TYPES

    @property
    def substantive_levels(self) -> tuple[str, ...]:
        """A choice grid's ordinal levels, from the negative to the positive end (non-substantive ones left out)."""
        levels = tuple(level for level in self.levels if level not in self.non_substantive)
        return levels[::-1] if self.positive_end == "first" else levels

    @property
    def neutral_level(self) -> str | None:
        """The middle of an odd number of substantive levels (drawn across 0 in a diverging chart), else None."""
        levels = self.substantive_levels
        return levels[len(levels) // 2] if len(levels) % 2 else None

    @property
    def positive_levels(self) -> tuple[str, ...]:
        """The substantive levels above the middle of the scale (the « positive end »), nearest the end last."""
        levels = self.substantive_levels
        return levels[(len(levels) + 1) // 2:]

    @property
    def negative_levels(self) -> tuple[str, ...]:
        """The substantive levels below the middle of the scale, the most negative first."""
        levels = self.substantive_levels
        return levels[:len(levels) // 2]

    def item_label(self, variable: str) -> str:
        return next(item.label for item in self.items if item.id == variable)

    @property
    def other_variable(self) -> str | None:
        """Column holding the free text typed in the form's "Autre :" field."""
        return f"{self.id}_autre" if self.other_label else None

    @property
    def variables(self) -> list[str]:
        """Analysed columns this question produces, in display order."""
        names = [item.id for item in self.items] if self.type in ITEM_TYPES else [self.id]
        if self.other_variable:
            names.append(self.other_variable)
        return names

    def headers(self) -> list[tuple[str | None, str]]:
        """(branch value or None, question header) pairs shown by the form (none for a derived variable)."""
        if self.derived:
            return []
        if self.branch_on:
            return list(self.branch_headers.items())
        return [(None, self.header or "")]

    def columns(self, header_override: str | None = None) -> list[tuple[str | None, Item | None, str]]:
        """(branch, grid item, export header) for every export column of this question."""
        cols = []
        for branch, header in self.headers():
            header = header_override or header
            if self.type in ITEM_TYPES:
                cols.extend((branch, item, f"{header} [{item.row}]") for item in self.items)
            else:
                cols.append((branch, None, header))
        return cols

    def alias_columns(self) -> list[tuple[str | None, Item | None, str]]:
        """Columns as other editions of the form title them (see `aliases`)."""
        return [col for alias in self.aliases for col in self.columns(alias)]

    def is_asked(self, values: dict) -> bool:
        """Whether the form showed this question, given the earlier answers of the row."""
        if self.branch_on and values.get(self.branch_on) not in self.branch_headers:
            return False
        return all(values.get(variable) == value for variable, value in self.asked_if.items())

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
class Resubmissions:
    """The codebook's `resubmissions`: who sent a row (`key`, an identifying header or a question id) and which
    of a respondent's submissions is analysed (`keep`: last, first or all)."""

    key: str
    keep: str

    def key_question(self, book: Codebook) -> Question | None:
        """The question whose answer is the key; None when the key is an identifying column's header."""
        return next((q for q in book.questions if q.id == self.key), None)


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
    derived: tuple[Question, ...] = ()
    respondents: dict = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    flow_breakdown: tuple[str, ...] = ()
    wave: str | None = None  # set on one wave's edition (see `edition_of`)
    absent: tuple[str, ...] = ()  # variables of the study this wave's form does not have
    respondent_key: str | None = None  # a question identifying a respondent from one wave to the next
    test_answers: tuple[str, ...] = ()  # a row holding one of these cells is a trial of the form, excluded
    resubmissions: Resubmissions | None = None  # which submission of a respondent who sent the form again
    incomplete_if_empty: bool = False  # a row without a submission time is a response left before the end

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """Form questions then derived variables (which are computed from them)."""
        return self.questions + self.derived

    def question(self, qid: str) -> Question:
        for question in self.all_questions:
            if question.id == qid:
                return question
        raise KeyError(qid)

    @property
    def variables(self) -> list[str]:
        """Every analysed column, in questionnaire order, derived variables last."""
        return [name for question in self.all_questions for name in question.variables]

    def variable_question(self) -> dict[str, Question]:
        """Map each analysed variable to the question that produces it (a copy of the map made once per codebook:
        the analysis plan's checks ask for it once per table, which made loading a wide study quadratic)."""
        made = self.__dict__.get("_variable_question")
        if made is None:
            made = {name: question for question in self.all_questions for name in question.variables}
            object.__setattr__(self, "_variable_question", made)  # a frozen codebook's fields are unchanged
        return dict(made)

    def whole_number_variables(self) -> frozenset[str]:
        """The variables whose answers are whole numbers by their question's type: a scale's points, a grid's
        ratings or ranks (not the text typed in « Autre »)."""
        return frozenset(v for v, q in self.variable_question().items()
                         if q.type in INTEGER_TYPES and v != q.other_variable)

    def respondent_noun(self, plural: bool = True) -> str:
        """How the study names its respondents (« répondants », « professionnels »…), from the codebook."""
        return self.respondents["plural" if plural else "singular"]


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
        options=tuple(Option(o["raw"], o["label"], o.get("since"), o.get("until")) for o in raw.get("options", [])),
        other_label=(raw.get("other") or {}).get("label"),
        levels=tuple(raw.get("levels", [])),
        items=tuple(Item(i["id"], i["row"], i["label"]) for i in raw.get("items", [])),
        branch_on=branches.get("variable"),
        branch_headers=dict(branches.get("headers", {})),
        asked_if=dict(raw.get("asked_if", {})),
        aliases=tuple(raw.get("aliases", [])),
        anchors=dict(raw.get("anchors", {})),
        unit=raw.get("unit"),
        non_substantive=tuple(raw["non_substantive"] if "non_substantive" in raw else _off_scale(raw)),
        positive_end=raw.get("positive_end", "last"),
        since=raw.get("since"),
        until=raw.get("until"),
        denominator=raw.get("denominator"),
        date_order=raw.get("date_order"),
        occurrence=raw.get("occurrence", 1),
    )


def _off_scale(raw: dict) -> list[str]:
    """A choice grid's levels that read as « don't know » answers (the default of `non_substantive`)."""
    if raw["type"] != CHOICE_GRID:
        return []
    return [level for level in raw.get("levels", []) if NON_SUBSTANTIVE.search(normalise(level))]


def _derived(raw: dict, number: int, sources: dict[str, Question], where: str) -> Question:
    """A derived variable as a question without export column (single choice, or a scale when reversed)."""
    source = sources.get(raw["from"])
    where = f"{where}: derived variable {raw['id']!r}"
    if source is None:
        raise InputError(f"{where}: `from: {raw['from']}` is not a question or an earlier derived variable")
    common = {"id": raw["id"], "number": number, "required": False, "label": raw["label"],
              "section": source.section, "asked_if": dict(source.asked_if), "branch_on": source.branch_on,
              "branch_headers": dict(source.branch_headers)}
    if "regroup" in raw:
        groups = tuple((level, tuple(members)) for level, members in raw["regroup"].items())
        _check_regroup(groups, source, where)
        return Question(type="single", levels=tuple(g for g, _m in groups),
                        derived=Derivation(source.id, regroup=groups), **common)
    if "bins" in raw:
        bins = tuple((b["label"], b.get("max")) for b in raw["bins"])
        _check_bins(bins, source, where)
        return Question(type="single", levels=tuple(label for label, _m in bins),
                        derived=Derivation(source.id, bins=bins), **common)
    if "reverse" in raw:
        if source.type != "scale":
            raise InputError(f"{where}: `reverse` applies to a scale question; {source.id!r} is {source.type}")
        anchors = {"low": source.anchors["high"], "high": source.anchors["low"]} if source.anchors else {}
        return Question(type="scale", min=source.min, max=source.max, anchors=anchors,
                        derived=Derivation(source.id, reverse=True), **common)
    unknown = [o for o in raw["any_of"] if o not in source.levels or not source.is_multi]
    if unknown:
        raise InputError(f"{where}: `any_of` takes options of a multi-response question; {unknown} "
                         f"{'are not options of' if source.is_multi else 'do not fit'} {source.id!r}")
    return Question(type="single", levels=tuple(raw["levels"]), derived=Derivation(source.id, any_of=tuple(raw["any_of"])),
                    **common)


def _check_regroup(groups: tuple[tuple[str, tuple[str, ...]], ...], source: Question, where: str) -> None:
    if source.type != "single":
        raise InputError(f"{where}: `regroup` applies to a single-choice question; {source.id!r} is {source.type}")
    placed = [member for _g, members in groups for member in members]
    for member in placed:
        if member not in source.levels:
            raise InputError(f"{where}: regroup: {member!r} is not a level of {source.id!r} "
                             f"(its levels: {', '.join(source.levels)})")
    twice = sorted({m for m in placed if placed.count(m) > 1})
    left = [level for level in source.levels if level not in placed]
    if twice or left:
        problem = f"{twice} placed in two groups" if twice else f"{left} in no group"
        raise InputError(f"{where}: regroup: every level of {source.id!r} belongs to exactly one group; {problem}")


def _check_bins(bins: tuple[tuple[str, float | None], ...], source: Question, where: str) -> None:
    if source.type not in NUMERIC_TYPES:
        raise InputError(f"{where}: `bins` applies to a number or a scale; {source.id!r} is {source.type}")
    bounds = [upper for _label, upper in bins]
    if any(b is None for b in bounds[:-1]) or bounds[-1] is not None or bounds[:-1] != sorted(set(bounds[:-1])):
        raise InputError(f"{where}: bins: give increasing `max` values to every class but the last, which has none")


def derive(question: Question, value: object) -> object:
    """The derived variable's value from its source's value (None stays None)."""
    rule = question.derived
    if value is None or value == "":
        return None
    if rule.regroup:
        return next(group for group, members in rule.regroup if value in members)
    if rule.bins:
        return next(label for label, upper in rule.bins if upper is None or float(value) <= upper)
    if rule.reverse:
        return int(question.min + question.max - int(value))
    ticked = set(str(value).split(MULTI_SEPARATOR))
    return question.levels[0] if ticked & set(rule.any_of) else question.levels[1]


def _check_headers(book: Codebook) -> None:
    """Two questions (or grid rows) on one export header cannot be told apart: refused, both named."""
    owner: dict[tuple[str, int], str] = {}
    for question in book.questions:
        for _branch, item, header in question.columns() + question.alias_columns():
            key = (normalise(header), question.occurrence)
            name = f"question {question.number} ({question.id}{'/' + item.id if item else ''})"
            if key in owner and owner[key] != name:
                raise InputError(f"{book.source}: {owner[key]} and {name} have the same export header {header!r}; "
                                 "expected one column per question")
            owner[key] = name


def _check_respondent_key(book: Codebook) -> None:
    """The respondent key is a text or number question of the form (one answer per respondent)."""
    key = book.respondent_key
    if key is None:
        return
    question = next((q for q in book.questions if q.id == key), None)
    if question is None or question.type not in ("text", "number") or question.items:
        found = f"a {question.type} question" if question is not None else "not a question of the form"
        raise InputError(f"{book.source}: respondent_key {key!r}: expected a text or number question whose answer "
                         f"identifies a respondent across waves; it is {found}")


def _check_resubmissions(book: Codebook) -> None:
    """The key of `resubmissions` is an identifying column's header or a text or number question."""
    policy = book.resubmissions
    if policy is None:
        return
    question = policy.key_question(book)
    if question is not None and question.type in ("text", "number") and not question.items:
        return
    if question is None and normalise(policy.key) in {normalise(h) for h in book.identifying_headers}:
        return
    found = f"a {question.type} question" if question is not None else "neither"
    raise InputError(f"{book.source}: resubmissions: key {policy.key!r}: expected a header listed in "
                     f"`identifying_headers` ({', '.join(map(repr, book.identifying_headers)) or 'none listed'}) or "
                     f"the id of a text or number question identifying the respondent; it is {found}")


def _check_consistency(book: Codebook) -> None:
    """Cross-field checks a JSON Schema cannot express."""
    seen: set[str] = set()
    _check_headers(book)
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
        if question.type == CHOICE_GRID:
            _check_choice_grid(question, where)
        elif question.non_substantive or question.positive_end != "last":
            raise InputError(f"{where}: `non_substantive` and `positive_end` apply to a grid_choice question; "
                             f"{question.id!r} is {question.type}")
        if question.denominator is not None and not question.is_multi:
            raise InputError(f"{where}: `denominator` applies to a checkbox (multi-response) question; "
                             f"{question.id!r} is {question.type}: remove it")
        if question.date_order is not None and question.type != "date":
            raise InputError(f"{where}: `date_order` applies to a date question; {question.id!r} is "
                             f"{question.type}: remove it")
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
    for question in book.derived:
        for name in question.variables:
            if name in seen:
                raise InputError(f"{book.source}: derived variable {name!r}: the id is already used")
            seen.add(name)
    questions = {q.id: q for q in book.all_questions}
    for variable in book.flow_breakdown:
        if variable not in questions or questions[variable].type != "single":
            raise InputError(f"{book.source}: flow: breakdown variable {variable!r} must be a single-choice variable "
                             "(possibly derived)")
    for rule in book.inclusion:
        if rule.variable not in seen:
            raise InputError(f"{book.source}: inclusion rule on unknown variable {rule.variable!r}")


def _check_choice_grid(question: Question, where: str) -> None:
    """A choice grid's levels are its option labels; its non-substantive levels are levels; two or more remain."""
    extra = [key for key, value in (("other", question.other_label), ("min", question.min), ("max", question.max),
                                    ("unit", question.unit)) if value is not None]
    if extra:
        raise InputError(f"{where}: a grid_choice question has no {', '.join(f'`{k}`' for k in extra)}; its answers "
                         "are the `options`, ordered by `levels`")
    labels = {o.label for o in question.options}
    if set(question.levels) != labels or len(set(question.levels)) != len(question.levels):
        raise InputError(f"{where}: `levels` {list(question.levels)} must list each option label once, in scale "
                         f"order; the option labels are {sorted(labels)}")
    unknown = [level for level in question.non_substantive if level not in question.levels]
    if unknown:
        raise InputError(f"{where}: `non_substantive` {unknown} are not levels of the grid; expected some of "
                         f"{list(question.levels)}")
    if len(question.substantive_levels) < 2:
        raise InputError(f"{where}: a grid_choice question needs at least two substantive levels (not listed in "
                         f"`non_substantive`); it has {list(question.substantive_levels)}")
    rows = [item.row for item in question.items]
    twice = sorted({row for row in rows if rows.count(row) > 1})
    if twice:
        raise InputError(f"{where}: grid rows {twice} are listed twice; expected one item per row")


def _derived_questions(raw: list[dict], questions: tuple[Question, ...], where: str) -> tuple[Question, ...]:
    sources = {q.id: q for q in questions}
    derived = []
    for number, entry in enumerate(raw, start=max(q.number for q in questions) + 1):
        if entry["id"] in sources:
            raise InputError(f"{where}: derived variable {entry['id']!r}: the id is already used")
        question = _derived(entry, number, sources, where)
        sources[question.id] = question
        derived.append(question)
    return tuple(derived)


DEFAULT_RESPONDENTS = {"singular": "répondant", "plural": "répondants", "feminine": False}


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a questionnaire codebook (YAML, see data/studies/<study>/codebook.yaml).

    A wave's edition (results/<wave>/codebook.yaml, see `edition_of`) loads as the codebook of that wave's
    form: messages name the study's codebook it was read from."""
    raw = load_validated(path, package_schema("codebook.schema.yaml"))
    return _build(raw, str(path))


def _build(raw: dict, path: str) -> Codebook:
    edition = raw.get("edition") or {}
    if edition:
        path = edition["source"]
    questions = tuple(_question(q) for q in raw["questions"])
    book = Codebook(
        study=raw["study"],
        title=raw["title"],
        timestamp_headers=tuple(raw["timestamp"]["headers"]),
        incomplete_if_empty=bool(raw["timestamp"].get("incomplete_if_empty", False)),
        identifying_headers=tuple(raw.get("identifying_headers", [])),
        inclusion=tuple(
            InclusionRule(r["variable"], r["reason"], r.get("not_missing", False), tuple(r.get("allowed", [])))
            for r in raw.get("inclusion", [])
        ),
        questions=questions,
        source=str(path),
        derived=_derived_questions(raw.get("derived", []), questions, str(path)),
        respondents=DEFAULT_RESPONDENTS | raw.get("respondents", {}),
        abbreviations=dict(raw.get("abbreviations", {})),
        flow_breakdown=tuple(raw.get("flow", {}).get("breakdown", [])),
        wave=edition.get("wave"),
        absent=tuple(edition.get("absent", ())),
        respondent_key=raw.get("respondent_key"),
        test_answers=tuple(raw.get("test_answers", [])),
        resubmissions=Resubmissions(**raw["resubmissions"]) if raw.get("resubmissions") else None,
    )
    _check_consistency(book)
    _check_respondent_key(book)
    _check_resubmissions(book)
    return book


# --------------------------------------------------------------------------- form editions


def _where_wave(where: str, key: str, value: str, waves: list[str]) -> str:
    return (f"{where}: `{key}: {value}` is not a wave of this study in config.yaml; expected one of "
            f"{', '.join(waves) or '(no wave declared)'}")


def check_editions(book: Codebook, waves: list[str]) -> None:
    """Every `since`/`until` names a wave of the study (config order, oldest first), since before until."""
    for question in book.questions:
        entries = [(f"{book.source}: question {question.number} ({question.id})", question)]
        entries += [(f"{book.source}: question {question.number} ({question.id}), option {o.raw!r}", o)
                    for o in question.options]
        for where, entry in entries:
            for key in ("since", "until"):
                value = getattr(entry, key)
                if value is not None and value not in waves:
                    raise InputError(_where_wave(where, key, value, waves))
            if entry.since and entry.until and waves.index(entry.since) > waves.index(entry.until):
                raise InputError(f"{where}: `since: {entry.since}` comes after `until: {entry.until}` in config.yaml; "
                                 "expected the first wave of the form edition, then its last")


def exists_in(entry, wave: str, waves: list[str]) -> bool:
    """Whether a question or option (anything with `since`/`until`) is in the form of `wave`."""
    position = waves.index(wave)
    since, until = getattr(entry, "since", None), getattr(entry, "until", None)
    return (since is None or waves.index(since) <= position) and (until is None or position <= waves.index(until))


def _raw_exists(entry: dict, wave: str, waves: list[str]) -> bool:
    return exists_in(Option("", "", entry.get("since"), entry.get("until")), wave, waves)


def _without_editions(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in ("since", "until")}


def _edition_question(raw: dict, wave: str, waves: list[str]) -> dict:
    """A question as the wave's form has it: absent options removed, their labels out of `levels`."""
    question = _without_editions(raw)
    if "options" not in raw:
        return question
    options = [_without_editions(o) for o in raw["options"] if _raw_exists(o, wave, waves)]
    kept = {o["label"] for o in options} | ({raw["other"]["label"]} if raw.get("other") else set())
    question["options"] = options
    question["levels"] = [level for level in raw.get("levels", []) if level in kept]
    return question


def _edition_branches(question: dict, questions: dict[str, dict]) -> dict:
    """A question in branches keeps the branches whose answer the wave's form still offers."""
    if not question.get("branches"):
        return question
    levels = set(questions.get(question["branches"]["variable"], {}).get("levels", []))
    headers = {value: header for value, header in question["branches"]["headers"].items() if value in levels}
    return {**question, "branches": {**question["branches"], "headers": headers}}


def _edition_derived(entry: dict, sources: dict[str, dict]) -> dict | None:
    """A derived variable of the wave's edition (None when its source is not in the form)."""
    source = sources.get(entry["from"])
    if source is None:
        return None
    levels = set(source.get("levels", []))
    if "regroup" in entry:
        groups = {group: [m for m in members if m in levels] for group, members in entry["regroup"].items()}
        groups = {group: members for group, members in groups.items() if members}
        return {**entry, "regroup": groups} if groups else None
    if "any_of" in entry:
        ticked = [o for o in entry["any_of"] if o in levels]
        return {**entry, "any_of": ticked} if ticked else None
    return entry


def edition_of(raw: dict, wave: str, waves: list[str], source: str) -> dict:
    """The codebook document of one wave's form: questions and options outside their `since`/`until` removed.

    `waves`: the study's waves, oldest first (config order). A wave whose form has every question and option
    gets back the same questions, in the same order: declaring a later edition changes no earlier wave."""
    questions, absent_ids = [], []
    for entry in raw["questions"]:
        if _raw_exists(entry, wave, waves):
            questions.append(entry)
        else:
            absent_ids.append(entry["id"])
    edited = [_edition_question(q, wave, waves) for q in questions]
    by_id = {q["id"]: q for q in edited}
    edited = [_edition_branches(q, by_id) for q in edited]
    sources = {q["id"]: q for q in edited}
    derived = []
    for entry in raw.get("derived", []):
        kept = _edition_derived(entry, sources)
        if kept is None:
            absent_ids.append(entry["id"])
        else:
            derived.append(kept)
            sources[kept["id"]] = {"levels": list(kept.get("regroup", {})) or kept.get("levels", [])}
    full = _build(raw, source)
    absent = [v for qid in absent_ids for v in full.question(qid).variables]
    document = {k: v for k, v in raw.items() if k not in ("questions", "derived", "edition")}
    document["questions"] = edited
    if "derived" in raw:
        document["derived"] = derived
    if "inclusion" in raw:
        document["inclusion"] = [rule for rule in raw["inclusion"] if rule["variable"] not in absent]
    if raw.get("resubmissions", {}).get("key") in absent:  # this wave's form does not ask the identifier
        del document["resubmissions"]
    if raw.get("flow", {}).get("breakdown"):
        document["flow"] = {**raw["flow"], "breakdown": [v for v in raw["flow"]["breakdown"] if v not in absent]}
    document["edition"] = {"wave": wave, "source": source, "absent": absent}
    for question in edited:
        for variable in list(question.get("asked_if", {})):
            if variable in absent:
                raise InputError(f"{source}: question {question['number']} ({question['id']}): its skip logic "
                                 f"refers to {variable!r}, which wave {wave!r} does not ask (`since`/`until`); "
                                 "expected the same editions on both questions")
    return document
