"""The pages' languages over HTTP (each backend): ``locale=`` on embeds and oEmbed,
``Accept-Language`` and the language switch on the explorer, GraphiQL's page chrome and
error pages in the reader's language; an unsupported locale falls back."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import client_for
from timeline.api.formatting import formatter
from timeline.stores.base import Store


@pytest.mark.parametrize("locale", ["en", "es", "pt", "fr"])
async def test_embed_speaks_the_locale(http: httpx.AsyncClient, locale: str) -> None:
    fmt = formatter(locale)
    page = await http.get("/embed/timeline", params={"locale": locale})
    assert page.status_code == 200
    assert f'<html lang="{locale}"' in page.text
    for key in ("footer.credit", "footer.explorer", "events.more"):
        assert fmt.t(key) in page.text


async def test_oembed_title_in_the_locale(http: httpx.AsyncClient) -> None:
    embed = "http://testserver/embed/timeline?locale=es"
    body = (await http.get("/oembed", params={"url": embed})).json()
    assert body["title"] == "Cronología"
    assert "locale=es" in body["html"]
    other_url = "http://testserver/embed/timeline?locale=xx"
    other = (await http.get("/oembed", params={"url": other_url})).json()
    assert other["title"] == "Timeline"


async def test_explorer_follows_accept_language(http: httpx.AsyncClient) -> None:
    page = await http.get("/", headers={"Accept-Language": "de-DE, pt-BR;q=0.8, en;q=0.5"})
    assert '<html lang="pt"' in page.text
    assert "Diplomacia migratória nas Américas" in page.text
    assert "Accept-Language" in page.headers["vary"]
    # the visible switch: this page in each language
    for code, name in (("en", "English"), ("es", "Español"), ("fr", "Français")):
        assert f'hreflang="{code}"' in page.text
        assert name in page.text


async def test_language_switch_is_remembered(http: httpx.AsyncClient) -> None:
    page = await http.get("/", params={"locale": "fr", "entity": "country:pa"})
    assert '<html lang="fr"' in page.text
    assert page.cookies.get("timeline_locale") == "fr"
    assert 'href="?entity=country:pa&amp;locale=es"' in page.text
    again = await http.get("/", params={"entity": "country:pa"}, headers={"Accept-Language": "es"})
    assert '<html lang="fr"' in again.text  # the cookie outranks Accept-Language


async def test_unsupported_accept_language_falls_back(http: httpx.AsyncClient) -> None:
    page = await http.get("/", headers={"Accept-Language": "zz;q=oops, *"})
    assert page.status_code == 200
    assert '<html lang="en"' in page.text


async def test_graphiql_chrome_in_the_reader_language(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"Accept": "text/html", "Accept-Language": "es"})
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "Cargando GraphiQL…" in page.text


async def test_error_page_in_the_reader_language(http: httpx.AsyncClient) -> None:
    page = await http.get("/embed/timeline", params={"locale": "es", "theme": "pink"})
    assert page.status_code == 400
    assert '<html lang="es"' in page.text
    assert "No se puede mostrar esta cronología" in page.text
    # the parameter's problem is told in English, and marked so
    assert 'lang="en"' in page.text


@pytest.mark.parametrize(
    ("locale", "day_span", "month"),
    [
        ("en", "19\u2009–\u200920 April 2022", "October 2021"),
        ("es", "19–20 de abril de 2022", "octubre de 2021"),
        ("pt", "19\u2009–\u200920 de abril de 2022", "outubro de 2021"),
        ("fr", "19–20 avril 2022", "octobre 2021"),
    ],
)
async def test_dates_in_the_locale(
    http: httpx.AsyncClient, locale: str, day_span: str, month: str
) -> None:
    params = {"involving": "person:antony-blinken", "locale": locale}
    data = (await http.get("/timeline.json", params=params)).json()
    shown = {slide["display_date"] for slide in data["events"]}
    assert {day_span, month} <= shown  # TimelineJS gets our localized display dates
    html = (await http.get("/embed/timeline", params=params)).text
    assert f">{day_span}</time>" in html
    assert f'datetime="2021-10" data-precision="MONTH">{month}</time>' in html


async def test_names_in_the_readers_language(seeded_store: Store) -> None:
    centres = "organization:guatemala-migration-resource-centers"
    spanish = "Centros de Atención a Personas Migrantes y Refugiadas"
    async with client_for(seeded_store) as http:
        for locale, name in (("es", spanish), ("en", "Migration Resource Centers (Guatemala)")):
            embed = f"http://testserver/embed/timeline?involving={centres}&locale={locale}"
            body = (await http.get("/oembed", params={"url": embed})).json()
            assert name in body["title"], locale
        found = await http.post(
            "/graphql",
            json={
                "query": '{ search(text: "Centros de Atencion", first: 1) '
                '{ node { id name(locale: "es") } } }'
            },
        )
        assert found.json()["data"]["search"][0]["node"] == {"id": centres, "name": spanish}
