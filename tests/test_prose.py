"""The French of the chapter: small functions, each tested on the cases a careful author cares about."""
from __future__ import annotations

import pandas as pd
import pytest

from surveykit.analysis.format import _tied_ranks
from surveykit.core import fmt
from surveykit.manuscript import prose
from surveykit.manuscript.chapter import superscript_ordinals
from surveykit.manuscript.prose import Share

NBSP, NNBSP = "\u00a0", "\u202f"
DOCTORS = ("médecin", "médecins")


def share(label: str, n: int, total: int) -> Share:
    pct = 100 * n / total
    return Share(label, n, str(n), pct, fmt.percent(pct))


def test_ties_are_written_as_ties():
    shares = [share("A", 14, 39), share("B", 11, 39), share("C", 14, 39)]
    text = prose.ranking(shares, DOCTORS)
    assert text.startswith("« A » et « C » sont les réponses les plus fréquentes, à égalité avec 14 médecins chacune")
    assert text.endswith("suivies de « B » avec 11 médecins (28,2\u00a0%)")


def test_tie_among_followers_and_puis():
    shares = [share("A", 10, 39), share("B", 8, 39), share("C", 8, 39), share("D", 7, 39), share("E", 6, 39)]
    text = prose.ranking(shares, DOCTORS)
    assert "suivie de « B » et « C » à égalité avec 8 médecins chacune (20,5\u00a0%), « D » avec 7 médecins" in text
    assert text.endswith("puis « E » avec 6 médecins (15,4\u00a0%)")


def test_levels_nobody_gave_are_left_out():
    text = prose.distribution("Genre", [share("Femme", 22, 39), share("Homme", 17, 39), share("Non genré", 0, 39)],
                              DOCTORS)
    assert "Non genré" not in text and "0\u00a0%" not in text


def test_majority_only_above_one_half():
    half = prose.ranking([share("Oui", 5, 10), share("Non", 5, 10)], DOCTORS)
    assert "majoritaire" not in half and "à égalité" in half
    assert "la réponse la plus fréquente" in prose.ranking([share("A", 4, 10), share("B", 3, 10), share("C", 3, 10)],
                                                            DOCTORS)
    assert "la réponse majoritaire" in prose.ranking([share("A", 6, 10), share("B", 4, 10)], DOCTORS)


def test_agreement_in_number():
    assert prose.count(share("Non", 1, 39), DOCTORS) == "1 médecin (2,6\u00a0%)"
    assert prose.count(share("Oui", 38, 39), DOCTORS) == "38 médecins (97,4\u00a0%)"
    assert "les spécialités les plus sollicitées, à égalité" in prose.ranking(
        [share("Dermatologie", 3, 9), share("Cardiologie", 3, 9)], DOCTORS, ("spécialité", "spécialités"),
        "la plus sollicitée")


def test_answers_are_quoted_as_the_codebook_writes_them():
    text = prose.distribution("Statut", [share("CHU de Lille", 6, 10), share("Libéral", 4, 10)], DOCTORS)
    assert "« CHU de Lille »" in text and "« Libéral »" in text  # never lowercased
    assert prose.lead("Pratiquez-vous la télé-consultation ?") == "À la question « Pratiquez-vous la " \
                                                                  "télé-consultation ? »,"


def test_no_sentence_starts_with_a_numeral():
    assert prose.first_word_not_numeral("82,1 % des répondants…", "Au total,") == "Au total, 82,1 % des répondants…"
    assert prose.first_word_not_numeral("Parmi eux…", "Au total,") == "Parmi eux…"


def test_contrast_says_nobody_rather_than_zero_percent():
    text = prose.contrast("Plus de 50 ans", ("« B »", share("x", 6, 11)), ("« A »", share("x", 0, 14)),
                          "aucun médecin")
    assert text == "« Plus de 50 ans » : 54,5\u00a0% dans « B » contre aucun médecin dans « A »"


def test_ranked_items_tied_at_the_printed_precision_are_written_as_a_tie():
    text = prose.ranked([("Perte de temps", "5,7", "5,7 ± 2,9"), ("Déshumanisation", "5,3", "5,3 ± 3,2"),
                         ("Identification", "5,3", "5,3 ± 2,8")])
    assert text.endswith(" : Perte de temps (5,7 ± 2,9) puis Déshumanisation (5,3 ± 3,2) et "
                         "Identification (5,3 ± 2,8), à égalité.")


@pytest.mark.parametrize("means, expected", [
    (["5", "4", "3"], "A (5), B (4) puis C (3)"),
    (["5", "5", "3"], "A (5) et B (5), à égalité, puis C (3)"),
    (["5", "5", "3", "2"], "A (5) et B (5), à égalité, C (3) puis D (2)"),
    (["5", "5", "5"], "A (5), B (5) et C (5), à égalité"),
    (["5"], "A (5)"),
])
def test_ranked_items_punctuate_ties_wherever_they_fall(means, expected):
    items = [(label, mean, mean) for label, mean in zip("ABCD", means)]
    assert prose.ranked(items, "Scores") == f"Scores : {expected}."


def test_tied_ranks_in_a_table():
    overall = pd.DataFrame({"variable": ["a", "b", "c", "d"], "mean": [5.71, 5.31, 5.28, 4.8]})
    assert _tied_ranks(overall) == {"a": "1", "b": "2 ex aequo", "c": "2 ex aequo", "d": "4"}


@pytest.mark.parametrize("text,expected", [
    ("Genre : « Femme »", f"Genre{NBSP}: «{NBSP}Femme{NBSP}»"),
    ("Oui ; non ? voilà !", f"Oui{NBSP}; non{NBSP}? voilà{NBSP}!"),
    ("Oui; non?", f"Oui{NNBSP}; non{NNBSP}?"),
    ("![Figure 1. a : b](x.png){#fig:x}", f"![Figure 1. a{NBSP}: b](x.png){{#fig:x}}"),
    ("voir https://exemple.fr/?a=1 et `a : b`", "voir https://exemple.fr/?a=1 et `a : b`"),
    ("|:---|---:|", "|:---|---:|"),
])
def test_typography(text, expected):
    assert prose.typography(text) == expected


def test_abbreviations_are_spelled_out_once_in_running_text():
    text = "## Les IPA\n\n| IPA |\n\n- IPA : « IPA en ville » et les IPA.\n\nLes IPA encore."
    out = prose.expand_abbreviations(text, {"IPA": "infirmiers en pratique avancée"})
    assert out.splitlines()[0] == "## Les IPA" and "| IPA |" in out  # headings and tables unchanged
    assert "- Infirmiers en pratique avancée (IPA) : « IPA en ville » et les IPA." in out
    assert out.endswith("Les IPA encore.")


def test_ordinals_in_superscript():
    assert superscript_ordinals("En 1er recours, en 5e recours") == "En 1^er^ recours, en 5^e^ recours"
    assert fmt.ordinal(1) == "1er" and fmt.ordinal(2) == "2e"


def test_free_text_cannot_become_markup():
    from surveykit.manuscript.markup import escape_inline
    assert escape_inline("*gras* <b>x</b> [lien](u)\n  suite") == "&#42;gras&#42; &lt;b>x&lt;/b> [lien&#93;(u) suite"


def test_negative_numbers_take_the_minus_sign():
    assert fmt.number(-0.58, 2) == "\u22120,58" and fmt.number(-0.0001, 2) == "0,00"
