"""Reconstruct the answers to one 1-10 barrier item from its published summaries.

Targets of one item: overall mean ± sd (Table 6), mean ± sd by use with the Wilcoxon p
(Table 7), mean ± sd by CPTS with the Kruskal-Wallis p (Table 8). The respondents fall in
six cells (use group x CPTS); the unknowns are x[u, g, v], the number of respondents of
cell (u, g) answering v.

Why it is solvable: once the pooled histogram h (h[v] = sum of x[., ., v]) is fixed, the
mid-ranks and the tie correction are constants, so every group size, sum, sum of
squares and rank sum is LINEAR in x. A mean ± sd printed at some precision becomes a
finite set of admissible (S, SS-range) pairs (`rounding.sum_options`); a p-value becomes
a finite set of admissible rank sums (Wilcoxon) or rank-sum pairs (Kruskal-Wallis,
whose statistic is quadratic in the rank sums: the admissible lattice points of the thin
ring are enumerated). The search runs in two stages:

A. pooled histograms are generated: the smaller use group's histogram is ENUMERATED
   among those showing its mean ± sd, the larger group's is SAMPLED (multinomial around
   a discretised beta law with that mean ± sd, seeded) and widened by neighbouring
   histograms; pairs whose pooled histogram shows the overall mean ± sd and whose
   Wilcoxon p is admissible are kept (vectorised numpy).
B. for each distinct pooled histogram, a MILP (scipy.optimize.milp / HiGHS) chooses the
   six cells: every use group and CPTS shows its mean ± sd, the users' rank sum is
   Wilcoxon-admissible and the CPTS rank sums hit an admissible Kruskal-Wallis lattice
   point. A seeded random objective picks one of the feasible splits. HiGHS runs with a
   node limit (never a time limit) so that the result does not depend on the machine.

Targets are read strictly first (the table's own precision), then with the printed
digits; only when both fail are the intervals widened (`STAGES`), and the report says so.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.stats import beta as beta_law
from scipy.stats import chi2, norm

from .rounding import SumOption, Target, sum_options, target
from .targets import BarrierTargets, MeanSd

VALUES = np.arange(1, 11)
P_MARGIN = 1e-9  # keep p-values this far inside their interval (floating-point safety)


@dataclass(frozen=True)
class Layout:
    """Respondents per cell: counts[u, g] for use level u and CPTS level g."""

    use_levels: tuple[str, ...]
    cpts_levels: tuple[str, ...]
    counts: np.ndarray

    @property
    def use_sizes(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    @property
    def cpts_sizes(self) -> np.ndarray:
        return self.counts.sum(axis=0)


@dataclass(frozen=True)
class Stage:
    """How targets are read: printed-number reading, and widening factors for p and moments."""

    reading: str
    p_factor: int = 1
    moment_factor: int = 1

    @property
    def label(self) -> str:
        text = "stricte (précision du tableau)" if self.reading == "strict" else "décimales imprimées"
        if self.p_factor > 1:
            text += f", p élargi ×{self.p_factor}"
        if self.moment_factor > 1:
            text += f", moyennes/écarts-types élargis ×{self.moment_factor}"
        return text


STAGES = (
    Stage("strict"),
    Stage("printed"),
    Stage("printed", p_factor=10),
    Stage("printed", p_factor=100),
    Stage("printed", p_factor=1000, moment_factor=3),
    Stage("printed", p_factor=5000, moment_factor=10),
)


@dataclass(frozen=True)
class ItemSpec:
    """Numeric targets of one item under one stage."""

    overall: list[SumOption]
    use: list[list[SumOption]]
    cpts: list[list[SumOption]]
    wilcoxon: Target
    kruskal: Target


@dataclass
class Budget:
    """Deterministic search effort (counts, not seconds) for one item and one stage."""

    rounds: int = 40
    min_rounds: int = 15
    samples: int = 20_000
    expansions: int = 2
    pool_cap: int = 4_000
    per_small: int = 20
    milps: int = 300
    node_limit: int = 1_000


@dataclass
class BarrierSolution:
    variable: str
    cells: np.ndarray  # x[u, g, v - 1]
    stage: Stage
    milps: int
    findings: list[str] = field(default_factory=list)


def _moment(ms: MeanSd, stage: Stage, n: int) -> list[SumOption]:
    mean = target(ms.mean, stage.reading).widened(stage.moment_factor)
    sd = target(ms.sd, stage.reading).widened(stage.moment_factor)
    return sum_options(n, mean, sd)


def item_spec(bt: BarrierTargets, layout: Layout, stage: Stage) -> ItemSpec:
    use = [_moment(bt.by_use[u], stage, int(n)) for u, n in zip(layout.use_levels, layout.use_sizes)]
    cpts = [_moment(bt.by_cpts[g], stage, int(n)) for g, n in zip(layout.cpts_levels, layout.cpts_sizes)]
    return ItemSpec(
        overall=_moment(bt.overall, stage, int(layout.counts.sum())),
        use=use,
        cpts=cpts,
        wilcoxon=target(bt.wilcoxon.p, stage.reading).widened(stage.p_factor),
        kruskal=target(bt.kruskal.p, stage.reading).widened(stage.p_factor),
    )


def _compatible(whole: list[SumOption], parts: list[list[SumOption]]) -> bool:
    """Some choice of part sums adds up to an admissible whole (S exactly, SS ranges overlapping)."""
    for combo in itertools.product(*parts):
        total = sum(o.total for o in combo)
        lo, hi = sum(o.ss_min for o in combo), sum(o.ss_max for o in combo)
        if any(w.total == total and max(lo, w.ss_min) <= min(hi, w.ss_max) for w in whole):
            return True
    return False


def unreachable(bt: BarrierTargets, layout: Layout, spec: ItemSpec) -> list[str]:
    """Proofs (in French) that no data can show these targets; empty when none is found."""
    proofs = []
    named = [(bt.overall, spec.overall)] + list(zip(bt.by_use.values(), spec.use)) + list(zip(bt.by_cpts.values(), spec.cpts))
    for ms, options in named:
        if not options:
            proofs.append(
                f"{ms.ref} : aucune série de {ms.n} notes entières de 1 à 10 n'a une moyenne qui s'arrondit à "
                f"{ms.mean.text} ET un écart-type (n − 1) qui s'arrondit à {ms.sd.text}"
            )
    if proofs:
        return proofs
    if not _compatible(spec.overall, spec.use):
        proofs.append(
            f"{bt.variable} : les sommes admissibles des utilisateurs et des non-utilisateurs (tableau 7) "
            "ne s'additionnent jamais en une somme admissible pour l'ensemble (tableau 6)"
        )
    if not _compatible(spec.overall, spec.cpts):
        proofs.append(
            f"{bt.variable} : les sommes admissibles des trois CPTS (tableau 8) ne s'additionnent jamais "
            "en une somme admissible pour l'ensemble (tableau 6)"
        )
    return proofs


def enumerate_histograms(n: int, options: list[SumOption], high: int = 10) -> np.ndarray:
    """Every histogram of n answers on 1..high whose (S, SS) is admissible (exhaustive, pruned)."""
    allowed = {o.total: (o.ss_min, o.ss_max) for o in options}
    if not allowed:
        return np.zeros((0, high), dtype=int)
    s_lo, s_hi = min(allowed), max(allowed)
    ss_hi = max(b for _a, b in allowed.values())
    out: list[list[int]] = []
    counts = [0] * high

    def walk(value: int, left: int, s: int, ss: int) -> None:
        if value == 0:
            if left == 0 and s in allowed and allowed[s][0] <= ss <= allowed[s][1]:
                out.append(counts.copy())
            return
        for k in range(left, -1, -1):
            rest = left - k
            s2, ss2 = s + k * value, ss + k * value * value
            # remaining `rest` answers take values in 1..value-1 (or none if value == 1)
            if value == 1 and rest:
                continue
            top = value - 1 if value > 1 else 0
            if s2 + rest * 1 > s_hi or s2 + rest * top < s_lo or ss2 + rest > ss_hi:
                continue
            counts[value - 1] = k
            walk(value - 1, rest, s2, ss2)
        counts[value - 1] = 0

    walk(high, n, 0, 0)
    return np.array(out, dtype=int).reshape(-1, high)


def beta_probabilities(mean: float, sd: float, rng: np.random.Generator, jitter: float = 0.35) -> np.ndarray:
    """Probabilities of 1..10 from a beta law with roughly that mean and sd, shape jittered by the seed."""
    mu = min(max((mean - 0.5) / 10, 0.02), 0.98)
    var = (sd / 10) ** 2
    k = max(mu * (1 - mu) / var - 1, 0.3)
    a = mu * k * np.exp(rng.normal(0, jitter))
    b = (1 - mu) * k * np.exp(rng.normal(0, jitter))
    p = np.diff(beta_law.cdf(np.linspace(0, 1, 11), a, b))
    p = np.clip(p, 1e-6, None)
    return p / p.sum()


def _admissible_rows(hist: np.ndarray, options: list[SumOption]) -> np.ndarray:
    s, ss = hist @ VALUES, hist @ VALUES**2
    ok = np.zeros(len(hist), dtype=bool)
    for o in options:
        ok |= (s == o.total) & (ss >= o.ss_min) & (ss <= o.ss_max)
    return ok


def _inside(p: np.ndarray, t: Target) -> np.ndarray:
    return (p > float(t.lo) + P_MARGIN) & (p < float(t.hi) - P_MARGIN)


def wilcoxon_p(large: np.ndarray, small: np.ndarray) -> np.ndarray:
    """R's wilcox.test p (normal approximation, tie and continuity corrections), row-wise.

    `large` (M x 10) and `small` (10) are histograms of the two groups; p is symmetric in them.
    """
    pooled = large + small
    ranks = np.cumsum(pooled, axis=1) - pooled + (pooled + 1) / 2
    n_x, n_y = large.sum(axis=1), small.sum()
    n = n_x + n_y
    z = (large * ranks).sum(axis=1) - n_x * (n_x + 1) / 2 - n_x * n_y / 2
    ties = (pooled**3 - pooled).sum(axis=1)
    sigma = np.sqrt((n_x * n_y / 12) * ((n + 1) - ties / (n * (n - 1))))
    z = (z - np.sign(z) * 0.5) / sigma
    return 2 * norm.sf(np.abs(z))


def kruskal_pairs(pooled: np.ndarray, sizes: np.ndarray, t: Target) -> list[tuple[int, ...]]:
    """Admissible doubled rank sums (2R_1, ..., 2R_{k-1}) of the first k-1 groups, for a pooled histogram.

    The Kruskal-Wallis statistic only depends on the rank sums once the pooled histogram
    is fixed; this enumerates the lattice of doubled rank sums (integers) and keeps the
    points whose p lies inside the target interval.
    """
    n = int(pooled.sum())
    ranks2 = np.repeat(2 * (np.cumsum(pooled) - pooled + (pooled + 1) / 2), pooled).astype(int)
    ties = float((pooled.astype(float) ** 3 - pooled).sum())
    total = int(ranks2.sum())
    axes = [np.arange(ranks2[:m].sum(), ranks2[-m:].sum() + 1) for m in sizes[:-1]]
    grids = np.meshgrid(*axes, indexing="ij")
    last = total - sum(grids)
    stat = sum((g / 2.0) ** 2 / m for g, m in zip(grids, sizes[:-1])) + (last / 2.0) ** 2 / sizes[-1]
    h = (12 * stat / (n * (n + 1)) - 3 * (n + 1)) / (1 - ties / (n**3 - n))
    ok = _inside(chi2.sf(h, len(sizes) - 1), t)
    return [tuple(int(g[idx]) for g in grids) for idx in zip(*np.nonzero(ok))]


MAX_PAIRS = 2_000  # only reached with widened targets; keeps the MILP small


class _Model:
    """Sparse MILP builder: integer variables, rows lo <= a.x <= hi."""

    def __init__(self) -> None:
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def add_vars(self, count: int, ub: float) -> list[int]:
        start = len(self.lb)
        self.lb += [0.0] * count
        self.ub += [float(ub)] * count
        return list(range(start, start + count))

    def add_row(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        self.rows.append((coefs, lo, hi))

    def one_hot(self, count: int) -> list[int]:
        z = self.add_vars(count, 1)
        self.add_row({j: 1.0 for j in z}, 1, 1)
        return z

    def solve(self, cost: np.ndarray, node_limit: int) -> np.ndarray | None:
        a = sparse.lil_matrix((len(self.rows), len(self.lb)))
        for i, (coefs, _lo, _hi) in enumerate(self.rows):
            for j, v in coefs.items():
                a[i, j] = v
        lo = np.array([r[1] for r in self.rows], dtype=float)
        hi = np.array([r[2] for r in self.rows], dtype=float)
        full_cost = np.zeros(len(self.lb))
        full_cost[: len(cost)] = cost
        res = milp(
            full_cost,
            constraints=LinearConstraint(a.tocsr(), lo, hi),
            integrality=np.ones(len(self.lb)),
            bounds=Bounds(self.lb, self.ub),
            options={"disp": False, "node_limit": node_limit, "presolve": True},
        )
        return None if res.x is None else np.round(res.x).astype(int)


def _moment_rows(model: _Model, var: dict[int, float], squares: dict[int, float], options: list[SumOption]) -> None:
    """Group sum S and sum of squares SS restricted to one admissible option (one-hot)."""
    z = model.one_hot(len(options))
    model.add_row({**var, **{j: -o.total for j, o in zip(z, options)}}, 0, 0)
    model.add_row({**squares, **{j: -o.ss_min for j, o in zip(z, options)}}, 0, np.inf)
    model.add_row({**squares, **{j: -o.ss_max for j, o in zip(z, options)}}, -np.inf, 0)


def wilcoxon_sums(pooled: np.ndarray, n_x: int, t: Target) -> list[int]:
    """Admissible doubled rank sums 2R_x of a group of n_x, for a pooled histogram."""
    ranks2 = np.repeat(2 * (np.cumsum(pooled) - pooled + (pooled + 1) / 2), pooled).astype(int)
    n = int(pooled.sum())
    n_y = n - n_x
    sums = np.arange(ranks2[:n_x].sum(), ranks2[-n_x:].sum() + 1)
    ties = float((pooled.astype(float) ** 3 - pooled).sum())
    z = sums / 2 - n_x * (n_x + 1) / 2 - n_x * n_y / 2
    sigma = np.sqrt((n_x * n_y / 12) * ((n + 1) - ties / (n * (n - 1))))
    p = 2 * norm.sf(np.abs((z - np.sign(z) * 0.5) / sigma))
    return [int(s) for s in sums[_inside(p, t)]]


def split_cells(
    pooled: np.ndarray,
    layout: Layout,
    spec: ItemSpec,
    rng: np.random.Generator,
    node_limit: int,
) -> np.ndarray | None:
    """Stage B: x[u, g, v] with cell sizes layout.counts and pooled histogram `pooled`, such that
    every use group and CPTS shows its mean ± sd, the first use group's rank sum is Wilcoxon-
    admissible and the CPTS rank sums form an admissible Kruskal-Wallis lattice point.
    None when HiGHS finds no such split within the node limit."""
    n_use, n_cpts = layout.counts.shape
    ranks2 = 2 * (np.cumsum(pooled) - pooled + (pooled + 1) / 2)
    pairs = kruskal_pairs(pooled, layout.cpts_sizes, spec.kruskal)
    wsums = wilcoxon_sums(pooled, int(layout.use_sizes[0]), spec.wilcoxon)
    if not pairs or not wsums:
        return None
    if len(pairs) > MAX_PAIRS:
        pairs = [pairs[i] for i in np.sort(rng.permutation(len(pairs))[:MAX_PAIRS])]
    model = _Model()
    x = np.array(model.add_vars(n_use * n_cpts * 10, int(layout.counts.max()))).reshape(n_use, n_cpts, 10)
    for u in range(n_use):
        for g in range(n_cpts):
            model.add_row({int(j): 1.0 for j in x[u, g]}, layout.counts[u, g], layout.counts[u, g])
    for v in range(10):
        model.add_row({int(j): 1.0 for j in x[:, :, v].ravel()}, pooled[v], pooled[v])
    for u in range(n_use):
        cell = [(int(x[u, g, v]), v) for g in range(n_cpts) for v in range(10)]
        _moment_rows(model, {j: VALUES[v] for j, v in cell}, {j: VALUES[v] ** 2 for j, v in cell}, spec.use[u])
    for g in range(n_cpts):
        cell = [(int(x[u, g, v]), v) for u in range(n_use) for v in range(10)]
        _moment_rows(model, {j: VALUES[v] for j, v in cell}, {j: VALUES[v] ** 2 for j, v in cell}, spec.cpts[g])
    z = model.one_hot(len(wsums))
    coefs = {int(x[0, g, v]): float(ranks2[v]) for g in range(n_cpts) for v in range(10)}
    coefs.update({j: -float(s) for j, s in zip(z, wsums)})
    model.add_row(coefs, 0, 0)
    z = model.one_hot(len(pairs))
    for g in range(n_cpts - 1):
        coefs = {int(x[u, g, v]): float(ranks2[v]) for u in range(n_use) for v in range(10)}
        coefs.update({j: -float(pair[g]) for j, pair in zip(z, pairs)})
        model.add_row(coefs, 0, 0)
    solution = model.solve(rng.random(x.size), node_limit)
    return None if solution is None else solution[: x.size].reshape(n_use, n_cpts, 10)


def _moves() -> np.ndarray:
    """Histogram moves that keep the group sum: one answer up one point, another down one point."""
    moves = []
    for up in range(9):
        for down in range(1, 10):
            move = np.zeros(10, dtype=int)
            move[up] -= 1
            move[up + 1] += 1
            move[down] -= 1
            move[down - 1] += 1
            if move.any():
                moves.append(move)
    return np.unique(np.array(moves), axis=0)


MOVES = _moves()


def _expand(pool: np.ndarray, keep, rng: np.random.Generator, cap: int) -> np.ndarray:
    """Pool plus its admissible neighbours (one move away); at most `cap` rows, chosen by the seed."""
    if len(pool) > cap:
        pool = pool[np.sort(rng.permutation(len(pool))[:cap])]
    near = (pool[:, None, :] + MOVES[None, :, :]).reshape(-1, 10)
    near = near[(near >= 0).all(axis=1)]
    near = near[keep(near)]
    return np.unique(np.concatenate([pool, near]), axis=0)


def _use_histograms(
    bt: BarrierTargets, layout: Layout, spec: ItemSpec, small_hist: np.ndarray, rng: np.random.Generator, budget: Budget
) -> np.ndarray:
    """Stage A for one small-group histogram: large-group histograms meeting Tables 6-7.

    Multinomial samples around a seeded beta law with the large group's mean ± sd, kept
    when they show that mean ± sd and, pooled with `small_hist`, the overall one; then
    widened by neighbouring histograms (same sums) so that the Wilcoxon p, which moves in
    small steps, can land in its narrow interval. Returned in a seeded random order.
    """
    large = int(np.argmax(layout.use_sizes))
    ms = bt.by_use[layout.use_levels[large]]

    def keep(rows: np.ndarray) -> np.ndarray:
        return _admissible_rows(rows, spec.use[large]) & _admissible_rows(rows + small_hist, spec.overall)

    probs = beta_probabilities(ms.mean.value, ms.sd.value, rng)
    pool = rng.multinomial(int(layout.use_sizes[large]), probs, size=budget.samples)
    pool = pool[keep(pool)]
    if not len(pool):
        return pool
    pool = np.unique(pool, axis=0)
    for _ in range(budget.expansions):
        pool = _expand(pool, keep, rng, budget.pool_cap)
    pool = pool[_inside(wilcoxon_p(pool, small_hist), spec.wilcoxon)]
    return pool[rng.permutation(len(pool))]


def search(bt: BarrierTargets, layout: Layout, spec: ItemSpec, rng: np.random.Generator, budget: Budget) -> tuple[np.ndarray | None, int]:
    """Stages A and B under one reading; returns (cells or None, MILPs solved).

    Each distinct pooled histogram is tried once; the round loop stops early when a
    round brings no new histogram (the neighbourhood of the targets is exhausted).
    """
    small = int(np.argmin(layout.use_sizes))
    smalls = enumerate_histograms(int(layout.use_sizes[small]), spec.use[small])
    seen: set[tuple[int, ...]] = set()
    milps = 0
    for _round in range(budget.rounds):
        fresh = 0
        for small_hist in smalls[rng.permutation(len(smalls))]:
            for large_hist in _use_histograms(bt, layout, spec, small_hist, rng, budget)[: budget.per_small]:
                pooled = small_hist + large_hist
                if tuple(pooled) in seen:
                    continue
                seen.add(tuple(pooled))
                fresh += 1
                milps += 1
                cells = split_cells(pooled, layout, spec, rng, budget.node_limit)
                if cells is not None:
                    return cells, milps
                if milps >= budget.milps:
                    return None, milps
        if fresh == 0 and _round >= budget.min_rounds:
            break
    return None, milps


def solve_item(
    bt: BarrierTargets,
    layout: Layout,
    seed: int,
    budget: Budget | None = None,
    stages: tuple[Stage, ...] = STAGES,
) -> BarrierSolution | None:
    """Cells of one barrier item under the first of `stages` for which the search succeeds.

    Each stage's proofs of unreachability and search failures are kept as findings
    (in French) on the returned solution; None when every stage fails.
    """
    budget = budget or Budget()
    findings: list[str] = []
    total = 0
    for stage in stages:
        spec = item_spec(bt, layout, stage)
        proofs = unreachable(bt, layout, spec)
        if proofs:
            findings += [f"[{stage.label}] {p}" for p in proofs]
            continue
        rng = np.random.default_rng([seed, STAGES.index(stage)])
        cells, milps = search(bt, layout, spec, rng, budget)
        total += milps
        if cells is not None:
            return BarrierSolution(bt.variable, cells, stage, total, findings)
        findings.append(f"[{stage.label}] {bt.variable} : pas de solution trouvée dans le budget de recherche ({milps} MILP)")
    return None
