"""Inter-coder reliability of two decisions files of the same wave.

Units are the distinct answers (question, answer_hash) that both coders decided:
that is what each coder judged once. Codes are sets (an answer may carry several
categories), so agreement is measured two ways:

* per category: present/absent for each unit, giving raw agreement, Cohen's
  kappa and Krippendorff's alpha (nominal, binary values);
* per question and overall: the exact code set of a unit ("a;b") is one nominal
  value; Krippendorff's alpha on these values counts any difference in the set
  (one code missing or added) as a full disagreement, the strict reading.
  The overall row pools the units of every question (values are prefixed by the
  question, so sets of different questions never coincide).

Merged category ids are resolved before comparison (read_decisions does it), so
a coder who used an older codebook is not penalised for a merge. Coefficients
are NaN when undefined (a single value observed: no variation to agree on).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from .codebook import Codebook
from .decisions import SEPARATOR, Decision

CATEGORY_COLUMNS = ["question", "category", "label", "n_units", "n_present_a", "n_present_b", "n_agree",
                    "agreement", "kappa", "alpha"]
OVERALL_COLUMNS = ["question", "n_units", "n_only_a", "n_only_b", "n_exact_agree", "exact_agreement", "alpha"]
DISAGREEMENT_COLUMNS = ["question", "answer_hash", "answer", "coder_a", "categories_a", "coder_b", "categories_b",
                        "adjudication"]
ALL = "(toutes)"


@dataclass
class ReliabilityResult:
    per_category: pd.DataFrame
    overall: pd.DataFrame
    disagreements: pd.DataFrame


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's kappa of two coders over the same units: (po - pe) / (1 - pe)."""
    if len(a) != len(b) or not a:
        raise ValueError("kappa needs two non-empty sequences of the same length")
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    values = set(a) | set(b)
    pe = sum((list(a).count(v) / n) * (list(b).count(v) / n) for v in values)
    return float("nan") if math.isclose(pe, 1.0) else (po - pe) / (1 - pe)


def alpha_nominal(a: Sequence[object], b: Sequence[object]) -> float:
    """Krippendorff's alpha, nominal, two coders, no missing value (krippendorff package)."""
    if len(a) != len(b) or not a:
        raise ValueError("alpha needs two non-empty sequences of the same length")
    domain = sorted({str(v) for v in a} | {str(v) for v in b})
    if len(domain) < 2:
        return float("nan")
    index = {v: i for i, v in enumerate(domain)}
    data = np.array([[index[str(v)] for v in a], [index[str(v)] for v in b]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _paired(a: list[Decision], b: list[Decision]) -> tuple[list[tuple[Decision, Decision]], int, int]:
    by_key_b = {d.key: d for d in b}
    pairs = [(d, by_key_b[d.key]) for d in sorted(a, key=lambda d: d.key) if d.key in by_key_b]
    keys_a = {d.key for d in a}
    return pairs, len(keys_a - by_key_b.keys()), len(by_key_b.keys() - keys_a)


def _category_rows(question: str, book: Codebook, pairs: list[tuple[Decision, Decision]]) -> list[tuple]:
    used = {c for da, db in pairs for c in da.categories + db.categories}
    rows = []
    for category in [c for c in book.categories if c.id in used]:
        xa = [category.id in da.categories for da, _ in pairs]
        xb = [category.id in db.categories for _, db in pairs]
        agree = sum(x == y for x, y in zip(xa, xb))
        rows.append((question, category.id, category.label, len(pairs), sum(xa), sum(xb), agree,
                     agree / len(pairs), cohen_kappa(xa, xb), alpha_nominal(xa, xb)))
    return rows


def _overall_row(name: str, pairs: list[tuple[Decision, Decision]], only_a: int, only_b: int) -> tuple:
    sets_a = [f"{da.question}|{SEPARATOR.join(da.categories)}" for da, _ in pairs]
    sets_b = [f"{db.question}|{SEPARATOR.join(db.categories)}" for _, db in pairs]
    exact = sum(x == y for x, y in zip(sets_a, sets_b))
    agreement = exact / len(pairs) if pairs else float("nan")
    alpha = alpha_nominal(sets_a, sets_b) if pairs else float("nan")
    return (name, len(pairs), only_a, only_b, exact, agreement, alpha)


def reliability(a: list[Decision], b: list[Decision], codebooks: dict[str, Codebook]) -> ReliabilityResult:
    """Agreement of coder a and coder b over the answers both decided."""
    per_category, overall, disagreements = [], [], []
    for question, book in codebooks.items():
        qa = [d for d in a if d.question == question]
        qb = [d for d in b if d.question == question]
        pairs, only_a, only_b = _paired(qa, qb)
        if not pairs and not only_a and not only_b:
            continue
        per_category += _category_rows(question, book, pairs) if pairs else []
        overall.append(_overall_row(question, pairs, only_a, only_b))
        disagreements += [
            (question, da.answer_hash, da.answer, da.coder, SEPARATOR.join(da.categories), db.coder,
             SEPARATOR.join(db.categories), "")
            for da, db in pairs if da.categories != db.categories
        ]
    all_pairs, only_a, only_b = _paired(a, b)
    overall.append(_overall_row(ALL, all_pairs, only_a, only_b))
    return ReliabilityResult(pd.DataFrame(per_category, columns=CATEGORY_COLUMNS),
                             pd.DataFrame(overall, columns=OVERALL_COLUMNS),
                             pd.DataFrame(disagreements, columns=DISAGREEMENT_COLUMNS))
