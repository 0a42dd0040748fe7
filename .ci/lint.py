"""Style checks of CI (`make lint`, `.ci/run`): ruff, snakefmt and `snakemake --lint`, each named when it fails.

`snakemake --lint` exits with 1 whenever it prints a lint, and it prints one the project accepts (README, Style
checks): "Specify a conda environment or container for each rule" (one pinned virtual environment, no conda). Any
other lint fails. Run with the project's virtual environment: `.venv/bin/python .ci/lint.py`.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACCEPTED_LINTS = ("Specify a conda environment or container for each rule.",)


def run(name: str, command: list[str]) -> subprocess.CompletedProcess:
    print(f"--- {name}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def main() -> int:
    failed = []
    ruff = run("ruff", [str(BIN / "ruff"), "check", "."])
    print(ruff.stdout + ruff.stderr, end="")
    if ruff.returncode:
        failed.append("ruff check (fix what it names, or `ruff check --fix .`)")
    snakefmt = run("snakefmt", [str(BIN / "snakefmt"), "--check", "--compact-diff", "Snakefile", "workflow/rules"])
    print(snakefmt.stdout + snakefmt.stderr, end="")
    if snakefmt.returncode:
        failed.append("snakefmt --check (format with `snakefmt Snakefile workflow/rules`)")
    lint = run("snakemake --lint", [sys.executable, "-m", "snakemake", "--lint"])
    lints = sorted({line.strip().rstrip(":") for line in (lint.stdout + lint.stderr).splitlines()
                    if re.match(r"\s*\* ", line)})
    others = [item for item in lints if item.lstrip("* ").rstrip(":") not in ACCEPTED_LINTS]
    for item in lints:
        print(f"  {item}{'' if item in others else '  (accepted, see README)'}")
    if others or (lint.returncode and not lints):
        if not lints:
            print(lint.stdout[-3000:] + lint.stderr[-3000:])
        failed.append("snakemake --lint")
    if failed:
        print("Style checks failed: " + "; ".join(failed), file=sys.stderr)
        return 1
    print("Style checks passed: ruff, snakefmt, snakemake --lint.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
