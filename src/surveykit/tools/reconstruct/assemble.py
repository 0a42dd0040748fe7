"""Assemble the canonical respondent table of a wave from its published numbers and a seed.

Order of the steps (each draws from its own child seed, so changing one step does not
reshuffle the others):
  1. CPTS membership and profile answers (Tables 1-2), dealt within each CPTS;
  2. use status (who practises tele-expertise), drawn as a random CPTS x use cross-tab;
  3. the nine barrier items (Tables 6-8) solved on that cross-tab (surveykit.tools.reconstruct.barriers);
  4. knowledge and training (Table 4), resort ranks, frequency and specialty (Table 5);
  5. 1-10 scales: digital ease (Figure 8) and the unpublished Q19;
  6. open answers; 7. submission timestamps; rows sorted by timestamp.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveykit.questionnaire.codebook import Codebook
from surveykit.reproduction.published import Publication

from .barriers import STAGES, BarrierSolution, Budget, Layout, solve_item
from .categorical import deal_by_group, deal_knowledge, deal_profile, deal_ranks, deal_use, draw_layouts
from .open_answers import OpenAnswer, deal_open_answers
from .scales import INDISPENSABLE_BY_USE, deal_values, free_histogram, histogram_for
from .targets import CPTS, USE, WaveTargets, wave_targets
from .timestamps import draw_timestamps

# Reconstruction choices for free texts typed in "Autre :" fields (not published).
OTHER_TEXTS: Mapping[str, Sequence[str]] = {
    "specialite": ("Rhumatologie",),
    "mode_exercice": ("Médecin coordonnateur en EHPAD", "Médecin de PMI"),
}

MAX_LAYOUTS = 4  # cross-tabs tried before accepting widened targets

STEPS = ("profile", "use", "barriers", "tle", "scales", "open", "timestamps", "barrier_deal", "use_deal")


@dataclass
class Reconstruction:
    table: pd.DataFrame
    targets: WaveTargets
    solutions: list[BarrierSolution]
    layout: Layout
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _rng(seed: int, step: str) -> np.random.Generator:
    return np.random.default_rng([seed, STEPS.index(step)])


def _members(column: np.ndarray, levels: Sequence[str]) -> dict[str, np.ndarray]:
    return {level: np.flatnonzero(column == level) for level in levels}


def solve_barriers(
    t: WaveTargets, use_levels: Sequence[str], cpts_levels: Sequence[str], seed: int, budget: Budget | None
) -> tuple[Layout, list[BarrierSolution], list[str]]:
    """All barrier items on one use x CPTS cross-tab.

    Cross-tabs are drawn in seeded order; the first on which every item is reached with
    its printed digits (strict reading preferred) is kept. If none is, the first cross-tab
    is solved with progressively widened targets (reported as not reached).
    """
    counts = draw_layouts(t.cpts_sizes, t.use_sizes, _rng(seed, "use"), MAX_LAYOUTS)
    log: list[str] = []
    for k, table in enumerate(counts):
        layout = Layout(tuple(use_levels), tuple(cpts_levels), table)
        solutions = []
        for j, bt in enumerate(t.barriers):
            sol = solve_item(bt, layout, seed * 1000 + j, budget, STAGES[:2])
            if sol is None:
                log.append(f"tableau croisé n° {k + 1} écarté : {bt.variable} non atteint (lectures stricte et imprimée) dans le budget")
                break
            solutions.append(sol)
        else:
            return layout, solutions, log
    layout = Layout(tuple(use_levels), tuple(cpts_levels), counts[0])
    solutions = []
    for j, bt in enumerate(t.barriers):
        sol = solve_item(bt, layout, seed * 1000 + j, budget)
        if sol is None:
            raise RuntimeError(f"{bt.variable}: no reconstruction found even with widened targets")
        solutions.append(sol)
    return layout, solutions, log


def _fill_others(columns: dict[str, np.ndarray], book: Codebook) -> None:
    """Free texts of "Autre :" answers (OTHER_TEXTS), cycling through the listed texts."""
    for variable, texts in OTHER_TEXTS.items():
        question = book.question(variable)
        other = np.full(len(columns[variable]), "", dtype=object)
        for k, i in enumerate(np.flatnonzero(columns[variable] == question.other_label)):
            other[i] = texts[k % len(texts)]
        columns[question.other_variable] = other


def _barrier_columns(
    solutions: Sequence[BarrierSolution], layout: Layout, use: np.ndarray, cpts: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Values of each solved cell dealt to its respondents; a shared latent 'sensitivity to barriers'
    makes the items positively correlated, as answers of one person are."""
    sensitivity = rng.normal(size=len(use))
    out = {}
    for sol in solutions:
        column = np.zeros(len(use), dtype=int)
        for u, use_level in enumerate(layout.use_levels):
            for g, cpts_level in enumerate(layout.cpts_levels):
                idx = np.flatnonzero((use == use_level) & (cpts == cpts_level))
                column[idx] = deal_values(sol.cells[u, g], sensitivity[idx], rng, noise=1.0)
        out[sol.variable] = column
    return out


