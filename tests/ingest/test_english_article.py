"""Ingest on an English article written for this test (not from the corpus, about a
meeting the graph does not have), against the seed graph: who hosted and took part, what
was announced, and dates that belong to what is said, not to the event it is said at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalItem, ProposalSet
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"
ARTICLE = (HERE / "articles" / "costa-rica-talks-en.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def proposals() -> ProposalSet:
    meta = DocumentMeta(title="Costa Rica hosts regional talks", published="2024-03-15")
    graph = GraphView(load_seeds(SEEDS, SEEDS / "corpus"))
    return ingest_text(ARTICLE, meta, graph, now=dt.datetime(2024, 3, 15, tzinfo=dt.UTC))


def _facts(proposals: ProposalSet) -> dict[tuple[str, str, str], ProposalItem]:
    return {
        (i.subject or "", i.relation or "", i.object or ""): i
        for i in proposals.of_kind(ItemKind.FACT)
    }


def _events(proposals: ProposalSet) -> dict[str, ProposalItem]:
    return {i.name or "": i for i in proposals.of_kind(ItemKind.EVENT)}


def test_quotes_are_verbatim(proposals: ProposalSet) -> None:
    for item in proposals.items:
        assert ARTICLE[item.quote.start : item.quote.end] == item.quote.text


def test_the_conference_its_hosts_place_and_participants(proposals: ProposalSet) -> None:
    conference = _events(proposals)["Two-day conference on migration"]
    assert conference.edtf == "2024-03-14"  # "on Thursday", the day before the article
    target = conference.proposed_id or ""
    facts = _facts(proposals)
    for host in ("country:cr", "country:ca"):
        assert facts[(host, "HOSTED", target)].basis is Basis.STATED  # "co-hosted by"
    assert (target, "HELD_IN", "place:san-jose") in facts  # "in San José on Thursday for"
    # "The International Organization for Migration (IOM) and UNHCR also took part."
    for body in ("organization:iom", "organization:unhcr"):
        took = facts[(body, "ATTENDED", target)]
        assert took.basis is Basis.INFERRED and took.note


def test_announcements_are_dated_by_when_not_by_what(proposals: ProposalSet) -> None:
    events = _events(proposals)
    resettle = events["Marc Miller announced that Canada would resettle 4,000 more refugees"]
    assert resettle.edtf is None  # "by 2028" is what was announced
    # the name skips the apposition "who attended by video"
    pledge = events["Antony Blinken pledged to expand the Safe Mobility Offices"]
    facts = _facts(proposals)
    assert ("person:antony-blinken", "ANNOUNCED", pledge.proposed_id or "") in facts
    offices = next(
        i for i in proposals.of_kind(ItemKind.ENTITY) if i.name == "Safe Mobility Offices"
    )
    assert offices.entity_kind == "organization"  # a plural body word, not a person's name


def test_what_is_said_at_an_event_is_not_the_event(proposals: ProposalSet) -> None:
    # "During a press conference with André, Miller said Canada will host the next
    # ministerial in Ottawa in October."
    press = _events(proposals)["Press conference with André"]
    assert press.edtf is None  # October is the next ministerial's
    facts = _facts(proposals)
    assert ("person:marc-miller", "ATTENDED", press.proposed_id or "") in facts
    assert ("country:ca", "ATTENDED", press.proposed_id or "") not in facts
