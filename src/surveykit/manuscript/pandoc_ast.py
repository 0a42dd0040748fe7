"""Presentation tweaks made on pandoc's document tree (its JSON form) before writing Word and HTML.

The chapter's Markdown says what to print; this module decides how, for both outputs at once:
- each figure gets its print width: the natural width recorded in its PNG, scaled down only to fit the text
  block (Word: the picture's width; HTML: a CSS max-width);
- table columns whose cells are all numbers (or labels with their count) are right-aligned (so that digits line
  up), and the spaces inside a number cell ("22 (56,4 %)", "5,7 ± 2,9") become non-breaking so that a count never
  leaves its percentage;
- a group's size goes on its own line in a header ("Région Nord" / "n = 11"), and no cell breaks a
  compound word after its hyphen.
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
    _keep_short_headers_whole(tree)
    return tree


def _keep_short_headers_whole(tree: dict) -> None:
    """In the HTML page a short header (« Valeur de p ») is set on one line: the browser then widens its column,
    where it would cut it (« Valeur / de p »). The Word file leaves that to its layout chooser (surveykit.manuscript
    .docx), which sizes the columns and type for it and may have to wrap a header when a page has no room."""
    for element in _walk(tree["blocks"]):
        if element["t"] != "Table":
            continue
        for cell in _header_cells(element["c"]):
            for block in _cell_blocks(cell):
                if block["t"] in ("Plain", "Para") and all(i["t"] in ("Str", "Space") for i in block["c"]):
                    text = stringify(block["c"])
                    if cut_when_wrapped(text):
                        block["c"] = _inlines(text.replace(" ", NBSP))


def _cell_blocks(cell: list) -> list:
    return cell[4]


def _cell_text(cell: list) -> str:
    return " ".join(stringify(block["c"]) for block in _cell_blocks(cell) if block["t"] in ("Plain", "Para")).strip()


def _body_rows(table: list) -> list:
    rows = []
    for body in table[4]:
        rows += body[2] + body[3]  # intermediate head rows, then body rows
    return rows + table[5][1]  # and the foot


_LABEL_COUNT = re.compile(r"^(?P<label>.*\S)[ \u00a0\u202f]:[ \u00a0\u202f]+(?P<count>[^:]+)$")


def _label_count(text: str) -> tuple[str, str] | None:
    match = _LABEL_COUNT.match(text)
    return (match["label"], match["count"]) if match and is_numeric(match["count"]) else None


def ends_with_number(text: str) -> bool:
    """« Fax : 24 (75 %) »: a label followed by its count, which lines up with the numbers of its column."""
    return _label_count(text) is not None


def numeric_columns(table: list) -> list[bool]:
    """Per column: every body cell is a number (or a label with its count, « Fax : 24 (75 %) ») or empty, and at
    least one is a number."""
    columns = len(table[2])
    flags = []
    for index in range(columns):
        texts = [_cell_text(row[1][index]) for row in _body_rows(table) if index < len(row[1])]
        flags.append(any(is_numeric(t) for t in texts) and
                     all(is_numeric(t) or ends_with_number(t) or t in _PLACEHOLDERS for t in texts))
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
    """Spaces inside a number cell become non-breaking but between statistics (the content is plain text); in a
    label with its count, the count stays whole and with the label's last word (the label may wrap before)."""
    for block in _cell_blocks(cell):
        if block["t"] in ("Plain", "Para") and all(i["t"] in ("Str", "Space") for i in block["c"]):
            text = stringify(block["c"])
            if is_numeric(text):
                block["c"] = [{"t": "Str", "c": number_spaces(text.replace(" ;", NBSP + ";"))}]
            elif ends_with_number(text):
                head, tail = _label_count(text)
                block["c"] = _inlines(head.replace(NBSP, " ")) + [{"t": "Str", "c": f"{NBSP}:{NBSP}{number_spaces(tail)}"}]
                _join_last(block["c"])


def _inlines(text: str) -> list[dict]:
    """Plain text as pandoc inlines (Str between Spaces)."""
    inlines: list[dict] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            inlines.append({"t": "Space"})
        if word:
            inlines.append({"t": "Str", "c": word})
    return inlines


def _join_last(inlines: list[dict]) -> None:
    """Merge the last two Str of a list (a word and what is glued to it) into one."""
    strings = [i for i, inline in enumerate(inlines) if inline["t"] == "Str"]
    if len(strings) >= 2 and strings[-1] == strings[-2] + 1:
        inlines[strings[-2]]["c"] += inlines[strings[-1]]["c"]
        del inlines[strings[-1]]


