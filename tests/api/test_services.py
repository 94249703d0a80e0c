"""The services under the API: cursors, timeline arguments and the analytics cache."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest

from tests.fixtures import mini_dataset
from timeline.model.ids import Kind
from timeline.services import analytics
from timeline.services.arguments import API_NAMES, InvalidArgument
from timeline.services.timeline import (
    InvalidCursor,
    decode_cursor,
    encode_cursor,
    timeline_query,
)
from timeline.stores.base import Order, Store, TimelineQuery
from timeline.stores.memory import MemoryStore

KEY = ("2022-04-19", "2022-04-20", "event:panama-ministerial-2022")


def test_cursor_round_trip_is_url_safe() -> None:
    cursor = encode_cursor(KEY)
    assert decode_cursor(cursor) == KEY
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "garbage",
    [
        "x",
        "????",
        encode_cursor(KEY)[:-3],
        encode_cursor(("2022-04-20", "2022-04-19", "event:x")),  # ends before it starts
        encode_cursor(("2022-04-19", "2022-04-20", "")),
        "djJ8MjAyMi0wNC0xOXwyMDIyLTA0LTIwfGV2ZW50Ong",  # v2|...
    ],
)
def test_garbage_cursors_are_value_errors_with_a_hint(garbage: str) -> None:
    with pytest.raises(InvalidCursor, match="use a cursor from a previous page") as caught:
        decode_cursor(garbage)
    assert isinstance(caught.value, ValueError)


def test_timeline_query_from_api_arguments() -> None:
    query = timeline_query(
        start="2022-01-01",
        end=dt.date(2022, 12, 31),
        involving=["country:pa", "country:pa", "country:us"],
        categories=["summit"],
        text="  Panamá ",
        order=Order.DESC,
        first=5,
        after=encode_cursor(KEY),
    )
    assert query == TimelineQuery(
        start=dt.date(2022, 1, 1),
        end=dt.date(2022, 12, 31),
        involving=("country:pa", "country:us"),
        categories=("summit",),
        text="Panamá",
        order=Order.DESC,
        first=5,
        after=KEY,
    )
    assert timeline_query() == TimelineQuery()
    assert timeline_query(text="   ", after="").text is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"start": "2022-13-01"}, "from: not a calendar day"),
        ({"end": "soon"}, "to: not a calendar day"),
        ({"start": "2022-02-01", "end": "2022-01-01"}, r"'to' \(2022-01-01\) is before 'from'"),
        ({"first": -1}, "first must not be negative"),
        ({"after": "nope"}, "invalid cursor"),
    ],
)
def test_timeline_query_refuses_bad_arguments(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        timeline_query(**arguments)
    # the service names its arguments neutrally; the API spells them as it does
    assert re.search(message, caught.value.spelled(API_NAMES))


class Counting:
    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if not callable(value):
            return value

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await value(*args, **kwargs)

        return counted


@pytest.mark.parametrize("backend_name", ["memory"])
async def test_projection_and_scores_are_cached_per_data_version(backend_name: str) -> None:
    dataset = mini_dataset()
    dataset.relations.pop()  # a version no other test has cached
    inner = MemoryStore(dataset)
    assert inner.name == backend_name
    store = Counting(inner)
    first, again = await asyncio.gather(
        analytics.centrality(store, "pagerank", {Kind.PERSON}, 3),
        analytics.centrality(store, analytics.Metric.PAGERANK, {Kind.PERSON}, 3),
    )
    assert first == again and len(first) == 3
    assert store.calls["edge_list"] == 1
    await analytics.centrality(store, analytics.Metric.DEGREE, None, 1)
    assert store.calls["edge_list"] == 1  # same version: same projection
    await inner.load(mini_dataset())
    await analytics.centrality(store, analytics.Metric.DEGREE, None, 1)
    assert store.calls["edge_list"] in (1, 2)  # another version (maybe cached by other tests)
    assert store.calls["data_version"] == 4


async def test_analytics_refuse_bad_arguments(store: Store) -> None:
    with pytest.raises(InvalidArgument, match="unknown centrality metric 'fame'"):
        await analytics.centrality(store, "fame")
    with pytest.raises(InvalidArgument, match="first must not be negative"):
        await analytics.centrality(store, "degree", first=-1)
    with pytest.raises(InvalidArgument, match="min_weight must be at least 1") as caught:
        await analytics.co_participation(store, min_weight=0)
    assert caught.value.spelled(API_NAMES) == "minWeight must be at least 1, got 0"


async def test_co_participation_service(store: Store) -> None:
    network = await analytics.co_participation(
        store, {Kind.PERSON}, dt.date(2022, 4, 19), dt.date(2022, 4, 20)
    )
    assert [n.id for n in network.nodes] == ["person:antony-blinken", "person:erika-mouynes"]
    assert network.edges == [
        analytics.WeightedEdge("person:antony-blinken", "person:erika-mouynes", 2)
    ]
