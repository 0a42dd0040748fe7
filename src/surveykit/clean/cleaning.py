"""Cleaning and validation: every raw row is analysed, excluded or quarantined, with a reason.

Policy (also in the README):
- the run STOPS (InputError) when the file cannot be read or a required question's
  column is missing: nothing sensible can be analysed;
- a row is QUARANTINED when a cell holds a value the form cannot have produced
  (unknown option, out-of-range scale, repeated rank, unreadable date, empty required
  answer): the row is set aside with the exact cell named, or the run stops when the
  wave's `on_invalid` is `stop`;
- a row is EXCLUDED when it is valid but outside the analysis: blank row, broken skip
  logic, outside the inclusion criteria or the collection period, duplicate submission, or a respondent's
  submission other than the one the codebook's `resubmissions` keeps (same address or identifier).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from surveykit.core.errors import ConsistencyError, InputError
from surveykit.core.io import sha256_of
from surveykit.core.normalise import quiz_score, repeated_senders, sender_key, sender_keys, typed_number, unit_key
from surveykit.questionnaire.codebook import CHOICE_GRID, GRID_TYPES, Codebook, Option, Question, derive
from surveykit.questionnaire.forms.coded import CodedColumn, coded_columns
from surveykit.questionnaire.forms.headers import Column, ColumnMap, map_columns, normalise
from surveykit.questionnaire.forms.layout import fold_export
from surveykit.questionnaire.forms.read import Limits, RawExport, read_export
from surveykit.questionnaire.forms.timestamps import DAY_FIRST, MONTH_FIRST, parse_date, parse_timestamps

from .privacy import mask_pii

QUARANTINED = "quarantined"
EXCLUDED = "excluded"
REASON_INVALID = "valeur invalide"
REASON_BLANK = "ligne vide"
REASON_SKIP = "logique de saut non respectée"
REASON_PERIOD = "hors période de recueil"
REASON_DUPLICATE = "doublon"
REASON_TEST = "réponse de test"
REASON_REPLACED = "réponse remplacée par un nouvel envoi"  # resubmissions: keep: last
REASON_SENT_AGAIN = "nouvel envoi d'une réponse déjà reçue"  # resubmissions: keep: first
REASON_INCOMPLETE = "réponse incomplète"


@dataclass(frozen=True)
class Problem:
    """A cell the form cannot have produced: the column, its value and what was expected."""

    header: str
    value: object
    expected: str
    question: str = ""  # id of the codebook question, for the fix a summary proposes

    def message(self, path: str, row: int) -> str:
        return f'{path}, row {row}, column "{self.header}": {self.value!r} — expected {self.expected}'


@dataclass(frozen=True)
class SkipViolation:
    """An answer in a column the form hides under the respondent's earlier answers."""

    header: str
    value: str
    condition: str

    def message(self, path: str, row: int) -> str:
        return (f'{path}, row {row}, column "{self.header}": {self.value!r} answered although the form '
                f"shows this question only when {self.condition}")


@dataclass(frozen=True)
class QuestionParse:
    """What the cells of one question give, independent of the row they sit in (so it can be memoised)."""

    values: tuple[tuple[str, object], ...] = ()
    problems: tuple[Problem, ...] = ()
    skips: tuple[SkipViolation, ...] = ()


@dataclass
class CleanResult:
    responses: pd.DataFrame
    excluded: pd.DataFrame
    flow: dict
    messages: list[str]
    causes: list["Cause"] = field(default_factory=list)


def _parse_int(header: str, text: str, low: int, high: int, what: str, problems: list[Problem]) -> int | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = float("nan")
    if not number.is_integer() or not low <= number <= high:
        problems.append(Problem(header, text, f"{what} from {low} to {high}"))
        return None
    return int(number)


def _parse_number(header: str, text: str, question: Question, problems: list[Problem]) -> int | float | None:
    """A typed number ("12", "12,5"), with the question's unit when it has one (« 45 ans », « 6h », « 6 heures »
    for `unit: "h"`), or a quiz score out of the question's `max` (« 7 / 10 »), within the question's bounds
    when it has them."""
    typed = typed_number(text)
    unit_ok = typed is not None and (not typed[1] or (question.unit is not None
                                                       and unit_key(typed[1]) == unit_key(question.unit)))
    number = typed[0] if typed is not None and unit_ok else float("nan")
    score = quiz_score(text) if typed is None else None
    if score is not None and score[1] == question.max:  # a quiz's `Score` (« 7 / 10 »), out of the question's max
        number = score[0]
    low = question.min if question.min is not None else -float("inf")
    high = question.max if question.max is not None else float("inf")
    if number != number or not low <= number <= high:
        bounds = f" from {question.min:g} to {question.max:g}" if question.min is not None and question.max is not None \
            else ""
        unit = f" in « {question.unit} »" if question.unit else ""
        problems.append(Problem(header, text, f"a number{bounds}{unit}"))
        return None
    return int(number) if number.is_integer() else number


def split_checkbox(question: Question, text: str) -> tuple[list[str], str]:
    """Split a checkbox cell against the known options (they may contain ', ').

    Returns the matched option labels and the remaining free text ("Autre :")."""
    pattern, label_of = _option_pattern(question.options)
    labels: list[str] = []
    rest = text.strip()
    while rest:
        match = pattern.match(rest) if pattern else None
        if match is None:
            break
        labels.append(label_of[match.group()])
        rest = rest[match.end() + 2:].strip()
    return labels, rest


def _per_question(compute: Callable[[tuple], object]) -> Callable[[tuple], object]:
    """`compute(values)` once per tuple of a question (its options, its levels), found again by the tuple's
    identity: a cache keyed by the tuple itself hashes every element on every call, which cost more than the
    matching on a question of many options. Each entry holds its tuple, so no other tuple can take its id while
    it is cached."""
    found: dict[int, tuple[tuple, object]] = {}

    @functools.wraps(compute)
    def cached(values: tuple) -> object:
        entry = found.get(id(values))
        if entry is None or entry[0] is not values:
            if len(found) >= QUESTION_CACHE_SIZE:
                found.clear()
            entry = found[id(values)] = (values, compute(values))
        return entry[1]
    return cached


QUESTION_CACHE_SIZE = 1 << 12  # questions whose patterns are kept (a wide export has about 2 000)


