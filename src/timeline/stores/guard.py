"""A deadline on every store call: :class:`GuardedStore` wraps any :class:`~.base.Store`.

Each call runs under ``store_timeout`` seconds; past it the caller gets
:class:`StoreTimeout` (the API answers ``TIMEOUT``) and the event loop goes on serving
other requests. Inside :func:`request_deadline` every call also ends by that shared
deadline: the API opens one per GraphQL operation (``request_timeout``), so thirty aliases
of the costliest field cannot take thirty deadlines between them.

A deadline only helps if the event loop is free to notice it: every store keeps it free
on its own (the Neo4j store awaits its driver; the memory store runs its heavy calls in
worker threads, :class:`~timeline.stores.memory.MemoryStore`), so the guard is the same for
every backend and only applies deadlines. A call past its deadline is abandoned: the
memory store's thread runs it to its end and its answer is dropped; Neo4j bounds every
transaction on the server too (``db.transaction.timeout``, see the launcher and the compose
file), so abandoned queries do not keep running there.

``load``, ``dump`` and ``close`` are administrative and delegated without a deadline, as is
any attribute this class does not define (a backend's extras, methods the interface gains).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
from collections.abc import (
    Awaitable,
    Collection,
    Iterator,
    Mapping,
    Sequence,
)
from typing import Any, TypeVar

from timeline.model.changes import ChangeSet
from timeline.model.ids import Kind
from timeline.model.proposals import ProposalSet
from timeline.model.records import Dataset, Event, Node, Relation
from timeline.stores.base import (
    AuditPage,
    EventPage,
    Path,
    SearchResult,
    Store,
    StoreError,
    Subgraph,
    TimelineQuery,
    WriteRecord,
)

__all__ = ["GuardedStore", "StoreTimeout", "request_deadline"]

T = TypeVar("T")


class StoreTimeout(StoreError):
    """A store call did not finish within its deadline."""

    def __init__(self, operation: str, timeout: float) -> None:
        super().__init__(f"store call {operation!r} took longer than {timeout:g}s")
        self.operation = operation
        self.timeout = timeout


#: The current request's deadline: when its calls must end (``loop.time()``), and the
#: seconds it was given.
_request_ends: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "timeline_request_ends", default=None
)


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[None]:
    """Store calls made inside (and in tasks started inside) end within ``seconds`` in all::

    async def operation(store):
        with request_deadline(10):
            await store.search("panama")  # each call gets what is left of the 10 s
    """
    ends = asyncio.get_running_loop().time() + seconds
    token = _request_ends.set((ends, seconds))
    try:
        yield
    finally:
        _request_ends.reset(token)


class GuardedStore:
    """``store`` with a deadline of ``timeout`` seconds on each call."""

    def __init__(self, store: Store, timeout: float) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.inner = store
        self.name = store.name
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"GuardedStore({self.inner!r}, timeout={self.timeout:g})"

    def __getattr__(self, name: str) -> Any:
        # What the Store interface gains later, and a backend's extras, reach the store
        # without a deadline until a guarded method is added here.
        if name == "inner":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    # --- the guard -------------------------------------------------------------------------

    def _budget(self) -> tuple[float, float]:
        """Seconds the next call may take, and the deadline that sets them: the call's own,
        or the request's when what is left of it is less."""
        request = _request_ends.get()
        if request is None:
            return self.timeout, self.timeout
        ends, seconds = request
        left = ends - asyncio.get_running_loop().time()
        return (left, seconds) if left < self.timeout else (self.timeout, self.timeout)

    async def _guarded(self, operation: str, call: Awaitable[T]) -> T:
        budget, timeout = self._budget()
        if budget <= 0:
            if asyncio.iscoroutine(call):
                call.close()  # never awaited: no "coroutine was never awaited" warning
            raise StoreTimeout(operation, timeout)
        deadline = asyncio.timeout(budget)
        try:
            async with deadline:
                return await call
        except TimeoutError as exc:
            if deadline.expired():
                raise StoreTimeout(operation, timeout) from exc
            raise  # the store's own timeout (a driver's), not ours

    # --- lifecycle and administration: no deadline ------------------------------------------

    async def close(self) -> None:
        await self.inner.close()

    async def load(self, dataset: Dataset) -> None:
        await self.inner.load(dataset)

    async def dump(self) -> Dataset:
        return await self.inner.dump()

    async def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        await self.inner.apply(changes, record)  # a curation write: all or nothing, no deadline

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        await self.inner.record_audit(entry)

    async def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        return await self._guarded("audit_page", self.inner.audit_page(first, before))

    async def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        return await self._guarded("document_texts", self.inner.document_texts(ids))

    # --- lookups: under the deadline --------------------------------------------------------

    async def ping(self) -> None:
        await self._guarded("ping", self.inner.ping())

    async def data_version(self) -> str:
        return await self._guarded("data_version", self.inner.data_version())

    async def stats(self) -> dict[str, int]:
        return await self._guarded("stats", self.inner.stats())

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        return await self._guarded("get_nodes", self.inner.get_nodes(ids))

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        return await self._guarded("relations", self.inner.relations(ids, types))

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        return await self._guarded("series_neighbors", self.inner.series_neighbors(ids))

    # --- queries: under the deadline --------------------------------------------------------

    async def timeline(self, query: TimelineQuery) -> EventPage:
        return await self._guarded("timeline", self.inner.timeline(query))

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        return await self._guarded("search", self.inner.search(text, kinds, first))

    async def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        return await self._guarded("neighbors", self.inner.neighbors(node_id, depth, types, first))

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        return await self._guarded(
            "shortest_path", self.inner.shortest_path(source, target, max_length, types)
        )

    async def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        return await self._guarded("common_events", self.inner.common_events(ids, start, end))

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        return await self._guarded("participations", self.inner.participations(start, end))

    async def edge_list(self) -> list[tuple[str, str, str]]:
        return await self._guarded("edge_list", self.inner.edge_list())

    # --- proposal sets: small documents, inline under the deadline ------------------------------

    async def save_proposals(self, proposals: ProposalSet) -> None:
        await self.inner.save_proposals(proposals)  # a write: no deadline, like apply

    async def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        return await self._guarded("get_proposals", self.inner.get_proposals(ids))

    async def list_proposals(self) -> list[ProposalSet]:
        return await self._guarded("list_proposals", self.inner.list_proposals())
