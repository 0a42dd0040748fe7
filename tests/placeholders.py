"""What a sentence without its numbers leaves in a chapter: an empty value, interval or test."""
from __future__ import annotations

import re
from pathlib import Path

SPACE = r"[\s\u00a0\u202f]"
EMPTY = {
    "test that did not run « (, p = ) »": re.compile(rf"\({SPACE}*,{SPACE}*p{SPACE}*[=<]{SPACE}*\)"),
    "bare « p = » before a bracket": re.compile(rf"p{SPACE}*={SPACE}*[);]"),
    "empty percentage « soit  ( »": re.compile(rf"soit{SPACE}+\("),
    "empty interval « [ ; ] »": re.compile(rf"\[{SPACE}*;{SPACE}*\]"),
    "empty interval « :  – ) »": re.compile(rf":{SPACE}*–{SPACE}*\)"),
    "empty brackets « () »": re.compile(rf"\({SPACE}*\)"),
    "missing number « nan »": re.compile(r"\b(?:nan|NaN|<NA>)\b"),
    "missing value « None »": re.compile(r"\bNone\b"),
}


def empty_placeholders(text: str) -> list[str]:
    """Each place a chapter prints an empty value, interval or test (with 40 characters around it)."""
    found = []
    for what, pattern in EMPTY.items():
        for match in pattern.finditer(text):
            around = " ".join(text[max(0, match.start() - 40):match.end() + 40].split())
            found.append(f"{what}: … {around} …")
    return found


def chapters(project: Path) -> list[Path]:
    """Every chapter a run generated: each wave's and each study's evolution section (Markdown)."""
    build = project / "manuscript" / "build"
    return sorted([*build.glob("*/resultats.md"), *build.glob("waves/*/evolution.md")])
