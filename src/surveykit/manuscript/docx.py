"""Finish the Word chapter written by pandoc: captions Word can list, tables sized from their content.

pandoc writes the chapter with the project's reference document (manuscript/reference.docx: A4, French,
Times New Roman; made by scripts/make_reference_docx.py). This module then edits the document with
python-docx, so that a thesis author can paste it into the thesis as is:
- captions are in Word's caption style ("Légende" in French Word) and their number is a SEQ field
  (`SEQ Tableau` for tables, `SEQ Figure` for figures) whose result is the number the chapter prints, so
  "Insérer une table des illustrations" lists them; the word before the number stays as written, and a
  caption without a number stays a plain caption;
- tables get column widths from their content (table_layout), 10 or 9 pt text, a header row repeated on
  each page, rows that never split across pages, and their caption kept with them;
- pictures get their exact print width (never wider than the text block).
python-docx is imported inside the functions (the conversion step is on the cold-run path)."""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from surveykit.core.errors import ConsistencyError

from .pandoc_ast import is_numeric
from .table_layout import ColumnNeeds, preferred_layout, squeezed_layout, wrapped_lines
from .textmetrics import text_width_pt

CAPTION_STYLE = "Caption"  # Word's built-in "caption" (shown "Légende" in French Word)
TABLE_TEXT_STYLE = "Table Text"
TABLE_HEADING_STYLE = "Table Heading"
TABLE_NOTE_STYLE = "Table Note"  # the footnote under a table (the chapter's Markdown names it in a custom-style div)
PANDOC_TABLE_CAPTION = "TableCaption"
PANDOC_FIGURE_CAPTION = "ImageCaption"
SEQUENCE = {"table": "Tableau", "figure": "Figure"}  # SEQ identifiers, whatever word the caption prints
TABLE_FONT_SIZES_PT = (10.0, 9.0)  # tried in turn until every label fits on one line
CELL_MARGIN_PT = 3.6  # left and right margin inside a table cell (72 twips)
FIGURE_HEIGHT_SHARE = 0.85  # a figure leaves this share of the text block's height free for its caption
LINE_HEIGHT_EM = 1.15  # single line spacing of Times New Roman
# A table at most this share of the text block tall is kept whole on one page: moving it to the next page
# leaves at most that much blank. A taller one breaks between rows, its header repeated: kept whole, a table
# of most of a page after the title and a figure would leave page 1 mostly blank.
KEEP_WHOLE_SHARE = 1 / 3
MEASURE_SLACK = (1.005, 0.5)  # measured width × factor + pt: room for rounding in the word processor
CAPTION_NUMBER = re.compile(r"(?P<label>[^\W\d_]+\.?)[ \u00a0](?P<number>\d+)(?=\s*[.:\u2013\u2014-]|\s*$)")
_EMU_PER_PT = 12700

logger_name = __name__


@dataclass(frozen=True)
class Page:
    """The text block of the document's last section, in points."""

    text_width: float
    text_height: float

    def figure_frame_in(self) -> tuple[float, float]:
        """Largest width and height of a figure, in inches: the text width, most of the text height."""
        return self.text_width / 72, FIGURE_HEIGHT_SHARE * self.text_height / 72


def page_of(document) -> Page:
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    return Page(width / _EMU_PER_PT, height / _EMU_PER_PT)


def figure_frame_in(reference_docx: str | Path) -> tuple[float, float]:
    """Largest figure (width, height) in inches on the pages of a Word document (the reference document)."""
    import docx

    return page_of(docx.Document(str(reference_docx))).figure_frame_in()


