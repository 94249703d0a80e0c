"""A small bounded memo for facts about a query text (least recently used out)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["TextMemo"]

T = TypeVar("T")


class TextMemo(Generic[T]):
    """What ``compute`` said of a query text, for the last ``size`` texts.

    A document is a function of its text (and the fixed parse options), so a fact about the
    document can be kept under the text; keys are strings, cheap to hash (a syntax tree is
    not: its hash walks every node).

    >>> memo = TextMemo[int](size=2)
    >>> memo.get("{ a }", lambda: 1), memo.get("{ a }", lambda: 2)
    (1, 1)
    >>> memo.known("{ a }"), memo.known("{ b }")
    (1, None)
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._facts: OrderedDict[str, T] = OrderedDict()

    def get(self, text: str, compute: Callable[[], T]) -> T:
        try:
            fact = self._facts[text]
        except KeyError:
            fact = self._facts[text] = compute()
            while len(self._facts) > self.size:
                self._facts.popitem(last=False)
            return fact
        self._facts.move_to_end(text)
        return fact

    def known(self, text: str) -> T | None:
        """What was said of this text, if it is still held; None if not."""
        return self._facts.get(text)
