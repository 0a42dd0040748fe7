"""The README a newcomer reads: its table of contents leads somewhere, and the commands of its blocks marked
runnable (`<!-- runnable … -->` before the fence) run as written: installed with pip, with neither make nor bash."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from test_packaging import _venv_with, wheel  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUNNABLE = re.compile(r"^<!-- runnable\b[^\n]*-->\n```[a-z]*\n(.*?)^```", re.M | re.S)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped (hyphens kept), spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def runnable_commands(text: str = README) -> list[str]:
    return [line.strip() for block in RUNNABLE.findall(text) for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_table_of_contents_leads_to_headings_and_comes_first():
    headings = re.findall(r"^#{2,3} (.+)$", README, re.M)
    assert headings[0] == "Contents" and headings[1] == "Démarrage rapide (en français)"
    anchors = {slug(h) for h in headings}
    contents = README[README.index("## Contents"):README.index("## Démarrage rapide")]
    links = re.findall(r"\]\(#([^)]+)\)", contents)
    assert len(links) >= 15
    assert [link for link in links if link not in anchors] == []
    linked = set(links)
    assert [h for h in headings if h.startswith(("Set-up", "Adding", "Safety", "Licence")) and slug(h) not in linked] == []


def test_the_quick_start_is_in_french_and_runnable():
    quick = README[README.index("## Démarrage rapide"):README.index("## Set-up")]
    assert "Windows" in quick and "macOS" in quick and "python.org" in quick
    commands = runnable_commands(quick)
    assert commands[0] == "python -m pip install ."
    assert [c.split()[1] for c in commands[1:]] == ["study", "check", "run"]


@pytest.mark.pipeline
def test_the_readmes_runnable_commands_run_as_written(wheel, tmp_path):  # noqa: F811
    venv = tmp_path / "venv"
    project = tmp_path / "projet"
    project.mkdir()
    # The downloaded project, without the bundled waves (their run would only take longer).
    for name in ("Snakefile", "workflow", "scripts", "manuscript", "requirements.txt", "tests/fixtures"):
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = str(venv / "bin")  # neither make nor bash
    commands = runnable_commands()
    assert commands
    for command in commands:
        words = shlex.split(command)
        if words == ["python", "-m", "pip", "install", "."]:
            _venv_with(wheel, venv)  # what `pip install .` of this checkout installs (the wheel it builds)
            continue
        assert words[0] == "surveykit", f"README.md: a runnable command this test does not know: {command}"
        result = subprocess.run([str(venv / "bin" / "surveykit"), *words[1:]], cwd=project, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{command}\n{(result.stdout + result.stderr)[-4000:]}"
        assert "Traceback" not in result.stderr
    chapter = project / "manuscript" / "build" / "exemple_2025" / "resultats.docx"
    assert chapter.is_file()
    assert "manuscript/build/exemple_2025/resultats.docx" in result.stdout  # the summary says where it is
    assert (project / "results" / "exemple_2025" / "tables" / "tableaux.xlsx").is_file()


def test_the_readme_shows_pages_of_a_generated_chapter():
    """The README shows what the pipeline produces (two printed pages of the thesis chapter), and every local
    picture it names is in the repository as a real PNG."""
    pictures = re.findall(r'<img src="([^"]+)"', README) + re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    local = [name for name in pictures if not name.startswith(("http://", "https://"))]
    assert len([name for name in local if "chapitre_page" in name]) >= 2
    for name in local:
        assert (ROOT / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
