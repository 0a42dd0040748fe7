"""The chapter in Markdown, HTML and Word: complete, self-contained, and traceable to the data."""
import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from pipeline_helpers import snakemake

from surveykit.manuscript.markup import escape_inline
from surveykit.manuscript.prose import typography

pytestmark = pytest.mark.pipeline

WAVE = "thesis_2025"
BARRIER_HEADER = "Freins à l'utilisation de la télé-expertise [Perte de temps]"


def build(project: Path) -> Path:
    return project / "manuscript" / "build" / WAVE


def docx_text(path: Path) -> str:
    """Paragraphs, then one line per table row (cells joined by ' | ')."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(parts)


def test_docx_holds_the_thesis_tables_and_the_figures(built_project):
    document = docx.Document(str(build(built_project) / "resultats.docx"))
    assert len(document.tables) >= 8
    first = document.tables[0]
    assert first.rows[1].cells[0].text == "Genre" and first.rows[1].cells[2].text == "22\u00a0(56,4\u00a0%)"
    with zipfile.ZipFile(build(built_project) / "resultats.docx") as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
    figures = len(list((built_project / "results" / WAVE / "figures").glob("*.png")))
    assert len(images) == figures == 9


def test_html_is_self_contained(built_project):
    html = (build(built_project) / "resultats.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 9
    assert "../results" not in html
    assert "<table" in html and "Table 7\u00a0: " in html


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is installed by `make test`")
def test_html_opens_in_headless_chromium_without_errors(built_project, tmp_path):
    page = build(built_project) / "resultats.html"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Tableau" in result.stdout or "Table 1" in result.stdout
    assert "Uncaught" not in result.stderr and ":CONSOLE(" not in result.stderr


def test_registry_traces_every_quoted_number(built_project):
    registry = pd.read_csv(built_project / "results" / WAVE / "report" / "registry.csv", keep_default_na=False)
    assert {"key", "value", "text", "source", "rule", "used_in_chapter"} <= set(registry.columns)
    row = registry[registry["key"] == "tableau_7.frein_tracabilite.p_sentence"].iloc[0]
    assert row["text"] == "p\u00a0=\u00a00,0161" and row["source"].endswith("stats/tests.csv")
    assert str(row["used_in_chapter"]) == "True"
    markdown = (build(built_project) / "resultats.md").read_text(encoding="utf-8")
    assert "p\u00a0=\u00a00,0161" in markdown
    assert "différence statistiquement significative" in markdown


def html_units(html: str) -> list[str]:
    """Table rows, paragraphs and list items of the HTML chapter."""
    return re.findall(r"<tr.*?</tr>|<p>.*?</p>|<li>.*?</li>", html, flags=re.S)


def _bump_one_answer(export: Path) -> None:
    """Add 1 to the 'Perte de temps' answer of the first user whose answer is below 10."""
    rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index(BARRIER_HEADER)
    practice = rows[0].index("Pratiquez-vous la télé-expertise ?")
    row = next(r for r in rows[1:] if r[practice] == "Oui" and int(r[column]) < 10)
    row[column] = str(int(row[column]) + 1)
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_changing_one_answer_changes_every_dependent_number_and_nothing_else(built_project, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(built_project, project, symlinks=True)
    before_registry = pd.read_csv(project / "results" / WAVE / "report" / "registry.csv", keep_default_na=False)
    before = {name: (build(project) / name).read_bytes() for name in ("resultats.md", "resultats.html")}
    before_docx = docx_text(build(project) / "resultats.docx")
    _bump_one_answer(project / "data" / "raw" / WAVE / "export.csv")
    snakemake(project)

    after_registry = pd.read_csv(project / "results" / WAVE / "report" / "registry.csv", keep_default_na=False)
    merged = before_registry.merge(after_registry, on="key", suffixes=("_before", "_after"))
    changed = merged[merged["value_before"] != merged["value_after"]]["key"]
    assert len(changed) > 0
    # Holm's adjustment of a table depends on every p of the table: those are the only other changes.
    assert all("frein_perte_temps" in key or (key.startswith(("tableau_7.", "tableau_8.")) and key.endswith(".p_holm"))
               for key in changed), list(changed)
    assert any(key.endswith("frein_perte_temps.Ensemble.mean") for key in changed)
    assert any(key.startswith("tableau_7.frein_perte_temps.p") for key in changed)

    def changed_lines(old: str, new: str) -> list[str]:
        return sorted(set(new.splitlines()) ^ set(old.splitlines()))

    new_p = after_registry.set_index("key").loc["tableau_7.frein_perte_temps.p", "text"]
    for name, units in (("resultats.md", str.splitlines), ("resultats.html", html_units)):
        new_text = (build(project) / name).read_text(encoding="utf-8")
        assert new_p in new_text
        old_units, new_units = set(units(before[name].decode("utf-8"))), set(units(new_text))
        added = [u for u in new_units - old_units if "base64," not in u]
        removed = [u for u in old_units - new_units if "base64," not in u]
        assert added and all("perte de temps" in unit.lower() for unit in added), added
        # a unit that goes is the old version of one that comes (e.g. a footnote now saying that the p of
        # « Perte de temps » differs from the published one)
        assert all("perte de temps" in old.lower() or any(new[:60] == old[:60] for new in added)
                   for old in removed), removed
    after_docx = docx_text(build(project) / "resultats.docx")
    assert new_p in after_docx
    assert changed_lines(before_docx, after_docx)
    added = set(after_docx.splitlines()) - set(before_docx.splitlines())
    removed = set(before_docx.splitlines()) - set(after_docx.splitlines())
    assert added and all("perte de temps" in line.lower() for line in added), added
    assert all("perte de temps" in old.lower() or any(new[:60] == old[:60] for new in added)
               for old in removed), removed


# ---------------------------------------------------------------- numbering, verbatims, typography

CAPTION = re.compile(r"^Table: (\w+) (\d+)\u00a0:|^!\[(\w+) (\d+)\.", re.M)


def caption_numbers(markdown: str) -> tuple[list[int], list[int]]:
    """Numbers of the tables and figures, in the order the chapter shows them."""
    tables, figures = [], []
    for match in CAPTION.finditer(markdown):
        if match.group(2):
            tables.append(int(match.group(2)))
        else:
            figures.append(int(match.group(4)))
    return tables, figures


def test_tables_and_figures_are_numbered_in_order_without_gap_or_duplicate(built_project):
    markdown = (build(built_project) / "resultats.md").read_text(encoding="utf-8")
    tables, figures = caption_numbers(markdown)
    assert tables == list(range(1, 9))  # one Table 5: its two parts share one caption
    assert figures == list(range(7, 7 + len(figures))) and len(figures) == 9  # the thesis' figures start at 7
    assert markdown.count("Table 5\u00a0:") == 1 and "**" not in markdown.replace("**Données synthétiques.**", "")
    assert "(n\u00a0=\u00a039)" in markdown.split("Table: Table 1")[1].splitlines()[0]
    discussion = markdown.split("## Éléments pour la discussion")[1]
    assert "Figure 15. Courbe de diffusion" in discussion and "[34] Guinard PC." in discussion


def test_the_chapter_quotes_a_verbatim_per_selected_category(built_project):
    registry = pd.read_csv(built_project / "results" / WAVE / "report" / "registry.csv", keep_default_na=False)
    markdown = (build(built_project) / "resultats.md").read_text(encoding="utf-8")
    selected = {"autres_freins": ["remuneration", "delais_reponse", "numerisation", "derives_usage"],
                "favoriserait": ["facilite_utilisation"], "leviers": ["sceptiques", "lassitude"]}
    for question, categories in selected.items():
        for category in categories:
            quotes = registry[registry["key"].str.startswith(f"recodage.{question}.{category}.citation.")]
            assert len(quotes) >= 1 and quotes["used_in_chapter"].all(), (question, category)
            for text in quotes["text"]:
                assert typography(f"« {escape_inline(text)} »") in markdown
    assert "Paiement de la CPAM qui est réalisé sur l'année n+1" in markdown  # marked « oui » by the coder


def test_every_generated_markdown_follows_french_typography(built_project):
    from typography_helpers import typography_problems

    files = sorted((built_project / "manuscript" / "build").rglob("*.md"))
    files += sorted((built_project / "results").rglob("registry.md")) + sorted((built_project / "results").rglob("reproduction.md"))
    assert len(files) >= 6
    problems = {str(p.relative_to(built_project)): typography_problems(p.read_text(encoding="utf-8")) for p in files}
    assert not {name: found[:5] for name, found in problems.items() if found}


def test_effect_size_intervals_agree_with_their_tests(built_project):
    """An interval never contradicts the test printed beside it (issue O): the rank-biserial interval excludes 0
    exactly when the Wilcoxon test rejects, the epsilon² lower bound is above 0 exactly when Kruskal-Wallis
    rejects, and Table 2's age (exact Fisher p = 0,005; uncorrected chi² rejects too) has a V bounded above 0."""
    tests = pd.read_csv(built_project / "results" / WAVE / "stats" / "tests.csv")
    wilcoxon = tests[(tests["effect"] == "corrélation rang-bisériale") & (tests["test"] == "wilcoxon")]
    assert len(wilcoxon)
    excludes_zero = (wilcoxon["ci_low"] > 0) | (wilcoxon["ci_high"] < 0)
    assert (excludes_zero == (wilcoxon["p_value"] < 0.05)).all()
    epsilon = tests[(tests["effect"] == "epsilon² (Kruskal-Wallis)") & (tests["test"] == "kruskal")]
    assert len(epsilon) and ((epsilon["ci_low"] > 0) == (epsilon["p_value"] < 0.05)).all()
    age = tests[(tests["table"] == "tableau_2") & (tests["variable"] == "age")]
    assert len(age) == 1 and age["ci_low"].iloc[0] > 0 and age["p_value"].iloc[0] < 0.05
