"""Ingest on an article written for the tests after the rules of the round of
2026-12-03, third part (not from the corpus, and not used to write them): a meeting in
Belize City the graph lacks, checked for the rules' transfer: an unnamed instrument and
"both ministers", a planned meeting, a city named for its country, an official's country
from the graph, a place "in southern <country>", a new foreign ministry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalItem, ProposalSet
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"
TEXT = (HERE / "articles" / "belize-seasonal-work-en.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def proposals() -> ProposalSet:
    graph = GraphView(load_seeds(SEEDS, SEEDS / "corpus"))
    meta = DocumentMeta(title="Belize and the United States", published="2024-03-13")
    return ingest_text(TEXT, meta, graph, now=dt.datetime(2024, 3, 13, tzinfo=dt.UTC))


def _facts(proposals: ProposalSet) -> dict[tuple[str, str, str], ProposalItem]:
    return {
        (i.subject or "", i.relation or "", i.object or ""): i
        for i in proposals.of_kind(ItemKind.FACT)
    }


def _entity(proposals: ProposalSet, name: str) -> ProposalItem:
    return next(i for i in proposals.of_kind(ItemKind.ENTITY) if i.name == name)


def _meetings(proposals: ProposalSet) -> list[ProposalItem]:
    return [i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "meeting"]


def test_quotes_are_verbatim(proposals: ProposalSet) -> None:
    for item in proposals.items:
        assert TEXT[item.quote.start : item.quote.end] == item.quote.text


def test_the_meeting_its_people_and_their_countries(proposals: ProposalSet) -> None:
    meeting = _meetings(proposals)[0]
    assert meeting.entity is None and meeting.edtf == "2024-03-11"  # "on Monday"
    target = meeting.proposed_id or ""
    tillett = _entity(proposals, "Rosalind Tillett")  # not "Rosalind Tillett in Belize City"
    assert tillett.entity_kind == "person"
    facts = _facts(proposals)
    for person in ("person:alejandro-mayorkas", tillett.proposed_id or ""):
        assert facts[(person, "ATTENDED", target)].basis is Basis.STATED
    # "Homeland Security Secretary Alejandro Mayorkas": the graph's DHS is the United States'
    assert facts[("country:us", "ATTENDED", target)].basis is Basis.INFERRED
    # "Belizean Foreign Minister Rosalind Tillett": a new foreign ministry of Belize
    ministry = _entity(proposals, "Ministry of Foreign Affairs of Belize")
    assert ministry.country == "country:bz"
    assert (tillett.proposed_id, "HOLDS_POSITION", ministry.proposed_id) in facts
    assert facts[("country:bz", "HOSTED", target)].basis is Basis.STATED


def test_both_ministers_signed_an_unnamed_memorandum(proposals: ProposalSet) -> None:
    memo = _entity(proposals, "memorandum of understanding on seasonal farm work")
    assert memo.entity_kind == "agreement"
    tillett = _entity(proposals, "Rosalind Tillett").proposed_id or ""
    facts = _facts(proposals)
    for person in ("person:alejandro-mayorkas", tillett):
        signed = facts[(person, "SIGNED", memo.proposed_id or "")]
        assert signed.basis is Basis.INFERRED and "Both ministers" in (signed.note or "")


def test_the_two_officials_will_meet_again(proposals: ProposalSet) -> None:
    plan = next(i for i in _meetings(proposals) if i.edtf == "2024-04-09")
    assert plan.entity is None and plan.place == "place:panama-city"
    assert "planned: future tense" in (plan.note or "")
    tillett = _entity(proposals, "Rosalind Tillett").proposed_id or ""
    facts = _facts(proposals)
    for person in ("person:alejandro-mayorkas", tillett):
        fact = facts[(person, "ATTENDED", plan.proposed_id or "")]
        assert fact.basis is Basis.INFERRED and "planned" in (fact.note or "")


def test_places_in_their_country(proposals: ProposalSet) -> None:
    facts = _facts(proposals)
    city = _entity(proposals, "Belize City")  # the text's spelling, not the dateline's
    assert facts[(city.proposed_id or "", "LOCATED_IN", "country:bz")].basis is Basis.INFERRED
    dangriga = _entity(proposals, "Dangriga")  # "had visited Dangriga, in southern Belize"
    assert facts[(dangriga.proposed_id or "", "LOCATED_IN", "country:bz")].basis is Basis.STATED


def test_a_demonym_is_no_typo_of_another(proposals: ProposalSet) -> None:
    # "the Central American corridor": "American" is not "Mexican" misspelt
    assert not [i for i in proposals.of_kind(ItemKind.MENTION) if i.entity == "country:mx"]


def test_an_announcement_past_a_relative_clause(proposals: ProposalSet) -> None:
    # "Tillett said the memorandum builds on the Los Angeles Declaration, which Belize
    # endorsed in 2022, and announced that Belize will open ...": Tillett's, undated
    tillett = _entity(proposals, "Rosalind Tillett").proposed_id or ""
    item = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "announcement")
    assert item.participants == [tillett] and item.edtf is None
    assert (tillett, "ANNOUNCED", item.proposed_id) in _facts(proposals)


def test_a_visit_earlier_that_day(proposals: ProposalSet) -> None:
    # "Earlier that day, Mayorkas had visited Dangriga, ...": the meeting's day ("on
    # Monday", two paragraphs before), said so in the note; the place visited
    visit = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "visit")
    assert visit.edtf == "2024-03-11" and "that day" in (visit.note or "")
    facts = _facts(proposals)
    target = visit.proposed_id or ""
    assert facts[("person:alejandro-mayorkas", "ATTENDED", target)].basis is Basis.STATED
    dangriga = _entity(proposals, "Dangriga").proposed_id or ""
    assert facts[(target, "HELD_IN", dangriga)].basis is Basis.STATED


def test_an_undated_roundtable_the_text_introduces(proposals: ProposalSet) -> None:
    # "A regional roundtable on refugee integration in Belmopan was co-organized by UNHCR."
    forum = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "forum")
    assert forum.name == "Regional roundtable on refugee integration" and forum.edtf is None
    facts = _facts(proposals)
    target = forum.proposed_id or ""
    assert facts[("organization:unhcr", "ORGANIZED", target)].basis is Basis.STATED
    belmopan = _entity(proposals, "Belmopan").proposed_id or ""
    assert (target, "HELD_IN", belmopan) in facts
