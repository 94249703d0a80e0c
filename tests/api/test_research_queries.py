"""The research fields: communities, egoNetwork, officeHolders, Person.positions(asOf:) and
entityTimeline, with exact answers on the fixture graph, on every backend."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import networkx as nx
import pytest

from tests.api.test_loaders import UNCACHED, CountingStore
from tests.conftest import GraphQLClient, client_for
from tests.fixtures import _rel, mini_dataset
from timeline.model.dates import parse_date
from timeline.model.records import Dataset
from timeline.stores.base import Store


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def groups(communities: list[dict[str, Any]]) -> list[tuple[int, int, float, list[str]]]:
    return [(c["id"], c["size"], c["internalWeight"], ids(c["members"])) for c in communities]


PEOPLE = [
    "person:alicia-barcena",
    "person:antony-blinken",
    "person:bernardo-arevalo",
    "person:erika-mouynes",
]
PANAMA_2022 = ["country:mx", "country:pa", "country:us", "organization:unhcr"]


# --- communities -------------------------------------------------------------------------------


async def test_communities(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          all: communities { id size internalWeight members { __typename id } }
          people: communities(kinds: [PERSON]) { id size internalWeight members { id } }
          split: communities(kinds: [PERSON], resolution: 1.5) {
            id size internalWeight members { id } }
          singletons: communities(kinds: [PERSON], resolution: 3) { size members { id } }
          strong: communities(kinds: [PERSON], minWeight: 2) { id size members { id } }
          y2024: communities(from: "2024-01-01") { id size internalWeight members { id } }
          none: communities(from: "2030-01-01") { id }
        }"""
    )
    # Two components of four: equal sizes, so the smallest member id orders them.
    assert groups(data["all"]) == [(0, 4, 6.0, PANAMA_2022), (1, 4, 6.0, PEOPLE)]
    assert {m["__typename"] for m in data["all"][1]["members"]} == {"Person"}
    assert groups(data["people"]) == [(0, 4, 6.0, PEOPLE)]
    # A higher resolution splits the people into the two pairs that share two events.
    assert groups(data["split"]) == [
        (0, 2, 1.0, ["person:alicia-barcena", "person:bernardo-arevalo"]),
        (1, 2, 2.0, ["person:antony-blinken", "person:erika-mouynes"]),
    ]
    assert [c["size"] for c in data["singletons"]] == [1, 1, 1, 1]
    assert [ids(c["members"]) for c in data["singletons"]] == [[p] for p in PEOPLE]
    assert [(c["id"], c["size"]) for c in data["strong"]] == [(0, 3)]
    assert ids(data["strong"][0]["members"]) == [
        "person:alicia-barcena",
        "person:antony-blinken",
        "person:erika-mouynes",
    ]
    assert groups(data["y2024"]) == [
        (0, 3, 4.0, ["person:alicia-barcena", "person:antony-blinken", "person:bernardo-arevalo"])
    ]
    assert data["none"] == []


async def test_communities_match_louvain_on_the_documented_network(gql: GraphQLClient) -> None:
    """The same partition as networkx's Louvain on the co-participation network, built
    independently from the fixture dataset, for several seeds and resolutions."""
    data = mini_dataset()
    shared: Counter[tuple[str, str]] = Counter()
    by_event: dict[str, set[str]] = {}
    for rel in data.relations:
        if rel.type in ("ATTENDED", "HOSTED", "ORGANIZED"):
            by_event.setdefault(rel.object, set()).add(rel.subject)
    for members in by_event.values():
        ordered = sorted(members)
        shared.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    graph = nx.Graph()
    graph.add_nodes_from(sorted({n for pair in shared for n in pair}))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(shared.items()))
    for seed, resolution in [(1, 1.0), (42, 1.2), (7, 2.0)]:
        answer = await gql.data(
            "query($s: Int, $r: Float) { communities(seed: $s, resolution: $r) "
            "{ members { id } } }",
            {"s": seed, "r": resolution},
        )
        parts = nx.community.louvain_communities(graph, resolution=resolution, seed=seed)
        expected = sorted((sorted(p) for p in parts), key=lambda m: (-len(m), m[0]))
        assert [ids(c["members"]) for c in answer["communities"]] == expected


# --- ego networks ------------------------------------------------------------------------------


