"""The explorer on a 390-pixel phone (each backend): the relationship graph is drawn when
the reader asks for it, and then names only the entity and its best-connected neighbours,
without labels overlapping or leaving the card; the graph viewer is loaded only when a
graph is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import STATIC_VENDOR, need_vendor, open_page, until

LABELS = """(() => {
  const box = document.getElementById('ex-graph').getBoundingClientRect();
  const named = window.cy.nodes().filter((n) => n.data('named') === 1);
  const boxes = named.map((n) => {
    const b = n.renderedBoundingBox({includeLabels: true, includeOverlays: false});
    return {id: n.id(), x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2};
  });
  return {width: box.width, height: box.height, all: window.cy.nodes().length, boxes};
})()"""


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


async def test_graph_is_readable_at_390_px(live: str, browser: Any, tmp_path: Path) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    watched = await open_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = watched.page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    try:
        await page.goto(f"{live}/?entity=person:antony-blinken")
        await until(page, "document.querySelector('#ex-view h1')?.textContent.length > 0")
        graph = page.locator("#ex-graph")
        show = page.get_by_role("button", name="Show the graph")
        await show.scroll_into_view_if_needed()
        assert await graph.is_hidden()
        assert not any("cytoscape" in url for url in scripts)  # nothing loaded until asked
        await show.click()
        await until(page, "window.cy && window.cy.nodes().length > 0")
        assert any("cytoscape" in url for url in scripts)
        found = await page.evaluate(LABELS)
        boxes = found["boxes"]
        assert 2 <= len(boxes) <= 7  # the entity and a few neighbours, never all of a crowd
        for i, a in enumerate(boxes):
            assert a["x1"] >= -1 and a["x2"] <= found["width"] + 1, a  # inside the card
            assert a["y1"] >= -1 and a["y2"] <= found["height"] + 1, a
            for b in boxes[i + 1 :]:
                assert not overlap(a, b), (a, b)
        await graph.screenshot(path=str(tmp_path / "graph-390.png"))
        # a tap names an unnamed node, a second opens it
        unnamed = await page.evaluate(
            "window.cy.nodes().filter((n) => n.data('named') === 0).map((n) => n.id())"
        )
        if unnamed:
            await page.evaluate(f"window.cy.getElementById({unnamed[0]!r}).emit('tap')")
            assert await page.evaluate(f"window.cy.getElementById({unnamed[0]!r}).selected()")
        watched.assert_clean()
    finally:
        await watched.context.close()


async def test_graph_viewer_is_not_loaded_before_it_is_needed(live: str, browser: Any) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    watched = await open_page(browser, viewport={"width": 1200, "height": 900})
    page = watched.page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    try:
        await page.goto(f"{live}/")  # the home page has no graph
        await until(page, "document.querySelector('#ex-view h1') !== null")
        await page.wait_for_load_state("networkidle")
        assert not any("cytoscape" in url for url in scripts)
        watched.assert_clean()
    finally:
        await watched.context.close()


#: The byte budget of a first view (every response's bytes on the wire, compressed as
#: served; the graph viewer, loaded only when a graph is shown, not included): docs/embeds.md.
BUDGET = {"embed": 40 * 1024, "home": 60 * 1024, "entity": 60 * 1024}
SIZE = """(() => performance.getEntriesByType('navigation').concat(
  performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize ||
  e.encodedBodySize || 0), 0))()"""


async def test_first_views_keep_to_the_byte_budget(live: str, browser: Any) -> None:
    watched = await open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = watched.page
    try:
        for name, path in (
            ("embed", "/embed/timeline?involving=person:antony-blinken"),
            ("home", "/"),
            ("entity", "/?entity=person:antony-blinken"),
        ):
            await page.goto(f"{live}{path}", wait_until="networkidle")
            size = await page.evaluate(SIZE)
            assert 0 < size <= BUDGET[name], (name, size)
        watched.assert_clean()
    finally:
        await watched.context.close()
