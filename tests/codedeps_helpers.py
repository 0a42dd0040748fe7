"""A second way of finding what a script imports from the package, to check surveykit.core.codedeps against.

surveykit.core.codedeps reads the imports from the source (`ast`); this reads them from the compiled bytecode with
the standard library's modulefinder (its IMPORT_NAME opcodes, in nested functions too), so the two share no code.
Only the package is read: standard and third-party modules are taken as found and never scanned, which keeps it
fast."""
from __future__ import annotations

import modulefinder
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "surveykit"
# Tools that live in the package but are never run by a rule (drafting, reconstruction, simulation, benchmarks).
TOOLS = ("surveykit.tools", "surveykit.app.pipeline", "surveykit.app.summary", "surveykit.app.cli", "surveykit.__main__")


class _PackageFinder(modulefinder.ModuleFinder):
    """modulefinder reading the package only. Every other top-level module counts as a built-in: found, not read.

    (Searching them would scan the whole standard library; leaving them unfound is worse: modulefinder then
    records `io` as missing and skips a later `from .io import x`, which it looks up by the same bare name.)"""

    def find_module(self, name, path, parent=None):
        if parent is None and path is None and name != PACKAGE:  # a top-level module other than the package
            return None, None, ("", "", modulefinder._C_BUILTIN)
        return super().find_module(name, path, parent)


@lru_cache(maxsize=None)
def bytecode_imports(script: Path, src: Path = SRC) -> frozenset[str]:
    """Package modules (dotted names) a script imports, directly or not, as modulefinder finds them."""
    finder = _PackageFinder(path=[str(src)])
    finder.run_script(str(script))
    return frozenset(name for name in finder.modules if name == PACKAGE or name.startswith(PACKAGE + "."))


def module_files(names: frozenset[str], src: Path = SRC, relative_to: Path = ROOT) -> list[str]:
    """Source files of dotted module names, as paths relative to the project (the form of a rule's input)."""
    files = []
    for name in names:
        base = src.joinpath(*name.split("."))
        path = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        files.append(str(path.relative_to(relative_to)))
    return sorted(files)


def module_name(path: str) -> str:
    """'src/surveykit/manuscript/__init__.py' -> 'surveykit.manuscript'."""
    parts = Path(path).relative_to("src").with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_tool(name: str) -> bool:
    return any(name == tool or name.startswith(tool + ".") for tool in TOOLS)


def rule_scripts(rules_dir: Path = ROOT / "workflow" / "rules") -> set[str]:
    """Names of the scripts rules run (their `script:` directive)."""
    pattern = re.compile(r'script:\s*"\.\./\.\./scripts/([\w.]+\.py)"')
    return {name for smk in rules_dir.glob("*.smk") for name in pattern.findall(smk.read_text(encoding="utf-8"))}
