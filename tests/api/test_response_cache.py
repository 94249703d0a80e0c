"""The response cache: answers to queries kept per worker, keyed on the data version."""

from __future__ import annotations

import dataclasses

import pytest

from tests.api.test_loaders import CountingStore
from tests.conftest import GraphQLClient, client_for
from timeline.api.cache import ResponseCache
from timeline.config import Settings
from timeline.model.changes import ChangeSet
from timeline.stores.base import Store

PAGE = """
query($id: ID!) {
  timeline(involving: [$id], first: 5) {
    totalCount edges { node { id name participants { role } } }
  }
}
"""
BLINKEN = {"id": "person:antony-blinken"}


def test_least_recently_used_answers_go_first() -> None:
    cache = ResponseCache(size=2)
    a, b, c = (cache.key("v", q, None, None) for q in ("{ a }", "{ b }", "{ c }"))
    cache.put(a, {"a": 1})
    cache.put(b, {"b": 1})
    assert cache.get(a) == {"a": 1}  # a is now the most recently used
    cache.put(c, {"c": 1})
    assert cache.get(b) is None and cache.get(a) == {"a": 1} and cache.get(c) == {"c": 1}
    assert len(cache) == 2 and (cache.hits, cache.misses) == (3, 1)


def test_keys_ignore_variable_order_but_not_versions_or_operations() -> None:
    key = ResponseCache.key
    assert key("v", "q", None, {"a": 1, "b": [1, 2]}) == key("v", "q", None, {"b": [1, 2], "a": 1})
    assert key("v", "q", None, {}) == key("v", "q", None, None)
    assert key("v", "q", None, None) != key("w", "q", None, None)
    assert key("v", "q", "A", None) != key("v", "q", "B", None)
    assert key("v", "q", None, {"a": 1}) != key("v", "q", None, {"a": "1"})


def test_size_zero_keeps_nothing_and_a_negative_size_is_refused() -> None:
    cache = ResponseCache(size=0)
    cache.put(cache.key("v", "q", None, None), {"x": 1})
    assert not cache.enabled and len(cache) == 0
    with pytest.raises(ValueError, match="negative"):
        ResponseCache(size=-1)


async def test_a_repeated_query_costs_only_the_version_check(store: Store) -> None:
    counting = CountingStore(store)
    async with client_for(counting) as http:
        client = GraphQLClient(http)
        first = await client.data(PAGE, BLINKEN)
        calls = dict(counting.calls)
        assert calls["timeline"] == 1 and calls["data_version"] == 1
        counting.calls.clear()
        again = await client.data(PAGE, dict(reversed(list(BLINKEN.items()))))
        assert again == first
        assert counting.calls == {"data_version": 1}
        other = await client.data(PAGE, {"id": "person:alicia-barcena"})
        assert other != first and counting.calls["timeline"] == 1


async def test_answers_follow_writes(writable_store: Store) -> None:
    query = '{ entity(id: "person:antony-blinken") { description } }'
    async with client_for(writable_store) as http:
        client = GraphQLClient(http)
        before = await client.data(query)
        blinken = (await writable_store.get_nodes(["person:antony-blinken"]))[
            "person:antony-blinken"
        ]
        changed = dataclasses.replace(blinken, description="Changed by a curation write.")
        await writable_store.apply(ChangeSet(entities=(changed,)))  # type: ignore[arg-type]
        after = await client.data(query)
    assert before["entity"]["description"] != "Changed by a curation write."
    assert after["entity"]["description"] == "Changed by a curation write."


async def test_errors_and_mutations_are_not_cached(store: Store) -> None:
    counting = CountingStore(store)
    bad = '{ timeline(from: "2022-05-01", to: "2022-04-01") { totalCount } }'
    async with client_for(counting) as http:
        for _ in range(2):
            response = await http.post("/graphql", json={"query": bad})
            assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert counting.calls["data_version"] == 2  # looked up twice: never stored
        mutation = (
            'mutation { removeRelation(input: {from: "person:a", type: "MET", to: "person:b", '
            'reason: "test"}) { dataVersion } }'
        )
        for _ in range(2):
            response = await http.post("/graphql", json={"query": mutation})
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert counting.calls["data_version"] == 2  # mutations never consult the cache


async def test_the_cache_can_be_turned_off(store: Store) -> None:
    counting = CountingStore(store)
    async with client_for(counting, Settings(response_cache_size=0)) as http:
        client = GraphQLClient(http)
        for _ in range(3):
            await client.data(PAGE, BLINKEN)
    assert counting.calls["timeline"] == 3 and "data_version" not in counting.calls
