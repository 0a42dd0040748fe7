"""The one normaliser (surveykit.core.normalise): folding character by character is folding the whole text."""
from __future__ import annotations

import sys

import pytest

from surveykit.core.normalise import _FoldTable, _fold_slowly, fold, normalise


def test_folding_each_character_is_folding_the_text():
    """Every code point, in runs of 512 consecutive ones (combining marks beside the letters they follow, Hangul
    syllables, ligatures, compatibility forms): the table gives what the whole-text definition gives."""
    table = _FoldTable()  # a table of its own: the module's stays as small as the texts it has seen
    step = 512
    for start in range(0, sys.maxunicode + 1, step):
        run = "".join(chr(c) for c in range(start, min(start + step, sys.maxunicode + 1)) if not 0xD800 <= c <= 0xDFFF)
        assert run.translate(table) == _fold_slowly(run), f"U+{start:04X}"


@pytest.mark.parametrize("text, folded, normalised", [
    ("Écrit, Œuvre", "ecrit, oeuvre", "ecrit oeuvre"),
    ("Fréquence d’utilisation ?", "frequence d’utilisation ?", "frequence d utilisation"),
    ("ÉTÉ ﬁn straße", "ete fin strasse", "ete fin strasse"),
    ("Ne sait pas", "ne sait pas", "ne sait pas"),
    ("  Très   satisfait(e) !", "  tres   satisfait(e) !", "tres satisfait e"),
])
def test_fold_and_normalise(text, folded, normalised):
    assert fold(text) == folded
    assert normalise(text) == normalised
