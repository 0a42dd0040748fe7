"""Cross-wave comparison (surveykit.waves.crosswave, surveykit.waves.steps) and the simulated demo wave.

Reference values come from R 4.x (Rscript), each with the exact call in a comment; R is not
needed to run these tests.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import types
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

import paired_waves

from surveykit.analysis.plan import load_plan
from surveykit.clean.cleaning import clean_file
from surveykit.core.errors import InputError
from surveykit.core.io import write_csv
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.export import export_frame
from surveykit.tools.simulate import export_columns, load_profile, simulate, write_simulated_export
from surveykit.waves import steps
from surveykit.waves.crosswave import (
    Wave,
    compare_waves,
    comparison_pairs,
    render_section,
    score_comparison,
    score_items,
    section_context,
    share_table,
    share_tests,
)

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "data/studies/tele_expertise_cpts"
CODEBOOK = STUDY / "codebook.yaml"
PLAN = STUDY / "analysis_plan.yaml"
PROFILE = ROOT / "data/studies/tele_expertise_cpts/simulation/demo_2027.yaml"
DEMO_EXPORT = ROOT / "data/raw/demo_2027/export.csv"
TEMPLATE = STUDY / "evolution.md.j2"  # the thesis study's own wording
GENERIC_TEMPLATE = ROOT / "manuscript/templates/evolution.md.j2"
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def book():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def plan(book):
    return load_plan(PLAN, book)


def adoption_table(frames, waves):
    return share_table(frames, waves, "pratique_tle", "Oui", "Utilisateurs")


def adoption_tests(frames, waves, seed, design="baseline"):
    return share_tests(adoption_table(frames, waves), waves, design, 0.05, seed)


def barrier_items(book):
    return score_items(book, load_plan(PLAN, book), ["freins"])


def _adoption_frame(x: int, n: int) -> pd.DataFrame:
    return pd.DataFrame({"pratique_tle": ["Oui"] * x + ["Non"] * (n - x)})


# --------------------------------------------------------------------------- adoption


# R: prop.test(x, n, correct = FALSE)$conf.int, printed with sprintf("%.17g")
WILSON_R = {
    (32, 39): (0.67331954338118383, 0.91022734526780891),   # prop.test(32, 39, correct=FALSE)$conf.int
    (115, 120): (0.90615914766296468, 0.98207328311989062),  # prop.test(115, 120, correct=FALSE)$conf.int
    (0, 12): (0.0, 0.24249400665524079),                     # prop.test(0, 12, correct=FALSE)$conf.int
    (12, 12): (0.75750599334475921, 1.0),                    # prop.test(12, 12, correct=FALSE)$conf.int
    (1, 3): (0.061491944720396291, 0.79234039919795229),     # prop.test(1, 3, correct=FALSE)$conf.int
}


@pytest.mark.parametrize("x,n", list(WILSON_R))
def test_adoption_ci_equals_r_prop_test(x, n):
    frame = pd.concat([_adoption_frame(x, n), pd.DataFrame({"pratique_tle": ["", ""]})], ignore_index=True)
    row = adoption_table([frame], [Wave("w", "Vague", True)]).iloc[0]
    assert (row["x"], row["n"]) == (x, n)  # the two unanswered rows are not in the denominator
    low, high = WILSON_R[(x, n)]
    assert row["ci_low"] == pytest.approx(100 * low, abs=1e-10)
    assert row["ci_high"] == pytest.approx(100 * high, abs=1e-10)
    assert row["pct"] == pytest.approx(100 * x / n)
    assert row["status"] == "posee"
    assert adoption_tests([frame], [Wave("w", "Vague", True)], seed=1).empty  # one wave: nothing to compare


def test_adoption_between_waves_uses_the_automatic_choice():
    waves = [Wave("a", "Vague A", False), Wave("b", "Vague B", True)]
    table = adoption_tests([_adoption_frame(32, 39), _adoption_frame(115, 120)], waves, seed=7)
    # fisher.test(matrix(c(32, 115, 7, 5), 2))$p.value
    assert table["p_value"].tolist() == pytest.approx([0.0098296225176090248], rel=1e-12)
    assert table["p_holm"].tolist() == table["p_value"].tolist()  # one comparison: Holm leaves it
    assert table["comparison"].tolist() == ["a vs b"] and set(table["test"]) == {"fisher"}
    # expected count of the smallest cell: 12 * 39 / 159 = 2.94 < 5, one cell of four
    assert table["reason"].iloc[0] == "effectif attendu minimal 2,9 < 5 (1 cellule sur 4) → test exact de Fisher"


# --------------------------------------------------------------------------- barriers

# Constructed two-wave case; item i of the R script is the i-th barrier of the codebook grid.
WAVE_A = [
    [7, 5, 8, 6, 9, 4, 7, 6], [3, 2, 5, 1, 4, 2, 6, 3], [5, 5, 6, 4, 7, 5, 3, 6],
    [8, 6, 9, 7, 5, 10, 6, 7], [4, 6, 5, 7, 3, 5, 6, 4], [2, 3, 4, 2, 5, 1, 3, 2],
    [3, 4, 3, 2, 4, 5, 3, 3], [6, 7, 5, 8, 4, 6, 7, 5], [9, 8, 7, 9, 6, 8, 10, 7],
]
WAVE_B = [
    [4, 3, 5, 2, 6, 3, 4, 2, 5, 3], [2, 1, 3, 1, 2, 4, 1, 2, 3, 2], [5, 4, 6, 5, 4, 7, 5, 6, 4, 5],
    [5, 4, 6, 3, 7, 5, 4, 6, 5, 4], [3, 4, 2, 5, 3, 4, 6, 3, 2, 4], [2, 2, 3, 1, 4, 2, 3, 1, 2, 3],
    [3, 2, 4, 3, 3, 2, 4, 3, 2, 3], [4, 5, 3, 6, 4, 5, 3, 4, 5, 4], [6, 5, 7, 4, 6, 5, 8, 5, 6, 7],
]
# R: t <- wilcox.test(a[[i]], b[[i]]); c(t$statistic, t$p.value)  (ties: normal approximation, continuity
# correction), then p.adjust(p, "holm") over the nine items.
R_W = [73, 57, 42, 70.5, 62.5, 47.5, 51.5, 68, 70.5]
R_P = [0.0035580130618046986, 0.13095265579113791, 0.88951974255033306, 0.0068317336944018134,
       0.046008306225268407, 0.51587693095165488, 0.2906547121522281, 0.012294170448580317,
       0.0068022092772355297]
R_HOLM = [0.032022117556242284, 0.52381062316455163, 1, 0.054417674217884238, 0.23004153112634204, 1,
          0.87196413645668436, 0.073765022691481899, 0.054417674217884238]
# R: sd(a[[i]]), sd(b[[i]])
R_SD_A = [1.6035674514745464, 1.6690459207925603, 1.2464234547582249, 1.6690459207925603, 1.3093073414159542,
          1.2817398889233114, 0.91612538131290433, 1.3093073414159542, 1.3093073414159542]
R_SD_B = [1.3374935098492586, 0.99442892601175326, 0.99442892601175326, 1.1972189997378648, 1.2649110640673518,
          0.94868329805051377, 0.73786478737262184, 0.94868329805051377, 1.1972189997378648]


def _wave_frame(book, scores: list[list[int]], adopters: int, extra_blank: bool = False) -> pd.DataFrame:
    """Respondents of a constructed wave; `extra_blank` adds one who skipped every barrier."""
    n = len(scores[0])
    frame = pd.DataFrame({"pratique_tle": ["Oui"] * adopters + ["Non"] * (n - adopters)})
    for (variable, _label), values in zip(barrier_items(book), scores):
        frame[variable] = pd.array(values, dtype="Int64")
    if extra_blank:
        blank = {"pratique_tle": "Oui", **{v: pd.NA for v, _l in barrier_items(book)}}
        frame = pd.concat([frame, pd.DataFrame([blank])], ignore_index=True)
        for variable, _label in barrier_items(book):
            frame[variable] = frame[variable].astype("Int64")
    return frame


def test_barriers_equal_r_wilcox_test_and_holm(book):
    a, b = _wave_frame(book, WAVE_A, 5), _wave_frame(book, WAVE_B, 9, extra_blank=True)
    result = score_comparison(a, b, Wave("w1", "Vague 1", False), Wave("w2", "Vague 2", True),
                                barrier_items(book), "baseline", alpha=0.05)
    assert list(result["variable"]) == [v for v, _l in barrier_items(book)]
    assert result["statistic"].tolist() == R_W
    assert result["p_value"].tolist() == pytest.approx(R_P, rel=1e-12)
    assert result["p_holm"].tolist() == pytest.approx(R_HOLM, rel=1e-12)
    assert result["significant"].tolist() == [h < 0.05 for h in R_HOLM]
    assert result["sd_a"].tolist() == pytest.approx(R_SD_A, rel=1e-12)
    assert result["sd_b"].tolist() == pytest.approx(R_SD_B, rel=1e-12)
    assert result["mean_a"].tolist() == pytest.approx([sum(v) / len(v) for v in WAVE_A])
    assert set(result["n_a"]) == {8} and set(result["n_b"]) == {10}  # the blank respondent is left out
    assert set(result["method"]) == {"Wilcoxon rank sum test with continuity correction"}


def test_comparison_designs():
    assert comparison_pairs(3, "baseline") == [(0, 1), (0, 2)]
    assert comparison_pairs(3, "consecutive") == [(0, 1), (1, 2)]
    assert comparison_pairs(1) == []
    with pytest.raises(InputError, match="unknown comparison design"):
        comparison_pairs(2, "all_pairs")


# --------------------------------------------------------------------------- French section


def _two_waves(book, alpha: float):
    frames = [_wave_frame(book, WAVE_A, 5), _wave_frame(book, WAVE_B, 9)]
    waves = [Wave("w1", "Vague réelle", False), Wave("w2", "Vague simulée", True)]
    return compare_waves(frames, waves, book, load_plan(PLAN, book), seed=3, alpha=alpha)


def _section(book, alpha: float, template=TEMPLATE) -> str:
    return render_section(template, section_context(_two_waves(book, alpha), "fig.png", {"w1": 8, "w2": 10}))


@pytest.mark.parametrize("template", [TEMPLATE, GENERIC_TEMPLATE])
def test_template_types_no_number(template):
    text = template.read_text(encoding="utf-8")
    prose = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    assert not re.search(r"\d", prose), re.findall(r".{20}\d.{20}", prose)


def test_section_sentences_follow_alpha(book):
    loose = _section(book, 0.05)
    strict = _section(book, 0.01)
    # Holm-adjusted p of "Perte de temps" is 0.0320 (R above): significant at 0.05, not at 0.01.
    nbsp = "\u00a0"  # French typography: non-breaking spaces around ± and =
    assert (f"- Perte de temps{nbsp}: 6,5{nbsp}±{nbsp}1,6 puis 3,7{nbsp}±{nbsp}1,3, score en baisse "
            f"(p{nbsp}ajustée{nbsp}={nbsp}0,0320).") in loose
    assert "aucun frein ne diffère significativement" not in loose
    assert "aucun frein ne diffère significativement" in strict
    assert "inférieure à 0,01" in strict
    # Adoption 5/8 vs 9/10: Fisher (small expected counts), not significant at either level; the sentence
    # names the one comparison its p comes from.
    assert (f"- «{nbsp}Vague simulée{nbsp}» par rapport à «{nbsp}Vague réelle{nbsp}»{nbsp}: 90{nbsp}% contre 62,5{nbsp}%{nbsp}; la différence "
            "n'est pas significative (test exact de Fisher, p") in loose
    assert f"- Vague réelle{nbsp}: réponses réelles, 8 répondants." in loose
    assert f"- Vague simulée{nbsp}: vague synthétique (aucune réponse réelle), 10 répondants." in loose
    assert "**Données synthétiques.** Certaines vagues comparées" in loose


def test_generic_section_names_the_studys_words(book):
    text = _section(book, 0.05, GENERIC_TEMPLATE)
    nbsp = "\u00a0"
    assert "### Utilisateurs" in text  # the plan's group label of pratique_tle = "Oui"
    assert f"- Vague réelle{nbsp}: 5 médecins sur 8, soit 62,5" in text
    assert (f"- Perte de temps{nbsp}: 6,5{nbsp}±{nbsp}1,6 puis 3,7{nbsp}±{nbsp}1,3, score en baisse "
            f"(p{nbsp}ajustée{nbsp}={nbsp}0,0320).") in text


def test_step_writes_all_outputs(book, tmp_path):
    paths = []
    for name, frame in (("w1", _wave_frame(book, WAVE_A, 5)), ("w2", _wave_frame(book, WAVE_B, 9))):
        paths.append(str(tmp_path / name / "responses.csv"))
        write_csv(frame, paths[-1])
    outputs = types.SimpleNamespace(shares=str(tmp_path / "results/waves/s/shares.csv"),
                                    share_tests=str(tmp_path / "results/waves/s/share_tests.csv"),
                                    scores=str(tmp_path / "results/waves/s/scores.csv"),
                                    png=str(tmp_path / "results/waves/s/figures/evolution.png"),
                                    svg=str(tmp_path / "results/waves/s/figures/evolution.svg"),
                                    markdown=str(tmp_path / "manuscript/build/waves/s/evolution.md"))
    inputs = types.SimpleNamespace(responses=paths, codebook=str(CODEBOOK), plan=str(PLAN), template=str(TEMPLATE))
    params = types.SimpleNamespace(waves=[{"name": "w1", "label": "Vague réelle", "synthetic": False},
                                          {"name": "w2", "label": "Vague simulée", "synthetic": True}],
                                   seed=20250409, alpha=0.05)
    steps.compare_waves(inputs, outputs, params, _logger())
    barriers = pd.read_csv(outputs.scores)
    assert len(barriers) == 9 and barriers["p_holm"].tolist() == pytest.approx(R_HOLM, rel=1e-12)
    adoption = pd.read_csv(outputs.shares)
    assert adoption[["wave", "x", "n"]].values.tolist() == [["w1", 5, 8], ["w2", 9, 10]]
    markdown = Path(outputs.markdown).read_text(encoding="utf-8")
    assert "](../../../../results/waves/s/figures/evolution.png){#fig:evolution" in markdown
    first = {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in (outputs.png, outputs.svg)}
    steps.compare_waves(inputs, outputs, params, _logger())
    assert {p: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in first} == first


def _logger():
    import logging

    return logging.getLogger("test_crosswave")


def test_wave_count_must_match(book):
    with pytest.raises(InputError, match="2 responses files for 1 waves"):
        compare_waves([_wave_frame(book, WAVE_A, 5)] * 2, [Wave("w", "W", True)], book, load_plan(PLAN, book),
                      seed=1, alpha=0.05)


# --------------------------------------------------------------------------- simulated demo wave


def test_demo_export_cleans_with_every_row_analysed(book):
    result = clean_file(DEMO_EXPORT, book)
    flow = result.flow
    assert flow["received"] == 120 and flow["analysed"] == 120
    assert flow["excluded"] == {} and flow["quarantined"] == {}
    assert flow["columns"] == {"dropped_identifying": [], "unknown_ignored": [], "missing_optional": []}
    with DEMO_EXPORT.open(encoding="utf-8", newline="") as handle:
        headers = next(csv.reader(handle))
    reworded = {"Genre", "Lieu d'exercice principal", "Votre aisance avec les outils numériques",
                "Principaux freins à l'utilisation de la télé-expertise [Perte de temps]"}
    assert reworded <= set(headers)
    assert not {"Sexe", "Lieu d'exercice", "Aisance avec les outils numériques"} & set(headers)
    profile = load_profile(PROFILE, book)
    unshuffled = list(export_columns(simulate(book, replace(profile, n=1)), book,
                                     replace(profile.export, column_order_seed=None)).columns)
    assert sorted(headers) == sorted(unshuffled) and headers != unshuffled  # same columns, another order
    assert headers[0] == unshuffled[0] == "Horodateur"  # Google Forms keeps the timestamp first
    assert result.responses["genre"].isin(["Femme", "Homme", "Non genré"]).all()
    assert result.responses["frein_perte_temps"].notna().all()


def test_demo_export_is_regenerated_bit_for_bit(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_simulated_export(PROFILE, CODEBOOK, first)
    write_simulated_export(PROFILE, CODEBOOK, second)
    assert first.read_bytes() == second.read_bytes() == DEMO_EXPORT.read_bytes()


def test_column_export_equals_row_by_row_export(book):
    """The fast export writes exactly what forms.export.export_frame writes, cell by cell."""
    profile = load_profile(PROFILE, book)
    canonical = simulate(book, profile)
    fast = export_columns(canonical, book)
    reference = export_frame(canonical, book)
    assert list(fast.columns) == list(reference.columns)
    assert fast.to_csv(index=False) == reference.to_csv(index=False)


def test_cli_scale_option(book, tmp_path):
    import simulate_wave

    out = tmp_path / "scale.csv"
    assert simulate_wave.main(["--profile", str(PROFILE), "--out", str(out), "--n", "2000"]) == 0
    result = clean_file(out, book)
    assert result.flow["received"] == 2000 and result.flow["analysed"] == 2000


def test_profile_typo_is_reported(book, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PROFILE.read_text(encoding="utf-8").replace('"Oui": 0.92', '"oui": 0.92'), encoding="utf-8")
    with pytest.raises(InputError, match="probabilities of pratique_tle: \\['oui'\\] are not canonical labels"):
        load_profile(bad, book)


# --------------------------------------------------------------------------- paired waves (respondent key)

PAIRED_R = json.loads((ROOT / "tests/r_reference/paired_waves_reference.json").read_text(encoding="utf-8"))


def _keyed_codebook(tmp_path: Path, key_type: str = "text") -> Path:
    """The thesis codebook with an identifier question and `respondent_key` naming it."""
    raw = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    raw["questions"].append({"id": paired_waves.KEY, "number": 99, "type": key_type, "required": False,
                             "header": "Identifiant (code personnel)", "label": "Identifiant"})
    raw["respondent_key"] = paired_waves.KEY
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _paired_result(tmp_path: Path, frames=None):
    keyed = load_codebook(_keyed_codebook(tmp_path))
    items = [v for v, _l in barrier_items(keyed)]
    a, b, truth = paired_waves.generate(items)
    waves = [Wave("w1", "Vague 1", True), Wave("w2", "Vague 2", True)]
    return compare_waves(frames or [a, b], waves, keyed, load_plan(PLAN, keyed), seed=3, alpha=0.05), truth, (a, b)


def test_generated_pair_is_the_one_r_read():
    """The generator's output for its seed is the pair of waves paired_waves_reference.R read."""
    a, b, _truth = paired_waves.generate([item.id for item in load_codebook(CODEBOOK).question("freins").items])
    for frame, name in ((a, "a"), (b, "b")):
        committed = pd.read_csv(ROOT / f"tests/r_reference/paired_waves_{name}.csv", dtype={paired_waves.KEY: str})
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), committed, check_dtype=False)


