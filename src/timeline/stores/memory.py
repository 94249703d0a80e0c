"""The embedded default: the whole graph in memory, in plain Python structures.

Entities and documents are the dataset's records; each node's relations are a list sorted
by ``Relation.key`` (the adjacency every traversal walks), events are a list in time order
(date windows bisect it), and names sit in :class:`_NameIndex` (search finds exactly what
scoring every name would, without scoring every name). Loading builds a new
:class:`_Index` and swaps it in whole, so a failed load leaves the previous graph answering.

At a million synthetic events (about 1.3 million entities and 6.5 million relations) the
index takes a few minutes to build and a few GB of memory (``tests/bench/profile_stores.py``
measures both); every call behind the API's pages answers in milliseconds.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from timeline.model.changes import ChangeConflict, ChangeSet, InvalidChange, apply_to, next_version
from timeline.model.ids import Kind
from timeline.model.proposals import ProposalSet
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
    Links,
    Order,
    Path,
    SortKey,
    StoreError,
    Subgraph,
    TimelineQuery,
    UnknownNode,
)

__all__ = ["MemoryStore"]

_EVENT = f"{Kind.EVENT.value}:"
#: Nodes with more relations than this keep a set of their neighbours, so that finding the
#: relations among a few hundred nodes never walks a hub's whole list.
HUB_DEGREE = 256


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
    series: dict[str, tuple[str | None, str | None]]
    names: _NameIndex
    kinds: list[Kind]  # by position in ``names.entity_ids``

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
        return cls(
            dataset=dataset,
            version=dataset.version(),
            documents=dict(dataset.documents),
            relations_by_node=dict(by_node),
            adjacent=(adjacent := {n: [r.other(n) for r in rels] for n, rels in by_node.items()}),
            hubs={n: frozenset(o) for n, o in adjacent.items() if len(o) > HUB_DEGREE},
            events=events,
            event_keys=[e.sort_key for e in events],
            max_days=max(((e.date.end - e.date.start).days for e in events), default=0),
            event_text={e.id: fold(" ".join((*e.names, e.description or ""))) for e in events},
            parents=dict(parents),
            series=_series_neighbors(events),
            names=_NameIndex([(e.id, tuple(fold(n) for n in e.names)) for e in entities]),
            kinds=[e.kind for e in entities],
        )


# --- search --------------------------------------------------------------------------------------

#: Character classes for the fuzzy bound: a-z, space, digits, then four buckets for the
#: rest. Lumping characters together only over-counts what two strings share, so the bound
#: stays an upper bound.
_BUCKETS = 32
_FUZZY_FLOOR = 74.99  # 0.8 * X / 100 rounds to at least MIN_SCORE (0.6) only from X ~ 74.994


def _bucket(char: str) -> int:
    if "a" <= char <= "z":
        return ord(char) - 97
    if char == " ":
        return 26
    if char.isdigit():
        return 27
    return 28 + ord(char) % 4


def _tokens_length(text: str) -> int:
    """The length of ``text`` with repeated words said once: the shortest string any of
    WRatio's comparisons (plain, token sort, token set, partial) builds from it."""
    words = set(text.split())
    return sum(map(len, words)) + max(len(words) - 1, 0)


def _plain_spaces(text: str) -> bool:
    """Whether words are split by single spaces only (what the token bounds assume)."""
    return all(c == " " or not c.isspace() for c in text)


