"""Browser tests: a real uvicorn server on 127.0.0.1 and Debian's Chromium, driven by Playwright.

The server runs in the test's own event loop (the session loop the store fixtures use), so
the Neo4j store's async driver serves it as it serves the API tests. Chromium is the system
one (``/usr/bin/chromium``, ``apt-get install chromium``; ``TIMELINE_CHROMIUM`` overrides):
nothing is downloaded. Every page is watched: console errors, uncaught exceptions, dialogs
(``alert``) and requests to anywhere but the test server fail the test.

Without Chromium the tests skip, unless ``TIMELINE_REQUIRE_BROWSER=1`` (then they fail).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from timeline.api.app import create_app
from timeline.config import Settings
from timeline.stores.base import Store

playwright_api = pytest.importorskip("playwright.async_api")

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
VENDOR = HERE / "vendor"
STATIC_VENDOR = HERE.parent.parent / "src" / "timeline" / "api" / "static" / "vendor"
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
HAVE_CHROMIUM = Path(CHROMIUM).is_file()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str) -> None:
    """Skip (or, with TIMELINE_REQUIRE_BROWSER=1, fail) for a missing prerequisite."""
    if os.environ.get("TIMELINE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} (TIMELINE_REQUIRE_BROWSER=1)")
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers (pytest keeps Ctrl-C)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def make_app(store: Store, settings: Settings | None = None) -> Starlette:
    """The service's app, plus test-only files: ``/__tests__`` (tests/browser/site) and
    ``/__vendor__`` (tests/browser/vendor: TimelineJS from npm, never shipped)."""
    app = create_app(settings or Settings(), store=store)
    app.router.routes.insert(0, Mount("/__tests__", StaticFiles(directory=SITE)))
    if VENDOR.is_dir():
        app.router.routes.insert(0, Mount("/__vendor__", StaticFiles(directory=VENDOR)))
    return app


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port; yields its base URL."""
    port = free_port()
    server = _Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.02)
        else:
            raise RuntimeError("uvicorn did not start in 10 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)


@pytest.fixture
async def live(store: Store) -> AsyncIterator[str]:
    """A real server over the fixture graph (each backend)."""
    async with serve(make_app(store)) as url:
        yield url


@pytest.fixture
async def seeded_live(seeded_store: Store) -> AsyncIterator[str]:
    """A real server over the curated seeds (each backend)."""
    async with serve(make_app(seeded_store)) as url:
        yield url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not HAVE_CHROMIUM:
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or make browser)")
    async with playwright_api.async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@dataclass
class Watched:
    """A page and what went wrong on it."""

    page: Any
    context: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.dialogs, f"dialogs opened (script ran!): {self.dialogs}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.foreign, f"requests off the test server: {self.foreign}"


async def open_page(browser: Any, **context_options: Any) -> Watched:
    """A fresh context and page, watched for errors, dialogs and requests elsewhere."""
    context = await browser.new_context(**context_options)
    page = await context.new_page()
    watched = Watched(page=page, context=context)

    async def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def on_console(message: Any) -> None:
        if message.type == "error":
            watched.errors.append(message.text)

    async def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            await route.continue_()
        else:
            watched.foreign.append(url)
            await route.abort()

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    await context.route("**/*", only_local)
    return watched


@pytest.fixture
async def watched(browser: Any) -> AsyncIterator[Watched]:
    """A desktop-sized page (1200 x 900) that fails the test on errors, dialogs or
    requests off the test server."""
    page = await open_page(browser, viewport={"width": 1200, "height": 900})
    yield page
    try:
        page.assert_clean()
    finally:
        await page.context.close()


def need_vendor(path: Path) -> None:
    if not path.exists():
        missing(f"{path} is missing: run src/timeline/api/frontend/build.sh (make assets)")


async def until(page: Any, expression: str, seconds: float = 10.0) -> Any:
    """Poll a JavaScript expression until it is truthy; its value.

    (Playwright's ``wait_for_function`` evaluates a string inside the page, which the
    pages' CSP rightly refuses; ``evaluate`` runs through the debugger protocol.)
    """
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await page.evaluate(expression)
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        await asyncio.sleep(0.05)
