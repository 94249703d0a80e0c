"""The pages over HTTP, without a browser: oEmbed, TimelineJS JSON, caching, CSP, bad params.

Each test runs once per backend (the ``store`` fixture), on the ASGI app through httpx.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import client_for
from tests.fixtures import HOSTILE
from timeline.config import Settings
from timeline.stores.base import Store

BASE = "http://testserver"
BLINKEN = "person:antony-blinken"


class _Articles(HTMLParser):
    """The event ids of an embed's server-rendered articles, and its oEmbed links."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.oembed: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article" and found.get("data-event-id"):
            self.events.append(str(found["data-event-id"]))
        if tag == "link" and found.get("type") == "application/json+oembed":
            self.oembed.append(str(found["href"]))
        if tag == "script":
            self.scripts.append(found)


def parse(html: str) -> _Articles:
    parser = _Articles()
    parser.feed(html)
    return parser


async def graphql_ids(http: httpx.AsyncClient, **variables: Any) -> list[str]:
    query = """query($from: Date, $to: Date, $involving: [ID!], $categories: [String!],
                     $text: String) {
      timeline(from: $from, to: $to, involving: $involving, categories: $categories,
               text: $text, first: 20) { edges { node { id } } } }"""
    answer = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
    return [edge["node"]["id"] for edge in answer["data"]["timeline"]["edges"]]


# --- the embed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "variables"),
    [
        ({"involving": BLINKEN}, {"involving": [BLINKEN]}),
        (
            {"involving": "country:us,country:pa"},
            {"involving": ["country:us", "country:pa"]},
        ),
        (
            {"categories": "ministerial", "from": "2022-01-01", "to": "2024-12-31"},
            {"categories": ["ministerial"], "from": "2022-01-01", "to": "2024-12-31"},
        ),
        ({"text": "Working meeting"}, {"text": "Working meeting"}),
    ],
)
async def test_embed_shows_what_the_timeline_query_gives(
    http: httpx.AsyncClient, params: dict[str, str], variables: dict[str, Any]
) -> None:
    response = await http.get("/embed/timeline", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    shown = parse(response.text).events
    assert shown == await graphql_ids(http, **variables)
    assert shown


async def test_embed_dates_are_only_as_precise_as_the_sources(http: httpx.AsyncClient) -> None:
    html = (await http.get("/embed/timeline", params={"involving": BLINKEN})).text
    assert re.search(r'<time class="tl-date" datetime="2021-10" [^>]*>October 2021</time>', html)
    assert re.search(r'datetime="2024" data-precision="YEAR">2024</time>', html)
    assert "1 October 2021" not in html
    assert "19\u2009–\u200920 April 2022" in html


async def test_embed_escapes_hostile_strings(http: httpx.AsyncClient) -> None:
    html = (await http.get("/embed/timeline", params={"involving": "person:hostile"})).text
    assert "<script>alert" not in html
    assert '"onerror=alert(2)' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The only scripts are the JSON data block and our own module.
    scripts = parse(html).scripts
    assert [s.get("type") for s in scripts] == ["application/json", "module"]


async def test_repeated_and_comma_separated_ids_are_the_same(http: httpx.AsyncClient) -> None:
    one = await http.get("/embed/timeline?involving=country:us,country:pa")
    two = await http.get("/embed/timeline?involving=country:us&involving=country:pa")
    assert parse(one.text).events == parse(two.text).events
    assert one.headers["etag"] == two.headers["etag"]


async def test_embed_and_explorer_carry_oembed_discovery(http: httpx.AsyncClient) -> None:
    embed = await http.get("/embed/timeline", params={"involving": BLINKEN, "theme": "dark"})
    (link,) = parse(embed.text).oembed
    target = parse_qs(urlsplit(link).query)
    assert link.startswith(f"{BASE}/oembed?")
    assert target["format"] == ["json"]
    assert target["url"] == [f"{BASE}/embed/timeline?involving={BLINKEN}&theme=dark"]
    assert (await http.get(link)).status_code == 200

    explorer = await http.get("/", params={"entity": BLINKEN})
    (link,) = parse(explorer.text).oembed
    assert parse_qs(urlsplit(link).query)["url"] == [f"{BASE}/embed/timeline?involving={BLINKEN}"]


# --- oEmbed ------------------------------------------------------------------------------------


async def test_oembed_describes_an_embed(http: httpx.AsyncClient) -> None:
    url = f"{BASE}/embed/timeline?involving={BLINKEN}&title=Blinken"
    response = await http.get("/oembed", params={"url": url, "format": "json"})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "rich"
    assert body["version"] == "1.0"
    assert body["provider_name"] == "timeline"
    assert body["provider_url"] == f"{BASE}/"
    assert body["title"] == "Blinken"
    assert (body["width"], body["height"]) == (640, 600)
    src = re.search(r'<iframe src="([^"]+)" width="640" height="600"', body["html"])
    assert src is not None
    assert src.group(1).replace("&amp;", "&") == url
    assert 'title="Blinken"' in body["html"]


async def test_oembed_title_defaults_to_the_entities(http: httpx.AsyncClient) -> None:
    url = f"{BASE}/embed/timeline?involving=country:us,country:pa"
    body = (await http.get("/oembed", params={"url": url})).json()
    assert body["title"] == "Events involving United States and Panama"


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("maxwidth=300", (300, 600)),
        ("maxwidth=2000&maxheight=250", (640, 250)),
        ("maxheight=5000", (640, 600)),
    ],
)
async def test_oembed_fits_within_maxwidth_and_maxheight(
    http: httpx.AsyncClient, query: str, size: tuple[int, int]
) -> None:
    params = {"url": f"{BASE}/embed/timeline", **dict(p.split("=") for p in query.split("&"))}
    body = (await http.get("/oembed", params=params)).json()
    assert (body["width"], body["height"]) == size
    assert f'width="{size[0]}" height="{size[1]}"' in body["html"]


