"""Ingest and review over GraphQL: ``ingest``, ``proposals``, ``acceptProposal``,
``rejectProposal`` (every one needs the ``write`` scope).

``ingest(input:)`` reads an article against the graph as it is and keeps the proposal set
in the store (both backends); it changes no graph data. ``acceptProposal`` turns one item
into a curation write through the same checks, lock and audit log as the other mutations
(``timeline.services.proposals`` builds the request); ``rejectProposal`` keeps the
rejection with its reason. An item's id is ``<set id>#<item id>``.
"""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from timeline.api.errors import BAD_USER_INPUT, NOT_FOUND, ClientError
from timeline.api.graphql.curation import curator_of, write_curation
from timeline.api.graphql.fields import Info, field, mutation
from timeline.api.graphql.permissions import CanWrite
from timeline.model import proposals as model
from timeline.model.dates import DateError, parse_date
from timeline.model.records import Document
from timeline.services.proposals import ReviewError, acceptance, parse_item_id, reject

__all__ = ["ProposalMutation", "ProposalQuery"]

logger = logging.getLogger("timeline.ingest")


@strawberry.enum(description="Where a proposal is in review.")
class ProposalStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


@strawberry.type(description="Where a proposal comes from: its sentence, verbatim, with offsets.")
class ProposalQuote:
    text: str
    start: int = strawberry.field(description="Offset of the sentence in the article's text.")
    end: int
    span_start: int = strawberry.field(description="Offset of the words the item is about.")
    span_end: int


@strawberry.type(description="One proposal of an ingested article (see docs/ingest.md).")
class Proposal:
    item: strawberry.Private[model.ProposalItem]
    set_id: strawberry.Private[str]

    @field(description="<set id>#<item id>")
    def id(self) -> strawberry.ID:
        return strawberry.ID(f"{self.set_id}#{self.item.id}")

    @field(description="MENTION, ENTITY, DATE, FACT or EVENT.")
    def kind(self) -> str:
        return self.item.kind.value

    @field()
    def status(self) -> ProposalStatus:
        return ProposalStatus(self.item.status.value)

    @field(description="Why it was rejected.")
    def reason(self) -> str | None:
        return self.item.reason

    @field()
    def confidence(self) -> float:
        return self.item.confidence

    @field()
    def quote(self) -> ProposalQuote:
        q = self.item.quote
        return ProposalQuote(
            text=q.text, start=q.start, end=q.end, span_start=q.span_start, span_end=q.span_end
        )

    @field(description="MENTION / linked EVENT: the graph's entity id.")
    def entity(self) -> str | None:
        return self.item.entity

    @field(description="The words as written, or the proposed name.")
    def name(self) -> str | None:
        return self.item.name

    @field(description="ENTITY: the kind guessed.")
    def entity_kind(self) -> str | None:
        return self.item.entity_kind

    @field(description="ENTITY / new EVENT: the id accepting creates.")
    def proposed_id(self) -> str | None:
        return self.item.proposed_id

    @field()
    def acronym(self) -> str | None:
        return self.item.acronym

    @field(description="ENTITY organization: the country whose body it is.")
    def country(self) -> str | None:
        return self.item.country

    @field(description="ENTITY: what suggests the kind.")
    def context(self) -> str | None:
        return self.item.context

    @field(description="DATE / EVENT: EDTF.")
    def edtf(self) -> str | None:
        return self.item.edtf

    @field(description="DAY, MONTH or YEAR.")
    def precision(self) -> str | None:
        return self.item.precision

    @field(description="DATE: counted from the document's date.")
    def relative(self) -> bool | None:
        return self.item.relative

    @field(description="FACT: the relation type.")
    def relation(self) -> str | None:
        return self.item.relation

    @field()
    def subject(self) -> str | None:
        return self.item.subject

    @field()
    def object(self) -> str | None:
        return self.item.object

    @field()
    def role(self) -> str | None:
        return self.item.role

    @field(description="FACT: STATED or INFERRED.")
    def basis(self) -> str | None:
        return self.item.basis.value if self.item.basis else None

    @field(description="FACT: why INFERRED; EVENT: why linked; MENTION: how matched.")
    def note(self) -> str | None:
        return self.item.note

    @field(description="EVENT: a category guess.")
    def category(self) -> str | None:
        return self.item.category

    @field(description="EVENT: candidate participants (ids).")
    def participants(self) -> list[str]:
        return list(self.item.participants)

    @field(description="EVENT: candidate place (id).")
    def place(self) -> str | None:
        return self.item.place

    @field(description="MENTION: other entities the words could name.")
    def alternatives(self) -> list[str]:
        return list(self.item.alternatives)


