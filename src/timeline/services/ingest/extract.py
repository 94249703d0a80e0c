"""New entity candidates, reported events and candidate facts, from one sentence at a time.

All rules are about the shape of the language, never about particular articles:

- a **new entity** is a run of capitalised words (connectors such as "of", "de" allowed
  inside) that names nothing the graph knows; its kind is guessed from its head word
  ("Ministry", "Declaration", "Summit", "City" ...), from a title before it ("Minister",
  "President" ... : a person) or from a preposition of place before it ("in", "to" ...);
  "Name (ACR)" gives its acronym;
- a **reported event** is a sentence with an event word ("ministerial", "summit",
  "meeting", "signing", "visit" ...); it takes the sentence's date (or the paragraph's
  last one), its actors as candidate participants and its place, and is linked to an
  existing event when the sentence names it, or when one overlaps its date and shares a
  participant, a place or its kind of event;
- a **fact** joins two entities of one sentence when the kinds fit the relation type
  (``RELATION_TYPES``) and the sentence has the relation's cue word ("signed", "hosted",
  "attended", "met with", "announced", "funded", "held in", "during" ...): ``STATED``;
  a participation the sentence implies without such a word (a speaker quoted in a
  sentence about the event) is ``INFERRED``, with a note saying so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.model.ids import Kind, slugify
from timeline.model.records import RELATION_TYPES
from timeline.model.search import fold_word
from timeline.services.ingest.countries import country_code
from timeline.services.ingest.linking import CONNECTORS, DOMAIN_WORDS, Token, tokens


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = [
    "CALENDAR",
    "THIS_REFERENCE",
    "TITLES",
    "WIRE_DATELINE",
    "Candidate",
    "FactCandidate",
    "Mentioned",
    "acronym_shaped",
    "event_category",
    "facts_in",
    "fits",
    "group_listed",
    "in_body_name",
    "joined_group",
    "joined_list",
    "meeting_under",
    "new_entities_in",
    "region_members",
    "subjects_before",
    "thanked_hosts",
    "this_event",
]


@dataclass(slots=True)
class Mentioned:
    """An entity named in a sentence: known (``known``) or a new candidate."""

    start: int
    end: int
    entity: str
    kind: Kind
    score: float
    known: bool
    #: a demonym before a title or name ("Chilean President ..."): whose, not who acts
    qualifier: bool = False


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    name: str
    kind: Kind
    context: str
    confidence: float
    acronym: str | None = None

    @property
    def proposed_id(self) -> str:
        # a country by its ISO code, as the dataset names countries ("country:pe")
        code = country_code(self.name) if self.kind is Kind.COUNTRY else None
        return f"country:{code.lower()}" if code else f"{self.kind.value}:{slugify(self.name)}"


@dataclass(slots=True)
class FactCandidate:
    relation: str
    subject: str
    object: str
    stated: bool
    note: str | None
    confidence: float
    span: tuple[int, int]
    role: str | None = None
    title: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


# --- kind guesses -------------------------------------------------------------------------

_ORG_WORDS = _words(
    """
    organization organisation agency bank department ministry office commission council fund
    program programme institute university association committee service services nations
    union foundation group corporation party administration embassy government secretariat
    court police force forces guard patrol alliance network center centre authority board
    bureau coalition unhcr iom church cartel army navy parliament congress senate house
    federation chamber club society initiative team task operation facility directorate
    division unit mission company companies cross organización organizacion agencia
    banco departamento ministerio operación operacion oficina comisión comision consejo
    fondo programa instituto
    universidad asociación asociacion comité comite servicio naciones unión union fundación
    fundacion grupo gobierno cancillería cancilleria secretaría secretaria embajada policía
    policia centro red alianza autoridad junta dirección direccion unidad consulado
    """
)
_AGREEMENT_WORDS = _words(
    """
    declaration agreement arrangement accord accords treaty compact memorandum protocol pact
    convention charter framework plan strategy roadmap statement act bill law decree
    declaración declaracion acuerdo arreglo tratado pacto memorando protocolo convenio carta
    plan estrategia ley decreto
    """
)
_EVENT_WORDS = _words(
    """
    summit ministerial conference meeting forum dialogue talks visit session signing availability
    assembly congress ceremony dinner roundtable war election elections inauguration
    campaign hurricane hurricanes earthquake cumbre ministerial conferencia reunión reunion
    foro diálogo dialogo visita sesión sesion firma asamblea ceremonia guerra elecciones
    investidura campaña huracán huracan terremoto
    """
)
_PLACE_WORDS = _words(
    """
    city province state county region river gap border canal island islands coast valley
    mountains street avenue square airport port department district municipality triangle
    corridor peninsula gulf bay highlands ciudad provincia estado región region río rio
    frontera canal isla costa valle calle avenida plaza aeropuerto puerto distrito municipio
    triángulo triangulo corredor península peninsula golfo bahía bahia
    """
)
TITLES = _words(
    """
    president vice secretary minister foreign ambassador director administrator chargé
    charge deputy assistant undersecretary chancellor governor mayor senator representative
    commissioner general chief prime king queen mr mrs ms dr sir señor señora presidente
    presidenta ministra ministro canciller secretario secretaria embajador embajadora
    director directora gobernador alcalde senador diputado spokesperson spokesman
    spokeswoman affaires daffaires journalist reporter correspondent coordinator portavoz vocero
    vocera periodista corresponsal excellency excelencia honorable adviser advisor asesor
    asesora consejero consejera
    """
)
#: Groups whose possessive may be inside a name ("UN Children's Fund", "Workers' Party").
_GROUP_POSSESSORS = _words(
    "children women men people peoples workers farmers veterans migrants refugees nations"
)
#: The possessive of a style of address ("His Excellency Pino", "Su Excelencia").
_STYLED = _words("his her your their su sus")
#: Words that name an office inside a title ("Secretary of Homeland Security").
_OFFICE_AFTER = re.compile(
    r"\b(?:secretary|minister|ministry|director|department|secretario|secretaria|ministro"
    r"|ministra)\s+(?:of|for|de)\s+(?:the\s+)?$",
    re.I,
)
#: (and verbs whose object is a place: "had visited Tapachula", "visitó Tapachula")
_PLACE_PREPOSITIONS = {
    "in", "to", "from", "at", "near", "across", "throughout", "en", "desde", "hacia",
    "visited", "toured", "visitó", "recorrió",
}  # fmt: skip
#: Spanish place words that open a place's name ("Triángulo Norte", "Río Bravo").
_SPANISH_PLACE_FIRST = _words(
    "ciudad provincia río rio isla valle triángulo triangulo corredor península golfo bahía bahia"
)
#: Words for a building or venue: the last word of an English name ("National Palace"),
#: the first of a Spanish one ("Casa Presidencial", "Palacio Nacional").
_VENUE_WORDS = _words("palace hotel hall stadium castle palacio casa edificio estadio castillo")
#: Articles between a preposition of place and a name ("en la Casa Presidencial").
_ARTICLES = {"the", "el", "la", "los", "las"}
_SKIP_WORDS = _words(
    """
    i the a an this that these those it we he she they our his her their my you your in on
    at for and but or so if as of to by with from after before during while when yesterday
    today tomorrow mr ms however also according last next el la los las un una en y de del
    por para con sin sobre este esta hoy ayer but thank thanks yes no okay good well again
    here there what which who how why where
    """
)
#: What a photo credit says of its licence, not a name.
_LICENSES = frozenset(
    {"public domain", "creative commons", "all rights reserved", "dominio público",
     "dominio publico", "todos los derechos reservados"}
)  # fmt: skip
#: Articles that begin names in Spanish ("El Paso", "Los Angeles", "La Paz").
_NAME_ARTICLES = frozenset({"el", "la", "los", "las"})
CALENDAR = _words(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday enero febrero marzo abril mayo
    junio julio agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves
    viernes sábado domingo
    """
)
#: Spanish writes its months and days in lower case: capitalised after a name's word, one
#: is the name's ("Santo Domingo", "Plaza de Mayo").
_SPANISH_CALENDAR = _words(
    """
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre lunes martes miércoles jueves viernes sábado domingo
    """
)
#: Words that alone make no name ("Ministerial Meeting", "Press Conference").
_GENERIC = (
    _ORG_WORDS
    | _EVENT_WORDS
    | _PLACE_WORDS
    | CONNECTORS
    | _words("ministerial regional high level high-level press news joint special working")
)
#: The United States abbreviated, as it begins the names of its bodies ("U.S. Embassy").
_US = re.compile(r"U\.\s?S\.?(?:\s?A\.?)?|USA?|EE\.\s?UU\.?|EEUU")
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Za-z]{1,9}s?)\)")


#: A role in a body, written in lower case as often as not ("State Department spokesperson
#: Ned Price", "Embassy Panama City's Chargé d'Affaires Stewart Tuttle").
_ROLES = (
    r"(?i:spokes(?:person|man|woman)|charg[ée] d['’]affaires|executive director|coordinator"
    r"|journalist|reporter|correspondent|portavoz|vocero|vocera|periodista|corresponsal)"
)
#: After a person's name, their body's acronym: "Priscilla Alvarez of CNN", "X from TVN",
#: "Luis Felipe Rojas, VOA journalist".
_AFFILIATION_AFTER = re.compile(
    r"^\s+(?:of|from|de|del)\s+([A-Z][A-Za-z]+)\b" rf"|^,\s+([A-Z][A-Za-z]+)\s+{_ROLES}\b"
)


def _countries_joined(text: str, run: Sequence[Token]) -> int:
    """How many words of a run of capitals are its first name: all, or those before an
    "and" that joins a country's name to another ("Belize and Ecuador"; not "Trinidad and
    Tobago", one country)."""
    if not run or country_code(text[run[0].start : run[-1].end]):
        return len(run)
    # after a preposition of place, "en Huehuetenango y San Marcos" is two places
    placed = _PLACE_BEFORE.search(text, max(0, run[0].start - 12), run[0].start) is not None
    for k, word in enumerate(run[1:-1], start=1):
        if word.key in ("and", "y", "e", "or", "o"):
            left = text[run[0].start : run[k - 1].end]
            right = text[run[k + 1].start : run[-1].end]
            if country_code(left) or country_code(right):
                return k
            if (
                placed
                and run[k + 1].text[:1].isupper()
                and not any(
                    w.key in _ORG_WORDS | _AGREEMENT_WORDS | _EVENT_WORDS | _TITLE_CONNECTORS
                    for w in run
                )
            ):
                return k
    return len(run)


#: Words that join a title's words, not a place's ("Pathways for Protection and ...").
_TITLE_CONNECTORS = _words("for of on the para sobre")
#: A preposition of place right before a name: "in", "en", "to", "a".
_PLACE_BEFORE = re.compile(r"\b(?:in|en|to|a|at|from|desde|hacia)\s+(?:the\s+|la\s+|el\s+)?$", re.I)


def _caller(after: str) -> bool:
    """Whether what follows a single word is all of a caller's affiliation, "from
    <ACRONYM>." ("Quispe from TVN."): a turn that names who asks the next question."""
    affiliation = _AFFILIATION_AFTER.match(after)
    return (
        affiliation is not None
        and acronym_shaped(affiliation.group(1) or "")
        and re.fullmatch(r"\s+\S+\s+\S+\s*[.:]?\s*", after) is not None
    )


