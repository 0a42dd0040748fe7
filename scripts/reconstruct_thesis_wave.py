#!/usr/bin/env python
"""Rebuild the closed answers of the thesis wave (39 respondents) from its published numbers.

    .venv/bin/python scripts/reconstruct_thesis_wave.py --seed 2025

Writes the canonical respondent table (--out), the report (--report, also printed) and,
through surveykit.questionnaire.forms.export.write_export, the raw Google Forms export (--export).
Same seed, same files, byte for byte.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveykit.questionnaire.codebook import load_codebook  # noqa: E402
from surveykit.questionnaire.forms.export import write_export  # noqa: E402
from surveykit.reproduction.published import load_publication  # noqa: E402
from surveykit.tools.reconstruct import reconstruct_wave, render, verify  # noqa: E402
from surveykit.tools.reconstruct.open_answers import load_open_answers  # noqa: E402
from surveykit.tools.reconstruct.output import report_header, solver_lines, write_canonical  # noqa: E402

DEFAULTS = {
    "published": ROOT / "data/studies/tele_expertise_cpts/published/thesis_2025.yaml",
    "codebook": ROOT / "data/studies/tele_expertise_cpts/codebook.yaml",
    "open_answers": ROOT / "data/studies/tele_expertise_cpts/reconstruction/open_answers.yaml",
    "out": ROOT / "data/studies/tele_expertise_cpts/reconstruction/thesis_2025_canonical.csv",
    "report": ROOT / "data/studies/tele_expertise_cpts/reconstruction/reconstruction_report.md",
    "export": ROOT / "data/raw/thesis_2025/export.csv",
}
DEFAULT_SEED = 2025


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    for name, path in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=Path, default=path)
    parser.add_argument("--no-export", action="store_true", help="do not write the raw Google Forms export")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pub = load_publication(args.published)
    book = load_codebook(args.codebook)
    answers = load_open_answers(args.open_answers)
    recon = reconstruct_wave(pub, book, answers, args.seed)
    write_canonical(recon.table, args.out)
    if not args.no_export:
        write_export(recon.table, args.codebook, args.export)
    checks = verify(recon.table, pub, book, answers)
    skipped = {"report"} | ({"export"} if args.no_export else set())
    sources = {name: _relative(getattr(args, name)) for name in DEFAULTS if name not in skipped}
    text = render(checks, solver_lines(recon), recon.findings, report_header(args.seed, recon, sources))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    print(f"[{time.perf_counter() - started:.1f} s] {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
