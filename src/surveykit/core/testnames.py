"""The statistical tests as a French reader sees them named (tables, footnotes, chapter, reports).

A light module of its own: the steps that only write test names (tables, chapter, figures) need not
import the statistics engine and SciPy to do so.
"""
from __future__ import annotations

TEST_LABELS_FR = {
    "chisq": "test du khi² de Pearson",
    "fisher": "test exact de Fisher",
    "fisher_mc": "test exact de Fisher (p simulé par Monte-Carlo)",
    "t_student": "test t de Student",
    "t_welch": "test t de Welch",
    "wilcoxon": "test de Wilcoxon-Mann-Whitney",
    "anova": "analyse de variance à un facteur (ANOVA)",
    "kruskal": "test de Kruskal-Wallis",
    "shapiro": "test de Shapiro-Wilk",
}
