"""Reproduction report: every published number beside the value the pipeline regenerates.

A number matches when the regenerated value lies in the interval of values that print as the
published text at the table's precision (e.g. "5,7" with 1 decimal: [5,65 ; 5,75]). Each
mismatch carries an explanation; p-values that the audit shows to be Monte-Carlo estimates are
explained by that finding (the pipeline computes R's exact value instead).
"""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

from surveykit.analysis.describe import ALL

from .published import PublishedItem, qualified_bounds

COLUMNS = ["ref", "kind", "quantity", "published", "regenerated", "regenerated_value", "match", "explanation"]
STAT_OF = {"n": "n", "pct": "pct", "mean": "mean", "sd": "sd"}


def _within(value: float, number) -> bool:
    low, high = number.interval()
    return low <= Fraction(value) <= high


def _text(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


class Lookup:
    """Regenerated values by (variable, level, group), read from the pipeline's outputs."""

    def __init__(self, descriptives: pd.DataFrame, tests: pd.DataFrame, counts: pd.DataFrame):
        # rows by (variable, group), in file order: one dictionary lookup instead of a scan per published number
        self._described = dict(iter(descriptives.groupby(["variable", "group"], sort=False)))
        self._no_rows = descriptives.iloc[0:0]
        self.tests = tests
        self.counts = counts

    def described(self, variable: str, group: str | None) -> pd.DataFrame:
        return self._described.get((variable, group or ALL), self._no_rows)

    def categorical(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.described(item.variable, item.group)
        rows = rows[rows["level"].isin(item.level) & rows["mean"].isna()]
        if rows.empty:
            return None
        first_table = rows["table"].iloc[0]
        rows = rows[rows["table"] == first_table]
        n = float(rows["n"].sum())
        denominator = float(rows["denominator"].iloc[0])
        return {"n": n, "pct": 100.0 * n / denominator if denominator else float("nan"), "denominator": denominator}

    def subgroup_size(self, item: PublishedItem) -> float | None:
        """Size of the subgroup a percentage is of (`among`, within `group`), from the regenerated counts."""
        variable, level = item.among[0]
        rows = self.described(variable, item.group)
        rows = rows[(rows["level"] == level) & rows["mean"].isna()]
        return None if rows.empty else float(rows["n"].iloc[0])

    def rank(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.described(item.variable, item.group)
        rows = rows[rows["level"] == str(item.rank)]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return {"n": float(row["n"]), "pct": float(row["pct"])}

    def mean_sd(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.described(item.variable, item.group)
        rows = rows[rows["mean"].notna()]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return {"mean": float(row["mean"]), "sd": float(row["sd"]), "n": float(row["n"])}

    def category(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.counts[(self.counts["question"] == item.question) & (self.counts["category"] == item.category)]
        if rows.empty:
            return None
        return {"n": float(rows["n"].iloc[0]), "pct": float(rows["pct"].iloc[0])}

    def answers(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.counts[self.counts["question"] == item.question]
        return None if rows.empty else {"n": float(rows["n_answers"].iloc[0])}

    def p_value(self, item: PublishedItem) -> dict[str, float] | None:
        rows = self.tests[(self.tests["variable"] == item.variable) & (self.tests["by"] == item.by)]
        return None if rows.empty else {"p": float(rows["p_value"].iloc[0]), "test": rows["test"].iloc[0]}


def _regenerated(lookup: Lookup, item: PublishedItem) -> dict | None:
    return {"count": lookup.categorical, "rank_count": lookup.rank, "mean_sd": lookup.mean_sd,
            "category_count": lookup.category, "answer_count": lookup.answers,
            "p_value": lookup.p_value}[item.kind](item)


def _explain_mismatch(item: PublishedItem, quantity: str, audit: pd.DataFrame) -> str:
    """Why a published number is not regenerated, from the audit of the published numbers."""
    reasons = []
    if item.kind == "p_value":
        lattice = audit[(audit["check"] == "treillis Monte-Carlo") & (audit["status"] != "ok")
                        & audit["ref"].astype(str).str.contains(item.table, regex=False)]
        if not lattice.empty:
            reasons.append(f"la valeur publiée est une p simulée par Monte-Carlo, {lattice['recomputed'].iloc[0]} ; "
                           "le pipeline calcule la p exacte de R (fisher.test sans simulation)")
        own = audit[(audit["ref"] == item.ref) & (audit["check"] != "répétition")]
        reasons += [f"{r.check} : {r.explanation}" for r in own.itertuples() if r.status != "ok" or
                    r.check == "p exact de Fisher"]
    return " ; ".join(reasons) or "écart non expliqué : à examiner (données reconstruites ou transcription)"


def _bound_ok(item: PublishedItem, quantity: str, value: float, number) -> bool:
    """Within rounding of the printed number; a qualified percentage ("plus de 90 %") is a bound."""
    bounds = qualified_bounds(item.qualifier, number.value) if quantity == "pct" else None
    return _within(value, number) if bounds is None else bounds.admit(value)


def _among_problem(lookup: Lookup, item: PublishedItem, regenerated: dict | None) -> str:
    """Why the regenerated denominator is not the subgroup the publication names ("" when it is)."""
    if not item.among or regenerated is None or "denominator" not in regenerated:
        return ""
    variable, level = item.among[0]
    size = lookup.subgroup_size(item)
    where = f"{variable} = {level}" + (f", {item.by} = {item.group}" if item.by else "")
    if size is None:
        return f"effectif du sous-groupe ({where}) absent des sorties du pipeline"
    if size != regenerated["denominator"]:
        return (f"dénominateur recalculé {regenerated['denominator']:.0f} ≠ effectif du sous-groupe ({where}) "
                f"{size:.0f} : le pourcentage ne porte pas sur la population publiée")
    return ""


def reproduce(items: list[PublishedItem], descriptives: pd.DataFrame, tests: pd.DataFrame,
              counts: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """One row per published number: published text, regenerated value, match, explanation."""
    lookup = Lookup(descriptives, tests, counts)
    rows = []
    explained: dict[tuple, tuple[str, str]] = {}  # same number in a table: (ref, explanation)
    for item in sorted(items, key=lambda i: i.is_text):
        regenerated = _regenerated(lookup, item)
        among_problem = _among_problem(lookup, item, regenerated)
        for quantity, number in item.numbers.items():
            value = None if regenerated is None else regenerated.get(quantity)
            if value is None:
                rows.append({"ref": item.ref, "kind": item.kind, "quantity": quantity, "published": number.text,
                             "regenerated": "", "regenerated_value": float("nan"), "match": False,
                             "explanation": "valeur absente des sorties du pipeline"})
                continue
            match = _bound_ok(item, quantity, value, number) and not (quantity == "pct" and among_problem)
            key = (item.kind, item.subject, item.level, item.by, item.group, item.category, item.rank, quantity)
            explanation = ""
            if not match and quantity == "pct" and among_problem:
                explanation = among_problem
            elif not match and item.is_text and key in explained:
                explanation = "même nombre que {} : {}".format(*explained[key])
            elif not match:
                explanation = _explain_mismatch(item, quantity, audit)
                explained.setdefault(key, (item.ref, explanation))
            rows.append({"ref": item.ref, "kind": item.kind, "quantity": quantity, "published": number.text,
                         "regenerated": _text(value, number.round_to), "regenerated_value": value, "match": match,
                         "explanation": explanation})
    order = {item.ref: position for position, item in enumerate(items)}
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("ref", key=lambda refs: refs.map(order), kind="stable").reset_index(drop=True)