@_per_question
def _option_pattern(options: tuple[Option, ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One pattern matching a question's options at the start of a cell, longest first, each followed by ", " or
    the end of the cell (an option may contain ", "), and each raw option's label (the longest listed first wins,
    as Forms writes them): compiled once per question, not scanned option by option for every cell."""
    ordered = sorted(options, key=lambda o: len(o.raw), reverse=True)
    label_of: dict[str, str] = {}
    for option in ordered:
        label_of.setdefault(option.raw, option.label)
    if not ordered:
        return None, label_of
    return re.compile("(?:" + "|".join(re.escape(o.raw) for o in ordered) + r")(?=, |\Z)"), label_of


@_per_question
def _labels_by_key(options: tuple[Option, ...]) -> dict[str, str]:
    """Normalised raw answer -> label, the first option winning (built once per question, not once per cell)."""
    found: dict[str, str] = {}
    for option in options:
        found.setdefault(normalise(option.raw), option.label)
    return found


def _option_label(question: Question, text: str) -> str | None:
    return _labels_by_key(question.options).get(normalise(text))


@_per_question
def _level_positions(levels: tuple[str, ...]) -> dict[str, int] | None:
    """Each level's position, None when a level is listed twice."""
    positions = {level: position for position, level in enumerate(levels)}
    return positions if len(positions) == len(levels) else None


def _in_level_order(levels: tuple[str, ...], labels: list[str]) -> list[str]:
    """The levels among `labels`, in the levels' order: the few labels sorted, not every level looked for."""
    positions = _level_positions(levels)
    if positions is None:
        return [level for level in levels if level in labels]
    return sorted({label for label in labels if label in positions}, key=positions.__getitem__)


def _parse_choice(question: Question, header: str, text: str, values: dict, problems: list[Problem]) -> None:
    if question.type == "checkbox":
        labels, rest = split_checkbox(question, text)
    else:
        label = _option_label(question, text)
        labels, rest = ([label], "") if label else ([], text)
    if rest:
        if not question.other_label:
            problems.append(Problem(header, text, "one of " + ", ".join(repr(o.raw) for o in question.options)))
            return
        labels.append(question.other_label)
        values[question.other_variable] = rest
    values[question.id] = "; ".join(_in_level_order(question.levels, labels))


# a date answer read once per text for all the date questions of an export (on a wide export, 40 date questions
# hold 67 755 distinct answers between them but 1 702 distinct texts)
_read_date = functools.lru_cache(maxsize=1 << 16)(parse_date)


def _parse_answers(question: Question, cells: list[tuple[Column, str]], values: dict,
                   problems: list[Problem]) -> None:
    """Parse the cells of one question (already restricted to the active branch)."""
    filled = [(column, text) for column, text in cells if text]
    if question.required and len(filled) < len(cells):
        problems += [Problem(column.header, text, "an answer (the question is mandatory in the form)")
                     for column, text in cells if not text]
        return
    if question.type == CHOICE_GRID:
        for column, text in filled:
            label = _option_label(question, text)
            if label is None:
                problems.append(Problem(column.header, text, "one of " + ", ".join(repr(o.raw) for o in question.options)))
            values[column.item.id] = label
        return
    if question.type in GRID_TYPES:
        what = "a rank" if question.type == "grid_rank" else "a whole number"
        for column, text in filled:
            values[column.item.id] = _parse_int(column.header, text, question.min, question.max, what, problems)
        if question.type == "grid_rank":
            ranks = [values.get(column.item.id) for column, _text in filled]
            if len(set(ranks)) < len(ranks):
                problems.append(Problem(filled[0][0].header, [text for _c, text in filled],
                                        "each rank used once across the rows of this question"))
        return
    if not filled:
        return
    column, text = filled[0]
    if question.type == "scale":
        values[question.id] = _parse_int(column.header, text, question.min, question.max, "a whole number", problems)
    elif question.type == "number":
        values[question.id] = _parse_number(column.header, text, question, problems)
    elif question.type == "date":
        date = _read_date(text, question.date_order or DAY_FIRST)
        if date is None:
            example = "12/19/2024" if question.date_order == MONTH_FIRST else "19/12/2024"
            problems.append(Problem(column.header, text, f"a date such as {example}"))
        values[question.id] = date.isoformat() if date else None
    elif question.type == "text":
        values[question.id] = text
    else:
        _parse_choice(question, column.header, text, values, problems)


def parse_question(question: Question, columns: list[Column], texts: tuple[str, ...], active_branch: str | None,
                   asked: bool) -> QuestionParse:
    """Parse one question's cells given the branch and `asked_if` state set by the earlier answers."""
    active, skips = [], []
    for column, text in zip(columns, texts):
        if (column.branch is None or column.branch == active_branch) and asked:
            active.append((column, text))
        elif text:
            condition = (f"{question.branch_on} = {column.branch!r}" if column.branch
                         else " and ".join(f"{k} = {v!r}" for k, v in question.asked_if.items()))
            skips.append(SkipViolation(column.header, text, condition))
    values: dict[str, object] = {}
    problems: list[Problem] = []
    if not (question.required and question.branch_on and active_branch is None):  # else: already reported
        _parse_answers(question, active, values, problems)
    problems = [replace(problem, question=question.id) for problem in problems]
    return QuestionParse(tuple(values.items()), tuple(problems), tuple(skips))


def _factorize(arrays: list) -> tuple[np.ndarray, np.ndarray]:
    """(inverse, first): the distinct combinations of the arrays' values, row by row, numbered in order of
    first appearance. `first[u]` is the first row holding combination u and `inverse[i]` the combination of
    row i. Hash-based and linear in the rows: each array refines the key, which stays below the row count.
    An array is a column of values or an export's column numbered already (`CodedColumn`).

    A missing value (None) is one more value: pandas numbers it -1 (`use_na_sentinel`, which its hash table
    does as it goes; asking it to number missing values as others makes it search them first, a pass that
    costs more than the factorising itself on text)."""
    key = None
    for array in arrays:
        codes, distinct = _numbered(array)
        if key is None and codes.min(initial=0) >= 0:
            key = codes  # the first array, with no missing value, is numbered already (a one-column question's)
        else:
            key, _ = pd.factorize((0 if key is None else key.astype(np.int64)) * (distinct + 1) + codes + 1)
    return key, _first_rows(key)


def _numbered(array) -> tuple[np.ndarray, int]:
    """An array's values numbered in order of first appearance (a missing value -1), and how many values."""
    if isinstance(array, CodedColumn):
        return array.codes, len(array.values)
    codes, uniques = pd.factorize(np.asarray(array, dtype=object))
    return codes, len(uniques)


def _first_rows(key: np.ndarray) -> np.ndarray:
    """The first row of each code of `key`, codes numbered in order of first appearance (as pd.factorize numbers
    them): code k first appears where the running maximum of the codes reaches k (one pass, no sort)."""
    if not len(key):
        return np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(key)
    return np.flatnonzero(np.concatenate(([True], running[1:] > running[:-1])))


@dataclass
class Parsed:
    """What the cells give, column by column: every analysed variable as an array over the rows, and the
    problems and skip-logic violations of the rows that have some (messages in questionnaire order)."""

    values: dict[str, np.ndarray]
    problems: dict[int, list[str]] = field(default_factory=dict)
    skips: dict[int, list[str]] = field(default_factory=dict)
    causes: dict[int, list[Problem]] = field(default_factory=dict)  # the problems themselves, for the summary
    # each variable's answers numbered by their text (a missing one as ""), and how many texts: numbered where
    # the distinct answers are at hand (duplicate submissions are found with them); absent: every answer missing
    texts: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)
    # a variable parsed per distinct combination of its question's cells: its value for each combination, and
    # each row's combination (what `values` spreads), so that its responses are written once per combination
    distinct: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


