"""Comparison of the waves of a repeated survey: what the study's plan declares under `cross_wave`.

Statistical choices (documented here and in the French section):

* a share (one level of a single-choice variable, e.g. "Oui") among the respondents who answered it,
  per wave, with the Wilson 95 % interval (R's ``prop.test(x, n, correct = FALSE)``), counted only in the
  waves whose form asked the question and offered the answer (codebook `since`/`until`); elsewhere its
  status says « non posée » / « non proposée », never 0 %;
* the waves where a share exists are compared as the plan's `design` says, one 2 × 2 table (the answer,
  the other answers) × (two waves) per comparison, with the automatic choice of the analysis plan
  (chi-squared or Fisher, `stats.choice.choose_categorical`); Holm over the comparisons of one share. A
  comparison across waves whose options differ carries the added and removed answers (a caveat);
* each score (a numeric variable, or every item of a scale grid) is compared between two waves with
  the Wilcoxon-Mann-Whitney test (R's ``wilcox.test(a, b)``: scores are ordinal and tied), in the waves
  whose form asked it. Design "baseline" (default): the first wave is the reference and every later wave
  is compared with it; design "consecutive": each wave with the one before it. Within one comparison the
  p-values of the scores are adjusted by Holm's method (R's ``p.adjust(p, "holm")``) and a score is called
  different when the adjusted p is below alpha.

When the codebook declares a `respondent_key` (a question whose answer identifies a respondent from one wave
to the next), two waves are paired on it: respondents with the same key in both (a key given twice in a wave
matches nobody) are compared with themselves, by the exact McNemar test for a share (the exact binomial test
of the discordant pairs, R's ``binom.test(b, b + c)``: not ``mcnemar.test``'s chi² approximation) and by the
Wilcoxon signed-rank test for a score (R's ``wilcox.test(a, b, paired = TRUE)``, exact with fewer than 50
pairs and neither ties nor zero differences, as R chooses); respondents without a match are counted and left
out of the test. Two waves with no respondent in common are compared as independent samples.

Every word printed comes from the study's files (labels of the codebook and the plan).
"""
from __future__ import annotations

import math
import re
import textwrap
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt  # noqa: E402  (after figures.style)
import numpy as np
import pandas as pd

from surveykit.analysis.format import adjusted_p_words, variable_label
from surveykit.analysis.plan import Plan
from surveykit.core import fmt
from surveykit.core.errors import InputError
from surveykit.core.testnames import TEST_LABELS_FR
from surveykit.figures.style import (  # selects the Agg backend
    GREY,
    PALETTE,
    SMALL_FONT_SIZE,
    TEXT_WIDTH_IN,
    french_axis,
)
from surveykit.manuscript.markup import Markdown, render_template
from surveykit.manuscript.prose import typography
from surveykit.questionnaire.codebook import MULTI_SEPARATOR, Codebook, exists_in
from surveykit.stats import rtests
from surveykit.stats.choice import choose_categorical
from surveykit.stats.effects import wilson_ci

DESIGNS = ("baseline", "consecutive")

SHARE_COLUMNS = ["variable", "level", "label", "wave", "wave_label", "synthetic", "status", "n", "x", "pct",
                 "ci_low", "ci_high", "conf_level"]
SHARE_TEST_COLUMNS = ["variable", "level", "label", "comparison", "design", "wave_a", "wave_b", "x_a", "n_a", "pct_a",
                      "x_b", "n_b", "pct_b", "test", "statistic", "df", "p_value", "p_holm", "significant", "method",
                      "reason", "options_added", "options_removed", "paired", "n_pairs", "discordant_a",
                      "discordant_b", "unmatched_a", "unmatched_b"]
SCORE_COLUMNS = ["comparison", "design", "wave_a", "wave_b", "variable", "label", "n_a", "mean_a", "sd_a",
                 "n_b", "mean_b", "sd_b", "difference", "test", "statistic", "p_value", "p_holm", "significant",
                 "method", "note", "paired", "n_pairs", "unmatched_a", "unmatched_b"]
UNPAIRED = {"paired": False, "n_pairs": math.nan, "discordant_a": math.nan, "discordant_b": math.nan,
            "unmatched_a": math.nan, "unmatched_b": math.nan}


@dataclass(frozen=True)
class Wave:
    name: str
    label: str
    synthetic: bool


def waves_from_params(raw: Sequence[dict]) -> list[Wave]:
    """[{name, label, synthetic}, ...] as the rule passes them, oldest wave first."""
    try:
        return [Wave(str(w["name"]), str(w["label"]), bool(w.get("synthetic", False))) for w in raw]
    except (KeyError, TypeError) as exc:
        raise InputError(f"crosswave: each wave needs a name and a label ({exc})") from None


def score_items(book: Codebook, plan: Plan, names: Sequence[str]) -> list[tuple[str, str]]:
    """(variable, printed label) of the declared scores: a grid stands for all its items."""
    items = []
    for name in names:
        grid = next((q for q in book.questions if q.id == name and q.items), None)
        variables = [item.id for item in grid.items] if grid else [name]
        items += [(v, variable_label(plan, book, v)) for v in variables]
    return items


def share_label(book: Codebook, plan: Plan, variable: str, level: str) -> str:
    """How the section names a share: the plan's group label of the level, else « variable : level »."""
    grouped = plan.group_labels.get(variable, {}).get(level)
    return grouped or f"{variable_label(plan, book, variable)} : {level}"


# --------------------------------------------------------------------------- pairing (respondent key)


