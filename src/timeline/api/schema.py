"""The GraphQL schema: the public contract (``tests/contract/schema.graphql``) and a few
additions (``claims``, ``series``, ``orgType``, ``agreementType``, ``placeType``, relation
``title``/``start``/``end``, ``Query.stats`` and ``Query.dataVersion``; the research fields
``communities``, ``egoNetwork``, ``officeHolders``, ``entityTimeline``,
``Person.positions(asOf:)`` and ``GraphEdge.sources``).

Types wrap the store's records; resolvers reach data only through the request's loaders
(:mod:`timeline.api.loaders`) or one store call per root field, and argument limits come
from :class:`timeline.config.Settings`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.types import ExecutionContext
from strawberry.types.nodes import SelectedField, Selection

from timeline.api.errors import ErrorPolicy, log_errors
from timeline.api.extensions.response_cache import ValidationCache
from timeline.api.loaders import Context
from timeline.api.scalars import config
from timeline.config import Settings
from timeline.model import dates
from timeline.model import records as rec
from timeline.model.ids import Kind
from timeline.model.involvement import Mode
from timeline.model.records import PARTICIPATION_ROLES
from timeline.model.search import Match
from timeline.services import analytics
from timeline.services.timeline import InvalidArgument, event_cursor, timeline_query
from timeline.stores import base

__all__ = ["Query", "build_schema", "sdl"]

Info = strawberry.Info[Context, None]

#: ``neighbors(first:)`` counts nodes of a subgraph, not a page: its default is 200, so its
#: limit is this many times ``max_page``.
SUBGRAPH_PAGES = 10

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def field(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]:
    """``strawberry.field`` as a typed decorator (its keyword-only form is typed ``Any``)."""
    decorator: Callable[[F], F] = strawberry.field(name=name, description=description)
    return decorator


# --- enums -----------------------------------------------------------------------------------


@strawberry.enum
class EntityKind(Enum):
    EVENT = "event"
    PERSON = "person"
    COUNTRY = "country"
    ORGANIZATION = "organization"
    AGREEMENT = "agreement"
    PLACE = "place"

    @property
    def kind(self) -> Kind:
        return Kind(self.value)


@strawberry.enum
class DatePrecision(Enum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


@strawberry.enum
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"


@strawberry.enum
class Order(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum(
    description="How far timeline(involving:) reaches: ALL (the default) follows every "
    "rule (direct links, places within, position holders who took part, organizations "
    "of a country, and the PART_OF roll-up); DIRECT only direct links and the roll-up."
)
class InvolvingMode(Enum):
    ALL = "ALL"
    DIRECT = "DIRECT"


@strawberry.enum(
    description="Why an event involves an entity: DIRECT (a relation between them), PLACE "
    "(held at a place located within it), POSITION (a person holding a position in it "
    "took part), ORGANIZATION (an organization of that country took part)."
)
class InvolvementRule(Enum):
    DIRECT = "DIRECT"
    PLACE = "PLACE"
    POSITION = "POSITION"
    ORGANIZATION = "ORGANIZATION"


@strawberry.enum(
    description="How a source backs a fact: STATED, the quote itself says it; INFERRED, "
    "the fact follows from the quote together with others or with the document's context "
    "(the source's note says how)."
)
class Basis(Enum):
    STATED = "stated"
    INFERRED = "inferred"


@strawberry.enum(
    description="OCCURRED: a text reports the event happened; PLANNED: a text only "
    "announces it (its date is the date it was planned for)."
)
class EventStatus(Enum):
    OCCURRED = "occurred"
    PLANNED = "planned"


@strawberry.enum
class CentralityMetric(Enum):
    DEGREE = "DEGREE"
    BETWEENNESS = "BETWEENNESS"
    PAGERANK = "PAGERANK"


def _kinds(kinds: Iterable[EntityKind] | None) -> set[Kind] | None:
    return {k.kind for k in kinds} if kinds else None


# --- argument limits -------------------------------------------------------------------------


def _settings(info: Info) -> Settings:
    return info.context.settings


def _first(value: int | None, default: int, limit: int, name: str = "first") -> int:
    """A page size: the default (at most the limit) for null, else 0..limit or an error."""
    if value is None:
        return min(default, limit)
    if not 0 <= value <= limit:
        raise InvalidArgument(f"{name} must be between 0 and {limit}, got {value}")
    return value


def _range(value: int | None, default: int, low: int, high: int, name: str) -> int:
    if value is None:
        return default
    if not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high}, got {value}")
    return value


def _ids(values: Sequence[str] | None, limit: int, name: str) -> list[str]:
    values = list(dict.fromkeys(values or ()))
    if len(values) > limit:
        raise InvalidArgument(f"{name} may list at most {limit} values, got {len(values)}")
    return values


def _given(value: T | None) -> T | None:
    """None for an optional argument left out (UNSET) or given as null."""
    return None if value is strawberry.UNSET else value


def _window(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidArgument(f"'to' ({end.isoformat()}) is before 'from' ({start.isoformat()})")


# --- small value types -------------------------------------------------------------------------


@strawberry.type(description="When something happened, only as precisely as the sources say.")
class DateSpan:
    edtf: str = strawberry.field(
        description="Extended Date/Time Format (ISO 8601-2): 2022-04-20, 2021-10, 2024, "
        "2022-06-06/2022-06-10"
    )
    start: dt.date = strawberry.field(description="Earliest calendar day the span can cover.")
    end: dt.date = strawberry.field(description="Latest calendar day the span can cover.")
    precision: DatePrecision
    span: strawberry.Private[dates.DateSpan]

    @field(
        description="Human-readable, no more precise than the sources, in `locale` (CLDR via "
        "Babel; English by default): '20 April 2022', 'October 2021', '6 – 10 June 2022'; "
        "locale \"es\": '19–20 de abril de 2022', 'abril–junio de 2022', '2021–2022'. A "
        "locale with no CLDR data falls back to its language, then English."
    )
    def display(
        self,
        locale: Annotated[
            str | None,
            strawberry.argument(description="A BCP 47 tag: en, es, pt, fr, es-MX, en-US ..."),
        ] = None,
    ) -> str:
        return self.span.display_in(locale)

    @classmethod
    def of(cls, span: dates.DateSpan | None) -> DateSpan | None:
        if span is None:
            return None
        return cls(
            edtf=span.edtf,
            start=span.start,
            end=span.end,
            precision=DatePrecision(span.precision.value),
            span=span,
        )


def _span(span: dates.DateSpan) -> DateSpan:
    value = DateSpan.of(span)
    assert value is not None
    return value


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type(description="A source text that facts are drawn from.")
class Document(Node):
    record: strawberry.Private[rec.Document]

    @strawberry.field
    def title(self) -> str:
        return self.record.title

    @strawberry.field
    def publisher(self) -> str | None:
        return self.record.publisher

    @strawberry.field
    def published(self) -> DateSpan | None:
        return DateSpan.of(self.record.published)

    @strawberry.field
    def url(self) -> str | None:
        return self.record.url

    @strawberry.field
    def language(self) -> str | None:
        return self.record.language

    @classmethod
    def of(cls, record: rec.Document) -> Document:
        return cls(id=strawberry.ID(record.id), record=record)


@strawberry.type(description="The evidence for one fact: a verbatim excerpt of a document.")
class Source:
    document_id: strawberry.Private[str]
    quote: str
    basis: Basis = strawberry.field(
        description="STATED: the quote says the fact; INFERRED: the fact follows from it "
        "(see note)."
    )
    note: str | None = strawberry.field(
        description="For an INFERRED source, one sentence saying how the fact follows."
    )

    @strawberry.field
    async def document(self, info: Info) -> Document:
        record = await info.context.loaders.nodes.load(self.document_id)
        if not isinstance(record, rec.Document):
            # Seeds are validated, so this is a store inconsistency: say what is known.
            record = rec.Document(id=self.document_id, title=self.document_id)
        return Document.of(record)


def _sources(sources: Iterable[rec.Source]) -> list[Source]:
    return [
        Source(document_id=s.document, quote=s.quote, basis=Basis(s.basis), note=s.note)
        for s in sources
    ]


#: What ``basis`` means on a fact backed by several sources (one rule: records.basis_of).
BASIS_RULE = "STATED if any of its sources states it, else INFERRED."


def _basis(sources: Iterable[rec.Source]) -> Basis:
    return Basis(rec.basis_of(sources))


@strawberry.type(description="A fact that sources state differently, each with its evidence.")
class Claim:
    property: str
    value: str
    sources: list[Source]
    basis: Basis = strawberry.field(description=BASIS_RULE)


@strawberry.type(description="A name in one language, as a source text gives it.")
class LocalizedName:
    text: str
    language: str = strawberry.field(description="A BCP 47 language tag: es, en, pt ...")
    sources: list[Source]


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(
    description="One reason an event of timeline(involving:) matched: the rule, the chain "
    "of ids from the event to the entity (sub-events walked first) and a short line."
)
class Involvement:
    record: strawberry.Private[Any]

    @field(description="The listed entity this reason is about.")
    def involving(self) -> strawberry.ID:
        return strawberry.ID(self.record.involving)

    @field(description="The rule that linked the event (or its sub-event).")
    def rule(self) -> InvolvementRule:
        return InvolvementRule(self.record.rule.value)

    @field(
        description="Ids from the event to the entity: sub-events walked, then the "
        "rule's path (venue and the places it is in; the person; the organization)."
    )
    def chain(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.record.chain]

    @field(description="The names of the chain's nodes.")
    def names(self) -> list[str]:
        return list(self.record.names)

    @field(
        name="partOf",
        description="The sub-events walked (PART_OF) from the event "
        "to the one the rule links, nearest first; empty if the event itself matched.",
    )
    def part_of(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.record.chain[1 : self.record.via + 1]]

    @field(description="The relation type the rule's link uses (e.g. HOSTED, HELD_IN, ATTENDED).")
    def relation(self) -> str:
        return str(self.record.relation)

    @field(description="The position held (POSITION).")
    def title(self) -> str | None:
        return self.record.title  # type: ignore[no-any-return]

    @field(description='A short line, e.g. "held in Panama City, in Panama".')
    def description(self) -> str:
        return str(self.record.describe())


@strawberry.type
class EventEdge:
    cursor: str
    node: Event

    matched: strawberry.Private[list[Any]]

    @field(
        name="matchedBy",
        description="With timeline(involving:): why this event matched, most direct first "
        "(at most 8 per listed id); empty elsewhere.",
    )
    def matched_by(self) -> list[Involvement]:
        return [Involvement(record=r) for r in self.matched]


@strawberry.type
class EventConnection:
    edges: list[EventEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def of(cls, page: base.EventPage) -> EventConnection:
        reasons = page.reasons or {}
        edges = [
            EventEdge(cursor=event_cursor(e), node=Event.of(e), matched=reasons.get(e.id, []))
            for e in page.events
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


#: Event fields that read the event's relations or the nodes they name (participants,
#: places, documents of sources...): a page of events that selects any of them is fetched
#: with its links in the same store call, and the loaders are primed with them.
_LINKED_FIELDS = frozenset(
    {"participants", "place", "partOf", "subEvents", "agreements", "relations", "sources"}
)


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, fragments spread."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _selected(info: Info) -> list[SelectedField]:
    """The fields selected on what the resolver being run returns, fragments spread."""
    return [child for field in info.selected_fields for child in _fields(field.selections)]


def _wants_links(info: Info) -> bool:
    """Whether the events of the connection being resolved select a linked field."""
    level = _selected(info)
    for step in ("edges", "node"):
        level = [
            child for field in level if field.name == step for child in _fields(field.selections)
        ]
    return any(field.name in _LINKED_FIELDS for field in level)


def _wants_reasons(info: Info) -> bool:
    """Whether the edges of the connection being resolved select ``matchedBy``."""
    level = [
        child
        for field in _selected(info)
        if field.name == "edges"
        for child in _fields(field.selections)
    ]
    return any(field.name == "matchedBy" for field in level)


#: Entity fields that read the entity's relations.
_RELATION_FIELDS = (_LINKED_FIELDS - {"sources"}) | {
    "positions",
    "parties",
    "signatories",
    "adoptedAt",
}


def _prefetch_relations(info: Info, node_id: str) -> None:
    """Start loading a node's relations together with the node, when the selection will
    read them: the two round trips then run side by side instead of one after the other."""
    if any(field.name in _RELATION_FIELDS for field in _selected(info)):
        pending = asyncio.ensure_future(info.context.loaders.relations.load(node_id))
        # The field that reads them awaits the same future and meets any error there; if
        # the node turns out not to exist, nobody does, and the error must not be reported
        # as never retrieved.
        pending.add_done_callback(lambda done: done.cancelled() or done.exception())


async def _timeline(info: Info, query: base.TimelineQuery) -> base.EventPage:
    """A page of events; its links, when asked for, go into this request's loaders."""
    page = await info.context.store.timeline(query)
    if page.links is not None:
        loaders = info.context.loaders
        loaders.relations.prime_many(page.links.relations)
        loaders.nodes.prime_many(page.links.nodes)
    return page


