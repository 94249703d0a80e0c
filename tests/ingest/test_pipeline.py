"""The ingest pipeline on a small hand-built graph and articles written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.model.dates import parse_date
from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalSet
from timeline.model.records import (
    Agreement,
    Country,
    Dataset,
    Document,
    Event,
    Organization,
    Person,
    Place,
    Relation,
    Source,
)
from timeline.services.ingest import DocumentError, GraphView, decode_text, ingest_text
from timeline.services.ingest.dates import find_dates
from timeline.services.ingest.document import MAX_SENTENCE_CHARS, sentences
from timeline.services.ingest.linking import NameIndex, name_score

SRC = (Source("document:old", "an older report"),)


def _graph() -> Dataset:
    entities = [
        Person(id="person:antony-blinken", name="Antony Blinken", sources=SRC),
        Person(id="person:alicia-barcena", name="Alicia Bárcena", sources=SRC),
        Country(id="country:us", name="United States", aliases=("U.S.",), code="US", sources=SRC),
        Country(id="country:gt", name="Guatemala", code="GT", sources=SRC),
        Country(id="country:mx", name="Mexico", code="MX", sources=SRC),
        Organization(
            id="organization:iom",
            name="International Organization for Migration",
            acronym="IOM",
            sources=SRC,
        ),
        Agreement(id="agreement:la-declaration", name="Los Angeles Declaration", sources=SRC),
        Place(id="place:washington", name="Washington", sources=SRC),
        Event(
            id="event:trilateral-2024",
            name="Trilateral Ministerial Meeting on Migration (Washington, 2024)",
            category="ministerial",
            date=parse_date("2024-02-28"),
            sources=SRC,
        ),
    ]
    relations = [
        Relation(
            type="ATTENDED", subject="country:mx", object="event:trilateral-2024", sources=SRC
        ),
        Relation(
            type="HELD_IN", subject="event:trilateral-2024", object="place:washington", sources=SRC
        ),
    ]
    return Dataset(
        documents={"document:old": Document(id="document:old", title="old")},
        entities={e.id: e for e in entities},
        relations=relations,
    )


ARTICLE = (
    "Ministers meet in Washington\n\n"
    "This Wednesday, U.S. Secretary of State Antony Bliken hosted a ministerial meeting in "
    "Washington with Mexico and Guatemala. Mexico's Foreign Secretary Alicia Barcena attended "
    "the ministerial meeting.\n"
    "Two years ago, Guatemala signed the Los Angeles Declaration. The International "
    "Organization for Migration (IOM) funded the work, and Minister Carlos Ramírez Ortega "
    "of the Guatemalan Institute of Migration said the offices opened on 19 April 2022.\n"
)


@pytest.fixture(scope="module")
def proposals() -> ProposalSet:
    meta = DocumentMeta(title="Ministers meet", published="2024-02-28")
    return ingest_text(
        ARTICLE, meta, GraphView(_graph()), now=dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    )


def test_sentences_keep_offsets_and_abbreviations() -> None:
    found = sentences(ARTICLE)
    assert all(ARTICLE[s.start : s.end] == s.text for s in found)
    assert any(s.text.startswith("This Wednesday, U.S. Secretary of State Antony") for s in found)
    assert found[0].text == "Ministers meet in Washington"


def test_a_sentence_without_end_is_read_in_bounded_pieces() -> None:
    # a list pasted without stops (or a hostile text): cut at commas, every piece verbatim
    text = "Blinken met Bárcena in Washington, and " * 300 + "then left.\n"
    found = sentences(text)
    assert len(found) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in found)
    assert all(text[s.start : s.end] == s.text and s.text.endswith((",", ".")) for s in found)
    assert "".join(s.text for s in found).replace(" ", "") == text.strip().replace(" ", "")


def test_every_quote_is_verbatim(proposals: ProposalSet) -> None:
    assert proposals.items
    for item in proposals.items:
        quote = item.quote
        assert ARTICLE[quote.start : quote.end] == quote.text
        assert quote.start <= quote.span_start <= quote.span_end <= quote.end
        assert 0 < item.confidence <= 1


def test_mentions_are_accent_case_and_typo_tolerant(proposals: ProposalSet) -> None:
    mentions = {(i.name, i.entity) for i in proposals.of_kind(ItemKind.MENTION)}
    assert ("Antony Bliken", "person:antony-blinken") in mentions  # a misspelling
    assert ("Alicia Barcena", "person:alicia-barcena") in mentions  # accent left out
    assert ("U.S.", "country:us") in mentions
    assert ("IOM", "organization:iom") in mentions or (
        "International Organization for Migration",
        "organization:iom",
    ) in mentions


def test_invisible_characters_inside_a_name_hide_nothing() -> None:
    # a soft hyphen, a zero-width space and a zero-width joiner inside names
    text = "Blin\u200bken met B\u00e1r\u200dcena in Washing\u00adton on Monday.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    mentioned = {i.entity for i in found.of_kind(ItemKind.MENTION)}
    assert {"person:antony-blinken", "person:alicia-barcena", "place:washington"} <= mentioned
    assert not found.of_kind(ItemKind.ENTITY)
    assert all(text[i.quote.start : i.quote.end] == i.quote.text for i in found.items)


def test_short_names_match_case_exactly() -> None:
    assert name_score("us", "US") == 0.0
    assert name_score("U.S.", "US") == 1.0
    assert name_score("Bliken", "Blinken") > 0
    index = NameIndex(_graph().entities.values())
    text = "They told us about it."
    assert index.find(text, 0, len(text)) == []


def test_linking_follows_the_search_rule() -> None:
    # the search rule's typo tolerance, per word: one edit up to 7 letters, two from 8
    assert name_score("Alicia Barcena", "Alicia Bárcena") == 1.0
    assert name_score("Antony Bliken", "Antony Blinken") > 0
    assert name_score("Antony Blink", "Antony Blinken") > 0  # a last word cut short
    assert name_score("Antony J. Blinken", "Antony Blinken") == 1.0  # initials do not count
    assert name_score("Foreign Minister Martínez", "Foreign Minister Mouynes") == 0.0
    assert name_score("Pina", "Pino") == 0.0  # too short for a typo
    index = NameIndex(_graph().entities.values())
    text = "The Mexican delegation met the Guatemalan Institute of Migration in Washington."
    found = {(m.text, m.entity, m.how) for m in index.find(text, 0, len(text))}
    assert ("Mexican", "country:mx", "demonym") in found
    assert not any(m[0] == "Guatemalan" for m in found)  # a demonym inside a longer name


def test_a_surname_after_another_given_name_is_someone_else() -> None:
    people = [
        Person(id="person:priscilla-alvarez", name="Priscilla Alvarez", sources=SRC),
        Person(id="person:ned-price", name="Ned Price", sources=SRC),
        Person(id="person:ana-fernandez-ruiz", name="Ana Fernandez Ruiz", sources=SRC),
        Person(id="person:juan-pino", name="Juan Manuel Pino Forero", sources=SRC),
        Country(id="country:pa", name="Panama", code="PA", sources=SRC),
    ]
    index = NameIndex(people)

    def found(text: str) -> list[tuple[str, str]]:
        return [(m.text, m.entity) for m in index.find(text, 0, len(text))]

    # another first name, a typo of another surname, a hyphenated city: no one known
    assert found("Foreign Minister Roberto Álvarez spoke.") == []
    assert found("Deputy Minister Joel Hernández spoke.") == []
    assert found("He flew on to Port-au-Prince.") == []
    # a title, a title's domain, a known name or a sentence opener before it: them
    assert found("Minister Álvarez spoke.") == [("Álvarez", "person:priscilla-alvarez")]
    assert ("Pino", "person:juan-pino") in [
        (t.split()[-1], e) for t, e in found("The Minister of Public Security Pino spoke.")
    ]
    assert found("But Price said so.") == [("Price", "person:ned-price")]
    assert found("Juan Pino and Manuel Pino.") == [
        ("Juan Pino", "person:juan-pino"),
        ("Pino", "person:juan-pino"),
    ]


def test_a_ministers_title_names_the_ministry_it_heads() -> None:
    dataset = _graph()
    ministry = Organization(
        id="organization:mexico-foreign-ministry",
        name="Foreign ministry of Mexico",
        country="country:mx",
        sources=SRC,
    )
    labor = Organization(
        id="organization:mexico-labor",
        name="Ministry of Labor of Mexico",
        country="country:mx",
        sources=SRC,
    )
    entities = {**dataset.entities, ministry.id: ministry, labor.id: labor}
    graph = GraphView(Dataset(documents=dataset.documents, entities=entities, relations=[]))
    text = "The Secretary of Foreign Affairs of Mexico, Alicia Bárcena, spoke in Washington."
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), graph)
    mentions = {i.entity for i in found.of_kind(ItemKind.MENTION)}
    assert ministry.id in mentions and labor.id not in mentions
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert ("person:alicia-barcena", "HOLDS_POSITION", ministry.id) in facts
    assert ("person:alicia-barcena", "HOLDS_POSITION", "country:mx") not in facts


def test_new_entities_have_a_kind_guess_and_context(proposals: ProposalSet) -> None:
    new = {i.name: i for i in proposals.of_kind(ItemKind.ENTITY)}
    person = new["Carlos Ramírez Ortega"]
    assert person.entity_kind == "person" and person.context
    assert person.proposed_id == "person:carlos-ramirez-ortega"
    institute = new["Guatemalan Institute of Migration"]
    assert institute.entity_kind == "organization"


def test_dates_absolute_and_relative(proposals: ProposalSet) -> None:
    dates = {i.name: (i.edtf, i.precision, i.relative) for i in proposals.of_kind(ItemKind.DATE)}
    assert dates["This Wednesday"] == ("2024-02-28", "DAY", True)
    assert dates["Two years ago"] == ("2022", "YEAR", True)
    assert dates["19 April 2022"] == ("2022-04-19", "DAY", False)


@pytest.mark.parametrize(
    ("phrase", "published", "edtf"),
    [
        ("last year", "2024-02-28", "2023"),
        ("earlier this month", "2024-02-28", "2024-02"),
        ("in October", "2024-02-28", "2023-10"),
        ("el miércoles pasado", "2024-02-28", "2024-02-21"),
        ("hace dos años", "2024-02-28", "2022"),
        ("el 19 de abril de 2022", "2024-02-28", "2022-04-19"),
        ("June 6-10", "2022-04-20", "2022-06-06/2022-06-10"),
        ("April 19", "2022-12-07", "2022-04-19"),
        ("this Wednesday", "2024", None),  # a document dated only to the year places no weekday
        # a month of a year counted from the document's
        ("in January of last year", "2024-02-28", "2023-01"),
        ("in March this year", "2024", "2024-03"),
        ("en octubre del año pasado", "2024-02-28", "2023-10"),
        ("en mayo del próximo año", "2024-02-28", "2025-05"),
    ],
)
def test_date_phrases(phrase: str, published: str, edtf: str | None) -> None:
    text = f"It happened {phrase} there."
    found = find_dates(
        text, 0, len(text), published, "es" if "é" in phrase or "de" in phrase else "en"
    )
    assert [f.span.edtf for f in found] == ([edtf] if edtf else [])


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("We will meet again in February in Washington.", "2024-01-10", "2024-02"),
        ("In February, many of us will meet again in Washington.", "2024-12-10", "2025-02"),
        ("Blinken will travel on Thursday to Mexico.", "2024-12-10", "2024-12-12"),
        ("The summit will open on 19 April.", "2024-12-10", "2025-04-19"),
        # a plan reported after a past verb does not move the date before it
        ("On 19 April, Blinken said the United States will help.", "2024-12-10", "2024-04-19"),
        ("In February, the ministers met in Washington.", "2024-12-10", "2024-02"),
        # the future of reported speech
        ("The officials said they would meet again in January.", "2023-12-28", "2024-01"),
        ("Dijeron que se reunirían en enero.", "2023-12-28", "2024-01"),
        ("The ministers agreed to meet again in Santiago in March.", "2024-10-11", "2025-03"),
    ],
)
def test_a_date_after_a_verb_of_the_future_is_the_coming_one(
    text: str, published: str, edtf: str
) -> None:
    assert [f.span.edtf for f in find_dates(text, 0, len(text), published)] == [edtf]


def test_facts_are_stated_or_inferred_with_quotes(proposals: ProposalSet) -> None:
    facts = {(i.subject, i.relation, i.object): i for i in proposals.of_kind(ItemKind.FACT)}
    signed = facts[("country:gt", "PARTY_TO", "agreement:la-declaration")]
    assert signed.basis is Basis.STATED
    assert "signed the Los Angeles Declaration" in signed.quote.text
    hosted = facts[("person:antony-blinken", "HOSTED", "event:trilateral-2024")]
    assert hosted.basis is Basis.STATED
    attended = facts[("person:alicia-barcena", "ATTENDED", "event:trilateral-2024")]
    assert attended.basis is Basis.STATED
    for fact in facts.values():
        assert fact.basis is Basis.STATED or fact.note


def test_a_reported_event_links_to_the_same_existing_event(proposals: ProposalSet) -> None:
    events = proposals.of_kind(ItemKind.EVENT)
    linked = [e for e in events if e.entity == "event:trilateral-2024"]
    assert len(linked) == 1
    event = linked[0]
    assert event.edtf == "2024-02-28"
    assert "country:gt" in event.participants and event.note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Bogotá y Panamá".encode("latin-1"), "not UTF-8"),
        (b"x" * 101, "max_document_chars"),
    ],
)
def test_bad_input_is_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode_text(data, max_chars=100)


def test_decoding_accepts_utf8_with_bom() -> None:
    assert decode_text("Bogotá".encode("utf-8-sig"), 100) == "Bogotá"


def test_the_americas_demonyms_and_country_names() -> None:
    # irregular demonyms come from the table by the country's code; a country the graph
    # lacks is guessed a country, not a place
    honduras = Country(id="country:hn", name="Honduras", code="HN", sources=SRC)
    dataset = _graph()
    entities = {**dataset.entities, honduras.id: honduras}
    graph = GraphView(Dataset(documents=dataset.documents, entities=entities, relations=[]))
    text = (
        "Hondurans and guatemaltecos met in Estados Unidos. "
        "The talks then moved to Nicaragua and the United States."
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), graph)
    mentions = {(i.name, i.entity) for i in found.of_kind(ItemKind.MENTION)}
    assert ("Hondurans", "country:hn") in mentions
    assert ("guatemaltecos", "country:gt") in mentions
    assert ("Estados Unidos", "country:us") in mentions
    new = {i.name: i.entity_kind for i in found.of_kind(ItemKind.ENTITY)}
    assert new.get("Nicaragua") == "country"


TRANSCRIPT = (
    "Secretary Antony J. Blinken\n"
    "And Mexico's Foreign Secretary Alicia Bárcena\n"
    "At a Joint Press Availability\n"
    "\n"
    "February 28, 2024\n"
    "Blair House\n"
    "Washington\n"
    "\n"
    "MODERATOR RUIZ:  Good afternoon and welcome to everyone here today.\n"
    "SECRETARY BLINKEN:  Thank you very much, and thank you all for joining us.\n"
    "QUESTION:  A question for both of you on the new working group, please.\n"
)


def test_a_transcript_heading_names_its_event_speakers_and_venue() -> None:
    found = ingest_text(
        TRANSCRIPT, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph())
    )
    events = [e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading"]
    assert len(events) == 1
    event = events[0]
    assert event.edtf == "2024-02-28" and event.category == "press_conference"
    target = event.entity or event.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for person in ("person:antony-blinken", "person:alicia-barcena"):
        attended = facts[(person, "ATTENDED", target)]
        assert attended.basis is Basis.INFERRED and attended.note
    held = facts[(target, "HELD_IN", "place:blair-house")]
    assert held.basis is Basis.INFERRED
    new = {i.name: i.entity_kind for i in found.of_kind(ItemKind.ENTITY)}
    assert new["Blair House"] == "place"  # a venue line names a place


def test_what_a_transcripts_turns_name_without_a_part_in_it_is_mentioned_in_its_event() -> None:
    text = TRANSCRIPT + (
        "SECRETARY BLINKEN:  We spoke about the Los Angeles Declaration and about Guatemala,"
        " and Secretary Bárcena and I agreed on the next steps.\n"
        "SECRETARY BÁRCENA:  The International Organization for Migration will help us.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading")
    target = event.entity or event.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for spoken_of in ("agreement:la-declaration", "country:gt", "organization:iom"):
        fact = facts[(spoken_of, "MENTIONED_IN", target)]
        assert fact.basis is Basis.INFERRED and "transcript" in (fact.note or "")
        assert text[fact.quote.span_start : fact.quote.span_end] in (
            "Los Angeles Declaration",
            "Guatemala",
            "International Organization for Migration",
        )
    # who takes part is not also only mentioned, and nor is the heading's country
    mentioned = {s for s, r, o in facts if r == "MENTIONED_IN" and o == target}
    assert not mentioned & {"person:antony-blinken", "person:alicia-barcena", "country:mx"}
    # nothing the heading alone names is mentioned in the event
    assert not mentioned - {"agreement:la-declaration", "country:gt", "organization:iom"}


def test_a_meeting_planned_without_a_date_is_an_undated_plan() -> None:
    text = (
        "Antony Blinken met Alicia Bárcena in Washington on Monday.\n"
        "The two officials will meet again in Mexico.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    plan = next(e for e in found.of_kind(ItemKind.EVENT) if "will meet again" in e.quote.text)
    # not Monday's date: "again" is another occasion than the one the text dated
    assert plan.edtf is None and plan.note == "planned: future tense; undated"
    target = plan.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for fact in (
        facts[("person:antony-blinken", "ATTENDED", target)],
        facts[("person:alicia-barcena", "ATTENDED", target)],
        facts[(target, "HELD_IN", "country:mx")],
    ):  # a plan is not a happening: every fact of it inferred, and why
        assert fact.basis is Basis.INFERRED and "planned" in (fact.note or "")
    # with no place, "will meet again" alone proposes no event
    alone = ingest_text(
        "Antony Blinken met Alicia Bárcena on Monday. They will meet again.\n",
        DocumentMeta(title="t", published="2024-02-28"),
        GraphView(_graph()),
    )
    assert not [e for e in alone.of_kind(ItemKind.EVENT) if "again" in e.quote.text]


@pytest.mark.parametrize(
    ("sentence", "edtf"),
    [
        ("Later that day, Antony Blinken visited the National Palace.", "2024-02-26"),
        ("The next day, Antony Blinken visited the National Palace.", "2024-02-27"),
        ("Al día siguiente, Antony Blinken visitó el Palacio Nacional.", "2024-02-27"),
    ],
)
def test_a_day_given_by_reference_to_the_event_before(sentence: str, edtf: str) -> None:
    text = f"Antony Blinken met Alicia Bárcena in Washington on Monday.\n\n{sentence}\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    visit = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "visit")
    assert visit.edtf == edtf and "reference" in (visit.note or "")
    # with no day before it to refer to, no date is made up
    alone = ingest_text(
        f"{sentence}\n", DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph())
    )
    assert all(e.edtf != edtf for e in alone.of_kind(ItemKind.EVENT))


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        (
            "A workshop on labor migration in Washington was organized by the IOM.",
            "en",
            "Workshop on labor migration",
        ),
        (
            "Un taller sobre migración laboral se realizó en Washington, organizado por la OIM.",
            "es",
            "Taller sobre migración laboral",
        ),
    ],
)
def test_an_undated_workshop_a_text_introduces(text: str, language: str, name: str) -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language=language)
    found = ingest_text(text + "\n", meta, GraphView(_graph()))
    (forum,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "forum"]
    assert forum.name == name and forum.edtf is None
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert facts[("organization:iom", "ORGANIZED", forum.proposed_id)].basis is Basis.STATED
    assert (forum.proposed_id, "HELD_IN", "place:washington") in facts
    # one it refers back to is no new event
    back = ingest_text("The workshop was organized by the IOM.\n", meta, GraphView(_graph()))
    assert not [e for e in back.of_kind(ItemKind.EVENT) if e.category == "forum"]


def test_a_caption_of_an_arrival_and_its_photo_credit() -> None:
    text = (
        "Secretary of State Antony Blinken arrives in Washington on February 27, 2024.\n"
        "[IOM photo by Carla Soto/ Public Domain]\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    (arrival,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "arrival"]
    assert arrival.edtf == "2024-02-27"
    target = arrival.entity or arrival.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert facts[("person:antony-blinken", "ATTENDED", target)].basis is Basis.STATED
    assert (target, "HELD_IN", "place:washington") in facts
    assert ("country:us", "ATTENDED", target) not in facts  # a journey is its traveller's
    soto = next(i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Carla Soto")
    assert soto.entity_kind == "person"  # credited with a photo
    assert not [i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Public Domain"]
    took = facts[(soto.proposed_id, "ATTENDED", target)]
    assert took.basis is Basis.INFERRED and "photo" in (took.note or "")
    works = facts[(soto.proposed_id, "HOLDS_POSITION", "organization:iom")]
    assert works.basis is Basis.INFERRED
    # others who "have arrived in" a place make no journey's leg
    migrants = ingest_text(
        "Thousands of migrants who have arrived in Washington were counted.\n",
        DocumentMeta(title="t", published="2024-02-28"),
        GraphView(_graph()),
    )
    assert not [e for e in migrants.of_kind(ItemKind.EVENT) if e.category == "arrival"]


def test_a_spanish_arrival() -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language="es")
    text = "Alicia Bárcena llega a Washington el 27 de febrero de 2024.\n"
    found = ingest_text(text, meta, GraphView(_graph()))
    (arrival,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "arrival"]
    target = arrival.entity or arrival.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert facts[("person:alicia-barcena", "ATTENDED", target)].basis is Basis.STATED
    assert (target, "HELD_IN", "place:washington") in facts


def test_a_partner_set_off_between_the_hosts_and_their_verb() -> None:
    text = (
        "The United States, Mexico, and Guatemala, in partnership with the International"
        " Organization for Migration, co-hosted a regional forum in Washington on Monday.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    (forum,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "forum"]
    target = forum.entity or forum.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for host in ("country:us", "country:mx", "country:gt"):  # the whole list hosts
        assert facts[(host, "HOSTED", target)].basis is Basis.STATED
    assert ("organization:iom", "HOSTED", target) not in facts  # a partner, not a host
    partner = facts[("organization:iom", "RELATED_TO", target)]
    assert partner.role == "partner" and partner.basis is Basis.STATED


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "The United States, Mexico and Guatemala met in Washington on Monday.\n"
            "The three countries signed the Los Angeles Declaration.\n",
            "en",
        ),
        (
            "Estados Unidos, México y Guatemala se reunieron en Washington el lunes.\n"
            "Los tres países firmaron la Declaración de Los Ángeles.\n",
            "es",
        ),
    ],
)
def test_a_list_of_countries_meets_and_the_three_countries_sign(text: str, language: str) -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language=language)
    found = ingest_text(text, meta, GraphView(_graph()))
    meeting = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "meeting")
    target = meeting.entity or meeting.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for country in ("country:us", "country:mx", "country:gt"):
        # the whole list before "met" took part, not only the last of it
        assert facts[(country, "ATTENDED", target)].basis is Basis.STATED
        # "the three countries": the three named together before, inferred, and why
        party = facts[(country, "PARTY_TO", "agreement:la-declaration")]
        assert party.basis is Basis.INFERRED and "last named together" in (party.note or "")
    # a number that does not fit the group names none of it
    two = ingest_text(
        text.replace("three", "two").replace("tres", "dos"), meta, GraphView(_graph())
    )
    assert not [i for i in two.of_kind(ItemKind.FACT) if i.relation == "PARTY_TO"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Antony Blinken called the foreign minister of Mexico, Alicia Bárcena, on Monday.", "en"),
        ("Antony Blinken spoke by phone with Alicia Bárcena on Monday.", "en"),
        ("Alicia Bárcena habló por teléfono con Antony Blinken el lunes.", "es"),
    ],
)
def test_a_phone_call_is_its_two_peoples(text: str, language: str) -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language=language)
    found = ingest_text(text + "\n", meta, GraphView(_graph()))
    (call,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "call"]
    assert call.edtf == "2024-02-26"
    target = call.entity or call.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for person in ("person:antony-blinken", "person:alicia-barcena"):
        assert facts[(person, "ATTENDED", target)].basis is Basis.STATED
    # a call is its people's, not their countries'
    assert not [f for f in facts if f[0].startswith("country:") and f[2] == target]


@pytest.mark.parametrize(
    "text",
    [
        "Antony Blinken called for calm on Monday.",
        "The plan, called Safe Mobility, was announced by Alicia Bárcena on Monday.",
    ],
)
def test_called_for_or_a_name_given_is_no_call(text: str) -> None:
    found = ingest_text(
        text + "\n", DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph())
    )
    assert not [e for e in found.of_kind(ItemKind.EVENT) if e.category == "call"]


def test_a_labelled_bullet_is_the_event_its_sentence_describes() -> None:
    text = (
        "• Regional Labor Forum:  In January 2024, Mexico and Guatemala co-hosted a regional"
        " forum on labor migration in Washington.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    forum = next(e for e in found.of_kind(ItemKind.EVENT) if e.name == "Regional Labor Forum")
    assert forum.edtf == "2024-01"
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for host in ("country:mx", "country:gt"):  # named before "co-hosted a ... forum"
        assert facts[(host, "HOSTED", forum.proposed_id)].basis is Basis.STATED
    # and the label's name is no second event that Guatemala "attended"
    assert not [f for f in facts if f[1] == "ATTENDED"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mexico and Guatemala held talks in Washington on Monday.", "en"),
        ("México y Guatemala sostuvieron una reunión en Washington el lunes.", "es"),
    ],
)
def test_who_held_talks_took_part(text: str, language: str) -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language=language)
    found = ingest_text(text + "\n", meta, GraphView(_graph()))
    meeting = next(e for e in found.of_kind(ItemKind.EVENT) if e.category in ("meeting", "talks"))
    target = meeting.entity or meeting.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    for country in ("country:mx", "country:gt"):
        assert facts[(country, "ATTENDED", target)].basis is Basis.STATED


def test_another_meeting_is_not_the_graphs_one() -> None:
    # the graph's trilateral is a meeting of Mexico's on that day; "another meeting" is not it
    text = "Mexico and the United States have already had another meeting on February 28.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-03-10"), GraphView(_graph()))
    meeting = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "meeting")
    assert meeting.entity is None and meeting.name == "Meeting"  # not "Meeting on February"
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert ("country:us", "ATTENDED", meeting.proposed_id) in facts
    same = ingest_text(
        text.replace("another", "a"),
        DocumentMeta(title="t", published="2024-03-10"),
        GraphView(_graph()),
    )
    assert [e.entity for e in same.of_kind(ItemKind.EVENT)] == ["event:trilateral-2024"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Mexico will open two new consulates in Guatemala, announced Alicia Bárcena on Monday.",
            "en",
        ),
        (
            "México abrirá dos nuevos consulados en Guatemala, anunció Alicia Bárcena el lunes.",
            "es",
        ),
    ],
)
def test_an_announcement_attributed_after_its_clause(text: str, language: str) -> None:
    meta = DocumentMeta(title="t", published="2024-02-28", language=language)
    found = ingest_text(text + "\n", meta, GraphView(_graph()))
    (item,) = [e for e in found.of_kind(ItemKind.EVENT) if e.category == "announcement"]
    # Bárcena's, last Monday (not the coming one: "will" is the clause's, before "announced")
    assert item.name.startswith("Alicia Bárcena") and item.edtf == "2024-02-26"
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert facts[("person:alicia-barcena", "ANNOUNCED", item.proposed_id)].basis is Basis.STATED
    assert ("country:gt", "ANNOUNCED", item.proposed_id) not in facts
    assert ("country:gt", "MENTIONED_IN", item.proposed_id) in facts


def test_a_journalist_called_on_in_a_transcript_took_part_with_their_outlet() -> None:
    text = TRANSCRIPT + "MODERATOR RUIZ:  Our next question goes to Marta Quiroga of NTN.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    new = {i.name: (i.entity_kind, i.proposed_id) for i in found.of_kind(ItemKind.ENTITY)}
    assert new["Marta Quiroga"][0] == "person"
    assert new["NTN"][0] == "organization"  # an unknown acronym names a body
    person, outlet = new["Marta Quiroga"][1], new["NTN"][1]
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading")
    target = event.entity or event.proposed_id
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert facts[(person, "HOLDS_POSITION", outlet)].basis is Basis.STATED
    for who in (person, outlet):
        attended = facts[(who, "ATTENDED", target)]
        assert attended.basis is Basis.INFERRED and "called on" in (attended.note or "")


def test_a_title_names_a_ministry_the_graph_lacks_as_a_new_body_of_its_country() -> None:
    text = (
        "Guatemalan Minister of Labor Affairs Rosa Quintanilla met Antony Blinken on Monday.\n"
        "The Foreign Minister of Guatemala, Carlos Martínez, spoke later.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    bodies = {i.name: i for i in found.of_kind(ItemKind.ENTITY) if i.entity_kind == "organization"}
    labor = bodies["Ministry of Labor Affairs of Guatemala"]
    foreign = bodies["Ministry of Foreign Affairs of Guatemala"]
    assert labor.country == foreign.country == "country:gt"
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    people = {i.name: i.proposed_id for i in found.of_kind(ItemKind.ENTITY)}
    assert (people["Rosa Quintanilla"], "HOLDS_POSITION", labor.proposed_id) in facts
    assert (people["Carlos Martínez"], "HOLDS_POSITION", foreign.proposed_id) in facts
    # without a country the text names, no body is made up
    alone = ingest_text(
        "Minister of Labor Affairs Rosa Quintanilla spoke.\n",
        DocumentMeta(title="t", published="2024-02-28"),
        GraphView(_graph()),
    )
    assert not [i for i in alone.of_kind(ItemKind.ENTITY) if i.entity_kind == "organization"]


def test_places_listed_in_a_country_are_located_in_it() -> None:
    text = (
        "The programme opened offices in Cobán, Huehuetenango, and Zacapa in Guatemala.\n"
        "Officials then went to Santa Elena, also in Guatemala.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    new = {i.name: (i.entity_kind, i.proposed_id) for i in found.of_kind(ItemKind.ENTITY)}
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    for name in ("Cobán", "Huehuetenango", "Zacapa", "Santa Elena"):
        assert new[name][0] == "place"
        assert (new[name][1], "LOCATED_IN", "country:gt") in facts


def test_a_plan_links_the_later_event_and_its_facts_are_inferred() -> None:
    dataset = _graph()
    later = Event(
        id="event:guatemala-ministerial-2024",
        name="Ministerial Meeting (Guatemala, 2024)",
        category="ministerial",
        date=parse_date("2024-05-07"),
        sources=SRC,
    )
    held = Relation(type="HELD_IN", subject=later.id, object="country:gt", sources=SRC)
    graph = Dataset(
        documents=dataset.documents,
        entities={**dataset.entities, later.id: later},
        relations=[*dataset.relations, held],
    )
    text = (
        "During the meeting, Antony Blinken announced that Guatemala will soon host the next "
        "ministerial meeting.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(graph))
    linked = {e.entity for e in found.of_kind(ItemKind.EVENT)}
    assert later.id in linked  # after the document's date, in its year
    # a description is the shortest run with its words, not the first to the last
    described = [i.name for i in found.of_kind(ItemKind.MENTION) if i.entity == later.id]
    assert described == ["ministerial meeting"]
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    hosted = facts[("country:gt", "HOSTED", later.id)]
    assert hosted.basis is Basis.INFERRED and "plan" in (hosted.note or "")
    # the verb's subject is Guatemala; Blinken announced a clause, not the meeting
    assert ("person:antony-blinken", "HOSTED", later.id) not in facts
    assert ("person:antony-blinken", "ANNOUNCED", later.id) not in facts


def test_a_president_in_a_sentence_naming_one_country_is_its_president() -> None:
    text = (
        "Guatemala declared a state of emergency proposed by President Ana Lucía Pérez.\n"
        "Mexico and Guatemala welcomed President Tomás Rivera.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    people = {i.name: i.proposed_id for i in found.of_kind(ItemKind.ENTITY)}
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    held = facts[(people["Ana Lucía Pérez"], "HOLDS_POSITION", "country:gt")]
    assert held.basis is Basis.INFERRED and held.role == "President"
    # two countries: whose president is not said
    assert not [k for k in facts if k[0] == people["Tomás Rivera"] and k[1] == "HOLDS_POSITION"]


def test_the_countries_an_event_involves_took_part_in_it() -> None:
    text = (
        "On 19 April 2022, the International Organization for Migration held a forum in "
        "Washington involving participants from Mexico and Guatemala.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-20"), GraphView(_graph()))
    event = next(iter(found.of_kind(ItemKind.EVENT)))
    assert event.name == "Forum in Washington"  # not "held a forum in Washington involving"
    target = event.entity or event.proposed_id
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    for country in ("country:mx", "country:gt"):
        assert (country, "ATTENDED", target) in facts


def test_a_new_name_has_one_kind_and_one_proposal_in_a_document() -> None:
    text = (
        "Ministers from 22 Northern Bay countries met in Washington.\n"
        "Aid went to families from Northern Bay.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    new = [(i.name, i.entity_kind, i.proposed_id) for i in found.of_kind(ItemKind.ENTITY)]
    # alone, the first sentence would take "Northern Bay" for a person; "from" says a place
    assert new == [("Northern Bay", "place", "place:northern-bay")]


def test_an_announcement_is_an_event_its_author_announced() -> None:
    text = (
        "Ministers meet in Washington\n\n"
        "This Wednesday, Antony Blinken hosted a ministerial meeting in Washington with "
        "Mexico and Guatemala.\n"
        "During a news conference with Alicia Bárcena, Blinken announced that the Biden "
        "administration would work with the International Organization for Migration to "
        "help Mexicans.\n"
        "Guatemala pledged to expand offices for Mexicans.\n"
        "Mexico and the United States announced a letter of understanding on migration.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    events = {i.name: i for i in found.of_kind(ItemKind.EVENT)}
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    aid = events["Blinken announced that the Biden administration would work"]
    assert aid.category == "announcement" and aid.note and "descriptive name" in aid.note
    assert text[aid.quote.span_start : aid.quote.span_end] == "announced"
    conference = events["News conference with Alicia Bárcena"]
    assert ("person:antony-blinken", "ANNOUNCED", aid.proposed_id) in facts
    # the author is Blinken alone: the comma ends the opening phrase, it joins no list
    assert ("person:alicia-barcena", "ANNOUNCED", aid.proposed_id) not in facts
    part = facts[(aid.proposed_id, "PART_OF", conference.proposed_id)]
    assert part.basis is Basis.STATED  # "During a news conference ..., Blinken announced"
    # what the clause names is mentioned in it; "the Biden administration" is not Biden
    assert ("organization:iom", "MENTIONED_IN", aid.proposed_id) in facts
    assert ("country:mx", "MENTIONED_IN", aid.proposed_id) in facts
    assert ("person:joe-biden", "MENTIONED_IN", aid.proposed_id) not in facts
    # a pledge in the article's prose: part of its lead event, inferred
    pledge = events["Guatemala pledged to expand offices for Mexicans"]
    assert ("country:gt", "ANNOUNCED", pledge.proposed_id) in facts
    lead = facts[(pledge.proposed_id, "PART_OF", "event:trilateral-2024")]
    assert lead.basis is Basis.INFERRED and lead.note
    # an instrument announced is the instrument's fact, not an event of its own
    assert not [name for name in events if "letter" in name]


def test_an_announced_plan_is_related_to_the_planned_event() -> None:
    text = (
        "During the talks, Antony Blinken announced that Mexico will join the ministerial "
        "meeting in Washington.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-01-10"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    announced = next(i for i in found.of_kind(ItemKind.EVENT) if i.category == "announcement")
    related = facts[(announced.proposed_id, "RELATED_TO", "event:trilateral-2024")]
    assert related.role == "announces"
    # the planned event's participants are its own facts, not mentions of the announcement
    assert ("country:mx", "MENTIONED_IN", announced.proposed_id) not in facts


def test_the_country_a_ministerial_is_held_in_hosts_it() -> None:
    text = "This Wednesday, the ministerial meeting was held in the United States with Mexico.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    assert ("event:trilateral-2024", "HELD_IN", "country:us") in facts
    hosted = facts[("country:us", "HOSTED", "event:trilateral-2024")]
    assert hosted.basis is Basis.INFERRED and hosted.note
    assert ("country:mx", "HOSTED", "event:trilateral-2024") not in facts


def test_a_new_event_the_sentence_names_is_its_one_event_proposal() -> None:
    text = (
        "In October 2021, the United States and Mexico co-hosted a Ministerial Meeting in "
        "Monterrey on the Causes of Migration.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-20"), GraphView(_graph()))
    named = [i for i in found.items if i.proposed_id == "event:ministerial-meeting-in-monterrey"]
    # one proposal, the EVENT item: dated, with the name the text gives
    assert [(i.kind, i.name, i.edtf) for i in named] == [
        (ItemKind.EVENT, "Ministerial Meeting in Monterrey", "2021-10")
    ]
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert ("country:us", "HOSTED", "event:ministerial-meeting-in-monterrey") in facts
    assert ("country:mx", "HOSTED", "event:ministerial-meeting-in-monterrey") in facts


def test_who_called_an_event_organized_it_and_who_hosts_it_after_that() -> None:
    text = (
        "This Wednesday, Mexico held a press conference called by Antony Blinken.\n"
        "Mexico attended the Trilateral Ministerial Meeting on Migration that Secretary "
        "Antony Blinken will be hosting.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    events = {i.name: i.entity or i.proposed_id for i in found.of_kind(ItemKind.EVENT)}
    assert ("person:antony-blinken", "ORGANIZED", events["Press conference"]) in facts
    # a title between "that" and the host: "that Secretary Antony Blinken will be hosting"
    hosted = [f for f in facts if f[:2] == ("person:antony-blinken", "HOSTED")]
    assert hosted and all("trilateral" in f[2] for f in hosted)


def test_a_coarser_place_than_the_graph_holds_an_event_in_is_no_new_fact() -> None:
    graph = _graph()
    graph.relations.append(
        Relation(type="LOCATED_IN", subject="place:washington", object="country:us", sources=SRC)
    )
    text = "This Wednesday, the ministerial meeting was held in the United States with Mexico.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(graph))
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    # the graph holds it in Washington, in the United States: nothing new to propose
    assert ("event:trilateral-2024", "HELD_IN", "country:us") not in facts
    assert ("country:mx", "ATTENDED", "event:trilateral-2024") in facts


def test_an_announced_event_has_one_link_the_announcements() -> None:
    text = "This Wednesday, Antony Blinken announced the ministerial meeting in Washington.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    announcement = next(i for i in found.of_kind(ItemKind.EVENT) if i.category == "announcement")
    assert ("person:antony-blinken", "ANNOUNCED", announcement.proposed_id) in facts
    assert facts[(announcement.proposed_id, "RELATED_TO", "event:trilateral-2024")].role == (
        "announces"
    )
    assert ("person:antony-blinken", "ANNOUNCED", "event:trilateral-2024") not in facts
    # announcing a meeting is not attending it
    assert ("person:antony-blinken", "ATTENDED", "event:trilateral-2024") not in facts


def test_described_events_are_named_without_their_actors_and_kept_apart() -> None:
    text = (
        "On 19 April 2022, Antony Blinken visited Washington with Alicia Bárcena.\n"
        "On 19 April 2022, Alicia Bárcena and Antony Blinken visited Washington.\n"
        "On 20 April 2022, Antony Blinken and Alicia Bárcena visited Guatemala.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-25"), GraphView(_graph()))
    events = list(found.of_kind(ItemKind.EVENT))
    # "Antony Blinken visited" is a visit, not "Blinken visit"
    assert {e.name for e in events} == {"Visit"}
    # the same place: the same visit; another place, another visit though the people are
    assert [(e.proposed_id, e.edtf) for e in events] == [
        ("event:visit-2022", "2022-04-19"),
        ("event:visit-2022-2", "2022-04-20"),
    ]
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    visitor = facts[("person:antony-blinken", "ATTENDED", "event:visit-2022")]
    assert visitor.basis is Basis.STATED and visitor.role == "visitor"


def test_a_short_first_name_with_the_same_surname_is_the_same_new_person() -> None:
    text = (
        "Homeland Security Secretary Alejandro Mayorkas arrived.\n"
        "I am joined here by my friend and colleague, Ale Mayorkas, the Secretary of "
        "Homeland Security of the United States.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-19"), GraphView(_graph()))
    people = [i for i in found.of_kind(ItemKind.ENTITY) if i.entity_kind == "person"]
    assert [p.name for p in people] == ["Alejandro Mayorkas"]


def test_a_spanish_name_is_known_by_its_first_surname() -> None:
    # two given names and two surnames: "Pino" and "Juan Pino" are "Juan Manuel Pino
    # Forero"; "His Excellency" is a style of address, not part of the name
    text = (
        "Public Security Minister Juan Rafael Ortega Forero arrived.\n"
        "Minister Juan Ortega signed the letter.\n"
        "We thank His Excellency Ortega and Senator Aldana Ruiz.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-19"), GraphView(_graph()))
    people = sorted(i.name for i in found.of_kind(ItemKind.ENTITY) if i.entity_kind == "person")
    assert people == ["Aldana Ruiz", "Juan Rafael Ortega Forero"]


def test_the_graph_knows_a_person_by_the_first_of_two_surnames() -> None:
    index = NameIndex([Person(id="person:lc", name="Laurentino Cortizo Cohen")])
    text = "We thank President Cortizo and Laurentino Cortizo."
    found = [(m.text, m.entity, m.how) for m in index.find(text, 0, len(text))]
    assert ("Cortizo", "person:lc", "surname") in found
    assert ("Laurentino Cortizo", "person:lc", "surname") in found


def test_an_event_hosted_with_a_list_of_participants() -> None:
    text = (
        "The International Organization for Migration also hosted an event to share best "
        "practices on ethical recruitment, involving participants from Mexico, Guatemala, "
        "and the United States.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2021-06-01"), GraphView(_graph()))
    (event,) = found.of_kind(ItemKind.EVENT)
    assert event.category == "event"
    assert text[event.quote.span_start : event.quote.span_end] == "event"
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert ("organization:iom", "HOSTED", event.proposed_id) in facts
    for country in ("country:mx", "country:gt", "country:us"):
        assert (country, "ATTENDED", event.proposed_id) in facts


def test_in_a_place_for_an_event_holds_it_there() -> None:
    text = "In February, many of us will meet again in Washington for the ministerial meeting.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-01-10"), GraphView(_graph()))
    (event,) = found.of_kind(ItemKind.EVENT)
    assert event.edtf == "2024-02"  # the coming February: "will meet"
    target = event.entity or event.proposed_id
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert (target, "HELD_IN", "place:washington") in facts


def test_an_announced_clause_ends_where_a_new_subject_begins() -> None:
    text = (
        "The International Organization for Migration announced that aid to Guatemala will "
        "grow, and we in Mexico are planning accordingly.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    (announced,) = found.of_kind(ItemKind.EVENT)
    facts = {(i.subject, i.relation, i.object) for i in found.of_kind(ItemKind.FACT)}
    assert ("country:gt", "MENTIONED_IN", announced.proposed_id) in facts
    assert ("country:mx", "MENTIONED_IN", announced.proposed_id) not in facts


def test_a_dated_reception_of_an_official_is_a_meeting() -> None:
    text = "On 19 April 2022, Antony Blinken received Alicia Bárcena at the State Department.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2022-04-20"), GraphView(_graph()))
    (meeting,) = found.of_kind(ItemKind.EVENT)
    assert meeting.category == "meeting" and meeting.edtf == "2022-04-19"
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    target = meeting.proposed_id
    assert facts[("person:antony-blinken", "HOSTED", target)].role == "host"
    assert facts[("person:alicia-barcena", "ATTENDED", target)].basis is Basis.STATED
    # undated, "received" is no event of its own ("He has received X": the article's lead)
    undated = ingest_text(
        "Antony Blinken received Alicia Bárcena.\n",
        DocumentMeta(title="t", published="2022-04-20"),
        GraphView(_graph()),
    )
    assert not list(undated.of_kind(ItemKind.EVENT))


def test_who_a_transcript_thanks_for_hosting_hosted() -> None:
    text = TRANSCRIPT + (
        "SECRETARY BLINKEN:  Secretary Bárcena, thank you so much for bringing us all "
        "together.  I also thank Mexico for so generously hosting us for the Trilateral "
        "Ministerial Meeting on Migration.\n"
        "SECRETARY BÁRCENA:  My gratitude to Guatemala for bringing us together two years "
        "ago, and to the United States for welcoming us to this city.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading")
    target = event.entity or event.proposed_id or ""
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    # the one addressed, thanked for bringing them together: the transcript's event
    addressed = facts[("person:alicia-barcena", "HOSTED", target)]
    assert addressed.basis is Basis.INFERRED and "thanked" in (addressed.note or "")
    # an event named after the thanks is what was hosted, as the quote states
    named = facts[("country:mx", "HOSTED", "event:trilateral-2024")]
    assert named.basis is Basis.STATED and named.role == "host"
    # not an earlier gathering ("two years ago"), nor only welcoming
    hosts = {s for s, r, _ in facts if r == "HOSTED"}
    assert not hosts & {"country:gt", "country:us"}


def test_a_turn_s_reference_to_its_press_conference_is_the_transcript_s_event() -> None:
    graph = _press_graph()
    press = graph.entities["event:trilateral-press-2024"]
    text = TRANSCRIPT + (
        "MODERATOR RUIZ:  Welcome to the press conference called by Alicia Bárcena, Foreign "
        "Secretary, after the ministerial meeting on migration.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(graph))
    assert [e.entity for e in found.of_kind(ItemKind.EVENT)] == [press.id]
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    called = facts[("person:alicia-barcena", "ORGANIZED", press.id)]
    assert called.basis is Basis.STATED
    assert text[called.quote.span_start : called.quote.span_end] == (
        "press conference called by Alicia Bárcena"
    )
    part = facts[(press.id, "PART_OF", "event:trilateral-2024")]
    assert part.basis is Basis.INFERRED and "follow" in (part.note or "")
    # a gathering of another kind than the event's parent is not its parent
    other = TRANSCRIPT + "MODERATOR RUIZ:  Welcome to the press conference, after the summit.\n"
    found = ingest_text(other, DocumentMeta(title="t", published="2024-02-28"), GraphView(graph))
    assert not [i for i in found.of_kind(ItemKind.FACT) if i.relation == "PART_OF"]


def _press_graph() -> Dataset:
    """The test graph with a press availability that is part of the trilateral."""
    graph = _graph()
    press = Event(
        id="event:trilateral-press-2024",
        name="Joint Press Availability (Washington, 2024)",
        category="press_conference",
        date=parse_date("2024-02-28"),
        sources=SRC,
    )
    graph.entities[press.id] = press
    graph.relations.append(
        Relation(type="PART_OF", subject=press.id, object="event:trilateral-2024", sources=SRC)
    )
    graph.relations += [
        Relation(type="ATTENDED", subject=who, object=press.id, sources=SRC)
        for who in ("person:antony-blinken", "person:alicia-barcena")
    ]
    return graph


def test_what_a_press_conference_s_turns_name_is_spoken_of_there_or_at_this_meeting() -> None:
    text = TRANSCRIPT + (
        "SECRETARY BLINKEN:  Belize and Ecuador have not been present at this meeting.\n"
        "SECRETARY BÁRCENA:  We also spoke of Ecuador and of Peru today.\n"
    )
    found = ingest_text(
        text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_press_graph())
    )
    spoken = {
        (i.subject, i.object): i
        for i in found.of_kind(ItemKind.FACT)
        if i.relation == "MENTIONED_IN"
    }
    press, ministerial = "event:trilateral-press-2024", "event:trilateral-2024"
    belize = next(i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Belize").proposed_id
    # countries the graph lacks are spoken of too; "this meeting" is the trilateral
    assert (belize, ministerial) in spoken and (belize, press) not in spoken
    assert spoken[(belize, ministerial)].basis is Basis.INFERRED
    ecuador = next(i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Ecuador").proposed_id
    assert {(ecuador, ministerial), (ecuador, press)} <= set(spoken)


def test_a_transcript_s_venue_is_in_the_city_of_the_next_line() -> None:
    found = ingest_text(
        TRANSCRIPT, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph())
    )
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    located = facts[("place:blair-house", "LOCATED_IN", "place:washington")]
    assert located.basis is Basis.INFERRED and "venue line" in (located.note or "")


def test_the_bodies_a_turn_lists_as_having_joined_attended() -> None:
    text = TRANSCRIPT + (
        "SECRETARY BLINKEN:  Key partners joined us here as well, including the Andean "
        "Development Corporation, the International Organization for Migration and "
        "Guatemala.  Many countries, including Mexico, face the same challenge.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading")
    target = event.entity or event.proposed_id or ""
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    new = next(
        i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Andean Development Corporation"
    )
    # a name the graph lacks, then the list goes on
    for body in (new.proposed_id, "organization:iom", "country:gt"):
        fact = facts[(body, "ATTENDED", target)]
        assert fact.basis is Basis.INFERRED and "joined" in (fact.note or "")
    # a list after "including" that no one is said to have joined is no attendance
    assert ("country:mx", "ATTENDED", target) not in facts or "joined" not in (
        facts[("country:mx", "ATTENDED", target)].note or ""
    )


def _spoken(text: str) -> tuple[ProposalSet, set[tuple[str, str]]]:
    found = ingest_text(
        TRANSCRIPT + text,
        DocumentMeta(title="t", published="2024-02-28"),
        GraphView(_press_graph()),
    )
    spoken = {
        (i.subject or "", i.object or "")
        for i in found.of_kind(ItemKind.FACT)
        if i.relation == "MENTIONED_IN"
    }
    return found, spoken


def test_an_event_a_turn_reports_is_spoken_of_but_not_the_event_itself_again() -> None:
    press = "event:trilateral-press-2024"
    found, spoken = _spoken(
        "SECRETARY BLINKEN:  We hope for progress in migration talks with Cuba this week.\n"
    )
    talks = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "meeting")
    assert (talks.proposed_id, press) in spoken
    # "the meeting today": the trilateral again (a meeting on its day), not another event
    found, spoken = _spoken(
        "SECRETARY BLINKEN:  Yesterday, Secretary Bárcena and I visited the Panama Canal.  "
        "What is powerful in the meeting today is our resolve, and we discussed the "
        "talks with Cuba this week.\n"
    )
    reported = {e.category: e.proposed_id for e in found.of_kind(ItemKind.EVENT)}
    assert (reported["visit"], press) in spoken
    assert "meeting" in reported and not [s for s in spoken if s[0] == reported["meeting"]]


def test_who_the_graph_records_as_host_does_not_also_attend() -> None:
    graph = _graph()
    graph.relations[0] = Relation(
        type="HOSTED", subject="country:mx", object="event:trilateral-2024", sources=SRC
    )
    text = (
        "Ministers meet in Washington\n\n"
        "On Wednesday, the trilateral ministerial meeting on migration was held in Washington "
        "with Guatemala.\n"
        "Mexico's Foreign Secretary Alicia Bárcena said the talks had gone well.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-29"), GraphView(graph))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    event = "event:trilateral-2024"
    assert facts[("person:alicia-barcena", "ATTENDED", event)].basis is Basis.INFERRED
    # her country's attendance follows from hers, but the graph has it as the host
    assert ("country:mx", "ATTENDED", event) not in facts


def test_who_joined_listed_after_a_dash_in_the_next_sentence() -> None:
    text = TRANSCRIPT + (
        "SECRETARY BLINKEN:  I also want to mention the organizations that joined us here "
        "in Washington.  They are critical partners – the International Organization for "
        "Migration, the Regional Returnee Network, and Guatemala – in all that we do.  "
        "Our neighbours – Mexico and Guatemala – face the same challenge.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(_graph()))
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.note == "a transcript's heading")
    target = event.entity or event.proposed_id or ""
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    network = next(
        i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Regional Returnee Network"
    )
    for body in ("organization:iom", network.proposed_id, "country:gt"):
        fact = facts[(body, "ATTENDED", target)]
        assert fact.basis is Basis.INFERRED and "joined" in (fact.note or "")
    # a list after a dash two sentences on is no one's who joined
    mexico = facts.get(("country:mx", "ATTENDED", target))
    assert mexico is None or "joined" not in (mexico.note or "")


def test_a_meeting_s_place_before_where_and_who_hosted_the_delegation() -> None:
    text = (
        "Blinken meets Bárcena\n\n"
        "U.S. Secretary of State Antony Blinken met with Mexico's Foreign Secretary Alicia "
        "Bárcena on Wednesday in Mexico City, where the two discussed migration.\n"
        "Mexico's Foreign Secretary Alicia Bárcena hosted the delegation at the National "
        "Palace.\n"
        "Bárcena welcomed the decision of the court.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-03-08"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    event = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "meeting")
    meeting = event.entity or event.proposed_id or ""
    city = next(i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Mexico City")
    # the place the sentence puts it in, before a clause of what happened there
    assert facts[(meeting, "HELD_IN", city.proposed_id)].basis is Basis.INFERRED
    # the sentence after names no event: who hosted the visitors hosted the lead, and the
    # country of her office with her
    host = facts[("person:alicia-barcena", "HOSTED", meeting)]
    assert host.basis is Basis.INFERRED and "visitors" in (host.note or "")
    assert ("country:mx", "HOSTED", meeting) in facts
    assert not [k for k in facts if k[1] == "HOSTED" and k[0] == "person:antony-blinken"]


def test_he_or_she_opening_a_sentence_is_the_one_person_named_before() -> None:
    text = (
        "Talks in Washington\n\n"
        "Mexico's Foreign Secretary Alicia Bárcena said the talks had gone well.\n"
        "She will travel to Guatemala next week for a ministerial meeting.\n"
        "Antony Blinken and Alicia Bárcena spoke on Monday.\n"
        "He will travel to Panama next month for a summit.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-03-01"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    events = {e.category: e.entity or e.proposed_id for e in found.of_kind(ItemKind.EVENT)}
    went = facts[("person:alicia-barcena", "ATTENDED", events["ministerial"])]
    assert went.basis is Basis.INFERRED and "'She': taken to be Alicia Bárcena" in (went.note or "")
    # two people named before: "He" is neither
    assert not [k for k in facts if k[2] == events["summit"] and k[0].startswith("person:")]


def test_a_press_conference_to_conclude_the_session_is_part_of_the_lead() -> None:
    text = (
        "Ministers meet in Washington\n\n"
        "On Wednesday, the trilateral ministerial meeting on migration was held in Washington "
        "with Guatemala.\n"
        "“We made progress,” Blinken said at the press conference offered to conclude the "
        "session.\n"
    )
    graph = _press_graph()  # the press availability, without what it is part of
    graph.relations = [r for r in graph.relations if r.type != "PART_OF"]
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-28"), GraphView(graph))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    part = facts[("event:trilateral-press-2024", "PART_OF", "event:trilateral-2024")]
    assert part.basis is Basis.INFERRED and "to conclude the session" in (part.note or "")


def test_a_news_conference_in_an_article_about_a_ministerial_is_part_of_it() -> None:
    text = (
        "Ministers meet in Washington\n\n"
        "On Wednesday, the trilateral ministerial meeting on migration was held in Washington "
        "with Guatemala.\n\n"
        "During a news conference with Alicia Bárcena, Blinken announced new aid.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-29"), GraphView(_graph()))
    press = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "press_conference")
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    part = facts[(press.proposed_id, "PART_OF", "event:trilateral-2024")]
    assert part.basis is Basis.INFERRED and "press conference" in (part.note or "")


def test_the_meeting_referred_back_to_is_the_graph_s_lead_and_a_spanish_plan() -> None:
    text = (
        "Reunión en Washington\n\n"
        "La secretaria de Relaciones Exteriores de México, Alicia Bárcena, participó este "
        "miércoles en la reunión ministerial trilateral en Washington.\n\n"
        "En la reunión también participó la asesora de Seguridad Nacional de la Casa Blanca, "
        "Liz Sherwood-Randall.\n\n"
        "Los dos países acordaron reunirse de nuevo en marzo en la Ciudad de México.\n"
    )
    meta = DocumentMeta(title="t", published="2024-02-29", language="es")
    found = ingest_text(text, meta, GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    liz = next(i for i in found.of_kind(ItemKind.ENTITY) if i.name == "Liz Sherwood-Randall")
    # "la reunión", undated: the lead, the graph's trilateral; the adviser after her title
    assert (liz.proposed_id, "ATTENDED", "event:trilateral-2024") in facts
    # what her office is for is no place
    assert not [i for i in found.of_kind(ItemKind.ENTITY) if "Seguridad" in (i.name or "")]
    plan = next(e for e in found.of_kind(ItemKind.EVENT) if e.edtf == "2024-03")
    assert plan.category == "meeting" and "planned" in (plan.note or "")


def test_who_stayed_away_did_not_attend_and_who_represented_a_country_did() -> None:
    text = (
        "Ministers meet in Washington\n\n"
        "On Wednesday, the trilateral ministerial meeting on migration was held in Washington.\n"
        "Antony Blinken skipped the meeting after the ministers excluded Guatemala.\n"
        "Mexico was represented by Foreign Secretary Alicia Bárcena.\n"
    )
    found = ingest_text(text, DocumentMeta(title="t", published="2024-02-29"), GraphView(_graph()))
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    event = "event:trilateral-2024"
    for away in ("person:antony-blinken", "country:gt"):
        assert (away, "ATTENDED", event) not in facts
    for present in ("country:mx", "person:alicia-barcena"):
        assert facts[(present, "ATTENDED", event)].basis is Basis.INFERRED


def test_a_tour_is_a_visit_held_where_it_went_not_where_its_visitor_is_from() -> None:
    text = "Visit\n\nMexico's Foreign Secretary Alicia Bárcena toured Washington on Tuesday.\n"
    found = ingest_text(text, DocumentMeta(title="t", published="2024-03-06"), GraphView(_graph()))
    visit = next(e for e in found.of_kind(ItemKind.EVENT) if e.category == "visit")
    assert visit.place == "place:washington"
    facts = {(i.subject, i.relation, i.object): i for i in found.of_kind(ItemKind.FACT)}
    target = visit.entity or visit.proposed_id or ""
    assert facts[("person:alicia-barcena", "ATTENDED", target)].basis is Basis.STATED
    assert facts[(target, "HELD_IN", "place:washington")].basis is Basis.STATED
