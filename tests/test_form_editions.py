"""A study whose form changes between waves: editions of the codebook and comparable cross-wave comparisons.

The test study « outils_sante » runs with its two waves; then its third wave (outils_2026, an XLSX as
Google Sheets writes it) is declared with the codebook and plan of tests/fixtures/studies/outils_sante_editions/:
two reworded headers (`aliases:`), a new answer (`since:`), a dropped question (`until:`) and a new required
question (`since:`). See tests/fixtures/studies/make_outils_editions.py.

Checked: the earlier waves' outputs are byte-identical before and after; no comparison involves a wave whose
form lacked the item; every cross-wave share, interval, p and Holm p equals R (tests/r_reference/
form_editions.R, run on the raw exports); each narrated comparison is the one tested, with its own p.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import tree_hashes
from pipeline_helpers import make_project, snakemake, write_config
from placeholders import chapters, empty_placeholders

from surveykit.core import fmt
from surveykit.core.errors import InputError
from surveykit.core.io import read_csv
from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import check_editions, edition_of, load_codebook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EDITIONS = FIXTURES / "studies" / "outils_sante_editions"
R_REFERENCE = ROOT / "tests" / "r_reference" / "form_editions.json"
EARLIER = ("outils_2024", "outils_2025")
WAVES = (*EARLIER, "outils_2026")
SCORES = {"ergonomie": "satisfaction_ergonomie", "fiabilite": "satisfaction_fiabilite",
          "rapidite": "satisfaction_rapidite", "securite": "satisfaction_securite", "impact": "impact"}
NBSP = "\u00a0"


def _wave(name: str, export: str) -> dict:
    return {"study": "outils_sante", "label": f"Vague {name[-4:]} (jeu de test)", "export": export, "synthetic": True}


TWO_WAVES = {"studies": {"outils_sante": {"folder": "tests/fixtures/studies/outils_sante"}},
             "waves": {w: _wave(w, f"tests/fixtures/exports/{w}.csv") for w in EARLIER}}


def _outputs(project: Path) -> dict[str, str]:
    """Hashes of every output of the earlier waves, except provenance.json: it records the hashes of the
    study's files (codebook, plan), which the new edition did change; and except the wave's codebook edition
    (codebook.yaml, rule codebook_edition), which lists the questions its form did not ask: the new edition's
    questions join that list. Every result and chapter file is in."""
    hashes = {}
    for wave in EARLIER:
        for root in (project / "results" / wave, project / "manuscript" / "build" / wave):
            hashes.update({f"{root.relative_to(project)}/{k}": v for k, v in tree_hashes(root).items()
                           if k not in ("provenance.json", "codebook.yaml")})
    return hashes


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(hashes before, hashes after, project): the two waves, then the third declared with its edition."""
    project = make_project(tmp_path_factory.mktemp("editions"), TWO_WAVES)
    snakemake(project)
    before = _outputs(project)
    study = project / "tests/fixtures/studies/outils_sante"
    for name in ("codebook.yaml", "analysis_plan.yaml"):
        shutil.copy2(EDITIONS / name, study / name)
    config = {**__import__("pipeline_helpers").BUNDLED_CONFIG, **TWO_WAVES}
    config["waves"] = {**TWO_WAVES["waves"], "outils_2026": _wave("outils_2026", "tests/fixtures/exports/outils_2026.xlsx")}
    write_config(project, config)
    snakemake(project)
    return before, _outputs(project), project


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(R_REFERENCE.read_text(encoding="utf-8"))


def _frame(project: Path, name: str) -> pd.DataFrame:
    return read_csv(project / "results" / "waves" / "outils_sante" / name)


# --------------------------------------------------------------------------- pipeline


@pytest.mark.pipeline
def test_earlier_waves_are_byte_identical_after_the_new_edition(runs):
    before, after, _project = runs
    assert len(before) > 60
    assert after == before