class ColumnParser:
    """Parses an export question by question, over all rows at once.

    Survey answers repeat (a few options per question), so each question is parsed once per distinct
    combination of its cells and of the earlier answers it depends on (branch, `asked_if`), and the result
    is spread over the rows that share it; the cells of a rating grid are independent, so each is parsed on
    its own, and free text is taken as it is. The cost grows with the distinct answers, not the rows."""

    def __init__(self, book: Codebook, cmap: ColumnMap, path: str, sheet_rows: np.ndarray):
        self.book = book
        columns: dict[str, list[Column]] = {}
        for column in cmap.columns:  # as cmap.for_question, for every question in one pass
            columns.setdefault(column.question.id, []).append(column)
        self.plan = [(question, columns.get(question.id, [])) for question in book.questions]
        self.path = path
        self.sheet_rows = sheet_rows

    def parse(self, table: tuple[CodedColumn, ...], n: int) -> Parsed:
        """Every question parsed from the export's coded columns (`coded_columns`) over its `n` rows."""
        # every variable unanswered until its question is parsed: one array, read only, shared by all (a variable
        # is given a new array, never written in place), and the branch of the questions without `branch_on`
        unanswered = np.full(n, None, dtype=object)
        unanswered.flags.writeable = False
        out = Parsed(dict.fromkeys(self.book.variables, unanswered))
        asked: dict[str, np.ndarray] = {}
        for question, columns in self.plan:
            branch = out.values[question.branch_on] if question.branch_on else unanswered
            shown = np.ones(n, dtype=bool)
            for variable, value in question.asked_if.items():
                shown &= out.values[variable] == value
            asked[question.id] = shown & (np.isin(branch, list(question.branch_headers))
                                          if question.branch_on else True)
            independent = question.type in ("grid_scale", CHOICE_GRID)  # each cell parsed on its own
            groups = [[column] for column in columns] if independent else [columns]
            for group in groups:
                self._parse_group(question, group, table, branch, shown, out)
        for question in self.book.derived:
            source = self.book.question(question.derived.source)
            out.values[question.id] = self._derive(question, out.values[source.id], asked.get(source.id))
        return out

    def _parse_group(self, question: Question, columns: list[Column], table: tuple[CodedColumn, ...],
                     branch: np.ndarray, shown: np.ndarray, out: Parsed) -> None:
        coded = [table[column.index] for column in columns]
        if question.type == "text" and not question.branch_on and len(columns) == 1:
            self._parse_text(question, columns[0], coded[0], shown, out)
            return
        # an all-None branch (no `branch_on`) or an all-True `shown` (no `asked_if`) would refine nothing
        context = ([branch] if question.branch_on else []) + ([] if shown.all() else [shown])
        inverse, first = _factorize([*coded, *context] or [shown])  # no column in this export: one combination
        produced: dict[str, np.ndarray] = {}
        flagged: dict[int, QuestionParse] = {}
        # each combination's cells, branch and `shown`, as its first row holds them
        cells = [c.values[c.codes[first]].tolist() for c in coded]
        combinations = zip(zip(*cells) if coded else [()] * len(first), branch[first].tolist(), shown[first].tolist())
        for unique, (texts, branch_of, shown_of) in enumerate(combinations):
            parsed = parse_question(question, columns, texts, branch_of, shown_of)
            for variable, value in parsed.values:
                if variable not in produced:  # not setdefault: a new array per distinct answer made this quadratic
                    produced[variable] = np.full(len(first), None, dtype=object)
                produced[variable][unique] = value
            if parsed.problems or parsed.skips:
                flagged[unique] = parsed
        spread = inverse.astype(np.min_scalar_type(len(first)))  # one byte a row for most questions
        for variable, values in produced.items():
            out.values[variable] = values[inverse]
            out.distinct[variable] = (values, spread)
            codes, count = _answer_codes(values)
            out.texts[variable] = (codes[inverse], count)
        if not flagged:
            return
        for index in np.nonzero(np.isin(inverse, list(flagged)))[0]:
            parsed, sheet_row = flagged[int(inverse[index])], int(self.sheet_rows[index])
            if parsed.problems:
                out.problems.setdefault(int(index), []).extend(p.message(self.path, sheet_row) for p in parsed.problems)
                out.causes.setdefault(int(index), []).extend(parsed.problems)
            if parsed.skips:
                out.skips.setdefault(int(index), []).extend(s.message(self.path, sheet_row) for s in parsed.skips)

    def _parse_text(self, question: Question, column: Column, coded: CodedColumn, shown: np.ndarray,
                    out: Parsed) -> None:
        """A free-text question of one column: its answers taken as they are, over all rows at once (each answer
        is distinct, so parsing once per distinct answer would parse every row); what `parse_question` says of
        a text cell: an answer where the question was not shown breaks the skip logic, a blank where a required
        question was shown is a problem, any other answer is the value. Where the question was shown to all,
        its answers are numbered as the column is (a blank as "", as `_answer_codes` numbers a missing answer)."""
        texts = coded.cells()
        filled = ~coded.rows_holding("")
        given = shown & filled
        if given.any():
            out.values[question.id] = np.where(given, texts, None)
            out.texts[question.id] = ((coded.codes, len(coded.values)) if shown.all()
                                      else _answer_codes(out.values[question.id]))
        condition = " and ".join(f"{k} = {v!r}" for k, v in question.asked_if.items())
        expected = "an answer (the question is mandatory in the form)"
        for index in np.nonzero((~shown & filled) | (shown & ~filled & question.required))[0]:
            row, sheet_row = int(index), int(self.sheet_rows[index])
            if shown[index]:
                problem = Problem(column.header, "", expected, question.id)
                out.problems.setdefault(row, []).append(problem.message(self.path, sheet_row))
                out.causes.setdefault(row, []).append(problem)
            else:
                skip = SkipViolation(column.header, texts[index], condition)
                out.skips.setdefault(row, []).append(skip.message(self.path, sheet_row))

    @staticmethod
    def _derive(question: Question, source: np.ndarray, asked: np.ndarray | None) -> np.ndarray:
        """A derived variable over the rows; a multi-response source asked but left blank means none ticked."""
        values = source.copy()
        if question.derived.any_of and asked is not None:
            values[asked & np.array([v in (None, "") for v in values], dtype=bool)] = "\x00"
        inverse, first = _factorize([values])
        mapped = np.array([derive(question, values[row]) for row in first] + [None], dtype=object)[:-1]
        return mapped[inverse] if len(first) else values


