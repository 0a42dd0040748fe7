"""Render the Résultats chapter (Markdown) from the registry, the formatted tables and the figures."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from .. import fmt
from ..analysis.describe import ALL, MISSING_LABEL
from ..stats.choice import TEST_LABELS_FR
from . import prose
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

    def levels(self, table: str, variable: str, group: str = ALL, order: str = "n") -> list[Level]:
        """Levels of a variable with their counts, most frequent first (or in table order)."""
        prefix = f"{table}.{variable}."
        suffix = f".{group}.n"
        names = [k[len(prefix):-len(suffix)] for k in self.V.keys(prefix) if k.endswith(suffix)]
        names = [n for n in names if n != MISSING_LABEL and "." not in n]
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
        return TEST_LABELS_FR.get(self.V.value(key), self.V.value(key))

    def describe(self, table: str) -> list[str]:
        """The sentences the generic chapter writes under a table, by the table's kind."""
        spec = self.plan.table(table)
        if spec.kind == "categorical":
            return [s for v in spec.variables for s in self._describe_categorical(spec, v)]
        if spec.kind == "scores":
            return self._describe_scores(spec)
        if spec.kind == "summary":
            return [self._describe_summary(spec, v) for v in spec.variables]
        return []

    def _describe_categorical(self, spec, variable: str) -> list[str]:
        label = self.labels.get(variable, variable)
        question = self.question(variable)
        if not spec.by:
            shares = self.shares(spec.id, variable)
            if question.is_multi:
                asked = self.V.text(f"{spec.id}.{variable}.{question.levels[0]}.{ALL}.denominator")
                return [prose.options(label, shares, self.noun, asked, self.asked_word)]
            return [prose.distribution(label, shares, self.noun)]
        if not spec.compares:
            return []
        if question.is_multi:
            return [self._describe_options_by(spec, variable, label)]
        base = f"{spec.id}.{variable}"
        sentence = prose.comparison(label, self.group_names(spec.id), self.V.value(f"{base}.significant"),
                                    self.test_name(f"{base}.test"), self.V.text(f"{base}.p_sentence"))
        if self.V.value(f"{base}.significant"):
            sentence = sentence[:-1] + " ; l'écart le plus marqué porte sur " + self._contrast(spec, variable) + "."
        return [sentence]

    def _contrast(self, spec, variable: str) -> str:
        """The answer whose share differs most between groups, with its largest and smallest share."""
        best = None
        for level in self.question(variable).levels:
            shares = [(g, s) for g in self.groups(spec.id) for s in self.shares(spec.id, variable, g)
                      if s.label == level]
            if not shares:
                continue
            high = max(shares, key=lambda gs: gs[1].pct)
            low = min(shares, key=lambda gs: gs[1].pct)
            gap = high[1].pct - low[1].pct
            if best is None or gap > best[0]:
                best = (gap, level, high, low)
        _gap, level, high, low = best
        nobody = f"{'aucune' if self.book.respondents.get('feminine') else 'aucun'} {self.noun[0]}"
        return prose.contrast(level, (self.group_name(spec.id, high[0]), high[1]),
                              (self.group_name(spec.id, low[0]), low[1]), nobody)

    def _describe_options_by(self, spec, variable: str, label: str) -> str:
        base = f"{spec.id}.{variable}"
        options = [lv for lv in self.question(variable).levels if f"{base}.{lv}.significant" in self.V]
        different = [lv for lv in options if self.V.value(f"{base}.{lv}.significant")]
        test = self.test_name(f"{base}.{options[0]}.test") if options else ""
        groups = prose.between(self.group_names(spec.id))
        if not different:
            return (f"{prose.lead(label)} aucune option n'est cochée dans des proportions significativement "
                    f"différentes {groups} (un test par option).")
        listed = prose.join([f"{prose.quoted(lv)} ({self.V.text(f'{base}.{lv}.p_sentence')})" for lv in different])
        return (f"{prose.lead(label)} la proportion de {self.noun[1]} cochant l'option diffère significativement "
                f"{groups} pour {listed} ({test}, un test par option).")

    def _describe_scores(self, spec) -> list[str]:
        order = self.ranked(spec.id) or list(spec.variables)
        items = [(self.labels.get(v, v), self.V.text(f"{spec.id}.{v}.{ALL}.mean"),
                  self.V.text(f"{spec.id}.{v}.{ALL}.mean_sd")) for v in order if f"{spec.id}.{v}.{ALL}.mean" in self.V]
        sentences = [prose.ranked(items[:3])] if not spec.by else []
        if spec.compares:
            different = self.significant(spec.id)
            groups = prose.between(self.group_names(spec.id))
            if different:
                listed = prose.join([f"{self.labels.get(v, v)} ({self.V.text(f'{spec.id}.{v}.p_sentence')})"
                                     for v in different])
                test = self.test_name(f"{spec.id}.{different[0]}.test")
                sentences.append(f"Les scores diffèrent significativement {groups} pour {listed} ({test}).")
            else:
                sentences.append(f"Aucun score ne diffère significativement {groups}.")
        return sentences

    def _describe_summary(self, spec, variable: str) -> str:
        base = f"{spec.id}.{variable}.{ALL}"
        label = self.labels.get(variable, variable)
        return (f"{label} : moyenne {self.V.text(f'{base}.mean')} (écart-type {self.V.text(f'{base}.sd')}), "
                f"sur {self.V.text(f'{base}.n')} {self.noun[1]}.")

    def flow_sentence(self) -> str:
        received, analysed = self.V.text("flux.recus"), self.V.text("flux.analyses")
        text = f"Sur {received} questionnaires reçus, {analysed} ont été analysés"
        if self.V.value("flux.non_analyses"):
            text += f" ({self.V.text('flux.non_analyses')} écartés, motifs dans la figure)"
        return prose.first_word_not_numeral(text + ".", "Au total,")

    def recoded(self) -> list[str]:
        """Open questions recoded in this wave (registry keys recodage.<question>.*), in codebook order."""
        present = {k.split(".")[1] for k in self.V.keys("recodage.")}
        return [q.id for q in self.book.questions if q.id in present] + \
            sorted(present - {q.id for q in self.book.questions})

    def describe_open(self, question: str, top: int = 3) -> str:
        """« Sur 32 répondants interrogés, 24 ont répondu ; catégories les plus citées : … »"""
        base = f"recodage.{question}"
        shares = [Share(c["label"], c["n"], c["n_text"], 0.0, c["pct_text"]) for c in self.categories(question)]
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

    def significant(self, table: str) -> list[str]:
        return [v for v in self._tested(table) if self.V.value(f"{table}.{v}.significant")]

    def not_significant(self, table: str) -> list[str]:
        return [v for v in self._tested(table) if not self.V.value(f"{table}.{v}.significant")]

    def categories(self, question: str) -> list[dict]:
        """Coded categories of an open question, most frequent first."""
        prefix = f"recodage.{question}."
        names = [k[len(prefix):-2] for k in self.V.keys(prefix) if k.endswith(".n") and k.count(".") == 3]
        rows = [{"category": n, "label": self.V.text(f"{prefix}{n}.label"), "n": self.V.value(f"{prefix}{n}.n"),
                 "n_text": self.V.text(f"{prefix}{n}.n"), "pct_text": self.V.text(f"{prefix}{n}.pct")}
                for n in names]
        return sorted(rows, key=lambda r: (-r["n"], r["label"]))

    def n_eq(self, key: str) -> str:
        return fmt.n_equals(self.V.value(key))

    def table_md(self, table_id: str) -> str:
        return markdown_table(self.tables[table_id])

    def figure_md(self, figure_id: str) -> str:
        figure = self.figures[figure_id]
        return f"![{figure['title']}]({figure['path']}){{#fig:{figure_id} width=100%}}"


