"""A natural order for the answers of a closed question, when one is recognisable.

Tried in turn: numbers ("1", "2,5"); answer codes a survey tool numbers its options with, in their numbers'
order (LimeSurvey's AO01, AO02…, A1, A2…, SQ001…: the form's order); yes/no ("Oui", "Non", then the rest); classes of numbers
("< 35 ans", "35–50 ans", "> 50 ans", "Aucun", "1 à 2", "3 et plus"); frequency words, from « jamais »
to « plusieurs fois par jour » ("Une fois par mois" < "Plusieurs fois par semaine" < "Tous les jours";
"Rarement" < "Parfois" < "Souvent" < "Toujours"); intensity and agreement scales, from the negative to
the positive end ("Pas du tout d'accord" … "Tout à fait d'accord", "Très négatif" … "Très positif",
"Non, pas du tout" … "Oui, tout à fait"), amounts ("Pas du tout" … "Beaucoup"), and their English
counterparts ("Never" … "Always", "Strongly disagree" … "Strongly agree"). Answers outside the scale
(« Je ne connais pas cet outil », « Ne sait pas », « Ne se prononce pas », "Don't know", "Not applicable")
are kept as levels after the scale. Otherwise the most frequent answer comes first (ties: first seen).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveykit.core.normalise import CACHE_SIZE, normalise

# Each answer's place on a scale is read once per distinct answer (a wide export's questions share their answers:
# 2 000 columns, a few hundred distinct levels), bounded as the normaliser's cache is.
_per_level = functools.lru_cache(maxsize=CACHE_SIZE)

BY_FREQUENCY = "fréquence des réponses"


@dataclass(frozen=True)
class Ordered:
    levels: list[str]
    order: str  # which natural order was recognised, or BY_FREQUENCY


_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _number(text: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def _numbers(levels: Sequence[str]) -> list[float] | None:
    keys = []
    for level in levels:  # most levels are no number: the first tells
        key = _number(level)
        if key is None:
            return None
        keys.append(key)
    return keys


# ------------------------------------------------------------------------------------------ classes

_NONE_WORDS = {"aucun", "aucune", "jamais", "zero", "nul", "nulle", "personne"}
_BELOW = re.compile(r"^(?:<=?|≤|under|below|less\s+than|younger\s+than|moins\s+de|inf[ée]rieur(?:e)?\s+(?:ou\s+[ée]gal(?:e)?\s+)?[àa]|jusqu['’]\s*[àa])\s*(\d+(?:[.,]\d+)?)")
_ABOVE = re.compile(r"^(?:>=?|≥|over|above|more\s+than|older\s+than|plus\s+de|sup[ée]rieur(?:e)?\s+(?:ou\s+[ée]gal(?:e)?\s+)?[àa]|au[\s-]del[àa]\s+de)\s*(\d+(?:[.,]\d+)?)")
_RANGE = re.compile(r"^(?:entre\s+|de\s+|from\s+|between\s+)?(\d+(?:[.,]\d+)?)\s*(?:[a-zé.]+\s*)?(?:–|—|-|à|a|et|to|and)\s*(\d+(?:[.,]\d+)?)")
_OPEN_TOP = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:[a-zé.]+\s*)?(?:et\s+plus|ou\s+plus|\+|et\s+au[\s-]del[àa]|or\s+more|or\s+older|or\s+over|and\s+over|and\s+more|and\s+older)")
_ALONE = re.compile(r"^(\d+(?:[.,]\d+)?)\b")
_ABOUT = re.compile(r"^(?:environ|à\s+peu\s+près|a\s+peu\s+pres|autour\s+de|près\s+de|pres\s+de|about|around|"
                    r"approximately|approx\.?|~|≈)\s*(\d+(?:[.,]\d+)?)")


@_per_level
def _class_key(level: str) -> float | None:
    """Where a class of numbers starts: « < 35 ans » -> 34.5, « 35–50 ans » -> 35, « > 50 ans » -> 50.5."""
    text = level.strip().lower()
    if normalise(text) in _NONE_WORDS:
        return -1.0
    for pattern, shift in ((_BELOW, -0.5), (_ABOVE, 0.5), (_OPEN_TOP, 0.25), (_RANGE, 0.0), (_ALONE, 0.0),
                           (_ABOUT, 0.0)):
        match = pattern.match(text)
        if match:
            return float(match.group(1).replace(",", ".")) + shift
    return None


def _classes(levels: Sequence[str]) -> list[float] | None:
    keys = []
    for level in levels:
        key = _class_key(level)
        if key is None:
            return None
        keys.append(key)
    return keys if sum(k >= 0 for k in keys) >= 2 else None


# ------------------------------------------------------------------------------ frequency words

_UNITS = {"day": 4, "days": 4, "daily": 4, "week": 3, "weeks": 3, "weekly": 3, "month": 2, "months": 2,
          "monthly": 2, "year": 1, "years": 1, "yearly": 1, "annually": 1,
          "jour": 4, "jours": 4, "quotidien": 4, "quotidienne": 4, "quotidiennement": 4,
          "semaine": 3, "semaines": 3, "hebdomadaire": 3, "hebdomadairement": 3,
          "mois": 2, "mensuel": 2, "mensuelle": 2, "mensuellement": 2,
          "an": 1, "ans": 1, "annee": 1, "annees": 1, "annuel": 1, "annuelle": 1, "annuellement": 1}
_VAGUE = (("tres souvent", 4), ("jamais", 0), ("rarement", 1), ("parfois", 2), ("occasionnellement", 2),
          ("de temps en temps", 2), ("de temps a autre", 2), ("souvent", 3), ("regulierement", 3),
          ("frequemment", 3), ("toujours", 5), ("systematiquement", 5), ("tout le temps", 5),
          ("never", 0), ("rarely", 1), ("seldom", 1), ("sometimes", 2), ("occasionally", 2), ("very often", 4),
          ("often", 3), ("frequently", 3), ("usually", 3.5), ("always", 5))


@_per_level
def _per_unit(level: str) -> float | None:
    """« Plusieurs fois par semaine » -> 3.3, « Tous les jours » -> 4, « Moins d'une fois par mois » -> 1.7."""
    text = normalise(level)
    if text in ("jamais", "never"):
        return 0.0
    units = [_UNITS[word] for word in text.split() if word in _UNITS]
    if not units:
        return None
    score = float(units[0])
    if re.search(r"\b(plusieurs|quelques|2|deux|3|trois|several|a few|2 3|few) (fois|times)\b", text):
        score += 0.3
    if re.search(r"\b(moins d (une|1) fois|less than once|less than (one|1) time)\b", text):
        score -= 0.3
    elif re.search(r"\b(plus d (une|1) fois|more than once)\b", text):
        score += 0.3
    return score


