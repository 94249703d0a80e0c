"""Records as Neo4j properties and back: the graph model of the package docstring."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from timeline.model.dates import DatePrecision, DateSpan
from timeline.model.ids import Kind
from timeline.model.records import (
    ENTITY_CLASSES,
    STATED,
    Claim,
    Document,
    Entity,
    Event,
    LocalizedName,
    Node,
    Relation,
    Source,
)
from timeline.model.search import context_words, search_words
from timeline.model.text import fold

Props = dict[str, Any]
Rows = list[dict[str, Any]]

META_KEY = "data"
_DATE_FIELDS = frozenset({"date", "published", "start", "end"})


def _span_prefix(record_type: type, field: str) -> str:
    """An entity's own ``date`` is stored unprefixed (the timeline filters on it)."""
    return "" if field == "date" and issubclass(record_type, Entity) else f"{field}_"


def _span_props(prefix: str, span: DateSpan) -> Props:
    return {
        f"{prefix}edtf": span.edtf,
        f"{prefix}start": span.start.isoformat(),
        f"{prefix}end": span.end.isoformat(),
        f"{prefix}precision": span.precision.value,
    }


def _span_from(props: Mapping[str, Any], prefix: str) -> DateSpan | None:
    text = props.get(f"{prefix}edtf")
    if text is None:
        return None
    return DateSpan(
        text,
        dt.date.fromisoformat(props[f"{prefix}start"]),
        dt.date.fromisoformat(props[f"{prefix}end"]),
        DatePrecision(props[f"{prefix}precision"]),
    )


def _source_row(source: Source) -> list[str]:
    """A claim's source in JSON: ``[doc, quote]``, plus basis and note when not plainly stated."""
    if source.basis == STATED and source.note is None:
        return [source.document, source.quote]
    return [source.document, source.quote, source.basis, source.note or ""]


def _source_from(row: Sequence[str]) -> Source:
    if len(row) == 2:
        return Source(row[0], row[1])
    return Source(row[0], row[1], row[2], row[3] or None)


def _source_props(sources: Sequence[Source]) -> Props:
    """Sources as parallel lists; bases and notes only when some source needs them.

    Neo4j lists hold no nulls, so a missing note is ``""``.
    """
    props: Props = {
        "source_docs": [s.document for s in sources],
        "source_quotes": [s.quote for s in sources],
    }
    if any(s.basis != STATED for s in sources):
        props["source_bases"] = [s.basis for s in sources]
    if any(s.note is not None for s in sources):
        props["source_notes"] = [s.note or "" for s in sources]
    return props


def _sources_from(props: Mapping[str, Any]) -> tuple[Source, ...]:
    docs, quotes = props.get("source_docs") or [], props.get("source_quotes") or []
    bases = props.get("source_bases") or [STATED] * len(docs)
    notes = props.get("source_notes") or [""] * len(docs)
    return tuple(
        Source(d, q, b, n or None) for d, q, b, n in zip(docs, quotes, bases, notes, strict=True)
    )


def _claims_json(claims: Sequence[Claim]) -> str:
    return json.dumps(
        [
            {
                "property": c.property,
                "value": c.value,
                "sources": [_source_row(s) for s in c.sources],
            }
            for c in claims
        ],
        ensure_ascii=False,
    )


def _claims_from(text: str | None) -> tuple[Claim, ...]:
    if not text:
        return ()
    return tuple(
        Claim(c["property"], c["value"], tuple(_source_from(row) for row in c["sources"]))
        for c in json.loads(text)
    )


def _names_json(names: Sequence[LocalizedName]) -> str:
    return json.dumps(
        [
            {
                "text": n.text,
                "language": n.language,
                "sources": [[s.document, s.quote] for s in n.sources],
            }
            for n in names
        ],
        ensure_ascii=False,
    )


def _names_from(text: str | None) -> tuple[LocalizedName, ...]:
    if not text:
        return ()
    return tuple(
        LocalizedName(n["text"], n["language"], tuple(Source(d, q) for d, q in n["sources"]))
        for n in json.loads(text)
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(record_type: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(record_type)
    if names is None:
        names = _FIELD_NAMES[record_type] = tuple(f.name for f in dataclasses.fields(record_type))
    return names


def record_props(record: Node | Relation, seq: int, gen: str | None) -> Props:
    """Neo4j properties for a record; ``None`` and empty values are left out."""
    props: Props = {"seq": seq} if gen is None else {"seq": seq, "gen": gen}
    record_type = type(record)
    for name in _field_names(record_type):
        value = getattr(record, name)
        if value is None or value == ():
            continue
        if isinstance(value, DateSpan):
            props.update(_span_props(_span_prefix(record_type, name), value))
        elif name == "sources":
            props.update(_source_props(value))
        elif name == "claims":
            props["claims"] = _claims_json(value)
        elif name == "localized_names":
            props[name] = _names_json(value)
            props["name_texts"] = [n.text for n in value]  # for the entity_names index
        elif isinstance(value, tuple):
            props[name] = list(value)
        else:
            props[name] = value
    return props


def entity_props(entity: Entity, seq: int, gen: str, context: str | None = None) -> Props:
    """A node's properties; ``context``: its ``context_words`` (:func:`context_text`), set
    by a load (a write sets them after its relations, ``Neo4jStore.apply``)."""
    props = record_props(entity, seq, gen)
    props["kind"] = entity.kind.value
    props["folded"] = [fold(name) for name in entity.names]
    props["search_words"] = search_words(entity)
    if context:
        props["context_words"] = context
    if isinstance(entity, Event):  # what the timeline's text filter searches, as memory does
        props["search_text"] = entity.search_text
    return props


def context_text(venues: Iterable[str], positions: Iterable[str]) -> str:
    """The words an entity is found by through the graph around it: its venues' and
    positions' (``model.search.context_words``; positions as ``position_text``),
    space-separated and sorted.

    >>> context_text(["Bogotá", "Colombia"], [])
    'bogota colombia'
    """
    return " ".join(sorted(context_words(venues, positions)))


def relation_props(relation: Relation, seq: int) -> Props:
    """A relationship's properties: no endpoints, type or gen (the relationship has them)."""
    props = record_props(relation, seq, None)
    del props["subject"], props["object"], props["type"]
    return props


R = TypeVar("R", bound="Node | Relation")


def record_from_props(record_type: type[R], props: Mapping[str, Any]) -> R:
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(record_type):
        name = field.name
        if name == "sources":
            kwargs[name] = _sources_from(props)
        elif name == "claims":
            kwargs[name] = _claims_from(props.get("claims"))
        elif name == "localized_names":
            kwargs[name] = _names_from(props.get(name))
        elif name in _DATE_FIELDS:
            kwargs[name] = _span_from(props, _span_prefix(record_type, name))
        elif name == "aliases":
            kwargs[name] = tuple(props.get("aliases") or ())
        elif name in props:
            kwargs[name] = props[name]
    return record_type(**kwargs)


def entity_from_props(props: Mapping[str, Any]) -> Entity:
    return record_from_props(ENTITY_CLASSES[Kind(props["kind"])], props)


def event_from_props(props: Mapping[str, Any]) -> Event:
    event = entity_from_props(props)
    assert isinstance(event, Event)
    return event


def node_from_props(props: Mapping[str, Any]) -> Node:
    if props.get("kind") == Kind.DOCUMENT.value:
        return record_from_props(Document, props)
    return entity_from_props(props)


def relation_from_props(props: Mapping[str, Any]) -> Relation:
    return record_from_props(Relation, props)
