"""Score a drafted codebook against the truth an export was generated from.

Questions are matched by header (a grid by the stem of its `Question [Row]` headers). For each question of
the truth, the aspects a drafter must get right:

- `type`: single, checkbox, scale, number (years too), date, text, grid_scale, grid_rank, grid_choice;
- `options`: the options that occur in the export (as a set: a nominal question has no natural order), and
  whether text was typed in « Autre » (the drafted `other`);
- `levels`: for ordered answers (frequency, agreement, satisfaction, intensity, yes/no, classes), the drafted
  `levels` (« Autre » aside) in exactly the natural order, non-substantive answers last;
- `bounds`: `min`/`max` of a linear scale or a rating/ranking grid, as the form sets them (not as observed);
- `items`: the rows of a grid, in the form's order.

A question matches when every aspect that applies to it is right; a question the drafter wrote as several
(a choice grid split into one question per row) or did not write is a `type` miss. Two aspects are reported
beside the match without counting in it: the `denominator` of a checkbox question (asked / answered), the
skip logic (`asked_if`), and whether a question nobody answered is drafted at all (its type cannot be read). Columns drafted as questions although the truth has none (e.g. an identifying
column) are listed as extra.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CORE = ("type", "options", "levels", "bounds", "items")
SIDE = ("denominator", "asked_if", "never answered")


@dataclass
class Miss:
    seed: int | None
    header: str
    detail: str  # what the question was generated as: "frequency", "recurring open", "rating grid"…
    aspect: str
    expected: object
    drafted: object

    @property
    def kind(self) -> str:
        """A short name of the miss for counting: « frequency: levels », « recurring open: type text → single »."""
        if self.aspect == "type":
            drafted = re.sub(r"^\d+ question\(s\) ", "", str(self.drafted))
            return f"{self.detail}: type {self.expected} → {drafted}"
        return f"{self.detail}: {self.aspect}"

    def line(self) -> str:
        return (f"seed {self.seed} « {self.header} » ({self.detail}) {self.aspect}: expected {self.expected!r}, "
                f"drafted {self.drafted!r}")


@dataclass
class Comparison:
    seed: int | None
    questions: int = 0
    matched: int = 0
    by_type: Counter = field(default_factory=Counter)  # truth type -> questions
    matched_by_type: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    side: list[Miss] = field(default_factory=list)  # denominator and asked_if, not counted in the match
    side_checked: Counter = field(default_factory=Counter)
    extra: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.matched / self.questions if self.questions else 1.0


def draft_codebook(path: str | Path, study: str = "corpus") -> dict:
    """The codebook.yaml `make study` would write for this export, as data (rendered alone: it is scored even
    when the drafter cannot write the rest of the study, e.g. an analysis plan for only open questions)."""
    from surveykit.questionnaire.forms.read import read_export

    from ...draft import draft_export
    from ...draft.render import codebook_text

    guess = draft_export(read_export(path))
    return yaml.safe_load(codebook_text(guess, study, str(path)))


def _drafted_other(question: dict) -> str | None:
    other = question.get("other")
    return other.get("label") if isinstance(other, dict) else None


def compare_codebook(codebook: dict, truth: dict) -> Comparison:
    """Every truth question beside its drafted entry; see the module's docstring."""
    result = Comparison(truth.get("seed"))
    drafted = [q for q in codebook.get("questions", [])]
    by_header = {q.get("header"): q for q in drafted if q.get("header")}
    claimed: set[str] = set()
    for expected in truth["questions"]:
        header, kind = expected["header"], expected["type"]
        if expected.get("detail") == "never answered":  # its type cannot be read from an export: only its presence
            result.side_checked["never answered"] += 1
            if header in by_header:
                claimed.add(header)
            else:
                result.side.append(Miss(truth.get("seed"), header, "never answered", "never answered", "a question",
                                        "missing"))
            continue
        result.questions += 1
        result.by_type[kind] += 1
        misses: list[Miss] = []

        def miss(aspect: str, want, got, bucket=misses) -> None:
            bucket.append(Miss(truth.get("seed"), header, expected.get("detail", kind), aspect, want, got))

        question = by_header.get(header)
        rows = [item["row"] for item in expected.get("items", [])]
        if question is None and rows:
            split = [by_header.get(f"{header} [{row}]") for row in rows]
            found = [q for q in split if q is not None]
            claimed.update(q["header"] for q in found)
            types = sorted({q["type"] for q in found})
            miss("type", kind, f"{len(found)} question(s) {'/'.join(types)}, one per row" if found else "missing")
            result.misses += misses
            continue
        if question is None:
            miss("type", kind, "missing")
            result.misses += misses
            continue
        claimed.add(header)
        if question.get("type") != kind:
            miss("type", kind, question.get("type"))
        else:
            _compare_answers(expected, question, miss)
        if kind == "checkbox" and question.get("type") == kind:
            result.side_checked["denominator"] += 1
            if question.get("denominator") != expected["denominator"]:
                miss("denominator", expected["denominator"], question.get("denominator"), result.side)
        if expected.get("asked_if") or question.get("asked_if"):
            result.side_checked["asked_if"] += 1
            if _asked_if(question, by_id={q["id"]: q for q in drafted}) != expected.get("asked_if"):
                miss("asked_if", expected.get("asked_if"), _asked_if(question, {q["id"]: q for q in drafted}),
                     result.side)
        result.misses += misses
        if not misses:
            result.matched += 1
            result.matched_by_type[kind] += 1
    result.extra = [q.get("header") for q in drafted if q.get("header") not in claimed]
    return result


