"""Masking of personal data in free text (surveykit.clean.privacy), and where the cleaning step applies it."""
from __future__ import annotations

import logging

import pandas as pd
import pytest
from conftest import CODEBOOK, write_rows

from surveykit.clean.cleaning import clean_file, respondent_id
from surveykit.clean.files import clean_wave_files
from surveykit.clean.privacy import (Masker, first_names, has_personal_data, mask_cleaned, mask_pii, read_names,
                                     residual_personal_data)
from surveykit.core.errors import InputError


@pytest.mark.parametrize("text, masked", [
    # French and international phone numbers
    ("tel 06-12-34-56-78 ou 0033 6 12 34 56 78", "tel [téléphone] ou [téléphone]"),
    ("Bruxelles +32 2 123 45 67, Londres 0044 20 7946 0958", "Bruxelles [téléphone], Londres [téléphone]"),
    ("US: +1 (555) 123-4567.", "US: [téléphone]."),
    # health professional identifiers and social security numbers
    ("mon RPPS 10003456789, ADELI 591234567", "mon RPPS [identifiant], ADELI [identifiant]"),
    ("NIR 1 85 05 78 006 084 36 et 2850578006084", "NIR [NIR] et [NIR]"),
    ("NIR corse 1 85 05 2A 006 084 36", "NIR corse [NIR]"),
    # postal addresses
    ("cabinet au 12 bis rue de l'Église, 59000 Lille, merci", "cabinet au [adresse], merci"),
    ("au 3 avenue du Président Kennedy", "au [adresse]"),
    ("code postal 59300 Valenciennes", "code postal [adresse]"),
    # titled names, the title kept
    ("Contactez le Dr Jean Dupont", "Contactez le Dr [nom]"),
    ("Pr. Lefèvre et Mademoiselle Roux", "Pr. [nom] et Mademoiselle [nom]"),
    # a quote closing a name stays (the apostrophe of a name is part of it)
    ("le nom cité : 'Dr Jean Dupont'", "le nom cité : 'Dr [nom]'"),
    ("voir Dr O'Neil lundi", "voir Dr [nom] lundi"),
    # e-mail inside other punctuation
    ("(écrire à a.b-c+d@chu-lille.fr)", "(écrire à [courriel])"),
    # what is not personal data stays
    ("10 à 15 actes par mois depuis 2024, soit 0,5 %", "10 à 15 actes par mois depuis 2024, soit 0,5 %"),
    ("j'ai suivi 3 cours de formation le 12/01/2025", "j'ai suivi 3 cours de formation le 12/01/2025"),
    ("Déviance (endocrinologie CH Valenciennes)", "Déviance (endocrinologie CH Valenciennes)"),
    ("1234567890 et 3,14159265358", "1234567890 et 3,14159265358"),
])
def test_patterns(text, masked):
    assert mask_pii(text)[0] == masked
    assert has_personal_data(text) == (masked != text)  # the drafter's quick look agrees with the masking


def test_names_of_the_list_are_whole_words_whatever_accents_case_and_separator():
    names = ["Hervé", "Jean Dupont", "Le Gall"]
    assert mask_pii("voir HERVE, jean-dupont et le  gall", names)[0] == "voir [nom], [nom] et [nom]"
    assert mask_pii("Hervéline et Dupontel", names)[0] == "Hervéline et Dupontel"


def test_overlapping_findings_are_masked_as_one_span():
    masked, findings = mask_pii("Dr Jean.Dupont@chu.fr", None)
    assert masked == "Dr [courriel]" and [f.kind for f in findings] == ["courriel"]


def test_masking_is_linear_on_long_adversarial_answers():
    """The patterns never rescan a run: 100 000 characters of what used to be quadratic stay masked right."""
    masker = Masker(["Dupont"])
    for text in ("a" * 100_000 + "@x.fr", "a@" * 50_000, "1" * 100_000, "Dr " * 33_333, "12 rue " * 14_000):
        masked, _kinds = masker.mask(text)
        assert len(masked) <= len(text) + 20
    masked, kinds = masker.mask("x" * 99_990 + " a@b.fr")
    assert masked.endswith(" [courriel]") and kinds == ("courriel",)