@strawberry.type(description="An ingested article and its proposals.")
class ProposalSet:
    record: strawberry.Private[model.ProposalSet]
    status_filter: strawberry.Private[model.ItemStatus | None] = None

    @field()
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @field()
    def title(self) -> str:
        return self.record.document.title

    @field(description="EDTF.")
    def published(self) -> str:
        return self.record.document.published

    @field()
    def publisher(self) -> str | None:
        return self.record.document.publisher

    @field()
    def url(self) -> str | None:
        return self.record.document.url

    @field()
    def language(self) -> str:
        return self.record.document.language

    @field(description="The article's whole text (quotes' offsets point into it).")
    def text(self) -> str:
        return self.record.text

    @field(description="When it was ingested (ISO 8601).")
    def created(self) -> str:
        return self.record.created.isoformat()

    @field(description="The document accepting adds (or reuses).")
    def document_id(self) -> str:
        return self.record.document_id

    @field(description="Its proposals, in text order (of a status, if asked).")
    def items(self, status: ProposalStatus | None = None) -> list[Proposal]:
        wanted = model.ItemStatus(status.value) if status else self.status_filter
        return [
            Proposal(item=i, set_id=self.record.id)
            for i in self.record.items
            if wanted is None or i.status is wanted
        ]


@strawberry.input(description="A plain-text article to ingest.")
class IngestInput:
    text: str
    title: str
    published: str = strawberry.field(description="EDTF: 2024-02-28, 2024-02 or 2024.")
    publisher: str | None = None
    url: str | None = None
    language: str = strawberry.field(default="en", description="en or es.")


@strawberry.type(description="An accepted proposal and the curation write it made.")
class AcceptResult:
    proposal: Proposal
    changed: bool = strawberry.field(description="False when it was accepted already.")
    data_version: str | None = strawberry.field(description="After the write (None: none).")


async def _find(info: Info, value: str) -> tuple[model.ProposalSet, model.ProposalItem]:
    try:
        set_id, item_id = parse_item_id(value)
    except ReviewError as exc:
        raise ClientError(BAD_USER_INPUT, str(exc)) from None
    found = (await info.context.store.get_proposals([set_id])).get(set_id)
    item = found.item(item_id) if found else None
    if found is None or item is None:
        raise ClientError(NOT_FOUND, f"no proposal {value!r}")
    return found, item


#: One review at a time per set: accept/reject read, change and save the whole set.
_REVIEW_LOCK = asyncio.Lock()


@strawberry.type
class ProposalQuery:
    @field(
        description="Ingested articles, newest first, with their proposals of this status "
        "(sets with none left out). Needs the write scope.",
        permission_classes=[CanWrite],
    )
    async def proposals(
        self, info: Info, status: ProposalStatus | None = None
    ) -> list[ProposalSet]:
        wanted = model.ItemStatus(status.value) if status else None
        sets = await info.context.store.list_proposals()
        return [
            ProposalSet(record=s, status_filter=wanted)
            for s in sets
            if wanted is None or any(i.status is wanted for i in s.items)
        ]

    @field(
        description="One ingested article by id. Needs the write scope.",
        permission_classes=[CanWrite],
    )
    async def proposal_set(self, info: Info, id: strawberry.ID) -> ProposalSet | None:
        found = (await info.context.store.get_proposals([str(id)])).get(str(id))
        return ProposalSet(record=found) if found else None


