# ruff: noqa: E501  (GraphQL documents read best on one line each)
"""Both backends give identical answers to every contract query on the curated seeds.

The same GraphQL documents go to an app on the memory store and an app on Neo4j, both
holding the seeds; the JSON answers must be equal, byte for byte once serialised.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import GraphQLClient, client_for, seed_dataset
from timeline.stores.base import Store
from timeline.stores.memory import MemoryStore

pytestmark = pytest.mark.neo4j

DATE = "fragment D on DateSpan { edtf start end precision display }"
SOURCES = (
    "fragment S on Source { quote document { id title publisher url language published { ...D } } }"
)
ENTITY = """
fragment E on Entity {
  id kind name aliases description sources { ...S }
  relations { type direction role date { ...D } other { id } sources { ...S } }
  events(first: 100) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  ... on Event {
    category date { ...D } place { id } partOf { id } subEvents { id }
    participants { role entity { id } sources { ...S } }
    agreements { id } previous { id } next { id }
  }
  ... on Person { positions { title organization { id } start { ...D } end { ...D } sources { ...S } } }
  ... on Country { code }
  ... on Organization { acronym country { id } }
  ... on Agreement { agreementDate: date { ...D } parties { id } signatories { id } adoptedAt { id } }
  ... on Place { country { id } latitude longitude }
}
"""
FRAGMENTS = DATE + SOURCES + ENTITY
SUBGRAPH = "{ nodes { id kind } edges { type source target role weight } }"

QUERIES: dict[str, str] = {
    "timeline": """{ timeline(first: 100) { totalCount edges { cursor node { ...E } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }""",
    "timeline_filters": """{ timeline(involving: ["country:pa"], from: "2022-01-01", to: "2022-12-31",
        order: DESC) { totalCount edges { node { id } } } }""",
    # One timeline a request: each is a statement Neo4j plans on first use.
    "involving_country_why": """{ timeline(involving: ["country:pa"], first: 50) { totalCount
        edges { node { id } matchedBy { involving rule chain names partOf relation title description } } } }""",
    "involving_country_desc": """{ timeline(involving: ["country:us"], first: 50, order: DESC) { totalCount edges { node { id } matchedBy { chain description } } } }""",
    "involving_place_and_person": """{ timeline(involving: ["place:panama-city", "person:antony-blinken"]) { totalCount edges { node { id } matchedBy { rule chain } } } }""",
    "involving_organization_year": """{ timeline(involving: ["organization:dhs"], from: "2022-01-01", to: "2022-12-31") { totalCount edges { node { id } matchedBy { description } } } }""",
    "involving_direct": """{ timeline(involving: ["country:pa"], involvingMode: DIRECT) { totalCount edges { node { id } matchedBy { rule description } } } }""",
    "timeline_categories_text": """{ a: timeline(categories: ["ministerial", "summit"]) {
        edges { node { id } } } b: timeline(text: "bogota") { edges { node { id } } } }""",
    "entities": """{ blinken: entity(id: "person:antony-blinken") { ...E }
        pa: entity(id: "country:pa") { ...E } unhcr: entity(id: "organization:unhcr") { ...E }
        la: entity(id: "agreement:los-angeles-declaration") { ...E }
        city: entity(id: "place:panama-city") { ...E }
        nobody: entity(id: "person:nobody") { id } }""",
    "anchors": """{ a: event(id: "event:bogota-ministerial-2021") { ...E }
        b: event(id: "event:panama-ministerial-2022") { ...E }
        c: event(id: "event:summit-of-the-americas-2022") { ...E }
        d: event(id: "event:washington-trilateral-2024") { ...E }
        e: event(id: "event:guatemala-ministerial-2024") { ...E } }""",
    "node": """{ node(id: "person:erika-mouynes") { id ... on Person { name } } }""",
    "search": """{ a: search(text: "Bliken") { score node { id } }
        b: search(text: "bogota", kinds: [PLACE, EVENT]) { score node { id } }
        c: search(text: "panama", first: 20) { score node { id } } }""",
    "neighbors": f"""{{ a: neighbors(id: "person:antony-blinken") {SUBGRAPH}
        b: neighbors(id: "country:pa", depth: 2, first: 100) {SUBGRAPH}
        c: neighbors(id: "event:panama-ministerial-2022", types: ["PART_OF", "HELD_IN"]) {SUBGRAPH} }}""",
    "paths": """{ a: shortestPath(from: "person:nayib-bukele", to: "person:erika-mouynes") {
          length nodes { id } edges { type source target role } }
        b: shortestPath(from: "person:alicia-barcena", to: "person:laurentino-cortizo", maxLength: 8) {
          length nodes { id } edges { type source target } }
        c: shortestPath(from: "country:mx", to: "country:pa", types: ["ATTENDED"]) { length nodes { id } } }""",
    "common": """{ a: commonEvents(ids: ["person:antony-blinken", "person:erika-mouynes"]) { id }
        b: commonEvents(ids: ["country:us", "country:pa"], from: "2022-01-01") { id } }""",
    "analytics": f"""{{ a: coParticipation(kinds: [PERSON]) {SUBGRAPH}
        b: coParticipation(kinds: [COUNTRY], from: "2022-01-01", to: "2022-12-31", minWeight: 2) {SUBGRAPH}
        c: centrality(metric: DEGREE, kinds: [COUNTRY]) {{ score entity {{ id }} }}
        d: centrality(metric: BETWEENNESS, first: 20) {{ score entity {{ id }} }}
        e: centrality(metric: PAGERANK, kinds: [PERSON, ORGANIZATION]) {{ score entity {{ id }} }} }}""",
}


@pytest.fixture
async def memory_seeded() -> Store:
    store = MemoryStore()
    await store.load(seed_dataset())
    return store


async def answer(store: Store, document: str) -> Any:
    async with client_for(store) as http:
        return await GraphQLClient(http).data(
            document + ("\n" + FRAGMENTS if "...E" in document else "")
        )


@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
@pytest.mark.parametrize("name", list(QUERIES))
async def test_memory_and_neo4j_answer_alike(
    seeded_store: Store, memory_seeded: Store, name: str
) -> None:
    assert seeded_store.name == "neo4j"
    expected = await answer(memory_seeded, QUERIES[name])
    found = await answer(seeded_store, QUERIES[name])
    assert json.dumps(found, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert json.dumps(expected) != "{}"  # the comparison is of real answers
