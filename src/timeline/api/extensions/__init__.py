"""strawberry schema extensions of the GraphQL endpoint, in the order they run.

1. :class:`~timeline.api.extensions.persisted.PersistedDocuments`: the document a
   persisted query's hash names (APQ, trusted documents);
2. :class:`~timeline.api.extensions.limits.DocumentLimits`: limits on the variables and on
   the parsed document that the schema's own limits cannot check cheaply;
3. :class:`~timeline.api.extensions.response_cache.RequestDeadline`: one deadline for all
   the store calls of an operation;
4. :class:`~timeline.api.extensions.response_cache.ResponseCaching`: held answers, ETags.

They come before the schema's own (:func:`timeline.api.schema.build_schema`: tokens,
parser cache, depth and aliases, validation cache, error masking).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from strawberry.extensions import SchemaExtension

from timeline.api.extensions.limits import DocumentLimits, LimitChecks
from timeline.api.extensions.persisted import PersistedDocuments
from timeline.api.extensions.response_cache import AnswerCache, RequestDeadline, ResponseCaching
from timeline.api.persisted import PersistedQueries
from timeline.config import Settings

__all__ = ["endpoint_extensions"]


def endpoint_extensions(
    settings: Settings, persisted: PersistedQueries, checks: LimitChecks, answers: AnswerCache
) -> list[Callable[[], SchemaExtension]]:
    """The endpoint's extensions (factories: strawberry makes each once per operation)."""
    return [
        functools.partial(PersistedDocuments, persisted),
        functools.partial(DocumentLimits, checks),
        functools.partial(RequestDeadline, settings.request_timeout),
        functools.partial(ResponseCaching, answers),
    ]
