"""Header normalisation shared by the codebook checks and the export reader."""
from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower-case ASCII words: 'Âge ?' -> 'age', 'Fréquence d’utilisation ?' -> 'frequence d utilisation'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()
