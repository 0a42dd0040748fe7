"""Draft a study folder from a raw export (`make study EXPORT=… STUDY=… WAVE=…`).

surveykit.draft.infer guesses the questions, surveykit.draft.levels orders their answers,
surveykit.draft.render writes the YAML with a comment on every unsure guess, and
surveykit.draft.project puts the study into the project (folder, raw export, config.yaml).
"""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

from ..clean import EXCLUDED, QUARANTINED, clean_export
from ..errors import InputError
from ..forms.read import read_export
from ..study import load_study
from .infer import StudyGuess, draft_export
from .project import declare, edited_files, export_location, place_export, write_study
from .render import engine, expand_choice_grids, has_tables, study_files

__all__ = ["draft_export", "draft_study", "study_files", "StudyGuess"]

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CONFIG_SCHEMA = Path("workflow") / "schemas" / "config.schema.yaml"


def _check_name(kind: str, name: str) -> None:
    if not NAME.match(name):
        raise InputError(f"{kind} name {name!r}: expected lower-case letters, digits and underscores, starting with a "
                         "letter (e.g. enquete_2025)")


def check_draft(files: dict[str, str], study: str, export) -> tuple[object, dict]:
    """Load the drafted files as the pipeline will (schemas and cross-checks) and clean the export with them."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        loaded = load_study(study, tmp)
    result = clean_export(export, loaded.codebook)
    statuses = Counter(result.excluded["status"]) if len(result.excluded) else Counter()
    return loaded, {"analysed": len(result.responses), "excluded": statuses.get(EXCLUDED, 0),
                    "quarantined": statuses.get(QUARANTINED, 0), "messages": result.messages}


def _summary(guess: StudyGuess, folder: str, export: str, flow: dict, written: list[str], declared: list[str]) -> str:
    types = Counter(g.type for g in guess.questions)
    unsure = sum(len(g.notes) for g in guess.questions)
    lines = [f"Drafted {len(guess.questions)} questions from {export} ({guess.n_rows} responses): "
             + ", ".join(f"{n} {t}" for t, n in sorted(types.items())) + ".",
             f"Timestamp column: {guess.timestamp or 'none recognised'}; identifying columns dropped: "
             f"{', '.join(guess.identifying) or 'none'}.",
             f"{unsure} guess(es) to check, each marked by a comment in {folder}/codebook.yaml.",
             f"Cleaning the export with the draft: {flow['analysed']} analysed, {flow['excluded']} excluded, "
             f"{flow['quarantined']} quarantined.",
             f"Written: {', '.join(written) or 'nothing (the draft is unchanged)'}."]
    if declared:
        lines.append(f"Declared in config.yaml: {', '.join(declared)}.")
    lines.append("Next: `make` builds the chapter (manuscript/build/<wave>/resultats.docx); then see README, "
                 "\"Start a new study\", for the edits that usually follow.")
    return "\n".join(lines)


def draft_study(export_path: str | Path, study: str, wave: str, root: str | Path = ".", label: str | None = None,
                force: bool = False) -> str:
    """Draft data/studies/<study>/ from the export, declare the study and the wave; the report printed."""
    root = Path(root)
    _check_name("study", study)
    _check_name("wave", wave)
    export_path = Path(export_path)
    if not export_path.is_absolute() and not export_path.exists():
        export_path = root / export_path
    export = read_export(export_path)
    folder_rel = f"data/studies/{study}"
    folder = root / folder_rel
    export_rel, copy_to = export_location(root, export_path, wave)
    guess = expand_choice_grids(draft_export(export), engine())
    if not has_tables(guess) and not engine().empty_plan:
        raise InputError(
            f"{export_path}: every one of its {len(guess.questions)} question(s) reads as free text or a date "
            f"({', '.join(g.id for g in guess.questions[:5])}{'…' if len(guess.questions) > 5 else ''}), and this "
            "engine's analysis plan needs at least one table (a closed, numeric or grid question); check the "
            "export (the drafter's reasons are in the comments of its draft), or write the study by hand")
    files = study_files(guess, study, export_rel)
    _loaded, flow = check_draft(files, study, export)
    edited = edited_files(folder, files) if folder.is_dir() else []
    if edited and not force:
        raise InputError(f"{folder}: {len(edited)} file(s) differ from what the drafter wrote (edited since, or not "
                         f"written by it): {', '.join(edited)}; nothing was written. Keep your edits, or draft again "
                         "over them with --force (make study … FORCE=1)")
    place_export(export_path, copy_to)
    plan = write_study(folder, files, force, {"export": export_rel, "wave": wave, "study": study})
    declared = declare(root / "config.yaml", study, folder_rel, wave, export_rel, label or wave,
                       root / CONFIG_SCHEMA)
    return _summary(guess, folder_rel, export_rel, flow, plan.written + [f"removed {n}" for n in plan.removed], declared)
