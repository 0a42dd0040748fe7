"""Exact two-sided Fisher p-value for r x c tables (network algorithm).

R computes ``fisher.test`` on tables larger than 2 x 2 with FEXACT (Mehta &
Patel's network algorithm, ACM TOMS 643). This module computes the same
quantity: the total probability, under the multivariate hypergeometric law
with the observed margins, of every table whose probability does not exceed
the observed one, with FEXACT's tolerance (``log P <= log P_obs + 3.45254e-7``).

Outline (same idea as FEXACT, written for numpy):

* The table is oriented so that its longer side is the sequence of *stages*
  and its shorter side the *vector* filled at each stage. A network node is a
  stage plus the sorted multiset of remaining vector totals: completions only
  depend on that multiset.
* A backward pass gives, for every node, the exact minimum and maximum of
  ``sum(log x!)`` over all completions (the "longest" and "shortest" paths).
* A forward pass carries the distinct past path lengths reaching each node
  (equal ones merged, with their multiplicities). For each (past, arc) the
  bounds decide: every completion is as or less probable than the observed
  table -> add the whole subtree's probability in closed form; none is -> drop;
  otherwise the pair is passed on to the daughter node.

Work is bounded: when the network or the number of (past, arc) pairs would
exceed ``max_work`` the computation stops with :class:`ExactTooLarge`, so the
caller can fall back to Monte Carlo instead of hanging.

This numpy code serves small tables (the usual survey cross-tables), which it
finishes in milliseconds without importing numba or compiling anything. Beyond
``NUMPY_MAX_WORK`` work units :func:`fisher_rxc_pvalue` hands the table to the
compiled engine of :mod:`._fexact_jit` (same quantity, bidirectional network).
"""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from ._rmath import log_factorials

#: FEXACT's tolerance on log path lengths ("square root of the smallest relative spacing").
FEXACT_TOL = 3.45254e-7

#: Rounding grid (in log units) used to merge equal past path lengths.
_MERGE_SCALE = 1e9

#: Work budget of the numpy code (the thesis' tables need about 2 000; a 3 x 5 table with
#: n = 80 about 150 000, which the compiled engine does 5 times faster): larger tables go
#: to the compiled engine.
NUMPY_MAX_WORK = 20_000

ENGINES = ("auto", "numpy", "compiled")


class ExactTooLarge(RuntimeError):
    """The exact network would exceed the work budget."""


def compositions(total: int, parts: int) -> np.ndarray:
    """All vectors of ``parts`` non-negative integers summing to ``total`` (rows)."""
    if parts == 1:
        return np.array([[total]], dtype=np.int64)
    bars = np.array(list(combinations(range(total + parts - 1), parts - 1)), dtype=np.int64)
    if bars.size == 0:
        return np.zeros((1, parts), dtype=np.int64)
    edges = np.hstack([np.full((bars.shape[0], 1), -1), bars,
                       np.full((bars.shape[0], 1), total + parts - 1)])
    return np.diff(edges, axis=1) - 1


def _encode(rows: np.ndarray, base: int) -> np.ndarray:
    """Injective int64 code of non-negative integer rows below ``base``."""
    code = np.zeros(rows.shape[0], dtype=np.int64)
    for col in range(rows.shape[1]):
        code = code * base + rows[:, col]
    return code


class _Stage:
    """Arcs of one stage: parent node, daughter node, arc length ``sum(log x!)`` of the vector."""

    def __init__(self, parent: np.ndarray, child: np.ndarray, length: np.ndarray):
        self.parent = parent
        self.child = child
        self.length = length


def _build_stage(nodes: np.ndarray, stage_total: int, lf: np.ndarray, base: int,
                 max_work: int) -> tuple[_Stage, np.ndarray]:
    """Enumerate every arc leaving ``nodes`` for one stage and the daughter nodes."""
    k = nodes.shape[1]
    if nodes.shape[0] * math.comb(stage_total + k - 1, k - 1) > max_work:
        raise ExactTooLarge("network too large")
    vectors = compositions(stage_total, k)
    valid = np.all(vectors[None, :, :] <= nodes[:, None, :], axis=2)
    parent, vec = np.nonzero(valid)
    daughters = np.sort(nodes[parent] - vectors[vec], axis=1)
    child, child_nodes = _index_rows(daughters, base)
    # canonical (sorted) summation so that permuted vectors get identical lengths
    length = lf[np.sort(vectors, axis=1)].sum(axis=1)[vec]
    return _Stage(parent, child, length), child_nodes


