# Shared set-up: config validation, the studies' files, and the input functions of every rule.
import functools
import json
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from snakemake.io import is_callable, strip_wildcard_constraints
from snakemake.utils import validate

from surveykit.core.codedeps import script_code as _imported_code
from surveykit.project.configcheck import check_config, check_config_paths, check_study_paths
from surveykit.core.errors import InputError
from surveykit.app.pipeline import wave_targets
from surveykit.project.study import check_wave_editions, load_study


def _stop(exc):
    return WorkflowError(f"\n{'=' * 78}\nThe pipeline stopped: {exc}\n{'=' * 78}")


try:
    check_config(config)  # before the schema: aliases and reserved wave names, with a clear message
except InputError as exc:
    raise _stop(exc) from None
validate(config, schema="../schemas/config.schema.yaml")
try:
    check_config_paths(config)  # paths stay inside the project unless `outside_paths:` allows their folder
except InputError as exc:
    raise _stop(exc) from None


def _load_studies():
    """Every configured study, read and checked now, so a bad study file stops the run before any job."""
    try:
        studies = {name: load_study(name, entry["folder"]) for name, entry in config["studies"].items()}
        for study in studies.values():
            check_study_paths(study, config)
        return studies
    except InputError as exc:
        raise _stop(exc) from None


def _check_waves():
    for wave, entry in config["waves"].items():
        if entry["study"] not in STUDIES:
            raise WorkflowError(
                f"config.yaml: wave {wave!r} names the study {entry['study']!r}, which is not in "
                f"`studies` ({', '.join(sorted(STUDIES))})"
            )


STUDIES = _load_studies()
_check_waves()
WAVES = list(config["waves"])  # in the order declared: oldest wave first


def _check_editions():
    """`since`/`until` of the codebooks name waves of their own study (config order gives the editions)."""
    try:
        for name, study in STUDIES.items():
            check_wave_editions(study, [w for w in WAVES if config["waves"][w]["study"] == name])
    except InputError as exc:
        raise _stop(exc) from None


_check_editions()
# Scheduling priority of the rules on the path export -> chapter: they go first, and the side reports
# (reliability, reproduction, provenance, cross-wave) fill the idle core, which shortens a cold run.
CHAPTER_CHAIN = 10


def waves_of(study):
    """The waves of a study, oldest first."""
    return [w for w in WAVES if config["waves"][w]["study"] == study]


def wave_regex(waves):
    """Wildcard constraint matching exactly these wave names."""
    return "|".join(sorted(waves)) if waves else "(?!)"


# Studies compared across waves: those with two or more waves.
MULTI_WAVE_STUDIES = [s for s in STUDIES if len(waves_of(s)) > 1]


wildcard_constraints:
    wave=wave_regex(WAVES),
    study=wave_regex(MULTI_WAVE_STUDIES),


# Cluster resources and batching (used by the SLURM profile, workflow/profiles/slurm; a local run ignores groups,
# and its memory is capped only when `--resources mem_mb=…` is given). Declared per step, never per study.
# Steps whose time and memory grow with the respondents ask for memory in proportion to the raw export, from the
# peaks measured by `make bench` (BENCHMARKS.md, 1 000 000 respondents ≈ 390 MB of export: clean_wave 2.4 GB,
# recode_wave 1.3 GB, analyse_wave 0.9 GB), with headroom, doubled on a retry; the others read summaries only
# (≤ 200 MB measured at any size).
def _export_mb(wildcards):
    """Size of the raw export(s) a job works on, in MB: a wave's, or all of a study's waves' (known before any job
    runs, so a group of jobs gets its resources when it is submitted)."""
    waves = [wildcards.wave] if "wave" in wildcards.keys() else waves_of(wildcards.study)
    return sum(Path(config["waves"][w]["export"]).stat().st_size for w in waves) / 1e6


def export_scaled(base_mb, per_export_mb, base_minutes, minutes_per_export_gb):
    def mem_mb(wildcards, attempt):
        return int((base_mb + per_export_mb * _export_mb(wildcards)) * attempt)

    def runtime(wildcards, attempt):
        return int((base_minutes + minutes_per_export_gb * _export_mb(wildcards) / 1000) * attempt)

    return {"mem_mb": mem_mb, "runtime": runtime}


CLUSTER_RESOURCES = {
    "clean_wave": export_scaled(500, 8, 10, 20),
    "recode_wave": export_scaled(500, 5, 10, 10),
    "analyse_wave": export_scaled(500, 4, 10, 10),
    "compare_waves": export_scaled(500, 4, 10, 10),
    "light": {"mem_mb": 1000, "runtime": 15},
}
# Groups: one SLURM job runs a wave's data steps (codebook edition, clean, recode, analyse), another its chapter steps (tables,
# figures, registry, chapter, Word/HTML, reproduction report); the profile's group-components puts several
# waves in one job. Provenance and coding reliability (small files, no computation) run where Snakemake runs.
# Only in a cluster run (SURVEYKIT_CLUSTER=1, set by `make cluster` / surveykit.app.cluster and inherited by the jobs):
# Snakemake shows groups in every dry run, which would change what `snakemake -n` prints on a workstation.
if os.environ.get("SURVEYKIT_CLUSTER") == "1":
    GROUP_DATA, GROUP_CHAPTER, GROUP_STUDY = "wave_data", "wave_chapter", "study_waves"
