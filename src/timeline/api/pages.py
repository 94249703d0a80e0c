"""Pages for people: the timeline embed, oEmbed, TimelineJS JSON and the explorer.

====================  ==============================================================
``/embed/timeline``   a small self-contained HTML timeline for an ``<iframe>``
``/oembed``           oEmbed 1.0 (``rich``) for embed URLs of this host
``/timeline.json``    the same events as TimelineJS3 JSON
``/``                 the explorer: search, entity pages, graph, path finder
``/static/...``       the pages' CSS and JavaScript (and ``vendor/``, from npm)
====================  ==============================================================

Data comes from the app's own GraphQL schema, executed in-process with the same
:class:`~timeline.api.loaders.Context` the ``/graphql`` endpoint builds, so the embed's
filters mean exactly what the ``timeline`` query means and the browser fetches later pages
with the very same query document. ``docs/embeds.md`` describes every parameter.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from markupsafe import Markup, escape
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from timeline.api.errors import BAD_USER_INPUT, NOT_FOUND, TIMEOUT, UNAVAILABLE
from timeline.api.formatting import (
    LOCALES,
    Formatter,
    formatter,
    negotiate,
    parse_accept_language,
)
from timeline.api.httpcache import STALE_HEADER, CachePolicy, Held, StaleAnswers, etag_matches
from timeline.api.loaders import Context
from timeline.api.runtime import Runtime
from timeline.api.schema import build_schema
from timeline.model.dates import DateError, parse_day
from timeline.model.ids import ID_PATTERN, is_valid_id
from timeline.services.arguments import API_NAMES, InvalidArgument, check_window
from timeline.stores.base import StoreError, StoreUnavailable
from timeline.stores.guard import StoreTimeout

__all__ = [
    "EMBED_PATH",
    "EVENT_FIELDS",
    "TIMELINE_QUERY",
    "BadRequest",
    "EmbedOptions",
    "TimelineFilters",
    "page_routes",
    "parse_filters",
    "timelinejs_date",
]

logger = logging.getLogger("timeline.api")

EMBED_PATH = "/embed/timeline"
CYTOSCAPE = "vendor/cytoscape.min.js"
#: The host script a page embedding timelines loads to size their iframes (static/host.js).
HOST_SCRIPT_PATH = "/embed.js"
#: Events on the server-rendered first page of an embed, and on each page loaded later.
PAGE_SIZE = 20
#: The most events ``/timeline.json`` returns (TimelineJS wants them all at once).
JSON_MAX_EVENTS = 1000
DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 600
MIN_HEIGHT, MAX_HEIGHT = 120, 4000
MAX_TEXT = 200
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")

# --- GraphQL documents (the browser gets the same ones) ------------------------------------

SOURCE_FIELDS = """
fragment SourceFields on Source {
  quote basis note
  document { id title publisher url published { display(locale: $locale) } }
}
"""

EVENT_FIELDS = (
    """
fragment EventFields on Event {
  id name(locale: $locale) description category status
  date { edtf start end precision display(locale: $locale) }
  place { id name(locale: $locale) }
  partOf { id name(locale: $locale) }
  participants { role entity { id kind name(locale: $locale) } }
  sources { ...SourceFields }
}
"""
    + SOURCE_FIELDS
)

TIMELINE_QUERY = (
    """
query EmbedTimeline($from: Date, $to: Date, $involving: [ID!], $categories: [String!],
                    $text: String, $status: EventStatus, $order: Order, $first: Int,
                    $after: String, $locale: String) {
  timeline(from: $from, to: $to, involving: $involving, categories: $categories,
           text: $text, status: $status, order: $order, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { matchedBy { description } node { ...EventFields } }
  }
}
"""
    + EVENT_FIELDS
)

ENTITY_NAME_QUERY = """
query EntityName($id: ID!, $locale: String) { entity(id: $id) { id kind name(locale: $locale) } }
"""

ENTITY_QUERY = (
    """
query ExplorerEntity($id: ID!, $first: Int, $locale: String) {
  entity(id: $id) {
    id kind name(locale: $locale) aliases description
    sources { ...SourceFields }
    relations(first: 100) {
      type direction role basis
      date { display(locale: $locale) }
      other { id kind name(locale: $locale) }
      sources { ...SourceFields }
    }
    ... on Person {
      positions {
        title basis
        organization { id kind name(locale: $locale) }
        start { display(locale: $locale) }
        end { display(locale: $locale) }
        sources { ...SourceFields }
      }
    }
    ... on Event {
      category status date { display(locale: $locale) } place { id name(locale: $locale) }
    }
    ... on Country { code }
    ... on Organization { acronym }
    ... on Agreement { agreementDate: date { display(locale: $locale) } }
  }
  timeline(involving: [$id], first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { matchedBy { description } node { ...EventFields } }
  }
}
"""
    + EVENT_FIELDS
)

ENTITY_EVENTS_QUERY = (
    """
