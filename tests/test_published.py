"""Loader of the published numbers: French decimals with their precision, schema errors naming the item."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from surveykit.core.errors import InputError
from surveykit.core.printed import parse_fr, parse_fr_exact
from surveykit.reproduction.published import check_against_codebook, load_publication, load_published

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "studies" / "tele_expertise_cpts" / "published" / "thesis_2025.yaml"
SCHEMA = ROOT / "src" / "surveykit" / "schemas" / "published.schema.yaml"


@pytest.fixture(scope="module")
def publication():
    return load_publication(PUBLISHED)


@pytest.fixture(scope="module")
def by_ref(publication):
    return {item.ref: item for item in publication.items}


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the real file with one textual change (the change must apply exactly once)."""
    text = PUBLISHED.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path = tmp_path / "thesis_2025.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    ("0,0065", (0.0065, 4)),
    ("0,064", (0.064, 3)),
    ("56,4", (56.4, 1)),
    ("4,0", (4.0, 1)),
    ("3", (3.0, 0)),
    ("100", (100.0, 0)),
])
def test_parse_fr_keeps_the_printed_decimals(text, expected):
    assert parse_fr(text) == expected


def test_parse_fr_exact_is_exact():
    assert parse_fr_exact("0,0065") == (Fraction(13, 2000), 4)
    assert parse_fr_exact("6,2") == (Fraction(31, 5), 1)


@pytest.mark.parametrize("text", ["56.4", "5,7 ± 2,9", "", "1,2,3", ",5", "12 %"])
def test_parse_fr_rejects_non_french_numbers(text):
    with pytest.raises(ValueError, match="French decimal"):
        parse_fr(text)


def test_real_file_loads_with_printed_precision(publication, by_ref):
    assert publication.wave == "thesis_2025"
    assert publication.n_analysed == 39
    p_age = by_ref["Tableau 2 · Âge · p"].numbers["p"]
    assert (p_age.text, p_age.digits, p_age.round_to) == ("0,0065", 4, 4)
    # "0,064" printed with 3 decimals in a table whose p-values have 4 (R drops the final zero).
    p_mode = by_ref["Tableau 2 · Mode d'exercice · p"].numbers["p"]
    assert (p_mode.digits, p_mode.round_to, p_mode.shortened) == (3, 4, True)
    sd = by_ref["Tableau 8 · Perte de temps · CPTS de l'Amandinois"].numbers["sd"]
    assert (sd.text, sd.digits, sd.round_to, sd.value) == ("3", 0, 1, 3.0)
    # Outside the tables listed under `precision`, the printed precision is kept ("97 %" of 31/32).
    pct = by_ref["Figure 9 · Omnidoc"].numbers["pct"]
    assert (pct.digits, pct.round_to) == (0, 0)


def test_items_carry_the_fields_of_their_kind(by_ref):
    femme = by_ref["Tableau 1 · Genre · Femme"]
    assert (femme.kind, femme.variable, femme.level, femme.count, femme.denominator) == ("count", "genre", ("Femme",), 22, 39)
    assert femme.numbers["pct"].value == 56.4
    non_genre = by_ref["Tableau 1 · Genre · Non généré"]
    assert (non_genre.level, non_genre.printed, non_genre.count) == (("Non genré",), "Non généré", 0)
    cell = by_ref["Tableau 2 · Âge · CPTS du Grand Denain · Plus de 50 ans"]
    assert (cell.by, cell.group, cell.count, cell.denominator, cell.table) == ("cpts", "CPTS du Grand Denain", 6, 11, "Tableau 2")
    rank = by_ref["Tableau 6 · rang 1 · Perte de temps"]
    assert (rank.kind, rank.rank, rank.size, rank.numbers["mean"].text, rank.numbers["sd"].text) == ("mean_sd", 1, 39, "5,7", "2,9")
    users = by_ref["Tableau 7 · Perte de temps · Utilisateurs"]
    assert (users.by, users.group, users.size) == ("pratique_tle", "Oui", 32)
    assert by_ref["Tableau 7 · Perte de temps · p"].test == "wilcoxon"
    assert by_ref["Tableau 8 · Perte de temps · p"].test == "kruskal"
    first = by_ref["Tableau 5 · Utilisateurs · 1er recours · Plateforme adaptée"]
    assert (first.kind, first.variable, first.rank, first.count) == ("rank_count", "recours_plateforme", 1, 21)
    summed = by_ref["Texte §3.1 · pas formés ou insuffisamment formés"]
    assert summed.level == ("Non", "Pas suffisamment") and summed.count == 22
    second = by_ref["Figure 10 · Avis de second recours"]
    assert (second.qualifier, second.numbers["pct"].text, second.count) == ("plus de", "90", 29)
    assert by_ref["Texte §2.1 · femmes"].is_text and not femme.is_text


def test_transcription_is_complete(publication):
    """Counts of published numbers per table, counted by hand in the thesis."""
    items = publication.items
    per_table = {}
    for item in items:
        per_table[item.table] = per_table.get(item.table, 0) + 1
    assert per_table["Tableau 1"] == 28  # 3 + 3 + 3 + 3 + 3 + 2 + 2 + 5 + 4 rows
    assert per_table["Tableau 2"] == 8 * 1 + 3 * (3 + 3 + 3 + 3 + 2 + 2 + 5 + 4)  # 8 p-values, 25 rows x 3 CPTS
    assert per_table["Tableau 3"] == 10
    assert per_table["Tableau 4"] == 7
    assert per_table["Tableau 5"] == 4 + 8 + 10
    assert per_table["Tableau 6"] == 9
    assert per_table["Tableau 7"] == 27
    assert per_table["Tableau 8"] == 36
    fisher = sorted({i.numbers["p"].text for i in items if i.kind == "p_value" and i.test == "fisher"})
    assert fisher == ["0,0065", "0,0515", "0,064", "0,1769", "0,2684", "0,3383", "0,5037"]


