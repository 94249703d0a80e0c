"""The GraphQL enums of the graph: kinds, precisions, directions, orders, bases, statuses."""

from __future__ import annotations

from enum import Enum

import strawberry

from timeline.model.ids import Kind

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
