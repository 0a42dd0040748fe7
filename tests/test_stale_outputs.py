"""Outputs follow the plan: tables and figures taken out of the study's files are removed from results/,
and nothing a user put there is."""
from __future__ import annotations

import os

from surveykit.core.stale import remove_stale


def test_only_files_of_the_steps_own_kind_and_no_current_id_are_removed(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in ("tableau_1.csv", "ancien_tableau.csv", "tables.json", "notes de relecture.csv", "Tableau 2.csv",
                 "ancien_tableau.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "archive").mkdir()
    (folder / "archive" / "vieux.csv").write_text("x", encoding="utf-8")
    target = tmp_path / "elsewhere.csv"
    target.write_text("x", encoding="utf-8")
    os.symlink(target, folder / "lien.csv")
    removed = remove_stale(folder, {"tableau_1"}, (".csv",))
    assert removed == [str(folder / "ancien_tableau.csv")]
    assert sorted(p.name for p in folder.iterdir()) == ["Tableau 2.csv", "ancien_tableau.txt", "archive", "lien.csv",
                                                        "notes de relecture.csv", "tableau_1.csv", "tables.json"]
    assert target.exists() and (folder / "archive" / "vieux.csv").exists()
    assert remove_stale(folder, {"tableau_1"}, (".csv",)) == []  # idempotent
    assert remove_stale(tmp_path / "absent", set(), (".csv",)) == []


def test_a_suffix_of_several_parts_names_the_id_before_it(tmp_path):
    """A table's copy for French Excel (`<id>.excel.csv`) goes with its table, and stays while the table does."""
    for name in ("tableau_1.csv", "tableau_1.excel.csv", "ancien.csv", "ancien.excel.csv", "notes.excel.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = remove_stale(tmp_path, {"tableau_1"}, (".csv", ".excel.csv"))
    assert removed == [str(tmp_path / "ancien.csv"), str(tmp_path / "ancien.excel.csv")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.excel.txt", "tableau_1.csv", "tableau_1.excel.csv"]
