"""Coding decisions: data/studies/<study>/coding/<wave>/<coder>.csv, written by a human coder.

One row decides the categories of one distinct answer of one question:
    question, answer_hash, answer, categories, coder, rationale
`categories` holds ";"-separated category ids; a row whose `categories` is empty
is not decided yet and is ignored. Extra columns (the coding sheet's
suggestions) are ignored. Files saved by a French Excel (";" as field
separator, UTF-8 with BOM, or Windows-1252 when saved as « CSV (séparateur : point-virgule) ») are
read as well, and so is the XLSX coding sheet saved as CSV: its French headers (FRENCH_HEADERS) stand
for these columns.

The pipeline never replaces a coder's file: a filled coding sheet is merged into it (`merge_into`),
a changed decision keeps its previous value in the `history` column, and the file is written
atomically (surveykit.core.io.atomic_path) with its cells guarded against formula evaluation (csvsafe).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from surveykit.core import csvsafe
from surveykit.core.errors import InputError
from surveykit.core.io import atomic_path

from .codebook import Codebook
from .normalize import HASH_PATTERN, answer_hash

COLUMNS = ["question", "answer_hash", "answer", "categories", "coder", "rationale"]
CITATION_COLUMN = "citation"  # optional: « oui » (quote it first) or « non » (never quote it) in the chapter
CITATION_VALUES = ("", "oui", "non")
HISTORY_COLUMN = "history"  # earlier decisions of the answer, oldest first, written when a sheet changes one
HISTORY_SEPARATOR = " | "
SEPARATOR = ";"
# Headers of the French coding sheet (recoding.sheet) for the columns of a decisions file and its helpers.
FRENCH_HEADERS = {
    "question": "question", "answer": "réponse", "categories": "catégories", "coder": "codeur",
    "rationale": "justification", "answer_hash": "empreinte de la réponse",
    "suggested_categories": "catégories suggérées", "suggestion_sources": "origine des suggestions",
    "allowed_categories": "catégories possibles",
}
_FROM_FRENCH = {french: name for name, french in FRENCH_HEADERS.items()}


def canonical_header(header: str) -> str:
    """The decisions-file name of a column header, French (coding sheet) or not."""
    header = header.strip()
    return _FROM_FRENCH.get(header, header)


class DecisionError(InputError):
    """A decisions file is invalid; `problems` lists every problem (file, line, value)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in coding decisions:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Decision:
    question: str
    answer_hash: str
    answer: str
    categories: tuple[str, ...]
    coder: str
    rationale: str
    file: str = ""
    line: int = 0
    citation: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.question, self.answer_hash)

    @property
    def where(self) -> str:
        return f"{self.file}, line {self.line}"


def split_categories(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(SEPARATOR) if part.strip())


def _sniff_delimiter(header_line: str) -> str:
    """French Excel saves CSV with ';'; our files use ','."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
SAVE_AS_UTF8 = ("save it again from the spreadsheet as « CSV UTF-8 (délimité par des virgules) » "
                "(Excel: Fichier > Enregistrer sous > Type)")


def read_text(path: Path) -> str:
    """A decisions file's text: UTF-8 (with or without BOM), or Windows-1252 as a French Excel saves a CSV.

    A file mixing both (some accents in UTF-8, a byte that is not) is refused, naming the line: reading
    it either way would change answers, whose hashes would no longer match."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a CSV file of coding decisions") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; give yourself the right to read this file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where = f"{path}, line {line}: byte {data[exc.start]:#04x} is not UTF-8"
        if _UTF8_SEQUENCE.search(data):
            raise InputError(f"{where}, while other accents of the file are: the file mixes two encodings; "
                             f"{SAVE_AS_UTF8}") from None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"{where} nor Windows-1252; {SAVE_AS_UTF8}") from None