@pytest.mark.pipeline
def test_each_wave_uses_only_what_its_form_had(runs):
    _b, _a, project = runs
    for wave in EARLIER:
        chapter = (project / "manuscript/build" / wave / "resultats.md").read_text(encoding="utf-8")
        assert "Centre de santé" not in chapter and "Formation au numérique" not in chapter
        responses = read_csv(project / "results" / wave / "clean/responses.csv")
        assert "formation" not in responses.columns
    newest = read_csv(project / "results/outils_2026/clean/responses.csv")
    assert "obstacles" not in newest.columns and {"formation", "exercice", "commentaires"} <= set(newest.columns)
    flow = json.loads((project / "results/outils_2026/clean/flow.json").read_text(encoding="utf-8"))
    assert flow["analysed"] == flow["received"] == 80  # the new option is not an invalid answer
    log = (project / "results/logs/outils_2026/clean_wave.log").read_text(encoding="utf-8")
    assert "day/month" not in log  # Sheets' timestamp is a real date cell
    chapter = (project / "manuscript/build/outils_2026/resultats.md").read_text(encoding="utf-8")
    assert "Centre de santé" in chapter and "Obstacles rencontrés" not in chapter
    note = read_csv(project / "results/outils_2026/tables/obstacles_par_profession.csv")
    assert list(note.columns) == ["note"] and "ne pose pas ses questions" in note["note"].iloc[0]


@pytest.mark.pipeline
def test_no_comparison_across_a_wave_where_the_item_did_not_exist(runs):
    _b, _a, project = runs
    shares = _frame(project, "shares.csv")
    status = {(r.variable, r.level, r.wave): r.status for r in shares.itertuples()}
    assert status[("exercice", "Centre de santé", "outils_2024")] == "non_proposee"
    assert status[("formation", "Oui", "outils_2025")] == "non_posee"
    absent = shares[shares["status"] != "posee"]
    assert absent[["n", "x", "pct"]].isna().all().all()  # nothing counted, never 0 %
    tests = _frame(project, "share_tests.csv")
    for row in tests.itertuples():
        assert status[(row.variable, row.level, row.wave_a)] == status[(row.variable, row.level, row.wave_b)] == "posee"
    assert set(tests["variable"] + "=" + tests["level"]) == {"utilise=Oui", "exercice=Libéral"}
    section = (project / "manuscript/build/waves/outils_sante/evolution.md").read_text(encoding="utf-8")
    assert "question non posée dans cette vague" in section
    assert f"réponse «{NBSP}Centre de santé{NBSP}» non proposée dans cette vague" in section
    # the options of « Mode d'exercice » changed between 2024 and 2026: the comparison says so
    assert f"«{NBSP}Centre de santé{NBSP}» proposée seulement dans la seconde" in section
    assert not re.search(r"(?<![\d,])0(,0)?\s%", section)  # a share of 0, not the « ,0 » of « 80,0 % »


@pytest.mark.pipeline
def test_every_cross_wave_share_and_p_equals_r(runs, reference):
    _b, _a, project = runs
    shares = _frame(project, "shares.csv").set_index(["variable", "level", "wave"])
    for ref in reference["shares"]:
        row = shares.loc[(ref["variable"], ref["level"], ref["wave"])]
        assert (int(float(row["x"])), int(float(row["n"]))) == (ref["x"], ref["n"])
        for key in ("pct", "ci_low", "ci_high"):
            assert float(row[key]) == pytest.approx(float(ref[key]), rel=1e-8, abs=1e-12)
    assert len(reference["shares"]) == (shares["status"] == "posee").sum()
    tests = _frame(project, "share_tests.csv").set_index(["variable", "level", "wave_a", "wave_b"])
    assert len(tests) == len(reference["share_tests"])
    for ref in reference["share_tests"]:
        row = tests.loc[(ref["variable"], ref["level"], ref["wave_a"], ref["wave_b"])]
        assert row["test"] == ref["test"]
        assert float(row["p_value"]) == pytest.approx(float(ref["p_value"]), rel=1e-8)
        assert float(row["p_holm"]) == pytest.approx(float(ref["p_holm"]), rel=1e-8)
    scores = _frame(project, "scores.csv").set_index(["wave_a", "wave_b", "variable"])
    assert len(scores) == len(reference["scores"])
    for ref in reference["scores"]:
        row = scores.loc[(ref["wave_a"], ref["wave_b"], SCORES[ref["score"]])]
        assert float(row["statistic"]) == ref["statistic"]
        for key in ("p_value", "p_holm", "mean_a", "sd_a", "mean_b", "sd_b"):
            assert float(row[key]) == pytest.approx(float(ref[key]), rel=1e-8), key


