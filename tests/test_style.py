"""The style checks CI runs (.ci/run → make lint → .ci/lint.py): ruff and snakefmt pass on the code base, and both
are pinned; `snakemake --lint` is checked in test_pipeline.py (only its accepted lint)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_the_style_tools_are_pinned_and_run_by_ci():
    pinned = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"(?m)^ruff==\d", pinned) and re.search(r"(?m)^snakefmt==\d", pinned)
    assert "make lint" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "$(BIN)/python .ci/lint.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = (ROOT / ".ci" / "lint.py").read_text(encoding="utf-8")
    assert '"ruff"), "check"' in lint and '"snakefmt"), "--check"' in lint and '"--lint"' in lint


@pytest.mark.parametrize("tool, arguments", [("ruff", ["check", "."]),
                                             ("snakefmt", ["--check", "Snakefile", "workflow/rules"])])
def test_the_code_base_passes_the_style_checks(tool, arguments):
    if not (BIN / tool).is_file():
        pytest.skip(f"{tool} is not installed in this environment (`make` installs it from requirements.txt)")
    result = subprocess.run([str(BIN / tool), *arguments], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
