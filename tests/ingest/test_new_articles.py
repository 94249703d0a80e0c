"""Ingest on two more articles written for the tests (not from the corpus), each about a
meeting the graph lacks, against the seed graph: "met with", a dateline's date, "the
meeting" referring back, a holder's full name, venues, plans, Spanish acronyms of bodies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalItem, ProposalSet
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "seeds"
ENGLISH = (HERE / "articles" / "mexico-city-labor-pathways-en.txt").read_text(encoding="utf-8")
SPANISH = (HERE / "articles" / "honduras-acuerdo-retorno-es.txt").read_text(encoding="utf-8")

Facts = dict[tuple[str, str, str], ProposalItem]


@pytest.fixture(scope="module")
def graph() -> GraphView:
    return GraphView(load_seeds(SEEDS, SEEDS / "corpus"))


@pytest.fixture(scope="module")
def english(graph: GraphView) -> ProposalSet:
    meta = DocumentMeta(title="U.S. and Mexico sign labor pathways pact", published="2024-03-08")
    return ingest_text(ENGLISH, meta, graph, now=dt.datetime(2024, 3, 8, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def spanish(graph: GraphView) -> ProposalSet:
    meta = DocumentMeta(title="Honduras y Estados Unidos", published="2024-05-22", language="es")
    return ingest_text(SPANISH, meta, graph, now=dt.datetime(2024, 5, 22, tzinfo=dt.UTC))


def _facts(proposals: ProposalSet) -> Facts:
    return {
        (i.subject or "", i.relation or "", i.object or ""): i
        for i in proposals.of_kind(ItemKind.FACT)
    }


def _meeting(proposals: ProposalSet) -> ProposalItem:
    return next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "meeting")


def _entity(proposals: ProposalSet, name: str) -> ProposalItem:
    return next(i for i in proposals.of_kind(ItemKind.ENTITY) if i.name == name)


@pytest.mark.parametrize("which", ["english", "spanish"])
def test_quotes_are_verbatim(which: str, request: pytest.FixtureRequest) -> None:
    proposals: ProposalSet = request.getfixturevalue(which)
    text = ENGLISH if which == "english" else SPANISH
    for item in proposals.items:
        assert text[item.quote.start : item.quote.end] == item.quote.text


def test_english_names_typos_and_dates(english: ProposalSet) -> None:
    mentions = {(i.name, i.entity) for i in english.of_kind(ItemKind.MENTION)}
    assert ("Bliken", "person:antony-blinken") in mentions  # a typo
    assert ("Alicia Barcena", "person:alicia-barcena") in mentions  # accent missing
    assert ("UNHCR", "organization:unhcr") in mentions
    dates = {i.name: i for i in english.of_kind(ItemKind.DATE)}
    assert (dates["last Tuesday"].edtf, dates["last Tuesday"].precision) == ("2024-03-05", "DAY")
    assert dates["April 2"].edtf == "2024-04-02"  # "will meet again on April 2"


def test_met_with_both_attend_and_the_meeting_is_referred_back(english: ProposalSet) -> None:
    meeting = _meeting(english)
    assert meeting.entity is None and meeting.edtf == "2024-03-05"  # "last Tuesday"
    target = meeting.proposed_id or ""
    facts = _facts(english)
    # "Antony Blinken met with ... Alicia Barcena": the subject attends too
    for person in ("person:antony-blinken", "person:alicia-barcena"):
        assert facts[(person, "ATTENDED", target)].basis is Basis.STATED
    # "The meeting was co-hosted by Mexico and the United States and was attended by
    # representatives of the IOM and UNHCR": the lead meeting, not the Guatemala ministerial
    # the graph dates to the same year; the bodies attended, they did not host
    for host in ("country:mx", "country:us"):
        assert facts[(host, "HOSTED", target)].role == "co-host"
    for body in ("organization:iom", "organization:unhcr"):
        assert facts[(body, "ATTENDED", target)].basis is Basis.STATED
        assert (body, "HOSTED", target) not in facts
    assert not [k for k in facts if k[2] == "event:guatemala-ministerial-2024"]
    # "in Mexico City": a new city the graph lacks, not the country
    city = next(i for i in english.of_kind(ItemKind.ENTITY) if i.proposed_id == "place:mexico-city")
    assert city.entity_kind == "place" and city.name == "Mexico City"  # not the dateline's
    assert (target, "HELD_IN", "place:mexico-city") in facts
    assert (target, "HELD_IN", "country:mx") not in facts
    # "Homeland Security Secretary Alejandro Mayorkas also attended."
    also = facts[("person:alejandro-mayorkas", "ATTENDED", target)]
    assert also.basis is Basis.INFERRED and also.note


def test_a_long_holder_name_and_a_venue(english: ProposalSet) -> None:
    # "Guatemalan Minister of the Interior Francisco José Jiménez Irungaray"
    person = _entity(english, "Francisco José Jiménez Irungaray")
    ministry = _entity(english, "Ministry of Interior of Guatemala")
    assert ministry.country == "country:gt"
    facts = _facts(english)
    assert (person.proposed_id, "HOLDS_POSITION", ministry.proposed_id) in facts
    assert _entity(english, "National Palace").entity_kind == "place"  # not a person


def test_a_passive_signing_without_agent_names_no_party(english: ProposalSet) -> None:
    # "the Los Angeles Declaration, which was signed in June 2022, and announced that
    # Mexico will open ... near the border with Guatemala": neither is said to have signed
    facts = _facts(english)
    declaration = "agreement:los-angeles-declaration"
    assert ("country:gt", "PARTY_TO", declaration) not in facts
    assert ("country:mx", "PARTY_TO", declaration) not in facts


def test_a_visit_had_made(english: ProposalSet) -> None:
    visit = next(i for i in english.of_kind(ItemKind.EVENT) if i.category == "visit")
    assert visit.edtf == "2024-03-03"
    fact = _facts(english)[("person:alejandro-mayorkas", "ATTENDED", visit.proposed_id or "")]
    assert fact.basis is Basis.STATED and fact.role == "visitor"  # "had visited"


def test_spanish_acronyms_of_bodies_are_known(spanish: ProposalSet) -> None:
    mentions = {(i.name, i.entity) for i in spanish.of_kind(ItemKind.MENTION)}
    assert ("OIM", "organization:iom") in mentions
    assert ("ACNUR", "organization:unhcr") in mentions
    assert not [i for i in spanish.of_kind(ItemKind.ENTITY) if i.name in ("OIM", "ACNUR")]


def test_a_spanish_name_of_a_known_declaration(spanish: ProposalSet) -> None:
    # "en el marco de la Declaración de Los Ángeles, que Honduras suscribió en 2022"
    mentions = {(i.name, i.entity) for i in spanish.of_kind(ItemKind.MENTION)}
    declaration = "agreement:los-angeles-declaration"
    assert ("Declaración de Los Ángeles", declaration) in mentions
    party = _facts(spanish)[("country:hn", "PARTY_TO", declaration)]  # a relative clause
    assert party.basis is Basis.STATED


def test_the_dateline_does_not_date_the_meeting(spanish: ProposalSet) -> None:
    # "TEGUCIGALPA, 22 de mayo (Agencia) — ... se reunió hace dos semanas": two weeks ago
    meeting = _meeting(spanish)
    assert meeting.edtf == "2024-05-06/2024-05-12"
    target = meeting.proposed_id or ""
    facts = _facts(spanish)
    reina = _entity(spanish, "Enrique Reina").proposed_id or ""
    for person in ("person:alejandro-mayorkas", reina):  # "se reunió ... con"
        assert facts[(person, "ATTENDED", target)].basis is Basis.STATED
    # "La reunión, celebrada en la Casa Presidencial, contó con la participación de la OIM
    # y del ACNUR": the meeting referred back, its venue a place, its participants
    venue = _entity(spanish, "Casa Presidencial")
    assert venue.entity_kind == "place"
    assert (target, "HELD_IN", venue.proposed_id or "") in facts
    for body in ("organization:iom", "organization:unhcr"):
        assert (body, "ATTENDED", target) in facts
    # "Antony Blinken, participó por videoconferencia."
    remote = facts[("person:antony-blinken", "ATTENDED", target)]
    assert remote.basis is Basis.INFERRED


def test_a_spanish_plan_is_inferred(spanish: ProposalSet) -> None:
    # "México será sede de una reunión regional el próximo lunes en Tapachula"
    plan = next(i for i in spanish.of_kind(ItemKind.EVENT) if i.edtf == "2024-05-27")
    hosted = _facts(spanish)[("country:mx", "HOSTED", plan.proposed_id or "")]
    assert hosted.basis is Basis.INFERRED and "plan" in (hosted.note or "")


TRANSCRIPT = """Remarks at a Press Availability

