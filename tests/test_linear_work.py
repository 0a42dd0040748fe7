"""Drafting and cleaning work per distinct answer, not per cell: an export whose rows repeat the same answers ten
times more costs the normaliser (surveykit.core.normalise), the parser of a question and the reader's stripping of
the answers no more calls. Counted, not timed (performance is measured in benchmarks: `scripts/bench.py
--wide-only`)."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from surveykit.clean import cleaning
from surveykit.questionnaire.forms import coded, headers, read
from surveykit.questionnaire.forms.read import read_export
from surveykit.tools.draft import check_draft, draft_export, infer, levels
from surveykit.tools.draft.render import study_files

HEADERS = ["Horodateur", "Profession ?", "Outils utilisés ? (plusieurs réponses possibles)",
           "Fréquence d'utilisation ?", "Sur une échelle de 1 à 5, votre satisfaction ?", "Pourquoi ?"]
CYCLE = [  # six respondents, each answer given at least once: the same reading from four cycles on (no rare answer)
    ["Médecin", "Messagerie sécurisée, Agenda en ligne", "Souvent", "4", "Le temps gagné au quotidien"],
    ["Infirmier", "Agenda en ligne", "Parfois", "3", "La coordination avec les collègues"],
    ["Médecin", "Messagerie sécurisée", "Jamais", "2", ""],
    ["Pharmacien", "Messagerie sécurisée, Agenda en ligne", "Souvent", "5", "Le temps gagné au quotidien"],
    ["Infirmier", "Agenda en ligne", "Parfois", "4", "La coordination avec les collègues"],
    ["Pharmacien", "Messagerie sécurisée", "Jamais", "1", ""],
]


def _export(folder: Path, repeats: int) -> Path:
    path = folder / f"export_{repeats}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for k in range(repeats * len(CYCLE)):
            writer.writerow([f"2025/03/{1 + k % 28:02d} {k // 28 % 24:02d}:{k % 60:02d}:00 UTC+1", *CYCLE[k % len(CYCLE)]])
    return path


def _calls(monkeypatch, path: Path) -> tuple[Counter, dict[str, str]]:
    """Calls of the normaliser and of the question parser while the export is drafted and cleaned with its
    draft, how many times its cells were numbered column by column (`coded`), and the drafted files."""
    calls: Counter = Counter()

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    for module in (infer, levels, cleaning, headers):
        monkeypatch.setattr(module, "normalise", counted("normalise", module.normalise))
    monkeypatch.setattr(cleaning, "parse_question", counted("parse_question", cleaning.parse_question))
    monkeypatch.setattr(coded, "_table", counted("coded table", coded._table))
    strip = read._StrippedCells.__missing__

    def stripped(table, cell):
        calls["strip"] += not cell.startswith("2025/")  # each timestamp differs: each is stripped once
        return strip(table, cell)

    monkeypatch.setattr(read._StrippedCells, "__missing__", stripped)
    export = read_export(path)
    files = study_files(draft_export(export), "travail", "data/raw/travail/export.csv")
    check_draft(files, "travail", export)
    monkeypatch.undo()
    return calls, files


def test_ten_times_the_rows_costs_no_more_calls(tmp_path, monkeypatch):
    _calls(monkeypatch, _export(tmp_path, 4))  # fills the caches kept per question (its options' pattern, labels)
    few, drafted = _calls(monkeypatch, _export(tmp_path, 4))
    many, drafted_many = _calls(monkeypatch, _export(tmp_path, 40))
    assert drafted_many["codebook.yaml"].replace("(240 réponses)", "(24 réponses)") == drafted["codebook.yaml"]
    assert few["normalise"] > 0 and few["parse_question"] > 0 and few["strip"] > 0
    assert few["coded table"] == 1  # one pass over the cells, shared by the fold, the drafter and the cleaning
    assert many == few


def test_a_shared_end_is_a_lower_bound_of_the_branch_similarity():
    """Two headers numbered apart (« 17 quel est votre age » / « 134 quel est votre age ») are told similar from
    their common end, without difflib's ratio: never where the ratio itself is below the threshold."""
    import difflib
    import random

    rng = random.Random(7)
    told = 0
    for _ in range(20_000):
        core = "".join(rng.choice("ab c") for _ in range(rng.randint(0, 30)))
        first = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 4))) + core + rng.choice(["", "a", "ba"])
        second = "".join(rng.choice("abc1 ") for _ in range(rng.randint(0, 4))) + core + rng.choice(["", "b"])
        if infer._shares_enough_of_an_end(first, second):
            told += 1
            assert difflib.SequenceMatcher(None, first, second).ratio() >= infer.BRANCH_SIMILARITY, (first, second)
    assert told > 1000
    assert infer._shares_enough_of_an_end("17 quel est votre age", "134 quel est votre age")
    assert not infer._shares_enough_of_an_end("", "")


