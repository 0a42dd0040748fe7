"""surveykit: the analysis logic of the survey pipeline, one package per stage of the Snakefile.

In the Snakefile's order (each stage's rules in workflow/rules/<stage>.smk run `<package>.steps.<rule>`):
    clean         stage 1: codebook edition of a wave, cleaning of its raw export, masking of personal data
    recode        stage 2: open answers coded into categories, inter-coder reliability
    analysis      stage 3: the analysis plan's tables and tests (with stats, the R-exact test library), tables
    figures       stage 4: figures drawn from statistics and counts
    manuscript    stage 5: the registry of numbers, the templated chapter, HTML and Word
    reproduction  published numbers checked against the regenerated ones, and audited
    provenance    what made each wave's results
    waves         comparison of a study's waves
Shared by all: core (files, errors, YAML, French numbers) and questionnaire (codebook, Google Forms exports).
project reads config.yaml and the studies it declares (for the Snakefile); tools (drafting, reconstruction,
simulation, benchmarks) is never imported by a rule; app is the `surveykit` command. Every module is importable and unit-tested without Snakemake; the Snakemake rules
only pass file paths to the steps.
"""


def _version() -> str:
    """The version, declared once in pyproject.toml: from the installed package's metadata, else (a checkout run
    with PYTHONPATH=src and no install) read from pyproject.toml beside src/."""
    from importlib import metadata

    try:
        return metadata.version("surveykit")
    except metadata.PackageNotFoundError:
        import re
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8")) \
            if pyproject.is_file() else None
        return found.group(1) if found else "0+unknown"


__version__ = _version()