def phrase_key(text: str) -> str:
    """A cell or label compared whatever its spaces and apostrophes (pandoc prints ' as ’)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").split())


def finish_docx(path: str | Path, logger: logging.Logger | None = None, whole: frozenset[str] = frozenset()) -> None:
    """Post-process a pandoc DOCX in place (captions, tables, picture widths); byte-deterministic.

    `whole`: labels a table cell prints on one line (as phrase_key gives them), e.g. the questionnaire's
    answer and item labels; other label cells may wrap between words when a table is too wide."""
    import docx

    from surveykit.core.io import pin_office_file

    logger = logger or logging.getLogger(logger_name)
    document = docx.Document(str(path))
    page = page_of(document)
    number_captions(document)
    for table, caption in tables_with_captions(document):
        format_table(table, caption, page, logger, whole)
    size_pictures(document, page, path)
    document.save(str(path))
    pin_office_file(path)


# --- captions -------------------------------------------------------------------------------------------

def _style_id(paragraph) -> str | None:
    pPr = paragraph._p.pPr
    return pPr.pStyle.val if pPr is not None and pPr.pStyle is not None else None


def _set_style(paragraph, style_id: str) -> None:
    """Set a paragraph's style by id (python-docx's `paragraph.style = …` looks the default style up on each call,
    which costs a second for the few hundred table cells of a chapter)."""
    paragraph._p.get_or_add_pPr().style = style_id


def caption_kind(paragraph) -> str | None:
    """"table" or "figure" for a caption paragraph, as pandoc or this module styled it; else None."""
    style = _style_id(paragraph)
    if style == PANDOC_TABLE_CAPTION:
        return "table"
    if style == PANDOC_FIGURE_CAPTION:
        return "figure"
    return None


def number_captions(document) -> None:
    """Restyle every caption in Caption and turn its number into a SEQ field, in document order.

    Word and LibreOffice recompute SEQ fields (LibreOffice on opening, Word when fields are updated), so the
    field reproduces the printed number: a number equal to the previous one of its sequence repeats it
    (`\\c`, e.g. two parts of one table), a number that does not follow the previous one restarts the
    sequence there (`\\r n`, e.g. a chapter whose figures start at 7)."""
    previous = {kind: 0 for kind in SEQUENCE}
    caption_id = document.styles[CAPTION_STYLE].style_id
    for paragraph in document.paragraphs:
        kind = caption_kind(paragraph)
        if kind is None:
            continue
        _set_style(paragraph, caption_id)
        paragraph.paragraph_format.keep_together = True
        if kind == "table":
            paragraph.paragraph_format.keep_with_next = True
        text = "".join(run.text for run in paragraph.runs)
        match = CAPTION_NUMBER.match(text)
        if match is None:
            continue
        number = int(match["number"])
        switch = "\\c " if number == previous[kind] else "" if number == previous[kind] + 1 else f"\\r {number} "
        previous[kind] = number
        runs = _isolate(paragraph, *match.span("number"))
        _wrap_in_field(runs, f" SEQ {SEQUENCE[kind]} {switch}\\* ARABIC ")


def _split_run(run, offset: int):
    """Split a run of text in two at `offset`; both halves keep the run's formatting."""
    from docx.text.run import Run

    text = run.text
    clone = copy.deepcopy(run._r)
    run._r.addnext(clone)
    run.text = text[:offset]
    second = Run(clone, run._parent)
    second.text = text[offset:]
    return run, second


def _isolate(paragraph, start: int, end: int) -> list:
    """The runs that hold exactly the characters [start, end) of the paragraph (splitting runs as needed)."""
    selected, position = [], 0
    for run in list(paragraph.runs):
        run_start = position
        position += len(run.text)
        if position <= start or run_start >= end:
            continue
        if run_start < start:
            run = _split_run(run, start - run_start)[1]
            run_start = start
        if run_start + len(run.text) > end:
            run = _split_run(run, end - run_start)[0]
        selected.append(run)
    return selected


def _field_run(template, child):
    """A run with the template run's formatting holding one field element."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    if template._r.rPr is not None:
        run.append(copy.deepcopy(template._r.rPr))
    run.append(child)
    return run


def _wrap_in_field(runs: list, instruction: str) -> None:
    """Make `runs` the cached result of a complex field with `instruction` (begin/instr/separate … end)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    first, last = runs[0], runs[-1]
    for child in (field_char("begin"), instr, field_char("separate")):
        first._r.addprevious(_field_run(first, child))
    last._r.addnext(_field_run(last, field_char("end")))


# --- tables ---------------------------------------------------------------------------------------------

