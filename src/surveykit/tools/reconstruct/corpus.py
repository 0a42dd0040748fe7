"""The reconstructed open-answer corpus (data/studies/<study>/reconstruction/open_answers.yaml).

It lists, per open question, the answers of the bundled wave with their intended
categories. `corpus_responses` spreads them over synthetic respondents so that
the corpus can be coded like a cleaned wave (users first, then non-users).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_yaml
from surveykit.recode.codebook import Codebook

FIRST_SHEET_ROW = 2  # respondent ids follow the export's sheet rows, as the cleaning step does


@dataclass(frozen=True)
class CorpusAnswer:
    question: str
    text: str
    categories: tuple[str, ...]
    user_only: bool
    count: int = 1
    kind: str = "text"  # "text", "option" (ticked option) or "autre" (free text of "Autre :")
    verbatim: bool = False


@dataclass(frozen=True)
class Corpus:
    wave: str
    n_respondents: int
    n_users: int
    answers: tuple[CorpusAnswer, ...]

    def of(self, question: str) -> list[CorpusAnswer]:
        return [a for a in self.answers if a.question == question]


def _answer(question: str, data: dict, where: str) -> CorpusAnswer:
    kinds = [k for k in ("text", "option", "autre") if k in data]
    if len(kinds) != 1:
        raise InputError(f"{where}: give exactly one of text, option, autre")
    count = data.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise InputError(f"{where}: count must be a positive integer, got {count!r}")
    return CorpusAnswer(question, str(data[kinds[0]]), tuple(data.get("categories", ())),
                        bool(data.get("user_only", False)), count, kinds[0], bool(data.get("verbatim", False)))


def _check(corpus: Corpus, codebooks: dict[str, Codebook], path: str) -> None:
    for a in corpus.answers:
        if a.question not in codebooks:
            raise InputError(f"{path}: unknown question {a.question!r}")
        book = codebooks[a.question]
        bad = [c for c in a.categories if not book.has(c) or not book.category(c).active]
        if bad or not a.categories:
            raise InputError(f"{path}: {a.question}: answer {a.text!r}: categories {list(a.categories)} "
                             f"must be active categories of the codebook")
        if a.kind in ("option", "autre") and not book.option_variable:
            raise InputError(f"{path}: {a.question}: {a.kind!r} answers need a semi-open question")
    for question in codebooks:
        users = sum(a.count for a in corpus.of(question) if a.user_only)
        total = sum(a.count for a in corpus.of(question))
        if users > corpus.n_users or total > corpus.n_respondents:
            raise InputError(f"{path}: {question}: {total} answers ({users} from users) do not fit "
                             f"{corpus.n_respondents} respondents ({corpus.n_users} users)")


def load_corpus(path: str | Path, codebooks: dict[str, Codebook]) -> Corpus:
    """Read the corpus and check it against the codebooks."""
    data = load_yaml(path)
    if not isinstance(data, dict) or data.get("synthetic") is not True:
        raise InputError(f"{path}: the corpus must declare `synthetic: true`")
    answers = [
        _answer(question, item, f"{path}: {question}[{i}]")
        for question, block in data["questions"].items()
        for i, item in enumerate(block["answers"])
    ]
    corpus = Corpus(data["wave"], int(data["respondents"]["n"]), int(data["respondents"]["users"]), tuple(answers))
    _check(corpus, codebooks, str(path))
    return corpus


def _slots(corpus: Corpus, question: str) -> list[tuple[int, CorpusAnswer]]:
    """(respondent index, answer) pairs: user-only answers go to users, the others to non-users first."""
    users = list(range(corpus.n_users))
    others = list(range(corpus.n_users, corpus.n_respondents))
    expanded = [a for a in corpus.of(question) for _ in range(a.count)]
    pairs = [(users.pop(0), a) for a in expanded if a.user_only]
    pool = others + users
    pairs += [(pool.pop(0), a) for a in expanded if not a.user_only]
    return pairs


def corpus_responses(corpus: Corpus, codebooks: dict[str, Codebook]) -> pd.DataFrame:
    """Cleaned-responses frame (respondent_id, pratique_tle, open-question columns) holding the corpus."""
    ids = [f"R{FIRST_SHEET_ROW + i:05d}" for i in range(corpus.n_respondents)]
    columns = {book.text_variable for book in codebooks.values()}
    columns |= {book.option_variable for book in codebooks.values() if book.option_variable}
    frame = pd.DataFrame({"respondent_id": ids,
                          "pratique_tle": ["Oui"] * corpus.n_users + ["Non"] * (corpus.n_respondents - corpus.n_users)})
    for column in sorted(columns):
        frame[column] = ""
    for question, book in codebooks.items():
        for index, answer in _slots(corpus, question):
            if answer.kind == "option":
                frame.loc[index, book.option_variable] = answer.text
            elif answer.kind == "autre":
                frame.loc[index, book.option_variable] = book.other_labels[0]
                frame.loc[index, book.text_variable] = answer.text
            else:
                frame.loc[index, book.text_variable] = answer.text
    return frame