NON_BREAKING_HYPHEN = "\u2011"
_GROUP_SIZE = re.compile(r"^(?P<name>.+?)[ \u00a0](?P<size>n[\u00a0 ]=[\u00a0 ][\d\u202f\u00a0]+)$")


WORD_JOINER = "\u2060"  # no line break here (zero width)


def _no_hyphen_breaks(cell: list) -> None:
    """A compound word of a table cell never breaks after its hyphen (« écart-type », « Non-utilisateurs »):
    the hyphen becomes U+2011, which word processors and browsers print as a hyphen and never break after; in a
    label or header, a range (« [Q1–Q3] ») never breaks after its en dash either (a word joiner follows it)."""
    numeric = is_numeric(_cell_text(cell))
    for element in _walk(_cell_blocks(cell)):
        if element["t"] != "Str":
            continue
        if "-" in element["c"] and re.search(r"\w-\w", element["c"]):
            element["c"] = re.sub(r"(?<=\w)-(?=\w)", NON_BREAKING_HYPHEN, element["c"])
        if not numeric and "–" in element["c"]:
            element["c"] = re.sub(r"(?<=\w)–(?=\w)", "–" + WORD_JOINER, element["c"])


def _group_header(cell: list) -> None:
    """« Région Nord n = 11 »: the group's size on a line of its own, under the group's name."""
    for block in _cell_blocks(cell):
        if block["t"] not in ("Plain", "Para") or not all(i["t"] in ("Str", "Space") for i in block["c"]):
            continue
        match = _GROUP_SIZE.match(stringify(block["c"]))
        if match:
            size = match["size"].replace(" ", NBSP)
            block["c"] = _inlines(match["name"]) + [{"t": "LineBreak"}, {"t": "Str", "c": size}]


_NUMBER_WORD = re.compile(r"^\[?\d+$")
_SHORT_WORD = re.compile(r"^\w{1,2}$")


def glue_short_words(text: str, words: bool = True) -> str:
    """A line of a table cell never ends on a number (« 2 ex aequo », « 50 ans ») nor inside square brackets
    (« OR brut [IC 95 %] » breaks before its interval's name, never inside it) nor on a one-letter word (« n (%) »,
    « p ajustée »), nor starts with a sign or a punctuation alone (« Événements / », « Moyenne ± »), nor leaves a
    final one-letter word alone on the last line (« Valeur de p »), nor, with `words`, ends on a word of one or two
    letters (« ex aequo », « à la »): the space there is non-breaking, as French typography wants."""
    tokens = text.split(" ")
    out, depth = tokens[0], 0
    for index, (previous, token) in enumerate(zip(tokens, tokens[1:]), start=1):
        depth = max(0, depth + previous.count("[") - previous.count("]"))
        glue = (depth or _NUMBER_WORD.match(previous) or (_SHORT_WORD.match(previous) and (words or len(previous) == 1))
                or (token and not any(c.isalnum() for c in token))
                or (index == len(tokens) - 1 and re.fullmatch(r"\w", token)))
        out += (NBSP if glue and token else " ") + token
    return out


SHORT_WORD_CHARS = 6


def cut_when_wrapped(header: str) -> bool:
    """Whether a header reads cut when it wraps: one or two short words (« Valeur / de p », its « p » glued to
    « de »; « Score / moyen »), where a longer header splits into two phrases (« Moyenne ± / écart-type »,
    « Médiane / [Q1–Q3] »). Words are what a line may break between (glued words are one)."""
    words = [word for word in header.split(" ") if word]
    return len(words) <= 2 and all(len(word) <= SHORT_WORD_CHARS for word in words)


def _glued(cell: list, words: bool = True) -> None:
    for block in _cell_blocks(cell):
        if block["t"] in ("Plain", "Para") and all(i["t"] in ("Str", "Space") for i in block["c"]):
            text = stringify(block["c"])
            if not is_numeric(text) and not ends_with_number(text):
                block["c"] = _inlines(glue_short_words(text, words))


def _header_cells(table: list) -> list:
    """The cells of the table's header rows."""
    return [cell for row in table[3][1] for cell in row[1]]


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
                if index < len(row[1]):
                    _unbreakable(row[1][index])
        for row in _body_rows(table):
            for cell in row[1]:
                _glued(cell)
        for cell in _header_cells(table):
            _glued(cell, words=False)  # a header's short words may end a line: its column stays narrow
            _group_header(cell)
        for cell in _header_cells(table) + [cell for row in _body_rows(table) for cell in row[1]]:
            _no_hyphen_breaks(cell)
    return tree
