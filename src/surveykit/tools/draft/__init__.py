"""Draft a study folder from a raw export (`make study EXPORT=… STUDY=… WAVE=…`).

surveykit.tools.draft.infer guesses the questions, surveykit.tools.draft.levels orders their answers,
surveykit.tools.draft.render writes the YAML with a comment on every unsure guess, and
surveykit.tools.draft.project puts the study into the project (folder, raw export, config.yaml).
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from surveykit.clean.cleaning import EXCLUDED, QUARANTINED, clean_export
from surveykit.core.errors import InputError
from surveykit.project.configcheck import MAX_NAME, RESERVED_WAVE_NAMES
from surveykit.project.study import load_study
from surveykit.questionnaire.forms.read import Limits, read_export

from .infer import StudyGuess, draft_export, in_answer_codes
from .project import atomic_write_text, config_limits, declaration, edited_files, export_location, place_export, write_study
from .render import engine, expand_choice_grids, has_tables, study_files

__all__ = ["draft_export", "draft_study", "study_files", "StudyGuess"]

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_NAMES = RESERVED_WAVE_NAMES  # the pipeline's own folders under results/ and manuscript/build/
CONFIG_SCHEMA = Path("workflow") / "schemas" / "config.schema.yaml"
# Control characters (C0 but tab, line feed and carriage return; DEL; C1) cannot be written in a YAML file.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_name(kind: str, name: str) -> None:
    if not NAME.match(name):
        raise InputError(f"{kind} name {name!r}: expected lower-case letters, digits and underscores, starting with a "
                         "letter (e.g. enquete_2025); nothing was written")
    if len(name) > MAX_NAME:
        raise InputError(f"{kind} name {name[:20]}… ({len(name)} characters): too long for a folder name; expected "
                         f"at most {MAX_NAME} characters (e.g. enquete_2025); nothing was written")
    if name in RESERVED_NAMES:
        raise InputError(f"{kind} name {name!r} is reserved: the pipeline's own folders under results/ and "
                         f"manuscript/build/ are named {', '.join(RESERVED_NAMES)}; choose another name (e.g. "
                         f"{name}_2025); nothing was written")


def _check_headers(export) -> None:
    """A control character in a header (pasted from another program) cannot be written in the codebook."""
    for column, header in enumerate(export.headers, start=1):
        found = CONTROL.search(header)
        if found:
            raise InputError(f"{export.path}, row 1, column {column} (header {header!r}): control character "
                             f"U+{ord(found.group()):04X} cannot be written in codebook.yaml; expected a header "
                             "without control characters: delete it from that header cell (or from the question's "
                             "title in the form, then export again); nothing was written")


def check_draft(files: dict[str, str], study: str, export, folder: str = "") -> tuple[object, dict]:
    """Load the drafted files as the pipeline will (schemas and cross-checks) and clean the export with them.

    A problem names the file as it will be written (`folder`/codebook.yaml), not the temporary copy checked."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            path = Path(tmp) / name
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as exc:  # a full disk or a size limit: named as the file will be, not the temporary copy
                raise type(exc)(exc.errno, exc.strerror, f"{folder or f'data/studies/{study}'}/{name}") from None
        try:
            loaded = load_study(study, tmp)
        except InputError as exc:
            message = str(exc).replace(str(Path(tmp)), folder or f"data/studies/{study}")
            raise InputError(f"{message} (in the draft; nothing was written)") from None
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
             *_resubmission_lines(guess),
             *_answer_code_lines(guess, folder),
             f"Cleaning the export with the draft: {flow['analysed']} analysed, {flow['excluded']} excluded, "
             f"{flow['quarantined']} quarantined.",
             f"Written: {', '.join(written) or 'nothing (the draft is unchanged)'}."]
    if declared:
        lines.append(f"Declared in config.yaml: {', '.join(declared)}.")
    lines.append("Next: `make` builds the chapter (manuscript/build/<wave>/resultats.docx); then see README, "
                 "\"Start a new study\", for the edits that usually follow.")
    return "\n".join(lines)


def _answer_code_lines(guess: StudyGuess, folder: str) -> list[str]:
    """What the summary says of questions whose answers are option codes (AO01…) rather than their labels."""
    coded = [g.id for g in guess.questions if in_answer_codes(g)]
    if not coded:
        return []
    return [f"Answer codes: {len(coded)} question(s) hold option codes, not their labels "
            f"({', '.join(coded[:5])}{'…' if len(coded) > 5 else ''}); the chapter would print the codes. Export the "
            "responses again with full answers and the full question texts as headings (LimeSurvey: responses \"Full "
            f"answers\", headings \"Full question text\"), or write each option's label in {folder}/codebook.yaml "
            "(comments there)."]


def _resubmission_lines(guess: StudyGuess) -> list[str]:
    """What the summary says of addresses found on several submissions (the `resubmissions:` drafted)."""
    found = guess.resubmissions
    if found is None:
        return []
    kept = {"last": "the most recent of each analysed", "all": "every one analysed: some look like different "
            "people sharing an address"}[found.keep]
    return [f"Resubmissions: {found.repeated} address(es) of {found.key!r} sent the form more than once; {kept} "
            f"(`resubmissions: keep: {found.keep}`, to check in codebook.yaml)."]


def draft_study(export_path: str | Path, study: str, wave: str, root: str | Path = ".", label: str | None = None,
                force: bool = False) -> str:
    """Draft data/studies/<study>/ from the export, declare the study and the wave; the report printed.

    Everything is checked before anything is written; a write that fails (full disk, permissions) removes
    what this run created (the study folder, the raw copy) and leaves config.yaml as it was."""
    root = Path(root)
    _check_name("study", study)
    _check_name("wave", wave)
    export_path = Path(export_path)
    if not export_path.is_absolute() and not export_path.exists():
        export_path = root / export_path
    # the project's `limits:` (a large export is drafted once its owner has raised them, as the pipeline reads it)
    export = read_export(export_path, Limits.from_config(config_limits(root / "config.yaml")))
    _check_headers(export)
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
    _loaded, flow = check_draft(files, study, export, folder_rel)
    edited = edited_files(folder, files) if folder.is_dir() else []
    if edited and not force:
        raise InputError(f"{folder}: {len(edited)} file(s) differ from what the drafter wrote (edited since, or not "
                         f"written by it): {', '.join(edited)}; nothing was written. Keep your edits, or draft again "
                         "over them with --force (make study … FORCE=1)")
    config_path = root / "config.yaml"
    declared, config_text = declaration(config_path, study, folder_rel, wave, export_rel, label or wave,
                                        root / CONFIG_SCHEMA)
    created = [p for p in (_first_missing(folder, root), _first_missing(copy_to, root) if copy_to else None) if p]
    try:
        place_export(export_path, copy_to)
        plan = write_study(folder, files, force, {"export": export_rel, "wave": wave, "study": study})
        if config_text is not None:
            atomic_write_text(config_path, config_text)
    except BaseException:
        _remove(created)
        raise
    return _summary(guess, folder_rel, export_rel, flow, plan.written + [f"removed {n}" for n in plan.removed], declared)


def _first_missing(path: Path, root: Path) -> Path | None:
    """The outermost folder (or the file) of `path` under `root` that does not exist yet: what writing it creates."""
    missing = None
    for candidate in [path, *path.parents]:
        if candidate.exists() or candidate.resolve() == root.resolve():
            break
        missing = candidate
    return missing


def _remove(created: list[Path]) -> None:
    """Undo a draft that failed while writing: what did not exist before it (folders, the raw copy)."""
    for path in created:
        with contextlib.suppress(OSError):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
