"""Review of ingest's proposals: keep a proposal set, turn an accepted item into a curation
write, keep a rejection with its reason.

Accepting never bypasses curation: an item becomes a :class:`CurationRequest` in the seed
format (``timeline.services.curation``), which the caller writes with the usual checks
(verbatim quote, kinds, dates) and audit log. The first accepted item of a set also adds
the article as a document, with its text, so that the quote can be checked against it.

- MENTION: the entity gets the sentence as a new source; a spelling the entity does not
  have yet ("Bliken") becomes an alias (``edits: {"alias": false}`` to leave it out;
  ``{"entity": "<id>"}`` links another entity).
- ENTITY: a new entity, ``proposed_id`` and ``name`` unless edited; kind fields (an
  event's ``category`` and ``date``, a country's ``code`` ...) from ``edits``.
- EVENT: a linked event gets the source; a new one is created (``category``, ``date`` from
  the proposal unless edited).
- FACT: a relation ``from -[type]-> to`` with the sentence as its source (``edits`` may
  change ``from``, ``type``, ``to``, ``role``, ``title``). The dataset's ``basis`` field
  (STATED / INFERRED) is not in the curation API yet, so an item's basis and note stay on
  the proposal.
- DATE: nothing is written (a date is written with the event or entity it dates); the item
  is marked accepted.

A proposal whose quote is not its article's text any more (or not the graph's copy of
that document) cannot be accepted; accepting an accepted item is a no-op.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from timeline.model.ids import Kind, kind_of
from timeline.model.proposals import ItemKind, ItemStatus, ProposalItem, ProposalSet
from timeline.model.records import Document, Entity, Node
from timeline.model.text import fold, normalize_quote
from timeline.services.curation import CurationRequest, Item

__all__ = ["Acceptance", "ReviewError", "acceptance", "parse_item_id", "reject"]

_ENTITY_EDITS = frozenset(
    {"id", "name", "aliases", "description", "category", "date", "series", "series_order",
     "code", "acronym", "org_type", "country", "agreement_type", "latitude", "longitude",
     "place_type"}
)  # fmt: skip
_FACT_EDITS = frozenset({"from", "type", "to", "role", "title", "date", "start", "end"})
_MENTION_EDITS = frozenset({"entity", "alias"})


class ReviewError(ValueError):
    """The review action cannot be done; nothing was changed."""


def parse_item_id(value: str) -> tuple[str, str]:
    """``"<set id>#<item id>"`` into its two parts."""
    set_id, sep, item_id = value.partition("#")
    if not sep or not set_id or not item_id:
        raise ReviewError(f"not a proposal id (<set id>#<item id>): {value!r}")
    return set_id, item_id


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What accepting one item asks of curation (None: nothing to write)."""

    request: CurationRequest | None
    adds_document: bool


def check_quote(proposals: ProposalSet, item: ProposalItem, document_text: str | None) -> None:
    """Refuse an item whose quote no longer matches its article (or the graph's copy)."""
    quote = item.quote
    if proposals.text[quote.start : quote.end] != quote.text:
        raise ReviewError(
            f"the quote of {item.id} no longer matches the article's text at "
            f"{quote.start}-{quote.end}: it cannot be accepted"
        )
    if document_text is not None and normalize_quote(quote.text) not in document_text:
        raise ReviewError(
            f"the quote of {item.id} is not in the graph's text of {proposals.document_id}: "
            "it cannot be accepted"
        )


def _unknown_edits(edits: Mapping[str, Any], allowed: frozenset[str], item: ProposalItem) -> None:
    extra = sorted(set(edits) - allowed)
    if extra:
        raise ReviewError(
            f"edits {', '.join(extra)} do not apply to a {item.kind.value} proposal "
            f"(allowed: {', '.join(sorted(allowed))})"
        )


