"""What the package's docstring examples run with (``pytest --doctest-modules``, in
``make test``): ``timeline`` and ``graph``, the seed graph opened as a notebook would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import timeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def _seed_graph() -> Iterator[timeline.Graph]:
    with timeline.open(SEEDS) as graph:
        yield graph


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any], _seed_graph: timeline.Graph) -> None:
    doctest_namespace.update(timeline=timeline, graph=_seed_graph, SEEDS=SEEDS)
