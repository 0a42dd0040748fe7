"""The Word and HTML conversion, piece by piece: figure metrics, column widths, captions, reference document."""
from __future__ import annotations

import glob
import hashlib
import logging
import re
import zipfile
from pathlib import Path

import docx
import matplotlib.pyplot as plt
import pypandoc
import pytest
from conftest import word_fields
from docx.oxml.ns import qn
from PIL import Image

from surveykit.core.errors import InputError
from surveykit.figures import metadata
from surveykit.figures.style import apply_style, save
from surveykit.manuscript import docx as docx_module
from surveykit.manuscript import pandoc_ast, table_layout, textmetrics
from surveykit.manuscript.convert import convert_markdown
from surveykit.manuscript.docx import CAPTION_NUMBER, page_of
from surveykit.manuscript.pandoc_run import print_widths
from surveykit.manuscript.reference_docx import build_reference

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "manuscript" / "reference.docx"
CSS = ROOT / "manuscript" / "style.css"


# --- figure metrics recorded in the PNG ---------------------------------------------------------------

def draw(tmp_path: Path, name: str, figsize=(8, 4.5), smallest=6.5, axis_off=False) -> Path:
    apply_style()
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot([1, 2, 3], [3, 1, 2], label="série")
    ax.legend(fontsize=9)
    ax.text(2, 2, "petite note", fontsize=smallest)
    ax.set_title("Titre", fontsize=11)
    if axis_off:
        ax.set_axis_off()
    png = tmp_path / f"{name}.png"
    save(fig, png, tmp_path / f"{name}.svg")
    return png


def test_png_records_natural_size_and_smallest_font(tmp_path):
    png = draw(tmp_path, "a", smallest=6.5)
    metrics = metadata.read_png(png)
    with Image.open(png) as image:
        width_px, height_px = image.size
    assert metrics.width_in == pytest.approx(width_px / 300, abs=1.5 / 300)
    assert metrics.height_in == pytest.approx(height_px / 300, abs=1.5 / 300)
    assert metrics.min_font_pt == 6.5  # the note, smaller than the legend (9), ticks (11) and title


def test_smallest_font_counts_only_drawn_text(tmp_path):
    # With the axes turned off, tick labels exist as Text artists but are never drawn.
    apply_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.tick_params(labelsize=5)
    ax.text(0.5, 0.5, "seul texte", fontsize=10)
    ax.set_axis_off()
    save(fig, tmp_path / "off.png", tmp_path / "off.svg")
    assert metadata.read_png(tmp_path / "off.png").min_font_pt == 10


def test_saved_png_is_byte_identical_across_runs(tmp_path):
    first = draw(tmp_path, "first")
    second = draw(tmp_path, "second")
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_png_without_metrics_is_a_clear_error(tmp_path):
    plain = tmp_path / "plain.png"
    Image.new("RGB", (30, 20), "white").save(plain)
    with pytest.raises(InputError, match=r"plain\.png: the PNG has no surveykit:width_in"):
        metadata.read_png(plain)


def test_print_width_and_printed_font():
    wide = metadata.PrintMetrics(width_in=10.0, height_in=5.0, min_font_pt=8.0)
    assert wide.print_width_in(6.3, 8.0) == 6.3
    assert wide.printed_min_font_pt(6.3, 8.0) == pytest.approx(5.04)
    small = metadata.PrintMetrics(width_in=5.0, height_in=3.0, min_font_pt=7.5)
    assert small.print_width_in(6.3, 8.0) == 5.0 and small.printed_min_font_pt(6.3, 8.0) == 7.5
    tall = metadata.PrintMetrics(width_in=6.0, height_in=12.0, min_font_pt=9.0)  # too tall for the page
    assert tall.print_width_in(6.3, 8.0) == 4.0 and tall.printed_min_font_pt(6.3, 8.0) == 6.0


def chapter(tmp_path: Path, body: str) -> Path:
    markdown = tmp_path / "chapitre.md"
    markdown.write_text("---\ntitle: Essai\nlang: fr-FR\n---\n\n" + body, encoding="utf-8")
    return markdown


def test_illegible_figure_stops_the_conversion_naming_it(tmp_path, caplog):
    draw(tmp_path, "large", figsize=(11, 5), smallest=8)  # 8 pt at ~10 in prints below 7 pt at 6.3 in
    draw(tmp_path, "fine", figsize=(5, 3), smallest=8)
    markdown = chapter(tmp_path, "![Figure 3. Grande](large.png){#fig:l width=100%}\n\n"
                                 "![Figure 4. Petite](fine.png){#fig:f width=100%}\n")
    tree = pandoc_ast_tree(markdown)
    with pytest.raises(InputError) as error:
        print_widths(tree, str(markdown), (6.3, 8.0))
    message = str(error.value)
    assert "large.png" in message and "Figure 3. Grande" in message and "fine.png" not in message
    large = metadata.read_png(tmp_path / "large.png")
    assert f"prints at {8 * 6.3 / large.width_in:.1f} pt" in message and "smaller than 7 pt" in message
    with caplog.at_level(logging.WARNING):
        widths = print_widths(tree, str(markdown), (6.3, 8.0), legibility="warn")
    assert "large.png" in caplog.text
    assert widths["large.png"] == 6.3
    assert widths["fine.png"] == pytest.approx(metadata.read_png(tmp_path / "fine.png").width_in)


def pandoc_ast_tree(markdown: Path) -> dict:
    import json

    return json.loads(pypandoc.convert_file(str(markdown), "json"))


# --- text metrics and column widths -------------------------------------------------------------------

def test_times_metrics_match_liberation_serif():
    """The AFM widths used to size columns are those of the font LibreOffice sets Times New Roman with."""
    from fontTools.ttLib import TTFont

    found = glob.glob("/usr/share/fonts/**/LiberationSerif-Regular.ttf", recursive=True)
    if not found:
        pytest.skip("Liberation Serif is not installed (Debian: fonts-liberation2, installed by `make test`)")
    font = TTFont(found[0])
    cmap, advances, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for text in ("Caractéristique", "Maison de santé pluridisciplinaire multisites", "10\u00a0(71,4\u00a0%)",
                 "CPTS de l’Amandinois", "Déshumanisation des relations entre médecins"):
        expected = 10 * sum(advances[cmap[ord(c)]][0] for c in text) / em
        assert textmetrics.text_width_pt(text, 10) == pytest.approx(expected, rel=1e-3)
    assert textmetrics.text_width_pt("Valeur", 10, bold=True) > textmetrics.text_width_pt("Valeur", 10)


