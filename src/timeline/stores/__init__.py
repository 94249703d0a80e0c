"""Stores: one interface (:class:`~timeline.stores.base.Store`), one module per backend."""

from __future__ import annotations

from typing import Any

from timeline.stores.base import Store, StoreError, StoreUnavailable, UnknownNode

__all__ = ["BACKENDS", "Store", "StoreError", "StoreUnavailable", "UnknownNode", "open_store"]

BACKENDS = ("memory", "neo4j")


def open_store(backend: str = "memory", **options: Any) -> Store:
    """A store for ``backend``: ``memory`` (embedded, empty until loaded) or ``neo4j``.

    Options for neo4j: ``uri``, ``user``, ``password``, ``database`` (see
    :class:`timeline.stores.neo4j.Neo4jStore`).
    """
    if backend == "memory":
        from timeline.stores.memory import MemoryStore

        return MemoryStore()
    if backend == "neo4j":
        from timeline.stores.neo4j import Neo4jStore

        return Neo4jStore(**options)
    raise ValueError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
