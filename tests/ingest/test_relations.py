"""Ingest's rules for support and cooperation, for the names of a country's bodies and
for kind guesses, on short texts written for them (not from the corpus), against the
seed graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalItem, ProposalSet
from timeline.model.records import Agreement, Organization
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text
from timeline.services.ingest.linking import NameIndex

SEEDS = Path(__file__).parents[2] / "seeds"

Facts = dict[tuple[str, str, str], ProposalItem]


@pytest.fixture(scope="module")
def graph() -> GraphView:
    return GraphView(load_seeds(SEEDS, SEEDS / "corpus"))


def _ingest(graph: GraphView, text: str, language: str = "en") -> ProposalSet:
    meta = DocumentMeta(title="Returnees", published="2024-05-01", language=language)
    proposals = ingest_text(text, meta, graph, now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    for item in proposals.items:
        assert text[item.quote.start : item.quote.end] == item.quote.text
    return proposals


def _facts(proposals: ProposalSet) -> Facts:
    return {
        (i.subject or "", i.relation or "", i.object or ""): i
        for i in proposals.of_kind(ItemKind.FACT)
    }


def _new(proposals: ProposalSet) -> dict[str, ProposalItem]:
    return {i.name or "": i for i in proposals.of_kind(ItemKind.ENTITY)}


def test_who_supported_whom_with_the_verb_as_role(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "USAID supported the Honduran Ministry of Labor and the National Migration "
        "Institute to expand services for returnees. The IDB is supporting the Youth "
        "Employment Program in Guatemala.",
    )
    facts = _facts(proposals)
    new = _new(proposals)
    labor = facts[("organization:usaid", "RELATED_TO", "organization:honduras-ministry-of-labor")]
    assert labor.role == "supported" and labor.basis is Basis.STATED
    # the second of a list, a name the graph lacks
    institute = new["National Migration Institute"].proposed_id or ""
    assert facts[("organization:usaid", "RELATED_TO", institute)].role == "supported"
    program = new["Youth Employment Program"]
    assert program.entity_kind == "organization"
    idb = new["IDB"].proposed_id or ""
    assert facts[(idb, "RELATED_TO", program.proposed_id or "")].role == "supporting"
    # not the place the program is in
    assert not [k for k in facts if k[1] == "RELATED_TO" and k[2] == "country:gt"]


def test_a_purpose_names_what_was_supported(graph: GraphView) -> None:
    # "supported UNICEF to expand its Child Protection Network": the network
    proposals = _ingest(
        graph, "Canada also supported UNICEF to expand its Child Protection Network."
    )
    facts = _facts(proposals)
    network = _new(proposals)["Child Protection Network"].proposed_id or ""
    assert ("country:ca", "RELATED_TO", network) in facts
    assert ("country:ca", "RELATED_TO", "organization:unicef") not in facts


def test_a_name_that_qualifies_a_noun_was_not_supported(graph: GraphView) -> None:
    # "supported the UNHCR launch of ...": the launch was supported, not UNHCR
    facts = _facts(_ingest(graph, "Mexico supported the UNHCR launch of a new registry."))
    assert not [k for k in facts if k[0] == "country:mx" and k[1] == "RELATED_TO"]


def test_a_funded_compound_is_a_funder(graph: GraphView) -> None:
    proposals = _ingest(graph, "The USAID-funded Reception Center for Returnees opened last month.")
    center = _new(proposals)["Reception Center for Returnees"]
    assert center.entity_kind == "organization"
    fact = _facts(proposals)[("organization:usaid", "FUNDED", center.proposed_id or "")]
    assert fact.role is None and fact.basis is Basis.STATED


def test_spanish_cooperation_and_two_bodies_joined_by_y_el(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "En Tegucigalpa, la OIM colaboró con la Secretaría de Trabajo y el Instituto "
        "Nacional de Migración para atender a los retornados.",
        language="es",
    )
    new = _new(proposals)
    # two names, not one run over "y el"; "Secretaría" (with its accent) is the body
    assert {"Secretaría de Trabajo", "Instituto Nacional de Migración"} <= set(new)
    facts = _facts(proposals)
    for name in ("Secretaría de Trabajo", "Instituto Nacional de Migración"):
        fact = facts[("organization:iom", "RELATED_TO", new[name].proposed_id or "")]
        assert fact.role == "colaboró con"


def test_a_country_s_body_is_named_with_the_country(graph: GraphView) -> None:
    proposals = _ingest(
        graph, "The U.S. Agency for Global Media (USAGM) trained reporters in Honduras."
    )
    agency = _new(proposals)["U.S. Agency for Global Media"]
    assert agency.entity_kind == "organization" and agency.acronym == "USAGM"
    assert "Agency for Global Media" not in _new(proposals)


@pytest.mark.parametrize(
    ("sentence", "name", "kind"),
    [
        ("Officials said Operation Coral Reef began in 2023.", "Operation Coral Reef",
         "organization"),
        ("A report by Amnesty International was cited.", "Amnesty International",
         "organization"),
        ("Veterans recalled the Second World War.", "Second World War", "event"),
        ("Congress passed the Farm Workforce Modernization Act.",
         "Farm Workforce Modernization Act", "agreement"),
        ("El Congreso aprobó la Ley de Protección al Migrante.", "Ley de Protección al Migrante",
         "agreement"),
        ("Smuggling networks operate across Central America.", "Central America", "place"),
    ],
)  # fmt: skip
def test_kind_guesses(graph: GraphView, sentence: str, name: str, kind: str) -> None:
    language = "es" if sentence.startswith("El ") else "en"
    new = _new(_ingest(graph, sentence, language))
    assert new[name].entity_kind == kind


def test_a_body_s_parts(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "The IDB's Migration Unit funds shelters. The Department of Labor, through its "
        "Bureau of International Labor Affairs, trained inspectors. Operation Coral Reef, a "
        "maritime initiative of the Honduran National Police, began in March.",
    )
    new = {n: i.proposed_id or "" for n, i in _new(proposals).items()}
    facts = _facts(proposals)
    # a possessive, "through its", an apposition: the part is RELATED_TO the whole
    unit = facts[(new["Migration Unit"], "RELATED_TO", new["IDB"])]
    assert unit.role == "unit of" and unit.basis is Basis.STATED
    bureau = (
        new["Bureau of International Labor Affairs"],
        "RELATED_TO",
        new["Department of Labor"],
    )
    assert facts[bureau].role == "bureau of"
    police = "organization:honduran-national-police"  # known to the graph
    operation = (new["Operation Coral Reef"], "RELATED_TO", police)
    assert facts[operation].role == "initiative of"
    assert (new["IDB"], "RELATED_TO", new["Migration Unit"]) not in facts


def test_a_spanish_apposition_of_a_part(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "La Operación Escudo, una iniciativa de la Policía Nacional de Honduras, comenzó en marzo.",
        language="es",
    )
    new = _new(proposals)
    assert new["Operación Escudo"].entity_kind == "organization"  # not a person
    key = (
        new["Operación Escudo"].proposed_id or "",
        "RELATED_TO",
        new["Policía Nacional"].proposed_id or "",
    )
    assert _facts(proposals)[key].role == "iniciativa de"


@pytest.mark.parametrize(
    ("text", "language", "role"),
    [
        ("Canada will host the next ministerial meeting of the Los Angeles Declaration.", "en",
         "ministerial meeting of"),
        ("Canadá será sede de la próxima reunión ministerial de la Declaración de Los Ángeles.",
         "es", "ministerial de"),
    ],
)  # fmt: skip
def test_a_planned_meeting_under_an_agreement(
    graph: GraphView, text: str, language: str, role: str
) -> None:
    # the host's plan is an undated new event, not one dated by the text's other dates
    proposals = _ingest(graph, f"Officials met in March. {text}", language)
    planned = [i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "ministerial"]
    assert len(planned) == 1 and planned[0].edtf is None and planned[0].entity is None
    event = planned[0].proposed_id or ""
    facts = _facts(proposals)
    under = facts[("agreement:los-angeles-declaration", "RELATED_TO", event)]
    assert under.role == role
    host = facts[("country:ca", "HOSTED", event)]
    assert host.basis is Basis.INFERRED and "planned" in (host.note or "")


def test_a_signing_of_an_agreement_is_no_meeting_under_it(graph: GraphView) -> None:
    facts = _facts(
        _ingest(graph, "Leaders attended the signing of the Los Angeles Declaration in June 2022.")
    )
    assert not [
        k for k in facts if k[0] == "agreement:los-angeles-declaration" and k[1] == "RELATED_TO"
    ]


def test_an_announced_trip_is_the_trip_reported_before(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "On Thursday, Biden will make his second visit to the border. The White House "
        "announced the trip this Monday.",
    )
    events = proposals.of_kind(ItemKind.EVENT)
    visits = [i for i in events if i.category == "visit"]
    assert len(visits) == 1  # "the trip" is the visit, not a second one dated Monday
    announcement = next(i for i in events if i.category == "announcement")
    assert announcement.edtf == "2024-04-29"  # "this Monday" dates the announcement
    facts = _facts(proposals)
    related = facts[(announcement.proposed_id or "", "RELATED_TO", visits[0].proposed_id or "")]
    assert related.role == "announces"


def test_joined_in_signing_the_defined_term(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "The United States and Panama signed a Bilateral Arrangement on Labor Mobility. "
        "Embassy Panama City’s Chargé d’Affaires Mark Ellis joined Panama’s Minister of Labor "
        "Ana Gómez in signing the Arrangement on April 22.",
    )
    new = _new(proposals)
    # "the Arrangement": the article's new arrangement, not a second one named "Arrangement"
    assert [n for n, i in new.items() if i.entity_kind == "agreement"] == [
        "Bilateral Arrangement on Labor Mobility"
    ]
    arrangement = new["Bilateral Arrangement on Labor Mobility"].proposed_id or ""
    facts = _facts(proposals)
    for person in ("Mark Ellis", "Ana Gómez"):  # "X joined Y in signing": both signed
        assert facts[(new[person].proposed_id or "", "SIGNED", arrangement)].basis is Basis.STATED
    # "Chargé d'Affaires" is a title; the embassy before it is whose, not a party
    ellis = facts[
        (new["Mark Ellis"].proposed_id or "", "HOLDS_POSITION", "organization:us-embassy-panama")
    ]
    assert ellis.role == "Chargé d’Affaires"
    assert ("organization:us-embassy-panama", "PARTY_TO", arrangement) not in facts


def test_a_defined_term_with_nothing_to_refer_to_is_no_agreement(graph: GraphView) -> None:
    new = _new(_ingest(graph, "Officials from Peru joined Chile in signing the Agreement."))
    assert not [i for i in new.values() if i.entity_kind == "agreement"]


def test_a_site_is_where_the_text_puts_it(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "The new Returnee Reception Center in San Pedro Sula opened this week. Officials "
        "visited Family Support Offices in Cobán, Huehuetenango, and Zacapa. The "
        "Ministry of Labor in Guatemala welcomed the news.",
    )
    new = {n: i.proposed_id or "" for n, i in _new(proposals).items()}
    facts = _facts(proposals)
    center = facts[(new["Returnee Reception Center"], "LOCATED_IN", new["San Pedro Sula"])]
    assert center.basis is Basis.STATED
    for city in ("Cobán", "Huehuetenango", "Zacapa"):  # each of a list
        assert (new["Family Support Offices"], "LOCATED_IN", new[city]) in facts
    # a ministry is a body, not a site: its country is its own field, not LOCATED_IN
    assert not [k for k in facts if k[1] == "LOCATED_IN" and "ministry" in k[0]]


def test_a_curated_name_without_its_bracketed_qualifier_is_known(graph: GraphView) -> None:
    # "Reception Center for Returned Migrants (Guatemala City)" in the graph
    proposals = _ingest(
        graph, "Officials visited the Reception Center for Returned Migrants last week."
    )
    mentions = {i.entity for i in proposals.of_kind(ItemKind.MENTION)}
    assert "organization:guatemala-returned-migrants-reception-center" in mentions
    assert "Reception Center for Returned Migrants" not in _new(proposals)
    # not an agreement's or an event's, which recur: "a Joint Statement on Labor Mobility"
    # is not the one of Lima unless the graph says so
    index = NameIndex(
        [
            Agreement(id="agreement:lima", name="Joint Statement on Labor Mobility (Lima, 2023)"),
            Organization(id="organization:office", name="Migrant Support Office (Tijuana)"),
        ]
    )
    text = "A Joint Statement on Labor Mobility named the Migrant Support Office."
    assert {m.entity for m in index.find(text, 0, len(text))} == {"organization:office"}


def test_a_name_listed_after_a_known_place_is_a_place(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "New offices opened in Quetzaltenango, Cobán, and Huehuetenango last week.\n"
        "The governor flew to Brownsville, Cameron County, where the fence begins.\n"
        "In Tijuana, Delgado said the shelters were full.\n",
    )
    new = _new(proposals)
    for name in ("Cobán", "Huehuetenango", "Cameron County"):
        assert new[name].entity_kind == "place", name
    # a name that is not listed (a verb follows it) is not taken for a place
    assert "Delgado" not in new or new["Delgado"].entity_kind != "place"
    facts = _facts(proposals)
    county = new["Cameron County"].proposed_id or ""
    # a city, then the wider place it is in, then a clause: the city is in it
    assert ("place:brownsville", "LOCATED_IN", county) in facts
    # a list's members are not in one another
    places = {new["Cobán"].proposed_id, new["Huehuetenango"].proposed_id, "place:quetzaltenango"}
    assert not [k for k in facts if k[1] == "LOCATED_IN" and {k[0], k[2]} <= places]


def test_places_listed_without_and_are_not_in_one_another(graph: GraphView) -> None:
    facts = _facts(_ingest(graph, "DHS trained officers in Monterrey, Guadalajara, Tijuana.\n"))
    assert ("place:guadalajara", "LOCATED_IN", "place:tijuana") not in facts


def test_a_region_is_made_of_the_countries_listed_after_it(graph: GraphView) -> None:
    facts = _facts(
        _ingest(
            graph,
            "The challenges are clear in the Northern Triangle countries, namely Guatemala, "
            "Honduras and El Salvador, but also in Haiti.\n"
            "Officials flew from Washington, Mexico and Panama.\n",
        )
    )
    region = "place:northern-central-america"
    for country in ("country:gt", "country:hn", "country:sv"):
        assert facts[(region, "RELATED_TO", country)].role == "comprises"
        assert facts[(region, "RELATED_TO", country)].basis is Basis.STATED
    assert (region, "RELATED_TO", "country:ht") not in facts
    # a list a city begins is no region's members
    assert not [k for k in facts if k[0] == "place:washington" and k[1] == "RELATED_TO"]


def test_a_region_s_members_in_parentheses(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Los migrantes del Triángulo Norte (Guatemala, Honduras y El Salvador) llegaron.\n",
        "es",
    )
    comprised = {
        k[2] for k in _facts(proposals) if k[1] == "RELATED_TO" and k[0].startswith("place:")
    }
    assert comprised == {"country:gt", "country:hn", "country:sv"}


def test_a_body_works_in_the_places_its_clause_names(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "The World Bank is expanding school meals in rural districts in Honduras and "
        "Guatemala.\n"
        "UNICEF and UNHCR opened shelters in Tijuana and Ciudad Juárez last year.\n"
        "The Department of Justice with DHS prosecuted groups operating in Belize.\n"
        "The Inter-American Development Bank is supporting the Youth Employment "
        "Program in Ecuador.\n",
    )
    facts = _facts(proposals)
    for country in ("country:hn", "country:gt"):  # the first list of places after "in"
        fact = facts[("organization:world-bank", "RELATED_TO", country)]
        assert fact.role == "is expanding" and fact.basis is Basis.STATED
    for body in ("organization:unicef", "organization:unhcr"):  # a list of subjects
        for city in ("place:tijuana", "place:ciudad-juarez"):
            assert facts[(body, "RELATED_TO", city)].role == "opened"
    # "with DHS": no subject; "the Youth Employment Program in Ecuador": another name
    # stands between, the program is what is in Ecuador
    mentions = {i.entity for i in proposals.of_kind(ItemKind.MENTION)}
    assert {"organization:dhs", "organization:idb", "country:bz", "country:ec"} <= mentions
    assert ("organization:dhs", "RELATED_TO", "country:bz") not in facts
    assert ("organization:idb", "RELATED_TO", "country:ec") not in facts
    program = _new(proposals)["Youth Employment Program"].proposed_id or ""
    assert facts[("organization:idb", "RELATED_TO", program)].role == "supporting"


def test_a_body_s_of_the_goes_on(graph: GraphView) -> None:
    new = _new(
        _ingest(
            graph,
            "Delegates of the Coordinating Office of the Returnee Network met Rosa Ortega "
            "of the Returnee Institute in Tegucigalpa.\n",
        )
    )
    assert "Coordinating Office of the Returnee Network" in new
    assert "Rosa Ortega" in new and "Rosa Ortega of the Returnee Institute" not in new


def test_a_country_s_government_is_the_country(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "The United States Government has set up offices in Colombia and Costa Rica.\n"
        "The U.S. Government also trained officials of the Panama Canal Authority.\n",
    )
    new = _new(proposals)
    assert "United States Government" not in new and "U.S. Government" not in new
    assert "Panama Canal Authority" in new or {
        i.entity for i in proposals.of_kind(ItemKind.MENTION)
    } >= {"organization:panama-canal-authority"}
    facts = _facts(proposals)
    for country in ("country:co", "country:cr"):  # the country acts through its government
        assert facts[("country:us", "RELATED_TO", country)].role == "has set up"


def test_an_instrument_signed_after_when_and_where_with_its_purpose(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "SAN JOSÉ (EFE) — Costa Rica y Estados Unidos firmaron este martes en San José un "
        "memorando de entendimiento para ampliar las vías legales de migración.\n"
        "Panama and Mexico signed on Friday a memorandum of understanding to expand labor "
        "pathways.\n"
        "Both ministers signed off on a plan to help a memorandum's drafters.\n",
        language="es",
    )
    new = _new(proposals)
    spanish = new["memorando de entendimiento para ampliar las vías legales de migración"]
    english = new["memorandum of understanding to expand labor pathways"]
    assert spanish.entity_kind == english.entity_kind == "agreement"
    assert not [n for n in new if n.startswith("memorandum") and n != english.name]
    facts = _facts(proposals)
    for country in ("country:cr", "country:us"):
        assert (country, "PARTY_TO", spanish.proposed_id) in facts
    # the wire agency of the dateline is no party
    assert not [k for k in facts if k[0] == "organization:efe"]


def test_two_titled_people_before_their_verb(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Reunión ministerial en San José\n\n"
        "La reunión ministerial sobre migración se celebró este martes en San José.\n\n"
        "El canciller de Costa Rica, Arnoldo Andrade, y la secretaria de Trabajo de Estados "
        "Unidos, Julia Sosa, también participaron.\n"
        "El canciller de Costa Rica, Arnoldo Andrade, firmó un memorando de entendimiento "
        "sobre migración laboral.\n",
        language="es",
    )
    new = _new(proposals)
    andrade, sosa = new["Arnoldo Andrade"], new["Julia Sosa"]
    # a name set off by commas after its title is a person, sure enough to take part
    assert andrade.entity_kind == sosa.entity_kind == "person"
    facts = _facts(proposals)
    lead = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "ministerial")
    for person in (andrade, sosa):  # both subjects of "participaron"
        key = (person.proposed_id or "", "ATTENDED", lead.entity or lead.proposed_id or "")
        assert facts[key].basis is Basis.INFERRED
    memorandum = new["memorando de entendimiento sobre migración laboral"]
    assert (andrade.proposed_id, "SIGNED", memorandum.proposed_id) in facts
    # the body a title names, with its country as the text writes it
    assert "Secretaría de Trabajo de Estados Unidos" in new


def test_a_dateline_says_where_and_takes_part_in_nothing(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "CUENCA, Ecuador — Leaders adopted the Cuenca Action Plan on Mobility on Friday at a "
        "summit with Peru.\n",
    )
    new = _new(proposals)
    facts = _facts(proposals)
    assert (new["Cuenca"].proposed_id, "LOCATED_IN", "country:ec") in facts
    plan = new["Cuenca Action Plan on Mobility"].proposed_id
    assert ("country:ec", "PARTY_TO", plan) not in facts
    # a new country is proposed by its ISO code, as the dataset names countries
    assert new["Peru"].proposed_id == "country:pe"


def test_a_letter_of_intent_signed_on_another_day_and_signed_by(graph: GraphView) -> None:
    # the graph's Panama arrangement has "letter of intent" among its names, signed in 2022
    proposals = _ingest(
        graph,
        "Honduras and the United States signed a letter of intent on Thursday to expand "
        "temporary work visas.\n"
        "The letter was signed by Honduran Foreign Minister Enrique Reyes and U.S. "
        "Ambassador Laura Dorn.\n",
    )
    mentions = {i.entity for i in proposals.of_kind(ItemKind.MENTION)}
    assert "agreement:us-panama-arrangement-2022" not in mentions
    new = _new(proposals)
    letter = new["letter of intent to expand temporary work visas"]  # without its date
    facts = _facts(proposals)
    assert facts[("country:hn", "PARTY_TO", letter.proposed_id or "")].basis is Basis.STATED
    for person in ("Enrique Reyes", "Laura Dorn"):
        signed = facts[(new[person].proposed_id or "", "SIGNED", letter.proposed_id or "")]
        assert signed.basis is Basis.INFERRED and "taken to be" in (signed.note or "")


def test_an_inauguration_its_funder_and_who_took_part_in_the_ceremony(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Guatemala inaugura un centro\n\n"
        "El presidente Bernardo Arévalo inauguró este lunes el Centro de Atención al "
        "Migrante en Quetzaltenango, con financiamiento de la Organización Internacional "
        "para las Migraciones.\n\n"
        "El instituto abrirá otras dos oficinas en Chimaltenango y San Marcos.\n\n"
        "La embajadora de Estados Unidos en Guatemala, Tobin Bradford, participó en la "
        "ceremonia.\n",
        language="es",
    )
    new = _new(proposals)
    center = new["Centro de Atención al Migrante"]
    assert center.entity_kind == "organization"  # "Centro", a body's word
    inauguration = next(
        i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "inauguration"
    )
    event = inauguration.entity or inauguration.proposed_id or ""
    facts = _facts(proposals)
    # the funder after "con financiamiento de" funded what the clause named before it
    funded = facts[("organization:iom", "FUNDED", center.proposed_id or "")]
    assert funded.basis is Basis.STATED
    # "en A y B": two places; the ambassador (a name after her title, set off by commas)
    # took part in the ceremony, the lead; Guatemala, where her office is, did not
    assert {"Chimaltenango", "San Marcos"} <= set(new)
    bradford = new["Tobin Bradford"].proposed_id or ""
    assert facts[(bradford, "ATTENDED", event)].basis is Basis.INFERRED
    assert ("country:gt", "ATTENDED", event) not in facts


def test_met_and_signed_there_and_a_name_with_a_particle(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Foreign ministers met in Cusco on Wednesday and signed the Cusco Joint Statement "
        "on Migration Data.\n"
        "Chile's Foreign Minister Alberto van Kleef attended the meeting.\n",
    )
    new = _new(proposals)
    statement = new["Cusco Joint Statement on Migration Data"].proposed_id or ""
    meeting = next(i for i in proposals.of_kind(ItemKind.EVENT) if i.category == "meeting")
    facts = _facts(proposals)
    assert (statement, "ADOPTED_AT", meeting.entity or meeting.proposed_id or "") in facts
    assert "Alberto van Kleef" in new and "Alberto" not in new


def test_an_unnamed_instrument_of_the_graph_s_parties_signed_then(graph: GraphView) -> None:
    # the graph's U.S.–Panama arrangement: Panama and the United States, 19 April 2022
    proposals = _ingest(
        graph,
        "On 20 April 2022, Panama and the United States announced a memorandum on migrant "
        "protection.\n"
        "On 3 March 2024, Panama and the United States announced a memorandum on seasonal "
        "work.\n",
    )
    arrangement = "agreement:us-panama-arrangement-2022"
    mention = next(i for i in proposals.of_kind(ItemKind.MENTION) if i.entity == arrangement)
    assert mention.name == "memorandum on migrant protection"
    facts = _facts(proposals)
    announced = facts[("country:pa", "ANNOUNCED", arrangement)]
    assert announced.basis is Basis.INFERRED and "taken to be" in (announced.note or "")
    # two years on, another instrument
    assert "memorandum on seasonal work" in _new(proposals)


def test_who_did_not_sign_is_no_party(graph: GraphView) -> None:
    facts = _facts(
        _ingest(
            graph,
            "Nicaragua did not sign the Los Angeles Declaration on Migration and Protection.\n"
            "Venezuela se negó a firmar la Declaración de Los Ángeles.\n"
            "Belize signed the Los Angeles Declaration on Migration and Protection.\n",
        )
    )
    declaration = "agreement:los-angeles-declaration"
    assert ("country:ni", "PARTY_TO", declaration) not in facts
    assert ("country:ve", "PARTY_TO", declaration) not in facts
    assert ("country:bz", "PARTY_TO", declaration) in facts


def test_a_signing_to_come_is_no_signing_stated(graph: GraphView) -> None:
    facts = _facts(
        _ingest(
            graph,
            "Guatemala will sign the Los Angeles Declaration on Migration and Protection.\n"
            "Costa Rica podría firmar la Declaración de Los Ángeles.\n",
        )
    )
    for country in ("country:gt", "country:cr"):
        party = facts[(country, "PARTY_TO", "agreement:los-angeles-declaration")]
        assert party.basis is Basis.INFERRED and "plan" in (party.note or "")


def test_money_given_to_a_body_is_funding(graph: GraphView) -> None:
    facts = _facts(
        _ingest(
            graph,
            "The State Department provided $20 million to UNHCR for shelters in Mexico.\n"
            "Estados Unidos donó 5 millones de dólares a la OIM.\n"
            "USAID provided 300 tents to families in Guatemala.\n",
            language="es",
        )
    )
    assert ("organization:us-department-of-state", "FUNDED", "organization:unhcr") in facts
    assert ("country:us", "FUNDED", "organization:iom") in facts
    assert not [k for k in facts if k[0] == "organization:usaid" and k[1] == "FUNDED"]


def test_what_a_body_launched_it_organized(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "USAID launched migration messaging campaigns in Honduras on Monday.\n"
        "Canada's Immigration Minister Marc Miller and Mexico's Labor Secretary Marath "
        "Bolaños launched a pilot program for seasonal workers.\n"
        "La OIM lanzó un programa de empleo para jóvenes retornados.\n",
        language="es",
    )
    launched = {i.proposed_id: i for i in proposals.of_kind(ItemKind.EVENT) if i.entity is None}
    facts = _facts(proposals)
    organized = {(s, o) for s, r, o in facts if r == "ORGANIZED"}
    by_author = {s: launched[o] for s, o in organized if o in launched}
    assert by_author["organization:usaid"].category == "campaign"
    assert by_author["organization:usaid"].edtf == "2024-04-29"
    assert by_author["organization:iom"].category == "programme"
    new = _new(proposals)
    # two titled people joined by "and", the second's title in capitals: both launched it
    for person in ("Marc Miller", "Marath Bolaños"):
        assert new[person].proposed_id in by_author


def test_an_event_named_in_passing_is_an_event_of_its_own(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "On Monday, Blinken made his first visit to Mexico City, a year after Mayorkas’s "
        "visit to Tapachula in January of last year.\n"
        "La canciller llegó a la capital tras la investidura de Bernardo Arévalo en Guatemala.\n"
        "Thousands of families started the trip to the United States this spring.\n",
        language="es",
    )
    events = {i.name: i for i in proposals.of_kind(ItemKind.EVENT) if i.entity is None}
    facts = _facts(proposals)
    visit = events["Mayorkas’s visit to Tapachula"]
    assert (visit.category, visit.edtf) == ("visit", "2023-01")
    assert visit.proposed_id is not None
    tapachula = _new(proposals)["Tapachula"].proposed_id
    assert facts[(visit.proposed_id, "HELD_IN", tapachula or "")].basis is Basis.STATED
    assert ("person:alejandro-mayorkas", "ATTENDED", visit.proposed_id) in facts
    # the graph's inauguration, by kind, person and place
    linked = {i.entity for i in proposals.of_kind(ItemKind.EVENT)}
    assert "event:arevalo-inauguration-2024" in linked
    assert ("person:bernardo-arevalo", "ATTENDED", "event:arevalo-inauguration-2024") in facts
    # the sentence's own visit keeps its own date
    first = events["First visit to Mexico City"]
    assert first.edtf == "2024-04-29"
    # the families' trip: no one's and undated, so no event
    assert not [n for n in events if n.lower().startswith("trip")]


def test_a_known_acronym_opening_a_name_is_part_of_it(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "In Peru, the State Department funded the UN High Commissioner for Deserts (UNHCD) "
        "and the Women’s Water Commission.\n"
        "UNHCD opened two offices in Lima.\n",
    )
    new = _new(proposals)
    body = new["UN High Commissioner for Deserts"]
    assert body.entity_kind == "organization" and body.acronym == "UNHCD"
    assert "Women’s Water Commission" in new
    # the acronym alone later is the same body, not another
    assert "UNHCD" not in new
    facts = _facts(proposals)
    assert ("organization:us-department-of-state", "FUNDED", body.proposed_id) in facts
    assert not [k for k in facts if "organization:un" in k]
    # and "UN" inside the name is no mention of the United Nations
    assert "organization:un" not in {i.entity for i in proposals.of_kind(ItemKind.MENTION)}


def test_a_title_of_a_body_names_the_body_and_its_holder(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Blinken thanked the Director General of the International Organization for "
        "Migration Amy Popea and the Administrator of the Lempa River Authority Ramón Ortiz.\n"
        "La presidenta del Banco Central Ana Gómez y el director del Instituto Hondureño de "
        "Migración Carlos Pérez hablaron.\n",
        language="es",
    )
    new = _new(proposals)
    facts = _facts(proposals)
    held = {(s, o): f.role for (s, r, o), f in facts.items() if r == "HOLDS_POSITION"}
    ids = {name: item.proposed_id or "" for name, item in new.items()}
    # a known body, then its titled holder
    assert held[(ids["Amy Popea"], "organization:iom")] == "Director General"
    # a new body and its holder in one run of capitals
    assert new["Lempa River Authority"].entity_kind == "organization"
    assert held[(ids["Ramón Ortiz"], ids["Lempa River Authority"])] == "Administrator"
    # a Spanish body's head word first; a demonym inside its name
    assert held[(ids["Ana Gómez"], ids["Banco Central"])] == "presidenta"
    assert held[(ids["Carlos Pérez"], ids["Instituto Hondureño de Migración"])] == "director"


def test_a_new_events_name_that_says_where_holds_it_there(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "In October 2023, Peru and Chile co-hosted a Ministerial Meeting in Arequipa on the "
        "Causes of Migration.\nLa Cumbre Andina en Cusco terminó el lunes.\n",
        language="es",
    )
    new = _new(proposals)
    facts = _facts(proposals)
    events = {i.name: i.proposed_id for i in proposals.of_kind(ItemKind.EVENT)}
    arequipa = new["Arequipa"]
    assert arequipa.entity_kind == "place"
    held = facts[
        (events["Ministerial Meeting in Arequipa"] or "", "HELD_IN", arequipa.proposed_id or "")
    ]
    assert held.basis is Basis.STATED
    assert (events["Cumbre Andina en Cusco"], "HELD_IN", new["Cusco"].proposed_id) in facts


def test_whom_a_journey_named_in_passing_met_is_not_at_the_lead_event(graph: GraphView) -> None:
    proposals = _ingest(
        graph,
        "Los cancilleres se reunieron este martes en Tegucigalpa.\n\n"
        "La reunión ocurre tras el viaje del presidente Arévalo a Ciudad de México, donde se "
        "reunió con el presidente Andrés Manuel López Obrador.\n",
        language="es",
    )
    events = {i.name: i for i in proposals.of_kind(ItemKind.EVENT) if i.entity is None}
    trip = events["Viaje del presidente Arévalo a Ciudad de México"]
    facts = _facts(proposals)
    assert ("person:bernardo-arevalo", "ATTENDED", trip.proposed_id) in facts
    lead = events["Meeting"].proposed_id
    attended = {s for s, r, o in facts if r == "ATTENDED" and o == lead}
    assert "person:andres-manuel-lopez-obrador" not in attended
    # and where the trip went is not where the meeting was
    held = {o for s, r, o in facts if r == "HELD_IN" and s == lead}
    assert held == {_new(proposals)["Tegucigalpa"].proposed_id}


def test_a_named_event_of_another_time_is_not_the_sentences_event(graph: GraphView) -> None:
    meta = DocumentMeta(title="Review", published="2024-06-14", language="en")
    text = (
        "SANTO DOMINGO, Dominican Republic — Foreign ministers met on Thursday in Santo "
        "Domingo to review the Los Angeles Declaration, two years after it was signed at "
        "the Summit of the Americas.\n"
    )
    proposals = ingest_text(text, meta, graph)
    events = list(proposals.of_kind(ItemKind.EVENT))
    # the summit of 2022 is named, but what met on Thursday is another event
    assert not [e for e in events if e.entity == "event:summit-of-the-americas-2022" and e.edtf]
    meeting = next(e for e in events if e.category == "meeting")
    assert meeting.entity is None and meeting.edtf == "2024-06-13"
    santo_domingo = _new(proposals)["Santo Domingo"]  # a Spanish weekday inside a name
    assert (meeting.proposed_id, "HELD_IN", santo_domingo.proposed_id) in _facts(proposals)


def test_a_date_in_a_clause_about_a_person_is_theirs(graph: GraphView) -> None:
    meta = DocumentMeta(title="Lima", published="2024-06-14", language="en")
    text = (
        "Foreign ministers met on Thursday in Lima.\n"
        "The meeting was hosted by Peruvian Foreign Minister Ana Ruiz and co-chaired by "
        "Antony Blinken, who arrived in Peru on Wednesday evening.\n"
    )
    proposals = ingest_text(text, meta, graph)
    meetings = [e for e in proposals.of_kind(ItemKind.EVENT) if e.category == "meeting"]
    assert [(m.edtf) for m in meetings] == ["2024-06-13"]  # one meeting, not one a day
    hosts = {s for s, r, o in _facts(proposals) if r == "HOSTED" and o == meetings[0].proposed_id}
    assert _new(proposals)["Ana Ruiz"].proposed_id in hosts