# --- entities ----------------------------------------------------------------------------------


async def _entity(info: Info, node_id: str | None) -> Entity | None:
    if node_id is None:
        return None
    record = await info.context.loaders.nodes.load(node_id)
    return wrap_entity(record) if isinstance(record, rec.Entity) else None


async def _entities(info: Info, ids: Iterable[str]) -> list[Entity]:
    records = await info.context.loaders.nodes.load_many(list(ids))
    return [wrap_entity(r) for r in records if isinstance(r, rec.Entity)]


async def _relations(info: Info, node_id: str, *types: str) -> list[rec.Relation]:
    found = await info.context.loaders.relations.load(node_id)
    return [r for r in found if not types or r.type in types]


@strawberry.interface(
    description="Anything in the graph that can take part in events or relations."
)
class Entity(Node):
    record: strawberry.Private[rec.Entity]

    @strawberry.field
    def kind(self) -> EntityKind:
        return EntityKind(self.record.kind.value)

    @field(
        description="The entity's usual name; with `locale`, the name the sources give in "
        "that language (es-MX finds es) if there is one."
    )
    def name(
        self,
        locale: Annotated[
            str | None, strawberry.argument(description="A BCP 47 tag: en, es, pt, fr ...")
        ] = None,
    ) -> str:
        return self.record.name_in(locale)

    @strawberry.field
    def aliases(self) -> list[str]:
        return list(self.record.aliases)

    @field(
        description="Names the sources give in particular languages (for example the "
        "Spanish name of a Guatemalan body), each with its sources; searched like aliases."
    )
    def names(
        self,
        language: Annotated[
            str | None, strawberry.argument(description="Only names in this language.")
        ] = None,
    ) -> list[LocalizedName]:
        return [
            LocalizedName(text=n.text, language=n.language, sources=_sources(n.sources))
            for n in self.record.localized_names
            if language is None or n.matches(language)
        ]

    @strawberry.field
    def description(self) -> str | None:
        return self.record.description

    @strawberry.field
    def sources(self) -> list[Source]:
        return _sources(self.record.sources)

    @field(description="Facts the sources state differently, each with its own sources.")
    def claims(self) -> list[Claim]:
        return [
            Claim(
                property=c.property,
                value=c.value,
                sources=_sources(c.sources),
                basis=Basis(c.basis),
            )
            for c in self.record.claims
        ]

    @field(
        description="Events linked to this entity, in time order; a span overlapping "
        "[from, to] counts."
    )
    async def events(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        first: int | None = 20,
        after: str | None = strawberry.UNSET,
    ) -> EventConnection:
        settings = _settings(info)
        query = timeline_query(
            start=_given(from_),
            end=_given(to),
            linked_to=self.record.id,
            first=_first(first, 20, settings.max_page),
            after=_given(after),
            with_links=_wants_links(info),
        )
        return EventConnection.of(await _timeline(info, query))

    @field(description="Direct relations in both directions.")
    async def relations(
        self, info: Info, types: list[str] | None = strawberry.UNSET, first: int | None = 100
    ) -> list[Relation]:
        settings = _settings(info)
        limit = _first(first, 100, settings.max_page)
        wanted = _ids(types, settings.max_ids, "types")
        found = await _relations(info, self.record.id, *wanted)
        return [Relation(record=r, seen_from=self.record.id) for r in found[:limit]]


