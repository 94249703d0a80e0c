"""PersistedDocuments: the document a persisted query's hash names, before parsing."""

from __future__ import annotations

import functools

import strawberry

from tests.api.extensions.conftest import Ctx, code, request, schema
from timeline.api.auth import Caller
from timeline.api.extensions.persisted import PersistedDocuments
from timeline.api.persisted import PersistedQueries, sha256

QUERY = "{ hello }"
APQ = {"persistedQuery": {"version": 1, "sha256Hash": sha256(QUERY)}}


def persisted(queries: PersistedQueries) -> strawberry.Schema:
    return schema([functools.partial(PersistedDocuments, queries)])


async def test_a_hash_runs_its_document_once_registered() -> None:
    served = persisted(PersistedQueries(size=8))
    unknown = await served.execute(
        None, operation_extensions=APQ, context_value=Ctx(None, request())
    )
    assert unknown.errors is not None and code(unknown.errors[0]) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await served.execute(
        QUERY, operation_extensions=APQ, context_value=Ctx(None, request())
    )
    assert registered.data == {"hello": "hello world"}
    by_hash = await served.execute(
        None, operation_extensions=APQ, context_value=Ctx(None, request())
    )
    assert by_hash.errors is None and by_hash.data == {"hello": "hello world"}


async def test_a_document_that_is_not_its_hash_is_refused() -> None:
    served = persisted(PersistedQueries(size=8))
    result = await served.execute(
        "{ proposals }", operation_extensions=APQ, context_value=Ctx(None, request())
    )
    assert result.errors is not None and code(result.errors[0]) == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_trusted_documents_only_but_for_writers() -> None:
    served = persisted(PersistedQueries(size=8, trusted={sha256(QUERY): QUERY}))
    other = "{ proposals }"
    refused = await served.execute(other, context_value=Ctx(None, request()))
    assert refused.errors is not None and code(refused.errors[0]) == "QUERY_NOT_IN_SAFELIST"
    trusted = await served.execute(
        None, operation_extensions=APQ, context_value=Ctx(None, request())
    )
    assert trusted.data == {"hello": "hello world"}
    writer = Caller("alice", frozenset({"read", "write"}), presented=True)
    allowed = await served.execute(other, context_value=Ctx(None, request(), caller=writer))
    assert allowed.errors is None and allowed.data == {"proposals": 1}
