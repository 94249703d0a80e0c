"""The store interface: what every backend answers, and the shapes of its answers.

Every backend (``memory``, ``neo4j``) implements :class:`Store`, and one contract test
suite (``tests/contract``) runs against each, so they give the same answers. Methods are
bulk where the API needs many of one thing (nodes, relations, series neighbours) so that a
page of results costs a fixed number of calls, not one per item.

Ordering rules, shared by every backend so that their answers are identical:

- events: by start day, end day, then id (``Event.sort_key``); DESC reverses all three;
- relations of a node: by (subject, type, object, role, title), i.e. ``Relation.key``;
- search hits: by the shared rule (``timeline.model.search``): score descending, then
  relations (importance) descending, then shorter name, then id;
- neighbors: nodes by (hops from the centre, id), edges by ``Relation.key``;
- shortest path: among all shortest paths (relations taken in either direction), the one
  whose sequence of node ids is smallest; between two neighbouring nodes the relation
  with the smallest key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple, Protocol, runtime_checkable

from timeline.model.changes import ChangeSet
from timeline.model.ids import Kind
from timeline.model.involvement import Involvement, Mode
from timeline.model.proposals import ProposalSet
from timeline.model.records import Dataset, Entity, Event, Node, Relation
from timeline.model.search import Match

__all__ = [
    "AuditPage",
    "EventPage",
    "Links",
    "Order",
    "Path",
    "SearchResult",
    "SortKey",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Subgraph",
    "TimelineQuery",
    "UnknownNode",
    "WriteRecord",
]

#: An event's position in time order: (start day, end day, id), ISO days as text.
SortKey = tuple[str, str, str]

#: Nodes with more relations than this are hubs: the memory store keeps a set of their
#: neighbours and Neo4j's neighbourhood statement expands them apart, so that finding the
#: relations among a few hundred nodes never walks a hub's whole list.
HUB_DEGREE = 256


class SearchResult(NamedTuple):
    """One search hit: the entity, its score and why it matched (fields, best first)."""

    entity: Entity
    score: float
    matched: tuple[Match, ...] = ()


class StoreError(Exception):
    """A store could not answer."""


class StoreUnavailable(StoreError):
    """The backing database cannot be reached; the request may succeed later."""


class UnknownNode(StoreError, LookupError):
    """An id that names no node in the store."""

    def __init__(self, node_id: str) -> None:
        super().__init__(f"no node with id {node_id!r}")
        self.node_id = node_id


class Order(Enum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    """A page of events. Filters combine with AND.

    - ``start``/``end``: events whose span overlaps [start, end] (either may be open);
    - ``involving``: events that involve every listed entity, as
      ``timeline.model.involvement`` defines it (``mode``: every rule, or direct links
      and the PART_OF roll-up only);
    - ``linked_to``: events directly linked to this one entity (an entity's own events);
    - ``categories``: any of these categories;
    - ``status``: only events of this status (``occurred`` or ``planned``);
    - ``text``: accent- and case-insensitive substring of name, aliases or description;
    - ``after``: keyset position (the sort key of the last event already seen).

    ``with_links`` asks for the page's :class:`Links` too, in the same call (a page of
    events with their participants then costs one round trip, not three); ``explain``
    (with ``involving``) asks why each event of the page matched, in the same call too.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    involving: tuple[str, ...] = ()
    linked_to: str | None = None
    categories: tuple[str, ...] = ()
    text: str | None = None
    status: str | None = None
    order: Order = Order.ASC
    first: int = 20
    after: SortKey | None = None
    with_links: bool = False
    mode: Mode = Mode.ALL
    explain: bool = False


@dataclass(frozen=True, slots=True)
class Links:
    """What is usually read next about a page of events, fetched with the page.

    - ``relations``: for each event of the page, every relation touching it, exactly as
      :meth:`Store.relations` gives them (all types, ordered by ``Relation.key``);
    - ``nodes``: at least the nodes at the other ends of those relations and the documents
      that the events' and the relations' sources cite, as :meth:`Store.get_nodes` gives
      them (a backend may add more; a reader looks up anything else as usual).
    """

    relations: dict[str, list[Relation]]
    nodes: dict[str, Node]


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[Event]
    total: int
    has_next: bool
    has_previous: bool
    #: With ``TimelineQuery.with_links``: the page's relations and the nodes they name.
    links: Links | None = None
    #: With ``TimelineQuery.explain``: for each event of the page, why it matched
    #: (``timeline.model.involvement.rank`` of what the store found).
    reasons: dict[str, list[Involvement]] | None = None


