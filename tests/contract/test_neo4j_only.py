"""What only the Neo4j store has to prove: its schema, its loads, its safety, its failures.

These run against the shared local Neo4j (see tests/conftest.py) through the same session
store as the contract suite; every test that changes the graph uses ``writable_store``, so
the next test reloads what it needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase

import timeline.stores.neo4j.load as neo4j_module
import timeline.stores.neo4j.store as store_module
from tests.conftest import _Loaded, make_store, neo4j_options, seed_dataset
from tests.fixtures import HOSTILE, mini_dataset
from timeline.model.changes import ChangeSet
from timeline.model.dates import parse_date
from timeline.model.records import Claim, Dataset, Document, Event, Person, Relation, Source
from timeline.stores.base import Store, StoreError, StoreUnavailable, TimelineQuery
from timeline.stores.memory import MemoryStore
from timeline.stores.neo4j import Neo4jStore
from timeline.stores.neo4j.cypher import RELATIONS, one_record

pytestmark = pytest.mark.neo4j
#: Runs a test on the shared session store of the neo4j parametrisation only.
on_neo4j = pytest.mark.parametrize("backend", ["neo4j"], indirect=True)


async def cypher(query: str, **params: Any) -> list[dict[str, Any]]:
    """Run Cypher with a driver of our own, to look at the graph behind the store's back."""
    options = neo4j_options()
    async with AsyncGraphDatabase.driver(
        options["uri"], auth=(options["user"], options["password"])
    ) as driver:
        records, _, _ = await driver.execute_query(query, params, database_=options["database"])
        return [record.data() for record in records]


async def graph_counts() -> dict[str, int]:
    (row,) = await cypher(
        """
        CALL () { MATCH (n:Entity) RETURN count(n) AS entities, count(DISTINCT n.id) AS entity_ids }
        CALL () { MATCH (n:Document) RETURN count(n) AS documents }
        CALL () { MATCH (:Entity)-[r]->(:Entity)
                  RETURN count(r) AS relations, count(DISTINCT r.id) AS relation_ids }
        CALL () { MATCH (m:Meta) RETURN count(m) AS metas }
        RETURN entities, entity_ids, documents, relations, relation_ids, metas
        """
    )
    return {key: int(value) for key, value in row.items()}


@pytest.fixture
async def neo(writable_store: Store) -> Neo4jStore:
    assert isinstance(writable_store, Neo4jStore)
    return writable_store


# --- schema ------------------------------------------------------------------------------------


@on_neo4j
async def test_migrate_is_idempotent(neo: Neo4jStore) -> None:
    await cypher("MATCH (m:Migration) DELETE m")  # forget the record: every file runs again
    applied = await neo.migrate()
    assert any("entity_names" in statement for statement in applied)
    assert await neo.migrate() == []  # recorded: nothing new, no error
    names = {row["name"]: row for row in await cypher("SHOW INDEXES YIELD name, type, options")}
    assert {"entity_id", "document_id", "event_start", "event_end", "event_category"} <= set(names)
    fulltext = names["entity_names"]
    assert fulltext["type"] == "FULLTEXT"
    assert fulltext["options"]["indexConfig"]["fulltext.analyzer"] == "standard-folding"


# --- loading -----------------------------------------------------------------------------------


@on_neo4j
async def test_loading_twice_makes_no_duplicates(neo: Neo4jStore) -> None:
    dataset = mini_dataset()
    await neo.load(dataset)
    first = await graph_counts()
    await neo.load(mini_dataset())
    assert await graph_counts() == first
    assert first == {
        "entities": len(dataset.entities),
        "entity_ids": len(dataset.entities),
        "documents": len(dataset.documents),
        "relations": len(dataset.relations),
        "relation_ids": len(dataset.relations),
        "metas": 1,
    }
    assert await neo.dump() == dataset  # in order, every field


def _operators(plan: dict[str, Any]) -> list[str]:
    """A plan's operators with their details, outermost first."""
    own = f"{plan['operatorType'].split('@')[0]} {plan.get('args', {}).get('Details', '')}"
    return [own, *(op for child in plan.get("children", []) for op in _operators(child))]


