"""The review page in Chromium (each backend): an ingested article with its mentions
highlighted, proposals beside their sentences, accept / edit / reject by keyboard."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Watched, make_app, serve, until
from tests.conftest import KEYS, WRITER
from timeline.config import Settings
from timeline.stores.base import Store

ARTICLE = (
    "Bliken meets Bárcena\n\n"
    "This Wednesday, Secretary of State Antony Bliken met Mexico's Foreign Secretary Alicia "
    "Barcena in Panama City. Panama hosted the talks.\n"
    "Minister Carlos Ramírez Ortega attended.\n"
)


@pytest.fixture
async def review_live(writable_store: Store, tmp_path: Path) -> AsyncIterator[tuple[str, Store]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings(
        api_keys=json.dumps(KEYS),
        curation_dir=tmp_path / "documents",
        audit_log=tmp_path / "audit.jsonl",
        corpus=corpus,
        rate_limit=0,
    )
    async with serve(make_app(writable_store, settings)) as url:
        yield url, writable_store


async def test_review_an_article_by_keyboard(
    review_live: tuple[str, Store], watched: Watched
) -> None:
    url, store = review_live
    page: Any = watched.page
    await page.goto(f"{url}/review")
    # the key, typed in; then ingest through the page's own form
    await page.get_by_label("API key (write scope)").fill(WRITER)
    await page.get_by_label("API key (write scope)").press("Enter")
    await until(page, "document.getElementById('rv-status').textContent.length > 0")
    await page.locator("summary").click()
    await page.get_by_label("Title").fill("Bliken meets Bárcena")
    await page.get_by_label("Published (EDTF)").fill("2024-03-06")
    await page.get_by_label("Text").fill(ARTICLE)
    await page.get_by_role("button", name="Ingest", exact=True).click()
    await until(page, "document.querySelectorAll('.rv-item').length > 0")

    # mentions highlighted in the article's own text; proposals beside their sentence
    marks = page.locator("mark.rv-mention")
    texts = await marks.all_inner_texts()
    assert "Antony Bliken" in texts and "Alicia Barcena" in texts
    # new entities too: the person the graph lacks, and the ministry her title heads
    new = await page.locator("mark.rv-new").all_inner_texts()
    assert "Carlos Ramírez Ortega" in new and "Mexico's Foreign Secretary" in new
    row = page.locator(".rv-row").filter(has=page.locator("mark", has_text="Antony Bliken"))
    assert (await row.locator(".rv-text").inner_text()).endswith("Barcena in Panama City.")
    assert await row.locator(".rv-item[data-kind=MENTION]").count() >= 2

    # keyboard: j moves to the first proposal, a accepts it
    await page.locator("body").press("j")
    first = page.locator(".rv-item").first
    assert await first.evaluate("node => node === document.activeElement")
    first_id = await first.get_attribute("data-id")
    await page.keyboard.press("a")
    await until(
        page, f"document.querySelector('[data-id=\"{first_id}\"]').dataset.status === 'ACCEPTED'"
    )
    dump = await store.dump()
    assert any(d.title == "Bliken meets Bárcena" for d in dump.documents.values())

    # reject the next pending proposal with a reason, by keyboard
    pending = page.locator(".rv-item[data-status=PENDING]").first
    pending_id = await pending.get_attribute("data-id")
    await pending.focus()
    await page.keyboard.press("r")
    reason = page.get_by_label("Reason")
    await reason.fill("not in this article")
    await reason.press("Enter")
    await until(
        page,
        "document.getElementById('rv-status').textContent.startsWith('Rejected')"
        " || document.getElementById('rv-status').classList.contains('rv-error')",
    )
    assert "Rejected" in await page.locator("#rv-status").inner_text()
    await until(
        page, f"document.querySelector('[data-id=\"{pending_id}\"]').dataset.status === 'REJECTED'"
    )
    assert "not in this article" in await page.locator(f'[data-id="{pending_id}"]').inner_text()

    # edit: bad edits are refused with curation's reason, nothing changes
    fact = page.locator(".rv-item[data-kind=FACT][data-status=PENDING]").first
    await fact.focus()
    await page.keyboard.press("e")
    edits = page.locator(".rv-actions textarea")
    await edits.fill('{"type": "NOT_A_TYPE"}')
    await page.get_by_role("button", name="Accept with edits").click()
    await until(page, "document.getElementById('rv-status').classList.contains('rv-error')")
    assert "Not accepted" in await page.locator("#rv-status").inner_text()


async def test_review_page_without_a_key_says_so(live: str, watched: Watched) -> None:
    page: Any = watched.page
    await page.goto(f"{live}/review")
    await until(page, "document.getElementById('rv-status').textContent.length > 0")
    assert "API key" in await page.locator("#rv-status").inner_text()
