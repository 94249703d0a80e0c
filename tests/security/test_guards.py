"""The guards themselves: rate limiting, the body-size limit, and the store deadline."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.conftest import client_for
from tests.security.conftest import assert_clean
from tests.stores.test_memory import calls, slow_memory
from timeline.api.app import create_app
from timeline.api.middleware import RateLimiter, client_address
from timeline.config import Settings
from timeline.stores.base import Store
from timeline.stores.guard import GuardedStore, StoreTimeout

QUERY = {"query": "{ dataVersion }"}


def remote_client(
    store: Store, settings: Settings, address: str = "203.0.113.7"
) -> httpx.AsyncClient:
    """A client on the app whose requests come from ``address`` (not loopback)."""
    transport = httpx.ASGITransport(app=create_app(settings, store=store), client=(address, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


# --- rate limiting -------------------------------------------------------------------------------


def test_token_bucket() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2, burst=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)  # one token comes back in 1/rate s
    assert limiter.take("b") == 0.0  # every client has its own bucket
    now[0] += 0.5
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    now[0] += 60
    assert [limiter.take("a") for _ in range(4)][-1] > 0  # refills to burst, no more


def test_token_bucket_forgets_the_least_recent_clients() -> None:
    limiter = RateLimiter(rate=1, burst=1, max_clients=100)
    for i in range(1000):
        limiter.take(f"client-{i}")
    assert len(limiter._buckets) == 100
    assert "client-999" in limiter._buckets and "client-0" not in limiter._buckets


async def test_rate_limited_client_gets_429(store: Store) -> None:
    settings = Settings(rate_limit=1, rate_burst=3)
    async with remote_client(store, settings) as http:
        answers = [await http.post("/graphql", json=QUERY) for _ in range(5)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
        refused = answers[-1]
        body = assert_clean(refused, 429, "RATE_LIMITED")
        assert refused.headers["retry-after"] == "1"
        assert "retry after 1 s" in body["errors"][0]["message"]
        # Probes are never limited; other clients have their own budget.
        assert (await http.get("/healthz")).status_code == 200
        assert (await http.get("/readyz")).status_code == 200
    async with remote_client(store, settings, "198.51.100.1") as other:
        assert (await other.post("/graphql", json=QUERY)).status_code == 200


async def test_rate_limit_has_cors_headers(store: Store) -> None:
    settings = Settings(rate_limit=1, rate_burst=1)
    async with remote_client(store, settings) as http:
        headers = {"origin": "https://example.org"}
        await http.post("/graphql", json=QUERY, headers=headers)
        refused = await http.post("/graphql", json=QUERY, headers=headers)
    assert refused.status_code == 429
    assert refused.headers["access-control-allow-origin"] == "*"


async def test_loopback_is_exempt_unless_asked(store: Store) -> None:
    settings = Settings(rate_limit=1, rate_burst=1)
    async with client_for(store, settings) as http:  # 127.0.0.1
        assert {(await http.post("/graphql", json=QUERY)).status_code for _ in range(5)} == {200}
    settings = Settings(rate_limit=1, rate_burst=1, rate_limit_loopback=True)
    async with client_for(store, settings) as http:
        codes = [(await http.post("/graphql", json=QUERY)).status_code for _ in range(3)]
    assert codes == [200, 429, 429]


async def test_rate_limit_zero_is_off(store: Store) -> None:
    settings = Settings(rate_limit=0, rate_burst=1, rate_limit_loopback=True)
    async with remote_client(store, settings) as http:
        assert {(await http.post("/graphql", json=QUERY)).status_code for _ in range(10)} == {200}


async def test_forwarded_for_only_from_trusted_proxies(store: Store) -> None:
    settings = Settings(rate_limit=1, rate_burst=1, trusted_proxies=["10.0.0.0/8"])
    # Not from a trusted proxy: X-Forwarded-For is ignored, so spoofing it buys nothing.
    async with remote_client(store, settings) as http:
        codes = [
            (
                await http.post("/graphql", json=QUERY, headers={"x-forwarded-for": f"1.2.3.{i}"})
            ).status_code
            for i in range(3)
        ]
    assert codes == [200, 429, 429]
    # From the trusted proxy: each forwarded client has its own bucket.
    async with remote_client(store, settings, "10.1.2.3") as proxy:
        for i in range(3):
            response = await proxy.post(
                "/graphql", json=QUERY, headers={"x-forwarded-for": f"192.0.2.{i}"}
            )
            assert response.status_code == 200
        again = await proxy.post("/graphql", json=QUERY, headers={"x-forwarded-for": "192.0.2.0"})
        assert again.status_code == 429


def scope(peer: str, forwarded: str | None = None) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 1234), "headers": headers}


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", "1.1.1.1", "203.0.113.9"),  # untrusted peer: header ignored
        ("10.0.0.2", "1.1.1.1", "1.1.1.1"),
        ("10.0.0.2", "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client may have written the left
        ("10.0.0.2", "1.1.1.1, 10.0.0.7", "1.1.1.1"),  # a chain of trusted proxies
        ("10.0.0.2", "10.0.0.8, 10.0.0.7", "10.0.0.8"),  # all trusted: the farthest
        ("10.0.0.2", "not-an-ip", "10.0.0.2"),
        ("10.0.0.2", "1.1.1.1:8080", "1.1.1.1"),
        ("10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_client_address(peer: str, forwarded: str | None, expected: str) -> None:
    trusted = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address(scope(peer, forwarded), trusted) == expected


def test_client_address_without_trusted_proxies() -> None:
    assert client_address(scope("10.0.0.2", "1.1.1.1")) == "10.0.0.2"
    assert client_address({"type": "http", "headers": []}) == "unknown"


# --- body size -----------------------------------------------------------------------------------


async def test_declared_body_over_the_limit(store: Store) -> None:
    async with client_for(store, Settings(max_body_bytes=2000)) as http:
        big = {"query": "{ dataVersion }", "variables": {"pad": "x" * 2000}}
        response = await http.post("/graphql", json=big)
        body = assert_clean(response, 413, "PAYLOAD_TOO_LARGE")
        assert body["errors"][0]["message"] == "The request body is larger than 2000 bytes."
        fits = {"query": "{ dataVersion }", "variables": {"pad": "x" * 900}}
        assert (await http.post("/graphql", json=fits)).status_code == 200


async def test_streamed_body_is_cut_off_at_the_limit(store: Store) -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b'{"query": "{ dataVersion }", "variables": {"pad": "'
        while True:
            pulled += 1
            yield b"x" * 1000

    async with client_for(store, Settings(max_body_bytes=10_000)) as http:
        response = await http.post(
            "/graphql", content=endless(), headers={"content-type": "application/json"}
        )
    assert "content-length" not in response.request.headers  # chunked: nothing declared
    assert_clean(response, 413, "PAYLOAD_TOO_LARGE")
    assert pulled <= 11, f"read {pulled} kB of an endless body"


async def test_streamed_body_within_the_limit(store: Store) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (b'{"query": ', b'"{ dataVersion }"', b"}"):
            yield part

    async with client_for(store) as http:
        response = await http.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 200 and "dataVersion" in response.json()["data"]


async def test_body_limit_applies_to_every_route(store: Store) -> None:
    async with client_for(store, Settings(max_body_bytes=1024)) as http:
        response = await http.post("/healthz", content=b"x" * 5000)
    assert_clean(response, 413, "PAYLOAD_TOO_LARGE")


# --- the store deadline ---------------------------------------------------------------------------


class Spy:
    """A store that records the thread each call ran on."""

    def __init__(self, inner: Store, name: str = "memory", delay: float = 0.0) -> None:
        self.inner, self.name, self.delay = inner, name, delay
        self.threads: dict[str, str] = {}
        self.started: list[str] = []

    def __getattr__(self, attr: str) -> Any:
        method = getattr(self.inner, attr)

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.started.append(attr)
            self.threads[attr] = threading.current_thread().name
            if self.delay:
                time.sleep(self.delay)  # noqa: ASYNC251 - heavy work blocks, on purpose
            return await method(*args, **kwargs)

        return call


async def test_the_guard_moves_no_call_off_the_event_loop(memory: Store) -> None:
    """The guard only applies deadlines, whatever the backend (the memory store offloads
    its own heavy calls: tests/stores/test_memory.py)."""
    spy = Spy(memory, name="memory")
    guarded = GuardedStore(spy, timeout=5)
    assert isinstance(guarded, Store) and guarded.name == "memory"
    await calls(guarded)
    assert set(spy.threads.values()) == {threading.current_thread().name}


async def test_neo4j_calls_stay_on_the_event_loop(memory: Store) -> None:
    spy = Spy(memory, name="neo4j")
    guarded = GuardedStore(spy, timeout=5)
    await calls(guarded)
    assert set(spy.threads.values()) == {threading.current_thread().name}


async def test_deadline() -> None:
    guarded = GuardedStore(slow_memory(delay=0.5), timeout=0.1)
    started = time.perf_counter()
    with pytest.raises(StoreTimeout, match=r"'search' took longer than 0\.1s") as caught:
        await guarded.search("panama")
    assert time.perf_counter() - started < 0.4
    assert caught.value.operation == "search" and caught.value.timeout == 0.1
    await guarded.close()


async def test_a_store_timeout_error_of_its_own_is_not_a_deadline(memory: Store) -> None:
    class Failing:
        name = "neo4j"

        async def ping(self) -> None:
            raise TimeoutError("driver connection timeout")

    guarded = GuardedStore(Failing(), timeout=5)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError, match="driver") as caught:
        await guarded.ping()
    assert not isinstance(caught.value, StoreTimeout)


async def test_saturated_pool_times_out_and_drops_queued_calls() -> None:
    store = slow_memory(delay=0.6, workers=2)
    guarded = GuardedStore(store, timeout=0.2)
    results = await asyncio.gather(
        *(guarded.search(f"q{i}") for i in range(6)), return_exceptions=True
    )
    assert all(isinstance(r, StoreTimeout) for r in results)
    await asyncio.sleep(0.8)  # the two running calls finish; the queued ones never start
    assert store.graph.started.count("search") == 2  # type: ignore[attr-defined]
    assert await guarded.data_version()  # cheap calls were never blocked
    await guarded.close()


def test_timeout_must_be_positive(memory: Store) -> None:
    with pytest.raises(ValueError, match="positive"):
        GuardedStore(memory, timeout=0)
