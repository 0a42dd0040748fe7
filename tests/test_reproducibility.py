"""Byte-identical reruns and caching: an edit reruns only what it touches (checked with dry runs)."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline_helpers import make_project, snakemake

pytestmark = pytest.mark.pipeline

TIMING_FOLDERS = ("results/logs", "results/benchmarks")


def output_hashes(project: Path) -> dict[str, str]:
    """SHA-256 of every output except logs and benchmarks (which hold timings by design)."""
    hashes = {}
    for folder in ("results", "manuscript/build"):
        for path in sorted((project / folder).rglob("*")):
            relative = str(path.relative_to(project))
            if path.is_file() and not relative.startswith(TIMING_FOLDERS):
                hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def planned_jobs(project: Path) -> dict[str, int]:
    """Rule -> number of jobs that a dry run would execute."""
    output = snakemake(project, "-n").stdout
    if "Nothing to be done" in output:
        return {}
    table = output.split("Job stats:")[1]
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(\w+)\s+(\d+)$", table, flags=re.M) if m.group(1) != "total"}


@pytest.fixture()
def built(built_project) -> Path:
    return built_project


def _copy(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(built, target, symlinks=True)
    return target


def test_two_clean_runs_give_byte_identical_files(built, tmp_path):
    second = make_project(tmp_path)
    snakemake(second)
    first_hashes, second_hashes = output_hashes(built), output_hashes(second)
    assert any(name.endswith("resultats.docx") for name in first_hashes)
    assert any(name.endswith(".png") for name in first_hashes)
    assert first_hashes == second_hashes


def test_outputs_hold_no_absolute_path(built):
    root = str(built.resolve())
    for name in output_hashes(built):
        data = (built / name).read_bytes()
        assert root.encode() not in data, f"{name} contains the absolute project path"


def test_noop_rerun_does_nothing(built, tmp_path):
    assert planned_jobs(_copy(built, tmp_path)) == {}


def test_editing_the_template_reruns_only_the_manuscript(built, tmp_path):
    project = _copy(built, tmp_path)
    template = project / "data" / "studies" / "tele_expertise_cpts" / "resultats.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nFin du chapitre.\n", encoding="utf-8")
    # the reproduction report compares the chapter's structure with the publication: it reads the chapter
    assert set(planned_jobs(project)) == {"render_chapter", "convert_chapter", "reproduction_report", "all"}


def test_restyling_a_figure_reruns_no_statistics(built, tmp_path):
    project = _copy(built, tmp_path)
    figures = project / "data" / "studies" / "tele_expertise_cpts" / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace('caption: "Flowchart"',
                                                                  'caption: "Diagramme de flux"'), encoding="utf-8")
    jobs = planned_jobs(project)
    assert "draw_count_figures" in jobs
    assert set(jobs) <= {"draw_count_figures", "draw_statistics_figures", "render_chapter", "convert_chapter",
                         "reproduction_report", "provenance", "all"}
    assert jobs["draw_count_figures"] == 2 and jobs["render_chapter"] == 2  # both waves, nothing upstream


def test_changing_alpha_reruns_only_what_uses_it(built, tmp_path):
    project = _copy(built, tmp_path)
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    config["manuscript"]["alpha"] = 0.01
    (project / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    jobs = planned_jobs(project)
    assert "render_chapter" in jobs
    # alpha decides which global tests are followed by pairwise comparisons (analyse_wave: posthoc.csv) and the
    # letters the tables print (format_tables); the figures drawn from the statistics follow their step.
    assert set(jobs) <= {"analyse_wave", "format_tables", "draw_statistics_figures", "build_registry",
                         "render_chapter", "convert_chapter", "reproduction_report", "provenance",
                         "compare_waves", "convert_evolution", "all"}
    assert not {"clean_wave", "recode_wave", "codebook_edition", "draw_count_figures"} & set(jobs)


def test_editing_one_wave_reruns_only_that_wave_and_the_cross_wave_outputs(built, tmp_path):
    project = _copy(built, tmp_path)
    export = project / "data" / "raw" / "demo_2027" / "export.csv"
    export.write_text(export.read_text(encoding="utf-8").replace("Urbain", "Rural", 1), encoding="utf-8")
    output = snakemake(project, "-n").stdout
    assert "wave=demo_2027" in output
    assert "wave=thesis_2025" not in output
    assert "compare_waves" in planned_jobs(project)


def test_slurm_profile_dry_run(built, tmp_path):
    """The SLURM profile, with the plugin where the cluster command finds it (not in the venv, see
    test_cluster_plugin.py): short steps grouped, light rules local."""
    import subprocess
    import sys

    from surveykit.app import cluster

    if not (cluster.plugin_folder() / cluster.PLUGIN).is_dir():
        pytest.skip(f"the SLURM executor plugin is not installed in {cluster.plugin_folder()}: run `make`")
    project = _copy(built, tmp_path)
    env = cluster.cluster_environment()
    env.update(SLURM_PARTITION="surveykit_test")
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--profile", "workflow/profiles/slurm",
                             "--forceall"], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "analyse_wave" in result.stdout
    assert "Group job wave_data" in result.stdout and "Group job wave_chapter" in result.stdout


def test_provenance_names_every_rule_of_the_wave_with_its_files(built_project):
    """provenance.json's rule graph lists each rule that writes this wave's files, with the files as written
    on disk (Snakemake writes the global wildcard constraints into every pattern; they must not hide a rule)."""
    import json

    text = (built_project / "results/thesis_2025/provenance.json").read_text(encoding="utf-8")
    assert " at 0x" not in text  # an input function is named, never printed with its memory address
    graph = json.loads(text)["rules"]
    by_rule = {entry["rule"]: entry for entry in graph}
    assert {"clean_wave", "recode_wave", "analyse_wave", "render_chapter", "provenance"} <= set(by_rule)
    assert by_rule["clean_wave"]["outputs"][0].startswith("results/thesis_2025/clean/")
    for entry in graph:
        for path in entry["outputs"]:
            assert "{" not in path and (built_project / path).exists(), (entry["rule"], path)
    # the code a rule runs is named module by module, not by the fingerprint file that stands for it
    assert "src/surveykit/clean/cleaning.py" in by_rule["clean_wave"]["inputs"]
    assert not [path for entry in graph for path in entry["inputs"] if path.startswith("results/.code/")]
