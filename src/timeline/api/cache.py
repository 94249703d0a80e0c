"""A per-worker cache of GraphQL answers, keyed on the data version.

An answer to a query (not a mutation) is a pure function of the document, the operation,
the variables and the data. The data has a version (``Store.data_version()``) that changes
on every load and every curation write, so an answer cached under (version, document,
operation, variables) is right for as long as the version is current. Each request reads
the version first (on Neo4j one small query on ``Meta``, in every worker: writes made
through another worker or by ``timeline load`` are seen at once) and, on a hit, answers
without validating or resolving anything (the schema extension
:mod:`timeline.api.extensions.response_cache` does the lookup).

Only complete answers are kept: one with any error (a timeout, a bad argument) is not.
The cache holds at most ``size`` answers (least recently used first out); 0 turns it off.
Answers hold no per-caller data (who may read is decided before a request gets here), so
one cache serves every caller.

>>> cache = ResponseCache(size=2)
>>> key = cache.key("v1", "{ dataVersion }", None, None)
>>> cache.get(key) is None
True
>>> cache.put(key, {"dataVersion": "v1"})
>>> cache.get(key)
{'dataVersion': 'v1'}
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

__all__ = ["Key", "ResponseCache"]

Key = tuple[str, str, str | None, str]


class ResponseCache:
    """At most ``size`` answers (the ``data`` of complete results), least recently used out."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError(f"size must not be negative, got {size}")
        self.size = size
        self._answers: OrderedDict[Key, Any] = OrderedDict()
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def __len__(self) -> int:
        return len(self._answers)

    @staticmethod
    def key(
        version: str, query: str, operation: str | None, variables: Mapping[str, Any] | None
    ) -> Key:
        """The key of one request: variables in a canonical form (key order ignored)."""
        canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        return version, query, operation, canonical

    def get(self, key: Key) -> Any | None:
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: Key, answer: Any) -> None:
        if not self.enabled or answer is None:
            return
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
