"""Quarantine a user notices: one log line per cause with its count, and a run that stops, naming the cause,
an example value, the column and the fix, when one cause sets aside more than `cleaning:
max_quarantined_share` of the rows."""
from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pytest
import yaml

from surveykit.clean.files import clean_wave_files
from surveykit.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = """study: quarantaine
title: "Usage"
timestamp: {headers: ["Horodateur"]}
questions:
  - {id: profession, number: 1, type: single, required: true, header: "Profession ?",
     options: [{raw: "Médecin", label: "Médecin"}, {raw: "Infirmier", label: "Infirmier"}],
     levels: ["Médecin", "Infirmier"]}
  - {id: note, number: 2, type: scale, required: false, header: "Note de 1 à 5 ?", min: 1, max: 5}
  - {id: age, number: 3, type: number, required: false, header: "Âge ?"}
"""


def write(tmp_path: Path, pharmacists: int, out_of_range: int = 0, rows: int = 40) -> tuple[Path, Path]:
    """`rows` answers; the first `pharmacists` give a profession the codebook does not list, the next
    `out_of_range` a note of 7."""
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Horodateur", "Profession ?", "Note de 1 à 5 ?", "Âge ?"])
        for i in range(rows):
            profession = "Pharmacien" if i < pharmacists else ("Médecin" if i % 2 else "Infirmier")
            note = "7" if pharmacists <= i < pharmacists + out_of_range else str(1 + i % 5)
            writer.writerow([f"2025/03/{1 + i % 28:02d} 10:{i:02d}:00", profession, note, str(25 + i)])
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    return export, codebook


def clean(tmp_path: Path, export: Path, codebook: Path, share: float, caplog) -> dict:
    out = tmp_path / "out"
    with caplog.at_level(logging.INFO, logger="quarantine"):
        return clean_wave_files(str(export), str(codebook), str(out / "responses.csv"), str(out / "excluded.csv"),
                          str(out / "flow.json"), {"label": "test"}, "quarantine", logging.getLogger("quarantine"),
                          max_quarantined_share=share)


def test_one_cause_above_the_limit_stops_naming_the_value_the_column_and_the_fix(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=3)  # 3 / 40 = 7.5 % > 5 %
    with pytest.raises(InputError) as stopped:
        clean(tmp_path, export, codebook, 0.05, caplog)
    message = str(stopped.value)
    assert message.startswith(f"{export}: 3 of 40 rows (7.5 %) quarantined for one reason, more than cleaning: "
                              "max_quarantined_share (5 %) allows")
    assert """column "Profession ?": e.g. 'Pharmacien' (row 2) — expected one of 'Médecin', 'Infirmier'""" in message
    assert ('add the option line `- {raw: "Pharmacien", label: "Pharmacien"}` under `options:` of question 1 '
            f"(profession) of {codebook}") in message
    assert not (tmp_path / "out" / "responses.csv").exists()


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_below_the_limit_the_rows_are_set_aside_with_one_line_per_cause_carrying_its_fix(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=3, out_of_range=2)
    flow = clean(tmp_path, export, codebook, 0.10, caplog)
    assert (flow["analysed"], flow["quarantined"]) == (35, {"valeur invalide": 5})
    quarantine = [m for m in _warnings(caplog) if "Pharmacien" in m or "'7'" in m]  # every line naming a value
    assert quarantine == [
        f"""{export}: 3 rows quarantined (7.5 % of 40): valeur invalide, column "Profession ?": e.g. 'Pharmacien' """
        "(row 2) — expected one of 'Médecin', 'Infirmier'. Fix: if 'Pharmacien' is an answer of the form, add the "
        f"""option line `- {{raw: "Pharmacien", label: "Pharmacien"}}` under `options:` of question 1 (profession) of """
        f"""{codebook} and its label to `levels:`; if it was typed in an « Autre » field, give the question """
        """`other: {label: "Autre"}` and add "Autre" to `levels:`""",
        f"""{export}: 2 rows quarantined (5.0 % of 40): valeur invalide, column "Note de 1 à 5 ?": e.g. '7' """
        "(row 5) — expected a whole number from 1 to 5. Fix: if the form allows '7', correct `min`/`max` of "
        f"question 2 (note) of {codebook}"]


