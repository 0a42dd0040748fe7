"""Submission timestamps within the collection calendar of "Matériel et méthodes §3".

Each CPTS has its mailings (first e-mail, reminders of 9 and 22 January 2025, on-site
distribution); a response follows one of them after an exponential delay, at a time of
day typical of a GP (lunch break, evening). The Grand Valenciennes newsletter date in
April 2025 is not given by the thesis: a reconstruction choice. Collection lasted six
months; no answer is dated after COLLECTION_END.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Wave:
    start: dt.date
    weight: float
    mean_delay_days: float


COLLECTION_END = dt.datetime(2025, 6, 18, 23, 59, 59)

CALENDAR: Mapping[str, Sequence[Wave]] = {
    "CPTS de l'Amandinois": (
        Wave(dt.date(2024, 12, 19), 0.30, 2.5),
        Wave(dt.date(2025, 1, 9), 0.20, 2.0),
        Wave(dt.date(2025, 1, 22), 0.15, 2.0),
        Wave(dt.date(2025, 3, 10), 0.35, 1.5),
    ),
    "CPTS du Grand Denain": (
        Wave(dt.date(2024, 12, 23), 0.25, 3.0),
        Wave(dt.date(2025, 1, 9), 0.20, 2.0),
        Wave(dt.date(2025, 1, 22), 0.15, 2.0),
        Wave(dt.date(2025, 3, 26), 0.40, 1.5),
    ),
    "CPTS du Grand Valenciennes": (Wave(dt.date(2025, 4, 7), 1.0, 9.0),),
}

# Minutes after midnight: lunch break, afternoon gaps, evening paperwork (reconstruction choice).
DAY_MODES = ((12 * 60 + 45, 40, 0.35), (15 * 60, 90, 0.2), (20 * 60 + 30, 70, 0.45))


def _time_of_day(rng: np.random.Generator) -> int:
    """Seconds after midnight, drawn from DAY_MODES and clipped to 07:00-23:30."""
    weights = np.array([m[2] for m in DAY_MODES])
    centre, spread, _ = DAY_MODES[int(rng.choice(len(DAY_MODES), p=weights / weights.sum()))]
    minutes = float(np.clip(rng.normal(centre, spread), 7 * 60, 23 * 60 + 30))
    return int(minutes * 60) + int(rng.integers(0, 60))


def draw_timestamps(cpts: np.ndarray, rng: np.random.Generator, calendar: Mapping[str, Sequence[Wave]] = CALENDAR,
                    end: dt.datetime = COLLECTION_END) -> list[str]:
    """ISO "YYYY-MM-DD HH:MM:SS" per respondent, all distinct, within its group's calendar (a CPTS for the
    thesis; any key of `calendar`), none after `end`."""
    out: list[str] = []
    used: set[str] = set()
    for group in cpts:
        waves = calendar[group]
        weights = np.array([w.weight for w in waves])
        while True:
            wave = waves[int(rng.choice(len(waves), p=weights / weights.sum()))]
            day = wave.start + dt.timedelta(days=int(rng.exponential(wave.mean_delay_days)))
            moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=_time_of_day(rng))
            text = moment.strftime("%Y-%m-%d %H:%M:%S")
            first = dt.datetime.combine(wave.start, dt.time(8, 0))
            if first <= moment <= end and text not in used:
                break
        used.add(text)
        out.append(text)
    return out
