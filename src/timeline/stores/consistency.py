"""Read-your-writes across replicas: the bookmark of a write, handed back and honoured.

On Neo4j every write transaction ends with a *bookmark* (the position of the commit in the
database's history). A store call made while :data:`read_after` holds bookmarks starts
its transaction only once the member it runs on has caught up with them, so a read routed
to a cluster secondary (or an Aura read replica) sees that write. Within one process the
driver's shared bookmark manager already does this; across API replicas the client carries
the bookmark: the API answers a mutation with ``X-Timeline-Bookmark`` and honours the
header on any later request
(docs/operations.md, "Scaling out").

The memory backend needs none of this (every worker follows one journal before it
answers); it ignores both variables.
"""

from __future__ import annotations

import contextvars

__all__ = ["decode_bookmarks", "encode_bookmarks", "note_written", "read_after", "written"]

#: Bookmarks the current request's store calls must see (set by the API from the header).
read_after: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "timeline_read_after", default=()
)
#: Where the store puts the bookmarks of the current request's last write: a list the API
#: sets per request (a list, so a write in a task of its own still reaches the request).
written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "timeline_written", default=None
)


def note_written(values: tuple[str, ...]) -> None:
    box = written.get()
    if box is not None:
        box[:] = values


#: Longest header value accepted (bookmarks are short; a client cannot make reads wait on
#: thousands of them).
MAX_HEADER = 2048


def encode_bookmarks(values: tuple[str, ...]) -> str:
    return " ".join(sorted(values))


def decode_bookmarks(header: str | None) -> tuple[str, ...]:
    """The bookmarks a header names (space-separated); () for none or an oversize one."""
    if not header or len(header) > MAX_HEADER:
        return ()
    return tuple(part for part in header.split() if part.isascii() and part.isprintable())
