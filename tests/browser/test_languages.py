"""Each page in each language, in Chromium (each backend): the server's words and the words
the scripts add later (plural forms chosen by the browser's CLDR rules) come from the same
catalogue."""

from __future__ import annotations

import pytest

from tests.browser.conftest import STATIC_VENDOR, Watched, need_vendor, until
from timeline.api.formatting import LOCALES, formatter

LANGUAGES = sorted(LOCALES)


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_embed_pages_in_each_language(live: str, watched: Watched, locale: str) -> None:
    fmt = formatter(locale)
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving=country:mx&locale={locale}")
    assert await page.locator("html").get_attribute("lang") == locale
    assert await page.locator(".tl-count").inner_text() == fmt.plural("events.count", 28)
    more = page.get_by_role("button", name=fmt.t("events.more"))
    await more.scroll_into_view_if_needed()  # the script loads the next page
    await until(page, "document.querySelectorAll('article.tl-event').length === 28")
    status = await page.locator(".tl-status").inner_text()
    assert fmt.plural("events.loaded", 8) in status
    footer = await page.locator(".tl-footer").inner_text()
    assert fmt.t("footer.credit") in footer
    assert fmt.t("footer.explorer") in footer
    watched.assert_clean()


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_explorer_in_each_language(live: str, watched: Watched, locale: str) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    fmt = formatter(locale)
    page = watched.page
    await page.goto(f"{live}/?locale={locale}")
    await until(
        page, f"document.querySelector('#ex-view h1')?.textContent === {fmt.t('explorer.home')!r}"
    )
    search = page.get_by_role("combobox", name=fmt.t("explorer.search_label"))
    assert await search.get_attribute("placeholder") == fmt.t("explorer.search_placeholder")
    switch = page.get_by_role("navigation", name=fmt.t("explorer.language"))
    assert await switch.locator("[aria-current=true]").get_attribute("hreflang") == locale
    # an entity page the script builds, in the remembered language
    await page.goto(f"{live}/?entity=person:antony-blinken")
    await until(page, "document.querySelector('#ex-view h1')?.textContent === 'Antony J. Blinken'")
    headings = [h.split("\n")[0] for h in await page.locator("#ex-view h2").all_inner_texts()]
    for key in ("explorer.timeline", "explorer.relations", "explorer.graph"):
        assert fmt.t(key) in headings
    assert await page.locator("html").get_attribute("lang") == locale
    watched.assert_clean()


async def test_switching_language_keeps_the_page(live: str, watched: Watched) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    page = watched.page
    await page.goto(f"{live}/?entity=person:antony-blinken", wait_until="load")
    await until(page, "document.querySelector('#ex-view h1')?.textContent === 'Antony J. Blinken'")
    await page.get_by_role("link", name="Español").click()
    await until(page, "document.documentElement.lang === 'es'")
    await until(page, "document.querySelector('#ex-view h1')?.textContent === 'Antony J. Blinken'")
    assert "entity=person:antony-blinken" in page.url
    assert formatter("es").t("explorer.relations") in await page.locator("#ex-view").inner_text()
    watched.assert_clean()
