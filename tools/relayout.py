"""Move surveykit's modules into packages by stage (issue T) and rewrite every reference to the old paths.

    /work/main/.venv/bin/python tools/relayout.py            # from the project's root: moves, then rewrites
    /work/main/.venv/bin/python tools/relayout.py --check    # lists what would change, changes nothing

Re-runnable: a file still at an old path (a module added on a branch before the move) is moved with `git mv`,
and every reference to an old module in src/, tests/, scripts/, workflow/, Snakefile, docs, the Makefile, CI, the
study files' comments and README is rewritten; a second run changes nothing. What is rewritten:
  - `import surveykit.a.b`, `from surveykit.a.b import c`, `from surveykit.a import b` (b a moved submodule);
  - relative imports, resolved from where the file was: absolute when they cross stages (top-level packages of
    surveykit), relative within one;
  - names that moved to another module or were renamed (SYMBOLS): `from old import name` becomes
    `from new import new_name as name`, so the code that uses `name` keeps working (rename it by hand at leisure);
  - dotted strings (`"surveykit.report.prose"`, monkeypatch targets, `python -m surveykit.draft`, `surveykit.cli:main`)
    and paths (`src/surveykit/report/prose.py`).
This tool is deleted once every branch of the move has merged.
"""
from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# Old module or package -> new one. A package's entry moves everything under it.
MOVES = {
    # shared infrastructure
    "surveykit.errors": "surveykit.core.errors",
    "surveykit.io": "surveykit.core.io",
    "surveykit.csvsafe": "surveykit.core.csvsafe",
    "surveykit.yamlio": "surveykit.core.yamlio",
    "surveykit.fmt": "surveykit.core.fmt",
    "surveykit.testnames": "surveykit.core.testnames",
    "surveykit.distributions": "surveykit.core.distributions",
    "surveykit.stale": "surveykit.core.stale",
    "surveykit.runner": "surveykit.core.runner",
    "surveykit.codedeps": "surveykit.core.codedeps",
    # the questionnaire: codebook and Google Forms exports
    "surveykit.codebook": "surveykit.questionnaire.codebook",
    "surveykit.forms": "surveykit.questionnaire.forms",
    # stage 1: cleaning (rules codebook_edition, clean_wave)
    "surveykit.clean": "surveykit.clean.cleaning",
    "surveykit.privacy": "surveykit.clean.privacy",
    "surveykit.privacy_data": "surveykit.clean.privacy_data",
    "surveykit.steps.clean": "surveykit.clean.files",
    "surveykit.steps.edition": "surveykit.clean.edition",
    # stage 2: recoding (recode_wave, coding_reliability)
    "surveykit.recoding": "surveykit.recode",
    "surveykit.steps.recode": "surveykit.recode.steps",
    # stage 3: statistics (analyse_wave, format_tables)
    "surveykit.steps.analyse": "surveykit.analysis.files",
    "surveykit.steps.tables": "surveykit.analysis.tables",
    # stage 4: figures (draw_count_figures, draw_statistics_figures)
    "surveykit.steps.figures": "surveykit.figures.build",
    # stage 5: manuscript (build_registry, render_chapter, convert_chapter)
    "surveykit.report": "surveykit.manuscript",
    "surveykit.steps.registry": "surveykit.manuscript.collect",
    "surveykit.steps.manuscript": "surveykit.manuscript.steps",
    "surveykit.steps.convert": "surveykit.manuscript.convert",
    # reproduction of the published numbers (reproduction_report)
    "surveykit.published": "surveykit.reproduction.published",
    "surveykit.reproduce": "surveykit.reproduction.reproduce",
    "surveykit.reproduction_report": "surveykit.reproduction.report",
    "surveykit.audit": "surveykit.reproduction.audit",
    "surveykit.steps.reproduction": "surveykit.reproduction.steps",
    # provenance
    "surveykit.steps.provenance": "surveykit.provenance.record",
    # cross-wave comparison (compare_waves, convert_evolution)
    "surveykit.crosswave": "surveykit.waves.crosswave",
    "surveykit.steps.crosswave": "surveykit.waves.files",
    # the command line and the workflow's interface
    "surveykit.cli": "surveykit.app.cli",
    "surveykit.pipeline": "surveykit.app.pipeline",
    "surveykit.cluster": "surveykit.app.cluster",
    "surveykit.summary": "surveykit.app.summary",
    "surveykit.configcheck": "surveykit.project.configcheck",
    "surveykit.study": "surveykit.project.study",
    # tools apart from the engine (no rule imports them)
    "surveykit.draft": "surveykit.tools.draft",
    "surveykit.reconstruct": "surveykit.tools.reconstruct",
    "surveykit.simulate": "surveykit.tools.simulate",
    "surveykit.bench": "surveykit.tools.bench",
}
# (old module, name) -> (new module, new name): rule entry points now named after their rules, and the
# explicit-argument functions they wrap, which got a name of their own.
SYMBOLS = {
    ("surveykit.steps.edition", "run"): ("surveykit.clean.steps", "codebook_edition"),
    ("surveykit.steps.clean", "run"): ("surveykit.clean.steps", "clean_wave"),
    ("surveykit.steps.clean", "clean_wave"): ("surveykit.clean.files", "clean_wave_files"),
    ("surveykit.steps.recode", "recode"): ("surveykit.recode.steps", "recode_wave"),
    ("surveykit.steps.recode", "reliability"): ("surveykit.recode.steps", "coding_reliability"),
    ("surveykit.steps.recode", "main_decisions"): ("surveykit.recode.files", "main_decisions"),
    ("surveykit.steps.recode", "asked_counts"): ("surveykit.recode.files", "asked_counts"),
    ("surveykit.steps.recode", "MAIN_CODER_SUFFIX"): ("surveykit.recode.files", "MAIN_CODER_SUFFIX"),
    ("surveykit.steps.analyse", "run_analyse"): ("surveykit.analysis.steps", "analyse_wave"),
    ("surveykit.steps.analyse", "analyse_wave"): ("surveykit.analysis.files", "analyse_wave_files"),
    ("surveykit.steps.tables", "run_format"): ("surveykit.analysis.steps", "format_tables"),
    ("surveykit.steps.tables", "format_tables"): ("surveykit.analysis.tables", "format_tables_files"),
    ("surveykit.steps.figures", "run"): ("surveykit.figures.steps", "draw_figures"),
    ("surveykit.steps.figures", "draw_figures"): ("surveykit.figures.build", "draw_figure_files"),
    ("surveykit.steps.registry", "run"): ("surveykit.manuscript.steps", "build_registry"),
    ("surveykit.steps.registry", "build_registry"): ("surveykit.manuscript.collect", "collect_registry"),
    ("surveykit.steps.manuscript", "render"): ("surveykit.manuscript.steps", "render_chapter"),
    ("surveykit.steps.convert", "run"): ("surveykit.manuscript.steps", "convert_chapter"),
    ("surveykit.steps.convert", "convert_chapter"): ("surveykit.manuscript.convert", "convert_markdown"),
    ("surveykit.steps.convert", "use_bundled_pandoc"): ("surveykit.manuscript.pandoc_run", "use_bundled_pandoc"),
    ("surveykit.steps.convert", "print_widths"): ("surveykit.manuscript.pandoc_run", "print_widths"),
    ("surveykit.steps.convert", "SOURCE_DATE_EPOCH"): ("surveykit.manuscript.pandoc_run", "SOURCE_DATE_EPOCH"),
    ("surveykit.steps.reproduction", "run"): ("surveykit.reproduction.steps", "reproduction_report"),
    ("surveykit.steps.provenance", "run"): ("surveykit.provenance.steps", "provenance"),
    ("surveykit.steps.crosswave", "run"): ("surveykit.waves.steps", "compare_waves"),
    ("surveykit.steps.crosswave", "compare"): ("surveykit.waves.files", "compare_waves_files"),
}
# An old module whose new home is a package of the same name (surveykit.clean.py -> surveykit/clean/): its bare
# name is left alone (the new package is meant), `surveykit.clean.<name>` moves unless <name> is a module of
# the new package.
NEW_MODULES = set(MOVES.values()) | {module for module, _ in SYMBOLS.values()}
SHADOWED = {old for old, new in MOVES.items() if new.startswith(old + ".")}