@strawberry.type(description="A typed, sourced link between two entities, seen from one of them.")
class Relation:
    record: strawberry.Private[rec.Relation]
    seen_from: strawberry.Private[str]

    @field(
        description="Upper-case relation type, e.g. ATTENDED, HOSTED, SIGNED, PARTY_TO, HELD_IN, "
        "PART_OF, HOLDS_POSITION, MENTIONED_IN."
    )
    def type(self) -> str:
        return self.record.type

    @field(description="OUT: the entity asked about is the subject; IN: it is the object.")
    def direction(self) -> Direction:
        return Direction.OUT if self.record.subject == self.seen_from else Direction.IN

    @strawberry.field
    async def other(self, info: Info) -> Entity:
        entity = await _entity(info, self.record.other(self.seen_from))
        if entity is None:
            raise LookupError(f"relation {self.record.id} names a missing node")
        return entity

    @strawberry.field
    def role(self) -> str | None:
        return self.record.role

    @field(description="A position's title (HOLDS_POSITION).")
    def title(self) -> str | None:
        return self.record.title

    @strawberry.field
    def date(self) -> DateSpan | None:
        return DateSpan.of(self.record.date)

    @field(description="When a position began (HOLDS_POSITION).")
    def start(self) -> DateSpan | None:
        return DateSpan.of(self.record.start)

    @field(description="When a position ended (HOLDS_POSITION).")
    def end(self) -> DateSpan | None:
        return DateSpan.of(self.record.end)

    @strawberry.field
    def sources(self) -> list[Source]:
        return _sources(self.record.sources)

    @field(description=f"The relation's basis: {BASIS_RULE}")
    def basis(self) -> Basis:
        return Basis(self.record.basis)