def test_paired_share_is_the_exact_mcnemar_test_on_the_matched_respondents(tmp_path):
    """Matched on the key (R070, given twice in wave B, matches nobody): the discordant pairs are the generating
    truth and R's, p = binom.test(b, b + c)$p.value (not mcnemar.test's chi², which differs)."""
    result, truth, _frames = _paired_result(tmp_path)
    row = result.share_tests.iloc[0]
    assert bool(row["paired"]) and row["test"] == "mcnemar_exact"
    assert (row["n_pairs"], row["unmatched_a"], row["unmatched_b"]) == (truth["n_pairs"], truth["unmatched_a"],
                                                                        truth["unmatched_b"])
    assert (row["n_pairs"], row["unmatched_a"], row["unmatched_b"]) == (PAIRED_R["n_pairs"], PAIRED_R["unmatched_a"],
                                                                        PAIRED_R["unmatched_b"])
    assert (row["discordant_a"], row["discordant_b"]) == (truth["user_to_non"], truth["non_to_user"])
    assert (row["discordant_a"], row["discordant_b"]) == (PAIRED_R["share"]["b"], PAIRED_R["share"]["c"])
    assert row["p_value"] == pytest.approx(PAIRED_R["share"]["exact_p_value"], rel=1e-12)
    assert row["p_value"] != pytest.approx(PAIRED_R["share"]["mcnemar_chisq_p_value"], rel=1e-3)


