"""Guess a questionnaire from its raw export: one question per column, grid rows grouped, types inferred.

What an export tells, and what it cannot:
- the timestamp column (its header, or cells that are all dates with a time) and identifying columns
  (e-mail, name);
- grids: columns titled « Question [ligne] » with the same stem are one grid, wherever they stand; integers
  in every cell make a rating grid, or a ranking grid when no respondent uses a value twice; shared labelled
  answers make a grid of choices (`grid_choice`), its levels in their natural order; typed text or ticked
  boxes make one question per row;
- numbers: a header stating its bounds (« Sur une échelle de 0 à 10 ») gives a linear scale with them (values
  outside are invalid); otherwise small integers (0 to 10) are a linear scale, other numbers a number
  question; all-date cells a date, in the order the form wrote them (`date_order`: month first in a US form,
  decided by a number above 12, else by the export's timestamps, else day first);
- text is read as a careful person would. A form writes each option identically every time, so answers
  differing only by case, accents, spacing or a typo were typed, as were answers mostly given once, written
  as sentences, or asked for by the header (« précisez », « pourquoi », « commentaires »): free text. An
  answer carrying personal data is never an option. A multi-response (checkbox) question has cells holding
  several recurring options in varied combinations (or a header saying « plusieurs réponses possibles »);
  an option containing a comma stays whole: a fragment is glued to the one before it when its brackets are
  unbalanced, when it starts in lower case and only follows it (twice at least), or when the two never occur
  apart (a single choice « Mail personnel, SMS ou WhatsApp » is not split). A rarely chosen answer is an
  option unless the question shows an « Autre » field and the answer looks typed (see _typed_answers: what no
  form writes, answers given once, « Autre » words shared with other questions, answers unlike the options);
  in a checkbox cell the typed text is the end of the cell that holds no option. When unsure, the safer
  reading: single rather than multi-response, free text rather than options.
- skip logic is guessed when a question was answered only, and nearly always, by the respondents who gave
  one answer to an earlier question (`asked_if`); two columns of one question asked in two branches of the
  form (« Fréquence ? » / « Si vous l'utilisiez : fréquence ? ») stay two questions, with a comment.
Every guess that could be wrong carries a note, written as a comment (in French) in the drafted YAML, answers
quoted masked. The same export gives the same draft (ties broken by first appearance), and the cost grows with
the cells: columns are read once each, sets of rows are the bits of integers, answers are handled distinct.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from surveykit.clean.privacy import has_personal_data, mask_pii
from surveykit.core import fmt
from surveykit.core.errors import InputError
from surveykit.core.normalise import normalise, normalise_many, quiz_score, typed_number, unit_key
from surveykit.questionnaire.forms.coded import CodedColumn, coded_columns
from surveykit.questionnaire.forms.layout import RESPONSE_METADATA, fold_export, stamps_submitted_only, typed_in_other
from surveykit.questionnaire.forms.read import RawExport
from surveykit.questionnaire.forms.timestamps import (DAY_FIRST, MONTH_FIRST, dates_and_decided_order, decided_order,
                                                      parse_timestamps)

from .levels import BY_FREQUENCY, answer_codes, natural_order
from .resubmissions import ResubmissionGuess, guess_resubmissions

TIMESTAMP_HEADERS = {"horodateur", "horodatage", "timestamp", "date et heure", "date heure", "submitted at",
                     "date de soumission", "heure de soumission", "heure de fin", "completion time", "submitdate",
                     "date submitted", "end date", "date de fin", "time", "heure"}
IDENTIFYING_HEADERS = {"nom", "prenom", "nom et prenom", "nom prenom", "prenom nom", "name", "full name",
                       "first name", "last name", "adresse e mail", "adresse mail", "email", "email address",
                       "e mail", "courriel", "adresse courriel", "telephone", "numero de telephone",
                       "adresse de messagerie", "ip address", "adresse ip", "ipaddr", "username",
                       "nom d utilisateur"}
NUMBER_HINTS = {"combien", "nombre", "nb", "quantite"}
STOPWORDS = {
    "le", "la", "les", "l", "de", "du", "des", "d", "un", "une", "et", "ou", "a", "au", "aux", "en", "vous", "votre",
    "vos", "tu", "te", "ton", "ta", "tes", "je", "j", "me", "m", "mon", "ma", "mes", "nous", "notre", "nos", "il",
    "elle", "ils", "elles", "on", "y", "ce", "cet", "cette", "ces", "c", "est", "sont", "etes", "avez", "as", "ai",
    "quel", "quelle", "quels", "quelles", "qu", "que", "qui", "quoi", "dont", "pour", "par", "sur", "dans", "avec",
    "se", "s", "sa", "son", "ses", "leur", "leurs", "si", "ne", "n", "t", "the", "of", "your", "you", "what",
    "is", "are", "do", "to", "in", "selon", "comment",
}
OTHER_LABEL = "Autre"
SEMI_OPEN_COVERAGE = 0.8  # recurring answers cover at least this share of the answers beside a few singletons
OPEN_SINGLETONS = 0.5  # more than this share of answers given once: free text
ASKED_COVERAGE = 0.8  # skip logic: the question was answered by at least this share of those it would ask
BRANCH_SIMILARITY = 0.85
PERSONAL_SHARE = 0.1  # answers carrying personal data beyond this share: free text (below: typed in « Autre »)
RARE_COUNT = 3
SHORT_OPTION_WORDS = 2  # a rare answer this short, recurring alike, ending the ticked options: the form's last option
OTHER_SINGLES = 3  # this many answers given once show an « Autre » field
RARE_RATIO = 8  # an answer this many times rarer than the median option is rare too
MULTI_EVIDENCE = 2  # cells holding two recurring options needed to read a multi-response question unhinted
MULTI_SHARE = 0.05  # … and at least this share of the answers (an « Autre » text with a comma, given twice, is not)
SENTENCE_SHARE = 0.4  # this share of distinct answers written as sentences: free text
SENTENCE_WORDS = 9
LABEL_CHARS = 60
BRANCH_BUCKET = 50  # a header word shared by more headers than this does not pair branch candidates
TYPO_TOKENS = 12  # answers of more words are not compared for typos
LEVELS_BY_FREQUENCY = ("niveaux par fréquence (aucun ordre naturel reconnu) : réordonner `levels` si les réponses en "
                       "ont un")

# What the header says about its answers (matched on the normalised header).
_MULTI_HINT = re.compile(r"\b(plusieurs (reponses|choix) (sont )?possibles?|choix multiples? possibles?|"
                         r"une ou plusieurs (reponses|propositions)|cochez (toutes|tout ce|les)|"
                         r"(toutes les )?reponses? multiples?|select all|check all|all that apply|"
                         r"multiple (answers|choices)|tick all)\b")
_SINGLE_HINT = re.compile(r"\b(une seule reponse|un seul choix|reponse unique|select one|one answer only)\b")
_OPEN_HINT = re.compile(r"\b(precisez|precisez|preciser|pourquoi|commentaires?|remarques?|suggestions?|expliquez|"
                        r"decrivez|en quelques mots|observations?|why|comments|specify|please explain|"
                        r"feedback|explain)\b|^autres?\b|^qu est ce qui\b|^que pensez\b|^selon vous\b")
# « de 1 à 10 », "from 0 to 5", and with the ends' words between (« de 1 (pas du tout) à 10 (tout à fait) », « de 1 :
# pas du tout à l'aise, à 10 : parfaitement à l'aise », normalised without their punctuation)
_SCALE_HINT = re.compile(r"\b(?:de|from|entre|of|between)\s+(0|1)(?:\s+[^\d]{1,60}?)?\s+(?:a|to|et|and)\s+(\d{1,2})\b")
_OTHER_FIELD = re.compile(r"\b(autres?|other)\b")  # the header mentions an « Autre » field
_SENTENCE_END = re.compile(r"[.!?…]\s*$| : ")

_GRID = re.compile(r"^(?P<stem>.+?)\s*\[(?P<row>[^\[\]]+)\]\s*$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_TIME = re.compile(r"\d{1,2}[:h]\d{2}")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)


@dataclass
class Guess:
    """One drafted question (or grid): what the codebook entry will say, and why."""

    id: str
    type: str
    header: str
    columns: list[int]
    required: bool = False
    options: list[str] = field(default_factory=list)
    other: str | None = None
    other_texts: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    order: str = ""
    min: int | None = None
    max: int | None = None
    items: list[tuple[str, str]] = field(default_factory=list)  # (id, row) of a grid
    asked_if: dict[str, str] = field(default_factory=dict)
    grid: str | None = None  # the choice grid a single-choice row belongs to
    label: str | None = None  # short name in tables (a row of a choice grid: its row)
    notes: list[str] = field(default_factory=list)
    number: int = 0
    denominator: str | None = None  # multi-response: "asked" (required) or "answered" (optional)
    date_order: str | None = None  # date: day-first, month-first, year-first, or "" when the cells do not decide
    occurrence: int = 1  # its column is the n-th of the export with its header
    unit: str | None = None  # number: the unit respondents typed after it (« 45 ans »)


@dataclass
class StudyGuess:
    path: str
    n_rows: int
    timestamp: str | None
    identifying: list[str]
    questions: list[Guess]
    notes: list[str] = field(default_factory=list)
    test_answers: list[str] = field(default_factory=list)  # cells marking a row as a trial of the form
    resubmissions: ResubmissionGuess | None = None  # an address given on several submissions: what to keep
    incomplete: int = 0  # rows with answers but no submission time: responses left before the end

    def question(self, qid: str) -> Guess:
        return next(q for q in self.questions if q.id == qid)


# ---------------------------------------------------------------------------------------------- ids

def slug(text: str, words: int = 3, fallback: str = "q") -> str:
    """A stable snake_case id from a header: the first significant words, accents removed."""
    kept = [w for w in normalise(text).split() if w not in STOPWORDS] or normalise(text).split()
    name = "_".join(kept[:words])[:40].strip("_")
    if not name:
        return fallback
    return name if name[0].isalpha() else f"{fallback}_{name}"


class Ids:
    """Hands out unique ids (a question, a grid row, the `<id>_autre` column of a semi-open question)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next_number: dict[str, int] = {}  # where numbering of `wanted` resumes (linear in the ids)

    def free(self, name: str) -> bool:
        return name not in self.used and f"{name}_autre" not in self.used

    def take(self, wanted: str, longer: tuple[str, ...] = ()) -> str:
        """`wanted`, else the first free of `longer` (ids with more words), else `wanted` numbered."""
        name = next((n for n in (wanted, *longer) if self.free(n)), None)
        k = self.next_number.get(wanted, 2)
        while name is None or not self.free(name):
            name, k = f"{wanted}_{k}", k + 1
        self.next_number[wanted] = k
        self.used.add(name)
        return name

    def from_header(self, header: str) -> str:
        return self.take(slug(header), (slug(header, 4), slug(header, 5)))

    def reserve_other(self, qid: str) -> None:
        self.used.add(f"{qid}_autre")


