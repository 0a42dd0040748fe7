"""The `surveykit` command: everything `make` does, without make or bash (Windows, macOS, Linux).

    surveykit study EXPORT --study S --wave W [--label L] [--force]   draft a study from its export
    surveykit run [--cores N] [--wave W]                               run the pipeline (the chapter of every wave)
    surveykit check                                                    check config.yaml and the study files
    surveykit report                                                   run, then write results/report.html
    surveykit decisions SHEET --study S --wave W --coder C             add a filled coding sheet to the decisions
    surveykit bench                                                    time the pipeline, write BENCHMARKS.md

Every subcommand works in the project folder, the current directory (the one holding Snakefile and
config.yaml). What the user types is handed to Python as text, never to a shell: Snakemake runs as
`python -m snakemake` with a list of arguments. `make` calls the same subcommands (`python -m surveykit …
--from-environment`, reading its arguments from SURVEYKIT_* variables).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from surveykit import __version__

CONFIG = "config.yaml"
SNAKEFILE = "Snakefile"
CONFIG_SCHEMA = Path("workflow") / "schemas" / "config.schema.yaml"
REPORT = Path("results") / "report.html"
BENCH_SCRIPT = Path("scripts") / "bench.py"


def _project(root: Path, command: str, *needed: str) -> str | None:
    """A message when `root` is not a project folder (a file the command needs is missing), else None."""
    missing = [name for name in needed if not (root / name).is_file()]
    if not missing:
        return None
    return (f"{command} stopped: no {' and no '.join(missing)} in {root}: run it from the project folder (the folder "
            f"holding {SNAKEFILE} and {CONFIG}, e.g. `cd` into the folder you downloaded), then run it again")


# ---------------------------------------------------------------------------------------------------- study

def _study(args: argparse.Namespace) -> int:
    from surveykit.tools.draft.__main__ import main as draft_main

    if args.from_environment:
        return draft_main(["--from-environment"], command="make study")
    argv = []
    for flag in ("study", "wave", "label"):
        if getattr(args, flag) is not None:
            argv += [f"--{flag}", getattr(args, flag)]
    if args.force:
        argv.append("--force")
    if args.export:
        argv += ["--", str(args.export)]  # a file name that starts with "-" is a file name
    return draft_main(argv, command="surveykit study")


# ------------------------------------------------------------------------------------------------------ run

def _cores(args: argparse.Namespace, command: str) -> str | None:
    value = args.cores if args.cores is not None else (os.environ.get("SURVEYKIT_CORES") or "2")
    value = str(value).strip()
    if (value.isdigit() and int(value) > 0) or value == "all":
        return value
    hint = "make CORES=4" if command == "make" else "surveykit run --cores 4"
    print(f"{command} stopped: CORES={value!r}: expected a whole number of cores (e.g. {hint}) or `all`",
          file=sys.stderr)
    return None


def _wave_target(root: Path, wave: str, command: str) -> tuple[list[str], int]:
    """The Snakemake target of one wave (rule wave_<wave>), or an exit code when config.yaml has no such wave."""
    from surveykit.core.errors import InputError
    from surveykit.core.yamlio import load_yaml

    try:
        waves = (load_yaml(root / CONFIG) or {}).get("waves") or {}
    except InputError as exc:
        print(f"{command} stopped: {exc}", file=sys.stderr)
        return [], 1
    if wave not in waves:
        print(f"{command} stopped: --wave {wave!r}: config.yaml declares no such wave (its waves: "
              f"{', '.join(waves) or 'none'}); expected one of them", file=sys.stderr)
        return [], 2
    return [f"wave_{wave}"], 0


def _runnable_project(args: argparse.Namespace, command: str) -> tuple[Path, str] | int:
    """(project folder, cores) when the current folder is a project and --cores is valid; else the exit code,
    the problem printed."""
    root = Path.cwd()
    problem = _project(root, command, SNAKEFILE, CONFIG)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    cores = _cores(args, command)
    return 2 if cores is None else (root, cores)


def _run(args: argparse.Namespace, extra: list[str]) -> int:
    from . import pipeline

    command = "make" if args.from_environment else "surveykit run"
    checked = _runnable_project(args, command)
    if isinstance(checked, int):
        return checked
    root, cores = checked
    targets: list[str] = []
    if args.wave:
        targets, code = _wave_target(root, args.wave, command)
        if code:
            return code
    code = pipeline.main(["--cores", cores, *targets, *extra], command=command)
    if not args.no_summary and not any(flag in extra for flag in ("-n", "--dry-run", "--dryrun")):
        from .summary import print_summary

        print_summary(root, waves=[args.wave] if args.wave else None, failed=code != 0)
    return code


# --------------------------------------------------------------------------------------------------- report

def _report(args: argparse.Namespace) -> int:
    from . import pipeline

    command = "make report" if args.from_environment else "surveykit report"
    checked = _runnable_project(args, command)
    if isinstance(checked, int):
        return checked
    root, cores = checked
    code = pipeline.main(["--cores", cores], command=command)
    if code != 0:
        return code
    code = subprocess.call(pipeline.snakemake_command() + ["--report", REPORT.as_posix()], cwd=root)
    if code == 0:
        print(f"Rapport Snakemake : {REPORT.as_posix()} (ouvrez-le dans un navigateur)")
    return code


# ---------------------------------------------------------------------------------------------------- check

def check_project(root: Path) -> list[str]:
    """Check config.yaml and every study file; the lines to print. Raises InputError on the first problem."""
    from surveykit.core.errors import InputError
    from surveykit.core.yamlio import load_yaml, validate_data
    from surveykit.project.configcheck import check_config, check_config_file, check_config_paths, check_study_paths
    from surveykit.project.study import load_study

    config_path = root / CONFIG
    if not config_path.is_file():
        raise InputError(f"{config_path}: not found: run it from the project folder, or draft a first study with "
                         "`surveykit study EXPORT --study NAME --wave WAVE`")
    check_config_file(config_path)
    config = load_yaml(config_path) or {}
    if not isinstance(config, dict):
        raise InputError(f"{CONFIG}: expected keys such as `studies:` and `waves:`, found {type(config).__name__}")
    check_config(config)
    schema = root / CONFIG_SCHEMA
    if not schema.is_file():
        raise InputError(f"{schema}: not found: the project folder is incomplete (copy workflow/ from the pipeline)")
    validate_data(config, schema, CONFIG)
    previous = Path.cwd()
    os.chdir(root)  # study folders and exports are named relative to the project folder
    try:
        check_config_paths(config)
        lines = []
        studies = {}
        for name, entry in (config.get("studies") or {}).items():
            study = load_study(name, entry["folder"])
            check_study_paths(study, config)
            studies[name] = study
            lines.append(f"étude {name} : {entry['folder']} (codebook, plan d'analyse, figures) valide")
        for wave, entry in (config.get("waves") or {}).items():
            if entry["study"] not in studies:
                raise InputError(f"{CONFIG}: waves: {wave}: study {entry['study']!r} is not in `studies` "
                                 f"({', '.join(studies) or 'none'}); expected one of them, or declare it")
            if not Path(entry["export"]).is_file():
                raise InputError(f"{CONFIG}: waves: {wave}: export: {entry['export']!r} not found; expected the raw "
                                 f"export there (e.g. data/raw/{wave}/export.csv)")
            published = entry.get("published")
            if published and not Path(published).is_file():
                raise InputError(f"{CONFIG}: waves: {wave}: published: {published!r} not found")
            lines.append(f"vague {wave} ({entry['study']}) : export {entry['export']} présent")
    finally:
        os.chdir(previous)
    return lines


def _check(args: argparse.Namespace) -> int:
    from surveykit.core.errors import InputError

    try:
        lines = check_project(Path.cwd())
    except InputError as exc:
        print(f"surveykit check stopped: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"  {line}")
    print(f"{CONFIG} et les fichiers des études sont valides.")
    return 0


# ------------------------------------------------------------------------------------------ decisions, bench

def _decisions(args: argparse.Namespace) -> int:
    from surveykit.recode.__main__ import main as decisions_main

    if args.from_environment:
        return decisions_main(["--from-environment"], command="make decisions")
    argv = []
    for flag in ("study", "wave", "coder"):
        if getattr(args, flag):
            argv += [f"--{flag}", getattr(args, flag)]
    if args.sheet:
        argv += ["--", str(args.sheet)]
    return decisions_main(argv, command="surveykit decisions")


def _bench(args: argparse.Namespace, extra: list[str]) -> int:
    root = Path.cwd()
    if not (root / BENCH_SCRIPT).is_file():
        print(f"surveykit bench stopped: no {BENCH_SCRIPT.as_posix()} in {root}: run it from the project folder",
              file=sys.stderr)
        return 1
    return subprocess.call([sys.executable, str(BENCH_SCRIPT), *extra], cwd=root)


# ----------------------------------------------------------------------------------------------------- main

def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="surveykit", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"surveykit {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    study = sub.add_parser("study", help="draft a study from its export and declare it in config.yaml")
    study.add_argument("export", type=Path, nargs="?", help="the raw export (.csv or .xlsx, as Google Forms writes it)")
    study.add_argument("--study", help="study name (lower-case letters, digits, underscores)")
    study.add_argument("--wave", help="wave name (lower-case letters, digits, underscores)")
    study.add_argument("--label", help="the wave's name printed in the chapter (default: the wave name)")
    study.add_argument("--force", action="store_true", help="overwrite study files edited since the last draft")

    run = sub.add_parser("run", help="run the pipeline: the chapter of every wave (or of --wave)")
    run.add_argument("--cores", help="cores Snakemake may use (default: SURVEYKIT_CORES, else 2)")
    run.add_argument("--wave", help="only this wave (its chapter and reports)")
    run.add_argument("--no-summary", action="store_true", help="do not print the summary at the end")

    report = sub.add_parser("report", help="run the pipeline, then write Snakemake's report results/report.html")
    report.add_argument("--cores", help="cores Snakemake may use (default: SURVEYKIT_CORES, else 2)")

    sub.add_parser("check", help="check config.yaml and the study files, without running anything")

    decisions = sub.add_parser("decisions", help="add a filled coding sheet to the coder's decisions")
    decisions.add_argument("sheet", type=Path, nargs="?", help="the filled coding sheet (.xlsx)")
    decisions.add_argument("--study")
    decisions.add_argument("--wave")
    decisions.add_argument("--coder", help="the coder's initials")

    sub.add_parser("bench", help="time the pipeline and write BENCHMARKS.md (about fifteen minutes)")

    for command in (study, run, report, decisions):
        command.add_argument("--from-environment", action="store_true", help=argparse.SUPPRESS)
    return top


def _printable_streams() -> None:
    """A Windows console or a redirected output may use an encoding without « » or the narrow no-break space of
    French numbers: such a character is printed as `?` rather than stopping the command."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
    top = parser()
    args, extra = top.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]  # `surveykit run -- -n`: what follows goes to Snakemake as is
    if args.command is None:
        top.print_help()
        return 2
    if extra and args.command not in ("run", "bench"):
        top.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "study":
        return _study(args)
    if args.command == "run":
        return _run(args, extra)
    if args.command == "report":
        return _report(args)
    if args.command == "check":
        return _check(args)
    if args.command == "decisions":
        return _decisions(args)
    return _bench(args, extra)


if __name__ == "__main__":
    raise SystemExit(main())
