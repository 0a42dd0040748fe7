"""The reproduction report a reviewer reads in two minutes (French): summary first, then the details.

    En bref            how many published numbers, how many regenerated at their printed precision, how
                       many differences are explained, and the findings of the audit, one sentence each
    Écarts             one row per distinct difference, the other places that print the same number named
    Rangs              the order of ranked tables, published vs regenerated (ties at the printed precision)
    Structure          sections, tables and figures of the published chapter vs the regenerated one
    Audit              every flag of the audit of the published numbers
    Détail, Glossaire  counts by kind of number; GRIM, GRIMMER, Monte-Carlo lattice in plain words
    Annexe             every published number beside the regenerated one
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

from surveykit.core import fmt
from surveykit.manuscript.prose import plural

from .audit import DOUBTFUL, DUPLICATE_CHECK, REF_JOIN
from .published import Publication
from surveykit.core.printed import REF_SEPARATOR

KINDS = {"count": "effectifs et pourcentages", "rank_count": "rangs (effectifs et pourcentages)",
         "mean_sd": "moyennes et écarts-types", "category_count": "catégories de réponses libres",
         "answer_count": "nombres de répondants", "p_value": "valeurs de p"}
QUANTITIES = {"n": "effectif", "pct": "pourcentage", "mean": "moyenne", "sd": "écart-type", "p": "p",
              "denominator": "dénominateur"}
UNEXPLAINED = "écart non expliqué"
SAME_AS = re.compile(r"^même nombre que (?P<ref>.+?) : ")
GLOSSARY = [
    ("GRIM", "vérifie qu'une moyenne (ou un pourcentage) publiée peut être obtenue avec l'effectif publié : "
             "avec n réponses entières, une moyenne est un multiple de 1/n."),
    ("GRIMMER", "fait de même pour un écart-type : avec n réponses entières, seules certaines valeurs sont "
                "possibles pour une moyenne donnée."),
    ("Treillis Monte-Carlo", "une p estimée par simulation (R : simulate.p.value = TRUE, B tirages) est toujours "
                             "de la forme (k + 1)/(B + 1) ; des p publiées qui tombent toutes sur ce treillis "
                             "trahissent une simulation, même quand le texte annonce un test exact."),
]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# The regenerated value is in its own column: an explanation need not repeat it.
REPEATED_VALUE = re.compile(r"p exact de Fisher : p exact recalculé : [0-9,]+\. ?")


def _reasons(explanation: str) -> list[str]:
    text = REPEATED_VALUE.sub("", SAME_AS.sub("", str(explanation)))
    return [part.strip() for part in text.split(" ; ") if part.strip()]


def _sentence(parts: list[str]) -> str:
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]


def distinct_differences(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One row per distinct difference (the same published number compared with the same regenerated one,
    wherever it is printed), and the reasons every difference shares, to be stated once."""
    mismatches = table[~table["match"]].copy()
    if mismatches.empty:
        return mismatches.assign(also=[]), []
    rows = []
    mismatches["_value"] = mismatches["regenerated_value"].round(10)
    mismatches["_published"] = mismatches["published"].str.rstrip("0")
    for _key, group in mismatches.groupby(["kind", "quantity", "_published", "_value"], sort=False):
        first = group.iloc[0]
        rows.append(first.to_dict() | {"also": " ; ".join(group["ref"].iloc[1:])})
    frame = pd.DataFrame(rows).drop(columns=["_value", "_published"])
    reasons = [_reasons(e) for e in frame["explanation"]]
    shared = [r for r in reasons[0] if all(r in other for other in reasons[1:])] if len(reasons) > 1 else []
    frame["explanation"] = [_sentence([r for r in own if r not in shared]) or "Voir la cause commune."
                            for own in reasons]
    return frame, shared


