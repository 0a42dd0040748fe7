"""Which source files of the package a rule runs, read from the imports (never listed by hand).

Snakemake tracks a rule's own script, but a rule script here is four lines that call the package: the
logic it runs is every `surveykit` module the script imports, directly or through other modules. Those files
are the inputs of the script's code fingerprint (rule code_fingerprint, workflow/rules/code.smk, which writes
`fingerprint_lines` of them), and that fingerprint is the one `code` input of every rule running the script
(`script_code` in workflow/rules/common.smk), so that editing any module reruns exactly the rules whose code
imports it, and nothing else. One fingerprint per script rather than ~30 code files per job: with 1 000 waves,
the jobs would otherwise list 300 000 code inputs, which Snakemake matches against the rules and stats one by one.

The imports are read with `ast`, not executed: `import a.b`, `from a.b import c` where `c` is a submodule
(`from .. import fmt`), relative imports, imports inside functions (they run when the function does) and
the `__init__.py` of every package on the way (importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py`).
An import under `if TYPE_CHECKING:` is counted too: a rerun too many is safe, one too few is not.
Dynamic imports (`importlib.import_module`) are not seen; the package uses none.

This runs at every Snakemake start: each file is read at most once per process, and only its import lines are
parsed (import_statements), about 0.1 s for every rule of the workflow.
"""
from __future__ import annotations

import ast
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = "surveykit"


def script_code(script: str | Path, src: str | Path = "src") -> list[str]:
    """Source files (paths as `src` is given, sorted) of every package module `script` imports, directly or not."""
    names = _imports_of(str(Path(script)), None, False, str(src))
    return _files(_closure(names, str(src)), str(src))


def module_code(module: str, src: str | Path = "src") -> list[str]:
    """Source files of `module` (dotted name) and of every package module it imports, directly or not.

    For code run by a rule without a script (a `run:` block calling one function of the package)."""
    return _files(_closure(_with_parents(module), str(src)), str(src))


def fingerprint_lines(files: list[str]) -> str:
    """`sha256sum` lines (digest, two spaces, path) of the files, sorted by path: a script's code fingerprint,
    checkable with `sha256sum -c` from the project folder."""
    lines = []
    for path in sorted(files):
        lines.append(f"{hashlib.sha256(Path(path).read_bytes()).hexdigest()}  {path}\n")
    return "".join(lines)


def write_fingerprint(output: str, files: list[str]) -> None:
    """Write `fingerprint_lines(files)` to `output` (atomically): what rule code_fingerprint runs, as
    `python -m surveykit.core.codedeps OUTPUT FILE...` (a shell command: Snakemake would start a whole Snakemake
    process, re-reading every study, for a `run:` block)."""
    from .io import atomic_write_text

    atomic_write_text(output, fingerprint_lines(files))


def import_graph(src: str | Path = "src") -> dict[str, frozenset[str]]:
    """Every module of the package → the package modules it imports directly (parent packages included)."""
    root = Path(src)
    graph = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = _direct_imports(name, str(src))
    return graph




@lru_cache(maxsize=None)
def _module_file(module: str, src: str) -> str | None:
    base = Path(src, *module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return str(path)
    return None


def _with_parents(module: str) -> frozenset[str]:
    """A module and the packages it sits in: importing `a.b.c` runs `a` and `a.b` first."""
    parts = module.split(".")
    return frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))


@lru_cache(maxsize=None)
def _direct_imports(module: str, src: str) -> frozenset[str]:
    path = _module_file(module, src)
    if path is None:
        return frozenset()
    return _imports_of(path, module, path.endswith("__init__.py"), src)


@lru_cache(maxsize=None)
def _imports_of(path: str, module: str | None, is_package: bool, src: str) -> frozenset[str]:
    """Package modules one file imports (module None: a script outside the package, absolute imports only)."""
    found: set[str] = set()
    for node in import_statements(Path(path).read_text(encoding="utf-8"), path):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found |= _with_parents(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            found |= _with_parents(base)
            found |= {f"{base}.{alias.name}" for alias in node.names
                      if alias.name != "*" and _module_file(f"{base}.{alias.name}", src)}
    return frozenset(name for name in found if name == PACKAGE or name.startswith(PACKAGE + "."))


# A line that starts an import statement. Only these lines are parsed: parsing whole files costs about ten
# times more, at every Snakemake start.
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import|import)[ \t(\\]", re.M)


def import_statements(source: str, filename: str = "<source>") -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a source file, at any depth (in functions, under `if`, `try`...).

    Fast path: only the lines that start an import are parsed, each with its continuation lines. A line of
    a docstring that reads as an import is then taken as one (a rerun too many, never one too few); a line
    that looks like an import but does not parse alone makes the whole file parsed instead."""
    nodes = []
    for match in _IMPORT_LINE.finditer(source):
        statement = source[match.start():_statement_end(source, match.start())].lstrip(" \t")
        try:
            nodes += [node for node in _statements(ast.parse(statement).body)
                      if isinstance(node, (ast.Import, ast.ImportFrom))]
        except SyntaxError:
            tree = ast.parse(source, filename=filename)
            return [node for node in _statements(tree.body) if isinstance(node, (ast.Import, ast.ImportFrom))]
    return nodes


def _statement_end(source: str, start: int) -> int:
    """End of the statement starting at `start`: its line, and the next ones while a parenthesis is open or a
    line ends with a backslash (an import holds no string, so its comments are the only text to skip)."""
    depth, position = 0, start
    while True:
        end = source.find("\n", position)
        end = len(source) if end == -1 else end
        code = source[position:end].split("#", 1)[0].rstrip()
        depth += code.count("(") - code.count(")")
        if end == len(source) or (depth <= 0 and not code.endswith("\\")):
            return end
        position = end + 1


def _statements(body: list[ast.stmt]):
    """Every statement, at any depth (imports are statements: expressions need not be walked, which is faster)."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from _statements(getattr(node, field, None) or [])


def _absolute(node: ast.ImportFrom, module: str | None, is_package: bool) -> str:
    """The absolute module name an import-from reads from (`from ..io import x` in `surveykit.clean.files`)."""
    if not node.level:
        return node.module or ""
    if module is None:
        raise ValueError(f"relative import outside the package (line {node.lineno})")
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _closure(names: frozenset[str], src: str) -> frozenset[str]:
    """Every module reachable from `names` through the imports."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_direct_imports(name, src) - seen)
    return frozenset(seen)


def _files(modules: frozenset[str], src: str) -> list[str]:
    return sorted(filter(None, (_module_file(name, src) for name in modules)))


if __name__ == "__main__":
    write_fingerprint(sys.argv[1], sys.argv[2:])
    print(f"{len(sys.argv) - 2} modules fingerprinted in {sys.argv[1]}")
