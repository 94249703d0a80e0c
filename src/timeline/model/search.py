"""The search ranking rule: one function, used by every store backend.

A store only finds *candidates* (entities with a word close to each query word: the memory
store from its word index, Neo4j from its full-text index over :func:`search_words`); which
of them match, how well, and in what order, is decided here, so both backends rank alike.

The rule, as a reader would expect it:

- **Words.** Query and entity texts are cut into words, accents, case and punctuation
  folded ("Bogotá" = "bogota", "U.S." = "us", "Panama's" = "panama"); English and Spanish
  stop words ("the", "of", "de", "la") are ignored, unless the query has nothing else.
- **Every query word must match** a word of the entity's name, aliases, acronym, venues
  (an event's places), positions (a person's offices), category (an event's category, or
  the type of an agreement, organization or place) or description: exactly, as the start
  of the word (two letters or more), or with typos, up to one edit for a word of 4 to 7
  letters and two from 8 (a swap of two letters is one edit). A word that matches nothing
  leaves the entity out.
- **Score**, in (0, 1]: 1 for an exact name or alias (the whole query, word for word), 0.98
  for an exact acronym; otherwise ``0.95 * (0.5 coverage + 0.3 fit + 0.1 order + 0.2
  category + 0.2 venue) / 1.3``, where coverage is the mean of each query word's best
  match (exact 1, prefix 0.6 to 0.9 by how much of the word it covers, one typo 0.75, two
  0.6) times its field's weight (:data:`FIELD_WEIGHTS`: name and aliases above acronym
  above description); fit is how much of the best-matching name, alias or acronym the
  query covers (an entity whose name *is* the query ranks above one whose long name
  contains it); order is the share of the query's words found in one field, halved when
  out of order; category is 1 when a query word names the entity's category or type
  ("ministerial", "summit", "visit", "meeting", "signing"); venue is 1 when, besides, a
  query word names the event's venue ("Guatemala ministerial").
- **Ties** go to the entity with more relations (its importance in the graph), then to the
  shorter name; the id only settles what is otherwise identical.

docs/api.md states the same rule for the API's users.

>>> query = parse_query("Bogotá ministerial")
>>> query.words
('bogota', 'ministerial')
>>> tokens("U.S.–Panama Arrangement, Panama's")
('us', 'panama', 'arrangement', 'panama')
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from timeline.model.records import Dataset, Entity, Event, Organization, Relation
from timeline.model.text import plain_quotes

__all__ = [
    "FIELD_WEIGHTS",
    "KIND_BITS",
    "VENUE_DEPTH",
    "Field",
    "Match",
    "Query",
    "Scored",
    "allowed_edits",
    "context_words",
    "entity_fields",
    "explain",
    "fold_word",
    "parse_query",
    "positions_of",
    "rank_key",
    "rank_key_of",
    "score_bounds",
    "score_entity",
    "search_words",
    "text_fields",
    "tokens",
    "typo_quality",
    "venues_of",
    "word_kinds",
    "word_quality",
]

#: How much a match in each field counts: name and aliases above acronym above description.
FIELD_WEIGHTS = {
    "name": 1.0,
    "alias": 1.0,
    "acronym": 0.9,
    "venue": 0.8,
    "position": 0.8,
    "category": 0.8,
    "description": 0.6,
}
#: The fields that name the entity (``fit`` and exact matches are measured on these).
NAME_FIELDS = frozenset({"name", "alias", "acronym"})
#: Each kind of field as one bit, for word indexes that record which kinds hold a word.
KIND_BITS = {kind: 1 << i for i, kind in enumerate(FIELD_WEIGHTS)}

#: Ignored in queries (and in the length of names), English and Spanish. "us" is not one:
#: it is the United States' alias, nor "un" (the UN).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "were",
        "with",
        "al",
        "con",
        "de",
        "del",
        "el",
        "en",
        "la",
        "las",
        "lo",
        "los",
        "o",
        "para",
        "por",
        "se",
        "su",
        "sus",
        "una",
        "unos",
        "unas",
        "y",
        "e",
        "u",
    ]
)

#: Spanish words for common words of names, categories and types, so that "cumbre" finds
#: summits and "reunión" meetings: those fields also hold these (folded) words.
SPANISH_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "accord": ("acuerdo",),
    "agency": ("agencia",),
    "announcement": ("anuncio",),
    "appeal": ("llamamiento",),
    "arrangement": ("acuerdo", "arreglo"),
    "arrival": ("llegada",),
    "bank": ("banco",),
    "bilateral": ("bilateral",),
    "body": ("organo",),
    "border": ("frontera",),
    "building": ("edificio",),
    "call": ("llamada",),
    "campaign": ("campana",),
    "center": ("centro",),
    "charter": ("carta",),
    "city": ("ciudad",),
    "conference": ("conferencia",),
    "coordination": ("coordinacion",),
    "declaration": ("declaracion",),
    "development": ("desarrollo",),
    "district": ("distrito", "barrio"),
    "embassy": ("embajada",),
    "finance": ("financiamiento",),
    "framework": ("marco",),
    "government": ("gobierno",),
    "group": ("grupo",),
    "humanitarian": ("humanitario", "humanitaria"),
    "inauguration": ("investidura", "toma", "posesion"),
    "intent": ("intencion",),
    "intergovernmental": ("intergubernamental",),
    "joint": ("conjunta", "conjunto"),
    "legislature": ("asamblea", "congreso"),
    "letter": ("carta",),
    "media": ("medio", "medios", "prensa"),
    "meeting": ("reunion", "encuentro"),
    "network": ("red",),
    "organization": ("organizacion",),
    "party": ("partido",),
    "policy": ("politica",),
    "political": ("politico",),
    "press": ("prensa",),
    "programme": ("programa",),
    "reception": ("recepcion",),
    "region": ("region",),
    "service": ("servicio",),
    "session": ("sesion",),
    "signing": ("firma",),
    "speech": ("discurso",),
    "square": ("plaza",),
    "statement": ("declaracion", "comunicado"),
    "strategy": ("estrategia",),
    "summit": ("cumbre",),
    "talks": ("conversaciones", "negociaciones"),
    "task": ("tarea",),
    "training": ("capacitacion", "entrenamiento"),
    "travel": ("viaje",),
    "visit": ("visita",),
    "working": ("trabajo",),
}

_GLOSSED = frozenset({"name", "alias", "category"})

_WORD = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*", re.UNICODE)
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+", re.UNICODE)


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", plain_quotes(word))
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if text.endswith("'s"):
        text = text[:-2]
    return "".join(c for c in text if c.isalnum())


def _spans(text: str) -> list[tuple[str, int, int]]:
    """The folded words of ``text`` with where each stands in it."""
    found = []
    for m in _WORD.finditer(text):
        word = _fold_word(m.group())
        if word:
            found.append((word, m.start(), m.end()))
    return found


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, in order."""
    return tuple(word for word, _, _ in _spans(text))


