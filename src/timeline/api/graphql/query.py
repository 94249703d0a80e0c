"""The root fields a page asks first: nodes by id, the timeline, search, counts and the
data version."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from timeline.api.graphql.arguments import given, id_list, kinds_of, page_size, settings_of
from timeline.api.graphql.enums import EntityKind, EventStatus
from timeline.api.graphql.fields import Info, field
from timeline.api.graphql.research import KindCount, SearchHit, SearchMatch
from timeline.api.graphql.types import (
    Entity,
    Event,
    EventConnection,
    Node,
    load_entity,
    load_timeline,
    prefetch_events,
    prefetch_relations,
    wants_links,
    wants_reasons,
    wrap_entity,
    wrap_node,
)
from timeline.model.involvement import Mode
from timeline.services.arguments import InvalidArgument
from timeline.services.timeline import timeline_query
from timeline.stores import base

# --- the root ----------------------------------------------------------------------------------


@strawberry.type
class Query:
    @field(description="Any node (entity or document) by id; null if there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        prefetch_relations(info, str(id))
        return wrap_node(await info.context.loaders.nodes.load(str(id)))

    @field(description="An entity by id; null if there is none.")
    async def entity(self, info: Info, id: strawberry.ID) -> Entity | None:
        prefetch_relations(info, str(id))
        prefetch_events(info, str(id))
        return await load_entity(info, str(id))

    @field(description="An event by id; null if there is none.")
    async def event(self, info: Info, id: strawberry.ID) -> Event | None:
        prefetch_relations(info, str(id))
        found = await load_entity(info, str(id))
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
        order: base.Order | None = base.Order.ASC,
        first: int | None = 20,
        after: str | None = strawberry.UNSET,
        involving_mode: Annotated[
            Mode | None, strawberry.argument(name="involvingMode")
        ] = Mode.ALL,
    ) -> EventConnection:
        settings = settings_of(info)
        query = timeline_query(
            start=given(from_),
            end=given(to),
            involving=id_list(involving, settings.max_ids, "involving"),
            categories=id_list(categories, settings.max_ids, "categories"),
            text=given(text),
            status=status.value if (status := given(status)) is not None else None,
            order=order or base.Order.ASC,
            first=page_size(first, 20, settings.max_page),
            after=given(after),
            with_links=wants_links(info),
            mode=involving_mode or Mode.ALL,
            explain=wants_reasons(info),
        )
        return EventConnection.of(await load_timeline(info, query))

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
        limit = page_size(first, 10, settings_of(info).max_page)
        if not text.strip():
            raise InvalidArgument("text must not be empty")
        hits = await info.context.store.search(text, kinds_of(kinds), limit)
        return [
            SearchHit(
                node=wrap_entity(hit.entity),
                score=hit.score,
                matched=[SearchMatch.of(m) for m in hit.matched],
            )
            for hit in hits
        ]


@strawberry.type
class DataQuery:
    @field(description="Counts by kind, plus relations and sources.")
    async def stats(self, info: Info) -> list[KindCount]:
        counts = await info.context.store.stats()
        return [KindCount(kind=k, count=v) for k, v in counts.items()]

    @field(name="dataVersion", description="Changes whenever the data changes (for client caches).")
    async def data_version(self, info: Info) -> str:
        return await info.context.store.data_version()
