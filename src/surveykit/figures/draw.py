"""The figures of the Résultats chapter. Each function takes small data (dicts, tidy frames) and a title."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from .. import distributions as dist
from .style import PALETTE, decimal_comma


def _box(ax, x, y, text, width=0.46, height=0.12, color=PALETTE[0]):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.01",
                                facecolor="white", edgecolor=color, linewidth=1.4))
    ax.text(x, y, text, ha="center", va="center", fontsize=9, wrap=True)


def flowchart(flow: dict, title: str) -> plt.Figure:
    """Figure 7: received → excluded / quarantined (by reason) → analysed."""
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    _box(ax, 0.3, 0.88, f"Questionnaires reçus\nn = {flow['received']}")
    removed = [(reason, n, "exclu") for reason, n in flow["excluded"].items()]
    removed += [(reason, n, "mis en quarantaine") for reason, n in flow["quarantined"].items()]
    if removed:
        lines = [f"{reason} : n = {n}" for reason, n, _kind in removed]
        total = sum(n for _r, n, _k in removed)
        text = f"Non analysés : n = {total}\n" + "\n".join(lines)
        _box(ax, 0.75, 0.6, text, width=0.44, height=0.1 + 0.05 * len(lines), color=PALETTE[1])
        ax.annotate("", xy=(0.53, 0.6), xytext=(0.3, 0.6), arrowprops={"arrowstyle": "->", "color": "black"})
    ax.annotate("", xy=(0.3, 0.38), xytext=(0.3, 0.82), arrowprops={"arrowstyle": "->", "color": "black"})
    _box(ax, 0.3, 0.3, f"Questionnaires analysés\nn = {flow['analysed']}", color=PALETTE[2])
    ax.set_title(title, fontsize=11)
    return fig


def histogram(values: pd.DataFrame, mean: float, sd: float, xlabel: str, title: str) -> plt.Figure:
    """Figure 8: distribution of a 1–10 scale with mean ± SD. `values` has columns level, n."""
    fig, ax = plt.subplots(figsize=(7, 4))
    levels = values["level"].astype(int).to_numpy()
    counts = values["n"].astype(int).to_numpy()
    ax.bar(levels, counts, color=PALETTE[0], width=0.8)
    for x, n in zip(levels, counts):
        if n:
            ax.text(x, n + 0.2, str(n), ha="center", va="bottom", fontsize=9)
    ax.axvline(mean, color=PALETTE[1], linewidth=1.5)
    ax.axvspan(mean - sd, mean + sd, color=PALETTE[1], alpha=0.12, linewidth=0)
    ax.text(mean, max(counts) * 1.08 + 0.5, f"moyenne {decimal_comma(mean, 1)} ± {decimal_comma(sd, 1)}",
            ha="center", color=PALETTE[1], fontsize=9)
    ax.set_xticks(levels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Nombre de médecins")
    ax.set_ylim(0, max(counts) * 1.2 + 1)
    ax.set_title(title)
    return fig


def category_bars(counts: pd.DataFrame, title: str) -> plt.Figure:
    """Figures 9–13: coded categories of an open question, n and % of the answers. Columns label, n, pct."""
    counts = counts.sort_values(["n", "label"], ascending=[True, False])
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(counts) + 1.4))
    labels = ["\n".join(textwrap.wrap(label, 38)) for label in counts["label"]]
    ax.barh(labels, counts["n"], color=PALETTE[0])
    for y, (n, pct) in enumerate(zip(counts["n"], counts["pct"])):
        ax.text(n + 0.1, y, f"n = {n} ({decimal_comma(pct, 1)} %)", va="center", fontsize=9)
    ax.set_xlim(0, counts["n"].max() * 1.35 + 0.5)
    ax.set_xlabel("Nombre de réponses")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    return fig


def barrier_means(scores: pd.DataFrame, labels: dict[str, str], group_labels: dict[str, str],
                  title: str) -> plt.Figure:
    """Barriers (1–10): mean and 95 % CI per group, items ordered by overall mean (rank 1 at the top)."""
    overall = scores[scores["group"] == "Ensemble"].sort_values("rank", ascending=False)
    order = list(overall["variable"])
    groups = [g for g in scores["group"].drop_duplicates() if g != "Ensemble"] or ["Ensemble"]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(order) + 1.5))
    offsets = np.linspace(-0.18, 0.18, len(groups)) if len(groups) > 1 else [0.0]
    for color, offset, group in zip(PALETTE, offsets, groups):
        sub = scores[scores["group"] == group].set_index("variable").loc[order]
        y = np.arange(len(order)) + offset
        ax.errorbar(sub["mean"], y, xerr=[sub["mean"] - sub["ci_low"], sub["ci_high"] - sub["mean"]], fmt="o",
                    color=color, capsize=3, label=f"{group_labels.get(group, group)} (n = {int(sub['n'].max())})")
    ax.set_yticks(np.arange(len(order)))
    ax.set_yticklabels(["\n".join(textwrap.wrap(labels.get(v, v), 40)) for v in order])
    ax.set_xlim(1, 10)
    ax.set_xlabel("Score moyen (1 = pas un frein ; 10 = frein majeur), IC 95 %")
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_title(title)
    return fig


def diffusion_curve(adoption_rate: float, wave_label: str, references: dict, title: str) -> plt.Figure:
    """Figure 15: Rogers' adoption curve (bell) and cumulative adoption (S), with this wave's and earlier rates."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = np.linspace(-3.2, 3.2, 400)
    ax.fill_between(x, np.exp(-x * x / 2) * 100, color=PALETTE[0], alpha=0.15, linewidth=0)
    ax.plot(x, dist.norm_cdf(x) * 100, color=PALETTE[0], linewidth=2)
    bounds = np.cumsum([0.0] + [c["share"] for c in references["rogers_categories"]])
    for left, right, category in zip(bounds[:-1], bounds[1:], references["rogers_categories"]):
        z_left, z_right = dist.norm_ppf(max(left, 1e-9) / 100), dist.norm_ppf(min(right, 100 - 1e-9) / 100)
        z_left, z_right = max(z_left, -3.2), min(z_right, 3.2)
        ax.axvline(z_right, color="grey", linewidth=0.6, linestyle=":") if right < 100 else None
        ax.text((z_left + z_right) / 2, 3, "\n".join(textwrap.wrap(category["label"], 12, break_long_words=False)), ha="center",
                va="bottom", fontsize=7.5, color="dimgray")
    markers = ["s", "^", "D", "v", "P", "X"]
    points = [(s["label"], s["rate"], PALETTE[1], markers[i % len(markers)])
              for i, s in enumerate(sorted(references["studies"], key=lambda s: (s["year"], s["rate"])))]
    points.append((wave_label, adoption_rate, PALETTE[2], "o"))
    for label, rate, color, marker in points:
        ax.plot([dist.norm_ppf(rate / 100)], [rate], marker, color=color, markersize=8, linestyle="none",
                label=f"{label} : {decimal_comma(rate, 1)} %")
    ax.legend(loc="upper left", fontsize=8, frameon=True, title="Taux d'utilisateurs", title_fontsize=8)
    ax.set_xticks([])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Médecins utilisateurs (%)")
    ax.set_xlabel("Temps (catégories d'adoptants selon E. Rogers)")
    ax.set_title(title)
    return fig
