"""File-level entry points: what a Snakemake script calls (paths in, files out).

Tables are written as UTF-8 CSV with "\\n" line ends, sorted, without index, so
reruns give identical bytes.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.io import read_csv, write_csv
from surveykit.questionnaire import codebook as questionnaire

from .codebook import DEFAULT_SCHEMA, Codebook, load_codebooks
from .coding import CodingResult, code_wave
from .decisions import Decision, read_decision_files
from .quotes import select_quotes
from .reliability import ReliabilityResult, reliability
from .sheet import coding_sheet, write_coding_sheet
from .suggest import DEFAULT_THRESHOLD

PathLike = str | Path


def read_table(path: PathLike) -> pd.DataFrame:
    """Cleaned responses as text (.csv or .tsv); empty cells stay empty strings."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".tsv"):
        raise InputError(f"{path}: expected a .csv or .tsv file")
    try:
        return read_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",", dtype=str,
                        keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None


def write_lines(lines: list[str], path: PathLike) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _earlier(earlier: dict[str, list[PathLike]] | None, books: dict[str, Codebook]) -> dict[str, list[Decision]]:
    """Decisions of earlier waves (oldest first); retired codes are allowed there."""
    return {wave: read_decision_files(list(paths), books, allow_retired=True)
            for wave, paths in (earlier or {}).items()}


def _books(categories_dir: PathLike | None, schema: PathLike) -> dict[str, Codebook]:
    """The category codebooks of a study; none when it has no open question (`categories_dir` None)."""
    return {} if categories_dir is None else load_codebooks(categories_dir, schema)


def code_wave_files(responses: PathLike, categories_dir: PathLike | None, decisions: list[PathLike],
                    coded_out: PathLike, counts_out: PathLike, review_out: PathLike,
                    messages_out: PathLike | None = None, earlier: dict[str, list[PathLike]] | None = None,
                    allow_suggestions: bool = False, strict: bool = False,
                    threshold: float = DEFAULT_THRESHOLD, schema: PathLike = DEFAULT_SCHEMA,
                    sheet_out: PathLike | None = None, coder: str = "",
                    quotes_out: PathLike | None = None, decisions_folder: str | None = None,
                    absent: tuple[str, ...] = ()) -> CodingResult:
    """Code a wave from files; writes coded answers, counts, answers to review and messages.

    `absent`: variables this wave's form does not have (codebook `since`/`until`); their open questions are
    not coded in this wave.

    With `sheet_out`, also the coding sheet (.csv or .xlsx) of the answers no decision covers yet
    (the same answers as `to_review`: suggestions in use do not count as decisions); its instructions name
    `decisions_folder`, where the filled sheet is saved. A study with no open question has no
    `categories_dir` (None): every output is written, empty. Open questions `absent` from this wave's form
    are left out."""
    every = _books(categories_dir, schema)
    books = {name: book for name, book in every.items()
             if book.text_variable not in absent and book.option_variable not in absent}
    decided = [d for d in read_decision_files(list(decisions), every) if d.question in books]
    carried = {wave: [d for d in found if d.question in books] for wave, found in _earlier(earlier, every).items()}
    result = code_wave(read_table(responses), books, decided, carried, allow_suggestions, strict, threshold)
    write_csv(result.coded_answers, coded_out)
    if quotes_out is not None:
        write_csv(select_quotes(result.coded_answers, books, decided), quotes_out)
    write_csv(result.counts, counts_out)
    write_csv(result.to_review, review_out)
    if messages_out is not None:
        write_lines(result.messages, messages_out)
    if sheet_out is not None:
        folder = {"folder": decisions_folder} if decisions_folder else {}
        write_coding_sheet(coding_sheet(result.to_review, books, coder), books, sheet_out, **folder)
    return result


def reliability_files(coder_a: PathLike, coder_b: PathLike, categories_dir: PathLike | None, per_category_out: PathLike,
                      overall_out: PathLike, disagreements_out: PathLike,
                      schema: PathLike = DEFAULT_SCHEMA) -> ReliabilityResult | None:
    """Reliability of two coders; returns None (and writes nothing) when the second file does not exist."""
    if not Path(coder_b).exists():
        return None
    books = _books(categories_dir, schema)
    result = reliability(read_decision_files([coder_a], books), read_decision_files([coder_b], books), books)
    write_csv(result.per_category, per_category_out)
    write_csv(result.overall, overall_out)
    write_csv(result.disagreements, disagreements_out)
    return result


MAIN_CODER_SUFFIX = "_main"


def asked_counts(responses: pd.DataFrame, book: questionnaire.Codebook) -> dict[str, int]:
    """How many analysed respondents were shown each question (skip logic of the codebook)."""
    counts = {}
    for question in book.questions:
        shown = pd.Series(True, index=responses.index)
        for variable, value in question.asked_if.items():
            shown &= responses[variable] == value
        counts[question.id] = int(shown.sum())
    return counts


def main_decisions(files: list[str]) -> list[str]:
    """The main coder's files (name ending in _main.csv, the rule `main_coding_files` of common.smk
    also applies); a wave's other files are second coders, used for reliability only."""
    main = [f for f in files if Path(f).stem.endswith(MAIN_CODER_SUFFIX)]
    if files and not main:
        raise InputError(f"{', '.join(files)}: no main coder's file; name it <coder>{MAIN_CODER_SUFFIX}.csv "
                         "(the other files of the folder are second coders, used for reliability only)")
    return main
