"""Fuzzing the API with queries generated from its own schema (hypothesis-graphql).

Every request, valid or not, must get a JSON answer, never a 500, never an unmasked or
internal error (``INTERNAL_SERVER_ERROR`` would mean a bug: find and fix it), and never
hang: the server's own deadlines (:data:`DEADLINE` here) bound the work a request can
cause, a costly one answers ``TIMEOUT``, and nothing may take :data:`LIMIT` seconds. How
fast answers are is for the benchmarks (docs/benchmarks.md), not for this suite.

A bounded, reproducible run is part of the normal suite (``derandomize``: the same examples
every time). ``make fuzz`` runs a long one::

    TIMELINE_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/security/test_fuzz.py -k memory
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries

from tests.conftest import client_for
from tests.security.conftest import LEAKS
from timeline.api.schema import sdl
from timeline.config import Settings
from timeline.stores.base import Store

#: Examples per test; the long run sets TIMELINE_FUZZ_EXAMPLES.
EXAMPLES = int(os.environ.get("TIMELINE_FUZZ_EXAMPLES", "300"))
#: The store and request deadlines the fuzzed app runs with (seconds).
DEADLINE = 2.0
#: No answer may take this long (seconds): past the deadline, only a hang would.
LIMIT = DEADLINE + 20.0

FUZZ = settings(
    max_examples=EXAMPLES,
    # A backstop: check() holds each request to LIMIT.
    deadline=dt.timedelta(seconds=LIMIT * 2),
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the client is stateless between examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

SCHEMA = sdl()

#: Codes a request may be answered with. INTERNAL_SERVER_ERROR is not among them.
CODES = {
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "BAD_REQUEST",
    "METHOD_NOT_ALLOWED",
    "PAYLOAD_TOO_LARGE",
    "TIMEOUT",  # the server's deadline, met by a costly query
    # Fields that need an API key (the curation and admin fields), asked without one.
    "UNAUTHENTICATED",
    "FORBIDDEN",
}


def date_nodes() -> st.SearchStrategy[graphql.ValueNode]:
    """Date literals: mostly real days, sometimes text that is not one."""
    # From year 1000: a window starting in the first year of the calendar overflows the
    # memory store's date arithmetic (a known bug: test_attacks.test_first_days_of_the_calendar).
    days = st.dates(min_value=dt.date(1000, 1, 1)).map(lambda d: d.isoformat())
    junk = st.sampled_from(["2022-02-30", "2022-13-01", "0000-01-01", "2022", "", "yesterday"])
    return st.one_of(days, days, junk).map(lambda text: graphql.StringValueNode(value=text))


CUSTOM = {"Date": date_nodes()}


async def send(http: httpx.AsyncClient, body: Any, method: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    if method == "POST":
        response = await http.post("/graphql", json=body)
    else:
        response = await http.get("/graphql", params=body, headers={"accept": "application/json"})
    return response, time.perf_counter() - started


async def check(http: httpx.AsyncClient, body: Any, *, method: str = "POST") -> dict[str, Any]:
    """Send one request; assert it was answered properly; return the decoded answer."""
    response, elapsed = await send(http, body, method)
    assert elapsed < LIMIT, f"{elapsed:.2f} s for {str(body)[:300]}"
    assert response.status_code in (200, 400, 405, 413, 414), (response.status_code, response.text)
    try:
        answer = json.loads(response.content)
    except ValueError:
        pytest.fail(f"not JSON ({response.status_code}): {response.text[:300]}")
    assert isinstance(answer, dict) and ("data" in answer or "errors" in answer), answer
    for error in answer.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code in CODES, f"{code}: {error} for {str(body)[:500]}"
        assert error["message"] != "Unexpected error.", error
    assert LEAKS.search(unechoed(answer.get("errors") or [], body)) is None, answer
    return answer


def unechoed(errors: list[Any], body: Any) -> str:
    """The errors as text, without the quoted pieces that merely repeat what was sent.

    A parse error quotes the offending token (``Unexpected Name 'ATimeout'``): a
    name the fuzzer made up is not a leak of the server's internals.
    """
    sent = json.dumps(body)
    text = json.dumps(errors)
    return re.sub(r"'([^']*)'", lambda m: "''" if m.group(1) in sent else m.group(0), text)


@pytest.fixture
async def http(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    """The app with short deadlines: what bounds a fuzzed request's time is the server's."""
    deadlines = Settings(store_timeout=DEADLINE, request_timeout=DEADLINE)
    async with client_for(store, deadlines) as client:
        yield client


# --- valid queries --------------------------------------------------------------------------------


@FUZZ
@given(query=queries(SCHEMA, custom_scalars=CUSTOM))
async def test_valid_queries(http: httpx.AsyncClient, query: str) -> None:
    answer = await check(http, {"query": query})
    for error in answer.get("errors") or []:
        # Valid against the schema: only the service's own limits and lookups may refuse.
        assert error["extensions"]["code"] in {
            "BAD_USER_INPUT",
            "NOT_FOUND",
            "GRAPHQL_VALIDATION_FAILED",  # depth and alias limits
            "TIMEOUT",  # the deadline, on a costly query
            "UNAUTHENTICATED",  # admin fields, asked without a key
            "FORBIDDEN",
        }, (error, query)


@FUZZ
@given(query=queries(SCHEMA, custom_scalars=CUSTOM, allow_null=True))
async def test_valid_queries_over_get(http: httpx.AsyncClient, query: str) -> None:
    await check(http, {"query": query}, method="GET")


# --- invalid queries ------------------------------------------------------------------------------


@FUZZ
@given(query=queries(SCHEMA, custom_scalars=CUSTOM, mode=Mode.NEGATIVE))
async def test_queries_with_a_schema_violation(http: httpx.AsyncClient, query: str) -> None:
    answer = await check(http, {"query": query})
    assert answer.get("errors"), query


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid query, then cut, spliced or sprinkled with junk."""
    query = draw(queries(SCHEMA, custom_scalars=CUSTOM))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(query)))
        how = draw(st.sampled_from(["cut", "delete", "insert", "duplicate", "swap"]))
        if how == "cut":
            query = query[:at]
        elif how == "delete":
            query = query[:at] + query[at + draw(st.integers(1, 20)) :]
        elif how == "insert":
            junk = draw(
                st.one_of(
                    st.text(max_size=10),
                    st.sampled_from(
                        ["{", "}", "(", ")", "...", "@skip(if: true)", "$x", '"', '"""', "#"]
                    ),
                )
            )
            query = query[:at] + junk + query[at:]
        elif how == "duplicate":
            query = query[:at] + query[at : at + 40] + query[at:]
        else:
            other = draw(st.integers(0, len(query)))
            low, high = sorted((at, other))
            query = query[:low] + query[high:] + query[low:high]
    return query


