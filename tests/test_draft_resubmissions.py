"""The drafter's `resubmissions:`: an address found on several submissions is one respondent's correction
(`keep: last`) unless the submissions look like different people sharing an address (`keep: all`).

Built on the stranger Forms export (tests/fixtures/stranger/urps_forms.csv: an « Adresse e-mail » column, a test
row, one doctor who sent the same answers twice) and on small tables for the rule itself.
"""
from __future__ import annotations

import csv
from pathlib import Path

import yaml
from conftest import write_rows

from surveykit.clean.cleaning import REASON_DUPLICATE, REASON_REPLACED, REASON_TEST, clean_file
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.read import read_export
from surveykit.tools.draft import draft_export
from surveykit.tools.draft.render import Engine, comment_lines, engine, study_files
from surveykit.tools.draft.resubmissions import guess_resubmissions

URPS = Path(__file__).resolve().parent / "fixtures" / "stranger" / "urps_forms.csv"
ADDRESS, AGE, DEPARTMENT = 1, 3, 4  # columns of urps_forms.csv
RECEIVED, ANALYSED = 214, 212  # its rows; analysed once the test row and the identical resubmission are excluded


def urps_rows() -> list[list[str]]:
    with URPS.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def drafted(path: Path) -> str:
    return study_files(draft_export(read_export(path)), "urps", path.name)["codebook.yaml"]


def drafted_codebook(path: Path, tmp_path: Path):
    (tmp_path / "codebook.yaml").write_text(drafted(path), encoding="utf-8")
    return load_codebook(tmp_path / "codebook.yaml")


def with_correction(tmp_path: Path) -> tuple[Path, int]:
    """urps with the doctor of sheet row 100 sending the form again a day later, « Département » corrected,
    the address typed in capitals; returns the export and the replaced sheet row."""
    table = urps_rows()
    first = table[99]
    again = list(first)
    day, rest = first[0].split(" ", 1)
    year, month, date = day.split("/")
    again[0] = f"{year}/{month}/{int(date) + 1:02d} {rest}" if int(date) < 28 else f"{year}/{month}/28 11:59:59 PM UTC+2"
    again[ADDRESS] = first[ADDRESS].upper()
    again[DEPARTMENT] = "Cher (18)" if first[DEPARTMENT] != "Cher (18)" else "Indre (36)"
    return write_rows(tmp_path / "urps_corrected.csv", [*table, again]), 100


def with_shared_address(tmp_path: Path) -> Path:
    """urps where two doctors of different ages answered from their practice's shared address."""
    table = urps_rows()
    first = 10
    other = next(i for i in range(first + 1, len(table))
                 if table[i][AGE].split()[0] != table[first][AGE].split()[0] and table[i][2] != table[first][2])
    for i in (first, other):
        table[i][ADDRESS] = "secretariat@cabinet-des-tilleuls.fr"
    return write_rows(tmp_path / "urps_shared.csv", table)


def test_a_repeated_address_drafts_keep_last_with_its_count():
    text = drafted(URPS)
    assert 'resubmissions: {key: "Adresse e-mail", keep: last}' in text.splitlines()
    comment = " ".join(line[2:] for line in text.splitlines() if line.startswith("# ")
                       and "resubmissions" not in line)
    assert ("1 adresse e-mail revient dans plusieurs réponses (1 envoi de plus, identique au premier) : un même "
            "répondant a renvoyé le formulaire (pour corriger une réponse, ou par erreur) ; seule sa réponse la plus "
            "récente est analysée") in comment


def test_a_corrected_resubmission_is_analysed_once_with_the_drafted_codebook(tmp_path):
    """On main the corrected submission was analysed beside the first: 213 analysed; now 212, the first replaced."""
    export, replaced = with_correction(tmp_path)
    text = drafted(export)
    assert "2 adresses e-mail reviennent dans plusieurs réponses (2 envois de plus, dont 1 identique au premier)" \
        in " ".join(text.split())
    book = drafted_codebook(export, tmp_path)
    assert (book.resubmissions.key, book.resubmissions.keep) == ("Adresse e-mail", "last")
    result = clean_file(export, book)
    flow = result.flow
    assert (flow["received"], flow["analysed"]) == (RECEIVED + 1, ANALYSED)
    assert flow["excluded"] == {REASON_DUPLICATE: 1, REASON_REPLACED: 1, REASON_TEST: 1}
    assert flow["received"] == flow["analysed"] + sum(flow["excluded"].values()) + sum(flow["quarantined"].values())
    row = result.excluded.set_index("sheet_row").loc[replaced]
    assert row["reason"] == REASON_REPLACED
    assert f"row {replaced}: replaced by row {RECEIVED + 2}, a later submission" in row["detail"]
    assert "@" not in "".join(result.excluded["detail"]) + "".join(result.messages)


