"""Text normalisation shared by quote checks, slugs and the timeline's text filter
(search's own words are in :mod:`timeline.model.search`).

>>> fold("  Bogotá  ")
'bogota'
>>> plain_quotes("“Los Angeles Declaration” – ‘now’")
'"Los Angeles Declaration" - \\'now\\''
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalize_quote", "plain_quotes"]

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
