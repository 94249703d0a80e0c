"""Every root field of the contract, and every entity kind's fields, on the fixture graph."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.conftest import GraphQLClient, client_for
from tests.fixtures import DOC as DOC_ID
from tests.fixtures import HOSTILE, mini_dataset
from timeline.model.records import Relation, Source
from timeline.stores import open_store

DOC = {"id": "document:fixture", "title": "Fixture document"}
SOURCE = {"quote": "as the fixture says", "document": DOC}

ENTITY_FIELDS = """
  id kind name aliases description
  sources { quote document { id title publisher language url published { edtf display } } }
"""


def ids(items: list[dict[str, object]], key: str = "id") -> list[object]:
    return [item[key] for item in items]


# --- lookups ---------------------------------------------------------------------------------


async def test_node_returns_entities_and_documents(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          person: node(id: "person:antony-blinken") { __typename id ... on Person { name } }
          doc: node(id: "document:fixture") {
            __typename id
            ... on Document { title publisher published { edtf start end precision display }
                              url language }
          }
          none: node(id: "person:nobody") { id }
          malformed: node(id: "not an id") { id }
        }"""
    )
    assert data["person"] == {
        "__typename": "Person",
        "id": "person:antony-blinken",
        "name": "Antony J. Blinken",
    }
    assert data["doc"] == {
        "__typename": "Document",
        "id": "document:fixture",
        "title": "Fixture document",
        "publisher": "Tests",
        "published": {
            "edtf": "2024-02-28",
            "start": "2024-02-28",
            "end": "2024-02-28",
            "precision": "DAY",
            "display": "28 February 2024",
        },
        "url": None,
        "language": "en",
    }
    assert data["none"] is None and data["malformed"] is None


async def test_entity_and_event_are_null_for_unknown_or_other_kinds(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          a: entity(id: "person:nobody") { id }
          b: entity(id: "document:fixture") { id }
          c: event(id: "person:antony-blinken") { id }
          d: event(id: "event:nothing-2020") { id }
          e: entity(id: "country:pa") { __typename id kind }
        }"""
    )
    assert data == {
        "a": None,
        "b": None,
        "c": None,
        "d": None,
        "e": {"__typename": "Country", "id": "country:pa", "kind": "COUNTRY"},
    }


async def test_common_entity_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        f"query($id: ID!) {{ entity(id: $id) {{ {ENTITY_FIELDS} claims {{ property }} }} }}",
        {"id": "person:antony-blinken"},
    )
    assert data["entity"] == {
        "id": "person:antony-blinken",
        "kind": "PERSON",
        "name": "Antony J. Blinken",
        "aliases": ["Antony Blink", "Anthony Blinken", "Bliken"],
        "description": "U.S. Secretary of State.",
        "sources": [
            {
                "quote": "as the fixture says",
                "document": {
                    "id": "document:fixture",
                    "title": "Fixture document",
                    "publisher": "Tests",
                    "language": "en",
                    "url": None,
                    "published": {"edtf": "2024-02-28", "display": "28 February 2024"},
                },
            }
        ],
        "claims": [],
    }


async def test_hostile_strings_come_back_verbatim(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ event(id: "event:hostile-2023") {
              name description participants { role entity { name sources { quote } } } } }"""
    )
    event = data["event"]
    assert event["name"] == HOSTILE and event["description"] == HOSTILE
    (participant,) = event["participants"]
    assert participant["role"] == HOSTILE
    assert participant["entity"] == {"name": HOSTILE, "sources": [{"quote": HOSTILE}]}


# --- each kind ---------------------------------------------------------------------------------