_VAGUE_PATTERNS = tuple((re.compile(rf"\b{words}\b"), score) for words, score in _VAGUE)
_ANY_VAGUE = re.compile(rf"\b(?:{'|'.join(words for words, _score in _VAGUE)})\b")


@_per_level
def _vague(level: str) -> float | None:
    """The score of the first word of _VAGUE the level holds (one search first: most answers hold none)."""
    text = normalise(level)
    if _ANY_VAGUE.search(text) is None:
        return None
    return next((float(score) for pattern, score in _VAGUE_PATTERNS if pattern.search(text)), None)


def _frequency(levels: Sequence[str]) -> list[float] | None:
    """Positions on one frequency scale; words without a unit (« Rarement », « Jamais ») placed around the
    answers that have one (« Rarement » below « Plusieurs fois par mois », « Toujours » above all)."""
    units = [_per_unit(level) for level in levels]
    if all(u is not None for u in units):
        return units
    vague = []
    for level, unit in zip(levels, units):
        word = _vague(level)
        if word is None and unit is None:  # a level on neither scale: no frequency scale
            return None
        vague.append(word)
    if all(v is not None for v in vague):
        return vague
    if not any(u is not None and u > 0 for u in units):
        return None
    low = min(u for u in units if u is not None and u > 0)
    high = max(u for u in units if u is not None)
    keys = []
    for unit, word in zip(units, vague):
        if unit is not None:
            keys.append(unit)
        elif word == 0:
            keys.append(0.0)
        elif word >= 5:
            keys.append(high + 1)
        elif word >= 3:
            return None  # « Souvent » beside « Une fois par semaine »: no single reading
        else:
            keys.append(low * word / 3)  # rarely, sometimes: below the rarest unit
    return keys


# ------------------------------------------------------------------------------------- amounts