# ----------------------------------------------------------------------------------- text answers

_OPENING = re.compile(r'[(\[«"]')  # a text without any of them has no bracket nor quote left open


@functools.lru_cache(maxsize=1 << 16)
def _unbalanced(text: str) -> bool:
    """Whether the text leaves a bracket or a quote open; each distinct part once (the same options recur)."""
    if not _OPENING.search(text):
        return False
    return (text.count("(") > text.count(")") or text.count("[") > text.count("]")
            or text.count("«") > text.count("»") or text.count('"') % 2 == 1)


def _glued(previous: str, fragment: str, counts: Counter, follows: Counter) -> bool:
    """Whether `fragment` continues `previous` (one option containing ", ") rather than being an option: the
    brackets of `previous` are open; or `fragment` starts in lower case and only ever follows `previous`, twice
    at least (« e-Prescription » ticked once after another option stays an option); or
    the two never occur apart (« Mail personnel, SMS ou WhatsApp »: options of a checkbox question are
    ticked in varied combinations, the two halves of one option always together, in the same order)."""
    together = follows[(previous, fragment)]
    if counts[fragment] == together and (counts[previous] == together or (fragment[:1].islower() and together >= 2)):
        return True
    return _unbalanced(previous)


def split_cells(values: list[str]) -> list[list[str]]:
    """Each cell as the list of its options: split on ", " and glued back where a fragment continues."""
    atoms = split_distinct(Counter(values))
    return [list(atoms[v]) for v in values]


def split_distinct(cells: Counter) -> dict[str, list[str]]:
    """Each distinct cell (counted as often as it occurs) as the list of its options; the work grows with the
    distinct cells, not the respondents.

    Fragments are glued in rounds, each reading the counts as they stood when it began, until a round glues
    nothing. A round rereads only the cells that may read differently: those glued in the round before, and
    those holding a part whose count (or the count of its pairs) that gluing changed; and of those, only the cells
    holding a part _glued may glue to the one before it (_gluable) or an unbalanced part: most cells of a checkbox
    question hold options ticked in varied combinations, and read the same every round."""
    split = {cell: cell.split(", ") for cell in cells}
    counts: Counter = Counter()  # how often each part is given
    follows: Counter = Counter()  # how often each part directly follows another in a cell
    _tally_many(counts, follows, [(parts, cells[cell]) for cell, parts in split.items()])
    several = [cell for cell, parts in split.items() if len(parts) > 1]
    unread = several
    for _round in range(20):
        glued = {}
        gluable = _gluable(counts, follows)
        for cell in unread:
            parts = split[cell]
            if gluable.isdisjoint(parts) and not any(map(_unbalanced, parts[:-1])):
                continue
            merged = _glue(parts, counts, follows)
            if len(merged) < len(parts):
                glued[cell] = merged
        if not glued:
            break
        touched: set[str] = set()
        _tally_many(counts, follows, [(split[cell], -cells[cell]) for cell in glued])
        _tally_many(counts, follows, [(merged, cells[cell]) for cell, merged in glued.items()])
        for cell, merged in glued.items():
            touched.update(split[cell], merged)
            split[cell] = merged
        several = [cell for cell in several if len(split[cell]) > 1]
        unread = [cell for cell in several if not touched.isdisjoint(split[cell])]
    return split


def _gluable(counts: Counter, follows: Counter) -> set[str]:
    """The parts _glued may glue to the part before them when that part's brackets are closed: those only ever
    found right after one same part (as often as they are given)."""
    return {fragment for (_previous, fragment), together in follows.items() if together == counts[fragment]}


def _tally(counts: Counter, follows: Counter, parts: list[str], weight: int) -> None:
    """Add a cell's parts, and its pairs of parts one after the other, `weight` times (a negative weight takes
    them back)."""
    for part in parts:
        counts[part] += weight
    for pair in itertools.pairwise(parts):
        follows[pair] += weight


def _tally_many(counts: Counter, follows: Counter, weighted: list[tuple[list[str], int]]) -> None:
    """_tally of each (cell's parts, weight); the cells given once (most cells of a text column) counted together,
    in C."""
    for weight, add in ((1, Counter.update), (-1, Counter.subtract)):
        group = [parts for parts, w in weighted if w == weight]
        add(counts, itertools.chain.from_iterable(group))
        add(follows, itertools.chain.from_iterable(map(itertools.pairwise, group)))
    for parts, weight in weighted:
        if weight not in (1, -1):
            _tally(counts, follows, parts, weight)


def _glue(parts: list[str], counts: Counter, follows: Counter) -> list[str]:
    """A cell's parts with each fragment that continues the part before it glued to it (_glued)."""
    merged = [parts[0]]
    for fragment in parts[1:]:
        if _glued(merged[-1], fragment, counts, follows):
            merged[-1] = f"{merged[-1]}, {fragment}"
        else:
            merged.append(fragment)
    return merged


def _loose(text: str) -> str:
    """What stays of an answer when case, accents, punctuation and spacing are ignored."""
    return normalise(text)


def _loose_many(texts: list[str]) -> list[str]:
    """_loose of each text."""
    return [_loose(text) for text in texts]


def _case_variants(values: list[str], keys: list[str]) -> list[str]:
    """Answers written differently but equal once case, accents, punctuation and spacing are ignored (`keys`: each
    answer loosely written): the first group found, in order of first appearance."""
    seen = Counter(keys)
    first = next((key for key in keys if seen[key] > 1), None)  # the first key given twice: the first such group
    return [] if first is None else [value for value, key in zip(values, keys) if key == first]


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, removed or replaced (« temp » / « temps »)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _typo_variants(values: list[str], keys: list[str]) -> list[str]:
    """Two answers differing by one mistyped letter in one word of four letters or more: typed text.

    Answers are bucketed by their words with one word left out, so that only answers differing in one word
    are compared (linear in the answers). A word and its negation (« satisfait » / « insatisfait ») differ
    by more than one letter and are never paired (`keys`: each answer loosely written)."""
    buckets: dict[tuple, list[tuple[str, str]]] = {}
    for value, key in zip(values, keys):
        words = key.split()
        if not words or len(words) > TYPO_TOKENS:
            continue
        for k, word in enumerate(words):
            # « SQ001 » / « SQ002 »: numbered codes, not a typo (a word of letters, most words, holds no digit)
            if len(word) >= 4 and (word.isalpha() or not _has_digit(word)):
                bucket = buckets.setdefault((len(words), k, *words[:k], *words[k + 1:]), [])
                if len(bucket) < 20:
                    bucket.append((word, value))
    for bucket in buckets.values():
        for i, (word, value) in enumerate(bucket):
            for other_word, other in bucket[i + 1:]:
                if min(len(word), len(other_word)) >= 4 and _one_edit(word, other_word):
                    return [value, other]
    return []


@functools.lru_cache(maxsize=1 << 16)
def _masked(text: str) -> str:
    """The text with its personal data masked; each distinct text once (a wide export's notes repeat: 28 000
    notes, 1 800 distinct, on 2 000 columns)."""
    return mask_pii(text)[0]


@functools.lru_cache(maxsize=1 << 16)
def _has_personal_data(text: str) -> bool:
    """An e-mail, a phone number, a name or an address in the text (surveykit.clean.privacy); each distinct text once."""
    return has_personal_data(text)


def _quote_list(texts: list[str], limit: int = 3) -> str:
    """Answers quoted in a comment, personal data masked (a drafted file is meant to be committed)."""
    shown = ", ".join(f"« {_masked(t)} »" for t in texts[:limit])
    return shown + (f" et {len(texts) - limit} autre(s)" if len(texts) > limit else "")


def _other_label(options: list[str]) -> str:
    return OTHER_LABEL if OTHER_LABEL not in options else f"{OTHER_LABEL} (réponse libre)"


def _sentence_like(text: str) -> bool:
    return len(text.split()) >= SENTENCE_WORDS or _SENTENCE_END.search(text) is not None


def _scale_words(counts: Counter) -> bool:
    """Every answer a word of a recognised answer scale (« Non », « Souvent », « Plutôt d'accord »): closed,
    however few the answers."""
    return 0 < len(counts) <= 12 and all(len(v.split()) <= 6 for v in counts) and (
        natural_order(list(counts), counts).order != BY_FREQUENCY
        or all(normalise(v) in ("oui", "non", "yes", "no") for v in counts))


def _text_reason(guess: Guess, counts: Counter, atoms: Counter | None = None,
                 loose_many: Callable[[list[str]], list[str]] = _loose_many) -> str | None:
    """Why the answers read as typed text rather than options, or None (`loose_many`: how answers are loosely
    written, from the export's memo when there is one; each pool's answers once).

    A form writes each option identically every time, so answers differing only by case, accents, spacing
    or a typo were typed; an option is never an e-mail, a phone number or a name; answers mostly given once,
    or written as sentences, were typed; a header asking to specify or explain asks for text."""
    if counts and _scale_words(counts):
        return None
    for pool in (counts, atoms or Counter()):
        total = sum(pool.values())
        singles = sum(1 for c in pool.values() if c == 1)
        if total and singles > OPEN_SINGLETONS * total:
            if total == 1:
                return "une seule réponse dans l'export"
            return (f"{singles} réponses sur {total} ne sont données qu'une fois" if singles > 1 else
                    f"1 réponse sur {total} n'est donnée qu'une fois")
    total = sum(counts.values())
    for pool in (counts, atoms or Counter()):
        values = list(pool)
        keys = loose_many(values)
        variants = _case_variants(values, keys) or _typo_variants(values, keys)
        if variants:
            return f"réponses qui ne diffèrent que par la casse, les accents, les espaces ou une faute de frappe ({_quote_list(variants)})"
    personal = sum(c for v, c in counts.items() if _has_personal_data(v))
    if personal > PERSONAL_SHARE * total:
        return "réponses portant des données personnelles (courriel, téléphone, nom ou adresse) : jamais des options"
    hinted = bool(_OPEN_HINT.search(normalise(guess.header)))
    few_short = len(counts) <= 6 and all(c >= 3 and len(v.split()) <= 4 for v, c in counts.items())
    if hinted and not few_short:
        return "l'intitulé demande un commentaire ou une explication"
    pool = counts or atoms or Counter()
    sentences = sum(c for v, c in pool.items() if _sentence_like(v))
    if len(pool) >= 4 and sentences >= SENTENCE_SHARE * sum(pool.values()) and not _MULTI_HINT.search(
            normalise(guess.header)):
        return (f"{sentences} réponses sur {sum(pool.values())} sont rédigées comme des phrases" if sentences > 1 else
                f"1 réponse sur {sum(pool.values())} est rédigée comme une phrase")
    return None