def tables_with_captions(document) -> list[tuple]:
    """Each table with the text of the caption paragraph just before it ("" if none)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found, previous = [], None
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}tbl"):
            caption = previous.text if previous is not None and _style_id(previous) in (
                "Caption", PANDOC_TABLE_CAPTION) else ""
            found.append((Table(child, document), caption))
            previous = None
        elif child.tag.endswith("}p"):
            previous = Paragraph(child, document)
    return found


@dataclass
class _Cell:
    cell: object  # docx.table._Cell
    column: int
    span: int
    header: bool
    texts: list[str]


def _grid(table) -> list[list[_Cell]]:
    from docx.oxml.ns import qn
    from docx.table import _Cell as DocxCell

    rows = []
    for tr in table._tbl.tr_lst:
        header = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
        column, cells = 0, []
        for tc in tr.tc_lst:
            cell = DocxCell(tc, table)
            cells.append(_Cell(cell, column, tc.grid_span, header, [p.text for p in cell.paragraphs]))
            column += tc.grid_span
        rows.append(cells)
    return rows


def _adjusted(width: float) -> float:
    factor, extra = MEASURE_SLACK
    return width * factor + extra


def _words(text: str, header: bool = False) -> list[str]:
    """The pieces a line may break between: words; in a header, also after a hyphen ("Non-|utilisateurs"),
    as Word and LibreOffice do (a body label keeps its compound words whole)."""
    words = [word for word in text.split(" ") if word]
    if header:
        words = [piece for word in words for piece in re.findall(r"[^-]+-?|-", word)]
    return words


def column_needs(grid: list[list[_Cell]], columns: int, size: float,
                 whole: frozenset[str] = frozenset()) -> list[ColumnNeeds]:
    """Measure each column's cells at `size` pt (header cells in bold); `whole` labels never wrap, numbers only
    between two statistics (their other spaces are non-breaking)."""
    needs = []
    for index in range(columns):
        cells = [c for row in grid for c in row if c.column == index and c.span == 1]
        body = [c for c in cells if not c.header]
        body_texts = [t for c in body for t in c.texts]
        numeric = any(is_numeric(t) for t in body_texts) and all(is_numeric(t) or not t.strip() for t in body_texts)

        def longest_word(cell: _Cell) -> float:
            return max((text_width_pt(w, size, cell.header) for t in cell.texts for w in _words(t, cell.header)),
                       default=0.0)

        def one_line(cell: _Cell) -> float:
            return max((text_width_pt(t, size, cell.header) for t in cell.texts), default=0.0)

        def unbreakable(cell: _Cell) -> bool:  # number cells break only where pandoc_ast left a plain space
            return not cell.header and phrase_key(" ".join(cell.texts)) in whole

        hard = max([one_line(c) if unbreakable(c) else longest_word(c) for c in cells], default=0.0)
        body_width = max([one_line(c) for c in body] + [longest_word(c) for c in cells if c.header], default=0.0)
        full = max([body_width] + [one_line(c) for c in cells if c.header])
        needs.append(ColumnNeeds(_adjusted(hard), _adjusted(body_width), _adjusted(full), numeric))
    return needs


def choose_layout(grid, columns: int, available: float, caption: str, logger,
                  whole: frozenset[str] = frozenset()) -> tuple[float, list[float]]:
    """The table font and column widths (pt): the largest font at which every body cell fits on one line;
    else the font at which the table is shortest once the text of some columns wraps between words (never
    inside a number, a `whole` label or a word); else the same with the `whole` labels wrapping between their
    words too (a long answer label beside several groups' columns); else the smallest font, with words broken
    (a warning names the table)."""
    padding = 2 * CELL_MARGIN_PT
    needs = {size: column_needs(grid, columns, size, whole) for size in TABLE_FONT_SIZES_PT}
    for size in TABLE_FONT_SIZES_PT:
        widths = preferred_layout(needs[size], available, padding)
        if widths is not None:
            return size, widths
    for kept_whole, what in ((whole, "some text wraps between words"),
                             (frozenset(), "answer labels too long to stay on one line wrap between words")):
        if kept_whole is not whole:
            needs = {size: column_needs(grid, columns, size, kept_whole) for size in TABLE_FONT_SIZES_PT}
        squeezed = {size: squeezed_layout(needs[size], available, padding) for size in TABLE_FONT_SIZES_PT}
        fitting = [size for size in TABLE_FONT_SIZES_PT if squeezed[size].fits]
        if fitting:
            size = min(fitting, key=lambda s: sum(_row_heights(grid, squeezed[s].widths, s)))  # first of equals
            logger.info("table %r: %s at %g pt", caption, what, size)
            return size, squeezed[size].widths
    size = TABLE_FONT_SIZES_PT[-1]
    logger.warning("table %r: its longest words do not fit the text width at %g pt; some break", caption, size)
    return size, squeezed_layout(needs[size], available, padding).widths


def _row_heights(grid, widths: list[float], size: float) -> list[float]:
    space = text_width_pt(" ", size)
    heights = []
    for row in grid:
        lines = 1
        for cell in row:
            width = sum(widths[cell.column:cell.column + cell.span]) - 2 * CELL_MARGIN_PT
            count = sum(wrapped_lines([text_width_pt(w, size, cell.header) for w in _words(t, cell.header)] or [0.0],
                                      space, width) for t in cell.texts)
            lines = max(lines, count)
        heights.append(lines * size * LINE_HEIGHT_EM)
    return heights


def _set_table_geometry(table, widths: list[float]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table.autofit = False  # fixed layout: Word and LibreOffice use these widths as they are
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblPr = table._tbl.tblPr
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        tblPr.insert_element_before(tblW, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(round(sum(widths) * 20)))
    for old in tblPr.findall(qn("w:tblCellMar")):
        tblPr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_PT * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths):
        column.width = Pt(width)


def _mark_row(tr, header: bool) -> None:
    """Rows never split across pages; header rows repeat on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trPr = tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        trPr.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
                                   "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
    if header and trPr.find(qn("w:tblHeader")) is None:
        trPr.insert_element_before(OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins",
                                   "w:del", "w:trPrChange")


def format_table(table, caption: str, page: Page, logger, whole: frozenset[str] = frozenset()) -> None:
    """Widths from content, table text styles, unsplittable rows, repeated header, kept with its caption."""
    from docx.shared import Pt

    document = table.part.document
    grid = _grid(table)
    columns = len(table.columns)
    size, widths = choose_layout(grid, columns, page.text_width, caption, logger, whole)
    _set_table_geometry(table, widths)
    heights = _row_heights(grid, widths, size)
    short = sum(heights) + 3 * 11 * LINE_HEIGHT_EM <= KEEP_WHOLE_SHARE * page.text_height
    headers = sum(1 for row in grid if row and row[0].header)
    # Keep a short table whole on one page; a longer one keeps its header with two rows of body.
    kept = len(grid) - 1 if short else min(len(grid) - 1, headers + 2)
    text_style = document.styles[TABLE_TEXT_STYLE]
    text_id, heading_id = text_style.style_id, document.styles[TABLE_HEADING_STYLE].style_id
    for index, (tr, row) in enumerate(zip(table._tbl.tr_lst, grid)):
        _mark_row(tr, header=bool(row) and row[0].header)
        for cell in row:
            cell.cell.width = Pt(sum(widths[cell.column:cell.column + cell.span]))
            for paragraph in cell.cell.paragraphs:
                _set_style(paragraph, heading_id if cell.header else text_id)
                paragraph.paragraph_format.keep_with_next = index < kept
                if size != text_style.font.size.pt:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)


