"""The ASGI application: GraphQL at ``/graphql``, ``/healthz`` and ``/readyz``.

``timeline serve`` runs :func:`create_app` as a uvicorn factory. Without a ``store`` the app
opens one from its settings when it starts (memory: the seed folder, validated and loaded;
neo4j: a driver, even if Neo4j is down, in which case ``/readyz`` says so) and closes it on
shutdown. A store passed in (tests, embedding) is used as is and left open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from timeline.api.errors import UNAVAILABLE, ensure_codes
from timeline.api.loaders import Context
from timeline.api.pages import page_routes
from timeline.api.schema import build_schema
from timeline.config import Settings
from timeline.model.seeds import load_seeds
from timeline.stores import open_store
from timeline.stores.base import Store, StoreUnavailable

__all__ = ["create_app"]

logger = logging.getLogger("timeline.api")

_GRAPHIQL_PAGE = (resources.files("timeline.api") / "templates" / "graphiql.html").read_text()
_GRAPHIQL_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; frame-ancestors 'none'"
)
_HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 503: UNAVAILABLE}


@dataclass
class Runtime:
    """What the app serves from: its settings and, once open, its store."""

    settings: Settings
    store: Store | None = None


async def open_configured_store(settings: Settings) -> Store:
    """The store the settings name, ready to serve (memory) or connecting (neo4j)."""
    if settings.backend == "memory":
        dataset = await asyncio.to_thread(load_seeds, settings.seeds, settings.corpus)
        store = open_store("memory")
        await store.load(dataset)
        counts = dataset.counts()
        logger.info(
            "memory store loaded from %s: %d events, %d relations",
            settings.seeds,
            counts["event"],
            counts["relation"],
        )
        return store
    store = open_store("neo4j", **settings.neo4j_options())
    try:
        await store.ping()
        logger.info("neo4j store at %s is reachable", settings.neo4j_uri)
    except StoreUnavailable as exc:
        logger.warning("neo4j store not reachable yet (/readyz will say so): %s", exc)
    return store


class GraphQLEndpoint(GraphQL[Context, None]):
    """strawberry's ASGI view, with a per-request context and JSON errors for HTTP refusals."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(build_schema(runtime.settings), graphql_ide="graphiql")
        self.runtime = runtime

    async def render_graphql_ide(self, request: Request) -> Response:
        # strawberry's page loads GraphiQL from a CDN; ours serves the copies `make assets`
        # bundles from npm.
        return HTMLResponse(_GRAPHIQL_PAGE, headers={"Content-Security-Policy": _GRAPHIQL_CSP})

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        store = self.runtime.store
        if store is None:
            raise HTTPException(503, "The data store is not open yet; please try again later.")
        return Context(
            store=store, settings=self.runtime.settings, request=request, response=response
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = self.refusal(exc)
        await response(scope, receive, send)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # strawberry expects an object (or a list, for batches) and fails on anything else.
        if (
            request.method == "POST"
            and "json" in (request.content_type or "")
            and not isinstance(self.parse_json(await request.get_body()), (dict, list))
        ):
            raise HTTPException(
                400, 'The request body must be a JSON object: {"query": "...", "variables": {}}'
            )
        return await super().parse_http_body(request)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = ensure_codes(result.errors)
        return await super().process_result(request, result)

    @staticmethod
    def refusal(exc: HTTPException) -> Response:
        """A GraphQL-shaped JSON error for a request refused before execution."""
        status, headers = exc.status_code, {}
        if isinstance(exc.__cause__, InvalidOperationTypeError):
            # GraphQL over HTTP: a mutation sent with GET is 405, with the method to use.
            status, headers = 405, {"Allow": "POST"}
        code = _HTTP_CODES.get(status, "BAD_REQUEST")
        body = {"errors": [{"message": exc.reason, "extensions": {"code": code}}]}
        return JSONResponse(body, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    """The application. Without arguments, settings come from the environment (``TIMELINE_*``)."""
    settings = settings or Settings()
    _configure_logging(settings)
    runtime = Runtime(settings=settings, store=store)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        current = runtime.store
        if current is None:
            return _not_ready("the store is not open")
        try:
            await current.ping()
        except StoreUnavailable as exc:
            return _not_ready(str(exc))
        except Exception:
            logger.exception("readiness check failed")
            return _not_ready("the store check failed unexpectedly")
        return JSONResponse({"status": "ready", "backend": current.name})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = None
        if runtime.store is None:
            runtime.store = opened = await open_configured_store(settings)
        try:
            yield
        finally:
            if opened is not None:
                runtime.store = None
                await opened.close()

    app = Starlette(
        routes=[
            Route("/graphql", GraphQLEndpoint(runtime)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *page_routes(runtime),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                max_age=600,
            ),
            Middleware(GZipMiddleware, minimum_size=1000),
        ],
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app


def _not_ready(reason: str) -> Response:
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)


def _configure_logging(settings: Settings) -> None:
    """Give timeline's loggers the configured level, and a handler if nobody set one up."""
    package = logging.getLogger("timeline")
    package.setLevel(settings.log_level.upper())
    if not package.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        package.addHandler(handler)
