"""Ingest's rules for support and cooperation, for the names of a country's bodies and
for kind guesses, on short texts written for them (not from the corpus), against the
seed graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.model.proposals import Basis, DocumentMeta, ItemKind, ProposalItem, ProposalSet
from timeline.model.seeds import load_seeds
from timeline.services.ingest import GraphView, ingest_text

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