# --- pictures -------------------------------------------------------------------------------------------

def size_pictures(document, page: Page, path) -> None:
    """Give every figure its exact print size (its natural size, scaled down only to fit the figure frame of
    the page) and check none is wider than the text block.

    pandoc already sized each picture from the width the conversion computed, but in whole pixels at 96 dpi;
    the natural size recorded in the PNG (surveykit.figures.metadata) gives the exact width and height."""
    import io

    from PIL import Image

    from surveykit.figures.metadata import HEIGHT_KEY, WIDTH_KEY, PrintMetrics

    text_width_emu = round(page.text_width * _EMU_PER_PT)
    frame = page.figure_frame_in()
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as image:
            recorded = getattr(image, "text", {}) or {}
        if WIDTH_KEY in recorded and HEIGHT_KEY in recorded:
            natural = PrintMetrics(float(recorded[WIDTH_KEY]), float(recorded[HEIGHT_KEY]), None)
            width = min(round(natural.print_width_in(*frame) * 914400), text_width_emu)
            shape.width, shape.height = width, round(width * natural.height_in / natural.width_in)
        if shape.width > text_width_emu:
            raise ConsistencyError(f"{path}: a picture is {shape.width / _EMU_PER_PT:.1f} pt wide, wider than "
                                   f"the text block ({page.text_width:.1f} pt)")
