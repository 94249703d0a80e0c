"""The read statements: Cypher text built from queries, one statement per round trip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

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
from timeline.model.records import OCCURRED, PARTICIPATION_TYPES, RELATION_TYPES, Node, Relation
from timeline.model.search import Query as SearchQuery
from timeline.model.search import allowed_edits
from timeline.model.text import fold
from timeline.stores.base import HUB_DEGREE, Links, Order, TimelineQuery
from timeline.stores.neo4j.codec import META_KEY, Props, node_from_props, relation_from_props

# --- Cypher fragments -------------------------------------------------------------------------

#: Every read starts here: the generation ``Meta`` points to. Nodes are looked up by
#: (id, gen) and label scans filter on ``gen``; relationships only ever join nodes of one
#: generation, so whatever is reached from a node of this one is of this one too.
GEN = f"OPTIONAL MATCH (meta:Meta {{key: '{META_KEY}'}}) WITH coalesce(meta.gen, '') AS gen"

#: A relationship as a map with its endpoints' ids, ready for :func:`relation_from_props`.
REL_MAP = "r {.*, type: type(r), subject: startNode(r).id, object: endNode(r).id}"

#: An entity's properties as statements return them (``n {ENTITY}``): all but those only the
#: store's own indexes and filters read (``search_words``, ``search_text``, ``folded``; as
#: large as the rest together), which the codec never decodes.
ENTITY = ".*, search_words: null, context_words: null, search_text: null, folded: null"


def one_record(cypher: str, columns: Sequence[str]) -> str:
    """The statement with its rows collected into one record, ``rows``: a list of
    ``[column, ...]`` lists in the order the statement returns them.

    >>> one_record("UNWIND [1, 2] AS i RETURN i AS x", ["x"])
    'CALL () { UNWIND [1, 2] AS i RETURN i AS x } RETURN collect([x]) AS rows'
    """
    return f"CALL () {{ {cypher.strip()} }} RETURN collect([{', '.join(columns)}]) AS rows"


def relations_by_node(
    ids: Iterable[str], rows: Iterable[tuple[str, Mapping[str, Any]]]
) -> dict[str, list[Relation]]:
    """(node id, relationship map) rows as each node's relations, ordered by key."""
    by_node: dict[str, dict[str, Relation]] = {i: {} for i in ids}
    for node_id, props in rows:
        rel = relation_from_props(props)
        by_node[node_id][rel.id] = rel  # a self-loop is met twice
    return {i: sorted(rels.values(), key=lambda r: r.key) for i, rels in by_node.items()}


def links(row: Mapping[str, Any]) -> Links:
    """A page statement's ``links`` and ``documents`` (see :func:`timeline_cypher`)."""
    nodes: dict[str, Node] = {}
    for props in row["documents"]:
        nodes[props["id"]] = node_from_props(props)
    pairs = []
    for event_id, links in row["links"]:
        for rel, other in links:
            pairs.append((event_id, rel))
            if other["id"] not in nodes:
                nodes[other["id"]] = node_from_props(other)
    return Links(relations=relations_by_node([p["id"] for p in row["page"]], pairs), nodes=nodes)


def type_pattern(types: Collection[str] | None) -> str | None:
    """``:A|B`` for a relationship pattern, from whitelisted types only.

    ``""`` means any type; ``None`` means no type is allowed (nothing can match).
    """
    if not types:  # as in the memory store, no types (None or empty) means any type
        return ""
    allowed = sorted(t for t in set(types) if t in RELATION_TYPES)
    return ":" + "|".join(allowed) if allowed else None


def types_param(types: Collection[str] | None) -> list[str] | None:
    return sorted(set(types)) if types else None


def overlap(params: Props, start: dt.date | None, end: dt.date | None, var: str = "e") -> list[str]:
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


def where(conditions: Sequence[str]) -> str:
    return ("WHERE " + " AND ".join(conditions)) if conditions else ""


def timeline_cypher(query: TimelineQuery) -> tuple[str, Props]:
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
    conditions += overlap(params, query.start, query.end)
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
    page = f"collect(e {{{ENTITY}}}) AS page" + (
        ", collect([e.id, links]) AS links" if links else ""
    )
    explain = bool(query.explain and query.involving)
    if explain:
        links += _page_reasons(frozenset().union(*rules))
        page += ", collect([e.id, why]) AS reasons"
    returned = "total, before, page" + (", reasons" if explain else "")
    if query.involving or query.linked_to is not None:
        counted = f"""
        CALL (gen, lo) {{
          {match} {where(conditions)} WITH DISTINCT e
          RETURN collect(e) AS matched
        }}
        WITH gen, matched, size(matched) AS total,
             size([e IN matched WHERE {before}]) AS before
        CALL (matched, gen) {{
          UNWIND matched AS e
          WITH e, gen {where([after] if after else [])}
          {ordered}
          {links}
          RETURN {page}
        }}"""
    else:
        matched = f"{match} {where(conditions)} WITH DISTINCT e"
        paged = f"{match} {where([*conditions, after] if after else conditions)} WITH DISTINCT e"
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


