"""Guards against hostile input, before any GraphQL work is done.

:class:`RequestGuard` is pure ASGI middleware for every HTTP request:

- **rate limiting**: a token bucket per client address (``rate_limit`` requests per second,
  ``rate_burst`` at once); over it, ``429`` with ``Retry-After`` and the code
  ``RATE_LIMITED``. Loopback clients are exempt unless ``rate_limit_loopback``; the client's
  address is the connection's, or the nearest untrusted one in ``X-Forwarded-For`` when the
  connection comes from one of ``trusted_proxies``. ``/healthz`` and ``/readyz`` are never
  limited.
- **body size**: over ``max_body_bytes``, ``413`` with the code ``PAYLOAD_TOO_LARGE``, as soon
  as ``Content-Length`` says so or, while the body streams in, as soon as one byte too many
  has arrived (nothing buffers the whole body first). A query string over the same size is
  ``414``, same code.

:func:`document_problem` and :func:`variables_problem` check a parsed GraphQL request for
what the schema's own limits cannot see cheaply (the view in :mod:`timeline.api.app` calls
them before execution):

- ``max_selections``: fields selected once fragments are expanded. Fragments spread twice
  in each of N nested fragments select 2^N fields; strawberry's depth and alias limiters walk
  that expansion, exponentially. Counted here in time linear in the document.
- :data:`MAX_NESTING`: selection sets, inline fragments and fragment spreads nested, once
  fragments are expanded; deeper nesting would exhaust Python's stack in the limiters.
- ``max_string_length``: the longest string value, in the query text or in the variables
  (a 100 kB search text costs seconds of fuzzy matching); and strings in variables must be
  valid Unicode (JSON can carry lone surrogates, which no UTF-8 encoder takes).
- fragment spreads must name a fragment of the document, and selection sets must not be
  empty (``{ }``): strawberry's depth limiter fails on either (``KeyError``, ``max()`` of
  nothing), which would surface as an internal error.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from timeline.config import Settings

__all__ = [
    "MAX_NESTING",
    "PAYLOAD_TOO_LARGE",
    "RATE_LIMITED",
    "UNLIMITED_PATHS",
    "Problem",
    "RateLimiter",
    "RequestGuard",
    "client_address",
    "document_problem",
    "variables_problem",
]

logger = logging.getLogger("timeline.api")

RATE_LIMITED = "RATE_LIMITED"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"

#: Paths no rate limit applies to: the probes of orchestrators and load balancers.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})

#: Most selection sets, inline fragments and fragment spreads nested in one query, with its
#: fragments expanded. The served schema's deepest honest query (the introspection query)
#: nests about 20.
MAX_NESTING = 64

#: Most clients whose buckets are remembered; the least recently seen are forgotten first.
MAX_CLIENTS = 10_000


# --- rate limiting -------------------------------------------------------------------------------


class RateLimiter:
    """Token buckets, one per client: ``rate`` tokens a second, at most ``burst`` saved up.

    >>> now = [0.0]
    >>> limiter = RateLimiter(rate=1, burst=2, clock=lambda: now[0])
    >>> [limiter.take("a"), limiter.take("a"), limiter.take("a")]
    [0.0, 0.0, 1.0]
    >>> now[0] = 1.0
    >>> limiter.take("a")
    0.0
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate, self.burst, self.clock, self.max_clients = rate, float(burst), clock, max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """Spend one token of ``client``'s: 0.0 if there was one, else the seconds to wait."""
        now = self.clock()
        tokens, last = self._buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[client] = (tokens, now)  # most recently seen last
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(scope: Scope, trusted: Iterable[Network] = ()) -> str:
    """Who sent the request: the peer's address or, when the peer is a trusted proxy, the
    nearest address in ``X-Forwarded-For`` (read right to left) that is not a trusted proxy.
    """
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    networks = tuple(trusted)
    if not networks:
        return peer

    def is_trusted(address: Address | None) -> bool:
        return address is not None and any(address in network for network in networks)

    if not is_trusted(_address(peer)):
        return peer
    hops = [
        hop
        for name, value in scope.get("headers", ())
        if name == b"x-forwarded-for"
        for hop in value.decode("latin-1").split(",")
    ]
    chosen = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage: believe nothing further left
        chosen = str(address)
        if not is_trusted(address):
            break
    return chosen


