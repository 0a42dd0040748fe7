"""French typography checks shared by the tests of every generated Markdown file."""
from __future__ import annotations

import re

_SKIPPED = re.compile(r"`[^`]*`|\]\([^)]*\)(\{[^}]*\})?|<[^>]+>|https?://\S+")
_BAD = [
    (re.compile(r" [:;?]| !(?!\[)"), "an ordinary space before « : ; ? ! »"),
    (re.compile(r"« |«(?=\S)"), "no non-breaking space after «"),
    (re.compile(r" »|(?<=\S)»"), "no non-breaking space before »"),
]


def typography_problems(text: str) -> list[str]:
    """Lines breaking French typography (outside code, link targets, tags and URLs)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        visible = _SKIPPED.sub("", line)
        for pattern, what in _BAD:
            if pattern.search(visible):
                problems.append(f"line {number}: {what}: {line.strip()[:120]}")
    return problems
