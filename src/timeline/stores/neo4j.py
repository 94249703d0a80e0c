"""The Neo4j backend: the same answers as the memory store, from a Neo4j 5 graph.

Graph model
    Every entity is a node labelled ``Entity`` and its kind (``Event``, ``Person``,
    ``Country``, ``Organization``, ``Agreement``, ``Place``); documents are ``Document``
    nodes. Scalars are properties; a date is stored as its EDTF text plus its first and last
    ISO day and precision (an entity's ``date`` as ``edtf``/``start``/``end``/``precision``,
    any other date ``<field>_edtf``, ``<field>_start`` ...), so records rebuild exactly and
    day windows compare as strings. Sources are parallel lists (``source_docs``,
    ``source_quotes``, so "every fact from document X" is a list lookup, and
    ``source_bases`` / ``source_notes`` only where some source is inferred or has a
    note), claims a JSON
    string. Derived search fields: ``folded`` (folded names) and, on events, ``search_text``.
    Relations are relationships typed with the relation type (from the ``RELATION_TYPES``
    whitelist) carrying ``id``, ``type``, ``role``, ``title``, dates and sources. Each node
    and relationship has ``seq`` (its place in the loaded dataset, so dumps come back in
    order) and ``gen`` (the load that wrote it). One ``(:Meta {key: 'data'})`` node holds
    the data version (``Dataset.version()``), the load generation and the entity count.

Schema
    ``graph/schema/NNN_*.cypher``, applied in order by :meth:`Neo4jStore.migrate` with
    ``IF NOT EXISTS`` and recorded on ``(:Migration {name})`` nodes; :meth:`load` migrates
    first, so a fresh database works without a separate ``timeline migrate``.

Loading: all or nothing, by generation
    Every load writes a NEW generation (a fresh ``gen``, recorded on a ``(:Load {gen})``
    node) beside the current one: entities and documents are CREATEd (one UNWIND
    statement per label, answering the new nodes' element ids), then relationships (one
    statement per type, flat list rows, both ends matched by element id, each batch sorted
    by start node). Identity is (id, gen) (``004_generations.cypher``), and every read
    starts from ``Meta.gen`` (:data:`_GEN`): nodes are looked up by (id, gen), label scans
    filter on ``gen``, and relationships only ever join nodes of one generation. When the
    whole generation is written, one small transaction repoints ``Meta`` (version, gen,
    entity count, longest event span) at it: readers switch from the old graph to the new
    one at that commit and never see a half-written one. The old generation is then
    deleted in batches (``CALL ... IN TRANSACTIONS``). A dataset of at most
    ``SINGLE_TRANSACTION_ROWS`` rows is written, flipped and committed in ONE transaction
    (``BATCH_SIZE`` rows a statement); a larger one in transactions of ``LARGE_BATCH_SIZE``
    rows, ``WRITERS`` sessions at a time, with a progress bar (rows/s) on a terminal, while
    a forked child computes ``Dataset.version()``. If anything fails, the new generation is
    deleted (or, after a crash, by the next load) and the old one never stopped answering.
    One load at a time: a load deletes every generation but the current one when it starts.
    Relationships carry ``id``, ``seq``, ``role``, ``title``, dates and sources; their type
    is the relationship type. Every transaction and statement of a load (the one small-load
    transaction, each batch, each generation delete) runs with ``LOAD_TIMEOUT``: the
    server's default timeout (10 s on the launcher) is a deadline for requests, and a
    generation delete or a 200 000-row transaction takes longer than that.

Curation writes: all or nothing, in place
    :meth:`apply` writes a ``ChangeSet`` into the CURRENT generation in ONE write
    transaction: it first locks ``Meta`` (so writes serialise with each other and with a
    load's flip) and checks ``base_version``, MERGEs documents and entities by (id, gen)
    (``SET n = row``: a replaced node keeps its ``seq``, a new one gets a sequence number
    above any a load gives, so dumps list it last), deletes removed relationships, MERGEs
    added ones by (ends, type, id) and checks every one was written (an end that does not
    exist fails the write), then sets ``Meta.version`` to ``next_version(old, changes)``.
    Any failure, a crash included, rolls the whole transaction back. Finding a removed
    relationship by id scans the generation's relationships (no index on relationship ids):
    milliseconds at curated scale. A load started during a write waits for it at its flip,
    and then replaces everything, the write included.

Search
    Ranking is the shared rule (``timeline.model.search``), run in Python on candidates
    from Neo4j, in one round trip: the ``entity_words`` full-text index (``whitespace``
    analyzer over ``search_words``, the rule's own folded words) is asked for each query
    word as an exact, a prefix (``w*``) and a fuzzy term within the rule's typo allowance
    (``w~1``, ``w~2``), the entities with every word boosted first; each candidate comes
    with its relation count (importance), the names of its venues (HELD_IN, then up to
    three LOCATED_IN/PART_OF steps) and its positions (HOLDS_POSITION), which the rule
    reads, and of its own properties only the texts the rule reads (``text_fields``): the
    winners alone are then read whole, in a second round trip (``get_nodes``), cheaper
    than decoding every candidate. While the graph holds at most
    ``scan_limit`` entities every entity the index finds is scored, with the events held
    in the places and countries it finds and the people holding positions in the countries
    and organizations it finds (their venues and positions are words of theirs), so answers
    are those of the memory store; above that, the best ``SEARCH_CANDIDATES`` (or five per
    hit asked for, if more) by Lucene's score: bounded cost, and an entity that only a
    venue's or position's name matches, or one among very many sharing a common word, can
    be missed.

Round trips (one managed transaction each unless noted)
    ``get_nodes``, ``relations``, ``series_neighbors``, ``timeline`` (page, total, both
    page flags and, with ``with_links``, the page's relationships, the nodes at their other
    ends and the documents cited), ``neighbors`` (breadth-first levels unrolled in Cypher),
    ``shortest_path`` (``allShortestPaths`` then the smallest node-id sequence and the
    smallest-key relation per hop), ``common_events``, ``participations``, ``edge_list``,
    ``stats``, ``data_version``, ``ping``: 1 each; ``search``: 2 (candidates, then winners).
    ``dump``: 3 queries in one transaction. ``load``: a ping and a read of the applied
    migrations, then 1 transaction (large: one per batch, then the flip).
    ``allShortestPaths`` enumerates every shortest path before the smallest is picked:
    cheap on this graph, but on a very dense one ``max_length`` is the lever.

Availability
    The driver is created on first use and never connects at construction, so the service
    starts while Neo4j is down; the driver's pool reconnects by itself when it is back.
    Connectivity and authentication failures become :class:`StoreUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import heapq
import itertools
import json
import os
import pathlib
import re
import signal
import sys
import uuid
from collections import defaultdict
from collections.abc import (
    Awaitable,
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    Bookmarks,
    NotificationDisabledClassification,
    Query,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, ProgressColumn, Task
from rich.text import Text

from timeline.model.changes import ChangeConflict, ChangeSet, next_version
from timeline.model.dates import DatePrecision, DateSpan
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
    rank,
)
from timeline.model.proposals import ProposalSet
from timeline.model.records import (
    ENTITY_CLASSES,
    OCCURRED,
    PARTICIPATION_TYPES,
    RELATION_TYPES,
    STATED,
    Claim,
    Dataset,
    Document,
    Entity,
    Event,
    LocalizedName,
    Node,
    Relation,
    Source,
)
from timeline.model.search import Query as SearchQuery
from timeline.model.search import (
    allowed_edits,
    parse_query,
    position_text,
    rank_key_of,
    score_entity,
    search_words,
    text_fields,
)
from timeline.model.text import fold
from timeline.stores import consistency
from timeline.stores.base import (
    AuditPage,
    EventPage,
    Links,
    Order,
    Path,
    SearchResult,
    StoreError,
    StoreUnavailable,
    Subgraph,
    TimelineQuery,
    UnknownNode,
    WriteRecord,
)

__all__ = ["BATCH_SIZE", "SCHEMA_DIR", "Neo4jStore"]

T = TypeVar("T")
Props = dict[str, Any]
Rows = list[dict[str, Any]]

#: The numbered ``*.cypher`` migrations (in the repository, next to the launcher).
SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[3] / "graph" / "schema"
#: Rows per UNWIND statement during a load that fits in one transaction.
BATCH_SIZE = 5000
#: Loads of more rows (nodes + relationships) than this are written in many transactions:
#: a new generation beside the current one, then ``Meta`` repointed (see "Loading").
SINGLE_TRANSACTION_ROWS = 200_000
#: Rows per UNWIND statement, and per transaction, in a large load. 10 000 rather than
#: 20 000: 8-10 % less Neo4j CPU per row in the relationship phase alone (less transaction
#: state for the young GC to copy), within the noise in whole loads; 5 000 was no better
#: (docs/benchmarks-stores.md).
LARGE_BATCH_SIZE = 10_000
#: Concurrent writer sessions in a large load: while one waits for Neo4j, the other's
#: rows are being built and sent.
WRITERS = 2
#: Seconds any one transaction or statement of a load may run. The server's default
#: (``db.transaction.timeout``, 10 s on the launcher) is a deadline for requests; a load's
#: transactions last as long as their size needs (deleting a 1M-event generation: minutes).
LOAD_TIMEOUT = 3600.0
#: Loads with more rows than this show a progress bar (on a terminal).
PROGRESS_THRESHOLD = 10_000
#: Full-text candidates scored per search on large graphs.
SEARCH_CANDIDATES = 100
_META_KEY = "data"
_DATE_FIELDS = frozenset({"date", "published", "start", "end"})
_WORD = re.compile(r"\w+")


# --- records <-> properties ---------------------------------------------------------------


def _span_prefix(record_type: type, field: str) -> str:
    """An entity's own ``date`` is stored unprefixed (the timeline filters on it)."""
    return "" if field == "date" and issubclass(record_type, Entity) else f"{field}_"


