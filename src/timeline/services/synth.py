"""Deterministic synthetic graphs shaped like the real one, for benchmarks at scale.

``synthesize(events=N, seed=S)`` returns a :class:`Dataset` with N events over 1990–2030
(a tenth of them top-level meetings with sub-events, ministerials in series), about N/5
people, N/20 organizations, 250 countries, N/50 agreements and N/100 places. Participation
is skewed like the real thing: a few hubs take part in very many events and a long tail
in one or two (participants are drawn with Zipf-like weights). Every entity and relation
carries a source. The same arguments always give the same dataset.

>>> small = synthesize(events=200, seed=1)
>>> small.counts()["event"], small.counts()["country"]
(200, 250)
>>> synthesize(events=200, seed=1).version() == small.version()
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import string
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.model.dates import DatePrecision, DateSpan
from timeline.model.records import (
    Agreement,
    Country,
    Dataset,
    Document,
    Entity,
    Event,
    Organization,
    Person,
    Place,
    Relation,
    Source,
)

__all__ = ["synthesize"]

FIRST_DAY = dt.date(1990, 1, 1)
DAYS = (dt.date(2030, 12, 31) - FIRST_DAY).days
TOP_CATEGORIES = ("ministerial", "summit", "meeting", "visit")
SUB_CATEGORIES = ("session", "press_conference", "signing", "reception", "meeting")
ROLES = ("delegation", "speaker", "participant", "moderator", "signatory", "observer")
SYLLABLES = ("ba", "ca", "da", "fa", "ga", "la", "ma", "na", "pa", "ra", "sa", "ta", "va", "za")


class _Weighted:
    """Draws ids with Zipf-like weights: rank r has weight 1 / (r + offset) ** exponent."""

    def __init__(self, ids: Sequence[str], rng: random.Random, exponent: float = 1.1) -> None:
        self.ids = list(ids)
        rng.shuffle(self.ids)
        weights = [1.0 / (rank + 8) ** exponent for rank in range(len(self.ids))]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def draw(self, count: int) -> set[str]:
        total = self.cumulative[-1]
        picks: set[str] = set()
        for _ in range(count * 3):  # a few retries for repeats, then settle for fewer
            if len(picks) == count:
                break
            picks.add(self.ids[bisect(self.cumulative, self.rng.random() * total)])
        return picks


@dataclass
class _Builder:
    rng: random.Random
    sources: list[tuple[Source, ...]]

    def source(self) -> tuple[Source, ...]:
        return self.rng.choice(self.sources)

    def name(self, words: int = 2) -> str:
        return " ".join(
            "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()
            for _ in range(words)
        )

    def relation(self, subject: str, type_: str, obj: str, **extra: object) -> Relation:
        return Relation(type=type_, subject=subject, object=obj, sources=self.source(), **extra)  # type: ignore[arg-type]


def _country_codes() -> list[str]:
    pairs = ("".join(p) for p in itertools.product(string.ascii_uppercase, repeat=2))
    return list(itertools.islice(pairs, 250))


def _date(rng: random.Random, start: dt.date | None = None, span: int = 0) -> DateSpan:
    """A date span: mostly days, some months and years, some multi-day spans.

    Built directly rather than parsed: the generator knows its dates, and EDTF parsing
    costs milliseconds a date, which adds up to minutes at a million events.
    """
    day = (
        start + dt.timedelta(days=rng.randint(0, span))
        if start
        else FIRST_DAY + dt.timedelta(days=rng.randint(0, DAYS))
    )
    roll = rng.random()
    if start is None and roll < 0.05:
        return DateSpan(
            str(day.year),
            day.replace(month=1, day=1),
            day.replace(month=12, day=31),
            DatePrecision.YEAR,
        )
    if start is None and roll < 0.15:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return DateSpan(day.strftime("%Y-%m"), first, last, DatePrecision.MONTH)
    if start is None and roll < 0.3:
        end = day + dt.timedelta(days=rng.randint(1, 4))
        return DateSpan(f"{day.isoformat()}/{end.isoformat()}", day, end, DatePrecision.DAY)
    return DateSpan(day.isoformat(), day, day, DatePrecision.DAY)


def synthesize(events: int, seed: int = 0) -> Dataset:
    """A synthetic dataset with ``events`` events; deterministic for a given ``seed``."""
    rng = random.Random(seed)
    documents = {
        f"document:synthetic-{i}": Document(
            id=f"document:synthetic-{i}",
            title=f"Synthetic report {i}",
            publisher="timeline synth",
            language="en",
        )
        for i in range(max(1, events // 1000))
    }
    build = _Builder(rng, [(Source(d, "synthetic evidence"),) for d in documents])
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []

    def add(entity: Entity) -> str:
        entities[entity.id] = entity
        return entity.id

    countries = [
        add(
            Country(
                id=f"country:{code.lower()}",
                name=f"Republic of {build.name(1)}",
                code=code,
                sources=build.source(),
            )
        )
        for code in _country_codes()
    ]
    places = [
        add(
            Place(
                id=f"place:p{i}",
                name=f"{build.name(1)} City",
                country=rng.choice(countries),
                latitude=round(rng.uniform(-50, 60), 4),
                longitude=round(rng.uniform(-120, 20), 4),
                sources=build.source(),
            )
        )
        for i in range(max(10, events // 100))
    ]
    people = [
        add(
            Person(
                id=f"person:p{i}",
                name=build.name(),
                aliases=(build.name(),) if i % 7 == 0 else (),
                sources=build.source(),
            )
        )
        for i in range(max(10, events // 5))
    ]
    orgs = [
        add(
            Organization(
                id=f"organization:o{i}",
                name=f"{build.name(1)} Agency",
                acronym=None,
                org_type=rng.choice(("intergovernmental", "ngo", "government_agency")),
                sources=build.source(),
            )
        )
        for i in range(max(5, events // 20))
    ]
    for person in people:
        relations.append(
            build.relation(
                person,
                "HOLDS_POSITION",
                rng.choice(countries + orgs[:50]),
                title=rng.choice(("Minister", "Ambassador", "Director")),
            )
        )

    person_pool = _Weighted(people, rng, exponent=1.3)
    country_pool = _Weighted(countries, rng, exponent=0.9)
    org_pool = _Weighted(orgs, rng)
    top_level: list[str] = []
    series_members: dict[str, int] = {}
    count = 0
    while count < events:
        parent_date = _date(rng)
        category = rng.choice(TOP_CATEGORIES)
        series = (
            f"series-{rng.randrange(max(1, events // 200))}" if category == "ministerial" else None
        )
        order = None
        if series is not None:
            order = series_members[series] = series_members.get(series, 0) + 1
        parent = add(
            Event(
                id=f"event:e{count}",
                name=f"{build.name()} {category.title()}",
                category=category,
                date=parent_date,
                series=series,
                series_order=order,
                description=f"A synthetic {category}.",
                sources=build.source(),
            )
        )
        top_level.append(parent)
        count += 1
        _participants(build, relations, parent, person_pool, country_pool, org_pool, host=True)
        relations.append(build.relation(parent, "HELD_IN", rng.choice(places)))
        span = (parent_date.end - parent_date.start).days
        for _ in range(min(rng.choice((0, 0, 0, 2, 4, 8)), events - count)):
            sub = add(
                Event(
                    id=f"event:e{count}",
                    name=f"{build.name()} {rng.choice(SUB_CATEGORIES)}",
                    category=rng.choice(SUB_CATEGORIES),
                    date=_date(rng, parent_date.start, span),
                    sources=build.source(),
                )
            )
            count += 1
            relations.append(build.relation(sub, "PART_OF", parent))
            _participants(build, relations, sub, person_pool, country_pool, org_pool, host=False)

    for i in range(max(1, events // 50)):
        agreement = add(
            Agreement(
                id=f"agreement:a{i}",
                name=f"{build.name(1)} Declaration",
                date=_date(rng),
                agreement_type="declaration",
                sources=build.source(),
            )
        )
        relations.append(build.relation(agreement, "ADOPTED_AT", rng.choice(top_level)))
        for country in sorted(country_pool.draw(rng.randint(2, 5))):
            relations.append(build.relation(country, "PARTY_TO", agreement))
        for person in sorted(person_pool.draw(rng.randint(1, 2))):
            relations.append(build.relation(person, "SIGNED", agreement))
    return Dataset(documents=documents, entities=entities, relations=_unique(relations))


def _participants(
    build: _Builder,
    relations: list[Relation],
    event: str,
    people: _Weighted,
    countries: _Weighted,
    orgs: _Weighted,
    host: bool,
) -> None:
    rng = build.rng
    drawn = sorted(countries.draw(rng.randint(1, 3)))
    if host:
        relations.append(build.relation(drawn[0], "HOSTED", event, role="host"))
        drawn = drawn[1:]
    for country in drawn:
        relations.append(build.relation(country, "ATTENDED", event, role="delegation"))
    for person in sorted(people.draw(rng.randint(1, 4))):
        relations.append(build.relation(person, "ATTENDED", event, role=rng.choice(ROLES)))
    for org in sorted(orgs.draw(rng.choice((0, 0, 1, 2)))):
        relations.append(build.relation(org, "ATTENDED", event, role="observer"))


def _unique(relations: list[Relation]) -> list[Relation]:
    """One relation per key, as seeds require."""
    seen: dict[tuple[str, ...], Relation] = {}
    for relation in relations:
        seen.setdefault(relation.key, relation)
    return list(seen.values())
