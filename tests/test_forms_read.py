"""Reading exports as Google Forms and Excel really write them, and refusing what cannot be read."""

import openpyxl
import pandas as pd
import pytest
from conftest import SMALL_EXPORT, write_rows

from surveykit.clean.cleaning import clean_file
from surveykit.core.errors import InputError
from surveykit.questionnaire.forms.headers import normalise
from surveykit.questionnaire.forms.read import read_export


def _analysed(path, codebook) -> pd.DataFrame:
    return clean_file(path, codebook).responses


@pytest.fixture()
def reference(codebook):
    return _analysed(SMALL_EXPORT, codebook)


def test_reference_fixture_is_read_as_comma_utf8():
    export = read_export(SMALL_EXPORT)
    assert (export.encoding, export.delimiter) == ("utf-8", ",")
    assert len(export.rows) == 9


def test_utf8_with_bom_gives_the_same_answers(tmp_path, small_rows, codebook, reference):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL_EXPORT.read_bytes())
    assert read_export(path).encoding == "utf-8-sig"
    pd.testing.assert_frame_equal(_analysed(path, codebook), reference)


def test_french_excel_semicolon_windows1252_gives_the_same_answers(tmp_path, small_rows, codebook, reference):
    # Excel's "CSV (séparateur : point-virgule)" writes cp1252; the en dash of "35–50" exists in cp1252.
    path = write_rows(tmp_path / "excel.csv", small_rows, delimiter=";", encoding="cp1252")
    export = read_export(path)
    assert (export.encoding, export.delimiter) == ("cp1252", ";")
    pd.testing.assert_frame_equal(_analysed(path, codebook), reference)


def test_xlsx_gives_the_same_answers(tmp_path, small_rows, codebook, reference):
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(small_rows, start=1):
        for c, value in enumerate(row, start=1):
            # Excel stores numbers as numbers: write scale answers as floats like a re-saved sheet would.
            sheet.cell(row=r, column=c, value=float(value) if r > 1 and value.isdigit() else (value or None))
    path = tmp_path / "export.xlsx"
    book.save(path)
    pd.testing.assert_frame_equal(_analysed(path, codebook), reference)


def test_reordered_columns_give_the_same_answers(tmp_path, small_rows, codebook, reference):
    order = list(reversed(range(len(small_rows[0]))))
    path = write_rows(tmp_path / "reordered.csv", [[row[i] for i in order] for row in small_rows])
    pd.testing.assert_frame_equal(_analysed(path, codebook), reference)


def test_headers_with_changed_accents_case_and_spaces_still_match(tmp_path, small_rows, codebook, reference):
    def mangle(header: str) -> str:
        return header.upper().replace("É", "E").replace("À", "A").replace("Ê", "E").replace(" ?", "?") + "  "

    rows = [[mangle(h) for h in small_rows[0]], *small_rows[1:]]
    path = write_rows(tmp_path / "mangled.csv", rows)
    pd.testing.assert_frame_equal(_analysed(path, codebook), reference)


def test_normalise_ignores_case_accents_punctuation():
    assert normalise("  Fréquence d’utilisation ? ") == normalise("FREQUENCE D'UTILISATION?") == "frequence d utilisation"