async def test_ego_network(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          one: egoNetwork(id: "person:erika-mouynes") {
            nodes { __typename id } edges { type source target role weight } }
          two: egoNetwork(id: "person:erika-mouynes", radius: 2, kinds: [PERSON]) {
            nodes { id } edges { source target weight } }
          strong: egoNetwork(id: "person:antony-blinken", minWeight: 2) {
            nodes { id } edges { source target weight } }
          panama: egoNetwork(id: "country:pa") { nodes { id } edges { source target weight } }
          centreOfAnotherKind: egoNetwork(id: "country:us", kinds: [ORGANIZATION]) {
            nodes { id } edges { source target weight } }
          early: egoNetwork(id: "person:antony-blinken", to: "2022-12-31") { nodes { id } }
          alone: egoNetwork(id: "person:loner") { nodes { id } edges { source } }
        }"""
    )
    assert data["one"] == {
        "nodes": [
            {"__typename": "Person", "id": "person:erika-mouynes"},
            {"__typename": "Person", "id": "person:antony-blinken"},
        ],
        "edges": [
            {
                "type": "CO_PARTICIPATED",
                "source": "person:antony-blinken",
                "target": "person:erika-mouynes",
                "role": None,
                "weight": 2.0,
            }
        ],
    }
    # Radius 2 reaches everyone through Blinken: nodes by hops, then id.
    assert ids(data["two"]["nodes"]) == [
        "person:erika-mouynes",
        "person:antony-blinken",
        "person:alicia-barcena",
        "person:bernardo-arevalo",
    ]
    assert [(e["source"], e["target"], e["weight"]) for e in data["two"]["edges"]] == [
        ("person:alicia-barcena", "person:antony-blinken", 2.0),
        ("person:alicia-barcena", "person:bernardo-arevalo", 1.0),
        ("person:antony-blinken", "person:bernardo-arevalo", 1.0),
        ("person:antony-blinken", "person:erika-mouynes", 2.0),
    ]
    assert ids(data["strong"]["nodes"]) == [
        "person:antony-blinken",
        "person:alicia-barcena",
        "person:erika-mouynes",
    ]
    assert [e["weight"] for e in data["strong"]["edges"]] == [2.0, 2.0]
    assert ids(data["panama"]["nodes"]) == [
        "country:pa",
        "country:mx",
        "country:us",
        "organization:unhcr",
    ]
    assert len(data["panama"]["edges"]) == 6
    # The centre counts whatever kinds says; UNHCR shared the Panama ministerial with it.
    assert data["centreOfAnotherKind"] == {
        "nodes": [{"id": "country:us"}, {"id": "organization:unhcr"}],
        "edges": [{"source": "country:us", "target": "organization:unhcr", "weight": 1.0}],
    }
    # Up to 2022: the US delegation in Bogotá, Mouynes in Panama.
    assert ids(data["early"]["nodes"]) == [
        "person:antony-blinken",
        "country:us",
        "person:erika-mouynes",
    ]
    assert data["alone"] == {"nodes": [{"id": "person:loner"}], "edges": []}


# --- offices as of a day -----------------------------------------------------------------------


async def test_office_holders_on_the_fixture(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          panama: officeHolders(asOf: "2022-04-20") {
            person { __typename id name }
            position { title organization { id } start { edtf } end { edtf }
                       sources { quote } }
          }
          undated: officeHolders(asOf: "2022-04-20", includeUndated: true) {
            person { id } position { title } }
          beforeBlinken: officeHolders(asOf: "2021-01-25") { person { id } }
          midYear: officeHolders(asOf: "2023-06-30") { person { id } }
          yearEnd: officeHolders(asOf: "2023-12-31") { person { id } position { title } }
          mexico: officeHolders(asOf: "2024-01-01", organization: "country:mx") {
            person { id } }
          unhcr: officeHolders(asOf: "2024-01-01", organization: "organization:unhcr") {
            person { id } }
        }"""
    )
    assert data["panama"] == [
        {
            "person": {
                "__typename": "Person",
                "id": "person:antony-blinken",
                "name": "Antony J. Blinken",
            },
            "position": {
                "title": "Secretary of State",
                "organization": {"id": "country:us"},
                "start": {"edtf": "2021-01-26"},
                "end": None,
                "sources": [{"quote": "as the fixture says"}],
            },
        }
    ]
    # Mouynes's office has no dates at all: only with includeUndated.
    assert data["undated"] == [
        {"person": {"id": "person:antony-blinken"}, "position": {"title": "Secretary of State"}},
        {
            "person": {"id": "person:erika-mouynes"},
            "position": {"title": "Minister of Foreign Affairs"},
        },
    ]
    assert data["beforeBlinken"] == []
    # Bárcena's start is "2023": known to be on or before a day only from 2023-12-31.
    assert ids([h["person"] for h in data["midYear"]]) == ["person:antony-blinken"]
    assert ids([h["person"] for h in data["yearEnd"]]) == [
        "person:alicia-barcena",
        "person:antony-blinken",
    ]
    assert ids([h["person"] for h in data["mexico"]]) == ["person:alicia-barcena"]
    assert data["unhcr"] == []


