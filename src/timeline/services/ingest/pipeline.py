"""The ingest pipeline: an article and the graph in, a :class:`ProposalSet` out.

Nothing here writes: the graph is read (a :class:`Dataset`), the article is checked
(``document``), cut into sentences, and each sentence is searched for the graph's names
(``linking``), new names (``extract``), dates (``dates``), reported events and facts.
Two passes: the first collects the new names, so that the second also finds them where
the text shortens them ("Bernardo Arévalo" ... "Arévalo").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from timeline.model.dates import DatePrecision, DateSpan, parse_date
from timeline.model.ids import Kind, slugify
from timeline.model.proposals import (
    Basis,
    DocumentMeta,
    ItemKind,
    ProposalItem,
    ProposalSet,
    Quote,
)
from timeline.model.records import (
    PARTICIPATION_TYPES,
    Agreement,
    Country,
    Dataset,
    Entity,
    Event,
    Organization,
    Person,
    Place,
)
from timeline.model.text import fold
from timeline.services.ingest.announcements import announcements_in, named_in_clause
from timeline.services.ingest.background import InPassing, in_passing
from timeline.services.ingest.countries import country_code
from timeline.services.ingest.dates import FoundDate, find_dates
from timeline.services.ingest.document import Sentence, check_text, sentences
from timeline.services.ingest.extract import (
    _SPEECH,
    CALENDAR,
    CATEGORIES,
    THIS_REFERENCE,
    TITLES,
    WIRE_DATELINE,
    Candidate,
    FactCandidate,
    Mentioned,
    acronym_shaped,
    event_category,
    facts_in,
    fits,
    group_listed,
    in_body_name,
    joined_group,
    joined_list,
    meeting_under,
    new_entities_in,
    subjects_before,
    thanked_hosts,
    this_event,
)
from timeline.services.ingest.instruments import instruments_in
from timeline.services.ingest.linking import Match, NameIndex, Offices, office_domain
from timeline.services.ingest.transcripts import Section, find_sections, title_text

__all__ = ["GraphView", "ingest_text"]

DEFAULT_MAX_CHARS = 1_000_000


@dataclass
class _EventInfo:
    event: Event
    participants: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)


class GraphView:
    """What ingest reads of the graph: its entities (names) and, for events, who took
    part and where (to tell whether a reported event is one the graph has)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        weights: Counter[str] = Counter()
        for entity in dataset.entities.values():
            weights[entity.id] += len(entity.sources)
        for relation in dataset.relations:
            weights[relation.subject] += 1
            weights[relation.object] += 1
        self.index = NameIndex(dataset.entities.values(), dict(weights))
        self.offices = Offices(dataset.entities.values())
        self.events: dict[str, _EventInfo] = {
            e.id: _EventInfo(e) for e in dataset.entities.values() if isinstance(e, Event)
        }
        for relation in dataset.relations:
            if relation.type in PARTICIPATION_TYPES and relation.object in self.events:
                self.events[relation.object].participants.add(relation.subject)
            elif relation.type == "HELD_IN" and relation.subject in self.events:
                self.events[relation.subject].places.add(relation.object)
        #: place -> the places and countries the graph puts it in (LOCATED_IN, PART_OF)
        self.located: dict[str, set[str]] = {}
        for relation in dataset.relations:
            if relation.type in ("LOCATED_IN", "PART_OF") and relation.subject.startswith("place:"):
                self.located.setdefault(relation.subject, set()).add(relation.object)
        for place, around in self.located.items():
            for inner in list(around):
                around |= self.located.get(inner, set())
            self.located[place] = around
        #: event -> the events the graph puts it in (PART_OF, transitively)
        self.parents: dict[str, set[str]] = {}
        for relation in dataset.relations:
            if relation.type == "PART_OF" and relation.subject in self.events:
                self.parents.setdefault(relation.subject, set()).add(relation.object)
        for above in self.parents.values():
            pending = list(above)
            while pending:
                for outer in self.parents.get(pending.pop(), ()):
                    if outer not in above:
                        above.add(outer)
                        pending.append(outer)
        #: (host, event): who the graph records hosted an event (a host does not also attend)
        self.hosted = {(r.subject, r.object) for r in dataset.relations if r.type == "HOSTED"}
        #: agreement -> when it was signed and its parties (PARTY_TO), of the dated ones
        self.parties: dict[str, tuple[DateSpan, set[str]]] = {}
        for relation in dataset.relations:
            agreement = dataset.entities.get(relation.object)
            if relation.type == "PARTY_TO" and isinstance(agreement, Agreement) and agreement.date:
                signed = self.parties.setdefault(relation.object, (agreement.date, set()))
                signed[1].add(relation.subject)
        #: agreement -> the events the graph records it adopted at
        self.adopted_at: dict[str, list[str]] = {}
        for relation in dataset.relations:
            if relation.type == "ADOPTED_AT" and relation.object in self.events:
                self.adopted_at.setdefault(relation.subject, []).append(relation.object)
        #: person -> (holder, title) of the positions the graph records
        self.positions: dict[str, list[tuple[str, str]]] = {}
        for relation in dataset.relations:
            if relation.type == "HOLDS_POSITION" and relation.title:
                self.positions.setdefault(relation.subject, []).append(
                    (relation.object, relation.title)
                )


_PLACEHOLDER_DATE = parse_date("2000")
#: A minister's or secretary's title: "Foreign Minister", "Homeland Security Secretary",
#: "Secretary of State", "Minister of Foreign Affairs", "Secretaria de Relaciones Exteriores".
_OFFICE_TITLE = re.compile(
    r"(?P<pre>(?:(?:[A-Z][\w’'-]*|foreign)\s+){0,3})"
    r"(?P<head>(?i:minister|secretary|ministra|ministro|secretaria|secretario|canciller))\b"
    r"(?P<post>(?:\s+(?:of|for|de)\s+(?:the\s+|la\s+|el\s+)?[A-Z][\w’'-]*"
    r"(?:\s+(?:and\s+|y\s+)?[A-Z][\w’'-]*){0,3}))?"
)
#: Words before a title that qualify it, not its domain.
_TITLE_MODIFIERS = frozenset(
    {"deputy", "vice", "assistant", "acting", "former", "under", "then", "new", "senior",
     "the", "his", "her", "its", "el", "la", "de", "del", "interim", "current"}
)  # fmt: skip
#: A title's head word -> the word for the body it heads, and the language's "of".
_BODY_WORDS = {
    "minister": ("Ministry", "of"),
    "secretary": ("Department", "of"),
    "ministro": ("Ministerio", "de"),
    "ministra": ("Ministerio", "de"),
    "secretario": ("Secretaría", "de"),
    "secretaria": ("Secretaría", "de"),
    "canciller": ("Ministerio", "de"),
}
_HEAD_OF_GOVERNMENT = frozenset({"prime", "premier", "primer"})
_IN_TITLE = re.compile(
    r"\b(?:Secretary|Minister|Ministry|Secretario|Ministro|Ministra)\s+(?:of|for|de)\s+$"
)


def _pseudo(candidate: Candidate) -> Entity:
    cid, name = candidate.proposed_id, candidate.name
    aliases = (candidate.acronym,) if candidate.acronym else ()
    if candidate.kind is Kind.PERSON:
        return Person(id=cid, name=name)
    if candidate.kind is Kind.ORGANIZATION:
        return Organization(id=cid, name=name, acronym=candidate.acronym)
    if candidate.kind is Kind.AGREEMENT:
        return Agreement(id=cid, name=name, aliases=aliases)
    if candidate.kind is Kind.COUNTRY:
        return Country(id=cid, name=name, code=country_code(name) or "")
    if candidate.kind is Kind.EVENT:
        return Event(id=cid, name=name, aliases=aliases, category="other", date=_PLACEHOLDER_DATE)
    return Place(id=cid, name=name, aliases=aliases)


@dataclass
class _Sentence:
    sentence: Sentence
    matches: list[Match]
    local: list[Match]
    candidates: list[Candidate]
    dates: list[FoundDate]
    base: str


#: A line that is only a date ("April 20, 2022", "20 de abril de 2022", "2024-02-28 23:10").
_DATELINE = re.compile(
    r"^\W*[A-Za-zé]+\.?\s+\d{1,2},?\s+\d{4}\W*$"
    r"|^\W*\d{1,2}\s+(?:de\s+)?[A-Za-zé]+\.?\s+(?:de\s+)?\d{4}\W*$"
    r"|^\W*\d{4}-\d{2}-\d{2}(?:[ T][\d:]+)?\W*$"
)


def ingest_text(
    text: str,
    meta: DocumentMeta,
    graph: GraphView,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    now: dt.datetime | None = None,
) -> ProposalSet:
    """The proposals for one article; raises ``DocumentError`` for text that is not one."""
    check_text(text, max_chars)
    published = parse_date(meta.published).edtf
    created = now or dt.datetime.now(dt.UTC)
    builder = _Builder(text, meta, graph)
    builder.run(sentences(text, meta.language), published)
    digest = hashlib.blake2b(
        "\x1f".join((meta.title, published, created.isoformat(), text)).encode(), digest_size=8
    ).hexdigest()
    return ProposalSet(
        id=f"proposal:{digest}",
        document=meta.model_copy(update={"published": published}),
        text=text,
        created=created,
        items=builder.items,
        document_id=f"document:{slugify(meta.title)[:60].strip('-') or digest}",
    )


