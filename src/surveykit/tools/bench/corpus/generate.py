"""A seeded Google Forms export and the truth it was generated from.

`generate(seed)` draws a questionnaire from surveykit.tools.bench.corpus.bank (8 to 22 questions of every type:
single choice nominal or ordered, checkbox, linear scale, number, year, date, free text, open question whose
answers recur, rating, ranking and categorical grids; French or English), a number of respondents and their
answers, as Google Forms writes them:

- the header row starts with « Horodateur » (French form) or "Timestamp" (English form); sometimes the
  respondent's e-mail follows (« Adresse e-mail », a form that collects addresses);
- a checkbox cell lists the ticked options in the form's order joined with ", " (options may contain a
  comma); the text typed in « Autre » is written as itself, last in the cell;
- a grid is one column per row, `Question [Row]`;
- an optional question left blank, and a question the form skipped (branching), is an empty cell;
- free text is typed: recurring answers vary in case and punctuation (« LE TEMPS », « le temps »), and some
  answers carry personal data (e-mails, French phone numbers, « Dr Martin Lefebvre », « dr martin lefebvre »,
  bare « martin lefebvre », RPPS numbers), in open questions and in « Autre »;
- timestamps in the owner's locale, with or without a time zone (« 2024/03/05 9:14:02 PM UTC+1 », "GMT+1",
  day-first or month-first).

The file is written as the Forms CSV download (UTF-8, `,`), as Google Sheets' XLSX download (timestamps,
numbers and dates as typed cells), or as French Excel re-saves a CSV (`;`, Windows-1252 or UTF-8 with BOM,
decimal commas, timestamps without seconds). Same seed, same bytes.

The truth (`Generated.truth`) is written in the shape of a drafted codebook.yaml (see
surveykit.tools.bench.corpus.compare): per question its type, options (those that occur in the data, in the
form's order), levels in their natural order for ordered answers (None: no natural order), scale bounds,
grid items, the denominator of a checkbox question (`answered` when optional, `asked` when required), the
skip logic; plus every personal string planted.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from . import bank

FORMATS = ("forms_csv", "sheets_xlsx", "excel_csv")
OTHER_FR, OTHER_EN = "Autre", "Other"


@dataclass
class Question:
    kind: str  # single, checkbox, scale, number, date, text, grid_scale, grid_rank, grid_choice
    header: str
    required: bool
    options: list[str] = field(default_factory=list)  # in the form's order (low to high when ordered)
    ordered: bool = False
    non_substantive: list[str] = field(default_factory=list)
    other: bool = False
    min: int | None = None
    max: int | None = None
    rows: list[str] = field(default_factory=list)
    decimals: int = 0
    detail: str = ""  # e.g. "year", "frequency", "recurring open"
    asked_if: tuple[str, str] | None = None
    pool: list[str] = field(default_factory=list)  # recurring open answers
    cells: list = field(default_factory=list)  # one entry per respondent (a list per respondent for grids)
    other_texts: list[str] = field(default_factory=list)


@dataclass
class Generated:
    seed: int
    language: str
    format: str
    encoding: str
    headers: list[str]
    rows: list[list]  # typed cells: str, int, float, dt.datetime, dt.date or "" (blank)
    truth: dict
    pii: list[str]

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.format == "sheets_xlsx" else ".csv"


# ------------------------------------------------------------------------------------ personal data

class Pii:
    """Personal strings planted in typed text; each planted value recorded (a surname, an e-mail…)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.planted: list[str] = []

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(bank.FIRST_NAMES), self.rng.choice(bank.LAST_NAMES)

    def email(self, first: str, last: str) -> str:
        domain = self.rng.choice(["gmail.com", "orange.fr", "wanadoo.fr", "medecin.mssante.fr", "free.fr"])
        local = f"{_ascii(first)}.{_ascii(last)}".lower() if self.rng.random() < 0.7 else \
            f"dr.{_ascii(last).lower()}{self.rng.randint(1, 99)}"
        return f"{local}@{domain}"

    def phone(self) -> str:
        digits = [f"{self.rng.randint(0, 99):02d}" for _ in range(4)]
        lead = self.rng.choice(["06", "07", "01", "03", "02"])
        style = self.rng.randrange(4)
        if style == 0:
            return " ".join([lead, *digits])
        if style == 1:
            return ".".join([lead, *digits])
        if style == 2:
            return lead + "".join(digits)
        return f"+33 {lead[1]} " + " ".join(digits)

    def sentence(self, language: str) -> str:
        first, last = self._person()
        title = self.rng.choice(["Dr", "Docteur", "Mme", "Pr"]) if language == "fr" else self.rng.choice(["Dr", "Mrs"])
        values = {"first": first, "last": last, "first_low": first.lower(), "last_low": last.lower(),
                  "title": title, "title_low": title.lower(), "email": self.email(first, last), "phone": self.phone(),
                  "rpps": "10" + "".join(str(self.rng.randint(0, 9)) for _ in range(9))}
        template = self.rng.choice(bank.PII_TEMPLATES_FR if language == "fr" else bank.PII_TEMPLATES_EN)
        for key in re.findall(r"\{(\w+)\}", template):
            if key in ("last", "last_low"):
                self.planted.append(values[key])  # as written: « Lefebvre » or « lefebvre »
            elif key in ("email", "phone", "rpps"):
                self.planted.append(values[key])
        return template.format(**values)


