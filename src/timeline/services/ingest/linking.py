"""Entity linking: the graph's names found in a text. ALL name matching of ingest is here.

The rule follows the service's one search rule (:mod:`timeline.model.search`): words are
folded as search folds them (``fold_word``: accents, case, punctuation and a possessive
"'s" ignored; "U.S." = "US"), its stop words and initials do not count when names are
compared with typos, and a word tolerates the typos search tolerates (``typo_quality``:
none up to 3 letters, one up to 7, two from 8). On top of it, what a running text needs:

- a name of four letters or fewer, or written in capitals (an acronym, a code), must match
  the text's capitals exactly ("US" is not "us");
- a capitalised run of words that matches no name exactly is compared word by word with
  the names of as many (content) words: every word the same or within search's typo
  tolerance ("Bliken", "Alicia Barcena", "Antony J. Blinken"), a name's last word also
  cut short when the others are exact ("Antony Blink"); not when the capitalised name goes
  on after it (another, longer name);
- a person is also known by their surname, and by first and last name, when no other
  entity is (of a name of three words or more, also by the second-last word, a Spanish
  name's first surname: "Pino", "Juan Pino" of "Juan Manuel Pino Forero"); a country by
  its demonyms ("Panamanian", "Mexicans", "guatemalteco" is not one: only regular forms
  are derived) (derived names, lower confidence);
- the longest match at a position wins; where one name fits several entities the one the
  graph cites most is chosen and the others kept as alternatives.

:func:`name_score` is the one comparison, :class:`NameIndex` applies it to a text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from timeline.model.ids import Kind
from timeline.model.records import Country, Entity, Organization, Person
from timeline.model.search import STOP_WORDS, allowed_edits, fold_word, typo_quality
from timeline.model.text import fold
from timeline.services.ingest.bodies import spanish_names_of
from timeline.services.ingest.countries import demonyms_of, names_of


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = [
    "CONNECTORS",
    "DOMAIN_WORDS",
    "Match",
    "NameIndex",
    "Token",
    "name_key",
    "name_score",
    "tokens",
    "unbracketed",
]

#: Words that may sit inside a capitalised name ("Ministry of Foreign Affairs", "Banco de
#: ...", "Alberto van Klaveren").
CONNECTORS = _words(
    """
    of the for and on in de del al la las los el y para sobre en da do e van von der den du
    di dos das
    """
)
#: Titles in aliases ("Foreign Minister Mouynes") are not parts of a person's name.
_TITLE_WORDS = _words(
    """
    president vice secretary minister foreign ambassador director deputy chancellor mr mrs
    ms dr senator governor mayor general prime former acting canciller presidente ministro
    ministra secretario secretaria embajador senor senora excellency excelencia honorable
    """
)
#: A word: letters and digits, an apostrophe inside, and the invisible characters a text
#: may hide inside a name (a soft hyphen, zero-width spaces and joiners: "Blin\u200bken"),
#: which folding drops.
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:(?:['’]|[\u00ad\u200b-\u200d\u2060])[^\W_]+)*")
_JOIN = re.compile(r"^[ \t\u00a0\-–‑.,]*$")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)

#: A name compared with typos has at least this many letters (a four-letter surname is
#: not matched by a typo: "Pino" is not "Pina").
MIN_FUZZY_CHARS = 6
#: A name's last word cut short ("Antony Blink") keeps at least this many letters.
MIN_PREFIX_CHARS = 4
#: A lower-case letter then a capital inside a word is a lost space ("Panama CitySecretary").
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{3})")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


def _tightest(words: Sequence[Token], content: frozenset[str] | set[str]) -> Sequence[Token]:
    """The shortest run of ``words`` that has every word of ``content`` (a description's
    words may repeat: "During the meeting, ... the next ministerial meeting")."""

    def has(run: Sequence[Token]) -> bool:
        keys = {w.key for w in run} | {w.key[:-1] for w in run}
        return content <= keys

    best = words
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if has(words[i:j]):
                if words[j - 1].end - words[i].start < best[-1].end - best[0].start:
                    best = words[i:j]
                break
    return best


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of ``text`` with offsets (``offset`` added), each with its folded key."""
    out = []
    for match in _WORD.finditer(text):
        at = match.start()
        for part in _GLUED.split(match.group()):
            start = at
            at += len(part)
            word = part
            possessive = _POSSESSIVE.search(word)
            if possessive and len(word) > 3:
                word = word[: possessive.start()]
            key = fold_word(word)
            if key:
                out.append(Token(offset + start, offset + start + len(word), word, key))
    return out


