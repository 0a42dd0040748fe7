"""Printed numbers as exact values, and the outcome of every check of the audit.

A number printed with d decimals stands for every value of its rounding interval: the checks compare
exact fractions, never floats, so a value exactly halfway between two printed values is never flagged.
"""
from __future__ import annotations

from fractions import Fraction

from surveykit.core.printed import PubNumber, parse_fr_exact

COLUMNS = ["ref", "check", "published", "recomputed", "status", "explanation"]
OK, CHECK, INCONSISTENT, INFO, UNTESTABLE = "ok", "à vérifier", "incohérent", "info", "non testable"

Exact = tuple[Fraction, int]  # a printed number: exact value and its number of decimals


def as_exact(number: str | PubNumber | tuple[float, int] | Exact) -> Exact:
    """(exact value, decimals) of a French text, a PubNumber (its table precision) or (value, digits)."""
    if isinstance(number, PubNumber):
        return number.exact, number.round_to
    if isinstance(number, str):
        return parse_fr_exact(number)
    value, digits = number
    if isinstance(value, Fraction):
        return value, int(digits)
    return Fraction(round(value * 10**digits), 10**digits), int(digits)


def interval(number: Exact) -> tuple[Fraction, Fraction]:
    """Every value a printed number may stand for (closed: a tie could have been rounded either way)."""
    value, digits = number
    half = Fraction(1, 2 * 10**digits)
    return value - half, value + half


def ceil_int(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def floor_int(x: Fraction) -> int:
    return x.numerator // x.denominator
