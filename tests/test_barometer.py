"""The second bundled study, the national barometer: its published numbers (subgroups, « près de », options of
multi-response questions), its synthetic wave reconstructed from them (deterministic, every number reached on
the export as the cleaner reads it), and its reproduction report in the bundled pipeline run."""
from __future__ import annotations

import csv
import importlib.util
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from surveykit.clean.cleaning import clean_file
from surveykit.core.errors import InputError
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.export import export_frame
from surveykit.reproduction.published import check_against_codebook, load_publication, load_published
from surveykit.reproduction.reproduce import reproduce
from surveykit.tools.reconstruct import verify
from surveykit.tools.reconstruct.output import read_canonical
from surveykit.tools.reconstruct.survey import CountTarget, count_targets, load_spec, reconstruct_survey

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "data" / "studies" / "barometre_numerique"
PUBLISHED = STUDY / "published" / "barometre_2025.yaml"
SPEC = STUDY / "reconstruction" / "spec.yaml"
EXPORT = ROOT / "data" / "raw" / "barometre_2025" / "export.csv"


@pytest.fixture(scope="module")
def book():
    return load_codebook(STUDY / "codebook.yaml")


@pytest.fixture(scope="module")
def publication():
    return load_publication(PUBLISHED)


@pytest.fixture(scope="module")
def rebuilt(book, publication):
    return reconstruct_survey(publication, book, load_spec(SPEC))


# ------------------------------------------------------------------------------ published numbers

def test_every_published_number_is_transcribed_with_its_subgroup(publication, book):
    items = {item.ref: item for item in publication.items}
    assert len(items) == 45 and publication.n_analysed == 760
    check_against_codebook(list(publication.items), book, str(PUBLISHED))
    doctors = items["§1 Adoption · 66 % des médecins devant leurs patients"]
    assert (doctors.by, doctors.group, doctors.among, doctors.numbers["pct"].text) == (
        "profession_groupe", "Médecins", (("utilise", "Oui"),), "66")
    daily = items["Chapeau · dont plusieurs fois par jour"]
    assert (daily.variable, daily.level, daily.among) == ("frequence", ("Plusieurs fois par jour",), (("utilise", "Oui"),))
    near = items["§1 Adoption · près de deux tiers des soignants devant leurs patients"]
    assert (near.qualifier, near.numbers["pct"].text, near.printed) == ("près de", "66,7", "près de deux tiers")
    positive = items["Chapeau · impact positif sur la qualité des soins"]
    assert positive.level == ("Plutôt positif", "Très positif")
    assert sum(int(items[r].numbers["pct"].text) for r in items if r.startswith("Méthodologie · professions")) == 100
    assert sum(int(items[r].numbers["pct"].text) for r in items if r.startswith("Méthodologie · âge")) == 100


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = PUBLISHED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "published.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ('among: {utilise: "Oui"}, pct: "70"', 'among: {utilise: "Toujours"}, pct: "70"',
     r"among: 'Toujours' is not a label of 'utilise'"),
    ('level: "Téléconsultation", among', 'level: ["Téléconsultation", "Télé-expertise"], among',
     r"options of the multi-response question 'usages' are counted one at a time"),
])
def test_subgroups_and_options_are_checked_against_the_codebook(tmp_path, book, old, new, message):
    with pytest.raises(InputError, match=message):
        check_against_codebook(load_published(_variant(tmp_path, old, new)), book, "x")


