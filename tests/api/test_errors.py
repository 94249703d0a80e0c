"""Bad requests get an actionable message and a code; unexpected errors are masked and logged."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tests.conftest import GraphQLClient, client_for
from timeline.config import Settings
from timeline.stores.base import Store, StoreUnavailable

ANCHORS_IN_SERIES = [
    "event:bogota-ministerial-2021",
    "event:panama-ministerial-2022",
    "event:summit-of-the-americas-2022",
    "event:washington-trilateral-2024",
    "event:guatemala-ministerial-2024",
]
CURSOR_HINT = "use a cursor from a previous page"


def assert_error(error: dict[str, Any], code: str, *fragments: str) -> None:
    assert error["extensions"]["code"] == code, error
    for fragment in fragments:
        assert fragment in error["message"], error
    assert "Traceback" not in str(error)


# --- BAD_USER_INPUT ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '{ timeline(from: "2022-13-01") { totalCount } }',
        '{ timeline(to: "yesterday") { totalCount } }',
        '{ commonEvents(ids: ["country:us"], from: "2022-04") { id } }',
        '{ entity(id: "country:us") { events(from: "2022-02-30") { totalCount } } }',
    ],
)
async def test_bad_date_literal(gql: GraphQLClient, query: str) -> None:
    error = await gql.error(query)
    assert_error(error, "BAD_USER_INPUT", "Date", "not a calendar day (YYYY-MM-DD)")


async def test_bad_date_variable(gql: GraphQLClient) -> None:
    answer = await gql.post(
        "query($from: Date) { timeline(from: $from) { totalCount } }", {"from": "2022-02-30"}
    )
    assert answer["data"] is None
    (error,) = answer["errors"]
    assert_error(error, "BAD_USER_INPUT", "$from", "2022-02-30", "YYYY-MM-DD")
    error = await gql.error(
        "query($from: Date) { timeline(from: $from) { totalCount } }", {"from": 20220101}
    )
    assert_error(error, "BAD_USER_INPUT", "$from")


async def test_window_ending_before_it_starts(gql: GraphQLClient) -> None:
    error = await gql.error('{ timeline(from: "2022-06-01", to: "2022-01-01") { totalCount } }')
    assert_error(error, "BAD_USER_INPUT", "'to' (2022-01-01) is before 'from' (2022-06-01)")
    assert error["path"] == ["timeline"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",  # an empty cursor is the first page, not an error (checked below)
        "djJ8MjAyMS0xMC0wMXwyMDIxLTEwLTMxfGV2ZW50OmJvZ290YS1taW5pc3RlcmlhbC0yMDIx",  # v2
        "djF8bm90LWEtZGF5fDIwMjEtMTAtMzF8ZXZlbnQ6eA",  # v1|not-a-day|2021-10-31|event:x
        "@@@@",
    ],
)
async def test_bad_cursor(gql: GraphQLClient, cursor: str) -> None:
    query = "query($after: String) { timeline(first: 2, after: $after) { totalCount } }"
    if cursor == "":
        assert (await gql.data(query, {"after": cursor}))["timeline"]["totalCount"] == 33
        return
    error = await gql.error(query, {"after": cursor})
    assert_error(error, "BAD_USER_INPUT", "invalid cursor", CURSOR_HINT)
    entity_error = await gql.error(
        'query($after: String) { entity(id: "country:mx") { events(after: $after) '
        "{ totalCount } } }",
        {"after": cursor},
    )
    assert_error(entity_error, "BAD_USER_INPUT", CURSOR_HINT)
    assert entity_error["path"] == ["entity", "events"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ timeline(first: 101) { totalCount } }", "first must be between 0 and 100, got 101"),
        ("{ timeline(first: -1) { totalCount } }", "first must be between 0 and 100, got -1"),
        ('{ search(text: "a", first: 101) { score } }', "first must be between 0 and 100"),
        ("{ centrality(metric: DEGREE, first: 1000) { score } }", "between 0 and 100"),
        (
            '{ entity(id: "country:us") { relations(first: 101) { type } } }',
            "first must be between 0 and 100",
        ),
        (
            '{ entity(id: "country:us") { events(first: 500) { totalCount } } }',
            "first must be between 0 and 100",
        ),
        (
            '{ neighbors(id: "country:us", first: 1001) { nodes { id } } }',
            "first must be between 0 and 1000",
        ),
        (
            '{ neighbors(id: "country:us", depth: 4) { nodes { id } } }',
            "depth must be between 1 and 3",
        ),
        (
            '{ neighbors(id: "country:us", depth: 0) { nodes { id } } }',
            "depth must be between 1 and 3",
        ),
        (
            '{ shortestPath(from: "country:us", to: "country:pa", maxLength: 11) { length } }',
            "maxLength must be between 0 and 10, got 11",
        ),
        ('{ search(text: "   ") { score } }', "text must not be empty"),
        ("{ coParticipation(minWeight: 0) { nodes { id } } }", "minWeight must be at least 1"),
    ],
)
async def test_limits(gql: GraphQLClient, query: str, message: str) -> None:
    assert_error(await gql.error(query), "BAD_USER_INPUT", message)


async def test_too_many_ids(gql: GraphQLClient) -> None:
    many = [f"person:p{i}" for i in range(51)]
    error = await gql.error("query($ids: [ID!]!) { commonEvents(ids: $ids) { id } }", {"ids": many})
    assert_error(error, "BAD_USER_INPUT", "ids may list at most 50 values, got 51")
    error = await gql.error(
        "query($ids: [ID!]) { timeline(involving: $ids) { totalCount } }", {"ids": many}
    )
    assert_error(error, "BAD_USER_INPUT", "involving may list at most 50 values")


async def test_limits_follow_settings(store: Store) -> None:
    settings = Settings(max_page=5, max_depth=1, max_path_length=2, max_ids=2)
    async with client_for(store, settings) as http:
        gql = GraphQLClient(http)
        assert_error(
            await gql.error("{ timeline(first: 6) { totalCount } }"),
            "BAD_USER_INPUT",
            "between 0 and 5",
        )
        assert (
            len(
                (await gql.data("{ timeline(first: 5) { edges { cursor } } }"))["timeline"]["edges"]
            )
            == 5
        )
        assert_error(
            await gql.error('{ neighbors(id: "country:us", depth: 2) { nodes { id } } }'),
            "BAD_USER_INPUT",
            "depth must be between 1 and 1",
        )
        assert_error(
            await gql.error('{ shortestPath(from: "country:us", to: "country:pa") { length } }'),
            "BAD_USER_INPUT",
            "maxLength must be between 0 and 2, got 6",
        )
        assert_error(
            await gql.error('{ commonEvents(ids: ["a:b", "c:d", "e:f"]) { id } }'),
            "BAD_USER_INPUT",
            "at most 2",
        )


# --- NOT_FOUND -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '{ neighbors(id: "person:nobody") { nodes { id } } }',
        '{ shortestPath(from: "person:erika-mouynes", to: "person:nobody") { length } }',
        '{ shortestPath(from: "person:nobody", to: "person:erika-mouynes") { length } }',
    ],
)
async def test_unknown_id_in_traversal(gql: GraphQLClient, query: str) -> None:
    answer = await gql.post(query)
    assert answer["data"] in (None, {"shortestPath": None})
    (error,) = answer["errors"]
    assert_error(error, "NOT_FOUND", "'person:nobody'")


async def test_unknown_id_in_lookups_is_null_not_an_error(gql: GraphQLClient) -> None:
    answer = await gql.post(
        '{ node(id: "x:y") { id } entity(id: "person:nobody") { id } event(id: "e:f") { id } }'
    )
    assert answer == {"data": {"node": None, "entity": None, "event": None}}


# --- validation and parsing --------------------------------------------------------------------


async def test_unknown_enum_value(gql: GraphQLClient) -> None:
    error = await gql.error("{ timeline(order: SIDEWAYS) { totalCount } }")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "SIDEWAYS", "Order")
    error = await gql.error("{ centrality(metric: FAME) { score } }")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "FAME")


async def test_unknown_enum_value_in_a_variable(gql: GraphQLClient) -> None:
    error = await gql.error(
        'query($k: [EntityKind!]) { search(text: "x", kinds: $k) { score } }', {"k": ["DOCUMENT"]}
    )
    assert_error(error, "BAD_USER_INPUT", "$k", "DOCUMENT")


async def test_unknown_field_and_argument(gql: GraphQLClient) -> None:
    error = await gql.error("{ timeline { nope } }")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "Cannot query field 'nope'")
    error = await gql.error("{ timeline(sortBy: NAME) { totalCount } }")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "sortBy")
    error = await gql.error("{ search { score } }")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "text")


async def test_syntax_error(gql: GraphQLClient) -> None:
    answer = await gql.post("{ timeline { ")
    assert answer["data"] is None
    (error,) = answer["errors"]
    assert_error(error, "GRAPHQL_PARSE_FAILED", "Syntax Error")


def nested_next(levels: int) -> str:
    return '{ event(id: "event:bogota-ministerial-2021") { %s } }' % (
        "".join("id next { " for _ in range(levels)) + "id" + " }" * levels
    )


async def test_query_too_deep(gql: GraphQLClient) -> None:
    # `event` is depth 0, each `next` one level more and the innermost `id` one more again:
    # 12 levels of `next` put that `id` at depth 13, over max_query_depth (12).
    answer = await gql.post(nested_next(12))
    assert answer["data"] is None and answer["errors"]
    for error in answer["errors"]:
        assert_error(error, "GRAPHQL_VALIDATION_FAILED", "exceeds maximum operation depth of 12")
    data = await gql.data(nested_next(11))
    event = data["event"]
    for expected in ANCHORS_IN_SERIES:
        assert event["id"] == expected
        event = event["next"]
    assert event is None


async def test_too_many_aliases(gql: GraphQLClient) -> None:
    aliases = " ".join(f"a{i}: dataVersion" for i in range(31))
    error = await gql.error(f"{{ {aliases} }}")
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "aliases")
    fine = " ".join(f"a{i}: dataVersion" for i in range(30))
    assert len(await gql.data(f"{{ {fine} }}")) == 30


async def test_too_many_tokens(gql: GraphQLClient) -> None:
    fields = " ".join("dataVersion" for _ in range(2100))
    error = await gql.error(f"{{ {fields} }}")
    assert_error(error, "GRAPHQL_PARSE_FAILED", "more than 2000 tokens")


# --- HTTP-level refusals -----------------------------------------------------------------------


async def test_malformed_json_body(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        content=b'{"query": "{ dataVersion }"',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Unable to parse request body as JSON",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


@pytest.mark.parametrize("body", [b'"a string"', b"42", b"null"])
async def test_json_body_that_is_not_an_object(http: httpx.AsyncClient, body: bytes) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "must be a JSON object" in error["message"]


async def test_missing_query(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "No GraphQL query found in the request"


async def test_mutation_over_get_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "mutation { anything }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {
        "errors": [
            {
                "message": "mutations are not allowed when using GET",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }


async def test_mutation_over_post_fails_validation(gql: GraphQLClient) -> None:
    error = await gql.error("mutation { anything }")  # an unknown mutation (curation's exist)
    assert_error(error, "GRAPHQL_VALIDATION_FAILED", "anything", "Mutation")


async def test_other_methods_are_refused(http: httpx.AsyncClient) -> None:
    response = await http.put("/graphql", json={"query": "{ dataVersion }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


# --- masking -----------------------------------------------------------------------------------


class FailingStore:
    """A store whose chosen methods raise; everything else is the real store's."""

    def __init__(self, inner: Store, error: Exception, methods: set[str]) -> None:
        self.inner, self.error, self.methods = inner, error, methods

    async def data_version(self) -> str:
        # Its own version: analytics cached for the healthy store must not answer for it.
        return f"{await self.inner.data_version()}+failing-{id(self)}"

    def __getattr__(self, name: str) -> Any:
        if name in self.methods:

            async def fail(*args: object, **kwargs: object) -> None:
                raise self.error

            return fail
        return getattr(self.inner, name)


