"""Seeded simulator of survey waves (demonstration waves, scale benchmarks).

It draws a canonical respondent table from the codebook and a small profile (YAML):
answer probabilities per variable, scale means, the share of answered open questions
and a pool of open answers. Everything is vectorised with numpy, so 100 000 respondents
take about a second. The output goes through `forms.export` to become a raw export, which
is then read and cleaned exactly like a real one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .codebook import Codebook, Question


@dataclass(frozen=True)
class Profile:
    """What a simulated wave looks like; unspecified variables get uniform answers."""

    n: int
    seed: int
    start: str
    end: str
    probabilities: dict[str, dict[str, float]]
    scale_means: dict[str, float]
    scale_means_by: dict[str, dict[str, dict[str, float]]]
    open_share: float
    open_pool: dict[str, list[str]]


def profile_from_dict(raw: dict) -> Profile:
    return Profile(n=int(raw["n"]), seed=int(raw["seed"]), start=str(raw["start"]), end=str(raw["end"]),
                   probabilities=raw.get("probabilities", {}), scale_means=raw.get("scale_means", {}),
                   scale_means_by=raw.get("scale_means_by", {}), open_share=float(raw.get("open_share", 0.4)),
                   open_pool=raw.get("open_pool", {}))


def _choice(rng, levels: list[str], probabilities: dict[str, float] | None, n: int) -> np.ndarray:
    weights = np.array([float((probabilities or {}).get(level, 0.0 if probabilities else 1.0)) for level in levels])
    return rng.choice(np.array(levels, dtype=object), size=n, p=weights / weights.sum())


def _scale(rng, low: int, high: int, mean: np.ndarray | float, n: int, spread: float = 2.5) -> np.ndarray:
    """Rounded, clipped normal answers on low..high around `mean` (array or scalar)."""
    return np.clip(np.rint(rng.normal(mean, spread, size=n)), low, high).astype(int)


def _item_mean(profile: Profile, item: str, frame: pd.DataFrame, default: float) -> np.ndarray | float:
    mean = np.full(len(frame), profile.scale_means.get(item, default))
    for by, shifts in profile.scale_means_by.get(item, {}).items():
        for level, value in shifts.items():
            mean[(frame[by] == level).to_numpy()] = value
    return mean


def _ranks(rng, n_items: int, n: int) -> np.ndarray:
    """Each respondent ticks k ≥ 1 methods and ranks them 1..k (0 = not ticked)."""
    k = rng.integers(1, n_items + 1, size=n)
    order = np.argsort(rng.random((n, n_items)), axis=1)
    ranks = np.empty((n, n_items), dtype=int)
    np.put_along_axis(ranks, order, np.arange(1, n_items + 1)[None, :].repeat(n, axis=0), axis=1)
    return np.where(ranks <= k[:, None], ranks, 0)


def _shown(question: Question, frame: pd.DataFrame) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for variable, value in question.asked_if.items():
        mask &= (frame[variable] == value).to_numpy()
    return mask


def _fill_question(rng, question: Question, frame: pd.DataFrame, profile: Profile) -> None:
    n, shown = len(frame), _shown(question, frame)
    if question.type in ("single", "checkbox"):
        options = [o for o in question.levels if o != question.other_label]
        values = _choice(rng, options, profile.probabilities.get(question.id), n)
        frame[question.id] = np.where(shown, values, "")
    elif question.type == "scale":
        values = _scale(rng, question.min, question.max, _item_mean(profile, question.id, frame, 6.5), n)
        frame[question.id] = pd.array(np.where(shown, values, 0), dtype="Int64").where(shown)
    elif question.type == "grid_scale":
        for item in question.items:
            values = _scale(rng, question.min, question.max, _item_mean(profile, item.id, frame, 5.0), n)
            frame[item.id] = pd.array(values, dtype="Int64").where(shown)
    elif question.type == "grid_rank":
        ranks = _ranks(rng, len(question.items), n)
        for column, item in enumerate(question.items):
            keep = shown & (ranks[:, column] > 0)
            frame[item.id] = pd.array(ranks[:, column], dtype="Int64").where(keep)
    elif question.type == "text":
        pool = profile.open_pool.get(question.id, [])
        answered = shown & (rng.random(n) < profile.open_share) if pool else np.zeros(n, dtype=bool)
        picks = rng.choice(np.array(pool or [""], dtype=object), size=n)
        frame[question.id] = np.where(answered, picks, "")
    if question.other_variable:
        frame[question.other_variable] = ""


def _timestamps(rng, profile: Profile, n: int) -> list[str]:
    start = dt.datetime.fromisoformat(profile.start)
    span = int((dt.datetime.fromisoformat(profile.end) - start).total_seconds())
    seconds = np.sort(rng.integers(0, span, size=n))
    return [(start + dt.timedelta(seconds=int(s))).isoformat(sep=" ") for s in seconds]


def simulate(book: Codebook, profile: Profile) -> pd.DataFrame:
    """Canonical respondent table (codebook variables, canonical labels) of a simulated wave."""
    rng = np.random.default_rng(profile.seed)
    frame = pd.DataFrame({"submitted": _timestamps(rng, profile, profile.n)})
    for question in book.questions:
        _fill_question(rng, question, frame, profile)
    return frame
