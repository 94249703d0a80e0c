"""An article's text: checked on the way in, then cut into sentences with offsets.

Sentences come from pysbd (rule-based sentence boundary detection for English and
Spanish, offline, no model): it knows abbreviations such as "U.S." and "Antony J." that a
naive split on full stops breaks. Its spans are kept as character offsets into the
original text, so every quote is the text's own characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

__all__ = ["DocumentError", "Sentence", "check_text", "decode_text", "sentences"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    """The input is not a plain-text article that can be ingested; nothing was changed."""


def decode_text(data: bytes, max_chars: int) -> str:
    """The text of a file's bytes, UTF-8 (a BOM allowed); a clear error otherwise."""
    if not data.strip():
        raise DocumentError("the file is empty")
    if b"\x00" in data[:65536]:
        raise DocumentError("the file is binary (it has NUL bytes), not plain text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"the file is not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r});"
            " convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)"
        ) from None
    return check_text(text, max_chars)


def check_text(text: str, max_chars: int) -> str:
    """``text`` if it is a non-empty, not-too-long plain text; a clear error otherwise."""
    if not text.strip():
        raise DocumentError("the text is empty")
    if len(text) > max_chars:
        raise DocumentError(
            f"the text has {len(text)} characters, more than max_document_chars ({max_chars})"
        )
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 1000):
        raise DocumentError("the text has control characters: it looks binary, not plain text")
    if "\ufffd" in text:
        raise DocumentError(
            "the text has replacement characters (U+FFFD): it was decoded with the wrong encoding"
        )
    return text


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the text: ``text == document[start:end]`` (trailing space trimmed)."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


_LINE = re.compile(r"\n")


def sentences(text: str, language: str = "en") -> list[Sentence]:
    """The text's sentences, in order, with offsets; a sentence never runs across a line
    break (each line is a paragraph, a heading or a byline)."""
    segmenter = _segmenter(language if language in ("en", "es") else "en")
    out: list[Sentence] = []
    paragraph_starts = [0] + [m.end() for m in _LINE.finditer(text)]
    for paragraph, start in enumerate(paragraph_starts):
        end = (
            paragraph_starts[paragraph + 1] if paragraph + 1 < len(paragraph_starts) else len(text)
        )
        block = text[start:end]
        if not block.strip():
            continue
        for span in segmenter.segment(block):
            for line in _split_lines(block, span.start, span.end):
                for s, e in _bounded(block, *line):
                    out.append(
                        Sentence(
                            len(out), start + s, start + e, text[start + s : start + e], paragraph
                        )
                    )
    return out


#: The longest sentence read whole: a longer one (a list pasted without stops, a hostile
#: text) is cut at its last comma or space before the limit, so that the rules' work per
#: sentence stays bounded. Real sentences are far shorter (the corpus's longest: ~700).
MAX_SENTENCE_CHARS = 1500


def _bounded(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut into pieces of at most ``MAX_SENTENCE_CHARS``, at a comma, a semicolon
    or else a space, trimmed of white space."""
    out = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(block.rfind(", ", start, limit), block.rfind("; ", start, limit))
        cut = cut + 1 if cut > start else block.rfind(" ", start, limit)
        if cut <= start:
            cut = limit
        out.append((start, cut))
        start = cut
        while start < end and block[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out


def _split_lines(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks (articles are not hard-wrapped: a line is a paragraph, a
    title or a byline) and trimmed of white space."""
    out = []
    cursor = start
    for piece in [*(start + m.start() for m in re.finditer(r"\n", block[start:end])), end]:
        s, e = cursor, piece
        cursor = piece + 1
        while s < e and block[s].isspace():
            s += 1
        while e > s and block[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