SECRET = "password=hunter2 at /srv/secret/path.py"


@pytest.mark.parametrize(
    ("method", "query", "path"),
    [
        ("timeline", "{ timeline { totalCount } }", ["timeline"]),
        ("get_nodes", '{ entity(id: "country:us") { id } }', ["entity"]),
        (
            "relations",
            '{ event(id: "event:panama-press-2022") { id participants { role } } }',
            ["event", "participants"],
        ),
        ("edge_list", "{ centrality(metric: BETWEENNESS) { score } }", ["centrality"]),
    ],
)
async def test_unexpected_errors_are_masked_and_logged(
    store: Store,
    caplog: pytest.LogCaptureFixture,
    method: str,
    query: str,
    path: list[object],
) -> None:
    broken = FailingStore(store, RuntimeError(SECRET), {method})
    async with client_for(broken) as http:
        with caplog.at_level(logging.ERROR, logger="timeline.api"):
            response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert SECRET not in response.text and "Traceback" not in response.text
    errors = response.json()["errors"]
    assert [e["message"] for e in errors] == ["Unexpected error."]
    assert errors[0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert errors[0]["path"] == path
    logged = [r for r in caplog.records if r.name == "timeline.api" and r.levelno == logging.ERROR]
    assert len(logged) == 1
    assert logged[0].exc_info is not None and logged[0].exc_info[1] is broken.error
    assert SECRET in caplog.text and "Traceback" in caplog.text


async def test_store_unavailable(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    broken = FailingStore(
        store, StoreUnavailable("bolt://db:7687 refused"), {"timeline", "get_nodes"}
    )
    async with client_for(broken) as http:
        with caplog.at_level(logging.WARNING, logger="timeline.api"):
            response = await http.post(
                "/graphql",
                json={"query": '{ timeline { totalCount } node(id: "country:us") { id } }'},
            )
    body = response.json()
    assert body["data"] == {"timeline": None, "node": None} or body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAVAILABLE"}
    assert all("try again later" in e["message"] for e in body["errors"])
    assert "bolt://" not in response.text
    assert "bolt://db:7687 refused" in caplog.text
