"""Entity linking: the graph's names found in a text. ALL name matching of ingest is here.

The rule (one place, so that it can follow the search rule of the rest of the service):

- names are compared as folded word sequences (``timeline.model.text.fold``: accents,
  case and typographic marks ignored; a possessive "'s" dropped; "U.S." = "US");
- a name of four letters or fewer, or written in capitals (an acronym, a code), must match
  the text's capitals exactly ("US" is not "us");
- a capitalised run of words that matches no name exactly is compared with rapidfuzz's
  ``ratio`` to the names with as many words, so misspellings ("Bliken", "Antony Blink")
  still link; short words are not fuzzy-matched at all;
- a person is also known by their surname, and by first and last name, when no other
  entity is (derived aliases, lower confidence);
- the longest match at a position wins; where one name fits several entities the one the
  graph cites most is chosen and the others kept as alternatives.

:func:`name_score` is the one comparison, :class:`NameIndex` applies it to a text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from timeline.model.ids import Kind
from timeline.model.records import Entity, Organization, Person
from timeline.model.text import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = [
    "CONNECTORS",
    "Match",
    "NameIndex",
    "Token",
    "name_key",
    "name_score",
    "tokens",
]

#: Words that may sit inside a capitalised name ("Ministry of Foreign Affairs", "Banco de ...").
CONNECTORS = _words(
    """
    of the for and on in de del la las los el y para sobre en da do e
    """
)
#: Titles in aliases ("Foreign Minister Mouynes") are not parts of a person's name.
_TITLE_WORDS = _words(
    """
    president vice secretary minister foreign ambassador director deputy chancellor mr mrs
    ms dr senator governor mayor general prime former acting canciller presidente ministro
    ministra secretario secretaria embajador senor senora
    """
)
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")
_JOIN = re.compile(r"^[ \t\-–‑.,]*$")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)

#: Fuzzy matches below these rapidfuzz ratios (0-100) are not matches.
FUZZY_CUTOFF = 86.0
MIN_FUZZY_CHARS = 6
LAST_WORD_CUTOFF = 75.0


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of ``text`` with offsets (``offset`` added), each with its folded key."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group()
        end = match.end()
        possessive = _POSSESSIVE.search(word)
        if possessive and len(word) > 3:
            word = word[: possessive.start()]
            end = match.start() + len(word)
        key = fold(word).replace(".", "")
        out.append(Token(offset + match.start(), offset + end, word, key))
    return out


def name_key(name: str) -> str:
    """A name's folded word sequence, as the index compares it."""
    return " ".join(t.key for t in tokens(name))