def test_among_is_only_for_counts(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text('source: s\nwave: w\nn_analysed: 3\nitems:\n  - {ref: a, kind: mean_sd, variable: v, mean: "1", '
                    'sd: "1", n: 3, among: {v: "x"}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="item 1 « a »"):
        load_published(path)


def test_count_ranges_of_printed_percentages():
    whole = CountTarget("r", ("Oui",), (), Fraction(175, 2), Fraction(177, 2), "pct=88")
    assert whole.count_range(760) == (666, 672)  # 665/760 = 87,5 % exactly: a tie, left out
    near = CountTarget("r", ("Oui",), (), Fraction(617, 10), Fraction(667, 10), "pct=66,7", None, False, False)
    assert near.count_range(669) == (413, 446)


def test_targets_follow_derived_variables_back_to_the_question(publication, book):
    targets = count_targets(publication, book)
    doctors = [t for t in targets["profession"] if t.printed == "pct=54"]
    # « 54 % de médecins » twice (introduction, methodology), on two derived variables: one target
    assert [t.levels for t in doctors] == [("Médecin généraliste", "Médecin spécialiste")]
    others = [t for t in targets["profession"] if t.ref.endswith("autres professionnels")][0]
    assert others.levels == ("Masseur-kinésithérapeute", "Ostéopathe", "Chirurgien-dentiste", "Sage-femme",
                             "Autre profession")
    assert len(targets["utilise"]) == 1  # the repeat of « 88 % » is one target


# ------------------------------------------------------------------------------- reconstruction

def test_the_reconstruction_is_deterministic_and_committed(rebuilt, book):
    committed = read_canonical(STUDY / "reconstruction" / "barometre_2025_canonical.csv")
    assert rebuilt.table.astype(str).equals(committed.astype(str))
    frame = export_frame(rebuilt.table, book)
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(frame.columns) and len(rows) == 761
    assert [list(r) for r in frame.astype(str).itertuples(index=False)] == rows[1:]


def test_every_published_number_is_reached_on_the_export(book, publication):
    cleaned = clean_file(EXPORT, book)
    assert (cleaned.flow["received"], cleaned.flow["analysed"]) == (760, 760)
    checks = verify(cleaned.responses, publication, book, {})
    assert [c.ref for c in checks if not c.ok] == []
    assert len(checks) == 45
    report = (STUDY / "reconstruction" / "reconstruction_report.md").read_text(encoding="utf-8")
    assert "- ok : 45" in report and "SYNTHÉTIQUE" in report


def test_reconstruction_choices_show_in_the_answers(book):
    responses = clean_file(EXPORT, book).responses
    users = responses[responses["utilise"] == "Oui"]
    assert (responses.loc[responses["utilise"] == "Non", ["frequence", "usages", "devant_patients"]] == "").all().all()
    decision = users["usages"].str.contains("Aide à la décision médicale", regex=False)
    by_group = decision.groupby(users["profession_groupe"]).mean()
    assert by_group["Médecins"] > 1.5 * by_group["Autres professionnels"]
    assert responses["submitted"].between("2024-11-16", "2025-01-15").all()
    others = responses.loc[responses["obstacles"].str.contains("Autre obstacle"), "obstacles_autre"]
    assert len(others) and others.is_unique  # free texts typed once each


def test_unreachable_percentages_are_refused_with_their_ranges(book, publication, tmp_path):
    spec = load_spec(SPEC)
    text = PUBLISHED.read_text(encoding="utf-8").replace(
        'level: "Plus de 50 ans", pct: "50"', 'level: "Plus de 50 ans", pct: "60"')
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"age: the published percentages cannot all be reached together.*"
                                         r"Méthodologie · âge · plus de 50 ans : pct=60 → 453 à 459 sur 760"):
        reconstruct_survey(load_publication(path), book, spec)


def test_the_reconstruction_script_writes_what_is_committed(tmp_path):
    """The script's outputs, written to a scratch copy of the spec's paths, equal the committed files."""
    spec_text = SPEC.read_text(encoding="utf-8")
    for name in ("barometre_2025_canonical.csv", "reconstruction_report.md"):
        spec_text = spec_text.replace(f"data/studies/barometre_numerique/reconstruction/{name}", str(tmp_path / name))
    spec_text = spec_text.replace("data/raw/barometre_2025/export.csv", str(tmp_path / "export.csv"))
    spec_text = spec_text.replace("data/studies/barometre_numerique/coding/barometre_2025/reconstruction_main.csv",
                                  str(tmp_path / "coding.csv"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location("reconstruct_wave", ROOT / "scripts" / "reconstruct_wave.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    assert module.main([str(spec)]) == 0
    assert (tmp_path / "export.csv").read_bytes() == EXPORT.read_bytes()
    assert (tmp_path / "coding.csv").read_bytes() == (
        STUDY / "coding" / "barometre_2025" / "reconstruction_main.csv").read_bytes()
    ours = (tmp_path / "reconstruction_report.md").read_text(encoding="utf-8")
    committed = (STUDY / "reconstruction" / "reconstruction_report.md").read_text(encoding="utf-8")
    strip = lambda text: [line for line in text.splitlines() if not line.startswith(  # noqa: E731
        ("- canonical", "- report", "- export", "- coding", "- Graine"))]
    assert strip(ours) == strip(committed)


# ------------------------------------------------------------------------------ reproduction

def test_a_percentage_of_the_wrong_subgroup_is_flagged():
    items = load_published(PUBLISHED)
    item = next(i for i in items if i.ref == "Chapeau · dont plusieurs fois par jour")
    descriptives = pd.DataFrame([
        {"table": "t", "variable": "frequence", "level": "Plusieurs fois par jour", "group": "Ensemble", "n": 470,
         "denominator": 760, "pct": 61.8, "mean": float("nan")},
        {"table": "t", "variable": "utilise", "level": "Oui", "group": "Ensemble", "n": 669, "denominator": 760,
         "pct": 88.0, "mean": float("nan")}])
    table = reproduce([item], descriptives, pd.DataFrame(columns=["variable", "by", "p_value", "test"]),
                      pd.DataFrame(columns=["question", "category", "n", "pct"]), pd.DataFrame(
                          columns=["ref", "check", "status", "published", "recomputed", "explanation"]))
    row = table.iloc[0]
    assert not row["match"]
    assert "dénominateur recalculé 760 ≠ effectif du sous-groupe (utilise = Oui) 669" in row["explanation"]


@pytest.mark.pipeline
def test_the_bundled_run_regenerates_every_published_number(built_project):
    table = pd.read_csv(built_project / "results" / "barometre_2025" / "reproduction.csv", keep_default_na=False)
    assert len(table) == 45 and table["match"].all()
    near = table[table["ref"].str.startswith("§1 Adoption · près de deux tiers")].iloc[0]
    assert 61.7 <= near["regenerated_value"] <= 66.7
    report = (built_project / "results" / "barometre_2025" / "reproduction.md").read_text(encoding="utf-8")
    report = report.replace("\u00a0", " ").replace("\u202f", " ")
    assert "- 45 nombres publiés, tous retrouvés à la précision publiée." in report and "dont 45" not in report
    assert report.count("Aucun écart") == 1 and "5 vérifications, aucun signalement." in report
    annex = report.split("## Annexe : tous les nombres publiés")[1]
    assert annex.count("| oui |") == 45 and "| non |" not in annex
    assert "| §1 Adoption · 66 % des médecins devant leurs patients | pourcentage | 66 | 66 | oui |" in annex
    chapter = (built_project / "manuscript" / "build" / "barometre_2025" / "resultats.md").read_text(encoding="utf-8")
    assert "Données synthétiques" in chapter and "Adhésion des patients" in chapter
    assert "Tableau 9" in chapter and "Figure 9" in chapter
    tests = pd.read_csv(built_project / "results" / "barometre_2025" / "stats" / "tests.csv", keep_default_na=False)
    assert set(tests["by"]) == {"profession_groupe", "age"}
    per_option = tests[(tests["variable"] == "usages") & (tests["by"] == "profession_groupe")]
    assert len(per_option) == 7 and (per_option["level"] != "").all()


def test_a_bar_chart_caption_gives_the_respondents_asked_as_its_axis_does(built_project):
    """Figure 4 is about the users of digital tools (669), not the 760 respondents: caption, axis and data agree."""
    chapter = (built_project / "manuscript" / "build" / "barometre_2025" / "resultats.md").read_text(encoding="utf-8")
    captions = {line.split("](")[0] for line in chapter.splitlines() if line.startswith("![")}
    tidy = pd.read_csv(built_project / "results" / "barometre_2025" / "stats" / "descriptives.csv",
                       keep_default_na=False, dtype=str)
    asked = int(tidy[(tidy["variable"] == "benefices") & (tidy["group"] == "Ensemble")]["denominator"].astype(float).max())
    assert asked == 669
    assert "![Figure 4. Bénéfices des outils numériques pour la pratique (utilisateurs, n\u00a0=\u00a0669)" in captions
    assert "![Figure 2. Professions des répondants (n\u00a0=\u00a0760)" in captions


def _whole_sample_cells(chapter: str) -> dict[str, list[str]]:
    """Modalité -> the whole-sample cells of the chapter's tables (column « Ensemble … » or « n (%) »)."""
    cells: dict[str, list[str]] = {}
    header: list[str] = []
    for line in chapter.splitlines():
        if line.startswith("|") and set(line) <= set("|:- "):  # the alignment row
            continue
        if not line.startswith("| "):
            header = []
            continue
        row = [c.strip() for c in line.strip("|").split(" | ")]
        if not header:
            header = row
            continue
        whole = [i for i, name in enumerate(header) if name.startswith("Ensemble") or name == "n (%)"]
        if "Modalité" in header and whole:
            cells.setdefault(row[header.index("Modalité")], []).append(row[whole[0]])
    return cells


@pytest.mark.pipeline
def test_every_headline_number_of_the_press_release_is_printed_in_the_chapter(built_project, publication):
    """The overall column (`overall: true`) and the rows adding up levels (`combine`) print each whole-sample
    percentage of the press release: « 70 % plusieurs fois par jour », « 93 % un impact positif », 68 %, 51 %…"""
    import yaml
    plan = yaml.safe_load((STUDY / "analysis_plan.yaml").read_text(encoding="utf-8"))
    combined = {tuple(c["levels"]): c["label"] for t in plan["tables"] for c in t.get("combine", [])}
    chapter = (built_project / "manuscript" / "build" / "barometre_2025" / "resultats.md").read_text(encoding="utf-8")
    cells = _whole_sample_cells(chapter.replace("\u00a0", " "))
    checked = 0
    for item in publication.items:
        if item.kind != "count" or item.group or "pct" not in item.numbers or item.qualifier:
            continue
        name = item.level[0] if len(item.level) == 1 else combined[tuple(item.level)]
        printed = [float(c.split("(")[1].split(" %")[0].replace(",", ".")) for c in cells.get(name, []) if "(" in c]
        published = item.numbers["pct"].value
        assert any(abs(p - published) <= 0.5 for p in printed), (item.ref, name, printed)
        checked += 1
    assert checked >= 40
    assert "| Impact positif (plutôt ou très) | 707 (93,0 %) |" in chapter.replace("\u00a0", " ")  # one decimal: the plan's `percent`
    assert "Différence (points) [IC 95 %]" in chapter and "p ajustée (Holm)" in chapter
