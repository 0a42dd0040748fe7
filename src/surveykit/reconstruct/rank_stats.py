"""Rank statistics written as R computes them, in closed form, for the reconstruction.

R's `wilcox.test(x, y)` falls back to the normal approximation with tie and
continuity corrections as soon as the pooled sample has ties (always the case on a
1-10 scale with 39 answers), and `kruskal.test` uses the tie-corrected statistic
with a chi-squared law. With the pooled histogram fixed, both p-values only depend
on group rank sums, which is what makes the reconstruction linear.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import norm


def midranks(histogram: Sequence[int]) -> np.ndarray:
    """Mid-rank of each scale value given the pooled count of each value (R's rank, ties='average')."""
    counts = np.asarray(histogram, dtype=float)
    below = np.concatenate(([0.0], np.cumsum(counts)[:-1]))
    return below + (counts + 1.0) / 2.0


def tie_sum(histogram: Sequence[int]) -> float:
    """sum(t^3 - t) over the tie groups, as in R's tie corrections."""
    counts = np.asarray(histogram, dtype=float)
    return float(np.sum(counts**3 - counts))


def wilcox_p_from_ranksum(rank_sum_x: float, n_x: int, n_y: int, ties: float) -> float:
    """Two-sided p of R's wilcox.test(x, y) (normal approximation, correct=TRUE) from x's rank sum."""
    n = n_x + n_y
    z = rank_sum_x - n_x * (n_x + 1) / 2 - n_x * n_y / 2
    sigma = math.sqrt((n_x * n_y / 12) * ((n + 1) - ties / (n * (n - 1))))
    z = (z - math.copysign(0.5, z) * (z != 0)) / sigma
    return float(2 * min(norm.cdf(z), norm.sf(z)))


def kruskal_h_from_ranksums(rank_sums: Sequence[float], sizes: Sequence[int], ties: float) -> float:
    """Tie-corrected Kruskal-Wallis statistic of R's kruskal.test from group rank sums."""
    n = sum(sizes)
    stat = sum(r * r / m for r, m in zip(rank_sums, sizes))
    return (12 * stat / (n * (n + 1)) - 3 * (n + 1)) / (1 - ties / (n**3 - n))


def kruskal_p_from_h(h: float, groups: int) -> float:
    """Upper chi-squared tail with groups - 1 degrees of freedom (exp(-H/2) for 3 groups)."""
    from scipy.stats import chi2

    return float(chi2.sf(h, groups - 1))


def _pooled(groups: Sequence[Sequence[float]]) -> tuple[np.ndarray, list[np.ndarray]]:
    arrays = [np.asarray(g, dtype=float) for g in groups]
    return np.concatenate(arrays), arrays


def _ranks_and_ties(values: np.ndarray) -> tuple[np.ndarray, float]:
    from scipy.stats import rankdata

    _, counts = np.unique(values, return_counts=True)
    return rankdata(values, method="average"), tie_sum(counts)


def wilcox_p(x: Sequence[float], y: Sequence[float]) -> float:
    """p of R's wilcox.test(x, y) when the pooled data have ties (normal approximation)."""
    pooled, (ax, ay) = _pooled([x, y])
    ranks, ties = _ranks_and_ties(pooled)
    if ties == 0:
        raise ValueError("no ties: R would use the exact test, which this closed form does not cover")
    return wilcox_p_from_ranksum(float(ranks[: len(ax)].sum()), len(ax), len(ay), ties)


def kruskal_p(groups: Sequence[Sequence[float]]) -> float:
    """p of R's kruskal.test(list(g1, g2, ...))."""
    pooled, arrays = _pooled(groups)
    ranks, ties = _ranks_and_ties(pooled)
    sizes = [len(a) for a in arrays]
    bounds = np.cumsum([0] + sizes)
    sums = [float(ranks[bounds[i] : bounds[i + 1]].sum()) for i in range(len(sizes))]
    return kruskal_p_from_h(kruskal_h_from_ranksums(sums, sizes, ties), len(sizes))
