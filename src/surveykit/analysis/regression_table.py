"""French version of a regression table (`kind: regression`) from models.csv: no model is fitted here.

One row per level of each covariate: complete cases and events (or mean ± SD), the crude estimate
(univariable model) and the adjusted one (multivariable model) with their 95 % intervals, the global p of
the covariate on its first row. The footnote says what the model is, on which complete cases, how the
intervals and p-values are computed, the events per parameter (a warning below 10) and, for a model that
could not be estimated, why (never an odds ratio that means nothing).
"""
from __future__ import annotations

import pandas as pd

from surveykit.core import fmt
from surveykit.questionnaire.codebook import Codebook

from .format import prose_join, variable_label
from .models import EPV_MIN
from .plan import Plan, TableSpec

NOT_ESTIMABLE_CELL = "—"  # a placeholder keeps the column numeric (its intervals never break inside brackets)

LABEL, LEVEL = "Caractéristique", "Modalité"
REFERENCE = {"logistic": "1", "linear": "0"}  # the reference level's OR / coefficient, said in the footnote
CI = f"IC 95{fmt.NBSP}%"
NAMES = {"logistic": (f"OR brut [{CI}]", f"OR ajusté [{CI}]"),
         "linear": (f"Coefficient brut [{CI}]", f"Coefficient ajusté [{CI}]")}
P_HEADERS = ("p (univarié)", "p (multivarié)")
INTERVAL_TEXT = {"profile": "par profil de vraisemblance (comme confint d'un glm sous R)",
                 "wald": "de Wald (estimation ± 1,96 erreur-type, comme confint.default sous R)",
                 "t": "de Student (comme confint d'un lm sous R)"}


def label_of(plan: Plan, book: Codebook, variable: str) -> str:
    """The plan's label of a variable, else the codebook's (format.variable_label, the one home of table labels)."""
    return variable_label(plan, book, variable)


def outcome_text(spec: TableSpec, plan: Plan, book: Codebook) -> str:
    """What the model explains, as a sentence quotes it: « la réponse « Oui » à « Utilisez-vous … ? » » or « les
    réponses « A » ou « B » à « Fréquence » » (logistic), « « Score » » (linear)."""
    model = spec.regression
    label = f"« {label_of(plan, book, model.outcome)} »"
    if model.model == "linear":
        return label
    events = " ou ".join(f"« {level} »" for level in model.events)
    answers = "la réponse" if len(model.events) == 1 else "les réponses"
    return f"{answers} {events} à {label}"


def _cell(row: pd.Series | None, kind: str) -> str:
    if row is None:
        return ""
    if bool(row["reference"]):
        return REFERENCE[kind]
    if row["status"] != "ok":
        return NOT_ESTIMABLE_CELL
    value = row["ratio"] if kind == "logistic" else row["estimate"]
    return fmt.estimate_ci(value, row["ci_low"], row["ci_high"])


def _lookup(models: pd.DataFrame, model: str, row_kind: str, covariate: str, level: str = "") -> pd.Series | None:
    rows = models[(models["model"] == model) & (models["row"] == row_kind) & (models["covariate"] == covariate)
                  & (models["level"].fillna("") == level)]
    return rows.iloc[0] if len(rows) else None


def _model(models: pd.DataFrame, model: str, covariate: str | None = None) -> pd.Series | None:
    """The `row = model` line of the multivariable model, or of the univariable model of `covariate`."""
    rows = models[(models["model"] == model) & (models["row"] == "model")
                  & (models["covariate"].fillna("") == (covariate or ""))]
    return rows.iloc[0] if len(rows) else None


def _p(models: pd.DataFrame, model: str, covariate: str) -> str:
    row = _lookup(models, model, "covariate", covariate)
    return fmt.p_value(float(row["p_value"])) if row is not None else ""


