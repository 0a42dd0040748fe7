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


def count(share: Share, noun: tuple[str, str] | None) -> str:
    """« 22 répondants (56,4 %) »: the tables' n (%) with the noun agreed; « 22 (56,4 %) » when `noun` is None
    (the text has named the respondents already: subject ellipsis rather than the same noun again)."""
    if noun is None:
        return f"{share.n_text} ({share.pct_text})"
    return f"{share.n_text} {plural(share.n, *noun)} ({share.pct_text})"


def count_each(share: Share, noun: tuple[str, str] | None) -> str:
    """« 14 répondants chacune (35,9 %) » for tied answers (« 14 chacune (35,9 %) » when `noun` is None)."""
    if noun is None:
        return f"{share.n_text} chacune ({share.pct_text})"
    return f"{share.n_text} {plural(share.n, *noun)} chacune ({share.pct_text})"


# Words starting with an aspirated h take no elision (« de « Hausse » »); every other h is mute (« d'« Homme » »).
_ASPIRATED_H = ("hach", "haie", "haine", "hall", "halte", "hamac", "hameau", "hanche", "handi", "hangar", "hanté",
                "harcel", "hardi", "hareng", "haric", "hasard", "hât", "haus", "haut", "héros", "hibou", "hiérarch",
                "hochet", "homard", "honte", "hors", "hotte", "houl", "hublot", "huit", "hurl")


def elides(text: str) -> bool:
    """Whether « de », « le », « que »… elide before `text` (its first word, past an opening « and spaces):
    before a vowel or a mute h, not before « oui », « onze » or a y sounded as a consonant (« yaourt »)."""
    word = text.lstrip("« \u00a0\u202f*_").lower()
    if not word or not word[0].isalpha():
        return False
    if re.match(r"(oui|onze|onzième)\b", word) or re.match(r"y[aeiouéèêàâ]", word):
        return False
    if word[0] == "h":
        return not word.startswith(_ASPIRATED_H)
    return word[0] in "aeiouyàâäéèêëîïôöùûüœæ"


def de(text: str) -> str:
    """« de « Femme » » or, before a vowel or a mute h, « d'« Homme » »."""
    return f"d'{text}" if elides(text) else f"de {text}"


def lower_label(label: str, proper: frozenset[str] | set[str] = frozenset()) -> str:
    """A label inside a sentence: its first letter lower-cased (« concernent : perte de temps »), unless its
    first word is an acronym (« ORL », « IPA en ville », « DMP »), holds a capital past its first letter
    (« eHealth », « McKinsey ») or is one of `proper`, the proper nouns of the study (see `proper_nouns`)."""
    first = re.split(r"[\s'’\-]", label.strip(), maxsplit=1)[0]
    if not first or not first[0].isupper() or any(ch.isupper() for ch in first[1:]) or first in proper:
        return label
    return label[:1].lower() + label[1:]


def proper_nouns(labels: list[str]) -> frozenset[str]:
    """The proper nouns a study's labels reveal: words written with a capital letter where they do not start
    their label (« Centre hospitalier de Lille » → Lille; « Agenda Doctolib » → Doctolib)."""
    found = set()
    for label in labels:
        words = re.findall(r"[\w’']+", label)
        found.update(w for w in words[1:] if w[:1].isupper() and not w.isupper())
    return frozenset(found)


def tie_groups(shares: list[Share]) -> list[list[Share]]:
    """Non-zero shares, most frequent first, answers with the same count grouped (ties), codebook order inside."""
    present = [s for s in shares if s.n > 0]
    ordered = sorted(present, key=lambda s: -s.n)
    return [list(group) for _n, group in groupby(ordered, key=lambda s: s.n)]


def _group_text(group: list[Share], noun: tuple[str, str] | None) -> str:
    """One group of tied answers; `noun` None once the sentence has named the respondents (subject ellipsis)."""
    labels = join([quoted(s.label) for s in group])
    if len(group) == 1:
        return f"{labels} avec {count(group[0], noun)}"
    return f"{labels} à égalité avec {count_each(group[0], noun)}"


