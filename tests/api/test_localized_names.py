"""``Entity.names { text language }`` and ``name(locale:)`` on both backends: names the
sources give in other languages are read back, searched like aliases and shown in the
reader's language."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from tests.conftest import GraphQLClient, client_for
from tests.fixtures import DOC, mini_dataset
from timeline.model.records import LocalizedName, Source
from timeline.stores.base import Store

QUOTE = "the Instituto Guatemalteco de Migración said"
SPANISH = "Instituto Guatemalteco de Migración"


@pytest.fixture
async def named(writable_store: Store) -> AsyncIterator[GraphQLClient]:
    dataset = mini_dataset()
    gt = dataset.entities["country:gt"]
    dataset.entities["country:gt"] = dataclasses.replace(
        gt,
        localized_names=(
            LocalizedName(SPANISH, "es", (Source(DOC, QUOTE),)),
            LocalizedName("Guatemala (fr)", "fr", (Source(DOC, "Guatemala (fr)"),)),
        ),
    )
    await writable_store.load(dataset)
    async with client_for(writable_store) as http:
        yield GraphQLClient(http)


async def test_names_are_read_back(named: GraphQLClient) -> None:
    data = await named.data(
        """{ entity(id: "country:gt") {
              name aliases
              names { text language sources { quote document { id } } }
              es: names(language: "es-GT") { text }
            } }"""
    )
    entity = data["entity"]
    assert entity["name"] == "Guatemala"
    assert entity["aliases"] == []
    assert entity["names"][0] == {
        "text": SPANISH,
        "language": "es",
        "sources": [{"quote": QUOTE, "document": {"id": DOC}}],
    }
    assert [n["language"] for n in entity["names"]] == ["es", "fr"]
    assert entity["es"] == [{"text": SPANISH}]


async def test_name_in_the_readers_language(named: GraphQLClient) -> None:
    data = await named.data(
        """{ entity(id: "country:gt") {
              en: name es: name(locale: "es-MX") fr: name(locale: "fr") pt: name(locale: "pt")
            } }"""
    )
    assert data["entity"] == {"en": "Guatemala", "es": SPANISH, "fr": "Guatemala (fr)",
                              "pt": "Guatemala"}  # fmt: skip


async def test_names_are_searched_like_aliases(named: GraphQLClient) -> None:
    for text in ("Instituto Guatemalteco de Migracion", "instituto guatemalteco"):
        data = await named.data(
            "query ($t: String!) { search(text: $t, first: 3) { score node { id } } }",
            {"t": text},
        )
        assert data["search"][0]["node"]["id"] == "country:gt", text