def _records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number of the record's first line, row) pairs; header is line 1.

    Cells the pipeline guarded against formula evaluation (`'=1+1`) are read back as typed (`=1+1`)."""
    return _table(path)[1]


def _table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        header = [canonical_header(csvsafe.restore_written(h)) for h in header] if header is not None else None
        missing = [c for c in COLUMNS if header is None or c not in header]
        if missing:
            raise InputError(f"{path}, line 1: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        rows = []
        start = reader.line_num + 1
        for values in reader:
            if any(v.strip() for v in values):
                padded = [csvsafe.restore_written(v) for v in values] + [""] * (len(header) - len(values))
                rows.append((start, dict(zip(header, padded))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: not a readable CSV ({exc}); {SAVE_AS_UTF8}") from None
    return header, rows


def check_categories(book: Codebook, categories: tuple[str, ...], where: str,
                     allow_retired: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """Resolve merged ids and check ids and exclusivity; return (resolved ids, problems).

    Retired ids are an error in the current wave; in an earlier wave
    (`allow_retired`) they are kept so that carrying the decision forward can
    flag it for review."""
    problems = []
    resolved: list[str] = []
    for cid in categories:
        if not book.has(cid):
            allowed = ", ".join(c.id for c in book.active_categories)
            problems.append(f"{where}: unknown category {cid!r} for question {book.question!r} (allowed: {allowed})")
        elif book.category(cid).status == "retired" and not allow_retired:
            problems.append(f"{where}: category {cid!r} of question {book.question!r} is retired")
        elif book.category(cid).status == "retired":
            resolved += [cid] if cid not in resolved else []
        elif book.resolve(cid) not in resolved:
            resolved.append(book.resolve(cid))
    exclusive = [cid for cid in resolved if book.is_exclusive(cid)]
    if exclusive and len(resolved) > 1:
        problems.append(f"{where}: exclusive category {exclusive[0]!r} combined with other categories "
                        f"({SEPARATOR.join(categories)!r})")
    ordered = tuple(sorted(resolved, key=book.position))
    return ordered, problems


def _parse_row(row: dict[str, str], path: Path, line: int, codebooks: dict[str, Codebook],
               allow_retired: bool) -> tuple[Decision | None, list[str]]:
    where = f"{path}, line {line}"
    question, digest = row["question"].strip(), row["answer_hash"].strip().lower()
    categories = split_categories(row["categories"])
    if not categories:
        return None, []
    if question not in codebooks:
        return None, [f"{where}: unknown question {question!r} (codebooks: {', '.join(codebooks)})"]
    problems = []
    if not HASH_PATTERN.match(digest):
        problems.append(f"{where}: answer_hash {row['answer_hash']!r} is not 12 hexadecimal characters")
    elif answer_hash(row["answer"]) != digest:
        problems.append(f"{where}: answer_hash {digest!r} does not match the answer text {row['answer']!r} "
                        f"(its hash is {answer_hash(row['answer'])!r}); was the answer edited?")
    if not row["coder"].strip():
        problems.append(f"{where}: empty coder")
    resolved, category_problems = check_categories(codebooks[question], categories, where, allow_retired)
    problems += category_problems
    citation = (row.get(CITATION_COLUMN) or "").strip().lower()
    if citation not in CITATION_VALUES:
        problems.append(f"{where}: {CITATION_COLUMN} {row[CITATION_COLUMN]!r}; expected « oui », « non » or empty")
    decision = Decision(question, digest, row["answer"], resolved, row["coder"].strip(), row["rationale"].strip(),
                        str(path), line, citation)
    return (None if problems else decision), problems


def read_decisions(path: str | Path, codebooks: dict[str, Codebook], allow_retired: bool = False) -> list[Decision]:
    """Read and check one decisions file; every problem is reported at once (DecisionError).

    Use `allow_retired=True` for the files of earlier waves, coded with an older codebook."""
    path = Path(path)
    decisions: list[Decision] = []
    problems: list[str] = []
    first_line: dict[tuple[str, str], int] = {}
    for line, row in _records(path):
        decision, row_problems = _parse_row(row, path, line, codebooks, allow_retired)
        problems += row_problems
        if decision is None:
            continue
        if decision.key in first_line:
            problems.append(f"{decision.where}: answer {decision.answer_hash!r} of question "
                            f"{decision.question!r} is already decided at line {first_line[decision.key]}")
            continue
        first_line[decision.key] = line
        decisions.append(decision)
    if problems:
        raise DecisionError(problems)
    return decisions


def read_decision_files(paths: list[str | Path], codebooks: dict[str, Codebook],
                        allow_retired: bool = False) -> list[Decision]:
    """Decisions of several files (e.g. the answers split between coders); a key decided twice is an error."""
    decisions: list[Decision] = []
    seen: dict[tuple[str, str], Decision] = {}
    problems: list[str] = []
    for path in paths:
        for decision in read_decisions(path, codebooks, allow_retired):
            if decision.key in seen:
                problems.append(f"{decision.where}: answer {decision.answer_hash!r} of question "
                                f"{decision.question!r} is already decided in {seen[decision.key].where}")
                continue
            seen[decision.key] = decision
            decisions.append(decision)
    if problems:
        raise DecisionError(problems)
    return decisions


def check_against_answers(decisions: list[Decision], answer_keys: set[tuple[str, str]]) -> None:
    """Every decision must decide an answer of the wave (a stale or mistyped hash is an error)."""
    problems = [
        f"{d.where}: answer_hash {d.answer_hash!r} of question {d.question!r} matches no answer of the wave "
        f"(answer text {d.answer!r})"
        for d in decisions if d.key not in answer_keys
    ]
    if problems:
        raise DecisionError(problems)


def _write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """A decisions file, written atomically, every cell guarded against formula evaluation (csvsafe)."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([csvsafe.neutralise(h) for h in header])
        for row in rows:
            writer.writerow([csvsafe.neutralise(cell) for cell in row])


