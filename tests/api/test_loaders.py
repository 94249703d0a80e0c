"""No N+1: a page of N events costs the same number of store calls for any N."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.conftest import GraphQLClient, client_for
from timeline.config import Settings
from timeline.stores.base import Store

#: These tests count the store calls that resolving a query costs: no response cache (which
#: would add a data version check, and answer repeated queries without resolving them).
UNCACHED = Settings(response_cache_size=0)

PAGE = """
query($first: Int) {
  timeline(first: $first) {
    edges { node {
      id name
      participants { role entity { id name } sources { quote document { title } } }
      sources { quote document { title } }
      place { name }
      previous { id name }
      next { id }
    } }
  }
}
"""


class CountingStore:
    """Passes every call through to a store, counting calls by method."""

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


async def calls_for(store: Store, first: int) -> Counter[str]:
    counting = CountingStore(store)
    async with client_for(counting, UNCACHED) as http:
        data = await GraphQLClient(http).data(PAGE, {"first": first})
    edges = data["timeline"]["edges"]
    assert len(edges) == first
    assert all(
        s["document"]["title"] == "Fixture document" for e in edges for s in e["node"]["sources"]
    )
    return counting.calls


@pytest.mark.parametrize("sizes", [(5, 20), (1, 33)])
async def test_a_page_costs_the_same_store_calls_at_any_size(
    store: Store, sizes: tuple[int, int]
) -> None:
    small, large = [await calls_for(store, n) for n in sizes]
    for calls in (small, large):
        # One timeline call that brings the page's links with it (participants, places,
        # the documents of sources), one series batch (previous, next), and one node batch
        # for the series neighbours the links did not bring.
        assert calls == {"timeline": 1, "series_neighbors": 1, "get_nodes": 1}, calls


W1 = """
query($id: ID!) {
  timeline(involving: [$id], first: 20) {
    totalCount
    edges { node {
      id name category date { edtf start end }
      participants { role entity { id name kind } }
      sources { quote document { id title } }
    } }
  }
}
"""


async def test_a_page_with_participants_and_sources_is_one_store_call(store: Store) -> None:
    counting = CountingStore(store)
    async with client_for(counting, UNCACHED) as http:
        data = await GraphQLClient(http).data(W1, {"id": "person:antony-blinken"})
    events = [e["node"] for e in data["timeline"]["edges"]]
    assert events and all(e["participants"] for e in events)
    assert any(e["sources"] for e in events)
    assert counting.calls == {"timeline": 1}


async def test_why_each_event_matched_comes_in_the_same_store_call(store: Store) -> None:
    seen: list[tuple[bool, bool]] = []

    class Spy(CountingStore):
        async def timeline(self, query: Any) -> Any:
            seen.append((query.with_links, query.explain))
            self.calls["timeline"] += 1
            return await self.inner.timeline(query)

    counting = Spy(store)
    explained = W1.replace("edges { node {", "edges { matchedBy { rule chain description } node {")
    async with client_for(counting, UNCACHED) as http:  # type: ignore[arg-type]
        data = await GraphQLClient(http).data(explained, {"id": "country:pa"})
        await GraphQLClient(http).data(W1, {"id": "country:pa"})
    edges = data["timeline"]["edges"]
    assert edges and all(e["matchedBy"] for e in edges)
    assert any(r["rule"] != "DIRECT" for e in edges for r in e["matchedBy"])
    assert counting.calls == {"timeline": 2}
    assert seen == [(True, True), (True, False)]  # reasons only when selected


async def test_a_page_without_linked_fields_does_not_fetch_links(store: Store) -> None:
    seen: list[bool] = []

    class Spy(CountingStore):
        async def timeline(self, query: Any) -> Any:
            seen.append(query.with_links)
            return await self.inner.timeline(query)

    async with client_for(Spy(store), UNCACHED) as http:  # type: ignore[arg-type]
        client = GraphQLClient(http)
        await client.data("{ timeline(first: 3) { edges { node { id name date { edtf } } } } }")
        await client.data(
            '{ entity(id: "person:antony-blinken") { events { edges { node { id } } } } }'
        )
        await client.data(
            "{ timeline(first: 3) { edges { node { ...E } } } } "
            "fragment E on Event { ... on Event { place { name } } }"
        )
    assert seen == [False, False, True]


async def test_entity_pages_share_loaders(store: Store) -> None:
    counting = CountingStore(store)
    query = """{
      a: entity(id: "person:antony-blinken") { name relations { other { name } } }
      b: entity(id: "person:erika-mouynes") { name relations { other { name } } }
      c: node(id: "document:fixture") { id }
    }"""
    async with client_for(counting, UNCACHED) as http:
        await GraphQLClient(http).data(query)
    # All three lookups in one get_nodes; both entities' relations in one call; the other
    # ends of those relations in one more get_nodes.
    assert counting.calls == Counter({"get_nodes": 2, "relations": 1})


async def test_an_entity_and_its_relations_are_fetched_side_by_side(store: Store) -> None:
    in_flight: list[str] = []
    together: list[set[str]] = []

    class Overlap(CountingStore):
        def __getattr__(self, name: str) -> Any:
            call = super().__getattr__(name)

            async def watched(*args: Any, **kwargs: Any) -> Any:
                in_flight.append(name)
                together.append(set(in_flight))
                try:
                    await asyncio.sleep(0.01)  # a round trip
                    return await call(*args, **kwargs)
                finally:
                    in_flight.remove(name)

            return watched

    query = """{
      entity(id: "person:antony-blinken") {
        name ... on Person { positions { title organization { name } } }
      }
    }"""
    async with client_for(Overlap(store), UNCACHED) as http:  # type: ignore[arg-type]
        data = await GraphQLClient(http).data(query)
    assert data["entity"]["positions"]
    assert {"get_nodes", "relations"} in together, together


async def test_relations_are_loaded_by_the_types_the_selection_reads(store: Store) -> None:
    """A person's positions read its HOLDS_POSITION relations only, not every event it
    attended; a field that reads every relation loads them all, once."""
    asked: list[Any] = []

    class Recording(CountingStore):
        async def relations(self, ids: Any, types: Any = None) -> Any:
            asked.append((sorted(ids), types))
            return await self.inner.relations(ids, types)

    positions = """{
      entity(id: "person:antony-blinken") {
        ... on Person { positions { title organization { id } } }
      }
    }"""
    both = """{
      entity(id: "person:antony-blinken") {
        relations { type } ... on Person { positions { title } }
      }
    }"""
    async with client_for(Recording(store), UNCACHED) as http:  # type: ignore[arg-type]
        client = GraphQLClient(http)
        held = (await client.data(positions))["entity"]["positions"]
        assert asked == [(["person:antony-blinken"], ["HOLDS_POSITION"])]
        asked.clear()
        data = (await client.data(both))["entity"]
    assert asked == [(["person:antony-blinken"], None)]
    everything = (await store.relations(["person:antony-blinken"]))["person:antony-blinken"]
    assert [p["title"] for p in data["positions"]] == [p["title"] for p in held]
    assert len(data["relations"]) == len(everything) > len(held) > 0


class Overlapping(CountingStore):
    """Counts calls and records which calls were in flight together (each takes a
    round trip's pause before it reaches the store)."""

    def __init__(self, inner: Store) -> None:
        super().__init__(inner)
        self.in_flight: list[str] = []
        self.together: list[set[str]] = []

    def __getattr__(self, name: str) -> Any:
        call = super().__getattr__(name)

        async def watched(*args: Any, **kwargs: Any) -> Any:
            self.in_flight.append(name)
            self.together.append(set(self.in_flight))
            try:
                await asyncio.sleep(0.01)
                return await call(*args, **kwargs)
            finally:
                self.in_flight.remove(name)

        return watched


ENTITY_PAGE = """
query($id: ID!, $n: Int) {
  entity(id: $id) {
    name ... on Person { positions { title organization { name } } }
    events(first: $n) { totalCount edges { node { id name participants { role } } } }
  }
}
"""


async def test_an_entity_page_reads_its_events_beside_the_entity(store: Store) -> None:
    spy = Overlapping(store)
    async with client_for(spy, UNCACHED) as http:  # type: ignore[arg-type]
        client = GraphQLClient(http)
        data = await client.data(ENTITY_PAGE, {"id": "person:antony-blinken", "n": 2})
        assert {"get_nodes", "relations", "timeline"} in spy.together, spy.together
        # the page prefetched is the page the field answers: read once, links included
        assert spy.calls["timeline"] == 1
        page = data["entity"]["events"]
        assert len(page["edges"]) == 2 and page["totalCount"] > 2
        assert all(e["node"]["participants"] for e in page["edges"])
        # a window (or a cursor) is the resolver's alone: no prefetch, still one read
        spy.calls.clear()
        windowed = await client.data(
            '{ entity(id: "person:antony-blinken") '
            '{ events(from: "2022-01-01", first: 1) { edges { node { id } } } } }'
        )
        assert spy.calls["timeline"] == 1 and windowed["entity"]["events"]["edges"]
        # a prefetch of a page the resolver refuses starts nothing and hides no error
        spy.calls.clear()
        response = await client.post(ENTITY_PAGE, {"id": "person:antony-blinken", "n": 10**6})
        assert spy.calls["timeline"] == 0
        assert "first must be between" in response["errors"][0]["message"]
        # an entity that does not exist: null, and no error from the page read beside it
        assert (await client.data(ENTITY_PAGE, {"id": "person:nobody", "n": 2}))["entity"] is None
