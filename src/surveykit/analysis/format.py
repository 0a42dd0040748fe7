"""French, ready-to-print versions of the tidy tables (what the chapter and Word show).

Input: the tidy table and tests.csv rows of one table; output: a small frame of strings and a
footnote in the reader's words: what the cells are, the denominators, which test compared what and
why (« Test exact de Fisher (effectif théorique < 5 dans au moins une case) »), whether the p-values
are adjusted for multiplicity, and the study's own notes.
"""
from __future__ import annotations

import pandas as pd

from surveykit.core import fmt
from surveykit.core.testnames import TEST_LABELS_FR
from surveykit.questionnaire.codebook import Codebook

from .describe import ALL, MISSING_LABEL
from .plan import Plan, TableSpec

P_COLUMN = "Valeur de p"
ADJUSTED = {"holm": "p ajustée (Holm)", "BH": "p ajustée (Benjamini-Hochberg)"}
ADJUSTED_COLUMN = {"holm": "p_holm", "BH": "p_bh"}
EFFECT_COLUMN = "Taille d'effet [IC 95 %]"
EFFECT_NAMES = {"V de Cramér (corrigé)": "V de Cramér corrigé du biais (Bergsma), IC unilatéral [borne inférieure ; 1] "
                                         "par inversion du khi² non central, dont la borne inférieure dépasse 0 "
                                         "exactement quand le test du khi² sans correction conclut au seuil de 5 %",
                "corrélation rang-bisériale": "corrélation rang-bisériale, IC par inversion du test de Wilcoxon "
                                              "(il exclut 0 exactement quand ce test conclut)",
                "epsilon² (Kruskal-Wallis)": "epsilon² des rangs, IC unilatéral [borne inférieure ; 1] par inversion "
                                             "du khi² non central du test de Kruskal-Wallis (borne inférieure nulle "
                                             "quand ce test ne conclut pas)"}
FISHER_EFFECT_NOTE = ("le V de Cramér se rapporte au khi² : quand le test affiché est le test exact de Fisher, "
                      "son intervalle peut ne pas s'accorder exactement avec lui")


def _group_columns(spec: TableSpec, plan: Plan, tidy: pd.DataFrame) -> dict[str, str]:
    """Group level -> column header 'Utilisateurs n = 32'."""
    groups = [g for g in tidy["group"].drop_duplicates() if g != ALL]
    rows = tidy[tidy["group"] != ALL]
    sizes = rows.groupby("group")["n" if spec.kind == "scores" else "denominator"].max()
    return {g: f"{plan.group_label(spec.by, g)} {fmt.n_equals(int(sizes.get(g, 0)))}" for g in groups}


def _test_row(tests: pd.DataFrame, variable: str, level: str = "") -> pd.Series | None:
    rows = tests[(tests["variable"] == variable) & (tests["level"].fillna("") == level)]
    return rows.iloc[0] if len(rows) else None


def _p_cells(spec: TableSpec, tests: pd.DataFrame, variable: str, level: str = "") -> dict[str, str]:
    """The p column (and the adjusted one when the plan adjusts) of one row."""
    row = _test_row(tests, variable, level)
    cells = {P_COLUMN: fmt.p_value(float(row["p_value"])) if row is not None else ""}
    if spec.adjust in ADJUSTED:
        cells[ADJUSTED[spec.adjust]] = fmt.p_value(float(row[ADJUSTED_COLUMN[spec.adjust]])) if row is not None else ""
    if spec.effect_size:
        cells[EFFECT_COLUMN] = _effect_text(row)
    return cells


def _effect_text(row: pd.Series | None) -> str:
    """« 0,21 [0,00 ; 0,45] »: the estimate and its two-sided 95 % interval."""
    if row is None or fmt.is_missing(row["effect_value"]):
        return ""
    return f"{fmt.number(row['effect_value'], 2)} [{fmt.number(row['ci_low'], 2)} ; {fmt.number(row['ci_high'], 2)}]"


def variable_label(plan: Plan, book: Codebook, variable: str) -> str:
    """What a table calls a variable: the plan's label, else the grid row's or the question's label."""
    if variable in plan.variable_labels:
        return plan.variable_labels[variable]
    question = book.variable_question().get(variable)
    if question is None:
        return variable
    return question.item_label(variable) if question.items else question.display_label


def _empty_cells(columns: dict[str, str]) -> dict[str, str]:
    return {header: "" for header in columns.values()}