# Where references are rewritten (paths relative to the project). data/raw/ is never modified.
TEXT_ROOTS = ("src", "tests", "scripts", "workflow", "docs", ".ci", "manuscript/templates", "data/studies")
TEXT_FILES = ("Snakefile", "README.md", "Makefile", "pyproject.toml", "config.yaml", "requirements.in",
              "requirements-cluster.txt", ".gitignore")
TEXT_SUFFIXES = {".py", ".smk", ".md", ".rst", ".yaml", ".yml", ".txt", ".j2", ".toml", ".cfg", ".ini", ""}
SKIP_PARTS = {"__pycache__", ".snakemake", "results", "build", ".pytest_cache"}


# ------------------------------------------------------------------------------------------------ names

def _is_new_submodule(package: str, name: str) -> bool:
    """Whether `package.name` is a module or package of the layout after the move."""
    if any(new == f"{package}.{name}" or new.startswith(f"{package}.{name}.") for new in NEW_MODULES):
        return True
    base = SRC.joinpath(*package.split("."), name)
    return base.with_suffix(".py").is_file() or base.is_dir()


def new_name(dotted: str) -> str:
    """A dotted module name (or a module's attribute: `surveykit.clean.clean_file`) after the move."""
    if dotted in SHADOWED:
        return dotted
    for old in sorted(MOVES, key=len, reverse=True):
        if dotted == old:
            return MOVES[old]
        if dotted.startswith(old + "."):
            rest = dotted[len(old) + 1:]
            if old in SHADOWED and _is_new_submodule(old, rest.split(".")[0]):
                return dotted  # already a module of the new package
            return f"{MOVES[old]}.{rest}"
    return dotted