def needs(hard, body, full, numeric=False):
    return table_layout.ColumnNeeds(hard, body, full, numeric)


def test_columns_take_their_full_width_when_the_table_fits():
    columns = [needs(60, 100, 100), needs(40, 120, 120), needs(50, 50, 70, numeric=True)]
    assert table_layout.preferred_layout(columns, 500, 10) == [110, 130, 80]


def test_headers_wrap_before_any_body_cell():
    columns = [needs(60, 100, 100), needs(50, 50, 150, numeric=True)]
    widths = table_layout.preferred_layout(columns, 200, 0)  # full 250 > 200 >= body 150
    assert widths[0] == 100 and widths[1] == pytest.approx(100)


def test_the_stub_wraps_first_then_the_caller_tries_a_smaller_font():
    columns = [needs(60, 200, 200), needs(50, 180, 180), needs(50, 50, 50, numeric=True)]
    assert table_layout.preferred_layout(columns, 330, 0) == pytest.approx([100, 180, 50])  # stub 200 -> 100 >= 60
    assert table_layout.preferred_layout(columns, 280, 0) is None  # stub would need 50 < its longest word 60


def test_squeezed_layout_wraps_the_widest_label_column_first_and_never_breaks_words_that_fit():
    columns = [needs(60, 200, 200), needs(50, 180, 180), needs(50, 50, 50, numeric=True)]
    layout = table_layout.squeezed_layout(columns, 280, 0)
    assert layout.fits and sum(layout.widths) == pytest.approx(280)
    assert layout.widths[2] == 50 and layout.widths[0] == pytest.approx(115) and layout.widths[1] == pytest.approx(115)
    too_narrow = table_layout.squeezed_layout(columns, 80, 0)
    assert not too_narrow.fits and sum(too_narrow.widths) == pytest.approx(80)


def test_wrapped_lines():
    assert table_layout.wrapped_lines([30, 30, 30], 5, 100) == 1
    assert table_layout.wrapped_lines([30, 30, 30], 5, 65) == 2
    assert table_layout.wrapped_lines([150], 5, 60) == 3  # a word wider than the column breaks


# --- pandoc tree ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, numeric", [
    ("22 (56,4\u00a0%)", True), ("5,7 ± 2,9", True), ("0,0051", True), ("< 0,001", True), ("14 / 39", True),
    ("67,3 % – 91 %", True), ("Perte de temps", False), ("Utilisateurs n = 32", False), ("2e", False),
    ("", False)])
def test_numeric_cells(text, numeric):
    assert pandoc_ast.is_numeric(text) is numeric


def test_tables_right_align_numbers_and_keep_them_on_one_line(tmp_path):
    markdown = chapter(tmp_path, "| Frein | Vague 1 | p |\n|:---|:---|---|\n| Perte de temps | 5,7 ± 2,9 | 0,0040 |\n"
                                 "| Traçabilité | 4,0 ± 2,6 | 0,0966 |\n\n: Scores moyens\n")
    tree = pandoc_ast.tidy_tables(pandoc_ast_tree(markdown))
    table = next(b for b in tree["blocks"] if b["t"] == "Table")["c"]
    assert [spec[0]["t"] for spec in table[2]] == ["AlignLeft", "AlignRight", "AlignRight"]
    assert all(spec[1]["t"] == "ColWidthDefault" for spec in table[2])
    cell = table[4][0][3][0][1][1][4][0]["c"]
    assert cell == [{"t": "Str", "c": "5,7\u00a0±\u00a02,9"}]
    html = pypandoc.convert_text(__import__("json").dumps(tree), "html5", format="json")
    assert '<td style="text-align: right;">5,7\u00a0±\u00a02,9</td>' in html


def test_figures_get_their_print_width_in_word_and_a_max_width_in_html(tmp_path):
    markdown = chapter(tmp_path, "![Figure 1. Essai](fig.png){#fig:a width=100%}\n")
    tree = pandoc_ast_tree(markdown)
    assert [(i.target, i.caption) for i in pandoc_ast.images(tree, tmp_path)] == [("fig.png", "Figure 1. Essai")]
    word = pandoc_ast.for_docx(tree, {"fig.png": 5.25})
    web = pandoc_ast.for_html(tree, {"fig.png": 5.25})
    image = lambda t: next(e for e in pandoc_ast._walk(t["blocks"]) if e["t"] == "Image")  # noqa: E731
    assert image(word)["c"][0][2] == [["width", "5.2500in"]]
    assert image(web)["c"][0][2] == [["style", "width:100%;max-width:5.2500in"]]
    assert image(tree)["c"][0][2] == [["width", "100%"]]  # the shared tree is left alone


# --- Word post-processing -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, label, number", [
    ("Table 1 : Caractéristiques", "Table", "1"), ("Tableau 12 : Freins", "Tableau", "12"),
    ("Figure 7. Flowchart", "Figure", "7"), ("Figure 15.", "Figure", "15"), ("Tableau 3\u00a0: x", "Tableau", "3")])
def test_caption_numbers_are_found(text, label, number):
    match = CAPTION_NUMBER.match(text)
    assert match and match["label"] == label and match["number"] == number


@pytest.mark.parametrize("text", ["Freins à l'utilisation de la TLE : score moyen",
                                  "Scores moyens ± écart-type des freins (9 freins) dans les deux vagues.",
                                  "Vague 2027 en chiffres"])
def test_unnumbered_captions_are_left_alone(text):
    assert CAPTION_NUMBER.match(text) is None


