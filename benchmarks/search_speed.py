"""Search latency on a synthetic graph, store calls only (no HTTP, no GraphQL).

Asks ``store.search(text, first=10)`` for three sets of queries drawn from
``synthesize(events=N, seed=S)``, and prints the median and p90 of each set:

- ``W5 name``: the benchmark's W5 (``benchmarks/workload.py``: a name no other entity
  shares), whose top hit must be that entity;
- ``W5 variants``: ``benchmarks/profile_stores.py``'s W5 (a name, half of it, or a typo);
- ``common``: single common words and short prefixes ("summit", "ba", "city", ...).

``--hits FILE`` writes every query's hits (ids and scores) as JSON, so that two runs (say,
before and after a change) can be compared answer by answer::

    .venv/bin/python -m benchmarks.search_speed --events 100000 --hits after.json
    NEO4J_URI=bolt://127.0.0.1:7703 .venv/bin/python -m benchmarks.search_speed \\
        --backend neo4j --events 100000 --hits neo4j-after.json

Neo4j is loaded only when it holds a different graph (``--no-load`` asks whatever it holds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import with_fixed_hash_seed
from benchmarks.profile_stores import draw
from benchmarks.workload import parameters
from timeline.services.synth import synthesize
from timeline.stores.base import Store

COMMON = ["summit", "ministerial meeting", "ba", "city", "republic", "agency", "press", "visit"]


async def _open(args: argparse.Namespace, dataset: Any) -> Store:
    if args.backend == "memory":
        from timeline.stores.memory import MemoryStore

        began = time.perf_counter()
        store: Store = MemoryStore(dataset)
        print(f"memory store built in {time.perf_counter() - began:.1f}s", flush=True)
        return store
    from timeline.stores.neo4j import Neo4jStore

    store = Neo4jStore(
        os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", "timeline-dev"),
    )
    if not args.no_load and await store.data_version() != dataset.version():
        began = time.perf_counter()
        await store.load(dataset)
        print(f"loaded into Neo4j in {time.perf_counter() - began:.0f}s", flush=True)
    return store


async def run(args: argparse.Namespace) -> dict[str, list[list[Any]]]:
    dataset = synthesize(events=args.events, seed=args.data_seed)
    names = {e.name: e.id for e in dataset.entities.values()}
    sets = {
        "W5 name": [p["text"] for p in parameters(dataset, seed=args.seed, count=args.count)["W5"]],
        "W5 variants": draw(dataset, args.seed, args.count).w5,
        "common": COMMON,
    }
    store = await _open(args, dataset)
    hits: dict[str, list[list[Any]]] = {}
    wrong = 0
    try:
        for name, queries in sets.items():
            times: list[float] = []
            cpu: list[float] = []
            for round_ in range(args.rounds + 1):
                for text in queries:
                    began, began_cpu = time.perf_counter(), time.process_time()
                    found = await store.search(text, first=10)
                    if round_:  # round 0 warms caches, not counted
                        times.append((time.perf_counter() - began) * 1000)
                        cpu.append((time.process_time() - began_cpu) * 1000)
                    hits[text] = [[h.entity.id, h.score] for h in found]
                    if name == "W5 name" and (not found or found[0].entity.id != names[text]):
                        wrong += round_ == 0
            times.sort()
            print(
                f"{args.backend} {args.events} {name:12} median {statistics.median(times):7.2f} ms"
                f"  p90 {times[int(len(times) * 0.9)]:7.2f} ms  this process's CPU median "
                f"{statistics.median(cpu):6.2f} ms  ({len(queries)} queries x {args.rounds})",
                flush=True,
            )
    finally:
        await store.close()
    print(f"W5 name: {wrong} of {len(sets['W5 name'])} top hits not the named entity")
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("memory", "neo4j"), default="memory")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--data-seed", type=int, default=1, help="synthesize(seed=)")
    parser.add_argument("--seed", type=int, default=7, help="draws the queries")
    parser.add_argument("--count", type=int, default=30, help="queries per set")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after a warm-up")
    parser.add_argument("--no-load", action="store_true", help="ask whatever Neo4j holds")
    parser.add_argument("--hits", help="write every query's hits to this JSON file")
    with_fixed_hash_seed("benchmarks.search_speed")
    args = parser.parse_args()
    hits = asyncio.run(run(args))
    if args.hits:
        Path(args.hits).write_text(json.dumps(hits, indent=0, sort_keys=True))


if __name__ == "__main__":
    main()
