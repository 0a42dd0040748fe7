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
    assert text.endswith("suivies de « B » avec 11 (28,2\u00a0%)")


def test_tie_among_followers_and_puis():
    shares = [share("A", 10, 39), share("B", 8, 39), share("C", 8, 39), share("D", 7, 39), share("E", 6, 39)]
    text = prose.ranking(shares, DOCTORS)
    assert "suivie de « B » et « C » à égalité avec 8 chacune (20,5\u00a0%), « D » avec 7 (17,9\u00a0%)" in text
    assert text.endswith("puis « E » avec 6 (15,4\u00a0%)")


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
    text = prose.ranked([("perte de temps", "5,7", "5,7 ± 2,9"), ("déshumanisation", "5,3", "5,3 ± 3,2"),
                         ("identification", "5,3", "5,3 ± 2,8")])
    assert text.endswith(" : perte de temps (5,7 ± 2,9) puis déshumanisation (5,3 ± 3,2) et "
                         "identification (5,3 ± 2,8), à égalité.")


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


# ------------------------------------------------------------------ issue P: French that reads as written

def test_the_respondents_noun_is_said_once_and_de_elides_before_a_vowel():
    """« suivie de « Homme » avec 17 médecins » read generated: an author elides and does not repeat the noun."""
    text = prose.ranking([share("Femme", 22, 39), share("Homme", 17, 39)], DOCTORS)
    assert text == "« Femme » est la réponse majoritaire avec 22 médecins (56,4\u00a0%), suivie d'« Homme » avec 17 (43,6\u00a0%)"
    assert "suivie de « Oui »" in prose.ranking([share("Non", 30, 39), share("Oui", 9, 39)], DOCTORS)  # no elision
    assert "suivie d'« Hématologie »" in prose.ranking([share("Dermatologie", 22, 32), share("Hématologie", 3, 32)],
                                                       DOCTORS)
    assert "suivie de « Hausse des tarifs »" in prose.ranking([share("Baisse", 6, 9), share("Hausse des tarifs", 3, 9)],
                                                              DOCTORS)  # aspirated h
    assert prose.de("« Entre 75 et 110 actes »") == "d'« Entre 75 et 110 actes »"
    assert prose.de("« Yaourt »") == "de « Yaourt »"


def test_a_later_sentence_of_a_list_gives_counts_without_the_noun():
    assert prose.distribution("Âge", [share("Plus de 50 ans", 380, 760), share("Moins de 30 ans", 84, 760)], None) == (
        "Âge : « Plus de 50 ans » est la réponse la plus fréquente avec 380 (50\u00a0%), suivie de « Moins de 30 ans » "
        "avec 84 (11,1\u00a0%).")


def test_the_comparisons_that_do_not_differ_are_one_sentence():
    groups = ["CPTS de l'Amandinois", "CPTS du Grand Denain", "CPTS du Grand Valenciennes"]
    text = prose.no_difference(["Genre", "Structure", "Nombre d'actes par semaine"], groups,
                               ["tests exacts de Fisher"], [(0.2609, "0,2609"), (0.5202, "0,5202"), (0.3389, "0,3389")])
    assert text == ("La répartition ne diffère significativement entre les groupes « CPTS de l'Amandinois », « CPTS du Grand "
                    "Denain » et « CPTS du Grand Valenciennes » pour aucune des questions suivantes : « Genre », "
                    "« Structure » et « Nombre d'actes par semaine » (tests exacts de Fisher, p\u00a0de 0,2609 à 0,5202).")
    one = prose.no_difference(["Renforcent la relation avec les patients"], ["Médecins", "Autres"],
                              ["test du khi² de Pearson"], [(0.7008, "0,7008")])
    assert one == ("Pour la question « Renforcent la relation avec les patients », la répartition ne diffère pas "
                   "significativement entre les groupes « Médecins » et « Autres » (test du khi² de Pearson, "
                   "p\u00a0=\u00a00,7008).")


