"""Timeline pages: keyset cursors and turning API arguments into a :class:`TimelineQuery`.

A cursor is the event's sort key ``(start, end, id)``, versioned and base64-encoded so that
clients treat it as opaque. It names a position in time order, not a row number, so it
stays valid while events are added elsewhere and works with either order:

>>> cursor = encode_cursor(("2022-04-19", "2022-04-20", "event:panama-ministerial-2022"))
>>> decode_cursor(cursor)
('2022-04-19', '2022-04-20', 'event:panama-ministerial-2022')
>>> decode_cursor("not a cursor")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
timeline.services.timeline.InvalidCursor: invalid cursor 'not a cursor': use a cursor from ...
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence

from timeline.model.involvement import Mode
from timeline.model.records import EVENT_STATUSES, Event
from timeline.services.arguments import InvalidArgument, check_window, day
from timeline.stores.base import Order, SortKey, TimelineQuery

__all__ = [
    "CURSOR_VERSION",
    "InvalidCursor",
    "decode_cursor",
    "encode_cursor",
    "event_cursor",
    "timeline_query",
]

CURSOR_VERSION = "v1"


class InvalidCursor(InvalidArgument):
    """A cursor that no page of this service produced."""


def encode_cursor(key: SortKey) -> str:
    """An opaque, stable cursor for an event's sort key."""
    raw = "|".join((CURSOR_VERSION, *key)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def event_cursor(event: Event) -> str:
    return encode_cursor(event.sort_key)


def decode_cursor(cursor: str) -> SortKey:
    """The sort key inside a cursor; :class:`InvalidCursor` (a ValueError) for anything else."""
    problem = InvalidCursor(
        f"invalid cursor {cursor[:80]!r}: use a cursor from a previous page "
        "(pageInfo.endCursor or an edge's cursor)"
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raise problem from None
    parts = text.split("|")
    if len(parts) != 4 or parts[0] != CURSOR_VERSION or not parts[3]:
        raise problem
    _, start, end, event_id = parts
    try:
        if dt.date.fromisoformat(start) > dt.date.fromisoformat(end):
            raise problem
    except ValueError:
        raise problem from None
    return (start, end, event_id)


def timeline_query(
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    involving: Sequence[str] | None = None,
    linked_to: str | None = None,
    categories: Sequence[str] | None = None,
    text: str | None = None,
    status: str | None = None,
    order: Order | None = None,
    first: int = 20,
    after: str | None = None,
    with_links: bool = False,
    mode: Mode = Mode.ALL,
    explain: bool = False,
) -> TimelineQuery:
    """A :class:`TimelineQuery` from API arguments: days as ``date`` or ISO text, an opaque
    ``after`` cursor. Raises :class:`InvalidArgument` with a reason a person can act on."""
    start_day, end_day = day(start, "start"), day(end, "end")
    check_window(start_day, end_day)
    if first < 0:
        raise InvalidArgument(f"first must not be negative, got {first}")
    text = text.strip() if text else None
    if status is not None and status not in EVENT_STATUSES:
        raise InvalidArgument(
            f"status is one of {', '.join(EVENT_STATUSES)}, got {str(status)[:40]!r}"
        )
    return TimelineQuery(
        start=start_day,
        end=end_day,
        involving=tuple(dict.fromkeys(involving or ())),
        linked_to=linked_to,
        categories=tuple(dict.fromkeys(categories or ())),
        text=text or None,
        status=status,
        order=order or Order.ASC,
        first=first,
        after=decode_cursor(after) if after else None,
        with_links=with_links,
        mode=mode,
        explain=explain and bool(involving),
    )
