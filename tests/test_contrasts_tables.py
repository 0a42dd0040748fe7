"""The plan's `overall`, `estimate` and `posthoc` keys and the interpretation rule, on the bundled studies' data.

R values: tests/r_reference/tables_reference.json (made by tables_reference.R from the bundled reconstructions'
counts and answers); each is compared to the function the statistics step calls with those same inputs, and
to the row that step writes for the bundled wave, to 1e-8 relative.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from surveykit.analysis.contrasts import contrasts
from surveykit.analysis.format import Contrasts, format_table
from surveykit.analysis.plan import load_plan
from surveykit.analysis.run import run_plan
from surveykit.clean.cleaning import clean_file
from surveykit.questionnaire.codebook import load_codebook
from surveykit.core.errors import InputError
from surveykit.stats import effects, estimates, posthoc

ROOT = Path(__file__).resolve().parents[1]
REF = {c["id"]: c for c in json.loads((ROOT / "tests/r_reference/tables_reference.json").read_text())["cases"]}
THESIS = ROOT / "data/studies/tele_expertise_cpts"


def close(a: float, b: float, rel: float = 1e-8) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def test_newcombe_and_odds_ratio_of_the_barometer_headline_match_r():
    case, odds = REF["barometre_utilise_oui"], REF["barometre_utilise_oui_or"]
    inp = case["inputs"]
    d = estimates.proportion_difference(inp["x1"], inp["n1"], inp["x2"], inp["n2"])
    assert close(d.estimate, case["values"]["estimate"]) and close(d.ci_low, case["values"]["ci_low"])
    assert close(d.ci_high, case["values"]["ci_high"])
    o = estimates.odds_ratio(odds["inputs"]["table"])
    for name in ("estimate", "ci_low", "ci_high"):
        assert close(getattr(o, name), odds["values"][name]), name


@pytest.mark.parametrize("item", ["frein_tracabilite", "frein_confiance_informations", "frein_perte_temps"])
def test_hodges_lehmann_of_thesis_table_7_matches_r(item):
    case = REF[f"these_tableau_7_{item}"]
    res = effects.hodges_lehmann(case["inputs"]["x"], case["inputs"]["y"])
    for name in ("estimate", "ci_low", "ci_high"):
        assert close(getattr(res, name), case["values"][name], 1e-6), name


def test_pairwise_fisher_holm_and_letters_of_thesis_table_3_match_r():
    case = REF["these_tableau_3_age_pairs"]
    pairs = posthoc.pairwise_table_tests(case["inputs"]["table"], "fisher", ["A", "D", "V"])
    assert [p.p_value for p in pairs] == pytest.approx(case["values"]["p_value"], rel=1e-8)
    assert [p.p_adjusted for p in pairs] == pytest.approx(case["values"]["p_adjusted"], rel=1e-8)
    letters = posthoc.compact_letters(["A", "D", "V"], {(p.group1, p.group2): p.p_adjusted < 0.05 for p in pairs})
    assert letters == case["values"]["letters"]


@pytest.fixture(scope="module")
def thesis(tmp_path_factory):
    """The thesis wave cleaned from its bundled export and analysed by its plan, as the pipeline does, with the
    Hodges-Lehmann shift switched on for Table 7 (`estimate: hodges_lehmann`; the bundled chapter leaves that
    seventh column out, for its labels to stay whole on A4)."""
    import yaml

    book = load_codebook(THESIS / "codebook.yaml")
    raw = yaml.safe_load((THESIS / "analysis_plan.yaml").read_text(encoding="utf-8"))
    next(t for t in raw["tables"] if t["id"] == "tableau_7")["estimate"] = "hodges_lehmann"
    path = tmp_path_factory.mktemp("plan") / "analysis_plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = load_plan(path, book)
    frame = clean_file(ROOT / "data/raw/thesis_2025/export.csv", book).responses
    return book, plan, frame, run_plan(frame, book, plan, 20250409, 0.05)


def test_thesis_table_3_gets_r_letters_where_the_global_fisher_rejects(thesis):
    book, plan, _frame, result = thesis
    case = REF["these_tableau_3_age_pairs"]
    test = result.tests[(result.tests["table"] == "tableau_3")].iloc[0]
    assert close(test["p_value"], case["values"]["global_p"]) and test["p_value"] < 0.05
    pairs = result.posthoc[result.posthoc["table"] == "tableau_3"]
    assert list(pairs["p_adjusted"]) == pytest.approx(case["values"]["p_adjusted"], rel=1e-8)
    spec = plan.table("tableau_3")
    extra = Contrasts(result.estimates, result.posthoc, 0.05, 20250409)
    table, note = format_table(spec, plan, book, result.tables["tableau_3"], result.tests, extra)
    letters = table[table["Modalité"] == "Comparaisons par paires"].iloc[0]
    groups = [c for c in table.columns if c.startswith("CPTS")]
    assert [letters[c] for c in groups] == list(case["values"]["letters"].values())
    assert table.columns[2].startswith("Ensemble") and "partagent une lettre" in note


def test_thesis_table_7_hodges_lehmann_column_is_r(thesis):
    book, plan, _frame, result = thesis
    rows = result.estimates[result.estimates["table"] == "tableau_7"].set_index("variable")
    for item in ("frein_tracabilite", "frein_confiance_informations", "frein_perte_temps"):
        values = REF[f"these_tableau_7_{item}"]["values"]
        assert close(rows.loc[item, "value"], values["estimate"], 1e-6)
        assert close(rows.loc[item, "ci_low"], values["ci_low"], 1e-6)
        assert close(rows.loc[item, "ci_high"], values["ci_high"], 1e-6)
    table, note = format_table(plan.table("tableau_7"), plan, book, result.tables["tableau_7"], result.tests,
                               Contrasts(result.estimates, result.posthoc))
    row = table[table["Frein TLE"] == "Traçabilité"].iloc[0]
    assert row["Décalage [IC 95 %]"] == "−3,0 [−6,0 ; −1,0]"
    assert "Décalage : décalage de Hodges-Lehmann, « Utilisateurs » moins « Non-utilisateurs »" in note


def test_thesis_table_6_interpretation_follows_its_stated_rule(thesis):
    book, plan, _frame, result = thesis
    table, note = format_table(plan.table("tableau_6"), plan, book, result.tables["tableau_6"], result.tests)
    assert "5 classes d'égale largeur de l'échelle de 1 à 10" in note and "dépasse 2,87" in note
    cuts = [1, 2.8, 4.6, 6.4, 8.2]
    words = ["Frein très faible", "Frein faible", "Frein modéré", "Frein élevé", "Frein très élevé"]
    overall = result.tables["tableau_6"]
    overall = overall[overall["group"] == "Ensemble"].set_index("variable")
    for row in table.itertuples(index=False):
        variable = next(v for v in plan.table("tableau_6").variables
                        if row[1] == (plan.variable_labels.get(v) or book.variable_question()[v].item_label(v)))
        mean, sd = overall.loc[variable, "mean"], overall.loc[variable, "sd"]
        expected = words[sum(mean >= c for c in cuts[1:])]
        assert row[-1].startswith(expected + ("," if sd > math.sqrt(99 / 12) else ""))


def _plan_with(tmp_path, **table) -> Path:
    import yaml
    raw = yaml.safe_load((THESIS / "analysis_plan.yaml").read_text(encoding="utf-8"))
    raw["tables"] = [t for t in raw["tables"] if t["id"] == "tableau_2"]
    raw["tables"][0].update(table)
    path = tmp_path / "analysis_plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("keys, message", [
    ({"estimate": "proportion_difference"}, "compares two groups; `by: cpts` has 3 levels"),
    ({"estimate": "hodges_lehmann"}, "does not fit a categorical table; expected auto, proportion_difference"),
    ({"posthoc": "letters", "by": "pratique_tle"}, "has 2 group(s)"),
    ({"overall": True, "by": None}, "has no `by`"),
])
def test_plan_options_that_cannot_apply_are_refused_with_the_reason(tmp_path, codebook, keys, message):
    table = {k: v for k, v in keys.items() if v is not None}
    path = _plan_with(tmp_path, **table)
    if keys.get("by", "") is None:
        import yaml
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["tables"][0].pop("by")
        raw["tables"][0].pop("test")
        raw["tables"][0].pop("posthoc", None)
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_plan(path, codebook)
    assert message in str(error.value) and "tableau_2" in str(error.value)


def test_estimates_and_pairs_are_written_apart_from_the_tests(thesis):
    book, plan, frame, result = thesis
    estimate, pairs = contrasts(frame, book, plan, result.tests, 0.05, 20250409)
    assert set(estimate["table"]) == {"tableau_7"} and len(estimate) == 9
    assert set(pairs["table"]) <= {"tableau_2", "tableau_3", "tableau_8"}
    assert isinstance(pairs, pd.DataFrame) and (pairs["adjust"] == "holm").all()


def test_reproduction_report_says_the_thesis_labels_follow_no_rule():
    from surveykit.reproduction.published import load_publication
    from surveykit.reproduction.report import interpretation_findings
    lines = interpretation_findings(load_publication(THESIS / "published/thesis_2025.yaml"))
    assert "7 classes pour 9 moyennes, dont 6 ne contiennent qu'une moyenne" in lines[0]
    assert "écarts-types de 2,9 et 3,0, mais pas pour un autre écart-type de 2,9 ni pour 3,2" in lines[1]


def test_the_p_column_header_comes_from_the_plan(thesis):
    # A wide table (the barometer's eight columns) has no room for « Valeur de p » on one line at 8 pt: its plan
    # says « p » (`p_label`); the default stays « Valeur de p », the thesis' own header.
    import dataclasses
    book, plan, _frame, result = thesis
    spec = plan.table("tableau_2")
    table, _note = format_table(spec, plan, book, result.tables["tableau_2"], result.tests)
    assert plan.p_label == "Valeur de p" and "Valeur de p" in table.columns
    short, _note = format_table(spec, dataclasses.replace(plan, p_label="p"), book, result.tables["tableau_2"],
                                result.tests)
    assert "p" in short.columns and "Valeur de p" not in short.columns
    assert list(short["p"]) == list(table["Valeur de p"])
    import yaml
    barometer = yaml.safe_load((ROOT / "data/studies/barometre_numerique/analysis_plan.yaml").read_text("utf-8"))
    assert barometer["p_label"] == "p"