class SharedAnswers:
    """How each answer (case, accents and punctuation ignored) is given across the questions of one export.

    A form's options belong to their question (or to the few questions sharing its option bank); text typed
    in « Autre » does not: the same few words (« EHPAD », « PMI », « Depends on the day ») come back, rarely,
    in questions whose options differ, and are an option of none. An answer rare here that is rare in such a
    question too, and frequent in none, was typed; an answer rare here but chosen often in another question (a
    shared option bank) is an option."""

    def __init__(self) -> None:
        self.answers: list[frozenset[str]] = []  # each question's answers
        self.rare_in: dict[str, list[int]] = {}  # answer -> questions where it is given RARE_COUNT times or fewer
        self.frequent_in: dict[str, int] = {}  # answer -> questions where it is given more often
        # Each distinct text of the export loosely written, normalised once (a wide export's questions share most
        # of their answers: 640 000 answers of 2 000 columns, 120 000 distinct texts), the new ones of a question
        # at once (normalise_many).
        self._loose: dict[str, str] = {}

    def loose(self, text: str) -> str:
        key = self._loose.get(text)
        return _loose(text) if key is None else key

    def loose_many(self, texts: list[str]) -> list[str]:
        """`loose` of each text."""
        keys = list(map(self._loose.get, texts))
        return keys if None not in keys else [_loose(t) if k is None else k for t, k in zip(texts, keys)]

    def _keys(self, counts: Counter) -> Counter:
        """A question's answers, loosely written (a checkbox cell counts whole and by its comma-separated parts)."""
        # (an answer starting with a letter is neither a number nor a date: most answers are told at once)
        texts = [v for v in counts if v[:1].isalpha() or not (_NUMBER.match(v.strip()) or _DATE_LIKE.match(v))]
        parts = {value: value.split(", ") for value in texts if ", " in value}
        loose = self._loose
        new = [text for text in dict.fromkeys(itertools.chain(texts, itertools.chain.from_iterable(parts.values())))
               if text not in loose]
        loose.update(zip(new, normalise_many(new)))
        key = loose.__getitem__
        # an answer counts once for each of its keys (itself and its parts); most answers are given once: their
        # keys are counted in one pass, in C (the order of `seen` tells nothing)
        once = [value for value in texts if counts[value] == 1]
        seen = Counter(itertools.chain(
            map(key, [value for value in once if value not in parts]),
            itertools.chain.from_iterable({key(value), *map(key, parts[value])} for value in once if value in parts)))
        for value in texts:
            count = counts[value]
            if count == 1:
                continue
            for found in ({key(value), *map(key, parts[value])} if value in parts else (key(value),)):
                seen[found] = seen.get(found, 0) + count
        seen.pop("", None)  # a text of punctuation alone is no answer
        return seen

    def add(self, counts: Counter) -> None:
        seen = self._keys(counts)
        index = len(self.answers)
        self.answers.append(frozenset(seen))
        for key, count in seen.items():
            if count <= RARE_COUNT:
                self.rare_in.setdefault(key, []).append(index)
            else:
                self.frequent_in[key] = self.frequent_in.get(key, 0) + 1

    def answers_of(self, counts: Counter) -> frozenset[str]:
        return frozenset(self._keys(counts))

    def typed_elsewhere(self, values, own: frozenset[str]) -> set[str]:
        """The values rare in another question (`own`: this question's answers) sharing no other answer with this
        one (not two questions of one option bank), and frequent in none.

        Each other question is compared with this one once, by the number of answers they share (a value's key
        is among the other's answers, so it shares no other when that number is 1 if `own` holds the key too,
        else 0): the cost grows with the questions met, not with the values times the questions. Most questions met
        share its options (a block of the form repeated): a few of its answers that are options somewhere, shared
        twice, tell so before the whole answers are compared."""
        shared: dict[int, int] = {}  # other question -> answers it shares with `own` (-1: the same answers; 2: two
        # or more, as far as it was counted)
        probe = frozenset(itertools.islice((key for key in own if self.frequent_in.get(key)), 16))
        found = set()
        for value, key in zip(values, self.loose_many(list(values))):
            if self.frequent_in.get(key):
                continue
            for i in self.rare_in.get(key, []):
                if i not in shared:
                    shared[i] = 2 if len(probe & self.answers[i]) >= 2 else \
                        -1 if self.answers[i] == own else len(self.answers[i] & own)
                if 0 <= shared[i] <= (key in own):
                    found.add(value)
                    break
        return found

    def option_elsewhere(self, value: str) -> bool:
        return self.frequent_in.get(self.loose(value), 0) > 0


_PLACE = re.compile(r"\b(?:à|a|au|de|du|in|at|near)\s+[A-ZÀ-Ý][a-zà-ÿ]+")
_CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")
_FIRST_PERSON = re.compile(r"\b(?:ma|mon|mes|my|i|i'm|j'ai|moi|me)\b", re.I)


def _shape(text: str) -> set[str]:
    """What a typed answer often shows and a list of options rarely does: a colon, digits, a word in
    capitals (« EHPAD »), a place (« à Tours », "in Lille"), the first person (« ma secrétaire », "my")."""
    found = set()
    if ":" in text:
        found.add("colon")
    if re.search(r"\d", text):
        found.add("digits")
    if _CAPITALS.search(text):
        found.add("capitals")
    if _FIRST_PERSON.search(text):
        found.add("first person")
    if _PLACE.search(text):
        found.add("place")
    return found


class OptionLook:
    """How the clear options of a question are written (initial case, words, shapes), read once per question."""

    def __init__(self, options: list[str]):
        self.any = bool(options)
        self.upper = sum(o[:1].isupper() for o in options) * 2 >= len(options)
        self.words = max((len(o.split()) for o in options), default=0)
        self.shown = set().union(*(_shape(o) for o in options))

    def fits(self, value: str) -> bool:
        """Whether an answer looks like the clear options of its question, as options of one form do: written with
        the same initial case, no longer than the longest by more than a word, and showing nothing (a comma, a
        colon, digits, capitals, a place) that none of them shows."""
        if not self.any:
            return True
        if value[:1].isupper() != self.upper and value[:1].isalpha():
            return False
        if len(value.split()) > self.words + 1:
            return False
        return not (_shape(value) - self.shown)


def _surely_typed(counts: Counter) -> set[str]:
    """Answers no form writes as an option: personal data, lower case beside capitalised options, sentences given
    RARE_COUNT times or fewer (an option may be a long sentence, chosen often)."""
    return {v for v, c in counts.items() if _has_personal_data(v) or (c <= RARE_COUNT and _sentence_like(v))} \
        | _typed_lower(counts)


