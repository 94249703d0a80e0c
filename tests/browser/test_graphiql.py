"""GraphiQL at /graphql runs from the package's own copies (npm, `make assets`): it loads
with no request off the server, shows the schema and runs a query."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.conftest import STATIC_VENDOR, Watched, need_vendor, until


@pytest.mark.parametrize("backend", ["memory"], indirect=True)
async def test_graphiql_runs_a_query_from_local_assets(live: str, watched: Watched) -> None:
    need_vendor(STATIC_VENDOR / "graphiql" / "graphiql.min.js")
    page = watched.page
    query = quote('{ event(id: "event:panama-ministerial-2022") { name } }')
    response = await page.goto(f"{live}/graphql#query={query}")
    assert response is not None
    assert "default-src 'self'" in response.headers["content-security-policy"]
    await until(page, "document.querySelector('.graphiql-execute-button') !== null")
    await page.click(".graphiql-execute-button")
    text = await until(
        page,
        "(document.querySelector('.result-window') || {}).innerText"
        " && document.querySelector('.result-window').innerText.includes('Ministerial')"
        " && document.querySelector('.result-window').innerText",
    )
    assert "Ministerial Conference on Migration and Protection" in text
