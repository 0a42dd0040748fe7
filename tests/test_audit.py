"""Audit of the published numbers: percentages, GRIM/GRIMMER, Monte-Carlo lattice, duplicates, Fisher.

Reference values are hand computations (explained next to each case), numbers printed in the
thesis, or R results written literally with the R call that produced them.
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from surveykit.reproduction.audit import (
    CHECK,
    COLUMNS,
    INCONSISTENT,
    OK,
    achievable_counts,
    audit_published,
    combine_pairs,
    contingency_table,
    detect_mc_lattice,
    duplicate_p_values,
    fisher_exact_p,
    fr,
    grim,
    grim_informative,
    grim_sums,
    grimmer,
    grimmer_pairs,
    is_round,
    mc_consistency,
    percent_of,
    percentage_status,
)
from surveykit.reproduction.published import load_published
from surveykit.core.printed import PubNumber

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "studies" / "tele_expertise_cpts" / "published" / "thesis_2025.yaml"
# Table 2 p-values as printed in the thesis (one per characteristic, "0,064" has 4 decimals in R).
TABLE2_P = ["0,2684", "0,0065", "0,064", "0,0515", "0,3383", "0,1769", "0,3383", "0,5037"]


@pytest.fixture(scope="module")
def items():
    return load_published(PUBLISHED)


@pytest.fixture(scope="module")
def report(items):
    return audit_published(items)


def rows(frame, ref: str, check: str):
    return frame[(frame["ref"] == ref) & (frame["check"] == check)]


def edit(items, ref: str, **numbers: str):
    """Copy of the items where the printed numbers of one item are replaced."""
    out = []
    for item in items:
        if item.ref == ref:
            new = {name: replace(item.numbers[name], text=text) for name, text in numbers.items()}
            item = replace(item, numbers={**item.numbers, **new})
        out.append(item)
    assert any(item.ref == ref for item in out), ref
    return out


# --------------------------------------------------------------------------- percentages

def test_rounding_is_half_to_even_like_r_sprintf():
    # R: sprintf("%.1f", 100 * c(2, 14, 1) / 32) -> "6.2" "43.8" "3.1"
    assert fr(Fraction(200, 32), 1) == "6,2"
    assert fr(Fraction(1400, 32), 1) == "43,8"
    assert fr(Fraction(100, 32), 1) == "3,1"
    assert percent_of(2, 32, 1) == Fraction(62, 10)
    assert fr(Fraction(13, 2000), 4) == "0,0065" and fr(Fraction(7), 0) == "7" and fr(Fraction(-1, 4), 1) == "-0,2"


@pytest.mark.parametrize("count, denominator, pct, qualifier, expected", [
    (22, 39, "56,4", None, OK),            # 56,41...
    (22, 39, "56,5", None, INCONSISTENT),
    (2, 32, "6,2", None, OK),              # 6,25 -> 6,2 (tie to even, as R)
    (2, 32, "6,3", None, CHECK),           # the other side of the exact tie
    (2, 32, "6,4", None, INCONSISTENT),
    (31, 32, "97", None, OK),              # 96,875 printed without decimals
    (29, 32, "90", "plus de", OK),         # 90,6 > 90
    (28, 32, "90", "plus de", INCONSISTENT),  # 87,5
    (1, 7, "20", "moins de", OK),
])
def test_percentage_status(count, denominator, pct, qualifier, expected):
    assert percentage_status(count, denominator, pct, qualifier) == expected


def test_percentage_read_at_table_precision():
    # "75 %" of a table printing one decimal: 24/32 = 75,0 fits; 23/32 = 71,9 does not.
    pct = PubNumber("75", 0, 1)
    assert percentage_status(24, 32, pct) == OK
    assert percentage_status(23, 32, pct) == INCONSISTENT


def test_achievable_counts():
    assert achievable_counts("54,5", 11) == [6]      # 6/11 = 54,55
    assert achievable_counts("42,9", 14) == [6]      # 6/14 = 42,86
    assert achievable_counts("50", 7) == []          # 3/7 = 42,9 ; 4/7 = 57,1
    assert achievable_counts("0", 14) == [0]


# ------------------------------------------------------------------------- GRIM, GRIMMER

def test_grim_hand_cases():
    assert grim_sums("7,4", 7) == [52]               # 52/7 = 7,43
    assert grim("7,4", 7)
    assert not grim("7,2", 7)                        # 50/7 = 7,14 ; 51/7 = 7,29
    assert grim_sums("5,3", 32) == [168, 169, 170, 171]  # [5,25 ; 5,35] x 32 = [168 ; 171,2]
    assert not grim("10,5", 2) and not grim("0,5", 2)  # outside the 1-10 scale
    assert grim_informative("7,4", 7) and not grim_informative("5,3", 32)


def test_grim_boundaries_are_closed():
    # A mean exactly halfway (9/2 = 4,5 and 11/2 = 5,5) may have been printed "5": both ends are kept.
    assert grim_sums("5", 2) == [9, 10, 11]


def test_grimmer_hand_cases():
    # n = 3, mean 9,0 forces S = 27: the triples are (10,10,7) Q=249, (10,9,8) Q=245, (9,9,9) Q=243.
    # SD 1,0 -> variance in [0,9025 ; 1,1025] -> 3Q - 729 in [5,415 ; 6,615] -> Q = 245: (10,9,8).
    assert grimmer_pairs("9,0", "1,0", 3) == [(27, 245)]
    # SD 1,4 -> variance in [1,8225 ; 2,1025] -> Q = 247: odd like S (parity ok), within the bounds
    # 243..249, yet no triple of 1..10 has S = 27 and Q = 247: only the exact search rejects it.
    assert grim("9,0", 3) and not grimmer("9,0", "1,4", 3)
    # n = 3, S = 6: variance (Q - 12)/2 with Q even -> SD in {0 ; 1 ; 1,41 ; ...}: 0,5 is impossible.
    assert not grimmer("2,0", "0,5", 3)
    assert grimmer_pairs("2,0", "1,0", 3) == [(6, 14)]   # (1, 2, 3)


def test_grimmer_matches_brute_force_enumeration():
    """For n = 5 every multiset of answers 1..10 is enumerated; the printed (mean, sd) pairs
    they produce must be exactly those grimmer() accepts."""
    n = 5
    samples = np.array(list(itertools.combinations_with_replacement(range(1, 11), n)), dtype=float)
    means, sds = samples.mean(axis=1), samples.std(axis=1, ddof=1)
    for m10 in range(10, 101):
        for s10 in range(0, 61):
            possible = bool(np.any((np.abs(means - m10 / 10) <= 0.05 + 1e-12) & (np.abs(sds - s10 / 10) <= 0.05 + 1e-12)))
            assert grimmer((Fraction(m10, 10), 1), (Fraction(s10, 10), 1), n) == possible, (m10, s10)


def test_combine_pairs():
    assert combine_pairs([[(1, 1)], [(2, 4), (3, 9)]]) == {(3, 5), (4, 10)}


# ---------------------------------------------------------------------- Monte-Carlo lattice

def fits_by_hand(p_text: str, b: int) -> bool:
    """Independent check: is some k/(b+1), 1 <= k <= b+1, within half a unit of the last printed decimal?"""
    value, digits = Fraction(p_text.replace(",", ".")), len(p_text.split(",")[1])
    centre = round(value * (b + 1))
    return any(1 <= k <= b + 1 and abs(Fraction(k, b + 1) - value) <= Fraction(1, 2 * 10**digits)
               for k in (centre - 1, centre, centre + 1))


def test_lattice_finds_b_2000_for_table_2():
    result = detect_mc_lattice([(float(p.replace(",", ".")), 4) for p in TABLE2_P])
    assert result.detected and result.best_b == 2000
    assert 2000 in result.fitting_b and 1000 not in result.fitting_b
    # 0,0065 x 1001 = 6,51: the interval [6,456 ; 6,557] holds no integer, so B = 1000 fails.
    assert not fits_by_hand("0,0065", 1000)
    round_b = [b for b in range(100, 10000) if is_round(b)]
    assert [b for b in round_b if all(fits_by_hand(p if p != "0,064" else "0,0640", b) for p in TABLE2_P)] == [2000]
    # The 2001 multiples k/2001 round to 2001 distinct 4-decimal values out of 10001: for 7 distinct p-values
    # the chance of all fitting is (2001/10001)^7.
    assert len(result.p_values) == 7
    assert result.chance_best == pytest.approx((2001 / 10001) ** 7)
    assert result.chance_bound < 1e-4
    assert 0 < result.fraction_fitting < 0.2


def test_lattice_discovers_another_b():
    # p-values built by hand as round(k/1001, 4) for k = 3, 57, 211, 498, 777, 901.
    printed = ["0,0030", "0,0569", "0,2108", "0,4975", "0,7762", "0,9001"]
    assert all(fits_by_hand(p, 1000) for p in printed)
    result = detect_mc_lattice([(float(p.replace(",", ".")), 4) for p in printed])
    assert result.best_b == 1000 and result.detected


def test_no_lattice_for_values_on_no_common_grid():
    # 0,0001 needs 1/(B+1) <= 0,00015, i.e. B >= 6666. 0,5000 with B + 1 odd (every round B is even)
    # lies halfway between two multiples, 1/(2(B+1)) > 0,00005 away from both as long as B + 1 < 10000.
    # So no round B fits; the only fitting B are odd and >= 6666.
    result = detect_mc_lattice([(0.0001, 4), (0.5, 4)])
    assert result.best_b is None and not result.detected and result.fitting_round_b == ()
    assert result.fitting_b and all(b % 2 == 1 and b >= 6666 for b in result.fitting_b)
    assert not fits_by_hand("0,5000", 2000) and not fits_by_hand("0,0001", 5000)


def test_lattice_ignores_lattices_finer_than_the_precision():
    result = detect_mc_lattice([(0.1234, 4), (0.5678, 4)], b_candidates=[9999, 10000, 50000])
    assert result.n_informative == 0 and result.best_b is None and not result.detected


def test_mc_consistency_against_r():
    # R: 2 * pbinom(11, 2000, 0.00505170463349872, lower.tail = FALSE) -> 0.62956524428802
    # (published 0,0065 = 13/2001, i.e. X = 12 simulated tables at least as extreme)
    assert mc_consistency(0.00505170463349872, "0,0065", 2000) == pytest.approx(0.62956524428802, rel=1e-9)
    # R: 2 * pbinom(675, 2000, 0.316114051732744, lower.tail = FALSE) -> 0.038297348236531
    assert mc_consistency(0.316114051732744, "0,3383", 2000) == pytest.approx(0.038297348236531, rel=1e-9)


# --------------------------------------------------------------------------- duplicates

def test_duplicate_p_values_of_table_2(items):
    pairs = duplicate_p_values(items)
    assert [(a.ref, b.ref) for a, b in pairs] == [("Tableau 2 · Rôle dans les CPTS · p", "Tableau 2 · Structure · p")]


def test_repeat_of_the_same_row_is_not_a_duplicate(items):
    # Tableau 3 and the text repeat the age p-value of Tableau 2: same variable, not flagged.
    p_items = [i for i in items if i.kind == "p_value" and i.variable == "age"]
    assert len(p_items) == 3 and duplicate_p_values(p_items) == []


def test_duplicate_is_found_in_any_table(items):
    edited = edit(items, "Tableau 7 · Traçabilité · p", p="0,0148")
    refs = [(a.ref, b.ref) for a, b in duplicate_p_values(edited)]
    assert ("Tableau 7 · Traçabilité · p", "Tableau 7 · Manque de confiance dans la sécurité des informations · p") in refs


# ----------------------------------------------------------------------- Fisher recomputation

def test_contingency_table_from_published_counts(items):
    age_p = next(i for i in items if i.ref == "Tableau 2 · Âge · p")
    levels, groups, table = contingency_table(items, age_p)
    assert levels == ["Moins de 35 ans", "Entre 35 et 50 ans inclus", "Plus de 50 ans"]
    assert groups == ["CPTS de l'Amandinois", "CPTS du Grand Denain", "CPTS du Grand Valenciennes"]
    assert table.tolist() == [[6, 0, 3], [8, 5, 9], [0, 6, 2]]


def test_fisher_exact_of_table_2_age_row():
    # R: fisher.test(matrix(c(6,8,0,0,5,6,3,9,2),3))$p.value -> 0.00505170463349872
    assert fisher_exact_p(np.array([[6, 0, 3], [8, 5, 9], [0, 6, 2]])) == pytest.approx(0.00505170463349872, rel=1e-7)


def test_fisher_exact_with_an_all_zero_row():
    # R: fisher.test(matrix(c(9,5,0, 4,7,0, 9,5,0),3))$p.value -> 0.260865405410451 (same without the zero row)
    assert fisher_exact_p(np.array([[9, 4, 9], [5, 7, 5], [0, 0, 0]])) == pytest.approx(0.260865405410451, rel=1e-7)


def test_fisher_rows_of_the_audit(report):
    age = rows(report, "Tableau 2 · Âge · p", "p exact de Fisher").iloc[0]
    assert age["recomputed"] == "0,0051" and age["status"] == OK
    assert "B = 2000" in age["explanation"]
    # R: fisher.test(matrix(c(3,11,1,10,5,9),2))$p.value -> 0.316114051732744 (published 0,3383)
    role = rows(report, "Tableau 2 · Rôle dans les CPTS · p", "p exact de Fisher").iloc[0]
    assert role["recomputed"] == "0,3161" and role["status"] == CHECK
    # R: fisher.test(matrix(c(1,2,3,3,5, 2,3,4,2,0, 5,3,3,1,2),5))$p.value -> 0.338915413935192
    structure = rows(report, "Tableau 2 · Structure · p", "p exact de Fisher").iloc[0]
    assert structure["recomputed"] == "0,3389" and structure["status"] == OK


def test_duplicate_row_names_the_probable_copy(report):
    dup = report[report["check"] == "p dupliquée"]
    assert len(dup) == 1 and dup.iloc[0]["status"] == CHECK
    assert "celle de Tableau 2 · Rôle dans les CPTS · p est probablement recopiée" in dup.iloc[0]["explanation"]


# ----------------------------------------------------------------------------- whole audit

def test_audit_frame_shape(report):
    assert list(report.columns) == COLUMNS
    assert set(report["status"]) <= {OK, CHECK, INCONSISTENT, "info", "non testable"}
    assert report["explanation"].str.len().min() > 10
    lattice = report[report["check"] == "treillis Monte-Carlo"]
    fisher_row = lattice[lattice["ref"].str.contains("test exact de Fisher")].iloc[0]
    assert fisher_row["recomputed"] == "B = 2000 (k/2001)" and fisher_row["status"] == CHECK


def test_audit_hand_checked_rows(report):
    endo = rows(report, "Tableau 5 · Utilisateurs · Spécialités · Endocrinologie", "pourcentage").iloc[0]
    assert (endo["recomputed"], endo["status"]) == ("6,2\u00a0%", OK)   # 2/32 = 6,25 -> 6,2
    fig10 = rows(report, "Figure 10 · Avis de second recours", "pourcentage").iloc[0]
    assert fig10["status"] == OK                                          # 29/32 = 90,6 > 90
    assert rows(report, "Tableau 7 · Perte de temps · Non-utilisateurs", "GRIM").iloc[0]["recomputed"] == "S ∈ [52 ; 52]"
    sums = rows(report, "Figure 11 · autres_freins", "catégories (somme)").iloc[0]
    assert (sums["recomputed"], sums["status"]) == ("17", OK)             # 1 + 3 + 2 + 2 + 3 + 4 + 2


@pytest.mark.parametrize("ref, numbers, check, target", [
    ("Tableau 1 · Genre · Femme", {"pct": "56,5"}, "pourcentage", "Tableau 1 · Genre · Femme"),
    ("Tableau 7 · Perte de temps · Non-utilisateurs", {"mean": "7,2"}, "GRIM", "Tableau 7 · Perte de temps · Non-utilisateurs"),
    ("Tableau 7 · Perte de temps · Non-utilisateurs", {"sd": "0,1"}, "GRIMMER", "Tableau 7 · Perte de temps · Non-utilisateurs"),
    # users S in 168..171, non-users S = 52: the total 220..223 gives a mean of 5,64..5,72, never 6,5.
    ("Tableau 6 · rang 1 · Perte de temps", {"mean": "6,5"}, "sous-groupes vs global", "Tableau 7 · Perte de temps"),
    ("Tableau 6 · rang 2 · Difficulté à identifier un médecin via la TLE", {"mean": "5,8"}, "ordre des rangs", "Tableau 6"),
    ("Tableau 1 · Genre · Homme", {"n": "18", "pct": "46,2"}, "somme des effectifs", "Tableau 1 · genre"),
    ("Tableau 1 · Genre · Homme", {"n": "18", "pct": "46,2"}, "marge (total = somme des groupes)", "Tableau 2 · genre · Homme"),
    ("Texte §4.2 · traçabilité · p", {"p": "0,0116"}, "répétition", "Texte §4.2 · traçabilité · p"),
])
def test_audit_flags_broken_numbers(items, report, ref, numbers, check, target):
    assert (rows(report, target, check)["status"] == OK).all() and len(rows(report, target, check)) == 1
    broken = audit_published(edit(items, ref, **numbers))
    assert rows(broken, target, check).iloc[0]["status"] == INCONSISTENT


def test_audit_is_deterministic(items, report):
    again = audit_published(items)
    assert again.equals(report)


# ----------------------------------------------------------------------------- the report's wording (issue P, point 7)

def test_small_probabilities_are_french_powers_of_ten():
    from surveykit.reproduction.audit.display import sci

    assert sci(1.3e-05) == "1,3\u00a0×\u00a010\u207b\u2075" and sci(0.00042) == "4,2\u00a0×\u00a010\u207b\u2074"
    assert sci(0.482) == "0,482"


def test_the_audit_speaks_plain_french_with_one_colon_per_sentence(report):
    text = " ".join(report["explanation"]) + " ".join(report["ref"])
    assert "e-0" not in text and "(fisher)" not in text
    lattice = report[report["check"] == "treillis Monte-Carlo"].iloc[0]
    assert lattice["ref"] == "Tableau 2, Tableau 3 · valeurs de p du test exact de Fisher"
    for sentence in (c for e in report["explanation"] for s in e.split(". ") for c in s.split(" ; ")):
        assert sentence.replace("(R : ", "").count(" : ") <= 1, sentence


def test_the_summary_tells_each_issue_once_and_counts_doubtful_values_apart(report):
    from surveykit.reproduction.report import _findings, _verdict

    findings = _findings(report)
    role = [f for f in findings if "Rôle dans les CPTS" in f]
    assert len(role) == 1 and "probablement recopiée" in role[0]  # the copy explains the doubtful value
    assert all(" : " in f and f.split(" : ", 1)[1][:1].islower() for f in findings)
    import pandas as pd

    differences = pd.DataFrame({"explanation": ["Sous une simulation …, compatible."] * 7 +
                                ["Sous une simulation …, peu compatible : valeur publiée douteuse."]})
    verdict = _verdict(differences)
    assert verdict.startswith("7 expliqués, 1 douteux") and "tous expliqués" not in verdict
    assert _verdict(differences.iloc[:7]) == "tous expliqués"


def test_two_tied_items_whose_ranks_swap_make_one_difference(items):
    import pandas as pd

    from surveykit.reproduction.report import rank_differences

    ranked = {i.rank: i for i in items if i.kind == "mean_sd" and i.rank and not i.group and i.table == "Tableau 6"}
    rows = [{"table": "tableau_6", "group": "Ensemble", "variable": item.variable, "rank": rank, "mean": 9.0 - rank}
            for rank, item in ranked.items()]
    rows[1]["rank"], rows[2]["rank"], rows[1]["mean"], rows[2]["mean"] = 3, 2, 5.28, 5.31
    lines = rank_differences(items, pd.DataFrame(rows))
    assert len(lines) == 1
    assert lines[0].startswith(f"Tableau 6 : « {ranked[2].ref.split(' · ')[-1]} » et « {ranked[3].ref.split(' · ')[-1]} »")
    assert "égales à la précision publiée (5,3) : ex aequo" in lines[0]
