"""The research half of the schema: search hits, subgraphs, paths, rankings and their
root fields."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry

from timeline.api.graphql.arguments import (
    SUBGRAPH_PAGES,
    bounded,
    given,
    id_list,
    kinds_of,
    page_size,
    settings_of,
)
from timeline.api.graphql.enums import Basis, EntityKind
from timeline.api.graphql.fields import Info, field
from timeline.api.graphql.types import (
    AS_OF_RULE,
    BASIS_RULE,
    DateSpan,
    Entity,
    Event,
    Person,
    Position,
    Source,
    basis_of_sources,
    load_entities,
    sources_of,
    span_of,
    wrap_entity,
)
from timeline.model import records as rec
from timeline.model.search import Match
from timeline.services import analytics
from timeline.services.arguments import check_window

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
        return sources_of(self.evidence)

    @field(description=f"The relation's basis (null for derived edges): {BASIS_RULE}")
    def basis(self) -> Basis | None:
        return basis_of_sources(self.evidence) if self.evidence else None

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
        return await load_entities(info, self.member_ids)


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
            date=span_of(item.date),
            kind=TimelineItemKind(item.kind.value),
            event=Event.of(item.event) if item.event is not None else None,
            position=Position(record=item.position) if item.position is not None else None,
        )


def subgraph_of(network: analytics.Network) -> Subgraph:
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


@strawberry.type
class ResearchQuery:
    @field(description="The entities within depth hops of one entity, and the edges among them.")
    async def neighbors(
        self,
        info: Info,
        id: strawberry.ID,
        depth: int | None = 1,
        types: list[str] | None = strawberry.UNSET,
        first: int | None = 200,
    ) -> Subgraph:
        settings = settings_of(info)
        graph = await info.context.store.neighbors(
            str(id),
            depth=bounded(depth, 1, 1, settings.max_depth, "depth"),
            types=id_list(types, settings.max_ids, "types") or None,
            first=page_size(first, 200, SUBGRAPH_PAGES * settings.max_page),
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
        settings = settings_of(info)
        path = await info.context.store.shortest_path(
            str(from_),
            str(to),
            max_length=bounded(max_length, 6, 0, settings.max_path_length, "maxLength"),
            types=id_list(types, settings.max_ids, "types") or None,
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
        wanted = id_list(ids, settings_of(info).max_ids, "ids")
        start, end = given(from_), given(to)
        check_window(start, end)
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
            kinds_of(kinds),
            given(from_),
            given(to),
            1 if min_weight is None else min_weight,
        )
        return subgraph_of(network)

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
            kinds_of(kinds),
            given(from_),
            given(to),
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
            bounded(radius, 1, 1, settings_of(info).max_depth, "radius"),
            kinds_of(kinds),
            given(from_),
            given(to),
            1 if min_weight is None else min_weight,
        )
        return subgraph_of(network)

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
        org = given(organization)
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
        settings = settings_of(info)
        limit = page_size(first, 100, settings.max_page)
        items = await analytics.entity_timeline(
            info.context.store, str(id), given(from_), given(to)
        )
        return [TimelineItem.of(item) for item in items[:limit]]

    @field(
        description="Entities ranked by a centrality score on the whole graph (undirected, "
        "simple; see docs/api.md), filtered to kinds after scoring."
    )
    async def centrality(
        self,
        info: Info,
        metric: analytics.Metric,
        kinds: list[EntityKind] | None = strawberry.UNSET,
        first: int | None = 10,
    ) -> list[Ranked]:
        ranked = await analytics.centrality(
            info.context.store,
            metric,
            kinds_of(kinds),
            page_size(first, 10, settings_of(info).max_page),
        )
        return [Ranked(entity=wrap_entity(e), score=score) for e, score in ranked]