def _content(keys: Sequence[str]) -> tuple[str, ...]:
    """The words that count when names are compared with typos: no stop words, no initials."""
    return tuple(k for k in keys if len(k) > 1 and k not in STOP_WORDS)


def typo_score(written: Sequence[str], name: Sequence[str]) -> float:
    """How well the folded words ``written`` match the folded words ``name`` with typos, in
    [0, 1]: the content words pair up one by one, each the same or within the search
    rule's typo tolerance; a multi-word name's last word may be cut short when the others
    are exact. 0 when some word does not match."""
    a, b = _content(written), _content(name)
    if not a or len(a) != len(b) or sum(len(w) for w in a) < MIN_FUZZY_CHARS:
        return 0.0
    qualities = [typo_quality(x, y) for x, y in zip(a, b, strict=True)]
    last_a, last_b = a[-1], b[-1]
    if (
        qualities[-1] == 0.0
        and len(a) > 1
        and all(q == 1.0 for q in qualities[:-1])
        and len(last_a) >= MIN_PREFIX_CHARS
        and last_b.startswith(last_a)
    ):
        qualities[-1] = 0.6 + 0.3 * len(last_a) / len(last_b)
    if min(qualities) <= 0.0:
        return 0.0
    return sum(qualities) / len(qualities)


def unbracketed(name: str) -> str:
    """A name without a trailing qualifier in brackets ("Migration Resource Centers
    (Guatemala)": "Migration Resource Centers")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", name)


def name_key(name: str) -> str:
    """A name's folded word sequence, as the index compares it."""
    return " ".join(t.key for t in tokens(name))