def new_dotted_reference(dotted: str) -> str:
    """A dotted reference in text: a module, or a module's attribute (names that moved are followed)."""
    module, _, attr = dotted.rpartition(".")
    if (module, attr) in SYMBOLS:
        return ".".join(SYMBOLS[(module, attr)])
    return new_name(dotted)


def module_of(path: Path) -> str | None:
    """'src/surveykit/report/prose.py' -> 'surveykit.report.prose' (None outside src/)."""
    try:
        parts = path.resolve().relative_to(SRC.resolve()).with_suffix("").parts
    except ValueError:
        return None
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(dotted: str) -> str:
    """'surveykit.manuscript.prose' -> 'surveykit.manuscript': imports within a stage stay relative."""
    return ".".join(dotted.split(".")[:2])


# ------------------------------------------------------------------------------------------ imports

def _package_of(importer: str, is_package: bool) -> list[str]:
    return importer.split(".") if is_package else importer.split(".")[:-1]


def _absolute(node: ast.ImportFrom, package: list[str] | None) -> str:
    if not node.level:
        return node.module or ""
    if package is None:
        raise ValueError("a relative import outside the package")
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _spelled(target: str, importer: str | None, is_package: bool) -> tuple[str, int]:
    """(module, level) to write for importing from `target` in `importer`: relative within a stage, else absolute."""
    if importer is None or "." not in importer or _stage(target) != _stage(importer) \
            or importer.split(".")[1].startswith("__"):
        return target, 0
    package, parts = _package_of(importer, is_package), target.split(".")
    common = 0
    while common < min(len(package), len(parts)) and package[common] == parts[common]:
        common += 1
    return ".".join(parts[common:]), len(package) - common + 1


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname and asname != name else name


def _from_line(indent: str, module: str, level: int, names: list[str]) -> str:
    head = f"{indent}from {'.' * level}{module} import "
    line = head + ", ".join(names)
    if len(line) <= 120:
        return line
    return head + "(" + (",\n" + " " * (len(head) + 1)).join(names) + ")"