class _Builder:
    def __init__(self, text: str, meta: DocumentMeta, graph: GraphView) -> None:
        self.text = text
        self.meta = meta
        self.graph = graph
        self.items: list[ProposalItem] = []
        self.counters: Counter[str] = Counter()
        self.seen_mentions: dict[str, ProposalItem] = {}
        self.events_by_link: dict[str, ProposalItem] = {}
        self.facts: dict[tuple[str, str, str], ProposalItem] = {}
        #: The event the article is about: the first one its opening reports.
        self.main: Mentioned | None = None
        #: a new name's confidence in its kind guess, by proposed id
        self.new_confidence: dict[str, float] = {}
        #: persons who speak in sentences that report no event (sentence, person, country)
        self.speakers: list[tuple[Sentence, Mentioned, str | None]] = []
        self.prose_paragraphs: set[int] = set()
        self.sections: list[Section] = []
        self.local = NameIndex([])
        self.published = parse_date(meta.published)
        #: "<person> of <organization>" facts, for a transcript's callers (``_transcript``)
        self.affiliated: list[tuple[Sentence, FactCandidate]] = []
        #: ministries proposed from titles (``_new_body``)
        self.new_bodies: set[str] = set()
        #: the reception the last sentence's event is (``_reception``): host, guests, verb
        self.reception: tuple[Mentioned, list[Mentioned], tuple[int, int]] | None = None
        #: who a sentence says took part, with no event named (``_lead_speakers``)
        self.took_part: list[tuple[Sentence, Mentioned]] = []
        #: who a sentence with no event word says hosted or received the visitors
        self.hosted_guests: list[tuple[Sentence, Mentioned, str | None]] = []
        #: the people the last sentence naming two or more named (``_group_reference``)
        self.named_together: list[str] = []
        #: the people the last sentence named (what "He" or "She" opening the next stands for)
        self.last_people: list[str] = []
        #: the countries the last sentence naming two or more named (``_group_reference``)
        self.countries_together: list[str] = []
        #: a headline's instruments taken to be the body's: (start, id) -> the note
        self.retitled: dict[tuple[int, str], str] = {}
        #: the event the sentence before reported, if any (``_photo_credit``)
        self.last_reported: Mentioned | None = None
        #: the events the sentence being read names in passing (``background``)
        self.passing: list[InPassing] = []
        #: the date of the event reported last (``_same_day``)
        self.last_date: DateSpan | None = None
        #: new events the text plans without a date ("will meet again in ...")
        self.plans: set[str] = set()
        #: described new events: their participants and places (``_described_id``)
        self.described: dict[str, tuple[set[str], set[str]]] = {}

    def _middle_name(self, candidate: Candidate, matches: list[Match]) -> Match | None:
        """The surname mention of a known person whose first and middle names a new name
        only is ("Carlos Ramiro Martínez": Carlos Martínez), or None."""
        if candidate.kind is not Kind.PERSON:
            return None
        first = fold(candidate.name.split()[0])
        for match in matches:
            if match.how == "surname" and 0 <= match.start - candidate.end <= 1:
                known = self.graph.index.entities.get(match.entity)
                if known is not None and fold(known.name.split()[0]) == first:
                    return match
        return None

    def _id(self, kind: ItemKind) -> str:
        self.counters[kind.value] += 1
        return f"{kind.value.lower()}-{self.counters[kind.value]}"

    def _quote(self, sentence: Sentence, span: tuple[int, int]) -> Quote:
        return Quote(
            text=sentence.text,
            start=sentence.start,
            end=sentence.end,
            span_start=max(span[0], sentence.start),
            span_end=min(span[1], sentence.end),
        )

    def run(self, parts: list[Sentence], published: str) -> None:
        index = self.graph.index
        base = published
        self.sections = find_sections(self.text)
        venues = [v.venue for v in self.sections if v.venue is not None]
        analysed: list[_Sentence] = []
        candidates: dict[str, Candidate] = {}
        #: the graph's agreements the article has named so far
        agreements: list[Match] = []
        headline = parts[0] if parts and _is_headline(parts[0]) else None
        body_instruments = [
            c for part in parts[1:] for c in instruments_in(self.text, part.start, part.end, [])
        ]
        for sentence in parts:
            matches = index.find(self.text, sentence.start, sentence.end)
            matches += index.described(self.text, sentence.start, sentence.end, matches)
            found_dates = find_dates(
                self.text, sentence.start, sentence.end, base, self.meta.language
            )
            matches = self._undated_generic(matches, found_dates)
            # (a demonym inside a body's name is a mention, and the name goes on over it)
            taken = [
                (m.start, m.end)
                for m in matches
                if not (m.how == "demonym" and in_body_name(self.text, m.start))
            ] + [(d.start, d.end) for d in found_dates]
            found = []
            agreements += [m for m in matches if index.kind(m.entity) is Kind.AGREEMENT]
            # an instrument signed but not named ("signed a memorandum of understanding
            # on ..."): the article's agreement of its kind, or a new one in its words
            unnamed = []
            for c in instruments_in(self.text, sentence.start, sentence.end, taken):
                known = _same_instrument(c, agreements, index) if _no_topic(c) else None
                if known is None and not c.name[:1].isupper():
                    known = self._parties_instrument(c, matches, found_dates, base)
                body = _same_topic(c, body_instruments) if sentence is headline else None
                if body is not None:
                    # "Honduras y Estados Unidos firman un acuerdo sobre retornos dignos"
                    # over "... firmaron una carta de intención sobre el retorno digno": the
                    # headline's instrument is the body's, named as the body names it
                    self.retitled[(c.start, body.proposed_id)] = (
                        f"the headline's '{c.name}' taken to be the text's '{body.name}'"
                    )
                    unnamed.append(dataclasses.replace(c, name=body.name))
                elif known is None and not c.name[:1].isupper():
                    # "signed a letter" after "a letter of intent to expand ...": the
                    # article's new one of that head word, if any
                    earlier = _same_new_instrument(c, candidates.values()) if _no_topic(c) else None
                    if earlier is not None:
                        self.retitled[(c.start, earlier.proposed_id)] = (
                            f"'{c.name}' taken to be the article's '{earlier.name}'"
                        )
                    unnamed.append(dataclasses.replace(c, name=earlier.name) if earlier else c)
                elif known is None:
                    # "in signing the Arrangement": the article's new one of that head word,
                    # if any (not an "Arrangement" of its own)
                    earlier = _same_new_instrument(c, candidates.values())
                    if earlier is not None:
                        unnamed.append(dataclasses.replace(c, name=earlier.name))
                elif known is not None:
                    matches.append(known)
            places = [(m.start, m.end) for m in matches if index.kind(m.entity) is Kind.PLACE]
            news = new_entities_in(self.text, sentence.start, sentence.end, taken, places)
            for c in news + unnamed:
                surname = self._middle_name(c, matches)
                if surname is None:
                    found.append(c)
                else:  # the mention spans the whole name
                    surname.start, surname.text = c.start, self.text[c.start : surname.end]
            # "UN High Commissioner for Refugees": the known acronym is the new name's
            # first word, not a mention of its own
            matches = [
                m
                for m in matches
                if not (
                    acronym_shaped(m.text)
                    and index.kind(m.entity) is not Kind.COUNTRY
                    and any(c.start == m.start and m.end < c.end for c in found)
                )
            ]
            if any(v[0] <= sentence.start < v[1] for v in venues):
                # a transcript's venue line names a place ("Hotel Miramar")
                found = [
                    dataclasses.replace(
                        c, kind=Kind.PLACE, context="the venue line of a transcript", confidence=0.6
                    )
                    if c.kind in (Kind.PERSON, Kind.ORGANIZATION)
                    else c
                    for c in found
                ]
            for candidate in found:
                key = f"{candidate.kind.value}:{candidate.name.casefold()}"
                if (candidate.start, candidate.proposed_id) in self.retitled:
                    continue  # the body's own candidate names it
                held = candidates.get(key)
                # a dateline's capitals ("MEXICO CITY") are not the name's spelling
                if held is None or (held.name.isupper() and not candidate.name.isupper()):
                    candidates[key] = candidate
            analysed.append(_Sentence(sentence, matches, [], found, found_dates, base))
            # A line that is only a full date (a dateline) dates what follows it.
            if (
                _DATELINE.match(sentence.text)
                and found_dates
                and found_dates[0].span.precision is DatePrecision.DAY
            ):
                base = found_dates[0].span.edtf
        # "Martínez" after "Carlos Martínez", "Pino" and "Juan Pino" after "Juan Manuel
        # Pino Forero" (a Spanish name's first surname): the same person, not a new one
        full_names: dict[str, Candidate] = {}
        for c in sorted(candidates.values(), key=lambda c: -len(c.name.split())):
            words = c.name.split()
            if c.kind is Kind.PERSON and len(words) > 1:
                full_names.setdefault(words[-1].casefold(), c)
            if c.kind is Kind.PERSON and len(words) > 2:
                full_names.setdefault(words[-2].casefold(), c)
                full_names.setdefault(f"{words[0]} {words[-2]}".casefold(), c)
        for key, candidate in list(candidates.items()):
            words = candidate.name.split()
            if candidate.kind is Kind.PERSON and len(words) <= 2:
                longer = full_names.get(candidate.name.casefold())
                if longer is not None and longer is not candidate:
                    candidates[key] = longer
        # "WHD" after "Wage and Hour Division (WHD)": the acronym names the same new body
        abbreviated = {c.acronym: c for c in candidates.values() if c.acronym}
        for key, candidate in list(candidates.items()):
            full = abbreviated.get(candidate.name)
            if full is not None and full is not candidate:
                candidates[key] = full
        # "Ale Mayorkas" after "Alejandro Mayorkas": a short form of the first name with
        # the same surname is the same person
        people = [
            c for c in candidates.values() if c.kind is Kind.PERSON and len(c.name.split()) > 1
        ]
        for key, candidate in list(candidates.items()):
            if candidate.kind is not Kind.PERSON or len(candidate.name.split()) < 2:
                continue
            first, *_, last = candidate.name.split()
            longer = next(
                (
                    c
                    for c in people
                    if c.name.split()[-1] == last
                    and len(c.name.split()[0]) > len(first) >= 3
                    and fold(c.name.split()[0]).startswith(fold(first))
                ),
                None,
            )
            if longer is not None:
                candidates[key] = longer
        # one kind per name in a document, its most confident guess: "Western Hemisphere"
        # is a place throughout, though one sentence alone would take it for a person
        surest: dict[str, Candidate] = {}
        for candidate in candidates.values():
            held = surest.get(candidate.name.casefold())
            if held is None or candidate.confidence > held.confidence:
                surest[candidate.name.casefold()] = candidate
        for key, candidate in candidates.items():
            candidates[key] = surest[candidate.name.casefold()]
        self.new_confidence = {c.proposed_id: c.confidence for c in candidates.values()}
        # a bare instrument word ("a memorandum") names nothing elsewhere in the text
        local = NameIndex([_pseudo(c) for c in candidates.values() if not _bare_instrument(c)])
        self.local = local
        for part in analysed:
            # what the sentence's own new names already cover is not named twice (a list
            # with a name twice ends there)
            taken = [(m.start, m.end) for m in part.matches] + [
                (d.start, d.end) for d in part.dates
            ]
            taken += [(c.start, c.end) for c in part.candidates]
            part.local = [
                m
                for m in local.find(self.text, part.sentence.start, part.sentence.end)
                if not any(m.start < e and s < m.end for s, e in taken) and m.how != "fuzzy"
            ]
        proposed: set[str] = set()
        paragraph_date: dict[int, DateSpan] = {}
        for part in analysed:
            self._sentence(part, candidates, proposed, paragraph_date)
        self._lead_speakers()
        spoken = [(s, self._transcript(s, analysed, candidates)) for s in self.sections]
        # after every transcript's participants are known: the rest of what its turns
        # name was only spoken of there
        for section, target in spoken:
            if target is not None:
                turns = [
                    (part, self._turn_mentions(part, candidates))
                    for part in self._turns(section, analysed)
                ]
                self._thanked_hosts(target, turns)
                self._joined_us(target, turns)
                self._referred_to(target, turns)
                self._spoken_of(target, turns)

    def _sentence(
        self,
        part: _Sentence,
        candidates: dict[str, Candidate],
        proposed: set[str],
        paragraph_date: dict[int, DateSpan],
    ) -> None:
        sentence = part.sentence
        index = self.graph.index
        mentioned: list[Mentioned] = []
        for match in part.matches:
            kind = index.kind(match.entity)
            in_title = _IN_TITLE.search(
                self.text[max(sentence.start, match.start - 30) : match.start]
            )
            if in_title and " " not in match.text:
                continue  # "State" in "Secretary of State" is part of a title, not a mention
            qualifies = _qualifier(self.text[match.end : sentence.end], match.how, kind)
            if not _IN_TITLE.search(self.text[max(sentence.start, match.start - 30) : match.start]):
                # "Secretary of State": a title, not the department acting; "Chilean
                # President ...": a person's country (a qualifier), not the country acting
                mentioned.append(
                    Mentioned(
                        match.start,
                        match.end,
                        match.entity,
                        kind,
                        match.score,
                        True,
                        qualifier=bool(qualifies),
                    )
                )
            self.items.append(
                ProposalItem(
                    id=self._id(ItemKind.MENTION),
                    kind=ItemKind.MENTION,
                    quote=self._quote(sentence, (match.start, match.end)),
                    confidence=round(match.score, 3),
                    entity=match.entity,
                    name=match.text,
                    note=None if match.how == "exact" else f"matched by {match.how}",
                    alternatives=match.alternatives,
                )
            )
        named_countries = [
            Mentioned(m.start, m.end, m.entity, Kind.COUNTRY, m.score, True)
            for m in part.matches
            if index.kind(m.entity) is Kind.COUNTRY
        ]
        adoption_facts = self._adoptions(part, mentioned, paragraph_date.get(sentence.paragraph))
        placed_by_name: list[FactCandidate] = []
        for candidate in part.candidates:
            name_key = f"{candidate.kind.value}:{candidate.name.casefold()}"
            first = candidates[name_key]
            mentioned.append(
                Mentioned(
                    candidate.start,
                    candidate.end,
                    first.proposed_id,
                    first.kind,
                    first.confidence,
                    False,
                )
            )
            if (
                first.proposed_id in proposed
                or (candidate.start, first.proposed_id) in self.retitled
            ):
                continue  # (a headline's instrument is proposed where the body names it)
            proposed.add(first.proposed_id)
            named_for = index.country_in_name(first.name) if first.kind is Kind.PLACE else None
            if named_for is not None:
                # "Mexico City": a new city named for its country is in it
                placed_by_name.append(
                    FactCandidate(
                        "LOCATED_IN",
                        first.proposed_id,
                        named_for,
                        False,
                        "its name is its country's name with a place word",
                        0.5,
                        (candidate.start, candidate.end),
                    )
                )
            self.items.append(
                ProposalItem(
                    id=self._id(ItemKind.ENTITY),
                    kind=ItemKind.ENTITY,
                    quote=self._quote(sentence, (candidate.start, candidate.end)),
                    # the document's one guess for the name, though this sentence has it
                    # shorter ("Martínez" of "Carlos Martínez") or alone would guess another kind
                    confidence=first.confidence,
                    name=first.name,
                    entity_kind=first.kind.value,
                    proposed_id=first.proposed_id,
                    acronym=first.acronym,
                    context=first.context,
                )
            )
        for event in part.candidates:
            if event.kind is not Kind.EVENT:
                continue
            for place in part.candidates:
                if (
                    place.kind in (Kind.PLACE, Kind.COUNTRY)
                    and event.start < place.start
                    and (place.end <= event.end)
                ):
                    # "a Ministerial Meeting in Bogotá": where its name says it was
                    placed_by_name.append(
                        FactCandidate(
                            "HELD_IN",
                            candidates[f"event:{event.name.casefold()}"].proposed_id,
                            candidates[f"{place.kind.value}:{place.name.casefold()}"].proposed_id,
                            True,
                            None,
                            0.5,
                            (event.start, event.end),
                        )
                    )
        for match in part.local:
            mentioned.append(
                Mentioned(
                    match.start,
                    match.end,
                    match.entity,
                    Kind(match.entity.split(":")[0]),
                    min(0.6, self.new_confidence.get(match.entity, 0.6)),
                    False,
                )
            )
        # after the new names, so that a title names its holder when the graph lacks them
        office_facts = self._offices(sentence, mentioned, named_countries) + adoption_facts
        office_facts += placed_by_name
        # "The two officials signed ...": the people last named together, as actors here
        referents, referred = self._group_reference(sentence, mentioned)
        mentioned += referents
        for found in part.dates:
            self.items.append(
                ProposalItem(
                    id=self._id(ItemKind.DATE),
                    kind=ItemKind.DATE,
                    quote=self._quote(sentence, (found.start, found.end)),
                    confidence=0.75 if found.relative else 0.9,
                    name=found.phrase,
                    edtf=found.span.edtf,
                    precision=found.span.precision.value,
                    relative=found.relative,
                    note=None if part.base == self.meta.published else f"counted from {part.base}",
                )
            )
        if part.dates:
            paragraph_date[sentence.paragraph] = part.dates[0].span
        # events the sentence names in passing, beside the one it reports (their places and
        # people are theirs)
        self.passing = in_passing(
            self.text,
            (sentence.start, sentence.end),
            [m for m in mentioned if m.known or m.score >= MIN_FACT_GUESS],
            part.dates,
        )
        in_heading = any(h.heading[0] <= sentence.start < h.heading[1] for h in self.sections)
        # a transcript's heading is read as one (``_transcript``), not sentence by sentence
        reported = (
            None
            if in_heading
            else self._event(part, mentioned, paragraph_date.get(sentence.paragraph))
        )
        if len(sentence.text.split()) >= PROSE_WORDS:
            self.prose_paragraphs.add(sentence.paragraph)
        if (
            reported is not None
            and self.main is None
            and len(self.prose_paragraphs) <= LEAD_PARAGRAPHS
            and not _PLANNED.search(sentence.text)
        ):
            self.main = reported
        # a new name whose kind is only a guess from its shape takes part in no fact, and
        # neither does what a wire dateline names ("SAN JOSÉ (EFE) —": the agency; "QUITO,
        # Ecuador —" only says where Quito is)
        dateline = WIRE_DATELINE.match(sentence.text)
        opens = sentence.start + dateline.end() if dateline else sentence.start
        actors = [m for m in mentioned if m.known or m.score >= MIN_FACT_GUESS]
        placed = [
            f
            for f in facts_in(self.text, (sentence.start, opens), actors, None)
            if f.relation == "LOCATED_IN"
        ]
        actors = [m for m in actors if m.start >= opens]
        labelled = self._labelled(sentence, reported)
        if labelled is not None and reported is not None and labelled is not reported:
            # the label's own name is the event reported, not a second event beside it
            actors = [
                m
                for m in actors
                if not (m.kind is Kind.EVENT and m.end <= labelled.start and m.start < reported.end)
                or m.entity == reported.entity
            ]
        facts = facts_in(self.text, (sentence.start, sentence.end), actors, labelled) + placed
        if reported is not None:
            facts += meeting_under(self.text, reported, actors)
        if reported is not None and self.reception is not None:
            # "X received Y": X hosted the meeting, Y attended it
            host, guests, (verb_start, verb_end) = self.reception
            facts.append(
                FactCandidate(
                    "HOSTED",
                    host.entity,
                    reported.entity,
                    True,
                    None,
                    0.6,
                    (host.start, verb_end),
                    role="host",
                )
            )
            facts += [
                FactCandidate(
                    "ATTENDED", g.entity, reported.entity, True, None, 0.6, (verb_start, g.end)
                )
                for g in guests
            ]
            facts = [
                f
                for f in facts
                if not (f.subject == host.entity and f.relation == "ATTENDED" and not f.stated)
            ]
        # whose official a titled person is ("Chile's Foreign Minister Ana Ruiz")
        official_of = {
            f.subject: f.extra["country"] for f in office_facts if f.extra.get("country")
        }
        if reported is None and not _ABSENT.search(sentence.text):
            # speakers, and those a sentence says were received or came along: the
            # article's lead event, once it is known (the lead may name a speaker before
            # the event: "X urged ...", then "the meeting ...")
            people = [o for o in actors if o.kind is Kind.PERSON]
            # (not who is met on a journey the sentence names in passing: "after Arévalo's
            # trip to Mexico City, where he met López Obrador")
            journey = min((p.span[0] for p in self.passing), default=sentence.end)
            for m in people:
                received = m.start < journey and _received(self.text, sentence, m)
                if _speaker(self.text, sentence, m, people) or received:
                    self.speakers.append((sentence, m, official_of.get(m.entity)))
            # "The IOM and UNHCR also took part.": in the lead event, said of no other
            for verb in _TOOK_PART.finditer(self.text, sentence.start, sentence.end):
                for m in subjects_before(self.text, verb.start(), actors):
                    self.took_part.append((sentence, m))
            # "Mexico was represented by Foreign Minister Marcelo Ebrard": both took part
            for verb in _REPRESENTED_BY.finditer(self.text, sentence.start, sentence.end):
                represented = subjects_before(self.text, verb.start(), actors)
                after = [m for m in actors if m.start >= verb.end() and m.kind is Kind.PERSON]
                if (
                    represented
                    and after
                    and not re.search(r"[.;:]", self.text[verb.end() : after[0].start])
                ):
                    self.took_part += [(sentence, m) for m in [*represented, after[0]]]
            # "Bárcena hosted the delegation at the National Palace": the lead's host
            for verb in _HOSTED_GUESTS.finditer(self.text, sentence.start, sentence.end):
                for m in subjects_before(self.text, verb.start(), actors):
                    if m.kind in (Kind.PERSON, Kind.COUNTRY):
                        self.hosted_guests.append((sentence, m, official_of.get(m.entity)))
        self.affiliated += [(sentence, f) for f in facts if f.extra.get("how") == "affiliation"]
        # a country the sentence names, or the country of the body its official heads by
        # the graph ("Secretary of State Antony Blinken met with ...": the United States)
        delegating = {m.entity for m in mentioned} | {
            f.extra["country"] for f in office_facts if f.extra.get("whose") == "body"
        }
        facts += self._delegations(facts, official_of, delegating)
        if reported is not None:
            # the dataset records a meeting as an event its people attended, not MET_WITH
            went = {f.subject for f in facts if f.relation == "ATTENDED"}
            facts = [
                f for f in facts if f.relation != "MET_WITH" or not {f.subject, f.object} <= went
            ]
        if reported is not None and self._after_publication(reported.entity):
            # "Guatemala will host the next ministerial": of an event after its date a text
            # states only a plan; that it happened is the graph's, so a fact is inferred,
            # and a guess (a name near the event word) is dropped
            planned = []
            for fact in facts:
                if reported.entity not in (fact.subject, fact.object):
                    planned.append(fact)
                elif fact.stated:
                    fact.stated = False
                    fact.note = "the text states it as a plan; the event is the graph's"
                    planned.append(fact)
            facts = planned
        elif reported is not None and (
            self._dated_after(reported.entity) or reported.entity in self.plans
        ):
            # "México será sede de una reunión el próximo lunes": a new event dated after
            # the text is a plan; its facts are inferred, with the reason (a curator may
            # wait for the event to happen)
            future = _PLANNED.search(sentence.text) is not None
            for fact in facts:
                if reported.entity in (fact.subject, fact.object):
                    fact.stated = False
                    note = "the text states it as a plan: the event is dated after the text"
                    if reported.entity in self.plans:
                        note = "planned: future tense; the event is undated"
                    elif future:
                        note = "planned: future tense; the event is dated after the text"
                    fact.note = f"{note}; {fact.note}" if fact.note else note
        reported_id = reported.entity if reported is not None else None
        announced = self._announcements(part, actors, reported)
        authors = {f.subject for f in announced if f.relation == "ANNOUNCED"}
        if authors:
            # one link per announcement (the curators' checklist): its event's, not also
            # "X announced <the sentence's event>"; nor is its author guessed to attend it
            facts = [
                f
                for f in facts
                if not (
                    f.object == reported_id
                    and f.subject in authors
                    and (f.relation == "ANNOUNCED" or (f.relation == "ATTENDED" and not f.stated))
                )
            ]
        facts += announced
        facts = [f for f in facts if not self._placed_finer(f)]
        facts += self._host_countries(facts)
        facts += office_facts
        facts += self._known_positions(
            sentence, mentioned, {(f.subject, f.relation) for f in facts}
        )
        facts += self._heads_of_state(sentence, mentioned, {(f.subject, f.relation) for f in facts})
        facts += self._photo_credit(sentence, actors)
        facts += self._held_in_place(sentence, mentioned, reported, facts)
        facts += self._concluding(sentence, reported)
        # a place a phrase in passing names is that event's, not the reported one's
        facts = [
            f
            for f in facts
            if not (
                reported is not None
                and f.relation == "HELD_IN"
                and f.subject == reported.entity
                and any(p.place == f.object for p in self.passing)
            )
        ]
        facts += self._in_passing(part, reported)
        self.last_reported = reported
        _infer_referred(facts, referents, referred)
        for m in mentioned:
            if (taken_as := self.retitled.get((m.start, m.entity))) is not None:
                _infer_referred(facts, [m], taken_as)
        for match in part.matches:
            if match.how in (_SAME_INSTRUMENT, _SAME_PARTIES):
                # "signed an arrangement": which one is the article's, an inference
                same = [m for m in mentioned if (m.start, m.entity) == (match.start, match.entity)]
                name = index.entities[match.entity].name
                _infer_referred(facts, same, f"'{match.text}': taken to be the {name}")
        if _ABSENT.search(sentence.text):
            # "López Obrador skipped the summit after the United States excluded Cuba, ...":
            # a sentence of who stayed away says no one took part
            facts = [f for f in facts if f.relation != "ATTENDED"]
        if _NOT_SIGNED.search(sentence.text):
            # "Nicaragua did not sign the declaration", "se negó a firmar": no party to it
            facts = [f for f in facts if f.relation not in ("SIGNED", "PARTY_TO")]
        elif _SIGNING_AHEAD.search(sentence.text):
            # "Guatemala will sign ...", "is expected to sign", "podría firmar": a plan or
            # a possibility, not a signing
            for fact in facts:
                if fact.relation in ("SIGNED", "PARTY_TO") and fact.stated:
                    fact.stated = False
                    fact.note = "the text states the signing as a plan or a possibility"
        self._add_facts(sentence, facts)
        named_people = list(
            dict.fromkeys(
                m.entity for m in actors if m.kind is Kind.PERSON and not m.qualifier
                and m not in referents
            )
        )  # fmt: skip
        if len(named_people) >= 2:
            self.named_together = named_people
        self.last_people = named_people + [m.entity for m in referents if m.kind is Kind.PERSON]
        countries_named = list(
            dict.fromkeys(m.entity for m in actors if m.kind is Kind.COUNTRY and m not in referents)
        )
        if len(countries_named) >= 2:
            self.countries_together = countries_named

    def _concluding(self, sentence: Sentence, reported: Mentioned | None) -> list[FactCandidate]:
        """ "Blinken said at the press conference offered to conclude the session": the
        event reported is part of the article's lead event, which "the session" is taken
        to be (INFERRED)."""
        if reported is None or self.main is None or reported.entity == self.main.entity:
            return []
        lead = self.main.entity
        closing = _CONCLUDING.search(self.text, reported.end, sentence.end)
        if closing is not None and closing.start() - reported.end <= 40:
            note = f"'{closing.group()}': taken to be the article's lead event"
            span = (reported.start, closing.end())
            return [FactCandidate("PART_OF", reported.entity, lead, False, note, 0.4, span)]
        # "During a news conference with Guatemala President Bernardo Arévalo, ...", in an
        # article about the ministerial: a press conference at the gathering
        item = self.events_by_link.get(reported.entity)
        lead_item = self.events_by_link.get(lead)
        if (
            item is not None
            and item.entity is None
            and item.category == "press_conference"
            and self._category(lead) in _GATHERINGS
            and (item.edtf is None or lead_item is None or lead_item.edtf in (None, item.edtf))
        ):
            note = "a press conference the article reports, undated or on the day of its lead"
            span = (reported.start, reported.end)
            return [FactCandidate("PART_OF", reported.entity, lead, False, note, 0.4, span)]
        return []

    def _held_in_place(
        self,
        sentence: Sentence,
        mentioned: list[Mentioned],
        reported: Mentioned | None,
        facts: list[FactCandidate],
    ) -> list[FactCandidate]:
        """A meeting the sentence reports, in the place its last words say it is "in" and no
        rule placed ("Bárcena recibió ... al canciller de Guatemala, ..., en la Ciudad de
        México."): held there (INFERRED: the place is the sentence's, the text does not tie
        it to the event word)."""
        if reported is None or self._category(reported.entity) not in _KINDRED["meeting"]:
            return []
        if any(f.relation == "HELD_IN" and f.subject == reported.entity for f in facts):
            return []
        inside = {
            m.entity: m
            for m in self._placed_in(sentence, mentioned)
            if m.kind is Kind.PLACE
            # the sentence's last words, after its people ("..., en la Ciudad de México."),
            # or before a clause of what happened there ("in Mexico City, where the two
            # governments discussed ..."); not a place said of something else ("Cubans at
            # the border, what ...")
            and (
                re.fullmatch(r"[\W_]*", self.text[m.end : sentence.end])
                or _WHERE_CLAUSE.match(self.text, m.end, sentence.end)
            )
        }
        if len(inside) != 1:
            return []
        (place,) = inside.values()
        return [
            FactCandidate(
                "HELD_IN",
                reported.entity,
                place.entity,
                False,
                "the one place the sentence says it was in",
                round(0.45 * place.score, 3),
                (place.start - 3, place.end),
            )
        ]

    def _placed_in(self, sentence: Sentence, mentioned: list[Mentioned]) -> list[Mentioned]:
        """The places and countries a sentence puts something "in" ("in", "at", "en la")."""
        return [
            m
            for m in mentioned
            if m.kind in (Kind.PLACE, Kind.COUNTRY)
            and _IN_BEFORE.search(self.text, max(sentence.start, m.start - 12), m.start)
        ]

    def _venue(
        self, sentence: Sentence, mentioned: list[Mentioned], places: set[str]
    ) -> str | None:
        """Where a reported event was, of the places a sentence names: one the sentence puts
        it "in" ("en la Ciudad de México"), a place before a country; else the first by id."""
        inside = self._placed_in(sentence, mentioned)
        if inside:
            return min(inside, key=lambda m: (m.kind is Kind.COUNTRY, m.start)).entity
        # else a place before a country ("U.S. Secretary ... toured the Darién"), the first
        named = [m for m in mentioned if m.entity in places]
        if named:
            return min(named, key=lambda m: (m.kind is Kind.COUNTRY, m.start)).entity
        return sorted(places)[0] if places else None

    def _labelled(self, sentence: Sentence, reported: Mentioned | None) -> Mentioned | None:
        """The event a sentence reports, where its facts are read: a label before a colon
        ("• High-Level Donor Roundtable ...:  ..., the United States and Canada co-hosted a
        virtual donor roundtable meeting in November 2021") stands at the words of its kind
        after the colon, so that who is named before them hosts, attends or organizes it."""
        label = _LABEL.match(sentence.text)
        if reported is None or label is None or reported.end > sentence.start + label.end(1):
            return reported
        category = self._category(reported.entity)
        pattern = dict(CATEGORIES).get(category or "") or re.compile(_CATEGORY_WORD, re.I)
        cue = pattern.search(self.text, sentence.start + label.end(), sentence.end)
        if cue is None:
            return reported
        return dataclasses.replace(reported, start=cue.start(), end=cue.end())

    def _photo_credit(self, sentence: Sentence, actors: list[Mentioned]) -> list[FactCandidate]:
        """A photo credit right after a caption ("... arrives in Panama City, Panama, on April
        19, 2022." then "[State Department photo by Freddie Everett/ Public Domain]"): the
        photographer was at the event the caption reports, and works for the body the
        credit names (both INFERRED: a credit says who took the picture, not that they
        took part)."""
        credit = _PHOTO_CREDIT.match(sentence.text)
        event = self.last_reported
        if credit is None or event is None:
            return []
        at = sentence.start + credit.end()
        person = next((m for m in actors if m.kind is Kind.PERSON and m.start == at), None)
        if person is None:
            return []
        span = (sentence.start, person.end)
        out = [
            FactCandidate(
                "ATTENDED",
                person.entity,
                event.entity,
                False,
                "credited with the photo of the event the caption before it reports",
                round(0.5 * person.score, 3),
                span,
                role="photographer",
            )
        ]
        body_start = sentence.start + credit.start("body") if credit.group("body") else at
        for body in actors:
            if body.kind is Kind.ORGANIZATION and body_start <= body.start and body.end <= at:
                out.append(
                    FactCandidate(
                        "HOLDS_POSITION",
                        person.entity,
                        body.entity,
                        False,
                        "credited as the body's photographer",
                        round(0.45 * person.score, 3),
                        span,
                        title="photographer",
                    )
                )
        return out

    def _group_reference(
        self, sentence: Sentence, mentioned: list[Mentioned]
    ) -> tuple[list[Mentioned], str]:
        """The people "the two officials", "both ministers", "los dos funcionarios" or
        "the ministers" stand for: those last named together in one sentence (exactly two
        for "two" and "both"); and the countries "the three countries", "ambos países" or
        "the two governments" stand for, likewise (exactly as many as the number says): as
        mentions at the phrase, with the note their facts take; none that the sentence
        names itself."""
        out: list[Mentioned] = []
        notes = []
        named = {m.entity for m in mentioned}
        for pattern, group, kind, what in (
            (_GROUP_REFERENCE, self.named_together, Kind.PERSON, "people"),
            (_COUNTRY_GROUP, self.countries_together, Kind.COUNTRY, "countries"),
        ):
            found = pattern.search(sentence.text)
            if found is None or not group:
                continue
            words = fold(found.group("n") or "").split()
            count = next((_GROUP_COUNTS[w] for w in words if w in _GROUP_COUNTS), None)
            if count is not None and len(group) != count:
                continue
            start, end = sentence.start + found.start(), sentence.start + found.end()
            known = [self.graph.index.entities.get(i) or self.local.entities.get(i) for i in group]
            names = " and ".join(e.name for e in known if e is not None)
            notes.append(
                f"'{found.group()}': the {what} last named together in the article ({names})"
            )
            out += [
                Mentioned(start, end, i, kind, 0.6, i in self.graph.index.entities)
                for i in group
                if i not in named
            ]
        # "He will travel to Washington next week": the one person the sentence before named
        pronoun = _PRONOUN_SUBJECT.match(sentence.text)
        if pronoun and len(self.last_people) == 1 and self.last_people[0] not in named:
            (person,) = self.last_people
            who = self.graph.index.entities.get(person) or self.local.entities.get(person)
            if who is not None:
                start, end = sentence.start + pronoun.start(1), sentence.start + pronoun.end(1)
                out.append(
                    Mentioned(
                        start, end, person, Kind.PERSON, 0.55, person in self.graph.index.entities
                    )
                )
                notes.append(
                    f"'{pronoun.group(1)}': taken to be {who.name}, the one person the "
                    "sentence before names"
                )
        return out, "; ".join(notes)

    def _delegations(
        self, facts: list[FactCandidate], official_of: dict[str, str], named: set[str]
    ) -> list[FactCandidate]:
        """The dataset's convention: a country whose official (the title names the
        country: "Peru's Foreign Affairs Minister") took part in an event took part too;
        not in a visit or a leg of a journey, which is its traveller's (and companions')."""
        out = []
        for fact in facts:
            country = official_of.get(fact.subject)
            if fact.relation not in ("ATTENDED", "HOSTED") or country is None:
                continue
            if self._category(fact.object) in _JOURNEYS:
                continue
            if country not in named and fact.relation == "ATTENDED":
                continue
            out.append(
                FactCandidate(
                    fact.relation,
                    country,
                    fact.object,
                    False,
                    "its official took part (the title names the country, or the body the"
                    " official heads is the country's)",
                    round(0.8 * fact.confidence, 3),
                    fact.span,
                )
            )
        return out

    def _transcript(
        self, section: Section, analysed: list[_Sentence], candidates: dict[str, Candidate]
    ) -> str | None:
        """A transcript's event (its title's, linked when the graph has it, a part of the
        event its title names otherwise), dated by its dateline and held at its venue; who
        its heading names and who speaks in its turns took part (INFERRED). Returns the
        event's id (None when the heading does not make one)."""
        if section.title is None or section.dateline is None:
            return None
        parts = [p for p in analysed if section.heading[0] <= p.sentence.start < section.heading[1]]
        title_part = next(
            (p for p in parts if p.sentence.start <= section.title[0] < p.sentence.end), None
        )
        date_part = next((p for p in parts if p.sentence.start >= section.dateline[0]), None)
        if title_part is None or date_part is None or not date_part.dates:
            return None
        date = date_part.dates[0].span
        title = title_text(self.text, section)
        index = self.graph.index

        def people(part: _Sentence) -> list[Mentioned]:
            out = [
                Mentioned(m.start, m.end, m.entity, Kind.PERSON, m.score, True)
                for m in part.matches
                if index.kind(m.entity) is Kind.PERSON
            ]
            for c in part.candidates:
                first = candidates[f"{c.kind.value}:{c.name.casefold()}"]
                if first.kind is Kind.PERSON and first.confidence >= MIN_FACT_GUESS:
                    out.append(
                        Mentioned(c.start, c.end, first.proposed_id, Kind.PERSON, 0.6, False)
                    )
            return out

        heading = [(p, m) for p in parts if p is not date_part for m in people(p)]
        actors = {m.entity for _, m in heading}
        named = [
            m
            for m in title_part.matches
            if index.kind(m.entity) is Kind.EVENT
            and section.title[0] <= m.start
            and m.end <= section.title[1]
        ]
        rest = self.text[named[-1].end : section.title[1]] if named else title
        parent = named[-1].entity if named else None
        link: str | None = None
        if parent is not None and not _SUB_EVENT.search(rest):
            link = parent  # the title is the graph's event itself
            parent = None
        category = event_category(title) or ("session" if parent else None)
        if link is None and parent is None and category is not None:
            link, _why, _score = self._link(
                category, date, actors, set(), kindred=_KINDRED.get(category, frozenset())
            )
        name = " ".join(rest.split()).strip(" ,.") if parent else title
        target = link or f"event:{slugify(name)}-{date.start.year}"
        venue = section.venue or (0, 0)
        on_venue = [p for p in analysed if venue[0] <= p.sentence.start < venue[1]]
        places = [c.proposed_id for p in on_venue for c in p.candidates if c.kind is Kind.PLACE]
        places += [
            m.entity for p in on_venue for m in p.matches if index.kind(m.entity) is Kind.PLACE
        ]
        sentence = title_part.sentence
        span = (max(section.title[0], sentence.start), min(section.title[1], sentence.end))
        item = self.events_by_link.get(target)
        if item is None:
            item = ProposalItem(
                id=self._id(ItemKind.EVENT),
                kind=ItemKind.EVENT,
                quote=self._quote(sentence, span),
                confidence=0.6 if link else 0.45,
                entity=link,
                name=index.entities[link].name if link else name,
                proposed_id=None if link else target,
                edtf=date.edtf,
                precision=date.precision.value,
                category=category,
                participants=sorted(actors),
                place=places[0] if places else None,
                note="a transcript's heading",
            )
            self.items.append(item)
            self.events_by_link[target] = item
        facts: list[tuple[Sentence, FactCandidate]] = []
        for part, person in heading:
            facts.append(
                (
                    part.sentence,
                    FactCandidate(
                        "ATTENDED",
                        person.entity,
                        target,
                        False,
                        "named in the heading of the transcript of the event",
                        round(0.55 * person.score, 3),
                        (person.start, person.end),
                    ),
                )
            )
        for start, end in section.speakers:
            turn = next((p for p in analysed if p.sentence.start <= start < p.sentence.end), None)
            if turn is None:
                continue
            label = self.text[start:end].title()
            found = index.find(label, 0, len(label)) + self.local.find(label, 0, len(label))
            who = next((m for m in found if m.entity.startswith("person:")), None)
            if who is None or who.entity in actors:
                continue
            actors.add(who.entity)
            facts.append(
                (
                    turn.sentence,
                    FactCandidate(
                        "ATTENDED",
                        who.entity,
                        target,
                        False,
                        "speaks in the transcript of the event",
                        round(0.5 * who.score, 3),
                        (start, end),
                    ),
                )
            )
        # "Our first question goes to X of EFE": who the turns call on with their
        # organization took part, and so did the organization
        for at, affiliation in self.affiliated:
            if not section.heading[1] <= at.start < section.end:
                continue
            for caller in (affiliation.subject, affiliation.object):
                if caller in actors:
                    continue
                actors.add(caller)
                facts.append(
                    (
                        at,
                        FactCandidate(
                            "ATTENDED",
                            caller,
                            target,
                            False,
                            "called on with their organization in the transcript of the event"
                            if caller == affiliation.subject
                            else "its member is called on in the transcript of the event",
                            round(0.7 * affiliation.confidence, 3),
                            affiliation.span,
                        ),
                    )
                )
        if places and on_venue:
            facts.append(
                (
                    on_venue[0].sentence,
                    FactCandidate(
                        "HELD_IN",
                        target,
                        places[0],
                        False,
                        "the venue line of the transcript's heading",
                        0.5,
                        venue,
                    ),
                )
            )
        if places and on_venue:
            facts += self._venue_in_city(section, analysed, candidates, places[0])
        if parent is not None:
            facts.append(
                (
                    sentence,
                    FactCandidate(
                        "PART_OF",
                        target,
                        parent,
                        False,
                        "the transcript's title names it a part of this event",
                        0.5,
                        span,
                    ),
                )
            )
        kinds = {target: Kind.EVENT}
        for at, fact in facts:
            subject = kinds.get(fact.subject) or Kind(fact.subject.split(":")[0])
            obj = kinds.get(fact.object) or Kind(fact.object.split(":")[0])
            if fits(fact.relation, subject, obj):
                self._add_facts(at, [fact])
        return target

    def _venue_in_city(
        self,
        section: Section,
        analysed: list[_Sentence],
        candidates: dict[str, Candidate],
        venue_place: str,
    ) -> list[tuple[Sentence, FactCandidate]]:
        """The venue line's place is in the place the heading's next line names
        ("Westin Playa Bonita Panama" over "Panama City, Panama"): LOCATED_IN, INFERRED."""
        venue = section.venue
        line = next((h for h in section.lines if venue and h[0] > venue[1]), None)
        if venue is None or line is None:
            return []
        index = self.graph.index
        for part in analysed:
            if not (part.sentence.start <= line[0] < part.sentence.end):
                continue
            on_line = [
                (m.start, m.entity, index.kind(m.entity))
                for m in part.matches
                if line[0] <= m.start < line[1]
            ]
            on_line += [
                (c.start, first.proposed_id, first.kind)
                for c in part.candidates
                if line[0] <= c.start < line[1]
                and (first := candidates[f"{c.kind.value}:{c.name.casefold()}"])
            ]
            places = sorted(p for p in on_line if p[2] in (Kind.PLACE, Kind.COUNTRY))
            if places and places[0][1] != venue_place:
                fact = FactCandidate(
                    "LOCATED_IN",
                    venue_place,
                    places[0][1],
                    False,
                    "the transcript's venue line, above the line of its city",
                    0.45,
                    line,
                )
                return [(part.sentence, fact)]
        return []

    def _turn_mentions(self, part: _Sentence, candidates: dict[str, Candidate]) -> list[Mentioned]:
        """What a turn's sentence names: the graph's entities (no typo matches) and the
        names the graph lacks ("President Cortizo", "Ministers ... Pino")."""
        index = self.graph.index
        mentioned = [
            Mentioned(m.start, m.end, m.entity, index.kind(m.entity), m.score, True)
            for m in part.matches
            if m.how != "fuzzy"
        ]
        mentioned += [
            Mentioned(c.start, c.end, first.proposed_id, first.kind, 0.6, False)
            for c in part.candidates
            if (first := candidates[f"{c.kind.value}:{c.name.casefold()}"]).confidence
            >= MIN_FACT_GUESS
        ]
        mentioned += [
            Mentioned(m.start, m.end, m.entity, Kind(m.entity.split(":")[0]), 0.6, False)
            for m in part.local
        ]
        return mentioned

    def _gathering(self, target: str) -> str:
        """The gathering a transcript's event is part of (the one the graph or the
        transcript's title gives), else the event itself."""
        parents = set(self.graph.parents.get(target, set()))
        parents |= {o for s, r, o in self.facts if s == target and r == "PART_OF"}
        return next(iter(parents)) if len(parents) == 1 else target

    @staticmethod
    def _turns(section: Section, analysed: list[_Sentence]) -> list[_Sentence]:
        """The sentences of a transcript's turns (after its heading)."""
        return [p for p in analysed if section.heading[1] <= p.sentence.start < section.end]

    def _referred_to(self, target: str, turns: list[tuple[_Sentence, list[Mentioned]]]) -> None:
        """A turn's "the press conference called by Erika Mouynes, ..., after the
        ministerial" is the transcript's event (a press conference's): who it says called
        or hosted it ORGANIZED or HOSTED it (STATED), and the gathering it followed, the
        one the event is part of, is its parent (PART_OF, INFERRED: "after" is not "part
        of"; a gathering of the word's kind, from the graph or the transcript's title)."""
        category = self._category(target)
        gathering = self._gathering(target)
        if category is None:
            return
        for part, mentioned in turns:
            found = this_event(
                self.text, (part.sentence.start, part.sentence.end), category, mentioned
            )
            if found is None:
                continue
            start, convener, relation, after = found
            facts = []
            if convener is not None and relation is not None:
                facts.append(
                    FactCandidate(
                        relation, convener.entity, target, True, None,
                        round(0.7 * convener.score, 3), (start, convener.end),
                    )
                )  # fmt: skip
            kind = self._category(gathering)
            if (
                after is not None
                and gathering != target
                and kind is not None
                and (pattern := dict(CATEGORIES).get(kind)) is not None
                and pattern.match(self.text, after)
            ):
                word = pattern.match(self.text, after)
                assert word is not None
                note = "the transcript's event, said to follow the gathering it is part of"
                facts.append(
                    FactCandidate(
                        "PART_OF", target, gathering, False, note, 0.5, (start, word.end())
                    )
                )
            self._add_facts(part.sentence, facts)

    def _category(self, event: str) -> str | None:
        """An event's category: the graph's, or the proposed event's."""
        if (info := self.graph.index.entities.get(event)) is not None and isinstance(info, Event):
            return info.category
        item = self.events_by_link.get(event)
        return item.category if item is not None else None

    def _joined_us(self, target: str, turns: list[tuple[_Sentence, list[Mentioned]]]) -> None:
        """The bodies a turn lists as having joined the speakers ("multilateral development
        banks, they joined us here as well, including the Andean Development Corporation,
        ..., and the International Monetary Fund"; "as we meet representatives from key
        organizations, including the Inter-American Development Bank, ...") ATTENDED
        (INFERRED): the transcript's own event when the sentence says the day ("here
        tonight"), else the gathering it is part of ("joined us here in Panama")."""
        group = False  # the sentence before spoke of who joined, and listed none
        for part, mentioned in turns:
            span = (part.sentence.start, part.sentence.end)
            joined = joined_list(self.text, span, mentioned)
            if group:
                joined += group_listed(self.text, span, mentioned)
            group = joined_group(part.sentence.text)
            if not joined:
                continue
            today = _TODAY.search(part.sentence.text) is not None
            event = target if today else self._gathering(target)
            facts = [
                FactCandidate(
                    "ATTENDED",
                    body.entity,
                    event,
                    False,
                    "listed among those who joined, in the transcript of the event",
                    round(0.5 * body.score, 3),
                    (body.start, body.end),
                )
                for body in joined
            ]
            self._add_facts(part.sentence, facts)

    def _thanked_hosts(self, target: str, turns: list[tuple[_Sentence, list[Mentioned]]]) -> None:
        """Who a transcript's turns thank for hosting or convening hosted the event named
        after the thanks ("for so generously hosting us for this week's Ministerial
        Conference": STATED) or else the gathering the transcript's event is part of, or
        the event itself ("Erika, thank you so much for bringing us all together": INFERRED,
        the heading says where it was said)."""
        gathering = self._gathering(target)
        for part, mentioned in turns:
            sentence = (part.sentence.start, part.sentence.end)
            thanked = thanked_hosts(self.text, sentence, mentioned)
            if thanked is None:
                continue
            hosts, reason_end = thanked
            named = [m for m in mentioned if m.kind is Kind.EVENT and m.start >= reason_end]
            event = named[0].entity if named else gathering
            note = (
                None
                if named
                else "thanked for hosting in the transcript of the event"
                if event == target
                else "thanked for hosting in the transcript of a part of the event"
            )
            facts = [
                FactCandidate(
                    "HOSTED",
                    host.entity,
                    event,
                    bool(named),
                    note,
                    round(0.6 * host.score, 3),
                    (min(host.start, reason_end), max(host.end, reason_end)),
                    role="host",
                )
                for host in hosts
                if fits("HOSTED", host.kind, Kind.EVENT)
            ]
            self._add_facts(part.sentence, facts)

    def _spoken_of(self, target: str, turns: list[tuple[_Sentence, list[Mentioned]]]) -> None:
        """What the turns of a transcript name, of the graph's entities, and that has no
        part in its event, is MENTIONED_IN the event (INFERRED: the quote names it, the
        heading says where it was said). No part: not the event or one it is part of, nor
        their participants and places (in the graph or proposed), nor the offices those
        participants hold and those offices' countries; in a sentence, not the place of an
        event it names ("the Summit of the Americas in Los Angeles"). The first sentence
        naming it is the quote; fuzzy matches are left out, and of new names all but
        countries'. A sentence that says "this meeting" in the transcript of a part of a
        gathering speaks of the gathering."""
        index = self.graph.index
        events = {target} | self.graph.parents.get(target, set())
        events |= {o for s, r, o in self.facts if s == target and r == "PART_OF"}
        involved = set(events)
        for event in events:
            if (info := self.graph.events.get(event)) is not None:
                involved |= info.participants | info.places
        involved |= {s for s, _, o in self.facts if o in events}
        involved |= {o for s, _, o in self.facts if s in events}
        holders = {h for who in involved for h, _ in self.graph.positions.get(who, ())}
        holders |= {o for s, r, o in self.facts if r == "HOLDS_POSITION" and s in involved}
        for holder in holders:
            body = index.entities.get(holder)
            if isinstance(body, Organization) and body.country:
                involved.add(body.country)
        involved |= holders
        gathering = self._gathering(target)
        spoken: set[tuple[str, str]] = set()

        def speak(
            sentence: Sentence,
            entity: str,
            event: str,
            note: str,
            score: float,
            span: tuple[int, int],
        ) -> None:
            spoken.add((entity, event))
            fact = FactCandidate(
                "MENTIONED_IN", entity, event, False, note, round(0.45 * score, 3), span
            )
            self._add_facts(sentence, [fact])

        for part, mentioned in turns:
            venues = self._venues_named(part)
            # "have not been present at this meeting", said at the ministerial's press
            # conference: the ministerial is what they are spoken of in
            event = target
            if gathering != target and _THIS_GATHERING.search(part.sentence.text):
                event = gathering
            for match in sorted(mentioned, key=lambda m: m.start):
                if (
                    match.entity in involved
                    or (match.entity, event) in spoken
                    or match.entity in venues
                    or (not match.known and match.kind not in _SPOKEN_NEW)
                    or not fits("MENTIONED_IN", match.kind, Kind.EVENT)
                ):
                    continue
                note = "named in the turns of the event's transcript, with no part in it"
                speak(
                    part.sentence, match.entity, event, note, match.score, (match.start, match.end)
                )
            # a new event a turn reports ("Yesterday, Secretary Mayorkas and I visited the
            # Panama Canal") is spoken of there too
            for reported, item in self.events_by_link.items():
                quote = item.quote
                if (
                    item.entity is not None
                    or reported in events
                    or any(self._restated(item, e) for e in events)
                    or (reported, event) in spoken
                    or not part.sentence.start <= quote.start < part.sentence.end
                ):
                    continue
                note = "an event reported in the turns of the event's transcript"
                speak(part.sentence, reported, event, note, item.confidence, quote.span)

    def _restated(self, item: ProposalItem, event_id: str) -> bool:
        """Whether a reported event is ``event_id`` again, as a transcript's turns name it
        ("the meeting today", "today's press conference"): the word right after a
        determiner, of its kind (or a kindred one) and on its dates; not "migration talks
        with Cuba this week", another event."""
        category = self._category(event_id)
        if category is None or item.category is None or item.edtf is None:
            return False
        before = self.text[max(0, item.quote.span_start - 16) : item.quote.span_start]
        if not THIS_REFERENCE.search(before):
            return False
        if item.category != category and category not in _KINDRED.get(item.category, ()):
            return False
        known = self.graph.events.get(event_id)
        proposed = self.events_by_link.get(event_id)
        edtf = proposed.edtf if proposed is not None else None
        span = known.event.date if known is not None else parse_date(edtf) if edtf else None
        said = parse_date(item.edtf)
        return span is not None and span.overlaps(said.start, said.end)

    def _parties_instrument(
        self, candidate: Candidate, matches: list[Match], dates: list[FoundDate], base: str
    ) -> Match | None:
        """The graph's agreement an unnamed instrument is, by who and when: two countries
        or more the sentence names are all its parties, and it was signed within a week of
        the sentence's date (or the text's): "Panama and the United States announced a
        letter of understanding ...", a day after the graph's U.S.–Panama arrangement. One
        such agreement only."""
        countries = {m.entity for m in matches if self.graph.index.kind(m.entity) is Kind.COUNTRY}
        if len(countries) < 2:
            return None
        when = dates[0].span if dates else parse_date(base)
        week = dt.timedelta(days=7)
        found = [
            agreement
            for agreement, (signed, parties) in self.graph.parties.items()
            if countries <= parties
            and signed.start - week <= when.end
            and when.start <= signed.end + week
        ]
        if len(found) != 1:
            return None
        return Match(candidate.start, candidate.end, candidate.name, found[0], 0.5, _SAME_PARTIES)

    def _undated_generic(self, matches: list[Match], dates: list[FoundDate]) -> list[Match]:
        """An agreement named by a common noun phrase of the graph's ("letter of intent",
        all in lower case) is not that agreement in a sentence dated when it was not
        signed ("signed a letter of intent on Thursday", two years after the graph's):
        another instrument, which the unnamed-instrument rule proposes."""
        if not dates:
            return matches
        kept = []
        for match in matches:
            agreement = self.graph.index.entities.get(match.entity)
            if (
                isinstance(agreement, Agreement)
                and agreement.date is not None
                and match.text == match.text.lower()
                and not any(agreement.date.overlaps(d.span.start, d.span.end) for d in dates)
            ):
                continue
            kept.append(match)
        return kept

    def _venues_named(self, part: _Sentence) -> set[str]:
        """The places (and what they are in) of the graph's events a sentence names."""
        places: set[str] = set()
        for match in part.matches:
            if (info := self.graph.events.get(match.entity)) is not None:
                for place in info.places:
                    places |= {place} | self.graph.located.get(place, set())
        return places

    def _lead_speakers(self) -> None:
        """Who speaks in an article whose opening reports an event, or "also took part"
        where no event is named, took part in it (and the country the speaker's title
        names)."""
        if self.main is None:
            return
        lead = self.main.entity

        def attends(who: Mentioned, note: str, weight: float) -> FactCandidate:
            return FactCandidate(
                "ATTENDED", who.entity, lead, False, note, round(weight * who.score, 3),
                (who.start, who.end),
            )  # fmt: skip

        for sentence, who in self.took_part:
            note = "took part, in an article whose lead reports the event"
            self._add_facts(sentence, [attends(who, note, 0.5)])

        def with_country(sentence: Sentence, fact: FactCandidate, country: str | None) -> None:
            """The fact, and the same of the country whose official its subject is."""
            official_of = {fact.subject: country} if country else {}
            named = {country} if country else set()
            self._add_facts(sentence, [fact, *self._delegations([fact], official_of, named)])

        for sentence, who, country in self.hosted_guests:
            note = "hosted the visitors, in an article whose lead reports the event"
            host = FactCandidate(
                "HOSTED", who.entity, lead, False, note, round(0.5 * who.score, 3),
                (who.start, who.end), role="host",
            )  # fmt: skip
            with_country(sentence, host, country)
        for sentence, person, country in self.speakers:
            if (person.entity, "HOSTED", lead) in self.facts:
                continue  # the host does not also attend
            note = "speaks in an article about the event; the sentence does not place them there"
            if country and (country, "HOSTED", lead) in self.facts:
                country = None  # the host does not also attend
            with_country(sentence, attends(person, note, 0.4), country)

    def _add_facts(self, sentence: Sentence, facts: list[FactCandidate]) -> None:
        for fact in facts:
            key = (fact.subject, fact.relation, fact.object)
            if self._hosts_instead(fact):
                continue
            existing = self.facts.get(key)
            if existing is not None and (existing.basis is Basis.STATED or not fact.stated):
                continue
            item = ProposalItem(
                id=existing.id if existing else self._id(ItemKind.FACT),
                kind=ItemKind.FACT,
                quote=self._quote(sentence, fact.span),
                confidence=fact.confidence,
                relation=fact.relation,
                subject=fact.subject,
                object=fact.object,
                role=fact.role or fact.title,
                basis=Basis.STATED if fact.stated else Basis.INFERRED,
                note=fact.note,
            )
            if existing is not None:
                self.items[self.items.index(existing)] = item
            else:
                self.items.append(item)
            self.facts[key] = item

    def _hosts_instead(self, fact: FactCandidate) -> bool:
        """A host does not also attend (the dataset's convention): an inferred attendance
        of a host, as the text or the graph has it, is not added, and one added before the
        hosting is dropped."""
        attended = (fact.subject, "ATTENDED", fact.object)
        if fact.relation == "ATTENDED" and not fact.stated:
            return (fact.subject, "HOSTED", fact.object) in self.facts or (
                fact.subject,
                fact.object,
            ) in self.graph.hosted
        held = self.facts.get(attended)
        if fact.relation == "HOSTED" and held is not None and held.basis is Basis.INFERRED:
            self.items.remove(held)
            del self.facts[attended]
        return False

    def _adoptions(
        self, part: _Sentence, mentioned: list[Mentioned], inherited: DateSpan | None
    ) -> list[FactCandidate]:
        """ "Two years ago, leaders signed the Los Angeles Declaration": an agreement the
        sentence says was signed or adopted, at the event the graph records it adopted at
        (when the sentence's date fits the event's): a MENTION of the event and ADOPTED_AT
        (INFERRED: where comes from the graph)."""
        sentence = part.sentence
        if not _ADOPTION.search(sentence.text):
            return []
        date = part.dates[0].span if part.dates else inherited
        named = {m.entity for m in mentioned}
        out = []
        for agreement in (m for m in mentioned if m.kind is Kind.AGREEMENT and m.known):
            for event_id in self.graph.adopted_at.get(agreement.entity, []):
                event = self.graph.events[event_id].event
                if event_id in named or (
                    date is not None and not event.date.overlaps(date.start, date.end)
                ):
                    continue
                note = "the graph records the agreement adopted at this event"
                self.items.append(
                    ProposalItem(
                        id=self._id(ItemKind.MENTION),
                        kind=ItemKind.MENTION,
                        quote=self._quote(sentence, (agreement.start, agreement.end)),
                        confidence=round(0.5 * agreement.score, 3),
                        entity=event_id,
                        name=event.name,
                        note=note,
                    )
                )
                out.append(
                    FactCandidate(
                        "ADOPTED_AT",
                        agreement.entity,
                        event_id,
                        False,
                        note,
                        round(0.5 * agreement.score, 3),
                        (agreement.start, agreement.end),
                    )
                )
        return out

    def _offices(
        self, sentence: Sentence, mentioned: list[Mentioned], countries: list[Mentioned]
    ) -> list[FactCandidate]:
        """Ministers' and secretaries' titles: the ministry or department each heads (a
        MENTION of it) and, with the person the title names, their HOLDS_POSITION in it.
        Which country's body: the country named with the title ("U.S. Secretary of
        State", "Foreign Minister of Guatemala", "Panamanian Foreign Minister"); without
        one, the body the graph records for the person, or the only one it has."""
        out: list[FactCandidate] = []
        text = self.text
        people = [m for m in mentioned if m.kind is Kind.PERSON]
        for title in _OFFICE_TITLE.finditer(sentence.text):
            t_start = sentence.start + title.start()
            t_end = sentence.start + title.end()
            pre_at = sentence.start + title.start("pre")
            pre_words = [
                (pre_at + w.start(), w.group()) for w in re.finditer(r"\S+", title.group("pre"))
            ]
            post = title.group("post") or ""
            # the post part stops where a name the sentence knows starts
            post_end = t_end
            for m in [*people, *countries]:
                if title.start("post") >= 0 and t_start < m.start < t_end:
                    post_end = min(post_end, m.start)
            if post:
                post = text[sentence.start + title.start("post") : post_end].rstrip()
                post = re.sub(r"(?:\s*\b(?:of|for|de|the|la|el)\b)+$", "", post)
                post_end = sentence.start + title.start("post") + len(post)
            else:
                post_end = sentence.start + title.end("head")
            qualifier: Mentioned | None = None
            kept: list[tuple[int, str]] = []
            for at, word in pre_words:
                inside = next((c for c in countries if c.start <= at < c.end), None)
                if inside is not None:
                    qualifier, kept = inside, []
                    continue
                if any(p.start <= at < p.end for p in people):
                    kept = []
                    continue
                kept.append((at, word))
            if any(fold(w) in _HEAD_OF_GOVERNMENT for _, w in kept):
                continue
            kept = [(at, w) for at, w in kept if fold(w) not in _TITLE_MODIFIERS]
            start = kept[0][0] if kept else sentence.start + title.start("head")
            if qualifier is None:
                qualifier = next(
                    (
                        c
                        for c in countries
                        if c.end <= start and re.fullmatch(r"\s*(?:['’]s)?\s*", text[c.end : start])
                    ),
                    None,
                )
            after = next(
                (
                    c
                    for c in countries
                    if c.start >= post_end
                    and re.fullmatch(
                        # "of Mexico", "de México"; a demonym after it ("canciller mexicana")
                        r"\s*,?\s*(?:of|de|from|for)\s+(?:the\s+|la\s+|el\s+)?"
                        + ("|\\s+" if text[c.start : c.start + 1].islower() else ""),
                        text[post_end : c.start],
                    )
                ),
                None,
            )
            if qualifier is None and after is not None:
                qualifier = after
            end_of_title = after.end if after is not None else post_end
            if qualifier is None:
                # "of Mexico" the graph does not know as a country: a word the body's name has
                unknown = re.match(
                    r"\s*,?\s*(?:of|de)\s+(?:the\s+)?([A-Z][^\W\d_]+)", text[post_end:]
                )
                if unknown is not None:
                    post = f"{post} {unknown.group(1)}"
                    end_of_title = post_end + unknown.end()
            person = self._titled(people, start, end_of_title)
            body, stated, note = self._body(title.group("head"), kept, post, qualifier, person)
            written = text[start:post_end]
            if body is None:
                body = self._new_body(
                    sentence, title.group("head"), kept, post, qualifier, (start, post_end)
                )
                if body is None:
                    continue
                stated, note = True, None
            else:
                self.items.append(
                    ProposalItem(
                        id=self._id(ItemKind.MENTION),
                        kind=ItemKind.MENTION,
                        quote=self._quote(sentence, (start, post_end)),
                        confidence=0.7 if stated else 0.55,
                        entity=body,
                        name=written,
                        note=f"the body the title '{written}' heads"
                        + (f"; {note}" if note else ""),
                    )
                )
            if person is not None:
                # whose official: the country the title names, or the body's own country
                country = qualifier.entity if qualifier is not None and qualifier.known else None
                whose = "title"
                held = self.graph.index.entities.get(body)
                if country is None and isinstance(held, Organization) and held.country:
                    country, whose = held.country, "body"
                out.append(
                    FactCandidate(
                        "HOLDS_POSITION",
                        person.entity,
                        body,
                        stated,
                        note,
                        round((0.75 if stated else 0.6) * person.score, 3),
                        (min(start, person.start), max(end_of_title, person.end)),
                        title=written,
                        extra={"country": country, "whose": whose} if country else {},
                    )
                )
        return out

    def _new_body(
        self,
        sentence: Sentence,
        head: str,
        kept: list[tuple[int, str]],
        post: str,
        qualifier: Mentioned | None,
        title: tuple[int, int],
    ) -> str | None:
        """A ministry the graph lacks, named from the title that heads it ("Panamanian
        Minister of Canal Affairs": the Ministry of Canal Affairs of Panama; "the Foreign
        Minister of Guatemala": the Ministry of Foreign Affairs of Guatemala), proposed as a
        new organization once; only when the text says whose (a known country)."""
        if qualifier is None or not qualifier.known:
            return None
        country = self.graph.index.entities.get(qualifier.entity)
        domain_words = [w for _, w in kept] + re.findall(r"[^\W\d_][\w’'-]*", post)
        domain_words = [w for w in domain_words if fold(w) not in ("of", "for", "de", "the")]
        # "canciller" alone names its domain: foreign affairs ("el canciller de Honduras")
        if country is None or not (office_domain(domain_words) or fold(head) == "canciller"):
            return None
        body_word, of = _BODY_WORDS[fold(head)]
        domain = " ".join(domain_words)
        # the country as the text writes its name ("Secretaría de Trabajo de Estados
        # Unidos"), the graph's name after a demonym ("Panamanian Minister ...")
        written = self.text[qualifier.start : qualifier.end]
        whose = written if country_code(written) is not None else country.name
        if fold(head) == "canciller" and not post:
            name = f"Ministerio de Relaciones Exteriores de {whose}"
        elif office_domain(domain_words) == {"foreign"} and of == "of":
            name = f"{body_word} of Foreign Affairs of {whose}"
        else:
            name = f"{body_word} {of} {domain} {of} {whose}"
        proposed_id = f"organization:{slugify(name)}"
        if proposed_id not in self.new_bodies:
            self.new_bodies.add(proposed_id)
            span = (min(title[0], qualifier.start), max(title[1], qualifier.end))
            self.items.append(
                ProposalItem(
                    id=self._id(ItemKind.ENTITY),
                    kind=ItemKind.ENTITY,
                    quote=self._quote(sentence, span),
                    confidence=0.6,
                    name=name,
                    entity_kind=Kind.ORGANIZATION.value,
                    proposed_id=proposed_id,
                    country=country.id,
                    context=f"the body a title names; the graph has no such body of {country.name}",
                )
            )
        return proposed_id

    def _titled(self, people: list[Mentioned], start: int, end: int) -> Mentioned | None:
        """The person a title names: right after it ("Secretary of State Antony Blinken",
        "the Foreign Minister of Guatemala, Carlos Martínez") or before it, set off by a
        comma ("Erika Mouynes, Minister of Foreign Affairs")."""
        for person in people:
            if person.start >= end and re.fullmatch(r"\s*,?\s*", self.text[end : person.start]):
                return person
        for person in people:
            if person.end <= start and re.fullmatch(
                r"\s*,\s*(?:the\s+|la\s+|el\s+)?", self.text[person.end : start]
            ):
                return person
        return None

    def _body(
        self,
        head: str,
        kept: list[tuple[int, str]],
        post: str,
        qualifier: Mentioned | None,
        person: Mentioned | None,
    ) -> tuple[str | None, bool, str | None]:
        """The ministry or department a title heads, whether the text says whose, a note."""
        post_words = re.findall(r"[^\W\d_]+", post)
        offices = self.graph.offices
        country = qualifier.entity if qualifier is not None and qualifier.known else None
        # "During Foreign Minister ...": leading words are dropped until the domain resolves
        for drop in range(len(kept) + 1):
            domain = office_domain([w for _, w in kept[drop:]] + post_words)
            if not domain and fold(head) == "canciller":
                domain = frozenset({"foreign"})
            if not domain:
                continue
            found = offices.find(domain, country)
            if country is not None:
                if found:
                    return found[0], True, None
                continue
            if person is not None and person.known:
                held = {h for h, _ in self.graph.positions.get(person.entity, [])}
                for body in found:
                    if body in held:
                        return body, True, None
            if len(found) == 1:
                return found[0], False, "the text names no country; the graph has one such body"
        if country is not None and person is not None and person.known:
            # "el secretario de Seguridad Nacional de Estados Unidos, Alejandro Mayorkas": a
            # domain in other words than the graph's, of the one office the graph records
            # for this person in that country
            bodies = {b for b, c, _ in offices.bodies if c == country}
            held = {h for h, _ in self.graph.positions.get(person.entity, []) if h in bodies}
            if len(held) == 1:
                note = "the graph's one office of this person in the country the title names"
                return held.pop(), False, note
        return None, False, None

    def _known_positions(
        self, sentence: Sentence, mentioned: list[Mentioned], stated: set[tuple[str, str]]
    ) -> list[FactCandidate]:
        """ "President Joe Biden": a title the text puts before a person that is the title of
        a position the graph records for them (INFERRED: the text names no country)."""
        out = []
        for m in mentioned:
            if m.kind is not Kind.PERSON or (m.entity, "HOLDS_POSITION") in stated:
                continue
            before = self.text[max(sentence.start, m.start - 60) : m.start]
            words = re.findall(r"[^\W\d_]+", before)[-5:]
            if not words or not before.rstrip(" ,").endswith(words[-1]):
                continue
            near = {fold(w) for w in words}
            for holder, title in self.graph.positions.get(m.entity, []):
                head = [fold(w) for w in re.findall(r"[^\W\d_]+", title) if w[:1].isupper()]
                if head and head[0] in near and fold(words[-1]) in {fold(w) for w in title.split()}:
                    out.append(
                        FactCandidate(
                            "HOLDS_POSITION",
                            m.entity,
                            holder,
                            False,
                            f"the title '{title}' is the graph's position of this person",
                            round(0.6 * m.score, 3),
                            (max(sentence.start, m.start - len(" ".join(words))), m.end),
                            title=title,
                        )
                    )
        return out

    def _heads_of_state(
        self, sentence: Sentence, mentioned: list[Mentioned], stated: set[tuple[str, str]]
    ) -> list[FactCandidate]:
        """ "El Salvador's state of emergency proposed by President Nayib Bukele": a
        president the graph has no position for, in a sentence that names one country,
        is its president (INFERRED)."""
        countries = {
            m.entity for m in mentioned if m.kind is Kind.COUNTRY and (m.known or m.score >= 0.6)
        }
        if len(countries) != 1:
            return []
        (country,) = countries
        out = []
        for m in mentioned:
            if m.kind is not Kind.PERSON or (m.entity, "HOLDS_POSITION") in stated:
                continue
            if m.known and self.graph.positions.get(m.entity):
                continue  # the graph knows their office ("President Biden")
            title = _HEAD_TITLE.search(self.text[max(sentence.start, m.start - 30) : m.start])
            if title is None:
                continue
            out.append(
                FactCandidate(
                    "HOLDS_POSITION",
                    m.entity,
                    country,
                    False,
                    "titled president in a sentence that names only this country",
                    round(0.5 * m.score, 3),
                    (m.start - len(title.group()), m.end),
                    title=title.group(1),
                )
            )
        return out

    def _event(
        self, part: _Sentence, mentioned: list[Mentioned], inherited: DateSpan | None
    ) -> Mentioned | None:
        sentence = part.sentence
        category = event_category(sentence.text)
        self.reception = None
        if category is None and part.dates:
            # "Bárcena received this Wednesday the Foreign Minister of Guatemala ...": a
            # dated reception of an official is a meeting
            self.reception = _reception(self.text, sentence, mentioned)
            if self.reception is not None:
                category = "meeting"
        named = [m for m in mentioned if m.kind is Kind.EVENT]
        if category is None and not named:
            return None
        cue = self.reception[2] if self.reception else self._cue(sentence, category)
        # not a date of what someone says after the event word ("During a press conference
        # with X, Miller said Canada will host the next ministerial in October")
        speech = _SPEECH.search(sentence.text, cue[1] - sentence.start)
        said_from = sentence.start + speech.start() if speech else sentence.end
        own_dates = [d for d in part.dates if d.start < said_from]
        # nor a date of a relative clause after it, another's doing ("co-chaired by X, who
        # arrived on Wednesday evening")
        clause = _RELATIVE_CLAUSE.search(self.text, cue[1], sentence.end)
        if clause is not None:
            own_dates = [d for d in own_dates if d.start < clause.start()]
        # "TEGUCIGALPA, 22 de mayo (Agencia) — ... se reunió hace dos semanas": the
        # dateline dates the article; a date after it dates the event
        dateline = WIRE_DATELINE.match(sentence.text)
        if dateline is not None:
            cut = sentence.start + dateline.end()
            own_dates = [d for d in own_dates if d.start >= cut] or own_dates
        # "They will meet again": another occasion than the one the last sentence dated
        again = _MEET_AGAIN.search(sentence.text) is not None
        date = own_dates[0].span if own_dates else None
        if date is None and not part.dates and not again and not _PLANNED.search(sentence.text):
            date = inherited  # (not by a plan: "Canada will host the next one")
        # (a date the sentence gives to the day, or with its year: not a month whose year
        # is a guess, "in June")
        decisive = bool(own_dates) and (
            own_dates[0].span.precision is DatePrecision.DAY or not own_dates[0].relative
        )
        elsewhen = [
            m
            for m in named
            if m.known
            and date is not None
            and decisive
            and isinstance(event := self.graph.index.entities.get(m.entity), Event)
            and not event.date.overlaps(date.start, date.end)
        ]
        wording = sentence.text
        if elsewhen:
            # "Ministers met on Thursday ..., two years after it was signed at the Summit of
            # the Americas": the sentence's event is not the one it names from another time
            blanked = sentence.text
            for m in elsewhen:
                s, e = m.start - sentence.start, m.end - sentence.start
                blanked = blanked[:s] + " " * (e - s) + blanked[e:]
            category = event_category(blanked)
            named = [m for m in named if m not in elsewhen]
            if category is None and not named:
                return None
            if category is not None:
                cue = self._cue(dataclasses.replace(sentence, text=blanked), category)
            wording = blanked
        by_reference = False
        if date is None and not part.dates and self.last_date is not None:
            # "Earlier that day, X had visited Y": the day of the event reported last
            date = _same_day(sentence.text, self.last_date)
            by_reference = date is not None
        actors = {
            m.entity for m in mentioned if m.kind in (Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION)
        }
        # not a country that only says whose ("U.S. Homeland Security Secretary ...")
        places = {
            m.entity
            for m in mentioned
            if m.kind in (Kind.PLACE, Kind.COUNTRY)
            and not m.qualifier
            and not any(p.span[0] <= m.start < p.span[1] for p in self.passing)
        }
        link, why, score = None, None, 0.0
        if named:
            first = named[0]
            if first.known:
                link, why, score = first.entity, "the sentence names it", first.score
        elif date is None and category is not None:
            back = self._referred_back(sentence, category, cue)
            if back is not None:
                return back
        elif category is not None and (back := self._announced_back(sentence, category, cue)):
            return back
        # "another meeting", "otra reunión": not the graph's event of that kind and date
        another = _ANOTHER.search(self.text, max(sentence.start, cue[0] - 30), cue[0])
        if link is None and category is not None and another is None:
            # undated: what an article reports happened around its own date; what it says
            # is planned ("Guatemala will host the next ministerial") comes after it, within
            # its year
            published = self.published
            planned = date is None and _PLANNED.search(sentence.text) is not None
            window = date or (parse_date(str(published.start.year)) if planned else published)
            kindred = _KINDRED.get(category, frozenset())
            bilateral = (
                _MET_WITH.search(sentence.text) is not None
                or _MEET_AGAIN.search(sentence.text) is not None
                or self.reception is not None
            )
            if bilateral:
                # "X meets with Y", "X received Y", "they will meet again": a meeting of its
                # own, not the conference it is held at
                kindred = frozenset({"meeting", "talks"})
            link, why, score = self._link(
                category,
                window,
                actors,
                places,
                dated=date is not None,
                kindred=kindred,
                after=published.start if planned else None,
                own_kind=bilateral,
            )
            if link is not None and planned:
                why = f"{why}; a plan the text announces, after its date"
        # "The two officials will meet again in Belize City": a plan, undated, of a meeting
        # at a place the text names
        plan = date is None and again and places != set()
        # "Canada will host the next ministerial", "Chile será sede de la próxima reunión":
        # a plan, undated, of an event its host names
        host_plan = link is None and _HOST_PLAN.search(sentence.text) is not None
        plan = plan or (date is None and host_plan)
        # a new event the sentence names ("co-hosted a Ministerial Meeting in Bogotá"): the
        # event it reports, one proposal, not a name and a described event beside it
        # (not a label before a colon: "Migration Ministerial Meeting: In October ...")
        adopted = next(
            (m for m in named if not m.known and not self.text.startswith(":", m.end)), None
        )
        if link is not None or not (actors or places):
            adopted = None
        if (
            link is None
            and adopted is None
            and (
                category is None
                # a new announcement is its author's, named in its words (``_announcements``)
                or category == "announcement"
                or not (actors or places)
                or (date is None and not _introduced(sentence.text, category) and not plan)
            )
        ):
            return None  # undated, only a new one the text introduces ("a news conference")
        if link is not None:
            known_event = self.graph.index.entities.get(link)
            if (
                date is not None
                and isinstance(known_event, Event)
                and not known_event.date.overlaps(date.start, date.end)
            ):
                # a date the graph's event was not on is not its date ("will meet again in
                # Los Angeles for the Summit ... in June", a June without its year)
                date = None
            target = link
            item = self.events_by_link.get(target)
            if item is not None:
                item.participants = sorted(set(item.participants) | (actors - {target}))
                if item.place is None and places:
                    item.place = self._venue(sentence, mentioned, places)
                if item.edtf is None and date is not None:
                    item.edtf, item.precision = date.edtf, date.precision.value
                return Mentioned(*cue, target, Kind.EVENT, score, True)
        elif adopted is not None:
            target, name = adopted.entity, self.local.entities[adopted.entity].name
            if target in self.events_by_link:
                return adopted
            # the EVENT item is the name's proposal: dated, with its participants
            self.items = [i for i in self.items if i.proposed_id != target]
        else:
            actor_spans = [
                (m.start - sentence.start, m.end - sentence.start)
                for m in mentioned
                if m.kind is not Kind.EVENT
            ]
            name = _event_name(wording, category or "event", actor_spans)
            target = self._described_id(name, date, actors, places)
            if target in self.events_by_link:
                return Mentioned(*cue, target, Kind.EVENT, 0.5, False)
        span = (adopted.start, adopted.end) if adopted else cue
        future = date is not None and date.start > self.published.end
        if link is None and future and _PLANNED.search(sentence.text):
            why = "planned: future tense; dated after the text"  # a plan, not a happening
        elif link is None and plan:
            why = "planned: future tense; undated"
            self.plans.add(target)
        elif link is None and by_reference:
            why = "dated by reference ('that day'): the day of the event reported before"
        item = ProposalItem(
            id=self._id(ItemKind.EVENT),
            kind=ItemKind.EVENT,
            quote=self._quote(sentence, span),
            confidence=round(min(0.9, score) if link else 0.4, 3),
            entity=link,
            name=self.graph.index.entities[link].name if link else name,
            proposed_id=None if link else target,
            edtf=date.edtf if date else None,
            precision=date.precision.value if date else None,
            category=category,
            participants=sorted(actors),
            place=self._venue(sentence, mentioned, places),
            note=why,
        )
        self.items.append(item)
        self.events_by_link[target] = item
        if date is not None:
            self.last_date = date
        return Mentioned(*span, target, Kind.EVENT, item.confidence, link is not None)

    def _described_id(
        self, name: str, date: DateSpan | None, actors: set[str], places: set[str]
    ) -> str:
        """The id of a described new event: its name and year, and the same id again only
        for what must be the same event: one held in a place the earlier one was, or one
        that shares two of its participants (or its only one) where neither names another
        place (the "Visit" to the Panama Canal is not the "Visit" to Panama City of the
        same day; a caption repeated is the same visit)."""
        base = f"event:{slugify(name)}-{date.start.year if date else ''}".rstrip("-")
        places = {p for p in places if p.startswith("place:")}  # a country is too wide
        target, n = base, 1
        while target in self.events_by_link:
            held_actors, held_places = self.described.get(target, (set(), set()))
            shared = actors & held_actors
            if (places & held_places) or (
                not (places ^ held_places) and actors and len(shared) >= min(2, len(actors))
            ):
                return target
            n += 1
            target = f"{base}-{n}"
        self.described[target] = (actors, places)
        return target

    def _announcements(
        self, part: _Sentence, mentioned: list[Mentioned], reported: Mentioned | None
    ) -> list[FactCandidate]:
        """An announcement the sentence reports, as an event of its own: its authors
        ANNOUNCED it, the entities its clause names are MENTIONED_IN it, and it is PART_OF
        the event the sentence reports ("During a news conference ..., Blinken announced
        that ..."), or, in an article's prose, of the article's lead event (INFERRED)."""
        sentence = part.sentence
        out: list[FactCandidate] = []
        own = reported is not None and self._category(reported.entity) in (
            "announcement",
            "statement",
        )
        for found in announcements_in(self.text, (sentence.start, sentence.end), mentioned):
            # the sentence's event, as this announcement relates to it
            context = reported
            if own and reported is not None:
                target = reported.entity  # the sentence's event is the announcement itself
            else:
                # its date is one before the verb: what the clause dates is what it announces
                # ("announced that Canada would resettle 4,000 refugees by 2028")
                dated = [
                    d
                    for d in part.dates
                    if found.dated_from <= d.start and d.end <= found.dated_until
                ]
                date = dated[0].span if dated else None
                target = f"event:{slugify(found.name)}-{date.start.year if date else ''}"
                target = target.rstrip("-")
                if target not in self.events_by_link:
                    item = ProposalItem(
                        id=self._id(ItemKind.EVENT),
                        kind=ItemKind.EVENT,
                        quote=self._quote(sentence, found.verb),
                        confidence=0.45,
                        name=found.name,
                        proposed_id=target,
                        edtf=date.edtf if date else None,
                        precision=date.precision.value if date else None,
                        category=found.category,
                        participants=sorted(found.subjects),
                        note="an announcement the text reports; a descriptive name in its words",
                    )
                    self.items.append(item)
                    self.events_by_link[target] = item
            span = (found.start, found.verb[1])
            for author in found.subjects:
                out.append(FactCandidate(found.relation, author, target, True, None, 0.6, span))
            named = named_in_clause(self.text, found, mentioned)
            plan = context is not None and not own and found.clause[0] <= context.start
            if plan and context is not None:
                # "announced that Guatemala will host the next ministerial": the clause is
                # that event's, and what it names is the event's business, not the
                # announcement's
                out.append(
                    FactCandidate(
                        "RELATED_TO",
                        target,
                        context.entity,
                        True,
                        None,
                        0.5,
                        (found.start, context.end),
                        role="announces",
                    )
                )
                named = []
                context = None
            for named_entity in named:
                if named_entity.entity in (target, context.entity if context else None):
                    continue
                out.append(
                    FactCandidate(
                        "MENTIONED_IN",
                        named_entity.entity,
                        target,
                        True,
                        None,
                        round(0.55 * named_entity.score, 3),
                        (named_entity.start, named_entity.end),
                    )
                )
            if own:
                continue
            parent = context or self._lead_of(part)
            if parent is None or parent.entity == target or self._after_publication(parent.entity):
                continue
            # "During a news conference with Y, X announced": placed in the sentence's
            # event (stated); "During the meeting, X announced": in the article's lead
            # event, which the sentence refers back to (inferred)
            in_sentence = context is not None
            opening = self.text[sentence.start : context.start if context else found.start]
            placed = _DURING.search(opening) is not None
            stated = placed and in_sentence
            if stated:
                note = None
            elif placed:
                note = "placed 'during' the event the article reports"
            elif in_sentence:
                note = "announced in a sentence reporting the event"
            else:
                note = "announced in an article whose lead reports the event"
            out.append(
                FactCandidate(
                    "PART_OF",
                    target,
                    parent.entity,
                    stated,
                    note,
                    0.5 if placed else 0.4,
                    (min(parent.start, found.start), found.verb[1]) if in_sentence else span,
                )
            )
        return out

    def _in_passing(self, part: _Sentence, reported: Mentioned | None) -> list[FactCandidate]:
        """Events the sentence names in passing beside the one it reports ("following the
        visit to El Paso in January of last year"): each the graph's event of that kind,
        place and people, or a new one named in the text's words; HELD_IN its place, and
        ATTENDED by the people the phrase says are its own."""
        sentence = part.sentence
        out: list[FactCandidate] = []
        for found in self.passing:
            if reported is not None and reported.start <= found.cue[0] < reported.end:
                continue  # the event the sentence reports
            people = {p for p, _ in found.people}
            date = found.date.span if found.date else None
            link, why, score = self._link(
                found.category, date, people, {found.place}, dated=date is not None
            )
            if link is not None and reported is not None and link == reported.entity:
                continue
            phrase = self.text[found.span[0] : found.span[1]]
            name = re.sub(r"^(?i:the|his|her|their|its|an?|la|el|del|al|su|una?)\s+", "", phrase)
            name = name[:1].upper() + name[1:]
            target = link or self._described_id(name, date, people, {found.place})
            if target not in self.events_by_link:
                item = ProposalItem(
                    id=self._id(ItemKind.EVENT),
                    kind=ItemKind.EVENT,
                    quote=self._quote(sentence, found.cue),
                    confidence=round(min(0.9, score), 3) if link else 0.4,
                    entity=link,
                    name=self.graph.index.entities[link].name if link else name,
                    proposed_id=None if link else target,
                    edtf=date.edtf if date else None,
                    precision=date.precision.value if date else None,
                    category=found.category,
                    participants=sorted(people),
                    place=found.place,
                    note=why if link else "an event the sentence names in passing",
                )
                self.items.append(item)
                self.events_by_link[target] = item
            out.append(FactCandidate("HELD_IN", target, found.place, True, None, 0.5, found.span))
            for person, stated in found.people:
                note = None if stated else "'his'/'her': the one person the sentence names"
                out.append(
                    FactCandidate(
                        "ATTENDED", person, target, stated, note, 0.5 if stated else 0.4, found.span
                    )
                )
        return out

    def _placed_finer(self, fact: FactCandidate) -> bool:
        """Whether a HELD_IN fact only repeats, coarser, where the graph already holds the
        event ("held in Panama" of a meeting the graph holds in Panama City)."""
        if fact.relation != "HELD_IN":
            return False
        info = self.graph.events.get(fact.subject)
        if info is None or fact.object in info.places:
            return False
        return any(fact.object in self.graph.located.get(p, set()) for p in info.places)

    def _host_countries(self, facts: list[FactCandidate]) -> list[FactCandidate]:
        """A meeting of many countries held in one of them has it for host (the dataset's
        convention for ministerials and summits), INFERRED from where it was held."""
        out = []
        for fact in facts:
            if (
                fact.relation == "HELD_IN"
                and fact.object.startswith("country:")
                and self._category(fact.subject) in _MULTILATERAL
            ):
                out.append(
                    FactCandidate(
                        "HOSTED",
                        fact.object,
                        fact.subject,
                        False,
                        "the country a ministerial or summit is held in hosts it",
                        round(0.8 * fact.confidence, 3),
                        fact.span,
                        role="host",
                    )
                )
        return out

    def _referred_back(
        self, sentence: Sentence, category: str, cue: tuple[int, int]
    ) -> Mentioned | None:
        """The article's lead event, new or the graph's it was linked to, when an undated
        sentence refers back to it by its kind ("The talks were co-hosted by ...", "La
        reunión, celebrada en ...", "En el encuentro también participó ..."), not a graph
        event that happens to overlap the article's date."""
        if self.main is None or _PLANNED.search(sentence.text):
            return None
        kind = self._category(self.main.entity)
        if kind is None:
            return None
        if category != kind and category not in _KINDRED.get(kind, ()):
            return None
        if not _BACK_REFERENCE.search(self.text[max(sentence.start, cue[0] - 12) : cue[0]]):
            return None
        return Mentioned(*cue, self.main.entity, Kind.EVENT, self.main.score, self.main.known)

    def _announced_back(
        self, sentence: Sentence, category: str, cue: tuple[int, int]
    ) -> Mentioned | None:
        """The event reported last, when a sentence announces it by its kind ("The White
        House announced the trip this Monday", "anunció la visita"): the sentence's date
        is the announcement's, not a new trip's."""
        last = self.last_reported
        if last is None or (item := self.events_by_link.get(last.entity)) is None:
            return None
        if item.category != category and category not in _KINDRED.get(item.category or "", ()):
            return None
        if not _ANNOUNCED_BACK.search(self.text[max(sentence.start, cue[0] - 40) : cue[0]]):
            return None
        return Mentioned(*cue, last.entity, Kind.EVENT, last.score, last.known)

    def _lead_of(self, part: _Sentence) -> Mentioned | None:
        """The article's lead event, for an undated sentence of its prose (not a
        transcript's turn, where a speaker recalls what was said elsewhere)."""
        sentence = part.sentence
        if self.main is None or part.dates:
            return None
        if any(s.heading[0] <= sentence.start < s.end for s in self.sections):
            return None
        return self.main

    def _dated_after(self, event_id: str) -> bool:
        """Whether a new event the text reports is dated after the text ("será sede de una
        reunión el próximo lunes"): a plan, not a happening."""
        item = self.events_by_link.get(event_id)
        if item is None or item.entity is not None or item.edtf is None:
            return False
        return parse_date(item.edtf).start > self.published.end

    def _after_publication(self, event_id: str) -> bool:
        event = self.graph.index.entities.get(event_id)
        return isinstance(event, Event) and event.date.start > self.published.end

    @staticmethod
    def _cue(sentence: Sentence, category: str | None = None) -> tuple[int, int]:
        """Where the sentence's event word is, the word of its category first ("During the
        meeting, X announced that Guatemala will host the next ministerial": the ministerial);
        the whole sentence if none."""
        pattern = dict(CATEGORIES).get(category or "")
        cue = None
        if pattern is not None and category != "announcement":
            cue = pattern.search(sentence.text)  # "travel", "gathered"
            if cue is not None and category == "event":
                # "hosted an event": the noun, after the verb that may cue a fact
                noun = re.search(r"\w+$", cue.group())
                if noun is not None:
                    start = sentence.start + cue.start() + noun.start()
                    return (start, start + len(noun.group()))
        if cue is None:
            cue = re.search(_CATEGORY_WORD, sentence.text, re.I)
        if cue is None:
            return (sentence.start, sentence.end)
        return (sentence.start + cue.start(), sentence.start + cue.end())

    def _elsewhere(self, places: set[str], held: set[str]) -> bool:
        """Whether the sentence's places (cities, with the places the graph puts them in)
        share nothing with where the event was held: then it is another event."""
        cities = {p for p in places if p.startswith("place:")}
        if not cities or not held:
            return False
        around = set(cities)
        for city in cities:
            around |= self.graph.located.get(city, set())
        return not around & held

    def _link(
        self,
        category: str,
        date: DateSpan | None,
        actors: set[str],
        places: set[str],
        *,
        dated: bool = True,
        kindred: frozenset[str] = frozenset(),
        after: dt.date | None = None,
        own_kind: bool = False,
    ) -> tuple[str | None, str | None, float]:
        """The graph's event a sentence reports, with why, and a confidence. ``own_kind``:
        the sentence's event is of its kind only, not one whose name has the word ("X
        received Y" is a meeting, not the "... Ministerial Meeting")."""
        best: tuple[float, str, str] | None = None
        for info in self.graph.events.values():
            event = info.event
            if after is not None and event.date.end < after:
                continue  # a plan is not of an event already over
            reasons = []
            points = 0.0
            if date is not None:
                if not event.date.overlaps(date.start, date.end):
                    continue
                points += 1
                reasons.append("overlapping date")
            if self._elsewhere(places, info.places):
                continue  # in another place: another event
            shared = (actors & info.participants) | (places & info.places)
            if shared:
                points += min(3, len(shared))
                reasons.append(f"shared {', '.join(sorted(shared)[:3])}")
            named = [
                p
                for p in places
                if p in self.graph.index.entities
                and fold_words(self.graph.index.entities[p].name) <= fold_words(event.name)
            ]
            if named:
                # "gathered in Guatemala": the event's own name has the place
                points += 1
                reasons.append(f"its name has {named[0]}")
            names = set().union(*(fold_words(n) for n in event.names))
            if event.category == category or (not own_kind and category in names):
                points += 1
                reasons.append(f"same kind ({category})")
            elif event.category not in kindred:
                continue  # another kind of event: a visit is not an inauguration
            needed = 3 if dated else 2
            if (
                points >= needed
                and shared
                and (best is None or (points, event.id) > (best[0], best[1]))
            ):
                best = (points, event.id, "; ".join(reasons))
        if best is None:
            return None, None, 0.0
        return best[1], best[2], min(0.9, 0.3 + 0.15 * best[0])