def test_identifying_and_unknown_columns_are_dropped_and_reported(codebook):
    result = clean_file(SMALL_EXPORT, codebook)
    assert result.flow["columns"]["dropped_identifying"] == ["Adresse e-mail"]
    assert result.flow["columns"]["unknown_ignored"] == ["Commentaire libre"]
    assert not any("example.org" in str(v) for v in result.responses.to_numpy().ravel())


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_header_row_longer_than_csvs_field_limit_is_read(tmp_path, delimiter):
    """2 000 columns make a header row of more than 131 072 characters: read with the other delimiter it is one
    field over csv's limit, which stopped the reader with a bare csv.Error (found on a generated 2 000-column
    export)."""
    import csv

    headers = ["Horodateur"] + [f"Question {k} : à quel point l'outil numéro {k} vous est-il utile au cabinet ?"
                                for k in range(1999)]
    assert len(delimiter.join(headers)) > csv.field_size_limit()
    path = tmp_path / "large.csv"
    rows = [headers, ["2025/03/01 10:00:00"] + [str(k % 5) for k in range(1999)]]
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding="utf-8")
    export = read_export(path)
    assert (export.delimiter, len(export.headers), export.headers[1999]) == (delimiter, 2000, headers[1999])
    assert export.rows[0][1:4] == ("0", "1", "2")
    assert csv.field_size_limit() == 131072  # the reader leaves the csv module as it found it


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("text", ['Q1,Q2\r\nc,"d\r\ne"\r\n', "Q1;Q2\rc;é\r", 'Q1,Q2\n\n"q\rq",2\nz,Thé\n', "Q1,Q2\r\nà,b"])
def test_the_file_is_read_a_line_at_a_time_as_its_whole_text_was(tmp_path, text, encoding):
    """The file is scanned and parsed a chunk and a line at a time (never held whole beside its cells), with the
    encoding and the lines its whole decoded text gave: \\r\\n, \\n and a lone \\r (Excel for Mac)."""
    import csv
    import io

    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    export = read_export(path)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=export.delimiter))
    assert export.encoding == ("utf-8" if encoding == "cp1252" and text.isascii() else encoding)  # ASCII is UTF-8
    def cell(text: str) -> str:  # a line break typed in a cell reads as one \n (see the test below)
        return text.strip().replace("\r\n", "\n").replace("\r", "\n")

    assert export.headers == tuple(map(cell, records[0]))
    assert export.rows == tuple(tuple(map(cell, (r + ["", ""])[:2])) for r in records[1:])  # blanks kept


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_line_break_typed_in_a_cell_is_one_newline_in_the_analysed_answers(tmp_path, small_rows, codebook, suffix):
    """Forms and Excel on Windows write a line break typed in a free-text answer as \\r\\n, Excel for Mac as a lone
    \\r: each reaches responses.csv, the quotes and the coding sheet as one \\n (it stayed \\r\\n)."""
    rows = [list(row) for row in small_rows]
    column = rows[0].index("Autres freins identifiés")
    rows[1][column] = "Temps passé à attendre\r\nle retour"
    rows[2][column] = "Pas de réseau\rau cabinet"
    if suffix == ".csv":
        path = write_rows(tmp_path / "export.csv", rows)
    else:
        path = tmp_path / "export.xlsx"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([value or None for value in row])
        book.save(path)
    answers = _analysed(path, codebook)["autres_freins"]
    assert list(answers[:2]) == ["Temps passé à attendre\nle retour", "Pas de réseau\nau cabinet"]
    assert not answers.astype(str).str.contains("\r").any()


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: file not found; declare the wave's export path"):
        read_export(tmp_path / "nope.csv")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "export.ods"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match=r"export\.ods: unsupported file type '\.ods'; expected a \.csv or \.xlsx"):
        read_export(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty; expected a header row"):
        read_export(path)


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match=r"broken\.xlsx: cannot open as an Excel workbook"):
        read_export(path)


def test_row_with_more_cells_than_headers(tmp_path, small_rows):
    rows = [small_rows[0], small_rows[1] + ["surplus"]]
    path = write_rows(tmp_path / "wide.csv", rows)
    with pytest.raises(InputError, match=r"wide\.csv, row 2: .* cells but only .* column headers \(unexpected value 'surplus'\)"):
        read_export(path)


def test_missing_required_question_names_the_header_and_closest_match(tmp_path, small_rows, codebook):
    header = small_rows[0]
    index = header.index("Sexe")
    rows = [[*header[:index], "Sex", *header[index + 1:]], *small_rows[1:]]
    path = write_rows(tmp_path / "no_sex.csv", rows)
    with pytest.raises(InputError) as error:
        clean_file(path, codebook)
    message = str(error.value)
    assert message.startswith(f"{path}, row 1: required question 2 is missing: expected a column headed 'Sexe'; "
                              "the column 'Sex' holds its answers (88 % of its filled cells are answers the question "
                              "offers). If the form reworded the question, add to question 2 (genre) in ")
    assert 'the line  aliases: ["Sex"]  (beside its aliases [\'Genre\'])' in message
    assert "mark the last wave that asked it on question 2 (genre)" in message and "until: <that wave>" in message


def test_two_columns_for_one_question(tmp_path, small_rows, codebook):
    rows = [[*small_rows[0], "SEXE"], *[[*r, ""] for r in small_rows[1:]]]
    path = write_rows(tmp_path / "twice.csv", rows)
    with pytest.raises(InputError, match=r"row 1: columns 'Sexe' and 'SEXE' both match the same question"):
        clean_file(path, codebook)


