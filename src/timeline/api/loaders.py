"""The per-request context: the store, the settings and DataLoaders over the bulk store calls.

Every resolver that needs a node, a node's relations or an event's series neighbours asks
a loader, never the store, so a page of N items costs a fixed number of store calls: the
loads made while one level of the query resolves are batched into one ``get_nodes``, one
``relations`` per set of relation types asked, and one ``series_neighbors`` call. Loaders
cache for one request only.

Relations are loaded by (node, types): a person's positions read its HOLDS_POSITION
relations, not the hundreds of events it attended. :meth:`Loaders.relations_of` picks the
key: all of a node's relations once a page primed them (:meth:`Loaders.prime_relations`),
else the types a prefetch planned for the node (:meth:`Loaders.plan_relations`) when they
cover the ones asked, else the ones asked.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from timeline.api.auth import ANONYMOUS, Caller
from timeline.config import Settings
from timeline.model.records import Node, Relation
from timeline.services.curation import Curator
from timeline.stores.base import EventPage, Store, TimelineQuery

__all__ = ["Context", "Loaders"]

SeriesNeighbors = tuple[str | None, str | None]
#: Relation types to load (None: all of them).
Types = frozenset[str] | None


class Loaders:
    """DataLoaders for one request."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: DataLoader[str, Node | None] = DataLoader(self._nodes)
        self.relations: DataLoader[tuple[str, Types], list[Relation]] = DataLoader(self._relations)
        self.series: DataLoader[str, SeriesNeighbors] = DataLoader(self._series)
        self._complete: set[str] = set()  # nodes whose relations are all loaded
        self._planned: dict[str, Types] = {}
        self._timelines: dict[TimelineQuery, asyncio.Future[EventPage]] = {}

    def timeline(self, query: TimelineQuery) -> asyncio.Future[EventPage]:
        """The page for this query, read once per request: a prefetch started before the
        field that asks for it (:func:`timeline.api.graphql.types.prefetch_events`) is
        met there, not read again."""
        found = self._timelines.get(query)
        if found is None:
            found = self._timelines[query] = asyncio.ensure_future(self.store.timeline(query))
            # whoever awaits it meets its error; a prefetch nobody awaits must not report
            # the error as never retrieved
            found.add_done_callback(lambda done: done.cancelled() or done.exception())
        return found

    async def relations_of(self, node_id: str, types: Collection[str] = ()) -> list[Relation]:
        """The node's relations of these types (all of them if none are named)."""
        asked: Types = frozenset(types) or None
        if node_id in self._complete:
            key: Types = None
        elif node_id in self._planned and _covers(self._planned[node_id], asked):
            key = self._planned[node_id]
        else:
            key = asked
        found = await self.relations.load((node_id, key))
        return found if asked is None else [r for r in found if r.type in asked]

    def plan_relations(self, node_id: str, types: Types) -> None:
        """The relation types the request will read of this node (a prefetch loads them)."""
        self._planned[node_id] = types

    def prime_relations(self, relations: Mapping[str, list[Relation]]) -> None:
        """All the relations of these nodes, read with a page."""
        self.relations.prime_many({(i, None): rels for i, rels in relations.items()})
        self._complete.update(relations)

    async def _nodes(self, ids: list[str]) -> Sequence[Node | None]:
        found = await self.store.get_nodes(ids)
        return [found.get(i) for i in ids]

    async def _relations(self, keys: list[tuple[str, Types]]) -> Sequence[list[Relation]]:
        by_types: dict[Types, list[str]] = defaultdict(list)
        for node_id, types in keys:
            by_types[types].append(node_id)
        found: dict[tuple[str, Types], list[Relation]] = {}
        for types, ids in by_types.items():
            got = await self.store.relations(ids, sorted(types) if types else None)
            found.update(((i, types), got.get(i, [])) for i in ids)
        return [found[key] for key in keys]

    async def _series(self, ids: list[str]) -> Sequence[SeriesNeighbors]:
        found = await self.store.series_neighbors(ids)
        return [found.get(i, (None, None)) for i in ids]


def _covers(planned: Types, asked: Types) -> bool:
    if planned is None:
        return True
    return asked is not None and asked <= planned


@dataclass
class Context:
    """What every resolver gets as ``info.context``."""

    store: Store
    settings: Settings
    loaders: Loaders = field(init=False)
    request: Any = None
    response: Any = None
    #: Who sent the request (resolved once, by ``timeline.api.auth.KeyRingBackend``).
    caller: Caller = ANONYMOUS
    #: The application's curation service (validation, writes, audit log).
    curator: Curator | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
