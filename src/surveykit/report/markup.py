"""Text printed into the Markdown chapter is text, never markup (HTML, links, attributes, YAML).

Labels come from the study files and config.yaml (wave labels, answer and category labels, table and
figure titles); pandoc would pass `<script>` through to the HTML, turn `[x]{onclick=…}` into an
attribute, and a `"` in the wave label ends the front matter's title. The templates are rendered with
Jinja's autoescaping and `finalize=escape`: every `{{ value }}` is escaped for Markdown here, while
what is Markdown already (tables, figures, macros) is marked as such with `Markdown` and printed as is.

The characters are replaced by HTML entities, which pandoc turns back into the same characters in
every output (HTML, Word, and the title of the YAML front matter), so the reader sees the label unchanged.
"""
from __future__ import annotations

import re

from markupsafe import Markup

Markdown = Markup  # text that is Markdown already: printed as is by the templates

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")  # what could open an HTML tag, comment or declaration
_LINK_END = re.compile(r"\](?=[(\[:])")  # what closes a link's text: "](url)", "][ref]", "[ref]: url"
_ENTITIES = str.maketrans({'"': "&quot;", "\\": "&#92;", "`": "&#96;", "{": "&#123;", "|": "&#124;",
                           "\n": " ", "\r": " "})


def escape(text: str) -> str:
    """`text` as Markdown that renders as exactly this text (idempotent on its own output).

    `{` (attributes), `` ` `` (code), `"` and `\\` (YAML strings), `|` (table cells) always; `<` where it
    could open a tag and `]` where it could close a link; brackets such as « 9,0 [7,0–9,0] » stay as typed."""
    text = _TAG_START.sub("&lt;", str(text))
    return _LINK_END.sub("&#93;", text).translate(_ENTITIES)


def finalize(value: object) -> object:
    """Jinja `finalize`: escape what a template prints, unless it is Markdown already."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markdown(escape(value))


def environment_options() -> dict:
    """Options of a jinja2.Environment rendering Markdown (see the module docstring)."""
    return {"autoescape": True, "finalize": finalize}