def _guess_kind(
    words: Sequence[Token], before: Sequence[Token], after: str = ""
) -> tuple[Kind, str, float] | None:
    keys = [w.key for w in words]
    head = keys[-1]
    if country_code(" ".join(w.text for w in words)):
        return Kind.COUNTRY, "a country of the Americas", 0.8
    if any(k in _AGREEMENT_WORDS for k in keys) and keys[0] not in _ORG_WORDS:
        return Kind.AGREEMENT, f"'{words[-1].text}' names an agreement", 0.6
    if any(k in _EVENT_WORDS for k in keys):
        return Kind.EVENT, "an event word in the name", 0.55
    if (
        any(k in _ORG_WORDS for k in keys)
        or (len(keys) >= 2 and head == "international")
        or any(
            # "Safe Mobility Offices", "Centers for Disease Control": a plural names a body too,
            # not "Governments of Belize", which are several
            k.endswith("s") and k[:-1] in _ORG_WORDS and keys[i + 1 : i + 2] != ["of"]
            for i, k in enumerate(keys)
        )
    ):
        return Kind.ORGANIZATION, "an organization word in the name", 0.65
    if head in _PLACE_WORDS:
        return Kind.PLACE, f"'{words[-1].text}' names a place", 0.6
    if len(keys) >= 3 and keys[0] in _PLACE_WORDS and keys[1] == "de":
        # "Ciudad de México", "Provincia de Colón": the place word first, in Spanish
        return Kind.PLACE, f"'{words[0].text}' names a place", 0.6
    if len(keys) >= 2 and keys[0] in _SPANISH_PLACE_FIRST:
        # "Triángulo Norte", "Corredor Seco", "Isla Mujeres": the place word first
        return Kind.PLACE, f"'{words[0].text}' names a place", 0.55
    if len(words) >= 2 and (head in _VENUE_WORDS or keys[0] in _VENUE_WORDS):
        return Kind.PLACE, "a building's name", 0.55
    prev = [w.key for w in before[-3:]]
    if len(prev) >= 2 and prev[-1] in _ARTICLES and prev[-2] in _PLACE_PREPOSITIONS:
        prev = prev[:-1]  # "en la Casa ...": the preposition counts, not the article
        before = before[:-1]
    if len(prev) >= 2 and prev[-1] in ("of", "de") and prev[-2] in TITLES:
        if keys[0] in DOMAIN_WORDS:
            return None  # "asesora de Seguridad Nacional ...": what the office is for
        return Kind.PLACE, f"the domain of a title ('{before[-2].text} {before[-1].text}')", 0.4
    if prev and prev[-1] in TITLES:
        return Kind.PERSON, f"after the title '{before[-1].text}'", 0.7
    if (
        len(prev) >= 2
        and prev[-2] in ("photo", "foto")
        and prev[-1] in ("by", "de", "por")
        and 2 <= len(words) <= 4
    ):
        # "[State Department photo by Freddie Everett/": a photographer
        return Kind.PERSON, f"credited with a photo ('{before[-2].text} {before[-1].text}')", 0.65
    if (
        len(prev) == 3
        and prev[0] in TITLES
        and prev[1] in ("of", "de")
        and not (before[-1].text[:1].islower())
    ):
        # "the Foreign Minister of Peru, Ana Ruiz": the title's holder
        return Kind.PERSON, f"after the title '{' '.join(w.text for w in before[-3:])}'", 0.7
    affiliation = _AFFILIATION_AFTER.match(after)
    if (
        2 <= len(words) <= 4
        and affiliation
        and acronym_shaped(affiliation.group(1) or affiliation.group(2))
        and all(w.key not in CONNECTORS for w in words)
    ):
        return Kind.PERSON, f"named with their body ('{affiliation.group().strip()}')", 0.6
    if len(words) == 1 and affiliation and _caller(after) and not acronym_shaped(words[0].text):
        # "Quispe from TVN.": a caller a transcript's turn names by surname alone, the
        # whole of what follows being their body
        return Kind.PERSON, f"named with their body ('{affiliation.group().strip()}')", 0.5
    if len(words) >= 3 and acronym_shaped(words[0].text) and set(keys[1:]) & {"for", "of"}:
        # "UN High Commissioner for Refugees": an acronym's body, named for what it is for
        return Kind.ORGANIZATION, f"named with '{words[0].text}'", 0.55
    if len(words) == 1 and acronym_shaped(words[0].text):
        # "from TVN", "of EFE": an unknown acronym names a body far more often than a place
        return Kind.ORGANIZATION, "an acronym", 0.5
    if prev and prev[-1] in _PLACE_PREPOSITIONS:
        return Kind.PLACE, f"after '{before[-1].text}'", 0.45
    if 2 <= len(words) <= 4 and all(w.key not in CONNECTORS for w in words):
        placed = _PLACE_AFTER.match(after)
        if placed:
            return Kind.PLACE, f"followed by '{placed.group().strip()}'", 0.45
        return Kind.PERSON, "a capitalised name of two to four words", 0.4
    return None


#: A title of a place or body, then a comma, right before a name: its holder ("el
#: canciller de Costa Rica, ", "the Foreign Minister of Guatemala, ").
_TITLE_APPOSED = re.compile(
    r"\b(?P<title>[^\W\d_]+)\s+(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?"
    r"[A-ZÁÉÍÓÚÑ][\w’'.-]*(?:\s+(?:(?:de|of)\s+(?:la\s+|el\s+|the\s+)?)?[A-ZÁÉÍÓÚÑ][\w’'.-]*){0,4}"
    # where the office is: "la embajadora de Estados Unidos en Guatemala, "
    r"(?:\s+(?:in|en|to|ante)\s+(?:the\s+)?[A-ZÁÉÍÓÚÑ][\w’'.-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w’'.-]*){0,2})?"
    r",\s*$"
)
#: After a wire dateline's place: its country or date, its agency, a dash.
_DATELINE_AFTER = re.compile(r"(?:,[^—–()\n]{1,30}?)?(?:\s*\([^()\n]{1,30}\))?\s*[—–-]\s")
#: A wire dateline opening a sentence: a place in capitals, then what follows it ("LIMA, 3
#: de marzo (Agencia) —", "SAN JOSÉ (EFE) —", "MEXICO CITY, Dec 27 (Reuters) - ").
WIRE_DATELINE = re.compile(
    r"[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.'-]+(?: [A-ZÁÉÍÓÚÑ.'-]+)*" + _DATELINE_AFTER.pattern
)
#: Money given: a verb of giving, an amount, then "to" or "for" the body that gets it.
_MONEY_TO = re.compile(
    r"(?:provided|gave|granted|allocated|committed|pledged|disbursed|donated|awarded"
    r"|approved|transferred|otorgó|aportó|destinó|donó|entregó|aprobó|comprometió)\s+"
    r"(?:an?\s+|un\s+|una\s+|more\s+than\s+|over\s+|nearly\s+|about\s+|más\s+de\s+)?"
    r"(?:(?:US)?\$|USD\s?|€)?\s?\d[\d.,]*\s*(?:million|billion|millones|mil\s+millones)?"
    r"(?:\s+de\s+dólares)?(?:\s+(?:in|en)\s+[a-z]+(?:\s+[a-z]+)?|\s+[a-z]+){0,2}?"
    r"\s+(?:to|for|a|para)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?",
    re.I,
)
#: Right before a funder: "with funding from", "funded by", "con financiamiento de",
#: "financiado por" (the funder ends the cue).
_FUNDED_BY = re.compile(
    r"\b(?:with\s+(?:funding|financing|support)\s+from|(?:funded|financed)\s+by"
    r"|con\s+(?:financiamiento|fondos|financiación|financiacion|apoyo)\s+(?:de|del)"
    r"|financiad[oa]s?\s+por)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?$",
    re.I,
)
#: After a meeting's verb, the same subjects signing: "met ... and signed", "se reunieron
#: ... y firmaron".
_AND_SIGNED = re.compile(
    r"[^.;:]{0,80}?\b(?:and|y|e)\s+(?:then\s+|luego\s+)?(?:signed|adopted|firmaron|firmó"
    r"|adoptaron|suscribieron)\b"
)
#: A country's government, which the dataset records as the country itself.
_GOVERNMENT_WORDS = frozenset({"government", "gobierno", "administration", "governo"})
#: After a place's name, the place it is in: "Eagle Pass, also in Texas".
_PLACE_AFTER = re.compile(r"^,?\s+(?:also\s+)?(?:in|en)\s+(?:the\s+)?[A-Z][\w-]*")
#: Between the members of a list: "Monterrey, Guadalajara, and Tijuana".
_LIST_GAP = re.compile(r",?\s+(?:and|y|or|o)\s+|,\s+")
#: After a list's member: the list goes on, or the list (or the clause) ends.
_LIST_END = re.compile(r"\s*(?:,|\.(?!\w)|;|:|\)|\s(?:and|y|or|o)\s|$)")


def in_body_name(text: str, start: int) -> bool:
    """Whether a name at ``start`` follows a body's capitalised head word, as a demonym
    inside a Spanish body's name does ("Instituto Guatemalteco de Migración")."""
    head = re.search(r"\b([A-ZÁÉÍÓÚÑ][\w]+)\s+$", text[max(0, start - 30) : start])
    return head is not None and head.group(1).casefold() in _ORG_WORDS


def acronym_shaped(word: str) -> bool:
    """ "CNN", "EFE", "SerTV": two or more capitals and no lower-case letter after the last
    capital but one."""
    capitals = [i for i, c in enumerate(word) if c.isupper()]
    return len(capitals) >= 2 and word[capitals[-2] :].isupper() and word.isalpha()


def _capital_after_connectors(
    words: Sequence[Token], j: int, taken: Sequence[tuple[int, int]], i: int = 0
) -> bool:
    """Whether the connector ``words[j]`` (with a Spanish article after it: "para las")
    leads to another capitalised word of the same name; not a person's affiliation
    ("Priscilla Alvarez of CNN": a name, then its body's acronym)."""
    k = j + 1
    if (
        words[j].key in ("in", "en")
        and j - i >= 2
        and not any(
            w.key in CONNECTORS | _ORG_WORDS | _AGREEMENT_WORDS | _EVENT_WORDS | _PLACE_WORDS
            for w in words[i:j]
        )
    ):
        # "Rosalind Tillett in Belize City": a person's name, then where ("Summit in Lima",
        # "Protection in Countries of Origin" are one name)
        return False
    if words[j].key in ("in", "en") and any(w.key in _FACILITY_WORDS for w in words[i:j]):
        return False  # "the Reception Center in San Pedro Sula": a site, then where it is
    if (
        k < len(words)
        and acronym_shaped(words[k].text)
        and not any(w.key in _ORG_WORDS | _AGREEMENT_WORDS | _EVENT_WORDS for w in words[i:j])
    ):
        return False
    # a second connector only as a Spanish article ("para las", "de la"); English "of the"
    # after a name usually starts another one ("Ortega of the Institute")
    # ... but a body's "of the" goes on ("International Committee of the Red Cross",
    # "Office of the High Commissioner")
    articles = _NAME_ARTICLES | (
        {"the"} if words[j].key == "of" and words[j - 1].key in _ORG_WORDS else set()
    )
    while k < len(words) and words[k].key in articles and k - j < 2:
        k += 1
    if (
        words[j].key in ("and", "y", "e")
        and k > j + 1
        and k < len(words)
        and words[k].key in _ORG_WORDS | _AGREEMENT_WORDS | _EVENT_WORDS
    ):
        # "the Ministry of Labor and the National Migration Institute", "la Secretaría de
        # Trabajo y el Instituto ...": an article after the conjunction begins another name
        return False
    return (
        k < len(words)
        and words[k].text[:1].isupper()
        and words[k].key not in _SKIP_WORDS  # "Smith and I"
        # "Aristides Royo and Administrator ...": another titled name
        and not (words[j].key in ("and", "y") and words[k].key in TITLES)
        and not any(words[k].start < e and s < words[k].end for s, e in taken)
    )