def _is_loopback(client: str) -> bool:
    address = _address(client)
    return address is not None and address.is_loopback


# --- the middleware ------------------------------------------------------------------------------


class _BodyTooLarge(Exception):
    """Raised into the application when the body grows past the limit."""


def _error_body(message: str, code: str) -> bytes:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return json.dumps(body, separators=(",", ":")).encode()


async def _refuse(
    send: Send, status: int, message: str, code: str, headers: Iterable[tuple[str, str]] = ()
) -> None:
    body = _error_body(message, code)
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.encode(), value.encode()) for name, value in headers),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Rate limit and body-size limit, as pure ASGI middleware (see the module's doc)."""

    def __init__(
        self, app: ASGIApp, settings: Settings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.limit_loopback = settings.rate_limit_loopback
        self.trusted = tuple(
            ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies
        )
        self.limiter = (
            RateLimiter(settings.rate_limit, settings.rate_burst, clock=clock)
            if settings.rate_limit > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.limiter is not None and scope.get("path") not in UNLIMITED_PATHS:
            client = client_address(scope, self.trusted)
            if self.limit_loopback or not _is_loopback(client):
                wait = self.limiter.take(client)
                if wait > 0:
                    retry = max(1, math.ceil(wait))
                    logger.info("rate limited %s on %s", client, scope.get("path"))
                    await _refuse(
                        send,
                        429,
                        f"Too many requests; please retry after {retry} s.",
                        RATE_LIMITED,
                        [("retry-after", str(retry))],
                    )
                    return
        if len(scope.get("query_string", b"")) > self.max_body:
            await _refuse(
                send,
                414,
                f"The query string is longer than {self.max_body} bytes; send the query "
                "with POST, and a shorter one.",
                PAYLOAD_TOO_LARGE,
            )
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._too_large(send)
            return
        await self._bounded(scope, receive, send)

    async def _too_large(self, send: Send) -> None:
        await _refuse(
            send,
            413,
            f"The request body is larger than {self.max_body} bytes.",
            PAYLOAD_TOO_LARGE,
            [("connection", "close")],
        )

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, counting the body as it streams in; refuse it once it is too big."""
        state = _Stream()

        async def counted_receive() -> Message:
            if state.exceeded:
                raise _BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                state.received += len(message.get("body", b""))
                if state.received > self.max_body:
                    state.exceeded = True
                    raise _BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            if state.exceeded:
                # The app caught our exception and answered anyway: answer 413 instead.
                if not state.started:
                    state.started = True
                    await self._too_large(send)
                return
            if message["type"] == "http.response.start":
                state.started = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counted_receive, tracked_send)
        if state.exceeded:
            if state.started:
                return
            await self._too_large(send)


@dataclass
class _Stream:
    received: int = 0
    exceeded: bool = False
    started: bool = False


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# --- what a GraphQL document may ask for ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a request is refused before execution: a message and its ``extensions.code``."""

    message: str
    code: str


def _children(node: Node) -> Iterator[Node]:
    for key in node.keys:
        value = getattr(node, key, None)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, Node))


@dataclass
class _Shape:
    """A selection set's own size and nesting, and the fragments it spreads (and where)."""

    fields: int = 0
    nesting: int = 0
    #: (fragment name, nesting at which it is spread) for every spread, repeats included.
    spreads: list[tuple[str, int]] | None = None


def _shape(selection_set: SelectionSetNode) -> _Shape:
    shape = _Shape(spreads=[])
    stack: list[tuple[SelectionSetNode, int]] = [(selection_set, 1)]
    while stack:
        current, level = stack.pop()
        shape.nesting = max(shape.nesting, level)
        for selection in current.selections:
            if isinstance(selection, FieldNode):
                shape.fields += 1
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, FragmentSpreadNode):
                assert shape.spreads is not None
                shape.spreads.append((selection.name.value, level + 1))
    return shape