def allowed_edits(word: str) -> int:
    """Typos tolerated in a query word: none up to 3 letters, 1 up to 7, then 2."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def fold_word(word: str) -> str:
    """One word as the rule compares it: accents, case, punctuation and a possessive "'s"
    dropped ("Panamá's" is "panama", "U.S." is "us")."""
    return _fold_word(word)


def typo_quality(query_word: str, word: str) -> float:
    """The typo part of :func:`word_quality` (no prefixes): 1 for the same folded word,
    0.75 for one edit and 0.6 for two where :func:`allowed_edits` tolerates them, else 0.
    For matching whole words, as ingest links names in a text."""
    if query_word == word:
        return 1.0
    edits = allowed_edits(query_word)
    if edits and abs(len(query_word) - len(word)) <= edits:
        distance = OSA.distance(query_word, word, score_cutoff=edits)
        if distance <= edits:
            return 0.9 - 0.15 * distance
    return 0.0


def word_quality(query_word: str, word: str) -> float:
    """How well one query word matches one word of an entity, in [0, 1] (0: no match)."""
    if query_word == word:
        return 1.0
    quality = 0.0
    if len(query_word) >= 2 and word.startswith(query_word):
        quality = 0.6 + 0.3 * len(query_word) / len(word)
    return max(quality, typo_quality(query_word, word))


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its words without stop words, and all its words."""

    words: tuple[str, ...]
    all_words: tuple[str, ...]
    _memo: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)

    def quality(self, query_word: str, word: str) -> float:
        key = (query_word, word)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = word_quality(query_word, word)
        return found