#: The opening of an article, its first paragraphs of prose (a sentence of some words,
#: not a headline, caption or byline): an event it reports is the article's lead event.
LEAD_PARAGRAPHS = 4
PROSE_WORDS = 12
#: New names guessed below this confidence (a bare capitalised run) join no facts.
MIN_FACT_GUESS = 0.45
_OPEN_QUOTES = '“«"‘'


#: A sentence about a plan, not about what happened ("plans to travel", "will host").
#: A host's plan: "will host", "será sede", "acogerá".
_HOST_PLAN = re.compile(
    r"\bwill\s+(?:also\s+)?(?:host|co-host)\b|\b(?:ser[áa]n?\s+(?:la\s+)?sede|acoger[áa]n?"
    r"|albergar[áa]n?)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:plans?|planned|planning|expects?|expected|intends?)\s+to\b|\bwill\b|\bis to\b"
    r"|\b(?:planea|prevé|tiene previsto|tiene planeado|será|serán|habrá|celebrará|acogerá"
    r"|albergará|se reunirán|próxim[ao]s?|acordaron\s+reunirse|agreed\s+to\s+meet)\b",
    re.I,
)
#: A head of state's title right before a name (not "former": a past office).
_HEAD_TITLE = re.compile(r"(?<!former )\b(President|Presidente|Presidenta)\s+$")
#: Hosting or receiving visitors the sentence does not name: "hosted the delegation",
#: "welcomed the visitors", "recibió a la delegación".
_HOSTED_GUESTS = re.compile(
    r"\b(?:hosted|welcomed|received|recibió|acogió)\s+(?:a\s+)?(?:the|his|her|their|its|"
    r"la|las|los|el|sus?)\s+(?:\w+\s+){0,2}?(?:delegations?|visitors?|guests?|counterparts?|"
    r"delegaci[óo]n|delegaciones|visitantes|invitados|hom[óo]log[oa]s?)\b",
    re.I,
)
#: Who receives or is joined by the persons named after it: they took part.
_RECEIVED = re.compile(
    r"\b(?:received|welcomed|hosted|accompanied by|joined by|met with|was with|recibió|"
    r"acompañad[oa]s? (?:por|de)|se reunió con)\s",
    re.I,
)