def ranking(shares: list[Share], noun: tuple[str, str] | None, item: tuple[str, str] = ("réponse", "réponses"),
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
    return f"{head}, {follow} {de(join([_group_text(g, None) for g in rest], 'puis'))}"


def distribution(variable: str, shares: list[Share], noun: tuple[str, str] | None) -> str:
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


def listing(groups: list[list[Share]], noun: tuple[str, str] | None) -> str:
    """« « A » avec 12 répondants (30 %), « B » avec 8 (20 %) »: the noun once, at the first count."""
    return join([_group_text(g, noun if index == 0 else None) for index, g in enumerate(groups)])


def options(variable: str, shares: list[Share], noun: tuple[str, str], asked: str, asked_word: str,
            top: int = 3, named: bool = True) -> str:
    """A multi-response question: the options ticked most often (ties kept together), out of those asked
    (`named` False: the counts without the respondents' noun, which the denominator gives)."""
    shown = top_groups(shares, top)
    who = f"{asked} {noun[1] if asked not in ('0', '1') else noun[0]} {asked_word}"
    if not shown:
        return f"{lead(variable)} aucune option cochée ({who})."
    many = sum(len(g) for g in shown) > 1
    head = "les options les plus cochées sont" if many else "l'option la plus cochée est"
    return f"{lead(variable)} {head} {listing(shown, noun if named else None)} (plusieurs réponses possibles, {who})."


def ranked(items: list[tuple[str, str, str]], what: str = "Les scores moyens les plus élevés concernent") -> str:
    """Items ranked by mean; `items` is [(label, mean text, mean ± SD text)], best first, labels as they read
    inside a sentence (`lower_label`).

    Items whose means print the same are written as a tie: « a (5,3 ± 3,2) et b (5,3 ± 2,8), à égalité »."""
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
    """« entre les groupes « A » et « B » », the groups a comparison sets against each other."""
    return "entre les groupes " + join([quoted(g) for g in groups])


def about(variable: str) -> str:
    """How a sentence about one question starts, whatever its label's grammar (« Âge », « Utilise des outils
    numériques », « Pratiquez-vous… ? »): « Pour la question « Âge », »."""
    return f"Pour la question {quoted(variable.rstrip(' :' + NBSP))},"


def comparison(variable: str, groups: list[str], significant: bool, test: str, p_text: str) -> str:
    """« Pour la question « Âge », la répartition diffère significativement entre les groupes « A », « B » et
    « C » (test exact de Fisher, p = 0,0051). »"""
    if not filled(test) or not filled(p_text):  # no test ran: no verdict, no empty « (, p = ) »
        return f"{about(variable)} la répartition n'est pas comparée {between(groups)} (aucun test possible)."
    verb = "diffère significativement" if significant else "ne diffère pas significativement"
    return f"{about(variable)} la répartition {verb} {between(groups)} ({test}, {p_text})."


def de_questions(variables: list[str]) -> str:
    """« de la question « A » » or « des questions « A » et « B » »."""
    quoted_all = join([quoted(v) for v in variables])
    return f"de la question {quoted_all}" if len(variables) == 1 else f"des questions {quoted_all}"


def p_range(p_texts: list[tuple[float, str]], words: tuple[str, str] = ("p", "p"), each: str = "chacune") -> str:
    """« p = 0,26 » for one value, « p de 0,0503 à 0,5202 » for several (given as (value, text)), « p = 1,0000 pour
    chacune » for several printed alike (the p's name would not agree with one value); `words`: the
    p's name, singular and plural (« p ajustée selon Holm », « p ajustées selon Holm »)."""
    ordered = sorted(p_texts)
    low, high = ordered[0][1], ordered[-1][1]
    if low == high:
        one = f"{words[0]}{NBSP}={NBSP}{low}" if not low.startswith("<") else f"{words[0]}{NBSP}{low}"
        return one if len(p_texts) == 1 else f"{one} pour {each}"  # several questions (scores: chacun), one value
    return f"{words[1]}{NBSP}de {low} à {high}"


def no_difference(variables: list[str], groups: list[str], tests: list[str], p_texts: list[tuple[float, str]],
                  p_words: tuple[str, str] = ("p", "p")) -> str:
    """One sentence for every question whose answers do not differ between the groups (instead of one each):
    « La répartition ne diffère significativement entre les groupes « A » et « B » pour aucune des questions
    suivantes : « Genre », « Structure » (tests exacts de Fisher, p de 0,26 à 0,52). »"""
    if len(variables) == 1:
        return (f"{about(variables[0])} la répartition ne diffère pas significativement {between(groups)} "
                f"({join(tests, 'ou')}, {p_range(p_texts, p_words)}).")
    return (f"La répartition ne diffère significativement {between(groups)} pour aucune des questions suivantes : "
            f"{join([quoted(v) for v in variables])} ({join(tests, 'ou')}, {p_range(p_texts, p_words)}).")


def overrepresented(parts: list[tuple[str, str, str, str]]) -> str:
    """« la réponse « Plus de 50 ans » est surreprésentée dans le groupe « B » (54,5 % contre 20,5 % sur
    l'ensemble) et la réponse « Moins de 35 ans » dans le groupe « A » (…) »; `parts`: (answer, group, share in
    the group, share overall)."""
    clauses = []
    for index, (answer, group, share, overall) in enumerate(parts):
        verb = " est surreprésentée" if index == 0 else ""
        clauses.append(f"la réponse {quoted(answer)}{verb} dans le groupe {quoted(group)} ({share} contre {overall} "
                       "sur l'ensemble)")
    return join(clauses)


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


def sentence(text: str) -> str:
    """`text` ending with one full stop (a definition typed with or without its own)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def open_category(label: str, count_text: str, definition: str, quotes: list[str], sample: bool) -> str:
    """A category of an open question: its count, what it holds (the definition of the categories file) and its
    quotes, « par exemple » only when they are a sample of its answers.

    « Rémunération : 2 réponses (11,8 %). Montant ou délais de paiement. Les réponses : « A » et « B ». »"""
    text = f"{label} : {count_text}."
    if definition.strip():
        text += " " + sentence(definition[:1].upper() + definition[1:])
    if quotes:
        listed = join(quotes, "ou") if sample else join(quotes)
        text += f" Par exemple : {listed}" if sample else \
            f" {'La réponse' if len(quotes) == 1 else 'Les réponses'} : {listed}"
        # a quote that ends with its own full stop ends the sentence: no second point after »
        text += "" if re.search(r"[.!?…][\s\u00a0]*»$", listed) else "."
    return text


def empty_categories(labels: list[str]) -> str:
    """The categories nobody's answer fell into, said once rather than listed at 0 (0 %)."""
    if not labels:
        return ""
    if len(labels) == 1:
        return f"Aucune réponse ne relève de la catégorie {quoted(labels[0])}."
    return f"Aucune réponse ne relève des catégories {join([quoted(label) for label in labels])}."


# A closing bracket that names a scale's end (« de 1 (jamais) à 10 (toujours) »): it follows a number.
_ANCHOR = re.compile(r"\d\s*\([^()]*\)\s*$")
_LAST_BRACKET = re.compile(r"\(([^()]*)\)\s*$")


def within_bracket(text: str, addition: str) -> str:
    """`addition` in brackets after `text`, inside the bracket that already ends it when that bracket qualifies the
    whole title (never « (a) (b) »): « Usages (utilisateurs) » + « n = 669 » -> « Usages (utilisateurs, n = 669) ».
    A bracket that is the label's own words about a scale (a number or a colon inside, « (de 1 : jamais, à 10 :
    toujours) », or after a number, « à 10 (toujours) ») stays closed: « … (de 1 : …, à 10 : …) (n = 81) »."""
    last = _LAST_BRACKET.search(text.rstrip())
    if last and not _ANCHOR.search(text) and not re.search(r"[\d:]", last.group(1)):
        return f"{text.rstrip()[:-1]}, {addition})"
    return f"{text} ({addition})"


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
    """Spell out each abbreviation at its first use in running text: « IPA » -> « infirmier en pratique avancée (IPA) »;
    when the text writes the long form first (« le dossier médical partagé »), the abbreviation is introduced there
    (« le dossier médical partagé (DMP) ») and later uses stay short. An expansion never doubles a bracket: « … (DMP)
    (5,3 ± 2,8) » is written « … (DMP ; 5,3 ± 2,8) ».

    Running text: paragraphs and list items, not headings, tables, captions, quoted answers, code or links."""
    lines = text.split("\n")
    pending = dict(abbreviations)
    for index, line in enumerate(lines):
        if not pending:
            break
        if not line.strip() or line.lstrip().startswith(("#", "|", "Table:", "![", "---", ">", ":::", "*")):
            continue
        for short in sorted(pending):
            protected = [(m.start(), m.end()) for regex in (_QUOTED, _CODE) for m in regex.finditer(line)]
            free = [m for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", line)
                    if not any(a <= m.start() < b for a, b in protected)]
            longs = [m for m in re.finditer(rf"(?<![\w-]){re.escape(pending[short])}(?![\w-])", line, re.IGNORECASE)
                     if not any(a <= m.start() < b for a, b in protected)]
            if longs and (not free or longs[0].start() < free[0].start()):
                pending.pop(short)
                line = _introduce(line, longs[0].end(), short)
            elif free:
                match = free[0]
                long = escape(pending.pop(short))  # study-file text: printed as text (see markup)
                before = line[:match.start()]
                if not before.strip(" -*>") or before.rstrip().endswith((".", "!", "?")):
                    long = long[:1].upper() + long[1:]  # the expansion starts a sentence or a list item
                line = _introduce(f"{before}{long}", len(before) + len(long), short, line[match.end():])
        lines[index] = line
    return "\n".join(lines)


def _introduce(line: str, at: int, short: str, rest: str | None = None) -> str:
    """`line` with « (short) » after position `at` (then `rest`, by default what followed `at`); a bracket that
    follows at once is merged into it: « (DMP) (5,3 ± 2,8) » -> « (DMP ; 5,3 ± 2,8) »."""
    head, tail = line[:at], line[at:] if rest is None else rest
    if tail.lstrip(" ").startswith(f"({short})"):  # already introduced by the author
        return head + tail
    following = re.match(r"[ \u00a0]*\(", tail)
    if following:
        return f"{head} ({short}{NBSP}; {tail[following.end():]}"
    return f"{head} ({short}){tail}"


def model_association(head: str, outcome: str, associated: list[str], test: str) -> str:
    """The multivariable model in one sentence: which covariates are associated with the outcome, read from the
    results (`associated`: « Âge (p = 0,012 ; « Plus de 50 ans » : OR ajusté 3,2 [IC 95 % 1,1 ; 9,8]) »).

    « En analyse multivariée (n = 669 observations complètes, 548 événements), aucune variable n'est associée
    significativement à … (test du rapport de vraisemblance). »"""
    if not associated:
        return f"{head}, aucune variable n'est associée significativement {to(outcome)} ({test})."
    verb = "est associée" if len(associated) == 1 else "sont associées"
    return f"{head}, {join(associated)} {verb} significativement {to(outcome)} ({test})."


def to(noun_phrase: str) -> str:
    """« à » before a noun phrase, contracted as French requires: « aux réponses », « au score », « à la réponse »."""
    for article, contracted in (("les ", "aux "), ("le ", "au ")):
        if noun_phrase.startswith(article):
            return contracted + noun_phrase[len(article):]
    return f"à {noun_phrase}"
