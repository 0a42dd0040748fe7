"""One registry of every number the chapter reports: key → value, French text, source file, rule.

The chapter template reads numbers only from here, and the registry is itself an output
(registry.csv) so that a reviewer can trace any number of the text to its file and rule.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import fmt


@dataclass(frozen=True)
class Entry:
    key: str
    value: object
    text: str
    source: str
    rule: str


class Registry:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self.used: set[str] = set()

    def add(self, key: str, value: object, text: str, source: str | Path, rule: str) -> None:
        if key in self._entries:
            raise KeyError(f"registry key {key!r} registered twice")
        self._entries[key] = Entry(key, value, text, str(source), rule)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def entry(self, key: str) -> Entry:
        try:
            entry = self._entries[key]
        except KeyError:
            close = sorted(k for k in self._entries if k.startswith(key.rsplit(".", 1)[0]))[:5]
            raise KeyError(f"no reported value {key!r} in the registry (similar keys: {close})") from None
        self.used.add(key)
        return entry

    def text(self, key: str) -> str:
        return self.entry(key).text

    def value(self, key: str):
        return self.entry(key).value

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self._entries if k.startswith(prefix))

    def to_frame(self) -> pd.DataFrame:
        rows = [{"key": e.key, "value": _plain(e.value), "text": e.text, "source": e.source, "rule": e.rule}
                for e in sorted(self._entries.values(), key=lambda e: e.key)]
        return pd.DataFrame(rows, columns=["key", "value", "text", "source", "rule"])


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isnan(value):
        return repr(value)
    return value


def add_tidy(registry: Registry, tidy: pd.DataFrame, source: str, rule: str) -> None:
    """Register every cell of a tidy table: <table>.<variable>.<level>.<group>.<stat>."""
    for row in tidy.itertuples(index=False):
        base = ".".join(part for part in (row.table, row.variable, row.level, row.group) if part != "")
        if not math.isnan(row.n):
            registry.add(f"{base}.n", int(row.n), str(int(row.n)), source, rule)
        if not math.isnan(row.pct):
            registry.add(f"{base}.pct", float(row.pct), fmt.percent(row.pct), source, rule)
        if not math.isnan(row.denominator):
            registry.add(f"{base}.denominator", int(row.denominator), str(int(row.denominator)), source, rule)
        if not math.isnan(row.mean):
            registry.add(f"{base}.mean", float(row.mean), fmt.number(row.mean), source, rule)
            registry.add(f"{base}.sd", float(row.sd), fmt.number(row.sd), source, rule)
            registry.add(f"{base}.mean_sd", float(row.mean), fmt.mean_sd(row.mean, row.sd), source, rule)
        if not math.isnan(row.rank):
            registry.add(f"{base}.rank", int(row.rank), str(int(row.rank)), source, rule)


def add_tests(registry: Registry, tests: pd.DataFrame, alpha: float, source: str, rule: str) -> None:
    """Register p-values (table and sentence forms), the test and whether p < alpha."""
    for row in tests.itertuples(index=False):
        base = f"{row.table}.{row.variable}"
        registry.add(f"{base}.p", float(row.p_value), fmt.p_value(row.p_value), source, rule)
        registry.add(f"{base}.p_sentence", float(row.p_value), fmt.p_sentence(row.p_value), source, rule)
        registry.add(f"{base}.significant", bool(row.p_value < alpha),
                     "oui" if row.p_value < alpha else "non", source, f"{rule}; p < alpha = {alpha}")
        registry.add(f"{base}.test", row.test, row.test, source, rule)


def add_flow(registry: Registry, flow: dict, source: str, rule: str) -> None:
    registry.add("flux.recus", flow["received"], str(flow["received"]), source, rule)
    registry.add("flux.analyses", flow["analysed"], str(flow["analysed"]), source, rule)
    excluded = sum(flow["excluded"].values()) + sum(flow["quarantined"].values())
    registry.add("flux.non_analyses", excluded, str(excluded), source, rule)