async def test_event_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ event(id: "event:panama-ministerial-2022") {
              kind category description
              date { edtf start end precision display }
              place { id name country { id code } latitude longitude }
              partOf { id }
              subEvents { id category }
              participants { role entity { __typename id } sources { quote } }
              agreements { id }
              previous { id }
              next { id }
            } }"""
    )
    event = data["event"]
    assert event["kind"] == "EVENT" and event["category"] == "ministerial"
    assert event["description"] == "Held in Panama City."
    assert event["date"] == {
        "edtf": "2022-04-19/2022-04-20",
        "start": "2022-04-19",
        "end": "2022-04-20",
        "precision": "DAY",
        "display": "19\u2009–\u200920 April 2022",
    }
    assert event["place"] == {
        "id": "place:panama-city",
        "name": "Panama City",
        "country": {"id": "country:pa", "code": "PA"},
        "latitude": 8.9824,
        "longitude": -79.5199,
    }
    assert event["partOf"] is None
    assert event["subEvents"] == [
        {"id": "event:panama-signing-2022", "category": "signing"},
        {"id": "event:panama-press-2022", "category": "press_conference"},
    ]
    assert [(p["entity"]["id"], p["role"]) for p in event["participants"]] == [
        ("country:mx", "delegation"),
        ("country:pa", "host"),
        ("country:us", "delegation"),
        ("organization:unhcr", "observer"),
    ]
    assert event["participants"][3]["entity"]["__typename"] == "Organization"
    assert event["participants"][0]["sources"] == [{"quote": "as the fixture says"}]
    assert event["agreements"] == []
    assert event["previous"] == {"id": "event:bogota-ministerial-2021"}
    assert event["next"] == {"id": "event:summit-of-the-americas-2022"}


async def test_event_participants_filters_and_sub_event_parent(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          countries: event(id: "event:panama-ministerial-2022") {
            participants(kinds: [COUNTRY], role: "delegation") { entity { id } role }
          }
          hosts: event(id: "event:panama-ministerial-2022") {
            participants(role: "HOST") { entity { id } }
          }
          press: event(id: "event:panama-press-2022") {
            partOf { id name } previous { id } next { id } place { id }
            participants(kinds: [PERSON]) { entity { id } role }
          }
        }"""
    )
    assert data["countries"]["participants"] == [
        {"entity": {"id": "country:mx"}, "role": "delegation"},
        {"entity": {"id": "country:us"}, "role": "delegation"},
    ]
    assert data["hosts"]["participants"] == [{"entity": {"id": "country:pa"}}]
    assert data["press"] == {
        "partOf": {
            "id": "event:panama-ministerial-2022",
            "name": "Ministerial Conference on Migration and Protection",
        },
        "previous": None,
        "next": None,
        "place": None,
        "participants": [
            {"entity": {"id": "person:antony-blinken"}, "role": "speaker"},
            {"entity": {"id": "person:erika-mouynes"}, "role": "speaker"},
        ],
    }


async def test_series_previous_and_next_walk_the_series(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          first: event(id: "event:bogota-ministerial-2021") { previous { id } next { id } }
          summit: event(id: "event:summit-of-the-americas-2022") {
            previous { id } next { id next { id next { id } } }
            agreements { id name }
          }
        }"""
    )
    assert data["first"] == {"previous": None, "next": {"id": "event:panama-ministerial-2022"}}
    summit = data["summit"]
    assert summit["previous"] == {"id": "event:panama-ministerial-2022"}
    # series_order puts the year-precision Guatemala event after the February trilateral.
    assert summit["next"] == {
        "id": "event:washington-trilateral-2024",
        "next": {"id": "event:guatemala-ministerial-2024", "next": None},
    }
    assert summit["agreements"] == [
        {
            "id": "agreement:los-angeles-declaration",
            "name": "Los Angeles Declaration on Migration and Protection",
        }
    ]


async def test_person_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ entity(id: "person:alicia-barcena") { ... on Person {
              positions { title organization { id name } start { edtf precision display }
                          end { edtf } sources { quote } }
              events { totalCount edges { node { id } } }
              relations { type direction role other { id } }
            } } }"""
    )
    person = data["entity"]
    assert person["positions"] == [
        {
            "title": "Secretary of Foreign Affairs",
            "organization": {"id": "country:mx", "name": "Mexico"},
            "start": {"edtf": "2023", "precision": "YEAR", "display": "2023"},
            "end": None,
            "sources": [{"quote": "as the fixture says"}],
        }
    ]
    assert person["events"]["totalCount"] == 2
    assert [e["node"]["id"] for e in person["events"]["edges"]] == [
        "event:guatemala-ministerial-2024",
        "event:washington-trilateral-2024",
    ]
    assert person["relations"] == [
        {
            "type": "ATTENDED",
            "direction": "OUT",
            "role": "delegation",
            "other": {"id": "event:guatemala-ministerial-2024"},
        },
        {
            "type": "ATTENDED",
            "direction": "OUT",
            "role": "delegation",
            "other": {"id": "event:washington-trilateral-2024"},
        },
        {"type": "HOLDS_POSITION", "direction": "OUT", "role": None, "other": {"id": "country:mx"}},
    ]


