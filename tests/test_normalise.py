"""The one normaliser (surveykit.core.normalise): folding character by character is folding the whole text."""
from __future__ import annotations

import sys

import pytest

from surveykit.core.normalise import _FoldTable, _fold_slowly, fold, normalise, normalise_many


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


def test_normalising_many_texts_at_once_is_normalising_each():
    """normalise_many joins the texts to read them in one pass: each result is what `normalise` gives, whatever
    the text holds (accents, ligatures, punctuation at its ends, nothing but punctuation, the joining character)."""
    texts = ["Âge ?", "Fréquence d’utilisation ?", "Cœur", "  LE TEMPS, l'argent…  ", "", "?!", "Straße 12",
             "a\x1fb", "x", "ÉCRIT, Œuvre", "ﬁn de ½ journée", "plain ascii, words", "\u00a0espace\u202fhuit\t"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
    assert normalise_many([t for t in texts if "\x1f" not in t]) == [normalise(t) for t in texts if "\x1f" not in t]
    assert normalise_many(["Plain", "ASCII"]) == ["plain", "ascii"]
    assert normalise_many([]) == []


def test_normalising_many_texts_is_normalising_each_for_every_code_point():
    """Every code point at the start and the end of a text, beside an ASCII capital, in runs of texts read at once."""
    texts = [f"{chr(c)}B{chr(c)}" for c in range(1, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and c != 0x1F]
    step = 4096
    for start in range(0, len(texts), step):
        run = texts[start:start + step]
        assert normalise_many(run) == [normalise.__wrapped__(t) for t in run], run[0]
