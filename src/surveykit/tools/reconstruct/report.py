"""Check every published number against the reconstructed table, and write the report.

Each item of the published-numbers file (tables and running text alike) is recomputed
from the canonical table: counts and percentages, resort ranks, mean ± sd, and p-values
with the R-exact tests of surveykit.stats.rtests. A number is reached when the
recomputed value lies strictly inside the interval of its printed digits (so it rounds
to them half-up and half-to-even alike); both the table's precision ("strict") and the
printed digits are reported. Counts of open-answer categories use the intended coding
of data/studies/<study>/reconstruction/open_answers.yaml (the real coding is decided downstream).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from surveykit.analysis.describe import asked_mask, ticked
from surveykit.questionnaire.codebook import Codebook
from surveykit.reproduction.published import Publication, PublishedItem, qualified_bounds
from surveykit.core.printed import PubNumber
from surveykit.stats.rtests import fisher_test, kruskal_test, wilcox_test

from .open_answers import OpenAnswer
from .rounding import target

MC_REPLICATES = 2000  # R's default B for simulated Fisher p-values


@dataclass(frozen=True)
class Check:
    ref: str
    published: str
    reached: str
    status: str  # "ok", "ok (décimales imprimées)", "non atteint", "non vérifiable"
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status.startswith("ok")


def _fr(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _judge(numbers: Mapping[str, tuple[PubNumber, float]]) -> str:
    """'ok' when every value is inside its strict interval, 'ok (décimales imprimées)' when only the
    printed digits are met, else 'non atteint'."""
    def inside(reading: str) -> bool:
        return all(target(pub, reading).contains(Fraction(value)) for pub, value in numbers.values())

    if inside("strict"):
        return "ok"
    if inside("printed"):
        return "ok (décimales imprimées)"
    return "non atteint"


def _percent_matches(item: PublishedItem, pct: float) -> bool:
    """A percentage is a function of the count: printed as R's sprintf does (correct rounding of the
    binary value, exact ties to even: 2/32 = 6,25 % prints 6,2), trailing zeros possibly dropped."""
    number = item.numbers["pct"]
    bounds = qualified_bounds(item.qualifier, number.value)
    if bounds is not None:
        return bounds.admit(pct)
    for digits in sorted({number.digits, number.round_to}):
        text = f"{pct:.{digits}f}".replace(".", ",")
        if text == number.text or text.rstrip("0").rstrip(",") == number.text:
            return True
    return False


def _group_mask(table: pd.DataFrame, item: PublishedItem) -> pd.Series:
    if item.by is None:
        return pd.Series(True, index=table.index)
    return table[item.by] == item.group


def _scale(table: pd.DataFrame, variable: str, mask: pd.Series) -> np.ndarray:
    values = pd.to_numeric(table.loc[mask, variable], errors="coerce")
    return values.dropna().to_numpy(dtype=float)


def _check_count(table: pd.DataFrame, item: PublishedItem, book: Codebook | None = None) -> Check:
    """n and % of a level (or levels, summed) among the item's group, its `among` subgroup and, for a question
    the form asks only some respondents, those asked; without a printed denominator, the answers given
    (a multi-response question: the respondents asked) are the denominator, as in the pipeline's tables."""
    mask = _group_mask(table, item)
    for variable, level in item.among:
        mask &= table[variable] == level
    question = book.variable_question().get(item.variable) if book is not None else None
    answered = None
    if item.kind == "rank_count":
        hits = pd.to_numeric(table.loc[mask, item.variable], errors="coerce") == item.rank
    elif question is not None and question.is_multi:
        mask &= asked_mask(table, question)
        hits = ticked(table.loc[mask, item.variable].fillna(""), item.level[0])
    else:
        values = table.loc[mask, item.variable]
        hits = values.isin(item.level)
        answered = int((values.fillna("").astype(str) != "").sum())
    n = int(hits.sum())
    denominator = item.denominator or (answered if answered is not None else int(mask.sum()))
    pct = 100 * n / denominator
    status = "ok" if "n" not in item.numbers or item.count == n else "non atteint"
    if "pct" in item.numbers and not _percent_matches(item, pct):
        status = "non atteint"
    published = " ".join(f"{k}={v.text}" for k, v in item.numbers.items())
    return Check(item.ref, published, f"n={n} pct={_fr(pct, 1)}", status)


def _check_mean_sd(table: pd.DataFrame, item: PublishedItem) -> Check:
    values = _scale(table, item.variable, _group_mask(table, item))
    mean, sd = float(np.mean(values)), float(np.std(values, ddof=1))
    status = _judge({"mean": (item.numbers["mean"], mean), "sd": (item.numbers["sd"], sd)})
    published = f"{item.numbers['mean'].text} ± {item.numbers['sd'].text} (n = {item.size})"
    return Check(item.ref, published, f"{_fr(mean, 3)} ± {_fr(sd, 3)} (n = {len(values)})", status)


