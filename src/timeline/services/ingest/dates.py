"""Date phrases in a text, resolved from the document's date to EDTF with honest precision.

Phrases are found by patterns (English and Spanish: "19 April 2022", "April 19", "October
2021", "2024", "this Wednesday", "last year", "two years ago", "hace dos años", "el año
pasado", "earlier this month" ...). Each phrase is resolved by dateparser (offline, with
the document's date as its relative base, preferring the past, as reporting does), which
also says the period the phrase names (day, week, month, year); that period is the EDTF
precision. Weekday phrases ("this Wednesday", "el pasado miércoles") and "earlier this
month/year" are resolved here, from the document's day. Phrases with no calendar
position ("recently", "soon", "in a few weeks") give no date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser

from timeline.model.dates import DatePrecision, DateSpan, parse_date

__all__ = ["FoundDate", "document_day", "find_dates"]

_EN_MONTHS = "january february march april may june july august september october november december"
_ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre"
    " diciembre"
)
_MONTH = (
    r"(?:"
    + "|".join(_EN_MONTHS.split() + _ES_MONTHS.split())
    + r"|sept?\.?|oct\.?|nov\.?|dec\.?|jan\.?|feb\.?|aug\.?)"
)
_EN_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_ES_DAYS = "lunes martes miércoles miercoles jueves viernes sábado sabado domingo"
_WEEKDAY = r"(?:" + "|".join(_EN_DAYS.split() + _ES_DAYS.split()) + r")"
_WEEKDAY_NUMBER = {
    **{name: i for i, name in enumerate(_EN_DAYS.split())},
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "sabado": 5, "domingo": 6,
}  # fmt: skip
_NUMBER = (
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|un|una|uno|dos"
    r"|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|a)"
)
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "un": 1, "una": 1, "uno": 1,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_YEAR = r"(?:19|20)\d{2}"
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"

# Order matters: the longest forms first; a later pattern never overlaps an earlier match.
_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
    (
        "absolute",
        rf"\b{_DAYNUM}\s*[-–]\s*{_DAYNUM}\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+|del\s+)?{_YEAR})?\b",
    ),
    ("absolute", rf"\b{_MONTH}\s+{_DAYNUM}\s*[-–]\s*{_DAYNUM}(?:,?\s+{_YEAR})?\b"),
    ("absolute", rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAYNUM}(?:,?\s+{_YEAR})?\b"),
    (
        "absolute",
        rf"\b(?:{_WEEKDAY},?\s+)?{_DAYNUM}\s+(?:de\s+|of\s+)?{_MONTH}(?:,?\s+(?:de\s+|del\s+)?{_YEAR})?\b",
    ),
    ("absolute", rf"\b{_MONTH}\s+(?:of\s+|de\s+|del\s+)?{_YEAR}\b"),
    # "January of last year", "in May this year", "enero del año pasado", "marzo de este año"
    (
        "month_year",
        rf"\b{_MONTH}\s+(?:of\s+)?(?:this|last|next|past)\s+year\b"
        rf"|\b{_MONTH}\s+(?:de|del)\s+(?:el\s+)?(?:año\s+(?:pasado|próximo|proximo|que\s+viene)"
        r"|(?:este|próximo|proximo)\s+año)\b",
    ),
    ("relative", r"\b(?:earlier|later)\s+this\s+(?:month|year|week)\b"),
    ("relative", r"\b(?:this|last|next|past)\s+(?:week|month|year)\b"),
    ("relative", r"\b(?:este|esta|el\s+próximo|el\s+proximo)\s+(?:año|mes|semana)\b"),
    (
        "relative",
        r"\b(?:el|la)\s+(?:año|mes|semana)\s+(?:pasad[oa]|próxim[oa]|proxim[oa]|que\s+viene)\b",
    ),
    ("relative", rf"\b{_NUMBER}\s+(?:days?|weeks?|months?|years?)\s+ago\b"),
    ("relative", rf"\bhace\s+{_NUMBER}\s+(?:días?|dias?|semanas?|mes(?:es)?|años?)\b"),
    (
        "weekday",
        rf"\b(?:this|last|next|on|este|el|el\s+pasado|el\s+próximo|el\s+proximo)\s+{_WEEKDAY}(?:\s+pasado|\s+próximo)?\b",
    ),
    ("relative", r"\b(?:today|yesterday|tomorrow|hoy|ayer|mañana)\b"),
    ("month", rf"\b(?:in|since|by|during|until|en|desde|hasta|durante)\s+{_MONTH}\b"),
    ("year", rf"(?<![\d$€£.,])\b{_YEAR}\b(?![\d%]|,\d|\.\d)"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS]
_PRECISION = {"day": DatePrecision.DAY, "week": DatePrecision.DAY, "month": DatePrecision.MONTH,
              "year": DatePrecision.YEAR}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date phrase: where it is, what it says, and whether it is relative."""

    start: int
    end: int
    phrase: str
    span: DateSpan
    relative: bool


