"""The embedded default: the whole graph in memory, on a networkx MultiDiGraph.

Entities are the graph's nodes (attribute ``record``); relations are its edges, keyed by
relation id (attribute ``record``). Documents sit beside the graph, since sources are
provenance, not links. Loading builds a new :class:`_Index` and swaps it in whole, so a
failed load leaves the previous graph answering.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import networkx as nx

from timeline.model.ids import Kind
from timeline.model.records import (
    PARTICIPATION_TYPES,
    Dataset,
    Document,
    Entity,
    Event,
    Node,
    Relation,
)
from timeline.model.text import MIN_SCORE, fold, score_folded
from timeline.stores.base import (
    EventPage,
    Order,
    Path,
    SortKey,
    Subgraph,
    TimelineQuery,
    UnknownNode,
)

__all__ = ["MemoryStore"]


@dataclass
class _Index:
    """Everything the memory store answers from, built once per load."""

    dataset: Dataset
    version: str
    graph: nx.MultiDiGraph
    documents: dict[str, Document]
    relations_by_node: dict[str, list[Relation]]
    events: list[Event]  # in time order
    event_keys: list[SortKey]
    max_days: int  # the longest event span, bounding date-range scans
    event_text: dict[str, str]
    parents: dict[str, list[str]]  # event -> the events it is PART_OF
    series: dict[str, tuple[str | None, str | None]]
    folded_names: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def build(cls, dataset: Dataset) -> _Index:
        graph = nx.MultiDiGraph()
        for entity in dataset.entities.values():
            graph.add_node(entity.id, record=entity)
        by_node: dict[str, list[Relation]] = defaultdict(list)
        parents: dict[str, list[str]] = defaultdict(list)
        for rel in dataset.relations:
            graph.add_edge(rel.subject, rel.object, key=rel.id, record=rel)
            by_node[rel.subject].append(rel)
            if rel.object != rel.subject:
                by_node[rel.object].append(rel)
            if rel.type == "PART_OF" and rel.subject.startswith("event:"):
                parents[rel.subject].append(rel.object)
        for rels in by_node.values():
            rels.sort(key=lambda r: r.key)
        events = sorted(
            (e for e in dataset.entities.values() if isinstance(e, Event)), key=lambda e: e.sort_key
        )
        return cls(
            dataset=dataset,
            version=dataset.version(),
            graph=graph,
            documents=dict(dataset.documents),
            relations_by_node=dict(by_node),
            events=events,
            event_keys=[e.sort_key for e in events],
            max_days=max(((e.date.end - e.date.start).days for e in events), default=0),
            event_text={e.id: fold(" ".join((*e.names, e.description or ""))) for e in events},
            parents=dict(parents),
            series=_series_neighbors(events),
            folded_names=[
                (e.id, tuple(fold(n) for n in e.names)) for e in dataset.entities.values()
            ],
        )


def _series_neighbors(events: list[Event]) -> dict[str, tuple[str | None, str | None]]:
    by_series: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.series:
            by_series[event.series].append(event)
    neighbors: dict[str, tuple[str | None, str | None]] = {}
    for members in by_series.values():
        ids = [e.id for e in sorted(members, key=series_key)]
        for i, event_id in enumerate(ids):
            neighbors[event_id] = (
                ids[i - 1] if i else None,
                ids[i + 1] if i + 1 < len(ids) else None,
            )
    return neighbors


def series_key(event: Event) -> tuple[int, str, str, str]:
    """Order within a series: ``series_order`` where given, then time order."""
    order = event.series_order if event.series_order is not None else 2**31
    return (order, *event.sort_key)


class MemoryStore:
    """The embedded store. Create it empty, then :meth:`load` a dataset.

    >>> import asyncio
    >>> store = MemoryStore()
    >>> asyncio.run(store.stats())["event"]
    0
    """

    name = "memory"

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._index = _Index.build(dataset or Dataset())

    # --- lifecycle -------------------------------------------------------------------------

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def data_version(self) -> str:
        return self._index.version

    async def load(self, dataset: Dataset) -> None:
        self._index = _Index.build(dataset)  # built first, swapped in whole

    async def dump(self) -> Dataset:
        source = self._index.dataset
        return Dataset(dict(source.documents), dict(source.entities), list(source.relations))

    async def stats(self) -> dict[str, int]:
        return self._index.dataset.counts()

    # --- lookups -----------------------------------------------------------------------------

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        entities, documents = self._index.dataset.entities, self._index.documents
        found: dict[str, Node] = {}
        for node_id in ids:
            node = entities.get(node_id) or documents.get(node_id)
            if node is not None:
                found[node_id] = node
        return found

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        by_node = self._index.relations_by_node
        wanted = set(types) if types else None
        return {
            node_id: [r for r in by_node.get(node_id, ()) if wanted is None or r.type in wanted]
            for node_id in ids
        }

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        series = self._index.series
        return {i: series.get(i, (None, None)) for i in ids}

    # --- timeline ----------------------------------------------------------------------------

    def _linked_events(self, node_id: str) -> set[str]:
        """Events directly linked to a node, in either direction."""
        entities = self._index.dataset.entities
        return {
            other
            for rel in self._index.relations_by_node.get(node_id, ())
            if isinstance(entities.get(other := rel.other(node_id)), Event)
        }

    def _involving(self, node_id: str) -> set[str]:
        """Events linked to a node directly or through any of their sub-events."""
        parents = self._index.parents
        found = set(self._linked_events(node_id))
        pending = list(found)
        while pending:
            for parent in parents.get(pending.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    pending.append(parent)
        return found

    def _candidates(self, query: TimelineQuery) -> Iterable[Event]:
        """Events that may match, in time order: a linked set, or a date-bounded slice."""
        index = self._index
        sets = [self._involving(i) for i in query.involving]
        if query.linked_to is not None:
            sets.append(self._linked_events(query.linked_to))
        if sets:
            ids = set.intersection(*sets)
            entities = index.dataset.entities
            events = [e for i in ids if isinstance(e := entities[i], Event)]
            return sorted(events, key=lambda e: e.sort_key)
        lo, hi = 0, len(index.events)
        if query.start is not None:  # nothing that starts more than max_days before can overlap
            earliest = (query.start - dt.timedelta(days=index.max_days)).isoformat()
            lo = bisect.bisect_left(index.event_keys, (earliest,))
        if query.end is not None:
            hi = bisect.bisect_right(index.event_keys, (query.end.isoformat(), "\uffff"))
        return index.events[lo:hi]

    def _matches(self, query: TimelineQuery) -> list[Event]:
        categories = set(query.categories)
        text = fold(query.text) if query.text else None
        event_text = self._index.event_text
        return [
            e
            for e in self._candidates(query)
            if e.date.overlaps(query.start, query.end)
            and (not categories or e.category in categories)
            and (text is None or text in event_text[e.id])
        ]

    async def timeline(self, query: TimelineQuery) -> EventPage:
        matches = self._matches(query)
        if query.order is Order.DESC:
            matches.reverse()
        start = 0
        if query.after is not None:
            keys = [e.sort_key for e in matches]
            if query.order is Order.ASC:
                start = bisect.bisect_right(keys, query.after)
            else:  # keys descend: count those not below the cursor
                start = sum(1 for k in keys if k >= query.after)
        page = matches[start : start + query.first]
        return EventPage(
            events=page,
            total=len(matches),
            has_next=start + query.first < len(matches),
            has_previous=start > 0,
        )

    # --- search ------------------------------------------------------------------------------

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[tuple[Entity, float]]:
        query = fold(text)
        entities = self._index.dataset.entities
        wanted = set(kinds) if kinds else None
        hits: list[tuple[float, str]] = []
        for entity_id, names in self._index.folded_names:
            if wanted is not None and entities[entity_id].kind not in wanted:
                continue
            score = max((score_folded(query, name) for name in names), default=0.0)
            if score >= MIN_SCORE:
                hits.append((score, entity_id))
        best = heapq.nsmallest(first, hits, key=lambda hit: (-hit[0], hit[1]))
        return [(entities[i], score) for score, i in best]

    # --- traversal ---------------------------------------------------------------------------

    def _require(self, node_id: str) -> None:
        if node_id not in self._index.dataset.entities:
            raise UnknownNode(node_id)

    def _adjacent(
        self, node_id: str, types: Collection[str] | None
    ) -> Iterator[tuple[str, Relation]]:
        for rel in self._index.relations_by_node.get(node_id, ()):
            if types is None or rel.type in types:
                yield rel.other(node_id), rel

    async def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        self._require(node_id)
        wanted = set(types) if types else None
        hops = {node_id: 0}
        frontier = [node_id]
        for level in range(1, depth + 1):
            reached = sorted(
                {o for n in frontier for o, _ in self._adjacent(n, wanted) if o not in hops}
            )
            for other in reached:
                hops[other] = level
            frontier = reached
        chosen = sorted(hops, key=lambda n: (hops[n], n))[:first]
        kept = set(chosen)
        edges = {
            rel.id: rel for n in chosen for other, rel in self._adjacent(n, wanted) if other in kept
        }
        entities = self._index.dataset.entities
        return Subgraph(
            nodes=[entities[n] for n in chosen],
            edges=sorted(edges.values(), key=lambda r: r.key),
        )

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        self._require(source)
        self._require(target)
        wanted = set(types) if types else None
        distance = self._distances_to(target, source, max_length, wanted)
        if source not in distance:
            return None
        entities = self._index.dataset.entities
        nodes, edges = [source], []
        current = source
        while current != target:
            step = distance[current] - 1
            next_node, rel = min(
                ((o, r) for o, r in self._adjacent(current, wanted) if distance.get(o) == step),
                key=lambda pair: (pair[0], pair[1].key),
            )
            nodes.append(next_node)
            edges.append(rel)
            current = next_node
        return Path(nodes=[entities[n] for n in nodes], edges=edges)

    def _distances_to(
        self, target: str, source: str, limit: int, types: Collection[str] | None
    ) -> dict[str, int]:
        """Breadth-first distances from ``target``, up to the level where ``source`` is."""
        distance = {target: 0}
        queue = deque([target])
        while queue:
            node = queue.popleft()
            if source in distance and distance[node] >= distance[source]:
                break
            if distance[node] >= limit:
                continue
            for other, _ in self._adjacent(node, types):
                if other not in distance:
                    distance[other] = distance[node] + 1
                    queue.append(other)
        return distance

    async def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        if not ids:
            return []
        entities = self._index.dataset.entities
        shared = set.intersection(*(self._linked_events(i) for i in ids))
        events = [e for i in shared if isinstance(e := entities[i], Event)]
        return sorted((e for e in events if e.date.overlaps(start, end)), key=lambda e: e.sort_key)

    # --- analytics inputs ----------------------------------------------------------------------

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        entities = self._index.dataset.entities
        pairs = set()
        for rel in self._index.dataset.relations:
            event = entities.get(rel.object)
            if (
                rel.type in PARTICIPATION_TYPES
                and isinstance(event, Event)
                and event.date.overlaps(start, end)
            ):
                pairs.add((rel.object, rel.subject))
        return sorted(pairs)

    async def edge_list(self) -> list[tuple[str, str, str]]:
        return [(r.subject, r.object, r.type) for r in self._index.dataset.relations]
