"""Coding decisions: data/studies/<study>/coding/<wave>/<coder>.csv, written by a human coder.

One row decides the categories of one distinct answer of one question:
    question, answer_hash, answer, categories, coder, rationale
`categories` holds ";"-separated category ids; a row whose `categories` is empty
is not decided yet and is ignored. Extra columns (the coding sheet's
suggestions) are ignored. Files saved by a French Excel (";" as field
separator, UTF-8 with BOM) are read as well, and so is the XLSX coding sheet saved
as CSV: its French headers (FRENCH_HEADERS) stand for these columns.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .codebook import Codebook
from .normalize import HASH_PATTERN, answer_hash

COLUMNS = ["question", "answer_hash", "answer", "categories", "coder", "rationale"]
CITATION_COLUMN = "citation"  # optional: « oui » (quote it first) or « non » (never quote it) in the chapter
CITATION_VALUES = ("", "oui", "non")
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


def _records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number of the record's first line, row) pairs; header is line 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text.split("\n", 1)[0]))
    header = next(reader, None)
    header = [canonical_header(h) for h in header] if header is not None else None
    missing = [c for c in COLUMNS if header is None or c not in header]
    if missing:
        raise InputError(f"{path}, line 1: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    rows = []
    start = reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            padded = values + [""] * (len(header) - len(values))
            rows.append((start, dict(zip(header, padded))))
        start = reader.line_num + 1
    return rows


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


def write_decisions(decisions: list[Decision], path: str | Path) -> None:
    """Write decisions in the canonical format (sorted by question then hash)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cite = any(d.citation for d in decisions)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS + ([CITATION_COLUMN] if cite else []))
        for d in sorted(decisions, key=lambda d: d.key):
            writer.writerow([d.question, d.answer_hash, d.answer, SEPARATOR.join(d.categories), d.coder, d.rationale]
                            + ([d.citation] if cite else []))
