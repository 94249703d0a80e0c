"""Transcripts: a heading block (who, at what, the dateline, the venue) and then turns
("MINISTER RUIZ:  ...", "MR SMITH:  ...").

Government and agency transcripts are written so: the heading names the speakers and the
event ("At a Press Availability", "Remarks at the ... Dinner"), a line
dates it, the next line gives the venue, and every turn starts with its speaker's name in
capitals. This module only reads that shape from the text; the pipeline links the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Section", "find_sections"]

#: A turn: a line that starts with a speaker's name in capitals and a colon.
TURN = re.compile(r"^((?:[A-Z][A-Z.’'-]*[ \u00a0]){0,4}[A-Z][A-Z.’'-]+):[ \u00a0]", re.M)
_LINE = re.compile(r"[^\n]+")
_DATE_LINE = re.compile(
    r"^\W*(?:[A-Z][a-zé]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:de\s+)?[A-Za-zé]+\.?\s+(?:de\s+)?\d{4})"
    r"\W*$"
)
#: Words before the event in a heading's title line ("Opening Remarks at the ...").
_TITLE_LEAD = re.compile(
    r"^(?:(?:Opening|Closing|Keynote|Welcome)\s+)?(?:Remarks|Statement|Palabras|Discurso)?"
    r"\s*(?:at|en|durante)?\s*(?:the|a|an|el|la|una?)?\s+",
    re.I,
)
_MAX_HEADING_WORDS = 20


@dataclass
class Section:
    """One transcript: its heading lines, title (the event), dateline, venue, its turns'
    speaker labels and where its text ends."""

    heading: tuple[int, int]
    lines: list[tuple[int, int]]
    title: tuple[int, int] | None
    dateline: tuple[int, int] | None
    venue: tuple[int, int] | None
    end: int
    speakers: list[tuple[int, int]] = field(default_factory=list)


def _heading_line(text: str, span: tuple[int, int]) -> bool:
    line = text[span[0] : span[1]].strip()
    return (
        bool(line)
        and len(line.split()) <= _MAX_HEADING_WORDS
        and not line.endswith((".", "?", "!", ":", ";"))
        and not TURN.match(line + " ")
    )


def find_sections(text: str) -> list[Section]:
    """The transcripts in ``text``: a turn with a dated heading block right before it
    starts one, which runs to the next one's heading (or to the first heading-like line
    after its last turn)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    starts = {s: i for i, (s, _) in enumerate(lines)}
    sections: list[Section] = []
    for turn in TURN.finditer(text):
        at = starts.get(turn.start())
        if at is None:
            continue
        heading: list[tuple[int, int]] = []
        k = at - 1
        while k >= 0 and len(heading) < 10 and _heading_line(text, lines[k]):
            heading.insert(0, lines[k])
            k -= 1
        dated = [h for h in heading if _DATE_LINE.match(text[h[0] : h[1]])]
        if len(heading) >= 2 and dated:
            dateline = dated[0]
            after = [h for h in heading if h[0] > dateline[0]]
            titled = [
                h
                for h in heading
                if h[0] < dateline[0]
                and re.match(
                    r"(?:(?:Opening|Closing)\s+)?(?:Remarks\s+)?(?:[Aa]t|[Ee]n)\b", text[h[0] :]
                )
            ]
            title = titled[0] if titled else None
            if title is not None:
                # a title that goes on to the next line ("... Session on Regional Trade and")
                nxt = next((h for h in heading if h[0] > title[1]), None)
                if (
                    nxt is not None
                    and nxt[0] < dateline[0]
                    and re.search(r"\b(?:of|and|on|for|de|y|sobre)\s*$", text[title[0] : title[1]])
                ):
                    title = (title[0], nxt[1])
            if sections and sections[-1].end > heading[0][0]:
                sections[-1].end = heading[0][0]
            sections.append(
                Section(
                    (heading[0][0], heading[-1][1]),
                    heading,
                    title,
                    dateline,
                    after[0] if after else None,
                    len(text),
                )
            )
        if sections and turn.start() < sections[-1].end:
            sections[-1].speakers.append((turn.start(), turn.end(1)))
    for section in sections:
        last = section.speakers[-1][0] if section.speakers else section.heading[1]
        for s, e in lines:
            if s > last and _heading_line(text, (s, e)) and s < section.end:
                section.end = s
                break
    return sections


def title_text(text: str, section: Section) -> str:
    """The event a section's title names, without "Opening Remarks at the"."""
    if section.title is None:
        return ""
    raw = " ".join(text[section.title[0] : section.title[1]].split())
    return _TITLE_LEAD.sub("", raw, count=1).strip()
