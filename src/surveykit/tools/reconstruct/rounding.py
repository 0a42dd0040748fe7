"""Printed numbers as target intervals, and the sums (S, SS) a mean ± sd allows.

A printed number is a set of true values: "5,5" at 1 decimal is the open interval
(5,45 ; 5,55). Intervals are kept OPEN so that a reconstructed value is never an
exact rounding tie: it then rounds to the printed digits whether the reader rounds
half-up or half-to-even. Two readings exist for numbers printed with lost trailing
zeros (Table 8 prints round(2.96, 1) as "3"): the table's own precision
(`round_to`, "strict") and the printed digits ("printed", what the brief allows).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from surveykit.core.printed import PubNumber

READINGS = ("strict", "printed")


@dataclass(frozen=True)
class Target:
    """An open interval (lo, hi) of admissible true values, with the printed text it comes from."""

    text: str
    lo: Fraction
    hi: Fraction
    digits: int

    def contains(self, value: float | Fraction) -> bool:
        value = Fraction(value)
        return self.lo < value < self.hi

    def widened(self, factor: int) -> "Target":
        """The interval grown around its centre by `factor` (used only when a target is not reachable)."""
        centre, half = (self.lo + self.hi) / 2, (self.hi - self.lo) / 2
        return Target(self.text, centre - half * factor, centre + half * factor, self.digits)


def target(number: PubNumber, reading: str = "strict") -> Target:
    """Interval of true values that print as `number` under `reading` ("strict" or "printed")."""
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; expected one of {READINGS}")
    digits = number.round_to if reading == "strict" else number.digits
    lo, hi = number.interval(digits)
    return Target(number.text, lo, hi, digits)


@dataclass(frozen=True)
class SumOption:
    """One admissible group total S with the admissible integer range of SS = sum of squares."""

    total: int
    ss_min: int
    ss_max: int


def _ss_extremes(n: int, total: int, low: int, high: int) -> tuple[int, int]:
    """Smallest and largest sum of squares of n integers in [low, high] summing to `total`."""
    q, r = divmod(total, n)
    ss_min = r * (q + 1) ** 2 + (n - r) * q**2
    # Largest: as many values as possible at the bounds, one value in between.
    k, rest = divmod(total - n * low, high - low)
    if k >= n:
        return ss_min, n * high**2
    ss_max = k * high**2 + (low + rest) ** 2 + (n - k - 1) * low**2
    return ss_min, ss_max


def sum_options(n: int, mean: Target, sd: Target, low: int = 1, high: int = 10) -> list[SumOption]:
    """Every (S, SS range) such that n integers in [low, high] with those sums show `mean` ± `sd`.

    mean = S / n and sd = sqrt((SS - S^2 / n) / (n - 1)) (R's sd, n - 1). Exact rational
    arithmetic; SS must also have the parity of S (v^2 and v have the same parity) and lie
    between the extremes reachable on the scale. An empty list proves the pair unreachable.
    """
    if n < 2:
        raise ValueError("a standard deviation needs at least two values")
    options = []
    for total in range(n * low, n * high + 1):
        if not mean.contains(Fraction(total, n)):
            continue
        base = Fraction(total * total, n)
        hi = (n - 1) * sd.hi**2 + base  # SS strictly below
        if sd.lo < 0:  # a printed sd of 0: any spread down to none (SS >= S^2 / n always holds)
            ss_lo = math.ceil(base)
        else:
            ss_lo = math.floor((n - 1) * sd.lo**2 + base) + 1  # SS strictly above
        ss_hi = math.ceil(hi) - 1
        reach_lo, reach_hi = _ss_extremes(n, total, low, high)
        ss_lo, ss_hi = max(ss_lo, reach_lo), min(ss_hi, reach_hi)
        if (ss_lo - total) % 2:
            ss_lo += 1
        if (ss_hi - total) % 2:
            ss_hi -= 1
        if ss_lo <= ss_hi:
            options.append(SumOption(total, ss_lo, ss_hi))
    return options

