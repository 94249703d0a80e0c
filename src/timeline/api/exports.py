"""``GET /export/{format}``: the graph, or the part of it the timeline's filters select.

Formats (``timeline.services.export``, the same code as ``timeline export``):
``graphml``, ``gexf``, ``json`` (networkx node-link), ``csv`` (a zip of nodes, edges and
documents) and ``seeds`` (seed YAML as a ``.zip``, or ``archive=tar.gz``).

Query parameters: ``from``, ``to`` (days), ``involving`` (ids, repeatable or
comma-separated), ``category`` (or ``categories``), ``text``, and ``involvingMode``
(``all``, the default, or ``direct``), meaning what they mean for ``timeline``; with none
the export holds the whole graph. Anything else, a bad value or an unknown format is a
400 whose message names the parameter.

The answer streams (the file is never built whole in memory; the formatting runs in a
worker thread), with ``Content-Disposition: attachment`` and a file name that says what
it holds (``timeline_involving-country-pa_from-2022-01-01_3f2a9c1d.graphml``), and a
weak ``ETag`` on the code, the data version, the format and the filters: ``If-None-Match``
gives a 304. Like every route it is behind the rate limit; the selection runs under the
request deadline (``request_timeout``; past it, 503: narrow the export with filters).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from timeline.api.httpcache import etag_matches
from timeline.api.pages import (
    COMMON_HEADERS,
    BadRequest,
    _code_version,
    _json_error,
    _single,
    parse_filters,
)
from timeline.api.runtime import Runtime
from timeline.config import Settings
from timeline.model.dates import parse_day
from timeline.model.involvement import Mode
from timeline.services import export as exports
from timeline.stores.base import Store, StoreUnavailable
from timeline.stores.guard import StoreTimeout, request_deadline

__all__ = ["EXPORT_PARAMETERS", "FILE_TYPES", "ExportRequest", "export_routes", "parse_export"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    media_type: str
    suffix: str


#: What each format is sent as (seeds: by archive).
FILE_TYPES: dict[str, FileType] = {
    "graphml": FileType("application/graphml+xml", ".graphml"),
    "gexf": FileType("application/gexf+xml", ".gexf"),
    "json": FileType("application/json", ".json"),
    "csv": FileType("application/zip", ".csv.zip"),
    "seeds.zip": FileType("application/zip", ".seeds.zip"),
    "seeds.tar.gz": FileType("application/gzip", ".seeds.tar.gz"),
}
ARCHIVES = ("zip", "tar.gz")
EXPORT_PARAMETERS = (
    "from",
    "to",
    "involving",
    "category",
    "categories",
    "text",
    "involvingMode",
    "archive",
)
CACHE_CONTROL = "public, max-age=0, must-revalidate"


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    filters: exports.ExportFilters
    archive: str  # "zip" or "tar.gz" (seeds only)
    items: list[tuple[str, str]]  # the normalised parameters

    @property
    def file_type(self) -> FileType:
        return FILE_TYPES[f"seeds.{self.archive}" if self.fmt == "seeds" else self.fmt]

    def filename(self, data_version: str) -> str:
        """What the file holds: the filters, then the data version's start."""
        parts = [
            re.sub(r"[^A-Za-z0-9.+-]+", "-", f"{name}-{value}").strip("-")
            for name, value in self.items
            if name != "archive"
        ]
        stem = "_".join(["timeline", *(parts or ["whole-graph"]), data_version[:8]])
        return stem[:200] + self.file_type.suffix


def parse_export(fmt: str, params: QueryParams, max_ids: int) -> ExportRequest:
    """An export request from the path's format and the query; :class:`BadRequest` (naming
    the parameter) for anything that cannot be used."""
    if fmt not in exports.FORMATS:
        raise BadRequest(
            f"'format' must be one of {', '.join(exports.FORMATS)} "
            f"(as /export/graphml), got {fmt[:40]!r}"
        )
    unknown = sorted(set(params) - set(EXPORT_PARAMETERS))
    if unknown:
        raise BadRequest(
            f"unknown parameter {unknown[0][:40]!r}; an export takes {', '.join(EXPORT_PARAMETERS)}"
        )
    categories = [*params.getlist("category"), *params.getlist("categories")]
    merged = QueryParams(
        [(k, v) for k, v in params.multi_items() if k not in ("category", "categories")]
        + [("categories", v) for v in categories]
    )
    page = parse_filters(merged, max_ids)
    mode_text = (_single(params, "involvingMode") or "all").upper()
    if mode_text not in Mode.__members__:
        raise BadRequest(f"'involvingMode' must be all or direct, got {mode_text[:20].lower()!r}")
    mode = Mode[mode_text]
    archive = (_single(params, "archive") or "zip").lower()
    if archive not in ARCHIVES:
        raise BadRequest(f"'archive' must be zip or tar.gz, got {archive[:20]!r}")
    if fmt != "seeds" and "archive" in params:
        raise BadRequest("'archive' applies to seeds exports only (csv is always a zip)")
    filters = exports.ExportFilters(
        start=parse_day(page.start) if page.start else None,
        end=parse_day(page.end) if page.end else None,
        involving=page.involving,
        categories=page.categories,
        text=page.text,
        mode=mode,
    )
    items = [(k, v) for k, v in page.items() if k != "order"]
    if mode is not Mode.ALL and page.involving:
        items.append(("involvingMode", mode.value.lower()))
    if fmt == "seeds":
        items.append(("archive", archive))
    return ExportRequest(fmt=fmt, filters=filters, archive=archive, items=items)


class Exports:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    async def export(self, request: Request) -> Response:
        settings = self.settings
        try:
            asked = parse_export(
                request.path_params["format"], request.query_params, settings.max_ids
            )
        except BadRequest as exc:
            return _json_error(400, str(exc))
        store: Store | None = self.runtime.store
        try:
            if store is None:
                raise StoreUnavailable("the store is not open")
            if asked.filters.involving:
                found = await store.get_nodes(list(asked.filters.involving))
                missing = [i for i in asked.filters.involving if i not in found]
                if missing:
                    return _json_error(400, f"'involving': there is no entity {missing[0]!r}")
            version = await store.data_version()
            key = "\n".join((_code_version(), version, asked.fmt, urlencode(asked.items)))
            etag = 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
            headers = {
                **COMMON_HEADERS,
                "ETag": etag,
                "Cache-Control": CACHE_CONTROL,
                "Content-Disposition": f'attachment; filename="{asked.filename(version)}"',
            }
            if etag_matches(request, etag):
                return Response(status_code=304, headers=headers)
            with request_deadline(settings.request_timeout):
                async with asyncio.timeout(settings.request_timeout):
                    dataset = await exports.select(store, asked.filters)
        except (StoreTimeout, TimeoutError):
            return _json_error(
                503,
                f"the export took longer than {settings.request_timeout:g} s: narrow it with "
                "from, to, involving, category or text",
            )
        except StoreUnavailable as exc:
            logger.warning("export: store unavailable: %s", exc)
            response = _json_error(503, "The data is not available right now; try again later.")
            response.headers["Retry-After"] = "30"
            return response
        chunks = exports.export(dataset, asked.fmt, archive=f".{asked.archive}")
        return StreamingResponse(chunks, media_type=asked.file_type.media_type, headers=headers)


def export_routes(runtime: Runtime) -> list[BaseRoute]:
    handler = Exports(runtime)
    return [Route("/export/{format}", handler.export, methods=["GET"], name="export")]