@dataclass(frozen=True)
class Pairs:
    """Respondents of two waves matched on the respondent key: row positions in each frame, in key order."""

    rows_a: tuple[int, ...]
    rows_b: tuple[int, ...]
    unmatched_a: int
    unmatched_b: int

    @property
    def counts(self) -> dict:
        return {"n_pairs": len(self.rows_a), "unmatched_a": self.unmatched_a, "unmatched_b": self.unmatched_b}


def _keys(frame: pd.DataFrame, key: str) -> dict[str, int]:
    """Key -> row position, for the keys given once in the wave (an empty key, or one given twice, matches
    nobody: two answers cannot be told apart)."""
    values = frame[key].astype("string").fillna("").str.strip().to_numpy()
    counts = pd.Series(values).value_counts()
    return {value: position for position, value in enumerate(values) if value and counts[value] == 1}


def match_respondents(frame_a: pd.DataFrame, frame_b: pd.DataFrame, key: str) -> Pairs:
    """The respondents present in both waves (same key), and how many of each wave have no match."""
    keys_a, keys_b = _keys(frame_a, key), _keys(frame_b, key)
    common = sorted(set(keys_a) & set(keys_b))
    return Pairs(tuple(keys_a[k] for k in common), tuple(keys_b[k] for k in common), len(frame_a) - len(common),
                 len(frame_b) - len(common))


def paired_share_fields(frame_a: pd.DataFrame, frame_b: pd.DataFrame, variable: str, level: str,
                        pairs: Pairs) -> dict:
    """Exact McNemar test of one share on the pairs that answered in both waves: b = the answer in the first wave
    only, c = in the second only; p = R's ``binom.test(b, b + c)$p.value`` (1 without discordant pair)."""
    a = frame_a[variable].astype("string").fillna("").to_numpy()[list(pairs.rows_a)]
    b = frame_b[variable].astype("string").fillna("").to_numpy()[list(pairs.rows_b)]
    answered = (a != "") & (b != "")
    yes_a, yes_b = a[answered] == level, b[answered] == level
    table = np.array([[np.sum(yes_a & yes_b), np.sum(yes_a & ~yes_b)], [np.sum(~yes_a & yes_b), np.sum(~yes_a & ~yes_b)]])
    result = rtests.mcnemar_test(table)
    only_a, only_b = int(table[0, 1]), int(table[1, 0])
    n = int(answered.sum())
    return {"test": "mcnemar_exact", "statistic": float(only_a), "df": math.nan,
            "p_value": float(result.extra["exact_p_value"]),
            "method": "Exact McNemar test: binom.test(b, b + c) on the discordant pairs",
            "reason": (f"réponses appariées par l'identifiant du répondant : test exact de McNemar sur {n} paires "
                       f"({only_a} + {only_b} discordantes)"),
            "paired": True, "n_pairs": n, "discordant_a": only_a, "discordant_b": only_b,
            "unmatched_a": pairs.unmatched_a, "unmatched_b": pairs.unmatched_b}


def paired_score_fields(frame_a: pd.DataFrame, frame_b: pd.DataFrame, variable: str, pairs: Pairs) -> dict:
    """Wilcoxon signed-rank test of one score on the pairs that answered it in both waves (R's
    ``wilcox.test(a, b, paired = TRUE)``, its exact/normal switch)."""
    a = pd.to_numeric(frame_a[variable].replace("", None), errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)[list(pairs.rows_a)]
    b = pd.to_numeric(frame_b[variable].replace("", None), errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)[list(pairs.rows_b)]
    n = int(np.sum(~np.isnan(a) & ~np.isnan(b)))
    fields = {"paired": True, "n_pairs": n, "unmatched_a": pairs.unmatched_a, "unmatched_b": pairs.unmatched_b}
    try:
        result = rtests.wilcox_paired_test(a, b)
    except ValueError as exc:
        return fields | {"test": "", "statistic": math.nan, "p_value": math.nan, "method": "", "note": str(exc)}
    return fields | {"test": result.test, "statistic": result.statistic, "p_value": result.p_value,
                     "method": result.method, "note": ""}


# --------------------------------------------------------------------------- shares

ASKED, NOT_ASKED, NOT_OFFERED = "posee", "non_posee", "non_proposee"


def _source(book: Codebook, question):
    """The form question a (possibly derived) variable comes from."""
    while question.derived:
        question = book.question(question.derived.source)
    return question


def question_asked(book: Codebook, variable: str, wave: str, order: Sequence[str]) -> bool:
    """Whether the form of `wave` asks the question behind `variable` (its `since`/`until`)."""
    return exists_in(_source(book, book.variable_question()[variable]), wave, list(order))


def offered_levels(book: Codebook, variable: str, wave: str, order: Sequence[str]) -> list[str]:
    """The answers the form of `wave` offers for `variable` (its options' `since`/`until`), in level order."""
    question = book.variable_question()[variable]
    if question.derived:
        source = book.question(question.derived.source)
        if question.derived.regroup:
            offered = set(offered_levels(book, source.id, wave, order))
            return [group for group, members in question.derived.regroup if offered & set(members)]
        return list(question.levels)
    labels = {o.label for o in question.options if exists_in(o, wave, list(order))}
    return [level for level in question.levels if level in labels or level == question.other_label]


def share_status(book: Codebook, variable: str, level: str, wave: str, order: Sequence[str]) -> str:
    """« posee » (counted), « non_posee » (question not in the form) or « non_proposee » (answer not offered)."""
    if not question_asked(book, variable, wave, order):
        return NOT_ASKED
    return ASKED if level in offered_levels(book, variable, wave, order) else NOT_OFFERED


