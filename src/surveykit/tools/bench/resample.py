"""A large wave resampled from a real export: real free text, ranks and choices, distinct rows.

Rows of the export are drawn with replacement (seeded); the answers of every linear scale and scale grid
(ratings such as 1–10) are redrawn uniformly so that the rows are distinct (duplicates would be set aside
as repeated submissions), and the timestamps are spread over the collection period. What the cleaner,
the recoder and the statistics see is thus real-shaped: the same texts, the same skip logic, the same
checkbox and ranking patterns as the export, at any size.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from surveykit.questionnaire.codebook import Codebook
from surveykit.questionnaire.forms.headers import map_columns
from surveykit.questionnaire.forms.read import read_export


def resample_export(source: str | Path, book: Codebook, target: str | Path, n: int, seed: int,
                    start: dt.datetime, days: int) -> None:
    """Write `n` rows resampled from `source` to `target` (a CSV as Google Forms writes it)."""
    export = read_export(source)
    columns = map_columns(export.headers, book, export.path)
    rng = np.random.default_rng(seed)
    rows = np.array(export.rows, dtype=object)[rng.integers(0, len(export.rows), size=n)]
    for column in columns.columns:
        question = column.question
        if question.type not in ("scale", "grid_scale"):
            continue
        filled = np.array([cell != "" for cell in rows[:, column.index]])
        values = rng.integers(int(question.min), int(question.max) + 1, size=n).astype(str)
        rows[filled, column.index] = values[filled]
    if columns.timestamp is not None:
        seconds = np.sort(rng.integers(0, days * 86400, size=n))
        rows[:, columns.timestamp] = [(start + dt.timedelta(seconds=int(s))).strftime("%d/%m/%Y %H:%M:%S")
                                      for s in seconds]
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(export.headers)
        writer.writerows(rows.tolist())
