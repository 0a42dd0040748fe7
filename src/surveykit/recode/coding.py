"""Coding a wave: decided codes for every open answer, category counts, what is left to review.

Where the codes of an answer come from, by priority:
    option          a ticked option of a semi-open question (no decision needed);
    manual:<coder>  a decision of this wave's decisions file(s);
    carried:<wave>  the identical normalised answer was decided in an earlier wave;
    fuzzy:<wave>, rule:<id>
                    unconfirmed suggestions, used only with allow_suggestions=True
                    (an earlier-wave match first, else the union of the rules that
                    fire, unless that union breaks an exclusive code).
Anything else is uncoded: listed in `to_review`, reported in `messages`, or an
error in strict mode.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from surveykit.core.errors import InputError

from .answers import answer_counts, extract_answers
from .codebook import Codebook
from .decisions import SEPARATOR, Decision, check_against_answers
from .suggest import DEFAULT_THRESHOLD, Suggestion, suggest

CODED_COLUMNS = ["respondent_id", "question", "answer", "category", "source"]
COUNT_COLUMNS = ["question", "category", "label", "n", "n_answers", "pct"]
REVIEW_COLUMNS = ["question", "answer_hash", "answer", "n_respondents", "suggested_categories",
                  "suggestion_sources", "used_source"]


class UncodedAnswersError(InputError):
    """Strict mode: some answers have no decided code."""


@dataclass
class CodingResult:
    coded_answers: pd.DataFrame
    counts: pd.DataFrame
    to_review: pd.DataFrame
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Resolution:
    """Codes of one distinct answer and the source of each code."""

    codes: tuple[tuple[str, str], ...]  # (category, source)
    decided: bool
    suggestions: tuple[Suggestion, ...]


def _rule_codes(suggestions: list[Suggestion], book: Codebook) -> tuple[tuple[str, str], ...]:
    """Union of the categories of the rules that fired (first rule names the source); () if it breaks exclusivity."""
    codes: dict[str, str] = {}
    for s in suggestions:
        if s.kind == "rule":
            codes.setdefault(s.categories[0], s.source)
    if len(codes) > 1 and any(book.is_exclusive(c) for c in codes):
        return ()
    return tuple(sorted(codes.items(), key=lambda item: book.position(item[0])))


def _resolve(decision: Decision | None, suggestions: list[Suggestion], book: Codebook,
             allow_suggestions: bool) -> Resolution:
    if decision is not None:
        source = f"manual:{decision.coder}"
        return Resolution(tuple((c, source) for c in decision.categories), True, tuple(suggestions))
    earlier = next((s for s in suggestions if s.kind in ("carried", "fuzzy")), None)
    if earlier is not None and earlier.kind == "carried" and earlier.complete:
        return Resolution(tuple((c, earlier.source) for c in earlier.categories), True, tuple(suggestions))
    codes: tuple[tuple[str, str], ...] = ()
    if allow_suggestions:
        if earlier is not None:
            codes = tuple((c, earlier.source) for c in earlier.categories)
        else:
            codes = _rule_codes(suggestions, book)
    return Resolution(codes, False, tuple(suggestions))


def _resolutions(texts: pd.DataFrame, book: Codebook, decided: dict[tuple[str, str], Decision],
                 earlier: dict[str, list[Decision]], allow_suggestions: bool,
                 threshold: float) -> dict[str, Resolution]:
    """Resolution of each distinct answer (by hash) of the book's question, in order of first appearance."""
    distinct = texts[texts["question"] == book.question].drop_duplicates("hash")
    pending = [text for text, digest in zip(distinct["text"], distinct["hash"])
               if (book.question, digest) not in decided]
    by_hash: dict[str, list[Suggestion]] = {}
    for s in suggest(pending, book, earlier, threshold):
        by_hash.setdefault(s.answer_hash, []).append(s)
    return {
        digest: _resolve(decided.get((book.question, digest)), by_hash.get(digest, []), book, allow_suggestions)
        for digest in distinct["hash"]
    }


def _codes_frame(resolutions: dict[tuple[str, str], Resolution]) -> pd.DataFrame:
    """One row per (question, answer hash, code): what joins the answers to their codes."""
    rows = [(question, digest, category, source)
            for (question, digest), resolution in resolutions.items() for category, source in resolution.codes]
    return pd.DataFrame(rows, columns=["question", "hash", "category", "source"])


