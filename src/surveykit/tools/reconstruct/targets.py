"""The published numbers the reconstruction must reproduce, read from the published-numbers file.

Nothing is typed here: every target comes from data/studies/<study>/published/<wave>.yaml (loaded by
surveykit.reproduction.published). Table items are the targets; the running-text repeats ("Texte
§...") are only checked afterwards by the report. Inconsistencies between tables that
make a target unreachable (e.g. Table 1 not equal to the column sums of Table 2) are
returned as findings, never silently fixed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from surveykit.questionnaire.codebook import Codebook
from surveykit.reproduction.published import Publication, PublishedItem
from surveykit.core.printed import PubNumber

USE = "pratique_tle"
CPTS = "cpts"
SCALE_TYPES = ("scale", "grid_scale")


@dataclass(frozen=True)
class MeanSd:
    ref: str
    n: int
    mean: PubNumber
    sd: PubNumber


@dataclass(frozen=True)
class PValue:
    ref: str
    p: PubNumber


@dataclass(frozen=True)
class BarrierTargets:
    """Table 6 (overall), Table 7 (by use + Wilcoxon) and Table 8 (by CPTS + Kruskal) of one item."""

    variable: str
    overall: MeanSd
    by_use: dict[str, MeanSd]
    wilcoxon: PValue
    by_cpts: dict[str, MeanSd]
    kruskal: PValue


@dataclass(frozen=True)
class RankTarget:
    """`n` respondents of `group` gave rank `rank` to grid item `variable`."""

    ref: str
    variable: str
    rank: int
    group: str
    n: int


@dataclass
class WaveTargets:
    n: int
    cpts_sizes: dict[str, int]
    use_sizes: dict[str, int]
    profile: dict[str, dict[str, dict[str, int]]]  # variable -> CPTS -> level -> count (Table 2)
    overall: dict[str, dict[str, int]]  # variable -> level -> count (Tables 1 and 4)
    by_use: dict[str, dict[str, dict[str, int]]]  # variable -> use group -> level -> count (Table 5)
    ranks: list[RankTarget]
    scales: dict[str, MeanSd]  # 1-10 scales published alone (Figure 8)
    barriers: list[BarrierTargets]
    findings: list[str] = field(default_factory=list)


def _table_items(pub: Publication) -> list[PublishedItem]:
    return [item for item in pub.items if not item.is_text]


def _counts(items: list[PublishedItem], by: str | None) -> dict:
    """variable -> (group ->) level -> count, from `count` items with one level."""
    out: dict = defaultdict(lambda: defaultdict(dict)) if by else defaultdict(dict)
    for item in items:
        if item.kind != "count" or item.by != by or len(item.level) != 1:
            continue
        if by:
            out[item.variable][item.group][item.level[0]] = item.count
        else:
            out[item.variable][item.level[0]] = item.count
    return out


def _mean_sd(item: PublishedItem) -> MeanSd:
    return MeanSd(item.ref, item.size, item.numbers["mean"], item.numbers["sd"])


def _barriers(items: list[PublishedItem], book: Codebook) -> tuple[list[BarrierTargets], list[str]]:
    grid_scales = [i.id for q in book.questions if q.type == "grid_scale" for i in q.items]
    found, missing = [], []
    for variable in grid_scales:
        mine = [i for i in items if i.variable == variable]
        overall = [i for i in mine if i.kind == "mean_sd" and i.by is None]
        by_use = {i.group: _mean_sd(i) for i in mine if i.kind == "mean_sd" and i.by == USE}
        by_cpts = {i.group: _mean_sd(i) for i in mine if i.kind == "mean_sd" and i.by == CPTS}
        tests = {i.test: PValue(i.ref, i.numbers["p"]) for i in mine if i.kind == "p_value"}
        if not (overall and by_use and by_cpts and {"wilcoxon", "kruskal"} <= set(tests)):
            missing.append(variable)
            continue
        found.append(BarrierTargets(variable, _mean_sd(overall[0]), by_use, tests["wilcoxon"], by_cpts, tests["kruskal"]))
    findings = [f"{v} : pas de cible complète (tableaux 6, 7 et 8) — valeurs tirées au hasard" for v in missing]
    return found, findings


def _check_profile(profile: dict, overall: dict, sizes: dict[str, int]) -> list[str]:
    """Table 1 must be the column sums of Table 2 and each Table 2 column must sum to its CPTS size."""
    findings = []
    for variable, by_group in profile.items():
        for group, counts in by_group.items():
            if sum(counts.values()) != sizes.get(group):
                findings.append(
                    f"Tableau 2, {variable}, {group} : les effectifs somment à {sum(counts.values())}, "
                    f"pas à l'effectif de la CPTS ({sizes.get(group)}) — inatteignable tel quel"
                )
        for level, n in overall.get(variable, {}).items():
            column_sum = sum(counts.get(level, 0) for counts in by_group.values())
            if column_sum != n:
                findings.append(
                    f"Tableau 1, {variable} = {level} : {n} publié, mais {column_sum} en sommant le tableau 2 — "
                    "le tableau 2 est reproduit, le tableau 1 ne peut pas l'être"
                )
    return findings


def wave_targets(pub: Publication, book: Codebook) -> WaveTargets:
    """Structured targets of a wave; `findings` lists the targets no table can reach."""
    items = _table_items(pub)
    overall, profile, by_use = _counts(items, None), _counts(items, CPTS), _counts(items, USE)
    cpts_sizes = {level: overall[CPTS][level] for level in book.question(CPTS).levels}
    use_sizes = {level: overall[USE][level] for level in book.question(USE).levels}
    profile = {v: {g: dict(c) for g, c in groups.items()} for v, groups in profile.items()}
    ranks = [
        RankTarget(i.ref, i.variable, i.rank, i.group, i.count) for i in items if i.kind == "rank_count"
    ]
    questions = book.variable_question()
    scales = {
        i.variable: _mean_sd(i)
        for i in items
        if i.kind == "mean_sd" and i.by is None and questions[i.variable].type == "scale"
    }
    barriers, findings = _barriers(items, book)
    findings += _check_profile(profile, overall, cpts_sizes)
    for variable, groups in by_use.items():
        for group, counts in groups.items():
            if sum(counts.values()) > use_sizes[group]:
                findings.append(f"Tableau 5, {variable}, {group} : {sum(counts.values())} réponses pour {use_sizes[group]} médecins")
    return WaveTargets(
        n=pub.n_analysed,
        cpts_sizes=cpts_sizes,
        use_sizes=use_sizes,
        profile=profile,
        overall={v: dict(c) for v, c in overall.items()},
        by_use={v: {g: dict(c) for g, c in groups.items()} for v, groups in by_use.items()},
        ranks=ranks,
        scales=scales,
        barriers=barriers,
        findings=findings,
    )
