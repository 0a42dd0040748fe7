"""Verbatim quotes of the open answers, chosen by a rule the study declares (no hand-picking in a template).

The category codebook of a question says how many answers to quote per category and in which order
(`quotes: {per_category: 2, order: longest, categories: [...], others: 1}`: `per_category` quotes for the
categories named, by default every substantive one, and `others` for the substantive categories not named, so
that every category the chapter describes can be illustrated); a category without content (`substantive:
false`, « Réponse ininterprétable ») is quoted only when named. A coder can mark an answer « oui »
(quote it first) or « non » (never quote it) in the `citation` column of the decisions file. Only free
text is quoted (never a ticked option), after masking of personal data, each distinct text once per
question (an answer coded in two categories illustrates the first of them in codebook order), ties broken by
the respondent's id: the choice is reproducible. An answer that still holds
something personal after masking (surveykit.clean.privacy.residual_personal_data: a name, a phone number, an
e-mail the patterns could not mask, a first name) is never quoted, whatever its `citation`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit.clean.privacy import residual_personal_data

from .codebook import Codebook
from .decisions import Decision
from .identity import answer_hash

QUOTE_COLUMNS = ["question", "category", "rank", "respondent_id", "answer"]
ORDERS = {
    "longest": lambda rows: rows.assign(_key=-rows["answer"].str.len()),
    "shortest": lambda rows: rows.assign(_key=rows["answer"].str.len()),
    "first": lambda rows: rows.assign(_key=0),
}


def select_quotes(coded: pd.DataFrame, codebooks: dict[str, Codebook], decisions: list[Decision]) -> pd.DataFrame:
    """The quoted answers of every category the codebooks ask quotes for, in quoting order."""
    citation = {d.key: d.citation for d in decisions}
    rows = []
    for question, book in codebooks.items():
        rule = book.quotes
        if not rule:
            continue
        wanted = quota(book)
        texts = coded[(coded["question"] == question) & (coded["source"] != "option")].copy()
        codes, distinct = pd.factorize(texts["answer"])
        texts["_hash"] = np.array([answer_hash(text) for text in distinct] + [""], dtype=object)[codes]
        texts["_cite"] = [citation.get((question, h), "") for h in texts["_hash"]]
        personal = {text: bool(residual_personal_data(text)) for text in distinct}
        texts = texts[(texts["_cite"] != "non") & ~texts["answer"].map(personal).fillna(False).astype(bool)]
        quoted_already: set[str] = set()  # an answer coded in two categories is quoted once, for the first
        for category, how_many in wanted.items():
            mine = texts[(texts["category"] == category) & ~texts["_hash"].isin(quoted_already)]
            mine = mine.drop_duplicates("_hash", keep="first")
            mine = ORDERS[rule.get("order", "longest")](mine).assign(_first=lambda f: f["_cite"] != "oui")
            mine = mine.sort_values(["_first", "_key", "respondent_id"], kind="stable").head(how_many)
            quoted_already.update(mine["_hash"])
            rows += [(question, category, rank, r.respondent_id, r.answer)
                     for rank, r in enumerate(mine.itertuples(), start=1)]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def quota(book: Codebook) -> dict[str, int]:
    """How many quotes each category gets: `per_category` for those the rule names (by default every active
    substantive category), `others` for the other active substantive ones; none for a category without content
    unless named."""
    rule = book.quotes
    substantive = [c.id for c in book.active_categories if c.substantive]
    named = set(rule.get("categories") or substantive)
    others = rule.get("others", 0)
    wanted = {c.id: rule["per_category"] if c.id in named else others for c in book.categories
              if c.id in named or (c.id in substantive and others)}
    return wanted
