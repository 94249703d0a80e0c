"""The API over the curated seeds: every entity's page resolves, and the anchors are there.

The seeds grow as curation goes on, so these tests check shapes and invariants, not counts;
exact answers are tested on the fixture graph.
"""

from __future__ import annotations

from tests.conftest import GraphQLClient, client_for
from timeline.model.records import Event
from timeline.stores.base import Store

ANCHORS = [
    "event:bogota-ministerial-2021",
    "event:panama-ministerial-2022",
    "event:summit-of-the-americas-2022",
    "event:washington-trilateral-2024",
    "event:guatemala-ministerial-2024",
]

SOURCES = "sources { quote document { id title publisher published { edtf } url language } }"
ENTITY_PAGE = f"""
query($id: ID!) {{
  entity(id: $id) {{
    __typename id kind name aliases description {SOURCES}
    claims {{ property value {SOURCES} }}
    events(first: 100) {{ totalCount edges {{ cursor node {{ id }} }} }}
    relations(first: 100) {{
      type direction role title other {{ id kind }} date {{ edtf }} start {{ edtf }} end {{ edtf }}
      {SOURCES}
    }}
    ... on Event {{
      category series date {{ edtf start end precision display }}
      place {{ id }} partOf {{ id }} subEvents {{ id }} agreements {{ id }}
      participants {{ entity {{ id }} role {SOURCES} }}
      previous {{ id }} next {{ id }}
    }}
    ... on Person {{
      positions {{ title organization {{ id }} start {{ edtf }} end {{ edtf }} {SOURCES} }}
    }}
    ... on Country {{ code }}
    ... on Organization {{ acronym orgType country {{ id }} }}
    ... on Agreement {{
      signed: date {{ edtf }} agreementType parties {{ id }} signatories {{ id }}
      adoptedAt {{ id }}
    }}
    ... on Place {{ country {{ id }} latitude longitude placeType }}
  }}
}}
"""


async def test_every_entity_page_resolves(seeded_store: Store) -> None:
    dataset = await seeded_store.dump()
    async with client_for(seeded_store) as http:
        gql = GraphQLClient(http)
        for entity_id, record in sorted(dataset.entities.items()):
            entity = (await gql.data(ENTITY_PAGE, {"id": entity_id}))["entity"]
            assert entity["id"] == entity_id and entity["kind"] == record.kind.name
            assert entity["sources"], entity_id
            for relation in entity["relations"]:
                assert relation["sources"], (entity_id, relation)
            if isinstance(record, Event):
                assert entity["date"]["edtf"] == record.date.edtf


async def test_anchor_events_and_series(seeded_store: Store) -> None:
    async with client_for(seeded_store) as http:
        gql = GraphQLClient(http)
        for anchor in ANCHORS:
            event = (await gql.data(ENTITY_PAGE, {"id": anchor}))["entity"]
            assert event["__typename"] == "Event", anchor
            for neighbour in ("previous", "next"):
                if event[neighbour] is not None:
                    other = (await gql.data(ENTITY_PAGE, {"id": event[neighbour]["id"]}))["entity"]
                    back = "next" if neighbour == "previous" else "previous"
                    assert other[back] == {"id": anchor}


async def test_the_whole_timeline_walks_in_time_order(seeded_store: Store) -> None:
    query = """query($after: String) {
      timeline(first: 7, after: $after) {
        totalCount edges { node { id date { start end } } } pageInfo { hasNextPage endCursor }
      } }"""
    async with client_for(seeded_store) as http:
        gql = GraphQLClient(http)
        seen: list[tuple[str, str, str]] = []
        after = None
        while True:
            page = (await gql.data(query, {"after": after}))["timeline"]
            seen += [
                (e["node"]["date"]["start"], e["node"]["date"]["end"], e["node"]["id"])
                for e in page["edges"]
            ]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(seen) == page["totalCount"] == (await seeded_store.stats())["event"]
        assert seen == sorted(seen)
        assert set(ANCHORS) <= {key[2] for key in seen}


async def test_graph_queries_on_the_seeds(seeded_store: Store) -> None:
    async with client_for(seeded_store) as http:
        data = await GraphQLClient(http).data(
            """{
              search(text: "Antony Blink", kinds: [PERSON], first: 1) { node { id } score }
              neighbors(id: "event:panama-ministerial-2022", depth: 2) {
                nodes { id } edges { type }
              }
              shortestPath(from: "person:antony-blinken", to: "country:pa") { length }
              commonEvents(ids: ["person:antony-blinken", "country:pa"]) { id }
              coParticipation { nodes { id } edges { source target weight } }
              degree: centrality(metric: DEGREE) { entity { id } score }
              betweenness: centrality(metric: BETWEENNESS) { entity { id } score }
              pagerank: centrality(metric: PAGERANK, kinds: [COUNTRY]) { entity { kind } score }
            }"""
        )
    assert data["search"] == [{"node": {"id": "person:antony-blinken"}, "score": 1.0}]
    assert data["neighbors"]["nodes"][0] == {"id": "event:panama-ministerial-2022"}
    assert data["shortestPath"]["length"] >= 1
    node_ids = {n["id"] for n in data["coParticipation"]["nodes"]}
    for edge in data["coParticipation"]["edges"]:
        assert edge["source"] < edge["target"] and edge["weight"] >= 1
        assert {edge["source"], edge["target"]} <= node_ids
    for metric in ("degree", "betweenness", "pagerank"):
        scores = [r["score"] for r in data[metric]]
        assert len(scores) == 10 and scores == sorted(scores, reverse=True)
    assert {r["entity"]["kind"] for r in data["pagerank"]} == {"COUNTRY"}