def parse_query(text: str) -> Query:
    """The query's words, each once; stop words are dropped unless nothing else is left."""
    every = tokens(text)
    content = tuple(dict.fromkeys(w for w in every if w not in STOP_WORDS)) or tuple(
        dict.fromkeys(every)
    )
    return Query(words=content, all_words=every)


@dataclass(frozen=True, slots=True)
class Field:
    """One searchable text of an entity: which field, the text, its words and their spans.

    ``words`` are the text's words in order, then each hyphenated word joined ("H-2B" is
    "h", "2b", then "h2b"); ``base`` counts the first kind."""

    kind: str
    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    base: int

    @property
    def weight(self) -> float:
        return FIELD_WEIGHTS[self.kind]

    @property
    def length(self) -> int:
        """Its words that count for ``fit``: no stop words, no initials."""
        words = self.words[: self.base]
        return sum(1 for w in words if w not in STOP_WORDS and len(w) > 1) or 1


@functools.lru_cache(maxsize=1 << 16)
def _field(kind: str, text: str) -> Field:
    """A field (cached: names of places, categories and descriptions repeat)."""
    f = _plain_field(kind, text)
    return _with_spanish(f) if kind in _GLOSSED else f


def _plain_field(kind: str, text: str) -> Field:
    spans = _spans(text)
    joined = []
    for m in _HYPHENATED.finditer(text):
        word = _fold_word(m.group())
        if word:
            joined.append((word, m.start(), m.end()))
    every = spans + joined
    return Field(
        kind, text, tuple(w for w, _, _ in every), tuple((a, b) for _, a, b in every), len(spans)
    )


def _category(entity: Entity) -> str | None:
    """An event's category, or the type of an agreement, organization or place."""
    if isinstance(entity, Event):
        return entity.category
    return (
        getattr(entity, "agreement_type", None)
        or getattr(entity, "org_type", None)
        or (getattr(entity, "place_type", None))
    )


def _with_spanish(f: Field) -> Field:
    """The field's words, then the Spanish words for them (beyond ``base``, like joined
    words): "reunión" finds a "meeting", "cumbre" a "summit"."""
    extra = [
        (es, span)
        for w, span in zip(f.words[: f.base], f.spans, strict=False)
        for es in SPANISH_TYPE_WORDS.get(w, ())
    ]
    if not extra:
        return f
    words = f.words + tuple(w for w, _ in extra)
    return Field(f.kind, f.text, words, f.spans + tuple(span for _, span in extra), f.base)


def position_text(title: str, holder_of: str) -> str:
    """How a position reads in a person's searchable fields: "President (Panama)"."""
    return f"{title} ({holder_of})"


def entity_fields(
    entity: Entity, venues: Iterable[str] = (), positions: Iterable[str] = ()
) -> tuple[Field, ...]:
    """What of an entity is searched: name, aliases, acronym, category (an event's
    category, an agreement's, organization's or place's type), description and what the
    store reads from the graph: for an event, ``venues``, the names of the places it was
    held in and of the places and country those are in (HELD_IN, then LOCATED_IN and
    PART_OF); for a person, ``positions`` (HOLDS_POSITION, see :func:`position_text`)."""
    return text_fields(
        entity.name,
        # names the sources give in other languages are searched like aliases
        (*entity.aliases, *(name.text for name in entity.localized_names)),
        entity.acronym if isinstance(entity, Organization) else None,
        _category(entity),
        entity.description,
        venues,
        positions,
    )