def test_captions_become_word_captions_with_seq_fields(tmp_path):
    draw(tmp_path, "f7", figsize=(5, 3), smallest=8)
    draw(tmp_path, "f8", figsize=(5, 3), smallest=8)
    table = "| Variable | Modalité | n (%) |\n|:---|:---|---:|\n| Genre | Femme | 22 (56,4 %) |\n|  | Homme | 17 (43,6 %) |\n"
    markdown = chapter(tmp_path, "\n\n".join([
        "# Résultats",
        table + "\nTable: Tableau 1 : Première partie",
        table + "\nTable: Tableau 1 : Seconde partie",
        table + "\nTable: Tableau 3 : Après un saut",
        table + "\nTable: Sans numéro",
        "![Figure 7. Septième](f7.png){#fig:f7 width=100%}",
        "![Figure 8. Huitième](f8.png){#fig:f8 width=100%}", ""]))
    out = tmp_path / "out"
    out.mkdir()
    convert_markdown(str(markdown), str(out / "c.html"), str(out / "c.docx"), str(CSS), str(REFERENCE))
    document = docx.Document(str(out / "c.docx"))
    captions = [p for p in document.paragraphs if p.style.style_id == "Caption"]
    assert [p.text for p in captions] == ["Tableau 1 : Première partie", "Tableau 1 : Seconde partie",
                                          "Tableau 3 : Après un saut", "Sans numéro", "Figure 7. Septième",
                                          "Figure 8. Huitième"]
    assert [word_fields(p) for p in captions] == [
        [("SEQ Tableau \\* ARABIC", "1")], [("SEQ Tableau \\c \\* ARABIC", "1")],
        [("SEQ Tableau \\r 3 \\* ARABIC", "3")], [], [("SEQ Figure \\r 7 \\* ARABIC", "7")],
        [("SEQ Figure \\* ARABIC", "8")]]
    assert all(p.paragraph_format.keep_with_next for p in captions[:4])
    first = document.tables[0]
    assert first.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in first.rows)
    assert first.rows[1].cells[2].text == "22\u00a0(56,4\u00a0%)"
    assert {p.style.name for row in first.rows[1:] for c in row.cells for p in c.paragraphs} == {"Table Text"}
    assert {p.style.name for c in first.rows[0].cells for p in c.paragraphs} == {"Table Heading"}
    html = (out / "c.html").read_text(encoding="utf-8")
    assert "max-width:" in html and "Tableau 3 : Après un saut" in html


