"""Percentages against their counts and denominators (R's sprintf("%.1f") rounding)."""
from __future__ import annotations

from fractions import Fraction

from surveykit.core.fmt import round_half_even

from ..published import qualified_bounds
from surveykit.core.printed import PubNumber
from .numbers import CHECK, INCONSISTENT, OK, Exact, as_exact, interval


def percent_of(count: int, denominator: int, digits: int = 1) -> Fraction:
    """100 * count / denominator rounded half-to-even, as R's sprintf('%.1f') prints it."""
    return round_half_even(Fraction(100 * count, denominator), digits)


def percentage_status(count: int, denominator: int, pct: str | PubNumber | Exact, qualifier: str | None = None) -> str:
    """OK when the printed percentage is the count over the denominator at its precision.

    A tie rounded upwards (6,25 printed 6,3, not R's 6,2) is CHECK; any other gap INCONSISTENT.
    With a qualifier ("plus de 90 %"), the percentage is a strict bound.
    """
    value, digits = as_exact(pct)
    exact = Fraction(100 * count, denominator)
    bounds = qualified_bounds(qualifier, value)
    if bounds is not None:
        return OK if bounds.admit(exact) else INCONSISTENT
    if percent_of(count, denominator, digits) == value:
        return OK
    low, high = interval((value, digits))
    return CHECK if low <= exact <= high else INCONSISTENT


def achievable_counts(pct: str | PubNumber | Exact, denominator: int) -> list[int]:
    """Counts c in 0..denominator whose percentage rounds to the printed one (GRIM for percentages)."""
    low, high = interval(as_exact(pct))
    return [c for c in range(denominator + 1) if low <= Fraction(100 * c, denominator) <= high]