def _ascii(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------- answers

def _weights(rng: random.Random, n: int, skew: float = 1.0) -> list[float]:
    return [rng.random() ** skew + 0.02 for _ in range(n)]


def _free_text(rng: random.Random, language: str, pii: Pii, used: set[str]) -> str:
    """One typed answer: mostly unique sentences, some short recurring ones, some with personal data."""
    draw = rng.random()
    if draw < 0.06:
        return pii.sentence(language)
    if draw < 0.2:
        text = rng.choice(bank.SHORT_RECURRING[language])
        return _case_variant(rng, text)
    fragments = bank.FRAGMENTS_FR if language == "fr" else bank.FRAGMENTS_EN
    templates = bank.TEMPLATES_FR if language == "fr" else bank.TEMPLATES_EN
    for _attempt in range(6):
        a, b, c = rng.sample(fragments, 3)
        text = rng.choice(templates).format(A=a[0].upper() + a[1:], a=a, b=b, c=c)
        if text not in used:
            break
    used.add(text)
    return _case_variant(rng, text, 0.1)


def _case_variant(rng: random.Random, text: str, share: float = 0.3) -> str:
    draw = rng.random()
    if draw < share / 3:
        return text.upper()
    if draw < 2 * share / 3:
        return text.lower()
    if draw < share:
        return text + rng.choice([".", " ", "!"])
    return text


# ------------------------------------------------------------------------------------ questionnaire

class Draw:
    """Draws questions of the bank without repeating a header."""

    def __init__(self, rng: random.Random, language: str):
        self.rng, self.language, self.used = rng, language, set()

    def pick(self, table: dict, key=lambda entry: entry if isinstance(entry, str) else entry[0]):
        entries = [e for e in table[self.language] if key(e) not in self.used]
        if not entries:
            return None
        entry = self.rng.choice(entries)
        self.used.add(key(entry))
        return entry


def _scale_question(rng: random.Random, header: str, keys: list[str], required: bool, kind: str = "single") -> Question:
    vocabulary, _language, levels, extra = bank.SCALES[rng.choice(keys)]
    non_substantive = extra if extra and rng.random() < 0.5 else []
    return Question(kind, header, required, options=list(levels), ordered=True, non_substantive=list(non_substantive),
                    detail=vocabulary)


def _with_options(rng: random.Random, entry: tuple | None, kind: str, required: bool, other_share: float,
                  detail: str) -> Question | None:
    """A choice question from a bank entry (header, options, whether the form may offer « Autre »): « Autre »
    offered with probability `other_share` where the bank allows it; None when the bank is exhausted."""
    if entry is None:
        return None
    header, options, other = entry
    return Question(kind, header, required, options=list(options), other=other and rng.random() < other_share,
                    detail=detail)


def _make_question(rng: random.Random, draw: Draw, kind: str) -> Question | None:
    language = draw.language
    required = rng.random() < 0.6
    if kind == "nominal":
        return _with_options(rng, draw.pick(bank.NOMINAL), "single", required, other_share=0.7, detail="nominal")
    if kind == "classes":
        entry = draw.pick(bank.CLASSES)
        return entry and Question("single", entry[0], required, options=list(entry[1]), ordered=True, detail="classes")
    if kind == "yesno":
        header = draw.pick(bank.YES_NO_QUESTIONS)
        if header is None:
            return None
        question = _scale_question(rng, header, ["yesno_fr" if language == "fr" else "yesno_en"], required)
        if language == "fr" and rng.random() < 0.2:
            question.options.append("Insuffisamment")  # « Avez-vous été formé(e) ? Oui / Non / Insuffisamment »
        return question
    if kind == "ordinal":
        entry = draw.pick(bank.SCALE_QUESTIONS)
        return entry and _scale_question(rng, entry[0], entry[1], required)
    if kind == "checkbox":
        return _with_options(rng, draw.pick(bank.CHECKBOXES), "checkbox", required, other_share=0.6,
                             detail="checkbox")
    if kind == "scale":
        entry = draw.pick(bank.LINEAR)
        return entry and Question("scale", entry[0], required, min=entry[1], max=entry[2], detail="linear scale")
    if kind == "number":
        entry = draw.pick(bank.NUMBERS)
        return entry and Question("number", entry[0], required, min=entry[1], max=entry[2], decimals=entry[3],
                                  detail="number")
    if kind == "year":
        header = draw.pick(bank.YEARS)
        return header and Question("number", header, required, min=1975, max=2024, detail="year")
    if kind == "date":
        header = draw.pick(bank.DATES)
        return header and Question("date", header, required, detail="date")
    if kind == "text":
        header = draw.pick(bank.OPEN_QUESTIONS)
        return header and Question("text", header, False, detail="free text")
    if kind == "recurring_open":
        entry = draw.pick(bank.RECURRING_OPEN)
        return entry and Question("text", entry[0], False, pool=list(entry[1]), detail="recurring open")
    if kind == "grid_scale":
        entry = draw.pick(bank.RATING_GRIDS)
        if entry is None:
            return None
        header, low, high, rows = entry
        rows = rows[: rng.randint(3, len(rows))]
        return Question("grid_scale", header, required, min=low, max=high, rows=list(rows), detail="rating grid")
    if kind == "grid_rank":
        entry = draw.pick(bank.RANK_GRIDS)
        return entry and Question("grid_rank", entry[0], True, min=1, max=len(entry[1]), rows=list(entry[1]),
                                  detail="ranking grid")
    if kind == "grid_choice":
        entry = draw.pick(bank.CHOICE_GRIDS)
        if entry is None:
            return None
        header, keys, rows = entry
        question = _scale_question(rng, header, keys, required, kind="grid_choice")
        question.rows = rows[: rng.randint(3, len(rows))]
        return question
    raise ValueError(kind)


KINDS = ["nominal", "classes", "yesno", "ordinal", "checkbox", "scale", "number", "year", "date", "text",
         "recurring_open", "grid_scale", "grid_rank", "grid_choice"]
WEIGHTS = [4, 2, 2, 4, 3, 2, 1.5, 1, 0.7, 2, 1, 1, 0.5, 1.5]


def questionnaire(rng: random.Random, language: str) -> list[Question]:
    """8 to 22 questions; sometimes a gate (« Pratiquez-vous la télé-expertise ? ») opening 1 to 3 questions.
    A few questionnaires have an unusual shape a study must still build with: only open questions, a single
    closed question, or an optional question nobody answered."""
    draw = Draw(rng, language)
    shape = rng.random()
    if shape < 0.02:  # only open questions
        return [q for q in (_make_question(rng, draw, "text") for _ in range(rng.randint(1, 3))) if q]
    if shape < 0.04:  # a single closed question
        return [_make_question(rng, draw, rng.choice(["nominal", "ordinal", "yesno"]))]
    questions: list[Question] = []
    if shape < 0.07:
        nobody = _make_question(rng, draw, rng.choice(["text", "nominal"]))
        nobody.required, nobody.detail = False, "never answered"
        questions.append(nobody)
    target = rng.randint(8, 22)
    attempts = 0
    while len(questions) < target and attempts < 200:
        attempts += 1
        question = _make_question(rng, draw, rng.choices(KINDS, WEIGHTS)[0])
        if question is not None:
            questions.append(question)
    if rng.random() < 0.5:
        gate_header, yes = bank.GATES[language]
        gate = Question("single", gate_header, True, options=[yes, "Non" if language == "fr" else "No"], ordered=True,
                        detail="yes/no gate")
        at = rng.randint(0, max(0, len(questions) - 4))
        follow = [q for q in questions[at:at + rng.randint(1, 3)] if q.kind != "grid_rank"]
        for question in follow:
            question.asked_if = (gate_header, yes)
        questions.insert(at, gate)
    return questions


def _answer(rng: random.Random, question: Question, language: str, pii: Pii, used: set[str], weights: list[float]):
    kind = question.kind
    if kind == "single":
        levels = question.options + question.non_substantive
        if question.other and rng.random() < 0.08:
            return _other_text(rng, language, pii)
        return rng.choices(levels, weights)[0]
    if kind == "checkbox":
        ticked = [o for o, w in zip(question.options, weights) if rng.random() < w * 0.7]
        if not ticked:
            ticked = [rng.choices(question.options, weights)[0]]
        if question.other and rng.random() < 0.1:
            ticked.append(_other_text(rng, language, pii))
        return ", ".join(ticked)
    if kind == "scale":
        span = question.max - question.min
        centre = question.min + span * weights[0] / 1.02
        value = round(rng.gauss(centre, span / 4))
        return max(question.min, min(question.max, value))
    if kind == "number":
        if question.detail == "year":
            return rng.randint(1978, 2024)
        value = rng.uniform(question.min, question.max)
        return round(value, 1) if question.decimals else int(value)
    if kind == "date":
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1700))
    if kind == "text":
        if question.pool:
            return rng.choices(question.pool, [1 / (k + 1) for k in range(len(question.pool))])[0] \
                if rng.random() < 0.85 else _free_text(rng, language, pii, used)
        return _free_text(rng, language, pii, used)
    if kind == "grid_scale":
        return [rng.randint(question.min, question.max) if question.required or rng.random() < 0.95 else ""
                for _ in question.rows]
    if kind == "grid_rank":
        ranks = list(range(1, len(question.rows) + 1))
        rng.shuffle(ranks)
        return ranks
    if kind == "grid_choice":
        levels = question.options + question.non_substantive
        return [rng.choices(levels, weights)[0] if question.required or rng.random() < 0.95 else ""
                for _ in question.rows]
    raise ValueError(kind)