def share_counts(frame: pd.DataFrame, variable: str, level: str) -> tuple[int, int]:
    """(x = answers equal to `level`, n = answered) of one wave."""
    values = frame[variable].astype(str)
    answered = values[values != ""]
    return int((answered == level).sum()), int(len(answered))


def _test_fields(table: np.ndarray, seed: int) -> dict:
    """Columns describing one between-wave test (empty, with the reason, when it cannot run)."""
    empty = {"test": "", "statistic": math.nan, "df": math.nan, "p_value": math.nan, "method": ""}
    try:
        choice = choose_categorical(table, seed=seed)
    except ValueError as exc:
        return {**empty, "reason": str(exc)}
    result = choice.result
    return {"test": result.test, "statistic": result.statistic if result.statistic is not None else math.nan,
            "df": result.df if result.df is not None else math.nan, "p_value": result.p_value,
            "method": result.method, "reason": choice.reason}


def share_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], variable: str, level: str, label: str,
                conf_level: float = 0.95, statuses: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per wave: x, n, % and Wilson interval (in %) where the form asked the question and offered the
    answer; elsewhere the status says why nothing is counted (never a 0 %)."""
    rows = []
    for index, (frame, wave) in enumerate(zip(frames, waves)):
        status = statuses[index] if statuses is not None else ASKED
        x, n = share_counts(frame, variable, level) if status == ASKED else (0, 0)
        ci = wilson_ci(x, n, conf_level) if status == ASKED and n else None
        rows.append({"variable": variable, "level": level, "label": label, "wave": wave.name,
                     "wave_label": wave.label, "synthetic": wave.synthetic, "status": status,
                     "n": n if status == ASKED else math.nan, "x": x if status == ASKED else math.nan,
                     "pct": 100 * x / n if ci else math.nan, "ci_low": 100 * ci.ci_low if ci else math.nan,
                     "ci_high": 100 * ci.ci_high if ci else math.nan, "conf_level": conf_level})
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def option_change(book: Codebook, variable: str, wave_a: str, wave_b: str, order: Sequence[str]) -> dict:
    """The answers offered in one wave and not the other (the two forms differ: a caveat beside the comparison)."""
    a, b = offered_levels(book, variable, wave_a, order), offered_levels(book, variable, wave_b, order)
    return {"added": [level for level in b if level not in a], "removed": [level for level in a if level not in b]}


def share_tests(shares: pd.DataFrame, waves: Sequence[Wave], design: str, alpha: float, seed: int,
                book: Codebook | None = None, frames: Sequence[pd.DataFrame] | None = None) -> pd.DataFrame:
    """The comparisons of one share the design names, among the waves where it was counted: 2 × 2 table
    (answer, other answers) × (two waves), chi-squared or Fisher by the automatic choice, Holm over the
    comparisons of the share. With a respondent key (`book.respondent_key`, `frames` given), two waves with
    respondents in common are compared on them by the exact McNemar test."""
    order = [w.name for w in waves]
    counted = [i for i, status in enumerate(shares["status"]) if status == ASKED]
    rows = []
    for a, b in comparison_pairs(len(counted), design):
        ra, rb = shares.iloc[counted[a]], shares.iloc[counted[b]]
        table = np.array([[ra["x"], ra["n"] - ra["x"]], [rb["x"], rb["n"] - rb["x"]]], dtype=float)
        change = option_change(book, ra["variable"], ra["wave"], rb["wave"], order) if book else \
            {"added": [], "removed": []}
        test = _test_fields(table, seed) | UNPAIRED
        key = book.respondent_key if book is not None else None
        if key and frames is not None:
            fa, fb = frames[counted[a]], frames[counted[b]]
            pairs = match_respondents(fa, fb, key)
            test = paired_share_fields(fa, fb, ra["variable"], ra["level"], pairs) if pairs.rows_a else \
                test | pairs.counts | {"n_pairs": 0}
        rows.append({"variable": ra["variable"], "level": ra["level"], "label": ra["label"],
                     "comparison": f"{ra['wave']} vs {rb['wave']}", "design": design, "wave_a": ra["wave"],
                     "wave_b": rb["wave"], "x_a": ra["x"], "n_a": ra["n"], "pct_a": ra["pct"], "x_b": rb["x"],
                     "n_b": rb["n"], "pct_b": rb["pct"], **test,
                     "options_added": MULTI_SEPARATOR.join(change["added"]),
                     "options_removed": MULTI_SEPARATOR.join(change["removed"])})
    frame = pd.DataFrame(rows, columns=SHARE_TEST_COLUMNS)
    if len(frame):
        frame["p_holm"] = rtests.p_adjust(frame["p_value"].to_numpy(dtype=float), "holm")
        frame["significant"] = frame["p_holm"] < alpha
    return frame[SHARE_TEST_COLUMNS]


# --------------------------------------------------------------------------- scores


def comparison_pairs(n_waves: int, design: str = "baseline") -> list[tuple[int, int]]:
    """Index pairs (a, b) of the waves to compare, a older than b."""
    if design not in DESIGNS:
        raise InputError(f"crosswave: unknown comparison design {design!r}; expected one of {list(DESIGNS)}")
    if design == "baseline":
        return [(0, b) for b in range(1, n_waves)]
    return [(b - 1, b) for b in range(1, n_waves)]


def _scores(frame: pd.DataFrame, variable: str) -> np.ndarray:
    values = pd.to_numeric(frame[variable].replace("", None), errors="coerce").astype("Float64")
    return values.dropna().to_numpy(dtype=float)


def _summary(values: np.ndarray) -> tuple[int, float, float]:
    """n, mean and sample SD (R's sd, n - 1 denominator)."""
    n = int(values.size)
    mean = float(values.mean()) if n else math.nan
    sd = float(values.std(ddof=1)) if n > 1 else math.nan
    return n, mean, sd


def _wilcoxon(a: np.ndarray, b: np.ndarray) -> dict:
    try:
        result = rtests.wilcox_test(a, b)
    except ValueError as exc:
        return {"test": "", "statistic": math.nan, "p_value": math.nan, "method": "", "note": str(exc)}
    return {"test": result.test, "statistic": result.statistic, "p_value": result.p_value,
            "method": result.method, "note": ""}


def _unpaired_counts(pairs: Pairs | None) -> dict:
    """Independent samples: no pair (with a key and no respondent in common, the unmatched counts)."""
    if pairs is None:
        return {"paired": False, "n_pairs": math.nan, "unmatched_a": math.nan, "unmatched_b": math.nan}
    return {"paired": False} | pairs.counts


def score_comparison(frame_a: pd.DataFrame, frame_b: pd.DataFrame, wave_a: Wave, wave_b: Wave,
                     items: Sequence[tuple[str, str]], design: str, alpha: float, key: str | None = None
                     ) -> pd.DataFrame:
    """One row per score both waves asked: means ± SD of both waves, Wilcoxon p, Holm-adjusted p over the
    scores of the comparison (a score one of the forms did not ask is not compared). With a respondent `key`
    and respondents in common, the Wilcoxon signed-rank test on them."""
    pairs = match_respondents(frame_a, frame_b, key) if key else None
    rows = []
    for variable, label in items:
        if variable not in frame_a.columns or variable not in frame_b.columns:
            continue
        a, b = _scores(frame_a, variable), _scores(frame_b, variable)
        (n_a, mean_a, sd_a), (n_b, mean_b, sd_b) = _summary(a), _summary(b)
        rows.append({"comparison": f"{wave_a.name} vs {wave_b.name}", "design": design, "wave_a": wave_a.name,
                     "wave_b": wave_b.name, "variable": variable, "label": label, "n_a": n_a, "mean_a": mean_a,
                     "sd_a": sd_a, "n_b": n_b, "mean_b": mean_b, "sd_b": sd_b, "difference": mean_b - mean_a,
                     **(paired_score_fields(frame_a, frame_b, variable, pairs) if pairs and pairs.rows_a else
                        _wilcoxon(a, b) | _unpaired_counts(pairs))})
    frame = pd.DataFrame(rows, columns=[c for c in SCORE_COLUMNS if c not in ("p_holm", "significant")])
    frame["p_holm"] = rtests.p_adjust(frame["p_value"].to_numpy(dtype=float), "holm")
    frame["significant"] = frame["p_holm"] < alpha
    return frame[SCORE_COLUMNS]


def scores_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], items: Sequence[tuple[str, str]],
                 alpha: float, design: str = "baseline", key: str | None = None) -> pd.DataFrame:
    """Every score × comparison of the design, comparisons in wave order, scores in plan order.

    A score is compared among the waves that asked it: with design "baseline", against the first wave that
    asked it (a score a later form added is compared from that wave on, never with a wave that lacked it)."""
    if not items:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    pairs: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for variable, label in items:
        asked = [i for i, frame in enumerate(frames) if variable in frame.columns]
        for a, b in comparison_pairs(len(asked), design):
            pairs.setdefault((asked[a], asked[b]), []).append((variable, label))
    parts = [score_comparison(frames[a], frames[b], waves[a], waves[b], pair_items, design, alpha, key)
             for (a, b), pair_items in sorted(pairs.items(), key=lambda kv: (kv[0][1], kv[0][0]))]
    parts = [part for part in parts if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SCORE_COLUMNS)


