"""The Word chapters the pipeline writes, as a thesis author receives them: in Word (python-docx) and on
paper (printed to PDF by LibreOffice, read back with poppler's pdftotext)."""
from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import word_fields
from docx.oxml.ns import qn
from PIL import Image

from surveykit.figures.metadata import HEIGHT_KEY, MIN_FONT_KEY, MIN_PRINTED_FONT_PT, WIDTH_KEY
from surveykit.manuscript.docx import (CAPTION_NUMBER, LAST_RESORT_FONT_PT, SEQUENCE, SMALLEST_TABLE_FONT_PT,
                                       TABLE_FONT_SIZES_PT, line_room, page_of)
from surveykit.questionnaire.codebook import load_codebook

pytestmark = pytest.mark.pipeline
ROOT = Path(__file__).resolve().parents[1]

# The bundled chapters: one per configured wave, and the cross-wave section, with their study's codebook.
STUDY_OF = {"thesis_2025/resultats.docx": "tele_expertise_cpts", "demo_2027/resultats.docx": "tele_expertise_cpts",
            "waves/tele_expertise_cpts/evolution.docx": "tele_expertise_cpts",
            "barometre_2025/resultats.docx": "barometre_numerique"}
DOCUMENTS = list(STUDY_OF)
# The barometer's long answer labels (« Aide à la décision médicale (scores, calculateurs, recommandations) »)
# beside three or four groups' columns cannot stay on one line: there they wrap between words.
LABELS_ON_ONE_LINE = [name for name in DOCUMENTS if STUDY_OF[name] != "barometre_numerique"]
TABLE_TEXT_MAX_HEIGHT = 13.65  # pdftotext word boxes are 1.3 × the font size: table text (9–10 pt) < 10.5 pt
COUNT_CELL = re.compile(r"\d+ \(\d+(,\d+)? %\)")


def document_path(project: Path, name: str) -> Path:
    return project / "manuscript" / "build" / name


def normal(text: str) -> str:
    """Spaces of any kind as one space, typographic apostrophes as straight ones, the non-breaking hyphen as a
    hyphen and no word joiner (both print as the text they join)."""
    text = text.replace("\u2011", "-").replace("\u2060", "")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").split())