async def test_country_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ entity(id: "country:mx") { ... on Country {
              code name aliases
              events(first: 3) { totalCount edges { node { id } } pageInfo { hasNextPage } }
              relations(types: ["HOLDS_POSITION"]) {
                type direction title start { edtf } other { id }
              }
            } } }"""
    )
    country = data["entity"]
    assert (country["code"], country["name"], country["aliases"]) == ("MX", "Mexico", ["México"])
    # 25 working meetings and the Panama ministerial.
    assert country["events"]["totalCount"] == 26
    assert [e["node"]["id"] for e in country["events"]["edges"]] == [
        "event:panama-ministerial-2022",
        "event:meeting-01-2023",
        "event:meeting-02-2023",
    ]
    assert country["events"]["pageInfo"] == {"hasNextPage": True}
    assert country["relations"] == [
        {
            "type": "HOLDS_POSITION",
            "direction": "IN",
            "title": "Secretary of Foreign Affairs",
            "start": {"edtf": "2023"},
            "other": {"id": "person:alicia-barcena"},
        }
    ]


async def test_organization_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ entity(id: "organization:unhcr") { ... on Organization {
              acronym orgType country { id }
              events { edges { node { id } } }
              relations { type direction role other { id } }
            } } }"""
    )
    assert data["entity"] == {
        "acronym": "UNHCR",
        "orgType": "intergovernmental",
        "country": None,
        "events": {"edges": [{"node": {"id": "event:panama-ministerial-2022"}}]},
        "relations": [
            {
                "type": "ATTENDED",
                "direction": "OUT",
                "role": "observer",
                "other": {"id": "event:panama-ministerial-2022"},
            }
        ],
    }


async def test_agreement_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ entity(id: "agreement:los-angeles-declaration") { ... on Agreement {
              aliases agreementType date { edtf display }
              parties { __typename id }
              signatories { id }
              adoptedAt { id }
              events { edges { node { id } } }
              relations(types: ["ADOPTED_AT", "PARTY_TO"], first: 2) { type direction other { id } }
            } } }"""
    )
    assert data["entity"] == {
        "aliases": ["LA Declaration"],
        "agreementType": "declaration",
        "date": {"edtf": "2022-06-10", "display": "10 June 2022"},
        "parties": [
            {"__typename": "Country", "id": "country:gt"},
            {"__typename": "Country", "id": "country:pa"},
            {"__typename": "Country", "id": "country:us"},
        ],
        "signatories": [],
        "adoptedAt": {"id": "event:summit-of-the-americas-2022"},
        "events": {"edges": [{"node": {"id": "event:summit-of-the-americas-2022"}}]},
        "relations": [
            {
                "type": "ADOPTED_AT",
                "direction": "OUT",
                "other": {"id": "event:summit-of-the-americas-2022"},
            },
            {"type": "PARTY_TO", "direction": "IN", "other": {"id": "country:gt"}},
        ],
    }


async def test_place_fields(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          city: entity(id: "place:panama-city") { ... on Place {
              country { id name } latitude longitude placeType
              events { edges { node { id } } }
              relations(types: ["HELD_IN"]) { direction other { id } }
          } }
          bogota: entity(id: "place:bogota") { ... on Place { country { id } latitude } }
        }"""
    )
    assert data["city"] == {
        "country": {"id": "country:pa", "name": "Panama"},
        "latitude": 8.9824,
        "longitude": -79.5199,
        "placeType": None,
        "events": {
            "edges": [
                {"node": {"id": "event:panama-signing-2022"}},
                {"node": {"id": "event:panama-ministerial-2022"}},
            ]
        },
        "relations": [
            {"direction": "IN", "other": {"id": "event:panama-ministerial-2022"}},
            {"direction": "IN", "other": {"id": "event:panama-signing-2022"}},
        ],
    }
    assert data["bogota"] == {"country": None, "latitude": 4.711}


