"""Bulk loads: a new generation written beside the current one, then one flip."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction, unit_of_work
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, ProgressColumn, Task
from rich.text import Text

from timeline.model.records import STATED, Dataset, Entity, Relation, unknown_relation_type
from timeline.model.search import positions_of, venues_of
from timeline.stores.base import StoreError
from timeline.stores.neo4j.codec import context_text, entity_props, record_props, relation_props

T = TypeVar("T")

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
#: Loads of at least this many rows end with the indexes resampled and the plan cache
#: cleared (``Neo4jStore.replan``): below it any plan answers in a millisecond, and the
#: many small loads of the tests need not replan every statement.
REPLAN_ROWS = 10_000


# --- loading ----------------------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    """Rows per second, for the load's progress bar."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


@contextmanager
def progress(total: int, label: str = "loading into Neo4j") -> Iterator[Callable[[int], None]]:
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


class LoadPlan:
    """A dataset as UNWIND batches: documents and entities (CREATE, one statement per label,
    answering each new node's element id), then relationships (one statement per type,
    both ends found by element id: far cheaper for Neo4j than two index seeks a row).
    Rows are built lazily, batch by batch, so a large load never holds them all."""

    def __init__(self, dataset: Dataset, gen: str, batch_size: int) -> None:
        self.dataset, self.gen, self.batch_size = dataset, gen, batch_size
        self.by_type: dict[str, list[int]] = defaultdict(list)  # type -> relation positions
        for seq, rel in enumerate(dataset.relations):
            self.by_type[rel.type].append(seq)
        firsts = (dataset.relations[positions[0]] for positions in self.by_type.values())
        if problem := unknown_relation_type(firsts):  # one relation of each type
            raise StoreError(problem)
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
            {**record_props(doc, seq, gen), "kind": doc.kind.value}
            for seq, doc in enumerate(self.dataset.documents.values())
        )
        for rows in _chunks(documents, size):
            yield "UNWIND $rows AS row CREATE (n:Document) SET n = row RETURN count(n)", rows
        by_label: dict[str, list[tuple[int, Entity]]] = defaultdict(list)
        for seq, entity in enumerate(self.dataset.entities.values()):
            by_label[entity.kind.value.capitalize()].append((seq, entity))
        by_node: dict[str, list[Relation]] = defaultdict(list)
        for rel in self.dataset.relations:
            by_node[rel.subject].append(rel)
            by_node[rel.object].append(rel)

        def context(entity: Entity) -> str:
            dataset, i = self.dataset, entity.id
            return context_text(venues_of(dataset, by_node, i), positions_of(dataset, by_node, i))

        for label, members in by_label.items():  # labels come from the Kind enum
            cypher = (
                f"UNWIND $rows AS row CREATE (n:Entity:{label}) SET n = row "
                "RETURN collect([row.id, elementId(n)])"
            )
            entities = (entity_props(entity, seq, gen, context(entity)) for seq, entity in members)
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
                        dated.append([subject, object_, relation_props(rel, seq)])
                if rows:
                    rows.sort()  # neighbouring rows share a start node: fewer page and lock hops
                    yield flat, rows
            for rows in _chunks(iter(dated), size):
                yield mapped, rows

    def batches(self) -> Iterator[Batch]:
        yield from self.node_batches()
        yield from self.relation_batches()


@unit_of_work(timeout=LOAD_TIMEOUT)
async def write_batch(tx: AsyncManagedTransaction, cypher: str, rows: list[Any]) -> Any:
    """One UNWIND statement; its one answer (a count or a list of element ids)."""
    record = await (await tx.run(cypher, rows=rows)).single(strict=True)
    return record[0]


def done(value: T) -> asyncio.Future[T]:
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


def digest_in_background(dataset: Dataset) -> asyncio.Future[str]:
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


START_LOAD = "CREATE (:Load {gen: $gen, started_at: datetime()})"
FLIP = """
    MATCH (l:Load {gen: $gen}) SET l.finished_at = datetime()
    MERGE (m:Meta {key: $key})
    SET m.version = $version, m.gen = $gen, m.entities = $entities, m.max_span = $max_span,
        m.loaded_at = datetime(), m.search_context = true
"""
#: Deletes one generation, many transactions (auto-commit only): hubs' relationships first,
#: in bounded chunks, so that no transaction holds a hub's whole neighbourhood.
DROP_GENERATION = (
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
