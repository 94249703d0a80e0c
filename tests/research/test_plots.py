"""Analytics on the research ``Graph`` and the figures of ``timeline.plots``."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import networkx as nx
import pytest

from timeline import plots
from timeline.model.dates import parse_date
from timeline.model.records import Event, Source
from timeline.research import Graph

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PEOPLE = [
    "person:alicia-barcena",
    "person:antony-blinken",
    "person:bernardo-arevalo",
    "person:erika-mouynes",
]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header, after checking that it is one."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


# --- analytics on the Graph --------------------------------------------------------------------


def test_co_participation_graph(graph: Graph) -> None:
    people = graph.co_participation(kinds="person")
    assert isinstance(people, nx.Graph) and not people.is_directed()
    assert sorted(people.nodes) == PEOPLE
    assert sorted((u, v, w) for u, v, w in people.edges(data="weight")) == [
        ("person:alicia-barcena", "person:antony-blinken", 2),
        ("person:alicia-barcena", "person:bernardo-arevalo", 1),
        ("person:antony-blinken", "person:bernardo-arevalo", 1),
        ("person:antony-blinken", "person:erika-mouynes", 2),
    ]
    assert people.nodes["person:antony-blinken"] == {"kind": "person", "label": "Antony J. Blinken"}
    organizations = graph.co_participation(kinds=["COUNTRY", "organization"], end="2022-12-31")
    assert organizations.nodes["organization:unhcr"]["acronym"] == "UNHCR"
    assert graph.co_participation(kinds="person", min_weight=2).number_of_edges() == 2
    with pytest.raises(ValueError, match="unknown kind"):
        graph.co_participation(kinds="people")


def test_centrality_communities_and_ego(graph: Graph) -> None:
    assert graph.centrality("degree", first=2) == [
        ("country:mx", round(27 / 46, 6)),
        ("event:panama-ministerial-2022", round(7 / 46, 6)),
    ]
    assert [i for i, _ in graph.centrality("BETWEENNESS", kinds="country", first=2)] == [
        "country:mx",
        "country:us",
    ]
    found = graph.communities(kinds="person", resolution=1.5)
    assert [(c.id, c.size, c.internal_weight, list(c.members)) for c in found] == [
        (0, 2, 1.0, ["person:alicia-barcena", "person:bernardo-arevalo"]),
        (1, 2, 2.0, ["person:antony-blinken", "person:erika-mouynes"]),
    ]
    ego = graph.ego_network("person:erika-mouynes", radius=2, kinds="person")
    assert sorted(ego.nodes) == PEOPLE and ego.number_of_edges() == 4


def test_paths_offices_and_entity_timelines(graph: Graph) -> None:
    path = graph.shortest_path("person:erika-mouynes", "person:alicia-barcena")
    assert path is not None and path.length == 4
    assert [n.id for n in path.nodes][1:3] == ["country:pa", "event:panama-ministerial-2022"]
    assert graph.shortest_path("person:loner", "country:us") is None
    held = graph.office_holders("2022-04-20")
    assert [(p.id, r.title) for p, r in held] == [("person:antony-blinken", "Secretary of State")]
    assert len(graph.office_holders("2022-04-20", include_undated=True)) == 2
    items = graph.entity_timeline("person:antony-blinken", end="2021-12-31")
    assert [(i.kind.value, i.date.edtf) for i in items] == [
        ("POSITION_START", "2021-01-26"),
        ("EVENT", "2021-10"),
    ]


# --- the co-participation drawing --------------------------------------------------------------


def test_layout_is_deterministic_for_a_seed(graph: Graph) -> None:
    network = graph.co_participation()
    first = plots.layout(network, seed=7)
    assert first == plots.layout(network, seed=7)
    # Built in id order: the order the graph was made in does not matter.
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(network.nodes, reverse=True))
    shuffled.add_edges_from(reversed(list(network.edges(data=True))))
    assert plots.layout(shuffled, seed=7) == first
    assert plots.layout(network, seed=8) != first
    assert set(first) == set(network.nodes)
    assert all(-1.0 <= c <= 1.0 for xy in first.values() for c in xy)


def test_draw_co_participation_writes_a_png(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "network.png"
    figure = graph.draw_co_participation(path, color_by="community", dpi=100)
    assert png_size(path) == (1300, 900)  # figsize (13, 9) at 100 dpi
    assert path.stat().st_size > 20_000
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert {"Antony J. Blinken", "Mexico", "UNHCR"} <= labels
    again = tmp_path / "again.png"
    graph.draw_co_participation(again, color_by="community", dpi=100)
    assert again.read_bytes() == path.read_bytes()
    by_kind = tmp_path / "kinds.svg"
    plots.draw_co_participation(graph.co_participation(kinds="person"), by_kind, labels=2)
    assert by_kind.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_draw_an_empty_network_and_bad_colour(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    plots.draw_co_participation(nx.Graph(), path, dpi=50)
    assert png_size(path) == (650, 450)
    with pytest.raises(ValueError, match="color_by"):
        plots.draw_co_participation(nx.path_graph(["a", "b"]), None, color_by="size")  # type: ignore[arg-type]


# --- the timeline chart ------------------------------------------------------------------------


def _event(slug: str, date: str, category: str = "meeting") -> Event:
    return Event(
        id=f"event:{slug}",
        name=slug,
        date=parse_date(date),
        category=category,
        sources=(Source("document:fixture", "as the fixture says"),),
    )


def test_plot_timeline_is_honest_about_precision(tmp_path: Path) -> None:
    events = [
        _event("a-day-2022", "2022-04-20"),
        _event("some-days-2022", "2022-06-06/2022-06-10", "summit"),
        _event("a-month-2021", "2021-10", "ministerial"),
        _event("a-year-2024", "2024", "ministerial"),
    ]
    path = tmp_path / "timeline.png"
    figure = plots.plot_timeline(events, path, dpi=80)
    width, height = png_size(path)
    assert width == 14 * 80 and height > 200
    axes = figure.axes[0]
    # Spans, not points, for everything not on one known day: width in days.
    bars = {p.get_gid(): round(p.get_width()) for p in axes.patches if p.get_gid()}
    assert bars == {
        "event:some-days-2022": 5,
        "event:a-month-2021": 31,  # somewhere in October: the whole month
        "event:a-year-2024": 366,
    }
    hatched = sorted(p.get_gid() for p in axes.patches if p.get_hatch())
    assert hatched == ["event:a-month-2021", "event:a-year-2024"]
    markers = [line for line in axes.lines if line.get_marker() == "D"]
    assert len(markers) == 1  # the one event on a known day
    assert [t.get_text() for t in axes.get_yticklabels()] == ["ministerial", "meeting", "summit"]
    assert {t.get_text() for t in axes.texts} == {e.name for e in events}


def test_plot_timeline_groups_by_series_or_a_function(graph: Graph, tmp_path: Path) -> None:
    figure = graph.plot_timeline(tmp_path / "series.png", group_by="series", dpi=60)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [
        "migration-ministerials",
        "(no series)",
    ]
    figure = graph.plot_timeline(
        tmp_path / "mine.png",
        start="2024-01-01",
        group_by=lambda e: "big" if e.category == "ministerial" else None,
        title="2024",
        dpi=60,
    )
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["big", "(other)"]
    assert png_size(tmp_path / "mine.png")[0] == 14 * 60
    with pytest.raises(ValueError, match="group_by"):
        plots.plot_timeline([], None, group_by="colour")  # type: ignore[arg-type]


def test_figures_without_matplotlib_say_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'timeline\[plot\]'"):
        plots.plot_timeline([], tmp_path / "x.png")
    with pytest.raises(ImportError, match=r"pip install 'timeline\[plot\]'"):
        plots.draw_co_participation(nx.Graph(), tmp_path / "x.png")
