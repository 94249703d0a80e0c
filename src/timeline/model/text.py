"""Text normalisation shared by quote checks and search.

>>> fold("  Bogotá  ")
'bogota'
>>> plain_quotes("“Los Angeles Declaration” – ‘now’")
'"Los Angeles Declaration" - \\'now\\''
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

__all__ = ["MIN_SCORE", "fold", "match_score", "normalize_quote", "plain_quotes", "score_folded"]

_TYPOGRAPHIC = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
        "‘": "'", "’": "'", "‚": "'", "`": "'", "´": "'",
        "–": "-", "—": "-", "‑": "-", "−": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")


def plain_quotes(text: str) -> str:
    """Typographic quote marks and dashes made plain."""
    return text.translate(_TYPOGRAPHIC)


def normalize_quote(text: str) -> str:
    """What quote checks compare: plain quote marks and dashes, white space folded."""
    return _SPACE.sub(" ", plain_quotes(text)).strip()


def fold(text: str) -> str:
    """Accent- and case-insensitive form of a name, for search and slugs."""
    decomposed = unicodedata.normalize("NFKD", plain_quotes(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


#: Scores below this are not matches.
MIN_SCORE = 0.6


def match_score(query: str, names: Iterable[str]) -> float:
    """How well ``query`` matches the best of ``names``, in [0, 1]; the shared search rule.

    Exact (folded) matches score 1; a name or word that starts with the query ranks next,
    then a substring, then a fuzzy match (rapidfuzz's WRatio), so typos still find:

    >>> match_score("Bliken", ["Antony J. Blinken"]) >= MIN_SCORE
    True
    >>> match_score("bogota", ["Bogotá"])
    1.0
    """
    folded = fold(query)
    return max((score_folded(folded, fold(name)) for name in names), default=0.0)


def score_folded(query: str, name: str) -> float:
    """:func:`match_score` for one name, both already folded."""
    if not query or not name:
        return 0.0
    if query == name:
        return 1.0
    closeness = len(query) / len(name)
    if name.startswith(query) or any(word.startswith(query) for word in name.split()):
        score = 0.9 + 0.09 * closeness
    elif query in name:
        score = 0.8 + 0.09 * closeness
    else:
        # A typo in one word ("Bliken") should find the name that has that word ("Blinken").
        best_word = max(fuzz.ratio(query, word) for word in name.split())
        score = 0.8 * max(fuzz.WRatio(query, name), best_word) / 100
    return round(score, 4)
