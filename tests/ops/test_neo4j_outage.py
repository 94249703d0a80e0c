"""Neo4j goes down while the service runs, then comes back: the service reports it and
recovers by itself.

The test runs its own Neo4j (the project's launcher, on a free port with a data folder
of its own), so stopping it cannot disturb the shared instance other tests use.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, GraphQLClient, client_for
from tests.fixtures import mini_dataset
from timeline.stores.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

LAUNCHER = ROOT / "graph" / "neo4j.sh"
PASSWORD = "outage-test-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateNeo4j:
    """A Neo4j of the test's own, driven through graph/neo4j.sh."""

    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "NEO4J_HOME_DIR": str(home),
            "NEO4J_BOLT_PORT": str(self.port),
            "NEO4J_PASSWORD": PASSWORD,
            "NEO4J_HEAP": "512m",
        }

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def run(self, command: str) -> None:
        result = subprocess.run(
            [str(LAUNCHER), command], env=self.env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def private_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    if shutil.which("java") is None and os.environ.get("TIMELINE_REQUIRE_NEO4J") != "1":
        pytest.skip("no Java here to run a private Neo4j")
    neo4j = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-outage"))
    neo4j.run("start")
    try:
        yield neo4j
    finally:
        neo4j.run("stop")


@pytest.fixture
async def store(private_neo4j: PrivateNeo4j) -> AsyncIterator[Neo4jStore]:
    store = Neo4jStore(uri=private_neo4j.uri, user="neo4j", password=PASSWORD)
    await store.migrate()
    await store.load(mini_dataset())
    yield store
    await store.close()


QUERY = '{ event(id: "event:panama-ministerial-2022") { name participants { entity { id } } } }'
OTHER = '{ entity(id: "country:pa") { name } }'


async def test_outage_is_reported_and_the_service_recovers_without_restart(
    private_neo4j: PrivateNeo4j, store: Neo4jStore
) -> None:
    async with client_for(store) as http:
        graphql = GraphQLClient(http)
        assert (await http.get("/readyz")).status_code == 200
        before = await graphql.data(QUERY)
        assert before["event"]["name"] == "Ministerial Conference on Migration and Protection"
        feed = await http.get("/timeline.json?involving=country:pa")
        assert feed.status_code == 200

        await asyncio.to_thread(private_neo4j.run, "stop")
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        # What the service holds for the last data version is served stale, marked
        # (stale-if-error, docs/api.md); what it does not hold answers UNAVAILABLE.
        stale = await http.post("/graphql", json={"query": QUERY})
        assert stale.json() == {"data": before}
        assert stale.headers["x-timeline-stale"] == "store-unavailable"
        held = await http.get("/timeline.json?involving=country:pa")
        assert held.status_code == 200 and held.content == feed.content
        assert held.headers["x-timeline-stale"] == "store-unavailable"
        error = await graphql.error(OTHER)
        assert error["extensions"]["code"] == "UNAVAILABLE"
        page = await http.get("/timeline.json?involving=country:us")
        assert page.status_code == 503
        assert "Traceback" not in str(error) and str(private_neo4j.port) not in str(error)
        assert (await http.get("/healthz")).status_code == 200  # the process stays up

        await asyncio.to_thread(private_neo4j.run, "start")
        for _ in range(60):  # the same app and store, never restarted
            if (await http.get("/readyz")).status_code == 200:
                break
            await asyncio.sleep(0.5)
        assert (await http.get("/readyz")).status_code == 200
        assert await graphql.data(QUERY) == before
