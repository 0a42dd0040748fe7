"""Rule entry point of the reproduction stage (workflow/rules/reproduction.smk), reproduction_report: published numbers vs regenerated ones, and the audit of the published numbers."""
from __future__ import annotations

import logging
from pathlib import Path

from surveykit.core.io import read_csv, read_tidy, write_csv
from surveykit.manuscript.prose import typography

from .audit import audit_published
from .published import load_publication
from .report import report_markdown
from .reproduce import reproduce


def reproduction_report(inputs, outputs, params, logger: logging.Logger) -> None:
    publication = load_publication(inputs.published)
    items = list(publication.items)
    audit = audit_published(items)
    descriptives = read_tidy(inputs.descriptives)
    table = reproduce(items, descriptives, read_csv(inputs.tests), read_csv(inputs.counts), audit)
    write_csv(table, outputs.csv)
    write_csv(audit, outputs.audit)
    chapter = Path(inputs.chapter).read_text(encoding="utf-8")
    text = report_markdown(table, audit, publication, descriptives, chapter, params.wave["label"])
    Path(outputs.markdown).write_text(typography(text), encoding="utf-8")
    logger.info("reproduced %d of %d published numbers; %d audit flags", int(table["match"].sum()), len(table),
                int((audit["status"] != "ok").sum()))
    for row in table[~table["match"]].itertuples():
        logger.warning("not reproduced: %s %s published %s regenerated %s — %s", row.ref, row.quantity,
                       row.published, row.regenerated, row.explanation)


__all__ = ["reproduction_report"]
