"""Announcements: "X announced that ...", "Guatemala pledged to ...", "Y said in a statement",
and launches: "USAID launched migration messaging campaigns ..." (an event its launcher
ORGANIZED).

The dataset records an announcement, a pledge or a statement as an event of its own
(``category`` announcement or statement) that its author ANNOUNCED, that is PART_OF the
meeting it was made at, and that the entities its words name are MENTIONED_IN
(docs/data-model.md, "A curator's checklist"). This module reads that shape from one
sentence; the pipeline turns it into proposals.

>>> text = "During the talks, Guatemala pledged to help Hondurans and Salvadorans."
>>> from timeline.model.ids import Kind
>>> from timeline.services.ingest.extract import Mentioned
>>> gt = Mentioned(18, 27, "country:gt", Kind.COUNTRY, 1.0, True)
>>> found = announcements_in(text, (0, len(text)), [gt])
>>> [(text[a.verb[0] : a.verb[1]], a.subjects, a.name) for a in found]
[('pledged', ['country:gt'], 'Guatemala pledged to help Hondurans and Salvadorans')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.model.ids import Kind
from timeline.services.ingest.extract import _SPEECH, Mentioned, subjects_before

__all__ = ["Announcement", "announcements_in", "named_in_clause"]

#: The verbs of an announcement, English and Spanish. Not "said" alone: a quote is not an
#: announcement; "said in a statement" is a statement.
_VERB = re.compile(
    r"\b(?:announc(?:ed|es)|pledged|pledges|promised|promises|vowed|vows"
    r"|(?:said|says) in a (?:statement|press release)|issued a statement"
    r"|anunci(?:ó|o|aron)|prometi(?:ó|o|eron)|se comprometi(?:ó|o|eron) a)\b",
    re.I,
)
#: The verbs of a launch: "launched a campaign", "lanzó un programa", "puso en marcha".
#: The dataset records what was launched as an event its launcher ORGANIZED.
_LAUNCH = re.compile(
    r"\b(?:launch(?:ed|es)|rolled\s+out|lanz(?:ó|o|aron)|pus(?:o|ieron)\s+en\s+marcha"
    r"|inici(?:ó|aron)\s+(?:un|una|el|la))\b",
    re.I,
)
#: What a launch's clause names it: a campaign, or else a programme.
_CAMPAIGN = re.compile(r"\b(?:campaigns?|campañas?)\b", re.I)
#: After a person's name: not the person but what is theirs ("the Biden administration").
_THEIRS = re.compile(r"^(?:’s|'s)?\s+(?:administration|government|team|campaign|gobierno)\b")
#: Words a short name does not end on.
_LOOSE_END = frozenset(
    {"to", "a", "an", "the", "of", "and", "with", "for", "in", "on", "that", "would", "will",
     "de", "la", "el", "los", "las", "que", "y", "en", "con", "para", "un", "una"}
)  # fmt: skip
#: An instrument right after the verb: "announced a letter of understanding" announces
#: an agreement, which is the agreement's fact.
_AGREEMENT_AFTER = re.compile(
    r"\s+(?:\S+\s+){0,3}?(?:letter|memorandum|agreement|arrangement|accord|treaty|pact"
    r"|declaration|framework|compact|acuerdo|memorando|carta|declaración|tratado|convenio)\b",
    re.I,
)
#: Where an announced clause ends: a stop, or a new clause with its own subject ("...,
#: and we are planning accordingly").
_CLAUSE_END = re.compile(
    r"[;:]|\.\s|,\s+(?:and|but|while|y|pero)\s+(?:we|i|he|she|they|it|you|nosotros|ellos)\b",
    re.I,
)
_NAME_WORDS = 10
_ACTORS = (Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION)


@dataclass(frozen=True, slots=True)
class Announcement:
    """One announcement in a sentence: its verb, its authors, the clause it announces
    (from the verb to the clause's end) and a descriptive name in the text's own words."""

    verb: tuple[int, int]
    subjects: list[str]
    start: int
    clause: tuple[int, int]
    name: str
    category: str
    #: a date that ends before this dates the announcement (what the clause dates is
    #: what it announces)
    dated_until: int
    #: and starts after this ("X will open consulates in 2025, announced Y on Monday": only
    #: the date after the inverted verb dates it)
    dated_from: int = 0
    #: what its authors did: ANNOUNCED it, or ORGANIZED what they launched
    relation: str = "ANNOUNCED"


def _name(text: str, start: int, end: int) -> str:
    words = text[start:end].split()[:_NAME_WORDS]
    while words and words[-1].casefold().strip(",;:") in _LOOSE_END:
        words = words[:-1]
    return " ".join(words).strip(" ,;:.")


#: After a verb of announcing, a short definite object and the start of a date: "the
#: trip this Monday", "la visita el lunes".
_OBJECT_THEN_DATE = re.compile(
    r"\s+(?:the|la|el|its|his|her|their|su)\s+[a-z]+\s+(?=(?:this|last|on|next|el|este|esta"
    r"|the\s+\w+day)\b)[\w ]{0,30}",
    re.I,
)


def announcements_in(
    text: str, sentence: tuple[int, int], mentioned: Sequence[Mentioned]
) -> list[Announcement]:
    """The announcements a sentence reports, each with its authors: a verb of announcing
    whose subject is a person, country or organization the sentence names. An
    announcement of a named agreement or event ("announced the Los Angeles Declaration")
    is that entity's fact, not an event of its own, and is left out; so is one of an
    instrument the verb names ("announced a letter of understanding")."""
    s_start, s_end = sentence
    actors = [m for m in mentioned if m.kind in _ACTORS and not m.qualifier]
    named = [m for m in mentioned if m.kind in (Kind.AGREEMENT, Kind.EVENT)]
    out: list[Announcement] = _launches(text, sentence, actors, named)
    for verb in _VERB.finditer(text, s_start, s_end):
        if (inverted := _inverted(text, s_start, verb, actors)) is not None:
            out.append(inverted)
            continue
        authors = subjects_before(text, verb.start(), actors)
        dated_until = verb.end()
        if not authors:
            # "X said ..., and announced": X's; a date between is the first clause's
            authors, dated_until = _coordinated_subjects(text, s_start, verb.start(), actors)
        if not authors:
            continue
        if back := _OBJECT_THEN_DATE.match(text, verb.end(), s_end):
            # "announced the trip this Monday": a date right after a short object (an event
            # referred back to) dates the announcement
            dated_until = back.end()
        clause_end = next(
            (verb.end() + m.start() for m in _CLAUSE_END.finditer(text[verb.end() : s_end])),
            s_end,
        )
        if any(
            verb.end() <= m.start and len(text[verb.end() : m.start].split()) <= 3 for m in named
        ) or _AGREEMENT_AFTER.match(text, verb.end(), s_end):
            continue
        category = "statement" if "statement" in verb.group().casefold() else "announcement"
        start = authors[0].start
        # the name skips an apposition: "Antony Blinken, who attended by video, pledged"
        # is "Antony Blinken pledged ..."
        said = text[start : authors[-1].end] + " " + text[verb.start() : clause_end]
        out.append(
            Announcement(
                (verb.start(), verb.end()),
                [a.entity for a in authors],
                start,
                (verb.end(), clause_end),
                _name(said, 0, len(said)),
                category,
                dated_until,
            )
        )
    return out


def _launches(
    text: str,
    sentence: tuple[int, int],
    actors: Sequence[Mentioned],
    named: Sequence[Mentioned],
) -> list[Announcement]:
    """ "USAID launched migration messaging campaigns in the region", "la OIM lanzó un
    programa de empleo": what the subjects launched, an event of its own (a campaign or a
    programme) they ORGANIZED; not a named event or agreement right after the verb (that
    one's own facts)."""
    s_start, s_end = sentence
    out = []
    for verb in _LAUNCH.finditer(text, s_start, s_end):
        authors = subjects_before(text, verb.start(), actors)
        if not authors or any(
            verb.end() <= m.start and len(text[verb.end() : m.start].split()) <= 2 for m in named
        ):
            continue
        clause_end = next(
            (verb.end() + m.start() for m in _CLAUSE_END.finditer(text[verb.end() : s_end])),
            s_end,
        )
        said = text[authors[0].start : authors[-1].end] + " " + text[verb.start() : clause_end]
        name = _name(said, 0, len(said))
        category = "campaign" if _CAMPAIGN.search(text, verb.end(), clause_end) else "programme"
        out.append(
            Announcement(
                (verb.start(), verb.end()),
                [a.entity for a in authors],
                authors[0].start,
                (verb.end(), clause_end),
                name,
                category,
                clause_end,
                relation="ORGANIZED",
            )
        )
    return out


#: A verb of announcing after the clause it announces: ", announced the US Embassy",
#: ", anunció Alicia Bárcena" (the author right after it, "the"/"la" allowed).
_INVERTED = re.compile(r",\s*$")
_AUTHOR_GAP = re.compile(r"\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+)?")


def _inverted(
    text: str, s_start: int, verb: re.Match[str], actors: Sequence[Mentioned]
) -> Announcement | None:
    """ "Mexico will open two consulates in Guatemala, announced Alicia Bárcena on
    Monday.": the author after the verb, the clause before its comma."""
    if not _INVERTED.search(text, s_start, verb.start()):
        return None
    author = next(
        (
            m
            for m in actors
            if m.start >= verb.end() and _AUTHOR_GAP.fullmatch(text, verb.end(), m.start)
        ),
        None,
    )
    # not the start of a longer name ("announced the US Embassy", the embassy unknown)
    if author is None or re.match(r"\s+[A-Z]", text[author.end : author.end + 2]):
        return None
    clause_end = text.rindex(",", s_start, verb.start())
    if _VERB.search(text, s_start, clause_end):
        return None  # the clause has its own verb of announcing: the attribution is of that
    said = text[author.start : author.end] + " " + verb.group() + " " + text[s_start:clause_end]
    return Announcement(
        (verb.start(), verb.end()),
        [author.entity],
        author.start,
        (s_start, clause_end),
        _name(said, 0, len(said)),
        "announcement",
        len(text),
        author.end,
    )


#: A verb joined to an earlier one of the same subject: "X said ..., and announced".
_AND_BEFORE = re.compile(r",?\s+(?:and|y|e)\s+(?:(?:then|also|later|luego|también)\s+)?$", re.I)


#: A relative clause running up to a name: ", which Belize", ", que Honduras".
_RELATIVE = re.compile(
    r",\s+(?:which|that|who|whom|que|quien|quienes|el cual|la cual)\s+[^,;:]*$", re.I
)


def _coordinated_subjects(
    text: str, s_start: int, verb_start: int, actors: Sequence[Mentioned]
) -> tuple[list[Mentioned], int]:
    """The subjects of a verb joined by "and" to an earlier verb of the sentence, when no
    actor stands between them: in "Barcena said the agreement builds on ..., which was
    signed in June 2022, and announced that ...", Barcena announced; with where the
    earlier verb starts (June 2022 dates what she said, not the announcement)."""
    if not _AND_BEFORE.search(text[s_start:verb_start]):
        return [], verb_start
    for earlier in _SPEECH.finditer(text, s_start, verb_start):
        if any(
            earlier.end() <= m.start
            and m.end <= verb_start
            # "..., which Belize endorsed in 2022, and announced": a relative clause's
            # actor is not the second verb's subject
            and not _RELATIVE.search(text, earlier.end(), m.start)
            for m in actors
        ):
            continue
        subjects = subjects_before(text, earlier.start(), actors)
        if subjects:
            return subjects, earlier.start()
    return [], verb_start


def named_in_clause(
    text: str, announcement: Announcement, mentioned: Sequence[Mentioned]
) -> list[Mentioned]:
    """The entities the announced clause names, not its authors, and not a person where
    the text means what is theirs ("the Biden administration")."""
    lo, hi = announcement.clause
    out = []
    for m in mentioned:
        if not (lo <= m.start and m.end <= hi) or m.entity in announcement.subjects:
            continue
        if m.kind is Kind.PERSON and _THEIRS.match(text[m.end : m.end + 30]):
            continue
        out.append(m)
    return out
