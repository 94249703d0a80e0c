"""Proposal sets (ingest's output): every backend keeps them alike, apart from the graph."""

from __future__ import annotations

import datetime as dt
import uuid

from timeline.model.proposals import (
    Basis,
    DocumentMeta,
    ItemKind,
    ItemStatus,
    ProposalItem,
    ProposalSet,
    Quote,
)
from timeline.stores.base import Store

TEXT = "Blinken met Bárcena in Washington on 28 February 2024."


def _set(created: dt.datetime, **extra: object) -> ProposalSet:
    quote = Quote(text=TEXT, start=0, end=len(TEXT), span_start=0, span_end=7)
    return ProposalSet(
        id=f"proposal:{uuid.uuid4().hex[:16]}",
        document=DocumentMeta(title="A test article", published="2024-02-28", language="en"),
        text=TEXT,
        created=created,
        document_id="document:a-test-article",
        items=[
            ProposalItem(
                id="mention-1",
                kind=ItemKind.MENTION,
                quote=quote,
                confidence=1.0,
                entity="person:antony-blinken",
                name="Blinken",
            ),
            ProposalItem(
                id="fact-1",
                kind=ItemKind.FACT,
                quote=quote,
                confidence=0.7,
                relation="MET_WITH",
                subject="person:antony-blinken",
                object="person:alicia-barcena",
                basis=Basis.STATED,
            ),
        ],
        **extra,  # type: ignore[arg-type]
    )


async def test_save_get_list_and_replace(writable_store: Store) -> None:
    store = writable_store
    version, stats = await store.data_version(), await store.stats()
    old = _set(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC))
    new = _set(dt.datetime(2024, 3, 2, 12, tzinfo=dt.UTC))
    await store.save_proposals(old)
    await store.save_proposals(new)
    got = await store.get_proposals([old.id, new.id, "proposal:missing"])
    assert got == {old.id: old, new.id: new}
    listed = [p.id for p in await store.list_proposals()]
    assert listed.index(new.id) < listed.index(old.id)  # newest first

    rejected = old.model_copy(deep=True)
    rejected.items[1].status = ItemStatus.REJECTED
    rejected.items[1].reason = "not in the text"
    await store.save_proposals(rejected)
    again = (await store.get_proposals([old.id]))[old.id]
    assert (
        again.items[1].status is ItemStatus.REJECTED and again.items[1].reason == "not in the text"
    )
    assert [p.id for p in await store.list_proposals()].count(old.id) == 1

    # not part of the graph
    assert await store.data_version() == version
    assert await store.stats() == stats
    dump = await store.dump()
    assert old.id not in dump.entities and old.id not in dump.documents


async def test_load_keeps_proposals(writable_store: Store) -> None:
    store = writable_store
    kept = _set(dt.datetime(2024, 3, 3, tzinfo=dt.UTC))
    await store.save_proposals(kept)
    await store.load(await store.dump())
    assert (await store.get_proposals([kept.id]))[kept.id] == kept