async def test_oembed_uses_the_embeds_height(http: httpx.AsyncClient) -> None:
    url = f"{BASE}/embed/timeline?height=400"
    assert (await http.get("/oembed", params={"url": url})).json()["height"] == 400
    capped = await http.get("/oembed", params={"url": url, "maxheight": "300"})
    assert capped.json()["height"] == 300


async def test_oembed_xml_is_not_implemented(http: httpx.AsyncClient) -> None:
    response = await http.get("/oembed", params={"url": f"{BASE}/embed/timeline", "format": "xml"})
    assert response.status_code == 501


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/embed/timeline?involving=country:pa",
        f"{BASE}/graphql",
        f"{BASE}/embed/other",
        "javascript:alert(1)",
        "not a url",
    ],
)
async def test_oembed_refuses_urls_that_are_not_our_embeds(
    http: httpx.AsyncClient, url: str
) -> None:
    response = await http.get("/oembed", params={"url": url})
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


async def test_oembed_without_url_or_with_bad_sizes_is_400(http: httpx.AsyncClient) -> None:
    assert (await http.get("/oembed")).status_code == 400
    bad = await http.get("/oembed", params={"url": f"{BASE}/embed/timeline", "maxwidth": "-3"})
    assert bad.status_code == 400
    assert "maxwidth" in bad.json()["error"]["message"]


# --- TimelineJS JSON ---------------------------------------------------------------------------


async def timeline_json(http: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await http.get("/timeline.json", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


async def test_timeline_json_has_a_title_slide_and_events(http: httpx.AsyncClient) -> None:
    body = await timeline_json(http, involving=BLINKEN)
    assert body["title"]["text"]["headline"] == "Events involving Antony J. Blinken"
    events = body["events"]
    assert [e["unique_id"] for e in events] == [
        i.replace(":", "-") for i in await graphql_ids(http, involving=[BLINKEN])
    ]
    for event in events:
        assert set(event) <= {
            "start_date",
            "end_date",
            "display_date",
            "text",
            "group",
            "unique_id",
        }
        assert re.fullmatch(r"[a-z0-9_-]+", event["unique_id"])
        assert event["text"]["headline"]


async def test_timeline_json_dates_carry_only_the_precise_parts(http: httpx.AsyncClient) -> None:
    events = {e["unique_id"]: e for e in (await timeline_json(http, involving=BLINKEN))["events"]}
    bogota = events["event-bogota-ministerial-2021"]
    assert bogota["start_date"] == {"year": 2021, "month": 10}
    assert "end_date" not in bogota
    assert bogota["display_date"] == "October 2021"
    panama = events["event-panama-ministerial-2022"]
    assert panama["start_date"] == {"year": 2022, "month": 4, "day": 19}
    assert panama["end_date"] == {"year": 2022, "month": 4, "day": 20}
    assert panama["group"] == "Ministerial"
    guatemala = events["event-guatemala-ministerial-2024"]
    assert guatemala["start_date"] == {"year": 2024}
    assert "end_date" not in guatemala
    signing = events["event-panama-signing-2022"]
    assert signing["start_date"] == {"year": 2022, "month": 4, "day": 19}
    assert "end_date" not in signing


async def test_timeline_json_text_is_escaped_html_with_sources(http: httpx.AsyncClient) -> None:
    (event,) = (await timeline_json(http, involving="person:hostile"))["events"]
    assert "<script>" not in event["text"]["headline"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in event["text"]["headline"]
    text = event["text"]["text"]
    assert "<script>" not in text
    assert '"onerror' not in text
    assert "&lt;script&gt;" in text
    assert "<cite>Fixture document</cite>, Tests" in text


# --- caching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/embed/timeline?involving={BLINKEN}",
        f"/timeline.json?involving={BLINKEN}",
        f"/oembed?url={BASE}/embed/timeline",
    ],
)
async def test_etag_and_304(http: httpx.AsyncClient, path: str) -> None:
    first = await http.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == (
        "public, max-age=300, s-maxage=600, stale-while-revalidate=60, stale-if-error=3600"
    )
    again = await http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = await http.get(path, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200


async def test_etag_follows_the_normalised_query(http: httpx.AsyncClient) -> None:
    async def etag(query: str) -> str:
        return (await http.get(f"/embed/timeline?{query}")).headers["etag"]

    same = await etag("involving=country:us&from=2022-01-01")
    assert await etag("involving=country:us&from=2022-01-01") == same
    assert await etag("from=2022-01-01&involving=country:us&utm_source=x") == same
    assert await etag("involving=country:us&from=2022-01-01&theme=light") == same
    assert await etag("involving=country:us&from=2022-01-02") != same
    assert await etag("involving=country:us&from=2022-01-01&theme=dark") != same


async def test_etag_changes_with_the_data(writable_store: Store) -> None:
    from tests.fixtures import mini_dataset

    async with client_for(writable_store) as http:
        before = (await http.get("/timeline.json")).headers["etag"]
        dataset = mini_dataset()
        del dataset.entities["event:meeting-01-2023"]
        dataset.relations[:] = [r for r in dataset.relations if "meeting-01" not in r.object]
        await writable_store.load(dataset)
        after = await http.get("/timeline.json", headers={"If-None-Match": before})
        assert after.status_code == 200
        assert after.headers["etag"] != before


# --- security headers --------------------------------------------------------------------------


def csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";")
    }