def _index_rows(rows: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct rows (in code order): index of each row, distinct rows."""
    # all rows of one stage have the same sum: the last entry is redundant in the code
    codes = _encode(rows[:, :-1], base)
    space = base ** (rows.shape[1] - 1)
    if space <= 1_000_000:
        present = np.zeros(space, dtype=bool)
        present[codes] = True
        rank = np.cumsum(present) - 1
        index = rank[codes]
        first = np.zeros(int(present.sum()), dtype=np.int64)
        first[index] = np.arange(codes.size)
    else:
        _, first, index = np.unique(codes, return_index=True, return_inverse=True)
    return index, rows[first]


def _bounds(stages: list[_Stage], last_nodes: np.ndarray, lf: np.ndarray,
            node_counts: list[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Exact min / max of the remaining ``sum(log x!)`` for every node (backward pass)."""
    final = lf[last_nodes].sum(axis=1)
    mins = [final]
    maxs = [final]
    for depth in range(len(stages) - 1, -1, -1):
        st = stages[depth]
        n_nodes = node_counts[depth]
        lo = np.full(n_nodes, np.inf)
        hi = np.full(n_nodes, -np.inf)
        np.minimum.at(lo, st.parent, st.length + mins[0][st.child])
        np.maximum.at(hi, st.parent, st.length + maxs[0][st.child])
        mins.insert(0, lo)
        maxs.insert(0, hi)
    return mins, maxs


class _Pasts:
    """Distinct past path lengths reaching the nodes of one stage.

    Sorted by (node, value); ``log_weight`` is the log of the number of paths
    (their multiplicity), ``log_tail[i]`` the log of
    ``sum(weight_j * exp(-value_j))`` over the entries j >= i of the same node.
    """

    def __init__(self, node: np.ndarray, value: np.ndarray, log_weight: np.ndarray):
        self.node = node
        self.value = value
        self.log_weight = log_weight
        n_nodes = int(node.max()) + 1 if node.size else 0
        self.start = np.searchsorted(node, np.arange(n_nodes + 1))
        self.log_tail = np.empty(node.size)
        terms = log_weight - value
        for a, b in zip(self.start[:-1], self.start[1:]):
            if b > a:
                self.log_tail[a:b] = np.logaddexp.accumulate(terms[a:b][::-1])[::-1]


def _merge(node: np.ndarray, value: np.ndarray, log_weight: np.ndarray) -> _Pasts:
    """Merge equal past path lengths reaching the same node (adding their multiplicities)."""
    grid = np.round(value * _MERGE_SCALE).astype(np.int64)
    order = np.lexsort((grid, node))
    node, grid, value, log_weight = node[order], grid[order], value[order], log_weight[order]
    new_group = np.ones(node.size, dtype=bool)
    new_group[1:] = (node[1:] != node[:-1]) | (grid[1:] != grid[:-1])
    starts = np.flatnonzero(new_group)
    if starts.size < node.size:
        log_weight = np.logaddexp.reduceat(log_weight, starts)
    else:
        log_weight = log_weight[starts]
    return _Pasts(node[starts], value[starts], log_weight)


def work_bound(table: np.ndarray) -> float:
    """An upper bound of the work of one stage of the network: the partial sums of the shorter side's totals
    take at most prod(total + 1) values over all but its largest total (the nodes), and a node has at most
    (largest total of the longer side + 1) arcs. Above the work budget the exact computation cannot finish:
    it is refused at once rather than after spending seconds on it (a 2 × 3 table of 100 000 answers)."""
    x = np.asarray(table, dtype=np.int64)
    rows, columns = x.sum(axis=1), x.sum(axis=0)
    short, long = (np.sort(columns), rows) if x.shape[1] <= x.shape[0] else (np.sort(rows), columns)
    return float(np.prod(short[:-1].astype(float) + 1.0)) * float(long.max() + 1)


def fisher_rxc_pvalue(table: np.ndarray, max_work: int = 5_000_000, tol: float = FEXACT_TOL,
                      engine: str = "auto") -> float:
    """Two-sided exact p-value of an r x c table with positive margins (r, c >= 2).

    ``engine="auto"`` runs the numpy code within ``NUMPY_MAX_WORK`` work units and,
    beyond, the compiled engine within ``max_work``; ``"numpy"`` and ``"compiled"``
    force one of them (tests compare both with R). Raises :class:`ExactTooLarge`
    when the chosen engine would exceed its budget.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if work_bound(table) > max_work:
        raise ExactTooLarge("network too large (its work bound exceeds the budget)")
    if engine != "compiled":
        budget = max_work if engine == "numpy" else min(max_work, NUMPY_MAX_WORK)
        try:
            return _numpy_pvalue(table, budget, tol)
        except ExactTooLarge:
            if engine == "numpy" or max_work <= NUMPY_MAX_WORK:
                raise
    from ._fexact_jit import fisher_network_pvalue  # imports numba: only for large tables

    p = fisher_network_pvalue(table, max_work, tol)
    if p is None:
        raise ExactTooLarge("network too large")
    return p


def _numpy_pvalue(table: np.ndarray, max_work: int, tol: float) -> float:
    """The numpy network algorithm (see the module docstring)."""
    x = np.asarray(table, dtype=np.int64)
    if x.shape[0] < x.shape[1]:
        x = x.T  # stages = longer side, vector = shorter side
    n = int(x.sum())
    lf = log_factorials(n)
    stage_totals = x.sum(axis=1)
    vector_totals = x.sum(axis=0)
    order = np.argsort(stage_totals, kind="stable")
    stage_totals = stage_totals[order]
    threshold = lf[x].sum() - tol  # tables with sum(log x!) >= threshold count
    log_const = lf[vector_totals].sum() + lf[stage_totals].sum() - lf[n]
    base = n + 1
    if base ** (x.shape[1] - 1) >= 2 ** 62:
        raise ExactTooLarge("node codes would overflow")

    nodes = [np.sort(vector_totals)[None, :]]
    stages: list[_Stage] = []
    for total in stage_totals[:-1]:
        st, daughters = _build_stage(nodes[-1], int(total), lf, base, max_work)
        stages.append(st)
        nodes.append(daughters)
    mins, maxs = _bounds(stages, nodes[-1], lf, [nd.shape[0] for nd in nodes[:-1]])

    # log of the total weight of all completions below each node (closed form)
    remaining = [int(stage_totals[d:].sum()) for d in range(len(nodes))]
    rest_cols = [float(lf[stage_totals[d:]].sum()) for d in range(len(nodes))]
    log_subtree = [lf[remaining[d]] - lf[nodes[d]].sum(axis=1) - rest_cols[d] for d in range(len(nodes))]

    p_value = 0.0
    pasts = _Pasts(np.zeros(1, dtype=np.int64), np.zeros(1), np.zeros(1))
    for depth, st in enumerate(stages):
        if pasts.node.size == 0:
            break
        contribution, pasts = _advance(st, pasts, mins[depth + 1], maxs[depth + 1],
                                       log_subtree[depth + 1] + log_const, threshold, max_work)
        p_value += contribution
    return p_value


def _advance(st: _Stage, pasts: _Pasts, child_min: np.ndarray, child_max: np.ndarray,
             child_log_total: np.ndarray, threshold: float, max_work: int) -> tuple[float, _Pasts]:
    """Process every (past, arc) pair of one stage.

    Pairs whose every completion is as or less probable than the observed
    table add their subtree probability (found in O(log) through the sorted
    past lengths and their tail sums); pairs with no such completion are
    dropped; the others become past lengths of the daughter nodes.
    """
    order = np.argsort(st.parent, kind="stable")
    arcs = _Stage(st.parent[order], st.child[order], st.length[order])
    arc_start = np.searchsorted(arcs.parent, np.arange(pasts.start.size))
    cut_all = threshold - arcs.length - child_min[arcs.child]
    cut_none = threshold - arcs.length - child_max[arcs.child]
    terms: list[np.ndarray] = []
    carried: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    n_carried = 0
    for node in range(pasts.start.size - 1):
        a, b = pasts.start[node], pasts.start[node + 1]
        sel = slice(arc_start[node], arc_start[node + 1])
        if b == a or sel.start == sel.stop:
            continue
        values = pasts.value[a:b]
        j_all = np.searchsorted(values, cut_all[sel], side="left")
        j_none = np.searchsorted(values, cut_none[sel], side="left")
        some = j_all < (b - a)
        terms.append(pasts.log_tail[a + j_all[some]] - arcs.length[sel][some]
                     + child_log_total[arcs.child[sel][some]])
        item = _undecided(arcs, pasts, sel, a, j_none, j_all)
        if item is not None:
            n_carried += item[0].size
            if n_carried > max_work:
                raise ExactTooLarge("too many past path lengths")
            carried.append(item)
    contribution = float(np.sum(np.exp(np.concatenate(terms)))) if terms else 0.0
    if not carried:
        return contribution, _Pasts(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
    child, value, logw = (np.concatenate(parts) for parts in zip(*carried))
    return contribution, _merge(child, value, logw)


def _undecided(arcs: _Stage, pasts: _Pasts, sel: slice, a: int, j_none: np.ndarray,
               j_all: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(daughter, new past length, log weight) of the pairs that stay undecided at one node."""
    spans = np.maximum(j_all - j_none, 0)
    total = int(spans.sum())
    if total == 0:
        return None
    arc_rep = np.repeat(np.arange(spans.size), spans)
    offsets = np.arange(total) - np.repeat(np.cumsum(spans) - spans, spans)
    idx = a + j_none[arc_rep] + offsets
    arc = arc_rep + sel.start
    return arcs.child[arc], pasts.value[idx] + arcs.length[arc], pasts.log_weight[idx]