def _expanded(document: DocumentNode) -> tuple[int, int]:
    """(fields selected, deepest nesting) of every operation, fragments expanded.

    Linear in the document: each fragment is measured once (bottom-up, in an order found
    without recursion). Cyclic and unknown fragments count as empty; validation reports them.
    """
    fragments = {
        d.name.value: _shape(d.selection_set)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, tuple[int, int]] = {}
    state: dict[str, int] = {}  # 1: being measured, 2: done

    def measure(shape: _Shape) -> tuple[int, int]:
        fields, nesting = shape.fields, shape.nesting
        for name, level in shape.spreads or ():
            inner_fields, inner_nesting = sizes.get(name, (0, 0))
            fields += inner_fields
            nesting = max(nesting, level + inner_nesting)
        return fields, nesting

    for root in fragments:
        if state.get(root):
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if children_done:
                sizes[name] = measure(fragments[name])
                state[name] = 2
                continue
            if state.get(name):
                continue  # done, or on the current path (a cycle)
            state[name] = 1
            stack.append((name, True))
            for spread, _ in fragments[name].spreads or ():
                if spread in fragments and not state.get(spread):
                    stack.append((spread, False))
    fields, nesting = 0, 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            op_fields, op_nesting = measure(_shape(definition.selection_set))
            fields += op_fields
            nesting = max(nesting, op_nesting)
    return fields, nesting


def _too_long(length: int, limit: int) -> Problem:
    return Problem(
        f"string values may be at most {limit} characters long, got one of {length}",
        "BAD_USER_INPUT",
    )


def document_problem(document: DocumentNode, settings: Settings) -> Problem | None:
    """Why this parsed query must not run, or None."""
    limit = settings.max_string_length
    fragments = {
        d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    stack: list[Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, StringValueNode) and len(node.value) > limit:
            return _too_long(len(node.value), limit)
        if isinstance(node, SelectionSetNode) and not node.selections:
            # The spec's grammar wants at least one selection; graphql-core's parser lets
            # "{ }" through, and strawberry's depth limiter then fails on it.
            return Problem(
                "Syntax Error: a selection set must select at least one field.",
                "GRAPHQL_PARSE_FAILED",
            )
        if isinstance(node, FragmentSpreadNode) and node.name.value not in fragments:
            # Validation would say so too, but strawberry's depth limiter fails on it first.
            return Problem(f"Unknown fragment '{node.name.value}'.", "GRAPHQL_VALIDATION_FAILED")
        stack.extend(_children(node))
    fields, nesting = _expanded(document)
    if nesting > MAX_NESTING:
        return Problem(
            f"the query nests selections and fragments {nesting} deep, more than {MAX_NESTING}",
            "GRAPHQL_VALIDATION_FAILED",
        )
    if fields > settings.max_selections:
        return Problem(
            f"the query selects {fields} fields once its fragments are expanded, more than "
            f"{settings.max_selections}",
            "GRAPHQL_VALIDATION_FAILED",
        )
    return None


def _is_unicode(value: str) -> bool:
    """False for a string holding lone surrogates (JSON can say "\\ud800"; UTF-8 cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def variables_problem(variables: dict[str, Any] | None, settings: Settings) -> Problem | None:
    """Why these variables must not be used, or None: a string in them is too long, or not
    Unicode that UTF-8 (and so a database driver) can carry."""
    limit = settings.max_string_length
    stack: list[Any] = [variables or {}]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if len(value) > limit:
                return _too_long(len(value), limit)
            if not _is_unicode(value):
                return Problem(
                    "string values must be valid Unicode (this one has a lone surrogate)",
                    "BAD_USER_INPUT",
                )
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None