def test_finishing_is_byte_deterministic(tmp_path):
    markdown = chapter(tmp_path, "| A | n |\n|:---|---:|\n| Oui | 3 (7,7 %) |\n\nTable: Table 1 : Essai\n")
    digests = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        convert_markdown(str(markdown), str(folder / "c.html"), str(folder / "c.docx"), str(CSS), str(REFERENCE))
        digests.append(hashlib.sha256((folder / "c.docx").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a_table_too_wide_for_the_page_says_so(tmp_path, caplog):
    words = " ".join(f"Anticonstitutionnellement{i:02d}" for i in range(3))
    markdown = chapter(tmp_path, "| " + " | ".join([words] * 6) + " |\n|" + "---|" * 6 + "\n| "
                       + " | ".join([words] * 6) + " |\n\nTable: Table 9 : Beaucoup trop large\n")
    with caplog.at_level(logging.WARNING):
        convert_markdown(str(markdown), str(tmp_path / "c.html"), str(tmp_path / "c.docx"), str(CSS), str(REFERENCE))
    assert "Table 9 : Beaucoup trop large" in caplog.text and "some break" in caplog.text


def test_questionnaire_labels_stay_whole_and_prose_wraps(tmp_path):
    items = ["Manque de confiance dans la sécurité des informations", "Manque de connaissance de la rémunération"]
    prose = "Frein modéré à élevé, réponses hétérogènes entre les groupes de médecins interrogés (écart-type 2,9)"
    rows = "".join(f"| {rank} | {item} | 5,7 ± 2,9 | 6,0 [3,0–8,0] | {prose} |\n" for rank, item in enumerate(items, 1))
    markdown = chapter(tmp_path, "| Rang | Frein | Moyenne ± écart-type | Médiane [Q1–Q3] | Interprétation |\n"
                                 "|---:|:---|---:|---:|:---|\n" + rows + "\nTable: Table 6 : Freins\n")
    widths = {}
    for name, whole in (("plain", frozenset()), ("labels", frozenset(items))):
        convert_markdown(str(markdown), str(tmp_path / f"{name}.html"), str(tmp_path / f"{name}.docx"), str(CSS),
                        str(REFERENCE), whole=whole)
        table = docx.Document(str(tmp_path / f"{name}.docx")).tables[0]
        size = table.rows[1].cells[1].paragraphs[0].runs[0].font.size
        widths[name] = ([c.width.pt for c in table.columns], size.pt if size else 10.0)
    (columns, size) = widths["labels"]
    longest = max(textmetrics.text_width_pt(item, size) for item in items)
    assert columns[1] >= longest + 7.2  # each label on one line (cell margins 3.6 pt each side)
    assert columns[4] < textmetrics.text_width_pt(prose, size)  # the prose column wraps
    assert widths["plain"][0][1] < longest  # without the labels, both text columns share the shortage


# --- reference document ---------------------------------------------------------------------------------

def test_committed_reference_document_is_up_to_date(tmp_path):
    build_reference(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == REFERENCE.read_bytes(), \
        "manuscript/reference.docx is stale: run .venv/bin/python scripts/make_reference_docx.py and commit it"


def test_reference_document_is_french_a4_with_word_caption_style():
    document = docx.Document(str(REFERENCE))
    section = document.sections[-1]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(page_of(document).text_width / 72 * 2.54, 2) == 16.0
    styles = document.styles
    caption = styles["Caption"]  # python-docx's UI name for Word's built-in "caption"
    assert caption.style_id == "Caption" and caption.element.name_val == "caption"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert styles[name].element.find(qn("w:pPr")).find(qn("w:numPr")) is None  # the chapter numbers them
        assert styles[name].font.name == "Times New Roman"
    assert styles["Table Text"].font.size.pt == 10 and styles["Table Heading"].font.bold
    with zipfile.ZipFile(REFERENCE) as archive:
        style_sheet = archive.read("word/styles.xml").decode()
    assert 'w:lang w:val="fr-FR"' in style_sheet and 'w:sz w:val="24"' in style_sheet
    assert "asciiTheme" not in style_sheet  # fonts by name, not the theme's


def test_pictures_get_their_exact_print_width(tmp_path):
    draw(tmp_path, "wide", figsize=(11, 5))
    draw(tmp_path, "narrow", figsize=(4, 3), smallest=8)
    draw(tmp_path, "tall", figsize=(5, 11), smallest=8)
    markdown = chapter(tmp_path, "![Figure 1. Large](wide.png){#fig:w width=100%}\n\n"
                                 "![Figure 2. Étroite](narrow.png){#fig:n width=100%}\n\n"
                                 "![Figure 3. Haute](tall.png){#fig:t width=100%}\n")
    convert_markdown(str(markdown), str(tmp_path / "c.html"), str(tmp_path / "c.docx"), str(CSS), str(REFERENCE),
                    legibility="warn")  # the wide one is too small to read: only its size matters here
    document = docx.Document(str(tmp_path / "c.docx"))
    text_width_emu = round(page_of(document).text_width * 12700)
    wide, narrow = (metadata.read_png(tmp_path / f"{n}.png") for n in ("wide", "narrow"))
    shapes = document.inline_shapes
    assert shapes[0].width == text_width_emu
    assert shapes[0].height == round(text_width_emu * wide.height_in / wide.width_in)
    assert shapes[1].width == round(narrow.width_in * 914400)
    assert shapes[1].height == round(shapes[1].width * narrow.height_in / narrow.width_in)
    frame_height_emu = page_of(document).figure_frame_in()[1] * 914400  # 85 % of the text block's height
    assert abs(shapes[2].height - frame_height_emu) <= 2 and shapes[2].width < text_width_emu


@pytest.mark.parametrize("text, typeset", [
    ("22 (56,4\u00a0%)", "22\u00a0(56,4\u00a0%)"),  # a count never leaves its percentage
    ("5,7 ± 2,9", "5,7\u00a0±\u00a02,9"),
    ("5,3 ± 2,9\u00a0; 6,0 [3,0–8,0]", "5,3\u00a0±\u00a02,9\u00a0; 6,0\u00a0[3,0–8,0]"),  # breaks after « ; » only
    ("−0,42 [−0,73\u00a0; 0,03]", "−0,42 [−0,73\u00a0;\u00a00,03]"),  # a statistic may leave its interval
    ("6,0 [3,0–8,0]", "6,0\u00a0[3,0–8,0]"),  # a range would be cut at its dash rather than before the "["
    ("< 0,001", "<\u00a00,001")])
def test_number_cells_break_only_between_statistics(text, typeset):
    assert pandoc_ast.number_spaces(text) == typeset


# --- tables on A4: headers, hyphens, short words, merged stubs (issue P, point 6) -------------------------

TABLE_2 = ("| Caractéristique | Modalité | CPTS de l'Amandinois n = 14 | CPTS du Grand Denain n = 11 "
           "| CPTS du Grand Valenciennes n = 14 | Valeur de p |\n|:---|:---|---:|---:|---:|---:|\n"
           + "".join(f"| {name} | {level} | 9 (64,3 %) | 4 (36,4 %) | 10 (71,4 %) | {p} |\n"
                     for name, level, p in [
                         ("Rôle dans les CPTS", "Oui", "0,3161"), ("", "Non", ""),
                         ("Activité Universitaire", "Oui", "0,1725"), ("", "Non", ""),
                         ("Structure", "Cabinet de groupe (uniquement des médecins)", "0,3389"),
                         ("", "Maison de santé pluridisciplinaire multisites", ""),
                         ("Nombre d'actes par semaine", "Moins de 50 actes", "0,5202"),
                         ("", "Entre 50 et 75 actes", ""), ("", "Plus de 110 actes", "")])
           + "\nTable: Tableau 2 : Comparaison par CPTS\n")


def table_cells(tree: dict) -> tuple[list, list]:
    table = next(b for b in tree["blocks"] if b["t"] == "Table")["c"]
    return table, [cell for row in table[3][1] for cell in row[1]]


def test_a_group_header_puts_its_size_on_its_own_line(tmp_path):
    tree = pandoc_ast.tidy_tables(pandoc_ast_tree(chapter(tmp_path, TABLE_2)))
    _table, header = table_cells(tree)
    inlines = header[3][4][0]["c"]
    assert [i["t"] for i in inlines][-2:] == ["LineBreak", "Str"] and inlines[-1]["c"] == "n\u00a0=\u00a011"
    assert pandoc_ast.stringify(inlines[:-2]) == "CPTS du Grand Denain"  # the name may wrap between its words
    assert pandoc_ast.stringify(header[5][4][0]["c"]) == "Valeur de\u00a0p"  # no line break; « p » never alone


def test_no_break_after_a_hyphen_or_a_short_word_in_a_table(tmp_path):
    markdown = chapter(tmp_path, "| Rang | Frein | Moyenne ± écart-type | Non-utilisateurs n = 7 |\n|---:|:---|---:|---:|\n"
                                 "| 2 ex aequo | Difficulté à identifier un médecin | 5,3 ± 2,8 | 7,0 ± 1,7 |\n"
                                 "\nTable: Tableau 6 : Freins\n")
    tree = pandoc_ast.tidy_tables(pandoc_ast_tree(markdown))
    table, header = table_cells(tree)
    assert pandoc_ast.stringify(header[2][4][0]["c"]) == "Moyenne\u00a0± écart\u2011type"  # U+2011: never broken after
    assert pandoc_ast.stringify(header[3][4][0]["c"]).startswith("Non\u2011utilisateurs")
    body = table[4][0][3][0][1]
    assert pandoc_ast.stringify(body[0][4][0]["c"]) == "2\u00a0ex\u00a0aequo"
    assert pandoc_ast.stringify(body[1][4][0]["c"]) == "Difficulté à\u00a0identifier un\u00a0médecin"
    assert textmetrics.text_width_pt("\u2011", 10) == textmetrics.text_width_pt("-", 10)


def test_an_interval_header_breaks_before_its_brackets_never_inside(tmp_path):
    """Regression tables (issue P, point 6): « OR brut / [IC 95 %] », never « OR brut [IC / 95 %] »."""
    markdown = chapter(tmp_path, "| Caractéristique | OR brut [IC 95 %] | Différence (points) [IC 95 %] |\n"
                                 "|:---|---:|---:|\n| Âge | 0,88 [0,03 ; 24,99] | 1,2 [−6,3 ; 8,7] |\n"
                                 "\nTable: Tableau 9 : Modèle\n")
    tree = pandoc_ast.tidy_tables(pandoc_ast_tree(markdown))
    _table, header = table_cells(tree)
    assert pandoc_ast.stringify(header[1][4][0]["c"]) == "OR brut [IC\u00a095\u00a0%]"
    assert pandoc_ast.stringify(header[2][4][0]["c"]) == "Différence (points) [IC\u00a095\u00a0%]"
    assert pandoc_ast.glue_short_words("Cabinet [de groupe] ou seul") == "Cabinet [de\u00a0groupe] ou\u00a0seul"


@pytest.mark.parametrize("text, glued", [
    ("Événements / n (%)", "Événements\u00a0/ n\u00a0(%)"),  # never « Événements / n » over « (%) »
    ("p ajustée (Holm)", "p\u00a0ajustée (Holm)"), ("Moyenne ± écart-type", "Moyenne\u00a0± écart-type"),
    ("CPTS de l'Amandinois", "CPTS de l'Amandinois")])  # a header's two-letter words may still end a line
def test_a_header_line_never_ends_on_a_one_letter_word_nor_starts_on_a_sign(text, glued):
    assert pandoc_ast.glue_short_words(text, words=False) == glued


def test_a_column_of_labels_with_their_counts_is_right_aligned_like_the_numbers(tmp_path):
    markdown = chapter(tmp_path, "| Caractéristique | Modalité | Utilisateurs n = 32 |\n|:---|:---|:---|\n"
                                 "| Méthode | En 1er recours | Plateforme adaptée\u00a0: 21 (65,6 %) |\n"
                                 "| Fréquence | Tous les jours | 1 (3,1 %) |\n\nTable: Tableau 5 : Pratiques\n")
    tree = pandoc_ast.tidy_tables(pandoc_ast_tree(markdown))
    table, _header = table_cells(tree)
    assert [spec[0]["t"] for spec in table[2]] == ["AlignLeft", "AlignLeft", "AlignRight"]
    cell = pandoc_ast.stringify(table[4][0][3][0][1][2][4][0]["c"])
    assert cell == "Plateforme adaptée\u00a0:\u00a021\u00a0(65,6\u00a0%)"  # the count stays whole, with its label's end


def test_headers_wrap_between_the_words_of_a_group_name_and_stub_labels_spread_over_their_rows(tmp_path):
    markdown = chapter(tmp_path, TABLE_2)
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE))
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    widths = [c.width.pt for c in table.columns]
    run = next(r for r in table.rows[1].cells[1].paragraphs[0].runs)
    size = run.font.size.pt if run.font.size else 10.0
    for column, name in ((2, "CPTS de l’Amandinois"), (3, "CPTS du Grand Denain"), (4, "CPTS du Grand Valenciennes")):
        words = name.split()
        two_lines = min(max(textmetrics.text_width_pt(" ".join(words[:i]), size, True),
                            textmetrics.text_width_pt(" ".join(words[i:]), size, True)) for i in range(1, len(words)))
        assert widths[column] >= two_lines + 7.2  # never « CPTS du / Grand / Denain »
    assert widths[5] >= textmetrics.text_width_pt("Valeur de p", size, True) + 7.2  # never « Valeur / de p »
    merged = [[tc.tcPr.find(qn("w:vMerge")) is not None if tc.tcPr is not None else False
               for tc in (row._tr.tc_lst[0],)][0] for row in table.rows[1:]]
    stub = widths[0] - 7.2
    assert any(merged)
    for start, label, rows in ((0, "Rôle dans les CPTS", 2), (2, "Activité Universitaire", 2),
                               (6, "Nombre d’actes par semaine", 3)):
        if textmetrics.text_width_pt(label, size) > stub:  # a wrapped label spreads over its block's rows
            assert merged[start:start + rows] == [True] * rows
    first = table.rows[1]._tr.tc_lst[0].tcPr.find(qn("w:vMerge"))
    assert first is None or first.get(qn("w:val")) == "restart"
    empty = table.rows[2].cells[5].paragraphs[0]  # an empty cell's line is as tall as its row's text
    mark = empty._p.pPr.find(qn("w:rPr"))
    assert size == 10.0 or (mark is not None and mark.find(qn("w:sz")).get(qn("w:val")) == str(round(size * 2)))


def test_a_label_as_long_as_its_cell_is_counted_on_the_lines_the_word_processor_gives_it():
    """Thesis Tableau 2: « Mode d'exercice » measured 0,05 pt shorter than its cell wrapped in LibreOffice, unmerged,
    and made its row twice as tall. Lines are counted with the measuring slack: the label spreads over its rows."""
    cell = docx_module._Cell
    size, label = 8.5, "Mode d’exercice"
    grid = [[cell(None, 0, 1, True, ["Variable"]), cell(None, 1, 1, True, ["Modalité"])]]
    grid += [[cell(None, 0, 1, False, [label if i == 0 else ""]), cell(None, 1, 1, False, [level])]
             for i, level in enumerate(("Libéral", "Remplaçant", "Autres"))]
    widths = [textmetrics.text_width_pt(label, size) + 2 * docx_module.CELL_MARGIN_PT + 0.05, 100.0]
    assert docx_module.merged_stub_blocks(grid, widths, size) == [(1, 3)]
    assert docx_module._row_heights(grid, widths, size) == [size * docx_module.LINE_HEIGHT_EM] * 4
    roomy = [docx_module._adjusted(textmetrics.text_width_pt(label, size)) + 2 * docx_module.CELL_MARGIN_PT, 100.0]
    assert docx_module.merged_stub_blocks(grid, roomy, size) == []  # the width the layout asks for holds it


def _keeps_with_next(row) -> list[bool]:
    from docx.table import _Cell

    return [bool(p.paragraph_format.keep_with_next) for tc in row._tr.tc_lst for p in _Cell(tc, row.table).paragraphs]


@pytest.mark.parametrize("rows", [4, 40])
def test_a_tables_last_rows_are_kept_with_the_note_under_it(tmp_path, rows):
    """The note under a table never starts a page alone (issue P, point 8: Tableau 7's note): the last two body
    rows keep with the next paragraph, the note, which follows the table; a long table keeps no other body row
    (it may break anywhere between its first and last two rows), a short one is kept whole."""
    body = "".join(f"| Ligne {i} | Modalité {i} | {i} (1,{i} %) |\n" for i in range(rows))
    markdown = chapter(tmp_path, "| Caractéristique | Modalité | n (%) |\n|:---|:---|---:|\n" + body
                       + "\nTable: Tableau 7 : Essai\n\n::: {custom-style=\"Table Note\"}\n*Effectif (pourcentage).*\n"
                         ":::\n\n| A | B |\n|:---|---:|\n| x | 1 |\n| y | 2 |\n\nTable: Tableau 8 : Sans note\n\nFin.\n")
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE))
    document = docx.Document(str(tmp_path / "t.docx"))
    noted, plain = document.tables
    following = noted._tbl.getnext()
    assert following.tag == qn("w:p") and following.pPr.pStyle.val == document.styles["Table Note"].style_id
    assert document.styles["Table Note"].paragraph_format.keep_together  # the note itself is never split
    keeps = [all(_keeps_with_next(row)) for row in noted.rows]
    assert keeps[-2:] == [True, True]
    if rows > 20:  # taller than a third of the page: header and first two rows kept, then free rows
        assert keeps[:3] == [True, True, True] and not any(keeps[3:-2])
    else:
        assert all(keeps)
    assert not any(_keeps_with_next(plain.rows[-1]))  # no note under it: nothing to keep its end with


