"""Cleaning and validation: every raw row is analysed, excluded or quarantined, with a reason.

Policy (also in the README):
- the run STOPS (InputError) when the file cannot be read or a required question's
  column is missing: nothing sensible can be analysed;
- a row is QUARANTINED when a cell holds a value the form cannot have produced
  (unknown option, out-of-range scale, repeated rank, unreadable date, empty required
  answer): the row is set aside with the exact cell named, or the run stops when the
  wave's `on_invalid` is `stop`;
- a row is EXCLUDED when it is valid but outside the analysis: blank row, broken skip
  logic, outside the inclusion criteria or the collection period, duplicate submission.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .codebook import GRID_TYPES, INTEGER_TYPES, Codebook, Question, derive
from .errors import ConsistencyError, InputError
from .forms.headers import Column, ColumnMap, map_columns, normalise
from .forms.read import Limits, RawExport, read_export
from .forms.timestamps import parse_date, parse_timestamps

QUARANTINED = "quarantined"
EXCLUDED = "excluded"
REASON_INVALID = "valeur invalide"
REASON_BLANK = "ligne vide"
REASON_SKIP = "logique de saut non respectée"
REASON_PERIOD = "hors période de recueil"
REASON_DUPLICATE = "doublon"


@dataclass(frozen=True)
class Problem:
    """A cell the form cannot have produced: the column, its value and what was expected."""

    header: str
    value: object
    expected: str

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
class RowOutcome:
    values: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    skip_violations: list[str] = field(default_factory=list)


@dataclass
class CleanResult:
    responses: pd.DataFrame
    excluded: pd.DataFrame
    flow: dict
    messages: list[str]


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    """A typed number ("12", "12,5"), within the question's bounds when it has them."""
    try:
        number = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        number = float("nan")
    low = question.min if question.min is not None else -float("inf")
    high = question.max if question.max is not None else float("inf")
    if number != number or not low <= number <= high:
        bounds = f" from {question.min:g} to {question.max:g}" if question.min is not None and question.max is not None \
            else ""
        problems.append(Problem(header, text, f"a number{bounds}"))
        return None
    return int(number) if number.is_integer() else number


def split_checkbox(question: Question, text: str) -> tuple[list[str], str]:
    """Split a checkbox cell against the known options (they may contain ', ').

    Returns the matched option labels and the remaining free text ("Autre :")."""
    options = sorted(question.options, key=lambda o: len(o.raw), reverse=True)
    labels: list[str] = []
    rest = text.strip()
    while rest:
        match = next((o for o in options if rest.startswith(o.raw) and rest[len(o.raw):][:2] in ("", ", ")), None)
        if match is None:
            break
        labels.append(match.label)
        rest = rest[len(match.raw) + 2:].strip()
    return labels, rest


def _option_label(question: Question, text: str) -> str | None:
    key = normalise(text)
    return next((option.label for option in question.options if normalise(option.raw) == key), None)


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
    values[question.id] = "; ".join(level for level in question.levels if level in labels)


def _parse_answers(question: Question, cells: list[tuple[Column, str]], values: dict,
                   problems: list[Problem]) -> None:
    """Parse the cells of one question (already restricted to the active branch)."""
    filled = [(column, text) for column, text in cells if text]
    if question.required and len(filled) < len(cells):
        problems += [Problem(column.header, text, "an answer (the question is mandatory in the form)")
                     for column, text in cells if not text]
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
        date = parse_date(text)
        if date is None:
            problems.append(Problem(column.header, text, "a date such as 19/12/2024"))
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
    return QuestionParse(tuple(values.items()), tuple(problems), tuple(skips))


