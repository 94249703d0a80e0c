"""A real server: `timeline serve` in a subprocess, queried over a socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

TIMELINE = Path(sys.executable).with_name("timeline")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tiny_seeds: tuple[Path, Path]) -> Iterator[str]:
    with serving(tiny_seeds) as url:
        yield url


@contextmanager
def serving(tiny_seeds: tuple[Path, Path], *extra: str) -> Iterator[str]:
    """``timeline serve`` on the tiny seeds and a free port, with extra arguments."""
    seeds, corpus = tiny_seeds
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")}
    process = subprocess.Popen(
        [
            str(TIMELINE),
            "serve",
            "--backend",
            "memory",
            "--port",
            str(port),
            "--seeds",
            str(seeds),
            "--corpus",
            str(corpus),
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # two workers importing on a loaded 2-core machine
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"timeline serve exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("timeline serve did not become ready in 120 s")
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.mark.parametrize("backend_name", ["memory"])
def test_real_server_answers_over_a_socket(server: str, backend_name: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        assert http.get("/readyz").json() == {"status": "ready", "backend": backend_name}
        posted = http.post(
            "/graphql",
            json={
                "query": '{ event(id: "event:tiny-ministerial-2022") { name date { display } '
                "participants { role entity { ... on Country { code } } } } }"
            },
        )
        assert posted.status_code == 200
        assert posted.json() == {
            "data": {
                "event": {
                    "name": "The Panama ministerial",
                    "date": {"display": "20 April 2022"},
                    "participants": [{"role": "host", "entity": {"code": "PA"}}],
                }
            }
        }
        got = http.get(
            "/graphql", params={"query": '{ search(text: "panamá", first: 1) { node { id } } }'}
        )
        assert got.json() == {"data": {"search": [{"node": {"id": "country:pa"}}]}}
        refused = http.get("/graphql", params={"query": "mutation { x }"})
        assert refused.status_code == 405


def test_settings_from_flags_reach_every_worker(tiny_seeds: tuple[Path, Path]) -> None:
    with (
        serving(tiny_seeds, "--workers", "2", "--setting", "max_page", "5") as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        for _ in range(6):  # requests spread over both worker processes
            answer = http.post("/graphql", json={"query": "{ timeline(first: 6) { totalCount } }"})
            error = answer.json()["errors"][0]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert "5" in error["message"]


def test_unknown_or_invalid_settings_are_refused(tiny_seeds: tuple[Path, Path]) -> None:
    for args, message in [
        (("--setting", "max_pages", "5"), "unknown setting(s): max_pages"),
        (("--setting", "max_page", "many"), "max_page"),
    ]:
        result = subprocess.run(
            [str(TIMELINE), "serve", *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
