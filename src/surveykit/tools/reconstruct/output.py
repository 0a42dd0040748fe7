"""Files written by the reconstruction: the canonical CSV and the report's header and solver log."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from .assemble import Reconstruction

ROUNDING_POLICY = (
    "Arrondis : chaque valeur reconstruite est STRICTEMENT à l'intérieur de l'intervalle de son "
    "nombre imprimé (jamais sur une demi-unité), donc elle s'arrondit au nombre publié aussi bien "
    "« au plus proche, demi vers le haut » que « demi vers le pair » (R, sprintf). Lecture « stricte » : "
    "la précision du tableau (le tableau 8 imprime « 3 » pour 3,0 et « 0,726 » pour 0,7260) ; "
    "lecture « décimales imprimées » : seulement les chiffres imprimés. Les pourcentages, fonctions "
    "des effectifs, sont comparés tels que R les imprime (sprintf : 2/32 = 6,25 % s'imprime 6,2)."
)


def write_canonical(table: pd.DataFrame, path: str | Path) -> None:
    """UTF-8 CSV, one row per respondent, '\\n' line ends, empty cells for missing answers."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def read_canonical(path: str | Path) -> pd.DataFrame:
    """The canonical CSV back as strings (empty cells as '')."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def solver_lines(recon: Reconstruction) -> list[str]:
    layout = recon.layout
    cells = "; ".join(
        f"{u} × {g} : {int(layout.counts[i, j])}"
        for i, u in enumerate(layout.use_levels)
        for j, g in enumerate(layout.cpts_levels)
    )
    lines = [f"Tableau croisé pratique_tle × CPTS tiré par la graine : {cells}"]
    for sol in recon.solutions:
        solved = "MILP résolu" if sol.milps < 2 else "MILP résolus"
        lines.append(f"{sol.variable} : lecture {sol.stage.label} ; {sol.milps} {solved}")
    return lines


def report_header(seed: int, recon: Reconstruction, sources: dict[str, str]) -> list[str]:
    lines = [
        "Reconstruction SYNTHÉTIQUE des réponses fermées de la vague thesis_2025 : elle reproduit les "
        "agrégats publiés, ce ne sont pas les vraies réponses.",
        "",
        f"- Graine : {seed}",
        *[f"- {name} : `{path}`" for name, path in sources.items()],
        f"- {ROUNDING_POLICY}",
        "- p-values recalculées comme R : wilcox.test (approximation normale, corrections de continuité "
        "et d'ex-aequo), kruskal.test, fisher.test (surveykit.stats.rtests).",
    ]
    lines += [f"- {note}" for note in recon.notes]
    return lines
