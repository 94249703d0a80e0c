"""timeline(involving:) by every rule of ``timeline.model.involvement``, on both backends.

A small graph of its own: a country, places inside it (by LOCATED_IN chains, by their
recorded ``country``, one chain too long to follow), organizations of it (recorded and
located), people holding positions with and without dates, and events each reached by
one rule (or by none), with a sub-event for the roll-up.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import _Loaded
from timeline.model.dates import parse_date
from timeline.model.involvement import LOCATION_DEPTH, MAX_REASONS, Involvement, Mode, Rule
from timeline.model.records import (
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
from timeline.stores.base import Order, Store, TimelineQuery

DOC = "document:involvement"
SRC = (Source(DOC, "as the test says"),)


def _event(slug: str, day: str) -> Event:
    return Event(
        id=f"event:{slug}",
        name=slug.replace("-", " ").title(),
        date=parse_date(day),
        category="meeting",
        sources=SRC,
    )


def _rel(subject: str, type_: str, obj: str, **extra: object) -> Relation:
    return Relation(type=type_, subject=subject, object=obj, sources=SRC, **extra)  # type: ignore[arg-type]


def involvement_dataset() -> Dataset:
    far = [f"place:far-{i}" for i in range(LOCATION_DEPTH + 1)]  # far-0 is one step too far
    entities: list[Entity] = [
        Country(id="country:aa", name="Aaland", code="AA", sources=SRC),
        Country(id="country:bb", name="Beeland", code="BB", sources=SRC),
        Place(id="place:capital", name="Capital", country="country:aa", sources=SRC),
        Place(id="place:venue", name="Grand Venue", sources=SRC),
        Place(id="place:room", name="Blue Room", sources=SRC),
        Place(id="place:region", name="North Region", sources=SRC),
        Place(id="place:abroad", name="Abroad City", country="country:bb", sources=SRC),
        *(Place(id=p, name=p.split(":")[1].title(), sources=SRC) for p in far),
        Organization(
            id="organization:ministry", name="Ministry", country="country:aa", sources=SRC
        ),
        Organization(id="organization:office", name="Field Office", sources=SRC),
        Organization(id="organization:ngo", name="Free NGO", sources=SRC),
        Person(id="person:minister", name="Min Ister", sources=SRC),
        Person(id="person:elder", name="El Der", sources=SRC),
        Person(id="person:envoy", name="En Voy", sources=SRC),
        _event("summit-2020", "2020-05-01"),
        _event("session-2020", "2020-05-01"),
        _event("talks-2019", "2019-06-01"),
        _event("talks-2021", "2021-03-01"),
        _event("talks-2023", "2023-03-01"),
        _event("forum-2022", "2022-02-01"),
        _event("expo-2022", "2022-03-01"),
        _event("ngo-meeting-2022", "2022-04-01"),
        _event("far-2022", "2022-05-01"),
        _event("near-2022", "2022-06-01"),
        _event("visit-2022", "2022-07-01"),
        _event("direct-2022", "2022-08-01"),
        _event("abroad-2022", "2022-09-01"),
    ]
    relations = [
        _rel("place:venue", "LOCATED_IN", "place:capital"),
        _rel("place:room", "LOCATED_IN", "place:venue"),
        _rel("place:region", "LOCATED_IN", "country:aa"),
        *(_rel(a, "LOCATED_IN", b) for a, b in itertools.pairwise(far)),
        _rel(far[-1], "LOCATED_IN", "country:aa"),
        _rel("organization:office", "LOCATED_IN", "place:capital"),
        _rel(
            "person:minister",
            "HOLDS_POSITION",
            "country:aa",
            title="Minister",
            start=parse_date("2020-01-01"),
            end=parse_date("2021-12-31"),
        ),
        _rel("person:elder", "HOLDS_POSITION", "country:aa", title="Elder"),
        _rel(
            "person:envoy",
            "HOLDS_POSITION",
            "organization:ministry",
            title="Envoy",
            start=parse_date("2022"),
        ),
        _rel("event:session-2020", "PART_OF", "event:summit-2020"),
        _rel("event:session-2020", "HELD_IN", "place:room"),
        _rel("person:minister", "ATTENDED", "event:talks-2019"),
        _rel("person:minister", "ATTENDED", "event:talks-2021"),
        _rel("person:envoy", "ATTENDED", "event:talks-2021"),
        _rel("person:minister", "ATTENDED", "event:talks-2023"),
        _rel("person:elder", "HOSTED", "event:talks-2023"),
        _rel("organization:ministry", "HOSTED", "event:forum-2022"),
        _rel("person:envoy", "ATTENDED", "event:forum-2022"),
        _rel("organization:office", "ATTENDED", "event:expo-2022"),
        _rel("organization:ngo", "ATTENDED", "event:ngo-meeting-2022"),
        _rel("event:far-2022", "HELD_IN", far[0]),
        _rel("event:near-2022", "HELD_IN", far[1]),
        _rel("event:visit-2022", "HELD_IN", "place:region"),
        _rel("country:bb", "ATTENDED", "event:visit-2022"),
        _rel("country:aa", "ATTENDED", "event:direct-2022"),
        _rel("event:abroad-2022", "HELD_IN", "place:abroad"),
    ]
    return Dataset(
        documents={DOC: Document(id=DOC, title="Involvement test graph")},
        entities={e.id: e for e in entities},
        relations=relations,
    )


@pytest.fixture
async def graph(loaded: _Loaded) -> Store:
    if loaded.current != "involvement":
        loaded.current = None
        await loaded.store.load(involvement_dataset())
        loaded.current = "involvement"
    return loaded.store


def ev(*slugs: str) -> list[str]:
    return [f"event:{s}" for s in slugs]


AA_ALL = ev(
    "session-2020",
    "summit-2020",
    "talks-2021",
    "forum-2022",
    "expo-2022",
    "near-2022",
    "visit-2022",
    "direct-2022",
    "talks-2023",
)


async def page_ids(store: Store, *involving: str, **options: object) -> list[str]:
    query = TimelineQuery(involving=involving, first=100, **options)  # type: ignore[arg-type]
    return [e.id for e in (await store.timeline(query)).events]


async def test_a_country_by_every_rule(graph: Store) -> None:
    assert await page_ids(graph, "country:aa") == AA_ALL
    page = await graph.timeline(TimelineQuery(involving=("country:aa",), first=3))
    assert page.total == len(AA_ALL) and page.has_next


async def test_direct_mode_is_the_narrow_set(graph: Store) -> None:
    assert await page_ids(graph, "country:aa", mode=Mode.DIRECT) == ev("direct-2022")
    assert await page_ids(graph, "place:capital", mode=Mode.DIRECT) == []
    assert await page_ids(graph, "organization:ministry", mode=Mode.DIRECT) == ev("forum-2022")


async def test_a_place_covers_the_places_inside_it(graph: Store) -> None:
    # The session was held in a room of a venue in the capital; the summit has it as a part.
    assert await page_ids(graph, "place:capital") == ev("session-2020", "summit-2020")
    assert await page_ids(graph, "place:venue") == ev("session-2020", "summit-2020")
    # LOCATION_DEPTH relations are followed, not one more.
    assert await page_ids(graph, "place:far-8") == ev("far-2022", "near-2022")
    assert "event:far-2022" not in await page_ids(graph, "country:aa")


async def test_an_organization_covers_its_position_holders(graph: Store) -> None:
    # The envoy's position starts in 2022: the 2021 talks are not the ministry's.
    assert await page_ids(graph, "organization:ministry") == ev("forum-2022")
    assert await page_ids(graph, "organization:ngo") == ev("ngo-meeting-2022")


async def test_position_dates_bound_when_a_person_counts(graph: Store) -> None:
    found = await page_ids(graph, "country:aa")
    assert "event:talks-2021" in found  # during the minister's office
    assert "event:talks-2019" not in found  # before it
    assert "event:talks-2023" in found  # after it, but the undated elder hosted


async def test_several_ids_combine_with_and(graph: Store) -> None:
    assert await page_ids(graph, "country:aa", "country:bb") == ev("visit-2022")
    assert await page_ids(graph, "country:bb", "country:aa") == ev("visit-2022")
    assert await page_ids(graph, "country:bb") == ev("visit-2022", "abroad-2022")
    assert await page_ids(graph, "country:aa", "organization:ministry") == ev("forum-2022")
    assert await page_ids(graph, "country:aa", "person:nobody") == []
    assert await page_ids(graph, "place:capital", "country:aa") == ev("session-2020", "summit-2020")


async def test_filters_order_and_cursor_apply_to_the_broad_set(graph: Store) -> None:
    query = TimelineQuery(
        involving=("country:aa",),
        order=Order.DESC,
        first=2,
        start=parse_date("2021").start,
        end=parse_date("2022").end,
    )
    first = await graph.timeline(query)
    assert [e.id for e in first.events] == ev("direct-2022", "visit-2022")
    assert first.total == 6 and first.has_next and not first.has_previous
    second = await graph.timeline(replace(query, after=first.events[-1].sort_key))
    assert [e.id for e in second.events] == ev("near-2022", "expo-2022")
    assert second.has_previous


def lines(page_reasons: list[Involvement]) -> list[str]:
    return [r.describe() for r in page_reasons]


async def test_every_event_says_why(graph: Store) -> None:
    page = await graph.timeline(TimelineQuery(involving=("country:aa",), first=100, explain=True))
    why = page.reasons
    assert why is not None and set(why) == set(AA_ALL)
    assert lines(why["event:session-2020"]) == [
        "held in Blue Room, in Grand Venue, in Capital, in Aaland"
    ]
    session = why["event:session-2020"][0]
    assert session.rule is Rule.PLACE and session.via == 0
    assert session.chain == (
        "event:session-2020",
        "place:room",
        "place:venue",
        "place:capital",
        "country:aa",
    )
    summit = why["event:summit-2020"]
    assert [r.chain[:2] for r in summit] == [("event:summit-2020", "event:session-2020")]
    assert lines(summit) == [
        "through Session 2020: held in Blue Room, in Grand Venue, in Capital, in Aaland"
    ]
    assert lines(why["event:talks-2021"]) == ["Min Ister, Minister of Aaland, took part"]
    assert lines(why["event:talks-2023"]) == ["El Der, Elder of Aaland, hosted"]
    assert lines(why["event:forum-2022"]) == ["Ministry (Aaland) hosted"]
    assert lines(why["event:expo-2022"]) == ["Field Office (Capital, Aaland) took part"]
    assert why["event:expo-2022"][0].chain == (
        "event:expo-2022",
        "organization:office",
        "place:capital",
        "country:aa",
    )
    assert lines(why["event:visit-2022"]) == ["held in North Region, in Aaland"]
    assert lines(why["event:direct-2022"]) == ["Aaland took part"]
    assert why["event:direct-2022"][0].rule is Rule.DIRECT
    assert all(len(r) <= MAX_REASONS for r in why.values())


async def test_reasons_for_each_listed_id(graph: Store) -> None:
    query = TimelineQuery(involving=("country:bb", "country:aa"), explain=True)
    page = await graph.timeline(query)
    assert page.reasons == {
        "event:visit-2022": [
            r
            for r in page.reasons["event:visit-2022"]
            if r.involving in {"country:aa", "country:bb"}
        ]
    }
    assert [(r.involving, r.describe()) for r in page.reasons["event:visit-2022"]] == [
        ("country:bb", "Beeland took part"),
        ("country:aa", "held in North Region, in Aaland"),
    ]
    ministry = await graph.timeline(
        TimelineQuery(involving=("organization:ministry",), explain=True)
    )
    assert ministry.reasons is not None
    assert lines(ministry.reasons["event:forum-2022"]) == [
        "Ministry hosted",
        "En Voy, Envoy of Ministry, took part",
    ]


async def test_no_reasons_unless_asked(graph: Store) -> None:
    page = await graph.timeline(TimelineQuery(involving=("country:aa",)))
    assert page.reasons is None
    page = await graph.timeline(
        TimelineQuery(involving=("country:aa",), mode=Mode.DIRECT, explain=True)
    )
    assert page.reasons == {
        "event:direct-2022": [
            Involvement(
                involving="country:aa",
                rule=Rule.DIRECT,
                chain=("event:direct-2022", "country:aa"),
                names=("Direct 2022", "Aaland"),
                via=0,
                relation="ATTENDED",
                inward=True,
            )
        ]
    }


# --- the benchmark's raw Cypher floor and the @neo4j/graphql peer follow the same rule ------

PEER_TYPEDEFS = (
    Path(__file__).resolve().parents[2] / "graph" / "bench" / "peer" / "typeDefs.graphql"
)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_peer_timeline_uses_the_raw_floor_rule_word_for_word() -> None:
    from benchmarks.raw_cypher import INVOLVED

    peer = _words(PEER_TYPEDEFS.read_text(encoding="utf-8"))
    assert peer.count(_words(INVOLVED)) == 2  # timeline and timelineCount


@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
@pytest.mark.parametrize(
    "entity",
    ["country:pa", "country:us", "place:panama-city", "organization:dhs", "person:antony-blinken"],
)
async def test_the_raw_floor_answers_w1_as_the_store_does(seeded_store: Store, entity: str) -> None:
    from benchmarks.raw_cypher import RawCypher

    from tests.conftest import neo4j_options

    options = neo4j_options()
    raw = RawCypher(options["uri"], options["user"], options["password"])
    try:
        answer = await raw.call("W1", {"id": entity, "from": "2022-01-01", "to": "2022-12-31"})()
    finally:
        await raw.close()
    page = await seeded_store.timeline(
        TimelineQuery(
            involving=(entity,), start=parse_date("2022").start, end=parse_date("2022").end
        )
    )
    assert answer["total"] == page.total > 0
    assert [item["event"][0] for item in answer["events"]] == [e.id for e in page.events]