def _rare(counts: Counter, typed: set[str]) -> set[str]:
    """Answers given RARE_COUNT times or fewer, or RARE_RATIO times less often than the median of the others."""
    frequent = sorted(c for v, c in counts.items() if c > RARE_COUNT and v not in typed)
    median = frequent[len(frequent) // 2] if len(frequent) >= 2 else 0
    return {v for v, c in counts.items() if v not in typed and (c <= RARE_COUNT or c * RARE_RATIO < median)}


def _akin(value: str, options: list[str], loose: Callable[[str], str] = _loose) -> bool:
    """An answer that starts like one of the options, with about as many words (« Maison de santé
    pluridisciplinaire multisites » beside « Maison de santé pluridisciplinaire »): a sibling option."""
    words = loose(value).split()
    if not words or words[0] in STOPWORDS:
        return False
    return any(o_words[:1] == words[:1] and abs(len(o_words) - len(words)) <= 1
               for o_words in (loose(o).split() for o in options))


def _typed_answers(guess: Guess, counts: Counter, shared: SharedAnswers | None, scale: bool,
                   surely: set[str] | None = None) -> set[str]:
    """The answers of a closed question read as text typed in « Autre », the others being its options.

    An answer given more than RARE_COUNT times is an option, unless no form writes it so (personal data, a
    sentence, lower case beside capitalised options). A rarer answer is an option too when the question shows
    no « Autre » field. It shows one when some answer cannot be an option, when OTHER_SINGLES answers are given once (a form seldom
    has so many options chosen by one respondent each), when two answers given once do not
    look like the other options (OptionLook), when a rare answer recurs, rare, in other questions (shared
    « Autre » vocabulary) or when the header says « autre ». Then an answer given once is read as typed unless
    it starts like a clear option (_akin) or is chosen often in another question (a shared option bank), and an
    answer given two or three times is read as typed when it recurs in other questions or does not look like
    the options. An answer scale keeps its rare levels (`surely`: _surely_typed(counts) when the caller has it)."""
    typed = set(surely) if surely is not None else _surely_typed(counts)
    if scale:
        return typed
    rare = _rare(counts, typed)
    clear = [v for v in counts if v not in typed and v not in rare]
    own = shared.answers_of(counts) if shared is not None and rare else frozenset()
    elsewhere = shared.typed_elsewhere(rare, own) if shared is not None else set()
    look = OptionLook(clear)
    unlike = {v for v in rare if not look.fits(v)}
    singles = sum(counts[v] == 1 for v in rare)
    if not (typed or elsewhere or sum(counts[v] == 1 for v in unlike) >= 2 or singles >= OTHER_SINGLES
            or _OTHER_FIELD.search(normalise(guess.header))):
        return typed
    kept = {v for v in rare - unlike if shared is not None and shared.option_elsewhere(v)}
    akin = {v for v in rare - unlike if _akin(v, clear, shared.loose if shared is not None else _loose)}
    frequent = sorted(counts[v] for v in clear)
    median = frequent[len(frequent) // 2] if len(frequent) >= 2 else 0
    faint = {v for v in rare if counts[v] == 1 or counts[v] * RARE_RATIO < median} - akin
    return typed | ((elsewhere | unlike | faint) - kept)


def _typed_lower(counts: Counter) -> set[str]:
    """Answers starting in lower case beside options that all start in capitals: typed in « Autre » (a form's
    options are written with a capital, « dépend des jours » was typed)."""
    upper = [v for v in counts if v[:1].isupper()]
    lower = {v for v in counts if v[:1].islower() and " " in v and v.split()[0].islower()}
    return lower if len(upper) >= 2 and len(lower) < len(upper) else set()


def _as_text(guess: Guess, reason: str) -> None:
    guess.type, guess.options, guess.levels, guess.other, guess.other_texts = "text", [], [], None, []
    guess.notes.append(f"texte libre : {reason}")


def _as_multi(guess: Guess, atoms_of: dict[str, list[str]], cells: Counter, shared: SharedAnswers | None = None) -> bool:
    """A multi-response question: cells hold several options that recur across cells."""
    counts = _ticks(atoms_of, cells)
    header = normalise(guess.header)
    recurring = {atom for atom, count in counts.items() if count >= 2}
    combined = sum(cells[cell] for cell, atoms in atoms_of.items()
                   if len(atoms) > 1 and len(recurring.intersection(atoms)) >= 2)
    hinted = bool(_MULTI_HINT.search(header))
    needed = max(MULTI_EVIDENCE, MULTI_SHARE * sum(cells.values()))
    if combined == 0 or _SINGLE_HINT.search(header) or (combined < needed and not hinted):
        if combined:
            guess.notes.append(f"lu comme un choix unique : {combined} réponse(s) seulement réuni(ssen)t deux valeurs "
                               "récurrentes séparées par une virgule (une question à réponses multiples en montrerait "
                               "davantage ; vérifier le formulaire)")
        return False
    reason = _text_reason(guess, Counter(), counts, shared.loose_many if shared is not None else _loose_many)
    if reason:
        _as_text(guess, reason)
        return True
    options, tails = _options_and_others(guess, atoms_of, cells, counts, shared)
    others = sorted(tails)
    guess.type = "checkbox"
    guess.options = _by_count(list(options), options)
    guess.levels = list(guess.options)
    guess.order = "les plus cochées d'abord"
    if others:
        guess.other = _other_label(options)
        guess.other_texts = others
        guess.levels.append(guess.other)
        guess.notes.append(f"semi-ouverte : {_quote_list(others)}, en fin de cellule, lus comme du texte "
                           f"saisi dans « {OTHER_LABEL} » (une option cochée une seule fois aurait la même allure : "
                           "vérifier le formulaire)")
    _note_rare_options(guess, options)
    guess.notes.append("réponses multiples : options trouvées comme les valeurs qui reviennent d'une cellule à "
                       "l'autre (une option peut contenir une virgule) ; niveaux par nombre de coches"
                       + ("" if hinted else " ; l'intitulé ne dit pas « plusieurs réponses possibles » : vérifier le "
                          "formulaire"))
    return True


def _ticks(atoms_of: dict[str, list[str]], cells: Counter) -> Counter:
    """How often each atom is given: once per cell holding it, as often as the cell is (in order of first
    appearance)."""
    counts: Counter = Counter()
    for cell, atoms in atoms_of.items():
        weight = cells[cell]
        if len(atoms) == 1:  # most cells of a text column
            counts[atoms[0]] = counts.get(atoms[0], 0) + weight
            continue
        for atom in dict.fromkeys(atoms):
            counts[atom] = counts.get(atom, 0) + weight
    return counts


def _options_and_others(guess: Guess, atoms_of: dict[str, list[str]], cells: Counter, counts: Counter,
                        shared: SharedAnswers | None) -> tuple[Counter, set[str]]:
    """The options of a multi-response question (and how often each was ticked), and the texts typed in
    « Autre ». Forms writes the ticked options in the form's order and the typed text last, whole (it may hold
    commas). So an answer ticked before an option is an option; the others are read as single-choice answers
    are (_typed_answers); an answer often given but never last nor followed by an option starts typed text
    (« Community clinic, Lille »), and what only ever follows typed text is typed too; the answers ending a cell
    that are no option were typed.

    The cells are read once for the atoms ending them and the pairs of atoms one after the other (how often each,
    the cells weighted); the readings that follow look at those distinct pairs."""
    last: Counter = Counter()  # atoms ending a cell
    pairs: dict[tuple[str, str], int] = {}  # (atom, the atom right after it in a cell) -> how often
    for cell, atoms in atoms_of.items():
        weight = cells[cell]
        last[atoms[-1]] = last.get(atoms[-1], 0) + weight
        for pair in itertools.pairwise(atoms):
            pairs[pair] = pairs.get(pair, 0) + weight
    typed = _typed_answers(guess, counts, shared, scale=False)
    typed -= _options_ticked_last(pairs, counts, typed, shared)
    clear = {a for a, c in counts.items() if c > RARE_COUNT and a not in typed}
    followed_by_clear = {p for p, f in pairs if f in clear}
    heads = {a for a in clear if not last[a] and a not in followed_by_clear}
    typed |= _after_last_option(atoms_of, counts, clear - heads, followed_by_clear, last)
    not_options = typed | heads
    for _round in range(3):
        after_text: Counter = Counter()  # how often an atom follows typed text
        for (previous, atom), weight in pairs.items():
            if previous in not_options:
                after_text[atom] += weight
        grown = not_options | {a for a in counts if after_text[a] == counts[a]}
        if grown == not_options:
            break
        not_options = grown
    before_option = {p for p, f in pairs if f in clear and f not in heads}
    candidates = {a for a in counts if a not in not_options or (a in before_option and a not in heads
                                                                   and not _has_personal_data(a) and not _sentence_like(a))}
    options: Counter = Counter()
    tails: set[str] = set()
    for cell, atoms in atoms_of.items():
        k = len(atoms)
        while k > 0 and atoms[k - 1] not in candidates:
            k -= 1
        for atom in dict.fromkeys(atoms[:k]):
            if _has_personal_data(atom):
                tails.add(atom)
            else:
                options[atom] += cells[cell]
        if k < len(atoms):
            tails.add(", ".join(atoms[k:]))
    return options, tails


def _options_ticked_last(pairs: dict[tuple[str, str], int], counts: Counter, typed: set[str],
                         shared: SharedAnswers | None) -> set[str]:
    """Answers read as typed that are rather the form's last option (« Livi » after « Doctolib, Maiia »): a word or
    two ticked by RARE_COUNT respondents or more, written exactly alike and no other way, as the other options
    are written (OptionLook), never followed in a cell by an answer that is no typed text (Forms writes the ticked
    options in the form's order, so its last option ends them), and found inside no other answer. Text typed in
    « Autre » varies in case and spelling, recurs inside longer typed answers (« EHPAD », « EHPAD de Tours ») or
    across questions (the shared « Autre » vocabulary), and seldom comes back whole as often."""
    candidates = {a for a in typed if counts[a] >= RARE_COUNT and len(a.split()) <= SHORT_OPTION_WORDS
                  and not _has_personal_data(a)}
    if not candidates:
        return set()
    look = OptionLook([a for a in counts if a not in typed and counts[a] > RARE_COUNT])
    loose = {atom: f" {_loose(atom)} " for atom in counts}
    followed = {a for a, after in pairs if after not in typed}
    found = {a for a in candidates - followed if look.fits(a)
             and not any(loose[a] in text for other, text in loose.items() if other != a)}
    if found and shared is not None:
        found -= shared.typed_elsewhere(found, shared.answers_of(counts))
    return found


def _after_last_option(atoms_of: dict[str, list[str]], counts: Counter, clear: set[str], followed_by_clear: set[str],
                       last: Counter) -> set[str]:
    """Answers given once, always ending their cell, that follow the form's last option (a clear option never
    followed by another): where Forms writes the text typed in « Autre », after every ticked option. Read as
    typed when two such answers show the question has an « Autre » field."""
    final = {a for a in clear if a not in followed_by_clear}
    found = {atoms[-1] for atoms in atoms_of.values()
             if len(atoms) >= 2 and atoms[-2] in final and counts[atoms[-1]] == 1 and last[atoms[-1]] == 1}
    return found if len(found) >= 2 else set()


def _note_rare_options(guess: Guess, counts: Counter) -> None:
    """Options chosen three times or fewer: said, as a typed « Autre » answer would look the same."""
    rare = [o for o in guess.options if counts[o] <= RARE_COUNT]
    if rare:
        guess.notes.append(f"option(s) rarement choisie(s) gardée(s) comme options : {_quote_list(rare)} (rien ne les "
                           f"distingue des autres options ; si c'était du texte saisi dans « {OTHER_LABEL} », les "
                           "retirer de `options`)")


def _by_count(values: list[str], counts: Counter) -> list[str]:
    position = {v: i for i, v in enumerate(values)}
    return sorted(values, key=lambda v: (-counts[v], position[v]))


def _as_choice(guess: Guess, counts: Counter, shared: SharedAnswers | None = None) -> None:
    """Single choice, semi-open single choice, or free text, from the answers of one column (and their counts)."""
    reason = _text_reason(guess, counts, loose_many=shared.loose_many if shared is not None else _loose_many)
    if reason:
        _as_text(guess, reason)
        return
    surely = _surely_typed(counts)
    ordered = natural_order([v for v in counts if v not in surely], counts)
    typed = _typed_answers(guess, counts, shared, scale=ordered.order != BY_FREQUENCY, surely=surely)
    recurring = [v for v in counts if v not in typed]
    if typed and not recurring:
        _as_text(guess, f"aucune réponse ne revient telle quelle ({_quote_list(sorted(typed))})")
        return
    guess.type = "single"
    if typed:
        guess.options = _by_count(recurring, counts)
        guess.other = _other_label(guess.options)
        guess.other_texts = sorted(typed)
        guess.levels = [*natural_order(guess.options, counts).levels, guess.other]
        guess.notes.append(f"semi-ouverte : {_quote_list(sorted(typed))}, lus comme du texte saisi dans "
                           f"« {OTHER_LABEL} » (ils ne ressemblent pas aux autres réponses, ou reviennent dans "
                           "d'autres questions : vérifier le formulaire)")
        guess.order = natural_order(guess.options, counts).order
    else:  # nothing typed: `ordered` holds every answer
        guess.options = list(ordered.levels)
        guess.levels = list(ordered.levels)
        guess.order = ordered.order
    if guess.order == BY_FREQUENCY:
        _note_rare_options(guess, counts)
    if guess.order == BY_FREQUENCY and len(guess.options) > 2:
        guess.notes.append(LEVELS_BY_FREQUENCY)


_RECOMMEND = re.compile(r"\b(?:probabilite|probable|likely|likelihood)\b.*\brecomm[ae]nd|\brecomm[ae]nd\w*\b.*"
                        r"\b(?:probabilite|probable|likely)\b")


def _recommendation_scale(text: str) -> tuple[int, int] | None:
    """The Net Promoter question (« Quelle est la probabilité que vous recommandiez … ? », "How likely are you to
    recommend …"): a scale from 0 to 10 by its standard, whatever the answers reached."""
    return (0, 10) if _RECOMMEND.search(text) else None


def _integers(values: list[str]) -> list[int] | None:
    numbers = [float(v.replace(",", ".")) for v in values]
    return [int(x) for x in numbers] if all(x.is_integer() for x in numbers) else None


def _scale_bounds(guess: Guess, low: int, high: int, what: str) -> None:
    """The bounds of a scale the header does not state: 0 or 1 at the bottom, and at the top the usual end
    (5, 7 or 10) at or above the highest answer (nobody may have chosen the end)."""
    guess.min = 0 if low == 0 else 1
    guess.max = max(next(end for end in (5, 7, 10, high) if end >= high), guess.min + 1)
    guess.notes.append(f"{what} : valeurs de {low} à {high} observées, {guess.min}–{guess.max} supposé : vérifier "
                       "les bornes réelles de l'échelle et ajouter ses `anchors` (les mots des deux extrémités)")


def header_scale(header: str) -> tuple[int, int] | None:
    """The bounds a header states (« Sur une échelle de 0 à 10 », "from 1 to 5"), None when it states none."""
    text = normalise(header)
    if set(text.split()) & NUMBER_HINTS:
        return None
    match = _SCALE_HINT.search(text)
    if match is None:
        return _recommendation_scale(text)
    low, high = int(match[1]), int(match[2])
    return (low, high) if 3 <= high <= 10 else None


def _as_numbers(guess: Guess, values: list[str]) -> None:
    integers = _integers(values)
    numbers = [float(v.replace(",", ".")) for v in values]
    hinted = bool(set(normalise(guess.header).split()) & NUMBER_HINTS)
    stated = header_scale(guess.header)
    if stated is not None and integers is not None:
        guess.type, (guess.min, guess.max) = "scale", stated
        outside = sorted({x for x in integers if not stated[0] <= x <= stated[1]})
        guess.notes.append(f"échelle linéaire de {stated[0]} à {stated[1]}, comme le dit l'intitulé"
                           + (f" ; valeurs hors échelle observées ({', '.join(map(str, outside))}) : invalides, "
                              "écartées de l'analyse par le nettoyage" if outside else "") + " ; ajouter ses `anchors`")
        return
    if integers is not None and not hinted and min(integers) >= 0 and max(integers) <= 10:
        guess.type = "scale"
        _scale_bounds(guess, min(integers), max(integers), "échelle linéaire")
        return
    guess.type = "number"
    low, high = min(numbers), max(numbers)
    guess.notes.append(f"nombre : valeurs de {low:g} à {high:g} observées ; ajouter son `unit` (et `min`/`max` si le "
                       "formulaire le borne)")


def _quiz_total(values: list[str]) -> int | None:
    """The total of a quiz's `Score` column (every answer « k / N », one N), None otherwise."""
    totals = set()
    for value in values:  # most columns are no quiz score: their first answer tells
        score = quiz_score(value)
        if score is None:
            return None
        totals.add(score[1])
    return totals.pop() if len(totals) == 1 and min(totals) > 0 else None


def _typed_unit(counts: Counter) -> str | None:
    """The unit of a short-answer number some respondents typed with its unit (« 45 », « 45 ans », « 52 ans »;
    « 6h », « 6 h », « 6 heures »): its most typed spelling (ties: first seen), None unless every answer is a
    number and all the typed units are one unit."""
    spellings: Counter = Counter()
    for value, count in counts.items():
        typed = typed_number(value)
        if typed is None:
            return None
        if typed[1]:
            spellings[typed[1]] += count
    if not spellings or len({unit_key(spelling) for spelling in spellings}) != 1:
        return None
    return spellings.most_common(1)[0][0]


def _as_numbers_with_unit(guess: Guess, values: list[str], unit: str) -> None:
    """A number typed with its unit is a quantity (an age, hours a week), never the point of a scale."""
    numbers = [typed_number(v)[0] for v in values]
    guess.type, guess.unit = "number", unit
    shown = ", ".join(f"« {v.strip()} »" for v in [v for v in values if typed_number(v)[1]][:3])
    guess.notes.append(f"nombre saisi avec son unité ({shown}) : lu comme un nombre en « {unit} » (`unit`) ; valeurs "
                       f"de {min(numbers):g} à {max(numbers):g} observées ; ajouter `min`/`max` si le formulaire le "
                       "borne")


def _date_order(values: list[str]) -> str | None:
    """The order of a column of dates ("day-first", "month-first", "year-first"; "" when the cells do not
    decide it), None when some answer is not a date. Forms writes a date answer in the form's locale
    (« 16/03/2024 » in French, "3/16/2024" in a US-English form), Sheets and Excel as a date cell."""
    if not all(_DATE_LIKE.match(v) for v in values):  # a cheap look first: most columns hold no date
        return None
    dates, decided = dates_and_decided_order(list(values))
    if not all(d is not None for d in dates):
        return None
    return decided or ""


def infer_column(guess: Guess, values: list[str]) -> None:
    """Type, options and levels of one question from its non-empty answers."""
    infer_counts(guess, Counter(values))


def infer_counts(guess: Guess, counts: Counter, shared: SharedAnswers | None = None) -> None:
    """Type, options and levels of one question from its distinct non-empty answers and how often each was
    given (the work grows with the distinct answers); `shared`: the answers of the export's other questions."""
    values = list(counts)
    if not values:
        guess.type = "text"
        guess.notes.append("aucune réponse dans l'export : texte libre supposé, vérifier le type de la question")
        return
    if all(_NUMBER.match(v.strip()) for v in values):
        _as_numbers(guess, values)
        return
    total = _quiz_total(values)
    if total is not None:
        guess.type, guess.min, guess.max = "number", 0, total
        guess.notes.append(f"score d'un questionnaire en mode quiz (« {values[0]} ») : lu comme un nombre de points, "
                           f"de 0 à {total}")
        return
    unit = _typed_unit(counts)
    if unit is not None:
        _as_numbers_with_unit(guess, values, unit)
        return
    order = _date_order(values)
    if order is not None:
        guess.type, guess.date_order = "date", order
        if order == MONTH_FIRST:
            guess.notes.append("dates écrites mois en premier (« 3/16/2024 », un formulaire en anglais américain) : "
                               "`date_order: month-first`")
        if any(_TIME.search(v) for v in values):
            guess.notes.append("dates écrites avec une heure : lues comme des dates")
        return
    if any(", " in v for v in values) and _as_multi(guess, split_distinct(counts), counts, shared):
        return
    _as_choice(guess, counts, shared)


ANSWER_CODES_NOTE = ("options en codes ({codes}) : l'export donne les codes des options, pas leurs libellés "
                     "(LimeSurvey écrit ainsi ses codes de réponse, et ses sous-questions quand les en-têtes sont des "
                     "codes) ; exporter de nouveau avec les réponses complètes et le texte complet des questions en "
                     "en-têtes, ou écrire le libellé de chaque option dans son `label` et dans `levels`")


def _note_answer_codes(guess: Guess) -> None:
    """A closed question whose options are all answer codes (AO01, AO02…, SQ001…) says so: the chapter would
    print the codes, which no reader can interpret."""
    if in_answer_codes(guess):
        numbered = sorted(zip(answer_codes(guess.options), guess.options))
        guess.notes.append(ANSWER_CODES_NOTE.format(codes=", ".join(code for _n, code in numbered[:3])
                                                    + ("…" if len(numbered) > 3 else "")))


def in_answer_codes(guess: Guess) -> bool:
    """Whether a question's options are all answer codes (`levels.answer_codes`) rather than labels."""
    return guess.type in ("single", "checkbox") and answer_codes(guess.options) is not None


def short_label(header: str) -> str:
    """A short name for tables from a header: instructions in brackets, numbering and the question mark dropped,
    cut at a clause or a word near LABEL_CHARS characters (« Quels outils utilisez-vous ? (plusieurs réponses
    possibles) » -> « Quels outils utilisez-vous »). A header written on several lines (a line break typed in
    the form's title) is named by its first line: the next ones are help for the respondent."""
    first_line = next((line for line in header.splitlines() if line.strip()), header)
    text = re.sub(r"\s*[(\[][^()\[\]]*[)\]]", lambda m: "" if _instruction(m.group()) else m.group(),
                  re.sub(r"\s+", " ", first_line))
    text = re.sub(r"^\s*(?:q(?:uestion)?\s*)?\d+\s*[.)\-:–]\s*", "", text, flags=re.I)
    text = re.sub(r"^\s*(?:sur une [ée]chelle de \d+ [àa] \d+|on a scale (?:of|from) \d+ to \d+)\s*,?\s*", "", text,
                  flags=re.I)
    text = re.sub(r"[\s?:*.!]+$", "", text).strip() or header.strip()
    if len(text) > LABEL_CHARS:
        cut = max((text.rfind(sep, 0, LABEL_CHARS) for sep in (" : ", ", ", " – ", " - ", " ; ")), default=-1)
        if cut >= 15:
            text = text[:cut]
        else:
            space = text.rfind(" ", 0, LABEL_CHARS - 1)
            text = _without_dangling_word(text[:space if space > 15 else LABEL_CHARS - 1]).rstrip(" ,;:'’") + "…"
    return text[:1].upper() + text[1:]


# Words that cannot end a cut label: it would read « … télétransmise en… » in a sentence of the chapter.
_DANGLING = {"le", "la", "les", "l", "de", "du", "des", "d", "un", "une", "et", "ou", "a", "au", "aux", "en", "pour",
             "par", "sur", "dans", "avec", "votre", "vos", "son", "sa", "ses", "leur", "leurs", "ce", "cet", "cette",
             "ces", "mon", "ma", "mes", "the", "of", "your", "to", "in", "and", "or", "an", "for", "with", "on", "my"}


def _without_dangling_word(text: str) -> str:
    """A cut label without the articles, prepositions and conjunctions left at its end (three words stay)."""
    words = text.split(" ")
    while len(words) > 3 and normalise(words[-1]) in _DANGLING:
        words.pop()
    return " ".join(words)


def _instruction(bracketed: str) -> bool:
    """A bracketed instruction to the respondent rather than part of the question."""
    words = normalise(bracketed)
    return bool(_MULTI_HINT.search(words) or _SINGLE_HINT.search(words) or _SCALE_HINT.search(words) or re.search(
        r"\b(reponses?|choix|cochez|facultatif|optionnel|obligatoire|precisez|possibles?|select|optional|"
        r"required|une seule|plusieurs|de \d+ a \d+)\b", words))


# ------------------------------------------------------------------------------------------ grids

def _as_grid(guess: Guess, columns: Columns, indexes: list[int], counts: list[Counter]) -> bool:
    """A numeric grid (rating or ranking); False when its cells are not all integers (`counts`: each row's answers)."""
    distinct = set()
    for found in counts:
        distinct.update(found)
    if not distinct or not all(_NUMBER.match(v) for v in distinct) or _integers(list(distinct)) is None:
        return False
    table = _number_table(columns, indexes, {v: int(float(v.replace(",", "."))) for v in distinct})
    width = len(guess.items)
    low, high = int(np.nanmin(table)), int(np.nanmax(table))
    if _ranks(table) and low >= 1 and high <= width:
        guess.type, guess.min, guess.max = "grid_rank", 1, width
        guess.notes.append(f"grille de classement : aucun répondant n'a donné deux fois la même valeur sur les {width} "
                           f"lignes, chaque cellule est donc lue comme un rang de 1 à {width} (une grille de notes "
                           "répéterait des valeurs : vérifier le formulaire)")
        return True
    guess.type = "grid_scale"
    stated = header_scale(guess.header)
    if stated is not None:
        guess.min, guess.max = stated
        guess.notes.append(f"grille de notes de {stated[0]} à {stated[1]}, comme le dit l'intitulé ; ajouter ses `anchors`")
    else:
        _scale_bounds(guess, low, high, "grille de notes")
    return True


def _number_table(columns: Columns, indexes: list[int], number: dict[str, int]) -> np.ndarray:
    """The grid's cells as numbers, a row per respondent and a column per grid row (NaN: left blank)."""
    number = {**number, "": np.nan}
    return np.column_stack([columns.column(i).mapped(number, float) for i in indexes])


def _ranks(table: np.ndarray) -> bool:
    """Whether the grid's answers read as ranks: some respondent gave two values at least, and none gave one
    value twice (the bounds are tested apart)."""
    filled = (~np.isnan(table)).sum(axis=1)
    ordered = np.sort(table, axis=1)  # blanks (NaN) last, and NaN equals nothing
    return bool((filled >= 2).any()) and not bool((ordered[:, 1:] == ordered[:, :-1]).any())


# --------------------------------------------------------------------------------- skip logic

class Columns:
    """The export column by column, as the coded table the fold and the cleaning read (`coded_columns`: each
    column's distinct answers and each row's code, numbered once), over the rows drafted (`rows`: a mask of the
    export's rows, None for all); the rows where a column is filled or holds a given answer come as the bits of an
    integer (bit k = row k), so that tests over sets of rows run in C."""

    def __init__(self, table: tuple[CodedColumn, ...], rows: np.ndarray | None = None):
        self._table = table
        self._rows = None if rows is None or rows.all() else rows
        self.n = int(rows.sum()) if rows is not None else len(table[0].codes) if table else 0
        self._kept: dict[int, CodedColumn] = {}  # a column over the rows drafted, when some rows are left out
        self._counts: dict[int, Counter] = {}
        self._filled: dict[int, int] = {}
        self.cells = _Cells(self)

    def column(self, index: int) -> CodedColumn:
        """A column over the rows drafted (renumbered in their order when rows were left out)."""
        if self._rows is None:
            return self._table[index]
        if index not in self._kept:
            self._kept[index] = self._table[index].kept(self._rows)
        return self._kept[index]

    def counts(self, index: int, keep: bool = False) -> Counter:
        """Distinct non-empty answers of a column and how often each was given, in order of first appearance (kept
        for one later call when `keep`)."""
        counts = self._counts.pop(index, None)
        if counts is None:
            counts = Counter(self.column(index).counted())
            counts.pop("", None)
        if keep:
            self._counts[index] = counts
        return counts

    def values(self, index: int) -> list[str]:
        column = self.column(index)
        return column.cells()[~column.rows_holding("")].tolist()

    def bits(self, index: int, value: str | None = None) -> int:
        """Rows where the column is filled (value None) or holds `value`."""
        if value is not None:
            return _as_bits(self.column(index).rows_holding(value))
        if index not in self._filled:
            self._filled[index] = _as_bits(~self.column(index).rows_holding(""))
        return self._filled[index]

    def answered(self, guess: Guess) -> int:
        found = 0
        for column in guess.columns:
            found |= self.bits(column)
        return found

    def complete(self, guess: Guess) -> int:
        found = (1 << self.n) - 1
        for column in guess.columns:
            found &= self.bits(column)
        return found


class _Cells(Sequence):
    """`Columns.cells[i]`: the cells of column i over the rows drafted, as a list (made when asked)."""

    def __init__(self, columns: Columns):
        self._columns = columns

    def __len__(self) -> int:
        return len(self._columns._table)

    def __getitem__(self, index: int) -> list[str]:
        return self._columns.column(index).cells().tolist()


def _drafted(export_rows: tuple, rows: list) -> np.ndarray | None:
    """Which of the export's rows are drafted (booleans by row, None for all): `rows` are the rows the filters
    kept (blank rows, trials, incomplete responses left out), in the export's order; a filter decides on a
    row's cells, so matching the row objects in turn is exact."""
    if len(rows) == len(export_rows):
        return None
    kept = np.zeros(len(export_rows), dtype=bool)
    remaining = iter(rows)
    wanted = next(remaining, None)
    for position, row in enumerate(export_rows):
        if row is wanted:
            kept[position] = True
            wanted = next(remaining, None)
    return kept


def _as_bits(flags: np.ndarray) -> int:
    """Booleans by row as the bits of an integer (bit k = row k)."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _infer_asked_if(columns: Columns, questions: list[Guess]) -> None:
    """`asked_if` when a question was answered only, and nearly always, by those giving one earlier answer.

    Each answer of an earlier single-choice question is a set of rows (the bits of an integer); a question
    answered by the rows A is asked by the answer whose rows C hold A (A & ~C == 0) and not many more
    (|A| >= ASKED_COVERAGE |C|). Candidates are kept sorted by size, so only those of a fitting size are tested:
    drafting stays near linear in the columns. Ties go to the earliest question, then the first level."""
    n = columns.n
    sizes: list[int] = []  # sorted sizes of the candidates, parallel to `candidates`
    candidates: list[tuple[int, int, int, int, Guess, str]] = []  # (size, position, level index, rows, question, level)
    for position, guess in enumerate(questions):
        rows_answered = columns.answered(guess)
        count = rows_answered.bit_count()
        if 0 < count < n:
            low = bisect.bisect_left(sizes, count)
            high = bisect.bisect_right(sizes, count / ASKED_COVERAGE)
            first = rows_answered & -rows_answered  # the lowest row that answered
            best = None
            for size, earlier_position, level_index, chosen, earlier, level in candidates[low:high]:
                if not chosen & first or rows_answered & ~chosen:
                    continue
                key = (-count / size, earlier_position, level_index)
                if best is None or key < best[0]:
                    best = (key, earlier, level, count / size)
            if best is not None:
                _key, earlier, level, coverage = best
                guess.asked_if = {earlier.id: level}
                guess.notes.append(f"filtre deviné : seuls ceux qui ont répondu « {level} » à {earlier.id} y ont "
                                   f"répondu ({round(100 * coverage)} % d'entre eux) : vérifier les sections du formulaire")
        if guess.type != "single" or guess.grid or len(guess.columns) != 1:
            continue
        total = columns.bits(guess.columns[0]).bit_count()
        for level_index, level in enumerate(guess.options):
            chosen = columns.bits(guess.columns[0], level)
            size = chosen.bit_count()
            if size == 0 or total - size < max(3, 0.05 * n):
                continue
            at = bisect.bisect_right(sizes, size)
            sizes.insert(at, size)
            candidates.insert(at, (size, position, level_index, chosen, guess, level))


def _required(columns: Columns, guess: Guess, questions: dict[str, Guess]) -> bool:
    """Every respondent the form asked filled every cell of the question."""
    asked = (1 << columns.n) - 1
    for variable, level in guess.asked_if.items():
        asked &= columns.bits(questions[variable].columns[0], level)
    return asked & ~columns.complete(guess) == 0


def _core(header: str) -> str:
    """A header without a leading conditional clause (« Si vous l'utilisiez : … »), for comparing branches."""
    text = normalise(re.sub(r"^\s*si\b[^:]*:\s*", "", header, flags=re.I))
    return text


def _branch_pairs(cores: list[str]) -> list[tuple[int, int]]:
    """Pairs of questions whose headers (their `_core`) may be one question asked in two branches: same core
    header, or a shared uncommon word (a word in more than BRANCH_BUCKET headers pairs nothing), so that the
    costly comparison runs on few pairs."""
    buckets: dict[str, list[int]] = {}
    for index, core in enumerate(cores):
        keys = {f"={core}"} | {w for w in core.split() if len(w) >= 4 and w not in STOPWORDS}
        for key in keys:
            buckets.setdefault(key, []).append(index)
    pairs = set()
    for key, members in buckets.items():
        if len(members) > BRANCH_BUCKET and not key.startswith("="):
            continue
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                pairs.add((first, second))
    return sorted(pairs)


def _similar(first: str, matcher: difflib.SequenceMatcher) -> bool:
    """difflib's ratio of `first` and the matcher's second text at least BRANCH_SIMILARITY; its two cheap upper
    bounds (lengths, then shared characters) are tried first, so that the costly ratio runs only on pairs that
    may pass. The matcher keeps what it learnt of its second text (the index of its characters) between pairs."""
    matcher.set_seq1(first)
    if _shares_enough_of_an_end(first, matcher.b):
        return True
    return all(bound() >= BRANCH_SIMILARITY for bound in (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio))


def _shares_enough_of_an_end(first: str, second: str) -> bool:
    """A lower bound of difflib's ratio at least BRANCH_SIMILARITY: the texts begin or end alike (« 17 quel est
    votre age » / « 134 quel est votre age »). The first block difflib matches is the longest common run of
    characters (nothing is junk in a text shorter than its 200-character autojunk threshold), at least as long
    as a common beginning or end, and the ratio counts it."""
    if len(second) >= 200 or not (first and second):
        return False
    common = len(os.path.commonprefix([first, second]))
    common = max(common, len(os.path.commonprefix([first[::-1], second[::-1]])))
    return 2.0 * common / (len(first) + len(second)) >= BRANCH_SIMILARITY


def _note_branches(questions: list[Guess]) -> None:
    """Two questions that look like one question asked in two branches of the form."""
    cores = [_core(guess.header) for guess in questions]
    matchers: dict[int, difflib.SequenceMatcher] = {}  # by the second question of the pairs
    twins: dict[int, list[int]] = {}  # each question's look-alikes
    for i, j in _branch_pairs(cores):
        first, second = questions[i], questions[j]
        if first.type != second.type or first.grid or second.grid:
            continue
        if j not in matchers:
            matchers[j] = difflib.SequenceMatcher(None, b=cores[j])
        if not _similar(cores[i], matchers[j]):
            continue
        if _note_follow_ups(questions, (i, j)):
            continue
        twins.setdefault(i, []).append(j)
        twins.setdefault(j, []).append(i)
    for index in sorted(twins):
        questions[index].notes.append(_twins_note([questions[k].id for k in sorted(twins[index])]))


TWINS_NAMED = 3  # a question like many others (a block repeated in the form) names the first few, counts the rest


def _twins_note(ids: list[str]) -> str:
    """One note per question, however many others it looks like (a block of the form repeated 19 times wrote
    19 notes on each of its questions)."""
    if len(ids) == 1:
        return (f"semble être la même question que {ids[0]}, posée dans une autre branche du formulaire ; le "
                "brouillon ne voit pas les sections du formulaire, ce sont donc ici deux questions : pour les analyser "
                "ensemble, les remplacer par une seule entrée avec `branches:` (voir codebook.schema.yaml)")
    named = ", ".join(ids[:TWINS_NAMED]) if len(ids) > TWINS_NAMED else ", ".join(ids[:-1])
    rest = f" et {len(ids) - TWINS_NAMED} autres" if len(ids) > TWINS_NAMED else f" et {ids[-1]}"
    return (f"semble être la même question que {named}{rest}, posées dans d'autres branches du formulaire ; le "
            f"brouillon ne voit pas les sections du formulaire, ce sont donc ici {fmt.cardinal(len(ids) + 1, True)} "
            "questions : pour les "
            "analyser ensemble, les remplacer par une seule entrée avec `branches:` (voir codebook.schema.yaml)")


# A header asking for the details of the answer just given (« Précisez : », « Si autre, précisez », « Si oui,
# pourquoi ? »), matched on the normalised header.
_FOLLOW_UP = re.compile(r"^(?:(?:si|if) )?(?:(?:autres?|other|oui|non|yes|no) )?(?:please )?"
                        r"(?:precisez|preciser|pourquoi|lesquel(?:le)?s|lequel|laquelle|expliquez|specify|why)$")


def _note_follow_ups(questions: list[Guess], pair: tuple[int, int]) -> bool:
    """Two alike headers that each ask for the details of the question before them (« Précisez : » after two
    questions): not one question in two branches, but a follow-up of each; each is said to follow its question and
    to stay an open question of its own. False when the two headers are no such follow-ups."""
    if not all(index > 0 and _FOLLOW_UP.match(normalise(questions[index].header)) for index in pair):
        return False
    for index in pair:
        guess, before = questions[index], questions[index - 1]
        note = (f"« {short_label(guess.header)} » suit la question {before.number} ({before.id}) et en détaille la "
                "réponse ; gardée comme question ouverte à part (le même intitulé, après une autre question, n'est "
                "pas la même question)")
        if note not in guess.notes:
            guess.notes.append(note)
    return True


# ------------------------------------------------------------------------------------------ export

def _is_timestamp(header: str, values: list[str], index: int) -> bool:
    if normalise(header) in TIMESTAMP_HEADERS:
        return True
    if index != 0 or not values:
        return False
    parsed = parse_timestamps(values)
    return all(d is not None for d in parsed.dates) and all(_TIME.search(v) for v in values)


def _is_identifying(header: str, counts: Counter) -> bool:
    """An e-mail, name or phone column: by its header (« Nom et prénom (facultatif) », « Votre e-mail »: a
    bracketed remark and a leading « votre » aside), or by its answers (e-mails)."""
    key = re.sub(r"^(?:votre|vos|your)\s+", "", normalise(re.sub(r"\s*\([^()]*\)\s*$", "", header)))
    if key in IDENTIFYING_HEADERS or ("mail" in key.split() and not _GRID.match(header)):
        return True
    return _mostly_addresses(counts)


def _mostly_addresses(counts: Counter) -> bool:
    total = sum(counts.values())
    if total == 0:
        return False
    emails = total  # at most: lowered by each answer that is no e-mail, until it cannot reach 80 %
    for value, count in counts.items():
        if not _EMAIL.match(value):
            emails -= count
            if emails < 0.8 * total:  # most columns: told within their first answers
                return False
    return emails >= 0.8 * total


def is_address_column(header: str, counts: Counter) -> bool:
    """An identifying column of e-mail addresses (« Adresse e-mail », « Courriel », or answers mostly addresses),
    which may tell a respondent's submissions apart (`resubmissions:`); a name or a phone never does (two people
    share a name, a phone is often a practice's)."""
    return bool({"mail", "email", "courriel"} & set(normalise(header).split())) or _mostly_addresses(counts)


def _units(headers: tuple[str, ...], skip: set[int]) -> list[tuple[str, list[tuple[int, str]]]]:
    """(header or grid stem, [(column, grid row or "")]) in the order of first appearance; columns titled
    « Stem [row] » with the same stem form one grid (two rows at least), wherever they stand in the export
    (a re-saved export may have moved them)."""
    units: list[tuple[str, list[tuple[int, str]]]] = []
    grids: dict[str, int] = {}
    for index, header in enumerate(headers):
        if index in skip:
            continue
        match = _GRID.match(header)
        if match and match["stem"] in grids:
            units[grids[match["stem"]]][1].append((index, match["row"].strip()))
        elif match:
            grids[match["stem"]] = len(units)
            units.append((match["stem"], [(index, match["row"].strip())]))
        else:
            units.append((header, [(index, "")]))
    flat = []
    for stem, cols in units:
        if cols[0][1] and len(cols) < 2:  # one bracketed column: an ordinary header
            flat.append((headers[cols[0][0]], [(cols[0][0], "")]))
        else:
            flat.append((stem, cols))
    return flat


def _check_duplicates(export: RawExport) -> None:
    """Two grid rows with one header cannot be told apart: refused. Two plain columns with one header (a form
    asking « Précisez : » in two sections) are two questions, told apart by their `occurrence`."""
    seen: dict[str, int] = {}
    for index, header in enumerate(export.headers):
        key = normalise(header)
        if key in seen and _GRID.match(header):
            raise InputError(f"{export.path}, row 1: columns {seen[key] + 1} and {index + 1} have the same header "
                             f"{header!r}; a grid row needs its own header: rename one of them in a copy of the "
                             "export")
        seen.setdefault(key, index)


def _occurrences(headers: tuple[str, ...]) -> list[int]:
    """For each column, how many columns up to it carry its header (1 for the first)."""
    counts: Counter = Counter()
    result = []
    for header in headers:
        counts[normalise(header)] += 1
        result.append(counts[normalise(header)])
    return result


def _grid_guesses(stem: str, cols: list[tuple[int, str]], columns: Columns, ids: Ids) -> list[Guess]:
    """A numeric grid (rating or ranking), a grid of choices (`grid_choice`: one question, its rows sharing
    labelled levels), or, when its cells are typed text or ticked boxes, one question per row."""
    gid = ids.from_header(stem)
    grid = Guess(gid, "grid_scale", stem, [c for c, _r in cols], label=short_label(stem))
    prefix = "_".join(gid.split("_")[:2])
    grid.items = [(ids.take(f"{prefix}_{slug(row, 2, 'ligne')}", tuple(f"{prefix}_{slug(row, k, 'ligne')}" for k in (3, 4))),
                   row) for _c, row in cols]
    counts = [columns.counts(c) for c, _r in cols]  # each row's answers, counted once for both looks
    if _as_grid(grid, columns, [c for c, _r in cols], counts):
        return [grid]
    pooled: Counter = Counter()
    for found in counts:
        pooled.update(found)
    probe = Guess(gid, "text", stem, [])
    infer_counts(probe, pooled)
    if probe.type == "single" and not probe.other:
        grid.type, grid.options, grid.levels, grid.order = "grid_choice", probe.options, probe.levels, probe.order
        grid.notes.append(f"grille à choix multiples : ses {len(cols)} lignes partagent les réponses "
                          f"{_quote_list(probe.levels, limit=len(probe.levels))}")
        grid.notes += [n for n in probe.notes if n == LEVELS_BY_FREQUENCY]
        return [grid]
    if probe.type not in ("single", "checkbox") or probe.other:
        probe.type, probe.options, probe.levels, probe.other = "text", [], [], None
    guesses = []
    for (column, row_label), (item_id, _row) in zip(cols, grid.items):
        guess = Guess(item_id, probe.type, f"{stem} [{row_label}]", [column], options=list(probe.options),
                      levels=list(probe.levels), order=probe.order, grid=gid, label=row_label)
        guess.notes.append(f"ligne « {row_label} » d'une grille dont les cellules sont "
                           + ("des cases cochées" if probe.type == "checkbox" else "du texte saisi")
                           + " : chaque ligne est une question à part (mêmes réponses pour toutes les lignes)")
        guesses.append(guess)
    return guesses


def _settle_date_orders(questions: list[Guess], stamps: list[str]) -> None:
    """A date column whose cells do not tell day from month (every number 12 or below) is read in the order
    of the export's timestamps (Forms writes both in the owner's locale), else day first (a French form)."""
    undecided = [guess for guess in questions if guess.type == "date" and not guess.date_order]
    export_order = decided_order(stamps) if stamps and undecided else None
    for guess in undecided:
        if export_order == MONTH_FIRST:
            guess.date_order = MONTH_FIRST
            guess.notes.append("jour et mois toujours ≤ 12 : dates lues mois en premier comme l'horodatage de l'export "
                               "(formulaire en anglais américain) : vérifier une date connue")
        else:
            guess.date_order = DAY_FIRST
            guess.notes.append("jour et mois toujours ≤ 12 : dates lues jour en premier (formulaire français) : "
                               "vérifier une date connue, sinon écrire `date_order: month-first`")


# A cell that says its row is a trial of the form (normalised), not an answer.
_TEST_MARK = re.compile(r"^(?:(?:ceci est un |c est un )?(?:test|tests|essai|testing)"
                        r"(?: (?:ne pas (?:tenir compte|prendre en compte|analyser)|a supprimer|a ignorer|"
                        r"please ignore|do not count|ignore))?|ne pas tenir compte|please ignore)$")
_TEST_WORDS = ("test", "essai", "tenir compte", "ignore")  # one of them is in every cell _TEST_MARK matches
MAX_TEST_ROWS = 3  # more rows than this with one such cell: it is an answer (« Test » as an option), not a trial


def _says_trial(cell: str) -> bool:
    """A cell of a trial row; folded only when it holds a word every marker has (timestamps never do)."""
    lower = cell.lower()
    return any(word in lower for word in _TEST_WORDS) and bool(_TEST_MARK.match(normalise(cell)))


def trial_markers(columns: Columns) -> list[str]:
    """The cells marking rows as trials of the form (« test », « TEST NE PAS TENIR COMPTE », « essai »), in
    order of first appearance (by row, then column); a marker found in more than MAX_TEST_ROWS rows (or in a
    fifth of them) is an answer, not a trial.

    Each column's distinct short answers are read (its counts, kept for the drafter's next look at the column),
    and only in a column where one of them holds a word every marker has (one look at them joined): the work grows
    with the distinct answers, not the cells."""
    rows_of: dict[str, set[int]] = {}
    first_seen: dict[str, tuple[int, int]] = {}  # marker -> (row, column) where it first appears
    for index in range(len(columns.cells)):
        short = [cell for cell in columns.counts(index, keep=True) if len(cell) < 60]
        joined = "\n".join(short).lower()
        if not any(word in joined for word in _TEST_WORDS):
            continue
        for cell in filter(_says_trial, short):
            rows = np.flatnonzero(columns.column(index).rows_holding(cell)).tolist()
            marker = cell.strip()
            rows_of.setdefault(marker, set()).update(rows)
            first_seen[marker] = min(first_seen.get(marker, (rows[0], index)), (rows[0], index))
    limit = min(MAX_TEST_ROWS, columns.n // 5)
    return [marker for marker in sorted(rows_of, key=first_seen.__getitem__) if len(rows_of[marker]) <= limit]


def draft_export(export: RawExport) -> StudyGuess:
    """Every question of the export, typed, with levels, skip logic and notes; rows marked as trials of the form
    (`test_answers`) are left out of the reading, as the cleaning will leave them out of the analysis."""
    typed_apart = typed_in_other(export)
    export = fold_export(export)
    _check_duplicates(export)
    table = coded_columns(export)
    rows = [row for row in export.rows if any(row)]
    columns = Columns(table, _drafted(export.rows, rows))
    markers = trial_markers(columns)
    keys = {normalise(marker) for marker in markers}
    if keys:  # each distinct cell folded once, not each cell
        marked = {cell for cell in {cell for row in rows for cell in row if cell}
                  if len(cell) < 60 and _says_trial(cell) and normalise(cell) in keys}
        rows = [row for row in rows if marked.isdisjoint(row)]
        columns = Columns(table, _drafted(export.rows, rows))
    if not rows:
        raise InputError(f"{export.path}: no answer below the header row; a draft needs at least one response")
    timestamp = next((i for i, h in enumerate(export.headers)
                      if _is_timestamp(h, columns.values(i) if i == 0 else [], i)), None)
    complete = _complete_rows(rows, timestamp if stamps_submitted_only(export.headers) else None)
    if len(complete) < len(rows):  # responses left before the end (no submission time): not read, not analysed
        rows, incomplete = complete, len(rows) - len(complete)
        columns = Columns(table, _drafted(export.rows, rows))
    else:
        incomplete = 0
    identifying = [i for i, h in enumerate(export.headers)
                   if i != timestamp and _is_identifying(h, columns.counts(i, keep=True))]
    ids, questions = Ids(), []
    occurrences = _occurrences(export.headers)
    # a column without a header nor an answer (an empty column a spreadsheet kept) is no question
    empty = {i for i, h in enumerate(export.headers) if not h.strip() and not columns.values(i)}
    metadata = {i for i, h in enumerate(export.headers) if normalise(h) in RESPONSE_METADATA}
    units = _units(export.headers, {timestamp, *identifying, *empty, *metadata} - {None})
    shared = SharedAnswers()
    for _stem, cols in units:
        if not cols[0][1]:
            shared.add(columns.counts(cols[0][0], keep=True))
    for stem, cols in units:
        if cols[0][1]:
            questions += _grid_guesses(stem, cols, columns, ids)
            continue
        index = cols[0][0]
        guess = Guess(ids.from_header(stem), "text", stem, [index], label=short_label(stem),
                      occurrence=occurrences[index])
        if guess.occurrence > 1:
            guess.label = f"{guess.label} ({guess.occurrence})"
            guess.notes.append(f"intitulé déjà porté par une colonne précédente de l'export : cette question est sa "
                               f"colonne n° {guess.occurrence} (`occurrence`) ; lui donner un `label` qui la distingue")
        counts = columns.counts(index)  # the column's answers, counted once for both readings
        infer_counts(guess, counts, shared)
        _typed_apart(guess, typed_apart.get(stem, frozenset()), counts)
        _note_answer_codes(guess)
        if guess.other:
            ids.reserve_other(guess.id)
        questions.append(guess)
    _infer_asked_if(columns, questions)
    _settle_date_orders(questions, columns.values(timestamp) if timestamp is not None else [])
    by_id = {q.id: q for q in questions}
    for number, guess in enumerate(questions, start=1):
        guess.number = number
        guess.required = _required(columns, guess, by_id)
        if guess.type == "checkbox":
            guess.denominator = "asked" if guess.required else "answered"
            guess.notes.append(
                "pourcentages " + ("de tous les répondants interrogés (`denominator: asked`) : chacun a coché une "
                                   "option" if guess.required else
                                   "de ceux qui ont coché au moins une option (`denominator: answered`) : la question "
                                   "était facultative ; `asked` compterait les autres comme « non »"))
    _note_branches(questions)
    notes = [] if timestamp is not None else ["no timestamp column recognised: submission dates will be empty"]
    address = next((i for i in identifying if is_address_column(export.headers[i], columns.counts(i, keep=True))),
                   None)
    resubmissions = None if address is None else \
        guess_resubmissions(export.headers, rows, columns.cells, address, {timestamp, *identifying, *empty} - {None})
    return StudyGuess(export.path, len(rows), export.headers[timestamp] if timestamp is not None else None,
                      [export.headers[i] for i in identifying], questions, notes, markers, resubmissions,
                      incomplete)


def _typed_apart(guess: Guess, typed: frozenset[str], counts: Counter) -> None:
    """A single choice whose « Autre » texts the export wrote in a column of their own (`Question[other]`): those
    texts are typed, however often one recurs (« PMI » typed by six doctors), and every other answer is an option
    (« Coordination régionale », capitals and all): the file says which is which, nothing is left to guess. A checkbox
    question keeps the options ticked and loses those typed (« Certificats », typed by three doctors in
    SurveyMonkey's « Other (please specify) » column)."""
    if guess.type == "checkbox" and typed:
        typed_here = [option for option in guess.options if option in typed]
        guess.options = [option for option in guess.options if option not in typed]
        guess.other = guess.other or _other_label(guess.options)
        guess.other_texts = sorted(set(guess.other_texts) | set(typed_here))
        guess.levels = [*[level for level in guess.levels if level in guess.options], guess.other]
        guess.notes = [note for note in guess.notes if not note.startswith(("semi-ouverte", "option(s) rarement"))]
        guess.notes.append(f"semi-ouverte : l'export écrit le texte saisi dans « {OTHER_LABEL} » dans une colonne à "
                           f"part ({_quote_list(guess.other_texts)})")
        return
    if guess.type != "single" or not typed:
        return
    options = [value for value in counts if value not in typed]
    ordered = natural_order(options, counts)
    guess.options = list(ordered.levels) if ordered.order != BY_FREQUENCY else _by_count(options, counts)
    guess.other = _other_label(guess.options)
    guess.other_texts = sorted(typed & set(counts))
    guess.levels = [*ordered.levels, guess.other]
    guess.order = ordered.order
    stale = ("semi-ouverte", "option(s) rarement") + (() if ordered.order == BY_FREQUENCY else (LEVELS_BY_FREQUENCY,))
    guess.notes = [note for note in guess.notes if not note.startswith(stale)]
    guess.notes.append(f"semi-ouverte : l'export écrit le texte saisi dans « {OTHER_LABEL} » dans une colonne à part "
                       f"({_quote_list(guess.other_texts)})")


def _complete_rows(rows: list, timestamp: int | None) -> list:
    """The rows with a submission time, when some rows have answers but none (`timestamp`: the column of a tool that
    stamps a response only when it is submitted, LimeSurvey's `submitdate`: the others were left before the end,
    else None); else all rows."""
    if timestamp is None:
        return rows
    complete = [row for row in rows if row[timestamp].strip()]
    return complete if complete else rows