class RowParser:
    """Parses the rows of one export question by question.

    Survey answers repeat (a few options per question), so each question's parse is memoised on its
    cells and the earlier answers it depends on; the cells of a rating grid are independent, so they
    are memoised one by one, and free-text questions are parsed directly. This is what keeps a
    100 000-row export to seconds."""

    def __init__(self, book: Codebook, cmap: ColumnMap):
        self.plan = [(question, cmap.for_question(question)) for question in book.questions]
        self.derived = [(question, book.question(question.derived.source)) for question in book.derived]
        self.memo: dict[tuple, QuestionParse] = {}
        self.derived_memo: dict[tuple, object] = {}

    def parse(self, row: tuple[str, ...], sheet_row: int, path: str) -> RowOutcome:
        out = RowOutcome()
        for question, columns in self.plan:
            texts = tuple(row[column.index] for column in columns)
            branch = out.values.get(question.branch_on) if question.branch_on else None
            asked = all(out.values.get(var) == value for var, value in question.asked_if.items())
            for parsed in self._parses(question, columns, texts, branch, asked):
                out.values.update(parsed.values)
                if parsed.problems or parsed.skips:
                    out.problems += [problem.message(path, sheet_row) for problem in parsed.problems]
                    out.skip_violations += [skip.message(path, sheet_row) for skip in parsed.skips]
        for question, source in self.derived:
            out.values[question.id] = self._derive(question, source, out.values)
        return out

    def _derive(self, question: Question, source: Question, values: dict) -> object:
        """A derived variable's value; a multi-response source asked but left blank means none ticked."""
        value = values.get(source.id)
        if value in (None, "") and question.derived.any_of and source.is_asked(values):
            value = "\x00"  # no option ticked: not missing
        key = (question.id, value)
        if key not in self.derived_memo:
            self.derived_memo[key] = derive(question, value)
        return self.derived_memo[key]

    def _parses(self, question, columns, texts, branch, asked) -> list[QuestionParse]:
        if question.type == "text":
            return [parse_question(question, columns, texts, branch, asked)]
        if question.type == "grid_scale":
            return [self._memoised(question, [column], (text,), branch, asked)
                    for column, text in zip(columns, texts)]
        return [self._memoised(question, columns, texts, branch, asked)]

    def _memoised(self, question, columns, texts, branch, asked) -> QuestionParse:
        key = (question.id, columns[0].index, branch, asked, texts)
        parsed = self.memo.get(key)
        if parsed is None:
            parsed = self.memo[key] = parse_question(question, columns, texts, branch, asked)
        return parsed


def _check_period(date: dt.date | None, period: dict | None) -> str | None:
    if not period or date is None:
        return None
    start, end = period.get("start"), period.get("end")
    if (start and date < dt.date.fromisoformat(str(start))) or (end and date > dt.date.fromisoformat(str(end))):
        return f"submitted on {date.isoformat()}, outside the collection period {start} – {end}"
    return None


def _inclusion_failure(book: Codebook, values: dict) -> str | None:
    for rule in book.inclusion:
        value = values.get(rule.variable)
        if rule.not_missing and value in (None, ""):
            return rule.reason
        if rule.allowed and value not in rule.allowed:
            return rule.reason
    return None


def _blank_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def respondent_id(sheet_row: int) -> str:
    """Stable id from the spreadsheet row: rows keep their id when later rows are appended."""
    return f"R{sheet_row:05d}"


def clean_export(
    export: RawExport,
    book: Codebook,
    *,
    period: dict | None = None,
    on_invalid: str = "quarantine",
) -> CleanResult:
    """Sort every row of `export` into analysed, excluded or quarantined."""
    cmap = map_columns(export.headers, book, export.path)
    messages = [*export.notices, *_column_messages(cmap, export.path)]
    kept: list[dict] = []
    excluded: list[dict] = []
    seen_answers: dict[tuple, int] = {}
    parser = RowParser(book, cmap)
    stamp_header = export.headers[cmap.timestamp] if cmap.timestamp is not None else ""
    stamps = [row[cmap.timestamp] for row in export.rows] if cmap.timestamp is not None else [""] * len(export.rows)
    parsed = parse_timestamps(stamps)
    dates = parsed.dates
    if parsed.note:
        messages.append(f"{export.path}, column {stamp_header!r}: {parsed.note}")
    for index, row in enumerate(export.rows):
        sheet_row = export.sheet_row(index)
        stamp = (stamp_header, stamps[index], dates[index])
        status, reason, detail, record = _classify_row(book, parser, export, row, sheet_row, stamp, period,
                                                       seen_answers)
        if status is None:
            kept.append(record)
            continue
        if status == QUARANTINED and on_invalid == "stop":
            raise InputError(detail)
        excluded.append({"sheet_row": sheet_row, "status": status, "reason": reason, "detail": detail})
        messages.append(f"row {sheet_row} {status}: {detail}")
    responses = _responses_frame(book, kept)
    excluded_frame = pd.DataFrame(excluded, columns=["sheet_row", "status", "reason", "detail"])
    flow = _flow(export, cmap, responses, excluded_frame)
    flow["file"]["timestamp_order"] = parsed.order
    flow["breakdown"] = breakdown(responses, book, book.flow_breakdown)
    return CleanResult(responses, excluded_frame, flow, messages)


