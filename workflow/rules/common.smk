# Shared set-up: config validation, the studies' files, and the input functions of every rule.
import functools
import json
import os
import sys
from pathlib import Path

from snakemake.common import get_function_params, overwrite_function_params
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
# The waves of each study, oldest first (read by input functions at every job: listed once here).
_WAVES_OF = {name: [w for w in WAVES if config["waves"][w]["study"] == name] for name in STUDIES}


def waves_of(study):
    """The waves of a study, oldest first."""
    return list(_WAVES_OF.get(study, ()))


def _check_editions():
    """`since`/`until` of the codebooks name waves of their own study (config order gives the editions)."""
    try:
        for name, study in STUDIES.items():
            check_wave_editions(study, waves_of(name))
    except InputError as exc:
        raise _stop(exc) from None


_check_editions()
# Scheduling priority of the rules on the path export -> chapter: they go first, and the side reports
# (reliability, reproduction, provenance, cross-wave) fill the idle core, which shortens a cold run.
CHAPTER_CHAIN = 10


def wave_entry(wave):
    """config.yaml's entry of a wave; a file asked for a wave config.yaml does not declare stops here, by name."""
    try:
        return config["waves"][wave]
    except KeyError:
        raise WorkflowError(
            f"{wave!r} is not a wave of config.yaml; expected one of the waves it declares "
            f"({', '.join(WAVES[:5])}{', …' if len(WAVES) > 5 else ''})"
        ) from None


def wave_regex(names):
    """Wildcard constraint matching exactly these names."""
    return "|".join(sorted(names)) if names else "(?!)"


# Studies compared across waves: those with two or more waves.
MULTI_WAVE_STUDIES = [s for s in STUDIES if len(waves_of(s)) > 1]
# The wildcard `wave` matches any name config.schema.yaml allows a wave, not the list of the waves: Snakemake writes
# a constraint into every file pattern of the rules and substitutes and matches through it at each job, so a list
# of 1 000 waves made the patterns 20 kB long and their matching most of a dry run. A name config.yaml does not
# declare stops in the first input function (wave_entry). `study` lists the (far fewer) studies compared.
WAVE_NAME = r"[a-z][a-z0-9_]*"


wildcard_constraints:
    wave=WAVE_NAME,
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
    return sum(_export_bytes(w) for w in waves) / 1e6


@functools.cache
def _export_bytes(wave):
    """(read once per wave: each of its data steps asks, for its memory and its time)"""
    return Path(wave_entry(wave)["export"]).stat().st_size


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
    """The code input of the rules running scripts/<script>, the fingerprint of every surveykit module the script
    imports, directly or not (rule code_fingerprint, workflow/rules/code.smk), rewritten when one of them changes,
    so editing a module reruns exactly the rules whose code imports it (and, as always, the rules that read their
    outputs).

    Snakemake tracks the rule's own script; the logic lives in the package, so rules list it as input: one file
    per job, whose own inputs are the modules (one fingerprint job per script, not one list per job)."""
    return f"{CODE_FINGERPRINTS}/{Path(script).stem}.sha256"


CODE_FINGERPRINTS = "results/.code"


def script_modules(wildcards):
    """Source files of every surveykit module scripts/<script>.py imports, directly or not, read from the imports
    (surveykit.core.codedeps), in the order of their paths."""
    return _script_modules(wildcards.script)


def _script_modules(script):
    return _imported_code(Path("scripts") / f"{script}.py", src=CODE_ROOT)


def _code_root():
    """Where the package's source is: src/ in a checkout (editable install), else the folder the installed package
    (`pip install .`) was imported from."""
    if Path("src", "surveykit", "__init__.py").is_file():
        return "src"
    import surveykit

    return str(Path(surveykit.__file__).resolve().parent.parent)


CODE_ROOT = _code_root()


def study_of(wildcards):
    return STUDIES[wave_entry(wildcards.wave)["study"]]


def wave_export(wildcards):
    """Raw export of a wave, as declared in config.yaml."""
    return wave_entry(wildcards.wave)["export"]


def privacy_names(wildcards):
    """The list of names to mask in free text (config privacy: names:), when there is one."""
    names = config["privacy"].get("names")
    return {"names": names} if names else {}


def wave_config(wildcards):
    """Only this wave's slice of the config, so editing another wave reruns nothing here."""
    return wave_entry(wildcards.wave)


def wave_published(wildcards):
    """Transcription of the numbers a wave's publication printed (only for waves that have one)."""
    return wave_entry(wildcards.wave)["published"]