def test_categories_share_ids_with_the_recoding(publication):
    cats = {q: [c.id for c in entries] for q, entries in publication.categories.items()}
    assert cats["autres_freins"] == ["aucun_frein", "remuneration", "delais_reponse", "numerisation",
                                     "freins_propres_tle", "derives_usage", "ininterpretable"]
    assert "ininterpretable" in cats["favoriserait"] and cats["leviers"] == ["sceptiques", "enthousiastes", "lassitude"]
    assert cats["plateforme"] == ["omnidoc"]
    counts = {i.category: i.count for i in publication.items if i.kind == "category_count" and i.question == "autres_freins"}
    assert counts == {"ininterpretable": 1, "aucun_frein": 3, "remuneration": 2, "delais_reponse": 2,
                      "numerisation": 3, "freins_propres_tle": 4, "derives_usage": 2}


def test_labels_are_those_of_the_codebook(publication, codebook):
    check_against_codebook(list(publication.items), codebook, publication.path)


def test_printed_wording_instead_of_label_is_rejected(tmp_path, codebook):
    path = variant(tmp_path, 'level: "Remplaçant", printed: "Remplaçants"', 'level: "Remplaçants"')
    with pytest.raises(InputError, match="Tableau 1 · Mode d'exercice · Remplaçants.*'Remplaçants'"):
        check_against_codebook(load_published(path, SCHEMA), codebook, str(path))


def test_unknown_group_is_rejected(tmp_path, codebook):
    path = variant(tmp_path, 'by: pratique_tle, group: "Oui", mean: "5,3"', 'by: pratique_tle, group: "Utilisateurs", mean: "5,3"')
    with pytest.raises(InputError, match="group 'Utilisateurs' is not a label of 'pratique_tle'"):
        check_against_codebook(load_published(path, SCHEMA), codebook, str(path))


@pytest.mark.parametrize("old, new, message", [
    ('test: fisher, p: "0,0065"}', "test: fisher}",
     r"item 68 « Tableau 2 · Âge · p »: 'p' is a required property"),
    ('n: "22", pct: "56,4", denominator: 39}', 'n: "22", pct: "56.4", denominator: 39}',
     r"item 1 « Tableau 1 · Genre · Femme », field pct: '56.4' does not match"),
    ('sd: "1,7", n: 39}', 'sd: "1,7", n: "39"}',
     r"« Figure 8 », field n: '39' is not of type 'integer'"),
    ('kind: count, variable: genre, level: "Homme"', 'kind: counts, variable: genre, level: "Homme"',
     r"item 2 « Tableau 1 · Genre · Homme », field kind: 'counts' is not one of"),
    ('mean: "5,7", sd: "2,9", n: 39}', 'mean: "5,7", n: 39}',
     r"« Tableau 6 · rang 1 · Perte de temps »: 'sd' is a required property"),
])
def test_schema_errors_name_file_and_item(tmp_path, old, new, message):
    path = variant(tmp_path, old, new)
    with pytest.raises(InputError, match=message) as error:
        load_published(path, SCHEMA)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("old, new, message", [
    ("category: omnidoc", "category: doctolib", r"« Figure 9 · Omnidoc »: category 'doctolib' is not listed"),
    ('n: "17", pct: "43,6", denominator: 39}', 'n: "47", pct: "43,6", denominator: 39}',
     r"« Tableau 1 · Genre · Homme »: count 47 exceeds the denominator 39"),
    ('ref: "Tableau 1 · Genre · Homme"', 'ref: "Tableau 1 · Genre · Femme"', r"item 2 « Tableau 1 · Genre · Femme »: ref is not unique"),
    ('p: "0,2684"}', 'p: "1,2684"}', r"« Tableau 2 · Genre · p »: p-value 1,2684 exceeds 1"),
    ('"Tableau 5": {pct: 1}', '"Tableau 5": {pct: 1}\n  "Tableau 9": {pct: 1}', r"precision: no item belongs to table\(s\) \['Tableau 9'\]"),
])
def test_content_errors_name_file_and_item(tmp_path, old, new, message):
    path = variant(tmp_path, old, new)
    with pytest.raises(InputError, match=message):
        load_published(path, SCHEMA)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("source: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml, line \d+: invalid YAML"):
        load_published(path, SCHEMA)


def test_a_printed_number_stands_for_the_interval_its_table_rounds_to():
    # R prints round(2.96, 1) as "3": in a table of one decimal, "3" stands for [2,95 ; 3,05], not [2,5 ; 3,5].
    from surveykit.core.printed import PubNumber
    number = PubNumber.read("3", table_decimals=1)
    assert (number.digits, number.round_to, number.shortened) == (0, 1, True)
    assert number.interval() == (Fraction(295, 100), Fraction(305, 100))
    assert PubNumber.read("0,064", table_decimals=4).interval() == (Fraction(6395, 100000), Fraction(6405, 100000))