def block_sequence(document):
    """Paragraphs and tables of the body, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def check_caption(paragraph, kind: str) -> None:
    assert paragraph.style.style_id == "Caption", paragraph.text
    match = CAPTION_NUMBER.match(paragraph.text)
    fields = word_fields(paragraph)
    if match is None:
        assert fields == [], paragraph.text
        return
    assert len(fields) == 1, paragraph.text
    instruction, result = fields[0]
    assert instruction.startswith(f"SEQ {SEQUENCE[kind]} ") and instruction.endswith("\\* ARABIC"), instruction
    assert result == match["number"], paragraph.text


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_table_and_figure_has_a_word_caption_with_its_seq_field(built_project, name):
    document = docx.Document(str(document_path(built_project, name)))
    blocks = list(block_sequence(document))
    tables = figures = 0
    for index, block in enumerate(blocks):
        if isinstance(block, docx.table.Table):
            tables += 1
            caption = blocks[index - 1]
            check_caption(caption, "table")
            assert caption.paragraph_format.keep_with_next, caption.text
        elif block._p.xpath(".//pic:pic"):
            figures += 1
            check_caption(blocks[index + 1], "figure")
    assert tables and figures
    # Word prints the numbers the Markdown chapter wrote, in the same order, word by word ("Table", "Figure").
    markdown = document_path(built_project, name).with_suffix(".md").read_text(encoding="utf-8")
    tables = [m[1] for m in re.finditer(r"^(?:Table)?: (.*)$", markdown, flags=re.M)]
    figures = [m[1] for m in re.finditer(r"^!\[(.*)\]\(", markdown, flags=re.M)]
    written = [CAPTION_NUMBER.match(caption) for caption in tables + figures]
    printed = [CAPTION_NUMBER.match(b.text) for b in blocks
               if not isinstance(b, docx.table.Table) and b.style.style_id == "Caption"]

    def by_word(matches) -> dict[str, list[int]]:
        numbers: dict[str, list[int]] = {}
        for match in filter(None, matches):
            numbers.setdefault(match["label"], []).append(int(match["number"]))
        return numbers

    assert by_word(printed) == by_word(written)
    assert by_word(printed) or name.startswith("waves/")  # the cross-wave section numbers nothing


@pytest.mark.parametrize("name", DOCUMENTS)
def test_table_rows_repeat_their_header_and_never_split(built_project, name):
    document = docx.Document(str(document_path(built_project, name)))
    page = page_of(document)
    for table in document.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert sum(column.width.pt for column in table.columns) <= page.text_width + 0.1
        sizes = {run.font.size.pt if run.font.size else document.styles["Table Text"].font.size.pt
                 for row in rows for cell in row.cells for p in cell.paragraphs for run in p.runs}
        # 10 or 9 pt, down by half points to 8 pt when smaller type sets the table better (docx.smaller_if_better)
        assert sizes <= {10.0, 9.5, 9.0, 8.5, 8.0}, sizes
        assert max(TABLE_FONT_SIZES_PT) == 10.0 and min(LAST_RESORT_FONT_PT, SMALLEST_TABLE_FONT_PT) == 8.0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_table_note_is_kept_with_the_last_rows_of_its_table(built_project, name):
    """A note never starts a page alone (issue P, point 8, the barometer's Tableau 7): the paragraphs of the last
    two rows of every table followed by its note keep with the next paragraph."""
    document = docx.Document(str(document_path(built_project, name)))
    from docx.table import _Cell

    note_id = document.styles["Table Note"].style_id
    noted = [table for table in document.tables if table._tbl.getnext() is not None
             and table._tbl.getnext().xpath(f"boolean(./w:pPr/w:pStyle[@w:val='{note_id}'])")]
    assert noted or name.startswith("waves/")
    for table in noted:
        kept = [p.paragraph_format.keep_with_next for row in table.rows[-2:] for tc in row._tr.tc_lst
                for p in _Cell(tc, table).paragraphs]  # the row's own cells, a merged one's continuation too
        assert kept and all(kept), table.rows[-1].cells[0].text


@pytest.mark.parametrize("name", DOCUMENTS)
def test_figures_print_at_their_width_with_legible_text(built_project, name):
    """Each picture has its natural size, scaled down only to fit the text width and most of the text height;
    its smallest text, scaled alike, is ≥ 7 pt (figures are drawn at their print size: none is scaled down)."""
    document = docx.Document(str(document_path(built_project, name)))
    page = page_of(document)
    text_width_in, (frame_w, frame_h) = page.text_width / 72, page.figure_frame_in()
    illegible = []
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as image:
            natural_in, min_font = float(image.text[WIDTH_KEY]), float(image.text[MIN_FONT_KEY])
            natural_height_in = float(image.text[HEIGHT_KEY])
        width_in = shape.width.inches
        assert width_in <= text_width_in + 1e-3
        assert width_in == pytest.approx(min(natural_in, frame_w, frame_h * natural_in / natural_height_in), abs=1e-6)
        assert shape.height.inches <= frame_h + 1e-6
        printed = min_font * width_in / natural_in
        if printed < MIN_PRINTED_FONT_PT - 1e-6:  # the width is a whole number of EMU
            title = shape._inline.docPr.get("descr")
            illegible.append(f"« {title} » ({min_font:g} pt at {natural_in:.2f} in → {printed:.1f} pt)")
    assert not illegible, f"{name}: text below {MIN_PRINTED_FONT_PT:g} pt on paper: " + "; ".join(illegible)


# --- on paper -------------------------------------------------------------------------------------------

def _office_tools_missing() -> str | None:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian's libreoffice-writer-nogui and poppler-utils: `make test`)"
    if shutil.which("fc-match") is None:
        return "fontconfig's fc-match is not installed (it comes with LibreOffice: `make test`)"
    match = subprocess.run(["fc-match", "-f", "%{family}", "Times New Roman"], capture_output=True, text=True)
    if "Liberation Serif" not in match.stdout and "Times New Roman" not in match.stdout:
        return "no metric twin of Times New Roman (Debian's fonts-liberation2, installed by `make test`)"
    return None


@pytest.fixture(scope="session")
def printed(built_project, tmp_path_factory) -> dict[str, list[dict]]:
    """Each chapter printed to PDF by LibreOffice: per page, its size, its words with their boxes, and its
    text in drawing order (`pdftotext -raw`: a table row's cells one after the other)."""
    missing = _office_tools_missing()
    if missing:
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("printed")
    copies = []
    for index, name in enumerate(DOCUMENTS):
        copies.append(folder / f"{index}.docx")
        shutil.copy(document_path(built_project, name), copies[-1])
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, copies)],
                   check=True, capture_output=True, timeout=300)
    pages = {}
    for index, name in enumerate(DOCUMENTS):
        pdf = str(folder / f"{index}.pdf")
        boxes = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True).stdout
        raw = subprocess.run(["pdftotext", "-raw", pdf, "-"], check=True, capture_output=True, text=True).stdout
        pages[name] = _parse_bbox(boxes)
        for page, text in zip(pages[name], raw.split("\f")):
            page["raw"] = text
    return pages


