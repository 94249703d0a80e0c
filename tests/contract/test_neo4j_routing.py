"""Neo4j routing: ``neo4j://`` URIs, reads as read transactions, writes as write
transactions, and a curator's read after their write through another replica (the write's
bookmark handed back and honoured). Against the local Community server, which routes to
itself."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import KEYS, WRITER, _Loaded, client_for, neo4j_options
from tests.security.test_curation import ADD_DOCUMENT, CREATE, DOCUMENT, EVENT
from timeline.config import Settings
from timeline.stores import consistency
from timeline.stores.base import Store, StoreError
from timeline.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j
on_neo4j = pytest.mark.parametrize("backend", ["neo4j"], indirect=True)


def routing_store() -> Neo4jStore:
    options = neo4j_options()
    uri = options["uri"].replace("bolt://", "neo4j://", 1)
    return Neo4jStore(**{**options, "uri": uri})


@pytest.fixture
async def replica() -> AsyncIterator[Neo4jStore]:
    store = routing_store()
    await store.ping()
    yield store
    await store.close()


@on_neo4j
async def test_reads_run_in_read_transactions(loaded: _Loaded, replica: Neo4jStore) -> None:
    await loaded.holding("mini")
    assert (await replica.stats())["event"] > 0
    # A read transaction refuses to write: what the store reads through cannot write.
    with pytest.raises(StoreError, match=r"(?i)read"):
        await replica._rows("CREATE (:Scratch {at: 1})")
    await replica._rows("MATCH (n:Scratch) DELETE n", write=True)


@on_neo4j
async def test_a_write_hands_back_its_bookmark(writable_store: Store, replica: Neo4jStore) -> None:
    box: list[str] = []
    token = consistency.written.set(box)
    try:
        version = await replica.data_version()
        from tests.contract.test_store_writes import NEW_PERSON
        from timeline.model.changes import ChangeSet

        await replica.apply(ChangeSet(entities=(NEW_PERSON,), base_version=version))
    finally:
        consistency.written.reset(token)
    assert box and all(b.startswith("FB:") for b in box)


def _settings(tmp: Any) -> Settings:
    return Settings(
        api_keys=json.dumps(KEYS),
        rate_limit=0,
        audit_log=tmp / "audit.jsonl",
        curation_dir=tmp / "documents",
        corpus=tmp,
    )


@on_neo4j
async def test_read_your_write_through_another_replica(
    writable_store: Store, tmp_path: Any
) -> None:
    first, second = routing_store(), routing_store()  # two drivers: two replicas
    headers = {"Authorization": f"Bearer {WRITER}"}
    try:
        async with (
            client_for(first, _settings(tmp_path)) as one,
            client_for(second, _settings(tmp_path)) as two,
        ):
            await one.post(
                "/graphql",
                json={"query": ADD_DOCUMENT, "variables": {"input": DOCUMENT}},
                headers=headers,
            )
            wrote = await one.post(
                "/graphql", json={"query": CREATE, "variables": {"input": EVENT}}, headers=headers
            )
            assert "errors" not in wrote.json(), wrote.json()
            bookmark = wrote.headers["x-timeline-bookmark"]
            assert bookmark.startswith("FB:")
            read = await two.get(
                "/graphql",
                params={"query": f'{{ entity(id: "{EVENT["id"]}") {{ id }} }}'},
                headers={"X-Timeline-Bookmark": bookmark},
            )
            assert read.json() == {"data": {"entity": {"id": EVENT["id"]}}}
            # Reads hand back no bookmark.
            assert "x-timeline-bookmark" not in read.headers
    finally:
        await first.close()
        await second.close()