@strawberry.type
class Participation:
    entity: Entity
    role: str | None = strawberry.field(
        description="host, co-host, delegation, speaker, signatory, moderator, ... where the "
        "sources say."
    )
    sources: list[Source]
    basis: Basis = strawberry.field(description=f"The participation's basis: {BASIS_RULE}")


@strawberry.type
class Event(Entity):
    record: strawberry.Private[rec.Event]

    @field(
        description="ministerial, summit, meeting, session, press_conference, signing, visit, "
        "reception, announcement, policy, ..."
    )
    def category(self) -> str:
        return self.record.category

    @strawberry.field
    def date(self) -> DateSpan:
        return _span(self.record.date)

    @field(
        name="dateBasis",
        description=f"The basis of the date, from the event's own sources: {BASIS_RULE}",
    )
    def date_basis(self) -> Basis:
        return _basis(self.record.sources)

    @field(
        description="OCCURRED where a text reports it happened, PLANNED where one only "
        "announces it."
    )
    def status(self) -> EventStatus:
        return EventStatus(self.record.status)

    @field(description="The series slug, if the event belongs to one.")
    def series(self) -> str | None:
        return self.record.series

    @strawberry.field
    async def place(self, info: Info) -> Place | None:
        for rel in await _relations(info, self.record.id, "HELD_IN"):
            if rel.subject == self.record.id:
                place = await _entity(info, rel.object)
                if isinstance(place, Place):
                    return place
        return None

    @field(name="partOf")
    async def part_of(self, info: Info) -> Event | None:
        for rel in await _relations(info, self.record.id, "PART_OF"):
            if rel.subject == self.record.id:
                parent = await _entity(info, rel.object)
                if isinstance(parent, Event):
                    return parent
        return None

    @field(name="subEvents", description="Events PART_OF this one, in time order.")
    async def sub_events(self, info: Info) -> list[Event]:
        rels = await _relations(info, self.record.id, "PART_OF")
        found = await _entities(info, [r.subject for r in rels if r.object == self.record.id])
        events = [e for e in found if isinstance(e, Event)]
        return sorted(events, key=lambda e: e.record.sort_key)

    @field(description="Entities that ATTENDED, HOSTED or ORGANIZED the event, with their role.")
    async def participants(
        self,
        info: Info,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        role: str | None = strawberry.UNSET,
    ) -> list[Participation]:
        wanted, role = _kinds(kinds), _given(role)
        rels = [
            r
            for r in await _relations(info, self.record.id, *PARTICIPATION_ROLES)
            if r.object == self.record.id
        ]
        entities = {e.record.id: e for e in await _entities(info, [r.subject for r in rels])}
        found = []
        for rel in rels:
            entity = entities.get(rel.subject)
            part_role = rel.role or PARTICIPATION_ROLES[rel.type]
            if entity is None or (wanted is not None and entity.record.kind not in wanted):
                continue
            if role is not None and (part_role or "").casefold() != role.strip().casefold():
                continue
            found.append(
                Participation(
                    entity=entity,
                    role=part_role,
                    sources=_sources(rel.sources),
                    basis=Basis(rel.basis),
                )
            )
        return found

    @field(description="Agreements ADOPTED_AT this event.")
    async def agreements(self, info: Info) -> list[Agreement]:
        rels = await _relations(info, self.record.id, "ADOPTED_AT")
        found = await _entities(info, [r.subject for r in rels if r.object == self.record.id])
        return [a for a in found if isinstance(a, Agreement)]

    @field(description="The preceding event of the same series, if any.")
    async def previous(self, info: Info) -> Event | None:
        before, _ = await info.context.loaders.series.load(self.record.id)
        event = await _entity(info, before)
        return event if isinstance(event, Event) else None

    @field(description="The following event of the same series, if any.")
    async def next(self, info: Info) -> Event | None:
        _, after = await info.context.loaders.series.load(self.record.id)
        event = await _entity(info, after)
        return event if isinstance(event, Event) else None

    @classmethod
    def of(cls, record: rec.Event) -> Event:
        return cls(id=strawberry.ID(record.id), record=record)


