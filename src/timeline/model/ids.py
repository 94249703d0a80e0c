"""Node identifiers: ``<kind>:<slug>``, lowercase ASCII.

>>> kind_of("person:antony-blinken")
<Kind.PERSON: 'person'>
>>> is_valid_id("Person:Blinken")
False
"""

from __future__ import annotations

import re
from enum import Enum

from timeline.model.text import fold

__all__ = ["ENTITY_KINDS", "ID_PATTERN", "Kind", "is_valid_id", "kind_of", "slugify"]

ID_PATTERN = re.compile(r"^[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*$")


class Kind(Enum):
    """The kinds of node. Documents are nodes but not entities."""

    EVENT = "event"
    PERSON = "person"
    COUNTRY = "country"
    ORGANIZATION = "organization"
    AGREEMENT = "agreement"
    PLACE = "place"
    DOCUMENT = "document"


ENTITY_KINDS = frozenset(Kind) - {Kind.DOCUMENT}
_BY_PREFIX = {kind.value: kind for kind in Kind}


def is_valid_id(node_id: str) -> bool:
    return bool(ID_PATTERN.match(node_id)) and node_id.split(":", 1)[0] in _BY_PREFIX


def kind_of(node_id: str) -> Kind | None:
    """The kind an id names, or None when the id is not well formed."""
    if not ID_PATTERN.match(node_id):
        return None
    return _BY_PREFIX.get(node_id.split(":", 1)[0])


def slugify(text: str) -> str:
    """Lowercase ASCII slug of a name: ``slugify("Bogotá Ministerial") == "bogota-ministerial"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
