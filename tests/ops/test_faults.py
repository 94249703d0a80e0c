"""Neo4j killed (SIGKILL) in the middle of a write: nothing is half-written, and writing
again converges to exactly the intended graph.

Two writes are interrupted: a seed load of a synthetic dataset big enough to take seconds
(``synthesize(events=20000)``: about 25 000 nodes and 130 000 relationships, one
transaction) and a curation write (``Store.apply`` of a change of some 40 000 records).
Each time the test waits until Neo4j is running the write's transaction (``SHOW
TRANSACTIONS``), kills the launcher's JVM with SIGKILL (no shutdown, no flush: a crash),
restarts it, and checks that the store holds exactly the graph from before: same data
version, same counts, same dump, no two nodes or relationships with one id, no node outside
the current generation. Then it runs the same write again and checks the graph is exactly
the intended one.

The test runs its own Neo4j (``graph/neo4j.sh`` on a free port, data in a temporary
folder), as ``test_neo4j_outage.py`` does, so killing it cannot disturb the shared one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase

from tests.fixtures import mini_dataset
from tests.ops.test_neo4j_outage import PASSWORD, PrivateNeo4j
from timeline.model.changes import ChangeSet, apply_to, next_version
from timeline.model.records import Dataset
from timeline.services.synth import synthesize
from timeline.stores.base import StoreError
from timeline.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


class CrashingNeo4j(PrivateNeo4j):
    """A private Neo4j that can be killed like a crash."""

    def __init__(self, home: Path) -> None:
        super().__init__(home)
        self.home = home
        # A load of this size in one transaction needs more than the launcher's default
        # share of the heap (a quarter).
        self.env.update(NEO4J_HEAP="3g", NEO4J_TX_MEMORY_MAX="2g", NEO4J_TX_MEMORY_TOTAL="2500m")
        # The load below is one transaction of many seconds on a slow machine: no server
        # deadline (the launcher's default is 10 s).
        self.env["NEO4J_TX_TIMEOUT"] = "0"

    def kill(self) -> None:
        """SIGKILL the launcher's JVM (its pid file is in NEO4J_HOME_DIR) and wait for it."""
        pid = int((self.home / "run" / "neo4j.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise AssertionError(f"Neo4j (pid {pid}) still alive 30 s after SIGKILL")


@pytest.fixture(scope="module")
def neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrashingNeo4j]:
    if shutil.which("java") is None and os.environ.get("TIMELINE_REQUIRE_NEO4J") != "1":
        pytest.skip("no Java here to run a private Neo4j")
    server = CrashingNeo4j(tmp_path_factory.mktemp("neo4j-faults"))
    server.run("start")
    try:
        yield server
    finally:
        server.run("stop")


@pytest.fixture
async def store(neo4j: CrashingNeo4j) -> AsyncIterator[Neo4jStore]:
    store = _store(neo4j)
    await store.load(mini_dataset())
    yield store
    await store.close()


def _store(neo4j: CrashingNeo4j) -> Neo4jStore:
    return Neo4jStore(uri=neo4j.uri, user="neo4j", password=PASSWORD)


async def _cypher(neo4j: CrashingNeo4j, query: str) -> list[dict[str, Any]]:
    async with AsyncGraphDatabase.driver(neo4j.uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = await driver.execute_query(query)
        return [record.data() for record in records]


_GEN = "OPTIONAL MATCH (m:Meta {key: 'data'}) WITH coalesce(m.gen, '') AS gen "
CENSUS = {
    "duplicate_entities": "MATCH (n:Entity) WHERE n.gen = gen "
    "WITH n.id AS id, count(*) AS c WHERE c > 1",
    "duplicate_documents": "MATCH (n:Document) WHERE n.gen = gen "
    "WITH n.id AS id, count(*) AS c WHERE c > 1",
    "duplicate_relations": "MATCH (a:Entity)-[r]->() WHERE a.gen = gen "
    "WITH r.id AS id, count(*) AS c WHERE c > 1",
    "other_generations": "MATCH (n) WHERE (n:Entity OR n:Document) AND n.gen <> gen",
}


async def census(neo4j: CrashingNeo4j) -> dict[str, int]:
    """Signs of a half-written graph: ids held twice, and nodes outside the generation
    ``Meta`` points to (all must be 0)."""
    found = {}
    for name, match in CENSUS.items():
        rows = await _cypher(neo4j, f"{_GEN} {match} RETURN count(*) AS n")
        found[name] = rows[0]["n"]
    return found


CLEAN = {
    "duplicate_entities": 0,
    "duplicate_documents": 0,
    "duplicate_relations": 0,
    "other_generations": 0,
}


async def kill_during(neo4j: CrashingNeo4j, write: Awaitable[None], marker: str) -> None:
    """Start ``write``, wait until Neo4j runs a transaction whose query has ``marker``,
    kill Neo4j, and check the write failed."""
    task = asyncio.ensure_future(write)
    deadline = time.monotonic() + 120
    seen = False
    async with AsyncGraphDatabase.driver(neo4j.uri, auth=("neo4j", PASSWORD)) as driver:
        while not seen and time.monotonic() < deadline:
            assert not task.done(), "the write finished before it could be interrupted"
            records, _, _ = await driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery RETURN collect(currentQuery) AS queries"
            )
            seen = any(marker in (query or "") for query in records[0]["queries"])
            if not seen:
                await asyncio.sleep(0.02)
    assert seen, f"no transaction running {marker!r} within 120 s"
    await asyncio.sleep(0.2)  # well inside the transaction
    assert not task.done(), "the write finished before it could be interrupted"
    await asyncio.to_thread(neo4j.kill)
    with pytest.raises(StoreError):
        await task


def _ordered(dataset: Dataset) -> Dataset:
    return Dataset(
        documents=dict(sorted(dataset.documents.items())),
        entities=dict(sorted(dataset.entities.items())),
        relations=sorted(dataset.relations, key=lambda r: r.id),
    )


async def _restart(neo4j: CrashingNeo4j) -> Neo4jStore:
    await asyncio.to_thread(neo4j.run, "start")
    store = _store(neo4j)
    await store.ping()
    return store


async def test_killed_during_a_load(neo4j: CrashingNeo4j, store: Neo4jStore) -> None:
    before = (await store.data_version(), await store.stats(), await store.dump())
    big = synthesize(events=20000)
    await kill_during(neo4j, store.load(big), "CREATE (n:Entity")
    await store.close()

    restarted = await _restart(neo4j)
    try:
        assert (
            await restarted.data_version(),
            await restarted.stats(),
            await restarted.dump(),
        ) == before
        assert await census(neo4j) == CLEAN

        await restarted.load(big)  # the same load again: exactly the intended graph
        assert await restarted.data_version() == big.version()
        assert await restarted.stats() == big.counts()
        assert _ordered(await restarted.dump()) == _ordered(big)
        assert await census(neo4j) == CLEAN
    finally:
        await restarted.close()


async def test_killed_during_a_curation_write(neo4j: CrashingNeo4j, store: Neo4jStore) -> None:
    version, stats, dataset = await store.data_version(), await store.stats(), await store.dump()
    extra = synthesize(events=5000, seed=7)
    change = ChangeSet(
        documents=tuple(extra.documents.values()),
        entities=tuple(extra.entities.values()),
        relations=tuple(extra.relations),
        remove_relations=(dataset.relations[0].id,),
        base_version=version,
    )
    await kill_during(neo4j, store.apply(change), "MERGE (a)-[r:")
    await store.close()

    restarted = await _restart(neo4j)
    try:
        assert await restarted.data_version() == version
        assert await restarted.stats() == stats
        assert await restarted.dump() == dataset
        assert await census(neo4j) == CLEAN

        await restarted.apply(change)  # the same write again: exactly the intended graph
        intended = apply_to(dataset, change)
        assert await restarted.data_version() == next_version(version, change)
        assert await restarted.stats() == intended.counts()
        assert await restarted.dump() == intended
        assert await census(neo4j) == CLEAN
    finally:
        await restarted.close()
