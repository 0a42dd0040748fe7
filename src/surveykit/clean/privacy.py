"""Masking of personal data in free text, in linear time.

The questionnaire is anonymous, but a respondent may still type a colleague's name, a phone
number or an address. The cleaning step masks every free-text value (open answers, "Autre" fields,
the values quoted in `excluded.csv` details and in the log) before anything is written, so no file
under results/ or manuscript/build/ ever holds them. Reports say what kind of value was found where,
never the value itself.

What is masked (the mask keeps the sentence readable: "le Dr [nom]", "au [téléphone]"):
- e-mail addresses;
- phone numbers: French (06 12 34 56 78, +33 (0)6…, 0033 6…) and international (+32 2 123 45 67);
- titled names: "Dr", "Docteur", "Pr", "Professeur", "M.", "Mme", "Mlle", "Monsieur", "Madame",
  "Mademoiselle", in any case, followed by a name (the title is kept): one or two capitalised words
  ("Dr Jean Dupont"), or a word in lower case that is not an ordinary word of a sentence ("dr lefebvre"), with
  the next word too when the first is a first name written in the same case ("dr martin lefebvre");
- a first name of the shipped list (privacy_data/prenoms.txt: about 300 common French first names) followed by a
  word that can be a surname, written in the same case ("martin lefebvre", "Martin Lefebvre", "Martin LEFEBVRE";
  not "Julien pense"); a first name alone is left (too many are also words), but never quoted;
- the names of a configurable list (config `privacy: {names: …}`), whole words, accent- and case-insensitive;
- RPPS (11 digits) and ADELI (9 digits) numbers of health professionals;
- NIR (French social security number, 13 digits and an optional 2-digit key, spaces allowed);
- postal addresses: a street number and a street type ("12 bis rue de la Paix"), and a postal
  code followed by a town ("59000 Lille").

Every pattern is anchored on a boundary (a lookbehind) and its repeated parts are bounded or
separated by characters they cannot contain, so scanning an answer costs time proportional to its
length: a 100 000-character answer is masked in milliseconds (see `make bench`).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.normalise import fold

EMAIL = "courriel"
PHONE = "téléphone"
NAME = "nom"
PROFESSIONAL_ID = "identifiant RPPS/ADELI"
NIR = "numéro de sécurité sociale"
ADDRESS = "adresse"
MASKS = {EMAIL: "[courriel]", PHONE: "[téléphone]", NAME: "[nom]", PROFESSIONAL_ID: "[identifiant]",
         NIR: "[NIR]", ADDRESS: "[adresse]"}
REPORT_COLUMNS = ["where", "respondent_id", "kind", "n"]
CACHE_SIZE = 1 << 16  # distinct texts whose masking is remembered (answers repeat across respondents)

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_CHAR = r"(?:[\w-]|['’](?=\w))"  # an apostrophe inside a name (O'Neil, d'Arc), not the quote closing it
_CAPITALISED = rf"[{_UPPER}]{_NAME_CHAR}*"
# Local part at most 64 characters (RFC 5321); a start only where the local part can start.
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])")
_FR_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
# +32 2 123 45 67, 0044 20 7946 0958, +1 (555) 123-4567: 9 to 15 digits with the country code (E.164).
_INTL_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\d)")
# A title in any case ("Dr", "dr", "DOCTEUR"; "M." only as written), then up to two words, judged in _titled_spans.
_TITLE_RE = re.compile(
    r"(?<!\w)(?P<title>(?i:docteur|dr\.?|professeur|pr\.?|monsieur|madame|mademoiselle|mlle\.?|mme\.?)|M\.)"
    rf"(?P<gap>\s{{1,3}})(?P<w1>[^\W\d_]{_NAME_CHAR}{{0,60}})(?:[ -](?P<w2>[^\W\d_]{_NAME_CHAR}{{0,60}}))?"
)
FIRST_NAMES_FILE = Path(__file__).with_name("privacy_data") / "prenoms.txt"
# Words that follow a title or a first name in an ordinary sentence, never a surname ("le docteur traitant",
# "dr qui", "Marie et moi"); folded (no accents, lower case).
NOT_NAMES_FILE = FIRST_NAMES_FILE.with_name("not_names.txt")
_NOT_A_NAME = frozenset(
    line.strip() for line in NOT_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))
_RPPS_ADELI_RE = re.compile(r"(?<![\w.,])(?:\d{11}|\d{9})(?![\w]|[.,]\d)")
_NIR_RE = re.compile(r"(?<![\w.,])[12][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[ABab])[ .]?\d{3}[ .]?\d{3}"
                     r"(?:[ .]?\d{2})?(?![\w]|[.,]\d)")
_STREET_TYPES = ("rue|avenue|av|boulevard|bd|bld|place|square|impasse|allée|allee|chemin|route|rte|quai|faubourg|fbg|"
                 "lotissement|résidence|residence|hameau|lieu-dit|rond-point|chaussée|chaussee|esplanade|parvis|"
                 "ruelle|venelle|sentier|promenade")
_PARTICLE = r"(?i:de|du|des|la|le|les|l'|l’|d'|d’|à|au|aux|saint|sainte|st|ste)"
_STREET_WORD = r"[\w'’-]{1,40}"
_ADDRESS_RE = re.compile(
    rf"(?<![\w,.])\d{{1,4}}(?:\s?(?i:bis|ter|quater|[abc])(?!\w))?,?\s{{1,3}}(?i:{_STREET_TYPES})\.?\s{{1,3}}"
    rf"(?:{_PARTICLE}(?:\s{{1,3}}|(?<=['’])))?(?:{_PARTICLE}(?:\s{{1,3}}|(?<=['’])))?"
    rf"{_STREET_WORD}(?:[ -]{_STREET_WORD})?"
    rf"(?:,?\s{{1,3}}\d{{5}}(?:\s{{1,3}}{_CAPITALISED}(?:[ -]{_CAPITALISED}){{0,3}})?)?"
)
_POSTCODE_TOWN_RE = re.compile(rf"(?<![\w.,])\d{{5}}\s{{1,3}}{_CAPITALISED}(?:[ -]{_CAPITALISED}){{0,3}}")
_WORD_RE = re.compile(r"\w+")
_NAME_GAP_RE = re.compile(r"[\s'’-]+")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _pattern_spans(text: str) -> list[Finding]:
    found = [Finding(EMAIL, m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    found += [Finding(PHONE, m.start(), m.end()) for m in _FR_PHONE_RE.finditer(text)]
    found += [Finding(PHONE, m.start(), m.end()) for m in _INTL_PHONE_RE.finditer(text)
              if 9 <= _digits(m.group()) - m.group().startswith("00") * 2 <= 15]
    found += _titled_spans(text)
    found += _first_name_spans(text)
    found += [Finding(NIR, m.start(), m.end()) for m in _NIR_RE.finditer(text)]
    found += [Finding(PROFESSIONAL_ID, m.start(), m.end()) for m in _RPPS_ADELI_RE.finditer(text)]
    found += [Finding(ADDRESS, m.start(), m.end()) for m in _ADDRESS_RE.finditer(text)]
    found += [Finding(ADDRESS, m.start(), m.end()) for m in _POSTCODE_TOWN_RE.finditer(text)]
    return found


@functools.cache
def first_names() -> frozenset[str]:
    """The shipped first names, folded, each part of a compound one too ("jean-pierre" gives jean, pierre)."""
    words: set[str] = set()
    for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.update(_WORD_RE.findall(fold(line)))
    return frozenset(words - _NOT_A_NAME)


def _can_be_surname(word: str) -> bool:
    folded = fold(word)
    return len(folded) >= 2 and folded not in _NOT_A_NAME and not any(c.isdigit() for c in word)


def _cased_alike(first: str, second: str) -> bool:
    """Two words written as one name is: both capitalised, both in lower case, or the second in capitals
    ("Martin Lefebvre", "martin lefebvre", "Martin LEFEBVRE"; not "Martin répond")."""
    return first[0].isupper() == second[0].isupper() or second.isupper()


def _titled_spans(text: str) -> list[Finding]:
    """A title then a name: capitalised words as before, or words in lower case that are not ordinary words."""
    found = []
    for m in _TITLE_RE.finditer(text):
        w1, w2 = m.group("w1"), m.group("w2")
        if not _can_be_surname(w1):
            continue
        capital = w1[0].isupper()
        is_first = fold(w1) in first_names()
        end = m.end("w1")
        if w2 and _can_be_surname(w2) and _cased_alike(w1, w2) and (is_first or capital):
            end = m.end("w2")
        found.append(Finding(NAME, m.start("w1"), end))
    return found


def _first_name_spans(text: str) -> list[Finding]:
    """A first name of the shipped list (or several, "jean-pierre") then a word that can be a surname."""
    names = first_names()
    words = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    found, index = [], 0
    while index < len(words):
        if fold(words[index][0]) not in names:
            index += 1
            continue
        last = index
        while last + 1 < len(words) and fold(words[last + 1][0]) in names and text[words[last][2]:words[last + 1][1]] == "-":
            last += 1
        after = last + 1
        if (after < len(words) and _NAME_GAP_RE.fullmatch(text[words[last][2]:words[after][1]])
                and "'" not in text[words[last][2]:words[after][1]] and "’" not in text[words[last][2]:words[after][1]]
                and _can_be_surname(words[after][0]) and _cased_alike(words[last][0], words[after][0])):
            found.append(Finding(NAME, words[index][1], words[after][2]))
            index = after + 1
        else:
            index = last + 1
    return found


class NameList:
    """Names to mask, matched as whole words whatever the accents, case and separators.

    Matching walks the words of the text once and looks each word up in a dictionary of the
    names' first words: linear in the text, whatever the length of the list."""

    def __init__(self, names: list[str] | tuple[str, ...] = ()):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            words = tuple(_WORD_RE.findall(fold(name)))
            if words:
                self.by_first.setdefault(words[0], []).append(words)
        for candidates in self.by_first.values():
            candidates.sort(key=len, reverse=True)  # longest name first: "Jean Dupont" before "Jean"

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def spans(self, text: str) -> list[Finding]:
        if not self.by_first:
            return []
        words = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
        folded = [fold(w) for w, _s, _e in words]
        found, index = [], 0
        while index < len(words):
            match = next((len(c) for c in self.by_first.get(folded[index], ())
                          if tuple(folded[index:index + len(c)]) == c and self._joined(text, words, index, len(c))),
                         0)
            if match:
                found.append(Finding(NAME, words[index][1], words[index + match - 1][2]))
                index += match
            else:
                index += 1
        return found

    @staticmethod
    def _joined(text: str, words: list, index: int, count: int) -> bool:
        """The words of a multi-word name are separated by spaces, hyphens or apostrophes only."""
        return all(_NAME_GAP_RE.fullmatch(text[words[i][2]:words[i + 1][1]])
                   for i in range(index, index + count - 1))


