"""A respondent who sends the form again (the codebook's `resubmissions`): one submission of each respondent is
analysed, the others excluded with their reason and the row kept in their place, the address never written.

The export is the test study's (tests/fixtures/exports/outils_2025.csv: 62 rows, one address per respondent but
two, `repondant3@` sent identical answers twice, `repondant5@`'s second submission is quarantined), with one
respondent who sends the form again, one answer changed, the address typed in capitals between spaces.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from conftest import write_rows

from surveykit.clean.cleaning import REASON_DUPLICATE, REASON_REPLACED, REASON_SENT_AGAIN, clean_file
from surveykit.clean.files import clean_wave_files
from surveykit.core.errors import InputError
from surveykit.questionnaire.codebook import load_codebook
from surveykit.questionnaire.forms.timestamps import parse_timestamps

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPORT = FIXTURES / "exports" / "outils_2025.csv"
CODEBOOK = FIXTURES / "studies" / "outils_sante" / "codebook.yaml"
ADDRESS = "repondant10@exemple.fr"  # sheet row 12 of the export
FIRST_ROW, AGAIN_ROW = 12, 64  # the resubmission is appended after the 62 rows (sheet rows 2 to 63)


def rows() -> list[list[str]]:
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def resubmitted(tmp_path: Path, stamp: str = "2025/12/20 09:30:00 UTC+1") -> Path:
    """The export with the respondent of row 12 sending the form again: « Mode d'exercice » changed to « Libéral »."""
    table = rows()
    first = table[FIRST_ROW - 1]
    assert first[1] == ADDRESS and first[3] == "Mixte"
    again = list(first)
    again[0], again[1], again[3] = stamp, f"  {ADDRESS.upper()} ", "Libéral"
    return write_rows(tmp_path / "export.csv", [*table, again])


def codebook(tmp_path: Path, keep: str | None, key: str = "Adresse e-mail"):
    document = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    if keep is not None:
        document["resubmissions"] = {"key": key, "keep": keep}
    path = tmp_path / f"codebook_{keep}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_codebook(path)


def flow_adds_up(flow: dict) -> bool:
    return flow["received"] == flow["analysed"] + sum(flow["excluded"].values()) + sum(flow["quarantined"].values())


def by_row(result) -> dict:
    return {row.sheet_row: row for row in result.excluded.itertuples()}


def test_without_the_policy_a_changed_resubmission_is_analysed_twice(tmp_path):
    """What main did: only identical submissions are excluded, so the respondent of row 12 counts twice."""
    result = clean_file(resubmitted(tmp_path), codebook(tmp_path, None))
    assert (result.flow["received"], result.flow["analysed"]) == (63, 61)
    assert result.flow["excluded"] == {REASON_DUPLICATE: 1}


def test_keep_last_analyses_the_correction_and_excludes_the_replaced_row_with_its_reason(tmp_path):
    export = resubmitted(tmp_path)
    result = clean_file(export, codebook(tmp_path, "last"))
    flow = result.flow
    assert (flow["received"], flow["analysed"]) == (63, 60)  # one fewer than without the policy
    assert flow["excluded"] == {REASON_DUPLICATE: 1, REASON_REPLACED: 1}
    assert flow["quarantined"] == {"valeur invalide": 1}
    assert flow_adds_up(flow)
    replaced = by_row(result)[FIRST_ROW]
    assert (replaced.status, replaced.reason) == ("excluded", REASON_REPLACED)
    assert replaced.detail == (f"{export}, row {FIRST_ROW}: replaced by row {AGAIN_ROW}, a later submission of the "
                               'same respondent (same column "Adresse e-mail"; `resubmissions: keep: last`)')
    kept = result.responses.set_index("respondent_id").loc[f"R{AGAIN_ROW:05d}"]
    assert kept["exercice"] == "Libéral" and kept["submitted"] == "2025-12-20"
    assert f"R{FIRST_ROW:05d}" not in set(result.responses["respondent_id"])
    # the identical pair of repondant3@ (rows 5 and 62) is one respondent too: the later kept, as « doublon »
    assert by_row(result)[5].reason == REASON_DUPLICATE
    assert "same answers as row 62, sent by the same respondent" in by_row(result)[5].detail
    assert [m for m in result.messages if "more than once" in m] == [
        f'{export}: 2 respondents sent the form more than once (same column "Adresse e-mail"); the last submission '
        "of each is analysed, 2 others excluded (`resubmissions: keep: last`; rows in excluded.csv)"]


def test_keep_last_is_the_latest_timestamp_not_the_last_row(tmp_path):
    """A re-sorted export: the appended row was sent before row 12, so row 12 is the correction."""
    export = resubmitted(tmp_path, stamp="2025/11/01 09:30:00 UTC+1")
    result = clean_file(export, codebook(tmp_path, "last"))
    assert by_row(result)[AGAIN_ROW].reason == REASON_REPLACED
    assert f"replaced by row {FIRST_ROW}," in by_row(result)[AGAIN_ROW].detail
    assert result.flow["analysed"] == 60


