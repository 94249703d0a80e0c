"""Argument limits of the GraphQL fields, from :class:`timeline.config.Settings`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import strawberry

from timeline.api.graphql.enums import EntityKind
from timeline.api.graphql.fields import Info, T
from timeline.config import Settings
from timeline.model.ids import Kind
from timeline.services.arguments import InvalidArgument

SUBGRAPH_PAGES = 10


def kinds_of(kinds: Iterable[EntityKind] | None) -> set[Kind] | None:
    return {k.kind for k in kinds} if kinds else None


# --- argument limits -------------------------------------------------------------------------


def settings_of(info: Info) -> Settings:
    return info.context.settings


def page_size(value: int | None, default: int, limit: int, name: str = "first") -> int:
    """A page size: the default (at most the limit) for null, else 0..limit or an error."""
    if value is None:
        return min(default, limit)
    if not 0 <= value <= limit:
        raise InvalidArgument(f"{name} must be between 0 and {limit}, got {value}")
    return value


def bounded(value: int | None, default: int, low: int, high: int, name: str) -> int:
    if value is None:
        return default
    if not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high}, got {value}")
    return value


def id_list(values: Sequence[str] | None, limit: int, name: str) -> list[str]:
    values = list(dict.fromkeys(values or ()))
    if len(values) > limit:
        raise InvalidArgument(f"{name} may list at most {limit} values, got {len(values)}")
    return values


def given(value: T | None) -> T | None:
    """None for an optional argument left out (UNSET) or given as null."""
    return None if value is strawberry.UNSET else value
