"""The memory store made durable: every acknowledged write is in a journal on disk.

:class:`JournaledStore` is the memory store over a base graph (the seeds) and a journal:
one JSON object per line, appended, never rewritten, next to the seeds by default
(``<seeds>/.journal.jsonl``; setting ``journal``). A line holds one curation write — its
change (records as :mod:`timeline.stores.codec` writes them), the data version before and
after, the write's audit entry and the full texts of the documents it adds — or an audit
entry alone (a write the store refused), or a proposal set that ingest or a review saved
(the latest line of a set wins).

The guarantees (docs/operations.md, "Durable writes"):

- **Durable**: a write is appended and ``fsync``-ed before :meth:`apply` returns, so a
  write that was answered survives ``kill -9`` and a power cut; on start the journal is
  replayed over the seeds.
- **Shared by every worker**: each worker follows the journal before it answers (every
  store call first compares the journal's size with what it has read: one ``stat``), and
  a write takes an exclusive ``flock`` on the journal, reads what other workers appended,
  checks its ``base_version`` against that (``ChangeConflict`` otherwise, which curation
  answers by validating again) and appends. So all the workers of a server (or several
  servers on one disk) see every write, in one order, with the same data versions.
- **A torn last line is not fatal**: a crash in the middle of an append leaves a last line
  without its newline. That write was never answered. It is ignored (and logged) when
  reading; the next append first ends it with a newline, after which it is a line that
  is not JSON, skipped with a warning, as is any other unreadable line: no earlier write
  is lost and the server starts.

Replaying costs one index build for the whole journal (the changes are applied to the
dataset first, in order); following another worker's write costs one index build.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import json
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from timeline.model.changes import ChangeSet, InvalidChange, apply_to, next_version
from timeline.model.proposals import ProposalSet
from timeline.model.records import Dataset
from timeline.stores.base import (
    StoreError,
    StoreUnavailable,
    WriteRecord,
)
from timeline.stores.codec import decode_changes, encode_changes
from timeline.stores.memory import MemoryStore

__all__ = ["JournaledStore"]

logger = logging.getLogger("timeline.journal")

FORMAT = 1


class JournaledStore(MemoryStore):
    """A memory store whose writes are appended to ``path`` and replayed from it.

    Create it with the base graph, then :meth:`open` it (replays the journal).
    """

    def __init__(self, path: str | os.PathLike[str], dataset: Dataset | None = None) -> None:
        super().__init__(dataset)
        self.path = FilePath(path)
        self._base = dataset or Dataset()
        self._offset = 0  # bytes of the journal read so far (whole lines only)
        self._lines = 0  # lines read so far (for messages)
        self._writes = 0  # writes replayed
        self._follow_lock = threading.Lock()
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        """Replay the journal over the base graph (creating the journal's folder)."""
        await asyncio.to_thread(self._open)

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
        except OSError as exc:
            logger.error(
                "journal %s cannot be written (%s): curation writes will be refused; set "
                "TIMELINE_JOURNAL to a writable file (or TIMELINE_JOURNAL_ENABLED=false)",
                self.path,
                exc,
            )
        with self._follow_lock:
            self._offset = self._lines = self._writes = 0
            self.graph._audit, self.graph._texts = [], {}
            self.graph.restore(self._base, self._base.version())
            self._follow_locked(opening=True)
        logger.info(
            "journal %s: %d write(s) replayed, data version %s",
            self.path,
            self._writes,
            self.graph._index.version,
        )

    async def load(self, dataset: Dataset) -> None:
        """A new base graph; the journal's writes are replayed on top of it."""
        self._base = dataset
        await self.open()

    # --- following ------------------------------------------------------------------------

    def _behind(self) -> bool:
        try:
            return os.stat(self.path).st_size > self._offset
        except (FileNotFoundError, NotADirectoryError):
            return False

    async def _ready(self) -> None:
        """Every read follows the journal first, so writes through other workers are seen."""
        if self._behind():
            await asyncio.to_thread(self._follow)

    def _follow(self) -> None:
        with self._follow_lock:
            writes = self._writes
            self._follow_locked()
            if self._writes > writes:
                logger.debug(
                    "journal %s: followed %d write(s) made by another process (pid %d)",
                    self.path,
                    self._writes - writes,
                    os.getpid(),
                )

    def _follow_locked(self, opening: bool = False) -> None:
        """Read and apply the whole lines appended since the last read."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except (FileNotFoundError, NotADirectoryError):
            return  # no journal yet: nothing written
        except OSError as exc:
            raise StoreUnavailable(f"the journal {self.path} cannot be read: {exc}") from exc
        end = data.rfind(b"\n") + 1
        if opening and end < len(data):
            logger.warning(
                "journal %s: the last line (%d bytes at offset %d) is incomplete, a crash "
                "in the middle of a write: that write was never acknowledged and is ignored; "
                "every write before it is replayed",
                self.path,
                len(data) - end,
                self._offset + end,
            )
        if end == 0:
            return
        entries: list[dict[str, Any]] = []
        for line in data[:end].split(b"\n")[:-1]:
            self._lines += 1
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
            except ValueError:
                logger.warning(
                    "journal %s: line %d is not a journal entry (a write torn by a crash, "
                    "never acknowledged); skipped",
                    self.path,
                    self._lines,
                )
                continue
            entries.append(entry)
        self._offset += end
        if entries:
            self._replay(entries)

    def _replay(self, entries: list[dict[str, Any]]) -> None:
        index = self.graph._index
        dataset, version = index.dataset, index.version
        changed = False
        for entry in entries:
            raw = entry.get("changes")
            if raw is not None:
                try:
                    changes = decode_changes(raw)
                    dataset = apply_to(dataset, changes)
                except (InvalidChange, ValueError, TypeError) as exc:
                    logger.error(
                        "journal %s: a write (version %s) cannot be replayed on this graph and "
                        "is left out: %s",
                        self.path,
                        entry.get("version"),
                        exc,
                    )
                    continue
                if entry.get("base") != version:
                    logger.warning(
                        "journal %s: a write made at data version %s is replayed at %s (the "
                        "seeds changed since it was written?)",
                        self.path,
                        entry.get("base"),
                        version,
                    )
                version = next_version(version, changes)
                changed = True
                self._writes += 1
                texts = entry.get("texts") or {}
                self.graph._texts.update({str(k): str(v) for k, v in texts.items()})
            proposals = entry.get("proposals")
            if isinstance(proposals, str):  # a proposal set saved (ingest, review): the latest wins
                try:
                    saved = ProposalSet.model_validate_json(proposals)
                except ValueError as exc:
                    logger.error("journal %s: a proposal set is unreadable: %s", self.path, exc)
                else:
                    self.graph._proposals[saved.id] = proposals
            audit = entry.get("audit")
            if isinstance(audit, dict):
                self.graph._audit.append({**audit, "seq": len(self.graph._audit)})
        if changed:
            self.graph.restore(dataset, version)

    # --- writing --------------------------------------------------------------------------

    async def apply(self, changes: ChangeSet, record: WriteRecord | None = None) -> None:
        async with self._write_lock:
            await asyncio.to_thread(self._append_change, changes, record)

    async def save_proposals(self, proposals: ProposalSet) -> None:
        entry = {"v": FORMAT, "proposals": proposals.model_dump_json()}
        async with self._write_lock:
            await asyncio.to_thread(self._append, entry)

    async def record_audit(self, entry: Mapping[str, Any]) -> None:
        async with self._write_lock:
            await asyncio.to_thread(self._append, {"v": FORMAT, "audit": dict(entry)})

    def _append_change(self, changes: ChangeSet, record: WriteRecord | None) -> None:
        def check(version: str, dataset: Dataset) -> dict[str, Any]:
            changes.require_base(version)
            try:
                apply_to(dataset, changes)  # refused here, it never reaches the journal
            except InvalidChange as exc:
                raise StoreError(str(exc)) from exc
            return {
                "v": FORMAT,
                "at": dt.datetime.now(dt.UTC).isoformat(),
                "base": version,
                "version": next_version(version, changes),
                "changes": encode_changes(changes),
                "texts": dict(record.texts) if record else {},
                "audit": dict(record.audit) if record else None,
            }

        self._append(None, check)

    def _append(self, entry: dict[str, Any] | None, make: Any = None) -> None:
        """Append one line under the journal's exclusive lock, after reading what others
        appended (``make(version, dataset)`` builds the entry then), fsync, then follow."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreUnavailable(f"the journal {self.path} cannot be written: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with self._follow_lock:
                self._follow_locked()
                if make is not None:
                    entry = make(self.graph._index.version, self.graph._index.dataset)
                line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
                data = line.encode("utf-8", "surrogatepass")
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # end a torn last line: it becomes a skipped line
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                    os.fsync(fd)
                except OSError as exc:  # disk full, I/O error: not acknowledged
                    raise StoreUnavailable(f"the journal {self.path}: {exc}") from exc
                self._follow_locked()
        finally:
            os.close(fd)  # releases the lock
