"""Loading YAML data files validated against a JSON Schema, with errors that name the file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import InputError

# libyaml's safe loader when the wheel ships it (same documents, ~10x faster), else PyYAML's pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: str | Path) -> Any:
    """Read a YAML file, turning syntax errors into an InputError naming file and line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from None


def validate_data(data: Any, schema_path: str | Path, source: str | Path) -> None:
    """Validate `data` against a JSON Schema; the first error names the file and the key path."""
    schema = load_yaml(schema_path)
    validator = jsonschema.Draft202012Validator(schema)
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
    return Path(__file__).parent / "schemas" / name
