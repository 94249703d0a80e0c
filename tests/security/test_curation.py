"""Curation over GraphQL: API keys and scopes, validation, atomic writes and the audit log.

Every test runs on both backends (the ``writable_store`` fixture) through real HTTP
requests to the app. The fixture graph's document has no text, so tests add their own
document (with a text) and quote it, as a curator would.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import (
    ADMIN,
    KEYS,
    READER,
    WRITER,
    Curation,
    client_for,
    neo4j_options,
    settings_for,
    snapshot,
)
from tests.conftest import sorted_dataset as _sorted
from timeline.api import auth
from timeline.api.auth import KeyRing, KeysError, hash_key, load_keys, parse_keys
from timeline.cli import main
from timeline.config import Settings
from timeline.model.seeds import read_seeds
from timeline.services.export import write_seed_folder
from timeline.stores.base import Store, StoreUnavailable

TEXT = (
    "Foreign ministers met in Quito on 3 May 2023 for the Quito working meeting on migration.\n"
    "Panama and Mexico attended the meeting, which Ecuador hosted.  The “Quito Declaration”\n"
    "was signed there by Antony Blinken — the U.S. Secretary of State."
)
TIMELINE = str(Path(sys.executable).parent / "timeline")
DOC = "document:quito-report-2023"
QUOTE = "Foreign ministers met in Quito on 3 May 2023"


# --- the mutations ---------------------------------------------------------------------------

RESULT = (
    "dataVersion nodes { id } "
    "relations { id type from { id } to { id } role sources { quote } } removedRelations { id }"
)
ADD_DOCUMENT = f"mutation($input: DocumentInput!) {{ addDocument(input: $input) {{ {RESULT} }} }}"
CREATE = f"mutation($input: EntityInput!) {{ createEntity(input: $input) {{ {RESULT} }} }}"
UPDATE = f"mutation($input: EntityUpdateInput!) {{ updateEntity(input: $input) {{ {RESULT} }} }}"
ADD_RELATION = f"mutation($input: RelationInput!) {{ addRelation(input: $input) {{ {RESULT} }} }}"
REMOVE_RELATION = (
    f"mutation($input: RelationRemoval!) {{ removeRelation(input: $input) {{ {RESULT} }} }}"
)
ADD_PARTICIPATION = (
    f"mutation($input: ParticipationInput!) {{ addParticipation(input: $input) {{ {RESULT} }} }}"
)
REMOVE_PARTICIPATION = (
    "mutation($input: ParticipationRemoval!) "
    f"{{ removeParticipation(input: $input) {{ {RESULT} }} }}"
)
APPLY = f"mutation($input: ChangesInput!) {{ applyChanges(input: $input) {{ {RESULT} }} }}"
AUDIT = """query($first: Int, $after: String) { auditLog(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node {
    seq at who mutation outcome input changes dataVersionBefore dataVersionAfter } }
} }"""

DOCUMENT = {
    "id": DOC,
    "title": "A report from Quito",
    "publisher": "Tests",
    "published": "2023-05-03",
    "language": "en",
    "text": TEXT,
}


def src(quote: str = QUOTE, doc: str = DOC) -> list[dict[str, str]]:
    return [{"document": doc, "quote": quote}]


EVENT = {
    "id": "event:quito-meeting-2023",
    "name": "Quito working meeting on migration",
    "category": "meeting",
    "date": "2023-05-03",
    "sources": src(),
}
#: One valid input per mutation, for a graph that has DOCUMENT and EVENT already
#: (``prepared``); the fixture graph has the rest.
EXISTING_RELATION = {
    "from": "country:pa",
    "type": "HOSTED",
    "to": "event:panama-ministerial-2022",
    "role": "host",
}
MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "addDocument": (ADD_DOCUMENT, {**DOCUMENT, "id": "document:second-report"}),
    "createEntity": (
        CREATE,
        {
            "id": "country:ec",
            "name": "Ecuador",
            "code": "EC",
            "sources": src("which Ecuador hosted"),
        },
    ),
    "updateEntity": (
        UPDATE,
        {"id": "event:quito-meeting-2023", "description": "In Quito.", "sources": src()},
    ),
    "addRelation": (
        ADD_RELATION,
        {
            "from": "person:antony-blinken",
            "type": "HOLDS_POSITION",
            "to": "country:us",
            "title": "Secretary of State",
            "sources": src("Antony Blinken - the U.S. Secretary of State"),
        },
    ),
    "removeRelation": (REMOVE_RELATION, {**EXISTING_RELATION, "reason": "test"}),
    "addParticipation": (
        ADD_PARTICIPATION,
        {
            "participant": "country:pa",
            "event": "event:quito-meeting-2023",
            "role": "delegation",
            "sources": src("Panama and Mexico attended the meeting"),
        },
    ),
    "removeParticipation": (
        REMOVE_PARTICIPATION,
        {
            "participant": "country:pa",
            "event": "event:panama-ministerial-2022",
            "type": "HOSTED",
            "role": "host",
            "reason": "test",
        },
    ),
    "applyChanges": (
        APPLY,
        {
            "documents": [{**DOCUMENT, "id": "document:third-report"}],
            "create": [
                {
                    "id": "agreement:quito-declaration",
                    "name": "Quito Declaration",
                    "sources": [
                        {"document": "document:third-report", "quote": '"Quito Declaration"'}
                    ],
                }
            ],
            "addRelations": [
                {
                    "from": "agreement:quito-declaration",
                    "type": "ADOPTED_AT",
                    "to": "event:quito-meeting-2023",
                    "sources": [{"document": "document:third-report", "quote": "was signed there"}],
                }
            ],
        },
    ),
}


async def prepare(curation: Curation) -> None:
    """The document and event the inputs above quote and name."""
    await curation.data(ADD_DOCUMENT, {"input": DOCUMENT})
    await curation.data(CREATE, {"input": EVENT})


# --- who may write -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_without_a_key_every_mutation_is_unauthenticated(
    curation: Curation, name: str
) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    audited = len(curation.audit())
    query, value = MUTATIONS[name]
    for key in (None, "tlk_not-a-key", "not even a bearer token"):
        error = await curation.error(query, {"input": value}, key=key)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", error
        assert error["path"] == [name]
    assert await snapshot(curation.store) == before
    assert len(curation.audit()) == audited


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_a_key_without_write_is_forbidden(curation: Curation, name: str) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    query, value = MUTATIONS[name]
    for key in (READER, ADMIN):
        error = await curation.error(query, {"input": value}, key=key)
        assert error["extensions"]["code"] == "FORBIDDEN", error
    assert await snapshot(curation.store) == before


@pytest.mark.parametrize("name", list(MUTATIONS))
async def test_a_write_key_applies_every_mutation(curation: Curation, name: str) -> None:
    await prepare(curation)
    version, dataset = await snapshot(curation.store)
    query, value = MUTATIONS[name]
    result = (await curation.data(query, {"input": value}))[name]
    assert result["dataVersion"] != version
    assert result["dataVersion"] == await curation.store.data_version()
    after = _sorted(await curation.store.dump())
    assert after != dataset
    entry = curation.audit()[-1]
    assert entry["who"] == "curator" and entry["mutation"] == name
    assert entry["outcome"] == "applied"
    assert entry["dataVersion"] == {"before": version, "after": result["dataVersion"]}
    assert entry["changes"], entry
    for change in entry["changes"]:
        if change["after"] is None:  # removed
            assert all(r.id != change["id"] for r in after.relations)
        elif change["id"].startswith("rel:"):
            assert any(r.id == change["id"] for r in after.relations)
        else:
            assert change["id"] in after.entities or change["id"] in after.documents


async def test_create_every_kind_then_read_it_back(curation: Curation) -> None:
    await prepare(curation)
    entities = [
        {"id": "person:maria-lopez", "name": "María López", "sources": src()},
        {"id": "country:ec", "name": "Ecuador", "code": "EC", "sources": src("Ecuador hosted")},
        {
            "id": "organization:quito-office",
            "name": "Quito Office",
            "orgType": "government_agency",
            "country": "country:ec",
            "sources": src("Quito"),
        },
        {
            "id": "place:quito",
            "name": "Quito",
            "country": "country:ec",
            "latitude": -0.18,
            "longitude": -78.47,
            "sources": src("met in Quito"),
        },
        {
            "id": "agreement:quito-declaration",
            "name": "Quito Declaration",
            "date": "2023-05",
            "agreementType": "declaration",
            "sources": src("The \u201cQuito Declaration\u201d"),  # typographic quotes fold
        },
    ]
    result = await curation.data(APPLY, {"input": {"create": entities}})
    assert [n["id"] for n in result["applyChanges"]["nodes"]] == [e["id"] for e in entities]
    org = await curation.data(
        '{ entity(id: "organization:quito-office") { name ... on Organization { orgType '
        "country { id } } sources { quote document { id title } } } }"
    )
    assert org["entity"] == {
        "name": "Quito Office",
        "orgType": "government_agency",
        "country": {"id": "country:ec"},
        "sources": [{"quote": "Quito", "document": {"id": DOC, "title": "A report from Quito"}}],
    }
    assert (Path(curation.settings.curation_dir) / "quito-report-2023.txt").read_text() == TEXT


async def test_update_is_a_patch_and_adds_sources(curation: Curation) -> None:
    await prepare(curation)
    await curation.data(
        UPDATE,
        {
            "input": {
                "id": EVENT["id"],
                "aliases": ["Quito meeting"],
                "sources": src("Quito working meeting on migration"),
            }
        },
    )
    event = (await curation.store.get_nodes([EVENT["id"]]))[EVENT["id"]]
    assert event.name == EVENT["name"]  # kept
    assert event.aliases == ("Quito meeting",)
    assert [s.quote for s in event.sources] == [QUOTE, "Quito working meeting on migration"]
    # null clears an optional field; a required one cannot be cleared
    await curation.data(UPDATE, {"input": {"id": EVENT["id"], "aliases": None, "sources": src()}})
    event = (await curation.store.get_nodes([EVENT["id"]]))[EVENT["id"]]
    assert event.aliases == () and len(event.sources) == 2
    error = await curation.error(
        UPDATE, {"input": {"id": EVENT["id"], "date": None, "sources": src()}}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert {p["path"] for p in error["extensions"]["problems"]} == {"input.date"}


async def test_adding_an_existing_relation_adds_its_sources(curation: Curation) -> None:
    await prepare(curation)
    value = {
        "participant": "country:mx",
        "event": EVENT["id"],
        "sources": src("Panama and Mexico attended"),
    }
    first = (await curation.data(ADD_PARTICIPATION, {"input": value}))["addParticipation"]
    again = {**value, "sources": src("attended the meeting")}
    second = (await curation.data(ADD_PARTICIPATION, {"input": again}))["addParticipation"]
    assert first["relations"][0]["id"] == second["relations"][0]["id"]
    assert [s["quote"] for s in second["relations"][0]["sources"]] == [
        "Panama and Mexico attended",
        "attended the meeting",
    ]
    rels = (await curation.store.relations(["country:mx"], ["ATTENDED"]))["country:mx"]
    assert sum(r.object == EVENT["id"] for r in rels) == 1
    participants = await curation.data(
        '{ event(id: "event:quito-meeting-2023") { participants { entity { id } role } } }'
    )
    assert participants["event"]["participants"] == [{"entity": {"id": "country:mx"}, "role": None}]


async def test_remove_participation(curation: Curation) -> None:
    before = await curation.store.relations(["country:pa"], ["HOSTED"])
    assert len(before["country:pa"]) == 1
    _, value = MUTATIONS["removeParticipation"]
    result = await curation.data(REMOVE_PARTICIPATION, {"input": value})
    removed = result["removeParticipation"]["removedRelations"]
    assert [r["id"] for r in removed] == [before["country:pa"][0].id]
    assert (await curation.store.relations(["country:pa"], ["HOSTED"]))["country:pa"] == []


# --- what is refused ---------------------------------------------------------------------------


def problems(error: dict[str, Any]) -> dict[str, str]:
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return {p["path"]: p["reason"] for p in error["extensions"]["problems"]}


async def test_a_quote_not_in_the_document_is_refused_and_nothing_changes(
    curation: Curation,
) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    audited = len(curation.audit())
    value = {**EVENT, "id": "event:other-2023", "sources": src("ministers met in Lima")}
    found = problems(await curation.error(CREATE, {"input": value}))
    assert list(found) == ["input.sources.0.quote"]
    assert "not found verbatim in document:quito-report-2023" in found["input.sources.0.quote"]
    assert await snapshot(curation.store) == before
    assert len(curation.audit()) == audited


async def test_every_problem_is_reported_at_once(curation: Curation) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    value = {
        "create": [
            {"id": "Event:Bad", "name": "x", "sources": src()},
            {"id": "event:no-date-2023", "name": "x", "category": "meeting", "sources": src()},
            {
                "id": "event:bad-date-2023",
                "name": "x",
                "category": "meeting",
                "date": "May 2023",
                "sources": src(),
            },
            {"id": "person:someone", "name": "x", "code": "EC", "sources": src()},
            {"id": "country:ec", "name": "Ecuador", "code": "EX", "sources": src()},
            {"id": "person:nobody", "name": "x", "sources": src(doc="document:missing")},
            {"id": "person:antony-blinken", "name": "x", "sources": src()},
            {"id": "person:unchecked", "name": "x", "sources": src(doc="document:fixture")},
        ],
        "addRelations": [
            {
                "from": "event:quito-meeting-2023",
                "type": "ATTENDED",
                "to": "country:pa",
                "sources": src(),
            },
            {
                "from": "person:ghost",
                "type": "ATTENDED",
                "to": "event:quito-meeting-2023",
                "sources": src(),
            },
            {"from": "country:pa", "type": "LIKES", "to": "country:mx", "sources": src()},
            {
                "from": "person:antony-blinken",
                "type": "HOLDS_POSITION",
                "to": "country:us",
                "sources": src(),
            },
            {
                "from": "country:pa",
                "type": "ATTENDED",
                "to": "event:quito-meeting-2023",
                "sources": [],
            },
        ],
        "removeRelations": [
            {
                "from": "country:pa",
                "type": "ATTENDED",
                "to": "event:quito-meeting-2023",
                "reason": "x",
            }
        ],
    }
    found = problems(await curation.error(APPLY, {"input": value}))
    expected = {
        "input.create.0.id": "not an entity id",
        "input.create.1.date": "Field required",
        "input.create.2.date": "EDTF",
        "input.create.3.code": "not a field of a person",
        "input.create.4.code": "does not match id",
        "input.create.5.sources.0.document": "unknown document",
        "input.create.6.id": "exists already",
        "input.create.7.sources.0.document": "cannot be checked",
        "input.addRelations.0.from": "is a event, expected",
        "input.addRelations.1.from": "unknown id 'person:ghost'",
        "input.addRelations.2.type": "unknown relation type",
        "input.addRelations.3.title": "HOLDS_POSITION needs a 'title'",
        "input.addRelations.4.sources": "at least 1 item",
        "input.removeRelations.0": "no relation country:pa ATTENDED",
    }
    for path, reason in expected.items():
        assert path in found, (path, found)
        assert reason.lower() in found[path].lower(), (path, found[path])
    assert await snapshot(curation.store) == before


async def test_a_document_needs_a_new_id_and_its_text(curation: Curation) -> None:
    await prepare(curation)
    found = problems(await curation.error(ADD_DOCUMENT, {"input": {**DOCUMENT, "text": "  "}}))
    assert "input.id" in found and "exists already" in found["input.id"]
    assert "input.text" in found
    value = {**DOCUMENT, "id": "person:not-a-document", "published": "yesterday"}
    found = problems(await curation.error(ADD_DOCUMENT, {"input": value}))
    assert "document:" in found["input.id"] and "input.published" in found


async def test_updates_need_sources_and_an_existing_entity(curation: Curation) -> None:
    await prepare(curation)
    found = problems(await curation.error(UPDATE, {"input": {"id": EVENT["id"], "sources": []}}))
    assert "input.sources" in found
    found = problems(
        await curation.error(UPDATE, {"input": {"id": "person:nobody-here", "sources": src()}})
    )
    assert "no entity" in found["input.id"]


async def test_a_failed_store_write_is_audited_as_failed_and_changes_nothing(
    curation: Curation, monkeypatch: pytest.MonkeyPatch
) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    inner = getattr(curation.store, "inner", curation.store)

    async def down(changes: object, record: object = None) -> None:
        raise StoreUnavailable("the database went away")

    app_store = curation.http._transport.app.state.runtime.store  # type: ignore[attr-defined]
    for target in {id(x): x for x in (inner, curation.store, app_store)}.values():
        monkeypatch.setattr(target, "apply", down, raising=False)
    error = await curation.error(CREATE, {"input": {**EVENT, "id": "event:lost-2023"}})
    assert error["extensions"]["code"] == "UNAVAILABLE"
    monkeypatch.undo()
    assert await snapshot(curation.store) == before
    entry = curation.audit()[-1]
    assert entry["outcome"] == "failed" and entry["dataVersion"]["after"] is None
    assert entry["changes"] == [{"id": "event:lost-2023", "before": None, "after": None}]


# --- the audit log -----------------------------------------------------------------------------


async def test_admin_reads_the_audit_log_newest_first(curation: Curation) -> None:
    # The log is the store's and outlives loads: entries of earlier tests may be there.
    earlier = (await curation.data(AUDIT, {"first": 0}, key=ADMIN))["auditLog"]["totalCount"]
    await prepare(curation)
    log = (await curation.data(AUDIT, {"first": 1}, key=ADMIN))["auditLog"]
    assert log["totalCount"] == earlier + 2 and log["pageInfo"]["hasNextPage"]
    newest = log["edges"][0]["node"]
    assert newest["mutation"] == "createEntity" and newest["who"] == "curator"
    assert newest["input"]["input"]["id"] == EVENT["id"]
    assert newest["changes"][0]["before"] is None
    assert newest["changes"][0]["after"]["category"] == "meeting"
    after = log["pageInfo"]["endCursor"]
    rest = await curation.data(AUDIT, {"first": 1, "after": after}, key=ADMIN)
    older = rest["auditLog"]["edges"]
    assert [e["node"]["mutation"] for e in older] == ["addDocument"]
    text = older[0]["node"]["input"]["input"]["text"]
    assert text["chars"] == len(TEXT) and len(text["sha256"]) == 64  # not the text itself
    assert rest["auditLog"]["pageInfo"]["hasNextPage"] == (earlier > 0)


@pytest.mark.parametrize(
    ("key", "code"), [(None, "UNAUTHENTICATED"), (READER, "FORBIDDEN"), (WRITER, "FORBIDDEN")]
)
async def test_only_admin_reads_the_audit_log(
    curation: Curation, key: str | None, code: str
) -> None:
    await prepare(curation)
    answer = await curation.post(AUDIT, key=key)
    assert answer["data"] is None
    assert [e["extensions"]["code"] for e in answer["errors"]] == [code]
    assert "createEntity" not in json.dumps(answer)  # no entry leaks


async def test_a_bad_audit_cursor_is_bad_input(curation: Curation) -> None:
    error = await curation.error(AUDIT, {"after": "bm90IGEgY3Vyc29y"}, key=ADMIN)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


# --- keys --------------------------------------------------------------------------------------


def test_keys_file_yaml_toml_and_environment(tmp_path: Path) -> None:
    yaml_file = tmp_path / "keys.yaml"
    yaml_file.write_text(
        f"keys:\n  - name: alice\n    hash: {hash_key(WRITER)}\n    scopes: [write, admin]\n"
    )
    toml_file = tmp_path / "keys.toml"
    toml_file.write_text(
        f'[[keys]]\nname = "bob"\nhash = "{hash_key(READER)}"\nscopes = ["read"]\n'
    )
    for path, name, scopes in (
        (yaml_file, "alice", {"read", "write", "admin"}),
        (toml_file, "bob", {"read"}),
    ):
        ring = load_keys(Settings(api_keys_file=path))
        assert len(ring) == 1
        found = ring.resolve(WRITER if name == "alice" else READER)
        assert found is not None and found.name == name and found.scopes == scopes
        assert ring.resolve(ADMIN) is None
    both = load_keys(Settings(api_keys_file=yaml_file, api_keys=json.dumps(KEYS[2:])))
    assert {k.name for k in both.keys} == {"alice", "auditor"}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "x", "hash": "md5:abc", "scopes": ["write"]}, "hash"),
        ({"name": "x", "hash": hash_key("k"), "scopes": ["root"]}, "scopes"),
        ({"name": "x", "hash": hash_key("k"), "scopes": []}, "scopes"),
        ({"name": "x", "hash": hash_key("k"), "scopes": ["write"], "key": "k"}, "key"),
        ({"name": "bad name!", "hash": hash_key("k"), "scopes": ["write"]}, "name"),
    ],
)
def test_bad_key_entries_are_refused(entry: dict[str, Any], reason: str) -> None:
    with pytest.raises(KeysError, match=reason):
        parse_keys([entry], "test")


def test_duplicate_keys_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KeysError, match="named"):
        parse_keys(KEYS, "x") and KeyRing(
            parse_keys([KEYS[0], {**KEYS[1], "name": "curator"}], "x")
        )
    with pytest.raises(KeysError, match="cannot read"):
        load_keys(Settings(api_keys_file=tmp_path / "missing.yaml"))
    broken = tmp_path / "keys.toml"
    broken.write_text("[[keys]\n")
    with pytest.raises(KeysError, match="not valid"):
        load_keys(Settings(api_keys_file=broken))


def test_keys_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def compare(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", compare)
    ring = KeyRing(parse_keys(KEYS, "test"))
    for presented in (WRITER, ADMIN, "wrong"):
        calls.clear()
        ring.resolve(presented)
        # every stored hash is compared, whichever matches (no early exit), never the key
        assert len(calls) == len(KEYS)
        assert all(presented not in pair for pair in calls)
    assert ring.resolve(WRITER).name == "curator"  # type: ignore[union-attr]


def test_keys_new_prints_a_key_once_and_its_entry(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["keys", "new", "--name", "ci", "--scope", "write", "--scope", "admin"]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[0]
    assert key.startswith("tlk_") and len(key) > 40
    entry = result.stdout.split("\n", 1)[1]
    path = tmp_path / "keys.yaml"
    path.write_text("keys:\n" + entry)
    ring = load_keys(Settings(api_keys_file=path))
    found = ring.resolve(key)
    assert found is not None and found.scopes == {"read", "write", "admin"}
    assert key not in path.read_text()
    toml = CliRunner().invoke(
        main, ["keys", "new", "--name", "ci", "--scope", "write", "--format", "toml"]
    )
    assert "[[keys]]" in toml.stdout


# --- private reading ---------------------------------------------------------------------------


async def test_read_requires_key(store: Store, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, read_requires_key=True)
    query = {"query": "{ dataVersion }"}
    async with client_for(store, settings) as http:
        refused = await http.post("/graphql", json=query)
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert refused.headers["www-authenticate"].startswith("Bearer")
        bad = await http.post("/graphql", json=query, headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        for path in ("/timeline.json", "/", "/oembed?url=x"):
            assert (await http.get(path)).status_code == 401, path
        for path in ("/healthz", "/readyz"):
            assert (await http.get(path)).status_code == 200, path
        for key in (READER, WRITER, ADMIN):
            ok = await http.post("/graphql", json=query, headers={"Authorization": f"Bearer {key}"})
            assert ok.status_code == 200 and "errors" not in ok.json(), ok.text
            page = await http.get("/timeline.json", headers={"Authorization": f"Bearer {key}"})
            assert page.status_code != 401


async def test_reading_is_public_by_default(curation: Curation) -> None:
    assert "dataVersion" in await curation.data("{ dataVersion }", key=None)


# --- round trip --------------------------------------------------------------------------------


def _merge_texts(source: Path, corpus: Path) -> None:
    corpus.mkdir()
    for path in source.glob("*.txt"):
        (corpus / path.name).write_text(path.read_text())


async def test_a_curated_change_round_trips_through_the_seeds_export(
    curation: Curation, tmp_path: Path, backend: str
) -> None:
    await prepare(curation)
    _, value = MUTATIONS["applyChanges"]
    await curation.data(APPLY, {"input": value})
    # The curated texts join the corpus (docs/security.md: keeping curated documents).
    corpus = tmp_path / "merged-corpus"
    await asyncio.to_thread(_merge_texts, Path(curation.settings.curation_dir), corpus)
    dataset = await curation.store.dump()
    out = tmp_path / "exported"
    if backend == "neo4j":  # the real command, on the store the mutations wrote to
        options = neo4j_options()
        environment = {
            **os.environ,
            "NEO4J_URI": options["uri"],
            "NEO4J_USER": options["user"],
            "NEO4J_PASSWORD": options["password"],
        }
        command = [TIMELINE, "export", "seeds", "--backend", "neo4j", "--out", str(out)]
        done = await asyncio.to_thread(
            subprocess.run,
            [*command, "--corpus", str(corpus)],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    else:
        write_seed_folder(dataset, out, corpus)
    exported, found = read_seeds(out)
    assert found == []
    assert _sorted(exported) == _sorted(dataset)
    assert "agreement:quito-declaration" in exported.entities
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output


# --- epistemic status: basis, note, status -----------------------------------------------------

INFERRED_SOURCE = {
    "document": DOC,
    "quote": "The “Quito Declaration”",
    "basis": "INFERRED",
    "note": "Signed at the meeting, so adopted there: the text names no other occasion.",
}


async def test_sources_take_a_basis_and_a_note_and_events_a_status(curation: Curation) -> None:
    await prepare(curation)
    planned = {
        **EVENT,
        "id": "event:quito-follow-up-2023",
        "name": "Quito follow-up",
        "status": "PLANNED",
    }
    await curation.data(CREATE, {"input": planned})
    relation = {
        "from": "event:quito-follow-up-2023",
        "type": "PART_OF",
        "to": EVENT["id"],
        "sources": [INFERRED_SOURCE],
    }
    query = (
        "mutation($input: RelationInput!) { addRelation(input: $input) { relations { "
        "basis sources { quote basis note } } } }"
    )
    written = (await curation.data(query, {"input": relation}))["addRelation"]["relations"][0]
    assert written["basis"] == "INFERRED"
    assert written["sources"] == [
        {"quote": INFERRED_SOURCE["quote"], "basis": "INFERRED", "note": INFERRED_SOURCE["note"]}
    ]
    event = (await curation.store.get_nodes(["event:quito-follow-up-2023"]))[
        "event:quito-follow-up-2023"
    ]
    assert event.status == "planned"  # type: ignore[union-attr]
    (rel,) = [
        r
        for r in (await curation.store.relations([EVENT["id"]], ["PART_OF"]))[EVENT["id"]]
        if r.subject == "event:quito-follow-up-2023"
    ]
    assert rel.sources[0].basis == "inferred" and rel.sources[0].note == INFERRED_SOURCE["note"]
    # A stated source of the same relation makes it stated; the inferred one is kept.
    stated = {**relation, "sources": src("for the Quito working meeting on migration")}
    written = (await curation.data(query, {"input": stated}))["addRelation"]["relations"][0]
    assert written["basis"] == "STATED"
    assert [s["basis"] for s in written["sources"]] == ["INFERRED", "STATED"]
    # Giving a known quote again changes its basis: the inferred one is now stated.
    again = {**relation, "sources": [{"document": DOC, "quote": INFERRED_SOURCE["quote"]}]}
    written = (await curation.data(query, {"input": again}))["addRelation"]["relations"][0]
    assert written["sources"][0] == {
        "quote": INFERRED_SOURCE["quote"],
        "basis": "STATED",
        "note": None,
    }
    # An update can mark an event planned, or back as occurred.
    await curation.data(
        UPDATE, {"input": {"id": EVENT["id"], "status": "PLANNED", "sources": src()}}
    )
    answer = await curation.data("{ timeline(status: PLANNED) { edges { node { id status } } } }")
    assert {e["node"]["id"] for e in answer["timeline"]["edges"]} >= {
        EVENT["id"],
        "event:quito-follow-up-2023",
    }


async def test_an_inferred_source_without_a_note_is_refused_everywhere(
    curation: Curation,
) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    bare = {"document": DOC, "quote": QUOTE, "basis": "INFERRED"}
    value = {
        "documents": [],
        "create": [{**EVENT, "id": "event:other-2023", "sources": [bare]}],
        "update": [{"id": EVENT["id"], "description": "x", "sources": [*src(), bare]}],
        "addRelations": [
            {
                "from": "country:mx",
                "type": "ATTENDED",
                "to": EVENT["id"],
                "sources": [bare],
            }
        ],
        "addParticipations": [
            {"participant": "country:pa", "event": EVENT["id"], "sources": [*src(), bare]}
        ],
    }
    found = problems(await curation.error(APPLY, {"input": value}))
    assert set(found) == {
        "input.create.0.sources.0",
        "input.update.0.sources.1",
        "input.addRelations.0.sources.0",
        "input.addParticipations.0.sources.1",
    }, found
    assert all("an inferred source needs a 'note'" in reason for reason in found.values())
    # A claim's sources too, and a status only events have.
    claim = {
        **EVENT,
        "id": "event:third-2023",
        "claims": [{"property": "host", "value": "Ecuador", "sources": [bare]}],
    }
    found = problems(await curation.error(CREATE, {"input": claim}))
    assert list(found) == ["input.claims.0.sources.0"]
    person = {"id": "person:x", "name": "X", "status": "PLANNED", "sources": src()}
    found = problems(await curation.error(CREATE, {"input": person}))
    assert list(found) == ["input.status"]
    assert await snapshot(curation.store) == before


async def test_an_acronym_must_be_one_a_cited_text_uses(curation: Curation) -> None:
    await prepare(curation)
    before = await snapshot(curation.store)
    # "QWM" is in no text; "U.S." is in the report the entity cites.
    value = {**EVENT, "id": "event:other-2023", "aliases": ["QWM", "U.S.", "Quito talks"]}
    found = problems(await curation.error(CREATE, {"input": value}))
    assert list(found) == ["input.aliases"]
    assert "acronym 'QWM'" in found["input.aliases"]
    assert DOC in found["input.aliases"]
    organization = {
        "id": "organization:ministers",
        "name": "Foreign ministers",
        "acronym": "FMQ",
        "sources": src(),
    }
    found = problems(await curation.error(CREATE, {"input": organization}))
    assert list(found) == ["input.acronym"]
    update = {"id": EVENT["id"], "aliases": ["QWM"], "sources": src()}
    found = problems(await curation.error(UPDATE, {"input": update}))
    assert list(found) == ["input.aliases"]
    assert await snapshot(curation.store) == before
    # A text cited only by one of the entity's relations counts.
    other = {**DOCUMENT, "id": "document:qwm-note", "text": "The QWM (Quito working meeting)."}
    await curation.data(ADD_DOCUMENT, {"input": other})
    relation = {
        "from": "country:mx",
        "type": "ATTENDED",
        "to": EVENT["id"],
        "sources": [{"document": "document:qwm-note", "quote": "Quito working meeting"}],
    }
    await curation.data(ADD_RELATION, {"input": relation})
    await curation.data(UPDATE, {"input": update})
    event = (await curation.store.get_nodes([EVENT["id"]]))[EVENT["id"]]
    assert event.aliases == ("QWM",)