def _lower_first(text: str) -> str:
    """A sentence continued after « : » (« Les 7 valeurs » -> « les 7 valeurs »), acronyms left alone."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _findings(audit: pd.DataFrame) -> list[str]:
    """The audit's flags, one sentence each (the first sentence of their explanation); a number a flag about two
    numbers already tells (the same p printed on two rows) is not told again on its own."""
    flagged = audit[(audit["status"] != "ok") & (audit["status"] != "info")]
    told = {ref for row in flagged.itertuples() if row.check == DUPLICATE_CHECK for ref in row.ref.split(REF_JOIN)}
    findings = []
    for row in flagged.itertuples():
        if row.check != DUPLICATE_CHECK and row.ref in told:
            continue
        sentences = re.split(r"(?<=[.!?]) ", str(row.explanation))
        sentence = " ".join(sentences) if row.check == DUPLICATE_CHECK else sentences[0]  # with its conclusion
        findings.append(f"{row.ref} : {_lower_first(sentence)}")
    return findings


def _verdict(differences: pd.DataFrame) -> str:
    """« tous expliqués », « 7 expliqués, 1 douteux », « 7 expliqués, 1 non expliqué »: each distinct difference
    counted once, by what its explanation concludes."""
    explanations = differences["explanation"].astype(str)
    unexplained = int(explanations.str.contains(UNEXPLAINED).sum())
    doubtful = int((~explanations.str.contains(UNEXPLAINED) & explanations.str.contains(DOUBTFUL)).sum())
    explained = len(differences) - unexplained - doubtful
    if not unexplained and not doubtful:
        return "expliqué" if explained == 1 else "tous expliqués"
    parts = [f"{explained} {plural(explained, 'expliqué', 'expliqués')}"] if explained else []
    if doubtful:
        parts.append(f"{doubtful} {plural(doubtful, 'douteux', 'douteux')} (valeur publiée peu compatible avec la "
                     "simulation, voir l'audit)")
    if unexplained:
        parts.append(f"{unexplained} non {plural(unexplained, 'expliqué', 'expliqués')}")
    return ", ".join(parts)


def _summary(table: pd.DataFrame, differences: pd.DataFrame, audit: pd.DataFrame, ranks: list[str],
             structure: list[str], ranked: bool) -> list[str]:
    total, matched = len(table), int(table["match"].sum())
    lines = ["## En bref", ""]
    if not total:
        return lines + ["Aucun nombre publié n'est transcrit.", ""]
    share = fmt.percent(100 * matched / total)
    if matched == total:  # « 45 nombres publiés, dont 45 retrouvés » says the number twice; « Écarts » says none
        lines.append(f"- {total} {plural(total, 'nombre publié', 'nombres publiés')}, "
                     f"{'retrouvé' if total == 1 else 'tous retrouvés'} à la précision publiée.")
    else:
        lines.append(f"- {total} nombres publiés, dont {matched} retrouvés à la précision publiée ({share}).")
        distinct, verdict = len(differences), _verdict(differences)
        lines.append(f"- Écarts : {total - matched} {plural(total - matched, 'nombre', 'nombres')}, soit {distinct} "
                     f"{plural(distinct, 'écart distinct', 'écarts distincts')} (un même nombre cité à plusieurs "
                     f"endroits compte une fois), {verdict}.")
    findings = _findings(audit)
    if findings:
        lines.append("- Constats de l'audit des nombres publiés :")
        lines += [f"  - {finding}" for finding in findings]
    if ranked:
        lines.append(f"- Rangs des tableaux classés : {len(ranks)} {plural(len(ranks), 'différence', 'différences')} "
                     "d'ordre (détail plus bas)." if ranks else
                     "- Rangs des tableaux classés : ordre publié retrouvé.")
    if structure:
        lines.append(f"- Structure : {len(structure)} {plural(len(structure), 'différence', 'différences')} avec le "
                     "chapitre publié (détail plus bas).")
    return lines + [""]


def rank_differences(items, descriptives: pd.DataFrame) -> list[str]:
    """Published ranks of ranked tables (mean ± SD with a rank) against the regenerated order; two items whose
    ranks are swapped make one difference."""
    ranked = [i for i in items if i.kind == "mean_sd" and i.rank and not i.group]
    overall = descriptives[(descriptives["group"] == "Ensemble") & descriptives["rank"].notna()]
    moved = []
    for item in ranked:
        rows = overall[overall["variable"] == item.variable]
        if rows.empty or int(rows.iloc[0]["rank"]) == item.rank:
            continue
        moved.append((item, rows.iloc[0]))
    lines, told = [], set()
    for item, row in moved:
        if item.ref in told:
            continue
        ours = int(row["rank"])
        partner = next(((other, other_row) for other, other_row in moved if other.ref not in told and other is not item
                        and other.rank == ours and int(other_row["rank"]) == item.rank
                        and other_row["table"] == row["table"]), None)
        if partner is None:
            lines.append(_moved_rank(item, row, overall))
            told.add(item.ref)
            continue
        other, other_row = partner
        told.update({item.ref, other.ref})
        lines.append(_swapped_ranks(item, row, other, other_row))
    return lines


def _moved_rank(item, row, overall: pd.DataFrame) -> str:
    """One item published at a rank the regenerated order gives another item."""
    ours = int(row["rank"])
    same = overall[(overall["table"] == row["table"]) & (overall["rank"] == item.rank)]
    other = same.iloc[0] if len(same) else None
    tie = other is not None and fmt.number(other["mean"]) == fmt.number(row["mean"])
    text = (f"{item.ref} : publié au rang {item.rank}, recalculé au rang {ours} "
            f"(moyenne exacte {fmt.number(row['mean'], 2)}")
    if other is not None:
        text += f", contre {fmt.number(other['mean'], 2)} pour l'item recalculé au rang {item.rank}"
    return text + ")" + (f", égales à la précision publiée ({fmt.number(row['mean'])}) : ex aequo, le chapitre "
                         "régénéré les imprime au même rang." if tie else ".")


def _swapped_ranks(first, first_row, second, second_row) -> str:
    """Two items whose published ranks the regenerated order swaps, told once."""
    (a, a_row), (b, b_row) = sorted([(first, first_row), (second, second_row)], key=lambda pair: pair[0].rank)
    table = a.ref.split(REF_SEPARATOR)[0]
    names = [item.ref.split(REF_SEPARATOR)[-1] for item in (a, b)]
    tie = fmt.number(a_row["mean"]) == fmt.number(b_row["mean"])
    text = (f"{table} : « {names[0]} » et « {names[1]} », publiés aux rangs {a.rank} et {b.rank}, sont recalculés "
            f"dans l'ordre inverse (moyennes exactes {fmt.number(a_row['mean'], 2)} et {fmt.number(b_row['mean'], 2)})")
    return text + (f", égales à la précision publiée ({fmt.number(a_row['mean'])}) : ex aequo, le chapitre régénéré "
                   "les imprime au même rang." if tie else ".")


def _norm(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _chapter_parts(chapter: str) -> dict[str, list[tuple[str, str]]]:
    """(number, title) of the regenerated chapter's headings, tables and figures."""
    sections = [(m.group(1), m.group(2)) for m in re.finditer(r"^#{2,4} (\d+(?:\.\d+)*) (.+)$", chapter, re.M)]
    tables = [(m.group(1), m.group(2)) for m in re.finditer(r"^Table: \w+ (\d+)\W+(.+?)(?: \(n\W+=\W+\d+\))?$",
                                                            chapter, re.M)]
    figures = [(m.group(1), m.group(2)) for m in re.finditer(r"^!\[\w+ (\d+)\. (.+?)(?: \(n\W+=\W+\d+\))?\]",
                                                             chapter, re.M)]
    return {"sections": sections, "tables": tables, "figures": figures}


