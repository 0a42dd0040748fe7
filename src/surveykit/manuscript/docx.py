"""Finish the Word chapter written by pandoc: captions Word can list, tables sized from their content.

pandoc writes the chapter with the project's reference document (manuscript/reference.docx: A4, French,
Times New Roman; made by scripts/make_reference_docx.py). This module then edits the document with
python-docx, so that a thesis author can paste it into the thesis as is:
- captions are in Word's caption style ("Légende" in French Word) and their number is a SEQ field
  (`SEQ Tableau` for tables, `SEQ Figure` for figures) whose result is the number the chapter prints, so
  "Insérer une table des illustrations" lists them; the word before the number stays as written, and a
  caption without a number stays a plain caption;
- tables get column widths from their content (table_layout), 10 or 9 pt text (down to 8 pt when smaller type
  sets a table better: smaller_if_better), a header row repeated on
  each page, rows that never split across pages, their caption kept with them and their last rows with
  their note;
- pictures get their exact print width (never wider than the text block).
python-docx is imported inside the functions (the conversion step is on the cold-run path)."""
from __future__ import annotations

import copy
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from surveykit.core.errors import ConsistencyError

from .pandoc_ast import cut_when_wrapped, is_numeric
from .table_layout import (ColumnNeeds, labels_first_layout, preferred_layout, squeezed_layout, wrapped_labels_layout,
                           wrapped_lines)
from .textmetrics import text_width_pt

CAPTION_STYLE = "Caption"  # Word's built-in "caption" (shown "Légende" in French Word)
TABLE_TEXT_STYLE = "Table Text"
TABLE_HEADING_STYLE = "Table Heading"
TABLE_NOTE_STYLE = "Table Note"  # the footnote under a table (the chapter's Markdown names it in a custom-style div)
PANDOC_TABLE_CAPTION = "TableCaption"
PANDOC_FIGURE_CAPTION = "ImageCaption"
SEQUENCE = {"table": "Tableau", "figure": "Figure"}  # SEQ identifiers, whatever word the caption prints
TABLE_FONT_SIZES_PT = (10.0, 9.0)  # tried in turn until every label fits on one line
LAST_RESORT_FONT_PT = 8.5  # the answer labels stay on one line at this size rather than wrap (still legible)
CELL_MARGIN_PT = 3.6  # left and right margin inside a table cell (72 twips)
FIGURE_HEIGHT_SHARE = 0.85  # a figure leaves this share of the text block's height free for its caption
LINE_HEIGHT_EM = 1.15  # single line spacing of Times New Roman
# A table at most this share of the text block tall is kept whole on one page: moving it to the next page
# leaves at most that much blank. A taller one breaks between rows, its header repeated: kept whole, a table
# of most of a page after the title and a figure would leave page 1 mostly blank.
KEEP_WHOLE_SHARE = 1 / 3
# Body rows at each end of a table kept together: the header with the first ones, the last ones with the note
# under the table (a note alone at the top of a page, or one row alone under its repeated header, reads as cut).
ROWS_KEPT_AT_EACH_END = 2
MEASURE_SLACK = (1.005, 0.5)  # measured width × factor + pt: room for rounding in the word processor
CAPTION_NUMBER = re.compile(r"(?P<label>[^\W\d_]+\.?)[ \u00a0](?P<number>\d+)(?=\s*[.:\u2013\u2014-]|\s*$)")
_EMU_PER_PT = 12700
TWIP_PT = 0.05  # Word stores widths in twips

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
    """A cell or label compared whatever its spaces, apostrophes (pandoc prints ' as ’), non-breaking hyphens and
    word joiners (pandoc_ast's, which print as what they join)."""
    text = text.replace("\u2011", "-").replace("\u2060", "")
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
        format_table(table, caption, page, logger, whole, note_follows=_note_follows(table, document))
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


