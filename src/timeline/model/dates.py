"""Dates as precise as the sources allow: EDTF strings turned into day spans.

A :class:`DateSpan` keeps the EDTF text it came from and derives the earliest and
latest calendar day it can cover, its precision and display text in any language.

Display text comes from CLDR through Babel's date and interval formatting, with no more
precision than the span has (a month stays a month): a year is the skeleton ``y``, a month
``yMMMM``, a day ``yMMMMd``, and a span of several of those CLDR's interval format for the
same skeleton. English is written with CLDR's ``en_GB`` data (day month year, as timeline
always has); ``en-US`` and any other CLDR locale can be asked for.

>>> span = parse_date("2021-10")
>>> span.start, span.end, span.precision.value, span.display
(datetime.date(2021, 10, 1), datetime.date(2021, 10, 31), 'MONTH', 'October 2021')
>>> parse_date("2022-06-06/2022-06-10").display  # CLDR puts thin spaces around the dash
'6\u2009–\u200910 June 2022'
>>> parse_date("2022-04-19/2022-04-20").display_in("es")
'19–20 de abril de 2022'
>>> parse_date("2022-04/2022-06").display_in("es")
'abril–junio de 2022'
>>> parse_date("2021/2022").display_in("es")
'2021–2022'
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import edtf
from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, match_skeleton, parse_pattern

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


@dataclass(frozen=True, slots=True)
class DateSpan:
    """When something happened, only as precisely as the sources say."""

    edtf: str
    start: dt.date
    end: dt.date
    precision: DatePrecision

    @property
    def display(self) -> str:
        """In English."""
        return format_span(self)

    def display_in(self, locale: str | None) -> str:
        """In ``locale`` (a BCP 47 or CLDR tag; an unknown one falls back to English)."""
        return format_span(self, locale)

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


#: The CLDR data each of timeline's own languages is written with.
_CLDR = {"en": "en_GB"}
#: The skeleton of each precision: no field finer than the sources say.
_SKELETON = {DatePrecision.YEAR: "y", DatePrecision.MONTH: "yMMMM", DatePrecision.DAY: "yMMMMd"}


@lru_cache(maxsize=256)
def date_locale(locale: str | None) -> Locale:
    """The Babel locale dates are written in for ``locale``; English for anything unknown."""
    tag = (locale or "en").strip().replace("-", "_")[:35] or "en"
    tag = _CLDR.get(tag.lower(), tag)
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        language = tag.split("_")[0].lower()
        if language != tag.lower():
            return date_locale(language)
        return Locale.parse(_CLDR["en"])


def _widen(pattern: str, skeleton: str) -> str:
    """A CLDR pattern for a shorter month (``MMM``) written with the skeleton's full month
    names, as TR35 says a matched skeleton's field widths are adjusted (Babel does not)."""
    if "MMMM" not in skeleton:
        return pattern
    out, quoted = [], False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            quoted = not quoted
        if not quoted and char in "ML":
            j = i
            while j < len(pattern) and pattern[j] == char:
                j += 1
            out.append(char * 4 if j - i == 3 else pattern[i:j])
            i = j
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _interval(start: dt.date, end: dt.date, skeleton: str, locale: Locale) -> str:
    """CLDR's interval format of ``skeleton`` (the greatest differing field decides)."""
    formats = locale.interval_formats
    matched = skeleton if skeleton in formats else match_skeleton(skeleton, formats)
    if matched:
        if start.year != end.year:
            field = "y"
        elif start.month != end.month:
            field = "M"
        else:
            field = "d"
        parts = formats[matched].get(field)
        if parts:
            return "".join(
                parse_pattern(_widen(pattern, skeleton)).apply(day, locale)
                for pattern, day in zip(parts, (start, end), strict=True)
            )
    fallback = str(formats.get(None, "{0} – {1}"))
    return fallback.format(
        format_skeleton(skeleton, start, locale=locale),
        format_skeleton(skeleton, end, locale=locale),
    )


@lru_cache(maxsize=65536)
def _format(start: dt.date, end: dt.date, precision: DatePrecision, locale: Locale) -> str:
    skeleton = _SKELETON[precision]
    same = {
        DatePrecision.YEAR: start.year == end.year,
        DatePrecision.MONTH: (start.year, start.month) == (end.year, end.month),
        DatePrecision.DAY: start == end,
    }[precision]
    if same:
        return format_skeleton(skeleton, start, locale=locale)
    return _interval(start, end, skeleton, locale)


def format_span(span: DateSpan, locale: str | None = None) -> str:
    """Display text in ``locale`` (English by default) that claims no more precision than
    the span has."""
    return _format(span.start, span.end, span.precision, date_locale(locale))
