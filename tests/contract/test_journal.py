"""The memory store's journal: records round-trip through it exactly, two stores on one
journal see each other's writes, and conflicting writers are refused, not merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import seed_dataset
from tests.contract.test_store_proposals import _set
from tests.contract.test_store_writes import NEW_DOC, NEW_PERSON, changes
from tests.fixtures import mini_dataset
from timeline.model.changes import ChangeConflict, ChangeSet, apply_to, next_version
from timeline.stores.base import StoreUnavailable, WriteRecord
from timeline.stores.codec import decode, decode_changes, encode, encode_changes
from timeline.stores.journal import JournaledStore


def test_every_seed_record_round_trips_through_the_codec() -> None:
    dataset = seed_dataset()
    for record in [*dataset.documents.values(), *dataset.entities.values(), *dataset.relations]:
        assert decode(encode(record)) == record
    change = changes()
    assert decode_changes(encode_changes(change)) == change


async def test_two_stores_on_one_journal_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    first, second = JournaledStore(path, mini_dataset()), JournaledStore(path, mini_dataset())
    await first.open()
    await second.open()
    version = await first.data_version()
    change = changes()
    record = WriteRecord(audit={"who": "a"}, texts={NEW_DOC.id: "a quote"})
    await first.apply(ChangeSet(**_with_base(change, version)), record)
    expected = apply_to(mini_dataset(), change)
    assert await second.data_version() == next_version(version, change)
    assert (await second.dump()).entities.keys() == expected.entities.keys()
    assert await second.document_texts([NEW_DOC.id]) == {NEW_DOC.id: "a quote"}
    assert (await second.audit_page(5)).entries[0]["who"] == "a"
    # The second writer validated against the old version: refused, nothing written.
    with pytest.raises(ChangeConflict):
        await second.apply(ChangeSet(entities=(NEW_PERSON,), base_version=version))
    assert len(path.read_text().splitlines()) == 1
    reopened = JournaledStore(path, mini_dataset())
    await reopened.open()
    assert await reopened.data_version() == await first.data_version()
    assert await reopened.dump() == await first.dump()


def _with_base(change: ChangeSet, version: str) -> dict[str, object]:
    return {
        "documents": change.documents,
        "entities": change.entities,
        "relations": change.relations,
        "remove_relations": change.remove_relations,
        "base_version": version,
    }


async def test_a_journal_that_cannot_be_written_refuses_writes(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be")
    store = JournaledStore(blocker / "journal.jsonl", mini_dataset())
    await store.open()  # starts (and logs an error): reading still works
    version = await store.data_version()
    with pytest.raises(StoreUnavailable, match="cannot be written"):
        await store.apply(ChangeSet(entities=(NEW_PERSON,), base_version=version))
    assert await store.data_version() == version
    assert NEW_PERSON.id not in (await store.dump()).entities


async def test_proposal_sets_are_journaled_and_shared(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "journal.jsonl"
    first, second = JournaledStore(path, mini_dataset()), JournaledStore(path, mini_dataset())
    await first.open()
    await second.open()
    saved = _set(dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    await first.save_proposals(saved)
    assert await second.get_proposals([saved.id]) == {saved.id: saved}
    reopened = JournaledStore(path, mini_dataset())
    await reopened.open()
    assert [s.id for s in await reopened.list_proposals()] == [saved.id]
