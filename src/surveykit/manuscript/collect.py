"""The registry of a wave (rule build_registry): every number the chapter may quote, and a readable reference of the keys."""
from __future__ import annotations

import pandas as pd

from surveykit.analysis.plan import load_plan
from surveykit.core import fmt
from surveykit.core.io import read_csv, read_json, read_tidy
from surveykit.questionnaire.codebook import load_codebook

from .registry import Registry, add_estimates, add_flow, add_posthoc, add_tests, add_tidy


def add_recoding(registry: Registry, counts: pd.DataFrame, source: str, rule: str) -> None:
    """recodage.<question>.<category>.{n,pct,label}, .reponses (answers) and .repondants (asked)."""
    for question, sub in counts.groupby("question", sort=True):
        first = sub.iloc[0]
        registry.add(f"recodage.{question}.reponses", int(first["n_answers"]), str(int(first["n_answers"])),
                     source, rule)
        registry.add(f"recodage.{question}.repondants", int(first["n_asked"]), str(int(first["n_asked"])),
                     source, rule)
        for row in sub.itertuples(index=False):
            base = f"recodage.{question}.{row.category}"
            registry.add(f"{base}.n", int(row.n), str(int(row.n)), source, rule)
            registry.add(f"{base}.pct", float(row.pct), fmt.percent(row.pct), source, rule)
            registry.add(f"{base}.label", row.label, row.label, source, rule)


def add_quotes(registry: Registry, quotes: pd.DataFrame, source: str, rule: str) -> None:
    """recodage.<question>.<category>.citation.<rank>: the verbatims the study's rule chose (masked text)."""
    for row in quotes.itertuples(index=False):
        key = f"recodage.{row.question}.{row.category}.citation.{int(row.rank)}"
        registry.add(key, str(row.answer), str(row.answer), source, f"{rule}; quoting rule of the category codebook")


def collect_registry(inputs: dict[str, str], alpha: float, seed: int | None = None) -> Registry:
    """Every number of the wave, percentages in the study's style (the plan's `percent`); `seed`: that of the
    Monte-Carlo p-values, said with them."""
    book = load_codebook(inputs["codebook"])
    with fmt.percent_style(load_plan(inputs["plan"], book).percent):
        return _build_registry(inputs, alpha, seed)


def _build_registry(inputs: dict[str, str], alpha: float, seed: int | None = None) -> Registry:
    registry = Registry()
    add_flow(registry, read_json(inputs["flow"]), inputs["flow"], "clean_wave")
    add_tidy(registry, read_tidy(inputs["descriptives"]), inputs["descriptives"], "analyse_wave")
    tests = read_csv(inputs["tests"], keep_default_na=False, na_values=[""], dtype={"level": str})
    add_tests(registry, tests, alpha, inputs["tests"], "analyse_wave", seed)
    if inputs.get("estimates"):
        add_estimates(registry, read_csv(inputs["estimates"], keep_default_na=False, na_values=[""],
                                         dtype={"level": str}), inputs["estimates"], "analyse_wave")
    if inputs.get("posthoc"):
        add_posthoc(registry, read_csv(inputs["posthoc"], keep_default_na=False, na_values=[""], dtype={"level": str}),
                    inputs["posthoc"], "analyse_wave")
    add_recoding(registry, read_csv(inputs["counts"]), inputs["counts"], "recode_wave")
    add_quotes(registry, read_csv(inputs["quotes"], dtype=str, keep_default_na=False), inputs["quotes"],
               "recode_wave")
    return registry
