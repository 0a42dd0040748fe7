"""Regression tables (`kind: regression`) of the bundled studies against R (tests/r_reference/models_reference.json).

The answers the models read (models_<wave>.csv, the columns of results/<wave>/clean/responses.csv) are fitted by
surveykit.analysis.models as the pipeline fits them and by R (glm + MASS confint + drop1, lm): ORs, Wald and
profile intervals, global likelihood-ratio p, complete cases: 1e-6 relative (R's IRLS stops at a relative
deviance change of 1e-8, the same iterations are run here); linear models 1e-8. Where R's coefficients run away
(separation: |b| > 10, an OR of 5·10^5 for a group of one), the table has no OR and says why.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stats_reference_helpers import assert_r, num
from surveykit.core import fmt
from surveykit.analysis.format import variable_label
from surveykit.analysis.models import Covariate, RegressionSpec, fit_model
from surveykit.analysis.plan import load_plan
from surveykit.questionnaire.codebook import load_codebook
from surveykit.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "r_reference" / "models_reference.json"
STUDIES = {"thesis_2025": "tele_expertise_cpts", "demo_2027": "tele_expertise_cpts",
           "barometre_2025": "barometre_numerique"}
CASES = json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]
MODELS = [pytest.param(case, name, id=f"{case['id']}-{name}") for case in CASES for name in case["models"]]


SCALARS = {"n", "separated", "deviance", "events", "max_abs_coef"}


def _vectors(ref: dict) -> dict:
    """jsonlite writes a vector of length one as a scalar: every per-term value as a list."""
    return {k: v if k in SCALARS or isinstance(v, list) else [v] for k, v in ref.items()}


def _book(wave: str):
    return load_codebook(ROOT / "data" / "studies" / STUDIES[wave] / "codebook.yaml")


def _spec(case: dict) -> RegressionSpec:
    covariates = tuple(Covariate(c["variable"], c["levels"][0], False) if c.get("levels") else
                       Covariate(c["variable"], None, True) for c in case["covariates"])
    events = case["events"] if isinstance(case["events"], list) else [case["events"]] if case["events"] else []
    return RegressionSpec(case["kind"], case["outcome"], tuple(events), covariates, "profile", True)


def _rows(case: dict, name: str, interval: str = "profile") -> pd.DataFrame:
    spec = _spec(case)
    spec = RegressionSpec(spec.model, spec.outcome, spec.events, spec.covariates, interval, True)
    frame = pd.read_csv(ROOT / "tests" / "r_reference" / f"models_{case['wave']}.csv", dtype=str,
                        keep_default_na=False)
    covariates = spec.covariates if name == "multivariable" else \
        tuple(c for c in spec.covariates if c.variable == name.split(":")[1])
    model = "multivariable" if name == "multivariable" else "univariable"
    return pd.DataFrame(fit_model("t", model, spec, _book(case["wave"]), frame, covariates))


def test_most_references_are_estimable():
    """The comparison above must compare numbers on most models, not only expect separation."""
    finite = [m for c in CASES for m in c["models"].values() if not m["separated"]
              and max(abs(num(b)) for b in _vectors(m)["estimate"]) <= 10]
    assert len(finite) >= 20


def _estimates(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[(rows["row"] == "level") & ~rows["reference"].astype(bool)]


@pytest.mark.parametrize("case, name", MODELS)
def test_models_of_the_bundled_studies_match_r(case, name):
    ref = _vectors(case["models"][name])
    rows = _rows(case, name)
    model = rows[rows["row"] == "model"].iloc[0]
    assert model["n"] == ref["n"]
    coefficients = [abs(num(b)) for b in ref.get("estimate", [])]
    if ref["separated"] or (case["kind"] == "logistic" and max(coefficients, default=0) > 10):
        assert model["status"] == "separation" and _estimates(rows)["ratio"].isna().all()
        return
    assert model["status"] == "ok"
    estimates = _estimates(rows)
    assert len(estimates) == len(ref["terms"]) - 1  # every coefficient but the intercept
    tol = 1e-6 if case["kind"] == "logistic" else 1e-8
    for row in estimates.itertuples(index=False):
        k = ref["terms"].index(f"{row.covariate}{row.level if isinstance(row.level, str) else ''}")
        assert_r(row.estimate, ref["estimate"][k], rel=tol, what=f"{ref['terms'][k]} coefficient")
        assert_r(row.se, ref["se"][k], rel=tol, what=f"{ref['terms'][k]} SE")
        if case["kind"] == "logistic":
            assert_r(row.ratio, ref["ratio"][k], rel=tol, what=f"{ref['terms'][k]} OR")
            assert_r(row.ci_low, ref["profile_low"][k], rel=tol, what=f"{ref['terms'][k]} profile low")
            assert_r(row.ci_high, ref["profile_high"][k], rel=tol, what=f"{ref['terms'][k]} profile high")
        else:
            assert_r(row.ci_low, ref["ci_low"][k], rel=tol, what=f"{ref['terms'][k]} CI low")
            assert_r(row.ci_high, ref["ci_high"][k], rel=tol, what=f"{ref['terms'][k]} CI high")
    tests = rows[rows["row"] == "covariate"]
    names, p_values = (ref["lr_terms"], ref["lr_p"]) if case["kind"] == "logistic" else (ref["f_terms"], ref["f_p"])
    assert list(tests["covariate"]) == names
    for test, p in zip(tests.itertuples(index=False), p_values):
        assert_r(test.p_value, p, rel=tol, what=f"{test.covariate} global p")
    if case["kind"] == "logistic":
        assert model["events"] == ref["events"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "logistic"
                                  and not c["models"]["multivariable"]["separated"]], ids=lambda c: c["id"])
def test_wald_intervals_match_confint_default(case):
    """`interval: wald`: exp(confint.default(fit)), the estimate ± 1,96 SE."""
    ref = _vectors(case["models"]["multivariable"])
    for row in _estimates(_rows(case, "multivariable", "wald")).itertuples(index=False):
        k = ref["terms"].index(f"{row.covariate}{row.level if isinstance(row.level, str) else ''}")
        assert_r(row.ci_low, ref["wald_low"][k], rel=1e-6, what="Wald low")
        assert_r(row.ci_high, ref["wald_high"][k], rel=1e-6, what="Wald high")


def test_a_group_of_one_is_named_as_the_cause_of_the_separation():
    """demo_2027: one respondent « Non genré », a user: R prints an OR of 530 554 for that level with no warning;
    the table has no OR and its footnote names the level (codebook label) and its 1/1."""
    from surveykit.analysis.regression_table import not_estimable_text
    from surveykit.analysis.plan import Plan

    case = next(c for c in CASES if c["id"] == "demo_pratique")
    assert num(_vectors(case["models"]["univariable:genre"])["estimate"][2]) > 10  # R's runaway coefficient
    rows = _rows(case, "univariable:genre")
    model = rows[rows["row"] == "model"].iloc[0]
    text = not_estimable_text(model, Plan(tables=()), _book("demo_2027"), rows[rows["row"] == "level"])
    assert text.startswith("séparation, car l'unique observation de « Non genré » (Sexe) est un événement ; ")
    assert "non-événement" not in text and text.count("(") == text.count(")")


def _plan_with(tmp_path: Path, table: dict) -> Path:
    import yaml

    path = tmp_path / "analysis_plan.yaml"
    path.write_text(yaml.safe_dump({"tables": [table]}, allow_unicode=True), encoding="utf-8")
    return path


BASE = {"id": "m", "title": "Modèle", "kind": "regression", "outcome": {"variable": "pratique_tle", "event": "Oui"},
        "covariates": [{"variable": "age"}]}


@pytest.mark.parametrize("change, message", [
    ({"outcome": {"variable": "pratique_tle", "event": "Peut-être"}}, "outcome.event .* must name levels"),
    ({"outcome": {"variable": "nope", "event": "Oui"}}, "outcome 'nope' is not a variable"),
    ({"covariates": [{"variable": "age", "reference": "Jeune"}]}, "reference 'Jeune' is not one of its levels"),
    ({"covariates": ["frein_perte_temps"]}, None),
    ({"covariates": ["pratique_tle"]}, "include the outcome"),
    ({"model": "linear"}, "a linear model explains a numeric variable"),
    ({"outcome": {"variable": "aisance_numerique"}}, "a logistic model explains a single-choice variable"),
    ({"covariates": ["role_tle"]}, "expected a single-choice .* or numeric variable"),
])
def test_plan_errors_name_the_table_and_what_was_expected(tmp_path, change, message):
    book = _book("thesis_2025")
    path = _plan_with(tmp_path, BASE | change)
    if message is None:  # a grid item of a 1–10 scale is a numeric covariate
        spec = load_plan(path, book).tables[0].regression
        assert spec.covariates[0].numeric
        return
    with pytest.raises(InputError, match=message) as error:
        load_plan(path, book)
    assert "table m" in str(error.value)


def test_a_regression_table_has_no_variables_or_by(tmp_path):
    with pytest.raises(InputError, match="has no \\['by'\\]"):
        load_plan(_plan_with(tmp_path, BASE | {"by": "cpts"}), _book("thesis_2025"))


# --------------------------------------------------------------------------- table, footnote, registry, sentence


def _bundled(wave: str, table: str):
    """The study's plan and codebook, the regression table's spec and its models on the wave's answers."""
    from surveykit.analysis.models import models_frame, regression_rows

    book = _book(wave)
    plan = load_plan(ROOT / "data" / "studies" / STUDIES[wave] / "analysis_plan.yaml", book)
    spec = plan.table(table)
    frame = pd.read_csv(ROOT / "tests" / "r_reference" / f"models_{wave}.csv", dtype=str, keep_default_na=False)
    return plan, book, spec, models_frame(regression_rows(table, spec.regression, book, frame))