COMPARISON = re.compile(r"^- «\u00a0(?P<b>[^»]+?)\u00a0» par rapport à «\u00a0(?P<a>[^»]+?)\u00a0»\u00a0: "
                        r"(?P<pct_b>[^ ]+)\u00a0% contre (?P<pct_a>[^ ]+)\u00a0%.*?\((?P<test>test [^,]+), "
                        r"(?P<p>p[^)]*)\)\.", re.M)


@pytest.mark.pipeline
def test_the_narrated_comparison_is_the_one_tested(runs):
    _b, _a, project = runs
    section = (project / "manuscript/build/waves/outils_sante/evolution.md").read_text(encoding="utf-8")
    tests = _frame(project, "share_tests.csv")
    labels = {w: f"Vague {w[-4:]} (jeu de test)" for w in WAVES}
    found = [m.groupdict() for m in COMPARISON.finditer(section)]
    assert len(found) == len(tests) == 4
    for match, row in zip(found, tests.itertuples()):
        assert (match["a"], match["b"]) == (labels[row.wave_a], labels[row.wave_b])
        assert match["pct_a"] == fmt.percent(float(row.pct_a)).replace(f"{NBSP}%", "").replace(" %", "")
        several = (tests["variable"] == row.variable).sum() > 1
        expected = ("p ajustée selon Holm" if several else "p") + fmt.p_sentence(float(row.p_holm if several else row.p_value))[1:]
        assert match["p"].replace(NBSP, " ") == expected.replace(NBSP, " ")


@pytest.mark.pipeline
def test_no_chapter_of_the_three_waves_prints_an_empty_value(runs):
    _b, _a, project = runs
    found = chapters(project)
    assert len(found) == 4
    problems = {str(p.relative_to(project)): empty_placeholders(p.read_text(encoding="utf-8")) for p in found}
    assert {k: v for k, v in problems.items() if v} == {}


# --------------------------------------------------------------------------- editions (no pipeline)


def _edition(wave: str) -> dict:
    raw = load_validated(EDITIONS / "codebook.yaml", package_schema("codebook.schema.yaml"))
    return edition_of(raw, wave, list(WAVES), str(EDITIONS / "codebook.yaml"))


def test_an_edition_keeps_only_what_the_wave_asked():
    first, last = _edition("outils_2024"), _edition("outils_2026")
    ids = lambda doc: [q["id"] for q in doc["questions"]]  # noqa: E731
    assert "formation" not in ids(first) and "obstacles" in ids(first)
    assert "formation" in ids(last) and "obstacles" not in ids(last)
    exercice = lambda doc: next(q for q in doc["questions"] if q["id"] == "exercice")  # noqa: E731
    assert "Centre de santé" not in exercice(first)["levels"] and "Centre de santé" in exercice(last)["levels"]
    assert last["edition"]["absent"] == ["obstacles", "obstacles_autre"]
    assert not any("since" in q or "until" in q for q in last["questions"])


def test_an_edition_of_the_first_wave_is_the_codebook_before_the_editions():
    """The edition of 2024 describes the same questionnaire as the codebook the study had before 2026."""
    import yaml

    before = yaml.safe_load((FIXTURES / "studies/outils_sante/codebook.yaml").read_text(encoding="utf-8"))
    edition = _edition("outils_2024")
    strip = lambda qs: [{k: v for k, v in q.items() if k not in ("aliases", "number")} for q in qs]  # noqa: E731
    assert strip(edition["questions"]) == strip(before["questions"])