# --------------------------------------------------------------------------- categorical


def _categorical(spec, plan, book, tidy, tests) -> pd.DataFrame:
    groups = _group_columns(spec, plan, tidy) if spec.by else {}
    records = []
    for variable in spec.variables:
        sub = tidy[tidy["variable"] == variable]
        levels = list(sub["level"].drop_duplicates())
        if spec.hide_empty_levels:
            levels = [lv for lv in levels if sub.loc[sub["level"] == lv, "n"].sum() > 0]
        per_option = book.variable_question()[variable].is_multi
        for position, level in enumerate(levels):
            record = {"Caractéristique": variable_label(plan, book, variable) if position == 0 else "",
                      "Modalité": level}
            for group, header in (groups or {ALL: "n (%)"}).items():
                row = sub[(sub["level"] == level) & (sub["group"] == group)]
                if level == MISSING_LABEL:  # a group without missing answers has no such row
                    record[header] = fmt.integer(row["n"].iloc[0]) if len(row) else "0"
                else:
                    record[header] = fmt.count_percent(int(row["n"].iloc[0]), row["pct"].iloc[0])
            if spec.compares:
                shown = per_option or position == 0
                cells = _p_cells(spec, tests, variable, level if per_option else "")
                record.update(cells if shown and level != MISSING_LABEL else {k: "" for k in cells})
            records.append(record)
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- scores


def _tied_ranks(overall: pd.DataFrame) -> dict[str, str]:
    """Rank of each item as printed: items whose means print the same share a rank, « ex aequo »."""
    printed = [(row.variable, fmt.number(row.mean)) for row in overall.itertuples()]
    ranks, position = {}, 0
    for index, (variable, mean) in enumerate(printed):
        if index == 0 or mean != printed[index - 1][1]:
            position = index + 1
        ranks[variable] = position
    shared = {r for r in ranks.values() if list(ranks.values()).count(r) > 1}
    return {v: f"{r} ex aequo" if r in shared else str(r) for v, r in ranks.items()}


def _median_text(cell: pd.Series, digits: int = 1) -> str:
    """« 5,0 [3,0–8,0] »: median and quartiles (R's type 7)."""
    return fmt.median_iqr(cell["median"], cell["q1"], cell["q3"], digits)


def value_digits(tidy: pd.DataFrame, variable: str) -> int:
    """Decimals of a summarised number's statistics, by the kind of its answers (fmt.location_digits): the
    distinct values a summary table counts (its rows other than the statistics and the missing answers)."""
    rows = tidy[(tidy["variable"] == variable) & ~tidy["level"].isin(["", MISSING_LABEL])]
    return fmt.location_digits(rows["level"].drop_duplicates())


def _interpretation(spec: TableSpec, cell: pd.Series) -> str:
    """The study's words for an overall mean (and a large SD), from the plan's `interpretation`."""
    rules = spec.interpretation
    text = next(level["text"] for level in rules["levels"] if "below" not in level or cell["mean"] < level["below"])
    spread = rules.get("spread")
    if spread and cell["sd"] > spread["above"]:
        text += f", {spread['text']} (écart-type {fmt.number(cell['sd'])})"
    return text


def _scores(spec, plan, book, tidy, tests) -> pd.DataFrame:
    overall = tidy[tidy["group"] == ALL].copy()
    if spec.order == "mean_desc":
        overall = overall.sort_values("rank")
    ranks = _tied_ranks(overall) if spec.order == "mean_desc" else {}
    groups = _group_columns(spec, plan, tidy) if spec.by else {ALL: "Moyenne ± écart-type"}
    records = []
    for row in overall.itertuples():
        record = {"Rang": ranks[row.variable]} if ranks else {}
        record[spec.row_header or "Item"] = variable_label(plan, book, row.variable)
        for group, header in groups.items():
            cell = tidy[(tidy["variable"] == row.variable) & (tidy["group"] == group)].iloc[0]
            mean_sd = fmt.mean_sd(cell["mean"], cell["sd"])
            if spec.median and spec.by:
                record[header] = f"{mean_sd} ; {_median_text(cell)}"
            else:
                record[header] = mean_sd
        if spec.median and not spec.by:
            record["Médiane [Q1–Q3]"] = _median_text(tidy[(tidy["variable"] == row.variable)
                                                          & (tidy["group"] == ALL)].iloc[0])
        if spec.compares:
            record.update(_p_cells(spec, tests, row.variable))
        if spec.interpretation:
            record[spec.interpretation.get("header", "Interprétation")] = _interpretation(
                spec, tidy[(tidy["variable"] == row.variable) & (tidy["group"] == ALL)].iloc[0])
        records.append(record)
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- ranks


