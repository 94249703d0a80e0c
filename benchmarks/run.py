"""The benchmark runner: timeline (Neo4j and memory backends) against @neo4j/graphql and the
raw Cypher floor, side by side, on synthetic datasets of several sizes.

For each size: synthesize the dataset (``timeline synth``'s generator, fixed seed); load it
into Neo4j through timeline's own store unless Neo4j already holds that exact dataset
(``Meta.version``); draw the workload's parameters; compute the reference answers with
raw Cypher; start timeline on Neo4j (``timeline serve --backend neo4j --workers N``),
timeline on the memory store (``benchmarks/memory_app.py`` under the same uvicorn
settings) and the peer (``node graph/bench/peer/server.mjs``, N workers); then for every
workload x concurrency x round run every system one after the other (the order rotates
between rounds), checking every answer. Results go to a JSON file, a Markdown report
(between the ``results`` markers of ``--out``) and a chart.

    .venv/bin/python -m benchmarks.run --sizes 10k                # bench-quick
    .venv/bin/python -m benchmarks.run --sizes 10k,100k,1M        # bench

It needs its own Neo4j (never the shared one): see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.loadgen import Level, http_caller, run_level, session_for, timed
from benchmarks.raw_cypher import RawCypher
from benchmarks.workload import WORKLOADS, parameters

ROOT = Path(__file__).resolve().parents[1]
PEER_DIR = ROOT / "graph" / "bench" / "peer"
SYSTEMS = (
    "raw",
    "peer",
    "timeline-neo4j",
    "timeline-get",
    "timeline-uncached",
    "timeline-memory",
    "timeline-memory-uncached",
)
#: Systems measured on another system's server, in another way: GET persisted queries
#: (Apollo APQ: the hash in the URL, as a CDN sees them) on the timeline-neo4j server.
SERVED_BY = {"timeline-get": "timeline-neo4j"}
LABELS = {
    "raw": "raw Cypher (Python driver)",
    "peer": "@neo4j/graphql",
    "timeline-neo4j": "timeline (Neo4j)",
    "timeline-get": "timeline (Neo4j, GET persisted query)",
    "timeline-uncached": "timeline (Neo4j, no response cache)",
    "timeline-memory": "timeline (memory)",
    "timeline-memory-uncached": "timeline (memory, no response cache)",
}
START = "<!-- results:start -->"
END = "<!-- results:end -->"


def size_of(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def label_of(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


# --- processes --------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def pids(self) -> list[int]:
        """The server's processes: the parent and its workers."""
        found = [self.process.pid]
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
            ).stdout
            found += [int(p) for p in out.split()]
        return found


def start_server(
    name: str, command: list[str], env: dict[str, str], url: str, logs: Path
) -> Server:
    log = logs / f"{name}.log"
    handle = log.open("wb")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its workers, only it
    )
    return Server(name, url, process, log)


def wait_ready(server: Server, timeout: float) -> None:
    """Until a GraphQL request answers (the memory backend builds its dataset first)."""
    deadline = time.monotonic() + timeout
    body = json.dumps({"query": "{ __typename }"}).encode()
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: see {server.log}")
        request = urllib.request.Request(
            server.url, data=body, headers={"content-type": "application/json"}
        )
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f}s: see {server.log}")


def wait_all_workers(server: Server, workers: int, probes: int = 40) -> None:
    """Send requests until every worker has answered at least once (they start one by one)."""
    body = json.dumps({"query": "{ __typename }"}).encode()
    for _ in range(probes):
        request = urllib.request.Request(
            server.url, data=body, headers={"content-type": "application/json"}
        )
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=30):
            pass
    del workers


# --- Neo4j ------------------------------------------------------------------------------------


