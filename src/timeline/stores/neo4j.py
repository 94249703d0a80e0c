"""The Neo4j backend: the same answers as the memory store, from a Neo4j 5 graph.

Graph model
    Every entity is a node labelled ``Entity`` and its kind (``Event``, ``Person``,
    ``Country``, ``Organization``, ``Agreement``, ``Place``); documents are ``Document``
    nodes. Scalars are properties; a date is stored as its EDTF text plus its first and last
    ISO day and precision (an entity's ``date`` as ``edtf``/``start``/``end``/``precision``,
    any other date ``<field>_edtf``, ``<field>_start`` ...), so records rebuild exactly and
    day windows compare as strings. Sources are two parallel lists (``source_docs``,
    ``source_quotes``, so "every fact from document X" is a list lookup), claims a JSON
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

Loading: all or nothing
    :meth:`load` runs in ONE managed write transaction: it MERGEs every node and
    relationship by id in UNWIND batches (``BATCH_SIZE`` rows), stamping them with a new
    ``gen``, then deletes whatever still carries an older ``gen`` and repoints ``Meta``.
    Any failure (a constraint, a bad value, a dropped connection) rolls the whole
    transaction back, so the previous graph keeps answering, untouched, and readers never
    see a half-loaded graph. Loading the same dataset twice rewrites the same nodes and
    creates nothing new. The cost is that the whole load must fit in Neo4j's transaction
    memory (``db.memory.transaction.max``): comfortably true at curated-seed scale (tens of
    thousands of rows). For loads of millions of rows the next step would be to write the
    new generation in many transactions and have every query filter on ``Meta.gen``;
    that doubles storage during a load and adds a filter to every read, so it is not done
    until the data needs it.

Search
    Scoring is the shared rule (``timeline.model.text.score_folded``), run in Python on
    candidates from Neo4j. While the graph holds at most ``scan_limit`` entities the
    candidates are every entity's folded names (one light query), so results are identical
    to the memory store's (scoring 10 000 entities in Python takes about a second, as it
    does in the memory store). Above that, candidates come from the ``entity_names`` full-text
    index (``standard-folding`` analyzer; each query word as a fuzzy term ``w~`` and a
    prefix ``w*``, best ``SEARCH_CANDIDATES`` by Lucene score): fast, but a typo beyond two
    edits in a word, or a match in the middle of a word, can be missed.

Round trips (one managed transaction each unless noted)
    ``get_nodes``, ``relations``, ``series_neighbors``, ``timeline`` (page, total, and
    both page flags), ``neighbors`` (breadth-first levels unrolled in Cypher),
    ``shortest_path`` (``allShortestPaths`` then the smallest node-id sequence and the
    smallest-key relation per hop), ``common_events``, ``participations``, ``edge_list``,
    ``stats``, ``data_version``, ``ping``: 1 each. ``search``: 2 (candidates, then the
    winners' records). ``dump``: 3 queries in one transaction. ``load``: a ping and a read
    of the applied migrations, then 1 transaction. ``allShortestPaths`` enumerates every
    shortest path before the smallest is picked: cheap on this graph, but on a very dense
    one ``max_length`` is the lever.

Availability
    The driver is created on first use and never connects at construction, so the service
    starts while Neo4j is down; the driver's pool reconnects by itself when it is back.
    Connectivity and authentication failures become :class:`StoreUnavailable`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import json
import pathlib
import re
import sys
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationDisabledClassification,
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

from timeline.model.dates import DatePrecision, DateSpan
from timeline.model.ids import Kind
from timeline.model.records import (
    ENTITY_CLASSES,
    PARTICIPATION_TYPES,
    RELATION_TYPES,
    Claim,
    Dataset,
    Document,
    Entity,
    Event,
    Node,
    Relation,
    Source,
)
from timeline.model.text import MIN_SCORE, fold, score_folded
from timeline.stores.base import (
    EventPage,
    Order,
    Path,
    StoreError,
    StoreUnavailable,
    Subgraph,
    TimelineQuery,
    UnknownNode,
)

__all__ = ["BATCH_SIZE", "SCHEMA_DIR", "Neo4jStore"]

T = TypeVar("T")
Props = dict[str, Any]
Rows = list[dict[str, Any]]

#: The numbered ``*.cypher`` migrations (in the repository, next to the launcher).
SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[3] / "graph" / "schema"
#: Rows per UNWIND statement during a load.
BATCH_SIZE = 5000
#: Loads with more rows than this show a progress bar (on a terminal).
PROGRESS_THRESHOLD = 10_000
#: Full-text candidates scored per search on large graphs.
SEARCH_CANDIDATES = 500
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


def _claims_json(claims: Sequence[Claim]) -> str:
    return json.dumps(
        [
            {
                "property": c.property,
                "value": c.value,
                "sources": [[s.document, s.quote] for s in c.sources],
            }
            for c in claims
        ],
        ensure_ascii=False,
    )


def _claims_from(text: str | None) -> tuple[Claim, ...]:
    if not text:
        return ()
    return tuple(
        Claim(c["property"], c["value"], tuple(Source(d, q) for d, q in c["sources"]))
        for c in json.loads(text)
    )


def _encode(record: Node | Relation, seq: int, gen: str) -> Props:
    """Neo4j properties for a record; ``None`` and empty values are left out."""
    props: Props = {"seq": seq, "gen": gen}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if value is None or value == ():
            continue
        if isinstance(value, DateSpan):
            props.update(_span_props(_span_prefix(type(record), field.name), value))
        elif field.name == "sources":
            props["source_docs"] = [s.document for s in value]
            props["source_quotes"] = [s.quote for s in value]
        elif field.name == "claims":
            props["claims"] = _claims_json(value)
        elif isinstance(value, tuple):
            props[field.name] = list(value)
        else:
            props[field.name] = value
    return props


def _encode_entity(entity: Entity, seq: int, gen: str) -> Props:
    props = _encode(entity, seq, gen)
    props["kind"] = entity.kind.value
    props["folded"] = [fold(name) for name in entity.names]
    if isinstance(entity, Event):  # what the timeline's text filter searches, as memory does
        props["search_text"] = fold(" ".join((*entity.names, entity.description or "")))
    return props


def _encode_relation(relation: Relation, seq: int, gen: str) -> Props:
    props = _encode(relation, seq, gen)
    del props["subject"], props["object"]  # the relationship's own endpoints
    return props


R = TypeVar("R", bound="Node | Relation")


def _decode(record_type: type[R], props: Mapping[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(record_type):
        name = field.name
        if name == "sources":
            docs, quotes = props.get("source_docs") or [], props.get("source_quotes") or []
            kwargs[name] = tuple(Source(d, q) for d, q in zip(docs, quotes, strict=True))
        elif name == "claims":
            kwargs[name] = _claims_from(props.get("claims"))
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

#: A relationship as a map with its endpoints' ids, ready for :func:`_relation`.
_REL_MAP = "r {.*, subject: startNode(r).id, object: endNode(r).id}"


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
    """One statement: the total, how many come before the cursor, and the page."""
    params: Props = {"first": max(query.first, 0)}
    conditions: list[str] = []
    if query.involving:
        params["involving"] = list(query.involving)
        # Two MATCH clauses: within one, a relationship is used once, and the walk up from a
        # sub-event may need the very PART_OF that linked it (an event involving itself).
        match = "MATCH (:Entity {id: $involving[0]})--(s:Event) MATCH (s)-[:PART_OF*0..]->(e:Event)"
        conditions.append(
            "all(i IN $involving[1..] WHERE "
            "EXISTS { MATCH (e)<-[:PART_OF*0..]-(s:Event) MATCH (s)--(:Entity {id: i}) })"
        )
        if query.linked_to is not None:
            conditions.append("EXISTS { (e)--(:Entity {id: $linked_to}) }")
    elif query.linked_to is not None:
        match = "MATCH (:Entity {id: $linked_to})--(e:Event)"
    else:
        match = "MATCH (e:Event)"
    if query.linked_to is not None:
        params["linked_to"] = query.linked_to
    conditions += _overlap(params, query.start, query.end)
    if query.categories:
        params["categories"] = list(query.categories)
        conditions.append("e.category IN $categories")
    if query.text:
        params["text"] = fold(query.text)
        conditions.append("e.search_text CONTAINS $text")
    desc = query.order is Order.DESC
    before, after = "false", None  # "before": on the side of the cursor already seen
    if query.after is not None:
        params["after"] = list(query.after)
        after = _beyond("<" if desc else ">")
        before = f"NOT {after}"
    matched = f"{match} WITH DISTINCT e {_where(conditions)}"
    paged = f"{match} WITH DISTINCT e {_where([*conditions, after] if after else conditions)}"
    direction = "DESC" if desc else "ASC"
    cypher = f"""
        CALL () {{
          {matched}
          RETURN count(e) AS total, count(CASE WHEN {before} THEN 1 END) AS before
        }}
        CALL () {{
          {paged}
          WITH e ORDER BY e.start {direction}, e.end {direction}, e.id {direction}
          LIMIT $first
          RETURN collect(e {{.*}}) AS page
        }}
        RETURN total, before, page
    """
    return cypher, params


def _neighbors_cypher(depth: int, rel_types: str) -> str:
    """Breadth-first levels, unrolled ``depth`` times, then the nearest ``$first`` and
    the relations among them."""
    step = f"""
        CALL (frontier, seen) {{
          UNWIND frontier AS f
          MATCH (f)-[r{rel_types}]-(o:Entity)
          WHERE NOT o IN seen
          RETURN collect(DISTINCT o) AS next
        }}
        WITH seen + next AS seen, next AS frontier, levels + [next] AS levels
    """
    return f"""
        MATCH (c:Entity {{id: $id}})
        WITH [c] AS seen, [c] AS frontier, [[c]] AS levels
        {step * depth}
        UNWIND range(0, size(levels) - 1) AS hop
        UNWIND levels[hop] AS n
        WITH n, hop ORDER BY hop, n.id LIMIT $first
        WITH collect(n) AS chosen, collect([hop, n {{.*}}]) AS nodes
        CALL (chosen) {{
          UNWIND chosen AS a
          MATCH (a)-[r{rel_types}]-(b)
          WHERE b IN chosen
          RETURN collect(DISTINCT {_REL_MAP}) AS edges
        }}
        RETURN nodes, edges
    """


def _shortest_path_cypher(max_length: int, rel_types: str) -> str:
    """All shortest paths, the one with the smallest node-id sequence, and every relation
    between each pair of its neighbouring nodes (the smallest key is chosen in Python)."""
    return f"""
        OPTIONAL MATCH (s:Entity {{id: $source}})
        OPTIONAL MATCH (t:Entity {{id: $target}})
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
    WITH coalesce(m.entities, 0) <= $scan_limit AS scan
    CALL (scan) {
      WITH scan WHERE scan
      MATCH (n:Entity)
      RETURN n
      UNION
      WITH scan WHERE NOT scan AND $lucene <> ''
      CALL db.index.fulltext.queryNodes('entity_names', $lucene, {limit: $candidates})
      YIELD node
      RETURN node AS n
    }
    WITH n WHERE $kinds IS NULL OR n.kind IN $kinds
    RETURN n.id AS id, n.folded AS folded
