"""Dates as precise as the sources allow: EDTF strings turned into day spans.

A :class:`DateSpan` keeps the EDTF text it came from and derives the earliest and
latest calendar day it can cover, its precision and an English display string.

>>> span = parse_date("2021-10")
>>> span.start, span.end, span.precision.value, span.display
(datetime.date(2021, 10, 1), datetime.date(2021, 10, 31), 'MONTH', 'October 2021')
>>> parse_date("2022-06-06/2022-06-10").display
'6–10 June 2022'
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import edtf

__all__ = ["DateError", "DatePrecision", "DateSpan", "parse_date", "parse_day"]


class DateError(ValueError):
    """A date that is not an EDTF form timeline understands."""


class DatePrecision(Enum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"

    @property
    def rank(self) -> int:
        """Coarser precisions rank higher: DAY < MONTH < YEAR."""
        return _RANK[self]


_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
_EDTF_PRECISION = {
    "day": DatePrecision.DAY,
    "month": DatePrecision.MONTH,
    "year": DatePrecision.YEAR,
}
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateSpan:
    """When something happened, only as precisely as the sources say."""

    edtf: str
    start: dt.date
    end: dt.date
    precision: DatePrecision

    @property
    def display(self) -> str:
        return format_span(self)

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """True if this span shares at least one day with [start, end] (open ends allowed)."""
        return (start is None or self.end >= start) and (end is None or self.start <= end)


def _to_date(value: time.struct_time) -> dt.date:
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


def _single(value: object, text: str) -> tuple[dt.date, dt.date, DatePrecision]:
    if type(value) is not edtf.Date:
        raise DateError(
            f"unsupported EDTF form {text!r}: use a day (2022-04-20), a month (2021-10), "
            "a year (2024) or an interval of those (2022-06-06/2022-06-10)"
        )
    precision = _EDTF_PRECISION.get(str(value.precision))
    if precision is None:
        raise DateError(f"unsupported EDTF precision in {text!r}")
    return _to_date(value.lower_strict()), _to_date(value.upper_strict()), precision


@lru_cache(maxsize=65536)
def parse_date(text: str) -> DateSpan:
    """Parse an EDTF day, month, year or closed interval of those into a :class:`DateSpan`.

    Raises :class:`DateError` with a reason a person can act on.
    """
    text = str(text).strip()
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as exc:  # edtf raises its own exception types and sometimes ValueError
        raise DateError(f"not an EDTF date: {text!r}") from exc
    if type(parsed) is edtf.Interval:
        lo_start, _, lo_precision = _single(parsed.lower, text)
        _, hi_end, hi_precision = _single(parsed.upper, text)
        if hi_end < lo_start:
            raise DateError(f"interval ends before it starts: {text!r}")
        precision = max(lo_precision, hi_precision, key=lambda p: p.rank)
        return DateSpan(text, lo_start, hi_end, precision)
    start, end, precision = _single(parsed, text)
    return DateSpan(text, start, end, precision)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> dt.date:
    """Parse a plain ISO calendar day (YYYY-MM-DD), as used by API filters.

    Only that form: Python's ``fromisoformat`` would also take ``20220420`` and week dates.
    """
    text = str(text).strip()
    if not _DAY.match(text):
        raise DateError(f"not a calendar day (YYYY-MM-DD): {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DateError(f"not a calendar day (YYYY-MM-DD): {text!r}") from exc


def _day(value: dt.date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _month(value: dt.date) -> str:
    return f"{_MONTHS[value.month - 1]} {value.year}"


def format_span(span: DateSpan) -> str:
    """English display text that claims no more precision than the span has."""
    start, end, precision = span.start, span.end, span.precision
    if precision is DatePrecision.YEAR:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision is DatePrecision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return _month(start)
        if start.year == end.year:
            return f"{_MONTHS[start.month - 1]}–{_MONTHS[end.month - 1]} {end.year}"
        return f"{_month(start)} – {_month(end)}"
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"