#: Between two guests received: "X and the Foreign Minister of Guatemala, Y".
_GUEST_GAP = re.compile(r",?\s+(?:and|y)\s+(?:the\s+|el\s+|la\s+|al\s+)?[^,.;]{0,60}?,?\s*")
#: Receiving someone: "received", "welcomed", "recibió a".
_RECEIVES = re.compile(r"\b(?:received|receives|welcomed|welcomes|recibi[óo]|recibe)\b", re.I)


#: How a mention of an unnamed instrument is matched (``_same_instrument``).
_SAME_INSTRUMENT = "an unnamed instrument of a kind the article names"
#: ... and by its parties and date (``_parties_instrument``).
_SAME_PARTIES = "an unnamed instrument of the graph's agreement of these parties, signed then"


def _is_headline(sentence: Sentence) -> bool:
    """Whether a text's first sentence is its headline: its own first paragraph, short, with
    no full stop."""
    words = sentence.text.split()
    return (
        sentence.paragraph == 0
        and 0 < len(words) <= 20
        and not sentence.text.rstrip().endswith((".", "!", "?"))
    )


def _same_topic(instrument: Candidate, body: list[Candidate]) -> Candidate | None:
    """The body's instrument a headline's is, by a shared word of their topics ("retornos
    dignos" and "el retorno digno": the same words folded, plurals aside), if one only."""

    def stems(candidate: Candidate) -> set[str]:
        return {
            fold(w)[:6]
            for w in re.findall(r"[^\W\d_]{5,}", candidate.name)
            if fold(w) not in _INSTRUMENT_WORDS
        }

    own = stems(instrument)
    same = [c for c in body if own & stems(c)]
    return same[0] if len({c.proposed_id for c in same}) == 1 else None


