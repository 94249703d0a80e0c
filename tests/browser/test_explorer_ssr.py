"""The explorer's first view comes rendered from the server (each backend, in Chromium).

With JavaScript off, the home page lists the first events with dates in the page's language
and an entity page shows the entity, its events and relations, with links that work. With
JavaScript on, the script keeps the server's view (``#ex-view[data-rendered=server]``: it
built the same view from the same answers and found it equal), asks ``/graphql`` nothing
for it, and its handlers work on it; the view the script builds itself for the same address
(after back/forward) is the server's, element for element and word for word. axe finds
nothing serious in the server's views before the script runs, in both themes.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.conftest import STATIC_VENDOR, Watched, need_vendor, open_page, until
from tests.browser.test_axe import AXE, violations

BLINKEN = "person:antony-blinken"
PAGES = {
    "home": "/",
    "entity": f"/?entity={BLINKEN}",
    "path": "/?path=person:erika-mouynes,person:alicia-barcena",
    "missing": "/?entity=person:nobody",
}

#: #ex-view as elements (sorted attributes) and words, and the text a reader sees. Left out:
#: whether a <details> is open, the focus the script gives a heading after navigating, and
#: what the graph viewer adds inside and on its box.
SERIAL = """(() => {
  const root = document.getElementById('ex-view');
  const out = [];
  const skip = (node, name) => name === 'open' || (node.tagName === 'H1' && name === 'tabindex')
    || (node.id === 'ex-graph' && (name === 'style' || name === 'hidden'));
  const value = (node, name) => name === 'class'
    ? node.getAttribute(name).split(/\\s+/)
      .filter((c) => c && !c.startsWith('__') && c !== 'ex-graph-shown').join(' ')
    : node.getAttribute(name);
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.data.replace(/\\s+/g, ' ').trim();
        if (text) out.push(text);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const attrs = child.getAttributeNames().filter((n) => !skip(child, n)).sort()
          .map((n) => `${n}=${value(child, n)}`);
        out.push(`<${child.tagName.toLowerCase()} ${attrs.join(' ')}>`);
        if (child.id !== 'ex-graph') walk(child);
        out.push(`</${child.tagName.toLowerCase()}>`);
      }
    }
  };
  walk(root);
  return {tree: out, text: root.innerText, title: document.title};
})()"""

EVENTS = """query($involving: [ID!], $locale: String) { timeline(involving: $involving, first: 20) {
  edges { node { id date { display(locale: $locale) } } } } }"""


async def first_events(live: str, involving: str | None, locale: str) -> list[tuple[str, str]]:
    variables = {"involving": [involving] if involving else None, "locale": locale}
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{live}/graphql", json={"query": EVENTS, "variables": variables})
    edges = answer.json()["data"]["timeline"]["edges"]
    return [(e["node"]["id"], e["node"]["date"]["display"]) for e in edges]


async def shown_events(page: Any) -> list[tuple[str, str]]:
    articles = page.locator("#ex-view article.tl-event")
    ids = [await a.get_attribute("data-event-id") for a in await articles.all()]
    times = await page.locator("#ex-view article.tl-event time").all_inner_texts()
    return list(zip(ids, times, strict=True))


NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def expected_404(watched: Watched) -> None:
    """Chromium reports a page answered 404 (an unknown entity) on the console: expected."""
    assert NOT_FOUND in watched.errors
    watched.errors = [error for error in watched.errors if error != NOT_FOUND]


async def no_explorer_script(route: Any) -> None:
    await route.fulfill(status=200, content_type="text/javascript", body="")


@pytest.fixture
async def no_script(browser: Any) -> Any:
    """A desktop page with JavaScript off."""
    watched = await open_page(browser, viewport={"width": 1200, "height": 900},
                              java_script_enabled=False)  # fmt: skip
    yield watched
    try:
        watched.assert_clean()
    finally:
        await watched.context.close()


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_without_javascript_the_home_page_lists_events(
    live: str, no_script: Watched, locale: str
) -> None:
    page = no_script.page
    await page.goto(f"{live}/?locale={locale}")
    assert await page.locator("#ex-view h1").inner_text() == (
        "All events" if locale == "en" else "Todos los eventos"
    )
    expected = await first_events(live, None, locale)
    assert await shown_events(page) == expected  # the same events, order and dates
    assert await page.locator("#ex-view .ex-loading").count() == 0


async def test_without_javascript_an_entity_page_reads_and_links(
    live: str, no_script: Watched
) -> None:
    page = no_script.page
    response = await page.goto(f"{live}/?entity={BLINKEN}&locale=fr")
    assert response.status == 200
    view = page.locator("#ex-view")
    assert await view.locator("h1").inner_text() == "Antony J. Blinken"
    assert await page.title() == "Antony J. Blinken — Diplomatie migratoire dans les Amériques"
    assert await shown_events(page) == await first_events(live, BLINKEN, "fr")
    assert await view.locator(".ex-group").count() > 0
    assert "Secretary of State" in await view.locator(".ex-facts").first.inner_text()
    # a relation's link is a real link: it opens the other entity's page from the server
    await view.locator(".ex-group a[href='/?entity=country:us']").first.click()
    await page.wait_for_url(f"{live}/?entity=country:us")
    assert await page.locator("#ex-view h1").inner_text() == "United States"
    # an event's title too
    await page.locator("#ex-view article.tl-event h3 a").first.click()
    await page.wait_for_load_state()
    assert page.url.startswith(f"{live}/?entity=event:")
    assert await page.locator("#ex-view .ex-entity-header h1").count() == 1
    # an unknown entity: the explorer's message, as a 404
    missing = await page.goto(f"{live}/?entity=person:nobody&locale=en")
    assert missing.status == 404
    assert "There is no entity" in await page.locator("#ex-view h1").inner_text()
    expected_404(no_script)


@pytest.mark.parametrize("name", sorted(PAGES))
async def test_the_script_keeps_the_server_view_and_builds_the_same(
    live: str, browser: Any, name: str
) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    plain = await open_page(browser, viewport={"width": 1200, "height": 900})
    try:  # the server's view as it comes, the explorer's script answered empty
        await plain.context.route("**/static/explorer.js*", no_explorer_script)
        await plain.page.goto(live + PAGES[name])
        server = await plain.page.evaluate(SERIAL)
    finally:
        await plain.context.close()
    watched = await open_page(browser, viewport={"width": 1200, "height": 900})
    page = watched.page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/graphql" in r.url else None)
    try:
        await page.goto(live + PAGES[name])
        assert await until(page, "document.getElementById('ex-view').dataset.rendered") == "server"
        assert await page.evaluate(SERIAL) == server  # kept as it came
        assert asked == []  # the first view needs no request of its own
        # the same address shown by the script itself (back from another view)
        away = "#ex-view article a[data-nav]" if name == "home" else "a.ex-home"
        await page.locator(away).first.click()
        await until(page, "document.getElementById('ex-view').dataset.rendered === 'script'")
        await page.go_back()
        await until(page, f"location.href === {live + PAGES[name]!r}")
        await until(page, "document.getElementById('ex-view').getAttribute('aria-busy') === 'false'"
                    " && !document.querySelector('#ex-view .ex-loading')")  # fmt: skip
        assert asked  # this time it asked /graphql
        built = await page.evaluate(SERIAL)
        assert built["tree"] == server["tree"]
        assert built["text"] == server["text"]
        assert built["title"] == server["title"]
        if name == "missing":
            expected_404(watched)
        watched.assert_clean()
    finally:
        await watched.context.close()


@pytest.mark.parametrize("locale", ["es", "pt", "fr"])
async def test_the_server_view_is_kept_in_every_language(
    live: str, browser: Any, locale: str
) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    watched = await open_page(browser, viewport={"width": 1200, "height": 900}, locale=locale)
    page = watched.page
    try:
        for path in PAGES.values():
            await page.goto(live + path)
            rendered = "document.getElementById('ex-view').dataset.rendered"
            assert await until(page, rendered) == "server", path
            assert await page.evaluate("document.documentElement.lang") == locale
        expected_404(watched)
        watched.assert_clean()
    finally:
        await watched.context.close()


async def test_handlers_work_on_the_server_view(live: str, watched: Watched) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    page = watched.page
    await page.goto(f"{live}/")
    await until(page, "document.getElementById('ex-view').dataset.rendered === 'server'")
    # "More events" appends the next page after the server's twenty
    articles = page.locator("#ex-view article.tl-event")
    assert await articles.count() == 20
    await page.locator("#ex-view .tl-more-button").click()
    await until(page, "document.querySelectorAll('#ex-view article.tl-event').length > 20")
    assert await articles.nth(20).get_attribute("aria-posinset") == "21"
    assert "loaded" in await page.locator("#ex-view .tl-status").inner_text()
    # the search box opens an entity
    box = page.get_by_role("combobox", name="Search")
    await box.press_sequentially("Bliken")
    await page.locator("#ex-search-list [role=option]").first.wait_for()
    await box.press("Enter")
    await until(page, "document.querySelector('#ex-view h1')?.textContent === 'Antony J. Blinken'")
    # an entity page from the server: its sources buttons and its graph
    await page.goto(f"{live}/?entity={BLINKEN}")
    await until(page, "document.getElementById('ex-view').dataset.rendered === 'server'")
    await page.locator(".ex-group .ex-src-button").first.click()
    assert "Antony J. Blinken" in await page.locator("#ex-sources-fact").inner_text()
    assert await page.locator("#ex-sources .tl-quote").count() > 0
    await until(page, "window.cy && window.cy.nodes().length > 0")
    # a link of the server's view navigates in place
    await page.locator(".ex-group a[href='/?entity=country:us']").first.click()
    await until(page, "document.querySelector('#ex-view h1')?.textContent === 'United States'")
    assert await page.evaluate("document.getElementById('ex-view').dataset.rendered") == "script"


async def test_phone_keeps_the_server_view_and_hides_the_graph(live: str, browser: Any) -> None:
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    watched = await open_page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = watched.page
    try:
        await page.goto(f"{live}/?entity={BLINKEN}")
        await until(page, "document.getElementById('ex-view').dataset.rendered === 'server'")
        assert await page.locator("#ex-graph").is_hidden()
        await page.get_by_role("button", name="Show the graph").click()
        await until(page, "window.cy && window.cy.nodes().length > 0")
        watched.assert_clean()
    finally:
        await watched.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_axe_on_the_server_views(live: str, browser: Any, scheme: str) -> None:
    """axe over the views as the server sends them: the explorer's script answered empty."""
    need_vendor(AXE)
    context = await browser.new_context(viewport={"width": 1200, "height": 900},
                                        color_scheme=scheme)  # fmt: skip

    try:
        await context.route("**/static/explorer.js*", no_explorer_script)
        page = await context.new_page()
        found = {}
        for name, path in PAGES.items():
            await page.goto(live + path)
            assert await page.locator("#ex-view h1").count() == 1, name
            assert await page.evaluate("!document.getElementById('ex-view').dataset.rendered")
            found[name] = await violations(page)
        problems = {name: v for name, v in found.items() if v}
        assert not problems, problems
    finally:
        await context.close()
