"""French number formatting for everything a reader sees (tables, figures, chapter).

Rounding follows R's sprintf (C printf): the binary value is rounded correctly, so an exact
tie goes to the even digit — 2/32 = 6,25 % prints "6,2 %" as in the thesis. Python's own
format() behaves identically, which is why it is used here rather than decimal rounding.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

NBSP = "\u00a0"  # non-breaking space before % and around ± in French typography
NNBSP = "\u202f"  # narrow non-breaking space: the thousands separator (12 345,6)
MINUS = "\u2212"  # the typographic minus sign of printed negative numbers


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_even(value: Fraction, digits: int) -> Fraction:
    """Exact rounding, ties to even (what R's sprintf does on exactly representable ties: 6,25 -> 6,2)."""
    return Fraction(round(value * 10**digits), 10**digits)


def exact_number(value: Fraction | float, digits: int) -> str:
    """French text of an exact value rounded half-to-even: exact_number(Fraction(25, 4), 1) == '6,2'.

    For the audit of published numbers, which computes with fractions: a Fraction is rounded exactly (`number`
    formats a float), and a negative value keeps the ASCII hyphen of the audit's explanations."""
    rounded = round_half_even(Fraction(value), digits)
    sign = "-" if rounded < 0 else ""
    scaled = abs(rounded.numerator * 10**digits // rounded.denominator)
    whole, decimals = divmod(scaled, 10**digits)
    return sign + str(whole) + ("," + str(decimals).zfill(digits) if digits else "")


GROUPED_FROM = 5  # digits of a whole part from which thousands are separated: 12 345, but 2004 (a year) and 1234


def group_thousands(digits: str) -> str:
    """'12345' -> '12 345' (narrow no-break spaces between groups of three digits, French typography); a whole part
    of four digits or fewer stays whole (French typography allows it, and a year is never split: 2004)."""
    if len(digits) < GROUPED_FROM:
        return digits
    head = len(digits) % 3 or 3
    return NNBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def number(value: float | None, digits: int = 1) -> str:
    """'7,9' for 7.9, '12 345,6' (narrow no-break space) for 12345.6; empty for a missing value. Integers keep no
    decimals when digits=0."""
    if is_missing(value):
        return ""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    sign = MINUS if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    return sign + group_thousands(whole) + ("," + decimals if decimals else "")


def integer(n: int) -> str:
    """'12 345' for a count."""
    return number(int(n), 0)


_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")


def cardinal(n: int, feminine: bool = False) -> str:
    """A number counted in running text: in letters below ten (« deux vagues », « une paire »), as French
    typography writes it, in digits from ten on (« 12 vagues »)."""
    n = int(n)
    if not 0 <= n < len(_WORDS):
        return integer(n)
    return "une" if (n == 1 and feminine) else _WORDS[n]


YEARS = (1000, 2999)  # a whole number of four digits among a question's answers reads as a year


def _answer_numbers(values) -> list[float]:
    """The answers among `values` that are numbers (or their texts, with a decimal comma); others ignored."""
    numbers = []
    for value in values:
        try:
            numbers.append(float(str(value).replace(",", ".")))
        except ValueError:
            continue
    return numbers


def location_digits(values) -> int:
    """Decimals of a number question's mean and SD, by the kind of its answers (`values`: the distinct answers,
    numbers or their texts; others ignored), and of its median and quartiles when it holds years: none for
    years, whole numbers of four digits (« 2004 [1997–2011] », not « 2004,0 [1997,0–2011,0] »); one otherwise
    (a mean of whole counts, « 22,4 »; the median of other whole numbers: `quantile_digits`)."""
    numbers = _answer_numbers(values)
    years = bool(numbers) and all(n.is_integer() and YEARS[0] <= n <= YEARS[1] for n in numbers)
    return 0 if years else 1


def whole_numbers(values) -> bool:
    """Whether the answers among `values` (numbers or their texts; others ignored) are all whole numbers, and
    there is one: « 0 », « 1 », « 12 », not « 12,5 »."""
    numbers = _answer_numbers(values)
    return bool(numbers) and all(n.is_integer() for n in numbers)


def quantile_digits(quantiles) -> int:
    """Decimals of the medians and quartiles of whole-number answers printed together (one table's): none when
    each is whole (« 1 [0–1] », not « 1,0 [0,0–1,0] »); one when one of them falls between two answers, as R's
    type 7 may put it (« 6,0 [2,5–7,0] »: the others keep the decimal, so that a column reads alike)."""
    return 0 if all(float(q).is_integer() for q in quantiles if not is_missing(q)) else 1


def median_iqr(median: float | None, q1: float | None, q3: float | None, digits: int = 1) -> str:
    """'5,0 [3,0–8,0]': median and quartiles."""
    if is_missing(median):
        return ""
    return f"{number(median, digits)} [{number(q1, digits)}–{number(q3, digits)}]"


@dataclass(frozen=True)
class PercentStyle:
    """How a chapter prints its percentages: `digits` decimals; with `trim`, a whole percentage loses them
    (« 75 % » beside « 56,4 % », as the thesis prints), else every percentage has the same precision."""

    digits: int = 1
    trim: bool = True


_STYLES = [PercentStyle()]  # the style in force: the last one pushed by `percent_style`


@contextmanager
def percent_style(style: PercentStyle):
    """Print every percentage of the block in `style` (a study's `percent` key of its analysis plan): the
    steps that write a chapter's tables, registry and figures run in it, so one chapter has one precision."""
    _STYLES.append(style)
    try:
        yield style
    finally:
        _STYLES.pop()


def percent(value: float | None, digits: int | None = None, trim: bool | None = None) -> str:
    """'56,4 %' ; with trim, whole numbers lose their decimals as in the thesis ('0 %', '100 %', '75 %').
    Unset, `digits` and `trim` are those of the style in force (`percent_style`)."""
    if is_missing(value):
        return ""
    style = _STYLES[-1]
    digits = style.digits if digits is None else digits
    trim = style.trim if trim is None else trim
    text = number(value, digits)
    if trim and "," in text and set(text.split(",")[1]) == {"0"}:
        text = text.split(",")[0]
    return f"{text}{NBSP}%"


def count_percent(n: int, pct: float | None, digits: int | None = None) -> str:
    """'22 (56,4 %)'; '0' alone when nobody answered (no percentage of nothing)."""
    if is_missing(pct):
        return integer(n)
    return f"{integer(n)} ({percent(pct, digits)})"


def mean_sd(mean: float | None, sd: float | None, digits: int = 1) -> str:
    """'5,7 ± 2,9'."""
    if is_missing(mean):
        return ""
    return f"{number(mean, digits)}{NBSP}±{NBSP}{number(sd, digits)}"


def p_value(p: float | None, digits: int = 4, threshold: float = 0.001) -> str:
    """'0,0065', '< 0,001' (the thesis' style: 4 decimals)."""
    if is_missing(p):
        return ""
    if p < threshold:
        return f"<{NBSP}{number(threshold, 3)}"
    return number(p, digits)


def p_sentence(p: float | None, digits: int = 4, threshold: float = 0.001) -> str:
    """'p = 0,0065' or 'p < 0,001' for running text; empty when no test ran (never a bare « p = »)."""
    text = p_value(p, digits, threshold)
    if not text:
        return ""
    if text.startswith("<"):
        return f"p{NBSP}{text}"
    return f"p{NBSP}={NBSP}{text}"


def n_equals(n: int) -> str:
    """'n = 22'."""
    return f"n{NBSP}={NBSP}{integer(n)}"


def ordinal(n: int) -> str:
    """French ordinal abbreviation: '1er', '2e', '5e'."""
    return f"{n}er" if n == 1 else f"{n}e"


def estimate_ci(value: float | None, low: float | None, high: float | None, digits: int = 2) -> str:
    """'2,31 [1,05 ; 5,07]': an estimate and its interval; a bound that could not be computed reads « NC »."""
    if is_missing(value):
        return ""
    bounds = [number(b, digits) if not is_missing(b) else "NC" for b in (low, high)]
    return f"{number(value, digits)} [{bounds[0]} ; {bounds[1]}]"
