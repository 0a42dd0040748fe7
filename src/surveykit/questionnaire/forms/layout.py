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

The rewrite is the same for the drafter and the cleaning (both call `fold_export`), so a codebook drafted from a
folded export reads the same export again; a folded export is left as it is by a second call.
"""
from __future__ import annotations

import re
from dataclasses import replace
from operator import itemgetter

from surveykit.core.normalise import normalise

from .read import RawExport

__all__ = ["fold_export", "typed_in_other", "stamps_submitted_only", "RESPONSE_METADATA"]

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
})
_TICK_LAYOUT = {"submitdate", "lastpage", "startlanguage", "date de soumission", "derniere page", "langue de depart",
                "date submitted", "last page", "start language"}


def fold_export(export: RawExport) -> RawExport:
    """The export with its multi-response and « Autre » columns brought to Forms' layout (see the module). Columns
    are examined one at a time and the rows rebuilt only when one changes (an export of thousands of columns
    is not copied to be left as it is)."""
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
    """The columns whose every answer (three at least) ends with ";" (each column's distinct cells, gathered in C)."""
    found = set()
    for index in range(len(export.headers)):
        distinct = set(map(itemgetter(index), export.rows))
        filled = [cell for cell in distinct if cell.strip()]
        if filled and all(cell.rstrip().endswith(";") for cell in filled):
            if sum(1 for row in export.rows if row[index].strip()) >= MIN_SEMICOLON_CELLS:
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
    cells = {cell.strip() for i in range(start, end) for cell in set(map(itemgetter(i), export.rows))}
    marks = {normalise(cell) for cell in cells}
    if not marks <= _TICKED | _UNTICKED or not marks & _TICKED:
        return end, None, False
    return end, other, other is not None or "Y" in cells or tick_layout
