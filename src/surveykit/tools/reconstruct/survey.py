"""Reconstruct a wave of closed answers from published percentages and a spec of unpublished choices.

For a publication that prints shares (« 88 % … dont 70 % plusieurs fois par jour », « 66 % des médecins »)
rather than tables. Everything study-specific lives in the spec (data/studies/<study>/reconstruction/spec.yaml,
schema src/surveykit/schemas/reconstruction.schema.yaml): the expected share of every answer the publication
does not print, how answers depend on earlier ones (multipliers), the free texts, the open answers and the
collection calendar. This module knows no study.

Questions are drawn in questionnaire order, each on the respondents the form asks it (`asked_if`):
1. every published percentage of the question (or of a derived variable regrouping it) becomes an integer
   range of counts: the counts whose percentage lies strictly inside the interval of the printed digits
   (surveykit.tools.reconstruct.rounding), so they print as published whatever the rounding rule; « près de »
   reads as at most the value and at most NEAR_MARGIN points below;
2. respondents are split into strata by the variables the targets name (`by`, `among`); a MILP (HiGHS) picks
   the counts per stratum and answer closest to the expected counts (spec shares × multipliers) within every
   range; an infeasible set of ranges is reported with the ranges that conflict;
3. the answers are dealt to the respondents of each stratum by weighted sampling without replacement
   (Efraimidis–Spirakis), so that the multipliers show up as associations between questions.
Seeded: the same spec and seed give the same table, byte for byte.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from surveykit.analysis.describe import asked_mask
from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import MULTI_SEPARATOR, Codebook, Question, derive
from surveykit.reproduction.published import Publication, PublishedItem, qualified_bounds

from .rounding import target
from .timestamps import Wave, draw_timestamps

CHECKBOX_CAP = 0.97  # no option is ticked by everyone asked, however large its multipliers


# ------------------------------------------------------------------------------------------- spec

@dataclass(frozen=True)
class QuestionSpec:
    shares: dict[str, float] = field(default_factory=dict)
    effects: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    other_texts: tuple[str, ...] = ()
    answers: tuple[dict, ...] = ()  # open question: [{text, n, categories}]


@dataclass(frozen=True)
class Spec:
    path: str
    wave: str
    seed: int
    files: dict[str, str]
    questions: dict[str, QuestionSpec]
    mailings: tuple[Wave, ...]
    end: dt.datetime
    engagement: float = 0.0
    coder: str = "reconstruction"


def load_spec(path: str | Path) -> Spec:
    raw = load_validated(path, package_schema("reconstruction.schema.yaml"))
    questions = {
        qid: QuestionSpec(dict(q.get("shares", {})), {v: dict(m) for v, m in q.get("effects", {}).items()},
                          tuple(q.get("other_texts", [])), tuple(q.get("answers", [])))
        for qid, q in raw["questions"].items()
    }
    mailings = tuple(Wave(dt.date.fromisoformat(str(m["start"])), float(m["weight"]), float(m["mean_delay_days"]))
                     for m in raw["collection"]["mailings"])
    end = dt.datetime.fromisoformat(str(raw["collection"]["end"]))
    return Spec(str(path), raw["wave"], raw["seed"], dict(raw["files"]), questions, mailings, end,
                float(raw.get("engagement", 0.0)), raw.get("coder", "reconstruction"))


# ---------------------------------------------------------------------------------------- targets

@dataclass(frozen=True)
class CountTarget:
    """Counts of `levels` (source levels of the drawn question) among the respondents matching `where`."""

    ref: str
    levels: tuple[str, ...]
    where: tuple[tuple[str, str], ...]  # (variable, level) the percentage is of (`by`/`group`, `among`)
    low: Fraction  # admissible percentage (or count when `exact`): closed bounds after rounding to counts
    high: Fraction
    printed: str
    exact: int | None = None  # a printed count
    open_low: bool = True
    open_high: bool = True

    def count_range(self, denominator: int) -> tuple[int, int]:
        """Integer counts c such that 100 c / denominator is inside the admissible range."""
        if self.exact is not None:
            return self.exact, self.exact
        low, high = self.low * denominator / 100, self.high * denominator / 100
        lo = math.floor(low) + 1 if self.open_low else math.ceil(low)
        hi = math.ceil(high) - 1 if self.open_high else math.floor(high)
        return lo, hi


def source_levels(book: Codebook, variable: str, levels: Sequence[str]) -> tuple[Question, tuple[str, ...]]:
    """The form question a (possibly derived, regrouped) variable comes from, and its levels behind `levels`."""
    question = book.question(variable)
    levels = tuple(levels)
    while question.derived is not None:
        rule = question.derived
        if not rule.regroup:
            raise InputError(f"{book.source}: published numbers on {variable!r} ({question.id} is not a regrouping): "
                             "the reconstruction maps only regrouped derived variables back to their question")
        groups = dict(rule.regroup)
        levels = tuple(member for level in levels for member in groups[level])
        question = book.question(rule.source)
    return question, levels


def _bounds(item: PublishedItem) -> tuple[Fraction, Fraction, bool, bool]:
    number = item.numbers["pct"]
    bounds = qualified_bounds(item.qualifier, number.exact)
    if bounds is not None:  # a percentage lies in [0, 100] where the qualifier states no bound
        low = Fraction(0) if bounds.low is None else bounds.low
        high = Fraction(100) if bounds.high is None else bounds.high
        return low, high, bounds.low_strict, bounds.high_strict
    bound = target(number, "strict")
    return bound.lo, bound.hi, True, True


def count_targets(pub: Publication, book: Codebook) -> dict[str, list[CountTarget]]:
    """Published count items as targets, by the form question they constrain (repeats kept once)."""
    out: dict[str, list[CountTarget]] = {}
    seen = set()
    for item in pub.items:
        if item.kind != "count":
            raise InputError(f"{pub.path}: « {item.ref} »: this reconstruction reads percentages and counts "
                             f"(kind count) only, not {item.kind}")
        question, levels = source_levels(book, item.variable, item.level)
        where = tuple(sorted((((item.by, item.group),) if item.by else ()) + item.among))
        key = (question.id, levels, where, tuple((k, n.text) for k, n in sorted(item.numbers.items())), item.qualifier)
        if key in seen:
            continue
        seen.add(key)
        printed = " ".join(f"{k}={n.text}" for k, n in item.numbers.items())
        if "pct" in item.numbers:
            low, high, open_low, open_high = _bounds(item)
            out.setdefault(question.id, []).append(CountTarget(item.ref, levels, where, low, high, printed,
                                                               None, open_low, open_high))
        if "n" in item.numbers:
            out.setdefault(question.id, []).append(CountTarget(item.ref, levels, where, Fraction(0), Fraction(0),
                                                               printed, item.count))
    return out


# ------------------------------------------------------------------------------------------ solver

@dataclass
class Solved:
    question: str
    strata: list[tuple[tuple[str, str], ...]]
    sizes: list[int]
    levels: list[str]
    counts: np.ndarray  # strata x levels
    lines: list[str]
    members: dict = field(default_factory=dict)  # stratum -> respondent indices


def _weights(question: Question, levels: list[str], spec: QuestionSpec, columns: Mapping[str, np.ndarray],
             idx: np.ndarray, engagement: np.ndarray | None) -> np.ndarray:
    """Each asked respondent's weight for each answer: the spec's share times the multipliers of its answers."""
    missing = [level for level in levels if level not in spec.shares]
    if missing:
        raise InputError(f"spec: question {question.id}: no expected share for {missing}")
    weights = np.tile(np.array([spec.shares[level] for level in levels], dtype=float), (len(idx), 1))
    for variable, by_level in spec.effects.items():
        if variable not in columns:
            raise InputError(f"spec: question {question.id}: effects of {variable!r}, which is not drawn before it")
        values = columns[variable][idx]
        for their_level, multipliers in by_level.items():
            rows = values == their_level
            for level, factor in multipliers.items():
                if level not in levels:
                    raise InputError(f"spec: question {question.id}: effect on {level!r}, not one of its answers")
                weights[rows, levels.index(level)] *= factor
    shares = np.array([spec.shares[level] for level in levels], dtype=float)
    if question.is_multi:
        if engagement is not None:
            weights *= np.exp(engagement[idx])[:, None]
        means = weights.mean(axis=0)  # multipliers move answers between respondents, not the overall share
        weights *= np.divide(shares, means, out=np.ones_like(shares), where=means > 0)
        return np.minimum(weights, CHECKBOX_CAP)
    for _round in range(100):  # raking: each answer's mean probability back to its share, rows summing to 1
        probabilities = weights / weights.sum(axis=1, keepdims=True)
        means = probabilities.mean(axis=0)
        if np.allclose(means, shares / shares.sum(), atol=1e-9):
            break
        weights = probabilities * np.divide(shares / shares.sum(), means, out=np.ones_like(shares), where=means > 0)
    return weights / weights.sum(axis=1, keepdims=True)


def _strata(targets: list[CountTarget], columns: Mapping[str, np.ndarray], idx: np.ndarray):
    variables = sorted({variable for t in targets for variable, _level in t.where})
    keys = [tuple((v, str(columns[v][i])) for v in variables) for i in idx]
    strata = sorted(set(keys))
    members = {s: idx[[k == s for k in keys]] for s in strata}
    return strata, members


def _milp(expected: np.ndarray, sizes: list[int], rows_sum: bool, constraints: list[tuple[np.ndarray, int, int]]):
    """Integer counts (strata x answers) closest to `expected` (L1) within the constraints; None if infeasible."""
    shape = expected.shape
    k = expected.size
    # variables: x (k integers), then d (k continuous) with d >= |x - e|
    c = np.concatenate([np.zeros(k), np.ones(k)])
    a_rows, lo, hi = [], [], []
    eye = np.eye(k)
    for sign in (1.0, -1.0):  # d - (x - e) >= 0 and d + (x - e) >= 0
        a_rows.append(np.hstack([-sign * eye, eye]))
        lo.append(-sign * expected.ravel())
        hi.append(np.full(k, np.inf))
    if rows_sum:
        for s, size in enumerate(sizes):
            row = np.zeros(2 * k)
            row[s * shape[1]:(s + 1) * shape[1]] = 1
            a_rows.append(row[None, :])
            lo.append(np.array([size]))
            hi.append(np.array([size]))
    for mask, low, high in constraints:
        a_rows.append(np.concatenate([mask.ravel().astype(float), np.zeros(k)])[None, :])
        lo.append(np.array([low]))
        hi.append(np.array([high]))
    upper = np.concatenate([np.repeat(np.array(sizes, dtype=float), shape[1]), np.full(k, np.inf)])
    result = milp(c, constraints=LinearConstraint(np.vstack(a_rows), np.concatenate(lo), np.concatenate(hi)),
                  integrality=np.concatenate([np.ones(k), np.zeros(k)]), bounds=Bounds(np.zeros(2 * k), upper),
                  options={"disp": False})
    if result.x is None:
        return None
    return np.rint(result.x[:k]).astype(int).reshape(shape)


def _pct(count: int, denominator: int) -> str:
    return f"{100 * count / denominator:.2f}".replace(".", ",") if denominator else "—"


def solve_question(question: Question, levels: list[str], targets: list[CountTarget], weights: np.ndarray,
                   columns: Mapping[str, np.ndarray], idx: np.ndarray) -> Solved:
    """Counts per stratum and answer meeting every published range, closest to the expected counts."""
    strata, members = _strata(targets, columns, idx)
    sizes = [len(members[s]) for s in strata]
    position = {i: k for k, i in enumerate(idx)}
    expected = np.array([weights[[position[i] for i in members[s]]].sum(axis=0) if len(members[s]) else
                         np.zeros(len(levels)) for s in strata])
    constraints, lines = [], []
    for t in targets:
        chosen = [k for k, s in enumerate(strata) if set(t.where) <= set(s)]
        denominator = sum(sizes[k] for k in chosen)
        lo, hi = t.count_range(denominator)
        mask = np.zeros(expected.shape, dtype=bool)
        for k in chosen:
            for level in t.levels:
                mask[k, levels.index(level)] = True
        constraints.append((mask, lo, hi))
        where = ", ".join(f"{v} = {lv}" for v, lv in t.where) or "tous les répondants interrogés"
        lines.append(f"{t.ref} : {t.printed} → {lo} à {hi} sur {denominator} ({where})")
    counts = _milp(expected, sizes, not question.is_multi, constraints)
    if counts is None:
        raise InputError(f"{question.id}: the published percentages cannot all be reached together on these "
                         "respondents; their count ranges: " + " ; ".join(lines))
    for k, s in enumerate(strata):
        label = ", ".join(f"{v} = {lv}" for v, lv in s) or "ensemble"
        shown = "; ".join(f"{level} : {counts[k, j]} ({_pct(counts[k, j], sizes[k])} %)" for j, level in enumerate(levels))
        lines.append(f"{question.id} [{label}, n = {sizes[k]}] {shown}")
    return Solved(question.id, strata, sizes, levels, counts, lines, members)


# ------------------------------------------------------------------------------------------ dealing

def _keys(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Efraimidis–Spirakis keys: taking the largest keys samples without replacement proportionally to weights."""
    return np.log(rng.random(len(weights))) / np.maximum(weights, 1e-9)


