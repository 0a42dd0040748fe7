"""The figures of a wave, built from its statistics and counts (rules draw_count_figures and
draw_statistics_figures): figures (PNG 300 dpi + SVG) from counts or statistics."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from surveykit.analysis.describe import ALL, MISSING_LABEL
from surveykit.analysis.format import grid_order, variable_label
from surveykit.analysis.plan import Plan, load_plan
from surveykit.core import fmt
from surveykit.core.errors import InputError
from surveykit.core.io import read_csv, read_json, read_tidy
from surveykit.core.stale import remove_stale
from surveykit.core.yamlio import load_validated, package_schema
from surveykit.questionnaire.codebook import Codebook, load_codebook
from surveykit.recode import reading_order

from . import draw
from .spec import FigureSpec, load_figures
from .style import apply_style, save


def scale_axis_label(label: str, question, what: str = "") -> str:
    """'Aisance (1 = pas du tout à l'aise ; 10 = parfaitement à l'aise)' from the codebook's anchors."""
    anchors = question.anchors
    ends = [f"{int(question.min)} = {anchors['low']}" if "low" in anchors else "",
            f"{int(question.max)} = {anchors['high']}" if "high" in anchors else ""]
    ends = " ; ".join(e for e in ends if e)
    unit = f" ({question.unit})" if question.unit else ""
    return f"{what}{label}{unit}" + (f" ({ends})" if ends else "")


class FigureData:
    """What the figures read: the statistics, the counts and the study's words, loaded once."""

    def __init__(self, inputs: dict[str, str]):
        self.inputs = inputs
        self.book: Codebook = load_codebook(inputs["codebook"])
        self.plan: Plan = load_plan(inputs["plan"], self.book)
        self.tidy = read_tidy(inputs["descriptives"]) if "descriptives" in inputs else None

    def table(self, table_id: str) -> pd.DataFrame:
        return self.tidy[self.tidy["table"] == table_id]

    def levels(self, table_id: str, variable: str) -> pd.DataFrame:
        """label, n, pct of each level of a categorical variable (overall column), missing answers left out."""
        rows = self.table(table_id)
        # the variable's own levels: not its missing answers, nor the rows a plan's `combine` adds up
        own = set(self.book.variable_question()[variable].levels)
        rows = rows[(rows["variable"] == variable) & (rows["group"] == ALL) & rows["level"].isin(own)]
        return rows.rename(columns={"level": "label"})[["label", "n", "pct"]]


def _bars(spec: FigureSpec, data: FigureData):
    levels = data.levels(spec.table, spec.variable)
    if spec.order == "frequency":
        levels = levels.sort_values("n", ascending=False, kind="stable")
    denominator = int(data.table(spec.table).query("variable == @spec.variable and group == @ALL")["denominator"].max())
    noun = data.book.respondent_noun()
    return draw.bars(levels, spec.axis_label or f"Nombre de {noun} (n = {denominator})")


def _histogram(spec: FigureSpec, data: FigureData):
    table = data.table(spec.table)
    rows = table[table["variable"] == spec.variable]
    summary = rows[rows["level"] == ""].iloc[0]
    values = rows[~rows["level"].isin(["", MISSING_LABEL])]  # missing answers are counted, they are not values
    question = data.book.variable_question()[spec.variable]
    label = variable_label(data.plan, data.book, spec.variable)
    return draw.histogram(values, summary["mean"], summary["sd"], int(summary["n"]),
                          spec.axis_label or scale_axis_label(label, question), data.book.respondent_noun())


def _scores(spec: FigureSpec, data: FigureData):
    table = data.table(spec.table)
    table_spec = data.plan.table(spec.table)
    question = data.book.variable_question()[table_spec.variables[0]]
    labels = {v: variable_label(data.plan, data.book, v) for v in table_spec.variables}
    groups = [g for g in table["group"].drop_duplicates() if g != ALL] or [ALL]
    printed = [(g, data.plan.group_label(table_spec.by, g) if g != ALL else data.book.respondent_noun().capitalize())
               for g in groups]
    axis = spec.axis_label or scale_axis_label("Score moyen", question) + ", IC 95 %"
    return draw.scores(table, labels, printed, axis, (question.min, question.max))


def _categories(spec: FigureSpec, data: FigureData):
    """The categories someone's answer fell into, in the chapter's reading order (recode.reading_order: the
    largest first, « Réponse ininterprétable » last); an empty category is said once in the text, not drawn."""
    counts = read_csv(data.inputs["counts"])
    counts = counts[counts["question"] == spec.question]
    answers = int(counts["n_answers"].max()) if len(counts) else 0
    order = sorted(counts.index, key=lambda i: reading_order(counts.at[i, "n"], counts.at[i, "label"],
                                                             str(counts.at[i, "substantive"]).lower() != "false"))
    shown = counts.loc[order]
    shown = shown[shown["n"] > 0] if (shown["n"] > 0).any() else shown  # nobody answered: the empty axis as is
    return draw.bars(shown[["label", "n", "pct"]], spec.axis_label or f"Nombre de réponses (n = {answers})")


