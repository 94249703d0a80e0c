"""The memory store's shortcuts give exactly the brute-force answers.

Search (the word index: candidates, then the shared rule), shortest paths (bidirectional,
pruned layers) and neighbours (levels cut at ``first``) are compared, on randomized
questions, with the plain algorithms they replace, on a 20 000-event synthetic graph with real hubs.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import random
from collections import deque

import pytest

from timeline.model.ids import Kind
from timeline.model.records import Relation
from timeline.model.search import parse_query, rank_key, score_entity
from timeline.services.synth import synthesize
from timeline.stores.base import SearchResult
from timeline.stores.memory import MemoryStore


@functools.cache
def _store() -> MemoryStore:
    return MemoryStore(synthesize(events=20_000, seed=11))


@functools.cache
def _search_store() -> MemoryStore:
    """Smaller: the brute force scores every entity for every query."""
    return MemoryStore(synthesize(events=3_000, seed=11))


def _brute_search(store: MemoryStore, text: str, kinds: set[Kind] | None, first: int) -> list:
    """The shared rule applied to every entity: what the word index must find."""
    index, query = store.graph._index, parse_query(text)
    if not query.words or first <= 0:
        return []
    hits = []
    for entity in index.dataset.entities.values():
        if kinds and entity.kind not in kinds:
            continue
        scored = score_entity(query, index.fields(entity))
        if scored is not None:
            hits.append((rank_key(scored.score, index.degree(entity.id), entity), entity, scored))
    best = heapq.nsmallest(first, hits, key=lambda hit: hit[0])
    return [SearchResult(e, s.score, s.matches) for _, e, s in best]


def _edit(rng: random.Random, word: str) -> str:
    """One random typo: a letter changed, dropped, doubled or two swapped."""
    if len(word) < 3:
        return word + rng.choice("aeiou")
    at = rng.randrange(len(word) - 1)
    match rng.randrange(4):
        case 0:
            return word[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[at + 1 :]
        case 1:
            return word[:at] + word[at + 1 :]
        case 2:
            return word[:at] + word[at] + word[at:]
        case _:
            return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _queries(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    store = _search_store()
    names = [n for e in store.graph._index.dataset.entities.values() for n in e.names]
    queries = ["", "a", "ba", "zz", "Summit", "republic", "x y", "Bogotá", "ÉVÉNEMENT", "  "]
    for _ in range(count):
        name = rng.choice(names)
        words = name.split()
        match rng.randrange(7):
            case 0:
                queries.append(name)
            case 1:
                queries.append(name[: rng.randint(2, len(name))])
            case 2:
                queries.append(rng.choice(words))
            case 3:
                queries.append(" ".join(_edit(rng, w) for w in words))
            case 4:
                queries.append(_edit(rng, rng.choice(words)))
            case 5:
                start = rng.randrange(len(name))
                queries.append(name[start : start + rng.randint(2, 8)])
            case _:
                queries.append(" ".join(rng.sample(words, len(words))) + " " + _edit(rng, name))
    return queries


@pytest.mark.parametrize("seed", [1, 2])
def test_search_finds_exactly_what_scoring_every_entity_finds(seed: int) -> None:
    store = _search_store()
    rng = random.Random(seed)
    for query in _queries(seed, 40):
        kinds = rng.choice([None, None, {Kind.PERSON}, {Kind.EVENT, Kind.PLACE}])
        first = rng.choice([1, 5, 10, 100])
        got = asyncio.run(store.search(query, kinds, first))
        assert got == _brute_search(store, query, kinds, first), (query, kinds, first)


def test_search_above_the_candidate_cut_still_puts_exact_names_first() -> None:
    store = _store()
    rng = random.Random(5)
    names = [e.name for e in store.graph._index.dataset.entities.values()]
    for name in rng.sample(names, 20):
        (hit, *_) = asyncio.run(store.search(name, None, 10))
        assert hit.score == 1.0 and name in hit.entity.names


def _brute_path(store: MemoryStore, source: str, target: str, limit: int) -> list[str] | None:
    """Distances from the target over the whole graph, then the greedy smallest ids."""
    by_node = store.graph._index.relations_by_node
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if distance[node] >= limit:
            continue
        for rel in by_node.get(node, ()):
            other = rel.other(node)
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    if source not in distance:
        return None
    path = [source]
    while path[-1] != target:
        step = distance[path[-1]] - 1
        path.append(
            min(o for r in by_node[path[-1]] if distance.get(o := r.other(path[-1])) == step)
        )
    return path


def test_shortest_paths_are_the_brute_force_ones() -> None:
    store = _store()
    rng = random.Random(3)
    ids = sorted(store.graph._index.dataset.entities)
    hubs = sorted(
        store.graph._index.relations_by_node,
        key=lambda n: -len(store.graph._index.relations_by_node[n]),
    )[:5]
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(60)]
    pairs += [(h, rng.choice(ids)) for h in hubs] + [(rng.choice(ids), h) for h in hubs]
    for source, target in pairs:
        for limit in (2, 6):
            path = asyncio.run(store.shortest_path(source, target, max_length=limit))
            expected = _brute_path(store, source, target, limit)
            assert (None if path is None else [n.id for n in path.nodes]) == expected
            if path is not None:  # between neighbours, the relation with the smallest key
                for a, b, rel in zip(expected[:-1], expected[1:], path.edges, strict=True):
                    links = [r for r in store.graph._index.relations_by_node[a] if r.other(a) == b]
                    assert rel == min(links, key=lambda r: r.key)


def _brute_neighbors(store: MemoryStore, node: str, depth: int, first: int) -> tuple:
    by_node = store.graph._index.relations_by_node
    hops = {node: 0}
    frontier = [node]
    for level in range(1, depth + 1):
        reached = sorted({r.other(n) for n in frontier for r in by_node.get(n, ())} - set(hops))
        hops.update((o, level) for o in reached)
        frontier = reached
    chosen = sorted(hops, key=lambda n: (hops[n], n))[:first]
    kept = set(chosen)
    edges: dict[str, Relation] = {
        r.id: r for n in chosen for r in by_node.get(n, ()) if r.other(n) in kept
    }
    return chosen, sorted(edges.values(), key=lambda r: r.key)


def test_neighbors_cut_at_first_are_the_brute_force_ones() -> None:
    store = _store()
    rng = random.Random(4)
    by_node = store.graph._index.relations_by_node
    ids = sorted(store.graph._index.dataset.entities)
    centres = rng.sample(ids, 25) + sorted(by_node, key=lambda n: -len(by_node[n]))[:3]
    for centre in centres:
        for depth, first in ((1, 200), (2, 200), (2, 7), (3, 50)):
            got = asyncio.run(store.neighbors(centre, depth=depth, first=first))
            chosen, edges = _brute_neighbors(store, centre, depth, first)
            assert [n.id for n in got.nodes] == chosen
            assert got.edges == edges
