"""Compare what the drafter reads in an export with a hand-written codebook of the same questionnaire.

One unit per export column group the codebook declares: a question (or one branch of a question asked in
two sections, or one row of a grid of choices drafted per row). A unit matches when the drafted type is the
codebook's and, as the type has them, the same options (raw texts), the same « Autre » field, the same bounds
and the same level order (levels compared through the options' raw texts, the « Autre » level left aside; a
natural order read from either end matches: « Jamais » … « Tous les jours » is the codebook's « Tous les jours »
… « Jamais »). Options nobody chose are not expected: an export cannot show them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.read import read_export
from surveykit.tools.draft import draft_export
from surveykit.tools.draft.levels import BY_FREQUENCY


@dataclass
class Score:
    units: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.matched / self.units if self.units else 1.0


def _drafted_units(draft) -> dict[str, object]:
    """Drafted questions by header; a grid of choices also by each of its rows (« Stem [row] »)."""
    units = {}
    for guess in draft.questions:
        units[guess.header] = guess
        if guess.type == "grid_choice":
            for _item, row in guess.items:
                units[f"{guess.header} [{row}]"] = guess
    return units


def _level_raws(question, seen: set[str]) -> list[str]:
    raw_of = {}
    for option in question.options:
        if option.raw in seen:
            raw_of.setdefault(option.label, option.raw)
    return [raw_of[level] for level in question.levels if level in raw_of]


def _seen_options(question, cells: list[str]) -> set[str]:
    """The options some respondent chose (an option nobody chose cannot be read in an export)."""
    if question.type == "checkbox":
        return {o.raw for o in question.options if any(o.raw in cell for cell in cells)}
    return {o.raw for o in question.options if o.raw in set(cells)}


def _compare(truth, guess, grid_row: bool, cells: list[str]) -> str | None:
    """Why the drafted guess differs from the codebook's question, None when it matches."""
    drafted_type = "single" if grid_row and guess.type == "grid_choice" else guess.type
    if drafted_type != truth.type:
        return f"type {guess.type} (expected {truth.type})"
    if truth.type in ("single", "checkbox"):
        seen = _seen_options(truth, cells)
        if set(guess.options) != seen:
            return f"options {sorted(guess.options)} (expected {sorted(seen)})"
        if bool(guess.other) != bool(truth.other_label):
            return f"other {guess.other!r} (expected {truth.other_label!r})"
        drafted = [level for level in guess.levels if level != guess.other]
        expected = _level_raws(truth, seen)
        if drafted != expected and not (guess.order != BY_FREQUENCY and drafted == expected[::-1]):
            return f"levels {drafted} (expected {_level_raws(truth, seen)})"
    if truth.type in ("scale", "grid_scale", "grid_rank") and (guess.min, guess.max) != (truth.min, truth.max):
        return f"bounds {guess.min}–{guess.max} (expected {truth.min}–{truth.max})"
    if truth.type in ("grid_scale", "grid_rank") and [row for _i, row in guess.items] != [i.row for i in truth.items]:
        return "grid rows differ"
    return None


def score_export(export_path, codebook_path) -> Score:
    export = read_export(export_path)
    draft = draft_export(export)
    position = {header: index for index, header in enumerate(export.headers)}
    drafted = _drafted_units(draft)
    book = load_codebook(codebook_path)
    score = Score()
    for question in book.questions:
        if question.derived:
            continue
        for _branch, header in question.headers():
            header = next((h for h in (header, *question.aliases) if h in drafted or h in position), header)
            score.units += 1
            guess = drafted.get(header)
            if guess is None:
                score.misses.append(f"{question.id}: no drafted question headed {header!r}")
                continue
            cells = [row[position[header]] for row in export.rows if row[position[header]]] if header in position else []
            why = _compare(question, guess, guess.header != header, cells)
            if why is None:
                score.matched += 1
            else:
                score.misses.append(f"{question.id}: {why}")
    return score