def new_entities_in(
    text: str,
    start: int,
    end: int,
    taken: Sequence[tuple[int, int]],
    places: Sequence[tuple[int, int]] = (),
) -> list[Candidate]:
    """Capitalised names in ``text[start:end]`` that overlap no span of ``taken``;
    ``places`` are the spans of the known places among them (a name listed after one, the
    list's end or its last member, is a place too)."""
    words = tokens(text[start:end], start)
    out: list[Candidate] = []
    i = 0
    while i < len(words):
        word = words[i]
        free = not any(word.start < e and s < word.end for s, e in taken)
        if not (free and word.text[:1].isupper() and word.key not in CALENDAR):
            i += 1
            continue
        j = i + 1
        while j < len(words):
            gap = text[words[j - 1].end : words[j].start]
            nxt = words[j]
            # "UN Children's Fund", "Women's Refugee Commission": a group's possessive
            # inside a name (not "Panama's Minister": a name's possessive ends it)
            grouped = words[j - 1].key in _GROUP_POSSESSORS and re.fullmatch(r"[’']s?\s+", gap)
            if not (re.fullmatch(r"[ \t\u00a0\-–.]*", gap) or grouped) or any(
                nxt.start < e and s < nxt.end for s, e in taken
            ):
                break
            if nxt.text[:1].isupper() or (
                nxt.key in CONNECTORS and _capital_after_connectors(words, j, taken, i)
            ):
                j += 1
                continue
            break
        run = list(words[i:j])
        j = i + _countries_joined(text, run)
        run = run[: j - i]
        while run and (
            run[-1].key in CONNECTORS
            or (
                run[-1].key in CALENDAR
                and not (len(run) > 1 and run[-1].text.casefold() in _SPANISH_CALENDAR)
            )
        ):
            run.pop()
        before = words[max(0, i - 3) : i]
        # titles before a name are context, not the name (not "Secretaría de Trabajo",
        # with its accent a ministry)
        while (
            len(run) > 1
            and (run[0].key in TITLES or (run[0].key in _STYLED and run[1].key in TITLES))
            and run[0].text.lower() != "secretaría"
        ):
            before = [*before, run[0]]
            run = run[1:]
        # and so is a title inside the run, with its domain: "Homeland Security Secretary
        # Alejandro Mayorkas" names Alejandro Mayorkas (two words or more after the title)
        inner = [
            k
            for k, w in enumerate(run[:-2])
            if w.key in TITLES and not any(v.key in CONNECTORS for v in run[k + 1 :])
        ]
        if inner and len(run) - inner[-1] - 1 <= 4:
            before = [*before, *run[: inner[-1] + 1]]
            run = run[inner[-1] + 1 :]
        i = j
        if not run:
            continue
        if len(run) == 1 and out and out[-1].acronym == run[0].text:
            continue  # "(ACNUR)" after the name it abbreviates: that name's acronym
        if (
            run[0].start == start
            and all(w.text.isupper() for w in run)
            and _DATELINE_AFTER.match(text, run[-1].end, end)
            and country_code(text[run[0].start : run[-1].end]) is None
        ):
            # "CUENCA, Ecuador —", "SAN JOSÉ (EFE) —": a wire dateline's place, in capitals
            name = " ".join(
                w.lower() if w.lower() in CONNECTORS else w.title()
                for w in text[run[0].start : run[-1].end].split()
            )
            out.append(
                Candidate(
                    run[0].start, run[-1].end, name, Kind.PLACE, "a wire dateline's place", 0.6
                )
            )
            continue
        if (
            len(run) == 1
            and (
                run[0].key in _SKIP_WORDS
                or run[0].key in TITLES
                or len(run[0].key) < 3
                # a capital opening a sentence says nothing, unless it is a country's name
                or (
                    run[0].start == start
                    and not _caller(text[run[0].end : end])
                    and country_code(run[0].text) is None
                )
            )
        ):
            continue
        article_name = run[0].key in _NAME_ARTICLES and len(run) == 2  # "El Paso", "La Paz"
        if (
            run[0].key in _SKIP_WORDS
            and not article_name
            and len(run) > 1
            and not acronym_shaped(run[0].text)  # "UN High Commissioner ...", not "Un"
        ):
            run = run[1:]
        if all(w.text.isupper() for w in run) and len(run) > 2:
            continue  # a heading in capitals
        if run[-1].key in TITLES:
            continue  # "Foreign Affairs Secretary": a title
        if " ".join(w.key for w in run) in _LICENSES:
            continue  # "[State Department photo by X/ Public Domain]": a photo's licence
        office = _OFFICE_AFTER.search(text[max(start, run[0].start - 40) : run[0].start])
        if office and len(run) >= 3 and not any(w.key in _GENERIC for w in run[-2:]):
            # "Minister of Canal Affairs Aristides Royo": the office, then its holder
            holder = run[_holder_start(run) :]
            out.append(
                Candidate(
                    holder[0].start,
                    holder[-1].end,
                    text[holder[0].start : holder[-1].end],
                    Kind.PERSON,
                    f"after the title '{office.group().strip()} "
                    f"{text[run[0].start : run[len(run) - len(holder) - 1].end]}'",
                    0.6,
                )
            )
            continue
        if office:
            continue  # "Secretary of Homeland Security": an office, not a name
        begin = run[0].start
        if len(run) == 1 and run[0].key in _AGREEMENT_WORDS:
            continue  # "the Arrangement": a reference to an agreement, not its name
        # a known name right before the run, a space between ("Bogotá Joint Declaration",
        # "U.S. Agency for International Development")
        owner = next(
            (
                (s, e)
                for s, e in taken
                if start <= s
                and e <= begin
                and re.fullmatch(r"\.? ", text[e:begin])
                and (text[e:begin] == " " or text[e - 1 : e].isupper())
                and text[s : s + 1].isupper()
            ),
            None,
        )
        by_country = owner is not None and (
            country_code(text[owner[0] : owner[1]]) is not None
            or _US.fullmatch(text[owner[0] : owner[1]]) is not None
        )
        # "UN High Commissioner for Refugees", "OAS Widget Commission": a body named with
        # its organization's acronym, one name with it
        by_acronym = (
            owner is not None and not by_country and acronym_shaped(text[owner[0] : owner[1]])
        )
        prefix = [w for w in words if owner is not None and w.start == owner[0]][:1]
        if by_country and len(run) == 1 and run[0].key in _GOVERNMENT_WORDS:
            continue  # "the United States Government", "the U.S. Government": the country
        if all(w.key in _GENERIC for w in run):
            # generic words after a known place make a name: an agreement's or an event's,
            # or a country's body ("Panama Canal Authority")
            if owner is None or not any(
                w.key in _AGREEMENT_WORDS | _EVENT_WORDS or (by_country and w.key in _ORG_WORDS)
                for w in run
            ):
                continue  # "the Administration", "a Ministerial Meeting": a reference, not a name
            begin = owner[0]
        # (with a known name right before it: "the Panama Canal Authority")
        head = owner[0] if owner is not None else begin
        split = _body_then_holder(text, start, head, run)
        if split is not None:
            # "Administrator of the Panama Canal Authority Ricaurte Vasquez": the body,
            # then the holder of the title
            title, cut = split
            out.append(
                Candidate(
                    head,
                    run[cut - 1].end,
                    text[head : run[cut - 1].end],
                    Kind.ORGANIZATION,
                    f"the body of the title '{title}'",
                    0.65,
                )
            )
            out.append(
                Candidate(
                    run[cut].start,
                    run[-1].end,
                    text[run[cut].start : run[-1].end],
                    Kind.PERSON,
                    f"after the title '{title} {text[head : run[cut - 1].end]}'",
                    0.6,
                )
            )
            continue
        guess = _guess_kind(run, before, text[run[-1].end : end])
        held_title = (
            TITLE_OF_BODY.search(text, max(start, owner[0] - 40), owner[0]) if owner else None
        )
        if (
            held_title is not None
            and owner is not None
            and guess is not None
            and guess[0] is Kind.PERSON
            and guess[2] < 0.6
            and 2 <= len(run) <= 3
        ):
            # "the Director General of the IOM Amy Pope": the holder of a known body's title
            body = text[owner[0] : owner[1]]
            guess = (Kind.PERSON, f"after the title '{held_title.group('title')} {body}'", 0.6)
        if by_acronym and owner is not None and prefix:
            named = _guess_kind([*prefix, *run], before, text[run[-1].end : end])
            if named is not None and named[0] is Kind.ORGANIZATION:
                guess, begin = named, owner[0]
        apposed = _TITLE_APPOSED.search(text, max(start, begin - 90), begin)
        if (
            guess is not None
            and guess[0] is Kind.PERSON
            and guess[2] < 0.6
            and apposed
            and apposed.group("title").casefold() in TITLES
        ):
            # "El canciller de Costa Rica, Arnoldo André": a title's holder, set off by commas
            guess = (Kind.PERSON, f"after '{apposed.group().strip(' ,')}'", 0.6)
        if (
            guess is not None
            and guess[0] is Kind.ORGANIZATION
            and by_country
            and owner is not None
            and begin > owner[0]
            and not re.match(r"(?i:the|el|la)\b", run[0].text)
        ):
            # "the U.S. Agency for International Development": the country's body, named
            # with the country
            begin = owner[0]
        listed = out[-1] if out else None
        if (
            listed is not None
            and listed.kind is Kind.PLACE
            and (guess is None or guess[2] < listed.confidence)
            and _LIST_GAP.fullmatch(text[listed.end : begin])
        ):
            # "in Monterrey, Guadalajara, and Tijuana": a list's members are of one kind
            guess = (Kind.PLACE, f"listed with '{listed.name}'", listed.confidence)
        known = next((p for p in places if _LIST_GAP.fullmatch(text[p[1] : begin])), None)
        if guess is None and known is not None and _LIST_END.match(text, run[-1].end):
            # "in Quetzaltenango, Cobán, and Huehuetenango", "in Los Angeles, California,
            # where ...": listed after a known place, where the list goes on or ends, is a
            # place (not "in Panama City, Arévalo said")
            guess = (Kind.PLACE, f"listed with '{text[known[0] : known[1]]}'", 0.5)
        if guess is None:
            continue
        kind, why, confidence = guess
        name = text[begin : run[-1].end]
        acronym_match = _ACRONYM_AFTER.match(text[run[-1].end : end])
        acronym = acronym_match.group(1) if acronym_match else None
        if acronym is not None and sum(c.isupper() for c in acronym) < 2:
            acronym = None  # "Tucson (Arizona)": a place in parentheses, not an acronym
        out.append(Candidate(begin, run[-1].end, name, kind, why, confidence, acronym))
        if kind is Kind.EVENT:
            out += _place_in_event_name(text, name, run)
    return out


def _place_in_event_name(text: str, name: str, run: Sequence[Token]) -> list[Candidate]:
    """ "Ministerial Meeting in Bogotá", "Cumbre en Lima": a new event's name that says
    where, the words after its last "in" / "en" (capitalised, up to three), a place too."""
    at = max((k for k, w in enumerate(run) if w.key in ("in", "en")), default=-1)
    tail = run[at + 1 :]
    if at < 1 or not 1 <= len(tail) <= 3 or any(not w.text[:1].isupper() for w in tail):
        return []
    if any(w.key in _ORG_WORDS | _EVENT_WORDS | _AGREEMENT_WORDS for w in tail):
        return []
    where = text[tail[0].start : tail[-1].end]
    kind = Kind.COUNTRY if country_code(where) else Kind.PLACE
    return [
        Candidate(
            tail[0].start, tail[-1].end, where, kind, f"where the name '{name}' says it was", 0.5
        )
    ]


# --- events -------------------------------------------------------------------------------

CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "press_conference",
        re.compile(
            r"\b(?:press|news) (?:conference|availability|briefing)\b|\brueda de prensa\b"
            r"|\bconferencia de prensa\b",
            re.I,
        ),
    ),
    ("summit", re.compile(r"\bsummit\b|\bcumbre\b", re.I)),
    ("ministerial", re.compile(r"\bministerials?\b|\bministerial (?:meeting|conference)\b", re.I)),
    ("signing", re.compile(r"\bsigning\b|\bsignature\b|\bfirma\b", re.I)),
    ("conference", re.compile(r"\bconference\b|\bconferencia\b", re.I)),
    (
        "forum",
        re.compile(
            r"\bforums?\b|\bforo\b|\bworkshops?\b|\btaller(?:es)?\b|\broundtables?\b"
            r"|\bmesa redonda\b",
            re.I,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\bmeetings?\b|\bmet\b|\bmeets\b|\bmeet with\b|\breuni(?:ón|on|ó|eron)\b|\btalks\b"
            r"|\bgather(?:ed|ing)\b|\bconvened\b|\bencuentro\b"
            # a meeting planned: "will meet again", "se reunirán de nuevo"
            r"|(?<=\bwill )meet\b|\bmeet(?= again\b)|\breunir(?:án|an|emos)\b"
            r"|\breunirse(?=\s+(?:de\s+nuevo|nuevamente|otra\s+vez)\b)",
            re.I,
        ),
    ),
    # after a meeting: "in his last meeting with X, ... the inauguration of Y"
    (
        "inauguration",
        re.compile(
            r"\binaugurat(?:ed|es|ion|ing)\b|\binaugur(?:ó|o|aron|a|an|ación|acion)\b"
            r"|\bopening\s+ceremony\b|\bceremonia\s+de\s+(?:inauguración|apertura)\b",
            re.I,
        ),
    ),
    (
        "event",
        re.compile(
            r"\b(?:host(?:ed|s)|h[eo]lds?|organi[sz]ed|convened|co-?hosted)\s+(?:an?|the)\s+"
            r"(?:[\w-]+\s+){0,2}?(?:event|activity)\b|\b(?:organiz[óo]|realiz[óo]|celebr[óo])\s+"
            r"(?:un|una|el|la)\s+(?:\w+\s+){0,2}?(?:evento|actividad)\b",
            re.I,
        ),
    ),
    (
        "visit",
        re.compile(
            r"\bvisit(?:s|ed)?\b|\bvisit[óo]\b|\btrip\b|\btravel(?:s|ed)?\b|\btour(?:s|ed)\b"
            r"|\brecorri(?:ó|eron)\b",
            re.I,
        ),
    ),
    # a call: "spoke by phone with", "a phone call", "called the president of Mexico" (a
    # title after "called": not "called for", nor a name given, "a plan called ...")
    (
        "call",
        re.compile(
            r"\b(?:spoke|speaks|talked|talks)\s+(?:by|on\s+the)\s+(?:tele)?phone\b"
            r"|\b(?:tele)?phoned\b|\b(?:tele)?phone\s+(?:call|conversation)s?\b"
            r"|\bcalled(?=\s+(?:(?:the|his|her|their)\s+)?(?:[A-Z][\w-]+\s+)?(?:president|prime"
            r"\s+minister|foreign\s+minister|chancellor|counterpart)\b)"
            r"|\b(?:habl[óo]|convers[óo])\s+por\s+tel[ée]fono\b"
            r"|\b(?:llamada|conversaci[óo]n)\s+telef[óo]nica\b"
            r"|\bllam[óo](?=\s+(?:al|a\s+la|a\s+su)\s+(?:presidente|presidenta|canciller|primer"
            r"\s+ministro|hom[óo]log[oa])\b)",
            re.I,
        ),
    ),
    # a leg of a journey: "arrives in Panama City", "departs for Panama City", "llegó a"
    # (not what others "have arrived in", "who arrived in": migrants, not a journey's leg)
    (
        "arrival",
        re.compile(
            r"(?<!have )(?<!has )(?<!had )(?<!who )(?<!that )\barriv(?:es|ed)\s+(?:in|at)\b"
            r"|(?<!han )(?<!que )\blleg(?:ó|a|aron|an)\s+a\b",
            re.I,
        ),
    ),
    (
        "travel",
        re.compile(r"\bdepart(?:s|ed)\s+for\b|\bpart(?:ió|e|ieron)\s+(?:hacia|rumbo a)\b", re.I),
    ),
    ("announcement", re.compile(r"\bannounc(?:e|ed|es|ing|ement)\b|\banunci[óo]\b", re.I)),
]


