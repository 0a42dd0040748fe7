"""The lattice left by Monte-Carlo p-values: R's simulate.p.value returns (1 + X)/(B + 1), so every simulated
p-value is a multiple of 1/(B + 1) (detect_mc_lattice)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from surveykit.core.distributions import binom_cdf, binom_sf

from surveykit.core.printed import PubNumber
from .numbers import Exact, as_exact, ceil_int, floor_int, interval

LATTICE_ALPHA = 0.01
FITTING_B_MAX = 10000  # the B reported as compatible: those people plausibly type (up to 10 000 draws)


@dataclass(frozen=True)
class LatticeResult:
    """Outcome of detect_mc_lattice (see its docstring)."""

    p_values: tuple[Exact, ...]
    best_b: int | None
    fitting_round_b: tuple[int, ...]
    fitting_b: tuple[int, ...]
    n_informative: int
    fraction_fitting: float
    chance_best: float | None
    chance_bound: float | None
    detected: bool


def _fits(a: np.ndarray | int, digits: int, m: np.ndarray | int) -> np.ndarray:
    """Does a multiple k/m (1 <= k <= m) lie in the rounding interval of a / 10^digits?"""
    a, m = np.asarray(a, dtype=np.int64), np.asarray(m, dtype=np.int64)
    den = 2 * 10**digits
    k_min = np.maximum(1, -((-(2 * a - 1) * m) // den))
    k_max = np.minimum(m, ((2 * a + 1) * m) // den)
    return k_min <= k_max


@lru_cache(maxsize=4096)
def _chance_one(b: int, digits: int) -> float:
    """Share of all printed values 0, 10^-d, ..., 1 that lie on the lattice k/(b + 1)."""
    return float(_fits(np.arange(10**digits + 1), digits, b + 1).mean())


def lattice_chance(b: int, p_values: Iterable[Exact]) -> float:
    """Probability that random p-values, printed at the same precisions, all fit 1/(b + 1)."""
    return math.prod(_chance_one(b, digits) for _, digits in p_values)


def is_round(b: int) -> bool:
    """One significant digit (100, 2000, 5000, 10000): the B people type in simulate.p.value."""
    while b % 10 == 0 and b >= 10:
        b //= 10
    return b < 10


def detect_mc_lattice(p_values: Sequence[tuple[float, int]] | Sequence[Exact],
                      b_candidates: Iterable[int] = range(100, 100001),
                      alpha: float = LATTICE_ALPHA) -> LatticeResult:
    """Find a common B such that every p-value is k/(B + 1) at its printed precision.

    R's fisher.test / chisq.test with simulate.p.value = TRUE return (1 + X)/(B + 1). B is
    discovered from the data. Only B with 1/(B + 1) coarser than the finest printed precision
    are informative (finer lattices fit any printed value). Reported:
      best_b           smallest "round" B (one significant digit) that fits all values;
      fitting_b        every informative candidate B <= 10000 that fits all values;
      fraction_fitting share of informative candidates that fit;
      chance_best      probability that random p-values (at the same precisions) fit best_b;
      chance_bound     Bonferroni bound on the probability that random p-values fit any round
                       B <= best_b, the look-elsewhere-corrected evidence;
      detected         best_b exists and chance_bound <= alpha.
    Identical values are counted once (a repeated value is no new evidence).
    """
    values = tuple(sorted({as_exact(p) for p in p_values}))
    if not values:
        raise ValueError("no p-value to test")
    finest = max(digits for _, digits in values)
    candidates = np.array(sorted(b for b in set(b_candidates) if b + 1 < 10**finest), dtype=np.int64)
    fit = np.ones(candidates.shape, dtype=bool)
    for value, digits in values:
        fit &= _fits(int(value * 10**digits), digits, candidates + 1)
    fitting = [int(b) for b in candidates[fit]]
    round_fitting = tuple(b for b in fitting if is_round(b))
    best = round_fitting[0] if round_fitting else None
    chance_best = lattice_chance(best, values) if best is not None else None
    bound = None
    if best is not None:
        bound = min(1.0, sum(lattice_chance(int(b), values) for b in candidates if is_round(int(b)) and b <= best))
    return LatticeResult(
        p_values=values,
        best_b=best,
        fitting_round_b=round_fitting,
        fitting_b=tuple(b for b in fitting if b <= FITTING_B_MAX),
        n_informative=len(candidates),
        fraction_fitting=(len(fitting) / len(candidates)) if len(candidates) else 0.0,
        chance_best=chance_best,
        chance_bound=bound,
        detected=best is not None and bound is not None and bound <= alpha,
    )


def mc_consistency(p_exact: float, published: str | PubNumber | Exact, b: int) -> float:
    """Two-sided probability that a Monte-Carlo p-value (1 + X)/(B + 1), X ~ Bin(B, p_exact),
    lands at least as far from p_exact as the printed value does."""
    low, high = interval(as_exact(published))
    x_low = max(0, ceil_int(low * (b + 1)) - 1)
    x_high = min(b, floor_int(high * (b + 1)) - 1)
    expected = b * p_exact
    if x_high < x_low:
        return 0.0
    if x_high < expected:
        tail = binom_cdf(x_high, b, p_exact)
    elif x_low > expected:
        tail = binom_sf(x_low - 1, b, p_exact)
    else:
        return 1.0
    return float(min(1.0, 2 * tail))
