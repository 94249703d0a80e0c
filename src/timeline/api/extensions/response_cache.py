"""The response cache and HTTP caching of GraphQL queries, as a schema extension.

:class:`ResponseCaching` answers a query from :class:`timeline.api.cache.ResponseCache`
when it holds the answer for the current data version, and keeps complete answers there;
it gives a GET query's answer its ``ETag`` (``timeline.api.httpcache``), answers an
``If-None-Match`` that names it without executing anything (the view then sends ``304``),
and, while the store cannot be reached, serves what it holds for the last version it saw,
marked stale.

It looks up before validation (on ``on_validate``): a held answer was validated when it was
made, so a hit skips validation (strawberry skips it when an extension has set
``pre_execution_errors``; :class:`ValidationCache` does too) and execution (strawberry
skips it when an extension has set ``execution_context.result``). What must hold for every
request (persisted documents, document limits) has run by then.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType, Visitor, visit
from strawberry import extensions
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from timeline.api.cache import Key, ResponseCache
from timeline.api.extensions.memo import TextMemo
from timeline.api.httpcache import CachePolicy, DataVersions, etag_matches
from timeline.config import Settings
from timeline.stores.base import Store, StoreError
from timeline.stores.guard import request_deadline

__all__ = [
    "UNCACHED_FIELDS",
    "AnswerCache",
    "RequestDeadline",
    "ResponseCaching",
    "ValidationCache",
    "cacheable",
]

#: Fields whose answers the response cache must not keep: they are for ``write``/``admin``
#: callers only (the cache serves every caller) or change without the data version
#: (review statuses of proposals).
UNCACHED_FIELDS = frozenset({"proposals", "proposalSet", "auditLog"})


def cacheable(document: DocumentNode) -> bool:
    """Whether answers to this document may be held: it defines only queries, and asks for
    nothing in :data:`UNCACHED_FIELDS`."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations or any(d.operation is not OperationType.QUERY for d in operations):
        return False
    found = False

    class _Visitor(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            nonlocal found
            if node.name.value in UNCACHED_FIELDS:
                found = True

    visit(document, _Visitor())
    return not found


class AnswerCache:
    """What every operation's :class:`ResponseCaching` shares: the held answers, the HTTP
    caching policy, the last data version seen, and which query texts may be cached."""

    def __init__(
        self,
        settings: Settings,
        cache: ResponseCache,
        policy: CachePolicy,
        versions: DataVersions,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.policy = policy
        self.versions = versions
        self.cacheable: TextMemo[bool] = TextMemo()

    async def version(self, store: Store) -> tuple[str | None, float | None]:
        """The data version a query's answer is for, and None; or, when the store cannot
        be reached, the last version it gave (within ``cache_stale_if_error``) and how
        many seconds ago; or (None, None): the query then runs and meets the store's
        error itself, with its code."""
        try:
            version = await store.data_version()
        except StoreError:
            last = self.versions.usable(self.settings.cache_stale_if_error)
            if last is None:
                return None, None
            return last, self.versions.age()
        self.versions.seen(version)
        return version, None


@dataclass
class _Plan:
    key: Key | None = None
    etag: str | None = None


class ResponseCaching(SchemaExtension):
    """Answers held queries, keeps complete answers, and marks GET answers for HTTP caching
    (``request.state``: ``timeline_etag``, ``timeline_stale``; the view writes the headers).
    """

    def __init__(self, shared: AnswerCache) -> None:
        self.shared = shared
        self.plan: _Plan | None = None

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        request = context.context.request
        shared = self.shared
        if (
            isinstance(query, str)
            and document is not None
            and (shared.cache.enabled or request.method == "GET")
            and shared.cacheable.get(query, lambda: cacheable(document))
        ):
            version, stale = await shared.version(context.context.store)
            if version is not None:
                await self._answer(version, stale, query)
        yield

    async def _answer(self, version: str, stale: float | None, query: str) -> None:
        """Answer from the cache, or with nothing (a 304), when that is the answer."""
        context, shared = self.execution_context, self.shared
        request = context.context.request
        operation, variables = context.operation_name, context.variables
        etag = shared.policy.graphql_etag(version, query, operation, variables)
        key = None
        if shared.cache.enabled:
            key = shared.cache.key(version, query, operation, variables)
            answer = shared.cache.get(key)
            if answer is not None:
                if stale is not None:
                    request.state.timeline_stale = stale
                request.state.timeline_etag = etag
                self._skip(ExecutionResult(data=answer, errors=None))
                return
        if stale is not None:  # not held: run it, and meet the store's error
            self.plan = _Plan(key, None)
            return
        if request.method == "GET" and etag_matches(request, etag):
            request.state.timeline_etag = etag  # answered 304 by the view
            self._skip(ExecutionResult(data=None, errors=None))
            return
        self.plan = _Plan(key, etag)

    def _skip(self, result: ExecutionResult) -> None:
        context = self.execution_context
        context.pre_execution_errors = []  # validated when the answer was made
        context.result = result

    def on_execute(self) -> Iterator[None]:
        yield
        plan, result = self.plan, self.execution_context.result
        if plan is None or result is None or result.errors:
            return
        if plan.key is not None:
            self.shared.cache.put(plan.key, result.data)
        if plan.etag is not None:
            self.execution_context.context.request.state.timeline_etag = plan.etag


class RequestDeadline(SchemaExtension):
    """All the store calls of one operation share ``request_timeout``
    (:func:`timeline.stores.guard.request_deadline`)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def on_operation(self) -> Iterator[None]:
        with request_deadline(self.seconds):
            yield


class ValidationCache(extensions.ValidationCache):
    """strawberry's ValidationCache, leaving alone an operation an extension has validated
    already (``pre_execution_errors`` set), as strawberry's own validation step does:
    strawberry's would validate again (hashing the whole syntax tree to find its entry)."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is not None:
            yield
            return
        yield from super().on_validate()
