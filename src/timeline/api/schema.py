"""The GraphQL schema, merged from :mod:`timeline.api.graphql`: the public contract
(``tests/contract/schema.graphql``) and a few additions (``claims``, ``series``,
``orgType``, ``agreementType``, ``placeType``, relation ``title``/``start``/``end``,
``Query.stats`` and ``Query.dataVersion``; the research fields
``communities``, ``egoNetwork``, ``officeHolders``, ``entityTimeline``,
``Person.positions(asOf:)`` and ``GraphEdge.sources``).

Types wrap the store's records; resolvers reach data only through the request's loaders
(:mod:`timeline.api.loaders`) or one store call per root field, and argument limits come
from :class:`timeline.config.Settings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from timeline.api.errors import ErrorPolicy, log_errors
from timeline.api.execution import planned_executor
from timeline.api.extensions.response_cache import ValidationCache
from timeline.api.graphql.curation import AuditQuery, Mutation
from timeline.api.graphql.proposals import ProposalMutation, ProposalQuery
from timeline.api.graphql.query import DataQuery, Query
from timeline.api.graphql.research import ResearchQuery
from timeline.api.graphql.types import (
    Agreement,
    Country,
    Document,
    Event,
    Organization,
    Person,
    Place,
)
from timeline.api.scalars import config
from timeline.config import Settings

__all__ = ["build_schema", "sdl"]


# --- the schema --------------------------------------------------------------------------------

_TYPES = [Event, Person, Country, Organization, Agreement, Place, Document]


def _roots() -> dict[str, Any]:
    """The root types, each merged from the modules that contribute fields to it, in the
    order the contract prints them."""
    return {
        "query": merge_types("Query", (Query, ResearchQuery, DataQuery, AuditQuery, ProposalQuery)),
        "mutation": merge_types("Mutation", (Mutation, ProposalMutation)),
    }


class TimelineSchema(strawberry.Schema):
    """The schema, logging every error (with its traceback if unexpected) before masking."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def build_schema(
    settings: Settings | None = None, serving: Sequence[Any] = ()
) -> strawberry.Schema:
    """The served schema, with the request limits of ``settings``; ``serving``: the GraphQL
    endpoint's extensions (``timeline.api.extensions``), which run first."""
    settings = settings or Settings()
    # Each limiter makes its validation rule, a class, when it is made. ValidationCache is
    # keyed on the rules, so they are made once here: a limiter made per request would
    # bring a new class each time, and every request would be validated again.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        *serving,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(limits),
        lambda: ValidationCache(maxsize=256),
        ErrorPolicy,
    ]
    executor = planned_executor() if settings.executor == "planned" else None
    return TimelineSchema(
        **_roots(),
        types=_TYPES,
        extensions=extensions,
        config=config(),
        execution_context_class=executor,
    )


def _bare_schema() -> strawberry.Schema:
    return strawberry.Schema(**_roots(), types=_TYPES, config=config())


def sdl() -> str:
    """The schema in GraphQL SDL, as served."""
    return _bare_schema().as_str()
