"""The Python API: ``timeline.open`` → networkx graphs, DataFrames and timeline queries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import timeline
from tests.conftest import neo4j_options
from tests.fixtures import mini_dataset
from timeline.model.records import Event
from timeline.research import Graph
from timeline.services import export as ex
from timeline.stores.base import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_importing_timeline_stays_light() -> None:
    code = (
        "import sys, timeline; "
        "print(sorted(m for m in ('timeline.research', 'networkx', 'pandas', 'neo4j') "
        "if m in sys.modules)); print(timeline.open.__module__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "timeline.research"]


def test_a_memory_graph_needs_no_thread_of_its_own() -> None:
    """The memory backend's calls run on the caller's thread: no background loop starts."""
    code = (
        "import threading, timeline; graph = timeline.open(" + repr(str(SEEDS)) + "); "
        "graph.timeline(involving='person:antony-blinken'); graph.communities(); "
        "graph.shortest_path('person:antony-blinken', 'country:gt'); graph.close(); "
        "print(sorted(t.name for t in threading.enumerate()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['MainThread']"


def test_open_loads_the_seeds(graph: Graph) -> None:
    assert graph.dataset.version() == mini_dataset().version()
    assert repr(graph).startswith("<timeline.Graph (memory): 33 events")


def test_to_networkx(graph: Graph) -> None:
    data = mini_dataset()
    nx_graph = graph.to_networkx()
    assert nx_graph.number_of_nodes() == len(data.entities)
    assert nx_graph.number_of_edges() == len(data.relations)
    assert set(nx_graph.nodes) == set(data.entities)
    assert {k for _, _, k in nx_graph.edges(keys=True)} == {r.id for r in data.relations}
    assert nx_graph.nodes["country:pa"] == ex.node_attributes(data.entities["country:pa"])


def test_events_frame(graph: Graph) -> None:
    events = graph.events()
    assert list(events.columns[:7]) == [
        "id",
        "name",
        "category",
        "date",
        "start",
        "end",
        "precision",
    ]
    assert len(events) == 33
    assert events["id"].tolist() == [e.id for e in graph.timeline()]
    by_id = events.set_index("id")
    assert by_id.loc["event:meeting-25-2023", "status"] == "planned"
    assert by_id.loc["event:meeting-25-2023", "basis"] == "inferred"
    assert set(by_id.drop("event:meeting-25-2023")["status"]) == {"occurred"}
    assert pd.api.types.is_datetime64_any_dtype(events["start"])
    row = events.set_index("id").loc["event:guatemala-ministerial-2024"]
    assert (row["date"], row["start"], row["end"]) == (
        "2024",
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-12-31"),
    )
    assert row["series_order"] == 5


def test_entities_frame(graph: Graph) -> None:
    everything = graph.entities()
    assert len(everything) == len(mini_dataset().entities)
    assert {"id", "kind", "name", "aliases", "sources", "source_documents"} <= set(everything)
    places = graph.entities("place")
    assert set(places["kind"]) == {"place"}
    assert {"latitude", "longitude"} <= set(places.columns) and "category" not in places
    blinken = everything.set_index("id").loc["person:antony-blinken"]
    assert blinken["aliases"] == "Antony Blink | Anthony Blinken | Bliken"


def test_relations_and_positions_frames(graph: Graph) -> None:
    relations = graph.relations()
    assert len(relations) == len(mini_dataset().relations)
    assert list(relations.columns[:5]) == ["id", "source", "source_name", "target", "target_name"]
    attended = graph.relations("ATTENDED")
    assert set(attended["type"]) == {"ATTENDED"}
    positions = graph.positions()
    assert positions.columns.tolist() == [
        "person", "person_name", "title", "organization", "organization_name",
        "start_date", "end_date", "start", "end", "sources",
    ]  # fmt: skip
    assert positions["person"].tolist() == [
        "person:alicia-barcena",
        "person:antony-blinken",
        "person:erika-mouynes",
    ]
    assert positions["start"].tolist()[:2] == [
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2021-01-26"),
    ]


def test_timeline_filters(graph: Graph) -> None:
    def ids(events: list[Event]) -> list[str]:
        return [e.id for e in events]

    assert ids(graph.timeline(start="2024-01-01", categories="ministerial")) == [
        "event:guatemala-ministerial-2024"
    ]
    # Time order: a year-precision event starts on 1 January, before a day in February.
    assert ids(graph.timeline(involving=["person:antony-blinken", "person:alicia-barcena"])) == [
        "event:guatemala-ministerial-2024",
        "event:washington-trilateral-2024",
    ]
    assert ids(graph.timeline(text="PANAMÁ", end="2022-12-31"))[0] == "event:panama-signing-2022"
    assert len(graph.timeline(categories=["signing", "summit"])) == 2
    everything = graph.timeline()
    assert graph.timeline(descending=True) == everything[::-1]


def test_select_and_export(graph: Graph, tmp_path: Path) -> None:
    subset = graph.select(involving="person:alicia-barcena")
    assert {e.id for e in subset.timeline()} == {
        "event:washington-trilateral-2024",
        "event:guatemala-ministerial-2024",
    }
    assert "person:alicia-barcena" in subset.to_networkx()
    path = subset.export("gexf", tmp_path / "subset.gexf")
    assert path.read_bytes().startswith(b"<?xml")
    folder = subset.export("seeds", tmp_path / "seeds")
    assert (folder / "relations.yaml").is_file()


async def test_works_inside_a_running_event_loop(graph: Graph) -> None:
    """As in Jupyter: the sync API is called from code that runs on an event loop."""
    assert [e.id for e in graph.timeline(categories="summit")] == [
        "event:summit-of-the-americas-2022"
    ]


def test_frames_without_pandas_say_how_to_install_it(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'timeline\[pandas\]'"):
        graph.events()


def test_open_refuses_an_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        timeline.open(backend="sqlite")


async def test_open_a_store_backend(store: Store) -> None:
    """``backend="neo4j"`` reads the database (the fixture holds the fixture graph)."""
    if store.name != "neo4j":
        pytest.skip("the memory backend is opened from seed files (above)")
    with timeline.open(backend="neo4j", **neo4j_options()) as opened:
        assert opened.dataset.version() == mini_dataset().version()
        assert len(opened.timeline(categories="meeting")) == 27


def test_curate_writes_through_the_curation_service(tmp_path: Path) -> None:
    from timeline.config import Settings
    from timeline.services.curation import CurationError

    text = (
        "Foreign ministers met in Quito on 3 May 2023 for a working meeting, which Zedland hosted."
    )
    quote = [{"doc": "document:quito-note", "quote": "which Zedland hosted"}]
    settings = Settings(curation_dir=tmp_path / "curated", audit_log=tmp_path / "audit.jsonl")
    with timeline.open(SEEDS) as graph:
        assert "country:zz" not in graph.dataset.entities
        with pytest.raises(CurationError, match="unknown document") as refused:
            graph.curate(
                who="notebook",
                create=[{"id": "country:zz", "name": "Zedland", "code": "ZZ", "sources": quote}],
                settings=settings,
            )  # the document is not in the graph: its quote cannot be checked
        assert refused.value.problems and "country:zz" not in graph.dataset.entities
        version = graph.curate(
            who="notebook",
            documents=[{"id": "document:quito-note", "title": "A note", "text": text}],
            create=[{"id": "country:zz", "name": "Zedland", "code": "ZZ", "sources": quote}],
            settings=settings,
        )
        assert version and "country:zz" in graph.dataset.entities
        assert graph.dataset.entities["country:zz"].sources[0].quote == "which Zedland hosted"
        (entry,) = [
            json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()
        ]
        assert entry["who"] == "notebook" and entry["outcome"] == "applied"
