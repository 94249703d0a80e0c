"""The GraphQL types of the graph: enums, dates, sources, events and the other entities."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from timeline.api.graphql.arguments import given, id_list, kinds_of, page_size, settings_of
from timeline.api.graphql.enums import (
    Basis,
    Direction,
    EntityKind,
    EventStatus,
)
from timeline.api.graphql.fields import Info, field
from timeline.model import dates
from timeline.model import records as rec
from timeline.model.involvement import Rule
from timeline.model.records import PARTICIPATION_ROLES
from timeline.services import analytics
from timeline.services.arguments import InvalidArgument
from timeline.services.timeline import event_cursor, timeline_query
from timeline.stores import base

# --- small value types -------------------------------------------------------------------------


@strawberry.type(description="When something happened, only as precisely as the sources say.")
class DateSpan:
    edtf: str = strawberry.field(
        description="Extended Date/Time Format (ISO 8601-2): 2022-04-20, 2021-10, 2024, "
        "2022-06-06/2022-06-10"
    )
    start: dt.date = strawberry.field(description="Earliest calendar day the span can cover.")
    end: dt.date = strawberry.field(description="Latest calendar day the span can cover.")
    precision: dates.DatePrecision
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
            precision=span.precision,
            span=span,
        )


def span_of(span: dates.DateSpan) -> DateSpan:
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


def sources_of(sources: Iterable[rec.Source]) -> list[Source]:
    return [
        Source(document_id=s.document, quote=s.quote, basis=Basis(s.basis), note=s.note)
        for s in sources
    ]


#: What ``basis`` means on a fact backed by several sources (one rule: records.basis_of).
BASIS_RULE = "STATED if any of its sources states it, else INFERRED."


def basis_of_sources(sources: Iterable[rec.Source]) -> Basis:
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
    def rule(self) -> Rule:
        rule: Rule = self.record.rule
        return rule

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


def wants_links(info: Info) -> bool:
    """Whether the events of the connection being resolved select a linked field."""
    return _links_in(_selected(info))


def _links_in(level: list[SelectedField]) -> bool:
    """Whether an event connection's selection (``level``) selects a linked field."""
    for step in ("edges", "node"):
        level = [
            child for field in level if field.name == step for child in _fields(field.selections)
        ]
    return any(field.name in _LINKED_FIELDS for field in level)


def wants_reasons(info: Info) -> bool:
    """Whether the edges of the connection being resolved select ``matchedBy``."""
    level = [
        child
        for field in _selected(info)
        if field.name == "edges"
        for child in _fields(field.selections)
    ]
    return any(field.name == "matchedBy" for field in level)


#: Entity fields that read the entity's relations, and the types they read (None: any).
_RELATION_FIELDS: dict[str, frozenset[str] | None] = {
    "participants": frozenset(PARTICIPATION_ROLES),
    "place": frozenset({"HELD_IN"}),
    "partOf": frozenset({"PART_OF"}),
    "subEvents": frozenset({"PART_OF"}),
    "agreements": frozenset({"ADOPTED_AT"}),
    "relations": None,
    "positions": frozenset({"HOLDS_POSITION"}),
    "parties": frozenset({"PARTY_TO"}),
    "signatories": frozenset({"SIGNED"}),
    "adoptedAt": frozenset({"ADOPTED_AT"}),
}


def prefetch_relations(info: Info, node_id: str) -> None:
    """Start loading a node's relations together with the node, when the selection will
    read them: the two round trips then run side by side instead of one after the other.
    Only the relation types the selected fields read are loaded."""
    wanted = [_RELATION_FIELDS[f.name] for f in _selected(info) if f.name in _RELATION_FIELDS]
    if wanted:
        types = None if None in wanted else frozenset(t for ts in wanted if ts for t in ts)
        loaders = info.context.loaders
        loaders.plan_relations(node_id, types)
        pending = asyncio.ensure_future(loaders.relations_of(node_id, types or ()))
        # The field that reads them awaits the same future and meets any error there; if
        # the node turns out not to exist, nobody does, and the error must not be reported
        # as never retrieved.
        pending.add_done_callback(lambda done: done.cancelled() or done.exception())


