"""The documentation says what the code does."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from timeline.model.ids import ENTITY_KINDS
from timeline.model.records import RELATION_TYPES

ROW = re.compile(r"^\| `([A-Z_]+)` \| (.+?) → (.+?) \|", re.MULTILINE)
ALL = {kind.value for kind in ENTITY_KINDS}


def _kinds(cell: str) -> set[str]:
    if cell.strip() in ("any", "any entity"):
        return ALL
    return {part.strip() for part in cell.split(",")}


def test_relation_table_matches_the_relation_catalogue() -> None:
    text = (ROOT / "docs" / "data-model.md").read_text()
    documented = {t: (_kinds(s), _kinds(o)) for t, s, o in ROW.findall(text)}
    assert set(documented) == set(RELATION_TYPES)
    for name, kinds in RELATION_TYPES.items():
        subjects = {k.value for k in kinds.subjects}
        objects = {k.value for k in kinds.objects}
        assert documented[name] == (subjects, objects), name