def event_category(sentence: str) -> str | None:
    """The kind of event a sentence reports, from its event words, or None."""
    for category, pattern in CATEGORIES:
        if pattern.search(sentence):
            return category
    return None


def _hosted_by(window: str) -> bool:
    """Whether the words from an event to an actor say the actor hosted it ("was co-hosted
    by Mexico"; not C in "co-hosted by A and B and was attended by C")."""
    hosted = re.match(r"\s*(?:\S+\s+){0,3}?(?:co-?)?hosted by\s", window) or re.search(
        # "a forum was held in Lima on Tuesday, co-hosted by Peru": a participle after a comma
        r",\s+(?:co-?)?hosted by\s",
        window,
    )
    return hosted is not None and not _OTHER_VERB.search(window, hosted.end())


def _signer_after(text: str, agreement: Mentioned, actor: Mentioned) -> str:
    """The words that may say an actor named after an agreement signed it: a passive's
    agent ("signed by Peru", "firmado por el Perú", a list after "by") or a relative clause
    ("which Peru signed", "que Honduras suscribió"); else none, so "which was signed in
    2022, and ... Peru" does not make Peru a party."""
    gap = text[agreement.end : actor.start]
    if (
        _CO_SIGNER.fullmatch(gap)
        and _SIGNED_BEFORE.search(text, max(0, agreement.start - 40), agreement.start)
        # a country before its official's title is whose, not a signer ("with Guatemala's")
        and not re.match(r"['’]s\b", text[actor.end : actor.end + 2])
    ):
        # "X signed a memorandum with Guatemala's Minister of Labor Y": Y signed it too
        return text[max(0, agreement.start - 40) : agreement.start]
    agent = re.search(r"\b(?:by|por)\b", gap)
    if agent is not None and not re.search(r"\b(?:that|which|que|said|dijo)\b", gap[agent.end() :]):
        return gap  # the agent, or a list of them ("endorsed by Peru, Chile and Brazil")
    if re.fullmatch(r"[\s,]*(?:which|that|que)\s+(?:the\s+|el\s+|la\s+)?", gap):
        return text[actor.end : actor.end + 30]
    return ""


#: From a signed instrument to the event it was signed at: "... during the meeting".
_SIGNED_DURING = re.compile(
    r"[^,.;:]{0,80}?\s(?:during|at|durante)\s+(?:the|this|that|el|la|esta|este)\s+", re.I
)
#: An opening that places the sentence in an event: "During the meeting, ...".
_DURING_OPENING = re.compile(r"\s*(?:during|durante)\s+(?:the|el|la)\s+", re.I)


def _signed_at(text: str, s_start: int, agreement: Mentioned, event: Mentioned) -> bool:
    """Whether the sentence says the agreement was signed at the event: "signed a
    memorandum ... during the meeting", "Durante el encuentro, X y Y firmaron una carta"."""
    if agreement.end <= event.start:
        return bool(
            _SIGNED_DURING.fullmatch(text, agreement.end, event.start)
            and _CUES["SIGNED"].search(text, s_start, agreement.start)
        )
    return bool(
        _DURING_OPENING.fullmatch(text, s_start, event.start)
        and _CUES["SIGNED"].search(text, event.end, agreement.start)
    )


#: From an instrument to a co-signer: "with", then at most a title ("with Guatemala's
#: Minister of Labor"), no clause between.
_CO_SIGNER = re.compile(r"\s+(?:with|con)\s+(?:the\s+|el\s+|la\s+|al\s+)?(?:[^,.;:]{0,60}\s)?")
#: A verb of signing right before an instrument ("signed a", "firmó un").
_SIGNED_BEFORE = re.compile(
    r"\b(?:sign(?:ed|s)?|firm(?:ó|o|aron|an)|suscribi(?:ó|eron))\s+(?:\S+\s+){0,2}$", re.I
)


#: A title over a body, right before the body's name ("Administrator of the", "Director
#: General of the", "presidente de la")
TITLE_OF_BODY = re.compile(
    r"\b(?P<title>(?:executive\s+|general\s+)?(?:administrator|president|director|chair"
    r"(?:man|woman|person)?|head|commissioner|governor|manager|administrador|administradora"
    r"|presidente|presidenta|directora?|gerente|jefe|jefa)(?:\s+general)?)\s+(?:of|de|del)"
    r"\s+(?:the\s+|la\s+|el\s+)?$",
    re.I,
)


def _body_then_holder(
    text: str, start: int, begin: int, run: Sequence[Token]
) -> tuple[str, int] | None:
    """A title's body and its holder in one run of capitals: the title before it, the
    run's last organization word, then two or three words of a name (the title, and
    where in ``run`` the holder starts)."""
    title = TITLE_OF_BODY.search(text, max(start, begin - 40), begin)
    if title is None:
        return None
    last = max((i for i, w in enumerate(run) if w.key in _ORG_WORDS), default=-1)
    if last == 0 and len(run) >= 4:
        # a Spanish body's head word first, its words after it ("Banco Central Ana
        # Gómez", "Instituto Guatemalteco de Migración Ana Gómez"): the last two
        last = len(run) - 3
    holder = run[last + 1 :]
    if last < 0 or not 2 <= len(holder) <= 3:
        return None
    if any(w.key in CONNECTORS or w.key in _ORG_WORDS or w.text.isupper() for w in holder):
        return None
    return title.group("title"), last + 1


def _holder_start(run: Sequence[Token]) -> int:
    """Where the holder's name starts in the words after an office's preposition: after
    its last domain word ("Interior Francisco José Jiménez Irungaray": the four last),
    else the last two words (no domain word says where the office ends)."""
    last = max((i for i, w in enumerate(run) if w.key in DOMAIN_WORDS), default=-1)
    if 0 <= last <= len(run) - 3:
        return last + 1
    return len(run) - 2


# --- facts --------------------------------------------------------------------------------

_CUES: dict[str, re.Pattern[str]] = {
    "SIGNED": re.compile(r"\bsign(?:ed|ing|s|atories|atory)?\b|\bfirm(?:ó|aron|ado|ar)\b", re.I),
    "PARTY_TO": re.compile(
        r"\bsign(?:ed|ing|s|atories|atory)?\b|\bendors(?:e|ed|ing|ement)\b|\badopt(?:ed|ing)?\b"
        r"|\bjoin(?:ed|s)?\b|\bparty to\b|\badhe(?:re|red|sion)\b|\bsuscri|\bfirm",
        re.I,
    ),
    "HOSTED": re.compile(
        r"\b(?:co-?)?host(?:ed|s|ing)?\b|\banfitri[óo]n|\bwelcom(?:e|ed|ing)\b|\bacogi[óo]"
        r"|\bser[áa]n? sede\b|\bfue sede\b",
        re.I,
    ),
    "ORGANIZED": re.compile(
        r"\bconven(?:e|ed|ing)\b|\borganiz(?:e|ed|ing)\b|\bconvoc"
        r"|\borganiz(?:ad[oa]s?|[óo]|aron)\b",
        re.I,
    ),
    "ATTENDED": re.compile(
        r"\battend(?:ed|s|ing)?\b|\bparticipat|\bgather(?:ed)?\b|\bjoin(?:ed|s)?\b|\btook part\b"
        r"|\bdelegation|\bspoke at\b|\bat the\b|\bduring the\b|\bmet\b|\bassist|\bparticip[óo]"
        r"|\basisti[óo]|\basistieron|\bdelegaci[óo]n|\bdurante el\b|\bdurante la\b",
        re.I,
    ),
    "MET_WITH": re.compile(r"\bmet\b|\bmeet(?:s|ing)? with\b|\bmeeting with\b|\bse reuni", re.I),
    "ANNOUNCED": re.compile(r"\bannounc(?:e|ed|es|ing)\b|\banunci", re.I),
    "FUNDED": re.compile(
        r"\bfund(?:ed|s|ing)?\b|\bfinanc|\bcontribut|\bdonat|\bgrant(?:ed|s)?\b", re.I
    ),
    "HELD_IN": re.compile(r"\bheld in\b|\btook place in\b|\bin\b|\ben\b|\bat\b", re.I),
    "PART_OF": re.compile(
        r"\bduring\b|\bon the sidelines of\b|\bpart of\b|\bat the\b|\bdurante\b|\ben el marco de\b",
        re.I,
    ),
}
_SPEECH = re.compile(
    r"\b(?:said|says|stated|spoke|urged|announced|highlighted|expressed|reiterated|stressed"
    r"|emphasized|noted|added|explained|told|declared|affirmed|pledged|recalled|insisted"
    r"|warned|underlined|underscored|argued|asserted|dijo|afirmó|señaló|declaró|anunció"
    r"|aseguró|indicó|insistió|subrayó|destacó|expresó|manifestó|advirtió|recordó|agregó"
    r"|añadió|explicó|sostuvo|precisó|instó|reiteró)\b",
    re.I,
)
#: What may stand between an event and its place: "..., held in", "took place at", "in".
_HELD_IN_GAP = (
    r"[\s,]*(?:(?:was|will be|is|being|to be)\s+)?"
    r"(?:(?:held|took place|taking place|se celebr[óo]|se realiz[óo]|se llev[óo] a cabo"
    r"|celebrad[oa]|realizad[oa])"
    r"(?:\s+[\w–-]+){0,3}?\s+)?"
    r"(?:in|at|en)\s+(?:the\s+|la\s+|el\s+)?"
)
#: A call's verb, whose object is the one called ("called", "phoned", "llamó").
_CALLED = re.compile(r"(?i:called|(?:tele)?phoned|llam[óo])")
#: A visit's verb, whose object is the place visited.
_VISITED = re.compile(r"(?i:visit(?:ed|s|ing)?|toured|visit[óo]|visitaron|recorri[óo])")
_ACTORS = {Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION}
#: An event word that is a verb whose subject took part: a visit ("X visited"), whose
#: subject is the visitor, or a meeting between people ("X met with Y").
_SUBJECT_VERB = re.compile(
    r"(?P<visit>visit(?:s|ed)|travel(?:s|ed|led)|tour(?:s|ed)|visit[óo]|viaj[óo]|visitaron"
    r"|viajaron|recorri(?:ó|eron))"
    r"|(?P<meet>me(?:et|ets|t)|reuni[óo]|reunieron|reunir(?:án|an|emos))"
    # a call's caller ("Biden called the president of Mexico", "X spoke by phone with")
    r"|(?P<call>(?:spoke|speaks|talked|talks)\s+(?:by|on\s+the)\s+(?:tele)?phone"
    r"|(?:tele)?phoned|called|(?:habl[óo]|convers[óo])\s+por\s+tel[ée]fono|llam[óo])"
    # a leg of a journey (the "arrival" and "travel" categories' words)
    r"|(?P<leg>arriv(?:es|ed)\s+(?:in|at)|lleg(?:ó|a|aron|an)\s+a|depart(?:s|ed)\s+for"
    r"|part(?:ió|e|ieron)\s+(?:hacia|rumbo a))",
    re.I,
)
#: Words that name what an office is for ("Minister of Public Security", "ministro de
#: Gobernación"): the holder's name starts after the last of them.
#: A verb after "hosted by" that starts another predicate in the same sentence.
_OTHER_VERB = re.compile(
    r"\b(?:was|were|is|are|fue|fueron)\s+\w+|\b(?:attended|joined|contó|participa)", re.I
)
#: What may stand between a subject and its verb: an apposition's comma, an adverb, "se".
_SUBJECT_GAP = re.compile(
    r"[\s,]*(?:(?:also|recently|then|later|first|finally|had|has|have|will|se|también)\s+)*",
    re.I,
)


def fits(relation: str, subject: Kind, obj: Kind) -> bool:
    spec = RELATION_TYPES[relation]
    return subject in spec.subjects and obj in spec.objects


def _between(text: str, a: Mentioned, b: Mentioned) -> str:
    lo, hi = (a, b) if a.start <= b.start else (b, a)
    return text[lo.end : hi.start]


