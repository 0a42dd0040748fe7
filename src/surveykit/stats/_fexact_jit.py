"""Compiled (numba) network algorithm for the exact r x c Fisher test, for large tables.

Same quantity as :mod:`._fexact` and as R's FEXACT: the total probability of the
tables, with the observed margins, whose ``sum(log x!)`` is at least the observed
one minus FEXACT's tolerance. Small tables use the numpy code of :mod:`._fexact`
(no import of numba, no compilation); this module is imported only when that code
would exceed its small work budget.

The network is FEXACT's (Mehta & Patel 1986; Clarkson, Fan & Joe 1993): a node at
depth ``d`` is the sorted multiset of the remaining totals of the short side after
``d`` stages (entries of the long side; largest first, where FEXACT takes the
smallest first); an arc fills one stage with a vector of counts, its length is
``sum(log x!)`` of that vector. What is added to FEXACT:

* **Exact bounds both ways.** A backward pass gives every node the exact minimum
  and maximum of its completions' lengths (FEXACT's longest and shortest paths;
  its shortest path is only a bound), a forward pass the exact minimum and maximum
  of the past lengths that can reach it.
* **Search from both ends.** Past lengths (with their numbers of paths) are carried
  forward from the root, future lengths (with their probability mass) backward from
  the last stage, each side dropping or settling in closed form what the other
  side's bounds decide, always advancing the cheaper side; where they meet, every
  (past, arc) pair is completed by a binary search in the daughter's sorted future
  lengths and their suffix sums (or each future length in the parent's past lengths,
  whichever list is shorter). FEXACT carries every past length to the last stage.
* **Arcs merged.** Vectors that differ by a permutation among equal remaining totals
  lead to the same daughter with the same length: one arc with a multiplicity.
* Past lengths are sorted per node, so an arc's settled past lengths are found by
  two binary searches instead of one test per past length.

Equal lengths are merged when they differ by less than ``MERGE_EPS`` (rounding
noise of sums of log factorials); FEXACT merges within its tolerance 3.45e-7.
Everything is sequential and in a fixed order: the same table gives the same bits.
Probabilities are summed with Neumaier's compensated summation.

Compilation: every kernel is cached (``cache=True``, in ``__pycache__`` beside this
file), so a machine compiles once; later processes only load the compiled code.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._rmath import log_factorials

#: FEXACT's tolerance on log path lengths.
FEXACT_TOL = 3.45254e-7

#: Past or future lengths closer than this (log units) are the same length.
MERGE_EPS = 1e-9

#: Memory cap: arcs of the network, and (past or future) lengths carried by one step
#: (about 32 bytes each, whatever the work budget).
MAX_ENTRIES = 40_000_000

#: Room for the daughters of one depth before the first try (4 per parent more); a depth
#: that has more is enumerated again with four times the room.
FIRST_NODE_ROOM = 4096

OK, TOO_LARGE, NEED_ROOM = 0, 1, 2


# --------------------------------------------------------------------------- small helpers
# Hot loops never grow an array (a reallocated array in a numba loop costs ~7x per
# store): sizes are counted first, or the caller retries with more room.


@njit(cache=True)
def _lower_bound(values, lo, hi, x):
    """First index i in [lo, hi) with values[i] >= x (hi if none)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _slot(key, bits):
    """Slot of an int64 key in a table of 2**bits entries (Fibonacci hashing)."""
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    return np.int64(h >> np.uint64(64 - bits))


@njit(cache=True)
def _nsum(s, c, x):
    """Neumaier-compensated sum: (s, c) + x."""
    t = s + x
    if abs(s) >= abs(x):
        c += (s - t) + x
    else:
        c += (x - t) + s
    return t, c


# --------------------------------------------------------------------------- network


@njit(cache=True)
def _arc_bound(nodes, s):
    """Number of vectors x <= node with sum s, summed over the nodes (bounds the arcs)."""
    k = nodes.shape[1]
    total = 0.0
    ways = np.zeros(s + 1)
    new = np.zeros(s + 1)
    for nd in range(nodes.shape[0]):
        ways[:] = 0.0
        ways[0] = 1.0
        for i in range(k):
            acc = 0.0
            cap = nodes[nd, i]
            for t in range(s + 1):
                acc += ways[t]
                if t - cap - 1 >= 0:
                    acc -= ways[t - cap - 1]
                new[t] = acc
            ways[:] = new
        total += ways[s]
    return total