query ExplorerEntityEvents($id: ID!, $first: Int, $after: String, $locale: String) {
  timeline(involving: [$id], first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { matchedBy { description } node { ...EventFields } }
  }
}
"""
    + EVENT_FIELDS
)

NEIGHBORS_QUERY = """
query ExplorerNeighbors($id: ID!, $locale: String) {
  neighbors(id: $id, depth: 1, first: 150) {
    nodes { id kind name(locale: $locale) }
    edges { type source target role }
  }
}
"""

SEARCH_QUERY = """
query ExplorerSearch($text: String!, $locale: String) {
  search(text: $text, first: 8) {
    score node { id kind name(locale: $locale) }
    matched { field text parts { text matched } }
  }
}
"""

PATH_QUERY = """
query ExplorerPath($from: ID!, $to: ID!, $maxLength: Int, $locale: String) {
  shortestPath(from: $from, to: $to, maxLength: $maxLength) {
    length
    nodes { id kind name(locale: $locale) }
    edges { type source target role }
  }
  a: entity(id: $from) { id kind name(locale: $locale) }
  b: entity(id: $to) { id kind name(locale: $locale) }
}
"""

PATH_MAX_LENGTH = 6

# --- requests ------------------------------------------------------------------------------


class BadRequest(ValueError):
    """A parameter that cannot be used; the message says which and how to fix it."""


class Unavailable(RuntimeError):
    """The store cannot answer right now."""


@dataclass(frozen=True)
class TimelineFilters:
    """The ``timeline`` query's filters, as a page's parameters give them."""

    involving: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    categories: tuple[str, ...] = ()
    text: str | None = None
    status: str | None = None  # OCCURRED or PLANNED
    order: str = "ASC"

    def variables(self) -> dict[str, Any]:
        """The ``timeline`` query's variables (without ``first``/``after``)."""
        return {
            "from": self.start,
            "to": self.end,
            "involving": list(self.involving) or None,
            "categories": list(self.categories) or None,
            "text": self.text,
            "status": self.status,
            "order": self.order,
        }

    def items(self) -> list[tuple[str, str]]:
        """The filters as normalised query parameters (lists comma-joined, fixed order)."""
        items = [
            ("involving", ",".join(self.involving)),
            ("from", self.start or ""),
            ("to", self.end or ""),
            ("categories", ",".join(self.categories)),
            ("text", self.text or ""),
            ("status", (self.status or "").lower()),
            ("order", "" if self.order == "ASC" else self.order.lower()),
        ]
        return [(k, v) for k, v in items if v]


@dataclass(frozen=True)
class EmbedOptions:
    """How an embed looks: none of these change which events it shows."""

    title: str | None = None
    theme: str = "light"
    height: int | None = None
    locale: str = "en"

    def items(self) -> list[tuple[str, str]]:
        items = [
            ("title", self.title or ""),
            ("theme", "" if self.theme == "light" else self.theme),
            ("height", str(self.height) if self.height else ""),
            ("locale", "" if self.locale == "en" else self.locale),
        ]
        return [(k, v) for k, v in items if v]


def _single(params: QueryParams, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"'{name}' was given {len(values)} times; give it once")
    value = values[0].strip() if values else ""
    return value or None


def _list(params: QueryParams, name: str) -> list[str]:
    """A repeatable, comma-separable parameter: ``a,b&name=c`` -> ``[a, b, c]``."""
    found: list[str] = []
    for value in params.getlist(name):
        found += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(found))


def _day(params: QueryParams, name: str) -> str | None:
    value = _single(params, name)
    if value is None:
        return None
    try:
        return parse_day(value).isoformat()
    except DateError:
        raise BadRequest(
            f"'{name}' must be a calendar day (YYYY-MM-DD), got {value[:40]!r}"
        ) from None


def _text(value: str | None, name: str) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise BadRequest(f"'{name}' may be at most {MAX_TEXT} characters long")
    return value


def parse_filters(params: QueryParams, max_ids: int = 50) -> TimelineFilters:
    """The timeline filters of a page request; :class:`BadRequest` for anything unusable."""
    involving = _list(params, "involving")
    for node_id in involving:
        if not is_valid_id(node_id):
            raise BadRequest(
                f"'involving' takes entity ids such as country:pa or person:antony-blinken; "
                f"{node_id[:60]!r} is not one"
            )
    categories = _list(params, "categories")
    for category in categories:
        if not _CATEGORY.match(category):
            raise BadRequest(
                f"'categories' takes lower-case category names such as ministerial or "
                f"press_conference; {category[:60]!r} is not one"
            )
    for name, values in (("involving", involving), ("categories", categories)):
        if len(values) > max_ids:
            raise BadRequest(f"'{name}' may list at most {max_ids} values, got {len(values)}")
    start, end = _day(params, "from"), _day(params, "to")
    try:
        check_window(
            dt.date.fromisoformat(start) if start else None,
            dt.date.fromisoformat(end) if end else None,
        )
    except InvalidArgument as exc:
        raise BadRequest(exc.spelled(API_NAMES)) from None
    order = (_single(params, "order") or "asc").upper()
    if order not in ("ASC", "DESC"):
        raise BadRequest("'order' must be asc or desc")
    status = _single(params, "status")
    if status is not None and status.upper() not in ("OCCURRED", "PLANNED"):
        raise BadRequest(f"'status' must be occurred or planned, got {status[:20]!r}")
    return TimelineFilters(
        involving=tuple(involving),
        start=start,
        end=end,
        categories=tuple(categories),
        text=_text(_single(params, "text"), "text"),
        status=status.upper() if status else None,
        order=order,
    )


