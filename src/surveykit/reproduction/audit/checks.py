"""The checks of the audit, one row each: percentages, GRIM/GRIMMER, subgroups against the whole, margins,
group sizes, sums of counts, rank order, repeated numbers, Monte-Carlo lattice, Fisher, duplicated p-values."""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Sequence

import pandas as pd

from surveykit.core.fmt import NBSP, integer, round_half_even
from surveykit.core.fmt import exact_number as fr
from surveykit.core.testnames import TEST_LABELS_FR
from surveykit.manuscript.prose import plural

from ..published import PublishedItem
from surveykit.core.printed import PubNumber, REF_SEPARATOR
from .display import fr_float, parent_ref, precision_note, row, sci, show
from .duplicates import duplicate_p_values
from .fisher import contingency_table, fisher_exact_p
from .grim import combine_pairs, grim_informative, grim_sums, grimmer_pairs
from .lattice import FITTING_B_MAX, LatticeResult, detect_mc_lattice, mc_consistency
from .numbers import CHECK, COLUMNS, INCONSISTENT, INFO, OK, UNTESTABLE, as_exact
from .percentages import achievable_counts, percentage_status

DUPLICATE_CHECK = "p dupliquée"
REF_JOIN = " / "  # a row about two published numbers names both, joined so
DOUBTFUL = "valeur publiée douteuse"  # a difference the simulation hardly explains (the report counts them apart)

MC_CHECK, MC_INCONSISTENT = 0.05, 0.01  # two-sided binomial tail thresholds for Monte-Carlo p-values


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
            rows.append(row(item.ref, "pourcentage", show(item), recomputed, status, reason + precision_note(pct)))
        else:
            counts = achievable_counts(pct, item.denominator)
            status = OK if counts else INCONSISTENT
            found = ", ".join(map(str, counts)) or "aucun"
            reason = (f"effectif(s) compatible(s) sur {item.denominator} : {found}." if counts
                      else f"aucun effectif entier sur {item.denominator} ne donne {pct.text}{NBSP}%.")
            rows.append(row(item.ref, "pourcentage atteignable", show(item), f"n = {found}", status, reason + precision_note(pct)))
    return rows