def _parse_bbox(text: str) -> list[dict]:
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', text, flags=re.S):
        words = [{"x": float(m[1]), "y": float(m[2]), "h": float(m[4]) - float(m[2]), "text": html.unescape(m[5])}
                 for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                      r"(.*?)</word>", match[3])]
        pages.append({"width": float(match[1]), "height": float(match[2]), "words": words})
    return pages


def table_lines(page: dict) -> list[list[str]]:
    """The page's table text (words smaller than body text) as printed lines, each read from left to right."""
    lines: dict[float, list[dict]] = {}
    for word in page["words"]:
        if word["h"] < TABLE_TEXT_MAX_HEIGHT:
            lines.setdefault(round(word["y"] * 2) / 2, []).append(word)
    return [[token for word in sorted(line, key=lambda w: w["x"]) for token in normal(word["text"]).split()]
            for _y, line in sorted(lines.items())]


def occurrences(tokens: list[str], wanted: list[str]) -> int:
    """How many times the words `wanted` follow one another in `tokens` (without overlapping)."""
    count, index = 0, 0
    while index <= len(tokens) - len(wanted):
        if tokens[index:index + len(wanted)] == wanted:
            count, index = count + 1, index + len(wanted)
        else:
            index += 1
    return count


def body_cells(document, merged: bool = True) -> list[list[str]]:
    """Each table body row as the normalised texts of its cells; a cell merged down its block (a stub label spread
    over its rows) is its first row's only, or no row's when not `merged` (its lines lie beside several rows)."""
    from docx.table import _Cell

    rows = []
    for table in document.tables:
        for row in table.rows[1:]:
            texts = []
            for tc in row._tr.tc_lst:
                merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                first = merge is not None and merge.get(qn("w:val")) == "restart"
                keep = merge is None or (merged and first)
                texts.append(normal(_Cell(tc, table).text) if keep else "")
            rows.append(texts)
    return rows


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printed_chapter_is_a4(printed, name):
    assert printed[name]
    for page in printed[name]:
        assert (round(page["width"]), round(page["height"])) == (595, 842)  # A4 in points


def codebook_labels(codebook) -> set[str]:
    """Answer and grid-item labels of the questionnaire."""
    labels = set()
    for question in codebook.all_questions:
        labels.update(option.label for option in question.options)
        labels.update(question.levels)
        labels.update(item.label for item in question.items)
    return {normal(label) for label in labels if label}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printed_labels_and_counts_stay_whole_on_one_line(built_project, printed, name):
    """Every "n (%)" a table prints is on one line of the page, never wrapped; so is every codebook label
    where labels fit (LABELS_ON_ONE_LINE)."""
    document = docx.Document(str(document_path(built_project, name)))
    study = ROOT / "data" / "studies" / STUDY_OF[name]
    labels = codebook_labels(load_codebook(study / "codebook.yaml")) if name in LABELS_ON_ONE_LINE else set()
    wanted: dict[str, int] = {}
    for row in body_cells(document):
        for text in row:
            if text in labels or COUNT_CELL.fullmatch(text):
                wanted[text] = wanted.get(text, 0) + 1
    assert wanted, "the tables print no codebook label or count"
    lines = [line for page in printed[name] for line in table_lines(page)]
    broken = {text: count for text, count in wanted.items()
              if sum(occurrences(line, text.split()) for line in lines) < count}
    assert not broken, f"{name}: cells not whole on one printed line (text: times printed whole < in tables): {broken}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printed_table_rows_are_never_split_across_pages(built_project, printed, name):
    """Each body row's cells, drawn one after the other, are all on a single page (a row split by a page
    break would have its cells' lines on two pages, with the repeated header between them)."""
    document = docx.Document(str(document_path(built_project, name)))
    pages = [" " + normal(page["raw"]) + " " for page in printed[name]]
    split = [row for row in body_cells(document, merged=False)
             if not any(" " + " ".join(t for t in row if t) + " " in page for page in pages)]
    assert not split, f"{name}: rows not found whole on one page: {split[:5]}"


