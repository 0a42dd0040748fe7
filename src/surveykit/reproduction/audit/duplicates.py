"""P-values printed twice on different rows (a possible copy error)."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..published import PublishedItem


def duplicate_p_values(items: Iterable[PublishedItem]) -> list[tuple[PublishedItem, PublishedItem]]:
    """Pairs of p-values printed identically on different rows (variables) of the same table."""
    pairs = []
    by_table: dict[str, list[PublishedItem]] = defaultdict(list)
    for item in items:
        if item.kind == "p_value" and not item.is_text:
            by_table[item.table].append(item)
    for table_items in by_table.values():
        for i, first in enumerate(table_items):
            for second in table_items[i + 1:]:
                same = first.numbers["p"].text == second.numbers["p"].text
                if same and (first.variable, first.by) != (second.variable, second.by):
                    pairs.append((first, second))
    return pairs
