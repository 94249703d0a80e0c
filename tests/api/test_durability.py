"""The memory backend keeps what it acknowledged: real ``timeline serve`` processes, killed
with SIGKILL, restarted, and run with two workers (docs/operations.md, "Durable writes")."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.test_server import free_port
from timeline.api.auth import hash_key

TIMELINE = Path(sys.executable).with_name("timeline")
WRITER = "tl_durability-writer-key-0123456789"
ADMIN = "tl_durability-admin-key-0123456789"
KEYS = [
    {"name": "curator", "hash": hash_key(WRITER), "scopes": ["read", "write"]},
    {"name": "auditor", "hash": hash_key(ADMIN), "scopes": ["admin"]},
]
CREATE = """mutation($input: EntityInput!) { createEntity(input: $input) { dataVersion } }"""
ADD_DOCUMENT = """mutation($input: DocumentInput!) { addDocument(input: $input) { dataVersion } }"""
READ = """query($id: ID!) { entity(id: $id) { id name sources { quote } } dataVersion }"""
AUDIT = "{ auditLog(first: 50) { totalCount edges { node { mutation outcome } } } }"


def person(
    slug: str, quote: str = "Panama hosted it.", doc: str = "document:tiny"
) -> dict[str, Any]:
    return {
        "id": f"person:{slug}",
        "name": slug.replace("-", " ").title(),
        "sources": [{"document": doc, "quote": quote}],
    }


class Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def post(self, query: str, variables: dict[str, Any] | None = None, key: str = WRITER) -> Any:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {key}"},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None, key: str = WRITER) -> Any:
        answer = self.post(query, variables, key)
        assert "errors" not in answer, answer
        return answer["data"]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def serving(seeds: Path, corpus: Path, tmp: Path, *extra: str) -> Iterator[Server]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    env.update(
        TIMELINE_API_KEYS=json.dumps(KEYS),
        TIMELINE_RATE_LIMIT="0",
        TIMELINE_AUDIT_LOG=str(tmp / "audit.jsonl"),
        TIMELINE_CURATION_DIR=str(tmp / "documents"),
        # Answers are not cached, so every read reaches the store (and the journal check).
        TIMELINE_RESPONSE_CACHE_SIZE="0",
    )
    log = tmp / f"serve-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(TIMELINE),
                "serve",
                "--port",
                str(port),
                "--seeds",
                str(seeds),
                "--corpus",
                str(corpus),
                *extra,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    server = Server(process, url, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"timeline serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"timeline serve not ready in 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: workers too
            process.wait(timeout=10)


def test_an_acknowledged_write_survives_kill_9(
    tiny_seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    seeds, corpus = tiny_seeds
    text = "Alice Example spoke for the delegation in Panama City."
    with serving(seeds, corpus, tmp_path) as server:
        doc = {"id": "document:alice-note", "title": "A note", "text": text}
        server.data(ADD_DOCUMENT, {"input": doc})
        answered = server.data(CREATE, {"input": person("alice-example")})["createEntity"]
        version = answered["dataVersion"]
        # A quote of the curated document: its text is in the journal too.
        quoted = person("bob-example", "spoke for the delegation", "document:alice-note")
        version = server.data(CREATE, {"input": quoted})["createEntity"]["dataVersion"]
        os.killpg(server.process.pid, signal.SIGKILL)  # no shutdown of any kind
        server.process.wait(timeout=10)
    journal = seeds / ".journal.jsonl"
    assert len(journal.read_text().splitlines()) == 3
    with serving(seeds, corpus, tmp_path) as again:
        read = again.data(READ, {"id": "person:alice-example"})
        assert read["entity"]["name"] == "Alice Example"
        assert again.data(READ, {"id": "person:bob-example"})["entity"]["sources"] == [
            {"quote": "spoke for the delegation"}
        ]
        assert read["dataVersion"] == version  # the same version as before the crash
        # The curated text is still there to check new quotes against.
        later = person("carol-example", "Alice Example spoke", "document:alice-note")
        again.data(CREATE, {"input": later})
        bad = again.post(
            CREATE, {"input": person("dan-example", "not in it", "document:alice-note")}
        )
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        log = again.data(AUDIT, key=ADMIN)["auditLog"]
        assert log["totalCount"] == 4
        assert [e["node"]["mutation"] for e in log["edges"]] == [
            "createEntity",
            "createEntity",
            "createEntity",
            "addDocument",
        ]
    # The JSON Lines export of the store's log, oldest first.
    command = [str(TIMELINE), "audit", "--backend", "memory", "--seeds", str(seeds)]
    exported = subprocess.run(
        [*command, "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")},
    )
    entries = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [e["mutation"] for e in entries] == ["addDocument"] + ["createEntity"] * 3
    assert [e["seq"] for e in entries] == [0, 1, 2, 3]


def test_a_torn_last_line_loses_no_earlier_write(
    tiny_seeds: tuple[Path, Path], tmp_path: Path
) -> None:
    seeds, corpus = tiny_seeds
    with serving(seeds, corpus, tmp_path) as server:
        server.data(CREATE, {"input": person("alice-example")})
        server.data(CREATE, {"input": person("bob-example")})
    journal = seeds / ".journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    # A crash in the middle of a third write: half of a line, no newline.
    journal.write_bytes(b"".join(lines) + lines[-1][: len(lines[-1]) // 2])
    with serving(seeds, corpus, tmp_path) as again:
        assert again.data(READ, {"id": "person:alice-example"})["entity"] is not None
        assert again.data(READ, {"id": "person:bob-example"})["entity"] is not None
        # The next write ends the torn line first; then everything replays again.
        again.data(CREATE, {"input": person("carol-example")})
        log = again.log.read_text()
        assert "the last line" in log and "incomplete" in log
    with serving(seeds, corpus, tmp_path) as third:
        for slug in ("alice-example", "bob-example", "carol-example"):
            assert third.data(READ, {"id": f"person:{slug}"})["entity"] is not None, slug
        assert "is not a journal entry" in third.log.read_text()


def test_two_workers_see_every_write(tiny_seeds: tuple[Path, Path], tmp_path: Path) -> None:
    seeds, corpus = tiny_seeds
    extra = ("--workers", "2", "--setting", "log_level", "debug")
    with serving(seeds, corpus, tmp_path, *extra) as server:
        # Each request opens a new connection: the kernel spreads them over both workers.
        for n in range(12):
            slug = f"person-{n}"
            written = server.data(CREATE, {"input": person(slug)})["createEntity"]["dataVersion"]
            for _ in range(4):  # whichever worker answers, it has the write
                response = httpx.post(
                    f"{server.url}/graphql",
                    json={"query": READ, "variables": {"id": f"person:{slug}"}},
                    headers={"Connection": "close"},
                    timeout=20,
                )
                answer = response.json()["data"]
                assert answer["entity"] is not None, (slug, answer)
                assert answer["dataVersion"] == written
        log = server.data(AUDIT, key=ADMIN)["auditLog"]
        assert log["totalCount"] == 12
        # The reads crossed workers: a worker answered with writes the other one made.
        assert re.search(r"made by another process \(pid \d+\)", server.log.read_text())