def facts_in(
    text: str,
    sentence: tuple[int, int],
    mentioned: Sequence[Mentioned],
    reported_event: Mentioned | None,
) -> list[FactCandidate]:
    """Candidate facts between the entities named in one sentence."""
    s_start, s_end = sentence
    sent = text[s_start:s_end]
    out: list[FactCandidate] = []
    # one per span: a new name can be both a candidate and a match of the local index
    items = list({(m.start, m.end, m.entity): m for m in mentioned}.values())
    events = [m for m in items if m.kind is Kind.EVENT]
    if reported_event is not None and all(e.entity != reported_event.entity for e in events):
        events.append(reported_event)

    def add(
        rel: str,
        subj: Mentioned,
        obj: Mentioned,
        stated: bool,
        note: str | None,
        weight: float,
        role: str | None = None,
        title: str | None = None,
    ) -> None:
        if subj.entity == obj.entity or not fits(rel, subj.kind, obj.kind):
            return
        confidence = round(weight * min(subj.score, obj.score), 3)
        span = (min(subj.start, obj.start), max(subj.end, obj.end))
        out.append(
            FactCandidate(rel, subj.entity, obj.entity, stated, note, confidence, span, role, title)
        )

    actors = [m for m in items if m.kind in _ACTORS and not m.qualifier]

    def cued(relation: str, actor: Mentioned, target: Mentioned) -> bool:
        """Whether the verb of ``relation`` between ``actor`` and ``target`` has the actor
        for its subject: no other actor stands between them, unless joined to it ("the
        United States and Mexico hosted"); and an announcement is not of what its clause
        names ("X announced that Guatemala will host the meeting")."""
        cue = _CUES[relation].search(text, actor.end, target.start)
        if cue is None:
            return False
        if relation == "ANNOUNCED" and re.search(
            r"\b(?:that|que)\b", text[cue.end() : target.start]
        ):
            return False
        # "A, B, and C, in partnership with D, co-hosted": D is no subject, and the phrase
        # stands between the subjects as a comma would
        aside = [(m.start(), m.end()) for m in _PARTNER.finditer(text, actor.end, cue.start())]
        last = actor
        for other in sorted(actors, key=lambda m: m.start):
            if (
                actor.end <= other.start
                and other.end <= cue.start()
                and other.entity != actor.entity
                and not any(s <= other.start and other.end <= e for s, e in aside)
            ):
                if not _JOINED.fullmatch(_without(text, last.end, other.start, aside)):
                    return False
                last = other
        return True

    for event in events:
        partners = {(m.start, m.entity) for m in partners_of(text, s_start, event.start, actors)}
        subjects = {(m.start, m.entity) for m in subjects_before(text, event.start, actors)}
        held = _held_by(text, s_start, event, actors)
        called = {}
        if _CALLED.fullmatch(text, event.start, event.end):
            after = [m for m in actors if m.kind is Kind.PERSON and m.start >= event.end]
            first = min(after, key=lambda m: m.start, default=None)
            if first is not None and not re.search(r"[.;:]", text[event.end : first.start]):
                called[event.start] = (first.start, first.entity)
        for actor in actors:
            window = _between(text, actor, event)
            before = actor.end <= event.start
            if (actor.start, actor.entity) in held:
                # "Mexico and Guatemala held talks", "sostuvieron una reunión": they met
                add("ATTENDED", actor, event, True, None, 0.7)
                continue
            if before and (actor.start, actor.entity) in partners:
                # "..., in partnership with the UN, co-hosted a roundtable": a partner of
                # its hosts, in the dataset's words
                if _CUES["HOSTED"].search(window) or _CUES["ORGANIZED"].search(window):
                    add("RELATED_TO", actor, event, True, None, 0.5, role="partner")
                continue
            hosted_by = (
                not before
                and (
                    _hosted_by(window)
                    # "the Summit of the Americas, which the United States will host"
                    # (or "that President Biden will be hosting": a title may stand between)
                    or (
                        re.fullmatch(
                            r"[\s,]*(?:which|that|que)\s+(?:the\s+|el\s+|la\s+)?"
                            r"(?:[A-Z][\w.-]*\s+){0,2}",
                            window,
                        )
                        and re.match(
                            r"\s+(?:will\s+(?:be\s+)?|is\s+|was\s+|has\s+)?(?:co-?)?host",
                            text[actor.end : actor.end + 30],
                        )
                    )
                )
            )
            if (before and cued("HOSTED", actor, event)) or hosted_by:
                add(
                    "HOSTED",
                    actor,
                    event,
                    True,
                    None,
                    0.8,
                    role="co-host" if "co-host" in window.lower() else "host",
                )
            elif not before and (
                # (not what someone said: "a press conference with X, Miller said Canada")
                (
                    re.search(r"\b(?:with|between|among|and|con|entre)\b", window)
                    and len(window) < 80
                    and not _SPEECH.search(window)
                )
                # "an event ..., involving participants from El Salvador, Honduras, and Panama"
                or _listed_after(window, _PARTICIPANTS)
            ):
                add("ATTENDED", actor, event, True, None, 0.65)
            elif (
                before
                and (
                    _SUBJECT_GAP.fullmatch(window)
                    # "The United States, Mexico and Guatemala met": the whole list
                    or (actor.start, actor.entity) in subjects
                )
                and (verb := _SUBJECT_VERB.fullmatch(text, event.start, event.end))
            ):
                # "Ana Ruiz visited ...": the visit's visitor; "Ana Ruiz met with ...", "Ana
                # Ruiz, se reunió con ...": the meeting's subject took part as the one met did
                role = "visitor" if verb.lastgroup == "visit" else None
                add("ATTENDED", actor, event, True, None, 0.7, role=role)
            elif (
                not before
                and actor.kind is Kind.PERSON
                and _CALLED.fullmatch(text, event.start, event.end)
                and (actor.start, actor.entity) == called.get(event.start)
            ):
                # "Biden called the president of Mexico, Andrés Manuel López Obrador": the
                # one called took part in the call
                add("ATTENDED", actor, event, True, None, 0.65)
            elif _CUES["ORGANIZED"].search(window) or (
                # "the press conference called by Erika Mouynes": its convener
                not before
                and re.match(r"\s*(?:\S+\s+){0,2}?(?:called by|convocad[oa] por)\s", window)
            ):
                add("ORGANIZED", actor, event, True, None, 0.75)
            elif _CUES["ATTENDED"].search(window):
                add("ATTENDED", actor, event, True, None, 0.7)
            elif actor.kind is Kind.PERSON and actor.start < event.start:
                add(
                    "ATTENDED",
                    actor,
                    event,
                    False,
                    "named in a sentence about the event; the text does not say it took part",
                    0.45,
                )
            if before and cued("ANNOUNCED", actor, event):
                add("ANNOUNCED", actor, event, True, None, 0.7)
            if _CUES["FUNDED"].search(window) and actor.start < event.start:
                add("FUNDED", actor, event, True, None, 0.6)
        for place in (m for m in items if m.kind in (Kind.PLACE, Kind.COUNTRY)):
            if event is reported_event or place.start < event.start:
                gap = text[event.end : place.start] if event.end <= place.start else None
                if gap is not None and re.fullmatch(
                    _HELD_IN_GAP,
                    gap,
                ):
                    add("HELD_IN", event, place, True, None, 0.75)
                elif (
                    gap is not None
                    and _VISITED.fullmatch(text[event.start : event.end])
                    and re.fullmatch(r"\s+(?:the\s+|el\s+|la\s+)?", gap)
                    # not the start of a longer name ("visited the Panama Canal")
                    and not re.match(r"\s+[A-Z]", text[place.end :])
                ):
                    # "had visited Dangriga", "visitó Tapachula": the place visited
                    add("HELD_IN", event, place, True, None, 0.7)
                elif (
                    place.end <= event.start
                    and re.search(r"\b(?:in|en)\s+(?:the\s+)?$", text[s_start : place.start])
                    and re.fullmatch(
                        r"\s*,?\s*(?:(?:on|this|last|next|el|este)\s+\w+\s+)?(?:for|para)\s+"
                        r"(?:the\s+|an?\s+|el\s+|la\s+|una?\s+)?(?:next\s+)?(?:[\w-]+\s+){0,2}",
                        text[place.end : event.start],
                    )
                ):
                    # "we will meet again in Los Angeles for the Summit of the Americas"
                    add("HELD_IN", event, place, True, None, 0.7)
                elif (
                    event is reported_event
                    and event.end <= place.start
                    and place.start - event.end < 60
                    # (the event's own words may end with it: "arrives in", "llegó a")
                    and re.search(
                        r"\b(?:in|at|en|to|a)\s+(?:the\s+)?$", text[event.start : place.start]
                    )
                    and not re.search(r"[,;:.]", text[event.end : place.start])
                ):
                    add(
                        "HELD_IN",
                        event,
                        place,
                        False,
                        "the place right after the sentence's event word",
                        0.5,
                    )
                continue
            gap = text[event.end : place.start]
            if re.fullmatch(
                _HELD_IN_GAP,
                gap,
            ):
                add("HELD_IN", event, place, True, None, 0.75)
        for other in events:
            if other is event or other.start <= event.end:
                continue
            gap = text[event.end : other.start]
            if _CUES["PART_OF"].search(gap) and len(gap) < 60:
                add("PART_OF", event, other, True, None, 0.6)

    for agreement in (m for m in items if m.kind is Kind.AGREEMENT):
        for actor in (m for m in items if m.kind in _ACTORS):
            window = (
                _between(text, actor, agreement)
                if actor.start < agreement.start
                else _signer_after(text, agreement, actor)
            )
            # a person signs; a country or organization that signs is a party (the dataset's rule)
            if actor.kind is Kind.PERSON and _CUES["SIGNED"].search(window):
                add("SIGNED", actor, agreement, True, None, 0.75)
            # (not the body whose official signs: "the Embassy's Chargé d'Affaires X")
            whose = actor.qualifier and actor.kind is Kind.ORGANIZATION
            if actor.kind is not Kind.PERSON and not whose and _CUES["PARTY_TO"].search(window):
                add("PARTY_TO", actor, agreement, True, None, 0.7)
            if actor.end <= agreement.start and cued("ANNOUNCED", actor, agreement):
                add("ANNOUNCED", actor, agreement, True, None, 0.65)
        for event in events:
            adopted = re.search(r"\badopt|\bsigned at\b|\bresult", sent, re.I)
            # "met in Lima on Wednesday and signed the Lima Joint Statement": signed there
            and_signed = event.end <= agreement.start and _AND_SIGNED.match(
                text, event.end, agreement.start
            )
            if adopted or and_signed or _signed_at(text, s_start, agreement, event):
                add("ADOPTED_AT", agreement, event, True, None, 0.55)

    people = [m for m in items if m.kind is Kind.PERSON]
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if _CUES["MET_WITH"].search(_between(text, a, b)):
                add("MET_WITH", a, b, True, None, 0.7)

    # "<funder> funded <organization>": the funder is the name right before the verb and
    # the organization the first one after it ("In Guatemala, the State Department funded
    # UNICEF to support ...": the State Department funded UNICEF)
    ordered = sorted(items, key=lambda m: m.start)
    for i, funder in enumerate(ordered):
        if funder.kind not in (Kind.COUNTRY, Kind.ORGANIZATION):
            continue
        following = ordered[i + 1 :]
        if not following:
            continue
        cue = _CUES["FUNDED"].search(text[funder.end : following[0].start])
        org = following[0]
        if cue and org.kind is Kind.ORGANIZATION and cue.start() < 40:
            add("FUNDED", funder, org, True, None, 0.6)
    # "The State Department provided $20 million to UNHCR", "the IDB approved a $100 million
    # loan to the ministry", "donó 5 millones de dólares a la OIM": money given to a body
    for i, funder in enumerate(ordered):
        if funder.kind not in (Kind.COUNTRY, Kind.ORGANIZATION) or funder.qualifier:
            continue
        adverbs = _TO_VERB.match(text, funder.end, s_end)
        money = _MONEY_TO.match(text, adverbs.end() if adverbs else funder.end, s_end)
        if money is None:
            continue
        after = [m for m in ordered[i + 1 :] if m.start >= money.end()]
        if after and after[0].start == money.end() and after[0].kind is Kind.ORGANIZATION:
            add("FUNDED", funder, after[0], True, None, 0.6)
    # "... the Reception Center in Quetzaltenango, with funding from USAID", "financiado por
    # la OIM": the funder after the cue funded what the clause named last before it
    for i, funder in enumerate(ordered):
        if funder.kind not in (Kind.COUNTRY, Kind.ORGANIZATION) or i == 0:
            continue
        cue = _FUNDED_BY.search(text, max(s_start, funder.start - 40), funder.start)
        if cue is None:
            continue
        funded = [
            m
            for m in ordered[:i]
            if m.kind in (Kind.ORGANIZATION, Kind.EVENT, Kind.AGREEMENT)
            and m.end <= cue.start()
            and not re.search(r"[.;:]", text[m.end : cue.start()])
        ]
        if funded:
            add("FUNDED", funder, funded[-1], True, None, 0.6)

    out.extend(supports(text, sentence, items))
    out.extend(_positions(text, sentence, items))
    out.extend(affiliations(text, items))
    out.extend(belongings(text, items))
    out.extend(_locations(text, items))
    out.extend(region_members(text, items))
    out.extend(works_in(text, sentence, items))
    return _dedupe(out)


#: After a region's name, what introduces the countries it is made of: "the so-called
#: Northern Triangle countries, in El Salvador, ...", "Central America (Guatemala, ...)",
#: "los países del Triángulo Norte: El Salvador, ...".
_MEMBERS_INTRO = re.compile(
    r"\s+(?:countries|nations|states)"
    r"(?:,?\s+(?:in|of|namely|such\s+as|including)\s+|\s*[:(]\s*|\s+[–—-]\s+|,\s+)"
    r"|\s+\(\s*"
)