def _grim_rows(items: Sequence[PublishedItem]) -> list[dict]:
    rows = []
    for item in items:
        if item.kind != "mean_sd" or item.is_text:
            continue
        mean, sd, n = item.numbers["mean"], item.numbers["sd"], item.size
        sums = grim_sums(mean, n)
        note = precision_note(mean, sd)
        if not sums:
            rows.append(row(item.ref, "GRIM", show(item), "aucune somme", INCONSISTENT,
                             f"Aucune somme entière de {n} réponses (1 à 10) ne donne une moyenne de {mean.text}." + note))
        else:
            span = f"S ∈ [{sums[0]} ; {sums[-1]}]"
            trivial = "" if grim_informative(mean, n) else f" Test peu discriminant : n = {n} ≥ 10^{mean.round_to}."
            rows.append(row(item.ref, "GRIM", show(item), span, OK,
                             f"Moyenne atteignable avec {n} réponses entières ({span})." + trivial + note))
        pairs = grimmer_pairs(mean, sd, n)
        if pairs:
            shown = ", ".join(f"({s} ; {q})" for s, q in pairs[:4]) + (" …" if len(pairs) > 4 else "")
            rows.append(row(item.ref, "GRIMMER", show(item), f"{len(pairs)} couple(s) (S ; ΣX²) : {shown}", OK,
                             "Moyenne et écart-type (n − 1) atteignables ensemble par des réponses entières de 1 à 10." + note))
        elif sums:
            rows.append(row(item.ref, "GRIMMER", show(item), "aucun couple (S ; ΣX²)", INCONSISTENT,
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
        ref = parent_ref(members[0].ref)
        published = f"{show(total)} ; " + " ; ".join(f"{m.group} {show(m)}" for m in members)
        note = precision_note(*(n for m in members for n in m.numbers.values()))
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
        rows.append(row(ref, "sous-groupes vs global", published, recomputed, status, reason + note))
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
            rows.append(row(ref, "somme des effectifs", published, str(total), OK, "La somme des modalités publiées égale l'effectif."))
        elif total < denominator:
            rows.append(row(ref, "somme des effectifs", published, str(total), INFO,
                             f"Il manque {denominator - total} {plural(denominator - total, 'réponse', 'réponses')} : modalités non publiées ou non-réponses."))
        else:
            rows.append(row(ref, "somme des effectifs", published, str(total), INCONSISTENT,
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
            rows.append(row(ref, "catégories (somme)", published, str(total), INCONSISTENT,
                             f"Le dénominateur {denominator} diffère du nombre de réponses publié ({answer.count})."))
        elif total == denominator:
            rows.append(row(ref, "catégories (somme)", published, str(total), OK, "Chaque réponse est classée dans une seule catégorie."))
        elif total < denominator:
            rows.append(row(ref, "catégories (somme)", published, str(total), INFO,
                             f"{denominator - total} {plural(denominator - total, 'réponse non décrite', 'réponses non décrites')} "
                             "dans le texte (catégories non publiées)."))
        else:
            rows.append(row(ref, "catégories (somme)", published, str(total), CHECK,
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
        rows.append(row(f"{table}{REF_SEPARATOR}{variable}{REF_SEPARATOR}{' + '.join(level)}", "marge (total = somme des groupes)",
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
        rows.append(row(f"{table}{REF_SEPARATOR}{group}", "effectif du groupe", ", ".join(map(str, sorted(found))),
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
        rows.append(row(table, "ordre des rangs", " > ".join(m.numbers["mean"].text for m in ordered),
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
                  else f"Diffère de {original.ref} ({', '.join(differ) or 'effectif'}) : {show(original)}.")
        rows.append(row(item.ref, "répétition", show(item), show(original), status, reason))
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
        ref = ", ".join(dict.fromkeys(m.table for m in members)) + f"{REF_SEPARATOR}valeurs de p du " \
            f"{TEST_LABELS_FR.get(test, test)}"
        published = ", ".join(n.text for n in numbers)
        note = precision_note(*numbers)
        if result.detected:
            found[test] = result
            b = result.best_b
            reason = (f"Les {len(result.p_values)} valeurs distinctes de p sont toutes des multiples de 1/{b + 1} à la "
                      f"précision publiée, signature de p simulées par Monte-Carlo (R : simulate.p.value = TRUE, B = {b}) "
                      f"et non de p exactes. Probabilité que des p au hasard tombent toutes sur ce treillis : "
                      f"{sci(result.chance_best)} ; pour un B « rond » ≤ {b} quelconque : ≤ {sci(result.chance_bound)}. "
                      f"B ≤ {integer(FITTING_B_MAX)} compatibles : {integer(len(result.fitting_b))} sur "
                      f"{integer(result.n_informative)} testés ({', '.join(map(integer, result.fitting_b[:5]))} …), "
                      f"surtout des B proches de {integer(FITTING_B_MAX)} où le "
                      f"treillis devient plus fin que la précision publiée.")
            status = CHECK if test == "fisher" else INFO
            if test == "fisher":
                reason += " Le texte annonce un test exact de Fisher : la méthode réelle (simulation) est à préciser."
            rows.append(row(ref, "treillis Monte-Carlo", published, f"B = {b} (k/{b + 1})", status, reason + note))
        else:
            detail = (f"B = {result.best_b} compatible mais pas assez improbable par hasard (borne {sci(result.chance_bound)})"
                      if result.best_b else "aucun B « rond » compatible")
            rows.append(row(ref, "treillis Monte-Carlo", published, "aucun treillis", OK,
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
            rows.append(row(item.ref, "p exact de Fisher", show(item), "", UNTESTABLE, "Effectifs du tableau incomplets."))
            continue
        p = fisher_exact_p(table[2])
        exact[item.ref] = p
        shown = fr_float(p, published.round_to)
        if round_half_even(Fraction(p), published.round_to) == published.exact:
            status, reason = OK, f"p exact recalculé à partir des effectifs publiés : {shown}."
        elif item.test in lattices:
            b = lattices[item.test].best_b
            tail = mc_consistency(p, published, b)
            status = OK if tail >= MC_CHECK else CHECK if tail >= MC_INCONSISTENT else INCONSISTENT
            reason = (f"p exact recalculé : {fr_float(p, 4)}. Sous une simulation Monte-Carlo à B = {b}, un écart "
                      f"au moins aussi grand a une probabilité de {fr_float(tail, 3)}, "
                      + ("compatible." if status == OK else f"peu compatible : {DOUBTFUL}."))
        else:
            status, reason = INCONSISTENT, f"p exact recalculé : {fr_float(p, 4)}, différent de la valeur publiée."
        rows.append(row(item.ref, "p exact de Fisher", show(item), fr_float(p, 4), status, reason + precision_note(published)))
    return rows, exact


def _duplicate_rows(items: Sequence[PublishedItem], exact: dict[str, float]) -> list[dict]:
    rows = []
    for first, second in duplicate_p_values(items):
        text = first.numbers["p"].text
        reason = f"Même valeur p = {text} sur deux lignes différentes, erreur de copie possible."
        recomputed = ""
        if first.ref in exact and second.ref in exact:
            distances = {ref: abs(exact[ref] - first.numbers["p"].value) for ref in (first.ref, second.ref)}
            closer = min(distances, key=distances.get)
            other = second.ref if closer == first.ref else first.ref
            recomputed = f"{fr_float(exact[first.ref], 4)} / {fr_float(exact[second.ref], 4)}"
            reason += (f" Recalcul exact à partir des effectifs : {fr_float(exact[first.ref], 4)} ({first.ref}) et "
                       f"{fr_float(exact[second.ref], 4)} ({second.ref}) ; la valeur {text} correspond à {closer}, "
                       f"celle de {other} est probablement recopiée.")
        rows.append(row(f"{first.ref}{REF_JOIN}{second.ref}", DUPLICATE_CHECK, f"p{NBSP}={NBSP}{text} (×2)", recomputed, CHECK, reason))
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