async def test_embed_csp_allows_framing_per_settings(store: Store) -> None:
    async with client_for(store) as http:
        policy = csp(await http.get("/embed/timeline"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "*"
    assert all("unsafe" not in value for value in policy.values())

    settings = Settings(embed_frame_ancestors="https://news.example https://blog.example")
    async with client_for(store, settings) as http:
        response = await http.get("/embed/timeline")
    assert csp(response)["frame-ancestors"] == "https://news.example https://blog.example"
    assert "x-frame-options" not in response.headers


async def test_explorer_refuses_framing(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    policy = csp(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_json_responses_have_a_closed_csp(http: httpx.AsyncClient) -> None:
    for path in ("/timeline.json", f"/oembed?url={BASE}/embed/timeline"):
        assert csp(await http.get(path))["default-src"] == "'none'"


async def test_static_files_are_served(http: httpx.AsyncClient) -> None:
    for name in ("embed.js", "render.js", "format.js", "explorer.js", "timeline.css"):
        response = await http.get(f"/static/{name}")
        assert response.status_code == 200, name


# --- bad parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("from=2022-13-01", "'from' must be a calendar day"),
        ("to=yesterday", "'to' must be a calendar day"),
        ("from=2023-01-01&to=2022-01-01", "is before"),
        ("from=2022-01-01&from=2023-01-01", "given 2 times"),
        ("involving=Blinken", "entity ids"),
        ("involving=person:nobody-at-all", "no entity with the id"),
        ("categories=Press Conference", "lower-case category"),
        ("theme=pink", "'theme' must be light, dark or auto"),
        ("height=tall", "'height' must be a whole number"),
        ("height=5", "'height' must be between"),
        ("order=sideways", "'order' must be asc or desc"),
        ("text=" + "x" * 300, "at most 200 characters"),
    ],
)
async def test_bad_parameters_are_a_clear_400(
    http: httpx.AsyncClient, query: str, words: str
) -> None:
    page = await http.get(f"/embed/timeline?{query}")
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert words.replace("'", "&#39;") in page.text
    assert "Traceback" not in page.text

    data = await http.get(f"/timeline.json?{query}")
    assert data.status_code == 400
    assert words in data.json()["error"]["message"]


async def test_too_many_ids_is_400(http: httpx.AsyncClient) -> None:
    ids = ",".join(f"person:p{i}" for i in range(60))
    response = await http.get(f"/timeline.json?involving={ids}")
    assert response.status_code == 400
    assert "at most 50" in response.json()["error"]["message"]


async def test_no_store_yet_is_503() -> None:
    async with client_for(None) as http:
        page = await http.get("/embed/timeline")
        data = await http.get("/timeline.json")
    assert page.status_code == data.status_code == 503
    assert page.headers["retry-after"] == "30"
    assert "not available" in data.json()["error"]["message"]


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("en-GB", "en"),
        ("es-MX", "es"),
        ("pt_BR", "pt"),
        ("fr-CA", "fr"),
        ("xx", "en"),
        ("de", "en"),
        ("!!" * 30, "en"),
    ],
)
async def test_locale_falls_back_never_fails(
    http: httpx.AsyncClient, asked: str, served: str
) -> None:
    response = await http.get("/embed/timeline", params={"locale": asked})
    assert response.status_code == 200
    assert f'<html lang="{served}"' in response.text


def test_hostile_fixture_is_hostile() -> None:
    assert "<script>alert(1)</script>" in HOSTILE
    assert '"onerror=alert(2)' in HOSTILE