@strawberry.type
class ProposalMutation:
    @mutation(
        description="Read an article against the graph and keep its proposals for review; "
        "the graph is not changed.",
        permission_classes=[CanWrite],
    )
    async def ingest(self, info: Info, input: IngestInput) -> ProposalSet:
        # imported here: dateparser and pysbd take a second to load, which a worker
        # should not pay at start-up for a mutation it may never serve
        from timeline.services.ingest import DocumentError, GraphView, ingest_text

        who = str(info.context.caller.name)
        settings = info.context.settings
        try:
            published = parse_date(input.published).edtf
            if input.language not in ("en", "es"):
                raise ReviewError(f"language must be en or es, not {input.language!r}")
            meta = model.DocumentMeta(
                title=input.title.strip() or "untitled",
                published=published,
                publisher=input.publisher,
                url=input.url,
                language=input.language,
            )
            if not input.title.strip():
                raise ReviewError("an article needs its title")
            dataset = await info.context.store.dump()
            proposals = await asyncio.to_thread(
                ingest_text,
                input.text,
                meta,
                GraphView(dataset),
                max_chars=settings.max_document_chars,
            )
        except (DocumentError, DateError, ReviewError) as exc:
            raise ClientError(BAD_USER_INPUT, f"cannot ingest: {exc}") from None
        await info.context.store.save_proposals(proposals)
        logger.info("%s ingested %s: %d proposals", who, proposals.id, len(proposals.items))
        return ProposalSet(record=proposals)

    @mutation(
        description="Accept one proposal (edits: fields that replace the proposal's): it "
        "becomes a curation write with the usual checks and audit; accepting twice is a no-op.",
        permission_classes=[CanWrite],
    )
    async def accept_proposal(
        self, info: Info, id: strawberry.ID, edits: JSON | None = None
    ) -> AcceptResult:
        if edits is not None and not isinstance(edits, dict):
            raise ClientError(BAD_USER_INPUT, "edits must be an object of fields")
        async with _REVIEW_LOCK:
            proposals, item = await _find(info, str(id))
            if item.status is model.ItemStatus.ACCEPTED:
                return AcceptResult(
                    proposal=Proposal(item=item, set_id=proposals.id),
                    changed=False,
                    data_version=None,
                )
            curator = curator_of(info)
            ids = [
                proposals.document_id,
                *(x for x in (item.entity, _plain(edits).get("entity")) if x),
            ]
            nodes = await info.context.store.get_nodes([str(i) for i in ids])
            document = nodes.get(proposals.document_id)
            text = curator.document_text(document) if isinstance(document, Document) else None
            try:
                plan = acceptance(proposals, item, _plain(edits), nodes, text)
            except ReviewError as exc:
                raise ClientError(BAD_USER_INPUT, str(exc)) from None
            version = None
            if plan.request is not None:
                result = await write_curation(info, "acceptProposal", plan.request)
                version = result.data_version
            item.status, item.reason = model.ItemStatus.ACCEPTED, None
            await info.context.store.save_proposals(proposals)
        return AcceptResult(
            proposal=Proposal(item=item, set_id=proposals.id), changed=True, data_version=version
        )

    @mutation(description="Reject one proposal, keeping the reason.", permission_classes=[CanWrite])
    async def reject_proposal(self, info: Info, id: strawberry.ID, reason: str) -> Proposal:
        async with _REVIEW_LOCK:
            proposals, item = await _find(info, str(id))
            try:
                changed = reject(proposals, item, reason)
            except ReviewError as exc:
                raise ClientError(BAD_USER_INPUT, str(exc)) from None
            if changed:
                await info.context.store.save_proposals(proposals)
        return Proposal(item=item, set_id=proposals.id)


def _plain(edits: Any) -> dict[str, Any]:
    return dict(edits) if isinstance(edits, dict) else {}
