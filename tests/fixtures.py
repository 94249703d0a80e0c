"""A small hand-built graph with known answers, for the store contract suite.

The real seeds change as curation goes on; these facts do not, so the contract tests
can assert exact answers. Shapes mirror the real data (anchor events, sub-events, a
series, positions, an agreement) and add a run of 25 plain meetings for pagination.
"""

from __future__ import annotations

from typing import Any

from timeline.model.dates import parse_date
from timeline.model.records import (
    INFERRED,
    PLANNED,
    Agreement,
    Claim,
    Country,
    Dataset,
    Document,
    Entity,
    Event,
    Organization,
    Person,
    Place,
    Relation,
    Source,
)

DOC = "document:fixture"
HOSTILE = 'O\'Brien "}) DETACH DELETE n // <script>alert(1)</script> "onerror=alert(2)'


def _src(quote: str = "as the fixture says") -> tuple[Source, ...]:
    return (Source(DOC, quote),)


def _inferred(note: str, quote: str = "as the fixture says") -> Source:
    return Source(DOC, quote, INFERRED, note)


#: Epistemic status in the fixture: the LA Declaration's date rests on inferred sources only
#: (and a claim mixes both); the signing's HELD_IN is inferred, its PART_OF is stated by one
#: of two sources; Bárcena's position (a dated relation) is inferred; meeting 25 is planned
#: and its one source is inferred.
LA_SIGNED_NOTE = "Planned in April 2022 for the Summit; a 2024 text says two years before."
PLANNED_NOTE = "Announced for 25 March 2023; no later text reports that it took place."


def _event(slug: str, name: str, date: str, category: str, **extra: Any) -> Event:
    extra.setdefault("sources", _src())
    return Event(id=f"event:{slug}", name=name, date=parse_date(date), category=category, **extra)


def _rel(subject: str, type_: str, obj: str, **extra: Any) -> Relation:
    extra.setdefault("sources", _src())
    return Relation(type=type_, subject=subject, object=obj, **extra)


