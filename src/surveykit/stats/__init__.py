"""Statistics that reproduce R 4.x: hypothesis tests, effect sizes, automatic test choice.

Pure functions (no file I/O). See :mod:`.rtests`, :mod:`.effects`, :mod:`.estimates`, :mod:`.posthoc`,
:mod:`.regression`, :mod:`.choice`.
"""
from .choice import (
    FORCED_REASON,
    TestChoice,
    choose_categorical,
    choose_k_groups,
    choose_two_groups,
    run_forced,
)
from .effects import (
    EffectSize,
    ProportionCI,
    cramers_v,
    epsilon_squared,
    hodges_lehmann,
    rank_biserial,
    wilson_ci,
)
from .estimates import mean_difference, odds_ratio, proportion_difference
from .posthoc import PairwiseResult, compact_letters, dunn_test, pairwise_table_tests, pairwise_wilcox
from .regression import RegressionResult, SeparationError, linear_regression, logistic_regression, univariable
from .rtests import (
    DEFAULT_MAX_TABLES,
    DEFAULT_MC_SEED,
    TEST_NAMES,
    TestResult,
    anova_oneway,
    binom_test,
    chisq_test,
    fisher_test,
    kruskal_test,
    mcnemar_test,
    p_adjust,
    shapiro_test,
    t_test,
    wilcox_paired_test,
    wilcox_test,
)

__all__ = [
    "DEFAULT_MAX_TABLES", "DEFAULT_MC_SEED", "FORCED_REASON", "TEST_NAMES",
    "EffectSize", "ProportionCI", "TestChoice", "TestResult",
    "anova_oneway", "chisq_test", "choose_categorical", "choose_k_groups", "choose_two_groups",
    "cramers_v", "epsilon_squared", "fisher_test", "hodges_lehmann",
    "kruskal_test", "p_adjust", "rank_biserial", "run_forced", "shapiro_test", "t_test",
    "wilcox_test", "wilson_ci",
    "PairwiseResult", "binom_test", "compact_letters", "dunn_test", "mcnemar_test", "mean_difference",
    "odds_ratio", "pairwise_table_tests", "pairwise_wilcox", "proportion_difference", "wilcox_paired_test",
    "RegressionResult", "SeparationError", "linear_regression", "logistic_regression", "univariable",
]