def _escape(cell: str) -> str:
    return str(cell).replace("|", "\\|")


def markdown_table(table: dict) -> str:
    """A pandoc pipe table with its caption ('Table 1 : …') and footnote."""
    columns = table["columns"]
    lines = ["| " + " | ".join(_escape(c) for c in columns) + " |",
             "|" + "|".join(":---" if i < 2 else "---:" for i in range(len(columns))) + "|"]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in table["rows"]]
    number = f"Table {table['number']} : " if table.get("number") else ""
    caption = f"Table: {number}{table['title']}"
    footnote = f"\n\n*{table['footnote']}*" if table.get("footnote") else ""
    return "\n".join(lines) + f"\n\n{caption}{footnote}"


def lower_first(text: str) -> str:
    """'Homme' -> 'homme' inside a sentence, but acronyms stay: 'ORL', 'IPA en ville'."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def render_chapter(template_path: str | Path, context: Context, wave: dict) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(template_path).parent)),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["lower_first"] = lower_first
    template = environment.get_template(Path(template_path).name)
    return prose.typography(template.render(c=context, V=context.V, wave=wave, nbsp=fmt.NBSP))


def category_rows(counts: pd.DataFrame, question: str) -> pd.DataFrame:
    return counts[counts["question"] == question].sort_values(["n", "label"], ascending=[False, True])
