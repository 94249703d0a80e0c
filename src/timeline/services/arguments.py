"""The argument rules the services share, in neutral words.

A service names an argument by its parameter (``start``, ``end``, ``min_weight``), and each
front end says it in its own spelling: the GraphQL API and the HTTP pages as ``from``,
``to`` and ``minWeight`` (:data:`API_NAMES`), the Python API as its keyword arguments.

>>> import datetime as dt
>>> try:
...     check_window(dt.date(2022, 5, 1), dt.date(2022, 4, 1))
... except InvalidArgument as exc:
...     print(exc)
...     print(exc.spelled(API_NAMES))
'end' (2022-04-01) is before 'start' (2022-05-01)
'to' (2022-04-01) is before 'from' (2022-05-01)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from timeline.model.dates import DateError, parse_day

__all__ = [
    "API_NAMES",
    "InvalidArgument",
    "check_min_weight",
    "check_window",
    "day",
]

#: How the GraphQL API and the HTTP query strings name the services' arguments.
API_NAMES: Mapping[str, str] = {"start": "from", "end": "to", "min_weight": "minWeight"}


class InvalidArgument(ValueError):
    """An argument a caller gave that cannot be used; the message says how to fix it.

    Made with :meth:`naming`, the message names arguments as ``{start}``-style fields,
    which :meth:`spelled` fills with a front end's names (the neutral ones by default);
    the other fields are values, never read as a template themselves.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.template: str | None = None
        self.values: dict[str, object] = {}

    @classmethod
    def naming(cls, template: str, **values: object) -> InvalidArgument:
        error = cls(template.format_map(_Names({}, values)))
        error.template, error.values = template, values
        return error

    def spelled(self, names: Mapping[str, str]) -> str:
        """The message with each argument called as ``names`` calls it."""
        if self.template is None:
            return str(self)
        return self.template.format_map(_Names(names, self.values))


class _Names(dict[str, object]):
    def __init__(self, names: Mapping[str, str], values: Mapping[str, object]) -> None:
        super().__init__(values)
        self.names = names

    def __missing__(self, argument: str) -> str:
        return self.names.get(argument, argument)


def day(value: dt.date | str | None, argument: str) -> dt.date | None:
    """``value`` as a day: a date as it is, ISO text parsed (``argument`` names it)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_day(value)
    except DateError as exc:
        raise InvalidArgument.naming("{" + argument + "}: {problem}", problem=exc) from None


def check_window(start: dt.date | None, end: dt.date | None) -> None:
    """A window of days must not end before it starts."""
    if start is not None and end is not None and end < start:
        raise InvalidArgument.naming(
            "'{end}' ({end_day}) is before '{start}' ({start_day})",
            end_day=end.isoformat(),
            start_day=start.isoformat(),
        )


def check_min_weight(value: int) -> None:
    """A co-participation edge weighs at least one shared event."""
    if value < 1:
        raise InvalidArgument.naming("{min_weight} must be at least 1, got {value}", value=value)