async def ensure_loaded(uri: str, password: str, dataset: Any) -> dict[str, Any]:
    """Load ``dataset`` through timeline's Neo4j store unless Neo4j holds it already."""
    from timeline.stores.neo4j import Neo4jStore

    store = Neo4jStore(uri=uri, user="neo4j", password=password, database="neo4j")
    try:
        version = dataset.version()
        info: dict[str, Any] = {"version": version, "loaded_now": False, "load_seconds": None}
        if await store.data_version() != version:
            started = time.perf_counter()
            await store.load(dataset)
            info["load_seconds"] = round(time.perf_counter() - started, 1)
            info["loaded_now"] = True
        else:  # plans start from this graph's statistics, as after a load (both systems)
            await store.replan()
        rows = await store._rows(
            "MATCH (m:Meta {key: 'data'}) "
            "CALL (m) { MATCH (n:Entity) WHERE n.gen <> m.gen RETURN count(n) AS stale } "
            "RETURN m.gen AS gen, stale"
        )
        info["stale_nodes"] = rows[0]["stale"] if rows else None
        info["gen"] = rows[0]["gen"] if rows else None
        components = await store._rows(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition"
        )
        info["neo4j"] = f"{components[0]['version']} {components[0]['edition']}"
        return info
    finally:
        await store.close()


# --- measuring --------------------------------------------------------------------------------


async def reference_answers(
    raw: RawCypher, params: dict[str, list[dict[str, Any]]]
) -> dict[str, list[Any]]:
    answers: dict[str, list[Any]] = {}
    for workload, sets in params.items():
        answers[workload] = [await raw.call(workload, p)() for p in sets]
    return answers


