"""Regression tables of the analysis plan (`kind: regression`): the models, fitted as R fits them.

Computed here, once, into one tidy file (results/<wave>/stats/models.csv); the tables step formats it and
the registry quotes it. One row per thing a reader may see:

- ``row = "level"``: one level of a categorical covariate (or the single row of a numeric one) in the
  univariable model (``model = "univariable"``, the covariate alone, on its own complete cases) or the
  multivariable one (``model = "multivariable"``, every covariate, on the complete cases of all of them):
  the coefficient, OR (logistic) and its interval, the number of complete cases and events of that level;
  the reference level has ``reference = True`` and no estimate;
- ``row = "covariate"``: the global test of one covariate (likelihood ratio, as R ``drop1(test = "LRT")``;
  F test for a linear model, ``drop1(test = "F")``);
- ``row = "model"``: the model itself (``covariate`` names the covariate of a univariable model): complete cases, events, parameters, events per parameter;
- a model that cannot be estimated has a ``row = "model"`` with ``status = "separation"`` (the outcome
  perfectly predicted; ``involved`` lists the ``covariate=level`` of the separating direction) or
  ``"not_estimable"`` (one outcome value, collinear covariates, too few cases), its reason in ``message``,
  and no estimate: never a wrong OR.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from surveykit.questionnaire.codebook import Codebook

# pandas and the statistics engine (SciPy) are imported by the functions that fit the models, not with the module:
# the plan (surveykit.analysis.plan) imports it for its specifications, and the plan is read by every later step and
# by Snakemake itself at start-up (surveykit.project.study), which would otherwise pay for pandas at every run.
if TYPE_CHECKING:
    import pandas as pd

    from surveykit.stats import regression

MODEL_COLUMNS = ["table", "model", "kind", "row", "covariate", "level", "reference", "n", "events", "mean", "sd",
                 "estimate", "se", "statistic", "df", "p_value", "ratio", "ci_low", "ci_high", "interval",
                 "parameters", "epv", "respondents", "status", "involved", "message"]

#: models.csv's text columns, read as text (a level « 1 » stays the text « 1 »).
MODEL_TEXT = {column: str for column in ("table", "model", "kind", "row", "covariate", "level", "interval", "status",
                                         "involved", "message")}
EPV_MIN = 10  # Peduzzi et al. 1996: fewer events per parameter make logistic estimates unreliable
INTERVALS = {"profile": "profile", "wald": "wald"}


@dataclass(frozen=True)
class Covariate:
    """One covariate of a regression table: a single-choice variable (factor, `reference` level first) or a
    numeric one (`reference` None, one slope per unit)."""

    variable: str
    reference: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class RegressionSpec:
    """What a regression table fits (plan keys `model`, `outcome`, `covariates`, `interval`)."""

    model: str  # logistic | linear
    outcome: str
    events: tuple[str, ...]  # logistic: the outcome's levels that count as the event
    covariates: tuple[Covariate, ...]
    interval: str = "profile"
    univariable: bool = True


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("").astype(object)


def outcome_values(frame: pd.DataFrame, book: Codebook, spec: RegressionSpec) -> np.ndarray:
    """1 / 0 / NaN (logistic: event, another substantive answer, no answer or a non-substantive one), or the
    score (linear; NaN when not answered)."""
    import pandas as pd

    if spec.model == "linear":
        return pd.to_numeric(frame[spec.outcome], errors="coerce").to_numpy(dtype=float)
    question = book.variable_question()[spec.outcome]
    answers = _text(frame[spec.outcome])
    counted = set(question.levels) - set(question.non_substantive)
    return np.where(answers.isin(spec.events), 1.0, np.where(answers.isin(counted), 0.0, np.nan))


def covariate_values(frame: pd.DataFrame, covariate: Covariate) -> list:
    """A numeric covariate as floats (NaN missing), a categorical one as its labels (None missing)."""
    import pandas as pd

    if covariate.numeric:
        return [float(v) for v in pd.to_numeric(frame[covariate.variable], errors="coerce")]
    return [v if v != "" else None for v in _text(frame[covariate.variable])]


def covariate_levels(book: Codebook, covariate: Covariate) -> list[str]:
    """The codebook's levels with the reference first (R's `relevel`); levels nobody gave are dropped by the fit."""
    levels = list(book.variable_question()[covariate.variable].levels)
    if covariate.reference:
        levels.remove(covariate.reference)
        levels.insert(0, covariate.reference)
    return levels


def _fit(spec: RegressionSpec, y, covariates: dict, levels: dict) -> regression.RegressionResult:
    from surveykit.stats import regression

    if spec.model == "linear":
        return regression.linear_regression(y, covariates, levels)
    return regression.logistic_regression(y, covariates, levels, profile=spec.interval == "profile")


def _complete(y: np.ndarray, covariates: dict) -> np.ndarray:
    keep = ~np.isnan(y)
    for values in covariates.values():
        keep &= np.array([v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values])
    return keep


def _base(table: str, model: str, spec: RegressionSpec) -> dict:
    row = dict.fromkeys(MODEL_COLUMNS, math.nan)
    row.update(table=table, model=model, kind=spec.model, covariate="", level="", reference=False, status="ok",
               involved="", message="", interval=spec.interval if spec.model == "logistic" else "t")
    return row


def _level_rows(base: dict, covariate: Covariate, values: list, y: np.ndarray, keep: np.ndarray,
                levels: list[str], fit: regression.RegressionResult | None) -> list[dict]:
    """The rows of one covariate: per level its complete cases, events (or mean ± SD) and estimate."""
    terms = {} if fit is None else {t.covariate: t for t in fit.terms if t.covariate and not t.level}
    terms |= {} if fit is None else {(t.covariate, t.level): t for t in fit.terms if t.level}
    y_kept = y[keep]
    if covariate.numeric:
        rows = [base | {"covariate": covariate.variable, "level": "", "n": int(keep.sum())}
                | _outcome_summary(base["kind"], y_kept)]
        return [_with_term(rows[0], terms.get(covariate.variable), base)]
    kept = np.array([v if k else None for v, k in zip(values, keep)], dtype=object)
    present = [level for level in levels if np.any(kept == level)]
    rows = []
    for position, level in enumerate(present):
        mask = kept == level
        row = base | {"covariate": covariate.variable, "level": level, "reference": position == 0,
                      "n": int(mask.sum())} | _outcome_summary(base["kind"], y[mask])
        rows.append(row if position == 0 else _with_term(row, terms.get((covariate.variable, level)), base))
    return rows


def _outcome_summary(kind: str, y: np.ndarray) -> dict:
    if kind == "logistic":
        return {"events": int(np.sum(y == 1))}
    return {"mean": float(np.mean(y)) if y.size else math.nan,
            "sd": float(np.std(y, ddof=1)) if y.size > 1 else math.nan}


def _with_term(row: dict, term: regression.Term | None, base: dict) -> dict:
    if term is None:
        return row
    profile = base["interval"] == "profile"
    if base["kind"] == "logistic":
        low, high = (term.profile_low, term.profile_high) if profile else (term.wald_low, term.wald_high)
        ratio = term.ratio
    else:
        low, high, ratio = term.wald_low, term.wald_high, math.nan
    return row | {"estimate": term.estimate, "se": term.se, "statistic": term.statistic, "p_value": term.p_value,
                  "ratio": ratio, "ci_low": low, "ci_high": high}


def _model_row(base: dict, fit: regression.RegressionResult, y: np.ndarray) -> dict:
    """The model's complete cases, events (outcome = 1) and events per parameter (the smaller of the events and
    non-events over the parameters, intercept excluded), deviance (logistic) or residual sum of squares."""
    events = int(np.sum(y == 1)) if base["kind"] == "logistic" else math.nan
    return base | {"row": "model", "n": fit.n, "events": events, "parameters": fit.parameters,
                   "epv": fit.epv if fit.epv is not None else math.nan, "statistic": fit.deviance}


def _not_estimable(base: dict, y: np.ndarray, keep: np.ndarray, error: Exception) -> dict:
    from surveykit.stats import regression

    events = int(np.sum(y[keep] == 1)) if base["kind"] == "logistic" else math.nan
    separated = isinstance(error, regression.SeparationError)
    involved = ";".join(f"{name}={level}" for name, level in getattr(error, "involved", ()))
    return base | {"row": "model", "n": int(keep.sum()), "events": events,
                   "status": "separation" if separated else "not_estimable", "involved": involved,
                   "message": str(error)}


def fit_model(table: str, model: str, spec: RegressionSpec, book: Codebook, frame: pd.DataFrame,
              covariates: tuple[Covariate, ...]) -> list[dict]:
    """The rows of one model (univariable: one covariate; multivariable: all of them)."""
    base = _base(table, model, spec) | {"respondents": len(frame)}
    model_base = base | {"covariate": covariates[0].variable if model == "univariable" else ""}
    y = outcome_values(frame, book, spec)
    values = {c.variable: covariate_values(frame, c) for c in covariates}
    levels = {c.variable: covariate_levels(book, c) for c in covariates if not c.numeric}
    keep = _complete(y, values)
    try:
        fit = _fit(spec, y, values, levels)
    except ValueError as error:  # SeparationError included: no estimate, its reason instead
        rows = [_not_estimable(model_base, y, keep, error)]
        status = rows[0]["status"]
        for c in covariates:
            rows += [r | {"row": "level", "status": status} for r in _level_rows(base, c, values[c.variable], y, keep,
                                                                levels.get(c.variable, []), None)]
        return rows
    rows = [_model_row(model_base, fit, y[keep])]
    tests = {t.covariate: t for t in fit.tests}
    for c in covariates:
        test = tests[c.variable]
        rows.append(base | {"row": "covariate", "covariate": c.variable, "statistic": test.statistic,
                            "df": test.df, "p_value": test.p_value, "n": fit.n})
        rows += [r | {"row": "level"} for r in _level_rows(base, c, values[c.variable], y, keep,
                                                            levels.get(c.variable, []), fit)]
    return rows


def regression_rows(table: str, spec: RegressionSpec, book: Codebook, frame: pd.DataFrame) -> list[dict]:
    """Univariable models (one per covariate, when asked) then the multivariable model."""
    rows = []
    if spec.univariable:
        for covariate in spec.covariates:
            rows += fit_model(table, "univariable", spec, book, frame, (covariate,))
    rows += fit_model(table, "multivariable", spec, book, frame, spec.covariates)
    return rows


def models_frame(rows: list[dict]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=MODEL_COLUMNS)
    return frame.astype({"reference": bool})


__all__ = ["EPV_MIN", "MODEL_COLUMNS", "MODEL_TEXT", "Covariate", "RegressionSpec", "models_frame", "regression_rows"]
