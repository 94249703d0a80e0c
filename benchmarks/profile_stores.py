"""Per-call latency of the store calls behind workloads W1–W6, on a synthetic graph.

Runs each workload directly on a store (no HTTP, no GraphQL), on ``synthesize(events=N,
seed=S)``, and prints the median (and p90) of every store call and of each workload's
calls together::

    .venv/bin/python benchmarks/profile_stores.py --backend memory --events 100000
    NEO4J_URI=bolt://127.0.0.1:7689 .venv/bin/python benchmarks/profile_stores.py \\
        --backend neo4j --events 1000000            # loads only if the graph differs

The workload is drawn from the data with ``--seed`` (the same arguments always ask the same
questions):

- W1 a timeline page: 20 events in a one-year window involving one mid-degree entity, then
  the page's relations (participants) and the participant and source-document nodes;
- W2 an entity page: a mid-degree person, its positions, its first 20 events;
- W3 ``neighbors`` depth 2, first 200, around a mid-degree entity (W3hub: the biggest hub);
- W4 ``shortest_path`` between two mid-degree entities (W4hub: from a hub);
- W5 ``search`` for a name, a prefix of it, or a typo of it;
- W6 ``common_events`` of a mid-degree person and an entity it met at an event.

"Mid-degree" is an entity whose number of relations is between the 90th and 99th
percentile of all entities: past the long tail, short of the hubs. With ``--backend
memory`` it also prints the build time and the process's resident memory (RSS) before
and after the store is built.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks import with_fixed_hash_seed
from timeline.model.records import Dataset, Event, Person
from timeline.services.synth import synthesize
from timeline.stores.base import Store, TimelineQuery

Call = Callable[[], Awaitable[Any]]


def rss_mb() -> float:
    """The process's resident memory now, in MiB (Linux /proc; else the peak)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


@dataclass
class Params:
    """The questions, drawn once from the data."""

    w1: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    w2: list[str] = field(default_factory=list)
    w3: list[str] = field(default_factory=list)
    w4: list[tuple[str, str]] = field(default_factory=list)
    w5: list[str] = field(default_factory=list)
    w6: list[tuple[str, str]] = field(default_factory=list)
    hub: str = ""


