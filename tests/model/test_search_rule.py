"""The shared ranking rule (timeline.model.search), property by property, on made-up entities."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from timeline.api.graphql.research import SearchField
from timeline.model.dates import parse_date
from timeline.model.records import Country, Entity, Event, Organization, Person
from timeline.model.search import (
    FIELD_WEIGHTS,
    allowed_edits,
    context_words,
    entity_fields,
    explain,
    matches_every_word,
    parse_query,
    rank_key,
    score_entity,
    search_words,
    tokens,
)


def score(text: str, entity: Entity, **graph: list[str]) -> float | None:
    scored = score_entity(parse_query(text), entity_fields(entity, **graph))
    return scored.score if scored else None


def event(name: str, category: str = "meeting", description: str | None = None) -> Event:
    day = parse_date("2022-04-20")
    return Event(
        id=f"event:{len(name)}", name=name, category=category, date=day, description=description
    )


PANAMA = Country(id="country:pa", name="Panamá", code="PA")
UNHCR = Organization(
    id="organization:unhcr", name="UN High Commissioner for Refugees", acronym="UNHCR"
)
BLINKEN = Person(id="person:b", name="Antony J. Blinken", aliases=("Tony Blinken",))


def test_words_are_folded_for_accents_case_and_punctuation() -> None:
    assert tokens("U.S.–Panama Arrangement, Panama's BOGOTÁ") == (
        "us", "panama", "arrangement", "panama", "bogota",
    )  # fmt: skip
    assert score("PANAMA", PANAMA) == score("panamá", PANAMA) == 1.0


def test_every_query_word_must_match() -> None:
    assert score("Panama", PANAMA) == 1.0
    assert score("Panama zzzz", PANAMA) is None
    assert score("refugees commissioner", UNHCR) is not None
    assert score("refugees bank", UNHCR) is None


def test_stop_words_are_ignored_in_english_and_spanish() -> None:
    assert parse_query("the Declaration of the Americas").words == ("declaration", "americas")
    assert parse_query("la declaración de las Américas").words == ("declaracion", "americas")
    assert parse_query("the").words == ("the",)  # nothing else: kept
    assert parse_query("US").words == ("us",) and parse_query("UN").words == ("un",)


def test_typos_are_tolerated_by_word_length() -> None:
    assert [allowed_edits(w) for w in ("abc", "abcd", "abcdefg", "abcdefgh")] == [0, 1, 1, 2]
    assert score("Blinkn", BLINKEN) is not None  # 6 letters, one edit
    assert score("Blnkn", BLINKEN) is None  # 5 letters, two edits
    assert score("Bilnken", BLINKEN) is not None  # two letters swapped: one edit
    assert score("Commisioner", UNHCR) is not None  # 11 letters, one edit of two
    assert score("Pan", PANAMA) is not None  # a prefix
    assert score("Pnm", PANAMA) is None  # three letters: no typo


def test_exact_name_or_alias_wins_then_acronym_then_other_fields() -> None:
    assert score("Tony Blinken", BLINKEN) == 1.0
    assert score("UNHCR", UNHCR) == 0.98
    described = Organization(
        id="organization:x", name="Some Office", description="Works with UNHCR"
    )
    assert (score("UNHCR", described) or 0) < (score("Blinken", BLINKEN) or 0) < 1.0


def test_a_name_that_is_the_query_beats_a_longer_one() -> None:
    city = Country(id="country:x", name="Panama City", code="XX")
    assert (score("Panama", city) or 0) < (score("Panama", PANAMA) or 0)
    short = event("Blinken meeting")
    long = event("Blinken meeting with transparency and anticorruption advocates in Panama")
    assert (score("Blinken meeting", long) or 0) < (score("Blinken meeting", short) or 0)


def test_words_in_order_score_higher() -> None:
    a, b = event("Panama migration ministerial"), event("Ministerial on migration, Panama")
    assert (score("ministerial panama", a) or 0) < (score("ministerial panama", b) or 0)


def test_a_category_word_favours_events_of_that_category() -> None:
    visit = event("Blinken in Panama", category="visit")
    statement = event("Blinken statement on a visit to Panama", category="statement")
    assert (score("Blinken visit", statement) or 0) < (score("Blinken visit", visit) or 0)
    # ... also in Spanish, and a place qualifies it.
    ministerial = event("Ministerial Conference on Migration", category="ministerial")
    assert score("ministerial de Panamá", ministerial) is None
    assert score("ministerial de Panamá", ministerial, venues=["Panama City", "Panama"])
    assert score("reunión", event("A meeting")) is not None


def test_ties_go_to_the_more_important_entity_never_the_id_first() -> None:
    a = Country(id="country:aa", name="Atlantis", code="AA")
    b = Country(id="country:zz", name="Atlantis", code="ZZ")
    assert sorted([rank_key(1.0, 1, a), rank_key(1.0, 9, b)])[0][3] == "country:zz"


def test_explain_says_which_field_and_words_matched() -> None:
    (match,) = explain("commissioner", UNHCR)
    assert match.field == "name"
    assert match.parts() == [("UN High ", False), ("Commissioner", True), (" for Refugees", False)]
    assert explain("zzzz", UNHCR) == ()


def test_every_field_is_in_the_graphql_enum() -> None:
    assert {f.value for f in SearchField} == set(FIELD_WEIGHTS)


# Words from a small alphabet, so that equal words, prefixes and typos are all common.
WORDS = st.text(alphabet="abnoprt", min_size=1, max_size=9)
TEXTS = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


@given(
    query=TEXTS,
    name=TEXTS,
    description=st.none() | TEXTS,
    venues=st.lists(TEXTS, max_size=2),
    positions=st.lists(TEXTS, max_size=2),
)
def test_the_word_test_is_exactly_whether_the_rule_scores(
    query: str, name: str, description: str | None, venues: list[str], positions: list[str]
) -> None:
    """What a store tests on a candidate's stored words before building its fields is the
    rule's own "every query word must match", for every entity and query."""
    entity = event(name, description=description)
    parsed = parse_query(query)
    words = context_words(venues, positions).union(search_words(entity).split())
    scored = score_entity(parsed, entity_fields(entity, venues, positions), explain=False)
    assert matches_every_word(parsed, words) == (scored is not None)
