"""One registry of every number the chapter reports: key → value, French text, source file, rule.

The chapter template reads numbers only from here, and the registry is itself an output
(registry.csv) so that a reviewer can trace any number of the text to its file and rule.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from surveykit.analysis.format import estimate_number, median_digits, monte_carlo_clause
from surveykit.core import fmt


@dataclass(frozen=True)
class Entry:
    key: str
    value: object
    text: str
    source: str
    rule: str


class Registry:
    # What a template may call (report.markup's sandbox): quoting and reading, never adding or writing.
    TEMPLATE_API = frozenset({"text", "value", "keys", "peek"})

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self.used: set[str] = set()

    def add(self, key: str, value: object, text: str, source: str | Path, rule: str) -> None:
        if key in self._entries:
            raise KeyError(f"registry key {key!r} registered twice")
        self._entries[key] = Entry(key, value, text, str(source), rule)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def entry(self, key: str) -> Entry:
        try:
            entry = self._entries[key]
        except KeyError:
            close = sorted(k for k in self._entries if k.startswith(key.rsplit(".", 1)[0]))[:5]
            raise KeyError(f"no reported value {key!r} in the registry (similar keys: {close})") from None
        self.used.add(key)
        return entry

    def peek(self, key: str) -> Entry:
        """The entry of `key` without marking it as quoted by the chapter."""
        return self._entries[key]

    def text(self, key: str) -> str:
        return self.entry(key).text

    def value(self, key: str):
        return self.entry(key).value

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self._entries if k.startswith(prefix))

    def to_json(self, path: str | Path) -> None:
        """Every entry with its typed value, sorted by key (what the chapter rule reads)."""
        entries = [asdict(e) for e in sorted(self._entries.values(), key=lambda e: e.key)]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | Path) -> "Registry":
        registry = cls()
        for entry in json.loads(Path(path).read_text(encoding="utf-8")):
            registry.add(**entry)
        return registry

    def to_frame(self) -> pd.DataFrame:
        rows = [{"key": e.key, "value": _plain(e.value), "text": e.text, "source": e.source, "rule": e.rule}
                for e in sorted(self._entries.values(), key=lambda e: e.key)]
        return pd.DataFrame(rows, columns=["key", "value", "text", "source", "rule"])


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isnan(value):
        return repr(value)
    return value


def add_tidy(registry: Registry, tidy: pd.DataFrame, source: str, rule: str, whole_variables=frozenset()) -> None:
    """Register every cell of a tidy table: <table>.<variable>.<level>.<group>.<stat>; a number's statistics
    with the decimals of its kind (fmt.location_digits: none for years), its median and quartiles as its table
    prints them (format.median_digits; `whole_variables`: the codebook's whole-number variables)."""
    values = tidy[(tidy["level"] != "") & tidy["mean"].isna()]
    digits = {key: fmt.location_digits(levels) for key, levels in values.groupby(["table", "variable"])["level"]}
    quantile_places = median_digits(tidy, whole_variables)
    for row in tidy.itertuples(index=False):
        base = ".".join(part for part in (row.table, row.variable, row.level, row.group) if part != "")
        rule_of_row = rule
        if row.level == "" and not math.isnan(row.pct):  # only a choice grid's item has a share without a level
            rule_of_row = f"{rule}; {POSITIVE_RULE}"
        places = digits.get((row.table, row.variable), 1)
        if not math.isnan(row.n):
            registry.add(f"{base}.n", int(row.n), fmt.integer(row.n), source, rule_of_row)
        if not math.isnan(row.pct):
            registry.add(f"{base}.pct", float(row.pct), fmt.percent(row.pct), source, rule_of_row)
        if not math.isnan(row.denominator):
            registry.add(f"{base}.denominator", int(row.denominator), fmt.integer(row.denominator), source, rule_of_row)
        if not math.isnan(row.mean):
            registry.add(f"{base}.mean", float(row.mean), fmt.number(row.mean, places), source, rule_of_row)
            registry.add(f"{base}.sd", float(row.sd), fmt.number(row.sd, places), source, rule_of_row)
            registry.add(f"{base}.mean_sd", float(row.mean), fmt.mean_sd(row.mean, row.sd, places), source, rule_of_row)
        if not math.isnan(row.median):
            located = quantile_places[(row.table, row.variable)]
            registry.add(f"{base}.median", float(row.median), fmt.number(row.median, located), source, rule_of_row)
            registry.add(f"{base}.median_iqr", float(row.median), fmt.median_iqr(row.median, row.q1, row.q3, located),
                         source, f"{rule_of_row}; median [Q1–Q3], quantiles of R's type 7")
        if not math.isnan(row.rank):
            registry.add(f"{base}.rank", int(row.rank), str(int(row.rank)), source, rule_of_row)


def add_tests(registry: Registry, tests: pd.DataFrame, alpha: float, source: str, rule: str,
              seed: int | None = None) -> None:
    """Register p-values (table and sentence forms), the test and whether p < alpha.

    <table>.<variable>.p for a test of a whole variable; <table>.<variable>.<option>.p for the per-option
    tests of a multi-response question (with .p_holm_question, Holm within the question)."""
    for row in tests.itertuples(index=False):
        level = "" if fmt.is_missing(row.level) else str(row.level)
        base = f"{row.table}.{row.variable}" + (f".{level}" if level else "")
        registry.add(f"{base}.p", float(row.p_value), fmt.p_value(row.p_value), source, rule)
        registry.add(f"{base}.p_holm", float(row.p_holm), fmt.p_value(row.p_holm), source, f"{rule}; Holm within the table")
        registry.add(f"{base}.p_bh", float(row.p_bh), fmt.p_value(row.p_bh), source,
                     f"{rule}; Benjamini-Hochberg within the table")
        if level:
            registry.add(f"{base}.p_holm_question", float(row.p_holm_question), fmt.p_value(row.p_holm_question),
                         source, f"{rule}; Holm within the question's options")
        registry.add(f"{base}.p_sentence", float(row.p_value), fmt.p_sentence(row.p_value), source, rule)
        if not fmt.is_missing(row.effect_value):
            registry.add(f"{base}.effect", float(row.effect_value),
                         f"{row.effect} {fmt.number(row.effect_value, 2)} [IC 95{fmt.NBSP}% {fmt.number(row.ci_low, 2)} ; "
                         f"{fmt.number(row.ci_high, 2)}]", source, f"{rule}; two-sided 95 % interval")
        registry.add(f"{base}.significant", bool(row.p_value < alpha),
                     "oui" if row.p_value < alpha else "non", source, f"{rule}; p < alpha = {alpha}")
        test = "" if fmt.is_missing(row.test) else str(row.test)
        registry.add(f"{base}.test", test, test, source, rule)
        if test == "fisher_mc":  # the draws and seed go with the p wherever it is printed
            registry.add(f"{base}.monte_carlo", test, monte_carlo_clause(row.method, seed), source,
                         f"{rule}; Monte-Carlo p-value, R's fisher.test(simulate.p.value = TRUE)")


def add_estimates(registry: Registry, estimates: pd.DataFrame, source: str, rule: str) -> None:
    """<table>.<variable>[.<level>].estimate: the two-group estimate and its 95 % interval (estimates.csv),
    « 9,1 points [IC 95 % 4,5 ; 13,9] » for a difference of percentages, « OR 2,31 [IC 95 % …] » otherwise."""
    for row in estimates.itertuples(index=False):
        level = "" if fmt.is_missing(row.level) else str(row.level)
        if fmt.is_missing(row.value):
            continue
        key = f"{row.table}.{row.variable}" + (f".{level}" if level else "") + ".estimate"
        low, value, high = (estimate_number(row.estimate, v) for v in (row.ci_low, row.value, row.ci_high))
        printed = abs(float(value.replace(",", ".").replace(fmt.MINUS, "-")))  # as read: 1,96 prints 2,0
        points = "point" if printed < 2 else "points"  # « 1,5 point », « 2,0 points »: plural from two
        lead = {"proportion_difference": f"{value}{fmt.NBSP}{points}", "odds_ratio": f"OR {value}"}.get(row.estimate, value)
        registry.add(key, float(row.value), f"{lead} [IC 95{fmt.NBSP}% {low} ; {high}]", source,
                     f"{rule}; {row.method}, {row.group1} − {row.group2}")


def add_posthoc(registry: Registry, pairs: pd.DataFrame, source: str, rule: str) -> None:
    """<table>.<variable>[.<option>].paire.<group 1>.<group 2>.p: Holm-adjusted p of one pair of groups compared
    after a rejected global test (posthoc.csv)."""
    for row in pairs.itertuples(index=False):
        level = "" if fmt.is_missing(row.level) else str(row.level)
        base = f"{row.table}.{row.variable}" + (f".{level}" if level else "")
        registry.add(f"{base}.paire.{row.group1}.{row.group2}.p", float(row.p_adjusted), fmt.p_value(row.p_adjusted),
                     source, f"{rule}; {row.method}, p adjusted by {row.adjust} over the pairs")


def add_flow(registry: Registry, flow: dict, source: str, rule: str) -> None:
    registry.add("flux.recus", flow["received"], str(flow["received"]), source, rule)
    registry.add("flux.analyses", flow["analysed"], str(flow["analysed"]), source, rule)
    excluded = sum(flow["excluded"].values()) + sum(flow["quarantined"].values())
    registry.add("flux.non_analyses", excluded, str(excluded), source, rule)


POSITIVE_RULE = "share at the positive end of a choice grid, non-substantive levels left out"
GRID_PATTERN = ("<tableau>.<item>.<groupe>.n / .pct / .denominator / .rank",
                "grille à choix : réponses au pôle positif parmi les réponses hors modalités non substantielles "
                "(rank : 1 = part la plus élevée)")
REGRESSION_PATTERN = ("<tableau>.modele.n / .evenements / .epv / .estimable / .raison, <tableau>.<variable>.p_global "
                      "/ .significant, <tableau>.<variable>.<modalité>.or_adj / .or_brut (.coef_adj / .coef_brut)",
                      "tableau de régression : observations complètes, événements, événements par paramètre, p global "
                      "de chaque variable (rapport de vraisemblance), OR ajustés et bruts [IC 95 %]")
KEY_PATTERNS = [
    ("flux.recus / flux.analyses / flux.non_analyses", "questionnaires reçus, analysés, écartés (flow.json)"),
    ("<tableau>.<variable>.<modalité>.<groupe>.n / .pct / .denominator",
     "effectifs d'un tableau catégoriel ; <groupe> vaut « Ensemble » ou une modalité de `by`"),
    ("<tableau>.<variable>.<groupe>.mean / .sd / .mean_sd / .rank",
     "statistiques d'un tableau de scores ou de synthèse (rank : 1 = moyenne la plus élevée, avec `order: mean_desc`)"),
    ("<tableau>.<variable>.p / .p_sentence / .p_holm / .significant / .test",
     "comparaison d'une variable selon le `by` du tableau (p_sentence : « p = 0,0065 »)"),
    ("<tableau>.<variable>[.<modalité>].estimate",
     "estimation de la différence entre deux groupes et son IC 95 % (clé `estimate` du plan)"),
    ("<tableau>.<variable>[.<option>].paire.<groupe 1>.<groupe 2>.p",
     "comparaison par paires après un test global qui conclut (p ajustée par Holm sur les paires, clé `posthoc`)"),
    ("<tableau>.<variable>.<option>.p / .p_holm_question / …",
     "tests par option d'une question à réponses multiples"),
    ("recodage.<question>.<catégorie>.n / .pct / .label / .definition / .substantive, "
     "recodage.<question>.reponses / .repondants",
     "réponses ouvertes recodées (substantive : non pour une catégorie sans contenu, « Réponse ininterprétable »)"),
]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def reference_markdown(registry: Registry, wave_label: str) -> str:
    """A readable reference of every key a template can quote, with its French text, grouped by source."""
    lines = [f"# Registre des valeurs citables — {_cell(wave_label)}", "",
             "Toute valeur qu'un modèle de chapitre peut citer, par clé : `V.text(clé)` donne le texte en français, "
             "`V.value(clé)` la valeur. Forme des clés :", ""]
    patterns = list(KEY_PATTERNS)
    if any(POSITIVE_RULE in registry.peek(key).rule for key in registry.keys()):
        patterns.insert(3, GRID_PATTERN)
    if any(key.endswith(".modele.n") for key in registry.keys()):
        patterns.insert(-1, REGRESSION_PATTERN)
    lines += [f"- `{pattern}` : {meaning}" for pattern, meaning in patterns]
    groups: dict[str, list[Entry]] = {}
    for key in registry.keys():
        groups.setdefault(key.split(".", 1)[0], []).append(registry.peek(key))
    for prefix, entries in groups.items():
        lines += ["", f"## {_cell(prefix)}", "", f"Source : `{entries[0].source}` (règle {entries[0].rule.split(';')[0]})",
                  "", "| clé | texte |", "|---|---|"]
        lines += [f"| `{_cell(e.key)}` | {_cell(e.text)} |" for e in entries]
    return "\n".join(lines) + "\n"