def _note_follows(table, document) -> bool:
    """Whether the paragraph just after the table is its note (in TABLE_NOTE_STYLE)."""
    following = table._tbl.getnext()
    if following is None or not following.tag.endswith("}p"):
        return False
    try:
        note_id = document.styles[TABLE_NOTE_STYLE].style_id
    except KeyError:  # a reference document without the style: pandoc wrote no note paragraph in it
        return False
    pPr = following.pPr
    return pPr is not None and pPr.pStyle is not None and pPr.pStyle.val == note_id


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
            lines = [line for p in cell.paragraphs for line in p.text.split("\n")]  # a line break ends a line
            cells.append(_Cell(cell, column, tc.grid_span, header, lines))
            column += tc.grid_span
        rows.append(cells)
    return rows


def _adjusted(width: float) -> float:
    factor, extra = MEASURE_SLACK
    return width * factor + extra


def line_room(width: float) -> float:
    """The measured length of text a cell `width` wide (margins included) holds on one line: the inverse of
    _adjusted, so that a label sized to its column is counted on the lines the word processor sets it on (a
    label 0,05 pt shorter than its cell still wraps in LibreOffice), give or take the twip a width is rounded to."""
    factor, extra = MEASURE_SLACK
    return (width - 2 * CELL_MARGIN_PT - extra) / factor + TWIP_PT


def _words(text: str, header: bool = False) -> list[str]:
    """The pieces a line may break between: words (compound words stay whole: pandoc_ast made their hyphens
    non-breaking; `header` is kept for callers that measure header cells in bold)."""
    return [word for word in text.split(" ") if word]


def two_line_width(text: str, size: float, bold: bool) -> float:
    """The narrowest width that sets `text` on at most two lines, broken between words."""
    words = _words(text)
    if len(words) < 2:
        return text_width_pt(text, size, bold)
    return min(max(text_width_pt(" ".join(words[:i]), size, bold), text_width_pt(" ".join(words[i:]), size, bold))
               for i in range(1, len(words)))


SHORT_HEADER_WORDS = 3  # a header of a statistic (« Valeur de p ») this short stays on one line


def _header_wish(cell: _Cell, text: str, size: float) -> float:
    """The width a header line asks for once every header is on two lines at most: a short header naming a
    statistic (« Valeur de p ») on one line; a group's name (its header has a line of its own for the group's
    size) or a longer header on two lines."""
    if len(cell.texts) == 1 and len(_words(text)) <= SHORT_HEADER_WORDS:
        return text_width_pt(text, size, True)
    return two_line_width(text, size, True)


def stub_blocks(grid: list[list[_Cell]]) -> list[tuple[int, int]]:
    """(first row, number of rows) of each block of the first column: a body row whose first cell holds a label
    and the rows under it whose first cell is empty (the answers of one variable)."""
    blocks: list[list[int]] = []
    for index, row in enumerate(grid):
        first = next((c for c in row if c.column == 0), None)
        if first is None or first.header or first.span != 1:
            continue
        if "".join(first.texts).strip() or not blocks:
            blocks.append([index, 1])
        else:
            blocks[-1][1] += 1
    return [(start, count) for start, count in blocks]


def _lines_at(texts: list[str], width: float, size: float, bold: bool = False) -> int:
    space = text_width_pt(" ", size)
    return sum(wrapped_lines([text_width_pt(w, size, bold) for w in _words(t)] or [0.0], space, width) for t in texts)


def _stub_min(grid: list[list[_Cell]], size: float, hard: float) -> float:
    """The narrowest first column whose every label wraps within the rows of its block (never below `hard`)."""
    needed = hard
    for start, count in stub_blocks(grid):
        cell = next(c for c in grid[start] if c.column == 0)
        low, high = needed, max([needed] + [text_width_pt(t, size) for t in cell.texts])
        if _lines_at(cell.texts, high, size) > count:
            continue  # even on one line per paragraph it needs more rows: the block's first row grows anyway
        for _ in range(30):
            middle = (low + high) / 2
            low, high = (low, middle) if _lines_at(cell.texts, middle, size) <= count else (middle, high)
        needed = max(needed, high)
    return needed


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
        head_two = max([two_line_width(t, size, True) for c in cells if c.header for t in c.texts], default=0.0)
        head_pref = max([_header_wish(c, t, size) for c in cells if c.header for t in c.texts], default=0.0)
        stub = _stub_min(grid, size, hard) if index == 0 and not numeric else None
        needs.append(ColumnNeeds(_adjusted(hard), _adjusted(body_width), _adjusted(full), numeric,
                                 _adjusted(head_two), None if stub is None else _adjusted(stub), _adjusted(head_pref)))
    return needs