def _span_props(prefix: str, span: DateSpan) -> Props:
    return {
        f"{prefix}edtf": span.edtf,
        f"{prefix}start": span.start.isoformat(),
        f"{prefix}end": span.end.isoformat(),
        f"{prefix}precision": span.precision.value,
    }


def _span_from(props: Mapping[str, Any], prefix: str) -> DateSpan | None:
    text = props.get(f"{prefix}edtf")
    if text is None:
        return None
    return DateSpan(
        text,
        dt.date.fromisoformat(props[f"{prefix}start"]),
        dt.date.fromisoformat(props[f"{prefix}end"]),
        DatePrecision(props[f"{prefix}precision"]),
    )


def _source_row(source: Source) -> list[str]:
    """A claim's source in JSON: ``[doc, quote]``, plus basis and note when not plainly stated."""
    if source.basis == STATED and source.note is None:
        return [source.document, source.quote]
    return [source.document, source.quote, source.basis, source.note or ""]


def _source_from(row: Sequence[str]) -> Source:
    if len(row) == 2:
        return Source(row[0], row[1])
    return Source(row[0], row[1], row[2], row[3] or None)


def _source_props(sources: Sequence[Source]) -> Props:
    """Sources as parallel lists; bases and notes only when some source needs them.

    Neo4j lists hold no nulls, so a missing note is ``""``.
    """
    props: Props = {
        "source_docs": [s.document for s in sources],
        "source_quotes": [s.quote for s in sources],
    }
    if any(s.basis != STATED for s in sources):
        props["source_bases"] = [s.basis for s in sources]
    if any(s.note is not None for s in sources):
        props["source_notes"] = [s.note or "" for s in sources]
    return props


def _sources_from(props: Mapping[str, Any]) -> tuple[Source, ...]:
    docs, quotes = props.get("source_docs") or [], props.get("source_quotes") or []
    bases = props.get("source_bases") or [STATED] * len(docs)
    notes = props.get("source_notes") or [""] * len(docs)
    return tuple(
        Source(d, q, b, n or None) for d, q, b, n in zip(docs, quotes, bases, notes, strict=True)
    )


def _claims_json(claims: Sequence[Claim]) -> str:
    return json.dumps(
        [
            {
                "property": c.property,
                "value": c.value,
                "sources": [_source_row(s) for s in c.sources],
            }
            for c in claims
        ],
        ensure_ascii=False,
    )


def _claims_from(text: str | None) -> tuple[Claim, ...]:
    if not text:
        return ()
    return tuple(
        Claim(c["property"], c["value"], tuple(_source_from(row) for row in c["sources"]))
        for c in json.loads(text)
    )


def _names_json(names: Sequence[LocalizedName]) -> str:
    return json.dumps(
        [
            {
                "text": n.text,
                "language": n.language,
                "sources": [[s.document, s.quote] for s in n.sources],
            }
            for n in names
        ],
        ensure_ascii=False,
    )


