#!/usr/bin/env python
"""Rebuild a wave published as percentages from its spec (any study; see surveykit.tools.reconstruct.survey).

    .venv/bin/python scripts/reconstruct_wave.py data/studies/barometre_numerique/reconstruction/spec.yaml

Writes the canonical respondent table, the raw Google Forms export written from it, the main coder's
decisions for the open answers and the report (also printed), at the paths the spec names. Every published
number is then checked on the export as the pipeline's cleaner reads it. Same spec, same files, byte for byte.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from surveykit.clean.cleaning import clean_file  # noqa: E402
from surveykit.questionnaire.codebook import load_codebook  # noqa: E402
from surveykit.questionnaire.forms.export import write_export  # noqa: E402
from surveykit.recode.normalize import answer_hash  # noqa: E402
from surveykit.reproduction.published import NEAR_MARGIN, check_against_codebook, load_publication  # noqa: E402
from surveykit.tools.reconstruct import render, verify  # noqa: E402
from surveykit.tools.reconstruct.output import write_canonical  # noqa: E402
from surveykit.tools.reconstruct.survey import load_spec, reconstruct_survey  # noqa: E402

CODING_COLUMNS = ["question", "answer_hash", "answer", "categories", "coder", "rationale"]


def write_coding(rows: list[dict], coder: str, path: Path) -> None:
    """The intended coding of the synthetic open answers, as a coder's decisions file (one row per answer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CODING_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: (r["question"], r["text"])):
            writer.writerow({"question": row["question"], "answer_hash": answer_hash(row["text"]), "answer": row["text"],
                             "categories": ";".join(row["categories"]), "coder": coder,
                             "rationale": row.get("rationale", "Codage prévu de la réponse synthétique.")})


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def header_lines(spec, pub, flow: dict) -> list[str]:
    files = spec.files
    return [
        f"Reconstruction SYNTHÉTIQUE des réponses de la vague {spec.wave} : elle reproduit les nombres publiés, "
        "ce ne sont pas les vraies réponses.",
        "",
        f"- Source des nombres publiés : {pub.source}",
        f"- Graine : {spec.seed} ; choix de reconstruction (parts non publiées, dépendances entre réponses, textes "
        f"libres, calendrier) : `{_relative(Path(spec.path))}`",
        *[f"- {name} : `{path}`" for name, path in files.items()],
        "- Arrondis : un pourcentage publié « 88 » est atteint quand l'effectif reconstruit donne une valeur "
        "STRICTEMENT à l'intérieur de ]87,5 ; 88,5[ (jamais sur une demi-unité), donc il s'imprime 88 quelle que "
        "soit la règle d'arrondi ; « près de deux tiers » se lit au plus 66,7 % et au plus "
        f"{NEAR_MARGIN} points en dessous.",
        "- Vérification : chaque nombre publié est recalculé sur l'export tel que le nettoyage du pipeline le lit "
        f"({flow['analysed']} réponses analysées sur {flow['received']} reçues, "
        f"{sum(flow['excluded'].values()) + sum(flow['quarantined'].values())} écartées).",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    spec = load_spec(args.spec)
    path = lambda name: ROOT / spec.files[name]  # noqa: E731
    pub = load_publication(path("published"))
    book = load_codebook(path("codebook"))
    check_against_codebook(list(pub.items), book, str(path("published")))
    recon = reconstruct_survey(pub, book, spec)
    write_canonical(recon.table, path("canonical"))
    write_export(recon.table, path("codebook"), path("export"))
    if "coding" in spec.files:
        write_coding(recon.open_coding, spec.coder, path("coding"))
    cleaned = clean_file(path("export"), book)
    checks = verify(cleaned.responses, pub, book, {})
    misses = [c for c in checks if not c.ok]
    findings = [f"{c.ref} : publié {c.published}, obtenu {c.reached}" for c in misses]
    text = render(checks, recon.lines, findings, header_lines(spec, pub, cleaned.flow),
                  solver_title="Effectifs choisis (plages atteignables de chaque nombre publié, puis effectifs par strate)")
    path("report").parent.mkdir(parents=True, exist_ok=True)
    path("report").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    print(f"[{time.perf_counter() - started:.1f} s] {len(checks) - len(misses)} of {len(checks)} published numbers "
          "reached", file=sys.stderr)
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