async def test_person_positions_as_of(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          blinken: entity(id: "person:antony-blinken") { ... on Person {
            all: positions { title }
            before: positions(asOf: "2021-01-25") { title }
            from: positions(asOf: "2021-01-26") { title start { edtf } }
          } }
          mouynes: entity(id: "person:erika-mouynes") { ... on Person {
            all: positions { title }
            dated: positions(asOf: "2022-04-20") { title }
            undated: positions(asOf: "2022-04-20", includeUndated: true) { title }
          } }
        }"""
    )
    assert data["blinken"] == {
        "all": [{"title": "Secretary of State"}],
        "before": [],
        "from": [{"title": "Secretary of State", "start": {"edtf": "2021-01-26"}}],
    }
    assert data["mouynes"] == {
        "all": [{"title": "Minister of Foreign Affairs"}],
        "dated": [],
        "undated": [{"title": "Minister of Foreign Affairs"}],
    }


def dated_positions() -> Dataset:
    """The fixture graph plus positions with ends and coarse dates."""
    data = mini_dataset()
    data.relations += [
        _rel(
            "person:alicia-barcena",
            "HOLDS_POSITION",
            "country:mx",
            title="Ambassador to Chile",
            start=parse_date("2022-02"),
            end=parse_date("2023-06"),
        ),
        _rel(
            "person:bernardo-arevalo",
            "HOLDS_POSITION",
            "country:gt",
            title="President-elect",
            start=parse_date("2023"),
            end=parse_date("2024"),
        ),
        _rel(
            "person:bernardo-arevalo",
            "HOLDS_POSITION",
            "country:gt",
            title="President",
            start=parse_date("2024"),
        ),
        _rel(
            "person:erika-mouynes",
            "HOLDS_POSITION",
            "organization:unhcr",
            title="Adviser",
            end=parse_date("2021-03-15"),
        ),
    ]
    return data


@pytest.fixture
async def dated(writable_store: Store) -> AsyncIterator[GraphQLClient]:
    await writable_store.load(dated_positions())
    async with client_for(writable_store) as http:
        yield GraphQLClient(http)


async def test_as_of_rule_with_starts_and_ends(dated: GraphQLClient) -> None:
    query = """query($d: Date!) {
      officeHolders(asOf: $d) { person { id } position { title } } }"""

    async def held(day: str) -> list[tuple[str, str]]:
        answer = await dated.data(query, {"d": day})
        return [(h["person"]["id"], h["position"]["title"]) for h in answer["officeHolders"]]

    ambassador = ("person:alicia-barcena", "Ambassador to Chile")
    adviser = ("person:erika-mouynes", "Adviser")
    # A missing start is open: the adviser held office until 15 March 2021, from whenever.
    assert await held("1990-01-01") == [adviser]
    assert adviser in await held("2021-03-15")
    assert adviser not in await held("2021-03-16")
    # A month-precision start counts from the month's last day; an end up to its first.
    assert ambassador not in await held("2022-02-27")
    assert ambassador in await held("2022-02-28")
    assert ambassador in await held("2023-06-01")
    assert ambassador not in await held("2023-06-02")
    assert await held("2023-12-31") == [
        ("person:alicia-barcena", "Secretary of Foreign Affairs"),
        ("person:antony-blinken", "Secretary of State"),
        ("person:bernardo-arevalo", "President-elect"),
    ]
    # The end "2024" may be 1 January: the President-elect counts on that day only.
    assert ("person:bernardo-arevalo", "President-elect") in await held("2024-01-01")
    assert await held("2024-12-31") == [
        ("person:alicia-barcena", "Secretary of Foreign Affairs"),
        ("person:antony-blinken", "Secretary of State"),
        ("person:bernardo-arevalo", "President"),
    ]
    guatemala = await dated.data(
        """{ officeHolders(asOf: "2024-12-31", organization: "country:gt") {
               person { id } position { title organization { id } } } }"""
    )
    assert guatemala["officeHolders"] == [
        {
            "person": {"id": "person:bernardo-arevalo"},
            "position": {"title": "President", "organization": {"id": "country:gt"}},
        }
    ]


# --- entity timelines --------------------------------------------------------------------------


TIMELINE_ITEM = "date { edtf } kind event { id } position { title organization { id } }"


def items(answer: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(edtf, kind, event id or position title) for each item."""
    return [
        (
            i["date"]["edtf"],
            i["kind"],
            i["event"]["id"] if i["event"] else i["position"]["title"],
        )
        for i in answer
    ]


