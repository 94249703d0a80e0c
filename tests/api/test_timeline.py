"""Query.timeline: every filter, ordering and keyset pagination through cursors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from timeline.services.timeline import decode_cursor, encode_cursor

TIMELINE = """
query($from: Date, $to: Date, $involving: [ID!], $categories: [String!], $text: String,
      $order: Order, $first: Int, $after: String, $involvingMode: InvolvingMode) {
  timeline(from: $from, to: $to, involving: $involving, categories: $categories, text: $text,
           order: $order, first: $first, after: $after, involvingMode: $involvingMode) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

ANCHORS = [
    "event:bogota-ministerial-2021",
    "event:panama-ministerial-2022",
    "event:summit-of-the-americas-2022",
    "event:guatemala-ministerial-2024",  # year precision: from 1 January 2024
    "event:washington-trilateral-2024",
]


async def timeline(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    page: dict[str, Any] = (await gql.data(TIMELINE, variables))["timeline"]
    return page


def event_ids(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


async def walk(gql: GraphQLClient, **variables: Any) -> list[str]:
    """Every event, page by page, following endCursor."""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = await timeline(gql, **variables, after=after)
        seen += event_ids(page)
        pages += 1
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]
        assert pages < 100


async def test_default_page_is_the_first_twenty_in_time_order(gql: GraphQLClient) -> None:
    page = await timeline(gql)
    assert page["totalCount"] == 33 and len(page["edges"]) == 20
    everything = await timeline(gql, first=100)
    ids = event_ids(everything)
    assert ids[:20] == event_ids(page)
    assert [i for i in ids if i in ANCHORS] == ANCHORS
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": page["edges"][0]["cursor"],
        "endCursor": page["edges"][-1]["cursor"],
    }


@pytest.mark.parametrize("order", ["ASC", "DESC"])
@pytest.mark.parametrize("size", [1, 7, 20, 100])
async def test_cursor_walk_visits_every_event_once(
    gql: GraphQLClient, order: str, size: int
) -> None:
    full = event_ids(await timeline(gql, first=100, order=order))
    assert len(full) == 33 and len(set(full)) == 33
    assert await walk(gql, first=size, order=order) == full


async def test_desc_reverses_asc(gql: GraphQLClient) -> None:
    asc = event_ids(await timeline(gql, first=100))
    desc = event_ids(await timeline(gql, first=100, order="DESC"))
    assert desc == list(reversed(asc))


async def test_filtered_walk_and_page_info(gql: GraphQLClient) -> None:
    first = await timeline(gql, categories=["meeting"], first=10)
    assert first["totalCount"] == 27
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = await timeline(
        gql, categories=["meeting"], first=10, after=first["pageInfo"]["endCursor"]
    )
    assert second["totalCount"] == 27
    assert event_ids(second)[0] == "event:meeting-10-2023"
    assert second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    third = await timeline(
        gql, categories=["meeting"], first=10, after=second["pageInfo"]["endCursor"]
    )
    assert len(third["edges"]) == 7
    assert not third["pageInfo"]["hasNextPage"] and third["pageInfo"]["hasPreviousPage"]
    walked = await walk(gql, categories=["meeting"], first=4)
    assert len(walked) == 27 and walked[-1] == "event:washington-trilateral-2024"


async def test_an_edge_cursor_resumes_after_that_edge(gql: GraphQLClient) -> None:
    page = await timeline(gql, first=5)
    third = page["edges"][2]
    resumed = await timeline(gql, first=2, after=third["cursor"])
    assert event_ids(resumed) == event_ids(page)[3:5]


async def test_cursors_are_opaque_versioned_sort_keys(gql: GraphQLClient) -> None:
    page = await timeline(gql, first=1)
    cursor = page["edges"][0]["cursor"]
    padded = cursor + "=" * (-len(cursor) % 4)
    assert base64.urlsafe_b64decode(padded).decode() == (
        "v1|2021-10-01|2021-10-31|event:bogota-ministerial-2021"
    )
    assert decode_cursor(cursor) == ("2021-10-01", "2021-10-31", "event:bogota-ministerial-2021")
    assert encode_cursor(decode_cursor(cursor)) == cursor
    # Stable: the same event has the same cursor in any query that lists it.
    again = await timeline(gql, categories=["ministerial"], first=1)
    assert again["edges"][0]["cursor"] == cursor


async def test_empty_page(gql: GraphQLClient) -> None:
    page = await timeline(gql, text="zzzzqqq")
    assert page == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }
    zero = await timeline(gql, first=0)
    assert zero["edges"] == [] and zero["totalCount"] == 33 and zero["pageInfo"]["hasNextPage"]


# --- filters -----------------------------------------------------------------------------------


async def test_date_window_uses_overlap(gql: GraphQLClient) -> None:
    # A month-precision event (October 2021) overlaps a single day inside it.
    page = await timeline(gql, **{"from": "2021-10-15", "to": "2021-10-15"})
    assert event_ids(page) == ["event:bogota-ministerial-2021"]
    # The summit spans 6-10 June 2022.
    page = await timeline(gql, **{"from": "2022-06-08", "to": "2022-06-08"})
    assert event_ids(page) == ["event:summit-of-the-americas-2022"]
    # Open-ended windows: the year-long 2024 event overlaps March 2024.
    page = await timeline(gql, **{"from": "2024-03-01"})
    assert event_ids(page) == ["event:guatemala-ministerial-2024"]
    page = await timeline(gql, **{"to": "2022-04-19"})
    assert event_ids(page) == [
        "event:bogota-ministerial-2021",
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
    ]


