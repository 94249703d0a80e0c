"""Leave-one-document-out evaluation of ingest against the curated graph.

For each document D of a dataset whose texts are at hand: build the graph from the other
documents (an entity or relation stays if a source other than D cites it; an alias stays
only if one of the other texts has it, since it may have been learnt from D), ingest D
against it, and compare with what the curators took from D:

- **mentions**: the known entities D cites (entity or relation sources), against the
  entities the proposals link (MENTION items and linked EVENT items);
- **facts**: the relations D sources, as (subject, type, object), against the FACT items;
  a proposed new entity stands for the curated one it names (same name by the linking
  rule, with or without the curated name's bracketed qualifier, or a new event whose
  sentence holds that event's quote);
- **event dates**: the events D sources, against the dated EVENT items aligned to them
  (linked, or holding the event's quote); a date is right when its span overlaps the
  curated one and is no coarser than it.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from timeline.model.dates import DateSpan, parse_date
from timeline.model.proposals import DocumentMeta, ItemKind, ProposalSet
from timeline.model.records import (
    Country,
    Dataset,
    Document,
    Entity,
    Event,
    Organization,
    Relation,
    Source,
)
from timeline.model.text import fold, normalize_quote, plain_quotes
from timeline.services.ingest.linking import Offices, name_score, unbracketed
from timeline.services.ingest.pipeline import GraphView, ingest_text

__all__ = ["Row", "Score", "evaluate", "format_table", "leave_out"]


@dataclass(frozen=True, slots=True)
class Score:
    found: int
    proposed: int
    expected: int

    @property
    def precision(self) -> float:
        return self.found / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.found + other.found,
            self.proposed + other.proposed,
            self.expected + other.expected,
        )


@dataclass(frozen=True, slots=True)
class Row:
    document: str
    mentions: Score
    facts: Score
    facts_typed: Score
    event_dates: Score
    seconds: float


#: The relation types ingest has sentence rules for (``facts_typed`` counts only facts of
#: these, proposed and curated; an announcement's MENTIONED_IN and RELATED_TO are left out).
PROPOSED_TYPES = frozenset(
    {"ATTENDED", "HOSTED", "ORGANIZED", "SIGNED", "MET_WITH", "ANNOUNCED", "FUNDED",
     "PARTY_TO", "HELD_IN", "PART_OF", "ADOPTED_AT", "HOLDS_POSITION", "LOCATED_IN"}
)  # fmt: skip


def _cites(sources: Iterable[Source], doc: str) -> bool:
    return any(s.document == doc for s in sources)


def leave_out(dataset: Dataset, doc: str, texts: dict[str, str]) -> Dataset:
    """The graph as the other documents alone would have built it."""
    others = [fold(t) for d, t in texts.items() if d != doc]
    entities: dict[str, Entity] = {}
    for entity in dataset.entities.values():
        kept = tuple(s for s in entity.sources if s.document != doc)
        if not kept:
            continue
        aliases = tuple(a for a in entity.aliases if any(fold(a) in t for t in others))
        entities[entity.id] = dataclasses.replace(entity, sources=kept, aliases=aliases)
    relations: list[Relation] = []
    for relation in dataset.relations:
        kept = tuple(s for s in relation.sources if s.document != doc)
        if kept and relation.subject in entities and relation.object in entities:
            relations.append(dataclasses.replace(relation, sources=kept))
    documents = {d: v for d, v in dataset.documents.items() if d != doc}
    return Dataset(documents=documents, entities=entities, relations=relations)


def _quote_ranges(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """Where each quote is in the text: verbatim up to white space (a quote may run over a
    line break of the text) and quote marks and dashes (as curation compares quotes)."""
    plain = plain_quotes(text)
    out = []
    for quote in quotes:
        words = normalize_quote(quote).split(" ")
        pattern = r"\s+".join(re.escape(w) for w in words if w)
        found = re.search(pattern, plain) if pattern else None
        if found is not None:
            out.append((found.start(), found.end()))
    return out


def _aligned(
    proposals: ProposalSet, gold: dict[str, Entity], text: str, countries: Iterable[Country] = ()
) -> dict[str, str]:
    """Proposed new ids -> the curated entity they stand for. A ministry proposed from a
    title stands for the curated body of the same country and domain, as linking finds a
    known one ("Ministry of Foreign Affairs of Guatemala": "Foreign ministry of Guatemala")."""
    mapping: dict[str, str] = {}
    countries = list(countries)
    offices = Offices([*countries, *gold.values()]).bodies
    ranges = {
        e.id: _quote_ranges(text, [s.quote for s in e.sources])
        for e in gold.values()
        if isinstance(e, Event)
    }
    kinds = {e.id: e.category for e in gold.values() if isinstance(e, Event)}
    for item in proposals.items:
        if item.kind is ItemKind.ENTITY and item.proposed_id and item.name and item.country:
            body = Organization(id=item.proposed_id, name=item.name, country=item.country)
            for _, country, domain in Offices([*countries, body]).bodies:
                same = [b for b, c, d in offices if c == country and d == domain]
                if same:
                    mapping[item.proposed_id] = same[0]
            if item.proposed_id in mapping:
                continue
        if item.kind is ItemKind.ENTITY and item.proposed_id and item.name:
            for entity in gold.values():
                # (a curated name's bracketed qualifier is the curators', not the text's:
                # "Reception Center for Returned Migrants (Guatemala City)")
                if entity.kind.value == item.entity_kind and any(
                    name_score(item.name, m) > 0 for n in entity.names for m in {n, unbracketed(n)}
                ):
                    mapping[item.proposed_id] = entity.id
                    break
        if item.kind is ItemKind.EVENT and item.proposed_id:
            # the curated event quoted in the sentence; of several, the one whose quote
            # holds the event word ("in his last meeting with X ... the inauguration of Y")
            cue = (item.quote.span_start, item.quote.span_end)
            # and of those, the one of the item's kind ("Blinken announced ..." during "a
            # news conference": the announcement, not the conference)
            held = [
                (
                    not any(s <= cue[0] and cue[1] <= e for s, e in spans),
                    kinds.get(event_id) != item.category,
                    event_id,
                )
                for event_id, spans in ranges.items()
                if any(s < item.quote.end and item.quote.start < e for s, e in spans)
            ]
            if held:
                mapping[item.proposed_id] = min(held, key=lambda h: h[:2])[2]
    return mapping


def _date_right(proposed: DateSpan, gold: DateSpan) -> bool:
    return (
        proposed.overlaps(gold.start, gold.end) and proposed.precision.rank <= gold.precision.rank
    )


def evaluate_document(dataset: Dataset, doc: Document, texts: dict[str, str]) -> Row:
    text = texts[doc.id]
    graph = leave_out(dataset, doc.id, texts)
    started = time.perf_counter()
    meta = DocumentMeta(
        title=doc.title,
        published=doc.published.edtf if doc.published else "2000",
        publisher=doc.publisher,
        language=doc.language or "en",
    )
    proposals = ingest_text(text, meta, GraphView(graph), max_chars=10**7)
    seconds = time.perf_counter() - started

    cited: set[str] = {e.id for e in dataset.entities.values() if _cites(e.sources, doc.id)}
    gold_relations = [r for r in dataset.relations if _cites(r.sources, doc.id)]
    for relation in gold_relations:
        cited.update((relation.subject, relation.object))
    known = {e for e in cited if e in graph.entities}
    new = {e: dataset.entities[e] for e in sorted(cited) if e not in graph.entities}

    linked = {i.entity for i in proposals.items if i.kind is ItemKind.MENTION and i.entity}
    linked |= {i.entity for i in proposals.items if i.kind is ItemKind.EVENT and i.entity}
    mentions = Score(len(linked & known), len(linked), len(known))

    countries = [e for e in dataset.entities.values() if isinstance(e, Country)]
    mapping = _aligned(proposals, new, text, countries)
    facts_proposed = {
        (mapping.get(i.subject, i.subject), i.relation, mapping.get(i.object, i.object))
        for i in proposals.items
        if i.kind is ItemKind.FACT and i.subject and i.object and i.relation
    }
    gold = {(r.subject, r.type, r.object) for r in gold_relations}
    typed = {g for g in gold if g[1] in PROPOSED_TYPES}
    facts = Score(len(facts_proposed & gold), len(facts_proposed), len(gold))
    proposed_typed = {f for f in facts_proposed if f[1] in PROPOSED_TYPES}
    facts_typed = Score(len(proposed_typed & typed), len(proposed_typed), len(typed))

    gold_events = {
        e.id: e.date
        for e in dataset.entities.values()
        if isinstance(e, Event) and _cites(e.sources, doc.id)
    }
    dated = [i for i in proposals.items if i.kind is ItemKind.EVENT and i.edtf]
    right: set[str] = set()
    for item in dated:
        target = item.entity or mapping.get(item.proposed_id or "", "")
        if (
            item.edtf
            and target in gold_events
            and _date_right(parse_date(item.edtf), gold_events[target])
        ):
            right.add(target)
    event_dates = Score(len(right), len(dated), len(gold_events))
    return Row(doc.id, mentions, facts, facts_typed, event_dates, seconds)


def evaluate(dataset: Dataset, corpus: Path) -> list[Row]:
    """One row per document whose text is in ``corpus``, and a total row."""
    texts = {
        d.id: (corpus / d.file).read_text(encoding="utf-8")
        for d in dataset.documents.values()
        if d.file and (corpus / d.file).is_file()
    }
    rows = [evaluate_document(dataset, dataset.documents[d], texts) for d in sorted(texts)]
    if rows:
        total = Row(
            "all",
            sum((r.mentions for r in rows), Score(0, 0, 0)),
            sum((r.facts for r in rows), Score(0, 0, 0)),
            sum((r.facts_typed for r in rows), Score(0, 0, 0)),
            sum((r.event_dates for r in rows), Score(0, 0, 0)),
            sum(r.seconds for r in rows),
        )
        rows.append(total)
    return rows


def _cell(score: Score) -> str:
    counts = f"({score.found}/{score.proposed}/{score.expected})"
    return f"{score.precision:6.1%} {score.recall:6.1%} {counts}"


def format_table(rows: list[Row]) -> str:
    """A Markdown table: precision, recall and (found/proposed/expected) per measure."""
    head = (
        "| document | mentions P R | facts P R | facts of proposed types P R "
        "| event dates P R | s |\n|---|---|---|---|---|---|"
    )
    lines = [head]
    for row in rows:
        lines.append(
            f"| {row.document.removeprefix('document:')} | {_cell(row.mentions)} | "
            f"{_cell(row.facts)} | {_cell(row.facts_typed)} | {_cell(row.event_dates)} | "
            f"{row.seconds:.1f} |"
        )
    return "\n".join(lines)