#: An instrument's own words, not its topic.
_INSTRUMENT_WORDS = frozenset(
    {"acuerdo", "agreement", "memorandum", "memorando", "carta", "letter", "intencion",
     "intent", "entendimiento", "understanding", "declaracion", "declaration", "arrangement",
     "convenio", "tratado", "treaty", "sobre", "about", "between", "entre"}
)  # fmt: skip


def _same_instrument(
    candidate: Candidate, agreements: list[Match], index: NameIndex
) -> Match | None:
    """The agreement the article has named whose name has the head word of an instrument
    without a topic ("signed an arrangement" after "the Bilateral Arrangement on
    Migration ..."): the same instrument, by the most recent such name (one with its own
    topic, "a declaration on labor mobility", is another)."""
    head = fold(candidate.name.split()[0])
    for match in reversed(agreements):
        entity = index.entities.get(match.entity)
        if entity is not None and any(head in fold_words(fold(n)) for n in entity.names):
            return Match(
                candidate.start,
                candidate.end,
                candidate.name,
                match.entity,
                0.5,
                _SAME_INSTRUMENT,
            )
    return None


def _same_new_instrument(candidate: Candidate, earlier: Iterable[Candidate]) -> Candidate | None:
    """The last new agreement the article has named with the head word of a defined term
    ("the Arrangement" after "a Bilateral Arrangement on Labor Mobility")."""
    head = fold(candidate.name.split()[0])
    named = [c for c in earlier if c.kind is Kind.AGREEMENT and head in fold_words(c.name)]
    return max(named, key=lambda c: c.start, default=None)


