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

:class:`HeldAnswers` is the same lookup for the view to make before strawberry runs at all
(a hit then costs no extension machinery, about half of a hit's time): for a plain request
(a query text, no persisted hash) it applies the same caller-dependent rules the
extensions would (trusted documents, the variables' limits), and the rest a held answer
already passed when it was made (the same text and variables give the same verdict). A
miss leaves the version it read on the request for :class:`ResponseCaching` to reuse, so a
request still reads the data version once.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType, Visitor, visit
from starlette.requests import Request
from starlette.responses import Response
from strawberry import extensions
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from timeline.api.auth import caller_of
from timeline.api.cache import Key, ResponseCache
from timeline.api.encoding import encode_answer
from timeline.api.extensions.limits import LimitChecks, variables_problem
from timeline.api.extensions.memo import TextMemo
from timeline.api.extensions.persisted import privileged
from timeline.api.httpcache import CachePolicy, DataVersions, etag_matches
from timeline.api.persisted import PersistedQueries
from timeline.config import Settings
from timeline.stores.base import Store, StoreError
from timeline.stores.guard import request_deadline

__all__ = [
    "UNCACHED_FIELDS",
    "AnswerCache",
    "HeldAnswers",
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

    async def version(self, store: Store, request: Any = None) -> tuple[str | None, float | None]:
        """The data version a query's answer is for, and None; or, when the store cannot
        be reached, the last version it gave (within ``cache_stale_if_error``) and how
        many seconds ago; or (None, None): the query then runs and meets the store's
        error itself, with its code. Read once per request: a ``request`` that has read it
        (:class:`HeldAnswers`) keeps it in its state."""
        state = getattr(request, "state", None)
        read = getattr(state, "timeline_version", None)
        if read is not None:
            return read  # type: ignore[no-any-return]
        read = await self._read_version(store)
        if state is not None:
            state.timeline_version = read
        return read

    def etag(
        self, version: str, query: str, operation: str | None, variables: Mapping[str, Any] | None
    ) -> str:
        return self.policy.graphql_etag(version, query, operation, variables)

    async def _read_version(self, store: Store) -> tuple[str | None, float | None]:
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
            version, stale = await shared.version(context.context.store, request)
            if version is not None:
                await self._answer(version, stale, query)
        yield

    async def _answer(self, version: str, stale: float | None, query: str) -> None:
        """Answer from the cache, or with nothing (a 304), when that is the answer."""
        context, shared = self.execution_context, self.shared
        request = context.context.request
        operation, variables = _operation_name(context), context.variables
        etag = shared.etag(version, query, operation, variables)
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


def _operation_name(context: Any) -> str | None:
    """The operation name an answer is held under: as the request sent it (None for a
    document of one operation sent without one), when :class:`HeldAnswers` read the
    request, so that it finds the answer again; else strawberry's (it names a document's
    only operation even when none was sent)."""
    sent = getattr(context.context.request.state, "timeline_sent", None)
    return sent.operation if sent is not None else context.operation_name  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Sent:
    """A plain request's operation, as sent: a query text, its operation name, variables."""

    query: str
    operation: str | None
    variables: dict[str, Any] | None


async def plain_operation(request: Request) -> Sent | None:
    """The operation of a GET or a JSON POST that sends its query text and nothing else
    strawberry would have to interpret (no persisted hash, no batch, no upload); None for
    anything else, which takes the whole path (and meets its errors there)."""
    if request.method == "GET":
        params = request.query_params
        if "extensions" in params:
            return None
        raw = params.get("variables")
        try:
            variables = json.loads(raw) if raw else None
        except (ValueError, RecursionError):
            return None
        fields: Any = {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": variables,
        }
    elif request.method == "POST" and request.headers.get("content-type", "").startswith(
        "application/json"
    ):
        try:
            fields = json.loads(await request.body())
        except (ValueError, RecursionError):
            return None
        if not isinstance(fields, dict) or fields.get("extensions") is not None:
            return None
    else:
        return None
    query, operation, variables = (
        fields.get("query"),
        fields.get("operationName"),
        fields.get("variables"),
    )
    if (
        not isinstance(query, str)
        or not isinstance(operation, (str, type(None)))
        or not isinstance(variables, (dict, type(None)))
    ):
        return None
    return Sent(query, operation, variables)


class HeldAnswers:
    """Answers a held query in the view, before strawberry parses or runs anything."""

    def __init__(
        self, shared: AnswerCache, persisted: PersistedQueries, checks: LimitChecks
    ) -> None:
        self.shared = shared
        self.persisted = persisted
        self.checks = checks

    async def answer(self, request: Request, store: Store) -> Response | None:
        """The held answer's response (the view adds the HTTP caching headers from the
        request's state), or None: the request then takes the whole path."""
        shared = self.shared
        if not shared.cache.enabled:
            return None
        sent = await plain_operation(request)
        # Only a text seen before, and found cacheable, can have an answer held: anything
        # else (a new text, a mutation) reads no version here.
        if sent is None or not shared.cacheable.known(sent.query):
            return None
        if not self._allowed(request, sent):
            return None
        request.state.timeline_sent = sent  # keys the answer if this is a miss
        with request_deadline(shared.settings.request_timeout):
            version, stale = await shared.version(store, request)
        if version is None:
            return None
        answer = shared.cache.get(
            shared.cache.key(version, sent.query, sent.operation, sent.variables)
        )
        if answer is None:
            return None
        request.state.timeline_etag = shared.etag(
            version, sent.query, sent.operation, sent.variables
        )
        if stale is not None:
            request.state.timeline_stale = stale
        body = encode_answer({"data": answer})  # as the view encodes an executed answer
        return Response(body, media_type="application/json")

    def _allowed(self, request: Request, sent: Sent) -> bool:
        """Whether the extensions would let this caller send it (what depends on who asks;
        the rest a held answer has passed already)."""
        caller = caller_of(request)
        if self.persisted.resolve(sent.query, None, privileged(caller)) != sent.query:
            return False
        return variables_problem(sent.variables, self.checks.limits_for(caller)) is None


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
