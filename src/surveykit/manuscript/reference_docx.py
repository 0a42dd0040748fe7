"""Build the reference document pandoc writes the Word chapter with (manuscript/reference.docx).

Starts from pandoc's own reference document (so that every style pandoc uses exists) and sets, with
python-docx: A4 pages with 2.5 cm margins and a page number, French, Times New Roman 12 pt body text with
1.5 line spacing, unnumbered headings (the chapter types its section numbers: "## 1 Flowchart"), Word's
caption style, table text styles at 10 pt and a three-rule table style. Run scripts/make_reference_docx.py
after editing this file and commit its output; a test checks that the committed file is up to date."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .docx import (
    CAPTION_STYLE,
    CELL_MARGIN_PT,
    TABLE_FONT_SIZES_PT,
    TABLE_HEADING_STYLE,
    TABLE_NOTE_STYLE,
    TABLE_TEXT_STYLE,
)
from .textmetrics import FONT_NAME

PAGE_MM = (210, 297)  # A4
MARGIN_MM = 25
BODY_PT = 12
LANGUAGE = "fr-FR"
HEADINGS_PT = {"Title": 18, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12, "Heading 4": 12}
_THEME_FONT_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_THEME_COLOR_ATTRIBUTES = ("themeColor", "themeShade", "themeTint")


def pandoc_default_reference(target: Path) -> None:
    """pandoc's built-in reference.docx (of the pinned pandoc)."""
    from .pandoc_run import use_bundled_pandoc

    use_bundled_pandoc()
    import pypandoc

    data = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True).stdout
    target.write_bytes(data)


def _explicit_fonts(styles_element) -> None:
    """Every font of the style sheet is Times New Roman by name (not the theme's), every colour explicit."""
    from docx.oxml.ns import qn

    for fonts in styles_element.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{attribute}"), FONT_NAME)
    for color in styles_element.iter(qn("w:color")):
        for attribute in _THEME_COLOR_ATTRIBUTES:
            color.attrib.pop(qn(f"w:{attribute}"), None)


def _defaults(document) -> None:
    """Document defaults: Times New Roman 12 pt, French."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rPr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert(0, fonts)
    for size_tag in ("w:sz", "w:szCs"):
        rPr.find(qn(size_tag)).set(qn("w:val"), str(BODY_PT * 2))
    rPr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    settings = document.settings.element
    for tag, value in (("w:themeFontLang", LANGUAGE), ("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        element = settings.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), value)


def _page(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document.element.body.get_or_add_sectPr()
    section = document.sections[-1]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(12.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run._r.append(element)
        else:
            run.text = text


def _paragraph_styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    styles = document.styles
    body = styles["Body Text"].paragraph_format
    body.space_before, body.space_after = Pt(0), Pt(6)
    body.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    compact = styles["Compact"].paragraph_format
    compact.space_before, compact.space_after = Pt(0), Pt(3)
    block = styles["Block Text"]
    block.font.size = Pt(11)
    block.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name, size in HEADINGS_PT.items():
        style = styles[name]
        style.font.size, style.font.bold, style.font.color.rgb = Pt(size), True, RGBColor(0, 0, 0)
        style.font.italic = name == "Heading 4"
        style.paragraph_format.space_before = Pt(18 if name in ("Title", "Heading 1") else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    caption = styles[CAPTION_STYLE]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(11), True, False
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(6), Pt(6)
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption.paragraph_format.keep_together = True
    caption.quick_style = True
    for name in ("Figure", "Captioned Figure"):
        figure = styles[name].paragraph_format
        figure.alignment = WD_ALIGN_PARAGRAPH.CENTER
        figure.space_before, figure.space_after = Pt(12), Pt(0)

    text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = styles["Normal"]
    text.font.size = Pt(TABLE_FONT_SIZES_PT[0])
    text.paragraph_format.space_before = text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    text.quick_style = True
    heading = styles.add_style(TABLE_HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = text
    heading.font.bold = True
    heading.quick_style = True
    note = styles.add_style(TABLE_NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.size, note.font.italic = Pt(9), True
    note.paragraph_format.space_before, note.paragraph_format.space_after = Pt(3), Pt(12)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    note.paragraph_format.keep_together = True  # a table's note is never split by a page break (its rows follow it)
    note.quick_style = True


def _border(tag: str, size_eighths: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    border = OxmlElement(tag)
    for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "0"), ("w:color", "000000")):
        border.set(qn(key), value)
    return border


def _table_style(document) -> None:
    """pandoc's "Table" style as a three-rule table: rules above and below, a thin one under the header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style = document.styles["Table"].element
    tblPr = style.find(qn("w:tblPr"))
    borders = OxmlElement("w:tblBorders")
    borders.append(_border("w:top", 8))
    borders.append(_border("w:bottom", 8))
    tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    margins = tblPr.find(qn("w:tblCellMar"))
    for side in ("left", "right"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), str(round(CELL_MARGIN_PT * 20)))
    first_row = next(p for p in style.findall(qn("w:tblStylePr")) if p.get(qn("w:type")) == "firstRow")
    bottom = first_row.find(qn("w:tcPr")).find(qn("w:tcBorders")).find(qn("w:bottom"))
    for key, value in (("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)


def build_reference(output: str | Path) -> None:
    """Write the reference document to `output` (byte-identical for a given pandoc and python-docx)."""
    import docx

    from surveykit.core.io import pin_office_file

    output = Path(output)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "pandoc_reference.docx"
        pandoc_default_reference(source)
        document = docx.Document(str(source))
    # Word's built-in caption style is named "caption" (listed as "Légende" in French Word); pandoc says "Caption".
    document.styles.element.get_by_id(CAPTION_STYLE).name_val = "caption"
    _defaults(document)
    _explicit_fonts(document.styles.element)
    _page(document)
    _paragraph_styles(document)
    _table_style(document)
    core = document.core_properties
    core.title, core.author, core.last_modified_by, core.revision = "Référence des chapitres", "surveykit", "", 1
    output.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(output))
    pin_office_file(output)
