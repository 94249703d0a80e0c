"""Exports of the graph: GraphML, GEXF, node-link JSON, CSV and seed YAML.

Every export reads a :class:`~timeline.model.records.Dataset`: the whole graph
(``store.dump()``) or the part of it that a set of timeline filters selects
(:func:`select`). Every exporter is a generator of chunks (``str`` for the text
formats, ``bytes`` for the archives), one node, edge or row at a time, so that a large
export streams to a file or an HTTP response without the whole file ever being held as
one string; :func:`export` gives any format as bytes and :func:`write_export` writes it.

The subgraph rule
-----------------
With no filter an export holds the whole graph. With any filter (``start``/``end``,
``involving``, ``categories``, ``text``, ``status``: the timeline's filters, with the same
meaning)
it holds:

1. the **matching events**: every event the timeline query returns, all pages;
2. every **entity linked to a matching event** by a relation in either direction
   (participants, places, agreements, parent and sub-events, ...), one hop only;
3. the **countries named** in the ``country`` field of a kept place or organization
   (reference data the seed format requires to exist);
4. every **relation whose two ends are both kept** by 1 to 3 (so also, e.g., the
   positions linking two kept people and countries), and no other;
5. every **document cited** by a source of a kept entity (claims included) or relation.

The result is itself a valid dataset: a seed export of it validates and loads.

Formats
-------
``graphml``, ``gexf``
    The entities as nodes and the relations as directed edges (ids kept: node ids are
    entity ids, edge ids relation ids), with the attributes of :data:`NODE_ATTRIBUTES`
    and :data:`EDGE_ATTRIBUTES`, all plain scalars: lists and sources are JSON text
    (``sources``, ``claims``: each source with its ``basis`` and any ``note``) or joined
    with ``" | "`` (``aliases``); ``basis`` is the fact's own (stated if any source states
    it), ``status`` an event's (occurred or planned); absent values are
    left out, never written as empty. The GEXF graph is dynamic (``timeformat="date"``):
    a dated node or edge carries GEXF ``start``/``end`` days, so Gephi's timeline can
    play it. Documents are not nodes here; they are in the CSV and seed exports.
``json``
    networkx node-link data (``nx.node_link_data(G, edges="edges")``) of the same graph:
    ``nx.node_link_graph(data, edges="edges")`` reads it back.
``csv``
    A zip of ``nodes.csv``, ``edges.csv`` (one row per relation) and ``documents.csv``.
    Rows carry the graph attributes, ``sources`` as JSON and, for reading by eye,
    ``source_documents``, ``source_quotes``, ``source_bases`` and ``source_notes`` joined
    with ``" | "`` (a stated source's note is empty).
``seeds``
    The seed YAML format of ``docs/data-model.md``, one file per kind plus
    ``relations.yaml`` and a ``dataset.yaml`` naming the corpus folder: a folder, a zip
    or a tar. It round-trips: :func:`~timeline.model.seeds.read_seeds` finds no problem
    and loads a dataset equal to the exported one (strings keep their text: YAML's
    ``NO``, ``2024`` or ``20`` are quoted where the model has a string).

>>> G = to_networkx(graph.dataset)  # graph: timeline.open(SEEDS)
>>> G.nodes["person:antony-blinken"]["label"]
'Antony Blinken'

To a file::

    write_export(export(graph.dataset, "gexf"), "timeline.gexf")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, Any, cast
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import yaml

from timeline.model.dates import DateSpan
from timeline.model.ids import Kind
from timeline.model.involvement import Mode
from timeline.model.records import (
    OCCURRED,
    STATED,
    Claim,
    Dataset,
    Document,
    Entity,
    Event,
    LocalizedName,
    Relation,
    Source,
)
from timeline.model.seeds import MANIFEST
from timeline.stores.base import Store, TimelineQuery

__all__ = [
    "ARCHIVE_SUFFIXES",
    "DOCUMENT_COLUMNS",
    "EDGE_ATTRIBUTES",
    "EDGE_COLUMNS",
    "FORMATS",
    "MEDIA_TYPES",
    "NODE_ATTRIBUTES",
    "NODE_COLUMNS",
    "SEED_FILES",
    "ExportFilters",
    "archive_suffix",
    "csv_zip",
    "document_rows",
    "edge_attributes",
    "edge_rows",
    "export",
    "gexf",
    "graphml",
    "matching_events",
    "node_attributes",
    "node_link_json",
    "node_rows",
    "seed_archive",
    "seed_corpus",
    "seed_document",
    "seed_entity",
    "seed_files",
    "seed_relation",
    "select",
    "sources_json",
    "stream_tar",
    "stream_zip",
    "to_networkx",
    "write_export",
    "write_seed_folder",
]

#: The export formats, by name.
FORMATS = ("graphml", "gexf", "json", "csv", "seeds")
#: Media types for serving each format (seeds are served as a zip).
MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "csv": "application/zip",
    "seeds": "application/zip",
}
#: Seed exports to a path with one of these suffixes are archives; any other is a folder.
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")

Scalar = str | int | float
Chunks = Iterable[str] | Iterable[bytes]

#: Node attributes and their types (GraphML ``attr.type``): a node has those it has a
#: value for. ``label`` is the name; ``start``/``end`` are ISO days of ``date`` (EDTF).
NODE_ATTRIBUTES: Mapping[str, str] = {
    "kind": "string",
    "label": "string",
    "aliases": "string",
    "description": "string",
    "category": "string",
    "date": "string",
    "start": "string",
    "end": "string",
    "precision": "string",
    "series": "string",
    "series_order": "int",
    "status": "string",
    "code": "string",
    "acronym": "string",
    "org_type": "string",
    "country": "string",
    "agreement_type": "string",
    "place_type": "string",
    "latitude": "double",
    "longitude": "double",
    "claims": "string",
    "basis": "string",
    "names": "string",
    "sources": "string",
}
#: Edge attributes and their types. ``label`` repeats ``type`` (Gephi shows labels);
#: ``date``, ``start_date`` and ``end_date`` are the relation's EDTF fields (``start_date``
#: and ``end_date`` are a position's); ``start``/``end`` the ISO days they span.
EDGE_ATTRIBUTES: Mapping[str, str] = {
    "type": "string",
    "label": "string",
    "role": "string",
    "title": "string",
    "date": "string",
    "start_date": "string",
    "end_date": "string",
    "start": "string",
    "end": "string",
    "basis": "string",
    "sources": "string",
}
_ENTITY_COMMON = frozenset(
    {"id", "name", "aliases", "description", "sources", "claims", "localized_names"}
)


# --- Selecting what to export ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """The timeline filters an export may take (see :class:`TimelineQuery`)."""

    start: dt.date | None = None
    end: dt.date | None = None
    involving: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    text: str | None = None
    mode: Mode = Mode.ALL  # how far ``involving`` reaches
    status: str | None = None

    @property
    def empty(self) -> bool:
        return replace(self, mode=Mode.ALL) == ExportFilters()

    def query(self, first: int, after: tuple[str, str, str] | None = None) -> TimelineQuery:
        return TimelineQuery(
            start=self.start,
            end=self.end,
            involving=self.involving,
            categories=self.categories,
            text=self.text,
            status=self.status,
            first=first,
            after=after,
            mode=self.mode,
        )


async def matching_events(store: Store, filters: ExportFilters, page: int = 500) -> list[Event]:
    """Every event the timeline query returns, all pages, in time order."""
    events: list[Event] = []
    after = None
    while True:
        result = await store.timeline(filters.query(page, after))
        events.extend(result.events)
        if not result.has_next or not result.events:
            return events
        after = result.events[-1].sort_key


async def select(store: Store, filters: ExportFilters | None = None) -> Dataset:
    """The dataset to export: the whole graph, or the subgraph the filters select.

    See the module docstring for the subgraph rule.
    """
    if filters is None or filters.empty:
        return await store.dump()
    event_ids = [e.id for e in await matching_events(store, filters)]
    kept = dict.fromkeys(event_ids)
    for event_id, rels in (await store.relations(event_ids)).items():
        kept.update(dict.fromkeys(r.other(event_id) for r in rels))
    entities = await _entities(store, list(kept))
    referenced = {c for e in entities.values() if (c := getattr(e, "country", None))}
    entities.update(await _entities(store, sorted(referenced - entities.keys())))
    touching = await store.relations(list(entities))
    relations = {
        r.id: r
        for rels in touching.values()
        for r in rels
        if r.subject in entities and r.object in entities
    }
    cited = sorted(_cited(entities.values(), relations.values()))
    documents = {i: d for i, d in (await store.get_nodes(cited)).items() if isinstance(d, Document)}
    return Dataset(
        documents=documents,
        entities=dict(sorted(entities.items())),
        relations=sorted(relations.values(), key=lambda r: r.key),
    )


async def _entities(store: Store, ids: Sequence[str]) -> dict[str, Entity]:
    nodes = await store.get_nodes(ids)
    return {i: n for i, n in nodes.items() if isinstance(n, Entity)}


def _cited(entities: Iterable[Entity], relations: Iterable[Relation]) -> set[str]:
    cited = {s.document for e in entities for s in e.sources}
    cited |= {s.document for e in entities for c in e.claims for s in c.sources}
    cited |= {s.document for e in entities for n in e.localized_names for s in n.sources}
    return cited | {s.document for r in relations for s in r.sources}


# --- Attributes -------------------------------------------------------------------------------


def sources_json(sources: Sequence[Source]) -> str:
    """Sources as JSON text: ``[{"doc": ..., "quote": ..., "basis": ..., "note": ...}, ...]``
    (``note`` only where the source has one)."""
    return json.dumps([_source(s) for s in sources], ensure_ascii=False)


def _source(source: Source) -> dict[str, str]:
    """A source for JSON: its basis always, its note where it has one."""
    item = {"doc": source.document, "quote": source.quote, "basis": source.basis}
    if source.note is not None:
        item["note"] = source.note
    return item


def _seed_source(source: Source) -> dict[str, str]:
    """A source for seed YAML: ``basis`` only when not the default (stated)."""
    item = {"doc": source.document, "quote": source.quote}
    if source.basis != STATED:
        item["basis"] = source.basis
    if source.note is not None:
        item["note"] = source.note
    return item


def _claims_json(claims: Sequence[Claim]) -> str:
    return json.dumps(
        [
            {
                "property": c.property,
                "value": c.value,
                "basis": c.basis,
                "sources": [_source(s) for s in c.sources],
            }
            for c in claims
        ],
        ensure_ascii=False,
    )


def _span(span: DateSpan | None) -> dict[str, Scalar | None]:
    if span is None:
        return {}
    return {
        "date": span.edtf,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "precision": span.precision.value,
    }


def _present(values: Mapping[str, Scalar | None]) -> dict[str, Scalar]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def node_attributes(entity: Entity) -> dict[str, Scalar]:
    """An entity's graph attributes (:data:`NODE_ATTRIBUTES`), all plain scalars."""
    values: dict[str, Scalar | None] = {
        "kind": entity.kind.value,
        "label": entity.name,
        "aliases": " | ".join(entity.aliases),
        "description": entity.description,
    }
    for f in fields(entity):
        if f.name in _ENTITY_COMMON:
            continue
        value = getattr(entity, f.name)
        if f.name == "date":  # events and agreements: EDTF, first and last day, precision
            values.update(_span(value))
        else:
            values[f.name] = value
    if entity.claims:
        values["claims"] = _claims_json(entity.claims)
    if entity.sources:
        values["basis"] = entity.basis
    if entity.localized_names:
        values["names"] = json.dumps(
            [_yaml_value(n) for n in entity.localized_names], ensure_ascii=False
        )
    values["sources"] = sources_json(entity.sources)
    return _present(values)


