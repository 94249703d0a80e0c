"""The HTTP surface: GraphQL over GET and POST, GraphiQL, health, CORS, gzip and lifespan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import client_for
from timeline.api.app import create_app
from timeline.config import Settings
from timeline.model.seeds import SeedError
from timeline.stores.base import Store, StoreUnavailable


async def test_post_and_get_queries(http: httpx.AsyncClient) -> None:
    query = "query($id: ID!) { event(id: $id) { name } }"
    variables = {"id": "event:panama-press-2022"}
    expected = {"data": {"event": {"name": "Joint press availability"}}}
    posted = await http.post("/graphql", json={"query": query, "variables": variables})
    assert posted.status_code == 200 and posted.json() == expected
    assert posted.headers["content-type"].startswith("application/json")
    got = await http.get(
        "/graphql", params={"query": query, "variables": '{"id": "event:panama-press-2022"}'}
    )
    assert got.status_code == 200 and got.json() == expected


async def test_graphiql_in_a_browser(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_healthz(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz(http: httpx.AsyncClient, store: Store) -> None:
    response = await http.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "backend": store.name}


class DownStore:
    """A store whose database is unreachable."""

    name = "down"

    def __init__(self, inner: Store) -> None:
        self.inner = inner

    async def ping(self) -> None:
        raise StoreUnavailable("cannot reach the database at bolt://127.0.0.1:1")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_readyz_when_the_store_is_down(store: Store) -> None:
    async with client_for(DownStore(store)) as http:
        response = await http.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "reason": "cannot reach the database at bolt://127.0.0.1:1",
        }
        assert (await http.get("/healthz")).status_code == 200


async def test_cors(store: Store) -> None:
    settings = Settings(cors_origins=["https://timeline.example"])
    async with client_for(store, settings) as http:
        preflight = await http.options(
            "/graphql",
            headers={
                "origin": "https://timeline.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://timeline.example"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        allowed = await http.post(
            "/graphql",
            json={"query": "{ dataVersion }"},
            headers={"origin": "https://timeline.example"},
        )
        assert allowed.headers["access-control-allow-origin"] == "https://timeline.example"
        other = await http.post(
            "/graphql",
            json={"query": "{ dataVersion }"},
            headers={"origin": "https://evil.example"},
        )
        assert "access-control-allow-origin" not in other.headers


async def test_cors_default_allows_any_origin(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ dataVersion }"}, headers={"origin": "https://a.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"


async def test_large_responses_are_gzipped(http: httpx.AsyncClient) -> None:
    query = "{ timeline(first: 100) { edges { node { id name description } } } }"
    response = await http.post(
        "/graphql", json={"query": query}, headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["data"]["timeline"]["edges"]) == 33
    small = await http.post(
        "/graphql", json={"query": "{ dataVersion }"}, headers={"accept-encoding": "gzip"}
    )
    assert "content-encoding" not in small.headers


@pytest.mark.parametrize("backend_name", ["memory"])
async def test_lifespan_loads_the_seed_folder(
    tiny_seeds: tuple[Path, Path], backend_name: str
) -> None:
    seeds, corpus = tiny_seeds
    app = create_app(Settings(backend=backend_name, seeds=seeds, corpus=corpus))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        before = await http.get("/readyz")
        assert before.status_code == 503 and before.json()["reason"] == "the store is not open"
        refused = await http.post("/graphql", json={"query": "{ dataVersion }"})
        assert refused.status_code == 503
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        async with app.router.lifespan_context(app):
            assert (await http.get("/readyz")).json() == {"status": "ready", "backend": "memory"}
            response = await http.post(
                "/graphql",
                json={"query": "{ timeline { edges { node { id participants { role } } } } }"},
            )
            assert response.json() == {
                "data": {
                    "timeline": {
                        "edges": [
                            {
                                "node": {
                                    "id": "event:tiny-ministerial-2022",
                                    "participants": [{"role": "host"}],
                                }
                            }
                        ]
                    }
                }
            }
        assert (await http.get("/readyz")).status_code == 503


@pytest.mark.parametrize("backend_name", ["memory"])
async def test_start_up_fails_on_invalid_seeds(tmp_path: Path, backend_name: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.yaml").write_text("events:\n  - id: event:x\n", encoding="utf-8")
    app = create_app(Settings(backend=backend_name, seeds=seeds, corpus=tmp_path))
    with pytest.raises(SeedError, match="problem"):
        async with app.router.lifespan_context(app):
            pass


async def test_neo4j_down_does_not_stop_start_up() -> None:
    # Nothing listens on port 1: the app starts, stays alive, and is not ready.
    app = create_app(Settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1"))
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
        app.router.lifespan_context(app),
    ):
        assert (await http.get("/healthz")).status_code == 200
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable" and ready.json()["reason"]
        answer = await http.post("/graphql", json={"query": "{ dataVersion }"})
        assert answer.status_code == 200
        (error,) = answer.json()["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "127.0.0.1:1" not in answer.text
