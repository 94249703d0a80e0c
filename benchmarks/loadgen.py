"""The load generator: closed-loop clients at a fixed concurrency, bounded in time and count.

``concurrency`` clients each send one request, wait for the whole response, and send the
next (aiohttp over keep-alive connections to 127.0.0.1 only; or the raw Cypher floor
called in-process). A level stops after ``duration`` seconds or ``max_requests``
requests, whichever comes first. Latency is measured from sending the request to the
last byte of the response; decoding and checking happen after the clock stops. EVERY
response is checked: HTTP 200, no GraphQL ``errors``, and an answer (normalised by
``benchmarks/workload.py``) equal to the reference answer for its parameters.

    .venv/bin/python -m benchmarks.loadgen --url http://127.0.0.1:8000/graphql \\
        --system timeline --workload W1 --params params.json --concurrency 8
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

from benchmarks.workload import WORKLOADS

__all__ = ["Level", "http_caller", "run_level"]

Json = Any
#: Answers one request for the parameter set with this index; raises on any failure.
Caller = Callable[[int], Awaitable[Json]]


class BadResponse(Exception):
    """A response with a non-200 status, GraphQL errors or no data."""


@dataclass
class Level:
    """What one (system, workload, concurrency) run measured."""

    system: str
    workload: str
    concurrency: int
    requests: int = 0
    errors: int = 0
    mismatches: int = 0
    seconds: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    mean_ms: float = float("nan")
    throughput: float = 0.0
    sample_error: str | None = None
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        del data["latencies_ms"]
        return data


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


def http_caller(
    session: aiohttp.ClientSession,
    url: str,
    system: str,
    workload: str,
    params: Sequence[dict[str, Any]],
    timings: list[float],
    gen: str | None = None,
    method: str = "post",
) -> Caller:
    """Posts the workload's operation for ``system`` ('timeline' or 'peer'); records the
    time to the last byte in ``timings``; returns the canonical answer. ``gen``: the current
    load generation (``Meta.gen``), for the peer's generated filters. ``method``
    ``get-persisted``: a GET with only the document's hash (Apollo's automatic persisted
    queries; the document is registered by the first request of each parameter set, as
    Apollo Client does after ``PersistedQueryNotFound``)."""
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load generator only targets this machine, not {host}")
    spec = WORKLOADS[workload]
    query, answer = (
        (spec.timeline, spec.timeline_answer)
        if system == "timeline"
        else (spec.peer, spec.peer_answer)
    )

    def variables(p: dict[str, Any]) -> dict[str, Any]:
        if system == "timeline":
            return spec.timeline_vars(p)
        return {**p, "gen": gen} if "$gen" in query else p  # the peer filters on Meta.gen

    bodies = [json.dumps({"query": query, "variables": variables(p)}).encode() for p in params]
    headers = {"content-type": "application/json", "accept": "application/json"}
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    urls = [
        f"{url}?{urlencode({'extensions': extensions, 'variables': json.dumps(variables(p))})}"
        for p in params
    ]
    registered: set[int] = set()

    async def register(index: int) -> None:
        body = json.dumps(
            {
                "query": query,
                "variables": variables(params[index]),
                "extensions": json.loads(extensions),
            }
        )
        async with session.post(url, data=body.encode(), headers=headers) as response:
            await response.read()
        registered.add(index)

    async def call(index: int) -> Json:
        if method == "get-persisted" and index not in registered:
            await register(index)
        started = time.perf_counter()
        request = (
            session.get(urls[index], headers={"accept": "application/json"})
            if method == "get-persisted"
            else session.post(url, data=bodies[index], headers=headers)
        )
        async with request as response:
            body = await response.read()
            timings.append(time.perf_counter() - started)
            status = response.status
        document = json.loads(body)
        if method == "get-persisted" and _not_found(document):
            # Another worker took the registration (each keeps its own): register again
            # and retry, unmeasured, as Apollo Client does.
            timings.pop()
            registered.discard(index)
            return await call(index)
        if status != 200 or document.get("errors") or document.get("data") is None:
            raise BadResponse(f"HTTP {status}: {body[:300]!r}")
        return answer(document["data"])

    return call


def _not_found(document: Any) -> bool:
    errors = document.get("errors") if isinstance(document, dict) else None
    return bool(errors) and any(
        (e.get("extensions") or {}).get("code") == "PERSISTED_QUERY_NOT_FOUND" for e in errors
    )


def timed(call: Callable[[int], Awaitable[Json]], timings: list[float]) -> Caller:
    """An in-process caller (the raw floor), timed around the whole call."""

    async def run(index: int) -> Json:
        started = time.perf_counter()
        result = await call(index)
        timings.append(time.perf_counter() - started)
        return result

    return run


async def run_level(
    system: str,
    workload: str,
    call: Caller,
    timings: list[float],
    expected: Sequence[Json],
    concurrency: int,
    duration: float,
    max_requests: int,
    warmup: int = 0,
) -> Level:
    """``concurrency`` closed-loop clients over the parameter sets, in order, round robin."""
    level = Level(system, workload, concurrency)
    sets = len(expected)
    for i in range(warmup):  # not measured; the answers are checked all the same
        await _check(level, call, i % sets, expected)
    timings.clear()
    level.errors = level.mismatches = 0
    issued = 0
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal issued
        while issued < max_requests and time.perf_counter() < deadline:
            index = issued % sets
            issued += 1
            await _check(level, call, index, expected)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    level.seconds = time.perf_counter() - started
    level.requests = issued
    level.latencies_ms = [t * 1000 for t in timings]
    good = level.requests - level.errors - level.mismatches
    level.throughput = good / level.seconds if level.seconds else 0.0
    if level.latencies_ms:
        level.p50_ms = statistics.median(level.latencies_ms)
        level.p99_ms = _percentile(level.latencies_ms, 0.99)
        level.mean_ms = statistics.fmean(level.latencies_ms)
    return level


async def _check(level: Level, call: Caller, index: int, expected: Sequence[Json]) -> None:
    try:
        got = await call(index)
    except Exception as exc:  # every failure counts and is reported, none stops the run
        level.errors += 1
        level.sample_error = level.sample_error or f"{type(exc).__name__}: {exc}"[:500]
        return
    if got != expected[index]:
        level.mismatches += 1
        level.sample_error = level.sample_error or (
            f"answer differs for parameter set {index}: got {json.dumps(got)[:300]} "
            f"expected {json.dumps(expected[index])[:300]}"
        )


def session_for(concurrency: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False, ttl_dns_cache=None)
    return aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=60), auto_decompress=True
    )


async def _main(args: argparse.Namespace, data: dict[str, Any]) -> None:
    params, expected = data["params"], data["expected"]
    timings: list[float] = []
    async with session_for(args.concurrency) as session:
        call = http_caller(
            session, args.url, args.system, args.workload, params, timings, gen=args.gen
        )
        level = await run_level(
            args.system,
            args.workload,
            call,
            timings,
            expected,
            args.concurrency,
            args.duration,
            args.max_requests,
            warmup=args.warmup,
        )
    print(json.dumps(level.summary(), indent=1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--system", choices=("timeline", "peer"), required=True)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), required=True)
    parser.add_argument(
        "--params", required=True, help='JSON file {"params": [...], "expected": [...]}'
    )
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--gen", help="the current load generation (Meta.gen), for the peer")
    arguments = parser.parse_args()
    with open(arguments.params, encoding="utf-8") as file:
        asyncio.run(_main(arguments, json.load(file)))