def _rank_cell(sub: pd.DataFrame, plan: Plan, book: Codebook) -> str:
    """The item(s) most often given a rank in one group, ties together: « Fax : 24 (75 %) »."""
    if sub.empty or sub["n"].max() == 0:
        return "—"
    top = sub[sub["n"] == sub["n"].max()]
    items = " ; ".join(variable_label(plan, book, v) for v in top["variable"])
    first = top.iloc[0]
    return f"{items} : {fmt.count_percent(int(first['n']), first['pct'])}" + (" chacun" if len(top) > 1 else "")


def _ranks(spec, plan, book, tidy, tests) -> pd.DataFrame:
    """One row per rank, one column per group (as a categorical table, so the two can share one table)."""
    groups = _group_columns(spec, plan, tidy) if spec.by else {ALL: "n (%)"}
    records = []
    label = variable_label(plan, book, spec.grid) if spec.grid else ""
    for position, rank in enumerate(spec.ranks):
        text = (spec.rank_text or "{rank}").replace("{rank}", fmt.ordinal(rank))
        record = {"Caractéristique": label if position == 0 else "", "Modalité": text}
        for group, header in groups.items():
            record[header] = _rank_cell(tidy[(tidy["group"] == group) & (tidy["level"] == str(rank))], plan, book)
        records.append(record)
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- summary


def _summary(spec, plan, book, tidy, tests) -> pd.DataFrame:
    records = []
    for variable in spec.variables:
        row = tidy[(tidy["variable"] == variable) & (tidy["level"] == "")].iloc[0]
        digits = value_digits(tidy, variable)
        records.append({"Variable": variable_label(plan, book, variable), "n": fmt.integer(row["n"]),
                        "Moyenne ± écart-type": fmt.mean_sd(row["mean"], row["sd"], digits),
                        "Médiane [Q1–Q3]": _median_text(row, digits)})
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- choice grid

POSITIVE_COLUMN = "Pôle positif"


def ordinal_note(question, lead: str = "rangs") -> str:
    """How a rank test reads a choice grid: the level codes, and the levels left out."""
    order = question.substantive_levels
    note = f"{lead} sur l'ordre des modalités, de « {order[0]} » (1) à « {order[-1]} » ({len(order)})"
    if question.non_substantive:
        left = prose_join([f"« {level} »" for level in question.non_substantive])
        note += f", {left} exclu{'es' if len(question.non_substantive) > 1 else 'e'} du test"
    return note


def prose_join(items: list[str], last: str = "et") -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def grid_label(plan: Plan, book: Codebook, grid: str) -> str:
    """What a table calls a grid question: the plan's label, else the codebook's label or header."""
    return plan.variable_labels.get(grid) or book.question(grid).display_label


def _share(row: pd.DataFrame) -> str:
    """« 48,6 % » of one tidy row, « — » when nobody answered (no denominator)."""
    if not len(row) or not row["denominator"].iloc[0]:
        return "—"
    return fmt.percent(row["pct"].iloc[0])


def grid_order(spec: TableSpec, tidy: pd.DataFrame) -> list[str]:
    """The items in the table's order: by overall share at the positive end (rank 1 first), or questionnaire."""
    if spec.order != "positive_desc":
        return list(spec.variables)
    ranks = tidy[(tidy["level"] == "") & (tidy["group"] == ALL)].set_index("variable")["rank"]
    return sorted(spec.variables, key=lambda v: ranks[v])


def _grid_choice(spec, plan, book, tidy, tests) -> pd.DataFrame:
    """One row per item: its answers (n), the % of each level and of the positive end. With `by`, the item's row
    (all respondents, with the p-values) is followed by one row per group. Percentages alone in the cells, the
    counts being in the n column (and in descriptives.csv): six levels of « n (%) » do not fit a printed page."""
    question = book.question(spec.grid)
    groups = [ALL] + (list(book.question(spec.by).levels) if spec.by else [])
    stub = spec.row_header or "Item"
    records = []
    for variable in grid_order(spec, tidy):
        sub = tidy[tidy["variable"] == variable]
        for group in groups:
            cells = sub[sub["group"] == group]
            answered = cells.loc[cells["level"].isin(question.levels), "denominator"]
            record = {stub: variable_label(plan, book, variable) if group == ALL else plan.group_label(spec.by, group),
                      "n": str(int(answered.iloc[0])) if len(answered) else "0"}
            for level in question.levels:
                record[level] = _share(cells[cells["level"] == level])
            record[POSITIVE_COLUMN] = _share(cells[cells["level"] == ""])
            if spec.compares:
                p_cells = _grid_p_cells(spec, tests, variable)
                record.update(p_cells if group == ALL else {k: "" for k in p_cells})
            records.append(record)
    return pd.DataFrame(records)


