"""The generated corpus (surveykit.tools.bench.corpus): exports as Google Forms, Sheets and French Excel write them, each
with its truth; the drafter scored against that truth (a floor that can only go up)."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from surveykit.questionnaire.forms.read import read_export
from surveykit.tools.bench.corpus import (
    compare_codebook,
    draft_codebook,
    export_bytes,
    generate,
    summarise,
    write_export,
    write_truth,
)
from surveykit.tools.bench.corpus.generate import Question, _checkbox_parts

SRC = Path(__file__).resolve().parents[1] / "src"
ACCURACY_SEEDS = range(1000, 1020)
# Measured on m-corpus (drafter of main 36a2e79): 200 of 284 questions (70.4 %). The drafter is being improved
# (target ≥ 98 %): raise this floor when it is, never lower it.
ACCURACY_FLOOR = 0.89  # measured 89.8 % on m-draft with grid_choice drawn per row (engine without the type)


@pytest.mark.parametrize("seed", [0, 1, 3, 4, 5])
def test_same_seed_same_bytes(seed, tmp_path):
    assert export_bytes(generate(seed)) == export_bytes(generate(seed))
    first, second = write_truth(generate(seed), tmp_path / "a"), write_truth(generate(seed), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text(encoding="utf-8")) == generate(seed).truth


def test_formats_encodings_and_languages_all_occur():
    seen = Counter((g.format, g.encoding, g.language) for g in map(generate, range(60)))
    assert {f for f, _e, _l in seen} == {"forms_csv", "sheets_xlsx", "excel_csv"}
    assert {e for _f, e, _l in seen} == {"utf-8", "cp1252", "utf-8-sig"}
    assert {lang for _f, _e, lang in seen} == {"fr", "en"}


def test_every_question_type_and_vocabulary_occurs():
    truths = [generate(seed).truth for seed in range(60)]
    types = Counter(q["type"] for t in truths for q in t["questions"])
    assert set(types) == {"single", "checkbox", "scale", "number", "date", "text", "grid_scale", "grid_rank",
                          "grid_choice"}
    details = Counter(q["detail"] for t in truths for q in t["questions"])
    for detail in ("frequency", "agreement", "satisfaction", "intensity", "yes/no", "classes", "nominal", "year",
                   "recurring open", "free text", "linear scale"):
        assert details[detail] > 0, detail
    levels = {level for t in truths for q in t["questions"] for level in (q.get("levels") or [])}
    assert {"Je ne connais pas cet outil", "Ne sait pas", "Ne se prononce pas", "Don't know"} <= levels
    assert any(q.get("asked_if") for t in truths for q in t["questions"])
    assert any(q.get("denominator") == "answered" for t in truths for q in t["questions"])
    assert any(q.get("denominator") == "asked" for t in truths for q in t["questions"])
    assert any("," in o["raw"] for t in truths for q in t["questions"] if q["type"] == "single"
               for o in q.get("options", []))


@pytest.mark.parametrize("seed", [0, 2, 3, 6, 11])
def test_export_reads_back_as_generated(seed, tmp_path):
    """The file, read by the pipeline's reader, holds the generated headers and cells (grids as `Q [Row]`)."""
    export = generate(seed)
    path = write_export(export, tmp_path)
    read = read_export(path)
    assert list(read.headers) == export.headers
    assert len([r for r in read.rows if any(r)]) == export.truth["respondents"]
    first = export.truth["questions"][0]
    headers = [f"{first['header']} [{i['row']}]" for i in first["items"]] if "items" in first else [first["header"]]
    assert set(headers) <= set(read.headers)


def test_french_excel_csv_is_semicolon_windows_1252_or_bom():
    export = next(g for g in map(generate, range(40)) if g.format == "excel_csv" and g.encoding == "cp1252")
    data = export_bytes(export)
    text = data.decode("cp1252")
    assert not data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[0] in ("Horodateur", "Timestamp")
    bom = next(g for g in map(generate, range(40)) if g.encoding == "utf-8-sig")
    assert export_bytes(bom).startswith(b"\xef\xbb\xbf")


def test_timestamps_carry_time_zones_in_both_orders():
    styles = {generate(seed).truth["timestamp"]["style"] for seed in range(80)}
    assert any("UTC" in s for s in styles) and any("GMT" in s for s in styles)
    assert {"day-first", "month-first"} <= {s.split(",")[0] for s in styles}


def test_checkbox_cells_keep_options_with_commas_whole():
    question = Question("checkbox", "Q", False, options=["Aide à la décision (scores, calculateurs)", "Téléphone"])
    assert _checkbox_parts("Aide à la décision (scores, calculateurs), Téléphone, PMI, le soir", question) == \
        ["Aide à la décision (scores, calculateurs)", "Téléphone", "PMI, le soir"]


def test_personal_data_is_planted_where_a_drafter_must_not_copy_it(tmp_path):
    """Every planted string is in its export (so a test that finds none downstream is meaningful), and the kinds
    the issue lists all occur: e-mails, phones, lower-case « dr martin lefebvre », bare names, RPPS numbers."""
    planted, texts = [], []
    for seed in range(30):
        export = generate(seed)
        text = export_bytes(export).decode("utf-8-sig", errors="replace") if export.suffix == ".csv" else \
            "\n".join(str(v) for row in export.rows for v in row)
        for value in export.pii:
            assert value in text or value in export_bytes(export).decode("cp1252", errors="replace"), (seed, value)
        planted += export.pii
        texts += [str(v) for row in export.rows for v in row]
    assert any("@" in p for p in planted)
    assert any(p.isdigit() and len(p) == 11 for p in planted)  # RPPS
    assert any(t.startswith("voir avec dr ") or t.startswith("voir avec docteur ") for t in texts)
    assert any(" de la CPTS" in t and t[:1].islower() for t in texts)  # « martin lefebvre de la CPTS »


