"""Text folding and header normalisation shared by the codebook checks, the export reader, the masking of
personal data and the recoding of open answers (a light module: the cleaning step imports it)."""
from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter + combining mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O"})


def fold(text: str) -> str:
    """Lower-case, accent-free text that keeps punctuation ('Écrit, Œuvre' -> 'ecrit, oeuvre')."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise(text: str) -> str:
    """Lower-case ASCII words: 'Âge ?' -> 'age', 'Fréquence d’utilisation ?' -> 'frequence d utilisation'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()
