"""The grid_choice question type (Forms' « grille à choix multiples ») without Snakemake: codebook, cleaning,
the items × levels table with its share at the positive end, per-item tests equal to R, the chapter's sentences
and the diverging figure. R's values: tests/r_reference/grid_choice.R run on the raw fixture export."""
from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from surveykit.analysis.format import format_table
from surveykit.analysis.plan import load_plan
from surveykit.analysis.run import run_plan
from surveykit.clean.cleaning import clean_file
from surveykit.core.errors import InputError
from surveykit.manuscript import prose
from surveykit.manuscript.prose import Share
from surveykit.manuscript.registry import Registry, add_tidy, reference_markdown
from surveykit.questionnaire.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "tests" / "fixtures" / "studies" / "grilles_usage"
EXPORT = ROOT / "tests" / "fixtures" / "exports" / "grilles_2025.csv"
R_REFERENCE = json.loads((ROOT / "tests" / "r_reference" / "grid_choice.json").read_text(encoding="utf-8"))
FREQUENCY = ["Jamais", "Rarement", "Plusieurs fois par mois", "Plusieurs fois par semaine", "Quotidiennement"]
UNKNOWN = "Je ne connais pas cet outil"


def close(ours: float, theirs: float) -> bool:
    return math.isclose(ours, theirs, rel_tol=1e-8, abs_tol=0.0)


@pytest.fixture(scope="module")
def book():
    return load_codebook(STUDY / "codebook.yaml")


@pytest.fixture(scope="module")
def plan(book):
    return load_plan(STUDY / "analysis_plan.yaml", book)


@pytest.fixture(scope="module")
def cleaned(book):
    return clean_file(EXPORT, book)


@pytest.fixture(scope="module")
def analysis(book, plan, cleaned):
    chisq = dataclasses.replace(plan.table("usage_secteur"), id="usage_secteur_chisq", test="chisq")
    extended = dataclasses.replace(plan, tables=plan.tables + (chisq,))
    return run_plan(cleaned.responses, book, extended, seed=20250409)


# --------------------------------------------------------------------------- codebook


def test_the_grid_reads_its_levels_from_the_negative_to_the_positive_end(book):
    usage, opinion = book.question("usage"), book.question("opinion")
    assert usage.variables == ["usage_messagerie", "usage_teleexpertise", "usage_agenda", "usage_dmp"]
    assert usage.substantive_levels == tuple(FREQUENCY)
    assert usage.negative_levels == ("Jamais", "Rarement")
    assert usage.neutral_level == "Plusieurs fois par mois"
    assert usage.positive_levels == ("Plusieurs fois par semaine", "Quotidiennement")
    assert opinion.neutral_level is None
    assert opinion.positive_levels == ("Plutôt d'accord", "Tout à fait d'accord")
    assert [c[2] for c in opinion.columns()][0] == "Opinion [Les outils me font gagner du temps]"


