"""How the schema declares its fields: the request's ``Info``, :func:`field`, :func:`mutation`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import strawberry
from strawberry.permission import BasePermission

from timeline.api.loaders import Context

Info = strawberry.Info[Context, None]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def field(
    *,
    name: str | None = None,
    description: str | None = None,
    permission_classes: Sequence[type[BasePermission]] = (),
) -> Callable[[F], F]:
    """``strawberry.field`` as a typed decorator (its keyword-only form is typed ``Any``);
    ``permission_classes`` are the scopes the caller needs (``api/graphql/permissions.py``)."""
    decorator: Callable[[F], F] = strawberry.field(
        name=name, description=description, permission_classes=list(permission_classes)
    )
    return decorator


def mutation(
    *,
    name: str | None = None,
    description: str | None = None,
    permission_classes: Sequence[type[BasePermission]] = (),
) -> Callable[[F], F]:
    """``strawberry.mutation`` as a typed decorator (its keyword-only form is typed ``Any``);
    ``permission_classes`` as for :func:`field`."""
    decorator: Callable[[F], F] = strawberry.mutation(
        name=name, description=description, permission_classes=list(permission_classes)
    )
    return decorator
