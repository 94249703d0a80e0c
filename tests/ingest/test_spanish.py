"""Ingest on a Spanish article written for this test (not from the corpus), against the
seed graph: Spanish names, demonyms, titles, dates and cue words for facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalSet
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"
ARTICLE = (HERE / "articles" / "reunion-ministerial-guatemala-es.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def proposals() -> ProposalSet:
    meta = DocumentMeta(title="Reunión en Guatemala", published="2024-05-10", language="es")
    graph = GraphView(load_seeds(SEEDS, SEEDS / "corpus"))
    return ingest_text(ARTICLE, meta, graph, now=dt.datetime(2024, 5, 10, tzinfo=dt.UTC))


def test_quotes_are_verbatim(proposals: ProposalSet) -> None:
    for item in proposals.items:
        assert ARTICLE[item.quote.start : item.quote.end] == item.quote.text


def test_spanish_names_and_demonyms_are_mentions(proposals: ProposalSet) -> None:
    mentions = {(i.name, i.entity) for i in proposals.of_kind(ItemKind.MENTION)}
    assert ("Antony Blinken", "person:antony-blinken") in mentions
    assert ("Alicia Bárcena", "person:alicia-barcena") in mentions
    assert ("Carlos Martínez", "person:carlos-martinez") in mentions
    assert ("Estados Unidos", "country:us") in mentions  # the Spanish name of a country
    assert ("mexicana", "country:mx") in mentions  # a lower-case Spanish demonym
    assert ("venezolanos", "country:ve") in mentions
    assert ("haitianos", "country:ht") in mentions  # from the table, not a rule of Haití
    assert ("El Salvador", "country:sv") in mentions
    # "el canciller de Guatemala" and "la canciller mexicana": each heads a foreign ministry
    bodies = {i.entity for i in proposals.of_kind(ItemKind.MENTION) if i.name == "canciller"}
    assert bodies == {
        "organization:guatemala-foreign-ministry",
        "organization:mexico-foreign-ministry",
    }


def test_spanish_dates_resolve_from_the_documents_date(proposals: ProposalSet) -> None:
    dates = {i.name: (i.edtf, i.relative) for i in proposals.of_kind(ItemKind.DATE)}
    assert dates["este miércoles"] == ("2024-05-08", True)
    assert dates["hace dos años"] == ("2022", True)
    assert dates["8 de mayo de 2024"] == ("2024-05-08", False)


def test_the_meeting_is_the_graphs_event_dated_from_the_text(proposals: ProposalSet) -> None:
    linked = [
        e
        for e in proposals.of_kind(ItemKind.EVENT)
        if e.entity == "event:guatemala-ministerial-2024"
    ]
    assert len(linked) == 1
    assert linked[0].edtf == "2024-05-08"
    assert "person:antony-blinken" in linked[0].participants


def test_spanish_cue_words_give_facts(proposals: ProposalSet) -> None:
    facts = {(i.subject, i.relation, i.object): i for i in proposals.of_kind(ItemKind.FACT)}
    event = "event:guatemala-ministerial-2024"
    # "participó ... en una reunión ministerial"
    attended = facts[("person:antony-blinken", "ATTENDED", event)]
    assert attended.basis is Basis.STATED
    # "Guatemala fue anfitrión de la reunión"
    hosted = facts[("country:gt", "HOSTED", event)]
    assert hosted.basis is Basis.STATED and "anfitrión" in hosted.quote.text
    # titles: "el canciller de Guatemala, Carlos Martínez", "la canciller mexicana Alicia Bárcena"
    assert (
        "person:carlos-martinez",
        "HOLDS_POSITION",
        "organization:guatemala-foreign-ministry",
    ) in (facts)
    assert ("person:alicia-barcena", "HOLDS_POSITION", "organization:mexico-foreign-ministry") in (
        facts
    )
    # a country whose official took part: INFERRED, with a note
    mexico = facts[("country:mx", "ATTENDED", event)]
    assert mexico.basis is Basis.INFERRED and mexico.note


SECOND = (HERE / "articles" / "mexico-guatemala-cooperacion-es.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def second() -> ProposalSet:
    meta = DocumentMeta(title="México y Guatemala", published="2024-06-06", language="es")
    graph = GraphView(load_seeds(SEEDS, SEEDS / "corpus"))
    return ingest_text(SECOND, meta, graph, now=dt.datetime(2024, 6, 6, tzinfo=dt.UTC))


def test_a_middle_name_is_part_of_the_known_person(second: ProposalSet) -> None:
    # "el canciller de Guatemala, Carlos Ramiro Martínez": Carlos Martínez, not a new
    # "Carlos Ramiro"
    assert not [i for i in second.of_kind(ItemKind.ENTITY) if i.name == "Carlos Ramiro"]
    facts = {(i.subject, i.relation, i.object) for i in second.of_kind(ItemKind.FACT)}
    assert (
        "person:carlos-martinez",
        "HOLDS_POSITION",
        "organization:guatemala-foreign-ministry",
    ) in (facts)


def test_an_acronym_in_parentheses_is_no_entity_of_its_own(second: ProposalSet) -> None:
    names = [i.name for i in second.of_kind(ItemKind.ENTITY)]
    assert "ACNUR" not in names
    # the body's Spanish name, from the table of international bodies, is UNHCR's
    assert "Alto Comisionado de las Naciones Unidas para los Refugiados" not in names
    mentions = {(i.name, i.entity) for i in second.of_kind(ItemKind.MENTION)}
    assert (
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        "organization:unhcr",
    ) in mentions


def test_a_reception_is_a_meeting_and_a_spanish_plan_is_no_lead(second: ProposalSet) -> None:
    # "Alicia Bárcena, recibió este miércoles al canciller de Guatemala, Carlos Ramiro
    # Martínez": a meeting she hosted and he attended, on 5 June
    meeting = next(i for i in second.of_kind(ItemKind.EVENT) if i.category == "meeting")
    assert meeting.edtf == "2024-06-05" and meeting.entity is None  # not the ministerial
    target = meeting.proposed_id or ""
    facts = {(i.subject, i.relation, i.object): i for i in second.of_kind(ItemKind.FACT)}
    assert facts[("person:alicia-barcena", "HOSTED", target)].basis is Basis.STATED
    assert facts[("person:carlos-martinez", "ATTENDED", target)].basis is Basis.STATED
    assert ("person:alicia-barcena", "ATTENDED", target) not in facts  # a host, not a guest
    # "Martínez dijo que Guatemala será sede de la próxima reunión ministerial": a plan,
    # not the article's lead, so those who "también participaron" were at the meeting
    oim = "organization:iom"  # its Spanish name, from the table of international bodies
    assert (oim, "ATTENDED", target) in facts
    assert not [k for k in facts if k[0] == oim and k[2] != target]
    assert [k for k in facts if k[:2] == ("country:gt", "HOSTED")]  # "será sede de"