def structure_differences(structure: dict, chapter: str) -> list[str]:
    """What the regenerated chapter adds, renumbers, moves or leaves out, compared with the publication."""
    parts = _chapter_parts(chapter)
    lines = []
    ours = {_norm(title): number for number, title in parts["sections"]}
    for heading in structure.get("sections", []):
        number, _space, title = heading.partition(" ")
        if _norm(title) not in ours:
            lines.append(f"Section « {heading} » : titre différent ou absente du chapitre régénéré.")
        elif ours[_norm(title)] != number:
            lines.append(f"Section « {heading} » : numérotée {ours[_norm(title)]} dans le chapitre régénéré.")
    published_titles = {_norm(s.partition(" ")[2]) for s in structure.get("sections", [])}
    lines += [f"Section « {number} {title} » : ajoutée par le chapitre régénéré."
              for number, title in parts["sections"] if _norm(title) not in published_titles]
    for kind, word in (("tables", "Tableau"), ("figures", "Figure")):
        lines += _compare_captions(structure.get(kind, []), parts[kind], word, "e" if kind == "figures" else "")
    return lines


def chapter_table_rows(chapter: str) -> dict[int, list[tuple[str, str]]]:
    """(variable, level) of the rows of each numbered table of a chapter in Markdown: the pipe table printed
    just before its `Table: <word> <k> …` caption; a row with an empty first cell continues the variable above."""
    lines = chapter.splitlines()
    rows: dict[int, list[tuple[str, str]]] = {}
    for index, line in enumerate(lines):
        caption = re.match(r"^Table: \w+ (\d+)\b", line)
        if not caption:
            continue
        end = index - 1
        while end >= 0 and not lines[end].strip():
            end -= 1
        start = end
        while start >= 0 and lines[start].startswith("|"):
            start -= 1
        block = [line for line in lines[start + 1:end + 1] if not re.match(r"^\|[\s:|-]+\|$", line)]
        variable, found = "", []
        for row in block[1:]:  # the first line is the header
            cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
            if len(cells) < 2:
                continue
            variable = cells[0] or variable
            found.append((variable, cells[1]))
        rows[int(caption.group(1))] = found
    return rows