def score_means(frames: Sequence[pd.DataFrame], waves: Sequence[Wave],
                items: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """n, mean and SD of every score in every wave that asked it (tidy: wave × score)."""
    rows = []
    for frame, wave in zip(frames, waves):
        for variable, label in items:
            if variable not in frame.columns:
                continue
            n, mean, sd = _summary(_scores(frame, variable))
            rows.append({"wave": wave.name, "variable": variable, "label": label, "n": n, "mean": mean, "sd": sd})
    return pd.DataFrame(rows, columns=["wave", "variable", "label", "n", "mean", "sd"])


# --------------------------------------------------------------------------- everything


@dataclass(frozen=True)
class CrossWave:
    waves: list[Wave]
    shares: pd.DataFrame
    scores: pd.DataFrame
    means: pd.DataFrame
    alpha: float
    design: str
    scale: tuple[float, float] | None
    scale_words: tuple[str, str] | None
    noun: str
    share_tests: pd.DataFrame = None
    not_asked: dict = None  # score variable -> labels of the waves whose form did not ask it
    key_label: str = ""  # the respondent key's question, when the codebook declares one


def _scale(book: Codebook, items: Sequence[tuple[str, str]]) -> tuple[tuple | None, tuple | None]:
    """The common range and anchor words of the scores, when they share one scale."""
    questions = [book.variable_question()[v] for v, _l in items]
    ranges = {(q.min, q.max) for q in questions}
    if len(ranges) != 1 or None in next(iter(ranges)):
        return None, None
    words = {(q.anchors.get("low", ""), q.anchors.get("high", "")) for q in questions}
    return ranges.pop(), (words.pop() if len(words) == 1 else None)


def compare_waves(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], book: Codebook, plan: Plan, *, seed: int,
                  alpha: float, conf_level: float = 0.95) -> CrossWave:
    """The declared shares and scores of every wave, and the tests between waves the design names.

    A wave whose form did not ask a question (or offer an answer: `since`/`until` in the codebook) has no
    count for it and takes no part in its comparisons."""
    if len(frames) != len(waves):
        raise InputError(f"crosswave: {len(frames)} responses files for {len(waves)} waves; expected one per wave")
    if not waves:
        raise InputError("crosswave: no wave to compare")
    declared = plan.cross_wave
    order = [w.name for w in waves]
    items = score_items(book, plan, declared.scores)
    asked = {w.name: {v for v in book.variables if question_asked(book, v, w.name, order)} for w in waves}
    for frame, wave in zip(frames, waves):
        needed = [v for v, _l in declared.shares] + [v for v, _l in items] + \
            ([book.respondent_key] if book.respondent_key else [])
        missing = [v for v in needed if v in asked[wave.name] and v not in frame.columns]
        if missing:
            raise InputError(f"crosswave: responses of wave {wave.name!r} lack the column(s) {missing}, which its "
                             "form asks (codebook `since`/`until`)")
    shares, tests = [], []
    for variable, level in declared.shares:
        statuses = [share_status(book, variable, level, w.name, order) for w in waves]
        table = share_table(frames, waves, variable, level, share_label(book, plan, variable, level), conf_level,
                            statuses)
        shares.append(table)
        tests.append(share_tests(table, waves, declared.design, alpha, seed, book, frames))
    shares = pd.concat(shares, ignore_index=True) if shares else pd.DataFrame(columns=SHARE_COLUMNS)
    tests = [t for t in tests if len(t)]
    tests = pd.concat(tests, ignore_index=True) if tests else pd.DataFrame(columns=SHARE_TEST_COLUMNS)
    # a score column of a wave whose form did not ask it is left out (the cleaner wrote none)
    frames = [frame[[c for c in frame.columns if c not in {v for v, _l in items} or c in asked[w.name]]]
              for frame, w in zip(frames, waves)]
    not_asked = {v: [w.label for w in waves if v not in asked[w.name]] for v, _l in items}
    scale, words = _scale(book, items) if items else (None, None)
    key = book.respondent_key
    return CrossWave(list(waves), shares, scores_table(frames, waves, items, alpha, declared.design, key),
                     score_means(frames, waves, items), alpha, declared.design, scale, words,
                     book.respondent_noun(), tests, {v: w for v, w in not_asked.items() if w},
                     book.question(key).display_label if key else "")


