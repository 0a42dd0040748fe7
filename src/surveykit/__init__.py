"""surveykit: the analysis logic of the survey pipeline.

Cleaning, recoding of open answers, statistics computed exactly as R does,
figures and the templated chapter. Every module is importable and unit-tested
without Snakemake; the Snakemake rules only pass file paths to these functions.
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
