"""The tables of one wave, paths in, files out (rule format_tables): French tables from the tidy statistics (no statistics computed here)."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from surveykit.core import fmt
from surveykit.core.io import read_csv, read_tidy, write_csv, write_excel_csv, write_json
from surveykit.core.stale import remove_stale
from surveykit.core.yamlio import load_yaml
from surveykit.questionnaire.codebook import load_codebook

from .format import Contrasts, format_table
from .models import MODEL_TEXT
from .plan import load_plan
from .regression_table import format_regression, regression_footnote
from .workbook import write_tables_workbook

EXCEL_CSV = "{table}.excel.csv"  # beside {table}.csv: the copy French Excel opens as it is
NOT_IN_WAVE = "Tableau sans objet dans cette vague : le formulaire de la vague {wave} ne pose pas ses questions."


def format_tables_files(descriptives: str, tests: str, codebook: str, plan: str, out_json: str, out_dir: str,
                        logger: logging.Logger, expected: list[str] | None = None, out_xlsx: str | None = None,
                        models: str | None = None, contrasts: Contrasts | None = None) -> None:
    """French tables: one CSV each (and its copy for French Excel, `<table>.excel.csv`), all of them with titles
    and footnotes in one JSON and in one workbook (`out_xlsx`, a sheet per table).

    `expected`: the CSV files the rule declares (every table of the study's plan); a table whose questions
    this wave's form does not ask (codebook `since`/`until`) gets a one-cell CSV saying so, and is not in
    tables.json (so not in the chapter)."""
    book = load_codebook(codebook)
    the_plan = load_plan(plan, book)
    tidy = read_tidy(descriptives)
    test_rows = read_csv(tests)
    model_rows = read_csv(models, keep_default_na=False, na_values=[""], dtype=MODEL_TEXT) if models else None
    formatted = {}
    for spec in the_plan.tables:
        with fmt.percent_style(the_plan.percent):
            if spec.kind == "regression":  # from models.csv (analysis.models), not from counts
                mine = model_rows[model_rows["table"] == spec.id]
                table, note = format_regression(spec, the_plan, book, mine), regression_footnote(spec, the_plan, book,
                                                                                                mine)
            else:
                table, note = format_table(spec, the_plan, book, tidy[tidy["table"] == spec.id], test_rows,
                                             contrasts)
        write_csv(table, f"{out_dir}/{spec.id}.csv")
        write_excel_csv(table, f"{out_dir}/{EXCEL_CSV.format(table=spec.id)}")
        formatted[spec.id] = {"title": spec.title, "kind": spec.kind, "append_to": spec.append_to,
                              "columns": list(table.columns), "rows": table.to_numpy().tolist(), "footnote": note}
        logger.info("formatted %s (%d rows)", spec.id, len(table))
    for path in expected or []:
        if Path(path).stem not in formatted:
            note = pd.DataFrame({"note": [NOT_IN_WAVE.format(wave=book.wave)]})
            write_csv(note, path)
            write_excel_csv(note, Path(path).with_name(EXCEL_CSV.format(table=Path(path).stem)))
            logger.info("table %s: not in wave %s's form", Path(path).stem, book.wave)
    write_json(formatted, out_json)
    if out_xlsx:
        write_tables_workbook(formatted, out_xlsx)
    current = {spec.id for spec in the_plan.tables} | {Path(path).stem for path in expected or []}
    for path in remove_stale(out_dir, current, (".csv", EXCEL_CSV.format(table=""))):
        logger.info("removed %s: no table of the plan has this id any more", path)


def read_contrasts(estimates: str, posthoc: str, published: list[str], alpha: float, seed: int) -> Contrasts:
    """The estimates and post-hoc pairs of the statistics step, and the p-values the wave's publication printed."""
    return Contrasts.read(read_csv(estimates, keep_default_na=False, na_values=[""], dtype={"level": str}),
                          read_csv(posthoc, keep_default_na=False, na_values=[""], dtype={"level": str}),
                          alpha, seed, tuple(load_yaml(path) for path in published))