def test_since_and_until_name_a_wave_of_the_study(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text((EDITIONS / "codebook.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    book = load_codebook(path)
    check_editions(book, list(WAVES))
    with pytest.raises(InputError, match=r"question 8 \(obstacles\): `until: outils_2025` is not a wave of this "
                                         r"study in config.yaml; expected one of outils_2024, outils_2026"):
        check_editions(book, ["outils_2024", "outils_2026"])
    path.write_text(path.read_text(encoding="utf-8").replace("since: outils_2026}", "since: outils_2026, until: outils_2024}"),
                    encoding="utf-8")
    with pytest.raises(InputError, match="option 'Centre de santé': `since: outils_2026` comes after `until: outils_2024`"):
        check_editions(load_codebook(path), list(WAVES))


def test_the_sheets_export_is_regenerated():
    spec = importlib.util.spec_from_file_location("make_outils_editions", FIXTURES / "studies/make_outils_editions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sheet = openpyxl.load_workbook(FIXTURES / "exports/outils_2026.xlsx").active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == module.SHEET
    assert cells == [list(module.HEADERS)] + module.export_rows()
    assert isinstance(cells[1][0], dt.datetime)  # a real date cell, as Sheets writes the timestamp


# --------------------------------------------------------------------------- messages that name the fix


def _edition_file(tmp_path: Path, wave: str, edit=None) -> Path:
    """The editions codebook of `wave` as the pipeline writes it, after `edit` of the study's document."""
    import yaml

    raw = load_validated(EDITIONS / "codebook.yaml", package_schema("codebook.schema.yaml"))
    if edit:
        edit(raw)
    path = tmp_path / f"{wave}.codebook.yaml"
    path.write_text(yaml.safe_dump(edition_of(raw, wave, list(WAVES), str(EDITIONS / "codebook.yaml")),
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


XLSX = FIXTURES / "exports" / "outils_2026.xlsx"


def test_a_reworded_header_names_the_aliases_line_chosen_by_the_answers():
    from surveykit.clean.cleaning import clean_file

    with pytest.raises(InputError) as error:
        clean_file(XLSX, load_codebook(FIXTURES / "studies/outils_sante/codebook.yaml"))
    message = str(error.value)
    assert "required question 2 is missing: expected a column headed \"Mode d'exercice\"" in message
    # the column whose answers are the question's options, not the most similar header
    assert "the column \"Quel est votre mode d'exercice ?\" holds its answers (85 % of its filled cells" in message
    assert f"add to question 2 (exercice) in {FIXTURES / 'studies/outils_sante/codebook.yaml'} the line" in message
    assert 'aliases: ["Quel est votre mode d\'exercice ?"]' in message


def test_a_dropped_required_question_says_how_to_mark_it_absent(tmp_path):
    from surveykit.clean.cleaning import clean_file

    def required_again(raw):
        obstacles = next(q for q in raw["questions"] if q["id"] == "obstacles")
        obstacles.pop("until")
        obstacles["required"] = True

    with pytest.raises(InputError) as error:
        clean_file(XLSX, load_codebook(_edition_file(tmp_path, "outils_2026", required_again)))
    message = str(error.value)
    assert "required question 8 is missing: expected a column headed 'Quels obstacles rencontrez-vous ?'" in message
    assert f"mark the last wave that asked it on question 8 (obstacles) in {EDITIONS / 'codebook.yaml'}:  " \
           "until: <that wave>" in message


def test_a_new_option_names_the_option_line_with_its_first_wave(tmp_path):
    from surveykit.clean.cleaning import clean_file

    def undeclared(raw):
        exercice = next(q for q in raw["questions"] if q["id"] == "exercice")
        exercice["options"] = [o for o in exercice["options"] if o["raw"] != "Centre de santé"]
        exercice["levels"].remove("Centre de santé")

    result = clean_file(XLSX, load_codebook(_edition_file(tmp_path, "outils_2026", undeclared)))
    lines = [m for m in result.messages if "Centre de santé" in m]  # one message for the cause, none per value
    assert lines == [
        f"{XLSX}: 12 rows quarantined (15.0 % of 80): valeur invalide, column \"Quel est votre mode d'exercice ?\": "
        "e.g. 'Centre de santé' (row 6) — expected one of 'Libéral', 'Salarié', 'Mixte'. Fix: if 'Centre de santé' "
        'is an answer of the form, add the option line `- {raw: "Centre de santé", label: "Centre de santé", since: '
        f"outils_2026}}` under `options:` of question 2 (exercice) of {EDITIONS / 'codebook.yaml'} (`since:` the first "
        "wave whose form offers it) and its label to `levels:`; if it was typed in an « Autre » field, give the "
        'question `other: {label: "Autre"}` and add "Autre" to `levels:`']


def test_real_date_cells_need_no_day_month_order(tmp_path):
    from surveykit.clean.cleaning import clean_file

    result = clean_file(XLSX, load_codebook(_edition_file(tmp_path, "outils_2026")))
    assert not [m for m in result.messages if "day/month" in m]
    assert result.flow["analysed"] == 80 and result.flow["file"].get("timestamp_order") == "year-first"


def test_a_figure_of_a_question_a_wave_does_not_ask_is_refused_at_start(tmp_path):
    from surveykit.project.study import check_wave_editions, load_study

    folder = tmp_path / "outils_sante"
    shutil.copytree(FIXTURES / "studies/outils_sante", folder)
    for name in ("codebook.yaml", "analysis_plan.yaml"):
        shutil.copy2(EDITIONS / name, folder / name)
    study = load_study("outils_sante", folder)
    check_wave_editions(study, list(WAVES))  # the fixture's figures exist in every wave
    with (folder / "figures.yaml").open("a", encoding="utf-8") as handle:
        handle.write('  - {id: obstacles, kind: bars, table: obstacles_par_profession, variable: obstacles, '
                     'caption: "Obstacles"}\n')
    study = load_study("outils_sante", folder)
    with pytest.raises(InputError, match=r"wave 'outils_2026', whose form is the edition of .*: .*figure obstacles: "
                                         r"table 'obstacles_par_profession' is not in the analysis plan"):
        check_wave_editions(study, list(WAVES))


def _frames():
    """Three small waves of the editions study: 2024 and 2025 without « formation », 2026 with it."""
    import numpy as np

    rng = np.random.default_rng(3)
    frames = []
    for wave, n in zip(WAVES, (30, 25, 28)):
        practice = ["Libéral", "Salarié", "Mixte"] + (["Centre de santé"] if wave == "outils_2026" else [])
        frame = pd.DataFrame({"utilise": rng.choice(["Oui", "Non"], n), "exercice": rng.choice(practice, n),
                              "impact": rng.integers(1, 6, n)})
        for item in ("ergonomie", "fiabilite", "rapidite", "securite"):
            frame[f"satisfaction_{item}"] = rng.integers(1, 6, n)
        if wave == "outils_2026":
            frame["formation"] = rng.choice(["Oui", "Non"], n)
        frames.append(frame)
    return frames


@pytest.mark.parametrize("design,pairs", [("baseline", [("outils_2024", "outils_2025"), ("outils_2024", "outils_2026")]),
                                          ("consecutive", [("outils_2024", "outils_2025"), ("outils_2025", "outils_2026")])])
def test_shares_follow_the_design_and_skip_waves_without_the_item(design, pairs):
    from dataclasses import replace

    from surveykit.analysis.plan import load_plan
    from surveykit.waves.crosswave import Wave, compare_waves

    book = load_codebook(EDITIONS / "codebook.yaml")
    plan = load_plan(EDITIONS / "analysis_plan.yaml", book)
    plan = replace(plan, cross_wave=replace(plan.cross_wave, design=design))
    waves = [Wave(w, f"Vague {w[-4:]}", True) for w in WAVES]
    result = compare_waves(_frames(), waves, book, plan, seed=1, alpha=0.05)
    tests = result.share_tests
    for share in ("utilise=Oui", "exercice=Libéral"):
        sub = tests[tests["variable"] + "=" + tests["level"] == share]
        assert list(zip(sub["wave_a"], sub["wave_b"])) == pairs
        from surveykit.stats.rtests import p_adjust
        assert sub["p_holm"].tolist() == pytest.approx(list(p_adjust(sub["p_value"].to_numpy(float), "holm")))
    assert not ((tests["variable"] == "formation") | (tests["level"] == "Centre de santé")).any()
    caveats = tests[tests["options_added"] != ""]
    assert set(caveats["wave_b"]) == {"outils_2026"} and set(caveats["variable"]) == {"exercice"}
    assert set(caveats["options_added"]) == {"Centre de santé"}


def test_the_evolution_figure_keeps_legends_off_the_data_and_wave_labels_apart():
    from surveykit.analysis.plan import load_plan
    from surveykit.figures.style import apply_style
    from surveykit.waves.crosswave import Wave, compare_waves, evolution_figure

    apply_style()
    book = load_codebook(EDITIONS / "codebook.yaml")
    waves = [Wave(w, f"Vague de l'enquête {w[-4:]} (données de démonstration)", True) for w in WAVES]
    result = compare_waves(_frames(), waves, book, load_plan(EDITIONS / "analysis_plan.yaml", book), seed=1, alpha=0.05)
    figure = evolution_figure(result)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        plot_area = ax.get_window_extent(renderer)
        legend = ax.get_legend().get_window_extent(renderer)
        assert not legend.overlaps(plot_area), "a legend covers the data"
        labels = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        if ax is figure.axes[0]:
            assert len(labels) == 3
            assert all(not a.overlaps(b) for a, b in zip(labels, labels[1:])), "wave labels overlap"
            assert all(box.x0 >= figure.bbox.x0 and box.x1 <= figure.bbox.x1 for box in labels), "a label is cut"


def test_an_edition_drops_the_branches_of_an_answer_no_longer_offered_and_only_those():
    thesis = ROOT / "data/studies/tele_expertise_cpts/codebook.yaml"
    raw = load_validated(thesis, package_schema("codebook.schema.yaml"))
    practice = next(q for q in raw["questions"] if q["id"] == "pratique_tle")
    next(o for o in practice["options"] if o["raw"] == "Non")["until"] = "w1"
    doc = edition_of(raw, "w2", ["w1", "w2"], str(thesis))
    questions = {q["id"]: q for q in doc["questions"]}
    assert questions["pratique_tle"]["levels"] == ["Oui"]
    branched = [q for q in doc["questions"] if q.get("branches", {}).get("variable") == "pratique_tle"]
    assert branched and all(list(q["branches"]["headers"]) == ["Oui"] for q in branched)
    others = [q for q in doc["questions"] if q["id"] != "pratique_tle" and "Non" in q.get("levels", [])]
    assert others, "other questions keep their own « Non »"
    from surveykit.questionnaire.codebook import _build

    assert _build(doc, str(thesis)).question("pratique_tle").levels == ("Oui",)  # a valid codebook


def test_a_score_a_later_form_added_is_compared_from_its_first_wave():
    from surveykit.waves.crosswave import Wave, scores_table

    frames = [frame.copy() for frame in _frames()]
    del frames[0]["impact"]  # as if the 2024 form had not asked it
    waves = [Wave(w, w, True) for w in WAVES]
    items = [("satisfaction_ergonomie", "Ergonomie"), ("impact", "Impact")]
    table = scores_table(frames, waves, items, 0.05, "baseline")
    pairs = {v: list(zip(sub["wave_a"], sub["wave_b"])) for v, sub in table.groupby("variable")}
    assert pairs["satisfaction_ergonomie"] == [("outils_2024", "outils_2025"), ("outils_2024", "outils_2026")]
    assert pairs["impact"] == [("outils_2025", "outils_2026")]
    alone = table[table["comparison"] == "outils_2025 vs outils_2026"]
    assert alone["p_holm"].tolist() == alone["p_value"].tolist()  # one score in that comparison: Holm leaves it