async def test_date_window_as_literals(gql: GraphQLClient) -> None:
    data = await gql.data(
        '{ timeline(from: "2022-01-01", to: "2022-12-31") { totalCount edges { node { id } } } }'
    )
    assert data["timeline"]["totalCount"] == 4
    assert [e["node"]["id"] for e in data["timeline"]["edges"]] == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "event:panama-press-2022",
        "event:summit-of-the-americas-2022",
    ]


async def test_involving_rolls_up_through_sub_events(gql: GraphQLClient) -> None:
    page = await timeline(gql, involving=["person:erika-mouynes"])
    assert event_ids(page) == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "event:panama-press-2022",
    ]


async def test_involving_a_country_in_a_year(gql: GraphQLClient) -> None:
    # What happened there: Panama hosted the ministerial; the signing was held in Panama
    # City (in Panama) and Panama's foreign minister signed; she spoke at the press event.
    year = {"from": "2022-01-01", "to": "2022-12-31"}
    page = await timeline(gql, involving=["country:pa"], **year)
    assert event_ids(page) == [
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "event:panama-press-2022",
    ]
    # Direct links only (and the roll-up): the narrow set.
    page = await timeline(gql, involving=["country:pa"], involvingMode="DIRECT", **year)
    assert event_ids(page) == ["event:panama-ministerial-2022"]


MATCHED_BY = """
query($involving: [ID!], $mode: InvolvingMode) {
  timeline(involving: $involving, involvingMode: $mode, first: 50) {
    edges { node { id } matchedBy { involving rule chain names partOf relation title description } }
  }
}
"""


async def test_every_event_says_why_it_matched(gql: GraphQLClient) -> None:
    data = await gql.data(MATCHED_BY, {"involving": ["country:pa"]})
    why = {e["node"]["id"]: e["matchedBy"] for e in data["timeline"]["edges"]}
    assert set(why) == {
        "event:panama-signing-2022",
        "event:panama-ministerial-2022",
        "event:panama-press-2022",
    }
    assert all(why.values())
    signing = why["event:panama-signing-2022"]
    assert [r["description"] for r in signing] == [
        "held in Panama City, in Panama",
        "Erika Mouynes, Minister of Foreign Affairs of Panama, took part",
    ]
    assert signing[0] == {
        "involving": "country:pa",
        "rule": "PLACE",
        "chain": ["event:panama-signing-2022", "place:panama-city", "country:pa"],
        "names": ["Signing of the U.S.-Panama Bilateral Arrangement", "Panama City", "Panama"],
        "partOf": [],
        "relation": "HELD_IN",
        "title": None,
        "description": "held in Panama City, in Panama",
    }
    assert signing[1]["rule"] == "POSITION"
    assert signing[1]["chain"] == [
        "event:panama-signing-2022",
        "person:erika-mouynes",
        "country:pa",
    ]
    assert signing[1]["title"] == "Minister of Foreign Affairs"
    ministerial = why["event:panama-ministerial-2022"]
    assert ministerial[0]["rule"] == "DIRECT" and ministerial[0]["description"] == "Panama hosted"
    rolled = [r for r in ministerial if r["partOf"]]
    assert rolled and all(r["description"].startswith("through ") for r in rolled)
    assert all(r["chain"][1] == r["partOf"][0] for r in rolled)
    # Direct only: the reasons are direct ones too.
    data = await gql.data(MATCHED_BY, {"involving": ["country:pa"], "mode": "DIRECT"})
    edges = data["timeline"]["edges"]
    assert [e["node"]["id"] for e in edges] == ["event:panama-ministerial-2022"]
    assert {r["rule"] for r in edges[0]["matchedBy"]} == {"DIRECT"}


async def test_matched_by_is_empty_without_involving(gql: GraphQLClient) -> None:
    data = await gql.data("{ timeline(first: 3) { edges { matchedBy { rule } } } }")
    assert [e["matchedBy"] for e in data["timeline"]["edges"]] == [[], [], []]


async def test_involving_combines_with_and(gql: GraphQLClient) -> None:
    page = await timeline(gql, involving=["person:antony-blinken", "person:alicia-barcena"])
    assert event_ids(page) == [
        "event:guatemala-ministerial-2024",
        "event:washington-trilateral-2024",
    ]
    page = await timeline(gql, involving=["person:antony-blinken", "person:loner"])
    assert page["totalCount"] == 0 and page["edges"] == []
    page = await timeline(gql, involving=["person:nobody"])
    assert page["totalCount"] == 0


async def test_categories(gql: GraphQLClient) -> None:
    page = await timeline(gql, categories=["ministerial", "summit"])
    assert event_ids(page) == [
        "event:bogota-ministerial-2021",
        "event:panama-ministerial-2022",
        "event:summit-of-the-americas-2022",
        "event:guatemala-ministerial-2024",
    ]
    page = await timeline(gql, categories=["press_conference"])
    assert event_ids(page) == ["event:panama-press-2022"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BOGOTA", ["event:bogota-ministerial-2021"]),  # accents and case folded
        ("bogotá", ["event:bogota-ministerial-2021"]),
        ("panama city", ["event:panama-ministerial-2022"]),  # the description
        ("working meeting 25", ["event:meeting-25-2023"]),
    ],
)
async def test_text(gql: GraphQLClient, text: str, expected: list[str]) -> None:
    assert event_ids(await timeline(gql, text=text)) == expected


async def test_filters_combine_with_and(gql: GraphQLClient) -> None:
    page = await timeline(
        gql,
        involving=["person:antony-blinken"],
        categories=["ministerial"],
        order="DESC",
        **{"from": "2022-01-01"},
    )
    assert event_ids(page) == ["event:guatemala-ministerial-2024", "event:panama-ministerial-2022"]
