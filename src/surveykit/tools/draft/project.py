"""Put a drafted study into the project: its folder, its raw export, its declaration in config.yaml.

Drafting again never loses work: the drafter records the SHA-256 of every file it wrote
(`<study folder>/.draft.json`); a file that differs from what it wrote (edited since, or not written by
the drafter) is not overwritten unless asked (`--force`). config.yaml is edited as text, its comments
kept: the study and the wave are appended to `studies:` and `waves:`.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from surveykit.core.errors import InputError
from surveykit.core.io import atomic_path, atomic_write_text, sha256_of
from surveykit.core.yamlio import validate_data

MANIFEST = ".draft.json"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class WritePlan:
    folder: Path
    files: dict[str, str]
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        return {"files": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise InputError(f"{path}: not the drafter's record (invalid JSON); delete it to draft again") from None


def edited_files(folder: Path, files: dict[str, str]) -> list[str]:
    """Files of the folder the drafter would replace although they are not what it last wrote."""
    recorded = _manifest(folder)["files"]
    edited = []
    for name in sorted(set(files) | set(recorded)):
        path = folder / name
        if not path.is_file() or (name in files and path.read_text(encoding="utf-8") == files[name]):
            continue
        if recorded.get(name) != sha256_of(path):
            edited.append(name)
    return edited


def write_study(folder: Path, files: dict[str, str], force: bool, meta: dict) -> WritePlan:
    """Write the drafted files; refuse (InputError) when one would overwrite an edited file, unless `force`."""
    plan = WritePlan(folder, files)
    edited = [name for name in edited_files(folder, files) if name in files or (folder / name).is_file()]
    if edited and not force:
        raise InputError(f"{folder}: {len(edited)} file(s) differ from what the drafter wrote (edited since, or "
                         f"not written by it): {', '.join(edited)}; nothing was written. Keep your edits, or draft "
                         "again over them with --force (make study … FORCE=1)")
    recorded = _manifest(folder)["files"]
    for name in sorted(set(recorded) - set(files)):  # drafted before, not any more (e.g. a question retyped)
        path = folder / name
        if path.is_file() and (force or sha256_of(path) == recorded[name]):
            path.unlink()
            plan.removed.append(name)
    for name, text in sorted(files.items()):
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            plan.unchanged.append(name)
            continue
        atomic_write_text(path, text)
        plan.written.append(name)
    manifest = dict(meta) | {"files": {name: sha256_text(text) for name, text in sorted(files.items())}}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return plan


def export_location(root: Path, export: Path, wave: str) -> tuple[str, Path | None]:
    """(path of the wave's export relative to the project, file to copy there or None): an export already
    under data/raw/ stays where it is, any other is copied to data/raw/<wave>/export<suffix>."""
    export = export.resolve()
    raw = (root / "data" / "raw").resolve()
    if raw in export.parents:
        return export.relative_to(root.resolve()).as_posix(), None
    target = raw / wave / f"export{export.suffix.lower()}"
    if target.is_file() and not _same_bytes(target, export):
        raise InputError(f"{target}: another export of wave {wave!r} is already there; raw data are never "
                         "overwritten: choose another WAVE name or remove that file yourself")
    return target.relative_to(root.resolve()).as_posix(), target


def _same_bytes(one: Path, other: Path) -> bool:
    """Whether two files hold the same bytes: their sizes, then their SHA-256 (read a block at a time)."""
    return one.stat().st_size == other.stat().st_size and sha256_of(one) == sha256_of(other)


def place_export(export: Path, target: Path | None) -> None:
    """Copy the export into data/raw/<wave>/ (a file already there is identical: left as it is)."""
    if target is not None and not target.is_file():
        with atomic_path(target) as tmp:
            shutil.copyfile(export, tmp)


def config_limits(config_path: Path) -> dict | None:
    """The `limits:` section of the project's config.yaml (None when absent or unreadable: the defaults then; a
    broken config.yaml is reported when the study is declared in it)."""
    if not config_path.is_file():
        return None
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    limits = config.get("limits") if isinstance(config, dict) else None
    return limits if isinstance(limits, dict) else None


def _block_end(lines: list[str], key: str) -> int | None:
    """Index after the last line of the top-level block `key:` (its indented lines), None if absent."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*(#.*)?$", line)), None)
    if start is None:
        return None
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "\t", "#")):
            break
        if line.startswith((" ", "\t")) and line.strip():
            end = i + 1
    return end


def declare(config_path: Path, study: str, folder: str, wave: str, export: str, label: str,
            schema: Path | None) -> list[str]:
    """Append the study and the wave to config.yaml (text edit, comments kept); what was declared."""
    done, new_text = declaration(config_path, study, folder, wave, export, label, schema)
    if new_text is not None:
        atomic_write_text(config_path, new_text)
    return done


def declaration(config_path: Path, study: str, folder: str, wave: str, export: str, label: str,
                schema: Path | None) -> tuple[list[str], str | None]:
    """(what `declare` would declare, config.yaml's new text or None when unchanged), checked, nothing written.

    Every other study, wave, option and comment of the file is kept: the blocks are inserted as text."""
    text = config_path.read_text(encoding="utf-8") if config_path.is_file() else "studies:\nwaves:\n"
    if not text.strip():
        raise InputError(f"{config_path}: the file is empty (an earlier write was interrupted?); nothing was written. "
                         "Restore it (`git checkout config.yaml`, or your copy), or delete it to start a new one")
    config = yaml.safe_load(text) or {}
    studies, waves = config.get("studies") or {}, config.get("waves") or {}
    done = []
    if study in studies and studies[study].get("folder") != folder:
        raise InputError(f"{config_path}: study {study!r} is already declared with folder {studies[study].get('folder')!r}")
    if wave in waves and (waves[wave].get("study") != study or waves[wave].get("export") != export):
        raise InputError(f"{config_path}: wave {wave!r} is already declared (study {waves[wave].get('study')!r}, "
                         f"export {waves[wave].get('export')!r}); choose another WAVE name")
    lines = text.splitlines()
    additions = []
    if study not in studies:
        additions.append(("studies", [f"  {study}:", f"    folder: {folder}"]))
        done.append(f"study {study}")
    if wave not in waves:
        additions.append(("waves", [f"  {wave}:", f"    study: {study}", f"    label: {json.dumps(label, ensure_ascii=False)}",
                                    f"    export: {export}"]))
        done.append(f"wave {wave}")
    for key, block in additions:
        end = _block_end(lines, key)
        if end is None:
            lines += [f"{key}:", *block]
        else:
            lines[end:end] = block
    new_text = "\n".join(lines) + "\n"
    data = yaml.safe_load(new_text)
    if schema is not None and schema.is_file():
        validate_data(data, schema, config_path)
    if data["studies"].get(study, {}).get("folder") != folder or data["waves"].get(wave, {}).get("export") != export:
        raise InputError(f"{config_path}: could not declare the study and the wave by editing the file (unusual layout "
                         f"of `studies:` or `waves:`); add them by hand:\nstudies:\n  {study}:\n    folder: {folder}\n"
                         f"waves:\n  {wave}:\n    study: {study}\n    label: {json.dumps(label, ensure_ascii=False)}\n"
                         f"    export: {export}")
    return done, (new_text if done else None)
