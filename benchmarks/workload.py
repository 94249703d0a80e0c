"""The benchmark workload: six fixed GraphQL operations, their parameters, and one answer.

Each workload has the operation timeline serves (``TIMELINE``), the operation the
@neo4j/graphql peer serves (``PEER``, see ``graph/bench/peer/typeDefs.graphql``) and a
normaliser per system that turns a response into one canonical answer, so every response
of every system can be checked against the raw Cypher floor's answer
(``benchmarks/raw_cypher.py``):

W1  timeline page: 20 events of a one-year window involving one mid-degree entity (linked
    directly or through a sub-event), with participants and sources, and the total.
W2  entity page: a person with positions and their first 20 events, and the total.
W3  ``neighbors`` depth 2, first 200: nodes in (hop, id) order and the edges among them.
W4  ``shortestPath`` between two people: length, nodes and the relations along it.
W5  ``search`` for an entity's exact, unique name: compared on the top hit only, because
    the peer ranks with Lucene's score and timeline with its own rule (docs/benchmarks.md).
W6  ``commonEvents`` of two entities that share at least one event.

Parameters are drawn from the synthetic dataset with a seeded RNG (:func:`parameters`), so
the same dataset and seed always give the same requests.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from timeline.model.involvement import (
    LOCATION_DEPTH,
    POSITION,
    ROLL_UP,
    TAKING_PART,
    VENUE,
    WITHIN,
    Mode,
    Rule,
    applies,
    held_during,
    position_days,
)
from timeline.model.records import Dataset, Event, Organization, Person, Place, Relation
from timeline.model.text import fold

__all__ = ["WORKLOADS", "Involving", "Workload", "parameters"]

Json = Any
Params = dict[str, Any]

# --- the operations ---------------------------------------------------------------------------

_T_EVENT = "id name category date { edtf start end }"
_P_EVENT = "id name category edtf start end"
_P_PARTS = "edges { properties { role } node { id name kind } }"

TIMELINE: dict[str, str] = {
    "W1": """
query W1($id: ID!, $from: Date!, $to: Date!) {
  timeline(involving: [$id], from: $from, to: $to, first: 20) {
    totalCount
    edges { node {
      __EVENT__
      participants { role entity { id name kind } }
      sources { quote document { id title } }
    } }
  }
}""".replace("__EVENT__", _T_EVENT),
    "W2": """
query W2($id: ID!) {
  entity(id: $id) {
    id name aliases
    ... on Person { positions { title organization { id name } } }
    events(first: 20) { totalCount edges { node { __EVENT__ } } }
  }
}""".replace("__EVENT__", _T_EVENT),
    "W3": """
query W3($id: ID!) {
  neighbors(id: $id, depth: 2, first: 200) {
    nodes { id name kind }
    edges { type source target role }
  }
}""",
    "W4": """
query W4($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to, maxLength: 6) {
    length
    nodes { id name kind }
    edges { type source target role }
  }
}""",
    "W5": """
query W5($text: String!) {
  search(text: $text, first: 10) { score node { id name kind } }
}""",
    "W6": """
query W6($a: ID!, $b: ID!) {
  commonEvents(ids: [$a, $b]) { __EVENT__ }
}""".replace("__EVENT__", _T_EVENT),
}

PEER: dict[str, str] = {
    "W1": """
query W1($id: ID!, $from: String!, $to: String!) {
  timelineCount(involving: $id, from: $from, to: $to)
  timeline(involving: $id, from: $from, to: $to, first: 20) {
    __EVENT__
    attendedByConnection { __PARTS__ }
    hostedByConnection { __PARTS__ }
    organizedByConnection { __PARTS__ }
    sources { quote document { id title } }
  }
}""".replace("__EVENT__", _P_EVENT).replace("__PARTS__", _P_PARTS),
    "W2": """
query W2($id: ID!, $gen: String!) {
  people(where: { id: { eq: $id }, gen: { eq: $gen } }) {
    id name aliases
    holdsPositionConnection { edges { properties { title } node { id name } } }
    events(first: 20) { __EVENT__ }
    eventsCount
  }
}""".replace("__EVENT__", _P_EVENT),
    "W3": """