# --------------------------------------------------------------------------- figure

CHARS_PER_INCH = 13  # characters of the tick font (8 pt) per inch of text: wraps each wave label to its slot
Y_LABELS_IN = 0.9  # width the y axis' label and ticks take from the text width


def _wave_name(wave: Wave, width: int) -> str:
    """Wave label for the figure; synthetic waves carry an asterisk explained under the figure."""
    return textwrap.fill(wave.label + (" *" if wave.synthetic else ""), max(width, 8))


def _slot_width(n_waves: int) -> int:
    """Characters per line of a wave label under the x axis, so that neighbouring labels never overlap."""
    return int(0.65 * (TEXT_WIDTH_IN - Y_LABELS_IN) * CHARS_PER_INCH / max(n_waves, 1))


def evolution_figure(result: CrossWave) -> plt.Figure:
    """Shares with their interval per wave (top), mean of each score per wave (below); legends below their
    panel, outside the data."""
    panels = [p for p in ("shares", "scores") if len(getattr(result, p))]
    n_shares = result.shares["label"].nunique() if len(result.shares) else 0
    n_scores = result.means["variable"].nunique() if len(result.means) else 0
    heights = {"shares": 2.8 + 0.22 * n_shares, "scores": 0.34 * n_scores + 1.6}
    fig, axes = plt.subplots(len(panels), 1, figsize=(TEXT_WIDTH_IN, sum(heights[p] for p in panels) + 0.6),
                             gridspec_kw={"height_ratios": [heights[p] for p in panels]}, squeeze=False,
                             layout="constrained")
    for ax, panel in zip(axes[:, 0], panels):
        (_shares_panel if panel == "shares" else _scores_panel)(ax, result)
    if any(w.synthetic for w in result.waves):
        fig.supxlabel("* Vague synthétique : données simulées ou reconstruites, aucune réponse réelle.",
                      fontsize=SMALL_FONT_SIZE, style="italic", x=0.01, ha="left")
    return fig


