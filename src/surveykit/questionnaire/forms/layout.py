"""Columns other survey tools write differently from Google Forms, brought to the one layout the drafter and the
cleaning read: one column per question, the ticked options of a multi-response question in one cell joined by
", ", the text typed in « Autre » in place of the option.

Each rewrite follows a signal the file itself gives, never the tool's name:

- a multi-response cell joined by ";" and closed by ";" (« Téléconsultation;Messagerie sécurisée; », as
  Microsoft Forms writes them): a column whose every answer ends with ";" is such a column;
- a `Question[other]` / « Question [Autre] » column beside its question (LimeSurvey writes the text typed in
  « Autre » in a column of its own): the text takes the place of the option in the question's column;
- one column per option of a multi-response question, `Question[SQ001]` or « Question [Option] », holding
  "Y" / "" (answer codes) or « Oui » / « Non », « N/A » where the question was not shown (full answers)
  (LimeSurvey): one column holding the ticked options.
  Tick marks alone are not enough (a Forms grid may have « Oui » / « Non » columns): the group must have an
  `[other]` column, a "Y" cell, or the export must carry the response metadata of a tool that writes multiple
  choices so (`submitdate`, `lastpage`, `startlanguage`, or their French labels).
- two header rows (SurveyMonkey's « all responses » export): row 1 holds each question's text above its first
  column only, row 2 what each column holds, « Response » / « Réponse », « Open-Ended Response », « Other (please
  specify) », an option's text or a matrix row's label. Row 2 is read as a header row when it names every column
  row 1 leaves blank and says « Response » or « Other (please specify) » somewhere. Each question becomes one
  column as Forms writes it: a checkbox question (each option's column holds the option's text when ticked,
  nothing otherwise) one column of the ticked options with the « Other » text; a single choice its answer or the
  text typed in « Other »; a matrix one « Question [row] » column per row.
- three header rows (Framaforms, Drupal's Webform): row 1 the form's title alone, row 2 « Détails de la
  soumission » then each multiple choice's or grid's name above its first column, row 3 every column's name (an
  option, « Autre... », a grid row, a one-column question); a ticked option holds « X ». Folded as above.

The rewrite is the same for the drafter and the cleaning (both call `fold_export`), so a codebook drafted from a
folded export reads the same export again; a folded export is left as it is by a second call.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import replace
from operator import itemgetter

from surveykit.core.normalise import normalise

from .coded import coded_columns
from .read import RawExport

__all__ = ["fold_export", "typed_in_other", "stamps_submitted_only", "RESPONSE_METADATA", "SUB_HEADER_ANSWER"]

JOINED = ", "  # how the drafter and the cleaning read several ticked options in one cell (Google Forms' way)
MIN_SEMICOLON_CELLS = 3  # fewer answers than this ending with ";" do not show a ";"-joined column
_BRACKETED = re.compile(r"^(?P<stem>.+?)\s*\[(?P<sub>[^\[\]]+)\]\s*$")
_OTHER_SUBS = {"other", "autre", "autres"}
_TICKED = {"y", "oui", "yes"}
_UNTICKED = {"", "n", "non", "no", "n a"}  # « N/A »: LimeSurvey's full answer for an option nobody was shown
# The columns a tool writes about the response itself (not questions), by their normalised header: LimeSurvey's
# codes and their French and English labels, Microsoft Forms' French and English columns.
RESPONSE_METADATA = frozenset({
    "id", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl", "token",
    "id de la reponse", "derniere page", "langue de depart", "tete de serie", "date de lancement",
    "date de la derniere action", "response id", "last page", "start language", "date started", "date last action",
    "heure de debut", "heure de la derniere modification", "start time", "last modified time",
    "respondent id", "collector id", "start date", "custom data 1", "id du repondant", "id du collecteur",
    "date de debut", "donnees personnalisees 1",
    "serial", "sid", "draft", "uid", "numero", "brouillon",
})
# Row 2 of a two-row header (SurveyMonkey, English and French interfaces), normalised: a column of the question's
# answer, and the text typed in « Other ».
SUB_HEADER_ANSWER = frozenset({"response", "reponse", "open ended response", "reponse ouverte"})
_SUB_HEADER_OTHER = frozenset({"other please specify", "autre veuillez preciser", "other", "autre",
                               "autre veuillez preciser votre reponse"})
_TICK_LAYOUT = {"submitdate", "lastpage", "startlanguage", "date de soumission", "derniere page", "langue de depart",
                "date submitted", "last page", "start language"}


# The exports known to be in Forms' layout (a fold's result, or an export a fold left as it was), by identity:
# `make study` drafts an export, then cleans the same object to check its draft, and a second fold would scan
# every column again to change nothing (1.1 s on 2 000 columns × 10 000 rows). Weak: an export is not kept alive.
_IN_LAYOUT: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def fold_export(export: RawExport) -> RawExport:
    """The export with its multi-response and « Autre » columns brought to Forms' layout (see the module). Columns
    are examined one at a time and the rows rebuilt only when one changes (an export of thousands of columns
    is not copied to be left as it is)."""
    if _IN_LAYOUT.get(id(export)) is export:
        return export
    folded = _folded(export)
    _IN_LAYOUT[id(folded)] = folded
    return folded


def _folded(export: RawExport) -> RawExport:
    export = _one_header_row(export)
    semicolons = _semicolon_columns(export)
    tick_layout = stamps_submitted_only(export.headers)
    plan = _fold_plan(export, tick_layout)
    if not semicolons and all(kind == "copy" for kind, *_ in plan):
        return export
    headers = tuple(header for _kind, header, *_ in plan)
    rows = tuple(tuple(_folded_cell(step, row, semicolons) for step in plan) for row in export.rows)
    return replace(export, headers=headers, rows=rows)


def stamps_submitted_only(headers: tuple[str, ...]) -> bool:
    """Whether the export carries the response metadata of a tool that stamps a response only when it is submitted
    and writes a multiple choice one column per option (LimeSurvey: `submitdate`, `lastpage`, `startlanguage` or
    their labels). A Forms export with an empty timestamp (a paper questionnaire typed in by hand) does not."""
    return len(_TICK_LAYOUT & {normalise(h) for h in headers}) >= 2


def _semicolon_columns(export: RawExport) -> set[int]:
    """The columns whose every answer (three at least) ends with ";" (each column's distinct cells)."""
    found = set()
    for index, column in enumerate(coded_columns(export)):
        cells = column.values.tolist()
        if any(cell.strip() for cell in cells) and all(cell.rstrip().endswith(";") for cell in cells if cell.strip()):
            filled = sum(count for cell, count in zip(cells, column.counts.tolist()) if cell.strip())
            if filled >= MIN_SEMICOLON_CELLS:
                found.add(index)
    return found


def _joined(cell: str) -> str:
    """« A;B; » as « A, B »."""
    return JOINED.join(part.strip() for part in cell.split(";") if part.strip())


def _fold_plan(export: RawExport, tick_layout: bool) -> list[tuple]:
    """One step per column of the folded export: ("copy", header, column), ("other", header, column, its `[other]`
    column) or ("ticks", header, [(column, option)], `[other]` column or None)."""
    headers = export.headers
    plan: list[tuple] = []
    index = 0
    while index < len(headers):
        match = _BRACKETED.match(headers[index])
        if (match and normalise(match["sub"]) in _OTHER_SUBS and plan and plan[-1][0] == "copy"
                and plan[-1][1].strip() == match["stem"]):
            plan[-1] = ("other", plan[-1][1], plan[-1][2], index)
            index += 1
            continue
        end, other, folds = _option_run(export, index, tick_layout) if match else (index + 1, None, False)
        if folds:
            options = [(i, _BRACKETED.match(headers[i])["sub"].strip()) for i in range(index, end)]
            plan.append(("ticks", match["stem"], options, other))
            index = other + 1 if other is not None else end
            continue
        plan += [("copy", headers[i], i) for i in range(index, end)]
        index = end
    return plan


def _folded_cell(step: tuple, row: tuple[str, ...], semicolons: set[int]) -> str:
    kind = step[0]
    if kind == "copy":
        cell = row[step[2]]
        return _joined(cell) if step[2] in semicolons else cell
    if kind == "other":
        return row[step[3]].strip() or row[step[2]]
    ticked = [option for column, option in step[2] if normalise(row[column]) in _TICKED]
    other = row[step[3]].strip() if step[3] is not None else ""
    return JOINED.join([*ticked, other] if other else ticked)


def typed_in_other(export: RawExport) -> dict[str, frozenset[str]]:
    """Header of a choice question -> the texts typed in its own `[other]` column (before `fold_export` puts them in
    the question's column): answers the file itself shows were typed in « Autre », however often they recur."""
    typed: dict[str, frozenset[str]] = {}
    layered = _header_layers(export)
    if layered is not None:
        _above, rows, groups = layered
        for stem, columns in groups:
            texts = {row[i].strip() for i, sub in columns if len(columns) > 1 and normalise(sub) in _SUB_HEADER_OTHER
                     for row in rows}
            if texts - {""}:
                typed[stem] = frozenset(texts - {""})
        return typed
    for index, header in enumerate(export.headers):
        match = _BRACKETED.match(header)
        if match and index and normalise(match["sub"]) in _OTHER_SUBS and export.headers[index - 1].strip() == match["stem"]:
            typed[match["stem"]] = frozenset(row[index].strip() for row in export.rows if row[index].strip())
    return typed


def _option_run(export: RawExport, start: int, tick_layout: bool) -> tuple[int, int | None, bool]:
    """(end, index of its `[other]` column or None, whether it folds) of the run of bracketed columns sharing the
    stem of column `start` (at least that column): it folds when it reads as one multi-response question."""
    headers = export.headers
    stem = _BRACKETED.match(headers[start])["stem"]
    end = start
    while end < len(headers):
        match = _BRACKETED.match(headers[end])
        if not match or match["stem"] != stem or normalise(match["sub"]) in _OTHER_SUBS:
            break
        end += 1
    if end == start:
        return start + 1, None, False
    following = _BRACKETED.match(headers[end]) if end < len(headers) else None
    other = end if following and following["stem"] == stem and normalise(following["sub"]) in _OTHER_SUBS else None
    table = coded_columns(export)
    cells = {cell.strip() for i in range(start, end) for cell in table[i].values.tolist()}
    marks = {normalise(cell) for cell in cells}
    if not marks <= _TICKED | _UNTICKED or not marks & _TICKED:
        return end, None, False
    return end, other, other is not None or "Y" in cells or tick_layout


def _has_sub_header(export: RawExport) -> bool:
    """Whether the first row below the header is a second header row (see the module): it names every column the
    header leaves blank, some column after a named one is blank in the header, and it says « Response » or
    « Other (please specify) » at least once."""
    if not export.rows or len(export.rows[0]) != len(export.headers):
        return False
    first = export.rows[0]
    blanks = [i for i, h in enumerate(export.headers) if not h.strip()]
    if not blanks or blanks[0] == 0 or any(not first[i].strip() for i in blanks):
        return False
    return any(normalise(cell) in SUB_HEADER_ANSWER | _SUB_HEADER_OTHER for cell in first)


def _sub_header_groups(export: RawExport) -> list[tuple[str, list[tuple[int, str]]]]:
    """(question text, [(column, its row-2 text)]) of each question of a two-row header, in the export's order."""
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for index, (header, sub) in enumerate(zip(export.headers, export.rows[0])):
        if header.strip() or not groups:
            groups.append((header.strip(), []))
        groups[-1][1].append((index, sub.strip()))
    return groups


def _header_layers(export: RawExport) -> tuple[int, tuple, list] | None:
    """(rows above the answers, the answer rows, [(question, [(column, what row 2 or 3 says of it)])]) of an export
    whose header spans several rows (see the module), else None."""
    if _has_sub_header(export):
        return 2, export.rows[1:], _sub_header_groups(export)
    if _has_title_row(export):
        return 3, export.rows[2:], _title_row_groups(export)
    return None


def _one_header_row(export: RawExport) -> RawExport:
    """A header of several rows brought to one header per column as Forms writes it (see the module); any other
    export as it is. Row numbers keep counting the header's rows (`header_rows`)."""
    layered = _header_layers(export)
    if layered is None:
        return export
    above, rows, groups = layered
    headers: list[str] = []
    cells: list = []  # per output column: a function of a row
    for stem, columns in groups:
        for header, cell in _question_columns(stem, columns, rows):
            headers.append(header)
            cells.append(cell)
    folded = tuple(tuple(cell(row) for cell in cells) for row in rows)
    return replace(export, headers=tuple(headers), rows=folded, header_rows=export.header_rows + above - 1)


def _has_title_row(export: RawExport) -> bool:
    """Whether the header row is a title (Webform's export, Framaforms: the form's title over the first column and
    nothing else), the second row names the questions of several columns (« Détails de la soumission » first),
    and the third names every column."""
    headers, rows = export.headers, export.rows
    if len(headers) < 2 or not headers[0].strip() or any(h.strip() for h in headers[1:]) or len(rows) < 3:
        return False
    return bool(rows[0][0].strip()) and all(cell.strip() for cell in rows[1])


def _title_row_groups(export: RawExport) -> list[tuple[str, list[tuple[int, str]]]]:
    """The questions of a three-row header (see `_has_title_row`): a column named in row 2 starts a question of
    several columns, its options (cells « X » or nothing) and the « Autre... » column after them, or its grid rows
    (cells sharing their answers); every other column is a question, named in row 3."""
    named, labels, rows = export.rows[0], export.rows[1], export.rows[2:]
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    index = 0
    while index < len(labels):
        if index == 0 or not named[index].strip():
            groups.append((labels[index].strip(), [(index, "")]))
            index += 1
            continue
        end = _component_end(rows, named, labels, index)
        groups.append((named[index].strip(), [(i, labels[i].strip()) for i in range(index, end)]))
        index = end
    return groups


def _component_end(rows, named, labels, start: int) -> int:
    """End (exclusive) of the columns of the question named in row 2 above column `start`."""
    def values(column: int) -> set[str]:
        return {cell.strip() for cell in map(itemgetter(column), rows)} - {""}

    marks = values(start) <= {"X", "x"}
    shared = values(start)
    end = start + 1
    while end < len(labels) and not named[end].strip():
        found = values(end)
        if marks and not found <= {"X", "x"}:
            return end + 1 if normalise(labels[end]) in _SUB_HEADER_OTHER else end
        if not marks and (not found or len(found & shared) * 2 < len(found)):
            return end
        shared |= found
        end += 1
    return end


def _question_columns(stem: str, columns: list[tuple[int, str]], rows) -> list[tuple[str, object]]:
    """(header, cell of a row) of the columns one question of a two-row header becomes."""
    others = [i for i, sub in columns if normalise(sub) in _SUB_HEADER_OTHER]
    other = others[0] if len(others) == 1 and len(columns) > 1 else None
    answers = [i for i, sub in columns if normalise(sub) in SUB_HEADER_ANSWER or not sub]
    named = [(i, sub) for i, sub in columns if i not in answers and i != other]
    if not named and len(answers) == 1:  # one answer column, maybe its « Other » text
        column = answers[0]
        if other is None:
            return [(stem, itemgetter(column))]
        return [(stem, lambda row, c=column, o=other: row[o].strip() or row[c])]
    if named and not answers and (all(_ticks_its_option(rows, i, sub) for i, sub in named)
                                  or all(_marked(rows, i) for i, _sub in named)):
        def ticked(row, options=tuple(named), typed=other):
            chosen = [sub for i, sub in options if row[i].strip()]
            text = row[typed].strip() if typed is not None else ""
            return JOINED.join([*chosen, text] if text else chosen)
        return [(stem, ticked)]
    # a matrix (one column per row) or a question of several boxes: one « Question [row] » column each; the text
    # typed in its « Other (please specify) » box a question of its own, not a row of the grid
    return [(f"{stem} – {sub}" if i == other else
             f"{stem} [{sub}]" if sub and normalise(sub) not in SUB_HEADER_ANSWER else stem, itemgetter(i))
            for i, sub in columns]


def _ticks_its_option(rows, column: int, option: str) -> bool:
    """A checkbox option's column: every filled cell is the option's own text (its row-2 text)."""
    key = normalise(option)
    return all(normalise(cell) == key for cell in set(map(itemgetter(column), rows)) if cell.strip())


def _marked(rows, column: int) -> bool:
    """An option's column ticked with « X » (Webform's « Colonnes séparées »): no other mark, one at least."""
    return {cell.strip() for cell in set(map(itemgetter(column), rows))} - {""} == {"X"}