def test_compare_scores_each_aspect():
    truth = {"seed": 1, "questions": [
        {"header": "Fréquence ?", "type": "single", "detail": "frequency",
         "options": [{"raw": r, "label": r} for r in ["Jamais", "Souvent", "Ne sait pas"]],
         "levels": ["Jamais", "Souvent", "Ne sait pas"]},
        {"header": "Outils", "type": "checkbox", "detail": "checkbox", "denominator": "answered",
         "options": [{"raw": "A, B", "label": "A, B"}, {"raw": "C", "label": "C"}], "levels": None},
        {"header": "Note", "type": "scale", "detail": "linear scale", "min": 0, "max": 10},
        {"header": "Grille", "type": "grid_choice", "detail": "agreement", "items": [{"row": "x"}, {"row": "y"}],
         "options": [{"raw": "Oui", "label": "Oui"}], "levels": ["Oui"]},
    ]}
    drafted = {"questions": [
        {"id": "f", "header": "Fréquence ?", "type": "single", "options": [{"raw": r, "label": r} for r in
                                                                        ["Souvent", "Jamais", "Ne sait pas"]],
         "levels": ["Jamais", "Ne sait pas", "Souvent"]},
        {"id": "o", "header": "Outils", "type": "checkbox", "options": [{"raw": "C", "label": "C"},
                                                                        {"raw": "A, B", "label": "A, B"}],
         "levels": ["C", "A, B"]},
        {"id": "n", "header": "Note", "type": "scale", "min": 0, "max": 8},
        {"id": "g1", "header": "Grille [x]", "type": "single"}, {"id": "g2", "header": "Grille [y]", "type": "single"},
        {"id": "e", "header": "Adresse e-mail", "type": "text"},
    ]}
    result = compare_codebook(drafted, truth)
    assert (result.questions, result.matched) == (4, 1)
    assert [m.aspect for m in result.misses] == ["levels", "bounds", "type"]
    assert result.misses[2].kind == "agreement: type grid_choice → single, one per row"
    assert [m.aspect for m in result.side] == ["denominator"]
    assert result.extra == ["Adresse e-mail"]


def test_drafter_accuracy_floor(tmp_path):
    """Draft 20 generated exports and score them against their truth; print every miss."""
    comparisons = []
    for seed in ACCURACY_SEEDS:
        export = generate(seed)
        comparisons.append(compare_codebook(draft_codebook(write_export(export, tmp_path)), export.truth))
    summary = summarise(comparisons)
    print(f"\n{summary['matched']}/{summary['questions']} = {summary['rate']:.1%}; by type {summary['by_type']}")
    for kind, n in summary["miss_kinds"]:
        print(f"  {n} × {kind}")
    assert summary["rate"] >= ACCURACY_FLOOR


def test_bench_section_lists_every_miss_and_replaces_itself(tmp_path):
    """The BENCHMARKS.md section: match rate, every miss by kind, build failures; rewritten in place, before the
    Fisher section, the rest of the file kept."""
    from surveykit.tools.bench.corpus.run import SECTION, replace_section, section

    comparisons = []
    for seed in range(1003, 1013):  # enough exports for the drafter to miss something
        export = generate(seed)
        comparisons.append(compare_codebook(draft_codebook(write_export(export, tmp_path)), export.truth))
    summary = summarise(comparisons)
    build = {"built": [], "failures": {"vague_1003": [("recode_wave", "IndexError: list index out of range")]},
             "kinds": [(("recode_wave", "IndexError: list index out of range"), 1)]}
    timing = {"seeds": "1003–1003", "draft": 1.0, "build": 20.0, "build_waves": 1}
    lines = section(summary, [], {"stopped": 0, "stopped_examples": []}, build, timing)
    text = "\n".join(lines)
    assert f"{summary['matched']} / {summary['questions']}" in text
    assert all(m.line() in text for m in summary["misses"]) and summary["misses"]
    assert "| 1 | recode_wave | IndexError: list index out of range |" in text
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\n| a | b |\n\n## Exact r × c Fisher test beside R\n\nfisher\n", encoding="utf-8")
    replace_section(out, lines, before="## Exact r × c Fisher test beside R")
    replace_section(out, lines, before="## Exact r × c Fisher test beside R")
    written = out.read_text(encoding="utf-8")
    assert written.count(SECTION) == 1
    assert written.index("| a | b |") < written.index(SECTION) < written.index("## Exact r × c Fisher")
    assert written.endswith("fisher\n")


def test_same_bytes_in_another_process_whatever_the_hash_seed():
    """No set or dict order leaks into an export or its truth (Python randomises string hashes per process)."""
    import os
    import subprocess
    import sys

    code = ("import hashlib, json; from surveykit.tools.bench.corpus import generate, export_bytes; h = hashlib.sha256()\n"
            "for s in range(12):\n    g = generate(s); h.update(export_bytes(g)); "
            "h.update(json.dumps(g.truth, sort_keys=True).encode())\nprint(h.hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(SRC))).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1 and len(digests.pop()) == 65