def _strict_case(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 4 or (len(letters) > 1 and all(c.isupper() for c in letters))


def name_score(written: str, name: str) -> float:
    """How well the words ``written`` match ``name``, in [0, 1] (1: the same folded words).

    Short or capitalised names match only exactly, case included; others exactly or word
    by word with the search rule's typo tolerance (:func:`typo_score`); 0 otherwise.
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
    return typo_score(a.split(), b.split())


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
    how: str  # exact, fuzzy, surname, demonym, derived name
    alternatives: list[str] = field(default_factory=list)


class NameIndex:
    """The graph's names, indexed for finding them in a text."""

    MAX_WORDS = 12

    def __init__(self, entities: Iterable[Entity], weights: dict[str, int] | None = None) -> None:
        self.entities: dict[str, Entity] = {}
        self.exact: dict[str, list[_Name]] = defaultdict(list)
        #: names compared with typos: by number of content words, then by each content word
        self.by_word: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        #: names of one content word (typos in it are looked up among these)
        self.single: list[str] = []
        self.weights = weights or {}
        for entity in entities:
            self.entities[entity.id] = entity
            for written in self._names(entity):
                self._add(entity.id, written, derived=False)
        self._derive_person_names()
        self._derive_demonyms()
        self._derive_unqualified()
        self._derive_unbracketed()
        self._derive_spanish_bodies()
        self._derive_spanish_heads()
        self._described = self._descriptions()
        singles = set()
        for key, names in self.exact.items():
            if any(not n.strict for n in names):
                content = _content(key.split())
                for word in content:
                    self.by_word[len(content)][word].add(key)
                if len(content) == 1:
                    singles.add(content[0])
        self.single = sorted(singles)
        self.single_keys: dict[str, list[str]] = defaultdict(list)
        for key in self.exact:
            content = _content(key.split())
            if len(content) == 1 and any(not n.strict for n in self.exact[key]):
                self.single_keys[content[0]].append(key)

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
                    # a Spanish name's first surname, the one used alone: "Pino" and
                    # "Juan Pino" of "Juan Manuel Pino Forero", "Cortizo" of "Laurentino
                    # Cortizo Cohen"
                    candidates[words[-2]].add(entity.id)
                    candidates[f"{words[0]} {words[-2]}"].add(entity.id)
        for written, ids in candidates.items():
            key = name_key(written)
            if len(ids) != 1 or len(key) < 4 or key in self.exact:
                continue
            self._add(next(iter(ids)), written, derived=True)

    def _derive_demonyms(self) -> None:
        """A country's demonyms, English and Spanish, singular and plural: the regular ones
        by rule ("Panamanian", "Mexicans", "colombiano", "panameño") and, for the
        countries of the Americas, the table's ("Salvadoran", "hondureño", "guatemalteca")."""
        candidates: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            if not isinstance(entity, Country):
                continue
            for written in entity.names:
                words = [t.text for t in tokens(written)]
                if not words or len(words) > 2 or not words[-1][:1].isupper():
                    continue
                word = words[-1]
                if len(word) < 4:
                    continue
                stem = word[:-1] if word[-1] in "aeiouy" else word
                forms = {
                    word + "n", word + "an", word + "ian", word + "nian", stem + "an",
                    stem + "ian", stem + "ean", word + "ese", stem + "ese", stem + "ano",
                    stem + "ana", word + "no", word + "na", stem + "eño", stem + "eña",
                }  # fmt: skip
                for form in forms - {word}:
                    for plural in (form, form + "s", form + "es"):
                        candidates[_demonym_case(plural)].add(entity.id)
            # the irregular ones ("Salvadoran", "guatemalteco", "estadounidense"), by its code
            for demonym in demonyms_of(entity.code):
                candidates[_demonym_case(demonym)].add(entity.id)
            # and its name in the other language ("Estados Unidos", "Belice", "Brazil")
            for other in names_of(entity.code):
                if name_key(other) not in self.exact:
                    self._add(entity.id, other, derived=True)
        for written, ids in candidates.items():
            key = name_key(written)
            if len(ids) != 1 or len(key) < 5 or key in self.exact:
                continue
            self._add(next(iter(ids)), written, derived=True)

    def _derive_spanish_bodies(self) -> None:
        """An international body's Spanish acronym and name ("OIM", "Alto Comisionado de
        las Naciones Unidas para los Refugiados"), from the table, when no entity has them."""
        for entity in list(self.entities.values()):
            if not isinstance(entity, Organization) or not entity.acronym:
                continue
            for other in spanish_names_of(entity.acronym):
                if name_key(other) not in self.exact:
                    self._add(entity.id, other, derived=True)

    def _derive_spanish_heads(self) -> None:
        """An agreement's or event's name "<Place> <Head>" in Spanish word order, "<Cabeza>
        de <Place>" ("Declaración de Lima" for the "Lima Declaration"), for the heads of
        the table, when no entity has it; and so a city's ("Ciudad de Guatemala" for
        "Guatemala City")."""
        for entity in list(self.entities.values()):
            if entity.kind not in (Kind.AGREEMENT, Kind.EVENT, Kind.PLACE):
                continue
            for written in entity.names:
                words = written.split()
                spanish = _SPANISH_HEADS.get(words[-1].casefold()) if len(words) >= 2 else None
                if spanish is None or not all(w[:1].isupper() for w in words):
                    continue
                other = f"{spanish} de {' '.join(words[:-1])}"
                if name_key(other) not in self.exact:
                    self._add(entity.id, other, derived=True)

    def _derive_unqualified(self) -> None:
        """An agreement's or organization's name without the countries it opens with:
        "U.S.–Panama Bilateral Arrangement on Migration and Protection" is also the text's
        "Bilateral Arrangement on Migration and Protection" (three words or more left)."""
        countries = {
            name_key(n) for e in self.entities.values() if isinstance(e, Country) for n in e.names
        }
        for entity in list(self.entities.values()):
            if entity.kind not in (Kind.AGREEMENT, Kind.ORGANIZATION):
                continue
            for written in entity.names:
                words = tokens(written)
                cut = 0
                while cut < len(words) and words[cut].key in countries:
                    cut += 1
                rest = words[cut:]
                if cut and len(_content([w.key for w in rest])) >= 3 and rest[0].capitalized:
                    key = " ".join(w.key for w in rest)
                    if key not in self.exact:
                        self._add(entity.id, written[rest[0].start :], derived=True)

    def _derive_unbracketed(self) -> None:
        """An organization's or place's name without the curators' qualifier in brackets:
        "Reception Center for Returned Migrants (Guatemala City)" is the text's "Reception
        Center for Returned Migrants" (three content words or more left; not events or
        agreements, which recur: "Joint Declaration (Bogotá, October 2021)")."""
        for entity in list(self.entities.values()):
            if entity.kind not in (Kind.ORGANIZATION, Kind.PLACE):
                continue
            for written in entity.names:
                bare = unbracketed(written)
                key = name_key(bare)
                if bare != written and len(_content(key.split())) >= 3 and key not in self.exact:
                    self._add(entity.id, bare, derived=True)

    def _descriptions(self) -> list[tuple[str, frozenset[str], frozenset[str]]]:
        """Agreements and events whose name is whose they are (countries, a person) and
        what they are ("Canada–Chile trade accords", "Peru's state of emergency"):
        (id, the owners' ids, the other content words)."""
        owners: dict[str, str] = {}
        for key, names in self.exact.items():
            for n in names:
                kind = self.kind(n.entity)
                if kind is Kind.COUNTRY or (kind is Kind.PERSON and len(key) >= 4):
                    owners.setdefault(key, n.entity)
        out = []
        for entity in self.entities.values():
            if entity.kind not in (Kind.AGREEMENT, Kind.EVENT):
                continue
            words = [w.key for w in tokens(entity.name)]
            found: set[str] = set()
            rest: list[str] = []
            i = 0
            while i < len(words):
                for length in range(min(4, len(words) - i), 0, -1):
                    owner = owners.get(" ".join(words[i : i + length]))
                    if owner is not None:
                        found.add(owner)
                        i += length
                        break
                else:
                    rest.append(words[i])
                    i += 1
            content = frozenset(
                w for w in _content(rest) if w not in _TITLE_WORDS and not w.isdigit()
            )
            if found and len(content) >= 2:
                out.append((entity.id, frozenset(found), content))
        return out

    def described(self, text: str, start: int, end: int, found: Sequence[Match]) -> list[Match]:
        """Agreements and events a sentence describes rather than names: it names their
        owner and has every other content word of their name, in any order ("the
        trade accords with the country of Chile", "Peru in a state of
        emergency"), and no other name of the graph covers those words."""
        named = {m.entity for m in found}
        words = tokens(text[start:end], start)
        free = [w for w in words if not any(m.start <= w.start < m.end for m in found)]
        keys = {w.key for w in free} | {w.key[:-1] for w in free if w.key.endswith("s")}
        out = []
        for entity_id, owners, content in self._described:
            if entity_id in named or not owners & named or not content <= keys:
                continue
            spans = _tightest(
                [w for w in free if w.key in content or w.key[:-1] in content], content
            )
            out.append(
                Match(
                    spans[0].start,
                    spans[-1].end,
                    text[spans[0].start : spans[-1].end],
                    entity_id,
                    0.6,
                    "description",
                )
            )
        return out

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

    def _goes_on(self, text: str, words: Sequence[Token], i: int, length: int) -> bool:
        """Whether a capitalised word other than a title follows the match, joined to it."""
        if i + length >= len(words) or not self._joined(text, words, i, length + 1):
            return False
        after = words[i + length]
        return after.capitalized and after.key not in _TITLE_WORDS

    def _city_of(self, text: str, words: Sequence[Token], i: int, length: int) -> bool:
        """Whether a country's name goes on with a place word of its own ("Mexico City",
        "Kuwait City"): the name of a place in it, not the country."""
        if i + length >= len(words) or not self._joined(text, words, i, length + 1):
            return False
        after = words[i + length]
        return after.capitalized and after.key in _PLACE_AFTER_COUNTRY

    def country_in_name(self, name: str) -> str | None:
        """The country a place's name is made of: "Mexico City", "Colón Province",
        "Ciudad de Guatemala" (the country's own name, one country only), or None."""
        keys = [w.key for w in tokens(name, 0)]
        if len(keys) >= 2 and keys[-1] in _PLACE_AFTER_COUNTRY:
            rest = keys[:-1]
        elif len(keys) >= 3 and keys[0] in _PLACE_BEFORE_COUNTRY and keys[1] == "de":
            rest = keys[2:]
        else:
            return None
        found = {
            n.entity
            for n in self.exact.get(" ".join(rest), [])
            if isinstance(self.entities[n.entity], Country)
        }
        return found.pop() if len(found) == 1 else None

    def _city_before(self, text: str, words: Sequence[Token], i: int) -> bool:
        """Whether a country's name ends a place's name in Spanish word order ("Ciudad de
        México", "Provincia de Colón")."""
        if i < 2 or not self._joined(text, words, i - 2, 3):
            return False
        place, of = words[i - 2], words[i - 1]
        return place.capitalized and place.key in _PLACE_BEFORE_COUNTRY and of.key == "de"

    def _at(self, text: str, words: Sequence[Token], i: int) -> tuple[Match, int] | None:
        if self._city_before(text, words, i):
            return None  # "Ciudad de México": the rest of a place's name, not the country
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
            if (
                derived
                and isinstance(self.entities[entity], Country)
                and span[0].capitalized  # "chilena Ana": a lower-case word starts no name
                and self._goes_on(text, words, i, length)
            ):
                continue  # "Guatemalan Institute of Migration": a demonym inside a name
            if isinstance(self.entities[entity], Country) and self._city_of(text, words, i, length):
                continue  # "Mexico City": a city the graph may lack, not the country
            if derived and length == 1 and self._not_theirs(text, words, i, entity):
                continue  # "Roberto Álvarez" is not Priscilla Alvarez
            score = 0.85 if derived else 1.0
            how = "exact"
            if derived:
                how = _derived_how(self.entities[entity])
            return Match(span[0].start, span[-1].end, written, entity, score, how, others), length
        return self._fuzzy(text, words, i)

    def _candidates(self, content: tuple[str, ...]) -> set[str]:
        """The names (keys) a run of content words may match with typos."""
        if len(content) == 1:
            word = content[0]
            edits = allowed_edits(word)
            if not edits:
                return set()
            hits = process.extract(
                word, self.single, scorer=OSA.distance, score_cutoff=edits, limit=None
            )
            return {key for hit in hits for key in self.single_keys[hit[0]]}
        by_word = self.by_word.get(len(content))
        if not by_word:
            return set()
        found: set[str] = set()
        for word in content:
            found |= by_word.get(word, set())
        return found

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
            keys = [w.key for w in span]
            content = _content(keys)
            if not content or keys[0] != content[0]:
                continue  # a name starts with a word of its own, not "of" or an initial
            for key in self._candidates(content):
                score = typo_score(keys, key.split())
                if score > 0 and (best is None or (score, length) > (best[0], best[1])):
                    best = (score, length, key)
        if best is None:
            return None
        quality, length, key = best
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
        if length == 1 and self._not_theirs(text, words, i, entity):
            return None  # "Joel Hernández" is not Alfonso Fernandez misspelt
        written = text[span[0].start : span[-1].end]
        derived = all(n.derived for n in names if n.entity == entity)
        if derived and length == 1 and isinstance(self.entities[entity], Country):
            # a one-word derived name of a country is a demonym, not a typo's target:
            # "American" is not "Mexican" misspelt
            return None
        score = round((0.8 if derived else 0.9) * quality, 3)
        return Match(span[0].start, span[-1].end, written, entity, score, "fuzzy", others), length

    def _not_theirs(self, text: str, words: Sequence[Token], i: int, entity: str) -> bool:
        """Whether one word that would name a person by their surname is someone else's:
        inside a hyphenated name ("Port-au-Prince" is not Price), or right after a given
        name that is not theirs ("Roberto Álvarez" is not Priscilla Alvarez) and is no
        title, known name or sentence opener ("Minister Álvarez", "Panamanian Pino", "But
        Pino")."""
        person = self.entities[entity]
        if not isinstance(person, Person):
            return False
        word = words[i]
        if text[word.start - 1 : word.start] == "-" or text[word.end : word.end + 1] == "-":
            return True
        if i == 0 or not re.fullmatch(r"[ \u00a0]", text[words[i - 1].end : word.start]):
            return False
        before = words[i - 1]
        key = before.key
        if not before.text[:1].isupper() or key in CONNECTORS | _OPENERS:
            return False
        if key in self.exact or len(key) < 3:
            return False
        # a title's words before it ("Ministers Mouynes", "Minister of Public Security
        # Pino", "ForeignMinister Mouynes")
        between = words[max(0, i - 4) : i]
        for k in range(len(between) - 1, -1, -1):
            if _titled(between[k].key):
                return False
            if between[k].key not in DOMAIN_WORDS | CONNECTORS:
                break
        own = {fold_word(w) for name in person.names for w in name.split()}
        # (or a middle name after their first: "Carlos Ramiro Martínez")
        given = [before]
        if i >= 2 and re.fullmatch(r"[ \u00a0]", text[words[i - 2].end : before.start]):
            given.append(words[i - 2])
        return not any(g.key in w for g in given for w in own if len(g.key) >= 3)

    def kind(self, entity_id: str) -> Kind:
        return self.entities[entity_id].kind


def _titled(key: str) -> bool:
    return (
        key in _TITLE_WORDS
        or key.removesuffix("s") in _TITLE_WORDS
        or any(key.endswith(t) for t in ("minister", "secretary", "president"))
    )


#: What offices are for, the words between a title and its holder ("Minister of Public
#: Security Pino", "Minister of Canal Affairs Aristides Royo").
DOMAIN_WORDS = _words(
    """affairs interior security defense defence finance justice labor labour health
    education economy trade commerce agriculture environment energy transport
    development immigration migration foreign state homeland public social welfare
    canal tourism culture asuntos exteriores relaciones seguridad gobernacion defensa
    hacienda justicia trabajo salud educacion economia comercio agricultura ambiente
    energia transporte desarrollo migracion publica nacional social cultura turismo
    interiores"""
)


#: Words that open a sentence before a surname ("But Pino said", "Según Bárcena").
_OPENERS = _words(
    """
    the but and when while after before as if so then yet however also meanwhile since
    though although because according el la los las pero y cuando mientras según segun
    aunque porque tras luego además ademas
    """
)


#: Spanish demonyms' endings: Spanish writes demonyms in lower case ("colombiana").
_SPANISH_DEMONYM = re.compile(r"(?:[aeiouñ]n[oa]|e[ñn][oa]|c[oa]|ense|és|es[a])s?$|eses$")


#: English heads of agreements' and events' names and their Spanish words, which open a
#: Spanish name ("Declaración de Lima" is the "Lima Declaration").
_SPANISH_HEADS = {
    "declaration": "Declaración",
    "summit": "Cumbre",
    "agreement": "Acuerdo",
    "accord": "Acuerdo",
    "accords": "Acuerdos",
    "process": "Proceso",
    "conference": "Conferencia",
    "plan": "Plan",
    "city": "Ciudad",
    "province": "Provincia",
    "department": "Departamento",
}
#: Words that make a country's name the name of a place in it ("Mexico City").
_PLACE_AFTER_COUNTRY = frozenset({"city", "province", "department"})
#: The same, in Spanish word order ("Ciudad de México").
_PLACE_BEFORE_COUNTRY = frozenset({"ciudad", "provincia", "departamento"})


def _derived_how(entity: Entity) -> str:
    """How a derived name was matched: a country's demonym (or other-language name), a
    person's surname (or first and last name), another body's other name."""
    if isinstance(entity, Country):
        return "demonym"
    return "surname" if isinstance(entity, Person) else "derived name"


def _demonym_case(form: str) -> str:
    """A demonym as the language writes it: Spanish forms in lower case, so that the
    lower-case word in a text is the demonym ("la canciller mexicana")."""
    return form.lower() if _SPANISH_DEMONYM.search(form) else form


def _same_caps(written: str, name: str) -> bool:
    strip = str.maketrans("", "", ". ")
    return written.translate(strip) == name.translate(strip)


#: Head words of the name of a body a minister or secretary heads.
_OFFICE_HEADS = frozenset(
    {"department", "ministry", "secretariat", "ministerio", "secretaria", "secretariado"}
)
#: Words that say "foreign" in the name of a ministry or a title, and words that say
#: nothing there ("Foreign Affairs", "Foreign Relations", "Relaciones Exteriores": foreign).
_FOREIGN_WORDS = frozenset({"foreign", "external", "exterior", "exteriores", "extranjero"})
_EMPTY_WORDS = frozenset({"affairs", "relations", "relaciones", "asuntos"})


def office_domain(words: Iterable[str]) -> frozenset[str]:
    """The folded words that say what an office is for ("Homeland Security", "Foreign
    Affairs" = "foreign"), without stop words and the office's head word."""
    out = set()
    for word in words:
        key = fold_word(word)
        if not key or key in STOP_WORDS or key in _OFFICE_HEADS or key in _EMPTY_WORDS:
            continue
        if len(key) < 2:
            continue
        out.add("foreign" if key in _FOREIGN_WORDS else key)
    return frozenset(out)


class Offices:
    """The graph's ministries and departments, to find the body a title names: a minister's
    or secretary's office is the ministry or department it heads ("Secretary of State": the
    Department of State; "Mexico's Foreign Affairs Secretary": Mexico's foreign ministry)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.bodies: list[tuple[str, str | None, frozenset[str]]] = []
        country_words: dict[str, set[str]] = defaultdict(set)
        entities = list(entities)
        for entity in entities:
            if isinstance(entity, Country):
                for written in entity.names:
                    country_words[entity.id].update(t.key for t in tokens(written))
        for entity in entities:
            if not isinstance(entity, Organization):
                continue
            for written in entity.names:
                keys = [t.key for t in tokens(written)]
                if not any(k in _OFFICE_HEADS for k in keys):
                    continue
                own = country_words.get(entity.country or "", set()) | {"us"}
                # the country's name and demonym ("Guatemalan") are not what the body is for
                domain = office_domain(k for k in keys if not any(k.startswith(c) for c in own))
                if domain:
                    self.bodies.append((entity.id, entity.country, domain))

    def find(self, domain: frozenset[str], country: str | None) -> list[str]:
        """The bodies whose name has every word of ``domain`` (search's typo tolerance), of
        ``country`` when given, the closest names (fewest other words) first."""
        found: dict[str, int] = {}
        for entity_id, body_country, words in self.bodies:
            if country is not None and body_country != country:
                continue
            if not domain or not all(any(typo_quality(q, w) > 0 for w in words) for q in domain):
                continue
            extra = len(words) - len(domain)
            found[entity_id] = min(extra, found.get(entity_id, extra))
        return sorted(found, key=lambda e: (found[e], e))