_AMOUNTS = {"pas du tout": 0, "aucunement": 0, "not at all": 0, "tres peu": 1, "peu": 1.5, "un peu": 2, "slightly": 2,
            "a little": 2, "moyennement": 3, "assez": 3.5, "moderately": 3, "somewhat": 3, "beaucoup": 4,
            "fortement": 4, "very": 4, "very much": 4.5, "enormement": 5, "extremement": 5, "totalement": 5,
            "tout a fait": 5, "completement": 5, "extremely": 5, "a lot": 4, "passablement": 3}


def _amounts(levels: Sequence[str]) -> list[float] | None:
    keys = [_AMOUNTS.get(normalise(level)) for level in levels]
    return None if any(k is None for k in keys) else [float(k) for k in keys]


# ---------------------------------------------------------------------------- intensity scales

_STRONG = ("tout a fait", "tres", "totalement", "extremement", "completement", "fortement", "pas du tout",
           "absolument", "beaucoup", "entierement", "strongly", "very", "extremely", "completely", "totally",
           "not at all")
_WEAK = ("plutot", "assez", "moderement", "un peu", "peu", "pas vraiment", "pas tellement", "somewhat", "slightly",
         "fairly", "rather", "moderately", "mostly")
_NEGATIVE_WORDS = {"pas", "non", "aucun", "aucune", "negatif", "negative", "negatifs", "negatives", "defavorable",
                   "defavorables", "insatisfait", "insatisfaite", "insatisfaits", "insatisfaites", "mecontent",
                   "mecontente", "mecontents", "inutile", "inutiles", "mauvais", "mauvaise", "mauvaises",
                   "desaccord", "inefficace", "inefficaces", "no", "not", "disagree", "dissatisfied", "unsatisfied",
                   "negative", "useless", "poor", "bad", "unlikely", "unimportant", "difficult", "difficile",
                   "difficiles", "inadapte", "inadaptee", "insuffisant", "insuffisante"}
_POSITIVE_WORDS = {"oui", "positif", "positive", "positifs", "favorable", "satisfait", "satisfaite", "satisfaits",
                   "utile", "utiles", "accord", "bon", "bonne", "bien", "efficace", "yes", "agree", "satisfied",
                   "useful", "good", "likely", "important", "importante", "facile", "faciles", "easy", "adapte",
                   "adaptee", "suffisant", "suffisante", "interesse", "interessee", "interesses", "confiant",
                   "confiante", "favorables", "excellent", "excellente"}
_STRONG_WORD = re.compile(rf"\b(?:{'|'.join(_STRONG)})\b")
_WEAK_WORD = re.compile(rf"\b(?:{'|'.join(_WEAK)})\b")
_NEUTRAL = re.compile(r"\bni\b.*\bni\b|\bneither\b|\b(neutre|moyennement|indifferent|indifferente|mitige|mitigee|"
                      r"sans effet|neutral|undecided|moyen|moyenne)\b")
_OFF_SCALE = re.compile(r"\b(ne sait pas|ne sais pas|nsp|ne se prononce pas|nspp|sans opinion|non concerne|non concernee|"
                        r"non concernes|sans objet|je ne connais pas|ne connait pas|ne connais pas|pas concerne|"
                        r"pas concernee|non applicable|ne souhaite pas repondre|prefere ne pas repondre|"
                        r"je ne suis pas concerne|don t know|do not know|dont know|not applicable|"
                        r"not sure|unsure|prefer not to (?:say|answer)|no opinion|not concerned)\b")


@_per_level
def is_off_scale(level: str) -> bool:
    """An answer outside the scale (« Ne sait pas », « Je ne connais pas cet outil », "Not applicable")."""
    text = normalise(level)
    return text in ("n a", "na", "nc", "ns") or _OFF_SCALE.search(text) is not None


@_per_level
def _intensity(level: str) -> float | None:
    """Signed position on an intensity or agreement scale: « Pas du tout d'accord » -2 … « Tout à fait » +2."""
    text = normalise(level)
    if _NEUTRAL.search(text):
        return 0.0
    words = set(text.split())
    negative = (bool(words & _NEGATIVE_WORDS) or (re.search(r"(?<!un )\bpeu\b", text) is not None)
                or any(w.startswith(("insatisf", "mecontent", "inutil", "ineffica", "inadapt")) for w in words))
    strong = _STRONG_WORD.search(text) is not None
    weak = _WEAK_WORD.search(text) is not None
    if not (strong or weak or negative or words & _POSITIVE_WORDS):
        return None
    magnitude = 2.0 if strong else 1.0 if weak else 1.5
    return -magnitude if negative else magnitude


