"""A real single-node SLURM cluster on this machine, with job accounting, for the cluster test.

    python tests/cluster/slurm_cluster.py up [STATE_DIR]     # start it, print the environment to use, leave it running
    python tests/cluster/slurm_cluster.py down STATE_DIR     # stop what `up` started in STATE_DIR

What it starts, each as a child process in its own state folder (nothing under /etc is read or written, no system
service is touched, every port is a free one picked at start): munged with a fresh key, a private MariaDB server,
slurmdbd (job accounting: the SLURM executor plugin follows its jobs through `sacct`; without accounting a
submitted job runs and Snakemake waits forever), slurmctld and slurmd, for one node (this machine, `127.0.0.1`)
in one partition `surveykit` with one account `surveykit`. Clients reach it through SLURM_CONF
(`Cluster.environment()`).

Needs root (slurmd starts jobs as their user) and Debian's packages `slurm-wlm`, `slurmdbd`, `munge` and
`mariadb-server`; `Cluster.unavailable()` says why it cannot start, so a test can skip with that reason.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARTITION = "surveykit"
ACCOUNT = "surveykit"
CLUSTER_NAME = "surveykit"
DB_USER, DB_PASSWORD = "slurm", "surveykit-test"
PROGRAMS = {  # program -> Debian package
    "munged": "munge", "mariadbd": "mariadb-server", "mariadb-install-db": "mariadb-server",
    "mariadb": "mariadb-client", "slurmdbd": "slurmdbd", "slurmctld": "slurmctld", "slurmd": "slurmd",
    "sacctmgr": "slurm-client", "sbatch": "slurm-client", "sacct": "slurm-client", "sinfo": "slurm-client",
}
CLIENTS = ("srun", "sbatch", "salloc", "sacct", "sacctmgr", "squeue", "scontrol", "sinfo", "scancel", "sshare")
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin"])


class ClusterError(RuntimeError):
    """The cluster could not start; the message names the daemon and quotes its log."""


def _which(program: str) -> str | None:
    return shutil.which(program, path=SEARCH_PATH)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _memory_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 2048


class Cluster:
    def __init__(self, state: Path):
        self.state = Path(state)
        self.processes: dict[str, subprocess.Popen] = {}
        self.host = socket.gethostname().split(".")[0]
        self.conf = self.state / "etc" / "slurm.conf"

    # ---------------------------------------------------------------- availability
    @staticmethod
    def unavailable() -> str | None:
        """Why a cluster cannot be started here (None when it can be tried)."""
        if sys.platform != "linux":
            return "a SLURM test cluster needs Linux"
        if os.geteuid() != 0:
            return "starting slurmd (which runs jobs as their user) needs root; run the test as root (as .ci/run does)"
        missing = sorted({package for program, package in PROGRAMS.items() if _which(program) is None})
        if missing:
            return ("Debian packages not installed: " + ", ".join(missing)
                    + " (`make cluster-test-packages` installs them as root, as .ci/run does)")
        return None

    # ---------------------------------------------------------------- environment
    def environment(self, base: dict | None = None) -> dict:
        """Environment of a SLURM client of this cluster (sbatch, sacct, Snakemake's SLURM executor)."""
        env = dict(os.environ if base is None else base)
        env["SLURM_CONF"] = str(self.conf)
        env["PATH"] = os.pathsep.join([str(self.state / "bin"), SEARCH_PATH])
        return env

    def _write_clients(self) -> None:
        """Slurm's client commands, each naming this cluster's slurm.conf. A real cluster keeps it where clients
        look by default (/etc/slurm); this one stays in its state folder, and SLURM_CONF does not reach every
        client: the executor's job-step plugin removes the SLURM_* variables before its `srun` inside a job."""
        folder = self.state / "bin"
        folder.mkdir(exist_ok=True)
        for name in CLIENTS:
            real = _which(name)
            if real is None:
                continue
            wrapper = folder / name
            wrapper.write_text(f"#!/bin/sh\nSLURM_CONF='{self.conf}' exec '{real}' \"$@\"\n")
            wrapper.chmod(0o755)

    def run(self, *command: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run(list(command), env=self.environment(), capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode != 0:
            raise ClusterError(f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result

    # ---------------------------------------------------------------- start / stop
    def start(self, timeout: float = 120) -> "Cluster":
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, timeout: float) -> None:
        for folder in ("etc", "log", "run", "munge", "mysql", "state", "spool"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o755)  # jobs of other users would need to read slurm.conf; the key stays 0400
        ports = {name: _free_port() for name in ("mysql", "dbd", "ctld", "slurmd")}
        self._write_clients()
        self._start_munge()
        self._start_mariadb(ports["mysql"])
        self._write_configs(ports)
        self._spawn("slurmdbd", [_which("slurmdbd"), "-D"])
        self._wait(lambda: self.run("sacctmgr", "-n", "show", "cluster", check=False).returncode == 0,
                   "slurmdbd", timeout)
        for command in (("add", "cluster", CLUSTER_NAME), ("add", "account", ACCOUNT, "Description=surveykit test",
                                                          "Organization=surveykit"),
                        ("add", "user", "root", f"Account={ACCOUNT}", f"DefaultAccount={ACCOUNT}")):
            self.run("sacctmgr", "-i", *command)
        self._spawn("slurmctld", [_which("slurmctld"), "-D", "-i"])
        self._wait(lambda: self.run("scontrol", "ping", check=False).stdout.count("UP") > 0, "slurmctld", timeout)
        self._spawn("slurmd", [_which("slurmd"), "-D", "-N", self.host])
        self._wait(lambda: self.run("sinfo", "-h", "-o", "%t", check=False).stdout.strip() == "idle",
                   "slurmd", timeout)

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = open(self.state / "log" / f"{name}.out", "wb")
        self.processes[name] = subprocess.Popen(command, env=env or self.environment(), stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def _wait(self, ready, name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise ClusterError(f"{name} exited ({process.returncode}) while starting:\n{self._log(name)}")
            try:
                if ready():
                    return
            except subprocess.TimeoutExpired:
                pass
            time.sleep(0.5)
        raise ClusterError(f"{name} not ready after {timeout:.0f} s:\n{self._log(name)}")

    def _log(self, name: str) -> str:
        texts = []
        for path in sorted((self.state / "log").glob(f"{name}*")):
            texts.append(f"--- {path.name}\n" + path.read_text(errors="replace")[-3000:])
        return "\n".join(texts) or "(no log)"

    def _start_munge(self) -> None:
        key = self.state / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        self.munge_socket = self.state / "munge" / "munge.socket"
        self._spawn("munged", [_which("munged"), "--foreground", "--force", f"--key-file={key}",
                               f"--socket={self.munge_socket}", f"--pid-file={self.state / 'run' / 'munged.pid'}",
                               f"--seed-file={self.state / 'munge' / 'munged.seed'}",
                               f"--log-file={self.state / 'log' / 'munged.log'}"])
        self._wait(self.munge_socket.exists, "munged", 30)

    def _start_mariadb(self, port: int) -> None:
        data = self.state / "mysql"
        self.mysql_socket = self.state / "run" / "mysql.sock"
        install = subprocess.run([_which("mariadb-install-db"), "--no-defaults", f"--datadir={data}", "--user=root",
                                  "--auth-root-authentication-method=socket", "--skip-test-db"],
                                 capture_output=True, text=True)
        if install.returncode != 0:
            raise ClusterError(f"mariadb-install-db failed:\n{install.stdout}{install.stderr}")
        self._spawn("mariadb", [_which("mariadbd"), "--no-defaults", f"--datadir={data}", "--user=root",
                                f"--socket={self.mysql_socket}", f"--port={port}", "--bind-address=127.0.0.1",
                                f"--pid-file={self.state / 'run' / 'mariadb.pid'}",
                                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M"])
        sql = (f"CREATE USER '{DB_USER}'@'127.0.0.1' IDENTIFIED BY '{DB_PASSWORD}';"
               f"GRANT ALL ON slurm_acct_db.* TO '{DB_USER}'@'127.0.0.1';")

        def ready():
            return subprocess.run([_which("mariadb"), "--no-defaults", f"--socket={self.mysql_socket}", "-uroot",
                                   "-e", "SELECT 1"], capture_output=True).returncode == 0

        self._wait(ready, "mariadb", 60)
        subprocess.run([_which("mariadb"), "--no-defaults", f"--socket={self.mysql_socket}", "-uroot", "-e", sql],
                       check=True, capture_output=True)

    def _write_configs(self, ports: dict) -> None:
        auth = f"AuthType=auth/munge\nAuthInfo=socket={self.munge_socket}\n"
        dbd = self.state / "etc" / "slurmdbd.conf"
        dbd.write_text(
            auth
            + f"DbdHost=localhost\nDbdAddr=127.0.0.1\nDbdPort={ports['dbd']}\nSlurmUser=root\n"
            f"LogFile={self.state / 'log' / 'slurmdbd.log'}\nPidFile={self.state / 'run' / 'slurmdbd.pid'}\n"
            "StorageType=accounting_storage/mysql\nStorageHost=127.0.0.1\n"
            f"StoragePort={ports['mysql']}\nStorageUser={DB_USER}\nStoragePass={DB_PASSWORD}\n"
            "StorageLoc=slurm_acct_db\n")
        dbd.chmod(0o600)
        # A group job asks for the CPUs of the steps it may run side by side (up to 8 with the profile's
        # group-components): the node announces at least that many (config_overrides: Slurm believes
        # slurm.conf, not the hardware), as a real cluster's nodes have them.
        cpus = max(8, os.cpu_count() or 1)
        memory = _memory_mb()
        self.conf.write_text(
            f"ClusterName={CLUSTER_NAME}\nSlurmctldHost={self.host}(127.0.0.1)\n"
            f"SlurmctldPort={ports['ctld']}\nSlurmdPort={ports['slurmd']}\n"
            "SlurmUser=root\nSlurmdUser=root\n" + auth + "CredType=cred/munge\n"
            f"StateSaveLocation={self.state / 'state'}\nSlurmdSpoolDir={self.state / 'spool'}\n"
            f"SlurmctldPidFile={self.state / 'run' / 'slurmctld.pid'}\n"
            f"SlurmdPidFile={self.state / 'run' / 'slurmd.pid'}\n"
            f"SlurmctldLogFile={self.state / 'log' / 'slurmctld.log'}\n"
            f"SlurmdLogFile={self.state / 'log' / 'slurmd.log'}\n"
            "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nJobAcctGatherType=jobacct_gather/none\n"
            "SlurmdParameters=config_overrides\nMpiDefault=none\nReturnToService=2\nSchedulerType=sched/backfill\n"
            "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
            "AccountingStorageType=accounting_storage/slurmdbd\n"
            f"AccountingStorageHost=localhost\nAccountingStoragePort={ports['dbd']}\n"
            # for slurmdbd, the munge socket is named by AccountingStoragePass (AuthInfo is not read there)
            f"AccountingStoragePass={self.munge_socket}\n"
            "AccountingStoreFlags=job_comment\nJobCompType=jobcomp/none\nMinJobAge=300\nInactiveLimit=0\nKillWait=5\nWaitTime=0\n"
            f"NodeName={self.host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory} State=UNKNOWN\n"
            f"PartitionName={PARTITION} Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n")

    def stop(self) -> None:
        """Stop every daemon this object started (newest first), by its process id."""
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)
        self.processes.clear()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("up", "down"):
        print(__doc__)
        return 2
    if argv[0] == "up":
        reason = Cluster.unavailable()
        if reason:
            print(f"cannot start a SLURM test cluster: {reason}", file=sys.stderr)
            return 1
        state = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="sk-slurm-", dir="/tmp"))
        cluster = Cluster(state).start()
        (state / "run" / "daemons").write_text(
            "\n".join(f"{name} {p.pid}" for name, p in cluster.processes.items()) + "\n")
        print(f"SLURM test cluster up in {state}: export SLURM_CONF={cluster.conf} "
              f"(partition {PARTITION}, account {ACCOUNT}); stop it with: {sys.argv[0]} down {state}")
        return 0
    state = Path(argv[1])
    for line in reversed((state / "run" / "daemons").read_text().splitlines()):
        name, pid = line.split()
        try:
            os.killpg(int(pid), signal.SIGTERM)
            print(f"stopped {name} ({pid})")
        except ProcessLookupError:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
