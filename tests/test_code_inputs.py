"""Editing a module of the package reruns exactly the rules whose code imports it (checked with Snakemake's dry run).

A scratch copy of the project gets every output of the bundled study's two waves as an empty file newer than
all its inputs (a build in all but content, with no Snakemake metadata: only modification times can trigger a
rerun, which is what an edited module does). The rules each edit should rerun are computed independently of
surveykit.core.codedeps, from the bytecode (tests/codedeps_helpers.py)."""
from __future__ import annotations

import copy
import json
import os
import re
import time
from pathlib import Path

import pytest
from codedeps_helpers import bytecode_imports, is_tool, module_files, module_name
from pipeline_helpers import BUNDLED_CONFIG, THESIS, make_project, snakemake

pytestmark = pytest.mark.pipeline

# Parsed like the Snakefile, then every rule's script and code input written down.
INSPECT = '''include: "Snakefile"

import json as _json
from pathlib import Path as _Path

with open("rules.json", "w") as _handle:
    _json.dump({_rule.name: {"script": _Path(_rule.script).name if _rule.script else None,
                             "code": [str(_file) for _file in (_rule.input.get("code") or [])]}
                for _rule in workflow.rules}, _handle)
'''
# Edited one at a time: a module only the recoding rules import (it once left reliability tables stale), one
# the registry and the chapter import (once missing from their lists), the number formatting most rules import,
# a part of the split audit, and a tool no rule may import.
SAMPLE = ["src/surveykit/recode/reliability.py", "src/surveykit/manuscript/prose.py", "src/surveykit/core/fmt.py",
          "src/surveykit/reproduction/audit/lattice.py", "src/surveykit/tools/reconstruct/rounding.py"]
INPUT_DIRS = ("src", "scripts", "data", "workflow", "manuscript", "tests")
UPDATED, UPSTREAM = "Updated input files: ", "Input files updated by another job: "
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


def _jobs(dry_run: str) -> list[tuple[str, set[str], bool]]:
    """(rule, package files it names as updated inputs, whether an upstream job also reruns) of each job."""
    jobs = []
    for rule, body in JOB.findall(dry_run):
        reason = re.search(r"^\s*reason: (.*)$", body, re.M)
        clauses = reason.group(1).split("; ") if reason else []
        updated = [c[len(UPDATED):] for c in clauses if c.startswith(UPDATED)]
        files = {f for f in (updated[0].split(", ") if updated else []) if f.startswith("src/")}
        jobs.append((rule, files, any(c.startswith(UPSTREAM) for c in clauses)))
    return jobs


def test_each_rule_lists_the_code_its_script_imports(built):
    _, rules, _, _ = built
    assert {"clean_wave", "recode_wave", "coding_reliability", "analyse_wave", "build_registry", "render_chapter",
            "convert_chapter", "reproduction_report", "provenance", "compare_waves", "convert_evolution"} <= set(rules)
    for name, rule in rules.items():
        assert rule["code"] == _expected_code(rule["script"]), name
        assert not [f for f in rule["code"] if is_tool(module_name(f))], name


def test_with_every_module_edited_each_job_names_exactly_its_code(built):
    """Every module newer than the outputs: each job names as updated inputs exactly the modules its script
    imports, so editing one module reruns exactly the rules importing it.

    Snakemake names a job's own updated inputs only when no upstream job reruns, so the rules are checked in
    rounds: those whose upstream jobs are up to date first, then, with these left out of the run
    (--allowed-rules), the next ones; as many rounds as the rules' graph is deep."""
    project, rules, outputs, past = built
    modules = sorted((project / "src").rglob("*.py"))
    later = time.time() + 60
    remaining, rounds = set(rules), 0
    try:
        for path in modules:
            os.utime(path, (later, later))
        while remaining and rounds < len(rules):
            rounds += 1
            targets = [path for rule in sorted(remaining) for path in outputs[rule]]
            jobs = _jobs(snakemake(project, "-n", "--allowed-rules", *sorted(remaining), "--", *targets).stdout)
            assert {rule for rule, _, _ in jobs} == remaining
            checked = {rule for rule, _, upstream in jobs if not upstream}
            for rule, files, upstream in jobs:
                if rule in checked:
                    assert not upstream and sorted(files) == _expected_code(rules[rule]["script"]), rule
            remaining -= checked
    finally:
        for path in modules:
            os.utime(path, (past, past))
    assert not remaining and rounds <= 6


@pytest.mark.parametrize("module", SAMPLE)
def test_editing_a_module_reruns_exactly_the_rules_importing_it(built, module):
    """A real edit: each rule importing the module reruns, and every job that names the module as its reason
    belongs to such a rule (any other job reruns only because an upstream job does)."""
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
    assert {rule for rule, files, _ in jobs if module in files} <= expected
    assert {rule for rule, _, _ in jobs} >= expected
    assert all(upstream for rule, files, upstream in jobs if rule != "all" and module not in files)
    if not expected:
        assert not jobs
