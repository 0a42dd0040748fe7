"""Text printed into the Markdown chapter is text, never markup (HTML, links, attributes, emphasis, YAML).

Labels come from the study files and config.yaml (wave labels, answer and category labels, table and
figure titles), answers and quotes from the respondents; pandoc would pass `<script>` through to the HTML,
turn `[x]{onclick=…}` into an attribute, `*gras*` into emphasis, `^[note]` into a footnote, `$x$` into
math, `&lt;b&gt;` into `<b>`, and a `"` in the wave label ends the front matter's title. `escape` is the one
escaper of every text that comes from data: the templates are rendered with Jinja's autoescaping and
`finalize=escape` (every `{{ value }}` is escaped here), tables, captions, footnotes and quotes call it,
while what is Markdown already (tables, figures, macros) is marked as such with `Markdown` and printed as is.

The characters are replaced by HTML entities, which pandoc turns back into the same characters in
every output (HTML, Word, and the title of the YAML front matter), so the reader sees the text unchanged.
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from surveykit.core.errors import InputError

Markdown = Markup  # text that is Markdown already: printed as is by the templates

_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # what would read as an entity: "&lt;", "&#42;"
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")  # what could open an HTML tag, comment or declaration
_LINK_END = re.compile(r"\](?=[(\[:])")  # what closes a link's text: "](url)", "][ref]", "[ref]: url"
_CITATION = re.compile(r"(?<!\w)@(?=[\w{])")  # what starts a citation (@key); an e-mail's "@" does not
_ENTITIES = str.maketrans({'"': "&quot;", "\\": "&#92;", "`": "&#96;", "{": "&#123;", "|": "&#124;",
                           "*": "&#42;", "_": "&#95;", "~": "&#126;", "^": "&#94;", "$": "&#36;",
                           "\n": " ", "\r": " "})


def escape(text: str) -> str:
    """`text` as Markdown that renders as exactly this text, in md, HTML and Word (pandoc).

    `{` (attributes), `` ` `` (code), `"` and `\\` (YAML strings), `|` (table cells), `*` `_` `~` (emphasis,
    strike-out, subscript), `^` (superscript, footnotes `^[…]`), `$` (math) always; `&` where it would start an
    entity (`&lt;b&gt;` stays as typed), `@` where it would start a citation, `<` where it could open a tag and
    `]` where it could close a link; brackets such as « 9,0 [7,0–9,0] » stay as typed. Line breaks become spaces.
    Plain text (« Infirmière libérale », « < 35 ans », « R & D ») is returned unchanged."""
    text = _ENTITY.sub("&#38;", str(text))
    text = _CITATION.sub("&#64;", _TAG_START.sub("&lt;", text))
    return _LINK_END.sub("&#93;", text).translate(_ENTITIES)


def escape_inline(text: str) -> str:
    """`escape` of a free text quoted in running prose (an answer): its runs of spaces and line breaks as one space."""
    return escape(" ".join(str(text).split()))


def finalize(value: object) -> object:
    """Jinja `finalize`: escape what a template prints, unless it is Markdown already."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markdown(escape(value))


def environment_options() -> dict:
    """Options of a jinja2.Environment rendering Markdown (see the module docstring)."""
    return {"autoescape": True, "finalize": finalize}


# ------------------------------------------------------------------ templates are data

# A template is data: a study folder, which users exchange, may hold its own. Every template (chapter, cross-wave
# section, any other) is rendered by `render_template` in Jinja's immutable sandbox (no attribute starting with `_`,
# no Python internals such as `__globals__`, no list or dict modified); an object that declares `TEMPLATE_API` (the
# chapter's `c`, the registry `V`) shows a template only those names, the helpers the README documents. Anything
# else stops the build with the template's file and line (`TemplateRefused`).

# Methods that write, delete or run something, refused on any object whatever its class (defence in depth:
# the objects a template receives expose none that a template needs).
_WRITERS = frozenset({"write", "write_text", "write_bytes", "save", "unlink", "rmdir", "mkdir", "rename", "replace",
                      "touch", "chmod", "open", "system", "popen", "remove", "add", "update", "clear", "pop",
                      "setdefault", "append", "extend", "insert", "from_json", "read_text", "read_bytes"})


def _allowed(obj: object, attr: str) -> bool:
    api = getattr(type(obj), "TEMPLATE_API", None)
    if api is not None:
        return attr in api
    return isinstance(obj, str) or (attr not in _WRITERS and not attr.startswith("to_"))


def template_environment(folder: str | Path):
    """A sandboxed, immutable Jinja environment loading templates from `folder`, printing Markdown as text."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj, attr, value):
            return super().is_safe_attribute(obj, attr, value) and _allowed(obj, attr)

    return Sandbox(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                   **environment_options())  # labels are printed as text, never as markup


def render_template(path: str | Path, filters: dict | None = None, /, **context) -> str:
    """Render the template file `path` in the sandbox; a refused or broken expression names the file and line."""
    import jinja2

    path = Path(path)
    environment = template_environment(path.parent)
    environment.filters.update(filters or {})
    try:
        return str(environment.get_template(path.name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRefused(f"{path}, line {exc.lineno}: template syntax error ({exc.message})") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateRefused(f"{path}, line {_template_line(exc, path)}: refused: {exc} A template may only quote "
                              "the registry (V.text, V.value) and call the helpers of README, \"Template API\"; "
                              "remove this expression (a template received from someone else may try to run "
                              "code on your computer)") from None
    except jinja2.UndefinedError as exc:
        raise TemplateRefused(f"{path}, line {_template_line(exc, path)}: {exc.message}; expected a name the "
                              "template receives (c, V, wave…) or a helper of README, \"Template API\"") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateRefused(f"{path}, line {_template_line(exc, path)}: template {exc.name!r} not found in "
                              f"{path.parent} (a template may include only the files of its own folder)") from None
    except KeyError as exc:  # V.text / V.value of a key the registry does not hold
        raise TemplateRefused(f"{path}, line {_template_line(exc, path)}: {exc.args[0] if exc.args else exc}; "
                              "expected a key listed in results/<wave>/report/registry.md") from None


def _template_line(exc: BaseException, path: Path) -> str:
    """The template's line where `exc` was raised (Jinja puts the template's frames into the traceback)."""
    line = "?"
    trace = exc.__traceback__
    target = str(path.resolve())
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename in (str(path), target) or (Path(filename).name == path.name and "<" not in filename):
            line = str(trace.tb_lineno)
        trace = trace.tb_next
    return line


class TemplateRefused(InputError):
    """A template asked for something a template may not do, or is not a valid template."""