def edge_attributes(relation: Relation) -> dict[str, Scalar]:
    """A relation's graph attributes (:data:`EDGE_ATTRIBUTES`), all plain scalars."""
    first = relation.date or relation.start
    last = relation.date or relation.end
    return _present(
        {
            "type": relation.type,
            "label": relation.type,
            "role": relation.role,
            "title": relation.title,
            "date": relation.date.edtf if relation.date else None,
            "start_date": relation.start.edtf if relation.start else None,
            "end_date": relation.end.edtf if relation.end else None,
            "start": first.start.isoformat() if first else None,
            "end": last.end.isoformat() if last else None,
            "basis": relation.basis if relation.sources else None,
            "sources": sources_json(relation.sources),
        }
    )


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a ``nx.MultiDiGraph``: entities as nodes, relations as edges keyed
    by relation id, with the attributes the GraphML and GEXF exports carry.

    Documents are not nodes (they are the ``doc`` of each source).
    """
    graph = nx.MultiDiGraph(name="timeline", version=dataset.version())
    for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
        graph.add_node(entity.id, **node_attributes(entity))
    for rel in sorted(dataset.relations, key=lambda r: r.key):
        graph.add_edge(rel.subject, rel.object, key=rel.id, **edge_attributes(rel))
    return graph


def _nodes(dataset: Dataset) -> Iterator[tuple[str, dict[str, Scalar]]]:
    for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
        yield entity.id, node_attributes(entity)


def _edges(dataset: Dataset) -> Iterator[tuple[Relation, dict[str, Scalar]]]:
    for rel in sorted(dataset.relations, key=lambda r: r.key):
        yield rel, edge_attributes(rel)


# --- XML: GraphML and GEXF --------------------------------------------------------------------

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _text(value: Scalar) -> str:
    """A value as XML character data (characters XML 1.0 cannot hold are dropped)."""
    return escape(_XML_INVALID.sub("", str(value)))


def _attr(value: Scalar) -> str:
    """A value as a quoted XML attribute."""
    return quoteattr(_XML_INVALID.sub("", str(value)))


def graphml(dataset: Dataset) -> Iterator[str]:
    """GraphML, one chunk per node or edge. ``nx.read_graphml`` and Gephi read it."""
    yield _XML_DECLARATION
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    yield '  <key id="g_name" for="graph" attr.name="name" attr.type="string"/>\n'
    yield '  <key id="g_version" for="graph" attr.name="version" attr.type="string"/>\n'
    for prefix, what, schema in (("n", "node", NODE_ATTRIBUTES), ("e", "edge", EDGE_ATTRIBUTES)):
        for name, type_ in schema.items():
            yield (
                f'  <key id="{prefix}_{name}" for="{what}" attr.name="{name}"'
                f' attr.type="{type_}"/>\n'
            )
    yield '  <graph id="timeline" edgedefault="directed">\n'
    yield '    <data key="g_name">timeline</data>\n'
    yield f'    <data key="g_version">{_text(dataset.version())}</data>\n'
    for node_id, attributes in _nodes(dataset):
        yield f"    <node id={_attr(node_id)}>\n{_graphml_data('n', attributes)}    </node>\n"
    for rel, attributes in _edges(dataset):
        yield (
            f"    <edge id={_attr(rel.id)} source={_attr(rel.subject)}"
            f" target={_attr(rel.object)}>\n{_graphml_data('e', attributes)}    </edge>\n"
        )
    yield "  </graph>\n</graphml>\n"


def _graphml_data(prefix: str, attributes: Mapping[str, Scalar]) -> str:
    return "".join(
        f'      <data key="{prefix}_{name}">{_text(value)}</data>\n'
        for name, value in attributes.items()
    )


_GEXF_TYPES = {"string": "string", "int": "integer", "double": "double"}
#: Attributes GEXF carries as XML attributes of the node or edge, not as attvalues.
_GEXF_OWN = frozenset({"label", "start", "end"})


def gexf(dataset: Dataset) -> Iterator[str]:
    """GEXF 1.2, one chunk per node or edge: opens in Gephi (File → Open).

    The graph is dynamic with ``timeformat="date"``: dated events, agreements and
    relations carry ``start``/``end`` days; undated ones exist throughout.
    """
    yield _XML_DECLARATION
    yield (
        '<gexf xmlns="http://www.gexf.net/1.2draft"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://www.gexf.net/1.2draft'
        ' http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    )
    yield (
        "  <meta>\n    <creator>timeline</creator>\n"
        f"    <description>timeline export, dataset version {_text(dataset.version())}"
        "</description>\n  </meta>\n"
    )
    yield '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n'
    for what, schema in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        yield f'    <attributes class="{what}" mode="static">\n'
        for name, type_ in schema.items():
            if name not in _GEXF_OWN:
                yield (
                    f'      <attribute id="{name}" title="{name}" type="{_GEXF_TYPES[type_]}"/>\n'
                )
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node_id, attributes in _nodes(dataset):
        yield f"      <node id={_attr(node_id)}{_gexf_own(attributes)}>\n"
        yield f"{_attvalues(attributes)}      </node>\n"
    yield "    </nodes>\n    <edges>\n"
    for rel, attributes in _edges(dataset):
        yield (
            f"      <edge id={_attr(rel.id)} source={_attr(rel.subject)}"
            f" target={_attr(rel.object)}{_gexf_own(attributes)}>\n"
        )
        yield f"{_attvalues(attributes)}      </edge>\n"
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _gexf_own(attributes: Mapping[str, Scalar]) -> str:
    return "".join(
        f" {name}={_attr(attributes[name])}"
        for name in ("label", "start", "end")
        if name in attributes
    )


def _attvalues(attributes: Mapping[str, Scalar]) -> str:
    values = "".join(
        f'          <attvalue for="{name}" value={_attr(value)}/>\n'
        for name, value in attributes.items()
        if name not in _GEXF_OWN
    )
    return f"        <attvalues>\n{values}        </attvalues>\n" if values else ""


# --- node-link JSON -------------------------------------------------------------------------


def node_link_json(dataset: Dataset) -> Iterator[str]:
    """networkx node-link JSON (``edges="edges"``), one chunk per node or edge."""
    graph = {"name": "timeline", "version": dataset.version()}
    yield f'{{"directed": true, "multigraph": true, "graph": {json.dumps(graph)},\n"nodes": ['
    separator = "\n"
    for node_id, attributes in _nodes(dataset):
        yield separator + json.dumps({**attributes, "id": node_id}, ensure_ascii=False)
        separator = ",\n"
    yield '\n],\n"edges": ['
    separator = "\n"
    for rel, attributes in _edges(dataset):
        edge = {**attributes, "source": rel.subject, "target": rel.object, "key": rel.id}
        yield separator + json.dumps(edge, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


# --- CSV --------------------------------------------------------------------------------------

_SOURCE_COLUMNS = ("source_documents", "source_quotes", "source_bases", "source_notes")
NODE_COLUMNS = ("id", *NODE_ATTRIBUTES, *_SOURCE_COLUMNS)
EDGE_COLUMNS = ("id", "source", "target", *EDGE_ATTRIBUTES, *_SOURCE_COLUMNS)
DOCUMENT_COLUMNS = tuple(f.name for f in fields(Document))


def _csv(header: Sequence[str], rows: Iterable[Mapping[str, Scalar | None]]) -> Iterator[str]:
    """CSV text, one chunk per row, with ``header`` as its columns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _joined_sources(sources: Sequence[Source]) -> dict[str, str]:
    return {
        "source_documents": " | ".join(s.document for s in sources),
        "source_quotes": " | ".join(s.quote for s in sources),
        "source_bases": " | ".join(s.basis for s in sources),
        "source_notes": " | ".join(s.note or "" for s in sources),
    }


