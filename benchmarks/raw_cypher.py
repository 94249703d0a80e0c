"""The raw Cypher floor: the workload's answers through the Python ``neo4j`` driver alone.

One process, no HTTP, no GraphQL: one hand-written Cypher statement per operation, run in
a managed read transaction on the async driver, its records turned into the same
canonical answer as ``benchmarks/workload.py`` makes from a GraphQL response. These
answers are also the reference every HTTP response is checked against.

    .venv/bin/python -m benchmarks.raw_cypher --uri bolt://127.0.0.1:7690 W1 '{"id": ...}'
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction

__all__ = ["INVOLVED", "RawCypher"]

Json = Any

_EVENT = "[e.id, e.name, e.category, e.edtf, e.start, e.end]"

#: The events an entity ``x`` is linked to by the rules of ``timeline.model.involvement``
#: (docs/api.md), before the PART_OF roll-up: directly; held at a place within it; a
#: position holder in it took part; an organization of it took part. The same text is in
#: the peer's @cypher timeline (graph/bench/peer/typeDefs.graphql; a test keeps them equal).
INVOLVED = """
CALL (x, m) {
  MATCH (x)--(s:Event) RETURN s
  UNION
  MATCH (x)<-[:LOCATED_IN*1..8]-(:Place)<-[:HELD_IN]-(s:Event)
  WHERE x:Country OR x:Place RETURN s
  UNION
  MATCH (:Place {country: x.id, gen: m.gen})<-[:LOCATED_IN*0..8]-(:Place)<-[:HELD_IN]-(s:Event)
  WHERE x:Country RETURN s
  UNION
  MATCH (x)<-[h:HOLDS_POSITION]-(:Person)-[:ATTENDED|HOSTED|ORGANIZED]->(s:Event)
  WHERE (x:Country OR x:Organization)
    AND (h.start_start IS NULL OR s.end >= h.start_start)
    AND (h.end_end IS NULL OR s.start <= h.end_end) RETURN s
  UNION
  MATCH (x)<-[:LOCATED_IN*1..8]-(:Organization)-[:ATTENDED|HOSTED|ORGANIZED]->(s:Event)
  WHERE x:Country RETURN s
  UNION
  MATCH (:Place {country: x.id, gen: m.gen})<-[:LOCATED_IN*1..8]-(:Organization)
        -[:ATTENDED|HOSTED|ORGANIZED]->(s:Event)
  WHERE x:Country RETURN s
  UNION
  MATCH (:Organization {country: x.id, gen: m.gen})-[:ATTENDED|HOSTED|ORGANIZED]->(s:Event)
  WHERE x:Country RETURN s
}
"""

W1 = f"""
MATCH (m:Meta {{key: 'data'}})
MATCH (x:Entity {{id: $id, gen: m.gen}})
{INVOLVED}
MATCH (s)-[:PART_OF*0..]->(e:Event)
WITH DISTINCT e WHERE e.end >= $from AND e.start <= $to
WITH collect(e) AS matched
CALL (matched) {{
  UNWIND matched AS e
  WITH e ORDER BY e.start, e.end, e.id LIMIT 20
  CALL (e) {{
    OPTIONAL MATCH (e)<-[r:ATTENDED|HOSTED|ORGANIZED]-(p:Entity)
    RETURN collect([p.id, p.name, p.kind, coalesce(r.role,
      CASE type(r) WHEN 'HOSTED' THEN 'host' WHEN 'ORGANIZED' THEN 'organizer' END)])
      AS participants
  }}
  CALL (e) {{
    UNWIND range(0, size(coalesce(e.source_docs, [])) - 1) AS i
    OPTIONAL MATCH (d:Document {{id: e.source_docs[i], gen: e.gen}})
    WITH i, e, d ORDER BY i
    RETURN collect([e.source_quotes[i], e.source_docs[i], d.title]) AS sources
  }}
  RETURN collect({{event: {_EVENT}, participants: participants, sources: sources}}) AS page
}}
RETURN size(matched) AS total, page
"""

W2 = f"""
MATCH (m:Meta {{key: 'data'}})
MATCH (p:Person {{id: $id, gen: m.gen}})
CALL (p) {{
  OPTIONAL MATCH (p)-[r:HOLDS_POSITION]->(o:Entity)
  RETURN collect([r.title, o.id, o.name]) AS positions
}}
CALL (p) {{
  MATCH (p)--(e:Event)
  WITH DISTINCT e
  RETURN count(e) AS total
}}
CALL (p) {{
  MATCH (p)--(e:Event)
  WITH DISTINCT e ORDER BY e.start, e.end, e.id LIMIT 20
  RETURN collect({_EVENT}) AS events
}}
RETURN p.id AS id, p.name AS name, coalesce(p.aliases, []) AS aliases, positions, total, events
"""

W3 = """
MATCH (m:Meta {key: 'data'})
MATCH (c:Entity {id: $id, gen: m.gen})
CALL apoc.path.expandConfig(c, {minLevel: 0, maxLevel: 2, bfs: true, uniqueness: 'NODE_GLOBAL'})
YIELD path
WITH last(nodes(path)) AS n, length(path) AS hop
ORDER BY hop, n.id LIMIT 200
WITH collect(n) AS chosen
CALL (chosen) {
  UNWIND chosen AS a
  MATCH (a)-[r]-(b) WHERE b IN chosen
  WITH DISTINCT r
  RETURN collect([type(r), startNode(r).id, endNode(r).id, r.role]) AS edges
}
RETURN [n IN chosen | [n.id, n.name, n.kind]] AS nodes, edges
"""

W4 = """
MATCH (m:Meta {key: 'data'})
MATCH (s:Entity {id: $from, gen: m.gen}), (t:Entity {id: $to, gen: m.gen})
MATCH p = allShortestPaths((s)-[*..6]-(t))
WITH p ORDER BY [n IN nodes(p) | n.id] LIMIT 1
RETURN length(p) AS length,
       [n IN nodes(p) | [n.id, n.name, n.kind]] AS nodes,
       [r IN relationships(p) | [type(r), startNode(r).id, endNode(r).id, r.role]] AS edges
