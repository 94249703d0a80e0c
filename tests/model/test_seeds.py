"""Seed validation: each kind of bad input is reported with file, line and reason."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from timeline.model.records import Event, Place
from timeline.model.seeds import SeedError, SeedProblem, load_seeds, read_seeds

TEXT = (
    "The Ministerial Conference on Migration and Protection concluded in Panama City on "
    "Wednesday. Secretary of State Antony Blinken said the “Los Angeles Declaration” –\n"
    "  a regional commitment – would follow.  Norway’s envoy attended.\n"
)

GOOD = {
    "documents.yaml": """
        documents:
          - id: document:report
            title: A report
            publisher: Newswire
            published: 2022-04-20
            language: en
            file: report.txt
        """,
    "entities.yaml": """
        countries:
          - id: country:pa
            code: PA
            name: Panama
            source: {doc: document:report, quote: "concluded in Panama City"}
          - id: country:no
            code: NO
            name: Norway
            source: {doc: document:report, quote: "Norway's envoy attended"}
        people:
          - id: person:antony-blinken
            name: Antony J. Blinken
            aliases: [Antony Blinken]
            sources:
              - doc: document:report
                quote: Secretary of State Antony Blinken
        places:
          - id: place:panama-city
            name: Panama City
            country: country:pa
            latitude: 8.98
            longitude: -79.52
            source: {doc: document:report, quote: "Panama City"}
        """,
    "events/panama.yaml": """
        events:
          - id: event:panama-ministerial-2022
            name: Ministerial Conference on Migration and Protection
            category: ministerial
            date: 2022-04-19/2022-04-20
            series: migration-ministerials
            series_order: 2
            source:
              doc: document:report
              quote: The Ministerial Conference on Migration and Protection concluded
            claims:
              - property: countries_attending
                value: 20
                source: {doc: document:report, quote: "Norway’s envoy attended."}
        relations:
          - from: event:panama-ministerial-2022
            type: HELD_IN
            to: place:panama-city
            source: {doc: document:report, quote: "concluded in Panama City on Wednesday"}
          - from: person:antony-blinken
            type: ATTENDED
            to: event:panama-ministerial-2022
            role: speaker
            date: 2022-04-20
            sources:
              - doc: document:report
                quote: "the \\"Los Angeles Declaration\\" - a regional commitment - would follow"
          - from: person:antony-blinken
            type: HOLDS_POSITION
            to: country:no
            title: Envoy
            start: 2021
            source: {doc: document:report, quote: "Secretary of State"}
        """,
}


def write_seeds(root: Path, files: dict[str, str]) -> Path:
    seeds = root / "seeds"
    (root / "corpus").mkdir(parents=True, exist_ok=True)
    (root / "corpus" / "report.txt").write_text(TEXT, encoding="utf-8")
    for name, content in {"dataset.yaml": "name: test\ncorpus: ../corpus\n", **files}.items():
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return seeds


def problems_for(tmp_path: Path, **changes: str) -> list[SeedProblem]:
    files = dict(GOOD)
    for name, content in changes.items():
        files[name.replace("__", "/").replace("_yaml", ".yaml")] = content
    _, problems = read_seeds(write_seeds(tmp_path, files))
    return problems


def only(problems: list[SeedProblem]) -> SeedProblem:
    assert len(problems) == 1, problems
    return problems[0]


def edit(name: str, old: str, new: str) -> str:
    content = textwrap.dedent(GOOD[name])
    assert old in content, old
    return content.replace(old, new, 1)


# --- the good case ---------------------------------------------------------------------------


def test_good_seeds_load_into_records(tmp_path: Path) -> None:
    dataset = load_seeds(write_seeds(tmp_path, GOOD))
    assert dataset.counts()["country"] == 2
    event = dataset.entities["event:panama-ministerial-2022"]
    assert isinstance(event, Event)
    assert event.date.display == "19\u2009–\u200920 April 2022"
    assert event.series_order == 2
    assert event.claims[0].value == "20"
    norway = dataset.entities["country:no"]
    assert norway.name == "Norway"  # "NO" stays a code, not YAML 1.1's False
    place = dataset.entities["place:panama-city"]
    assert isinstance(place, Place)
    assert place.country == "country:pa"
    position = next(r for r in dataset.relations if r.type == "HOLDS_POSITION")
    assert position.title == "Envoy"
    assert position.start is not None and position.start.edtf == "2021"


def test_quotes_match_across_typographic_marks_and_white_space(tmp_path: Path) -> None:
    # The document has curly quotes, en dashes and a line break; the quote has none.
    _, problems = read_seeds(write_seeds(tmp_path, GOOD))
    assert problems == []


# --- each kind of bad input ------------------------------------------------------------------


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    problem = only(problems_for(tmp_path, entities_yaml="people:\n  - id: person:x\n   name: [\n"))
    assert problem.file.endswith("seeds/entities.yaml")
    assert problem.line in (2, 3)
    assert "invalid YAML" in problem.reason


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    content = edit("entities.yaml", "    name: Panama\n", "    name: Panama\n    name: Panamá\n")
    problems = problems_for(tmp_path, entities_yaml=content)
    assert any("duplicate key 'name'" in p.reason for p in problems), problems


def test_unknown_field(tmp_path: Path) -> None:
    content = edit("entities.yaml", "    name: Panama\n", "    name: Panama\n    colour: red\n")
    problem = only(problems_for(tmp_path, entities_yaml=content))
    assert (problem.line, problem.reason.split(":")[0]) == (5, "countries.0.colour")
    assert "unknown field" in problem.reason


def test_unknown_list(tmp_path: Path) -> None:
    problem = only(problems_for(tmp_path, extra_yaml="persons:\n  - id: person:x\n"))
    assert problem.file.endswith("extra.yaml") and problem.line == 1
    assert "unknown list 'persons'" in problem.reason


def test_missing_required_field(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "    category: ministerial\n", "")
    problems = problems_for(tmp_path, events__panama_yaml=content)
    assert any(
        p.reason.startswith("events.0.category: Field required") and p.line == 2 for p in problems
    ), problems


def test_bad_id(tmp_path: Path) -> None:
    content = edit("entities.yaml", "person:antony-blinken", "Person:Antony_Blinken")
    problems = problems_for(tmp_path, entities_yaml=content)
    assert any(
        p.line == 11 and p.reason.startswith("people.0.id: String should match pattern")
        for p in problems
    ), problems


def test_id_of_the_wrong_kind(tmp_path: Path) -> None:
    content = edit("entities.yaml", "id: place:panama-city", "id: event:panama-city")
    problems = problems_for(tmp_path, entities_yaml=content)
    assert any("must start with 'place:'" in p.reason and p.line == 18 for p in problems), problems


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    dup = (
        "people:\n  - id: person:antony-blinken\n    name: Again\n"
        "    source: {doc: document:report, quote: Antony}\n"
    )
    problem = only(problems_for(tmp_path, more_yaml=dup))
    assert problem.file.endswith("more.yaml") and problem.line == 2
    assert "duplicate id 'person:antony-blinken' (first defined at" in problem.reason
    assert "entities.yaml:11" in problem.reason


def test_dangling_relation(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "to: place:panama-city", "to: place:atlantis")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.line == 18 and problem.reason == "to: unknown id 'place:atlantis'"


def test_relation_between_wrong_kinds(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "to: place:panama-city", "to: country:pa")
    assert (
        problems_for(tmp_path, events__panama_yaml=content) == []
    )  # an event may be HELD_IN a country
    content = edit("events/panama.yaml", "to: place:panama-city", "to: person:antony-blinken")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert (
        problem.reason == "HELD_IN to: 'person:antony-blinken' is a person, expected country, place"
    )


def test_unknown_relation_type(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "type: HELD_IN", "type: LOCATED_AT")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.line == 17 and "unknown relation type 'LOCATED_AT'" in problem.reason


def test_bad_edtf_dates(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "date: 2022-04-19/2022-04-20", "date: 2022-04-31")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert (problem.line, problem.reason) == (5, "events.0.date: not an EDTF date: '2022-04-31'")
    content = edit(
        "events/panama.yaml", "date: 2022-04-19/2022-04-20", "date: 2022-04-20/2022-04-19"
    )
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert "ends before it starts" in problem.reason
    content = edit("events/panama.yaml", "date: 2022-04-19/2022-04-20", "date: 2022-21")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert "unsupported EDTF form" in problem.reason  # a season: valid EDTF, not supported


def test_missing_sources(tmp_path: Path) -> None:
    content = edit(
        "entities.yaml",
        '    source: {doc: document:report, quote: "Panama City"}\n',
        "",
    )
    problem = only(problems_for(tmp_path, entities_yaml=content))
    assert problem.reason == "places.0.sources: Field required"
    content = edit(
        "entities.yaml",
        '    source: {doc: document:report, quote: "Panama City"}',
        "    sources: []",
    )
    problem = only(problems_for(tmp_path, entities_yaml=content))
    assert "at least 1 item" in problem.reason


def test_unknown_document(tmp_path: Path) -> None:
    content = edit(
        "entities.yaml",
        'source: {doc: document:report, quote: "Panama City"}',
        'source: {doc: document:elsewhere, quote: "Panama City"}',
    )
    problem = only(problems_for(tmp_path, entities_yaml=content))
    assert (problem.line, problem.reason) == (23, "source: unknown document 'document:elsewhere'")


def test_quote_not_verbatim(tmp_path: Path) -> None:
    # One word changed: evidence must be what the document says, never edited to fit.
    content = edit(
        "events/panama.yaml",
        "quote: The Ministerial Conference on Migration and Protection concluded",
        "quote: The Ministerial Conference on Migration and Protection ended",
    )
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.line == 10
    assert problem.reason.startswith("quote not found verbatim in document:report:")


def test_missing_document_text(tmp_path: Path) -> None:
    content = edit("documents.yaml", "file: report.txt", "file: lost.txt")
    problem = only(problems_for(tmp_path, documents_yaml=content))
    assert problem.line == 7 and "document text 'lost.txt' not found" in problem.reason


def test_relation_stated_twice(tmp_path: Path) -> None:
    again = (
        "relations:\n  - from: event:panama-ministerial-2022\n    type: HELD_IN\n"
        "    to: place:panama-city\n    source: {doc: document:report, quote: Panama City}\n"
    )
    problem = only(problems_for(tmp_path, again_yaml=again))
    # Files are read in path order: again.yaml first, so the later statement is flagged.
    assert problem.file.endswith("events/panama.yaml") and problem.line == 16
    assert "stated twice (also at" in problem.reason and "again.yaml:2" in problem.reason


def test_country_code_must_match_id(tmp_path: Path) -> None:
    content = edit("entities.yaml", "code: PA", "code: PN")
    problem = only(problems_for(tmp_path, entities_yaml=content))
    assert (problem.line, problem.reason) == (3, "country code 'PN' does not match id 'country:pa'")


def test_position_needs_a_title(tmp_path: Path) -> None:
    content = edit("events/panama.yaml", "    title: Envoy\n", "")
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.reason == "HOLDS_POSITION needs a 'title'"


def test_not_a_mapping(tmp_path: Path) -> None:
    problem = only(problems_for(tmp_path, list_yaml="- just\n- a list\n"))
    assert "a seed file is a mapping of lists" in problem.reason


def test_several_problems_are_all_reported_in_order(tmp_path: Path) -> None:
    content = edit("entities.yaml", "code: PA", "code: PN")
    content = content.replace("latitude: 8.98", "latitude: 98.0")
    problems = problems_for(tmp_path, entities_yaml=content)
    assert [p.line for p in problems] == [3, 21]  # no knock-on "unknown id" for the place
    assert problems == sorted(problems)


# --- all or nothing, and the command ---------------------------------------------------------


def test_load_seeds_loads_nothing_when_anything_is_wrong(tmp_path: Path) -> None:
    content = edit("entities.yaml", "code: PA", "code: PN")
    seeds = write_seeds(tmp_path, {**GOOD, "entities.yaml": content})
    with pytest.raises(SeedError) as raised:
        load_seeds(seeds)
    assert len(raised.value.problems) == 1
    assert "entities.yaml:3: country code" in str(raised.value)


def test_validate_command_prints_file_line_reason_and_exits_1(tmp_path: Path) -> None:
    content = edit("entities.yaml", "code: PA", "code: PN")
    seeds = write_seeds(tmp_path, {**GOOD, "entities.yaml": content})
    result = subprocess.run(
        [sys.executable, "-m", "timeline.cli", "validate", str(seeds)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.strip().endswith(
        "entities.yaml:3: country code 'PN' does not match id 'country:pa'"
    )
    ok = subprocess.run(
        [sys.executable, "-m", "timeline.cli", "validate", str(write_seeds(tmp_path / "ok", GOOD))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ok" in ok.stderr


def test_missing_folder(tmp_path: Path) -> None:
    _, problems = read_seeds(tmp_path / "nowhere")
    assert "not a folder of seed files" in only(problems).reason


# --- epistemic status: a source's basis and note, an event's status --------------------------


def test_basis_note_and_status_default_and_load(tmp_path: Path) -> None:
    dataset = load_seeds(write_seeds(tmp_path, GOOD))
    event = dataset.entities["event:panama-ministerial-2022"]
    assert isinstance(event, Event)
    assert event.status == "occurred"
    assert {s.basis for s in event.sources} == {"stated"}
    assert all(s.note is None for s in event.sources)

    content = edit(
        "events/panama.yaml",
        "    series_order: 2\n",
        "    series_order: 2\n    status: planned\n",
    )
    content = content.replace(
        '    source: {doc: document:report, quote: "concluded in Panama City on Wednesday"}',
        "    sources:\n"
        "      - doc: document:report\n"
        "        quote: concluded in Panama City on Wednesday\n"
        "        basis: inferred\n"
        "        note: The report names the city; the venue follows from it.",
    )
    dataset = load_seeds(write_seeds(tmp_path / "b", {**GOOD, "events/panama.yaml": content}))
    event = dataset.entities["event:panama-ministerial-2022"]
    assert isinstance(event, Event) and event.status == "planned"
    held = next(r for r in dataset.relations if r.type == "HELD_IN")
    assert held.sources[0].basis == "inferred"
    assert held.sources[0].note == "The report names the city; the venue follows from it."
    assert held.basis == "inferred"


def test_inferred_source_without_a_note(tmp_path: Path) -> None:
    content = edit(
        "events/panama.yaml",
        '    source: {doc: document:report, quote: "concluded in Panama City on Wednesday"}',
        '    source: {doc: document:report, quote: "concluded in Panama City on Wednesday",'
        " basis: inferred}",
    )
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.file.endswith("events/panama.yaml")
    assert problem.line == 19  # the line of the source itself
    assert problem.reason.startswith("relations.0.sources.0: an inferred source needs a 'note'")


def test_inferred_claim_and_entity_sources_need_notes_too(tmp_path: Path) -> None:
    content = edit(
        "events/panama.yaml",
        '        source: {doc: document:report, quote: "Norway’s envoy attended."}',
        "        sources:\n"
        "          - {doc: document:report, quote: Norway’s envoy attended., basis: inferred}",
    )
    entities = edit(
        "entities.yaml",
        '    source: {doc: document:report, quote: "Norway\'s envoy attended"}',
        '    source: {doc: document:report, quote: "Norway\'s envoy attended", '
        "basis: inferred, note: The envoy is Norway's.}",
    )
    problems = problems_for(tmp_path, events__panama_yaml=content, entities_yaml=entities)
    problem = only(problems)
    assert problem.line == 15  # the source item, under "sources:"
    assert problem.reason.startswith("events.0.claims.0.sources.0: an inferred source needs")


def test_unknown_basis_and_status(tmp_path: Path) -> None:
    content = edit(
        "events/panama.yaml",
        "    series_order: 2\n",
        "    series_order: 2\n    status: rumoured\n",
    ).replace(
        '    source: {doc: document:report, quote: "concluded in Panama City on Wednesday"}',
        '    source: {doc: document:report, quote: "concluded in Panama City on Wednesday",'
        " basis: guessed}",
    )
    problems = problems_for(tmp_path, events__panama_yaml=content)
    reasons = {(p.line, p.reason.split(":")[0]) for p in problems}
    assert (8, "events.0.status") in reasons, problems
    assert (20, "relations.0.sources.0.basis") in reasons, problems


def test_an_acronym_alias_must_be_in_a_cited_text(tmp_path: Path) -> None:
    # "MCMP" is nowhere in the report; "NO" is not an alias, and "U.S."-style names are
    # acronyms too. A name with small letters is not an acronym.
    content = edit(
        "events/panama.yaml",
        "    category: ministerial\n",
        "    aliases: [MCMP, Panama Ministerial]\n    category: ministerial\n",
    )
    problem = only(problems_for(tmp_path, events__panama_yaml=content))
    assert problem.file.endswith("events/panama.yaml") and problem.line == 4
    assert "acronym 'MCMP'" in problem.reason and "document:report" in problem.reason


def test_an_acronym_cited_only_through_a_relation_counts(tmp_path: Path) -> None:
    # The alias is in a second text that only one of the person's relations cites.
    (tmp_path / "corpus").mkdir(parents=True, exist_ok=True)
    (tmp_path / "corpus" / "other.txt").write_text("The AJB office said so.", encoding="utf-8")
    documents = textwrap.dedent(GOOD["documents.yaml"]) + (
        "  - id: document:other\n    title: Other\n    file: other.txt\n"
    )
    people = edit("entities.yaml", "aliases: [Antony Blinken]", "aliases: [Antony Blinken, AJB]")
    _, problems = read_seeds(
        write_seeds(tmp_path, {**GOOD, "documents.yaml": documents, "entities.yaml": people})
    )
    assert len(problems) == 1 and "acronym 'AJB'" in problems[0].reason  # not cited yet
    relation = (
        "relations:\n  - from: person:antony-blinken\n    type: MEMBER_OF\n"
        "    to: organization:ajb-office\n"
        '    source: {doc: document:other, quote: "The AJB office said so."}\n'
        "organizations:\n  - id: organization:ajb-office\n    name: AJB office\n"
        '    source: {doc: document:other, quote: "The AJB office"}\n'
    )
    _, problems = read_seeds(
        write_seeds(
            tmp_path,
            {**GOOD, "documents.yaml": documents, "entities.yaml": people, "more.yaml": relation},
        )
    )
    assert problems == []


def test_acronym_field_must_be_in_a_cited_text(tmp_path: Path) -> None:
    org = (
        "organizations:\n  - id: organization:envoys\n    name: Envoys\n    acronym: ENV\n"
        '    source: {doc: document:report, quote: "envoy attended"}\n'
    )
    problem = only(problems_for(tmp_path, org_yaml=org))
    assert problem.line == 4 and "acronym 'ENV'" in problem.reason