def prefetch_events(info: Info, node_id: str) -> None:
    """Start an entity's ``events`` page together with the entity, when the selection asks
    for one page of them by ``first`` alone (an entity page): the page's round trip then
    runs beside the entity's instead of after it. The resolver builds its own query and
    meets this one's page only when the two queries are equal (the request's loaders key
    pages by query); arguments the resolver would refuse start nothing here."""
    asked = [f for f in _selected(info) if f.name == "events"]
    if len(asked) != 1 or not set(asked[0].arguments) <= {"first"}:
        return
    links = _links_in(list(_fields(asked[0].selections)))
    try:
        query = events_query(info, node_id, asked[0].arguments.get("first", 20), links=links)
    except (InvalidArgument, TypeError):
        return
    info.context.loaders.timeline(query)


def events_query(
    info: Info,
    node_id: str,
    first: int | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: str | None = None,
    *,
    links: bool,
) -> base.TimelineQuery:
    """The query of an entity's ``events`` field."""
    settings = settings_of(info)
    return timeline_query(
        start=start,
        end=end,
        linked_to=node_id,
        first=page_size(first, 20, settings.max_page),
        after=after,
        with_links=links,
    )


async def load_timeline(info: Info, query: base.TimelineQuery) -> base.EventPage:
    """A page of events; its links, when asked for, go into this request's loaders."""
    page = await info.context.loaders.timeline(query)
    if page.links is not None:
        loaders = info.context.loaders
        loaders.prime_relations(page.links.relations)
        loaders.nodes.prime_many(page.links.nodes)
    return page


# --- entities ----------------------------------------------------------------------------------


async def load_entity(info: Info, node_id: str | None) -> Entity | None:
    if node_id is None:
        return None
    record = await info.context.loaders.nodes.load(node_id)
    return wrap_entity(record) if isinstance(record, rec.Entity) else None


async def load_entities(info: Info, ids: Iterable[str]) -> list[Entity]:
    records = await info.context.loaders.nodes.load_many(list(ids))
    return [wrap_entity(r) for r in records if isinstance(r, rec.Entity)]


