"""The pipeline on a real SLURM cluster, through the project's profile and the official SLURM executor plugin.

A single-node cluster (tests/cluster/slurm_cluster.py: munge, MariaDB, slurmdbd, slurmctld, slurmd) is started
for this module and stopped after it. The bundled thesis wave runs once locally and once through
`python -m surveykit.app.cluster` (what `make cluster` runs): the outputs must be byte-identical, and `sacct` must show
the jobs, completed, charged to the partition and account the environment named.

Skipped, with the reason, where the cluster cannot start (not root, Debian's slurm-wlm, slurmdbd, munge or
mariadb-server missing, a daemon that does not come up); `make test` installs the packages when it runs as root.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_helpers import BUNDLED_CONFIG, make_project, snakemake  # noqa: E402
from slurm_cluster import ACCOUNT, PARTITION, Cluster, ClusterError  # noqa: E402

from surveykit.app import cluster as cluster_command  # noqa: E402

pytestmark = [pytest.mark.pipeline, pytest.mark.slurm]

THESIS_ONLY = {"waves": {"thesis_2025": BUNDLED_CONFIG["waves"]["thesis_2025"]}}
TIMING_FOLDERS = ("results/logs", "results/benchmarks")


def output_hashes(project: Path) -> dict[str, str]:
    hashes = {}
    for folder in ("results", "manuscript/build"):
        for path in sorted((project / folder).rglob("*")):
            relative = path.relative_to(project).as_posix()
            if path.is_file() and not relative.startswith(TIMING_FOLDERS):
                hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


@pytest.fixture(scope="module")
def slurm():
    reason = Cluster.unavailable()
    if reason:
        pytest.skip(f"no SLURM test cluster: {reason}")
    if not (cluster_command.plugin_folder() / cluster_command.PLUGIN).is_dir():
        pytest.skip(f"the SLURM executor plugin is not installed in {cluster_command.plugin_folder()}: run `make` "
                    "(it installs requirements-cluster.txt there)")
    state = Path(tempfile.mkdtemp(prefix="sk-slurm-", dir="/tmp"))  # short: unix socket paths are limited
    cluster = Cluster(state)
    try:
        cluster.start()
    except ClusterError as exc:
        shutil.rmtree(state, ignore_errors=True)
        pytest.skip(f"the SLURM test cluster could not start: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(state, ignore_errors=True)  # MariaDB's files alone are ~100 MB


def test_pipeline_on_slurm_matches_a_local_run_and_sacct_shows_the_jobs(slurm, tmp_path):
    local = make_project(tmp_path / "local", THESIS_ONLY)
    started = time.perf_counter()
    snakemake(local)
    local_seconds = time.perf_counter() - started

    project = make_project(tmp_path / "slurm", THESIS_ONLY)
    env = cluster_command.cluster_environment(slurm.environment())
    env.update(SLURM_PARTITION=PARTITION, SLURM_ACCOUNT=ACCOUNT)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "surveykit.app.cluster", "--slurm-init-seconds-before-status-checks",
                          "2", "--slurm-keep-successful-logs"], cwd=project, env=env, capture_output=True,
                         text=True, timeout=600)
    cluster_seconds = time.perf_counter() - started
    assert run.returncode == 0, f"cluster run failed:\n{run.stdout[-5000:]}\n{run.stderr[-5000:]}"
    print(f"thesis wave: local run {local_seconds:.1f} s, SLURM run {cluster_seconds:.1f} s")
    assert f"partition {PARTITION} (from SLURM_PARTITION)" in run.stdout

    local_hashes, cluster_hashes = output_hashes(local), output_hashes(project)
    assert any(name.endswith("resultats.docx") for name in local_hashes)
    assert cluster_hashes == local_hashes

    accounting = slurm.run("sacct", "-X", "-n", "-P", "-a", "-S", "now-1hours",
                           "-o", "JobID,State,Partition,Account,Comment%200").stdout
    jobs = [line.split("|") for line in accounting.splitlines() if line.strip()]
    assert jobs, f"sacct shows no job:\n{accounting}"
    assert all(state == "COMPLETED" for _, state, *_ in jobs), accounting
    assert {(partition, account) for _, _, partition, account, _ in jobs} == {(PARTITION, ACCOUNT)}
    comments = " ".join(job[4] for job in jobs)
    # short steps are batched: one SLURM job for the wave's data steps, one for its chapter steps
    assert "wave_data" in comments and "wave_chapter" in comments, accounting
    # the light rules ran where Snakemake ran, not as cluster jobs
    assert "provenance" not in comments and "coding_reliability" not in comments, accounting
    assert (project / "results/thesis_2025/provenance.json").is_file()


def test_an_unavailable_cluster_says_why(monkeypatch):
    """Where the packages are missing, the skip reason names them and how to install them."""
    import slurm_cluster

    monkeypatch.setattr(slurm_cluster, "_which", lambda program: None)
    reason = Cluster.unavailable()
    assert reason
    if os.geteuid() == 0:
        assert "slurm-client" in reason and "mariadb-server" in reason and "munge" in reason
        assert "make cluster-test-packages" in reason
    else:
        assert "root" in reason
