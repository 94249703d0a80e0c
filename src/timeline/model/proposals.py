"""Proposals: what ingesting an article suggests adding to the graph, for a curator to review.

A :class:`ProposalSet` is one article (its metadata and full text) and the items found in
it. Every item carries a :class:`Quote`: the sentence it comes from, verbatim, with its
character offsets into the text, and the offsets of the words the item is about, so a
reviewer (and the accept check) can see exactly where it came from. Nothing here touches
the graph: accepting an item is a curation write (``timeline.services.proposals``).

Items are of five kinds (:class:`ItemKind`):

- ``MENTION``: a known entity named in the text (``entity``);
- ``ENTITY``: a name the graph lacks (``name``, ``entity_kind`` guessed, ``proposed_id``);
- ``DATE``: a date phrase resolved to EDTF (``edtf``) from the document's date;
- ``FACT``: a candidate relation ``subject -[relation]-> object``, ``STATED`` when the
  sentence says it, ``INFERRED`` (with a ``note``) when it only follows from the sentence;
- ``EVENT``: an event the article reports, dated where the text allows, with candidate
  ``participants`` and ``place``, linked to an existing event (``entity``) when it is the
  same one (``note`` says why).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Basis",
    "DocumentMeta",
    "ItemKind",
    "ItemStatus",
    "ProposalItem",
    "ProposalSet",
    "Quote",
]


class Basis(StrEnum):
    """How a fact follows from its quote (mirrors the dataset's source ``basis``)."""

    STATED = "STATED"
    INFERRED = "INFERRED"


class ItemKind(StrEnum):
    MENTION = "MENTION"
    ENTITY = "ENTITY"
    DATE = "DATE"
    FACT = "FACT"
    EVENT = "EVENT"


class ItemStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quote(_Model):
    """Where an item comes from: its sentence verbatim, with offsets into the text.

    ``text == document_text[start:end]``; ``span_start``/``span_end`` are the offsets of
    the words the item is about (a name, a date phrase), inside the sentence's range.
    """

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    span_start: int = Field(ge=0)
    span_end: int = Field(ge=0)

    @property
    def span(self) -> tuple[int, int]:
        return (self.span_start, self.span_end)


class ProposalItem(_Model):
    """One proposal. Which fields are set depends on ``kind`` (see the module doc)."""

    id: str
    kind: ItemKind
    quote: Quote
    confidence: float = Field(ge=0.0, le=1.0)
    status: ItemStatus = ItemStatus.PENDING
    reason: str | None = None
    #: MENTION and linked EVENT: the graph's entity id.
    entity: str | None = None
    #: MENTION: the words as written; ENTITY/EVENT: the proposed name.
    name: str | None = None
    #: ENTITY: the kind guessed (person, organization, place, agreement, event).
    entity_kind: str | None = None
    proposed_id: str | None = None
    acronym: str | None = None
    #: ENTITY organization: the country whose body it is (a ministry named from a title).
    country: str | None = None
    #: ENTITY: what in the text suggests the kind.
    context: str | None = None
    #: DATE and EVENT: EDTF, with its precision (DAY, MONTH, YEAR).
    edtf: str | None = None
    precision: str | None = None
    relative: bool | None = None
    #: FACT.
    relation: str | None = None
    subject: str | None = None
    object: str | None = None
    role: str | None = None
    basis: Basis | None = None
    #: FACT: why INFERRED; EVENT: why linked.
    note: str | None = None
    #: EVENT: a category guess, candidate participants and place (entity ids).
    category: str | None = None
    participants: list[str] = Field(default_factory=list)
    place: str | None = None
    #: MENTION: other entities the same words could name.
    alternatives: list[str] = Field(default_factory=list)


class DocumentMeta(_Model):
    title: str
    published: str
    publisher: str | None = None
    url: str | None = None
    language: str = "en"


class ProposalSet(_Model):
    """One ingested article: its metadata, its text and what was found in it."""

    id: str
    document: DocumentMeta
    text: str
    created: dt.datetime
    items: list[ProposalItem] = Field(default_factory=list)
    #: The document id accepting creates or reuses (``document:<slug>``).
    document_id: str

    def item(self, item_id: str) -> ProposalItem | None:
        return next((item for item in self.items if item.id == item_id), None)

    def of_kind(self, kind: ItemKind) -> list[ProposalItem]:
        return [item for item in self.items if item.kind is kind]
