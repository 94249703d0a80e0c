"""Whole-graph analytics over a store: the co-participation network, centrality,
communities, ego networks, offices held on a day and an entity's merged timeline.

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

**Communities.** Louvain (``nx.community.louvain_communities``, weighted, with a fixed
seed) over the co-participation network, built in id order so that one seed always gives
the same partition. Communities are ordered by size (descending), then by their smallest
member id, and numbered from 0 in that order; members are ordered by id. Results are
cached per data version and arguments.

**Ego networks.** ``nx.ego_graph`` of one entity in the co-participation network: the
entities within ``radius`` co-participation hops and the weighted edges among them. The
centre always counts, whatever ``kinds`` says.

**Offices as of a day.** A position (``HOLDS_POSITION``) is held on day D when its known
start is on or before D and its known end on or after D. Dates are only as precise as the
sources: a start of ``2023`` is known to be on or before D only from 2023-12-31, an end of
``2022-07`` known to be on or after D only up to 2022-07-01. A missing start or end leaves
that side open. A position with neither is *undated*: nothing says when it was held, so it
is left out unless undated positions are asked for.

**Entity timelines.** An entity's events (the events it is directly linked to, as
``Entity.events``) and the starts and ends of its positions, merged into one list ordered
by start day, end day, then position starts before events before position ends on the
same span, then event id or relation key.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from enum import Enum
from itertools import combinations
from typing import Any, TypeVar

import networkx as nx

from timeline.model.dates import DateSpan
from timeline.model.ids import Kind, kind_of
from timeline.model.records import Entity, Event, Organization, Person, Relation
from timeline.services.arguments import InvalidArgument, check_min_weight, check_window
from timeline.stores.base import Store, UnknownNode

__all__ = [
    "CO_PARTICIPATED",
    "Community",
    "Metric",
    "Network",
    "TimelineItem",
    "TimelineItemKind",
    "WeightedEdge",
    "centrality",
    "co_participation",
    "communities",
    "ego_network",
    "entity_timeline",
    "held_on",
    "is_undated",
    "louvain",
    "merge_timeline",
    "network_graph",
    "office_holders",
    "positions",
    "projection",
]

CO_PARTICIPATED = "CO_PARTICIPATED"
#: How many data versions' projections are kept (a reload makes a new version).
_CACHE_SIZE = 4
#: How many argument combinations of one computation are kept per data version.
_ARGS_CACHE_SIZE = 64
POSITION = "HOLDS_POSITION"

T = TypeVar("T")


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


async def _network(
    store: Store,
    keep: Callable[[str], bool],
    start: dt.date | None,
    end: dt.date | None,
    min_weight: int,
) -> Network:
    check_min_weight(min_weight)
    check_window(start, end)
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
    return await _network(store, _wanted(kinds), start, end, min_weight)


def network_graph(network: Network) -> nx.Graph:
    """A network as an undirected ``nx.Graph``, built in id order (so that seeded
    algorithms give the same answer every time): nodes carry ``kind``, ``label`` (the name)
    and, for organizations that have one, ``acronym``; edges carry ``weight``."""
    graph = nx.Graph()
    for node in network.nodes:
        graph.add_node(node.id, kind=node.kind.value, label=node.name)
        if isinstance(node, Organization) and node.acronym:
            graph.nodes[node.id]["acronym"] = node.acronym
    for edge in network.edges:
        graph.add_edge(edge.source, edge.target, weight=edge.weight)
    return graph


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
    """The centrality projection of the store's current data, and that data's version;
    concurrent requests for one version share one read of the edges."""
    version = await store.data_version()
    entry = _cache.get((store.name, version))
    if "graph" in entry:
        return version, entry["graph"]
    graph: nx.Graph = await _shared(entry, "graph", lambda: _project(store))
    entry["graph"] = graph
    return version, graph


async def _project(store: Store) -> nx.Graph:
    graph = nx.Graph()
    for subject, obj, _type in await store.edge_list():
        if subject != obj:
            graph.add_edge(subject, obj)
    return graph


async def _shared(entry: dict[Any, Any], name: Any, make: Callable[[], Awaitable[Any]]) -> Any:
    """``make()`` once for every caller waiting on ``entry[name]`` at the same time (on this
    event loop); the running task is forgotten once it is done."""
    running = entry.get(("running", name))
    if running is None or running.get_loop() is not asyncio.get_running_loop():
        running = asyncio.ensure_future(make())
        entry[("running", name)] = running
    try:
        return await running
    finally:
        if running.done():
            entry.pop(("running", name), None)


async def _scores(store: Store, metric: Metric) -> dict[str, float]:
    """Rounded scores of every projected entity, computed once per data version, off the
    event loop; concurrent requests for the same scores share one computation."""
    version, graph = await projection(store)
    entry = _cache.get((store.name, version))
    if metric in entry:
        cached: dict[str, float] = entry[metric]
        return cached
    scores: dict[str, float] = await _shared(
        entry, metric, lambda: asyncio.to_thread(_compute, metric, graph)
    )
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


# --- communities -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Community:
    """One Louvain community: ``id`` is its place in the order (from 0), ``members`` its
    entity ids in id order, ``internal_weight`` the summed weight of the edges inside it."""

    id: int
    members: tuple[str, ...]
    internal_weight: float

    @property
    def size(self) -> int:
        return len(self.members)


def _kinds_key(kinds: Collection[Kind] | None) -> tuple[str, ...]:
    return tuple(sorted({k.value for k in kinds})) if kinds else ()


async def _memo(store: Store, key: tuple[Any, ...], compute: Callable[[], Awaitable[T]]) -> T:
    """``await compute()`` once per data version and ``key``; the last few keys of each
    version are kept. Failures are not kept."""
    version = await store.data_version()
    entry = _cache.get((store.name, version))
    table: OrderedDict[tuple[Any, ...], Any] = entry.setdefault("memo", OrderedDict())
    if key in table:
        table.move_to_end(key)
        cached: T = table[key]
        return cached
    value = await compute()
    table[key] = value
    while len(table) > _ARGS_CACHE_SIZE:
        table.popitem(last=False)
    return value


def louvain(graph: nx.Graph, resolution: float = 1.0, seed: int = 42) -> list[Community]:
    """Louvain communities of a weighted graph, ordered and numbered as documented."""
    if not len(graph):
        return []
    parts = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    groups = sorted((sorted(part) for part in parts), key=lambda m: (-len(m), m[0]))
    found = []
    for number, members in enumerate(groups):
        inside = graph.subgraph(members).size(weight="weight")
        found.append(Community(number, tuple(members), float(inside)))
    return found


async def communities(
    store: Store,
    kinds: Collection[Kind] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_weight: int = 1,
    resolution: float = 1.0,
    seed: int = 42,
) -> list[Community]:
    """Louvain communities of the co-participation network (see the module docstring)."""
    if not resolution > 0:
        raise InvalidArgument(f"resolution must be greater than 0, got {resolution}")
    key = ("communities", _kinds_key(kinds), start, end, min_weight, resolution, seed)

    async def compute() -> list[Community]:
        network = await co_participation(store, kinds, start, end, min_weight)
        return await asyncio.to_thread(louvain, network_graph(network), resolution, seed)

    return list(await _memo(store, key, compute))


# --- ego networks ----------------------------------------------------------------------------


async def _require_entity(store: Store, node_id: str) -> Entity:
    found = (await store.get_nodes([node_id])).get(node_id)
    if not isinstance(found, Entity):
        raise UnknownNode(node_id)
    return found


async def ego_network(
    store: Store,
    node_id: str,
    radius: int = 1,
    kinds: Collection[Kind] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_weight: int = 1,
) -> Network:
    """The entities within ``radius`` hops of ``node_id`` in the co-participation network
    (of ``kinds``, plus the centre) and the weighted edges among them: nodes by (hops, id),
    edges by (source, target). Raises :class:`UnknownNode` for an unknown id."""
    if radius < 0:
        raise InvalidArgument(f"radius must not be negative, got {radius}")
    centre = await _require_entity(store, node_id)
    wanted = _wanted(kinds)
    network = await _network(store, lambda i: i == node_id or wanted(i), start, end, min_weight)
    graph = network_graph(network)
    if node_id not in graph:
        return Network(nodes=[centre], edges=[])
    ego = nx.ego_graph(graph, node_id, radius=radius)
    hops = nx.single_source_shortest_path_length(ego, node_id)
    by_id = {n.id: n for n in network.nodes}
    order = sorted(ego.nodes, key=lambda n: (hops[n], n))
    edges = [e for e in network.edges if e.source in ego and e.target in ego]
    return Network(nodes=[by_id[n] for n in order], edges=edges)


# --- positions -------------------------------------------------------------------------------


def is_undated(position: Relation) -> bool:
    """A position with neither a start nor an end: nothing says when it was held."""
    return position.start is None and position.end is None


def held_on(position: Relation, day: dt.date, include_undated: bool = False) -> bool:
    """Whether the sources show the position held on ``day``: its known start on or
    before the day (the latest day the start can be), its known end on or after it (the
    earliest day the end can be); a missing side is open. Undated positions count only
    with ``include_undated``."""
    if is_undated(position):
        return include_undated
    started = position.start is None or position.start.end <= day
    not_ended = position.end is None or position.end.start >= day
    return started and not_ended


async def positions(store: Store, organization: str | None = None) -> list[Relation]:
    """Every position (``HOLDS_POSITION``), or those in one country or organization, by
    relation key. The whole list is cached per data version. Raises :class:`UnknownNode`
    for an unknown organization."""
    if organization is not None:
        await _require_entity(store, organization)
        found = (await store.relations([organization], {POSITION})).get(organization, [])
        return sorted((r for r in found if r.object == organization), key=lambda r: r.key)
    version = await store.data_version()
    entry = _cache.get((store.name, version))
    if POSITION not in entry:
        holders = sorted({s for s, _, t in await store.edge_list() if t == POSITION})
        by_holder = await store.relations(holders, {POSITION}) if holders else {}
        unique = {r.id: r for rels in by_holder.values() for r in rels if r.type == POSITION}
        entry[POSITION] = sorted(unique.values(), key=lambda r: r.key)
    cached: list[Relation] = entry[POSITION]
    return list(cached)


async def office_holders(
    store: Store,
    as_of: dt.date,
    organization: str | None = None,
    include_undated: bool = False,
) -> list[tuple[Person, Relation]]:
    """The people holding a position on ``as_of`` (see :func:`held_on`), with the
    position, by relation key (person, organization, title)."""
    held = [r for r in await positions(store, organization) if held_on(r, as_of, include_undated)]
    people = await store.get_nodes(sorted({r.subject for r in held})) if held else {}
    return [(p, r) for r in held if isinstance(p := people.get(r.subject), Person)]


# --- entity timelines ------------------------------------------------------------------------


class TimelineItemKind(Enum):
    POSITION_START = "POSITION_START"
    EVENT = "EVENT"
    POSITION_END = "POSITION_END"


_ITEM_RANK = {kind: rank for rank, kind in enumerate(TimelineItemKind)}


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One dated item of an entity's timeline: an event, or a position's start or end."""

    date: DateSpan
    kind: TimelineItemKind
    event: Event | None = None
    position: Relation | None = None

    @property
    def sort_key(self) -> tuple[str, str, int, str]:
        if self.event is not None:
            tie = self.event.id
        else:
            assert self.position is not None
            tie = "\x1f".join(self.position.key)
        return (self.date.start.isoformat(), self.date.end.isoformat(), _ITEM_RANK[self.kind], tie)