def _shares_panel(ax, result: CrossWave) -> None:
    x = np.arange(len(result.waves))
    for index, (label, sub) in enumerate(result.shares.groupby("label", sort=False)):
        pct = sub["pct"].to_numpy(dtype=float)
        errors = np.vstack([pct - sub["ci_low"].to_numpy(dtype=float), sub["ci_high"].to_numpy(dtype=float) - pct])
        color = PALETTE[index % len(PALETTE)]
        shown = ~np.isnan(pct)  # a wave that did not ask the question (or offer the answer) has no point
        ax.errorbar(x[shown] + 0.06 * index, pct[shown], yerr=errors[:, shown], fmt="o-", color=color, capsize=4,
                    linewidth=1.3, markersize=4, label=textwrap.fill(label.replace("'", "\u2019"), 70))
        for xi, value in zip(x[shown], pct[shown]):
            ax.annotate(fmt.percent(value), (xi + 0.06 * index, value), textcoords="offset points", xytext=(8, 0),
                        fontsize=SMALL_FONT_SIZE, va="center")
    ax.set_xticks(x, [_wave_name(w, _slot_width(len(x))) for w in result.waves])
    ax.set_xlim(-0.4, len(x) - 0.4)
    ax.set_ylim(0, 105)
    french_axis(ax.yaxis, percent=True)
    level = fmt.percent(100 * float(result.shares["conf_level"].iloc[0]), 0)
    ax.set_ylabel(f"% des {result.noun} (IC {level})")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.05 * max(
        _wave_name(w, _slot_width(len(x))).count("\n") for w in result.waves)), ncols=1, frameon=False)