class _NameIndex:
    """Exactly what scoring every folded name with ``score_folded`` finds, found faster.

    ``score_folded`` ranks a name that equals the query (1), has a word starting with it
    (0.9 + 0.09 * len(query)/len(name)), contains it (0.8 + ...), else a fuzzy score of at
    most 0.8. So names are searched in that order, shortest first within a class (they
    score higher), with ``str.find`` over one text per name length, and the search stops
    as soon as no name not yet seen can reach the ``first``-th best score. The fuzzy class
    is only needed when fewer than ``first`` entities contain the query; its candidates
    are the names that (a) share a word with the query, (b) have a word close to the query
    (``ratio`` over the vocabulary), or (c) share enough characters with it: every
    comparison WRatio makes is ``2 * LCS / (len(x) + len(y))`` for strings x, y drawn from
    the query's and the name's characters, at most ``2C / (m + C)`` where C is how many
    characters they share and m the shorter one's length with repeated words said once,
    and reaching 75 needs C >= 0.6 m (one numpy pass over per-name character counts).
    Every candidate is then scored with ``score_folded`` itself, so scores are identical.
    """

    def __init__(self, folded: list[tuple[str, tuple[str, ...]]]) -> None:
        owners: list[int] = []
        names: list[str] = []
        self.entity_ids = [entity_id for entity_id, _ in folded]
        self.entity_names = [entity_names for _, entity_names in folded]
        for owner, (_, entity_names) in enumerate(folded):
            for name in entity_names:
                if name:
                    owners.append(owner)
                    names.append(name)
        self.names, self.owners = names, owners
        self.exact: dict[str, list[int]] = defaultdict(list)
        by_length: dict[int, list[int]] = defaultdict(list)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(names):
            self.exact[name].append(owners[i])
            by_length[len(name)].append(i)
            for word in set(name.split()):
                postings[word].append(i)
        # Per length: one text "\n name \n name ... \n" and where each name starts in it.
        self.lengths = sorted(by_length)
        self.texts: dict[int, str] = {}
        self.members: dict[int, list[int]] = {}
        for length, members in by_length.items():
            self.texts[length] = "\n" + "\n".join(names[i] for i in members) + "\n"
            self.members[length] = members
        self.postings = dict(postings)
        self.vocabulary = list(self.postings)
        counts = np.zeros((_BUCKETS, len(names)), dtype=np.uint8)
        always = np.zeros(len(names), dtype=bool)  # the bound does not apply: always scored
        shortest = np.zeros(len(names), dtype=np.int32)
        for i, name in enumerate(names):
            shortest[i] = _tokens_length(name)
            tally: dict[int, int] = defaultdict(int)
            for char in name:
                tally[_bucket(char)] += 1
            if max(tally.values()) > 255 or not _plain_spaces(name):
                always[i] = True
                continue
            for bucket, count in tally.items():
                counts[bucket, i] = count
        self.counts, self.always, self.shortest = counts, always, shortest
        self.lengths_of = np.array([len(name) for name in names], dtype=np.int32)

    def search(
        self, query: str, keep: Callable[[int], bool], first: int
    ) -> list[tuple[float, int]]:
        """The best ``first`` (score, owner) pairs among owners that ``keep`` accepts, by
        score descending then entity id, exactly as scoring every name would rank them."""
        if not query or first <= 0:
            return []
        if not _plain_spaces(query):  # outside what the bounds assume: score every name
            return self._best(self._score_all(query, keep), first)
        scored: dict[int, float] = {}  # owner -> its exact score (best over all its names)

        def visit(owner: int) -> None:
            if owner not in scored and keep(owner):
                scored[owner] = max(score_folded(query, n) for n in self.entity_names[owner])

        def settled(bound: float) -> bool:
            """No owner not yet scored can score above ``bound``: enough found?"""
            if len(scored) < first:
                return False
            return heapq.nlargest(first, scored.values())[-1] > bound

        size = len(query)
        for owner in self.exact.get(query, ()):
            visit(owner)
        # Names with a word starting with the query, then names containing it.
        for prefix_class in (True, False):
            for length in self.lengths:
                if length <= size:
                    continue
                base = 0.9 if prefix_class else 0.8
                if settled(round(base + 0.09 * size / length, 4)):
                    break
                for i in self._containing(query, length, prefix_class):
                    visit(self.owners[i])
        if not settled(0.8):
            for i in self._fuzzy_candidates(query):
                owner = self.owners[i]
                if owner not in scored and keep(owner):
                    visit(owner)
        hits = [(score, owner) for owner, score in scored.items() if score >= MIN_SCORE]
        return self._best(hits, first)

    def _best(self, hits: list[tuple[float, int]], first: int) -> list[tuple[float, int]]:
        ids = self.entity_ids
        return heapq.nsmallest(first, hits, key=lambda hit: (-hit[0], ids[hit[1]]))

    def _score_all(self, query: str, keep: Callable[[int], bool]) -> list[tuple[float, int]]:
        hits = []
        for owner, entity_names in enumerate(self.entity_names):
            if keep(owner):
                score = max((score_folded(query, n) for n in entity_names), default=0.0)
                if score >= MIN_SCORE:
                    hits.append((score, owner))
        return hits

    def _containing(self, query: str, length: int, prefix_class: bool) -> Iterator[int]:
        """Names of this length containing the query: at a word start (``prefix_class``)
        or anywhere."""
        text, members = self.texts[length], self.members[length]
        stride = length + 1  # every name here is ``length`` long, plus its separator
        needles = ["\n" + query] if prefix_class else [query]
        if prefix_class and " " not in query:  # a later word starting with the query
            needles.append(" " + query)
        for needle in needles:
            shift = 1 if needle[0] in "\n " else 0
            at = text.find(needle)
            while at >= 0:
                yield members[(at + shift - 1) // stride]
                at = text.find(needle, at + 1)

    def _may_reach(self, shared: Any, size: int, words_size: int) -> Any:
        """Whether WRatio can reach 75, for every name at once (a numpy bool array).

        WRatio compares strings of the query's and the name's characters, each time as
        ``2 * LCS / (len(x) + len(y))``, with LCS at most C (the characters they share):
        - ``ratio`` of the whole strings: at most 2C / (len(q) + len(n));
        - names less than 1.5 times longer or shorter: ``token_ratio * 0.95``, over the
          strings with repeated words said once (lengths dq, dn): 0.95 * 2C / (dq + dn);
        - up to 8 times: ``partial_ratio * 0.9`` (and partial token ratios, lower): the
          shorter string against windows of the longer, at most 2C' / (m + C') with
          m = min(dq, dn) and C' = min(C, m); beyond 8 times the partial scale is 0.6,
          and 0.6 * 100 < 75.
        Shared words (token ratios of 100) are added by the caller. A small slack keeps
        the test on the safe side of rounding.
        """
        lengths, words = self.lengths_of, self.shortest
        longer = np.maximum(lengths, size)
        shorter = np.minimum(lengths, size)
        floor = _FUZZY_FLOOR / 100 - 1e-6
        whole = 2 * shared >= floor * (lengths + size)
        near = 2 * shared * 0.95 >= floor * (words + words_size)
        m = np.minimum(words, words_size)
        capped = np.minimum(shared, m)
        partial = 2 * capped * 0.9 >= floor * (m + capped)
        similar = 2 * longer < 3 * shorter  # WRatio's len_ratio < 1.5
        partly = ~similar & (longer <= 8 * shorter)
        return whole | (similar & near) | (partly & partial)

    def _fuzzy_candidates(self, query: str) -> Iterator[int]:
        """Names whose fuzzy score can reach ``MIN_SCORE``: a word close to the query
        (``ratio`` over the vocabulary), or a WRatio of at least 75, computed (in C++)
        only for the names that share a word or enough characters with the query."""
        for word, _, _ in process.extract(
            query, self.vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY_FLOOR, limit=None
        ):
            yield from self.postings[word]
        tally: dict[int, int] = defaultdict(int)
        for char in query:
            tally[_bucket(char)] += 1
        shared = np.zeros(len(self.names), dtype=np.int32)
        for bucket, count in tally.items():
            shared += np.minimum(self.counts[bucket], min(count, 255))
        close = self._may_reach(shared, len(query), _tokens_length(query)) | self.always
        for word in set(query.split()):  # a shared word: token ratios can reach 100
            close[self.postings.get(word, [])] = True
        candidates = np.flatnonzero(close)
        if not len(candidates):
            return
        names = self.names
        scores = process.cdist(
            [query],
            [names[i] for i in candidates.tolist()],
            scorer=fuzz.WRatio,
            score_cutoff=_FUZZY_FLOOR,
            dtype=np.float64,
        )[0]
        yield from candidates[scores >= _FUZZY_FLOOR].tolist()


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
        self._proposals: dict[str, str] = {}  # id -> JSON, so callers never share objects

    # --- lifecycle -------------------------------------------------------------------------

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def data_version(self) -> str:
        return self._index.version

    async def load(self, dataset: Dataset) -> None:
        self._index = _Index.build(dataset)  # built first, swapped in whole

    async def apply(self, changes: ChangeSet) -> None:
        """Build the new dataset (the current one with ``changes``) and its index, then
        swap the index in whole, as :meth:`load` does: readers see the graph before or
        after, never between, and a failure leaves the old one."""
        index = self._index
        if changes.base_version is not None and changes.base_version != index.version:
            raise ChangeConflict(
                f"the graph is at version {index.version}, not {changes.base_version}"
            )
        try:
            dataset = apply_to(index.dataset, changes)
        except InvalidChange as exc:
            raise StoreError(str(exc)) from exc
        built = await asyncio.to_thread(_Index.build, dataset)  # off the event loop
        if self._index is not index:  # another write or load won meanwhile: redo on it
            await self.apply(changes)
            return
        built.version = next_version(index.version, changes)
        self._index = built

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
        """Events directly linked to a node, in either direction (ids name their kind)."""
        return {o for o in self._index.adjacent.get(node_id, ()) if o.startswith(_EVENT)}

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
                and (text is None or text in event_text[e.id])
            )

        sets = [self._involving(i) for i in query.involving]
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
            links=await self._links(page) if query.with_links else None,
        )

    async def _links(self, events: Sequence[Event]) -> Links:
        relations = await self.relations([e.id for e in events])
        named: dict[str, None] = {}
        for event in events:
            named.update((s.document, None) for s in event.sources)
            for rel in relations[event.id]:
                named[rel.object if rel.subject == event.id else rel.subject] = None
                named.update((s.document, None) for s in rel.sources)
        return Links(relations=relations, nodes=await self.get_nodes(list(named)))

    # --- search ------------------------------------------------------------------------------

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[tuple[Entity, float]]:
        index = self._index
        wanted = set(kinds) if kinds else None
        of_kind = index.kinds

        def keep(owner: int) -> bool:
            return wanted is None or of_kind[owner] in wanted

        entities, ids = index.dataset.entities, index.names.entity_ids
        best = index.names.search(fold(text), keep, first)
        return [(entities[ids[owner]], score) for score, owner in best]

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

    async def neighbors(
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

    async def shortest_path(
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

    async def common_events(
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

    # --- proposal sets ---------------------------------------------------------------------

    async def save_proposals(self, proposals: ProposalSet) -> None:
        self._proposals[proposals.id] = proposals.model_dump_json()

    async def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        return {
            i: ProposalSet.model_validate_json(self._proposals[i])
            for i in ids
            if i in self._proposals
        }

    async def list_proposals(self) -> list[ProposalSet]:
        sets = [ProposalSet.model_validate_json(v) for v in self._proposals.values()]
        return sorted(sets, key=lambda p: (p.created, p.id), reverse=True)
