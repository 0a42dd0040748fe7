"""Merge a filled coding sheet into the coder's decisions: `make decisions SHEET=… STUDY=… WAVE=… CODER=…`.

`python -m surveykit.recode SHEET --study STUDY --wave WAVE --coder CODER` (or `--from-environment`, as
`make decisions` calls it: SURVEYKIT_SHEET, SURVEYKIT_STUDY, SURVEYKIT_WAVE, SURVEYKIT_CODER, read as data,
never by a shell). The coded rows of the sheet are added to data/studies/<study>/coding/<wave>/<coder>_main.csv
(the study's folder as config.yaml declares it): earlier decisions, their `citation` marks and other columns
are kept, a changed decision keeps its previous value in the `history` column, and running it twice changes
nothing. Nothing is written when a row of the sheet is invalid (the message names the row).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from surveykit.core.errors import InputError, describe_os_error
from surveykit.core.yamlio import load_yaml

USAGE = "usage: make decisions SHEET=<filled coding_sheet.xlsx> STUDY=<study> WAVE=<wave> CODER=<initials>"
CLI_USAGE = "usage: surveykit decisions SHEET --study STUDY --wave WAVE --coder INITIALS"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def decisions_path(root: Path, study: str, wave: str, coder: str) -> tuple[Path, Path]:
    """(the coder's decisions file, the study's categories folder), from config.yaml's declaration."""
    for kind, value in (("study", study), ("wave", wave), ("coder", coder)):
        if not NAME.match(value):
            raise InputError(f"{kind} {value!r}: expected letters, digits, '_' or '-' (at most 64), e.g. bd")
    config = load_yaml(root / "config.yaml") or {}
    studies = config.get("studies") or {}
    if study not in studies:
        raise InputError(f"{root / 'config.yaml'}: no study {study!r} in `studies` ({', '.join(studies) or 'none'})")
    waves = config.get("waves") or {}
    if wave not in waves or (waves[wave] or {}).get("study") != study:
        raise InputError(f"{root / 'config.yaml'}: no wave {wave!r} of study {study!r} in `waves`")
    folder = root / studies[study]["folder"]
    return folder / "coding" / wave / f"{coder}_main.csv", folder / "categories"


def main(argv: list[str] | None = None, command: str = "make decisions") -> int:
    """`command` names the caller in messages (`make decisions`, `surveykit decisions`)."""
    parser = argparse.ArgumentParser(prog="python -m surveykit.recode", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sheet", nargs="?", type=Path, help="the filled coding sheet (.xlsx)")
    parser.add_argument("--study")
    parser.add_argument("--wave")
    parser.add_argument("--coder")
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--from-environment", action="store_true")
    args = parser.parse_args(argv)
    if args.from_environment:
        env = {key: os.environ.get(f"SURVEYKIT_{key.upper()}", "") for key in ("sheet", "study", "wave", "coder")}
        args.sheet = Path(env["sheet"]) if env["sheet"] else None
        args.study, args.wave, args.coder = env["study"], env["wave"], env["coder"]
    if not (args.sheet and args.study and args.wave and args.coder):
        print(USAGE if command == "make decisions" else CLI_USAGE, file=sys.stderr)
        return 2
    from .codebook import load_codebooks
    from .sheet import convert_coding_sheet

    try:
        target, categories = decisions_path(args.root, args.study, args.wave, args.coder)
        _decisions, report = convert_coding_sheet(args.sheet, target, load_codebooks(categories))
    except InputError as exc:
        print(f"{command} stopped: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        message = describe_os_error(exc, where=str(args.sheet))
        if message is None:
            raise
        print(f"{command} stopped: {message}", file=sys.stderr)
        return 1
    print(f"{report}.\nNext: `{'make' if command.startswith('make') else 'surveykit run'}` codes the wave with them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
