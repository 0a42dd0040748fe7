"""Editing a module of the package reruns exactly the rules whose code imports it (checked with Snakemake's dry run).

Each rule running a script lists one code input, the fingerprint of that script's code (rule code_fingerprint,
one job per script, whose inputs are every package module the script imports). A scratch copy of the project
gets every output of the bundled study's two waves, fingerprints included, as an empty file newer than all its
inputs (a build in all but content, with no Snakemake metadata: only modification times can trigger a rerun,
which is what an edited module does). The modules each script should depend on are computed independently of
surveykit.core.codedeps, from the bytecode (tests/codedeps_helpers.py)."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from codedeps_helpers import bytecode_imports, is_tool, module_files, module_name
from pipeline_helpers import BUNDLED_CONFIG, THESIS, make_project, snakemake

pytestmark = pytest.mark.pipeline

# Parsed like the Snakefile, then every rule's script and code input written down (rules running a script).
INSPECT = '''include: "Snakefile"

import json as _json
from pathlib import Path as _Path

with open("rules.json", "w") as _handle:
    _json.dump({_rule.name: {"script": _Path(_rule.script).name if _rule.script else None,
                             "code": str(_rule.input.get("code")) if _rule.script else None}
                for _rule in workflow.rules}, _handle)
'''
# Edited one at a time: a module only the recoding rules import (it once left reliability tables stale), one
# the registry and the chapter import (once missing from their lists), the number formatting most rules import,
# a part of the split audit, and a tool no rule may import.
SAMPLE = ["src/surveykit/recode/reliability.py", "src/surveykit/manuscript/prose.py", "src/surveykit/core/fmt.py",
          "src/surveykit/reproduction/audit/lattice.py", "src/surveykit/tools/reconstruct/rounding.py"]
INPUT_DIRS = ("src", "scripts", "data", "workflow", "manuscript", "tests")
UPDATED, UPSTREAM = "Updated input files: ", "Input files updated by another job: "
FINGERPRINT, FINGERPRINTS = "code_fingerprint", "results/.code"  # the rule, and the folder of its outputs
JOB = re.compile(r"^(?:local)?rule (\S+):\n(.*?)(?=^\S|\Z)", re.M | re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A scratch project of the bundled study (two waves: every kind of rule) whose outputs are all up to date.

    Returns the project, each rule's script and code input as Snakemake parsed them, each rule's output files,
    and the time every input was set to."""
    config = copy.deepcopy(BUNDLED_CONFIG)
    config["studies"] = {THESIS: config["studies"][THESIS]}
    config["waves"] = {wave: entry for wave, entry in config["waves"].items() if entry["study"] == THESIS}
    project = make_project(tmp_path_factory.mktemp("code_inputs"), base=config)
    (project / "inspect.smk").write_text(INSPECT, encoding="utf-8")
    summary = snakemake(project, "-s", "inspect.smk", "--summary", "all").stdout
    outputs: dict[str, list[str]] = {}
    for line in summary.splitlines()[1:]:
        if "\t" in line:
            path, _, rule = line.split("\t")[:3]
            outputs.setdefault(rule, []).append(path)
    past, now = time.time() - 3600, time.time()
    for path in (p for root in INPUT_DIRS for p in (project / root).rglob("*") if p.is_file()):
        os.utime(path, (past, past))
    for path in (project / output for paths in outputs.values() for output in paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (now, now))
    assert "Nothing to be done" in snakemake(project, "-n").stdout
    rules = json.loads((project / "rules.json").read_text(encoding="utf-8"))
    return project, {name: rule for name, rule in rules.items() if rule["script"]}, outputs, past


def _expected_code(script: str) -> list[str]:
    return module_files(bytecode_imports(Path(__file__).resolve().parents[1] / "scripts" / script))


def _fingerprint(script: str) -> str:
    return f"{FINGERPRINTS}/{Path(script).stem}.sha256"


def _field(body: str, name: str) -> str:
    found = re.search(rf"^\s*{name}: (.*)$", body, re.M)
    return found.group(1) if found else ""


def _jobs(dry_run: str) -> list[dict]:
    """Each job of a dry run: its rule, inputs, wildcards, the inputs it names as updated, and the inputs it names
    as updated by another (rerunning) job."""
    jobs = []
    for rule, body in JOB.findall(dry_run):
        clauses = _field(body, "reason").split("; ")
        named = {kind: set(c[len(kind):].split(", ")) for c in clauses for kind in (UPDATED, UPSTREAM)
                 if c.startswith(kind)}
        wildcards = dict(w.split("=", 1) for w in _field(body, "wildcards").split(", ") if "=" in w)
        jobs.append({"rule": rule, "input": set(filter(None, _field(body, "input").split(", "))),
                     "wildcards": wildcards, "updated": named.get(UPDATED, set()),
                     "upstream": named.get(UPSTREAM, set())})
    return jobs