def _strict_case(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 4 or (len(letters) > 1 and all(c.isupper() for c in letters))


def name_score(written: str, name: str) -> float:
    """How well the words ``written`` match ``name``, in [0, 1] (1: the same folded words).

    Short or capitalised names match only exactly, case included; others exactly or by
    rapidfuzz ratio at or above :data:`FUZZY_CUTOFF`; 0 otherwise.
    """
    a, b = name_key(written), name_key(name)
    if not a or not b:
        return 0.0
    if _strict_case(name):
        return (
            1.0
            if written.replace(".", "").replace(" ", "") == name.replace(".", "").replace(" ", "")
            else 0.0
        )
    if a == b:
        return 1.0
    if len(a) < MIN_FUZZY_CHARS or len(a.split()) != len(b.split()):
        return 0.0
    ratio = fuzz.ratio(a, b)
    return ratio / 100 if ratio >= FUZZY_CUTOFF else 0.0


@dataclass(frozen=True, slots=True)
class _Name:
    entity: str
    written: str
    strict: bool
    derived: bool


@dataclass(slots=True)
class Match:
    """A name of the graph found in the text."""

    start: int
    end: int
    text: str
    entity: str
    score: float
    how: str  # exact, fuzzy, surname
    alternatives: list[str] = field(default_factory=list)


class NameIndex:
    """The graph's names, indexed for finding them in a text."""

    MAX_WORDS = 12

    def __init__(self, entities: Iterable[Entity], weights: dict[str, int] | None = None) -> None:
        self.entities: dict[str, Entity] = {}
        self.exact: dict[str, list[_Name]] = defaultdict(list)
        self.by_words: dict[int, list[str]] = defaultdict(list)
        self.weights = weights or {}
        for entity in entities:
            self.entities[entity.id] = entity
            for written in self._names(entity):
                self._add(entity.id, written, derived=False)
        self._derive_person_names()
        for key, names in self.exact.items():
            if any(not n.strict for n in names):
                self.by_words[len(key.split())].append(key)

    @staticmethod
    def _names(entity: Entity) -> list[str]:
        names = list(entity.names)
        if isinstance(entity, Organization) and entity.acronym:
            names.append(entity.acronym)
        return names

    def _add(self, entity_id: str, written: str, *, derived: bool) -> None:
        key = name_key(written)
        if not key:
            return
        if any(n.entity == entity_id for n in self.exact[key]):
            return
        self.exact[key].append(_Name(entity_id, written, _strict_case(written), derived))

    def _derive_person_names(self) -> None:
        candidates: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            if not isinstance(entity, Person):
                continue
            for written in entity.names:
                words = [t.text for t in tokens(written)]
                words = [w for w in words if len(w) > 1 and fold(w) not in _TITLE_WORDS]
                if len(words) >= 2:
                    candidates[words[-1]].add(entity.id)
                    candidates[f"{words[0]} {words[-1]}"].add(entity.id)
                if len(words) >= 3:
                    candidates[f"{words[0]} {words[1]}"].add(entity.id)
        for written, ids in candidates.items():
            key = name_key(written)
            if len(ids) != 1 or len(key) < 4 or key in self.exact:
                continue
            self._add(next(iter(ids)), written, derived=True)

    def __len__(self) -> int:
        return len(self.entities)

    def _choose(self, names: Sequence[_Name]) -> tuple[str, list[str]]:
        ranked = sorted(
            {n.entity for n in names},
            key=lambda e: (-self.weights.get(e, 0), e),
        )
        return ranked[0], ranked[1:]

    def find(self, text: str, start: int, end: int) -> list[Match]:
        """Every name of the graph in ``text[start:end]`` (one sentence), longest first."""
        words = tokens(text[start:end], start)
        matches: list[Match] = []
        i = 0
        while i < len(words):
            found = self._at(text, words, i)
            if found is None:
                i += 1
                continue
            match, used = found
            matches.append(match)
            i += used
        return matches

    def _joined(self, text: str, words: Sequence[Token], i: int, length: int) -> bool:
        return all(
            _JOIN.match(text[words[k].end : words[k + 1].start])
            and "," not in text[words[k].end : words[k + 1].start]
            for k in range(i, i + length - 1)
        )

    def _at(self, text: str, words: Sequence[Token], i: int) -> tuple[Match, int] | None:
        longest = min(self.MAX_WORDS, len(words) - i)
        for length in range(longest, 0, -1):
            if not self._joined(text, words, i, length):
                continue
            span = words[i : i + length]
            key = " ".join(w.key for w in span)
            names = self.exact.get(key)
            if not names:
                continue
            written = text[span[0].start : span[-1].end]
            fits = [n for n in names if not n.strict or _same_caps(written, n.written)]
            if not fits:
                continue
            # "united states" in lower case is a phrase, not the country's name
            if (
                not span[0].capitalized
                and all(n.written[:1].isupper() for n in fits)
                and (length == 1 or not all(w.key in CONNECTORS or w.capitalized for w in span[1:]))
            ):
                continue
            entity, others = self._choose(fits)
            derived = all(n.derived for n in fits if n.entity == entity)
            score = 0.85 if derived else 1.0
            how = "surname" if derived else "exact"
            return Match(span[0].start, span[-1].end, written, entity, score, how, others), length
        return self._fuzzy(text, words, i)

    def _fuzzy(self, text: str, words: Sequence[Token], i: int) -> tuple[Match, int] | None:
        if not words[i].capitalized:
            return None
        best: tuple[float, int, str] | None = None
        longest = min(self.MAX_WORDS, len(words) - i)
        for length in range(longest, 0, -1):
            span = words[i : i + length]
            if not span[-1].capitalized or not self._joined(text, words, i, length):
                continue
            if not all(w.capitalized or w.key in CONNECTORS for w in span):
                continue
            key = " ".join(w.key for w in span)
            if len(key) < MIN_FUZZY_CHARS:
                continue
            choices = self.by_words.get(length)
            if not choices:
                continue
            hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if (
                hit is not None
                and (best is None or hit[1] > best[0])
                # the distinctive last word must be close too: "Foreign Minister Martínez" is
                # not "Foreign Minister Mouynes"
                and fuzz.ratio(key.split()[-1], hit[0].split()[-1]) >= LAST_WORD_CUTOFF
            ):
                best = (hit[1], length, hit[0])
        if best is None:
            return None
        ratio, length, key = best
        span = words[i : i + length]
        after = words[i + length : i + length + 2]
        if (
            after
            and self._joined(text, words, i, length + 1)
            and (
                after[0].capitalized
                or (after[0].key in CONNECTORS and len(after) > 1 and after[1].capitalized)
            )
        ):
            return None  # the capitalised name goes on: it is another, longer name
        names = [n for n in self.exact[key] if not n.strict]
        entity, others = self._choose(names)
        written = text[span[0].start : span[-1].end]
        score = round(0.9 * ratio / 100, 3)
        return Match(span[0].start, span[-1].end, written, entity, score, "fuzzy", others), length

    def kind(self, entity_id: str) -> Kind:
        return self.entities[entity_id].kind


def _same_caps(written: str, name: str) -> bool:
    strip = str.maketrans("", "", ". ")
    return written.translate(strip) == name.translate(strip)
