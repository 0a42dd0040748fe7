"""Render the Résultats chapter (Markdown) from the registry, the formatted tables and the figures."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveykit.analysis.describe import ALL, MISSING_LABEL
from surveykit.analysis.format import ADJUSTED_COLUMN, adjusted_p_words
from surveykit.core import fmt
from surveykit.core.testnames import TEST_LABELS_FR, TEST_LABELS_FR_PLURAL
from surveykit.figures.spec import figure_numbers
from surveykit.recode import reading_order

from . import prose
from .markup import Markdown, escape, escape_inline, render_template
from .prose import Share
from .registry import Registry


@dataclass(frozen=True)
class Level:
    level: str
    n: int
    pct: float
    n_text: str
    pct_text: str


class Context:
    """What the template may call: every number goes through the registry."""

    def __init__(self, registry: Registry, tables: dict, figures: dict, labels: dict, alpha: float,
                 book=None, plan=None):
        self.V = registry
        self.tables = tables
        self.figures = figures
        self.labels = labels
        self.alpha = alpha
        self.book = book
        self.plan = plan
        self.order: dict[str, list[str]] = {"table": [], "figure": []}
        self.figure_data: dict[str, dict] = {}
        self.reference_figures: tuple = ()  # figures.spec.ReferenceFigure: published figures not drawn
        self.numbers: dict[str, list[str]] | None = None

    def levels(self, table: str, variable: str, group: str = ALL, order: str = "n") -> list[Level]:
        """Levels of a variable with their counts, most frequent first (or in table order)."""
        prefix = f"{table}.{variable}."
        suffix = f".{group}.n"
        names = [k[len(prefix):-len(suffix)] for k in self.V.keys(prefix) if k.endswith(suffix)]
        names = [n for n in names if n and n != MISSING_LABEL and "." not in n]  # "": a grid's positive end
        rows = [Level(n, self.V.value(f"{prefix}{n}.{group}.n"), self.V.value(f"{prefix}{n}.{group}.pct"),
                      self.V.text(f"{prefix}{n}.{group}.n"), self.V.text(f"{prefix}{n}.{group}.pct")) for n in names]
        if order == "n":
            rows.sort(key=lambda r: (-r.n, r.level))
        return rows

    # ------------------------------------------------------------------ generic helpers (any study)

    @property
    def noun(self) -> tuple[str, str]:
        """(singular, plural) of how the study names its respondents."""
        return self.book.respondent_noun(False), self.book.respondent_noun(True)

    @property
    def asked_word(self) -> str:
        """« interrogés » or « interrogées », agreeing with the respondents' noun."""
        return "interrogées" if self.book.respondents.get("feminine") else "interrogés"

    @property
    def analysed_word(self) -> str:
        return "analysées" if self.book.respondents.get("feminine") else "analysés"

    def question(self, variable: str):
        return self.book.variable_question()[variable]

    def shares(self, table: str, variable: str, group: str = ALL) -> list[Share]:
        """Each level of a categorical variable with its count, in codebook order (registry texts)."""
        base = f"{table}.{variable}."
        rows = []
        for level in self.question(variable).levels:
            key = f"{base}{level}.{group}"
            if f"{key}.n" in self.V and f"{key}.pct" in self.V:
                rows.append(Share(level, self.V.value(f"{key}.n"), self.V.text(f"{key}.n"),
                                  self.V.value(f"{key}.pct"), self.V.text(f"{key}.pct")))
        return rows

    def groups(self, table: str) -> list[str]:
        spec = self.plan.table(table)
        return list(self.question(spec.by).levels) if spec.by else [ALL]

    def group_name(self, table: str, group: str) -> str:
        return prose.quoted(self.plan.group_label(self.plan.table(table).by, group))

    def group_names(self, table: str) -> list[str]:
        """The printed names of a table's groups (the plan's group labels, else the levels)."""
        return [self.plan.group_label(self.plan.table(table).by, g) for g in self.groups(table)]

    def by_label(self, table: str) -> str:
        by = self.plan.table(table).by
        return self.labels.get(by, by)

    def test_name(self, key: str) -> str:
        """The test's French name; a Monte-Carlo p with its draws and seed (« test exact de Fisher avec valeur de p
        simulée par Monte-Carlo sur 2 000 tirages, graine 20250409 »)."""
        test = self.V.value(key)
        mc = key[: -len(".test")] + ".monte_carlo"
        if test == "fisher_mc" and mc in self.V:
            return f"{TEST_LABELS_FR['fisher']} avec {self.V.text(mc)}"
        return TEST_LABELS_FR.get(test, test)

    def test_names(self, keys: list[str]) -> list[str]:
        """The tests of several comparisons, each named once, in the plural when it ran more than once; Fisher's
        exact tests with and without simulation are one family (« tests exacts de Fisher, dont un avec valeur de p
        simulée par Monte-Carlo », not « test exact de Fisher ou test exact de Fisher avec … »)."""
        tests = [self.V.value(key) for key in keys]
        family = {"fisher", "fisher_mc"} <= set(tests)
        names = []
        for test in dict.fromkeys(tests):
            name = (_fisher_family(tests.count("fisher_mc")) if family and test in ("fisher", "fisher_mc")
                    else TEST_LABELS_FR_PLURAL.get(test, test) if tests.count(test) > 1
                    else TEST_LABELS_FR.get(test, test))
            names += [] if name in names else [name]  # the family is said once, where its first test comes
        return names

    @property
    def proper(self) -> frozenset[str]:
        """The proper nouns the study's labels reveal (kept capitalised inside a sentence, see prose.lower_label)."""
        labels = list(self.labels.values()) + [level for q in self.book.questions for level in q.levels]
        return prose.proper_nouns([str(label) for label in labels])

    def in_sentence(self, variable: str) -> str:
        """A variable's label as it reads inside a sentence (« perte de temps », « DMP », « Doctolib »)."""
        return prose.lower_label(self.labels.get(variable, variable), self.proper)

    def items_in_sentence(self, variables: list[str]) -> dict[str, str]:
        """A grid's items named inside a sentence: quoted as written, as the comparison names them. An item may be
        a noun without its article (« Identité nationale de santé »: « pour identité nationale… » would lack it)
        or a statement (« Le numérique a augmenté ma charge »), which no lower-casing turns into a noun phrase."""
        return {v: prose.quoted(self.labels.get(v, v)) for v in variables}

    def describe(self, table: str) -> list[str]:
        """The sentences the generic chapter writes under a table, by the table's kind."""
        spec = self.plan.table(table)
        if spec.kind == "categorical" and spec.by:
            return self._describe_comparisons(spec) if spec.compares else []
        if spec.kind == "categorical":  # the respondents' noun at the first count only, then counts alone
            return [s for i, v in enumerate(spec.variables) for s in self._describe_categorical(spec, v, i == 0)]
        if spec.kind == "scores":
            return self._describe_scores(spec)
        if spec.kind == "summary":
            return [self._describe_summary(spec, v) for v in spec.variables]
        if spec.kind == "grid_choice":
            return self._describe_grid(spec)
        if spec.kind == "regression":
            return self._describe_regression(spec)
        return []

    # ------------------------------------------------------------------ regression tables

    def _describe_regression(self, spec) -> list[str]:
        """The multivariable model: the covariates associated with the outcome (global p below alpha) with their
        adjusted estimates, or why the model has no estimate; a warning when events per parameter are below 10."""
        base = f"{spec.id}.modele"
        outcome = self.V.text(f"{base}.evenement")
        if not self.V.value(f"{base}.estimable"):
            return [f"Le modèle multivarié de {outcome} n'a pas pu être estimé : {self.V.text(f'{base}.raison')}."]
        logistic = spec.regression.model == "logistic"
        n = self.V.text(f"{base}.n")
        head = f"En analyse multivariée ({fmt.n_equals(n)} observations complètes"
        head += f", dont {self.V.text(f'{base}.evenements')} événements)" if logistic else ")"
        test = "test du rapport de vraisemblance" if logistic else "test F"
        associated = [self._model_covariate(spec, c) for c in spec.regression.covariates
                      if self.V.value(f"{spec.id}.{c.variable}.significant")]
        sentences = [prose.model_association(head, outcome, associated, test)]
        epv = self.V.value(f"{base}.epv") if logistic else None
        if epv is not None and epv < 10:
            events = prose.plural(epv, "événement", "événements")
            sentences.append(f"Avec {self.V.text(f'{base}.epv')} {events} par paramètre estimé (moins de 10), "
                             "ces estimations ajustées sont instables et à lire avec prudence.")
        return sentences

    def _model_covariate(self, spec, covariate) -> str:
        """« Âge (p = 0,012 ; « Plus de 50 ans » contre « Moins de 35 ans » : OR ajusté 3,2 [IC 95 % 1,1 ; 9,8]) »."""
        key = f"{spec.id}.{covariate.variable}"
        short, word = ("or", "OR ajusté") if spec.regression.model == "logistic" else ("coef", "coefficient ajusté")
        label = self.labels.get(covariate.variable, covariate.variable)
        if covariate.numeric:
            estimates = [f"{word} par unité {self.V.text(f'{key}.{short}_adj')}"]
        else:
            reference = self.V.text(f"{key}.reference")
            estimates = [f"{prose.quoted(level)} contre {prose.quoted(reference)} : {word} "
                         f"{self.V.text(f'{key}.{level}.{short}_adj')}"
                         for level in self.question(covariate.variable).levels if f"{key}.{level}.{short}_adj" in self.V]
        return f"{label} ({self.V.text(f'{key}.p_global_sentence')} ; {' ; '.join(estimates)})"

    # ------------------------------------------------------------------ choice grids

    def grid_items(self, table: str) -> list[str]:
        """The items of a grid_choice table in its order (rank 1 = highest share at the positive end first)."""
        spec = self.plan.table(table)
        if spec.order != "positive_desc":
            return list(spec.variables)
        return sorted(spec.variables, key=lambda v: self.V.peek(f"{table}.{v}.{ALL}.rank").value)  # order, not quoted

    def _describe_grid(self, spec) -> list[str]:
        question = self.book.question(spec.grid)
        label = self.plan.variable_labels.get(spec.grid) or question.display_label
        items = self.grid_items(spec.id)
        if spec.by:  # as a categorical table by groups: the comparison; the overall answers have their own table
            return [self._grid_comparison(spec, items)] if spec.compares else []
        positive = prose.join([prose.quoted(level) for level in question.positive_levels], "ou")
        among = (" (hors " + prose.join([prose.quoted(level) for level in question.non_substantive]) + ")"
                 if question.non_substantive else "")
        by_share = sorted(items, key=lambda v: self.V.peek(f"{spec.id}.{v}.{ALL}.rank").value)
        named = self.items_in_sentence(items)
        shares = [Share(named[v], self.V.value(f"{spec.id}.{v}.{ALL}.n"),
                        self.V.text(f"{spec.id}.{v}.{ALL}.n"), self.V.value(f"{spec.id}.{v}.{ALL}.pct"),
                        self.V.text(f"{spec.id}.{v}.{ALL}.pct"))
                  for v in by_share if f"{spec.id}.{v}.{ALL}.pct" in self.V]
        modes = [(named[v], prose.tie_groups(self.shares(spec.id, v))) for v in items]
        return [prose.grid_top(label, shares, positive, among),
                prose.grid_modes([(item, groups[0]) for item, groups in modes if groups])]

    def _grid_comparison(self, spec, items: list[str]) -> str:
        """Which items differ between the groups (on Holm's adjusted p when the table adjusts), with each group's
        share at the positive end."""
        adjusted = spec.adjust == "holm"
        tested = [v for v in items if self.V.value(f"{spec.id}.{v}.test")]
        tests = list(dict.fromkeys(self.test_name(f"{spec.id}.{v}.test") for v in tested))
        how = prose.join(tests, "ou") + (", p ajustées par la méthode de Holm au sein de la grille" if adjusted else "")
        groups = prose.between(self.group_names(spec.id))
        key = "p_holm" if adjusted else "p"
        different = [v for v in tested if self.V.value(f"{spec.id}.{v}.{key}") < self.alpha]
        if not tested:
            return f"Aucun item n'a pu être comparé {groups}."
        if not different:
            return f"Aucun item ne diffère significativement {groups} ({how})."
        listed = []
        for v in different:
            text = self.V.text(f"{spec.id}.{v}.{key}")
            p_text = ("p ajustée" if adjusted else "p") + (f" {text}" if text.startswith("<") else f" = {text}")
            parts = [f"{self.V.text(f'{spec.id}.{v}.{g}.pct')} pour {self.group_name(spec.id, g)}"
                     for g in self.groups(spec.id) if f"{spec.id}.{v}.{g}.pct" in self.V]
            listed.append(f"{prose.quoted(self.labels.get(v, v))} ({p_text} ; pôle positif : {prose.join(parts)})")
        rest = len(tested) - len(different)
        others = "l'autre item" if rest == 1 else f"les {fmt.cardinal(rest)} autres items"
        tail = f" ; pas de différence significative pour {others}" if rest else ""
        return f"Les réponses diffèrent significativement {groups} ({how}) pour {prose.join(listed)}{tail}."

    # ------------------------------------------------------------------ significance as the table adjusts

    # the registry key of each adjusted p (its column in tests.csv) and its words in a sentence
    ADJUSTED_KEYS = {method: (column, adjusted_p_words(method)) for method, column in ADJUSTED_COLUMN.items()}

    def verdict(self, spec, base: str) -> tuple[bool, str]:
        """(significant, « p = 0,0065 ») of one comparison read on the p the table prints: adjusted when the plan
        adjusts the table, so that « significativement » never rests on a raw p the table corrects."""
        if spec.adjust not in self.ADJUSTED_KEYS:
            return bool(self.V.value(f"{base}.significant")), self.V.text(f"{base}.p_sentence")
        words = self.ADJUSTED_KEYS[spec.adjust][1][0]
        p, text = self.printed_p(spec, base)
        return bool(p < self.alpha), (f"{words}{fmt.NBSP}{text}" if text.startswith("<")
                                      else f"{words}{fmt.NBSP}={fmt.NBSP}{text}")

    def printed_p(self, spec, base: str) -> tuple[float, str]:
        """(value, text) of the p the table prints for one comparison: adjusted when the plan adjusts the table."""
        key = self.ADJUSTED_KEYS[spec.adjust][0] if spec.adjust in self.ADJUSTED_KEYS else "p"
        return self.V.value(f"{base}.{key}"), self.V.text(f"{base}.{key}")

    def _describe_categorical(self, spec, variable: str, first: bool = True) -> list[str]:
        """One sentence on a question's answers overall (a table without groups); the respondents' noun only in
        the table's `first` sentence (the next ones say « avec 167 (22,0 %) »)."""
        label = self.labels.get(variable, variable)
        question = self.question(variable)
        shares = self.shares(spec.id, variable)
        if question.is_multi:
            asked = self.V.text(f"{spec.id}.{variable}.{question.levels[0]}.{ALL}.denominator")
            if asked == "0":  # nobody asked, or nobody answered a question counted on those who answered
                return [prose.distribution(label, [], self.noun)]
            word = "ayant coché au moins une option" if question.counts_answered_only else self.asked_word
            return [prose.options(label, shares, self.noun, asked, word, named=first)]
        return [prose.distribution(label, shares, self.noun if first else None)]

    def _describe_comparisons(self, spec) -> list[str]:
        """The comparisons of a table by groups: a sentence for each question whose answers differ, then one
        sentence for all those that do not (never the same sentence once per question)."""
        sentences, alike, alike_options = [], [], []
        for variable in spec.variables:
            label, base = self.labels.get(variable, variable), f"{spec.id}.{variable}"
            if self.question(variable).is_multi:
                sentence = self._describe_options_by(spec, variable, label)
                sentences += [sentence] if sentence else []
                alike_options += [] if sentence else [label]
                continue
            significant, p_text = self.verdict(spec, base)
            if significant or not prose.filled(self.V.value(f"{base}.test")):
                sentence = prose.comparison(label, self.group_names(spec.id), significant,
                                            self.test_name(f"{base}.test"), p_text)
                if significant:
                    sentence = f"{sentence[:-1]} : {self._contrast(spec, variable)}."
                    pairs = self.pairs_clause(spec.id, variable)
                    if pairs:
                        sentence = f"{sentence[:-1]} ; comparaisons par paires (ajustement de Holm) : {pairs}."
                sentences.append(sentence)
            else:
                alike.append(variable)
        if alike:
            sentences.append(prose.no_difference(
                [self.labels.get(v, v) for v in alike], self.group_names(spec.id),
                self.test_names([f"{spec.id}.{v}.test" for v in alike]),
                [self.printed_p(spec, f"{spec.id}.{v}") for v in alike], self.p_words(spec)))
        if alike_options:
            sentences.append(
                f"Pour chacune des options {prose.de_questions(alike_options)}, la part des répondants qui la cochent ne "
                f"diffère pas significativement {prose.between(self.group_names(spec.id))} (un test par option).")
        return sentences

    def _contrast(self, spec, variable: str) -> str:
        """What differs between the groups: for the groups that stand out most, the answer over-represented in
        each (its share in the group beside its share overall), at most two, each a different answer."""
        overall = {s.label: s for s in self.shares(spec.id, variable)}
        standing = []
        for group in self.groups(spec.id):
            for share in self.shares(spec.id, variable, group):
                if share.label in overall and share.n > 0:
                    standing.append((share.pct - overall[share.label].pct, group, share))
        picked, answers = [], set()
        for gap, group, share in sorted(standing, key=lambda item: -item[0]):
            if gap <= 0 or share.label in answers or group in {g for g, _s in picked}:
                continue
            picked.append((group, share))
            answers.add(share.label)
            if len(picked) == 2:
                break
        return prose.overrepresented([(share.label, self.plan.group_label(spec.by, group), share.pct_text,
                                        overall[share.label].pct_text) for group, share in picked])

    def _describe_options_by(self, spec, variable: str, label: str) -> str:
        """The options of a multi-response question whose share differs between the groups; "" when none does
        (`_describe_comparisons` says so once for all such questions)."""
        base = f"{spec.id}.{variable}"
        options = [lv for lv in self.question(variable).levels if f"{base}.{lv}.significant" in self.V]
        different = [lv for lv in options if self.verdict(spec, f"{base}.{lv}")[0]]
        if not different:
            return ""
        tests = self.test_names([f"{base}.{lv}.test" for lv in different])
        listed = prose.join([f"{prose.quoted(lv)} ({self.verdict(spec, f'{base}.{lv}')[1]}"
                             f"{self._estimate_clause(f'{base}.{lv}')})" for lv in different])
        order = self._estimate_order([f"{base}.{lv}" for lv in different])
        return (f"{prose.about(label)} la part de répondants cochant l'option diffère significativement "
                f"{prose.between(self.group_names(spec.id))} ({prose.join(tests, 'ou')}, un test par option{order}) "
                f"pour {listed}.")

    def pairs_clause(self, table: str, variable: str, level: str = "") -> str:
        """« « A » et « B » diffèrent (p ajustée = 0,0024), pas les 2 autres paires », read from the pairs compared
        after a rejected global test (Holm over the pairs); "" when no pair was compared."""
        base = f"{table}.{variable}" + (f".{level}" if level else "") + ".paire."
        keys = [k for k in self.V.keys(base) if k.endswith(".p")]
        if not keys:
            return ""
        groups = self.groups(table)
        pairs = []
        for key in keys:
            rest = key[len(base):-len(".p")]
            first = next(g for g in groups if rest.startswith(f"{g}."))
            pairs.append((first, rest[len(first) + 1:], key))
        differing = [(a, b, key) for a, b, key in pairs if self.V.value(key) < self.alpha]
        if not differing:
            return "aucune paire de groupes ne diffère significativement"
        listed = [f"{self.group_name(table, a)} et {self.group_name(table, b)} ({self._adjusted_p_text(key)})"
                  for a, b, key in differing]
        verb = "diffèrent" if len(differing) == 1 else "diffèrent deux à deux"
        rest = len(pairs) - len(differing)
        tail = "" if not rest else (", pas l'autre paire" if rest == 1 else f", pas les {fmt.cardinal(rest)} autres paires")
        return f"{prose.join(listed)} {verb}{tail}"

    def p_words(self, spec) -> tuple[str, str]:
        """How the p-values of a table are named in a sentence, singular and plural (« p ajustée selon Holm »)."""
        return self.ADJUSTED_KEYS[spec.adjust][1] if spec.adjust in self.ADJUSTED_KEYS else ("p", "p")

    def p_text(self, key: str, words: str = "p") -> str:
        """« p = 0,1335 » or « p < 0,001 » from the printed value at `key`, the p named by `words` (« p ajustée »)."""
        text = self.V.text(key)
        words = words.replace(" ", fmt.NBSP, 1)  # no line ends on « (p »
        return f"{words}{fmt.NBSP}{text}" if text.startswith("<") else f"{words}{fmt.NBSP}={fmt.NBSP}{text}"

    def _adjusted_p_text(self, key: str) -> str:
        return self.p_text(key, "p ajustée")

    def _estimate_order(self, bases: list[str]) -> str:
        """« ; écarts : le premier groupe moins le second »: which group is subtracted from which, said once for the
        estimates of a sentence that has just named the two groups in the table's order (analysis computes the first
        against the second); "" when the sentence prints none."""
        printed = sum(f"{base}.estimate" in self.V for base in bases)
        return f" ; {'écart' if printed == 1 else 'écarts'} : le premier groupe moins le second" if printed else ""

    def _estimate_clause(self, base: str) -> str:
        """« ; 9,1 points [IC 95 % 4,5 ; 13,9] » when the plan asks for the estimate of the difference."""
        return f" ; {self.V.text(f'{base}.estimate')}" if f"{base}.estimate" in self.V else ""

    def _no_score_differs(self, spec, groups: str) -> str:
        """« Aucun score ne diffère significativement entre … (tests de Kruskal-Wallis, p de 0,1082 à 0,9199). »: the
        tests and the range of the printed p, so that « no difference » rests on what the table shows."""
        tested = [v for v in spec.variables if prose.filled(self.V.value(f"{spec.id}.{v}.test"))]
        if not tested:
            return f"Aucun score n'a pu être comparé {groups}."
        tests = prose.join(self.test_names([f"{spec.id}.{v}.test" for v in tested]), "ou")
        p_range = prose.p_range([self.printed_p(spec, f"{spec.id}.{v}") for v in tested], self.p_words(spec), "chacun")
        return f"Aucun score ne diffère significativement {groups} ({tests}, {p_range})."

    def _describe_scores(self, spec) -> list[str]:
        order = self.ranked(spec.id) or list(spec.variables)
        items = [(self.in_sentence(v), self.V.text(f"{spec.id}.{v}.{ALL}.mean"),
                  self.V.text(f"{spec.id}.{v}.{ALL}.mean_sd")) for v in order if f"{spec.id}.{v}.{ALL}.mean" in self.V]
        sentences = [prose.ranked(items[:3])] if not spec.by else []
        if spec.compares:
            different = self.significant(spec.id)
            groups = prose.between(self.group_names(spec.id))
            if different:
                listed = prose.join([f"{prose.quoted(self.labels.get(v, v))} ({self.verdict(spec, f'{spec.id}.{v}')[1]}"
                                     f"{self._estimate_clause(f'{spec.id}.{v}')})" for v in different])
                test = self.test_name(f"{spec.id}.{different[0]}.test")
                order = self._estimate_order([f"{spec.id}.{v}" for v in different])
                sentences.append(f"Les scores diffèrent significativement {groups} ({test}{order}) pour {listed}.")
            else:
                sentences.append(self._no_score_differs(spec, groups))
        return sentences

    def _describe_summary(self, spec, variable: str) -> str:
        base = f"{spec.id}.{variable}.{ALL}"
        label = self.labels.get(variable, variable)
        if f"{base}.mean" not in self.V:  # nobody answered: no mean, no median
            return f"{label} : aucune réponse."
        n = int(self.V.value(f"{base}.n"))
        sd = self.V.text(f"{base}.sd")  # empty for a single answer
        spread = f" (écart-type {sd})" if sd else ""
        return (f"{label} : moyenne {self.V.text(f'{base}.mean')}{spread}, médiane {self.V.text(f'{base}.median_iqr')}, "
                f"sur {self.V.text(f'{base}.n')} {prose.plural(n, *self.noun)}.")

    def ranking(self, table: str, variable: str, group: str = ALL, item: tuple[str, str] = ("réponse", "réponses"),
                cited: str = "la plus fréquente", top: int | None = None) -> str:
        """The levels of a variable in a group, most frequent first (ties as ties), as a clause."""
        shares = self.shares(table, variable, group)
        if top is not None:
            kept = {s.label for g in prose.top_groups(shares, top) for s in g}
            shares = [s for s in shares if s.label in kept]
        return prose.ranking(shares, self.noun, item, cited)

    def group_size(self, table: str, group: str) -> str:
        """« n = 32 »: the respondents of a group, quoted from the registry (first variable of the table)."""
        variable = self.plan.table(table).variables[0]
        keys = [k for k in self.V.keys(f"{table}.{variable}.") if k.endswith(f".{group}.denominator")]
        return fmt.n_equals(self.V.text(keys[0]))

    def _rank_top_tie(self, table: str, group: str, rank: int) -> list[Share]:
        """The item(s) most often given `rank` in a group (several when tied)."""
        shares = []
        for variable in self.plan.table(table).variables:
            key = f"{table}.{variable}.{rank}.{group}"
            shares.append(Share(self.labels.get(variable, variable), self.V.value(f"{key}.n"),
                                self.V.text(f"{key}.n"), self.V.value(f"{key}.pct"), self.V.text(f"{key}.pct")))
        groups = prose.tie_groups(shares)
        return groups[0] if groups else []

    def rank_top(self, table: str, group: str, rank: int) -> str:
        """« « Messagerie » avec 21 répondants (65,6 %) »: the item(s) most often given `rank` in a group."""
        tie = self._rank_top_tie(table, group, rank)
        return prose.listing([tie], self.noun) if tie else "aucun"

    def figures_not_drawn(self) -> list[dict]:
        """The publication's figures the pipeline does not draw (figures.yaml `reference_figures`): number, caption
        and source, for the chapter to say so where the publication shows them."""
        return [{"number": figure.number, "word": self.plan.numbering.figure_word, "caption": figure.caption,
                 "source": _reference(figure.source)} for figure in self.reference_figures]

    def figure_sources(self, figure_id: str) -> list[str]:
        """The sources of a figure's reference points, from its data file (as the study cites them)."""
        return [_reference(point["source"]) for point in self.figure_data.get(figure_id, {}).get("references", [])]

    def open_kind(self, question: str) -> str:
        """« ouverte » (free text only) or « semi-ouverte » (options plus a free text), as the codebook asks it."""
        asked = self.question(question)
        return "semi-ouverte" if asked.options and asked.other_label else "ouverte"

    def open_intro(self, question: str) -> str:
        """« Question semi-ouverte et facultative, posée aux 32 répondants du groupe « Utilisateurs » ; 30 y ont
        répondu. »"""
        base = f"recodage.{question}"
        conditions = self.question(question).asked_if
        who = f"{self.V.text(f'{base}.repondants')} {self.noun[1]}"
        if conditions:
            (variable, level), = list(conditions.items())[:1]
            who += f" du groupe {prose.quoted(self.plan.group_label(variable, level))}"
        else:
            who = f"l'ensemble des {who}"
        article = "à" if who.startswith("l'") else "aux"
        optional = "" if self.question(question).required else " et facultative,"
        return f"Question {self.open_kind(question)}{optional} posée {article} {who} ; {self._who_answered(base)}."

    def _who_answered(self, base: str) -> str:
        """« 17 y ont répondu », « 1 y a répondu », or « tous y ont répondu » when everyone asked did (« 32 répondants …
        ; 32 y ont répondu » repeats the number)."""
        asked, answered = self.V.value(f"{base}.repondants"), self.V.value(f"{base}.reponses")
        if answered == asked and answered > 1:
            return f"{'toutes' if self.book.respondents.get('feminine') else 'tous'} y ont répondu"
        return f"{self.V.text(f'{base}.reponses')} {'y a répondu' if answered < 2 else 'y ont répondu'}"

    def flow_sentence(self) -> str:
        """« Les 39 questionnaires reçus ont tous été analysés. », or « Sur 40 questionnaires reçus, 37 ont été
        analysés (3 écartés, motifs dans la figure). »"""
        received, analysed = self.V.text("flux.recus"), self.V.text("flux.analyses")
        n_received, n_analysed = int(self.V.value("flux.recus")), int(self.V.value("flux.analyses"))
        if n_received == n_analysed and not self.V.value("flux.non_analyses"):
            if n_received == 1:
                return "Le questionnaire reçu a été analysé."
            if n_received:
                return f"Les {received} questionnaires reçus ont tous été analysés."
        text = (f"Sur {received} {prose.plural(n_received, 'questionnaire reçu', 'questionnaires reçus')}, "
                f"{analysed} {prose.plural(n_analysed, 'a été analysé', 'ont été analysés')}")
        if self.V.value("flux.non_analyses"):
            set_aside = int(self.V.value("flux.non_analyses"))
            text += (f" ({self.V.text('flux.non_analyses')} {prose.plural(set_aside, 'écarté', 'écartés')}, "
                     "motifs dans la figure)")
        return prose.first_word_not_numeral(text + ".", "Au total,")

    def recoded(self) -> list[str]:
        """Open questions recoded in this wave (registry keys recodage.<question>.*), in codebook order."""
        present = {k.split(".")[1] for k in self.V.keys("recodage.")}
        return [q.id for q in self.book.questions if q.id in present] + \
            sorted(present - {q.id for q in self.book.questions})

    def uncoded(self) -> list[str]:
        """Open questions of the codebook with no recoded answer yet (no category defined: a drafted study)."""
        coded = set(self.recoded())
        key = self.book.respondent_key  # an identifier, not an answer to code
        return [q.id for q in self.book.questions if q.type == "text" and q.id not in coded and q.id != key]

    def uncoded_sentence(self) -> str:
        """« Les réponses aux questions ouvertes « A » et « B » restent à coder. »"""
        questions = [prose.quoted(self.labels.get(q, q)) for q in self.uncoded()]
        if len(questions) == 1:
            return f"Les réponses à la question ouverte {questions[0]} restent à coder."
        return f"Les réponses aux questions ouvertes {prose.join(questions)} restent à coder."

    def describe_open(self, question: str, top: int = 3) -> str:
        """« Sur 32 répondants interrogés, 24 ont répondu ; catégories les plus citées : … »"""
        base = f"recodage.{question}"
        shares = [Share(c["label"], c["n"], c["n_text"], 0.0, c["pct_text"]) for c in self.categories(question)
                  if c["substantive"]]
        listing = prose.listing(prose.top_groups(shares, top), ("réponse", "réponses"))
        head = (f"Sur {self.V.text(f'{base}.repondants')} {self.noun[1]} {self.asked_word}, "
                f"{self.V.text(f'{base}.reponses')} ont répondu")
        return f"{head} ; catégories les plus citées : {listing}." if listing else f"{head}."

    def section_of(self, figure_id: str) -> str:
        return self.figures[figure_id]["spec"].section

    def figures_of_table(self, table: str) -> list[str]:
        return [i for i, f in self.figures.items() if f["spec"].table == table and f["spec"].section == "results"]

    def figures_of_question(self, question: str) -> list[str]:
        return [i for i, f in self.figures.items() if f["spec"].question == question and f["spec"].section == "results"]

    def figures_of_kind(self, kind: str, section: str = "results") -> list[str]:
        return [i for i, f in self.figures.items() if f["spec"].kind == kind and f["spec"].section == section]

    def discussion_figures(self) -> list[str]:
        return [i for i, f in self.figures.items() if f["spec"].section == "discussion"]

    def sections(self) -> list[dict]:
        """The plan's tables grouped under their `section` heading, in plan order."""
        sections: list[dict] = []
        for spec in self.plan.tables:
            title = spec.section or (sections[-1]["title"] if sections else "Résultats descriptifs")
            if not sections or sections[-1]["title"] != title:
                sections.append({"title": title, "tables": []})
            sections[-1]["tables"].append(spec.id)
        return sections

    def ranked(self, table: str) -> list[str]:
        """Variables of a scores table by rank (1 = highest overall mean)."""
        keys = [k for k in self.V.keys(f"{table}.") if k.endswith(f".{ALL}.rank")]
        return [k.split(".")[1] for k in sorted(keys, key=lambda k: self.V.value(k))]

    def _tested(self, table: str) -> list[str]:
        """Variables of a table tested as a whole (keys <table>.<variable>.significant)."""
        variables = [k.split(".")[1] for k in self.V.keys(f"{table}.")
                     if k.endswith(".significant") and k.count(".") == 2]
        order = self.ranked(table)
        return sorted(variables, key=lambda v: order.index(v) if v in order else len(order))

    def significant(self, table: str, adjusted: bool = False) -> list[str]:
        """Variables whose comparison is significant at alpha: on the p the table prints (adjusted when its plan
        entry adjusts), or on Holm's adjusted p (`adjusted`)."""
        if adjusted:
            return [v for v in self._tested(table) if self.V.value(f"{table}.{v}.p_holm") < self.alpha]
        spec = self.plan.table(table)
        return [v for v in self._tested(table) if self.verdict(spec, f"{table}.{v}")[0]]

    def difference_clause(self, table: str, variable: str, item: tuple[str, str] = ("caractéristique", "caractéristiques"),
                          between: str = "", feminine: bool = True) -> str:
        """Where `variable` stands among the comparisons of `table`, read from the results (never typed):
        « seule caractéristique qui diffère significativement entre les sites », « l'une des 3 caractéristiques
        qui diffèrent significativement … (les autres : Genre, Profession) », or « qui ne diffère pas
        significativement … »."""
        differing = self.significant(table)
        where = f" {between}" if between else ""
        if variable not in differing:
            return f"qui ne diffère pas significativement{where}"
        others = [self.in_sentence(v) for v in differing if v != variable]
        if not others:
            return f"{'seule' if feminine else 'seul'} {item[0]} qui diffère significativement{where}"
        one = "l'une" if feminine else "l'un"
        return (f"{one} des {len(differing)} {item[1]} qui diffèrent significativement"
                f"{where} (les autres : {prose.join(others)})")

    def top_phrase(self, table: str, group: str, rank: int, what: str) -> str:
        """« <what> est « X » avec n répondants (%) »: `what` names the top item (« le premier choix le plus
        fréquent »), the item itself is read from the results (`rank_top`); tied items: « <what> est « X », à
        égalité avec « Y » (1 répondant chacun, 20,0 %) »."""
        tie = self._rank_top_tie(table, group, rank)
        if len(tie) < 2:
            return f"{what} est {self.rank_top(table, group, rank)}"
        others = prose.join([prose.quoted(share.label) for share in tie[1:]])
        return (f"{what} est {prose.quoted(tie[0].label)}, à égalité avec {others} ({tie[0].n_text} "
                f"{prose.plural(tie[0].n, *self.noun)} chacun, {tie[0].pct_text})")

    def not_significant(self, table: str) -> list[str]:
        return [v for v in self._tested(table) if v not in self.significant(table)]

    def categories(self, question: str) -> list[dict]:
        """Coded categories of an open question, in reading order (the largest first, a category without content
        such as « Réponse ininterprétable » last: recode.reading_order)."""
        prefix = f"recodage.{question}."
        names = [k[len(prefix):-2] for k in self.V.keys(prefix)
                 if k.endswith(".n") and k.count(".") == 3 and f"{k[:-2]}.label" in self.V]
        rows = [{"category": n, "label": self.V.text(f"{prefix}{n}.label"), "n": self.V.value(f"{prefix}{n}.n"),
                 "n_text": self.V.text(f"{prefix}{n}.n"), "pct_text": self.V.text(f"{prefix}{n}.pct"),
                 "definition": self.V.text(f"{prefix}{n}.definition") if f"{prefix}{n}.definition" in self.V else "",
                 "substantive": (self.V.value(f"{prefix}{n}.substantive")
                                 if f"{prefix}{n}.substantive" in self.V else True)}
                for n in names]
        return sorted(rows, key=lambda r: reading_order(r["n"], r["label"], r["substantive"]))

    def quotes(self, question: str, category: str) -> list[str]:
        """The verbatims chosen for a category (study's quoting rule), as printable quoted text."""
        prefix = f"recodage.{question}.{category}.citation."
        keys = sorted(self.V.keys(prefix), key=lambda k: int(k.rsplit(".", 1)[1]))
        return [Markdown(prose.quoted(escape_inline(self.V.text(k)))) for k in keys]  # escaped already

    def has_quotes(self) -> bool:
        """Whether the study quotes any verbatim (a category codebook declares `quotes`)."""
        return any(".citation." in key for key in self.V.keys("recodage."))

    def open_categories(self, question: str) -> list[dict]:
        """Categories of an open question someone's answer fell into, in reading order, each with its count, its
        definition and its quotes; `text` is the list item the templates print (prose.open_category)."""
        noun = ("réponse", "réponses")
        items = []
        for c in self.categories(question):
            if c["n"] <= 0:
                continue
            quotes = self.quotes(question, c["category"])
            count = f"{c['n_text']} {prose.plural(c['n'], *noun)} ({c['pct_text']})"
            definition = c["definition"] if c["substantive"] else ""  # « Réponse ininterprétable » says it all
            text = prose.open_category(escape(c["label"]), escape(count), escape(definition), quotes,
                                       sample=len(quotes) < c["n"])
            items.append({"label": c["label"], "count": count, "definition": c["definition"], "quotes": quotes,
                          "sample": len(quotes) < c["n"], "text": Markdown(text)})
        return items

    def open_empty(self, question: str) -> str:
        """« Aucune réponse ne relève de la catégorie « X ». », or "" when every category holds an answer."""
        return prose.empty_categories([c["label"] for c in self.categories(question) if c["n"] <= 0])

    def n_eq(self, key: str) -> str:
        return fmt.n_equals(self.V.value(key))

    # ------------------------------------------------------------------ numbering (document order)

    def _number(self, kind: str, item: str, record: bool = True) -> int | None:
        """The number of a table or figure: its place in the chapter (recorded by the first rendering pass)."""
        order = self.order[kind]
        if record and item not in order:
            order.append(item)
        if self.numbers is None or item not in self.numbers[kind]:  # first pass: the order is being recorded
            return None
        if kind == "figure":
            specs = [figure["spec"] for figure in self.figures.values()]
            return figure_numbers(specs, self.reference_figures, self.numbers["figure"],
                                  self.plan.numbering.first_figure)[item]
        return self.plan.numbering.first_table + self.numbers[kind].index(item)

    def table_number(self, table_id: str) -> int:
        """A table's number, to quote it in the text (« résumées dans le tableau 1 »)."""
        host = self.tables[table_id].get("append_to") or table_id
        return self._number("table", host, record=False) or 0

    def figure_number(self, figure_id: str) -> int:
        return self._number("figure", figure_id, record=False) or 0

    def table_ref(self, table_id: str) -> str:
        """« tableau 1 »: a table quoted in the text, with the word its caption prints (the plan's `numbering`)."""
        return f"{self.plan.numbering.table_word.lower()}{fmt.NBSP}{self.table_number(table_id)}"

    def figure_ref(self, figure_id: str) -> str:
        """« figure 8 »: a figure quoted in the text, with the word its caption prints."""
        return f"{self.plan.numbering.figure_word.lower()}{fmt.NBSP}{self.figure_number(figure_id)}"

    @property
    def study_title(self) -> str:
        """The questionnaire's title (the codebook's `title`), for the chapter's title."""
        return self.book.title if self.book is not None else ""

    def caption_n(self) -> str:
        """« (n = 39) »: the analysed respondents, quoted from the registry."""
        return f"({fmt.n_equals(self.V.text('flux.analyses'))})"

    def figure_caption_n(self, spec) -> str:
        """« (n = 669) »: a bar chart is about the respondents asked its question (its bars' denominator, as on
        its axis), a histogram about those who answered (missing answers are not values, as in its legend);
        a flowchart about the questionnaires received, the categories of an open question about those who answered
        it (as on its axis); other figures about the analysed respondents."""
        answered = f"{spec.table}.{spec.variable}.{ALL}.n"
        if spec.kind == "flowchart" and "flux.recus" in self.V:
            return f"({fmt.n_equals(self.V.text('flux.recus'))})"
        if spec.kind == "categories" and f"recodage.{spec.question}.reponses" in self.V:
            return f"({fmt.n_equals(self.V.text(f'recodage.{spec.question}.reponses'))})"
        if spec.kind == "histogram" and answered in self.V:
            return f"({fmt.n_equals(self.V.text(answered))})"
        if spec.kind in ("bars", "diverging"):
            prefix = f"{spec.table}.{spec.variable}." if spec.variable else f"{spec.table}."
            suffix = f".{ALL}.denominator"
            keys = [key for key in self.V.keys(prefix) if key.endswith(suffix)]
            if keys:
                quoted = max(keys, key=lambda key: self.V.peek(key).value)
                return f"({fmt.n_equals(self.V.text(quoted))})"
        return self.caption_n()

    def table_md(self, table_id: str) -> Markdown:
        """A table with its numbered caption and footnote; tables appended to it (`append_to`) join its rows."""
        table = self.tables[table_id]
        if table.get("append_to"):
            return Markdown("")
        parts = [table] + [t for t in self.tables.values() if t.get("append_to") == table_id]
        number = self._number("table", table_id)
        word = self.plan.numbering.table_word
        size = self.caption_n() if table.get("kind") != "regression" else \
            f"({fmt.n_equals(self.V.text(f'{table_id}.modele.n'))})"  # a model's complete cases
        caption = prose.within_bracket(f"{word} {number} : {table['title']}", size[1:-1]) if number else table["title"]
        return markdown_table(parts, escape(caption))

    def figure_md(self, figure_id: str) -> Markdown:
        figure = self.figures[figure_id]
        number = self._number("figure", figure_id)
        spec = figure["spec"]
        caption = f"{self.plan.numbering.figure_word} {number}. {spec.caption}" if number else spec.caption
        caption = prose.within_bracket(caption, self.figure_caption_n(spec)[1:-1])
        return Markdown(f"![{escape(caption)}]({figure['path']}){{#fig:{figure_id}}}")