def region_members(text: str, items: Sequence[Mentioned]) -> list[FactCandidate]:
    """A region named right before a list of two countries or more is made of them
    (RELATED_TO, role "comprises", STATED): "the so-called Northern Triangle countries, in
    El Salvador, Honduras, and Guatemala", "Triángulo Norte (El Salvador, Honduras y
    Guatemala)"; not a list the place only begins ("from Washington, Mexico and Panama"),
    nor one that goes on with other kinds of names."""
    out = []
    ordered = sorted(items, key=lambda m: m.start)
    for k, region in enumerate(ordered[:-2]):
        if region.kind is not Kind.PLACE:
            continue
        first = ordered[k + 1]
        intro = _MEMBERS_INTRO.match(text, region.end)
        if first.kind is not Kind.COUNTRY or intro is None or intro.end() != first.start:
            continue
        members = [first]
        for nxt in ordered[k + 2 :]:
            if not _LIST_GAP.fullmatch(text[members[-1].end : nxt.start]):
                break
            if nxt.kind is not Kind.COUNTRY:
                members = []
                break
            members.append(nxt)
        if len(members) < 2:
            continue
        closes = "(" not in intro.group() or text.startswith(")", members[-1].end)
        if not closes:
            continue
        for member in members:
            span = (region.start, member.end)
            confidence = round(0.6 * min(region.score, member.score), 3)
            out.append(
                FactCandidate(
                    "RELATED_TO", region.entity, member.entity, True, None, confidence, span,
                    role="comprises",
                )
            )  # fmt: skip
    return out


