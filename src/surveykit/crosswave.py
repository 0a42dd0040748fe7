"""Comparison of the waves of a repeated survey: adoption rate and barrier scores.

Statistical choices (documented here and in the French section):

* adoption rate = share of "Oui" to `pratique_tle` among the respondents who answered
  it, per wave, with the Wilson 95 % interval (R's ``prop.test(x, n, correct = FALSE)``);
  the waves are compared at once on the waves × (Oui, Non) table with the automatic
  choice of the analysis plan (chi-squared or Fisher, `stats.choice.choose_categorical`),
  whose French reason is kept;
* each barrier (1-10 items of the `freins` grid) is compared between two waves with
  the Wilcoxon-Mann-Whitney test (R's ``wilcox.test(a, b)``: scores are ordinal and
  tied, as in the thesis' Table 7). Design "baseline" (default): the first wave (the
  thesis) is the reference and every later wave is compared with it, so each result
  reads "since the thesis"; design "consecutive": each wave with the one before it.
  Within one comparison the p-values of the barriers are adjusted by Holm's method
  (R's ``p.adjust(p, "holm")``) and a barrier is called different when the adjusted
  p is below alpha.
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from . import fmt
from .codebook import Codebook
from .errors import InputError
from .figures.style import PALETTE, decimal_comma  # selects matplotlib's Agg backend before pyplot
from .stats import rtests
from .stats.choice import TEST_LABELS_FR, choose_categorical
from .stats.effects import wilson_ci

import matplotlib.pyplot as plt  # noqa: E402  (after figures.style)
from matplotlib.ticker import FuncFormatter  # noqa: E402

ADOPTION_VARIABLE = "pratique_tle"
ADOPTION_LEVELS = ("Oui", "Non")
BARRIERS_QUESTION = "freins"
DESIGNS = ("baseline", "consecutive")

ADOPTION_COLUMNS = ["wave", "label", "synthetic", "n", "x", "pct", "ci_low", "ci_high", "conf_level",
                    "test", "statistic", "df", "p_value", "method", "reason"]
BARRIER_COLUMNS = ["comparison", "design", "wave_a", "wave_b", "variable", "label", "n_a", "mean_a", "sd_a",
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


def barrier_items(book: Codebook, question: str = BARRIERS_QUESTION) -> list[tuple[str, str]]:
    """(variable, canonical label) of the barrier items, in questionnaire order."""
    return [(item.id, item.label) for item in book.question(question).items]


# --------------------------------------------------------------------------- adoption


def adoption_counts(frame: pd.DataFrame, variable: str = ADOPTION_VARIABLE) -> tuple[int, int]:
    """(x = "Oui", n = answered) of one wave."""
    values = frame[variable].astype(str)
    answered = values[values != ""]
    return int((answered == ADOPTION_LEVELS[0]).sum()), int(len(answered))


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


def adoption_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], seed: int,
                   conf_level: float = 0.95) -> pd.DataFrame:
    """One row per wave: x, n, % and Wilson interval (in %), plus the between-wave test (same on every row)."""
    rows, table = [], []
    for frame, wave in zip(frames, waves):
        x, n = adoption_counts(frame)
        ci = wilson_ci(x, n, conf_level) if n else None
        rows.append({"wave": wave.name, "label": wave.label, "synthetic": wave.synthetic, "n": n, "x": x,
                     "pct": 100 * x / n if n else math.nan, "ci_low": 100 * ci.ci_low if ci else math.nan,
                     "ci_high": 100 * ci.ci_high if ci else math.nan, "conf_level": conf_level})
        table.append([x, n - x])
    test = _test_fields(np.array(table, dtype=float), seed)
    return pd.DataFrame([{**row, **test} for row in rows], columns=ADOPTION_COLUMNS)


# --------------------------------------------------------------------------- barriers


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


def barrier_comparison(frame_a: pd.DataFrame, frame_b: pd.DataFrame, wave_a: Wave, wave_b: Wave,
                       items: Sequence[tuple[str, str]], design: str, alpha: float) -> pd.DataFrame:
    """One row per barrier: means ± SD of both waves, Wilcoxon p, Holm-adjusted p over the barriers."""
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
    return frame[BARRIER_COLUMNS]


def barriers_table(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], items: Sequence[tuple[str, str]],
                   alpha: float, design: str = "baseline") -> pd.DataFrame:
    """Every barrier × comparison of the design, comparisons in wave order, barriers in questionnaire order."""
    parts = [barrier_comparison(frames[a], frames[b], waves[a], waves[b], items, design, alpha)
             for a, b in comparison_pairs(len(waves), design)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=BARRIER_COLUMNS)


def barrier_means(frames: Sequence[pd.DataFrame], waves: Sequence[Wave],
                  items: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """n, mean and SD of every barrier in every wave (tidy: wave × barrier)."""
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
    adoption: pd.DataFrame
    barriers: pd.DataFrame
    means: pd.DataFrame
    alpha: float
    design: str
    scale: tuple[int, int] = (1, 10)


def compare_waves(frames: Sequence[pd.DataFrame], waves: Sequence[Wave], book: Codebook, *, seed: int,
                  alpha: float, design: str = "baseline", conf_level: float = 0.95) -> CrossWave:
    """Adoption and barriers of every wave, and the tests between waves."""
    if len(frames) != len(waves):
        raise InputError(f"crosswave: {len(frames)} responses files for {len(waves)} waves; expected one per wave")
    if not waves:
        raise InputError("crosswave: no wave to compare")
    for frame, wave in zip(frames, waves):
        missing = [v for v in [ADOPTION_VARIABLE, *(i for i, _ in barrier_items(book))] if v not in frame.columns]
        if missing:
            raise InputError(f"crosswave: responses of wave {wave.name!r} lack the column(s) {missing}")
    items = barrier_items(book)
    grid = book.question(BARRIERS_QUESTION)
    return CrossWave(list(waves), adoption_table(frames, waves, seed, conf_level),
                     barriers_table(frames, waves, items, alpha, design), barrier_means(frames, waves, items),
                     alpha, design, (int(grid.min), int(grid.max)))


# --------------------------------------------------------------------------- figure


def _wave_name(wave: Wave, width: int) -> str:
    """Wave label for the figure; synthetic waves carry an asterisk explained under the figure."""
    return textwrap.fill(wave.label + (" *" if wave.synthetic else ""), width)


def evolution_figure(result: CrossWave) -> plt.Figure:
    """Left: adoption rate with its interval per wave; right: mean score of each barrier per wave."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2), gridspec_kw={"width_ratios": [1, 1.9]})
    _adoption_panel(left, result)
    _barriers_panel(right, result)
    if any(w.synthetic for w in result.waves):
        fig.text(0.01, -0.02, "* Vague synthétique : données simulées ou reconstruites, aucune réponse réelle.",
                 fontsize=8, style="italic", ha="left", va="top")
    fig.suptitle("Évolution entre les vagues : adoption de la télé-expertise et freins", fontsize=12)
    fig.tight_layout()
    return fig


