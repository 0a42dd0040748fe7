"""Rule provenance: results/<wave>/provenance.json."""
from __future__ import annotations

import logging
import re
import subprocess
from importlib import metadata

from ..io import read_json, sha256_of, write_json


def package_versions(requirements: str) -> dict[str, str]:
    """Installed version of every pinned requirement (they should agree: `make` installs the pins)."""
    versions = {}
    with open(requirements, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^([A-Za-z0-9_.\-]+)==", line.strip())
            if match:
                try:
                    versions[match.group(1)] = metadata.version(match.group(1))
                except metadata.PackageNotFoundError:
                    versions[match.group(1)] = "not installed"
    return dict(sorted(versions.items(), key=lambda kv: kv[0].lower()))


def git_commit() -> str:
    """Commit of the working tree, with '+dirty' when it has uncommitted changes; 'unknown' outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit.strip() + ("+dirty" if dirty.strip() else "")


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    flow = read_json(inputs.flow)
    provenance = {
        "wave": params.config["wave"],
        "raw_export": {"path": flow["source"], "sha256": flow["sha256"]},
        "study_files": {path: sha256_of(path) for path in inputs.study},
        "config": params.config,
        "git_commit": git_commit(),
        "packages": package_versions(inputs.requirements),
        "rules": params.graph,
    }
    write_json(provenance, outputs.json)
    logger.info("provenance written (%d rules, commit %s)", len(params.graph), provenance["git_commit"])
