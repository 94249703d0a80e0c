"""Requests/s of one replica for the capacity model (docs/operations.md, "Scaling out").

Closed-loop clients (``--concurrency``, default 8) on loopback for ``--duration`` seconds
per line: a POST query, the same query as a GET persisted query (APQ), its 304
revalidation, an embed rendered, and its 304 revalidation. Every answer must be 200 or
304; others are counted as bad.

    .venv/bin/python -m benchmarks.capacity http://127.0.0.1:8000 --duration 5
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp

QUERY = (
    "query($involving: [ID!]) { timeline(involving: $involving, first: 20) "
    "{ totalCount edges { node { id name date { display } } } } }"
)


async def level(name: str, make: Callable[[aiohttp.ClientSession], Any], args: Any) -> None:
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        latencies: list[float] = []
        bad = 0
        end = time.perf_counter() + args.duration

        async def client() -> None:
            nonlocal bad
            while time.perf_counter() < end:
                started = time.perf_counter()
                async with make(session) as response:
                    await response.read()
                    bad += response.status not in (200, 304)
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(args.concurrency)))
        rate = len(latencies) / (time.perf_counter() - began)
        p50 = statistics.median(latencies) * 1000
        print(f"{name:44s} {rate:8.0f} req/s  p50 {p50:7.2f} ms  bad {bad}", flush=True)


async def main(args: argparse.Namespace) -> None:
    base = args.url.rstrip("/")
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    variables = {"involving": [args.entity]}
    digest = hashlib.sha256(QUERY.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    get_url = f"{base}/graphql?" + urlencode(
        {"extensions": json.dumps(extensions), "variables": json.dumps(variables)}
    )
    embed = f"{base}/embed/timeline?involving={args.entity}"
    async with aiohttp.ClientSession() as session:
        body = {"query": QUERY, "variables": variables, "extensions": extensions}
        async with session.post(f"{base}/graphql", json=body) as response:
            assert "errors" not in await response.json()
        async with session.get(get_url) as response:
            get_etag = response.headers["etag"]
        async with session.get(embed) as response:
            embed_etag = response.headers["etag"]
    post = {"query": QUERY, "variables": variables}
    await level("POST query", lambda s: s.post(f"{base}/graphql", json=post), args)
    await level("GET persisted query", lambda s: s.get(get_url), args)
    revalidate = {"If-None-Match": get_etag}
    await level(
        "GET persisted query, If-None-Match (304)",
        lambda s: s.get(get_url, headers=revalidate),
        args,
    )
    await level("embed", lambda s: s.get(embed), args)
    again = {"If-None-Match": embed_etag}
    await level("embed, If-None-Match (304)", lambda s: s.get(embed, headers=again), args)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--entity", default="country:pa")
    asyncio.run(main(parser.parse_args()))