def _adoption_panel(ax, result: CrossWave) -> None:
    adoption = result.adoption
    x = np.arange(len(adoption))
    pct = adoption["pct"].to_numpy(dtype=float)
    low, high = adoption["ci_low"].to_numpy(dtype=float), adoption["ci_high"].to_numpy(dtype=float)
    errors = np.vstack([pct - low, high - pct])
    ax.errorbar(x, pct, yerr=errors, fmt="o-", color=PALETTE[0], ecolor=PALETTE[0], capsize=6, linewidth=1.6)
    for xi, value in zip(x, pct):
        ax.annotate(fmt.percent(value), (xi, value), textcoords="offset points", xytext=(10, 0), fontsize=9,
                    va="center")
    ax.set_xticks(x, [_wave_name(w, 24) for w in result.waves], fontsize=8)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{decimal_comma(v)}\u00a0%"))
    level = fmt.percent(100 * float(adoption["conf_level"].iloc[0]), 0)
    ax.set_title(f"Médecins pratiquant la télé-expertise (IC {level})")
    ax.set_ylabel("Pourcentage des répondants")


def _barriers_panel(ax, result: CrossWave) -> None:
    means = result.means
    first = means[means["wave"] == result.waves[0].name].sort_values("mean", kind="stable")
    order = list(first["variable"])
    labels = [textwrap.fill(label, 40) for label in first["label"]]
    y = np.arange(len(order))
    pivot = means.pivot(index="variable", columns="wave", values="mean").loc[order]
    for row, variable in enumerate(order):
        values = pivot.loc[variable, [w.name for w in result.waves]].to_numpy(dtype=float)
        ax.plot(values, np.full(values.size, row), color="#bfbfbf", linewidth=1.2, zorder=1)
    for index, wave in enumerate(result.waves):
        ax.scatter(pivot[wave.name].to_numpy(dtype=float), y, s=42, color=PALETTE[index % len(PALETTE)],
                   label=_wave_name(wave, 46), zorder=2)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(result.scale[0] - 0.3, result.scale[1] + 0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: decimal_comma(v)))
    ax.set_xlabel(f"Score moyen ({result.scale[0]} = pas du tout un frein ; {result.scale[1]} = frein majeur)")
    ax.set_title("Score moyen de chaque frein selon la vague")
    ax.legend(loc="lower right", fontsize=8, frameon=True)


