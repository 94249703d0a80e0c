"""Dates per locale from CLDR (Babel): each precision kept, intervals as CLDR writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_interval, format_skeleton

from timeline.model.dates import date_locale, parse_date

T = "\u2009–\u2009"  # CLDR's dash between two dates that differ in more than the last field


@pytest.mark.parametrize(
    ("edtf", "locale", "display"),
    [
        # the examples
        ("2022-04-19/2022-04-20", "es", "19–20 de abril de 2022"),
        ("2022-04/2022-06", "es", "abril–junio de 2022"),
        ("2021/2022", "es", "2021–2022"),
        # each precision in each language
        ("2022-04-20", "en", "20 April 2022"),
        ("2022-04-20", "es", "20 de abril de 2022"),
        ("2022-04-20", "pt", "20 de abril de 2022"),
        ("2022-04-20", "fr", "20 avril 2022"),
        ("2021-10", "en", "October 2021"),
        ("2021-10", "es", "octubre de 2021"),
        ("2021-10", "pt", "outubro de 2021"),
        ("2021-10", "fr", "octobre 2021"),
        ("2024", "fr", "2024"),
        ("2022-04-19/2022-04-20", "pt", f"19{T}20 de abril de 2022"),
        ("2022-04-19/2022-04-20", "fr", "19–20 avril 2022"),
        ("2022-04-30/2022-05-02", "es", f"30 de abril{T}2 de mayo de 2022"),
        ("2022-04/2022-06", "pt", f"abril{T}junho de 2022"),
        ("2022-04/2022-06", "fr", f"avril{T}juin 2022"),
        ("2021-11/2022-02", "es", f"noviembre de 2021{T}febrero de 2022"),
        ("2021-12-30/2022-01-02", "fr", f"30 décembre 2021{T}2 janvier 2022"),
        # a regional tag: its own CLDR data
        ("2022-04-20", "en-US", "April 20, 2022"),
        # a month stays a month, a year a year, whatever the language
        ("2024-03/2024-12-15", "es", "marzo–diciembre de 2024"),
    ],
)
def test_display_per_locale(edtf: str, locale: str, display: str) -> None:
    assert parse_date(edtf).display_in(locale) == display


@pytest.mark.parametrize("locale", ["en", "es", "pt", "fr"])
@pytest.mark.parametrize(
    ("edtf", "skeleton"), [("2022-04-20", "yMMMMd"), ("2021-10", "yMMMM"), ("2024", "y")]
)
def test_single_dates_are_cldr_skeletons(locale: str, edtf: str, skeleton: str) -> None:
    span = parse_date(edtf)
    expected = format_skeleton(skeleton, span.start, locale=date_locale(locale))
    assert span.display_in(locale) == expected


@pytest.mark.parametrize(
    ("edtf", "skeleton"),
    [("2022-04-19/2022-04-20", "yMMMMd"), ("2022-04/2022-06", "yMMMM"), ("2021/2022", "y")],
)
def test_intervals_are_babels_where_cldr_has_the_skeleton(edtf: str, skeleton: str) -> None:
    span = parse_date(edtf)
    assert span.display_in("es") == format_interval(span.start, span.end, skeleton, locale="es")


def test_no_finer_field_than_the_precision() -> None:
    for locale in ("en", "es", "pt", "fr"):
        month = parse_date("2021-10").display_in(locale)
        assert "1" not in month.replace("2021", "")  # no day
        assert parse_date("2024").display_in(locale) == "2024"


@pytest.mark.parametrize("locale", ["xx", "zz-ZZ", "", None, "es_ZZ", "x" * 100, "../etc"])
def test_unknown_locales_fall_back(locale: str | None) -> None:
    shown = parse_date("2021-10").display_in(locale)
    assert shown == ("octubre de 2021" if locale == "es_ZZ" else "October 2021")


def test_date_locale_is_cached_and_total() -> None:
    assert date_locale("es-MX").language == "es"
    assert str(date_locale("en")) == "en_GB"
    assert date_locale("pt_BR").territory == "BR"
    assert parse_date("2022-04-20").start == dt.date(2022, 4, 20)
