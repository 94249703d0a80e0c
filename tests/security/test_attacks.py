"""Hostile requests, on every backend: each gets a clean, coded answer, and none hangs.

"Clean" (see ``conftest.assert_clean``): the expected HTTP status, a JSON body, every error
with its ``extensions.code`` (never ``INTERNAL_SERVER_ERROR``), and no traceback, source
path, exception class name or database text. Plain bad arguments (bad dates, cursors, page
sizes, 51 ids, unknown fields) are covered by ``tests/api/test_errors.py``; this suite is
about requests made to hurt.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query

from tests.conftest import GraphQLClient, client_for
from tests.security.conftest import assert_clean, codes_of
from timeline.config import Settings
from timeline.stores.base import Store
from timeline.stores.guard import GuardedStore, StoreTimeout, request_deadline
from timeline.stores.memory import MemoryStore

#: No answer may take longer than this (seconds): a hang, not a slow machine. How fast the
#: answers are is measured by the benchmarks (docs/benchmarks.md), not asserted here; what
#: bounds a hostile request's time is the server's own deadlines, tested below.
HANG = 60.0

EVENT = "event:bogota-ministerial-2021"


async def post(http: httpx.AsyncClient, body: Any, **kwargs: Any) -> httpx.Response:
    async with asyncio.timeout(HANG):
        return await http.post("/graphql", json=body, **kwargs)


async def raw(
    http: httpx.AsyncClient, content: bytes | str, content_type: str | None = "application/json"
) -> httpx.Response:
    headers = {"content-type": content_type} if content_type is not None else {}
    async with asyncio.timeout(HANG):
        return await http.post("/graphql", content=content, headers=headers)


async def refused(http: httpx.AsyncClient, query: str, code: str, *fragments: str) -> None:
    """The query gets 200, no data and one error with ``code``, whose message has these."""
    body = assert_clean(await post(http, {"query": query}), 200, code)
    data = body.get("data")
    assert data is None or not any(data.values()), body
    assert body["errors"], body
    for fragment in fragments:
        assert any(fragment in e["message"] for e in body["errors"]), body


# --- deep nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{" + "event { " * 600 + "id" + " }" * 600 + "}",  # past the parser's nesting limit
        "{ " + "... on Query { " * 300 + "dataVersion" + " }" * 300 + " }",
        '{ search(text: "x", kinds: ' + "[" * 900 + "]" * 900 + ") { score } }",
    ],
    ids=["fields", "inline-fragments", "list-literal"],
)
async def test_nesting_past_the_parser_limit(http: httpx.AsyncClient, query: str) -> None:
    await refused(http, query, "GRAPHQL_PARSE_FAILED", "nested too deeply")


async def test_deep_inline_fragments_within_the_parser_limit(http: httpx.AsyncClient) -> None:
    query = "{ " + "... on Query { " * 150 + "dataVersion" + " }" * 150 + " }"
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED", "nests", "more than 64")


async def test_deep_field_nesting(http: httpx.AsyncClient) -> None:
    query = f'{{ event(id: "{EVENT}") {{ ' + "next { " * 100 + "id" + " }" * 100 + " } }"
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED")


async def test_deeply_nested_json_body(http: httpx.AsyncClient) -> None:
    # Within the body limit, but deeper than Python's JSON decoder can recurse.
    nested = "[" * 40_000 + "]" * 40_000
    response = await raw(http, '{"query": "{ dataVersion }", "variables": {"a": ' + nested + "}}")
    body = assert_clean(response, 400, "BAD_REQUEST")
    assert body["errors"][0]["message"] == "Unable to parse request body as JSON"


# --- alias bombs ----------------------------------------------------------------------------------


def alias_bomb(aliases: int = 30) -> str:
    """As many aliases as allowed, each the most expensive traversal allowed."""
    fields = " ".join(
        f'a{i}: neighbors(id: "country:us", depth: 3, first: 1000) {{ nodes {{ id }} }}'
        for i in range(aliases)
    )
    return f"{{ {fields} }}"


async def test_alias_bomb_of_expensive_fields_is_answered(http: httpx.AsyncClient) -> None:
    body = assert_clean(await post(http, {"query": alias_bomb()}), 200)
    assert "errors" not in body and len(body["data"]) == 30
    assert len({json.dumps(v, sort_keys=True) for v in body["data"].values()}) == 1


async def test_alias_bomb_over_the_limit(http: httpx.AsyncClient) -> None:
    fields = " ".join(f"a{i}: stats {{ kind }}" for i in range(300))
    await refused(http, f"{{ {fields} }}", "GRAPHQL_VALIDATION_FAILED", "aliases")


async def test_aliases_hidden_in_a_fragment_spread_many_times(http: httpx.AsyncClient) -> None:
    spreads = " ".join("...F" for _ in range(40))
    query = f"{{ {spreads} }} fragment F on Query {{ a: dataVersion b: dataVersion }}"
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED", "aliases")


# --- fragment bombs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{ ...A } fragment A on Query { ...A }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "{ ...A } fragment A on Query { dataVersion ...B } "
        "fragment B on Query { stats { kind } ...C } fragment C on Query { ...A }",
        '{ event(id: "x") { ...E } } fragment E on Event { next { ...E } }',
    ],
    ids=["self", "two", "three", "nested"],
)
async def test_cyclic_fragments(http: httpx.AsyncClient, query: str) -> None:
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED", "Cannot spread fragment")


def doubling_fragments(levels: int, leaf: str = "dataVersion") -> str:
    """F0 spreads F1 twice, F1 spreads F2 twice...: 2^levels copies of ``leaf``."""
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {chain} fragment F{levels} on Query {{ {leaf} }}"


@pytest.mark.parametrize("levels", [12, 30, 60])
async def test_exponential_fragment_spreads(http: httpx.AsyncClient, levels: int) -> None:
    # Without the expanded-size check, strawberry's depth and alias limiters walk all 2^N
    # copies: 60 levels would hold the event loop for ever.
    await refused(http, doubling_fragments(levels), "GRAPHQL_VALIDATION_FAILED", "more than")


async def test_exponential_fragments_with_aliases(http: httpx.AsyncClient) -> None:
    await refused(
        http,
        doubling_fragments(40, "a: dataVersion b: __typename"),
        "GRAPHQL_VALIDATION_FAILED",
        "more than",
    )


async def test_long_fragment_chain(http: httpx.AsyncClient) -> None:
    chain = " ".join(
        f"fragment F{i} on Query {{ ... on Query {{ ...F{i + 1} }} }}" for i in range(150)
    )
    query = f"{{ ...F0 }} {chain} fragment F150 on Query {{ dataVersion }}"
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED", "nests")


async def test_reused_fragments_within_the_limits_answer(http: httpx.AsyncClient) -> None:
    query = doubling_fragments(4, "dataVersion")  # 16 copies of one field: merged, answered
    body = assert_clean(await post(http, {"query": query}), 200)
    assert "errors" not in body and set(body["data"]) == {"dataVersion"}


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("{ ...Nope }", "Unknown fragment 'Nope'"),
        ("{ dataVersion } fragment Unused on Query { dataVersion }", "never used"),
        ("{ ...A } fragment A on Query { dataVersion } fragment A on Query { stats { kind } }", ""),
        ("{ ...A } fragment A on Nothing { id }", "Nothing"),
    ],
)
async def test_broken_fragments(http: httpx.AsyncClient, query: str, fragment: str) -> None:
    await refused(http, query, "GRAPHQL_VALIDATION_FAILED", fragment)


# --- directive abuse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code", "fragment"),
    [
        ("{ dataVersion @nope }", "GRAPHQL_VALIDATION_FAILED", "Unknown directive"),
        (
            "{ dataVersion @include(if: true) @include(if: false) }",
            "GRAPHQL_VALIDATION_FAILED",
            "can only be used once",
        ),
        ("{ dataVersion @include }", "GRAPHQL_VALIDATION_FAILED", "if"),
        ('{ dataVersion @include(if: "yes") }', "GRAPHQL_VALIDATION_FAILED", "Boolean"),
        ("{ dataVersion @deprecated }", "GRAPHQL_VALIDATION_FAILED", "may not be used"),
        ("query @skip(if: true) { dataVersion }", "GRAPHQL_VALIDATION_FAILED", "may not be"),
        ("{ dataVersion @skip(if: $undefined) }", "GRAPHQL_VALIDATION_FAILED", "$undefined"),
        ("{ dataVersion " + "@skip(if: false) " * 400 + "}", "GRAPHQL_PARSE_FAILED", "tokens"),
        (
            "{ dataVersion " + " ".join(f"@d{i}" for i in range(300)) + " }",
            "GRAPHQL_VALIDATION_FAILED",
            "Unknown directive",
        ),
    ],
)
async def test_directive_abuse(
    http: httpx.AsyncClient, query: str, code: str, fragment: str
) -> None:
    await refused(http, query, code, fragment)


async def test_skip_and_include_work(gql: GraphQLClient) -> None:
    data = await gql.data("{ dataVersion @skip(if: true) stats @include(if: true) { kind } }")
    assert set(data) == {"stats"}


# --- huge page sizes, huge lists ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ timeline(first: 2147483647) { totalCount } }", "BAD_USER_INPUT"),
        ("{ timeline(first: 2147483648) { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ timeline(first: 1e9) { totalCount } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ timeline(first: -2147483648) { totalCount } }", "BAD_USER_INPUT"),
        (
            '{ neighbors(id: "country:us", first: 2147483647) { nodes { id } } }',
            "BAD_USER_INPUT",
        ),
        ('{ search(text: "a", first: 2147483647) { score } }', "BAD_USER_INPUT"),
        ("{ centrality(metric: DEGREE, first: 2147483647) { score } }", "BAD_USER_INPUT"),
        ('{ entityTimeline(id: "country:us", first: 2147483647) { kind } }', "BAD_USER_INPUT"),
        (
            '{ entity(id: "country:us") { events(first: 2147483647) { totalCount } } }',
            "BAD_USER_INPUT",
        ),
        (
            '{ shortestPath(from: "country:us", to: "country:pa", maxLength: 2147483647) '
            "{ length } }",
            "BAD_USER_INPUT",
        ),
    ],
)
async def test_huge_first(http: httpx.AsyncClient, query: str, code: str) -> None:
    await refused(http, query, code)


async def test_huge_first_in_a_variable(http: httpx.AsyncClient) -> None:
    query = "query($n: Int) { timeline(first: $n) { totalCount } }"
    for value, code in [
        (2**31 - 1, "BAD_USER_INPUT"),
        (2**64, "BAD_USER_INPUT"),
        (1e308, "BAD_USER_INPUT"),
        ("100", "BAD_USER_INPUT"),
    ]:
        body = assert_clean(await post(http, {"query": query, "variables": {"n": value}}), 200)
        assert codes_of(body) == {code}, body


@pytest.mark.parametrize(
    ("query", "variable"),
    [
        ("query($v: [ID!]!) { commonEvents(ids: $v) { id } }", "ids"),
        ("query($v: [ID!]) { timeline(involving: $v) { totalCount } }", "involving"),
        ("query($v: [String!]) { timeline(categories: $v) { totalCount } }", "categories"),
        (
            'query($v: [String!]) { neighbors(id: "country:us", types: $v) { nodes { id } } }',
            "types",
        ),
        (
            'query($v: [String!]) { shortestPath(from: "country:us", to: "country:pa", '
            "types: $v) { length } }",
            "types",
        ),
    ],
)
async def test_huge_lists(http: httpx.AsyncClient, query: str, variable: str) -> None:
    many = [f"x:{i}" for i in range(10_000)]
    body = assert_clean(await post(http, {"query": query, "variables": {"v": many}}), 200)
    assert codes_of(body) == {"BAD_USER_INPUT"}, body
    assert f"{variable} may list at most 50 values, got 10000" in body["errors"][0]["message"]


async def test_one_id_repeated_many_times_is_one_id(gql: GraphQLClient) -> None:
    data = await gql.data(
        "query($v: [ID!]!) { commonEvents(ids: $v) { id } }", {"v": ["country:pa"] * 5000}
    )
    assert data["commonEvents"]


async def test_list_literal_over_the_token_limit(http: httpx.AsyncClient) -> None:
    ids = ", ".join(f'"x:{i}"' for i in range(3000))
    await refused(http, f"{{ commonEvents(ids: [{ids}]) {{ id }} }}", "GRAPHQL_PARSE_FAILED")


# --- very long strings ----------------------------------------------------------------------------

MEGABYTE = "a" * 1_000_000


@pytest.mark.parametrize(
    "query",
    [
        "query($t: String!) { search(text: $t) { score } }",
        "query($t: ID!) { node(id: $t) { id } }",
        "query($t: ID!) { neighbors(id: $t) { nodes { id } } }",
        "query($t: String) { timeline(text: $t) { totalCount } }",
    ],
)
async def test_a_megabyte_string_is_too_large(http: httpx.AsyncClient, query: str) -> None:
    response = await post(http, {"query": query, "variables": {"t": MEGABYTE}})
    body = assert_clean(response, 413, "PAYLOAD_TOO_LARGE")
    assert "larger than 100000 bytes" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "query($t: String!) { search(text: $t) { score } }",
        "query($t: ID!) { node(id: $t) { id } }",
        "query($t: ID!) { shortestPath(from: $t, to: $t) { length } }",
        "query($t: String) { timeline(after: $t) { totalCount } }",
        "query($t: String) { timeline(text: $t) { totalCount } }",
        "query($t: [String!]) { timeline(categories: $t) { totalCount } }",
    ],
)
async def test_long_strings_within_the_body_limit(http: httpx.AsyncClient, query: str) -> None:
    # 90 kB of text would cost a fuzzy search seconds; strings are capped well before.
    text = "bogota " * 13_000
    variables = {"t": [text] if "[String!]" in query else text}
    body = assert_clean(await post(http, {"query": query, "variables": variables}), 200)
    assert codes_of(body) == {"BAD_USER_INPUT"}, body
    assert "at most 1000 characters" in body["errors"][0]["message"]


async def test_long_string_literal(http: httpx.AsyncClient) -> None:
    await refused(
        http,
        '{ search(text: "%s") { score } }' % ("x" * 50_000),
        "BAD_USER_INPUT",
        "at most 1000 characters long, got one of 50000",
    )
    await refused(
        http, '{ search(text: """%s""") { score } }' % ("y" * 5000), "BAD_USER_INPUT", "1000"
    )


async def test_strings_at_the_limit_are_answered(gql: GraphQLClient) -> None:
    data = await gql.data(
        "query($t: String!) { search(text: $t) { score } }", {"t": "panama " * 142}
    )
    assert isinstance(data["search"], list)


# --- broken JSON, wrong content types, batches ----------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b'{"query": "{ dataVersion }"',
        b'{"query": "{ dataVersion }"} trailing',
        b"{'query': '{ dataVersion }'}",
        b'{"query": "{ dataVersion \xff\xfe }"}',
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
        b"",
        b"\x00\x00\x00",
        b'{"query": "{ dataVersion }", "variables": {"a": ' + b"[" * 5000 + b"}",
    ],
    ids=["truncated", "trailing", "single-quotes", "not-utf8", "boms", "empty", "nuls", "open"],
)
async def test_broken_json(http: httpx.AsyncClient, content: bytes) -> None:
    body = assert_clean(await raw(http, content), 400, "BAD_REQUEST")
    assert body["errors"][0]["message"] == "Unable to parse request body as JSON"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'"{ dataVersion }"', "must be a JSON object"),
        (b"true", "must be a JSON object"),
        (b'{"query": 42}', "`query` must be a string"),
        (b'{"query": ["{ dataVersion }"]}', "`query` must be a string"),
        (b'{"query": "{ dataVersion }", "variables": "{}"}', "`variables` must be an object"),
        (b'{"query": "{ dataVersion }", "variables": [1]}', "`variables` must be an object"),
        (b'{"query": "{ dataVersion }", "extensions": 1}', "`extensions` must be an object"),
        (b'{"query": "{ dataVersion }", "operationName": 5}', "Unknown operation"),
        (b'{"query": null}', "No GraphQL query found"),
        (b"{}", "No GraphQL query found"),
        (b'{"query": ""}', "No GraphQL query found"),
    ],
)
async def test_json_of_the_wrong_shape(
    http: httpx.AsyncClient, content: bytes, message: str
) -> None:
    body = assert_clean(await raw(http, content), 400, "BAD_REQUEST")
    assert message in body["errors"][0]["message"], body


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/graphql",
        "",
        None,
    ],
)
async def test_wrong_content_types(http: httpx.AsyncClient, content_type: str | None) -> None:
    response = await raw(http, b'{"query": "{ dataVersion }"}', content_type)
    body = assert_clean(response, 400, "BAD_REQUEST")
    assert body["errors"][0]["message"] == "Unsupported content type"


async def test_form_and_multipart_bodies(http: httpx.AsyncClient) -> None:
    form = await http.post("/graphql", data={"query": "{ dataVersion }"})
    assert_clean(form, 400, "BAD_REQUEST")
    upload = await http.post(
        "/graphql",
        files={
            "operations": (None, b'{"query": "{ dataVersion }"}'),
            "map": (None, b"{}"),
            "0": ("a.txt", b"x" * 1000),
        },
    )
    assert_clean(upload, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "batch",
    [
        [{"query": "{ dataVersion }"}, {"query": "{ dataVersion }"}],
        [{"query": "{ dataVersion }"}] * 1000,
        [],
        [1, "x", None],
    ],
    ids=["two", "thousand", "empty", "junk"],
)
async def test_batches_are_refused(http: httpx.AsyncClient, batch: list[Any]) -> None:
    # Decision (docs/security.md): no batching. One operation per request keeps every limit
    # (rate, aliases, tokens, timeouts) per operation, and no client of ours batches.
    body = assert_clean(await post(http, batch), 400, "BAD_REQUEST")
    assert "Batched requests" in body["errors"][0]["message"]


# --- GET abuse ------------------------------------------------------------------------------------


async def get(http: httpx.AsyncClient, params: Any) -> httpx.Response:
    async with asyncio.timeout(HANG):
        return await http.get(
            "/graphql", params=params, headers={"accept": "application/graphql-response+json"}
        )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": "{ dataVersion }", "variables": "{bad"}, "Unable to parse"),
        ({"query": "{ dataVersion }", "variables": "[1, 2]"}, "`variables` must be an object"),
        ({"query": "{ dataVersion }", "variables": "[" * 5000}, "Unable to parse"),
        ({"query": "{ dataVersion }", "variables": "[" * 3000 + "]" * 3000}, "Unable to parse"),
        ({"query": "{ dataVersion }", "extensions": "nope"}, "Unable to parse"),
        ({"query": "{ dataVersion }", "operationName": "Nope"}, "Unknown operation"),
        ({"variables": "{}"}, "No GraphQL query found"),
        ({"query": ""}, "No GraphQL query found"),
    ],
)
async def test_bad_get_parameters(
    http: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    body = assert_clean(await get(http, params), 400, "BAD_REQUEST")
    assert message in body["errors"][0]["message"], body


async def test_get_query_string_too_long(store: Store) -> None:
    async with client_for(store, Settings(max_body_bytes=10_000)) as http:
        response = await get(http, {"query": "{ dataVersion }", "x": "y" * 20_000})
        body = assert_clean(response, 414, "PAYLOAD_TOO_LARGE")
        assert "query string is longer than 10000 bytes" in body["errors"][0]["message"]
        assert_clean(await get(http, {"query": "{ dataVersion }", "x": "y" * 9000}), 200)


async def test_get_with_repeated_and_junk_parameters(http: httpx.AsyncClient) -> None:
    params = [("query", "{ dataVersion }")] * 50 + [(f"junk{i}", "x") for i in range(500)]
    body = assert_clean(await get(http, params), 200)
    assert "dataVersion" in body["data"]


async def test_get_mutation_and_subscription(http: httpx.AsyncClient) -> None:
    assert_clean(await get(http, {"query": "mutation { x }"}), 405, "METHOD_NOT_ALLOWED")
    response = await get(http, {"query": "subscription { x }"})
    assert response.status_code in (200, 400, 405), response.text
    assert_clean(response, response.status_code)


# --- injection strings in every argument ----------------------------------------------------------

HOSTILE = [
    '"}) DETACH DELETE n //',
    "' OR 1=1 --",
    "1' OR '1'='1",
    "\u0000",
    "a\u0000b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}${7*7}",
    "${jndi:ldap://x/a}",
    "../../../../etc/passwd",
    "\\",
    "`id`; $(id)",
    "MATCH (n) DETACH DELETE n",
    "CALL dbms.components()",
    "country:us' }) RETURN n //",
    "%00%27%22",
    "\U0001f600" * 10,
    "\n\r\t",
]

#: Every root field with a string, ID or list argument, with that argument as $v.
INJECTABLE = [
    ("node", "query($v: ID!) { node(id: $v) { id } }", False),
    ("entity", "query($v: ID!) { entity(id: $v) { id name } }", False),
    ("event", "query($v: ID!) { event(id: $v) { id } }", False),
    ("timeline.text", "query($v: String) { timeline(text: $v) { totalCount } }", False),
    ("timeline.after", "query($v: String) { timeline(after: $v) { totalCount } }", False),
    ("timeline.involving", "query($v: ID!) { timeline(involving: [$v]) { totalCount } }", False),
    (
        "timeline.categories",
        "query($v: String!) { timeline(categories: [$v]) { totalCount } }",
        False,
    ),
    ("search", "query($v: String!) { search(text: $v) { score node { id } } }", False),
    ("neighbors", "query($v: ID!) { neighbors(id: $v) { nodes { id } } }", True),
    (
        "neighbors.types",
        'query($v: String!) { neighbors(id: "country:us", types: [$v]) { nodes { id } } }',
        False,
    ),
    (
        "shortestPath",
        'query($v: ID!) { shortestPath(from: $v, to: "country:us") { length } }',
        True,
    ),
    (
        "shortestPath.types",
        'query($v: String!) { shortestPath(from: "country:pa", to: "country:us", types: [$v]) '
        "{ length } }",
        False,
    ),
    ("commonEvents", 'query($v: ID!) { commonEvents(ids: [$v, "country:us"]) { id } }', False),
    ("egoNetwork", "query($v: ID!) { egoNetwork(id: $v) { nodes { id } } }", True),
    (
        "officeHolders",
        'query($v: ID!) { officeHolders(asOf: "2022-01-01", organization: $v) { person { id } } }',
        True,
    ),
    ("entityTimeline", "query($v: ID!) { entityTimeline(id: $v) { kind } }", True),
    (
        "entity.relations.types",
        'query($v: String!) { entity(id: "country:us") { relations(types: [$v]) { type } } }',
        False,
    ),
    (
        "entity.events.after",
        'query($v: String) { entity(id: "country:us") { events(after: $v) { totalCount } } }',
        False,
    ),
]


@pytest.mark.parametrize(
    ("field", "query", "lookup"), INJECTABLE, ids=[f for f, _, _ in INJECTABLE]
)
async def test_injection_strings_in_every_argument(
    store: Store, field: str, query: str, lookup: bool
) -> None:
    before = await store.stats()
    allowed = {"BAD_USER_INPUT", "NOT_FOUND"}
    async with client_for(store) as http:
        for value in HOSTILE:
            response = await post(http, {"query": query, "variables": {"v": value}})
            body = assert_clean(response, 200, *allowed, sent=json.dumps(value)[1:-1])
            if lookup:
                # An unknown id where one is required: NOT_FOUND, or BAD_USER_INPUT for ids
                # that cannot be one.
                assert codes_of(body) <= allowed and "errors" in body, (value, body)
    assert await store.stats() == before, "the graph changed"


@pytest.mark.parametrize("value", HOSTILE[:8])
async def test_injection_strings_as_literals(http: httpx.AsyncClient, value: str) -> None:
    literal = json.dumps(value)  # a JSON string is a GraphQL string, escapes included
    response = await post(http, {"query": f"{{ search(text: {literal}) {{ score }} }}"})
    assert_clean(response, 200, "BAD_USER_INPUT", sent=literal[1:-1])


async def test_lone_surrogates(http: httpx.AsyncClient) -> None:
    variables = (
        b'{"query": "query($v: ID!) { node(id: $v) { id } }", "variables": {"v": "\\ud800"}}'
    )
    body = assert_clean(await raw(http, variables), 200, "BAD_USER_INPUT")
    assert "valid Unicode" in body["errors"][0]["message"]
    literal = await post(http, {"query": '{ node(id: "\\ud800") { id } }'})
    assert_clean(literal, 200, "GRAPHQL_PARSE_FAILED")
    # An operation name is quoted back in the refusal: it must still encode.
    name = b'{"query": "{ dataVersion }", "operationName": "\\udfff"}'
    assert_clean(await raw(http, name), 400, "BAD_REQUEST")


async def test_hostile_data_comes_back_as_data(gql: GraphQLClient) -> None:
    # The fixture graph holds a person whose name is an injection string: it is data.
    data = await gql.data('{ entity(id: "person:hostile") { name } }')
    assert "DETACH DELETE" in data["entity"]["name"]


# --- introspection (allowed) ----------------------------------------------------------------------


async def test_introspection_is_allowed(gql: GraphQLClient) -> None:
    # The schema is public (tests/contract/schema.graphql); GraphiQL needs introspection.
    data = await gql.data(get_introspection_query(descriptions=True))
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Query", "Event", "Entity"} <= names
    assert (await gql.data('{ __type(name: "Event") { name } }'))["__type"]["name"] == "Event"


async def test_introspection_cannot_be_made_a_bomb(http: httpx.AsyncClient) -> None:
    inner = "ofType { " * 60 + "name" + " }" * 60
    query = f"{{ __schema {{ types {{ fields {{ type {{ {inner} }} }} }} }} }}"
    body = assert_clean(await post(http, {"query": query}), 200, "GRAPHQL_VALIDATION_FAILED")
    assert body.get("data") is None


# --- timeouts -------------------------------------------------------------------------------------


class SlowStore:
    """A store whose ``search`` takes ``delay`` seconds; everything else is the real store's.

    On the memory backend the delay blocks the thread its sync core runs on (as heavy
    Python would: the memory store must have moved the call off the loop); on Neo4j it
    awaits (as a slow query would).
    """

    def __init__(self, inner: Store, delay: float) -> None:
        self.inner, self.delay = inner, delay
        self.release = threading.Event()
        self.calls = 0
        if isinstance(inner, MemoryStore):  # the same graph, served with a slow core
            self.inner = MemoryStore()
            self.inner.graph = _SlowGraph(inner.graph, self)  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def search(self, *args: Any, **kwargs: Any) -> Any:
        if self.inner.name != "memory":
            self.calls += 1
            await asyncio.sleep(self.delay)
        return await self.inner.search(*args, **kwargs)


class _SlowGraph:
    """A memory store's sync core whose ``search`` blocks for the slow store's delay."""

    def __init__(self, graph: Any, slow: SlowStore) -> None:
        self._graph, self._slow = graph, slow

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self._slow.calls += 1
        self._slow.release.wait(self._slow.delay)  # blocks, as heavy Python would
        return self._graph.search(*args, **kwargs)


@pytest.fixture
async def slow(store: Store) -> AsyncIterator[SlowStore]:
    slow_store = SlowStore(store, delay=10.0)
    yield slow_store
    slow_store.release.set()


async def test_a_slow_store_call_times_out(slow: SlowStore) -> None:
    deadline = 0.5
    async with client_for(slow, Settings(store_timeout=deadline)) as http:
        started = time.perf_counter()
        response = await http.post(
            "/graphql", json={"query": '{ search(text: "panama") { score } }'}
        )
        elapsed = time.perf_counter() - started
    body = assert_clean(response, 200, "TIMEOUT")
    assert deadline <= elapsed < deadline + 1.0, elapsed
    (error,) = body["errors"]
    assert error["message"].startswith("The query took too long; narrow it")
    assert error["path"] == ["search"]
    assert body["data"] is None


async def test_other_requests_are_served_while_one_is_slow(slow: SlowStore) -> None:
    deadline = 1.5
    async with client_for(slow, Settings(store_timeout=deadline)) as http:
        started = time.perf_counter()
        slow_request = asyncio.ensure_future(
            http.post("/graphql", json={"query": '{ search(text: "panama") { score } }'})
        )
        await asyncio.sleep(0.1)
        assert slow.calls == 1 and not slow_request.done()
        quick: list[float] = []
        for query in [
            "{ dataVersion }",
            '{ entity(id: "country:us") { name } }',
            "{ timeline(first: 3) { totalCount } }",
            '{ neighbors(id: "country:us") { nodes { id } } }',
        ]:
            response = await http.post("/graphql", json={"query": query})
            assert "errors" not in response.json(), response.text
            quick.append(time.perf_counter() - started)
        assert not slow_request.done(), "the slow request should still be waiting"
        assert max(quick) < deadline, quick
        response = await slow_request
    assert_clean(response, 200, "TIMEOUT")
    assert time.perf_counter() - started < deadline + 1.0


async def test_one_deadline_covers_all_the_calls_of_an_operation(slow: SlowStore) -> None:
    # Each call alone is within store_timeout; the operation's deadline ends them together.
    request_timeout = 0.5
    settings = Settings(store_timeout=5.0, request_timeout=request_timeout)
    fields = " ".join(f'a{i}: search(text: "panama{i}") {{ score }}' for i in range(5))
    async with client_for(slow, settings) as http:
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": f"{{ {fields} }}"})
        elapsed = time.perf_counter() - started
    body = assert_clean(response, 200, "TIMEOUT")
    assert request_timeout <= elapsed < request_timeout + 1.0, elapsed
    assert body["data"] is None  # search is non-null: the first error nulls the operation
    assert all(e["path"][0].startswith("a") for e in body["errors"]), body


async def test_calls_after_the_deadline_do_not_reach_the_store(store: Store) -> None:
    slow = SlowStore(store, delay=0.3)
    guarded = GuardedStore(slow, timeout=5.0)  # type: ignore[arg-type]
    try:
        with request_deadline(0.4):
            await guarded.search("panama")  # 0.3 s of the 0.4
            with pytest.raises(StoreTimeout, match=r"longer than 0\.4s"):
                await guarded.search("bogota")  # times out after what is left
            with pytest.raises(StoreTimeout):
                await guarded.search("quito")  # nothing left: refused at once
        assert slow.calls == 2
        assert await guarded.search("panama")  # outside the operation: its own deadline only
    finally:
        slow.release.set()


async def test_timeouts_are_logged_not_masked(
    slow: SlowStore, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(slow, Settings(store_timeout=0.2)) as http:
        with caplog.at_level("WARNING", logger="timeline.api"):
            response = await http.post(
                "/graphql", json={"query": '{ search(text: "x") { score } }'}
            )
    assert_clean(response, 200, "TIMEOUT")
    assert "Store timeout at search" in caplog.text and "'search'" in caplog.text


# --- bugs the fuzzer found ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["{ }", "{ dataVersion stats { } }", '{ entity(id: "country:us") { ... on Place { } } }'],
)
async def test_empty_selection_sets(http: httpx.AsyncClient, query: str) -> None:
    # graphql-core parses "{ }"; strawberry's depth limiter then failed with max() of nothing.
    await refused(http, query, "GRAPHQL_PARSE_FAILED", "at least one field")


async def test_first_days_of_the_calendar(store: Store) -> None:
    query = '{ timeline(from: "0001-01-01", to: "2000-01-01") { totalCount } }'
    async with client_for(store) as http:
        body = assert_clean(await post(http, {"query": query}), 200)
    assert body["data"]["timeline"]["totalCount"] == 0


# --- the GraphQL-over-HTTP media type ------------------------------------------------------------


async def test_graphql_response_media_type(http: httpx.AsyncClient) -> None:
    accept = {"accept": "application/graphql-response+json, application/json"}
    ok = await http.post("/graphql", json={"query": "{ dataVersion }"}, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"] == "application/graphql-response+json"
    # A request error (nothing executed): 400, no data.
    for query in ["{ nope }", "{ timeline {", doubling_fragments(40)]:
        bad = await http.post("/graphql", json={"query": query}, headers=accept)
        body = assert_clean(bad, 400, "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED")
        assert "data" not in body
    # A field error is a result: 200, with data.
    field = await http.post(
        "/graphql", json={"query": "{ timeline(first: -1) { totalCount } }"}, headers=accept
    )
    body = assert_clean(field, 200, "BAD_USER_INPUT")
    assert "data" in body and body["errors"][0]["path"] == ["timeline"]
    # application/json clients keep the 200 of old.
    plain = await http.post("/graphql", json={"query": "{ nope }"})
    assert plain.status_code == 200 and plain.headers["content-type"] == "application/json"


async def test_several_operations_need_an_operation_name(http: httpx.AsyncClient) -> None:
    query = "query A { dataVersion } query B { stats { kind } }"
    body = assert_clean(await post(http, {"query": query}), 400, "BAD_REQUEST")
    assert "Must provide operation name" in body["errors"][0]["message"]
    chosen = assert_clean(await post(http, {"query": query, "operationName": "B"}), 200)
    assert set(chosen["data"]) == {"stats"}
