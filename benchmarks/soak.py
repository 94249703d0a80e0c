"""The soak test: a fixed-rate mixed workload against ``timeline serve --backend neo4j``.

Requests are sent at a fixed rate (open loop: one is started every 1/rate seconds whatever
the others are doing, at most ``--max-in-flight`` at once), bounded by ``--duration`` and
``--max-requests``, to 127.0.0.1 only. The mix is the benchmark's six operations (W1-W6,
``benchmarks/workload.py``, parameters drawn from the dataset) and entity lookups
(``entity(id:)`` of a random entity, with its sources and first relations), in the
proportions of ``MIX``. Every response is checked: HTTP 200, no GraphQL error, data present,
and the same answer every time for the same request (the graph does not change during the
soak). The server's resident memory (VmRSS of the process and its workers) is sampled every
``--sample-every`` seconds; after the warm-up (the first ``--warmup`` fraction of the run)
it must not grow by 10% or more (the median of the last three samples against the median
of the first three after the warm-up).

It runs its own Neo4j (``graph/neo4j.sh`` with ``NEO4J_HOME_DIR=.neo4j-soak`` and
``NEO4J_BOLT_PORT=7691``; left running for the next soak, ``make soak-stop`` stops it),
loaded with ``synthesize(events=--events)`` unless it holds that dataset already, and its
own server on a free port. It exits 1 if any request failed or memory grew too much.

    .venv/bin/python -m benchmarks.soak --duration 600          # make soak
    .venv/bin/python -m benchmarks.soak --duration 60           # make soak-quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.loadgen import _percentile
from benchmarks.run import ROOT, ensure_loaded, start_server, wait_ready
from benchmarks.workload import WORKLOADS, parameters

LAUNCHER = ROOT / "graph" / "neo4j.sh"
LOOKUP = """
query Lookup($id: ID!) {
  entity(id: $id) { id kind name aliases sources { quote document { id } }
    relations(first: 5) { type direction other { id } } }
}"""
#: Requests of each kind per 10 (a browsing mix: pages and lookups, a few graph queries).
MIX = {"W1": 2, "W2": 2, "W3": 1, "W4": 1, "W5": 1, "W6": 1, "lookup": 2}
#: Resident memory growth after the warm-up that fails the soak.
MAX_GROWTH = 0.10


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    sample_errors: list[str] = field(default_factory=list)
    mismatches: int = 0
    answers: dict[tuple[str, int], Any] = field(default_factory=dict)
    sent: int = 0
    late: int = 0  # requests started over one interval after their time
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds, bytes)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss(pids: list[int]) -> int:
    """Resident memory of these processes, in bytes (0 for any that is gone)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [pid, *(int(p) for p in out.split())]


def neo4j(command: str, args: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "NEO4J_HOME_DIR": str(args.neo4j_home),
        "NEO4J_BOLT_PORT": str(args.bolt_port),
        "NEO4J_PASSWORD": args.neo4j_password,
        "NEO4J_HEAP": args.neo4j_heap,
        "NEO4J_TX_TIMEOUT": "0",  # the load is one long transaction
        "NEO4J_TX_MEMORY_MAX": args.neo4j_tx_max,
    }
    subprocess.run([str(LAUNCHER), command], env=env, check=True)


