"""timeline's app over the memory store holding a synthetic dataset, for the benchmark.

``timeline serve`` loads the memory store from a seed folder; writing a million-event
synthetic dataset as YAML and validating it back takes far longer than synthesizing it
(about a minute per 10 000 events to write), so the benchmark builds the same dataset
in each worker (``BENCH_EVENTS``, ``BENCH_SEED``: the arguments of ``timeline synth``) and
serves it through the very same :func:`timeline.api.app.create_app`, under the same
uvicorn settings as ``timeline serve``:

    BENCH_EVENTS=10000 BENCH_SEED=7 .venv/bin/uvicorn benchmarks.memory_app:create \\
        --factory --workers 2 --port 8102 --proxy-headers --log-level warning
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette

from timeline.api.app import create_app
from timeline.config import Settings
from timeline.services.synth import synthesize
from timeline.stores import open_store


def create() -> Starlette:
    dataset = synthesize(events=int(os.environ["BENCH_EVENTS"]), seed=int(os.environ["BENCH_SEED"]))
    store = open_store("memory")
    # uvicorn calls the factory inside its running event loop: load on a thread of our own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, store.load(dataset)).result()
    del dataset  # as in timeline serve, whose start-up (the app's lifespan) then freezes it
    return create_app(Settings(backend="memory"), store=store)
