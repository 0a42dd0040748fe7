"""Submission timestamps as exports really write them.

Google Forms writes the timestamp in the locale of the form's owner: "19/12/2024 14:32:05" (French),
"12/19/2024 14:32:05" or "11/4/2024 5:22:46 PM GMT+1" (English), "2024/11/04 17:22:46 UTC+1" (some
re-exports), "2024-11-04T17:22:46+01:00" (ISO), "04/11/2024 - 17:22" (Drupal's short date format, Framaforms);
spreadsheets drop the seconds. Only the date is kept
(as written, in the form's time zone: the suffix is read and ignored); the time of day, as written too, orders
the submissions of one respondent (the codebook's `resubmissions`).

Whether "04/11/2024" is 4 November or 11 April cannot be told from one cell: the order is decided from
the whole column (a first number above 12 means day first, a second number above 12 means month
first); when no cell decides, day first is assumed (French exports) unless the column uses AM/PM
(English exports), and the decision is reported.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_PATTERN = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
    r"(?:(?:[ T]+|\s+-\s+)(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d{1,9})?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?"
    r"\s*(?P<zone>(?:GMT|UTC)(?:\s*[+\-−]\s*\d{1,2}(?::?\d{2})?)?|Z|[+\-]\d{2}:?\d{2}|[A-Z]{3,5})?$"
)

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
YEAR_FIRST = "year-first"


@dataclass(frozen=True)
class Stamp:
    """The parts of one timestamp cell (None when the cell is not a timestamp)."""

    first: int
    second: int
    third: int
    year_first: bool
    ampm: bool
    seconds: int | None = None  # the time of day as written, in seconds after midnight (None: a date alone)


@dataclass(frozen=True)
class ParsedColumn:
    dates: list[dt.date | None]
    order: str  # day-first, month-first or year-first (the column's date order)
    note: str  # why that order, for the log and flow.json; "" when no cell needed it
    moments: list[dt.datetime | None] = field(default_factory=list)  # date and time of day (midnight: no time)


def split_stamp(text: str) -> Stamp | None:
    """The numbers of a timestamp cell and its style, or None when it is not a timestamp."""
    match = _PATTERN.match(text.strip())
    if match is None:
        return None
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    year_first = len(match["a"]) == 4
    if not year_first and len(match["c"]) not in (2, 4):
        return None
    if match["hour"] is not None and not _valid_time(match):
        return None
    return Stamp(a, b, c, year_first, match["ampm"] is not None, _seconds(match))


def _seconds(match: re.Match) -> int | None:
    """The time of day of a timestamp, in seconds after midnight (12:05 AM is 5 minutes after midnight)."""
    if match["hour"] is None:
        return None
    hour = int(match["hour"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)
    return hour * 3600 + int(match["minute"]) * 60 + int(match["second"] or 0)


def _valid_time(match: re.Match) -> bool:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    limit = 12 if match["ampm"] else 23
    return hour <= limit and minute <= 59 and second <= 59


def column_order(stamps: list[Stamp | None]) -> tuple[str, str]:
    """(order, note) for the day/month cells of a column (year-first cells need no decision)."""
    ambiguous = [s for s in stamps if s is not None and not s.year_first]
    if not ambiguous:
        return YEAR_FIRST, ""
    day_first = any(s.first > 12 for s in ambiguous)
    month_first = any(s.second > 12 for s in ambiguous)
    if day_first and not month_first:
        return DAY_FIRST, "day/month order: day first (a first number above 12)"
    if month_first and not day_first:
        return MONTH_FIRST, "day/month order: month first (a second number above 12)"
    if day_first and month_first:
        majority = DAY_FIRST if sum(s.first > 12 for s in ambiguous) >= sum(s.second > 12 for s in ambiguous) \
            else MONTH_FIRST
        return majority, (f"day/month order: the column mixes both orders; read as {majority.replace('-', ' ')}, "
                          "cells that contradict it are reported")
    if any(s.ampm for s in ambiguous):
        return MONTH_FIRST, ("day/month order cannot be decided from the column (no number above 12); month first "
                             "assumed because the times use AM/PM (English export)")
    return DAY_FIRST, ("day/month order cannot be decided from the column (no number above 12); day first assumed "
                       "(French export)")


def decided_order(texts: list[str]) -> str | None:
    """The day/month order the cells of a column decide by themselves (a number above 12 in one place only,
    or only year-first cells), None when they do not (every number 12 or below, or both orders seen)."""
    return _decided(*column_order([split_stamp(text) if text else None for text in texts]))


def _decided(order: str, note: str) -> str | None:
    if order == YEAR_FIRST:
        return order
    return order if note.endswith("(a first number above 12)") or note.endswith("(a second number above 12)") \
        else None


def dates_and_decided_order(texts: list[str]) -> tuple[list[dt.date | None], str | None]:
    """The `parse_timestamps` dates of a column's cells and its `decided_order`, each cell read once (the
    drafter asks both of every column of dates)."""
    stamps, order, note, dates = _read_column(texts)
    return dates, _decided(order, note)


def _read_column(texts: list[str]) -> tuple[list[Stamp | None], str, str, list[dt.date | None]]:
    """(each cell's stamp, the column's day/month order and its note, each cell's date) of a column of timestamps."""
    stamps = [split_stamp(text) if text else None for text in texts]
    order, note = column_order(stamps)
    return stamps, order, note, [_date(s, order) if s is not None else None for s in stamps]


def _date(stamp: Stamp, order: str) -> dt.date | None:
    if stamp.year_first:
        year, month, day = stamp.first, stamp.second, stamp.third
    elif order == MONTH_FIRST:
        month, day, year = stamp.first, stamp.second, stamp.third
    else:
        day, month, year = stamp.first, stamp.second, stamp.third
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_timestamps(texts: list[str]) -> ParsedColumn:
    """Dates of the timestamp cells of one column; None where a cell is empty or not a valid timestamp."""
    stamps, order, note, dates = _read_column(texts)
    moments = [None if date is None else dt.datetime.combine(date, dt.time()) + dt.timedelta(seconds=s.seconds or 0)
               for s, date in zip(stamps, dates)]
    return ParsedColumn(dates, order, note, moments)


def parse_date(text: str, order: str = DAY_FIRST) -> dt.date | None:
    """One date answer (a `date` question), day first unless told otherwise."""
    stamp = split_stamp(text)
    return _date(stamp, order) if stamp is not None else None
