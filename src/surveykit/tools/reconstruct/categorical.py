"""Closed categorical answers with exact published counts, joint structure drawn from the seed.

Published cross-tabulations fix the counts per group (CPTS for Table 2, use for Table 5)
but not the joint distribution across variables. Labels are dealt to respondents with
`deal`: a seeded ranking of the respondents (a latent score plus noise) receives the
label multiset in a chosen order, so counts are exact while plausible associations
(younger doctors among the replacements, fewer consultations outside private practice)
appear. Without a score the deal is a plain seeded permutation.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .targets import RankTarget


def deal(
    counts: Mapping[str, int],
    order: Sequence[str],
    rng: np.random.Generator,
    score: np.ndarray | None = None,
    noise: float = 1.0,
) -> np.ndarray:
    """Labels for len(score) respondents: `counts[label]` copies of each label of `order`, given in
    that order to the respondents sorted by score + noise (ascending)."""
    unknown = sorted(level for level, k in counts.items() if k and level not in order)
    if unknown:
        raise ValueError(f"labels {unknown} are not among the levels {list(order)}")
    labels = np.repeat(np.array(list(order), dtype=object), [counts.get(level, 0) for level in order])
    n = len(labels) if score is None else len(score)
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} respondents")
    noisy = rng.normal(size=n) if score is None else score + noise * rng.normal(size=n)
    out = np.empty(n, dtype=object)
    out[np.argsort(noisy, kind="stable")] = labels
    return out


@dataclass(frozen=True)
class Coupling:
    """A profile variable dealt along a latent score: levels in `order` go to increasing scores."""

    latent: str
    noise: float
    order: tuple[str, ...] | None = None


# Reconstruction choices (not published): which profile answers go together.
PROFILE_COUPLINGS: dict[str, Coupling] = {
    "age": Coupling("seniority", 0.5),
    "mode_exercice": Coupling("seniority", 0.8, ("Remplaçant", "Libéral", "Autres : EHPAD, PMI")),
    "actes": Coupling("activity", 0.6),
    "universitaire": Coupling("seniority", 1.5, ("Non", "Oui")),
}


def deal_profile(
    profile: Mapping[str, Mapping[str, Mapping[str, int]]],
    levels: Mapping[str, Sequence[str]],
    members: Mapping[str, np.ndarray],
    n: int,
    rng: np.random.Generator,
    couplings: Mapping[str, Coupling] = PROFILE_COUPLINGS,
) -> dict[str, np.ndarray]:
    """Table 2: for each variable and CPTS, exactly the published counts among that CPTS' members.

    `members[cpts]` holds respondent indices; latent scores are shared across variables so
    that coupled variables are associated (seniority: age, replacement, academic activity;
    activity: weekly consultations, lower outside private practice).
    """
    latent = {"seniority": rng.normal(size=n), "activity": rng.normal(size=n)}
    out: dict[str, np.ndarray] = {}
    for variable in sorted(profile, key=lambda v: (v == "actes", v)):  # actes after mode_exercice
        column = np.empty(n, dtype=object)
        coupling = couplings.get(variable)
        for group, idx in members.items():
            counts = profile[variable][group]
            if coupling is None:
                column[idx] = deal(counts, levels[variable], rng)
                continue
            score = latent[coupling.latent][idx].copy()
            if variable == "actes" and "mode_exercice" in out:
                score -= 1.5 * (out["mode_exercice"][idx] != "Libéral")
            column[idx] = deal(counts, coupling.order or levels[variable], rng, score, coupling.noise)
        out[variable] = column
    return out


def draw_layouts(
    cpts_sizes: Mapping[str, int], use_sizes: Mapping[str, int], rng: np.random.Generator, count: int
) -> list[np.ndarray]:
    """Up to `count` distinct use x CPTS cross-tabs (rows: use levels, columns: CPTS levels) with the
    published margins, each drawn as a random split (hypergeometric), in seeded order."""
    cpts = np.repeat(np.arange(len(cpts_sizes)), list(cpts_sizes.values()))
    uses = np.repeat(np.arange(len(use_sizes)), list(use_sizes.values()))
    layouts: list[np.ndarray] = []
    for _ in range(50 * count):
        table = np.zeros((len(use_sizes), len(cpts_sizes)), dtype=int)
        np.add.at(table, (uses, cpts[rng.permutation(len(cpts))]), 1)
        if not any(np.array_equal(table, seen) for seen in layouts):
            layouts.append(table)
        if len(layouts) == count:
            break
    return layouts


def deal_use(cpts: np.ndarray, layout: np.ndarray, use_levels: Sequence[str], cpts_levels: Sequence[str],
             rng: np.random.Generator) -> np.ndarray:
    """Use status of each respondent: layout[u, g] respondents of CPTS g get use level u (random members)."""
    use = np.empty(len(cpts), dtype=object)
    for g, level in enumerate(cpts_levels):
        idx = np.flatnonzero(cpts == level)
        use[idx] = deal(dict(zip(use_levels, layout[:, g].tolist())), use_levels, rng)
    return use


# Reconstruction choices: how likely each method is at a given position (Plackett-Luce weights)
# and how many methods a respondent ranks when no published count forces it.
RANK_WEIGHTS = {
    "Oui": {"recours_plateforme": 4.0, "recours_appel_sms": 3.0, "recours_mail": 2.0, "recours_secretariat": 1.5, "recours_fax": 0.3},
    "Non": {"recours_secretariat": 3.0, "recours_appel_sms": 3.0, "recours_mail": 1.5, "recours_plateforme": 1.0, "recours_fax": 0.3},
}
RANKED_COUNT_PROBS = {1: 0.05, 2: 0.1, 3: 0.15, 4: 0.2, 5: 0.5}


def _ranking(
    items: Sequence[str],
    fixed: Mapping[int, str],
    forbidden: Mapping[int, set[str]],
    weights: Mapping[str, float],
    rng: np.random.Generator,
) -> dict[str, int]:
    """One respondent's ranks 1..k: positions in `fixed` hold their item, `forbidden[r]` never at rank r."""
    top = len(items)
    k_min = max(fixed, default=1)
    if top in fixed:
        k = top
    else:
        ks = [k for k in RANKED_COUNT_PROBS if k_min <= k <= top]
        probs = np.array([RANKED_COUNT_PROBS[k] for k in ks])
        k = int(rng.choice(ks, p=probs / probs.sum()))
    for _attempt in range(100):
        left = [i for i in items if i not in fixed.values()]
        ranks: dict[str, int] = {}
        for position in range(1, k + 1):
            if position in fixed:
                ranks[fixed[position]] = position
                continue
            pool = [i for i in left if i not in forbidden.get(position, set())]
            if not pool:
                break
            w = np.array([weights.get(i, 1.0) for i in pool])
            pick = pool[int(rng.choice(len(pool), p=w / w.sum()))]
            ranks[pick] = position
            left.remove(pick)
        else:
            return ranks
    raise ValueError("no ranking satisfies the published constraints")


