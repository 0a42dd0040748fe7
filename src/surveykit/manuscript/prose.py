"""French sentences a careful author would write, from already formatted numbers.

Small, tested functions rather than template tricks: lists joined with « et », ties written as ties
(« à égalité »), no level nobody chose, « la majorité » only above one half, agreement in number
(« 1 répondant », « 2 répondants »), answers quoted as the codebook writes them (« Femme »), never
lowercased, and no sentence starting with a numeral. French typography (non-breaking spaces before
« : ; ! ? » and inside « ») is applied to the whole chapter by `typography`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from .markup import escape

NBSP = "\u00a0"
NNBSP = "\u202f"


@dataclass(frozen=True)
class Share:
    """One level (or group, or category) with its count and percentage, as the registry prints them."""

    label: str
    n: int
    n_text: str
    pct: float
    pct_text: str


def join(items: list[str], last: str = "et") -> str:
    """« a », « a et b », « a, b et c »."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def quoted(text: str) -> str:
    """An answer as the codebook writes it, between French quotes (spaced by `typography`)."""
    return f"« {text} »"


def lead(label: str) -> str:
    """How a sentence about a variable starts: « Genre : » or, for a question, « À la question « … ? », »."""
    label = label.rstrip(" :\u00a0")
    return f"À la question {quoted(label)}," if label.endswith("?") else f"{label} :"


def plural(n: int, singular: str, plural_form: str) -> str:
    """French agreement: 0 and 1 take the singular."""
    return singular if abs(n) < 2 else plural_form


def count(share: Share, noun: tuple[str, str]) -> str:
    """« 22 répondants (56,4 %) »: the tables' n (%) with the noun agreed."""
    return f"{share.n_text} {plural(share.n, *noun)} ({share.pct_text})"


def count_each(share: Share, noun: tuple[str, str]) -> str:
    """« 14 répondants chacune (35,9 %) » for tied answers."""
    return f"{share.n_text} {plural(share.n, *noun)} chacune ({share.pct_text})"


def tie_groups(shares: list[Share]) -> list[list[Share]]:
    """Non-zero shares, most frequent first, answers with the same count grouped (ties), codebook order inside."""
    present = [s for s in shares if s.n > 0]
    ordered = sorted(present, key=lambda s: -s.n)
    return [list(group) for _n, group in groupby(ordered, key=lambda s: s.n)]


def _group_text(group: list[Share], noun: tuple[str, str]) -> str:
    labels = join([quoted(s.label) for s in group])
    if len(group) == 1:
        return f"{labels} avec {count(group[0], noun)}"
    return f"{labels} à égalité avec {count_each(group[0], noun)}"


def ranking(shares: list[Share], noun: tuple[str, str], item: tuple[str, str] = ("réponse", "réponses"),
            cited: str = "la plus fréquente") -> str:
    """« « Femme » est la réponse majoritaire avec 22 répondants (56,4 %), suivie de « Homme » avec … »

    `item` names what the levels are (feminine nouns: réponse, fréquence, spécialité…); `cited` says how the
    first is qualified (« la plus fréquente », « la plus citée »). « majoritaire » only above one half; ties
    are written as ties; levels nobody gave are left out."""
    groups = tie_groups(shares)
    if not groups:
        return f"aucune {item[0]} donnée"
    top, rest = groups[0], groups[1:]
    if len(top) == 1 and top[0].pct > 50:
        head = f"{quoted(top[0].label)} est la {item[0]} majoritaire avec {count(top[0], noun)}"
    elif len(top) == 1:
        head = f"{quoted(top[0].label)} est la {item[0]} {cited} avec {count(top[0], noun)}"
    else:
        plural_cited = " ".join(w + "s" if w in ("fréquente", "citée", "sollicitée") else w for w in cited.split())
        plural_cited = plural_cited.replace("la plus", "les plus")
        head = f"{join([quoted(s.label) for s in top])} sont les {item[1]} {plural_cited}, à égalité avec " \
               f"{count_each(top[0], noun)}"
    if not rest:
        return head
    follow = "suivie" if len(top) == 1 else "suivies"
    return f"{head}, {follow} de {join([_group_text(g, noun) for g in rest], 'puis')}"


