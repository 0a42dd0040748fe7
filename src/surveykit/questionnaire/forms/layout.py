"""Columns other survey tools write differently from Google Forms, brought to the one layout the drafter and the
cleaning read: one column per question, the ticked options of a multi-response question in one cell joined by
", ", the text typed in « Autre » in place of the option.

Each rewrite follows a signal the file itself gives, never the tool's name:

- a multi-response cell joined by ";" and closed by ";" (« Téléconsultation;Messagerie sécurisée; », as
  Microsoft Forms writes them): a column whose every answer ends with ";" is such a column;
- a `Question[other]` / « Question [Autre] » column beside its question (LimeSurvey writes the text typed in
  « Autre » in a column of its own): the text takes the place of the option in the question's column;
- one column per option of a multi-response question, `Question[SQ001]` or « Question [Option] », holding
  "Y" / "" (answer codes) or « Oui » / « Non » (full answers) (LimeSurvey): one column holding the ticked options.
  Tick marks alone are not enough (a Forms grid may have « Oui » / « Non » columns): the group must have an
  `[other]` column, a "Y" cell, or the export must carry the response metadata of a tool that writes multiple
  choices so (`submitdate`, `lastpage`, `startlanguage`, or their French labels).

The rewrite is the same for the drafter and the cleaning (both call `fold_export`), so a codebook drafted from a
folded export reads the same export again; a folded export is left as it is by a second call.
"""
from __future__ import annotations

import re
from dataclasses import replace

from surveykit.core.normalise import normalise

from .read import RawExport

__all__ = ["fold_export", "typed_in_other", "RESPONSE_METADATA"]

JOINED = ", "  # how the drafter and the cleaning read several ticked options in one cell (Google Forms' way)
MIN_SEMICOLON_CELLS = 3  # fewer answers than this ending with ";" do not show a ";"-joined column
_BRACKETED = re.compile(r"^(?P<stem>.+?)\s*\[(?P<sub>[^\[\]]+)\]\s*$")
_OTHER_SUBS = {"other", "autre", "autres"}
_TICKED = {"y", "oui", "yes"}
_UNTICKED = {"", "n", "non", "no"}
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
    """The export with its multi-response and « Autre » columns brought to Forms' layout (see the module)."""
    columns = [list(column) for column in zip(*export.rows)] if export.rows else [[] for _ in export.headers]
    headers = list(export.headers)
    changed = _join_semicolons(columns)
    tick_layout = len(_TICK_LAYOUT & {normalise(h) for h in headers}) >= 2
    headers, columns, folded = _fold_brackets(headers, columns, tick_layout)
    if not (changed or folded):
        return export
    rows = tuple(zip(*columns)) if columns and export.rows else tuple(() for _ in export.rows)
    return replace(export, headers=tuple(headers), rows=rows)


def typed_in_other(export: RawExport) -> dict[str, frozenset[str]]:
    """Header of a choice question -> the texts typed in its own `[other]` column (before `fold_export` puts them in
    the question's column): answers the file itself shows were typed in « Autre », however often they recur."""
    typed: dict[str, frozenset[str]] = {}
    for index, header in enumerate(export.headers):
        match = _BRACKETED.match(header)
        if match and index and normalise(match["sub"]) in _OTHER_SUBS and export.headers[index - 1].strip() == match["stem"]:
            typed[match["stem"]] = frozenset(row[index].strip() for row in export.rows if row[index].strip())
    return typed


def _join_semicolons(columns: list[list[str]]) -> bool:
    """Rewrite « A;B; » cells as « A, B » in the columns whose every answer ends with ";"."""
    changed = False
    for column in columns:
        filled = [cell for cell in column if cell.strip()]
        if len(filled) < MIN_SEMICOLON_CELLS or not all(cell.rstrip().endswith(";") for cell in filled):
            continue
        column[:] = [JOINED.join(part.strip() for part in cell.split(";") if part.strip()) for cell in column]
        changed = True
    return changed


def _fold_brackets(headers: list[str], columns: list[list[str]], tick_layout: bool):
    """Merge `Q[other]` into `Q`, and a run of `Q[option]` tick columns (with their `Q[other]`) into one `Q`."""
    out_headers: list[str] = []
    out_columns: list[list[str]] = []
    folded = False
    index = 0
    while index < len(headers):
        match = _BRACKETED.match(headers[index])
        if match and normalise(match["sub"]) in _OTHER_SUBS and out_headers and out_headers[-1].strip() == match["stem"]:
            out_columns[-1] = [other.strip() or main for main, other in zip(out_columns[-1], columns[index])]
            folded, index = True, index + 1
            continue
        run = _option_run(headers, columns, index, tick_layout) if match else None
        if run:
            end, other = run
            subs = [_BRACKETED.match(headers[i])["sub"].strip() for i in range(index, end)]
            out_headers.append(match["stem"])
            out_columns.append([_ticked_cell(subs, [columns[i][row] for i in range(index, end)],
                                             columns[other][row] if other is not None else "")
                                for row in range(len(columns[index]))])
            folded, index = True, (other + 1 if other is not None else end)
            continue
        out_headers.append(headers[index])
        out_columns.append(columns[index])
        index += 1
    return out_headers, out_columns, folded


def _option_run(headers: list[str], columns: list[list[str]], start: int, tick_layout: bool):
    """(end, index of its `[other]` column or None) of the run of tick columns sharing the stem of column
    `start`, when the run reads as one multi-response question; else None."""
    stem = _BRACKETED.match(headers[start])["stem"]
    end = start
    while end < len(headers):
        match = _BRACKETED.match(headers[end])
        if not match or match["stem"] != stem or normalise(match["sub"]) in _OTHER_SUBS:
            break
        if any(normalise(cell) not in _TICKED | _UNTICKED for cell in columns[end]):
            return None
        end += 1
    if end == start:
        return None
    following = _BRACKETED.match(headers[end]) if end < len(headers) else None
    other = end if following and following["stem"] == stem and normalise(following["sub"]) in _OTHER_SUBS else None
    coded = any(cell.strip() == "Y" for i in range(start, end) for cell in columns[i])
    if other is None and not coded and not tick_layout:
        return None
    if not any(normalise(cell) in _TICKED for i in range(start, end) for cell in columns[i]):
        return None
    return end, other


def _ticked_cell(subs: list[str], cells: list[str], other: str) -> str:
    ticked = [sub for sub, cell in zip(subs, cells) if normalise(cell) in _TICKED]
    if other.strip():
        ticked.append(other.strip())
    return JOINED.join(ticked)