def _coded_frame(texts: pd.DataFrame, options: pd.DataFrame, resolutions: dict[tuple[str, str], Resolution],
                 codebooks: dict[str, Codebook]) -> pd.DataFrame:
    coded_texts = texts.merge(_codes_frame(resolutions), on=["question", "hash"], how="inner", sort=False)
    frame = pd.concat([options.assign(source="option").rename(columns={"value": "answer"})[CODED_COLUMNS],
                       coded_texts.rename(columns={"text": "answer"})[CODED_COLUMNS]], ignore_index=True)
    frame = frame.drop_duplicates(["respondent_id", "question", "category"], keep="first")
    positions = {(q, c.id): i for q, book in codebooks.items() for i, c in enumerate(book.categories)}
    frame["_q"] = frame["question"].map({q: i for i, q in enumerate(codebooks)})
    frame["_c"] = pd.Series(list(zip(frame["question"], frame["category"])), index=frame.index,
                            dtype=object).map(positions)
    frame = frame.sort_values(["_q", "respondent_id", "_c"], kind="stable")
    return frame.drop(columns=["_q", "_c"]).reset_index(drop=True)


def category_counts(coded: pd.DataFrame, n_answers: dict[str, int], codebooks: dict[str, Codebook]) -> pd.DataFrame:
    """Respondents per active category; pct = 100 * n / n_answers (answers = non-empty answers)."""
    per_category = coded.drop_duplicates(["question", "category", "respondent_id"]) \
        .groupby(["question", "category"]).size()
    rows = []
    for question, book in codebooks.items():
        total = n_answers.get(question, 0)
        for category in book.active_categories:
            n = int(per_category.get((question, category.id), 0))
            pct = 100.0 * n / total if total else float("nan")
            rows.append((question, category.id, category.label, n, total, pct))
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _review_frame(texts: pd.DataFrame, resolutions: dict[tuple[str, str], Resolution],
                  codebooks: dict[str, Codebook]) -> pd.DataFrame:
    rows = []
    for question, book in codebooks.items():
        mine = texts[texts["question"] == question]
        undecided = [not resolutions[(question, digest)].decided for digest in mine["hash"].unique()]
        groups = mine.groupby("hash", sort=False)["text"].agg(["first", "size"])
        for (digest, group), wanted in zip(groups.iterrows(), undecided):
            if not wanted:
                continue
            resolution = resolutions[(question, digest)]
            suggested = sorted({c for s in resolution.suggestions for c in s.categories}, key=book.position)
            used = sorted({src for _c, src in resolution.codes})
            rows.append((question, digest, group["first"], int(group["size"]), SEPARATOR.join(suggested),
                         SEPARATOR.join(s.source for s in resolution.suggestions), SEPARATOR.join(used)))
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def _messages(review: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(warnings for every undecided answer, descriptions of those left without any code)."""
    warnings, uncoded = [], []
    for row in review.itertuples(index=False):
        what = (f"question {row.question}: answer {row.answer!r} "
                f"(hash {row.answer_hash}, {row.n_respondents} respondent(s))")
        if row.used_source:
            warnings.append(f"{what} coded from unconfirmed suggestion(s) {row.used_source}")
        else:
            hint = (f"; suggestions: {row.suggested_categories} ({row.suggestion_sources})"
                    if row.suggestion_sources else "")
            uncoded.append(f"{what} has no decided code{hint}")
    return warnings + uncoded, uncoded


def code_wave(responses: pd.DataFrame, codebooks: dict[str, Codebook], decisions: list[Decision],
              earlier: dict[str, list[Decision]] | None = None, allow_suggestions: bool = False,
              strict: bool = False, threshold: float = DEFAULT_THRESHOLD,
              id_column: str = "respondent_id") -> CodingResult:
    """Code every open answer of a wave (see the module docstring for the priorities).

    `earlier` maps earlier waves, oldest first, to their decisions. Decisions whose
    hash matches no answer of `responses` are an error (DecisionError)."""
    earlier = earlier or {}
    texts, options = extract_answers(responses, codebooks, id_column)
    check_against_answers(decisions, set(texts[["question", "hash"]].drop_duplicates().itertuples(index=False, name=None)))
    decided = {d.key: d for d in decisions}
    resolutions: dict[tuple[str, str], Resolution] = {}
    for question, book in codebooks.items():
        per_hash = _resolutions(texts, book, decided, earlier, allow_suggestions, threshold)
        resolutions.update({(question, digest): r for digest, r in per_hash.items()})
    coded = _coded_frame(texts, options, resolutions, codebooks)
    counts = category_counts(coded, answer_counts(texts, options, codebooks), codebooks)
    review = _review_frame(texts, resolutions, codebooks)
    messages, uncoded = _messages(review)
    if strict and uncoded:
        raise UncodedAnswersError(f"{len(uncoded)} answer(s) without a decided code:\n" + "\n".join(uncoded))
    return CodingResult(coded, counts, review, messages)
