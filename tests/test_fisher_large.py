"""Exact r x c Fisher test on large tables: both engines against R.

References: ``tests/r_reference/fisher_large_reference.json``, written by
``Rscript tests/r_reference/fisher_large_reference.R`` (R's
``fisher.test(x, workspace = 2e8)``), and the r x c cases of
``stats_reference.json``. Tolerance 1e-8 relative, as everywhere.
"""
from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from stats_reference_helpers import assert_r, cases
from surveykit.stats import rtests
from surveykit.stats._fexact import NUMPY_MAX_WORK, ExactTooLarge, fisher_rxc_pvalue

LARGE = Path(__file__).resolve().parent / "r_reference" / "fisher_large_reference.json"
SRC = Path(__file__).resolve().parents[1] / "src"


@lru_cache(maxsize=1)
def _large() -> list[dict]:
    return json.loads(LARGE.read_text(encoding="utf-8"))["cases"]


def large_cases(keep=lambda case: True) -> list:
    return [pytest.param(c, id=c["id"]) for c in _large() if keep(c)]


def rxc_cases() -> list:
    """r x c cases of the main reference file (2 x 2 tables have their own code)."""
    return [p for p in cases("fisher") if np.asarray(p.values[0]["inputs"]["table"]).shape != (2, 2)]


def test_large_reference_covers_every_benchmarked_shape():
    shapes = {np.asarray(c["table"]).shape for c in _large()}
    benched = {np.asarray(c["table"]).shape for c in _large() if c["bench"]}
    assert {(2, 3), (2, 5), (3, 3), (3, 4), (3, 5), (4, 4), (4, 5), (5, 5), (3, 6)} <= benched
    assert {(2, 6), (4, 6), (5, 3)} <= shapes
    assert sum(c["bench"] for c in _large()) >= 10
    assert all(39 <= np.sum(c["table"]) <= 200 for c in _large() if c["bench"])


@pytest.mark.parametrize("ref", large_cases())
def test_fisher_test_is_exact_on_large_tables(ref):
    res = rtests.fisher_test(ref["table"])
    assert res.test == "fisher"
    assert res.extra == {}
    assert_r(res.p_value, ref["p_value"], what=ref["call"])


@pytest.mark.parametrize("ref", large_cases())
def test_compiled_engine_matches_r_on_large_tables(ref):
    p = fisher_rxc_pvalue(np.array(ref["table"]), max_work=rtests.DEFAULT_MAX_TABLES, engine="compiled")
    assert_r(p, ref["p_value"], what=ref["call"])


@pytest.mark.parametrize("ref", rxc_cases())
def test_compiled_engine_matches_r_on_every_rxc_reference(ref):
    table = rtests.drop_empty(np.array(ref["inputs"]["table"], dtype=np.int64))
    if min(table.shape) < 2:
        pytest.skip("a single non-empty row or column: p = 1 without any network")
    assert_r(fisher_rxc_pvalue(table, engine="compiled"), ref["values"]["p_value"], what=ref["call"])


@pytest.mark.parametrize("ref", large_cases(lambda c: np.sum(c["table"]) <= 80 and np.size(c["table"]) <= 15))
def test_numpy_engine_matches_r_where_it_runs(ref):
    p = fisher_rxc_pvalue(np.array(ref["table"]), max_work=5_000_000, engine="numpy")
    assert_r(p, ref["p_value"], what=ref["call"])