def _check_period(date: dt.date | None, period: dict | None) -> str | None:
    if not period or date is None:
        return None
    start, end = period.get("start"), period.get("end")
    if (start and date < dt.date.fromisoformat(str(start))) or (end and date > dt.date.fromisoformat(str(end))):
        return f"submitted on {date.isoformat()}, outside the collection period {start} – {end}"
    return None


def clean_export(
    export: RawExport,
    book: Codebook,
    *,
    period: dict | None = None,
    on_invalid: str = "quarantine",
) -> CleanResult:
    """Sort every row of `export` into analysed, excluded or quarantined."""
    export = fold_export(export)
    cmap = map_columns(export.headers, book, export.path, export.rows)
    messages = [*export.notices, *_column_messages(cmap, export.path)]
    n = len(export.rows)
    table = coded_columns(export)
    sheet_rows = np.arange(n) + export.header_rows + 1
    stamp_header = export.headers[cmap.timestamp] if cmap.timestamp is not None else ""
    stamps = table[cmap.timestamp].cells().tolist() if cmap.timestamp is not None else [""] * n
    stamped = parse_timestamps(stamps)
    if stamped.note:
        messages.append(f"{export.path}, column {stamp_header!r}: {stamped.note}")
    parsed = ColumnParser(book, cmap, export.path, sheet_rows).parse(table, n)
    senders = find_senders(book, export, table, parsed, stamped.moments, messages)
    outcome = _classify(book, export, table, parsed, (stamp_header, stamps, stamped.dates), period, senders, messages)
    parsed.texts.clear()
    for name in parsed.distinct:  # written from their distinct values: their arrays over the rows can go (8 bytes a
        del parsed.values[name]  # cell each, as much as the cells of a wide export)
    excluded = []
    for index, (status, reason, detail) in sorted(outcome.items()):
        sheet_row = int(sheet_rows[index])
        if status == QUARANTINED and on_invalid == "stop":
            raise InputError(detail)
        excluded.append({"sheet_row": sheet_row, "status": status, "reason": reason, "detail": detail})
    bad_stamps = {i: Problem(stamp_header, text, TIMESTAMP_EXPECTED)
                  for i, (text, date) in enumerate(zip(stamps, stamped.dates)) if text and date is None}
    causes = summarise_causes(outcome, parsed.causes, bad_stamps, export, sheet_rows)
    # one line per cause, not one per row nor one per value: its count, its values and its fix
    messages += [cause.summary(n, export.path, _fix(cause, book) if cause.header else "") for cause in causes]
    kept = np.array([i not in outcome for i in range(n)], dtype=bool)
    responses = _responses_frame(book, parsed, kept, sheet_rows, stamped.dates)
    excluded_frame = pd.DataFrame(excluded, columns=["sheet_row", "status", "reason", "detail"])
    flow = _flow(export, cmap, responses, excluded_frame)
    flow["file"]["timestamp_order"] = stamped.order
    flow["breakdown"] = breakdown(responses, book, book.flow_breakdown)
    return CleanResult(responses, excluded_frame, flow, messages, causes)


@dataclass
class Cause:
    """Why rows were set aside, once for all the rows it applies to: a reason of exclusion, or an invalid cell
    of one column and what it should have held (the quarantine). `example` is the first row's value."""

    status: str
    reason: str
    header: str = ""
    expected: str = ""
    question: str = ""
    example: object = None
    first_row: int = 0
    detail: str = ""
    rows: int = 0
    values: Counter = field(default_factory=Counter)  # each invalid value and its rows (most frequent first)

    @property
    def what(self) -> str:
        if self.header:
            return f'{self.reason}, column "{self.header}": e.g. {self.example!r} (row {self.first_row})' \
                   f"{self.other_values} — expected {self.expected}"
        return f"{self.reason}: e.g. {self.detail}"

    @property
    def other_values(self) -> str:
        """The values when there are several (« ; values: 'A' (3 rows), 'B' (1 row) and 2 other value(s) »)."""
        if len(self.values) < 2:
            return ""
        shown = self.values.most_common(SHOWN_VALUES)
        listed = ", ".join(f"{_shown(value)!r} ({n} row{'s' if n > 1 else ''})" for value, n in shown)
        more = len(self.values) - len(shown)
        return f"; values: {listed}" + (f" and {more} other value(s)" if more else "")

    def summary(self, received: int, path: str, fix: str = "") -> str:
        share = f"{100 * self.rows / received:.1f} % of {received}" if received else ""
        return f"{path}: {self.rows} row{'s' if self.rows > 1 else ''} {self.status} ({share}): {self.what}" \
               + (f". Fix: {fix}" if fix else "")