def text_fields(
    name: str,
    aliases: Iterable[str] = (),
    acronym: str | None = None,
    category: str | None = None,
    description: str | None = None,
    venues: Iterable[str] = (),
    positions: Iterable[str] = (),
) -> tuple[Field, ...]:
    """:func:`entity_fields` from the texts themselves (for a store that reads only these
    properties of its candidates, not whole records)."""
    fields = [_field("name", name)]
    fields.extend(_field("alias", alias) for alias in aliases)
    if acronym:
        fields.append(_field("acronym", acronym))
    if category:
        fields.append(_field("category", category.replace("_", " ")))
    if description:
        fields.append(_field("description", description))
    fields.extend(_field("venue", venue) for venue in dict.fromkeys(venues))
    fields.extend(_field("position", p) for p in dict.fromkeys(positions))
    return tuple(f for f in fields if f.words)


def search_words(entity: Entity, venues: Iterable[str] = (), positions: Iterable[str] = ()) -> str:
    """Every word an entity can be found by (the words of :func:`entity_fields`),
    space-separated, each once: what a backend's word index holds."""
    seen: dict[str, None] = {}
    for f in entity_fields(entity, venues, positions):
        seen.update(dict.fromkeys(f.words))
    return " ".join(seen)


#: Where an event was held, as the search rule reads it: its HELD_IN places and the places
#: and countries those are in (LOCATED_IN, PART_OF), up to this many steps out.
VENUE_DEPTH = 3


def venues_of(
    dataset: Dataset, by_node: Mapping[str, Sequence[Relation]], entity_id: str
) -> list[str]:
    """The names of an event's venues (``VENUE_DEPTH``), sorted; none for other kinds."""
    if not entity_id.startswith("event:"):
        return []
    level = [
        r.object
        for r in by_node.get(entity_id, ())
        if r.type == "HELD_IN" and r.subject == entity_id
    ]
    seen = set(level)
    for _ in range(VENUE_DEPTH):
        level = [
            r.object
            for place in level
            for r in by_node.get(place, ())
            if r.subject == place and r.type in ("LOCATED_IN", "PART_OF") and r.object not in seen
        ]
        seen.update(level)
    entities = dataset.entities
    return sorted({entities[i].name for i in seen if i in entities})


def positions_of(
    dataset: Dataset, by_node: Mapping[str, Sequence[Relation]], entity_id: str
) -> list[str]:
    """A person's positions as the search rule reads them (``position_text``), sorted."""
    if not entity_id.startswith("person:"):
        return []
    entities = dataset.entities
    return sorted(
        {
            position_text(r.title or r.role or "", entities[r.object].name)
            for r in by_node.get(entity_id, ())
            if r.type == "HOLDS_POSITION" and r.subject == entity_id and r.object in entities
        }
    )


def context_words(venues: Iterable[str] = (), positions: Iterable[str] = ()) -> set[str]:
    """The words of an entity's venue and position fields (what :func:`search_words` adds
    for them): with the words a store keeps for the entity itself, every word its fields
    hold, for :func:`matches_every_word`.

    >>> sorted(context_words(["Bogotá"], [position_text("Secretary of State", "United States")]))
    ['bogota', 'of', 'secretary', 'state', 'states', 'united']
    """
    words: set[str] = set()
    for kind, texts in (("venue", venues), ("position", positions)):
        for text in texts:
            words.update(_field(kind, text).words)
    return words


@dataclass(frozen=True, slots=True)
class Match:
    """Why a hit matched: a field, its text and which parts of the text matched."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, matched) parts, in order, for highlighting."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.spans:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out


@dataclass(frozen=True, slots=True)
class Scored:
    """An entity's score for a query, and the fields that matched, best first."""

    score: float
    matches: tuple[Match, ...]


def _best_in_field(query: Query, f: Field) -> list[tuple[float, int]]:
    """For each query word: its best quality in this field and the word's position (-1)."""
    found = []
    for q in query.words:
        best, at = 0.0, -1
        for i, word in enumerate(f.words):
            quality = query.quality(q, word)
            if quality > best:
                best, at = quality, i
                if quality == 1.0:
                    break
        found.append((best, at))
    return found