def test_a_cause_of_several_new_answers_lists_them_with_their_rows_in_one_line(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=4)
    rows = list(csv.reader(export.open(encoding="utf-8")))
    rows[4][1] = "Kiné (MK)"  # the 4th pharmacist is a physiotherapist: two new answers, one cause
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    flow = clean(tmp_path, export, codebook, 0.20, caplog)
    assert flow["quarantined"] == {"valeur invalide": 4}
    lines = [m for m in _warnings(caplog) if "Pharmacien" in m or "Kiné" in m]
    assert lines == [
        f"""{export}: 4 rows quarantined (10.0 % of 40): valeur invalide, column "Profession ?": e.g. 'Pharmacien' """
        "(row 2); values: 'Pharmacien' (3 rows), 'Kiné (MK)' (1 row) — expected one of 'Médecin', 'Infirmier'. "
        "Fix: if 'Pharmacien' or 'Kiné (MK)' are answers of the form, add the option lines "
        """`- {raw: "Pharmacien", label: "Pharmacien"}` `- {raw: "Kiné (MK)", label: "Kiné (MK)"}` under """
        f"`options:` of question 1 (profession) of {codebook} and their labels to `levels:`; if they were typed in "
        """an « Autre » field, give the question `other: {label: "Autre"}` and add "Autre" to `levels:`"""]


def test_the_values_of_a_cause_are_masked_in_its_line(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=3)
    rows = list(csv.reader(export.open(encoding="utf-8")))
    rows[1][1] = rows[2][1] = "jean.dupont@gmail.com"  # typed where an option was expected
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    clean(tmp_path, export, codebook, 0.20, caplog)
    assert not [m for m in _warnings(caplog) if "dupont" in m]
    lines = [m for m in _warnings(caplog) if "rows quarantined (" in m]
    assert len(lines) == 1 and "e.g. '[courriel]' (row 2); values: '[courriel]' (2 rows), 'Pharmacien' (1 row)" in lines[0]
    # the masked answer is never proposed as an option (its line would hold « [courriel] »): recode or ignore it
    assert "[courriel]\", label" not in lines[0]
    assert lines[0].endswith(
        """Fix: if 'Pharmacien' is an answer of the form, add the option line `- {raw: "Pharmacien", label: """
        f""""Pharmacien"}}` under `options:` of question 1 (profession) of {codebook} and its label to `levels:`; """
        """if it was typed in an « Autre » field, give the question `other: {label: "Autre"}` and add "Autre" to """
        """`levels:`; '[courriel]' holds personal data (masked here), which no form offers as an option: do not add """
        """it to `options:`; if it was typed in an « Autre » field, recode it as such: give the question `other: """
        """{label: "Autre"}` and add "Autre" to `levels:` (the text typed there is masked in every output); """
        """otherwise ignore it: its rows stay quarantined, out of the analysis""")


def test_a_cause_whose_only_values_are_personal_data_stops_with_no_option_to_add(tmp_path, caplog):
    """Above the limit, the stop names the masked values and says to recode or ignore them."""
    export, codebook = write(tmp_path, pharmacists=0)
    rows = list(csv.reader(export.open(encoding="utf-8")))
    for row, typed in zip(rows[1:5], ["06 12 34 56 78", "anne.roux@gmail.com", "06 12 34 56 78", "06 98 76 54 32"]):
        row[1] = typed
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(InputError) as stopped:
        clean(tmp_path, export, codebook, 0.05, caplog)
    message = str(stopped.value)
    assert "roux" not in message and "56 78" not in message and "option line" not in message
    assert ("Fix: '[téléphone]' or '[courriel]' or '[téléphone]' hold personal data (masked here), which no form offers as an option: "
            "do not add them to `options:`; if they were typed in an « Autre » field, recode them as such") in message
    assert "otherwise ignore them: their rows stay quarantined, out of the analysis" in message


def test_a_few_slips_do_not_stop_the_run(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=0, out_of_range=2)  # 2 / 40 = 5 %: not more than 5 %
    assert clean(tmp_path, export, codebook, 0.05, caplog)["quarantined"] == {"valeur invalide": 2}


def test_one_row_alone_never_stops_the_run(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=1, rows=10)  # 10 % of a pilot: a slip
    assert clean(tmp_path, export, codebook, 0.05, caplog)["quarantined"] == {"valeur invalide": 1}


def test_an_out_of_range_scale_names_its_bounds_as_the_fix(tmp_path, caplog):
    export, codebook = write(tmp_path, pharmacists=0, out_of_range=4)
    with pytest.raises(InputError, match=r"Fix: if the form allows '7', correct `min`/`max` of question 2 \(note\)"):
        clean(tmp_path, export, codebook, 0.05, caplog)


def test_the_limit_is_a_documented_config_key_with_its_default():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    key = schema["properties"]["cleaning"]["properties"]["max_quarantined_share"]
    assert key["default"] == 0.05 and key["description"]
    assert "max_quarantined_share" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_console_says_how_fast_the_export_was_read(tmp_path, caplog):
    """A large export takes a while: the step says how many rows it read and checked, and at what rate."""
    export, codebook = write(tmp_path, pharmacists=0)
    clean(tmp_path, export, codebook, 0.05, caplog)
    rates = [r.getMessage() for r in caplog.records if "rows per second" in r.getMessage()]
    assert len(rates) == 1 and re.fullmatch(r"read and checked 40 rows in \d+\.\d s \(\d+ rows per second\)", rates[0])