def parse_options(params: QueryParams) -> EmbedOptions:
    theme = (_single(params, "theme") or "light").lower()
    if theme not in ("light", "dark", "auto"):
        raise BadRequest(f"'theme' must be light, dark or auto, got {theme[:20]!r}")
    height = _positive(params, "height")
    if height is not None and not MIN_HEIGHT <= height <= MAX_HEIGHT:
        raise BadRequest(f"'height' must be between {MIN_HEIGHT} and {MAX_HEIGHT} pixels")
    # An unsupported locale falls back (es-MX -> es, xx -> en); it is never an error.
    locale = negotiate([_text(_single(params, "locale"), "locale")])
    return EmbedOptions(
        title=_text(_single(params, "title"), "title"), theme=theme, height=height, locale=locale
    )


def _flag(params: QueryParams, name: str) -> bool:
    value = (_single(params, name) or "false").lower()
    if value not in ("1", "true", "yes", "0", "false", "no"):
        raise BadRequest(f"'{name}' must be true or false, got {value[:20]!r}")
    return value in ("1", "true", "yes")


def _positive(params: QueryParams, name: str) -> int | None:
    value = _single(params, name)
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1 or len(value) > 6:
        raise BadRequest(f"'{name}' must be a whole number of pixels, got {value[:20]!r}")
    return int(value)


# --- TimelineJS ----------------------------------------------------------------------------

_PARTS = {"YEAR": ("year",), "MONTH": ("year", "month"), "DAY": ("year", "month", "day")}


def timelinejs_date(day: str, precision: str) -> dict[str, int]:
    """A TimelineJS date object with only the parts ``precision`` supports.

    >>> timelinejs_date("2021-10-01", "MONTH")
    {'year': 2021, 'month': 10}
    """
    year, month, date = (int(part) for part in day.split("-"))
    values = {"year": year, "month": month, "day": date}
    return {part: values[part] for part in _PARTS[precision]}


def basis_words(source: Mapping[str, Any], fmt: Formatter) -> str:
    """How a source backs its fact, in words: "Stated: ..." or "Inferred: <note>".
    ``static/render.js`` (``basisWords``) says the same in the browser."""
    if source.get("basis") == "INFERRED":
        note = source.get("note")
        return fmt.t("sources.inferred", note=note) if note else fmt.t("sources.inferred_no_note")
    return fmt.t("sources.stated")


