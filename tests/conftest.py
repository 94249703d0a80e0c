"""Shared fixtures: stores for every backend, loaded with the fixture graph.

The memory store always runs. The Neo4j store runs when a Neo4j answers at NEO4J_URI
(``make test`` starts one with ``graph/neo4j.sh``); with TIMELINE_REQUIRE_NEO4J=1 (as
``make test`` sets) a missing Neo4j fails the run instead of skipping its tests.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fixtures import mini_dataset
from timeline.model.records import Dataset
from timeline.model.seeds import load_seeds
from timeline.stores import StoreUnavailable, open_store
from timeline.stores.base import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "seeds" / "corpus"
BACKENDS = ["memory", "neo4j"]


def neo4j_options() -> dict[str, str]:
    return {
        "uri": os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        "user": os.environ.get("NEO4J_USER", "neo4j"),
        "password": os.environ.get("NEO4J_PASSWORD", "timeline-dev"),
        "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
    }


async def make_store(backend: str) -> Store:
    """An empty store of this backend, or skip/fail when its server is not there."""
    if backend == "memory":
        return open_store("memory")
    store = open_store("neo4j", **neo4j_options())
    try:
        await store.ping()
    except StoreUnavailable as exc:
        await store.close()
        if os.environ.get("TIMELINE_REQUIRE_NEO4J") == "1":
            pytest.fail(f"Neo4j is required but not reachable: {exc}")
        pytest.skip(f"Neo4j not reachable ({exc}); run 'make neo4j' first")
    return store


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class _Loaded:
    """Which dataset each backend's store holds now, so tests reload only on a switch.

    Neo4j Community has one user database, so every test of a backend shares one store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.current: str | None = None

    async def holding(self, name: str) -> Store:
        if self.current != name:
            self.current = None
            await self.store.load(mini_dataset() if name == "mini" else seed_dataset())
            self.current = name
        return self.store


@functools.cache
def seed_dataset() -> Dataset:
    return load_seeds(SEEDS, CORPUS)


@pytest.fixture(scope="session")
async def loaded(backend: str) -> AsyncIterator[_Loaded]:
    store = await make_store(backend)
    yield _Loaded(store)
    await store.close()


@pytest.fixture
async def store(loaded: _Loaded) -> Store:
    """A store of each backend holding the fixture graph (read-only tests)."""
    return await loaded.holding("mini")


@pytest.fixture
async def seeded_store(loaded: _Loaded) -> Store:
    """A store of each backend holding the curated seed graph (read-only tests)."""
    return await loaded.holding("seeds")


@pytest.fixture
async def writable_store(loaded: _Loaded) -> AsyncIterator[Store]:
    """A store holding the fixture graph that the test may change."""
    store = await loaded.holding("mini")
    yield store
    loaded.current = None
