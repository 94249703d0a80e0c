"""HTTP caching a CDN can use: ETags, Cache-Control, 304s and stale answers on errors.

Every cacheable answer — a GraphQL query over GET (persisted or not), an embed, oEmbed,
``/timeline.json`` — carries

- ``ETag``: a digest of the data version and what was asked (for GraphQL the document,
  operation name and variables; for pages the path and parameters), so it changes exactly
  when the answer may; a request whose ``If-None-Match`` names it answers ``304``;
- ``Cache-Control``: ``public, max-age=<cache_max_age>, s-maxage=<cache_s_maxage>,
  stale-while-revalidate=<cache_stale_while_revalidate>, stale-if-error=<cache_stale_if_error>``
  (``private`` instead of ``public`` when reading needs a key).

**Rendered once per version**: an embed or ``/timeline.json`` answer a worker rendered is
held under its URL and data version (``stale_pages_size`` of them) and served again while
the version is current, without querying the graph.

**Stale if error**: a worker remembers the last data version the store gave it, and when.
When the store cannot be reached, an answer the worker still holds for that version (the
GraphQL response cache; the last rendered embeds and ``/timeline.json``) is served, for up
to ``cache_stale_if_error`` seconds after the store last answered, marked
``X-Timeline-Stale: store-unavailable`` (with ``Age``); anything else answers
``UNAVAILABLE`` / 503 as before.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from timeline.config import Settings

__all__ = ["STALE_HEADER", "CachePolicy", "DataVersions", "Held", "StaleAnswers", "etag_matches"]

STALE_HEADER = "X-Timeline-Stale"


def etag_matches(request: Request, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, ``*`` included)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


class CachePolicy:
    """The ``Cache-Control`` of cacheable answers, from the settings."""

    def __init__(self, settings: Settings) -> None:
        scope = "private" if settings.read_requires_key else "public"
        self.stale_window = settings.cache_stale_if_error
        self.header = (
            f"{scope}, max-age={settings.cache_max_age}, s-maxage={settings.cache_s_maxage}, "
            f"stale-while-revalidate={settings.cache_stale_while_revalidate}, "
            f"stale-if-error={settings.cache_stale_if_error}"
        )

    @staticmethod
    def graphql_etag(
        version: str, query: str, operation: str | None, variables: Mapping[str, Any] | None
    ) -> str:
        canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        key = "\x1f".join((version, query, str(operation or ""), canonical))
        return 'W/"' + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32] + '"'


class DataVersions:
    """The last data version the store gave this worker, and when (``time.monotonic``)."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.at = 0.0

    def seen(self, version: str) -> None:
        self.version, self.at = version, time.monotonic()

    def age(self) -> float:
        """Seconds since the store last gave a version."""
        return time.monotonic() - self.at

    def usable(self, window: float) -> str | None:
        """The last version, if the store answered within ``window`` seconds."""
        if self.version is None or time.monotonic() - self.at > window:
            return None
        return self.version


@dataclass(frozen=True, slots=True)
class Held:
    """A rendered answer kept for serving stale: for which version, when, and what."""

    version: str
    at: float
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    media_type: str | None


class StaleAnswers:
    """The last rendered page answers (at most ``size``), to serve when the store is down."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._held: OrderedDict[str, Held] = OrderedDict()

    def keep(
        self,
        key: str,
        version: str,
        status: int,
        body: bytes,
        headers: Mapping[str, str],
        media_type: str | None,
    ) -> None:
        if self.size <= 0:
            return
        self._held[key] = Held(
            version, time.monotonic(), status, body, tuple(headers.items()), media_type
        )
        self._held.move_to_end(key)
        while len(self._held) > self.size:
            self._held.popitem(last=False)

    def get(self, key: str, version: str) -> Held | None:
        held = self._held.get(key)
        if held is None or held.version != version:
            return None
        return held