def test_an_address_shared_by_two_doctors_drafts_keep_all_and_says_why(tmp_path):
    export = with_shared_address(tmp_path)
    text = drafted(export)
    assert 'resubmissions: {key: "Adresse e-mail", keep: all}' in text.splitlines()
    comment = " ".join(" ".join(line[2:] for line in text.splitlines() if line.startswith("# ")).split())
    assert ("2 adresses e-mail reviennent dans plusieurs réponses (2 envois de plus, dont 1 identique au premier) ; "
            "pour 1 d'entre elles, les "
            "réponses semblent venir de personnes différentes (elles diffèrent sur « Votre âge »") in comment
    assert "une adresse partagée (secrétariat, cabinet) ; toutes les réponses sont donc analysées" in comment
    assert "cabinet-des-tilleuls" not in text
    result = clean_file(export, drafted_codebook(export, tmp_path))
    assert (result.flow["received"], result.flow["analysed"]) == (RECEIVED, ANALYSED)  # both doctors analysed
    assert result.flow["excluded"] == {REASON_DUPLICATE: 1, REASON_TEST: 1}


def test_drafting_the_resubmissions_is_deterministic(tmp_path):
    export = with_shared_address(tmp_path)
    assert drafted(export) == drafted(export)


def test_an_older_engine_without_the_key_gets_no_resubmissions_line():
    guess = draft_export(read_export(URPS))
    assert engine().resubmissions
    text = study_files(guess, "urps", URPS.name, Engine(resubmissions=False))["codebook.yaml"]
    assert "resubmissions" not in text and "adresse e-mail revient" not in text


# ------------------------------------------------------------------------------ the rule on small tables

HEADERS = ("Horodateur", "Adresse e-mail", "Votre âge", "Sexe", "Année d'installation", "Q1", "Q2", "Q3", "Q4")
LEFT_OUT = {0, 1}


def row(address: str, *answers: str) -> tuple[str, ...]:
    return ("01/03/2025 10:00:00", address, *answers)


def guess(*rows):
    return guess_resubmissions(HEADERS, list(rows), list(zip(*rows)), 1, LEFT_OUT)


def test_one_answer_changed_is_a_correction():
    found = guess(row("a@x.fr", "45", "F", "2001", "Oui", "Non", "Oui", "Non"),
                  row("b@x.fr", "50", "H", "1999", "Oui", "Oui", "Oui", "Non"),
                  row(" A@X.fr ", "45", "F", "2001", "Oui", "Non", "Non", "Non"))
    assert (found.keep, found.repeated, found.extra, found.shared, found.identical) == ("last", 1, 1, 0, 0)
    found = guess(row("a@x.fr", "45", "F", "2001", "Oui", "Non", "Oui", "Non"),
                  row("a@x.fr", "45", "F", "2001", "Oui", "Non", "Oui", "Non"),
                  row("a@x.fr", "45", "F", "2001", "oui ", "Non", "Oui", "Non"))
    assert (found.keep, found.repeated, found.extra, found.identical) == ("last", 1, 2, 2)
    assert found.note.startswith("1 adresse e-mail revient dans plusieurs réponses (2 envois de plus, tous "
                                 "identiques au premier) :")


def test_a_different_age_sex_or_year_is_another_person():
    for column in (0, 1, 2):  # « Votre âge », « Sexe », « Année d'installation » (answers all years)
        answers = ["45", "F", "2001", "Oui", "Non", "Oui", "Non"]
        changed = list(answers)
        changed[column] = {0: "61", 1: "H", 2: "1990"}[column]
        found = guess(row("cabinet@x.fr", *answers), row("cabinet@x.fr", *changed))
        assert (found.keep, found.shared) == ("all", 1)
        assert found.differ_on == (f"« {HEADERS[column + 2]} »",)


def test_most_answers_different_is_another_person():
    found = guess(row("cabinet@x.fr", "", "", "", "Oui", "Non", "Oui", "Non"),
                  row("cabinet@x.fr", "", "", "", "Non", "Oui", "Non", "Non"))
    assert (found.keep, found.differ_on) == ("all", ("plus de la moitié des réponses",))
    # half of them (two of four) is not most: a correction of two answers
    found = guess(row("cabinet@x.fr", "", "", "", "Oui", "Non", "Oui", "Non"),
                  row("cabinet@x.fr", "", "", "", "Non", "Oui", "Oui", "Non"))
    assert found.keep == "last"


def test_no_repeated_address_and_blank_addresses_draft_nothing():
    assert guess(row("a@x.fr", "45", "F", "2001", "Oui", "Non", "Oui", "Non"),
                 row("", "50", "H", "1999", "Oui", "Oui", "Oui", "Non"),
                 row(" ", "50", "H", "1999", "Oui", "Oui", "Oui", "Non")) is None


def test_a_comment_never_breaks_between_a_guillemet_and_its_word():
    for width in range(1, 110):  # the quotation at every place of the line
        text = "x" * width + " les autres sont écartées (« réponse remplacée par un nouvel envoi », dans la figure)"
        lines = comment_lines(text, "")
        assert not any(line.endswith("«") or line.startswith("# »") for line in lines), lines
        assert " ".join(line[2:] for line in lines) == text


def test_the_drafted_codebook_loads_and_keeps_the_address_column_identifying(tmp_path):
    book = drafted_codebook(URPS, tmp_path)
    assert book.identifying_headers == ("Adresse e-mail",)
    assert "Adresse e-mail" not in {q.header for q in book.questions}
    assert yaml.safe_load(drafted(URPS))["resubmissions"] == {"key": "Adresse e-mail", "keep": "last"}
