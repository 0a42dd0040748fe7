"""Local runs never pay for the cluster: the SLURM executor plugin is loaded only by the cluster command.

The pinned plugin runs `scontrol show config` (timeout 10 s) when Snakemake imports it, and Snakemake imports every
executor plugin it can find at every start. So it is installed outside the virtual environment
(`.venv/cluster-plugins`, requirements-cluster.txt) and only `python -m surveykit.app.cluster` puts it on PYTHONPATH.
Here a fake Slurm client (`scontrol`, `sinfo`, `sacct`, `squeue`, `sbatch`) that hangs for 30 s sits first on PATH:
a local dry run must not call it, and must take its usual time."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import ROOT, make_project

from surveykit.app import cluster

pytestmark = pytest.mark.pipeline

SLURM_CLIENTS = ("scontrol", "sinfo", "sacct", "squeue", "sbatch", "sacctmgr", "sshare")


def fake_slurm(folder: Path) -> tuple[Path, Path]:
    """A folder of Slurm clients that record their call, then hang for 30 s; and their call log."""
    folder.mkdir()
    calls = folder / "calls.log"
    for name in SLURM_CLIENTS:
        script = folder / name
        script.write_text(f"#!/bin/sh\necho {name} \"$@\" >> '{calls}'\nsleep 30\n")
        script.chmod(0o755)
    return folder, calls


def local_environment(extra_path: Path | None = None) -> dict:
    env = dict(os.environ)
    env.pop("SLURM_CONF", None)
    env.pop("SURVEYKIT_CLUSTER", None)
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env['PATH']}"
    return env


def timed_dry_run(project: Path, env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "2"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return elapsed


def test_the_plugin_is_not_importable_from_the_virtual_environment():
    probe = subprocess.run([sys.executable, "-c", "import importlib.util as u; "
                            f"print(u.find_spec({cluster.PLUGIN!r}) is None)"],
                           env=local_environment(), capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "True", (
        f"{cluster.PLUGIN} is importable from {sys.prefix}: every local Snakemake run loads it (and probes SLURM). "
        "It belongs in .venv/cluster-plugins only (run `make`: its install step moves it there)")


def test_the_cluster_command_finds_the_plugin():
    folder = cluster.plugin_folder()
    if not (folder / cluster.PLUGIN).is_dir():
        pytest.skip(f"the SLURM executor plugin is not installed in {folder}: run `make`")
    env = cluster.cluster_environment(local_environment())
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(folder.resolve())
    probe = subprocess.run([sys.executable, "-c", "import importlib.util as u; "
                            f"print(u.find_spec({cluster.PLUGIN!r}).origin)"],
                           env=env, capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(folder.resolve()))


def test_cluster_plugins_are_pinned_and_their_dependencies_are_in_requirements():
    pins = [line.split("==") for line in (ROOT / "requirements-cluster.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert {name for name, _ in pins} == {"snakemake-executor-plugin-slurm", "snakemake-executor-plugin-slurm-jobstep"}
    assert all(version for _, version in pins)
    main = (ROOT / "requirements.txt").read_text().lower()
    assert "snakemake-executor-plugin-slurm" not in main  # else `pip install -r requirements.txt` brings it back
    for dependency in ("throttler", "pandas", "numpy", "pyyaml", "snakemake-interface-common",
                       "snakemake-interface-executor-plugins"):
        assert f"\n{dependency}==" in main, f"{dependency} (needed by the SLURM plugin) is not pinned in requirements.txt"


def test_a_hanging_slurm_client_does_not_slow_a_local_dry_run(tmp_path):
    project = make_project(tmp_path)
    fakes, calls = fake_slurm(tmp_path / "fake-slurm")
    timed_dry_run(project, local_environment())  # warm-up: caches, byte-compiled files
    bare = min(timed_dry_run(project, local_environment()) for _ in range(2))
    with_fake = min(timed_dry_run(project, local_environment(fakes)) for _ in range(2))
    called = calls.read_text() if calls.exists() else ""
    assert called == "", f"a local dry run called the Slurm client:\n{called}"
    assert with_fake <= 1.5 * bare + 1.0, (f"local dry run took {with_fake:.1f} s with a hanging scontrol on PATH, "
                                           f"{bare:.1f} s without")


def test_a_local_dry_run_shows_no_cluster_groups(tmp_path):
    """Groups batch jobs on the cluster only (SURVEYKIT_CLUSTER=1, set by the cluster command): a workstation's
    `snakemake -n` lists its jobs one by one, as before."""
    project = make_project(tmp_path)
    local = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "2"], cwd=project,
                           env=local_environment(), capture_output=True, text=True, check=True).stdout
    assert "Group job" not in local and "\nrule clean_wave:" in local
    assert cluster.cluster_environment({})["SURVEYKIT_CLUSTER"] == "1"


def test_the_profile_reads_partition_and_account_from_the_environment():
    text = (ROOT / "workflow/profiles/slurm/config.yaml").read_text(encoding="utf-8")
    assert "standard" not in text
    profile = yaml.safe_load(text)
    assert profile["executor"] == "slurm"
    resources = profile["default-resources"]
    assert resources["mem_mb"] > 0 and resources["runtime"] > 0
    conditions = " ".join(str(key) for key in resources)
    assert "SLURM_PARTITION" in conditions and "SLURM_ACCOUNT" in conditions


@pytest.mark.parametrize("env, partition, account", [
    ({"SLURM_PARTITION": "short", "SBATCH_ACCOUNT": "lab"}, "'short'", "'lab'"),
    ({"SBATCH_PARTITION": "open"}, "'open'", None),  # quoted: a partition named like a Python builtin stays a name
    ({}, None, None),
])
def test_profile_resources_follow_the_environment(env, partition, account, monkeypatch):
    import yte

    for name in cluster.PARTITION_VARIABLES + cluster.ACCOUNT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with open(ROOT / "workflow/profiles/slurm/config.yaml", encoding="utf-8") as handle:
        profile = yte.process_yaml(handle, require_use_yte=True)
    resources = profile["default-resources"]
    assert resources.get("slurm_partition") == partition
    assert resources.get("slurm_account") == account


def test_the_cluster_command_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_CLUSTER_PLUGINS", str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    found = cluster.problems({"PATH": str(tmp_path)})
    assert any("not installed in" in p and "make" in p for p in found)
    assert any("sbatch" in p for p in found)
    assert any("project's folder" in p for p in found)
    assert "SLURM_PARTITION" in cluster.describe_target({})
    assert "partition gpu (from SBATCH_PARTITION)" in cluster.describe_target({"SBATCH_PARTITION": "gpu"})