def deal_ranks(
    items: Sequence[str],
    use: np.ndarray,
    targets: Sequence[RankTarget],
    rng: np.random.Generator,
    weights: Mapping[str, Mapping[str, float]] = RANK_WEIGHTS,
) -> dict[str, np.ndarray]:
    """Grid ranks (1..k for the k methods ticked) with exactly the published (group, rank, item) counts.

    For each published count, that many respondents of the group are drawn to give the item
    that rank; every other respondent of the group is forbidden to.
    """
    n = len(use)
    fixed: list[dict[int, str]] = [{} for _ in range(n)]
    forbidden: list[dict[int, set[str]]] = [{} for _ in range(n)]
    for t in sorted(targets, key=lambda t: (t.group, t.rank, t.variable)):
        members = np.flatnonzero(use == t.group)
        free = [i for i in members if t.rank not in fixed[i]]
        if len(free) < t.n:
            raise ValueError(f"{t.ref}: {t.n} respondents needed, {len(free)} available")
        chosen = set(rng.choice(free, size=t.n, replace=False).tolist())
        for i in members:
            if i in chosen:
                fixed[i][t.rank] = t.variable
            else:
                forbidden[i].setdefault(t.rank, set()).add(t.variable)
    out = {item: np.full(n, None, dtype=object) for item in items}
    for i in range(n):
        ranking = _ranking(items, fixed[i], forbidden[i], weights.get(use[i], {}), rng)
        for item, rank in ranking.items():
            out[item][i] = rank
    return out


def deal_by_group(
    counts: Mapping[str, Mapping[str, int]], order: Sequence[str], group: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Exactly `counts[g][label]` answers in each group g (Table 5); unpublished remainders stay empty."""
    out = np.full(len(group), None, dtype=object)
    for g, by_label in counts.items():
        idx = np.flatnonzero(group == g)
        missing = len(idx) - sum(by_label.values())
        if missing < 0:
            raise ValueError(f"group {g!r}: {sum(by_label.values())} answers published for {len(idx)} respondents")
        labels = np.concatenate([deal(by_label, order, rng), np.full(missing, None, dtype=object)])
        out[idx] = labels[rng.permutation(len(idx))]
    return out


def deal_knowledge(
    connait: Mapping[str, int], forme: Mapping[str, int], use: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Table 4 counts of connait_tle and forme_tle.

    Plausibility (reconstruction choices): whoever does not know tele-expertise is a
    non-user and was not trained ("Non"); training ("Oui") goes preferably to users.
    """
    n = len(use)
    non_users = np.flatnonzero(use == "Non")
    unaware = connait.get("Non", 0)
    if unaware > len(non_users):
        raise ValueError(f"{unaware} respondents do not know tele-expertise but only {len(non_users)} are non-users")
    connait_col = np.full(n, "Oui", dtype=object)
    unaware_idx = rng.choice(non_users, size=unaware, replace=False)
    connait_col[unaware_idx] = "Non"
    forme_col = np.empty(n, dtype=object)
    forme_col[unaware_idx] = "Non"
    rest = np.setdiff1d(np.arange(n), unaware_idx)
    counts = dict(forme)
    counts["Non"] = counts.get("Non", 0) - unaware
    score = np.where(use[rest] == "Oui", 0.0, 1.0)
    forme_col[rest] = deal(counts, ("Oui", "Pas suffisamment", "Non"), rng, score, noise=1.2)
    return {"connait_tle": connait_col, "forme_tle": forme_col}