def _unpublished_grid_scales(book: Codebook, solved: set[str], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Grid scale items without complete published targets: plausible free answers (reported)."""
    out = {}
    for question in book.questions:
        for item in question.items if question.type == "grid_scale" else ():
            if item.id not in solved:
                out[item.id] = deal_values(free_histogram(n, 5.0, 2.8, rng), np.zeros(n), rng)
    return out


def _tle_columns(t: WaveTargets, book: Codebook, use: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    cols = deal_knowledge(t.overall["connait_tle"], t.overall["forme_tle"], use, rng)
    recours = [item.id for item in book.question("recours").items]
    cols.update(deal_ranks(recours, use, t.ranks, rng))
    for variable, counts in sorted(t.by_use.items()):
        cols[variable] = deal_by_group(counts, book.question(variable).levels, use, rng)
    return cols


def _scale_columns(t: WaveTargets, use: np.ndarray, columns: Mapping[str, np.ndarray], rng: np.random.Generator) -> tuple[dict[str, np.ndarray], list[str]]:
    """Digital ease: published histogram, higher among users and younger doctors (choice).
    Q19: unpublished, drawn per use group around INDISPENSABLE_BY_USE."""
    out, notes = {}, []
    age_rank = {"Moins de 35 ans": 0.0, "Entre 35 et 50 ans inclus": 1.0, "Plus de 50 ans": 2.0}
    for variable, ms in sorted(t.scales.items()):
        hist, reading = histogram_for(ms, rng)
        score = 0.8 * (use == "Oui") - 0.5 * np.array([age_rank.get(a, 1.0) for a in columns["age"]])
        out[variable] = deal_values(hist, score, rng, noise=1.0)
        label = "stricte" if reading == "strict" else "décimales imprimées"
        notes.append(f"{variable} : histogramme des notes 1 à 10 {hist.tolist()} (lecture {label})")
    column = np.zeros(len(use), dtype=int)
    for level, (mean, sd) in INDISPENSABLE_BY_USE.items():
        idx = np.flatnonzero(use == level)
        column[idx] = deal_values(free_histogram(len(idx), mean, sd, rng), np.zeros(len(idx)), rng)
    out["indispensable_10ans"] = column
    return out, notes


def _frame(columns: Mapping[str, np.ndarray], book: Codebook, submitted: Sequence[str]) -> pd.DataFrame:
    """Canonical table: submitted, then every codebook variable; ints for scales and ranks,
    empty strings for missing answers; rows sorted by submission time."""
    n = len(submitted)
    data = {"submitted": list(submitted)}
    for variable in book.variables:
        values = columns.get(variable, np.full(n, None, dtype=object))
        data[variable] = ["" if v is None else (int(v) if isinstance(v, (int, np.integer)) else v) for v in values]
    frame = pd.DataFrame(data, dtype=object)
    return frame.sort_values("submitted", kind="stable").reset_index(drop=True)


def reconstruct_wave(
    pub: Publication,
    book: Codebook,
    answers: Mapping[str, Sequence[OpenAnswer]],
    seed: int,
    budget: Budget | None = None,
) -> Reconstruction:
    """The canonical table of `pub`'s wave, deterministic for a given seed."""
    t = wave_targets(pub, book)
    cpts_levels, use_levels = book.question(CPTS).levels, book.question(USE).levels
    cpts = np.repeat(np.array(cpts_levels, dtype=object), [t.cpts_sizes[g] for g in cpts_levels])
    levels = {v: book.question(v).levels for v in t.profile}
    columns: dict[str, np.ndarray] = {CPTS: cpts}
    columns.update(deal_profile(t.profile, levels, _members(cpts, cpts_levels), t.n, _rng(seed, "profile")))
    layout, solutions, layout_log = solve_barriers(t, use_levels, cpts_levels, seed, budget)
    use = deal_use(cpts, layout.counts, use_levels, cpts_levels, _rng(seed, "use_deal"))
    columns[USE] = use
    findings = list(t.findings) + [f for s in solutions for f in s.findings]
    deal_rng = _rng(seed, "barrier_deal")
    columns.update(_barrier_columns(solutions, layout, use, cpts, deal_rng))
    columns.update(_unpublished_grid_scales(book, {s.variable for s in solutions}, t.n, deal_rng))
    columns.update(_tle_columns(t, book, use, _rng(seed, "tle")))
    scale_cols, notes = _scale_columns(t, use, columns, _rng(seed, "scales"))
    columns.update(scale_cols)
    _fill_others(columns, book)
    open_cols, open_findings = deal_open_answers(answers, book, columns, _rng(seed, "open"))
    columns.update(open_cols)
    findings += open_findings
    submitted = draw_timestamps(cpts, _rng(seed, "timestamps"))
    return Reconstruction(_frame(columns, book, submitted), t, solutions, layout, findings, layout_log + notes)
