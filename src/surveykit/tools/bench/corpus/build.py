"""Take generated exports the way a new user does: `make study` for each, then one `make` for all of them.

`draft_corpus` drafts each export into a scratch project (surveykit.tools.draft.draft_study: the study folder, the
export under data/raw/<wave>/, the wave declared in config.yaml), so that a single Snakemake invocation then
builds every wave (much faster than one run per export). `chapter_targets` are the files a built wave must
have; `find_planted` greps files for the personal strings the generator planted.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from surveykit.core.errors import InputError

from .generate import Generated
from .write import write_export

CHAPTER_SUFFIXES = (".md", ".html", ".docx")
# config.yaml of a scratch project that holds only the drafted corpus (the drafter appends to both blocks).
CONFIG_HEAD = "studies:\nwaves:\n"
CONFIG_TAIL = """cleaning:
  on_invalid: quarantine
recoding:
  allow_suggestions: false
  strict: false
manuscript:
  template: manuscript/templates/resultats.md.j2
  evolution_template: manuscript/templates/evolution.md.j2
  css: manuscript/style.css
  alpha: 0.05
seed: 20250409
"""


@dataclass
class Drafted:
    seed: int
    study: str
    wave: str
    export: Path
    error: str | None = None  # what `make study` said when it stopped
    report: str = ""


@dataclass
class CorpusProject:
    root: Path
    drafted: list[Drafted] = field(default_factory=list)

    @property
    def waves(self) -> list[str]:
        return [d.wave for d in self.drafted if d.error is None]


def names(seed: int) -> tuple[str, str]:
    """(study, wave) of a generated export."""
    return f"corpus_{seed}", f"vague_{seed}"


def empty_config(root: Path) -> None:
    """A config.yaml that declares nothing yet (no bundled study): only the drafted corpus will be built."""
    (root / "config.yaml").write_text(CONFIG_HEAD + CONFIG_TAIL, encoding="utf-8")


def draft_corpus(root: str | Path, exports: list[Generated], inbox: str | Path) -> CorpusProject:
    """Write each export into `inbox` (outside the project, as a download would be) and draft it into `root`."""
    from ...draft import draft_study

    project = CorpusProject(Path(root))
    for export in exports:
        study, wave = names(export.seed)
        path = write_export(export, inbox, f"reponses_{export.seed}")
        entry = Drafted(export.seed, study, wave, path)
        try:
            entry.report = draft_study(path, study, wave, root=root)
        except InputError as exc:
            entry.error = f"make study stopped: {exc}"
        except Exception as exc:  # noqa: BLE001 - a crash of the drafter is a result to report, not to hide
            entry.error = f"internal error: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        project.drafted.append(entry)
    return project


def chapter_targets(waves: list[str]) -> list[str]:
    return [f"manuscript/build/{wave}/resultats{suffix}" for wave in waves for suffix in CHAPTER_SUFFIXES]


def built(root: Path, wave: str) -> bool:
    return all((root / target).is_file() and (root / target).stat().st_size > 0 for target in chapter_targets([wave]))


def text_files(*folders: Path) -> list[Path]:
    """Every file under the folders (study files, results, the built chapters)."""
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def file_text(path: Path) -> str:
    """A file's text for grepping: a .docx or .xlsx is read inside its archive."""
    import zipfile

    data = path.read_bytes()
    if path.suffix in (".docx", ".xlsx") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
                             if name.endswith((".xml", ".rels")))
    return data.decode("utf-8", errors="replace")


def find_planted(paths: list[Path], planted: list[str]) -> list[tuple[str, str]]:
    """(file, planted string) for every planted string found in a file, whatever its case."""
    found = []
    needles = [(p, p.lower()) for p in planted]
    for path in paths:
        text = file_text(path).lower()
        found += [(str(path), original) for original, needle in needles if needle in text]
    return found
