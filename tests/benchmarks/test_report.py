"""The benchmark report's goal table computes what issue 14 asks, from a results table."""

from __future__ import annotations

from benchmarks.run import uncached_goal


def _row(p50: float, rps: float) -> dict[str, float]:
    return {"p50_ms": p50, "p99_ms": p50 * 2, "throughput": rps, "errors": 0}


def test_uncached_goal_geo_mean_lowest_cell_and_raw_ratio() -> None:
    table = {
        (10_000, "W1", 1, "peer"): _row(10, 100),
        (10_000, "W1", 1, "raw"): _row(5, 200),
        (10_000, "W1", 1, "timeline-uncached"): _row(6, 400),
        (10_000, "W1", 1, "timeline-memory-uncached"): _row(1, 500),
        (10_000, "W2", 8, "peer"): _row(10, 100),
        (10_000, "W2", 8, "timeline-uncached"): _row(20, 25),
        (10_000, "W2", 8, "timeline-memory-uncached"): _row(2, 250),
    }
    lines = uncached_goal(table, [10_000])
    row = lines[4]
    # geo-mean of 4.0 and 0.25 is 1.0; the lowest cell 0.25; W1's p50 6/5 = 1.2 at c=1
    # (W2 is at c=8, not counted); memory's lowest cell 2.5.
    assert row == (
        "| 10k | 1.00× **missed** | 0.25× **missed** | 1.20× **met** | 2.50× **missed** |"
    )


def test_uncached_goal_without_the_systems_says_so() -> None:
    table = {(10_000, "W1", 1, "peer"): _row(10, 100)}
    assert uncached_goal(table, [10_000])[4] == "| 10k | – | – | – | – |"