@njit(cache=True)
def _expand(nodes, s, lf, base, arc_cap, node_cap):
    """Arcs filling one stage of total s from every node, and the daughter nodes.

    Vectors x <= node (sorted node) with sum s; inside a run of equal totals x is
    non-increasing and the arc carries the number of its distinct permutations.
    Returns (status, daughters, parent, child, length, multiplicity); NEED_ROOM
    when more than node_cap daughters exist.
    """
    n_par, k = nodes.shape
    fact_small = np.ones(k + 1)
    for i in range(2, k + 1):
        fact_small[i] = fact_small[i - 1] * i
    bits = 4
    while (1 << bits) < 2 * node_cap:
        bits += 1
    hcap = 1 << bits
    hkeys = np.full(hcap, -1, dtype=np.int64)
    hvals = np.zeros(hcap, dtype=np.int64)
    daughters = np.empty((node_cap, k), dtype=np.int64)
    parent = np.empty(arc_cap, dtype=np.int32)
    child = np.empty(arc_cap, dtype=np.int32)
    length = np.empty(arc_cap)
    mult = np.empty(arc_cap)
    n_d = 0
    n_arcs = 0
    x = np.zeros(k, dtype=np.int64)
    rem = np.zeros(k + 1, dtype=np.int64)
    room = np.zeros(k + 1, dtype=np.int64)
    vec = np.zeros(k, dtype=np.int64)
    xs = np.zeros(k, dtype=np.int64)
    node = np.zeros(k, dtype=np.int64)
    for nd in range(n_par):
        for i in range(k):
            node[i] = nodes[nd, i]
        room[k] = 0
        for i in range(k - 1, -1, -1):
            room[i] = room[i + 1] + node[i]
        # odometer over x[0..k-2] (x[k-1] is what remains), largest values first
        level = 0
        rem[0] = s
        x[0] = min(node[0], s) + 1
        while level >= 0:
            x[level] -= 1
            lo = rem[level] - room[level + 1]
            if x[level] < lo or x[level] < 0:
                level -= 1
                continue
            if level < k - 2:
                rem[level + 1] = rem[level] - x[level]
                level += 1
                h = min(node[level], rem[level])
                if node[level] == node[level - 1] and x[level - 1] < h:
                    h = x[level - 1]
                x[level] = h + 1
                continue
            last = rem[level] - x[level]
            if last > node[k - 1] or (node[k - 1] == node[k - 2] and last > x[k - 2]):
                continue
            x[k - 1] = last
            m = 1.0
            i = 0
            while i < k:
                j = i
                while j + 1 < k and node[j + 1] == node[i]:
                    j += 1
                if j > i:
                    m *= fact_small[j - i + 1]
                    a = i
                    while a <= j:
                        b = a
                        while b + 1 <= j and x[b + 1] == x[a]:
                            b += 1
                        m /= fact_small[b - a + 1]
                        a = b + 1
                i = j + 1
            for i in range(k):
                vec[i] = node[i] - x[i]
                xs[i] = x[i]
            for i in range(1, k):
                v = vec[i]
                j = i - 1
                while j >= 0 and vec[j] > v:
                    vec[j + 1] = vec[j]
                    j -= 1
                vec[j + 1] = v
                v = xs[i]
                j = i - 1
                while j >= 0 and xs[j] > v:
                    xs[j + 1] = xs[j]
                    j -= 1
                xs[j + 1] = v
            ln = 0.0
            for i in range(k):
                ln += lf[xs[i]]  # same summation order for every permutation
            key = 0
            for i in range(k - 1):
                key = key * base + vec[i]
            p = _slot(key, bits)
            while hkeys[p] >= 0 and hkeys[p] != key:
                p = (p + 1) & (hcap - 1)
            if hkeys[p] < 0:
                if n_d == node_cap:
                    return NEED_ROOM, daughters[:0], parent[:0], child[:0], length[:0], mult[:0]
                hkeys[p] = key
                hvals[p] = n_d
                for i in range(k):
                    daughters[n_d, i] = vec[i]
                n_d += 1
            parent[n_arcs] = nd
            child[n_arcs] = hvals[p]
            length[n_arcs] = ln
            mult[n_arcs] = m
            n_arcs += 1
    return OK, daughters[:n_d], parent[:n_arcs], child[:n_arcs], length[:n_arcs], mult[:n_arcs]


