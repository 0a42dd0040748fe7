"""Verbatim quotes of the open answers, chosen by a rule the study declares (no hand-picking in a template).

The category codebook of a question says how many answers to quote per category and in which order
(`quotes: {per_category: 2, order: longest, categories: [...]}`); a coder can mark an answer « oui »
(quote it first) or « non » (never quote it) in the `citation` column of the decisions file. Only free
text is quoted (never a ticked option), after masking of personal data, each distinct text once per
category, ties broken by the respondent's id: the choice is reproducible. An answer that still holds
something personal after masking (surveykit.clean.privacy.residual_personal_data: a name, a phone number, an
e-mail the patterns could not mask, a first name) is never quoted, whatever its `citation`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from surveykit.clean.privacy import residual_personal_data

from .codebook import Codebook
from .decisions import Decision
from .normalize import answer_hash

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
        wanted = rule.get("categories") or [c.id for c in book.active_categories]
        texts = coded[(coded["question"] == question) & (coded["source"] != "option")].copy()
        codes, distinct = pd.factorize(texts["answer"])
        texts["_hash"] = np.array([answer_hash(text) for text in distinct] + [""], dtype=object)[codes]
        texts["_cite"] = [citation.get((question, h), "") for h in texts["_hash"]]
        personal = {text: bool(residual_personal_data(text)) for text in distinct}
        texts = texts[(texts["_cite"] != "non") & ~texts["answer"].map(personal).fillna(False).astype(bool)]
        for category in wanted:
            mine = texts[texts["category"] == category].drop_duplicates("_hash", keep="first")
            mine = ORDERS[rule.get("order", "longest")](mine).assign(_first=lambda f: f["_cite"] != "oui")
            mine = mine.sort_values(["_first", "_key", "respondent_id"], kind="stable").head(rule["per_category"])
            rows += [(question, category, rank, r.respondent_id, r.answer)
                     for rank, r in enumerate(mine.itertuples(), start=1)]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)
