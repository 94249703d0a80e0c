"""Screenshots of the embed and the explorer over the curated seeds, for docs/img/.

    .venv/bin/python -m tests.browser.screenshots [OUTPUT_DIR [FILE ...]]

Serves the seeds from memory on a free 127.0.0.1 port and photographs, with Debian's
Chromium: the embed on a phone (360 x 740) and on a desktop (1200 wide), in light and
dark, in Spanish, and the explorer on an entity page (desktop and a 390-pixel phone).
Needs ``make assets`` (Cytoscape) first. FILEs (``embed-es.png`` ...) limit it to those.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from playwright.async_api import ViewportSize, async_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, make_app, serve, until
from tests.conftest import SEEDS
from timeline.model.seeds import load_seeds
from timeline.stores import open_store

ROOT = Path(__file__).resolve().parents[2]
EMBED = "/embed/timeline?involving=person:antony-blinken&from=2022-01-01&to=2022-12-31"
SHOTS: list[tuple[str, str, ViewportSize, bool, bool]] = [
    # (file, path, viewport, full page, dark)
    ("embed-phone.png", EMBED, {"width": 360, "height": 740}, False, False),
    ("embed-desktop.png", EMBED, {"width": 1200, "height": 800}, False, False),
    ("embed-dark.png", EMBED + "&theme=dark", {"width": 1200, "height": 800}, False, True),
    ("embed-es.png", EMBED + "&locale=es", {"width": 1200, "height": 800}, False, False),
    (
        "explorer-phone.png",
        "/?entity=person:antony-blinken&locale=es",
        {"width": 390, "height": 844},
        False,
        False,
    ),
    (
        "explorer.png",
        "/?entity=person:antony-blinken",
        {"width": 1360, "height": 1000},
        False,
        False,
    ),
]


async def main(out: Path, only: set[str]) -> None:
    store = open_store("memory")
    await store.load(load_seeds(SEEDS))
    async with serve(make_app(store)) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, viewport, full_page, dark in SHOTS:
            if only and name not in only:
                continue
            context = await browser.new_context(
                viewport=viewport,
                device_scale_factor=2 if viewport["width"] < 500 else 1,
                color_scheme="dark" if dark else "light",
            )
            page = await context.new_page()
            await page.goto(base + path)
            if "entity=" in path:
                await page.locator("#ex-graph").scroll_into_view_if_needed()
                await until(page, "window.cy && window.cy.nodes().length > 0")
                await page.wait_for_timeout(300)
            else:
                # Show what "one click away" looks like: the first event's sources, open.
                await page.evaluate(
                    "document.querySelector('details.tl-sources').open = true; scrollTo(0, 0)"
                )
            await page.wait_for_timeout(300)
            await page.screenshot(path=str(out / name), full_page=full_page)
            await context.close()
            print(f"wrote {out / name}")
        await browser.close()
    await store.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target, set(sys.argv[2:])))