async def load_relations(info: Info, node_id: str, *types: str) -> list[rec.Relation]:
    return await info.context.loaders.relations_of(node_id, types)


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
            LocalizedName(text=n.text, language=n.language, sources=sources_of(n.sources))
            for n in self.record.localized_names
            if language is None or n.matches(language)
        ]

    @strawberry.field
    def description(self) -> str | None:
        return self.record.description

    @strawberry.field
    def sources(self) -> list[Source]:
        return sources_of(self.record.sources)

    @field(description="Facts the sources state differently, each with its own sources.")
    def claims(self) -> list[Claim]:
        return [
            Claim(
                property=c.property,
                value=c.value,
                sources=sources_of(c.sources),
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
        window = given(from_), given(to), given(after)
        query = events_query(info, self.record.id, first, *window, links=wants_links(info))
        return EventConnection.of(await load_timeline(info, query))

    @field(description="Direct relations in both directions.")
    async def relations(
        self, info: Info, types: list[str] | None = strawberry.UNSET, first: int | None = 100
    ) -> list[Relation]:
        settings = settings_of(info)
        limit = page_size(first, 100, settings.max_page)
        wanted = id_list(types, settings.max_ids, "types")
        found = await load_relations(info, self.record.id, *wanted)
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
        entity = await load_entity(info, self.record.other(self.seen_from))
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
        return sources_of(self.record.sources)

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
        return span_of(self.record.date)

    @field(
        name="dateBasis",
        description=f"The basis of the date, from the event's own sources: {BASIS_RULE}",
    )
    def date_basis(self) -> Basis:
        return basis_of_sources(self.record.sources)

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
        for rel in await load_relations(info, self.record.id, "HELD_IN"):
            if rel.subject == self.record.id:
                place = await load_entity(info, rel.object)
                if isinstance(place, Place):
                    return place
        return None

    @field(name="partOf")
    async def part_of(self, info: Info) -> Event | None:
        for rel in await load_relations(info, self.record.id, "PART_OF"):
            if rel.subject == self.record.id:
                parent = await load_entity(info, rel.object)
                if isinstance(parent, Event):
                    return parent
        return None

    @field(name="subEvents", description="Events PART_OF this one, in time order.")
    async def sub_events(self, info: Info) -> list[Event]:
        rels = await load_relations(info, self.record.id, "PART_OF")
        found = await load_entities(info, [r.subject for r in rels if r.object == self.record.id])
        events = [e for e in found if isinstance(e, Event)]
        return sorted(events, key=lambda e: e.record.sort_key)

    @field(description="Entities that ATTENDED, HOSTED or ORGANIZED the event, with their role.")
    async def participants(
        self,
        info: Info,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        role: str | None = strawberry.UNSET,
    ) -> list[Participation]:
        wanted, role = kinds_of(kinds), given(role)
        rels = [
            r
            for r in await load_relations(info, self.record.id, *PARTICIPATION_ROLES)
            if r.object == self.record.id
        ]
        entities = {e.record.id: e for e in await load_entities(info, [r.subject for r in rels])}
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
                    sources=sources_of(rel.sources),
                    basis=Basis(rel.basis),
                )
            )
        return found

    @field(description="Agreements ADOPTED_AT this event.")
    async def agreements(self, info: Info) -> list[Agreement]:
        rels = await load_relations(info, self.record.id, "ADOPTED_AT")
        found = await load_entities(info, [r.subject for r in rels if r.object == self.record.id])
        return [a for a in found if isinstance(a, Agreement)]

    @field(description="The preceding event of the same series, if any.")
    async def previous(self, info: Info) -> Event | None:
        before, _ = await info.context.loaders.series.load(self.record.id)
        event = await load_entity(info, before)
        return event if isinstance(event, Event) else None

    @field(description="The following event of the same series, if any.")
    async def next(self, info: Info) -> Event | None:
        _, after = await info.context.loaders.series.load(self.record.id)
        event = await load_entity(info, after)
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
        return await load_entity(info, self.record.object)

    @strawberry.field
    def start(self) -> DateSpan | None:
        return DateSpan.of(self.record.start)

    @strawberry.field
    def end(self) -> DateSpan | None:
        return DateSpan.of(self.record.end)

    @strawberry.field
    def sources(self) -> list[Source]:
        return sources_of(self.record.sources)

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
        day = given(as_of)
        return [
            Position(record=r)
            for r in await load_relations(info, self.record.id, "HOLDS_POSITION")
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
        country = await load_entity(info, self.record.country)
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
        return None if self.record.date is None else basis_of_sources(self.record.sources)

    @field(name="agreementType", description="declaration, memorandum, ...")
    def agreement_type(self) -> str | None:
        return self.record.agreement_type

    @field(description="Countries and organizations PARTY_TO the agreement.")
    async def parties(self, info: Info) -> list[Entity]:
        rels = await load_relations(info, self.record.id, "PARTY_TO")
        return await load_entities(info, [r.subject for r in rels if r.object == self.record.id])

    @field(description="People who SIGNED the agreement.")
    async def signatories(self, info: Info) -> list[Person]:
        rels = await load_relations(info, self.record.id, "SIGNED")
        found = await load_entities(info, [r.subject for r in rels if r.object == self.record.id])
        return [p for p in found if isinstance(p, Person)]

    @field(name="adoptedAt", description="The event it was ADOPTED_AT.")
    async def adopted_at(self, info: Info) -> Event | None:
        for rel in await load_relations(info, self.record.id, "ADOPTED_AT"):
            if rel.subject == self.record.id:
                event = await load_entity(info, rel.object)
                if isinstance(event, Event):
                    return event
        return None


@strawberry.type
class Place(Entity):
    record: strawberry.Private[rec.Place]

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        country = await load_entity(info, self.record.country)
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
