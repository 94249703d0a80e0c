"""The explorer in Chromium over the fixture graph (each backend): search, entity pages, the
Cytoscape graph, the path finder, the sources panel and the address bar."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import STATIC_VENDOR, Watched, need_vendor, until


@pytest.fixture
def explorer(live: str, watched: Watched) -> Any:
    """The explorer's page (needs Cytoscape from `make assets`)."""
    need_vendor(STATIC_VENDOR / "cytoscape.min.js")
    return watched.page


async def title(page: Any, text: str) -> None:
    expression = (
        "document.querySelector('#ex-view h1') && "
        f"document.querySelector('#ex-view h1').textContent === {text!r}"
    )
    await until(page, expression)


async def test_search_type_ahead_opens_an_entity(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/")
    await title(page, "All events")
    box = page.get_by_role("combobox", name="Search")
    await box.press_sequentially("Bliken")  # a misspelling the aliases know
    options = page.locator("#ex-search-list [role=option]")
    await options.first.wait_for()
    assert await box.get_attribute("aria-expanded") == "true"
    assert await options.first.locator(".ex-option-name").inner_text() == "Antony J. Blinken"
    await box.press("ArrowDown")
    assert await options.first.get_attribute("aria-selected") == "true"
    await box.press("Enter")
    await title(page, "Antony J. Blinken")
    assert page.url == f"{live}/?entity=person:antony-blinken"
    assert await page.title() == "Antony J. Blinken — Migration diplomacy in the Americas"


async def test_search_suggestions_mark_what_matched(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/")
    await title(page, "All events")
    box = page.get_by_role("combobox", name="Search")
    options = page.locator("#ex-search-list [role=option]")
    await box.press_sequentially("blinkn")  # a typo: the name's word is marked
    await until(page, "document.querySelector('#ex-search-list .ex-option-name mark') !== null")
    first = options.first
    assert await first.locator(".ex-option-name").inner_text() == "Antony J. Blinken"
    assert await first.locator(".ex-option-name mark").all_inner_texts() == ["Blinken"]
    assert await first.locator(".ex-option-why").count() == 0
    # A match in an alias, exact: the alias marked beside the name (whose word is a typo away).
    await box.fill("")
    await box.press_sequentially("Bliken")
    await until(page, "document.querySelector('#ex-search-list .ex-option-why mark') !== null")
    why = options.first.locator(".ex-option-why")
    assert await why.get_attribute("data-field") == "alias"
    assert await why.locator("mark").all_inner_texts() == ["Bliken"]
    assert await options.first.locator(".ex-option-name mark").all_inner_texts() == ["Blinken"]
    # Matched text is text, never HTML.
    assert await page.locator("#ex-search-list script").count() == 0


async def test_entity_page(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/?entity=person:antony-blinken")
    await title(page, "Antony J. Blinken")
    view = page.locator("#ex-view")
    assert "Anthony Blinken" in await view.locator(".ex-aliases").inner_text()
    # its timeline, in time order, honest dates
    events = view.locator("article.tl-event")
    # what involved him: his five events and the ministerial his signing was part of
    assert await events.count() == 6
    assert await events.first.locator("time").inner_text() == "October 2021"
    # each says why, in one short line
    whys = await view.locator("article.tl-event .tl-why").all_text_contents()
    assert len(whys) == 6
    assert whys[0] == "Why Antony J. Blinken took part"
    assert any(w.startswith("Why through ") for w in whys)
    # Download: this timeline in every export format
    links = view.locator(".ex-download a")
    hrefs = [await a.get_attribute("href") for a in await links.all()]
    assert hrefs == [
        f"/export/{fmt}?involving=person:antony-blinken"
        for fmt in ("graphml", "gexf", "json", "csv", "seeds")
    ]
    async with page.expect_download() as download_info:
        await view.locator(".ex-download summary").click()
        await links.nth(2).click()
    download = await download_info.value
    assert download.suggested_filename.startswith("timeline_involving-person-antony-blinken_")
    assert download.suggested_filename.endswith(".json")
    # positions and relations grouped by type
    assert (
        "Secretary of State"
        in await view.locator(".ex-section").filter(has_text="Positions").inner_text()
    )
    groups = await view.locator(".ex-group h3").all_text_contents()
    assert any(g.startswith("Attended") for g in groups)
    assert any(g.startswith("Holds a position in") for g in groups)
    # the graph: a Cytoscape canvas with the entity and its neighbours
    await until(page, "window.cy && window.cy.nodes().length > 0")
    assert await page.locator("#ex-graph canvas").count() > 0
    nodes = await page.evaluate("window.cy.nodes().map(n => n.id())")
    assert "person:antony-blinken" in nodes
    assert "country:us" in nodes
    assert "event:bogota-ministerial-2021" in nodes
    assert await page.evaluate("window.cy.edges().length") > 0
    assert (
        await page.evaluate("window.cy.getElementById('person:antony-blinken').data('focus')") == 1
    )


async def test_sources_panel_shows_the_evidence_of_a_fact(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/?entity=person:antony-blinken")
    await title(page, "Antony J. Blinken")
    position = page.locator(".ex-section").filter(has_text="Positions")
    await position.locator(".ex-src-button").first.click()
    panel = page.locator("#ex-sources")
    assert "Secretary of State" in await panel.locator("#ex-sources-fact").inner_text()
    assert await panel.locator(".tl-quote").inner_text() == "as the fixture says"
    assert "Fixture document" in await panel.locator(".tl-cite").inner_text()
    assert await page.evaluate("document.activeElement.id") == "ex-sources"
    # a relation's sources, by keyboard
    relation = page.locator(".ex-group .ex-src-button").first
    await relation.focus()
    await page.keyboard.press("Enter")
    assert "Antony J. Blinken" in await panel.locator("#ex-sources-fact").inner_text()


async def test_links_keep_the_address_and_back_forward_work(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/?entity=person:antony-blinken")
    await title(page, "Antony J. Blinken")
    await page.locator(".ex-group a[href='/?entity=country:us']").first.click()
    await title(page, "United States")
    assert page.url == f"{live}/?entity=country:us"
    await page.go_back()
    await title(page, "Antony J. Blinken")
    assert page.url == f"{live}/?entity=person:antony-blinken"
    await page.go_forward()
    await title(page, "United States")
    # a click on a graph node navigates too
    await until(
        page, "window.cy && window.cy.getElementById('event:panama-ministerial-2022').length"
    )
    await page.evaluate("window.cy.getElementById('event:panama-ministerial-2022').emit('tap')")
    await title(page, "Ministerial Conference on Migration and Protection")
    assert page.url == f"{live}/?entity=event:panama-ministerial-2022"


async def test_path_finder(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/")
    await title(page, "All events")
    start = page.get_by_role("combobox", name="From")
    await start.press_sequentially("Mouynes")
    await page.locator("#ex-path-from-list [role=option]").first.click()
    end = page.get_by_role("combobox", name="To")
    assert await page.evaluate("document.activeElement.id") == "ex-path-to"
    await end.press_sequentially("Barcena")
    await page.locator("#ex-path-to-list [role=option]").first.wait_for()
    await end.press("Enter")
    await page.get_by_role("button", name="Find path").click()
    await until(page, "location.search.startsWith('?path=')")
    assert page.url == f"{live}/?path=person:erika-mouynes,person:alicia-barcena"
    await until(page, "document.querySelector('.ex-path-steps')")
    steps = await page.locator(".ex-path-steps .ex-step").all_inner_texts()
    assert "Erika Mouynes" in steps[0]
    assert "Alicia Bárcena" in steps[-1]
    assert len(steps) >= 3
    await until(page, "window.cy && window.cy.nodes().length > 0")
    assert await page.evaluate("window.cy.nodes().length") == len(steps)
    assert "Connected in" in await page.locator(".ex-lede").inner_text()

    # a linked path, and one that does not exist
    await page.goto(f"{live}/?path=person:loner,country:us")
    await until(page, "document.querySelector('#ex-view [role=status]')")
    assert "No connection" in await page.locator("#ex-view").inner_text()


async def test_unknown_entity(live: str, explorer: Any, watched: Watched) -> None:
    page = explorer
    response = await page.goto(f"{live}/?entity=person:nobody")
    assert response.status == 404  # the explorer's page, saying so
    await until(page, "document.querySelector('#ex-view h1')")
    assert "There is no entity" in await page.locator("#ex-view h1").inner_text()
    # Chromium notes the 404 on the console; nothing else may be there
    notice = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert watched.errors == [notice]
    watched.errors.clear()


async def test_home_page_offers_the_whole_graph_for_download(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/")
    await title(page, "All events")
    links = page.locator("#ex-view .ex-download a")
    hrefs = [await a.get_attribute("href") for a in await links.all()]
    assert hrefs == [f"/export/{fmt}" for fmt in ("graphml", "gexf", "json", "csv", "seeds")]
    await page.locator("#ex-view .ex-download summary").click()
    async with page.expect_download() as download_info:
        await links.nth(0).click()
    download = await download_info.value
    assert download.suggested_filename.startswith("timeline_whole-graph_")
    path = await download.path()
    import networkx as nx

    assert "person:antony-blinken" in nx.read_graphml(path).nodes


async def test_sources_panel_says_stated_or_inferred(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/?entity=event:panama-signing-2022")
    await title(page, "Signing of the U.S.-Panama Bilateral Arrangement")
    panel = page.locator("#ex-sources")
    held_in = page.locator(".ex-group").filter(has_text="Held in")
    assert await held_in.locator(".ex-basis").inner_text() == "inferred"
    assert (
        await page.locator(".ex-group").filter(has_text="Part of").locator(".ex-basis").count() == 0
    )
    await held_in.locator(".ex-src-button").first.click()
    assert "Panama City" in await panel.locator("#ex-sources-fact").inner_text()
    basis = panel.locator(".tl-basis")
    assert await basis.count() == 1
    assert await basis.get_attribute("data-basis") == "inferred"
    assert await basis.inner_text() == (
        "Inferred: The conference was in Panama City; the signing was part of it."
    )
    part_of = page.locator(".ex-group").filter(has_text="Part of")
    await part_of.locator(".ex-src-button").first.click()
    assert await panel.locator(".tl-basis").all_inner_texts() == [
        "Inferred: The signing is dated to the conference.",
        "Stated: the quote says this.",
    ]


async def test_a_planned_event_is_shown_as_planned(live: str, explorer: Any) -> None:
    page = explorer
    await page.goto(f"{live}/?entity=event:meeting-25-2023")
    await title(page, "Working meeting 25")
    header = page.locator(".ex-entity-header")
    assert "Planned" in await header.locator(".ex-eyebrow").inner_text()
    await header.locator(".ex-src-button").click()
    assert await page.locator("#ex-sources .tl-basis").inner_text() == (
        "Inferred: Announced for 25 March 2023; no later text reports that it took place."
    )
    await page.goto(f"{live}/?entity=event:meeting-24-2023")
    await title(page, "Working meeting 24")
    assert "Planned" not in await page.locator(".ex-entity-header .ex-eyebrow").inner_text()
