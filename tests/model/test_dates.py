"""EDTF dates: spans, precision and honest display."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.model.dates import DateError, DatePrecision, parse_date, parse_day

#: CLDR's (en_GB) interval dash between two full dates: thin spaces around an en dash.
T = "\u2009–\u2009"


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "display"),
    [
        ("2022-04-20", "2022-04-20", "2022-04-20", "DAY", "20 April 2022"),
        ("2021-10", "2021-10-01", "2021-10-31", "MONTH", "October 2021"),
        ("2024", "2024-01-01", "2024-12-31", "YEAR", "2024"),
        ("2024-02", "2024-02-01", "2024-02-29", "MONTH", "February 2024"),
        ("2022-06-06/2022-06-10", "2022-06-06", "2022-06-10", "DAY", f"6{T}10 June 2022"),
        ("2022-04-30/2022-05-02", "2022-04-30", "2022-05-02", "DAY", f"30 April{T}2 May 2022"),
        (
            "2021-12-30/2022-01-02",
            "2021-12-30",
            "2022-01-02",
            "DAY",
            f"30 December 2021{T}2 January 2022",
        ),
        ("2022-04/2022-06", "2022-04-01", "2022-06-30", "MONTH", f"April{T}June 2022"),
        ("2021-10/2022-03", "2021-10-01", "2022-03-31", "MONTH", f"October 2021{T}March 2022"),
        ("2021/2022", "2021-01-01", "2022-12-31", "YEAR", f"2021{T}2022"),
        # Mixed precision: the coarser end decides, so the display claims no false precision.
        ("2024-03/2024-12-15", "2024-03-01", "2024-12-15", "MONTH", f"March{T}December 2024"),
    ],
)
def test_spans(text: str, start: str, end: str, precision: str, display: str) -> None:
    span = parse_date(text)
    assert (span.start.isoformat(), span.end.isoformat()) == (start, end)
    assert span.precision is DatePrecision(precision)
    assert span.display == display
    assert span.edtf == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2022-13", "not an EDTF date"),
        ("2022-02-30", "not an EDTF date"),
        ("April 2022", "not an EDTF date"),
        ("2022-06-10/2022-06-06", "ends before it starts"),
        ("2022-21", "unsupported EDTF form"),  # a season
        ("2022-04-20~", "unsupported EDTF form"),  # approximate
        ("2022/..", "not an EDTF date|unsupported EDTF form"),  # open interval
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(text)


def test_overlap_with_open_ends() -> None:
    october = parse_date("2021-10")
    assert october.overlaps(dt.date(2021, 10, 31), None)
    assert october.overlaps(None, dt.date(2021, 10, 1))
    assert not october.overlaps(dt.date(2021, 11, 1), None)
    assert october.overlaps(None, None)


@pytest.mark.parametrize("text", ["20220420", "2022-W16-3", "2022-4-2", "2022-04-20T10:00", ""])
def test_parse_day_takes_only_iso_days(text: str) -> None:
    with pytest.raises(DateError, match="YYYY-MM-DD"):
        parse_day(text)
    assert parse_day(" 2022-04-20 ") == dt.date(2022, 4, 20)
