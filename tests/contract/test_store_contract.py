"""The store contract: every backend gives these exact answers on the fixture graph."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.fixtures import HOSTILE, mini_dataset
from timeline.model.ids import Kind
from timeline.model.records import Event, Person, Relation
from timeline.stores.base import Order, Store, TimelineQuery, UnknownNode

ANCHORS_IN_ORDER = [
    "event:bogota-ministerial-2021",
    "event:panama-ministerial-2022",
    "event:summit-of-the-americas-2022",
    "event:washington-trilateral-2024",
    "event:guatemala-ministerial-2024",
]


def ids(items: object) -> list[str]:
    return [item.id for item in items]  # type: ignore[attr-defined]


async def all_pages(store: Store, query: TimelineQuery) -> list[str]:
    """Walk a timeline page by page with keyset cursors."""
    seen: list[str] = []
    after = None
    while True:
        page = await store.timeline(replace(query, after=after))
        seen += ids(page.events)
        if not page.has_next:
            return seen
        after = page.events[-1].sort_key


# --- lookups ---------------------------------------------------------------------------------


async def test_get_nodes_returns_entities_and_documents_and_skips_unknown(store: Store) -> None:
    found = await store.get_nodes(["person:antony-blinken", "document:fixture", "person:nobody"])
    assert set(found) == {"person:antony-blinken", "document:fixture"}
    blinken = found["person:antony-blinken"]
    assert isinstance(blinken, Person)
    assert blinken.aliases == ("Antony Blink", "Anthony Blinken", "Bliken")
    assert blinken.sources[0].document == "document:fixture"


async def test_records_round_trip_with_all_fields(store: Store) -> None:
    expected = mini_dataset()
    found = await store.get_nodes(list(expected.entities) + list(expected.documents))
    assert found == {**expected.entities, **expected.documents}


async def test_hostile_strings_are_stored_and_returned_verbatim(store: Store) -> None:
    found = await store.get_nodes(["person:hostile", "event:hostile-2023"])
    assert found["person:hostile"].name == HOSTILE
    assert found["person:hostile"].sources[0].quote == HOSTILE  # type: ignore[union-attr]
    assert found["event:hostile-2023"].description == HOSTILE  # type: ignore[union-attr]
    rels = await store.relations(["person:hostile"])
    assert [r.role for r in rels["person:hostile"]] == [HOSTILE]


async def test_relations_both_directions_ordered_by_key(store: Store) -> None:
    rels = (await store.relations(["event:panama-signing-2022"]))["event:panama-signing-2022"]
    assert [r.key for r in rels] == sorted(r.key for r in rels)
    assert {(r.subject, r.type, r.object) for r in rels} == {
        ("event:panama-signing-2022", "PART_OF", "event:panama-ministerial-2022"),
        ("event:panama-signing-2022", "HELD_IN", "place:panama-city"),
        ("person:antony-blinken", "ATTENDED", "event:panama-signing-2022"),
        ("person:erika-mouynes", "ATTENDED", "event:panama-signing-2022"),
    }


async def test_relations_filtered_by_type_and_bulk(store: Store) -> None:
    rels = await store.relations(
        ["person:antony-blinken", "person:loner"], types=["HOLDS_POSITION"]
    )
    assert rels["person:loner"] == []
    (position,) = rels["person:antony-blinken"]
    assert isinstance(position, Relation)
    assert position.title == "Secretary of State"
    assert position.start is not None and position.start.edtf == "2021-01-26"
    assert position.object == "country:us"


async def test_series_neighbors_walk_the_series_in_time_order(store: Store) -> None:
    found = await store.series_neighbors([*ANCHORS_IN_ORDER, "event:panama-press-2022"])
    assert found["event:bogota-ministerial-2021"] == (None, "event:panama-ministerial-2022")
    assert found["event:summit-of-the-americas-2022"] == (
        "event:panama-ministerial-2022",
        "event:washington-trilateral-2024",
    )
    assert found["event:guatemala-ministerial-2024"] == ("event:washington-trilateral-2024", None)
    assert found["event:panama-press-2022"] == (None, None)


async def test_stats_count_by_kind(store: Store) -> None:
    stats = await store.stats()
    expected = mini_dataset().counts()
    assert stats == expected
    assert stats["event"] == 33 and stats["document"] == 1


# --- timeline --------------------------------------------------------------------------------


async def test_timeline_orders_by_start_end_id(store: Store) -> None:
    page = await store.timeline(TimelineQuery(first=100))
    keys = [e.sort_key for e in page.events]
    assert keys == sorted(keys)
    assert page.total == 33 and not page.has_next and not page.has_previous
    anchors = [i for i in ids(page.events) if i in ANCHORS_IN_ORDER]
    # In time order a year-precision 2024 (from 1 January) comes before 28 February 2024.
    assert anchors == [*ANCHORS_IN_ORDER[:3], ANCHORS_IN_ORDER[4], ANCHORS_IN_ORDER[3]]


async def test_timeline_date_filter_uses_overlap(store: Store) -> None:
    # A month-precision event (October 2021) overlaps a single day inside it.
    page = await store.timeline(
        TimelineQuery(start=dt.date(2021, 10, 15), end=dt.date(2021, 10, 15))
    )
    assert ids(page.events) == ["event:bogota-ministerial-2021"]
    # The summit spans 6-10 June: a window on 8 June finds it; the year-long 2024 event
    # overlaps any window in 2024.
    page = await store.timeline(TimelineQuery(start=dt.date(2022, 6, 8), end=dt.date(2022, 6, 8)))
    assert ids(page.events) == ["event:summit-of-the-americas-2022"]
    page = await store.timeline(TimelineQuery(start=dt.date(2024, 3, 1)))
    assert ids(page.events) == ["event:guatemala-ministerial-2024"]


async def test_timeline_involving_rolls_up_through_sub_events(store: Store) -> None:
    page = await store.timeline(TimelineQuery(involving=("person:erika-mouynes",)))
    assert ids(page.events) == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "event:panama-press-2022",
    ]


async def test_timeline_involving_combines_with_and(store: Store) -> None:
    page = await store.timeline(
        TimelineQuery(involving=("person:antony-blinken", "person:alicia-barcena"))
    )
    assert ids(page.events) == [
        "event:guatemala-ministerial-2024",
        "event:washington-trilateral-2024",
    ]
    page = await store.timeline(TimelineQuery(involving=("person:antony-blinken", "person:loner")))
    assert page.events == [] and page.total == 0


async def test_timeline_linked_to_is_direct_only(store: Store) -> None:
    page = await store.timeline(TimelineQuery(linked_to="person:erika-mouynes"))
    assert ids(page.events) == ["event:panama-signing-2022", "event:panama-press-2022"]
    page = await store.timeline(TimelineQuery(linked_to="place:panama-city"))
    assert ids(page.events) == ["event:panama-signing-2022", "event:panama-ministerial-2022"]


async def test_timeline_categories_and_text(store: Store) -> None:
    page = await store.timeline(TimelineQuery(categories=("ministerial", "summit")))
    assert ids(page.events) == [
        "event:bogota-ministerial-2021",
        "event:panama-ministerial-2022",
        "event:summit-of-the-americas-2022",
        "event:guatemala-ministerial-2024",
    ]
    # Accent- and case-insensitive, over names, aliases and description.
    page = await store.timeline(TimelineQuery(text="BOGOTA"))
    assert ids(page.events) == ["event:bogota-ministerial-2021"]
    page = await store.timeline(TimelineQuery(text="panama city"))
    assert ids(page.events) == ["event:panama-ministerial-2022"]


async def test_timeline_desc_reverses_the_order(store: Store) -> None:
    asc = await store.timeline(TimelineQuery(first=100))
    desc = await store.timeline(TimelineQuery(first=100, order=Order.DESC))
    assert ids(desc.events) == list(reversed(ids(asc.events)))


@pytest.mark.parametrize("order", list(Order))
@pytest.mark.parametrize("size", [1, 7, 20])
async def test_timeline_keyset_pagination_walks_everything_once(
    store: Store, order: Order, size: int
) -> None:
    full = await store.timeline(TimelineQuery(first=100, order=order))
    walked = await all_pages(store, TimelineQuery(first=size, order=order))
    assert walked == ids(full.events)


async def test_timeline_page_info(store: Store) -> None:
    query = TimelineQuery(categories=("meeting",), first=10)
    first = await store.timeline(query)
    assert first.total == 27 and first.has_next and not first.has_previous
    second = await store.timeline(replace(query, after=first.events[-1].sort_key))
    assert second.total == 27 and second.has_next and second.has_previous
    assert ids(second.events)[0] == "event:meeting-10-2023"
    third = await store.timeline(replace(query, after=second.events[-1].sort_key))
    assert len(third.events) == 7 and not third.has_next and third.has_previous


@pytest.mark.parametrize("order", list(Order))
@pytest.mark.parametrize(
    "query",
    [
        TimelineQuery(involving=("country:us",), first=2),
        TimelineQuery(linked_to="place:panama-city", first=1),
        TimelineQuery(involving=("person:antony-blinken", "person:alicia-barcena"), first=1),
    ],
    ids=["involving", "linked-to", "involving-two"],
)
async def test_timeline_of_an_entity_pages_with_cursors(
    store: Store, query: TimelineQuery, order: Order
) -> None:
    full = await store.timeline(replace(query, first=100, order=order))
    assert full.total >= 2
    walked = await all_pages(store, replace(query, order=order))
    assert walked == ids(full.events)
    second = await store.timeline(
        replace(query, order=order, after=full.events[query.first - 1].sort_key)
    )
    assert second.has_previous and second.total == full.total


@pytest.mark.parametrize(
    "query",
    [
        TimelineQuery(first=100),
        TimelineQuery(first=5, order=Order.DESC),
        TimelineQuery(involving=("person:antony-blinken",)),
        TimelineQuery(linked_to="event:panama-ministerial-2022"),
        TimelineQuery(categories=("meeting",), first=3, after=("2023-01-01", "2023-01-01", "")),
        TimelineQuery(involving=("person:loner",)),
    ],
    ids=["all", "desc", "involving", "linked-to", "after-cursor", "empty"],
)
async def test_timeline_with_links_answers_what_the_separate_calls_do(
    store: Store, query: TimelineQuery
) -> None:
    plain = await store.timeline(query)
    linked = await store.timeline(replace(query, with_links=True))
    assert plain.links is None and linked.links is not None
    assert (linked.events, linked.total, linked.has_next, linked.has_previous) == (
        plain.events,
        plain.total,
        plain.has_next,
        plain.has_previous,
    )
    page_ids = ids(plain.events)
    assert linked.links.relations == await store.relations(page_ids)
    named = {s.document for e in plain.events for s in e.sources}
    for event_id, rels in linked.links.relations.items():
        for rel in rels:
            named.add(rel.object if rel.subject == event_id else rel.subject)
            named.update(s.document for s in rel.sources)
    expected = await store.get_nodes(sorted(named))
    assert {i: linked.links.nodes.get(i) for i in expected} == expected


# --- search ----------------------------------------------------------------------------------


async def test_search_is_accent_and_case_insensitive(store: Store) -> None:
    hits = await store.search("bogota")
    assert hits[0][0].id == "place:bogota" and hits[0][1] == 1.0
    hits = await store.search("ALICIA BARCENA")
    assert hits[0][0].id == "person:alicia-barcena"


async def test_search_tolerates_typos_and_finds_aliases(store: Store) -> None:
    hits = await store.search("Bliken", kinds=[Kind.PERSON])
    assert hits[0][0].id == "person:antony-blinken" and hits[0][1] == 1.0  # an alias
    hits = await store.search("Blinkin", kinds=[Kind.PERSON])
    assert hits[0][0].id == "person:antony-blinken"
    hits = await store.search("Mouyness")
    assert hits[0][0].id == "person:erika-mouynes"


async def test_search_ranks_and_filters_by_kind(store: Store) -> None:
    hits = await store.search("panama", first=5)
    assert [h[0].id for h in hits][:2] == ["country:pa", "place:panama-city"]
    scores = [h[1] for h in hits]
    assert scores == sorted(scores, reverse=True)
    hits = await store.search("panama", kinds=[Kind.PLACE])
    assert [h[0].id for h in hits] == ["place:panama-city"]
    assert await store.search("zzzzqqq") == []
    assert len(await store.search("meeting", first=3)) == 3


# --- traversal -------------------------------------------------------------------------------


async def test_neighbors_depth_one(store: Store) -> None:
    graph = await store.neighbors("event:panama-signing-2022")
    assert ids(graph.nodes) == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "person:antony-blinken",
        "person:erika-mouynes",
        "place:panama-city",
    ]
    assert len(graph.edges) == 5  # four from the centre, and the ministerial HELD_IN the city
    assert [e.key for e in graph.edges] == sorted(e.key for e in graph.edges)


async def test_neighbors_depth_types_and_first(store: Store) -> None:
    graph = await store.neighbors("person:erika-mouynes", depth=2, types=["ATTENDED"])
    assert ids(graph.nodes) == [
        "person:erika-mouynes",
        "event:panama-press-2022",
        "event:panama-signing-2022",
        "person:antony-blinken",
    ]
    assert {e.type for e in graph.edges} == {"ATTENDED"}
    graph = await store.neighbors("person:erika-mouynes", depth=2, first=3)
    assert ids(graph.nodes) == ["person:erika-mouynes", "country:pa", "event:panama-press-2022"]
    with pytest.raises(UnknownNode):
        await store.neighbors("person:nobody")


async def test_shortest_path_is_the_smallest_of_the_shortest(store: Store) -> None:
    path = await store.shortest_path("person:erika-mouynes", "person:alicia-barcena")
    assert path is not None and path.length == 4
    # Several paths have length 4 (through Blinken's events, or through the countries);
    # the answer is the one whose node ids are smallest in order.
    assert ids(path.nodes) == [
        "person:erika-mouynes",
        "country:pa",
        "event:panama-ministerial-2022",
        "country:mx",
        "person:alicia-barcena",
    ]
    assert [e.type for e in path.edges] == [
        "HOLDS_POSITION",
        "HOSTED",
        "ATTENDED",
        "HOLDS_POSITION",
    ]
    assert path.edges[0].subject == "person:erika-mouynes"  # edges keep their own direction


async def test_shortest_path_limits_and_unknowns(store: Store) -> None:
    assert (
        await store.shortest_path("person:erika-mouynes", "person:alicia-barcena", max_length=3)
        is None
    )
    assert await store.shortest_path("person:loner", "country:us") is None
    same = await store.shortest_path("country:us", "country:us")
    assert same is not None and same.length == 0 and ids(same.nodes) == ["country:us"]
    only_positions = await store.shortest_path(
        "person:antony-blinken", "country:us", types=["HOLDS_POSITION"]
    )
    assert only_positions is not None and [e.type for e in only_positions.edges] == [
        "HOLDS_POSITION"
    ]
    with pytest.raises(UnknownNode):
        await store.shortest_path("person:erika-mouynes", "person:nobody")


async def test_common_events(store: Store) -> None:
    events = await store.common_events(["person:antony-blinken", "person:erika-mouynes"])
    assert ids(events) == ["event:panama-signing-2022", "event:panama-press-2022"]
    assert all(isinstance(e, Event) for e in events)
    events = await store.common_events(
        ["person:antony-blinken", "person:erika-mouynes"], start=dt.date(2022, 4, 20)
    )
    assert ids(events) == ["event:panama-press-2022"]
    assert await store.common_events(["person:antony-blinken", "person:loner"]) == []


# --- analytics inputs ------------------------------------------------------------------------


async def test_participations(store: Store) -> None:
    pairs = await store.participations(start=dt.date(2022, 4, 19), end=dt.date(2022, 4, 19))
    assert pairs == [
        ("event:panama-ministerial-2022", "country:mx"),
        ("event:panama-ministerial-2022", "country:pa"),
        ("event:panama-ministerial-2022", "country:us"),
        ("event:panama-ministerial-2022", "organization:unhcr"),
        ("event:panama-signing-2022", "person:antony-blinken"),
        ("event:panama-signing-2022", "person:erika-mouynes"),
    ]


async def test_edge_list_has_every_relation(store: Store) -> None:
    edges = await store.edge_list()
    expected = {(r.subject, r.object, r.type) for r in mini_dataset().relations}
    assert sorted(edges) == sorted(expected)


# --- loading ---------------------------------------------------------------------------------


async def test_load_replaces_the_graph_and_changes_the_version(writable_store: Store) -> None:
    store = writable_store
    before = await store.data_version()
    smaller = mini_dataset()
    del smaller.entities["person:loner"]
    await store.load(smaller)
    assert await store.data_version() != before
    assert await store.get_nodes(["person:loner"]) == {}
    dumped = await store.dump()
    assert dumped.entities == smaller.entities
    assert sorted(r.key for r in dumped.relations) == sorted(r.key for r in smaller.relations)


async def test_loading_twice_changes_nothing(writable_store: Store) -> None:
    store = writable_store
    await store.load(mini_dataset())
    first = (await store.data_version(), await store.stats())
    await store.load(mini_dataset())
    assert (await store.data_version(), await store.stats()) == first


# --- epistemic status: a source's basis and note, an event's status -----------------------------


async def test_sources_keep_their_basis_and_note_everywhere(store: Store) -> None:
    expected = mini_dataset()
    dumped = await store.dump()
    assert dumped.entities == expected.entities  # entity and claim sources, event status
    by_key = {r.key: r for r in dumped.relations}
    for rel in expected.relations:
        assert by_key[rel.key].sources == rel.sources, rel.key
    rels = (await store.relations(["event:panama-signing-2022"]))["event:panama-signing-2022"]
    bases = {(r.type, r.object): r.basis for r in rels if r.subject == "event:panama-signing-2022"}
    assert bases == {
        ("PART_OF", "event:panama-ministerial-2022"): "stated",  # one of two sources states it
        ("HELD_IN", "place:panama-city"): "inferred",
    }
    (position,) = (await store.relations(["person:alicia-barcena"], types=["HOLDS_POSITION"]))[
        "person:alicia-barcena"
    ]
    (source,) = position.sources
    assert (source.basis, source.note) == (
        "inferred",
        "She speaks for Mexico in a 2023 text; " + HOSTILE,
    )
    declaration = (await store.get_nodes(["agreement:los-angeles-declaration"]))[
        "agreement:los-angeles-declaration"
    ]
    assert declaration.basis == "inferred"
    assert [c.basis for c in declaration.claims] == ["stated", "inferred"]  # type: ignore[union-attr]
    assert declaration.claims[1].sources[0].note == HOSTILE  # type: ignore[union-attr]


async def test_timeline_filters_on_status(store: Store) -> None:
    planned = await store.timeline(TimelineQuery(status="planned", first=100))
    assert ids(planned.events) == ["event:meeting-25-2023"]
    assert planned.total == 1
    everything = await store.timeline(TimelineQuery(first=100))
    occurred = await store.timeline(TimelineQuery(status="occurred", first=100))
    assert occurred.total == everything.total - 1
    assert "event:meeting-25-2023" not in ids(occurred.events)
    both = await store.timeline(
        TimelineQuery(status="planned", categories=("meeting",), text="meeting 2", first=100)
    )
    assert ids(both.events) == ["event:meeting-25-2023"]
    linked = await store.timeline(TimelineQuery(status="planned", involving=("country:mx",)))
    assert ids(linked.events) == ["event:meeting-25-2023"]
