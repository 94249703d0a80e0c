"""The GraphQL enums of the graph: kinds, precisions, directions, orders, bases, statuses."""

from __future__ import annotations

from enum import Enum

import strawberry

from timeline.model.dates import DatePrecision
from timeline.model.ids import Kind
from timeline.model.involvement import Mode, Rule
from timeline.services.analytics import Metric
from timeline.stores.base import Order

# --- the model's own enums, registered as they are -----------------------------------------

strawberry.enum(DatePrecision)
strawberry.enum(Order)
strawberry.enum(
    Mode,
    name="InvolvingMode",
    description="How far timeline(involving:) reaches: ALL (the default) follows every "
    "rule (direct links, places within, position holders who took part, organizations "
    "of a country, and the PART_OF roll-up); DIRECT only direct links and the roll-up.",
)
strawberry.enum(
    Rule,
    name="InvolvementRule",
    description="Why an event involves an entity: DIRECT (a relation between them), PLACE "
    "(held at a place located within it), POSITION (a person holding a position in it "
    "took part), ORGANIZATION (an organization of that country took part).",
)
strawberry.enum(Metric, name="CentralityMetric")

# --- enums of the API's own ------------------------------------------------------------------
# EntityKind is Kind without DOCUMENT (a document is a node, not an entity); Basis and
# EventStatus are strings in the model (``records.STATED``, ``records.OCCURRED``), whose
# GraphQL names are upper case.


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
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"


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
