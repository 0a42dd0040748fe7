"""The running text of a generated chapter, sentence by sentence, for the checks of its French (tests only).

Running text: paragraphs and list items; not the front matter, headings, tables, captions, table notes, figures or
block quotes (a caption may well repeat a title). Sentences end at « . », « ! » or « ? » followed by a space and a
capital, outside French quotes (a quoted answer may hold several sentences)."""
from __future__ import annotations

import re
from collections import Counter

_SKIPPED = ("#", "|", "Table:", "![", ">", ":::", "*", "title:", "subtitle:", "lang:", "---")


def running_lines(markdown: str) -> list[str]:
    """The paragraphs and list items of a chapter (list markers removed)."""
    lines = []
    for line in markdown.splitlines():
        text = line.strip()
        if text and not text.startswith(_SKIPPED):
            lines.append(re.sub(r"^[-+] ", "", text))
    return lines


def sentences(markdown: str) -> list[str]:
    """Every sentence of the running text, split outside « … »."""
    found = []
    for line in running_lines(markdown):
        depth, start = 0, 0
        for index, char in enumerate(line):
            depth += char == "«"
            depth -= char == "»"
            if depth == 0 and char in ".!?" and re.match(r"[ \u00a0]+[A-ZÀ-Ý«]", line[index + 1:index + 3]):
                found.append(line[start:index + 1].strip())
                start = index + 1
        if line[start:].strip():
            found.append(line[start:].strip())
    return found


def repeated_sentences(markdown: str) -> dict[str, int]:
    """Sentences that occur more than once in the running text, with their count."""
    return {s: n for s, n in Counter(sentences(markdown)).items() if n > 1}


def nested_brackets(markdown: str) -> list[str]:
    """Running lines where a parenthesis opens inside another one (« (p ajustée (Holm) < 0,001) »): an author
    writes « (p ajustée selon Holm < 0,001) ». Brackets inside a quoted answer « … » are the respondent's."""
    found = []
    for line in running_lines(markdown):
        depth, quoted = 0, 0
        for char in line:
            quoted += char == "«"
            quoted -= char == "»"
            if quoted:
                continue
            if char == "(":
                depth += 1
                if depth > 1:
                    found.append(line)
                    break
            elif char == ")":
                depth = max(depth - 1, 0)
    return found