def distribution(variable: str, shares: list[Share], noun: tuple[str, str]) -> str:
    """One sentence on a single-choice variable: the most frequent answer(s), then the others in order.

    « Genre : « Femme » est la réponse majoritaire avec 22 répondants (56,4 %), suivie de « Homme » (…). »"""
    if not tie_groups(shares):
        return f"{lead(variable)} aucune réponse."
    return f"{lead(variable)} {ranking(shares, noun)}."


def top_groups(shares: list[Share], top: int) -> list[list[Share]]:
    """The tie groups holding the `top` most frequent answers (a tie is never cut)."""
    shown, kept = [], 0
    for group in tie_groups(shares):
        if kept >= top:
            break
        shown.append(group)
        kept += len(group)
    return shown


def listing(groups: list[list[Share]], noun: tuple[str, str]) -> str:
    return join([_group_text(g, noun) for g in groups])


def options(variable: str, shares: list[Share], noun: tuple[str, str], asked: str, asked_word: str,
            top: int = 3) -> str:
    """A multi-response question: the options ticked most often (ties kept together), out of those asked."""
    shown = top_groups(shares, top)
    who = f"{asked} {noun[1] if asked not in ('0', '1') else noun[0]} {asked_word}"
    if not shown:
        return f"{lead(variable)} aucune option cochée ({who})."
    many = sum(len(g) for g in shown) > 1
    head = "les options les plus cochées sont" if many else "l'option la plus cochée est"
    return f"{lead(variable)} {head} {listing(shown, noun)} (plusieurs réponses possibles, {who})."


def ranked(items: list[tuple[str, str, str]], what: str = "Les scores moyens les plus élevés concernent") -> str:
    """Items ranked by mean; `items` is [(label, mean text, mean ± SD text)], best first.

    Items whose means print the same are written as a tie: « A (5,3 ± 3,2) et B (5,3 ± 2,8), à égalité »."""
    groups = [list(group) for _mean, group in groupby(items, key=lambda item: item[1])]
    sentence = ""
    for index, group in enumerate(groups):
        if index:
            last = index == len(groups) - 1
            sentence += " puis " if last else (" " if len(groups[index - 1]) > 1 else ", ")
        sentence += join([f"{label} ({value})" for label, _m, value in group])
        if len(group) > 1:
            sentence += ", à égalité" + ("," if index < len(groups) - 1 else "")
    return f"{what} : {sentence}."


def grid_top(label: str, shares: list[Share], positive: str, among: str, top: int = 3) -> str:
    """A choice grid's items with the highest share at the positive end, best first (`shares`: one per item, its
    share at the positive end; ties kept together and never cut).

    « Usage : les items dont la part de réponses « Souvent » ou « Toujours » (hors « Ne sait pas ») est la plus
    élevée sont Messagerie (84,4 %), Agenda (62,9 %) et DMP (44,8 %). »"""
    groups = [list(g) for _t, g in groupby([s for s in shares if s.pct == s.pct], key=lambda s: s.pct_text)]
    shown, kept = [], 0
    for group in groups:
        if kept >= top:
            break
        shown.append(group)
        kept += len(group)
    if not shown:
        return f"{lead(label)} aucune réponse{among}."
    parts = [f"{join([s.label for s in g])} ({g[0].pct_text}{' chacun' if len(g) > 1 else ''})" for g in shown]
    many = kept > 1
    subject = "les items dont" if many else "l'item dont"
    verb = "sont" if many else "est"
    return f"{lead(label)} {subject} la part de réponses {positive}{among} est la plus élevée {verb} {join(parts)}."


def grid_modes(modes: list[tuple[str, list[Share]]]) -> str:
    """The most frequent answer of each item of a choice grid, items that share it together, ties as ties.

    « Réponse la plus fréquente : « Souvent » pour A (48,6 %) et B (29,6 %) ; « Jamais » et « Rarement », à
    égalité, pour C (27,6 % chacune). »"""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for item, tie in modes:
        levels = tuple(s.label for s in tie)
        each = " chacune" if len(tie) > 1 else ""
        grouped.setdefault(levels, []).append(f"{item} ({tie[0].pct_text}{each})")
    parts = []
    for levels, items in grouped.items():
        quoted_levels = join([quoted(level) for level in levels])
        parts.append(f"{quoted_levels}{', à égalité,' if len(levels) > 1 else ''} pour {join(items)}")
    if not parts:
        return "Aucune réponse."
    return f"Réponse la plus fréquente : {' ; '.join(parts)}."


