"""Checks of config.yaml that must run before its JSON-Schema validation, with messages that say what to do.

The schema (workflow/schemas/config.schema.yaml) validates the rest; these come first because
jsonschema would expand a structure built with YAML aliases for its error message (minutes, gigabytes)
and would report a reserved wave name only as a failed pattern."""
from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .yamlio import check_tree, refuse_aliases

# Folders the pipeline writes beside the waves' own, under results/ and manuscript/build/.
RESERVED_WAVE_NAMES = ("benchmarks", "logs", "waves")


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
