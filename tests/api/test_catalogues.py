"""The message catalogues (gettext .po, read with Babel): every language has every message,
with the language's plural forms and the same placeholders as English; every key the pages
and scripts use is in the catalogue."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from timeline.api.formatting import DEFAULT_LOCALE, LOCALES, catalogue, formatter, negotiate

PLACEHOLDER = re.compile(r"\{(\w+)\}")
API = resources.files("timeline.api")


def _template() -> Catalog:
    with API.joinpath("locales", "timeline.pot").open("rb") as handle:
        return read_po(handle)


def _ids(cat: Catalog) -> set[object]:
    return {m.id for m in cat if m.id}


def _placeholders(texts: object) -> set[str]:
    items = texts if isinstance(texts, tuple) else (texts,)
    return {name for text in items for name in PLACEHOLDER.findall(str(text))}


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_catalogue_is_complete(locale: str) -> None:
    template, cat = _template(), catalogue(locale)
    assert _ids(cat) == _ids(template), "catalogue and template list different messages"
    reference = catalogue(DEFAULT_LOCALE)
    for message in cat:
        if not message.id:
            continue
        assert not message.fuzzy, f"{locale}: {message.id} is fuzzy"
        strings = message.string if isinstance(message.id, tuple) else (message.string,)
        if isinstance(message.id, tuple):
            assert len(strings) == cat.num_plurals, f"{locale}: {message.id} plural forms"
        assert all(s.strip() for s in strings), f"{locale}: {message.id} is untranslated"
        english = reference.get(message.id)
        assert english is not None
        assert _placeholders(message.string) == _placeholders(english.string), message.id


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_plural_forms_follow_cldr(locale: str) -> None:
    cat = catalogue(locale)
    # Babel's Plural-Forms for the language, the one CLDR implies.
    assert cat.num_plurals == Catalog(locale=locale).num_plurals
    fmt = formatter(locale)
    rule = Locale.parse(locale).plural_form
    for category in rule.tags | {"other"}:
        assert f"events.count.{category}" in fmt.messages


@pytest.mark.parametrize(
    ("locale", "count", "text"),
    [
        ("en", 1, "1 event"),
        ("en", 0, "0 events"),
        ("es", 1, "1 evento"),
        ("es", 0, "0 eventos"),
        ("es", 1_000_000, "1.000.000 de eventos"),
        ("pt", 0, "0 evento"),
        ("pt", 3, "3 eventos"),
        ("fr", 1, "1 événement"),
        ("fr", 0, "0 événement"),
        ("fr", 2, "2 événements"),
        ("fr", 1_000_000, "1\u202f000\u202f000 d’événements"),
    ],
)
def test_plurals_per_language(locale: str, count: int, text: str) -> None:
    assert formatter(locale).plural("events.count", count) == text


def _used_keys() -> set[str]:
    """Message keys the templates, scripts and page code ask for."""
    pattern = re.compile(r"""\b(?:t|plural)\(\s*['"]([a-z_]+\.[A-Za-z0-9_.-]+)['"]""")
    found: set[str] = set()
    for folder, suffixes in (("templates", (".html",)), ("static", (".js",))):
        for item in API.joinpath(folder).iterdir():
            if item.name.endswith(suffixes):
                found |= set(pattern.findall(item.read_text(encoding="utf-8")))
    for name in ("pages.py", "app.py"):
        found |= set(pattern.findall(API.joinpath(name).read_text(encoding="utf-8")))
    return found


def test_every_key_used_is_in_the_catalogue() -> None:
    used = _used_keys()
    assert len(used) > 40, "the key scan found too little to be looking in the right place"
    english = formatter("en").messages
    missing = sorted(k for k in used if k not in english and f"{k}.other" not in english)
    assert not missing, f"keys used but not in the catalogue: {missing}"


@pytest.mark.parametrize(
    ("wanted", "locale"),
    [
        (["es-MX"], "es"),
        (["pt_BR"], "pt"),
        (["fr-CA"], "fr"),
        (["de", "fr"], "fr"),
        (["xx"], "en"),
        ([None, ""], "en"),
        (["\x00" * 80], "en"),
    ],
)
def test_negotiation_falls_back(wanted: list[str | None], locale: str) -> None:
    assert negotiate(wanted) == locale