async def test_entity_events_window_and_cursor(gql: GraphQLClient) -> None:
    query = """query($after: String) { entity(id: "person:antony-blinken") {
        events(from: "2022-01-01", to: "2022-12-31", first: 1, after: $after) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }
        } } }"""
    first = (await gql.data(query, {"after": None}))["entity"]["events"]
    assert first["totalCount"] == 2
    assert first["edges"][0]["node"]["id"] == "event:panama-signing-2022"
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = (await gql.data(query, {"after": first["pageInfo"]["endCursor"]}))["entity"]["events"]
    assert [e["node"]["id"] for e in second["edges"]] == ["event:panama-press-2022"]
    assert not second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]


async def test_relations_first_limits(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ entity(id: "country:mx") {
              none: relations(first: 0) { type }
              two: relations(first: 2) { other { id } }
              all: relations { type }
        } }"""
    )
    entity = data["entity"]
    assert entity["none"] == []
    assert [r["other"]["id"] for r in entity["two"]] == [
        "event:meeting-01-2023",
        "event:meeting-02-2023",
    ]
    assert len(entity["all"]) == 27


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("bogota", None, "place:bogota"),  # accent-insensitive: Bogotá
        ("ALICIA BARCENA", None, "person:alicia-barcena"),
        ("Bliken", "[PERSON]", "person:antony-blinken"),  # an alias
        ("Blinkin", "[PERSON]", "person:antony-blinken"),  # a typo
        ("Mouyness", None, "person:erika-mouynes"),
        ("México", "[COUNTRY]", "country:mx"),
        ("LA Declaration", None, "agreement:los-angeles-declaration"),
    ],
)
async def test_search_is_accent_case_and_typo_tolerant(
    gql: GraphQLClient, text: str, kinds: str | None, expected: str
) -> None:
    kinds_arg = f", kinds: {kinds}" if kinds else ""
    data = await gql.data(f'{{ search(text: "{text}"{kinds_arg}) {{ node {{ id }} score }} }}')
    assert data["search"][0]["node"]["id"] == expected


async def test_search_ranks_filters_and_limits(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          all: search(text: "panama", first: 5) { node { id kind } score }
          places: search(text: "panama", kinds: [PLACE]) { node { id ... on Place { latitude } } }
          exact: search(text: "Panama") { node { id } score }
          nothing: search(text: "zzzzqqq") { node { id } }
          three: search(text: "meeting", first: 3) { node { id } }
        }"""
    )
    hits = data["all"]
    assert [h["node"]["id"] for h in hits][:2] == ["country:pa", "place:panama-city"]
    assert hits[0]["node"]["kind"] == "COUNTRY" and hits[0]["score"] == 1.0
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert data["places"] == [{"node": {"id": "place:panama-city", "latitude": 8.9824}}]
    assert data["exact"][0] == {"node": {"id": "country:pa"}, "score": 1.0}
    assert data["nothing"] == []
    assert len(data["three"]) == 3


# --- traversal ---------------------------------------------------------------------------------