async def test_entity_timeline(gql: GraphQLClient) -> None:
    data = await gql.data(
        f"""{{
          blinken: entityTimeline(id: "person:antony-blinken") {{ {TIMELINE_ITEM} }}
          window: entityTimeline(id: "person:antony-blinken", from: "2022-01-01",
                                 to: "2024-01-31") {{ {TIMELINE_ITEM} }}
          two: entityTimeline(id: "person:antony-blinken", first: 2) {{ kind }}
          event: entityTimeline(id: "event:panama-ministerial-2022") {{
            kind event {{ id name }} }}
          country: entityTimeline(id: "country:us") {{ kind event {{ id }} }}
          loner: entityTimeline(id: "person:loner") {{ kind }}
        }}"""
    )
    assert data["blinken"][0] == {
        "date": {"edtf": "2021-01-26"},
        "kind": "POSITION_START",
        "event": None,
        "position": {"title": "Secretary of State", "organization": {"id": "country:us"}},
    }
    assert items(data["blinken"]) == [
        ("2021-01-26", "POSITION_START", "Secretary of State"),
        ("2021-10", "EVENT", "event:bogota-ministerial-2021"),
        ("2022-04-19", "EVENT", "event:panama-signing-2022"),
        ("2022-04-20", "EVENT", "event:panama-press-2022"),
        # "2024" starts on 1 January, so it comes before a day in February.
        ("2024", "EVENT", "event:guatemala-ministerial-2024"),
        ("2024-02-28", "EVENT", "event:washington-trilateral-2024"),
    ]
    # Spans overlapping the window count: the year 2024 overlaps January.
    assert items(data["window"]) == [
        ("2022-04-19", "EVENT", "event:panama-signing-2022"),
        ("2022-04-20", "EVENT", "event:panama-press-2022"),
        ("2024", "EVENT", "event:guatemala-ministerial-2024"),
    ]
    assert data["two"] == [{"kind": "POSITION_START"}, {"kind": "EVENT"}]
    # An event's timeline: the events directly linked to it (here its sub-events).
    assert [(i["kind"], i["event"]["id"]) for i in data["event"]] == [
        ("EVENT", "event:panama-signing-2022"),
        ("EVENT", "event:panama-press-2022"),
    ]
    assert [i["event"]["id"] for i in data["country"]] == [
        "event:bogota-ministerial-2021",
        "event:panama-ministerial-2022",
        "event:summit-of-the-americas-2022",
    ]
    assert data["loner"] == []


async def test_entity_timeline_merges_starts_and_ends(dated: GraphQLClient) -> None:
    data = await dated.data(
        f"""{{
          arevalo: entityTimeline(id: "person:bernardo-arevalo") {{ {TIMELINE_ITEM} }}
          barcena: entityTimeline(id: "person:alicia-barcena") {{ {TIMELINE_ITEM} }}
          mouynes: entityTimeline(id: "person:erika-mouynes", to: "2021-12-31") {{
            {TIMELINE_ITEM} }}
        }}"""
    )
    # On one span: a position's start, then events, then a position's end.
    assert items(data["arevalo"]) == [
        ("2023", "POSITION_START", "President-elect"),
        ("2024", "POSITION_START", "President"),
        ("2024", "EVENT", "event:guatemala-ministerial-2024"),
        ("2024", "POSITION_END", "President-elect"),
    ]
    assert items(data["barcena"]) == [
        ("2022-02", "POSITION_START", "Ambassador to Chile"),
        ("2023", "POSITION_START", "Secretary of Foreign Affairs"),
        ("2023-06", "POSITION_END", "Ambassador to Chile"),
        ("2024", "EVENT", "event:guatemala-ministerial-2024"),
        ("2024-02-28", "EVENT", "event:washington-trilateral-2024"),
    ]
    assert data["barcena"][2]["position"]["organization"] == {"id": "country:mx"}
    assert items(data["mouynes"]) == [("2021-03-15", "POSITION_END", "Adviser")]


# --- evidence on graph edges ------------------------------------------------------------------