def _classify_row(book, parser, export, row, sheet_row, stamp, period, seen_answers):
    """Return (status, reason, detail, record); status None means analysed.

    `stamp` is the timestamp column's (header, text, parsed date)."""
    if sheet_row in export.cell_problems:  # a cell the reader could not keep (too long)
        return QUARANTINED, REASON_INVALID, "; ".join(export.cell_problems[sheet_row]), None
    if not any(row):
        return EXCLUDED, REASON_BLANK, f"{export.path}, row {sheet_row}: every cell is empty", None
    outcome = parser.parse(row, sheet_row, export.path)
    header, text, submitted = stamp
    if text and submitted is None:
        problem = Problem(header, text, "a date and time such as 19/12/2024 14:32:05 (day, month and year, "
                                        "in the column's day/month order)")
        outcome.problems.append(problem.message(export.path, sheet_row))
    if outcome.problems:
        return QUARANTINED, REASON_INVALID, "; ".join(outcome.problems), None
    if outcome.skip_violations:
        return EXCLUDED, REASON_SKIP, "; ".join(outcome.skip_violations), None
    failure = _inclusion_failure(book, outcome.values)
    if failure:
        return EXCLUDED, failure, f"{export.path}, row {sheet_row}: {failure}", None
    late = _check_period(submitted, period)
    if late:
        return EXCLUDED, REASON_PERIOD, f"{export.path}, row {sheet_row}: {late}", None
    key = tuple(sorted((k, str(v)) for k, v in outcome.values.items() if v not in (None, "")))
    if key in seen_answers:
        first = seen_answers[key]
        return EXCLUDED, REASON_DUPLICATE, (
            f"{export.path}, row {sheet_row}: same answers as row {first} (duplicate submission; the first is kept)"
        ), None
    seen_answers[key] = sheet_row
    record = {"respondent_id": respondent_id(sheet_row), "submitted": submitted.isoformat() if submitted else ""}
    record.update(outcome.values)
    return None, None, None, record


def _responses_frame(book: Codebook, records: list[dict]) -> pd.DataFrame:
    columns = ["respondent_id", "submitted", *book.variables]
    frame = pd.DataFrame.from_records(records, columns=columns) if records else _blank_frame(columns)
    integer_vars = [v for v, q in book.variable_question().items()
                    if q.type in INTEGER_TYPES and v != q.other_variable]
    for name in integer_vars:
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    text_vars = [c for c in columns if c not in integer_vars]
    frame[text_vars] = frame[text_vars].astype("object").where(frame[text_vars].notna(), "")
    return frame.sort_values("respondent_id", kind="stable").reset_index(drop=True)


def _column_messages(cmap: ColumnMap, path: str) -> list[str]:
    messages = [f"{path}: dropped identifying column {h!r} (never analysed nor copied)" for h in cmap.identifying]
    messages += [f"{path}: ignored unknown column {h!r} (not in the codebook)" for h in cmap.unknown]
    messages += [f"{path}: optional column {h!r} not in the export; treated as unanswered" for h in cmap.missing]
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
