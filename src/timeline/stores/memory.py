"""The embedded default: the whole graph in memory, in plain Python structures.

Entities and documents are the dataset's records; each node's relations are a list sorted
by ``Relation.key`` (the adjacency every traversal walks), events are a list in time order
(date windows bisect it), and search words sit in :class:`_WordIndex` (search finds exactly
what scoring every entity would, scoring few of them). Loading builds a new
:class:`_Index` and swaps it in whole, so a failed load leaves the previous graph answering.

At a million synthetic events (about 1.3 million entities and 6.5 million relations) the
index takes a few minutes to build and a few GB of memory (``benchmarks/profile_stores.py``
measures both); every call behind the API's pages answers in milliseconds.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from timeline.model.changes import ChangeSet, InvalidChange, apply_to, next_version
from timeline.model.ids import Kind
from timeline.model.involvement import (
    LOCATION_DEPTH,
    POSITION,
    ROLL_UP,
    TAKING_PART,
    VENUE,
    WITHIN,
    Involvement,
    Mode,
    Rule,
    applies,
    held_during,
    position_days,
    rank,
)
from timeline.model.proposals import ProposalSet
from timeline.model.records import (
    PARTICIPATION_TYPES,
    Dataset,
    Document,
    Entity,
    Event,
    Node,
    Organization,
    Person,
    Place,
    Relation,
    longest_span,
)
from timeline.model.search import (
    MASK_NAME_WEIGHT,
    MASK_WEIGHT,
    NAME_FIELDS,
    Field,
    Query,
    allowed_edits,
    entity_fields,
    parse_query,
    positions_of,
    rank_key,
    score_bounds,
    score_entity,
    venues_of,
    word_kinds,
)
from timeline.model.text import fold
from timeline.stores.base import (
    HUB_DEGREE,
    AuditPage,
    EventPage,
    Links,
    Order,
    Path,
    SearchResult,
    SortKey,
    StoreError,
    Subgraph,
    TimelineQuery,
    UnknownNode,
    WriteRecord,
)

__all__ = ["HEAVY", "MemoryGraph", "MemoryStore", "audit_page"]

T = TypeVar("T")

_EVENT = f"{Kind.EVENT.value}:"


@dataclass
class _Index:
    """Everything the memory store answers from, built once per load."""

    dataset: Dataset
    version: str
    documents: dict[str, Document]
    relations_by_node: dict[str, list[Relation]]
    adjacent: dict[str, list[str]]  # the other end of each of a node's relations, in order
    hubs: dict[str, frozenset[str]]  # the neighbours of nodes with over HUB_DEGREE relations
    events: list[Event]  # in time order
    event_keys: list[SortKey]
    max_days: int  # the longest event span, bounding date-range scans
    event_text: dict[str, str]
    parents: dict[str, list[str]]  # event -> the events it is PART_OF
    by_country: dict[str, list[str]]  # country -> places and organizations recording it
    series: dict[str, tuple[str | None, str | None]]
    words: _WordIndex
    entities: list[Entity]  # by position (owner) in ``words``

    @classmethod
    def build(cls, dataset: Dataset) -> _Index:
        by_node: dict[str, list[Relation]] = defaultdict(list)
        parents: dict[str, list[str]] = defaultdict(list)
        for rel in dataset.relations:
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
        entities = list(dataset.entities.values())
        by_country: dict[str, list[str]] = defaultdict(list)
        for entity in entities:
            if isinstance(entity, Place | Organization) and entity.country:
                by_country[entity.country].append(entity.id)
        return cls(
            dataset=dataset,
            version=dataset.version(),
            documents=dict(dataset.documents),
            relations_by_node=dict(by_node),
            adjacent=(adjacent := {n: [r.other(n) for r in rels] for n, rels in by_node.items()}),
            hubs={n: frozenset(o) for n, o in adjacent.items() if len(o) > HUB_DEGREE},
            events=events,
            event_keys=[e.sort_key for e in events],
            max_days=longest_span(events),
            event_text={e.id: e.search_text for e in events},
            parents=dict(parents),
            by_country=dict(by_country),
            series=_series_neighbors(events),
            words=_WordIndex(
                entities,
                lambda i: venues_of(dataset, by_node, i),
                lambda i: positions_of(dataset, by_node, i),
                lambda i: len(by_node.get(i, ())),
            ),
            entities=entities,
        )

    def fields(self, entity: Entity) -> tuple[Field, ...]:
        """What the search rule reads of an entity, its venues and positions included."""
        by_node = self.relations_by_node
        return entity_fields(
            entity,
            venues_of(self.dataset, by_node, entity.id),
            positions_of(self.dataset, by_node, entity.id),
        )

    def degree(self, entity_id: str) -> int:
        return len(self.relations_by_node.get(entity_id, ()))


def _explained(query: Query, entity: Entity, fields: Sequence[Field]) -> SearchResult:
    """A winner, scored again with its matches."""
    scored = score_entity(query, fields)
    assert scored is not None
    return SearchResult(entity, scored.score, scored.matches)


# --- search --------------------------------------------------------------------------------------


class _WordIndex:
    """Which entities have each word of their search fields, and in which kinds of field,
    built once per data version, for the shared ranking rule.

    A query word's candidate words are the vocabulary's words equal to it, starting with
    it (two letters or more) or within its typo allowance (``rapidfuzz`` over the words of
    each length): exactly the words ``word_quality`` matches. The entities with a
    candidate word for EVERY query word are the candidates; for each, the postings give
    every query word's best quality times field weight (exactly the rule's) and bounds of
    the rest of the score (``score_bounds``). Candidates are then scored with
    ``score_entity`` from the highest bound down (ties as the hits sort: importance,
    shorter name, id) until no bound left can beat the hits found: the answers of scoring
    every entity, from scoring few of them."""

    def __init__(
        self,
        entities: list[Entity],
        venues: Callable[[str], list[str]],
        positions: Callable[[str], list[str]],
        degree: Callable[[str], int],
    ) -> None:
        postings: dict[str, list[int]] = defaultdict(list)  # owner << 8 | kinds
        exact: dict[str, list[int]] = defaultdict(list)
        name_length = np.full(len(entities), 1 << 20, dtype=np.int32)
        for owner, entity in enumerate(entities):
            fields = entity_fields(entity, venues(entity.id), positions(entity.id))
            for word, mask in word_kinds(fields).items():
                postings[word].append(owner << 8 | mask)
            for f in fields:
                if f.kind in NAME_FIELDS:
                    exact[" ".join(f.words[: f.base])].append(owner)
                    name_length[owner] = min(int(name_length[owner]), f.length)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for word, packed in postings.items():
            both = np.array(packed, dtype=np.int64)
            self.postings[word] = ((both >> 8).astype(np.int32), (both & 0xFF).astype(np.uint8))
        self.exact = {words: np.array(o, dtype=np.int32) for words, o in exact.items()}
        self.vocabulary = sorted(self.postings)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            by_length[len(word)].append(word)
        self.by_length = dict(by_length)
        self.name_length = name_length
        self.name_chars = np.array([len(e.name) for e in entities], dtype=np.int32)
        self.degrees = np.array([degree(e.id) for e in entities], dtype=np.int64)
        self.kind_codes = {kind: code for code, kind in enumerate(Kind)}
        self.kinds = np.array([self.kind_codes[e.kind] for e in entities], dtype=np.int8)

    def words_like(self, word: str) -> list[str]:
        """The vocabulary's words that ``word_quality`` can match with ``word``."""
        found = [word] if word in self.postings else []
        if len(word) >= 2:
            at = bisect.bisect_left(self.vocabulary, word)
            while at < len(self.vocabulary) and self.vocabulary[at].startswith(word):
                if self.vocabulary[at] != word:
                    found.append(self.vocabulary[at])
                at += 1
        edits = allowed_edits(word)
        for length in range(len(word) - edits, len(word) + edits + 1):
            words = self.by_length.get(length) if edits else None
            if words:
                for other, _, _ in process.extract(
                    word, words, scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    found.append(other)
        return list(dict.fromkeys(found))

    def _word(
        self, query: Query, word: str, like: list[str], within: np.ndarray | None
    ) -> _Matched | None:
        """Per entity with a word of ``like`` (the words like ``word``; only the entities
        ``within``, sorted, if given): the best weighted quality, the best in names, the
        kinds matched (strongly)."""
        parts = [(query.quality(word, w), *self.postings[w]) for w in like]
        if not parts:
            return None
        owners = np.concatenate([o for _, o, _ in parts])
        masks = np.concatenate([m for _, _, m in parts])
        quality = np.repeat([q for q, _, _ in parts], [len(o) for _, o, _ in parts])
        if within is not None:
            at = np.minimum(np.searchsorted(within, owners), len(within) - 1)
            keep = within[at] == owners
            owners, masks, quality = owners[keep], masks[keep], quality[keep]
            if not len(owners):
                return None
        order = np.argsort(owners, kind="stable")
        owners, masks, quality = owners[order], masks[order], quality[order]
        strong = np.where(quality >= 0.6, masks, 0).astype(np.uint8)
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        return _Matched(
            owners=owners[starts],
            best=np.maximum.reduceat(quality * MASK_WEIGHT[masks], starts),
            name_best=np.maximum.reduceat(quality * MASK_NAME_WEIGHT[masks], starts),
            matched=np.bitwise_or.reduceat(masks, starts),
            strong=np.bitwise_or.reduceat(strong, starts),
        )

    def ranked(self, query: Query, kinds: Collection[Kind] | None) -> tuple[np.ndarray, np.ndarray]:
        """The candidates (see the class doc) and their bounds."""
        found: list[_Matched] = []
        common: np.ndarray | None = None
        like = {word: self.words_like(word) for word in query.words}
        size = {word: sum(len(self.postings[w][0]) for w in like[word]) for word in like}
        for word in sorted(query.words, key=size.__getitem__):  # the rarest first: less to sort
            matched = self._word(query, word, like[word], common)
            if matched is None:
                return np.empty(0, dtype=np.int32), np.empty(0)
            found.append(matched)
            common = matched.owners
        assert common is not None
        if kinds:
            wanted = np.array([self.kind_codes[k] for k in kinds], dtype=np.int8)
            common = common[np.isin(self.kinds[common], wanted)]
        rows = [np.searchsorted(m.owners, common) for m in found]  # aligned with common
        exact = self.exact.get(" ".join(query.all_words))
        bounds = score_bounds(
            np.array([m.best[r] for m, r in zip(found, rows, strict=True)]),
            np.array([m.name_best[r] for m, r in zip(found, rows, strict=True)]),
            np.array([m.matched[r] for m, r in zip(found, rows, strict=True)]),
            np.array([m.strong[r] for m, r in zip(found, rows, strict=True)]),
            self.name_length[common],
            np.isin(common, exact) if exact is not None else np.zeros(len(common), dtype=bool),
        )
        return common, bounds


@dataclass(frozen=True, slots=True)
class _Matched:
    """One query word's matches: entities (sorted) and, aligned, what ``score_bounds`` reads."""

    owners: np.ndarray
    best: np.ndarray
    name_best: np.ndarray
    matched: np.ndarray
    strong: np.ndarray


def _name(node: Entity | None, node_id: str) -> str:
    return node.name if node is not None else node_id


def audit_page(entries: Sequence[dict[str, Any]], first: int, before: int | None) -> AuditPage:
    """A page of ``entries`` (oldest first, each with its ``seq``), newest first."""
    older = [e for e in reversed(entries) if before is None or e["seq"] < before]
    return AuditPage(entries=older[:first], total=len(entries), has_next=len(older) > first)


def _series_neighbors(events: list[Event]) -> dict[str, tuple[str | None, str | None]]:
    by_series: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.series:
            by_series[event.series].append(event)
    neighbors: dict[str, tuple[str | None, str | None]] = {}
    for members in by_series.values():
        ids = [e.id for e in sorted(members, key=lambda e: e.series_key)]
        for i, event_id in enumerate(ids):
            neighbors[event_id] = (
                ids[i - 1] if i else None,
                ids[i + 1] if i + 1 < len(ids) else None,
            )
    return neighbors


class MemoryGraph:
    """The in-memory graph: the store's answers as plain (synchronous) methods, each the
    method of :class:`Store` with the same name. :class:`MemoryStore` serves it.

    >>> graph = MemoryGraph()
    >>> graph.stats()["event"]
    0
    """

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._index = _Index.build(dataset or Dataset())
        self._swap = threading.Lock()  # writes build their index in parallel, swap one by one
        #: The audit entries and curated document texts of the writes (kept with the
        #: graph: a journaled store replays them with it, ``timeline.stores.journal``).
        self._audit: list[dict[str, Any]] = []
        self._texts: dict[str, str] = {}
        self._proposals: dict[str, str] = {}  # id -> JSON, so callers never share objects

    # --- lifecycle -------------------------------------------------------------------------

    def data_version(self) -> str:
        return self._index.version

    def load(self, dataset: Dataset) -> None:
        built = _Index.build(dataset)  # built first, swapped in whole
        with self._swap:
            self._index = built

    def restore(self, dataset: Dataset, version: str) -> None:
        """Serve ``dataset`` at data ``version`` (a replayed journal's graph)."""
        built = _Index.build(dataset)
        built.version = version
        self._index = built

    def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        """Build the new dataset (the current one with ``changes``) and its index, then
        swap the index in whole, as :meth:`load` does: readers see the graph before or
        after, never between, and a failure leaves the old one."""
        index = self._index
        changes.require_base(index.version)
        try:
            dataset = apply_to(index.dataset, changes)
        except InvalidChange as exc:
            raise StoreError(str(exc)) from exc
        built = _Index.build(dataset)  # the slow part, outside the lock
        with self._swap:
            won = self._index is index
            if won:
                built.version = next_version(index.version, changes)
                self._index = built
                if record is not None:
                    self._texts.update(record.texts)
                    self._audit.append({**record.audit, "seq": len(self._audit)})
        if not won:  # another write or load swapped first: redo on its graph
            self.apply(changes, record)

    def record_audit(self, entry: Mapping[str, Any]) -> None:
        with self._swap:
            self._audit.append({**entry, "seq": len(self._audit)})

    def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        return audit_page(self._audit, first, before)

    def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        return {i: self._texts[i] for i in ids if i in self._texts}

    def dump(self) -> Dataset:
        source = self._index.dataset
        return Dataset(dict(source.documents), dict(source.entities), list(source.relations))

    def stats(self) -> dict[str, int]:
        return self._index.dataset.counts()

    # --- lookups -----------------------------------------------------------------------------

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        entities, documents = self._index.dataset.entities, self._index.documents
        found: dict[str, Node] = {}
        for node_id in ids:
            node = entities.get(node_id) or documents.get(node_id)
            if node is not None:
                found[node_id] = node
        return found

    def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        by_node = self._index.relations_by_node
        wanted = set(types) if types else None
        return {
            node_id: [r for r in by_node.get(node_id, ()) if wanted is None or r.type in wanted]
            for node_id in ids
        }

    def series_neighbors(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        series = self._index.series
        return {i: series.get(i, (None, None)) for i in ids}

    # --- timeline ----------------------------------------------------------------------------

    def _linked_events(self, node_id: str) -> set[str]:
        """Events directly linked to a node, in either direction (ids name their kind)."""
        return {o for o in self._index.adjacent.get(node_id, ()) if o.startswith(_EVENT)}

    def _involving(self, node_id: str, mode: Mode = Mode.DIRECT) -> set[str]:
        """Events that involve a node (``timeline.model.involvement``): linked to it by a
        rule, or with a sub-event that is."""
        parents = self._index.parents
        found = set(self._linked_events(node_id))
        if mode is Mode.ALL:
            found |= self._broad_events(node_id)
        pending = list(found)
        while pending:
            for parent in parents.get(pending.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    pending.append(parent)
        return found

    def _rels(self, node_id: str, type_: str) -> Iterator[Relation]:
        return (r for r in self._index.relations_by_node.get(node_id, ()) if r.type == type_)

    def _within(self, node_id: str) -> set[str]:
        """The places and organizations located within a node: up to LOCATION_DEPTH
        LOCATED_IN relations to it, or to a place or organization recording it as
        ``country`` (those themselves included)."""
        recorded = self._index.by_country.get(node_id, []) if node_id.startswith("country:") else []
        depth = dict.fromkeys(recorded, 0)
        frontier = [node_id, *recorded]
        depth.setdefault(node_id, 0)
        for level in range(1, LOCATION_DEPTH + 1):
            reached = []
            for n in frontier:
                for rel in self._rels(n, WITHIN):
                    if rel.object == n and rel.subject not in depth:
                        depth[rel.subject] = level
                        reached.append(rel.subject)
            frontier = reached
        found = set(depth)
        if node_id not in recorded:
            found.discard(node_id)
        return found

    def _broad_events(self, node_id: str) -> set[str]:
        """Events matched by the rules beyond DIRECT (before the roll-up)."""
        entities = self._index.dataset.entities
        found: set[str] = set()
        within = (
            self._within(node_id)
            if applies(Rule.PLACE, node_id, Mode.ALL)
            or applies(Rule.ORGANIZATION, node_id, Mode.ALL)
            else set()
        )
        for n in within:
            entity = entities.get(n)
            if isinstance(entity, Place) and applies(Rule.PLACE, node_id, Mode.ALL):
                found.update(r.subject for r in self._rels(n, VENUE) if r.object == n)
            elif isinstance(entity, Organization) and applies(Rule.ORGANIZATION, node_id, Mode.ALL):
                found.update(self._took_part(n))
        if applies(Rule.POSITION, node_id, Mode.ALL):
            for held in self._rels(node_id, POSITION):
                if held.object != node_id or not isinstance(entities.get(held.subject), Person):
                    continue
                since, until = position_days(
                    held.start.start if held.start else None, held.end.end if held.end else None
                )
                for event_id in self._took_part(held.subject):
                    event = entities[event_id]
                    assert isinstance(event, Event)
                    if held_during(since, until, *event.sort_key[:2]):
                        found.add(event_id)
        return {e for e in found if isinstance(entities.get(e), Event)}

    def _took_part(self, actor: str) -> set[str]:
        """Events an actor ATTENDED, HOSTED or ORGANIZED."""
        entities = self._index.dataset.entities
        return {
            r.object
            for r in self._index.relations_by_node.get(actor, ())
            if r.type in TAKING_PART
            and r.subject == actor
            and isinstance(entities.get(r.object), Event)
        }

    # --- why an event matched ------------------------------------------------------------------

    def _reasons(self, event_id: str, query: TimelineQuery) -> list[Involvement]:
        found: list[Involvement] = []
        for down in self._down_paths(event_id):
            for involving in query.involving:
                found += self._own_reasons(down, involving, query.mode)
        return rank(found, query.involving)

    def _down_paths(self, event_id: str) -> Iterator[list[str]]:
        """Every chain [event, sub-event, sub-sub-event...] (PART_OF, no relation twice)."""
        entities = self._index.dataset.entities

        def walk(path: list[str], used: frozenset[str]) -> Iterator[list[str]]:
            yield path
            for rel in self._rels(path[-1], ROLL_UP):
                if (
                    rel.object == path[-1]
                    and rel.id not in used
                    and isinstance(entities.get(rel.subject), Event)
                ):
                    yield from walk([*path, rel.subject], used | {rel.id})

        yield from walk([event_id], frozenset())

    def _up_paths(self, start: str, target: str) -> Iterator[list[str]]:
        """Chains from ``start`` up LOCATED_IN (at most LOCATION_DEPTH relations, none
        twice) to ``target``, or to a node recording ``target`` as its country (then
        ``target`` ends the chain); ``start`` alone never counts as reaching ``target``."""
        entities = self._index.dataset.entities
        by_country = target.startswith("country:")

        def walk(path: list[str], used: frozenset[str]) -> Iterator[list[str]]:
            here = path[-1]
            if here == target and len(path) > 1:
                yield path
            elif by_country and getattr(entities.get(here), "country", None) == target:
                yield [*path, target]
            if len(path) > LOCATION_DEPTH:
                return
            for rel in self._rels(here, WITHIN):
                if rel.subject == here and rel.id not in used:
                    yield from walk([*path, rel.object], used | {rel.id})

        yield from walk([start], frozenset())

    def _own_reasons(self, down: list[str], x: str, mode: Mode) -> list[Involvement]:
        """The reasons the last event of ``down`` is linked to ``x`` by itself."""
        index = self._index
        entities = index.dataset.entities
        event_id = down[-1]
        event = entities[event_id]
        assert isinstance(event, Event)
        via = len(down) - 1

        def reason(rule: Rule, rest: Sequence[str], rel: Relation, **extra: Any) -> Involvement:
            chain = (*down, *rest)
            names = tuple(_name(entities.get(n), n) for n in chain)
            return Involvement(x, rule, chain, names, via, rel.type, **extra)

        found = []
        for rel in index.relations_by_node.get(event_id, ()):
            other = rel.other(event_id)
            if other == x:
                found.append(reason(Rule.DIRECT, [x], rel, inward=rel.subject == x))
            if mode is not Mode.ALL:
                continue
            node = entities.get(other)
            if (
                rel.type == VENUE
                and rel.subject == event_id
                and isinstance(node, Place)
                and applies(Rule.PLACE, x, mode)
            ):
                found += [reason(Rule.PLACE, up, rel) for up in self._up_paths(other, x)]
            if rel.type not in TAKING_PART or rel.object != event_id:
                continue
            if isinstance(node, Person) and applies(Rule.POSITION, x, mode):
                for held in self._rels(other, POSITION):
                    if held.subject != other or held.object != x:
                        continue
                    since, until = position_days(
                        held.start.start if held.start else None,
                        held.end.end if held.end else None,
                    )
                    if held_during(since, until, *event.sort_key[:2]):
                        found.append(reason(Rule.POSITION, [other, x], rel, title=held.title))
            if isinstance(node, Organization) and applies(Rule.ORGANIZATION, x, mode):
                for up in self._up_paths(other, x):
                    found.append(reason(Rule.ORGANIZATION, up, rel))
        return found

    def _matches(self, query: TimelineQuery) -> list[Event]:
        """Every event matching ``query`` (cursor aside), in time order: from the linked
        sets when the query has them, else from a bisected slice of the time-ordered list;
        filtered before sorting, so a hub's thousands of events cost no sort."""
        index = self._index
        categories = set(query.categories)
        text = fold(query.text) if query.text else None
        event_text = index.event_text

        def wanted(e: Event) -> bool:
            return (
                e.date.overlaps(query.start, query.end)
                and (not categories or e.category in categories)
                and (query.status is None or e.status == query.status)
                and (text is None or text in event_text[e.id])
            )

        sets = [self._involving(i, query.mode) for i in query.involving]
        if query.linked_to is not None:
            sets.append(self._linked_events(query.linked_to))
        if sets:
            sets.sort(key=len)
            ids = sets[0].intersection(*sets[1:])
            entities = index.dataset.entities
            found = [e for i in ids if isinstance(e := entities[i], Event) and wanted(e)]
            return sorted(found, key=lambda e: e.sort_key)
        lo, hi = 0, len(index.events)
        if query.start is not None:  # nothing that starts more than max_days before can overlap
            # (clamped: a window starting in year 1 must not step before date.min)
            ordinal = max(1, query.start.toordinal() - index.max_days)
            earliest = dt.date.fromordinal(ordinal).isoformat()
            lo = bisect.bisect_left(index.event_keys, (earliest,))
        if query.end is not None:
            hi = bisect.bisect_right(index.event_keys, (query.end.isoformat(), "\uffff"))
        return [e for e in index.events[lo:hi] if wanted(e)]

    def timeline(self, query: TimelineQuery) -> EventPage:
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
            links=self._links(page) if query.with_links else None,
            reasons={e.id: self._reasons(e.id, query) for e in page} if query.explain else None,
        )

    def _links(self, events: Sequence[Event]) -> Links:
        relations = self.relations([e.id for e in events])
        named: dict[str, None] = {}
        for event in events:
            named.update((s.document, None) for s in event.sources)
            for rel in relations[event.id]:
                named[rel.object if rel.subject == event.id else rel.subject] = None
                named.update((s.document, None) for s in rel.sources)
        return Links(relations=relations, nodes=self.get_nodes(list(named)))

    # --- search ------------------------------------------------------------------------------

    def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        index = self._index
        query = parse_query(text)
        if first <= 0 or not query.words:
            return []
        words = index.words
        owners, bounds = words.ranked(query, kinds)
        entities = index.entities
        # the best bounds first, ties as hits sort: importance, shorter name (then ids, which
        # this order does not sort: candidates that only ids tell apart are each checked)
        order = np.lexsort((words.name_chars[owners], -words.degrees[owners], -bounds))
        best: list[tuple[tuple[float, int, int, str], Entity, tuple[Field, ...]]] = []
        for at in order:
            owner = int(owners[at])
            entity = entities[owner]
            degree = int(words.degrees[owner])
            if len(best) == first:
                hope = rank_key(round(float(bounds[at]), 4), degree, entity)
                if hope[:3] > best[-1][0][:3]:
                    break  # this bound, and every one after it, cannot beat the hits found
                if hope > best[-1][0]:
                    continue
            fields = index.fields(entity)
            scored = score_entity(query, fields, explain=False)
            if scored is not None:
                bisect.insort(best, (rank_key(scored.score, degree, entity), entity, fields))
                del best[first:]
        return [_explained(query, entity, fields) for _, entity, fields in best]

    # --- traversal ---------------------------------------------------------------------------

    def _require(self, node_id: str) -> None:
        if node_id not in self._index.dataset.entities:
            raise UnknownNode(node_id)

    def _adjacent(
        self, node_id: str, types: Collection[str] | None
    ) -> Iterator[tuple[str, Relation]]:
        rels = self._index.relations_by_node.get(node_id, ())
        for other, rel in zip(self._index.adjacent.get(node_id, ()), rels, strict=True):
            if types is None or rel.type in types:
                yield other, rel

    def _neighbor_ids(self, node_id: str, types: Collection[str] | None) -> Sequence[str]:
        """The other ends of a node's relations (repeats included), as fast as possible."""
        if types is None:
            return self._index.adjacent.get(node_id, ())
        return [o for o, _ in self._adjacent(node_id, types)]

    def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        self._require(node_id)
        wanted = set(types) if types else None
        # Nodes come nearest first, then by id: a level is only walked while the levels
        # before it hold fewer than ``first`` nodes, and only its smallest ids are kept.
        chosen = [node_id]
        seen = {node_id}
        frontier = [node_id]
        for _ in range(depth):
            if len(chosen) >= first or not frontier:
                break
            reached: set[str] = set()
            for n in frontier:
                reached.update(self._neighbor_ids(n, wanted))
            reached -= seen
            seen |= reached
            frontier = sorted(reached)
            chosen += frontier[: max(first - len(chosen), 0)]
        chosen = chosen[: max(first, 0)]
        return Subgraph(
            nodes=[self._index.dataset.entities[n] for n in chosen],
            edges=sorted(self._relations_among(chosen, wanted).values(), key=lambda r: r.key),
        )

    def _relations_among(
        self, chosen: list[str], types: Collection[str] | None
    ) -> dict[str, Relation]:
        """The relations whose both ends are in ``chosen``. A relation with a small end is
        found from that end's list; only relations between two hubs (rare) need a hub's
        list, and only when its neighbour set says there is one."""
        hubs = self._index.hubs
        kept = set(chosen)
        edges: dict[str, Relation] = {}
        big = [n for n in chosen if n in hubs]
        for n in chosen:
            if n not in hubs:
                edges.update((r.id, r) for o, r in self._adjacent(n, types) if o in kept)
        for i, hub in enumerate(big):
            partners = {b for b in big[i:] if b in hubs[hub]}  # itself too: a self-loop
            if partners:
                edges.update((r.id, r) for o, r in self._adjacent(hub, types) if o in partners)
        return edges

    def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        self._require(source)
        self._require(target)
        wanted = set(types) if types else None
        layers = self._path_layers(source, target, max_length, wanted)
        if layers is None:
            return None
        entities = self._index.dataset.entities
        nodes, edges = [source], []
        for layer in layers[1:]:  # greedy: the smallest next node is the smallest sequence
            next_node, rel = min(
                ((o, r) for o, r in self._adjacent(nodes[-1], wanted) if o in layer),
                key=lambda pair: (pair[0], pair[1].key),
            )
            nodes.append(next_node)
            edges.append(rel)
        return Path(nodes=[entities[n] for n in nodes], edges=edges)

    def _path_layers(
        self, source: str, target: str, limit: int, types: Collection[str] | None
    ) -> list[set[str]] | None:
        """The nodes on shortest paths, layer by layer from ``source`` to ``target``, or
        None beyond ``limit`` hops.

        Breadth-first from both ends, always growing the side whose frontier has fewer
        relations to walk, so that a hub at one end is not expanded when the other end
        meets it sooner. When the layers meet, the meeting set is walked back through each
        side's layers, keeping only nodes with a neighbour on a shortest path.
        """
        if source == target:
            return [{source}]
        by_node = self._index.relations_by_node
        forward: list[set[str]] = [{source}]
        backward: list[set[str]] = [{target}]
        seen_forward, seen_backward = {source}, {target}
        meet: set[str] = set()
        while len(forward) + len(backward) - 2 < limit:

            def cost(layer: set[str]) -> int:
                return sum(len(by_node.get(n, ())) for n in layer)

            grow_forward = cost(forward[-1]) <= cost(backward[-1])
            layers, seen = (forward, seen_forward) if grow_forward else (backward, seen_backward)
            other = seen_backward if grow_forward else seen_forward
            reached: set[str] = set()
            for n in layers[-1]:
                reached.update(self._neighbor_ids(n, types))
            reached -= seen
            if not reached:
                return None
            seen |= reached
            layers.append(reached)
            meet = reached & other
            if meet:
                break
        if not meet:
            return None
        # The meeting nodes are in the last layer of both sides: had one of them been
        # nearer the other end, its neighbour would have been seen from both ends earlier.
        forward[-1] = backward[-1] = meet
        on_path_forward = self._prune(forward, meet, types)
        on_path_backward = self._prune(backward, meet, types)
        return on_path_forward + on_path_backward[-2::-1]

    def _prune(
        self, layers: list[set[str]], meet: set[str], types: Collection[str] | None
    ) -> list[set[str]]:
        """``layers`` from its end (``meet``) back to its start, keeping nodes that have a
        neighbour kept in the next layer: the nodes on a shortest path."""
        kept = [meet]
        for layer in reversed(layers[:-1]):
            nxt = kept[-1]
            kept.append({n for n in layer if not nxt.isdisjoint(self._neighbor_ids(n, types))})
        kept.reverse()
        return kept

    def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        if not ids:
            return []
        index = self._index
        # The events of the id with the fewest relations, each checked against the others
        # through its own (short) list of relations: a hub's list is never walked.
        smallest, *rest = sorted(dict.fromkeys(ids), key=lambda i: len(index.adjacent.get(i, ())))
        events = []
        for event_id in self._linked_events(smallest):
            event = index.dataset.entities[event_id]
            if not isinstance(event, Event) or not event.date.overlaps(start, end):
                continue
            linked = index.adjacent.get(event_id, ())
            if all(other in linked for other in rest):
                events.append(event)
        return sorted(events, key=lambda e: e.sort_key)

    # --- analytics inputs ----------------------------------------------------------------------

    def participations(
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

    def edge_list(self) -> list[tuple[str, str, str]]:
        return [(r.subject, r.object, r.type) for r in self._index.dataset.relations]

    # --- proposal sets ---------------------------------------------------------------------

    def save_proposals(self, proposals: ProposalSet) -> None:
        self._proposals[proposals.id] = proposals.model_dump_json()

    def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        return {
            i: ProposalSet.model_validate_json(self._proposals[i])
            for i in ids
            if i in self._proposals
        }

    def list_proposals(self) -> list[ProposalSet]:
        sets = [ProposalSet.model_validate_json(v) for v in self._proposals.values()]
        return sorted(sets, key=lambda p: (p.created, p.id), reverse=True)


class MemoryStore:
    """The embedded store: a :class:`MemoryGraph` served as a :class:`Store`.

    The graph's methods are plain Python and never wait, so the cheap ones (lookups by id,
    counts, the data version) answer inline; the ones that can cost real CPU
    (:data:`HEAVY`, writes and loads) run in a small pool of worker threads, so the event
    loop stays free while they compute and a deadline around the call (:class:`GuardedStore
    <timeline.stores.guard.GuardedStore>`) can fire. A call past its deadline cannot be
    stopped in its thread: it runs to its end and its answer is dropped; the pool is
    bounded, so calls queued behind runaway ones wait (and time out) rather than multiply
    threads. Before every read :meth:`_ready` runs: nothing here, the journal's replay for
    a :class:`~timeline.stores.journal.JournaledStore`.

    >>> import asyncio
    >>> store = MemoryStore()
    >>> asyncio.run(store.stats())["event"]
    0
    """

    name = "memory"
    #: Worker threads for the heavy calls.
    workers = 4

    def __init__(self, dataset: Dataset | None = None, *, inline: bool = False) -> None:
        self.graph = MemoryGraph(dataset)
        #: Every call on the caller's own thread, none in a worker: for a caller that waits
        #: for each answer anyway (``timeline.open``'s graphs), not for a server's loop.
        self.inline = inline
        self._pool: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"MemoryStore({self.graph.stats()['event']} events)"

    async def _ready(self) -> None:
        """Bring the graph up to date before a read (a hook: the journal follows its file)."""

    async def _off_loop(self, call: Callable[..., T], *args: Any) -> T:
        """``call(*args)`` in a worker thread; cancelling the wait drops it if not started.
        (Inline, on this thread, if the store is :attr:`inline`.)"""
        if self.inline:
            return call(*args)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="timeline-store")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(call, *args))

    # --- lifecycle and writes --------------------------------------------------------------

    async def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def ping(self) -> None:
        return None

    async def load(self, dataset: Dataset) -> None:
        await self._off_loop(self.graph.load, dataset)

    async def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        await self._off_loop(self.graph.apply, changes, record)

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        self.graph.record_audit(entry)

    async def save_proposals(self, proposals: ProposalSet) -> None:
        self.graph.save_proposals(proposals)

    # --- cheap reads: inline -----------------------------------------------------------------

    async def data_version(self) -> str:
        await self._ready()
        return self.graph.data_version()

    async def stats(self) -> dict[str, int]:
        await self._ready()
        return self.graph.stats()

    async def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        await self._ready()
        return self.graph.audit_page(first, before)

    async def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        await self._ready()
        return self.graph.document_texts(ids)

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        await self._ready()
        return self.graph.get_nodes(ids)

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        await self._ready()
        return self.graph.relations(ids, types)

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        await self._ready()
        return self.graph.series_neighbors(ids)

    async def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        await self._ready()
        return self.graph.get_proposals(ids)

    async def list_proposals(self) -> list[ProposalSet]:
        await self._ready()
        return self.graph.list_proposals()

    # --- heavy reads: in a worker thread -----------------------------------------------------

    async def dump(self) -> Dataset:
        await self._ready()
        return await self._off_loop(self.graph.dump)

    async def timeline(self, query: TimelineQuery) -> EventPage:
        await self._ready()
        return await self._off_loop(self.graph.timeline, query)

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        await self._ready()
        return await self._off_loop(self.graph.search, text, kinds, first)

    async def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        await self._ready()
        return await self._off_loop(self.graph.neighbors, node_id, depth, types, first)

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        await self._ready()
        return await self._off_loop(self.graph.shortest_path, source, target, max_length, types)

    async def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        await self._ready()
        return await self._off_loop(self.graph.common_events, ids, start, end)

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        await self._ready()
        return await self._off_loop(self.graph.participations, start, end)

    async def edge_list(self) -> list[tuple[str, str, str]]:
        await self._ready()
        return await self._off_loop(self.graph.edge_list)


#: The calls that can cost real CPU, run in worker threads.
HEAVY = frozenset(
    {
        "timeline",
        "search",
        "neighbors",
        "shortest_path",
        "common_events",
        "participations",
        "edge_list",
    }
)
