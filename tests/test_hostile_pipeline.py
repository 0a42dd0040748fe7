"""Hostile and broken input through the real Snakefile: nothing executed, nothing personal leaked, a clear message.

Each case of the audit (issue K) is a generated input in a scratch project. For each: the exit status,
the message, data/raw/ byte-unchanged, and no file under results/ or manuscript/build/ (Word and Excel
files unzipped, logs included) holding the payload.
  - `hostile`: the bundled thesis export plus rows carrying formulas, personal data, control characters,
    a too-long answer and markup, a wave label with `"` and `<script>`, a category label with `<script>`:
    the whole pipeline runs, and every payload ends inert or masked.
  - `broken`: one wave per export the cleaning step must refuse (or partly quarantine), each run alone.
  - config and study files: reserved wave names, YAML aliases (billion laughs).
"""
from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
import yaml
from conftest import tree_hashes, write_workbook
from pipeline_helpers import THESIS, make_project, snakemake
from test_hostile_input import BILLION_LAUGHS, zip_bomb

from surveykit.core.csvsafe import TRIGGERS
from surveykit.recode.sheet import read_coding_sheet

pytestmark = pytest.mark.pipeline

WAVE = "thesis_2025"
EXPORT = f"data/raw/{WAVE}/export.csv"
WAVE_LABEL = 'Vague "hostile" <script>document.title="pwned-wave"</script>'
CATEGORY_LABEL = "Avis <script>document.title='pwned-category'</script> de second recours"
FORMULAS = {  # header -> answer of an appended user row (open questions and "Autre" fields)
    "Êtes-vous médecin généraliste :": "=2+5+cmd|' /C calc'!A0",
    "Si vous pratiquez la télé-expertise avec une plateforme, laquelle ou lesquelles utilisez-vous ?":
        "=cmd|' /C calc'!A0",
    "Utilité principale de la télé-expertise": "Avis de second recours, =1+1",
    "Autres freins identifiés": "@SUM(1+1)*cmd|' /C calc'!A0",
    "Qu'est-ce qui favoriserait votre utilisation ?": "-2+3+cmd|' /C calc'!A0",
    "Principaux leviers pour les années à venir ?": "+SUM(A1)",
}
FORMULA_TEXTS = ["=2+5+cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", "=1+1", "@SUM(1+1)*cmd|' /C calc'!A0",
                 "-2+3+cmd|' /C calc'!A0", "+SUM(A1)"]
PERSONAL = {  # header -> answer of another appended user row
    "Autres freins identifiés": "Contactez le Dr Jean Dupont au 06 12 34 56 78 ou jean.dupont@example.org",
    "Qu'est-ce qui favoriserait votre utilisation ?":
        "Mon RPPS 10003456789, cabinet au 12 rue de la Paix, 59300 Valenciennes, NIR 1 85 05 78 006 084 36",
    "Principaux leviers pour les années à venir ?": "Voir avec Lemaire ou +32 2 123 45 67",
    "Spécialité la plus sollicitée ?": "Dr Martin Durand, tél. 03 20 12 34 56",
}
SKIPPED = ("Si vous pratiquez la télé-expertise avec une plateforme, laquelle ou lesquelles utilisez-vous ?",
           "Omnidoc, appelez Mme Sophie Martin au 07 98 76 54 32")
CONTROL = ("Principaux leviers pour les années à venir ?", "Temps\x1b[31m perdu\x0b ici\x00")
LONG = ("Qu'est-ce qui favoriserait votre utilisation ?", "z" * 6000)
MARKUP = ("Autres freins identifiés", "<script>alert('free text')</script>")
PERSONAL_PAYLOADS = ["Jean Dupont", "06 12 34 56 78", "jean.dupont@example.org", "10003456789", "rue de la Paix",
                     "59300", "1 85 05 78 006 084 36", "Lemaire", "+32 2 123 45 67", "Martin Durand",
                     "03 20 12 34 56", "Sophie", "07 98 76 54 32"]


# ---------------------------------------------------------------- helpers

