"""The study files' schema validation (core.yamlio.validate_data): a compiled validator (jsonschema-rs) says
quickly that a file is valid, jsonschema says why one is not. The fast one must never let through what
jsonschema refuses: checked on every study file of the project, each bent a thousand ways (a key removed,
added or renamed, a value of another type or out of its list), with the schemas the pipeline uses."""

import copy
import random
from pathlib import Path

import pytest
import yaml

from surveykit.core.errors import InputError
from surveykit.core.yamlio import _surely_valid, _validators, load_yaml, package_schema, validate_data

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = {"codebook.yaml": "codebook.schema.yaml", "analysis_plan.yaml": "analysis_plan.schema.yaml",
           "figures.yaml": "figures.schema.yaml"}


def _study_files() -> list[tuple[Path, Path]]:
    found = [(ROOT / "config.yaml", ROOT / "workflow" / "schemas" / "config.schema.yaml")]
    for folder in sorted([*(ROOT / "data" / "studies").iterdir(), *(ROOT / "tests" / "fixtures" / "studies").iterdir()]):
        found += [(folder / name, package_schema(schema)) for name, schema in SCHEMAS.items() if (folder / name).is_file()]
        found += [(path, package_schema("categories.schema.yaml")) for path in sorted(folder.glob("categories/*.yaml"))]
    return found


FILES = _study_files()
ODD_VALUES = [None, True, 0, 1.5, -3, "", "x", "Abc Déf", "a b", "abc\n", [], ["a"], [1, None], {}, {"a": 1},
              "2024-13-01", 10**12]


def _containers(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _containers(value, (*path, key))
    elif isinstance(node, list):
        yield path, node
        for index, value in enumerate(node):
            yield from _containers(value, (*path, index))


def _bent(document, rng: random.Random):
    """The document with one change a hand (or a careless tool) might make."""
    bent = copy.deepcopy(document)
    _path, node = rng.choice(list(_containers(bent)))
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    choice = rng.random()
    if not keys or choice < 0.15:
        if isinstance(node, dict):
            node[rng.choice(["extra", "id", "type", "levels", "label", "required"])] = rng.choice(ODD_VALUES)
        else:
            node.append(rng.choice(ODD_VALUES))
    elif choice < 0.35:
        del node[rng.choice(keys)]
    elif choice < 0.5 and isinstance(node, dict):
        key = rng.choice(keys)
        node[f"{key}_"] = node.pop(key)
    else:
        node[rng.choice(keys)] = rng.choice(ODD_VALUES)
    return bent


@pytest.mark.parametrize("path,schema", FILES, ids=[str(p.relative_to(ROOT)) for p, _ in FILES])
def test_the_fast_validator_never_accepts_what_jsonschema_refuses(path, schema):
    document = load_yaml(path)
    stat = schema.stat()
    fast, reference = _validators(str(schema), stat.st_mtime_ns, stat.st_size)
    assert _surely_valid(fast, document), "a valid study file is said valid by the fast validator, without jsonschema"
    rng = random.Random(path.name)
    refused = 0
    for _ in range(150):
        bent = _bent(document, rng)
        valid = reference.is_valid(bent)
        if _surely_valid(fast, bent):
            assert valid, f"jsonschema-rs accepted what jsonschema refuses: {next(reference.iter_errors(bent)).message}"
        refused += not valid
        if valid:
            validate_data(bent, schema, path)
        else:
            with pytest.raises(InputError):
                validate_data(bent, schema, path)
    assert refused >= 10  # the bends do reach the schema: many are refused


def test_a_value_json_has_no_type_for_is_judged_by_jsonschema(tmp_path):
    schema = tmp_path / "s.schema.yaml"
    schema.write_text(yaml.safe_dump({"type": "object", "properties": {"start": {"type": "string"}}}))
    with pytest.raises(InputError, match="start: datetime.date"):
        validate_data(yaml.safe_load("start: 2024-01-31"), schema, "config.yaml")
    validate_data({1: "x"}, tmp_path / "s.schema.yaml", "config.yaml")  # a key that is not text: jsonschema accepts it
