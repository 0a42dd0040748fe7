"""The package's import graph: what each rule's code imports (surveykit.core.codedeps, checked against a second
method), tools never reached by a rule, no module importing from a layer above its own, and no light step importing
a heavy library it does not use."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from codedeps_helpers import ROOT, SRC, bytecode_imports, is_tool, module_files, module_name, rule_scripts

from surveykit.core import codedeps

SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))

# Layers of the package, lowest first, by top-level module or package of surveykit: a module may import from its
# own layer or a lower one, never from a higher one. A new top-level module must be placed here.
LAYERS = [
    ("shared infrastructure", {"core"}),
    ("the questionnaire", {"questionnaire"}),
    ("stage 1, cleaning", {"clean"}),
    ("stage 2, recoding", {"recode"}),
    ("stage 3, statistics (and the R-exact test library)", {"stats", "analysis"}),
    ("stage 4, figures", {"figures"}),
    ("stage 5, manuscript", {"manuscript"}),
    ("reproduction of the published numbers", {"reproduction"}),
    ("provenance", {"provenance"}),
    ("cross-wave comparison", {"waves"}),
    ("the project: config.yaml and its studies, read by the Snakefile", {"project"}),
    ("tools apart from the engine", {"tools"}),
    ("the command line", {"app", "__main__"}),
]


def _unit(name: str) -> str:
    """'surveykit.manuscript.docx' -> 'manuscript'; the package itself -> ''."""
    return name.split(".")[1] if "." in name else ""


def _layer(name: str) -> int:
    unit = _unit(name)
    for rank, (_, units) in enumerate(LAYERS):
        if unit in units:
            return rank
    raise AssertionError(f"{name}: place '{unit}' in a layer of LAYERS ({__file__})")


# ---------------------------------------------------------------------------------------- codedeps itself

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def test_every_form_of_import_is_followed(tmp_path):
    src = _package(tmp_path, {
        "surveykit/__init__.py": "",
        "surveykit/core/__init__.py": "",
        "surveykit/core/fmt.py": "import math\n",
        "surveykit/core/io.py": "from .errors import InputError\n",
        "surveykit/core/errors.py": "",
        "surveykit/unused.py": "",
        "surveykit/manuscript/__init__.py": "",
        "surveykit/manuscript/prose.py": "from ..core import fmt\n",  # a submodule named in a from-import
        "surveykit/manuscript/chapter.py": "from . import prose\n\ndef lazy():\n    from ..core.io import read\n",
        "surveykit/manuscript/steps.py": "from ..typing_only import *\nfrom .chapter import lazy\nimport pandas\n",
        "surveykit/typing_only.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import surveykit.deep.leaf\n",
        "surveykit/deep/__init__.py": "",
        "surveykit/deep/leaf.py": "",
        "script.py": "from surveykit.manuscript.steps import lazy\n",
    })
    files = codedeps.script_code(src / "script.py", src=src)
    names = sorted(str(Path(f).relative_to(src)) for f in files)
    assert names == ["surveykit/__init__.py", "surveykit/core/__init__.py", "surveykit/core/errors.py",
                     "surveykit/core/fmt.py", "surveykit/core/io.py", "surveykit/deep/__init__.py",
                     "surveykit/deep/leaf.py", "surveykit/manuscript/__init__.py", "surveykit/manuscript/chapter.py",
                     "surveykit/manuscript/prose.py", "surveykit/manuscript/steps.py", "surveykit/typing_only.py"]
    assert files == sorted(files)
    assert codedeps.module_code("surveykit.manuscript.prose", src=src) == [
        str(src / "surveykit/__init__.py"), str(src / "surveykit/core/__init__.py"), str(src / "surveykit/core/fmt.py"),
        str(src / "surveykit/manuscript/__init__.py"), str(src / "surveykit/manuscript/prose.py")]

def _full_parse(source: str) -> list[str]:
    return sorted(ast.dump(node) for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom)))


def _fast(source: str) -> list[str]:
    return sorted(ast.dump(node) for node in codedeps.import_statements(source))


def test_only_import_lines_are_parsed_yet_every_import_is_found():
    source = '''"""A docstring.

