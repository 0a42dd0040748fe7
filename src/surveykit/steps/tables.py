"""Rule format_tables: French tables from the tidy statistics (no statistics computed here)."""
from __future__ import annotations

import logging

from ..analysis.format import format_table
from ..analysis.plan import load_plan
from ..codebook import load_codebook
from ..analysis.workbook import write_tables_workbook
from ..io import read_csv, read_tidy, write_csv, write_excel_csv, write_json

EXCEL_CSV = "{table}.excel.csv"  # beside {table}.csv: the copy French Excel opens as it is


def format_tables(descriptives: str, tests: str, codebook: str, plan: str, out_json: str, out_dir: str,
                  logger: logging.Logger, out_xlsx: str | None = None) -> None:
    """French tables: one CSV each (and its copy for French Excel), all of them with titles and footnotes in one
    JSON and in one workbook (`out_xlsx`, a sheet per table)."""
    book = load_codebook(codebook)
    the_plan = load_plan(plan, book)
    tidy = read_tidy(descriptives)
    test_rows = read_csv(tests)
    formatted = {}
    for spec in the_plan.tables:
        table, note = format_table(spec, the_plan, book, tidy[tidy["table"] == spec.id], test_rows)
        write_csv(table, f"{out_dir}/{spec.id}.csv")
        write_excel_csv(table, f"{out_dir}/{EXCEL_CSV.format(table=spec.id)}")
        formatted[spec.id] = {"title": spec.title, "kind": spec.kind, "append_to": spec.append_to,
                              "columns": list(table.columns), "rows": table.to_numpy().tolist(), "footnote": note}
        logger.info("formatted %s (%d rows)", spec.id, len(table))
    write_json(formatted, out_json)
    if out_xlsx:
        write_tables_workbook(formatted, out_xlsx)


def run_format(inputs, outputs, params, logger) -> None:
    format_tables(inputs.descriptives, inputs.tests, inputs.codebook, inputs.plan, outputs.tables,
                  params.out_dir, logger, out_xlsx=outputs.xlsx)
