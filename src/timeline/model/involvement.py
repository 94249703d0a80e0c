"""What ``timeline(involving: [X])`` means: the one rule both stores implement.

An event *involves* X when (``Mode.ALL``, the default) any of these holds for it, or for
one of its sub-events (``PART_OF``, transitively: the roll-up):

- ``DIRECT``: the event and X are linked by a relation of any type, in either direction;
- ``PLACE`` (X a country or a place): the event was ``HELD_IN`` a place located within X;
- ``POSITION`` (X a country or an organization): a person took part in the event
  (``ATTENDED``, ``HOSTED``, ``ORGANIZED``) while holding a position in X
  (``HOLDS_POSITION`` to X). A position's ``start`` and ``end`` bound when it was held
  (a side not given is open); a position with no dates counts for every event;
- ``ORGANIZATION`` (X a country): an organization belonging to X took part in the event.

*Located within* X: a chain of at most :data:`LOCATION_DEPTH` ``LOCATED_IN`` relations
ending at X, or ending at a place or organization whose recorded ``country`` is X (the
``country`` attribute counts as one last step). An organization *belongs to* a country
when it is located within it in that sense (its own ``country`` included).

``Mode.DIRECT`` keeps only ``DIRECT`` and the roll-up: what ``involving`` meant before.
With several ids an event must involve each of them.

Each matched event of a page says why, as :class:`Involvement` records: the rule, the
chain of ids from the event to X (sub-events walked first), and a short line a person
reads ("held in Panama City, in Panama"). Stores find the candidate chains;
:func:`rank` (shared) removes repeats, orders them and keeps at most
:data:`MAX_REASONS` per listed id, so both backends give the same list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from timeline.model.records import PARTICIPATION_TYPES

__all__ = [
    "LOCATION_DEPTH",
    "MAX_REASONS",
    "Involvement",
    "Mode",
    "Rule",
    "held_during",
    "rank",
]

#: The longest chain of LOCATED_IN relations followed from a place up to X.
LOCATION_DEPTH = 8
#: At most this many reasons per event and listed id (the most direct first).
MAX_REASONS = 8

#: Relation types the rules walk (the Cypher of the Neo4j store is built from these).
VENUE = "HELD_IN"
WITHIN = "LOCATED_IN"
ROLL_UP = "PART_OF"
POSITION = "HOLDS_POSITION"
TAKING_PART = tuple(sorted(PARTICIPATION_TYPES))


class Mode(Enum):
    """How far ``involving`` reaches."""

    ALL = "ALL"  # every rule
    DIRECT = "DIRECT"  # direct links and the roll-up only


class Rule(Enum):
    """Why an event involves an entity (their order is the order reasons are listed in)."""

    DIRECT = "DIRECT"
    PLACE = "PLACE"
    POSITION = "POSITION"
    ORGANIZATION = "ORGANIZATION"


_ORDER = {rule: i for i, rule in enumerate(Rule)}

#: The kinds of X (id prefixes) each rule beyond DIRECT applies to.
APPLIES_TO: dict[Rule, frozenset[str]] = {
    Rule.PLACE: frozenset({"country", "place"}),
    Rule.POSITION: frozenset({"country", "organization"}),
    Rule.ORGANIZATION: frozenset({"country"}),
}


def applies(rule: Rule, involving: str, mode: Mode) -> bool:
    """Whether ``rule`` can match events for the entity ``involving`` in ``mode``."""
    if rule is Rule.DIRECT:
        return True
    return mode is Mode.ALL and involving.split(":", 1)[0] in APPLIES_TO[rule]


def held_during(
    position_from: str | None, position_until: str | None, start: str, end: str
) -> bool:
    """Whether a position held from ``position_from`` (its ``start``'s first day) until
    ``position_until`` (its ``end``'s last day), either None if not known, overlaps an
    event from ``start`` to ``end`` (ISO days)."""
    return (position_from is None or end >= position_from) and (
        position_until is None or start <= position_until
    )


def position_days(start: dt.date | None, end: dt.date | None) -> tuple[str | None, str | None]:
    return (start.isoformat() if start else None, end.isoformat() if end else None)


@dataclass(frozen=True, slots=True)
class Involvement:
    """One reason an event matched ``involving``.

    ``chain`` runs from the event to ``involving``: first the sub-events walked
    (``via`` of them), then the rule's own path (DIRECT: X; PLACE: the places, then X;
    POSITION: the person, then X; ORGANIZATION: the organization, any places, then X).
    ``names`` are the chain's names. ``relation`` is the relation type that links the
    last event of the chain (DIRECT: the relation to X; POSITION and ORGANIZATION: how
    the person or organization took part; PLACE: HELD_IN); ``inward`` says a DIRECT
    relation points from X to the event; ``title`` is the position held (POSITION).
    """

    involving: str
    rule: Rule
    chain: tuple[str, ...]
    names: tuple[str, ...]
    via: int
    relation: str
    inward: bool = False
    title: str | None = None

    @property
    def anchor(self) -> str:
        """The node right after the last event: X, the venue, the person, the organization."""
        return self.chain[self.via + 1]

    def describe(self) -> str:
        """One short line: "held in Panama City, in Panama", "Laurentino Cortizo,
        President of Panama, took part"."""
        own = self.names[self.via + 1 :]
        line = _describe(self.rule, self.relation, self.inward, own, self.title)
        if self.via:
            return f"through {self.names[self.via]}: {line}"
        return line

    def sort_key(self) -> tuple[int, int, int, tuple[str, ...], str, str]:
        return (
            self.via,
            _ORDER[self.rule],
            len(self.chain),
            self.chain,
            self.relation,
            self.title or "",
        )


_TOOK_PART = {"ATTENDED": "took part", "HOSTED": "hosted", "ORGANIZED": "organized"}
_FROM_X = {
    "ATTENDED": "{x} took part",
    "HOSTED": "{x} hosted",
    "ORGANIZED": "{x} organized",
    "ANNOUNCED": "{x} announced it",
    "FUNDED": "{x} funded it",
    "PART_OF": "{x} is part of it",
    "MENTIONED_IN": "{x} was mentioned",
    "ADOPTED_AT": "{x} was adopted at it",
    "SIGNED": "{x} signed it",
}
_TO_X = {
    "HELD_IN": "held in {x}",
    "PART_OF": "part of {x}",
    "MENTIONED_IN": "mentioned at {x}",
    "ANNOUNCED": "announced {x}",
    "FUNDED": "funded {x}",
}


def _describe(
    rule: Rule, relation: str, inward: bool, own: Sequence[str], title: str | None
) -> str:
    if rule is Rule.DIRECT:
        templates = _FROM_X if inward else _TO_X
        template = templates.get(relation, "linked to {x} (" + relation + ")")
        return template.format(x=own[-1])
    if rule is Rule.PLACE:
        return "held in " + ", in ".join(own)
    verb = _TOOK_PART.get(relation, "took part")
    if rule is Rule.POSITION:
        person, x = own[0], own[-1]
        return f"{person}, {title} of {x}, {verb}" if title else f"{person}, of {x}, {verb}"
    org, *places = own
    return f"{org} ({', '.join(places)}) {verb}"


def rank(found: Iterable[Involvement], order: Sequence[str]) -> list[Involvement]:
    """The reasons to show for one event: per listed id (in ``order``), one per (sub-event
    path, rule, anchor), the shortest chain, then by :meth:`Involvement.sort_key`; at
    most :data:`MAX_REASONS` per id."""
    best: dict[tuple[object, ...], Involvement] = {}
    for item in found:
        group = (
            item.involving,
            item.chain[: item.via + 1],
            item.rule,
            item.anchor,
            item.relation if item.rule is Rule.DIRECT else "",
        )
        kept = best.get(group)
        if kept is None or item.sort_key() < kept.sort_key():
            best[group] = item
    ranked: list[Involvement] = []
    for involving in order:
        mine = sorted(
            (i for i in best.values() if i.involving == involving), key=Involvement.sort_key
        )
        ranked += mine[:MAX_REASONS]
    return ranked
