"""The package as users install it: `pip install .` gives a `surveykit` command with its dependencies and data
files, which drafts and runs a study with neither make nor bash; the version is declared once."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Tools for the tests and the style checks only: in requirements.in, not dependencies of the package.
DEVELOPMENT = {"pytest", "ruff", "snakefmt"}
# Optional: `pip install ".[cluster]"` (the SLURM plugin stops Snakemake where `which` is missing, e.g. Windows).
CLUSTER = {"snakemake-executor-plugin-slurm"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_dependencies_are_those_of_requirements_in():
    listed = {_name(line) for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.lstrip().startswith("#")}
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert declared == listed - DEVELOPMENT - CLUSTER
    assert {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["cluster"]} == CLUSTER
    assert {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]} <= DEVELOPMENT
    pinned = {_name(line) for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    assert listed <= pinned, f"not pinned in requirements.txt: {sorted(listed - pinned)}"


def test_the_version_is_declared_once_and_cited_as_declared():
    version = PYPROJECT["project"]["version"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == version
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    import surveykit

    assert surveykit.__version__ == version
    assert not re.search(r"__version__\s*=\s*['\"]", (ROOT / "src/surveykit/__init__.py").read_text(encoding="utf-8"))


def test_the_makefile_installs_the_package_for_real_and_calls_the_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --disable-pip-version-check --no-deps -e ." in makefile
    assert ".write_text(" not in makefile  # no hand-written .pth holding an absolute path any more
    for target, command in (("pipeline", "run"), ("study", "study"), ("decisions", "decisions"),
                            ("report", "report"), ("bench", "bench")):
        recipe = re.search(rf"(?m)^{target}: \$\(STAMP\)\n\t(.*)$", makefile)
        assert recipe and recipe.group(1).startswith(f"$(BIN)/python -m surveykit {command}"), target


def _setuptools_major() -> int:
    from importlib import metadata

    try:
        return int(metadata.version("setuptools").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return 0


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` builds, from a copy of the checkout (pip would write build/ into it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # Without network when this environment can build it (setuptools >= 77, as pyproject.toml requires, and wheel),
    # else as pip does by default (the build requirements in an isolated environment).
    offline = ["--no-build-isolation"] if importlib.util.find_spec("wheel") and _setuptools_major() >= 77 else []
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *offline,
                             "--disable-pip-version-check", "--wheel-dir", str(work / "dist"), str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (built,) = (work / "dist").glob("surveykit-*.whl")
    return built


def test_the_wheel_holds_every_data_file_the_package_reads_and_the_command(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "src" / "surveykit"
    needed = {f"surveykit/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert needed <= names, f"missing from the wheel: {sorted(needed - names)}"
    info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "surveykit = surveykit.app.cli:main" in zipfile.ZipFile(wheel).read(info).decode()
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    required = {_name(line.split(":", 1)[1]) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert required == {_name(r) for r in PYPROJECT["project"]["dependencies"]}


def _venv_with(wheel: Path, where: Path) -> Path:
    """A fresh virtual environment with the wheel installed (not editable). Its dependencies are this environment's,
    linked from a folder its .pth names (no download), without surveykit itself (only the wheel's is there) and
    without the optional SLURM plugin, as `pip install .` leaves them."""
    _venv_with_dependencies(where)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(where / "bin" / "python"), "install", "--quiet",
                    "--no-deps", "--no-index", "--disable-pip-version-check", str(wheel)], check=True)
    return where


def _venv_with_dependencies(where: Path, pip: bool = False, cluster: bool = False) -> Path:
    """A fresh virtual environment whose dependencies are this environment's (see _venv_with), surveykit left out."""
    subprocess.run([sys.executable, "-m", "venv", *([] if pip else ["--without-pip"]), str(where)], check=True)
    python = where / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    dependencies = where / "dependencies"
    dependencies.mkdir()
    left_out = re.compile(r"(?i)^(surveykit|__editable__|pip\b|pip-" + ("" if cluster else
                                                                        "|snakemake_executor_plugin_slurm") + ")")
    for folder in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        for entry in Path(folder).iterdir():
            if not left_out.match(entry.name) and not entry.name.endswith(".pth") \
                    and not (dependencies / entry.name).exists():
                (dependencies / entry.name).symlink_to(entry)
    Path(purelib, "dependencies_from_test_env.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    return where


@pytest.mark.pipeline
def test_pip_install_gives_a_command_that_drafts_and_runs_a_study_without_make_or_bash(wheel, tmp_path):
    venv = _venv_with(wheel, tmp_path / "venv")
    bin_dir = venv / "bin"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = str(bin_dir)  # no /usr/bin, no /bin: neither make nor bash can be found
    assert shutil.which("make", path=env["PATH"]) is None and shutil.which("bash", path=env["PATH"]) is None
    command = bin_dir / "surveykit"
    assert command.is_file()

    located = subprocess.run([str(venv / "bin" / "python"), "-c", "import surveykit; print(surveykit.__file__)"],
                             capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout
    assert Path(located).resolve().is_relative_to(venv.resolve()), located  # the wheel's copy, not src/

    # A project folder as a user downloads it (no src/: the package is the installed one).
    project = tmp_path / "projet avec espaces"
    project.mkdir()
    for name in ("Snakefile", "workflow", "scripts", "manuscript", "requirements.txt"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("build", "__pycache__"))
        else:
            shutil.copy(source, project / name)
    export = tmp_path / "Téléchargements" / "Enquête (réponses).csv"
    export.parent.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "exports" / "draft_fixture.csv", export)

    def surveykit(*arguments: str, timeout: int = 60) -> subprocess.CompletedProcess:
        return subprocess.run([str(command), *arguments], capture_output=True, text=True, env=env, cwd=project,
                              timeout=timeout)

    drafted = surveykit("study", str(export), "--study", "enquete", "--wave", "enquete_2025", "--label", "Vague 2025")
    assert drafted.returncode == 0, drafted.stderr
    checked = surveykit("check")
    assert checked.returncode == 0 and "sont valides" in checked.stdout, checked.stderr
    run = surveykit("run", "--cores", "2", timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    for suffix in ("md", "html", "docx"):
        assert (project / "manuscript" / "build" / "enquete_2025" / f"resultats.{suffix}").stat().st_size > 0
    assert "Vague 2025" in (project / "manuscript" / "build" / "enquete_2025" / "resultats.md").read_text("utf-8")
    tables = project / "results" / "enquete_2025" / "tables"
    assert (tables / "tableaux.xlsx").is_file() and sorted(tables.glob("*.excel.csv"))
    # The summary at the end: counts, warnings and where the chapter is.
    tail = run.stdout[run.stdout.index("Résumé de l'exécution"):]
    assert re.search(r"enquete_2025 \(Vague 2025\) : \d+ reçues, \d+ analysées", tail), tail
    assert "avertissements :" in tail and "manuscript/build/enquete_2025/resultats.docx" in tail
    # The rules' code inputs are the installed package's files (editing or upgrading it reruns them).
    provenance = (project / "results" / "enquete_2025" / "provenance.json").read_text(encoding="utf-8")
    assert "surveykit/clean/cleaning.py" in provenance

    again = surveykit("run", "--wave", "enquete_2025", "--cores", "1", timeout=300)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout + again.stderr
    wrong = surveykit("run", "--wave", "nope")
    assert wrong.returncode == 2 and "--wave 'nope': config.yaml declares no such wave" in wrong.stderr
    assert "Traceback" not in wrong.stderr


@pytest.mark.pipeline
def test_make_installs_the_package_editable_and_the_jobs_import_it(tmp_path):
    """`make` in a checkout: the install step (requirements already met here, then `pip install -e .`) leaves a
    real editable install, no hand-written .pth, and Snakemake's jobs import the package from src/."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = tmp_path / "checkout"
    for name in ("Makefile", "pyproject.toml", "README.md", "LICENSE", "requirements.txt", "requirements-cluster.txt", "Snakefile", "workflow",
                 "scripts", "manuscript", "src", "tests/fixtures"):
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "__pycache__", "*.egg-info"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    (project / "config.yaml").write_text(
        "studies:\n  outils_sante: {folder: tests/fixtures/studies/outils_sante}\nwaves:\n  outils_2024: {study: "
        "outils_sante, label: Vague 2024, export: tests/fixtures/exports/outils_2024.csv, synthetic: true}\n",
        encoding="utf-8")
    _venv_with_dependencies(project / ".venv", pip=True, cluster=True)  # what requirements.txt installs
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(["make", "CORES=2"], cwd=project, env=env, capture_output=True, text=True, timeout=1200)
    output = result.stdout + result.stderr
    if result.returncode and re.search(r"(?i)(No matching distribution found for setuptools|Failed to establish a "
                                       r"new connection|Network is unreachable)", output):
        pytest.skip("pip cannot reach the package index to build the editable install (setuptools)")
    assert result.returncode == 0, output[-4000:]
    purelib = next((project / ".venv" / "lib").glob("python3*/site-packages"))
    assert not (purelib / "surveykit_src.pth").exists()
    assert list(purelib.glob("__editable__*surveykit*")) and list(purelib.glob("surveykit-*.dist-info"))
    assert (project / ".venv" / "bin" / "surveykit").is_file()
    located = subprocess.run([str(project / ".venv" / "bin" / "python"), "-c",
                              "import surveykit; print(surveykit.__file__)"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
    assert Path(located).resolve() == (project / "src" / "surveykit" / "__init__.py").resolve()
    assert (project / "manuscript" / "build" / "outils_2024" / "resultats.docx").is_file()
    assert "Résumé de l'exécution" in result.stdout and "manuscript/build/outils_2024/resultats.docx" in result.stdout
