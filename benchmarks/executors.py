"""The two GraphQL executors side by side, without the response cache (issue 14).

Starts two servers of the same app that differ only in ``TIMELINE_EXECUTOR``: A runs
graphql-core's executor (``reference``), B the planned one (``planned``, the default),
both with ``TIMELINE_RESPONSE_CACHE_SIZE=0`` so that every request is executed, then runs
:mod:`benchmarks.ab` on them: the same workload, interleaved, B's answers checked against
A's, medians and B/A ratios::

    python -m benchmarks.executors                       # the memory app on 10k events
    NEO4J_URI=bolt://127.0.0.1:7690 python -m benchmarks.executors --backend neo4j

``--backend neo4j`` serves ``timeline serve --backend neo4j`` on a Neo4j that already holds
the benchmark's dataset of that size and seed (``make bench-quick`` loads it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from benchmarks import ab, with_fixed_hash_seed
from benchmarks.run import ROOT, Server, start_server, wait_all_workers, wait_ready

EXECUTORS = {"A": "reference", "B": "planned"}


def _serve(args: argparse.Namespace, name: str, port: int, logs: Path) -> Server:
    env = {
        "TIMELINE_EXECUTOR": EXECUTORS[name],
        "TIMELINE_RESPONSE_CACHE_SIZE": "0",
        "TIMELINE_LOG_LEVEL": "warning",
    }
    bin_dir = Path(sys.executable).parent
    if args.backend == "memory":
        env |= {"BENCH_EVENTS": str(args.events), "BENCH_SEED": str(args.seed)}
        command = [str(bin_dir / "uvicorn"), "benchmarks.memory_app:create", "--factory",
                   "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                   "--log-level", "warning", "--timeout-worker-healthcheck", "120"]  # fmt: skip
    else:
        env["NEO4J_URI"] = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7690")
        command = [str(bin_dir / "timeline"), "serve", "--backend", "neo4j",
                   "--port", str(port), "--workers", str(args.workers)]  # fmt: skip
    return start_server(
        f"executor-{EXECUTORS[name]}", command, env, f"http://127.0.0.1:{port}/graphql", logs
    )


def main(args: argparse.Namespace) -> None:
    logs = ROOT / ".bench" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    servers = {name: _serve(args, name, args.port + i, logs) for i, name in enumerate(EXECUTORS)}
    try:
        for server in servers.values():
            wait_ready(server, timeout=300)
            wait_all_workers(server, args.workers)
        compared = argparse.Namespace(**vars(args), a=servers["A"].url, b=servers["B"].url)
        print(f"A: {EXECUTORS['A']} executor, B: {EXECUTORS['B']} executor ({args.backend})")
        asyncio.run(ab.main(compared))
    finally:
        for server in servers.values():
            server.stop()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("memory", "neo4j"), default="memory")
    parser.add_argument("--workers", type=int, default=1, help="workers of each server")
    parser.add_argument("--port", type=int, default=8211, help="A's port; B's is the next")
    ab.add_run_options(parser)
    main(parser.parse_args())


if __name__ == "__main__":
    with_fixed_hash_seed("benchmarks.executors")
    cli()