@strawberry.type(
    description="An office a person holds (HOLDS_POSITION): a title in a country or "
    "organization, with its start and end where the sources give them."
)
class Position:
    record: strawberry.Private[rec.Relation]

    @strawberry.field
    def title(self) -> str:
        return self.record.title or ""

    @field(description="The country or organization the position belongs to.")
    async def organization(self, info: Info) -> Entity | None:
        return await _entity(info, self.record.object)

    @strawberry.field
    def start(self) -> DateSpan | None:
        return DateSpan.of(self.record.start)

    @strawberry.field
    def end(self) -> DateSpan | None:
        return DateSpan.of(self.record.end)

    @strawberry.field
    def sources(self) -> list[Source]:
        return _sources(self.record.sources)

    @field(description=f"The basis of the position and its dates: {BASIS_RULE}")
    def basis(self) -> Basis:
        return Basis(self.record.basis)


AS_OF_RULE = (
    "A position is held on asOf when its known start is on or before that day and its known "
    "end on or after it, as precisely as the sources say (a start of '2023' is on or before "
    "a day only from 2023-12-31); a missing start or end leaves that side open; a position "
    "with neither is undated and counts only with includeUndated."
)


@strawberry.type
class Person(Entity):
    record: strawberry.Private[rec.Person]

    @field(
        description="Offices held (HOLDS_POSITION), in the order of their relations; with "
        "asOf, only those held on that day. " + AS_OF_RULE
    )
    async def positions(
        self,
        info: Info,
        as_of: dt.date | None = strawberry.UNSET,
        include_undated: bool | None = False,
    ) -> list[Position]:
        day = _given(as_of)
        return [
            Position(record=r)
            for r in await _relations(info, self.record.id, "HOLDS_POSITION")
            if r.subject == self.record.id
            and (day is None or analytics.held_on(r, day, bool(include_undated)))
        ]


@strawberry.type
class Country(Entity):
    record: strawberry.Private[rec.Country]

    @field(description="ISO 3166-1 alpha-2, upper case.")
    def code(self) -> str:
        return self.record.code


@strawberry.type
class Organization(Entity):
    record: strawberry.Private[rec.Organization]

    @strawberry.field
    def acronym(self) -> str | None:
        return self.record.acronym

    @field(name="orgType", description="intergovernmental, development_bank, ngo, ...")
    def org_type(self) -> str | None:
        return self.record.org_type

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        country = await _entity(info, self.record.country)
        return country if isinstance(country, Country) else None


@strawberry.type
class Agreement(Entity):
    record: strawberry.Private[rec.Agreement]

    @strawberry.field
    def date(self) -> DateSpan | None:
        return DateSpan.of(self.record.date)

    @field(
        name="dateBasis",
        description="The basis of the date, from the agreement's own sources (null when "
        f"undated): {BASIS_RULE}",
    )
    def date_basis(self) -> Basis | None:
        return None if self.record.date is None else _basis(self.record.sources)

    @field(name="agreementType", description="declaration, memorandum, ...")
    def agreement_type(self) -> str | None:
        return self.record.agreement_type

    @field(description="Countries and organizations PARTY_TO the agreement.")
    async def parties(self, info: Info) -> list[Entity]:
        rels = await _relations(info, self.record.id, "PARTY_TO")
        return await _entities(info, [r.subject for r in rels if r.object == self.record.id])

    @field(description="People who SIGNED the agreement.")
    async def signatories(self, info: Info) -> list[Person]:
        rels = await _relations(info, self.record.id, "SIGNED")
        found = await _entities(info, [r.subject for r in rels if r.object == self.record.id])
        return [p for p in found if isinstance(p, Person)]

    @field(name="adoptedAt", description="The event it was ADOPTED_AT.")
    async def adopted_at(self, info: Info) -> Event | None:
        for rel in await _relations(info, self.record.id, "ADOPTED_AT"):
            if rel.subject == self.record.id:
                event = await _entity(info, rel.object)
                if isinstance(event, Event):
                    return event
        return None


