"""Run the pipeline the way `make` does, recovering by itself from an interrupted run.

`python -m surveykit.app.pipeline [--cores N] [snakemake arguments…]` (what `surveykit run` and `make` call). A run killed
mid-way (a closed terminal, `kill -9`, a power cut) leaves Snakemake's lock in `.snakemake/locks/`
and its unfinished files marked incomplete; a plain `snakemake` then refuses to start
(LockException, IncompleteFilesException) until `snakemake --unlock` and `--rerun-incomplete`.
Here:

- when a lock is there and no other Snakemake run is alive in this folder, the lock is stale: it is
  removed (`snakemake --unlock`) and the console says so;
- when another run is alive in this folder, nothing is touched: the message names it (wait for it,
  or stop it);
- every run passes `--rerun-incomplete`: files a killed job left half-written are computed again
  (the console lists them: Snakemake prints the reason of each job).

The number of cores comes from `--cores` or SURVEYKIT_CORES (`make CORES=4`), read as data.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

LOCKS = Path(".snakemake") / "locks"


def snakemake_command() -> list[str]:
    """Snakemake of this Python (the project's virtual environment), as a command: run without a shell."""
    return [sys.executable, "-m", "snakemake"]


_snakemake = snakemake_command


def other_runs(root: Path) -> list[int]:
    """Ids of other live processes running Snakemake in `root` (its jobs' scripts included)."""
    import psutil

    root = root.resolve()
    mine = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "cwd"]):
        try:
            info = process.info
            if info["pid"] in mine or not info["cmdline"] or not info["cwd"]:
                continue
            if process.status() == psutil.STATUS_ZOMBIE:
                continue
            command = " ".join(info["cmdline"])
            if "snakemake" in command and Path(info["cwd"]).resolve() == root:
                found.append(info["pid"])
        except (psutil.Error, OSError):
            continue
    return sorted(found)


def recover(root: Path, say=print, command: str = "make") -> bool:
    """Remove a stale lock (no other run alive); True when one was removed. Stops when another run is alive."""
    locks = root / LOCKS
    if not locks.is_dir() or not any(locks.iterdir()):
        return False
    alive = other_runs(root)
    if alive:
        raise SystemExit(f"Another run of the pipeline is working in this folder (process {', '.join(map(str, alive))}"
                         f"): wait for it to finish, or stop it, then run `{command}` again. Nothing was changed.")
    result = subprocess.run(_snakemake() + ["--unlock", "--quiet"], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"A previous run left its lock in {LOCKS} and could not be unlocked:\n"
                         f"{result.stderr.strip() or result.stdout.strip()}")
    say(f"{command}: a previous run was interrupted (its lock was left in {LOCKS.as_posix()}/) and no other run is "
        "alive in this folder: unlocked. Files it left unfinished are computed again (--rerun-incomplete).")
    return True


def main(argv: list[str] | None = None, command: str = "make") -> int:
    """`command` names the caller in messages (`make`, `surveykit run`)."""
    parser = argparse.ArgumentParser(prog="python -m surveykit.app.pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cores", default=os.environ.get("SURVEYKIT_CORES") or "2",
                        help="cores Snakemake may use (default: SURVEYKIT_CORES, else 2)")
    args, extra = parser.parse_known_args(argv)
    cores = str(args.cores).strip()
    if not (cores.isdigit() and int(cores) > 0) and cores != "all":
        print(f"{command} stopped: CORES={cores!r}: expected a whole number of cores (e.g. make CORES=4) or `all`",
              file=sys.stderr)
        return 2
    root = Path.cwd()
    try:
        recover(root, command=command)
    except SystemExit as exc:
        print(f"{command} stopped: {exc}", file=sys.stderr)
        return 1
    return subprocess.call(_snakemake() + ["--cores", cores, "--rerun-incomplete", *extra], cwd=root)


if __name__ == "__main__":
    raise SystemExit(main())
