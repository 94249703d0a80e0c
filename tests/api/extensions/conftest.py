"""A tiny schema and real request objects for the endpoint's extensions, run one by one
through ``Schema.execute`` (the way strawberry's own extension tests do)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message

from timeline.api.auth import ANONYMOUS, Caller
from timeline.api.errors import ErrorPolicy
from timeline.api.extensions.response_cache import ValidationCache
from timeline.stores.base import Store


@dataclass
class Calls:
    count: int = 0


@dataclass
class Ctx:
    """What the extensions read from ``info.context``."""

    store: Store | None
    request: Request
    response: Response = field(default_factory=Response)
    caller: Caller = ANONYMOUS
    calls: Calls = field(default_factory=Calls)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, info: strawberry.Info[Ctx, None], name: str = "world") -> str:
        info.context.calls.count += 1
        return f"hello {name}"

    @strawberry.field
    def proposals(self, info: strawberry.Info[Ctx, None]) -> int:
        info.context.calls.count += 1
        return 1

    @strawberry.field
    def fails(self) -> str:
        raise ValueError("no")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def poke(self, info: strawberry.Info[Ctx, None]) -> int:
        info.context.calls.count += 1
        return info.context.calls.count


def schema(front: Sequence[Callable[[], Any]]) -> strawberry.Schema:
    """The tiny schema with ``front`` first, then the served schema's caches and policy."""
    from strawberry.extensions import ParserCache

    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[*front, lambda: ParserCache(maxsize=16), ValidationCache, ErrorPolicy],
    )


def request(
    method: str = "POST",
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    query_string: str = "",
) -> Request:
    raw = json.dumps(body or {}).encode()
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    scope = {
        "type": "http",
        "method": method,
        "path": "/graphql",
        "query_string": query_string.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    return Request(scope, receive)


def code(error: Any) -> str | None:
    """The error's code: from its extensions, or the ClientError it came from."""
    found = (error.extensions or {}).get("code")
    return found or getattr(error.original_error, "code", None)