def draw(dataset: Dataset, seed: int, count: int) -> Params:
    rng = random.Random(seed)
    entities = dataset.entities
    degree: Counter[str] = Counter()
    linked: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, list[str]] = defaultdict(list)
    for rel in dataset.relations:
        degree[rel.subject] += 1
        degree[rel.object] += 1
        for a, b in ((rel.subject, rel.object), (rel.object, rel.subject)):
            if isinstance(entities.get(b), Event):
                linked[a].add(b)
        if rel.type == "PART_OF" and rel.subject.startswith("event:"):
            parents[rel.subject].append(rel.object)
    ranked = sorted((d, i) for i, d in degree.items() if not i.startswith("event:"))
    degrees = [d for d, _ in ranked]
    lo, hi = degrees[int(len(degrees) * 0.90)], degrees[int(len(degrees) * 0.99)]
    mid = sorted(i for d, i in ranked if lo <= d <= hi)
    people = [i for i in mid if isinstance(entities[i], Person)]
    params = Params(hub=ranked[-1][1])

    def involving(entity_id: str) -> set[str]:
        found = set(linked[entity_id])
        pending = list(found)
        while pending:
            for parent in parents.get(pending.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    pending.append(parent)
        return found

    for entity_id in rng.sample(mid, count):
        years = Counter(
            e.date.start.year for i in involving(entity_id) if isinstance(e := entities[i], Event)
        )
        year = years.most_common(1)[0][0]
        params.w1.append((entity_id, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    params.w2 = rng.sample(people, count)
    params.w3 = rng.sample(mid, count)
    params.w4 = [(a, b) for a, b in (rng.sample(mid, 2) for _ in range(count))]
    for entity_id in rng.sample(mid, count):
        name = entities[entity_id].name
        variant = rng.randrange(3)
        if variant == 1:
            name = name[: max(4, len(name) // 2)]
        elif variant == 2:  # one letter changed in the last word
            at = name.rfind(" ") + 2
            name = name[:at] + ("x" if name[at : at + 1] != "x" else "y") + name[at + 1 :]
        params.w5.append(name)
    for person in rng.sample(people, count):
        event = rng.choice(sorted(linked[person]))
        others = sorted(
            r.other(event)
            for r in _relations_of(dataset, event)
            if r.other(event) != person and not r.other(event).startswith("event:")
        )
        params.w6.append((person, rng.choice(others) if others else params.hub))
    return params


_BY_NODE: dict[int, dict[str, list[Any]]] = {}


def _relations_of(dataset: Dataset, node_id: str) -> list[Any]:
    index = _BY_NODE.get(id(dataset))
    if index is None:
        index = defaultdict(list)
        for rel in dataset.relations:
            index[rel.subject].append(rel)
            index[rel.object].append(rel)
        _BY_NODE[id(dataset)] = index
    return index[node_id]


class Timer:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, str] = {}

    async def __call__(self, name: str, call: Call) -> Any:
        began = time.perf_counter()
        try:
            result = await call()
        except Exception as exc:  # report it, keep measuring the rest
            self.errors[name] = f"{type(exc).__name__}: {str(exc)[:120]}"
            return None
        self.samples[name].append((time.perf_counter() - began) * 1000)
        return result

    def report(self) -> None:
        print(f"{'call':<34}{'n':>5}{'median ms':>12}{'p90 ms':>10}{'max ms':>10}")
        for name, values in self.samples.items():
            values = sorted(values)
            p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
            median = statistics.median(values)
            print(f"{name:<34}{len(values):>5}{median:>12.2f}{p90:>10.2f}{values[-1]:>10.2f}")
        for name, error in self.errors.items():
            print(f"{name:<34} FAILED {error}")


async def w1(store: Store, t: Timer, entity: str, start: dt.date, end: dt.date) -> None:
    began = time.perf_counter()
    query = TimelineQuery(involving=(entity,), start=start, end=end, first=20)
    page = await t("W1 timeline(involving, year)", lambda: store.timeline(query))
    if page is None:
        return
    ids = [e.id for e in page.events]
    rels = await t("W1 relations(page)", lambda: store.relations(ids))
    if rels is None:
        return
    wanted = {r.other(i) for i in ids for r in rels[i]}
    wanted |= {s.document for e in page.events for s in e.sources}
    await t("W1 get_nodes(participants+docs)", lambda: store.get_nodes(sorted(wanted)))
    t.samples["W1 total"].append((time.perf_counter() - began) * 1000)


async def w2(store: Store, t: Timer, person: str) -> None:
    began = time.perf_counter()
    await t("W2 get_nodes(person)", lambda: store.get_nodes([person]))
    await t("W2 relations(positions)", lambda: store.relations([person], ["HOLDS_POSITION"]))
    query = TimelineQuery(linked_to=person, first=20)
    await t("W2 timeline(linked_to)", lambda: store.timeline(query))
    t.samples["W2 total"].append((time.perf_counter() - began) * 1000)


async def run(args: argparse.Namespace) -> None:
    began = time.perf_counter()
    dataset = synthesize(events=args.events, seed=args.data_seed)
    counts = dataset.counts()
    print(
        f"synthesized {args.events} events ({counts['relation']} relations) "
        f"in {time.perf_counter() - began:.1f}s; RSS {rss_mb():.0f} MiB"
    )
    store: Store
    if args.backend == "memory":
        from timeline.stores.memory import MemoryStore

        before = rss_mb()
        began = time.perf_counter()
        store = MemoryStore(dataset)
        await store.data_version()
        print(
            f"memory store built in {time.perf_counter() - began:.1f}s; RSS {before:.0f} -> "
            f"{rss_mb():.0f} MiB (+{rss_mb() - before:.0f} for the index)"
        )
    else:
        from timeline.stores.neo4j import Neo4jStore

        store = Neo4jStore(
            os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", "timeline-dev"),
        )
        if args.no_load:
            pass
        elif args.load or await store.data_version() != dataset.version():
            began = time.perf_counter()
            await store.load(dataset)
            seconds = time.perf_counter() - began
            print(f"loaded in {seconds:.1f}s: {counts['relation'] / seconds:,.0f} relationships/s")
    params = draw(dataset, args.seed, args.count)
    print(f"hub {params.hub}; W1 e.g. {params.w1[0]}; W5 e.g. {params.w5[:3]}")
    timer = Timer()
    try:
        for round_ in range(args.rounds + 1):
            t = Timer() if round_ == 0 else timer  # round 0 warms caches, not counted
            for i in range(args.count):
                await w1(store, t, *params.w1[i])
                await w2(store, t, params.w2[i])
                await t(
                    "W3 neighbors(depth 2, 200)",
                    lambda i=i: store.neighbors(params.w3[i], depth=2, first=200),
                )
                await t("W4 shortest_path", lambda i=i: store.shortest_path(*params.w4[i]))
                await t("W5 search", lambda i=i: store.search(params.w5[i], first=10))
                await t("W6 common_events", lambda i=i: store.common_events(list(params.w6[i])))
                if args.hubs and i < 3:
                    await t(
                        "W3hub neighbors(hub, depth 2)",
                        lambda: store.neighbors(params.hub, depth=2, first=200),
                    )
                    await t(
                        "W4hub shortest_path(hub, x)",
                        lambda i=i: store.shortest_path(params.hub, params.w4[i][1]),
                    )
    finally:
        await store.close()
    print(
        f"backend {args.backend}, {args.events} events, {args.rounds} rounds x "
        f"{args.count} parameter sets"
    )
    timer.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("memory", "neo4j"), default="memory")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--data-seed", type=int, default=1, help="synthesize(seed=)")
    parser.add_argument("--seed", type=int, default=7, help="draws the workload")
    parser.add_argument("--count", type=int, default=10, help="parameter sets per workload")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after a warm-up")
    parser.add_argument("--hubs", action="store_true", help="also W3/W4 at the biggest hub")
    parser.add_argument("--load", action="store_true", help="reload Neo4j even if current")
    parser.add_argument("--no-load", action="store_true", help="ask whatever Neo4j holds")
    with_fixed_hash_seed("benchmarks.profile_stores")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
