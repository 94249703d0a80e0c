"""Unnamed instruments: "The two officials signed a memorandum of understanding on labor
mobility", "firmaron una carta de intención sobre el retorno digno de migrantes".

An instrument the text says was signed but does not name with capitals is still an
agreement the graph may lack; its name is the text's own words, from the instrument's
head word to the end of its topic ("memorandum of understanding on temporary work
visas"), nothing added. The signers come from the sentence's ordinary rules (the subject
before "signed", a co-signer after "with"); this module only finds the name.

>>> text = "Both ministers signed a memorandum of understanding on labor mobility during the talks."
>>> [c.name for c in instruments_in(text, 0, len(text), [])]
['memorandum of understanding on labor mobility']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from timeline.model.ids import Kind
from timeline.services.ingest.extract import Candidate

__all__ = ["instruments_in"]

#: A verb of signing, an indefinite article, and an instrument's head word in lower case
#: (a capitalised one is a name, found as names are), with its "of understanding" part.
_INSTRUMENT = re.compile(
    r"\b(?i:sign(?:ed|s|ing)?|firm(?:ó|o|aron|an|ará|arán|ar)|suscribi(?:ó|eron)"
    # an instrument announced is one signed too: "announced a letter of understanding"
    r"|announc(?:ed|es)|anunci(?:ó|aron))\s+"
    # when and where, between the verb and what was signed: "firmaron este martes en San
    # José un memorando", "signed on Tuesday a memorandum"
    r"(?:(?!(?i:an?|the|un|una|el|la|los|las)\s)[^\W\d_][\w’'-]*\s+){0,6}?"
    r"(?i:an?|un|una|(?P<definite>the|el|la))\s+(?:new\s+|nuevo\s+|nueva\s+)?"
    r"(?P<head>memorandum|memorando|memorándum|letter|carta|agreement|acuerdo|arrangement"
    r"|convenio|pact|pacto|accord|declaration|declaración|protocol|protocolo"
    # "in signing the Arrangement": a defined term, capitalised, after "the"
    r"|(?(definite)(?:Memorandum|Agreement|Arrangement|Accord|Declaration|Protocol|Acuerdo"
    r"|Memorando|Convenio|Declaración|Protocolo)\b(?!\s+[A-Z])|(?!)))"
    r"(?P<kind>\s+(?:of|de)\s+(?:understanding|intent|intention|entendimiento|intención"
    r"|intenciones|cooperation|cooperación|entendimientos))?"
)
#: An instrument named before, its signers after: "The letter was signed by ...", "el
#: memorando fue firmado por ...".
_SIGNED_BY = re.compile(
    r"\b(?i:the|el|la)\s+(?P<head>memorandum|memorando|memorándum|letter|carta|agreement"
    r"|acuerdo|arrangement|convenio|pact|pacto|accord|declaration|declaración|protocol"
    r"|protocolo)\s+(?i:was|were|has\s+been|had\s+been|fue|fueron|ha\s+sido)\s+"
    r"(?i:signed|firmad[oa]s?|suscrit[oa]s?)\s+(?i:by|por)\b"
)
#: Before an instrument's topic: "on", "about", "sobre", "en materia de", and its purpose,
#: a verb ("to expand legal pathways", "para ampliar las vías legales").
_TOPIC = re.compile(
    r"\s+(?:on|about|concerning|regarding|sobre|acerca de|en materia de"
    r"|for(?=\s+(?:the\s+)?[a-z]{3,})|para(?=\s+(?:la\s+|el\s+|los\s+|las\s+)?[a-záéíóúñ]{3,})"
    r"|to(?=\s+(?!(?:the|a|an|its|their|his|her|be)\b)[a-z]+\b)"
    r"|para(?=\s+[a-záéíóúñ]+(?:ar|er|ir)\b))\s+"
)
#: Words that end a topic: another preposition of the sentence, a relative pronoun, a
#: conjunction (the topic is kept short rather than run into the next clause).
_TOPIC_END = frozenset(
    {"during", "at", "in", "with", "by", "after", "before", "while", "that", "which", "who",
     "and", "or", "to", "as", "for", "from", "durante", "en", "con", "por", "tras", "antes",
     "después", "mientras", "que", "quien", "y", "o", "a", "como", "para", "desde"}
)  # fmt: skip
_TOPIC_WORDS = 8
#: Words a topic does not end on.
_LINKING = frozenset({"the", "a", "an", "of", "el", "la", "los", "las", "un", "una", "de", "del"})


def _noun_after(following: Sequence[re.Match[str]]) -> bool:
    """Whether the word after a conjunction goes on a topic: a word in lower case, not an
    article, a stop word or a verb of the past ("and signed", "y firmaron")."""
    if not following:
        return False
    word = following[0].group()
    folded = word.casefold()
    return (
        word[:1].islower()
        and len(word) >= 3
        and folded not in _TOPIC_END | _LINKING
        and not re.search(r"(?:ed|ó|aron|ieron)$", folded)
    )


def _topic_end(text: str, start: int, end: int, taken: Sequence[tuple[int, int]]) -> int:
    """Where an instrument's topic ends: before a stop word, a punctuation mark, a name
    the sentence knows or the eighth word; not on an article or a linking word ("sobre el
    retorno digno de migrantes" runs to "migrantes")."""
    kept: list[tuple[int, str]] = []
    words = list(re.finditer(r"[^\W\d_][\w’'-]*|\S", text[start:end]))
    for count, word in enumerate(words):
        w_start, w_end = start + word.start(), start + word.end()
        folded = word.group().casefold()
        # "management and protection of migrants": a conjunction of two nouns goes on
        joined = folded in ("and", "y", "e") and _noun_after(words[count + 1 : count + 2])
        if (
            count >= _TOPIC_WORDS
            or not word.group()[:1].isalpha()
            or (folded in _TOPIC_END and not joined)
            or any(s < w_end and w_start < e for s, e in taken)
        ):
            break
        kept.append((w_end, folded))
    while kept and kept[-1][1] in _LINKING:
        kept.pop()
    return kept[-1][0] if kept else start


def instruments_in(
    text: str, start: int, end: int, taken: Sequence[tuple[int, int]]
) -> list[Candidate]:
    """The unnamed instruments ``text[start:end]`` says were signed, as new agreements
    named by the text's words; an instrument said before ("The letter was signed by ..."),
    by its head word alone (a reference: the article's instrument of that word)."""
    out = [
        Candidate(
            found.start("head"),
            found.end("head"),
            found.group("head"),
            Kind.AGREEMENT,
            "an instrument named before, said to be signed",
            0.5,
        )
        for found in _SIGNED_BY.finditer(text, start, end)
        if not any(s < found.end("head") and found.start("head") < e for s, e in taken)
    ]
    for found in _INSTRUMENT.finditer(text, start, end):
        name_end = found.end()
        topic = _TOPIC.match(text, name_end, end)
        if topic is not None and any(s == topic.start() + 1 for s, _ in taken):
            topic = None  # "on Thursday": a date, not a topic
        # a date between the instrument and its topic ("a letter of intent on Thursday to
        # expand temporary work visas")
        dated = next(((s, e) for s, e in taken if s == name_end + 1), None)
        if topic is None and dated is not None:
            topic = _TOPIC.match(text, dated[1], end)
        if topic is not None:
            name_end = max(name_end, _topic_end(text, topic.end(), end, taken))
        head = found.start("head")
        if any(s < name_end and head < e for s, e in taken if (s, e) != dated):
            continue
        name = text[head:name_end]
        if dated is not None and dated[1] < name_end:  # the name without its date
            name = text[head : dated[0] - 1] + text[dated[1] : name_end]
        out.append(
            Candidate(
                head,
                name_end,
                name,
                Kind.AGREEMENT,
                "an instrument the text says was signed; named in the text's own words",
                0.5,
            )
        )
    return out
