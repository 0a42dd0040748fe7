"""A natural order for the answers of a closed question, when one is recognisable.

Tried in turn: numbers ("1", "2,5"); yes/no ("Oui", "Non", then the rest); classes of numbers
("< 35 ans", "35–50 ans", "> 50 ans", "Aucun", "1 à 2", "3 et plus"); frequency words, from « jamais »
to « plusieurs fois par jour » ("Une fois par mois" < "Plusieurs fois par semaine" < "Tous les jours";
"Rarement" < "Parfois" < "Souvent" < "Toujours"); intensity and agreement scales, from the negative to
the positive end ("Pas du tout d'accord" … "Tout à fait d'accord", "Très négatif" … "Très positif",
"Non, pas du tout" … "Oui, tout à fait"). Otherwise the most frequent answer comes first.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..forms.normalise import normalise

BY_FREQUENCY = "frequency of answers"


@dataclass(frozen=True)
class Ordered:
    levels: list[str]
    order: str  # which natural order was recognised, or BY_FREQUENCY


_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _number(text: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def _numbers(levels: Sequence[str]) -> list[float] | None:
    keys = [_number(level) for level in levels]
    return None if any(k is None for k in keys) else keys


# ------------------------------------------------------------------------------------------ classes

_NONE_WORDS = {"aucun", "aucune", "jamais", "zero", "nul", "nulle", "personne"}
_BELOW = re.compile(r"^(?:<=?|≤|moins\s+de|inf[ée]rieur(?:e)?\s+(?:ou\s+[ée]gal(?:e)?\s+)?[àa]|jusqu['’]\s*[àa])\s*(\d+(?:[.,]\d+)?)")
_ABOVE = re.compile(r"^(?:>=?|≥|plus\s+de|sup[ée]rieur(?:e)?\s+(?:ou\s+[ée]gal(?:e)?\s+)?[àa]|au[\s-]del[àa]\s+de)\s*(\d+(?:[.,]\d+)?)")
_RANGE = re.compile(r"^(?:entre\s+|de\s+)?(\d+(?:[.,]\d+)?)\s*(?:[a-zé.]+\s*)?(?:–|—|-|à|a|et)\s*(\d+(?:[.,]\d+)?)")
_OPEN_TOP = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:[a-zé.]+\s*)?(?:et\s+plus|ou\s+plus|\+|et\s+au[\s-]del[àa])")
_ALONE = re.compile(r"^(\d+(?:[.,]\d+)?)\b")


def _class_key(level: str) -> float | None:
    """Where a class of numbers starts: « < 35 ans » -> 34.5, « 35–50 ans » -> 35, « > 50 ans » -> 50.5."""
    text = level.strip().lower()
    if normalise(text) in _NONE_WORDS:
        return -1.0
    for pattern, shift in ((_BELOW, -0.5), (_ABOVE, 0.5), (_OPEN_TOP, 0.25), (_RANGE, 0.0), (_ALONE, 0.0)):
        match = pattern.match(text)
        if match:
            return float(match.group(1).replace(",", ".")) + shift
    return None


def _classes(levels: Sequence[str]) -> list[float] | None:
    keys = [_class_key(level) for level in levels]
    if any(k is None for k in keys) or sum(k >= 0 for k in keys) < 2:
        return None
    return keys


# ------------------------------------------------------------------------------ frequency words

_UNITS = {"jour": 4, "jours": 4, "quotidien": 4, "quotidienne": 4, "quotidiennement": 4,
          "semaine": 3, "semaines": 3, "hebdomadaire": 3, "hebdomadairement": 3,
          "mois": 2, "mensuel": 2, "mensuelle": 2, "mensuellement": 2,
          "an": 1, "ans": 1, "annee": 1, "annees": 1, "annuel": 1, "annuelle": 1, "annuellement": 1}
_VAGUE = (("tres souvent", 4), ("jamais", 0), ("rarement", 1), ("parfois", 2), ("occasionnellement", 2),
          ("de temps en temps", 2), ("de temps a autre", 2), ("souvent", 3), ("regulierement", 3),
          ("frequemment", 3), ("toujours", 5), ("systematiquement", 5))


def _per_unit(level: str) -> float | None:
    """« Plusieurs fois par semaine » -> 3.3, « Tous les jours » -> 4, « Moins d'une fois par mois » -> 1.7."""
    text = normalise(level)
    if text == "jamais":
        return 0.0
    units = [_UNITS[word] for word in text.split() if word in _UNITS]
    if not units:
        return None
    score = float(units[0])
    if re.search(r"\b(plusieurs|quelques|2|deux|3|trois)\s+fois\b", text):
        score += 0.3
    if re.search(r"\bmoins d (une|1) fois\b", text):
        score -= 0.3
    return score


def _vague(level: str) -> float | None:
    text = normalise(level)
    return next((float(score) for words, score in _VAGUE if re.search(rf"\b{words}\b", text)), None)