def write_decisions(decisions: list[Decision], path: str | Path) -> None:
    """Write decisions in the canonical format (sorted by question then hash)."""
    cite = any(d.citation for d in decisions)
    rows = [[d.question, d.answer_hash, d.answer, SEPARATOR.join(d.categories), d.coder, d.rationale]
            + ([d.citation] if cite else []) for d in sorted(decisions, key=lambda d: d.key)]
    _write_rows(Path(path), COLUMNS + ([CITATION_COLUMN] if cite else []), rows)


@dataclass
class MergeReport:
    """What merging coded rows into a decisions file did."""

    path: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: int = 0

    def __str__(self) -> str:
        return (f"{self.path}: {self.added} decision(s) added, {self.changed} changed (the previous one kept in "
                f"column {HISTORY_COLUMN!r}), {self.unchanged} unchanged, {self.kept} earlier row(s) kept as they were")


def _key(row: dict[str, str]) -> tuple[str, str]:
    return (row.get("question", "").strip(), row.get("answer_hash", "").strip().lower())


def _history_entry(row: dict[str, str]) -> str:
    """An earlier decision as the history column keeps it: « cat_a;cat_b (bd: la raison) »."""
    who = row.get("coder", "").strip()
    why = " ".join(row.get("rationale", "").split())
    note = f"{who}: {why}" if who and why else who or why
    entry = SEPARATOR.join(split_categories(row.get("categories", "")))
    return f"{entry} ({note})" if note else entry


def merge_into(path: str | Path, coded: list[dict[str, str]]) -> MergeReport:
    """Add coded rows (decisions-file columns) to the decisions file `path`, never losing what it holds.

    A new answer is appended; an answer already decided the same way is left as it is; an answer decided
    otherwise takes the new categories, coder and rationale and its previous decision is appended to the
    `history` column. Every other row, column (`citation`…) and value of the file is kept; merging the
    same rows twice changes nothing. The file is replaced atomically (a failure leaves it as it was)."""
    path = Path(path)
    report = MergeReport(str(path))
    header, existing = _table(path) if path.is_file() else (list(COLUMNS), [])
    rows = [dict(row) for _line, row in existing]
    index = {_key(row): i for i, row in enumerate(rows) if _key(row)[1]}
    touched: set[int] = set()
    for new in coded:
        key = _key(new)
        if key not in index:
            rows.append({c: new.get(c, "") for c in COLUMNS} | {c: new[c] for c in (CITATION_COLUMN,) if new.get(c)})
            index[key] = len(rows) - 1
            touched.add(index[key])
            report.added += 1
            continue
        old = rows[index[key]]
        touched.add(index[key])
        same = (split_categories(old.get("categories", "")) == split_categories(new.get("categories", ""))
                and old.get("coder", "").strip() == new.get("coder", "").strip()
                and " ".join(old.get("rationale", "").split()) == " ".join(new.get("rationale", "").split()))
        if same:
            report.unchanged += 1
            continue
        if split_categories(old.get("categories", "")):
            history = old.get(HISTORY_COLUMN, "")
            old[HISTORY_COLUMN] = HISTORY_SEPARATOR.join(filter(None, [history, _history_entry(old)]))
        for column in ("categories", "coder", "rationale"):
            old[column] = new.get(column, "")
        if new.get(CITATION_COLUMN):
            old[CITATION_COLUMN] = new[CITATION_COLUMN]
        report.changed += 1
    report.kept = len(existing) - len(touched & set(range(len(existing))))
    columns = list(header)
    for extra in (CITATION_COLUMN, HISTORY_COLUMN):
        if extra not in columns and any(row.get(extra) for row in rows):
            columns.append(extra)
    if report.added or report.changed or not path.is_file():
        _write_rows(path, columns, [[row.get(c, "") for c in columns] for row in rows])
    return report
