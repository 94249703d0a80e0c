"""Every string the embeds and the explorer show a reader, and how values are put into words.

One table of messages per locale; the server renders with a :class:`Formatter` and hands the
same table to the browser (``static/format.js``), so a page rendered on the server and the
events a script adds later read alike. English is the only locale so far: a new one is a new
table in :data:`MESSAGES` (keys missing from it fall back to English).

Dates are *not* formatted here from parts: the API gives every date pre-formatted, as honest
as its sources (``DateSpan.display``: "October 2021", never "1 October 2021"), and
:meth:`Formatter.date` passes it through. A locale with its own date style changes that one
method.

>>> fmt = formatter("en")
>>> fmt.plural("events.count", 1)
'1 event'
>>> fmt.category("press_conference")
'Press conference'
>>> fmt.relation("ATTENDED", "IN")
'Attended by'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_LOCALE", "MESSAGES", "Formatter", "UnsupportedLocale", "formatter"]

DEFAULT_LOCALE = "en"

EN: dict[str, str] = {
    # the embed
    "embed.default_title": "Timeline",
    "embed.title_involving": "Events involving {names}",
    "embed.names_and": " and ",
    "embed.feed_label": "Events",
    "events.count.one": "{count} event",
    "events.count.other": "{count} events",
    "events.more": "More events",
    "events.loading": "Loading more events…",
    "events.loaded.one": "{count} more event loaded",
    "events.loaded.other": "{count} more events loaded",
    "events.failed": "More events could not be loaded. Press “More events” to try again.",
    "events.end": "End of the timeline",
    "events.empty": "No events match these filters.",
    "event.part_of": "Part of",
    "event.why": "Why",
    "event.why_more.one": "and {count} more reason",
    "event.why_more.other": "and {count} more reasons",
    "event.participants": "Participants",
    "event.more_participants.one": "and {count} more",
    "event.more_participants.other": "and {count} more",
    "event.open": "Open in the explorer",
    "sources.toggle.one": "{count} source",
    "sources.toggle.other": "{count} sources",
    "sources.published": "published {date}",
    "sources.link": "Read the document",
    "sources.none": "No sources recorded.",
    "sources.stated": "Stated: the quote says this.",
    "sources.inferred": "Inferred: {note}",
    "sources.inferred_no_note": "Inferred from this quote.",
    "event.planned": "Planned",
    "event.planned_hint": "Announced as planned; no text reports that it happened.",
    "footer.credit": "Every fact with its source",
    "footer.explorer": "Explore the graph",
    # errors
    "error.title": "This timeline cannot be shown",
    "error.unavailable": "The data is not available right now; please try again later.",
    "error.help": "See the embed documentation for every parameter.",
    # the explorer
    "explorer.title": "Migration diplomacy in the Americas",
    "explorer.tagline": "A sourced graph of events, people, countries, organizations, "
    "places and agreements.",
    "explorer.search_label": "Search",
    "explorer.search_placeholder": "A person, country, organization, place, event…",
    "explorer.search_empty": "Nothing found for “{text}”.",
    "explorer.search_results.one": "{count} result",
    "explorer.search_results.other": "{count} results",
    "explorer.match.alias": "also",
    "explorer.match.acronym": "acronym",
    "explorer.match.category": "type",
    "explorer.match.venue": "held in",
    "explorer.match.position": "position",
    "explorer.match.description": "about",
    "explorer.home": "All events",
    "explorer.home_intro": "Search for anyone or anything above, or find how two entities "
    "are connected.",
    "explorer.loading": "Loading…",
    "explorer.not_found": "There is no entity with the id “{id}”.",
    "explorer.failed": "Something went wrong: {message}",
    "explorer.aliases": "Also known as",
    "explorer.embed": "Embed this timeline",
    "explorer.download": "Download",
    "explorer.download_all": "The whole graph:",
    "explorer.download_entity": "This timeline's events, what they link to and the relations "
    "among them:",
    "explorer.download_seeds": "seeds (YAML)",
    "explorer.timeline": "Timeline",
    "explorer.relations": "Relations",
    "explorer.positions": "Positions",
    "explorer.graph": "Relationship graph",
    "explorer.graph_label": "Graph of {name} and its {count} direct neighbours. "
    "The same links are listed under Relations.",
    "explorer.graph_unavailable": "The graph viewer is not installed (run make assets).",
    "explorer.no_relations": "No relations recorded.",
    "explorer.no_events": "No events recorded.",
    "explorer.sources": "Sources",
    "explorer.sources_for": "Sources for: {fact}",
    "explorer.sources_hint": "Choose “Sources” beside any fact to see the documents and "
    "verbatim quotes it comes from.",
    "explorer.show_sources": "Sources",
    "explorer.inferred": "inferred",
    "explorer.inferred_hint": "No quote states this; it follows from the sources (see why).",
    "explorer.position_span": "{start} – {end}",
    "explorer.position_since": "since {start}",
    "explorer.position_until": "until {end}",
    "path.heading": "Find a path",
    "path.from": "From",
    "path.to": "To",
    "path.submit": "Find path",
    "path.none": "No connection of at most {max} steps between these two.",
    "path.result.one": "Connected in {count} step",
    "path.result.other": "Connected in {count} steps",
    "path.pick": "Pick both ends from the suggestions, or type their ids.",
    # kinds
    "kind.EVENT": "Event",
    "kind.PERSON": "Person",
    "kind.COUNTRY": "Country",
    "kind.ORGANIZATION": "Organization",
    "kind.AGREEMENT": "Agreement",
    "kind.PLACE": "Place",
    # relations, as read from the entity shown (OUT: it is the subject; IN: the object)
    "relation.ATTENDED.OUT": "Attended",
    "relation.ATTENDED.IN": "Attended by",
    "relation.HOSTED.OUT": "Hosted",
    "relation.HOSTED.IN": "Hosted by",
    "relation.ORGANIZED.OUT": "Organized",
    "relation.ORGANIZED.IN": "Organized by",
    "relation.HELD_IN.OUT": "Held in",
    "relation.HELD_IN.IN": "Venue of",
    "relation.PART_OF.OUT": "Part of",
    "relation.PART_OF.IN": "Includes",
    "relation.SIGNED.OUT": "Signed",
    "relation.SIGNED.IN": "Signed by",
    "relation.PARTY_TO.OUT": "Party to",
    "relation.PARTY_TO.IN": "Parties",
    "relation.ADOPTED_AT.OUT": "Adopted at",
    "relation.ADOPTED_AT.IN": "Adopted here",
    "relation.HOLDS_POSITION.OUT": "Holds a position in",
    "relation.HOLDS_POSITION.IN": "Office holders",
    "relation.MEMBER_OF.OUT": "Member of",
    "relation.MEMBER_OF.IN": "Members",
    "relation.LOCATED_IN.OUT": "Located in",
    "relation.LOCATED_IN.IN": "Contains",
    "relation.MET_WITH.OUT": "Met with",
    "relation.MET_WITH.IN": "Met with",
    "relation.ANNOUNCED.OUT": "Announced",
    "relation.ANNOUNCED.IN": "Announced by",
    "relation.FUNDED.OUT": "Funded",
    "relation.FUNDED.IN": "Funded by",
    "relation.MENTIONED_IN.OUT": "Mentioned in",
    "relation.MENTIONED_IN.IN": "Mentions",
    "relation.RELATED_TO.OUT": "Related to",
    "relation.RELATED_TO.IN": "Related to",
    # roles and categories not listed read as their words ("press_conference": "Press
    # conference"); list one here only where that reads badly.
    "role.co-host": "co-host",
}

#: The message tables, by locale.
MESSAGES: dict[str, dict[str, str]] = {"en": EN}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class UnsupportedLocale(ValueError):
    """A locale with no message table."""


def _words(value: str) -> str:
    """``press_conference`` -> ``press conference``."""
    return re.sub(r"[_\s]+", " ", value).strip()


class Formatter:
    """Messages and labels in one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._messages = {**EN, **MESSAGES.get(locale, {})}

    @property
    def messages(self) -> dict[str, str]:
        """The whole table, for the browser."""
        return dict(self._messages)

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` with ``{name}`` placeholders filled in."""
        template = self._messages.get(key, key)
        return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), template)

    def plural(self, key: str, count: int, **params: Any) -> str:
        form = "one" if count == 1 else "other"
        return self.t(f"{key}.{form}", count=count, **params)

    def category(self, value: str) -> str:
        label = self._messages.get(f"category.{value}")
        if label is not None:
            return label
        words = _words(value)
        return words[:1].upper() + words[1:]

    def role(self, value: str) -> str:
        return self._messages.get(f"role.{value}") or _words(value)

    def kind(self, value: str) -> str:
        return self._messages.get(f"kind.{value.upper()}") or value.capitalize()

    def relation(self, type_: str, direction: str) -> str:
        label = self._messages.get(f"relation.{type_}.{direction}")
        if label is not None:
            return label
        words = _words(type_.lower())
        return words[:1].upper() + words[1:]

    def date(self, span: Mapping[str, Any] | None) -> str:
        """A ``DateSpan`` as the API formats it (its ``display``)."""
        return str(span.get("display") or span.get("edtf") or "") if span else ""

    def join(self, names: list[str]) -> str:
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + self.t("embed.names_and") + names[-1]


def formatter(locale: str | None) -> Formatter:
    """The formatter for a locale (``en``, ``en-GB`` ... fall back by language);
    :class:`UnsupportedLocale` for one with no table."""
    wanted = (locale or DEFAULT_LOCALE).strip()
    for candidate in (wanted, wanted.split("-")[0].split("_")[0].lower()):
        if candidate in MESSAGES:
            return Formatter(candidate)
    supported = ", ".join(sorted(MESSAGES))
    raise UnsupportedLocale(f"locale {wanted[:20]!r} is not supported; use one of: {supported}")
