"""How the schema declares its fields: the request's ``Info``, :func:`field`, :func:`mutation`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from timeline.api.loaders import Context

Info = strawberry.Info[Context, None]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def field(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]:
    """``strawberry.field`` as a typed decorator (its keyword-only form is typed ``Any``)."""
    decorator: Callable[[F], F] = strawberry.field(name=name, description=description)
    return decorator


def mutation(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]:
    """``strawberry.mutation`` as a typed decorator (its keyword-only form is typed ``Any``)."""
    decorator: Callable[[F], F] = strawberry.mutation(name=name, description=description)
    return decorator