"""

_GET_NODES = """
    UNWIND $entity_ids AS id MATCH (n:Entity {id: id}) RETURN n {.*} AS node
    UNION ALL
    UNWIND $document_ids AS id MATCH (n:Document {id: id}) RETURN n {.*} AS node
"""

_RELATIONS = f"""
    UNWIND $ids AS id
    MATCH (:Entity {{id: id}})-[r]-()
    WHERE $types IS NULL OR type(r) IN $types
    RETURN id, {_REL_MAP} AS rel
"""

_SERIES = """
    UNWIND $ids AS id
    MATCH (e:Event {id: id}) WHERE e.series IS NOT NULL
    WITH DISTINCT e.series AS series
    MATCH (o:Event {series: series})
    RETURN series, collect([o.series_order, o.start, o.end, o.id]) AS members
"""

_STATS = """
    CALL () {
      MATCH (n:Entity)
      RETURN n.kind AS kind, count(*) AS count, sum(size(coalesce(n.source_docs, []))) AS sources
      UNION ALL
      MATCH (:Document) RETURN 'document' AS kind, count(*) AS count, 0 AS sources
      UNION ALL
      MATCH (:Entity)-[r]->(:Entity)
      RETURN 'relation' AS kind, count(r) AS count,
             sum(size(coalesce(r.source_docs, []))) AS sources
    }
    RETURN kind, count, sources