March 3, 2024

Panama City, Panama

SECRETARY BLINKEN: Thank you all for coming. We had a productive meeting today.

MODERATOR: Our next question. Quispe from TVN.

QUESTION: Thank you. What about the border?
"""


def test_a_caller_named_by_surname_alone(graph: GraphView) -> None:
    meta = DocumentMeta(title="Press availability", published="2024-03-03")
    proposals = ingest_text(TRANSCRIPT, meta, graph, now=dt.datetime(2024, 3, 3, tzinfo=dt.UTC))
    caller = _entity(proposals, "Quispe")  # "Quispe from TVN.": a surname, then the body
    assert caller.entity_kind == "person"
    facts = _facts(proposals)
    assert (caller.proposed_id, "HOLDS_POSITION", "organization:tvn") in facts
    attended = [k for k in facts if k[:2] == (caller.proposed_id, "ATTENDED")]
    assert attended and facts[attended[0]].basis is Basis.INFERRED


FORUM = (HERE / "articles" / "guatemala-labor-forum-en.txt").read_text(encoding="utf-8")


def test_a_forum_held_then_co_hosted(graph: GraphView) -> None:
    meta = DocumentMeta(title="Migration forum in Guatemala City", published="2024-06-12")
    proposals = ingest_text(FORUM, meta, graph, now=dt.datetime(2024, 6, 12, tzinfo=dt.UTC))
    forum = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "forum")
    assert forum.edtf == "2024-06-11"  # "on Tuesday", not the dateline's June 12
    target = forum.proposed_id or ""
    facts = _facts(proposals)
    # "was held in Guatemala City on Tuesday, co-hosted by Canada and Guatemala"
    for host in ("country:ca", "country:gt"):
        assert facts[(host, "HOSTED", target)].basis is Basis.STATED
    assert (target, "HELD_IN", "place:guatemala-city") in facts
    # "Representatives of the OIM, UNHCR and the Inter-American Development Bank attended"
    for body in ("organization:iom", "organization:unhcr", "organization:idb"):
        assert (body, "ATTENDED", target) in facts
    # "Guatemala's Minister of Labor Miriam Roquel": the graph's ministry of labor
    roquel = _entity(proposals, "Miriam Roquel").proposed_id or ""
    assert (roquel, "HOLDS_POSITION", "organization:guatemala-ministry-of-labor") in facts


COOPERATION = (HERE / "articles" / "mexico-guatemala-cooperacion-es.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module")
def cooperation(graph: GraphView) -> ProposalSet:
    meta = DocumentMeta(title="México y Guatemala", published="2024-06-05", language="es")
    return ingest_text(COOPERATION, meta, graph, now=dt.datetime(2024, 6, 5, tzinfo=dt.UTC))


def test_an_unnamed_instrument_signed_by_the_two_officials(english: ProposalSet) -> None:
    # "The two officials signed a memorandum of understanding on temporary work visas
    # during the meeting": a new agreement in the text's words, signed by the two people
    # the first sentence names together (INFERRED: who they are is an earlier sentence's)
    memo = _entity(english, "memorandum of understanding on temporary work visas")
    assert memo.entity_kind == "agreement"
    facts = _facts(english)
    for person in ("person:antony-blinken", "person:alicia-barcena"):
        signed = facts[(person, "SIGNED", memo.proposed_id or "")]
        assert signed.basis is Basis.INFERRED and "The two officials" in (signed.note or "")


def test_both_ministers_sign_an_unnamed_memorandum_in_spanish(cooperation: ProposalSet) -> None:
    # "ambos ministros firmaron un memorando de entendimiento sobre movilidad laboral"
    memo = _entity(cooperation, "memorando de entendimiento sobre movilidad laboral")
    facts = _facts(cooperation)
    for person in ("person:alicia-barcena", "person:carlos-martinez"):
        assert facts[(person, "SIGNED", memo.proposed_id or "")].basis is Basis.INFERRED


def test_named_signers_of_an_unnamed_letter_are_stated(spanish: ProposalSet) -> None:
    # "Mayorkas y Reina firmaron una carta de intención sobre el retorno digno de migrantes"
    letter = _entity(spanish, "carta de intención sobre el retorno digno de migrantes")
    reina = _entity(spanish, "Enrique Reina").proposed_id or ""
    facts = _facts(spanish)
    for person in ("person:alejandro-mayorkas", reina):
        assert facts[(person, "SIGNED", letter.proposed_id or "")].basis is Basis.STATED


def test_signed_a_memorandum_with(graph: GraphView) -> None:
    # "Marc Miller signed a memorandum with Guatemala's Minister of Labor Miriam Roquel":
    # the one signed with signed too; Guatemala, only whose minister she is, is no party
    meta = DocumentMeta(title="Migration forum in Guatemala City", published="2024-06-12")
    proposals = ingest_text(FORUM, meta, graph, now=dt.datetime(2024, 6, 12, tzinfo=dt.UTC))
    memo = _entity(proposals, "memorandum").proposed_id or ""
    facts = _facts(proposals)
    for person in ("Marc Miller", "Miriam Roquel"):
        who = _entity(proposals, person).proposed_id or ""
        assert facts[(who, "SIGNED", memo)].basis is Basis.STATED
    assert ("country:gt", "PARTY_TO", memo) not in facts


def test_a_bare_instrument_of_a_kind_the_article_names(graph: GraphView) -> None:
    # "signed a declaration" after the Los Angeles Declaration: that one, INFERRED; one
    # with its own topic ("a declaration on labor mobility") is a new one
    text = (
        "Mexico and Guatemala endorsed the Los Angeles Declaration in 2022. "
        "On Tuesday, Mexico signed a declaration at a ceremony in Tapachula. "
        "Guatemala signed a declaration on labor mobility with Mexico."
    )
    meta = DocumentMeta(title="Declarations", published="2024-02-01")
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 2, 1, tzinfo=dt.UTC))
    names = {i.name for i in proposals.of_kind(ItemKind.ENTITY)}
    assert "declaration" not in names and "declaration on labor mobility" in names
    new = _entity(proposals, "declaration on labor mobility").proposed_id or ""
    assert ("country:mx", "PARTY_TO", new) in _facts(proposals)  # "with Mexico"
    mentions = [i for i in proposals.of_kind(ItemKind.MENTION) if i.name == "declaration"]
    assert mentions and mentions[0].entity == "agreement:los-angeles-declaration"


def test_the_ministers_will_meet_again_is_a_planned_meeting(english: ProposalSet) -> None:
    # "The ministers will meet again on April 2 in Guatemala City.": a new meeting of the
    # people last named together, dated, placed, its facts INFERRED as a plan; not the
    # Guatemala ministerial the graph dates to 2024
    plan = next(i for i in english.of_kind(ItemKind.EVENT) if i.edtf == "2024-04-02")
    assert plan.entity is None and plan.category == "meeting"
    assert plan.place == "place:guatemala-city"
    assert {"person:antony-blinken", "person:alicia-barcena"} <= set(plan.participants)
    assert "planned: future tense" in (plan.note or "")
    facts = _facts(english)
    target = plan.proposed_id or ""
    for person in ("person:antony-blinken", "person:alicia-barcena"):
        fact = facts[(person, "ATTENDED", target)]
        assert fact.basis is Basis.INFERRED and "planned: future tense" in (fact.note or "")
    assert facts[(target, "HELD_IN", "place:guatemala-city")].basis is Basis.INFERRED


def test_se_reuniran_de_nuevo(graph: GraphView) -> None:
    text = (
        "La canciller mexicana Alicia Bárcena se reunió el lunes en Tapachula con el canciller"
        " de Guatemala, Carlos Martínez. Los dos cancilleres se reunirán de nuevo el 2 de abril"
        " en Ciudad de Guatemala."
    )
    meta = DocumentMeta(title="Reunión", published="2024-03-06", language="es")
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    plan = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.edtf == "2024-04-02")
    assert plan.entity is None
    fact = _facts(proposals)[("person:carlos-martinez", "ATTENDED", plan.proposed_id or "")]
    assert fact.basis is Basis.INFERRED and "planned" in (fact.note or "")


def test_a_new_city_named_for_its_country_is_in_it(english: ProposalSet) -> None:
    # "MEXICO CITY (Wire) — ... in Mexico City": a city the graph lacks, in Mexico
    facts = _facts(english)
    located = facts[("place:mexico-city", "LOCATED_IN", "country:mx")]
    assert located.basis is Basis.INFERRED and located.note
    # "Mayorkas had visited Tapachula, in southern Mexico": a place, in Mexico (stated)
    assert _entity(english, "Tapachula").entity_kind == "place"
    assert facts[("place:tapachula", "LOCATED_IN", "country:mx")].basis is Basis.STATED


def test_ciudad_de_a_country(graph: GraphView) -> None:
    # "en la Ciudad de México": a new city, in Mexico; not the country
    text = "La reunión se celebró el lunes en la Ciudad de México, con delegados de la región."
    meta = DocumentMeta(title="Reunión", published="2024-03-06", language="es")
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    city = _entity(proposals, "Ciudad de México")
    assert city.entity_kind == "place"
    assert (city.proposed_id, "LOCATED_IN", "country:mx") in _facts(proposals)
    assert not [i for i in proposals.of_kind(ItemKind.MENTION) if i.entity == "country:mx"]


def test_a_known_city_in_spanish_word_order(graph: GraphView) -> None:
    # "Ciudad de Guatemala" is the graph's Guatemala City (its name in Spanish order)
    text = "Los cancilleres se reunieron el lunes en Ciudad de Guatemala."
    meta = DocumentMeta(title="Reunión", published="2024-03-06", language="es")
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    mentions = {(i.name, i.entity) for i in proposals.of_kind(ItemKind.MENTION)}
    assert ("Ciudad de Guatemala", "place:guatemala-city") in mentions


def test_an_officials_country_from_the_graph_attends(graph: GraphView) -> None:
    # "Secretary of State Antony Blinken met with ...": the title names no country, but
    # the graph's Department of State is the United States'
    text = "Secretary of State Antony Blinken met with Alicia Bárcena in Tapachula on Monday."
    meta = DocumentMeta(title="Meeting", published="2024-03-06")
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 3, 6, tzinfo=dt.UTC))
    meeting = _meeting(proposals).proposed_id or ""
    fact = _facts(proposals)[("country:us", "ATTENDED", meeting)]
    assert fact.basis is Basis.INFERRED and "body the official heads" in (fact.note or "")


def test_a_host_does_not_also_attend(english: ProposalSet) -> None:
    # the United States attends with Blinken, then "The meeting was co-hosted by Mexico and
    # the United States": it hosted, and the inferred attendance goes
    facts = _facts(english)
    meeting = _meeting(english).proposed_id or ""
    for country in ("country:us", "country:mx"):
        assert (country, "HOSTED", meeting) in facts
        assert (country, "ATTENDED", meeting) not in facts


def test_el_canciller_de_honduras_heads_a_new_foreign_ministry(spanish: ProposalSet) -> None:
    # "el canciller de Honduras, Enrique Reina": the graph has no Honduran foreign ministry
    ministry = _entity(spanish, "Ministerio de Relaciones Exteriores de Honduras")
    assert ministry.country == "country:hn" and ministry.entity_kind == "organization"
    reina = _entity(spanish, "Enrique Reina").proposed_id or ""
    facts = _facts(spanish)
    assert (reina, "HOLDS_POSITION", ministry.proposed_id or "") in facts
    assert ("country:hn", "ATTENDED", _meeting(spanish).proposed_id or "") in facts


def test_a_visit_is_its_visitors_not_their_countrys(english: ProposalSet) -> None:
    # "Mayorkas had visited Tapachula": the visitor, not the United States, visits
    visit = next(i for i in english.of_kind(ItemKind.EVENT) if i.category == "visit")
    assert ("country:us", "ATTENDED", visit.proposed_id or "") not in _facts(english)


def test_an_announcement_joined_to_an_earlier_verb(english: ProposalSet) -> None:
    # "Barcena said the agreement builds on the Los Angeles Declaration, which was signed
    # in June 2022, and announced that Mexico will open three new reception centers":
    # Barcena's announcement, not dated by the relative clause's June 2022
    item = next(
        i
        for i in english.of_kind(ItemKind.EVENT)
        if i.category == "announcement" and "reception centers" in (i.name or "")
    )
    assert item.edtf is None and item.participants == ["person:alicia-barcena"]
    fact = _facts(english)[("person:alicia-barcena", "ANNOUNCED", item.proposed_id or "")]
    assert fact.basis is Basis.STATED


def test_a_described_event_is_named_to_the_end_of_its_noun_phrase(graph: GraphView) -> None:
    # "A regional forum on labor migration was held ...": not "Regional forum on labor"
    meta = DocumentMeta(title="Migration forum in Guatemala City", published="2024-06-12")
    proposals = ingest_text(FORUM, meta, graph, now=dt.datetime(2024, 6, 12, tzinfo=dt.UTC))
    forum = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "forum")
    assert forum.name == "Regional forum on labor migration"


def test_an_unnamed_instrument_signed_at_the_meeting(
    english: ProposalSet, spanish: ProposalSet
) -> None:
    # "signed a memorandum of understanding on temporary work visas during the meeting";
    # "Durante el encuentro, Mayorkas y Reina firmaron una carta de intención ...": the
    # meeting referred back, where the instrument was signed
    for proposals, name in (
        (english, "memorandum of understanding on temporary work visas"),
        (spanish, "carta de intención sobre el retorno digno de migrantes"),
    ):
        memo = _entity(proposals, name).proposed_id or ""
        meeting = _meeting(proposals).proposed_id or ""
        assert _facts(proposals)[(memo, "ADOPTED_AT", meeting)].basis is Basis.STATED


def test_a_spanish_title_of_the_one_office_the_graph_records(spanish: ProposalSet) -> None:
    # "El secretario de Seguridad Nacional de Estados Unidos, Alejandro Mayorkas": the
    # Spanish words are not the graph's ("Homeland Security"), but the graph records one
    # office of Mayorkas in the United States: that one, inferred; no new body beside it
    facts = {(i.subject, i.relation, i.object): i for i in spanish.of_kind(ItemKind.FACT)}
    held = facts[("person:alejandro-mayorkas", "HOLDS_POSITION", "organization:dhs")]
    assert held.basis is Basis.INFERRED and "the graph's one office" in (held.note or "")
    names = {i.name for i in spanish.of_kind(ItemKind.ENTITY)}
    assert not [n for n in names if n and n.startswith("Secretaría de Seguridad Nacional")]


def test_the_reception_is_in_the_city_its_sentence_ends_with(cooperation: ProposalSet) -> None:
    # "La secretaria ... recibió ... al canciller de Guatemala, Carlos Ramiro Martínez, en la
    # Ciudad de México.": there, not in Guatemala (whose canciller he is)
    meeting = next(i for i in cooperation.of_kind(ItemKind.EVENT) if i.category == "meeting")
    city = _entity(cooperation, "Ciudad de México").proposed_id or ""
    assert meeting.place == city
    held = _facts(cooperation)[(meeting.proposed_id or "", "HELD_IN", city)]
    assert held.basis is Basis.INFERRED


def test_the_headlines_instrument_is_the_bodys(spanish: ProposalSet) -> None:
    # "Honduras y Estados Unidos firman un acuerdo sobre retornos dignos" over "Mayorkas y
    # Reina firmaron una carta de intención sobre el retorno digno de migrantes": one
    # agreement, named as the body names it; the headline's parties inferred, with why
    agreements = [i for i in spanish.of_kind(ItemKind.ENTITY) if i.entity_kind == "agreement"]
    assert [i.name for i in agreements] == [
        "carta de intención sobre el retorno digno de migrantes"
    ]
    (letter,) = agreements
    assert "carta de intención" in letter.quote.text  # proposed where the body names it
    facts = _facts(spanish)
    for country in ("country:hn", "country:us"):
        party = facts[(country, "PARTY_TO", letter.proposed_id or "")]
        assert party.basis is Basis.INFERRED and "headline" in (party.note or "")
