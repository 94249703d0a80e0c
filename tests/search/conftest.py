"""Prints the relevance suite's metrics at the end of every run that ran it."""

from __future__ import annotations

from typing import Any

from tests.search.test_relevance import RESULTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RESULTS:
        terminalreporter.section("search relevance")
        for backend, m in RESULTS.items():
            terminalreporter.write_line(
                f"{backend}: success@1 {m['success@1']:.1%}  success@3 {m['success@3']:.1%}  "
                f"MRR {m['MRR']:.3f}  ({m['queries']:.0f} queries)"
            )