def choose_layout(grid, columns: int, available: float, caption: str, logger,
                  whole: frozenset[str] = frozenset()) -> tuple[float, list[float]]:
    """The table font and column widths (pt): the largest font at which every body cell fits on one line;
    else the font at which the table is shortest once the text of some columns wraps between words (never
    inside a number, a `whole` label or a word); else the same with the `whole` labels wrapping between their
    words too (a long answer label beside several groups' columns), unless at LAST_RESORT_FONT_PT every label
    fits on one line; else the smallest font, with words broken (a warning names the table). Headers stay on two
    lines at most and the stub wraps within its block's rows as long as the text width allows; a short header then
    gets its line where that costs no cell a line (header_lines_polished). The choice is then set in smaller type
    when that removes cut headers or cells on three lines (smaller_if_better)."""
    padding = 2 * CELL_MARGIN_PT
    needs = {size: column_needs(grid, columns, size, whole) for size in TABLE_FONT_SIZES_PT}
    for size in TABLE_FONT_SIZES_PT:
        widths = preferred_layout(needs[size], available, padding)
        if widths is not None:
            chosen = (size, header_lines_polished(grid, needs[size], size, widths, available))
            return smaller_if_better(grid, columns, available, chosen, whole, ONE_LINE_LAYOUTS)
    # Labels wrap, numbers stay whole (or break between two statistics), whichever makes the table shortest;
    # headers on two lines at most, the stub within its rows. The answer labels wrap only when even at
    # LAST_RESORT_FONT_PT they cannot stay whole.
    passes = [(whole, TABLE_FONT_SIZES_PT, "some text wraps between words"),
              (whole, (LAST_RESORT_FONT_PT,), "the answer labels stay on one line"),
              (frozenset(), TABLE_FONT_SIZES_PT, "answer labels too long to stay on one line wrap between words")]
    for kept_whole, sizes, what in passes:
        layouts = {size: column_needs(grid, columns, size, kept_whole) for size in sizes}
        candidates = [(size, widths) for size in sizes
                      for widths in (layout(layouts[size], available, padding) for layout in WRAPPING_LAYOUTS)
                      if widths is not None]
        if candidates:
            size, widths = min(candidates, key=lambda c: sum(_row_heights(grid, c[1], c[0])))  # first of equals
            chosen = (size, header_lines_polished(grid, layouts[size], size, widths, available))
            chosen = smaller_if_better(grid, columns, available, chosen, kept_whole, WRAPPING_LAYOUTS)
            logger.info("table %r: %s at %g pt", caption, what, chosen[0])
            return chosen
    # Headers may take more than two lines; smaller type only when even that does not fit, before any word breaks.
    smaller = tuple(size / 2 for size in range(round(2 * min(TABLE_FONT_SIZES_PT)) - 1,
                                                 round(2 * SMALLEST_TABLE_FONT_PT) - 1, -1))
    for kept_whole, what in ((whole, "some text wraps between words"),
                             (frozenset(), "answer labels too long to stay on one line wrap between words")):
        for sizes in (TABLE_FONT_SIZES_PT, *[(size,) for size in smaller]):
            needs = {size: column_needs(grid, columns, size, kept_whole) for size in sizes}
            squeezed = {size: squeezed_layout(needs[size], available, padding) for size in sizes}
            fitting = [size for size in sizes if squeezed[size].fits]
            if fitting:
                size = min(fitting, key=lambda s: sum(_row_heights(grid, squeezed[s].widths, s)))  # first of equals
                chosen = (size, header_lines_polished(grid, needs[size], size, squeezed[size].widths, available))
                chosen = smaller_if_better(grid, columns, available, chosen, kept_whole,
                                           WRAPPING_LAYOUTS + (_squeezed,))
                logger.info("table %r: %s at %g pt", caption, what, chosen[0])
                return chosen
    size = SMALLEST_TABLE_FONT_PT
    needs = {size: column_needs(grid, columns, size)}
    logger.warning("table %r: its longest words do not fit the text width at %g pt; some break", caption, size)
    return size, squeezed_layout(needs[size], available, padding).widths


