"""Snakemake's report as a reviewer's entry point: `surveykit report` writes results/report.html, which holds the
chapter, the tables, the figures (and the reproduction report of a published wave) with their captions, and opens
in a browser (headless Chromium)."""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline_helpers import make_project

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONFIG = {
    "studies": {"outils_sante": {"folder": "tests/fixtures/studies/outils_sante"}},
    "waves": {"outils_2024": {"study": "outils_sante", "label": "Vague 2024 (jeu de test)",
                              "export": "tests/fixtures/exports/outils_2024.csv", "synthetic": True}},
}
CATEGORIES = ("Chapitre", "Tableaux", "Figures")


def test_every_output_a_reviewer_reads_is_in_the_report_with_a_caption():
    rules = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "workflow" / "rules").glob("*.smk")}
    for smk, outputs in {"manuscript.smk": ["resultats.html", "resultats.docx"],
                         "stats.smk": ["tables/tableaux.xlsx"],
                         "reproduction.smk": ["reproduction.md", "reproduction.csv", "audit_published.csv"],
                         "waves.smk": ["evolution.html", "evolution.docx"]}.items():
        for output in outputs:
            flagged = re.search(r"report\(\s*f?\"[^\"]*" + re.escape(output) + r"\",\s*caption=\"\.\./report/(\w+\.rst)\"",
                                rules[smk])
            assert flagged, f"workflow/rules/{smk}: {output} is not marked with report(…, caption=…)"
            assert (ROOT / "workflow" / "report" / flagged.group(1)).is_file()
    # The files a rule lists in its wave's manifest (one CSV per table, one PNG per figure) reach the report as
    # report-flagged inputs of that rule (common.smk, reported_files), with the captions their declared files had.
    for smk, kinds in {"stats.smk": ["tables"], "figures.smk": ["counts", "statistics"]}.items():
        for kind in kinds:
            assert f'unpack(reported_files("{kind}"))' in rules[smk], f"workflow/rules/{smk}: {kind} not reported"
    for caption in ("tables.rst", "figures.rst"):
        assert caption in rules["common.smk"]
        assert (ROOT / "workflow" / "report" / caption).is_file()
    assert 'report: "workflow/report/workflow.rst"' in (ROOT / "Snakefile").read_text(encoding="utf-8")


def _embedded(dom: str) -> dict:
    """The results Snakemake embeds in the report's page: path -> {caption, mime_type, data_uri, …}."""
    found, decoder = {}, json.JSONDecoder()
    for match in re.finditer(r'"((?:manuscript|results)/[^"]+)": (?=\{"name": )', dom):
        try:
            found[match.group(1)] = decoder.raw_decode(dom, match.end())[0]
        except ValueError:
            continue
    return found


@pytest.mark.pipeline
def test_the_report_opens_in_a_browser_with_the_chapter_and_the_figures(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed: `make test` installs it where apt is usable")
    project = make_project(tmp_path, base=FIXTURE_CONFIG)
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    made = subprocess.run([sys.executable, "-m", "surveykit", "report", "--cores", "2"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)
    assert made.returncode == 0, (made.stdout + made.stderr)[-4000:]
    assert "Rapport Snakemake : results/report.html" in made.stdout
    report = project / "results" / "report.html"
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'chr'}",
                          "--virtual-time-budget=10000", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    # What the browser shows once the page's scripts ran: the categories and the workflow's description.
    shown = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    shown = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)))
    assert "Please enable Javascript" not in shown.replace("Loading Snakemake Report... Please enable Javascript", "")
    for category in CATEGORIES:
        assert f" {category} " in shown, shown[:2000]
    assert "Rapport de relecture du pipeline surveykit" in shown
    # The results the page holds: the chapter itself, readable, and every figure as an image, with captions.
    results = _embedded(dom)
    chapter = results.get("manuscript/build/outils_2024/resultats.html")
    assert chapter, sorted(results)[:20]
    assert "Chapitre <strong>Résultats</strong> de la vague" in chapter["caption"] and "outils_2024" in chapter["caption"]
    page = base64.b64decode(chapter["data_uri"].split(",", 1)[1]).decode("utf-8")
    assert "Vague 2024 (jeu de test)" in page and "<table" in page
    figures = sorted((project / "results" / "outils_2024" / "figures").glob("*.png"))
    assert figures
    for figure in figures:
        entry = results.get(f"results/outils_2024/figures/{figure.name}")
        assert entry and entry["data_uri"].startswith("data:image/png;"), figure.name
        assert base64.b64decode(entry["data_uri"].split(",", 1)[1]) == figure.read_bytes()
    assert "results/outils_2024/tables/tableaux.xlsx" in results