def _other_text(rng: random.Random, language: str, pii: Pii) -> str:
    """Text typed in « Autre »: a few recurring answers (« PMI »), mostly answers of one's own, some personal."""
    draw = rng.random()
    if draw < 0.2:
        return pii.sentence(language)
    if draw < 0.5:
        return rng.choice(bank.OTHER_TEXTS[language])
    fragment = rng.choice(bank.FRAGMENTS_FR if language == "fr" else bank.FRAGMENTS_EN)
    place = rng.choice(bank.PLACES)
    return rng.choice(bank.OTHER_TEMPLATES[language]).format(a=fragment, A=fragment[0].upper() + fragment[1:], p=place)


def _blank(question: Question) -> object:
    return [""] * len(question.rows) if question.rows else ""


# ---------------------------------------------------------------------------------------- timestamps

def _timestamps(rng: random.Random, n: int, language: str, fmt: str) -> tuple[list, str]:
    start = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1439))
    moments, moment = [], start
    for _ in range(n):
        moment += dt.timedelta(seconds=rng.randint(60, 3 * 86400 * 30 // max(n, 1)))
        moments.append(moment)
    if fmt == "sheets_xlsx":
        return moments, "datetime cell"
    if fmt == "excel_csv":
        return [m.strftime("%d/%m/%Y %H:%M") for m in moments], "day-first, no seconds"
    style = rng.choice(["fr", "en_zone", "year_zone", "year_zone_24"]) if language == "fr" else \
        rng.choice(["en", "en_zone", "year_zone"])
    zone = rng.choice(["UTC+1", "GMT+1", "UTC+2", "GMT+2", "UTC"])

    def twelve(m: dt.datetime) -> str:
        return f"{(m.hour % 12) or 12}:{m:%M:%S} {'PM' if m.hour >= 12 else 'AM'}"

    if style == "fr":
        return [m.strftime("%d/%m/%Y %H:%M:%S") for m in moments], "day-first"
    if style == "en":
        return [f"{m.month}/{m.day}/{m.year} {m:%H:%M:%S}" for m in moments], "month-first"
    if style == "en_zone":
        return [f"{m.month}/{m.day}/{m.year} {twelve(m)} {zone}" for m in moments], f"month-first, 12 h, {zone}"
    if style == "year_zone":
        return [f"{m:%Y/%m/%d} {twelve(m)} {zone}" for m in moments], f"year-first, 12 h, {zone}"
    return [f"{m:%Y/%m/%d %H:%M:%S} {zone}" for m in moments], f"year-first, {zone}"


# ---------------------------------------------------------------------------------------------- truth

def _occurring(values: list[str], question: Question) -> tuple[list[str], list[str], list[str]]:
    """(form options that occur, non-substantive levels that occur, texts typed in « Autre »)."""
    seen: set[str] = set()
    others: list[str] = []
    known = set(question.options) | set(question.non_substantive)
    for value in values:
        if not value:
            continue
        parts = _checkbox_parts(value, question) if question.kind == "checkbox" else [value]
        for part in parts:
            if part in known:
                seen.add(part)
            elif part not in others:
                others.append(part)
    return ([o for o in question.options if o in seen], [o for o in question.non_substantive if o in seen], others)


def _checkbox_parts(cell: str, question: Question) -> list[str]:
    """The options of a checkbox cell (known options matched first: they may contain ", ")."""
    parts, rest = [], cell
    while rest:
        option = next((o for o in sorted(question.options, key=len, reverse=True)
                       if rest == o or rest.startswith(o + ", ")), None)
        if option is None:  # the text typed in « Autre » is last
            parts.append(rest)
            break
        parts.append(option)
        rest = rest[len(option) + 2:]
    return parts


def _truth_question(question: Question, language: str) -> dict:
    entry: dict = {"header": question.header, "type": question.kind, "required": question.required,
                   "detail": question.detail}
    if question.asked_if:
        entry["asked_if"] = {question.asked_if[0]: question.asked_if[1]}
    if question.kind in ("single", "checkbox", "grid_choice"):
        values = [v for cell in question.cells for v in (cell if isinstance(cell, list) else [cell])]
        options, non_substantive, others = _occurring(values, question)
        entry["options"] = [{"raw": o, "label": o} for o in options + non_substantive]
        entry["levels"] = options + non_substantive if question.ordered else None
        if others:
            entry["other"] = {"label": OTHER_FR if language == "fr" else OTHER_EN, "texts": others}
        if question.kind == "checkbox":
            entry["denominator"] = "asked" if question.required else "answered"
    if question.kind in ("scale", "grid_scale", "grid_rank"):
        entry["min"], entry["max"] = question.min, question.max
    if question.rows:
        entry["items"] = [{"row": row, "label": row} for row in question.rows]
    return entry


# -------------------------------------------------------------------------------------------- export

def generate(seed: int) -> Generated:
    """One export and its truth, all drawn from `seed`."""
    rng = random.Random(seed)
    language = "fr" if rng.random() < 0.8 else "en"
    fmt = rng.choices(FORMATS, [0.5, 0.25, 0.25])[0]
    encoding = "utf-8" if fmt != "excel_csv" else rng.choice(["cp1252", "utf-8-sig"])
    questions = questionnaire(rng, language)
    n = rng.randint(25, 220)
    pii = Pii(rng)
    used: set[str] = set()
    gates: dict[str, Question] = {q.header: q for q in questions}
    for question in questions:
        weights = _weights(rng, max(1, len(question.options) + len(question.non_substantive)), rng.choice([0.5, 1, 2]))
        if question.non_substantive:  # « Ne sait pas » is a minority answer
            for k in range(len(question.options), len(weights)):
                weights[k] *= 0.3
        blank_share = 0 if question.required else rng.choice([0.03, 0.1, 0.25])
        if question.kind == "text":
            blank_share = rng.choice([0.2, 0.4, 0.6])
        if question.detail == "never answered":
            blank_share = 1.0
        for row in range(n):
            asked = True
            if question.asked_if:
                gate = gates[question.asked_if[0]]
                asked = gate.cells[row] == question.asked_if[1]
            if not asked or rng.random() < blank_share:
                question.cells.append(_blank(question))
            else:
                question.cells.append(_answer(rng, question, language, pii, used, weights))
    timestamps, stamp_style = _timestamps(rng, n, language, fmt)
    timestamp_header = "Horodateur" if language == "fr" else "Timestamp"
    headers = [timestamp_header]
    emails = None
    if rng.random() < 0.2:
        headers.append("Adresse e-mail" if language == "fr" else "Email Address")
        emails = []
        for _ in range(n):
            first, last = rng.choice(bank.FIRST_NAMES), rng.choice(bank.LAST_NAMES)
            emails.append(pii.email(first, last))
            pii.planted.append(emails[-1])
    for question in questions:
        headers += [f"{question.header} [{row}]" for row in question.rows] if question.rows else [question.header]
    rows = []
    for r in range(n):
        row = [timestamps[r]] + ([emails[r]] if emails else [])
        for question in questions:
            cell = question.cells[r]
            row += cell if question.rows else [cell]
        rows.append(row)
    truth = {
        "seed": seed, "language": language, "format": fmt, "encoding": encoding, "respondents": n,
        "timestamp": {"header": timestamp_header, "style": stamp_style},
        "identifying": headers[1:2] if emails else [],
        "questions": [_truth_question(q, language) for q in questions],
        "pii": sorted(set(pii.planted)),
    }
    return Generated(seed, language, fmt, encoding, headers, rows, truth, truth["pii"])
