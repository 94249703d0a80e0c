"""The records a store holds: documents, entities of six kinds, and relations.

Records are small frozen dataclasses: cheap to hold by the million, hashable, and
free of any storage concern. Seed files are validated into them (``timeline.model.seeds``);
stores keep and return them.
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from timeline.model.dates import DateSpan
from timeline.model.ids import Kind
from timeline.model.text import fold

__all__ = [
    "BASES",
    "EVENT_STATUSES",
    "INFERRED",
    "OCCURRED",
    "PARTICIPATION_ROLES",
    "PARTICIPATION_TYPES",
    "PLANNED",
    "RELATION_TYPES",
    "STATED",
    "Agreement",
    "Claim",
    "Country",
    "Dataset",
    "Document",
    "Entity",
    "Event",
    "LocalizedName",
    "Node",
    "Organization",
    "Person",
    "Place",
    "Relation",
    "RelationType",
    "Source",
    "basis_of",
    "longest_span",
    "series_key",
    "unknown_relation_type",
]


@dataclass(frozen=True, slots=True)
class RelationType:
    """What a relation type means and which kinds of node it may link."""

    meaning: str
    subjects: frozenset[Kind]
    objects: frozenset[Kind]


def _kinds(*names: str) -> frozenset[Kind]:
    return frozenset(Kind(name) for name in names)


_ACTORS = _kinds("person", "country", "organization")
_ENTITIES = _kinds("event", "person", "country", "organization", "agreement", "place")

#: The relation types (see docs/data-model.md), with the kinds each may link.
RELATION_TYPES: Mapping[str, RelationType] = {
    "ATTENDED": RelationType("took part in an event", _ACTORS, _kinds("event")),
    "HOSTED": RelationType("hosted or co-hosted an event", _ACTORS, _kinds("event")),
    "ORGANIZED": RelationType("organized or convened an event", _ACTORS, _kinds("event")),
    "HELD_IN": RelationType("an event's place", _kinds("event"), _kinds("place", "country")),
    "PART_OF": RelationType(
        "a sub-event of an event, or a place inside a place",
        _kinds("event", "place"),
        _kinds("event", "place"),
    ),
    "SIGNED": RelationType("signed an agreement", _ACTORS, _kinds("agreement")),
    "PARTY_TO": RelationType(
        "a party to or endorser of an agreement",
        _kinds("country", "organization"),
        _kinds("agreement"),
    ),
    "ADOPTED_AT": RelationType("adopted at an event", _kinds("agreement"), _kinds("event")),
    "HOLDS_POSITION": RelationType(
        "holds an office in a country or organization",
        _kinds("person"),
        _kinds("country", "organization"),
    ),
    "MEMBER_OF": RelationType("membership of an organization", _ACTORS, _kinds("organization")),
    "LOCATED_IN": RelationType(
        "located in a place or country",
        _kinds("place", "organization"),
        _kinds("place", "country"),
    ),
    "MET_WITH": RelationType("two people met", _kinds("person"), _kinds("person")),
    "ANNOUNCED": RelationType(
        "announced a policy, aid package or agreement", _ACTORS, _kinds("event", "agreement")
    ),
    "FUNDED": RelationType(
        "funded an organization or event",
        _kinds("country", "organization"),
        _kinds("organization", "event"),
    ),
    "MENTIONED_IN": RelationType("named or discussed at an event", _ENTITIES, _kinds("event")),
    "RELATED_TO": RelationType("a sourced link no other type fits", _ENTITIES, _ENTITIES),
}


def unknown_relation_type(relations: Iterable[Relation]) -> str | None:
    """Why ``relations`` cannot be stored: the first whose type is not in
    :data:`RELATION_TYPES` (a type becomes Cypher text, so only listed ones may), or None."""
    for rel in relations:
        if rel.type not in RELATION_TYPES:
            return f"unknown relation type {rel.type!r} ({rel.id})"
    return None


#: Relations to an event that make the subject one of its participants, with the role
#: a participation takes when the relation names none.
PARTICIPATION_ROLES: Mapping[str, str | None] = {
    "ATTENDED": None,
    "HOSTED": "host",
    "ORGANIZED": "organizer",
}
PARTICIPATION_TYPES = frozenset(PARTICIPATION_ROLES)


#: A source's basis: the quote itself says the fact (``stated``), or the fact follows from
#: the quote together with others or with the document's context (``inferred``, with a note).
STATED = "stated"
INFERRED = "inferred"
BASES = (STATED, INFERRED)

#: An event's status: a text reports it happened (``occurred``) or only announces it (``planned``).
OCCURRED = "occurred"
PLANNED = "planned"
EVENT_STATUSES = (OCCURRED, PLANNED)


@dataclass(frozen=True, slots=True)
class Source:
    """The evidence for one fact: a document and a verbatim quote from it.

    ``basis`` says whether the quote states the fact or the fact is inferred from it; an
    inferred source carries a ``note``: one sentence saying how the fact follows.
    """

    document: str
    quote: str
    basis: str = STATED
    note: str | None = None


def basis_of(sources: Iterable[Source]) -> str:
    """The basis of a fact from its sources: ``stated`` if any source states it.

    The one home of this rule (relations, claims and entities all use it). A fact with no
    source at all is not stated by anything, so it is ``inferred``.
    """
    return STATED if any(s.basis == STATED for s in sources) else INFERRED


@dataclass(frozen=True, slots=True)
class LocalizedName:
    """A name in one language, as a source text gives it (verbatim in its quotes)."""

    text: str
    language: str
    sources: tuple[Source, ...]

    def matches(self, locale: str) -> bool:
        """True if this name is in ``locale``'s language (``es-MX`` matches ``es``)."""
        wanted = locale.strip().replace("_", "-").lower()
        mine = self.language.lower()
        return wanted == mine or wanted.split("-")[0] == mine.split("-")[0]


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact that sources state differently, kept with its own evidence."""

    property: str
    value: str
    sources: tuple[Source, ...]

    @builtins.property  # ``property`` is a field of a claim
    def basis(self) -> str:
        return basis_of(self.sources)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A source text that facts are drawn from."""

    id: str
    title: str
    publisher: str | None = None
    published: DateSpan | None = None
    url: str | None = None
    language: str | None = None
    file: str | None = None

    kind: ClassVar[Kind] = Kind.DOCUMENT


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """Anything that can take part in events or relations."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    sources: tuple[Source, ...] = ()
    claims: tuple[Claim, ...] = ()
    #: Names the sources give in particular languages.
    localized_names: tuple[LocalizedName, ...] = ()

    kind: ClassVar[Kind]

    @property
    def names(self) -> tuple[str, ...]:
        """Every name search knows: the name, aliases and names in other languages."""
        extra = tuple(n.text for n in self.localized_names if n.text not in self.aliases)
        return (self.name, *self.aliases, *extra)

    def name_in(self, locale: str | None) -> str:
        """The name in ``locale``'s language where the sources give one, else ``name``."""
        if locale:
            exact = locale.strip().replace("_", "-").lower()
            found = [n for n in self.localized_names if n.matches(locale)]
            for name in found:
                if name.language.lower() == exact:
                    return name.text
            if found:
                return found[0].text
        return self.name

    @property
    def basis(self) -> str:
        """The basis of the entity's own facts (its dates among them), from its sources."""
        return basis_of(self.sources)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Entity):
    category: str
    date: DateSpan
    series: str | None = None
    series_order: int | None = None
    status: str = OCCURRED

    kind: ClassVar[Kind] = Kind.EVENT

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Time order: start day, end day, id (ISO days sort as strings)."""
        return (self.date.start.isoformat(), self.date.end.isoformat(), self.id)

    @property
    def series_key(self) -> tuple[int, str, str, str]:
        """Order within its series (:func:`series_key`)."""
        return series_key(self.series_order, *self.sort_key)

    @property
    def search_text(self) -> str:
        """What ``timeline(text:)`` looks in: the folded names and description."""
        return fold(" ".join((*self.names, self.description or "")))

    @property
    def span_days(self) -> int:
        """Days from the first to the last day the event can cover."""
        return (self.date.end - self.date.start).days


#: Series members without a ``series_order`` come after every numbered one.
UNNUMBERED = 2**31


def series_key(order: int | None, start: str, end: str, event_id: str) -> tuple[int, str, str, str]:
    """Order within a series: ``series_order`` where given, then time order (ISO days).

    >>> series_key(None, "2022-04-19", "2022-04-20", "event:b") > series_key(2, "2024", "", "a")
    True
    """
    return (UNNUMBERED if order is None else order, start, end, event_id)


def longest_span(records: Iterable[Node]) -> int:
    """The longest event span among ``records``, in days (0 without events): how far before
    a window's start an event overlapping it can begin, so date scans know where to stop."""
    return max((r.span_days for r in records if isinstance(r, Event)), default=0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Entity):
    kind: ClassVar[Kind] = Kind.PERSON


