"""Draft a study from its export: `python -m surveykit.tools.draft EXPORT --study NAME --wave WAVE [--force]`.

(`make study EXPORT=… STUDY=… WAVE=…` calls it with `--from-environment`: the Makefile hands the arguments
over as SURVEYKIT_EXPORT, SURVEYKIT_STUDY, SURVEYKIT_WAVE, SURVEYKIT_LABEL and SURVEYKIT_FORCE, so that no
shell ever reads them: a file name holding quotes, backticks, `$(…)` or `;` is a file name.) Writes
data/studies/<study>/ (codebook, analysis plan, figures, one empty category codebook per open question),
places the export under data/raw/<wave>/ and declares the study and the wave in config.yaml; a following
`make` builds the wave's chapter. A refused draft writes nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from surveykit.core.errors import InputError, describe_os_error

from . import draft_study

USAGE = "usage: make study EXPORT=<file> STUDY=<name> WAVE=<wave> [LABEL=<text>] [FORCE=1]"
CLI_USAGE = "usage: surveykit study EXPORT --study NAME --wave WAVE [--label TEXT] [--force]"
ENVIRONMENT = {"export": "SURVEYKIT_EXPORT", "study": "SURVEYKIT_STUDY", "wave": "SURVEYKIT_WAVE",
               "label": "SURVEYKIT_LABEL", "force": "SURVEYKIT_FORCE"}
NO = ("", "0", "no", "non", "false")


def _from_environment(args: argparse.Namespace) -> argparse.Namespace | None:
    """The arguments of `make study`, read from the environment as plain text (None when one is missing)."""
    values = {key: os.environ.get(name, "") for key, name in ENVIRONMENT.items()}
    if not (values["export"] and values["study"] and values["wave"]):
        return None
    args.export, args.study, args.wave = Path(values["export"]), values["study"], values["wave"]
    args.label = values["label"] or None
    args.force = values["force"].strip().lower() not in NO
    return args


def main(argv: list[str] | None = None, command: str = "make study") -> int:
    """`command` names the caller in messages (`make study`, `surveykit study`)."""
    parser = argparse.ArgumentParser(prog="python -m surveykit.tools.draft", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path, nargs="?",
                        help="the raw export (.csv or .xlsx, as Google Forms writes it)")
    parser.add_argument("--study", help="study name (letters, digits, underscores)")
    parser.add_argument("--wave", help="wave name (letters, digits, underscores)")
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: the current folder)")
    parser.add_argument("--label", help="the wave's name printed in the chapter (default: the wave name)")
    parser.add_argument("--force", action="store_true", help="overwrite study files edited since the last draft")
    parser.add_argument("--from-environment", action="store_true",
                        help="read EXPORT, STUDY, WAVE, LABEL and FORCE from SURVEYKIT_* variables (make study)")
    args = parser.parse_args(argv)
    if args.from_environment:
        args = _from_environment(args)
    if args is None or not (args.export and args.study and args.wave):
        print(USAGE if command == "make study" else CLI_USAGE, file=sys.stderr)
        return 2
    try:
        report = draft_study(args.export, args.study, args.wave, root=args.root, label=args.label, force=args.force)
    except InputError as exc:
        print(f"{command} stopped: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        message = describe_os_error(exc)
        if message is None:
            raise
        print(f"{command} stopped: {message}; nothing was written", file=sys.stderr)
        return 1
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
