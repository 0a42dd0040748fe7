"""French, ready-to-print versions of the tidy tables (what the chapter and Word show).

Input: the tidy table and tests.csv rows of one table; output: a small frame of strings
and a footnote stating the test used and why, as gtsummary does.
"""
from __future__ import annotations

import pandas as pd

from .. import fmt
from ..codebook import Codebook
from .describe import ALL, MISSING_LABEL
from .plan import Plan, TableSpec

TEST_NAMES = {
    "fisher": "test exact de Fisher",
    "fisher_mc": "test exact de Fisher (p simulée par Monte-Carlo)",
    "chisq": "test du chi²",
    "t_welch": "test t de Welch",
    "t_student": "test t de Student",
    "wilcoxon": "test de Wilcoxon (Mann-Whitney)",
    "anova": "analyse de variance à un facteur",
    "kruskal": "test de Kruskal-Wallis",
}
P_COLUMN = "Valeur de p"


def _group_columns(spec: TableSpec, plan: Plan, tidy: pd.DataFrame) -> dict[str, str]:
    """Group level -> column header 'Utilisateurs n = 32'."""
    groups = [g for g in tidy["group"].drop_duplicates() if g != ALL]
    sizes = tidy[tidy["group"] != ALL].groupby("group")["denominator"].max() if spec.kind != "scores" else \
        tidy[tidy["group"] != ALL].groupby("group")["n"].max()
    return {g: f"{plan.group_label(spec.by, g)} {fmt.n_equals(int(sizes.get(g, 0)))}" for g in groups}


def _p_text(tests: pd.DataFrame, variable: str, level: str = "") -> str:
    row = tests[(tests["variable"] == variable) & (tests["level"].fillna("") == level)]
    return fmt.p_value(float(row["p_value"].iloc[0])) if len(row) else ""


def variable_label(plan: Plan, book: Codebook, variable: str) -> str:
    """What a table calls a variable: the plan's label, else the grid row's or the question's label."""
    if variable in plan.variable_labels:
        return plan.variable_labels[variable]
    question = book.variable_question().get(variable)
    if question is None:
        return variable
    return question.item_label(variable) if question.items else question.display_label


def _categorical(spec, plan, book, tidy, tests) -> pd.DataFrame:
    groups = _group_columns(spec, plan, tidy) if spec.by else {}
    records = []
    for variable in spec.variables:
        sub = tidy[tidy["variable"] == variable]
        levels = list(sub["level"].drop_duplicates())
        if spec.hide_empty_levels:
            levels = [lv for lv in levels if sub.loc[sub["level"] == lv, "n"].sum() > 0]
        for position, level in enumerate(levels):
            record = {"Caractéristique": variable_label(plan, book, variable) if position == 0 else "", "Modalité": level}
            for group, header in (groups or {ALL: "n (%)"}).items():
                row = sub[(sub["level"] == level) & (sub["group"] == group)]
                if level == MISSING_LABEL:  # a group without missing answers has no such row
                    record[header] = str(int(row["n"].iloc[0])) if len(row) else "0"
                else:
                    record[header] = fmt.count_percent(int(row["n"].iloc[0]), row["pct"].iloc[0])
            if spec.compares:
                per_option = book.variable_question()[variable].is_multi
                record[P_COLUMN] = _p_text(tests, variable, level) if per_option else \
                    _p_text(tests, variable) if position == 0 else ""
            records.append(record)
    return pd.DataFrame(records)


def _scores(spec, plan, book, tidy, tests) -> pd.DataFrame:
    overall = tidy[tidy["group"] == ALL].copy()
    if spec.order == "mean_desc":
        overall = overall.sort_values("rank")
    groups = _group_columns(spec, plan, tidy) if spec.by else {ALL: "Moyenne ± écart-type"}
    records = []
    for row in overall.itertuples():
        record = {"Rang": str(int(row.rank))} if spec.order == "mean_desc" else {}
        record[spec.row_header or "Item"] = variable_label(plan, book, row.variable)
        for group, header in groups.items():
            cell = tidy[(tidy["variable"] == row.variable) & (tidy["group"] == group)].iloc[0]
            record[header] = fmt.mean_sd(cell["mean"], cell["sd"])
        if spec.compares:
            record[P_COLUMN] = _p_text(tests, row.variable)
        records.append(record)
    return pd.DataFrame(records)