SHOWN_VALUES = 3  # values a cause's line lists (with their rows); the others counted


def _value_key(value: object) -> object:
    """A problem's value as a key (a ranking grid's problem holds the list of its cells)."""
    return tuple(value) if isinstance(value, list) else value


def _shown(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def summarise_causes(outcome: dict[int, tuple[str, str, str]], problems: dict[int, list[Problem]],
                     bad_stamps: dict[int, Problem], export: RawExport, sheet_rows: np.ndarray) -> list[Cause]:
    """One Cause per reason of exclusion and per (column, expectation) of the quarantined rows, with the rows it
    sets aside (a row with two invalid cells counts for both); in order of first row."""
    causes: dict[tuple, Cause] = {}
    for index, (status, reason, detail) in sorted(outcome.items()):
        sheet_row = int(sheet_rows[index])
        found = [*problems.get(index, []), *([bad_stamps[index]] if index in bad_stamps else [])]
        if status != QUARANTINED or sheet_row in export.cell_problems or not found:
            found = [None]
        keys = set()
        for problem in found:
            key = (status, reason) if problem is None else (status, reason, problem.header, problem.expected)
            if key in keys:
                continue
            keys.add(key)
            if key not in causes:
                causes[key] = Cause(status, reason, first_row=sheet_row, detail=detail) if problem is None else \
                    Cause(status, reason, problem.header, problem.expected, problem.question, problem.value, sheet_row)
            causes[key].rows += 1
            if problem is not None:
                causes[key].values[_value_key(problem.value)] += 1
    return list(causes.values())


SHARE_KEY = "cleaning: max_quarantined_share"
DEFAULT_MAX_QUARANTINED_SHARE = 0.05  # as workflow/schemas/config.schema.yaml


def _fix(cause: Cause, book: Codebook) -> str:
    """What to change so that the rows of `cause` are analysed: the codebook line when it is the codebook's."""
    where = book.source or "codebook.yaml"
    question = next((q for q in book.questions if q.id == cause.question), None)
    if question is None:
        return "correct the export (the cell named), or the codebook if it does not describe the form"
    name = f"question {question.number} ({question.id}) of {where}"
    if question.type in ("single", "checkbox") and cause.expected.startswith("one of"):
        return _new_answer_fix(cause, question, book, name)
    if cause.expected.startswith("an answer (the question is mandatory"):
        return f"if the form does not make the question mandatory, set `required: false` on {name}"
    if cause.expected.startswith(("a whole number from", "a number from", "a rank from")):
        return f"if the form allows {cause.example!r}, correct `min`/`max` of {name}"
    if cause.expected.startswith("a date"):
        return f"if the column is not a date, correct `type` of {name}"
    return f"correct the export (the cell named), or {name} if it does not describe the form"


def _new_answer_fix(cause: Cause, question: Question, book: Codebook, name: str) -> str:
    """The option line(s) that declare the answers a choice column holds beyond its options (the part of a
    checkbox cell that matches no option), with `since:` the first wave whose form offers them (form editions);
    an answer holding personal data (masked in the log) is no option of any form: it is to be recoded as typed in
    « Autre », or left quarantined."""
    answers: Counter = Counter()
    for cell, n in (cause.values or Counter({cause.example: 1})).items():
        value = str(cell)
        answers[(split_checkbox(question, value)[1] or value) if question.type == "checkbox" else value] += n
    shown = [value for value, _n in answers.most_common(SHOWN_VALUES)]
    more = f" (and {len(answers) - len(shown)} other answer(s), listed in excluded.csv)" if len(answers) > len(shown) else ""
    personal = [value for value in shown if mask_pii(value)[1]]
    options = [value for value in shown if value not in personal]
    fixes = [_option_fix(options, book, name, more)] if options else []
    if personal:
        fixes.append(_personal_answer_fix(personal, "" if options else more))
    return "; ".join(fixes)


def _personal_answer_fix(values: list[str], more: str) -> str:
    """What to do with answers holding personal data: recode them as « Autre » text or ignore them, never
    declare them as options (the option line would hold the masked text)."""
    which = " or ".join(repr(v) for v in values)
    it, its, holds, was = ("it", "its", "holds", "it was") if len(values) == 1 else ("them", "their", "hold", "they were")
    return (f"{which}{more} {holds} personal data (masked here), which no form offers as an option: do not add "
            f"{it} to `options:`; if {was} typed in an « Autre » field, recode {it} as such: give the question "
            '`other: {label: "Autre"}` and add "Autre" to `levels:` (the text typed there is masked in every output); '
            f"otherwise ignore {it}: {its} rows stay quarantined, out of the analysis")


def _option_fix(shown: list[str], book: Codebook, name: str, more: str) -> str:
    """The option line(s) that declare `shown` under the question `name`."""
    since = f", since: {book.wave}" if book.wave else ""
    lines = " ".join(f'`- {{raw: "{_yaml_quoted(v)}", label: "{_yaml_quoted(v)}"{since}}}`' for v in shown)
    which = " or ".join(repr(v) for v in shown)
    return (f"if {which} {'is an answer' if len(shown) == 1 else 'are answers'} of the form, add the option "
            f"line{'s' if len(shown) > 1 else ''} {lines}{more} under `options:` of {name}"
            + (f" (`since:` the first wave whose form offers {'it' if len(shown) == 1 else 'them'})" if since else "")
            + f" and {'its label' if len(shown) == 1 else 'their labels'} to `levels:`; if "
            + ("it was" if len(shown) == 1 else "they were") + " typed in an « Autre » field, give the question "
            "`other: {label: \"Autre\"}` and add \"Autre\" to `levels:`")


def _yaml_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def check_quarantine(causes: list[Cause], received: int, book: Codebook, path: str, limit: float) -> None:
    """Stop when one cause quarantines more than `limit` (a share) of the rows: a codebook that no longer
    describes the form, not a few respondents' slips. One row alone is a slip whatever the share (a pilot of
    nine rows). The message names the cause, an example and the fix."""
    worst = [c for c in causes if c.status == QUARANTINED and c.rows > 1 and c.rows / received > limit]
    if not worst:
        return
    cause = max(worst, key=lambda c: (c.rows, -c.first_row))
    others = f" ({len(worst) - 1} other cause(s) above the limit, listed in the log)" if len(worst) > 1 else ""
    raise InputError(f"{path}: {cause.rows} of {received} rows ({100 * cause.rows / received:.1f} %) quarantined "
                     f"for one reason, more than {SHARE_KEY} ({100 * limit:g} %) allows{others}: {cause.what}. "
                     f"Fix: {_fix(cause, book)}. To analyse the other rows anyway, raise {SHARE_KEY} in "
                     "config.yaml.")


TIMESTAMP_EXPECTED = ("a date and time such as 19/12/2024 14:32:05 (day, month and year, in the column's day/month "
                      "order)")


def _classify(book: Codebook, export: RawExport, table: tuple[CodedColumn, ...], parsed: Parsed, stamp: tuple,
              period: dict | None, senders: Senders | None = None,
              messages: list[str] | None = None) -> dict[int, tuple[str, str, str]]:
    """Row index -> (status, reason, detail) of every row not analysed, in this order of precedence: a cell the
    reader could not keep, blank row, invalid cell, broken skip logic, inclusion criteria, period, a
    respondent's other submissions (`resubmissions`), duplicate. `messages` gets the line saying how many
    respondents sent the form more than once."""
    header, texts, dates = stamp
    outcome: dict[int, tuple[str, str, str]] = {}
    sheet = export.sheet_row
    for index, marker in _trial_rows(book, table):
        outcome[index] = (EXCLUDED, REASON_TEST, f"{export.path}, row {sheet(index)}: a trial of the form (a cell "
                          f"reads {marker!r}, one of the codebook's `test_answers`)")
    for sheet_row, problems in export.cell_problems.items():
        outcome.setdefault(sheet_row - export.header_rows - 1, (QUARANTINED, REASON_INVALID, "; ".join(problems)))
    blank = np.array([not any(row) for row in export.rows], dtype=bool)  # each row read up to its first answer
    for index in np.nonzero(blank)[0]:
        outcome.setdefault(int(index), (EXCLUDED, REASON_BLANK, f"{export.path}, row {sheet(int(index))}: every "
                                        "cell is empty"))
    for index in _incomplete_rows(book, header, texts, outcome):
        outcome[index] = (EXCLUDED, REASON_INCOMPLETE, f"{export.path}, row {sheet(index)}: no {header!r} (the "
                          "response was left before the end: `timestamp: incomplete_if_empty` in the codebook)")
    bad_stamps = {i for i, (text, date) in enumerate(zip(texts, dates)) if text and date is None}
    for index in sorted(set(parsed.problems) | bad_stamps):
        if index in outcome:
            continue
        problems = list(parsed.problems.get(index, []))
        if index in bad_stamps:
            problems.append(Problem(header, texts[index], TIMESTAMP_EXPECTED).message(export.path, sheet(index)))
        outcome[index] = (QUARANTINED, REASON_INVALID, "; ".join(problems))
    for index, skips in sorted(parsed.skips.items()):
        outcome.setdefault(index, (EXCLUDED, REASON_SKIP, "; ".join(skips)))
    for index, reason in _inclusion_failures(book, parsed.values):
        outcome.setdefault(index, (EXCLUDED, reason, f"{export.path}, row {sheet(index)}: {reason}"))
    for index, date in enumerate(dates):
        late = _check_period(date, period) if index not in outcome else None
        if late:
            outcome[index] = (EXCLUDED, REASON_PERIOD, f"{export.path}, row {sheet(index)}: {late}")
    derived = {q.id for q in book.derived}  # derived variables repeat their sources
    form_answers = [parsed.texts[name] for name in parsed.values if name not in derived and name in parsed.texts]
    if senders is not None:
        key = book.resubmissions.key  # an identifier typed with another case is the same respondent's answer
        answers = [parsed.texts[name] for name in parsed.values
                   if name not in derived and name in parsed.texts and name != key]
        note = exclude_resubmissions(senders, answers, outcome, export)
        if note and messages is not None:
            messages.append(note)
    for index, first in _duplicates(form_answers, outcome, len(export.rows)):
        outcome[index] = (EXCLUDED, REASON_DUPLICATE, f"{export.path}, row {sheet(index)}: same answers as row "
                          f"{sheet(first)} (duplicate submission; the first is kept)")
    return outcome


def _incomplete_rows(book: Codebook, header: str, stamps: list[str], outcome: dict) -> list[int]:
    """Rows without a submission time, when the codebook says the tool stamps only submitted responses (and the
    export has the timestamp column)."""
    if not book.incomplete_if_empty or not header:
        return []
    return [index for index, text in enumerate(stamps) if not text.strip() and index not in outcome]


def _trial_rows(book: Codebook, table: tuple[CodedColumn, ...]) -> list[tuple[int, str]]:
    """(row index, cell) of the rows holding one of the codebook's `test_answers` in any column (the cell of the
    first such column), each distinct answer of a column read once."""
    markers = {normalise(marker) for marker in book.test_answers}
    if not markers:
        return []
    marks: dict[str, bool] = {}  # answer -> whether it is a marker, each distinct text normalised once

    def is_marker(text: str) -> bool:
        if text not in marks:
            marks[text] = bool(text) and normalise(text) in markers
        return marks[text]

    found: dict[int, str] = {}
    for column in table:
        texts = column.values.tolist()
        marked = [code for code, text in enumerate(texts) if is_marker(text)]
        for row in np.flatnonzero(np.isin(column.codes, marked)) if marked else ():
            found.setdefault(int(row), texts[column.codes[row]])
    return sorted(found.items())


def _inclusion_failures(book: Codebook, values: dict[str, np.ndarray]) -> list[tuple[int, str]]:
    """(row index, reason) of the rows outside the inclusion criteria (the first failing rule)."""
    failures: dict[int, str] = {}
    for rule in book.inclusion:
        column = values[rule.variable]
        failing = np.zeros(len(column), dtype=bool)
        if rule.not_missing:
            failing |= np.array([v in (None, "") for v in column], dtype=bool)
        if rule.allowed:
            failing |= ~np.isin(column, list(rule.allowed))
        for index in np.nonzero(failing)[0]:
            failures.setdefault(int(index), rule.reason)
    return sorted(failures.items())


@dataclass(frozen=True)
class Senders:
    """Who sent each row, as the codebook's `resubmissions: key` says (`sender_key` of its cell; "" when blank),
    when (date and time of its timestamp, None without one), how messages name the key (never by its values)
    and which submission of a respondent is analysed (`keep`)."""

    keys: list[str]
    moments: list
    what: str
    keep: str


def find_senders(book: Codebook, export: RawExport, table: tuple[CodedColumn, ...], parsed: Parsed, moments: list,
                 messages: list[str]) -> Senders | None:
    """The sender of each row when the codebook declares `resubmissions` (else None): the key question's answer,
    or the cell of the identifying column the key names (read here, then dropped as every identifying column
    is). An export without that column (a wave whose form did not collect addresses) is said in `messages`."""
    policy = book.resubmissions
    if policy is None:
        return None
    question = policy.key_question(book)
    if question is not None:
        keys = [sender_key(str(value)) if value not in (None, "") else "" for value in parsed.values[question.id]]
        return Senders(keys, moments, f"answer to question {question.number} ({question.id})", policy.keep)
    wanted = normalise(policy.key)
    column = next((i for i, header in enumerate(export.headers) if normalise(header) == wanted), None)
    if column is None:
        messages.append(f"{export.path}: no column {policy.key!r} (the codebook's `resubmissions: key`) in this "
                        "export: a respondent's submissions cannot be told apart from others', so every one is "
                        "analysed (identical ones excluded as duplicates)")
        return None
    keys = sender_keys(table[column].cells().tolist()) if export.rows else []
    return Senders(keys, moments, f'column "{export.headers[column]}"', policy.keep)


def resubmitted(senders: Senders, outcome: dict) -> tuple[list[tuple[int, int]], int]:
    """(row index, index of the row analysed in its place) of each submission a respondent sent besides the one
    `keep` analyses, and how many respondents sent more than one, among the rows still analysed (a submission
    quarantined or outside the period replaces nothing). `last` is the latest by date and time of day, ties by
    row order; when one of a respondent's rows has no timestamp, row order alone (Forms appends submissions as
    they come)."""
    groups = repeated_senders(senders.keys, outcome)
    pairs: list[tuple[int, int]] = []
    for rows in groups if senders.keep != "all" else []:
        timed = all(senders.moments[i] is not None for i in rows)
        ordered = sorted(rows, key=lambda i: (senders.moments[i], i)) if timed else rows
        kept = ordered[-1] if senders.keep == "last" else ordered[0]
        pairs += [(index, kept) for index in rows if index != kept]
    return sorted(pairs), len(groups)


def exclude_resubmissions(senders: Senders, answers: list[tuple[np.ndarray, int]], outcome: dict,
                          export: RawExport) -> str:
    """Exclude the submissions `resubmitted` finds (in `outcome`), each with its reason and the row kept in its
    place: « doublon » when its answers are the kept row's (`answers`: as `_duplicates` takes them), else
    replaced by a later submission (`keep: last`) or sent after the first (`keep: first`). Returns the log line
    counting the respondents who sent the form more than once ("" when none did)."""
    pairs, repeated = resubmitted(senders, outcome)
    sheet, path, keep, what = export.sheet_row, export.path, senders.keep, senders.what
    for index, kept in pairs:
        if all(codes[index] == codes[kept] for codes, _n in answers):
            outcome[index] = (EXCLUDED, REASON_DUPLICATE, f"{path}, row {sheet(index)}: same answers as row "
                              f"{sheet(kept)}, sent by the same respondent (same {what}); row {sheet(kept)} is kept "
                              f"(`resubmissions: keep: {keep}`)")
        elif keep == "last":
            outcome[index] = (EXCLUDED, REASON_REPLACED, f"{path}, row {sheet(index)}: replaced by row {sheet(kept)}, "
                              f"a later submission of the same respondent (same {what}; `resubmissions: keep: last`)")
        else:
            outcome[index] = (EXCLUDED, REASON_SENT_AGAIN, f"{path}, row {sheet(index)}: sent again by the "
                              f"respondent of row {sheet(kept)} (same {what}), whose first submission is kept "
                              "(`resubmissions: keep: first`)")
    if not repeated:
        return ""
    who = f"{repeated} respondent{'s' if repeated > 1 else ''} sent the form more than once (same {what})"
    if keep == "all":
        return (f"{path}: {who}; every submission is analysed (`resubmissions: keep: all`, an address several people "
                "share); if they are one respondent's corrections, set `keep: last`")
    which = "last" if keep == "last" else "first"
    return (f"{path}: {who}; the {which} submission of each is analysed, {len(pairs)} other"
            f"{'s' if len(pairs) > 1 else ''} excluded (`resubmissions: keep: {keep}`; rows in excluded.csv)")


CHANCE_MATCH = 0.01  # above this probability, identical answers are two respondents, not one submitted twice


def _duplicates(answers: list[tuple[np.ndarray, int]], outcome: dict, n: int) -> list[tuple[int, int]]:
    """(row index, index of the first row with the same answers) among the rows still analysed; `answers`: each
    variable's answers numbered by their text, and how many texts (Parsed.texts; a variable nobody answered
    tells nothing and may be left out).

    Identical answers are a second submission only when chance would hardly give them: with few questions
    or common answers (« Oui » to a single question), many respondents answer alike. The chance that another
    of the m rows gives a row's answers is taken as (m − 1) × the product of each answer's frequency in its
    column (questions independent); at or above CHANCE_MATCH the rows are distinct respondents."""
    candidates = np.array([i for i in range(n) if i not in outcome], dtype=np.int64)
    m = len(candidates)
    if m < 2:
        return []
    key = np.zeros(m, dtype=np.int64)  # as _factorize numbers the combinations, one column at a time
    log_chance = np.full(m, np.log(m - 1.0))
    apart = False  # every row's answers so far differ from every other row's: no later answer can join two
    for codes, distinct in answers:
        codes = codes[candidates]
        if not apart:
            key, combinations = pd.factorize(key * distinct + codes)
            apart = len(combinations) == m
        frequency = np.bincount(codes) / m  # each distinct answer's, 0 for one only rows set aside hold
        log_chance += np.log(frequency, out=np.zeros_like(frequency), where=frequency > 0)[codes]
    firsts = candidates[np.unique(key, return_index=True)[1]][key]
    rare = log_chance < np.log(CHANCE_MATCH)
    return [(int(i), int(f)) for i, f, alone in zip(candidates, firsts, rare) if i != f and alone]


def _answer_codes(answers: np.ndarray) -> tuple[np.ndarray, int]:
    """The answers numbered in order of first appearance as their text (a missing answer as ""), and how many
    distinct texts: the values are numbered first, then only the distinct ones written as text (`str`, so that
    an answer 3 and an answer "3" are one)."""
    answers = np.where(answers == None, "", answers)  # noqa: E711 (elementwise, not an identity test)
    codes, uniques = pd.factorize(answers)
    if (codes < 0).any():  # a float NaN, which no parsed answer holds: its text is "nan", as str() writes it
        codes, uniques = pd.factorize(np.array([str(v) for v in answers], dtype=object))
    # the smallest integers that hold them (one byte for most questions): kept for every variable of a wide export
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # texts already, each distinct (free text)
        return codes.astype(np.min_scalar_type(len(uniques))), len(uniques)
    as_text, texts = pd.factorize(np.array([str(v) for v in uniques], dtype=object))
    return as_text.astype(np.min_scalar_type(len(texts)))[codes], len(texts)


def _blank_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def respondent_id(sheet_row: int) -> str:
    """Stable id from the spreadsheet row: rows keep their id when later rows are appended."""
    return f"R{sheet_row:05d}"


def _responses_frame(book: Codebook, parsed: Parsed, kept: np.ndarray, sheet_rows: np.ndarray,
                     dates: list) -> pd.DataFrame:
    """One row per analysed respondent, in spreadsheet order: id, submission date, every variable."""
    columns = ["respondent_id", "submitted", *book.variables]
    if not kept.any():
        return _blank_frame(columns)
    rows = np.nonzero(kept)[0]
    data = {"respondent_id": [respondent_id(int(r)) for r in sheet_rows[rows]],
            "submitted": [dates[r].isoformat() if dates[r] else "" for r in rows]}
    integer_vars = book.whole_number_variables()
    for name in book.variables:
        if name in parsed.distinct:  # parsed per distinct combination of cells: written once per combination
            values, combination = parsed.distinct[name]
            data[name] = _written(values, name in integer_vars).take(combination[rows])
        else:
            data[name] = _written(parsed.values[name][rows], name in integer_vars)
    return pd.DataFrame(data)  # built at once: a column inserted at a time fragments a wide frame


def _written(values: np.ndarray, integer: bool):
    """A variable's values as responses.csv holds them: nullable integers, or text with "" for a missing answer."""
    if integer:
        return pd.array(values.tolist(), dtype="Int64")
    written = np.array(values, dtype=object)  # a copy: `values` are the parsed answers
    written[pd.isna(values)] = ""
    return written


def _column_messages(cmap: ColumnMap, path: str) -> list[str]:
    messages = [f"{path}: dropped identifying column {h!r} (never analysed nor copied)" for h in cmap.identifying]
    messages += [f"{path}: ignored unknown column {h!r} (not in the codebook)" for h in cmap.unknown]
    messages += [f"{path}: optional column {h!r} not in the export; treated as unanswered (if this wave's form no "
                 "longer asks the question, mark the last wave that asked it on the question in the codebook, "
                 "`until: <that wave>`, and the question is left out of this wave instead)" for h in cmap.missing]
    if cmap.timestamp is None:
        messages.append(f"{path}: no timestamp column; submission dates left empty")
    return messages


def _flow(export: RawExport, cmap: ColumnMap, responses: pd.DataFrame, excluded: pd.DataFrame) -> dict:
    def by_reason(status: str) -> dict[str, int]:
        sub = excluded[excluded["status"] == status]
        return {reason: int(n) for reason, n in sorted(sub["reason"].value_counts().items())}

    flow = {
        "received": len(export.rows),
        "excluded": by_reason(EXCLUDED),
        "quarantined": by_reason(QUARANTINED),
        "analysed": len(responses),
        "columns": {
            "dropped_identifying": sorted(cmap.identifying),
            "unknown_ignored": sorted(cmap.unknown),
            "missing_optional": sorted(cmap.missing),
        },
        "file": {"encoding": export.encoding, "delimiter": export.delimiter},
    }
    check_flow(flow)
    return flow


def breakdown(responses: pd.DataFrame, book: Codebook, variables: tuple[str, ...]) -> list[dict]:
    """Analysed respondents by the levels of `variables` (codebook order), the next variable within each
    level; levels nobody gave and missing answers are left out: [{variable, level, n, children}]."""
    if not variables:
        return []
    variable, rest = variables[0], variables[1:]
    values = responses[variable].astype(str)
    nodes = []
    for level in book.question(variable).levels:
        sub = responses[values == level]
        if len(sub):
            nodes.append({"variable": variable, "level": level, "n": int(len(sub)),
                          "children": breakdown(sub, book, rest)})
    return nodes


def check_flow(flow: dict) -> None:
    """Every raw row must be analysed, excluded or quarantined: the counts must add up."""
    total = flow["analysed"] + sum(flow["excluded"].values()) + sum(flow["quarantined"].values())
    if total != flow["received"]:
        raise ConsistencyError(
            f"row accounting does not add up: received {flow['received']} but analysed + excluded + "
            f"quarantined = {total}"
        )


def header_problem(book: Codebook, path: str | Path) -> Callable[[tuple[str, ...]], str | None]:
    """Why a header row is not this questionnaire's (None when it is): picks a workbook's sheet."""
    def check(headers: tuple[str, ...]) -> str | None:
        try:
            map_columns(headers, book, str(path))
        except InputError as exc:
            return str(exc)
        return None
    return check


def clean_file(path: str | Path, book: Codebook, limits: Limits | None = None, **options) -> CleanResult:
    """Read and clean one export; records the raw file's SHA-256 in the flow."""
    result = clean_export(read_export(path, limits, header_problem(book, path)), book, **options)
    result.flow = {"source": str(path), "sha256": sha256_of(path), **result.flow}
    return result
