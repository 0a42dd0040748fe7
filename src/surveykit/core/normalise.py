"""The one text normaliser: how headers, labels, answers and names are compared.

`fold` keeps the words and punctuation (the masking of personal data matches names in it); `normalise` keeps only
ASCII words, the form in which the codebook's headers meet the export's, answers are coded and hashed
(surveykit.recode.identity) and drafted levels are matched. A light module: the cleaning step imports it.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Letters that NFKD does not decompose into a base letter + combining mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Open answers repeat across respondents (and waves): normalising each distinct text once is what keeps a
# 100 000-respondent wave to seconds. Bounded, so memory stays flat on any export.
CACHE_SIZE = 1 << 16


def _fold_slowly(text: str) -> str:
    """The definition of `fold`: compatibility decomposition, combining marks dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldTable(dict):
    """A `str.translate` table from each character to its folded form, filled on first sight of a character.

    Folding a text character by character gives what `_fold_slowly` gives on the whole text: NFKD decomposes
    each character on its own and only reorders combining marks, which are dropped, and case folding maps each
    character on its own (tests/test_normalise.py checks every code point). Three to four times faster than
    folding the text whole, in C."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_slowly(chr(code))
        return folded


_FOLDED = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accent-free text that keeps punctuation ('Écrit, Œuvre' -> 'ecrit, oeuvre')."""
    return text.translate(_FOLDED)


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalise(text: str) -> str:
    """Lower-case ASCII words, every other run of characters one space: 'Âge ?' -> 'age',
    'Fréquence d’utilisation ?' -> 'frequence d utilisation', 'Cœur' -> 'coeur'.

    An ASCII text skips the decomposition (it has nothing to decompose: same result, a third of the time)."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    return _NON_WORD.sub(" ", fold(text)).strip()


_SEPARATOR = "\x1f"  # joins the texts normalise_many reads at once; a normalised text never holds it
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Each byte of an ASCII text: kept when a word's (or the separator), else a space; a non-ASCII character left
# after folding is encoded as "?", a space too (as `normalise` makes it one).
_WORD_BYTES = bytes(b if chr(b) in "0123456789abcdefghijklmnopqrstuvwxyz" + _SEPARATOR else 0x20 for b in range(256))


def normalise_many(texts: list[str]) -> list[str]:
    """`normalise` of each text (same results, uncached), the texts read at once: many distinct texts seen once
    each (the answers of a wide export) are joined, their non-ASCII runs folded, the rest lowered and every byte
    outside a word made a space in C, then cut apart; a third of the time of a call each. Texts holding the
    separator themselves are normalised one by one."""
    joined = _SEPARATOR.join(texts)
    if not texts or joined.count(_SEPARATOR) != len(texts) - 1:
        return [normalise(text) for text in texts]
    folded = _NON_ASCII.sub(lambda run: fold(run.group()), joined).lower()
    spaced = folded.encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii")
    return [" ".join(piece.split()) for piece in spaced.split(_SEPARATOR)]


# A number as people type it in a short-answer field: « 45 », « 12,5 », « 45 ans », « 6h », « 12,5 h ».
_TYPED_NUMBER = re.compile(r"^([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*([^\W\d_]{1,12}\.?|%|€)?$")
# Spellings of one unit (French and English), so that « 6h » and « 6 heures » are one unit; other units are
# compared by their folded spelling.
_UNIT_SPELLINGS = {
    "year": ("an", "ans", "annee", "annees", "year", "years", "yr", "yrs"),
    "hour": ("h", "hr", "hrs", "heure", "heures", "hour", "hours"),
    "minute": ("min", "mn", "mins", "minute", "minutes"),
    "day": ("j", "jour", "jours", "day", "days"),
    "week": ("sem", "semaine", "semaines", "week", "weeks", "wk"),
    "month": ("mois", "month", "months"),
}
_UNIT_KEYS = {spelling: key for key, spellings in _UNIT_SPELLINGS.items() for spelling in spellings}


def sender_key(text: str) -> str:
    """How two submissions are told to come from one sender (the codebook's `resubmissions: key`): an e-mail
    address or an identifier compared with case, accents and surrounding spaces aside, its punctuation kept
    (« Claire.Martin@Orange.fr  » and « claire.martin@orange.fr » are one sender, « claire-martin@… » another);
    "" for a blank cell, which matches no one."""
    return fold(text).strip()


def sender_keys(cells: list[str]) -> list[str]:
    """`sender_key` of each cell of a column telling senders apart. In a column of e-mail addresses, a cell that
    is not one matches no one: Microsoft Forms writes « anonymous » for every anonymous response, which are not
    one respondent's resubmissions."""
    keys = [sender_key(text) for text in cells]
    if any("@" in key for key in keys):
        keys = [key if "@" in key else "" for key in keys]
    return keys



def repeated_senders(keys: list[str], left_out=frozenset()) -> list[list[int]]:
    """The row indices of each sender found on more than one row (`keys`: `sender_keys`; a blank key and the rows
    of `left_out` count for no one), in the order of their first row; the drafter and the cleaning group alike."""
    rows_of: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key and index not in left_out:
            rows_of.setdefault(key, []).append(index)
    return [rows for rows in rows_of.values() if len(rows) > 1]


def unit_key(unit: str) -> str:
    """One key per unit, whatever its spelling: 'ans', 'an', 'années' -> 'year'; 'h', 'heures' -> 'hour'."""
    folded = fold(unit).strip().rstrip(".")
    return _UNIT_KEYS.get(folded, folded)


def typed_number(text: str) -> tuple[float, str] | None:
    """(value, unit as typed) of a number typed in a short-answer field (« 12,5 h » -> (12.5, 'h'); « 45 » ->
    (45.0, '')), None when the text is not one number (« 6h30 », « 35–50 ans », « trente »). Spaces and
    no-break spaces inside the number (« 1 200 ») are thousands separators."""
    compact = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d)", "", text.strip())
    match = _TYPED_NUMBER.match(compact)
    if match is None:
        return None
    return float(match[1].replace(",", ".")), (match[2] or "").rstrip(".")


# The `Score` column of a Google Forms quiz: « 7 / 10 », points out of the quiz's total.
_QUIZ_SCORE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*/\s*(\d+)$")


def quiz_score(text: str) -> tuple[float, int] | None:
    """(points, out of) of a quiz score as Forms writes it (« 7 / 10 » -> (7.0, 10)), None otherwise."""
    match = _QUIZ_SCORE.match(text.strip())
    return (float(match[1].replace(",", ".")), int(match[2])) if match else None


__all__ = ["CACHE_SIZE", "fold", "normalise", "normalise_many", "quiz_score", "repeated_senders", "sender_key",
           "sender_keys", "typed_number", "unit_key"]
