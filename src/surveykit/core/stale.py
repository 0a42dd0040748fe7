"""Outputs follow the plan: a step that writes one file per table or figure of the study removes the files of
its own kind that no entry names any more (a table or figure taken out of the plan), and nothing else."""
from __future__ import annotations

import re
from pathlib import Path

ID = re.compile(r"[a-z][a-z0-9_]*")  # the ids of analysis_plan.yaml and figures.yaml (their schemas)


def remove_stale(folder: str | Path, current: set[str], suffixes: tuple[str, ...]) -> list[str]:
    """Delete `folder/<id><suffix>` for every id-shaped name not in `current`; returns the removed paths, sorted.
    A suffix may have several parts (`.excel.csv`): the name is the id before it.

    Only the names the step itself would write are candidates: another suffix, a name that is not an id
    (« notes de relecture.csv », « Tableau 1.csv »), a sub-folder or a link are a user's and left alone."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        ids = [path.name[: -len(suffix)] for suffix in suffixes if path.name.endswith(suffix)]
        if not any(ID.fullmatch(name) and name not in current for name in ids):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        path.unlink(missing_ok=True)  # the two figure jobs of a wave may both remove it
        removed.append(str(path))
    return removed