# ---------------------------------------------------------------------------------------------------------------
# The one-pass reading of a UTF-8 file (`read._read_utf8`) against the careful path it stands in for (a scan of
# the whole file, then the parse): on files as tools and hands write them, and damaged ones, both give the same
# export or the same message. The files are generated from a seed; the careful path is the truth.

_PIECES = ["Oui", "Non", "é", "Thé", " a ", "", "", "x, y", 'q"q', "l1\nl2", "l1\r\nl2", "\r", "\t", "\xa0", "€",
           "  ", "1", "12,5", "Très satisfait", "z" * 30, "ñ" * 25]
_CONTROLS = ["\x01", "\x0b", "\x1c", "\x00", "\ufffe"]  # pasted from another program: a cell in 50 holds one


def _fuzzed_csv(rng) -> bytes:
    delimiter = rng.choice([",", ";"])

    def quoted(text: str) -> str:
        needs = any(ch in text for ch in (delimiter, '"', "\n", "\r")) or rng.random() < 0.1
        return '"' + text.replace('"', '""') + '"' if needs else text

    width = rng.randint(1, 6)
    headers = [rng.choice(["Q", "Question é", " H ", "", "Q;x", "Q,x", "Horodateur", "T\x01"]) + str(i)
               for i in range(width)]
    lines = [delimiter.join(map(quoted, headers))]
    for _ in range(rng.randint(0, 8)):
        cells = max(0, width + rng.choice([0, 0, 0, -1, 1, -width]))
        lines.append(delimiter.join(quoted(_fuzzed_cell(rng)) for _ in range(cells)))
    end = rng.choice(["\n", "\r\n", "\r"])
    text = end.join(lines) + rng.choice([end, "", end + end, end + "  " + end])
    if rng.random() < 0.05:
        text = text.replace('"', "", 1)  # a quote never closed
    if rng.random() < 0.05:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + '"x' + text[at:]  # a quote inside a cell
    if rng.random() < 0.03:
        text = rng.choice(["", "  ", "\n\n", "\xa0", " \x1c ", "\nQ,R\n1,2"])
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252"])
    data = text.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass")
    if rng.random() < 0.1:  # an invalid UTF-8 byte somewhere
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes([rng.choice([0xFF, 0xE9, 0x80, 0xC3])]) + data[at:]
    return data


def _fuzzed_cell(rng) -> str:
    pieces = [rng.choice(_PIECES) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.02:
        pieces.insert(rng.randint(0, len(pieces)), rng.choice(_CONTROLS))
    return "".join(pieces)


def _outcome(path, limits):
    try:
        export = read_export(path, limits)
    except InputError as exc:
        return "refused", str(exc)
    return ("read", export.headers, export.rows, export.encoding, export.delimiter, export.notices,
            sorted(export.cell_problems.items()))


def test_one_pass_reading_gives_what_scanning_first_gives(tmp_path, monkeypatch):
    import random

    from surveykit.questionnaire.forms import read

    limits = [read.Limits(), read.Limits(max_answer_chars=5), read.Limits(max_columns=3), read.Limits(max_rows=3)]
    monkeypatch.setattr(read, "HEADER_CHUNK", 4)  # the header row read 4 bytes at a time: a damaged byte after it
    # is met while parsing, as in a large file, not while looking for the first line
    one_pass = []
    for seed in range(600):
        rng = random.Random(seed)
        path = tmp_path / f"export_{seed}.csv"
        path.write_bytes(_fuzzed_csv(rng))
        limit = rng.choice(limits)
        fast = _outcome(path, limit)
        with monkeypatch.context() as patched:
            patched.setattr(read, "_read_utf8", lambda _path, _limits: None)  # always the careful path
            careful = _outcome(path, limit)
        assert fast == careful, f"seed {seed}"
        one_pass.append(_in_one_pass(read, path, limit))
    # the generated files cover both paths: read (or refused) in one pass, and scanned first
    assert 150 < sum(one_pass) < 450


def _in_one_pass(read, path, limits) -> bool:
    try:
        return read._read_utf8(path, limits) is not None
    except InputError:
        return True