def _no_topic(candidate: Candidate) -> bool:
    """An unnamed instrument with no topic of its own ("a letter of intent", "a
    memorandum"): a reference, when the article names an instrument of its kind."""
    return _TOPIC_WORD.search(candidate.name) is None


_TOPIC_WORD = re.compile(r"\b(?:on|about|concerning|regarding|sobre|acerca|materia)\b", re.I)


def _bare_instrument(candidate: Candidate) -> bool:
    """An unnamed instrument of one word ("a memorandum"): no name of its own."""
    return candidate.kind is Kind.AGREEMENT and " " not in candidate.name


#: A group the text refers back to: "the two officials", "both ministers", "ambos
#: ministros", "los dos cancilleres", "the ministers" (``two``: a pair).
#: A personal pronoun opening a sentence, its subject: "He will travel ...", "Ella dijo".
_PRONOUN_SUBJECT = re.compile(r"^\s*(He|She|Él|Ella)\b(?!\s+(?:who|que)\b)")
_GROUP_REFERENCE = re.compile(
    r"\b(?:(?P<n>the two|both(?: of the)?|los dos|las dos|ambos|ambas)|the|los|las)\s+"
    r"(?:officials|ministers|secretaries|leaders|diplomats|envoys|foreign ministers"
    r"|funcionari[oa]s|ministr[oa]s|cancilleres|secretari[oa]s|líderes|mandatarios)\b",
    re.I,
)


