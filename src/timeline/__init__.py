"""timeline: an event timeline and entity graph, with sources for every fact.

``timeline.open`` opens the graph from Python (see :mod:`timeline.research`); it is
imported on first use, so ``import timeline`` stays light.

>>> import timeline
>>> graph = timeline.open(SEEDS)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timeline.research import open

__all__ = ["open"]


def __getattr__(name: str) -> Any:
    if name == "open":
        from timeline.research import open

        return open
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