query W3($id: ID!) {
  neighbors(id: $id, depth: 2, first: 200) {
    nodes { id name kind }
    edges { type source target role }
  }
}""",
    "W4": """
query W4($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to) {
    length
    nodes { id name kind }
    edges { type source target role }
  }
}""",
    "W5": """
query W5($text: String!) {
  search(text: $text, first: 10) { score node { id name kind } }
}""",
    "W6": """
query W6($a: ID!, $b: ID!) {
  commonEvents(a: $a, b: $b) { __EVENT__ }
}""".replace("__EVENT__", _P_EVENT),
}

# --- canonical answers ------------------------------------------------------------------------


def _t_event(node: Json) -> list[Any]:
    date = node["date"]
    return [node["id"], node["name"], node["category"], date["edtf"], date["start"], date["end"]]


def _p_event(node: Json) -> list[Any]:
    return [node["id"], node["name"], node["category"], node["edtf"], node["start"], node["end"]]


def _kind(value: str) -> str:
    return value.lower()


def _edges(edges: Iterable[Json]) -> list[list[Any]]:
    return sorted([e["type"], e["source"], e["target"], e.get("role")] for e in edges)


def _nodes(nodes: Iterable[Json]) -> list[list[Any]]:
    return [[n["id"], n["name"], _kind(n["kind"])] for n in nodes]


def _t_w1(data: Json) -> Json:
    page = data["timeline"]
    return {
        "total": page["totalCount"],
        "events": [
            {
                "event": _t_event(node),
                "participants": sorted(
                    [p["entity"]["id"], p["entity"]["name"], _kind(p["entity"]["kind"]), p["role"]]
                    for p in node["participants"]
                ),
                "sources": [
                    [s["quote"], s["document"]["id"], s["document"]["title"]]
                    for s in node["sources"]
                ],
            }
            for node in (edge["node"] for edge in page["edges"])
        ],
    }


_DEFAULT_ROLES = {"attendedByConnection": None, "hostedByConnection": "host"}


def _p_w1(data: Json) -> Json:
    events = []
    for node in data["timeline"]:
        participants = []
        for connection, default in (
            *_DEFAULT_ROLES.items(),
            ("organizedByConnection", "organizer"),
        ):
            for edge in node[connection]["edges"]:
                other = edge["node"]
                role = edge["properties"]["role"] or default
                participants.append([other["id"], other["name"], _kind(other["kind"]), role])
        events.append(
            {
                "event": _p_event(node),
                "participants": sorted(participants),
                "sources": [
                    [s["quote"], s["document"]["id"], s["document"]["title"]]
                    for s in node["sources"]
                ],
            }
        )
    return {"total": data["timelineCount"], "events": events}


def _t_w2(data: Json) -> Json:
    entity = data["entity"]
    return {
        "id": entity["id"],
        "name": entity["name"],
        "aliases": sorted(entity["aliases"]),
        "positions": sorted(
            [p["title"], p["organization"]["id"], p["organization"]["name"]]
            for p in entity["positions"]
        ),
        "total": entity["events"]["totalCount"],
        "events": [_t_event(edge["node"]) for edge in entity["events"]["edges"]],
    }


def _p_w2(data: Json) -> Json:
    (person,) = data["people"]
    return {
        "id": person["id"],
        "name": person["name"],
        "aliases": sorted(person["aliases"] or []),
        "positions": sorted(
            [e["properties"]["title"], e["node"]["id"], e["node"]["name"]]
            for e in person["holdsPositionConnection"]["edges"]
        ),
        "total": person["eventsCount"],
        "events": [_p_event(e) for e in person["events"]],
    }


def _w3(data: Json) -> Json:
    graph = data["neighbors"]
    return {"nodes": _nodes(graph["nodes"]), "edges": _edges(graph["edges"])}


def _w4(data: Json) -> Json:
    path = data["shortestPath"]
    if path is None:
        return None
    return {
        "length": path["length"],
        "nodes": _nodes(path["nodes"]),
        "edges": [[e["type"], e["source"], e["target"], e.get("role")] for e in path["edges"]],
    }


def _w5(data: Json) -> Json:
    hits = data["search"]
    return {"top": hits[0]["node"]["id"] if hits else None}


def _t_w6(data: Json) -> Json:
    return {"events": [_t_event(e) for e in data["commonEvents"]]}


def _p_w6(data: Json) -> Json:
    return {"events": [_p_event(e) for e in data["commonEvents"]]}


# --- workloads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    timeline: str
    peer: str
    timeline_answer: Callable[[Json], Json]
    peer_answer: Callable[[Json], Json]
    #: timeline's variables from the parameters (the peer's are the parameters themselves).
    timeline_vars: Callable[[Params], Params] = field(default=lambda p: p)


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload(
            "W1", "timeline page (1 year, 20 events)", TIMELINE["W1"], PEER["W1"], _t_w1, _p_w1
        ),
        Workload("W2", "entity page (person)", TIMELINE["W2"], PEER["W2"], _t_w2, _p_w2),
        Workload("W3", "neighbors depth 2, first 200", TIMELINE["W3"], PEER["W3"], _w3, _w3),
        Workload("W4", "shortestPath", TIMELINE["W4"], PEER["W4"], _w4, _w4),
        Workload("W5", "search (top hit)", TIMELINE["W5"], PEER["W5"], _w5, _w5),
        Workload("W6", "commonEvents of two", TIMELINE["W6"], PEER["W6"], _t_w6, _p_w6),
    )
}

# --- parameters from the data -----------------------------------------------------------------


def _pick(rng: random.Random, pool: list[Any], count: int) -> list[Any]:
    if not pool:
        return []
    return [rng.choice(pool) for _ in range(count)]


class Involving:
    """The events that involve an entity by the default rule of ``timeline.model.involvement``
    (``Mode.ALL``: linked directly, held at a place within it, a position holder in it or an
    organization of it took part; then every event those are part of), read from the
    dataset as the stores read the graph (``tests/bench/test_workload.py`` compares it with
    the memory store's answer)."""

    def __init__(self, dataset: Dataset) -> None:
        self.entities = dataset.entities
        self.out: dict[str, list[Relation]] = defaultdict(list)  # by subject
        self.into: dict[str, list[Relation]] = defaultdict(list)  # by object
        self.by_country: dict[str, list[str]] = defaultdict(list)
        for rel in dataset.relations:
            self.out[rel.subject].append(rel)
            self.into[rel.object].append(rel)
        for entity in self.entities.values():
            if isinstance(entity, Place | Organization) and entity.country:
                self.by_country[entity.country].append(entity.id)

    def _is_event(self, node: str) -> bool:
        return isinstance(self.entities.get(node), Event)

    def _within(self, x: str) -> set[str]:
        """Places and organizations located within ``x``: up to LOCATION_DEPTH LOCATED_IN
        steps to it, or to a place or organization recording it as ``country``."""
        recorded = self.by_country.get(x, []) if x.startswith("country:") else []
        seen = {x, *recorded}
        frontier = [x, *recorded]
        for _ in range(LOCATION_DEPTH):
            frontier = [
                r.subject
                for n in frontier
                for r in self.into.get(n, ())
                if r.type == WITHIN and r.subject not in seen
            ]
            seen.update(frontier)
        return seen if x in recorded else seen - {x}

    def _took_part(self, actor: str) -> list[str]:
        return [
            r.object
            for r in self.out.get(actor, ())
            if r.type in TAKING_PART and self._is_event(r.object)
        ]

    def __call__(self, x: str) -> set[str]:
        found = {r.object for r in self.out.get(x, ()) if self._is_event(r.object)}
        found |= {r.subject for r in self.into.get(x, ()) if self._is_event(r.subject)}
        place, org = applies(Rule.PLACE, x, Mode.ALL), applies(Rule.ORGANIZATION, x, Mode.ALL)
        for n in self._within(x) if place or org else ():
            entity = self.entities.get(n)
            if place and isinstance(entity, Place):
                found.update(r.subject for r in self.into.get(n, ()) if r.type == VENUE)
            elif org and isinstance(entity, Organization):
                found.update(self._took_part(n))
        if applies(Rule.POSITION, x, Mode.ALL):
            for held in self.into.get(x, ()):
                if held.type != POSITION or not isinstance(self.entities.get(held.subject), Person):
                    continue
                since, until = position_days(
                    held.start.start if held.start else None, held.end.end if held.end else None
                )
                for event in self._took_part(held.subject):
                    record = self.entities[event]
                    assert isinstance(record, Event)
                    if held_during(since, until, *record.sort_key[:2]):
                        found.add(event)
        found = {e for e in found if self._is_event(e)}
        pending = list(found)
        while pending:  # the roll-up: every event these are part of
            for rel in self.out.get(pending.pop(), ()):
                if rel.type == ROLL_UP and self._is_event(rel.object) and rel.object not in found:
                    found.add(rel.object)
                    pending.append(rel.object)
        return found


def parameters(dataset: Dataset, seed: int = 1, count: int = 50) -> dict[str, list[Params]]:
    """``count`` parameter sets per workload, drawn from ``dataset`` with ``seed``."""
    rng = random.Random(seed)
    events: dict[str, Event] = {e.id: e for e in dataset.entities.values() if isinstance(e, Event)}
    linked: dict[str, set[str]] = defaultdict(set)  # entity -> events directly linked
    degree: Counter[str] = Counter()
    for rel in dataset.relations:
        degree[rel.subject] += 1
        degree[rel.object] += 1
        for a, b in ((rel.subject, rel.object), (rel.object, rel.subject)):
            if b in events:
                linked[a].add(b)
    involved = Involving(dataset)

    # W1: (entity, year) with a full page of events, and as few as possible beyond it, so
    # the answer has the same shape at every size: 20 to 200 events that year, counted by
    # the rule the page answers with (involving's default, the wide one).
    by_year: list[tuple[str, int, int]] = []
    for entity, _ in degree.most_common(3000):
        if entity in events:
            continue
        years: Counter[int] = Counter()
        for event in involved(entity):
            span = events[event].date
            for year in range(span.start.year, span.end.year + 1):
                years[year] += 1
        by_year += [(entity, y, n) for y, n in years.items() if 20 <= n <= 200]
    if not by_year:  # a tiny dataset: the fullest years there are
        by_year = [(entity, y, 0) for entity in list(degree)[:50] for y in (2000, 2010, 2020)]
    by_year.sort()
    w1 = [
        {"id": entity, "from": f"{year}-01-01", "to": f"{year}-12-31"}
        for entity, year, _ in _pick(rng, by_year, count)
    ]

    people = sorted(e.id for e in dataset.entities.values() if isinstance(e, Person))
    busy = [p for p in people if len(linked[p]) >= 20] or people[:50]
    w2 = [{"id": p} for p in _pick(rng, busy, count)]
    # W3, W4: people of middle degree (3 to 20 events): their depth-2 neighbourhood stays of
    # the same size as the dataset grows (hubs are reached, not expanded).
    middle = [p for p in people if 3 <= len(linked[p]) <= 20] or people
    w3 = [{"id": p} for p in _pick(rng, middle, count)]
    w4 = [
        {"from": a, "to": b}
        for a, b in zip(_pick(rng, middle, count), _pick(rng, middle, count), strict=True)
        if a != b
    ]

    # W5: names that no other entity shares, even as the same set of words.
    words: Counter[frozenset[str]] = Counter()
    for record in dataset.entities.values():
        for name in record.names:
            words[frozenset(fold(name).split())] += 1
    unique = sorted(
        e.name
        for e in dataset.entities.values()
        if not isinstance(e, Event) and all(words[frozenset(fold(n).split())] == 1 for n in e.names)
    )
    w5 = [{"text": name} for name in _pick(rng, unique, count)]

    # W6: two participants of one event (a person and whoever else took part).
    participants: dict[str, list[str]] = defaultdict(list)
    for rel in dataset.relations:
        if rel.type in ("ATTENDED", "HOSTED") and rel.object in events:
            participants[rel.object].append(rel.subject)
    shared = sorted(e for e, ps in participants.items() if len(ps) >= 2)
    w6 = []
    for event in _pick(rng, shared, count):
        a, b = rng.sample(sorted(participants[event]), 2)
        w6.append({"a": a, "b": b})
    return {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6}
