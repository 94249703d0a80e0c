"""Persisted queries as a schema extension: the document a request names by its hash.

:class:`PersistedDocuments` runs first of the endpoint's extensions, before anything is
parsed: it puts the document that :class:`timeline.api.persisted.PersistedQueries` resolves
(APQ's hash, or the trusted documents' manifest) in place of the request's ``query``, or
refuses the request with the persisted-query code (``PERSISTED_QUERY_NOT_FOUND``, …).
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from timeline.api.auth import Caller
from timeline.api.errors import ClientError
from timeline.api.persisted import PersistedQueries, Refusal

__all__ = ["PersistedDocuments", "privileged"]


def privileged(caller: Caller) -> bool:
    """Whether the caller may send documents outside the trusted ones (writers, admins)."""
    return caller.may("write") or caller.may("admin")


class PersistedDocuments(SchemaExtension):
    """Resolves ``extensions.persistedQuery`` (and enforces trusted documents) per operation.

    A refusal is raised as a :class:`~timeline.api.errors.ClientError`, which strawberry
    answers as the operation's only error (``data`` null), with its code.
    """

    def __init__(self, queries: PersistedQueries) -> None:
        self.queries = queries

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        caller = context.context.caller
        document = self.queries.resolve(
            context.query,
            context.operation_extensions,
            privileged(caller),
        )
        if isinstance(document, Refusal):
            raise ClientError(document.code, document.message)
        context.query = document
        yield
