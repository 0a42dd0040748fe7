"""Deterministic writers: same content, same bytes (sorted keys where order is not meaningful, \n endings)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_json(data: object, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> object:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_responses(path: str | Path) -> pd.DataFrame:
    """Read a clean responses.csv: text stays text (empty = missing), numbers become nullable ints."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in frame.columns:
        values = frame[column]
        filled = values[values != ""]
        if len(filled) and filled.str.fullmatch(r"-?\d+").all():
            frame[column] = pd.array([int(v) if v != "" else None for v in values], dtype="Int64")
    return frame