def acceptance(
    proposals: ProposalSet,
    item: ProposalItem,
    edits: Mapping[str, Any] | None,
    graph: Mapping[str, Node],
    document_text: str | None,
) -> Acceptance:
    """The curation request that accepting ``item`` (with ``edits``) makes.

    ``graph`` holds the nodes the item names (its entity, the document) as the store has
    them; ``document_text`` is the graph's normalised text of the document, if it has it.
    """
    edits = dict(edits or {})
    if item.status is ItemStatus.REJECTED:
        raise ReviewError(f"{item.id} was rejected ({item.reason}); it cannot be accepted")
    document = graph.get(proposals.document_id)
    if document is not None and not isinstance(document, Document):
        raise ReviewError(f"{proposals.document_id} is not a document")
    check_quote(proposals, item, document_text if document is not None else None)
    source = {"doc": proposals.document_id, "quote": item.quote.text}
    request = CurationRequest()
    path = f"proposal.{item.id}"

    if item.kind is ItemKind.DATE:
        _unknown_edits(edits, frozenset(), item)
        return Acceptance(None, False)
    if item.kind is ItemKind.MENTION:
        _unknown_edits(edits, _MENTION_EDITS, item)
        entity_id = str(edits.get("entity") or item.entity or "")
        entity = graph.get(entity_id)
        if not isinstance(entity, Entity):
            raise ReviewError(f"no entity {entity_id!r} in the graph")
        data: dict[str, Any] = {"id": entity_id, "sources": [source]}
        written = item.name or ""
        if (
            edits.get("alias", True)
            and written
            and fold(written) not in {fold(n) for n in entity.names}
        ):
            data["aliases"] = [*entity.aliases, written]
        request.update.append(Item(path, data))
    elif item.kind is ItemKind.ENTITY or (item.kind is ItemKind.EVENT and not item.entity):
        _unknown_edits(edits, _ENTITY_EDITS, item)
        data = {
            "id": item.proposed_id,
            "name": item.name,
            "sources": [source],
        }
        if item.kind is ItemKind.EVENT:
            data["category"] = item.category or "event"
            if item.edtf:
                data["date"] = item.edtf
        if item.acronym and item.entity_kind == Kind.ORGANIZATION.value:
            data["acronym"] = item.acronym
        if item.country and item.entity_kind == Kind.ORGANIZATION.value:
            data["country"] = item.country
        data.update(edits)
        kind = kind_of(str(data.get("id") or ""))
        if kind is Kind.EVENT and item.kind is ItemKind.ENTITY and "date" not in data:
            raise ReviewError('a new event needs its date: give edits {"date": "<EDTF>"}')
        request.create.append(Item(path, data))
    elif item.kind is ItemKind.EVENT:
        _unknown_edits(edits, frozenset(), item)
        request.update.append(Item(path, {"id": item.entity, "sources": [source]}))
    elif item.kind is ItemKind.FACT:
        _unknown_edits(edits, _FACT_EDITS, item)
        data = {"from": item.subject, "type": item.relation, "to": item.object, "sources": [source]}
        if item.role:
            data["title" if item.relation == "HOLDS_POSITION" else "role"] = item.role
        data.update(edits)
        request.add_relations.append(Item(path, data))
    adds_document = document is None
    if adds_document:
        meta = proposals.document
        doc = {
            "id": proposals.document_id,
            "title": meta.title,
            "published": meta.published,
            "language": meta.language,
            "text": proposals.text,
        }
        if meta.publisher:
            doc["publisher"] = meta.publisher
        if meta.url:
            doc["url"] = meta.url
        request.documents.append(Item("proposal.document", doc))
    return Acceptance(request, adds_document)


def reject(proposals: ProposalSet, item: ProposalItem, reason: str) -> bool:
    """Mark ``item`` rejected with ``reason``; False if it was already (a no-op)."""
    reason = reason.strip()
    if not reason:
        raise ReviewError("a rejection needs its reason")
    if item.status is ItemStatus.ACCEPTED:
        raise ReviewError(f"{item.id} was accepted already; it cannot be rejected")
    if item.status is ItemStatus.REJECTED and item.reason == reason:
        return False
    item.status, item.reason = ItemStatus.REJECTED, reason
    return True
