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


__all__ = ["CACHE_SIZE", "fold", "normalise"]
