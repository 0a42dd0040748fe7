"""Recoding of open answers: normalisation, rules, decisions, carry-forward, reliability, PII, corpus.

Expected values come from the thesis text (§5.1-5.5) or from hand computation
shown in the comments, never from the code under test.
"""
from __future__ import annotations

import os

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from surveykit.clean.privacy import mask_frame, mask_pii
from surveykit.core.errors import InputError
from surveykit.recode import (
    Decision,
    DecisionError,
    UncodedAnswersError,
    alpha_nominal,
    answer_hash,
    code_wave,
    coding_sheet,
    coding_sheet_to_decisions,
    cohen_kappa,
    load_codebook,
    load_codebooks,
    normalize_text,
    read_decisions,
    reliability,
    suggest,
    write_coding_sheet,
)
from surveykit.recode.files import code_wave_files, reliability_files
from surveykit.tools.reconstruct.corpus import corpus_responses, load_corpus

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ROOT / "data" / "studies" / "tele_expertise_cpts" / "categories"
CORPUS = ROOT / "data" / "studies" / "tele_expertise_cpts" / "reconstruction" / "open_answers.yaml"
CODING = ROOT / "data" / "studies" / "tele_expertise_cpts" / "coding" / "thesis_2025"
HEADER = "question,answer_hash,answer,categories,coder,rationale\n"


@pytest.fixture(scope="module")
def books():
    return load_codebooks(CATEGORIES)


def responses(rows: list[dict]) -> pd.DataFrame:
    """Cleaned-responses frame with every open-question column (empty unless given)."""
    columns = ["plateforme", "role_tle", "role_tle_autre", "autres_freins", "favoriserait", "leviers"]
    full = [{"respondent_id": f"R{i + 2:05d}", **{c: "" for c in columns}, **row} for i, row in enumerate(rows)]
    return pd.DataFrame(full)


def decision(question: str, text: str, categories: tuple[str, ...], coder: str = "bd") -> Decision:
    return Decision(question, answer_hash(text), text, categories, coder, "test")


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# ---------------------------------------------------------------- normalisation and hash

def test_normalisation_ignores_accents_case_punctuation_and_spacing():
    assert normalize_text("  Télé-expertise   INTÉGRÉE au logiciel ? ") == "tele expertise integree au logiciel"
    assert normalize_text("Œdème, cœur… l’IA !") == "oedeme coeur l ia"
    assert answer_hash("Réponse immédiate") == answer_hash("REPONSE IMMEDIATE.")
    assert answer_hash("Réponse immédiate") != answer_hash("Réponse différée")


def test_hash_is_first_12_hex_of_sha256_of_normalised_text():
    expected = hashlib.sha256("rien a signaler".encode("utf-8")).hexdigest()[:12]
    assert answer_hash("Rien à signaler !") == expected
    assert len(expected) == 12


# ---------------------------------------------------------------- codebooks and rules

def test_every_codebook_validates_and_exclusive_codes_are_the_aucun_and_ininterpretable_ones(books):
    assert list(books) == ["plateforme", "role_tle", "autres_freins", "favoriserait", "leviers"]
    exclusive = {(q, c.id) for q, b in books.items() for c in b.categories if c.exclusive}
    assert exclusive == {("plateforme", "aucune_plateforme"), ("autres_freins", "aucun_frein"),
                         ("autres_freins", "ininterpretable"), ("favoriserait", "aucune_amelioration"),
                         ("favoriserait", "ininterpretable")}


def test_schema_rejects_a_bad_status(tmp_path):
    data = yaml.safe_load((CATEGORIES / "leviers.yaml").read_text(encoding="utf-8"))
    data["categories"][0]["status"] = "deleted"
    path = tmp_path / "leviers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="status"):
        load_codebook(path)


def test_merge_target_must_exist(tmp_path):
    data = yaml.safe_load((CATEGORIES / "leviers.yaml").read_text(encoding="utf-8"))
    data["categories"][2]["status"] = "merged_into:nowhere"
    data["rules"] = [r for r in data["rules"] if r["category"] != "lassitude"]
    path = tmp_path / "leviers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="merged into unknown category 'nowhere'"):
        load_codebook(path)