def between(groups: list[str]) -> str:
    """« entre « A » et « B » », the groups a comparison sets against each other."""
    return "entre " + join([quoted(g) for g in groups])


def comparison(variable: str, groups: list[str], significant: bool, test: str, p_text: str) -> str:
    """« Âge : la répartition diffère significativement entre « A », « B » et « C » (test exact de Fisher,
    p = 0,0051). »"""
    if not filled(test) or not filled(p_text):  # no test ran: no verdict, no empty « (, p = ) »
        return f"{lead(variable)} la répartition n'est pas comparée {between(groups)} (aucun test possible)."
    verb = "diffère significativement" if significant else "ne diffère pas significativement"
    return f"{lead(variable)} la répartition {verb} {between(groups)} ({test}, {p_text})."


def filled(text: object) -> bool:
    """Whether a formatted value has something to print (not empty, not a missing number)."""
    value = str(text if text is not None else "").strip()
    return bool(value) and value.lower() not in ("nan", "none", "na", "<na>") and value not in ("p =", "p\u00a0=")


def contrast(level: str, high: tuple[str, Share], low: tuple[str, Share], nobody: str = "aucun répondant") -> str:
    """What differs most between groups for one answer: its largest and smallest share, both named.

    A group where nobody gave the answer reads `nobody` (« aucun répondant ») rather than « 0 % »."""
    (high_group, high_share), (low_group, low_share) = high, low
    low_text = f"{nobody} dans {low_group}" if low_share.n == 0 else f"{low_share.pct_text} dans {low_group}"
    return f"{quoted(level)} : {high_share.pct_text} dans {high_group} contre {low_text}"


def first_word_not_numeral(sentence: str, lead: str) -> str:
    """A sentence never starts with a numeral: « 82,1 % des … » becomes « Au total, 82,1 % des … »."""
    return f"{lead} {sentence}" if sentence[:1].isdigit() else sentence


# Left as written: code, link targets, tags, URLs, and the HTML entities that escape labels (report.markup).
_CODE = re.compile(r"(`[^`]*`|\]\([^)]*\)(?:\{[^}]*\})?|<[^>]+>|https?://\S+|&#?\w+;)")


def typography(text: str) -> str:
    """French typography outside code, links and tags: a non-breaking space before « : ; ! ? » and inside
    « », a narrow one where none was typed (« 56,4 % » keeps its NBSP)."""
    pieces = _CODE.split(text)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a captured piece of code, link, tag or front matter: left as written
            out.append(piece)
            continue
        piece = re.sub(r"[ \t]+([:;?»]|!(?!\[))", lambda m: NBSP + m.group(1), piece)
        piece = re.sub(r"(?<=\w)([;?»]|!(?!\[))", lambda m: NNBSP + m.group(1), piece)
        piece = re.sub(r"«[ \t\u00a0]*", "«" + NBSP, piece)
        out.append(piece)
    return "".join(out)


_QUOTED = re.compile(r"«[^»]*»")


def expand_abbreviations(text: str, abbreviations: dict[str, str]) -> str:
    """Spell out each abbreviation at its first use in running text: « IPA » -> « infirmier en pratique avancée (IPA) ».

    Running text: paragraphs and list items, not headings, tables, captions, quoted answers, code or links."""
    lines = text.split("\n")
    pending = dict(abbreviations)
    for index, line in enumerate(lines):
        if not pending:
            break
        if not line.strip() or line.lstrip().startswith(("#", "|", "Table:", "![", "---", ">")):
            continue
        for short in sorted(pending):
            pattern = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
            protected = [(m.start(), m.end()) for regex in (_QUOTED, _CODE) for m in regex.finditer(line)]
            match = next((m for m in pattern.finditer(line)
                          if not any(a <= m.start() < b for a, b in protected)), None)
            if match:
                long = escape(pending.pop(short))  # study-file text: printed as text (see markup)
                before = line[:match.start()]
                if not before.strip(" -*>") or before.rstrip().endswith((".", "!", "?")):
                    long = long[:1].upper() + long[1:]  # the expansion starts a sentence or a list item
                line = f"{before}{long} ({short}){line[match.end():]}"
        lines[index] = line
    return "\n".join(lines)
