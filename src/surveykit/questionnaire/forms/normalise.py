"""Text folding and header normalisation shared by the codebook checks, the export reader, the masking of
personal data and the recoding of open answers (a light module: the cleaning step imports it)."""
from __future__ import annotations

import functools
import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


# Letters that NFKD does not decompose into a base letter + combining mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O"})


def fold(text: str) -> str:
    """Lower-case, accent-free text that keeps punctuation ('Écrit, Œuvre' -> 'ecrit, oeuvre')."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=1 << 17)
def normalise(text: str) -> str:
    """Lower-case ASCII words: 'Âge ?' -> 'age', 'Fréquence d’utilisation ?' -> 'frequence d utilisation'.

    Cached: the drafter and the cleaning ask for the same answers' and options' forms many times (an export's
    answers repeat), and an ASCII text skips the decomposition (it has nothing to decompose)."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", text.lower()).strip()