def _grid_p_cells(spec: TableSpec, tests: pd.DataFrame, variable: str) -> dict[str, str]:
    """A grid's items form one family: its table prints the adjusted p only when the plan adjusts (the raw p
    stays in tests.csv), so that the levels' columns fit the page."""
    cells = _p_cells(spec, tests, variable)
    if spec.adjust in ADJUSTED:
        cells.pop(P_COLUMN)
    return cells


def _grid_note(spec: TableSpec, plan: Plan, book: Codebook) -> list[str]:
    """What a choice grid's cells, positive end and rank tests are."""
    question = book.question(spec.grid)
    positive = prose_join([f"« {level} »" for level in question.positive_levels], "ou")
    among = "des réponses renseignées"
    if question.non_substantive:
        among += " hors " + prose_join([f"« {level} »" for level in question.non_substantive], "et")
    order = " ; items classés par cette part" if spec.order == "positive_desc" else ""
    rows = f" ; sous chaque item, une ligne par modalité de « {plan.variable_labels.get(spec.by) or book.question(spec.by).display_label} »" \
        if spec.by else ""
    parts = [f"n : réponses renseignées à l'item ; pourcentages de ces réponses{rows}.",
             f"{POSITIVE_COLUMN} : {positive}, en pourcentage {among}{order}."]
    return parts


FORMATTERS = {"categorical": _categorical, "scores": _scores, "ranks": _ranks, "summary": _summary,
              "grid_choice": _grid_choice}


# --------------------------------------------------------------------------- footnote


def _why(row: pd.Series) -> str:
    """Why this test, in the reader's words (the full reasoning stays in tests.csv)."""
    test = row["test"]
    if row["choice"] == "forced":
        return "prévu par le plan d'analyse"
    if test == "chisq":
        yates = "Yates" in str(row["method"])
        return "effectifs théoriques tous ≥ 5" + (", avec correction de continuité de Yates" if yates else "")
    if test in ("fisher", "fisher_mc"):
        return "effectif théorique < 5 dans au moins une case"
    if test in ("wilcoxon", "kruskal"):
        return "distribution non normale dans au moins un groupe (test de Shapiro-Wilk)"
    return "distributions compatibles avec la normalité dans chaque groupe (test de Shapiro-Wilk)"


def _test_sentences(spec: TableSpec, plan: Plan, book: Codebook, tests: pd.DataFrame) -> list[str]:
    """One sentence per (test, why): « Test exact de Fisher (…) : Âge, Structure. »"""
    done = tests[tests["test"].fillna("") != ""]
    groups: dict[str, list[str]] = {}
    for row in done.itertuples(index=False):
        row = pd.Series(row._asdict())
        name = TEST_LABELS_FR.get(row["test"], row["test"])
        if row["test"] == "fisher_mc":
            name = f"{TEST_LABELS_FR['fisher']}, p estimée par simulation de Monte-Carlo"
        key = f"{name[:1].upper()}{name[1:]} ({_why(row)})"
        what = variable_label(plan, book, row["variable"])
        level = "" if fmt.is_missing(row["level"]) else row["level"]
        groups.setdefault(key, []).append(f"{what} : {level}" if level else what)
    if len(groups) == 1:
        return [f"{next(iter(groups))}."]
    # The test used most often is stated once for « the other comparisons »; the others name what they test.
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    (common, _items), others = ordered[0], ordered[1:]
    sentences = [f"{key} : {', '.join(dict.fromkeys(items))}." for key, items in others]
    rest = common[:1].lower() + common[1:]
    return sentences + [f"Autres comparaisons : {rest}."]


def _multiplicity(spec: TableSpec, tests: pd.DataFrame) -> list[str]:
    done = tests[tests["test"].fillna("") != ""]
    if len(done) < 2:
        return []
    if spec.adjust in ADJUSTED:
        method = "Holm" if spec.adjust == "holm" else "Benjamini-Hochberg"
        return [f"Valeurs de p ajustées pour {len(done)} comparaisons par la méthode de {method}."]
    return [f"Comparaisons exploratoires : les {len(done)} valeurs de p ne sont pas ajustées pour la multiplicité."]


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


