"""Run the pipeline on a SLURM cluster: `make cluster` (or `python -m surveykit.app.cluster [snakemake arguments…]`).

Snakemake with the project's profile (`workflow/profiles/slurm`) and the official SLURM executor plugin. The
plugin probes SLURM when Snakemake loads it (it runs `scontrol show config` to write its help text), and Snakemake
loads every executor plugin it can import, at every start: so the plugin is not installed in the virtual
environment but in a folder of its own, `.venv/cluster-plugins` (the Makefile's install step, from
`requirements-cluster.txt`), which only this command puts on PYTHONPATH. `make`, `make test` and every local
`snakemake` never load it, so a Slurm client whose controller does not answer costs them nothing.

Where the jobs go is read from the environment, never from a file of the project:

- partition: SLURM_PARTITION, else SBATCH_PARTITION, else the cluster's default partition;
- account: SLURM_ACCOUNT, else SBATCH_ACCOUNT, else the plugin's guess (the account of your latest job).

As `make` does, a lock left by an interrupted run is removed when no other run is alive in this folder, and every
run passes `--rerun-incomplete` (see surveykit.app.pipeline).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

PROFILE = Path("workflow") / "profiles" / "slurm"
PLUGIN = "snakemake_executor_plugin_slurm"
PARTITION_VARIABLES = ("SLURM_PARTITION", "SBATCH_PARTITION")
ACCOUNT_VARIABLES = ("SLURM_ACCOUNT", "SBATCH_ACCOUNT")


def plugin_folder() -> Path:
    """Where the SLURM executor plugins are installed: SURVEYKIT_CLUSTER_PLUGINS, else <venv>/cluster-plugins."""
    configured = os.environ.get("SURVEYKIT_CLUSTER_PLUGINS")
    return Path(configured) if configured else Path(sys.prefix) / "cluster-plugins"


def cluster_environment(base: dict | None = None) -> dict:
    """The environment of a cluster run: the plugin folder first on PYTHONPATH and SURVEYKIT_CLUSTER=1, which
    turns on the rules' groups (jobs inherit both: the plugin submits with `sbatch --export=ALL`, and each job's
    Snakemake needs the job-step plugin and the same groups)."""
    env = dict(os.environ if base is None else base)
    folder = str(plugin_folder().resolve())
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != folder]
    env["PYTHONPATH"] = os.pathsep.join([folder, *rest])
    env["SURVEYKIT_CLUSTER"] = "1"  # the rules' groups (workflow/rules/common.smk): cluster runs only
    return env


def first_set(variables: tuple[str, ...], env: dict) -> tuple[str, str] | None:
    """(variable, value) of the first variable set to a non-empty value."""
    for name in variables:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def problems(env: dict | None = None) -> list[str]:
    """What stops a cluster run here, in plain words (empty when it can start)."""
    env = dict(os.environ if env is None else env)
    found = []
    if not (plugin_folder() / PLUGIN / "__init__.py").is_file():
        found.append(f"the SLURM executor plugin is not installed in {plugin_folder()} (run `make`, which installs "
                     "requirements-cluster.txt there)")
    if shutil.which("sbatch", path=env.get("PATH")) is None:
        found.append("no SLURM client here (`sbatch` is not on PATH): run this on a machine that submits to the "
                     "cluster (a login node)")
    if not (Path.cwd() / PROFILE / "config.yaml").is_file():
        found.append(f"no {PROFILE}/config.yaml in {Path.cwd()}: run this from the project's folder")
    return found


def describe_target(env: dict) -> str:
    partition, account = first_set(PARTITION_VARIABLES, env), first_set(ACCOUNT_VARIABLES, env)
    where = f"partition {partition[1]} (from {partition[0]})" if partition else \
        "the cluster's default partition (set SLURM_PARTITION to choose one)"
    who = f"account {account[1]} (from {account[0]})" if account else \
        "the account SLURM guesses (set SLURM_ACCOUNT to choose one)"
    return f"cluster run: jobs go to {where}, charged to {who}"


def command(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "snakemake", "--profile", str(PROFILE), "--rerun-incomplete", *extra]


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    if extra[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    env = cluster_environment()
    found = problems(env)
    if found:
        print("make cluster stopped: " + "; ".join(found), file=sys.stderr)
        return 1
    from .pipeline import recover

    try:
        recover(Path.cwd())
    except SystemExit as exc:
        print(f"make cluster stopped: {exc}", file=sys.stderr)
        return 1
    print(describe_target(env), flush=True)
    # Snakemake replaces this process: Ctrl-C, a `timeout` or a kill reach it (and it cancels its SLURM jobs).
    os.execve(sys.executable, command(extra), env)
    return 1  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