def test_keep_first_analyses_the_first_submission(tmp_path):
    export = resubmitted(tmp_path)
    result = clean_file(export, codebook(tmp_path, "first"))
    assert result.flow["analysed"] == 60 and flow_adds_up(result.flow)
    assert result.flow["excluded"] == {REASON_DUPLICATE: 1, REASON_SENT_AGAIN: 1}
    again = by_row(result)[AGAIN_ROW]
    assert again.reason == REASON_SENT_AGAIN
    assert again.detail == (f'{export}, row {AGAIN_ROW}: sent again by the respondent of row {FIRST_ROW} (same column '
                            '"Adresse e-mail"), whose first submission is kept (`resubmissions: keep: first`)')
    assert result.responses.set_index("respondent_id").loc[f"R{FIRST_ROW:05d}", "exercice"] == "Mixte"


def test_keep_all_analyses_every_submission_and_says_how_many_addresses_repeat(tmp_path):
    export = resubmitted(tmp_path)
    result = clean_file(export, codebook(tmp_path, "all"))
    assert result.flow["analysed"] == 61 and result.flow["excluded"] == {REASON_DUPLICATE: 1}
    assert {f"R{FIRST_ROW:05d}", f"R{AGAIN_ROW:05d}"} <= set(result.responses["respondent_id"])
    assert any("2 respondents sent the form more than once" in m and "every submission is analysed" in m
               for m in result.messages)


def test_a_resubmission_on_the_same_day_is_ordered_by_its_time(tmp_path):
    """Forms writes « 9:17:12 AM » and « 9:05:12 PM »: the evening submission is the later one, whatever the row."""
    parsed = parse_timestamps(["2024/09/14 9:05:12 PM UTC+2", "2024/09/14 9:17:12 AM UTC+2",
                               "2024/09/14 12:01:00 AM UTC+2", "19/12/2024", ""])
    assert [m.isoformat() if m else None for m in parsed.moments] == [
        "2024-09-14T21:05:12", "2024-09-14T09:17:12", "2024-09-14T00:01:00", "2024-12-19T00:00:00", None]
    table = rows()
    first = table[FIRST_ROW - 1]
    again = list(first)
    first[0], again[0], again[3] = "2025/12/20 9:05:12 PM UTC+1", "2025/12/20 9:17:12 AM UTC+1", "Libéral"
    table.insert(FIRST_ROW, again)  # the morning submission written after the evening one
    result = clean_file(write_rows(tmp_path / "export.csv", table), codebook(tmp_path, "last"))
    assert by_row(result)[FIRST_ROW + 1].reason == REASON_REPLACED
    assert result.responses.set_index("respondent_id").loc[f"R{FIRST_ROW:05d}", "exercice"] == "Mixte"


def test_a_quarantined_resubmission_replaces_nothing(tmp_path):
    """repondant5@'s second submission holds an invalid age: quarantined, the first stays analysed."""
    result = clean_file(EXPORT, codebook(tmp_path, "last"))
    assert by_row(result)[63].status == "quarantined"
    assert 7 not in by_row(result) and "R00007" in set(result.responses["respondent_id"])


