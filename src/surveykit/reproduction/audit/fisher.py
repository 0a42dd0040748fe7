"""Fisher p-values recomputed exactly from the published counts (surveykit.stats.rtests)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..published import PublishedItem


def contingency_table(items: Sequence[PublishedItem], p_item: PublishedItem) -> tuple[list[str], list[str], np.ndarray] | None:
    """Levels x groups table of the counts printed next to a p-value (same table, variable, by)."""
    cells = {}
    for item in items:
        if (item.kind == "count" and item.table == p_item.table and item.variable == p_item.variable
                and item.by == p_item.by and item.count is not None and len(item.level) == 1):
            cells[(item.level[0], item.group)] = item.count
    levels = list(dict.fromkeys(level for level, _ in cells))
    groups = list(dict.fromkeys(group for _, group in cells))
    if not cells or len(cells) != len(levels) * len(groups):
        return None
    return levels, groups, np.array([[cells[(lv, gr)] for gr in groups] for lv in levels], dtype=np.int64)


def fisher_exact_p(table: np.ndarray) -> float:
    """Exact Fisher p-value as R's fisher.test (all-zero rows/columns do not change it).

    Raises when surveykit.stats.rtests had to fall back to a Monte-Carlo p-value: the audit
    compares published values with the exact one.
    """
    from surveykit.stats.rtests import fisher_test

    result = fisher_test(np.asarray(table))
    if result.test != "fisher":
        raise ValueError(f"no exact Fisher p-value for this table ({result.test}: {result.extra})")
    return float(result.p_value)
