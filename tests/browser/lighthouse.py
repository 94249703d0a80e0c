"""Lighthouse 12.2.3 (npm, pinned; `make assets`) with Debian's Chromium over the seeds:
mobile (Lighthouse's default: a throttled mid-range phone), performance and accessibility
for the embed and the explorer's home and entity pages.

    .venv/bin/python -m tests.browser.lighthouse [OUTPUT_DIR]      (make lighthouse)

Serves the seeds from memory on a free 127.0.0.1 port, runs Lighthouse once per page,
writes each JSON report to OUTPUT_DIR (default .lighthouse/), prints the scores and exits
non-zero unless every page has performance >= 95 and accessibility 100.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM, make_app, serve
from tests.conftest import SEEDS
from timeline.model.seeds import load_seeds
from timeline.stores import open_store

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "src" / "timeline" / "api" / "frontend" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "embed": "/embed/timeline?involving=person:antony-blinken",
    "home": "/",
    "entity": "/?entity=person:antony-blinken",
}
TARGETS = {"performance": 0.95, "accessibility": 1.0}


async def audit(url: str, report: Path) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {err.decode()[-2000:]}")
    data = json.loads(await asyncio.to_thread(report.read_text, encoding="utf-8"))
    return {name: float(c["score"] or 0) for name, c in data["categories"].items()}


async def main(out: Path) -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run make assets", file=sys.stderr)
        return 2
    store = open_store("memory")
    await store.load(load_seeds(SEEDS))
    failed = []
    async with serve(make_app(store)) as base:
        for name, path in PAGES.items():
            scores = await audit(base + path, out / f"{name}.json")
            shown = ", ".join(f"{k} {round(v * 100)}" for k, v in sorted(scores.items()))
            print(f"lighthouse {name}: {shown}")
            failed += [f"{name} {k}" for k, low in TARGETS.items() if scores.get(k, 0) < low]
    await store.close()
    if failed:
        print(f"below target (performance >= 95, accessibility 100): {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".lighthouse"
    target.mkdir(parents=True, exist_ok=True)
    sys.exit(asyncio.run(main(target)))