import this line is prose: the whole file is then parsed
"""
from . import (a,  # a comment (with a parenthesis
               b)
from .c import \\
    d
import e.f as g, h

def later():
    if True:
        from ..i import j
'''
    assert _fast(source) == _full_parse(source)
    assert len(_fast(source)) == 4
    assert _fast(source.replace("import this line", "this line")) == _full_parse(source)


@pytest.mark.parametrize("path", sorted((SRC / "surveykit").rglob("*.py")) + SCRIPTS,
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_fast_scan_finds_the_imports_a_full_parse_finds(path):
    """Every real import is found (a missed one would leave outputs stale); a docstring line that reads as an
    import (a usage example) may be taken as one too: a rerun too many, never one too few."""
    source = path.read_text(encoding="utf-8")
    fast, full = _fast(source), _full_parse(source)
    missed = [node for node in full if node not in fast]
    assert not missed
    extra = [node for node in fast if node not in full]
    assert len(extra) <= _import_like_lines_in_strings(source), extra


def _import_like_lines_in_strings(source: str) -> int:
    """How many lines of the string literals of `source` read as an import."""
    strings = [node.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return sum(len(codedeps._IMPORT_LINE.findall(text)) for text in strings)


def test_import_cycles_end(tmp_path):
    src = _package(tmp_path, {"surveykit/__init__.py": "", "surveykit/a.py": "from . import b\n",
                              "surveykit/b.py": "from .a import x\n", "script.py": "import surveykit.a\n"})
    assert codedeps.script_code(src / "script.py", src=src) == [str(src / "surveykit" / name)
                                                                for name in ("__init__.py", "a.py", "b.py")]


# ------------------------------------------------------------------------------- the package's own graph

@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_code_found_by_reading_imports_is_what_the_bytecode_imports(script):
    """Two independent methods (ast on the sources; modulefinder on the bytecode) agree for every script."""
    expected = [str(ROOT / path) for path in module_files(bytecode_imports(script))]
    assert codedeps.script_code(script, src=SRC) == expected


def test_no_rule_runs_a_tool():
    """Drafting, reconstruction, simulation and benchmarks are never imported by the code a rule runs."""
    scripts = rule_scripts()
    assert len(scripts) >= 12
    for script in scripts:
        reached = [name for name in bytecode_imports(ROOT / "scripts" / script) if is_tool(name)]
        assert not reached, f"scripts/{script} reaches tool modules {reached}"


def test_nothing_imports_from_a_higher_layer():
    upward = [f"{module} imports {imported}"
              for module, imports in codedeps.import_graph(SRC).items() if module != "surveykit"
              for imported in imports if imported != "surveykit" and _layer(imported) > _layer(module)]
    assert not upward, "imports from a higher layer:\n" + "\n".join(sorted(upward))


def test_only_scripts_import_the_rule_entry_points():
    """A stage's steps module is what scripts call: no module of the package imports one, but the steps of a stage
    may call another stage's domain functions (report/ once imported the rule entry points)."""
    importers = sorted(f"{module} imports {name}" for module, imports in codedeps.import_graph(SRC).items()
                       for name in imports if name.endswith(".steps") and name != module)
    assert not importers


def test_every_rule_runs_the_steps_function_named_after_it():
    """rule clean_wave -> scripts/clean_wave.py -> surveykit.<stage>.steps.clean_wave (the two figure rules share
    scripts/draw_figures.py and its function draw_figures)."""
    for script in sorted(rule_scripts()):
        text = (ROOT / "scripts" / script).read_text(encoding="utf-8")
        name = script.removesuffix(".py")
        assert "from surveykit." in text and f".steps import {name}\n" in text, script
        assert f"run_step(snakemake, {name})" in text, script


def test_no_rule_code_input_is_a_tool():
    """The code inputs computed for every rule's script (surveykit.core.codedeps) hold no tool."""
    for script in sorted(rule_scripts()):
        files = codedeps.script_code(ROOT / "scripts" / script, src=SRC)
        tools = [f for f in files if is_tool(module_name(str(Path(f).relative_to(ROOT))))]
        assert not tools, f"scripts/{script}: {tools}"


def test_every_package_module_is_in_the_graph():
    graph = codedeps.import_graph(SRC)
    assert set(graph) == {module_name(str(p.relative_to(ROOT))) for p in (SRC / "surveykit").rglob("*.py")}


# ------------------------------------------------------------------------------- start-up cost of the rules

# Every rule runs in a fresh Python process, so what its code imports is paid on every run (pandas ≈ 0.3 s, SciPy's
# special functions ≈ 0.2 s, openpyxl ≈ 0.1 s on the development machine). The modules each case imports are those
# the step's function imports when it runs (see the steps modules); none may bring what the step never uses.
LIGHT_STEPS = [
    ("codebook_edition (YAML only)", ["surveykit.clean.steps", "surveykit.clean.edition"],
     ["pandas", "numpy", "scipy", "openpyxl"]),
    ("convert_chapter (pandoc and python-docx)",
     ["surveykit.manuscript.steps", "surveykit.manuscript.convert", "surveykit.manuscript.docx",
      "surveykit.questionnaire.codebook", "pypandoc"], ["pandas", "scipy", "openpyxl", "matplotlib"]),
    ("the plan, the tables' formatting and the recoding package, read by every later step",
     ["surveykit.analysis.plan", "surveykit.analysis.format", "surveykit.recode"], ["scipy", "openpyxl"]),
    ("draw_count_figures (no diffusion curve)", ["surveykit.figures.steps", "surveykit.figures.build"],
     ["scipy", "openpyxl"]),
    ("Snakemake itself, which reads the config and the studies at every start (workflow/rules/common.smk)",
     ["surveykit.core.codedeps", "surveykit.project.configcheck", "surveykit.core.errors", "surveykit.app.pipeline",
      "surveykit.project.study"], ["pandas", "scipy", "openpyxl", "matplotlib"]),
]


@pytest.mark.parametrize("case, modules, absent", LIGHT_STEPS, ids=[case[0].split(" ")[0] for case in LIGHT_STEPS])
def test_a_step_imports_no_library_it_does_not_use(case, modules, absent):
    code = (f"import sys\nimport {', '.join(modules)}\n"
            f"print(' '.join(name for name in {absent!r} if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(SRC)}).stdout.split()
    assert not loaded, f"{case}: importing {', '.join(modules)} loads {', '.join(loaded)}"
