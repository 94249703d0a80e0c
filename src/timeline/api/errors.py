"""What a client sees when a request goes wrong: an actionable message and ``extensions.code``.

========================== ===============================================================
code                       when
========================== ===============================================================
BAD_REQUEST                the HTTP request is not a GraphQL request (bad JSON, a batch, no
                           query, several operations and no ``operationName``): HTTP 400
GRAPHQL_PARSE_FAILED       the query text does not parse (or has too many tokens)
GRAPHQL_VALIDATION_FAILED  unknown field, argument or enum value; query too deep; too many
                           aliases
BAD_USER_INPUT             an argument's value cannot be used: a bad date or cursor, a page
                           size or depth over the limit, a variable of the wrong type
NOT_FOUND                  an id that names no node where one is required
UNAVAILABLE                the data store cannot be reached; try again later
TIMEOUT                    a store call missed its deadline (``store_timeout``, or the
                           operation's ``request_timeout``): the query asked for too much;
                           narrow it
UNAUTHENTICATED            a mutation (or, with ``read_requires_key``, any request) without
                           a valid API key
FORBIDDEN                  a valid API key without the scope the operation needs
CONFLICT                   a curation write raced another one; send it again
INTERNAL_SERVER_ERROR      anything else: the message is masked ("Unexpected error.") and
                           the error is logged with its traceback
========================== ===============================================================
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from timeline.model.dates import DateError
from timeline.services.arguments import API_NAMES, InvalidArgument
from timeline.stores.base import StoreUnavailable, UnknownNode
from timeline.stores.guard import StoreTimeout

__all__ = [
    "BAD_REQUEST",
    "BAD_USER_INPUT",
    "CONFLICT",
    "FORBIDDEN",
    "INTERNAL_SERVER_ERROR",
    "NOT_FOUND",
    "PARSE_FAILED",
    "TIMEOUT",
    "UNAUTHENTICATED",
    "UNAVAILABLE",
    "VALIDATION_FAILED",
    "ClientError",
    "ErrorPolicy",
    "RequestError",
    "ensure_codes",
    "finalize",
    "is_internal",
    "log_errors",
]

logger = logging.getLogger("timeline.api")

BAD_REQUEST = "BAD_REQUEST"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
UNAVAILABLE = "UNAVAILABLE"
TIMEOUT = "TIMEOUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
CONFLICT = "CONFLICT"


class ClientError(Exception):
    """An error written for the client, with its own code and extensions (e.g. the
    ``problems`` of a refused curation write)."""

    def __init__(self, code: str, message: str, extensions: dict[str, object] | None = None):
        super().__init__(message)
        self.code = code
        self.extensions = dict(extensions or {})


class RequestError(ClientError):
    """An error of the whole HTTP request, not of an operation (GraphQL over HTTP's "request
    error"): the view answers it without ``data``, with the status the raiser set."""


UNEXPECTED = "Unexpected error."
UNAVAILABLE_MESSAGE = "The data store is not available right now; please try again later."
TIMEOUT_MESSAGE = (
    "The query took too long; narrow it (a smaller page, fewer ids, a shorter depth or path, "
    "a more specific search) and try again."
)
#: Codes whose message is fixed here: the store's own words may name hosts or internals.
FIXED_MESSAGES = {UNAVAILABLE: UNAVAILABLE_MESSAGE, TIMEOUT: TIMEOUT_MESSAGE}

#: Exceptions whose message is written for the person who sent the request.
USER_ERRORS = (InvalidArgument, DateError, ClientError)


def is_internal(error: GraphQLError) -> bool:
    """True for errors the client must not see: anything not made for them."""
    original = error.original_error
    if original is None:
        # Parse, validation and variable errors have no path; a null in a non-null field
        # (a bug) has one.
        return error.path is not None
    return not isinstance(
        original, (*USER_ERRORS, UnknownNode, StoreUnavailable, StoreTimeout, GraphQLError)
    )


def _code(error: GraphQLError, validation_errors: frozenset[int]) -> str:
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError) or isinstance(original, GraphQLSyntaxError):
        return PARSE_FAILED
    if isinstance(original, UnknownNode):
        return NOT_FOUND
    if isinstance(original, StoreUnavailable):
        return UNAVAILABLE
    if isinstance(original, StoreTimeout):
        return TIMEOUT
    if isinstance(original, ClientError):
        return original.code
    if isinstance(original, USER_ERRORS):
        return BAD_USER_INPUT
    if id(error) in validation_errors:
        return VALIDATION_FAILED
    return BAD_USER_INPUT  # variable values that do not coerce, and the like


def _own_extensions(error: GraphQLError) -> dict[str, object]:
    original = error.original_error
    return original.extensions if isinstance(original, ClientError) else {}


def log_errors(errors: list[GraphQLError]) -> None:
    """Log each error before it is masked: internal ones with their traceback."""
    for error in errors:
        where = ".".join(str(p) for p in error.path) if error.path else "(operation)"
        if is_internal(error):
            logger.error(
                "Unexpected error at %s: %s", where, error.message, exc_info=error.original_error
            )
        elif isinstance(error.original_error, StoreUnavailable):
            logger.warning("Store unavailable at %s: %s", where, error.original_error)
        elif isinstance(error.original_error, StoreTimeout):
            logger.warning("Store timeout at %s: %s", where, error.original_error)
        else:
            logger.debug("Request error at %s: %s", where, error.message)


def finalize(error: GraphQLError, validation_errors: frozenset[int] = frozenset()) -> GraphQLError:
    """The error as the client sees it: masked if internal, else with its code."""
    if is_internal(error):
        return GraphQLError(
            UNEXPECTED,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": INTERNAL_SERVER_ERROR},
        )
    code = _code(error, validation_errors)
    return GraphQLError(
        FIXED_MESSAGES.get(code, _message(error)),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), **_own_extensions(error), "code": code},
    )


def _message(error: GraphQLError) -> str:
    """The message, naming the services' arguments as the API does (``from``, ``minWeight``)."""
    original = error.original_error
    return original.spelled(API_NAMES) if isinstance(original, InvalidArgument) else error.message


def ensure_codes(errors: list[GraphQLError]) -> list[GraphQLError]:
    """A last check before a response is written: every error has a code, none leaks.

    Errors raised outside the extensions' reach (a syntax error from the parser cache)
    get theirs here."""
    return [error if (error.extensions or {}).get("code") else finalize(error) for error in errors]


class ErrorPolicy(SchemaExtension):
    """Masks internal errors as strawberry's ``MaskErrors`` does (on the operation's way
    out), and gives every error it lets through an ``extensions.code``: validation errors
    are told apart by being the validation step's (``on_validate``)."""

    def __init__(self) -> None:
        self._validation_errors: frozenset[int] = frozenset()

    def on_validate(self) -> Iterator[None]:
        yield
        errors = self.execution_context.pre_execution_errors or []
        self._validation_errors = frozenset(id(error) for error in errors)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [finalize(error, self._validation_errors) for error in errors]