@njit(cache=True)
def _min_max_through_arcs(source, target, length, smin, smax, n_target):
    """Exact min / max of arc length + the source end's min / max, per target end: per parent from its
    daughters' longest and shortest completions, or per daughter from its parents' past paths."""
    lo = np.full(n_target, np.inf)
    hi = np.full(n_target, -np.inf)
    for a in range(target.size):
        u = length[a] + smin[source[a]]
        v = length[a] + smax[source[a]]
        if u < lo[target[a]]:
            lo[target[a]] = u
        if v > hi[target[a]]:
            hi[target[a]] = v
    return lo, hi


@njit(cache=True)
def _group(index, n_groups):
    """Counting sort of arcs by an index: group start offsets and arc order."""
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for a in range(index.size):
        start[index[a] + 1] += 1
    for c in range(n_groups):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    order = np.empty(index.size, dtype=np.int64)
    for a in range(index.size):
        order[fill[index[a]]] = a
        fill[index[a]] += 1
    return start, order


@njit(cache=True)
def _log_tails(start, v, w):
    """log(sum_{j >= i} w_j exp(-v_j)) inside each node's ascending segment."""
    out = np.empty(v.size)
    for n in range(start.size - 1):
        acc = 0.0
        for i in range(start[n + 1] - 1, start[n] - 1, -1):
            if i == start[n + 1] - 1:
                acc = w[i]
            else:
                acc = w[i] + acc * math.exp(v[i] - v[i + 1])
            out[i] = math.log(acc) - v[i]
    return out


@njit(cache=True)
def _merge_segment(tv, tw, lo, hi, out_v, out_w, n_out):
    """Write tv/tw[lo:hi] sorted by value into out from n_out, equal values merged; new n_out.

    A bottom-up merge sort of positions (written out rather than np.argsort, whose
    generic code triples the compilation time); stable, so the result is deterministic.
    """
    n = hi - lo
    order = np.arange(lo, hi)
    spare = np.empty(n, dtype=np.int64)
    width = 1
    while width < n:
        for left in range(0, n, 2 * width):
            mid = min(left + width, n)
            right = min(left + 2 * width, n)
            i, j, t = left, mid, left
            while i < mid and j < right:
                if tv[order[j]] < tv[order[i]]:
                    spare[t] = order[j]
                    j += 1
                else:
                    spare[t] = order[i]
                    i += 1
                t += 1
            while i < mid:
                spare[t] = order[i]
                i += 1
                t += 1
            while j < right:
                spare[t] = order[j]
                j += 1
                t += 1
        order, spare = spare, order
        width *= 2
    group = 0.0
    for t in range(n):
        i = order[t]
        if t > 0 and tv[i] - group < MERGE_EPS:
            out_w[n_out - 1] += tw[i]
        else:
            group = tv[i]
            out_v[n_out] = tv[i]
            out_w[n_out] = tw[i]
            n_out += 1
    return n_out


# --------------------------------------------------------------------------- forward, backward, join