def _scores_panel(ax, result: CrossWave) -> None:
    means = result.means
    present = [w for w in result.waves if (means["wave"] == w.name).any()]
    first = means[means["wave"] == present[0].name].sort_values("mean", kind="stable")
    order = list(first["variable"]) + [v for v in dict.fromkeys(means["variable"]) if v not in set(first["variable"])]
    labels = dict(zip(means["variable"], means["label"]))
    y = np.arange(len(order))
    pivot = means.pivot(index="variable", columns="wave", values="mean").reindex(index=order,
                                                                               columns=[w.name for w in present])
    for row, variable in enumerate(order):
        values = pivot.loc[variable].to_numpy(dtype=float)
        ax.plot(values[~np.isnan(values)], np.full(int((~np.isnan(values)).sum()), row), color=GREY, linewidth=1,
                zorder=1)
    for index, wave in enumerate(present):
        ax.scatter(pivot[wave.name].to_numpy(dtype=float), y, s=22, color=PALETTE[index % len(PALETTE)],
                   label=_wave_name(wave, 60), zorder=2)
    ax.set_yticks(y, [textwrap.fill(labels[v].replace("'", "\u2019"), 44) for v in order])
    french_axis(ax.xaxis)
    if result.scale:
        ax.set_xlim(result.scale[0] - 0.3, result.scale[1] + 0.3)
    words = result.scale_words
    ends = f" ({fmt.number(result.scale[0], 0)} = {words[0]} ; {fmt.number(result.scale[1], 0)} = {words[1]})" \
        if words and all(words) else ""
    ax.set_xlabel(f"Score moyen{ends}".replace("'", "\u2019"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=1, frameon=False, fontsize=SMALL_FONT_SIZE)


# --------------------------------------------------------------------------- French section


def _p_adjusted(p: float) -> str:
    """'p ajustée = 0,0123' / 'p ajustée < 0,001' (Holm)."""
    return f"p{fmt.NBSP}ajustée" + fmt.p_sentence(p)[1:]


def _wave_context(wave: Wave, rows: pd.DataFrame, frames_n: dict[str, int]) -> dict:
    return {"name": wave.name, "label": wave.label, "synthetic": wave.synthetic, "n_text": str(frames_n[wave.name])}


def _levels_text(levels: list[str]) -> str:
    return ", ".join(f"« {level} »" for level in levels)


def _caveat(row) -> str:
    """What changed in the form between the two waves of a comparison ("" when nothing did)."""
    added = [v for v in str(row.options_added or "").split(MULTI_SEPARATOR) if v]
    removed = [v for v in str(row.options_removed or "").split(MULTI_SEPARATOR) if v]
    parts = []
    if added:
        parts.append(f"{_levels_text(added)} {'proposée' if len(added) == 1 else 'proposées'} seulement dans la seconde")
    if removed:
        parts.append(f"{_levels_text(removed)} {'proposée' if len(removed) == 1 else 'proposées'} seulement dans "
                     "la première")
    if not parts:
        return ""
    return ("les réponses proposées diffèrent entre ces deux vagues (" + " ; ".join(parts) + ") : la proportion "
            "n'est pas mesurée sur le même choix de réponses")


def _share_wave(row, conf_text: str, noun: str) -> dict:
    """One wave of a share: the sentence's pieces, or why there is nothing to count."""
    status = row.status
    base = {"label": row.wave_label, "status": status, "counted": status == ASKED and int(row.n) > 0}
    if base["counted"]:
        return {**base, "x_text": str(int(row.x)), "n_text": str(int(row.n)), "pct_text": fmt.percent(row.pct),
                "ci_text": f"{fmt.percent(row.ci_low)} – {fmt.percent(row.ci_high)}",
                "text": f"{int(row.x)} {noun} sur {int(row.n)}, soit {fmt.percent(row.pct)} (IC {conf_text} de "
                        f"Wilson : {fmt.percent(row.ci_low)} – {fmt.percent(row.ci_high)})"}
    why = {NOT_ASKED: "question non posée dans cette vague",
           NOT_OFFERED: f"réponse « {row.level} » non proposée dans cette vague"}.get(
        status, "aucune réponse à cette question dans cette vague")
    return {**base, "x_text": "", "n_text": "", "pct_text": "", "ci_text": "", "text": why}


def _share_comparisons(result: CrossWave, sub_tests: pd.DataFrame, labels: dict[str, str]) -> list[dict]:
    several = len(sub_tests) > 1
    comparisons = []
    for row in sub_tests.itertuples():
        tested = not fmt.is_missing(row.p_value)
        p = row.p_holm if several else row.p_value
        p_text = ((adjusted_p_words("holm")[0] if several else "p") + fmt.p_sentence(p)[1:]) if tested else ""
        comparisons.append({
            "a": labels[row.wave_a], "b": labels[row.wave_b], "pct_a": fmt.percent(row.pct_a),
            "pct_b": fmt.percent(row.pct_b), "tested": tested, "significant": tested and bool(row.significant),
            "higher": bool(row.pct_b > row.pct_a) if tested else False,
            "test_label": TEST_LABELS_FR.get(row.test, ""), "p_text": p_text, "reason": row.reason,
            "caveat": _caveat(row),
            "verdict": ("la différence est significative" if tested and bool(row.significant)
                        else "la différence n'est pas significative"),
            "direction": "plus élevée" if tested and row.pct_b > row.pct_a else "plus faible",
            "direction_m": "plus élevé" if tested and row.pct_b > row.pct_a else "plus faible",
            "pairs_text": pairs_text(row, result.noun, row.level)})
    return comparisons


def _unmatched_text(unmatched_a: int, unmatched_b: int, noun: str) -> str:
    """« 20 répondants de la première vague et 15 de la seconde sans correspondance »."""
    if not unmatched_a and not unmatched_b:
        return f"aucun {noun_singular(noun)} sans correspondance"
    return (f"{fmt.integer(unmatched_a)} {noun} de la première vague et {fmt.integer(unmatched_b)} de la seconde "
            "sans correspondance, hors du test")


def noun_singular(noun: str) -> str:
    """The singular of the respondents' noun when it is a regular plural (« répondants » -> « répondant »)."""
    return " ".join(word[:-1] if word.endswith("s") else word for word in noun.split())


def pairs_text(row, noun: str, level: str | None = None, most: int | None = None) -> str:
    """What a paired comparison was computed on: the pairs (`most`: at most that many, for scores), the discordant
    ones (a share of `level`), the respondents without a match."""
    if fmt.is_missing(getattr(row, "n_pairs", math.nan)):
        return ""
    unmatched = _unmatched_text(int(row.unmatched_a), int(row.unmatched_b), noun)
    if not bool(row.paired):
        return f"Aucun {noun_singular(noun)} commun aux deux vagues : échantillons indépendants ({unmatched})."
    count = int(row.n_pairs) if most is None else most
    pairs = f"{fmt.integer(count)} {'paire' if count < 2 else 'paires'}"
    if level is None:
        upto = "jusqu'à " if most is not None else ""
        return f"Mêmes {noun} appariés par leur identifiant : {upto}{pairs} selon l'item ; {unmatched}."
    return (f"Mêmes {noun} appariés par leur identifiant : {pairs}, dont {fmt.integer(row.discordant_a)} passées de "
            f"« {level} » à une autre réponse et {fmt.integer(row.discordant_b)} l'inverse ; {unmatched}.")


def _not_compared(sub: pd.DataFrame, counted: int) -> str:
    """Why a share has no comparison: the question or the answer exists in one wave's form only (or none)."""
    asked = int((sub["status"] != NOT_ASKED).sum())
    level = sub["level"].iloc[0]
    if asked <= 1:
        return ("la question n'est posée que dans une vague" if asked else
                "la question n'est posée dans aucune des vagues comparées")
    if counted <= 1:
        return (f"la réponse « {level} » n'est proposée que dans une vague" if counted else
                f"la réponse « {level} » n'est proposée dans aucune des vagues comparées")
    return "aucune paire de vagues à comparer"


def _share_context(result: CrossWave) -> list[dict]:
    shares = []
    labels = {w.name: w.label for w in result.waves}
    conf_text = fmt.percent(100 * float(result.shares["conf_level"].iloc[0]), 0) if len(result.shares) else ""
    tests = result.share_tests if result.share_tests is not None else pd.DataFrame(columns=SHARE_TEST_COLUMNS)
    for label, sub in result.shares.groupby("label", sort=False):
        first = sub.iloc[0]
        sub_tests = tests[(tests["variable"] == first["variable"]) & (tests["level"] == first["level"])]
        comparisons = _share_comparisons(result, sub_tests, labels)
        counted = [w for w in sub.itertuples() if w.status == ASKED]
        shares.append({
            "label": label, "level": first["level"],
            "waves": [_share_wave(r, conf_text, result.noun) for r in sub.itertuples()],
            "comparisons": comparisons, "several": len(comparisons) > 1,
            "not_compared": "" if comparisons else _not_compared(sub, len(counted))})
    return shares


def _score_row(row: pd.Series) -> dict:
    tested = not fmt.is_missing(row["p_value"])
    return {"label": row["label"], "mean_a": fmt.mean_sd(row["mean_a"], row["sd_a"]),
            "mean_b": fmt.mean_sd(row["mean_b"], row["sd_b"]), "lower": bool(row["mean_b"] < row["mean_a"]),
            "tested": tested, "note": row["note"] if not tested else "",
            "p_text": fmt.p_value(row["p_value"]) if tested else "non calculé",
            "p_holm_text": fmt.p_value(row["p_holm"]) if tested else "non calculé",
            "p_holm_sentence": _p_adjusted(row["p_holm"]) if tested else "", "significant": bool(row["significant"])}


def _comparison_context(result: CrossWave) -> list[dict]:
    labels = {w.name: w for w in result.waves}
    comparisons = []
    for _name, sub in result.scores.groupby("comparison", sort=False):
        rows = [_score_row(r) for _i, r in sub.iterrows()]
        wave_a, wave_b = labels[sub["wave_a"].iloc[0]], labels[sub["wave_b"].iloc[0]]
        first = sub.iloc[0]
        paired_rows = sub[sub["paired"].eq(True)] if "paired" in sub else sub.iloc[0:0]
        shown = paired_rows.iloc[0] if len(paired_rows) else first
        # a score's pairs are those who answered it in both waves: the largest count over the items
        most = int(paired_rows["n_pairs"].max()) if len(paired_rows) else None
        pairs = pairs_text(types.SimpleNamespace(**shown.to_dict()), result.noun, most=most)
        comparisons.append({"a": wave_a.label, "b": wave_b.label, "rows": rows, "n_items": str(len(rows)),
                            "pairs_text": pairs,
                            "significant": [r for r in rows if r["significant"]],
                            "not_significant": [r for r in rows if not r["significant"]]})
    return comparisons


def score_verdicts(comparison: dict, item: tuple[str, str] = ("item", "items")) -> dict:
    """The sentences a template writes under one comparison of scores, read from its results:
    `intro` (before the list of scores that differ), `none` (when none does), `others` (after the list)."""
    significant = comparison["significant"]
    return {"intro": ("Après ajustement, " + (f"un {item[0]} diffère" if len(significant) == 1
                                               else f"les {item[1]} suivants diffèrent")
                      + " significativement entre les deux vagues"),
            "none": f"Après ajustement, aucun {item[0]} ne diffère significativement entre les deux vagues",
            "others": f"Les autres {item[1]} ne diffèrent pas significativement"}


def score_labels(result: CrossWave) -> list[tuple[str, str]]:
    return list(dict(zip(result.means["variable"], result.means["label"])).items())


SHARE_METHOD_PAIRED = ("réponses des mêmes {noun} appariées d'une vague à l'autre par leur identifiant (« {key} ») : "
                       "test exact de McNemar, loi binomiale exacte des paires discordantes (comme binom.test(b, b + c) "
                       "de R, et non l'approximation du khi² de mcnemar.test) ; entre deux vagues sans {noun_one} "
                       "commun, " )
SCORE_METHOD = "le test de Wilcoxon-Mann-Whitney"
SCORE_METHOD_PAIRED = ("le test des rangs signés de Wilcoxon sur les {noun} présents dans les deux vagues, appariés par "
                       "leur identifiant (« {key} ») ; exact comme wilcox.test(paired = TRUE) de R avec moins de 50 "
                       "paires sans ex aequo ni différence nulle, sinon approximation normale avec correction de "
                       "continuité")
FIGURE_TITLE = "Évolution entre les vagues"
SHARE_METHOD = ("tableau 2 × 2 de deux vagues, cette réponse contre les autres ; test du khi² de Pearson si tous les "
                "effectifs attendus sont au moins 5, sinon test exact de Fisher")


def _method(result: CrossWave, paired: str, unpaired: str) -> str:
    """The paired method's words when the codebook declares a respondent key, else the independent one's."""
    if not result.key_label:
        return unpaired
    return paired.format(noun=result.noun, noun_one=noun_singular(result.noun), key=result.key_label)


def section_context(result: CrossWave, figure_path: str, respondents: dict[str, int]) -> dict:
    """Everything the template prints, already formatted in French: the template types no number.

    `respondents`: wave name -> number of analysed respondents."""
    scale = ""
    if result.scale:
        scale = f"de {fmt.number(result.scale[0], 0)} à {fmt.number(result.scale[1], 0)}"
    return {
        "waves": [_wave_context(w, result.shares, respondents) for w in result.waves],
        "n_waves": fmt.cardinal(len(result.waves), feminine=True),
        "noun": result.noun,
        "synthetic": [w.label for w in result.waves if w.synthetic],
        "conf_text": fmt.percent(100 * float(result.shares["conf_level"].iloc[0]), 0) if len(result.shares) else "",
        "not_asked": [{"label": label, "waves": ", ".join(f"« {w} »" for w in waves)}
                      for label, waves in ((dict(score_labels(result)).get(v, v), w)
                                           for v, w in (result.not_asked or {}).items())],
        "alpha_text": fmt.number(result.alpha, 2),
        "alpha_rule": ("une différence est dite significative lorsque la valeur de p ajustée est inférieure à "
                       f"{fmt.number(result.alpha, 2)}"),
        "score_verdicts": score_verdicts,
        "design": result.design,
        "reference": result.waves[0].label,
        "shares": _share_context(result),
        "share_method": _method(result, SHARE_METHOD_PAIRED, "") + SHARE_METHOD,
        "score_method": _method(result, SCORE_METHOD_PAIRED, SCORE_METHOD),
        "comparisons": _comparison_context(result),
        "scale_text": scale,
        "figure": {"path": figure_path, "markdown": Markdown(f"![{FIGURE_TITLE}]({figure_path}){{#fig:evolution}}")},
    }


def render_section(template_path: str | Path, context: dict) -> str:
    """Render the Markdown section; an unknown name in the template is an error, not an empty string."""
    text = render_template(template_path, **context)  # the sandbox of report.markup: a template is data
    return typography(re.sub(r"\n{3,}", "\n\n", text).strip()) + "\n"


__all__ = ["Wave", "CrossWave", "waves_from_params", "score_items", "share_counts", "share_table",
           "comparison_pairs", "score_comparison", "scores_table", "score_means", "compare_waves",
           "evolution_figure", "section_context", "render_section"]
