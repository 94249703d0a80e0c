"""Curation over GraphQL: the ``Mutation`` type and ``Query.auditLog``.

Every mutation needs an API key with the ``write`` scope (``timeline.api.auth``); without
one it answers ``UNAUTHENTICATED`` (no or unknown key) or ``FORBIDDEN`` (no ``write``
scope) and changes nothing. Inputs are validated by the curation service
(``timeline.services.curation``: the checks of ``timeline validate``, every quote
verbatim); problems answer ``BAD_USER_INPUT`` with ``extensions.problems`` (a list of
``{path, reason}``) and change nothing. A valid change is applied by the store all or
nothing, recorded in the audit log, and answered with the changed records and the new
data version.

One input per operation, in the field names of the rest of the API:

- ``createEntity(input: EntityInput!)``: any kind; the kind is the id's prefix
  (``event:``, ``person:`` ...), and the kind-specific fields (``category`` and ``date``
  for an event, ``code`` for a country ...) are those of ``docs/data-model.md``; a field
  of another kind is refused.
- ``updateEntity(input: EntityUpdateInput!)``: a patch; ``sources`` (required) are added.
- ``addDocument(input: DocumentInput!)``: a new document with its ``text``.
- ``addRelation`` / ``removeRelation``, ``addParticipation`` / ``removeParticipation``
  (ATTENDED, HOSTED or ORGANIZED to an event).
- ``applyChanges(input: ChangesInput!)``: any of the above at once, all or nothing (a new
  document and the entities and relations that quote it, say).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from timeline.api.errors import BAD_USER_INPUT, CONFLICT, UNAVAILABLE, ClientError
from timeline.api.graphql.enums import Basis, EventStatus
from timeline.api.graphql.fields import Info, field, mutation
from timeline.api.graphql.permissions import CanAdmin, CanWrite
from timeline.api.graphql.types import (
    BASIS_RULE,
    DateSpan,
    Entity,
    Node,
    PageInfo,
    Source,
    load_entity,
    sources_of,
    wrap_node,
)
from timeline.model import records as rec
from timeline.services.arguments import InvalidArgument
from timeline.services.audit import (
    audit_cursor,
    audit_seq,
)
from timeline.services.curation import CurationError, CurationRequest, Curator, Item, WriteConflict

__all__ = ["AuditQuery", "Mutation"]

logger = logging.getLogger("timeline.curation")

#: Largest ``auditLog(first:)``.
MAX_AUDIT_PAGE = 100


# --- inputs ------------------------------------------------------------------------------------


@strawberry.input(
    description="Evidence: a document and a verbatim quote from its text, with how it backs "
    "the fact (basis, STATED by default) and, for an INFERRED source, a note (required)."
)
class SourceInput:
    document: strawberry.ID
    quote: str
    basis: Basis | None = strawberry.field(
        default=strawberry.UNSET,
        description="STATED (default): the quote says the fact; INFERRED: the fact follows "
        "from it with other quotes or the document's context.",
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Required for INFERRED: one sentence saying how the fact follows.",
    )


@strawberry.input(description="A fact the sources state differently, with its own sources.")
class ClaimInput:
    property: str
    value: str
    sources: list[SourceInput]


@strawberry.input(
    description="A new entity. Its kind is its id's prefix (event:, person:, country:, "
    "organization:, agreement:, place:); the fields of other kinds must be left out."
)
class EntityInput:
    id: strawberry.ID
    name: str
    sources: list[SourceInput]
    aliases: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    claims: list[ClaimInput] | None = strawberry.UNSET
    category: str | None = strawberry.field(
        default=strawberry.UNSET, description="Event (required): ministerial, summit, ..."
    )
    date: str | None = strawberry.field(
        default=strawberry.UNSET, description="EDTF. Event (required), agreement."
    )
    series: str | None = strawberry.field(default=strawberry.UNSET, description="Event.")
    series_order: int | None = strawberry.field(default=strawberry.UNSET, description="Event.")
    status: EventStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="Event: OCCURRED (default) where a text reports it happened, PLANNED "
        "where one only announces it.",
    )
    code: str | None = strawberry.field(
        default=strawberry.UNSET, description="Country (required): ISO 3166-1 alpha-2."
    )
    acronym: str | None = strawberry.field(default=strawberry.UNSET, description="Organization.")
    org_type: str | None = strawberry.field(default=strawberry.UNSET, description="Organization.")
    country: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Organization, place: a country id."
    )
    agreement_type: str | None = strawberry.field(
        default=strawberry.UNSET, description="Agreement."
    )
    latitude: float | None = strawberry.field(default=strawberry.UNSET, description="Place.")
    longitude: float | None = strawberry.field(default=strawberry.UNSET, description="Place.")
    place_type: str | None = strawberry.field(default=strawberry.UNSET, description="Place.")


@strawberry.input(
    description="A change to an entity: fields given replace the entity's (null clears an "
    "optional one), fields left out stay; sources (the evidence for the change) are added."
)
class EntityUpdateInput:
    id: strawberry.ID
    sources: list[SourceInput]
    name: str | None = strawberry.UNSET
    aliases: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    claims: list[ClaimInput] | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    date: str | None = strawberry.UNSET
    series: str | None = strawberry.UNSET
    series_order: int | None = strawberry.UNSET
    status: EventStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Event: OCCURRED or PLANNED."
    )
    code: str | None = strawberry.UNSET
    acronym: str | None = strawberry.UNSET
    org_type: str | None = strawberry.UNSET
    country: strawberry.ID | None = strawberry.UNSET
    agreement_type: str | None = strawberry.UNSET
    latitude: float | None = strawberry.UNSET
    longitude: float | None = strawberry.UNSET
    place_type: str | None = strawberry.UNSET


@strawberry.input(description="A new document and its full text (quotes are checked in it).")
class DocumentInput:
    id: strawberry.ID
    title: str
    text: str
    publisher: str | None = strawberry.UNSET
    published: str | None = strawberry.field(default=strawberry.UNSET, description="EDTF.")
    url: str | None = strawberry.UNSET
    language: str | None = strawberry.field(default=strawberry.UNSET, description="BCP 47.")


@strawberry.input(description="A typed, sourced relation (docs/data-model.md lists the types).")
class RelationInput:
    from_: strawberry.ID = strawberry.field(name="from")
    type: str
    to: strawberry.ID
    sources: list[SourceInput]
    role: str | None = strawberry.UNSET
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="A position's title (HOLDS_POSITION)."
    )
    date: str | None = strawberry.field(default=strawberry.UNSET, description="EDTF.")
    start: str | None = strawberry.field(default=strawberry.UNSET, description="EDTF.")
    end: str | None = strawberry.field(default=strawberry.UNSET, description="EDTF.")


@strawberry.input(description="Which relation to remove (its key), and why.")
class RelationRemoval:
    from_: strawberry.ID = strawberry.field(name="from")
    type: str
    to: strawberry.ID
    reason: str
    role: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET


@strawberry.enum(description="The relations that make an entity one of an event's participants.")
class ParticipationType(Enum):
    ATTENDED = "ATTENDED"
    HOSTED = "HOSTED"
    ORGANIZED = "ORGANIZED"


@strawberry.input(description="A person, country or organization taking part in an event.")
class ParticipationInput:
    participant: strawberry.ID
    event: strawberry.ID
    sources: list[SourceInput]
    type: ParticipationType = ParticipationType.ATTENDED
    role: str | None = strawberry.UNSET
    date: str | None = strawberry.field(default=strawberry.UNSET, description="EDTF.")


@strawberry.input(description="Which participation to remove, and why.")
class ParticipationRemoval:
    participant: strawberry.ID
    event: strawberry.ID
    reason: str
    type: ParticipationType = ParticipationType.ATTENDED
    role: str | None = strawberry.UNSET


@strawberry.input(description="Several changes applied together, all or nothing.")
class ChangesInput:
    documents: list[DocumentInput] | None = strawberry.UNSET
    create: list[EntityInput] | None = strawberry.UNSET
    update: list[EntityUpdateInput] | None = strawberry.UNSET
    add_relations: list[RelationInput] | None = strawberry.UNSET
    remove_relations: list[RelationRemoval] | None = strawberry.UNSET
    add_participations: list[ParticipationInput] | None = strawberry.UNSET
    remove_participations: list[ParticipationRemoval] | None = strawberry.UNSET


# --- inputs -> the seed format -----------------------------------------------------------------

#: Input attribute -> seed field, where they differ.
_SEED_NAMES = {"from_": "from", "document": "doc"}


def _seed(value: Any) -> Any:
    """An input object as seed-format data: UNSET fields left out, names as the seeds'."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_seed(v) for v in value]
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is None:
        return value
    data: dict[str, Any] = {}
    for member in definition.fields:
        item = getattr(value, member.python_name)
        if item is strawberry.UNSET:
            continue
        data[_SEED_NAMES.get(member.python_name, member.python_name)] = _seed(item)
    return data


