"""Cleaning: every raw row is analysed, excluded or quarantined with a reason, and the counts add up."""
import pytest
from conftest import SMALL_EXPORT, write_rows

from surveykit.clean.cleaning import check_flow, clean_file, split_checkbox
from surveykit.core.errors import ConsistencyError, InputError


@pytest.fixture(scope="module")
def result(codebook):
    return clean_file(SMALL_EXPORT, codebook)


def test_flow_counts_add_up(result):
    flow = result.flow
    assert flow["received"] == 9
    assert flow["analysed"] == 4
    assert flow["excluded"] == {"doublon": 1, "ligne vide": 1, "logique de saut non respectée": 1}
    assert flow["quarantined"] == {"valeur invalide": 2}
    assert len(result.responses) + len(result.excluded) == flow["received"]


def test_flow_records_the_raw_file_hash(result):
    import hashlib

    assert result.flow["sha256"] == hashlib.sha256(SMALL_EXPORT.read_bytes()).hexdigest()


def test_excluded_rows_name_row_column_value_and_expectation(result):
    by_row = {r.sheet_row: r for r in result.excluded.itertuples()}
    assert by_row[6].status == "quarantined"
    assert by_row[6].detail == (
        f'{SMALL_EXPORT}, row 6, column "Freins à l\'utilisation de la télé-expertise [Perte de temps]": '
        "'11' — expected a whole number from 1 to 10"
    )
    assert by_row[10].detail == (
        f"{SMALL_EXPORT}, row 10, column \"Sexe\": 'Autre' — expected one of 'Féminin', 'Masculin', 'Non-genré'"
    )
    assert by_row[7].reason == "doublon" and "same answers as row 3" in by_row[7].detail
    assert by_row[8].reason == "logique de saut non respectée"
    assert "only when pratique_tle = 'Oui'" in by_row[8].detail
    assert by_row[9].reason == "ligne vide"


def test_branches_are_merged_into_one_variable(result):
    rows = result.responses.set_index("respondent_id")
    assert rows.loc["R00003", "pratique_tle"] == "Non"
    assert rows.loc["R00003", "frequence"] == "Quelques fois par an"  # answered in the "Non" section
    assert rows.loc["R00002", "frequence"] == "Entre une à plusieurs fois par semaine"
    assert rows.loc["R00003", "plateforme"] == ""


def test_ranks_are_integers_and_empty_when_not_ticked(result):
    rows = result.responses.set_index("respondent_id")
    assert [rows.loc["R00002", f"recours_{m}"] for m in ("appel_sms", "secretariat", "plateforme", "mail", "fax")] \
        == [3, 4, 1, 2, 5]
    assert rows["recours_mail"].isna().sum() == 2


def test_semi_open_answers_keep_the_free_text(result):
    rows = result.responses.set_index("respondent_id")
    assert rows.loc["R00004", "specialite"] == "Autres"
    assert rows.loc["R00004", "specialite_autre"] == "Rhumatologie"
    assert rows.loc["R00004", "role_tle"] == "Avis de second recours; Autre"
    assert rows.loc["R00004", "role_tle_autre"] == "Obtenir un avis urgent"
    assert rows.loc["R00004", "mode_exercice"] == "Autres : EHPAD, PMI"


def test_timestamp_is_kept_as_a_date_only(result):
    assert result.responses["submitted"].tolist() == ["2024-12-19", "2024-12-23", "2025-01-09", "2025-01-22"]


def test_checkbox_split_uses_the_option_list_not_commas(codebook):
    question = codebook.question("role_tle")
    labels, rest = split_checkbox(question, "Avis de second recours, Coordination CPTS, Pour les IDE, les kinés")
    assert labels == ["Avis de second recours", "Coordination CPTS"]
    assert rest == "Pour les IDE, les kinés"


def test_stop_mode_raises_on_the_first_invalid_cell(codebook):
    with pytest.raises(InputError) as error:
        clean_file(SMALL_EXPORT, codebook, on_invalid="stop")
    assert str(error.value).endswith("row 6, column \"Freins à l'utilisation de la télé-expertise [Perte de temps]\": "
                                     "'11' — expected a whole number from 1 to 10")


def test_period_excludes_late_rows(codebook):
    result = clean_file(SMALL_EXPORT, codebook, period={"start": "2024-12-20", "end": "2025-06-30"})
    assert result.flow["excluded"]["hors période de recueil"] == 1
    assert result.flow["analysed"] == 3


def test_repeated_rank_is_quarantined(tmp_path, small_rows, codebook):
    header = small_rows[0]
    row = list(small_rows[1])
    first = header.index("Pour obtenir l'expertise d'un confrère, comment le faites-vous ? [Secrétariat]")
    row[first] = "3"  # Appel / SMS is already ranked 3
    path = write_rows(tmp_path / "ranks.csv", [header, row])
    result = clean_file(path, codebook)
    assert result.flow["quarantined"] == {"valeur invalide": 1}
    assert "each rank used once" in result.excluded.loc[0, "detail"]


def test_missing_mandatory_answer_is_quarantined(tmp_path, small_rows, codebook):
    header = small_rows[0]
    row = list(small_rows[1])
    row[header.index("Âge")] = ""
    path = write_rows(tmp_path / "noage.csv", [header, row])
    result = clean_file(path, codebook)
    assert result.excluded.loc[0, "detail"] == (
        f"{path}, row 2, column \"Âge\": '' — expected an answer (the question is mandatory in the form)"
    )


def test_unreadable_timestamp_is_quarantined(tmp_path, small_rows, codebook):
    row = list(small_rows[1])
    row[0] = "le 19 décembre"
    path = write_rows(tmp_path / "date.csv", [small_rows[0], row])
    result = clean_file(path, codebook)
    assert "column \"Horodateur\": 'le 19 décembre' — expected a date and time such as 19/12/2024 14:32:05" in \
        result.excluded.loc[0, "detail"]


def test_check_flow_refuses_counts_that_do_not_add_up():
    with pytest.raises(ConsistencyError, match="received 5 but analysed \\+ excluded \\+ quarantined = 4"):
        check_flow({"received": 5, "analysed": 3, "excluded": {"doublon": 1}, "quarantined": {}})