def _split_every_round(cells: Counter) -> dict[str, list[str]]:
    """split_distinct's reading without its shortcuts: every cell of several parts glued again each round, from
    counts made afresh, until a round glues nothing."""
    split = {cell: cell.split(", ") for cell in cells}
    while True:
        counts: Counter = Counter()
        follows: Counter = Counter()
        for cell, parts in split.items():
            infer._tally(counts, follows, parts, cells[cell])
        glued = {cell: infer._glue(parts, counts, follows) for cell, parts in split.items() if len(parts) > 1}
        glued = {cell: merged for cell, merged in glued.items() if len(merged) < len(split[cell])}
        if not glued:
            return split
        split.update(glued)


def test_split_distinct_rereads_only_the_cells_it_may_glue(monkeypatch):
    """Options ticked in varied combinations are never glued again after the first look; an option holding a comma
    (brackets, or two halves always together) and typed text are; the result is the reading of every cell every
    round."""
    import random

    rng = random.Random(3)
    options = ["Messagerie sécurisée", "Agenda en ligne", "Aide à la décision (scores, calculateurs)",
               "Mail personnel, SMS ou WhatsApp", "Téléconsultation", "e-Prescription"]
    typed = ["cabinet de groupe, pas de secrétariat", "Autre, à voir", "trop cher, trop lent, pas formé"]
    cells: Counter = Counter()
    for _ in range(3000):
        ticked = sorted(rng.sample(options, rng.randint(1, 4)), key=options.index)
        cells[", ".join(ticked + ([rng.choice(typed)] if rng.random() < 0.05 else []))] += 1
    assert infer.split_distinct(cells) == _split_every_round(cells)
    assert infer.split_distinct(cells)["Aide à la décision (scores, calculateurs), Mail personnel, SMS ou WhatsApp"] \
        == ["Aide à la décision (scores, calculateurs)", "Mail personnel, SMS ou WhatsApp"]

    plain = Counter({", ".join(sorted(rng.sample(options[:2] + options[4:], 2), key=options.index)): 5 for _ in range(30)})
    glue = infer._glue
    calls = Counter()
    monkeypatch.setattr(infer, "_glue", lambda *args: calls.update(["glue"]) or glue(*args))
    assert infer.split_distinct(plain) == {cell: cell.split(", ") for cell in plain}
    assert calls["glue"] == 0  # options alone, each found after several others: no cell reread


def test_typed_elsewhere_tells_an_option_bank_from_a_probe_as_the_whole_answers_would():
    """A question sharing two of its options with another is told apart without comparing all their answers; the
    typed answers found are those the definition finds."""
    import random

    rng = random.Random(5)
    bank = ["Jamais", "Rarement", "Parfois", "Souvent", "Toujours"]
    typed = ["EHPAD", "PMI", "Depends on the day", "centre de santé", "SOS médecins"]
    shared = infer.SharedAnswers()
    questions = []
    for k in range(40):
        options = bank if k % 2 else [f"Option {k} {j}" for j in range(4)]
        counts = Counter({option: rng.randint(4, 30) for option in options})
        for text in rng.sample(typed[:2] if k % 2 else typed[2:], 2):  # in a bank's questions only: its own
            counts[text] = rng.randint(1, 3)
        questions.append(counts)
        shared.add(counts)

    def by_definition(values, own):
        found = set()
        for value in values:
            key = shared.loose(value)
            if shared.frequent_in.get(key):
                continue
            if any(shared.answers[i] != own and len(shared.answers[i] & own) <= (key in own)
                   for i in shared.rare_in.get(key, [])):
                found.add(value)
        return found

    told = 0
    for counts in questions:
        own = shared.answers_of(counts)
        values = {value for value, count in counts.items() if count <= infer.RARE_COUNT}
        assert shared.typed_elsewhere(values, own) == by_definition(values, own)
        told += bool(by_definition(values, own))
    assert told == len(questions) // 2  # the questions of their own options, not those of the bank
