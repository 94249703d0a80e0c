"""HTTP caching: Apollo's automatic persisted queries over GET and POST, trusted documents,
ETag / Cache-Control / 304 on GET answers, and stale answers while the store is down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import client_for
from tests.contract.test_store_writes import NEW_PERSON
from timeline.api.auth import hash_key
from timeline.api.persisted import sha256
from timeline.config import Settings
from timeline.model.changes import ChangeSet
from timeline.stores.base import Store, StoreUnavailable

QUERY = '{ entity(id: "country:pa") { id name } }'
OTHER = "query Count { timeline(first: 1) { totalCount } }"
WRITER = "tl_caching-writer-key-0123456789abc"
KEYS = [{"name": "curator", "hash": hash_key(WRITER), "scopes": ["read", "write"]}]


def apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def settings(**extra: Any) -> Settings:
    return Settings(rate_limit=0, api_keys=json.dumps(KEYS), **extra)


def code(answer: httpx.Response) -> str:
    return str(answer.json()["errors"][0]["extensions"]["code"])


async def test_automatic_persisted_queries_over_post_and_get(store: Store) -> None:
    digest = sha256(QUERY)
    async with client_for(store, settings()) as http:
        unknown = await http.post("/graphql", json={"extensions": apq(digest)})
        assert unknown.status_code == 200
        assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
        assert code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
        registered = await http.post("/graphql", json={"query": QUERY, "extensions": apq(digest)})
        assert registered.json() == {"data": {"entity": {"id": "country:pa", "name": "Panama"}}}
        by_hash = await http.post("/graphql", json={"extensions": apq(digest)})
        assert by_hash.json() == registered.json()
        # GET: the short, cacheable URL a CDN keys on.
        params = {"extensions": json.dumps(apq(digest))}
        got = await http.get("/graphql", params=params)
        assert got.status_code == 200 and got.json() == registered.json()
        etag = got.headers["etag"]
        assert etag.startswith('W/"')
        assert got.headers["cache-control"] == (
            "public, max-age=300, s-maxage=600, stale-while-revalidate=60, stale-if-error=3600"
        )
        again = await http.get("/graphql", params=params, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        # Variables are part of the ETag.
        variables = {"id": "country:pa"}
        with_vars = "query($id: ID!) { entity(id: $id) { id } }"
        await http.post("/graphql", json={"query": with_vars, "extensions": apq(sha256(with_vars))})
        one = await http.get(
            "/graphql",
            params={"extensions": json.dumps(apq(sha256(with_vars))), "variables": "{}"},
        )
        two = await http.get(
            "/graphql",
            params={
                "extensions": json.dumps(apq(sha256(with_vars))),
                "variables": json.dumps(variables),
            },
        )
        assert two.json() == {"data": {"entity": {"id": "country:pa"}}}
        assert "etag" not in one.headers  # an answer with errors is not cacheable
        assert two.headers["etag"] != etag


async def test_a_hash_that_is_not_the_documents_is_refused(store: Store) -> None:
    async with client_for(store, settings()) as http:
        wrong = await http.post("/graphql", json={"query": QUERY, "extensions": apq("0" * 64)})
        assert code(wrong) == "PERSISTED_QUERY_HASH_MISMATCH"
        bad = await http.post("/graphql", json={"extensions": apq("xyz")})
        assert code(bad) == "BAD_REQUEST"


async def test_a_persisted_mutation_is_not_run_over_get(store: Store) -> None:
    mutation = (
        'mutation { createEntity(input: {id: "person:x", name: "X", sources: []}) { dataVersion } }'
    )
    async with client_for(store, settings()) as http:
        headers = {"Authorization": f"Bearer {WRITER}"}
        digest = sha256(mutation)
        await http.post(
            "/graphql", json={"query": mutation, "extensions": apq(digest)}, headers=headers
        )
        got = await http.get(
            "/graphql", params={"extensions": json.dumps(apq(digest))}, headers=headers
        )
        assert got.status_code == 405


async def test_the_etag_moves_with_the_data_version(writable_store: Store) -> None:
    async with client_for(writable_store, settings()) as http:
        first = await http.get("/graphql", params={"query": QUERY})
        etag = first.headers["etag"]
        assert (
            await http.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": etag})
        ).status_code == 304
        await writable_store.apply(ChangeSet(entities=(NEW_PERSON,)))
        after = await http.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag
        # POST answers carry no validators (not cacheable by HTTP caches).
        posted = await http.post("/graphql", json={"query": QUERY})
        assert "etag" not in posted.headers


async def test_trusted_documents_only(store: Store, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha256(QUERY), "body": QUERY, "name": None, "type": "query"}],
            }
        )
    )
    async with client_for(store, settings(trusted_documents=manifest)) as http:
        listed = await http.get("/graphql", params={"extensions": json.dumps(apq(sha256(QUERY)))})
        assert listed.json()["data"]["entity"]["id"] == "country:pa"
        assert "etag" in listed.headers
        as_text = await http.post("/graphql", json={"query": QUERY})
        assert as_text.json()["data"]["entity"]["name"] == "Panama"
        other = await http.post("/graphql", json={"query": OTHER})
        assert code(other) == "QUERY_NOT_IN_SAFELIST"
        unknown = await http.post("/graphql", json={"extensions": apq(sha256(OTHER))})
        assert code(unknown) == "PERSISTED_QUERY_NOT_IN_LIST"
        # No registration in this mode: the hash stays unknown.
        await http.post("/graphql", json={"query": OTHER, "extensions": apq(sha256(OTHER))})
        still = await http.post("/graphql", json={"extensions": apq(sha256(OTHER))})
        assert code(still) == "PERSISTED_QUERY_NOT_IN_LIST"
        # Curators' keys may send any document.
        keyed = await http.post(
            "/graphql", json={"query": OTHER}, headers={"Authorization": f"Bearer {WRITER}"}
        )
        assert "errors" not in keyed.json()


def test_a_manifest_with_a_wrong_id_is_refused(tmp_path: Path) -> None:
    from timeline.api.persisted import load_manifest

    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"0" * 64: QUERY}))
    with pytest.raises(ValueError, match="not the SHA-256"):
        load_manifest(path)
    path.write_text(json.dumps({sha256(QUERY): QUERY}))
    assert load_manifest(path) == {sha256(QUERY): QUERY}


async def test_answers_held_are_served_stale_while_the_store_is_down(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's calls are made to fail as a lost database fails them (the Neo4j outage
    itself is in tests/ops/test_neo4j_outage.py)."""
    embed = "/embed/timeline?involving=country:pa"
    data = "/timeline.json?involving=country:pa"
    async with client_for(store, settings()) as http:
        got = await http.get("/graphql", params={"query": QUERY})
        page = await http.get(embed)
        feed = await http.get(data)
        assert got.status_code == page.status_code == feed.status_code == 200

        async def down(*args: object, **kwargs: object) -> Any:
            raise StoreUnavailable("the database went away")

        inner = getattr(store, "inner", store)
        for name in ("data_version", "timeline", "get_nodes", "relations", "search"):
            monkeypatch.setattr(inner, name, down)
        stale = await http.get("/graphql", params={"query": QUERY})
        assert stale.status_code == 200 and stale.json() == got.json()
        assert stale.headers["x-timeline-stale"] == "store-unavailable"
        assert stale.headers["etag"] == got.headers["etag"]
        for path, before in ((embed, page), (data, feed)):
            held = await http.get(path)
            assert held.status_code == 200, path
            assert held.content == before.content
            assert held.headers["x-timeline-stale"] == "store-unavailable"
            assert "stale-if-error=3600" in held.headers["cache-control"]
        # What is not held answers UNAVAILABLE / 503 as before.
        missing = await http.get("/graphql", params={"query": OTHER})
        assert code(missing) == "UNAVAILABLE"
        assert (await http.get("/embed/timeline?involving=country:us")).status_code == 503
    # Past the window, nothing is served stale.
    async with client_for(store, settings(cache_stale_if_error=0)) as http:
        monkeypatch.undo()
        assert (await http.get("/graphql", params={"query": QUERY})).status_code == 200
        for name in ("data_version", "timeline", "get_nodes", "relations", "search"):
            monkeypatch.setattr(getattr(store, "inner", store), name, down)
        late = await http.get("/graphql", params={"query": QUERY})
        assert code(late) == "UNAVAILABLE"


async def test_an_embed_is_rendered_once_per_data_version(
    writable_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = "/embed/timeline?involving=country:pa"
    async with client_for(writable_store, settings()) as http:
        first = await http.get(embed)
        assert first.status_code == 200
        calls: list[str] = []
        inner = getattr(writable_store, "inner", writable_store)
        original = inner.timeline

        async def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append("timeline")
            return await original(*args, **kwargs)

        monkeypatch.setattr(inner, "timeline", counted)
        again = await http.get(embed)
        assert again.content == first.content and calls == []  # held for this version
        assert "x-timeline-stale" not in again.headers
        await writable_store.apply(ChangeSet(entities=(NEW_PERSON,)))
        moved = await http.get(embed)
        assert moved.status_code == 200 and calls  # a new version: rendered again
        assert moved.headers["etag"] != first.headers["etag"]
