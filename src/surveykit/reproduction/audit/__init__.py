"""Audit of the published numbers themselves, before any raw data is looked at.

Each check uses only the numbers the publication prints (surveykit.reproduction.published) and arithmetic:
  - percentages against their counts and denominators (R's sprintf("%.1f") rounding);
  - GRIM (is the mean possible for n integer answers?) and an exact GRIMMER (are mean AND
    sample SD possible together for n integer answers in 1..10?);
  - subgroup means/SDs against the overall mean/SD, margins against subgroup sums, group sizes,
    sums of counts, rank order, numbers repeated between text and tables;
  - the lattice left by Monte-Carlo p-values: R's simulate.p.value returns (1 + X)/(B + 1),
    so every simulated p-value is a multiple of 1/(B + 1) (detect_mc_lattice);
  - p-values printed twice on different rows (possible copy error);
  - Fisher p-values recomputed exactly from the published counts (surveykit.stats.rtests).

Rounding boundaries are treated as closed intervals: a true value exactly halfway between two
printed values could have been rounded either way, so the audit never flags it.
audit_published() returns one row per check: ref, check, published, recomputed, status,
explanation (French).

One module per kind of check: numbers (printed numbers as exact values, statuses), percentages, grim,
lattice, duplicates, fisher; display (how a row shows its numbers) and checks (the rows, audit_published).
French number text comes from surveykit.core.fmt (exact_number, re-exported here as `fr`).
"""
from surveykit.core.fmt import NBSP, round_half_even
from surveykit.core.fmt import exact_number as fr

from .checks import MC_CHECK, MC_INCONSISTENT, audit_published
from .duplicates import duplicate_p_values
from .fisher import contingency_table, fisher_exact_p
from .grim import SCALE_MAX, SCALE_MIN, combine_pairs, grim, grim_informative, grim_sums, grimmer, grimmer_pairs
from .lattice import LATTICE_ALPHA, LatticeResult, detect_mc_lattice, is_round, lattice_chance, mc_consistency
from .numbers import CHECK, COLUMNS, INCONSISTENT, INFO, OK, UNTESTABLE, Exact, as_exact
from .percentages import achievable_counts, percent_of, percentage_status

__all__ = [
    "CHECK", "COLUMNS", "INCONSISTENT", "INFO", "LATTICE_ALPHA", "MC_CHECK", "MC_INCONSISTENT", "NBSP", "OK",
    "SCALE_MAX", "SCALE_MIN", "UNTESTABLE", "Exact", "LatticeResult", "achievable_counts", "as_exact",
    "audit_published", "combine_pairs", "contingency_table", "detect_mc_lattice", "duplicate_p_values",
    "fisher_exact_p", "fr", "grim", "grim_informative", "grim_sums", "grimmer", "grimmer_pairs", "is_round",
    "lattice_chance", "mc_consistency", "percent_of", "percentage_status", "round_half_even",
]