def _codebook(tmp_path: Path, question: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text("study: s\ntitle: T\ntimestamp: {headers: [Horodateur]}\nquestions:\n" + question, encoding="utf-8")
    return path


GRID = """  - id: usage
    number: 1
    type: grid_choice
    required: false
    header: "Fréquence"
    items: [{id: usage_a, row: "A", label: "A"}, {id: usage_b, row: "B", label: "B"}]
    options: [{raw: "Souvent", label: "Souvent"}, {raw: "Jamais", label: "Jamais"}, {raw: "NSP", label: "Ne sait pas"}]
"""


@pytest.mark.parametrize("extra, message", [
    ('    levels: ["Jamais", "Souvent"]\n', "must list each option label once"),
    ('    levels: ["Jamais", "Souvent", "Ne sait pas"]\n    non_substantive: ["NSP"]\n',
     "`non_substantive` ['NSP'] are not levels of the grid"),
    ('    levels: ["Jamais", "Souvent", "Ne sait pas"]\n    non_substantive: ["Souvent", "Ne sait pas"]\n',
     "at least two substantive levels"),
    ('    levels: ["Jamais", "Souvent", "Ne sait pas"]\n    min: 1\n', "a grid_choice question has no `min`"),
])
def test_a_wrong_grid_is_refused_with_the_file_and_question_named(tmp_path, extra, message):
    path = _codebook(tmp_path, GRID + extra)
    with pytest.raises(InputError) as error:
        load_codebook(path)
    assert message in str(error.value) and str(path) in str(error.value) and "question 1 (usage)" in str(error.value)


def test_grid_keys_on_another_type_are_refused(tmp_path):
    path = _codebook(tmp_path, """  - {id: q, number: 1, type: single, required: true, header: "Q",
     options: [{raw: a, label: a}, {raw: b, label: b}], levels: [a, b], non_substantive: [b]}
""")
    with pytest.raises(InputError, match="apply to a grid_choice question; 'q' is single"):
        load_codebook(path)


def test_the_schema_requires_options_and_levels(tmp_path):
    with pytest.raises(InputError, match="'levels' is a required property"):
        load_codebook(_codebook(tmp_path, GRID))


# --------------------------------------------------------------------------- cleaning


def test_cells_are_parsed_against_the_options_and_bad_rows_set_aside(cleaned):
    assert cleaned.flow["analysed"] == R_REFERENCE["analysed"] == 77
    assert cleaned.flow["quarantined"] == {"valeur invalide": 2}
    assert cleaned.flow["excluded"] == {"logique de saut non respectée": 1}
    details = dict(zip(cleaned.excluded["sheet_row"], cleaned.excluded["detail"]))
    assert details[12] == (f"{EXPORT}, row 12, column \"Fréquence d'utilisation [Télé-expertise]\": 'Tous les jours' — "
                           "expected one of 'Quotidiennement', 'Plusieurs fois par semaine', 'Plusieurs fois par mois', "
                           "'Rarement', 'Jamais', 'Je ne connais pas cet outil'")
    assert "row 32, column \"Opinion [Les outils sont faciles à utiliser]\": '' — expected an answer" in details[32]
    assert "row 22" in details[22] and "only when secteur = 'Ville'" in details[22]
    responses = cleaned.responses.set_index("respondent_id")
    assert responses.loc["R00042", "usage_messagerie"] == "Quotidiennement"  # typed « QUOTIDIENNEMENT »
    assert set(responses["opinion_temps"][responses["secteur"] == "Hôpital"]) == {""}


# --------------------------------------------------------------------------- table


@pytest.mark.parametrize("grid", ["usage", "opinion"])
def test_counts_and_positive_shares_equal_r(analysis, grid):
    tidy = analysis.tables[grid]
    overall = tidy[tidy["group"] == "Ensemble"]
    for variable, expected in R_REFERENCE[grid].items():
        rows = overall[overall["variable"] == variable].set_index("level")
        for level, n in expected["counts"].items():
            assert rows.loc[level, "n"] == n
            assert rows.loc[level, "denominator"] == expected["answered"]
            assert close(rows.loc[level, "pct"], 100 * n / expected["answered"])
        assert rows.loc["", "n"] == expected["positive"] and rows.loc["", "denominator"] == expected["substantive"]
        assert close(rows.loc["", "pct"], expected["positive_pct"])


def test_items_are_ranked_by_their_share_at_the_positive_end(analysis):
    tidy = analysis.tables["usage"]
    ranks = tidy[(tidy["level"] == "") & (tidy["group"] == "Ensemble")].set_index("variable")["rank"]
    shares = {v: R_REFERENCE["usage"][v]["positive_pct"] for v in ranks.index}
    assert list(ranks.sort_values().index) == sorted(shares, key=lambda v: -shares[v])
    assert ranks.to_dict() == {"usage_messagerie": 1, "usage_agenda": 2, "usage_dmp": 3, "usage_teleexpertise": 4}


def test_the_printed_table_has_items_by_levels_and_the_positive_end(book, plan, analysis):
    table, note = format_table(plan.table("usage"), plan, book, analysis.tables["usage"], analysis.tests)
    assert list(table.columns) == ["Item", "n", *FREQUENCY, UNKNOWN, "Pôle positif"]
    assert list(table["Item"]) == ["Messagerie sécurisée", "Agenda en ligne", "DMP", "Télé-expertise"]
    assert table.iloc[0].tolist() == ["Messagerie sécurisée", "70", "1,4\u00a0%", "1,4\u00a0%", "11,4\u00a0%",
                                      "28,6\u00a0%", "48,6\u00a0%", "8,6\u00a0%", "84,4\u00a0%"]
    assert note.startswith("n : réponses renseignées à l'item ; pourcentages de ces réponses. Pôle positif : "
                           "« Plusieurs fois par semaine » ou « Quotidiennement », en pourcentage des réponses "
                           "renseignées hors « Je ne connais pas cet outil » ; items classés par cette part.")
    assert "Réponses non renseignées : Messagerie sécurisée (n\u00a0=\u00a07), Télé-expertise (n\u00a0=\u00a01)" in note


def test_a_table_by_group_has_each_item_then_its_groups_and_the_p_values(book, plan, analysis):
    spec = plan.table("usage_secteur")
    table, note = format_table(spec, plan, book, analysis.tables[spec.id], analysis.tests)
    assert list(table["Item"])[:3] == ["Messagerie sécurisée", "Ville", "Hôpital"] and len(table) == 12
    assert list(table["n"])[:3] == ["70", "42", "28"]
    assert table.iloc[1]["Pôle positif"] == "97,5\u00a0%" and table.iloc[2]["Jamais"] == "3,6\u00a0%"
    assert "Valeur de p" not in table.columns  # one family, the adjusted p only (the raw p is in tests.csv)
    assert table.iloc[0]["p ajustée (Holm)"] == "0,0013" and table.iloc[1]["p ajustée (Holm)"] == ""
    assert "sous chaque item, une ligne par modalité de « Secteur »" in note
    assert ("Tests de rangs sur l'ordre des modalités, de « Jamais » (1) à « Quotidiennement » (5), « Je ne connais "
            "pas cet outil » exclue du test.") in note
    assert "Valeurs de p ajustées pour quatre comparaisons par la méthode de Holm." in note


# --------------------------------------------------------------------------- tests


def test_per_item_tests_equal_r(analysis):
    ours = analysis.tests.set_index(["table", "variable"])
    for reference in R_REFERENCE["tests"]:
        row = ours.loc[(reference["table"], reference["variable"])]
        assert row["test"] == reference["test"], reference
        assert close(row["p_value"], reference["p_value"]), (reference, row["p_value"])
        assert close(row["p_holm"], reference["p_holm"]), (reference, row["p_holm"])
        assert row["p_holm_question"] == row["p_holm"]
        assert row["n"] == reference["n"]
        if reference["statistic"] is not None:
            assert close(row["statistic"], reference["statistic"]), (reference, row["statistic"])
    assert len(R_REFERENCE["tests"]) == len(ours) == 19


def test_reasons_say_why_and_how_the_levels_are_ranked(analysis):
    tests = analysis.tests.set_index(["table", "variable"])
    reason = tests.loc[("usage_secteur", "usage_messagerie"), "reason"]
    assert reason == ("test choisi par le plan d'analyse → test de Wilcoxon-Mann-Whitney ; rangs sur l'ordre des "
                      "modalités, de « Jamais » (1) à « Quotidiennement » (5), « Je ne connais pas cet outil » exclue "
                      "du test")
    assert tests.loc[("usage_profession_auto", "usage_messagerie"), "reason"] == (
        "effectif attendu minimal 0,3 < 5 (12 cellules sur 18) → test exact de Fisher")
    assert tests.loc[("usage_profession_auto", "usage_messagerie"), "choice"] == "auto"
    assert tests.loc[("usage_secteur", "usage_dmp"), "effect"] == "corrélation rang-bisériale"


@pytest.mark.parametrize("table, message", [
    ("{id: t, title: T, kind: grid_choice, grid: usage, by: profession, test: wilcoxon}",
     "test 'wilcoxon' does not fit a grid_choice table by 'profession' (3 groups); expected auto, none, fisher, "
     "chisq, kruskal"),
    ("{id: t, title: T, kind: grid_choice, variables: [usage_dmp]}", "a grid_choice table names its grid with `grid:`"),
    ("{id: t, title: T, kind: scores, grid: usage}", "a scores table needs a grid_scale question; 'usage' is grid_choice"),
    ("{id: t, title: T, kind: grid_choice, grid: usage, by: usage_dmp}", "`by: usage_dmp` is also one of the table's"),
    ("{id: t, title: T, kind: categorical, variables: [profession], order: positive_desc}",
     "`order: positive_desc` ranks the items of a grid_choice table only"),
])
def test_plan_entries_that_do_not_fit_a_grid_are_refused(tmp_path, book, table, message):
    path = tmp_path / "analysis_plan.yaml"
    path.write_text(f"tables:\n  - {table}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_plan(path, book)
    assert message in str(error.value) and f"{path}: table t" in str(error.value)


def test_a_grid_item_is_a_categorical_variable_elsewhere(tmp_path, book, cleaned):
    path = tmp_path / "analysis_plan.yaml"
    path.write_text("tables:\n  - {id: t, title: T, kind: categorical, variables: [usage_dmp], by: secteur}\n",
                    encoding="utf-8")
    result = run_plan(cleaned.responses, book, load_plan(path, book), seed=1)
    counts = result.tables["t"].query("group == 'Ensemble'").set_index("level")["n"]
    assert counts[UNKNOWN] == R_REFERENCE["usage"]["usage_dmp"]["counts"][UNKNOWN]
    assert result.tests["test"].tolist() == ["fisher"]


# --------------------------------------------------------------------------- prose, registry


def _share(label: str, n: int, pct: float) -> Share:
    return Share(label, n, str(n), pct, f"{pct:.1f}".replace(".", ",") + "\u00a0%")


def test_top_items_keep_ties_together():
    shares = [_share("A", 5, 50.0), _share("B", 5, 50.0), _share("C", 3, 30.0), _share("D", 1, 10.0)]
    assert prose.grid_top("Usage", shares, "« Souvent »", "") == (
        "Usage : les items dont la part de réponses « Souvent » est la plus élevée sont A et B (50,0\u00a0% chacun) "
        "et C (30,0\u00a0%).")
    assert prose.grid_top("Usage ?", shares[:1], "« Souvent »", " (hors « NSP »)") == (
        "À la question « Usage ? », l'item dont la part de réponses « Souvent » (hors « NSP ») est la plus élevée "
        "est A (50,0\u00a0%).")


def test_most_frequent_answer_per_item_groups_items_and_ties():
    modes = [("A", [_share("Souvent", 4, 40.0)]), ("B", [_share("Souvent", 3, 30.0)]),
             ("C", [_share("Jamais", 2, 20.0), _share("Rarement", 2, 20.0)])]
    assert prose.grid_modes(modes) == ("Réponse la plus fréquente : « Souvent » pour A (40,0\u00a0%) et B (30,0\u00a0%) ; "
                                       "« Jamais » et « Rarement », à égalité, pour C (20,0\u00a0% chacune).")


def test_the_registry_reference_lists_the_grid_keys_only_when_there_are_some(analysis):
    with_grid, without = Registry(), Registry()
    add_tidy(with_grid, analysis.tables["usage"], "descriptives.csv", "analyse_wave")
    add_tidy(without, analysis.tables["participants"], "descriptives.csv", "analyse_wave")
    assert with_grid.value("usage.usage_dmp.Ensemble.rank") == 3
    assert math.isclose(with_grid.value("usage.usage_dmp.Ensemble.pct"), R_REFERENCE["usage"]["usage_dmp"]["positive_pct"],
                        rel_tol=1e-8)
    assert "grille à choix" in reference_markdown(with_grid, "V")
    assert "grille à choix" not in reference_markdown(without, "V")


# --------------------------------------------------------------------------- figure


def test_the_diverging_figure_is_legible_and_colour_blind_safe(tmp_path, book, plan, analysis):
    from surveykit.core.io import write_csv
    from surveykit.figures import draw
    from surveykit.figures.build import FigureData, build_figure
    from surveykit.figures.metadata import read_png
    from surveykit.figures.spec import load_figures
    from surveykit.figures.style import apply_style, save

    descriptives = tmp_path / "descriptives.csv"
    write_csv(pd.concat(analysis.tables.values(), ignore_index=True), descriptives)
    apply_style()
    data = FigureData({"codebook": str(STUDY / "codebook.yaml"), "plan": str(STUDY / "analysis_plan.yaml"),
                       "descriptives": str(descriptives)})
    specs = {s.id: s for s in load_figures(STUDY / "figures.yaml", book, plan)}
    figure = build_figure(specs["usage"], data, {})
    main, side = figure.axes
    labels = [t.get_text() for t in main.get_yticklabels()]
    assert labels == ["Télé-expertise (n\u00a0=\u00a055)", "DMP (n\u00a0=\u00a067)", "Agenda en ligne (n\u00a0=\u00a062)",
                      "Messagerie sécurisée (n\u00a0=\u00a064)"]  # rank 1 at the top
    left, right = main.get_xlim()
    assert left < 0 < right
    from matplotlib.colors import to_rgb

    reds, blues = draw.diverging_colors(2, 2)  # ColorBrewer RdBu: reds negative, blues positive, far ends darkest
    assert all(to_rgb(c)[0] > to_rgb(c)[2] for c in reds) and all(to_rgb(c)[2] > to_rgb(c)[0] for c in blues)
    assert sum(to_rgb(reds[0])) < sum(to_rgb(reds[1])) and sum(to_rgb(blues[1])) < sum(to_rgb(blues[0]))
    save(figure, tmp_path / "usage.png", tmp_path / "usage.svg")
    assert read_png(tmp_path / "usage.png").min_font_pt >= 7
    save(build_figure(specs["usage"], data, {}), tmp_path / "again.png", tmp_path / "again.svg")
    assert (tmp_path / "again.png").read_bytes() == (tmp_path / "usage.png").read_bytes()
    assert (tmp_path / "again.svg").read_bytes() == (tmp_path / "usage.svg").read_bytes()
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == [*FREQUENCY, UNKNOWN]


def test_an_export_written_from_the_clean_answers_reads_back_the_same(tmp_path, cleaned):
    from surveykit.questionnaire.forms.export import write_export

    path = tmp_path / "export.csv"
    write_export(cleaned.responses, STUDY / "codebook.yaml", path)
    again = clean_file(path, load_codebook(STUDY / "codebook.yaml"))
    columns = ["usage_messagerie", "usage_teleexpertise", "usage_agenda", "usage_dmp", "opinion_temps",
               "opinion_facilite", "opinion_coordination"]
    assert again.flow["analysed"] == len(cleaned.responses)
    pd.testing.assert_frame_equal(again.responses[columns].reset_index(drop=True),
                                  cleaned.responses[columns].reset_index(drop=True))


def test_an_item_a_group_answered_only_outside_the_scale_is_not_tested(tmp_path, book, cleaned):
    frame = cleaned.responses.copy()
    hospital = frame["secteur"] == "Hôpital"
    frame.loc[hospital & (frame["usage_dmp"] != ""), "usage_dmp"] = UNKNOWN
    plan = load_plan(STUDY / "analysis_plan.yaml", book)
    result = run_plan(frame, book, dataclasses.replace(plan, tables=(plan.table("usage_secteur"),)), seed=1)
    row = result.tests.set_index("variable").loc["usage_dmp"]
    assert row["test"] == "" and math.isnan(row["p_value"])
    assert row["reason"].startswith("pas de test : un seul groupe représenté")
    from surveykit.stats.rtests import p_adjust

    tested = result.tests[result.tests["variable"] != "usage_dmp"]
    assert list(tested["p_holm"]) == list(p_adjust(tested["p_value"].to_numpy(), "holm"))  # Holm over the 3 tested


def test_a_grid_listed_from_its_positive_end(tmp_path):
    book = load_codebook(_codebook(tmp_path, GRID + '    levels: ["Souvent", "Jamais", "Ne sait pas"]\n'
                                   '    non_substantive: ["Ne sait pas"]\n    positive_end: first\n'))
    grid = book.question("usage")
    assert grid.substantive_levels == ("Jamais", "Souvent")
    assert grid.negative_levels == ("Jamais",) and grid.positive_levels == ("Souvent",) and grid.neutral_level is None


def test_dont_know_answers_are_non_substantive_unless_the_codebook_says_otherwise(tmp_path):
    levels = '    levels: ["Jamais", "Souvent", "Ne sait pas"]\n'
    drafted = load_codebook(_codebook(tmp_path, GRID + levels)).question("usage")  # the drafter's four keys only
    assert drafted.non_substantive == ("Ne sait pas",) and drafted.positive_levels == ("Souvent",)
    kept = load_codebook(_codebook(tmp_path, GRID + levels + "    non_substantive: []\n")).question("usage")
    assert kept.non_substantive == () and kept.positive_levels == ("Ne sait pas",)


def test_a_grid_whose_labels_are_numbers_is_counted_as_read_back_from_responses_csv(tmp_path):
    options = "".join(f'{{raw: "{v}", label: "{v}"}}, ' for v in "1234")
    book = load_codebook(_codebook(tmp_path, f"""  - {{id: g, number: 1, type: single, required: true, header: G,
     options: [{{raw: a, label: a}}, {{raw: b, label: b}}], levels: [a, b]}}
  - {{id: note, number: 2, type: grid_choice, required: false, header: "Note",
     items: [{{id: note_x, row: X, label: X}}], options: [{options[:-2]}], levels: ["1", "2", "3", "4"]}}
"""))
    frame = pd.DataFrame({"g": ["a", "a", "b", "b", "b"],
                          "note_x": pd.array([1, 2, 4, 3, None], dtype="Int64")})  # as io.read_responses gives it
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text("tables:\n  - {id: t, title: T, kind: grid_choice, grid: note, by: g, test: wilcoxon}\n",
                         encoding="utf-8")
    result = run_plan(frame, book, load_plan(plan_path, book), seed=1)
    overall = result.tables["t"].query("group == 'Ensemble'").set_index("level")
    assert overall.loc["4", "n"] == 1 and overall.loc["1", "denominator"] == 4
    assert overall.loc["", "n"] == 2 and overall.loc["", "pct"] == 50.0  # « 3 » and « 4 » of 4 answers
    assert close(result.tests["p_value"].iloc[0], 0.33333333333333331)  # R: wilcox.test(c(1, 2), c(4, 3))$p.value
