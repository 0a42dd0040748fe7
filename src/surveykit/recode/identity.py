"""An open answer's identity for coding: its normalised text (surveykit.core.normalise) and its stable hash.

Two answers that differ only by accents, case, punctuation or spacing are the
same answer for coding: they get the same normalised text and the same hash, so
a decision taken once applies to both (and carries over to later waves).
"""
from __future__ import annotations

import functools
import hashlib
import re

from surveykit.core.normalise import CACHE_SIZE, normalise

HASH_LENGTH = 12
HASH_PATTERN = re.compile(r"^[0-9a-f]{12}$")


def normalize_text(text: str | None) -> str:
    """The normalised form of a cell that may be empty (None): "" for None, else `normalise` of its text:
    "  Télé-consultation   intégrée au logiciel ? " -> "tele consultation integree au logiciel"."""
    return "" if text is None else normalise(str(text))


def answer_hash(text: str | None) -> str:
    """First 12 hex characters of the SHA-256 of the normalised answer (UTF-8)."""
    return _hash_of_normalized(normalize_text(text))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _hash_of_normalized(normalized: str) -> str:
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def is_answer(text: object) -> bool:
    """True when a cell holds an answer: something left after normalisation.

    Cells holding only punctuation or spaces ("-", ".", "?") are how respondents
    skip an optional question in a form; they are not counted as answers.
    """
    if text is None or (isinstance(text, float) and text != text):
        return False
    return normalize_text(str(text)) != ""
