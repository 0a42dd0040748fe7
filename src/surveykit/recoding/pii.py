"""Masking of personal data in free text: e-mail addresses, phone numbers, person names.

The questionnaire is anonymous, but a respondent may still type a colleague's
name or a phone number. Masking runs before coding, so decisions files, coding
sheets and outputs never hold these values. Reports say what kind of value was
found where (question, respondent), never the value itself.

Names are found two ways: a title ("Dr", "Docteur", "Pr", "Professeur", "M.",
"Mme", "Mlle", "Monsieur", "Madame") followed by one or two capitalised words
(the title is kept: "le Dr [nom]"), and a configurable list of names matched as
whole words, accent- and case-insensitively.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .normalize import fold

EMAIL = "courriel"
PHONE = "téléphone"
NAME = "nom"
MASKS = {EMAIL: "[courriel]", PHONE: "[téléphone]", NAME: "[nom]"}
REPORT_COLUMNS = ["question", "respondent_id", "kind", "n"]

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12..., 0033 6 ...
_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_TITLE_RE = re.compile(
    r"\b(?P<title>Docteur|Dr\.?|Professeur|Pr\.?|Monsieur|Madame|Mademoiselle|Mlle\.?|Mme\.?|M\.)"
    rf"(?P<gap>\s+)(?P<name>{_CAPITALISED}(?:[ -]{_CAPITALISED})?)"
)


@dataclass(frozen=True)
class PiiFinding:
    kind: str
    start: int
    end: int


def _folded_with_index(text: str) -> tuple[str, list[int]]:
    """Accent-free lower-case text and, per folded character, its index in `text`."""
    chars, index = [], []
    for i, char in enumerate(text):
        folded = fold(char)
        chars.append(folded)
        index += [i] * len(folded)
    return "".join(chars), index


def _list_name_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    folded, index = _folded_with_index(text)
    spans = []
    for name in names:
        target = fold(name.strip())
        if not target:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(target)}(?!\w)", folded):
            spans.append((index[match.start()], index[match.end() - 1] + 1))
    return spans


def _spans(text: str, names: list[str]) -> list[PiiFinding]:
    found = [PiiFinding(EMAIL, m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    found += [PiiFinding(PHONE, m.start(), m.end()) for m in _PHONE_RE.finditer(text)]
    found += [PiiFinding(NAME, m.start("name"), m.end("name")) for m in _TITLE_RE.finditer(text)]
    found += [PiiFinding(NAME, s, e) for s, e in _list_name_spans(text, names)]
    kept: list[PiiFinding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or f.start >= kept[-1].end:  # drop spans inside a longer one (e-mail digits, name in e-mail)
            kept.append(f)
    return kept


def mask_pii(text: str, names: list[str] | None = None) -> tuple[str, list[PiiFinding]]:
    """Replace e-mails, phone numbers and names by "[courriel]", "[téléphone]", "[nom]".

    Returns the masked text and the findings (kind and span in the original text)."""
    if not text:
        return text, []
    findings = _spans(text, names or [])
    masked, last = [], 0
    for f in findings:
        masked += [text[last:f.start], MASKS[f.kind]]
        last = f.end
    masked.append(text[last:])
    return "".join(masked), findings


def mask_frame(responses: pd.DataFrame, columns: list[str], names: list[str] | None = None,
               id_column: str = "respondent_id") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mask the free-text `columns`; report (question, respondent_id, kind, n), without the values."""
    masked = responses.copy()
    report = []
    for column in columns:
        values = []
        distinct: dict[str, tuple[str, list[PiiFinding]]] = {}  # answers repeat: mask each text once
        for rid, value in zip(responses[id_column], responses[column]):
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            if text not in distinct:
                distinct[text] = mask_pii(text, names)
            new, findings = distinct[text]
            values.append(new if findings else value)
            for kind in sorted({f.kind for f in findings}):
                report.append((column, str(rid), kind, sum(f.kind == kind for f in findings)))
        masked[column] = values
    frame = pd.DataFrame(report, columns=REPORT_COLUMNS)
    return masked, frame.sort_values(["question", "respondent_id", "kind"], kind="stable").reset_index(drop=True)