def mini_dataset() -> Dataset:
    entities: list[Entity] = [
        Country(id="country:us", name="United States", code="US", sources=_src()),
        Country(id="country:pa", name="Panama", aliases=("Panamá",), code="PA", sources=_src()),
        Country(id="country:gt", name="Guatemala", code="GT", sources=_src()),
        Country(id="country:mx", name="Mexico", aliases=("México",), code="MX", sources=_src()),
        Person(
            id="person:antony-blinken",
            name="Antony J. Blinken",
            aliases=("Antony Blink", "Anthony Blinken", "Bliken"),
            description="U.S. Secretary of State.",
            sources=_src(),
        ),
        Person(id="person:erika-mouynes", name="Erika Mouynes", sources=_src()),
        Person(id="person:alicia-barcena", name="Alicia Bárcena", sources=_src()),
        Person(id="person:bernardo-arevalo", name="Bernardo Arévalo", sources=_src()),
        Person(id="person:nayib-bukele", name="Nayib Bukele", sources=_src()),
        Person(
            id="person:hostile", name=HOSTILE, aliases=(HOSTILE + " alias",), sources=_src(HOSTILE)
        ),
        Person(id="person:loner", name="Lone Wolf", sources=_src()),
        Place(
            id="place:bogota",
            name="Bogotá",
            country=None,
            latitude=4.711,
            longitude=-74.0721,
            sources=_src(),
        ),
        Place(
            id="place:panama-city",
            name="Panama City",
            country="country:pa",
            latitude=8.9824,
            longitude=-79.5199,
            sources=_src(),
        ),
        Organization(
            id="organization:unhcr",
            name="United Nations High Commissioner for Refugees",
            acronym="UNHCR",
            org_type="intergovernmental",
            sources=_src(),
        ),
        Agreement(
            id="agreement:los-angeles-declaration",
            name="Los Angeles Declaration on Migration and Protection",
            aliases=("LA Declaration",),
            date=parse_date("2022-06-10"),
            agreement_type="declaration",
            sources=(_inferred(LA_SIGNED_NOTE),),
            claims=(
                Claim(
                    "signed",
                    "2022",
                    (_inferred(LA_SIGNED_NOTE), Source(DOC, "leaders signed", note="A remark.")),
                ),
                Claim("adopted_at", "the Summit", (_inferred(HOSTILE, HOSTILE),)),
            ),
        ),
        _event(
            "bogota-ministerial-2021",
            "Bogotá Ministerial on Migration",
            "2021-10",
            "ministerial",
            series="migration-ministerials",
            series_order=1,
        ),
        _event(
            "panama-ministerial-2022",
            "Ministerial Conference on Migration and Protection",
            "2022-04-19/2022-04-20",
            "ministerial",
            series="migration-ministerials",
            series_order=2,
            description="Held in Panama City.",
        ),
        _event(
            "panama-signing-2022",
            "Signing of the U.S.-Panama Bilateral Arrangement",
            "2022-04-19",
            "signing",
        ),
        _event("panama-press-2022", "Joint press availability", "2022-04-20", "press_conference"),
        _event(
            "summit-of-the-americas-2022",
            "Ninth Summit of the Americas",
            "2022-06-06/2022-06-10",
            "summit",
            series="migration-ministerials",
            series_order=3,
        ),
        _event(
            "washington-trilateral-2024",
            "U.S.–Mexico–Guatemala trilateral",
            "2024-02-28",
            "meeting",
            series="migration-ministerials",
            series_order=4,
        ),
        # A year-precision event sorts before February, so its place in the series is explicit.
        _event(
            "guatemala-ministerial-2024",
            "Los Angeles Declaration ministerial in Guatemala",
            "2024",
            "ministerial",
            series="migration-ministerials",
            series_order=5,
        ),
        _event("hostile-2023", HOSTILE, "2023-01-01", "meeting", description=HOSTILE),
    ]
    entities += [
        _event(
            f"meeting-{i:02d}-2023",
            f"Working meeting {i:02d}",
            f"2023-03-{i:02d}",
            "meeting",
            **({"status": PLANNED, "sources": (_inferred(PLANNED_NOTE),)} if i == 25 else {}),
        )
        for i in range(1, 26)
    ]
    relations = [
        _rel("event:panama-ministerial-2022", "HELD_IN", "place:panama-city"),
        _rel("event:bogota-ministerial-2021", "HELD_IN", "place:bogota"),
        _rel(
            "event:panama-signing-2022",
            "PART_OF",
            "event:panama-ministerial-2022",
            sources=(_inferred("The signing is dated to the conference."), *_src()),
        ),
        _rel("event:panama-press-2022", "PART_OF", "event:panama-ministerial-2022"),
        _rel(
            "event:panama-signing-2022",
            "HELD_IN",
            "place:panama-city",
            sources=(_inferred("The conference was in Panama City; the signing was part of it."),),
        ),
        _rel("country:pa", "HOSTED", "event:panama-ministerial-2022", role="host"),
        _rel("country:us", "ATTENDED", "event:panama-ministerial-2022", role="delegation"),
        _rel("country:mx", "ATTENDED", "event:panama-ministerial-2022", role="delegation"),
        _rel("person:antony-blinken", "ATTENDED", "event:panama-signing-2022", role="signatory"),
        _rel("person:erika-mouynes", "ATTENDED", "event:panama-signing-2022", role="signatory"),
        _rel("person:antony-blinken", "ATTENDED", "event:panama-press-2022", role="speaker"),
        _rel("person:erika-mouynes", "ATTENDED", "event:panama-press-2022", role="speaker"),
        _rel(
            "person:antony-blinken", "ATTENDED", "event:bogota-ministerial-2021", role="delegation"
        ),
        _rel("country:us", "ATTENDED", "event:bogota-ministerial-2021", role="delegation"),
        _rel("person:nayib-bukele", "MENTIONED_IN", "event:summit-of-the-americas-2022"),
        _rel("country:us", "HOSTED", "event:summit-of-the-americas-2022", role="host"),
        _rel(
            "agreement:los-angeles-declaration", "ADOPTED_AT", "event:summit-of-the-americas-2022"
        ),
        _rel("country:us", "PARTY_TO", "agreement:los-angeles-declaration"),
        _rel("country:pa", "PARTY_TO", "agreement:los-angeles-declaration"),
        _rel("country:gt", "PARTY_TO", "agreement:los-angeles-declaration"),
        _rel("person:antony-blinken", "ATTENDED", "event:washington-trilateral-2024", role="host"),
        _rel(
            "person:alicia-barcena",
            "ATTENDED",
            "event:washington-trilateral-2024",
            role="delegation",
        ),
        _rel(
            "person:antony-blinken",
            "ATTENDED",
            "event:guatemala-ministerial-2024",
            role="delegation",
        ),
        _rel("person:bernardo-arevalo", "HOSTED", "event:guatemala-ministerial-2024", role="host"),
        _rel(
            "person:alicia-barcena",
            "ATTENDED",
            "event:guatemala-ministerial-2024",
            role="delegation",
        ),
        _rel(
            "person:antony-blinken",
            "HOLDS_POSITION",
            "country:us",
            title="Secretary of State",
            start=parse_date("2021-01-26"),
        ),
        _rel(
            "person:erika-mouynes",
            "HOLDS_POSITION",
            "country:pa",
            title="Minister of Foreign Affairs",
        ),
        _rel(
            "person:alicia-barcena",
            "HOLDS_POSITION",
            "country:mx",
            title="Secretary of Foreign Affairs",
            start=parse_date("2023"),
            sources=(_inferred("She speaks for Mexico in a 2023 text; " + HOSTILE),),
        ),
        _rel("organization:unhcr", "ATTENDED", "event:panama-ministerial-2022", role="observer"),
        _rel("person:hostile", "ATTENDED", "event:hostile-2023", role=HOSTILE),
    ]
    relations += [
        _rel("country:mx", "ATTENDED", f"event:meeting-{i:02d}-2023", role="delegation")
        for i in range(1, 26)
    ]
    return Dataset(
        documents={
            DOC: Document(
                id=DOC,
                title="Fixture document",
                publisher="Tests",
                published=parse_date("2024-02-28"),
                language="en",
            )
        },
        entities={e.id: e for e in entities},
        relations=relations,
    )