def _flowchart(spec: FigureSpec, data: FigureData):
    return draw.flowchart(read_json(data.inputs["flow"]), lambda variable, level: data.plan.group_label(variable, level),
                          lambda variable: variable_label(data.plan, data.book, variable))


def _diffusion(spec: FigureSpec, data: FigureData, wave: dict):
    levels = data.levels(spec.table, spec.variable)
    share = float(levels.loc[levels["label"] == spec.level, "pct"].iloc[0])
    path = Path(data.inputs["figures"]).parent / spec.data
    reference = load_validated(path, package_schema("diffusion.schema.yaml"))
    check_reference_years(reference, path)
    return draw.diffusion_curve(share, wave["label"], reference)


def check_reference_years(reference: dict, path: Path) -> None:
    """The year a legend prints for a reference point is the year its source prints."""
    for index, point in enumerate(reference["references"]):
        years = {int(year) for year in re.findall(r"\b(?:19|20)\d\d\b", point["source"])}
        if years and point["year"] not in years:
            raise InputError(f"{path}: references[{index}] ({point['label']!r}): year {point['year']}, but its "
                             f"source is of {', '.join(str(y) for y in sorted(years))} — expected the year of the "
                             "source, which the legend prints beside the place")


def _quoted_list(levels) -> str:
    return " et ".join(f"« {level} »" for level in levels) if len(levels) < 3 else \
        ", ".join(f"« {level} »" for level in levels[:-1]) + f" et « {levels[-1]} »"


def _diverging(spec: FigureSpec, data: FigureData):
    """The items of a choice grid's table (overall answers): % of the substantive answers on the diverging bars,
    % of all the answers for the non-substantive levels beside."""
    table_spec = data.plan.table(spec.table)
    question = data.book.question(table_spec.grid)
    table = data.table(spec.table)
    overall = table[table["group"] == ALL]
    substantive = list(question.substantive_levels)
    items = []
    for variable in grid_order(table_spec, table):
        rows = overall[overall["variable"] == variable].set_index("level")
        counts = {level: float(rows.loc[level, "n"]) for level in question.levels}
        kept = sum(counts[level] for level in substantive)
        answered = sum(counts.values())
        shares = {level: 100.0 * counts[level] / kept if kept else 0.0 for level in substantive}
        apart = {level: 100.0 * counts[level] / answered if answered else 0.0 for level in question.non_substantive}
        label = f"{variable_label(data.plan, data.book, variable)} ({fmt.n_equals(int(kept))})"
        items.append((label, shares, apart))
    axis = "Pourcentage des réponses"
    if question.non_substantive:
        axis += f" (hors {_quoted_list(question.non_substantive)})"
    negative = list(question.negative_levels)
    positive = list(question.positive_levels)
    return draw.diverging(items, negative, question.neutral_level, positive, list(question.non_substantive),
                          spec.axis_label or axis, "% de l'ensemble des réponses")


BUILDERS = {"diverging": _diverging, "bars": _bars, "histogram": _histogram, "scores": _scores, "categories": _categories,
            "flowchart": _flowchart}


def build_figure(spec: FigureSpec, data: FigureData, wave: dict):
    """The matplotlib figure of one entry of figures.yaml."""
    if spec.kind == "diffusion":
        return _diffusion(spec, data, wave)
    return BUILDERS[spec.kind](spec, data)


def draw_figure_files(inputs: dict[str, str], pngs: list[str], svgs: list[str], wave: dict,
                 logger: logging.Logger) -> None:
    """Draw the figures whose files the rule expects; output files are named after the figure ids."""
    apply_style()
    data = FigureData(inputs)
    specs = {spec.id: spec for spec in load_figures(inputs["figures"], data.book, data.plan)}
    for png, svg in zip(sorted(pngs), sorted(svgs)):
        figure_id = Path(png).stem
        if Path(svg).stem != figure_id or figure_id not in specs:
            raise ValueError(f"{png}, {svg}: expected one PNG and one SVG per figure id of {inputs['figures']}")
        with fmt.percent_style(data.plan.percent):
            figure = build_figure(specs[figure_id], data, wave)
        save(figure, png, svg)
        logger.info("drew %s (%s)", figure_id, specs[figure_id].kind)
    if pngs:  # the folder of the wave's figures, which the rule names through its outputs
        for path in remove_stale(Path(pngs[0]).parent, set(specs), (".png", ".svg")):
            logger.info("removed %s: no figure of figures.yaml has this id any more", path)
