"""Post-hoc pairwise comparisons after a global test over more than two groups, and letter displays.

=============================  ====================================================================
Python                         R reference
=============================  ====================================================================
``pairwise_table_tests``       ``fisher.test`` / ``chisq.test`` of every pair of columns, then
                               ``p.adjust(p, "holm")`` (what ``rstatix::pairwise_fisher_test`` does)
``pairwise_wilcox``            ``pairwise.wilcox.test(x, g, p.adjust.method = "holm")``
``dunn_test``                  Dunn (1964) z with the Kruskal-Wallis tie correction, then
                               ``p.adjust``: as ``dunn.test::dunn.test(x, g, method = "holm")``
                               (formula written out in R in ``tests/r_reference``)
``compact_letters``            ``multcompView::multcompLetters`` (insert-absorb, Piepho 2004)
=============================  ====================================================================

A pair is listed as (group i, group j) with i before j in the given order; ``p_adjusted`` is adjusted
over all pairs of the call.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from surveykit.core import distributions as dist

from .rtests import _clean_sample, _count_table, chisq_test, fisher_test, p_adjust, wilcox_test


@dataclass(frozen=True)
class PairwiseResult:
    """One comparison of two groups: raw and adjusted p, statistic (z for Dunn, W for Wilcoxon)."""

    group1: str
    group2: str
    statistic: float | None
    p_value: float
    p_adjusted: float
    method: str


def _labels(count: int, labels: Sequence[str] | None) -> list[str]:
    names = [str(i + 1) for i in range(count)] if labels is None else [str(v) for v in labels]
    if len(names) != count:
        raise ValueError("il faut un libellé par groupe")
    return names


def _adjusted(rows: list[tuple[str, str, float | None, float, str]], method: str) -> list[PairwiseResult]:
    adjusted = p_adjust([r[3] for r in rows], method)
    return [PairwiseResult(a, b, s, p, float(q), m) for (a, b, s, p, m), q in zip(rows, adjusted)]


def pairwise_table_tests(table: Sequence[Sequence[float]] | np.ndarray, test: str = "fisher",
                         labels: Sequence[str] | None = None, p_adjust_method: str = "holm",
                         seed: int | None = None) -> list[PairwiseResult]:
    """Every pair of columns (groups) of a contingency table compared by ``fisher`` or ``chisq``.

    The two columns' sub-table loses its all-zero rows first (a level neither group chose says nothing
    of their difference; R's chisq.test would give NaN); a sub-table left with one row gets p = 1.
    Fisher: exact (:func:`.rtests.fisher_test`, Monte Carlo with ``seed`` only beyond its work budget);
    chi-squared with Yates' correction on 2 x 2 sub-tables, as ``chisq.test``'s default.
    """
    x = _count_table(table)
    names = _labels(x.shape[1], labels)
    rows = []
    for i, j in combinations(range(x.shape[1]), 2):
        sub = x[:, [i, j]]
        sub = sub[sub.sum(axis=1) > 0]
        if sub.shape[0] < 2 or np.any(sub.sum(axis=0) == 0):
            rows.append((names[i], names[j], None, 1.0, "no test: one level or an empty group"))
            continue
        if test == "fisher":
            res = fisher_test(sub, seed=seed)
        elif test == "chisq":
            res = chisq_test(sub)
        else:
            raise ValueError(f"test inconnu : {test!r}")
        rows.append((names[i], names[j], res.statistic, res.p_value, res.method))
    return _adjusted(rows, p_adjust_method)


def pairwise_wilcox(groups: Sequence[Sequence[float] | np.ndarray], labels: Sequence[str] | None = None,
                    p_adjust_method: str = "holm") -> list[PairwiseResult]:
    """``pairwise.wilcox.test(x, g, p.adjust.method)``: ``wilcox.test`` of each pair (R's defaults), adjusted.

    Groups left empty after NaN removal keep their place and give NaN p-values (not counted by the
    adjustment), as R's pairwise table shows NA."""
    samples = [_clean_sample(g) for g in groups]
    names = _labels(len(samples), labels)
    rows = []
    for i, j in combinations(range(len(samples)), 2):
        if samples[i].size == 0 or samples[j].size == 0:
            rows.append((names[i], names[j], None, math.nan, ""))
            continue
        res = wilcox_test(samples[i], samples[j])
        rows.append((names[i], names[j], res.statistic, res.p_value, res.method))
    return _adjusted(rows, p_adjust_method)


def dunn_test(groups: Sequence[Sequence[float] | np.ndarray], labels: Sequence[str] | None = None,
              p_adjust_method: str = "holm") -> list[PairwiseResult]:
    """Dunn's (1964) pairwise z tests on the Kruskal-Wallis ranks of all groups together.

    ``z = (mean rank_i - mean rank_j) / sqrt((N (N + 1) / 12 - sum(t³ - t) / (12 (N - 1))) (1/n_i + 1/n_j))``,
    two-sided p = 2·pnorm(-|z|), then ``p.adjust``. NaN values and empty groups are dropped first (as
    kruskal.test); all values tied: NaN.
    """
    samples = [_clean_sample(g) for g in groups]
    names = _labels(len(samples), labels)
    kept = [(name, s) for name, s in zip(names, samples) if s.size > 0]
    values = np.concatenate([s for _, s in kept])
    n = float(values.size)
    ranks = dist.rankdata(values)
    bounds = np.cumsum([0] + [s.size for _, s in kept])
    means = [float(ranks[a:b].mean()) for a, b in zip(bounds[:-1], bounds[1:])]
    _, ties = np.unique(values, return_counts=True)
    ties = ties.astype(float)
    variance = n * (n + 1) / 12 - float(np.sum(ties ** 3 - ties)) / (12 * (n - 1))
    rows = []
    for i, j in combinations(range(len(kept)), 2):
        se = math.sqrt(variance * (1 / kept[i][1].size + 1 / kept[j][1].size)) if variance > 0 else 0.0
        z = (means[i] - means[j]) / se if se > 0 else math.nan
        p = math.nan if math.isnan(z) else 2 * float(dist.norm_sf(abs(z)))
        rows.append((kept[i][0], kept[j][0], z, p, "Dunn's test"))
    return _adjusted(rows, p_adjust_method)


# --------------------------------------------------------------------------- compact letter display


def compact_letters(groups: Sequence[str], different: Mapping[tuple[str, str], bool] | Sequence[tuple[str, str]]
                    ) -> dict[str, str]:
    """Compact letter display: groups that share a letter do not differ; groups that differ share none.

    ``different`` lists the pairs that differ (or maps pairs to True/False, e.g. ``p_adjusted < alpha``).
    Piepho's (2004) insert-and-absorb algorithm, as ``multcompView::multcompLetters``: start from one
    letter for all groups; for each differing pair, split every letter holding both into one without
    either member; then drop letters whose groups another letter already holds. Letters are named
    a, b, c… in the order of their first group (groups in the given order); a group alone keeps its
    own letter.
    """
    names = [str(g) for g in groups]
    index = {name: k for k, name in enumerate(names)}
    pairs = [p for p, d in different.items() if d] if isinstance(different, Mapping) else list(different)
    columns: list[frozenset[int]] = [frozenset(range(len(names)))]
    for a, b in pairs:
        i, j = index[str(a)], index[str(b)]
        columns = _absorb(_split(columns, i, j))
    columns = sorted(columns, key=lambda c: sorted(c))
    letters = _letter_names(len(columns))
    return {name: "".join(letters[c] for c, col in enumerate(columns) if k in col) for k, name in enumerate(names)}


def _split(columns: list[frozenset[int]], i: int, j: int) -> list[frozenset[int]]:
    out = []
    for col in columns:
        if i in col and j in col:
            out.extend([col - {i}, col - {j}])
        else:
            out.append(col)
    return out


def _absorb(columns: list[frozenset[int]]) -> list[frozenset[int]]:
    unique = list(dict.fromkeys(c for c in columns if c))
    return [c for c in unique if not any(c < other for other in unique)]


def _letter_names(count: int) -> list[str]:
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    names = list(alphabet) + [a + b for a in alphabet for b in alphabet]
    if count > len(names):
        raise ValueError("trop de lettres")
    return names[:count]
