"""The benchmark's W1 parameters follow the rule the timeline answers with.

``workload.Involving`` (what W1's entity-years are counted with) is compared with the
memory store's ``involving`` (``Mode.ALL``) on the fixture graph, the seeds and a synthetic
graph; and the chosen pages hold 20 to 200 events, as the workload promises.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from benchmarks.workload import Involving, parameters

from tests.conftest import seed_dataset
from tests.fixtures import mini_dataset
from timeline.model.involvement import Mode
from timeline.model.records import Dataset, Event
from timeline.services.synth import synthesize
from timeline.stores.base import TimelineQuery
from timeline.stores.memory import MemoryStore


@pytest.mark.parametrize("which", ["mini", "seeds", "synthetic"])
def test_involving_is_the_stores_rule(which: str) -> None:
    dataset: Dataset = {
        "mini": mini_dataset,
        "seeds": seed_dataset,
        "synthetic": lambda: synthesize(events=3_000, seed=5),
    }[which]()
    store = MemoryStore(dataset)
    involving = Involving(dataset)
    ids = sorted(i for i, e in dataset.entities.items() if not isinstance(e, Event))
    wider = 0
    for x in ids[:: max(1, len(ids) // 400)]:
        expected = store.graph._involving(x, Mode.ALL)
        assert involving(x) == expected, x
        wider += expected != store.graph._involving(x, Mode.DIRECT)
    assert wider, "no entity where the wide rule adds events: the comparison proves little"


def test_w1_pages_are_full_under_the_wide_rule() -> None:
    dataset = synthesize(events=10_000, seed=7)
    store = MemoryStore(dataset)
    for params in parameters(dataset, seed=7, count=20)["W1"]:
        page = asyncio.run(
            store.timeline(
                TimelineQuery(
                    involving=(params["id"],),
                    start=dt.date.fromisoformat(params["from"]),
                    end=dt.date.fromisoformat(params["to"]),
                    first=20,
                )
            )
        )
        assert 20 <= page.total <= 200, params
        assert len(page.events) == 20