def merge_timeline(
    entity_id: str,
    relations: Collection[Relation],
    events: Collection[Event],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[TimelineItem]:
    """An entity's events and the starts and ends of its positions (``relations`` whose
    subject it is), those overlapping [start, end], in the documented order."""
    items = [TimelineItem(e.date, TimelineItemKind.EVENT, event=e) for e in events]
    for rel in relations:
        if rel.type != POSITION or rel.subject != entity_id:
            continue
        if rel.start is not None:
            items.append(TimelineItem(rel.start, TimelineItemKind.POSITION_START, position=rel))
        if rel.end is not None:
            items.append(TimelineItem(rel.end, TimelineItemKind.POSITION_END, position=rel))
    kept = [item for item in items if item.date.overlaps(start, end)]
    return sorted(kept, key=lambda item: item.sort_key)


async def entity_timeline(
    store: Store,
    entity_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[TimelineItem]:
    """One entity's events and position starts and ends overlapping [start, end], merged
    in time order (see the module docstring). Three store calls, whatever the size.
    Raises :class:`UnknownNode` for an unknown id."""
    check_window(start, end)
    await _require_entity(store, entity_id)
    relations = (await store.relations([entity_id])).get(entity_id, [])
    others = sorted({r.other(entity_id) for r in relations} - {entity_id})
    found = await store.get_nodes(others) if others else {}
    events = [e for i in others if isinstance(e := found.get(i), Event)]
    return merge_timeline(entity_id, relations, events, start, end)
