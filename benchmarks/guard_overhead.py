"""What the store guard costs per call: direct vs through :class:`GuardedStore`.

Measures, on the seed graph, the median time of a cheap heavy call (the first timeline
page) made on the sync graph itself, through the memory store (which hops it to a worker
thread) and through the store under the guard's deadline, side by side in one run::

    .venv/bin/python -m benchmarks.guard_overhead [--rounds 2000]

docs/security.md quotes its results.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from timeline.model.seeds import load_seeds
from timeline.stores.base import TimelineQuery
from timeline.stores.guard import GuardedStore
from timeline.stores.memory import MemoryStore

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


async def median_us(call: Callable[[], Awaitable[object]], rounds: int) -> float:
    """Median microseconds of ``call``, after a warm-up."""
    for _ in range(50):
        await call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


async def main(rounds: int) -> None:
    store = MemoryStore()
    await store.load(load_seeds(SEEDS))
    guarded = GuardedStore(store, timeout=5)
    query = TimelineQuery(first=5)

    async def direct() -> object:
        return store.graph.timeline(query)

    # Interleaved rounds, so a noisy neighbour slows all three alike.
    results: dict[str, list[float]] = {"direct": [], "thread hop": [], "guarded": []}
    for _ in range(5):
        results["direct"].append(await median_us(direct, rounds))
        results["thread hop"].append(await median_us(lambda: store.timeline(query), rounds))
        results["guarded"].append(await median_us(lambda: guarded.timeline(query), rounds))
    await guarded.close()
    direct = statistics.median(results["direct"])
    print(f"{'call':<12} {'median µs':>10} {'overhead µs':>12}")
    for name, values in results.items():
        value = statistics.median(values)
        print(f"{name:<12} {value:>10.1f} {value - direct:>12.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    asyncio.run(main(parser.parse_args().rounds))
