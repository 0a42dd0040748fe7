"""A corpus that proves the drafter: seeded Google Forms exports, each with the truth it was generated from.

    from surveykit.tools.bench.corpus import generate, write_export, compare_codebook
    export = generate(7)                       # questions, answers, truth, planted personal data
    path = write_export(export, "/tmp/corpus") # Forms CSV, Sheets XLSX or French Excel CSV
    write_truth(export, "/tmp/corpus")         # export_7.truth.json beside it
    report = compare_codebook(drafted_codebook_dict, export.truth)

See generate.py for what an export holds and compare.py for how a drafted codebook is scored.
"""
from __future__ import annotations

from .compare import Comparison, compare_codebook, draft_codebook, summarise
from .generate import Generated, generate
from .write import export_bytes, write_export, write_truth

__all__ = ["Generated", "generate", "write_export", "export_bytes", "compare_codebook", "draft_codebook",
           "summarise", "Comparison", "write_truth"]
