"""The ``Date`` scalar: a calendar day as ISO text (YYYY-MM-DD), in and out."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.schema.config import StrawberryConfig

from timeline.model.dates import DateError, parse_day

__all__ = ["DATE", "config"]


def _serialize(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"Date cannot represent {value!r}")


def _parse(value: object) -> dt.date:
    if not isinstance(value, str):
        raise DateError(f"a Date is a calendar day as text (YYYY-MM-DD), got {value!r}")
    return parse_day(value)


DATE = strawberry.scalar(
    name="Date",
    description="A calendar day, ISO 8601 (YYYY-MM-DD), e.g. 2022-04-20.",
    serialize=_serialize,
    parse_value=_parse,
)


def config() -> StrawberryConfig:
    """The schema configuration: ``datetime.date`` is the ``Date`` scalar above."""
    return StrawberryConfig(scalar_map={dt.date: DATE})
