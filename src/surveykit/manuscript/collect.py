"""The registry of a wave (rule build_registry): every number the chapter may quote, and a readable reference of the keys."""
from __future__ import annotations

import pandas as pd

from surveykit.analysis.models import MODEL_TEXT
from surveykit.analysis.plan import load_plan
from surveykit.analysis.regression_table import not_estimable_text, outcome_text
from surveykit.core import fmt
from surveykit.core.io import read_csv, read_json, read_tidy
from surveykit.questionnaire.codebook import load_codebook

from .registry import Registry, add_estimates, add_flow, add_posthoc, add_tests, add_tidy


def add_recoding(registry: Registry, counts: pd.DataFrame, source: str, rule: str) -> None:
    """recodage.<question>.<category>.{n,pct,label,definition,substantive}, .reponses (answers) and .repondants
    (asked)."""
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
            registry.add(f"{base}.definition", row.definition, row.definition, source, rule)
            substantive = str(row.substantive).strip().lower() not in ("false", "0")
            registry.add(f"{base}.substantive", substantive, "oui" if substantive else "non", source, rule)


def add_quotes(registry: Registry, quotes: pd.DataFrame, source: str, rule: str) -> None:
    """recodage.<question>.<category>.citation.<rank>: the verbatims the study's rule chose (masked text)."""
    for row in quotes.itertuples(index=False):
        key = f"recodage.{row.question}.{row.category}.citation.{int(row.rank)}"
        registry.add(key, str(row.answer), str(row.answer), source, f"{rule}; quoting rule of the category codebook")


MODEL_RULE = "analyse_wave; {what} as R {call}"
ESTIMATE_KEYS = {"logistic": ("or", "glm + confint"), "linear": ("coef", "lm + confint")}


def add_models(registry: Registry, models: pd.DataFrame, plan, book, alpha: float, source: str) -> None:
    """<table>.modele.* (complete cases, events, EPV, whether estimable and why not, the event in words),
    <table>.<covariate>.p_global[_brut] (likelihood ratio or F), .significant, .reference, and
    <table>.<covariate>.<level>.or_adj / .or_brut (logistic) or .coef_adj / .coef_brut (linear)."""
    for spec in (t for t in plan.tables if t.kind == "regression"):
        mine = models[models["table"] == spec.id]
        full = mine[(mine["model"] == "multivariable") & (mine["row"] == "model")].iloc[0]
        base, rule = f"{spec.id}.modele", MODEL_RULE.format(what="model", call=ESTIMATE_KEYS[spec.regression.model][1])
        registry.add(f"{base}.n", int(full["n"]), fmt.integer(full["n"]), source, rule)
        registry.add(f"{base}.evenement", outcome_text(spec, plan, book), outcome_text(spec, plan, book), source, rule)
        estimable = full["status"] == "ok"
        registry.add(f"{base}.estimable", bool(estimable), "oui" if estimable else "non", source, rule)
        if not estimable:
            levels = mine[(mine["model"] == "multivariable") & (mine["row"] == "level")]
            reason = not_estimable_text(full, plan, book, levels)
            registry.add(f"{base}.raison", reason, reason, source, rule)
        if spec.regression.model == "logistic":
            registry.add(f"{base}.evenements", int(full["events"]), fmt.integer(full["events"]), source, rule)
            if estimable:
                registry.add(f"{base}.epv", float(full["epv"]), fmt.number(full["epv"], 1), source,
                             f"{rule}; smaller of events and non-events over the parameters")
        _add_model_terms(registry, spec, mine, alpha, source)


def _add_model_terms(registry: Registry, spec, models: pd.DataFrame, alpha: float, source: str) -> None:
    short, call = ESTIMATE_KEYS[spec.regression.model]
    for row in models[models["row"] == "covariate"].itertuples(index=False):
        key = f"{spec.id}.{row.covariate}.p_global" + ("" if row.model == "multivariable" else "_brut")
        rule = MODEL_RULE.format(what="global test of the covariate", call="drop1")
        registry.add(key, float(row.p_value), fmt.p_value(row.p_value), source, rule)
        registry.add(f"{key}_sentence", float(row.p_value), fmt.p_sentence(row.p_value), source, rule)
        if row.model == "multivariable":
            registry.add(f"{spec.id}.{row.covariate}.significant", bool(row.p_value < alpha),
                         "oui" if row.p_value < alpha else "non", source, f"{rule}; p < alpha = {alpha}")
    for row in models[models["row"] == "level"].itertuples(index=False):
        level = "" if fmt.is_missing(row.level) else str(row.level)
        if row.model == "multivariable" and row.reference:
            registry.add(f"{spec.id}.{row.covariate}.reference", level, level, source, "analyse_wave")
        if row.reference or row.status != "ok":
            continue
        value = row.ratio if spec.regression.model == "logistic" else row.estimate
        suffix = "adj" if row.model == "multivariable" else "brut"
        key = ".".join(part for part in (spec.id, row.covariate, level, f"{short}_{suffix}") if part)
        text = fmt.estimate_ci(value, row.ci_low, row.ci_high).replace("[", f"[IC 95{fmt.NBSP}% ", 1)
        registry.add(key, float(value), text, source,
                     MODEL_RULE.format(what=f"estimate, {row.interval} interval", call=call))


def collect_registry(inputs: dict[str, str], alpha: float, seed: int | None = None) -> Registry:
    """Every number of the wave, percentages in the study's style (the plan's `percent`); `seed`: that of the
    Monte-Carlo p-values, said with them."""
    book = load_codebook(inputs["codebook"])
    with fmt.percent_style(load_plan(inputs["plan"], book).percent):
        return _build_registry(inputs, alpha, seed)


def _build_registry(inputs: dict[str, str], alpha: float, seed: int | None = None) -> Registry:
    registry = Registry()
    add_flow(registry, read_json(inputs["flow"]), inputs["flow"], "clean_wave")
    add_tidy(registry, read_tidy(inputs["descriptives"]), inputs["descriptives"], "analyse_wave",
             load_codebook(inputs["codebook"]).whole_number_variables())
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
    if inputs.get("models"):
        book = load_codebook(inputs["codebook"])
        models = read_csv(inputs["models"], keep_default_na=False, na_values=[""], dtype=MODEL_TEXT)
        add_models(registry, models, load_plan(inputs["plan"], book), book, alpha, inputs["models"])
    return registry
