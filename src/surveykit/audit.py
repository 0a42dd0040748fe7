"""Audit of the published numbers themselves, before any raw data is looked at.

Each check uses only the numbers the publication prints (surveykit.published) and arithmetic:
  - percentages against their counts and denominators (R's sprintf("%.1f") rounding);
  - GRIM (is the mean possible for n integer answers?) and an exact GRIMMER (are mean AND
    sample SD possible together for n integer answers in 1..10?);
  - subgroup means/SDs against the overall mean/SD, margins against subgroup sums, group sizes,
    sums of counts, rank order, numbers repeated between text and tables;
  - the lattice left by Monte-Carlo p-values: R's simulate.p.value returns (1 + X)/(B + 1),
    so every simulated p-value is a multiple of 1/(B + 1) (detect_mc_lattice);
  - p-values printed twice on different rows (possible copy error);
  - Fisher p-values recomputed exactly from the published counts (surveykit.stats.rtests).

Rounding boundaries are treated as closed intervals: a true value exactly halfway between two
printed values could have been rounded either way, so the audit never flags it.
audit_published() returns one row per check: ref, check, published, recomputed, status,
explanation (French).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .published import NEAR_MARGIN, REF_SEPARATOR, PublishedItem, PubNumber, parse_fr_exact
from .distributions import binom_cdf, binom_sf
from .report.prose import plural

COLUMNS = ["ref", "check", "published", "recomputed", "status", "explanation"]
OK, CHECK, INCONSISTENT, INFO, UNTESTABLE = "ok", "à vérifier", "incohérent", "info", "non testable"
SCALE_MIN, SCALE_MAX = 1, 10
LATTICE_ALPHA = 0.01
MC_CHECK, MC_INCONSISTENT = 0.05, 0.01  # two-sided binomial tail thresholds for Monte-Carlo p-values
NBSP = "\u00a0"

Exact = tuple[Fraction, int]  # a printed number: exact value and its number of decimals


# ----------------------------------------------------------------------------- numbers

def as_exact(number: str | PubNumber | tuple[float, int] | Exact) -> Exact:
    """(exact value, decimals) of a French text, a PubNumber (its table precision) or (value, digits)."""
    if isinstance(number, PubNumber):
        return number.exact, number.round_to
    if isinstance(number, str):
        return parse_fr_exact(number)
    value, digits = number
    if isinstance(value, Fraction):
        return value, int(digits)
    return Fraction(round(value * 10**digits), 10**digits), int(digits)


def round_half_even(value: Fraction, digits: int) -> Fraction:
    """Exact rounding, ties to even (what R's sprintf does on exactly representable ties: 6,25 -> 6,2)."""
    return Fraction(round(value * 10**digits), 10**digits)


def fr(value: Fraction | float, digits: int) -> str:
    """French text of a value rounded half-to-even: fr(Fraction(25, 4), 1) == '6,2'."""
    rounded = round_half_even(Fraction(value), digits)
    sign = "-" if rounded < 0 else ""
    scaled = abs(rounded.numerator * 10**digits // rounded.denominator)
    whole, decimals = divmod(scaled, 10**digits)
    return sign + str(whole) + ("," + str(decimals).zfill(digits) if digits else "")


def _interval(number: Exact) -> tuple[Fraction, Fraction]:
    value, digits = number
    half = Fraction(1, 2 * 10**digits)
    return value - half, value + half


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


# ------------------------------------------------------------------------- percentages

def percent_of(count: int, denominator: int, digits: int = 1) -> Fraction:
    """100 * count / denominator rounded half-to-even, as R's sprintf('%.1f') prints it."""
    return round_half_even(Fraction(100 * count, denominator), digits)


def percentage_status(count: int, denominator: int, pct: str | PubNumber | Exact, qualifier: str | None = None) -> str:
    """OK when the printed percentage is the count over the denominator at its precision.

    A tie rounded upwards (6,25 printed 6,3, not R's 6,2) is CHECK; any other gap INCONSISTENT.
    With a qualifier ("plus de 90 %"), the percentage is a strict bound.
    """
    value, digits = as_exact(pct)
    exact = Fraction(100 * count, denominator)
    if qualifier == "plus de":
        return OK if exact > value else INCONSISTENT
    if qualifier == "moins de":
        return OK if exact < value else INCONSISTENT
    if qualifier == "près de":
        return OK if value - NEAR_MARGIN <= exact <= value else INCONSISTENT
    if percent_of(count, denominator, digits) == value:
        return OK
    low, high = _interval((value, digits))
    return CHECK if low <= exact <= high else INCONSISTENT


def achievable_counts(pct: str | PubNumber | Exact, denominator: int) -> list[int]:
    """Counts c in 0..denominator whose percentage rounds to the printed one (GRIM for percentages)."""
    low, high = _interval(as_exact(pct))
    return [c for c in range(denominator + 1) if low <= Fraction(100 * c, denominator) <= high]


# ------------------------------------------------------------------------ GRIM, GRIMMER

def grim_sums(mean: str | PubNumber | Exact, n: int, lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> list[int]:
    """Integer sums S of n answers in lo..hi whose mean S/n rounds to the printed mean."""
    low, high = _interval(as_exact(mean))
    return list(range(max(lo * n, _ceil(low * n)), min(hi * n, _floor(high * n)) + 1))


def grim(mean: str | PubNumber | Exact, n: int, lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> bool:
    """GRIM test (Brown & Heathers 2017): can n integer answers have this mean?"""
    return bool(grim_sums(mean, n, lo, hi))


def grim_informative(mean: str | PubNumber | Exact, n: int) -> bool:
    """GRIM can fail only when n < 10^decimals (otherwise every printed mean is reachable)."""
    return n < 10 ** as_exact(mean)[1]


@lru_cache(maxsize=64)
def _square_sums(n: int, lo: int, hi: int) -> tuple[int, ...]:
    """For each sum S (index S), a bit mask of the sums of squares Q reachable by n answers in lo..hi.

    Exact dynamic programme over multisets: the sets are small (n <= a few hundred, Q < hi² n).
    """
    top = hi * n
    reach = [[0] * (top + 1) for _ in range(n + 1)]
    reach[0][0] = 1
    for value in range(lo, hi + 1):
        square = value * value
        for count in range(1, n + 1):
            previous, current = reach[count - 1], reach[count]
            for total in range(value, hi * count + 1):
                if previous[total - value]:
                    current[total] |= previous[total - value] << square
    return tuple(reach[n])


def grimmer_pairs(mean: str | PubNumber | Exact, sd: str | PubNumber | Exact, n: int,
                  lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> list[tuple[int, int]]:
    """(sum, sum of squares) of n answers in lo..hi giving the printed mean and sample SD (n - 1).

    Exact version of GRIMMER (Anaya 2016): instead of its bounds and parity rule, every
    (S, Q) is checked for being reachable by an actual multiset of answers.
    """
    if n < 2:
        raise ValueError("a sample SD needs n >= 2")
    sd_low, sd_high = _interval(as_exact(sd))
    sd_low = max(sd_low, Fraction(0))
    masks = _square_sums(n, lo, hi)
    pairs = []
    for total in grim_sums(mean, n, lo, hi):
        q_min = _ceil((total * total + n * (n - 1) * sd_low * sd_low) / n)
        q_max = _floor((total * total + n * (n - 1) * sd_high * sd_high) / n)
        mask = masks[total] >> q_min if q_max >= q_min else 0
        pairs.extend((total, q_min + shift) for shift in range(q_max - q_min + 1) if mask >> shift & 1)
    return pairs


def grimmer(mean: str | PubNumber | Exact, sd: str | PubNumber | Exact, n: int,
            lo: int = SCALE_MIN, hi: int = SCALE_MAX) -> bool:
    """Are the printed mean and SD possible together for n integer answers in lo..hi?"""
    return bool(grimmer_pairs(mean, sd, n, lo, hi))


def combine_pairs(groups: Sequence[Iterable[tuple[int, int]]]) -> set[tuple[int, int]]:
    """All (S, Q) of the union of disjoint groups, each group taking one of its feasible (S, Q)."""
    combined = {(0, 0)}
    for pairs in groups:
        combined = {(s + gs, q + gq) for s, q in combined for gs, gq in set(pairs)}
    return combined


# ------------------------------------------------------------------- Monte-Carlo lattice

@dataclass(frozen=True)
class LatticeResult:
    """Outcome of detect_mc_lattice (see its docstring)."""

    p_values: tuple[Exact, ...]
    best_b: int | None
    fitting_round_b: tuple[int, ...]
    fitting_b: tuple[int, ...]
    n_informative: int
    fraction_fitting: float
    chance_best: float | None
    chance_bound: float | None
    detected: bool


def _fits(a: np.ndarray | int, digits: int, m: np.ndarray | int) -> np.ndarray:
    """Does a multiple k/m (1 <= k <= m) lie in the rounding interval of a / 10^digits?"""
    a, m = np.asarray(a, dtype=np.int64), np.asarray(m, dtype=np.int64)
    den = 2 * 10**digits
    k_min = np.maximum(1, -((-(2 * a - 1) * m) // den))
    k_max = np.minimum(m, ((2 * a + 1) * m) // den)
    return k_min <= k_max


@lru_cache(maxsize=4096)
def _chance_one(b: int, digits: int) -> float:
    """Share of all printed values 0, 10^-d, ..., 1 that lie on the lattice k/(b + 1)."""
    return float(_fits(np.arange(10**digits + 1), digits, b + 1).mean())


def lattice_chance(b: int, p_values: Iterable[Exact]) -> float:
    """Probability that random p-values, printed at the same precisions, all fit 1/(b + 1)."""
    return math.prod(_chance_one(b, digits) for _, digits in p_values)


def is_round(b: int) -> bool:
    """One significant digit (100, 2000, 5000, 10000): the B people type in simulate.p.value."""
    while b % 10 == 0 and b >= 10:
        b //= 10
    return b < 10


def detect_mc_lattice(p_values: Sequence[tuple[float, int]] | Sequence[Exact],
                      b_candidates: Iterable[int] = range(100, 100001),
                      alpha: float = LATTICE_ALPHA) -> LatticeResult:
    """Find a common B such that every p-value is k/(B + 1) at its printed precision.

    R's fisher.test / chisq.test with simulate.p.value = TRUE return (1 + X)/(B + 1). B is
    discovered from the data. Only B with 1/(B + 1) coarser than the finest printed precision
    are informative (finer lattices fit any printed value). Reported:
      best_b           smallest "round" B (one significant digit) that fits all values;
      fitting_b        every informative candidate B <= 10000 that fits all values;
      fraction_fitting share of informative candidates that fit;
      chance_best      probability that random p-values (at the same precisions) fit best_b;
      chance_bound     Bonferroni bound on the probability that random p-values fit any round
                       B <= best_b, the look-elsewhere-corrected evidence;
      detected         best_b exists and chance_bound <= alpha.
    Identical values are counted once (a repeated value is no new evidence).
    """
    values = tuple(sorted({as_exact(p) for p in p_values}))
    if not values:
        raise ValueError("no p-value to test")
    finest = max(digits for _, digits in values)
    candidates = np.array(sorted(b for b in set(b_candidates) if b + 1 < 10**finest), dtype=np.int64)
    fit = np.ones(candidates.shape, dtype=bool)
    for value, digits in values:
        fit &= _fits(int(value * 10**digits), digits, candidates + 1)
    fitting = [int(b) for b in candidates[fit]]
    round_fitting = tuple(b for b in fitting if is_round(b))
    best = round_fitting[0] if round_fitting else None
    chance_best = lattice_chance(best, values) if best is not None else None
    bound = None
    if best is not None:
        bound = min(1.0, sum(lattice_chance(int(b), values) for b in candidates if is_round(int(b)) and b <= best))
    return LatticeResult(
        p_values=values,
        best_b=best,
        fitting_round_b=round_fitting,
        fitting_b=tuple(b for b in fitting if b <= 10000),
        n_informative=len(candidates),
        fraction_fitting=(len(fitting) / len(candidates)) if len(candidates) else 0.0,
        chance_best=chance_best,
        chance_bound=bound,
        detected=best is not None and bound is not None and bound <= alpha,
    )


def mc_consistency(p_exact: float, published: str | PubNumber | Exact, b: int) -> float:
    """Two-sided probability that a Monte-Carlo p-value (1 + X)/(B + 1), X ~ Bin(B, p_exact),
    lands at least as far from p_exact as the printed value does."""
    low, high = _interval(as_exact(published))
    x_low = max(0, _ceil(low * (b + 1)) - 1)
    x_high = min(b, _floor(high * (b + 1)) - 1)
    expected = b * p_exact
    if x_high < x_low:
        return 0.0
    if x_high < expected:
        tail = binom_cdf(x_high, b, p_exact)
    elif x_low > expected:
        tail = binom_sf(x_low - 1, b, p_exact)
    else:
        return 1.0
    return float(min(1.0, 2 * tail))


# ---------------------------------------------------------------------- duplicate p-values

def duplicate_p_values(items: Iterable[PublishedItem]) -> list[tuple[PublishedItem, PublishedItem]]:
    """Pairs of p-values printed identically on different rows (variables) of the same table."""
    pairs = []
    by_table: dict[str, list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "p_value" and not item.is_text:
            by_table[item.table].append(item)
    for table_items in by_table.values():
        for i, first in enumerate(table_items):
            for second in table_items[i + 1:]:
                same = first.numbers["p"].text == second.numbers["p"].text
                if same and (first.variable, first.by) != (second.variable, second.by):
                    pairs.append((first, second))
    return pairs


# ------------------------------------------------------------------- Fisher recomputation

def contingency_table(items: Sequence[PublishedItem], p_item: PublishedItem) -> tuple[list[str], list[str], np.ndarray] | None:
    """Levels x groups table of the counts printed next to a p-value (same table, variable, by)."""
    cells = {}
    for item in items:
        if (item.kind == "count" and item.table == p_item.table and item.variable == p_item.variable
                and item.by == p_item.by and item.count is not None and len(item.level) == 1):
            cells[(item.level[0], item.group)] = item.count
    levels = list(dict.fromkeys(level for level, _ in cells))
    groups = list(dict.fromkeys(group for _, group in cells))
    if not cells or len(cells) != len(levels) * len(groups):
        return None
    return levels, groups, np.array([[cells[(lv, gr)] for gr in groups] for lv in levels], dtype=np.int64)


def fisher_exact_p(table: np.ndarray) -> float:
    """Exact Fisher p-value as R's fisher.test (all-zero rows/columns do not change it).

    Raises when surveykit.stats.rtests had to fall back to a Monte-Carlo p-value: the audit
    compares published values with the exact one.
    """
    from .stats.rtests import fisher_test

    result = fisher_test(np.asarray(table))
    if result.test != "fisher":
        raise ValueError(f"no exact Fisher p-value for this table ({result.test}: {result.extra})")
    return float(result.p_value)


# --------------------------------------------------------------------------- display helpers

def _parent(ref: str) -> str:
    return ref.rsplit(REF_SEPARATOR, 1)[0]


def _show(item: PublishedItem) -> str:
    nums = item.numbers
    if item.kind == "mean_sd":
        return f"{nums['mean'].text}{NBSP}±{NBSP}{nums['sd'].text} (n{NBSP}={NBSP}{item.size})"
    if item.kind == "p_value":
        return f"p{NBSP}={NBSP}{nums['p'].text}"
    parts = []
    if "n" in nums:
        parts.append(nums["n"].text + (f"/{item.denominator}" if item.denominator else ""))
    if "pct" in nums:
        bound = f"{item.qualifier} " if item.qualifier else ""
        of = f" de {item.denominator}" if item.denominator else ""
        parts.append(f"({bound}{nums['pct'].text}{NBSP}%)" if "n" in nums else f"{bound}{nums['pct'].text}{NBSP}%{of}")
    return " ".join(parts)


def _fr_float(value: float, digits: int = 4) -> str:
    return fr(Fraction(value), digits)


def _sci(value: float) -> str:
    """'6,4e-05' style for small probabilities, French comma."""
    return f"{value:.2g}".replace(".", ",") if value < 0.001 else _fr_float(value, 3)


def _row(ref: str, check: str, published: str, recomputed: str, status: str, explanation: str) -> dict:
    return dict(zip(COLUMNS, (ref, check, published, recomputed, status, explanation)))


def _precision_note(*numbers: PubNumber) -> str:
    short = [n.text for n in numbers if n.shortened]
    if not short:
        return ""
    quoted = ", ".join(f"« {text} »" for text in short)
    what, read = plural(len(short), "Valeur imprimée", "Valeurs imprimées"), plural(len(short), "lue", "lues")
    return f" {what} {quoted} {read} avec la précision du tableau (zéros finaux omis à l'impression)."


# ---------------------------------------------------------------------------------- checks

def _percentage_rows(items: Sequence[PublishedItem]) -> list[dict]:
    rows = []
    for item in items:
        pct = item.number("pct")
        if pct is None or item.denominator is None:
            continue
        if item.count is not None:
            status = percentage_status(item.count, item.denominator, pct, item.qualifier)
            recomputed = f"{fr(Fraction(100 * item.count, item.denominator), pct.round_to)}{NBSP}%"
            reason = {
                OK: f"{item.count}/{item.denominator} = {recomputed} : cohérent.",
                CHECK: f"{item.count}/{item.denominator} tombe exactement entre deux arrondis ; R (sprintf) arrondit au pair : {recomputed}.",
                INCONSISTENT: f"{item.count}/{item.denominator} = {recomputed}, différent du pourcentage publié.",
            }[status]
            if item.qualifier:
                reason = f"{item.count}/{item.denominator} = {recomputed}, {'bien' if status == OK else 'pas'} {item.qualifier} {pct.text}{NBSP}%."
            rows.append(_row(item.ref, "pourcentage", _show(item), recomputed, status, reason + _precision_note(pct)))
        else:
            counts = achievable_counts(pct, item.denominator)
            status = OK if counts else INCONSISTENT
            found = ", ".join(map(str, counts)) or "aucun"
            reason = (f"effectif(s) compatible(s) sur {item.denominator} : {found}." if counts
                      else f"aucun effectif entier sur {item.denominator} ne donne {pct.text}{NBSP}%.")
            rows.append(_row(item.ref, "pourcentage atteignable", _show(item), f"n = {found}", status, reason + _precision_note(pct)))
    return rows


def _grim_rows(items: Sequence[PublishedItem]) -> list[dict]:
    rows = []
    for item in items:
        if item.kind != "mean_sd" or item.is_text:
            continue
        mean, sd, n = item.numbers["mean"], item.numbers["sd"], item.size
        sums = grim_sums(mean, n)
        note = _precision_note(mean, sd)
        if not sums:
            rows.append(_row(item.ref, "GRIM", _show(item), "aucune somme", INCONSISTENT,
                             f"Aucune somme entière de {n} réponses (1 à 10) ne donne une moyenne de {mean.text}." + note))
        else:
            span = f"S ∈ [{sums[0]} ; {sums[-1]}]"
            trivial = "" if grim_informative(mean, n) else f" Test peu discriminant : n = {n} ≥ 10^{mean.round_to}."
            rows.append(_row(item.ref, "GRIM", _show(item), span, OK,
                             f"Moyenne atteignable avec {n} réponses entières ({span})." + trivial + note))
        pairs = grimmer_pairs(mean, sd, n)
        if pairs:
            shown = ", ".join(f"({s} ; {q})" for s, q in pairs[:4]) + (" …" if len(pairs) > 4 else "")
            rows.append(_row(item.ref, "GRIMMER", _show(item), f"{len(pairs)} couple(s) (S ; ΣX²) : {shown}", OK,
                             "Moyenne et écart-type (n − 1) atteignables ensemble par des réponses entières de 1 à 10." + note))
        elif sums:
            rows.append(_row(item.ref, "GRIMMER", _show(item), "aucun couple (S ; ΣX²)", INCONSISTENT,
                             f"Aucun ensemble de {n} réponses entières de 1 à 10 n'a à la fois la moyenne {mean.text} "
                             f"et l'écart-type {sd.text} (n − 1) : au moins un des deux nombres est erroné ou n différent." + note))
    return rows


def _subgroup_rows(items: Sequence[PublishedItem]) -> list[dict]:
    """Overall mean ± sd (no `by`) against the union of the subgroups of each table."""
    overall = {item.variable: item for item in items if item.kind == "mean_sd" and not item.by and not item.is_text}
    groups: dict[tuple[str, str, str], list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "mean_sd" and item.by and not item.is_text:
            groups[(item.table, item.variable, item.by)].append(item)
    rows = []
    for (table, variable, by), members in groups.items():
        total = overall.get(variable)
        if total is None or sum(m.size for m in members) != total.size:
            continue
        group_pairs = [grimmer_pairs(m.numbers["mean"], m.numbers["sd"], m.size) for m in members]
        target = set(grimmer_pairs(total.numbers["mean"], total.numbers["sd"], total.size))
        sums_ok = {s for s, _ in combine_pairs([[(s, 0) for s, _ in pairs] for pairs in group_pairs])} & {s for s, _ in target}
        both_ok = combine_pairs(group_pairs) & target
        ref = _parent(members[0].ref)
        published = f"{_show(total)} ; " + " ; ".join(f"{m.group} {_show(m)}" for m in members)
        note = _precision_note(*(n for m in members for n in m.numbers.values()))
        if both_ok:
            status, recomputed = OK, f"{len(both_ok)} couple(s) (S ; ΣX²) communs"
            reason = f"Les sous-groupes de {table} sont compatibles avec la moyenne et l'écart-type globaux ({total.ref})."
        elif sums_ok:
            status, recomputed = INCONSISTENT, "moyennes compatibles, écarts-types non"
            reason = (f"Les moyennes des sous-groupes de {table} redonnent la moyenne globale ({total.ref}), "
                      "mais aucun jeu de réponses ne concilie leurs écarts-types avec l'écart-type global.")
        else:
            status, recomputed = INCONSISTENT, "moyennes incompatibles"
            reason = f"Aucune combinaison des moyennes des sous-groupes de {table} ne redonne la moyenne globale ({total.ref})."
        rows.append(_row(ref, "sous-groupes vs global", published, recomputed, status, reason + note))
    return rows


def _count_sum_rows(items: Sequence[PublishedItem]) -> list[dict]:
    """Counts of all printed levels of a variable (per group) against the denominator."""
    groups: dict[tuple, list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "count" and not item.is_text and item.count is not None and len(item.level) == 1:
            groups[(item.table, item.variable, item.by, item.group)].append(item)
    rows = []
    for (table, variable, by, group), members in groups.items():
        total, denominator = sum(m.count for m in members), members[0].denominator
        ref = f"{table}{REF_SEPARATOR}{variable}" + (f"{REF_SEPARATOR}{group}" if group else "")
        published = " + ".join(m.numbers["n"].text for m in members) + f" (sur {denominator})"
        if total == denominator:
            rows.append(_row(ref, "somme des effectifs", published, str(total), OK, "La somme des modalités publiées égale l'effectif."))
        elif total < denominator:
            rows.append(_row(ref, "somme des effectifs", published, str(total), INFO,
                             f"Il manque {denominator - total} {plural(denominator - total, 'réponse', 'réponses')} : modalités non publiées ou non-réponses."))
        else:
            rows.append(_row(ref, "somme des effectifs", published, str(total), INCONSISTENT,
                             f"La somme dépasse l'effectif de {total - denominator}."))
    return rows


def _category_rows(items: Sequence[PublishedItem]) -> list[dict]:
    groups: dict[str, list[PublishedItem]] = defaultdict(list)
    answers = {item.question: item for item in items if item.kind == "answer_count"}
    for item in items:
        if item.kind == "category_count":
            groups[item.question].append(item)
    rows = []
    for question, members in groups.items():
        total, denominator = sum(m.count for m in members), members[0].denominator
        ref = f"{members[0].table}{REF_SEPARATOR}{question}"
        published = " + ".join(m.numbers["n"].text for m in members) + f" (sur {denominator})"
        answer = answers.get(question)
        if answer is not None and answer.count != denominator:
            rows.append(_row(ref, "catégories (somme)", published, str(total), INCONSISTENT,
                             f"Le dénominateur {denominator} diffère du nombre de réponses publié ({answer.count})."))
        elif total == denominator:
            rows.append(_row(ref, "catégories (somme)", published, str(total), OK, "Chaque réponse est classée dans une seule catégorie."))
        elif total < denominator:
            rows.append(_row(ref, "catégories (somme)", published, str(total), INFO,
                             f"{denominator - total} {plural(denominator - total, 'réponse non décrite', 'réponses non décrites')} "
                             "dans le texte (catégories non publiées)."))
        else:
            rows.append(_row(ref, "catégories (somme)", published, str(total), CHECK,
                             "La somme dépasse le nombre de réponses : réponses classées dans plusieurs catégories ?"))
    return rows


def _margin_rows(items: Sequence[PublishedItem]) -> list[dict]:
    """Overall counts (no `by`) against the sum of the subgroup counts of each cross-table."""
    overall: dict[tuple, PublishedItem] = {}
    for item in items:
        if item.kind == "count" and not item.by and not item.is_text and item.count is not None:
            overall.setdefault((item.variable, item.level), item)
    cells: dict[tuple, dict[str, int]] = defaultdict(dict)
    group_sets: dict[tuple, set[str]] = defaultdict(set)
    for item in items:
        if item.kind == "count" and item.by and not item.is_text and item.count is not None:
            cells[(item.table, item.by, item.variable, item.level)][item.group] = item.count
            group_sets[(item.table, item.by)].add(item.group)
    rows = []
    for (table, by, variable, level), counts in cells.items():
        total = overall.get((variable, level))
        if total is None or set(counts) != group_sets[(table, by)]:
            continue
        summed = sum(counts.values())
        status = OK if summed == total.count else INCONSISTENT
        reason = (f"La somme sur les groupes de {table} égale l'effectif de {total.ref}." if status == OK
                  else f"La somme sur les groupes de {table} ({summed}) diffère de {total.ref} ({total.count}).")
        rows.append(_row(f"{table}{REF_SEPARATOR}{variable}{REF_SEPARATOR}{' + '.join(level)}", "marge (total = somme des groupes)",
                         " + ".join(str(v) for v in counts.values()), str(summed), status, reason))
    return rows


def _group_size_rows(items: Sequence[PublishedItem]) -> list[dict]:
    """Group sizes used in cross-tables against the printed count of that group."""
    overall: dict[tuple, PublishedItem] = {}
    for item in items:
        if item.kind == "count" and not item.by and not item.is_text and item.count is not None and len(item.level) == 1:
            overall.setdefault((item.variable, item.level[0]), item)
    sizes: dict[tuple, set[int]] = defaultdict(set)
    for item in items:
        if item.by and item.group and not item.is_text:
            size = item.size if item.kind == "mean_sd" else item.denominator
            sizes[(item.table, item.by, item.group)].add(size)
    rows = []
    for (table, by, group), found in sizes.items():
        reference = overall.get((by, group))
        if reference is None:
            continue
        status = OK if found == {reference.count} else INCONSISTENT
        reason = (f"Effectif du groupe identique à {reference.ref}." if status == OK
                  else f"Effectif(s) {sorted(found)} différent(s) de {reference.ref} ({reference.count}).")
        rows.append(_row(f"{table}{REF_SEPARATOR}{group}", "effectif du groupe", ", ".join(map(str, sorted(found))),
                         str(reference.count), status, reason))
    return rows


def _rank_rows(items: Sequence[PublishedItem]) -> list[dict]:
    tables: dict[str, list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "mean_sd" and item.rank is not None:
            tables[item.table].append(item)
    rows = []
    for table, members in tables.items():
        ordered = sorted(members, key=lambda m: m.rank)
        means = [m.numbers["mean"].exact for m in ordered]
        bad = [f"rang {a.rank} ({a.numbers['mean'].text}) < rang {b.rank} ({b.numbers['mean'].text})"
               for a, b in zip(ordered, ordered[1:]) if a.numbers["mean"].exact < b.numbers["mean"].exact]
        status = OK if not bad else INCONSISTENT
        reason = "Rangs dans l'ordre décroissant des moyennes." if not bad else "Ordre des rangs contredit par les moyennes : " + "; ".join(bad)
        rows.append(_row(table, "ordre des rangs", " > ".join(m.numbers["mean"].text for m in ordered),
                         " ≥ ".join(fr(v, 1) for v in sorted(means, reverse=True)), status, reason))
    return rows


def _key(item: PublishedItem) -> tuple:
    return (item.kind, item.subject, item.level, item.by, item.group,
            item.rank if item.kind == "rank_count" else None, item.category)


def _same(a: PubNumber, b: PubNumber) -> bool:
    """Equal, or the more precise number rounds to the less precise one."""
    if a.exact == b.exact:
        return True
    coarse, fine = (a, b) if a.round_to <= b.round_to else (b, a)
    low, high = coarse.interval()
    return low <= fine.exact <= high and coarse.round_to < fine.round_to


def _repeat_rows(items: Sequence[PublishedItem]) -> list[dict]:
    first: dict[tuple, PublishedItem] = {}
    rows = []
    for item in items:
        key = _key(item)
        if key not in first:
            first[key] = item
            continue
        original = first[key]
        shared = [name for name in item.numbers if name in original.numbers]
        differ = [name for name in shared if not _same(item.numbers[name], original.numbers[name])]
        size_differs = item.size != original.size or item.denominator != original.denominator
        status = INCONSISTENT if differ or size_differs else OK
        reason = (f"Identique à {original.ref}." if status == OK
                  else f"Diffère de {original.ref} ({', '.join(differ) or 'effectif'}) : {_show(original)}.")
        rows.append(_row(item.ref, "répétition", _show(item), _show(original), status, reason))
    return rows


def _lattice_rows(items: Sequence[PublishedItem]) -> tuple[list[dict], dict[str, LatticeResult]]:
    """One lattice search per test, pooling the tables that print p-values of that test."""
    groups: dict[str, list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "p_value" and not item.is_text:
            groups[item.test].append(item)
    rows, found = [], {}
    for test, members in groups.items():
        numbers = [m.numbers["p"] for m in members]
        result = detect_mc_lattice([as_exact(n) for n in numbers])
        if len(result.p_values) < 3:
            continue
        ref = ", ".join(dict.fromkeys(m.table for m in members)) + f"{REF_SEPARATOR}p ({test})"
        published = ", ".join(n.text for n in numbers)
        note = _precision_note(*numbers)
        if result.detected:
            found[test] = result
            b = result.best_b
            reason = (f"Les {len(result.p_values)} valeurs distinctes de p sont toutes des multiples de 1/{b + 1} à la "
                      f"précision publiée : signature de p simulées par Monte-Carlo (R : simulate.p.value = TRUE, B = {b}), "
                      f"et non de p exactes. Probabilité que des p au hasard tombent toutes sur ce treillis : "
                      f"{_sci(result.chance_best)} ; pour un B « rond » ≤ {b} quelconque : ≤ {_sci(result.chance_bound)}. "
                      f"B ≤ 10000 compatibles : {len(result.fitting_b)} sur {result.n_informative} testés "
                      f"({', '.join(map(str, result.fitting_b[:5]))} …), surtout des B proches de 10000 où le "
                      f"treillis devient plus fin que la précision publiée.")
            status = CHECK if test == "fisher" else INFO
            if test == "fisher":
                reason += " Le texte annonce un test exact de Fisher : la méthode réelle (simulation) est à préciser."
            rows.append(_row(ref, "treillis Monte-Carlo", published, f"B = {b} (k/{b + 1})", status, reason + note))
        else:
            detail = (f"B = {result.best_b} compatible mais pas assez improbable par hasard (borne {_sci(result.chance_bound)})"
                      if result.best_b else "aucun B « rond » compatible")
            rows.append(_row(ref, "treillis Monte-Carlo", published, "aucun treillis", OK,
                             f"Pas de signature de simulation Monte-Carlo : {detail}." + note))
    return rows, found


def _fisher_rows(items: Sequence[PublishedItem], lattices: dict[str, LatticeResult]) -> tuple[list[dict], dict[str, float]]:
    rows, exact = [], {}
    for item in items:
        if item.kind != "p_value" or item.test != "fisher" or item.is_text:
            continue
        table = contingency_table(items, item)
        published = item.numbers["p"]
        if table is None:
            rows.append(_row(item.ref, "p exact de Fisher", _show(item), "", UNTESTABLE, "Effectifs du tableau incomplets."))
            continue
        p = fisher_exact_p(table[2])
        exact[item.ref] = p
        shown = _fr_float(p, published.round_to)
        if round_half_even(Fraction(p), published.round_to) == published.exact:
            status, reason = OK, f"p exact recalculé à partir des effectifs publiés : {shown}."
        elif item.test in lattices:
            b = lattices[item.test].best_b
            tail = mc_consistency(p, published, b)
            status = OK if tail >= MC_CHECK else CHECK if tail >= MC_INCONSISTENT else INCONSISTENT
            reason = (f"p exact recalculé : {_fr_float(p, 4)}. Sous une simulation Monte-Carlo à B = {b}, "
                      f"probabilité d'un écart au moins aussi grand : {_fr_float(tail, 3)}"
                      + (" : compatible." if status == OK else " : peu compatible, valeur publiée douteuse."))
        else:
            status, reason = INCONSISTENT, f"p exact recalculé : {_fr_float(p, 4)}, différent de la valeur publiée."
        rows.append(_row(item.ref, "p exact de Fisher", _show(item), _fr_float(p, 4), status, reason + _precision_note(published)))
    return rows, exact


def _duplicate_rows(items: Sequence[PublishedItem], exact: dict[str, float]) -> list[dict]:
    rows = []
    for first, second in duplicate_p_values(items):
        text = first.numbers["p"].text
        reason = f"Même valeur p = {text} sur deux lignes différentes ({first.ref} ; {second.ref}) : erreur de copie possible."
        recomputed = ""
        if first.ref in exact and second.ref in exact:
            distances = {ref: abs(exact[ref] - first.numbers["p"].value) for ref in (first.ref, second.ref)}
            closer = min(distances, key=distances.get)
            other = second.ref if closer == first.ref else first.ref
            recomputed = f"{_fr_float(exact[first.ref], 4)} / {_fr_float(exact[second.ref], 4)}"
            reason += (f" Recalcul exact à partir des effectifs : {_fr_float(exact[first.ref], 4)} ({first.ref}) et "
                       f"{_fr_float(exact[second.ref], 4)} ({second.ref}) ; la valeur {text} correspond à {closer}, "
                       f"celle de {other} est probablement recopiée.")
        rows.append(_row(f"{first.ref} / {second.ref}", "p dupliquée", f"p{NBSP}={NBSP}{text} (×2)", recomputed, CHECK, reason))
    return rows


def audit_published(items: Sequence[PublishedItem]) -> pd.DataFrame:
    """Run every check on the published numbers; one row per check (columns COLUMNS)."""
    items = list(items)
    lattice_rows, lattices = _lattice_rows(items)
    fisher_rows, exact = _fisher_rows(items, lattices)
    rows = (_percentage_rows(items) + _count_sum_rows(items) + _margin_rows(items) + _group_size_rows(items)
            + _category_rows(items) + _grim_rows(items) + _subgroup_rows(items) + _rank_rows(items)
            + _repeat_rows(items) + lattice_rows + fisher_rows + _duplicate_rows(items, exact))
    return pd.DataFrame(rows, columns=COLUMNS)
