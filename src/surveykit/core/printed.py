"""Numbers as a publication prints them: the French text, its decimals, and the interval of values it stands for.

A thesis prints « 0,064 » for any p in [0,0635 ; 0,0645): the audit of published numbers
(surveykit.reproduction) and the tables' note on a published p that differs from ours (surveykit.analysis) both
need that interval, so it is computed here, once. A table may print fewer decimals than it rounds to (R prints
round(2.96, 1) as "3"): `PubNumber.round_to` carries the decimals it rounds to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

REF_SEPARATOR = " · "
_FR_NUMBER = re.compile(r"^(-?)(\d+)(?:,(\d+))?$")


def ref_table(ref: str) -> str:
    """First segment of a publication reference: "Tableau 2 · Âge" -> "Tableau 2"."""
    return str(ref).split(REF_SEPARATOR)[0]


def parse_fr(text: str) -> tuple[float, int]:
    """Parse a French decimal ("0,0065") into (value, number of printed decimals): (0.0065, 4)."""
    value, digits = parse_fr_exact(text)
    return float(value), digits


def parse_fr_exact(text: str) -> tuple[Fraction, int]:
    """Like parse_fr but exact: ("0,0065") -> (Fraction(13, 2000), 4)."""
    match = _FR_NUMBER.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a French decimal number: {text!r} (expected digits and a decimal comma, e.g. '56,4')")
    sign, whole, decimals = match.groups()
    decimals = decimals or ""
    value = Fraction(int(whole + decimals), 10 ** len(decimals))
    return (-value if sign else value), len(decimals)


@dataclass(frozen=True)
class PubNumber:
    """One printed number: its text, printed decimals and the decimals its table rounds to."""

    text: str
    digits: int
    round_to: int

    @classmethod
    def read(cls, text: str, table_decimals: int = 0) -> "PubNumber":
        """The number printed as `text` in a table that rounds to `table_decimals` (or to what it prints, if more)."""
        digits = parse_fr_exact(text)[1]
        return cls(text, digits, max(digits, table_decimals))

    @property
    def exact(self) -> Fraction:
        return parse_fr_exact(self.text)[0]

    @property
    def value(self) -> float:
        return float(self.exact)

    @property
    def shortened(self) -> bool:
        """True when trailing zeros were dropped ("3" printed for 3,0)."""
        return self.round_to > self.digits

    def interval(self, digits: int | None = None) -> tuple[Fraction, Fraction]:
        """Closed interval of the true values that round to this number at `digits` (default round_to)."""
        digits = self.round_to if digits is None else digits
        half = Fraction(1, 2 * 10**digits)
        return self.exact - half, self.exact + half