def _asked_if(question: dict, by_id: dict) -> dict | None:
    """The drafted skip logic with the gate named by its header, as the truth names it."""
    asked = question.get("asked_if")
    if not asked:
        return None
    return {by_id.get(k, {}).get("header", k): v for k, v in asked.items()}


def _compare_answers(expected: dict, question: dict, miss) -> None:
    kind = expected["type"]
    if "options" in expected:
        want = sorted(o["raw"] for o in expected["options"])
        got = sorted(o["raw"] for o in question.get("options", []) or [])
        if want != got:
            miss("options", want, got)
        elif bool(expected.get("other")) != bool(_drafted_other(question)):
            miss("options", f"« Autre » typed: {bool(expected.get('other'))}",
                 f"other: {_drafted_other(question)!r}")
        elif expected.get("levels") is not None:
            other = _drafted_other(question)
            got_levels = [level for level in question.get("levels", []) if level != other]
            want_levels = [_label(expected, level) for level in expected["levels"]]
            if got_levels != want_levels:
                miss("levels", want_levels, got_levels)
    if "min" in expected and (question.get("min"), question.get("max")) != (expected["min"], expected["max"]):
        miss("bounds", [expected["min"], expected["max"]], [question.get("min"), question.get("max")])
    if kind.startswith("grid_"):
        want_rows = [item["row"] for item in expected.get("items", [])]
        got_rows = [item.get("row") for item in question.get("items", []) or []]
        if want_rows != got_rows:
            miss("items", want_rows, got_rows)


def _label(expected: dict, raw: str) -> str:
    return next((o["label"] for o in expected["options"] if o["raw"] == raw), raw)


def summarise(comparisons: list[Comparison]) -> dict:
    """The match rate over all questions, per type, and every miss counted by kind."""
    total = sum(c.questions for c in comparisons)
    matched = sum(c.matched for c in comparisons)
    by_type, matched_by_type = Counter(), Counter()
    for c in comparisons:
        by_type.update(c.by_type)
        matched_by_type.update(c.matched_by_type)
    misses = [m for c in comparisons for m in c.misses]
    side = [m for c in comparisons for m in c.side]
    side_checked = Counter()
    for c in comparisons:
        side_checked.update(c.side_checked)
    return {
        "exports": len(comparisons), "questions": total, "matched": matched,
        "rate": matched / total if total else 1.0,
        "by_type": {t: (matched_by_type[t], by_type[t]) for t in sorted(by_type)},
        "miss_kinds": Counter(m.kind for m in misses).most_common(),
        "misses": misses,
        "side": {aspect: (side_checked[aspect] - sum(m.aspect == aspect for m in side), side_checked[aspect])
                 for aspect in SIDE},
        "side_misses": side,
        "extra": [(c.seed, h) for c in comparisons for h in c.extra],
    }
