"""Curation writes: the statements of one write transaction, and its audit entry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from neo4j import AsyncManagedTransaction

# --- curation writes ------------------------------------------------------------------------

#: Sequence numbers of records added by writes start here, above any a load gives (a load's
#: are positions in its dataset), so dumps list them after the loaded ones, in write order.
WRITE_SEQ_BASE = 1 << 40
#: Records one write may add (the room between two writes' sequence numbers).
WRITE_SEQ_ROOM = 1 << 20

#: Every write starts here: it locks Meta (the SET), so writes serialise, and reads the
#: generation and version it applies to. ``writes`` numbers the writes.
WRITE_START = """
    MERGE (m:Meta {key: $key})
    ON CREATE SET m.gen = $gen, m.version = $empty, m.entities = 0, m.search_context = true
    SET m.writes = coalesce(m.writes, 0) + 1
    RETURN m.gen AS gen, m.version AS version, m.writes AS writes
"""
WRITE_OLD_SEQ = """
    UNWIND $ids AS id
    OPTIONAL MATCH (e:Entity {id: id, gen: $gen})
    OPTIONAL MATCH (d:Document {id: id, gen: $gen})
    WITH id, coalesce(e.seq, d.seq) AS seq, e.name AS name WHERE seq IS NOT NULL
    RETURN id, seq, name
"""
WRITE_DOCUMENTS = """
    UNWIND $rows AS row
    MERGE (n:Document {id: row.id, gen: row.gen}) SET n = row
    RETURN count(n)
"""
WRITE_REMOVE = """
    MATCH (a:Entity {gen: $gen})-[r]->() WHERE r.id IN $ids
    WITH r, a.id AS subject, type(r) AS type
    DELETE r
    RETURN subject, type
"""
#: The relations an entity's search context (venues, positions) is read through: one of
#: these changes its subject's own context (an event's HELD_IN, a person's HOLDS_POSITION)
#: or that of what is around its subject (a place LOCATED_IN or PART_OF another: the
#: events held in it and in places within it).
OWN_CONTEXT = frozenset({"HELD_IN", "HOLDS_POSITION"})
AROUND_CONTEXT = frozenset({"LOCATED_IN", "PART_OF"})
#: An audit entry, numbered by the audit counter (its Meta node locked by the SET).
_WRITE_AUDIT = """
    MERGE (m:AuditCounter {key: $key})
    SET m.count = coalesce(m.count, 0) + 1
    CREATE (a:AuditEntry {seq: m.count - 1, at: $at, entry: $entry})
    RETURN a.seq AS seq
"""
WRITE_TEXTS = """
    UNWIND $rows AS row
    MERGE (t:CuratedText {id: row.id}) SET t.text = row.text, t.version = $version
"""
AUDIT_KEY = "audit"
WRITE_END = """
    MATCH (m:Meta {key: $key})
    SET m.version = $version, m.entities = coalesce(m.entities, 0) + $created,
        m.max_span = CASE WHEN coalesce(m.max_span, 0) > $span THEN m.max_span ELSE $span END,
        m.written_at = datetime()
"""


async def audit_in(tx: AsyncManagedTransaction, entry: Mapping[str, Any]) -> None:
    """Store one audit entry in ``tx`` (its JSON as one property)."""
    text = json.dumps(dict(entry), ensure_ascii=False, separators=(",", ":"), default=str)
    params = {"key": AUDIT_KEY, "at": str(entry.get("at", "")), "entry": text}
    await (await tx.run(_WRITE_AUDIT, params)).consume()
