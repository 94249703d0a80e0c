"""The embed in Chromium, served by a real uvicorn over the fixture graph (each backend).

Every test's page is watched (see conftest): a console error, an uncaught exception, a
dialog or a request off the test server fails it.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.conftest import Watched, open_page, until
from tests.fixtures import HOSTILE

BLINKEN = "person:antony-blinken"


async def timeline_ids(live: str, **variables: Any) -> list[str]:
    """What the GraphQL ``timeline`` query gives for these filters."""
    query = """query($involving: [ID!], $categories: [String!], $from: Date, $order: Order) {
      timeline(involving: $involving, categories: $categories, from: $from, order: $order,
               first: 100) { edges { node { id } } } }"""
    async with httpx.AsyncClient(base_url=live) as http:
        answer = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
    return [edge["node"]["id"] for edge in answer["data"]["timeline"]["edges"]]


async def shown_ids(page: Any) -> list[str]:
    ids: list[str] = await page.eval_on_selector_all(
        "article.tl-event", "nodes => nodes.map(n => n.dataset.eventId)"
    )
    return ids


async def test_embed_renders_the_filtered_events_in_order(live: str, watched: Watched) -> None:
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}")
    expected = await timeline_ids(live, involving=[BLINKEN])
    assert await shown_ids(page) == expected
    assert expected[0] == "event:bogota-ministerial-2021"
    assert "event:panama-ministerial-2022" in expected  # through its sub-events
    first = page.locator("article.tl-event").first
    assert await first.locator("time").inner_text() == "October 2021"
    assert await first.locator(".tl-chip").inner_text() == "Ministerial"
    assert await first.locator(".tl-place").inner_text() == "Bogotá"
    assert "Antony J. Blinken" in await first.locator(".tl-people").inner_text()
    assert await page.title() == "Events involving Antony J. Blinken"
    assert await page.locator("[role=feed]").get_attribute("aria-busy") == "false"
    assert await first.get_attribute("aria-setsize") == str(len(expected))

    await page.goto(f"{live}/embed/timeline?categories=ministerial&from=2022-01-01&order=desc")
    expected = await timeline_ids(live, categories=["ministerial"], **{"from": "2022-01-01"})
    assert await shown_ids(page) == list(reversed(expected))
    assert await page.locator("article time").first.inner_text() == "2024"


async def test_sources_open_on_click_and_on_enter(live: str, watched: Watched) -> None:
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}")
    articles = page.locator("article.tl-event")
    first_sources = articles.nth(0).locator("details.tl-sources")
    assert not await first_sources.locator(".tl-quote").is_visible()
    await first_sources.locator("summary").click()
    quote = first_sources.locator(".tl-quote").first
    assert await quote.is_visible()
    assert await quote.inner_text() == "as the fixture says"
    cite = await first_sources.locator(".tl-cite").first.inner_text()
    assert "Fixture document" in cite
    assert "Tests" in cite
    assert "28 February 2024" in cite

    second = articles.nth(1).locator("details.tl-sources")
    await second.locator("summary").focus()
    await page.keyboard.press("Enter")
    assert await second.get_attribute("open") is not None
    assert await second.locator(".tl-quote").first.is_visible()
    await page.keyboard.press("Enter")
    assert await second.get_attribute("open") is None


async def test_keyboard_reaches_events_and_sources(live: str, watched: Watched) -> None:
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}")

    async def focused() -> str:
        value: str = await page.evaluate(
            """() => {
              const el = document.activeElement;
              const article = el.closest('article');
              return `${el.tagName.toLowerCase()}@${article ? article.dataset.eventId : ''}`;
            }"""
        )
        return value

    await page.keyboard.press("Tab")
    assert await focused() == "article@event:bogota-ministerial-2021"
    await page.keyboard.press("Tab")
    assert await focused() == "a@event:bogota-ministerial-2021"  # the title
    await page.keyboard.press("Tab")
    assert await focused() == "summary@event:bogota-ministerial-2021"
    await page.keyboard.press("Enter")
    details = page.locator("article").first.locator("details")
    assert await details.get_attribute("open") is not None
    await page.keyboard.press("Tab")
    assert await focused() == "article@event:panama-signing-2022"
    # The feed pattern: PageDown / PageUp move between articles.
    await page.keyboard.press("PageDown")
    assert await focused() == "article@event:panama-ministerial-2022"
    await page.keyboard.press("PageUp")
    assert await focused() == "article@event:panama-signing-2022"


async def test_dark_theme_applies(live: str, watched: Watched) -> None:
    page = watched.page

    async def colours() -> tuple[str, str]:
        value: list[str] = await page.evaluate(
            """() => [getComputedStyle(document.documentElement).backgroundColor,
                      getComputedStyle(document.querySelector('.tl-title a')).color]"""
        )
        return value[0], value[1]

    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}")
    assert await colours() == ("rgb(255, 255, 255)", "rgb(27, 31, 36)")
    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}&theme=dark")
    assert await colours() == ("rgb(18, 21, 25)", "rgb(231, 234, 238)")
    # auto follows the reader's setting
    await page.emulate_media(color_scheme="dark")
    await page.goto(f"{live}/embed/timeline?involving={BLINKEN}&theme=auto")
    assert (await colours())[0] == "rgb(18, 21, 25)"


async def test_no_horizontal_scroll_at_320_px(live: str, browser: Any) -> None:
    watched = await open_page(browser, viewport={"width": 320, "height": 640})
    page = watched.page
    try:
        for query in (f"involving={BLINKEN}", "involving=person:hostile", "involving=country:mx"):
            await page.goto(f"{live}/embed/timeline?{query}&title=A+rather+long+title+here")
            for summary in await page.locator("summary").all():
                await summary.click()
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, (query, width)
        watched.assert_clean()
    finally:
        await watched.context.close()


async def test_lazy_paging_loads_the_next_page(live: str, watched: Watched) -> None:
    page = watched.page
    # Mexico's 26 direct events, and two 2024 events its foreign secretary (in office from
    # 2023) took part in.
    expected = await timeline_ids(live, involving=["country:mx"])
    assert len(expected) == 28
    await page.goto(f"{live}/embed/timeline?involving=country:mx")
    assert len(await shown_ids(page)) == 20
    more = page.locator("button.tl-more-button")
    assert await more.is_visible()

    await more.scroll_into_view_if_needed()  # reaching the end loads the next page
    await until(page, "document.querySelectorAll('article.tl-event').length === 28")
    assert await shown_ids(page) == expected
    assert await more.is_hidden()
    assert "8 more events loaded" in await page.locator(".tl-status").inner_text()
    assert await page.locator("[role=feed]").get_attribute("aria-busy") == "false"
    last = page.locator("article.tl-event").last
    assert await last.get_attribute("aria-posinset") == "28"
    assert await last.get_attribute("aria-setsize") == "28"
    # Each event says why it matched, in one line, lazily loaded ones too.
    assert await last.locator(".tl-why").text_content() == (
        "Why Alicia Bárcena, Secretary of Foreign Affairs of Mexico, took part"
    )
    first = page.locator("article.tl-event").first
    assert await first.locator(".tl-why").text_content() == "Why Mexico took part"
    # A lazily loaded event is built like a server-rendered one: sources one Enter away.
    await last.locator("summary").focus()
    await page.keyboard.press("Enter")
    assert await last.locator(".tl-quote").inner_text() == "as the fixture says"
    assert await last.locator("time").get_attribute("datetime") == "2024-02-28"


async def test_more_button_works_by_keyboard(live: str, browser: Any) -> None:
    # A short window, so nothing loads until the reader asks.
    watched = await open_page(browser, viewport={"width": 900, "height": 400})
    page = watched.page
    try:
        await page.goto(f"{live}/embed/timeline?involving=country:mx")
        await page.evaluate("window.scrollTo(0, 0)")
        assert len(await shown_ids(page)) == 20
        await page.locator("button.tl-more-button").focus()
        await page.keyboard.press("Enter")
        await until(page, "document.querySelectorAll('article.tl-event').length === 28")
        watched.assert_clean()
    finally:
        await watched.context.close()


async def test_hostile_strings_show_literally_and_never_run(live: str, watched: Watched) -> None:
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving=person:hostile")
    article = page.locator("article.tl-event")
    assert await article.count() == 1
    assert await article.locator(".tl-title").inner_text() == HOSTILE
    assert await article.locator(".tl-desc").inner_text() == HOSTILE
    await article.locator("summary").click()
    assert await article.locator(".tl-quote").inner_text() == "as the fixture says"
    assert HOSTILE in await article.locator(".tl-people").inner_text()
    assert await page.locator("script:not([type]), script[type=module]").count() == 1
    assert await page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    # The same event on a page the browser loads later (rendered by static/render.js).
    await page.goto(f"{live}/embed/timeline?categories=meeting&order=desc")
    await page.locator("button.tl-more-button").scroll_into_view_if_needed()
    await until(page, "document.querySelector('[data-event-id=\"event:hostile-2023\"]')")
    late = page.locator('[data-event-id="event:hostile-2023"]')
    assert await late.locator(".tl-title").inner_text() == HOSTILE
    assert await late.locator(".tl-desc").inner_text() == HOSTILE
    assert await page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    await page.wait_for_timeout(200)
    assert watched.dialogs == []


async def test_hostile_sources_quote(live: str, watched: Watched) -> None:
    # person:hostile's own source quotes the hostile string; the explorer shows entity
    # sources, and the embed shows the event's: both as text.
    page = watched.page
    await page.goto(f"{live}/?entity=person:hostile")
    await until(page, "document.querySelector('#ex-title')")
    assert await page.locator("#ex-title").inner_text() == HOSTILE
    await page.locator(".ex-entity-header .ex-src-button").click()
    assert await page.locator("#ex-sources-list .tl-quote").inner_text() == HOSTILE
    assert HOSTILE in await page.locator("#ex-sources-fact").inner_text()
    assert await page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    assert watched.dialogs == []


# --- epistemic status: stated or inferred sources, planned events ------------------------------

PLANNED = "event:meeting-25-2023"


async def test_a_planned_event_and_an_inferred_source_in_plain_words(
    live: str, watched: Watched
) -> None:
    page = watched.page
    # Server-rendered: the planned meeting, and a stated one beside it.
    await page.goto(f"{live}/embed/timeline?involving=country:mx&from=2023-03-24&to=2023-12-31")
    assert await shown_ids(page) == ["event:meeting-24-2023", PLANNED]
    stated, planned = (
        page.locator("article.tl-event").nth(0),
        page.locator("article.tl-event").nth(1),
    )
    assert await planned.get_attribute("data-status") == "planned"
    assert await planned.locator(".tl-planned-chip").inner_text() == "Planned"
    assert await stated.get_attribute("data-status") == "occurred"
    assert await stated.locator(".tl-planned-chip").count() == 0
    await planned.locator("summary").click()
    basis = planned.locator(".tl-basis")
    assert await basis.get_attribute("data-basis") == "inferred"
    assert await basis.inner_text() == (
        "Inferred: Announced for 25 March 2023; no later text reports that it took place."
    )
    await stated.locator("summary").click()
    assert await stated.locator(".tl-basis").inner_text() == "Stated: the quote says this."
    # Only planned events, by the status filter.
    await page.goto(f"{live}/embed/timeline?status=planned")
    assert await shown_ids(page) == [PLANNED]
    # Rendered by the script (a later page): the same words.
    await page.goto(f"{live}/embed/timeline?involving=country:mx")
    await page.locator("button.tl-more-button").click()
    await until(page, "document.querySelectorAll('article.tl-event').length === 28")
    late = page.locator(f"article[data-event-id='{PLANNED}']")
    assert await late.get_attribute("data-status") == "planned"
    assert "tl-planned" in (await late.get_attribute("class") or "")
    assert await late.locator(".tl-planned-chip").inner_text() == "Planned"
    await late.locator("summary").click()
    assert await late.locator(".tl-basis").inner_text() == (
        "Inferred: Announced for 25 March 2023; no later text reports that it took place."
    )
    earlier = page.locator("article[data-event-id='event:meeting-24-2023']")
    assert await earlier.get_attribute("data-status") == "occurred"
