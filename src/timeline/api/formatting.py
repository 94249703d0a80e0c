"""Every string the embeds and the explorer show a reader, and how values are put into words.

The words come from gettext message catalogues, one per language, in
``timeline/api/locales/<locale>/LC_MESSAGES/timeline.po`` (the template is
``locales/timeline.pot``), read with Babel. A message id is a key (``events.more``); a
message with plural forms has ids ``<key>.one`` / ``<key>.other`` and as many forms as the
language's ``Plural-Forms`` header says (Spanish, Portuguese and French have a third, for
millions: "1 000 000 d’événements").

Which form a count takes follows CLDR's plural rules for the language (Babel's
``Locale.plural_form`` on the server, ``Intl.PluralRules`` in the browser), so the server and
``static/format.js`` choose alike: the table handed to the browser carries one entry per CLDR
category (``events.count.one``, ``events.count.many``, ``events.count.other``).

A locale asked for that has no catalogue falls back (``es-MX`` -> ``es``, ``de`` ->
``en``); it never fails.

>>> fmt = formatter("en")
>>> fmt.plural("events.count", 1)
'1 event'
>>> fmt.category("press_conference")
'Press conference'
>>> fmt.relation("ATTENDED", "IN")
'Attended by'
>>> formatter("es-MX").plural("sources.toggle", 2)
'2 fuentes'
>>> formatter("fr").plural("events.count", 0)
'0 événement'
>>> formatter("de").locale
'en'
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.core import negotiate_locale
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "Formatter",
    "catalogue",
    "formatter",
    "negotiate",
    "parse_accept_language",
]

DEFAULT_LOCALE = "en"
#: The languages with a catalogue, and each one's name in itself (for the language switch).
LOCALES: dict[str, str] = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}
DOMAIN = "timeline"
_PLURAL_SUFFIXES = (".one", ".other")
_CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue_path(locale: str) -> Any:
    return resources.files("timeline.api").joinpath(
        "locales", locale, "LC_MESSAGES", f"{DOMAIN}.po"
    )


@cache
def catalogue(locale: str) -> Any:
    """The Babel :class:`~babel.messages.catalog.Catalog` read from the locale's ``.po``."""
    with catalogue_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _samples(locale: Locale) -> dict[str, int]:
    """A count for each CLDR plural category of the language (the first that has it)."""
    found: dict[str, int] = {}
    for n in (*range(0, 200), 1_000_000, 2_000_000):
        found.setdefault(locale.plural_form(n), n)
    return found


@cache
def _table(locale: str) -> dict[str, str]:
    """The flat message table: plain keys, and ``<key>.<CLDR category>`` for plurals."""
    cat = catalogue(locale)
    babel_locale = Locale.parse(locale)
    index_of = gettext.c2py(cat.plural_expr)
    samples = _samples(babel_locale)
    table: dict[str, str] = {}
    for message in cat:
        if not message.id:
            continue  # the header
        if isinstance(message.id, tuple):
            base = message.id[0].removesuffix(".one")
            forms = message.string
            for category, n in samples.items():
                table[f"{base}.{category}"] = forms[min(index_of(n), len(forms) - 1)]
            table.setdefault(f"{base}.other", forms[-1])
        elif message.string:
            table[message.id] = message.string
    return table


def negotiate(wanted: Iterable[str | None]) -> str:
    """The first supported locale of ``wanted`` (best first; ``pt-BR`` finds ``pt``), else
    English. Anything unparseable is skipped, never an error."""
    clean = [str(w).strip().replace("_", "-")[:35] for w in wanted if w and str(w).strip()]
    found = negotiate_locale(clean, list(LOCALES), sep="-")
    if found:
        return found
    for value in clean:
        language = value.split("-")[0].lower()
        if language in LOCALES:
            return language
    return DEFAULT_LOCALE


def parse_accept_language(header: str | None) -> list[str]:
    """An ``Accept-Language`` header's languages, most wanted first (q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def _words(value: str) -> str:
    """``press_conference`` -> ``press conference``."""
    return re.sub(r"[_\s]+", " ", value).strip()


class Formatter:
    """Messages and labels in one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.babel = Locale.parse(locale)
        self._messages = {**_table(DEFAULT_LOCALE), **_table(locale)}

    @property
    def messages(self) -> dict[str, str]:
        """The whole table, for the browser."""
        return dict(self._messages)

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` with ``{name}`` placeholders filled in."""
        template = self._messages.get(key, key)
        return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), template)

    def plural(self, key: str, count: int, **params: Any) -> str:
        """The form of ``key`` the language's CLDR plural rule gives ``count``."""
        category = self.babel.plural_form(count)
        if f"{key}.{category}" not in self._messages:
            category = "other"
        shown = format_decimal(count, locale=self.babel)
        return self.t(f"{key}.{category}", **{"count": shown, **params})

    def category(self, value: str) -> str:
        label = self._messages.get(f"category.{value}")
        if label is not None:
            return label
        words = _words(value)
        return words[:1].upper() + words[1:]

    def role(self, value: str) -> str:
        return self._messages.get(f"role.{value}") or _words(value)

    def kind(self, value: str) -> str:
        return self._messages.get(f"kind.{value.upper()}") or value.capitalize()

    def relation(self, type_: str, direction: str) -> str:
        label = self._messages.get(f"relation.{type_}.{direction}")
        if label is not None:
            return label
        words = _words(type_.lower())
        return words[:1].upper() + words[1:]

    def date(self, span: Mapping[str, Any] | None) -> str:
        """A ``DateSpan`` as the API formats it (its ``display``)."""
        return str(span.get("display") or span.get("edtf") or "") if span else ""

    def join(self, names: list[str]) -> str:
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + self.t("embed.names_and") + names[-1]


@cache
def _formatter(locale: str) -> Formatter:
    return Formatter(locale)


def formatter(*wanted: str | None) -> Formatter:
    """The formatter for the first supported of ``wanted`` (``en-GB`` -> ``en``), else
    English: an unsupported locale falls back, never fails."""
    return _formatter(negotiate(wanted))
