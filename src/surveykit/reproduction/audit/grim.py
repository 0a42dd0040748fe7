"""GRIM (is a mean possible for n integer answers?) and an exact GRIMMER (are mean AND sample SD possible
together for n integer answers in 1..10?)."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Iterable, Sequence

from surveykit.core.printed import PubNumber
from .numbers import Exact, as_exact, ceil_int, floor_int, interval

SCALE_MIN, SCALE_MAX = 1, 10


def grim_sums(mean: str | PubNumber | Exact, n: int, lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> list[int]:
    """Integer sums S of n answers in lo..hi whose mean S/n rounds to the printed mean."""
    low, high = interval(as_exact(mean))
    return list(range(max(lo * n, ceil_int(low * n)), min(hi * n, floor_int(high * n)) + 1))


def grim(mean: str | PubNumber | Exact, n: int, lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> bool:
    """GRIM test (Brown & Heathers 2017): can n integer answers have this mean?"""
    return bool(grim_sums(mean, n, lo, hi))


def grim_informative(mean: str | PubNumber | Exact, n: int) -> bool:
    """GRIM can fail only when n < 10^decimals (otherwise every printed mean is reachable)."""
    return n < 10 ** as_exact(mean)[1]


@lru_cache(maxsize=64)
def _square_sums(n: int, lo: int, hi: int) -> tuple[int, ...]:
    """For each sum S (index S), a bit mask of the sums of squares Q reachable by n answers in lo..hi.

    Exact dynamic programme over multisets: the sets are small (n <= a few hundred, Q < hi² n).
    """
    top = hi * n
    reach = [[0] * (top + 1) for _ in range(n + 1)]
    reach[0][0] = 1
    for value in range(lo, hi + 1):
        square = value * value
        for count in range(1, n + 1):
            previous, current = reach[count - 1], reach[count]
            for total in range(value, hi * count + 1):
                if previous[total - value]:
                    current[total] |= previous[total - value] << square
    return tuple(reach[n])


def grimmer_pairs(mean: str | PubNumber | Exact, sd: str | PubNumber | Exact, n: int,
                  lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> list[tuple[int, int]]:
    """(sum, sum of squares) of n answers in lo..hi giving the printed mean and sample SD (n - 1).

    Exact version of GRIMMER (Anaya 2016): instead of its bounds and parity rule, every
    (S, Q) is checked for being reachable by an actual multiset of answers.
    """
    if n < 2:
        raise ValueError("a sample SD needs n >= 2")
    sd_low, sd_high = interval(as_exact(sd))
    sd_low = max(sd_low, Fraction(0))
    masks = _square_sums(n, lo, hi)
    pairs = []
    for total in grim_sums(mean, n, lo, hi):
        q_min = ceil_int((total * total + n * (n - 1) * sd_low * sd_low) / n)
        q_max = floor_int((total * total + n * (n - 1) * sd_high * sd_high) / n)
        mask = masks[total] >> q_min if q_max >= q_min else 0
        pairs.extend((total, q_min + shift) for shift in range(q_max - q_min + 1) if mask >> shift & 1)
    return pairs


def grimmer(mean: str | PubNumber | Exact, sd: str | PubNumber | Exact, n: int,
            lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> bool:
    """Are the printed mean and SD possible together for n integer answers in lo..hi?"""
    return bool(grimmer_pairs(mean, sd, n, lo, hi))


def combine_pairs(groups: Sequence[Iterable[tuple[int, int]]]) -> set[tuple[int, int]]:
    """All (S, Q) of the union of disjoint groups, each group taking one of its feasible (S, Q)."""
    combined = {(0, 0)}
    for pairs in groups:
        combined = {(s + gs, q + gq) for s, q in combined for gs, gq in set(pairs)}
    return combined