def _participation(data: Mapping[str, Any]) -> dict[str, Any]:
    """A participation as the relation it is: participant -[type]-> event."""
    relation = {k: v for k, v in data.items() if k not in ("participant", "event")}
    return {"from": data["participant"], "to": data["event"], **relation}


def _without_reason(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "reason"}


class _Request:
    """Builds a :class:`CurationRequest` from inputs, each under its input path."""

    def __init__(self, single: bool = False) -> None:
        self.request = CurationRequest()
        self.single = single

    def where(self, path: str, index: int) -> str:
        """The input path of an item: ``input`` for a one-item mutation, else indexed."""
        return path if self.single else f"{path}.{index}"

    def add(
        self,
        target: list[Item],
        path: str,
        inputs: Iterable[Any],
        data: Callable[[Any], Mapping[str, Any]] = _seed,
    ) -> None:
        """Each input as an item of ``target``: its seed-format ``data`` under its path."""
        for index, item in enumerate(inputs):
            target.append(Item(self.where(path, index), data(item)))

    def documents(self, path: str, inputs: Iterable[DocumentInput]) -> None:
        self.add(self.request.documents, path, inputs)

    def create(self, path: str, inputs: Iterable[EntityInput]) -> None:
        self.add(self.request.create, path, inputs)

    def update(self, path: str, inputs: Iterable[EntityUpdateInput]) -> None:
        self.add(self.request.update, path, inputs)

    def relations(self, path: str, inputs: Iterable[RelationInput]) -> None:
        self.add(self.request.add_relations, path, inputs)

    def removals(self, path: str, inputs: Iterable[RelationRemoval]) -> None:
        self.add(self.request.remove_relations, path, inputs, lambda i: _without_reason(_seed(i)))

    def participations(self, path: str, inputs: Iterable[ParticipationInput]) -> None:
        self.add(self.request.add_relations, path, inputs, lambda i: _participation(_seed(i)))

    def participation_removals(self, path: str, inputs: Iterable[ParticipationRemoval]) -> None:
        self.add(
            self.request.remove_relations,
            path,
            inputs,
            lambda i: _participation(_without_reason(_seed(i))),
        )


