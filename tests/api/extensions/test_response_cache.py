"""ResponseCaching: held answers skip validation and execution; ETags; what is not held."""

from __future__ import annotations

import functools

import strawberry
from graphql import parse

from tests.api.extensions.conftest import Ctx, request, schema
from timeline.api.cache import ResponseCache
from timeline.api.extensions.response_cache import (
    AnswerCache,
    RequestDeadline,
    ResponseCaching,
    cacheable,
)
from timeline.api.httpcache import CachePolicy, DataVersions
from timeline.config import Settings
from timeline.stores.base import Store


def caching(size: int = 8) -> tuple[AnswerCache, strawberry.Schema]:
    settings = Settings()
    shared = AnswerCache(settings, ResponseCache(size), CachePolicy(settings), DataVersions())
    served = schema(
        [functools.partial(RequestDeadline, 5.0), functools.partial(ResponseCaching, shared)]
    )
    return shared, served


def test_only_queries_without_caller_bound_fields_are_cacheable() -> None:
    assert cacheable(parse("{ hello }"))
    assert cacheable(parse("query A { hello } query B { hello }"))
    assert not cacheable(parse("mutation { poke }"))
    assert not cacheable(parse("{ hello proposals }"))
    assert not cacheable(parse("{ ...F } fragment F on Query { proposals }"))


async def test_a_held_answer_is_served_without_executing(memory: Store) -> None:
    shared, served = caching()
    first, again = Ctx(memory, request()), Ctx(memory, request())
    answer = await served.execute('{ hello(name: "a") }', context_value=first)
    held = await served.execute('{ hello(name: "a") }', context_value=again)
    assert answer.data == held.data == {"hello": "hello a"}
    assert (first.calls.count, again.calls.count) == (1, 0)
    assert (shared.cache.hits, len(shared.cache)) == (1, 1)


async def test_variables_key_the_answer(memory: Store) -> None:
    _, served = caching()
    query = "query($n: String!) { hello(name: $n) }"
    a = await served.execute(query, {"n": "a"}, context_value=Ctx(memory, request()))
    b = await served.execute(query, {"n": "b"}, context_value=Ctx(memory, request()))
    assert (a.data, b.data) == ({"hello": "hello a"}, {"hello": "hello b"})


async def test_mutations_errors_and_caller_bound_fields_are_not_held(memory: Store) -> None:
    shared, served = caching()
    for query in ["mutation { poke }", "{ proposals }", "{ fails }"]:
        for _ in range(2):
            await served.execute(query, context_value=Ctx(memory, request()))
    assert len(shared.cache) == 0


async def test_a_get_names_its_answer_by_etag_and_a_match_is_not_executed(memory: Store) -> None:
    _, served = caching(size=0)  # no response cache: the ETag alone
    first = Ctx(memory, request("GET"))
    await served.execute("{ hello }", context_value=first)
    etag = first.request.state.timeline_etag
    assert etag.startswith('W/"')
    again = Ctx(memory, request("GET", headers={"if-none-match": etag}))
    result = await served.execute("{ hello }", context_value=again)
    assert result.data is None and result.errors is None and again.calls.count == 0
    assert again.request.state.timeline_etag == etag


async def test_answers_are_held_per_data_version(memory: Store) -> None:
    shared, served = caching()
    await served.execute("{ hello }", context_value=Ctx(memory, request()))
    version = await memory.data_version()
    assert shared.versions.version == version
    assert shared.cache.get(shared.cache.key(version, "{ hello }", None, None)) is not None
    assert shared.cache.get(shared.cache.key("another", "{ hello }", None, None)) is None
