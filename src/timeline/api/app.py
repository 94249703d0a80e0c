"""The ASGI application: GraphQL at ``/graphql``, ``/healthz`` and ``/readyz``.

``timeline serve`` runs :func:`create_app` as a uvicorn factory. Without a ``store`` the app
opens one from its settings when it starts (memory: the seed folder, validated and loaded;
neo4j: a driver, even if Neo4j is down, in which case ``/readyz`` says so) and closes it on
shutdown. A store passed in (tests, embedding) is used as is and left open. Either way the
app serves it through :class:`~timeline.stores.guard.GuardedStore`, a deadline on every call
(``store_timeout``), and all the calls of one GraphQL operation share one more
(``request_timeout``); in front of everything, :class:`~timeline.api.middleware.RequestGuard`
rate-limits clients and bounds request bodies (docs/security.md).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import jinja2
from cross_web import HTTPException
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
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from timeline.api.auth import authentication, caller_of
from timeline.api.cache import ResponseCache
from timeline.api.encoding import encode_answer
from timeline.api.errors import UNAVAILABLE, RequestError, ensure_codes
from timeline.api.exports import export_routes
from timeline.api.extensions import endpoint_extensions
from timeline.api.extensions.limits import LimitChecks
from timeline.api.extensions.response_cache import AnswerCache, HeldAnswers
from timeline.api.httpcache import STALE_HEADER, CachePolicy, etag_matches
from timeline.api.loaders import Context
from timeline.api.middleware import RequestGuard
from timeline.api.pages import page_routes, reader_formatter
from timeline.api.persisted import PersistedQueries, load_manifest
from timeline.api.runtime import Runtime
from timeline.api.schema import build_schema
from timeline.config import Settings
from timeline.model.seeds import load_seeds
from timeline.services.curation import Curator
from timeline.stores import consistency, open_store
from timeline.stores.base import Store, StoreUnavailable
from timeline.stores.guard import GuardedStore, StoreTimeout
from timeline.stores.journal import JournaledStore

__all__ = ["create_app"]

logger = logging.getLogger("timeline.api")

_GRAPHIQL_PAGE = jinja2.Template(
    (resources.files("timeline.api") / "templates" / "graphiql.html").read_text(), autoescape=True
)
_GRAPHIQL_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; frame-ancestors 'none'"
)
_HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 503: UNAVAILABLE}
_BAD_JSON = "Unable to parse request body as JSON"
#: A write's bookmark, handed back by mutations and honoured on any request.
BOOKMARK_HEADER = "X-Timeline-Bookmark"
#: The GraphQL-over-HTTP media type, for clients that accept it.
GRAPHQL_RESPONSE = "application/graphql-response+json"
_NO_BATCHES = (
    "Batched requests (a JSON array of operations) are not accepted; "
    "send one operation per request."
)


async def open_configured_store(settings: Settings) -> Store:
    """The store the settings name, ready to serve (memory) or connecting (neo4j)."""
    if settings.backend == "memory":
        dataset = await asyncio.to_thread(load_seeds, settings.seeds, settings.corpus)
        if settings.journal_enabled:
            journaled = JournaledStore(settings.journal_path(), dataset)
            await journaled.open()
            store: Store = journaled
        else:
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
    """strawberry's ASGI view, with a per-request context and JSON errors for HTTP refusals.

    What happens to an operation is the schema extensions' (``timeline.api.extensions``:
    persisted documents, document limits, the request deadline, the response cache); the
    view overrides only strawberry's hooks: ``get_context``, ``decode_json``,
    ``process_result``, ``encode_json`` (orjson), ``render_graphql_ide`` and
    ``should_render_graphql_ide``, plus the ASGI entry for what is HTTP's (bookmarks,
    refusals, media type, ETag and 304) and the response cache's shortcut: a held answer
    to a plain query is served there, before strawberry runs anything
    (:class:`~timeline.api.extensions.response_cache.HeldAnswers`).
    """

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.curator: Curator | None = None  # for the open store: one per application
        self.cache = ResponseCache(settings.response_cache_size)
        self.policy = CachePolicy(settings)
        self.versions = runtime.versions
        manifest = settings.trusted_documents
        self.persisted = PersistedQueries(
            settings.persisted_queries_size,
            load_manifest(manifest) if manifest is not None else None,
        )
        # Curation writers may send document texts longer than ``max_string_length``.
        writer_limits = settings.model_copy(
            update={"max_string_length": settings.max_document_chars}
        )
        checks = LimitChecks(settings, writer_limits)
        answers = AnswerCache(settings, self.cache, self.policy, self.versions)
        self.held = HeldAnswers(answers, self.persisted, checks)
        serving = endpoint_extensions(settings, self.persisted, checks, answers)
        super().__init__(build_schema(settings, serving), graphql_ide="graphiql")

    async def render_graphql_ide(self, request: Request) -> Response:
        # strawberry's page loads GraphiQL from a CDN; ours serves the copies `make assets`
        # bundles from npm.
        # Its page chrome in the reader's language (GraphiQL itself is English only).
        return HTMLResponse(
            _GRAPHIQL_PAGE.render(fmt=reader_formatter(request)),
            headers={"Content-Security-Policy": _GRAPHIQL_CSP, "Vary": "Accept-Language"},
        )

    def encode_json(self, data: object) -> bytes:
        return encode_answer(data)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with only a persisted query's hash (no ``query``) is an operation.
        if request.query_params.get("extensions") is not None:
            return False
        return bool(super().should_render_graphql_ide(request))

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        store = self.runtime.store
        if store is None:
            raise HTTPException(503, "The data store is not open yet; please try again later.")
        if self.curator is None or self.curator.store is not store:
            self.curator = Curator(store, self.runtime.settings)
        return Context(
            store=store,
            settings=self.runtime.settings,
            request=request,
            response=response,
            caller=caller_of(request),
            curator=self.curator,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        # Read-your-writes across replicas (timeline.stores.consistency).
        after = consistency.read_after.set(
            consistency.decode_bookmarks(request.headers.get(BOOKMARK_HEADER))
        )
        box: list[str] = []
        written = consistency.written.set(box)
        try:
            response = await self.answer(request)
        except HTTPException as exc:
            response = self.refusal(exc)
        finally:
            consistency.read_after.reset(after)
            consistency.written.reset(written)
        if box:
            response.headers[BOOKMARK_HEADER] = consistency.encode_bookmarks(tuple(box))
        if GRAPHQL_RESPONSE in request.headers.get("accept", ""):
            response = _as_graphql_response(response)
        response = self.http_caching(request, response)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """A held answer if there is one for this request, else strawberry's."""
        store = self.runtime.store
        held = await self.held.answer(request, store) if store is not None else None
        return held if held is not None else await self.run(request)

    def http_caching(self, request: Request, response: Response) -> Response:
        """ETag, Cache-Control and 304 for a complete answer to a GET query; the stale mark
        on an answer served while the store was down (``timeline.api.httpcache``)."""
        state = request.scope.get("state") or {}
        stale = state.get("timeline_stale")
        if stale is not None:
            response.headers[STALE_HEADER] = "store-unavailable"
            response.headers["Age"] = str(int(stale))
        etag = state.get("timeline_etag")
        if etag is None or request.method != "GET" or response.status_code != 200:
            return response
        headers = {"ETag": etag, "Cache-Control": self.policy.header, "Vary": "Accept"}
        if etag_matches(request, etag):
            kept = {
                k: v
                for k, v in response.headers.items()
                if k.lower() in (STALE_HEADER.lower(), "age")
            }
            return Response(status_code=304, headers={**headers, **kept})
        response.headers.update(headers)
        return response

    def decode_json(self, data: str | bytes) -> object:
        # strawberry turns only JSONDecodeError into a 400: not bytes that are not UTF-8,
        # nor JSON nested deeper than the decoder's recursion limit.
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise HTTPException(400, _BAD_JSON) from exc
        # strawberry expects a request body to be an object (or a list, for batches) and
        # fails on anything else. The body is the one JSON strawberry's view hands over as
        # bytes (query parameters, ``variables`` and ``extensions`` of a GET, are text).
        if isinstance(data, bytes):
            if isinstance(decoded, list):
                raise HTTPException(400, _NO_BATCHES)
            if not isinstance(decoded, dict):
                raise HTTPException(
                    400,
                    'The request body must be a JSON object: {"query": "...", "variables": {}}',
                )
        return decoded

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if not result.errors:
            return await super().process_result(request, result)
        if any(isinstance(error.original_error, RequestError) for error in result.errors):
            # A request error (its status is set): no ``data``, as the view's own refusals.
            return {"errors": [error.formatted for error in ensure_codes(result.errors)]}
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
        # ASCII-escaped: a reason may quote the request, lone surrogates included.
        return Response(json.dumps(body), status, headers, media_type="application/json")


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    """The application. Without arguments, settings come from the environment (``TIMELINE_*``)."""
    settings = settings or Settings()
    _configure_logging(settings)
    runtime = Runtime(settings=settings, store=_guarded(store, settings) if store else None)

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
        except StoreTimeout:
            return _not_ready(f"the store did not answer within {settings.store_timeout:g} s")
        except Exception:
            logger.exception("readiness check failed")
            return _not_ready("the store check failed unexpectedly")
        return JSONResponse({"status": "ready", "backend": current.name})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = None
        if runtime.store is None:
            opened = _guarded(await open_configured_store(settings), settings)
            runtime.store = opened
        # The graph just loaded is millions of objects that live as long as the process;
        # frozen, the cyclic collector stops walking them on every full collection (which
        # showed as p99 spikes on the memory store at 100k events and more).
        gc.collect()
        gc.freeze()
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
            *export_routes(runtime),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                expose_headers=[BOOKMARK_HEADER, STALE_HEADER, "ETag", "Age"],
                max_age=600,
            ),
            # Inside CORS, so that browsers can read a 429's Retry-After.
            Middleware(RequestGuard, settings=settings),
            # The caller (API key) of every request, once; private reading refused here.
            authentication(settings),
            Middleware(GZipMiddleware, minimum_size=1000),
        ],
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app


def _as_graphql_response(response: Response) -> Response:
    """A JSON answer in the GraphQL-over-HTTP media type, for a client that accepts it.

    With that media type the status tells a request error from a result: an error that
    stopped the request before execution (parse, validation, variables; no ``path``) is a
    400 without ``data``; a result, errors in fields included, stays 200.
    """
    if response.media_type != "application/json":
        return response
    status, raw = response.status_code, bytes(response.body)
    if status == 200:
        answer = json.loads(raw)
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if errors and answer.get("data") is None and all("path" not in e for e in errors):
            status, raw = 400, json.dumps({"errors": errors}).encode()
    converted = Response(raw, status, media_type=GRAPHQL_RESPONSE)
    converted.raw_headers.extend(
        (name, value)
        for name, value in response.raw_headers
        if name not in (b"content-type", b"content-length")
    )
    return converted


def _guarded(store: Store, settings: Settings) -> Store:
    """``store`` with a deadline on every call (``store_timeout``)."""
    if isinstance(store, GuardedStore):
        return store
    return GuardedStore(store, settings.store_timeout)


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
