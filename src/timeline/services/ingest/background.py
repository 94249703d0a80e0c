"""Events a sentence names in passing, as a noun phrase beside the event it reports.

"Biden makes his second visit to the border, following the visit to El Paso in January
of last year": the sentence reports this week's visit, and names another, earlier one, with
its own place and date. "Trump's visit to Eagle Pass this Thursday", "the inauguration of
Bernardo Arévalo in Guatemala", "la visita de Petro a Caracas el año pasado": each is an
event of its own, whoever's the noun says (a possessor, "of"/"de" a person), held where its
"to"/"in"/"a"/"en" says, dated by the date phrase right after it.

Only a noun with a determiner or a possessor counts (not "to visit"), and only with a place
and either a person or a date: "starting the trip to the United States" names no event.

>>> from timeline.model.ids import Kind
>>> text = "Lee is on his third visit, after Kim's visit to Seoul in May."
>>> def named(name, kind):
...     at = text.index(name.title())
...     return Mentioned(at, at + len(name), f"{kind.value}:{name}", kind, 1.0, True)
>>> items = [named("lee", Kind.PERSON), named("kim", Kind.PERSON), named("seoul", Kind.PLACE)]
>>> [(b.category, b.people, b.place) for b in in_passing(text, (0, len(text)), items)]
[('visit', [('person:kim', True)], 'place:seoul')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.model.ids import Kind
from timeline.services.ingest.dates import FoundDate
from timeline.services.ingest.extract import Mentioned

__all__ = ["InPassing", "in_passing"]

#: event nouns and their category; the first word of a phrase is the noun
_NOUNS = re.compile(
    r"\b(?P<visit>visit|trip|tour|visita|viaje|gira)\b"
    r"|\b(?P<inauguration>inauguration|swearing-in|investiture|investidura"
    r"|toma\s+de\s+posesi[óo]n)\b",
    re.I,
)
#: what makes the word a noun: a determiner or a possessor, and up to two lower-case
#: words ("his second visit", "Trump's visit", "la primera visita")
_DETERMINED = re.compile(
    r"(?:\b(?:the|his|her|their|its|a|an|la|el|del|al|su|una|un)|[’']s)\s+"
    r"(?:[a-záéíóúñ][\w-]*\s+){0,2}$",
    re.I,
)
_POSSESSIVE = re.compile(r"[’']s\s")
#: "of social democrat Bernardo Arévalo", "de Petro", "by the Pope"
_WHOSE = re.compile(r"^\s+(?:of|by|de|del)\s+(?:(?:the|el|la)\s+)?(?:[a-záéíóúñ][\w-]*\s+){0,3}$")
#: "to El Paso", "in Guatemala", "a Caracas", "en la frontera de"
_WHERE = re.compile(r"^\s+(?:to|in|at|a|en)\s+(?:(?:the|el|la)\s+)?$")
#: between the phrase and its date: "in January of last year", "this Thursday", "el año"
_DATE_GAP = re.compile(r"^,?\s*(?:(?:in|on|en|el|del|de)\s+)?$")
_PLACES = (Kind.PLACE, Kind.COUNTRY)


@dataclass(slots=True)
class InPassing:
    category: str
    #: the noun
    cue: tuple[int, int]
    #: the phrase, from its determiner to its place
    span: tuple[int, int]
    #: (person, stated): a possessor or "of" is stated; "his"/"her" is the sentence's one
    #: person before the noun, inferred
    people: list[tuple[str, bool]]
    place: str
    #: the date phrase right after it
    date: FoundDate | None


def in_passing(
    text: str,
    sentence: tuple[int, int],
    items: Sequence[Mentioned],
    dates: Sequence[FoundDate] = (),
) -> list[InPassing]:
    """The event noun phrases of ``text[sentence[0]:sentence[1]]`` with a place, and a
    person or a date (``items``, in order of position, are what the sentence names;
    ``dates``, its dates)."""
    start, end = sentence
    out = []
    for noun in _NOUNS.finditer(text, start, end):
        before = text[max(start, noun.start() - 40) : noun.start()]
        determiner = _DETERMINED.search(before)
        if determiner is None:
            continue
        opens = noun.start() - len(before) + determiner.start()
        people: list[tuple[str, bool]] = []
        owner = next(
            (
                m
                for m in items
                if m.kind is Kind.PERSON and _POSSESSIVE.match(text, m.end, noun.start())
                and m.end == opens
            ),
            None,
        )  # fmt: skip
        if owner is not None:
            people.append((owner.entity, True))
            opens = owner.start
        elif re.match(r"(?i:his|her|su)\b", determiner.group()):
            earlier = list(
                dict.fromkeys(m.entity for m in items if m.kind is Kind.PERSON and m.end <= opens)
            )
            if len(earlier) == 1:
                people.append((earlier[0], False))
        at = noun.end()
        later = [m for m in items if m.start >= at]
        for m in later:
            gap = text[at : m.start]
            if m.kind is Kind.PERSON and not people and _WHOSE.match(gap):
                people.append((m.entity, True))
                at = m.end
        place = None
        for m in later:
            if m.start >= at and m.kind in _PLACES and _WHERE.match(text[at : m.start]):
                place, at = m.entity, m.end
                break
        date = next(
            (d for d in dates if d.start >= at and _DATE_GAP.match(text[at : d.start])), None
        )
        if place is None or not (people or date):
            continue
        category = "visit" if noun.group("visit") else "inauguration"
        out.append(InPassing(category, noun.span(), (opens, at), people, place, date))
    return out