async def test_neighbors(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          one: neighbors(id: "event:panama-signing-2022") {
            nodes { __typename id } edges { type source target role weight }
          }
          typed: neighbors(id: "person:erika-mouynes", depth: 2, types: ["ATTENDED"]) {
            nodes { id } edges { type }
          }
          few: neighbors(id: "person:erika-mouynes", depth: 2, first: 3) { nodes { id } }
        }"""
    )
    one = data["one"]
    assert ids(one["nodes"]) == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "person:antony-blinken",
        "person:erika-mouynes",
        "place:panama-city",
    ]
    assert one["nodes"][4]["__typename"] == "Place"
    assert one["edges"] == [
        {
            "type": "HELD_IN",
            "source": "event:panama-ministerial-2022",
            "target": "place:panama-city",
            "role": None,
            "weight": None,
        },
        {
            "type": "HELD_IN",
            "source": "event:panama-signing-2022",
            "target": "place:panama-city",
            "role": None,
            "weight": None,
        },
        {
            "type": "PART_OF",
            "source": "event:panama-signing-2022",
            "target": "event:panama-ministerial-2022",
            "role": None,
            "weight": None,
        },
        {
            "type": "ATTENDED",
            "source": "person:antony-blinken",
            "target": "event:panama-signing-2022",
            "role": "signatory",
            "weight": None,
        },
        {
            "type": "ATTENDED",
            "source": "person:erika-mouynes",
            "target": "event:panama-signing-2022",
            "role": "signatory",
            "weight": None,
        },
    ]
    assert ids(data["typed"]["nodes"]) == [
        "person:erika-mouynes",
        "event:panama-press-2022",
        "event:panama-signing-2022",
        "person:antony-blinken",
    ]
    assert {e["type"] for e in data["typed"]["edges"]} == {"ATTENDED"}
    assert ids(data["few"]["nodes"]) == [
        "person:erika-mouynes",
        "country:pa",
        "event:panama-press-2022",
    ]


async def test_shortest_path(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          path: shortestPath(from: "person:erika-mouynes", to: "person:alicia-barcena") {
            length nodes { id } edges { type source target role }
          }
          tooShort: shortestPath(from: "person:erika-mouynes", to: "person:alicia-barcena",
                                 maxLength: 3) { length }
          none: shortestPath(from: "person:loner", to: "country:us") { length }
          same: shortestPath(from: "country:us", to: "country:us") {
            length nodes { id } edges { type }
          }
          typed: shortestPath(from: "person:antony-blinken", to: "country:us",
                              types: ["HOLDS_POSITION"]) { length edges { type } }
        }"""
    )
    assert data["path"] == {
        "length": 4,
        "nodes": [
            {"id": "person:erika-mouynes"},
            {"id": "country:pa"},
            {"id": "event:panama-ministerial-2022"},
            {"id": "country:mx"},
            {"id": "person:alicia-barcena"},
        ],
        "edges": [
            {
                "type": "HOLDS_POSITION",
                "source": "person:erika-mouynes",
                "target": "country:pa",
                "role": None,
            },
            {
                "type": "HOSTED",
                "source": "country:pa",
                "target": "event:panama-ministerial-2022",
                "role": "host",
            },
            {
                "type": "ATTENDED",
                "source": "country:mx",
                "target": "event:panama-ministerial-2022",
                "role": "delegation",
            },
            {
                "type": "HOLDS_POSITION",
                "source": "person:alicia-barcena",
                "target": "country:mx",
                "role": None,
            },
        ],
    }
    assert data["tooShort"] is None and data["none"] is None
    assert data["same"] == {"length": 0, "nodes": [{"id": "country:us"}], "edges": []}
    assert data["typed"] == {"length": 1, "edges": [{"type": "HOLDS_POSITION"}]}


async def test_common_events(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          both: commonEvents(ids: ["person:antony-blinken", "person:erika-mouynes"]) {
            id date { edtf }
          }
          later: commonEvents(ids: ["person:antony-blinken", "person:erika-mouynes"],
                              from: "2022-04-20") { id }
          before: commonEvents(ids: ["person:antony-blinken", "person:erika-mouynes"],
                               to: "2022-04-19") { id }
          none: commonEvents(ids: ["person:antony-blinken", "person:loner"]) { id }
          empty: commonEvents(ids: []) { id }
        }"""
    )
    assert data["both"] == [
        {"id": "event:panama-signing-2022", "date": {"edtf": "2022-04-19"}},
        {"id": "event:panama-press-2022", "date": {"edtf": "2022-04-20"}},
    ]
    assert data["later"] == [{"id": "event:panama-press-2022"}]
    assert data["before"] == [{"id": "event:panama-signing-2022"}]
    assert data["none"] == [] and data["empty"] == []


# --- analytics ---------------------------------------------------------------------------------


async def test_co_participation(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          people: coParticipation(kinds: [PERSON]) {
            nodes { id } edges { type source target role weight }
          }
          strong: coParticipation(kinds: [PERSON], minWeight: 2) { nodes { id } edges { weight } }
          y2022: coParticipation(kinds: [COUNTRY, ORGANIZATION], from: "2022-01-01",
                                 to: "2022-12-31") { nodes { id } edges { source target weight } }
        }"""
    )
    edge = {"type": "CO_PARTICIPATED", "role": None}
    assert ids(data["people"]["nodes"]) == [
        "person:alicia-barcena",
        "person:antony-blinken",
        "person:bernardo-arevalo",
        "person:erika-mouynes",
    ]
    assert data["people"]["edges"] == [
        {**edge, "source": "person:alicia-barcena", "target": "person:antony-blinken", "weight": 2},
        {
            **edge,
            "source": "person:alicia-barcena",
            "target": "person:bernardo-arevalo",
            "weight": 1,
        },
        {
            **edge,
            "source": "person:antony-blinken",
            "target": "person:bernardo-arevalo",
            "weight": 1,
        },
        # the signing and the press conference
        {**edge, "source": "person:antony-blinken", "target": "person:erika-mouynes", "weight": 2},
    ]
    assert ids(data["strong"]["nodes"]) == [
        "person:alicia-barcena",
        "person:antony-blinken",
        "person:erika-mouynes",
    ]
    assert data["strong"]["edges"] == [{"weight": 2}, {"weight": 2}]
    # In 2022 only the Panama ministerial has country/organization participants.
    y2022 = data["y2022"]
    assert ids(y2022["nodes"]) == ["country:mx", "country:pa", "country:us", "organization:unhcr"]
    assert len(y2022["edges"]) == 6 and {e["weight"] for e in y2022["edges"]} == {1}


