"""TimelineJS3 itself (its built dist from npm, served only to tests) renders /timeline.json."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from tests.browser.conftest import VENDOR, Watched, need_vendor, until
from tests.fixtures import HOSTILE


async def test_timelinejs_renders_our_json(live: str, watched: Watched) -> None:
    need_vendor(VENDOR / "timelinejs" / "js" / "timeline.js")
    source = "/timeline.json?involving=person:antony-blinken"
    async with httpx.AsyncClient(base_url=live) as http:
        slides = (await http.get(source)).json()["events"]
    page = watched.page
    await page.goto(f"{live}/__tests__/timelinejs.html?source={quote(source)}")
    await until(page, "window.timelineReady === true", seconds=20)
    headlines = await page.locator(".tl-slide .tl-headline").all_inner_texts()
    shown = {h.strip() for h in headlines}
    assert "Events involving Antony J. Blinken" in shown  # the title slide
    for slide in slides:
        assert slide["text"]["headline"] in shown
    assert len(slides) == 6
    # the timenav groups events by our categories and places them
    groups = await page.locator(".tl-timegroup-message").all_inner_texts()
    assert {"Ministerial", "Signing"} <= set(groups)
    assert await page.locator(".tl-timemarker").count() == len(slides)
    # our display dates, not ones TimelineJS makes up from the parts
    dates = {d.strip() for d in await page.locator(".tl-slide .tl-headline-date").all_inner_texts()}
    assert "October 2021" in dates
    assert "19\u2009–\u200920 April 2022" in dates


async def test_timelinejs_shows_hostile_text_literally(live: str, watched: Watched) -> None:
    need_vendor(VENDOR / "timelinejs" / "js" / "timeline.js")
    source = "/timeline.json?involving=person:hostile"
    page = watched.page
    await page.goto(f"{live}/__tests__/timelinejs.html?source={quote(source)}")
    await until(page, "window.timelineReady === true", seconds=20)
    headlines = {h.strip() for h in await page.locator(".tl-slide .tl-headline").all_inner_texts()}
    assert HOSTILE in headlines
    await page.wait_for_timeout(300)
    assert watched.dialogs == []


async def test_timelinejs_json_marks_planned_events_and_inferred_sources(live: str) -> None:
    async with httpx.AsyncClient(base_url=live) as http:
        slides = (
            await http.get("/timeline.json?involving=country:mx&from=2023-03-24&to=2023-12-31")
        ).json()
    stated, planned = slides["events"]
    assert planned["unique_id"] == "event-meeting-25-2023"
    assert planned["display_date"] == "25 March 2023 (planned)"
    assert "Planned" in planned["text"]["text"]
    assert (
        "Inferred: Announced for 25 March 2023; no later text reports that it took place."
        in planned["text"]["text"]
    )
    assert stated["display_date"] == "24 March 2023"
    assert "Planned" not in stated["text"]["text"]
    assert "Stated: the quote says this." in stated["text"]["text"]
    planned_only = await httpx.AsyncClient(base_url=live).get("/timeline.json?status=planned")
    assert [e["unique_id"] for e in planned_only.json()["events"]] == ["event-meeting-25-2023"]
