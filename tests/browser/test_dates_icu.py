"""Our CLDR dates (Babel) against Chromium's own CLDR (ICU's ``Intl.DateTimeFormat``
``formatRange``), in the four languages: the same words, fields and order. ICU in Debian's
Chromium carries an older CLDR that writes a plain space where Babel's newer one writes a
thin space around the dash, so spaces are compared as spaces."""

from __future__ import annotations

import re
from typing import Any

import pytest

from timeline.model.dates import parse_date

CASES = [
    "2022-04-19/2022-04-20",
    "2022-04-30/2022-05-02",
    "2021-12-30/2022-01-02",
    "2022-04-20",
    "2021-10",
    "2022-04/2022-06",
    "2021-11/2022-02",
    "2024",
    "2021/2022",
]
OPTIONS = {
    "DAY": {"year": "numeric", "month": "long", "day": "numeric"},
    "MONTH": {"year": "numeric", "month": "long"},
    "YEAR": {"year": "numeric"},
}
TAGS = {"en": "en-GB", "es": "es", "pt": "pt", "fr": "fr"}


def _spaces(text: str) -> str:
    return re.sub(r"[\s\u2009\u202f\u00a0]+", " ", text)


@pytest.mark.parametrize("locale", sorted(TAGS))
async def test_dates_match_the_browsers_cldr(browser: Any, locale: str) -> None:
    page = await browser.new_page()
    try:
        for edtf in CASES:
            span = parse_date(edtf)
            icu = await page.evaluate(
                """([tag, options, a, b]) => new Intl.DateTimeFormat(tag, {...options,
                     timeZone: 'UTC'}).formatRange(new Date(a), new Date(b))""",
                [TAGS[locale], OPTIONS[span.precision.value], str(span.start), str(span.end)],
            )
            assert _spaces(span.display_in(locale)) == _spaces(icu), (locale, edtf)
    finally:
        await page.close()