@_per_level
def _marked(text: str) -> bool:
    """An intensity word (« très », « plutôt ») or a neutral middle (« ni … ni ») in a normalised level."""
    return _STRONG_WORD.search(text) is not None or _WEAK_WORD.search(text) is not None \
        or _NEUTRAL.search(text) is not None


def _intensities(levels: Sequence[str]) -> tuple[list[float], list[str]] | None:
    """Keys of the levels on the scale; off-scale answers (« Ne sait pas ») are returned apart, placed last."""
    on_scale = [level for level in levels if not is_off_scale(level)]
    off = [level for level in levels if level not in on_scale]
    keys = [_intensity(level) for level in on_scale]
    marks = [_marked(normalise(level)) for level in on_scale]
    # three levels or more, one marked by an intensity word; or two, both marked (« Peu » / « Pas du tout intéressés »)
    enough = (len(on_scale) >= 3 and any(marks)) or (len(on_scale) == 2 and all(marks))
    if not enough or any(k is None for k in keys):
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
    """The levels in their natural order when one is recognised, else by frequency; answers outside the scale
    (« Ne sait pas », "Not applicable") after the scale, in their order of first appearance."""
    levels = list(levels)
    off = [level for level in levels if is_off_scale(level)]
    on = [level for level in levels if level not in off]
    if off and len(on) >= 2:
        found = _scale_order(on, counts)
        if found.order != BY_FREQUENCY:
            return Ordered(found.levels + off, found.order + ", réponses hors échelle à la fin")
    return _scale_order(levels, counts)


# ------------------------------------------------------------------------------------------ answer codes

ANSWER_CODES = "codes de réponse, dans l'ordre de leurs numéros"
# LimeSurvey exports its answer codes when asked to (« Codes de réponse » rather than « Réponses complètes »):
# AO01, AO02… for a list's options (A1, A2… in older surveys), SQ001… for a multiple choice's sub-questions
_ANSWER_CODE = re.compile(r"^(AO|A|SQ)(\d{1,3})$")


def answer_codes(levels: Sequence[str]) -> list[int] | None:
    """Each level's number when every level is an answer code of one kind (AO01, AO02…; A1, A2…; SQ001…), two
    at least: the codes a survey tool numbers its options with, in the form's order. None otherwise."""
    found = [_ANSWER_CODE.match(level.strip()) for level in levels]
    if len(found) < 2 or not all(found) or len({match[1] for match in found}) > 1:
        return None
    return [int(match[2]) for match in found]


def _scale_order(levels: list[str], counts: Mapping[str, int]) -> Ordered:
    keys = _numbers(levels)
    if keys is not None and _distinct(keys):
        return Ordered(_sorted(levels, keys), "nombres")
    keys = answer_codes(levels)
    if keys is not None and _distinct(keys):
        return Ordered(_sorted(levels, keys), ANSWER_CODES)
    folded = {normalise(level): level for level in levels}
    for yes, no in (("oui", "non"), ("yes", "no")):
        if yes in folded and no in folded:
            rest = by_frequency([lv for lv in levels if normalise(lv) not in (yes, no)], counts)
            return Ordered([folded[yes], folded[no], *rest], "oui / non")
    keys = _classes(levels)
    if keys is not None and _distinct(keys):
        return Ordered(_sorted(levels, keys), "classes de nombres")
    keys = _frequency(levels)
    if keys is not None and _distinct(keys) and len(levels) >= 2:
        return Ordered(_sorted(levels, keys), "mots de fréquence, du plus rare au plus fréquent")
    keys = _amounts(levels)
    if keys is not None and _distinct(keys) and len(levels) >= 3:
        return Ordered(_sorted(levels, keys), "échelle d'intensité, du pôle négatif au pôle positif")
    found = _intensities(levels)
    if found is not None and _distinct(found[0]):
        on_scale = [level for level in levels if level not in found[1]]
        return Ordered(_sorted(on_scale, found[0]) + found[1], "échelle d'intensité, du pôle négatif au pôle positif")
    return Ordered(by_frequency(levels, counts), BY_FREQUENCY)
