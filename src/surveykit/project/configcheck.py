"""Checks of config.yaml that must run before its JSON-Schema validation, with messages that say what to do.

The schema (workflow/schemas/config.schema.yaml) validates the rest; these come first because
jsonschema would expand a structure built with YAML aliases for its error message (minutes, gigabytes)
and would report a reserved wave name only as a failed pattern."""
from __future__ import annotations

from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.core.yamlio import check_tree, refuse_aliases

# Folders the pipeline writes beside the waves' own, under results/ and manuscript/build/.
RESERVED_WAVE_NAMES = ("benchmarks", "logs", "waves")
MAX_NAME = 64  # a study or wave name is a folder name: every file system (and Windows' 260-character paths) takes it


def check_config_file(path: str | Path) -> None:
    """Before Snakemake loads the file: refuse YAML aliases (Snakemake's own merge would expand them)."""
    if Path(path).is_file():
        refuse_aliases(path)


def check_config(config: dict, source: str = "config.yaml") -> None:
    """Refuse shared structures (aliases given another way, e.g. --configfile) and reserved wave names."""
    check_tree(config, source)
    waves = config.get("waves") if isinstance(config, dict) else None
    for name in waves if isinstance(waves, dict) else ():
        if name in RESERVED_WAVE_NAMES:
            raise InputError(f"{source}: waves: {name!r} is a reserved name (the pipeline writes results/{name}/ "
                             f"for itself; reserved: {', '.join(RESERVED_WAVE_NAMES)}); expected another wave name")
    studies = config.get("studies") if isinstance(config, dict) else None
    for name in studies if isinstance(studies, dict) else ():
        if name in RESERVED_WAVE_NAMES:
            raise InputError(f"{source}: studies: {name!r} is a reserved name (the pipeline's own folders are named "
                             f"{', '.join(RESERVED_WAVE_NAMES)}); expected another study name")
    for section in ("studies", "waves"):
        entries = config.get(section) if isinstance(config, dict) else None
        for name in entries if isinstance(entries, dict) else ():
            if isinstance(name, str) and len(name) > MAX_NAME:
                raise InputError(f"{source}: {section}: {name[:20]}… ({len(name)} characters): too long for a folder "
                                 f"name; expected at most {MAX_NAME} characters")


# ------------------------------------------------------------------ paths stay inside the project

OUTSIDE_KEY = "outside_paths"
# Every path config.yaml names: (key path for the message, getter).
_CONFIG_PATHS = (
    ("studies: {name}: folder", "studies", "folder"),
    ("waves: {name}: export", "waves", "export"),
    ("waves: {name}: published", "waves", "published"),
)
_SECTION_PATHS = (("manuscript", "template"), ("manuscript", "evolution_template"), ("manuscript", "css"),
                  ("privacy", "names"))


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def confine(value: str, where: str, root: Path, allowed: list[Path], source: str = "config.yaml") -> None:
    """Stop when the path `value` (relative to the project `root`, or absolute) leads outside the project and
    outside every folder `outside_paths` allows; `where` is the key as the user reads it."""
    path = Path(value).expanduser()
    resolved = (path if path.is_absolute() else root / path).resolve()
    if _inside(resolved, [root.resolve(), *allowed]):
        return
    raise InputError(
        f"{source}: {where}: {value!r} leads outside the project folder ({root.resolve()}); a path in config.yaml or "
        "in a study file must stay inside the project, so that a configuration or a study folder received from "
        "someone else cannot read other files of your computer into the outputs. Move the file into the project "
        f"(e.g. data/raw/<wave>/), or allow its folder explicitly in config.yaml: {OUTSIDE_KEY}: "
        f"[{str(resolved.parent)!r}]")


def allowed_outside(config: dict, root: Path) -> list[Path]:
    """The folders outside the project that config.yaml explicitly allows (`outside_paths:`)."""
    return [(root / Path(folder).expanduser()).resolve() for folder in config.get(OUTSIDE_KEY) or []]


def check_config_paths(config: dict, root: str | Path = ".") -> None:
    """Every path config.yaml names stays inside the project, unless `outside_paths:` allows its folder."""
    root = Path(root)
    allowed = allowed_outside(config, root)
    for label, section, key in _CONFIG_PATHS:
        for name, entry in (config.get(section) or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                confine(entry[key], label.format(name=name), root, allowed)
    for section, key in _SECTION_PATHS:
        value = (config.get(section) or {}).get(key)
        if isinstance(value, str):
            confine(value, f"{section}: {key}", root, allowed)


def check_study_paths(study, config: dict, root: str | Path = ".") -> None:
    """The files a study folder names (figures' `data:`) stay inside the project, unless allowed."""
    root = Path(root)
    allowed = allowed_outside(config, root)
    for figure in study.figures:
        if figure.data:
            confine(study.path(figure.data), f"figure {figure.id}: data", root, allowed,
                    source=f"{study.folder}/figures.yaml")
