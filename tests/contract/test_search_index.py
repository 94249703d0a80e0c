"""The memory store's word index searches exactly as scoring every entity would.

The index scores candidates from the highest bound (``timeline.model.search.score_bounds``)
down and stops when no bound left can beat its hits. Compared here with the brute force
(the shared rule applied to every entity, sorted by ``rank_key``) on the curated seeds, on
a synthetic graph larger than any candidate cut, with names, prefixes, typos, shuffled and
common words, kinds and sizes of ``first``; and every candidate's bound is checked to be at
least its score.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import random

import pytest

from tests.conftest import seed_dataset
from timeline.model.ids import Kind
from timeline.model.search import parse_query, rank_key, score_entity, tokens
from timeline.services.synth import synthesize
from timeline.stores.base import SearchResult
from timeline.stores.memory import MemoryStore


@functools.cache
def _synthetic() -> MemoryStore:
    """About 16 000 entities: above the 10 000 the index once scored in full, with words
    that thousands of entities share (synthetic names reuse a few thousand syllables)."""
    return MemoryStore(synthesize(events=12_000, seed=23))


@functools.cache
def _seeds() -> MemoryStore:
    return MemoryStore(seed_dataset())


@functools.cache
def _all_fields(store: MemoryStore) -> list:
    index = store.graph._index
    return [(e, index.fields(e), index.degree(e.id)) for e in index.entities]


def _brute(store: MemoryStore, text: str, kinds: set[Kind] | None, first: int) -> list:
    query = parse_query(text)
    if not query.words or first <= 0:
        return []
    hits = []
    for entity, fields, degree in _all_fields(store):
        if kinds and entity.kind not in kinds:
            continue
        scored = score_entity(query, fields)
        if scored is not None:
            hits.append((rank_key(scored.score, degree, entity), entity, scored))
    best = heapq.nsmallest(first, hits, key=lambda hit: hit[0])
    return [SearchResult(e, s.score, s.matches) for _, e, s in best]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(len(word) - 1)
    match rng.randrange(3):
        case 0:
            return word[:at] + rng.choice("aeioukstz") + word[at + 1 :]
        case 1:
            return word[:at] + word[at + 1 :]
        case _:
            return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _queries(store: MemoryStore, seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    entities = store.graph._index.entities
    texts = [t for e in entities for t in (*e.names, e.description or "") if t]
    queries = ["summit", "Republic", "ba", "meeting session", "ministerial Summit"]
    for _ in range(count):
        words = list(tokens(rng.choice(texts))) or ["x"]
        match rng.randrange(6):
            case 0:  # a whole name or description
                queries.append(" ".join(words))
            case 1:  # a prefix of a word
                word = rng.choice(words)
                queries.append(word[: rng.randint(2, max(2, len(word)))])
            case 2:  # typos
                queries.append(" ".join(_typo(rng, w) for w in words[:3]))
            case 3:  # words out of order, one common word added
                rng.shuffle(words)
                queries.append(" ".join([*words[:2], rng.choice(["summit", "city", "the"])]))
            case 4:  # one word
                queries.append(rng.choice(words))
            case _:  # a word and the start of another
                other = rng.choice(words)
                queries.append(f"{rng.choice(words)} {other[: max(2, len(other) // 2)]}")
    return queries


@pytest.mark.parametrize(("which", "count"), [("seeds", 150), ("synthetic", 60)])
def test_search_is_the_brute_force_answer(which: str, count: int) -> None:
    store = _seeds() if which == "seeds" else _synthetic()
    rng = random.Random(len(which))
    for text in _queries(store, count, count):
        kinds = rng.choice([None, None, None, {Kind.PERSON}, {Kind.EVENT, Kind.PLACE}])
        first = rng.choice([1, 3, 10, 10, 50])
        got = asyncio.run(store.search(text, kinds, first))
        assert got == _brute(store, text, kinds, first), (text, kinds, first)


def test_every_bound_is_at_least_the_score() -> None:
    store = _synthetic()
    index = store.graph._index
    for text in _queries(store, 7, 40):
        query = parse_query(text)
        if not query.words:
            continue
        owners, bounds = index.words.ranked(query, None)
        for owner, bound in zip(owners, bounds, strict=True):
            entity = index.entities[int(owner)]
            scored = score_entity(query, index.fields(entity), explain=False)
            assert scored is not None, (text, entity.id)  # candidates match every word
            assert scored.score <= round(float(bound), 4), (text, entity.id, scored.score, bound)