def row_differences(items, chapter: str) -> list[str]:
    """Rows (answers of a variable) of a published table that the regenerated chapter lacks, and rows the
    chapter prints that the publication does not have (e.g. an answer the form offered later, printed
    « 0 (0 %) »). Only the tables whose counts the publication transcribes are compared."""
    published: dict[int, dict[tuple[str, str], str]] = {}
    for item in items:
        if item.kind != "count" or len(item.level) != 1:  # several levels added up: no row of their own
            continue
        parts = [part.strip() for part in item.ref.split("·")]
        table = re.match(r"^\w+ (\d+)$", parts[0])
        if not table or len(parts) < 3:
            continue
        published.setdefault(int(table.group(1)), {})[(_norm(parts[1]), _norm(item.level[0]))] = \
            f"{parts[1]} · {parts[2]}"
    ours = chapter_table_rows(chapter)
    lines = []
    for number, rows in sorted(published.items()):
        if number not in ours:
            continue
        variables = {variable for variable, _level in rows}
        printed = {(_norm(v), _norm(level)): f"{v} · {level}" for v, level in ours[number]}
        lines += [f"Tableau {number}, ligne « {text} » : publiée, absente du chapitre régénéré."
                  for key, text in rows.items() if key not in printed and key[0] in {k[0] for k in printed}]
        lines += [f"Tableau {number}, ligne « {text} » : ajoutée par le chapitre régénéré (absente de la publication)."
                  for key, text in printed.items() if key not in rows and key[0] in variables]
    return lines


def _match(title: str, candidates: dict[str, str]) -> str | None:
    """The regenerated caption a published title corresponds to: the same words, else one containing the other."""
    key = _norm(title)
    if key in candidates:
        return key
    overlaps = [k for k in candidates if k in key or key in k]
    return max(overlaps, key=len) if overlaps else None


def _similar(a: str, b: str) -> bool:
    """Two titles of the same figure worded differently (most of their words shared)."""
    import difflib

    return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio() >= 0.6


