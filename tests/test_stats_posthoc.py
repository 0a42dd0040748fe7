"""surveykit.stats.posthoc against R (tests/r_reference/estimates_reference.json).

Pairwise Fisher/chi-squared: R loops over the pairs of columns and calls p.adjust; pairwise Wilcoxon:
pairwise.wilcox.test itself; Dunn: its z written in R; letters: multcompView::multcompLetters, whose
letter names may differ, so the comparison is on which groups share a letter.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from stats_reference_helpers import ESTIMATES, assert_r, cases, vec
from surveykit.stats import posthoc


def _sharing(letters: dict[str, str]) -> dict[tuple[str, str], bool]:
    return {(a, b): bool(set(letters[a]) & set(letters[b])) for a, b in combinations(sorted(letters), 2)}


def _names(k: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(k)]


@pytest.mark.parametrize("ref", cases("pairwise_table", ESTIMATES))
def test_pairwise_table_tests_match_r(ref):
    """Every pair of groups (columns) of the thesis' Table 2 and random tables, empty rows dropped per pair."""
    inp, v = ref["inputs"], ref["values"]
    table = np.array(inp["table"])
    res = posthoc.pairwise_table_tests(table, inp["test"], labels=_names(table.shape[1]))
    for got, p, q in zip(res, v["p_value"], v["p_adjusted"]):
        assert_r(got.p_value, p, what=f"{got.group1}-{got.group2} p")
        assert_r(got.p_adjusted, q, what=f"{got.group1}-{got.group2} Holm p")
    letters = posthoc.compact_letters(_names(table.shape[1]), {(r.group1, r.group2): r.p_adjusted < 0.05 for r in res})
    assert _sharing(letters) == _sharing(v["letters"])


@pytest.mark.parametrize("ref", cases("pairwise_wilcox", ESTIMATES))
def test_pairwise_wilcox_matches_r(ref):
    """pairwise.wilcox.test(p.adjust.method = "holm"): exact/normal switch per pair, ties, singletons."""
    v = ref["values"]
    groups = [vec(g) for g in ref["inputs"]["groups"]]
    res = posthoc.pairwise_wilcox(groups, labels=_names(len(groups)))
    for got, p, q in zip(res, v["p_value"], v["p_adjusted"]):
        assert_r(got.p_value, p, what="p")
        assert_r(got.p_adjusted, q, what="Holm p")


@pytest.mark.parametrize("ref", cases("dunn", ESTIMATES))
def test_dunn_matches_r(ref):
    """Dunn's z with the tie correction, groups of size 1, NaN and an all-NaN group dropped, all tied: NaN."""
    v = ref["values"]
    groups = [vec(g) for g in ref["inputs"]["groups"]]
    res = posthoc.dunn_test(groups)
    assert len(res) == len(v["z"])
    for got, z, p, q in zip(res, v["z"], v["p_value"], v["p_adjusted"]):
        assert_r(got.statistic, z, what="z")
        assert_r(got.p_value, p, what="p")
        assert_r(got.p_adjusted, q, what="Holm p")
    if v.get("letters"):
        names = sorted({r.group1 for r in res} | {r.group2 for r in res}, key=int)
        letters = posthoc.compact_letters(names, {(r.group1, r.group2): r.p_adjusted < 0.05 for r in res})
        expected = dict(zip(names, v["letters"].values()))  # R names the groups kept A, B, ...
        assert _sharing(letters) == _sharing(expected)


@pytest.mark.parametrize("ref", cases("letters", ESTIMATES))
def test_compact_letters_match_multcompview(ref):
    """Hand-made patterns, including one (square) that needs a group with two letters."""
    pairs = {tuple(k.split("-")): bool(d) for k, d in ref["inputs"]["pairs"].items()}
    names = sorted({g for p in pairs for g in p})
    got = posthoc.compact_letters(names, pairs)
    assert _sharing(got) == _sharing(ref["values"]["letters"])
    assert len(set("".join(got.values()))) == len(set("".join(ref["values"]["letters"].values())))


def test_compact_letters_share_exactly_when_not_different():
    """Property on random patterns: two groups share a letter if and only if they do not differ."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        names = _names(int(rng.integers(2, 8)))
        different = {pair: bool(rng.random() < 0.4) for pair in combinations(names, 2)}
        shares = _sharing(posthoc.compact_letters(names, different))
        assert all(shares[pair] == (not d) for pair, d in different.items())


def test_first_group_gets_letter_a():
    assert posthoc.compact_letters(["x", "y", "z"], [("x", "z")]) == {"x": "a", "y": "ab", "z": "b"}