@strawberry.type
class Place(Entity):
    record: strawberry.Private[rec.Place]

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        country = await _entity(info, self.record.country)
        return country if isinstance(country, Country) else None

    @strawberry.field
    def latitude(self) -> float | None:
        return self.record.latitude

    @strawberry.field
    def longitude(self) -> float | None:
        return self.record.longitude

    @field(name="placeType", description="city, venue, building, region, ...")
    def place_type(self) -> str | None:
        return self.record.place_type


_WRAPPERS: dict[type[rec.Entity], type[Entity]] = {
    rec.Event: Event,
    rec.Person: Person,
    rec.Country: Country,
    rec.Organization: Organization,
    rec.Agreement: Agreement,
    rec.Place: Place,
}


def wrap_entity(record: rec.Entity) -> Entity:
    """The GraphQL object for an entity record."""
    return _WRAPPERS[type(record)](id=strawberry.ID(record.id), record=record)


def wrap_node(record: rec.Node | None) -> Node | None:
    if isinstance(record, rec.Document):
        return Document.of(record)
    if isinstance(record, rec.Entity):
        return wrap_entity(record)
    return None


# --- graphs and rankings -----------------------------------------------------------------------


@strawberry.enum(description="Which text of an entity a search matched.")
class SearchField(Enum):
    NAME = "name"
    ALIAS = "alias"
    ACRONYM = "acronym"
    CATEGORY = "category"
    VENUE = "venue"
    POSITION = "position"
    DESCRIPTION = "description"


@strawberry.type(description="A piece of a matched text; matched pieces are the query's words.")
class TextPart:
    text: str
    matched: bool


@strawberry.type(description="One text of an entity that a search matched, for highlighting.")
class SearchMatch:
    field: SearchField
    text: str = strawberry.field(description="The whole text of that field.")
    parts: list[TextPart] = strawberry.field(
        description="The text cut into pieces, in order: joined, they are the text."
    )

    @classmethod
    def of(cls, match: Match) -> SearchMatch:
        return cls(
            field=SearchField(match.field),
            text=match.text,
            parts=[TextPart(text=t, matched=m) for t, m in match.parts()],
        )


@strawberry.type
class SearchHit:
    node: Entity
    score: float
    matched: list[SearchMatch] = strawberry.field(
        default_factory=list,
        description="Why it matched: the fields the query's words were found in, best first "
        "(a name, alias or acronym before a venue, category or description).",
    )


@strawberry.type
class GraphEdge:
    type: str
    source: strawberry.ID
    target: strawberry.ID
    role: str | None = None
    weight: float | None = None
    evidence: strawberry.Private[tuple[rec.Source, ...]] = ()

    @field(
        description="The evidence for the relation (empty for derived edges such as "
        "CO_PARTICIPATED)."
    )
    def sources(self) -> list[Source]:
        return _sources(self.evidence)

    @field(description=f"The relation's basis (null for derived edges): {BASIS_RULE}")
    def basis(self) -> Basis | None:
        return _basis(self.evidence) if self.evidence else None

    @classmethod
    def of(cls, rel: rec.Relation) -> GraphEdge:
        return cls(
            type=rel.type,
            source=strawberry.ID(rel.subject),
            target=strawberry.ID(rel.object),
            role=rel.role,
            evidence=rel.sources,
        )


@strawberry.type
class Subgraph:
    nodes: list[Entity]
    edges: list[GraphEdge]


@strawberry.type
class Path:
    length: int
    nodes: list[Entity]
    edges: list[GraphEdge]


@strawberry.type
class Ranked:
    entity: Entity
    score: float


@strawberry.type(description="How many nodes of one kind, relations or sources the graph holds.")
class KindCount:
    kind: str
    count: int


@strawberry.type(description="A Louvain community of the co-participation network.")
class Community:
    id: int = strawberry.field(
        description="Its place in the order (from 0): by size descending, then smallest member id."
    )
    size: int
    internal_weight: float | None = strawberry.field(
        description="The summed weight (shared events) of the edges inside the community."
    )
    member_ids: strawberry.Private[tuple[str, ...]]

    @field(description="The entities in the community, by id.")
    async def members(self, info: Info) -> list[Entity]:
        return await _entities(info, self.member_ids)


@strawberry.type(description="A person and an office they held on the day asked about.")
class OfficeHolding:
    person: Person
    position: Position


@strawberry.enum
class TimelineItemKind(Enum):
    EVENT = "EVENT"
    POSITION_START = "POSITION_START"
    POSITION_END = "POSITION_END"


@strawberry.type(description="One dated item of an entity's timeline.")
class TimelineItem:
    date: DateSpan = strawberry.field(
        description="The event's date, or the position's start or end."
    )
    kind: TimelineItemKind
    event: Event | None = strawberry.field(description="Set for EVENT items.")
    position: Position | None = strawberry.field(
        description="Set for POSITION_START and POSITION_END items."
    )

    @classmethod
    def of(cls, item: analytics.TimelineItem) -> TimelineItem:
        return cls(
            date=_span(item.date),
            kind=TimelineItemKind(item.kind.value),
            event=Event.of(item.event) if item.event is not None else None,
            position=Position(record=item.position) if item.position is not None else None,
        )