async def _plan_of(statement: str, **params: Any) -> list[str]:
    options = neo4j_options()
    async with AsyncGraphDatabase.driver(
        options["uri"], auth=(options["user"], options["password"])
    ) as driver:
        _, summary, _ = await driver.execute_query(
            f"EXPLAIN {statement}", params, database_=options["database"]
        )
        return _operators(summary.plan)


@on_neo4j
async def test_a_large_load_replans_so_lookups_seek(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Every load counts as large here: the fixture graph ends with the resample and the
    # cleared plan cache (db.prepareForReplanning), and a node's relations are then read
    # through the (id, gen) constraint's index, never a scan of every entity.
    monkeypatch.setattr(neo4j_module, "REPLAN_ROWS", 0)
    with caplog.at_level("INFO", logger="timeline.neo4j"):
        await neo.load(mini_dataset())
    assert "indexes resampled and plans cleared" in caplog.text
    plan = await _plan_of(one_record(RELATIONS, ("id", "rel")), ids=["person:a"], types=None)
    assert any(op.startswith("NodeUniqueIndexSeek") and "Entity(id, gen)" in op for op in plan)
    assert not [op for op in plan if "Scan" in op.split()[0]]


@on_neo4j
async def test_a_refused_replan_is_logged_and_the_load_stands(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(neo4j_module, "REPLAN_ROWS", 0)
    monkeypatch.setattr(store_module, "REPLAN", "CALL db.noSuchProcedure($seconds)")
    dataset = mini_dataset()
    await neo.load(dataset)
    assert "did not replan" in caplog.text
    assert await neo.dump() == dataset


def _bad_value_dataset() -> Dataset:
    """The fixture graph plus, in the last event batch, a value only Neo4j rejects."""
    dataset = mini_dataset()
    bad = Event(
        id="event:bad-2025",
        name="Bad",
        category="meeting",
        date=parse_date("2025"),
        series_order={"a map": "is not a property value"},  # type: ignore[arg-type]
    )
    dataset.entities[bad.id] = bad
    return dataset


def _dangling_dataset() -> Dataset:
    """The seeds plus a relation to a node that does not exist, in the last batch."""
    dataset = seed_dataset()
    relation = Relation(
        type="RELATED_TO", subject=next(iter(dataset.entities)), object="person:ghost"
    )
    return dataclasses.replace(dataset, relations=[*dataset.relations, relation])


@pytest.mark.parametrize("broken", [_bad_value_dataset, _dangling_dataset])
@on_neo4j
async def test_a_failed_load_leaves_the_previous_graph(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch, broken: Any
) -> None:
    before = mini_dataset()
    await neo.load(before)
    version, counts = await neo.data_version(), await graph_counts()
    # Small batches: several statements have written inside the transaction when one fails.
    monkeypatch.setattr(neo4j_module, "BATCH_SIZE", 10)
    with pytest.raises(StoreError):
        await neo.load(broken())
    assert await neo.data_version() == version
    assert await graph_counts() == counts
    assert await neo.dump() == before


# --- hostile input -----------------------------------------------------------------------------

HOSTILE_STRINGS = [
    HOSTILE,
    "'; MATCH (n) DETACH DELETE n; //",
    '"}) DETACH DELETE n //',
    "`backtick` $param {map: 1} \\ \x00",
    "<script>alert('x')</script>",
    "Ünïcödé — “quotes” ‘single’ 🙂",
]


def _hostile_dataset() -> Dataset:
    doc = Document(id="document:evil", title=HOSTILE, publisher=HOSTILE, url=HOSTILE)
    sources = tuple(Source(doc.id, text) for text in HOSTILE_STRINGS)
    person = Person(
        id="person:evil",
        name=HOSTILE,
        aliases=tuple(HOSTILE_STRINGS),
        description=HOSTILE,
        sources=sources,
        claims=(Claim(HOSTILE, HOSTILE, sources),),
    )
    event = Event(
        id="event:evil-2024",
        name=HOSTILE_STRINGS[1],
        category=HOSTILE,
        date=parse_date("2024-05"),
        series=HOSTILE,
        sources=sources,
    )
    relation = Relation(
        type="ATTENDED",
        subject=person.id,
        object=event.id,
        role=HOSTILE,
        title=HOSTILE,
        sources=sources,
    )
    return Dataset({doc.id: doc}, {person.id: person, event.id: event}, [relation])


@on_neo4j
async def test_hostile_strings_round_trip_verbatim(neo: Neo4jStore) -> None:
    dataset = _hostile_dataset()
    await neo.load(dataset)
    assert await neo.dump() == dataset
    found = await neo.get_nodes(["person:evil", "event:evil-2024", "document:evil"])
    assert found == {**dataset.entities, **dataset.documents}
    (relation,) = (await neo.relations(["person:evil"]))["person:evil"]
    assert relation == dataset.relations[0] and relation.role == HOSTILE
    # Hostile text in every query parameter is a value, never Cypher.
    for text in HOSTILE_STRINGS:
        await neo.search(text)
        await neo.timeline(TimelineQuery(text=text, categories=(text,), involving=(text,)))
        await neo.relations([text], types=[text])
        await neo.neighbors("person:evil", depth=2, types=[text])
        await neo.shortest_path("person:evil", "event:evil-2024", types=[text])
    hits = await neo.search(HOSTILE)
    assert hits[0][0].id == "person:evil" and hits[0][1] == 1.0
    assert (await neo.stats())["person"] == 1  # nothing was deleted


# --- availability ------------------------------------------------------------------------------


@pytest.fixture
async def closed_port() -> AsyncIterator[Neo4jStore]:
    store = Neo4jStore("bolt://127.0.0.1:1", "neo4j", "timeline-dev")  # does not connect yet
    store.retry_seconds = 0.5
    yield store
    await store.close()


async def test_unreachable_database_raises_store_unavailable(closed_port: Neo4jStore) -> None:
    with pytest.raises(StoreUnavailable, match="cannot reach"):
        await closed_port.ping()
    with pytest.raises(StoreUnavailable):
        await closed_port.timeline(TimelineQuery())
    with pytest.raises(StoreUnavailable):
        await closed_port.load(mini_dataset())


@on_neo4j
async def test_routing_uri_and_bad_credentials(neo: Neo4jStore) -> None:
    options = neo4j_options()
    routed = Neo4jStore(**{**options, "uri": options["uri"].replace("bolt://", "neo4j://", 1)})
    try:
        await routed.ping()
        assert await routed.data_version() == await neo.data_version()
    finally:
        await routed.close()
    # An unknown user, so that no real account is locked out by failed attempts.
    stranger = Neo4jStore(**{**options, "user": "nobody-at-all", "password": "wrong"})
    try:
        with pytest.raises(StoreUnavailable, match="rejected the credentials"):
            await stranger.ping()
    finally:
        await stranger.close()


# --- parity with the memory store on the real seeds --------------------------------------------


async def _same(memory: Store, neo: Store, call: str, *args: Any, **kwargs: Any) -> None:
    expected = await getattr(memory, call)(*args, **kwargs)
    assert await getattr(neo, call)(*args, **kwargs) == expected, (call, args, kwargs)


@on_neo4j
async def test_seed_answers_match_the_memory_store(loaded: _Loaded) -> None:
    neo = await loaded.holding("seeds")
    memory = await make_store("memory")
    await memory.load(seed_dataset())
    entities = list(seed_dataset().entities.values())
    ids = [e.id for e in entities]
    assert isinstance(memory, MemoryStore)
    await _same(memory, neo, "stats")
    await _same(memory, neo, "data_version")
    await _same(memory, neo, "series_neighbors", ids)
    await _same(memory, neo, "relations", ids)
    for entity in entities:
        await _same(memory, neo, "neighbors", entity.id, depth=2, first=40)
        await _same(memory, neo, "timeline", TimelineQuery(involving=(entity.id,), first=5))
    rnd = random.Random(7)
    for entity in rnd.sample(entities, 40):  # names, prefixes, aliases and typos
        last = entity.name.split()[-1]
        for query in {entity.name, entity.name[:5], last, last[:-1] + "x", *entity.aliases[:2]}:
            await _same(memory, neo, "search", query, first=5)
    for _ in range(60):
        source, target = rnd.sample(ids, 2)
        await _same(memory, neo, "shortest_path", source, target)
        await _same(memory, neo, "common_events", [source, target])
    for year in range(2018, 2026):
        window = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        await _same(memory, neo, "participations", *window)
        await _same(memory, neo, "timeline", TimelineQuery(start=window[0], end=window[1], first=7))


def _venue_queries(dataset: Dataset) -> list[str]:
    """A word of each event's category with its venue's name: found only through the venue
    (the words of the place are not the event's own)."""
    venue = {
        r.subject: dataset.entities[r.object].name for r in dataset.relations if r.type == "HELD_IN"
    }
    return sorted(
        {
            f"{dataset.entities[event].category.replace('_', ' ')} {name}"  # type: ignore[attr-defined]
            for event, name in venue.items()
        }
    )


@on_neo4j
async def test_search_above_the_scan_limit_finds_events_by_their_venues(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lucene is asked for every word among an entity's own words and its venues' and
    positions' (``context_words``): the answers are the memory store's."""
    monkeypatch.setattr(neo, "scan_limit", 0)
    dataset = mini_dataset()
    memory = MemoryStore(dataset)
    queries = [*_venue_queries(dataset), "secretary blinken", "minister panama"]
    assert len(queries) >= 3
    for query in queries:
        hits = await neo.search(query)
        assert hits, query
        assert hits == (await memory.search(query))[: len(hits)], query


@on_neo4j
async def test_a_write_keeps_what_search_finds_through_venues(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renamed place is its events' venue by its new name at once; an event no longer
    held there is not found by it; a graph loaded before the index had them gets them from
    ``index_context`` (``timeline migrate``)."""
    monkeypatch.setattr(neo, "scan_limit", 0)
    dataset = mini_dataset()
    held = next(r for r in dataset.relations if r.type == "HELD_IN")
    place = dataset.entities[held.object]
    renamed = dataclasses.replace(place, name="Zyxwvut", aliases=())
    await neo.apply(ChangeSet(entities=(renamed,)))
    found = {hit.entity.id for hit in await neo.search("Zyxwvut")}
    assert {place.id, held.subject} <= found
    await neo.apply(ChangeSet(remove_relations=(held.id,)))
    assert held.subject not in {hit.entity.id for hit in await neo.search("Zyxwvut")}
    await neo.apply(ChangeSet(relations=(held,)))
    assert held.subject in {hit.entity.id for hit in await neo.search("Zyxwvut")}
    # a graph without context words (as loaded before them) is searched for any word, so
    # an event that only its venue's name matches is missed, until ``index_context``
    await cypher("MATCH (n:Entity) REMOVE n.context_words")
    await cypher("MATCH (m:Meta) REMOVE m.search_context")
    assert held.subject not in {hit.entity.id for hit in await neo.search("Zyxwvut")}
    assert await neo.index_context() > 0
    assert await neo.index_context() == 0  # marked: nothing more to do
    assert held.subject in {hit.entity.id for hit in await neo.search("Zyxwvut")}
    # a place put in the renamed one: its events are found by that name too, until removed
    other = next(r for r in dataset.relations if r.type == "HELD_IN" and r.object != place.id)
    inside = Relation(
        type="LOCATED_IN", subject=other.object, object=place.id, sources=held.sources
    )
    await neo.apply(ChangeSet(relations=(inside,)))
    assert other.subject in {hit.entity.id for hit in await neo.search("Zyxwvut")}
    await neo.apply(ChangeSet(remove_relations=(inside.id,)))
    assert other.subject not in {hit.entity.id for hit in await neo.search("Zyxwvut")}


@on_neo4j
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bogota", "place:bogota"),
        ("ALICIA BARCENA", "person:alicia-barcena"),
        ("Bliken", "person:antony-blinken"),
        ("Blinkin", "person:antony-blinken"),
        ("Mouyness", "person:erika-mouynes"),
        ("panama", "country:pa"),
        ("United Nations", "organization:unhcr"),
    ],
)
async def test_search_through_the_fulltext_index(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch, query: str, expected: str
) -> None:
    """Large graphs take candidates from the full-text index instead of every name."""
    monkeypatch.setattr(neo, "scan_limit", 0)
    memory = MemoryStore(mini_dataset())
    hits = await neo.search(query)
    assert hits[0][0].id == expected
    assert hits == (await memory.search(query))[: len(hits)]