def _chapter_sentences(plan, book, spec, models):
    from surveykit.manuscript.chapter import Context
    from surveykit.manuscript.registry import Registry
    from surveykit.manuscript.collect import add_models

    registry = Registry()
    with fmt.percent_style(plan.percent):
        add_models(registry, models, plan, book, 0.05, "models.csv")
    labels = {v: variable_label(plan, book, v) for v in book.variables}
    return registry, Context(registry, {}, {}, labels, 0.05, book=book, plan=plan).describe(spec.id)


def test_thesis_table_footnote_and_sentence():
    """39 médecins, 7 non-users: the adjusted OR of R (profile), the EPV of 1,4 with its warning, and a sentence
    that finds no covariate associated (every global p above 0,5)."""
    from surveykit.analysis.regression_table import format_regression, regression_footnote

    plan, book, spec, models = _bundled("thesis_2025", "regression_pratique")
    with fmt.percent_style(plan.percent):
        table = format_regression(spec, plan, book, models)
        note = regression_footnote(spec, plan, book, models)
    assert table.iloc[0].tolist() == ["Âge", "Moins de 35 ans", "8/9 (88,9\u00a0%)", "1", "0,6642", "1", "0,7595"]
    assert list(table.columns) == ["Caractéristique", "Modalité", "Événements / n (%)", "OR brut [IC 95\u00a0%]",
                                   "p (univarié)", "OR ajusté [IC 95\u00a0%]", "p (multivarié)"]
    assert table.iloc[1, 5] == "0,56 [0,02 ; 5,62]"  # R: 0.5614578 [0.02474412 ; 5.622108]
    assert "sur les 39 observations complètes (réponse à la question de chaque variable) parmi 39 médecins, dont 32 événements" in note
    assert "Modalité de référence de chaque variable : OR = 1." in note
    assert "Événements par paramètre (EPV) : 1,4" in note and "moins de 10 événements par paramètre" in note
    registry, sentences = _chapter_sentences(plan, book, spec, models)
    assert sentences == [
        "En analyse multivariée (n\u00a0=\u00a039 observations complètes, dont 32 événements), aucune variable n'est "
        "associée significativement à la réponse « Oui » à « Pratiquez-vous la télé-expertise ? » (test du rapport "
        "de vraisemblance).",
        "Avec 1,4 événement par paramètre estimé (moins de 10), ces estimations ajustées sont instables et à lire "
        "avec prudence."]
    assert registry.text("regression_pratique.age.Plus de 50 ans.or_adj") == "1,24 [IC 95\u00a0% 0,03 ; 56,04]"


