"""Two timeline servers side by side: the same workload, interleaved, answers compared.

For a before/after check of a change (issue 13's "no workload slower"): start the same app
from two commits, each on its own port, then

    python -m benchmarks.ab --a http://127.0.0.1:8201/graphql --b http://127.0.0.1:8202/graphql

Every (workload, concurrency) level runs on A and B one after the other, in an order that
alternates between rounds, so both meet the same machine; the first answer of A for each
parameter set is the expected answer of every later request to either server (the two
must answer alike). Medians over rounds are printed as a Markdown table with the ratio
B/A of throughput and of p50.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from typing import Any

from benchmarks import with_fixed_hash_seed
from benchmarks.loadgen import BadResponse, Level, http_caller, run_level, session_for
from benchmarks.workload import WORKLOADS, parameters
from timeline.services.synth import synthesize


async def _level(
    url: str,
    workload: str,
    params: list[dict[str, Any]],
    expected: list[Any],
    args: argparse.Namespace,
    c: int,
) -> Level:
    timings: list[float] = []
    async with session_for(c) as session:
        call = http_caller(session, url, "timeline", workload, params, timings)
        return await run_level(
            url, workload, call, timings, expected, c, args.duration, args.max_requests, 10
        )


async def _expected(url: str, workload: str, params: list[dict[str, Any]]) -> list[Any]:
    timings: list[float] = []
    async with session_for(1) as session:
        call = http_caller(session, url, "timeline", workload, params, timings)
        try:
            first = await call(0)
        except BadResponse:
            # A database started moments ago (no query plans, a cold page cache) can miss
            # the store's deadline on its first statement of a kind: asked once more.
            first = await call(0)
        return [first, *[await call(i) for i in range(1, len(params))]]


async def main(args: argparse.Namespace) -> None:
    dataset = synthesize(events=args.events, seed=args.seed)
    sets = parameters(dataset, seed=args.seed)
    del dataset
    workloads = args.workloads.split(",")
    levels = [int(c) for c in args.concurrency.split(",")]
    expected = {w: await _expected(args.a, w, sets[w]) for w in workloads}
    runs: dict[tuple[str, int, str], list[Level]] = {}
    for r in range(args.rounds):
        for w in workloads:
            for c in levels:
                order = [("A", args.a), ("B", args.b)]
                for name, url in order if r % 2 == 0 else reversed(order):
                    level = await _level(url, w, sets[w], expected[w], args, c)
                    runs.setdefault((w, c, name), []).append(level)
                    print(
                        f"round {r + 1} {w} c={c} {name} p50 {level.p50_ms:.2f} ms "
                        f"{level.throughput:.0f} req/s err={level.errors} "
                        f"mismatch={level.mismatches}",
                        flush=True,
                    )
    print("\n| workload | c | A p50 ms / req/s | B p50 ms / req/s | B/A req/s | B/A p50 | errors |")
    print("|---|---|---|---|---|---|---|")
    for w in workloads:
        for c in levels:
            a, b = runs[(w, c, "A")], runs[(w, c, "B")]
            a50, b50 = (statistics.median(x.p50_ms for x in s) for s in (a, b))
            at, bt = (statistics.median(x.throughput for x in s) for s in (a, b))
            bad = sum(x.errors + x.mismatches for x in a + b)
            print(
                f"| {w} | {c} | {a50:.2f} / {at:.0f} | {b50:.2f} / {bt:.0f} | "
                f"{bt / at:.2f}× | {b50 / a50:.2f}× | {bad} |"
            )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a side-by-side run: the servers' dataset, and what is measured."""
    parser.add_argument("--events", type=int, default=10_000, help="the servers' dataset size")
    parser.add_argument("--seed", type=int, default=7, help="the servers' dataset seed")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per level")
    parser.add_argument("--max-requests", type=int, default=1000, help="requests per level")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", required=True, help="GraphQL URL of the first server (before)")
    parser.add_argument("--b", required=True, help="GraphQL URL of the second server (after)")
    add_run_options(parser)
    asyncio.run(main(parser.parse_args()))


if __name__ == "__main__":
    with_fixed_hash_seed("benchmarks.ab")
    cli()
