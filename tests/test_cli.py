"""The `surveykit` command: each subcommand's messages for a user's mistakes (never a traceback), and the summary a
run ends with."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from surveykit import __version__
from surveykit.app import cli
from surveykit.app.summary import run_summary

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "exports" / "draft_fixture.csv"
OUTILS = ROOT / "tests" / "fixtures" / "studies" / "outils_sante"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """A project folder (Snakefile, the config schema) with the test study outils_sante, as the current folder."""
    root = tmp_path / "p"
    (root / "workflow" / "schemas").mkdir(parents=True)
    shutil.copy(ROOT / "workflow" / "schemas" / "config.schema.yaml", root / "workflow" / "schemas")
    shutil.copy(ROOT / "Snakefile", root / "Snakefile")
    shutil.copytree(OUTILS, root / "data" / "studies" / "outils_sante")
    (root / "data" / "raw" / "outils_2024").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "exports" / "outils_2024.csv", root / "data/raw/outils_2024/export.csv")
    (root / "config.yaml").write_text(
        "studies:\n  outils_sante: {folder: data/studies/outils_sante}\n"
        "waves:\n  outils_2024: {study: outils_sante, label: \"Vague 2024\", export: data/raw/outils_2024/export.csv}\n",
        encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"surveykit {__version__}"
    assert cli.main([]) == 2
    assert "surveykit run [--cores N] [--wave W]" in capsys.readouterr().out


def test_run_outside_a_project_folder_says_where_to_run_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run"]) == 1
    err = capsys.readouterr().err
    assert "surveykit run stopped: no Snakefile and no config.yaml in" in err and "run it from the project folder" in err


def test_run_refuses_cores_and_waves_it_cannot_use(project, capsys):
    assert cli.main(["run", "--cores", "2; touch pwned"]) == 2
    assert "CORES='2; touch pwned': expected a whole number of cores (e.g. surveykit run --cores 4)" in \
        capsys.readouterr().err
    assert cli.main(["run", "--wave", "autre"]) == 2
    assert "--wave 'autre': config.yaml declares no such wave (its waves: outils_2024)" in capsys.readouterr().err
    assert not list(project.rglob("pwned*"))


def test_check_accepts_a_valid_project(project, capsys):
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "étude outils_sante" in out and "vague outils_2024 (outils_sante)" in out and "sont valides" in out


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.update(colour="blue"), "config.yaml: (top level): Additional properties are not allowed ('colour'"),
    (lambda c: c["waves"]["outils_2024"].update(export="data/raw/outils_2024/absent.csv"),
     "config.yaml: waves: outils_2024: export: 'data/raw/outils_2024/absent.csv' not found"),
    (lambda c: c["waves"]["outils_2024"].update(study="autre"),
     "config.yaml: waves: outils_2024: study 'autre' is not in `studies` (outils_sante)"),
    (lambda c: c["waves"]["outils_2024"].update(export="../../etc/passwd"), "leads outside the project folder"),
])
def test_check_names_the_file_the_key_and_the_fix(project, capsys, edit, message):
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    edit(config)
    (project / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("surveykit check stopped: ") and message in err and "Traceback" not in err


def test_check_names_a_broken_study_file(project, capsys):
    codebook = project / "data" / "studies" / "outils_sante" / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8") + "unexpected_key: 1\n", encoding="utf-8")
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "codebook.yaml" in err and "unexpected_key" in err


def test_study_drafts_with_names_typed_as_data(project, tmp_path, capsys):
    export = tmp_path / "-Enquête `touch pwned` $(touch pwned2) (réponses).csv"  # even a leading dash
    shutil.copy(FIXTURE, export)
    assert cli.main(["study", str(export), "--study", "x;touch pwned3", "--wave", "enquete_2025"]) != 0
    assert "study name 'x;touch pwned3': expected lower-case letters" in capsys.readouterr().err
    assert cli.main(["study", str(export), "--study", "enquete", "--wave", "enquete_2025", "--label", "« 2025 »"]) == 0
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    assert config["waves"]["enquete_2025"]["label"] == "« 2025 »" and "outils_2024" in config["waves"]
    assert not list(tmp_path.rglob("pwned*"))
    assert cli.main(["study", str(export)]) == 2
    assert "usage: surveykit study EXPORT --study NAME --wave WAVE" in capsys.readouterr().err


def test_decisions_without_its_arguments_prints_the_usage(project, capsys):
    assert cli.main(["decisions", "sheet.xlsx", "--study", "outils_sante"]) == 2
    assert "usage: surveykit decisions SHEET --study STUDY --wave WAVE --coder INITIALS" in capsys.readouterr().err


def _results(project: Path) -> None:
    clean = project / "results" / "outils_2024" / "clean"
    clean.mkdir(parents=True)
    flow = {"received": 12345, "analysed": 12000, "excluded": {"blank row": 5, "duplicate": 40},
            "quarantined": {"unknown option": 200, "scale out of range": 60, "rank used twice": 30,
                            "unreadable date": 10}}
    (clean / "flow.json").write_text(json.dumps(flow), encoding="utf-8")
    logs = project / "results" / "logs" / "outils_2024"
    logs.mkdir(parents=True)
    (logs / "clean_wave.log").write_text("INFO clean_wave: read\nWARNING clean_wave: a\nWARNING clean_wave: b\n",
                                         encoding="utf-8")
    (logs / "render_chapter.log").write_text("WARNING render_chapter: c\nINFO x: WARNING inside\n", encoding="utf-8")
    build = project / "manuscript" / "build" / "outils_2024"
    build.mkdir(parents=True)
    for name in ("resultats.md", "resultats.html", "resultats.docx"):
        (build / name).write_text("x", encoding="utf-8")
    (project / "results" / "outils_2024" / "tables").mkdir()
    (project / "results" / "outils_2024" / "tables" / "tableaux.xlsx").write_bytes(b"x")


def test_the_summary_says_what_each_wave_received_analysed_set_aside_and_where_the_chapter_is(project):
    _results(project)
    before = {p: p.read_bytes() for p in (project / "results").rglob("*") if p.is_file()}
    lines = run_summary(project)
    assert lines[1] == "Résumé de l'exécution"
    assert lines[2] == ("  outils_2024 (Vague 2024) : 12\u202f345 reçues, 12\u202f000 analysées, 45 exclues, "
                        "300 en quarantaine")
    assert lines[3] == ("    quarantaine : unknown option (200); scale out of range (60); rank used twice (30); "
                        "autres motifs (10) (détail : results/outils_2024/clean/excluded.csv)")
    assert lines[4] == "    exclues : duplicate (40); blank row (5)"
    assert lines[5] == "    avertissements : 3 (clean_wave 2, render_chapter 1), journaux dans results/logs/outils_2024/"
    assert lines[6:] == ["    chapitre :", "      manuscript/build/outils_2024/resultats.md",
                         "      manuscript/build/outils_2024/resultats.html",
                         "      manuscript/build/outils_2024/resultats.docx",
                         "    tableaux pour Excel : results/outils_2024/tables/tableaux.xlsx"]
    assert before == {p: p.read_bytes() for p in (project / "results").rglob("*") if p.is_file()}


def test_the_summary_of_a_wave_not_yet_cleaned_and_of_a_failed_run(project):
    lines = run_summary(project)
    assert "  outils_2024 (Vague 2024) : pas de données nettoyées (results/outils_2024/clean/flow.json absent)" in lines
    assert "    chapitre : pas encore produit" in lines
    assert run_summary(project, failed=True) == []  # the error stays the last thing printed


def test_a_console_without_utf8_gets_question_marks_not_a_traceback(project, tmp_path):
    import os
    import subprocess
    import sys

    _results(project)
    env = os.environ | {"PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT / "src")}
    code = "from pathlib import Path; from surveykit.app import cli; cli._printable_streams(); " \
           "from surveykit.app.summary import print_summary; print_summary(Path('.'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert "12?345 re\xe7ues".encode("latin-1") in result.stdout
