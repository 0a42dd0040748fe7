"""What made a wave's results: the installed versions of the pinned requirements and the commit (rule
provenance)."""
from __future__ import annotations

import re
import subprocess
from importlib import metadata


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
