"""ASGI limits against hostile input, before any GraphQL work is done.

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

The limits on a GraphQL document itself (what the parsed syntax tree may ask for) are
the schema extension :mod:`timeline.api.extensions.limits`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from timeline.config import Settings

__all__ = [
    "PAYLOAD_TOO_LARGE",
    "RATE_LIMITED",
    "UNLIMITED_PATHS",
    "RateLimiter",
    "RequestGuard",
    "client_address",
]

logger = logging.getLogger("timeline.api")

RATE_LIMITED = "RATE_LIMITED"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"

#: Paths no rate limit applies to: the probes of orchestrators and load balancers.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})

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
