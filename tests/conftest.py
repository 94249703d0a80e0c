"""Shared fixtures: stores for every backend, loaded with the fixture graph, and an HTTP
client on the app over them (``http``, ``gql``: real requests handled by the ASGI app).

The memory store always runs. The Neo4j store runs when a Neo4j answers at NEO4J_URI
(``make test`` starts one with ``graph/neo4j.sh``); with TIMELINE_REQUIRE_NEO4J=1 (as
``make test`` sets) a missing Neo4j fails the run instead of skipping its tests.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import timeline
from tests.fixtures import mini_dataset
from timeline.api.app import create_app
from timeline.api.auth import hash_key, new_key
from timeline.config import Settings
from timeline.model.records import Dataset
from timeline.model.seeds import load_seeds
from timeline.services.export import write_seed_folder
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
async def memory() -> Store:
    """A memory store of its own holding the fixture graph (for tests of one backend)."""
    store = open_store("memory")
    await store.load(mini_dataset())
    return store


@pytest.fixture
async def writable_store(loaded: _Loaded) -> AsyncIterator[Store]:
    """A store holding the fixture graph that the test may change."""
    store = await loaded.holding("mini")
    yield store
    loaded.current = None


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[timeline.Graph]:
    """The Python API's graph (``timeline.open``) over the fixture graph's seed files."""
    folder = write_seed_folder(mini_dataset(), tmp_path_factory.mktemp("seeds"))
    with timeline.open(folder) as opened:
        yield opened


# --- the app over HTTP ---------------------------------------------------------------------


class GraphQLClient:
    """POSTs GraphQL requests and returns the decoded answer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = await self.http.post("/graphql", json=body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a request that must succeed."""
        answer = await self.post(query, variables)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The one error of a request that must fail."""
        answer = await self.post(query, variables)
        assert len(answer.get("errors") or []) == 1, answer
        error: dict[str, Any] = answer["errors"][0]
        return error


def client_for(store: Store | None, settings: Settings | None = None) -> httpx.AsyncClient:
    """An HTTP client on the app over ``store`` (None: the store the settings open)."""
    app = create_app(settings or Settings(), store=store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def http(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(store) as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)


TINY_TEXT = "The Panama ministerial met in Panama City on 20 April 2022. Panama hosted it."
TINY_SEEDS = """
documents:
  - id: document:tiny
    title: A tiny text
    published: 2022-04-20
    language: en
    file: tiny.txt
countries:
  - id: country:pa
    name: Panama
    code: PA
    source: {doc: document:tiny, quote: "Panama hosted it."}
events:
  - id: event:tiny-ministerial-2022
    name: The Panama ministerial
    category: ministerial
    date: 2022-04-20
    source: {doc: document:tiny, quote: "The Panama ministerial met in Panama City"}
relations:
  - from: country:pa
    type: HOSTED
    to: event:tiny-ministerial-2022
    role: host
    source: {doc: document:tiny, quote: "Panama hosted it."}
"""


@pytest.fixture
def tiny_seeds(tmp_path: Path) -> tuple[Path, Path]:
    """A valid seed folder (one country, one event, one relation) and its corpus."""
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    seeds.mkdir()
    corpus.mkdir()
    (corpus / "tiny.txt").write_text(TINY_TEXT, encoding="utf-8")
    (seeds / "tiny.yaml").write_text(TINY_SEEDS, encoding="utf-8")
    return seeds, corpus


# --- curation over HTTP, with API keys ------------------------------------------------------

WRITER, READER, ADMIN = new_key(), new_key(), new_key()
KEYS = [
    {"name": "curator", "hash": hash_key(WRITER), "scopes": ["write"]},
    {"name": "reader", "hash": hash_key(READER), "scopes": ["read"]},
    {"name": "auditor", "hash": hash_key(ADMIN), "scopes": ["admin"]},
]


@dataclass
class Curation:
    """An app over the test's store, with keys, a curation folder and an audit log."""

    http: httpx.AsyncClient
    store: Store
    settings: Settings

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = WRITER
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        response = await self.http.post("/graphql", json=body, headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        assert "Traceback" not in response.text
        return answer

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        answer = await self.post(query, variables, **kw)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        answer = await self.post(query, variables, **kw)
        assert len(answer.get("errors") or []) == 1, answer
        return answer["errors"][0]

    def audit(self) -> list[dict[str, Any]]:
        path = self.settings.audit_log
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    return Settings(
        api_keys=json.dumps(KEYS),
        curation_dir=tmp_path / "documents",
        audit_log=tmp_path / "audit.jsonl",
        corpus=corpus,
        rate_limit=0,
        **extra,
    )


@pytest.fixture
async def curation(writable_store: Store, tmp_path: Path) -> AsyncIterator[Curation]:
    settings = settings_for(tmp_path)
    async with client_for(writable_store, settings) as http:
        yield Curation(http, writable_store, settings)


async def snapshot(store: Store) -> tuple[str, Dataset]:
    return await store.data_version(), sorted_dataset(await store.dump())


def sorted_dataset(dataset: Dataset) -> Dataset:
    return Dataset(
        documents=dict(sorted(dataset.documents.items())),
        entities=dict(sorted(dataset.entities.items())),
        relations=sorted(dataset.relations, key=lambda r: r.id),
    )
