"""Exports: each format read back with a standard reader and compared with the dataset."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from click.testing import CliRunner

from tests.conftest import CORPUS, seed_dataset
from tests.fixtures import DOC, mini_dataset
from timeline.cli import main
from timeline.model.dates import parse_date
from timeline.model.records import (
    ENTITY_CLASSES,
    Claim,
    Country,
    Dataset,
    Document,
    Entity,
    Event,
    Organization,
    Person,
    Relation,
    Source,
)
from timeline.model.seeds import read_seeds
from timeline.services import export as ex
from timeline.stores.base import Store
from timeline.stores.memory import MemoryStore

GEXF_NS = "{http://www.gexf.net/1.2draft}"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def curated() -> Dataset:
    """The curated seeds (they validate: ``seed_dataset`` raises if they do not)."""
    return seed_dataset()


DATASETS = {"fixture": mini_dataset, "seeds": curated}


@pytest.fixture(params=list(DATASETS))
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return DATASETS[request.param]()


def text(chunks: Iterable[str | bytes]) -> bytes:
    return b"".join(c.encode() if isinstance(c, str) else c for c in chunks)


def same_relations(a: Dataset, b: Dataset) -> bool:
    return sorted(a.relations, key=lambda r: r.key) == sorted(b.relations, key=lambda r: r.key)


def assert_same(loaded: Dataset, original: Dataset) -> None:
    assert loaded.version() == original.version()
    assert loaded.entities == original.entities
    assert loaded.documents == original.documents
    assert same_relations(loaded, original)


# --- attributes -------------------------------------------------------------------------------


def test_every_model_field_is_exported_as_a_declared_scalar() -> None:
    for cls in ENTITY_CLASSES.values():
        for f in fields(cls):
            common = {"id", "name", "aliases", "description", "sources", "claims"}
            covered = f.name in common | {"localized_names"}  # exported as "names"
            assert covered or f.name in ex.NODE_ATTRIBUTES, f"{cls.__name__}.{f.name}"
    data = mini_dataset()
    graph = ex.to_networkx(data)
    for _, attributes in graph.nodes(data=True):
        assert set(attributes) <= set(ex.NODE_ATTRIBUTES)
        assert all(isinstance(v, str | int | float) and v != "" for v in attributes.values())
    for _, _, attributes in graph.edges(data=True):
        assert set(attributes) <= set(ex.EDGE_ATTRIBUTES)
        assert all(isinstance(v, str | int | float) and v != "" for v in attributes.values())


def test_attributes_of_an_event_and_a_position() -> None:
    graph = ex.to_networkx(mini_dataset())
    event = graph.nodes["event:panama-ministerial-2022"]
    assert event["kind"] == "event"
    assert event["label"] == "Ministerial Conference on Migration and Protection"
    assert (event["date"], event["start"], event["end"]) == (
        "2022-04-19/2022-04-20",
        "2022-04-19",
        "2022-04-20",
    )
    assert event["precision"] == "DAY" and event["series_order"] == 2
    assert json.loads(event["sources"]) == [
        {"doc": DOC, "quote": "as the fixture says", "basis": "stated"}
    ]
    assert event["status"] == "occurred" and event["basis"] == "stated"
    assert (
        graph.nodes["person:antony-blinken"]["aliases"] == "Antony Blink | Anthony Blinken | Bliken"
    )
    ((_, position),) = graph["person:alicia-barcena"]["country:mx"].items()
    assert position["type"] == position["label"] == "HOLDS_POSITION"
    assert position["title"] == "Secretary of Foreign Affairs"
    assert (position["start_date"], position["start"]) == ("2023", "2023-01-01")
    assert "end" not in position and "end_date" not in position
    assert position["basis"] == "inferred"
    (source,) = json.loads(position["sources"])
    assert source["basis"] == "inferred" and source["note"].startswith("She speaks for Mexico")


def test_epistemic_status_is_exported() -> None:
    graph = ex.to_networkx(mini_dataset())
    assert graph.nodes["event:meeting-25-2023"]["status"] == "planned"
    assert graph.nodes["event:meeting-24-2023"]["status"] == "occurred"
    declaration = graph.nodes["agreement:los-angeles-declaration"]
    assert declaration["basis"] == "inferred"
    signed, adopted = json.loads(declaration["claims"])
    assert signed["basis"] == "stated"  # one of its two sources states it
    assert [s["basis"] for s in signed["sources"]] == ["inferred", "stated"]
    assert signed["sources"][1]["note"] == "A remark."
    assert adopted["basis"] == "inferred"
    ((_, part_of),) = graph["event:panama-signing-2022"]["event:panama-ministerial-2022"].items()
    assert part_of["basis"] == "stated"
    ((_, held_in),) = graph["event:panama-signing-2022"]["place:panama-city"].items()
    assert held_in["basis"] == "inferred"


# --- GraphML, GEXF, node-link -------------------------------------------------------------------


def expected_graph(data: Dataset) -> nx.MultiDiGraph:
    return ex.to_networkx(data)


def test_graphml_reads_back(dataset: Dataset) -> None:
    read = nx.read_graphml(io.BytesIO(text(ex.graphml(dataset))), force_multigraph=True)
    expected = expected_graph(dataset)
    assert read.number_of_nodes() == len(dataset.entities)
    assert read.number_of_edges() == len(dataset.relations)
    assert dict(read.nodes(data=True)) == dict(expected.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in read.edges(keys=True, data=True)} == {
        (u, v, k): d for u, v, k, d in expected.edges(keys=True, data=True)
    }
    assert read.graph["version"] == dataset.version()


def test_gexf_reads_back(dataset: Dataset) -> None:
    read = nx.read_gexf(io.BytesIO(text(ex.gexf(dataset))))
    expected = expected_graph(dataset)
    assert read.number_of_nodes() == len(dataset.entities)
    assert read.number_of_edges() == len(dataset.relations)
    assert read.graph["mode"] == "dynamic"
    assert dict(read.nodes(data=True)) == dict(expected.nodes(data=True))
    edges = {d.pop("id"): d for _, _, d in read.edges(data=True)}
    assert edges == {k: d for _, _, k, d in expected.edges(keys=True, data=True)}


def test_gexf_structure(dataset: Dataset) -> None:
    """No registry package ships the GEXF 1.2 XSD, so the structure Gephi reads is checked
    by hand: namespace, version, dynamic dates, declared attributes, valid references."""
    root = ElementTree.fromstring(text(ex.gexf(dataset)))
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.2"
    assert [child.tag for child in root] == [f"{GEXF_NS}meta", f"{GEXF_NS}graph"]
    graph = root.find(f"{GEXF_NS}graph")
    assert graph is not None
    assert (graph.get("defaultedgetype"), graph.get("mode"), graph.get("timeformat")) == (
        "directed",
        "dynamic",
        "date",
    )
    declared: dict[str, dict[str, str]] = {}
    for attributes in graph.findall(f"{GEXF_NS}attributes"):
        titles = {a.get("id"): a.get("type") for a in attributes}
        assert set(titles.values()) <= {"string", "integer", "double"}
        declared[str(attributes.get("class"))] = {str(k): str(v) for k, v in titles.items()}
    assert set(declared) == {"node", "edge"}
    node_ids = [n.get("id") for n in graph.iter(f"{GEXF_NS}node")]
    assert len(node_ids) == len(set(node_ids)) == len(dataset.entities)
    for element, kind in [(n, "node") for n in graph.iter(f"{GEXF_NS}node")] + [
        (e, "edge") for e in graph.iter(f"{GEXF_NS}edge")
    ]:
        check_dates(element)
        for value in element.iter(f"{GEXF_NS}attvalue"):
            assert value.get("for") in declared[kind]
            if declared[kind][str(value.get("for"))] == "integer":
                int(str(value.get("value")))
    for edge in graph.iter(f"{GEXF_NS}edge"):
        assert edge.get("source") in node_ids and edge.get("target") in node_ids


def check_dates(element: ElementTree.Element) -> None:
    start, end = element.get("start"), element.get("end")
    for day in (start, end):
        assert day is None or DAY.match(day)
    if start and end:
        assert start <= end


def test_node_link_json_reads_back(dataset: Dataset) -> None:
    data = json.loads(text(ex.node_link_json(dataset)))
    read = nx.node_link_graph(data, edges="edges")
    assert isinstance(read, nx.MultiDiGraph)
    assert read.number_of_edges() == len(dataset.relations)
    assert nx.utils.graphs_equal(read, expected_graph(dataset))


def test_xml_escapes_markup_and_drops_characters_xml_cannot_hold() -> None:
    data = mini_dataset()
    odd = Person(id="person:odd", name="A\x0bB <b>&amp;</b> ]]>", sources=(Source(DOC, "q"),))
    data.entities[odd.id] = odd
    graphml = nx.read_graphml(io.BytesIO(text(ex.graphml(data))))
    gexf = nx.read_gexf(io.BytesIO(text(ex.gexf(data))))
    assert graphml.nodes[odd.id]["label"] == gexf.nodes[odd.id]["label"] == "AB <b>&amp;</b> ]]>"


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_csv_zip(dataset: Dataset) -> None:
    archive = zipfile.ZipFile(io.BytesIO(text(ex.csv_zip(dataset))))
    assert archive.namelist() == ["nodes.csv", "edges.csv", "documents.csv"]
    nodes, edges = read_csv(archive, "nodes.csv"), read_csv(archive, "edges.csv")
    documents = read_csv(archive, "documents.csv")
    assert [n["id"] for n in nodes] == sorted(dataset.entities)
    assert len(edges) == len(dataset.relations) and len(documents) == len(dataset.documents)
    relations = {r.id: r for r in dataset.relations}
    for row in edges:
        rel = relations[row["id"]]
        assert (row["source"], row["type"], row["target"]) == (rel.subject, rel.type, rel.object)
        assert row["role"] == (rel.role or "") and row["title"] == (rel.title or "")
        sources = [
            Source(s["doc"], s["quote"], s["basis"], s.get("note"))
            for s in json.loads(row["sources"])
        ]
        assert tuple(sources) == rel.sources
        assert row["source_documents"].split(" | ") == [s.document for s in rel.sources]
        assert row["source_quotes"] == " | ".join(s.quote for s in rel.sources)
        assert row["source_bases"].split(" | ") == [s.basis for s in rel.sources]
        assert row["source_notes"] == " | ".join(s.note or "" for s in rel.sources)
        assert row["basis"] == rel.basis
    for row in nodes:
        entity = dataset.entities[row["id"]]
        assert (row["kind"], row["label"]) == (entity.kind.value, entity.name)
        assert json.loads(row["sources"]) == [
            {"doc": s.document, "quote": s.quote, "basis": s.basis}
            | ({"note": s.note} if s.note is not None else {})
            for s in entity.sources
        ]
        assert row["status"] == getattr(entity, "status", "")
    assert {d["id"] for d in documents} == set(dataset.documents)


# --- Seeds --------------------------------------------------------------------------------------


def test_seed_folder_round_trip(dataset: Dataset, tmp_path: Path) -> None:
    ex.write_seed_folder(dataset, tmp_path / "out", corpus=CORPUS)
    loaded, problems = read_seeds(tmp_path / "out")
    assert problems == []
    assert_same(loaded, dataset)


def test_seed_export_is_deterministic(tmp_path: Path) -> None:
    data = mini_dataset()
    shuffled = Dataset(
        dict(reversed(data.documents.items())),
        dict(reversed(data.entities.items())),
        list(reversed(data.relations)),
    )
    assert text(ex.seed_archive(data, ".zip")) == text(ex.seed_archive(shuffled, ".zip"))
    assert text(ex.gexf(data)) == text(ex.gexf(shuffled))


@pytest.mark.parametrize("suffix", [".zip", ".tar", ".tar.gz", ".tgz"])
def test_seed_archive_round_trip(suffix: str, tmp_path: Path) -> None:
    data = curated()
    path = ex.write_export(ex.seed_archive(data, suffix, corpus=CORPUS), tmp_path / f"s{suffix}")
    folder = tmp_path / "unpacked"
    if suffix == ".zip":
        zipfile.ZipFile(path).extractall(folder)
    else:
        with tarfile.open(path) as archive:
            archive.extractall(folder, filter="data")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["dataset.yaml", "documents.yaml", *(f"{k}.yaml" for k in ex.SEED_FILES.values()),
         "relations.yaml"]
    )  # fmt: skip
    loaded, problems = read_seeds(folder)
    assert problems == []
    assert_same(loaded, data)


def tricky_dataset() -> Dataset:
    """Strings YAML 1.1 would read as booleans, numbers, dates or nulls, and odd text."""
    tricky = [
        "NO", "yes", "On", "2024", "20", "1e3", "0x1F", "null", "~", "true", "12:30", "- dash",
        "key: value", "#hash", "'quoted'", '"double"', "multi\nline", "tab\there",
        "ünïcødé – “quotes”", "@at", "!tag", "*star", "&amp", "%", "[x]",
    ]  # fmt: skip
    sources = tuple(Source("document:d", quote) for quote in tricky)
    norway = Country(id="country:no", name="NO", aliases=tuple(tricky), code="NO", sources=sources)
    org = Organization(
        id="organization:o",
        name="2024",
        acronym="NO",
        org_type="ngo",
        country="country:no",
        description="20",
        sources=sources[:1],
        claims=(Claim("delegations", "20", sources[:2]), Claim("year", "2024", sources[:1])),
    )
    event = Event(
        id="event:e-2024",
        name="yes",
        category="meeting",
        date=parse_date("2024"),
        series="s-1",
        series_order=0,
        sources=sources[:1],
    )
    relations = [
        Relation(type="ATTENDED", subject="country:no", object="event:e-2024", role=role,
                 date=parse_date("2024-02"), sources=sources[:1])
        for role in tricky
    ] + [
        Relation(type="HOLDS_POSITION", subject="person:p", object="country:no",
                 title="NO", start=parse_date("2021"), end=parse_date("2022-01-02"),
                 sources=sources[:1])
    ]  # fmt: skip
    person = Person(id="person:p", name="~", sources=sources[-1:])
    document = Document(id="document:d", title="null", publisher="NO", language="en", url="20")
    return Dataset(
        documents={document.id: document},
        entities={e.id: e for e in (norway, org, event, person)},
        relations=relations,
    )


def test_seeds_keep_strings_yaml_would_misread(tmp_path: Path) -> None:
    data = tricky_dataset()
    ex.write_seed_folder(data, tmp_path)
    loaded, problems = read_seeds(tmp_path)
    assert problems == []
    assert_same(loaded, data)


async def test_seeds_round_trip_through_each_backend(writable_store: Store, tmp_path: Path) -> None:
    """Dump the store, export, validate, load the export back, dump again: the same graph."""
    original = await writable_store.dump()
    ex.write_seed_folder(original, tmp_path, corpus=CORPUS)
    loaded, problems = read_seeds(tmp_path)
    assert problems == []
    assert_same(loaded, original)
    await writable_store.load(loaded)
    assert_same(await writable_store.dump(), original)
    assert await writable_store.data_version() == await MemoryStore(original).data_version()


# --- Selecting by the timeline filters ----------------------------------------------------------

FILTERS = [
    ex.ExportFilters(involving=("person:antony-blinken",)),
    ex.ExportFilters(categories=("ministerial",)),
    ex.ExportFilters(start=parse_date("2024").start),
    ex.ExportFilters(text="panama", categories=("signing", "press_conference")),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f)[14:60])
async def test_select_keeps_matches_their_links_and_the_relations_among_them(
    store: Store, filters: ex.ExportFilters, tmp_path: Path
) -> None:
    data = mini_dataset()
    subset = await ex.select(store, filters)
    matching = {e.id for e in await ex.matching_events(store, filters)}
    assert matching and matching <= set(subset.entities)
    linked = {r.other(e) for r in data.relations for e in matching if e in (r.subject, r.object)}
    countries = {getattr(data.entities[i], "country", None) for i in matching | linked} - {None}
    assert set(subset.entities) == matching | linked | countries
    kept = set(subset.entities)
    assert {r.id for r in subset.relations} == {
        r.id for r in data.relations if r.subject in kept and r.object in kept
    }
    assert set(subset.documents) == {DOC}
    # The same subset from every backend, and it is a valid dataset of its own.
    assert subset.version() == (await ex.select(MemoryStore(data), filters)).version()
    ex.write_seed_folder(subset, tmp_path)
    loaded, problems = read_seeds(tmp_path)
    assert problems == []
    assert_same(loaded, subset)


async def test_select_without_filters_is_the_whole_graph(store: Store) -> None:
    assert (await ex.select(store)).version() == mini_dataset().version()


# --- Streaming ----------------------------------------------------------------------------------


def noise(i: int) -> str:
    """Text that compresses badly, so compressed archives are large too."""
    return hashlib.blake2b(str(i).encode()).hexdigest()


def large_dataset(events: int = 3000) -> Dataset:
    doc = Document(id="document:big", title="Big")
    people = [
        Person(id=f"person:p{i}", name=f"Person {i}", sources=(Source(doc.id, noise(-i)),))
        for i in range(events // 3)
    ]
    happenings = [
        Event(id=f"event:e{i}", name=f"Event {i}", category="meeting",
              date=parse_date(f"20{10 + i % 15}-0{1 + i % 9}"), sources=(Source(doc.id, "q"),))
        for i in range(events)
    ]  # fmt: skip
    relations = [
        Relation(type="ATTENDED", subject=people[i % len(people)].id, object=e.id,
                 role="delegation", sources=(Source(doc.id, noise(i)),))
        for i, e in enumerate(happenings)
    ]  # fmt: skip
    entities: list[Entity] = [*people, *happenings]
    return Dataset({doc.id: doc}, {e.id: e for e in entities}, relations)


@pytest.mark.parametrize(
    "exporter",
    [ex.graphml, ex.gexf, ex.node_link_json, ex.csv_zip,
     lambda d: ex.seed_archive(d, ".zip"), lambda d: ex.seed_archive(d, ".tgz")],
    ids=["graphml", "gexf", "json", "csv", "seeds-zip", "seeds-tgz"],
)  # fmt: skip
def test_exports_stream_in_many_chunks(exporter: Any) -> None:
    data = large_dataset()
    sizes = [len(chunk) for chunk in exporter(data)]
    assert len(sizes) > 8 and min(sizes) > 0
    assert max(sizes) < sum(sizes) / 4, "one chunk holds most of the file"


def test_text_exports_yield_a_chunk_per_node_or_edge() -> None:
    data = large_dataset()
    items = len(data.entities) + len(data.relations)
    for exporter in (ex.graphml, ex.gexf, ex.node_link_json):
        assert sum(1 for _ in exporter(data)) >= items


# --- The command --------------------------------------------------------------------------------


@pytest.fixture
def seeds_folder(tmp_path: Path) -> Path:
    return ex.write_seed_folder(mini_dataset(), tmp_path / "seeds")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_command_writes_each_format(fmt: str, seeds_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(
        main,
        ["export", fmt, "--seeds", str(seeds_folder), "--out", str(out), "--backend", "memory"],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == text(ex.export(mini_dataset(), fmt))


def test_command_filters_and_writes_seeds(seeds_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "subset.tar.gz"
    args = ["export", "seeds", "--seeds", str(seeds_folder), "--out", str(out),
            "--backend", "memory", "--from", "2024-01-01", "--category", "ministerial"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with tarfile.open(out) as archive:
        archive.extractall(tmp_path / "subset", filter="data")
    loaded, problems = read_seeds(tmp_path / "subset")
    assert problems == []
    assert {e.id for e in loaded.entities.values() if isinstance(e, Event)} == {
        "event:guatemala-ministerial-2024"
    }


def test_command_json_to_standard_output(seeds_folder: Path) -> None:
    args = ["export", "json", "--seeds", str(seeds_folder), "--backend", "memory",
            "--involving", "person:alicia-barcena"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    graph = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    assert "event:washington-trilateral-2024" in graph and "event:hostile-2023" not in graph


def test_command_needs_out_for_seeds(seeds_folder: Path) -> None:
    result = CliRunner().invoke(main, ["export", "seeds", "--seeds", str(seeds_folder)])
    assert result.exit_code == 2 and "--out" in result.output


def test_command_involving_mode(seeds_folder: Path) -> None:
    """--involving-mode direct keeps direct links (and the roll-up), as involvingMode does."""
    base = ["export", "json", "--seeds", str(seeds_folder), "--backend", "memory",
            "--involving", "country:pa"]  # fmt: skip
    graphs = {}
    for mode in (None, "all", "direct"):
        result = CliRunner().invoke(main, base + (["--involving-mode", mode] if mode else []))
        assert result.exit_code == 0, result.output
        graphs[mode] = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    assert nx.utils.graphs_equal(graphs[None], graphs["all"])  # the default: the API's
    # The press conference and the signing were held in Panama City (in Panama), not
    # linked to Panama: only the wide rule matches them, and with them who took part.
    only_wide = set(graphs["all"].nodes) - set(graphs["direct"].nodes)
    assert {"person:antony-blinken", "person:erika-mouynes"} <= only_wide
    assert set(graphs["direct"].nodes) < set(graphs["all"].nodes)
    assert graphs["direct"].number_of_edges() < graphs["all"].number_of_edges()
    bad = CliRunner().invoke(main, [*base, "--involving-mode", "narrow"])
    assert bad.exit_code == 2 and "--involving-mode" in bad.output