#: "The three countries", "both governments", "los dos países", "ambas naciones".
_COUNTRY_GROUP = re.compile(
    r"\b(?P<n>the (?:two|three|four|five)|both(?: of the)?|(?:los|las) (?:dos|tres|cuatro|cinco)"
    r"|ambos|ambas)\s+(?:countries|nations|governments|países|naciones|gobiernos)\b",
    re.I,
)
#: How many a group reference names, by its last word ("the two", "ambos").
_GROUP_COUNTS = {"two": 2, "both": 2, "dos": 2, "ambos": 2, "ambas": 2, "three": 3, "tres": 3,
                 "four": 4, "cuatro": 4, "five": 5, "cinco": 5}  # fmt: skip


def _infer_referred(facts: list[FactCandidate], referents: list[Mentioned], note: str) -> None:
    """A fact of a person the sentence names only as "the two officials" is INFERRED: who
    they are comes from an earlier sentence."""
    ids = {r.entity for r in referents}
    for fact in facts:
        if ids & {fact.subject, fact.object}:
            fact.stated = False
            fact.note = f"{fact.note}; {note}" if fact.note else note


def _reception(
    text: str, sentence: Sentence, mentioned: list[Mentioned]
) -> tuple[Mentioned, list[Mentioned], tuple[int, int]] | None:
    """A person who received another, named right after the verb or its title ("received
    this Wednesday the Foreign Minister of Guatemala, Carlos Martínez"): the host, the
    guests (a list joins them) and the verb; None if either side is not a person."""
    people = [m for m in mentioned if m.kind is Kind.PERSON and not m.qualifier]
    for verb in _RECEIVES.finditer(text, sentence.start, sentence.end):
        hosts = [h for h in subjects_before(text, verb.start(), people)]
        after = sorted((m for m in people if m.start >= verb.end()), key=lambda m: m.start)
        if not hosts or not after or after[0].start - verb.end() > 90:
            continue
        if re.search(r"[.;:]", text[verb.end() : after[0].start]):
            continue
        guests = [after[0]]
        for other in after[1:]:
            gap = text[guests[-1].end : other.start]
            if not _GUEST_GAP.fullmatch(gap):
                break
            guests.append(other)
        return hosts[-1], guests, (verb.start(), verb.end())
    return None


def _received(text: str, sentence: Sentence, person: Mentioned) -> bool:
    """Whether the sentence names ``person`` as someone received or come along ("He has
    received the Foreign Minister of Peru, Ana Ruiz, and ...")."""
    before = text[sentence.start : person.start]
    cue = next(reversed(list(_RECEIVED.finditer(before))), None)
    if cue is None or before[cue.end() :].count(",") > 4 or len(before) - cue.end() > 120:
        return False
    return not re.search(r"[.;:“”\"«»]", before[cue.end() :])


def _speaker(
    text: str, sentence: Sentence, person: Mentioned, others: Iterable[Mentioned] = ()
) -> bool:
    """Whether ``person`` is who speaks in the sentence: named outside quotation marks,
    shortly before a verb of speech ("Mayorkas reiterated", "Bárcena, ..., expressed")."""
    before = text[sentence.start : person.start]
    if sum(before.count(q) for q in "“«") > sum(before.count(q) for q in "”»") or (
        before.count('"') % 2
    ):
        return False  # inside a quotation
    if re.search(
        r"\b[a-z]+\s+(?:of|de|del|by|por)\s+(?:(?:the|la|el)\s+)?(?:[A-Z][\w.’'-]*\s+){0,3}$",
        before,
    ):
        return False  # "the government of President X said": not X who speaks
    rest = text[person.end : sentence.end]
    verb = _SPEECH.search(rest)
    if verb is None or verb.start() >= 80 or re.search(r"[“\"«]", rest[: verb.start()]):
        return False
    # the speaker is the last person before the verb ("with X, Ruiz announced")
    return not any(person.end < o.start < person.end + verb.start() for o in others)


