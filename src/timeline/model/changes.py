"""A change to the graph: what one curation write adds, replaces and removes.

A :class:`ChangeSet` is applied by a store all or nothing (``Store.apply``): documents and
entities are whole records that are added, or replace the record of the same id;
relations are added, or replace the relation of the same id (a relation's id is derived
from its key, so the same statement is the same relation); relation ids are removed.
Removals happen before additions, so a change may remove a relation and add it back
with other sources.

:func:`apply_to` is the reference semantics, on a :class:`Dataset` (the memory store
uses it as is; the Neo4j store does the same in Cypher and the contract suite checks that
both agree). :func:`next_version` is the data version after a write: a digest of the
version before and the change, so it changes on every write, even one that rewrites
what is already there, and two stores that start from the same version and apply the
same changes report the same version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from timeline.model.records import Dataset, Document, Entity, Relation, unknown_relation_type

__all__ = ["ChangeConflict", "ChangeSet", "InvalidChange", "apply_to", "next_version"]


class ChangeConflict(ValueError):
    """The graph changed since the change was made (its ``base_version``); nothing was
    applied. Validate the change again against the graph as it is, then retry."""


class InvalidChange(ValueError):
    """A change that cannot apply to this graph whatever its version: a relation to a node
    it does not have, an unknown relation type, a record replacing one of another kind.
    Stores report it as a ``StoreError``."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Records to add or replace, and relation ids to remove. Empty by default."""

    documents: tuple[Document, ...] = ()
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    remove_relations: tuple[str, ...] = ()
    #: Apply only if the store's data version is still this one (None: whatever it is);
    #: otherwise the store raises :class:`ChangeConflict` and changes nothing. Curation
    #: sets it to the version it validated against, so two writers cannot overwrite each
    #: other's change unseen.
    base_version: str | None = None

    def __bool__(self) -> bool:
        return bool(self.documents or self.entities or self.relations or self.remove_relations)

    def require_base(self, version: str) -> None:
        """Raise :class:`ChangeConflict` unless the graph, now at ``version``, is still at
        the version this change was made against (any, when ``base_version`` is None)."""
        if self.base_version is not None and self.base_version != version:
            raise ChangeConflict(f"the graph is at version {version}, not {self.base_version}")

    @property
    def node_ids(self) -> list[str]:
        """The ids of the documents and entities this change writes."""
        return [d.id for d in self.documents] + [e.id for e in self.entities]

    def digest(self) -> str:
        """A digest of the whole change (records in their canonical ``repr``)."""
        digest = hashlib.blake2b(digest_size=12)
        for part in (self.documents, self.entities, self.relations, self.remove_relations):
            digest.update(repr(part).encode())
            digest.update(b"\x1e")
        return digest.hexdigest()


def next_version(previous: str, changes: ChangeSet) -> str:
    """The data version after ``changes`` is applied to a graph at version ``previous``."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(previous.encode())
    digest.update(b"\x1f")
    digest.update(changes.digest().encode())
    return digest.hexdigest()


def apply_to(dataset: Dataset, changes: ChangeSet) -> Dataset:
    """A new dataset: ``dataset`` with ``changes`` applied (``dataset`` is not modified).

    Replaced records keep their place (order) and new ones come last, as the stores keep
    them. Removing a relation id that is not there is not an error (so a write can be
    retried); a relation whose ends are not entities of the result, or of an unknown type,
    is (:class:`InvalidChange`).
    """
    documents = dict(dataset.documents)
    entities = dict(dataset.entities)
    for document in changes.documents:
        documents[document.id] = document
    for entity in changes.entities:
        old = entities.get(entity.id)
        if old is not None and type(old) is not type(entity):
            raise InvalidChange(f"{entity.id} is a {old.kind.value}, not a {entity.kind.value}")
        entities[entity.id] = entity
    removed = set(changes.remove_relations)
    added = {rel.id: rel for rel in changes.relations}
    relations: list[Relation] = []
    for rel in dataset.relations:
        if rel.id in added:
            relations.append(added.pop(rel.id))
        elif rel.id not in removed:
            relations.append(rel)
    relations.extend(added.values())
    if problem := unknown_relation_type(changes.relations):
        raise InvalidChange(problem)
    for rel in changes.relations:
        for end in (rel.subject, rel.object):
            if end not in entities:
                raise InvalidChange(f"relation {rel.id} names {end!r}, which the graph lacks")
    return Dataset(documents=documents, entities=entities, relations=relations)
