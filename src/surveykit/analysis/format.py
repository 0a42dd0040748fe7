"""French, ready-to-print versions of the tidy tables (what the chapter and Word show).

Input: the tidy table and tests.csv rows of one table; output: a small frame of strings and a
footnote in the reader's words: what the cells are, the denominators, which test compared what and
why (« Test exact de Fisher (effectif théorique < 5 dans au moins une case) »), whether the p-values
are adjusted for multiplicity, and the study's own notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from surveykit.core import fmt
from surveykit.core.printed import PubNumber, ref_table
from surveykit.core.testnames import TEST_LABELS_FR
from surveykit.questionnaire.codebook import Codebook

from .describe import ALL, MISSING_LABEL
from .plan import Plan, TableSpec

P_COLUMN = "Valeur de p"
ADJUSTMENT_NAMES = {"holm": "Holm", "BH": "Benjamini-Hochberg"}  # who named each correction for multiplicity
# the adjusted p's column header in a table (« p ajustée (Holm) »); a sentence names it with adjusted_p_words
ADJUSTED = {method: f"p ajustée ({name})" for method, name in ADJUSTMENT_NAMES.items()}
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


def adjusted_p_words(method: str) -> tuple[str, str]:
    """How a sentence names the p adjusted by `method`, singular and plural: « p ajustée selon Holm », « p ajustées
    selon Holm » — the table's header « p ajustée (Holm) » would nest brackets inside the sentence's parenthesis;
    « p » holds to its adjective, so that no line ends on « (p »."""
    name = ADJUSTMENT_NAMES[method]
    return f"p{fmt.NBSP}ajustée selon {name}", f"p{fmt.NBSP}ajustées selon {name}"


def _group_columns(spec: TableSpec, plan: Plan, tidy: pd.DataFrame) -> dict[str, str]:
    """Group level -> column header 'Utilisateurs n = 32'; with `overall`, the whole sample first
    ('Ensemble n = 39', the plan's `overall_label`)."""
    groups = [g for g in tidy["group"].drop_duplicates() if g != ALL]
    sizes = tidy.groupby("group")["n" if spec.kind == "scores" else "denominator"].max()
    columns = {g: f"{plan.group_label(spec.by, g)} {fmt.n_equals(int(sizes.get(g, 0)))}" for g in groups}
    if spec.overall and ALL in sizes:
        columns = {ALL: f"{plan.overall_label} {fmt.n_equals(int(sizes[ALL]))}"} | columns
    return columns


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


def _categorical(spec, plan, book, tidy, tests, extra) -> pd.DataFrame:
    groups = _group_columns(spec, plan, tidy) if spec.by else {}
    records = []
    for variable in spec.variables:
        sub = tidy[tidy["variable"] == variable]
        levels = list(sub["level"].drop_duplicates())
        levels = [lv for lv in levels if lv != MISSING_LABEL] + [lv for lv in levels if lv == MISSING_LABEL]
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
            record.update(extra.estimate_cells(spec, variable, level))
            records.append(record)
            if per_option:
                records += extra.letters_rows(spec, groups, variable, level, {"Caractéristique": ""}, "Modalité")
        if not per_option:
            records += extra.letters_rows(spec, groups, variable, "", {"Caractéristique": ""}, "Modalité")
    return pd.DataFrame(records).fillna("")  # a letters row has no p


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


def median_digits(tidy: pd.DataFrame, whole_variables=frozenset()) -> dict[tuple[str, str], int]:
    """Decimals of the median and quartiles of each (table, variable) of `tidy` with a median: none for years
    (fmt.location_digits); for whole-number answers (the values its table counts are whole, or the variable is
    among `whole_variables`, a scale's items, whose values a scores table does not count), the decimals of the
    medians and quartiles of these variables in their table taken together (fmt.quantile_digits: « 1 [0–1] »,
    one decimal for all when one falls between two answers); one otherwise (« 12,5 [6,0–15,5] »)."""
    answers = tidy[(tidy["level"] != "") & tidy["mean"].isna()]
    values = {key: list(levels) for key, levels in answers.groupby(["table", "variable"])["level"]}
    located = tidy[tidy["median"].notna()]
    digits, whole = {}, {}
    for key, rows in located.groupby(["table", "variable"]):
        answered = values.get(key, [])
        if answered and fmt.location_digits(answered) == 0:
            digits[key] = 0
        elif key[1] in whole_variables or fmt.whole_numbers(answered):
            whole.setdefault(key[0], []).append(key)
            digits[key] = None  # decided with the other whole numbers of its table
        else:
            digits[key] = 1
    for table, keys in whole.items():
        quantiles = located[located["table"].eq(table) & located["variable"].isin([v for _t, v in keys])]
        shared = fmt.quantile_digits(quantiles[["median", "q1", "q3"]].to_numpy().ravel())
        digits.update(dict.fromkeys(keys, shared))
    return digits


def scale_range(spec: TableSpec, book: Codebook) -> tuple[float, float]:
    """The common (min, max) of a scores table's items (the plan checks that they share one scale)."""
    question = book.variable_question()[spec.variables[0]]
    return question.min, question.max


def interpretation_bounds(spec: TableSpec, book: Codebook) -> list[float]:
    """Upper bounds of the interpretation levels but the last: the plan's `below` values, or the cuts of
    `bands` equal-width classes of the scale's range."""
    rules = spec.interpretation
    if "bands" not in rules:
        return [level["below"] for level in rules["levels"][:-1]]
    low, high = scale_range(spec, book)
    width = (high - low) / len(rules["bands"])
    return [low + width * k for k in range(1, len(rules["bands"]))]


def interpretation_texts(spec: TableSpec) -> list[str]:
    rules = spec.interpretation
    return list(rules["bands"]) if "bands" in rules else [level["text"] for level in rules["levels"]]


def spread_threshold(spec: TableSpec, book: Codebook) -> float | None:
    """The SD above which answers are called heterogeneous: the plan's number, or (`above: uniform`) the SD of
    answers spread evenly over the scale's whole points, sqrt((k² − 1) / 12) for k points."""
    spread = spec.interpretation.get("spread")
    if not spread:
        return None
    if spread["above"] != "uniform":
        return float(spread["above"])
    low, high = scale_range(spec, book)
    points = high - low + 1
    return ((points ** 2 - 1) / 12) ** 0.5


def _interpretation(spec: TableSpec, book: Codebook, cell: pd.Series) -> str:
    """The study's words for an overall mean (and a large SD), by the rule the plan's `interpretation` states."""
    bounds = interpretation_bounds(spec, book)
    texts = interpretation_texts(spec)
    text = texts[sum(cell["mean"] >= bound for bound in bounds)]
    threshold = spread_threshold(spec, book)
    if threshold is not None and cell["sd"] > threshold:
        text += f", {spec.interpretation['spread']['text']} (écart-type {fmt.number(cell['sd'])})"
    return text


def _interpretation_note(spec: TableSpec, book: Codebook) -> str:
    """The rule of the interpretation column, stated: its classes (and why those bounds) and the SD threshold."""
    bounds, texts = interpretation_bounds(spec, book), interpretation_texts(spec)
    header = spec.interpretation.get("header", "Interprétation")
    edges = [fmt.number(b, 2).rstrip("0").rstrip(",") for b in bounds]
    if "bands" in spec.interpretation:
        low, high = (fmt.number(v, 0) for v in scale_range(spec, book))
        cuts = [low] + edges + [high]
        classes = " ; ".join(f"de {cuts[k]} à {'moins de ' if k < len(texts) - 1 else ''}{cuts[k + 1]} : "
                             f"« {text} »" for k, text in enumerate(texts))
        rule = (f"{header} : la moyenne de l'item est placée dans l'une des {len(texts)} classes d'égale largeur "
                f"de l'échelle de {low} à {high} ({classes})")
    else:
        classes = [f"moins de {edges[0]} : « {texts[0]} »"]
        classes += [f"de {edges[k - 1]} à moins de {edges[k]} : « {texts[k]} »" for k in range(1, len(edges))]
        classes.append(f"{edges[-1]} ou plus : « {texts[-1]} »" if edges else f"« {texts[-1]} »")
        rule = f"{header} : seuils fixés par le plan d'analyse ({' ; '.join(classes)})"
    threshold = spread_threshold(spec, book)
    if threshold is not None:
        why = (" (écart-type de réponses réparties également sur les points de l'échelle)"
               if spec.interpretation["spread"]["above"] == "uniform" else "")
        rule += (f" ; « {spec.interpretation['spread']['text']} » quand l'écart-type dépasse "
                 f"{fmt.number(threshold, 2)}{why}")
    return rule + "."


def _overall_note(spec: TableSpec, plan: Plan, book: Codebook) -> str:
    """Who the overall column counts: every respondent, whatever their group."""
    return f"{plan.overall_label} : tous les répondants, groupes réunis ; les tests comparent les groupes entre eux."


def _scores(spec, plan, book, tidy, tests, extra) -> pd.DataFrame:
    overall = tidy[tidy["group"] == ALL].copy()
    if spec.order == "mean_desc":
        overall = overall.sort_values("rank")
    ranks = _tied_ranks(overall) if spec.order == "mean_desc" else {}
    groups = _group_columns(spec, plan, tidy) if spec.by else {ALL: "Moyenne ± écart-type"}
    places = median_digits(tidy, book.whole_number_variables())
    records = []
    for row in overall.itertuples():
        record = {"Rang": ranks[row.variable]} if ranks else {}
        record[spec.row_header or "Item"] = variable_label(plan, book, row.variable)
        for group, header in groups.items():
            cell = tidy[(tidy["variable"] == row.variable) & (tidy["group"] == group)].iloc[0]
            mean_sd = fmt.mean_sd(cell["mean"], cell["sd"])
            if spec.median and spec.by:
                record[header] = f"{mean_sd} ; {_median_text(cell, places.get((row.table, row.variable), 1))}"
            else:
                record[header] = mean_sd
        if spec.median and not spec.by:
            record["Médiane [Q1–Q3]"] = _median_text(tidy[(tidy["variable"] == row.variable)
                                                          & (tidy["group"] == ALL)].iloc[0],
                                                     places.get((row.table, row.variable), 1))
        if spec.compares:
            record.update(_p_cells(spec, tests, row.variable))
        record.update(extra.estimate_cells(spec, row.variable, ""))
        if spec.interpretation:
            record[spec.interpretation.get("header", "Interprétation")] = _interpretation(
                spec, book, tidy[(tidy["variable"] == row.variable) & (tidy["group"] == ALL)].iloc[0])
        records.append(record)
        lead = {"Rang": ""} if ranks else {}
        records += extra.letters_rows(spec, groups, row.variable, "", lead, spec.row_header or "Item")
    return pd.DataFrame(records).fillna("")  # a letters row has no p


# --------------------------------------------------------------------------- ranks


def _rank_cell(sub: pd.DataFrame, plan: Plan, book: Codebook) -> str:
    """The item(s) most often given a rank in one group, ties together: « Fax : 24 (75 %) »."""
    if sub.empty or sub["n"].max() == 0:
        return "—"
    top = sub[sub["n"] == sub["n"].max()]
    items = " ; ".join(variable_label(plan, book, v) for v in top["variable"])
    first = top.iloc[0]
    return f"{items} : {fmt.count_percent(int(first['n']), first['pct'])}" + (" chacun" if len(top) > 1 else "")


def _ranks(spec, plan, book, tidy, tests, extra) -> pd.DataFrame:
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


def _with_unit(label: str, unit: str | None) -> str:
    """« Votre âge (ans) »: the unit the values are in, once (a label already ending with it stays)."""
    return f"{label} ({unit})" if unit and not label.endswith(f"({unit})") else label


def _summary(spec, plan, book, tidy, tests, extra) -> pd.DataFrame:
    places = median_digits(tidy, book.whole_number_variables())
    records = []
    for variable in spec.variables:
        row = tidy[(tidy["variable"] == variable) & (tidy["level"] == "")].iloc[0]
        digits = value_digits(tidy, variable)
        records.append({"Variable": _with_unit(variable_label(plan, book, variable),
                                               book.variable_question()[variable].unit),
                        "n": fmt.integer(row["n"]),
                        "Moyenne ± écart-type": fmt.mean_sd(row["mean"], row["sd"], digits),
                        "Médiane [Q1–Q3]": _median_text(row, places.get((row["table"], variable), digits))})
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


def _grid_choice(spec, plan, book, tidy, tests, extra) -> pd.DataFrame:
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


MONTE_CARLO_DRAWS = re.compile(r"based on (\d+) replicates")


def monte_carlo_clause(method: str, seed: int | None) -> str:
    """« valeur de p simulée par Monte-Carlo sur 2 000 tirages, graine 2026 »: the draws read from R's method
    string (the wording of TEST_LABELS_FR['fisher_mc'], with no bracket: it is printed inside one)."""
    draws = MONTE_CARLO_DRAWS.search(str(method))
    clause = "valeur de p simulée par Monte-Carlo"
    if draws:
        clause += f" sur {fmt.integer(int(draws.group(1)))} tirages"
    return clause + (f", graine {seed}" if seed is not None else "")


def _test_sentences(spec: TableSpec, plan: Plan, book: Codebook, tests: pd.DataFrame,
                    seed: int | None = None) -> list[str]:
    """One sentence per (test, why): « Test exact de Fisher (…) : Âge, Structure. »"""
    done = tests[tests["test"].fillna("") != ""]
    groups: dict[str, list[str]] = {}
    for row in done.itertuples(index=False):
        row = pd.Series(row._asdict())
        name = TEST_LABELS_FR.get(row["test"], row["test"])
        if row["test"] == "fisher_mc":
            name = f"{TEST_LABELS_FR['fisher']} avec {monte_carlo_clause(row['method'], seed)}"
        key = f"{name[:1].upper()}{name[1:]} ({_why(row)})"
        what = variable_label(plan, book, row["variable"])
        level = "" if fmt.is_missing(row["level"]) else row["level"]
        groups.setdefault(key, []).append(f"{what} (« {level} »)" if level else what)  # no second « : »
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
        return [f"Valeurs de p ajustées pour {fmt.cardinal(len(done), feminine=True)} comparaisons par la méthode de "
                f"{ADJUSTMENT_NAMES[spec.adjust]}."]
    return [f"Comparaisons exploratoires : les {fmt.cardinal(len(done), feminine=True)} valeurs de p ne sont pas ajustées "
            "pour la multiplicité."]


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


def _missing_note(plan: Plan, book: Codebook, counts) -> list[str]:
    """« Réponses non renseignées : <variable> (n = k), … » from (variable, k) pairs; nothing when there are none."""
    named = [f"{variable_label(plan, book, v)} ({fmt.n_equals(int(n))})" for v, n in counts]
    return ["Réponses non renseignées : " + ", ".join(named) + "."] if named else []


def footnote(spec: TableSpec, plan: Plan, book: Codebook, tidy: pd.DataFrame, tests: pd.DataFrame,
             extra: "Contrasts | None" = None) -> str:
    """What the cells are, denominators, missing answers, the study's notes, tests and multiplicity."""
    parts = []
    multi = [v for v in spec.variables if book.variable_question()[v].is_multi]
    if spec.kind in ("categorical", "ranks"):
        parts.append("Effectif (pourcentage) ; les pourcentages portent sur les réponses renseignées.")
        if multi:
            parts.append(_multi_note(spec, plan, book, multi))
        missing = tidy[(tidy["level"] == MISSING_LABEL) & (tidy["group"] == ALL)]
        parts += _missing_note(plan, book, missing[["variable", "n"]].itertuples(index=False))
    elif spec.kind == "scores":
        cells = "moyenne ± écart-type ; médiane [Q1–Q3]" if spec.median and spec.by else "moyenne ± écart-type"
        parts.append(f"{cells[:1].upper()}{cells[1:]}{_scale_note(spec, book)}.")
        # the table shows no n per item: an item some left blank is computed on fewer answers than the caption's n
        blank = tidy[(tidy["group"] == ALL) & (tidy["missing"].fillna(0) > 0)]
        parts += _missing_note(plan, book, blank[["variable", "missing"]].itertuples(index=False))
    elif spec.kind == "summary":
        parts.append("Médiane et quartiles selon la définition par défaut de R (type 7).")
    elif spec.kind == "grid_choice":
        parts += _grid_note(spec, plan, book)
        missing = tidy[(tidy["level"] == MISSING_LABEL) & (tidy["group"] == ALL)]
        parts += _missing_note(plan, book, missing[["variable", "n"]].itertuples(index=False))
        if len(tests) and tests["test"].isin(["wilcoxon", "kruskal"]).any():
            parts.append(f"{ordinal_note(book.question(spec.grid), 'Tests de rangs')}.")
    if spec.effect_size and len(tests):
        names = sorted({EFFECT_NAMES.get(e, e) for e in tests["effect"].dropna() if e})
        if "V de Cramér (corrigé)" in set(tests["effect"]) and tests["test"].isin(["fisher", "fisher_mc"]).any():
            names.append(FISHER_EFFECT_NOTE)
        parts.append("Taille d'effet : " + " ; ".join(names) + ".")
    extra = extra or Contrasts()
    if spec.overall and spec.by:
        parts.append(_overall_note(spec, plan, book))
    if spec.combine:
        parts.append("Lignes regroupant des modalités : " + " ; ".join(
            f"« {label} » = " + " + ".join(f"« {level} »" for level in levels)
            for _variable, label, levels in spec.combine) + ".")
    if spec.interpretation:
        parts.append(_interpretation_note(spec, book))
    parts += extra.estimate_note(spec, plan)
    parts += list(spec.notes)
    if len(tests):
        parts += _test_sentences(spec, plan, book, tests, extra.seed)
        parts += _multiplicity(spec, tests)
        parts += extra.posthoc_note(spec, plan, book)
        parts += extra.published_note(spec, plan, book, tests)
    return " ".join(parts)


# --------------------------------------------------------------------------- estimates, post-hoc, published p

ESTIMATE_HEADERS = {"proportion_difference": "Différence (points) [IC 95 %]", "odds_ratio": "OR [IC 95 %]",
                    "mean_difference": "Différence [IC 95 %]", "hodges_lehmann": "Décalage [IC 95 %]"}
ESTIMATE_MIXED = "Estimation [IC 95 %]"
ESTIMATE_NOTES = {
    "proportion_difference": "Différence (points) : pourcentage du groupe {a} moins celui du groupe {b}, en points, "
                             "IC 95 % de Newcombe (scores de Wilson, sans correction de continuité)",
    "odds_ratio": "OR : odds de la modalité (contre les autres) du groupe {a} rapportées à celles du groupe {b}, estimation "
                  "conditionnelle du maximum de vraisemblance et IC 95 % exact (comme fisher.test de R)",
    "mean_difference": "Différence : différence de moyennes, {a} moins {b}, IC 95 % de Welch (comme t.test de R)",
    "hodges_lehmann": "Décalage : décalage de Hodges-Lehmann, {a} moins {b} (médiane des différences deux à deux), IC 95 % "
                      "par inversion du test de Wilcoxon (comme wilcox.test de R, conf.int = TRUE), qui exclut 0 "
                      "exactement quand ce test conclut au seuil de 5 %"}
LETTERS_LABEL = "Comparaisons par paires"
PAIR_TESTS = {"fisher": "test exact de Fisher", "fisher_mc": "test exact de Fisher", "chisq": "test du khi²",
              "wilcoxon": "test de Wilcoxon-Mann-Whitney"}


def estimate_number(kind: str, value: float) -> str:
    """An estimate or bound as printed: points of percentage (1 decimal) for a difference of proportions, the
    scores' precision (1 decimal) for a difference or shift, 2 decimals for an odds ratio (∞ when infinite)."""
    if value == float("inf"):
        return "∞"
    if kind == "proportion_difference":
        return fmt.number(100 * value, 1)
    return fmt.number(value, 2 if kind == "odds_ratio" else 1)


def estimate_text(row: pd.Series) -> str:
    """« 12,3 [−5,1 ; 28,9] » (points of percentage for a difference of proportions), or the reason for none."""
    if fmt.is_missing(row["value"]):
        return "—"
    kind = row["estimate"]
    return (f"{estimate_number(kind, row['value'])} [{estimate_number(kind, row['ci_low'])} ; "
            f"{estimate_number(kind, row['ci_high'])}]")


PUBLISHED_P_COLUMNS = ["variable", "by", "text", "low", "high"]


def published_p_values(publication: dict) -> pd.DataFrame:
    """The p-values a publication printed (its `p_value` items, data/studies/<study>/published/<wave>.yaml, read
    and validated by surveykit.reproduction.published), each with the interval of values that print as it at its
    table's precision (« 0,064 » in a table of 4 decimals: [0,06395 ; 0,06405])."""
    precision = publication.get("precision") or {}
    rows = []
    for item in publication.get("items", []):
        if item.get("kind") != "p_value" or "p" not in item:
            continue
        number = PubNumber.read(str(item["p"]), (precision.get(ref_table(item["ref"])) or {}).get("p", 0))
        low, high = number.interval()
        rows.append({"variable": item.get("variable"), "by": item.get("by"), "text": number.text,
                     "low": low, "high": high})
    return pd.DataFrame(rows, columns=PUBLISHED_P_COLUMNS)


@dataclass(frozen=True)
class Contrasts:
    """What the statistics step adds to a table's tests (estimates.csv, posthoc.csv rows), the alpha post-hoc
    letters read, the seed of Monte-Carlo p-values, and the p-values the wave's publication printed."""

    estimates: pd.DataFrame = field(default_factory=pd.DataFrame)
    posthoc: pd.DataFrame = field(default_factory=pd.DataFrame)
    alpha: float = 0.05
    seed: int | None = None
    published: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PUBLISHED_P_COLUMNS))

    @classmethod
    def read(cls, estimates: pd.DataFrame, posthoc: pd.DataFrame, alpha: float, seed: int | None,
             publications: tuple[dict, ...] = ()) -> "Contrasts":
        published = [published_p_values(p) for p in publications]
        return cls(estimates.fillna({"level": ""}), posthoc.fillna({"level": ""}), alpha, seed,
                   pd.concat(published, ignore_index=True) if published else
                   pd.DataFrame(columns=PUBLISHED_P_COLUMNS))

    def of_table(self, table: str) -> "Contrasts":
        mine = {name: frame[frame["table"] == table] if "table" in frame else frame
                for name, frame in (("estimates", self.estimates), ("posthoc", self.posthoc))}
        return Contrasts(mine["estimates"], mine["posthoc"], self.alpha, self.seed, self.published)

    # estimates ---------------------------------------------------------

    def estimate_header(self) -> str:
        kinds = set(self.estimates["estimate"].dropna()) - {""} if len(self.estimates) else set()
        return ESTIMATE_HEADERS[kinds.pop()] if len(kinds) == 1 else ESTIMATE_MIXED

    def estimate_cells(self, spec: TableSpec, variable: str, level: str) -> dict[str, str]:
        if spec.estimate == "none" or not len(self.estimates):
            return {}
        rows = self.estimates[(self.estimates["variable"] == variable) & (self.estimates["level"] == level)]
        return {self.estimate_header(): estimate_text(rows.iloc[0]) if len(rows) else ""}

    def estimate_note(self, spec: TableSpec, plan: Plan) -> list[str]:
        if spec.estimate == "none" or not len(self.estimates):
            return []
        first = self.estimates.iloc[0]
        a, b = (f"« {plan.group_label(spec.by, first[g])} »" for g in ("group1", "group2"))  # a group, as in the text
        kinds = [k for k in ESTIMATE_NOTES if k in set(self.estimates["estimate"])]
        notes = [ESTIMATE_NOTES[k].format(a=a, b=b) + "." for k in kinds]
        if (self.estimates["estimate"] == "").any():
            notes.append("— : pas d'estimation (modalité choisie par tous ou par personne, ou groupe sans réponse).")
        return notes

    # post-hoc ------------------------------------------------------------

    def _pairs(self, variable: str, level: str) -> pd.DataFrame:
        if not len(self.posthoc):
            return self.posthoc
        return self.posthoc[(self.posthoc["variable"] == variable) & (self.posthoc["level"] == level)]

    def letters(self, groups: list[str], variable: str, level: str) -> dict[str, str]:
        """Compact letters of the groups of one rejected comparison (empty when no pair was compared)."""
        pairs = self._pairs(variable, level)
        if not len(pairs):
            return {}
        from surveykit.stats.posthoc import compact_letters  # here: the tables, figures and chapter that import
        # this module without letters to print do not import the statistics engine (SciPy)

        different = {(r.group1, r.group2): bool(r.p_adjusted < self.alpha) for r in pairs.itertuples()}
        return compact_letters(groups, different)

    def letters_rows(self, spec: TableSpec, columns: dict[str, str], variable: str, level: str, lead: dict,
                     label_column: str) -> list[dict]:
        """With `posthoc: letters`, a row of letters under a comparison whose global test rejected."""
        if spec.posthoc != "letters":
            return []
        groups = [g for g in columns if g != ALL]
        letters = self.letters(groups, variable, level)
        if not letters:
            return []
        return [lead | {label_column: LETTERS_LABEL} | {columns[g]: letters.get(g, "") for g in columns}]

    def posthoc_note(self, spec: TableSpec, plan: Plan, book: Codebook) -> list[str]:
        if spec.posthoc == "none":
            return []
        planned = PAIR_TESTS["wilcoxon"] if spec.kind == "scores" else \
            "test exact de Fisher, ou test du khi² quand le test global est un khi²,"
        tests = prose_join(sorted({PAIR_TESTS.get(t, t) for t in self.posthoc["test"].dropna() if t})) if len(self.posthoc) \
            else planned
        which = "p ajustée" if spec.adjust in ADJUSTED else "p"
        lead = (f"Comparaisons par paires quand le test global conclut ({which} < {fmt.number(self.alpha, 2)}) : "
                f"{tests} sur chaque paire de groupes, p ajustées par la méthode de Holm sur les paires")
        mc = self.posthoc[self.posthoc["test"] == "fisher_mc"] if len(self.posthoc) else self.posthoc
        if len(mc):
            lead += f", {monte_carlo_clause(mc['method'].iloc[0], self.seed)}, quand le calcul exact est trop long"
        if not len(self.posthoc):
            return [f"{lead} ; aucun test global ne conclut : aucune paire n'est comparée."]
        if spec.posthoc == "letters":
            return [f"{lead} ; deux groupes qui partagent une lettre (ligne « {LETTERS_LABEL} ») ne diffèrent "
                    "pas significativement."]
        differing = self.posthoc[self.posthoc["p_adjusted"] < self.alpha]
        listed = [f"{variable_label(plan, book, r.variable)}{' : ' + r.level if r.level else ''}, "
                  f"{plan.group_label(spec.by, r.group1)} et {plan.group_label(spec.by, r.group2)} "
                  f"(p{fmt.NBSP}ajustée{fmt.p_sentence(r.p_adjusted)[1:]})"
                  for r in differing.itertuples()]
        return [f"{lead} ; " + ("paires qui diffèrent : " + " ; ".join(listed) if listed
                                else "aucune paire ne diffère significativement") + "."]

    # published p -----------------------------------------------------------

    def published_note(self, spec: TableSpec, plan: Plan, book: Codebook, tests: pd.DataFrame) -> list[str]:
        """Under a table whose printed p differs from the one the publication printed for the same comparison."""
        differing = []
        for row in tests[tests["test"].fillna("") != ""].itertuples():
            published = self.published[(self.published["variable"] == row.variable)
                                       & (self.published["by"] == row.by)] if len(self.published) else []
            for number in (published.itertuples() if len(published) else []):
                if not number.low <= Fraction(float(row.p_value)) <= number.high:
                    differing.append(f"{variable_label(plan, book, row.variable)} ({fmt.p_value(row.p_value)} "
                                     f"ici, {number.text} publiée)")
        if not differing:
            return []
        return [f"Valeur{'s' if len(differing) > 1 else ''} de p différente{'s' if len(differing) > 1 else ''} "
                f"de la publication : {prose_join(list(dict.fromkeys(differing)))} ; la valeur de p imprimée ici est celle du "
                "test que nomme cette note, calculée comme R ; le rapport de reproduction explique chaque écart."]


def format_table(spec: TableSpec, plan: Plan, book: Codebook, tidy: pd.DataFrame,
                 tests: pd.DataFrame, extra: "Contrasts | None" = None) -> tuple[pd.DataFrame, str]:
    """The printed table and its footnote; `extra` brings the estimates, post-hoc pairs and published p-values
    the plan's `estimate`, `posthoc` and the wave's publication add (none by default)."""
    table_tests = tests[tests["table"] == spec.id]
    extra = (extra or Contrasts()).of_table(spec.id)
    table = FORMATTERS[spec.kind](spec, plan, book, tidy, table_tests, extra)
    return (table.rename(columns={P_COLUMN: plan.p_label}), footnote(spec, plan, book, tidy, table_tests, extra))


__all__ = ["ADJUSTED", "ADJUSTED_COLUMN", "ADJUSTMENT_NAMES", "Contrasts", "P_COLUMN", "adjusted_p_words",
           "format_table", "footnote", "median_digits", "variable_label"]