async def measure_size(
    args: argparse.Namespace,
    size: int,
    params: dict[str, list[dict[str, Any]]],
    expected: dict[str, list[Any]],
    servers: dict[str, Server],
    raw: RawCypher,
    profiles: Path,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    systems = [s for s in args.systems if s == "raw" or SERVED_BY.get(s, s) in servers]
    for workload in args.workloads:
        sets = params[workload]
        for concurrency in args.concurrency:
            for round_ in range(args.rounds):
                order = systems if round_ % 2 == 0 else list(reversed(systems))
                for system in order:
                    level = await measure(
                        args, system, workload, concurrency, sets, expected[workload], servers, raw
                    )
                    row = {"size": size, "round": round_, **level.summary()}
                    results.append(row)
                    print(
                        f"  {label_of(size):>4} {workload} c={concurrency:<2} "
                        f"{system:<16} p50 {level.p50_ms:8.2f} ms  p99 {level.p99_ms:8.2f} ms "
                        f"{level.throughput:8.1f} req/s  n={level.requests} "
                        f"err={level.errors} mismatch={level.mismatches}"
                        + (f"\n      {level.sample_error}" if level.sample_error else ""),
                        flush=True,
                    )
    # The uncached server: a cached W1 page is a version check and a dictionary lookup.
    profiled = servers.get("timeline-uncached") or servers.get("timeline-neo4j")
    if args.profile and profiled is not None:
        await profile_w1(args, size, params, expected, profiled, profiles)
    return results


async def measure(
    args: argparse.Namespace,
    system: str,
    workload: str,
    concurrency: int,
    sets: Sequence[dict[str, Any]],
    expected: Sequence[Any],
    servers: dict[str, Server],
    raw: RawCypher,
) -> Level:
    timings: list[float] = []
    if system == "raw":
        calls = [raw.call(workload, p) for p in sets]
        caller = timed(lambda i: calls[i](), timings)
        return await run_level(
            system, workload, caller, timings, expected, concurrency,
            args.duration, args.max_requests, warmup=args.warmup,
        )  # fmt: skip
    server = servers[SERVED_BY.get(system, system)]
    async with session_for(concurrency) as session:
        kind = "peer" if system == "peer" else "timeline"
        method = "get-persisted" if system == "timeline-get" else "post"
        caller = http_caller(
            session, server.url, kind, workload, sets, timings, gen=args.gen, method=method
        )
        return await run_level(
            system, workload, caller, timings, expected, concurrency,
            args.duration, args.max_requests, warmup=args.warmup,
        )  # fmt: skip


async def profile_w1(
    args: argparse.Namespace,
    size: int,
    params: dict[str, list[dict[str, Any]]],
    expected: dict[str, list[Any]],
    server: Server,
    profiles: Path,
) -> None:
    """py-spy on every timeline worker while W1 runs at concurrency 8: where the time goes."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    seconds = max(5, int(args.duration * 2))
    spies = []
    for pid in server.pids()[1:] or server.pids():
        out = profiles / f"w1-{label_of(size)}-{pid}.txt"
        spies.append(
            subprocess.Popen(  # noqa: ASYNC220 - started in the background on purpose
                [py_spy, "record", "--pid", str(pid), "--duration", str(seconds),
                 "--rate", "200", "--format", "raw", "--output", str(out), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
    await asyncio.sleep(1)
    timings: list[float] = []
    async with session_for(8) as session:
        caller = http_caller(session, server.url, "timeline", "W1", params["W1"], timings)
        await run_level(
            "timeline-neo4j", "W1", caller, timings, expected["W1"], 8, seconds - 1, 10**9
        )
    for spy in spies:
        spy.wait(60)
    print(f"  profiles of W1 in {profiles}", flush=True)


# --- the report -------------------------------------------------------------------------------


def medians(results: list[dict[str, Any]]) -> dict[tuple[int, str, int, str], dict[str, float]]:
    """(size, workload, concurrency, system) -> the median over rounds of each metric."""
    grouped: dict[tuple[int, str, int, str], list[dict[str, Any]]] = {}
    for row in results:
        key = (row["size"], row["workload"], row["concurrency"], row["system"])
        grouped.setdefault(key, []).append(row)
    return {
        key: {
            metric: statistics.median(r[metric] for r in rows)
            for metric in ("p50_ms", "p99_ms", "throughput")
        }
        | {
            "requests": sum(r["requests"] for r in rows),
            "errors": sum(r["errors"] + r["mismatches"] for r in rows),
        }
        for key, rows in grouped.items()
    }


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else (f"{value:.1f}" if value >= 10 else f"{value:.2f}")


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:.2f}×"


def report(meta: dict[str, Any], results: list[dict[str, Any]]) -> str:
    table = medians(results)
    sizes = sorted({k[0] for k in table})
    systems = [s for s in SYSTEMS if any(k[3] == s for k in table)]
    lines = [
        f"Generated by `benchmarks/run.py` on {meta['date']} "
        f"({meta['rounds']} round(s), {meta['duration']} s or {meta['max_requests']} requests "
        f"per level, {meta['warmup']} warm-up requests).",
        "",
        "| machine | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in meta["machine"].items()]
    lines += [
        "",
        "| dataset | events | entities | relations | Neo4j load |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        d = meta["datasets"][str(size)]
        load = f"{d['load_seconds']} s" if d.get("load_seconds") else "already loaded"
        lines.append(
            f"| {label_of(size)} | {d['events']:,} | {d['entities']:,} | {d['relations']:,} "
            f"| {load} |"
        )
    lines.append("")
    for size in sizes:
        lines += [
            f"### {label_of(size)} events",
            "",
            "p50 / p99 in ms, throughput in requests/s (medians over rounds); ratios from the "
            "same run. Uncached first (what a request costs when no cache has seen it): "
            "`unc` = timeline on Neo4j without its response cache, `memu` = timeline on the "
            "memory store without it. Then cached (repeated requests): `tl` = timeline on "
            "Neo4j, `GET` = the same server asked with GET persisted queries (the hash in the "
            "URL, as a CDN forwards them), `mem` = timeline on the memory store.",
            "",
            "| workload | c | "
            + " | ".join(f"{LABELS[s]} p50 / p99 / req/s" for s in systems)
            + " | unc/peer req/s | unc/raw p50 | memu/peer req/s | cached: tl/peer req/s"
            " | tl/peer p50 | GET/POST req/s | tl/raw p50 | mem/peer req/s | errors |",
            "|---|---|" + "---|" * len(systems) + "---|---|---|---|---|---|---|---|---|",
        ]
        for workload in WORKLOADS:
            for c in sorted({k[2] for k in table if k[0] == size and k[1] == workload}):
                cells, errors = [], 0
                for s in systems:
                    m = table.get((size, workload, c, s))
                    if m is None:
                        cells.append("–")
                        continue
                    errors += int(m["errors"])
                    cells.append(f"{_ms(m['p50_ms'])} / {_ms(m['p99_ms'])} / {m['throughput']:.0f}")

                def get(
                    system: str, metric: str, key: tuple[int, str, int] = (size, workload, c)
                ) -> float | None:
                    m = table.get((*key, system))
                    return None if m is None else m[metric]

                def ratio(a: str, b: str, metric: str) -> str:
                    return _ratio(get(a, metric), get(b, metric))

                ratios = [
                    ratio("timeline-uncached", "peer", "throughput"),
                    ratio("timeline-uncached", "raw", "p50_ms"),
                    ratio("timeline-memory-uncached", "peer", "throughput"),
                    ratio("timeline-neo4j", "peer", "throughput"),
                    ratio("timeline-neo4j", "peer", "p50_ms"),
                    ratio("timeline-get", "timeline-neo4j", "throughput"),
                    ratio("timeline-neo4j", "raw", "p50_ms"),
                    ratio("timeline-memory", "peer", "throughput"),
                ]
                lines.append(
                    f"| {workload} {WORKLOADS[workload].title} | {c} | "
                    + " | ".join([*cells, *ratios])
                    + f" | {errors} |"
                )
        lines.append("")
    lines += uncached_goal(table, sizes)
    lines += targets(table, sizes)
    return "\n".join(lines)


def uncached_goal(
    table: dict[tuple[int, str, int, str], dict[str, float]], sizes: list[int]
) -> list[str]:
    """Issue 14's goal, per size, without the response cache: throughput against the peer
    (geometric mean over every workload and concurrency, and the lowest cell), p50 against
    the raw floor at c=1 (the highest workload), the memory store's lowest cell."""

    def ratios(size: int, a: str, b: str, metric: str, c: int | None = None) -> list[float]:
        out = []
        for (n, workload, level, system), row in table.items():
            if n != size or system != a or (c is not None and level != c):
                continue
            other = table.get((n, workload, level, b))
            if other and row[metric] and other[metric]:
                out.append(row[metric] / other[metric])
        return out

    def cell(values: list[float], pick: str, goal: float, above: bool) -> str:
        if not values:
            return "–"
        value = {"geo": statistics.geometric_mean, "min": min, "max": max}[pick](values)
        ok = value >= goal if above else value <= goal
        return f"{value:.2f}× {'**met**' if ok else '**missed**'}"

    lines = [
        "### Without the response cache (issue 14's goal)",
        "",
        "| size | Neo4j / peer req/s, geo-mean (≥ 1.5×) | lowest cell (≥ 1.0×) "
        "| highest p50 / raw at c=1 (≤ 1.3×) | memory / peer req/s, lowest cell (≥ 3×) |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        unc = ratios(size, "timeline-uncached", "peer", "throughput")
        raw = ratios(size, "timeline-uncached", "raw", "p50_ms", c=1)
        mem = ratios(size, "timeline-memory-uncached", "peer", "throughput")
        lines.append(
            f"| {label_of(size)} | {cell(unc, 'geo', 1.5, True)} | {cell(unc, 'min', 1.0, True)} "
            f"| {cell(raw, 'max', 1.3, False)} | {cell(mem, 'min', 3.0, True)} |"
        )
    return [*lines, ""]


def targets(
    table: dict[tuple[int, str, int, str], dict[str, float]], sizes: list[int]
) -> list[str]:
    big, small = max(sizes), min(sizes)

    def m(size: int, system: str, c: int, metric: str) -> float | None:
        row = table.get((size, "W1", c, system))
        return None if row is None else row[metric]

    def verdict(ok: bool | None) -> str:
        return "–" if ok is None else ("**met**" if ok else "**missed**")

    lines = [
        f"### Targets (timeline on Neo4j, {label_of(big)} events)",
        "",
        "| target | timeline | | without the response cache | |",
        "|---|---|---|---|---|",
    ]
    peer_rps, raw_p50 = m(big, "peer", 1, "throughput"), m(big, "raw", 1, "p50_ms")
    columns: dict[str, list[tuple[str, bool | None]]] = {}
    for system in ("timeline-neo4j", "timeline-uncached"):
        tl_rps, p99 = m(big, system, 1, "throughput"), m(big, system, 1, "p99_ms")
        tl_p50, small_p50 = m(big, system, 1, "p50_ms"), m(small, system, 1, "p50_ms")
        columns[system] = [
            (
                _ratio(tl_rps, peer_rps),
                None if not (tl_rps and peer_rps) else tl_rps >= 1.5 * peer_rps,
            ),
            (f"{_ms(p99 or math.nan)} ms", None if p99 is None else p99 <= 50),
            (
                _ratio(tl_p50, raw_p50),
                None if not (tl_p50 and raw_p50) else tl_p50 <= 1.3 * raw_p50,
            ),
            (
                _ratio(tl_p50, small_p50),
                None if big == small or not (tl_p50 and small_p50) else tl_p50 <= 1.5 * small_p50,
            ),
        ]
    names = [
        "W1 throughput ≥ 1.5× @neo4j/graphql (c=1)",
        "W1 p99 ≤ 50 ms (c=1)",
        "W1 p50 ≤ 1.3× raw Cypher (c=1)",
        f"W1 p50 at {label_of(big)} ≤ 1.5× p50 at {label_of(small)} (c=1)",
    ]
    for row, name in enumerate(names):
        (a, ok_a), (b, ok_b) = columns["timeline-neo4j"][row], columns["timeline-uncached"][row]
        lines.append(f"| {name} | {a} | {verdict(ok_a)} | {b} | {verdict(ok_b)} |")
    for c in sorted({k[2] for k in table if k[0] == big and k[1] == "W1"}):
        cells = [
            _ratio(m(big, system, c, "throughput"), m(big, "peer", c, "throughput"))
            for system in ("timeline-neo4j", "timeline-uncached")
        ]
        lines.append(f"| (W1 throughput / peer's at c={c}) | {cells[0]} | | {cells[1]} | |")
    return [*lines, ""]


def chart(results: list[dict[str, Any]], path: Path) -> None:
    """W1 p50 against dataset size per system (c=1), and W1 throughput (c=8 and 32)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = medians(results)
    if not any(k[1] == "W1" for k in table):
        print(f"chart: no W1 in this run (--workloads), {path} not drawn")
        return
    sizes = sorted({k[0] for k in table})
    systems = [s for s in SYSTEMS if any(k[3] == s for k in table)]
    levels = sorted({k[2] for k in table if k[1] == "W1"})
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.2))
    markers = {
        "raw": "s",
        "peer": "o",
        "timeline-neo4j": "^",
        "timeline-get": "<",
        "timeline-uncached": "v",
        "timeline-memory": "D",
        "timeline-memory-uncached": "d",
    }
    for s in systems:
        xs = [n for n in sizes if (n, "W1", 1, s) in table]
        axes[0].plot(
            xs, [table[(n, "W1", 1, s)]["p50_ms"] for n in xs], marker=markers[s], label=LABELS[s]
        )
    axes[0].set_xscale("log")
    axes[0].set_yscale("log")
    axes[0].set_xticks(sizes, [label_of(n) for n in sizes])
    axes[0].set_xlabel("dataset size (events)")
    axes[0].set_ylabel("W1 p50 latency at concurrency 1 (ms, log)")
    axes[0].set_title("W1 timeline page: p50 latency vs dataset size")
    axes[0].grid(True, which="both", alpha=0.3)
    axes[0].legend()

    width = 0.8 / max(1, len(systems))
    groups = [(n, c) for n in sizes for c in levels]
    for i, s in enumerate(systems):
        values = [table.get((n, "W1", c, s), {}).get("throughput", 0.0) for n, c in groups]
        positions = [g + (i - (len(systems) - 1) / 2) * width for g in range(len(groups))]
        axes[1].bar(positions, values, width, label=LABELS[s], color=f"C{i}")
    axes[1].set_xticks(range(len(groups)), [f"{label_of(n)}\nc={c}" for n, c in groups])
    axes[1].set_ylabel("W1 throughput (requests/s)")
    axes[1].set_title("W1 timeline page: throughput by size and concurrency")
    axes[1].grid(True, axis="y", alpha=0.3)
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(path: Path, body: str) -> None:
    """Replace what lies between the results markers (the rest of the page is hand-written)."""
    text = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    )
    if START not in text or END not in text:
        text = text.rstrip() + f"\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{body}\n{END}{tail}", encoding="utf-8")


# --- machine and versions ---------------------------------------------------------------------


def _output(command: list[str], cwd: Path = ROOT) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        return done.stdout.strip()
    return "?"


def machine(args: argparse.Namespace, neo4j: str) -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024**2:.1f} GiB"
    peer_pkg = PEER_DIR / "node_modules" / "@neo4j" / "graphql" / "package.json"
    neo4j_graphql = json.loads(peer_pkg.read_text())["version"] if peer_pkg.exists() else "?"
    commit = _output(["git", "rev-parse", "--short", "HEAD"])
    dirty = _output(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "CPU": f"{cpu}, nproc {os.cpu_count()}",
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Neo4j": f"{neo4j} (graph/neo4j.sh; heap and page cache as started, see How to run)",
        "Node": _output(["node", "--version"]),
        "@neo4j/graphql": neo4j_graphql,
        "timeline commit": f"{commit}{' + uncommitted changes' if dirty else ''}",
        "timeline": f"`timeline serve --backend neo4j --workers {args.workers}` "
        "(uvicorn + uvloop + httptools), log level warning",
        "peer": f"`node graph/bench/peer/server.mjs`, {args.workers} workers (node:cluster), "
        "NODE_ENV=production",
    }


# --- main -------------------------------------------------------------------------------------


@contextlib.contextmanager
def servers_for(args: argparse.Namespace, size: int, logs: Path) -> Iterator[dict[str, Server]]:
    timeline = str(Path(sys.executable).parent / "timeline")
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    common = {"NEO4J_URI": args.neo4j_uri, "NEO4J_PASSWORD": args.neo4j_password}
    started: dict[str, Server] = {}
    try:
        if "timeline-neo4j" in args.systems or "timeline-get" in args.systems:
            started["timeline-neo4j"] = start_server(
                "timeline-neo4j",
                [timeline, "serve", "--backend", "neo4j", "--port", str(args.port),
                 "--workers", str(args.workers)],
                {**common, "TIMELINE_LOG_LEVEL": "warning"},
                f"http://127.0.0.1:{args.port}/graphql",
                logs,
            )  # fmt: skip
        if "timeline-uncached" in args.systems:
            started["timeline-uncached"] = start_server(
                "timeline-uncached",
                [timeline, "serve", "--backend", "neo4j", "--port", str(args.port + 2),
                 "--workers", str(args.workers)],
                {**common, "TIMELINE_LOG_LEVEL": "warning", "TIMELINE_RESPONSE_CACHE_SIZE": "0"},
                f"http://127.0.0.1:{args.port + 2}/graphql",
                logs,
            )  # fmt: skip
        memory = {  # system: (port, largest size, extra environment)
            "timeline-memory": (args.port + 1, args.memory_max, {}),
            "timeline-memory-uncached": (
                args.port + 3,
                args.memory_uncached_max,
                {"TIMELINE_RESPONSE_CACHE_SIZE": "0"},
            ),
        }
        for name, (port, largest, extra) in memory.items():
            if name not in args.systems or size > largest:
                continue
            started[name] = start_server(
                name,
                [uvicorn, "benchmarks.memory_app:create", "--factory", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(args.workers),
                 "--proxy-headers", "--log-level", "warning",
                 "--timeout-worker-healthcheck", "120"],  # as timeline serve (cli.py)
                {"BENCH_EVENTS": str(size), "BENCH_SEED": str(args.seed),
                 "TIMELINE_LOG_LEVEL": "warning", **extra},
                f"http://127.0.0.1:{port}/graphql",
                logs,
            )  # fmt: skip
        if "peer" in args.systems:
            started["peer"] = start_server(
                "peer",
                ["node", str(PEER_DIR / "server.mjs")],
                {**common, "PEER_PORT": str(args.peer_port), "PEER_WORKERS": str(args.workers),
                 "NODE_ENV": "production"},
                f"http://127.0.0.1:{args.peer_port}/graphql",
                logs,
            )  # fmt: skip
        for server in started.values():
            wait_ready(server, timeout=args.start_timeout)
            wait_all_workers(server, args.workers)
        yield started
    finally:
        for server in started.values():
            server.stop()


async def main(args: argparse.Namespace) -> None:
    from timeline.services.synth import synthesize

    work = ROOT / ".bench"
    logs, profiles = work / "logs", work / "profiles"
    logs.mkdir(parents=True, exist_ok=True)
    profiles.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    meta: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "rounds": args.rounds,
        "duration": args.duration,
        "max_requests": args.max_requests,
        "warmup": args.warmup,
        "datasets": {},
    }
    neo4j_version = "?"
    for size in args.sizes:
        print(f"== {label_of(size)} events: synthesizing (seed {args.seed})", flush=True)
        dataset = synthesize(events=size, seed=args.seed)
        counts = dataset.counts()
        params = parameters(dataset, seed=args.seed, count=args.param_sets)
        print(f"   loading into Neo4j at {args.neo4j_uri} (skipped if already there)", flush=True)
        loaded = await ensure_loaded(args.neo4j_uri, args.neo4j_password, dataset)
        neo4j_version, args.gen = loaded["neo4j"], loaded["gen"]
        print(f"   {loaded}", flush=True)
        if loaded["stale_nodes"]:
            print("   note: older load generations in Neo4j (peer and raw read Meta.gen only)")
        meta["datasets"][str(size)] = {
            "events": counts["event"],
            "entities": sum(
                v for k, v in counts.items() if k not in ("relation", "source", "document")
            ),
            "relations": counts["relation"],
            "load_seconds": loaded["load_seconds"],
            "version": loaded["version"],
        }
        del dataset
        gc.collect()
        raw = RawCypher(args.neo4j_uri, password=args.neo4j_password)
        try:
            expected = await reference_answers(raw, params)
            with servers_for(args, size, logs) as servers:
                results += await measure_size(args, size, params, expected, servers, raw, profiles)
        finally:
            await raw.close()
        save(Path(args.results), {"meta": meta, "results": results})
    meta["machine"] = machine(args, neo4j_version)
    save(Path(args.results), {"meta": meta, "results": results})
    write_report(Path(args.out), report(meta, results))
    chart(results, Path(args.img))
    print(f"report: {args.out}  chart: {args.img}  raw results: {args.results}")


def save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per level at most")
    parser.add_argument("--max-requests", type=int, default=3000, help="requests per level at most")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per level")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--param-sets", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="timeline and peer processes")
    parser.add_argument("--memory-max", default="1M", help="largest size for timeline-memory")
    parser.add_argument(
        "--memory-uncached-max",
        default="100k",
        help="largest size for timeline-memory-uncached (at 1M, two memory servers of 2 "
        "workers each hold about 14 GiB beside Neo4j's 10: run it on its own there)",
    )
    parser.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7690"))
    parser.add_argument(
        "--neo4j-password", default=os.environ.get("NEO4J_PASSWORD", "timeline-dev")
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8101,
        help="timeline; memory uses port + 1, uncached + 2, memory uncached + 3",
    )
    parser.add_argument("--peer-port", type=int, default=4001)
    parser.add_argument("--start-timeout", type=float, default=900)
    parser.add_argument("--profile", action="store_true", help="py-spy timeline during W1")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--img", default=str(ROOT / "docs" / "img" / "benchmarks.png"))
    parser.add_argument("--results", default=str(ROOT / ".bench" / "results.json"))
    args = parser.parse_args(argv)
    args.sizes = [size_of(s) for s in args.sizes.split(",")]
    args.systems = [s.strip() for s in args.systems.split(",")]
    args.workloads = [w.strip() for w in args.workloads.split(",")]
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.memory_max = size_of(args.memory_max)
    args.memory_uncached_max = size_of(args.memory_uncached_max)
    if urllib.parse.urlsplit(args.neo4j_uri).port == 7687:
        parser.error("use a Neo4j of the benchmark's own (not the shared one on 7687)")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse()))