def reasons(row: Mapping[str, Any], involving: Sequence[str]) -> dict[str, list[Involvement]]:
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
      RETURN collect([{REL_MAP}, o {{{ENTITY}}}]) AS links
    }}
"""


#: :data:`GEN`, plus ``lo``: no event starting before it can overlap a window from
#: ``$start`` (the longest event span, ``Meta.max_span`` days, before it; '' if unknown).
_GEN_SPAN = f"""
    OPTIONAL MATCH (meta:Meta {{key: '{META_KEY}'}})
    WITH coalesce(meta.gen, '') AS gen,
         CASE WHEN meta.max_span IS NULL OR $start IS NULL THEN ''
              ELSE toString(date($start) - duration({{days: meta.max_span}})) END AS lo
"""


# Above HUB_DEGREE relationships a node is a hub: the relations among the chosen nodes are
# found from their other, smaller end (or, between two hubs, by expanding into the pair).


def neighbors_cypher(depth: int, rel_types: str) -> str:
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
        {GEN}
        MATCH (c:Entity {{id: $id, gen: gen}})
        WITH [c] AS seen, [c] AS frontier, [[0, c]] AS chosen
        {steps}
        WITH chosen, [x IN chosen | x[1]] AS members
        CALL (members) {{
          UNWIND members AS a
          WITH a, members WHERE COUNT {{ (a)--() }} <= {HUB_DEGREE}
          MATCH (a)-[r{rel_types}]-(b) WHERE b IN members
          RETURN collect(DISTINCT {REL_MAP}) AS near
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
          RETURN collect(DISTINCT {REL_MAP}) AS far
        }}
        RETURN [x IN chosen | [x[0], properties(x[1])]] AS nodes, near + far AS edges
    """


def shortest_path_cypher(max_length: int, rel_types: str) -> str:
    """All shortest paths, the one with the smallest node-id sequence, and every relation
    between each pair of its neighbouring nodes (the smallest key is chosen in Python)."""
    return f"""
        {GEN}
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
          RETURN collect([i, {REL_MAP}]) AS steps
        }}
        RETURN s IS NOT NULL AS has_source, t IS NOT NULL AS has_target,
               [n IN path | n {{{ENTITY}}}] AS nodes, steps
    """


#: An event's venues as the search rule reads them (``model.search.venues_of``): the names
#: of the places it was HELD_IN and of those they are in, up to three steps out.
VENUE_NAMES = """CASE WHEN n:Event THEN COLLECT {
      MATCH (n)-[:HELD_IN]->()-[:LOCATED_IN|PART_OF*0..3]->(v) RETURN DISTINCT v.name
    } ELSE [] END"""
#: A person's positions as the rule reads them (``model.search.positions_of``): title, holder.
POSITION_PAIRS = """CASE WHEN n:Person THEN COLLECT {
      MATCH (n)-[r:HOLDS_POSITION]->(o) RETURN [coalesce(r.title, r.role, ''), o.name]
    } ELSE [] END"""

#: Search candidates. Above ``$scan_limit`` entities, on a graph whose ``context_words``
#: are indexed (``Meta.search_context``), Lucene is asked only for the entities with every
#: query word (``$strict``) among their own words and their venues' and positions'; before
#: that, for any of the words (``$lucene``), so that a venue's word could still find an event.
SEARCH = f"""
    OPTIONAL MATCH (m:Meta {{key: $meta}})
    WITH coalesce(m.entities, 0) <= $scan_limit AS scan, coalesce(m.gen, '') AS gen,
         coalesce(m.search_context, false) AS indexed
    CALL db.index.fulltext.queryNodes(
      'entity_words', CASE WHEN indexed AND NOT scan THEN $strict ELSE $lucene END,
      {{limit: CASE WHEN scan THEN $scan_limit ELSE $candidates END}}
    ) YIELD node
    WITH scan, node WHERE node.gen = gen
    CALL (scan, node) {{
      RETURN node AS n
      UNION
      WITH scan, node WHERE scan AND (node:Place OR node:Country)
      MATCH (e:Event)-[:HELD_IN]->()-[:LOCATED_IN|PART_OF*0..3]->(node)
      RETURN e AS n
      UNION
      WITH scan, node WHERE scan AND (node:Country OR node:Organization)
      MATCH (p:Person)-[:HOLDS_POSITION]->(node)
      RETURN p AS n
    }}
    WITH DISTINCT n WHERE $kinds IS NULL OR n.kind IN $kinds
    RETURN n {{{ENTITY}}} AS node, n.search_words AS words, COUNT {{ (n)--() }} AS degree,
           {VENUE_NAMES} AS venues, {POSITION_PAIRS} AS positions
"""