def score_entity(query: Query, fields: Sequence[Field], explain: bool = True) -> Scored | None:
    """The shared rule (see the module's doc): None when some query word matches nothing.

    ``explain=False`` leaves ``matches`` empty (for ranking many candidates; explain the
    winners)."""
    if not query.words or not fields:
        return None
    per_field = [(f, _best_in_field(query, f)) for f in fields]
    n = len(query.words)
    best = [0.0] * n
    for f, found in per_field:
        for i, (quality, _) in enumerate(found):
            best[i] = max(best[i], quality * f.weight)
    if min(best) <= 0.0:
        return None
    matches = _matches(per_field) if explain else ()
    for f in fields:
        if f.kind in ("name", "alias") and f.words[: f.base] == query.all_words:
            return Scored(1.0, matches)
    for f in fields:
        if f.kind == "acronym" and f.words[: f.base] == query.all_words:
            return Scored(0.98, matches)
    coverage = sum(best) / n
    fit, order = 0.0, 0.0 if n > 1 else 1.0
    category = venue = 0.0
    for f, found in per_field:
        matched = [(q, at) for q, at in found if q > 0]
        if f.kind in NAME_FIELDS:
            fit = max(fit, sum(q for q, _ in matched) * f.weight / max(f.length, n))
        if f.kind == "category" and any(q >= 0.6 for q, _ in matched):
            category = 1.0
        if f.kind == "venue" and n > 1 and any(q >= 0.6 for q, _ in matched):
            venue = 1.0
        if n > 1 and len(matched) >= 2:
            positions = [at for _, at in matched]
            in_order = all(a < b for a, b in itertools.pairwise(positions))
            order = max(order, len(matched) / n * (1.0 if in_order else 0.5))
    # A place qualifies a category ("Panama ministerial", "visita al Darién").
    venue = venue * category
    raw = (0.5 * coverage + 0.3 * fit + 0.1 * order + 0.2 * category + 0.2 * venue) / 1.3
    return Scored(round(0.95 * raw, 4), matches)


def matches_every_word(query: Query, words: Collection[str]) -> bool:
    """Whether every query word matches one of ``words`` at all. For the words of an
    entity's fields this is exactly whether :func:`score_entity` scores it (every field's
    weight is above 0, so a word's best is 0 only where it matches nothing): a store that
    knows its candidates' words (:func:`search_words`, :func:`context_words`) drops those
    that cannot match before it builds their records and fields.

    >>> query = parse_query("Bogota ministrial")
    >>> matches_every_word(query, {"bogota", "ministerial", "2021"})
    True
    >>> matches_every_word(query, {"bogota", "summit"})
    False
    """
    return all(_matches_some(q, words) for q in query.words)


def _matches_some(query_word: str, words: Collection[str]) -> bool:
    """Whether :func:`word_quality` of ``query_word`` is above 0 for one of ``words``: the
    same word, a word it starts (two letters or more), or one within its typo allowance
    (an edit distance bounds the length difference, so no length test is needed)."""
    if query_word in words:
        return True
    if len(query_word) >= 2 and any(w.startswith(query_word) for w in words):
        return True
    edits = allowed_edits(query_word)
    return bool(edits) and (
        process.extractOne(query_word, words, scorer=OSA.distance, score_cutoff=edits) is not None
    )


def _matches(per_field: Iterable[tuple[Field, list[tuple[float, int]]]]) -> tuple[Match, ...]:
    """The fields with a matched word, most words first (name-like fields before others)."""
    ranked = []
    for order, (f, found) in enumerate(per_field):
        positions = {at for q, at in found if q > 0}
        if positions:
            weight = sum(q for q, _ in found) * f.weight
            match = Match(f.kind, f.text, _merge(f.spans[p] for p in positions))
            ranked.append((-len(positions), -weight, order, match))
    ranked.sort(key=lambda r: r[:3])
    return tuple(r[3] for r in ranked)


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Spans in order, overlapping ones merged."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def explain(
    text: str, entity: Entity, venues: Iterable[str] = (), positions: Iterable[str] = ()
) -> tuple[Match, ...]:
    """The fields of ``entity`` that ``text`` matched (empty if it does not match)."""
    scored = score_entity(parse_query(text), entity_fields(entity, venues, positions))
    return scored.matches if scored else ()


def rank_key(score: float, importance: int, entity: Entity) -> tuple[float, int, int, str]:
    """Hits sort by this: score, then importance (relations), then shorter name, then id."""
    return rank_key_of(score, importance, entity.name, entity.id)


