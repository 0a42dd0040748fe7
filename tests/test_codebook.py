"""The questionnaire codebook: all 23 questions of Annexe 1 with the variable ids of the analysis."""
import pytest
import yaml
from conftest import CODEBOOK

from surveykit.core.errors import InputError
from surveykit.questionnaire.codebook import load_codebook

EXPECTED_VARIABLES = [
    "mode_exercice", "genre", "age", "actes", "aisance_numerique", "universitaire", "role_cpts", "lieu", "cpts",
    "structure", "connait_tle", "forme_tle", "pratique_tle", "frequence", "specialite", "plateforme", "role_tle",
    "indispensable_10ans", "frein_perte_temps", "frein_connaissance_tle", "frein_fonctionnement_outil",
    "frein_deshumanisation", "frein_habitudes_travail", "frein_confiance_informations", "frein_remuneration",
    "frein_tracabilite", "frein_identifier_medecin", "autres_freins", "favoriserait", "leviers",
    "recours_appel_sms", "recours_secretariat", "recours_plateforme", "recours_mail", "recours_fax",
]


def test_twenty_three_questions_numbered_in_order(codebook):
    assert [q.number for q in codebook.questions] == list(range(1, 24))


def test_every_analysed_variable_of_the_plan_exists(codebook):
    assert set(EXPECTED_VARIABLES) <= set(codebook.variables)


def test_skip_logic_of_q14_to_q16_follows_q13(codebook):
    for qid in ("recours", "frequence", "specialite"):
        question = codebook.question(qid)
        assert question.branch_on == "pratique_tle"
        assert sorted(question.branch_headers) == ["Non", "Oui"]
    assert codebook.question("plateforme").asked_if == {"pratique_tle": "Oui"}


def test_scales_are_1_to_10_and_ranks_1_to_5(codebook):
    assert (codebook.question("aisance_numerique").min, codebook.question("aisance_numerique").max) == (1, 10)
    assert (codebook.question("freins").min, codebook.question("freins").max) == (1, 10)
    assert (codebook.question("recours").min, codebook.question("recours").max) == (1, 5)


def test_canonical_labels_are_the_thesis_table_labels(codebook):
    assert codebook.question("forme_tle").label_of("Insuffisamment") == "Pas suffisamment"
    assert codebook.question("genre").levels == ("Femme", "Homme", "Non genré")
    assert codebook.question("mode_exercice").label_of("Salarié") == "Autres : EHPAD, PMI"


def _broken(tmp_path, mutate):
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_type_is_rejected_with_its_location(tmp_path):
    path = _broken(tmp_path, lambda d: d["questions"][1].update(type="radio"))
    with pytest.raises(InputError, match=r"codebook.yaml: questions/1/type: 'radio' is not one of"):
        load_codebook(path)


def test_levels_must_match_option_labels(tmp_path):
    path = _broken(tmp_path, lambda d: d["questions"][1].update(levels=["Femme", "Homme"]))
    with pytest.raises(InputError, match=r"question 2 \(genre\): `levels` \['Femme', 'Homme'\] must list exactly"):
        load_codebook(path)


def test_skip_logic_must_point_to_an_earlier_question(tmp_path):
    path = _broken(tmp_path, lambda d: d["questions"][16].update(asked_if={"leviers": "Oui"}))
    with pytest.raises(InputError, match=r"question 17 \(plateforme\): skip logic refers to 'leviers'"):
        load_codebook(path)