def rewrite_import_from(node: ast.ImportFrom, importer: str | None, is_package: bool, indent: str) -> str | None:
    """The statement in its canonical form after the move, or None when that is what is written already (then
    its text, comments and line breaks are kept)."""
    package = _package_of(importer, is_package) if importer else None
    module = _absolute(node, package)
    if not (module == "surveykit" or module.startswith("surveykit.")):
        return None
    groups: dict[str, list[str]] = {}
    for alias in node.names:
        full = f"{module}.{alias.name}"
        if (module, alias.name) in SYMBOLS:
            target, name = SYMBOLS[(module, alias.name)]
            groups.setdefault(target, []).append(_alias(name, alias.asname or alias.name))
        elif alias.name != "*" and new_name(full) != f"{new_name(module)}.{alias.name}":
            parent, _, leaf = new_name(full).rpartition(".")  # a submodule that moved apart from its package
            groups.setdefault(parent, []).append(_alias(leaf, alias.asname or alias.name))
        else:
            groups.setdefault(new_name(module), []).append(_alias(alias.name, alias.asname))
    spelled = {target: _spelled(target, importer, is_package) for target in groups}
    written = (node.module or "", node.level)
    if len(groups) == 1 and next(iter(spelled.values())) == written:
        return None
    return "\n".join(_from_line(indent, *spelled[target], names) for target, names in groups.items())


def rewrite_import(node: ast.Import, indent: str) -> str | None:
    names, changed = [], False
    for alias in node.names:
        target = new_name(alias.name)
        changed |= target != alias.name
        names.append(_alias(target, alias.asname))
    return f"{indent}import {', '.join(names)}" if changed else None


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _edit_imports(text: str, new_statement) -> str:
    """Replace each import statement for which new_statement(node, indent) returns a text."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines, offsets = text.splitlines(keepends=True), _line_offsets(text)
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        indent = re.match(r"[ \t]*", lines[node.lineno - 1]).group(0)
        if node.col_offset != len(indent):
            continue  # `a; import b`: left as written
        new = new_statement(node, indent)
        start, end = offsets[node.lineno - 1], offsets[node.end_lineno - 1] + node.end_col_offset
        if new is not None and text[start:end] != new:
            edits.append((start, end, new))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def rewrite_python_imports(text: str, importer: str | None, is_package: bool) -> str:
    """Every import statement of a Python source in its canonical form after the move."""
    return _edit_imports(text, lambda node, indent: rewrite_import(node, indent) if isinstance(node, ast.Import)
                         else rewrite_import_from(node, importer, is_package, indent))


def absolutise(text: str, importer: str, is_package: bool) -> str:
    """Relative imports resolved from where the file is now (before it moves), names unchanged."""
    package = _package_of(importer, is_package)

    def statement(node, indent):
        if isinstance(node, ast.ImportFrom) and node.level:
            return _from_line(indent, _absolute(node, package), 0, [_alias(a.name, a.asname) for a in node.names])
        return None
    return _edit_imports(text, statement)


IMPORT_LINE = re.compile(r"^([ \t]*)((?:from|import)[ \t]+surveykit\b[^\n]*)$", re.M)


def rewrite_text_imports(text: str) -> str:
    """One-line import statements in a file that is not Python (Snakefile, .smk, Markdown examples)."""
    def one(match: re.Match) -> str:
        code, hash_, comment = match.group(2).partition("  #")
        try:
            node = ast.parse(code.strip()).body[0]
        except (SyntaxError, IndexError):
            return match.group(0)
        new = (rewrite_import(node, "") if isinstance(node, ast.Import)
               else rewrite_import_from(node, None, False, "") if isinstance(node, ast.ImportFrom) else None)
        if new is None or "\n" in new:
            return match.group(0)
        return match.group(1) + new + (hash_ + comment if hash_ else "")
    return IMPORT_LINE.sub(one, text)


INLINE_FROM = re.compile(r"(?<![\w.])from[ \t]+surveykit(?:\.\w+)*[ \t]+import[ \t]+\w+(?:[ \t]+as[ \t]+\w+)?"
                         r"(?:[ \t]*,[ \t]*\w+(?:[ \t]+as[ \t]+\w+)?)*")


def rewrite_inline_imports(text: str) -> str:
    """`from surveykit import cli` inside a string (code a test runs with `python -c`)."""
    def one(match: re.Match) -> str:
        try:
            node = ast.parse(match.group(0)).body[0]
        except SyntaxError:
            return match.group(0)
        new = rewrite_import_from(node, None, False, "")
        return match.group(0) if new is None or "\n" in new else new
    return INLINE_FROM.sub(one, text)


# ------------------------------------------------------------------------------------- other references

DOTTED = re.compile(r"(?<![\w./-])surveykit(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(r"(?<![\w.-])surveykit((?:/[A-Za-z_]\w*)+)(\.py)?(/?)")


def rewrite_dotted(text: str) -> str:
    def one(match: re.Match) -> str:
        dotted = match.group(0)
        # the longest prefix that names something which moved (what follows is an attribute, a method...)
        parts = dotted.split(".")
        for end in range(len(parts), 1, -1):
            head = ".".join(parts[:end])
            new = new_dotted_reference(head)
            if new != head:
                return ".".join([new] + parts[end:])
        return dotted
    return DOTTED.sub(one, text)


def rewrite_paths(text: str) -> str:
    def one(match: re.Match) -> str:
        parts, suffix, slash = match.group(1).strip("/").split("/"), match.group(2) or "", match.group(3)
        dotted = "surveykit." + ".".join(parts)
        new = MOVES[dotted] if suffix and dotted in SHADOWED else new_name(dotted)  # clean.py, not clean/
        if new == dotted:
            return match.group(0)
        return new.replace(".", "/") + suffix + slash
    return PATH.sub(one, text)


def rewrite(path: Path, text: str, moving: bool) -> str:
    """A file's references after the move; `moving`: the file itself moves (read from where it is now)."""
    if path.suffix == ".py":
        importer, is_package = module_of(path), path.name == "__init__.py"
        if importer and moving:
            text = absolutise(text, importer, is_package)
            importer = new_name(importer)
        text = rewrite_inline_imports(rewrite_python_imports(text, importer, is_package))
    else:
        text = rewrite_text_imports(text)
    return rewrite_paths(rewrite_dotted(text))


