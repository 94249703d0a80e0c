"""The store: :class:`Neo4jStore`, on the codec, statements, loader and writes beside it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, Sequence
from importlib.resources.abc import Traversable
from typing import Any

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncResult,
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

from timeline.model.changes import ChangeSet, next_version
from timeline.model.ids import Kind
from timeline.model.proposals import ProposalSet
from timeline.model.records import (
    Dataset,
    Document,
    Entity,
    Event,
    Node,
    Relation,
    longest_span,
    series_key,
    unknown_relation_type,
)
from timeline.model.search import (
    context_words,
    entity_fields,
    matches_every_word,
    parse_query,
    position_text,
    rank_key,
    score_entity,
)
from timeline.stores import consistency
from timeline.stores.base import (
    AuditPage,
    EventPage,
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
from timeline.stores.neo4j import load as bulk
from timeline.stores.neo4j.codec import (
    META_KEY,
    Props,
    Rows,
    context_text,
    entity_from_props,
    entity_props,
    event_from_props,
    node_from_props,
    record_from_props,
    record_props,
    relation_from_props,
    relation_props,
)
from timeline.stores.neo4j.cypher import (
    CONTEXT_IDS,
    CONTEXT_OF,
    ENTITY,
    GEN,
    GET_NODES,
    PARTICIPATION_PATTERN,
    REL_MAP,
    RELATIONS,
    SEARCH,
    SERIES,
    SET_CONTEXT,
    STATS,
    links,
    lucene,
    neighbors_cypher,
    one_record,
    overlap,
    reasons,
    relations_by_node,
    shortest_path_cypher,
    strict_lucene,
    timeline_cypher,
    type_pattern,
    types_param,
    where,
)
from timeline.stores.neo4j.load import (
    DROP_GENERATION,
    FLIP,
    LOAD_TIMEOUT,
    START_LOAD,
    Batch,
    LoadPlan,
    T,
    digest_in_background,
    done,
    progress,
)
from timeline.stores.neo4j.migrations import MIGRATIONS, migrations, statements
from timeline.stores.neo4j.writes import (
    AROUND_CONTEXT,
    AUDIT_KEY,
    OWN_CONTEXT,
    WRITE_DOCUMENTS,
    WRITE_END,
    WRITE_OLD_SEQ,
    WRITE_REMOVE,
    WRITE_SEQ_BASE,
    WRITE_SEQ_ROOM,
    WRITE_START,
    WRITE_TEXTS,
    audit_in,
)

#: Full-text candidates scored per search on large graphs.
SEARCH_CANDIDATES = 100
#: After a large load: resample every index, wait for it (up to ``$seconds``), then clear
#: the plan cache (``Neo4jStore.replan``).
REPLAN = "CALL db.prepareForReplanning($seconds)"
REPLAN_TIMEOUT = 600
#: The first pause before a read is retried (then doubled, within ``retry_seconds``).
READ_RETRY_PAUSE = 0.05

logger = logging.getLogger("timeline.neo4j")


async def _records(result: AsyncResult) -> Rows:
    """A statement's records as dicts. Every statement returns maps, lists and values (map
    projections, never a node, relationship or path), so the records are zipped with their
    keys as they are: ``Result.data()`` would walk every value to convert graph types (a
    third of a search's driver time, for nothing)."""
    keys = result.keys()
    return [dict(zip(keys, record, strict=True)) async for record in result]


# --- the store --------------------------------------------------------------------------------


async def _index_context(
    tx: AsyncManagedTransaction, own: Collection[str], gen: str, around: Collection[str] = ()
) -> int:
    """Set ``context_words`` (what search finds an entity by through its venues and
    positions) on ``own`` and ``around``, and on the entities whose context those in
    ``around`` are part of; returns how many were set."""
    if not own and not around:
        return 0
    params = {"own": sorted(own), "around": sorted(around), "gen": gen}
    rows = await (await tx.run(CONTEXT_OF, params)).data()
    words = [
        {
            "id": row["id"],
            "words": context_text(
                row["venues"], [position_text(title, name) for title, name in row["positions"]]
            ),
        }
        for row in rows
    ]
    await (await tx.run(SET_CONTEXT, rows=words, gen=gen)).consume()
    return len(words)


class Neo4jStore:
    """A store on a Neo4j 5 database; see the module docstring for the model.

    Creating one does not connect; the first call does (and each later call reconnects if
    needed). ``uri`` may be ``bolt://``, ``neo4j://`` (routing, for clusters) or their
    ``+s`` TLS forms (Aura).
    """

    name = "neo4j"
    #: Where the ``*.cypher`` migrations are read from.
    schema_dir: Traversable = MIGRATIONS
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

    def _session_options(self, driver: AsyncDriver) -> dict[str, Any]:
        after = consistency.read_after.get()
        return {
            "database": self._database,
            # Share bookmarks so a read after a load sees it, even on another cluster member.
            "bookmark_manager": driver.execute_query_bookmark_manager,
            # And those a client carried from a write through another replica.
            "bookmarks": Bookmarks.from_raw_values(after) if after else None,
        }

    async def _transact(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]], *, write: bool = False
    ) -> T:
        """Run ``work`` in a managed transaction (the driver retries transient failures)."""
        driver = self._get_driver()
        try:
            async with driver.session(**self._session_options(driver)) as session:
                if write:
                    answer = await session.execute_write(work)
                    done = await session.last_bookmarks()
                    consistency.note_written(tuple(sorted(done.raw_values)))
                    return answer
                return await session.execute_read(work)
        except (Neo4jError, DriverError) as exc:
            raise self._failure(exc) from exc

    async def _read(self, cypher: str, params: dict[str, Any], tx_timeout: float | None) -> Rows:
        """One read statement as an auto-commit query: one round trip, where a managed
        transaction of one statement takes two (BEGIN with RUN and PULL, then COMMIT: about
        1 ms each on this machine). A read changes nothing, so it is retried as the driver
        retries managed transactions: on the failures it calls retryable (a pooled
        connection the server closed, a cluster member gone, a transient error), with a
        doubling pause, for up to :attr:`retry_seconds`."""
        driver = self._get_driver()
        query = Query(cypher, timeout=tx_timeout)
        give_up = asyncio.get_running_loop().time() + self.retry_seconds
        pause = READ_RETRY_PAUSE
        while True:
            try:
                async with driver.session(
                    default_access_mode=READ_ACCESS, **self._session_options(driver)
                ) as session:
                    return await _records(await session.run(query, params))
            except (Neo4jError, DriverError) as exc:
                if not exc.is_retryable() or asyncio.get_running_loop().time() + pause > give_up:
                    raise self._failure(exc) from exc
            await asyncio.sleep(pause)
            pause *= 2

    async def _rows(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        tx_timeout: float | None = None,
    ) -> Rows:
        """One statement: its records as dicts; a write in its own managed transaction, a
        read as an auto-commit query (:meth:`_read`). ``tx_timeout`` replaces the server's
        transaction deadline (for administrative statements)."""
        if not write:
            return await self._read(cypher, dict(params or {}), tx_timeout)

        @unit_of_work(timeout=tx_timeout)
        async def work(tx: AsyncManagedTransaction) -> Rows:
            return await _records(await tx.run(cypher, dict(params or {})))

        return await self._transact(work, write=True)

    async def _table(self, cypher: str, params: Mapping[str, Any], columns: Sequence[str]) -> Rows:
        """A read of many rows, sent back as one record (:func:`one_record`): its rows as
        dicts of ``columns``, in the statement's order. The driver's cost is per record (a
        hundred small records take about five times the CPU of one record holding them),
        so the hot reads of many rows use this; the analytics reads of a whole graph do
        not (one record of millions of rows would be held whole in the server's memory)."""
        (row,) = await self._rows(one_record(cypher, columns), params)
        return [dict(zip(columns, values, strict=True)) for values in row["rows"]]

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
        files = migrations(self.schema_dir)
        if not files:  # e.g. a broken install: fail, never skip the schema
            raise StoreError(f"no schema migrations (*.cypher) in {self.schema_dir}")
        await self.ping()  # a down server fails here at once, not after the retry window
        done = {
            row["name"] for row in await self._rows("MATCH (m:Migration) RETURN m.name AS name")
        }
        applied: list[str] = []
        for path in files:
            if path.name in done:
                continue
            for statement in statements(path.read_text(encoding="utf-8")):
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

    async def index_context(self, batch: int = 5_000) -> int:
        """Give a graph loaded before search indexed venues and positions its
        ``context_words`` (every event and person, ``batch`` at a time), then mark it
        (``Meta.search_context``) so that search asks Lucene for every word; returns how
        many entities were set (0 when the graph already has them, at the cost of one small
        read). A write meanwhile sets its own entities' context as always."""
        rows = await self._rows(
            "MATCH (m:Meta {key: $key}) WHERE NOT coalesce(m.search_context, false) "
            "RETURN m.gen AS gen",
            {"key": META_KEY},
        )
        if not rows:
            return 0
        gen, after, done = str(rows[0]["gen"]), "", 0
        while True:
            ids = [
                str(r["id"])
                for r in await self._rows(CONTEXT_IDS, {"gen": gen, "after": after, "batch": batch})
            ]
            if not ids:
                break

            @unit_of_work(timeout=LOAD_TIMEOUT)
            async def work(tx: AsyncManagedTransaction, ids: list[str] = ids) -> int:
                return await _index_context(tx, ids, gen)

            done += await self._transact(work, write=True)
            after = ids[-1]
        await self._rows(
            "MATCH (m:Meta {key: $key, gen: $gen}) SET m.search_context = true",
            {"key": META_KEY, "gen": gen},
            write=True,
        )
        if done:
            logger.info("search context indexed for %d entities of generation %s", done, gen)
        return done

    async def data_version(self) -> str:
        rows = await self._rows(
            "MATCH (m:Meta {key: $key}) RETURN m.version AS version", {"key": META_KEY}
        )
        return str(rows[0]["version"]) if rows else Dataset().version()

    async def load(self, dataset: Dataset) -> None:
        """Replace the graph with ``dataset``, all or nothing (see "Loading" above)."""
        await self.migrate()
        gen = uuid.uuid4().hex
        large = len(dataset.entities) + len(dataset.documents) + len(dataset.relations) > (
            bulk.SINGLE_TRANSACTION_ROWS
        )
        plan = LoadPlan(dataset, gen, bulk.LARGE_BATCH_SIZE if large else bulk.BATCH_SIZE)
        version = digest_in_background(dataset) if large else done(dataset.version())
        try:
            await self._drop_generations(keep=await self._current_gen())  # crashed loads
            if large:
                await self._load_batched(plan, version)
            else:
                await self._load_in_one_transaction(plan, version)
        finally:
            version.cancel()  # a failed load does not wait for the digest
        await self._drop_generations(keep=gen)
        if plan.total >= bulk.REPLAN_ROWS:
            await self.replan()

    async def replan(self) -> None:
        """Resample every index, wait for it, then clear the plan cache
        (``db.prepareForReplanning``), so the next statements are planned on the graph as
        loaded. Without it, plans compiled while a load was under way, or on the statistics
        of the graph it replaced, can stay cached: measured on a fresh database after a
        10k-event load, a lookup by id scanned the whole ``(id, gen)`` index (13,050 rows)
        and a timeline page read 3.7 million index entries; a W1 page took 681 ms, 23 ms
        after replanning. A large load ends with it (the benchmarks call it too, before
        measuring a graph already loaded); the data is current by then, so a server
        refusing the procedure is logged, not raised."""
        began = asyncio.get_running_loop().time()
        try:
            await self._auto_commit(REPLAN, seconds=REPLAN_TIMEOUT)
        except StoreError as exc:
            logger.warning("the load is done, but Neo4j did not replan: %s", exc)
            return
        seconds = asyncio.get_running_loop().time() - began
        logger.info("indexes resampled and plans cleared after the load (%.1f s)", seconds)

    async def _current_gen(self) -> str | None:
        rows = await self._rows("MATCH (m:Meta {key: $key}) RETURN m.gen AS gen", {"key": META_KEY})
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
            {"key": META_KEY},
            tx_timeout=LOAD_TIMEOUT,  # reads every node's gen: long on a large graph
        )
        for gen in sorted({row["gen"] for row in rows if row["gen"] is not None} - {keep}):
            await self._drop_generation(gen)

    async def _drop_generation(self, gen: str) -> None:
        # auto-commit: CALL IN TRANSACTIONS needs it
        await self._auto_commit(*DROP_GENERATION, gen=gen)

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

    async def _flip(self, tx: AsyncManagedTransaction, plan: LoadPlan, version: str) -> None:
        entities = plan.dataset.entities
        params = {
            "gen": plan.gen,
            "key": META_KEY,
            "version": version,
            "entities": len(entities),
            "max_span": longest_span(entities.values()),
        }
        await (await tx.run(FLIP, params)).consume()

    async def _load_in_one_transaction(self, plan: LoadPlan, version: asyncio.Future[str]) -> None:
        """A small dataset: everything, and the flip, in one transaction."""

        @unit_of_work(timeout=LOAD_TIMEOUT)
        async def work(tx: AsyncManagedTransaction) -> None:
            await (await tx.run(START_LOAD, gen=plan.gen)).consume()
            with progress(plan.total) as advance:
                for cypher, rows in plan.batches():
                    plan.written(rows, await bulk.write_batch(tx, cypher, rows))
                    advance(len(rows))
            await self._flip(tx, plan, await version)

        await self._transact(work, write=True)

    async def _load_batched(self, plan: LoadPlan, version: asyncio.Future[str]) -> None:
        """A large dataset: the new generation in many transactions (``WRITERS`` at a time),
        invisible to readers until one small transaction repoints ``Meta``. On failure the
        half-written generation is deleted and the old one never stopped answering."""
        driver = self._get_driver()
        await self._rows(START_LOAD, {"gen": plan.gen}, write=True)

        async def writer(batches: Iterator[Batch], advance: Callable[[int], None]) -> None:
            async with driver.session(database=self._database) as session:
                for cypher, rows in batches:  # shared: each writer takes the next batch
                    plan.written(rows, await session.execute_write(bulk.write_batch, cypher, rows))
                    advance(len(rows))

        try:
            with progress(plan.total) as advance:
                for phase in (plan.node_batches(), plan.relation_batches()):  # nodes first
                    async with asyncio.TaskGroup() as group:
                        for _ in range(bulk.WRITERS):
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
        if problem := unknown_relation_type(changes.relations):
            raise StoreError(problem)
        await self.migrate()
        added_ids = {rel.id for rel in changes.relations}
        removed = sorted(set(changes.remove_relations) - added_ids)

        async def work(tx: AsyncManagedTransaction) -> None:
            start = await (
                await tx.run(
                    WRITE_START, key=META_KEY, gen=uuid.uuid4().hex, empty=Dataset().version()
                )
            ).single(strict=True)
            gen, version = str(start["gen"]), str(start["version"])
            changes.require_base(version)
            base = WRITE_SEQ_BASE + int(start["writes"]) * WRITE_SEQ_ROOM
            ids = changes.node_ids
            olds = await (await tx.run(WRITE_OLD_SEQ, ids=ids, gen=gen)).data()
            old = {row["id"]: row["seq"] for row in olds}
            old_names = {row["id"]: row["name"] for row in olds}
            seqs = {node_id: old.get(node_id, base + i) for i, node_id in enumerate(ids)}
            if changes.documents:
                rows = [
                    {**record_props(doc, seqs[doc.id], gen), "kind": doc.kind.value}
                    for doc in changes.documents
                ]
                answer = await bulk.write_batch(tx, WRITE_DOCUMENTS, rows)
                if answer != len(rows):
                    raise StoreError(f"Neo4j wrote {answer} of {len(rows)} documents")
            by_label: dict[str, list[Props]] = defaultdict(list)
            for entity in changes.entities:
                label = entity.kind.value.capitalize()  # from the Kind enum
                by_label[label].append(entity_props(entity, seqs[entity.id], gen))
            for label, rows in by_label.items():
                cypher = (
                    "UNWIND $rows AS row MERGE (n:Entity {id: row.id, gen: row.gen}) "
                    f"ON CREATE SET n:{label} SET n = row RETURN count(n)"
                )
                answer = await bulk.write_batch(tx, cypher, rows)
                if answer != len(rows):
                    raise StoreError(f"Neo4j wrote {answer} of {len(rows)} entities")
            # whose venues or positions this write may change, set again at the end: each
            # written entity (``SET n = row`` cleared its own), and what is around one it
            # renamed; the subjects of the context relations it adds or removes
            own = {e.id for e in changes.entities}
            around = {e.id for e in changes.entities if old_names.get(e.id, e.name) != e.name}
            ends = [(rel.type, rel.subject) for rel in changes.relations]
            if removed:
                rows = await (await tx.run(WRITE_REMOVE, ids=removed, gen=gen)).data()
                ends += [(row["type"], row["subject"]) for row in rows]
            own |= {subject for type_, subject in ends if type_ in OWN_CONTEXT}
            around |= {subject for type_, subject in ends if type_ in AROUND_CONTEXT}
            by_type: dict[str, list[Props]] = defaultdict(list)
            for i, rel in enumerate(changes.relations):
                props = relation_props(rel, base + i)
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
            await _index_context(tx, own, gen, around)
            created = sum(1 for e in changes.entities if e.id not in old)
            span = longest_span(changes.entities)
            params = {
                "key": META_KEY,
                "version": next_version(version, changes),
                "created": created,
                "span": span,
            }
            await (await tx.run(WRITE_END, params)).consume()
            if record is not None:
                if record.texts:
                    rows = [{"id": k, "text": v} for k, v in record.texts.items()]
                    await (
                        await tx.run(WRITE_TEXTS, rows=rows, version=params["version"])
                    ).consume()
                await audit_in(tx, record.audit)

        await self._transact(work, write=True)

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await audit_in(tx, entry)

        await self._transact(work, write=True)

    async def audit_page(self, first: int, before: int | None = None) -> AuditPage:
        rows = await self._rows(
            "OPTIONAL MATCH (m:AuditCounter {key: $key}) RETURN coalesce(m.count, 0) AS total",
            {"key": AUDIT_KEY},
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
                    f"{GEN} MATCH (n:Document) WHERE n.gen = gen "
                    "RETURN n {.*} AS props ORDER BY n.seq"
                ),
                await rows(
                    f"{GEN} MATCH (n:Entity) WHERE n.gen = gen "
                    "RETURN n {.*} AS props ORDER BY n.seq"
                ),
                await rows(
                    f"{GEN} MATCH (a:Entity)-[r]->(:Entity) WHERE a.gen = gen "
                    f"RETURN {REL_MAP} AS props ORDER BY r.seq"
                ),
            )

        documents, entities, relations = await self._transact(work)
        return Dataset(
            documents={
                d.id: d for d in (record_from_props(Document, row["props"]) for row in documents)
            },
            entities={e.id: e for e in (entity_from_props(row["props"]) for row in entities)},
            relations=[relation_from_props(row["props"]) for row in relations],
        )

    async def stats(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in Kind}
        counts["relation"] = counts["source"] = 0
        for row in await self._rows(STATS):
            counts[row["kind"]] += row["count"]
            counts["source"] += row["sources"]
        return counts

    # --- lookups -----------------------------------------------------------------------------

    async def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        if not ids:
            return {}
        documents = [i for i in ids if i.startswith(f"{Kind.DOCUMENT.value}:")]
        entities = [i for i in ids if not i.startswith(f"{Kind.DOCUMENT.value}:")]
        params = {"entity_ids": entities, "document_ids": documents}
        rows = await self._table(GET_NODES, params, ("node",))
        found = {row["node"]["id"]: node_from_props(row["node"]) for row in rows}
        return {i: found[i] for i in ids if i in found}

    async def relations(
        self, ids: Sequence[str], types: Collection[str] | None = None
    ) -> dict[str, list[Relation]]:
        rows: Rows = []
        if ids:
            params = {"ids": list(dict.fromkeys(ids)), "types": types_param(types)}
            rows = await self._table(RELATIONS, params, ("id", "rel"))
        return relations_by_node(ids, ((row["id"], row["rel"]) for row in rows))

    async def series_neighbors(
        self, ids: Sequence[str]
    ) -> dict[str, tuple[str | None, str | None]]:
        found: dict[str, tuple[str | None, str | None]] = {}
        if ids:
            for row in await self._table(SERIES, {"ids": list(ids)}, ("members",)):
                members = [m[3] for m in sorted(row["members"], key=lambda m: series_key(*m))]
                for i, event_id in enumerate(members):
                    found[event_id] = (
                        members[i - 1] if i else None,
                        members[i + 1] if i + 1 < len(members) else None,
                    )
        return {i: found.get(i, (None, None)) for i in ids}

    # --- timeline ----------------------------------------------------------------------------

    async def timeline(self, query: TimelineQuery) -> EventPage:
        cypher, params = timeline_cypher(query)
        (row,) = await self._rows(cypher, params)
        events = sorted(
            (event_from_props(props) for props in row["page"]),
            key=lambda e: e.sort_key,
            reverse=query.order is Order.DESC,
        )
        total, before = int(row["total"]), int(row["before"])
        return EventPage(
            events=events,
            total=total,
            has_next=before + max(query.first, 0) < total,
            has_previous=before > 0,
            links=links(row) if query.with_links else None,
            reasons=reasons(row, query.involving) if query.explain and query.involving else None,
        )

    # --- search ------------------------------------------------------------------------------

    async def search(
        self, text: str, kinds: Collection[Kind] | None = None, first: int = 10
    ) -> list[SearchResult]:
        query = parse_query(text)
        if first <= 0 or not query.words:
            return []
        params = {
            "meta": META_KEY,
            "scan_limit": self.scan_limit,
            "lucene": lucene(query),
            "strict": strict_lucene(query),
            "candidates": max(SEARCH_CANDIDATES, 5 * first),
            "kinds": sorted(k.value for k in kinds) if kinds else None,
        }
        hits = []
        columns = ("node", "words", "degree", "venues", "positions")
        for row in await self._table(SEARCH, params, columns):
            places = sorted(row["venues"])
            held = sorted({position_text(title, name) for title, name in row["positions"]})
            # Most of Lucene's candidates match only some of the words (it is asked for
            # any of them): dropped from their words, before their records are built.
            if row["words"] is not None and not matches_every_word(
                query, context_words(places, held).union(row["words"].split())
            ):
                continue
            entity = entity_from_props(row["node"])
            fields = entity_fields(entity, places, held)
            scored = score_entity(query, fields, explain=False)
            if scored is not None:
                hits.append((rank_key(scored.score, int(row["degree"]), entity), entity, fields))
        best = heapq.nsmallest(first, hits, key=lambda hit: hit[0])
        results = []
        for _, entity, fields in best:  # the winners, explained
            if (scored := score_entity(query, fields)) is not None:
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
        rel_types = type_pattern(types)
        # Only unknown types: nothing is adjacent, so the centre alone (depth 0) answers.
        depth = max(int(depth), 0) if rel_types is not None else 0
        cypher = neighbors_cypher(depth, rel_types or "")
        rows = await self._rows(cypher, {"id": node_id, "first": first, "window": 2 * first})
        if not rows or not rows[0]["nodes"]:  # the centre is always first when it exists
            raise UnknownNode(node_id)
        nodes = sorted(
            ((hop, entity_from_props(props)) for hop, props in rows[0]["nodes"]),
            key=lambda h: (h[0], h[1].id),
        )
        edges = (
            {}
            if rel_types is None
            else {rel.id: rel for rel in map(relation_from_props, rows[0]["edges"])}
        )
        return Subgraph(
            nodes=[entity for _, entity in nodes],
            edges=sorted(edges.values(), key=lambda r: r.key),
        )

    async def shortest_path(
        self, source: str, target: str, max_length: int = 6, types: Collection[str] | None = None
    ) -> Path | None:
        rel_types = type_pattern(types)
        if source == target or rel_types is None or max_length < 1:
            found = await self._require(source, target)
            return Path(nodes=[found[source]]) if source == target else None
        rows = await self._rows(
            shortest_path_cypher(int(max_length), rel_types), {"source": source, "target": target}
        )
        row = rows[0]
        for node_id, present in ((source, row["has_source"]), (target, row["has_target"])):
            if not present:
                raise UnknownNode(node_id)
        if not row["nodes"]:
            return None
        choices: dict[int, list[Relation]] = defaultdict(list)
        for i, props in row["steps"]:
            choices[i].append(relation_from_props(props))
        return Path(
            nodes=[entity_from_props(props) for props in row["nodes"]],
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
            *overlap(params, start, end),
        ]
        cypher = (
            f"{GEN} MATCH (:Entity {{id: $first, gen: gen}})--(e:Event) WITH DISTINCT e "
            f"{where(conditions)} RETURN e {{{ENTITY}}} AS event"
        )
        rows = await self._table(cypher, params, ("event",))
        return sorted((event_from_props(row["event"]) for row in rows), key=lambda e: e.sort_key)

    # --- analytics inputs --------------------------------------------------------------------

    async def participations(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[str, str]]:
        params: Props = {}
        cypher = (
            f"{GEN} MATCH (p:Entity)-[:{PARTICIPATION_PATTERN}]->(e:Event) "
            f"{where(['e.gen = gen', *overlap(params, start, end)])} "
            "RETURN DISTINCT e.id AS event, p.id AS participant"
        )
        return sorted(
            (row["event"], row["participant"]) for row in await self._rows(cypher, params)
        )

    async def edge_list(self) -> list[tuple[str, str, str]]:
        rows = await self._rows(
            f"{GEN} MATCH (a:Entity)-[r]->(b:Entity) WHERE a.gen = gen "
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