def _contingency(table: pd.DataFrame, variable: str, by: str, book: Codebook) -> np.ndarray:
    rows, cols = book.question(variable).levels, book.question(by).levels
    counts = pd.crosstab(table[variable], table[by]).reindex(index=rows, columns=cols, fill_value=0)
    return counts.to_numpy()


def _check_p(table: pd.DataFrame, item: PublishedItem, book: Codebook) -> Check:
    levels = book.question(item.by).levels
    groups = [_scale(table, item.variable, table[item.by] == level) for level in levels] if item.test != "fisher" else []
    note = ""
    if item.test == "wilcoxon":
        p = wilcox_test(groups[0], groups[1]).p_value
    elif item.test == "kruskal":
        p = kruskal_test(groups).p_value
    else:
        p = fisher_test(_contingency(table, item.variable, item.by, book)).p_value
        z = (item.numbers["p"].value - p) / max(np.sqrt(p * (1 - p) / MC_REPLICATES), 1e-12)
        note = (
            "p exacte fixée par les effectifs publiés (la reconstruction n'y peut rien) ; écart = "
            f"{_fr(z, 1)} erreurs-types d'une p simulée (fisher.test(simulate.p.value = TRUE, B = {MC_REPLICATES}))"
        )
    status = _judge({"p": (item.numbers["p"], p)})
    return Check(item.ref, item.numbers["p"].text, _fr(p, 6), status, note)


def _check_open(table: pd.DataFrame, item: PublishedItem, answers: Mapping[str, Sequence[OpenAnswer]]) -> Check:
    question = item.question
    column = table[question].fillna("").astype(str)
    if question == "role_tle":  # an "Autre :" answer is coded from its free text
        other = table["role_tle_autre"].fillna("").astype(str)
        column = column.where(other == "", other)
    given = column[column != ""]
    if item.kind == "answer_count":
        n = len(given)
        return Check(item.ref, item.numbers["n"].text, str(n), "ok" if n == item.count else "non atteint")
    coding: dict[str, set[str]] = {}
    for answer in answers.get(question, []):
        text = answer.text if answer.text is not None else answer.option
        coding.setdefault(text, set()).update(answer.categories)
    known = {c for cats in coding.values() for c in cats}
    if item.category not in known:
        return Check(item.ref, item.numbers["n"].text, "—", "non vérifiable",
                     f"catégorie « {item.category} » absente du codage prévu de open_answers.yaml")
    n = int(sum(item.category in coding.get(text, set()) for text in given))
    numbers = {"n": (item.numbers["n"], n)}
    status = _judge(numbers)
    if item.qualifier == "plus de" and 100 * n / item.denominator <= item.numbers["pct"].value:
        status = "non atteint"
    return Check(item.ref, item.numbers["n"].text, str(n), status, "codage prévu (open_answers.yaml)")


def verify(table: pd.DataFrame, pub: Publication, book: Codebook, answers: Mapping[str, Sequence[OpenAnswer]]) -> list[Check]:
    """One Check per published item, in file order."""
    checks = []
    for item in pub.items:
        if item.kind in ("count", "rank_count"):
            checks.append(_check_count(table, item, book))
        elif item.kind == "mean_sd":
            checks.append(_check_mean_sd(table, item))
        elif item.kind == "p_value":
            checks.append(_check_p(table, item, book))
        else:
            checks.append(_check_open(table, item, answers))
    return checks


def render(checks: Sequence[Check], solver_lines: Sequence[str], findings: Sequence[str], header: Sequence[str],
           solver_title: str = "Résolution des freins (tableaux 6 à 8)") -> str:
    """Markdown report: summary, solver log, audit findings, then every target."""
    counts = pd.Series([c.status for c in checks]).value_counts().to_dict()
    lines = ["# Rapport de reconstruction", "", *header, "", "## Bilan", ""]
    lines += [f"- {status} : {n}" for status, n in sorted(counts.items())]
    lines += ["", f"## {solver_title}", "", *[f"- {s}" for s in solver_lines]]
    lines += ["", "## Constats d'audit (cibles inatteignables ou non atteintes)", ""]
    misses = [c for c in checks if c.status == "non atteint"]
    if not findings and not misses:
        lines.append("- Aucun.")
    lines += [f"- {f}" for f in findings]
    lines += [f"- {c.ref} : publié {c.published}, obtenu {c.reached}" + (f" — {c.note}" if c.note else "") for c in misses]
    lines += ["", "## Toutes les cibles", "", "| Référence | Publié | Obtenu | Statut | Note |", "|---|---|---|---|---|"]
    lines += [f"| {c.ref} | {c.published} | {c.reached} | {c.status} | {c.note} |" for c in checks]
    return "\n".join(lines) + "\n"
