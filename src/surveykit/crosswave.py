"""Comparison of the waves of a repeated survey: what the study's plan declares under `cross_wave`.

Statistical choices (documented here and in the French section):

* a share (one level of a single-choice variable, e.g. "Oui") among the respondents who answered it,
  per wave, with the Wilson 95 % interval (R's ``prop.test(x, n, correct = FALSE)``); the waves are
  compared at once on the waves × (level, other levels) table with the automatic choice of the
  analysis plan (chi-squared or Fisher, `stats.choice.choose_categorical`), whose French reason is kept;
* each score (a numeric variable, or every item of a scale grid) is compared between two waves with
  the Wilcoxon-Mann-Whitney test (R's ``wilcox.test(a, b)``: scores are ordinal and tied). Design
  "baseline" (default): the first wave is the reference and every later wave is compared with it;
  design "consecutive": each wave with the one before it. Within one comparison the p-values of the
  scores are adjusted by Holm's method (R's ``p.adjust(p, "holm")``) and a score is called different
  when the adjusted p is below alpha.

Every word printed comes from the study's files (labels of the codebook and the plan).
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import fmt
from .analysis.format import variable_label
from .analysis.plan import Plan
from .codebook import Codebook
from .errors import InputError
from .report.prose import typography
from .figures.style import GREY, PALETTE, SMALL_FONT_SIZE, TEXT_WIDTH_IN, french_axis  # selects the Agg backend
from .report.markup import Markdown, render_template
from .stats import rtests
from .stats.choice import choose_categorical
from .testnames import TEST_LABELS_FR
from .stats.effects import wilson_ci

import matplotlib.pyplot as plt  # noqa: E402  (after figures.style)

DESIGNS = ("baseline", "consecutive")

SHARE_COLUMNS = ["variable", "level", "label", "wave", "wave_label", "synthetic", "n", "x", "pct", "ci_low",
                 "ci_high", "conf_level", "test", "statistic", "df", "p_value", "method", "reason"]
SCORE_COLUMNS = ["comparison", "design", "wave_a", "wave_b", "variable", "label", "n_a", "mean_a", "sd_a",
                 "n_b", "mean_b", "sd_b", "difference", "test", "statistic", "p_value", "p_holm", "significant",
                 "method", "note"]


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


# --------------------------------------------------------------------------- shares


def share_counts(frame: pd.DataFrame, variable: str, level: str) -> tuple[int, int]:
    """(x = answers equal to `level`, n = answered) of one wave."""
    values = frame[variable].astype(str)
    answered = values[values != ""]
    return int((answered == level).sum()), int(len(answered))


def _test_fields(table: np.ndarray, seed: int) -> dict:
    """Columns describing the between-wave test (empty when the waves cannot be compared)."""
    empty = {"test": "", "statistic": math.nan, "df": math.nan, "p_value": math.nan, "method": ""}
    if table.shape[0] < 2:
        return {**empty, "reason": "une seule vague : pas de comparaison"}
    try:
        choice = choose_categorical(table, seed=seed)
    except ValueError as exc:
        return {**empty, "reason": str(exc)}
    result = choice.result
    return {"test": result.test, "statistic": result.statistic if result.statistic is not None else math.nan,
            "df": result.df if result.df is not None else math.nan, "p_value": result.p_value,
            "method": result.method, "reason": choice.reason}


def share_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], variable: str, level: str, label: str,
                seed: int, conf_level: float = 0.95) -> pd.DataFrame:
    """One row per wave: x, n, % and Wilson interval (in %), plus the between-wave test (same on every row)."""
    rows, table = [], []
    for frame, wave in zip(frames, waves):
        x, n = share_counts(frame, variable, level)
        ci = wilson_ci(x, n, conf_level) if n else None
        rows.append({"variable": variable, "level": level, "label": label, "wave": wave.name,
                     "wave_label": wave.label, "synthetic": wave.synthetic, "n": n, "x": x,
                     "pct": 100 * x / n if n else math.nan, "ci_low": 100 * ci.ci_low if ci else math.nan,
                     "ci_high": 100 * ci.ci_high if ci else math.nan, "conf_level": conf_level})
        table.append([x, n - x])
    test = _test_fields(np.array(table, dtype=float), seed)
    return pd.DataFrame([{**row, **test} for row in rows], columns=SHARE_COLUMNS)


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


def score_comparison(frame_a: pd.DataFrame, frame_b: pd.DataFrame, wave_a: Wave, wave_b: Wave,
                     items: Sequence[tuple[str, str]], design: str, alpha: float) -> pd.DataFrame:
    """One row per score: means ± SD of both waves, Wilcoxon p, Holm-adjusted p over the scores."""
    rows = []
    for variable, label in items:
        a, b = _scores(frame_a, variable), _scores(frame_b, variable)
        (n_a, mean_a, sd_a), (n_b, mean_b, sd_b) = _summary(a), _summary(b)
        rows.append({"comparison": f"{wave_a.name} vs {wave_b.name}", "design": design, "wave_a": wave_a.name,
                     "wave_b": wave_b.name, "variable": variable, "label": label, "n_a": n_a, "mean_a": mean_a,
                     "sd_a": sd_a, "n_b": n_b, "mean_b": mean_b, "sd_b": sd_b, "difference": mean_b - mean_a,
                     **_wilcoxon(a, b)})
    frame = pd.DataFrame(rows)
    frame["p_holm"] = rtests.p_adjust(frame["p_value"].to_numpy(dtype=float), "holm")
    frame["significant"] = frame["p_holm"] < alpha
    return frame[SCORE_COLUMNS]


def scores_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], items: Sequence[tuple[str, str]],
                 alpha: float, design: str = "baseline") -> pd.DataFrame:
    """Every score × comparison of the design, comparisons in wave order, scores in plan order."""
    parts = [score_comparison(frames[a], frames[b], waves[a], waves[b], items, design, alpha)
             for a, b in comparison_pairs(len(waves), design)] if items else []
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SCORE_COLUMNS)


def score_means(frames: Sequence[pd.DataFrame], waves: Sequence[Wave],
                items: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """n, mean and SD of every score in every wave (tidy: wave × score)."""
    rows = []
    for frame, wave in zip(frames, waves):
        for variable, label in items:
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
    """The declared shares and scores of every wave, and the tests between waves."""
    if len(frames) != len(waves):
        raise InputError(f"crosswave: {len(frames)} responses files for {len(waves)} waves; expected one per wave")
    if not waves:
        raise InputError("crosswave: no wave to compare")
    declared = plan.cross_wave
    items = score_items(book, plan, declared.scores)
    needed = [v for v, _l in declared.shares] + [v for v, _l in items]
    for frame, wave in zip(frames, waves):
        missing = [v for v in needed if v not in frame.columns]
        if missing:
            raise InputError(f"crosswave: responses of wave {wave.name!r} lack the column(s) {missing}")
    shares = [share_table(frames, waves, v, level, share_label(book, plan, v, level), seed, conf_level)
              for v, level in declared.shares]
    shares = pd.concat(shares, ignore_index=True) if shares else pd.DataFrame(columns=SHARE_COLUMNS)
    scale, words = _scale(book, items) if items else (None, None)
    return CrossWave(list(waves), shares, scores_table(frames, waves, items, alpha, declared.design),
                     score_means(frames, waves, items), alpha, declared.design, scale, words,
                     book.respondent_noun())


# --------------------------------------------------------------------------- figure


def _wave_name(wave: Wave, width: int) -> str:
    """Wave label for the figure; synthetic waves carry an asterisk explained under the figure."""
    return textwrap.fill(wave.label + (" *" if wave.synthetic else ""), width)


def evolution_figure(result: CrossWave) -> plt.Figure:
    """Shares with their interval per wave (top), mean of each score per wave (below)."""
    panels = [p for p in ("shares", "scores") if len(getattr(result, p))]
    heights = {"shares": 2.6, "scores": 0.34 * result.means["variable"].nunique() + 1.4}
    fig, axes = plt.subplots(len(panels), 1, figsize=(TEXT_WIDTH_IN, sum(heights[p] for p in panels) + 0.4),
                             gridspec_kw={"height_ratios": [heights[p] for p in panels]}, squeeze=False)
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
        ax.errorbar(x + 0.06 * index, pct, yerr=errors, fmt="o-", color=color, capsize=4, linewidth=1.3,
                    markersize=4, label=label)
        for xi, value in zip(x, pct):
            ax.annotate(fmt.percent(value), (xi + 0.06 * index, value), textcoords="offset points", xytext=(8, 0),
                        fontsize=SMALL_FONT_SIZE, va="center")
    ax.set_xticks(x, [_wave_name(w, 22) for w in result.waves])
    ax.set_xlim(-0.4, len(x) - 0.4)
    ax.set_ylim(0, 105)
    french_axis(ax.yaxis, percent=True)
    level = fmt.percent(100 * float(result.shares["conf_level"].iloc[0]), 0)
    ax.set_ylabel(f"% des {result.noun} (IC {level})")
    ax.legend(loc="lower left", frameon=True)


def _scores_panel(ax, result: CrossWave) -> None:
    means = result.means
    first = means[means["wave"] == result.waves[0].name].sort_values("mean", kind="stable")
    order = list(first["variable"])
    y = np.arange(len(order))
    pivot = means.pivot(index="variable", columns="wave", values="mean").loc[order]
    for row, variable in enumerate(order):
        values = pivot.loc[variable, [w.name for w in result.waves]].to_numpy(dtype=float)
        ax.plot(values, np.full(values.size, row), color=GREY, linewidth=1, zorder=1)
    for index, wave in enumerate(result.waves):
        ax.scatter(pivot[wave.name].to_numpy(dtype=float), y, s=22, color=PALETTE[index % len(PALETTE)],
                   label=_wave_name(wave, 60), zorder=2)
    ax.set_yticks(y, [textwrap.fill(label.replace("'", "\u2019"), 44) for label in first["label"]])
    french_axis(ax.xaxis)
    if result.scale:
        ax.set_xlim(result.scale[0] - 0.3, result.scale[1] + 0.3)
    words = result.scale_words
    ends = f" ({fmt.number(result.scale[0], 0)} = {words[0]} ; {fmt.number(result.scale[1], 0)} = {words[1]})" \
        if words and all(words) else ""
    ax.set_xlabel(f"Score moyen{ends}".replace("'", "\u2019"))
    ax.legend(loc="lower left", ncols=1, frameon=True, fontsize=SMALL_FONT_SIZE)


# --------------------------------------------------------------------------- French section


def _p_adjusted(p: float) -> str:
    """'p ajusté = 0,0123' / 'p ajusté < 0,001' (Holm)."""
    return "p ajusté" + fmt.p_sentence(p)[1:] if not fmt.is_missing(p) else "p non calculable"


def _wave_context(wave: Wave, rows: pd.DataFrame, frames_n: dict[str, int]) -> dict:
    return {"name": wave.name, "label": wave.label, "synthetic": wave.synthetic, "n_text": str(frames_n[wave.name])}


def _share_context(result: CrossWave) -> list[dict]:
    shares = []
    for label, sub in result.shares.groupby("label", sort=False):
        first = sub.iloc[0]
        p = float(first["p_value"])
        tested = not math.isnan(p)
        shares.append({
            "label": label, "level": first["level"],
            "waves": [{"label": r.wave_label, "x_text": str(int(r.x)), "n_text": str(int(r.n)),
                       "pct_text": fmt.percent(r.pct), "ci_text": f"{fmt.percent(r.ci_low)} – {fmt.percent(r.ci_high)}"}
                      for r in sub.itertuples()],
            "tested": tested, "significant": tested and p < result.alpha, "p_text": fmt.p_sentence(p),
            "test_label": TEST_LABELS_FR.get(first["test"], ""), "reason": first["reason"],
            "last_higher": float(sub["pct"].iloc[-1]) > float(first["pct"]),
            "first": result.waves[0].label, "last": result.waves[-1].label})
    return shares


def _score_row(row: pd.Series) -> dict:
    return {"label": row["label"], "mean_a": fmt.mean_sd(row["mean_a"], row["sd_a"]),
            "mean_b": fmt.mean_sd(row["mean_b"], row["sd_b"]), "lower": bool(row["mean_b"] < row["mean_a"]),
            "p_text": fmt.p_value(row["p_value"]), "p_holm_text": fmt.p_value(row["p_holm"]),
            "p_holm_sentence": _p_adjusted(row["p_holm"]), "significant": bool(row["significant"])}


def _comparison_context(result: CrossWave) -> list[dict]:
    labels = {w.name: w for w in result.waves}
    comparisons = []
    for _name, sub in result.scores.groupby("comparison", sort=False):
        rows = [_score_row(r) for _i, r in sub.iterrows()]
        wave_a, wave_b = labels[sub["wave_a"].iloc[0]], labels[sub["wave_b"].iloc[0]]
        comparisons.append({"a": wave_a.label, "b": wave_b.label, "rows": rows, "n_items": str(len(rows)),
                            "significant": [r for r in rows if r["significant"]],
                            "not_significant": [r for r in rows if not r["significant"]]})
    return comparisons


FIGURE_TITLE = "Évolution entre les vagues"


def section_context(result: CrossWave, figure_path: str, respondents: dict[str, int]) -> dict:
    """Everything the template prints, already formatted in French: the template types no number.

    `respondents`: wave name -> number of analysed respondents."""
    scale = ""
    if result.scale:
        scale = f"de {fmt.number(result.scale[0], 0)} à {fmt.number(result.scale[1], 0)}"
    return {
        "waves": [_wave_context(w, result.shares, respondents) for w in result.waves],
        "n_waves": str(len(result.waves)),
        "noun": result.noun,
        "synthetic": [w.label for w in result.waves if w.synthetic],
        "conf_text": fmt.percent(100 * float(result.shares["conf_level"].iloc[0]), 0) if len(result.shares) else "",
        "alpha_text": fmt.number(result.alpha, 2),
        "design": result.design,
        "reference": result.waves[0].label,
        "shares": _share_context(result),
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
