"""Access to the R reference values of tests/r_reference/stats_reference.json.

The JSON is written by ``Rscript tests/r_reference/stats_reference.R``; each case
holds the literal R call, its inputs at full precision and R's results. JSON
``null`` stands for R's NA/NaN, the strings "Inf"/"-Inf" for infinities.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REFERENCE = Path(__file__).resolve().parent / "r_reference" / "stats_reference.json"
#: Estimates, post-hoc and paired statistics (issue O): tests/r_reference/estimates_reference.R.
ESTIMATES = Path(__file__).resolve().parent / "r_reference" / "estimates_reference.json"

#: Relative tolerance required against R.
REL = 1e-8


@lru_cache(maxsize=2)
def _load(source: Path = REFERENCE) -> dict[str, Any]:
    with source.open(encoding="utf-8") as handle:
        return json.load(handle)


def cases(group: str, source: Path = REFERENCE) -> list[Any]:
    """pytest parameters (with the case id as test id) of one reference group."""
    found = [c for c in _load(source)["cases"] if c["group"] == group]
    assert found, f"no reference case for {group!r}"
    return [pytest.param(c, id=c["id"]) for c in found]


def case(group: str, case_id: str, source: Path = REFERENCE) -> dict[str, Any]:
    for c in _load(source)["cases"]:
        if c["group"] == group and c["id"] == case_id:
            return c
    raise KeyError((group, case_id))


def num(value: Any) -> float:
    if value is None:
        return math.nan
    if value == "Inf":
        return math.inf
    if value == "-Inf":
        return -math.inf
    return float(value)


def vec(values: list[Any]) -> np.ndarray:
    """A JSON numeric array as floats, NA -> NaN."""
    return np.array([num(v) for v in values], dtype=float)


def assert_r(actual: Any, expected: Any, rel: float = REL, abs_tol: float = 0.0, what: str = "") -> None:
    """``actual`` equals R's ``expected`` to ``rel`` (NaN matches NA/NaN, infinities exactly)."""
    a, e = float(actual), num(expected)
    if math.isnan(e):
        assert math.isnan(a), f"{what}: R gives NaN/NA, got {a!r}"
        return
    if math.isinf(e):
        assert a == e, f"{what}: R gives {e}, got {a!r}"
        return
    gap = abs(a - e)
    assert gap <= max(rel * abs(e), abs_tol), \
        f"{what}: got {a!r}, R gives {e!r} (rel. diff {gap / max(abs(e), 1e-300):.2e})"
