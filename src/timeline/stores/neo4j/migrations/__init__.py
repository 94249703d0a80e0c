"""The schema migrations: the numbered ``NNN_name.cypher`` files of this package.

They are package data, read with :mod:`importlib.resources`, so an installed wheel migrates
a database as a checkout does (``timeline migrate``). Each file is applied once, in name
order, and recorded on a ``(:Migration {name})`` node (:meth:`Neo4jStore.migrate`).

>>> [m.name for m in migrations()][:2]
['001_constraints.cypher', '002_event_indexes.cypher']
>>> statements("// a comment\\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\\n")
['CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)']
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["MIGRATIONS", "migrations", "statements"]

#: Where the migrations are: this package's own files.
MIGRATIONS: Traversable = resources.files(__name__)


def migrations(where: Traversable = MIGRATIONS) -> list[Traversable]:
    """The ``*.cypher`` files in ``where``, in the order they apply."""
    files: Iterable[Traversable] = where.iterdir() if where.is_dir() else ()
    return sorted((f for f in files if f.name.endswith(".cypher")), key=lambda f: f.name)


def statements(text: str) -> list[str]:
    """The statements of a migration file: ``;``-terminated, ``//`` comment lines dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