@njit(cache=True)
def _forward(pst, pv, pw, parent, child, length, mult, n_chi, cmin, cmax, clz, log_c, thr, max_work):
    """Carry past lengths one layer forward.

    Pairs (past, arc) whose completions all count add their closed-form probability;
    pairs none of whose completions count are dropped; the others become the
    daughters' past lengths. Returns (status, sum, compensation, daughters' pasts, work).
    """
    tails = _log_tails(pst, pv, pw)
    start, order = _group(child, n_chi)
    j_none = np.empty(parent.size, dtype=np.int64)
    j_all = np.empty(parent.size, dtype=np.int64)
    s = 0.0
    c = 0.0
    total = 0
    for a in range(parent.size):
        lo = pst[parent[a]]
        hi = pst[parent[a] + 1]
        ja = _lower_bound(pv, lo, hi, thr - length[a] - cmin[child[a]])
        jn = _lower_bound(pv, lo, ja, thr - length[a] - cmax[child[a]])
        j_all[a] = ja
        j_none[a] = jn
        if ja < hi:
            s, c = _nsum(s, c, mult[a] * math.exp(tails[ja] + log_c - length[a] + clz[child[a]]))
        total += ja - jn
    nst = np.zeros(n_chi + 1, dtype=np.int64)
    if total > max_work:
        return TOO_LARGE, s, c, nst, pv[:0], pw[:0], total
    tv = np.empty(total)
    tw = np.empty(total)
    out_v = np.empty(total)
    out_w = np.empty(total)
    cnt = 0
    n_out = 0
    for d in range(n_chi):
        first = cnt
        for t in range(start[d], start[d + 1]):
            a = order[t]
            ln = length[a]
            m = mult[a]
            for i in range(j_none[a], j_all[a]):
                tv[cnt] = pv[i] + ln
                tw[cnt] = pw[i] * m
                cnt += 1
        if cnt > first:
            n_out = _merge_segment(tv, tw, first, cnt, out_v, out_w, n_out)
        nst[d + 1] = n_out
    return OK, s, c, nst, out_v[:n_out], out_w[:n_out], total + parent.size


@njit(cache=True)
def _backward(fst, fu, fm, falw, parent, child, length, mult, n_par, pmin_par, pmax_par, fmin_par, fmin_chi,
              thr, max_work):
    """Carry future lengths one layer back.

    A future length is stored with its mass (number of completions times
    exp(-(length - most probable completion's length))); those that count for
    every past reaching the node join its 'always' mass, those that count for
    none are dropped. Returns (status, daughters' futures, always masses, work).
    """
    suffix = np.empty(fu.size)
    for n in range(fst.size - 1):
        acc = 0.0
        for i in range(fst[n + 1] - 1, fst[n] - 1, -1):
            acc += fm[i]
            suffix[i] = acc
    j_nev = np.empty(parent.size, dtype=np.int64)
    j_alw = np.empty(parent.size, dtype=np.int64)
    scale = np.empty(parent.size)
    alw = np.zeros(n_par)
    total = 0
    for a in range(parent.size):
        p = parent[a]
        d = child[a]
        sc = mult[a] * math.exp(fmin_par[p] - length[a] - fmin_chi[d])
        scale[a] = sc
        lo = fst[d]
        hi = fst[d + 1]
        ja = _lower_bound(fu, lo, hi, thr - length[a] - pmin_par[p])
        jn = _lower_bound(fu, lo, ja, thr - length[a] - pmax_par[p])
        j_alw[a] = ja
        j_nev[a] = jn
        alw[p] += falw[d] * sc
        if ja < hi:
            alw[p] += suffix[ja] * sc
        total += ja - jn
    nst = np.zeros(n_par + 1, dtype=np.int64)
    if total > max_work:
        return TOO_LARGE, nst, fu[:0], fm[:0], alw, total
    tv = np.empty(total)
    tw = np.empty(total)
    out_u = np.empty(total)
    out_m = np.empty(total)
    cnt = 0
    n_out = 0
    a = 0
    for p in range(n_par):
        first = cnt
        while a < parent.size and parent[a] == p:
            ln = length[a]
            sc = scale[a]
            for i in range(j_nev[a], j_alw[a]):
                tv[cnt] = fu[i] + ln
                tw[cnt] = fm[i] * sc
                cnt += 1
            a += 1
        if cnt > first:
            n_out = _merge_segment(tv, tw, first, cnt, out_u, out_m, n_out)
        nst[p + 1] = n_out
    return OK, nst, out_u[:n_out], out_m[:n_out], alw, total + parent.size