def _squeezed(needs: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    return _fitting(squeezed_layout(needs, available, padding))


def _squeezed_with_headers(needs: list[ColumnNeeds], available: float, padding: float) -> list[float] | None:
    return _fitting(squeezed_layout(needs, available, padding, headers=True))


ONE_LINE_LAYOUTS = (preferred_layout,)  # every body cell on one line
WRAPPING_LAYOUTS = (preferred_layout, wrapped_labels_layout, labels_first_layout, _squeezed_with_headers)
SMALLEST_TABLE_FONT_PT = 8.0  # still legible in a printed thesis; below, a table is better rethought
FONT_STEP_PT = 0.5
# A short header cut over two lines (« Valeur / de p ») or a cell set on more than two lines reads worse than type
# half a point smaller, but better than type a whole point smaller.
DEFECT_COST_PT = 0.75


def layout_defects(grid, widths: list[float], size: float) -> int:
    """What a reader sees as badly set at these widths: a short header cut by its line break (cut_when_wrapped),
    headers and body cells on more than two lines (a label spread over the rows of its block excepted)."""
    spread = {start + row for start, count in merged_stub_blocks(grid, widths, size) for row in range(count)}
    defects = 0
    for index, row in enumerate(grid):
        for cell in row:
            if cell.column == 0 and index in spread:
                continue
            room = line_room(sum(widths[cell.column:cell.column + cell.span]))
            if not cell.header:
                defects += _lines_at(cell.texts, room, size) > 2
                continue
            for text in cell.texts:
                lines = _lines_at([text], room, size, True)
                defects += lines > 2 or (lines > 1 and len(cell.texts) == 1 and cut_when_wrapped(text))
    return defects


def _body_lines(grid, widths: list[float], size: float) -> int:
    heights = _row_heights(grid, widths, size)
    return sum(round(h / (size * LINE_HEIGHT_EM)) for h, row in zip(heights, grid) if not (row and row[0].header))


def smaller_if_better(grid, columns: int, available: float, chosen: tuple[float, list[float]],
                      whole: frozenset[str], layouts) -> tuple[float, list[float]]:
    """The chosen (font, widths), or the same table in smaller type (by FONT_STEP_PT, down to
    SMALLEST_TABLE_FONT_PT) when that sets it better: each defect (layout_defects) costs DEFECT_COST_PT of type
    size, and the body may take no more lines. Thesis Tableau 2: « Valeur de p » on one line at 8 pt rather than
    « Valeur / de p » at 8,5 pt."""
    padding = 2 * CELL_MARGIN_PT
    size, widths = chosen
    best, best_cost = chosen, DEFECT_COST_PT * layout_defects(grid, widths, size)
    body = _body_lines(grid, widths, size)
    trial = size - FONT_STEP_PT
    while trial >= SMALLEST_TABLE_FONT_PT - 1e-9 and size - trial < best_cost:
        needs = column_needs(grid, columns, trial, whole)
        options = []
        for option in (layout(needs, available, padding) for layout in layouts):
            if option is not None:
                option = header_lines_polished(grid, needs, trial, option, available)
                cost = size - trial + DEFECT_COST_PT * layout_defects(grid, option, trial)
                options.append((round(cost, 6), sum(_row_heights(grid, option, trial)), option))
        fitting = [o for o in options if _body_lines(grid, o[2], trial) <= body]
        if fitting:
            cost, _height, option = min(fitting, key=lambda o: o[:2])  # the cheapest, then the shortest
            if cost < best_cost - 1e-6:
                best, best_cost = (trial, option), cost
        trial -= FONT_STEP_PT
    return best


def within_width(widths: list[float], available: float) -> list[float]:
    """Widths in whole twips (what Word stores) that add up to at most `available`: the measured widths carry a
    small slack each, so their sum may pass the text width by a fraction of a point; the widest column gives it."""
    twips = [math.floor(width * 20) for width in widths]
    excess = sum(twips) - math.floor(available * 20)
    if excess > 0:
        widest = twips.index(max(twips))
        twips[widest] -= excess
    return [t / 20 for t in twips]


def header_lines_polished(grid, needs: list[ColumnNeeds], size: float, widths: list[float],
                          available: float) -> list[float]:
    """The widths with room given to each short header that wraps (« Valeur / de p », see _header_wish), taken
    where it costs no line: first from the text width the table leaves unused, then from columns wider than their
    cells need for their current lines. No column goes below its floor (its longest word or whole label,
    its numbers on one line, its header on two lines, a short header kept on its line); a header that cannot get
    all its room keeps its width (half the room would not unwrap it)."""
    padding = 2 * CELL_MARGIN_PT
    widths = list(widths)
    before = sum(_row_heights(grid, widths, size))
    wishes = [need.head_pref + padding for need in needs]
    for column in sorted(range(len(widths)), key=lambda i: (wishes[i] - widths[i], i)):
        deficit = wishes[column] - widths[column]
        if deficit <= 1e-6:
            continue
        trial = list(widths)
        spare = min(deficit, max(0.0, available - sum(trial)))
        trial[column] += spare
        deficit -= spare
        for donor in sorted(range(len(widths)), key=lambda i: (-widths[i], i)):
            if deficit <= 1e-6:
                break
            if donor == column:
                continue
            need = needs[donor]
            floor = max(need.body if need.numeric else need.hard_min, need.head_two) + padding
            if trial[donor] >= wishes[donor] - 1e-6:  # a short header on its line stays there; one that wraps
                floor = max(floor, wishes[donor])  # anyway (« p ajustée / (Holm) ») may give what it does not use
            if floor >= trial[donor]:
                continue
            given = min(trial[donor] - _narrowest_same_height(grid, trial, donor, floor, size, before), deficit)
            trial[donor] -= given
            trial[column] += given
            deficit -= given
        if deficit <= 1e-6 and sum(_row_heights(grid, trial, size)) <= before + 1e-6:
            widths = trial
    return widths


def _column_lines(grid, column: int, width: float, size: float) -> list[int]:
    """The lines each cell of `column` (spanning it alone) takes at `width` (margins included)."""
    space = text_width_pt(" ", size)
    return [sum(wrapped_lines([text_width_pt(w, size, cell.header) for w in _words(t, cell.header)] or [0.0], space,
                              line_room(width)) for t in cell.texts)
            for row in grid for cell in row if cell.column == column and cell.span == 1]


def _narrowest_same_height(grid, widths: list[float], column: int, floor: float, size: float, height: float) -> float:
    """The narrowest width of `column` (not below `floor`) at which no cell of it takes one more line (a count
    never leaves its percentage, a label never rewraps) and the table is no taller than `height`."""
    lines = _column_lines(grid, column, widths[column], size)

    def fits(width: float) -> bool:
        trial = list(widths)
        trial[column] = width
        return (_column_lines(grid, column, width, size) == lines
                and sum(_row_heights(grid, trial, size)) <= height + 1e-6)

    if fits(floor):
        return floor
    low, high = floor, widths[column]
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (low, middle) if fits(middle) else (middle, high)
    return high


def merged_stub_blocks(grid, widths: list[float], size: float) -> list[tuple[int, int]]:
    """The blocks of the first column whose label wraps and fits in the rows of its block: their first-column
    cells are merged down the block, so that the label spreads over the rows instead of making the first taller."""
    width = line_room(widths[0]) if widths else 0.0
    merged = []
    for start, count in stub_blocks(grid):
        cell = next(c for c in grid[start] if c.column == 0)
        if count > 1 and 1 < _lines_at(cell.texts, width, size) <= count:
            merged.append((start, count))
    return merged


def _fitting(layout) -> list[float] | None:
    return layout.widths if layout.fits else None


def _row_heights(grid, widths: list[float], size: float) -> list[float]:
    space = text_width_pt(" ", size)
    spread = {start for start, _count in merged_stub_blocks(grid, widths, size)}
    heights = []
    for index, row in enumerate(grid):
        lines = 1
        for cell in row:
            if cell.column == 0 and index in spread:
                continue  # the label spreads over its block's rows
            width = line_room(sum(widths[cell.column:cell.column + cell.span]))
            count = sum(wrapped_lines([text_width_pt(w, size, cell.header) for w in _words(t, cell.header)] or [0.0],
                                      space, width) for t in cell.texts)
            lines = max(lines, count)
        heights.append(lines * size * LINE_HEIGHT_EM)
    return heights


def _merge_down(grid, blocks: list[tuple[int, int]]) -> None:
    """Merge the first-column cells of each block vertically (Word's vMerge: restart, then continue)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for start, count in blocks:
        for offset in range(count):
            cell = next(c for c in grid[start + offset] if c.column == 0)
            tcPr = cell.cell._tc.get_or_add_tcPr()
            merge = OxmlElement("w:vMerge")
            if offset == 0:
                merge.set(qn("w:val"), "restart")
            tcPr.insert_element_before(merge, "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                                       "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                                       "w:cellDel", "w:cellMerge", "w:tcPrChange")


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


def format_table(table, caption: str, page: Page, logger, whole: frozenset[str] = frozenset(),
                 note_follows: bool = False) -> None:
    """Widths from content, table text styles, unsplittable rows, repeated header, kept with its caption, the rows
    of a merged stub label kept together and, when `note_follows`, its last rows kept with that note (Word and LibreOffice honour the keep-with-next of a
    row's paragraphs: a table that breaks across pages then carries its last rows over with the note, a short
    one kept whole moves whole)."""
    from docx.shared import Pt

    document = table.part.document
    grid = _grid(table)
    columns = len(table.columns)
    size, widths = choose_layout(grid, columns, page.text_width, caption, logger, whole)
    widths = within_width(widths, page.text_width)
    _set_table_geometry(table, widths)
    merged = merged_stub_blocks(grid, widths, size)
    _merge_down(grid, merged)
    # A merged label split by a page break would print a rule under its first part, alone under the first column,
    # and lose its words on the next page: the rows of a merged block are kept together.
    together = {start + offset for start, count in merged for offset in range(count - 1)}
    heights = _row_heights(grid, widths, size)
    short = sum(heights) + 3 * 11 * LINE_HEIGHT_EM <= KEEP_WHOLE_SHARE * page.text_height
    headers = sum(1 for row in grid if row and row[0].header)
    # Keep a short table whole on one page; a longer one keeps its header with two rows of body, and its last two
    # rows with the note under it.
    kept = len(grid) - 1 if short else min(len(grid) - 1, headers + ROWS_KEPT_AT_EACH_END)
    tail = min(ROWS_KEPT_AT_EACH_END, len(grid) - headers) if note_follows else 0
    text_style = document.styles[TABLE_TEXT_STYLE]
    text_id, heading_id = text_style.style_id, document.styles[TABLE_HEADING_STYLE].style_id
    for index, (tr, row) in enumerate(zip(table._tbl.tr_lst, grid)):
        _mark_row(tr, header=bool(row) and row[0].header)
        for cell in row:
            cell.cell.width = Pt(sum(widths[cell.column:cell.column + cell.span]))
            for paragraph in cell.cell.paragraphs:
                _set_style(paragraph, heading_id if cell.header else text_id)
                paragraph.paragraph_format.keep_with_next = (index < kept or index >= len(grid) - tail
                                                             or index in together)
                if size != text_style.font.size.pt:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)
                    _mark_size(paragraph, size)


def _mark_size(paragraph, size: float) -> None:
    """The paragraph mark at `size` too: an empty cell's line is then as tall as its row's text (else it keeps
    the style's larger size and makes its row taller than the others)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pPr = paragraph._p.get_or_add_pPr()
    rPr = pPr.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        pPr.insert_element_before(rPr, "w:sectPr", "w:pPrChange")
    for tag in ("w:sz", "w:szCs"):
        element = rPr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rPr.append(element)
        element.set(qn("w:val"), str(round(size * 2)))


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