async def test_graph_edges_carry_their_sources(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          shortestPath(from: "person:antony-blinken", to: "country:us",
                       types: ["HOLDS_POSITION"]) {
            edges { type sources { quote document { id } } } }
          coParticipation(kinds: [PERSON], minWeight: 2) { edges { sources { quote } } }
        }"""
    )
    assert data["shortestPath"]["edges"] == [
        {
            "type": "HOLDS_POSITION",
            "sources": [{"quote": "as the fixture says", "document": {"id": "document:fixture"}}],
        }
    ]
    assert data["coParticipation"]["edges"] == [{"sources": []}, {"sources": []}]


# --- cost and caching --------------------------------------------------------------------------


async def test_research_fields_cost_a_fixed_number_of_store_calls(store: Store) -> None:
    counting = CountingStore(store)
    query = """{
      entityTimeline(id: "person:antony-blinken") {
        event { id name place { name } } position { title organization { name } } }
      officeHolders(asOf: "2022-04-20", includeUndated: true) {
        person { name positions(asOf: "2022-04-20") { organization { name } } }
        position { organization { name } } }
      communities { members { name ... on Person { positions { title } } } }
    }"""
    async with client_for(counting, UNCACHED) as http:
        await GraphQLClient(http).data(query)
        first = Counter(counting.calls)
        counting.calls.clear()
        await GraphQLClient(http).data(query)
    # The second run finds the communities and the list of positions in the cache.
    assert counting.calls["participations"] == 0 and counting.calls["edge_list"] == 0
    assert first["participations"] <= 1 and first["edge_list"] <= 1
    # Loaders batch: a fixed handful of calls, never one per item.
    assert first["relations"] <= 4 and first["get_nodes"] <= 8, first
    assert counting.calls["relations"] <= 4 and counting.calls["get_nodes"] <= 8


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("{ communities(resolution: 0) { id } }", "BAD_USER_INPUT", "resolution"),
        ("{ communities(resolution: -1.5) { id } }", "BAD_USER_INPUT", "resolution"),
        ("{ communities(minWeight: 0) { id } }", "BAD_USER_INPUT", "minWeight"),
        (
            '{ communities(from: "2024-01-01", to: "2023-01-01") { id } }',
            "BAD_USER_INPUT",
            "before 'from'",
        ),
        ('{ communities(from: "2024-13-01") { id } }', "BAD_USER_INPUT", "2024-13-01"),
        ('{ egoNetwork(id: "person:nobody") { nodes { id } } }', "NOT_FOUND", "person:nobody"),
        ('{ egoNetwork(id: "document:fixture") { nodes { id } } }', "NOT_FOUND", "document"),
        (
            '{ egoNetwork(id: "person:antony-blinken", radius: 4) { nodes { id } } }',
            "BAD_USER_INPUT",
            "radius must be between 1 and 3",
        ),
        (
            '{ egoNetwork(id: "person:antony-blinken", radius: 0) { nodes { id } } }',
            "BAD_USER_INPUT",
            "radius",
        ),
        (
            '{ egoNetwork(id: "person:antony-blinken", minWeight: -1) { nodes { id } } }',
            "BAD_USER_INPUT",
            "minWeight",
        ),
        ('{ officeHolders(asOf: "20 April 2022") { person { id } } }', "BAD_USER_INPUT", "Date"),
        (
            '{ officeHolders(asOf: "2022-04-20", organization: "country:zz") { person { id } } }',
            "NOT_FOUND",
            "country:zz",
        ),
        (
            '{ entity(id: "person:antony-blinken") { ... on Person { '
            'positions(asOf: "2022-02-30") { title } } } }',
            "BAD_USER_INPUT",
            "2022-02-30",
        ),
        ('{ entityTimeline(id: "person:nobody") { kind } }', "NOT_FOUND", "person:nobody"),
        (
            '{ entityTimeline(id: "country:us", from: "2024-01-01", to: "2022-01-01") { kind } }',
            "BAD_USER_INPUT",
            "before 'from'",
        ),
        (
            '{ entityTimeline(id: "country:us", first: 101) { kind } }',
            "BAD_USER_INPUT",
            "first must be between 0 and 100",
        ),
        ("{ officeHolders { person { id } } }", "GRAPHQL_VALIDATION_FAILED", "asOf"),
    ],
)
async def test_bad_input(gql: GraphQLClient, query: str, code: str, message: str) -> None:
    answer = await gql.post(query)
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == code, error
    assert message in error["message"], error
