"""Text normalisation of open answers and the stable answer hash.

Two answers that differ only by accents, case, punctuation or spacing are the
same answer for coding: they get the same normalised text and the same hash, so
a decision taken once applies to both (and carries over to later waves).
"""
from __future__ import annotations

import functools
import hashlib
import re

from surveykit.questionnaire.forms.normalise import fold

HASH_LENGTH = 12
HASH_PATTERN = re.compile(r"^[0-9a-f]{12}$")
# Open answers repeat across respondents (and waves): normalising and hashing each distinct text once
# is what keeps a 100 000-respondent wave to seconds. Bounded, so memory stays flat on any export.
CACHE_SIZE = 1 << 16

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_text(text: str | None) -> str:
    """Accent-, case-, punctuation- and whitespace-insensitive form of an answer.

    Every run of characters other than ASCII letters and digits becomes one space:
    "  Télé-consultation   intégrée au logiciel ? " -> "tele consultation integree au logiciel".
    """
    if text is None:
        return ""
    return _normalized(str(text))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _normalized(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


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