def _compare_captions(published: list[dict], ours: list[tuple[str, str]], word: str, e: str) -> list[str]:
    lines, used = [], set()
    numbered = {_norm(title): number for number, title in ours}
    for entry in published:
        key = _match(entry["title"], {k: v for k, v in numbered.items() if k not in used})
        same_number = next((title for number, title in ours if int(number) == entry["number"]
                            and _norm(title) not in used and _similar(title, entry["title"])), None)
        where = f" (imprimé{e} en {entry['section']})" if entry.get("section") else ""
        if key is not None:
            used.add(key)
            if int(numbered[key]) != entry["number"]:
                lines.append(f"{word} {entry['number']} « {entry['title']} » : numéroté{e} {numbered[key]} dans le "
                             "chapitre régénéré.")
        elif same_number is not None:
            used.add(_norm(same_number))
            lines.append(f"{word} {entry['number']} « {entry['title']} »{where} : régénéré{e} sous un autre titre, "
                         f"« {same_number} ».")
        else:
            lines.append(f"{word} {entry['number']} « {entry['title']} »{where} : non régénéré{e}.")
    lines += [f"{word} {number} « {title} » : ajouté{e} par le chapitre régénéré."
              for number, title in ours if _norm(title) not in used]
    return lines


def _audit_count(checks: int, flagged: int) -> str:
    """« 497 vérifications, 4 signalements. », « 5 vérifications, aucun signalement. »"""
    found = "aucun signalement" if not flagged else f"{flagged} {plural(flagged, 'signalement', 'signalements')}"
    return f"{checks} {plural(checks, 'vérification', 'vérifications')}, {found}."


def _spread_word_finding(table: str, word: str, marked: list[float], unmarked: list[float]) -> str:
    """« « hétérog… » est écrit pour des écarts-types de 2,9 et 3,0, mais pas pour un autre écart-type de 2,9 ni
    pour 3,2 » — a value printed on both sides is said to be another item's, not listed as if it contradicted itself."""
    written = sorted({round(v, 1) for v in marked})
    shown = [_fr(v) for v in written]
    said = f"un écart-type de {shown[0]}" if len(shown) == 1 else f"des écarts-types de {' et '.join(shown)}"
    others = [f"un autre écart-type de {_fr(v)}" if v in written else _fr(v)
              for v in sorted({round(v, 1) for v in unmarked if v >= min(marked)})]
    return (f"{table} : « {word}… » est écrit pour {said}, mais pas pour {' ni pour '.join(others)} : aucun seuil "
            "d'écart-type ne le décide.")


