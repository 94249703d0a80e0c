"""``Store.apply``: every backend applies a ChangeSet all or nothing, and alike.

The reference semantics are :func:`timeline.model.changes.apply_to` on the dataset: after
``apply`` the store's dump equals it (order included: replaced records keep their place,
new ones come last), its answers reflect the change, and its data version is
:func:`next_version` of the version before.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.fixtures import DOC, mini_dataset
from timeline.model.changes import ChangeConflict, ChangeSet, apply_to, next_version
from timeline.model.dates import parse_date
from timeline.model.records import Document, Event, Person, Relation, Source
from timeline.stores.base import Store, StoreError, TimelineQuery, WriteRecord

SRC = (Source(DOC, "as the fixture says"),)
NEW_DOC = Document(id="document:new", title="A new text", file="new.txt")
NEW_EVENT = Event(
    id="event:new-meeting-2023",
    name="A new meeting",
    category="meeting",
    date=parse_date("2023-05-03"),
    sources=(Source("document:new", "a quote"),),
)
NEW_PERSON = Person(id="person:new-person", name="New Person", aliases=("Nu",), sources=SRC)
NEW_RELATION = Relation(
    type="ATTENDED",
    subject="person:new-person",
    object="event:new-meeting-2023",
    role="delegation",
    date=parse_date("2023-05"),
    sources=SRC,
)
EXISTING = Relation(
    type="HOSTED", subject="country:pa", object="event:panama-ministerial-2022", role="host"
)


def changes(**extra: object) -> ChangeSet:
    base = {
        "documents": (NEW_DOC,),
        "entities": (NEW_EVENT, NEW_PERSON),
        "relations": (NEW_RELATION,),
        "remove_relations": (EXISTING.id,),
    }
    return ChangeSet(**{**base, **extra})  # type: ignore[arg-type]


async def test_apply_adds_replaces_and_removes(writable_store: Store) -> None:
    store = writable_store
    version = await store.data_version()
    before = await store.dump()
    blinken = before.entities["person:antony-blinken"]
    renamed = dataclasses.replace(blinken, description="Replaced.", aliases=("Tony",))
    change = changes(entities=(NEW_EVENT, NEW_PERSON, renamed))
    await store.apply(change)

    expected = apply_to(before, change)
    assert await store.dump() == expected
    assert await store.data_version() == next_version(version, change) != version
    assert await store.stats() == expected.counts()
    found = await store.get_nodes(["person:antony-blinken", "document:new", NEW_EVENT.id])
    assert found["person:antony-blinken"].description == "Replaced."  # type: ignore[union-attr]
    assert found["document:new"] == NEW_DOC and found[NEW_EVENT.id] == NEW_EVENT
    rels = await store.relations(["person:new-person", "country:pa"])
    assert rels["person:new-person"] == [NEW_RELATION]
    assert EXISTING.id not in {r.id for r in rels["country:pa"]}
    # the indexes that answer queries follow: timeline, search, series, participations
    page = await store.timeline(TimelineQuery(involving=("person:new-person",)))
    assert [e.id for e in page.events] == [NEW_EVENT.id]
    hits = await store.search("Tony")
    assert hits and hits[0][0].id == "person:antony-blinken"
    assert ("event:new-meeting-2023", "person:new-person") in await store.participations()
    assert ("event:panama-ministerial-2022", "country:pa") not in await store.participations()


async def test_replacing_a_relation_keeps_its_place_and_adding_twice_is_one(
    writable_store: Store,
) -> None:
    store = writable_store
    before = await store.dump()
    more = dataclasses.replace(
        EXISTING, sources=(*SRC, Source(DOC, "more evidence")), date=parse_date("2022-04")
    )
    assert more.id == EXISTING.id
    change = ChangeSet(relations=(more,))
    await store.apply(change)
    await store.apply(change)  # the same write again: the same graph
    after = await store.dump()
    assert after == apply_to(apply_to(before, change), change) == apply_to(before, change)
    assert [r.id for r in after.relations] == [r.id for r in before.relations]
    # removing and adding back the same relation in one change: it stays, replaced
    again = ChangeSet(relations=(EXISTING,), remove_relations=(EXISTING.id,))
    await store.apply(again)
    assert await store.dump() == apply_to(after, again)


async def test_removing_a_missing_relation_is_a_no_op(writable_store: Store) -> None:
    before = await writable_store.dump()
    version = await writable_store.data_version()
    change = ChangeSet(remove_relations=("rel:00000000000000000000",))
    await writable_store.apply(change)
    assert await writable_store.dump() == before
    assert await writable_store.data_version() == next_version(version, change)


@pytest.mark.parametrize(
    "bad",
    [
        # a relation to a node neither the graph nor the change has
        ChangeSet(
            entities=(NEW_PERSON,),
            relations=(dataclasses.replace(NEW_RELATION, object="event:nowhere-2023"),),
        ),
        # an unknown relation type (types become Cypher text: whitelist only)
        ChangeSet(
            entities=(NEW_PERSON,),
            relations=(
                Relation(
                    type="LIKES`]->() DETACH DELETE n //",
                    subject="person:new-person",
                    object="country:us",
                ),
            ),
        ),
    ],
    ids=["dangling", "unknown-type"],
)
async def test_a_bad_change_changes_nothing(writable_store: Store, bad: ChangeSet) -> None:
    before = await writable_store.dump()
    version = await writable_store.data_version()
    with pytest.raises(StoreError):
        await writable_store.apply(bad)
    assert await writable_store.dump() == before
    assert await writable_store.data_version() == version
    assert await writable_store.get_nodes(["person:new-person"]) == {}


async def test_a_stale_base_version_is_a_conflict(writable_store: Store) -> None:
    version = await writable_store.data_version()
    await writable_store.apply(ChangeSet(entities=(NEW_PERSON,), base_version=version))
    before = await writable_store.dump()
    moved = await writable_store.data_version()
    with pytest.raises(ChangeConflict):
        await writable_store.apply(ChangeSet(entities=(NEW_EVENT,), base_version=version))
    assert await writable_store.dump() == before
    assert await writable_store.data_version() == moved


async def test_a_load_after_writes_replaces_everything(writable_store: Store) -> None:
    await writable_store.apply(changes())
    await writable_store.load(mini_dataset())
    assert await writable_store.dump() == mini_dataset()
    assert await writable_store.data_version() == mini_dataset().version()


async def test_an_empty_change_still_moves_the_version(writable_store: Store) -> None:
    version = await writable_store.data_version()
    await writable_store.apply(ChangeSet())
    assert await writable_store.data_version() == next_version(version, ChangeSet()) != version


# --- the write's record: audit entry and document texts, in the same commit ----------------


async def test_a_write_stores_its_audit_entry_and_texts_with_it(writable_store: Store) -> None:
    store = writable_store
    before = await store.audit_page(100)
    marker = f"entry-{before.total}"
    record = WriteRecord(audit={"who": "tester", "marker": marker}, texts={NEW_DOC.id: "a quote"})
    await store.apply(changes(), record)
    page = await store.audit_page(1)
    assert page.total == before.total + 1
    assert page.entries[0]["marker"] == marker and page.entries[0]["seq"] == before.total
    assert await store.document_texts([NEW_DOC.id, "document:nothing"]) == {NEW_DOC.id: "a quote"}
    # Older entries page by seq, newest first.
    if before.total:
        older = await store.audit_page(1, before=before.total)
        assert older.entries[0]["seq"] == before.total - 1


async def test_a_refused_write_stores_neither_its_entry_nor_its_texts(
    writable_store: Store,
) -> None:
    store = writable_store
    total = (await store.audit_page(0)).total
    ghost = Relation(type="ATTENDED", subject="person:nobody", object="event:new-meeting-2023")
    record = WriteRecord(audit={"who": "tester"}, texts={"document:ghost": "never"})
    with pytest.raises(StoreError):
        await store.apply(changes(relations=(ghost,)), record)
    assert (await store.audit_page(0)).total == total
    assert await store.document_texts(["document:ghost"]) == {}
    stale = ChangeSet(entities=(NEW_PERSON,), base_version="not-the-version")
    with pytest.raises(ChangeConflict):
        await store.apply(stale, record)
    assert (await store.audit_page(0)).total == total
    # A write refused by the store is still on record, without a change.
    await store.record_audit({"who": "tester", "outcome": "failed"})
    assert (await store.audit_page(1)).entries[0]["outcome"] == "failed"