else:
    GROUP_DATA = GROUP_CHAPTER = GROUP_STUDY = None


def script_code(script):
    """Source files of every surveykit module a rule's script (in scripts/) imports, directly or not, read from
    the imports (surveykit.core.codedeps): editing a module reruns exactly the rules whose code imports it (and, as
    always, the rules that read their outputs).

    Snakemake tracks the rule's own script; the logic lives in the package, so rules list it as input."""
    return _imported_code(Path("scripts") / script, src=CODE_ROOT)


def _code_root():
    """Where the package's source is: src/ in a checkout (editable install), else the folder the installed package
    (`pip install .`) was imported from."""
    if Path("src", "surveykit", "__init__.py").is_file():
        return "src"
    import surveykit

    return str(Path(surveykit.__file__).resolve().parent.parent)


CODE_ROOT = _code_root()


def study_of(wildcards):
    return STUDIES[config["waves"][wildcards.wave]["study"]]


def wave_export(wildcards):
    """Raw export of a wave, as declared in config.yaml."""
    return config["waves"][wildcards.wave]["export"]


def privacy_names(wildcards):
    """The list of names to mask in free text (config privacy: names:), when there is one."""
    names = config["privacy"].get("names")
    return {"names": names} if names else {}


def wave_config(wildcards):
    """Only this wave's slice of the config, so editing another wave reruns nothing here."""
    return config["waves"][wildcards.wave]


def wave_published(wildcards):
    """Transcription of the numbers a wave's publication printed (only for waves that have one)."""
    return config["waves"][wildcards.wave]["published"]


def wave_published_list(wildcards):
    """The wave's transcription of its publication as a list (empty for a wave with none): the tables compare
    the p-values they print with the published ones."""
    published = config["waves"][wildcards.wave].get("published")
    return [published] if published else []


def study_codebook_file(wildcards):
    """The study's codebook, every form edition in it."""
    return study_of(wildcards).path("codebook.yaml")


def study_wave_names(wildcards):
    """The waves of this wave's study, oldest first (they order the `since`/`until` editions)."""
    return waves_of(config["waves"][wildcards.wave]["study"])


def plan_file(wildcards):
    return study_of(wildcards).path("analysis_plan.yaml")


def figures_file(wildcards):
    return study_of(wildcards).path("figures.yaml")


def category_files(wildcards):
    """One category codebook per open question of the wave's study."""
    return study_of(wildcards).category_files


def figure_data_files(wildcards):
    """Data files the study's figures read (reference points of a study-specific figure)."""
    return study_of(wildcards).data_files


def chapter_template(wildcards):
    """The study's own chapter template, else the generic one."""
    return study_of(wildcards).template(config["manuscript"]["template"])


def tables_dir(wildcards):
    return f"results/{wildcards.wave}/tables"


def coding_files(wildcards):
    """Committed coding decisions of a wave (one CSV per coder), possibly none yet."""
    return study_of(wildcards).coding_files(wildcards.wave)


def earlier_coding_files(wildcards):
    """Main coders' decisions of the same study's waves listed before this one (carried forward to it)."""
    study = study_of(wildcards)
    waves = waves_of(study.name)
    return [f for wave in waves[: waves.index(wildcards.wave)] for f in study.main_coding_files(wave)]


def figure_files(wildcards):
    study = study_of(wildcards)
    return [f"results/{wildcards.wave}/figures/{f.id}.png" for f in sorted(study.figures, key=lambda f: f.id)]


FIGURE_SOURCES = ("counts", "statistics")  # one figure rule per source (figures.smk)


def figure_manifest(source):
    """The manifest a figure rule writes, listing the PNG and SVG files it drew for the wave."""
    return f"results/{{wave}}/figures/{source}.manifest.json"


def figure_ids(source):
    """Params function: ids of the wave's figures drawn from `source` (its study's figures.yaml)."""

    def ids(wildcards):
        return study_of(wildcards).figure_ids(source)

    return ids


def figure_manifests(wildcards):
    """Manifests of the figure rules this wave's study has figures for (a source without figures runs no job)."""
    study = study_of(wildcards)
    return [figure_manifest(s).format(wave=wildcards.wave) for s in FIGURE_SOURCES if study.figure_ids(s)]


def table_files(wildcards):
    """One CSV per table of the wave's plan (format_tables writes each, and lists them in its manifest)."""
    return [f"results/{wildcards.wave}/tables/{table}.csv" for table in study_of(wildcards).table_ids]