def deal_single(solved: Solved, members: Mapping, weights: np.ndarray, position: Mapping[int, int],
                rng: np.random.Generator, column: np.ndarray) -> None:
    for k, stratum in enumerate(solved.strata):
        left = list(members[stratum])
        for j in np.argsort(solved.counts[k], kind="stable"):
            count = int(solved.counts[k, j])
            if not count:
                continue
            keys = _keys(rng, np.array([weights[position[i], j] for i in left]))
            chosen = set(np.array(left)[np.argsort(-keys, kind="stable")[:count]].tolist())
            for i in chosen:
                column[i] = solved.levels[j]
            left = [i for i in left if i not in chosen]


def deal_multi(solved: Solved, members: Mapping, weights: np.ndarray, position: Mapping[int, int],
               rng: np.random.Generator, column: np.ndarray) -> None:
    ticked: dict[int, list[str]] = {}
    for k, stratum in enumerate(solved.strata):
        group = np.array(members[stratum])
        for j, level in enumerate(solved.levels):
            count = int(solved.counts[k, j])
            keys = _keys(rng, np.array([weights[position[i], j] for i in group]))
            for i in group[np.argsort(-keys, kind="stable")[:count]]:
                ticked.setdefault(int(i), []).append(level)
        for i in group:
            column[i] = MULTI_SEPARATOR.join(level for level in solved.levels if level in ticked.get(int(i), []))


