"""An export's columns numbered once: each column's distinct cells in order of first appearance and, for each row,
the position of its cell among them (`pd.factorize`, one pass per column).

The fold, the drafter and the cleaning each read every column of the export: its distinct answers, how often each
was given, the rows holding one of them. Reading them from a table numbered once, rather than each stage
transposing the rows and counting the cells again, keeps the work on a wide export (thousands of columns × tens of
thousands of rows) to one pass over its cells; what follows works per distinct answer. The table is kept while
its export lives (by identity: `make study` drafts an export, then cleans the same object to check its draft),
and no longer.

A column's values come in the order `collections.Counter` would count its cells, so counts built from the codes
break ties (by first appearance) as a Counter of the cells does.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .read import RawExport

__all__ = ["CodedColumn", "coded_columns"]


@dataclass(frozen=True)
class CodedColumn:
    """One column of an export: `values`, its distinct cells ("" included) in order of first appearance, and
    `codes`, each row's cell as its position in `values`."""

    values: np.ndarray  # object
    codes: np.ndarray  # one per row, the smallest unsigned integers that hold them (one byte for most columns)

    @property
    def counts(self) -> np.ndarray:
        """How many rows hold each of `values`."""
        return np.bincount(self.codes, minlength=len(self.values))

    def counted(self) -> dict[str, int]:
        """Each distinct cell and how many rows hold it, in order of first appearance: what
        `collections.Counter(cells)` holds."""
        return dict(zip(self.values.tolist(), self.counts.tolist()))

    def cells(self) -> np.ndarray:
        """The column's cells, row by row (an object array)."""
        return self.values[self.codes]

    def mapped(self, of: dict, dtype: type = object) -> np.ndarray:
        """Each row's cell through `of`, an array of `dtype` (looked up once per distinct cell)."""
        return np.array([of[value] for value in self.values.tolist()], dtype=dtype)[self.codes]

    def code(self, value: str) -> int:
        """The position of `value` among the distinct cells, -1 when no row holds it."""
        found = np.flatnonzero(self.values == value) if len(self.values) else ()
        return int(found[0]) if len(found) else -1

    def rows_holding(self, value: str) -> np.ndarray:
        """Whether each row holds `value` (booleans by row)."""
        code = self.code(value)
        return self.codes == code if code >= 0 else np.zeros(len(self.codes), dtype=bool)

    def kept(self, rows: np.ndarray) -> CodedColumn:
        """The column over the rows where `rows` is True, its values renumbered in order of first appearance among
        them (a value only the other rows held is gone)."""
        codes, positions = pd.factorize(self.codes[rows])
        return _column(self.values[positions], codes)


def _column(values: np.ndarray, codes: np.ndarray) -> CodedColumn:
    return CodedColumn(values, codes.astype(np.min_scalar_type(len(values))))


def _table(export: RawExport) -> tuple[CodedColumn, ...]:
    """Every column of the export numbered (see the module). The cells are transposed at once into an object array
    (8 bytes a cell, faster than slicing the rows a block of columns at a time), dropped once the columns are
    numbered: a byte or two a cell remain."""
    cells = np.array(export.rows, dtype=object).reshape(len(export.rows), len(export.headers))
    columns = []
    for index in range(cells.shape[1]):
        codes, values = pd.factorize(cells[:, index])
        if codes.min(initial=0) < 0:  # None or NaN, numbered -1, would wrap round in unsigned codes
            raise TypeError(f"{export.path}: column {index + 1} holds a cell that is not text")
        columns.append(_column(values, codes))
    return tuple(columns)


# export id -> (a weak reference to the export, its table); an entry goes when its export does
_TABLES: dict[int, tuple[weakref.ref, tuple[CodedColumn, ...]]] = {}


def coded_columns(export: RawExport) -> tuple[CodedColumn, ...]:
    """The export's columns numbered (see the module), one `CodedColumn` per header, computed once per export."""
    known = _TABLES.get(id(export))
    if known is not None and known[0]() is export:
        return known[1]
    table = _table(export)
    key = id(export)
    _TABLES[key] = (weakref.ref(export, lambda _gone, key=key: _TABLES.pop(key, None)), table)
    return table