def output_texts(project: Path):
    """(name, text) of every file the pipeline wrote; Word and Excel files are unzipped."""
    for folder in ("results", "manuscript/build"):
        for path in sorted((project / folder).rglob("*")):
            if not path.is_file():
                continue
            if path.suffix in (".docx", ".xlsx"):
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        yield f"{path}!{name}", archive.read(name).decode("utf-8", "replace")
            else:
                yield str(path), path.read_bytes().decode("utf-8", "replace")


def holding(project: Path, payload: str) -> list[str]:
    """Files whose text holds the payload (as written, or escaped for XML/HTML)."""
    forms = {payload, html.escape(payload), html.escape(payload, quote=False)}
    return [name for name, text in output_texts(project) if any(form in text for form in forms)]


def read_rows(path: Path) -> list[list[str]]:
    """A CSV's cells; the copies for French Excel (`*.excel.csv`) with their `;` and their byte order mark."""
    excel = path.name.endswith(".excel.csv")
    with path.open(encoding="utf-8-sig" if excel else "utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";" if excel else ","))


def write_export(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def appended(rows: list[list[str]], practice: str, cells: dict[str, str]) -> list[str]:
    """A copy of the first row whose practice answer is `practice`, with `cells` replaced."""
    header = rows[0]
    column = header.index("Pratiquez-vous la télé-expertise ?")
    row = list(next(r for r in rows[1:] if r[column] == practice))
    for name, text in cells.items():
        row[next(i for i, h in enumerate(header) if re.sub(r"\s+", " ", h) == name)] = text
    return row


def run(project: Path, *args: str) -> tuple[subprocess.CompletedProcess, bool]:
    """snakemake in the project; also whether data/raw/ stayed byte-identical."""
    before = tree_hashes(project / "data" / "raw")
    result = snakemake(project, *args, check=False)
    return result, before == tree_hashes(project / "data" / "raw")


def log_of(project: Path, wave: str, rule: str = "clean_wave") -> str:
    return (project / "results" / "logs" / wave / f"{rule}.log").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the hostile wave, whole pipeline

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    waves = {WAVE: {"study": THESIS, "label": WAVE_LABEL, "export": EXPORT, "synthetic": True}}
    project = make_project(tmp_path_factory.mktemp("hostile"), {
        "waves": waves, "privacy": {"names": f"data/raw/{WAVE}/names.txt"}, "limits": {"max_answer_chars": 5000}})
    export = project / EXPORT
    rows = read_rows(export)
    rows += [appended(rows, "Oui", FORMULAS), appended(rows, "Oui", PERSONAL), appended(rows, "Non", dict([SKIPPED])),
             appended(rows, "Oui", dict([CONTROL])), appended(rows, "Oui", dict([LONG])),
             appended(rows, "Oui", dict([MARKUP]))]
    write_export(export, rows)
    (export.parent / "names.txt").write_text("# cited by respondents\nLemaire\nSophie\n", encoding="utf-8")
    categories = project / "data" / "studies" / THESIS / "categories" / "role_tle.yaml"
    text = categories.read_text(encoding="utf-8")
    categories.write_text(text.replace('    label: "Avis de second recours"',
                                       f"    label: {yaml.safe_dump(CATEGORY_LABEL).splitlines()[0]}", 1),
                          encoding="utf-8")
    result, raw_unchanged = run(project)
    return {"project": project, "result": result, "raw_unchanged": raw_unchanged, "rows": len(rows) - 1}


def test_hostile_wave_runs_to_the_chapter_and_leaves_raw_data_untouched(hostile):
    assert hostile["result"].returncode == 0, hostile["result"].stderr[-3000:]
    assert hostile["raw_unchanged"]
    flow = __import__("json").loads((hostile["project"] / "results" / WAVE / "clean" / "flow.json").read_text())
    assert flow["received"] == hostile["rows"] == 45


def test_formula_answers_stay_text_in_the_coding_sheet_and_read_back_unchanged(hostile):
    sheet = hostile["project"] / "results" / WAVE / "recoding" / "coding_sheet.xlsx"
    with zipfile.ZipFile(sheet) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    answers = set(read_coding_sheet(sheet)["answer"])
    assert {"=cmd|' /C calc'!A0", "=1+1", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "+SUM(A1)"} <= answers


def test_no_csv_under_results_starts_a_cell_with_a_formula(hostile):
    number = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?|[+-]?inf|nan")
    files = sorted((hostile["project"] / "results").rglob("*.csv"))
    assert len(files) > 20
    cells = 0
    for path in files:
        for row in read_rows(path):
            for cell in row:
                cells += 1
                assert not (cell[:1] in TRIGGERS and not number.fullmatch(cell)), (path, cell)
    responses = (hostile["project"] / "results" / WAVE / "clean" / "responses.csv").read_text(encoding="utf-8")
    for text in FORMULA_TEXTS:
        assert "'" + text in responses or f'"\'{text}"' in responses  # written neutralised, not dropped
    assert cells > 1000


def test_the_pipeline_reads_back_the_exact_formula_like_answers(hostile):
    from surveykit.core.io import read_responses

    responses = read_responses(hostile["project"] / "results" / WAVE / "clean" / "responses.csv")
    row = responses.set_index("respondent_id").loc["R00041"]
    assert (row["plateforme"], row["role_tle_autre"], row["mode_exercice_autre"], row["leviers"]) == (
        "=cmd|' /C calc'!A0", "=1+1", "=2+5+cmd|' /C calc'!A0", "+SUM(A1)")


@pytest.mark.parametrize("payload", PERSONAL_PAYLOADS)
def test_personal_data_never_leave_the_raw_export(hostile, payload):
    assert holding(hostile["project"], payload) == []


def test_personal_data_are_masked_in_responses_excluded_rows_and_reported_by_kind(hostile):
    clean = hostile["project"] / "results" / WAVE / "clean"
    responses = pd.read_csv(clean / "responses.csv", dtype=str, keep_default_na=False).set_index("respondent_id")
    row = responses.loc["R00042"]
    assert row["autres_freins"] == "Contactez le Dr [nom] au [téléphone] ou [courriel]"
    assert row["favoriserait"] == "Mon RPPS [identifiant], cabinet au [adresse], NIR [NIR]"
    assert row["leviers"] == "Voir avec [nom] ou [téléphone]"
    assert row["specialite_autre"] == "Dr [nom], tél. [téléphone]"
    excluded = pd.read_csv(clean / "excluded.csv", dtype=str, keep_default_na=False).set_index("sheet_row")
    assert excluded.loc["43", "reason"] == "logique de saut non respectée"
    assert "'Omnidoc, appelez Mme [nom] au [téléphone]' answered although" in excluded.loc["43", "detail"]
    report = pd.read_csv(clean / "pii_report.csv", dtype=str)
    assert set(map(tuple, report[report["respondent_id"] == "R00042"][["where", "kind"]].values)) == {
        ("autres_freins", "courriel"), ("autres_freins", "nom"), ("autres_freins", "téléphone"),
        ("favoriserait", "identifiant RPPS/ADELI"), ("favoriserait", "adresse"),
        ("favoriserait", "numéro de sécurité sociale"), ("leviers", "nom"), ("leviers", "téléphone"),
        ("specialite_autre", "nom"), ("specialite_autre", "téléphone")}
    assert ("excluded.csv detail", "R00043", "nom") in set(map(tuple, report[["where", "respondent_id", "kind"]].values))
    assert "personal data masked: 1 nom in excluded.csv detail" in log_of(hostile["project"], WAVE)


def test_control_characters_are_removed_with_row_and_column_and_recoding_runs(hostile):
    project = hostile["project"]
    assert (f'{EXPORT}, row 44, column "Principaux leviers pour les années à venir ?": control character(s) '
            "U+0000, U+000B, U+001B removed") in log_of(project, WAVE)
    responses = pd.read_csv(project / "results" / WAVE / "clean" / "responses.csv", dtype=str, keep_default_na=False)
    assert responses.set_index("respondent_id").loc["R00044", "leviers"] == "Temps[31m perdu ici"
    assert "Temps[31m perdu ici" in set(read_coding_sheet(project / "results" / WAVE / "recoding" /
                                                          "coding_sheet.xlsx")["answer"])
    for character in ("\x1b", "\x0b", "\x00"):  # in any text file (images are binary)
        assert [name for name in holding(project, character) if not name.endswith(".png")] == []


def test_a_too_long_answer_quarantines_its_row_with_row_and_column(hostile):
    excluded = pd.read_csv(hostile["project"] / "results" / WAVE / "clean" / "excluded.csv", dtype=str,
                           keep_default_na=False).set_index("sheet_row")
    assert excluded.loc["45", "detail"] == (
        f'{EXPORT}, row 45, column "Qu\'est-ce qui favoriserait votre utilisation ?": an answer of 6000 characters '
        "— expected at most 5000 (config: limits: max_answer_chars)")
    assert holding(hostile["project"], "z" * 200) == []


def test_labels_with_quotes_and_script_are_text_in_every_output(hostile):
    build = hostile["project"] / "manuscript" / "build" / WAVE
    markdown = (build / "resultats.md").read_text(encoding="utf-8")
    front = markdown.split("---")[1]
    assert yaml.safe_load(front)["title"] == ("Résultats — Vague &quot;hostile&quot; &lt;script>document.title="
                                              "&quot;pwned-wave&quot;&lt;/script>")
    page = (build / "resultats.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<title>Résultats — Vague &quot;hostile&quot; &lt;script&gt;document.title=&quot;pwned-wave&quot;" in page
    assert "Avis &lt;script&gt;document.title=" in page
    assert "alert(&#39;free text&#39;)" not in page and "alert('free text')" not in page  # free text never printed
    paragraphs = [p.text for p in docx.Document(str(build / "resultats.docx")).paragraphs]
    assert paragraphs[0] == f"Résultats — {WAVE_LABEL}"  # the label as text, quotes and all
    assert any(p.startswith("Avis <script>document.title=\u2018pwned-category\u2019</script> de second recours")
               for p in paragraphs)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is installed by `make test`")
def test_script_in_labels_does_not_run_in_a_browser(hostile, tmp_path):
    page = hostile["project"] / "manuscript" / "build" / WAVE / "resultats.html"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path}",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", result.stdout, flags=re.S).group(1)
    assert html.unescape(title) == f"Résultats — {WAVE_LABEL}"  # a script that ran would have set "pwned-wave"
    assert "<script" not in result.stdout


# ---------------------------------------------------------------- exports the cleaning step refuses

@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One project, one wave per broken export (each run on its own)."""
    root = tmp_path_factory.mktemp("broken")
    source = make_project(root / "source")
    rows = read_rows(source / EXPORT)
    exports = {}

    def add(name: str, suffix: str = "csv") -> Path:
        path = root / "exports" / name / f"export.{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        exports[name] = path
        return path

    data = (source / EXPORT).read_bytes().split(b"\n")
    data[4] = data[4].replace(b",Masculin,", b",Mascul\xffin,", 1).replace(b",F\xc3\xa9minin,", b",F\xc3\xa9min\xffin,", 1)
    add("bad_utf8").write_bytes(b"\n".join(data))
    text = (source / EXPORT).read_text(encoding="utf-8").split("\n")
    text[6] = text[6].replace(",Masculin,", ',"Masculin,', 1).replace(",Féminin,", ',"Féminin,', 1)
    add("unterminated").write_text("\n".join(text), encoding="utf-8")
    write_export(add("headers_only"), rows[:1])
    write_workbook(add("no_sheet", "xlsx"), {"Notes": [["Enquête"]], "Graphiques": [["Total"]]})
    write_workbook(add("other_sheet", "xlsx"), {"Notes": [["Enquête"]], "Réponses": rows})
    zip_bomb(add("zip_bomb", "xlsx"), 50_000_000)
    book = openpyxl.Workbook()
    book.active["A1"], book.active["XFD1048576"] = "Horodateur", "x"
    book.save(add("dimension", "xlsx"))
    big = [list(r) for r in rows]
    big[3][big[0].index("Autres freins identifiés")] = "w" * 5_000_000
    write_export(add("big_cell"), big)
    waves = {name: {"study": THESIS, "label": name, "export": f"data/raw/{name}/{path.name}"}
             for name, path in exports.items()}
    project = make_project(root, {"waves": waves})
    for name, path in exports.items():
        target = project / "data" / "raw" / name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return project


def clean_only(project: Path, wave: str):
    return run(project, f"results/{wave}/clean/flow.json")


@pytest.mark.parametrize("wave, message", [
    ("bad_utf8", 'data/raw/bad_utf8/export.csv, row 5, column "Sexe": byte 0xff at character 6 of the cell is not '
                 "valid UTF-8, and the rest of the file is UTF-8"),  # "Fémin\xffin"
    ("unterminated", "data/raw/unterminated/export.csv, row 7: not valid CSV from line"),
    ("headers_only", "data/raw/headers_only/export.csv: the export has a header row but no response"),
    ("no_sheet", "data/raw/no_sheet/export.xlsx: no sheet of the workbook has the questionnaire's headers in row 1 "
                 "(sheets: 'Notes', 'Graphiques')"),
    ("zip_bomb", "data/raw/zip_bomb/export.xlsx: the workbook's"),
    ("dimension", "data/raw/dimension/export.xlsx: sheet 'Sheet' declares 1048576 rows and 16384 columns"),
])
def test_a_broken_export_stops_with_its_message(broken, wave, message):
    result, raw_unchanged = clean_only(broken, wave)
    assert result.returncode != 0
    assert raw_unchanged
    log = log_of(broken, wave)
    assert "The pipeline stopped:" in log and message in log
    assert "Traceback" not in log
    assert not (broken / "results" / wave / "clean" / "flow.json").exists()


def test_the_sheet_holding_the_answers_is_found(broken):
    result, raw_unchanged = clean_only(broken, "other_sheet")
    assert result.returncode == 0 and raw_unchanged
    assert "answers read from sheet 'Réponses'" in log_of(broken, "other_sheet")
    flow = __import__("json").loads((broken / "results" / "other_sheet" / "clean" / "flow.json").read_text())
    assert flow["analysed"] == 39


def test_a_5_mb_cell_quarantines_its_row_with_row_and_column(broken):
    result, raw_unchanged = clean_only(broken, "big_cell")
    assert result.returncode == 0 and raw_unchanged
    excluded = pd.read_csv(broken / "results" / "big_cell" / "clean" / "excluded.csv", dtype=str)
    assert excluded["detail"].tolist() == ['data/raw/big_cell/export.csv, row 4, column "Autres freins identifiés": '
                                           "an answer of 5000000 characters — expected at most 100000 "
                                           "(config: limits: max_answer_chars)"]
    assert holding(broken, "w" * 200) == []


# ---------------------------------------------------------------- config and study files

def test_a_reserved_wave_name_is_refused_with_its_reason(tmp_path):
    project = make_project(tmp_path, {"waves": {"waves": {"study": THESIS, "label": "W", "export": EXPORT}}})
    result, raw_unchanged = run(project, "-n")
    assert result.returncode != 0 and raw_unchanged
    assert ("The pipeline stopped: config.yaml: waves: 'waves' is a reserved name (the pipeline writes "
            "results/waves/ for itself") in result.stdout + result.stderr
    assert not (project / "results").exists()


@pytest.mark.parametrize("args", [("-n",), ("--unlock",)])
def test_yaml_aliases_in_the_config_are_refused_at_once(tmp_path, args):
    project = make_project(tmp_path)
    config = project / "config.yaml"
    text = config.read_text(encoding="utf-8").rstrip("\n") + "\n"
    config.write_text(text + BILLION_LAUGHS + "\n", encoding="utf-8")
    alias_line = text.count("\n") + 2  # the first alias is on the bomb's second line
    before = tree_hashes(project / "data" / "raw")
    result = subprocess.run([str(Path(__import__("sys").executable).parent / "snakemake"), "--cores", "1", *args],
                            cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and before == tree_hashes(project / "data" / "raw")
    output = result.stdout + result.stderr
    assert f"config.yaml, line {alias_line}: YAML alias *a is not allowed" in output


def test_yaml_aliases_in_the_codebook_stop_the_run_before_any_job(tmp_path):
    project = make_project(tmp_path)
    codebook = project / "data" / "studies" / THESIS / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8") + "\nx_laughs:\n" +
                        "\n".join("  " + line for line in BILLION_LAUGHS.splitlines()) + "\n", encoding="utf-8")
    result, raw_unchanged = clean_only(project, WAVE)
    assert result.returncode != 0 and raw_unchanged
    output = result.stdout + result.stderr
    assert "The pipeline stopped:" in output and f"data/studies/{THESIS}/codebook.yaml, line" in output
    assert "YAML alias *a is not allowed" in output
    assert not (project / "results").exists()
