"""Curation: mutation inputs turned into a validated :class:`ChangeSet` against the graph.

The checks are those of ``timeline validate`` (``timeline.model.seeds``), on the same
pydantic models (``EventIn``, ``RelationIn``, ...) and with the same quote rule
(``normalize_quote``: white space folded, typographic quote marks and dashes made plain):

- every id well formed and of the right kind for where it is used;
- every reference (a relation's ends, an organization's or place's ``country``, a
  source's document) names a node of the graph or of the same change;
- relation types and the kinds they link as ``RELATION_TYPES`` allows; no self links;
  a position (``HOLDS_POSITION``) has a title;
- dates are EDTF;
- a source's ``basis`` is ``stated`` (the default) or ``inferred``, and an inferred source
  has a ``note`` saying how the fact follows; an event's ``status`` is ``occurred`` (the
  default) or ``planned``;
- an acronym among the names given (an alias or an organization's ``acronym`` in capitals:
  ``IOM``) appears verbatim in the text of a document that the entity, one of its claims
  or one of its relations (in the graph or in the change) cites;
- EVERY new source quotes its document verbatim. A seed document's text is read from the
  corpus folder (``corpus``, else the seeds' ``dataset.yaml``); a document added by
  curation carries its text, which the store keeps in the same commit as the document
  (``Store.document_texts``: every replica checks later quotes against it) and which is
  also written to ``curation_dir`` as ``<slug>.txt`` (the document's ``file``), a copy to
  merge into a corpus. A source whose document text cannot be found is refused: a quote
  that cannot be checked is not taken.

Every problem is reported at once, each with the path of the input field and the reason
(:class:`CurationError`); nothing is written unless there is none.

Updates are patches: fields given replace the record's (null clears an optional one),
fields left out keep their value, and the update's ``sources`` (required: the evidence
for the change) are added to the record's. Adding a relation that exists (same from,
type, to, role and title) adds the new sources to it, as a seed file states a relation
once with a list of sources; dates given replace its dates. A source given again (same
document and quote) keeps its place and takes the basis and note given now.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from timeline.config import Settings
from timeline.model.changes import ChangeConflict, ChangeSet, next_version
from timeline.model.ids import Kind, is_valid_id, kind_of
from timeline.model.records import (
    RELATION_TYPES,
    Document,
    Entity,
    Node,
    Relation,
    Source,
    relation_id,
)
from timeline.model.rules import (
    country_code,
    position_title,
    self_link,
    unquoted,
    unused_acronyms,
    wrong_kind,
)
from timeline.model.seeds import (
    SEED_LISTS,
    DocumentIn,
    EntityIn,
    RelationIn,
    SourceIn,
    document_record,
    entity_record,
    relation_record,
)
from timeline.model.text import normalize_quote
from timeline.services.audit import APPLIED, FAILED, AuditLog, record_json
from timeline.services.export import seed_corpus, seed_entity
from timeline.stores.base import Store, StoreError, WriteRecord

logger = logging.getLogger("timeline.curation")

__all__ = [
    "CurationError",
    "CurationRequest",
    "Curator",
    "InputProblem",
    "Item",
    "Plan",
]

#: The entity models of the seed format, by kind.
ENTITY_MODELS: dict[Kind, type[EntityIn]] = {
    model.kind: model
    for model in SEED_LISTS.values()
    if isinstance(model, type) and issubclass(model, EntityIn)
}
#: Seed-format names shown as the API names them in problem paths.
_API_NAMES = {"doc": "document", "subject": "from", "object": "to"}
_CAMEL = re.compile(r"_([a-z])")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with a mutation's input: where (a path) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class CurationError(Exception):
    """The input has problems; nothing was changed."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"The change was refused: {len(self.problems)} problem(s): {shown}{more}")


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of a request, in the seed format, with the path it came from."""

    path: str
    data: Mapping[str, Any]


@dataclass
class CurationRequest:
    """What a mutation asks for, each item in the seed format (``docs/data-model.md``).

    ``documents``: DocumentIn fields plus ``text`` (``file`` is set by curation);
    ``create``: whole entities; ``update``: ``id``, the fields to change and ``sources``;
    ``add_relations``: relations (``from``/``to``); ``remove_relations``: relation keys
    (``from``, ``type``, ``to``, optional ``role`` and ``title``).
    """

    documents: list[Item] = field(default_factory=list)
    create: list[Item] = field(default_factory=list)
    update: list[Item] = field(default_factory=list)
    add_relations: list[Item] = field(default_factory=list)
    remove_relations: list[Item] = field(default_factory=list)

    def items(self) -> Iterable[Item]:
        yield from self.documents
        yield from self.create
        yield from self.update
        yield from self.add_relations
        yield from self.remove_relations


@dataclass
class Written:
    """A curation write done: its plan and the data version after it."""

    plan: Plan
    version: str


class WriteConflict(Exception):
    """Other writers kept changing the graph while a write was validated: send it again."""


#: Attempts of a write that raced another writer (the graph changed under it).
ATTEMPTS = 3


@dataclass
class Plan:
    """A validated change, what it replaces, and the document texts to write first."""

    changes: ChangeSet
    #: The records before the change, by id (None: new), for every node and relation the
    #: change writes or removes.
    before: dict[str, Node | Relation | None]
    #: Document texts to write before the store write: path -> text.
    texts: dict[Path, str]
    removed: list[Relation]
    version: str
    #: The full texts of the documents the change adds: document id -> text.
    document_texts: dict[str, str] = field(default_factory=dict)

    @property
    def nodes(self) -> list[Node]:
        return [*self.changes.documents, *self.changes.entities]


def _api_path(prefix: str, loc: Iterable[int | str]) -> str:
    parts = [prefix]
    for part in loc:
        if isinstance(part, int):
            parts.append(str(part))
        else:
            name = _API_NAMES.get(part, part)
            parts.append(_CAMEL.sub(lambda m: m.group(1).upper(), name))
    return ".".join(parts)


def _sources_key(source: Source) -> tuple[str, str]:
    return (source.document, normalize_quote(source.quote))


def _merge_sources(old: Sequence[Source], new: Sequence[Source]) -> tuple[Source, ...]:
    """``old`` then the sources of ``new`` not among them. A quote given again (same
    document and quote) keeps its place but takes the new basis and note: that is how a
    curator marks a source inferred, or states it after all."""
    merged = list(old)
    position = {_sources_key(s): index for index, s in enumerate(old)}
    for source in new:
        key = _sources_key(source)
        if key in position:
            merged[position[key]] = dataclasses.replace(
                merged[position[key]], basis=source.basis, note=source.note
            )
        else:
            position[key] = len(merged)
            merged.append(source)
    return tuple(merged)


class _Texts:
    """Normalised document texts, read once per file version (path, size, mtime)."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], str]] = {}

    def read(self, path: Path) -> str | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        if not path.is_file():
            return None
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            text = normalize_quote(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        self._cache[path] = (stamp, text)
        return text


class Curator:
    """Validates requests against a store's graph and applies them.

    One per application: :meth:`write` runs one request at a time (validation and store
    write under one lock), and every change carries the data version it was validated
    against, so a write from another process in between is refused by the store
    (``ChangeConflict``) rather than overwritten.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        corpus = settings.corpus or seed_corpus(settings.seeds)
        self.corpus = Path(corpus).resolve() if corpus else None
        self.curation_dir = Path(settings.curation_dir).resolve()
        self.lock = asyncio.Lock()
        self.audit = AuditLog(settings.audit_log)
        self._texts = _Texts()

    # --- texts ---------------------------------------------------------------------------

    def document_text(self, document: Document) -> str | None:
        """The normalised text of a document of the graph: curated texts first, then the
        corpus; None if it cannot be found."""
        if not document.file:
            return None
        for folder in (self.curation_dir, self.corpus):
            if folder is None:
                continue
            path = (folder / document.file).resolve()
            if not path.is_relative_to(folder):
                continue  # a file name that climbs out of its folder is not followed
            text = self._texts.read(path)
            if text is not None:
                return text
        return None

    # --- planning ------------------------------------------------------------------------

    async def plan(self, request: CurationRequest) -> Plan:
        """The validated change for ``request``; :class:`CurationError` lists every problem."""
        version = await self.store.data_version()
        planner = _Planner(self, request)
        await planner.fetch()
        changes, before, texts, removed = await asyncio.to_thread(planner.run)
        document_texts = {d.id: planner.raw_texts[d.id] for d in changes.documents}
        if planner.problems:
            raise CurationError(planner.problems)
        changes = ChangeSet(
            documents=changes.documents,
            entities=changes.entities,
            relations=changes.relations,
            remove_relations=changes.remove_relations,
            base_version=version,
        )
        if not changes:
            raise CurationError([InputProblem("input", "the change is empty")])
        return Plan(
            changes=changes,
            before=before,
            texts=texts,
            removed=removed,
            version=version,
            document_texts=document_texts,
        )

    async def write(self, request: CurationRequest, who: str, mutation: str) -> Written:
        """Validate ``request`` and apply it, as ``who`` through ``mutation``: one write at
        a time (:attr:`lock`), validated again if another writer changed the graph under it
        (up to :data:`ATTEMPTS` times, then :class:`WriteConflict`), its audit entry
        committed with the change and exported after. :class:`CurationError` if the
        request is refused (nothing changes); a store failure is audited as failed and
        raised."""
        async with self.lock:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    plan = await self.plan(request)
                except CurationError as exc:
                    logger.info("refused %s by %s: %s", mutation, who, exc)
                    raise
                # The entry is committed with the change (the version after is a function
                # of the version before and the change: ``next_version``).
                entry = _entry(who, mutation, request, plan, APPLIED)
                try:
                    version = await self.apply(plan, entry)
                except ChangeConflict as exc:
                    if attempt < ATTEMPTS:
                        continue  # validate again against the graph as it is now
                    raise WriteConflict(
                        "The graph changed while this write was checked; send it again."
                    ) from exc
                except StoreError as exc:
                    failed = _entry(who, mutation, request, plan, FAILED, str(exc))
                    await self._record_failure(failed)
                    await self._export(failed)
                    raise
                break
            await self._export(entry)
        return Written(plan=plan, version=version)

    async def _record_failure(self, entry: Mapping[str, Any]) -> None:
        """A refused write's entry, in the store if it can still take it."""
        try:
            await self.store.record_audit(entry)
        except StoreError as exc:
            logger.warning("could not store the audit entry of a failed write: %s", exc)

    async def _export(self, entry: Mapping[str, Any]) -> None:
        try:
            await self.audit.export(entry)
        except OSError:
            # The write and its entry are in the store: answering that it failed is wrong.
            logger.exception("could not export the audit log entry of %s", entry.get("mutation"))

    async def apply(self, plan: Plan, audit: Mapping[str, Any] | None = None) -> str:
        """Apply the plan's change with its audit entry and document texts (one commit),
        then copy the texts to ``curation_dir``; the new data version."""
        record = WriteRecord(audit=audit, texts=plan.document_texts) if audit else None
        await self.store.apply(plan.changes, record)
        for path, text in plan.texts.items():
            try:
                await asyncio.to_thread(_write_text, path, text)
            except OSError:  # a copy only: the store has the text
                logger.exception("could not copy a curated text to %s", path)
        return await self.store.data_version()


def _audit_input(request: CurationRequest) -> dict[str, Any]:
    """The request for the audit log: each item under its input path; document texts as
    their length and SHA-256 (the store keeps the text itself)."""
    entries: dict[str, Any] = {}
    for item in request.items():
        data = dict(item.data)
        text = data.get("text")
        if isinstance(text, str):
            data["text"] = {
                "chars": len(text),
                "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            }
        entries[item.path] = data
    return entries


def _changes(plan: Plan, applied: bool) -> list[dict[str, Any]]:
    after: dict[str, Node | Relation | None] = {n.id: n for n in plan.nodes}
    after.update({r.id: r for r in plan.changes.relations})
    after.update({r.id: None for r in plan.removed})
    return [
        {
            "id": record_id,
            "before": record_json(plan.before.get(record_id)),
            "after": record_json(record) if applied else None,
        }
        for record_id, record in after.items()
    ]


def _entry(
    who: str,
    mutation: str,
    request: CurationRequest,
    plan: Plan,
    outcome: str,
    error: str | None = None,
) -> dict[str, Any]:
    applied = outcome == APPLIED
    return AuditLog.entry(
        who=who,
        mutation=mutation,
        input=_audit_input(request),
        outcome=outcome,
        version_before=plan.version,
        version_after=next_version(plan.version, plan.changes) if applied else None,
        changes=_changes(plan, applied),
        error=error,
    )


def _write_text(path: Path, text: str) -> None:
    """Write a document text atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Planner:
    """One request's validation: reads the graph once, then checks without I/O to it."""

    def __init__(self, curator: Curator, request: CurationRequest) -> None:
        self.curator = curator
        self.request = request
        self.problems: list[InputProblem] = []
        self.graph: dict[str, Node] = {}
        self.graph_relations: dict[str, Relation] = {}
        # What the change itself adds: ids -> records, document ids -> normalised texts.
        self.new_nodes: dict[str, Node] = {}
        self.new_texts: dict[str, str] = {}
        self.raw_texts: dict[str, str] = {}
        # Entities to check once every node of the change is known, with the sources
        # that are new (an update's old sources were checked when they were added) and
        # whether their claims changed.
        self.pending: list[tuple[Item, Entity, tuple[Source, ...], bool]] = []
        # Entities whose names the request gives: their acronyms are checked against the
        # texts they cite once the change's relations are known.
        self.named: list[tuple[Item, Entity]] = []
        #: The texts the store keeps for the graph's curated documents, normalised.
        self.stored_texts: dict[str, str] = {}

    def problem(self, path: str, reason: str) -> None:
        self.problems.append(InputProblem(path, reason))

    async def fetch(self) -> None:
        """The graph's nodes and relations this request can touch, in two store calls (a
        third for the documents that a renamed entity's relations cite)."""
        ids: set[str] = set()
        subjects: set[str] = set()
        for item in self.request.items():
            _collect_ids(item.data, ids)
        for item in (*self.request.add_relations, *self.request.remove_relations):
            subject = item.data.get("from")
            if isinstance(subject, str) and is_valid_id(subject):
                subjects.add(subject)
        renamed: set[str] = set()
        for item in self.request.update:  # an entity renamed: the texts its relations cite
            node_id = item.data.get("id")
            if _names_given(item) and isinstance(node_id, str) and is_valid_id(node_id):
                renamed.add(node_id)
        wanted = sorted(i for i in ids if is_valid_id(i))
        self.graph = await self.curator.store.get_nodes(wanted) if wanted else {}
        documents = [i for i, n in self.graph.items() if isinstance(n, Document)]
        if documents:
            stored = await self.curator.store.document_texts(documents)
            self.stored_texts = {i: normalize_quote(t) for i, t in stored.items()}
        if subjects | renamed:
            found = await self.curator.store.relations(sorted(subjects | renamed))
            for rels in found.values():
                for rel in rels:
                    self.graph_relations[rel.id] = rel
        if renamed:  # the documents a renamed entity and its relations cite (acronym rule)
            cited = {
                s.document
                for node_id in renamed
                if isinstance(entity := self.graph.get(node_id), Entity)
                for s in (*entity.sources, *(s for c in entity.claims for s in c.sources))
            }
            cited |= {
                s.document
                for rel in self.graph_relations.values()
                if rel.subject in renamed or rel.object in renamed
                for s in rel.sources
            }
            missing = sorted(cited - self.graph.keys())
            if missing:
                self.graph.update(await self.curator.store.get_nodes(missing))

    # --- the checks ----------------------------------------------------------------------

    def run(
        self,
    ) -> tuple[ChangeSet, dict[str, Node | Relation | None], dict[Path, str], list[Relation]]:
        documents = [d for d in (self.document(i) for i in self.request.documents) if d]
        entities: dict[str, Entity] = {}
        for item in self.request.create:
            entity = self.create(item, entities)
            if entity is not None:
                entities[entity.id] = entity
        for item in self.request.update:
            entity = self.update(item, entities)
            if entity is not None:
                entities[entity.id] = entity
        # References and quotes are checked once every new node of the change is known.
        for item, entity, new_sources, claims_changed in self.pending:
            self.check_entity(item, entity, new_sources, claims_changed)
        relations: dict[str, Relation] = {}
        for item in self.request.add_relations:
            rel = self.relation(item, relations)
            if rel is not None:
                relations[rel.id] = rel
        for item, entity in self.named:
            self.check_acronyms(item, entity, relations)
        removed: dict[str, Relation] = {}
        for item in self.request.remove_relations:
            rel = self.removal(item)
            if rel is not None:
                if rel.id in relations:
                    self.problem(item.path, "the change both adds and removes this relation")
                removed[rel.id] = rel
        before: dict[str, Node | Relation | None] = {}
        for node_id in (*(d.id for d in documents), *entities):
            before[node_id] = self.graph.get(node_id)
        for rel_id in relations:
            before[rel_id] = self.graph_relations.get(rel_id)
        for rel_id, rel in removed.items():
            before[rel_id] = rel
        texts = {
            self.curator.curation_dir / str(doc.file): self.raw_texts[doc.id] for doc in documents
        }
        changes = ChangeSet(
            documents=tuple(documents),
            entities=tuple(entities.values()),
            relations=tuple(relations.values()),
            remove_relations=tuple(removed),
        )
        return changes, before, texts, list(removed.values())

    def validate(self, item: Item, model: type[BaseModel], data: Mapping[str, Any]) -> Any:
        """``model`` validated from ``data``, or None with every problem noted."""
        try:
            return model.model_validate(dict(data))
        except ValidationError as exc:
            for error in exc.errors():
                message = str(error["msg"]).removeprefix("Value error, ")
                if error["type"] == "extra_forbidden":
                    kind = getattr(model, "kind", None)
                    what = f"a {kind.value}" if isinstance(kind, Kind) else "this input"
                    message = f"not a field of {what} (see docs/data-model.md)"
                self.problem(_api_path(item.path, error["loc"]), message)
            return None

    def known(self, node_id: str) -> Node | None:
        return self.new_nodes.get(node_id) or self.graph.get(node_id)

    def document(self, item: Item) -> Document | None:
        data = dict(item.data)
        text = data.pop("text", None)
        if "file" in data:
            self.problem(f"{item.path}.file", "set by curation (the text goes in 'text')")
            data.pop("file")
        raw_id = data.get("id")
        if isinstance(raw_id, str) and is_valid_id(raw_id) and kind_of(raw_id) is not Kind.DOCUMENT:
            self.problem(f"{item.path}.id", f"{raw_id!r} must start with 'document:'")
            data.pop("id")
        valid = self.validate(item, DocumentIn, {"id": "document:placeholder", **data})
        if not isinstance(text, str) or not text.strip():
            self.problem(f"{item.path}.text", "a document needs its text, to check quotes")
            text = None
        elif len(text) > self.curator.settings.max_document_chars:
            self.problem(
                f"{item.path}.text",
                f"longer than {self.curator.settings.max_document_chars} characters",
            )
            text = None
        if not isinstance(valid, DocumentIn) or "id" not in data:
            return None
        if kind_of(valid.id) is not Kind.DOCUMENT:
            self.problem(f"{item.path}.id", f"{valid.id!r} must be document:<slug>")
            return None
        if valid.id in self.graph or valid.id in self.new_nodes:
            self.problem(f"{item.path}.id", f"a node {valid.id!r} exists already")
            return None
        file = valid.id.split(":", 1)[1] + ".txt"
        corpus = self.curator.corpus
        if corpus is not None and (corpus / file).exists():
            self.problem(f"{item.path}.id", f"the corpus already has a text named {file!r}")
            return None
        if text is None:
            return None
        document = document_record(valid.model_copy(update={"file": file}))
        self.new_nodes[document.id] = document
        self.new_texts[document.id] = normalize_quote(text)
        self.raw_texts[document.id] = text
        return document

    def _entity_model(self, item: Item) -> type[EntityIn] | None:
        node_id = item.data.get("id")
        kind = kind_of(node_id) if isinstance(node_id, str) else None
        if kind is None or kind is Kind.DOCUMENT:
            kinds = ", ".join(k.value for k in ENTITY_MODELS)
            self.problem(
                f"{item.path}.id",
                f"{node_id!r} is not an entity id: <kind>:<slug>, kind one of {kinds}, the "
                "slug lowercase letters, digits and single hyphens",
            )
            return None
        return ENTITY_MODELS[kind]

    def create(self, item: Item, so_far: Mapping[str, Entity]) -> Entity | None:
        model = self._entity_model(item)
        if model is None:
            return None
        valid = self.validate(item, model, item.data)
        if valid is None:
            return None
        if valid.id in self.graph or valid.id in self.new_nodes:
            self.problem(f"{item.path}.id", f"{valid.id!r} exists already; update it instead")
            return None
        entity = entity_record(valid)
        self.new_nodes[entity.id] = entity
        self.pending.append((item, entity, entity.sources, True))
        self.named.append((item, entity))
        return entity

    def update(self, item: Item, so_far: Mapping[str, Entity]) -> Entity | None:
        model = self._entity_model(item)
        if model is None:
            return None
        node_id = str(item.data["id"])
        current = so_far.get(node_id) or self.graph.get(node_id)
        if not isinstance(current, Entity):
            self.problem(f"{item.path}.id", f"no entity {node_id!r} to update")
            return None
        patch = dict(item.data)
        new_sources = patch.pop("sources", None)
        merged = seed_entity(current)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        # The update's sources are validated alone (they are what must be checked, and
        # their problems are numbered as the update gave them), then added to the record's.
        good_sources = []
        for index, source in enumerate(new_sources or []):
            one = Item(f"{item.path}.sources.{index}", item.data)
            if self.validate(one, SourceIn, source if isinstance(source, Mapping) else {}):
                good_sources.append(source)
            elif not isinstance(source, Mapping):
                self.problem(one.path, "a source is a document and a quote")
        merged["sources"] = list(merged.get("sources", [])) + good_sources
        if not new_sources:
            self.problem(f"{item.path}.sources", "an update needs at least one source")
        elif len(good_sources) < len(new_sources):
            return None
        valid = self.validate(item, model, merged)
        if valid is None:
            return None
        entity = entity_record(valid)
        added = entity.sources[len(current.sources) :]
        entity = dataclasses.replace(entity, sources=_merge_sources(current.sources, added))
        known = {_sources_key(s) for s in current.sources}
        added = tuple(s for s in added if _sources_key(s) not in known)  # new quotes to check
        self.new_nodes[entity.id] = entity
        self.pending.append((item, entity, tuple(added), "claims" in patch))
        if _names_given(item):
            self.named.append((item, entity))
        return entity

    def check_entity(
        self, item: Item, entity: Entity, new_sources: Sequence[Source], claims_changed: bool
    ) -> None:
        if entity.kind is Kind.COUNTRY:
            problem = country_code(entity.id, getattr(entity, "code", ""))
            if problem is not None:
                self.problem(f"{item.path}.code", problem)
        country = getattr(entity, "country", None)
        if country is not None:
            self.expect(f"{item.path}.country", country, {Kind.COUNTRY})
        # An update's new sources are numbered as the update gave them.
        self.check_sources(f"{item.path}.sources", new_sources)
        if claims_changed:
            for index, claim in enumerate(entity.claims):
                self.check_sources(f"{item.path}.claims.{index}.sources", claim.sources)

    def check_acronyms(self, item: Item, entity: Entity, relations: Mapping[str, Relation]) -> None:
        """The seeds' rule: an acronym among the names must be used by a text the entity,
        its claims or its relations cite (``timeline validate`` checks the same)."""
        touching = [
            r
            for r in (*self.graph_relations.values(), *relations.values())
            if entity.id in (r.subject, r.object)
        ]
        cited = {s.document for s in entity.sources}
        cited |= {s.document for c in entity.claims for s in c.sources}
        cited |= {s.document for r in touching for s in r.sources}
        texts = []
        for doc_id in sorted(cited):
            document = self.known(doc_id)
            if isinstance(document, Document):
                text = self.new_texts.get(doc_id) or self.curator.document_text(document)
                if text is not None:
                    texts.append(text)
        # (without texts nothing is checked: the sources' own checks say why)
        acronym = getattr(entity, "acronym", None)
        for key, name in unused_acronyms(entity.aliases, acronym, texts):
            self.problem(
                f"{item.path}.{key}",
                f"acronym {name!r} does not appear in any text {entity.id} or its "
                f"relations cite ({', '.join(sorted(cited))}); give only acronyms the "
                "texts use",
            )

    def expect(self, path: str, ref: str, kinds: Iterable[Kind], rel: str = "") -> None:
        node = self.known(ref)
        if node is None:
            self.problem(path, f"unknown id {ref!r}")
            return
        problem = wrong_kind(ref, node.kind, set(kinds))
        if problem is not None:
            self.problem(path, f"{rel}: {problem}" if rel else problem)

    def check_sources(self, path: str, sources: Sequence[Source]) -> None:
        for index, source in enumerate(sources):
            where = f"{path}.{index}"
            document = self.known(source.document)
            if not isinstance(document, Document):
                self.problem(f"{where}.document", f"unknown document {source.document!r}")
                continue
            text = self.new_texts.get(document.id) or self.stored_texts.get(document.id)
            if text is None:
                text = self.curator.document_text(document)
            if text is None:
                self.problem(
                    f"{where}.document",
                    f"the text of {document.id} is not available here, so the quote cannot "
                    "be checked",
                )
            elif (problem := unquoted(source.quote, text, document.id)) is not None:
                self.problem(f"{where}.quote", problem)

    def relation(self, item: Item, so_far: Mapping[str, Relation]) -> Relation | None:
        valid = self.validate(item, RelationIn, item.data)
        if not isinstance(valid, RelationIn):
            return None
        allowed = RELATION_TYPES[valid.type]
        self.expect(f"{item.path}.from", valid.subject, allowed.subjects, valid.type)
        self.expect(f"{item.path}.to", valid.object, allowed.objects, valid.type)
        if (problem := self_link(valid.type, valid.subject, valid.object)) is not None:
            self.problem(item.path, problem)
        if (problem := position_title(valid.type, valid.title)) is not None:
            self.problem(f"{item.path}.title", problem)
        rel = relation_record(valid)
        self.check_sources(f"{item.path}.sources", rel.sources)
        existing = so_far.get(rel.id) or self.graph_relations.get(rel.id)
        if existing is None:
            return rel
        return dataclasses.replace(
            rel,
            date=rel.date if "date" in item.data else existing.date,
            start=rel.start if "start" in item.data else existing.start,
            end=rel.end if "end" in item.data else existing.end,
            sources=_merge_sources(existing.sources, rel.sources),
        )

    def removal(self, item: Item) -> Relation | None:
        data = item.data
        missing = [k for k in ("from", "type", "to") if not data.get(k)]
        for key in missing:
            self.problem(f"{item.path}.{key}", "required to name the relation")
        if missing:
            return None
        rel_id = relation_id(
            str(data["from"]),
            str(data["type"]),
            str(data["to"]),
            str(data.get("role") or ""),
            str(data.get("title") or ""),
        )
        found = self.graph_relations.get(rel_id)
        if found is None:
            self.problem(
                item.path,
                f"no relation {data['from']} {data['type']} {data['to']}"
                + (f" (role {data['role']!r})" if data.get("role") else "")
                + (f" (title {data['title']!r})" if data.get("title") else ""),
            )
        return found


def _names_given(item: Item) -> bool:
    """Whether an update gives names that the acronym rule checks."""
    return "aliases" in item.data or "acronym" in item.data


def _collect_ids(value: Any, into: set[str]) -> None:
    """Every string in a request that looks like a node id."""
    if isinstance(value, str):
        if ":" in value and not value.startswith("rel:"):
            into.add(value)
    elif isinstance(value, Mapping):
        for inner in value.values():
            _collect_ids(inner, into)
    elif isinstance(value, list | tuple):
        for inner in value:
            _collect_ids(inner, into)