def _fingerprint_jobs(jobs: list[dict]) -> dict[str, dict]:
    """Jobs of rule code_fingerprint, by the script they fingerprint ("recode_wave")."""
    return {job["wildcards"]["script"]: job for job in jobs if job["rule"] == FINGERPRINT}


def test_each_rule_lists_the_fingerprint_of_its_script_as_its_code(built):
    _, rules, _, _ = built
    assert {"clean_wave", "recode_wave", "coding_reliability", "analyse_wave", "build_registry", "render_chapter",
            "convert_chapter", "reproduction_report", "provenance", "compare_waves", "convert_evolution"} <= set(rules)
    for name, rule in rules.items():
        assert rule["code"] == _fingerprint(rule["script"]), name  # one file, not a list of modules


def test_each_fingerprint_lists_the_code_its_script_imports(built):
    """Every fingerprint job of the DAG, forced: its inputs are exactly the package modules its script imports
    (no tool), and there is one per script a rule runs."""
    project, rules, _, _ = built
    jobs = _jobs(snakemake(project, "-n", "--forcerun", FINGERPRINT).stdout)
    fingerprints = _fingerprint_jobs(jobs)
    assert set(fingerprints) == {Path(rule["script"]).stem for rule in rules.values()}
    for name, rule in rules.items():
        code = sorted(fingerprints[Path(rule["script"]).stem]["input"])
        assert code == _expected_code(rule["script"]), name
        assert not [f for f in code if is_tool(module_name(f))], name
    assert not [job["rule"] for job in jobs if job["rule"] != FINGERPRINT and
                any(f.startswith("src/") for f in job["input"])]


def test_a_fingerprint_holds_the_hash_of_each_module_of_its_script(tmp_path):
    """The file a rule depends on changes whenever one of its modules does: it holds their SHA-256, path by path."""
    project = make_project(tmp_path, {"waves": {"thesis_2025": BUNDLED_CONFIG["waves"]["thesis_2025"]}})
    target = _fingerprint("recode_wave.py")
    snakemake(project, target)
    expected = "".join(f"{hashlib.sha256((project / f).read_bytes()).hexdigest()}  {f}\n"
                       for f in _expected_code("recode_wave.py"))
    assert (project / target).read_text(encoding="utf-8") == expected
    assert "src/surveykit/recode/reliability.py" in expected


def test_with_every_module_edited_each_fingerprint_names_exactly_its_code(built):
    """Every module newer than the outputs: each fingerprint job names as updated inputs exactly the modules its
    script imports, and every job of a rule running a script reruns because its script's fingerprint does."""
    project, rules, _, past = built
    modules = sorted((project / "src").rglob("*.py"))
    later = time.time() + 60
    try:
        for path in modules:
            os.utime(path, (later, later))
        jobs = _jobs(snakemake(project, "-n").stdout)
    finally:
        for path in modules:
            os.utime(path, (past, past))
    fingerprints = _fingerprint_jobs(jobs)
    for name, rule in rules.items():
        assert sorted(fingerprints[Path(rule["script"]).stem]["updated"]) == _expected_code(rule["script"]), name
    steps = [job for job in jobs if job["rule"] in rules]
    assert {job["rule"] for job in steps} == set(rules)
    for job in steps:
        assert _fingerprint(rules[job["rule"]]["script"]) in job["upstream"], job["rule"]


@pytest.mark.parametrize("module", SAMPLE)
def test_editing_a_module_reruns_exactly_the_rules_importing_it(built, module):
    """A real edit: exactly the fingerprints of the scripts importing the module rerun, each naming the module as
    its reason; exactly the rules running those scripts rerun because their fingerprint does; any other job reruns
    only because an upstream job does."""
    project, rules, _, past = built
    expected = {name for name, rule in rules.items() if module in _expected_code(rule["script"])}
    path = project / module
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited\n")
        jobs = _jobs(snakemake(project, "-n").stdout)
    finally:
        path.write_bytes(original)
        os.utime(path, (past, past))
    fingerprints = _fingerprint_jobs(jobs)
    assert set(fingerprints) == {Path(rules[name]["script"]).stem for name in expected}
    assert all(job["updated"] == {module} for job in fingerprints.values())
    steps = [job for job in jobs if job["rule"] in rules]
    assert {job["rule"] for job in steps if _fingerprint(rules[job["rule"]]["script"]) in job["upstream"]} == expected
    assert all(job["upstream"] and not job["updated"] for job in jobs if job["rule"] not in (FINGERPRINT, "all"))
    if not expected:
        assert not jobs