def _subgraph(network: analytics.Network) -> Subgraph:
    return Subgraph(
        nodes=[wrap_entity(n) for n in network.nodes],
        edges=[
            GraphEdge(
                type=e.type,
                source=strawberry.ID(e.source),
                target=strawberry.ID(e.target),
                weight=float(e.weight),
            )
            for e in network.edges
        ],
    )


# --- the root ----------------------------------------------------------------------------------


@strawberry.type
class Query:
    @field(description="Any node (entity or document) by id; null if there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        _prefetch_relations(info, str(id))
        return wrap_node(await info.context.loaders.nodes.load(str(id)))

    @field(description="An entity by id; null if there is none.")
    async def entity(self, info: Info, id: strawberry.ID) -> Entity | None:
        _prefetch_relations(info, str(id))
        return await _entity(info, str(id))

    @field(description="An event by id; null if there is none.")
    async def event(self, info: Info, id: strawberry.ID) -> Event | None:
        _prefetch_relations(info, str(id))
        found = await _entity(info, str(id))
        return found if isinstance(found, Event) else None

    @field(
        description="Events in time order; filters combine with AND; involving: events that "
        "involve every listed entity (linked directly, held at a place within it, with a "
        "person holding a position in it or, for a country, one of its organizations "
        "taking part, or with a sub-event that does; involvingMode: DIRECT keeps direct "
        "links and the roll-up only); each edge's matchedBy says why."
    )
    async def timeline(
        self,
        info: Info,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        involving: list[strawberry.ID] | None = strawberry.UNSET,
        categories: list[str] | None = strawberry.UNSET,
        text: str | None = strawberry.UNSET,
        status: EventStatus | None = strawberry.UNSET,
        order: Order | None = Order.ASC,
        first: int | None = 20,
        after: str | None = strawberry.UNSET,
        involving_mode: Annotated[
            InvolvingMode | None, strawberry.argument(name="involvingMode")
        ] = InvolvingMode.ALL,
    ) -> EventConnection:
        settings = _settings(info)
        query = timeline_query(
            start=_given(from_),
            end=_given(to),
            involving=_ids(involving, settings.max_ids, "involving"),
            categories=_ids(categories, settings.max_ids, "categories"),
            text=_given(text),
            status=status.value if (status := _given(status)) is not None else None,
            order=base.Order((order or Order.ASC).value),
            first=_first(first, 20, settings.max_page),
            after=_given(after),
            with_links=_wants_links(info),
            mode=Mode((involving_mode or InvolvingMode.ALL).value),
            explain=_wants_reasons(info),
        )
        return EventConnection.of(await _timeline(info, query))

    @field(
        description="Entities that every word of the text matches (names, aliases, acronyms, "
        "event categories and venues, descriptions), accent-, case- and typo-tolerant, "
        "best first (the ranking rule is in docs/api.md)."
    )
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        first: int | None = 10,
    ) -> list[SearchHit]:
        limit = _first(first, 10, _settings(info).max_page)
        if not text.strip():
            raise InvalidArgument("text must not be empty")
        hits = await info.context.store.search(text, _kinds(kinds), limit)
        return [
            SearchHit(
                node=wrap_entity(hit.entity),
                score=hit.score,
                matched=[SearchMatch.of(m) for m in hit.matched],
            )
            for hit in hits
        ]

    @field(description="The entities within depth hops of one entity, and the edges among them.")
    async def neighbors(
        self,
        info: Info,
        id: strawberry.ID,
        depth: int | None = 1,
        types: list[str] | None = strawberry.UNSET,
        first: int | None = 200,
    ) -> Subgraph:
        settings = _settings(info)
        graph = await info.context.store.neighbors(
            str(id),
            depth=_range(depth, 1, 1, settings.max_depth, "depth"),
            types=_ids(types, settings.max_ids, "types") or None,
            first=_first(first, 200, SUBGRAPH_PAGES * settings.max_page),
        )
        return Subgraph(
            nodes=[wrap_entity(n) for n in graph.nodes],
            edges=[GraphEdge.of(e) for e in graph.edges],
        )

    @field(name="shortestPath")
    async def shortest_path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_length: int | None = 6,
        types: list[str] | None = strawberry.UNSET,
    ) -> Path | None:
        settings = _settings(info)
        path = await info.context.store.shortest_path(
            str(from_),
            str(to),
            max_length=_range(max_length, 6, 0, settings.max_path_length, "maxLength"),
            types=_ids(types, settings.max_ids, "types") or None,
        )
        if path is None:
            return None
        return Path(
            length=path.length,
            nodes=[wrap_entity(n) for n in path.nodes],
            edges=[GraphEdge.of(e) for e in path.edges],
        )

    @field(name="commonEvents", description="Events linked to every one of the given entities.")
    async def common_events(
        self,
        info: Info,
        ids: list[strawberry.ID],
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
    ) -> list[Event]:
        wanted = _ids(ids, _settings(info).max_ids, "ids")
        start, end = _given(from_), _given(to)
        _window(start, end)
        if not wanted:
            return []
        return [Event.of(e) for e in await info.context.store.common_events(wanted, start, end)]

    @field(
        name="coParticipation",
        description="Entities linked when they take part in the same events; edge weight = "
        "number of shared events.",
    )
    async def co_participation(
        self,
        info: Info,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        min_weight: int | None = 1,
    ) -> Subgraph:
        network = await analytics.co_participation(
            info.context.store,
            _kinds(kinds),
            _given(from_),
            _given(to),
            1 if min_weight is None else min_weight,
        )
        return _subgraph(network)

    @field(
        description="Louvain communities of the co-participation network (weighted by shared "
        "events; a fixed seed gives the same answer every time), by size then smallest member "
        "id."
    )
    async def communities(
        self,
        info: Info,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        min_weight: int | None = 1,
        resolution: float | None = 1.0,
        seed: int | None = 42,
    ) -> list[Community]:
        found = await analytics.communities(
            info.context.store,
            _kinds(kinds),
            _given(from_),
            _given(to),
            1 if min_weight is None else min_weight,
            1.0 if resolution is None else resolution,
            42 if seed is None else seed,
        )
        return [
            Community(id=c.id, size=c.size, internal_weight=c.internal_weight, member_ids=c.members)
            for c in found
        ]

    @field(
        name="egoNetwork",
        description="One entity's ego network in the co-participation network: the entities "
        "within radius hops (the centre first, then by hops and id) and the weighted edges "
        "among them.",
    )
    async def ego_network(
        self,
        info: Info,
        id: strawberry.ID,
        radius: int | None = 1,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        min_weight: int | None = 1,
    ) -> Subgraph:
        network = await analytics.ego_network(
            info.context.store,
            str(id),
            _range(radius, 1, 1, _settings(info).max_depth, "radius"),
            _kinds(kinds),
            _given(from_),
            _given(to),
            1 if min_weight is None else min_weight,
        )
        return _subgraph(network)

    @field(
        name="officeHolders",
        description="Who held which office on a day (in one country or organization if "
        "given), by person, organization and title. " + AS_OF_RULE,
    )
    async def office_holders(
        self,
        info: Info,
        as_of: dt.date,
        organization: strawberry.ID | None = strawberry.UNSET,
        include_undated: bool | None = False,
    ) -> list[OfficeHolding]:
        org = _given(organization)
        found = await analytics.office_holders(
            info.context.store, as_of, str(org) if org else None, bool(include_undated)
        )
        return [
            OfficeHolding(
                person=Person(id=strawberry.ID(p.id), record=p), position=Position(record=r)
            )
            for p, r in found
        ]

    @field(
        name="entityTimeline",
        description="One entity's events (as Entity.events) and the starts and ends of its "
        "positions, merged in time order (start day, end day; on the same span a position's "
        "start before events before a position's end); items overlapping [from, to].",
    )
    async def entity_timeline(
        self,
        info: Info,
        id: strawberry.ID,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: dt.date | None = strawberry.UNSET,
        first: int | None = 100,
    ) -> list[TimelineItem]:
        settings = _settings(info)
        limit = _first(first, 100, settings.max_page)
        items = await analytics.entity_timeline(
            info.context.store, str(id), _given(from_), _given(to)
        )
        return [TimelineItem.of(item) for item in items[:limit]]

    @field(
        description="Entities ranked by a centrality score on the whole graph (undirected, "
        "simple; see docs/api.md), filtered to kinds after scoring."
    )
    async def centrality(
        self,
        info: Info,
        metric: CentralityMetric,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        first: int | None = 10,
    ) -> list[Ranked]:
        ranked = await analytics.centrality(
            info.context.store,
            analytics.Metric(metric.value),
            _kinds(kinds),
            _first(first, 10, _settings(info).max_page),
        )
        return [Ranked(entity=wrap_entity(e), score=score) for e, score in ranked]

    @field(description="Counts by kind, plus relations and sources.")
    async def stats(self, info: Info) -> list[KindCount]:
        counts = await info.context.store.stats()
        return [KindCount(kind=k, count=v) for k, v in counts.items()]

    @field(name="dataVersion", description="Changes whenever the data changes (for client caches).")
    async def data_version(self, info: Info) -> str:
        return await info.context.store.data_version()


