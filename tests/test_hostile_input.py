"""Broken and hostile input, function by function: clear messages, nothing evaluated, limits in one pass.

The same cases run through the whole Snakefile in test_hostile_pipeline.py (exit status, data/raw/,
outputs grepped for the payload)."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import CODEBOOK, SMALL_EXPORT, write_rows, write_workbook

from surveykit.clean.cleaning import clean_file
from surveykit.core import csvsafe
from surveykit.core.errors import InputError
from surveykit.core.yamlio import load_yaml
from surveykit.manuscript.chapter import markdown_table
from surveykit.manuscript.markup import escape
from surveykit.project.configcheck import check_config, check_config_file
from surveykit.questionnaire.forms.read import Limits, read_export

# ---------------------------------------------------------------- CSV that spreadsheets open as text

@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("'déjà", "''déjà"), ("-", "'-"),
    ("-1", "-1"), ("-0.25", "-0.25"), ("+3", "+3"), ("-1,5", "-1,5"), ("-inf", "-inf"), ("texte", "texte"),
])
def test_csv_cells_are_neutralised_reversibly(tmp_path, cell, written):
    path = tmp_path / "t.csv"
    csvsafe.write_csv(pd.DataFrame({"answer": [cell], "n": [1]}), path)
    with path.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["answer"] == written
    assert csvsafe.read_csv(path, dtype=str, keep_default_na=False)["answer"].tolist() == [cell]


def test_csv_numbers_keep_their_type_through_the_round_trip(tmp_path):
    frame = pd.DataFrame({"label": ["=x", "'y", "z"], "value": [-1.5, 2.0, -3.0], "n": [1, 2, 3]})
    csvsafe.write_csv(frame, tmp_path / "t.csv")
    pd.testing.assert_frame_equal(csvsafe.read_csv(tmp_path / "t.csv"), frame)


# ---------------------------------------------------------------- reading limits

def _export_with(tmp_path, small_rows, header: str, row: int, text: str, name="export.csv"):
    rows = [list(r) for r in small_rows]
    rows[row - 1][rows[0].index(header)] = text
    return write_rows(tmp_path / name, rows)


def test_control_characters_are_removed_and_named_with_row_and_column(tmp_path, small_rows, codebook):
    path = _export_with(tmp_path, small_rows, "Autres freins identifiés", 3, "Temps\x1b[31m perdu\x0b ici\x00")
    result = clean_file(path, codebook)
    assert result.responses.set_index("respondent_id").loc["R00003", "autres_freins"] == "Temps[31m perdu ici"
    assert (f'{path}, row 3, column "Autres freins identifiés": control character(s) U+0000, U+000B, U+001B '
            "removed (no spreadsheet cell can hold them)") in result.messages


def test_an_answer_over_the_limit_quarantines_its_row_with_row_and_column(tmp_path, small_rows, codebook):
    path = _export_with(tmp_path, small_rows, "Autres freins identifiés", 4, "x" * 5_000_000)
    result = clean_file(path, codebook)
    (detail,) = result.excluded.loc[result.excluded["sheet_row"] == 4, "detail"]
    assert detail == (f'{path}, row 4, column "Autres freins identifiés": an answer of 5000000 characters — '
                      "expected at most 100000 (config: limits: max_answer_chars)")
    assert "xxxx" not in result.excluded.to_csv() and "R00004" not in set(result.responses["respondent_id"])


def test_the_answer_limit_is_the_same_for_xlsx(tmp_path, small_rows, codebook):
    book = openpyxl.Workbook()
    for row in small_rows:
        book.active.append(row)
    book.active.cell(row=5, column=small_rows[0].index("Autres freins identifiés") + 1, value="y" * 200)
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = clean_file(path, codebook, Limits(max_answer_chars=150))
    assert result.excluded.loc[result.excluded["sheet_row"] == 5, "detail"].tolist() == [
        f'{path}, row 5, column "Autres freins identifiés": an answer of 200 characters — expected at most 150 '
        "(config: limits: max_answer_chars)"]


def test_a_100000_character_answer_is_within_the_default_limit(tmp_path, small_rows, codebook):
    path = _export_with(tmp_path, small_rows, "Autres freins identifiés", 3, "mot " * 24_999 + "fin.")
    result = clean_file(path, codebook)
    assert len(result.responses.set_index("respondent_id").loc["R00003", "autres_freins"]) == 100_000


def test_an_invalid_utf8_byte_is_reported_with_row_and_column(tmp_path):
    data = SMALL_EXPORT.read_bytes()
    lines = data.split(b"\n")
    lines[4] = lines[4].replace(b"Masculin", b"Mascul\xffin", 1).replace(b"F\xc3\xa9minin", b"F\xc3\xa9min\xffin", 1)
    path = tmp_path / "export.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == (
        f'{path}, row 5, column "Sexe": byte 0xff at character 7 of the cell is not valid UTF-8, and the rest of '
        "the file is UTF-8; expected the file saved again in UTF-8 (CSV UTF-8) or the cell retyped")


def test_windows1252_is_used_only_when_no_character_reads_as_utf8_and_it_is_said(tmp_path, small_rows):
    path = write_rows(tmp_path / "excel.csv", small_rows, delimiter=";", encoding="cp1252")
    export = read_export(path)
    assert export.encoding == "cp1252" and "Êtes-vous médecin généraliste :" in export.headers
    assert export.notices == (f"{path}: not valid UTF-8 and every byte reads as Windows-1252: read as "
                              "Windows-1252 (as French Excel saves CSV)",)


def _with_quoted_gender(tmp_path, line: int, masculin: str, feminin: str) -> Path:
    """The small export with the gender cell of one line rewritten (a broken quote)."""
    lines = SMALL_EXPORT.read_text(encoding="utf-8").split("\n")
    lines[line] = lines[line].replace(",Masculin,", masculin, 1).replace(",Féminin,", feminin, 1)
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_an_unterminated_quote_names_the_row_where_it_opens(tmp_path):
    path = _with_quoted_gender(tmp_path, 6, ',"Masculin,', ',"Féminin,')
    with pytest.raises(InputError, match=rf'{path}, row 7: not valid CSV from line \d+ of the file \(unexpected end '
                                         r'of data\); a quoted cell \(starting with "\) is never closed'):
        read_export(path)


def test_text_after_a_closing_quote_names_its_row(tmp_path):
    path = _with_quoted_gender(tmp_path, 3, ',"Mas"culin,', ',"Fém"inin,')
    with pytest.raises(InputError, match=rf"{path}, row 4: not valid CSV from line 4 of the file \(',' expected "
                                         r"after '\"'\); expected cells separated by the delimiter"):
        read_export(path)


def test_the_sheet_whose_headers_match_is_read(tmp_path, small_rows, codebook):
    sheets = {"Notes": [["Enquête 2025"], ["brouillon"]], "Réponses": small_rows}
    path = write_workbook(tmp_path / "export.xlsx", sheets)
    result = clean_file(path, codebook)
    pd.testing.assert_frame_equal(result.responses, clean_file(SMALL_EXPORT, codebook).responses)
    assert f"{path}: answers read from sheet 'Réponses' (its headers match the questionnaire)" in result.messages


def test_no_matching_sheet_names_the_sheets(tmp_path, codebook):
    path = write_workbook(tmp_path / "export.xlsx", {"Notes": [["Enquête 2025"]], "Graphiques": [["Total"]]})
    with pytest.raises(InputError) as error:
        clean_file(path, codebook)
    assert str(error.value).startswith(
        f"{path}: no sheet of the workbook has the questionnaire's headers in row 1 (sheets: 'Notes', 'Graphiques'); "
        f"on the first sheet 'Notes': {path}, row 1: required question 1 is missing")


def test_a_workbook_declaring_a_huge_sheet_is_refused_before_loading(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Horodateur"
    book.active["XFD1048576"] = "x"
    path = tmp_path / "huge.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == (f"{path}: sheet 'Sheet' declares 1048576 rows and 16384 columns; expected at most "
                                "1000000 responses and 2000 columns (config: limits: max_rows, max_columns)")


def test_a_sheet_that_lies_about_its_size_is_stopped_while_reading(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Horodateur"
    book.active["A200"] = "x"
    path = tmp_path / "lying.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"].replace(b'ref="A1:A200"', b'ref="A1"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match=r"lying\.xlsx: sheet 'Sheet', row 101: more than 99 responses"):
        read_export(path, Limits(max_rows=99))


def zip_bomb(path, cell_bytes: int):
    """A valid workbook whose one cell is `cell_bytes` long: a few KB on disk."""
    book = openpyxl.Workbook()
    book.active["A1"] = "Horodateur"
    book.active["A2"] = "PLACEHOLDER"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = entries[sheet].replace(b"PLACEHOLDER", b"A" * cell_bytes)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_a_workbook_whose_content_is_out_of_proportion_is_refused_before_loading(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", 50_000_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match=rf"{path}: the workbook's \d+ KB uncompress to 50\.0 MB \(ratio \d+\); "
                                         r"expected at most 100 \(config: limits: max_compression_ratio\)"):
        read_export(path)
    with pytest.raises(InputError, match=r"workbook whose content uncompresses to 50\.0 MB; expected at most 20 MB"):
        read_export(path, Limits(max_file_mb=20, max_compression_ratio=10_000))


def test_a_csv_over_the_size_limit_is_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match=r"export_small\.csv: file of 0\.0 MB; expected at most 0\.001 MB"):
        read_export(SMALL_EXPORT, Limits(max_file_mb=0.001))


# ---------------------------------------------------------------- YAML and config

BILLION_LAUGHS = "\n".join(
    ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{i}: &{chr(98 + i)} {{{', '.join(f'x{j}: *{chr(97 + i)}' for j in range(9))}}}" for i in range(9)])


def test_yaml_aliases_are_refused_before_anything_is_built(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_yaml(path)
    assert str(error.value) == (f"{path}, line 2: YAML alias *a is not allowed; write the value out in full: an "
                                "alias can make a small file expand into gigabytes when it is validated")
    with pytest.raises(InputError, match=r"line 2: YAML alias \*a is not allowed"):
        check_config_file(path)


def test_a_shared_structure_in_the_config_is_refused():
    shared = ["a"] * 3
    with pytest.raises(InputError, match=r"config\.yaml: the same list or mapping appears twice \(a YAML alias\)"):
        check_config({"waves": {"w": {"label": "W", "export": "x.csv"}}, "extra": [shared, shared]})


@pytest.mark.parametrize("name", ["waves", "logs", "benchmarks"])
def test_reserved_wave_names_are_refused(name):
    with pytest.raises(InputError) as error:
        check_config({"waves": {name: {"label": "W", "export": "x.csv"}}})
    assert str(error.value) == (f"config.yaml: waves: {name!r} is a reserved name (the pipeline writes results/{name}/ "
                                "for itself; reserved: benchmarks, logs, waves); expected another wave name")


def test_every_bundled_yaml_file_is_alias_free():
    for path in sorted(CODEBOOK.parents[2].rglob("*.yaml")):  # every YAML file under data/
        load_yaml(path)


# ---------------------------------------------------------------- labels in the chapter

@pytest.mark.parametrize("label, markdown", [
    ('<script>alert(1)</script> x', "&lt;script>alert(1)&lt;/script> x"),
    ('Vague "2025"', "Vague &quot;2025&quot;"),
    ("[clic](javascript:alert(1)) [x]{onclick=a} `c`{onclick=b} [r][1] [1]: javascript:x",
     "[clic&#93;(javascript:alert(1)) [x]&#123;onclick=a} &#96;c&#96;&#123;onclick=b} [r&#93;[1] [1&#93;: javascript:x"),
    ("médiane 9,0 [7,0–9,0] (quartiles)", "médiane 9,0 [7,0–9,0] (quartiles)"),
    ("a\n---\nb\\c", "a --- b&#92;c"),
    ("< 35 ans, l'âge", "< 35 ans, l'âge"),
])
def test_labels_are_escaped_for_markdown(label, markdown):
    assert escape(label) == markdown


def test_table_cells_titles_and_footnotes_are_escaped():
    table = {"title": "T <b>", "footnote": "n <img src=x onerror=alert(1)>.",
             "columns": ["Variable", "Ensemble"], "rows": [["a|b <script>", "1"]]}
    text = markdown_table([table], escape(table["title"]))
    assert "<script>" not in text and "<b>" not in text and "<img" not in text
    assert "| a&#124;b &lt;script> | 1 |" in text and "Table: T &lt;b>" in text


def test_dollar_signs_in_labels_are_drawn_as_text_not_parsed_as_tex(tmp_path):
    """A label such as « Coût $\\sqrt{$ » made matplotlib's mathtext parser raise; labels are plain text."""
    from surveykit.figures import draw
    from surveykit.figures.style import apply_style, save

    apply_style()
    levels = pd.DataFrame({"label": ["Coût $\\frac{$ élevé", "Prix $x$ et $y$"], "n": [3, 5], "pct": [37.5, 62.5]})
    fig = draw.bars(levels, "Nombre de $\\sqrt{$ répondants")
    texts = [t.get_text() for t in fig.findobj(lambda artist: hasattr(artist, "get_text"))]
    save(fig, tmp_path / "dollars.png", tmp_path / "dollars.svg")
    assert (tmp_path / "dollars.png").stat().st_size > 0 and (tmp_path / "dollars.svg").stat().st_size > 0
    assert any("$\\sqrt{$" in text for text in texts)
