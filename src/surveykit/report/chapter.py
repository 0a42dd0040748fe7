"""Render the Résultats chapter (Markdown) from the registry, the formatted tables and the figures."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from .. import fmt
from ..analysis.describe import ALL, MISSING_LABEL
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
    return "\n".join(lines) + f"\n\n{caption}\n\n*{table['footnote']}*"


def lower_first(text: str) -> str:
    """'Homme' -> 'homme' inside a sentence, but acronyms stay: 'CPTS du Grand Denain', 'ORL'."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def render_chapter(template_path: str | Path, context: Context, wave: dict) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(template_path).parent)),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["lower_first"] = lower_first
    template = environment.get_template(Path(template_path).name)
    return template.render(c=context, V=context.V, wave=wave, nbsp=fmt.NBSP)


def category_rows(counts: pd.DataFrame, question: str) -> pd.DataFrame:
    return counts[counts["question"] == question].sort_values(["n", "label"], ascending=[False, True])