def node_rows(dataset: Dataset) -> Iterator[dict[str, Scalar]]:
    """The rows of ``nodes.csv`` (:data:`NODE_COLUMNS`), by id."""
    for entity in sorted(dataset.entities.values(), key=lambda e: e.id):
        yield {"id": entity.id, **node_attributes(entity), **_joined_sources(entity.sources)}


def edge_rows(dataset: Dataset) -> Iterator[dict[str, Scalar]]:
    """The rows of ``edges.csv`` (:data:`EDGE_COLUMNS`), by relation key."""
    for rel, attributes in _edges(dataset):
        yield {
            "id": rel.id,
            "source": rel.subject,
            "target": rel.object,
            **attributes,
            **_joined_sources(rel.sources),
        }


def document_rows(dataset: Dataset) -> Iterator[dict[str, Scalar | None]]:
    """The rows of ``documents.csv`` (the document fields, dates as EDTF), by id."""
    for doc in sorted(dataset.documents.values(), key=lambda d: d.id):
        yield {
            f.name: (v.edtf if isinstance(v := getattr(doc, f.name), DateSpan) else v)
            for f in fields(doc)
        }


def csv_zip(dataset: Dataset) -> Iterator[bytes]:
    """A zip of ``nodes.csv``, ``edges.csv`` and ``documents.csv`` (UTF-8), streamed."""
    return stream_zip(
        [
            ("nodes.csv", _csv(NODE_COLUMNS, node_rows(dataset))),
            ("edges.csv", _csv(EDGE_COLUMNS, edge_rows(dataset))),
            ("documents.csv", _csv(DOCUMENT_COLUMNS, document_rows(dataset))),
        ]
    )