def test_the_address_is_written_nowhere_and_the_flowchart_says_why(tmp_path):
    from surveykit.figures.draw import flowchart

    export = resubmitted(tmp_path)
    book_path = tmp_path / "codebook.yaml"
    book_path.write_text(yaml.safe_dump({**yaml.safe_load(CODEBOOK.read_text(encoding="utf-8")),
                                         "resubmissions": {"key": "Adresse e-mail", "keep": "last"}},
                                        allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = {name: tmp_path / name for name in ("responses.csv", "excluded.csv", "flow.json", "pii.csv")}
    import logging

    records: list[str] = []
    logger = logging.getLogger("test_resubmissions")
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.addHandler(handler)
    try:
        flow = clean_wave_files(str(export), str(book_path), str(out["responses.csv"]), str(out["excluded.csv"]),
                                str(out["flow.json"]), {"label": "Test"}, "quarantine", logger,
                                pii_report=str(out["pii.csv"]))
    finally:
        logger.removeHandler(handler)
    assert flow["excluded"][REASON_REPLACED] == 1 and flow_adds_up(flow)
    written = "\n".join([*(path.read_text(encoding="utf-8") for path in out.values()), *records]).lower()
    assert "exemple.fr" not in written and "repondant" not in written
    assert "adresse e-mail" not in out["responses.csv"].read_text(encoding="utf-8").lower()
    figure = flowchart(flow, lambda variable, level: level, lambda variable: variable)
    text = " ".join(" ".join(t.get_text().split()) for ax in figure.axes for t in ax.texts)
    assert f"{REASON_REPLACED} : n = 1" in text.replace("\u00a0", " ")


def test_a_key_question_identifies_the_respondent_and_is_not_compared(tmp_path):
    """An identifier the respondents type (a text question): « ab12 » and « AB12 » are one respondent."""
    book = tmp_path / "codebook.yaml"
    book.write_text(yaml.safe_dump({
        "study": "codes", "title": "Codes", "timestamp": {"headers": ["Horodateur"]},
        "resubmissions": {"key": "code", "keep": "last"},
        "questions": [
            {"id": "code", "number": 1, "type": "text", "required": False, "header": "Votre code"},
            {"id": "avis", "number": 2, "type": "scale", "required": True, "header": "Votre avis", "min": 1, "max": 5},
        ]}, allow_unicode=True), encoding="utf-8")
    export = write_rows(tmp_path / "export.csv", [
        ["Horodateur", "Votre code", "Votre avis"],
        ["01/03/2025 10:00:00", "AB12", "4"], ["01/03/2025 11:00:00", "CD34", "2"],
        ["02/03/2025 10:00:00", " ab12", "4"], ["02/03/2025 12:00:00", "", "3"], ["02/03/2025 13:00:00", "", "3"],
        ["03/03/2025 10:00:00", "cd34", "5"]])
    result = clean_file(export, load_codebook(book))
    assert by_row(result)[2].reason == REASON_DUPLICATE  # same answers, the code aside: a duplicate
    assert by_row(result)[3].reason == REASON_REPLACED and "same answer to question 1 (code)" in by_row(result)[3].detail
    assert set(by_row(result)) == {2, 3}  # blank codes belong to no one: rows 5 and 6 both analysed
    assert list(result.responses["avis"]) == [4, 3, 3, 5]


def test_a_key_that_is_neither_an_identifying_column_nor_a_question_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"resubmissions: key 'Courriel'.*Adresse e-mail.*it is neither"):
        codebook(tmp_path, "last", key="Courriel")
    with pytest.raises(InputError, match=r"resubmissions: key 'exercice'.*it is a single question"):
        codebook(tmp_path, "last", key="exercice")


def test_a_wave_without_the_address_column_analyses_every_submission_and_says_so(tmp_path):
    table = [row[:1] + row[2:] for row in rows()]
    export = write_rows(tmp_path / "export.csv", table)
    result = clean_file(export, codebook(tmp_path, "last"))
    assert result.flow["excluded"] == {REASON_DUPLICATE: 1}
    assert any("no column 'Adresse e-mail' (the codebook's `resubmissions: key`)" in m for m in result.messages)


def test_cleaning_with_the_policy_is_deterministic(tmp_path):
    export = resubmitted(tmp_path)
    first, second = (clean_file(export, codebook(tmp_path, "last")) for _ in range(2))
    assert first.excluded.equals(second.excluded) and first.responses.equals(second.responses)
    assert first.flow == second.flow


def test_a_wave_whose_form_does_not_ask_the_key_question_has_no_policy():
    """`until:` on the identifier question: the later wave's edition drops `resubmissions` with it."""
    from surveykit.questionnaire.codebook import edition_of

    raw = {"study": "codes", "title": "Codes", "timestamp": {"headers": ["Horodateur"]},
           "resubmissions": {"key": "code", "keep": "first"},
           "questions": [
               {"id": "code", "number": 1, "type": "text", "required": False, "header": "Votre code", "until": "w1"},
               {"id": "avis", "number": 2, "type": "scale", "required": True, "header": "Votre avis", "min": 1,
                "max": 5}]}
    assert edition_of(raw, "w1", ["w1", "w2"], "codebook.yaml")["resubmissions"] == {"key": "code", "keep": "first"}
    assert "resubmissions" not in edition_of(raw, "w2", ["w1", "w2"], "codebook.yaml")


def test_anonymous_responses_in_an_address_column_are_not_one_respondent(tmp_path):
    """Microsoft Forms writes « anonymous » in the address column of every anonymous response: with keep: last,
    taking that word for an address would analyse one of them and exclude the others as its « resubmissions »."""
    table = rows()
    for row in table[1:11]:
        row[1] = "anonymous"
    result = clean_file(write_rows(tmp_path / "export.csv", table), codebook(tmp_path, "last"))
    assert REASON_REPLACED not in result.flow["excluded"]
    assert result.flow["analysed"] == 60  # as without the policy: 62 rows, one quarantined, one identical pair


def test_the_drafter_does_not_take_anonymous_for_a_repeated_address(tmp_path):
    from surveykit.questionnaire.forms.read import read_export
    from surveykit.tools.draft import draft_export

    table = rows()
    for row in table[1:11]:
        row[1] = "anonymous"
    guess = draft_export(read_export(write_rows(tmp_path / "export.csv", table)))
    assert guess.resubmissions is None  # no address repeats once « anonymous » is no address (it was 1, « anonymous »)
