"""Large loads on Neo4j: a new generation written in many transactions, then one flip.

The threshold is lowered so that small datasets take the large-load path; the guarantees
are the single-transaction load's: all or nothing, nothing left behind, same answers.
"""

from __future__ import annotations

import dataclasses

import pytest

import timeline.stores.neo4j.load as neo4j_module
from tests.contract.test_neo4j_only import (
    _bad_value_dataset,
    _dangling_dataset,
    cypher,
    graph_counts,
    on_neo4j,
)
from tests.fixtures import mini_dataset
from timeline.services.synth import synthesize
from timeline.stores.base import Store, StoreError, TimelineQuery
from timeline.stores.memory import MemoryStore
from timeline.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


@pytest.fixture
async def batched(writable_store: Store, monkeypatch: pytest.MonkeyPatch) -> Neo4jStore:
    assert isinstance(writable_store, Neo4jStore)
    monkeypatch.setattr(neo4j_module, "SINGLE_TRANSACTION_ROWS", 0)
    monkeypatch.setattr(neo4j_module, "LARGE_BATCH_SIZE", 7)  # many transactions
    return writable_store


async def _generations() -> set[str]:
    rows = await cypher(
        "MATCH (n) WHERE n:Entity OR n:Document RETURN DISTINCT n.gen AS gen "
        "UNION MATCH (l:Load) RETURN l.gen AS gen"
    )
    return {row["gen"] for row in rows}


@on_neo4j
async def test_a_batched_load_replaces_the_graph(batched: Neo4jStore) -> None:
    dataset = synthesize(events=60, seed=3)
    await batched.load(dataset)
    assert await batched.dump() == dataset
    assert await batched.data_version() == dataset.version()
    (meta,) = await cypher("MATCH (m:Meta) RETURN m.gen AS gen")
    assert await _generations() == {meta["gen"]}  # the old generation is gone
    counts = await graph_counts()
    assert counts["entities"] == counts["entity_ids"] == len(dataset.entities)
    assert counts["relations"] == counts["relation_ids"] == len(dataset.relations)
    memory = MemoryStore(dataset)
    some = sorted(dataset.entities)[:15]
    for entity_id in some:
        query = TimelineQuery(involving=(entity_id,), first=5)
        assert await batched.timeline(query) == await memory.timeline(query)
        assert await batched.neighbors(entity_id, depth=2) == await memory.neighbors(
            entity_id, depth=2
        )
    await batched.load(mini_dataset())  # and back to the fixture, still batched
    assert await batched.dump() == mini_dataset()
    assert len(await _generations()) == 1


@pytest.mark.parametrize("broken", [_bad_value_dataset, _dangling_dataset])
@on_neo4j
async def test_a_failed_batched_load_leaves_the_previous_graph(
    batched: Neo4jStore, broken: object
) -> None:
    before = mini_dataset()
    await batched.load(before)
    version, counts, generations = (
        await batched.data_version(),
        await graph_counts(),
        await _generations(),
    )
    assert callable(broken)
    with pytest.raises(StoreError):
        await batched.load(broken())
    assert await batched.data_version() == version
    assert await graph_counts() == counts
    assert await _generations() == generations  # the half-written generation was removed
    assert await batched.dump() == before


@on_neo4j
async def test_readers_never_see_a_half_written_generation(
    batched: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stop a load half-way: until the flip, every read answers from the old graph."""
    before = mini_dataset()
    await batched.load(before)
    seen: list[int] = []
    real = neo4j_module.write_batch

    async def spying(tx: object, cypher_text: str, rows: list[object]) -> object:
        seen.append((await batched.stats())["event"])
        return await real(tx, cypher_text, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(neo4j_module, "write_batch", spying)
    bigger = synthesize(events=40, seed=5)
    bigger = dataclasses.replace(bigger, entities={**bigger.entities, **before.entities})
    await batched.load(dataclasses.replace(bigger, relations=list(bigger.relations)))
    assert seen and set(seen) == {(await MemoryStore(before).stats())["event"]}
