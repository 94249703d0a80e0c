"""axe-core (npm, `make assets`) in Chromium over every page a reader sees: the embed, the
explorer's home, an entity, a path and an open search, in both themes and every language.
No violation of serious or critical impact, and headings in order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import STATIC_VENDOR, VENDOR, need_vendor, until
from timeline.api.formatting import LOCALES

AXE = VENDOR / "axe-core" / "axe.min.js"
RUN = """axe.run(document, {resultTypes: ['violations']}).then((result) =>
  result.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact) || v.id === 'heading-order')
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) =>
      n.target.join(' ') + ' :: ' + n.failureSummary)})))"""


async def violations(page: Any) -> list[dict[str, Any]]:
    # evaluated over the debugger protocol: the pages' CSP (script-src 'self') would refuse
    # an injected <script>, rightly.
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = await page.evaluate(RUN)
    return found


async def explorer_ready(page: Any) -> None:
    await until(page, "document.querySelector('#ex-view h1') !== null")
    await until(page, "!document.querySelector('#ex-view .ex-loading')")


@pytest.mark.parametrize("locale", sorted(LOCALES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_no_serious_violations(live: str, browser: Any, locale: str, scheme: str) -> None:
    need_vendor(AXE)
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    context = await browser.new_context(
        viewport={"width": 1200, "height": 900}, color_scheme=scheme, locale=locale
    )
    try:
        page = await context.new_page()
        found: dict[str, list[dict[str, Any]]] = {}
        theme = "dark" if scheme == "dark" else "light"
        await page.goto(f"{live}/embed/timeline?involving=person:antony-blinken&theme={theme}"
                        f"&locale={locale}")  # fmt: skip
        await page.locator("summary").first.click()  # sources open too
        found["embed"] = await violations(page)
        await page.goto(f"{live}/embed/timeline?involving=country:mx&theme=auto&locale={locale}")
        found["embed auto"] = await violations(page)

        await page.goto(f"{live}/?locale={locale}")
        await explorer_ready(page)
        found["home"] = await violations(page)
        await page.locator("#ex-search").press_sequentially("Panama")
        await page.locator("#ex-search-list [role=option]").first.wait_for()
        found["search"] = await violations(page)

        await page.goto(f"{live}/?entity=person:antony-blinken")
        await explorer_ready(page)
        await page.locator(".ex-section").first.wait_for()
        found["entity"] = await violations(page)

        await page.goto(f"{live}/?path=person:antony-blinken,country:mx")
        await explorer_ready(page)
        found["path"] = await violations(page)

        await page.goto(f"{live}/embed/timeline?theme=pink&locale={locale}")  # an error page
        found["error"] = await violations(page)
        problems = {name: v for name, v in found.items() if v}
        assert not problems, problems
    finally:
        await context.close()