def expected_scores(metric: str) -> dict[str, float]:
    """The documented projection, computed independently from the fixture dataset."""
    graph = nx.Graph()
    graph.add_edges_from((r.subject, r.object) for r in mini_dataset().relations)
    algorithm = {
        "DEGREE": nx.degree_centrality,
        "BETWEENNESS": nx.betweenness_centrality,
        "PAGERANK": nx.pagerank,
    }[metric]
    return {node: round(score, 6) for node, score in algorithm(graph).items()}


@pytest.mark.parametrize("metric", ["DEGREE", "BETWEENNESS", "PAGERANK"])
async def test_centrality_matches_the_documented_projection(
    gql: GraphQLClient, metric: str
) -> None:
    data = await gql.data(
        "query($m: CentralityMetric!) { all: centrality(metric: $m, first: 100) "
        "{ entity { id } score } people: centrality(metric: $m, kinds: [PERSON], first: 3) "
        "{ entity { __typename id } score } }",
        {"m": metric},
    )
    scores = expected_scores(metric)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    assert [(r["entity"]["id"], r["score"]) for r in data["all"]] == ranked
    people = [item for item in ranked if item[0].startswith("person:")][:3]
    assert [(r["entity"]["id"], r["score"]) for r in data["people"]] == people
    assert {r["entity"]["__typename"] for r in data["people"]} == {"Person"}


