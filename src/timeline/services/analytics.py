"""Whole-graph analytics over a store: the co-participation network and centrality.

**Co-participation.** Two entities are linked when both take part (``ATTENDED``, ``HOSTED``
or ``ORGANIZED``) in the same event; the edge's weight is the number of events they share.
Only entities of the asked kinds count, and only events overlapping [start, end].

**Centrality projection.** Scores are computed with networkx on one documented projection
of the graph: the *undirected simple graph* whose nodes are the entities that take part in
at least one relation (``Store.edge_list``) and whose edges join two entities linked by
any relation, in either direction; relation types, parallel relations and direction are
ignored, and so are entities with no relation at all. Scores are computed on the whole
projection first and only then filtered to the asked kinds, ranked by score (descending)
then id, and rounded to 6 decimals so that every backend gives the same numbers. The
projection and its scores are cached per ``Store.data_version()``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import Any

import networkx as nx

from timeline.model.ids import Kind, kind_of
from timeline.model.records import Entity
from timeline.services.timeline import InvalidArgument
from timeline.stores.base import Store

__all__ = [
    "CO_PARTICIPATED",
    "Metric",
    "Network",
    "WeightedEdge",
    "centrality",
    "co_participation",
    "projection",
]

CO_PARTICIPATED = "CO_PARTICIPATED"
#: How many data versions' projections are kept (a reload makes a new version).
_CACHE_SIZE = 4


class Metric(Enum):
    DEGREE = "DEGREE"
    BETWEENNESS = "BETWEENNESS"
    PAGERANK = "PAGERANK"


_ALGORITHMS: dict[Metric, Callable[[nx.Graph], dict[str, float]]] = {
    Metric.DEGREE: nx.degree_centrality,
    Metric.BETWEENNESS: nx.betweenness_centrality,
    Metric.PAGERANK: nx.pagerank,
}


@dataclass(frozen=True, slots=True)
class WeightedEdge:
    source: str
    target: str
    weight: int
    type: str = CO_PARTICIPATED


@dataclass(frozen=True, slots=True)
class Network:
    """Entities (by id) and the weighted edges among them."""

    nodes: list[Entity]
    edges: list[WeightedEdge]


def _wanted(kinds: Collection[Kind] | None) -> Callable[[str], bool]:
    if not kinds:
        return lambda node_id: True
    chosen = set(kinds)
    return lambda node_id: kind_of(node_id) in chosen


async def co_participation(
    store: Store,
    kinds: Collection[Kind] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_weight: int = 1,
) -> Network:
    """The co-participation network: nodes by id, edges ``source < target`` by (source,
    target), each with the number of shared events; only edges of at least ``min_weight``
    and the entities on them."""
    if min_weight < 1:
        raise InvalidArgument(f"minWeight must be at least 1, got {min_weight}")
    if start is not None and end is not None and end < start:
        raise InvalidArgument(f"'to' ({end.isoformat()}) is before 'from' ({start.isoformat()})")
    keep = _wanted(kinds)
    by_event: dict[str, set[str]] = defaultdict(set)
    for event_id, participant in await store.participations(start, end):
        if keep(participant):
            by_event[event_id].add(participant)
    weights: Counter[tuple[str, str]] = Counter()
    for participants in by_event.values():
        weights.update(combinations(sorted(participants), 2))
    edges = [
        WeightedEdge(source, target, weight)
        for (source, target), weight in sorted(weights.items())
        if weight >= min_weight
    ]
    ids = sorted({e.source for e in edges} | {e.target for e in edges})
    found = await store.get_nodes(ids) if ids else {}
    nodes = [node for i in ids if isinstance(node := found.get(i), Entity)]
    present = {n.id for n in nodes}
    return Network(
        nodes=nodes, edges=[e for e in edges if e.source in present and e.target in present]
    )


class _Cache:
    """Projections and their scores for the last few data versions."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[str, str], dict[Any, Any]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> dict[Any, Any]:
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = {}
            while len(self.entries) > _CACHE_SIZE:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        return entry


_cache = _Cache()


async def projection(store: Store) -> tuple[str, nx.Graph]:
    """The centrality projection of the store's current data, and that data's version."""
    version = await store.data_version()
    entry = _cache.get((store.name, version))
    if "graph" not in entry:
        graph = nx.Graph()
        for subject, obj, _type in await store.edge_list():
            if subject != obj:
                graph.add_edge(subject, obj)
        entry["graph"] = graph
    return version, entry["graph"]


async def _scores(store: Store, metric: Metric) -> dict[str, float]:
    """Rounded scores of every projected entity, computed once per data version, off the
    event loop; concurrent requests for the same scores share one computation."""
    version, graph = await projection(store)
    entry = _cache.get((store.name, version))
    if metric in entry:
        cached: dict[str, float] = entry[metric]
        return cached
    running = entry.get(("running", metric))
    if running is None or running.get_loop() is not asyncio.get_running_loop():
        running = asyncio.ensure_future(asyncio.to_thread(_compute, metric, graph))
        entry[("running", metric)] = running
    try:
        scores: dict[str, float] = await running
    finally:
        if running.done():
            entry.pop(("running", metric), None)
    entry[metric] = scores
    return scores


def _compute(metric: Metric, graph: nx.Graph) -> dict[str, float]:
    raw = _ALGORITHMS[metric](graph) if len(graph) else {}
    return {node: round(float(score), 6) for node, score in raw.items()}


async def centrality(
    store: Store,
    metric: Metric | str,
    kinds: Collection[Kind] | None = None,
    first: int = 10,
) -> list[tuple[Entity, float]]:
    """The ``first`` entities of these kinds with the highest ``metric`` score on the
    projection (see the module docstring), by score descending then id."""
    try:
        chosen = metric if isinstance(metric, Metric) else Metric(str(metric).upper())
    except ValueError:
        names = ", ".join(m.value for m in Metric)
        raise InvalidArgument(f"unknown centrality metric {metric!r}; use one of {names}") from None
    if first < 0:
        raise InvalidArgument(f"first must not be negative, got {first}")
    keep = _wanted(kinds)
    scores = await _scores(store, chosen)
    ranked = sorted((item for item in scores.items() if keep(item[0])), key=lambda i: (-i[1], i[0]))
    top = ranked[:first]
    found = await store.get_nodes([node_id for node_id, _ in top]) if top else {}
    return [
        (node, score) for node_id, score in top if isinstance(node := found.get(node_id), Entity)
    ]