@njit(cache=True)
def _last_futures(nodes, lf, pmin, pmax, thr):
    """Futures of the last depth: one completion each (the remaining totals themselves)."""
    count, k = nodes.shape
    fst = np.zeros(count + 1, dtype=np.int64)
    fu = np.empty(count)
    fm = np.empty(count)
    alw = np.zeros(count)
    n = 0
    for c in range(count):
        u = 0.0
        for i in range(k):
            u += lf[nodes[c, i]]
        if u + pmin[c] >= thr:
            alw[c] = 1.0
        elif u + pmax[c] >= thr:
            fu[n] = u
            fm[n] = 1.0
            n += 1
        fst[c + 1] = n
    return fst, fu[:n], fm[:n], alw


@njit(cache=True)
def _join(pst, pv, pw, fst, fu, fm, falw, parent, child, length, mult, n_chi, cmin, cmax, clz, log_c, thr):
    """Complete every (past, arc) pair of the meeting layer with the daughter's future lengths.

    Per arc, the smaller side is scanned and the other searched: each past for its
    first counted future (suffix sums of future masses), or each future for its
    first counted past (tail sums of past weights).
    """
    tails = _log_tails(pst, pv, pw)
    start, order = _group(child, n_chi)
    log_suffix = np.empty(fu.size + n_chi)
    s = 0.0
    comp = 0.0
    for d in range(n_chi):
        lo = fst[d]
        hi = fst[d + 1]
        base = lo + d  # one extra slot per daughter: past the end of its futures
        acc = falw[d]
        log_suffix[base + hi - lo] = math.log(acc) if acc > 0 else -np.inf
        for i in range(hi - 1, lo - 1, -1):
            acc += fm[i]
            log_suffix[base + i - lo] = math.log(acc) if acc > 0 else -np.inf
        for t in range(start[d], start[d + 1]):
            a = order[t]
            plo = pst[parent[a]]
            phi = pst[parent[a] + 1]
            if plo == phi:
                continue
            ln = length[a]
            j_all = _lower_bound(pv, plo, phi, thr - ln - cmin[d])
            j_none = _lower_bound(pv, plo, j_all, thr - ln - cmax[d])
            if j_all < phi:
                s, comp = _nsum(s, comp, mult[a] * math.exp(tails[j_all] + log_c - ln + clz[d]))
            if j_all == j_none:
                continue
            offset = log_c - ln - cmin[d] + math.log(mult[a])
            if j_all - j_none <= hi - lo:
                jhi = hi
                for i in range(j_none, j_all):
                    # pasts ascend, so the first counted future can only move down
                    j = _lower_bound(fu, lo, jhi, thr - pv[i] - ln)
                    jhi = j
                    ls = log_suffix[base + j - lo]
                    if ls > -np.inf:
                        s, comp = _nsum(s, comp, math.exp(math.log(pw[i]) - pv[i] + offset + ls))
            else:
                end = math.exp(tails[j_all] + offset) if j_all < phi else 0.0
                if falw[d] > 0:
                    s, comp = _nsum(s, comp, falw[d] * (math.exp(tails[j_none] + offset) - end))
                ihi = j_all
                for j in range(lo, hi):
                    # futures ascend, so the first counted past can only move down
                    i = _lower_bound(pv, j_none, ihi, thr - ln - fu[j])
                    ihi = i
                    if i < j_all:
                        s, comp = _nsum(s, comp, fm[j] * (math.exp(tails[i] + offset) - end))
    return s, comp


# --------------------------------------------------------------------------- driver


