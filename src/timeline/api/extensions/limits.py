"""Limits on what a GraphQL document may ask for, checked on its syntax tree.

:func:`document_problem` and :func:`variables_problem` check a parsed GraphQL request for
what the schema's own limits cannot see cheaply (:class:`DocumentLimits` runs them between
parsing and validation):

- ``max_selections``: fields selected once fragments are expanded. Fragments spread twice
  in each of N nested fragments select 2^N fields; strawberry's depth and alias limiters walk
  that expansion, exponentially. Counted here in time linear in the document.
- :data:`MAX_NESTING`: selection sets, inline fragments and fragment spreads nested, once
  fragments are expanded; deeper nesting would exhaust Python's stack in the limiters.
- ``max_string_length``: the longest string value, in the query text or in the variables
  (a 100 kB search text costs seconds of fuzzy matching); and strings in variables must be
  valid Unicode (JSON can carry lone surrogates, which no UTF-8 encoder takes).
- fragment spreads must name a fragment of the document, and selection sets must not be
  empty (``{ }``): strawberry's depth limiter fails on either (``KeyError``, ``max()`` of
  nothing), which would surface as an internal error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
)
from strawberry.extensions import SchemaExtension

from timeline.api.auth import Caller
from timeline.api.errors import BAD_REQUEST, ClientError, RequestError
from timeline.api.extensions.memo import TextMemo
from timeline.config import Settings

__all__ = [
    "MAX_NESTING",
    "DocumentLimits",
    "LimitChecks",
    "Problem",
    "document_problem",
    "variables_problem",
]

logger = logging.getLogger("timeline.api")

#: Most selection sets, inline fragments and fragment spreads nested in one query, with its
#: fragments expanded. The served schema's deepest honest query (the introspection query)
#: nests about 20.
MAX_NESTING = 64


@dataclass(frozen=True)
class Problem:
    """Why a request is refused before execution: a message and its ``extensions.code``."""

    message: str
    code: str


def _children(node: Node) -> Iterator[Node]:
    for key in node.keys:
        value = getattr(node, key, None)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, Node))


@dataclass
class _Shape:
    """A selection set's own size and nesting, and the fragments it spreads (and where)."""

    fields: int = 0
    nesting: int = 0
    #: (fragment name, nesting at which it is spread) for every spread, repeats included.
    spreads: list[tuple[str, int]] | None = None


def _shape(selection_set: SelectionSetNode) -> _Shape:
    shape = _Shape(spreads=[])
    stack: list[tuple[SelectionSetNode, int]] = [(selection_set, 1)]
    while stack:
        current, level = stack.pop()
        shape.nesting = max(shape.nesting, level)
        for selection in current.selections:
            if isinstance(selection, FieldNode):
                shape.fields += 1
                if selection.selection_set is not None:
                    stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level + 1))
            elif isinstance(selection, FragmentSpreadNode):
                assert shape.spreads is not None
                shape.spreads.append((selection.name.value, level + 1))
    return shape


def _expanded(document: DocumentNode) -> tuple[int, int]:
    """(fields selected, deepest nesting) of every operation, fragments expanded.

    Linear in the document: each fragment is measured once (bottom-up, in an order found
    without recursion). Cyclic and unknown fragments count as empty; validation reports them.
    """
    fragments = {
        d.name.value: _shape(d.selection_set)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, tuple[int, int]] = {}
    state: dict[str, int] = {}  # 1: being measured, 2: done

    def measure(shape: _Shape) -> tuple[int, int]:
        fields, nesting = shape.fields, shape.nesting
        for name, level in shape.spreads or ():
            inner_fields, inner_nesting = sizes.get(name, (0, 0))
            fields += inner_fields
            nesting = max(nesting, level + inner_nesting)
        return fields, nesting

    for root in fragments:
        if state.get(root):
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if children_done:
                sizes[name] = measure(fragments[name])
                state[name] = 2
                continue
            if state.get(name):
                continue  # done, or on the current path (a cycle)
            state[name] = 1
            stack.append((name, True))
            for spread, _ in fragments[name].spreads or ():
                if spread in fragments and not state.get(spread):
                    stack.append((spread, False))
    fields, nesting = 0, 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            op_fields, op_nesting = measure(_shape(definition.selection_set))
            fields += op_fields
            nesting = max(nesting, op_nesting)
    return fields, nesting


def _too_long(length: int, limit: int) -> Problem:
    return Problem(
        f"string values may be at most {limit} characters long, got one of {length}",
        "BAD_USER_INPUT",
    )