def _ranks(spec, plan, book, tidy, tests) -> pd.DataFrame:
    records = []
    for group in tidy["group"].drop_duplicates():
        for rank in spec.ranks:
            sub = tidy[(tidy["group"] == group) & (tidy["level"] == str(rank))]
            top = sub.sort_values(["n", "variable"], ascending=[False, True]).iloc[0]
            rank_text = (spec.rank_text or "{rank}").replace("{rank}", fmt.ordinal(rank))
            records.append({"Groupe": f"{plan.group_label(spec.by, group)} {fmt.n_equals(int(top['denominator']))}",
                            spec.rank_header or "Rang": rank_text,
                            spec.row_header or "Item": variable_label(plan, book, top["variable"]),
                            "n (%)": fmt.count_percent(int(top["n"]), top["pct"])})
    return pd.DataFrame(records)


def _summary(spec, plan, book, tidy, tests) -> pd.DataFrame:
    records = []
    for variable in spec.variables:
        row = tidy[(tidy["variable"] == variable) & (tidy["level"] == "")].iloc[0]
        records.append({"Variable": variable_label(plan, book, variable), "n": str(int(row["n"])),
                        "Moyenne ± écart-type": fmt.mean_sd(row["mean"], row["sd"]),
                        "Médiane [Q1 – Q3]": f"{fmt.number(row['median'])} [{fmt.number(row['q1'])} – "
                                             f"{fmt.number(row['q3'])}]"})
    return pd.DataFrame(records)


FORMATTERS = {"categorical": _categorical, "scores": _scores, "ranks": _ranks, "summary": _summary}


def _scale_note(spec: TableSpec, book: Codebook) -> str:
    """'échelle de 1 (pas du tout) à 5 (tout à fait)' from the codebook, when the items share one scale."""
    questions = [book.variable_question()[v] for v in spec.variables]
    scales = {(q.min, q.max, q.anchors.get("low"), q.anchors.get("high")) for q in questions}
    if len(scales) != 1:
        return ""
    low, high, low_word, high_word = scales.pop()
    if low is None or high is None:
        return ""
    low_text = f"{fmt.number(low, 0)} ({low_word})" if low_word else fmt.number(low, 0)
    high_text = f"{fmt.number(high, 0)} ({high_word})" if high_word else fmt.number(high, 0)
    return f" ; échelle de {low_text} à {high_text}"


def footnote(spec: TableSpec, book: Codebook, tidy: pd.DataFrame, tests: pd.DataFrame) -> str:
    """Denominators, missing answers, test used and the reason it was chosen."""
    parts = []
    multi = [v for v in spec.variables if book.variable_question()[v].is_multi]
    if spec.kind == "categorical":
        parts.append("Effectif (pourcentage) ; les pourcentages portent sur les réponses renseignées.")
        if multi:
            parts.append("Question à réponses multiples : chaque option est comptée parmi les répondants à qui la "
                         f"question était posée ; le total peut dépasser 100{fmt.NBSP}%.")
            if spec.compares:
                parts.append("Un test par option (cochée ou non selon le groupe).")
        missing = tidy[tidy["level"] == MISSING_LABEL]
        if len(missing):
            parts.append("Réponses non renseignées : " + ", ".join(
                f"{v} ({fmt.n_equals(int(n))})" for v, n in missing[missing["group"] == ALL][["variable", "n"]]
                .itertuples(index=False)) + ".")
    elif spec.kind == "scores":
        parts.append(f"Moyenne ± écart-type{_scale_note(spec, book)}.")
    if len(tests):
        for (test, reason), _rows in tests.groupby(["test", "reason"], sort=True):
            named = reason if TEST_NAMES.get(test, test) in reason else f"{TEST_NAMES.get(test, test)} : {reason}"
            parts.append(f"{named[:1].upper()}{named[1:]}.")
    return " ".join(parts)


def format_table(spec: TableSpec, plan: Plan, book: Codebook, tidy: pd.DataFrame,
                 tests: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    table_tests = tests[tests["table"] == spec.id]
    return FORMATTERS[spec.kind](spec, plan, book, tidy, table_tests), footnote(spec, book, tidy, table_tests)