#: The entities whose search context (venues, positions) is to be set again: ``$own``
#: themselves, and ``$around`` with the events held in them or in places within them
#: (``VENUE_DEPTH``) and the people holding positions in them; with their context now.
CONTEXT_OF = f"""
    UNWIND $own + $around AS id
    MATCH (x:Entity {{id: id, gen: $gen}})
    WITH x, id IN $around AS wide
    CALL (x, wide) {{
      RETURN x AS n
      UNION
      WITH x, wide WHERE wide
      MATCH (e:Event)-[:HELD_IN]->()-[:LOCATED_IN|PART_OF*0..3]->(x) RETURN e AS n
      UNION
      WITH x, wide WHERE wide
      MATCH (p:Person)-[:HOLDS_POSITION]->(x) RETURN p AS n
    }}
    WITH DISTINCT n
    RETURN n.id AS id, {VENUE_NAMES} AS venues, {POSITION_PAIRS} AS positions
"""
SET_CONTEXT = """
    UNWIND $rows AS row
    MATCH (n:Entity {id: row.id, gen: $gen})
    SET n.context_words = row.words
"""
#: Every event's and person's id, a batch at a time (``Neo4jStore.index_context``).
CONTEXT_IDS = """
    MATCH (n:Entity {gen: $gen}) WHERE (n:Event OR n:Person) AND n.id > $after
    RETURN n.id AS id ORDER BY id LIMIT $batch
"""


GET_NODES = f"""
    {GEN} UNWIND $entity_ids AS id MATCH (n:Entity {{id: id, gen: gen}})
    RETURN n {{{ENTITY}}} AS node
    UNION ALL
    {GEN} UNWIND $document_ids AS id MATCH (n:Document {{id: id, gen: gen}})
    RETURN n {{.*}} AS node
"""

RELATIONS = f"""
    {GEN}
    UNWIND $ids AS id
    MATCH (:Entity {{id: id, gen: gen}})-[r]-()
    WHERE $types IS NULL OR type(r) IN $types
    RETURN id, {REL_MAP} AS rel
"""

SERIES = f"""
    {GEN}
    UNWIND $ids AS id
    MATCH (e:Entity {{id: id, gen: gen}}) WHERE e:Event AND e.series IS NOT NULL
    WITH DISTINCT e.series AS series, gen
    MATCH (o:Event {{series: series}}) WHERE o.gen = gen
    RETURN series, collect([o.series_order, o.start, o.end, o.id]) AS members
"""

STATS = f"""
    {GEN}
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

PARTICIPATION_PATTERN = "|".join(sorted(PARTICIPATION_TYPES))


def strict_lucene(query: SearchQuery) -> str:
    """The query's words as Lucene terms (as :func:`lucene`), every word required: the
    candidates that can match every word, for an index that holds the entities' venue and
    position words too (``context_words``)."""
    groups = _word_groups(query)
    return groups[0] if len(groups) == 1 else " ".join(f"+{g}" for g in groups)


def _word_groups(query: SearchQuery) -> list[str]:
    """Each query word as a Lucene group: exact, as a prefix (two letters or more), fuzzy
    within the rule's typo allowance."""
    groups = []
    for word in query.words:
        terms = [word]
        if len(word) >= 2:
            terms.append(f"{word}*")
        if edits := allowed_edits(word):
            terms.append(f"{word}~{edits}")
        groups.append("(" + " OR ".join(terms) + ")")
    return groups


def lucene(query: SearchQuery) -> str:
    """The query's words as Lucene terms over ``search_words``: each word exact, as a
    prefix (two letters or more) and fuzzy within the rule's typo allowance; the entities
    with every word boosted first. The rule's words are letters and digits only, never an
    operator."""
    groups = _word_groups(query)
    if len(groups) == 1:
        return groups[0]
    return "(" + " ".join(f"+{g}" for g in groups) + ")^4 OR " + " OR ".join(groups)