"""

W5 = """
MATCH (m:Meta {key: 'data'})
CALL db.index.fulltext.queryNodes('entity_names', $text, {limit: 2})
YIELD node
WHERE node.gen = m.gen
WITH node LIMIT 1
RETURN node.id AS top
"""

W6 = f"""
MATCH (m:Meta {{key: 'data'}})
MATCH (:Entity {{id: $a, gen: m.gen}})--(e:Event)
WITH DISTINCT e WHERE EXISTS {{ (e)--(:Entity {{id: $b}}) }}
WITH e ORDER BY e.start, e.end, e.id
RETURN collect({_EVENT}) AS events
"""


def _w1(rows: list[dict[str, Any]]) -> Json:
    (row,) = rows
    return {
        "total": row["total"],
        "events": [
            {
                "event": item["event"],
                "participants": sorted(p for p in item["participants"] if p[0] is not None),
                "sources": item["sources"],
            }
            for item in row["page"]
        ],
    }


def _w2(rows: list[dict[str, Any]]) -> Json:
    (row,) = rows
    return {
        "id": row["id"],
        "name": row["name"],
        "aliases": sorted(row["aliases"]),
        "positions": sorted(p for p in row["positions"] if p[1] is not None),
        "total": row["total"],
        "events": row["events"],
    }


def _w3(rows: list[dict[str, Any]]) -> Json:
    (row,) = rows
    return {"nodes": row["nodes"], "edges": sorted(row["edges"])}


def _w4(rows: list[dict[str, Any]]) -> Json:
    if not rows:
        return None
    (row,) = rows
    return {"length": row["length"], "nodes": row["nodes"], "edges": row["edges"]}


def _w5(rows: list[dict[str, Any]]) -> Json:
    return {"top": rows[0]["top"] if rows else None}


def _w6(rows: list[dict[str, Any]]) -> Json:
    (row,) = rows
    return {"events": row["events"]}


STATEMENTS: dict[str, tuple[str, Callable[[list[dict[str, Any]]], Json]]] = {
    "W1": (W1, _w1),
    "W2": (W2, _w2),
    "W3": (W3, _w3),
    "W4": (W4, _w4),
    "W5": (W5, _w5),
    "W6": (W6, _w6),
}


class RawCypher:
    """The floor: one statement per operation on the async driver's connection pool."""

    def __init__(self, uri: str, user: str = "neo4j", password: str = "timeline-dev") -> None:
        self.driver: AsyncDriver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            max_connection_pool_size=100,
            notifications_min_severity="OFF",  # e.g. "no ORGANIZED relationship yet"
        )

    async def close(self) -> None:
        await self.driver.close()

    def call(self, workload: str, params: dict[str, Any]) -> Callable[[], Awaitable[Json]]:
        """A coroutine function answering one request of ``workload`` with ``params``."""
        cypher, answer = STATEMENTS[workload]

        async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
            result = await tx.run(cypher, params)
            return await result.data()

        async def run() -> Json:
            async with self.driver.session(database="neo4j") as session:
                return answer(await session.execute_read(work))

        return run


async def _main(args: argparse.Namespace) -> None:
    raw = RawCypher(args.uri, password=args.password)
    try:
        print(json.dumps(await raw.call(args.workload, json.loads(args.params))(), indent=1))
    finally:
        await raw.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--password", default="timeline-dev")
    parser.add_argument("workload", choices=sorted(STATEMENTS))
    parser.add_argument("params", help="JSON object of parameters")
    asyncio.run(_main(parser.parse_args()))