def test_barometer_sentence_names_what_is_associated_when_a_global_p_is_below_alpha():
    """Daily use ~ profession + age on the barometer: p = 0,12 and 0,69, no association, no EPV warning (20,2);
    with alpha = 0,2 the sentence names the profession and its adjusted ORs, read from the registry."""
    plan, book, spec, models = _bundled("barometre_2025", "usage_quotidien_modele")
    _registry, sentences = _chapter_sentences(plan, book, spec, models)
    assert len(sentences) == 1 and "aucune variable n'est associée significativement" in sentences[0]
    assert "(n\u00a0=\u00a0669 observations complètes, dont 548 événements)" in sentences[0]
    from surveykit.manuscript.chapter import Context
    from surveykit.manuscript.registry import Registry
    from surveykit.manuscript.collect import add_models

    registry = Registry()
    add_models(registry, models, plan, book, 0.2, "models.csv")
    labels = {v: variable_label(plan, book, v) for v in book.variables}
    sentence = Context(registry, {}, {}, labels, 0.2, book=book, plan=plan).describe(spec.id)[0]
    assert sentence.startswith("En analyse multivariée (n\u00a0=\u00a0669 observations complètes, dont 548 "
                               "événements), Profession (catégories du baromètre) (p\u00a0=\u00a00,1165 ; "
                               "« Infirmiers / IPA » contre « Médecins » : OR ajusté 0,66 [IC 95\u00a0% 0,40 ; 1,09]")
    assert sentence.endswith("est associée significativement aux réponses « Une fois par jour » ou « Plusieurs fois "
                             "par jour » à « Fréquence d'utilisation » (test du rapport de vraisemblance).")
    assert "« Autres professionnels » contre « Médecins » : OR ajusté 0,52 [IC 95\u00a0% 0,30 ; 0,90])" in sentence