def _names_from(text: str | None) -> tuple[LocalizedName, ...]:
    if not text:
        return ()
    return tuple(
        LocalizedName(n["text"], n["language"], tuple(Source(d, q) for d, q in n["sources"]))
        for n in json.loads(text)
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(record_type: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(record_type)
    if names is None:
        names = _FIELD_NAMES[record_type] = tuple(f.name for f in dataclasses.fields(record_type))
    return names


def _encode(record: Node | Relation, seq: int, gen: str | None) -> Props:
    """Neo4j properties for a record; ``None`` and empty values are left out."""
    props: Props = {"seq": seq} if gen is None else {"seq": seq, "gen": gen}
    record_type = type(record)
    for name in _field_names(record_type):
        value = getattr(record, name)
        if value is None or value == ():
            continue
        if isinstance(value, DateSpan):
            props.update(_span_props(_span_prefix(record_type, name), value))
        elif name == "sources":
            props.update(_source_props(value))
        elif name == "claims":
            props["claims"] = _claims_json(value)
        elif name == "localized_names":
            props[name] = _names_json(value)
            props["name_texts"] = [n.text for n in value]  # for the entity_names index
        elif isinstance(value, tuple):
            props[name] = list(value)
        else:
            props[name] = value
    return props


def _encode_entity(entity: Entity, seq: int, gen: str) -> Props:
    props = _encode(entity, seq, gen)
    props["kind"] = entity.kind.value
    props["folded"] = [fold(name) for name in entity.names]
    props["search_words"] = search_words(entity)
    if isinstance(entity, Event):  # what the timeline's text filter searches, as memory does
        props["search_text"] = fold(" ".join((*entity.names, entity.description or "")))
    return props


def _encode_relation(relation: Relation, seq: int) -> Props:
    """A relationship's properties: no endpoints, type or gen (the relationship has them)."""
    props = _encode(relation, seq, None)
    del props["subject"], props["object"], props["type"]
    return props


R = TypeVar("R", bound="Node | Relation")


def _decode(record_type: type[R], props: Mapping[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(record_type):
        name = field.name
        if name == "sources":
            kwargs[name] = _sources_from(props)
        elif name == "claims":
            kwargs[name] = _claims_from(props.get("claims"))
        elif name == "localized_names":
            kwargs[name] = _names_from(props.get(name))
        elif name in _DATE_FIELDS:
            kwargs[name] = _span_from(props, _span_prefix(record_type, name))
        elif name == "aliases":
            kwargs[name] = tuple(props.get("aliases") or ())
        elif name in props:
            kwargs[name] = props[name]
    return record_type(**kwargs)


def _entity(props: Mapping[str, Any]) -> Entity:
    return _decode(ENTITY_CLASSES[Kind(props["kind"])], props)


def _event(props: Mapping[str, Any]) -> Event:
    event = _entity(props)
    assert isinstance(event, Event)
    return event


def _node(props: Mapping[str, Any]) -> Node:
    if props.get("kind") == Kind.DOCUMENT.value:
        return _decode(Document, props)
    return _entity(props)


def _relation(props: Mapping[str, Any]) -> Relation:
    return _decode(Relation, props)


# --- Cypher fragments -------------------------------------------------------------------------

#: Every read starts here: the generation ``Meta`` points to. Nodes are looked up by
#: (id, gen) and label scans filter on ``gen``; relationships only ever join nodes of one
#: generation, so whatever is reached from a node of this one is of this one too.
_GEN = f"OPTIONAL MATCH (meta:Meta {{key: '{_META_KEY}'}}) WITH coalesce(meta.gen, '') AS gen"

#: A relationship as a map with its endpoints' ids, ready for :func:`_relation`.
_REL_MAP = "r {.*, type: type(r), subject: startNode(r).id, object: endNode(r).id}"


def _relations_by_node(
    ids: Iterable[str], rows: Iterable[tuple[str, Mapping[str, Any]]]
) -> dict[str, list[Relation]]:
    """(node id, relationship map) rows as each node's relations, ordered by key."""
    by_node: dict[str, dict[str, Relation]] = {i: {} for i in ids}
    for node_id, props in rows:
        rel = _relation(props)
        by_node[node_id][rel.id] = rel  # a self-loop is met twice
    return {i: sorted(rels.values(), key=lambda r: r.key) for i, rels in by_node.items()}


def _links(row: Mapping[str, Any]) -> Links:
    """A page statement's ``links`` and ``documents`` (see :func:`_timeline_cypher`)."""
    nodes: dict[str, Node] = {}
    for props in row["documents"]:
        nodes[props["id"]] = _node(props)
    pairs = []
    for event_id, links in row["links"]:
        for rel, other in links:
            pairs.append((event_id, rel))
            if other["id"] not in nodes:
                nodes[other["id"]] = _node(other)
    return Links(relations=_relations_by_node([p["id"] for p in row["page"]], pairs), nodes=nodes)


def _type_pattern(types: Collection[str] | None) -> str | None:
    """``:A|B`` for a relationship pattern, from whitelisted types only.

    ``""`` means any type; ``None`` means no type is allowed (nothing can match).
    """
    if not types:  # as in the memory store, no types (None or empty) means any type
        return ""
    allowed = sorted(t for t in set(types) if t in RELATION_TYPES)
    return ":" + "|".join(allowed) if allowed else None


def _types_param(types: Collection[str] | None) -> list[str] | None:
    return sorted(set(types)) if types else None


def _overlap(
    params: Props, start: dt.date | None, end: dt.date | None, var: str = "e"
) -> list[str]:
    """Conditions for an event overlapping [start, end] (ISO days compare as strings)."""
    conditions = []
    if start is not None:
        params["start"] = start.isoformat()
        conditions.append(f"{var}.end >= $start")
    if end is not None:
        params["end"] = end.isoformat()
        conditions.append(f"{var}.start <= $end")
    return conditions


def _beyond(op: str) -> str:
    """The event's sort key compared with ``$after`` (start, end, id), lexicographically."""
    return (
        f"(e.start {op} $after[0] OR (e.start = $after[0] AND "
        f"(e.end {op} $after[1] OR (e.end = $after[1] AND e.id {op} $after[2]))))"
    )


def _where(conditions: Sequence[str]) -> str:
    return ("WHERE " + " AND ".join(conditions)) if conditions else ""


def _timeline_cypher(query: TimelineQuery) -> tuple[str, Props]:
    """One statement: the total, how many come before the cursor, the page, and (with
    ``with_links``) the page's relations, their other ends and the documents cited.

    Events linked to an entity are few next to all events: they are matched once and
    collected, then counted and paged from the list. The whole timeline is counted and
    paged by two index-backed subqueries instead (collecting it would hold every event).
    """
    params: Props = {"first": max(query.first, 0), "start": None}
    conditions: list[str] = []
    # Only the rules that can apply to the listed ids' kinds are written out (a person's
    # timeline is the direct rule alone): a shorter statement plans faster.
    rules = [_rules([i], query.mode) for i in query.involving]
    if query.involving:
        params["involving"] = list(query.involving)
        # The first id's events are matched (by every rule, as a union), then rolled up in
        # a second MATCH: within one, a relationship is used once, and the walk up from a
        # sub-event may need the very PART_OF that linked it (an event involving itself).
        match = (
            "MATCH (x0:Entity {id: $involving[0], gen: gen}) "
            f"CALL (x0, gen) {{ {_involved_events('x0', rules[0])} }} "
            f"MATCH (s)-[:{ROLL_UP}*0..]->(e:Event)"
        )
        for k in range(1, len(query.involving)):
            conditions.append(
                f"EXISTS {{ MATCH (e)<-[:{ROLL_UP}*0..]-(sub:Event) "
                f"MATCH (x{k}:Entity {{id: $involving[{k}], gen: gen}}) "
                f"WHERE {_involves('sub', f'x{k}', rules[k])} }}"
            )
        if query.linked_to is not None:
            conditions.append("EXISTS { (e)--(:Entity {id: $linked_to}) }")
    elif query.linked_to is not None:
        match = "MATCH (:Entity {id: $linked_to, gen: gen})--(e:Event)"
    else:
        match = "MATCH (e:Event)"
        conditions.append("e.gen = gen")
        if query.start is not None:  # what starts before lo ends before start: the index seeks
            conditions.append("e.start >= lo")
    if query.linked_to is not None:
        params["linked_to"] = query.linked_to
    conditions += _overlap(params, query.start, query.end)
    if query.categories:
        params["categories"] = list(query.categories)
        conditions.append("e.category IN $categories")
    if query.status is not None:  # absent on a graph loaded before events had a status
        params["status"] = query.status
        conditions.append(f"coalesce(e.status, '{OCCURRED}') = $status")
    if query.text:
        params["text"] = fold(query.text)
        conditions.append("e.search_text CONTAINS $text")
    desc = query.order is Order.DESC
    before, after = "false", None  # "before": on the side of the cursor already seen
    if query.after is not None:
        params["after"] = list(query.after)
        after = _beyond("<" if desc else ">")
        before = f"NOT {after}"
    direction = "DESC" if desc else "ASC"
    ordered = f"ORDER BY e.start {direction}, e.end {direction}, e.id {direction} LIMIT $first"
    links = _PAGE_LINKS if query.with_links else ""
    page = "collect(e {.*}) AS page" + (", collect([e.id, links]) AS links" if links else "")
    explain = bool(query.explain and query.involving)
    if explain:
        links += _page_reasons(frozenset().union(*rules))
        page += ", collect([e.id, why]) AS reasons"
    returned = "total, before, page" + (", reasons" if explain else "")
    if query.involving or query.linked_to is not None:
        counted = f"""
        CALL (gen, lo) {{
          {match} {_where(conditions)} WITH DISTINCT e
          RETURN collect(e) AS matched
        }}
        WITH gen, matched, size(matched) AS total,
             size([e IN matched WHERE {before}]) AS before
        CALL (matched, gen) {{
          UNWIND matched AS e
          WITH e, gen {_where([after] if after else [])}
          {ordered}
          {links}
          RETURN {page}
        }}"""
    else:
        matched = f"{match} {_where(conditions)} WITH DISTINCT e"
        paged = f"{match} {_where([*conditions, after] if after else conditions)} WITH DISTINCT e"
        counted = f"""
        CALL (gen, lo) {{
          {matched}
          RETURN count(e) AS total, count(CASE WHEN {before} THEN 1 END) AS before
        }}
        CALL (gen, lo) {{
          {paged}
          WITH e {ordered}
          {links}
          RETURN {page}
        }}"""
    if not query.with_links:
        return f"{_GEN_SPAN} {counted} RETURN {returned}", params
    cypher = f"""
        {_GEN_SPAN} {counted}
        CALL (gen, page, links) {{
          UNWIND page + reduce(rels = [], l IN links | rels + [x IN l[1] | x[0]]) AS cited
          UNWIND coalesce(cited.source_docs, []) AS doc_id
          WITH DISTINCT doc_id, gen
          MATCH (d:Document {{id: doc_id, gen: gen}})
          RETURN collect(d {{.*}}) AS documents
        }}
        RETURN {returned}, links, documents
    """
    return cypher, params


_TAKING_PART = "|".join(TAKING_PART)


def _held_during(event: str = "s") -> str:
    """A position held during the event (``h``: its HOLDS_POSITION relationship); see
    ``timeline.model.involvement.held_during``."""
    return (
        f"(h.start_start IS NULL OR {event}.end >= h.start_start) "
        f"AND (h.end_end IS NULL OR {event}.start <= h.end_end)"
    )


def _rules(ids: Sequence[str], mode: Mode) -> frozenset[Rule]:
    """The rules that can match events for any of ``ids`` (by their kinds) in ``mode``."""
    return frozenset(rule for rule in Rule for i in ids if applies(rule, i, mode))


def _involved_events(x: str, rules: frozenset[Rule]) -> str:
    """Union branches (inside ``CALL (x, gen)``) returning ``s``: the events the entity
    ``x`` is linked to by ``rules`` (``timeline.model.involvement``), before the roll-up."""
    branches = [f"MATCH ({x})--(s:Event) RETURN s"]
    d = LOCATION_DEPTH
    holders = f"{{country: {x}.id, gen: gen}}"
    if Rule.PLACE in rules:
        branches += [
            f"MATCH ({x})<-[:{WITHIN}*1..{d}]-(:Place)<-[:{VENUE}]-(s:Event) "
            f"WHERE {x}:Country OR {x}:Place RETURN s",
            f"MATCH (:Place {holders})<-[:{WITHIN}*0..{d}]-(:Place)<-[:{VENUE}]-(s:Event) "
            f"WHERE {x}:Country RETURN s",
        ]
    if Rule.POSITION in rules:
        branches.append(
            f"MATCH ({x})<-[h:{POSITION}]-(:Person)-[:{_TAKING_PART}]->(s:Event) "
            f"WHERE ({x}:Country OR {x}:Organization) AND {_held_during()} RETURN s"
        )
    if Rule.ORGANIZATION in rules:
        branches += [
            f"MATCH ({x})<-[:{WITHIN}*1..{d}]-(:Organization)-[:{_TAKING_PART}]->(s:Event) "
            f"WHERE {x}:Country RETURN s",
            f"MATCH (:Place {holders})<-[:{WITHIN}*1..{d}]-(:Organization)"
            f"-[:{_TAKING_PART}]->(s:Event) WHERE {x}:Country RETURN s",
            f"MATCH (:Organization {holders})-[:{_TAKING_PART}]->(s:Event) "
            f"WHERE {x}:Country RETURN s",
        ]
    return " UNION ".join(branches)


def _involves(event: str, x: str, rules: frozenset[Rule]) -> str:
    """A condition: the event ``event`` is linked to the entity ``x`` by one of ``rules``
    (no roll-up)."""
    d = LOCATION_DEPTH
    tests = [f"EXISTS {{ ({event})--({x}) }}"]
    if Rule.PLACE in rules:
        tests.append(
            f"(({x}:Country OR {x}:Place) AND EXISTS {{ MATCH up = ({event})-[:{VENUE}]->(:Place)"
            f"-[:{WITHIN}*0..{d}]->(q) WHERE (q = {x} AND length(up) > 1) "
            f"OR ({x}:Country AND q.country = {x}.id) }})"
        )
    if Rule.POSITION in rules:
        tests.append(
            f"(({x}:Country OR {x}:Organization) AND EXISTS {{ MATCH ({event})<-[:{_TAKING_PART}]-"
            f"(:Person)-[h:{POSITION}]->({x}) WHERE {_held_during(event)} }})"
        )
    if Rule.ORGANIZATION in rules:
        tests.append(
            f"({x}:Country AND EXISTS {{ MATCH up = ({event})<-[:{_TAKING_PART}]-(:Organization)"
            f"-[:{WITHIN}*0..{d}]->(q) "
            f"WHERE (q = {x} AND length(up) > 1) OR q.country = {x}.id }})"
        )
    return "(" + " OR ".join(tests) + ")"


def _page_reasons(rules: frozenset[Rule]) -> str:
    """Inside a page subquery: why the event ``e`` matched, as ``why`` (a list of
    [involving, rule, [[id, name]...], via, relation, inward, title]), every candidate
    chain (``timeline.model.involvement.rank`` picks)."""
    d = LOCATION_DEPTH
    branches = [
        "MATCH (s)-[r]-(x) RETURN 'DIRECT' AS rule, [x] AS rest, type(r) AS rel, "
        "startNode(r) = x AS inward, null AS title"
    ]
    if Rule.PLACE in rules:
        branches.append(
            f"MATCH up = (s)-[:{VENUE}]->(:Place)-[:{WITHIN}*0..{d}]->(q) "
            "WHERE (x:Country OR x:Place) AND ((q = x AND length(up) > 1) "
            "OR (x:Country AND q.country = x.id)) "
            "RETURN 'PLACE' AS rule, tail(nodes(up)) + CASE WHEN q = x THEN [] ELSE [x] END "
            f"AS rest, '{VENUE}' AS rel, false AS inward, null AS title"
        )
    if Rule.POSITION in rules:
        branches.append(
            f"MATCH (s)<-[t:{_TAKING_PART}]-(p:Person)-[h:{POSITION}]->(x) "
            f"WHERE (x:Country OR x:Organization) AND {_held_during()} "
            "RETURN 'POSITION' AS rule, [p, x] AS rest, type(t) AS rel, false AS inward, "
            "h.title AS title"
        )
    if Rule.ORGANIZATION in rules:
        branches.append(
            f"MATCH (s)<-[t:{_TAKING_PART}]-(o:Organization) "
            f"MATCH up = (o)-[:{WITHIN}*0..{d}]->(q) "
            "WHERE x:Country AND ((q = x AND length(up) > 0) OR q.country = x.id) "
            "RETURN 'ORGANIZATION' AS rule, nodes(up) + CASE WHEN q = x THEN [] ELSE [x] END "
            "AS rest, type(t) AS rel, false AS inward, null AS title"
        )
    return f"""
    CALL (e, gen) {{
      UNWIND $involving AS i
      MATCH (x:Entity {{id: i, gen: gen}})
      MATCH down = (e)<-[:{ROLL_UP}*0..]-(s:Event)
      CALL (x, s) {{ {" UNION ALL ".join(branches)} }}
      RETURN collect([i, rule, [n IN nodes(down) + rest | [n.id, n.name]], length(down),
                      rel, inward, title]) AS why
    }}"""


def _reasons(row: Mapping[str, Any], involving: Sequence[str]) -> dict[str, list[Involvement]]:
    """A page statement's ``reasons``, ranked (see :func:`_page_reasons`)."""
    found: dict[str, list[Involvement]] = {}
    for event_id, why in row["reasons"]:
        candidates = [
            Involvement(
                involving=x,
                rule=Rule(rule),
                chain=tuple(n[0] for n in chain),
                names=tuple(n[1] if n[1] is not None else n[0] for n in chain),
                via=int(via),
                relation=rel,
                inward=bool(inward),
                title=title,
            )
            for x, rule, chain, via, rel, inward, title in why
        ]
        found[event_id] = rank(candidates, involving)
    return found


#: Inside a page subquery: every relationship of the event ``e`` with the node at its
#: other end, as ``links`` (a list of [relationship map, node map]).
_PAGE_LINKS = f"""
    CALL (e) {{
      MATCH (e)-[r]-(o)
      RETURN collect([{_REL_MAP}, o {{.*}}]) AS links
    }}
"""


#: :data:`_GEN`, plus ``lo``: no event starting before it can overlap a window from
#: ``$start`` (the longest event span, ``Meta.max_span`` days, before it; '' if unknown).
_GEN_SPAN = f"""
    OPTIONAL MATCH (meta:Meta {{key: '{_META_KEY}'}})
    WITH coalesce(meta.gen, '') AS gen,
         CASE WHEN meta.max_span IS NULL OR $start IS NULL THEN ''
              ELSE toString(date($start) - duration({{days: meta.max_span}})) END AS lo
"""


#: Above this many relationships a node is a hub: the relations among the chosen nodes are
#: found from their other, smaller end (or, between two hubs, by expanding into the pair).
HUB_DEGREE = 256


def _neighbors_cypher(depth: int, rel_types: str) -> str:
    """Breadth-first levels, unrolled ``depth`` times, then the relations among the nodes.

    Nodes come nearest first, then by id, at most ``$first``: a level is only walked while
    the levels before it hold fewer than ``$first`` nodes (so every frontier is a complete
    level of fewer than ``$first`` nodes), and of each level only the ``2 * $first``
    smallest ids are kept (at most ``$first`` of them were seen before). Memory stays
    bounded at hubs, where the old unbounded ``collect``/``IN`` levels ran out of
    transaction memory on a million events.
    """
    step = """
        CALL (frontier, seen, chosen) {{
          WITH frontier, seen, chosen WHERE size(chosen) < $first
          UNWIND frontier AS f
          MATCH (f)-[{rel_types}]-(o:Entity)
          WITH DISTINCT o, seen ORDER BY o.id LIMIT $window
          WITH o WHERE NOT o IN seen
          RETURN collect(o) AS next
        }}
        WITH seen + next AS seen, next AS frontier,
             chosen + [x IN next[0..($first - size(chosen))] | [{level}, x]] AS chosen
    """
    steps = "".join(step.format(rel_types=rel_types, level=level) for level in range(1, depth + 1))
    # Between two hubs, one typed and directed expansion per type: Neo4j then walks the
    # shorter of the two nodes' chains of that type, never a hub's whole list.
    types = rel_types[1:].split("|") if rel_types else sorted(RELATION_TYPES)
    between = " UNION ALL ".join(f"MATCH (a)-[r:{t}]->(b) RETURN r" for t in types)
    return f"""
        {_GEN}
        MATCH (c:Entity {{id: $id, gen: gen}})
        WITH [c] AS seen, [c] AS frontier, [[0, c]] AS chosen
        {steps}
        WITH chosen, [x IN chosen | x[1]] AS members
        CALL (members) {{
          UNWIND members AS a
          WITH a, members WHERE COUNT {{ (a)--() }} <= {HUB_DEGREE}
          MATCH (a)-[r{rel_types}]-(b) WHERE b IN members
          RETURN collect(DISTINCT {_REL_MAP}) AS near
        }}
        CALL (members) {{
          UNWIND members AS a
          WITH a WHERE COUNT {{ (a)--() }} > {HUB_DEGREE}
          WITH collect(a) AS hubs
          UNWIND hubs AS a
          UNWIND hubs AS b
          CALL (a, b) {{
            {between}
          }}
          RETURN collect(DISTINCT {_REL_MAP}) AS far
        }}
        RETURN [x IN chosen | [x[0], properties(x[1])]] AS nodes, near + far AS edges
    """


def _shortest_path_cypher(max_length: int, rel_types: str) -> str:
    """All shortest paths, the one with the smallest node-id sequence, and every relation
    between each pair of its neighbouring nodes (the smallest key is chosen in Python)."""
    return f"""
        {_GEN}
        OPTIONAL MATCH (s:Entity {{id: $source, gen: gen}})
        OPTIONAL MATCH (t:Entity {{id: $target, gen: gen}})
        CALL (s, t) {{
          OPTIONAL MATCH p = allShortestPaths((s)-[{rel_types}*..{max_length}]-(t))
          WITH p ORDER BY [n IN nodes(p) | n.id] LIMIT 1
          RETURN coalesce(nodes(p), []) AS path
        }}
        CALL (path) {{
          UNWIND range(0, size(path) - 2) AS i
          WITH i, path[i] AS a, path[i + 1] AS b
          MATCH (a)-[r{rel_types}]-(b)
          RETURN collect([i, {_REL_MAP}]) AS steps
        }}
        RETURN s IS NOT NULL AS has_source, t IS NOT NULL AS has_target,
               [n IN path | n {{.*}}] AS nodes, steps
    """


_SEARCH = """
    OPTIONAL MATCH (m:Meta {key: $meta})
    WITH coalesce(m.entities, 0) <= $scan_limit AS scan, coalesce(m.gen, '') AS gen
    CALL db.index.fulltext.queryNodes(
      'entity_words', $lucene, {limit: CASE WHEN scan THEN $scan_limit ELSE $candidates END}
    ) YIELD node
    WITH scan, node WHERE node.gen = gen
    CALL (scan, node) {
      RETURN node AS n
      UNION
      WITH scan, node WHERE scan AND (node:Place OR node:Country)
      MATCH (e:Event)-[:HELD_IN]->()-[:LOCATED_IN|PART_OF*0..3]->(node)
      RETURN e AS n
      UNION
      WITH scan, node WHERE scan AND (node:Country OR node:Organization)
      MATCH (p:Person)-[:HOLDS_POSITION]->(node)
      RETURN p AS n
    }
    WITH DISTINCT n WHERE $kinds IS NULL OR n.kind IN $kinds
    RETURN n {.id, .name, .aliases, .name_texts, .acronym, .category, .agreement_type,
              .org_type, .place_type, .description} AS texts,
           COUNT { (n)--() } AS degree,
           CASE WHEN n:Event THEN COLLECT {
             MATCH (n)-[:HELD_IN]->()-[:LOCATED_IN|PART_OF*0..3]->(v) RETURN DISTINCT v.name
           } ELSE [] END AS venues,
           CASE WHEN n:Person THEN COLLECT {
             MATCH (n)-[r:HOLDS_POSITION]->(o) RETURN [coalesce(r.title, r.role, ''), o.name]
           } ELSE [] END AS positions
"""

_GET_NODES = f"""
    {_GEN} UNWIND $entity_ids AS id MATCH (n:Entity {{id: id, gen: gen}}) RETURN n {{.*}} AS node
    UNION ALL
    {_GEN} UNWIND $document_ids AS id MATCH (n:Document {{id: id, gen: gen}})
    RETURN n {{.*}} AS node
"""

_RELATIONS = f"""
    {_GEN}
    UNWIND $ids AS id
    MATCH (:Entity {{id: id, gen: gen}})-[r]-()
    WHERE $types IS NULL OR type(r) IN $types
    RETURN id, {_REL_MAP} AS rel
"""

_SERIES = f"""
    {_GEN}
    UNWIND $ids AS id
    MATCH (e:Entity {{id: id, gen: gen}}) WHERE e:Event AND e.series IS NOT NULL
    WITH DISTINCT e.series AS series, gen
    MATCH (o:Event {{series: series}}) WHERE o.gen = gen
    RETURN series, collect([o.series_order, o.start, o.end, o.id]) AS members
"""

_STATS = f"""
    {_GEN}
    CALL (gen) {{
      MATCH (n:Entity) WHERE n.gen = gen
      RETURN n.kind AS kind, count(*) AS count, sum(size(coalesce(n.source_docs, []))) AS sources
      UNION ALL
      MATCH (d:Document) WHERE d.gen = gen
      RETURN 'document' AS kind, count(*) AS count, 0 AS sources
      UNION ALL
      MATCH (a:Entity)-[r]->(:Entity) WHERE a.gen = gen
      RETURN 'relation' AS kind, count(r) AS count,
             sum(size(coalesce(r.source_docs, []))) AS sources
    }}
    RETURN kind, count, sources
"""

_PARTICIPATION_PATTERN = "|".join(sorted(PARTICIPATION_TYPES))


# --- loading ----------------------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    """Rows per second, for the load's progress bar."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


@contextmanager
def _progress(total: int, label: str = "loading into Neo4j") -> Iterator[Callable[[int], None]]:
    """A rich progress bar (rows/s) for large loads on a terminal; otherwise a no-op."""
    if total <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield lambda _: None
        return
    columns = (*Progress.get_default_columns(), MofNCompleteColumn(), _RateColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


#: One UNWIND statement and its rows.
Batch = tuple[str, list[Any]]


def _chunks(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


class _LoadPlan:
    """A dataset as UNWIND batches: documents and entities (CREATE, one statement per label,
    answering each new node's element id), then relationships (one statement per type,
    both ends found by element id: far cheaper for Neo4j than two index seeks a row).
    Rows are built lazily, batch by batch, so a large load never holds them all."""

    def __init__(self, dataset: Dataset, gen: str, batch_size: int) -> None:
        self.dataset, self.gen, self.batch_size = dataset, gen, batch_size
        self.by_type: dict[str, list[int]] = defaultdict(list)  # type -> relation positions
        for seq, rel in enumerate(dataset.relations):
            self.by_type[rel.type].append(seq)
        for type_ in self.by_type:  # types become Cypher text: whitelist only
            if type_ not in RELATION_TYPES:
                bad = next(r for r in dataset.relations if r.type == type_)
                raise StoreError(f"unknown relation type {type_!r} ({bad.id})")
        self.relation_count = len(dataset.relations)
        self.node_count = len(dataset.documents) + len(dataset.entities)
        self.element_ids: dict[str, str] = {}  # entity id -> element id of its new node

    @property
    def total(self) -> int:
        return self.node_count + self.relation_count

    def node_batches(self) -> Iterator[Batch]:
        self.element_ids = {}
        gen, size = self.gen, self.batch_size
        documents = (
            {**_encode(doc, seq, gen), "kind": doc.kind.value}
            for seq, doc in enumerate(self.dataset.documents.values())
        )
        for rows in _chunks(documents, size):
            yield "UNWIND $rows AS row CREATE (n:Document) SET n = row RETURN count(n)", rows
        by_label: dict[str, list[tuple[int, Entity]]] = defaultdict(list)
        for seq, entity in enumerate(self.dataset.entities.values()):
            by_label[entity.kind.value.capitalize()].append((seq, entity))
        for label, members in by_label.items():  # labels come from the Kind enum
            cypher = (
                f"UNWIND $rows AS row CREATE (n:Entity:{label}) SET n = row "
                "RETURN collect([row.id, elementId(n)])"
            )
            entities = (_encode_entity(entity, seq, gen) for seq, entity in members)
            for rows in _chunks(entities, size):
                yield cypher, rows

    def written(self, rows: list[Any], answer: Any) -> None:
        """Check a batch's answer (a count, or the new nodes' element ids) and keep ids."""
        if isinstance(answer, list):
            self.element_ids.update(answer)
            answer = len(answer)
        if answer != len(rows):
            raise StoreError(f"Neo4j wrote {answer} of a batch of {len(rows)} rows")

    def _ends(self, rel: Relation) -> tuple[str, str]:
        try:
            return self.element_ids[rel.subject], self.element_ids[rel.object]
        except KeyError as exc:
            raise StoreError(
                f"relation {rel.id} names {exc.args[0]!r}, which the dataset does not have"
            ) from None

    def relation_batches(self) -> Iterator[Batch]:
        relations, size = self.dataset.relations, self.batch_size
        ends = "MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1]"
        for type_, positions in self.by_type.items():
            flat = (
                f"UNWIND $rows AS row {ends} CREATE (a)-[r:{type_} {{id: row[2], seq: row[3], "
                "role: row[4], title: row[5], source_docs: row[6], source_quotes: row[7]}]->(b) "
                "RETURN count(r)"
            )
            mapped = (
                f"UNWIND $rows AS row {ends} CREATE (a)-[r:{type_}]->(b) SET r = row[2] "
                "RETURN count(r)"
            )
            dated: list[list[Any]] = []
            for chunk in _chunks(iter(positions), size):
                rows = []
                for seq in chunk:
                    rel = relations[seq]
                    subject, object_ = self._ends(rel)
                    if (
                        rel.date is None
                        and rel.start is None
                        and rel.end is None
                        and all(s.basis == STATED and s.note is None for s in rel.sources)
                    ):
                        sources = rel.sources
                        rows.append(
                            [
                                subject,
                                object_,
                                rel.id,
                                seq,
                                rel.role,
                                rel.title,
                                [s.document for s in sources] if sources else None,
                                [s.quote for s in sources] if sources else None,
                            ]
                        )
                    else:
                        dated.append([subject, object_, _encode_relation(rel, seq)])
                if rows:
                    rows.sort()  # neighbouring rows share a start node: fewer page and lock hops
                    yield flat, rows
            for rows in _chunks(iter(dated), size):
                yield mapped, rows

    def batches(self) -> Iterator[Batch]:
        yield from self.node_batches()
        yield from self.relation_batches()


@unit_of_work(timeout=LOAD_TIMEOUT)
async def _write_batch(tx: AsyncManagedTransaction, cypher: str, rows: list[Any]) -> Any:
    """One UNWIND statement; its one answer (a count or a list of element ids)."""
    record = await (await tx.run(cypher, rows=rows)).single(strict=True)
    return record[0]


def _done(value: T) -> asyncio.Future[T]:
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


def _digest_in_background(dataset: Dataset) -> asyncio.Future[str]:
    """``dataset.version()`` computed beside the load. Hashing a million records takes a
    CPU-minute; in a thread it would hold the GIL against the writers, so on POSIX it runs
    in a forked child (which shares the dataset's memory) and comes back through a pipe."""
    if not hasattr(os, "fork"):
        return asyncio.ensure_future(asyncio.to_thread(dataset.version))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: digest, write, leave at once (no cleanup of the parent's state)
        status = 1
        try:
            os.close(read_end)
            os.write(write_end, dataset.version().encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> str:
        with os.fdopen(read_end, "rb") as pipe:
            digest = pipe.read().decode()
        os.waitpid(pid, 0)
        if not digest:
            raise StoreError("computing the data version failed")
        return digest

    def stop(future: asyncio.Future[str]) -> None:
        if future.cancelled():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    future = asyncio.ensure_future(asyncio.to_thread(wait))
    future.add_done_callback(stop)
    return future


_START_LOAD = "CREATE (:Load {gen: $gen, started_at: datetime()})"
_FLIP = """
    MATCH (l:Load {gen: $gen}) SET l.finished_at = datetime()
    MERGE (m:Meta {key: $key})
    SET m.version = $version, m.gen = $gen, m.entities = $entities, m.max_span = $max_span,
        m.loaded_at = datetime()
"""
#: Deletes one generation, many transactions (auto-commit only): hubs' relationships first,
#: in bounded chunks, so that no transaction holds a hub's whole neighbourhood.
_DROP_GENERATION = (
    """
    MATCH (:Entity {gen: $gen})-[r]->()
    CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS
    """,
    """
    MATCH (n:Entity {gen: $gen})
    CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS
    """,
    """
    MATCH (n:Document {gen: $gen})
    CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS
    """,
    "MATCH (l:Load {gen: $gen}) DELETE l",
)


def _statements(text: str) -> list[str]:
    """The statements of a migration file: ``;``-terminated, ``//`` comment lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _lucene(query: SearchQuery) -> str:
    """The query's words as Lucene terms over ``search_words``: each word exact, as a
    prefix (two letters or more) and fuzzy within the rule's typo allowance; the entities
    with every word boosted first. The rule's words are letters and digits only, never an
    operator."""
    groups = []
    for word in query.words:
        terms = [word]
        if len(word) >= 2:
            terms.append(f"{word}*")
        if edits := allowed_edits(word):
            terms.append(f"{word}~{edits}")
        groups.append("(" + " OR ".join(terms) + ")")
    if len(groups) == 1:
        return groups[0]
    return "(" + " ".join(f"+{g}" for g in groups) + ")^4 OR " + " OR ".join(groups)


def _series_key(member: Sequence[Any]) -> tuple[int, str, str, str]:
    """``memory.series_key``: series order where given, then time order."""
    order, start, end, event_id = member
    return (order if order is not None else 2**31, start, end, event_id)


# --- curation writes ------------------------------------------------------------------------

#: Sequence numbers of records added by writes start here, above any a load gives (a load's
#: are positions in its dataset), so dumps list them after the loaded ones, in write order.
WRITE_SEQ_BASE = 1 << 40
#: Records one write may add (the room between two writes' sequence numbers).
WRITE_SEQ_ROOM = 1 << 20

#: Every write starts here: it locks Meta (the SET), so writes serialise, and reads the
#: generation and version it applies to. ``writes`` numbers the writes.
_WRITE_START = """
    MERGE (m:Meta {key: $key})
    ON CREATE SET m.gen = $gen, m.version = $empty, m.entities = 0
    SET m.writes = coalesce(m.writes, 0) + 1
    RETURN m.gen AS gen, m.version AS version, m.writes AS writes
"""
_WRITE_OLD_SEQ = """
    UNWIND $ids AS id
    OPTIONAL MATCH (e:Entity {id: id, gen: $gen})
    OPTIONAL MATCH (d:Document {id: id, gen: $gen})
    WITH id, coalesce(e.seq, d.seq) AS seq WHERE seq IS NOT NULL
    RETURN id, seq
"""
_WRITE_DOCUMENTS = """
    UNWIND $rows AS row
    MERGE (n:Document {id: row.id, gen: row.gen}) SET n = row
    RETURN count(n)
"""
_WRITE_REMOVE = """
    MATCH (a:Entity {gen: $gen})-[r]->() WHERE r.id IN $ids
    DELETE r
"""
#: An audit entry, numbered by the audit counter (its Meta node locked by the SET).
_WRITE_AUDIT = """
    MERGE (m:AuditCounter {key: $key})
    SET m.count = coalesce(m.count, 0) + 1
    CREATE (a:AuditEntry {seq: m.count - 1, at: $at, entry: $entry})
    RETURN a.seq AS seq
"""
_WRITE_TEXTS = """
    UNWIND $rows AS row
    MERGE (t:CuratedText {id: row.id}) SET t.text = row.text, t.version = $version
"""
_AUDIT_KEY = "audit"
_WRITE_END = """
    MATCH (m:Meta {key: $key})
    SET m.version = $version, m.entities = coalesce(m.entities, 0) + $created,
        m.max_span = CASE WHEN coalesce(m.max_span, 0) > $span THEN m.max_span ELSE $span END,
        m.written_at = datetime()
"""


async def _audit_in(tx: AsyncManagedTransaction, entry: Mapping[str, Any]) -> None:
    """Store one audit entry in ``tx`` (its JSON as one property)."""
    text = json.dumps(dict(entry), ensure_ascii=False, separators=(",", ":"), default=str)
    params = {"key": _AUDIT_KEY, "at": str(entry.get("at", "")), "entry": text}
    await (await tx.run(_WRITE_AUDIT, params)).consume()


# --- the store --------------------------------------------------------------------------------


class Neo4jStore:
    """A store on a Neo4j 5 database; see the module docstring for the model.

    Creating one does not connect; the first call does (and each later call reconnects if
    needed). ``uri`` may be ``bolt://``, ``neo4j://`` (routing, for clusters) or their
    ``+s`` TLS forms (Aura).
    """

    name = "neo4j"
    #: Where the ``*.cypher`` migrations are read from.
    schema_dir: pathlib.Path = SCHEMA_DIR
    #: Up to this many entities, search scores every name (exact parity with memory).
    scan_limit: int = 10_000
    #: How long a managed transaction retries transient failures (the driver's default is
    #: 30 s; a request should fail sooner when the database is down).
    retry_seconds: float = 2.0  # under the API's store deadline (5 s): an outage reads UNAVAILABLE
    #: TCP connect timeout, so an unreachable host fails fast.
    connect_timeout: float = 5.0

    def __init__(
        self,
        uri: str = "bolt://127.0.0.1:7687",
        user: str = "neo4j",
        password: str = "",
        database: str = "neo4j",
    ) -> None:
        self._uri, self._user, self._password = uri, user, password
        self._database = database
        self._driver: AsyncDriver | None = None

    def __repr__(self) -> str:
        return f"Neo4jStore({self._uri!r}, database={self._database!r})"

    # --- plumbing ----------------------------------------------------------------------------

    def _get_driver(self) -> AsyncDriver:
        if self._driver is None:
            try:
                self._driver = AsyncGraphDatabase.driver(
                    self._uri,
                    auth=(self._user, self._password),
                    max_transaction_retry_time=self.retry_seconds,
                    connection_timeout=self.connect_timeout,
                    user_agent="timeline",
                    # Check a connection idle this long before use, so a restart of the
                    # server costs no failed request.
                    liveness_check_timeout=30.0,
                    # "label does not exist" on an empty database, and "index already
                    # exists" on a repeated migration, are expected: not worth a warning.
                    notifications_disabled_classifications=[
                        NotificationDisabledClassification.UNRECOGNIZED,
                        NotificationDisabledClassification.SCHEMA,
                    ],
                )
            except (DriverError, ValueError) as exc:
                raise StoreError(f"bad Neo4j settings for {self._uri!r}: {exc}") from exc
        return self._driver

    def _failure(self, exc: Exception) -> StoreError:
        """The store error for a driver exception, with a message a person can act on."""
        where = f"Neo4j at {self._uri}"
        if isinstance(exc, AuthError):
            return StoreUnavailable(f"{where} rejected the credentials of user {self._user!r}")
        if isinstance(
            exc,
            ServiceUnavailable
            | SessionExpired
            | ConnectionAcquisitionTimeoutError
            | DatabaseUnavailable,
        ):
            return StoreUnavailable(f"cannot reach {where}: {exc}")
        if isinstance(exc, Neo4jError) and exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreUnavailable(f"{where} has no database {self._database!r}")
        return StoreError(f"{where}: {exc}")

    async def _transact(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]], *, write: bool = False
    ) -> T:
        """Run ``work`` in a managed transaction (the driver retries transient failures)."""
        driver = self._get_driver()
        after = consistency.read_after.get()
        try:
            async with driver.session(
                database=self._database,
                # Share bookmarks so a read after a load sees it, even on another cluster member.
                bookmark_manager=driver.execute_query_bookmark_manager,
                # And those a client carried from a write through another replica.
                bookmarks=Bookmarks.from_raw_values(after) if after else None,
            ) as session:
                if write:
                    answer = await session.execute_write(work)
                    done = await session.last_bookmarks()
                    consistency.note_written(tuple(sorted(done.raw_values)))
                    return answer
                return await session.execute_read(work)
        except (Neo4jError, DriverError) as exc:
            raise self._failure(exc) from exc

    async def _rows(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        tx_timeout: float | None = None,
    ) -> Rows:
        """One statement in its own managed transaction: its records as dicts. ``tx_timeout``
        replaces the server's transaction deadline (for administrative statements)."""

        @unit_of_work(timeout=tx_timeout)
        async def work(tx: AsyncManagedTransaction) -> Rows:
            result = await tx.run(cypher, dict(params or {}))
            return await result.data()

        return await self._transact(work, write=write)

    # --- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            await driver.close()

    async def ping(self) -> None:
        # Auto-commit queries, not a managed transaction: a down server is reported at once
        # instead of after the retry window. A second attempt because the first may only
        # have found a pooled connection from before a server restart (the pool drops it).
        driver = self._get_driver()
        for attempt in (1, 2):
            try:
                async with driver.session(
                    database=self._database, default_access_mode=READ_ACCESS
                ) as session:
                    await (await session.run("RETURN 1")).consume()
                return
            except (ServiceUnavailable, SessionExpired) as exc:
                if attempt == 2:
                    raise self._failure(exc) from exc
            except (Neo4jError, DriverError) as exc:
                raise self._failure(exc) from exc

    async def migrate(self) -> list[str]:
        """Apply the schema migrations not yet recorded; return the statements applied."""
        files = sorted(self.schema_dir.glob("*.cypher"))
        if not files:  # e.g. an image built without graph/schema: fail, never skip the schema
            raise StoreError(f"no schema migrations (*.cypher) in {self.schema_dir}")
        await self.ping()  # a down server fails here at once, not after the retry window
        done = {
            row["name"] for row in await self._rows("MATCH (m:Migration) RETURN m.name AS name")
        }
        applied: list[str] = []
        for path in files:
            if path.name in done:
                continue
            for statement in _statements(path.read_text(encoding="utf-8")):
                # schema changes: one per transaction, as long as an index build needs
                await self._rows(statement, write=True, tx_timeout=LOAD_TIMEOUT)
                applied.append(statement)
            await self._rows(
                "MERGE (m:Migration {name: $name}) SET m.applied_at = datetime()",
                {"name": path.name},
                write=True,
            )
        if applied:  # new indexes populate in the background: be ready before returning
            await self._rows("CALL db.awaitIndexes(300)", tx_timeout=LOAD_TIMEOUT)
        return applied

    async def data_version(self) -> str:
        rows = await self._rows(
            "MATCH (m:Meta {key: $key}) RETURN m.version AS version", {"key": _META_KEY}
        )
        return str(rows[0]["version"]) if rows else Dataset().version()

    async def load(self, dataset: Dataset) -> None:
        """Replace the graph with ``dataset``, all or nothing (see "Loading" above)."""
        await self.migrate()
        gen = uuid.uuid4().hex
        large = len(dataset.entities) + len(dataset.documents) + len(dataset.relations) > (
            SINGLE_TRANSACTION_ROWS
        )
        plan = _LoadPlan(dataset, gen, LARGE_BATCH_SIZE if large else BATCH_SIZE)
        version = _digest_in_background(dataset) if large else _done(dataset.version())
        try:
            await self._drop_generations(keep=await self._current_gen())  # crashed loads
            if large:
                await self._load_batched(plan, version)
            else:
                await self._load_in_one_transaction(plan, version)
        finally:
            version.cancel()  # a failed load does not wait for the digest
        await self._drop_generations(keep=gen)

    async def _current_gen(self) -> str | None:
        rows = await self._rows(
            "MATCH (m:Meta {key: $key}) RETURN m.gen AS gen", {"key": _META_KEY}
        )
        return str(rows[0]["gen"]) if rows and rows[0]["gen"] is not None else None

    async def _drop_generations(self, keep: str | None) -> None:
        """Delete every generation but ``keep`` (none current: all), in many transactions."""
        # Generations are found in the data itself too, not only through their :Load
        # bookkeeping: a generation whose :Load node is gone must not outlive every load.
        rows = await self._rows(
            "MATCH (l:Load) RETURN l.gen AS gen UNION "
            "MATCH (m:Meta {key: $key}) RETURN m.gen AS gen UNION "
            "MATCH (n:Entity) RETURN DISTINCT n.gen AS gen UNION "
            "MATCH (d:Document) RETURN DISTINCT d.gen AS gen",
            {"key": _META_KEY},
            tx_timeout=LOAD_TIMEOUT,  # reads every node's gen: long on a large graph
        )
        for gen in sorted({row["gen"] for row in rows if row["gen"] is not None} - {keep}):
            await self._drop_generation(gen)

    async def _drop_generation(self, gen: str) -> None:
        # auto-commit: CALL IN TRANSACTIONS needs it
        await self._auto_commit(*_DROP_GENERATION, gen=gen)

    async def _auto_commit(self, *statements: str, **params: Any) -> None:
        """Statements of a load run one after another as auto-commit queries, each allowed
        ``LOAD_TIMEOUT`` (not the server's request deadline)."""
        driver = self._get_driver()
        try:
            async with driver.session(database=self._database) as session:
                for cypher in statements:
                    query = Query(cypher, timeout=LOAD_TIMEOUT)
                    await (await session.run(query, params)).consume()
        except (Neo4jError, DriverError) as exc:
            raise self._failure(exc) from exc

    async def _flip(self, tx: AsyncManagedTransaction, plan: _LoadPlan, version: str) -> None:
        entities = plan.dataset.entities
        params = {
            "gen": plan.gen,
            "key": _META_KEY,
            "version": version,
            "entities": len(entities),
            "max_span": max(
                (
                    (e.date.end - e.date.start).days
                    for e in entities.values()
                    if isinstance(e, Event)
                ),
                default=0,
            ),
        }
        await (await tx.run(_FLIP, params)).consume()

    async def _load_in_one_transaction(self, plan: _LoadPlan, version: asyncio.Future[str]) -> None:
        """A small dataset: everything, and the flip, in one transaction."""

        @unit_of_work(timeout=LOAD_TIMEOUT)
        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(_START_LOAD, gen=plan.gen)).consume()
            with _progress(plan.total) as advance:
                for cypher, rows in plan.batches():
                    plan.written(rows, await _write_batch(tx, cypher, rows))
                    advance(len(rows))
            await self._flip(tx, plan, await version)

        await self._transact(work, write=True)

    async def _load_batched(self, plan: _LoadPlan, version: asyncio.Future[str]) -> None:
        """A large dataset: the new generation in many transactions (``WRITERS`` at a time),
        invisible to readers until one small transaction repoints ``Meta``. On failure the
        half-written generation is deleted and the old one never stopped answering."""
        driver = self._get_driver()
        await self._rows(_START_LOAD, {"gen": plan.gen}, write=True)

        async def writer(batches: Iterator[Batch], advance: Callable[[int], None]) -> None:
            async with driver.session(database=self._database) as session:
                for cypher, rows in batches:  # shared: each writer takes the next batch
                    plan.written(rows, await session.execute_write(_write_batch, cypher, rows))
                    advance(len(rows))

        try:
            with _progress(plan.total) as advance:
                for phase in (plan.node_batches(), plan.relation_batches()):  # nodes first
                    async with asyncio.TaskGroup() as group:
                        for _ in range(WRITERS):
                            group.create_task(writer(phase, advance))
            digest = await version
            await self._transact(lambda tx: self._flip(tx, plan, digest), write=True)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await self._drop_generation(plan.gen)
            if isinstance(exc, BaseExceptionGroup):  # from the task group: the first cause
                first = exc.exceptions[0]
                if isinstance(first, StoreError):
                    raise first from exc
                if isinstance(first, Neo4jError | DriverError):
                    raise self._failure(first) from exc
            if isinstance(exc, Neo4jError | DriverError):
                raise self._failure(exc) from exc
            raise

    async def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        """Apply ``changes`` in ONE write transaction, all or nothing.

        With ``record``, the same transaction stores the write's audit entry (an
        ``AuditEntry`` node, numbered by ``AuditCounter {key: 'audit'}``) and the texts of the
        documents it adds (``CuratedText`` nodes): no change commits without them.

        It MERGEs the documents and entities into the current generation (``SET n = row``:
        a replaced node keeps its ``seq``, a new one gets the next write sequence number),
        deletes the removed relationships, MERGEs the added ones by (ends, type, id) and sets
        the new data version on ``Meta``, whose lock (taken first) serialises writes against
        each other and against a load's flip. Any failure (a relation to a missing node, a
        stale ``base_version``, a lost connection) rolls everything back.
        """
        for rel in changes.relations:
            if rel.type not in RELATION_TYPES:  # types become Cypher text: whitelist only
                raise StoreError(f"unknown relation type {rel.type!r} ({rel.id})")
        await self.migrate()
        added_ids = {rel.id for rel in changes.relations}
        removed = sorted(set(changes.remove_relations) - added_ids)

        async def work(tx: AsyncManagedTransaction) -> None:
            start = await (
                await tx.run(
                    _WRITE_START, key=_META_KEY, gen=uuid.uuid4().hex, empty=Dataset().version()
                )
            ).single(strict=True)
            gen, version = str(start["gen"]), str(start["version"])
            if changes.base_version is not None and changes.base_version != version:
                raise ChangeConflict(
                    f"the graph is at version {version}, not {changes.base_version}"
                )
            base = WRITE_SEQ_BASE + int(start["writes"]) * WRITE_SEQ_ROOM
            ids = changes.node_ids
            old = {
                row["id"]: row["seq"]
                for row in await (await tx.run(_WRITE_OLD_SEQ, ids=ids, gen=gen)).data()
            }
            seqs = {node_id: old.get(node_id, base + i) for i, node_id in enumerate(ids)}
            if changes.documents:
                rows = [
                    {**_encode(doc, seqs[doc.id], gen), "kind": doc.kind.value}
                    for doc in changes.documents
                ]
                answer = await _write_batch(tx, _WRITE_DOCUMENTS, rows)
                if answer != len(rows):
                    raise StoreError(f"Neo4j wrote {answer} of {len(rows)} documents")
            by_label: dict[str, list[Props]] = defaultdict(list)
            for entity in changes.entities:
                label = entity.kind.value.capitalize()  # from the Kind enum
                by_label[label].append(_encode_entity(entity, seqs[entity.id], gen))
            for label, rows in by_label.items():
                cypher = (
                    "UNWIND $rows AS row MERGE (n:Entity {id: row.id, gen: row.gen}) "
                    f"ON CREATE SET n:{label} SET n = row RETURN count(n)"
                )
                answer = await _write_batch(tx, cypher, rows)
                if answer != len(rows):
                    raise StoreError(f"Neo4j wrote {answer} of {len(rows)} entities")
            if removed:
                await (await tx.run(_WRITE_REMOVE, ids=removed, gen=gen)).consume()
            by_type: dict[str, list[Props]] = defaultdict(list)
            for i, rel in enumerate(changes.relations):
                props = _encode_relation(rel, base + i)
                by_type[rel.type].append(
                    {"subject": rel.subject, "object": rel.object, "props": props}
                )
            for type_, rows in by_type.items():
                cypher = (
                    "UNWIND $rows AS row "
                    "MATCH (a:Entity {id: row.subject, gen: $gen}) "
                    "MATCH (b:Entity {id: row.object, gen: $gen}) "
                    f"MERGE (a)-[r:{type_} {{id: row.props.id}}]->(b) "
                    "WITH r, row, r.seq AS old "
                    "SET r = row.props SET r.seq = coalesce(old, row.props.seq) "
                    "RETURN count(r)"
                )
                found = await (await tx.run(cypher, rows=rows, gen=gen)).single(strict=True)
                if found[0] != len(rows):
                    raise StoreError(
                        f"{len(rows) - found[0]} {type_} relation(s) name a node the graph lacks"
                    )
            created = sum(1 for e in changes.entities if e.id not in old)
            span = max(
                (
                    (e.date.end - e.date.start).days
                    for e in changes.entities
                    if isinstance(e, Event)
                ),
                default=0,
            )
            params = {
                "key": _META_KEY,
                "version": next_version(version, changes),
                "created": created,
                "span": span,
            }
            await (await tx.run(_WRITE_END, params)).consume()
            if record is not None:
                if record.texts:
                    rows = [{"id": k, "text": v} for k, v in record.texts.items()]
                    await (
                        await tx.run(_WRITE_TEXTS, rows=rows, version=params["version"])
                    ).consume()
                await _audit_in(tx, record.audit)

        await self._transact(work, write=True)

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await _audit_in(tx, entry)

        await self._transact(work, write=True)

    async def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        rows = await self._rows(
            "OPTIONAL MATCH (m:AuditCounter {key: $key}) RETURN coalesce(m.count, 0) AS total",
            {"key": _AUDIT_KEY},
        )
        total = int(rows[0]["total"]) if rows else 0
        entries = await self._rows(
            "MATCH (a:AuditEntry) WHERE $before IS NULL OR a.seq < $before "
            "RETURN a.seq AS seq, a.entry AS entry ORDER BY a.seq DESC LIMIT $limit",
            {"before": before, "limit": first + 1},
        )
        found = [{**json.loads(row["entry"]), "seq": int(row["seq"])} for row in entries]
        return AuditPage(entries=found[:first], total=total, has_next=len(found) > first)

    async def audit_entries(self) -> list[dict[str, Any]]:
        """Every audit entry, oldest first (for the JSON Lines export)."""
        rows = await self._rows(
            "MATCH (a:AuditEntry) RETURN a.seq AS seq, a.entry AS entry ORDER BY a.seq"
        )
        return [{**json.loads(row["entry"]), "seq": int(row["seq"])} for row in rows]

    async def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = await self._rows(
            "UNWIND $ids AS id MATCH (t:CuratedText {id: id}) RETURN t.id AS id, t.text AS text",
            {"ids": list(ids)},
        )
        return {str(row["id"]): str(row["text"]) for row in rows}

    async def dump(self) -> Dataset:
        async def work(tx: AsyncManagedTransaction) -> tuple[Rows, Rows, Rows]:
            async def rows(cypher: str) -> Rows:
                return await (await tx.run(cypher)).data()

            return (
                await rows(
                    f"{_GEN} MATCH (n:Document) WHERE n.gen = gen "
                    "RETURN n {.*} AS props ORDER BY n.seq"
                ),
                await rows(
                    f"{_GEN} MATCH (n:Entity) WHERE n.gen = gen "
                    "RETURN n {.*} AS props ORDER BY n.seq"
                ),
                await rows(
                    f"{_GEN} MATCH (a:Entity)-[r]->(:Entity) WHERE a.gen = gen "
                    f"RETURN {_REL_MAP} AS props ORDER BY r.seq"
                ),
            )

        documents, entities, relations = await self._transact(work)
        return Dataset(
            documents={d.id: d for d in (_decode(Document, row["props"]) for row in documents)},
            entities={e.id: e for e in (_entity(row["props"]) for row in entities)},
            relations=[_relation(row["props"]) for row in relations],
        )

    async def stats(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in Kind}
        counts["relation"] = counts["source"] = 0
        for row in await self._rows(_STATS):
            counts[row["kind"]] += row["count"]
            counts["source"] += row["sources"]
        return counts

    # --- lookups -----------------------------------------------------------------------------

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        if not ids:
            return {}
        documents = [i for i in ids if i.startswith(f"{Kind.DOCUMENT.value}:")]
        entities = [i for i in ids if not i.startswith(f"{Kind.DOCUMENT.value}:")]
        rows = await self._rows(_GET_NODES, {"entity_ids": entities, "document_ids": documents})
        found = {row["node"]["id"]: _node(row["node"]) for row in rows}
        return {i: found[i] for i in ids if i in found}

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        rows: Rows = []
        if ids:
            params = {"ids": list(dict.fromkeys(ids)), "types": _types_param(types)}
            rows = await self._rows(_RELATIONS, params)
        return _relations_by_node(ids, ((row["id"], row["rel"]) for row in rows))

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        found: dict[str, tuple[str | None, str | None]] = {}
        if ids:
            for row in await self._rows(_SERIES, {"ids": list(ids)}):
                members = [m[3] for m in sorted(row["members"], key=_series_key)]
                for i, event_id in enumerate(members):
                    found[event_id] = (
                        members[i - 1] if i else None,
                        members[i + 1] if i + 1 < len(members) else None,
                    )
        return {i: found.get(i, (None, None)) for i in ids}

    # --- timeline ----------------------------------------------------------------------------

    async def timeline(self, query: TimelineQuery) -> EventPage:
        cypher, params = _timeline_cypher(query)
        (row,) = await self._rows(cypher, params)
        events = sorted(
            (_event(props) for props in row["page"]),
            key=lambda e: e.sort_key,
            reverse=query.order is Order.DESC,
        )
        total, before = int(row["total"]), int(row["before"])
        return EventPage(
            events=events,
            total=total,
            has_next=before + max(query.first, 0) < total,
            has_previous=before > 0,
            links=_links(row) if query.with_links else None,
            reasons=_reasons(row, query.involving) if query.explain and query.involving else None,
        )

    # --- search ------------------------------------------------------------------------------

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        query = parse_query(text)
        if first <= 0 or not query.words:
            return []
        params = {
            "meta": _META_KEY,
            "scan_limit": self.scan_limit,
            "lucene": _lucene(query),
            "candidates": max(SEARCH_CANDIDATES, 5 * first),
            "kinds": sorted(k.value for k in kinds) if kinds else None,
        }
        hits = []
        for row in await self._rows(_SEARCH, params):
            # only what the rule reads: the winners alone are read whole (get_nodes)
            texts = row["texts"]
            fields = text_fields(
                texts["name"],
                (*(texts["aliases"] or ()), *(texts["name_texts"] or ())),
                texts["acronym"],
                texts["category"]
                or texts["agreement_type"]
                or texts["org_type"]
                or texts["place_type"],
                texts["description"],
                sorted(row["venues"]),
                sorted({position_text(title, name) for title, name in row["positions"]}),
            )
            scored = score_entity(query, fields, explain=False)
            if scored is not None:
                key = rank_key_of(scored.score, int(row["degree"]), texts["name"], texts["id"])
                hits.append((key, fields))
        best = heapq.nsmallest(first, hits, key=lambda hit: hit[0])
        found = await self.get_nodes([key[3] for key, _ in best]) if best else {}
        results = []
        for key, fields in best:  # the winners, explained
            entity = found.get(key[3])
            if isinstance(entity, Entity) and (scored := score_entity(query, fields)) is not None:
                results.append(SearchResult(entity, scored.score, scored.matches))
        return results

    # --- traversal ---------------------------------------------------------------------------

    async def _require(self, *ids: str) -> dict[str, Entity]:
        """The entities with these ids; :class:`UnknownNode` for the first one missing."""
        found = await self.get_nodes(list(ids))
        for node_id in ids:
            if not isinstance(found.get(node_id), Entity):
                raise UnknownNode(node_id)
        return {i: node for i, node in found.items() if isinstance(node, Entity)}

    async def neighbors(
        self, node_id: str, depth: int = 1, types: Collection[str] | None = None, first: int = 200
    ) -> Subgraph:
        if first <= 0:
            await self._require(node_id)
            return Subgraph(nodes=[], edges=[])
        rel_types = _type_pattern(types)
        # Only unknown types: nothing is adjacent, so the centre alone (depth 0) answers.
        depth = max(int(depth), 0) if rel_types is not None else 0
        cypher = _neighbors_cypher(depth, rel_types or "")
        rows = await self._rows(cypher, {"id": node_id, "first": first, "window": 2 * first})
        if not rows or not rows[0]["nodes"]:  # the centre is always first when it exists
            raise UnknownNode(node_id)
        nodes = sorted(
            ((hop, _entity(props)) for hop, props in rows[0]["nodes"]),
            key=lambda h: (h[0], h[1].id),
        )
        edges = (
            {} if rel_types is None else {rel.id: rel for rel in map(_relation, rows[0]["edges"])}
        )
        return Subgraph(
            nodes=[entity for _, entity in nodes],
            edges=sorted(edges.values(), key=lambda r: r.key),
        )

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        rel_types = _type_pattern(types)
        if source == target or rel_types is None or max_length < 1:
            found = await self._require(source, target)
            return Path(nodes=[found[source]]) if source == target else None
        rows = await self._rows(
            _shortest_path_cypher(int(max_length), rel_types), {"source": source, "target": target}
        )
        row = rows[0]
        for node_id, present in ((source, row["has_source"]), (target, row["has_target"])):
            if not present:
                raise UnknownNode(node_id)
        if not row["nodes"]:
            return None
        choices: dict[int, list[Relation]] = defaultdict(list)
        for i, props in row["steps"]:
            choices[i].append(_relation(props))
        return Path(
            nodes=[_entity(props) for props in row["nodes"]],
            edges=[min(choices[i], key=lambda r: r.key) for i in range(len(row["nodes"]) - 1)],
        )

    async def common_events(
        self, ids: Sequence[str], start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        if not ids:
            return []
        params: Props = {"first": ids[0], "rest": list(ids[1:])}
        conditions = [
            "all(i IN $rest WHERE EXISTS { (e)--(:Entity {id: i}) })",
            *_overlap(params, start, end),
        ]
        cypher = (
            f"{_GEN} MATCH (:Entity {{id: $first, gen: gen}})--(e:Event) WITH DISTINCT e "
            f"{_where(conditions)} RETURN e {{.*}} AS event"
        )
        rows = await self._rows(cypher, params)
        return sorted((_event(row["event"]) for row in rows), key=lambda e: e.sort_key)

    # --- analytics inputs --------------------------------------------------------------------

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        params: Props = {}
        cypher = (
            f"{_GEN} MATCH (p:Entity)-[:{_PARTICIPATION_PATTERN}]->(e:Event) "
            f"{_where(['e.gen = gen', *_overlap(params, start, end)])} "
            "RETURN DISTINCT e.id AS event, p.id AS participant"
        )
        return sorted(
            (row["event"], row["participant"]) for row in await self._rows(cypher, params)
        )

    async def edge_list(self) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            f"{_GEN} MATCH (a:Entity)-[r]->(b:Entity) WHERE a.gen = gen "
            "RETURN a.id AS s, b.id AS o, type(r) AS t ORDER BY r.seq"
        )
        return [(row["s"], row["o"], row["t"]) for row in rows]

    # --- proposal sets ---------------------------------------------------------------------

    async def save_proposals(self, proposals: ProposalSet) -> None:
        await self._rows(
            "MERGE (p:ProposalSet {id: $id}) SET p.created = $created, p.body = $body",
            {
                "id": proposals.id,
                "created": proposals.created.isoformat(),
                "body": proposals.model_dump_json(),
            },
            write=True,
        )

    async def get_proposals(self, ids: Sequence[str]) -> dict[str, ProposalSet]:
        rows = await self._rows(
            "UNWIND $ids AS id MATCH (p:ProposalSet {id: id}) RETURN p.id AS id, p.body AS body",
            {"ids": list(ids)},
        )
        return {row["id"]: ProposalSet.model_validate_json(row["body"]) for row in rows}

    async def list_proposals(self) -> list[ProposalSet]:
        rows = await self._rows("MATCH (p:ProposalSet) RETURN p.body AS body")
        sets = [ProposalSet.model_validate_json(row["body"]) for row in rows]
        return sorted(sets, key=lambda p: (p.created, p.id), reverse=True)
