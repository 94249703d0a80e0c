"""What the app serves from: its settings and, once the lifespan opened it, its store.

The app (``app.py``) creates one :class:`Runtime` and hands it to every route module
(pages, exports, the GraphQL endpoint), which read the store from it per request; so the
route modules depend on this module, never on the app that assembles them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from timeline.api.httpcache import DataVersions
from timeline.config import Settings
from timeline.stores.base import Store

__all__ = ["Runtime"]


@dataclass
class Runtime:
    """What the app serves from: its settings and, once open, its store."""

    settings: Settings
    store: Store | None = None
    #: The last data version the store gave this worker (for serving stale on errors).
    versions: DataVersions = dataclasses.field(default_factory=DataVersions)
