"""Fixtures for the API tests: an HTTP client on the app, over the `store` fixture's store.

Every test here runs once per backend (the `store` fixture is parametrised by backend),
through real HTTP requests handled by the ASGI app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from timeline.api.app import create_app
from timeline.config import Settings
from timeline.stores.base import Store


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


def client_for(store: Store, settings: Settings | None = None) -> httpx.AsyncClient:
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
