"""The schema migrations (numbered ``*.cypher`` files) and how their statements are read."""

from __future__ import annotations

import pathlib

#: The numbered ``*.cypher`` migrations (in the repository, next to the launcher).
SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[4] / "graph" / "schema"


def statements(text: str) -> list[str]:
    """The statements of a migration file: ``;``-terminated, ``//`` comment lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