def requests_for(dataset: Any, seed: int) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Per kind: (query, variables) of every request the soak may send."""
    params = parameters(dataset, seed=seed, count=50)
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, sets in params.items():
        spec = WORKLOADS[name]
        found[name] = [(spec.timeline, spec.timeline_vars(p)) for p in sets]
    rng = random.Random(seed)
    ids = sorted(dataset.entities)
    found["lookup"] = [(LOOKUP, {"id": rng.choice(ids)}) for _ in range(200)]
    return found


async def soak(args: argparse.Namespace, url: str, pids: list[int], dataset: Any) -> Results:
    results = Results()
    requests = requests_for(dataset, args.seed)
    schedule = [kind for kind, weight in MIX.items() for _ in range(weight)]
    rng = random.Random(args.seed)
    in_flight: set[asyncio.Task[None]] = set()
    started = time.monotonic()
    headers = {"content-type": "application/json", "accept": "application/json"}
    connector = aiohttp.TCPConnector(limit=args.max_in_flight)
    timeout = aiohttp.ClientTimeout(total=60)

    async def one(session: aiohttp.ClientSession, kind: str, index: int) -> None:
        query, variables = requests[kind][index]
        began = time.perf_counter()
        try:
            async with session.post(
                url, json={"query": query, "variables": variables}, headers=headers
            ) as response:
                body = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            results.errors[kind] += 1
            results.sample_errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return
        results.latencies[kind].append(time.perf_counter() - began)
        try:
            document = json.loads(body)
        except ValueError:
            document = {}
        if status != 200 or document.get("errors") or document.get("data") is None:
            results.errors[kind] += 1
            results.sample_errors.append(f"{kind}: HTTP {status}: {body[:300]!r}")
            return
        previous = results.answers.setdefault((kind, index), document["data"])
        if previous != document["data"]:
            results.mismatches += 1

    async def sample() -> None:
        while True:
            results.rss.append((time.monotonic() - started, _rss(pids)))
            await asyncio.sleep(args.sample_every)

    sampler = asyncio.create_task(sample())
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        sent = 0
        while sent < args.max_requests:
            due = started + sent / args.rate
            now = time.monotonic()
            if due - started >= args.duration or now - started >= args.duration:
                break  # the schedule's end, or the clock's when the rate is not kept
            if due > now:
                await asyncio.sleep(due - now)
            elif now - due > 1.0 / args.rate:
                results.late += 1
            while len(in_flight) >= args.max_in_flight:
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            kind = schedule[sent % len(schedule)]
            task = asyncio.create_task(one(session, kind, rng.randrange(len(requests[kind]))))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            sent += 1
        results.sent = sent
        if in_flight:
            await asyncio.wait(in_flight)
    results.rss.append((time.monotonic() - started, _rss(pids)))
    sampler.cancel()
    return results


def summary(args: argparse.Namespace, results: Results, seconds: float) -> dict[str, Any]:
    every = [x for values in results.latencies.values() for x in values]
    warm = args.duration * args.warmup
    after = [rss for t, rss in results.rss if t >= warm]
    baseline = statistics.median(after[:3]) if after else float("nan")
    final = statistics.median(after[-3:]) if after else float("nan")
    growth = (final - baseline) / baseline if after else float("nan")
    return {
        "duration_s": round(seconds, 1),
        "rate_per_s": args.rate,
        "requests": results.sent,
        # answered per second: the capacity of the mix when the rate is above it (a run at
        # a rate it cannot keep is closed-loop at --max-in-flight: ``make soak`` uses half)
        "throughput_per_s": round(sum(len(v) for v in results.latencies.values()) / seconds, 1),
        "errors": sum(results.errors.values()),
        "mismatches": results.mismatches,
        "late": results.late,
        "p50_ms": round(_percentile(every, 0.5) * 1000, 1),
        "p99_ms": round(_percentile(every, 0.99) * 1000, 1),
        "max_ms": round(max(every, default=float("nan")) * 1000, 1),
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(_percentile(values, 0.5) * 1000, 1),
                "p99_ms": round(_percentile(values, 0.99) * 1000, 1),
            }
            for kind, values in sorted(results.latencies.items())
        },
        "rss_mb": {
            "first": round(results.rss[0][1] / 2**20, 1) if results.rss else None,
            "after_warmup": round(baseline / 2**20, 1),
            "final": round(final / 2**20, 1),
            "max": round(max(r for _, r in results.rss) / 2**20, 1) if results.rss else None,
            "growth_pct": round(growth * 100, 2),
            "samples": [(round(t, 1), round(r / 2**20, 1)) for t, r in results.rss],
        },
        "sample_errors": results.sample_errors[:10],
    }


async def measure_capacity(
    args: argparse.Namespace, url: str, pids: list[int], dataset: Any
) -> dict[str, Any]:
    """The mix's capacity: the same requests closed-loop (a rate no server keeps, so
    ``--max-in-flight`` requests are always waiting) for ``--probe`` seconds, answered
    requests per second."""
    probe = argparse.Namespace(**vars(args))
    probe.rate, probe.duration, probe.max_requests = 10_000.0, args.probe, 10**9
    began = time.monotonic()
    results = await soak(probe, url, pids, dataset)
    report = summary(probe, results, time.monotonic() - began)
    return {
        k: report[k] for k in ("duration_s", "throughput_per_s", "errors", "p50_ms", "p99_ms")
    } | {"max_in_flight": args.max_in_flight}


async def main(args: argparse.Namespace) -> int:
    from timeline.services.synth import synthesize

    work = ROOT / ".bench"
    work.mkdir(exist_ok=True)
    print(f"== Neo4j for the soak: {args.neo4j_home}, bolt port {args.bolt_port}", flush=True)
    neo4j("start", args)
    uri = f"bolt://127.0.0.1:{args.bolt_port}"
    dataset = synthesize(events=args.events, seed=args.seed)
    info = await ensure_loaded(uri, args.neo4j_password, dataset)
    print(f"== dataset: {args.events} events, {dataset.counts()}; {info}", flush=True)
    port = args.port or _free_port()
    timeline = str(Path(sys.executable).parent / "timeline")
    server = start_server(
        "soak-timeline",
        [
            timeline,
            "serve",
            "--backend",
            "neo4j",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        {
            "NEO4J_URI": uri,
            "NEO4J_PASSWORD": args.neo4j_password,
            "TIMELINE_LOG_LEVEL": "warning",
            "TIMELINE_RATE_LIMIT": "0",
            **({"TIMELINE_RESPONSE_CACHE_SIZE": "0"} if args.no_response_cache else {}),
        },
        f"http://127.0.0.1:{port}/graphql",
        work,
    )
    try:
        wait_ready(server, timeout=120)
        pids = _children(server.process.pid)
        probe: dict[str, Any] | None = None
        if args.half_capacity:
            probe = await measure_capacity(args, server.url, pids, dataset)
            args.rate = max(1.0, round(probe["throughput_per_s"] / 2, 1))
            args.max_requests = int(1.1 * args.rate * args.duration)
            print(f"== capacity {probe['throughput_per_s']}/s: soak at {args.rate}/s", flush=True)
        print(
            f"== soak: {args.rate}/s for {args.duration:.0f} s (at most {args.max_requests} "
            f"requests), mix {MIX}, server pids {pids}",
            flush=True,
        )
        began = time.monotonic()
        results = await soak(args, server.url, pids, dataset)
        report = summary(args, results, time.monotonic() - began)
        if probe is not None:
            report["capacity_probe"] = probe
        report["dataset"] = {"events": args.events, "counts": dataset.counts()}
        report["neo4j"] = info.get("neo4j")
    finally:
        server.stop()
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, text + "\n")
    ok = report["errors"] == 0 and report["mismatches"] == 0
    ok = ok and report["rss_mb"]["growth_pct"] < MAX_GROWTH * 100
    print("== soak " + ("PASSED" if ok else "FAILED"), flush=True)
    return 0 if ok else 1


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument(
        "--rate",
        type=float,
        default=4,
        help="requests per second (default 4: well within "
        "what one server process answers on a 2-core machine, so the soak measures stability, "
        "not saturation)",
    )
    parser.add_argument(
        "--max-requests", type=int, default=None, help="default: 1.1 x rate x duration"
    )
    parser.add_argument("--max-in-flight", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=1, help="the server's worker processes (default 1)"
    )
    parser.add_argument(
        "--half-capacity",
        action="store_true",
        help="measure the mix's capacity first (--probe seconds, closed-loop at "
        "--max-in-flight) and soak at half of it, overriding --rate",
    )
    parser.add_argument("--probe", type=float, default=60, help="seconds of the capacity probe")
    parser.add_argument(
        "--no-response-cache",
        action="store_true",
        help="serve with TIMELINE_RESPONSE_CACHE_SIZE=0: every request resolved against Neo4j "
        "(issue 14's soak, at half the uncached capacity of the mix)",
    )
    parser.add_argument("--warmup", type=float, default=0.2, help="fraction of the run")
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="the server's port (0: a free one)")
    parser.add_argument("--neo4j-home", type=Path, default=ROOT / ".neo4j-soak")
    parser.add_argument("--bolt-port", type=int, default=7691)
    parser.add_argument("--neo4j-password", default="timeline-soak")
    parser.add_argument("--neo4j-heap", default="2g")
    parser.add_argument("--neo4j-tx-max", default="1500m")
    parser.add_argument("--out", type=Path, default=None, help="write the report (JSON) here")
    args = parser.parse_args(argv)
    if args.max_requests is None:
        args.max_requests = int(args.rate * args.duration * 1.1) + 1
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
