"""The per-request context: the store, the settings and DataLoaders over the bulk store calls.

Every resolver that needs a node, a node's relations or an event's series neighbours asks
a loader, never the store, so a page of N items costs a fixed number of store calls: the
loads made while one level of the query resolves are batched into one ``get_nodes``, one
``relations`` and one ``series_neighbors`` call. Loaders cache for one request only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from timeline.api.auth import ANONYMOUS, Caller
from timeline.config import Settings
from timeline.model.records import Node, Relation
from timeline.services.curation import Curator
from timeline.stores.base import Store

__all__ = ["Context", "Loaders"]

SeriesNeighbors = tuple[str | None, str | None]


class Loaders:
    """DataLoaders for one request."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: DataLoader[str, Node | None] = DataLoader(self._nodes)
        self.relations: DataLoader[str, list[Relation]] = DataLoader(self._relations)
        self.series: DataLoader[str, SeriesNeighbors] = DataLoader(self._series)

    async def _nodes(self, ids: list[str]) -> Sequence[Node | None]:
        found = await self.store.get_nodes(ids)
        return [found.get(i) for i in ids]

    async def _relations(self, ids: list[str]) -> Sequence[list[Relation]]:
        found = await self.store.relations(ids)
        return [found.get(i, []) for i in ids]

    async def _series(self, ids: list[str]) -> Sequence[SeriesNeighbors]:
        found = await self.store.series_neighbors(ids)
        return [found.get(i, (None, None)) for i in ids]


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
