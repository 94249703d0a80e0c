"""The served schema keeps the public contract (tests/contract/schema.graphql) whole."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from graphql import build_schema
from graphql.utilities import (
    DangerousChangeType,
    find_breaking_changes,
    find_dangerous_changes,
)

from timeline.api.schema import sdl
from timeline.cli import main

CONTRACT = Path(__file__).resolve().parent / "contract" / "schema.graphql"


def test_no_breaking_changes_against_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    served = build_schema(sdl())
    assert find_breaking_changes(contract, served) == []
    # The contract allows new optional arguments (e.g. Person.positions(asOf:)); any other
    # dangerous change (a changed default, a new enum value or interface) is refused.
    dangerous = [
        change
        for change in find_dangerous_changes(contract, served)
        if change.type is not DangerousChangeType.OPTIONAL_ARG_ADDED
    ]
    assert dangerous == []


def test_every_contract_type_and_field_is_served() -> None:
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    served = build_schema(sdl())
    for name, contract_type in contract.type_map.items():
        if name.startswith("__"):
            continue
        assert name in served.type_map, name
        fields = getattr(contract_type, "fields", None) or {}
        assert set(fields) <= set(getattr(served.type_map[name], "fields", {})), name


def test_timeline_schema_prints_the_sdl() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.output == sdl() + "\n"
    assert "type Query {" in result.output and "scalar Date" in result.output