def _escape(cell: str) -> str:
    """A table cell as text (see markup): no HTML, link or attribute, and `|` does not end the cell."""
    return escape(cell)


# A cell that reads as a number (count, %, p, mean ± SD, rank): right-aligned; text is left-aligned.
NUMERIC_CELL = re.compile(r"^[<\u2212\-—]?\s*\d")
LETTERS_CELL = re.compile(r"^[a-z]{1,6}$")  # compact letters of pairwise comparisons (« ab »): do not decide alignment
ORDINAL = re.compile(r"\b(\d+)(er|re|e|nd|nde)\b")


def _fisher_family(simulated: int) -> str:
    """« tests exacts de Fisher, dont un avec valeur de p simulée par Monte-Carlo »: the words of core.testnames."""
    how = TEST_LABELS_FR["fisher_mc"][len(TEST_LABELS_FR["fisher"]):]
    return f"{TEST_LABELS_FR_PLURAL['fisher']}, dont {'un' if simulated == 1 else simulated}{how}"


def _reference(source: str) -> Markdown:
    """A cited reference as printed: escaped, its ordinals raised (« 3e éd. » -> « 3^e^ éd. »)."""
    return Markdown(superscript_ordinals(escape(source)))


def superscript_ordinals(text: str) -> str:
    """« 1er » -> « 1^er^ » (pandoc superscript), as French typography prints ordinals."""
    return ORDINAL.sub(lambda m: f"{m.group(1)}^{m.group(2)}^", text)


