"""The explorer's first view, rendered on the server (each backend, over HTTP, no browser).

``/``, ``/?entity=…`` and ``/?path=…`` arrive with the view already in ``#ex-view`` (the
events, relations and links a reader needs, in the reader's language), so the page reads
before its script loads and without it. The events and their order are the ``timeline``
query's, asked through ``/graphql`` here; an unknown entity is a 404 with the explorer's
"There is no entity" view, the search box still there.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from tests.conftest import client_for
from timeline.config import Settings
from timeline.stores.base import Store

BLINKEN = "person:antony-blinken"
EVENTS = """query($involving: [ID!], $locale: String) {
  timeline(involving: $involving, first: 20) { totalCount
    pageInfo { hasNextPage } edges { node { id date { display(locale: $locale) } } } } }"""


class View(HTMLParser):
    """What ``#ex-view`` holds: its articles, headings, links, times, and the page's title."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <main id="ex-view"> while > 0
        self.events: list[str] = []
        self.links: list[str] = []
        self.times: list[str] = []
        self.h1: list[str] = []
        self.title = ""
        self.classes: list[str] = []
        self.config: dict[str, Any] = {}
        self._text: list[str] | None = None
        self._into = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "main" and found.get("id") == "ex-view":
            self.depth = 1
            return
        if tag == "title" or (tag == "script" and found.get("id") == "tl-config"):
            self._text, self._into = [], tag
        if not self.depth:
            return
        self.classes += found.get("class", "").split()
        if tag == "article":
            self.events.append(found["data-event-id"])
        if tag == "a":
            self.links.append(found.get("href", ""))
        if tag in ("h1", "time"):
            self._text, self._into = [], tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self.depth:
            self.depth = 0
        if self._text is not None and tag == self._into:
            text = "".join(self._text).strip()
            if tag == "h1":
                self.h1.append(text)
            elif tag == "time":
                self.times.append(text)
            elif tag == "title":
                self.title = text
            else:
                self.config = json.loads(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def view_of(html: str) -> View:
    parser = View()
    parser.feed(html)
    return parser


async def events(http: httpx.AsyncClient, involving: str | None, locale: str = "en") -> Any:
    variables = {"involving": [involving] if involving else None, "locale": locale}
    answer = await http.post("/graphql", json={"query": EVENTS, "variables": variables})
    assert "errors" not in answer.json(), answer.text
    return answer.json()["data"]["timeline"]


async def test_home_lists_the_first_events(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    view = view_of(response.text)
    first = await events(http, None)
    assert view.h1 == ["All events"]
    assert view.events == [edge["node"]["id"] for edge in first["edges"]]  # same order
    assert view.times == [edge["node"]["date"]["display"] for edge in first["edges"]]
    assert "ex-loading" not in view.classes
    # the titles are real links into the explorer, and "More events" is offered
    assert {f"/?entity={e}" for e in view.events} <= set(view.links)
    assert first["pageInfo"]["hasNextPage"]
    assert re.search(r'<button type="button" class="tl-more-button">', response.text)
    # the script gets the same answers, so it shows them without asking again
    initial = view.config["initial"]
    assert initial["route"] == "home"
    assert [e["node"]["id"] for e in initial["data"]["timeline"]["edges"]] == view.events


@pytest.mark.parametrize("locale", ["en", "es", "pt", "fr"])
async def test_entity_page_in_the_readers_language(http: httpx.AsyncClient, locale: str) -> None:
    response = await http.get("/", params={"entity": BLINKEN, "locale": locale})
    assert response.status_code == 200
    assert f'<html lang="{locale}"' in response.text
    view = view_of(response.text)
    assert view.h1 == ["Antony J. Blinken"]
    assert view.title.startswith("Antony J. Blinken — ")
    first = await events(http, BLINKEN, locale)
    assert view.events == [edge["node"]["id"] for edge in first["edges"]]
    assert view.times == [edge["node"]["date"]["display"] for edge in first["edges"]]
    # relations, positions and the graph's section, with links that work without a script
    assert "/?entity=country:us" in view.links
    assert "/?entity=event:bogota-ministerial-2021" in view.links
    assert {"ex-group", "ex-fact-row", "ex-src-button", "ex-graph"} <= set(view.classes)
    assert f"/export/csv?involving={BLINKEN}" in view.links
    initial = view.config["initial"]
    assert initial["route"] == "entity"
    assert initial["data"]["entity"]["id"] == BLINKEN
    assert BLINKEN in {node["id"] for node in initial["neighbors"]["nodes"]}


async def test_unknown_entity_is_a_404_with_the_explorers_message(http: httpx.AsyncClient) -> None:
    for entity in ("person:nobody", "not an id"):
        response = await http.get("/", params={"entity": entity})
        assert response.status_code == 404, entity
        view = view_of(response.text)
        assert view.h1 == [f"There is no entity with the id “{entity}”."]
        assert view.events == []
        assert 'id="ex-search"' in response.text  # the explorer around it: search on
        assert view.config["initial"] == {"route": "entity", "data": {"entity": None}}


async def test_path_views(http: httpx.AsyncClient) -> None:
    response = await http.get("/", params={"path": "person:erika-mouynes,person:alicia-barcena"})
    assert response.status_code == 200
    view = view_of(response.text)
    assert "ex-path-steps" in view.classes
    assert view.links[0] == "/?entity=person:erika-mouynes"
    assert view.links[-1] == "/?entity=person:alicia-barcena"
    assert view.title == "Erika Mouynes → Alicia Bárcena — Migration diplomacy in the Americas"
    none = await http.get("/", params={"path": "person:loner,country:us"})
    assert none.status_code == 200
    assert "No connection" in none.text
    pick = await http.get("/", params={"path": "person:loner"})
    assert pick.status_code == 200
    assert view_of(pick.text).h1 == ["Find a path"]
    missing = await http.get("/", params={"path": "person:loner,person:nobody"})
    assert missing.status_code == 404
    assert view_of(missing.text).h1 == ["There is no entity with the id “person:nobody”."]


async def test_hostile_text_is_escaped_in_the_view(http: httpx.AsyncClient) -> None:
    response = await http.get("/", params={"entity": "person:hostile"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    view = view_of(response.text)
    assert unescape(view.h1[0]).startswith("O'Brien")
    assert view.config["initial"]["data"]["entity"]["name"].endswith('"onerror=alert(2)')


async def test_a_slow_store_leaves_the_first_view_to_the_script(store: Store) -> None:
    """When the store misses its deadline the page still comes, as it did before the
    server rendered views: "Loading…", no answers in the config; the script asks."""
    async with client_for(store, Settings(store_timeout=1e-6)) as http:
        response = await http.get("/", params={"entity": BLINKEN})
    assert response.status_code == 200
    view = view_of(response.text)
    assert "ex-loading" in view.classes
    assert view.events == []
    assert view.config["initial"] is None
