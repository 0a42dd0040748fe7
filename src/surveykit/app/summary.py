"""The summary printed at the end of `surveykit run` (and `make`): what the run did, per wave.

Read only from the files the run wrote (results/<wave>/clean/flow.json, results/logs/<wave>/*.log,
manuscript/build/<wave>/resultats.*), never written anywhere: the pipeline's outputs stay byte-identical.
French, as the user reads it:

    Résumé de l'exécution
      thesis_2025 (Thèse 2025) : 41 reçues, 39 analysées, 1 exclue, 1 en quarantaine
        quarantaine : option inconnue (1)
        avertissements : 2 (clean_wave 2), journaux dans results/logs/thesis_2025/
        chapitre :
          manuscript/build/thesis_2025/resultats.md
          manuscript/build/thesis_2025/resultats.html
          manuscript/build/thesis_2025/resultats.docx
        tableaux pour Excel : results/thesis_2025/tables/tableaux.xlsx
"""
from __future__ import annotations

import json
from pathlib import Path

from surveykit.core.errors import InputError
from surveykit.core.fmt import integer
from surveykit.core.yamlio import load_yaml

CHAPTER = ("resultats.md", "resultats.html", "resultats.docx")
MAIN_REASONS = 3  # reasons named per kind; the others are counted together


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{integer(n)} {singular if n <= 1 else plural}"


def _reasons(counts: dict[str, int]) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    named = [f"{reason} ({integer(n)})" for reason, n in ranked[:MAIN_REASONS]]
    rest = sum(n for _, n in ranked[MAIN_REASONS:])
    if rest:
        named.append(f"autres motifs ({integer(rest)})")
    return "; ".join(named)


def warnings_by_rule(logs: Path) -> dict[str, int]:
    """Lines logged at WARNING level by each of the wave's rules (the runner's format: `WARNING <logger>: …`)."""
    counts = {}
    for log in sorted(logs.glob("*.log")) if logs.is_dir() else ():
        with log.open(encoding="utf-8", errors="replace") as handle:
            n = sum(1 for line in handle if line.startswith("WARNING"))
        if n:
            counts[log.stem] = n
    return counts


def wave_summary(root: Path, wave: str, label: str | None = None) -> list[str]:
    """The lines of one wave's summary."""
    title = f"{wave} ({label})" if label and label != wave else wave
    flow_path = root / "results" / wave / "clean" / "flow.json"
    lines = []
    try:
        flow = json.loads(flow_path.read_text(encoding="utf-8"))
        excluded, quarantined = flow.get("excluded") or {}, flow.get("quarantined") or {}
        lines.append(f"  {title} : {_plural(flow['received'], 'reçue', 'reçues')}, "
                     f"{_plural(flow['analysed'], 'analysée', 'analysées')}, "
                     f"{_plural(sum(excluded.values()), 'exclue', 'exclues')}, "
                     f"{integer(sum(quarantined.values()))} en quarantaine")
        if quarantined:
            lines.append(f"    quarantaine : {_reasons(quarantined)} (détail : results/{wave}/clean/excluded.csv)")
        if excluded:
            lines.append(f"    exclues : {_reasons(excluded)}")
    except (OSError, ValueError, KeyError, TypeError):
        lines.append(f"  {title} : pas de données nettoyées (results/{wave}/clean/flow.json absent)")
    warnings = warnings_by_rule(root / "results" / "logs" / wave)
    detail = ", ".join(f"{rule} {n}" for rule, n in sorted(warnings.items(), key=lambda item: (-item[1], item[0])))
    lines.append(f"    avertissements : {integer(sum(warnings.values()))}" + (f" ({detail})" if detail else "")
                 + f", journaux dans results/logs/{wave}/")
    build = root / "manuscript" / "build" / wave
    present = [name for name in CHAPTER if (build / name).is_file()]
    if present:
        lines.append("    chapitre :")
        lines += [f"      {(Path('manuscript/build') / wave / name).as_posix()}" for name in present]
    else:
        lines.append("    chapitre : pas encore produit")
    workbook = Path("results") / wave / "tables" / "tableaux.xlsx"
    if (root / workbook).is_file():
        lines.append(f"    tableaux pour Excel : {workbook.as_posix()}")
    return lines


def run_summary(root: Path, waves: list[str] | None = None, failed: bool = False) -> list[str]:
    """The summary's lines: every wave of config.yaml (or `waves`), in the order declared; none after a failed run
    (the error stays the last thing printed)."""
    try:
        declared = (load_yaml(root / "config.yaml") or {}).get("waves") or {}
    except InputError:
        return []
    if failed:  # the message stays the last thing on the screen, where the README says it is
        return []
    names = [w for w in declared if waves is None or w in waves]
    lines = ["", "Résumé de l'exécution"]
    for wave in names:
        entry = declared[wave] if isinstance(declared[wave], dict) else {}
        lines += wave_summary(root, wave, entry.get("label"))
    if waves is None:
        evolution = sorted((root / "manuscript" / "build" / "waves").glob("*/evolution.docx"))
        for path in evolution:
            lines.append(f"  évolution entre vagues ({path.parent.name}) : "
                         f"{path.relative_to(root).with_suffix('.html').as_posix()}, {path.relative_to(root).as_posix()}")
    return lines


def print_summary(root: Path, waves: list[str] | None = None, failed: bool = False) -> None:
    for line in run_summary(root, waves, failed):
        print(line)