"""

_PARTICIPATION_PATTERN = "|".join(sorted(PARTICIPATION_TYPES))


# --- loading ----------------------------------------------------------------------------------


def _batches(rows: Sequence[Props]) -> Iterator[Sequence[Props]]:
    for i in range(0, len(rows), BATCH_SIZE):
        yield rows[i : i + BATCH_SIZE]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar for large loads on a terminal; otherwise a no-op."""
    if total <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("loading into Neo4j", total=total)
        yield lambda n: progress.advance(task, n)


@dataclasses.dataclass
class _LoadPlan:
    """A dataset as rows, grouped by the label or relationship type each statement writes."""

    gen: str
    version: str
    entity_count: int
    documents: list[Props]
    entities: dict[str, list[Props]]  # label -> rows
    relations: dict[str, list[Props]]  # relationship type -> rows

    @classmethod
    def build(cls, dataset: Dataset) -> _LoadPlan:
        gen = uuid.uuid4().hex
        entities: dict[str, list[Props]] = defaultdict(list)
        for seq, entity in enumerate(dataset.entities.values()):
            entities[entity.kind.value.capitalize()].append(_encode_entity(entity, seq, gen))
        relations: dict[str, list[Props]] = defaultdict(list)
        for seq, rel in enumerate(dataset.relations):
            if rel.type not in RELATION_TYPES:  # types become Cypher text: whitelist only
                raise StoreError(f"unknown relation type {rel.type!r} ({rel.id})")
            row = {
                "subject": rel.subject,
                "object": rel.object,
                "props": _encode_relation(rel, seq, gen),
            }
            relations[rel.type].append(row)
        documents = [
            {**_encode(doc, seq, gen), "kind": doc.kind.value}
            for seq, doc in enumerate(dataset.documents.values())
        ]
        return cls(gen, dataset.version(), len(dataset.entities), documents, entities, relations)

    @property
    def total(self) -> int:
        return (
            len(self.documents)
            + sum(map(len, self.entities.values()))
            + sum(map(len, self.relations.values()))
        )

    def statements(self) -> Iterator[tuple[str, Sequence[Props]]]:
        """(Cypher, rows) for every batch, nodes before the relationships between them."""
        for batch in _batches(self.documents):
            yield (
                (
                    "UNWIND $rows AS row MERGE (n:Document {id: row.id}) SET n = row "
                    "RETURN count(n) AS written"
                ),
                batch,
            )
        for label, rows in self.entities.items():  # labels come from the Kind enum
            for batch in _batches(rows):
                yield (
                    (
                        "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
                        f"SET n = row, n:{label} RETURN count(n) AS written"
                    ),
                    batch,
                )
        for type_, rows in self.relations.items():
            for batch in _batches(rows):
                yield (
                    (
                        "UNWIND $rows AS row "
                        "MATCH (a:Entity {id: row.subject}) MATCH (b:Entity {id: row.object}) "
                        f"MERGE (a)-[r:{type_} {{id: row.props.id}}]->(b) SET r = row.props "
                        "RETURN count(r) AS written"
                    ),
                    batch,
                )