def wave_published_list(wildcards):
    """The wave's transcription of its publication as a list (empty for a wave with none): the tables compare
    the p-values they print with the published ones."""
    published = wave_entry(wildcards.wave).get("published")
    return [published] if published else []


def study_codebook_file(wildcards):
    """The study's codebook, every form edition in it."""
    return study_of(wildcards).path("codebook.yaml")


def study_wave_names(wildcards):
    """The waves of this wave's study, oldest first (they order the `since`/`until` editions)."""
    return waves_of(wave_entry(wildcards.wave)["study"])


def plan_file(wildcards):
    return study_of(wildcards).path("analysis_plan.yaml")


def figures_file(wildcards):
    return study_of(wildcards).path("figures.yaml")


def category_files(wildcards):
    """One category codebook per open question of the wave's study."""
    return list(_category_files(wave_entry(wildcards.wave)["study"]))


@functools.cache
def _category_files(study):
    """(listed once per study, not at each of its waves' jobs)"""
    return tuple(STUDIES[study].category_files)


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
    return list(_coding_files(wildcards.wave))


@functools.cache
def _coding_files(wave):
    """(listed once per wave: its recoding and its reliability read them)"""
    return tuple(STUDIES[wave_entry(wave)["study"]].coding_files(wave))


def earlier_coding_files(wildcards):
    """Main coders' decisions of the same study's waves listed before this one (carried forward to it)."""
    return list(_carried_coding_files(wave_entry(wildcards.wave)["study"])[wildcards.wave])


@functools.cache
def _carried_coding_files(study):
    """Each wave of a study → the main coders' decisions of its earlier waves, listed once for the study (listing
    them again at each wave's job read every earlier wave's folder: 500 000 folders for 1 000 waves)."""
    carried, earlier = {}, ()
    for wave in waves_of(study):
        carried[wave] = earlier
        earlier += tuple(STUDIES[study].main_coding_files(wave))
    return carried


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
        {"name": w, "label": wave_entry(w)["label"], "synthetic": bool(wave_entry(w).get("synthetic", False))}
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
    return wave_targets(wave, wave_entry(wave))


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
            graph.append((step.name, outputs, [f for i in step.input for f in _code_files_of(_as_written(i))]))
    return graph


def _code_files_of(written):
    """An input as written, or, for a code fingerprint, the code files it fingerprints: provenance names the
    modules each rule runs, not the file that stands for them."""
    folder, _, name = written.rpartition("/")
    if folder != CODE_FINGERPRINTS or not name.endswith(".sha256"):
        return [written]
    return _script_modules(name.removesuffix(".sha256"))


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
    study = wave_entry(wildcards.wave)["study"]
    shared = {key: config[key] for key in sorted(config) if key not in ("waves", "studies")}
    return shared | {"wave": wave_config(wildcards), "study": {study: config["studies"][study]}}


def study_files(wildcards):
    study = study_of(wildcards)
    return [study.path(name) for name in ("codebook.yaml", "analysis_plan.yaml", "figures.yaml")] + study.data_files


def introspect_functions_once():
    """Snakemake reads the signature of an input or params function (inspect.signature) each time it calls it, at
    every job: 30 000 times in a dry run of 100 studies × 3 waves. Once every rule is defined, each function's
    signature is read once here and kept on it (overwrite_function_params, as Snakemake's own wrappers do)."""
    for step in workflow.rules:
        for item in [*step.input, *step.params]:
            function = getattr(getattr(item, "_file", None), "callable", None) or item
            if callable(function) and not isinstance(function, type):
                overwrite_function_params(function, get_function_params(function))


def keep_filled_coding_sheets(log=None):
    """Before any job runs: a coding sheet filled where recode_wave wrote it is copied to the wave's decisions
    folder, since this run may replace it (openpyxl is imported only when a sheet was saved after its job)."""
    for wave in WAVES:
        sheet, review = (Path(rules.recode_wave.output[key].format(wave=wave)) for key in ("sheet", "review"))
        if not (sheet.is_file() and review.is_file() and sheet.stat().st_mtime > review.stat().st_mtime + 1):
            continue
        from surveykit.recode import keep_filled_sheet

        study = config["waves"][wave]["study"]
        kept = keep_filled_sheet(sheet, review, STUDIES[study].coding_folder(wave))
        if kept is not None:
            print(
                f"{sheet} was filled in place and this run may replace it: a copy is kept as {kept}. "
                f"Add its codes with: make decisions SHEET={kept} STUDY={study} WAVE={wave} "
                f"CODER=<your initials>",
                file=sys.stderr,
            )
