"""The coded table of an export (`questionnaire.forms.coded`): each column's distinct cells numbered once, in the
order a Counter of its cells keeps, shared by the fold, the drafter and the cleaning for as long as the export
lives; the drafter's rows left out (blank, trial, incomplete responses) renumber a column as its kept cells would."""
from __future__ import annotations

import gc
import random
import weakref
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from surveykit.clean.cleaning import _factorize
from surveykit.questionnaire.forms.coded import coded_columns
from surveykit.questionnaire.forms.read import RawExport
from surveykit.tools.draft.infer import Columns, _drafted, draft_export

ANSWERS = ["Oui", "Non", "Ne sait pas", "", "Parfois"]


def _export(rows: list[tuple[str, ...]], headers: tuple[str, ...] = ("Q1", "Q2", "Q3")) -> RawExport:
    return RawExport("x.csv", headers, tuple(rows), "utf-8", ",")


def _random_rows(seed: int, n: int = 60) -> list[tuple[str, ...]]:
    draw = random.Random(seed)
    return [tuple(draw.choice(ANSWERS[:draw.randint(2, 5)]) for _ in range(3)) for _ in range(n)]


def test_counts_come_in_first_appearance_order_as_a_counter_keeps_them():
    for seed in range(20):
        rows = _random_rows(seed)
        for index, column in enumerate(coded_columns(_export(rows))):
            cells = [row[index] for row in rows]
            counter = Counter(cells)
            assert list(column.counted().items()) == list(counter.items())
            assert Counter(column.counted()).most_common() == counter.most_common()  # ties: first appearance
            assert column.cells().tolist() == cells
            assert column.counts.tolist() == list(counter.values())


def test_ties_keep_the_order_of_first_appearance():
    column = coded_columns(_export([("B",), ("A",), ("",), ("A",), ("B",)], ("Q",)))[0]
    assert column.values.tolist() == ["B", "A", ""]
    assert column.codes.tolist() == [0, 1, 2, 1, 0]
    assert Counter(column.counted()).most_common(2) == [("B", 2), ("A", 2)]
    assert column.rows_holding("A").tolist() == [False, True, False, True, False]
    assert not column.rows_holding("C").any() and column.code("C") == -1


def test_the_table_is_made_once_per_export_by_identity_and_not_kept_alive():
    rows = _random_rows(1)
    export = _export(rows)
    table = coded_columns(export)
    assert coded_columns(export) is table
    twin = replace(export)  # equal, another object: its own table (never found by comparing 20 M cells)
    assert twin == export and coded_columns(twin) is not table
    assert [c.counted() for c in coded_columns(twin)] == [c.counted() for c in table]
    column = weakref.ref(table[0])
    del export, table, twin
    gc.collect()
    assert column() is None


def test_a_column_over_the_rows_kept_is_numbered_as_those_rows_alone():
    rows = [("Infirmier",), ("Médecin",), ("Pharmacien",), ("Infirmier",), ("Médecin",), ("",)]
    column = coded_columns(_export(rows, ("Q",)))[0]
    kept = column.kept(np.array([False, True, False, True, True, True]))
    alone = coded_columns(_export([rows[1], rows[3], rows[4], rows[5]], ("Q",)))[0]
    assert kept.values.tolist() == alone.values.tolist() == ["Médecin", "Infirmier", ""]
    assert kept.codes.tolist() == alone.codes.tolist() == [0, 1, 0, 2]


def test_the_drafters_columns_over_the_rows_it_keeps_count_as_a_counter_of_those_rows():
    for seed in range(20):
        rows = _random_rows(seed)
        export = _export(rows)
        draw = random.Random(100 + seed)
        drafted = [row for row in export.rows if draw.random() < 0.7]  # rows left out, as a filter leaves them
        mask = _drafted(export.rows, drafted)
        assert mask.tolist() == [any(row is kept for kept in drafted) for row in export.rows]
        columns = Columns(coded_columns(export), mask)
        assert columns.n == len(drafted)
        for index in range(3):
            cells = [row[index] for row in drafted]
            expected = Counter(cells)
            expected.pop("", None)
            assert list(columns.counts(index).items()) == list(expected.items())
            assert columns.values(index) == [cell for cell in cells if cell]
            assert columns.cells[index] == cells
            filled = sum(1 << k for k, cell in enumerate(cells) if cell)
            assert columns.bits(index) == filled
            holding = sum(1 << k for k, cell in enumerate(cells) if cell == "Non")
            assert columns.bits(index, "Non") == holding


def test_rows_matched_in_turn_even_when_one_row_object_repeats():
    row, other = ("a", "b"), ("c", "")
    assert _drafted((row, other, row), [row, row]).tolist() == [True, False, True]
    assert _drafted((row, other), [row, other]) is None  # nothing left out: the table as it is


def test_a_trial_row_left_out_leaves_the_levels_the_other_rows_give():
    """The trial row holds the export's first « Infirmier »; without it « Médecin » and « Infirmier » are given
    as often and « Médecin » first: it comes first, exactly as in the export without that row."""
    headers = ("Horodateur", "Profession ?", "Commentaire ?")
    answers = [(f"2025/03/{day:02d} 10:00:00", job, note) for day, (job, note) in enumerate(
        [("Médecin", "Rapide"), ("Infirmier", "")] * 6, start=2)]
    trial = ("2025/03/01 09:00:00", "Infirmier", "test")
    with_trial = draft_export(_export([trial, *answers], headers))
    without = draft_export(_export(answers, headers))
    assert with_trial.test_answers == ["test"] and with_trial.n_rows == without.n_rows == 12
    profession = [q for q in with_trial.questions if q.header == "Profession ?"][0]
    assert profession.levels == ["Médecin", "Infirmier"]
    assert profession.levels == [q for q in without.questions if q.header == "Profession ?"][0].levels


def test_the_cleaning_numbers_combinations_from_the_coded_columns_as_from_their_cells():
    rows = _random_rows(7, 200)
    table = coded_columns(_export(rows))
    shown = np.array([k % 3 != 0 for k in range(200)])
    for arrays in ([0], [0, 1], [2, 1, 0]):
        cells = [np.array([row[i] for row in rows], dtype=object) for i in arrays]
        for context in ([], [shown]):
            coded_inverse, coded_first = _factorize([*(table[i] for i in arrays), *context])
            inverse, first = _factorize([*cells, *context])
            assert coded_inverse.tolist() == inverse.tolist() and coded_first.tolist() == first.tolist()


def test_a_cell_that_is_not_text_is_refused_rather_than_numbered_wrong():
    with pytest.raises(TypeError, match="column 2 holds a cell that is not text"):
        coded_columns(_export([("a", None, "b")]))