def test_compiled_engine_gives_the_same_bits_every_run():
    ref = next(c for c in _large() if c["id"] == "random_5x5_n60")
    table = np.array(ref["table"])
    first = fisher_rxc_pvalue(table, max_work=rtests.DEFAULT_MAX_TABLES, engine="compiled")
    assert all(fisher_rxc_pvalue(table, max_work=rtests.DEFAULT_MAX_TABLES, engine="compiled") == first
               for _ in range(3))
    code = ("import numpy as np; from surveykit.stats._fexact import fisher_rxc_pvalue as f; "
            f"print(f(np.array({table.tolist()}), max_work=200_000_000, engine='compiled').hex())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == first.hex()  # another process (compiled code from the cache): same bits


def test_compiled_engine_ignores_the_order_of_rows_and_columns():
    ref = next(c for c in _large() if c["id"] == "random_4x5_n70")
    table = np.array(ref["table"])
    for variant in (table.T, table[[2, 0, 3, 1]][:, [4, 1, 3, 0, 2]]):
        assert_r(fisher_rxc_pvalue(variant, max_work=rtests.DEFAULT_MAX_TABLES, engine="compiled"), ref["p_value"])


def test_compiled_engine_stops_at_its_budget():
    table = np.array(next(c for c in _large() if c["id"] == "random_4x4_n100")["table"])
    with pytest.raises(ExactTooLarge):
        fisher_rxc_pvalue(table, max_work=50_000, engine="compiled")
    with pytest.raises(ExactTooLarge):
        fisher_rxc_pvalue(table, max_work=NUMPY_MAX_WORK, engine="auto")  # no compiled fallback within it


def test_huge_table_falls_back_to_labelled_monte_carlo():
    table = np.array([[60, 40, 50, 30, 45], [55, 45, 35, 60, 40], [40, 50, 60, 45, 35],
                      [45, 35, 40, 50, 60], [50, 60, 45, 35, 40]])  # n = 1150: no exact network
    res = rtests.fisher_test(table, B=300, seed=7)
    assert res.test == "fisher_mc"
    assert res.extra == {"B": 300, "seed": 7, "reason": "calcul exact trop volumineux"}
    assert float(res.p_value * 301).is_integer()
    wide = np.full((11, 11), 40)  # node keys of 10 totals up to 440 would overflow 64 bits
    res = rtests.fisher_test(wide, B=100, seed=7)
    assert res.test == "fisher_mc" and res.extra["reason"] == "calcul exact trop volumineux"


@pytest.mark.parametrize("case_id", ["random_4x4_n100", "random_3x6_n120"])
def test_compiled_engine_gives_r_or_refuses_at_every_budget(case_id):
    """Budgets that run out in the network, in a forward or backward step or before the join: never a wrong p."""
    ref = next(c for c in _large() if c["id"] == case_id)
    table = np.array(ref["table"])
    outcomes = []
    for budget in np.geomspace(1_000, 20_000_000, 25).astype(int):
        try:
            p = fisher_rxc_pvalue(table, max_work=int(budget), engine="compiled")
        except ExactTooLarge:
            outcomes.append(False)
            continue
        assert_r(p, ref["p_value"], what=f"{ref['call']} with max_work = {budget}")
        outcomes.append(True)
    assert outcomes[0] is False and outcomes[-1] is True
    assert outcomes == sorted(outcomes)  # a larger budget never refuses what a smaller one did


def test_compiled_engine_enumerates_again_a_depth_with_more_daughters_than_room(monkeypatch):
    from surveykit.stats import _fexact_jit

    monkeypatch.setattr(_fexact_jit, "FIRST_NODE_ROOM", 1)
    for case_id in ("random_5x5_n60", "equal_margins_4x4_n80"):
        ref = next(c for c in _large() if c["id"] == case_id)
        p = fisher_rxc_pvalue(np.array(ref["table"]), max_work=rtests.DEFAULT_MAX_TABLES, engine="compiled")
        assert_r(p, ref["p_value"], what=ref["call"])


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        fisher_rxc_pvalue(np.array([[1, 2, 3], [3, 2, 1]]), engine="fast")


def test_small_tables_never_import_numba():
    """The thesis' tables run on numpy: a statistics job with them pays no JIT import or compilation."""
    code = ("import sys; from surveykit.stats.rtests import fisher_test; "
            "p = [fisher_test(t).p_value for t in ([[5, 3, 0], [6, 2, 6], [3, 6, 8]], "
            "[[1, 2, 5], [2, 3, 3], [3, 4, 3], [3, 2, 1], [5, 0, 2]], [[2, 0, 0], [1, 0, 2], [4, 2, 4], [7, 9, 8]])]; "
            "print('numba' in sys.modules, len(p))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["False", "3"]