@dataclass(frozen=True, slots=True, kw_only=True)
class Country(Entity):
    code: str

    kind: ClassVar[Kind] = Kind.COUNTRY


@dataclass(frozen=True, slots=True, kw_only=True)
class Organization(Entity):
    acronym: str | None = None
    org_type: str | None = None
    country: str | None = None

    kind: ClassVar[Kind] = Kind.ORGANIZATION


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement(Entity):
    date: DateSpan | None = None
    agreement_type: str | None = None

    kind: ClassVar[Kind] = Kind.AGREEMENT


@dataclass(frozen=True, slots=True, kw_only=True)
class Place(Entity):
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_type: str | None = None

    kind: ClassVar[Kind] = Kind.PLACE


Node = Entity | Document

ENTITY_CLASSES: Mapping[Kind, type[Entity]] = {
    cls.kind: cls for cls in (Event, Person, Country, Organization, Agreement, Place)
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """A typed, sourced, directed link: ``subject -[type]-> object``."""

    type: str
    subject: str
    object: str
    role: str | None = None
    title: str | None = None
    date: DateSpan | None = None
    start: DateSpan | None = None
    end: DateSpan | None = None
    sources: tuple[Source, ...] = ()
    id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", relation_id(*self.key))

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two statements the same relation."""
        return (self.subject, self.type, self.object, self.role or "", self.title or "")

    def other(self, node_id: str) -> str:
        return self.object if node_id == self.subject else self.subject

    @property
    def basis(self) -> str:
        return basis_of(self.sources)


def relation_id(subject: str, type_: str, obj: str, role: str, title: str) -> str:
    """A stable id for a relation, derived from its key."""
    digest = hashlib.blake2b(
        "\x1f".join((subject, type_, obj, role, title)).encode(), digest_size=10
    )
    return "rel:" + digest.hexdigest()


@dataclass(slots=True)
class Dataset:
    """A whole, validated graph: what seeds load into and exports read out of."""

    documents: dict[str, Document] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def nodes(self) -> Iterator[Node]:
        yield from self.documents.values()
        yield from self.entities.values()

    def of_kind(self, kind: Kind) -> Iterable[Entity]:
        return (e for e in self.entities.values() if e.kind is kind)

    def counts(self) -> dict[str, int]:
        """Counts by kind, plus documents, relations and sources."""
        counts = {kind.value: 0 for kind in Kind}
        for node in self.nodes():
            counts[node.kind.value] += 1
        counts["relation"] = len(self.relations)
        counts["source"] = sum(len(e.sources) for e in self.entities.values()) + sum(
            len(r.sources) for r in self.relations
        )
        return counts

    def version(self) -> str:
        """A digest of the whole content: changes whenever any fact changes."""
        digest = hashlib.blake2b(digest_size=12)
        for node in sorted(self.nodes(), key=lambda n: n.id):
            digest.update(repr(node).encode())
        for relation in sorted(self.relations, key=lambda r: r.id):
            digest.update(repr(relation).encode())
        return digest.hexdigest()