def _unique_id(node_id: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", node_id.lower())


def _dom_id(node_id: str) -> str:
    return "ev-" + _unique_id(node_id)


def key_participants(
    participants: Sequence[Mapping[str, Any]], limit: int = 6
) -> tuple[list[dict[str, Any]], int]:
    """Hosts first, then the rest in the API's order, one entry per entity (roles joined);
    at most ``limit`` of them, and how many more there are. ``static/render.js`` does the
    same for pages loaded in the browser."""
    merged: dict[str, dict[str, Any]] = {}
    for part in participants:
        entity = part["entity"]
        entry = merged.setdefault(entity["id"], {"entity": entity, "roles": []})
        role = part.get("role")
        if role and role not in entry["roles"]:
            entry["roles"].append(role)
    entries = list(merged.values())
    hosts = [e for e in entries if any(r in ("host", "co-host") for r in e["roles"])]
    rest = [e for e in entries if e not in hosts]
    ordered = hosts + rest
    return ordered[:limit], max(0, len(ordered) - limit)


def _slide(event: Mapping[str, Any], fmt: Formatter) -> dict[str, Any]:
    date = event["date"]
    start = timelinejs_date(date["start"], date["precision"])
    end = timelinejs_date(date["end"], date["precision"])
    parts: list[Markup] = []
    if event.get("description"):
        parts.append(Markup("<p>{}</p>").format(event["description"]))
    meta = [fmt.category(event["category"])]
    planned = event.get("status") == "PLANNED"
    if planned:
        meta.append(fmt.t("event.planned"))
    if event.get("place"):
        meta.append(event["place"]["name"])
    parts.append(Markup('<p class="tl-meta">{}</p>').format(" · ".join(meta)))
    shown, more = key_participants(event.get("participants") or [])
    if shown:
        names = [
            Markup("{} ({})").format(e["entity"]["name"], ", ".join(map(fmt.role, e["roles"])))
            if e["roles"]
            else escape(e["entity"]["name"])
            for e in shown
        ]
        if more:
            names.append(escape(fmt.plural("event.more_participants", more)))
        parts.append(
            Markup("<p><strong>{}:</strong> {}</p>").format(
                fmt.t("event.participants"), Markup(", ").join(names)
            )
        )
    sources = event.get("sources") or []
    if sources:
        items = Markup("").join(
            Markup('<li>“{}” — <cite>{}</cite>{} <em class="tl-basis">({})</em></li>').format(
                s["quote"],
                s["document"]["title"],
                Markup(", {}").format(s["document"]["publisher"])
                if s["document"].get("publisher")
                else "",
                basis_words(s, fmt),
            )
            for s in sources
        )
        parts.append(
            Markup("<p><strong>{}</strong></p><ul>{}</ul>").format(
                fmt.plural("sources.toggle", len(sources)), items
            )
        )
    display = fmt.date(date)
    slide: dict[str, Any] = {
        "start_date": start,
        "display_date": f"{display} ({fmt.t('event.planned').lower()})" if planned else display,
        "text": {"headline": str(escape(event["name"])), "text": str(Markup("").join(parts))},
        "group": fmt.category(event["category"]),
        "unique_id": _unique_id(event["id"]),
    }
    if end != start:
        slide["end_date"] = end
    return slide


# --- responses -----------------------------------------------------------------------------


def _why(edge: Mapping[str, Any]) -> list[str]:
    """The reasons an event of a timeline(involving:) page matched, as lines."""
    return [reason["description"] for reason in edge.get("matchedBy") or ()]


def _csp(frame_ancestors: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )


JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _json_error(status: int, message: str) -> Response:
    return JSONResponse(
        {"error": {"status": status, "message": message}},
        status_code=status,
        headers={**COMMON_HEADERS, "Content-Security-Policy": JSON_CSP},
    )


@cache
def _code_version() -> str:
    try:
        return version("timeline")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


@cache
def _static_hash(name: str) -> str | None:
    path = resources.files("timeline.api").joinpath("static", *name.split("/"))
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("timeline.api", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dom_id"] = _dom_id
    env.filters["datetime_attr"] = _datetime_attr
    env.filters["safe_url"] = _safe_url
    env.globals["key_participants"] = key_participants
    env.globals["entity_href"] = entity_href
    env.globals["basis_words"] = basis_words
    # the explorer's first view (templates/_explorer.html; static/explorer.js builds the same)
    env.filters["urlquote"] = _urlquote
    env.globals["why"] = _why
    env.globals["relation_groups"] = relation_groups
    env.globals["entity_facts"] = entity_facts
    env.globals["snippet"] = embed_snippet
    env.globals["exports"] = EXPORTS
    return env


#: The explorer's "Download" links: format and label (``downloads`` in static/explorer.js).
EXPORTS = (("graphml", "GraphML"), ("gexf", "GEXF"), ("json", "JSON"), ("csv", "CSV"))


def _urlquote(value: str) -> str:
    """An id in a query string, as the explorer's script writes it (``:`` kept)."""
    return quote(value, safe=":")


def relation_groups(
    relations: Sequence[Mapping[str, Any]],
) -> list[tuple[str, str, list[Mapping[str, Any]]]]:
    """An entity's relations by type and direction, in order of first appearance
    (``relationsSection`` in static/explorer.js)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for relation in relations:
        groups.setdefault((relation["type"], relation["direction"]), []).append(relation)
    return [(type_, direction, found) for (type_, direction), found in groups.items()]


def entity_facts(entity: Mapping[str, Any], fmt: Formatter) -> list[str]:
    """The short facts in an entity page's eyebrow: code, acronym, category, planned, date
    (``entityHeader`` in static/explorer.js)."""
    facts = [str(entity[key]) for key in ("code", "acronym") if entity.get(key)]
    if entity.get("category"):
        facts.append(fmt.category(entity["category"]))
    if entity.get("status") == "PLANNED":
        facts.append(fmt.t("event.planned"))
    facts += [fmt.date(entity[key]) for key in ("date", "agreementDate") if entity.get(key)]
    return facts


def embed_snippet(embed_url: str, name: str) -> str:
    """The "Embed this timeline" snippet an entity page shows (as text)."""
    title = re.sub(r'[&"<>]', lambda m: f"&#{ord(m.group())};", name)
    return (
        f'<iframe src="{embed_url}" width="640" height="600" style="border:0;max-width:100%" '
        f'title="{title}" loading="lazy"></iframe>'
    )


def entity_href(explorer: str, node_id: str) -> str:
    """The explorer's address of an entity: ``/?entity=person:antony-blinken``."""
    return f"{explorer}?entity={quote(node_id, safe=':')}"


def _datetime_attr(date: Mapping[str, Any]) -> str:
    """An HTML ``datetime`` no more precise than the date: 2024, 2021-10 or 2022-04-20."""
    day = str(date["start"])
    return {"YEAR": day[:4], "MONTH": day[:7]}.get(str(date["precision"]), day)


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links from the data become links."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Asked:
    """A page request's filters and options, its context, and its caching headers."""

    filters: TimelineFilters
    options: EmbedOptions
    items: list[tuple[str, str]]
    context: Context
    headers: dict[str, str]
    not_modified: bool
    #: The answer this worker rendered for the same URL at the same data version, if held.
    held: Response | None = None


def _held_key(request: Request) -> str:
    """What a rendered answer is held under: the URL as asked."""
    return f"{request.url.netloc}{request.url.path}?{request.url.query}"


def _replay(held: Held, marks: Mapping[str, str]) -> Response:
    headers = {k: v for k, v in held.headers if k.lower() != "content-length"}
    return Response(
        held.body, held.status, headers={**headers, **marks}, media_type=held.media_type
    )


class Pages:
    """The page handlers, over one runtime."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.schema = build_schema(runtime.settings)
        self.env = _environment()
        self.env.globals["static"] = self.static_url
        self.policy = CachePolicy(runtime.settings)
        self.held = StaleAnswers(runtime.settings.stale_pages_size)

    # - plumbing -

    def static_url(self, name: str) -> str:
        digest = _static_hash(name)
        return f"/static/{name}" + (f"?v={digest}" if digest else "")

    def context(self, request: Request) -> Context:
        store = self.runtime.store
        if store is None:
            raise Unavailable("the store is not open")
        return Context(store=store, settings=self.runtime.settings, request=request)

    async def execute(
        self, context: Context, query: str, variables: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Run one operation of the app's schema; errors become :class:`BadRequest` or
        :class:`Unavailable` (anything else is a bug, and raised)."""
        result = await self.schema.execute(
            query, variable_values=dict(variables), context_value=context
        )
        if result.errors:
            codes = {(e.extensions or {}).get("code") for e in result.errors}
            if UNAVAILABLE in codes:
                raise Unavailable(result.errors[0].message)
            if codes & {BAD_USER_INPUT, NOT_FOUND}:
                raise BadRequest(result.errors[0].message)
            raise RuntimeError(f"page query failed: {[e.message for e in result.errors]}")
        assert result.data is not None
        return result.data

    async def etag(self, context: Context, request: Request, items: list[tuple[str, str]]) -> str:
        data_version = await context.store.data_version()
        self.runtime.versions.seen(data_version)
        key = "\n".join(
            (_code_version(), data_version, request.url.netloc, request.url.path, urlencode(items))
        )
        return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def cache_headers(self, etag: str) -> dict[str, str]:
        return {"ETag": etag, "Cache-Control": self.policy.header}

    def base(self, request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def embed_url(self, request: Request, items: list[tuple[str, str]]) -> str:
        query = urlencode(items, safe=":,")
        return f"{self.base(request)}{EMBED_PATH}" + (f"?{query}" if query else "")

    def oembed_link(self, request: Request, embed_url: str) -> str:
        return f"{self.base(request)}/oembed?" + urlencode({"url": embed_url, "format": "json"})

    def host_script(self, request: Request) -> str:
        return f"{self.base(request)}{HOST_SCRIPT_PATH}"

    async def host_js(self, request: Request) -> Response:
        """``/embed.js``: the script a page embedding timelines loads once to size them."""
        body = resources.files("timeline.api").joinpath("static", "host.js").read_bytes()
        headers = {
            **COMMON_HEADERS,
            "Cache-Control": "public, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",
        }
        return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)

    def frame_csp(self) -> str:
        return _csp(self.runtime.settings.embed_frame_ancestors)

    def guarded(self, handler: Handler, *, html: bool) -> Handler:
        """``handler`` with bad parameters as 400 and an unreachable store as 503."""

        async def run(request: Request) -> Response:
            key = _held_key(request)
            try:
                response = await handler(request)
            except BadRequest as exc:
                return self.error(request, 400, str(exc), html=html)
            except (Unavailable, StoreError) as exc:
                if isinstance(exc, StoreError) and not isinstance(
                    exc, StoreUnavailable | StoreTimeout
                ):
                    raise
                stale = self.stale(request, key)
                if stale is not None:
                    logger.info("page %s: store unavailable, served stale", request.url.path)
                    return stale
                if isinstance(exc, StoreTimeout):
                    raise
                logger.warning("page %s: store unavailable: %s", request.url.path, exc)
                fmt = reader_formatter(request)
                response = self.error(
                    request, 503, fmt.t("error.unavailable"), html=html, lang=fmt.locale
                )
                response.headers["Retry-After"] = "30"
                return response
            version = self.runtime.versions.version
            if response.status_code == 200 and "etag" in response.headers and version:
                self.held.keep(
                    key,
                    version,
                    200,
                    bytes(response.body),
                    dict(response.headers),
                    response.media_type,
                )
            return response

        return run

    def stale(self, request: Request, key: str) -> Response | None:
        """The answer held for ``key`` at the last data version, if the store answered
        within ``cache_stale_if_error`` seconds (``timeline.api.httpcache``)."""
        version = self.runtime.versions.usable(self.runtime.settings.cache_stale_if_error)
        held = None if version is None else self.held.get(key, version)
        if held is None:
            return None
        marks = {STALE_HEADER: "store-unavailable", "Age": str(int(self.runtime.versions.age()))}
        etag = dict(held.headers).get("etag")
        if etag is not None and etag_matches(request, etag):
            headers = {k: v for k, v in held.headers if k.lower() != "content-length"}
            return Response(status_code=304, headers={**headers, **marks})
        return _replay(held, marks)

    def error(
        self, request: Request, status: int, message: str, *, html: bool, lang: str = "en"
    ) -> Response:
        """An error page in the reader's language; ``message`` is in ``lang`` (a parameter's
        problem is told in English, the language of the parameters' documentation)."""
        headers = dict(COMMON_HEADERS)
        if not html:
            return _json_error(status, message)
        fmt = reader_formatter(request)
        headers["Content-Security-Policy"] = self.frame_csp()
        body = self.env.get_template("error.html").render(
            fmt=fmt, status=status, message=message, message_lang=lang, theme="auto"
        )
        return HTMLResponse(body, status_code=status, headers=headers)

    async def names(
        self, context: Context, ids: Sequence[str], locale: str = "en"
    ) -> list[dict[str, Any]]:
        """The entities ``ids`` name (in ``locale`` where the sources give a name in it), in
        order; :class:`BadRequest` for an id naming none."""
        # Run together, the lookups share the request's DataLoader: one store call.
        answers = await asyncio.gather(
            *(
                self.execute(context, ENTITY_NAME_QUERY, {"id": node_id, "locale": locale})
                for node_id in ids
            )
        )
        for node_id, data in zip(ids, answers, strict=True):
            if data["entity"] is None:
                raise BadRequest(f"'involving': there is no entity with the id {node_id!r}")
        return [data["entity"] for data in answers]

    def title(self, options: EmbedOptions, fmt: Formatter, entities: list[dict[str, Any]]) -> str:
        if options.title:
            return options.title
        if entities:
            return fmt.t("embed.title_involving", names=fmt.join([e["name"] for e in entities]))
        return fmt.t("embed.default_title")

    # - handlers -

    async def ask(self, request: Request, csp: str) -> Asked:
        """What an embed or timeline.json request asks for, and its caching headers."""
        filters = parse_filters(request.query_params, self.runtime.settings.max_ids)
        options = parse_options(request.query_params)
        items = filters.items() + options.items()
        context = self.context(request)
        etag = await self.etag(context, request, items)
        headers = {**COMMON_HEADERS, **self.cache_headers(etag), "Content-Security-Policy": csp}
        version = self.runtime.versions.version  # what etag() just read: no await between
        held = self.held.get(_held_key(request), version) if version else None
        return Asked(
            filters,
            options,
            items,
            context,
            headers,
            etag_matches(request, etag),
            None if held is None else _replay(held, {}),
        )

    async def embed(self, request: Request) -> Response:
        asked = await self.ask(request, self.frame_csp())
        if asked.not_modified:
            return Response(status_code=304, headers=asked.headers)
        if asked.held is not None:  # rendered already for this data version
            return asked.held
        filters, options, items, context, headers = (
            asked.filters, asked.options, asked.items, asked.context, asked.headers
        )  # fmt: skip
        fmt = formatter(options.locale)
        entities = await self.names(context, filters.involving, fmt.locale)
        variables = {**filters.variables(), "first": PAGE_SIZE, "after": None}
        variables["locale"] = fmt.locale
        page = (await self.execute(context, TIMELINE_QUERY, variables))["timeline"]
        events = [{**edge["node"], "why": _why(edge)} for edge in page["edges"]]
        embed_url = self.embed_url(request, items)
        explorer = f"{self.base(request)}/"
        if len(entities) == 1:
            explorer = entity_href(explorer, entities[0]["id"])
        config = {
            "graphql": f"{request.scope.get('root_path', '')}/graphql",
            "query": TIMELINE_QUERY,
            "variables": {**filters.variables(), "locale": fmt.locale},
            "pageSize": PAGE_SIZE,
            "total": page["totalCount"],
            "hasNextPage": page["pageInfo"]["hasNextPage"],
            "endCursor": page["pageInfo"]["endCursor"],
            "explorer": f"{self.base(request)}/",
            "locale": fmt.locale,
            "messages": fmt.messages,
        }
        title = self.title(options, fmt, entities)
        body = self.env.get_template("embed.html").render(
            fmt=fmt,
            title=title,
            theme=options.theme,
            events=events,
            total=page["totalCount"],
            has_next=page["pageInfo"]["hasNextPage"],
            explorer=f"{self.base(request)}/",
            explorer_link=explorer,
            oembed=self.oembed_link(request, embed_url),
            config=config,
        )
        return HTMLResponse(body, headers=headers)

    async def oembed(self, request: Request) -> Response:
        params = request.query_params
        url = _single(params, "url")
        if url is None:
            raise BadRequest("'url' is required: the embed URL to describe")
        format_ = (_single(params, "format") or "json").lower()
        if format_ != "json":
            return _json_error(501, "only format=json is supported")
        max_width, max_height = _positive(params, "maxwidth"), _positive(params, "maxheight")
        responsive = _flag(params, "responsive")
        target = urlsplit(url)
        ours = (
            target.scheme in ("http", "https")
            and target.netloc.lower() == request.url.netloc.lower()
            and target.path.rstrip("/") == f"{request.scope.get('root_path', '')}{EMBED_PATH}"
        )
        if not ours:
            example = self.embed_url(request, [("involving", "country:pa")])
            return _json_error(404, f"not an embed of this service; embed URLs look like {example}")
        embedded = QueryParams(target.query)
        filters = parse_filters(embedded, self.runtime.settings.max_ids)
        options = parse_options(embedded)
        items = filters.items() + options.items()
        context = self.context(request)
        etag = await self.etag(
            context,
            request,
            [
                ("url", urlencode(items)),
                ("maxwidth", str(max_width)),
                ("maxheight", str(max_height)),
                ("responsive", str(responsive)),
            ],
        )
        headers = {
            **COMMON_HEADERS,
            **self.cache_headers(etag),
            "Content-Security-Policy": JSON_CSP,
        }
        if etag_matches(request, etag):
            return Response(status_code=304, headers=headers)
        fmt = formatter(options.locale)
        title = self.title(options, fmt, await self.names(context, filters.involving, fmt.locale))
        width = min(DEFAULT_WIDTH, max_width or DEFAULT_WIDTH)
        height = min(options.height or DEFAULT_HEIGHT, max_height or MAX_HEIGHT)
        src = self.embed_url(request, items)
        html = Markup(
            '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
            'style="border:0;max-width:100%"></iframe>'
        ).format(src, width, height, title)
        if responsive:
            # The host script sizes the iframe to its content (see docs/embeds.md).
            html += Markup('<script async src="{}"></script>').format(self.host_script(request))
        body = {
            "type": "rich",
            "version": "1.0",
            "title": title,
            "provider_name": "timeline",
            "provider_url": f"{self.base(request)}/",
            "cache_age": 300,
            "html": str(html),
            "width": width,
            "height": height,
        }
        return JSONResponse(body, headers=headers)

    async def timeline_json(self, request: Request) -> Response:
        settings = self.runtime.settings
        asked = await self.ask(request, JSON_CSP)
        if asked.not_modified:
            return Response(status_code=304, headers=asked.headers)
        if asked.held is not None:  # rendered already for this data version
            return asked.held
        filters, options, context, headers = (
            asked.filters,
            asked.options,
            asked.context,
            asked.headers,
        )
        fmt = formatter(options.locale)
        entities = await self.names(context, filters.involving, fmt.locale)
        events: list[dict[str, Any]] = []
        after: str | None = None
        total = 0
        while len(events) < JSON_MAX_EVENTS:
            variables = {
                **filters.variables(),
                "first": min(settings.max_page, JSON_MAX_EVENTS - len(events)),
                "after": after,
                "locale": fmt.locale,
            }
            page = (await self.execute(context, TIMELINE_QUERY, variables))["timeline"]
            total = page["totalCount"]
            events += [edge["node"] for edge in page["edges"]]
            after = page["pageInfo"]["endCursor"]
            if not page["pageInfo"]["hasNextPage"] or not page["edges"]:
                break
        title = self.title(options, fmt, entities)
        body = {
            "title": {
                "text": {
                    "headline": str(escape(title)),
                    "text": str(Markup("<p>{}</p>").format(fmt.plural("events.count", total))),
                }
            },
            "events": [_slide(event, fmt) for event in events],
        }
        return JSONResponse(body, headers=headers)

    async def read(
        self, context: Context, query: str, variables: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Run one operation as the browser does: what it answers, with an unknown or
        malformed id as null (a bad input is the reader's view, not an error page)."""
        result = await self.schema.execute(
            query, variable_values=dict(variables), context_value=context
        )
        codes = {(e.extensions or {}).get("code") for e in result.errors or ()}
        if UNAVAILABLE in codes:
            raise Unavailable((result.errors or [])[0].message)
        if TIMEOUT in codes:
            raise StoreTimeout("page query", self.runtime.settings.store_timeout)
        if codes - {BAD_USER_INPUT, NOT_FOUND}:
            raise RuntimeError(f"page query failed: {[e.message for e in result.errors or ()]}")
        return dict(result.data or {})

    async def first_view(
        self, context: Context, params: QueryParams, fmt: Formatter
    ) -> tuple[dict[str, Any], str, int]:
        """The explorer's view of an address, rendered on the server; with its page title
        and HTTP status (404 for an entity that does not exist).

        The view says its ``route`` (home, entity, path: what the address asks), its
        ``kind`` (those, ``path_pick`` or ``missing``) and its ``data``: the answers to the
        query documents and variables ``static/explorer.js`` would send for it."""
        locale = fmt.locale
        title = fmt.t("explorer.title")
        entity = _single(params, "entity")
        path = None if entity is not None else _single(params, "path")
        if entity is not None:
            variables = {"id": entity, "first": PAGE_SIZE, "locale": locale}
            data, near = await asyncio.gather(
                self.read(context, ENTITY_QUERY, variables),
                self.read(context, NEIGHBORS_QUERY, {"id": entity, "locale": locale}),
            )
            view: dict[str, Any] = {"route": "entity"}
            if not data.get("entity") or not data.get("timeline"):
                view |= {"kind": "missing", "missing": entity, "data": {"entity": None}}
                return view, title, 404
            view |= {"kind": "entity", "data": data, "neighbors": near.get("neighbors")}
            return view, f"{data['entity']['name']} — {title}", 200
        if path is not None:
            view = {"route": "path"}
            start, end, *_ = [*(part.strip() for part in path.split(",")), "", ""]
            if not (ID_PATTERN.match(start) and ID_PATTERN.match(end)):
                return view | {"kind": "path_pick"}, title, 200
            variables = {"from": start, "to": end, "maxLength": PATH_MAX_LENGTH}
            data = await self.read(context, PATH_QUERY, {**variables, "locale": locale})
            a, b = data.get("a"), data.get("b")
            if not a or not b:
                view |= {"kind": "missing", "missing": end if a else start, "data": data}
                return view, title, 404
            view |= {"kind": "path", "data": data}
            return view, f"{a['name']} → {b['name']} — {title}", 200
        variables = {"first": PAGE_SIZE, "after": None, "locale": locale}
        data = await self.read(context, TIMELINE_QUERY, variables)
        return {"route": "home", "kind": "home", "data": data}, title, 200

    async def explorer(self, request: Request) -> Response:
        fmt = reader_formatter(request, cookie=True)
        try:
            view, title, status = await self.first_view(
                self.context(request), request.query_params, fmt
            )
        except StoreTimeout as exc:
            # A slow store costs the first view, not the page: the script asks for it.
            logger.info("explorer %s: no first view: %s", request.url.path, exc)
            view, title, status = {"kind": "later"}, fmt.t("explorer.title"), 200
        entity = _single(request.query_params, "entity")
        oembed = None
        if entity is None and _single(request.query_params, "path") is None:
            oembed = self.oembed_link(request, self.embed_url(request, []))
        elif entity is not None and is_valid_id(entity):
            oembed = self.oembed_link(request, self.embed_url(request, [("involving", entity)]))
        config = {
            "graphql": f"{request.scope.get('root_path', '')}/graphql",
            "embed": f"{self.base(request)}{EMBED_PATH}",
            "queries": {
                "timeline": TIMELINE_QUERY,
                "entity": ENTITY_QUERY,
                "entityEvents": ENTITY_EVENTS_QUERY,
                "neighbors": NEIGHBORS_QUERY,
                "search": SEARCH_QUERY,
                "path": PATH_QUERY,
            },
            "pageSize": PAGE_SIZE,
            "pathMaxLength": PATH_MAX_LENGTH,
            "export": f"{request.scope.get('root_path', '')}/export",
            # loaded by the script only when a graph is about to be shown
            "cytoscape": self.static_url(CYTOSCAPE) if _static_hash(CYTOSCAPE) else None,
            "locale": fmt.locale,
            "messages": fmt.messages,
            # the first view's answers: the script shows them without asking again
            "initial": {k: v for k, v in view.items() if k in ("route", "data", "neighbors")}
            or None,
        }
        body = self.env.get_template("explorer.html").render(
            fmt=fmt,
            oembed=oembed,
            config=config,
            theme="auto",
            languages=language_links(request, fmt.locale),
            view=view,
            title=title,
        )
        headers = {
            **COMMON_HEADERS,
            "Content-Security-Policy": _csp("'none'"),
            "X-Frame-Options": "DENY",
            "Vary": "Accept-Language, Cookie",
        }
        response = HTMLResponse(body, status_code=status, headers=headers)
        if _single(request.query_params, "locale") is not None:
            # The language switch's choice outlives the link: the script's own navigation
            # (``?entity=...``) does not carry ``locale``.
            response.set_cookie(
                LOCALE_COOKIE, fmt.locale, max_age=365 * 86400, samesite="lax", httponly=True
            )
        return response


LOCALE_COOKIE = "timeline_locale"


def reader_formatter(request: Request, *, cookie: bool = False) -> Formatter:
    """The reader's language: ``?locale=``, then (``cookie``) the explorer's remembered
    choice, then ``Accept-Language``; English if none is supported."""
    params = request.query_params
    wanted = params.getlist("locale")[:1]
    if cookie:
        wanted.append(request.cookies.get(LOCALE_COOKIE, ""))
    wanted += parse_accept_language(request.headers.get("accept-language"))
    return formatter(*wanted)


def language_links(request: Request, current: str) -> list[dict[str, Any]]:
    """The language switch: this page in each language (the query kept, ``locale`` set)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "locale"]
    return [
        {
            "locale": code,
            "name": name,
            "href": "?" + urlencode([*kept, ("locale", code)], safe=":,"),
            "current": code == current,
        }
        for code, name in LOCALES.items()
    ]


# --- the review page -------------------------------------------------------------------------

_ITEM = (
    "id kind status reason confidence entity name entityKind proposedId acronym context edtf "
    "precision relative relation subject object role basis note category participants place "
    "quote { start end spanStart spanEnd }"
)
REVIEW_QUERIES = {
    "list": "query { proposals { id title published created items { id status } } }",
    "set": (
        "query($id: ID!) { proposalSet(id: $id) { id title published text documentId "
        f"items {{ {_ITEM} }} }} }}"
    ),
    "accept": (
        "mutation($id: ID!, $edits: JSON) { acceptProposal(id: $id, edits: $edits) "
        "{ changed dataVersion proposal { id status } } }"
    ),
    "reject": (
        "mutation($id: ID!, $reason: String!) { rejectProposal(id: $id, reason: $reason) "
        "{ id status reason } }"
    ),
    "ingest": "mutation($input: IngestInput!) { ingest(input: $input) { id items { id } } }",
}


def review_route(pages: Pages) -> Route:
    """The review page (``/review``): an ingested article, its mentions highlighted, each
    proposal beside its sentence, accept / edit / reject (``static/review.js``, over GraphQL
    with a ``write`` key the reviewer types in; the page itself holds no data)."""

    async def review(request: Request) -> Response:
        config = {
            "graphql": f"{request.scope.get('root_path', '')}/graphql",
            "queries": REVIEW_QUERIES,
        }
        body = pages.env.get_template("review.html").render(config=config)
        headers = {
            **COMMON_HEADERS,
            "Content-Security-Policy": _csp("'none'"),
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        }
        return HTMLResponse(body, headers=headers)

    return Route("/review", pages.guarded(review, html=True), methods=["GET"], name="review")


def page_routes(runtime: Runtime) -> list[BaseRoute]:
    """The routes of the embed, oEmbed, TimelineJS JSON, explorer and static files."""
    pages = Pages(runtime)
    return [
        Route("/", pages.guarded(pages.explorer, html=True), methods=["GET"], name="explorer"),
        review_route(pages),
        Route(EMBED_PATH, pages.guarded(pages.embed, html=True), methods=["GET"], name="embed"),
        Route(HOST_SCRIPT_PATH, pages.host_js, methods=["GET"], name="host_js"),
        Route("/oembed", pages.guarded(pages.oembed, html=False), methods=["GET"], name="oembed"),
        Route(
            "/timeline.json",
            pages.guarded(pages.timeline_json, html=False),
            methods=["GET"],
            name="timeline_json",
        ),
        Mount("/static", StaticFiles(packages=[("timeline.api", "static")]), name="static"),
    ]