def test_rules_fire_whatever_the_accents_and_case(books):
    book = books["autres_freins"]
    fired = {s.source for s in suggest(["RÉMUNÉRATION trop faible"], book)}
    assert fired == {"rule:remuneration_mots"}
    assert {s.source for s in suggest(["remuneration trop faible"], book)} == fired
    # the regex rule of "aucun frein" matches the whole answer only
    assert {s.source for s in suggest(["Pas d’autre frein."], book)} == {"rule:aucun_frein_seul"}
    assert suggest(["Aucun spécialiste de garde le week-end"], book) == []


def test_unless_vetoes_a_rule(books):
    book = books["plateforme"]
    assert {s.categories for s in suggest(["Predice"], book)} == {("autre_plateforme",)}
    # Omnidoc cited: the "other platform" rule is vetoed, only omnidoc is suggested
    assert {s.categories for s in suggest(["Omnidoc et Predice"], book)} == {("omnidoc",)}


def test_multi_label_suggestions_and_decision(books):
    text = "Rémunération en retard et délais de réponse trop longs"
    assert {s.categories[0] for s in suggest([text], books["autres_freins"])} == {"remuneration", "delais_reponse"}
    frame = responses([{"autres_freins": text}])
    result = code_wave(frame, books, [decision("autres_freins", text, ("remuneration", "delais_reponse"))])
    coded = result.coded_answers
    assert coded["category"].tolist() == ["remuneration", "delais_reponse"]
    assert set(coded["source"]) == {"manual:bd"}
    counts = result.counts.set_index(["question", "category"])
    assert counts.loc[("autres_freins", "remuneration"), "n"] == 1
    assert counts.loc[("autres_freins", "delais_reponse"), "n"] == 1
    assert counts.loc[("autres_freins", "delais_reponse"), "n_answers"] == 1
    assert counts.loc[("autres_freins", "delais_reponse"), "pct"] == 100.0


def test_rule_suggestions_that_break_exclusivity_are_not_applied(books):
    text = "Rien de plus, sauf une cotation moins compliquée"
    fired = {s.source for s in suggest([text], books["favoriserait"])}
    assert fired == {"rule:rien_seul", "rule:remuneration_mots"}  # aucune_amelioration is exclusive
    frame = responses([{"favoriserait": text}, {"favoriserait": "Rien"}])
    result = code_wave(frame, books, [], allow_suggestions=True)
    assert list(zip(result.coded_answers["respondent_id"], result.coded_answers["category"])) == [
        ("R00003", "aucune_amelioration")]
    assert result.to_review.set_index("answer").loc[text, "used_source"] == ""


# ---------------------------------------------------------------- decisions files

def test_decisions_file_errors_name_file_line_and_value(tmp_path, books):
    h = answer_hash("Aucun")
    path = write_csv(tmp_path / "bd.csv", [
        f"autres_freins,{h},Aucun,aucun_frein;remuneration,bd,contradictoire",
        f"favoriserait,{answer_hash('La simplicité')},La simplicité,simplicite,bd,id inconnu",
        f"leviers,{answer_hash('À voir')},À revoir,sceptiques,bd,texte modifié",
    ])
    with pytest.raises(DecisionError) as error:
        read_decisions(path, books)
    problems = error.value.problems
    assert len(problems) == 3
    assert problems[0].startswith(f"{path}, line 2: exclusive category 'aucun_frein'")
    assert "'aucun_frein;remuneration'" in problems[0]
    assert problems[1].startswith(f"{path}, line 3: unknown category 'simplicite'")
    assert problems[2].startswith(f"{path}, line 4: answer_hash") and "'À revoir'" in problems[2]


def test_hash_matching_no_answer_of_the_wave_is_an_error(tmp_path, books):
    stale = "Une autre réponse"
    path = write_csv(tmp_path / "bd.csv", [f"leviers,{answer_hash(stale)},{stale},sceptiques,bd,x"])
    frame = responses([{"leviers": "À voir"}])
    with pytest.raises(DecisionError, match=rf"bd.csv, line 2: answer_hash '{answer_hash('Une autre réponse')}'"):
        code_wave(frame, books, read_decisions(path, books))


