"""Reconstruction of the thesis wave (surveykit.tools.reconstruct).

The full solve takes ~30 s, so the published aggregates are checked on the COMMITTED table
data/studies/tele_expertise_cpts/reconstruction/thesis_2025_canonical.csv (written by scripts/reconstruct_thesis_wave.py,
seed 2025). Every expected number below is typed from the thesis text (Tables 1-8, Figure 8),
not read from our output nor from data/studies/tele_expertise_cpts/published/thesis_2025.yaml. p-values are recomputed
with surveykit.stats.rtests (R-exact) and with the solver's own closed forms; two of them are
also compared with literal Rscript values.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.clean.cleaning import clean_file
from surveykit.reproduction.published import load_publication
from surveykit.core.printed import PubNumber
from surveykit.stats.rtests import kruskal_test, wilcox_test
from surveykit.tools.reconstruct.barriers import (
    Budget,
    ItemSpec,
    Layout,
    enumerate_histograms,
    kruskal_pairs,
    solve_item,
    split_cells,
    unreachable,
    wilcoxon_p,
)
from surveykit.tools.reconstruct.categorical import deal, deal_profile, deal_ranks
from surveykit.tools.reconstruct.open_answers import load_open_answers
from surveykit.tools.reconstruct.output import read_canonical
from surveykit.tools.reconstruct.rounding import SumOption, Target, sum_options, target
from surveykit.tools.reconstruct.targets import BarrierTargets, MeanSd, PValue, RankTarget, wave_targets
from surveykit.tools.reconstruct.timestamps import draw_timestamps

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = ROOT / "data/studies/tele_expertise_cpts/reconstruction/thesis_2025_canonical.csv"
EXPORT = ROOT / "data/raw/thesis_2025/export.csv"
PUBLISHED = ROOT / "data/studies/tele_expertise_cpts/published/thesis_2025.yaml"
OPEN_ANSWERS = ROOT / "data/studies/tele_expertise_cpts/reconstruction/open_answers.yaml"

A, D, V = "CPTS de l'Amandinois", "CPTS du Grand Denain", "CPTS du Grand Valenciennes"
CPTS = (A, D, V)

# ------------------------------------------------------------------ numbers typed from the thesis
# Table 2: counts per CPTS (A, D, V), levels in the table's order.
TABLE2 = {
    "genre": {"Femme": (9, 4, 9), "Homme": (5, 7, 5), "Non genré": (0, 0, 0)},
    "age": {"Moins de 35 ans": (6, 0, 3), "Entre 35 et 50 ans inclus": (8, 5, 9), "Plus de 50 ans": (0, 6, 2)},
    "mode_exercice": {"Libéral": (10, 10, 14), "Remplaçant": (3, 0, 0), "Autres : EHPAD, PMI": (1, 1, 0)},
    "lieu": {"Rural": (5, 3, 0), "Semi-rural": (6, 2, 6), "Urbain": (3, 6, 8)},
    "role_cpts": {"Oui": (3, 1, 5), "Non": (11, 10, 9)},
    "universitaire": {"Oui": (6, 1, 4), "Non": (8, 10, 10)},
    "structure": {
        "Cabinet individuel": (1, 2, 5),
        "Cabinet de groupe (différentes professions)": (2, 3, 3),
        "Cabinet de groupe (uniquement des médecins)": (3, 4, 3),
        "Maison de santé pluridisciplinaire": (3, 2, 1),
        "Maison de santé pluridisciplinaire multisites": (5, 0, 2),
    },
    "actes": {
        "Moins de 50 actes": (2, 0, 0),
        "Entre 50 et 75 actes": (1, 0, 2),
        "Entre 75 et 110 actes": (4, 2, 4),
        "Plus de 110 actes": (7, 9, 8),
    },
}
# Tables 1 and 4: overall counts (n = 39).
OVERALL = {
    "genre": {"Femme": 22, "Homme": 17, "Non genré": 0},
    "age": {"Moins de 35 ans": 9, "Entre 35 et 50 ans inclus": 22, "Plus de 50 ans": 8},
    "mode_exercice": {"Libéral": 34, "Remplaçant": 3, "Autres : EHPAD, PMI": 2},
    "lieu": {"Rural": 8, "Semi-rural": 14, "Urbain": 17},
    "cpts": {A: 14, D: 11, V: 14},
    "role_cpts": {"Oui": 9, "Non": 30},
    "universitaire": {"Oui": 11, "Non": 28},
    "structure": {
        "Cabinet individuel": 8,
        "Cabinet de groupe (différentes professions)": 8,
        "Cabinet de groupe (uniquement des médecins)": 10,
        "Maison de santé pluridisciplinaire": 6,
        "Maison de santé pluridisciplinaire multisites": 7,
    },
    "actes": {"Moins de 50 actes": 2, "Entre 50 et 75 actes": 3, "Entre 75 et 110 actes": 10, "Plus de 110 actes": 24},
    "connait_tle": {"Oui": 38, "Non": 1},
    "forme_tle": {"Oui": 17, "Non": 19, "Pas suffisamment": 3},
    "pratique_tle": {"Oui": 32, "Non": 7},
}
# Table 5, by use (users "Oui" n = 32, non-users "Non" n = 7).
TABLE5_RANKS = [("Oui", 1, "recours_plateforme", 21), ("Oui", 5, "recours_fax", 24),
                ("Non", 1, "recours_secretariat", 4), ("Non", 5, "recours_fax", 4)]
TABLE5 = {
    "frequence": {
        "Oui": {"Tous les jours": 1, "Entre une à plusieurs fois par semaine": 13,
                "Entre une et plusieurs fois par mois": 14, "Quelques fois par an": 4},
        "Non": {"Tous les jours": 0, "Entre une à plusieurs fois par semaine": 2,
                "Entre une et plusieurs fois par mois": 1, "Quelques fois par an": 4},
    },
    "specialite": {
        "Oui": {"Dermatologie": 22, "Hématologie": 3, "Endocrinologie": 2, "Cardiologie": 3,
                "Médecine générale": 1, "Urologie": 1},
        "Non": {"Dermatologie": 4, "Hématologie": 1, "Médecine du travail": 1, "Autres": 1},
    },
}
AISANCE = ("7,9", "1,7")  # Figure 8 / §3.2
# Tables 6-8: overall, users, non-users, Wilcoxon p, Amandinois, Denain, Valenciennes, Kruskal p.
BARRIERS = {
    "frein_perte_temps": (("5,7", "2,9"), ("5,3", "2,9"), ("7,4", "2,6"), "0,0818", ("5,5", "3"), ("5,5", "2,3"), ("6", "3,5"), "0,726"),
    "frein_identifier_medecin": (("5,3", "2,8"), ("4,9", "2,8"), ("7,0", "1,7"), "0,1128", ("5,6", "2,5"), ("5,8", "1,9"), ("4,6", "3,5"), "0,606"),
    "frein_deshumanisation": (("5,3", "3,2"), ("4,9", "3,1"), ("7,1", "3,0"), "0,0931", ("4,7", "2,9"), ("5,4", "3,6"), ("5,9", "3,1"), "0,5842"),
    "frein_habitudes_travail": (("4,8", "2,8"), ("4,4", "2,7"), ("6,7", "2,7"), "0,0521", ("4,5", "3"), ("5,6", "2,8"), ("4,5", "2,7"), "0,4582"),
    "frein_fonctionnement_outil": (("4,5", "2,9"), ("4,5", "2,9"), ("4,4", "3,3"), "0,8537", ("4,3", "2,9"), ("4,6", "2,6"), ("4,6", "3,4"), "0,9199"),
    "frein_tracabilite": (("4,0", "2,6"), ("3,4", "2,2"), ("6,6", "3,1"), "0,0161", ("3,9", "2,5"), ("3,6", "2,6"), ("4,4", "2,9"), "0,8222"),
    "frein_connaissance_tle": (("3,9", "3,0"), ("3,8", "3,1"), ("4,7", "3,0"), "0,3402", ("4", "3,2"), ("4,3", "2,8"), ("3,6", "3,2"), "0,7141"),
    "frein_confiance_informations": (("3,7", "2,6"), ("3,2", "2,2"), ("6,1", "3,1"), "0,0148", ("3,6", "2,7"), ("3,5", "2,7"), ("3,9", "2,7"), "0,8521"),
    "frein_remuneration": (("3,4", "2,2"), ("3,5", "2,3"), ("3,1", "1,8"), "0,9851", ("3,1", "2,1"), ("4,5", "2,4"), ("2,8", "2"), "0,1082"),
}


def shows(value: float, printed: str, digits: int | None = None) -> bool:
    """`value` prints as `printed` at `digits` decimals (default: the printed ones), rounding
    half-up AND half-to-even (the reconstruction never sits on a tie)."""
    shown = Decimal(printed.replace(",", "."))
    digits = len(printed.split(",")[1]) if "," in printed and digits is None else (digits or 0)
    quantum = Decimal(1).scaleb(-digits)
    exact = Decimal(value)
    return all(exact.quantize(quantum, rounding=mode) == shown.quantize(quantum) for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN))


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_canonical(CANONICAL)


def scale(table: pd.DataFrame, variable: str, mask: pd.Series | None = None) -> np.ndarray:
    column = table[variable] if mask is None else table.loc[mask, variable]
    return column.astype(int).to_numpy()


# ------------------------------------------------------------------ the committed table vs the thesis


def test_canonical_columns_and_rows(table, codebook):
    assert list(table.columns) == ["submitted", *codebook.variables]
    assert len(table) == 39
    assert list(table["submitted"]) == sorted(table["submitted"])
    for text in table["submitted"]:
        assert dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize("variable", sorted(TABLE2))
def test_table2_counts_per_cpts(table, variable):
    for level, counts in TABLE2[variable].items():
        got = tuple(int(((table["cpts"] == g) & (table[variable] == level)).sum()) for g in CPTS)
        assert got == counts, (variable, level)


@pytest.mark.parametrize("variable", sorted(OVERALL))
def test_tables_1_and_4_overall_counts(table, variable):
    got = table[variable].value_counts().to_dict()
    assert {level: got.get(level, 0) for level in OVERALL[variable]} == OVERALL[variable]


def test_table5_resort_ranks(table):
    for group, rank, item, n in TABLE5_RANKS:
        ranks = table.loc[table["pratique_tle"] == group, item]
        assert int((ranks == str(rank)).sum()) == n, (group, rank, item)


def test_table5_frequency_and_specialty(table):
    for variable, groups in TABLE5.items():
        for group, counts in groups.items():
            got = table.loc[table["pratique_tle"] == group, variable].value_counts().to_dict()
            assert {level: got.get(level, 0) for level in counts} == counts, (variable, group)
            assert sum(counts.values()) == (table["pratique_tle"] == group).sum()
    other = table[table["specialite"] == "Autres"]
    assert len(other) == 1 and other["specialite_autre"].iloc[0] != ""


def test_ranks_are_one_to_k(table, codebook):
    items = [i.id for i in codebook.question("recours").items]
    for _, row in table.iterrows():
        ranks = sorted(int(row[i]) for i in items if row[i] != "")
        assert ranks == list(range(1, len(ranks) + 1)) and ranks


def test_plausibility_rules(table):
    unaware = table[table["connait_tle"] == "Non"]
    assert (unaware["pratique_tle"] == "Non").all() and (unaware["forme_tle"] == "Non").all()


def test_aisance_numerique(table):
    values = scale(table, "aisance_numerique")
    assert shows(values.mean(), AISANCE[0]) and shows(values.std(ddof=1), AISANCE[1])


def _groups(table: pd.DataFrame, variable: str) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    users = scale(table, variable, table["pratique_tle"] == "Oui")
    non_users = scale(table, variable, table["pratique_tle"] == "Non")
    by_cpts = [scale(table, variable, table["cpts"] == g) for g in CPTS]
    return users, non_users, by_cpts


@pytest.mark.parametrize("variable", sorted(BARRIERS))
def test_barrier_means_and_sds_at_printed_digits(table, variable):
    overall, users_t, non_t, _pw, *cpts_t, _pk = BARRIERS[variable]
    users, non_users, by_cpts = _groups(table, variable)
    for values, (mean, sd) in [(scale(table, variable), overall), (users, users_t), (non_users, non_t),
                               *zip(by_cpts, cpts_t)]:
        assert shows(values.mean(), mean) and shows(values.std(ddof=1), sd), (variable, mean, sd)


@pytest.mark.parametrize("variable", sorted(BARRIERS))
def test_barrier_p_values_at_printed_digits(table, variable):
    *_, p_wilcoxon, _a, _d, _v, p_kruskal = BARRIERS[variable]
    users, non_users, by_cpts = _groups(table, variable)
    assert shows(wilcox_test(users, non_users).p_value, p_wilcoxon)
    assert shows(kruskal_test(by_cpts).p_value, p_kruskal)


@pytest.mark.parametrize("variable", sorted(BARRIERS))
def test_table8_strict_reading(table, variable):
    """Table 8 rounds to 1 decimal (means, sds) and 4 decimals (p) but drops trailing zeros:
    "3" is 3,0 and "0,726" is 0,7260. The committed table meets this stricter reading too."""
    *_, a, d, v, p_kruskal = BARRIERS[variable]
    _users, _non, by_cpts = _groups(table, variable)
    for values, (mean, sd) in zip(by_cpts, (a, d, v)):
        assert shows(values.mean(), mean, 1) and shows(values.std(ddof=1), sd, 1)
    assert shows(kruskal_test(by_cpts).p_value, p_kruskal, 4)


def test_solver_closed_forms_agree_with_rtests(table):
    """The vectorised Wilcoxon p and the Kruskal-Wallis lattice of the solver agree with rtests."""
    for variable in BARRIERS:
        users, non_users, by_cpts = _groups(table, variable)
        hist = lambda values: np.bincount(values, minlength=11)[1:]  # noqa: E731
        p = wilcoxon_p(hist(users)[None, :], hist(non_users))[0]
        assert p == pytest.approx(wilcox_test(users, non_users).p_value, rel=1e-12)
        pooled = sum(hist(g) for g in by_cpts)
        ranks2 = 2 * (np.cumsum(pooled) - pooled + (pooled + 1) / 2)
        pair = tuple(int(hist(g) @ ranks2) for g in by_cpts[:2])
        p_kw = kruskal_test(by_cpts).p_value
        around = Target("", Fraction(p_kw) - Fraction(1, 10**7), Fraction(p_kw) + Fraction(1, 10**7), 7)
        assert pair in kruskal_pairs(pooled, np.array([len(g) for g in by_cpts]), around)


def test_two_p_values_against_rscript(table):
    users, non_users, _ = _groups(table, "frein_perte_temps")
    # d <- read.csv("data/studies/tele_expertise_cpts/reconstruction/thesis_2025_canonical.csv")
    # wilcox.test(d$frein_perte_temps[d$pratique_tle=="Oui"], d$frein_perte_temps[d$pratique_tle=="Non"])$p.value
    assert wilcox_test(users, non_users).p_value == pytest.approx(0.0817570065222226, rel=1e-9)
    _u, _n, by_cpts = _groups(table, "frein_identifier_medecin")
    # kruskal.test(d$frein_identifier_medecin ~ factor(d$cpts))$p.value
    assert kruskal_test(by_cpts).p_value == pytest.approx(0.605994147644577, rel=1e-9)


def test_open_answers_respect_users_only(table, codebook):
    users = table["pratique_tle"] == "Oui"
    for variable in ("plateforme", "role_tle"):
        assert (table.loc[users, variable] != "").all() and (table.loc[~users, variable] == "").all()
    answers = load_open_answers(OPEN_ANSWERS)
    for question, listed in answers.items():
        user_only = {a.text for a in listed if a.user_only and a.text} - {a.text for a in listed if not a.user_only}
        column = "role_tle_autre" if question == "role_tle" else question
        assert not table.loc[~users, column].isin(user_only).any(), question
        expected = sorted(a.text or a.option for a in listed)
        given = table[column].where(table[column] != "", table[question] if question == "role_tle" else "")
        assert sorted(given[given != ""]) == expected, question


def test_timestamps_within_collection_calendar(table):
    starts = {A: "2024-12-19", D: "2024-12-23", V: "2025-04-01"}
    for group, start in starts.items():
        stamps = table.loc[table["cpts"] == group, "submitted"]
        assert (stamps >= start).all() and (stamps <= "2025-06-30 23:59:59").all(), group
    assert table["submitted"].is_unique


def test_raw_export_cleans_back_to_the_canonical_table(table, codebook):
    cleaned = clean_file(EXPORT, codebook).responses
    assert len(cleaned) == len(table)
    for variable in codebook.variables:
        got = ["" if pd.isna(v) else str(v) for v in cleaned[variable]]
        assert got == list(table[variable]), variable


# ------------------------------------------------------------------ targets read from the published file


def test_targets_come_from_the_published_file(codebook):
    t = wave_targets(load_publication(PUBLISHED), codebook)
    assert t.findings == []
    assert {b.variable: b.wilcoxon.p.text for b in t.barriers} == {v: row[3] for v, row in BARRIERS.items()}
    for variable, levels in TABLE2.items():
        for k, group in enumerate(CPTS):
            assert t.profile[variable][group] == {level: counts[k] for level, counts in levels.items()}
    assert t.use_sizes == OVERALL["pratique_tle"]


# ------------------------------------------------------------------ unit tests of the building blocks


def _pub(text: str) -> PubNumber:
    digits = len(text.split(",")[1]) if "," in text else 0
    return PubNumber(text, digits, digits)


def test_sum_options_hand_checked():
    # n = 2, "5,5 ± 0,7": only (5, 6): S = 11, SS = 61, sd = sqrt(0.5) = 0.707.
    assert sum_options(2, target(_pub("5,5")), target(_pub("0,7"))) == [SumOption(11, 61, 61)]
    # "5,5 ± 2,0" needs (a - b)^2 / 2 in (3.8025, 4.2025): no integer square lies in (7.6, 8.4).
    assert sum_options(2, target(_pub("5,5")), target(_pub("2,0"))) == []


def test_unreachable_names_the_impossible_pair():
    ms = lambda ref, n, m, s: MeanSd(ref, n, _pub(m), _pub(s))  # noqa: E731
    bt = BarrierTargets(
        "frein_x", ms("overall", 4, "5,5", "4,0"), {"Oui": ms("users", 2, "5,5", "2,0"), "Non": ms("non", 2, "5,5", "0,7")},
        PValue("w", _pub("0,5")), {"A": ms("a", 2, "5,5", "0,7"), "B": ms("b", 2, "5,5", "0,7")}, PValue("k", _pub("0,5")),
    )
    layout = Layout(("Oui", "Non"), ("A", "B"), np.array([[1, 1], [1, 1]]))
    from surveykit.tools.reconstruct.barriers import STAGES, item_spec

    proofs = unreachable(bt, layout, item_spec(bt, layout, STAGES[0]))
    assert len(proofs) == 1 and proofs[0].startswith("users :")


def test_enumerate_histograms_matches_brute_force():
    options = sum_options(4, target(_pub("6,5")), target(_pub("2,9")))  # S = 26, SS = 194: e.g. 3, 6, 7, 10
    brute = set()
    for combo in itertools.combinations_with_replacement(range(1, 11), 4):
        s, ss = sum(combo), sum(c * c for c in combo)
        if any(o.total == s and o.ss_min <= ss <= o.ss_max for o in options):
            brute.add(tuple(np.bincount(combo, minlength=11)[1:]))
    assert {tuple(h) for h in enumerate_histograms(4, options)} == brute and brute


def _tiny_spec(kruskal: str) -> ItemSpec:
    """Six answers 1,1,1,10,10,10; users (n=3) all 10, non-users all 1; CPTS A = (10,10,1), B = (10,1,1).
    Hand computation: users' mid-rank 5, W = 9, sigma^2 = (9/12)(7 - 48/30) = 4.05,
    z = (4.5 - 0.5)/2.0125 -> p = 0.04685; Kruskal: R = (12, 9), H = 0.428571/0.771429 = 5/9, df 1 -> p = 0.4561."""
    opts = lambda n, m, s: sum_options(n, target(_pub(m)), target(_pub(s)))  # noqa: E731
    return ItemSpec(
        overall=opts(6, "5,5", "4,9"),
        use=[opts(3, "10,0", "0,0"), opts(3, "1,0", "0,0")],
        cpts=[opts(3, "7,0", "5,2"), opts(3, "4,0", "5,2")],
        wilcoxon=target(_pub("0,047")),
        kruskal=target(_pub(kruskal)),
    )


TINY_LAYOUT = Layout(("Oui", "Non"), ("A", "B"), np.array([[2, 1], [1, 2]]))
TINY_POOLED = np.array([3, 0, 0, 0, 0, 0, 0, 0, 0, 3])


def test_milp_tiny_instance_hand_checked():
    cells = split_cells(TINY_POOLED, TINY_LAYOUT, _tiny_spec("0,456"), np.random.default_rng(0), 100)
    expected = np.zeros((2, 2, 10), dtype=int)
    expected[0, 0, 9], expected[0, 1, 9], expected[1, 0, 0], expected[1, 1, 0] = 2, 1, 1, 2
    assert cells is not None and np.array_equal(cells, expected)
    # R: wilcox.test(c(10,10,10), c(1,1,1))$p.value == 0.0468541776038738
    assert wilcox_test([10, 10, 10], [1, 1, 1]).p_value == pytest.approx(0.0468541776038738, rel=1e-9)
    # R: kruskal.test(list(c(10,10,1), c(10,1,1)))$p.value == 0.456056540250257
    assert kruskal_test([[10, 10, 1], [10, 1, 1]]).p_value == pytest.approx(0.456056540250257, rel=1e-9)


def test_milp_tiny_instance_infeasible_p():
    """The only split showing the means gives p = 0.4561: a Kruskal target of 0,20 is unreachable."""
    assert split_cells(TINY_POOLED, TINY_LAYOUT, _tiny_spec("0,20"), np.random.default_rng(0), 100) is None


# ------------------------------------------------------------------ determinism


@pytest.fixture(scope="module")
def tracabilite(codebook) -> BarrierTargets:
    t = wave_targets(load_publication(PUBLISHED), codebook)
    return next(b for b in t.barriers if b.variable == "frein_tracabilite")


def test_same_seed_same_barrier_solution(tracabilite):
    layout = Layout(("Oui", "Non"), CPTS, np.array([[12, 8, 12], [2, 3, 2]]))
    budget = Budget(rounds=10, milps=60)
    first = solve_item(tracabilite, layout, 7, budget)
    second = solve_item(tracabilite, layout, 7, budget)
    assert first is not None and second is not None
    assert np.array_equal(first.cells, second.cells) and first.stage == second.stage
    users = np.repeat(np.arange(1, 11), first.cells[0].sum(axis=0))
    non_users = np.repeat(np.arange(1, 11), first.cells[1].sum(axis=0))
    assert shows(wilcox_test(users, non_users).p_value, "0,0161")


def test_same_seed_same_deals():
    def draw(seed: int) -> list:
        rng = np.random.default_rng(seed)
        use = deal({"Oui": 4, "Non": 2}, ("Oui", "Non"), rng)
        ranks = deal_ranks(["a", "b", "c"], use, [RankTarget("r", "a", 1, "Oui", 3)], rng)
        profile = deal_profile({"age": {"G": {"x": 2, "y": 4}}}, {"age": ("x", "y")}, {"G": np.arange(6)}, 6, rng)
        stamps = draw_timestamps(np.array([A, D, V]), rng)
        return [use.tolist(), {k: v.tolist() for k, v in ranks.items()}, profile["age"].tolist(), stamps]

    assert draw(11) == draw(11)
    assert draw(11) != draw(12)
