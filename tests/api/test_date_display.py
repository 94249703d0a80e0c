"""``DateSpan.display(locale:)``: the same span in any language, on both backends."""

from __future__ import annotations

from tests.conftest import GraphQLClient


async def test_display_takes_a_locale(gql: GraphQLClient) -> None:
    data = await gql.data(
        """{ event(id: "event:panama-ministerial-2022") { date {
              en: display
              es: display(locale: "es")
              pt: display(locale: "pt-BR")
              fr: display(locale: "fr")
              fallback: display(locale: "xx-YY")
            } } }"""
    )
    assert data["event"]["date"] == {
        "en": "19\u2009–\u200920 April 2022",
        "es": "19–20 de abril de 2022",
        "pt": "19\u2009–\u200920 de abril de 2022",
        "fr": "19–20 avril 2022",
        "fallback": "19\u2009–\u200920 April 2022",
    }


async def test_display_locale_as_a_variable(gql: GraphQLClient) -> None:
    data = await gql.data(
        """query ($locale: String) {
             event(id: "event:bogota-ministerial-2021") {
               date { precision display(locale: $locale) }
             }
           }""",
        {"locale": "es"},
    )
    assert data["event"]["date"] == {"precision": "MONTH", "display": "octubre de 2021"}