def test_a_short_statistic_header_takes_its_line_from_room_no_row_needs(tmp_path):
    """Thesis Tableau 7 (issue P, point 6): « Valeur de p » on one line, not « Valeur / de p »; the room comes from
    columns wider than their cells need (no cell takes one more line), words never break."""
    rows = (
        "| 1 | Perte de temps | "
        "5,3 ± 2,9 ; 6,0 [3,0–8,0] | 7,4 ± 2,6 ; 8,0 [7,5–8,5] | 0,0818 | −0,42 [−0,90 ; 0,05] | −2,0 [−5,0 ; 0,0] |\n"
        "| 2 ex aequo | Déshumanisation des relations entre médecins | "
        "4,9 ± 3,1 ; 5,0 [2,0–8,0] | 7,1 ± 3,0 ; 8,0 [5,0–9,5] | 0,0931 | −0,41 [−0,89 ; 0,07] | −2,0 [−5,0 ; 1,0] |\n"
        "| 2 ex aequo | Difficulté à identifier un médecin via la TLE | "
        "4,9 ± 2,8 ; 6,0 [2,0–7,0] | 7,0 ± 1,7 ; 6,0 [6,0–7,5] | 0,1128 | −0,38 [−0,86 ; 0,09] | −2,0 [−5,0 ; 0,0] |\n"
        "| 4 | Modification des habitudes de travail | "
        "4,4 ± 2,7 ; 3,0 [2,0–7,0] | 6,7 ± 2,7 ; 6,0 [5,0–9,0] | 0,0521 | −0,47 [−0,95 ; 0,00] | −2,9 [−5,0 ; 0,0] |\n"
        "| 5 | Difficultés de fonctionnement de l'outil | "
        "4,5 ± 2,9 ; 4,0 [2,0–6,2] | 4,4 ± 3,3 ; 3,0 [3,0–5,5] | 0,8537 | 0,05 [−0,43 ; 0,53] | 0,0 [−2,0 ; 3,0] |\n"
        "| 6 | Traçabilité | "
        "3,4 ± 2,2 ; 3,0 [1,0–5,0] | 6,6 ± 3,1 ; 6,0 [4,0–9,5] | 0,0161 | −0,58 [−1,00 ; −0,11] | −3,0 [−6,0 ; −1,0] |\n"
        "| 7 | Manque de connaissance de la TLE | "
        "3,8 ± 3,1 ; 2,5 [1,0–6,0] | 4,7 ± 3,0 ; 4,0 [3,0–6,0] | 0,3402 | −0,23 [−0,70 ; 0,24] | −1,0 [−3,0 ; 2,0] |\n"
        "| 8 | Manque de confiance dans la sécurité des informations | "
        "3,2 ± 2,2 ; 2,5 [1,8–4,0] | 6,1 ± 3,1 ; 6,0 [5,0–8,0] | 0,0148 | −0,59 [−1,00 ; −0,11] | −3,0 [−5,0 ; −1,0] |\n"
        "| 9 | Manque de connaissance concernant la rémunération | "
        "3,5 ± 2,3 ; 2,0 [2,0–5,0] | 3,1 ± 1,8 ; 3,0 [2,0–4,0] | 0,9851 | 0,01 [−0,46 ; 0,48] | 0,0 [−1,0 ; 2,0] |\n"
    )
    markdown = chapter(tmp_path, "| Rang | Frein TLE | Utilisateurs n = 32 | Non-utilisateurs n = 7 | Valeur de p | Taille d'effet [IC 95 %] | Décalage [IC 95 %] |\n|---:|:---|---:|---:|---:|---:|---:|\n" + rows
                       + "\nTable: Tableau 7 : Freins selon l'usage\n")
    labels = [line.split("|")[2].strip() for line in rows.splitlines()]
    whole = frozenset(docx_module.phrase_key(label) for label in labels)
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE),
                     whole=whole)
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    widths = [c.width.pt for c in table.columns]
    size = next(r.font.size.pt for r in table.rows[1].cells[1].paragraphs[0].runs if r.font.size)
    assert size == 9.0 and sum(widths) <= 453.6 + 0.1
    assert widths[4] - 7.2 >= textmetrics.text_width_pt("Valeur de p", size, True)  # on one line
    longest_word = max(textmetrics.text_width_pt(w, size) for label in labels for w in label.split())
    assert widths[1] - 7.2 >= longest_word