def _counts(row: pd.Series, kind: str) -> dict[str, str]:
    if kind == "logistic":
        n, events = int(row["n"]), int(row["events"])
        return {"Événements / n (%)": f"{fmt.integer(events)}/{fmt.integer(n)} ({fmt.percent(100 * events / n)})"}
    return {"n": fmt.integer(row["n"]), f"Moyenne{fmt.NBSP}±{fmt.NBSP}ET": fmt.mean_sd(row["mean"], row["sd"])}


def format_regression(spec: TableSpec, plan: Plan, book: Codebook, models: pd.DataFrame) -> pd.DataFrame:
    """One row per level (a numeric covariate: one row), crude and adjusted estimates, global p on first rows."""
    model = spec.regression
    crude, adjusted = NAMES[model.model]
    records = []
    for covariate in model.covariates:
        levels = models[(models["model"] == "multivariable") & (models["row"] == "level")
                        & (models["covariate"] == covariate.variable)]
        for position, row in enumerate(levels.itertuples(index=False)):
            row = pd.Series(row._asdict())
            level = "" if fmt.is_missing(row["level"]) else str(row["level"])
            record = {LABEL: label_of(plan, book, covariate.variable) if position == 0 else "",
                      LEVEL: level if not covariate.numeric else "par unité"} | _counts(row, model.model)
            if model.univariable:
                record[crude] = _cell(_lookup(models, "univariable", "level", covariate.variable, level), model.model)
                record[P_HEADERS[0]] = _p(models, "univariable", covariate.variable) if position == 0 else ""
            record[adjusted] = _cell(_lookup(models, "multivariable", "level", covariate.variable, level), model.model)
            record[P_HEADERS[1]] = _p(models, "multivariable", covariate.variable) if position == 0 else ""
            records.append(record)
    return pd.DataFrame(records)


def _involved(plan: Plan, book: Codebook, involved: str) -> str:
    """« Âge (« Plus de 50 ans ») et Profession »: the covariates (and levels) of a separating direction."""
    named: dict[str, list[str]] = {}
    for part in filter(None, str(involved).split(";")):
        variable, _, level = part.partition("=")
        named.setdefault(variable, [])
        if level:
            named[variable].append(f"« {level} »")
    parts = [label_of(plan, book, v) + (f" ({', '.join(levels)})" if levels else "") for v, levels in named.items()]
    return prose_join(parts) if parts else "la constante"


def _empty_cells(plan: Plan, book: Codebook, levels: pd.DataFrame) -> list[str]:
    """The levels where every complete case is an event, or none is (a zero cell): « les 31 observations de
    « Moins de 35 ans » (Âge) sont toutes des événements », « l'unique observation de « Autre » (Sexe) est un
    événement »."""
    cells = []
    for row in levels.itertuples(index=False):
        if fmt.is_missing(row.events) or row.level != row.level or row.level == "":
            continue
        if row.events in (0, row.n):
            where = f"« {row.level} » ({label_of(plan, book, row.covariate)})"
            every = row.events == row.n
            if row.n == 1:
                verb = "est" if every else "n'est pas"
                cells.append(f"l'unique observation de {where} {verb} un événement")
            elif every:
                cells.append(f"les {fmt.integer(row.n)} observations de {where} sont toutes des événements")
            else:
                cells.append(f"aucune des {fmt.integer(row.n)} observations de {where} n'est un événement")
    return cells


def not_estimable_text(row: pd.Series, plan: Plan, book: Codebook, levels: pd.DataFrame | None = None) -> str:
    """Why a model has no estimate, in the reader's words: for a separation, the zero cells that cause it (else the
    covariates of the separating direction)."""
    if row["status"] != "separation":
        return str(row["message"])
    cells = _empty_cells(plan, book, levels) if levels is not None else []
    cause = prose_join(cells) if cells else f"{_involved(plan, book, row['involved'])} prédisent parfaitement l'événement"
    return (f"séparation, car {cause} ; les odds ratios n'ont pas d'estimation finie (regrouper des modalités ou "
            "retirer la variable)")