async def test_centrality_known_values(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          degree: centrality(metric: DEGREE, first: 2) { entity { id } score }
          countries: centrality(metric: BETWEENNESS, kinds: [COUNTRY], first: 2) { entity { id } }
        }"""
    )
    # Mexico: 25 meetings, the Panama ministerial and its minister = 27 of 46 other entities
    # (47 entities have a relation; the lone wolf has none and is not in the projection).
    assert data["degree"] == [
        {"entity": {"id": "country:mx"}, "score": round(27 / 46, 6)},
        {"entity": {"id": "event:panama-ministerial-2022"}, "score": round(7 / 46, 6)},
    ]
    assert ids([c["entity"] for c in data["countries"]]) == ["country:mx", "country:us"]


async def test_stats_and_data_version(gql: GraphQLClient) -> None:
    data = await gql.data("{ stats { kind count } dataVersion }")
    assert {s["kind"]: s["count"] for s in data["stats"]} == mini_dataset().counts()
    assert isinstance(data["dataVersion"], str) and data["dataVersion"]


@pytest.mark.parametrize("backend_name", ["memory"])
async def test_participation_roles_default_by_relation_type(backend_name: str) -> None:
    dataset = mini_dataset()
    dataset.relations += [
        Relation(
            type="ORGANIZED",
            subject="organization:unhcr",
            object="event:meeting-01-2023",
            sources=(Source(DOC_ID, "as the fixture says"),),
        ),
        Relation(
            type="HOSTED",
            subject="country:gt",
            object="event:meeting-01-2023",
            sources=(Source(DOC_ID, "as the fixture says"),),
        ),
        Relation(
            type="ATTENDED",
            subject="person:loner",
            object="event:meeting-01-2023",
            sources=(Source(DOC_ID, "as the fixture says"),),
        ),
    ]
    store = open_store(backend_name)
    await store.load(dataset)
    async with client_for(store) as http:
        data = await GraphQLClient(http).data(
            '{ event(id: "event:meeting-01-2023") { participants { role entity { id } } '
            'hosts: participants(role: "host") { entity { id } } } }'
        )
    assert data["event"] == {
        "participants": [
            {"role": "host", "entity": {"id": "country:gt"}},
            {"role": "delegation", "entity": {"id": "country:mx"}},
            {"role": "organizer", "entity": {"id": "organization:unhcr"}},
            {"role": None, "entity": {"id": "person:loner"}},
        ],
        "hosts": [{"entity": {"id": "country:gt"}}],
    }


# --- epistemic status ---------------------------------------------------------------------------


async def test_basis_on_sources_relations_claims_and_dates(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          signing: event(id: "event:panama-signing-2022") {
            status dateBasis
            sources { basis note }
            relations(types: ["PART_OF", "HELD_IN"]) {
              type basis sources { quote basis note }
            }
          }
          planned: event(id: "event:meeting-25-2023") { status }
          declaration: entity(id: "agreement:los-angeles-declaration") {
            ... on Agreement {
              dateBasis
              sources { basis note }
              claims { property basis sources { basis note } }
            }
          }
          barcena: entity(id: "person:alicia-barcena") {
            ... on Person { positions { title basis sources { basis } } }
          }
          ministerial: event(id: "event:panama-ministerial-2022") {
            participants(kinds: [COUNTRY]) { entity { id } basis }
          }
          graph: neighbors(id: "event:panama-signing-2022", types: ["HELD_IN"]) {
            edges { type basis sources { basis } }
          }
        }"""
    )
    signing = data["signing"]
    assert (signing["status"], signing["dateBasis"]) == ("OCCURRED", "STATED")
    assert signing["sources"] == [{"basis": "STATED", "note": None}]
    relations = {r["type"]: r for r in signing["relations"]}
    assert relations["PART_OF"]["basis"] == "STATED"  # one of its two sources states it
    assert [s["basis"] for s in relations["PART_OF"]["sources"]] == ["INFERRED", "STATED"]
    assert relations["PART_OF"]["sources"][0]["note"] == "The signing is dated to the conference."
    assert relations["HELD_IN"]["basis"] == "INFERRED"
    assert data["planned"] == {"status": "PLANNED"}
    declaration = data["declaration"]
    assert declaration["dateBasis"] == "INFERRED"
    assert declaration["sources"][0]["basis"] == "INFERRED"
    assert declaration["sources"][0]["note"].startswith("Planned in April 2022")
    assert [(c["property"], c["basis"]) for c in declaration["claims"]] == [
        ("signed", "STATED"),
        ("adopted_at", "INFERRED"),
    ]
    assert declaration["claims"][1]["sources"] == [{"basis": "INFERRED", "note": HOSTILE}]
    (position,) = data["barcena"]["positions"]
    assert position["basis"] == "INFERRED" and position["sources"] == [{"basis": "INFERRED"}]
    assert {p["basis"] for p in data["ministerial"]["participants"]} == {"STATED"}
    assert data["graph"]["edges"] == [
        {"type": "HELD_IN", "basis": "INFERRED", "sources": [{"basis": "INFERRED"}]}
    ]


async def test_timeline_filters_on_status(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{
          planned: timeline(status: PLANNED, first: 100) {
            totalCount edges { node { id status } }
          }
          occurred: timeline(status: OCCURRED, first: 100) { totalCount }
          all: timeline(first: 100) { totalCount }
        }"""
    )
    assert data["planned"]["edges"] == [
        {"node": {"id": "event:meeting-25-2023", "status": "PLANNED"}}
    ]
    assert data["occurred"]["totalCount"] == data["all"]["totalCount"] - 1
    error = await gql.error("{ timeline(status: RUMOURED) { totalCount } }")
    assert "RUMOURED" in error["message"]