def test_an_over_represented_answer_has_its_article_and_its_group():
    text = prose.overrepresented([("Plus de 50 ans", "CPTS du Grand Denain", "54,5 %", "20,5 %"),
                                  ("Moins de 35 ans", "CPTS de l'Amandinois", "42,9 %", "23,1 %")])
    assert text == ("la réponse « Plus de 50 ans » est surreprésentée dans le groupe « CPTS du Grand Denain » (54,5 % "
                    "contre 20,5 % sur l'ensemble) et la réponse « Moins de 35 ans » dans le groupe « CPTS de "
                    "l'Amandinois » (42,9 % contre 23,1 % sur l'ensemble)")


@pytest.mark.parametrize("label, expected", [
    ("Perte de temps", "perte de temps"),
    ("Difficulté à identifier un médecin via la TLE", "difficulté à identifier un médecin via la TLE"),
    ("TLE en dernier recours", "TLE en dernier recours"),  # acronym
    ("DMP", "DMP"),
    ("eHealth", "eHealth"),
    ("Omnidoc", "Omnidoc"),  # a proper noun: written with a capital inside another label of the study
    ("Activité universitaire", "activité universitaire"),
])
def test_a_label_inside_a_sentence_keeps_capitals_only_where_they_belong(label, expected):
    proper = prose.proper_nouns(["Plateforme Omnidoc", "CPTS du Grand Denain", "Perte de temps"])
    assert {"Omnidoc", "Grand", "Denain"} <= proper and "Perte" not in proper
    assert prose.lower_label(label, proper) == expected


def test_an_abbreviation_is_introduced_where_the_long_form_first_appears():
    text = ("## 3 La TLE\n\nParmi eux, 38 connaissent la télé-expertise et 32 la pratiquent.\n\n"
            "Les scores concernent : difficulté via la TLE (5,3 ± 2,8).")
    out = prose.expand_abbreviations(text, {"TLE": "télé-expertise"})
    assert "38 connaissent la télé-expertise (TLE) et 32" in out
    assert out.endswith("difficulté via la TLE (5,3 ± 2,8).")  # not spelled out a second time
    assert out.startswith("## 3 La TLE")


def test_an_abbreviation_spelled_out_before_a_bracket_does_not_double_it():
    out = prose.expand_abbreviations("Les scores concernent : difficulté via la TLE (5,3 ± 2,8).",
                                     {"TLE": "télé-expertise"})
    assert out == "Les scores concernent : difficulté via la télé-expertise (TLE\u00a0; 5,3 ± 2,8)."
    assert ") (" not in out


def test_a_caption_qualifier_and_its_n_share_one_bracket():
    assert prose.within_bracket("Usages des outils (utilisateurs)", "n = 669") == "Usages des outils (utilisateurs, n = 669)"
    assert prose.within_bracket("Professions des répondants", "n = 760") == "Professions des répondants (n = 760)"
    assert prose.within_bracket("Aisance de 1 (aucune) à 10 (excellente)", "n = 81") == (
        "Aisance de 1 (aucune) à 10 (excellente) (n = 81)")  # a scale's end label is not a qualifier to extend
    assert prose.within_bracket("Aisance (de 1 : aucune, à 10 : excellente)", "n = 81") == (
        "Aisance (de 1 : aucune, à 10 : excellente) (n = 81)")  # a scale described in the bracket: its own words


def test_an_open_category_has_its_definition_and_par_exemple_only_for_a_sample():
    sample = prose.open_category("Augmentation du nombre de spécialistes", "10 réponses (45,5 %)",
                                 "Davantage de médecins requis disponibles", ["« Plus de spécialistes inscrits »"], True)
    assert sample == ("Augmentation du nombre de spécialistes : 10 réponses (45,5 %). Davantage de médecins requis "
                      "disponibles. Par exemple : « Plus de spécialistes inscrits ».")
    every = prose.open_category("Délais de réponse", "2 réponses (11,8 %)", "Temps d'attente.",
                                ["« Réponse immédiate »", "« Temps passé à attendre le retour »"], False)
    assert every.endswith("Temps d'attente. Les réponses : « Réponse immédiate » et « Temps passé à attendre le retour ».")
    assert "par exemple" not in every.lower()
    ending = prose.open_category("Simplifier", "5 réponses (16,7 %)", "", ["« Des interfaces plus simples. »"], True)
    assert ending == "Simplifier : 5 réponses (16,7 %). Par exemple : « Des interfaces plus simples. »"
    assert prose.empty_categories(["Aucune plateforme"]) == "Aucune réponse ne relève de la catégorie « Aucune plateforme »."
    assert prose.empty_categories([]) == ""