def epv_text(row: pd.Series) -> str:
    """« 3,7 événements par paramètre (EPV : le plus petit des effectifs événements / non-événements, 22, sur
    6 paramètres) ; moins de 10 : … »."""
    epv = float(row["epv"])
    smallest = round(epv * int(row["parameters"]))
    text = (f"Événements par paramètre (EPV) : {fmt.number(epv, 1)} (le plus petit des effectifs « événement » "
            f"et « non-événement », {fmt.integer(smallest)}, rapporté aux {fmt.integer(row['parameters'])} "
            "paramètres estimés)")
    if epv < EPV_MIN:
        text += (f" ; moins de {EPV_MIN} événements par paramètre : les estimations ajustées sont instables et à "
                 "interpréter avec prudence")
    return text + "."


def regression_footnote(spec: TableSpec, plan: Plan, book: Codebook, models: pd.DataFrame) -> str:
    model = spec.regression
    parts = []
    outcome = outcome_text(spec, plan, book)
    full = _model(models, "multivariable")
    noun = book.respondent_noun(True)
    if model.model == "logistic":
        parts.append(f"Régression logistique (comme glm sous R, famille binomiale) ; événement : {outcome}. "
                     "Événements / n : parmi les observations complètes du modèle multivarié.")
        what = "OR"
    else:
        parts.append(f"Régression linéaire (comme lm sous R) de {outcome} ; coefficient : écart de moyenne avec la "
                     "modalité de référence, ou pente par unité pour une variable numérique.")
        what = "Coefficient"
    if model.univariable:
        parts.append(f"{what} brut : un modèle par variable, sur les {noun} qui ont répondu à la question de cette variable.")
    if full is not None:
        events = f", dont {fmt.integer(full['events'])} événements" if model.model == "logistic" else ""
        parts.append(f"{what} ajusté : un modèle de toutes les variables, sur les {fmt.integer(full['n'])} "
                     f"observations complètes (réponse à la question de chaque variable) parmi {fmt.integer(full['respondents'])} "
                     f"{noun}{events}.")
    reference = "OR = 1" if model.model == "logistic" else "coefficient = 0"
    parts.append(f"Modalité de référence de chaque variable : {reference}. {CI} "
                 f"{INTERVAL_TEXT[models['interval'].iloc[0]]}.")
    test = ("test du rapport de vraisemblance (comme drop1 sous R, test LRT)" if model.model == "logistic"
            else "test F (comme drop1 sous R, test F)")
    parts.append(f"p : {test} de la variable, toutes ses modalités à la fois.")
    parts += _estimability(spec, plan, book, models, full)
    parts += list(spec.notes)
    return " ".join(parts)


def _estimability(spec: TableSpec, plan: Plan, book: Codebook, models: pd.DataFrame,
                  full: pd.Series | None) -> list[str]:
    """EPV of the multivariable model, and the models without estimate with their reason."""
    parts = []
    if full is not None and full["status"] == "ok" and spec.regression.model == "logistic":
        parts.append(epv_text(full))
    if full is not None and full["status"] != "ok":
        levels = models[(models["model"] == "multivariable") & (models["row"] == "level")]
        parts.append(f"Modèle multivarié non estimable (« {NOT_ESTIMABLE_CELL} ») : "
                     f"{not_estimable_text(full, plan, book, levels)}.")
    for covariate in spec.regression.covariates if spec.regression.univariable else ():
        row = _model(models, "univariable", covariate.variable)
        if row is not None and row["status"] != "ok":
            levels = models[(models["model"] == "univariable") & (models["row"] == "level")
                            & (models["covariate"] == covariate.variable)]
            parts.append(f"Modèle univarié de la variable {label_of(plan, book, covariate.variable)} non "
                         f"estimable (« {NOT_ESTIMABLE_CELL} ») : {not_estimable_text(row, plan, book, levels)}.")
    return parts


__all__ = ["format_regression", "not_estimable_text", "outcome_text", "regression_footnote"]