def document_problem(document: DocumentNode, settings: Settings) -> Problem | None:
    """Why this parsed query must not run, or None."""
    limit = settings.max_string_length
    fragments = {
        d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    stack: list[Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, StringValueNode) and len(node.value) > limit:
            return _too_long(len(node.value), limit)
        if isinstance(node, SelectionSetNode) and not node.selections:
            # The spec's grammar wants at least one selection; graphql-core's parser lets
            # "{ }" through, and strawberry's depth limiter then fails on it.
            return Problem(
                "Syntax Error: a selection set must select at least one field.",
                "GRAPHQL_PARSE_FAILED",
            )
        if isinstance(node, FragmentSpreadNode) and node.name.value not in fragments:
            # Validation would say so too, but strawberry's depth limiter fails on it first.
            return Problem(f"Unknown fragment '{node.name.value}'.", "GRAPHQL_VALIDATION_FAILED")
        stack.extend(_children(node))
    fields, nesting = _expanded(document)
    if nesting > MAX_NESTING:
        return Problem(
            f"the query nests selections and fragments {nesting} deep, more than {MAX_NESTING}",
            "GRAPHQL_VALIDATION_FAILED",
        )
    if fields > settings.max_selections:
        return Problem(
            f"the query selects {fields} fields once its fragments are expanded, more than "
            f"{settings.max_selections}",
            "GRAPHQL_VALIDATION_FAILED",
        )
    return None


def _is_unicode(value: str) -> bool:
    """False for a string holding lone surrogates (JSON can say "\\ud800"; UTF-8 cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def variables_problem(variables: dict[str, Any] | None, settings: Settings) -> Problem | None:
    """Why these variables must not be used, or None: a string in them is too long, or not
    Unicode that UTF-8 (and so a database driver) can carry."""
    limit = settings.max_string_length
    stack: list[Any] = [variables or {}]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if len(value) > limit:
                return _too_long(len(value), limit)
            if not _is_unicode(value):
                return Problem(
                    "string values must be valid Unicode (this one has a lone surrogate)",
                    "BAD_USER_INPUT",
                )
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


# --- the schema extension ----------------------------------------------------------------------

#: Refused when a document defines several operations and the request names none.
NO_OPERATION_NAME = "Must provide operation name if query contains multiple operations."


class LimitChecks:
    """What every operation's :class:`DocumentLimits` shares: the limits, and what they
    found in the query texts seen last."""

    def __init__(self, settings: Settings, writer_settings: Settings | None = None) -> None:
        self.settings = settings
        #: Curation writers may send longer strings (``max_document_chars``).
        self.writer_settings = writer_settings or settings
        self.found: TextMemo[tuple[Problem | None, int]] = TextMemo()

    def limits_for(self, caller: Caller) -> Settings:
        """The limits that hold for this caller's variables."""
        return self.writer_settings if caller.may("write") else self.settings

    def document(self, query: str, document: DocumentNode) -> tuple[Problem | None, int]:
        """The problem of this document, if any, and how many operations it defines."""

        def check() -> tuple[Problem | None, int]:
            operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
            return document_problem(document, self.settings), operations

        return self.found.get(query, check)


class DocumentLimits(SchemaExtension):
    """The limits above, on every operation: the variables before anything is parsed, the
    document once parsed and before it is validated (strawberry's depth and alias limiters
    are validation rules, and would fail on what this refuses). Also the GraphQL-over-HTTP
    rule that a document of several operations needs an ``operationName`` (strawberry would
    run the first one): refused as a request error, HTTP 400 without ``data``.
    """

    def __init__(self, checks: LimitChecks) -> None:
        self.checks = checks

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        limits = self.checks.limits_for(context.context.caller)
        problem = variables_problem(context.variables, limits)
        if problem is not None:
            logger.debug("Request refused before execution: %s", problem.message)
            raise ClientError(problem.code, problem.message)
        yield

    async def on_parse(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        document, query = context.graphql_document, context.query
        if document is None or not isinstance(query, str):
            return
        problem, operations = self.checks.document(query, document)
        if operations > 1 and not await _sent_operation_name(context.context.request):
            context.context.response.status_code = 400
            raise RequestError(BAD_REQUEST, NO_OPERATION_NAME)
        if problem is not None:
            logger.debug("Request refused before execution: %s", problem.message)
            raise ClientError(problem.code, problem.message)


async def _sent_operation_name(request: Any) -> Any:
    """The ``operationName`` the request carries, as sent (strawberry's execution context
    gives the first operation's name when none was sent)."""
    if request.method == "GET":
        return request.query_params.get("operationName")
    try:
        body = json.loads(await request.body())
    except ValueError:
        return None
    return body.get("operationName") if isinstance(body, dict) else None
