"""The graph from Python: open it, query it, and hand it to networkx or pandas.

A synchronous API for scripts and notebooks. On the memory backend a :class:`Graph`
calls the in-memory graph's plain methods (:class:`~timeline.stores.memory.MemoryGraph`)
on the caller's thread: reads of the store directly, and the services (analytics, export,
curation: asynchronous, as the API shares them) on a short event loop of the call's own
over a store whose calls run inline. The Neo4j driver is asynchronous and its connections
belong to the loop that opened them, so a Neo4j graph keeps one event loop, in a
background thread, for its whole life. Both work the same inside Jupyter, where a loop is
already running on the caller's thread (its calls then wait on that background loop).

Examples
--------
>>> import timeline
>>> graph = timeline.open(SEEDS)
>>> G = graph.to_networkx()
>>> G.nodes["event:panama-ministerial-2022"]["label"]
'Ministerial Conference on Migration and Protection (Panama City, 2022)'
>>> [e.id for e in graph.timeline(start="2024-01-01", categories="ministerial")]
['event:washington-trilateral-2024', 'event:guatemala-ministerial-2024']
>>> list(graph.events()[["id", "name", "start"]].columns)
['id', 'name', 'start']

A Neo4j database instead of the seed files::

    with timeline.open(backend="neo4j", uri="bolt://127.0.0.1:7687") as graph:
        print(graph.dataset.counts()["event"])
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import threading
from collections.abc import Coroutine, Iterable, Mapping
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from timeline.config import Settings
from timeline.model.dates import parse_day
from timeline.model.ids import Kind
from timeline.model.records import EVENT_STATUSES, Dataset, Event, Person, Relation
from timeline.model.seeds import load_seeds
from timeline.services import analytics
from timeline.services import export as exports
from timeline.services.export import ExportFilters
from timeline.stores import open_store
from timeline.stores.base import Path as GraphPath
from timeline.stores.base import Store
from timeline.stores.memory import MemoryGraph, MemoryStore

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["Graph", "open"]

T = TypeVar("T")
DateLike = dt.date | str | None


class _Loop:
    """An event loop in a daemon thread: coroutines run there, callers wait for them.

    The loop outlives single calls, so a store whose connections belong to one loop
    (the Neo4j driver) keeps working from call to call. Calls from a thread that runs a
    loop of its own (Jupyter's) just block that thread until the answer is there.
    """

    _shared: _Loop | None = None
    _lock = threading.Lock()

    @classmethod
    def shared(cls) -> _Loop:
        """The one loop every :class:`Graph` uses, started on first use."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="timeline-research", daemon=True
        )
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result()


class _Runs(Protocol):
    """How a :class:`Graph` waits for a coroutine's answer."""

    def __call__(self, coroutine: Coroutine[Any, Any, T], /) -> T: ...


def _run_on_shared_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """``coroutine`` on :meth:`_Loop.shared` (started on first use)."""
    return _Loop.shared().run(coroutine)