def rank_key_of(score: float, importance: int, name: str, id_: str) -> tuple[float, int, int, str]:
    """:func:`rank_key` from an entity's name and id."""
    return (-score, -importance, len(name), id_)


# --- bounds, for word indexes --------------------------------------------------------------------


def word_kinds(fields: Iterable[Field]) -> dict[str, int]:
    """Every word of ``fields`` with the :data:`KIND_BITS` of the kinds of field holding
    it: what a word index stores per entity and word to bound scores
    (:func:`score_bounds`)."""
    found: dict[str, int] = {}
    for f in fields:
        bit = KIND_BITS[f.kind]
        for word in f.words:
            found[word] = found.get(word, 0) | bit
    return found


def _mask_weights(kinds: Iterable[str]) -> npt.NDArray[np.float64]:
    """For every mask of :data:`KIND_BITS`: the largest weight of its kinds among ``kinds``."""
    table = np.zeros(1 << len(KIND_BITS))
    for mask in range(len(table)):
        table[mask] = max((FIELD_WEIGHTS[k] for k in kinds if mask & KIND_BITS[k]), default=0.0)
    return table


#: A mask's weight: a word in fields of those kinds counts this much at best ...
MASK_WEIGHT = _mask_weights(FIELD_WEIGHTS)
#: ... and this much in a name-like field (0: in none).
MASK_NAME_WEIGHT = _mask_weights(sorted(NAME_FIELDS))
#: What a bound adds (in units of a score's last decimal) for the order of float sums.
BOUND_MARGIN = 1e-6

FloatArray = npt.NDArray[np.float64]
MaskArray = npt.NDArray[np.uint8]


def score_bounds(
    best: FloatArray,
    name_best: FloatArray,
    matched: MaskArray,
    strong: MaskArray,
    name_length: npt.NDArray[np.int32],
    exact: npt.NDArray[np.bool_],
) -> FloatArray:
    """Upper bounds of :func:`score_entity`'s scores for many entities at once (rounded as
    scores are: ``round(bound, 4)`` is a score's float when they are equal), from what
    a word index knows without reading the fields: no entity scores above its bound, so
    an index can score candidates from the highest bound down and stop when the next
    bound cannot beat the hits it has (the answers are those of scoring every entity).

    Per query word (rows) and candidate (columns): ``best``, the word's best quality times
    field weight over the entity's words (exactly ``score_entity``'s); ``name_best``, the
    same in name-like fields; ``matched`` and ``strong``, the :data:`KIND_BITS` of the
    kinds of field where it matched at all and with a quality of 0.6 or more. Per
    candidate: ``name_length``, the shortest ``Field.length`` of its name-like fields, and
    ``exact``, whether a name, alias or acronym is the query word for word (those score
    1 or 0.98). Coverage, category and venue are exact; fit is bounded through the
    shortest name, order through the kinds of field (a kind may hold several fields)."""
    n = best.shape[0]
    coverage = best.sum(axis=0) / n
    fit = np.minimum(name_best.sum(axis=0) / np.maximum(name_length, n), 1.0)
    if n > 1:
        order = np.zeros(best.shape[1])
        for bit in KIND_BITS.values():
            count = ((matched & bit) != 0).sum(axis=0)
            order = np.maximum(order, np.where(count >= 2, count / n, 0.0))
    else:
        order = np.ones(best.shape[1])
    strongest = np.bitwise_or.reduce(strong, axis=0)
    category = (strongest & KIND_BITS["category"]) != 0
    venue = category & ((strongest & KIND_BITS["venue"]) != 0) & (n > 1)
    raw = (0.5 * coverage + 0.3 * fit + 0.1 * order + 0.2 * category + 0.2 * venue) / 1.3
    # rounded up to the 4 decimals of scores, so that a bound equal to the scores of many
    # entities lets the ties between them decide (the margin covers float sums' order)
    score = np.where(exact, 1.0, 0.95 * raw)
    return np.floor(score * 1e4 + 0.5 + BOUND_MARGIN) / 1e4