@FUZZ
@given(query=mutated())
async def test_mutated_documents(http: httpx.AsyncClient, query: str) -> None:
    await check(http, {"query": query})


@FUZZ
@given(query=st.text(max_size=300))
async def test_random_text(http: httpx.AsyncClient, query: str) -> None:
    await check(http, {"query": query})


# --- random variables and bodies ------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)

WITH_VARIABLES = [
    "query($a: Date, $b: Date, $t: String, $n: Int, $c: String, $o: Order) "
    "{ timeline(from: $a, to: $b, text: $t, first: $n, after: $c, order: $o) { totalCount } }",
    "query($t: String!, $k: [EntityKind!], $n: Int) { search(text: $t, kinds: $k, first: $n) "
    "{ score node { id } } }",
    "query($id: ID!, $d: Int, $ty: [String!], $n: Int) "
    "{ neighbors(id: $id, depth: $d, types: $ty, first: $n) { nodes { id } } }",
    "query($a: ID!, $b: ID!, $m: Int) { shortestPath(from: $a, to: $b, maxLength: $m) { length } }",
    "query($ids: [ID!]!, $a: Date) { commonEvents(ids: $ids, from: $a) { id } }",
    "query($k: [EntityKind!], $w: Int, $r: Float, $s: Int) "
    "{ communities(kinds: $k, minWeight: $w, resolution: $r, seed: $s) { id size } }",
    "query($m: CentralityMetric!, $n: Int) { centrality(metric: $m, first: $n) { score } }",
    "query($id: ID!, $r: Int) { egoNetwork(id: $id, radius: $r) { nodes { id } } }",
    "query($d: Date!, $o: ID, $u: Boolean) "
    "{ officeHolders(asOf: $d, organization: $o, includeUndated: $u) { person { id } } }",
    "query($id: ID!, $n: Int) { entityTimeline(id: $id, first: $n) { kind } }",
]

NAMES = ["a", "b", "t", "n", "c", "o", "k", "id", "d", "ty", "m", "ids", "w", "r", "s", "u"]
VALUES = st.one_of(
    JSON,
    st.sampled_from(
        [
            "country:us",
            "person:antony-blinken",
            "2022-04-20",
            "ASC",
            "DEGREE",
            "PERSON",
            ["PERSON", "COUNTRY"],
            ["country:us", "country:pa"],
            2**31,
            -1,
            0,
            1e300,
        ]
    ),
)


@FUZZ
@given(
    query=st.sampled_from(WITH_VARIABLES),
    variables=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6),
)
async def test_random_variables(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> None:
    await check(http, {"query": query, "variables": variables})


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions", "x"]), JSON
    )
)
async def test_random_bodies(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    await check(http, body)