def markdown_table(parts: list[dict], caption: str) -> Markdown:
    """A pandoc pipe table (one or several parts sharing the first part's columns), caption and footnote.

    Cells and footnotes are escaped here; `caption` is Markdown already."""
    columns = list(dict.fromkeys(c for part in parts for c in part["columns"]))
    rows = []
    for part in parts:
        index = {c: i for i, c in enumerate(part["columns"])}
        rows += [[str(row[index[c]]) if c in index else "" for c in columns] for row in part["rows"]]
    numeric = [all(NUMERIC_CELL.match(r[i]) for r in rows if r[i] and not LETTERS_CELL.match(r[i]))
               and any(NUMERIC_CELL.match(r[i]) for r in rows if r[i]) for i in range(len(columns))]
    lines = ["| " + " | ".join(_escape(c) for c in columns) + " |",
             "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(superscript_ordinals(_escape(cell)) for cell in row) + " |" for row in rows]
    sentences = list(dict.fromkeys(s for part in parts for s in _sentences(part.get("footnote", ""))))
    # The footnote is a "Table Note" paragraph in Word (9 pt) and a div of that class in HTML.
    footnote = (f"\n\n::: {{custom-style=\"Table Note\"}}\n*{escape(' '.join(sentences))}*\n:::"
                if sentences else "")
    return Markdown("\n".join(lines) + f"\n\nTable: {caption}{footnote}")


def _sentences(text: str) -> list[str]:
    """A footnote's sentences, to print each once when parts of a table share them."""
    return [s.strip() + ("" if s.strip().endswith(".") else ".") for s in re.split(r"(?<=\.) (?=[A-ZÉÀ])", text)
            if s.strip()]


def lower_first(text: str) -> str:
    """'Homme' -> 'homme' inside a sentence, but acronyms stay: 'ORL', 'IPA en ville'."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


# What a template may use of `c` (report.markup's sandbox): the helpers, the tables' and figures' data; not the
# study objects, the numbering state or anything that writes.
Context.TEMPLATE_API = frozenset(
    [name for name, member in vars(Context).items()
     if not name.startswith("_") and (callable(member) or isinstance(member, property))]
    + ["V", "tables", "figures", "labels", "alpha"])


def render_chapter(template_path: str | Path, context: Context, wave: dict) -> str:
    """The chapter (two passes: the first records the tables' and figures' order), in the sandbox of report.markup."""
    filters = {"lower_first": lower_first}
    render_template(template_path, filters, c=context, V=context.V, wave=wave, nbsp=fmt.NBSP)  # first pass
    context.numbers = {kind: list(items) for kind, items in context.order.items()}
    text = render_template(template_path, filters, c=context, V=context.V, wave=wave, nbsp=fmt.NBSP)
    return prose.expand_abbreviations(prose.typography(text), context.book.abbreviations if context.book else {})


def category_rows(counts: pd.DataFrame, question: str) -> pd.DataFrame:
    return counts[counts["question"] == question].sort_values(["n", "label"], ascending=[False, True])