def test_linear_table_prints_lm_coefficients(tmp_path):
    """A linear model declared in a plan: « indispensable dans 10 ans » ~ practice + age + digital ease on the
    thesis' answers; the adjusted coefficient of « Oui » and its t interval are R's lm + confint."""
    from surveykit.analysis.models import models_frame, regression_rows
    from surveykit.analysis.regression_table import format_regression, regression_footnote

    book = _book("thesis_2025")
    path = _plan_with(tmp_path, {"id": "lin", "title": "Modèle linéaire", "kind": "regression", "model": "linear",
                                 "outcome": {"variable": "indispensable_10ans"},
                                 "covariates": [{"variable": "pratique_tle", "reference": "Non"}, "age",
                                                "aisance_numerique"]})
    plan = load_plan(path, book)
    spec = plan.tables[0]
    frame = pd.read_csv(ROOT / "tests" / "r_reference" / "models_thesis_2025.csv", dtype=str, keep_default_na=False)
    models = models_frame(regression_rows("lin", spec.regression, book, frame))
    table = format_regression(spec, plan, book, models)
    ref = _vectors(next(c for c in CASES if c["id"] == "thesis_indispensable")["models"]["multivariable"])
    k = ref["terms"].index("pratique_tleOui")
    oui = table[table["Modalité"] == "Oui"].iloc[0]
    assert oui["Coefficient ajusté [IC 95\u00a0%]"] == fmt.estimate_ci(ref["estimate"][k], ref["ci_low"][k], ref["ci_high"][k])
    assert table[table["Modalité"] == "Non"].iloc[0]["Coefficient ajusté [IC 95\u00a0%]"] == "0"
    assert table.iloc[-1]["Modalité"] == "par unité"  # the numeric covariate: one slope
    note = regression_footnote(spec, plan, book, models)
    assert note.startswith("Régression linéaire (comme lm sous R) de « ") and "test F" in note and "EPV" not in note


def test_a_wave_without_a_covariate_has_no_regression_table():
    """A wave whose form does not ask a covariate (codebook `since`/`until`) leaves the model out, not a smaller
    model with the same title."""
    from dataclasses import replace

    from surveykit.analysis.plan import edition_plan

    book = replace(_book("thesis_2025"), wave="later", absent=("genre",))
    raw = {"tables": [BASE | {"covariates": ["age", "genre"]}, BASE | {"id": "n", "covariates": ["age"]}]}
    assert [t["id"] for t in edition_plan(raw, book)["tables"]] == ["n"]