# --------------------------------------------------------------------------- French section


def _p_adjusted(p: float) -> str:
    """'p ajusté = 0,0123' / 'p ajusté < 0,001' (Holm)."""
    return "p ajusté" + fmt.p_sentence(p)[1:] if not fmt.is_missing(p) else "p non calculable"


def _wave_context(row: pd.Series, wave: Wave) -> dict:
    return {"name": wave.name, "label": wave.label, "synthetic": wave.synthetic, "n_text": str(int(row["n"])),
            "x_text": str(int(row["x"])), "pct_text": fmt.percent(row["pct"]),
            "ci_text": f"{fmt.percent(row['ci_low'])} – {fmt.percent(row['ci_high'])}", "pct": float(row["pct"])}


def _adoption_context(result: CrossWave) -> dict:
    first = result.adoption.iloc[0]
    p = float(first["p_value"])
    tested = not math.isnan(p)
    return {"tested": tested, "significant": tested and p < result.alpha, "p_text": fmt.p_sentence(p),
            "test_label": TEST_LABELS_FR.get(first["test"], ""), "reason": first["reason"],
            "last_higher": float(result.adoption["pct"].iloc[-1]) > float(first["pct"]),
            "first": result.waves[0].label, "last": result.waves[-1].label}


def _barrier_row(row: pd.Series) -> dict:
    return {"label": row["label"], "mean_a": fmt.mean_sd(row["mean_a"], row["sd_a"]),
            "mean_b": fmt.mean_sd(row["mean_b"], row["sd_b"]), "lower": bool(row["mean_b"] < row["mean_a"]),
            "p_text": fmt.p_value(row["p_value"]), "p_holm_text": fmt.p_value(row["p_holm"]),
            "p_holm_sentence": _p_adjusted(row["p_holm"]), "significant": bool(row["significant"])}


def _comparison_context(result: CrossWave) -> list[dict]:
    labels = {w.name: w for w in result.waves}
    comparisons = []
    for _name, sub in result.barriers.groupby("comparison", sort=False):
        rows = [_barrier_row(r) for _i, r in sub.iterrows()]
        wave_a, wave_b = labels[sub["wave_a"].iloc[0]], labels[sub["wave_b"].iloc[0]]
        comparisons.append({"a": wave_a.label, "b": wave_b.label, "rows": rows, "n_items": str(len(rows)),
                            "significant": [r for r in rows if r["significant"]],
                            "not_significant": [r for r in rows if not r["significant"]]})
    return comparisons


FIGURE_TITLE = "Évolution du taux d'adoption de la télé-expertise et des scores moyens des freins selon la vague"


def section_context(result: CrossWave, figure_path: str) -> dict:
    """Everything the template prints, already formatted in French: the template types no number."""
    rows = result.adoption.set_index("wave")
    return {
        "waves": [_wave_context(rows.loc[w.name], w) for w in result.waves],
        "n_waves": str(len(result.waves)),
        "synthetic": [w.label for w in result.waves if w.synthetic],
        "conf_text": fmt.percent(100 * float(result.adoption["conf_level"].iloc[0]), 0),
        "alpha_text": fmt.number(result.alpha, 2),
        "design": result.design,
        "reference": result.waves[0].label,
        "adoption": _adoption_context(result),
        "comparisons": _comparison_context(result),
        "scale_text": f"de {result.scale[0]} à {result.scale[1]}",
        "figure": {"path": figure_path, "markdown": f"![{FIGURE_TITLE}]({figure_path}){{#fig:evolution width=100%}}"},
    }


def render_section(template_path: str | Path, context: dict) -> str:
    """Render the Markdown section; an unknown name in the template is an error, not an empty string."""
    path = Path(template_path)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(path.parent)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    text = env.get_template(path.name).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


__all__ = ["Wave", "CrossWave", "waves_from_params", "barrier_items", "adoption_counts", "adoption_table",
           "comparison_pairs", "barrier_comparison", "barriers_table", "barrier_means", "compare_waves",
           "evolution_figure", "section_context", "render_section"]
