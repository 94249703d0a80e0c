"""The memory store's adapter: a sync graph served as an async store, its heavy calls off
the event loop in a bounded pool of worker threads (``stores/memory.py``)."""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.fixtures import mini_dataset
from timeline.model.records import Dataset
from timeline.stores.base import Store, TimelineQuery
from timeline.stores.memory import HEAVY, MemoryGraph, MemoryStore


class SpyGraph(MemoryGraph):
    """A graph that records which thread each call ran on, and can be slow."""

    def __init__(self, dataset: Dataset, delay: float = 0.0) -> None:
        super().__init__(dataset)
        self.delay = delay
        self.threads: dict[str, str] = {}
        self.started: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if name.startswith("_") or not callable(value) or name in {"delay", "threads", "started"}:
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self.started.append(name)
            self.threads[name] = threading.current_thread().name
            if self.delay and name in HEAVY:
                time.sleep(self.delay)
            return value(*args, **kwargs)

        return call


def slow_memory(delay: float, workers: int = 4) -> MemoryStore:
    """A memory store on the mini dataset whose heavy calls each take ``delay`` seconds."""
    store = MemoryStore()
    store.graph = SpyGraph(mini_dataset(), delay)
    store.workers = workers
    return store


async def calls(store: Store) -> None:
    await store.ping()
    await store.data_version()
    await store.stats()
    await store.get_nodes(["country:us"])
    await store.relations(["country:us"])
    await store.series_neighbors(["event:x"])
    await store.timeline(TimelineQuery(first=2))
    await store.search("panama")
    await store.neighbors("country:us")
    await store.shortest_path("country:us", "country:pa")
    await store.common_events(["country:us"])
    await store.participations()
    await store.edge_list()


async def test_heavy_calls_run_off_the_event_loop() -> None:
    store = slow_memory(delay=0.0)
    await calls(store)
    threads = store.graph.threads  # type: ignore[attr-defined]
    here = threading.current_thread().name
    assert {n for n, t in threads.items() if t != here} == HEAVY
    assert all(threads[n].startswith("timeline-store") for n in HEAVY)
    await store.close()


async def test_the_adapter_answers_what_the_graph_answers() -> None:
    graph = MemoryGraph(mini_dataset())
    store = MemoryStore(mini_dataset())
    assert await store.data_version() == graph.data_version()
    assert await store.timeline(TimelineQuery(first=5)) == graph.timeline(TimelineQuery(first=5))
    assert await store.search("panama") == graph.search("panama")
    await store.close()


async def test_a_write_built_in_a_thread_is_seen_at_once() -> None:
    store = MemoryStore(mini_dataset())
    before = await store.data_version()
    dataset = await store.dump()
    await store.load(dataset)  # a load is a write too: built off the loop, swapped in whole
    assert await store.data_version() == before
    await store.close()