# --- Seeds ------------------------------------------------------------------------------------

#: The seed file of each entity kind, in the order they are written.
SEED_FILES: Mapping[Kind, str] = {
    Kind.EVENT: "events",
    Kind.PERSON: "people",
    Kind.COUNTRY: "countries",
    Kind.ORGANIZATION: "organizations",
    Kind.AGREEMENT: "agreements",
    Kind.PLACE: "places",
}


def _yaml_value(value: Any) -> Any:
    if isinstance(value, DateSpan):
        return value.edtf
    if isinstance(value, Source):
        return _seed_source(value)
    if isinstance(value, Claim):
        return {
            "property": value.property,
            "value": value.value,
            "sources": [_seed_source(s) for s in value.sources],
        }
    if isinstance(value, LocalizedName):
        return {
            "text": value.text,
            "language": value.language,
            "sources": [_seed_source(s) for s in value.sources],
        }
    if isinstance(value, tuple):
        return [_yaml_value(v) for v in value]
    return value


def _seed_item(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A seed mapping, leaving out what is absent (None, empty lists)."""
    return {k: _yaml_value(v) for k, v in pairs if v is not None and v != ()}


def seed_entity(entity: Entity) -> dict[str, Any]:
    """An entity as a seed mapping: id, name, aliases, description, its own fields,
    claims, sources."""
    own = [
        (f.name, getattr(entity, f.name))
        for f in fields(entity)
        if f.name not in _ENTITY_COMMON
        and not (f.name == "status" and getattr(entity, f.name) == OCCURRED)  # the default
    ]
    return _seed_item(
        [
            ("id", entity.id),
            ("name", entity.name),
            ("aliases", entity.aliases),
            ("names", entity.localized_names),
            ("description", entity.description),
            *own,
            ("claims", entity.claims),
            ("sources", entity.sources),
        ]
    )


def seed_relation(rel: Relation) -> dict[str, Any]:
    return _seed_item(
        [
            ("from", rel.subject),
            ("type", rel.type),
            ("to", rel.object),
            ("role", rel.role),
            ("title", rel.title),
            ("date", rel.date),
            ("start", rel.start),
            ("end", rel.end),
            ("sources", rel.sources),
        ]
    )


def seed_document(doc: Document) -> dict[str, Any]:
    return _seed_item((f.name, getattr(doc, f.name)) for f in fields(doc))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _yaml_list(key: str, items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """``key:`` and its items, one chunk per item (an empty list is ``key: []``)."""
    empty = True
    for item in items:
        if empty:
            yield f"{key}:\n"
            empty = False
        yield _dump([item])
    if empty:
        yield f"{key}: []\n"


def seed_files(
    dataset: Dataset, corpus: str | None = None, name: str = "timeline export"
) -> Iterator[tuple[str, Iterator[str]]]:
    """The seed files of a dataset as (file name, chunks of YAML text), in a fixed order.

    ``corpus`` is written to ``dataset.yaml`` as the folder of document texts, relative
    to the seed folder (or absolute).
    """
    manifest: dict[str, str] = {"name": name, "description": f"version {dataset.version()}"}
    if corpus is not None:
        manifest["corpus"] = corpus
    yield MANIFEST, iter([_dump(manifest)])
    documents = sorted(dataset.documents.values(), key=lambda d: d.id)
    yield "documents.yaml", _yaml_list("documents", map(seed_document, documents))
    entities = sorted(dataset.entities.values(), key=lambda e: e.id)
    for kind, key in SEED_FILES.items():
        of_kind = (seed_entity(e) for e in entities if e.kind is kind)
        yield f"{key}.yaml", _yaml_list(key, of_kind)
    relations = sorted(dataset.relations, key=lambda r: r.key)
    yield "relations.yaml", _yaml_list("relations", map(seed_relation, relations))


def _corpus_path(corpus: str | os.PathLike[str] | None, folder: Path | None) -> str | None:
    if corpus is None:
        return None
    if folder is None:
        return str(Path(corpus).resolve())
    return os.path.relpath(Path(corpus).resolve(), folder.resolve())


def write_seed_folder(
    dataset: Dataset, folder: str | os.PathLike[str], corpus: str | os.PathLike[str] | None = None
) -> Path:
    """Write the seed files into ``folder`` (created; files of the same names replaced).

    ``dataset.yaml`` names ``corpus`` relative to the folder.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for name, chunks in seed_files(dataset, _corpus_path(corpus, root)):
        with (root / name).open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
    return root


def seed_archive(
    dataset: Dataset, suffix: str = ".zip", corpus: str | os.PathLike[str] | None = None
) -> Iterator[bytes]:
    """The seed files as a streamed zip or tar (``suffix``: one of :data:`ARCHIVE_SUFFIXES`).

    ``dataset.yaml`` names ``corpus`` by its absolute path.
    """
    entries = seed_files(dataset, _corpus_path(corpus, None))
    if suffix == ".zip":
        return stream_zip(entries)
    if suffix in ARCHIVE_SUFFIXES:
        return stream_tar(entries, gzip=suffix != ".tar")
    raise ValueError(f"not an archive suffix: {suffix!r}; use one of {ARCHIVE_SUFFIXES}")


def seed_corpus(folder: str | os.PathLike[str]) -> Path | None:
    """The corpus folder a seed folder's ``dataset.yaml`` names, resolved, or None."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    corpus = data.get("corpus") if isinstance(data, dict) else None
    return (Path(folder) / str(corpus)).resolve() if corpus else None


def archive_suffix(path: str | os.PathLike[str]) -> str | None:
    """The archive suffix ``path`` ends with, or None (a folder)."""
    name = Path(path).name.lower()
    return next((s for s in ARCHIVE_SUFFIXES if name.endswith(s)), None)


# --- Streaming archives and files -----------------------------------------------------------


class _Sink:
    """A write-only binary file that hands over what was written since the last drain."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        if data:
            self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def drain(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        return iter(chunks)


def _bytes(chunk: str | bytes) -> bytes:
    return chunk.encode("utf-8") if isinstance(chunk, str) else chunk


_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same data gives the same archive


def stream_zip(entries: Iterable[tuple[str, Chunks]]) -> Iterator[bytes]:
    """A zip of (name, chunks) entries, yielded as it is written, entry data included."""
    sink = _Sink()
    with zipfile.ZipFile(cast(IO[bytes], sink), "w") as archive:
        for name, chunks in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as entry:
                for chunk in chunks:
                    entry.write(_bytes(chunk))
                    yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()


def stream_tar(entries: Iterable[tuple[str, Chunks]], gzip: bool = True) -> Iterator[bytes]:
    """A tar (gzipped by default) of (name, chunks) entries, yielded as it is written.

    A tar header needs its entry's size, so each entry is spooled first (to disk past
    1 MiB), never the whole archive.
    """
    sink = _Sink()
    fileobj = cast(IO[bytes], sink)
    with tarfile.open(fileobj=fileobj, mode="w|gz" if gzip else "w|") as archive:
        for name, chunks in entries:
            with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
                for chunk in chunks:
                    spool.write(_bytes(chunk))
                info = tarfile.TarInfo(name)
                info.size, info.mode = spool.tell(), 0o644
                spool.seek(0)
                archive.addfile(info, spool)
            yield from sink.drain()
    yield from sink.drain()


def export(
    dataset: Dataset,
    fmt: str,
    *,
    corpus: str | os.PathLike[str] | None = None,
    archive: str = ".zip",
) -> Iterator[bytes]:
    """Any format as a stream of bytes; ``seeds`` as an archive (``archive`` suffix)."""
    if fmt == "graphml":
        return map(_bytes, graphml(dataset))
    if fmt == "gexf":
        return map(_bytes, gexf(dataset))
    if fmt == "json":
        return map(_bytes, node_link_json(dataset))
    if fmt == "csv":
        return csv_zip(dataset)
    if fmt == "seeds":
        return seed_archive(dataset, archive, corpus)
    raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def write_export(chunks: Iterable[str | bytes], path: str | os.PathLike[str]) -> Path:
    """Write streamed chunks to ``path``, replacing it only once all is written."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(_bytes(chunk))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
