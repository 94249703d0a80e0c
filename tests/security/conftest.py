"""The checks every hostile request's answer must pass (the HTTP client on the app over
each backend's store is the shared ``http`` / ``gql`` of ``tests/conftest.py``)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

#: What must never reach a client: tracebacks, source paths, Python exception class names,
#: database internals.
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|/src/|site-packages|"
    r"\b[A-Z][A-Za-z]*(Error|Exception|Timeout|Unavailable)\b|"
    r"\b(MATCH|MERGE|RETURN|UNWIND|OPTIONAL MATCH)\s*\(|neo4j\.|bolt://|networkx|strawberry"
)


def assert_clean(
    response: httpx.Response, status: int, *codes: str, sent: str = ""
) -> dict[str, Any]:
    """The answer is JSON with the expected status, every error has one of ``codes`` (when
    given), and nothing internal shows. ``sent`` is removed first: a message may quote the
    request's own text."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/"), response.headers
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    text = response.text.replace(sent, "") if sent else response.text
    leak = LEAKS.search(text)
    assert leak is None, f"leaks {leak.group(0)!r}: {text[:500]}"
    for error in body.get("errors") or []:
        assert isinstance(error["message"], str) and error["message"], error
        code = error["extensions"]["code"]
        assert code != "INTERNAL_SERVER_ERROR", error
        if codes:
            assert code in codes, error
    return body


def codes_of(body: dict[str, Any]) -> set[str]:
    return {error["extensions"]["code"] for error in body.get("errors") or []}
