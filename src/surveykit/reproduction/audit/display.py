"""How the audit shows a published number, a recomputed one and a check's row (French)."""
from __future__ import annotations

from fractions import Fraction

from surveykit.core.fmt import NBSP
from surveykit.core.fmt import exact_number as fr
from surveykit.manuscript.prose import plural

from ..published import PublishedItem
from surveykit.core.printed import PubNumber, REF_SEPARATOR
from .numbers import COLUMNS


def parent_ref(ref: str) -> str:
    return ref.rsplit(REF_SEPARATOR, 1)[0]


def show(item: PublishedItem) -> str:
    nums = item.numbers
    if item.kind == "mean_sd":
        return f"{nums['mean'].text}{NBSP}±{NBSP}{nums['sd'].text} (n{NBSP}={NBSP}{item.size})"
    if item.kind == "p_value":
        return f"p{NBSP}={NBSP}{nums['p'].text}"
    parts = []
    if "n" in nums:
        parts.append(nums["n"].text + (f"/{item.denominator}" if item.denominator else ""))
    if "pct" in nums:
        bound = f"{item.qualifier} " if item.qualifier else ""
        of = f" de {item.denominator}" if item.denominator else ""
        parts.append(f"({bound}{nums['pct'].text}{NBSP}%)" if "n" in nums else f"{bound}{nums['pct'].text}{NBSP}%{of}")
    return " ".join(parts)


def fr_float(value: float, digits: int = 4) -> str:
    return fr(Fraction(value), digits)


SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def sci(value: float) -> str:
    """A probability as a French reader writes it: « 0,482 », or « 1,3 × 10⁻⁵ » below 0,001 (decimal comma,
    power of ten in superscript, the spaces around × non-breaking)."""
    if value >= 0.001 or value == 0:
        return fr_float(value, 3)
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.replace('.', ',')}{NBSP}×{NBSP}10{str(int(exponent)).translate(SUPERSCRIPT)}"


def row(ref: str, check: str, published: str, recomputed: str, status: str, explanation: str) -> dict:
    return dict(zip(COLUMNS, (ref, check, published, recomputed, status, explanation)))


def precision_note(*numbers: PubNumber) -> str:
    short = [n.text for n in numbers if n.shortened]
    if not short:
        return ""
    quoted = ", ".join(f"« {text} »" for text in short)
    what, read = plural(len(short), "Valeur imprimée", "Valeurs imprimées"), plural(len(short), "lue", "lues")
    return f" {what} {quoted} {read} avec la précision du tableau (zéros finaux omis à l'impression)."