def _pieces(text: str) -> set[str]:
    """The printed words a text may show: its words, and the parts of a hyphenated word broken after any of its
    hyphens (« Wilcoxon-Mann- » / « Whitney », « Wilcoxon- » / « Mann-Whitney »)."""
    words = normal(text).split()
    pieces = set(words)
    for word in words:
        parts = re.findall(r"[^-]+-?|-", word)
        pieces |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return pieces


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printed_tables_break_no_word_and_no_number(built_project, printed, name):
    """Every word printed in a table (or its note) is a whole word of the document, or a run of one (the « er »
    of a superscript « 1er »): no « Caractéristiqu|e », no « (92,2 %|) », no « < 0,00|1 »."""
    document = docx.Document(str(document_path(built_project, name)))
    paragraphs = list(document.paragraphs)
    paragraphs += [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    whole = set()
    for paragraph in paragraphs:
        whole |= _pieces(paragraph.text)
        for run in paragraph.runs:
            whole |= _pieces(run.text)
    printed_words = {word for page in printed[name] for line in table_lines(page) for word in line}
    fragments = sorted(printed_words - whole)
    assert not fragments, f"{name}: words broken in print: {fragments[:20]}"


def test_every_drawn_figure_passes_the_text_check(built_project):
    """surveykit.figures.check runs on every figure the bundled waves draw: no text out of the canvas, crossed by
    a line or hidden by a marker, and no point hidden by another (issue P, point 2)."""
    logs = sorted((built_project / "results" / "logs").glob("*/draw_*.log"))
    assert logs
    problems = [line for log in logs for line in log.read_text(encoding="utf-8").splitlines()
                if "surveykit.figures.style" in line]
    assert problems == []


@pytest.mark.parametrize("name", ["thesis_2025/resultats.docx"])
def test_group_headers_wrap_between_words_and_rows_keep_one_height(built_project, name):
    """Tableau 2: each group's name on two lines at most (its size on a line of its own), stub labels merged down
    their block rather than making its first row taller (issue P, point 6). Its answer labels stay whole and
    « Valeur de p » on one line at 8 pt (at 8,5 pt it had no room and wrapped)."""
    from surveykit.manuscript.textmetrics import text_width_pt

    document = docx.Document(str(document_path(built_project, name)))
    table = document.tables[1]
    widths = [column.width.pt for column in table.columns]
    size = next(r.font.size.pt for r in table.rows[1].cells[1].paragraphs[0].runs if r.font.size)
    header = [cell.text for cell in table.rows[0].cells]
    for column, text in enumerate(header[2:5], start=2):
        name_line = text.split("\n")[0]
        words = name_line.split()
        two = min(max(text_width_pt(" ".join(words[:i]), size, True), text_width_pt(" ".join(words[i:]), size, True))
                  for i in range(1, len(words)))
        assert "\n" in text and widths[column] >= two + 7.2, (text, widths[column])
    assert normal(header[5]) == "Valeur de p"
    assert size == 8.0 and text_width_pt("Valeur de\u00a0p", size, True) <= line_room(widths[5])
    merged = [row._tr.tc_lst[0].tcPr is not None and row._tr.tc_lst[0].tcPr.find(qn("w:vMerge")) is not None
              for row in table.rows]
    assert any(merged)