# --- the layout chooser weighs what a reader sees (issue P, point 6) ---------------------------------------

THESIS_TABLE_2 = [  # thesis Tableau 2 as the chapter writes it: (variable, level, three groups' counts, p)
    ("Genre", "Femme", "9 (64,3 %)", "4 (36,4 %)", "9 (64,3 %)", "0,2609"),
    ("", "Homme", "5 (35,7 %)", "7 (63,6 %)", "5 (35,7 %)", ""), ("", "Non genré", "0 (0,0 %)", "0 (0,0 %)", "0 (0,0 %)", ""),
    ("Âge", "Moins de 35 ans", "6 (42,9 %)", "0 (0,0 %)", "3 (21,4 %)", "0,0051"),
    ("", "Entre 35 et 50 ans inclus", "8 (57,1 %)", "5 (45,5 %)", "9 (64,3 %)", ""),
    ("", "Plus de 50 ans", "0 (0,0 %)", "6 (54,5 %)", "2 (14,3 %)", ""), ("", "Comparaisons par paires", "a", "b", "ab", ""),
    ("Mode d'exercice", "Libéral", "10 (71,4 %)", "10 (90,9 %)", "14 (100,0 %)", "0,0684"),
    ("", "Remplaçant", "3 (21,4 %)", "0 (0,0 %)", "0 (0,0 %)", ""),
    ("", "Autres : EHPAD, PMI", "1 (7,1 %)", "1 (9,1 %)", "0 (0,0 %)", ""),
    ("Lieu d'exercice", "Rural", "5 (35,7 %)", "3 (27,3 %)", "0 (0,0 %)", "0,0503"),
    ("", "Semi-rural", "6 (42,9 %)", "2 (18,2 %)", "6 (42,9 %)", ""), ("", "Urbain", "3 (21,4 %)", "6 (54,5 %)", "8 (57,1 %)", ""),
    ("Rôle dans les CPTS", "Oui", "3 (21,4 %)", "1 (9,1 %)", "5 (35,7 %)", "0,3161"),
    ("", "Non", "11 (78,6 %)", "10 (90,9 %)", "9 (64,3 %)", ""),
    ("Activité Universitaire", "Oui", "6 (42,9 %)", "1 (9,1 %)", "4 (28,6 %)", "0,1725"),
    ("", "Non", "8 (57,1 %)", "10 (90,9 %)", "10 (71,4 %)", ""),
    ("Structure", "Cabinet individuel", "1 (7,1 %)", "2 (18,2 %)", "5 (35,7 %)", "0,3389"),
    ("", "Cabinet de groupe (différentes professions)", "2 (14,3 %)", "3 (27,3 %)", "3 (21,4 %)", ""),
    ("", "Cabinet de groupe (uniquement des médecins)", "3 (21,4 %)", "4 (36,4 %)", "3 (21,4 %)", ""),
    ("", "Maison de santé pluridisciplinaire", "3 (21,4 %)", "2 (18,2 %)", "1 (7,1 %)", ""),
    ("", "Maison de santé pluridisciplinaire multisites", "5 (35,7 %)", "0 (0,0 %)", "2 (14,3 %)", ""),
    ("Nombre d'actes par semaine", "Moins de 50 actes", "2 (14,3 %)", "0 (0,0 %)", "0 (0,0 %)", "0,5202"),
    ("", "Entre 50 et 75 actes", "1 (7,1 %)", "0 (0,0 %)", "2 (14,3 %)", ""),
    ("", "Entre 75 et 110 actes", "4 (28,6 %)", "2 (18,2 %)", "4 (28,6 %)", ""),
    ("", "Plus de 110 actes", "7 (50,0 %)", "9 (81,8 %)", "8 (57,1 %)", "")]

