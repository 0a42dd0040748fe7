"""Run the real Snakefile in a scratch copy of the project (so tests never touch results/ or data/)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
COPIED = ("Snakefile", "config.yaml", "requirements.txt", "workflow", "scripts", "src", "data", "manuscript",
          "tests/fixtures")


def make_project(tmp_path: Path, config_update: dict | None = None) -> Path:
    """Copy the project's inputs into tmp_path/project; optionally replace top-level config keys."""
    project = tmp_path / "project"
    for name in COPIED:
        source = ROOT / name
        if not source.exists():
            continue
        target = project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if config_update:
        config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
        config.update(config_update)
        (project / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    return project


def snakemake(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(SNAKEMAKE), "--cores", "2", *args], cwd=project, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result
