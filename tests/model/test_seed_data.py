"""The curated seeds: valid, complete where the contract fixes ids, honest about dates."""

from __future__ import annotations

from tests.conftest import CORPUS, SEEDS, seed_dataset
from timeline.model.dates import DatePrecision
from timeline.model.ids import is_valid_id
from timeline.model.records import Event, Person
from timeline.model.seeds import read_seeds

ANCHORS = [
    "event:bogota-ministerial-2021",
    "event:panama-ministerial-2022",
    "event:summit-of-the-americas-2022",
    "event:washington-trilateral-2024",
    "event:guatemala-ministerial-2024",
]


def test_the_seeds_validate_with_no_problem() -> None:
    _, problems = read_seeds(SEEDS, CORPUS)
    assert problems == []


def test_counts_cover_the_story() -> None:
    counts = seed_dataset().counts()
    assert counts["event"] >= 40
    assert counts["organization"] >= 30
    assert counts["agreement"] >= 6
    assert counts["document"] == 5
    assert counts["relation"] >= 300
    # The texts name 25 people and 18 countries; nothing is invented to reach a number.
    assert counts["person"] >= 25
    assert counts["country"] >= 18


def test_anchor_events_exist() -> None:
    entities = seed_dataset().entities
    assert all(isinstance(entities.get(i), Event) for i in ANCHORS)


def test_the_series_holds_only_the_regional_migration_ministerials() -> None:
    # The fact sheet: a Ministerial Meeting in Bogotá, then "a further Ministerial Meeting in
    # Panama City" (03:345). The Summit, the Washington trilateral and the Guatemala meeting
    # ("the next ministerial meeting of the Los Angeles Declaration", whose earlier meetings
    # no text names) are not in it.
    events = [e for e in seed_dataset().entities.values() if isinstance(e, Event)]
    series = sorted((e.series_order, e.id) for e in events if e.series == "migration-ministerials")
    assert series == [(1, "event:bogota-ministerial-2021"), (2, "event:panama-ministerial-2022")]
    assert all(e.series is None for e in events if e.series != "migration-ministerials")


def test_dates_are_only_as_precise_as_the_sources() -> None:
    entities = seed_dataset().entities
    bogota = entities["event:bogota-ministerial-2021"]
    assert isinstance(bogota, Event)
    assert (bogota.date.precision, bogota.date.display) == (DatePrecision.MONTH, "October 2021")
    washington = entities["event:washington-trilateral-2024"]
    assert isinstance(washington, Event)
    assert washington.date.edtf == "2024-02-28"  # "This Wednesday", in a text of that day


def test_misspellings_are_aliases_of_one_person() -> None:
    blinken = seed_dataset().entities["person:antony-blinken"]
    assert isinstance(blinken, Person)
    assert {"Antony Blink", "Anthony Blinken", "Bliken"} <= set(blinken.aliases)
    people = [e for e in seed_dataset().entities.values() if isinstance(e, Person)]
    assert sum("blink" in e.id for e in people) == 1


def test_every_entity_and_relation_is_sourced_and_ids_are_well_formed() -> None:
    dataset = seed_dataset()
    assert all(e.sources and is_valid_id(e.id) for e in dataset.entities.values())
    assert all(r.sources for r in dataset.relations)


def test_disagreements_are_kept_as_claims() -> None:
    panama = seed_dataset().entities["event:panama-ministerial-2022"]
    values = {c.value for c in panama.claims}
    assert {"20", "22"} <= {v.split()[0] for v in values}
