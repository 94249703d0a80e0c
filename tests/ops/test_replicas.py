"""Two ``timeline serve`` replicas behind a real nginx (Debian's, ``make nginx``), one Neo4j,
all on loopback: a write through one replica is visible through the other at once, both
move their caches to the new version, and killing one replica under a bounded load loses
no acknowledged write while nginx routes around it (docs/operations.md, "Scaling out")."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_server import free_port
from tests.conftest import KEYS, WRITER, neo4j_options
from tests.security.test_curation import ADD_DOCUMENT, DOC, DOCUMENT, QUOTE
from timeline.stores.base import Store

pytestmark = pytest.mark.neo4j
on_neo4j = pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
TIMELINE = Path(sys.executable).with_name("timeline")
CREATE = "mutation($input: EntityInput!) { createEntity(input: $input) { dataVersion } }"
READ = "query($id: ID!) { entity(id: $id) { id } }"
VERSION = "{ dataVersion }"


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        if os.environ.get("TIMELINE_REQUIRE_NGINX") == "1":
            pytest.fail("nginx is required: run 'make nginx'")
        pytest.skip("nginx is not installed: run 'make nginx'")
    return found


def person(n: int | str) -> dict[str, Any]:
    return {
        "id": f"person:replica-{n}",
        "name": f"Replica Person {n}",
        "sources": [{"document": DOC, "quote": QUOTE}],
    }


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args!r} exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{url} not ready after {timeout} s:\n{log.read_text()}")


@contextmanager
def replica(tmp: Path, name: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    options = neo4j_options()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    env.update(
        NEO4J_URI=options["uri"].replace("bolt://", "neo4j://", 1),  # routing, as in production
        NEO4J_USER=options["user"],
        NEO4J_PASSWORD=options["password"],
        TIMELINE_BACKEND="neo4j",
        TIMELINE_API_KEYS=json.dumps(KEYS),
        TIMELINE_RATE_LIMIT="0",
        TIMELINE_CORPUS=str(tmp),
        TIMELINE_AUDIT_LOG=str(tmp / f"{name}-audit.jsonl"),  # each replica's own disk
        TIMELINE_CURATION_DIR=str(tmp / f"{name}-documents"),
        TIMELINE_TRUSTED_PROXIES="127.0.0.1",
    )
    log = tmp / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(TIMELINE), "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/readyz", process, log)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


NGINX_CONF = """
worker_processes 1;
error_log {tmp}/nginx-error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    upstream timeline {{
        server {a} max_fails=1 fail_timeout=10s;
        server {b} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://timeline;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $remote_addr;
            # A replica that refuses connections or fails is skipped; a request already sent
            # (a POST that may have been applied) is not sent twice (nginx's default).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


@contextmanager
def nginx(tmp: Path, upstreams: list[str]) -> Iterator[str]:
    binary = nginx_binary()
    port = free_port()
    conf = tmp / "nginx.conf"
    a, b = (u.removeprefix("http://") for u in upstreams)
    conf.write_text(NGINX_CONF.format(tmp=tmp, a=a, b=b, port=port))
    log = tmp / "nginx.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [binary, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/healthz", process, log, timeout=20)
        yield url
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post(
    url: str, query: str, variables: dict[str, Any] | None = None, **kw: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {WRITER}"}
    return httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, headers=headers, **kw
    )


@on_neo4j
def test_a_write_through_one_replica_is_seen_through_the_other(
    writable_store: Store, tmp_path: Path
) -> None:
    with replica(tmp_path, "a") as (a, _), replica(tmp_path, "b") as (b, _):
        params = {"query": READ, "variables": json.dumps({"id": "person:replica-0"})}
        before = {url: httpx.get(f"{url}/graphql", params=params) for url in (a, b)}
        assert all(r.json() == {"data": {"entity": None}} for r in before.values())
        embeds = {url: httpx.get(f"{url}/timeline.json") for url in (a, b)}
        # The document goes through A, the entity quoting it through B: B checks the quote
        # against the text A's write put in the database.
        assert "errors" not in post(a, ADD_DOCUMENT, {"input": DOCUMENT}, timeout=30).json()
        wrote = post(b, CREATE, {"input": person(0)}, timeout=30).json()
        assert "errors" not in wrote, wrote
        version = wrote["data"]["createEntity"]["dataVersion"]
        for url in (a, b):
            now = httpx.get(f"{url}/graphql", params=params)
            assert now.json() == {"data": {"entity": {"id": "person:replica-0"}}}, url
            assert now.headers["etag"] != before[url].headers["etag"]  # the cache moved on
            old = {"If-None-Match": before[url].headers["etag"]}
            assert httpx.get(f"{url}/graphql", params=params, headers=old).status_code == 200
            assert httpx.post(f"{url}/graphql", json={"query": VERSION}).json() == {
                "data": {"dataVersion": version}
            }
            page = httpx.get(
                f"{url}/timeline.json", headers={"If-None-Match": embeds[url].headers["etag"]}
            )
            assert page.status_code == 200 and page.headers["etag"] != embeds[url].headers["etag"]
        # One audit log, in the database: both replicas list both writes.
        audit = "{ auditLog(first: 5) { edges { node { mutation dataVersionAfter } } } }"
        logs = []
        for url in (a, b):
            admin_headers = {"Authorization": f"Bearer {_admin_key()}"}
            answer = httpx.post(f"{url}/graphql", json={"query": audit}, headers=admin_headers)
            logs.append(answer.json()["data"]["auditLog"]["edges"][:2])
        assert logs[0] == logs[1]
        assert [e["node"]["mutation"] for e in logs[0]] == ["createEntity", "addDocument"]


def _admin_key() -> str:
    from tests.conftest import ADMIN

    return ADMIN


@on_neo4j
def test_killing_a_replica_under_load_loses_no_acknowledged_write(
    writable_store: Store, tmp_path: Path
) -> None:
    with (
        replica(tmp_path, "a") as (a, victim),
        replica(tmp_path, "b") as (b, _),
        nginx(tmp_path, [a, b]) as proxy,
    ):
        assert "errors" not in post(proxy, ADD_DOCUMENT, {"input": DOCUMENT}, timeout=30).json()
        acknowledged: list[str] = []
        failed: list[str] = []
        reads = {"ok": 0, "failed": 0}
        stop = threading.Event()

        def reader() -> None:
            with httpx.Client(timeout=10) as http:
                while not stop.is_set():
                    try:
                        ok = (
                            http.get(f"{proxy}/graphql", params={"query": VERSION}).status_code
                            == 200
                        )
                    except httpx.TransportError:
                        ok = False
                    reads["ok" if ok else "failed"] += 1
                    time.sleep(0.01)  # bounded: about 100 requests/s per reader

        readers = [threading.Thread(target=reader) for _ in range(2)]
        for thread in readers:
            thread.start()
        try:
            with httpx.Client(timeout=30) as http:
                for n in range(40):
                    if n == 15:
                        os.killpg(victim.pid, signal.SIGKILL)  # mid-load, no warning
                    entity = person(n)
                    try:
                        answer = http.post(
                            f"{proxy}/graphql",
                            json={"query": CREATE, "variables": {"input": entity}},
                            headers={"Authorization": f"Bearer {WRITER}"},
                        )
                        body = answer.json() if answer.status_code == 200 else {}
                    except (httpx.TransportError, ValueError):
                        body = {}
                    if body.get("data") and not body.get("errors"):
                        acknowledged.append(entity["id"])
                    else:
                        failed.append(entity["id"])
        finally:
            stop.set()
            for thread in readers:
                thread.join()
        victim.wait(timeout=10)
        # nginx routed around the dead replica: at most the writes in flight at the kill failed.
        assert len(failed) <= 2, failed
        assert len(acknowledged) >= 38
        assert reads["ok"] > 50 and reads["failed"] <= 5, reads
        # Every acknowledged write is there, through the proxy and through the survivor.
        for entity_id in acknowledged:
            for url in (proxy, b):
                got = httpx.post(
                    f"{url}/graphql", json={"query": READ, "variables": {"id": entity_id}}
                ).json()
                assert got == {"data": {"entity": {"id": entity_id}}}, (url, entity_id)