def _fr(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def interpretation_findings(publication: Publication) -> list[str]:
    """Whether the interpretation words a publication prints beside its means follow a rule: each class a range
    of the mean (classes that interleave cannot be), a class per value (bounds fitted to the values are no rule),
    and the spread word a threshold of the SD."""
    lines = []
    for block in publication.interpretations:
        stats = {i.variable: (i.numbers["mean"].value, i.numbers["sd"].value) for i in publication.items
                 if i.kind == "mean_sd" and i.table == block["table"] and not i.group and "sd" in i.numbers}
        labels = [(stats[entry["variable"]], entry) for entry in block["labels"] if entry["variable"] in stats]
        ranges: dict[str, list[float]] = {}
        for (mean, _sd), entry in labels:
            ranges.setdefault(entry["class"], []).append(mean)
        interleaved = [(a, b) for a in ranges for b in ranges if a < b
                       and min(ranges[a]) < max(ranges[b]) and min(ranges[b]) < max(ranges[a])]
        alone = [(values[0], name) for name, values in ranges.items() if len(values) == 1]
        table = block["table"]
        if interleaved:
            a, b = interleaved[0]
            lines.append(f"{table} : les classes « {a} » et « {b} » se chevauchent sur la moyenne : aucun seuil ne "
                         "les sépare.")
        elif len(alone) > len(ranges) / 2:
            closest = sorted(alone)
            gaps = [(b[0] - a[0], a, b) for a, b in zip(closest, closest[1:])]
            gap, low, high = min(gaps) if gaps else (0, closest[0], closest[0])
            lines.append(f"{table} : les classes publiées suivent l'ordre des moyennes mais aucune règle énoncée : "
                         f"{len(ranges)} classes pour {len(labels)} moyennes, dont {len(alone)} ne contiennent qu'une "
                         f"moyenne (par exemple {_fr(low[0])} « {low[1]} » et {_fr(high[0])} « {high[1]} », à "
                         f"{_fr(gap)} point l'une de l'autre) : leurs bornes sont ajustées aux valeurs.")
        word = block.get("spread_word")
        if word:
            marked = [sd for (_m, sd), e in labels if word in e["text"].lower()]
            unmarked = [sd for (_m, sd), e in labels if word not in e["text"].lower()]
            if marked and unmarked and max(unmarked) >= min(marked):
                lines.append(_spread_word_finding(table, word, marked, unmarked))
    if lines:
        lines.append("Le chapitre régénéré applique la règle que son plan d'analyse énonce (note sous le tableau) ; "
                     "ses libellés peuvent donc différer des libellés publiés.")
    return lines


def report_markdown(table: pd.DataFrame, audit: pd.DataFrame, publication: Publication,
                    descriptives: pd.DataFrame, chapter: str, wave_label: str) -> str:
    """The whole report (Markdown, French)."""
    differences, shared = distinct_differences(table)
    ranks = rank_differences(publication.items, descriptives)
    structure = structure_differences(publication.structure, chapter) if publication.structure else []
    structure += row_differences(publication.items, chapter)
    lines = [f"# Reproduction des résultats publiés — {_cell(wave_label)}", "",
             f"Source : {_cell(publication.source)}.", ""]
    ranked = any(i.kind == "mean_sd" and i.rank and not i.group for i in publication.items)
    lines += _summary(table, differences, audit, ranks, structure, ranked)
    lines += ["## Écarts", ""]
    if differences.empty:
        lines.append("Aucun écart : chaque nombre publié est retrouvé à la précision publiée.")
    else:
        if shared:
            lines += [f"Cause commune à ces écarts : {_cell(' ; '.join(shared))}.", ""]  # lower case after « : »
        lines += ["| référence | grandeur | publié | recalculé | explication | aussi cité dans |",
                  "|---|---|---:|---:|---|---|"]
        lines += [f"| {_cell(r.ref)} | {QUANTITIES.get(r.quantity, r.quantity)} | {r.published} | {r.regenerated} | "
                  f"{_cell(r.explanation)} | {_cell(r.also)} |" for r in differences.itertuples()]
    if ranked:
        lines += ["", "## Rangs des tableaux classés", ""]
        lines += [f"- {_cell(line)}" for line in ranks] or ["L'ordre publié de chaque tableau classé est retrouvé."]
    interpretations = interpretation_findings(publication)
    if interpretations:
        lines += ["", "## Libellés d'interprétation", ""] + [f"- {_cell(line)}" for line in interpretations]
    if publication.structure or structure:
        lines += ["", "## Structure du chapitre", ""]
        lines += [f"- {_cell(line)}" for line in structure] or ["Mêmes sections, tableaux et figures que le chapitre publié."]
    flagged = audit[audit["status"] != "ok"]
    lines += ["", "## Audit des nombres publiés", "", _audit_count(len(audit), len(flagged)), ""]
    if not flagged.empty:
        lines += ["| référence | vérification | statut | publié | recalculé | explication |",
                  "|---|---|---|---:|---:|---|"]
        lines += [f"| {_cell(r.ref)} | {r.check} | {r.status} | {_cell(r.published)} | {_cell(r.recomputed)} | "
                  f"{_cell(r.explanation)} |" for r in flagged.itertuples()]
    by_kind = table.groupby("kind")["match"].agg(["sum", "count"])
    lines += ["", "## Détail par type de nombre", "", "| type | retrouvés | publiés |", "|---|---:|---:|"]
    lines += [f"| {KINDS.get(kind, kind)} | {int(row['sum'])} | {int(row['count'])} |"
              for kind, row in by_kind.iterrows()]
    lines += ["", "## Glossaire", ""] + [f"- **{term}** : {text}" for term, text in GLOSSARY]
    lines += ["", "## Annexe : tous les nombres publiés", "", "Chaque nombre publié, à côté du nombre régénéré.", "",
              "| référence | grandeur | publié | régénéré | retrouvé |", "|---|---|---:|---:|:---:|"]
    lines += [f"| {_cell(r.ref)} | {QUANTITIES.get(r.quantity, r.quantity)} | {r.published} | {r.regenerated or '—'} | "
              f"{'oui' if r.match else 'non'} |" for r in table.itertuples()]
    return "\n".join(lines) + "\n"