def _frequency(levels: Sequence[str]) -> list[float] | None:
    for scorer in (_per_unit, _vague):
        keys = [scorer(level) for level in levels]
        if all(k is not None for k in keys):
            return keys
    return None


# ---------------------------------------------------------------------------- intensity scales

_STRONG = ("tout a fait", "tres", "totalement", "extremement", "completement", "fortement", "pas du tout",
           "absolument", "beaucoup", "entierement")
_WEAK = ("plutot", "assez", "moderement", "un peu", "peu", "pas vraiment", "pas tellement")
_NEGATIVE_WORDS = {"pas", "non", "aucun", "aucune", "negatif", "negative", "negatifs", "negatives", "defavorable",
                   "defavorables", "insatisfait", "insatisfaite", "insatisfaits", "insatisfaites", "mecontent",
                   "mecontente", "mecontents", "inutile", "inutiles", "mauvais", "mauvaise", "mauvaises",
                   "desaccord", "inefficace", "inefficaces"}
_NEUTRAL = re.compile(r"\bni\b.*\bni\b|\b(neutre|moyennement|indifferent|indifferente|mitige|mitigee|sans effet)\b")
_OFF_SCALE = re.compile(r"\b(ne sait pas|ne sais pas|nsp|sans opinion|non concerne|non concernee|sans objet)\b")


def _intensity(level: str) -> float | None:
    """Signed position on an intensity or agreement scale: « Pas du tout d'accord » -2 … « Tout à fait » +2."""
    text = normalise(level)
    if _NEUTRAL.search(text):
        return 0.0
    words = set(text.split())
    negative = bool(words & _NEGATIVE_WORDS) or (re.search(r"(?<!un )\bpeu\b", text) is not None)
    strong = any(re.search(rf"\b{w}\b", text) for w in _STRONG)
    weak = any(re.search(rf"\b{w}\b", text) for w in _WEAK)
    if not (strong or weak or negative or words & {"oui", "positif", "positive", "positifs", "favorable",
                                                   "satisfait", "satisfaite", "satisfaits", "utile", "utiles",
                                                   "accord", "bon", "bonne", "bien", "efficace"}):
        return None
    magnitude = 2.0 if strong else 1.0 if weak else 1.5
    return -magnitude if negative else magnitude


def _intensities(levels: Sequence[str]) -> tuple[list[float], list[str]] | None:
    """Keys of the levels on the scale; off-scale answers (« Ne sait pas ») are returned apart, placed last."""
    on_scale = [level for level in levels if not _OFF_SCALE.search(normalise(level))]
    off = [level for level in levels if level not in on_scale]
    keys = [_intensity(level) for level in on_scale]
    marked = any(any(re.search(rf"\b{w}\b", normalise(level)) for w in _STRONG + _WEAK) or _NEUTRAL.search(normalise(level))
                 for level in on_scale)
    if len(on_scale) < 3 or not marked or any(k is None for k in keys):
        return None
    return keys, off


# ---------------------------------------------------------------------------------------- order

def _distinct(keys: Sequence[float]) -> bool:
    return len(set(keys)) == len(keys)


def _sorted(levels: Sequence[str], keys: Sequence[float]) -> list[str]:
    return [level for _key, level in sorted(zip(keys, levels), key=lambda pair: pair[0])]


def by_frequency(levels: Sequence[str], counts: Mapping[str, int]) -> list[str]:
    """Most frequent first; ties keep the order of first appearance (the order of `levels`)."""
    position = {level: i for i, level in enumerate(levels)}
    return sorted(levels, key=lambda level: (-counts.get(level, 0), position[level]))


def natural_order(levels: Sequence[str], counts: Mapping[str, int]) -> Ordered:
    """The levels in their natural order when one is recognised, else by frequency."""
    levels = list(levels)
    keys = _numbers(levels)
    if keys is not None and _distinct(keys):
        return Ordered(_sorted(levels, keys), "numbers")
    folded = {normalise(level): level for level in levels}
    if "oui" in folded and "non" in folded:
        rest = by_frequency([lv for lv in levels if normalise(lv) not in ("oui", "non")], counts)
        return Ordered([folded["oui"], folded["non"], *rest], "yes / no")
    keys = _classes(levels)
    if keys is not None and _distinct(keys):
        return Ordered(_sorted(levels, keys), "classes of numbers")
    keys = _frequency(levels)
    if keys is not None and _distinct(keys) and len(levels) >= 2:
        return Ordered(_sorted(levels, keys), "frequency words, from the rarest to the most frequent")
    found = _intensities(levels)
    if found is not None and _distinct(found[0]):
        on_scale = [level for level in levels if level not in found[1]]
        return Ordered(_sorted(on_scale, found[0]) + found[1], "intensity scale, from the negative to the positive end")
    return Ordered(by_frequency(levels, counts), BY_FREQUENCY)
