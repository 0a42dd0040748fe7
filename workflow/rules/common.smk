# Shared set-up: config validation, study files, and the input functions of every rule.
from pathlib import Path

import yaml
from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")

WAVES = list(config["waves"])  # in the order declared: oldest wave first
WAVE_LABELS = [
    {"name": w, "label": config["waves"][w]["label"], "synthetic": bool(config["waves"][w].get("synthetic", False))}
    for w in WAVES
]
STUDY = config["study"]
# Scheduling priority of the rules on the path export -> chapter: they go first, and the side reports
# (reliability, reproduction, provenance, cross-wave) fill the idle core, which shortens a cold run.
CHAPTER_CHAIN = 10


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


TABLE_IDS = [table["id"] for table in _load(STUDY["analysis_plan"])["tables"]]
FIGURES = {figure["id"]: figure for figure in _load(STUDY["figures"])["figures"]}
OPEN_QUESTIONS = sorted(f["question"] for f in FIGURES.values() if f["kind"] == "categories")
# Figures by what they are drawn from (one job each): counts are ready before the statistics.
COUNT_FIGURE_KINDS = ("flowchart", "categories")
FIGURE_GROUPS = {
    "counts": sorted(i for i, f in FIGURES.items() if f["kind"] in COUNT_FIGURE_KINDS),
    "statistics": sorted(i for i, f in FIGURES.items() if f["kind"] not in COUNT_FIGURE_KINDS),
}


wildcard_constraints:
    wave="|".join(sorted(WAVES)),


def package_code(*modules):
    """Source files of the surveykit modules a step runs, so that editing that code reruns that step only.

    Snakemake tracks the rule's own script; the logic lives in the package, so rules list it as input."""
    files = []
    for module in modules:
        path = Path("src/surveykit") / module
        files += sorted(str(p) for p in path.rglob("*.py")) if path.is_dir() else [f"{path}.py"]
    return files


def wave_export(wildcards):
    """Raw export of a wave, as declared in config.yaml."""
    return config["waves"][wildcards.wave]["export"]


def wave_config(wildcards):
    """Only this wave's slice of the config, so editing another wave reruns nothing here."""
    return config["waves"][wildcards.wave]


def wave_published(wildcards):
    """Transcription of the numbers a wave's publication printed (only for waves that have one)."""
    return config["waves"][wildcards.wave]["published"]


def tables_dir(wildcards):
    return f"results/{wildcards.wave}/tables"


def coding_files(wildcards):
    """Committed coding decisions of a wave (one CSV per coder), possibly none yet."""
    folder = f"{STUDY['coding_dir']}/{wildcards.wave}"
    return sorted(str(p) for p in Path(folder).glob("*.csv")) if Path(folder).is_dir() else []


def main_coding_files(wave):
    """The main coder's decisions of a wave (file name ending in _main.csv); others are second coders."""
    folder = Path(STUDY["coding_dir"]) / wave
    return sorted(str(p) for p in folder.glob("*_main.csv")) if folder.is_dir() else []


def earlier_coding_files(wildcards):
    """Main coders' decisions of the waves listed before this one (carried forward to it)."""
    return [f for wave in WAVES[: WAVES.index(wildcards.wave)] for f in main_coding_files(wave)]


def figure_files(wildcards):
    return expand("results/{wave}/figures/{figure}.png", wave=wildcards.wave, figure=sorted(FIGURES))


def all_outputs():
    """Final outputs of every configured wave (and the reproduction report where a publication exists)."""
    published = [w for w in WAVES if config["waves"][w].get("published")]
    cross_wave = ["manuscript/build/waves/evolution.html"] if len(WAVES) > 1 else []
    return cross_wave + expand("results/{wave}/reproduction.md", wave=published) + expand(
        [
            "manuscript/build/{wave}/resultats.html",
            "manuscript/build/{wave}/resultats.docx",
            "results/{wave}/recoding/reliability_overall.csv",
            "results/{wave}/provenance.json",
        ],
        wave=WAVES,
    )


def _pattern(item):
    """An input or output as written in its rule; input functions are named, not called."""
    return f"<{getattr(item, '__name__', 'function')}()>" if callable(item) else str(item)


def rule_graph(wildcards):
    """Which rule makes which file of this wave, from which inputs (for provenance.json)."""
    graph = []
    for step in sorted(workflow.rules, key=lambda r: r.name):
        outputs = [str(o) for o in step.output]
        if not any("{wave}" in o for o in outputs):
            continue
        graph.append({
            "rule": step.name,
            "outputs": [o.replace("{wave}", wildcards.wave) for o in outputs],
            "inputs": [_pattern(i).replace("{wave}", wildcards.wave) for i in step.input],
        })
    return graph


def config_slice(wildcards):
    """The part of config.yaml that shapes this wave's results."""
    return {key: config[key] for key in sorted(config) if key != "waves"} | {"wave": wave_config(wildcards)}


def study_files(wildcards):
    return [STUDY[key] for key in ("codebook", "analysis_plan", "figures", "adoption_references")]