# ------------------------------------------------------------------------------------------ assembly

@dataclass
class SurveyReconstruction:
    table: pd.DataFrame
    lines: list[str]
    open_coding: list[dict]


def _other_texts(question: Question, spec: QuestionSpec, column: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Free text typed in « Autre » for each respondent who chose it (the spec's texts, shuffled, cycled)."""
    out = np.full(len(column), "", dtype=object)
    chosen = [i for i, value in enumerate(column) if question.other_label in str(value).split(MULTI_SEPARATOR)]
    if chosen and not spec.other_texts:
        raise InputError(f"spec: question {question.id}: {len(chosen)} respondents chose « {question.other_label} » "
                         "but the spec lists no `other_texts`")
    texts = list(spec.other_texts)
    order = rng.permutation(len(texts))
    for k, i in enumerate(chosen):
        out[i] = texts[order[k % len(texts)]]
    return out


def _open_answers(question: Question, spec: QuestionSpec, asked: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.full(len(asked), "", dtype=object)
    texts = [a["text"] for a in spec.answers for _k in range(a["n"])]
    pool = np.flatnonzero(asked)
    if len(texts) > len(pool):
        raise InputError(f"spec: question {question.id}: {len(texts)} answers for {len(pool)} respondents asked")
    for i, text in zip(rng.choice(pool, size=len(texts), replace=False), rng.permutation(np.array(texts, dtype=object))):
        out[i] = text
    return out


def _derive_all(book: Codebook, source: str, columns: dict[str, np.ndarray]) -> None:
    """Derived variables of `source` (and of those), as the cleaner computes them."""
    for question in book.derived:
        if question.derived.source == source:
            columns[question.id] = np.array([derive(question, v) or "" for v in columns[source]], dtype=object)
            _derive_all(book, question.id, columns)


def reconstruct_survey(pub: Publication, book: Codebook, spec: Spec) -> SurveyReconstruction:
    """The canonical respondent table of the wave, its solver log and the intended coding of its open answers."""
    n = pub.n_analysed
    targets = count_targets(pub, book)
    rng = np.random.default_rng(spec.seed)
    engagement = spec.engagement * rng.normal(size=n) if spec.engagement else None
    columns: dict[str, np.ndarray] = {}
    lines, coding = [], []
    for question in book.questions:
        qspec = spec.questions.get(question.id)
        if qspec is None:
            raise InputError(f"{spec.path}: no entry for question {question.id!r} (every question is drawn)")
        asked = asked_mask(pd.DataFrame(dict(columns), index=range(n)), question).to_numpy()
        column = np.full(n, "", dtype=object)
        if question.type == "text":
            column = _open_answers(question, qspec, asked, rng)
            coding += [{"question": question.id, **a} for a in qspec.answers]
        elif question.type in ("single", "checkbox"):
            idx = np.flatnonzero(asked)
            levels = list(question.levels)
            weights = _weights(question, levels, qspec, columns, idx, engagement)
            solved = solve_question(question, levels, targets.get(question.id, []), weights, columns, idx)
            position = {int(i): k for k, i in enumerate(idx)}
            (deal_multi if question.is_multi else deal_single)(solved, solved.members, weights, position, rng, column)
            lines += solved.lines
            if question.other_label:
                columns[question.other_variable] = _other_texts(question, qspec, column, rng)
        else:
            raise InputError(f"{spec.path}: question {question.id} is {question.type}; this reconstruction draws "
                             "closed (single, checkbox) and open questions only")
        columns[question.id] = column
        _derive_all(book, question.id, columns)
    submitted = draw_timestamps(np.full(n, "all", dtype=object), rng, {"all": spec.mailings}, spec.end)
    data = {"submitted": submitted} | {v: list(columns.get(v, np.full(n, "", dtype=object))) for v in book.variables}
    table = pd.DataFrame(data, dtype=object).sort_values("submitted", kind="stable").reset_index(drop=True)
    return SurveyReconstruction(table, lines, coding)