class _Network:
    """Nodes per depth, arcs per layer (parent order) and the exact bounds."""

    def __init__(self, top: np.ndarray, stages: np.ndarray, lf: np.ndarray, max_arcs: int):
        k = top.size
        base = int(top.max()) + 1
        self.nodes = [top.reshape(1, k).astype(np.int64)]
        self.layers = []
        self.complete = False
        budget = max_arcs
        for s in stages[:-1]:
            parents = self.nodes[-1]
            arc_cap = _arc_bound(parents, int(s))
            if arc_cap > budget:
                return
            arc_cap = int(arc_cap)
            node_cap = min(arc_cap, 4 * parents.shape[0] + FIRST_NODE_ROOM)
            while True:
                status, daughters, *arcs = _expand(parents, int(s), lf, base, arc_cap, node_cap)
                if status == OK:
                    break
                node_cap = min(arc_cap, 4 * node_cap)
            budget -= arcs[0].size
            self.nodes.append(daughters)
            self.layers.append(tuple(arcs))
        self.complete = True
        depth = len(self.nodes) - 1
        last = lf[self.nodes[depth]].sum(axis=1)
        self.fmin, self.fmax = [last], [last]
        for (parent, child, length, _mult), parents in zip(reversed(self.layers), reversed(self.nodes[:-1])):
            lo, hi = _min_max_through_arcs(child, parent, length, self.fmin[0], self.fmax[0], parents.shape[0])
            self.fmin.insert(0, lo)
            self.fmax.insert(0, hi)
        self.pmin, self.pmax = [np.zeros(1)], [np.zeros(1)]
        for (parent, child, length, _mult), daughters in zip(self.layers, self.nodes[1:]):
            lo, hi = _min_max_through_arcs(parent, child, length, self.pmin[-1], self.pmax[-1], daughters.shape[0])
            self.pmin.append(lo)
            self.pmax.append(hi)
        # log of sum over the completions of exp(-length): closed form (multinomial identity)
        rest = np.concatenate([np.cumsum(lf[stages][::-1])[::-1], [0.0]])
        self.lz = [lf[nd.sum(axis=1)] - lf[nd].sum(axis=1) - rest[d] for d, nd in enumerate(self.nodes)]


def fisher_network_pvalue(table: np.ndarray, max_work: int, tol: float = FEXACT_TOL) -> float | None:
    """Two-sided exact p-value of an r x c table with positive margins; None beyond ``max_work``."""
    x = np.asarray(table, dtype=np.int64)
    if x.shape[0] < x.shape[1]:
        x = x.T  # stages = longer side, vector = shorter side
    k = x.shape[1]
    n = int(x.sum())
    lf = log_factorials(n)
    # largest stages first: over the benchmark tables this meets in cheaper layers than
    # FEXACT's smallest-first order (the p-value does not depend on the order)
    stages = np.sort(x.sum(axis=1))[::-1].copy()
    top = np.sort(x.sum(axis=0))
    if (k - 1) * math.log2(int(top.max()) + 1) >= 62:
        return None  # node keys would overflow int64
    thr = float(lf[x].sum()) - tol
    log_c = float(lf[top].sum() + lf[stages].sum() - lf[n])
    net = _Network(top, stages, lf, min(max_work, MAX_ENTRIES))
    if not net.complete:
        return None
    work = sum(layer[0].size for layer in net.layers)
    total, comp = 0.0, 0.0
    f, b = 0, len(net.nodes) - 1
    pst, pv, pw = np.array([0, 1], dtype=np.int64), np.zeros(1), np.ones(1)
    fst, fu, fm, falw = _last_futures(net.nodes[b], lf, net.pmin[b], net.pmax[b], thr)
    while b - f > 1:
        parent = net.layers[f][0]
        child = net.layers[b - 1][1]
        forward_cost = int(np.diff(pst)[parent].sum())
        backward_cost = int((np.diff(fst) + 1)[child].sum())
        if forward_cost <= backward_cost:
            status, s, c, pst, pv, pw, spent = _forward(
                pst, pv, pw, *net.layers[f], net.nodes[f + 1].shape[0], net.fmin[f + 1], net.fmax[f + 1],
                net.lz[f + 1], log_c, thr, min(max_work - work, MAX_ENTRIES))
            total, comp = total + s, comp + c
            f += 1
        else:
            status, fst, fu, fm, falw, spent = _backward(
                fst, fu, fm, falw, *net.layers[b - 1], net.nodes[b - 1].shape[0], net.pmin[b - 1],
                net.pmax[b - 1], net.fmin[b - 1], net.fmin[b], thr, min(max_work - work, MAX_ENTRIES))
            b -= 1
        work += spent
        if status != OK:
            return None
    parent, child = net.layers[f][0], net.layers[f][1]
    if work + int(np.minimum(np.diff(pst)[parent], np.diff(fst)[child] + 1).sum()) > max_work:
        return None
    s, c = _join(pst, pv, pw, fst, fu, fm, falw, *net.layers[f], net.nodes[b].shape[0],
                 net.fmin[b], net.fmax[b], net.lz[b], log_c, thr)
    return float((total + s) + (comp + c))
