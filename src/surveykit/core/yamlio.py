"""Loading YAML data files validated against a JSON Schema, with errors that name the file."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import yaml

from .errors import InputError

# libyaml's safe loader when the wheel ships it (same documents, ~10x faster), else PyYAML's pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


ALIAS_ADVICE = ("write the value out in full: an alias can make a small file expand into gigabytes "
                "when it is validated")


def find_alias(text: str) -> tuple[int, str] | None:
    """(line, anchor) of the first YAML alias (*name) or merge key of a document, None when there is none.

    One pass of the parser over the events, before anything is built: nothing is expanded."""
    if "*" not in text:
        return None
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.anchor
    return None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None


def _yaml_error(path: Path, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    where = f", line {mark.line + 1}" if mark else ""
    return InputError(f"{path}{where}: invalid YAML ({getattr(exc, 'problem', exc)})")


def refuse_aliases(path: str | Path) -> None:
    """Stop on a YAML file that uses aliases (the "billion laughs" of anchors and aliases)."""
    path = Path(path)
    text = _read_text(path)
    try:
        alias = find_alias(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    if alias:
        raise InputError(f"{path}, line {alias[0]}: YAML alias *{alias[1]} is not allowed; {ALIAS_ADVICE}")


def check_tree(data: Any, source: str | Path) -> None:
    """Stop when a loaded structure holds the same list or mapping twice (what aliases produce).

    Each container is visited once, so a structure that would expand into billions of nodes is
    refused after a walk of its few distinct ones."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if id(node) in seen:
            raise InputError(f"{source}: the same list or mapping appears twice (a YAML alias); {ALIAS_ADVICE}")
        seen.add(id(node))
        stack.extend(node.values() if isinstance(node, dict) else node)


def load_yaml(path: str | Path) -> Any:
    """Read a YAML file, turning syntax errors into an InputError naming file and line; aliases are refused."""
    path = Path(path)
    text = _read_text(path)
    try:
        alias = find_alias(text)
        if alias:
            raise InputError(f"{path}, line {alias[0]}: YAML alias *{alias[1]} is not allowed; {ALIAS_ADVICE}")
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None


@functools.lru_cache(maxsize=64)
def _validators(schema_path: str, mtime_ns: int, size: int) -> tuple[Any, jsonschema.Draft202012Validator]:
    """A schema's two validators, read once per process (keyed by the file's path, time and size, so an edited
    schema is read again): a workflow of 100 studies validates 300 files against the same three schemas.

    jsonschema-rs (compiled) says whether a document is valid, in milliseconds where jsonschema takes most of a
    second on a codebook of 1 500 questions; jsonschema says why one is not, in the messages users know. The
    fast one decides nothing alone: a document it refuses, or cannot read (a date YAML parsed), goes to the
    other. Formats are not checked, as jsonschema does not check them either."""
    schema = load_yaml(schema_path)
    return (jsonschema_rs.Draft202012Validator(schema, validate_formats=False),
            jsonschema.Draft202012Validator(schema))


def _surely_valid(fast: Any, data: Any) -> bool:
    try:
        return fast.is_valid(data)
    except ValueError:  # a value JSON has no type for (a date, a key that is not text): jsonschema says
        return False


def validate_data(data: Any, schema_path: str | Path, source: str | Path) -> None:
    """Validate `data` against a JSON Schema; the first error names the file and the key path."""
    stat = Path(schema_path).stat()
    fast, validator = _validators(str(schema_path), stat.st_mtime_ns, stat.st_size)
    if _surely_valid(fast, data):
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        location = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise InputError(f"{source}: {location}: {first.message}")


def load_validated(path: str | Path, schema_path: str | Path) -> Any:
    """Read a YAML data file and validate it against its schema."""
    data = load_yaml(path)
    validate_data(data, schema_path, path)
    return data


def package_schema(name: str) -> Path:
    """Path of a JSON Schema shipped inside the package (src/surveykit/schemas/)."""
    return Path(__file__).resolve().parents[1] / "schemas" / name