THESIS_TABLE_6 = [  # thesis Tableau 6: rank, barrier, mean ± SD, median [Q1–Q3], interpretation
    ("1", "Perte de temps", "5,7 ± 2,9", "6,0 [3,0–8,0]", "Frein modéré, réponses hétérogènes (écart-type 2,9)"),
    ("2 ex aequo", "Déshumanisation des relations entre médecins", "5,3 ± 3,2", "5,0 [2,0–8,0]",
     "Frein modéré, réponses hétérogènes (écart-type 3,2)"),
    ("2 ex aequo", "Difficulté à identifier un médecin via la TLE", "5,3 ± 2,8", "6,0 [2,5–7,0]", "Frein modéré"),
    ("4", "Modification des habitudes de travail", "4,8 ± 2,8", "5,0 [2,0–7,0]", "Frein modéré"),
    ("5", "Difficultés de fonctionnement de l'outil", "4,5 ± 2,9", "4,0 [2,0–6,5]",
     "Frein faible, réponses hétérogènes (écart-type 2,9)"),
    ("6", "Traçabilité", "4,0 ± 2,6", "3,0 [2,0–5,5]", "Frein faible"),
    ("7", "Manque de connaissance de la TLE", "3,9 ± 3,0", "3,0 [1,0–6,0]",
     "Frein faible, réponses hétérogènes (écart-type 3,0)"),
    ("8", "Manque de confiance dans la sécurité des informations", "3,7 ± 2,6", "3,0 [2,0–5,0]", "Frein faible"),
    ("9", "Manque de connaissance concernant la rémunération", "3,4 ± 2,2", "2,0 [2,0–5,0]", "Frein faible")]


def _converted_table(tmp_path: Path, header: str, rows: list[tuple], caption: str, whole: set[str]):
    """The Word table of a Markdown table converted like the chapter, with its font size and column widths."""
    align = "|:---|:---|" + "---:|" * (len(rows[0]) - 2)
    body = "".join("| " + " | ".join(row) + " |\n" for row in rows)
    markdown = chapter(tmp_path, header + "\n" + align + "\n" + body + f"\nTable: {caption}\n")
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE),
                     whole=frozenset(docx_module.phrase_key(label) for label in whole))
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    size = next((r.font.size.pt for r in table.rows[1].cells[1].paragraphs[0].runs if r.font.size), 10.0)
    return table, size, [c.width.pt for c in table.columns]


def test_a_short_header_is_not_cut_when_half_a_point_smaller_type_keeps_it_whole(tmp_path):
    """Thesis Tableau 2: at 8,5 pt its answer labels stay whole but « Valeur de p » had no room and printed
    « Valeur / de p »; half a point smaller it holds on one line, which reads better (a cut header costs more than
    0,5 pt of type, never going below 8 pt). Nothing else gets worse: labels whole, group names on two lines."""
    header = ("| Caractéristique | Modalité | CPTS de l'Amandinois n = 14 | CPTS du Grand Denain n = 11 "
              "| CPTS du Grand Valenciennes n = 14 | Valeur de p |")
    labels = {row[1] for row in THESIS_TABLE_2}
    table, size, widths = _converted_table(tmp_path, header, THESIS_TABLE_2, "Tableau 2 : Comparaison par CPTS",
                                           labels)
    room = [docx_module.line_room(width) for width in widths]
    assert size == docx_module.SMALLEST_TABLE_FONT_PT == 8.0 and sum(widths) <= 453.6
    assert textmetrics.text_width_pt("Valeur de\u00a0p", size, True) <= room[5]  # « Valeur de p » on one line
    assert max(textmetrics.text_width_pt(label, size) for label in labels) <= room[1]  # every label whole
    grid = docx_module._grid(table)
    assert docx_module.layout_defects(grid, widths, size) == 0


def test_interpretation_cells_hold_on_two_lines_in_smaller_type(tmp_path):
    """Thesis Tableau 6: at 9 pt its interpretations (« Frein modéré, réponses hétérogènes (écart-type 2,9) »)
    ran to three lines beside whole barrier labels; at 8,5 pt they hold on two, and no cell takes more."""
    header = "| Rang | Frein TLE | Moyenne ± écart-type | Médiane [Q1–Q3] | Interprétation |"
    labels = {row[1] for row in THESIS_TABLE_6}
    table, size, widths = _converted_table(tmp_path, header, THESIS_TABLE_6, "Tableau 6 : Freins", labels)
    grid = docx_module._grid(table)
    lines = [docx_module._lines_at(cell.texts, docx_module.line_room(widths[cell.column]), size, cell.header)
             for row in grid for cell in row]
    assert size == 8.5 and max(lines) == 2 and sum(widths) <= 453.6
    assert max(textmetrics.text_width_pt(label, size) for label in labels) <= docx_module.line_room(widths[1])
    assert docx_module.layout_defects(grid, widths, size) == 0