def _run_here(coroutine: Coroutine[Any, Any, T]) -> T:
    """``coroutine`` on an event loop of its own on the calling thread, for a store that
    never waits on I/O (an inline memory store). A thread already running a loop
    (Jupyter's) cannot run a second one: there it waits on :meth:`_Loop.shared` instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    return _run_on_shared_loop(coroutine)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "DataFrames need pandas: pip install 'timeline[pandas]' (or pip install pandas)"
        ) from None
    return pandas


def _as_day(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_day(value)


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _kinds(kinds: str | Iterable[str] | None) -> set[Kind] | None:
    """Entity kinds from ``"person"`` or ``["person", "country"]`` (any case)."""
    chosen = _as_tuple(kinds)
    if not chosen:
        return None
    try:
        return {Kind(k.lower()) for k in chosen}
    except ValueError:
        names = ", ".join(k.value for k in Kind)
        raise ValueError(f"unknown kind in {list(chosen)!r}; use {names}") from None


def filters(
    start: DateLike = None,
    end: DateLike = None,
    involving: str | Iterable[str] | None = None,
    categories: str | Iterable[str] | None = None,
    text: str | None = None,
    status: str | None = None,
) -> ExportFilters:
    """Timeline filters from friendly arguments: days as ``date`` or ``"YYYY-MM-DD"``,
    one id or category as a string or several as a list; ``status`` is ``"occurred"`` or
    ``"planned"``."""
    if status is not None and status not in EVENT_STATUSES:
        raise ValueError(f"unknown status {status!r}; use {', '.join(EVENT_STATUSES)}")
    return ExportFilters(
        start=_as_day(start),
        end=_as_day(end),
        involving=_as_tuple(involving),
        categories=_as_tuple(categories),
        text=text,
        status=status,
    )


class Graph:
    """The timeline graph, opened with :func:`open`.

    Attributes and methods:

    - :attr:`dataset`: every record (``Dataset``: documents, entities, relations);
    - :meth:`to_networkx`: a ``nx.MultiDiGraph`` with the export attributes;
    - :meth:`events`, :meth:`entities`, :meth:`relations`, :meth:`positions`: pandas
      DataFrames (``pip install 'timeline[pandas]'``);
    - :meth:`timeline`: the events matching timeline filters, in time order;
    - :meth:`select`: the subgraph the filters select, as a new ``Graph``;
    - :meth:`export`: any export format to a file;
    - analytics, as the GraphQL API answers them: :meth:`co_participation`,
      :meth:`centrality`, :meth:`communities`, :meth:`ego_network`,
      :meth:`shortest_path`, :meth:`office_holders`, :meth:`entity_timeline`;
    - figures (``pip install 'timeline[plot]'``): :meth:`draw_co_participation`,
      :meth:`plot_timeline`;
    - :meth:`curate`: a sourced change through the curation service, as the API writes it.

    Close it (or use ``with``) to release a Neo4j connection.
    """

    def __init__(self, store: Store, dataset: Dataset | None = None) -> None:
        self._store = store
        self._dataset = dataset
        # An inline memory store: its graph's plain methods are called directly, and the
        # services run on the calling thread. Any other store (Neo4j's async driver, whose
        # connections belong to one loop) is driven on the one background loop.
        self._core: MemoryGraph | None = None
        self._run: _Runs = _run_on_shared_loop
        if type(store) is MemoryStore and store.inline:
            self._core = store.graph
            self._run = _run_here

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Release the store's connections; the graph is not used afterwards."""
        self._run(self._store.close())

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        counts = self.dataset.counts()
        return (
            f"<timeline.Graph ({self._store.name}): {counts['event']} events, "
            f"{len(self.dataset.entities)} entities, {counts['relation']} relations>"
        )

    # --- data --------------------------------------------------------------------------------

    @property
    def dataset(self) -> Dataset:
        """The whole graph as records (read from the store once, then kept)."""
        if self._dataset is None:
            core = self._core
            self._dataset = core.dump() if core else self._run(self._store.dump())
        return self._dataset

    def curate(
        self,
        *,
        who: str,
        documents: Iterable[Mapping[str, Any]] = (),
        create: Iterable[Mapping[str, Any]] = (),
        update: Iterable[Mapping[str, Any]] = (),
        add_relations: Iterable[Mapping[str, Any]] = (),
        remove_relations: Iterable[Mapping[str, Any]] = (),
        settings: Settings | None = None,
    ) -> str:
        """Write a change through the curation service, as ``who``: the same checks
        (verbatim quotes, kinds, dates), lock, retries and audit entry as a GraphQL
        mutation. Items are in the seed format (docs/data-model.md); documents carry their
        ``text``. Answers the data version after the write; raises
        :class:`~timeline.services.curation.CurationError` listing every problem, and then
        changes nothing. On a graph opened from seed files the write lives in memory only::

            graph.curate(who="notebook", add_relations=[{
                "from": "person:antony-blinken", "type": "ATTENDED",
                "to": "event:panama-ministerial-2022",
                "sources": [{"doc": "document:...", "quote": "..."}]}])
        """
        from timeline.services.curation import CurationRequest, Curator, Item

        def items(name: str, given: Iterable[Mapping[str, Any]]) -> list[Item]:
            return [Item(f"{name}[{i}]", dict(data)) for i, data in enumerate(given)]

        request = CurationRequest(
            documents=items("documents", documents),
            create=items("create", create),
            update=items("update", update),
            add_relations=items("addRelations", add_relations),
            remove_relations=items("removeRelations", remove_relations),
        )
        curator = Curator(self._store, settings or Settings())
        written = self._run(curator.write(request, who, "python"))
        self._dataset = None  # read again on next use
        return written.version

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a ``nx.MultiDiGraph``: entity ids as nodes, relations as edges
        keyed by relation id, with the GraphML/GEXF attributes (``kind``, ``label``,
        ``date``, ``start``, ``end``, ``sources`` as JSON, ...).

        >>> G = graph.to_networkx()
        >>> G.number_of_nodes(), G.number_of_edges()
        (226, 487)
        >>> import networkx as nx
        >>> round(nx.density(G.to_undirected()), 3)
        0.019
        """
        return exports.to_networkx(self.dataset)

    def timeline(
        self,
        start: DateLike = None,
        end: DateLike = None,
        involving: str | Iterable[str] | None = None,
        categories: str | Iterable[str] | None = None,
        text: str | None = None,
        descending: bool = False,
    ) -> list[Event]:
        """The events matching the timeline filters, all of them, in time order.

        ``start``/``end``: events overlapping the days (``"2022-01-01"`` or a ``date``);
        ``involving``: linked to every listed entity (directly or through a sub-event);
        ``categories``: any of these; ``text``: in a name, alias or description.

        >>> len(graph.timeline(involving="person:antony-blinken"))
        18
        """
        found = self._run(
            exports.matching_events(self._store, filters(start, end, involving, categories, text))
        )
        return found[::-1] if descending else found

    def select(self, **filter_args: Any) -> Graph:
        """The subgraph that timeline filters select (the export rule: matching events,
        the entities linked to them, the relations among those), as a new in-memory graph.

        >>> graph.select(start="2024-01-01").to_networkx().number_of_nodes()
        43
        """
        subset = self._run(exports.select(self._store, filters(**filter_args)))
        return _memory_graph(subset)

    def export(
        self, fmt: str, path: str | os.PathLike[str], corpus: str | os.PathLike[str] | None = None
    ) -> Any:
        """Write an export: ``graphml``, ``gexf``, ``json``, ``csv`` (a zip) or ``seeds``
        (a folder, or an archive if ``path`` ends in .zip, .tar, .tar.gz or .tgz).

            graph.export("gexf", "timeline.gexf")
        """
        suffix = exports.archive_suffix(path)
        if fmt == "seeds" and suffix is None:
            return exports.write_seed_folder(self.dataset, path, corpus)
        chunks = exports.export(self.dataset, fmt, corpus=corpus, archive=suffix or ".zip")
        return exports.write_export(chunks, path)

    # --- analytics -----------------------------------------------------------------------------

    def co_participation(
        self,
        kinds: str | Iterable[str] | None = None,
        start: DateLike = None,
        end: DateLike = None,
        min_weight: int = 1,
    ) -> nx.Graph:
        """The co-participation network as an undirected ``nx.Graph``: entities (of
        ``kinds``, e.g. ``"person"`` or ``["person", "country"]``) linked when they took
        part (ATTENDED, HOSTED, ORGANIZED) in the same events overlapping [start, end];
        edge ``weight`` = events shared (at least ``min_weight``); nodes carry ``kind`` and
        ``label``. The same network as GraphQL's ``coParticipation``.

        >>> G = graph.co_participation(kinds="person")
        >>> by_weight = sorted(G.edges(data="weight"), key=lambda e: -e[2])
        >>> by_weight[:2]  # doctest: +NORMALIZE_WHITESPACE
        [('person:alejandro-mayorkas', 'person:antony-blinken', 5),
         ('person:antony-blinken', 'person:erika-mouynes', 5)]
        """
        network = self._run(
            analytics.co_participation(
                self._store, _kinds(kinds), _as_day(start), _as_day(end), min_weight
            )
        )
        return analytics.network_graph(network)

    def centrality(
        self,
        metric: str = "degree",
        kinds: str | Iterable[str] | None = None,
        first: int = 10,
    ) -> list[tuple[str, float]]:
        """The ``first`` entities (of ``kinds``) by a centrality ``metric`` (``"degree"``,
        ``"betweenness"`` or ``"pagerank"``) on the documented projection (the undirected
        simple graph of all entities and relations), as (id, score), best first.

        >>> graph.centrality("pagerank", kinds="country", first=2)
        [('country:us', 0.027454), ('country:gt', 0.018269)]
        """
        ranked = self._run(analytics.centrality(self._store, metric, _kinds(kinds), first))
        return [(entity.id, score) for entity, score in ranked]

    def communities(
        self,
        kinds: str | Iterable[str] | None = None,
        start: DateLike = None,
        end: DateLike = None,
        min_weight: int = 1,
        resolution: float = 1.0,
        seed: int = 42,
    ) -> list[analytics.Community]:
        """Louvain communities of the co-participation network (``id``, ``members`` as
        ids, ``size``, ``internal_weight``), by size then smallest member id; the same
        ``seed`` gives the same answer.

        >>> [c.size for c in graph.communities(kinds="person")]
        [11, 8, 2]
        """
        return self._run(
            analytics.communities(
                self._store,
                _kinds(kinds),
                _as_day(start),
                _as_day(end),
                min_weight,
                resolution,
                seed,
            )
        )

    def ego_network(
        self,
        node_id: str,
        radius: int = 1,
        kinds: str | Iterable[str] | None = None,
        start: DateLike = None,
        end: DateLike = None,
        min_weight: int = 1,
    ) -> nx.Graph:
        """The ego network of one entity in the co-participation network, as an
        ``nx.Graph`` (attributes as :meth:`co_participation`)."""
        network = self._run(
            analytics.ego_network(
                self._store,
                node_id,
                radius,
                _kinds(kinds),
                _as_day(start),
                _as_day(end),
                min_weight,
            )
        )
        return analytics.network_graph(network)

    def shortest_path(
        self,
        source: str,
        target: str,
        max_length: int = 6,
        types: str | Iterable[str] | None = None,
    ) -> GraphPath | None:
        """A shortest path over relations taken in either direction (``nodes``: entities,
        ``edges``: relations with their ``sources``), or None if none is at most
        ``max_length`` long. The same path as GraphQL's ``shortestPath``."""
        kept = _as_tuple(types) or None
        if self._core is not None:
            return self._core.shortest_path(source, target, max_length, kept)
        return self._run(self._store.shortest_path(source, target, max_length, kept))

    def office_holders(
        self,
        as_of: DateLike,
        organization: str | None = None,
        include_undated: bool = False,
    ) -> list[tuple[Person, Relation]]:
        """(person, position) for every office held on ``as_of`` (in one country or
        organization if given). A position is held on a day when its known start is on or
        before it and its known end on or after it; a missing side is open; positions with
        no dates at all count only with ``include_undated``."""
        day = _as_day(as_of)
        if day is None:
            raise ValueError("as_of is required")
        return self._run(analytics.office_holders(self._store, day, organization, include_undated))

    def entity_timeline(
        self, node_id: str, start: DateLike = None, end: DateLike = None
    ) -> list[analytics.TimelineItem]:
        """One entity's events and the starts and ends of its positions, merged in time
        order (each item: ``date``, ``kind``, ``event`` or ``position``)."""
        return self._run(
            analytics.entity_timeline(self._store, node_id, _as_day(start), _as_day(end))
        )

    # --- figures -------------------------------------------------------------------------------

    def draw_co_participation(
        self,
        path: str | os.PathLike[str] | None = None,
        kinds: str | Iterable[str] | None = None,
        start: DateLike = None,
        end: DateLike = None,
        min_weight: int = 1,
        color_by: str = "kind",
        seed: int = 42,
        **options: Any,
    ) -> Figure:
        """Draw the co-participation network (see :func:`timeline.plots.draw_co_participation`
        for ``options``) and write it to ``path``; ``color_by="community"`` colours the
        communities :meth:`communities` finds with the same arguments and seed."""
        from timeline import plots

        graph = self.co_participation(kinds, start, end, min_weight)
        groups = None
        if color_by == "community":
            found = self.communities(kinds, start, end, min_weight, seed=seed)
            groups = [c.members for c in found]
        return plots.draw_co_participation(
            graph,
            path,
            color_by="community" if color_by == "community" else "kind",
            communities=groups,
            seed=seed,
            **options,
        )

    def plot_timeline(
        self,
        path: str | os.PathLike[str] | None = None,
        start: DateLike = None,
        end: DateLike = None,
        involving: str | Iterable[str] | None = None,
        categories: str | Iterable[str] | None = None,
        text: str | None = None,
        **options: Any,
    ) -> Figure:
        """Chart the events matching the timeline filters (see
        :func:`timeline.plots.plot_timeline` for ``options``, e.g. ``group_by="series"``)
        and write it to ``path``."""
        from timeline import plots

        events = self.timeline(start, end, involving, categories, text)
        return plots.plot_timeline(events, path, **options)

    # --- DataFrames ----------------------------------------------------------------------------

    def entities(self, kind: str | None = None) -> pd.DataFrame:
        """One row per entity (of ``kind`` if given): the columns of the CSV export's
        ``nodes.csv``, with ``name`` for ``label`` and ``start``/``end`` as timestamps.

        >>> len(graph.entities("person")), "aliases" in graph.entities("person")
        (25, True)
        """
        pd = _pandas()
        rows = (r for r in exports.node_rows(self.dataset) if kind is None or r["kind"] == kind)
        frame = pd.DataFrame.from_records(list(rows), columns=exports.NODE_COLUMNS)
        frame = frame.rename(columns={"label": "name"})
        if kind and len(frame):  # leave out the columns no entity of this kind has
            frame = frame.dropna(axis="columns", how="all")
        return _typed(frame)

    def events(self) -> pd.DataFrame:
        """One row per event in time order: id, name, category, date (EDTF), start and
        end (timestamps), precision, status (occurred or planned), basis (of the event and
        its date: stated or inferred), series, series_order, description, aliases, sources.

        >>> int(graph.events().groupby("category").size()["ministerial"])
        4
        """
        frame = self.entities("event")
        wanted = (
            "id", "name", "category", "date", "start", "end", "precision", "status", "basis",
            "series", "series_order", "description", "aliases", "sources", "source_documents",
        )  # fmt: skip
        columns = [c for c in wanted if c in frame.columns]
        frame = frame.sort_values(["start", "end", "id"], kind="stable")[columns]
        return frame.reset_index(drop=True)

    def relations(self, type: str | None = None) -> pd.DataFrame:
        """One row per relation (of ``type`` if given): the columns of ``edges.csv``
        (``source`` and ``target`` are entity ids) plus ``source_name`` and
        ``target_name``; ``start``/``end`` as timestamps.

        >>> len(graph.relations("ATTENDED"))
        93
        """
        pd = _pandas()
        rows = [r for r in exports.edge_rows(self.dataset) if type is None or r["type"] == type]
        frame = pd.DataFrame.from_records(rows, columns=exports.EDGE_COLUMNS)
        names = {i: e.name for i, e in self.dataset.entities.items()}
        frame.insert(2, "source_name", frame["source"].map(names))
        frame.insert(4, "target_name", frame["target"].map(names))
        return _typed(frame)

    def positions(self) -> pd.DataFrame:
        """One row per office held (``HOLDS_POSITION``): person, person_name, title,
        organization (a country or organization id), organization_name, start_date and
        end_date (EDTF), start and end (timestamps; empty when the sources do not say).

        >>> list(graph.positions().query("organization == 'country:us'")["person"])
        ['person:donald-trump', 'person:joe-biden', 'person:kamala-harris']
        """
        frame = self.relations("HOLDS_POSITION")
        frame = frame.rename(
            columns={
                "source": "person",
                "source_name": "person_name",
                "target": "organization",
                "target_name": "organization_name",
            }
        )
        columns = [
            "person", "person_name", "title", "organization", "organization_name",
            "start_date", "end_date", "start", "end", "sources",
        ]  # fmt: skip
        return frame[columns].sort_values(["person", "start"]).reset_index(drop=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Days as timestamps, and integers that may be missing as nullable integers."""
    pd = _pandas()
    for column in ("start", "end"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    if "series_order" in frame.columns:
        frame["series_order"] = frame["series_order"].astype("Int64")
    return frame


def _memory_graph(dataset: Dataset) -> Graph:
    return Graph(MemoryStore(dataset, inline=True), dataset)


def open(
    seeds: str | os.PathLike[str] = "seeds",
    backend: str = "memory",
    corpus: str | os.PathLike[str] | None = None,
    **neo4j_options: str,
) -> Graph:
    """Open the timeline graph.

    ``backend="memory"`` (the default) validates and loads the seed folder ``seeds``
    (quotes are checked against ``corpus``, by default the folder the seeds'
    ``dataset.yaml`` names) and raises :class:`timeline.model.seeds.SeedError` if it has
    any problem. ``backend="neo4j"`` reads a Neo4j database: options ``uri``, ``user``,
    ``password``, ``database``, by default from ``NEO4J_*`` environment variables.

    >>> import timeline
    >>> graph = timeline.open(SEEDS)
    >>> graph
    <timeline.Graph (memory): 67 events, 226 entities, 487 relations>
    """
    if backend == "memory":
        return _memory_graph(load_seeds(Path(seeds), Path(corpus) if corpus else None))
    if backend == "neo4j":
        from timeline.config import Settings

        options = {**Settings(backend="neo4j").neo4j_options(), **neo4j_options}
        return Graph(open_store("neo4j", **options))
    raise ValueError(f"unknown backend {backend!r}; choose 'memory' or 'neo4j'")