def _merge(found: list[Finding]) -> list[Finding]:
    """Overlapping findings become one masked span (of the kind of the longest), so nothing is left half-masked."""
    merged: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                kind = last.kind if last.end - last.start >= f.end - f.start else f.kind
                merged[-1] = Finding(kind, last.start, f.end)
            continue
        merged.append(f)
    return merged


class Masker:
    """Masks free text with the patterns above and a list of names; remembers each distinct text."""

    def __init__(self, names: list[str] | tuple[str, ...] = ()):
        self.names = NameList(names)
        self.mask = functools.lru_cache(maxsize=CACHE_SIZE)(self._mask)

    def _mask(self, text: str) -> tuple[str, tuple[str, ...]]:
        """(masked text, kinds found, one entry per value masked)."""
        if not text or not isinstance(text, str):
            return text, ()
        masked, findings = _apply(text, self.names)
        return masked, tuple(f.kind for f in findings)

    def text(self, text: str) -> str:
        return self.mask(text)[0]


def _apply(text: str, names: NameList) -> tuple[str, list[Finding]]:
    findings = _merge(_pattern_spans(text) + names.spans(text))
    if not findings:
        return text, []
    parts, last = [], 0
    for f in findings:
        parts += [text[last:f.start], MASKS[f.kind]]
        last = f.end
    parts.append(text[last:])
    return "".join(parts), findings


