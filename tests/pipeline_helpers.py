"""Run the real Snakefile in a scratch copy of the project (so tests never touch results/ or data/).

The scratch project gets its own config.yaml, written here: the suite never depends on what the user's
config.yaml holds (another study, other waves)."""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
COPIED = ("Snakefile", "requirements.txt", "workflow", "scripts", "src", "data", "manuscript", "tests/fixtures")

THESIS = "tele_expertise_cpts"
BAROMETER = "barometre_numerique"
# The bundled studies and waves as the tests use them (the same as the shipped config.yaml).
BUNDLED_CONFIG = {
    "studies": {THESIS: {"folder": f"data/studies/{THESIS}"}, BAROMETER: {"folder": f"data/studies/{BAROMETER}"}},
    "waves": {
        "thesis_2025": {"study": THESIS, "label": "Thèse 2025 (reconstruction synthétique)",
                        "export": "data/raw/thesis_2025/export.csv",
                        "published": f"data/studies/{THESIS}/published/thesis_2025.yaml", "synthetic": True,
                        "period": {"start": "2024-12-19", "end": "2025-06-30"}},
        "demo_2027": {"study": THESIS, "label": "Vague de démonstration 2027 (données simulées)",
                      "export": "data/raw/demo_2027/export.csv", "synthetic": True,
                      "period": {"start": "2027-01-11", "end": "2027-06-30"}},
        "barometre_2025": {"study": BAROMETER, "label": "Baromètre 2025 (reconstruction synthétique)",
                           "export": "data/raw/barometre_2025/export.csv",
                           "published": f"data/studies/{BAROMETER}/published/barometre_2025.yaml", "synthetic": True,
                           "period": {"start": "2024-11-16", "end": "2025-01-15"}},
    },
    "cleaning": {"on_invalid": "quarantine"},
    "recoding": {"allow_suggestions": False, "strict": False},
    "manuscript": {"template": "manuscript/templates/resultats.md.j2",
                   "evolution_template": "manuscript/templates/evolution.md.j2", "css": "manuscript/style.css",
                   "alpha": 0.05},
    "seed": 20250409,
}


def write_config(project: Path, config: dict) -> None:
    (project / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")


def make_project(tmp_path: Path, config_update: dict | None = None, base: dict | None = None) -> Path:
    """Copy the project's inputs into tmp_path/project and write its config: `base` (default: the bundled
    studies and waves) with the top-level keys of `config_update` replaced."""
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
    config = copy.deepcopy(base or BUNDLED_CONFIG)
    config.update(copy.deepcopy(config_update or {}))
    write_config(project, config)
    return project


def snakemake(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(SNAKEMAKE), "--cores", "2", *args], cwd=project, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result
