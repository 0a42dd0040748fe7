"""Presentation tweaks made on pandoc's document tree (its JSON form) before writing Word and HTML.

The chapter's Markdown says what to print; this module decides how, for both outputs at once:
- each figure gets its print width: the natural width recorded in its PNG, scaled down only to fit the text
  block (Word: the picture's width; HTML: a CSS max-width);
- table columns whose cells are all numbers are right-aligned (so that digits line up), and the spaces inside a number cell
  ("22 (56,4 %)", "5,7 ± 2,9") become non-breaking so that a count never leaves its percentage.
Pure functions on JSON data: no pandoc, matplotlib or Word library is imported here."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

NBSP = "\u00a0"
# A cell that holds only a number, a count with its percentage, a mean ± SD, a p-value, an interval…
_NUMERIC = re.compile(r"[\s\u00a0\u202f]*[-+−±<>≤≥=]?[\s\u00a0\u202f]*\d[\d\s\u00a0\u202f,.%()±–—\-−<>≤≥=/;\[\]]*")
_PLACEHOLDERS = {"", "—", "–", "-", "NA", "NR", "ND"}


def stringify(inlines: list) -> str:
    """Plain text of a list of pandoc inlines (spaces and line breaks as spaces)."""
    parts = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            parts.append(stringify(content))
        elif kind in ("Span", "Quoted", "Cite", "Link", "Image"):
            parts.append(stringify(content[1]))  # [attributes or kind, inlines, …]
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(content[1])
    return "".join(parts)


def is_numeric(text: str) -> bool:
    """Whether a table cell holds a number (possibly with its percentage, SD or interval), not a label."""
    return _NUMERIC.fullmatch(text) is not None


def _walk(node) -> Iterator[dict]:
    """Every element (dict with a "t" key) of the tree, depth first, in document order."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@dataclass(frozen=True)
class ImageRef:
    """A picture of the document: its file (resolved against the Markdown's folder) and its caption."""

    path: Path
    target: str
    caption: str


def images(tree: dict, base: Path) -> list[ImageRef]:
    """The pictures of the document in order (local files only)."""
    found = []
    for element in _walk(tree["blocks"]):
        if element["t"] == "Image":
            _attr, alt, (target, _title) = element["c"]
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target):
                found.append(ImageRef(path=Path(os.path.normpath(base / target)), target=target, caption=stringify(alt)))
    return found


def _set_image_attributes(tree: dict, attributes: dict[str, list[tuple[str, str]]]) -> None:
    """Replace the width/height/style attributes of each picture whose target is a key of `attributes`."""
    for element in _walk(tree["blocks"]):
        if element["t"] == "Image" and element["c"][2][0] in attributes:
            identifier, classes, pairs = element["c"][0]
            kept = [pair for pair in pairs if pair[0] not in ("width", "height", "style")]
            element["c"][0] = [identifier, classes, kept + [list(p) for p in attributes[element["c"][2][0]]]]


def _copy(tree: dict) -> dict:
    """A deep copy of a JSON tree, through JSON (twice as fast as copy.deepcopy on a chapter)."""
    return json.loads(json.dumps(tree))


def for_docx(tree: dict, print_widths: dict[str, float]) -> dict:
    """A copy of the tree whose pictures are `print_widths[target]` inches wide (height follows)."""
    tree = _copy(tree)
    _set_image_attributes(tree, {target: [("width", f"{width:.4f}in")] for target, width in print_widths.items()})
    return tree


def for_html(tree: dict, print_widths: dict[str, float]) -> dict:
    """A copy of the tree whose pictures fill the column but are never wider than their print width."""
    tree = _copy(tree)
    _set_image_attributes(tree, {target: [("style", f"width:100%;max-width:{width:.4f}in")]
                                 for target, width in print_widths.items()})
    return tree


def _cell_blocks(cell: list) -> list:
    return cell[4]


def _cell_text(cell: list) -> str:
    return " ".join(stringify(block["c"]) for block in _cell_blocks(cell) if block["t"] in ("Plain", "Para")).strip()


def _body_rows(table: list) -> list:
    rows = []
    for body in table[4]:
        rows += body[2] + body[3]  # intermediate head rows, then body rows
    return rows + table[5][1]  # and the foot


def numeric_columns(table: list) -> list[bool]:
    """Per column: every body cell is a number or empty, and at least one is a number."""
    columns = len(table[2])
    flags = []
    for index in range(columns):
        texts = [_cell_text(row[1][index]) for row in _body_rows(table) if index < len(row[1])]
        flags.append(any(is_numeric(t) for t in texts) and all(is_numeric(t) or t in _PLACEHOLDERS for t in texts))
    return flags


def number_spaces(text: str) -> str:
    """A number cell's spaces made non-breaking, except where a line may break between two statistics.

    "22 (56,4 %)" and "5,7 ± 2,9" never break; "5,3 ± 2,9 ; 6,0 [3,0–8,0]" may break after its "; " only;
    a single statistic with its interval may break before the "[" ("−0,42 [−0,73 ; 0,03]"); never inside
    brackets or parentheses. A cell with a range ("6,0 [3,0–8,0]") gets no break before its "[": word
    processors may break after an en dash, and would cut the range rather than use that space."""
    tokens = text.split(" ")
    depths, depth = [], 0
    for token in tokens[:-1]:
        depth += sum(token.count(c) for c in "([") - sum(token.count(c) for c in ")]")
        depths.append(depth)
    after_semicolon = [d == 0 and t.endswith(";") for t, d in zip(tokens, depths)]
    out = [tokens[0]]
    for index, token in enumerate(tokens[1:]):
        breakable = after_semicolon[index] or (
            not any(after_semicolon) and "–" not in text and depths[index] == 0 and token.startswith("["))
        out.append((" " if breakable else NBSP) + token)
    return "".join(out)


def _unbreakable(cell: list) -> None:
    """Spaces inside a number cell become non-breaking but between statistics (the content is plain text)."""
    for block in _cell_blocks(cell):
        if block["t"] in ("Plain", "Para") and all(i["t"] in ("Str", "Space") for i in block["c"]):
            block["c"] = [{"t": "Str", "c": number_spaces(stringify(block["c"]).replace(" ;", NBSP + ";"))}]


def tidy_tables(tree: dict) -> dict:
    """Widths from content; right-align the columns of numbers (whatever the Markdown says); keep each number
    cell on one line."""
    for element in _walk(tree["blocks"]):
        if element["t"] != "Table":
            continue
        table = element["c"]
        for colspec in table[2]:
            colspec[1] = {"t": "ColWidthDefault"}  # widths from content (pandoc's come from the dashes of the Markdown)
        for index, numeric in enumerate(numeric_columns(table)):
            if not numeric:
                continue
            table[2][index][0] = {"t": "AlignRight"}
            for row in _body_rows(table):
                if index < len(row[1]) and is_numeric(_cell_text(row[1][index])):
                    _unbreakable(row[1][index])
    return tree