def mask_pii(text: str, names: list[str] | None = None) -> tuple[str, list[Finding]]:
    """Mask one text; returns the masked text and the findings (kind and span in the original text)."""
    if not text:
        return text, []
    return _apply(text, NameList(names or []))


_DIGIT_RE = re.compile(r"\d")


def has_personal_data(text: str) -> bool:
    """Whether `mask_pii` (without a list of names) finds anything to mask in the text. Every pattern but the
    titled and first names needs a digit or an « @ »: a text holding neither (most answers) is only looked at for
    names."""
    if not text:
        return False
    if "@" in text or _DIGIT_RE.search(text):
        return bool(_pattern_spans(text))
    return bool(_titled_spans(text) or _first_name_spans(text))


_DIGIT_RUN_RE = re.compile(r"\d(?:[\s.-]?\d){7,}")
_AT_RE = re.compile(r"\w@\w|\w\s?\[?(?:at|arobase)\]?\s?\w+\.(?:fr|com|net|org)\b", re.I)


def residual_personal_data(text: str, names: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What a text still holds that may identify someone, after masking: what masking would find again, an
    « @ » between words, a run of eight digits or more, or a capitalised first name of the shipped list (a first
    name alone is not masked: too many are also words). Empty when the text can be shown, e.g. quoted."""
    if not isinstance(text, str) or not text:
        return []
    kinds = [f.kind for f in _merge(_pattern_spans(text) + NameList(names).spans(text))]
    if _AT_RE.search(text):
        kinds.append(EMAIL)
    if _DIGIT_RUN_RE.search(text):
        kinds.append(PHONE)
    names_found = first_names()
    if any(w[0].isupper() and fold(w) in names_found for w in _WORD_RE.findall(text)):
        kinds.append(NAME)
    return sorted(set(kinds))


def read_names(path: str | Path | None) -> list[str]:
    """Names to mask: one per line; blank lines and lines starting with # are ignored."""
    if not path:
        return []
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; it is the list of names to mask (config: privacy: names:)") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                         "expected one name per line, saved in UTF-8") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def mask_frame(responses: pd.DataFrame, columns: list[str], names: list[str] | None = None,
               id_column: str = "respondent_id", masker: Masker | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mask the free-text `columns`; report (where, respondent_id, kind, n) without the values."""
    masker = masker or Masker(names or [])
    masked = responses.copy()
    report = []
    for column in columns:
        values = responses[column]
        found = {}  # distinct text -> (masked text, kinds): answers repeat, each is masked once
        for value in pd.unique(values):
            if isinstance(value, str) and value:
                new, kinds = masker.mask(value)
                if kinds:
                    found[value] = (new, kinds)
        if not found:
            continue
        hit = values.isin(list(found))
        masked[column] = values.where(~hit, values[hit].map(lambda v: found[v][0]))
        for rid, value in zip(responses.loc[hit, id_column], values[hit]):
            report += [(column, str(rid), kind, n) for kind, n in sorted(Counter(found[value][1]).items())]
    return masked, report_frame(report)


def report_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return frame.sort_values(["where", "respondent_id", "kind"], kind="stable").reset_index(drop=True)


def free_text_variables(book) -> list[str]:
    """Variables of a codebook that hold what respondents typed: open questions and "Autre" fields."""
    variables = [q.id for q in book.questions if q.type == "text"]
    return variables + [q.other_variable for q in book.questions if q.other_variable]


def mask_cleaned(result, book, masker: Masker, id_of_row) -> pd.DataFrame:
    """Mask a cleaning result in place, before anything is written; returns the report of what was masked.

    Masked: the free-text variables of the analysed responses, the details of excluded rows (they
    quote the cells), the log messages and the headers of ignored columns. `id_of_row(sheet_row)`
    gives the respondent id of an excluded row, so the report names it like an analysed one."""
    columns = [c for c in free_text_variables(book) if c in result.responses.columns]
    result.responses, report = mask_frame(result.responses, columns, masker=masker)
    rows = list(report.itertuples(index=False, name=None))
    details = []
    for sheet_row, detail in zip(result.excluded["sheet_row"], result.excluded["detail"]):
        masked, kinds = masker.mask(detail)
        details.append(masked)
        rows += [("excluded.csv detail", id_of_row(int(sheet_row)), kind, n) for kind, n in sorted(Counter(kinds).items())]
    result.excluded["detail"] = details
    result.messages = [masker.text(m) for m in result.messages]
    for key, headers in result.flow.get("columns", {}).items():
        result.flow["columns"][key] = [masker.text(h) for h in headers]
    return report_frame(rows)