def _listed_after(window: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``window`` (from an event to an actor) has ``pattern`` and then only a short
    list of names before the actor ("involving participants from El Salvador, ")."""
    found = next(reversed(list(pattern.finditer(window))), None)
    return (
        found is not None
        and len(window) - found.end() < 80
        and not re.search(r"[;:.!?]", window[found.end() :])
    )


#: What may stand between a verb's subject and the verb (the comma closing an apposition
#: too: "La secretaria ..., Alicia Bárcena, recibió"): an adverb or two, or an
#: apposition between commas ("Guatemala, the host, pledged").
_TO_VERB = re.compile(
    r"(?:\s*,[^,.;:]{1,80},|\s*,)?\s*(?:(?:has|have|had)\s+)?"
    r"(?:(?:also|recently|later|then|today|yesterday|already|"
    r"formally|officially|publicly|jointly|itself|himself|herself|también|ya|hoy|ayer)\s+)*"
    r"(?:has\s+|have\s+|had\s+|se\s+)?",
    re.I,
)
_AND = re.compile(r"\b(?:and|y|e)\b|&")


#: A partner set off by commas between a verb's subjects and the verb: ", in partnership
#: with the UN,", ", together with Mexico,", ", junto con la OIM,".
_PARTNER = re.compile(
    r",\s*(?:in partnership with|in cooperation with|together with|along with|junto con"
    r"|en (?:colaboración|alianza|asociación|coordinación) con)\s+[^,;.]{1,80},",
    re.I,
)


def _without(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` with the ``spans`` inside it cut down to the comma they stand for."""
    out, at = [], start
    for s, e in sorted(spans):
        if start <= s and e <= end:
            out.append(text[at:s] + ",")
            at = e
    return "".join(out) + text[at:end]


#: A verb of holding a meeting, right before its event words: "held talks", "have already
#: had another meeting", "sostuvieron una reunión".
_HELD_MEETING = re.compile(
    r"\b(?:held|hold|holds|had|sostuvieron|sostuvo|mantuvieron|mantuvo)\s+"
    r"(?:(?:a|an|the|another|new|their|una|un|otra|otro|nueva|nuevo|su)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_MEETING_WORD = re.compile(r"(?i:meetings?|talks|reuni[óo]n|reuniones|encuentro|conversaciones)")


def _held_by(
    text: str, start: int, event: Mentioned, actors: Sequence[Mentioned]
) -> set[tuple[int, str]]:
    """Who a sentence says held the meeting its event word names (the subjects of "held"
    or "had" right before it): each took part."""
    if not _MEETING_WORD.fullmatch(text, event.start, event.end):
        return set()
    verb = _HELD_MEETING.search(text, start, event.start)
    if verb is None:
        return set()
    return {(m.start, m.entity) for m in subjects_before(text, verb.start(), actors)}


def partners_of(text: str, start: int, end: int, actors: Sequence[Mentioned]) -> list[Mentioned]:
    """The actors a partner phrase between ``start`` and ``end`` names ("in partnership
    with the UN"): partners of the verb's subjects, not subjects."""
    spans = [(m.start(), m.end()) for m in _PARTNER.finditer(text, start, end)]
    return [m for m in actors if any(s <= m.start and m.end <= e for s, e in spans)]


#: Between two titled people who are one verb's subjects: ", y el secretario de Estado de
#: Estados Unidos, " (the second one's title, set off by commas).
_TITLED_PAIR = re.compile(
    r",\s+(?:and|y|e)\s+(?:the|el|la|his|her|su)\s+[a-záéíóúñ][^,.;:()]{0,70},\s*"
    # "Marc Miller and Mexico's Labor Secretary Marath Bolaños launched": a title in capitals
    r"|\s+(?:and|y|e)\s+(?:the\s+)?(?-i:(?:(?:[A-ZÁÉÍÓÚÑ][\w.’'-]*|of|de|for)\s+){1,7})",
    re.I,
)


def subjects_before(text: str, verb_start: int, actors: Sequence[Mentioned]) -> list[Mentioned]:
    """The subjects of the verb at ``verb_start``: the actor right before it (an adverb or
    an apposition between) and those a list joins to it ("Panama and the United States
    announced"), or none."""
    before = sorted((m for m in actors if m.end <= verb_start), key=lambda m: m.end)
    if not before or not _TO_VERB.fullmatch(text[before[-1].end : verb_start]):
        return []
    out = [before[-1]]
    if out[0].kind is Kind.PERSON:
        # "El canciller de Costa Rica, Arnoldo André, y el secretario de Estado de Estados
        # Unidos, Antony Blinken, firmaron": two people, each after their title
        people = [m for m in before[:-1] if m.kind is Kind.PERSON]
        if people and _TITLED_PAIR.fullmatch(text[people[-1].end : out[0].start]):
            return [people[-1], out[0]]
    for other in reversed(before[:-1]):
        gap = text[other.end : out[-1].start]
        # a list ends on its conjunction: "A, B and C announced", not "With A, B announced"
        if not _JOINED.fullmatch(gap) or (len(out) == 1 and not _AND.search(gap)):
            break
        out.append(other)
    return out[::-1]


#: A verb of support or cooperation whose subject and object the dataset links RELATED_TO,
#: the verb its role: "USAID supported the Ministry of Labor", "DHS is supporting
#: Operation Scorpion", "colaboró con la OIM".
_SUPPORT_VERB = re.compile(
    r"(?:(?:is|are|was|were|has\s+been|have\s+been)\s+)?"
    r"(?P<verb>support(?:ed|s|ing)?|facilitat(?:ed|es|ing)|assist(?:ed|s|ing)|mentor(?:ed|s|ing)"
    r"|train(?:ed|s|ing)|(?:collaborat|cooperat)(?:ed|es|ing)\s+with|partner(?:ed|s|ing)\s+with"
    r"|work(?:ed|s|ing)\s+(?:closely\s+)?with|apoy(?:ó|a|an|aron|ando)|respald(?:ó|a|an|aron)"
    r"|colabor(?:ó|a|an|aron)\s+con|coopera(?:ron|n)?\s+con|cooper[óo]\s+con|capacit(?:ó|a|aron))"
    r"\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+|a\s+la\s+|al\s+|a\s+)?",
    re.I,
)
#: What may follow a supported entity: the clause goes on ("to", "through", "in", a
#: comma), not a noun the name qualifies ("supported the UNHCR launch of ...").
_SUPPORTED_END = re.compile(
    r"\s*(?:$|[,;:.)]|(?:to|through|in|on|with|by|for|as|and|or|across|at|via|para|en|con|y|o"
    r"|mediante|a\s+trav[ée]s)\b)",
    re.I,
)
#: A supported entity's purpose: "supported IOM to expand its Migration Information
#: Portal": what was supported is what the purpose names.
_PURPOSE = re.compile(r"\s+(?:to|para)\s+[a-z]\w*\s+(?:\w+\s+){0,3}?", re.I)


def supports(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> list[FactCandidate]:
    """``<actor> supported <entity>[, <entity> and <entity>]`` and ``the <actor>-supported
    <entity>``: the actor is RELATED_TO each entity, the verb its role (STATED). The
    subject is the actor right before the verb (an adverb or an auxiliary between); the
    objects are the name right after it and those a list joins to it; an object followed
    by its purpose ("supported IOM to expand its Portal") gives way to the purpose's name."""
    s_end = sentence[1]
    ordered = sorted(items, key=lambda m: m.start)
    out: list[FactCandidate] = []

    def relate(subject: Mentioned, obj: Mentioned, role: str) -> None:
        # "the State Department-funded ...": a funder (the dataset's FUNDED), else a link
        relation = "FUNDED" if role in ("funded", "financed") else "RELATED_TO"
        if subject.entity != obj.entity and fits(relation, subject.kind, obj.kind):
            span = (min(subject.start, obj.start), max(subject.end, obj.end))
            fact = _placed_fact(relation, subject, obj, span)
            fact.role = role if relation == "RELATED_TO" else None
            fact.confidence = round(fact.confidence * 0.85, 3)
            out.append(fact)

    for k, subject in enumerate(ordered):
        if subject.kind not in _ACTORS or subject.qualifier:
            continue
        # "The USAID-supported Reception Center": a compound before the name
        compound = re.match(
            r"-(supported|funded|backed|financed|apoyad[oa])\s+(?:[a-z]\w*\s+)?",
            text[subject.end : s_end],
        )
        if compound and k + 1 < len(ordered):
            obj = ordered[k + 1]
            if obj.start == subject.end + compound.end() and obj.kind is not Kind.PLACE:
                relate(subject, obj, compound.group(1).lower())
            continue
        at = subject.end
        if acronym := re.match(r"\s*\([^()]{1,12}\)", text[at:s_end]):
            at += acronym.end()  # "the U.S. Agency for International Development (USAID)"
        gap = _TO_VERB.match(text, at, s_end)
        verb = _SUPPORT_VERB.match(text, gap.end() if gap else at, s_end)
        if verb is None:
            continue
        role = re.sub(r"\s+", " ", verb.group("verb")).lower()
        listed: list[Mentioned] = []
        at = verb.end()
        for obj in ordered[k + 1 :]:
            if obj.start < at:
                continue
            if obj.start != at or not _SUPPORTED_END.match(text, obj.end, s_end):
                break
            listed.append(obj)
            joined = _LIST_GAP.match(text, obj.end, s_end)
            if joined is None:
                break
            article = re.match(r"(?:the|el|la|los|las)\s+", text[joined.end() : s_end], re.I)
            at = joined.end() + (article.end() if article else 0)
        if len(listed) == 1 and (purpose := _PURPOSE.match(text, listed[0].end, s_end)):
            # "supported IOM to expand its Migration Information Portal"
            target = next((m for m in ordered if m.start >= purpose.start()), None)
            if (
                target is not None
                and not re.search(r"[,;:.]", text[purpose.start() : target.start])
                and target.start - purpose.end() <= 12
            ):
                listed = [target]
        for obj in listed:
            relate(subject, obj, role)
    return out


#: After a body's name, what it does: an auxiliary or a word in lower case (a verb, or the
#: staff it sends: "DHS mentors"), not a preposition or an article ("the Embassy in").
_BODY_DOES = re.compile(
    r"\s+(?:\([^()]{1,12}\)\s+)?(?!(?:in|en|of|de|del|and|y|or|o|the|el|la|to|for|at|a)\b)"
    r"(?P<verb>(?:(?:is|are|was|were|has|have|had|also|now)\s+)*[a-z]\w*"
    r"(?:\s+(?:up|out|off|down|back)\b)?)"
)
#: Where a clause ends: a comma, a stop, a bracket, a quotation mark.
_CLAUSE_END = re.compile(r"[,;:()“”\"]|\.(?!\w)")
#: "in" before a place: "in Ecuador", "in the Darién", "en El Salvador".
_IN = re.compile(r"\b(?:in|en)\s+(?:the\s+|el\s+|la\s+)?")


#: A country's government after its name: "the United States Government", "U.S. Government".
_GOVERNMENT_AFTER = re.compile(r"\s+(?:[Gg]overnment|[Gg]obierno)\b")
#: A preposition right before a name: the name is no clause's subject.
_GOVERNED = re.compile(
    r"\b(?:with|of|to|by|for|from|through|via|con|de|del|por|para|a|al)\s+"
    r"(?:the\s+|el\s+|la\s+|los\s+|las\s+)?$",
    re.I,
)


def works_in(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> list[FactCandidate]:
    """A body that does something in places: ``<body>[ and <body>] <verb> ... in <place>[,
    <place> and <place>]`` ("DHS mentors in Monterrey, Guadalajara, and Tijuana", "USDA
    increased its commitment ... by extending two of its existing programs in Guatemala and
    Honduras", "The Inter-American Development Bank is boosting ... in migrant host cities
    in Ecuador"): the body is RELATED_TO each place of the clause's first list of places,
    its verb the role
    (STATED: the curators' record of where a body works). Not where another actor stands
    between the body and the places (what that one does there is its own)."""
    s_end = sentence[1]
    ordered = sorted(items, key=lambda m: m.start)
    out: list[FactCandidate] = []
    for k, body in enumerate(ordered):
        # a country acts through its government: "The United States Government has set up"
        government = _GOVERNMENT_AFTER.match(text, body.end, s_end)
        if body.qualifier or not (
            body.kind is Kind.ORGANIZATION or (body.kind is Kind.COUNTRY and government)
        ):
            continue
        subjects, last = [body], body
        for nxt in ordered[k + 1 :]:
            if nxt.kind is Kind.ORGANIZATION and _LIST_GAP.fullmatch(text[last.end : nxt.start]):
                subjects.append(nxt)
                last = nxt
                continue
            break
        if k and _LIST_GAP.fullmatch(text[ordered[k - 1].end : body.start]):
            continue  # a later member of a list of subjects, done with the first
        if _GOVERNED.search(text, max(sentence[0], body.start - 12), body.start):
            continue  # "the Department of Justice with DHS", "the memo of the White House"
        end = government.end() if government and last is body else last.end
        does = _BODY_DOES.match(text, end, s_end)
        if does is None:
            continue
        clause = _CLAUSE_END.search(text, does.end(), min(s_end, does.end() + 160))
        clause_end = clause.start() if clause else min(s_end, does.end() + 160)
        starts = {m.start: m for m in ordered if m.kind in (Kind.PLACE, Kind.COUNTRY)}
        where = next(
            (w for w in _IN.finditer(text, does.end(), clause_end) if w.end() in starts), None
        )
        if where is None or [m for m in ordered if last.end <= m.start < where.end()]:
            continue
        places: list[Mentioned] = []
        at = where.end()
        for place in (m for m in ordered if m.start >= at):
            if place.start != at or place.kind not in (Kind.PLACE, Kind.COUNTRY):
                break
            places.append(place)
            joined = _LIST_GAP.match(text, place.end, s_end)
            if joined is None:
                break
            at = joined.end()
        role = re.sub(r"\s+", " ", does.group("verb"))
        for subject in subjects:
            for place in places:
                fact = _placed_fact("RELATED_TO", subject, place, (subject.start, place.end))
                fact.role = role
                fact.confidence = round(fact.confidence * 0.8, 3)
                out.append(fact)
    return out


#: After an event, who took part in it: "involving participants from", "with delegations
#: of", "attended by", "con la participación de".
_PARTICIPANTS = re.compile(
    r"\b(?:involving|including|attended by|participants? (?:from|of)|delegations? (?:from|of)"
    r"|representatives? (?:from|of)|participaci[óo]n de|participantes de|delegaciones de)\b",
    re.I,
)
#: Between actors joined as one subject: "the United States, Mexico and Guatemala", "the
#: International Organization for Migration (IOM) and UNHCR".
_JOINED = re.compile(
    r"\s*\)?\s*(?:\([A-Z][\w.]*\)\s*)?(?:,\s*)?(?:(?:and|y|e|&)\s+)?(?:the\s+|el\s+|la\s+)?"
)


_TITLE_RUN = re.compile(
    r"^\s*['’]?s?\s*((?:[A-Z][\w-]+\s+){0,3}"
    r"(?:President|Minister|Secretary|Ambassador|Director|Administrator|Chancellor|Governor|Commissioner|Envoy|Advisor|Adviser|Canciller|Presidente|Ministro|Ministra|Secretario|Secretaria"
    rf"|{_ROLES})"
    r"(?:\s+(?:of|for|de)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and\s+)?[A-Z][\w’'-]*)*)?)\s*,?\s*$"
)


_TITLE_OF = re.compile(
    r"\b((?:(?:Foreign|Deputy|Vice|Assistant|Under|Prime|Acting|Special|Chief)\s+)*"
    r"(?:President|Minister|Secretary|Ambassador|Director|Chancellor|Governor|Commissioner"
    r"|Presidente|Ministro|Ministra|Secretario|Secretaria|Canciller)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and\s+)?[A-Z][\w’'-]*)*)?)"
    r"\s+(?:of|de)\s+(?:the\s+)?$",
    re.I,
)


#: Titles whose office is a ministry or department (the dataset's rule), not the country.
_MINISTERIAL = re.compile(
    r"^(?!.*\bprime\b).*\b(?:minister|secretary|ministro|ministra|secretario|secretaria"
    r"|canciller)\b",
    re.I,
)


def _positions(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> list[FactCandidate]:
    """``<Country or organization>['s] <Title> <Person>`` and ``<Title> of <Country>,
    <Person>``: the person holds that office."""
    out = []
    ordered = sorted(items, key=lambda m: m.start)
    for i, holder in enumerate(ordered):
        if holder.kind not in (Kind.COUNTRY, Kind.ORGANIZATION):
            continue
        for person in ordered[i + 1 : i + 2]:
            if person.kind is not Kind.PERSON:
                continue
            match = _TITLE_RUN.match(text[holder.end : person.start])
            # "the Foreign Minister of Guatemala, Carlos Martínez"
            title_of = _TITLE_OF.search(text[max(sentence[0], holder.start - 80) : holder.start])
            if match or (title_of and re.fullmatch(r"\s*,\s*", text[holder.end : person.start])):
                title = match.group(1) if match else title_of.group(1) if title_of else None
                if holder.kind is Kind.COUNTRY and title and _MINISTERIAL.search(title):
                    continue  # a minister's office is the ministry's, not the country's
                out.append(
                    _placed_fact(
                        "HOLDS_POSITION", person, holder, (holder.start, person.end), title
                    )
                )
    return out


_AFFILIATION_GAP = re.compile(r"\s+(?:of|from|de|del)\s+(?:the\s+|la\s+|el\s+)?")


def affiliations(text: str, items: Sequence[Mentioned]) -> list[FactCandidate]:
    """``<Person> of|from <Organization>``: the person works for it ("Priscilla Alvarez of
    CNN", "Ana Ruiz of the International Organization for Migration"); ``<Title> of the
    <Organization> <Person>``: the person holds the title there ("Administrator of the
    Panama Canal Authority Ricaurte Vasquez")."""
    out = []
    ordered = sorted(items, key=lambda m: m.start)
    # (not a name inside another: "Guatemalteco" in "Instituto Guatemalteco de Migración")
    outer = [
        m
        for m in ordered
        if not any(o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start
                   for o in ordered)
    ]  # fmt: skip
    for body, person in itertools.pairwise(outer):
        if body.kind is not Kind.ORGANIZATION or person.kind is not Kind.PERSON:
            continue
        title = TITLE_OF_BODY.search(text, max(0, body.start - 40), body.start)
        if title is not None and text[body.end : person.start] == " ":
            fact = _placed_fact("HOLDS_POSITION", person, body, (title.start(), person.end))
            fact.title = title.group("title")
            out.append(fact)
    for person, body in itertools.pairwise(ordered):
        if person.kind is not Kind.PERSON or body.kind is not Kind.ORGANIZATION:
            continue
        gap = text[person.end : body.start]
        if _AFFILIATION_GAP.fullmatch(gap) or (
            # "Luis Felipe Rojas, VOA journalist"
            gap == ", " and re.match(rf"\s+{_ROLES}\b", text[body.end : body.end + 40])
        ):
            fact = _placed_fact("HOLDS_POSITION", person, body, (person.start, body.end))
            fact.extra["how"] = "affiliation"
            out.append(fact)
    return out


#: Thanks to those named, then what they are thanked for: hosting ("Our gratitude to
#: President Cortizo, Ministers Mouynes and Pino for convening, hosting, and welcoming
#: us"), not only welcoming ("for welcoming us to this beautiful country").
_THANKS = re.compile(
    r"\b(?:thank(?:s|ing)?(?:\s+(?:you|to))?|(?:gratitude|grateful|appreciation)\s+to"
    r"|agradec\w*(?:\s+a)?|gracias(?:\s+a)?)\b",
    re.I,
)
_FOR_HOSTING = re.compile(
    r",?\s*(?:so\s+much\s+|very\s+much\s+)?(?:for|por)\s+(?:(?:so\s+)?\w+ly\s+)?"
    r"(?:(?:co-?)?host(?:ing)?|conven(?:ing)?|organi[sz]ing|bringing\s+(?:all\s+of\s+)?us"
    r"(?:\s+all)?\s+together|acoger(?:nos)?|organizar|convocar(?:nos)?|reunirnos"
    r"|ser\s+(?:los\s+|las\s+)?anfitrion(?:es|as)?|ser\s+anfitri[óo]na?)\b",
    re.I,
)


#: Those who joined the speakers, then the list: "they joined us here as well,
#: including", "we meet representatives from key organizations, including", "nos
#: acompañan ..., entre ellos".
_JOINED_US = re.compile(
    r"\b(?:joined\s+us|(?:are|were)\s+(?:here\s+)?with\s+us|(?:meet|see|welcome)\s+"
    r"representatives\s+(?:from|of)|nos\s+acompaña(?:n|ron)?|se\s+unieron\s+a\s+nosotros)"
    r"[^.;:]{0,80}?,?\s+(?:including|among\s+them|such\s+as|entre\s+ell[oa]s|incluid[oa]s)\s+",
    re.I,
)


def joined_list(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> list[Mentioned]:
    """The bodies (and countries) a sentence lists as having joined its speakers: the
    names right after "joined us ..., including", one after another in a list."""
    s_start, s_end = sentence
    cue = _JOINED_US.search(text, s_start, s_end)
    if cue is None:
        return []
    return _listed_from(text, cue.end(), items)


#: A sentence that speaks of who joined without listing them: "the international
#: organizations that joined us here in Panama", "los países que nos acompañaron".
_JOINED_GROUP = re.compile(
    r"\b(?:organi[sz]ations|partners|countries|delegations|representatives|institutions"
    r"|bodies|organismos|organizaciones|países|delegaciones|instituciones)\s+"
    r"(?:that|who|which|que)\s+(?:have\s+|had\s+)?(?:joined\s+us|nos\s+acompaña(?:n|ron))",
    re.I,
)
#: What opens a list set off in the next sentence: a dash or a colon.
_LIST_OPENS = re.compile(r"\s*[–—:]\s*(?:the\s+|el\s+|la\s+|los\s+|las\s+)?", re.I)


def joined_group(sentence: str) -> bool:
    """Whether a sentence speaks of a group that joined the speakers and lists none of
    them ("I also want to mention the international organizations that joined us here in
    Panama."): the next sentence's list set off by a dash may be theirs."""
    return _JOINED_GROUP.search(sentence) is not None and _JOINED_US.search(sentence) is None


def group_listed(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> list[Mentioned]:
    """The bodies a sentence lists after a dash or a colon ("They are critical partners
    ... – the International Organization for Migration, ..., the World Bank –"): the
    members of the group the sentence before spoke of. Two at least."""
    s_start, s_end = sentence
    for opens in re.finditer(r"[–—:]", text[s_start:s_end]):
        at = _LIST_OPENS.match(text, s_start + opens.start(), s_end)
        if at is None:
            continue
        listed = _listed_from(text, at.end(), items)
        if len(listed) >= 2:
            return listed
    return []


def _listed_from(text: str, start: int, items: Sequence[Mentioned]) -> list[Mentioned]:
    """The actors named one after another in a list that begins at ``start`` (people are
    walked over, not kept)."""
    ordered = sorted(
        (m for m in items if m.start >= start and m.kind in _ACTORS), key=lambda m: m.start
    )
    out: list[Mentioned] = []
    at = start
    for m in ordered:
        gap = text[at : m.start]
        if out and not _LIST_GAP.fullmatch(re.sub(r"(?:the|el|la|los|las)\s+$", "", gap)):
            break
        if not out and not re.fullmatch(r"(?:the\s+|el\s+|la\s+|los\s+|las\s+)?", gap):
            break
        if m.kind is not Kind.PERSON:
            out.append(m)
        at = m.end
    return out


_LONG_AGO = re.compile(
    r"[^.;]{0,40}?\b(?:ago|last\s+(?:year|month|week)|earlier\s+this\s+year|hace|pasad[oa])\b",
    re.I,
)


def thanked_hosts(
    text: str, sentence: tuple[int, int], items: Sequence[Mentioned]
) -> tuple[list[Mentioned], int] | None:
    """Who a sentence thanks for hosting or convening: the actors named between the
    thanks and "for hosting" ("thank President Cortizo, ..., the people of Panama, for so
    generously hosting us"), or the one addressed right before the thanks ("Erika, thank
    you so much for bringing us all together"); with where the reason ends (an event
    named after it is what they hosted). None when the sentence thanks no one for that."""
    s_start, s_end = sentence
    actors = sorted((m for m in items if m.kind in _ACTORS), key=lambda m: m.start)
    for thanks in _THANKS.finditer(text, s_start, s_end):
        reason = _FOR_HOSTING.search(text, thanks.end(), s_end)
        if reason is None or re.search(r"[.;:!?]", text[thanks.end() : reason.start()]):
            continue
        if _LONG_AGO.match(text, reason.end(), s_end):
            continue  # "for bringing us together some months ago": another, earlier event
        named = [m for m in actors if thanks.end() <= m.start and m.end <= reason.start()]
        addressed = [
            m
            for m in actors
            if m.end <= thanks.start()
            and m.kind is Kind.PERSON
            and re.fullmatch(r",\s*", text[m.end : thanks.start()])
        ]
        if named or addressed:
            return named + addressed, reason.end()
    return None


#: A definite reference to an event by its kind ("the press conference", "this meeting",
#: "esta conferencia de prensa"), not another one ("the next meeting", "last week's").
THIS_REFERENCE = re.compile(
    r"\b(?:the|this|today['’]s|our|la|el|esta|este|nuestra|nuestro)\s+(?:(?:joint|present)\s+)?$",
    re.I,
)
#: After the reference, who called it: "called | convened | organized | hosted by X",
#: "convocada | organizada por X".
_CONVENED_BY = re.compile(
    r"\s*,?\s*(?:(?:that|which)\s+(?:was|has\s+been)\s+)?(?P<verb>called|convened|organi[sz]ed"
    r"|(?:co-?)?hosted|convocad[oa]|organizad[oa]|auspiciad[oa])\s+(?:by|por)\s+(?:the\s+|el\s+|la\s+)?",
    re.I,
)
#: After the reference, the gathering it followed: "after the ministerial on migration",
#: "following the summit", "tras la reunión ministerial".
_AFTER_GATHERING = re.compile(
    r"\b(?:after|following|at\s+the\s+(?:end|close)\s+of|tras|despu[ée]s\s+de|al\s+t[ée]rmino\s+de)"
    r"\s+(?:the|la|el)\s+",
    re.I,
)


def this_event(
    text: str, sentence: tuple[int, int], category: str, items: Sequence[Mentioned]
) -> tuple[int, Mentioned | None, str | None, int | None] | None:
    """In a transcript's turn of an event of ``category``, a definite reference to that
    kind of event is the event itself ("welcome to the press conference called by Erika
    Mouynes, ..., after the ministerial on migration"). Returns where the reference
    starts, who the words right after say called or hosted it with the relation
    ("ORGANIZED" or "HOSTED"), and where "after | following the ..." names the gathering
    it followed (the start of the gathering's word), or None when the sentence refers to
    no such event."""
    pattern = dict(CATEGORIES).get(category)
    if pattern is None:
        return None
    s_start, s_end = sentence
    for word in pattern.finditer(text, s_start, s_end):
        if not THIS_REFERENCE.search(text, max(s_start, word.start() - 24), word.start()):
            continue
        convener: Mentioned | None = None
        relation: str | None = None
        by = _CONVENED_BY.match(text, word.end(), s_end)
        if by is not None:
            convener = next((m for m in items if m.start == by.end() and m.kind in _ACTORS), None)
            hosted = "host" in by.group("verb").lower()
            relation = "HOSTED" if hosted else "ORGANIZED"
        after = _AFTER_GATHERING.search(text, word.end(), min(s_end, word.end() + 160))
        return word.start(), convener, relation, after.end() if after else None
    return None


#: Nouns that say a body is a part or a work of another, in apposition: "Operation
#: Scorpion, a border surge initiative of the Honduran National Police".
_PART_NOUNS = (
    r"initiative|program|programme|project|unit|division|office|agency|arm|branch|body|organ"
    r"|facility|operation|campaign|chapter|mission|subsidiary|affiliate|bureau|component"
    r"|iniciativa|programa|proyecto|unidad|divisi[óo]n|oficina|agencia|brazo|rama|[óo]rgano"
    r"|organismo|operaci[óo]n|campa[ñn]a|misi[óo]n|dependencia"
)
_APPOSED_PART = re.compile(
    rf",\s+(?:a|an|the|one|una?|el|la)\s+(?:[\w-]+\s+){{0,4}}?(?P<noun>{_PART_NOUNS})"
    r"\s+(?P<of>of|de|del)\s+(?:(?:the|el|la|los|las)\s+)?",
    re.I,
)
#: A body's own part after it: "The U.S. Department of Labor, through its Wage and Hour
#: Division", "a través de su Dirección de ...".
_THROUGH_ITS = re.compile(
    r",?\s+(?:through|via|by\s+way\s+of|a\s+trav[ée]s\s+de|mediante|por\s+medio\s+de)"
    r"\s+(?:its|su)\s+",
    re.I,
)


#: After an event word, the instrument its parties meet under: "the next ministerial
#: meeting of the Los Angeles Declaration", "la reunión ministerial de la Declaración".
_MEETING_OF = re.compile(
    r"(?:\s*[\w-]+){0,2}?\s*\b(?P<noun>ministerial|meetings?|summit|conference|forum|session"
    r"|dialogue|roundtable|reuni[óo]n|cumbre|conferencia|foro|di[áa]logo|sesi[óo]n)"
    r"\s+(?:of|de|del)\s+(?:(?:the|el|la)\s+)?",
    re.I,
)


def meeting_under(text: str, event: Mentioned, items: Sequence[Mentioned]) -> list[FactCandidate]:
    """``<event word> of <agreement>``: the agreement is RELATED_TO the event its parties
    meet under, the words from the event's to "of" its role ("ministerial meeting of").
    A signing or an adoption "of" an agreement is no meeting under it."""
    out = []
    for agreement in items:
        if agreement.kind is not Kind.AGREEMENT or agreement.start < event.start:
            continue
        under = _MEETING_OF.fullmatch(text, event.start, agreement.start)
        if under is None or "\n" in text[event.start : agreement.start]:
            continue
        role = re.sub(r"\s+", " ", text[event.start : under.end()]).lower()
        role = re.sub(r"\s+(?:the|el|la)$", "", role.strip())
        fact = _placed_fact("RELATED_TO", agreement, event, (event.start, agreement.end))
        fact.role = role
        out.append(fact)
    return out


def _head_of(text: str, body: Mentioned) -> str:
    """A body's head word, as a role: "facility of" for "Global ... Financing Facility"."""
    words = re.findall(r"[\w-]+", text[body.start : body.end])
    heads = [w for w in words if fold_word(w) in _ORG_WORDS or fold_word(w)[:-1] in _ORG_WORDS]
    return f"{heads[-1].lower()} of" if heads else "part of"


def belongings(text: str, items: Sequence[Mentioned]) -> list[FactCandidate]:
    """A body that is another's, by where the names stand: "The World Bank's Global
    Concessional Financing Facility", "the Department of Labor, through its Wage and Hour
    Division", "Operation Scorpion, a border surge initiative of the Honduran National
    Police". The part is RELATED_TO the whole, the part's head word its role ("facility
    of"; the apposition's noun: "initiative of"), as the curators record it."""
    out = []
    ordered = sorted(items, key=lambda m: m.start)
    for first, second in itertools.pairwise(ordered):
        if first.kind is not Kind.ORGANIZATION or second.kind is not Kind.ORGANIZATION:
            continue
        gap = text[first.end : second.start]
        if re.fullmatch(r"[’']s\s+", gap) or _THROUGH_ITS.fullmatch(gap):
            part, whole, role = second, first, _head_of(text, second)
        elif apposed := _APPOSED_PART.fullmatch(gap):
            noun, of = apposed.group("noun", "of")
            part, whole, role = first, second, f"{noun.lower()} {'de' if of == 'del' else of}"
        else:
            continue
        if part.entity == whole.entity or not fits("RELATED_TO", part.kind, whole.kind):
            continue
        fact = _placed_fact("RELATED_TO", part, whole, (first.start, second.end))
        fact.role = role
        out.append(fact)
    return out


def _placed_fact(
    relation: str,
    subject: Mentioned,
    object_: Mentioned,
    span: tuple[int, int],
    title: str | None = None,
) -> FactCandidate:
    """A fact the text states by where two names stand (no verb): 0.7 of the less sure
    name's confidence."""
    confidence = round(0.7 * min(subject.score, object_.score), 3)
    return FactCandidate(
        relation, subject.entity, object_.entity, True, None, confidence, span, title=title
    )


def _locations(text: str, items: Sequence[Mentioned]) -> list[FactCandidate]:
    """``<Place>, <Country or place>`` and ``<Place> (<Place>)``: the first is in the second
    ("Panama City, Panama", "Tucson (Arizona)"); not inside a list ("Monterrey,
    Guadalajara, and Tijuana")."""
    out = []
    ordered = sorted(items, key=lambda m: m.start)
    for inner, outer in itertools.pairwise(ordered):
        if inner.kind not in (Kind.PLACE, Kind.ORGANIZATION) or outer.kind not in (
            Kind.PLACE,
            Kind.COUNTRY,
        ):
            continue
        gap = text[inner.end : outer.start]
        after = text[outer.end : outer.end + 8]
        if inner.kind is Kind.ORGANIZATION and gap != " (":
            continue
        # a list goes on after its second member ("Monterrey, Guadalajara, and"), or began
        # before its first ("Monterrey, Guadalajara, Tijuana"); a clause does not ("Los
        # Angeles, California, where")
        listed = re.match(r"\s*(?:,\s*(?:and|y|or|o)\b|,\s*[A-ZÁÉÍÓÚÑ]|and\b|y\b|or\b)", after)
        k = ordered.index(inner)
        if k and ordered[k - 1].kind in (Kind.PLACE, Kind.COUNTRY):
            listed = listed or re.fullmatch(r",\s*", text[ordered[k - 1].end : inner.start])
        if (gap == ", " and not listed) or (gap == " (" and after.startswith(")")):
            out.append(_placed_fact("LOCATED_IN", inner, outer, (inner.start, outer.end)))
    # "Darien in Panama", "Eagle Pass, also in Texas", "in Monterrey, Guadalajara, and
    # Tijuana in Mexico": places, one or a list, then "in" a country or a wider place
    for k, outer in enumerate(ordered):
        if outer.kind not in (Kind.PLACE, Kind.COUNTRY) or k == 0:
            continue
        inner = ordered[k - 1]
        if inner.kind is not Kind.PLACE or not _IN_GAP.fullmatch(text[inner.end : outer.start]):
            continue
        members = [inner]
        for prev in reversed(ordered[: k - 1]):
            if prev.kind is not Kind.PLACE or not _LIST_GAP.fullmatch(
                text[prev.end : members[-1].start]
            ):
                break
            members.append(prev)
        for place in members:
            out.append(_placed_fact("LOCATED_IN", place, outer, (place.start, outer.end)))
    # "the Reception Center for Returned Migrants in Guatemala City", "Migration Resource
    # Centers in Guatemala City, Tecun Uman, and Quetzaltenango": a body that is a
    # building or a site is in the places after it
    for k, body in enumerate(ordered[:-1]):
        words = re.findall(r"[\w-]+", text[body.start : body.end])
        if body.kind is not Kind.ORGANIZATION or not any(
            fold_word(w) in _FACILITY_WORDS for w in words
        ):
            continue
        first = ordered[k + 1]
        if first.kind not in (Kind.PLACE, Kind.COUNTRY) or not _IN_GAP.fullmatch(
            text[body.end : first.start]
        ):
            continue
        sites = [first]
        for nxt in ordered[k + 2 :]:
            if nxt.kind is not Kind.PLACE or not _LIST_GAP.fullmatch(
                text[sites[-1].end : nxt.start]
            ):
                break
            sites.append(nxt)
        if len(sites) > 1 and any(s.kind is Kind.COUNTRY for s in sites):
            sites = sites[:1]
        for site in sites:
            out.append(_placed_fact("LOCATED_IN", body, site, (body.start, site.end)))
    return out


#: Bodies that are buildings or sites, and so are somewhere: "Reception Center", "U.S.
#: Embassy", "Safe Mobility Offices", "albergue".
_FACILITY_WORDS = _words(
    """
    center centers centre centres office offices embassy consulate consulates shelter
    shelters hospital clinic school camp camps station stations headquarters facility hub
    centro centros oficina oficinas embajada consulado consulados albergue albergues
    """
)


_IN_GAP = re.compile(
    r",?\s+(?:also\s+)?(?:in|en)\s+(?:the\s+|el\s+)?"
    # "Tapachula, in southern Mexico", "en el sur de México": a part of the country
    r"(?:(?:southern|northern|eastern|western|central|south|north|east|west)(?:ern)?\s+"
    r"|(?:sur|norte|este|oeste|centro|sureste|noreste|suroeste|noroeste)\s+de\s+)?"
)


def _dedupe(facts: list[FactCandidate]) -> list[FactCandidate]:
    best: dict[tuple[str, str, str], FactCandidate] = {}
    for fact in facts:
        key = (fact.subject, fact.relation, fact.object)
        old = best.get(key)
        if old is None or (fact.stated, fact.confidence) > (old.stated, old.confidence):
            best[key] = fact
    return list(best.values())
