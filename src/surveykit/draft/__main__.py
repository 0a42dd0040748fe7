"""Draft a study from its export: `python -m surveykit.draft EXPORT --study NAME --wave WAVE [--force]`.

(`make study EXPORT=… STUDY=… WAVE=…` calls it.) Writes data/studies/<study>/ (codebook, analysis plan,
figures, one empty category codebook per open question), places the export under data/raw/<wave>/ and
declares the study and the wave in config.yaml; a following `make` builds the wave's chapter.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from . import draft_study


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m surveykit.draft", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path, help="the raw export (.csv or .xlsx, as Google Forms writes it)")
    parser.add_argument("--study", required=True, help="study name (letters, digits, underscores)")
    parser.add_argument("--wave", required=True, help="wave name (letters, digits, underscores)")
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: the current folder)")
    parser.add_argument("--label", help="the wave's name printed in the chapter (default: the wave name)")
    parser.add_argument("--force", action="store_true", help="overwrite study files edited since the last draft")
    args = parser.parse_args(argv)
    try:
        report = draft_study(args.export, args.study, args.wave, root=args.root, label=args.label, force=args.force)
    except InputError as exc:
        print(f"make study stopped: {exc}", file=sys.stderr)
        return 1
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