async def _write_plan(tx: AsyncManagedTransaction, plan: _LoadPlan) -> None:
    """The whole load, inside one transaction: any exception rolls all of it back."""
    with _progress(plan.total) as advance:
        for cypher, rows in plan.statements():
            record = await (await tx.run(cypher, rows=rows)).single(strict=True)
            if record["written"] != len(rows):  # MATCH drops a relation whose node is missing
                raise StoreError("a relation names a node the dataset does not have")
            advance(len(rows))
    for stale in (
        "MATCH (:Entity)-[r]->(:Entity) WHERE r.gen IS NULL OR r.gen <> $gen DELETE r",
        "MATCH (n:Entity) WHERE n.gen IS NULL OR n.gen <> $gen DETACH DELETE n",
        "MATCH (n:Document) WHERE n.gen IS NULL OR n.gen <> $gen DETACH DELETE n",
    ):
        await (await tx.run(stale, gen=plan.gen)).consume()
    await (
        await tx.run(
            "MERGE (m:Meta {key: $key}) SET m.version = $version, m.gen = $gen, "
            "m.entities = $entities, m.loaded_at = datetime()",
            key=_META_KEY,
            version=plan.version,
            gen=plan.gen,
            entities=plan.entity_count,
        )
    ).consume()


def _statements(text: str) -> list[str]:
    """The statements of a migration file: ``;``-terminated, ``//`` comment lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _lucene(folded: str) -> str:
    """A Lucene query of each word as a fuzzy and a prefix term (words hold no operators)."""
    words = _WORD.findall(folded)
    return " OR ".join(f"{w}~ OR {w}*" for w in words)


def _series_key(member: Sequence[Any]) -> tuple[int, str, str, str]:
    """``memory.series_key``: series order where given, then time order."""
    order, start, end, event_id = member
    return (order if order is not None else 2**31, start, end, event_id)


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
    retry_seconds: float = 5.0
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
        try:
            async with driver.session(
                database=self._database,
                # Share bookmarks so a read after a load sees it, even on another cluster member.
                bookmark_manager=driver.execute_query_bookmark_manager,
            ) as session:
                if write:
                    return await session.execute_write(work)
                return await session.execute_read(work)
        except (Neo4jError, DriverError) as exc:
            raise self._failure(exc) from exc

    async def _rows(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> Rows:
        """One statement in its own managed transaction: its records as dicts."""

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
                async with driver.session(database=self._database) as session:
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
                await self._rows(statement, write=True)  # schema changes: one per transaction
                applied.append(statement)
            await self._rows(
                "MERGE (m:Migration {name: $name}) SET m.applied_at = datetime()",
                {"name": path.name},
                write=True,
            )
        if applied:  # new indexes populate in the background: be ready before returning
            await self._rows("CALL db.awaitIndexes(300)")
        return applied

    async def data_version(self) -> str:
        rows = await self._rows(
            "MATCH (m:Meta {key: $key}) RETURN m.version AS version", {"key": _META_KEY}
        )
        return str(rows[0]["version"]) if rows else Dataset().version()

    async def load(self, dataset: Dataset) -> None:
        await self.migrate()
        plan = _LoadPlan.build(dataset)
        await self._transact(lambda tx: _write_plan(tx, plan), write=True)

    async def dump(self) -> Dataset:
        async def work(tx: AsyncManagedTransaction) -> tuple[Rows, Rows, Rows]:
            async def rows(cypher: str) -> Rows:
                return await (await tx.run(cypher)).data()

            return (
                await rows("MATCH (n:Document) RETURN n {.*} AS props ORDER BY n.seq"),
                await rows("MATCH (n:Entity) RETURN n {.*} AS props ORDER BY n.seq"),
                await rows(
                    f"MATCH (:Entity)-[r]->(:Entity) RETURN {_REL_MAP} AS props ORDER BY r.seq"
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
        by_node: dict[str, dict[str, Relation]] = {i: {} for i in ids}
        if ids:
            params = {"ids": list(dict.fromkeys(ids)), "types": _types_param(types)}
            for row in await self._rows(_RELATIONS, params):
                rel = _relation(row["rel"])
                by_node[row["id"]][rel.id] = rel  # a self-loop is met twice
        return {i: sorted(rels.values(), key=lambda r: r.key) for i, rels in by_node.items()}

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
        )

    # --- search ------------------------------------------------------------------------------

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[tuple[Entity, float]]:
        query = fold(text)
        if first <= 0:
            return []
        params = {
            "meta": _META_KEY,
            "scan_limit": self.scan_limit,
            "lucene": _lucene(query),
            "candidates": SEARCH_CANDIDATES,
            "kinds": sorted(k.value for k in kinds) if kinds else None,
        }
        hits: list[tuple[float, str]] = []
        for row in await self._rows(_SEARCH, params):
            score = max((score_folded(query, name) for name in row["folded"] or ()), default=0.0)
            if score >= MIN_SCORE:
                hits.append((score, row["id"]))
        best = heapq.nsmallest(first, hits, key=lambda hit: (-hit[0], hit[1]))
        nodes = await self.get_nodes([i for _, i in best]) if best else {}
        return [(entity, score) for score, i in best if isinstance(entity := nodes.get(i), Entity)]

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
        rows = await self._rows(cypher, {"id": node_id, "first": first})
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
            "MATCH (:Entity {id: $first})--(e:Event) WITH DISTINCT e "
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
            f"MATCH (p:Entity)-[:{_PARTICIPATION_PATTERN}]->(e:Event) "
            f"{_where(_overlap(params, start, end))} "
            "RETURN DISTINCT e.id AS event, p.id AS participant"
        )
        return sorted(
            (row["event"], row["participant"]) for row in await self._rows(cypher, params)
        )

    async def edge_list(self) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            "MATCH (a:Entity)-[r]->(b:Entity) "
            "RETURN a.id AS s, b.id AS o, r.type AS t ORDER BY r.seq"
        )
        return [(row["s"], row["o"], row["t"]) for row in rows]