# `snakemake --report` (surveykit report): the files a rule lists in its manifest, not declared one by one, are
# handed to the report as inputs of that rule, flagged report(…) with the caption and category they had when
# declared. Only in a report run: a run's DAG never depends on what a previous run wrote.
REPORT_RUN = any(arg == "--report" or arg.startswith("--report=") for arg in sys.argv)
# (captions resolved here, as Snakemake resolves those of declared outputs: relative to this file's folder)
_TABLES_CAPTION, _FIGURES_CAPTION = (
    workflow.current_basedir.join(f"../report/{n}") for n in ("tables.rst", "figures.rst")
)
_REPORTED = {
    "tables": ("results/{wave}/tables/manifest.json", "csv", _TABLES_CAPTION, "Tableaux", "fichier"),
    "counts": (figure_manifest("counts"), "png", _FIGURES_CAPTION, "Figures", "figure"),
    "statistics": (figure_manifest("statistics"), "png", _FIGURES_CAPTION, "Figures", "figure"),
}


def reported_files(kind):
    """unpack() input function: in a report run, the files of `kind` the wave's manifest lists; else nothing."""

    def reported(wildcards):
        manifest_pattern, key, caption, category, label = _REPORTED[kind]
        manifest = Path(manifest_pattern.format(wave=wildcards.wave))
        if not REPORT_RUN or not manifest.is_file():
            return {}
        files = json.loads(manifest.read_text(encoding="utf-8"))[key]
        label_of = (lambda f: Path(f).name) if kind == "tables" else (lambda f: Path(f).stem)
        flag = dict(caption=caption, category=category, subcategory="{wave}")
        return {"reported": [report(f, labels={label: label_of(f)}, **flag) for f in files]}

    return reported


def study_responses(wildcards):
    return expand(rules.clean_wave.output.responses, wave=waves_of(wildcards.study))


def study_wave_labels(wildcards):
    return [
        {"name": w, "label": config["waves"][w]["label"], "synthetic": bool(config["waves"][w].get("synthetic", False))}
        for w in waves_of(wildcards.study)
    ]


def study_codebook(wildcards):
    return STUDIES[wildcards.study].path("codebook.yaml")


def study_plan(wildcards):
    return STUDIES[wildcards.study].path("analysis_plan.yaml")


def evolution_template(wildcards):
    return STUDIES[wildcards.study].evolution_template(config["manuscript"]["evolution_template"])


def wave_outputs(wave):
    """Final outputs of one wave (surveykit.app.pipeline.wave_targets, which `surveykit run --wave <wave>` builds)."""
    return wave_targets(wave, config["waves"][wave])


def all_outputs():
    """Final outputs of every configured wave, and the cross-wave section of each study with several waves."""
    cross_wave = expand(
        [rules.convert_evolution.output.html, rules.convert_evolution.output.docx], study=MULTI_WAVE_STUDIES
    )
    return cross_wave + [target for wave in WAVES for target in wave_outputs(wave)]


def _as_written(item):
    # (not named `_pattern`: Snakemake formats a group job's name with the workflow's globals as keyword arguments
    # of snakemake.utils.format(_pattern, …), so a global of that name makes every group job fail to submit)
    """An input or output as written in its rule, without wildcard constraints (Snakemake writes the global
    ones into every pattern: `{wave,a|b}`); input functions are named, not called."""
    if is_callable(item):
        function = getattr(item, "_file", item)  # the function, or its unpack() annotation
        function = getattr(function, "callable", None) or function
        return f"<{getattr(function, '__name__', 'function')}()>"
    return strip_wildcard_constraints(str(item))


@functools.cache
def _wave_rule_graph():
    """The rules whose outputs are a wave's files, as written ({wave} left in): the same for every wave, since no
    rule is defined per study or wave (computed once, not once per wave)."""
    graph = []
    for step in sorted(workflow.rules, key=lambda r: r.name):
        outputs = [_as_written(o) for o in step.output]
        if any("{wave}" in o for o in outputs):
            graph.append((step.name, outputs, [_as_written(i) for i in step.input]))
    return graph


def rule_graph(wildcards):
    """Which rule makes which file of this wave, from which inputs (for provenance.json)."""
    wave = wildcards.wave
    return [
        {
            "rule": name,
            "outputs": [o.replace("{wave}", wave) for o in outputs],
            "inputs": [i.replace("{wave}", wave) for i in inputs],
        }
        for name, outputs, inputs in _wave_rule_graph()
    ]


def config_slice(wildcards):
    """The part of config.yaml that shapes this wave's results."""
    study = config["waves"][wildcards.wave]["study"]
    shared = {key: config[key] for key in sorted(config) if key not in ("waves", "studies")}
    return shared | {"wave": wave_config(wildcards), "study": {study: config["studies"][study]}}


def study_files(wildcards):
    study = study_of(wildcards)
    return [study.path(name) for name in ("codebook.yaml", "analysis_plan.yaml", "figures.yaml")] + study.data_files