@pytest.mark.parametrize("header, cut", [("Valeur de\u00a0p", True), ("Frein TLE", True), ("n\u00a0(%)", True),
                                         ("Médiane [Q1–\u2060Q3]", False), ("p\u00a0ajustée (Holm)", False),
                                         ("Moyenne\u00a0± écart\u2011type", False)])
def test_which_headers_read_cut_when_they_wrap(header, cut):
    assert docx_module.cut_when_wrapped(header) is cut


def test_smaller_type_comes_before_any_broken_word(tmp_path, caplog):
    """Barometer Tableau 6 once its headers kept « p ajustée » whole: at 9 pt its longest words no longer fitted and
    some broke mid-word, where at 8,5 pt every word holds. Type goes down to 8 pt before any word breaks."""
    word = "Inconstitutionnellement"  # five columns of it: 468 pt at 9 pt, 444 pt at 8,5 pt (453,6 pt available)
    label = f"{word} {word}"
    markdown = chapter(tmp_path, "| " + " | ".join("ABCDE") + " |\n|" + ":---|" * 5 + "\n"
                       + ("| " + " | ".join([label] * 5) + " |\n") * 2 + "\nTable: Tableau 6 : Mots longs\n")
    with caplog.at_level(logging.INFO):
        convert_markdown(str(markdown), str(tmp_path / "c.html"), str(tmp_path / "c.docx"), str(CSS), str(REFERENCE),
                         whole=frozenset({label}))
    table = docx.Document(str(tmp_path / "c.docx")).tables[0]
    size = next(r.font.size.pt for r in table.rows[1].cells[0].paragraphs[0].runs if r.font.size)
    assert "some break" not in caplog.text and size == 8.5
    assert all(textmetrics.text_width_pt(word, size) <= docx_module.line_room(c.width.pt) for c in table.columns)


def test_a_header_that_wraps_anyway_gives_its_unused_room_to_a_short_one():
    """Barometer Tableau 6: « Valeur de p » and « p ajustée (Holm) » each got 44,9 pt at 8 pt; the second wraps
    whatever its width (it needs 57 pt on one line) and kept 12 pt it did not use, while the first wrapped for
    want of 3 pt. A header on two lines anyway gives what its lines do not need."""
    cell, size = docx_module._Cell, 8.0
    grid = [[cell(None, 0, 1, True, ["Valeur de\u00a0p"]), cell(None, 1, 1, True, ["p\u00a0ajustée (Holm)"])],
            [cell(None, 0, 1, False, ["0,8097"]), cell(None, 1, 1, False, ["1,0000"])]]
    needs = docx_module.column_needs(grid, 2, size)
    widths = docx_module.header_lines_polished(grid, needs, size, [44.9, 44.9], 89.8)
    room = [docx_module.line_room(width) for width in widths]
    assert textmetrics.text_width_pt("Valeur de\u00a0p", size, True) <= room[0]  # on one line now
    assert docx_module._lines_at(["p\u00a0ajustée (Holm)"], room[1], size, True) == 2  # still two lines
    assert sum(widths) == pytest.approx(89.8)


def test_the_rows_of_a_merged_stub_label_stay_on_one_page(tmp_path):
    """Barometer Tableaux 2 and 8: a stub label merged down its block and split by a page break printed a rule
    under its first part, alone under the first column. The rows of a merged block keep together (keep with
    next on all but the last); elsewhere a long table may break between rows."""
    body = "".join(f"| {'Caractéristique assez longue numéro ' + str(i) + ' qui se replie sur ses lignes' if j == 0 else ''}"
                   f" | Modalité plutôt longue pour prendre la place {j} | {i + j} (1,{j} %) |\n"
                   for i in range(10) for j in range(4))
    markdown = chapter(tmp_path, "| Caractéristique | Modalité | n (%) |\n|:---|:---|---:|\n" + body
                       + "\nTable: Tableau 8 : Blocs fusionnés\n\nFin.\n")
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE))
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    merged = [row._tr.tc_lst[0].tcPr is not None and row._tr.tc_lst[0].tcPr.find(qn("w:vMerge")) is not None
              for row in table.rows[1:]]
    assert all(merged)  # every label wraps and spreads over its four rows
    keeps = [all(_keeps_with_next(row)) for row in table.rows[1:]]
    assert keeps[2:] == [j < 3 for _i in range(10) for j in range(4)][2:]  # the first two are kept with the header


def test_numbers_first_layout_serves_the_labels_before_the_stub():
    """Barometer Tableau 3 at 8 pt: the stub and the answer labels shared the room equally (94 pt each), so answers
    ran to four lines while the stub's labels, which wrap within the rows of their blocks at no cost, had room to
    spare. The answer labels are served first; the stub gets what they leave."""
    columns = [table_layout.ColumnNeeds(40, 120, 120, False, stub_min=50), needs(60, 200, 200),
               needs(30, 60, 60, numeric=True)]
    widths = table_layout.labels_first_layout(columns, 250, 0)
    assert widths == pytest.approx([50, 170, 30])  # the stub at its narrowest, the labels with the rest
    roomy = table_layout.labels_first_layout(columns, 300, 0)
    assert roomy == pytest.approx([70, 200, 30])  # what the labels do not need goes back to the stub


def test_the_html_page_sets_a_short_header_on_one_line(tmp_path):
    """The HTML chapter (issue P, point 6): the browser cut « Valeur / de p » over two lines in thesis Tableau 2;
    its words are now joined by no-break spaces there, while the Word file keeps the breaks its layout may need."""
    markdown = chapter(tmp_path, "| Caractéristique | Modalité | CPTS du Grand Denain n = 11 | Valeur de p |\n"
                                 "|:---|:---|---:|---:|\n| Genre | Femme | 4 (36,4 %) | 0,2609 |\n"
                                 "\nTable: Tableau 2 : Comparaison\n")
    convert_markdown(str(markdown), str(tmp_path / "t.html"), str(tmp_path / "t.docx"), str(CSS), str(REFERENCE))
    html = (tmp_path / "t.html").read_text(encoding="utf-8")
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    assert "Valeur\u00a0de\u00a0p" in [header.replace("&nbsp;", "\u00a0").strip() for header in headers]
    assert any("Grand Denain" in header or "Grand\nDenain" in header for header in headers)  # a group name may wrap
    cells = [c.text for c in docx.Document(str(tmp_path / "t.docx")).tables[0].rows[0].cells]
    assert cells[-1] == "Valeur de\u00a0p"