def test_french_excel_csv_with_semicolons_and_merged_ids(tmp_path, books):
    text = "Formation à ce sujet"
    path = tmp_path / "bd.csv"
    path.write_text("\ufeffquestion;answer_hash;answer;categories;coder;rationale\n"
                    f'favoriserait;{answer_hash(text)};{text};"formation";bd;v1\n'
                    f'leviers;{answer_hash("x y")};x y;;bd;pas encore codé\n', encoding="utf-8")
    decisions = read_decisions(path, books)
    assert [(d.categories, d.line) for d in decisions] == [(("facilite_utilisation",), 2)]


def test_retired_category_is_rejected(tmp_path, books):
    data = yaml.safe_load((CATEGORIES / "leviers.yaml").read_text(encoding="utf-8"))
    data["categories"][2]["status"] = "retired"
    data["rules"] = [r for r in data["rules"] if r["category"] != "lassitude"]
    data["quotes"]["categories"] = ["sceptiques"]  # quotes may only name active categories too
    (tmp_path / "cats").mkdir()
    (tmp_path / "cats" / "leviers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    local = load_codebooks(tmp_path / "cats")
    path = write_csv(tmp_path / "bd.csv", [f"leviers,{answer_hash('pas d avis')},pas d avis,lassitude,bd,x"])
    with pytest.raises(DecisionError, match="line 2: category 'lassitude' of question 'leviers' is retired"):
        read_decisions(path, local)
    assert read_decisions(path, local, allow_retired=True)[0].categories == ("lassitude",)


# ---------------------------------------------------------------- options of the semi-open question

def test_role_tle_options_map_directly_and_only_autre_text_is_coded(books):
    frame = responses([
        {"role_tle": "Avis de second recours"},
        {"role_tle": "Avis de second recours; Autre", "role_tle_autre": "Avis urgent"},
        {"role_tle": "Autre", "role_tle_autre": "Donner des avis aux infirmières"},
        {"role_tle": "Coordination CPTS"},
    ])
    result = code_wave(frame, books, [decision("role_tle", "Avis urgent", ("avis_urgent",))])
    coded = result.coded_answers
    assert list(coded.itertuples(index=False, name=None)) == [
        ("R00002", "role_tle", "Avis de second recours", "avis_second_recours", "option"),
        ("R00003", "role_tle", "Avis de second recours", "avis_second_recours", "option"),
        ("R00003", "role_tle", "Avis urgent", "avis_urgent", "manual:bd"),
        ("R00005", "role_tle", "Coordination CPTS", "coordination_cpts", "option"),
    ]
    assert result.to_review["answer"].tolist() == ["Donner des avis aux infirmières"]
    assert result.to_review["suggestion_sources"].tolist() == ["rule:paramedicaux"]
    counts = result.counts.set_index(["question", "category"])
    assert counts.loc[("role_tle", "avis_second_recours"), "n_answers"] == 4


# ---------------------------------------------------------------- uncoded answers, strict mode

def test_uncoded_answers_warn_or_raise_in_strict_mode(books):
    frame = responses([{"leviers": "Je ne sais pas trop quoi dire"}, {"leviers": "À voir"}])
    result = code_wave(frame, books, [decision("leviers", "À voir", ("sceptiques",))])
    assert len(result.messages) == 1 and "has no decided code" in result.messages[0]
    assert result.to_review["answer"].tolist() == ["Je ne sais pas trop quoi dire"]
    with pytest.raises(UncodedAnswersError, match="Je ne sais pas trop quoi dire"):
        code_wave(frame, books, [decision("leviers", "À voir", ("sceptiques",))], strict=True)


def test_suggestions_are_used_only_when_allowed(books):
    frame = responses([{"leviers": "À voir"}])
    assert code_wave(frame, books, []).coded_answers.empty
    allowed = code_wave(frame, books, [], allow_suggestions=True)
    assert allowed.coded_answers["source"].tolist() == ["rule:reserve_mots"]
    assert allowed.to_review["used_source"].tolist() == ["rule:reserve_mots"]
    assert "unconfirmed suggestion" in allowed.messages[0]


# ---------------------------------------------------------------- carry-forward to a second wave

def test_identical_answers_are_carried_and_near_identical_ones_only_suggested(books):
    earlier = {"thesis_2025": [
        decision("favoriserait", "Plus de spécialistes disponibles", ("plus_de_specialistes",)),
        decision("favoriserait", "Formation à ce sujet", ("formation",)),  # merged id of codebook v1
    ]}
    wave2 = responses([
        {"favoriserait": "PLUS DE SPECIALISTES DISPONIBLES !"},  # identical once normalised
        {"favoriserait": "Plus de spécialiste disponible"},  # near-identical
        {"favoriserait": "Formation à ce sujet."},
    ])
    result = code_wave(wave2, books, [], earlier=earlier)
    coded = result.coded_answers
    assert list(zip(coded["respondent_id"], coded["category"], coded["source"])) == [
        ("R00002", "plus_de_specialistes", "carried:thesis_2025"),
        ("R00004", "facilite_utilisation", "carried:thesis_2025"),
    ]
    review = result.to_review
    assert review["answer"].tolist() == ["Plus de spécialiste disponible"]
    assert review["suggestion_sources"].item().split(";")[-1] == "fuzzy:thesis_2025"
    used = code_wave(wave2, books, [], earlier=earlier, allow_suggestions=True).coded_answers
    assert used.loc[used["respondent_id"] == "R00003", "source"].tolist() == ["fuzzy:thesis_2025"]


def test_fuzzy_threshold_is_a_parameter_and_newest_wave_wins(books):
    earlier = {
        "w1": [decision("leviers", "Une plateforme unique", ("enthousiastes",))],
        "w2": [decision("leviers", "Une plateforme unique", ("sceptiques",))],
    }
    text = "Une plateforme unique svp"
    assert [s for s in suggest([text], books["leviers"], earlier, threshold=99.0) if s.kind != "rule"] == []
    loose = [s for s in suggest([text], books["leviers"], earlier, threshold=80.0) if s.kind != "rule"]
    assert [(s.source, s.categories) for s in loose] == [("fuzzy:w2", ("sceptiques",))]


# ---------------------------------------------------------------- reliability (hand computations)

def test_cohen_kappa_and_krippendorff_alpha_by_hand():
    a = [1, 1, 1, 0, 0, 0, 0, 0]
    b = [1, 1, 0, 0, 0, 0, 0, 1]
    # Kappa: agreement on units 1,2,4,5,6,7 -> po = 6/8 = 0.75.
    # A says 1 three times, B three times: pe = (3/8)(3/8) + (5/8)(5/8) = 34/64 = 0.53125.
    # kappa = (0.75 - 0.53125) / (1 - 0.53125) = 0.21875 / 0.46875 = 7/15.
    assert cohen_kappa(a, b) == pytest.approx(7 / 15)
    # Alpha (nominal, 2 coders, no missing): n = 16 pairable values, n_1 = 6, n_0 = 10.
    # Two disagreeing units give o_01 + o_10 = 4 off-diagonal coincidences.
    # alpha = 1 - (n - 1) * 4 / (n_0 n_1 + n_1 n_0) = 1 - 15 * 4 / 120 = 0.5.
    assert alpha_nominal(a, b) == pytest.approx(0.5)
    assert alpha_nominal([1, 1], [1, 1]) != alpha_nominal([1, 1], [1, 1])  # NaN: no variation


def test_reliability_on_set_valued_codes_by_hand(books):
    q = "autres_freins"
    texts = ["t un", "t deux", "t trois", "t quatre", "t cinq"]
    # coder A: {rem}, {rem, del}, {num}, {rem}, {del}; coder B: {rem}, {rem}, {num}, {rem}, {del}
    a_sets = [("remuneration",), ("remuneration", "delais_reponse"), ("numerisation",), ("remuneration",),
              ("delais_reponse",)]
    b_sets = [("remuneration",), ("remuneration",), ("numerisation",), ("remuneration",), ("delais_reponse",)]
    a = [decision(q, t, s, "a") for t, s in zip(texts, a_sets)]
    b = [decision(q, t, s, "b") for t, s in zip(texts, b_sets)]
    result = reliability(a, b, books)
    per = result.per_category.set_index("category")
    # delais_reponse, units in hash order do not matter for kappa: A present 2/5, B 1/5, one disagreement.
    # po = 4/5; pe = (2/5)(1/5) + (3/5)(4/5) = 14/25; kappa = (20/25 - 14/25) / (11/25) = 6/11.
    assert per.loc["delais_reponse", "kappa"] == pytest.approx(6 / 11)
    # alpha: n = 10, n_1 = 3, n_0 = 7, one disagreement -> 2 off-diagonal: 1 - 9 * 2 / (2 * 3 * 7) = 4/7.
    assert per.loc["delais_reponse", "alpha"] == pytest.approx(4 / 7)
    assert per.loc["delais_reponse", "agreement"] == pytest.approx(4 / 5)
    assert per.loc["remuneration", "kappa"] == pytest.approx(1.0)
    overall = result.overall.set_index("question")
    # exact code sets as nominal values: a x5, "rem;del" x1, num x2, del x2 over n = 10 values.
    # sum_{c != k} n_c n_k = 100 - (25 + 1 + 4 + 4) = 66; one disagreeing unit -> 2 off-diagonal.
    # alpha = 1 - (10 - 1) * 2 / 66 = 48/66 = 8/11.
    assert overall.loc[q, "alpha"] == pytest.approx(8 / 11)
    assert overall.loc[q, "exact_agreement"] == pytest.approx(4 / 5)
    assert result.disagreements[["answer", "categories_a", "categories_b", "adjudication"]].values.tolist() == [
        ["t deux", "remuneration;delais_reponse", "remuneration", ""]]


def test_reliability_of_the_committed_second_coder(books):
    a = read_decisions(CODING / "coder_bd_main.csv", books)
    b = read_decisions(CODING / "coder_2.csv", books)
    result = reliability(a, b, books)
    assert len(result.disagreements) == 6  # the six disagreements documented in data/studies/tele_expertise_cpts/coding/README.md
    overall = result.overall.set_index("question")
    assert overall.loc["plateforme", "n_only_a"] == 1  # coder 2 left one answer undecided
    assert (result.disagreements["adjudication"] == "").all()


# ---------------------------------------------------------------- PII masking

@pytest.mark.parametrize("text, masked, kinds", [
    ("Appeler le 06 12 34 56 78", "Appeler le [téléphone]", ["téléphone"]),
    ("tel 0612345678.", "tel [téléphone].", ["téléphone"]),
    ("+33 6 12 34 56 78 ou +33 (0)6 12 34 56 78", "[téléphone] ou [téléphone]", ["téléphone", "téléphone"]),
    ("écrire à jean.dupont@chu-lille.fr svp", "écrire à [courriel] svp", ["courriel"]),
    ("le Dr Martin répond vite", "le Dr [nom] répond vite", ["nom"]),
    ("Mme Lefèvre et M. Jean-Pierre Durand", "Mme [nom] et M. [nom]", ["nom", "nom"]),
    ("Docteur Anne Roux", "Docteur [nom]", ["nom"]),
    ("Déviance (endocrinologie CH Valenciennes)", "Déviance (endocrinologie CH Valenciennes)", []),
    ("Paiement sur l'année n+1, 12 actes", "Paiement sur l'année n+1, 12 actes", []),
])
def test_mask_pii(text, masked, kinds):
    result, findings = mask_pii(text)
    assert result == masked
    assert [f.kind for f in findings] == kinds


def test_configured_names_are_masked_accent_and_case_insensitively():
    assert mask_pii("voir avec HERVE demain", ["Hervé"])[0] == "voir avec [nom] demain"
    assert mask_pii("Hervéline vient", ["Hervé"])[0] == "Hervéline vient"  # whole words only


def test_pii_report_never_holds_the_value():
    frame = pd.DataFrame({"respondent_id": ["R00002", "R00003"],
                          "leviers": ["Contactez le Dr Martin au 06 12 34 56 78", "Rien"]})
    masked, report = mask_frame(frame, ["leviers"])
    assert masked["leviers"].tolist() == ["Contactez le Dr [nom] au [téléphone]", "Rien"]
    assert list(report.itertuples(index=False, name=None)) == [
        ("leviers", "R00002", "nom", 1), ("leviers", "R00002", "téléphone", 1)]
    assert "Martin" not in report.to_csv() and "06 12" not in report.to_csv()


# ---------------------------------------------------------------- coding sheets

def dropdown_choices(wb, row: int) -> list[str]:
    """The codes the drop-down of the « catégories » cell of `row` offers (resolved from the list sheet)."""
    from openpyxl.utils import range_boundaries

    ws = wb["codage"]
    column = [c.value for c in ws[1]].index("catégories") + 1
    for validation in ws.data_validations.dataValidation:
        if any(rng.min_col == column and rng.min_row <= row <= rng.max_row for rng in validation.sqref.ranges):
            sheet, ref = validation.formula1.split("!")
            first_col, first_row, _last_col, last_row = range_boundaries(ref.replace("$", ""))
            return [wb[sheet].cell(row=r, column=first_col).value for r in range(first_row, last_row + 1)]
    return []


HOSTILE_ANSWERS = ["=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)", "- au tiret", "+33 appeler", "'apostrophe",
                   "007", "1/2", "Très longue réponse, " * 40 + "fin"]


def test_xlsx_coding_sheet_is_french_with_drop_downs_and_reads_back_unchanged(tmp_path, books):
    frame = responses([{"leviers": text} for text in HOSTILE_ANSWERS] + [{"autres_freins": "Aucun"}])
    review = code_wave(frame, books, []).to_review
    path = tmp_path / "sheet.xlsx"
    write_coding_sheet(coding_sheet(review, books, coder="bd"), books, path)
    wb = load_workbook(path)
    ws = wb["codage"]
    header = [c.value for c in ws[1]]
    assert header == ["question", "réponse", "catégories", "codeur", "justification", "catégories suggérées",
                      "origine des suggestions", "catégories possibles", "empreinte de la réponse"]
    assert ws.freeze_panes == "A2" and ws.column_dimensions["B"].width == 60
    assert ws["B2"].alignment.wrap_text
    assert wb.sheetnames == ["codage", "listes", "catégories", "consignes"]
    assert "liste déroulante" in " ".join(str(c.value) for c in wb["consignes"]["A"])
    cells = [row[1] for row in ws.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"} and {c.number_format for c in cells} == {"@"}
    assert sorted(c.value for c in cells) == sorted(HOSTILE_ANSWERS + ["Aucun"])
    for row in range(2, ws.max_row + 1):  # the doctor picks a code in each drop-down
        choices = dropdown_choices(wb, row)
        question = ws.cell(row=row, column=1).value
        assert choices == [c.id for c in books[question].active_categories]
        ws.cell(row=row, column=3).value = "aucun_frein" if question == "autres_freins" else choices[row % 3]
        ws.cell(row=row, column=5).value = "=codé à la main"  # typed text, even with a leading "="
    wb.save(path)
    decisions = coding_sheet_to_decisions(path, tmp_path / "bd.csv", books)
    assert sorted(d.answer for d in decisions) == sorted(HOSTILE_ANSWERS + ["Aucun"])
    assert all(d.answer_hash == answer_hash(d.answer) and d.coder == "bd" and d.rationale == "=codé à la main"
               for d in decisions)
    written = pd.read_csv(tmp_path / "bd.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == ["question", "answer_hash", "answer", "categories", "coder", "rationale"]
    assert code_wave(frame, books, decisions, strict=True).to_review.empty


def test_coding_sheet_saved_as_csv_with_french_headers_is_a_decisions_file(tmp_path, books):
    text = "=1+1 pas le temps"
    path = tmp_path / "bd_main.csv"
    path.write_text("question;empreinte de la réponse;réponse;catégories;codeur;justification\n"
                    f"leviers;{answer_hash(text)};{text};sceptiques;bd;\n", encoding="utf-8-sig")
    (decided,) = read_decisions(path, books)
    assert (decided.answer, decided.categories) == (text, ("sceptiques",))


def test_coding_sheet_refuses_a_control_character_with_its_row(tmp_path, books):
    sheet = coding_sheet(code_wave(responses([{"leviers": "a\x1bb"}]), books, []).to_review, books)
    with pytest.raises(InputError, match=r"sheet\.xlsx, sheet 'codage', row 2: control character U\+001B cannot be stored"):
        write_coding_sheet(sheet, books, tmp_path / "sheet.xlsx")


def test_csv_coding_sheet_is_a_decisions_file(tmp_path, books):
    frame = responses([{"leviers": "À voir"}])
    sheet = coding_sheet(code_wave(frame, books, []).to_review, books, coder="bd")
    sheet.loc[0, "categories"] = "sceptiques"
    path = tmp_path / "bd.csv"
    write_coding_sheet(sheet, books, path)
    assert read_decisions(path, books)[0].categories == ("sceptiques",)


# ---------------------------------------------------------------- the bundled wave (synthetic corpus)

# Published counts, from the text of the thesis (§5.1-5.5, Figures 9-13).
PUBLISHED = {
    "plateforme": (32, {"omnidoc": 31}),
    "role_tle": (32, {"avis_second_recours": 29, "avis_paramedicaux": 1, "avis_urgent": 1, "reponse_rapide": 1}),
    "autres_freins": (17, {"aucun_frein": 3, "remuneration": 2, "delais_reponse": 2, "numerisation": 3,
                           "freins_propres_tle": 4, "derives_usage": 2, "ininterpretable": 1}),
    "favoriserait": (22, {"plus_de_specialistes": 10, "remuneration_cotation": 2, "rapidite_retours": 2,
                          "facilite_utilisation": 3, "specialiste_referent": 1, "dernier_recours": 1,
                          "aucune_amelioration": 2, "ininterpretable": 1}),
    "leviers": (15, {"sceptiques": 6, "enthousiastes": 6, "lassitude": 3}),
}

# Every verbatim quoted in §5.3-5.5, exactly as printed.
VERBATIMS = {
    "autres_freins": [
        "Paiement de la CPAM qui est réalisé sur l'année n+1 à la date de la réalisation des actes",
        "Rémunération en baisse depuis les premières télé-expertises pilotes (predice dermato)",
        "Réponse immédiate", "Temps passé à attendre le retour", "Peu de compétences en informatique",
        "Numérisation du monde vivant", "Concurrence de l'IA", "Le détournement de la demande d'avis pour des RDV",
        "Déviance (endocrinologie CH Valenciennes)",
    ],
    "favoriserait": ["Télé-expertise intégrée au logiciel ?", "Formation à ce sujet", "La simplicité"],
    "leviers": [
        "Augmenter le nombre de médecins formés",
        "Secteur 2 pour tous les médecins installés en libéral afin d'inciter à l'exercice libéral installé : "
        "pas besoin de télé-expertise avec un nombre important de médecins installés dans ce cas-là",
        "À voir", "Démanteler le numérique qui est en guerre contre le vivant (IA ++)",
        "Globalement je préférerais plus de confrères disponibles en ville qu'une plateforme",
        "Me former à la dermato pour ne plus avoir à demander des avis",
        "La télé-expertise a pour but d'éviter des actes inutiles en consultation ou à domicile pour des aspects "
        "purement techniques ponctuels mais ne doit pas remplacer une relation de suivi au long cours physique "
        "soignant-soigné",
        "Place aux jeunes compétents en informatique", "Plus de médical et moins de secrétariat", "pas d'avis",
    ],
}


@pytest.fixture(scope="module")
def corpus_result(books):
    corpus = load_corpus(CORPUS, books)
    frame = corpus_responses(corpus, books)
    return corpus, frame, code_wave(frame, books, read_decisions(CODING / "coder_bd_main.csv", books), strict=True)


def test_corpus_holds_every_verbatim(books, corpus_result):
    corpus = corpus_result[0]
    for question, quotes in VERBATIMS.items():
        texts = [a.text for a in corpus.of(question)]
        for quote in quotes:
            assert any(quote in text for text in texts), (question, quote)


def test_coding_the_corpus_with_committed_decisions_gives_the_published_counts(corpus_result):
    _corpus, _frame, result = corpus_result
    counts = result.counts
    for question, (n_answers, published) in PUBLISHED.items():
        mine = counts[counts["question"] == question].set_index("category")
        assert set(mine["n_answers"]) == {n_answers}, question
        for category, n in published.items():
            assert mine.loc[category, "n"] == n, (question, category)
        others = mine.drop(index=list(published))
        if question != "plateforme":  # §5.1 gives only the Omnidoc count; the 32nd user cites another platform
            assert (others["n"] == 0).all(), question
    assert result.to_review.empty and result.messages == []
    omnidoc = counts[(counts["question"] == "plateforme") & (counts["category"] == "omnidoc")]
    assert round(omnidoc["pct"].item()) == 97  # "97 %, n= 31"


def test_corpus_respects_users_only_questions(corpus_result):
    _corpus, frame, result = corpus_result
    users = set(frame.loc[frame["pratique_tle"] == "Oui", "respondent_id"])
    asked_to_users = result.coded_answers[result.coded_answers["question"].isin(["plateforme", "role_tle"])]
    assert set(asked_to_users["respondent_id"]) <= users
    assert set(result.coded_answers["source"]) == {"manual:bd", "option"}


def test_file_entry_point_is_deterministic(tmp_path, books, corpus_result):
    frame = corpus_result[1]
    frame.to_csv(tmp_path / "responses.csv", index=False)
    outputs = []
    for run in ("a", "b"):
        paths = [tmp_path / run / name for name in ("coded.csv", "counts.csv", "review.csv", "messages.txt")]
        code_wave_files(tmp_path / "responses.csv", CATEGORIES, [CODING / "coder_bd_main.csv"], *paths, strict=True)
        outputs.append([p.read_bytes() for p in paths])
    assert outputs[0] == outputs[1]
    assert pd.read_csv(tmp_path / "a" / "counts.csv")["n"].sum() == sum(
        sum(published.values()) for _n, published in PUBLISHED.values()) + 1  # + the 32nd platform


def test_reliability_files_skip_a_missing_second_coder(tmp_path, books):
    outs = [tmp_path / n for n in ("cat.csv", "all.csv", "dis.csv")]
    assert reliability_files(CODING / "coder_bd_main.csv", tmp_path / "absent.csv", CATEGORIES, *outs) is None
    assert not any(p.exists() for p in outs)


def test_main_coder_is_the_file_ending_in_main_and_nothing_else():
    """One rule for the main coder (as common.smk's main_coding_files): no silent fallback to another file."""
    from surveykit.recode.files import main_decisions

    assert main_decisions(["w/bd_main.csv", "w/second.csv"]) == ["w/bd_main.csv"]
    assert main_decisions([]) == []
    with pytest.raises(InputError, match=r"w/coder\.csv: no main coder's file; name it <coder>_main\.csv"):
        main_decisions(["w/coder.csv"])


def test_free_text_variables_come_from_the_codebook():
    from surveykit.clean.privacy import free_text_variables
    from surveykit.questionnaire.codebook import load_codebook

    book = load_codebook(ROOT / "data/studies/tele_expertise_cpts/codebook.yaml")
    open_questions = sorted(q.id for q in book.questions if q.type == "text")
    assert open_questions and sorted(free_text_variables(book)) == sorted(
        open_questions + ["mode_exercice_autre", "role_tle_autre", "specialite_autre"])


def test_a_coding_sheet_filled_in_results_is_kept_before_a_run_replaces_it(tmp_path, books):
    # The README says to copy the sheet out of results/ first; a coder who fills it in place must not lose the
    # sitting when recode_wave runs again: the filled sheet is copied to the decisions folder, once.
    from surveykit.recode import keep_filled_sheet
    frame = responses([{"leviers": "Plus de temps"}, {"leviers": "Une meilleure rémunération"}])
    review_path, sheet_path = tmp_path / "to_review.csv", tmp_path / "coding_sheet.xlsx"
    review_path.write_text("written by the same job\n", encoding="utf-8")
    write_coding_sheet(coding_sheet(code_wave(frame, books, []).to_review, books, coder="bd"), books, sheet_path)
    os.utime(review_path, (1_000_000, 1_000_000))
    os.utime(sheet_path, (1_000_000, 1_000_000))
    folder = tmp_path / "coding" / "w1"
    assert keep_filled_sheet(sheet_path, review_path, folder) is None  # as the pipeline wrote it
    wb = load_workbook(sheet_path)
    os.utime(sheet_path, (1_000_100, 1_000_100))
    assert keep_filled_sheet(sheet_path, review_path, folder) is None  # saved later, but nothing coded yet
    wb["codage"].cell(row=2, column=3).value = dropdown_choices(wb, 2)[0]
    wb.save(sheet_path)
    os.utime(sheet_path, (1_000_200, 1_000_200))
    kept = keep_filled_sheet(sheet_path, review_path, folder)
    assert kept is not None and kept.parent == folder / "filled_sheets" and kept.read_bytes() == sheet_path.read_bytes()
    assert keep_filled_sheet(sheet_path, review_path, folder) == kept  # a second run keeps nothing twice
    assert list((folder / "filled_sheets").iterdir()) == [kept]
    assert len(coding_sheet_to_decisions(kept, tmp_path / "bd.csv", books)) == 1  # `make decisions` reads it