def test_the_repeated_sentence_check_finds_a_sentence_said_twice():
    from chapter_sentences import repeated_sentences, sentences

    text = ("# Titre\n\nLes réponses ont été regroupées. Autre phrase « Avec. Un point » ici.\n\n"
            "| a |\n\nTable: Les réponses ont été regroupées.\n\n- Les réponses ont été regroupées.")
    assert sentences(text)[1] == "Autre phrase « Avec. Un point » ici."
    assert repeated_sentences(text) == {"Les réponses ont été regroupées.": 2}


def test_the_quote_rule_illustrates_every_substantive_category_and_never_an_empty_one():
    """`others` gives the categories the rule does not name one quote each (« Augmentation du nombre de
    spécialistes », the largest, had none); « Réponse ininterprétable » (substantive: false) is never quoted."""
    from conftest import ROOT
    from surveykit.recode.codebook import load_codebook
    from surveykit.recode.quotes import quota, select_quotes

    book = load_codebook(ROOT / "data" / "studies" / "tele_expertise_cpts" / "categories" / "favoriserait.yaml")
    wanted = quota(book)
    assert wanted["facilite_utilisation"] == 3 and wanted["plus_de_specialistes"] == 1
    assert "ininterpretable" not in wanted and not book.category("ininterpretable").substantive
    both = "Plus de spécialistes et des retours plus rapides"  # coded in two categories: quoted once, for the first
    answers = {"plus_de_specialistes": [both, "Plus de spécialistes inscrits"], "rapidite_retours": [both],
               "ininterpretable": ["cf. supra"]}
    coded = pd.DataFrame([{"question": book.question, "category": category, "source": "manual:test",
                           "respondent_id": f"r{index}{k}", "answer": text}
                          for index, (category, texts) in enumerate(answers.items()) for k, text in enumerate(texts)])
    quotes = select_quotes(coded, {book.question: book}, [])
    assert list(zip(quotes["category"], quotes["answer"])) == [("plus_de_specialistes", both)]


def test_an_adjusted_p_is_named_without_a_bracket_inside_the_sentence_bracket():
    from chapter_sentences import nested_brackets
    from surveykit.analysis.format import ADJUSTED, adjusted_p_words

    assert ADJUSTED["holm"] == "p ajustée (Holm)"  # the table's column header keeps its bracket
    assert adjusted_p_words("holm") == (f"p{NBSP}ajustée selon Holm", f"p{NBSP}ajustées selon Holm")
    assert adjusted_p_words("BH") == (f"p{NBSP}ajustée selon Benjamini-Hochberg", f"p{NBSP}ajustées selon Benjamini-Hochberg")
    text = prose.no_difference(["Genre", "Structure"], ["Médecins", "Autres"], ["tests exacts de Fisher"],
                               [(0.31, "0,31"), (0.62, "0,62")], adjusted_p_words("holm"))
    assert text.endswith(f"(tests exacts de Fisher, p{NBSP}ajustées selon Holm{NBSP}de 0,31 à 0,62).")
    assert nested_brackets(text) == []
    assert nested_brackets("Les âges diffèrent (p ajustée (Holm) < 0,001 ; « Oui (souvent) »).") != []
    assert nested_brackets("Réponse « Oui (souvent) » (n = 3).") == []


def test_several_questions_printed_with_one_p_say_so_in_agreement():
    alike = [(1.0, "1,0000"), (1.0, "1,0000")]
    assert prose.p_range(alike, ("p ajustée", "p ajustées")) == f"p ajustée{NBSP}={NBSP}1,0000 pour chacune"
    assert prose.p_range([(1.0, "1,0000")]) == f"p{NBSP}={NBSP}1,0000"
    assert prose.p_range([(0.05, "0,0503"), (0.52, "0,5202")]) == f"p{NBSP}de 0,0503 à 0,5202"