MULTI_DENOMINATORS = {"asked": "parmi les répondants à qui la question était posée",
                      "answered": "parmi les répondants ayant coché au moins une option (les autres sont comptés "
                                  "comme non renseignés)"}


def _multi_note(spec: TableSpec, plan: Plan, book: Codebook, multi: list[str]) -> str:
    """Whom the options of the table's multi-response questions are counted among (their `denominator`)."""
    kinds = {}
    for variable in multi:
        kinds.setdefault(book.variable_question()[variable].multi_denominator, []).append(variable)
    if len(kinds) == 1:
        among = MULTI_DENOMINATORS[next(iter(kinds))]
        note = f"Question à réponses multiples : chaque option est comptée {among}"
    else:  # each question named with its denominator
        among = " ; ".join(f"{MULTI_DENOMINATORS[kind]} pour "
                           + ", ".join(f"« {variable_label(plan, book, v)} »" for v in variables)
                           for kind, variables in sorted(kinds.items()))
        note = f"Questions à réponses multiples : chaque option est comptée {among}"
    return (note + f" ; le total peut dépasser 100{fmt.NBSP}%."
            + (" Un test par option (cochée ou non selon le groupe)." if spec.compares else ""))


def footnote(spec: TableSpec, plan: Plan, book: Codebook, tidy: pd.DataFrame, tests: pd.DataFrame) -> str:
    """What the cells are, denominators, missing answers, the study's notes, tests and multiplicity."""
    parts = []
    multi = [v for v in spec.variables if book.variable_question()[v].is_multi]
    if spec.kind in ("categorical", "ranks"):
        parts.append("Effectif (pourcentage) ; les pourcentages portent sur les réponses renseignées.")
        if multi:
            parts.append(_multi_note(spec, plan, book, multi))
        missing = tidy[(tidy["level"] == MISSING_LABEL) & (tidy["group"] == ALL)]
        if len(missing):
            parts.append("Réponses non renseignées : " + ", ".join(
                f"{variable_label(plan, book, v)} ({fmt.n_equals(int(n))})"
                for v, n in missing[["variable", "n"]].itertuples(index=False)) + ".")
    elif spec.kind == "scores":
        cells = "moyenne ± écart-type ; médiane [Q1–Q3]" if spec.median and spec.by else "moyenne ± écart-type"
        parts.append(f"{cells[:1].upper()}{cells[1:]}{_scale_note(spec, book)}.")
    elif spec.kind == "summary":
        parts.append("Médiane et quartiles selon la définition par défaut de R (type 7).")
    elif spec.kind == "grid_choice":
        parts += _grid_note(spec, plan, book)
        missing = tidy[(tidy["level"] == MISSING_LABEL) & (tidy["group"] == ALL)]
        if len(missing):
            parts.append("Réponses non renseignées : " + ", ".join(
                f"{variable_label(plan, book, v)} ({fmt.n_equals(int(n))})"
                for v, n in missing[["variable", "n"]].itertuples(index=False)) + ".")
        if len(tests) and tests["test"].isin(["wilcoxon", "kruskal"]).any():
            parts.append(f"{ordinal_note(book.question(spec.grid), 'Tests de rangs')}.")
    if spec.effect_size and len(tests):
        names = sorted({EFFECT_NAMES.get(e, e) for e in tests["effect"].dropna() if e})
        if "V de Cramér (corrigé)" in set(tests["effect"]) and tests["test"].isin(["fisher", "fisher_mc"]).any():
            names.append(FISHER_EFFECT_NOTE)
        parts.append("Taille d'effet : " + " ; ".join(names) + ".")
    parts += list(spec.notes)
    if len(tests):
        parts += _test_sentences(spec, plan, book, tests)
        parts += _multiplicity(spec, tests)
    return " ".join(parts)


def format_table(spec: TableSpec, plan: Plan, book: Codebook, tidy: pd.DataFrame,
                 tests: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    table_tests = tests[tests["table"] == spec.id]
    return (FORMATTERS[spec.kind](spec, plan, book, tidy, table_tests),
            footnote(spec, plan, book, tidy, table_tests))


__all__ = ["format_table", "footnote", "variable_label", "P_COLUMN"]
