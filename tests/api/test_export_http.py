"""GET /export/{format}: every format re-read with a standard reader, on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

import httpx
import networkx as nx
import pytest
from click.testing import CliRunner

from tests.fixtures import mini_dataset
from timeline.api.app import create_app
from timeline.cli import main
from timeline.config import Settings
from timeline.model.seeds import read_seeds
from timeline.services import export as ex
from timeline.stores.base import Store

ENTITIES = set(mini_dataset().entities)
RELATIONS = {r.id for r in mini_dataset().relations}
PANAMA_2022 = "involving=country:pa&from=2022-01-01&to=2022-12-31"
# Panama in 2022, by the default meaning of involving: Panama hosted the ministerial, its
# signing was held in Panama City and Panama's foreign minister signed and spoke.
PANAMA_2022_EVENTS = {
    "event:panama-ministerial-2022",
    "event:panama-signing-2022",
    "event:panama-press-2022",
}


def filename(response: httpx.Response) -> str:
    match = re.fullmatch(
        r'attachment; filename="([^"/\\]+)"', response.headers["content-disposition"]
    )
    assert match, response.headers["content-disposition"]
    return match.group(1)


def events_of(ids: set[str]) -> set[str]:
    return {i for i in ids if i.startswith("event:")}


async def get(http: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    response = await http.get(path, headers=headers)
    return response


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
async def test_graph_formats_read_back_with_networkx(http: httpx.AsyncClient, fmt: str) -> None:
    response = await get(http, f"/export/{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["etag"].startswith('W/"')
    name = filename(response)
    assert name.startswith("timeline_whole-graph_") and name.endswith(f".{fmt}")
    if fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(response.content))
    elif fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(response.content))
    else:
        graph = nx.node_link_graph(json.loads(response.content), edges="edges")
    assert set(graph.nodes) == ENTITIES
    assert graph.number_of_edges() == len(RELATIONS)
    assert graph.nodes["person:antony-blinken"]["label"] == "Antony J. Blinken"


async def test_filters_select_the_timeline_events(http: httpx.AsyncClient) -> None:
    response = await get(http, f"/export/graphml?{PANAMA_2022}")
    assert response.status_code == 200, response.text
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert events_of(set(graph.nodes)) >= PANAMA_2022_EVENTS
    name = filename(response)
    assert "involving-country-pa" in name and "from-2022-01-01" in name and "to-2022-12-31" in name
    # Direct links only: fewer matching events, the same rule as timeline(involvingMode:).
    narrow = await get(http, f"/export/json?{PANAMA_2022}&involvingMode=direct")
    assert narrow.status_code == 200
    data = nx.node_link_graph(json.loads(narrow.content), edges="edges")
    assert "direct" in filename(narrow)
    assert "event:panama-ministerial-2022" in data.nodes
    # The category filter, by its singular or plural name.
    one = await get(http, "/export/json?category=summit")
    two = await get(http, "/export/json?categories=summit")
    assert one.content == two.content
    nodes = nx.node_link_graph(json.loads(one.content), edges="edges").nodes
    assert {n for n in nodes if nodes[n].get("category") == "summit"} == {
        "event:summit-of-the-americas-2022"
    }
    text = await get(http, "/export/json?text=bogota")
    nodes = nx.node_link_graph(json.loads(text.content), edges="edges").nodes
    assert "event:bogota-ministerial-2021" in nodes and "text-bogota" in filename(text)


async def test_csv_is_a_zip_of_tables(http: httpx.AsyncClient) -> None:
    response = await get(http, "/export/csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert filename(response).endswith(".csv.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["documents.csv", "edges.csv", "nodes.csv"]
        tables = {
            name: list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
        }
    assert {row["id"] for row in tables["nodes.csv"]} == ENTITIES
    assert {row["id"] for row in tables["edges.csv"]} == RELATIONS
    assert {row["id"] for row in tables["documents.csv"]} == set(mini_dataset().documents)


@pytest.mark.parametrize("archive", ["zip", "tar.gz"])
async def test_seeds_validate_and_load(
    http: httpx.AsyncClient, store: Store, archive: str, tmp_path: Path
) -> None:
    response = await get(http, f"/export/seeds?{PANAMA_2022}&archive={archive}")
    assert response.status_code == 200, response.text
    assert filename(response).endswith(f".seeds.{archive}")
    folder = tmp_path / "seeds"
    if archive == "zip":
        assert response.headers["content-type"] == "application/zip"
        zipfile.ZipFile(io.BytesIO(response.content)).extractall(folder)
    else:
        assert response.headers["content-type"] == "application/gzip"
        with tarfile.open(fileobj=io.BytesIO(response.content)) as tar:
            tar.extractall(folder, filter="data")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    loaded, problems = read_seeds(folder)
    assert problems == []
    expected = await ex.select(
        store,
        ex.ExportFilters(
            start=dt.date(2022, 1, 1),
            end=dt.date(2022, 12, 31),
            involving=("country:pa",),
        ),
    )
    assert loaded.version() == expected.version()
    assert {e for e in loaded.entities if e.startswith("event:")} == PANAMA_2022_EVENTS


async def test_etag_follows_the_data_and_the_filters(http: httpx.AsyncClient) -> None:
    first = await get(http, f"/export/gexf?{PANAMA_2022}")
    etag = first.headers["etag"]
    again = await get(http, f"/export/gexf?{PANAMA_2022}", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = await get(http, "/export/gexf?involving=country:us")
    assert other.headers["etag"] != etag
    assert (await get(http, "/export/graphml?" + PANAMA_2022)).headers["etag"] != etag


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/export/pdf", "'format'"),
        ("/export/graphml?from=2022-13-01", "'from'"),
        ("/export/graphml?to=yesterday", "'to'"),
        ("/export/graphml?from=2023-01-01&to=2022-01-01", "'to'"),
        ("/export/graphml?involving=Panama", "'involving'"),
        ("/export/graphml?involving=country:zz", "'involving'"),
        ("/export/graphml?category=Summit!", "'categories'"),
        ("/export/graphml?text=" + "x" * 300, "'text'"),
        ("/export/graphml?involvingMode=wide", "'involvingMode'"),
        ("/export/graphml?archive=zip", "'archive'"),
        ("/export/seeds?archive=rar", "'archive'"),
        ("/export/graphml?catgory=summit", "'catgory'"),
        ("/export/graphml?from=2022-01-01&from=2023-01-01", "'from'"),
    ],
)
async def test_bad_parameters_are_a_400_naming_them(
    http: httpx.AsyncClient, path: str, names: str
) -> None:
    response = await get(http, path)
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert names in message


async def test_exports_are_rate_limited_like_every_route(store: Store) -> None:
    settings = Settings(rate_limit=1, rate_burst=2)
    transport = httpx.ASGITransport(
        app=create_app(settings, store=store), client=("203.0.113.9", 4000)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        codes = [(await http.get("/export/json")).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]


async def test_a_slow_selection_meets_the_deadline(store: Store) -> None:
    settings = Settings(request_timeout=1e-6)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, store=store)), base_url="http://t"
    ) as http:
        response = await http.get(f"/export/graphml?{PANAMA_2022}")
    assert response.status_code == 503
    assert "narrow it" in response.json()["error"]["message"]
