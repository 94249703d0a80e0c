"""Records as JSON and back, exactly: what the memory store's journal writes.

Every record type of :mod:`timeline.model.records` (documents, the entity kinds, relations,
sources, claims) is written as an object naming its class (``"$t"``) with its fields; a
date as ``{"$date": "<EDTF>"}`` (parsed again on reading, so its days and precision are
those of the text); tuples as lists. A relation's id is derived from its key, so it is not
written. ``decode(encode(record)) == record`` for every record (``tests/stores``).

>>> from timeline.model.records import Source
>>> decode(encode(Source(document="document:a", quote="b")))
Source(document='document:a', quote='b', basis='stated', note=None)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from timeline.model.changes import ChangeSet
from timeline.model.dates import DateSpan, parse_date
from timeline.model.records import (
    Agreement,
    Claim,
    Country,
    Document,
    Event,
    LocalizedName,
    Organization,
    Person,
    Place,
    Relation,
    Source,
)

__all__ = ["decode", "decode_changes", "encode", "encode_changes"]

_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        Source,
        Claim,
        LocalizedName,
        Document,
        Event,
        Person,
        Country,
        Organization,
        Agreement,
        Place,
        Relation,
    )
}


def encode(value: Any) -> Any:
    """A record (or a value inside one) as JSON-able data."""
    if isinstance(value, DateSpan):
        return {"$date": value.edtf}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in _TYPES:
            raise TypeError(f"not a record type: {name}")
        data: dict[str, Any] = {"$t": name}
        for member in dataclasses.fields(value):
            if isinstance(value, Relation) and member.name == "id":
                continue
            data[member.name] = encode(getattr(value, member.name))
        return data
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(data: Any) -> Any:
    """What :func:`encode` wrote, as the records again (ValueError if it is not that)."""
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if isinstance(data, dict):
        if "$date" in data:
            return parse_date(str(data["$date"]))
        name = data.get("$t")
        cls = _TYPES.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"not an encoded record: {str(data)[:80]}")
        fields = {k: decode(v) for k, v in data.items() if k != "$t"}
        try:
            return cls(**fields)
        except TypeError as exc:
            raise ValueError(f"bad {name} record: {exc}") from None
    return data


def encode_changes(changes: ChangeSet) -> dict[str, Any]:
    return {
        "documents": encode(changes.documents),
        "entities": encode(changes.entities),
        "relations": encode(changes.relations),
        "removeRelations": list(changes.remove_relations),
        "baseVersion": changes.base_version,
    }


def decode_changes(data: dict[str, Any]) -> ChangeSet:
    def records(key: str) -> tuple[Any, ...]:
        value = decode(data.get(key) or [])
        if not isinstance(value, tuple):
            raise ValueError(f"{key} is not a list")
        return value

    return ChangeSet(
        documents=records("documents"),
        entities=records("entities"),
        relations=records("relations"),
        remove_relations=tuple(str(i) for i in data.get("removeRelations") or ()),
        base_version=data.get("baseVersion"),
    )
