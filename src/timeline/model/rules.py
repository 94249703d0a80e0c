"""The rules seed validation (``model/seeds.py``) and curation (``services/curation.py``)
both apply, once: each a plain function over records' values that answers the problem in
words (or None when there is none). The callers say where the problem is (a file and line,
or an input path) and may put what they need before the words.

>>> self_link("ATTENDED", "person:a", "person:a")
'ATTENDED links person:a to itself'
>>> position_title("HOLDS_POSITION", None)
"HOLDS_POSITION needs a 'title'"
>>> position_title("ATTENDED", None) is None
True
>>> wrong_kind("country:pa", Kind.COUNTRY, {Kind.PERSON, Kind.ORGANIZATION})
"'country:pa' is a country, expected organization, person"
>>> unquoted("met in  Quito", "They met in Quito.", "document:x") is None
True
>>> unquoted("met in Lima", "They met in Quito.", "document:x")
"not found verbatim in document:x: 'met in Lima'"
>>> country_code("country:pa", "PA") is None
True
>>> country_code("country:pa", "CO")
"'CO' does not match id 'country:pa'"
>>> unused_acronyms(["IOM", "OIM"], "U.S.", ["The IOM said"])
[('aliases', 'OIM'), ('acronym', 'U.S.')]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from timeline.model.ids import Kind
from timeline.model.involvement import POSITION
from timeline.model.text import normalize_quote

__all__ = [
    "country_code",
    "is_acronym",
    "position_title",
    "self_link",
    "unquoted",
    "unused_acronyms",
    "uses_word",
    "wrong_kind",
]


def self_link(type_: str, subject: str, object_: str) -> str | None:
    """A relation may not link a node to itself."""
    return f"{type_} links {subject} to itself" if subject == object_ else None


def position_title(type_: str, title: str | None) -> str | None:
    """A position (``HOLDS_POSITION``) needs its title."""
    return f"{POSITION} needs a 'title'" if type_ == POSITION and title is None else None


def wrong_kind(ref: str, kind: Kind, allowed: Collection[Kind]) -> str | None:
    """A reference must name a node of an allowed kind (the kinds a relation type may
    link, ``RELATION_TYPES``, or a country where a country is due)."""
    if kind in allowed:
        return None
    names = ", ".join(sorted(k.value for k in allowed))
    return f"{ref!r} is a {kind.value}, expected {names}"


def unquoted(quote: str, text: str, document: str) -> str | None:
    """A quote must be in its document's text verbatim: ``text`` comes normalised
    (``normalize_quote``, as both callers keep their texts), the quote is normalised here."""
    if normalize_quote(quote) in text:
        return None
    return f"not found verbatim in {document}: {quote[:80]!r}"


def country_code(country: str, code: str) -> str | None:
    """A country's id is ``country:`` and its code in lower case."""
    if country == f"country:{code.lower()}":
        return None
    return f"{code!r} does not match id {country!r}"


_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9&.\-/]+$")


def is_acronym(name: str) -> bool:
    """All capitals with two letters or more, no space: ``IOM``, ``U.S.``, ``H-2B`` is not."""
    return _ACRONYM.match(name) is not None


def uses_word(text: str, word: str) -> bool:
    """``word`` appears in ``text`` verbatim as a whole word (case counted)."""
    word = normalize_quote(word)
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text) is not None


def unused_acronyms(
    aliases: Iterable[str], acronym: str | None, texts: Sequence[str]
) -> list[tuple[str, str]]:
    """The acronyms among an entity's names (``aliases``, then ``acronym``) that none of
    ``texts`` (those it, its claims or its relations cite, normalised) uses, as (key, name):
    an acronym is a name readers search for and quote, so one the texts never use is an
    invention. Nothing is said without texts to check against."""
    if not texts:
        return []
    names = [("aliases", alias) for alias in aliases]
    if acronym:
        names.append(("acronym", acronym))
    return [
        (key, name)
        for key, name in names
        if is_acronym(name) and not any(uses_word(text, name) for text in texts)
    ]