def test_names_file_comments_and_errors(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# people cited by respondents\nDupont\n\n  Le Gall \n", encoding="utf-8")
    assert read_names(path) == ["Dupont", "Le Gall"]
    with pytest.raises(InputError, match=r"absent\.txt: file not found; it is the list of names to mask"):
        read_names(tmp_path / "absent.txt")


def test_cleaning_masks_answers_details_messages_and_reports_kinds_never_values(tmp_path, small_rows, codebook):
    header = small_rows[0]
    rows = [list(r) for r in small_rows]
    column = header.index("Autres freins identifiés")
    rows[1][column] = "Appeler le Dr Martin au 06 12 34 56 78 (RPPS 10003456789)"
    result = clean_file(write_rows(tmp_path / "export.csv", rows), codebook)
    masker = Masker(["Dupont"])
    report = mask_cleaned(result, codebook, masker, respondent_id)
    answers = result.responses.set_index("respondent_id")["autres_freins"]
    assert answers["R00002"] == "Appeler le Dr [nom] au [téléphone] (RPPS [identifiant])"
    assert report.to_dict("records") == [
        {"where": "autres_freins", "respondent_id": "R00002", "kind": kind, "n": 1}
        for kind in ("identifiant RPPS/ADELI", "nom", "téléphone")]
    assert "Martin" not in report.to_csv() and "06 12" not in report.to_csv()


def test_clean_step_masks_the_skip_violation_detail_and_the_log(tmp_path, small_rows, codebook, caplog):
    """A non-user answers the users-only platform question with a phone number: excluded, and masked everywhere."""
    header = small_rows[0]
    rows = [list(r) for r in small_rows]
    practice, platform = header.index("Pratiquez-vous la télé-expertise ?"), header.index(
        next(h for h in header if h.startswith("Si vous pratiquez la télé-expertise avec une plateforme")))
    row = next(r for r in rows[1:] if r[practice] == "Non")
    row[platform] = "Omnidoc, appelez Mme Sophie Martin au 07 98 76 54 32"
    export = write_rows(tmp_path / "export.csv", rows)
    names = tmp_path / "names.txt"
    names.write_text("Sophie\n", encoding="utf-8")
    out = {k: tmp_path / f"{k}.csv" for k in ("responses", "excluded", "pii")}
    with caplog.at_level(logging.INFO):
        clean_wave_files(str(export), str(CODEBOOK), out["responses"], out["excluded"], tmp_path / "flow.json", {"label": "w"}, "quarantine",
                   logging.getLogger("clean_wave"), None, str(names), out["pii"])
    excluded = pd.read_csv(out["excluded"], dtype=str, keep_default_na=False)
    detail = excluded.loc[excluded["reason"] == "logique de saut non respectée", "detail"].iloc[0]
    assert "'Omnidoc, appelez Mme [nom] au [téléphone]' answered although" in detail
    written = "".join(p.read_text(encoding="utf-8") for p in out.values()) + caplog.text
    assert "Sophie" not in written and "07 98" not in written and "Martin" not in written
    assert "personal data masked: 1 nom in excluded.csv detail" in caplog.text


@pytest.mark.parametrize("text, masked", [
    # a title in any case, a name in lower case (issue 21: this quote reached a chapter)
    ("dr martin lefebvre, cabinet du loiret : 06 12 34 56 78", "dr [nom], cabinet du loiret : [téléphone]"),
    ("voir avec DOCTEUR Lefebvre demain", "voir avec DOCTEUR [nom] demain"),
    ("le temps, surtout avec dr mercier qui ne répond jamais", "le temps, surtout avec dr [nom] qui ne répond jamais"),
    ("pr gauthier et mme bonnet", "pr [nom] et mme [nom]"),
    # a first name of the shipped list and a surname, without title, whatever the case
    ("j'en ai parlé avec martin lefebvre de la CPTS", "j'en ai parlé avec [nom] de la CPTS"),
    ("Sophie Fournier (sophie.fournier@orange.fr) est la référente", "[nom] ([courriel]) est la référente"),
    ("Jean-Pierre Moreau m'a formé", "[nom] m'a formé"),
    ("merci à émilie rousseau", "merci à [nom]"),
    # ordinary sentences stay as they are
    ("le docteur traitant est absent", "le docteur traitant est absent"),
    ("Dr Lefebvre a tout organisé", "Dr [nom] a tout organisé"),
    ("Marie et moi utilisons Omnidoc", "Marie et moi utilisons Omnidoc"),
    ("pr moi c'est le temps", "pr moi c'est le temps"),
    ("Monsieur le ministre, la télé-expertise", "Monsieur le ministre, la télé-expertise"),
    ("Rien à ajouter, merci pour ce travail", "Rien à ajouter, merci pour ce travail"),
])
def test_names_without_title_or_capitals(text, masked):
    assert mask_pii(text)[0] == masked
    assert has_personal_data(text) == (masked != text)


def test_first_names_ship_as_package_data():
    names = first_names()
    assert len(names) >= 250
    assert {"martin", "jean", "pierre", "emilie", "helene", "nathalie"} <= names
    assert not names & {"france", "rose", "le", "de", "traitant"}


def test_new_name_rules_leave_the_bundled_answers_as_they_were():
    """The bundled studies' coding decisions are keyed by the hash of the masked answer: the first-name and
    lower-case rules must not change any bundled free text."""
    from conftest import ROOT

    from surveykit.questionnaire.forms.read import read_export
    for export in sorted((ROOT / "data" / "raw").glob("*/export.*")):
        for row in read_export(export).rows:
            for cell in row:
                if cell and not cell[:1].isdigit() and any(c.isalpha() for c in cell):
                    masked = mask_pii(cell)[0]
                    assert masked == cell or "[" in masked, (export, cell)
                    assert "[nom]" not in masked or any(t in cell for t in ("Dr ", "Mme ", "Pr ", "M. ")), (export, cell)


@pytest.mark.parametrize("text, kinds", [
    ("Le manque de temps et la rémunération", []),
    ("voir avec dr [nom], cabinet du loiret : [téléphone]", []),
    ("merci à Julien pour son aide", ["nom"]),  # a first name alone: not masked, never quoted
    ("écrire à martin.lefebvre at gmail.com", ["courriel"]),
    ("mon portable 06 12 34 5678", ["téléphone"]),
    ("dr martin lefebvre m'a aidé", ["nom"]),  # not masked yet: found
])
def test_residual_personal_data(text, kinds):
    assert residual_personal_data(text) == kinds


def test_a_quote_that_still_holds_personal_data_is_never_chosen():
    """Quotes are chosen from masked answers; one that still names someone, or holds a number or an address the
    patterns missed, is skipped even when it is the longest (the rule's first choice) or marked « oui »."""
    from conftest import ROOT

    from surveykit.recode.codebook import load_codebook
    from surveykit.recode.decisions import Decision
    from surveykit.recode.identity import answer_hash
    from surveykit.recode.quotes import select_quotes

    book = load_codebook(ROOT / "data" / "studies" / "tele_expertise_cpts" / "categories" / "autres_freins.yaml")
    question = book.question
    category = book.active_categories[0].id
    book.quotes.update({"per_category": 2, "order": "longest", "categories": [category]})
    answers = [
        "dr martin lefebvre, cabinet du loiret, toujours injoignable le vendredi après-midi",  # unmasked: skipped
        "Julien m'a tout montré mais le logiciel plante tous les jours depuis la mise à jour",  # a first name
        "écrire à martin.lefebvre at gmail.com pour les détails, c'est trop long à expliquer ici",
        "Le temps de connexion à la plateforme, trop long",
        "Le temps",
    ]
    coded = pd.DataFrame({"question": question, "category": category, "source": "manual:test",
                          "respondent_id": [f"r{k}" for k in range(len(answers))], "answer": answers})
    decisions = [Decision(question, answer_hash(answers[1]), answers[1], (category,), "test", "", citation="oui")]
    quotes = select_quotes(coded, {question: book}, decisions)
    assert list(quotes["answer"]) == ["Le temps de connexion à la plateforme, trop long", "Le temps"]