#: What a person's name qualifies ("the Smith administration"): the person does not act.
_OWNED = re.compile(
    r"[ \u00a0]+(?:administration|government|team|campaign|family|gobierno|equipo|campaña)\b"
)


def _qualifier(after: str, how: str, kind: Kind) -> bool:
    """Whether a name only says whose the next thing is: a demonym before a name or title
    ("Chilean President ..."), a country before a title ("Peru President ..."), a
    person before "administration", a body before its official's title ("the Embassy's
    Chargé d'Affaires ...")."""
    if kind is Kind.PERSON:
        return bool(_OWNED.match(after))
    if kind is Kind.ORGANIZATION:
        # "Embassy Panama City's Chargé d'Affaires Stewart Tuttle": the body is whose
        word = re.match(r"[’']s\s+([A-Z][^\W\d_]+)", after)
        return word is not None and fold(word.group(1)) in TITLES
    if kind is not Kind.COUNTRY:
        return False
    if how == "demonym":
        return bool(re.match(r"[ \u00a0]+[A-Z]", after))
    word = re.match(r"[ \u00a0]+([A-Z][^\W\d_]+)", after)
    return word is not None and fold(word.group(1)) in TITLES


#: An agreement's signing or adoption ("leaders signed", "adoptaron", "endorsed").
_ADOPTION = re.compile(
    r"\b(?:signed|adopted|endorsed|firmaron|firm[óo]|adoptaron|adopt[óo]|suscribieron)\b", re.I
)
#: A part of a larger event a transcript's title may name after it ("... Reception").
_SUB_EVENT = re.compile(
    r"\b(?:session|reception|dinner|lunch|luncheon|breakfast|roundtable|panel|plenary"
    r"|working group|press|availability|sesión|sesion|recepción|recepcion|cena|almuerzo"
    r"|desayuno|mesa redonda)\b",
    re.I,
)
#: An event a sentence places what follows in: "During the meeting, ...", "At a news
#: conference ...".
_DURING = re.compile(
    r"\b(?:during|at|in the course of|on the sidelines of|durante|en el marco de)\s"
    r"(?:\S+\s+){0,3}\S*$|^\s*(?:during|durante)\s+(?:the|el|la)\s+\w+,",
    re.I,
)
#: Meetings of many countries, hosted by the country they are held in.
_MULTILATERAL = frozenset({"ministerial", "summit"})
#: Not signing: "did not sign", "refused to sign", "withdrew from", "no firmó".
_NOT_SIGNED = re.compile(
    r"\b(?:(?:did|does|will|would)\s+not|didn['’]t|refused\s+to|declined\s+to|failed\s+to"
    r"|never)\s+(?:sign|endorse|adopt|join)\b|\bwithdr(?:ew|awn|awal)\s+from\b"
    r"|\bno\s+(?:firm[óo]|firmaron|suscribi[óo]|suscribieron|respald[óo])\b"
    r"|\bse\s+neg(?:ó|aron)\s+a\s+(?:firmar|suscribir)\b|\bse\s+retir(?:ó|aron)\s+de\b",
    re.I,
)
#: A signing to come, or that may come: "will sign", "is expected to sign", "could
#: join", "firmará", "podría firmar", "va a firmar".
_SIGNING_AHEAD = re.compile(
    r"\b(?:will|would|could|may|might|should|shall|expected\s+to|plans?\s+to|intends?\s+to"
    r"|hopes?\s+to|is\s+to|are\s+to|set\s+to|poised\s+to|likely\s+to)\s+(?:\w+\s+)?"
    r"(?:sign|endorse|adopt|join)\b|\b(?:firmará|firmarán|suscribirá|suscribirán)\b"
    r"|\b(?:podría|podrían|va\s+a|van\s+a|espera|esperan|prevé|planea)\s+(?:firmar|suscribir"
    r"|adoptar|respaldar)\b",
    re.I,
)
#: Taking part through a representative: "was represented by", "estuvo representado por".
_REPRESENTED_BY = re.compile(
    r"\b(?:was|were|is|are)\s+represented\s+by\b|\b(?:estuvo|estuvieron|fue|fueron)\s+"
    r"representad[oa]s?\s+por\b",
    re.I,
)
#: Staying away, or being kept away: "skipped the summit", "did not attend", "excluded
#: Cuba", "boycotted", "no asistió", "excluyó".
_ABSENT = re.compile(
    r"\b(?:skipp(?:ed|ing|s)|boycott(?:ed|ing|s)?|snubb(?:ed|ing)|excluded|excluding|shunned"
    r"|stayed\s+away|declined\s+to\s+(?:attend|join|take\s+part)|(?:did|does|will)\s+not"
    r"\s+(?:attend|take\s+part|participate|join)|(?:was|were)\s+(?:absent|not\s+invited)"
    r"|no\s+(?:asisti[óo]|asistieron|particip[óo]|participaron)|boicote(?:ó|aron)"
    r"|exclu(?:yó|yeron|idos?|idas?)|se\s+ausent(?:ó|aron))\b",
    re.I,
)
#: Taking part with no event named: "The IOM and UNHCR also took part." (not "took part
#: in the Summit", which names its own).
_TOOK_PART = re.compile(
    r"\b(?:took part|participated|were present|was present|participaron|participó"
    r"|estuvieron presentes|asistieron|asistió|attended)(?=\s*(?:[.,;]|$|as well|too"
    r"|by video|virtually|remotely|en la reunión|en el encuentro|in the talks|in the meeting"
    r"|por video|de forma virtual|como observador|as an? observer"
    # the lead by a word for any occasion: "participó en la ceremonia", "in the event"
    r"|(?:in|at|en)\s+(?:the|la|el)\s+(?:ceremony|ceremonia|acto|event|evento|occasion)\b))",
    re.I,
)
#: The day of a transcript's own event, as a turn says it: "here tonight", "hoy".
#: The kinds of new names a transcript's turns are said to speak of (a country's name is
#: sure; a new person or body guessed from capitals is not).
_SPOKEN_NEW = frozenset({Kind.COUNTRY})
#: A turn's reference to the gathering its event is part of: "this meeting", "this
#: ministerial", "esta reunión" (not "this press conference", "this session").
_THIS_GATHERING = re.compile(
    r"\b(?:this|these|esta|este)\s+(?:(?:regional|ministerial|high-level)\s+)?(?:meetings?|ministerial"
    r"|summit|conference(?!\s+call)|gathering|reuni[óo]n|cumbre|encuentro|conferencia(?!\s+de\s+prensa))\b",
    re.I,
)
_TODAY = re.compile(
    r"\b(?:tonight|today|this\s+(?:morning|afternoon|evening)|hoy|esta\s+(?:mañana|tarde|noche))\b",
    re.I,
)
#: A verb of announcing before a reference back to an event: "announced the trip".
_ANNOUNCED_BACK = re.compile(
    r"\b(?:announced|confirmed|unveiled|anunci[óo]|confirm[óo])\s+(?:the|la|el)\s+$", re.I
)
#: A definite article right before an event word: the text refers back to an event.
_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|la|el|esta|este|dicha|dicho)\s+$", re.I)
#: A meeting of persons ("X meets with Y", "se reunió con").
_MET_WITH = re.compile(r"\b(?:meets|met|meeting)\s+with\b|\bse reuni[óo] con\b", re.I)
#: A meeting again of those who met: another meeting of theirs, not a conference.
#: A day given by reference to the event reported before: "earlier that day", "later
#: the same day", "ese mismo día", "the next day", "al día siguiente".
_SAME_DAY = re.compile(
    r"\b(?:(?:earlier|later)\s+(?:that|the\s+same)\s+day|that\s+same\s+day|on\s+the\s+same\s+day"
    r"|(?:ese|aquel|el)\s+mismo\s+día|más\s+temprano\s+ese\s+día|más\s+tarde\s+ese\s+día)\b",
    re.I,
)
_NEXT_DAY = re.compile(r"\b(?:the\s+next|the\s+following)\s+day\b|\bal\s+día\s+siguiente\b", re.I)


def _same_day(sentence: str, last: DateSpan) -> DateSpan | None:
    """The day a sentence gives by reference to the event reported before it (a day
    only when that event's date is one), or None."""
    if last.precision is not DatePrecision.DAY:
        return None
    if _SAME_DAY.search(sentence):
        return last
    if _NEXT_DAY.search(sentence):
        return parse_date((last.start + dt.timedelta(days=1)).isoformat())
    return None


#: Right before a place an event was in: "in", "at", "en la", "in the".
_IN_BEFORE = re.compile(r"\b(?:in|at|en)\s+(?:the\s+|la\s+|el\s+)?$", re.I)
#: Before an event word: a different one than any before ("another meeting", "otra reunión").
_ANOTHER = re.compile(r"\b(?:another|otra|otro)\s+(?:[\w-]+\s+)?$", re.I)
#: A label that opens a sentence: "• High-Level Donor Roundtable for ...:  In order to ...".
_LABEL = re.compile(r"^\W*([^\W\d][^:.;!?]{2,120}?)\s*:\s+(?=\S)")
#: A photo credit: "[State Department photo by X", "Photo by X", "Foto de X", "(Foto: X".
_PHOTO_CREDIT = re.compile(
    r"^\W*(?:(?P<body>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,5})\s+)?(?i:photo|foto)"
    r"(?:\s+(?i:by|de|por)\s+|\s*:\s*)"
)
#: Events that are their people's own, not their countries': a visit, a journey's legs, a
#: phone call.
_JOURNEYS = frozenset({"visit", "arrival", "travel", "call"})
_MEET_AGAIN = re.compile(
    r"\b(?:meet|reunir(?:án|an|emos|se))\s+(?:again|once more|de nuevo|nuevamente)\b"
    r"|\bvolver(?:án|emos)\s+a\s+reunirse\b",
    re.I,
)
#: Kinds of event whose word alone reports one, even undated ("a news conference with").
_NAMED_KINDS = frozenset(
    {"press_conference", "summit", "ministerial", "conference", "signing", "event", "forum"}
)


def _introduced(sentence: str, category: str) -> bool:
    """Whether the sentence introduces an event of a named kind with an indefinite article
    ("During a news conference with ...", "en una cumbre"), not one it refers back to."""
    if category not in _NAMED_KINDS:
        return False
    pattern = dict(CATEGORIES)[category]
    return any(
        re.search(r"\b(?:a|an|un|una)\s+(?:[\w-]+\s+){0,2}$", sentence[: m.start()], re.I)
        # "hosted an event": the article is inside the kind's own words
        or re.search(r"\b(?:a|an|un|una)\s", m.group(), re.I)
        for m in pattern.finditer(sentence)
    )


#: Kinds of event a sentence's event word may stand for ("the meeting" of a ministerial).
#: Gatherings a press conference may be part of.
_GATHERINGS = frozenset({"ministerial", "summit", "conference", "session", "forum"})
#: After an event, the gathering it closes: "offered to conclude the session", "at the
#: close of the summit", "al cierre de la reunión".
_CONCLUDING = re.compile(
    r"\b(?:to\s+conclude|to\s+close|at\s+the\s+(?:close|end)\s+of|closing|concluding"
    r"|al\s+(?:cierre|final|término)\s+de|para\s+(?:concluir|cerrar)|que\s+cerró)\s+"
    r"(?:the|la|el)\s+(?:session|meeting|summit|ministerial|conference|talks|sesión|reunión"
    r"|cumbre|conferencia|jornada|encuentro)\b",
    re.I,
)
#: After a place, a clause of what happened there: ", where ...", ", donde ...".
#: A relative clause about a person: what it dates is theirs, not the event's.
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|quien|quienes)\b", re.I)
_WHERE_CLAUSE = re.compile(r",\s+(?:where|donde|en\s+donde)\b", re.I)
_KINDRED: dict[str, frozenset[str]] = {
    "meeting": frozenset(
        {"ministerial", "summit", "conference", "talks", "session", "meeting", "forum"}
    ),
    "forum": frozenset({"meeting", "conference", "workshop", "dialogue"}),
    "conference": frozenset({"ministerial", "press_conference", "summit", "session"}),
    "ministerial": frozenset({"meeting", "conference", "session"}),
    "summit": frozenset({"meeting", "conference"}),
    "press_conference": frozenset({"conference", "statement"}),
    "visit": frozenset({"travel", "arrival", "meet_and_greet"}),
    "signing": frozenset({"ceremony"}),
    "announcement": frozenset({"statement", "policy", "programme"}),
}

_CATEGORY_ALTS = (
    "summit|ministerial|conference|forum|workshop|roundtable|meeting|talks|visit|signing|announced"
    "|event|cumbre|reunión|conferencia|foro|taller|mesa redonda|visita|evento"
)
_CATEGORY_WORD = rf"\b(?:{_CATEGORY_ALTS})\b"


def fold_words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", name.casefold()))


_NAME_VERBS = frozenset(
    {
        "held",
        "holds",
        "hosts",
        "attends",
        "joins",
        "led",
        "leads",
        "is",
        "was",
        "will",
        "be",
        "had",
        "has",
        "have",
        "hold",
        "sostuvieron",
        "sostuvo",
        "mantuvieron",
        "mantuvo",
    }
)


def _event_name(sentence: str, category: str, actors: Iterable[tuple[int, int]] = ()) -> str:
    """A described event's name: its event word with the words around it ("Forum in
    Washington", "Second visit"), not a verb or an actor before it ("Mayorkas and I
    visited" is a visit, not "And I visit"), and not the lower-case words after the
    name's capitals."""
    # case-blind for the words, not for the capitals a name goes on with ("a forum in
    # Washington involving ..." is "Forum in Washington")
    match = re.search(
        r"((?:[\w’'-]+\s+){0,2})\b(?i:"
        + _CATEGORY_ALTS
        + r")\b((?:\s+(?i:on|of|for|with|in|to|between|sobre|de|para|con|en|entre)\s+"
        r"(?:(?i:the|el|la|los|las)\s+)?"
        # a name's capitals ("Forum in Washington"), or a common noun phrase to its end
        # ("forum on labor migration", not "... was held")
        r"(?:[A-Z0-9][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
        + rf"|[\w’'-]+(?:\s+(?!(?:{_PHRASE_ENDS})\b|\w+ing\b)[a-z][\w’'-]*){{0,3}})"
        r")?)",
        sentence,
    )
    if not match:
        return category.replace("_", " ").capitalize()
    lead_start = match.start(1)
    lead = match.group(1).split()
    # a verb, an actor or a function word before the event word is not its name ("held a
    # forum", "Tuttle in signing", "and I visit")
    keep = 0
    offset = lead_start
    for i, word in enumerate(lead):
        at = sentence.index(word, offset)
        offset = at + len(word)
        if (
            (word.islower() and (word.endswith("ed") or word in _NAME_VERBS))
            or word.casefold() in _NAME_STOPS
            or any(s < offset and at < e for s, e in actors)
        ):
            keep = i + 1
    words = lead[keep:] + match.group(0)[len(match.group(1)) :].split()
    while words and words[0].casefold() in _NAME_STOPS:
        words = words[1:]
    # not a date's month or day after a preposition ("Meeting on February 28": a meeting)
    for i in range(1, len(words)):
        if fold(words[i]) in CALENDAR and fold(words[i - 1]) in _NAME_STOPS:
            words = words[: i - 1]
            break
    name = " ".join(words).strip(" ,.;:")
    return name[:1].upper() + name[1:] if name else category


#: Words that end the noun phrase of a described event's name: verbs and function words.
_PHRASE_ENDS = (
    "was|were|is|are|be|been|will|would|has|have|had|held|took|opened|began|ended|in|at|on"
    "|with|and|or|but|that|which|who|for|to|by|from|during|of|the|a|an|as|after|before"
    "|this|last|next|fue|será|es|se|en|con|y|o|que|para|por|de|del|la|el|los|las|durante"
)
#: Words a described event's name does not start with.
_NAME_STOPS = frozenset(
    {"the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "my", "your",
     "and", "or", "i", "we", "you", "he", "she", "they", "it", "in", "at", "with", "of", "on",
     "for", "to", "by", "from", "el", "la", "los", "las", "un", "una", "y", "en", "con", "de",
     "del", "por", "para", "another", "otra", "otro"}
)  # fmt: skip


def items_of(proposals: ProposalSet, kind: ItemKind) -> Iterable[ProposalItem]:
    return (item for item in proposals.items if item.kind is kind)