def test_paired_scores_are_wilcoxon_signed_rank_as_r(tmp_path):
    """Each barrier: wilcox.test(a, b, paired = TRUE) on the 49 pairs (ties: normal approximation with continuity
    correction, as R switches), Holm over the barriers; the signed differences are the generating truth's."""
    result, truth, _frames = _paired_result(tmp_path)
    scores = result.scores
    assert scores["paired"].all() and set(scores["n_pairs"]) == {truth["n_pairs"]}
    for row, ref in zip(scores.itertuples(), PAIRED_R["scores"]):
        assert row.variable == ref["variable"] and row.method == ref["method"]
        assert row.statistic == ref["statistic"]
        assert row.p_value == pytest.approx(ref["p_value"], rel=1e-10)
        positive = [d for d in truth["differences"][row.variable] if d < 0]  # V sums the ranks of a - b > 0
        assert (row.statistic > 0) == bool(positive)
    assert scores["p_holm"].tolist() == pytest.approx(PAIRED_R["p_holm"], rel=1e-10)


def test_paired_section_says_how_the_waves_were_compared(tmp_path):
    """Both templates name the paired tests and count the respondents without a match."""
    result, _truth, _frames = _paired_result(tmp_path)
    for template in (TEMPLATE, GENERIC_TEMPLATE):
        text = render_section(template, section_context(result, "fig.png", {"w1": 70, "w2": 73}))
        assert "test exact de McNemar" in text and "binom.test(b, b + c)" in text
        assert "rangs signés de Wilcoxon" in text
        assert "49 paires, dont 2 passées de «\u00a0Oui\u00a0» à une autre réponse et 8 l'inverse" in text
        assert "21 médecins de la première vague et 24 de la seconde sans correspondance" in text


def test_waves_without_a_common_respondent_stay_independent(tmp_path):
    """A key that matches nobody: the independent-sample tests, and the section says there is no pair."""
    keyed = load_codebook(_keyed_codebook(tmp_path))
    a, b, _truth = paired_waves.generate([v for v, _l in barrier_items(keyed)])
    b = b.assign(**{paired_waves.KEY: [f"X{i}" for i in range(len(b))]})
    result, _t, _f = _paired_result(tmp_path, [a, b])
    row = result.share_tests.iloc[0]
    assert not bool(row["paired"]) and row["test"] in ("chisq", "fisher") and row["n_pairs"] == 0
    assert not result.scores["paired"].any() and result.scores["test"].eq("wilcoxon").all()


def test_respondent_key_must_be_a_text_or_number_question(tmp_path):
    with pytest.raises(InputError, match="respondent_key 'identifiant': expected a text or number question"):
        load_codebook(_keyed_codebook(tmp_path, key_type="date"))
