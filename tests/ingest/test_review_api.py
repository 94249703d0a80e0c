"""Ingest and review over GraphQL, on both backends, through real HTTP requests to the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import READER, WRITER, Curation, client_for, settings_for, snapshot
from timeline.stores.base import Store

ARTICLE = (
    "Bliken meets Bárcena in Panama\n\n"
    "This Wednesday, U.S. Secretary of State Antony Bliken met Mexico's Foreign Secretary "
    "Alicia Barcena in Panama City. Panama hosted the talks.\n"
    "Minister Carlos Ramírez Ortega of the Guatemalan Institute of Migration attended.\n"
)
INGEST = """mutation($input: IngestInput!) { ingest(input: $input) {
  id title published documentId text
  items { id kind status confidence entity name entityKind proposedId edtf relation subject
          object basis note quote { text start end spanStart spanEnd } } } }"""
ACCEPT = """mutation($id: ID!, $edits: JSON) { acceptProposal(id: $id, edits: $edits) {
  changed dataVersion proposal { id status } } }"""
REJECT = """mutation($id: ID!, $reason: String!) { rejectProposal(id: $id, reason: $reason) {
  id status reason } }"""
LIST = """query($status: ProposalStatus) { proposals(status: $status) { id
  items { id kind status reason } } }"""
INPUT = {
    "text": ARTICLE,
    "title": "Bliken meets Bárcena",
    "published": "2024-03-06",
    "publisher": "Example News",
}


async def _ingest(curation: Curation) -> dict[str, Any]:
    before = await snapshot(curation.store)
    data = (await curation.data(INGEST, {"input": INPUT}))["ingest"]
    assert await snapshot(curation.store) == before  # ingest changes no graph data
    return data  # type: ignore[no-any-return]


def _item(data: dict[str, Any], **match: Any) -> dict[str, Any]:
    return next(i for i in data["items"] if all(i.get(k) == v for k, v in match.items()))


async def test_ingest_stores_a_proposal_set(curation: Curation) -> None:
    data = await _ingest(curation)
    assert data["text"] == ARTICLE and data["published"] == "2024-03-06"
    for item in data["items"]:
        q = item["quote"]
        assert ARTICLE[q["start"] : q["end"]] == q["text"]
        assert item["status"] == "PENDING"
    assert _item(data, kind="MENTION", name="Antony Bliken")["entity"] == "person:antony-blinken"
    listed = (await curation.data(LIST, {"status": "PENDING"}))["proposals"]
    assert data["id"] in [s["id"] for s in listed]


async def test_review_needs_the_write_scope(curation: Curation) -> None:
    for key in (None, READER):
        error = await curation.error(INGEST, {"input": INPUT}, key=key)
        assert error["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
        error = await curation.error(LIST, {}, key=key)
        assert error["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")


async def test_accept_writes_through_curation_once(curation: Curation) -> None:
    data = await _ingest(curation)
    mention = _item(data, kind="MENTION", name="Antony Bliken")
    answer = (await curation.data(ACCEPT, {"id": mention["id"]}))["acceptProposal"]
    assert answer["changed"] and answer["proposal"]["status"] == "ACCEPTED"
    dump = await curation.store.dump()
    document = dump.documents[data["documentId"]]
    assert document.title == "Bliken meets Bárcena" and document.publisher == "Example News"
    blinken = dump.entities["person:antony-blinken"]
    assert "Antony Bliken" in blinken.aliases
    assert any(
        s.document == document.id and "Antony Bliken met" in s.quote for s in blinken.sources
    )
    audit = curation.audit()
    assert audit[-1]["mutation"] == "acceptProposal" and audit[-1]["who"] == "curator"

    version = await curation.store.data_version()
    again = (await curation.data(ACCEPT, {"id": mention["id"]}))["acceptProposal"]
    assert again["changed"] is False
    assert await curation.store.data_version() == version  # a no-op
    assert len(curation.audit()) == len(audit)

    # a new entity, then a fact that names it
    person = _item(data, kind="ENTITY", name="Carlos Ramírez Ortega")
    await curation.data(ACCEPT, {"id": person["id"]})
    assert "person:carlos-ramirez-ortega" in (await curation.store.dump()).entities
    fact = _item(data, kind="FACT", subject="person:antony-blinken", relation="MET_WITH")
    assert fact["basis"] == "STATED"
    await curation.data(ACCEPT, {"id": fact["id"]})
    relations = {(r.subject, r.type, r.object) for r in (await curation.store.dump()).relations}
    assert ("person:antony-blinken", "MET_WITH", "person:alicia-barcena") in relations


async def test_bad_edits_are_refused_by_curation(curation: Curation) -> None:
    data = await _ingest(curation)
    before = await snapshot(curation.store)
    fact = _item(data, kind="FACT", relation="MET_WITH")
    error = await curation.error(ACCEPT, {"id": fact["id"], "edits": {"to": "country:mx"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"  # MET_WITH links two people
    error = await curation.error(ACCEPT, {"id": fact["id"], "edits": {"colour": "red"}})
    assert "colour" in error["message"]
    assert await snapshot(curation.store) == before


async def test_reject_keeps_the_reason(curation: Curation) -> None:
    data = await _ingest(curation)
    before = await snapshot(curation.store)
    fact = _item(data, kind="FACT")
    error = await curation.error(REJECT, {"id": fact["id"], "reason": "  "})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    answer = await curation.data(REJECT, {"id": fact["id"], "reason": "not what it says"})
    assert answer["rejectProposal"] == {
        "id": fact["id"],
        "status": "REJECTED",
        "reason": "not what it says",
    }
    rejected = (await curation.data(LIST, {"status": "REJECTED"}))["proposals"]
    mine = next(s for s in rejected if s["id"] == data["id"])
    assert mine["items"] == [
        {"id": fact["id"], "kind": "FACT", "status": "REJECTED", "reason": "not what it says"}
    ]
    error = await curation.error(ACCEPT, {"id": fact["id"]})
    assert "rejected" in error["message"]
    assert await snapshot(curation.store) == before


async def test_a_quote_that_no_longer_matches_cannot_be_accepted(curation: Curation) -> None:
    data = await _ingest(curation)
    stored = (await curation.store.get_proposals([data["id"]]))[data["id"]]
    stored.items[0].quote.text = stored.items[0].quote.text.replace("Bliken", "Blinken", 1)
    await curation.store.save_proposals(stored)
    before = await snapshot(curation.store)
    error = await curation.error(ACCEPT, {"id": f"{data['id']}#{stored.items[0].id}"})
    assert "no longer matches" in error["message"]
    assert await snapshot(curation.store) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * 1001}, "1000"),  # the API's string limit or max_document_chars
        ({"published": "soon"}, "EDTF"),
        ({"language": "fr"}, "language"),
    ],
)
async def test_bad_articles_are_refused(
    writable_store: Store, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    settings = settings_for(tmp_path, max_document_chars=1000)
    async with client_for(writable_store, settings) as http:
        curation = Curation(http, writable_store, settings)
        count = len(await writable_store.list_proposals())
        error = await curation.error(INGEST, {"input": {**INPUT, **change}}, key=WRITER)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert message in error["message"]
        assert len(await writable_store.list_proposals()) == count


async def test_review_answers_are_never_served_from_the_response_cache(curation: Curation) -> None:
    data = await _ingest(curation)
    first = (await curation.data(LIST, {}))["proposals"]
    assert data["id"] in [s["id"] for s in first]
    # the same query without a key: refused, not the writer's cached answer
    error = await curation.error(LIST, {}, key=None)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    # a rejection changes no data version, and the next read shows it
    fact = _item(data, kind="FACT")
    await curation.data(REJECT, {"id": fact["id"], "reason": "wrong"})
    again = (await curation.data(LIST, {}))["proposals"]
    mine = next(s for s in again if s["id"] == data["id"])
    assert {"id": fact["id"], "kind": "FACT", "status": "REJECTED", "reason": "wrong"} in mine[
        "items"
    ]


async def test_a_ministry_named_from_a_title_is_created_with_its_country(
    curation: Curation,
) -> None:
    text = "Panamanian Minister of Tourism Affairs Rosa Quintanilla spoke in Panama City.\n"
    query = """mutation($input: IngestInput!) { ingest(input: $input) {
      items { id kind name entityKind proposedId country } } }"""
    given = {"text": text, "title": "Tourism", "published": "2024-03-06"}
    data = (await curation.data(query, {"input": given}))["ingest"]
    body = _item(data, kind="ENTITY", entityKind="organization")
    assert body["name"] == "Ministry of Tourism Affairs of Panama"
    assert body["country"] == "country:pa"
    await curation.data(ACCEPT, {"id": body["id"]})
    created = (await curation.store.dump()).entities[body["proposedId"]]
    assert getattr(created, "country", None) == "country:pa"
