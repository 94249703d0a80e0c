"""DocumentLimits: variables before parsing, the parsed document before validation."""

from __future__ import annotations

import functools
import time

import strawberry

from tests.api.extensions.conftest import Ctx, code, request, schema
from timeline.api.auth import Caller
from timeline.api.errors import RequestError
from timeline.api.extensions.limits import MAX_NESTING, DocumentLimits, LimitChecks
from timeline.config import Settings

SETTINGS = Settings(max_string_length=10, max_selections=50)
WRITER = SETTINGS.model_copy(update={"max_string_length": 100})
WRITER_CALLER = Caller("alice", frozenset({"read", "write"}), presented=True)


def limited(checks: LimitChecks | None = None) -> strawberry.Schema:
    return schema([functools.partial(DocumentLimits, checks or LimitChecks(SETTINGS, WRITER))])


async def test_a_long_string_in_the_variables_is_refused_before_anything_runs() -> None:
    context = Ctx(store=None, request=request())
    result = await limited().execute(
        "query($n: String!) { hello(name: $n) }", {"n": "x" * 11}, context_value=context
    )
    assert result.data is None and result.errors is not None
    assert code(result.errors[0]) == "BAD_USER_INPUT"
    assert "at most 10 characters" in result.errors[0].message
    assert context.calls.count == 0


async def test_writers_may_send_longer_strings() -> None:
    context = Ctx(store=None, request=request(), caller=WRITER_CALLER)
    result = await limited().execute(
        "query($n: String!) { hello(name: $n) }", {"n": "x" * 50}, context_value=context
    )
    assert result.errors is None and result.data == {"hello": "hello " + "x" * 50}


async def test_lone_surrogates_in_the_variables_are_refused() -> None:
    context = Ctx(store=None, request=request())
    result = await limited().execute(
        "query($n: String!) { hello(name: $n) }", {"n": "\ud800"}, context_value=context
    )
    assert result.errors is not None and code(result.errors[0]) == "BAD_USER_INPUT"


async def test_documents_the_depth_limiter_would_fail_on_are_refused_first() -> None:
    cases = {
        "{ }": "GRAPHQL_PARSE_FAILED",
        "{ ...Nope }": "GRAPHQL_VALIDATION_FAILED",
        '{ hello(name: "' + "x" * 11 + '") }': "BAD_USER_INPUT",
    }
    for query, expected in cases.items():
        result = await limited().execute(query, context_value=Ctx(None, request()))
        assert result.errors is not None and code(result.errors[0]) == expected, query


async def test_expanded_fragments_are_counted_in_linear_time() -> None:
    fragments = ["fragment F0 on Query { hello }"] + [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 21)
    ]
    query = "{ ...F20 } " + " ".join(fragments)
    started = time.perf_counter()
    result = await limited().execute(query, context_value=Ctx(None, request()))
    assert time.perf_counter() - started < 2
    assert result.errors is not None and code(result.errors[0]) == "GRAPHQL_VALIDATION_FAILED"
    assert "more than 50" in result.errors[0].message


async def test_nesting_past_the_limit_is_refused() -> None:
    query = "{ " + "... on Query { " * (MAX_NESTING + 1) + "hello" + " }" * (MAX_NESTING + 2)
    result = await limited().execute(query, context_value=Ctx(None, request()))
    assert result.errors is not None and code(result.errors[0]) == "GRAPHQL_VALIDATION_FAILED"


async def test_several_operations_without_a_name_are_a_request_error() -> None:
    query = "query A { hello } query B { hello }"
    context = Ctx(None, request(body={"query": query}))
    result = await limited().execute(query, context_value=context)
    assert result.errors is not None
    assert isinstance(result.errors[0].original_error, RequestError)
    assert context.response.status_code == 400 and context.calls.count == 0
    named = Ctx(None, request(body={"query": query, "operationName": "B"}))
    chosen = await limited().execute(query, operation_name="B", context_value=named)
    assert chosen.errors is None and chosen.data == {"hello": "hello world"}


async def test_what_a_query_text_holds_is_found_once() -> None:
    checks = LimitChecks(SETTINGS)
    for _ in range(3):
        await limited(checks).execute("{ hello }", context_value=Ctx(None, request()))
    assert len(checks.found._facts) == 1
