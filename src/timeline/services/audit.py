"""The audit log of curation writes: kept by the store, exported as JSON Lines.

An entry is stored by the store in the same commit as its change (``Store.apply`` with a
``WriteRecord``: Neo4j in the write's transaction, the memory backend in its journal
line), so there is no change without its entry, and every replica reads the same log
(``Store.audit_page``, the ``auditLog`` query). Each entry is also appended to a local
JSON Lines file (``audit_log``), an export for log shippers: one JSON object per line,
appended, never rewritten.

An entry is written for every write that passed authorisation and validation and reached
the store: ``outcome`` ``applied`` once the store committed it, or ``failed`` (with the
store's reason, and ``after`` empty) when the store refused or could not be reached,
in which case the graph did not change (writes are all or nothing). Requests refused
before the store (no key, a missing scope, invalid input) change nothing and are not
audited; the service log records them. Each entry::

    {"at": "2024-05-01T12:00:00.123456+00:00", "who": "curator-alice",
     "mutation": "addRelation", "input": {...the mutation's arguments...},
     "outcome": "applied", "dataVersion": {"before": "...", "after": "..."},
     "changes": [{"id": "event:...", "before": {...} | null, "after": {...} | null}]}

Records are written in the seed format (``timeline.services.export``), so an entry's
``after`` can be pasted into a seed file. An export line is written with one ``write`` to a
file opened for appending and flushed to disk before the mutation answers. In the store an
entry's position (from 0, in write order) is its ``seq``; cursors page by it, newest first.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from timeline.model.records import Document, Entity, Node, Relation
from timeline.services.export import seed_document, seed_entity, seed_relation
from timeline.stores.base import AuditPage

__all__ = ["APPLIED", "FAILED", "AuditLog", "AuditPage", "record_json"]

logger = logging.getLogger("timeline.audit")

APPLIED = "applied"
FAILED = "failed"
_CURSOR_PREFIX = "audit:"


def record_json(record: Node | Relation | None) -> dict[str, Any] | None:
    """A record as its seed mapping (relations with their id), or None."""
    if record is None:
        return None
    if isinstance(record, Relation):
        return {"id": record.id, **seed_relation(record)}
    if isinstance(record, Document):
        return seed_document(record)
    if isinstance(record, Entity):
        return seed_entity(record)
    raise TypeError(f"not a record: {record!r}")


def audit_cursor(seq: int) -> str:
    """The cursor of the audit entry ``seq`` (``auditLog(after:)``)."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode()


def audit_seq(cursor: str) -> int:
    """The ``seq`` a cursor names; ValueError for anything no page produced."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise ValueError(f"not an audit log cursor: {cursor[:40]!r}") from None
    if not text.startswith(_CURSOR_PREFIX) or not text[len(_CURSOR_PREFIX) :].isdigit():
        raise ValueError(f"not an audit log cursor: {cursor[:40]!r}")
    return int(text[len(_CURSOR_PREFIX) :])


class AuditLog:
    """Appends entries to, and pages through, one JSON Lines file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    @staticmethod
    def entry(
        *,
        who: str,
        mutation: str,
        input: Mapping[str, Any],
        outcome: str,
        version_before: str,
        version_after: str | None,
        changes: list[dict[str, Any]],
        error: str | None = None,
    ) -> dict[str, Any]:
        """One entry, as JSON-able data (the store keeps it; :meth:`export` writes it)."""
        entry: dict[str, Any] = {
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "who": who,
            "mutation": mutation,
            "input": input,
            "outcome": outcome,
            "dataVersion": {"before": version_before, "after": version_after},
            "changes": changes,
        }
        if error is not None:
            entry["error"] = error
        # JSON-able all the way down (what the stores write), whatever the input held.
        return dict(json.loads(json.dumps(entry, ensure_ascii=False, default=str)))

    async def export(self, entry: Mapping[str, Any]) -> None:
        """Append one entry to the JSON Lines export, flushed to disk before returning."""
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        async with self._lock:
            await asyncio.to_thread(self._write, line.encode("utf-8", "surrogatepass"))

    def _write(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND: every write lands at the end, even with several processes appending.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first, each with its ``seq``. A torn last line (a crash in
        the middle of a write) is skipped."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        found: list[dict[str, Any]] = []
        for seq, line in enumerate(raw.split(b"\n")):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                logger.warning("audit log %s: line %d is not JSON; skipped", self.path, seq + 1)
                continue
            if isinstance(entry, dict):
                found.append({**entry, "seq": seq})
        return found