def _listed(values: list[Any] | None) -> list[Any]:
    return [] if values is None or values is strawberry.UNSET else values


# --- payloads ----------------------------------------------------------------------------------


@strawberry.type(description="A relation as curation wrote or removed it.")
class CuratedRelation:
    record: strawberry.Private[rec.Relation]

    @field(description="Derived from (from, type, to, role, title).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field
    def type(self) -> str:
        return self.record.type

    @field(name="from")
    async def from_(self, info: Info) -> Entity | None:
        return await load_entity(info, self.record.subject)

    @strawberry.field
    async def to(self, info: Info) -> Entity | None:
        return await load_entity(info, self.record.object)

    @strawberry.field
    def role(self) -> str | None:
        return self.record.role

    @strawberry.field
    def title(self) -> str | None:
        return self.record.title

    @strawberry.field
    def date(self) -> DateSpan | None:
        return DateSpan.of(self.record.date)

    @strawberry.field
    def start(self) -> DateSpan | None:
        return DateSpan.of(self.record.start)

    @strawberry.field
    def end(self) -> DateSpan | None:
        return DateSpan.of(self.record.end)

    @strawberry.field
    def sources(self) -> list[Source]:
        return sources_of(self.record.sources)

    @field(description=f"The relation's basis: {BASIS_RULE}")
    def basis(self) -> Basis:
        return Basis(self.record.basis)


@strawberry.type(description="What a curation write changed, and the data version after it.")
class CurationResult:
    data_version: str = strawberry.field(description="The data version after the write.")
    nodes: list[Node] = strawberry.field(description="Documents and entities written.")
    relations: list[CuratedRelation] = strawberry.field(description="Relations written.")
    removed_relations: list[CuratedRelation] = strawberry.field(description="Relations removed.")


# --- the write ---------------------------------------------------------------------------------


def curator_of(info: Info) -> Curator:
    curator = info.context.curator
    if curator is None:
        raise ClientError(UNAVAILABLE, "Curation is not available on this server.")
    return curator


async def write_curation(info: Info, mutation: str, request: CurationRequest) -> CurationResult:
    """The resolver's part of a curation write: the errors' codes; :meth:`Curator.write`
    does the rest (validation, lock, retries, audit). The field's :class:`CanWrite` has
    checked the caller's scope before the resolver ran."""
    who = str(info.context.caller.name)
    try:
        written = await curator_of(info).write(request, who, mutation)
    except CurationError as exc:
        problems = [{"path": p.path, "reason": p.reason} for p in exc.problems]
        raise ClientError(BAD_USER_INPUT, str(exc), {"problems": problems}) from None
    except WriteConflict as exc:
        raise ClientError(CONFLICT, str(exc)) from exc
    plan = written.plan
    return CurationResult(
        data_version=written.version,
        nodes=[n for n in (wrap_node(r) for r in plan.nodes) if n is not None],
        relations=[CuratedRelation(record=r) for r in plan.changes.relations],
        removed_relations=[CuratedRelation(record=r) for r in plan.removed],
    )


async def _one(
    info: Info, mutation: str, add: Callable[[_Request, str, list[Any]], None], input: Any
) -> CurationResult:
    """A one-input mutation: ``add`` puts its input (at the path ``input``) into the request."""
    builder = _Request(single=True)
    add(builder, "input", [input])
    return await write_curation(info, mutation, builder.request)


@strawberry.type
class Mutation:
    @mutation(
        name="createEntity",
        description="Create an entity of any kind.",
        permission_classes=[CanWrite],
    )
    async def create_entity(self, info: Info, input: EntityInput) -> CurationResult:
        return await _one(info, "createEntity", _Request.create, input)

    @mutation(
        name="updateEntity",
        description="Change an entity's fields; its sources are added to.",
        permission_classes=[CanWrite],
    )
    async def update_entity(self, info: Info, input: EntityUpdateInput) -> CurationResult:
        return await _one(info, "updateEntity", _Request.update, input)

    @mutation(
        name="addDocument",
        description="Add a document and its text.",
        permission_classes=[CanWrite],
    )
    async def add_document(self, info: Info, input: DocumentInput) -> CurationResult:
        return await _one(info, "addDocument", _Request.documents, input)

    @mutation(
        name="addRelation",
        description="Add a relation; if it exists (same from, type, to, role, title), add "
        "the sources to it.",
        permission_classes=[CanWrite],
    )
    async def add_relation(self, info: Info, input: RelationInput) -> CurationResult:
        return await _one(info, "addRelation", _Request.relations, input)

    @mutation(
        name="removeRelation", description="Remove a relation.", permission_classes=[CanWrite]
    )
    async def remove_relation(self, info: Info, input: RelationRemoval) -> CurationResult:
        return await _one(info, "removeRelation", _Request.removals, input)

    @mutation(
        name="addParticipation",
        description="Add an ATTENDED, HOSTED or ORGANIZED relation to an event.",
        permission_classes=[CanWrite],
    )
    async def add_participation(self, info: Info, input: ParticipationInput) -> CurationResult:
        return await _one(info, "addParticipation", _Request.participations, input)

    @mutation(
        name="removeParticipation",
        description="Remove a participation.",
        permission_classes=[CanWrite],
    )
    async def remove_participation(self, info: Info, input: ParticipationRemoval) -> CurationResult:
        return await _one(info, "removeParticipation", _Request.participation_removals, input)

    @mutation(
        name="applyChanges",
        description="Several changes at once, all or nothing; references may name nodes "
        "the same change creates.",
        permission_classes=[CanWrite],
    )
    async def apply_changes(self, info: Info, input: ChangesInput) -> CurationResult:
        builder = _Request()
        builder.documents("input.documents", _listed(input.documents))
        builder.create("input.create", _listed(input.create))
        builder.update("input.update", _listed(input.update))
        builder.relations("input.addRelations", _listed(input.add_relations))
        builder.removals("input.removeRelations", _listed(input.remove_relations))
        builder.participations("input.addParticipations", _listed(input.add_participations))
        builder.participation_removals(
            "input.removeParticipations", _listed(input.remove_participations)
        )
        return await write_curation(info, "applyChanges", builder.request)


# --- the audit log -------------------------------------------------------------------------------


@strawberry.type(description="One curation write: who, when, what, and the records before/after.")
class AuditEntry:
    seq: int = strawberry.field(description="The entry's position in the log, from 0.")
    at: str = strawberry.field(description="When (ISO 8601, UTC).")
    who: str = strawberry.field(description="The name of the API key that wrote.")
    mutation: str
    outcome: str = strawberry.field(description="applied, or failed (nothing changed).")
    input: JSON = strawberry.field(description="The mutation's input, by input path.")
    changes: JSON = strawberry.field(
        description="[{id, before, after}]: each record in the seed format (null: absent)."
    )
    data_version_before: str
    data_version_after: str | None
    error: str | None = None


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditLogConnection:
    edges: list[AuditEntryEdge]
    page_info: PageInfo
    total_count: int


def _audit_entry(entry: Mapping[str, Any]) -> AuditEntry:
    versions = entry.get("dataVersion") or {}
    return AuditEntry(
        seq=int(entry["seq"]),
        at=str(entry.get("at", "")),
        who=str(entry.get("who", "")),
        mutation=str(entry.get("mutation", "")),
        outcome=str(entry.get("outcome", "")),
        input=cast(JSON, entry.get("input")),
        changes=cast(JSON, entry.get("changes")),
        data_version_before=str(versions.get("before", "")),
        data_version_after=versions.get("after"),
        error=entry.get("error"),
    )


@strawberry.type
class AuditQuery:
    @field(
        name="auditLog",
        description="The curation audit log, newest first (needs an API key with the admin scope).",
        permission_classes=[CanAdmin],
    )
    async def audit_log(
        self, info: Info, first: int | None = 20, after: str | None = strawberry.UNSET
    ) -> AuditLogConnection:
        limit = 20 if first is None else first
        if not 0 <= limit <= MAX_AUDIT_PAGE:
            raise InvalidArgument(f"first must be between 0 and {MAX_AUDIT_PAGE}, got {limit}")
        cursor = None if after is strawberry.UNSET else after
        try:
            before = None if cursor is None else audit_seq(cursor)
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from None
        page = await curator_of(info).store.audit_page(limit, before)
        edges = [
            AuditEntryEdge(cursor=audit_cursor(int(e["seq"])), node=_audit_entry(e))
            for e in page.entries
        ]
        return AuditLogConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=cursor is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )
