"""Issue N, no harm: nothing a user types or receives runs, and no user data is ever lost.

Each test names the case of the issue it covers; each failed on main 36a2e79."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from surveykit.core.errors import InputError
from surveykit.core.io import atomic_path, atomic_write_text
from surveykit.recode import answer_hash, code_wave, coding_sheet, load_codebooks, read_decisions, write_coding_sheet
from surveykit.recode.sheet import coding_sheet_to_decisions, convert_coding_sheet

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ROOT / "data" / "studies" / "tele_expertise_cpts" / "categories"
PYTHON = sys.executable


@pytest.fixture(scope="module")
def books():
    return load_codebooks(CATEGORIES)


# ---------------------------------------------------------------- atomic writes

def test_a_failed_atomic_write_leaves_the_old_file_byte_identical(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"studies: # mine\n  a: {folder: x}\n")
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("studies:\n", encoding="utf-8")
            raise RuntimeError("disk full halfway")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml"]  # no temporary file left behind


def test_atomic_write_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and (path.stat().st_mode & 0o777) == 0o640


SIZE_LIMITED_WRITE = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
from surveykit.core.io import atomic_write_text
atomic_write_text(sys.argv[1], "x" * 5000)
"""


def test_a_file_size_limit_during_an_atomic_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("waves: {}\n# a comment\n", encoding="utf-8")
    before = path.read_bytes()
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([PYTHON, "-c", SIZE_LIMITED_WRITE, str(path)], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "File too large" in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


# ---------------------------------------------------------------- decisions merged, never replaced

def responses(rows: list[dict]) -> pd.DataFrame:
    columns = ["plateforme", "role_tle", "role_tle_autre", "autres_freins", "favoriserait", "leviers"]
    return pd.DataFrame([{"respondent_id": f"R{i + 2:05d}", **{c: "" for c in columns}, **row}
                         for i, row in enumerate(rows)])


def filled_sheet(tmp_path: Path, books, answers: dict[str, str], rationale: str = "vu") -> Path:
    """An XLSX coding sheet of `answers` (text -> code of question leviers), filled in as a coder would."""
    frame = responses([{"leviers": text} for text in answers])
    path = tmp_path / "coding_sheet.xlsx"
    write_coding_sheet(coding_sheet(code_wave(frame, books, []).to_review, books, coder="bd"), books, path)
    wb = load_workbook(path)
    ws = wb["codage"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=3).value = answers[ws.cell(row=row, column=2).value]
        ws.cell(row=row, column=5).value = rationale
    wb.save(path)
    return path


def existing_decisions(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """A coder's file with a citation column, as the README lets coders write it."""
    lines = ["question,answer_hash,answer,categories,coder,rationale,citation"]
    lines += [f"leviers,{answer_hash(text)},{text},{code},bd,ancienne,{cite}" for text, code, cite in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_converting_a_sheet_adds_to_the_coders_file_and_keeps_citations(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui"), ("Autre déjà codé", "sceptiques", "non")])
    sheet = filled_sheet(tmp_path, books, {"Nouvelle réponse": "sceptiques"})
    decisions = coding_sheet_to_decisions(sheet, main, books)
    by_answer = {d.answer: d for d in decisions}
    assert set(by_answer) == {"Déjà codé", "Autre déjà codé", "Nouvelle réponse"}
    assert (by_answer["Déjà codé"].citation, by_answer["Autre déjà codé"].citation) == ("oui", "non")
    text = main.read_text(encoding="utf-8")
    assert text.startswith("question,answer_hash,answer,categories,coder,rationale,citation\n")
    assert text.splitlines()[1:3] == [f"leviers,{answer_hash('Déjà codé')},Déjà codé,sceptiques,bd,ancienne,oui",
                                      f"leviers,{answer_hash('Autre déjà codé')},Autre déjà codé,sceptiques,bd,"
                                      "ancienne,non"]


def test_a_changed_decision_keeps_its_previous_value_and_converting_twice_changes_nothing(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    other = next(c.id for c in books["leviers"].active_categories if c.id != "sceptiques"
                 and not books["leviers"].is_exclusive(c.id))
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    sheet = filled_sheet(tmp_path, books, {"Déjà codé": other}, rationale="relu")
    _decisions, report = convert_coding_sheet(sheet, main, books)
    assert (report.added, report.changed) == (0, 1)
    once = main.read_bytes()
    (decided,) = read_decisions(main, books)
    assert decided.categories == (other,) and decided.citation == "oui" and decided.rationale == "relu"
    written = pd.read_csv(main, dtype=str, keep_default_na=False)
    assert written.loc[0, "history"] == "sceptiques (bd: ancienne)"
    _decisions, report = convert_coding_sheet(sheet, main, books)
    assert (report.added, report.changed, report.unchanged) == (0, 0, 1)
    assert main.read_bytes() == once


def test_decisions_written_from_a_sheet_are_guarded_against_formulas(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    sheet = filled_sheet(tmp_path, books, {"=1+1 (r113)": "sceptiques", "@SUM(A1:A3)": "sceptiques"},
                         rationale="-raison")
    decisions = coding_sheet_to_decisions(sheet, main, books)
    cells = pd.read_csv(main, dtype=str, keep_default_na=False)
    assert sorted(cells["answer"]) == ["'=1+1 (r113)", "'@SUM(A1:A3)"] and set(cells["rationale"]) == {"'-raison"}
    assert sorted(d.answer for d in decisions) == ["=1+1 (r113)", "@SUM(A1:A3)"]  # read back as typed
    assert {d.rationale for d in decisions} == {"-raison"}


def test_a_sheet_with_an_unknown_code_writes_nothing_and_names_the_sheet_row(tmp_path, books):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    before = main.read_bytes()
    sheet = filled_sheet(tmp_path, books, {"Nouvelle": "code_inconnu"})
    with pytest.raises(InputError, match=r"coding_sheet\.xlsx, sheet 'codage', row 2: unknown category 'code_inconnu'"):
        coding_sheet_to_decisions(sheet, main, books)
    assert main.read_bytes() == before


def test_a_merge_that_fails_while_writing_leaves_the_coders_file(tmp_path, books, monkeypatch):
    main = tmp_path / "bd_main.csv"
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    before = main.read_bytes()
    sheet = filled_sheet(tmp_path, books, {"Nouvelle réponse": "sceptiques"})
    real_replace = os.replace

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        coding_sheet_to_decisions(sheet, main, books)
    monkeypatch.setattr(os, "replace", real_replace)
    assert main.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bd_main.csv", "coding_sheet.xlsx"]


def test_a_decisions_file_saved_by_french_excel_in_windows_1252_is_read(tmp_path, books):
    text = "Délai de réponse trop long"
    path = tmp_path / "bd_main.csv"
    path.write_bytes(("question;empreinte de la réponse;réponse;catégories;codeur;justification\r\n"
                      f"leviers;{answer_hash(text)};{text};sceptiques;bd;évident\r\n").encode("cp1252"))
    (decided,) = read_decisions(path, books)
    assert (decided.answer, decided.rationale) == (text, "évident")


def test_a_decisions_file_mixing_two_encodings_is_refused_with_the_fix(tmp_path, books):
    path = tmp_path / "bd_main.csv"
    path.write_bytes("question,answer_hash,answer,categories,coder,rationale\nleviers,abc,Déjà,x,bd,\n".encode()
                     + b"leviers,abd,D\xe9j\xe0,x,bd,\n")
    with pytest.raises(InputError, match=r"bd_main\.csv, line 3: byte 0xe9 is not UTF-8.*CSV UTF-8"):
        read_decisions(path, books)


# ---------------------------------------------------------------- make study: arguments are data

import shutil  # noqa: E402

import yaml  # noqa: E402

from surveykit.tools.draft import draft_study  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "exports" / "draft_fixture.csv"
VENV = Path(sys.executable).parent.parent
CONFIG = """# My project's configuration: these comments must survive drafting.
studies:
  autre: {folder: data/studies/autre}  # another study
waves:
  autre_2024: {study: autre, label: "Autre", export: data/raw/autre_2024/export.csv}
seed: 7  # keep
"""
HOSTILE = ['x";touch pwned_q;"', "x`touch pwned_b`", "x$(touch pwned_d)", "x;touch pwned_s", "x'touch pwned_a'",
           "x$(shell touch pwned_m)", "x|touch pwned_p", "x&&touch pwned_e"]


@pytest.fixture()
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    (root / "workflow" / "schemas").mkdir(parents=True)
    shutil.copy(ROOT / "workflow" / "schemas" / "config.schema.yaml", root / "workflow" / "schemas")
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def make_study(project: Path, **arguments: str) -> subprocess.CompletedProcess:
    """`make study NAME=value…` in the scratch project, with the test's venv (its install step not rerun)."""
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    command = ["make", "-s", "-C", str(project), "-o", f"{VENV}/.installed", f"VENV={VENV}", "study"]
    return subprocess.run(command + [f"{k}={v}" for k, v in arguments.items()], capture_output=True, text=True,
                          env=env, cwd=project)


def pwned(tmp_path: Path) -> list[str]:
    return sorted(str(p) for p in tmp_path.rglob("pwned*"))


@pytest.mark.parametrize("argument", ["STUDY", "WAVE"])
def test_make_study_never_runs_shell_metacharacters_of_a_name(project, tmp_path, argument):
    for value in HOSTILE:
        arguments = {"EXPORT": str(FIXTURE), "STUDY": "enquete", "WAVE": "enquete_2025"} | {argument: value}
        result = make_study(project, **arguments)
        assert result.returncode != 0
        kind = argument.lower()
        assert f"{kind} name {value!r}: expected lower-case letters" in result.stderr, result.stderr
    assert pwned(tmp_path) == []
    assert (project / "config.yaml").read_text(encoding="utf-8") == CONFIG
    assert not (project / "data").exists()


def test_make_study_takes_an_export_name_and_a_label_with_metacharacters_as_typed(project, tmp_path):
    name = "Enquête `touch pwned_b` $(touch pwned_d) $(shell touch pwned_m) \"q\" 'a'; touch pwned_s (réponses).csv"
    export = tmp_path / "downloads" / name
    export.parent.mkdir()
    shutil.copy(FIXTURE, export)
    label = "Vague `touch pwned_l` $(touch pwned_k); « 2025 »"
    result = make_study(project, EXPORT=str(export), STUDY="enquete", WAVE="enquete_2025", LABEL=label)
    assert result.returncode == 0, result.stderr
    assert pwned(tmp_path) == []
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    assert config["waves"]["enquete_2025"]["label"] == label
    assert config["waves"]["autre_2024"]["label"] == "Autre" and config["seed"] == 7
    assert (project / "data/raw/enquete_2025/export.csv").read_bytes() == FIXTURE.read_bytes()


def test_make_study_without_its_arguments_prints_the_usage(project):
    result = make_study(project, EXPORT=str(FIXTURE))
    assert result.returncode == 2 and "usage: make study EXPORT=<file> STUDY=<name> WAVE=<wave>" in result.stderr


# ---------------------------------------------------------------- make study: refused means nothing written

@pytest.mark.parametrize("name, message", [
    ("logs", "study name 'logs' is reserved"), ("benchmarks", "study name 'benchmarks' is reserved"),
    ("waves", "study name 'waves' is reserved"), ("a" * 300, r"\(300 characters\): too long for a folder name")])
def test_reserved_or_too_long_study_names_are_refused_before_anything_is_written(project, name, message):
    with pytest.raises(InputError, match=message):
        draft_study(FIXTURE, name, "enquete_2025", root=project)
    assert not (project / "data").exists() and (project / "config.yaml").read_text(encoding="utf-8") == CONFIG


def test_a_control_character_in_a_header_names_the_export_column_not_a_temporary_file(project, tmp_path):
    export = tmp_path / "export.csv"
    lines = FIXTURE.read_text(encoding="utf-8").split("\n", 1)
    header = lines[0].split(",")
    header[2] = header[2] + "\x9b"
    export.write_text(",".join(header) + "\n" + lines[1], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        draft_study(export, "enquete", "enquete_2025", root=project)
    message = str(caught.value)
    assert f"{export}, row 1, column 3" in message and "U+009B" in message and "/tmp" not in message.replace(
        str(tmp_path), "")
    assert not (project / "data").exists()


@pytest.mark.parametrize("code, words", [(28, "the disk is full"), (13, "permission denied")])
def test_a_draft_that_cannot_write_leaves_nothing_behind_and_says_why(project, monkeypatch, capsys, code, words):
    from surveykit.tools.draft import __main__ as command
    from surveykit.tools.draft import project as writer

    def failing(path, text):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(writer, "atomic_write_text", failing)
    status = command.main([str(FIXTURE), "--study", "enquete", "--wave", "enquete_2025", "--root", str(project)])
    err = capsys.readouterr().err
    assert status == 1 and words in err and "nothing was written" in err and "Traceback" not in err
    assert "analysis_plan.yaml" in err  # the file it could not write
    assert not (project / "data").exists()  # neither the study folder nor the raw copy
    assert (project / "config.yaml").read_text(encoding="utf-8") == CONFIG


def test_a_read_only_raw_folder_is_a_message_not_a_traceback(project, monkeypatch, capsys):
    from surveykit.tools.draft import __main__ as command
    from surveykit.tools.draft import project as writer

    def denied(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(writer.shutil, "copyfile", denied)
    status = command.main([str(FIXTURE), "--study", "enquete", "--wave", "enquete_2025", "--root", str(project)])
    err = capsys.readouterr().err
    assert status == 1 and "data/raw/enquete_2025/export.csv: permission denied" in err
    assert not (project / "data").exists()


def test_an_empty_config_is_never_overwritten_with_only_the_new_study(project):
    (project / "config.yaml").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"config\.yaml: the file is empty .*git checkout config\.yaml"):
        draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    assert (project / "config.yaml").read_text(encoding="utf-8") == "" and not (project / "data").exists()


def test_the_drafter_merges_its_declaration_into_config_yaml(project):
    draft_study(FIXTURE, "enquete", "enquete_2025", root=project)
    text = (project / "config.yaml").read_text(encoding="utf-8")
    for line in CONFIG.splitlines():
        assert line in text
    config = yaml.safe_load(text)
    assert set(config["studies"]) == {"autre", "enquete"} and set(config["waves"]) == {"autre_2024", "enquete_2025"}


KILLED_DRAFT = """
import os, signal, sys
from surveykit.tools.draft import project
real = project.atomic_write_text
def write_then_die(path, text):
    if str(path).endswith("config.yaml"):
        from surveykit.core.io import atomic_path
        with atomic_path(path) as tmp:
            tmp.write_text(text[: len(text) // 2], encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
    real(path, text)
project.atomic_write_text = write_then_die
import surveykit.tools.draft as draft
draft.atomic_write_text = write_then_die
from surveykit.tools.draft.__main__ import main
main(sys.argv[1:])
"""


def test_kill_9_while_the_drafter_writes_config_yaml_leaves_it_intact(project):
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([PYTHON, "-c", KILLED_DRAFT, str(FIXTURE), "--study", "enquete", "--wave", "enquete_2025",
                             "--root", str(project)], capture_output=True, text=True, env=env)
    assert result.returncode == -9
    assert (project / "config.yaml").read_text(encoding="utf-8") == CONFIG


# ---------------------------------------------------------------- templates are data

from surveykit.manuscript.chapter import Context, render_chapter  # noqa: E402
from surveykit.manuscript.markup import TemplateRefused  # noqa: E402
from surveykit.manuscript.registry import Registry  # noqa: E402
from surveykit.waves.crosswave import render_section  # noqa: E402

PAYLOADS = [
    '{{ cycler.__init__.__globals__.os.popen("touch pwned_t").read() }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{ V.to_json("pwned_j") }}',
    '{{ V.add("x", 1, "1", "s", "r") }}',
    "{{ c.book }}",
    "{{ c.V._entries }}",
    "{{ lipsum.__globals__ }}",
    "{% set x = c.tables.update({'a': 1}) %}",
]


def chapter_context() -> Context:
    registry = Registry()
    registry.add("flux.recus", 3, "3", "flow.json", "clean")
    return Context(registry, {}, {}, {}, 0.05)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_payload_is_refused_with_the_template_and_line(tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "resultats.md.j2"
    template.write_text("# Résultats\n\n{{ V.text('flux.recus') }} réponses.\n" + payload + "\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"resultats\.md\.j2, line 4: refused: .*README, \"Template API\""):
        render_chapter(template, chapter_context(), {"label": "w", "synthetic": False})
    assert pwned(tmp_path) == []


def test_the_documented_helpers_still_work_in_the_sandbox(tmp_path):
    template = tmp_path / "resultats.md.j2"
    template.write_text("{{ V.text('flux.recus') }} {{ V.value('flux.recus') + 1 }} {{ 'Homme'|lower_first }} "
                        "{{ c.alpha }} {{ wave.label }}{% if 'a'.replace('a', 'b') == 'b' %} ok{% endif %}\n",
                        encoding="utf-8")
    assert render_chapter(template, chapter_context(), {"label": "Vague", "synthetic": False}).startswith(
        "3 4 homme 0.05 Vague ok")


def test_a_cross_wave_template_payload_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "evolution.md.j2"
    template.write_text('## Évolution\n{{ cycler.__init__.__globals__.os.popen("touch pwned_x").read() }}\n',
                        encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"evolution\.md\.j2, line 2: refused"):
        render_section(template, {"waves": []})
    assert pwned(tmp_path) == []


def test_a_template_with_an_unknown_name_or_bad_syntax_names_file_and_line(tmp_path):
    template = tmp_path / "resultats.md.j2"
    template.write_text("ok\n{{ V.text('flux.recus') }}\n{{ inconnu.x }}\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"resultats\.md\.j2, line 3: 'inconnu' is undefined"):
        render_chapter(template, chapter_context(), {"label": "w"})
    template.write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"resultats\.md\.j2, line 2: template syntax error"):
        render_chapter(template, chapter_context(), {"label": "w"})


# ---------------------------------------------------------------- one escaper: data shown literally

import json  # noqa: E402

from surveykit.manuscript.markup import escape  # noqa: E402

LITERAL = ["*gras*", "_it_", "~~x~~", "^[note]", "$x$", "&lt;b&gt;", "<b>x</b>", "[x](y)", "H~2~O", "x^2^",
           "**fort** et __souligné__", "&amp; &#42;", "a & b", "prix 5 $ et 3 $", "\\*échappé\\*", "`code`",
           "snake_case_id", "« Autre » : [lien][1]", "{.class}", "@cite", "a | b"]
MARKUP_NODES = {"Emph", "Strong", "Strikeout", "Superscript", "Subscript", "Note", "Math", "RawInline", "Link",
                "Code", "Cite", "Span", "Underline", "SmallCaps", "Image"}


def _pandoc_inlines(markdown: str) -> list[dict]:
    import pypandoc

    from surveykit.manuscript.pandoc_run import use_bundled_pandoc
    use_bundled_pandoc()
    tree = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    return tree["blocks"][0]["c"]


def _plain(inlines: list[dict]) -> str:
    out = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        else:
            raise AssertionError(f"markup node {kind}: {node}")
    return "".join(out)


@pytest.mark.parametrize("label", LITERAL)
def test_a_label_prints_literally_through_pandoc(label):
    inlines = _pandoc_inlines(f"Libellé : {escape(label)} fin")
    assert not {n["t"] for n in inlines} & MARKUP_NODES
    assert _plain(inlines) == f"Libellé : {label} fin"


def test_labels_print_literally_in_html_and_word(tmp_path):
    import docx
    import pypandoc

    from surveykit.manuscript.pandoc_run import use_bundled_pandoc
    use_bundled_pandoc()
    markdown = "\n\n".join(f"P{i} {escape(label)}" for i, label in enumerate(LITERAL)) + "\n"
    html = pypandoc.convert_text(markdown, "html5", format="markdown")
    for tag in ("<em>", "<strong>", "<del>", "<sup>", "<sub>", "<a ", "<b>", "<code>", "math"):
        assert tag not in html
    out = tmp_path / "c.docx"
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(out))
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs if p.text.startswith("P")]
    assert paragraphs == [f"P{i} {label}" for i, label in enumerate(LITERAL)]


def test_plain_labels_are_left_as_they_are():
    for label in ["Médecin généraliste", "< 35 ans, l'âge", "Infirmier(e) / IPA", "R & D", "9,0 [7,0–9,0]", "50 %"]:
        assert escape(label) == label


# ---------------------------------------------------------------- personal data in the drafted comments

def test_a_rare_autre_answer_is_masked_in_the_drafted_codebook_comments(project, tmp_path):
    rows = ["Horodateur,Quelle est votre profession ?"]
    rows += [f"2025/01/{d:02d} 10:00:00,{p}" for d, p in zip(range(1, 25), ["Médecin", "Infirmier(e)"] * 12)]
    rows += ["2025/01/25 10:00:00,Secrétaire de Dr Jean Dupont joignable au 06 12 34 56 78",
             "2025/01/26 10:00:00,jean.dupont@example.org"]
    export = tmp_path / "export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    draft_study(export, "enquete", "enquete_2025", root=project)
    codebook = (project / "data/studies/enquete/codebook.yaml").read_text(encoding="utf-8")
    assert "semi-ouverte" in codebook and "Dr [nom]" in codebook and "[téléphone]" in codebook
    assert "Dupont" not in codebook and "06 12 34" not in codebook and "example.org" not in codebook


# ---------------------------------------------------------------- recovery by itself

import signal  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from pipeline_helpers import make_project  # noqa: E402

FIXTURE_CONFIG = {
    "studies": {"outils_sante": {"folder": "tests/fixtures/studies/outils_sante"}},
    "waves": {"outils_2024": {"study": "outils_sante", "label": "Vague 2024 (jeu de test)",
                              "export": "tests/fixtures/exports/outils_2024.csv", "synthetic": True}},
}


def make(project: Path, *arguments: str, **popen) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    command = ["make", "-C", str(project), "-o", f"{VENV}/.installed", f"VENV={VENV}", *arguments]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=project, **popen)


@pytest.mark.pipeline
def test_make_recovers_from_a_run_killed_mid_way(tmp_path):
    project = make_project(tmp_path, base=FIXTURE_CONFIG)
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    run = make(project, "pipeline", "CORES=1", start_new_session=True)
    incomplete = project / ".snakemake" / "incomplete"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (incomplete.is_dir() and any(incomplete.iterdir())):
        assert run.poll() is None, run.stdout.read()
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)  # make, the pipeline, Snakemake and its job: as a closed terminal would
    run.wait()
    assert any((project / ".snakemake" / "locks").iterdir())  # what made `make` fail before
    again = make(project, "pipeline", "CORES=1")
    output, _ = again.communicate(timeout=900)
    assert again.returncode == 0, output[-3000:]
    assert "a previous run was interrupted" in output and "unlocked" in output
    assert (project / "manuscript" / "build" / "outils_2024" / "resultats.docx").is_file()
    rerun = make(project, "pipeline", "CORES=1")
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0 and "unlocked" not in output


def test_make_leaves_the_lock_of_a_run_that_is_alive(tmp_path, monkeypatch):
    from surveykit.app import pipeline

    (tmp_path / ".snakemake" / "locks").mkdir(parents=True)
    lock = tmp_path / ".snakemake" / "locks" / "0.input.lock"
    lock.write_text("x", encoding="utf-8")
    monkeypatch.setattr(pipeline, "other_runs", lambda root: [4242])
    with pytest.raises(SystemExit, match=r"Another run of the pipeline is working in this folder \(process 4242\)"):
        pipeline.recover(tmp_path)
    assert lock.is_file()


def test_make_refuses_cores_that_are_not_a_number(capsys):
    from surveykit.app import pipeline

    assert pipeline.main(["--cores", "2; touch pwned"]) == 2
    assert "CORES='2; touch pwned': expected a whole number" in capsys.readouterr().err


# ---------------------------------------------------------------- one message for every failure a user can cause

from types import SimpleNamespace  # noqa: E402

from surveykit.core.runner import run_step  # noqa: E402


def run_failing_step(tmp_path: Path, step) -> str:
    log = tmp_path / "rule.log"
    fake = SimpleNamespace(log=[str(log)], rule="recode_wave", input=[], output=[str(tmp_path / "out.csv")], params={})
    with pytest.raises(SystemExit) as stopped:
        run_step(fake, step)
    assert stopped.value.code == 1
    return log.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
def test_a_full_disk_is_the_users_to_fix_not_a_bug_of_the_pipeline(tmp_path):
    from surveykit.core.io import write_csv

    log = run_failing_step(tmp_path, lambda i, o, p, logger: write_csv(pd.DataFrame({"a": ["x" * 100_000]}),
                                                                        "/dev/full"))
    assert "The pipeline stopped" in log and "the disk is full: free some space" in log
    assert "internal error" not in log and "bug of the pipeline" not in log


@pytest.mark.parametrize("code, words", [(13, "permission denied: check that the file is not open in another program"),
                                         (36, "the name is too long for the file system"),
                                         (30, "the disk is read-only")])
def test_permissions_and_names_are_the_users_to_fix(tmp_path, code, words):
    def step(inputs, outputs, params, logger):
        raise OSError(code, os.strerror(code), "results/w/recoding/coded_answers.csv")

    log = run_failing_step(tmp_path, step)
    assert f"results/w/recoding/coded_answers.csv: {words}" in log and "internal error" not in log


def test_a_coding_csv_that_is_not_text_is_refused_with_the_fix(tmp_path, books):
    path = tmp_path / "bd_main.csv"
    path.write_bytes(b"question,answer_hash,answer,categories,coder,rationale\nleviers,abc,\x81\x8d,x,bd,\n")
    with pytest.raises(InputError, match=r"bd_main\.csv, line 2: byte 0x81 is not UTF-8 nor Windows-1252; save it again"):
        read_decisions(path, books)


def test_a_coding_csv_in_utf8_with_bom_is_read(tmp_path, books):
    text = "Déjà vu"
    path = tmp_path / "bd_main.csv"
    path.write_bytes(("question,answer_hash,answer,categories,coder,rationale\n"
                      f"leviers,{answer_hash(text)},{text},sceptiques,bd,\n").encode("utf-8-sig"))
    assert read_decisions(path, books)[0].answer == text


# ---------------------------------------------------------------- paths stay inside the project

from pipeline_helpers import BUNDLED_CONFIG, snakemake  # noqa: E402

from surveykit.project.configcheck import check_config_paths, check_study_paths  # noqa: E402
from surveykit.project.study import load_study  # noqa: E402


@pytest.mark.parametrize("update, where", [
    ({"manuscript": {"css": "/etc/passwd"}}, "manuscript: css: '/etc/passwd'"),
    ({"manuscript": {"template": "../../secret.md.j2"}}, "manuscript: template: '../../secret.md.j2'"),
    ({"manuscript": {"evolution_template": "~/evolution.md.j2"}}, "manuscript: evolution_template"),
    ({"privacy": {"names": "/home/someone/names.txt"}}, "privacy: names"),
    ({"waves": {"w": {"study": "s", "label": "W", "export": "/etc/shadow"}}}, "waves: w: export: '/etc/shadow'"),
    ({"waves": {"w": {"study": "s", "label": "W", "export": "data/raw/w/e.csv", "published": "../p.yaml"}}},
     "waves: w: published"),
    ({"studies": {"s": {"folder": "/tmp/received_study"}}}, "studies: s: folder"),
])
def test_a_path_outside_the_project_is_refused_unless_allowed(tmp_path, update, where):
    config = {"studies": {"s": {"folder": "data/studies/s"}}, "waves": {}} | update
    with pytest.raises(InputError, match=re.escape(f"config.yaml: {where}") + r".* leads outside the project folder"
                       r".*outside_paths"):
        check_config_paths(config, tmp_path)
    value = next(v for v in _strings(update))
    allowed = Path(value).expanduser()
    allowed = (allowed if allowed.is_absolute() else tmp_path / allowed).resolve().parent
    check_config_paths(config | {"outside_paths": [str(allowed)]}, tmp_path)  # the explicit opt-in


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, str) and ("/" in data or data.startswith("~")) and not data.startswith("data/"):
        yield data


def test_paths_inside_the_project_are_accepted():
    check_config_paths(BUNDLED_CONFIG, ROOT)


def test_a_study_figure_that_names_a_file_outside_the_project_is_refused(tmp_path):
    folder = tmp_path / "project" / "data" / "studies" / "s"
    shutil.copytree(ROOT / "tests" / "fixtures" / "studies" / "outils_sante", folder)
    (tmp_path / "secret.yaml").write_text("x: 1\n", encoding="utf-8")
    study = load_study("s", folder)
    object.__setattr__(study.figures[0], "data", "../../../../secret.yaml")  # as a received figures.yaml may say
    with pytest.raises(InputError, match=r"figures\.yaml: figure .*: data: .* leads outside the project folder"):
        check_study_paths(study, {}, tmp_path / "project")


@pytest.mark.pipeline
def test_snakemake_stops_on_a_css_outside_the_project(tmp_path):
    from pipeline_helpers import make_project as scratch

    manuscript = dict(BUNDLED_CONFIG["manuscript"]) | {"css": "/etc/passwd"}
    project = scratch(tmp_path, {"manuscript": manuscript})
    result = snakemake(project, "-n", check=False)
    assert result.returncode != 0
    assert "config.yaml: manuscript: css: '/etc/passwd' leads outside the project folder" in result.stdout + result.stderr


# ---------------------------------------------------------------- make decisions: what the README tells the coder

def test_make_decisions_merges_a_filled_sheet_into_the_coders_file(tmp_path, books):
    root = tmp_path / "p"
    shutil.copytree(CATEGORIES, root / "data" / "studies" / "tele" / "categories")
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    (root / "config.yaml").write_text("studies:\n  tele: {folder: data/studies/tele}\nwaves:\n  w1: {study: tele, "
                                      "label: W, export: data/raw/w1/export.csv}\n", encoding="utf-8")
    main = root / "data" / "studies" / "tele" / "coding" / "w1" / "bd_main.csv"
    main.parent.mkdir(parents=True)
    existing_decisions(main, [("Déjà codé", "sceptiques", "oui")])
    downloads = tmp_path / "Téléchargements `touch pwned_1` $(touch pwned_2)"
    downloads.mkdir()
    sheet = filled_sheet(downloads, books, {"Nouvelle réponse": "sceptiques"})
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    command = ["make", "-s", "-C", str(root), "-o", f"{VENV}/.installed", f"VENV={VENV}", "decisions",
               f"SHEET={sheet}", "STUDY=tele", "WAVE=w1"]
    for _ in range(2):
        result = subprocess.run(command + ["CODER=bd"], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr
    assert "0 decision(s) added, 0 changed" in result.stdout  # the second time: nothing to do
    assert {d.answer: d.citation for d in read_decisions(main, books)} == {"Déjà codé": "oui", "Nouvelle réponse": ""}
    refused = subprocess.run(command + ["CODER=bd;touch pwned_3"], capture_output=True, text=True, env=env)
    assert refused.returncode != 0 and "coder 'bd;touch pwned_3': expected letters" in refused.stderr
    assert pwned(tmp_path) == []


# ---------------------------------------------------------------- more writes that fail

def test_a_coding_sheet_that_fails_while_written_leaves_the_old_one(tmp_path, books, monkeypatch):
    from surveykit.recode import sheet as sheets

    frame = responses([{"leviers": "Une réponse"}])
    path = tmp_path / "coding_sheet.xlsx"
    write_coding_sheet(coding_sheet(code_wave(frame, books, []).to_review, books, coder="bd"), books, path)
    before = path.read_bytes()

    def full_disk(target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheets, "pin_office_file", full_disk)
    other = responses([{"leviers": "Une autre réponse"}])
    with pytest.raises(OSError) as caught:
        write_coding_sheet(coding_sheet(code_wave(other, books, []).to_review, books, coder="bd"), books, path)
    assert caught.value.filename == str(path)  # named as the coder knows it, not the temporary file
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["coding_sheet.xlsx"]


LIMITED_DRAFT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from surveykit.tools.draft.__main__ import main
raise SystemExit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("limit", [300, 3000])
def test_a_file_size_limit_during_make_study_leaves_config_and_folders_as_they_were(project, limit):
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([PYTHON, "-c", LIMITED_DRAFT, str(limit), str(FIXTURE), "--study", "enquete",
                             "--wave", "enquete_2025", "--root", str(project)], capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    assert "larger than the system allows" in result.stderr and "Traceback" not in result.stderr
    assert "/tmp/tmp" not in result.stderr  # never a temporary file's name
    assert (project / "config.yaml").read_text(encoding="utf-8") == CONFIG
    assert not (project / "data").exists()


def test_a_template_quoting_an_unknown_key_or_another_folder_names_file_and_line(tmp_path):
    template = tmp_path / "resultats.md.j2"
    template.write_text("ok\n\n{{ V.text('flux.inconnu') }}\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"resultats\.md\.j2, line 3: no reported value 'flux\.inconnu'"):
        render_chapter(template, chapter_context(), {"label": "w"})
    template.write_text("ok\n{% include '../../etc/passwd' %}\n", encoding="utf-8")
    with pytest.raises(TemplateRefused, match=r"resultats\.md\.j2, line 2: template '\.\./\.\./etc/passwd' not found"):
        render_chapter(template, chapter_context(), {"label": "w"})


@pytest.mark.parametrize("config, message", [
    ({"studies": {"logs": {"folder": "data/studies/logs"}}, "waves": {}}, "studies: 'logs' is a reserved name"),
    ({"studies": {"a" * 80: {"folder": "x"}}, "waves": {}}, r"studies: a{20}… \(80 characters\): too long"),
    ({"studies": {}, "waves": {"w" * 65: {}}}, r"waves: w{20}… \(65 characters\): too long"),
])
def test_reserved_and_over_long_names_in_config_yaml_are_refused(config, message):
    from surveykit.project.configcheck import check_config

    with pytest.raises(InputError, match=message):
        check_config(config)
