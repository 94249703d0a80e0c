"""Persisted queries: Apollo's automatic persisted queries (APQ) and trusted documents.

**APQ** (``extensions.persistedQuery``, over GET and POST, as Apollo Client's
``createPersistedQueryLink`` sends it): a request may carry only the SHA-256 of its
document, ``{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}``.
A hash the worker knows runs its document; an unknown one answers the error
``PersistedQueryNotFound`` (code ``PERSISTED_QUERY_NOT_FOUND``), and the client sends the
hash again with the document, which is checked (``sha256(query) == hash``, else
``PERSISTED_QUERY_HASH_MISMATCH``) and kept (each worker keeps ``persisted_queries_size``
documents, least recently used out). A GET with only the hash is a short URL that a CDN
can cache (``timeline.api.httpcache``).

**Trusted documents** (``trusted_documents``: a manifest of the documents the clients
were built with): only those run. A hash must be in the manifest (else
``PERSISTED_QUERY_NOT_IN_LIST``), a document sent as text must be one of them (else
``QUERY_NOT_IN_SAFELIST``), and APQ registration is off. Callers with a ``write`` or
``admin`` key (curators, operators) may still send any document. The manifest is Apollo's
persisted query manifest (``{"format": "apollo-persisted-query-manifest", "version": 1,
"operations": [{"id": "<sha256>", "body": "...", "name": "...", "type": "query"}]}``, as
``generate-persisted-query-manifest`` writes it) or a JSON object ``{"<sha256>": "body"}``;
every id is checked against its body when the server starts.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "HASH_MISMATCH",
    "NOT_FOUND",
    "NOT_IN_LIST",
    "NOT_IN_SAFELIST",
    "PersistedQueries",
    "Refusal",
    "load_manifest",
    "sha256",
]

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"
UNSUPPORTED_VERSION = "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request's document is not run: an error message and code."""

    message: str
    code: str


def load_manifest(path: Path) -> dict[str, str]:
    """The documents of a trusted-documents manifest, by SHA-256; ValueError if the file
    is not one or an id is not its body's hash."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"trusted documents manifest {path}: {exc}") from None
    pairs: list[tuple[Any, Any]]
    if isinstance(raw, dict) and isinstance(raw.get("operations"), list):
        pairs = [
            (op.get("id"), op.get("body")) if isinstance(op, dict) else (None, None)
            for op in raw["operations"]
        ]
    elif isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        raise ValueError(f"trusted documents manifest {path}: not a JSON object")
    documents: dict[str, str] = {}
    for index, (key, body) in enumerate(pairs):
        if not isinstance(key, str) or not isinstance(body, str):
            raise ValueError(f"trusted documents manifest {path}: entry {index} has no id or body")
        if sha256(body) != key.lower():
            raise ValueError(
                f"trusted documents manifest {path}: entry {index}: {key} is not the SHA-256 "
                "of its body"
            )
        documents[key.lower()] = body
    return documents


class PersistedQueries:
    """Resolves a request's document from its hash (APQ), and enforces trusted documents."""

    def __init__(self, size: int, trusted: dict[str, str] | None = None) -> None:
        self.size = size
        self.trusted = trusted
        self._known: OrderedDict[str, str] = OrderedDict()

    def resolve(
        self, query: str | None, extensions: dict[str, Any] | None, privileged: bool
    ) -> str | Refusal | None:
        """The document to run: ``query``, or the one its hash names; a :class:`Refusal`;
        None if the request names none (the schema then says the query is missing)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if query is None or self.trusted is None or privileged:
                return query
            if sha256(query) in self.trusted:
                return query
            return Refusal(
                "Only the documents this service trusts may be sent (trusted documents): "
                "send a persisted query hash from its manifest.",
                NOT_IN_SAFELIST,
            )
        if not isinstance(persisted, dict):
            return Refusal("extensions.persistedQuery must be an object.", "BAD_REQUEST")
        if persisted.get("version", 1) != 1:
            return Refusal("Only version 1 of persisted queries is supported.", UNSUPPORTED_VERSION)
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or len(digest) != 64:
            return Refusal(
                "extensions.persistedQuery.sha256Hash must be a SHA-256 in hex.", "BAD_REQUEST"
            )
        digest = digest.lower()
        if query is not None:
            if sha256(query) != digest:
                return Refusal("provided sha does not match query", HASH_MISMATCH)
            if self.trusted is not None and digest not in self.trusted and not privileged:
                return Refusal(
                    "This document is not one this service trusts (trusted documents).",
                    NOT_IN_SAFELIST,
                )
            self._remember(digest, query)
            return query
        if self.trusted is not None and digest in self.trusted:
            return self.trusted[digest]
        known = self._known.get(digest)
        if known is not None:
            self._known.move_to_end(digest)
            return known
        if self.trusted is not None:
            return Refusal(
                "No document with this hash is in this service's trusted documents.", NOT_IN_LIST
            )
        return Refusal("PersistedQueryNotFound", NOT_FOUND)

    def _remember(self, digest: str, query: str) -> None:
        if self.size <= 0 or self.trusted is not None:
            return
        self._known[digest] = query
        self._known.move_to_end(digest)
        while len(self._known) > self.size:
            self._known.popitem(last=False)