# --- the schema --------------------------------------------------------------------------------

_TYPES = [Event, Person, Country, Organization, Agreement, Place, Document]


class TimelineSchema(strawberry.Schema):
    """The schema, logging every error (with its traceback if unexpected) before masking."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def build_schema(
    settings: Settings | None = None, serving: Sequence[Any] = ()
) -> strawberry.Schema:
    """The served schema, with the request limits of ``settings``; ``serving``: the GraphQL
    endpoint's extensions (``timeline.api.extensions``), which run first."""
    settings = settings or Settings()
    # Each limiter makes its validation rule, a class, when it is made. ValidationCache is
    # keyed on the rules, so they are made once here: a limiter made per request would
    # bring a new class each time, and every request would be validated again.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        *serving,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(limits),
        lambda: ValidationCache(maxsize=256),
        ErrorPolicy,
    ]
    from timeline.api.mutations import curation_types  # it builds on this module's types

    return TimelineSchema(**curation_types(), types=_TYPES, extensions=extensions, config=config())


def _bare_schema() -> strawberry.Schema:
    extensions: list[type[SchemaExtension]] = []
    from timeline.api.mutations import curation_types

    return strawberry.Schema(
        **curation_types(), types=_TYPES, extensions=extensions, config=config()
    )


def sdl() -> str:
    """The schema in GraphQL SDL, as served."""
    return _bare_schema().as_str()