@dataclass(frozen=True, slots=True)
class Subgraph:
    nodes: list[Entity]
    edges: list[Relation]


@dataclass(frozen=True, slots=True)
class Path:
    nodes: list[Entity]
    edges: list[Relation] = field(default_factory=list)

    @property
    def length(self) -> int:
        return len(self.edges)


@dataclass(frozen=True, slots=True)
class WriteRecord:
    """What a curation write stores with its change, in the same commit: its audit entry
    (JSON-able, ``timeline.services.audit``) and the full texts of the documents it adds
    (document id -> text), against which later quotes are checked."""

    audit: Mapping[str, Any]
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """Audit entries (each with its ``seq``, from 0 in write order), newest first;
    ``total``: entries in the whole log."""

    entries: list[dict[str, Any]]
    total: int
    has_next: bool


@runtime_checkable
class Store(Protocol):
    """What every backend answers. All methods are coroutines."""

    name: str

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""

    async def ping(self) -> None:
        """Return if the store can answer; raise :class:`StoreUnavailable` if not."""

    async def data_version(self) -> str:
        """A token that changes whenever the data changes (for caches and ETags)."""

    async def load(self, dataset: Dataset) -> None:
        """Replace the whole graph with ``dataset``, atomically: on failure the old graph stays."""

    async def dump(self) -> Dataset:
        """The whole graph, as loaded (for exports and round trips)."""

    async def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        """Apply a curation change atomically: all of it, or on any failure none of it.

        ``record`` (the write's audit entry and new document texts) is stored in the same
        commit: there is no change without its audit entry, and no entry of a change that
        was not made.

        Documents and entities are added, or replace the record of the same id; relations
        are added, or replace the relation of the same id; relation ids are removed first
        (an id that is not there is no error, so a write can be retried).
        ``timeline.model.changes.apply_to`` is the reference: afterwards ``dump()`` equals
        it, order included. A relation to a node neither the graph nor the change has, or
        of an unknown type, raises :class:`StoreError`; a ``changes.base_version`` that is
        not the current data version raises ``ChangeConflict``. The data version becomes
        ``next_version(previous, changes)``: it changes on every write.
        """

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        """Store an audit entry that comes with no change (a write the store refused)."""

    async def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        """``first`` audit entries, newest first, with ``seq`` below ``before`` if given."""

    async def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The texts curation stored for these documents (ids without one are left out)."""

    async def stats(self) -> dict[str, int]:
        """Counts by kind (``Dataset.counts`` keys)."""

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        """The nodes (entities and documents) with these ids; unknown ids are left out."""

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        """Every relation touching each id, in either direction, optionally of these types.

        Each id in ``ids`` gets a list (empty if none), ordered by ``Relation.key``.
        """

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        """For each event id: the previous and next event ids of its series, in time order."""

    async def timeline(self, query: TimelineQuery) -> EventPage:
        """A page of events matching ``query``, in its order, starting after ``query.after``."""

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        """Entities that every word of ``text`` matches, accent-, case- and typo-tolerant.

        Scores are in (0, 1], 1 for an exact name or alias; ranked and explained by the
        shared rule, ``timeline.model.search`` (the store only finds candidates).
        """

    async def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        """The entities within ``depth`` hops of ``node_id`` (at most ``first``, nearest
        first, the centre included) and the relations among them.

        Raises :class:`UnknownNode` for an unknown id.
        """

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        """A shortest path over relations in either direction, or None if none is at most
        ``max_length`` long. Raises :class:`UnknownNode` for an unknown id."""

    async def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        """Events directly linked to every one of ``ids``, overlapping [start, end],
        in time order."""

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        """(event id, participant id) pairs for ATTENDED, HOSTED and ORGANIZED relations of
        events overlapping [start, end], for the co-participation network."""

    async def edge_list(self) -> list[tuple[str, str, str]]:
        """Every relation as (subject, object, type), for whole-graph analytics."""

    async def save_proposals(self, proposals: ProposalSet) -> None:
        """Keep a proposal set (``timeline ingest``'s output), or replace the one of the
        same id. Proposal sets are not part of the graph: ``load`` keeps them, ``dump``,
        ``stats`` and the data version ignore them."""

    async def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        """The proposal sets with these ids; unknown ids are left out."""

    async def list_proposals(self) -> list[ProposalSet]:
        """Every proposal set kept, newest first (by ``created``, then id)."""