# -------------------------------------------------------------------------------------------- files

def text_files() -> list[Path]:
    files = [ROOT / name for name in TEXT_FILES if (ROOT / name).is_file()]
    for root in TEXT_ROOTS:
        for path in sorted((ROOT / root).rglob("*")):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and not SKIP_PARTS & set(path.parts) \
                    and path.resolve() != Path(__file__).resolve():
                files.append(path)
    return files


def planned_moves() -> list[tuple[Path, Path]]:
    """(old file, new file) of every file still at an old path."""
    moves = []
    for old, new in MOVES.items():
        old_path, new_path = SRC.joinpath(*old.split(".")), SRC.joinpath(*new.split("."))
        if old_path.with_suffix(".py").is_file():
            moves.append((old_path.with_suffix(".py"), new_path.with_suffix(".py")))
        elif old_path.is_dir() and old not in SHADOWED:
            for path in sorted(p for p in old_path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                moves.append((path, new_path / path.relative_to(old_path)))
    return moves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="list what would change; change nothing")
    args = parser.parse_args(argv)
    moves = planned_moves()
    moving = {old.resolve() for old, _ in moves}
    changed = []
    for path in text_files():  # references first, each file read where it is now
        text = path.read_text(encoding="utf-8")
        new = rewrite(path, text, path.resolve() in moving)
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(f"rewrote {path.relative_to(ROOT)}")
    for old, new in moves:
        print(f"move {old.relative_to(ROOT)} -> {new.relative_to(ROOT)}")
        if args.check:
            continue
        if new.exists():
            raise SystemExit(f"{new.relative_to(ROOT)} exists already: move {old.relative_to(ROOT)} by hand")
        new.parent.mkdir(parents=True, exist_ok=True)
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", str(old)], cwd=ROOT,
                                 capture_output=True).returncode == 0
        if tracked:
            subprocess.run(["git", "mv", str(old), str(new)], cwd=ROOT, check=True)
        else:
            old.rename(new)
    if not args.check:
        _remove_empty_folders()
    return 0


def _remove_empty_folders() -> None:
    """Folders left with no file but compiled caches (the old packages)."""
    for folder in sorted((p for p in (SRC / "surveykit").rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if folder.name == "__pycache__" or any(p.is_file() for p in folder.rglob("*")
                                               if "__pycache__" not in p.parts):
            continue
        for cache in sorted(folder.rglob("__pycache__"), key=lambda p: -len(p.parts)):
            for compiled in cache.iterdir():
                compiled.unlink()
            cache.rmdir()
        folder.rmdir()


if __name__ == "__main__":
    sys.exit(main())
