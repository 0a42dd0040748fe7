"""End to end: the Snakefile runs on a scratch copy, leaves raw data untouched, and fails clearly on bad input."""
import json

import pytest

from conftest import tree_hashes
from pipeline_helpers import make_project, snakemake

pytestmark = pytest.mark.pipeline


def test_pipeline_cleans_every_wave_and_never_writes_raw_data(tmp_path):
    project = make_project(tmp_path)
    before = tree_hashes(project / "data") | tree_hashes(project / "tests" / "fixtures")
    snakemake(project)
    after = tree_hashes(project / "data") | tree_hashes(project / "tests" / "fixtures")
    assert before == after
    waves = __import__("yaml").safe_load((project / "config.yaml").read_text(encoding="utf-8"))["waves"]
    for wave in waves:
        flow = json.loads((project / "results" / wave / "clean" / "flow.json").read_text(encoding="utf-8"))
        excluded = sum(flow["excluded"].values()) + sum(flow["quarantined"].values())
        assert flow["analysed"] + excluded == flow["received"]
        assert (project / "results" / wave / "clean" / "responses.csv").is_file()


def test_a_file_asked_for_a_wave_config_yaml_does_not_declare_stops_with_its_name(tmp_path):
    """The wildcard `wave` matches any name a wave may have (not the list of the waves, which made every file
    pattern as long as the list): a wave config.yaml does not declare stops at its first input function."""
    project = make_project(tmp_path)
    result = snakemake(project, "-n", "results/autre/stats/tests.csv", check=False)
    assert result.returncode != 0
    assert ("'autre' is not a wave of config.yaml; expected one of the waves it declares (thesis_2025, demo_2027, "
            "barometre_2025)") in result.stdout + result.stderr


def test_missing_required_column_stops_the_run_with_a_clear_message(tmp_path):
    project = make_project(tmp_path)
    export = project / "data" / "raw" / "broken" / "export.csv"
    export.parent.mkdir(parents=True)
    text = (project / "tests" / "fixtures" / "export_small.csv").read_text(encoding="utf-8")
    export.write_text(text.replace(",Sexe,", ",Genre du médecin,", 1), encoding="utf-8")
    project = make_project(tmp_path / "b", {"waves": {"broken": {"study": "tele_expertise_cpts", "label": "Cassée",
                                                                 "export": str(export)}},
                                            "outside_paths": [str(export.parent)]})  # another project's folder
    result = snakemake(project, check=False)
    assert result.returncode != 0
    log = (project / "results" / "logs" / "broken" / "clean_wave.log").read_text(encoding="utf-8")
    assert "The pipeline stopped:" in log
    assert "row 1: required question 2 is missing: expected a column headed 'Sexe'" in log


def test_unknown_config_key_is_refused(tmp_path):
    project = make_project(tmp_path, {"colour": "blue"})
    result = snakemake(project, "-n", check=False)
    assert result.returncode != 0
    assert "Additional properties are not allowed ('colour' was unexpected)" in result.stdout + result.stderr


def test_lint_reports_only_the_accepted_conda_lint(tmp_path):
    project = make_project(tmp_path)
    result = snakemake(project, "--lint", check=False)
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip().startswith("*")]
    assert lines, "expected the lint output to be parsed"
    assert {line for line in lines} == {"* Specify a conda environment or container for each rule.:"}