def document_day(published: str) -> tuple[dt.date, DatePrecision]:
    """The day relative dates are counted from, and how precise the document's date is
    (an article dated only "2024" supports no day)."""
    span = parse_date(published)
    return span.start, span.precision


@lru_cache(maxsize=16)
def _parser(language: str, base: dt.date) -> DateDataParser:
    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=[language], settings=settings)


def _span(day: dt.date, precision: DatePrecision, until: dt.date | None = None) -> DateSpan:
    if precision is DatePrecision.YEAR:
        return parse_date(f"{day.year:04d}")
    if precision is DatePrecision.MONTH:
        return parse_date(f"{day.year:04d}-{day.month:02d}")
    if until is not None and until != day:
        return parse_date(f"{day.isoformat()}/{until.isoformat()}")
    return parse_date(day.isoformat())


def _words_to_digits(phrase: str) -> str:
    return re.sub(
        r"\b(" + "|".join(_NUMBERS) + r")\b",
        lambda m: str(_NUMBERS[m.group(1).lower()]),
        phrase,
        flags=re.IGNORECASE,
    )


def _parse(phrase: str, base: dt.date, language: str) -> tuple[dt.date, str] | None:
    cleaned = _words_to_digits(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", phrase))
    cleaned = re.sub(r"\b(?:of|de|del)\b", " ", cleaned) if re.search(r"\d", cleaned) else cleaned
    for lang in (language, "es" if language == "en" else "en"):
        data = _parser(lang, base).get_date_data(" ".join(cleaned.split()))
        if data.date_obj is not None:
            return data.date_obj.date(), str(data.period or "day")
    return None


def _resolve(
    kind: str,
    phrase: str,
    base: dt.date,
    base_precision: DatePrecision,
    language: str,
    future: bool = False,
) -> DateSpan | None:
    """``future``: the phrase follows a verb of the future ("will meet again in February"),
    so a date without its year is the coming one, not the one gone."""
    lower = phrase.lower()
    relative = kind in ("relative", "weekday", "month")
    if kind == "month_year":
        # the month by name, the year counted from the document's
        shift = (
            -1 if re.search(r"last|past|pasado", lower)
            else 1 if re.search(r"next|pr[óo]ximo|que\s+viene", lower)
            else 0
        )  # fmt: skip
        parsed = _parse(lower.split()[0], base, language)
        if parsed is None:
            return None
        return _span(dt.date(base.year + shift, parsed[0].month, 1), DatePrecision.MONTH)
    if relative and kind != "month" and base_precision is not DatePrecision.DAY:
        # a document dated only to the month or year cannot place "this Wednesday"
        if not re.search(r"year|año", lower):
            return None
        if base_precision is DatePrecision.YEAR and not re.search(r"\d|ago|hace|pasad|last", lower):
            return None
    if kind == "iso":
        return _span(dt.date.fromisoformat(phrase), DatePrecision.DAY)
    if kind == "year":
        return parse_date(phrase)
    if kind == "weekday":
        name = next(w for w in re.findall(r"[^\W\d_]+", lower) if w in _WEEKDAY_NUMBER)
        target = _WEEKDAY_NUMBER[name]
        back = (base.weekday() - target) % 7
        if re.search(r"\b(?:next|próximo|proximo)\b", lower):
            return _span(
                base + dt.timedelta(days=(target - base.weekday()) % 7 or 7), DatePrecision.DAY
            )
        if future and not re.search(r"\b(?:last|pasado)\b", lower):
            return _span(
                base + dt.timedelta(days=(target - base.weekday()) % 7 or 7), DatePrecision.DAY
            )
        if re.search(r"\b(?:last|pasado)\b", lower):
            back = back or 7
        elif re.search(r"\bthis\b|\beste\b", lower) and back > 3:
            # "this Thursday" said on a Wednesday is tomorrow
            return _span(base + dt.timedelta(days=(target - base.weekday()) % 7), DatePrecision.DAY)
        return _span(base - dt.timedelta(days=back), DatePrecision.DAY)
    if re.match(r"(?:earlier|later)\s+this\s+(month|year|week)", lower):
        unit = lower.split()[-1]
        return _span(base, DatePrecision.YEAR if unit == "year" else DatePrecision.MONTH)
    if re.match(r"(?:this|este|esta)\s+(?:year|año)", lower):
        return _span(base, DatePrecision.YEAR)
    if re.match(r"(?:this|este|esta)\s+(?:month|mes)", lower):
        return _span(base, DatePrecision.MONTH)
    if re.search(r"(?:last|past)\s+year|año\s+pasado", lower):
        return _span(base.replace(year=base.year - 1, day=1), DatePrecision.YEAR)
    if re.search(r"next\s+year|próximo\s+año|proximo\s+año", lower):
        return _span(base.replace(year=base.year + 1, day=1), DatePrecision.YEAR)
    if kind == "month":
        name = re.sub(r"^\S+\s+", "", phrase)
        parsed = _parse(name, base, language)
        if parsed is None:
            return None
        day = parsed[0]
        if future and (day.year, day.month) < (base.year, base.month):
            day = _replace_year(day, day.year + 1)
        return _span(day, DatePrecision.MONTH)
    day_range = re.match(r"(\d{1,2})\D*?[-–]\s*(\d{1,2})(.*)$", phrase) or re.match(
        r"(\D+?)\s*(\d{1,2})\s*[-–]\s*(\d{1,2})(.*)$", phrase
    )
    if kind == "absolute" and day_range:
        groups = day_range.groups()
        if groups[0].isdigit():
            first, last, rest = groups[0], groups[1], groups[2]
            single = f"{first} {rest}"
        else:
            month, first, last, rest = groups
            single = f"{month} {first}{rest}"
        parsed = _parse(single, base, language)
        if parsed is None:
            return None
        start = (
            _nearest_year(parsed[0], base, base_precision, future)
            if not re.search(_YEAR, phrase)
            else parsed[0]
        )
        try:
            end = start.replace(day=int(last))
        except ValueError:
            return None
        if end < start:
            return None
        return _span(start, DatePrecision.DAY, end)
    parsed = _parse(phrase, base, language)
    if parsed is None:
        return None
    day, period = parsed
    precision = _PRECISION.get(period, DatePrecision.DAY)
    if period == "week":
        start = day - dt.timedelta(days=day.weekday())
        return _span(start, DatePrecision.DAY, start + dt.timedelta(days=6))
    if kind == "absolute" and not re.search(_YEAR, phrase):
        return _span(_nearest_year(day, base, base_precision, future), precision)
    return _span(day, precision)


def _nearest_year(
    day: dt.date, base: dt.date, base_precision: DatePrecision, coming: bool = False
) -> dt.date:
    """A day written without its year: in the document's year if the document gives no
    day, else the year that puts it nearest the document's day ("June 6-10" in April is
    this June; "December 3" in January is last December; "April 19" in December is the
    April gone)."""
    if base_precision is DatePrecision.YEAR:
        return _replace_year(day, base.year)
    past = max(d for d in (_replace_year(day, base.year + k) for k in (-1, 0)) if d <= base)
    later = min(d for d in (_replace_year(day, base.year + k) for k in (0, 1)) if d > base)
    # reporting is mostly about the past; the future when the text says so, or when it is
    # much nearer
    if coming:
        return later
    return later if (later - base).days * 4 < (base - past).days else past


def _replace_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


#: A verb of the future before a date phrase: "will meet again in June", "va a viajar el
#: jueves", and the future of reported speech ("said they would meet again in January",
#: "dijeron que se reunirían en enero"). A date after it, written without its year, is
#: the coming one.
_FUTURE = re.compile(
    r"\b(?:will|shall|would|plans? to|is to|are to|is scheduled to|upcoming|agreed to"
    r"|decided to|to meet again)\b"
    r"|\b(?:será|serán|va a|van a|viajará|se celebrará|se reunirán|se reunirían|planea"
    r"|acordaron|decidieron)\b",
    re.I,
)


#: A verb of the past: what follows it may be reported, not planned.
_PAST = re.compile(r"\b(?:said|told|wrote|\w{3,}ed|dijo|afirmó|señaló|anunció)\b", re.I)


def find_dates(
    text: str, start: int, end: int, published: str, language: str = "en"
) -> list[FoundDate]:
    """The date phrases of ``text[start:end]``, resolved from the document date ``published``
    (EDTF), in text order; phrases that cannot be placed on the calendar are left out."""
    base, base_precision = document_day(published)
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    segment = text[start:end]
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(segment):
            s, e = start + match.start(), start + match.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            phrase = match.group()
            if kind == "month" and phrase.split()[-1].lower().rstrip(".") == "may":
                continue  # "in May" is too often the verb
            # the future verb before the phrase, or right after an opening one ("In
            # February, many of us will meet again"; not "On 19 April, X said Y will")
            after = _FUTURE.search(text, e, min(end, e + 60)) if s - start < 25 else None
            # (not when a verb of the past stands between: "X will open consulates,
            # announced Y on Monday" is last Monday)
            before = list(_FUTURE.finditer(text, max(start, s - 80), s))
            ahead = bool(before) and not _PAST.search(text, before[-1].end(), s)
            ahead = ahead or (after is not None and not _PAST.search(text, e, after.start()))
            try:
                span = _resolve(kind, phrase, base, base_precision, language, ahead)
            except (ValueError, StopIteration):
                span = None
            if span is None:
                continue
            if kind in ("month",):
                # "in May" without a year: the phrase starts at the month name
                offset = match.group().find(match.group().split()[-1])
                s = s + offset
                phrase = phrase[offset:]
            taken.append((s, e))
            relative = kind in ("relative", "weekday", "month", "month_year")
            found.append(FoundDate(s, e, phrase, span, relative))
    found.sort(key=lambda f: f.start)
    return found
