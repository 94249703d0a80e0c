"""Responsive embeds in Chromium (each backend): the embed posts its height, ``/embed.js``
on the host page sizes every timeline iframe to its content (and again as it grows), the
oEmbed HTML can carry the script, AMP's resize message is sent; print and reduced motion."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.browser.conftest import Watched, serve, until

HOST = """<!doctype html><html lang="en"><head><title>A news page</title></head><body>
<h1>News</h1>
<iframe id="a" src="{live}/embed/timeline?involving=country:mx" width="600" height="150"
        title="Timeline A" style="border:0"></iframe>
<iframe id="b" src="{live}/embed/timeline?involving=person:antony-blinken&locale=es"
        width="600" height="150" title="Timeline B" style="border:0"></iframe>
<iframe id="other" src="{live}/static/timeline.css" height="150" title="not ours"></iframe>
<script>
  window.ampMessages = [];
  window.addEventListener('message', (e) => {{
    if (e.data && e.data.sentinel === 'amp') window.ampMessages.push(e.data);
  }});
</script>
<script async src="{live}/embed.js"></script>
</body></html>"""


async def frame_height(page: Any, frame_id: str) -> int:
    return int(await page.evaluate(f"document.getElementById('{frame_id}').offsetHeight"))


async def content_height(page: Any, frame_id: str) -> int:
    frame = page.frame_locator(f"#{frame_id}")
    box = await frame.locator(".tl-embed").bounding_box()
    return int(box["height"]) if box else 0


async def test_host_script_sizes_every_timeline_iframe(live: str, watched: Watched) -> None:
    page = watched.page
    async with news_site(HOST.format(live=live)) as news:  # another origin
        await page.goto(news)
        await check_sizes(page)


@contextlib.asynccontextmanager
async def news_site(html: str) -> AsyncIterator[str]:
    async def home(request: Request) -> HTMLResponse:
        return HTMLResponse(html)

    async with serve(Starlette(routes=[Route("/", home)])) as url:
        yield f"{url}/"


async def sized(page: Any, frame_id: str, seconds: float = 15.0) -> int:
    """Wait until the iframe's height is its content's (within 2 px); that height. Under
    load the host script can be a message behind the content, so poll to a deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        frame, content = await frame_height(page, frame_id), await content_height(page, frame_id)
        if content > 0 and abs(frame - content) <= 2:
            return frame
        if loop.time() > deadline:
            raise AssertionError(f"iframe #{frame_id} is {frame} px high, its content {content} px")
        await asyncio.sleep(0.05)


async def check_sizes(page: Any) -> None:
    for frame_id in ("a", "b"):
        await page.frame_locator(f"#{frame_id}").locator(".tl-embed").wait_for()
        assert await sized(page, frame_id) > 400  # sized to its content, not its 150 px
    other = "((f) => [f.getAttribute('height'), f.style.height])(document.getElementById('other'))"
    assert await page.evaluate(other) == ["150", ""]  # not a timeline: untouched
    # no inner scroll bar: the frame's document fits
    a = page.frame_locator("#a")
    assert await a.locator("html").evaluate("(html) => html.scrollHeight <= html.clientHeight + 1")
    # it grows with the content: sources opened
    before = await frame_height(page, "a")
    for summary in await a.locator("summary").all():
        await summary.click()
    await until(page, f"document.getElementById('a').offsetHeight > {before}")
    assert await sized(page, "a") > before
    assert await page.evaluate("window.ampMessages.some((m) => m.type === 'embed-size')")


async def test_oembed_html_can_carry_the_host_script(live: str) -> None:
    embed = f"{live}/embed/timeline?involving=country:pa"
    async with httpx.AsyncClient() as http:
        plain = (await http.get(f"{live}/oembed", params={"url": embed})).json()
        responsive = (
            await http.get(f"{live}/oembed", params={"url": embed, "responsive": "true"})
        ).json()
        script = await http.get(f"{live}/embed.js")
        bad = await http.get(f"{live}/oembed", params={"url": embed, "responsive": "maybe"})
    assert "<script" not in plain["html"]
    assert responsive["html"].startswith("<iframe ")
    assert responsive["html"].endswith(f'<script async src="{live}/embed.js"></script>')
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "timeline:resize" in script.text
    assert bad.status_code == 400


async def test_print_shows_sources_and_hides_controls(live: str, watched: Watched) -> None:
    page = watched.page
    await page.goto(f"{live}/embed/timeline?involving=country:mx&theme=dark")
    await page.emulate_media(media="print")
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert await page.locator(".tl-more-button").is_hidden()
    assert await page.locator("details.tl-sources:not([open])").count() == 0
    background = await page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(255, 255, 255)"  # print is black on white, even in dark theme
    await page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    await page.emulate_media(media="screen")
    assert await page.locator("details.tl-sources[open]").count() == 0
    dark = await page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert dark != "rgb(255, 255, 255)"  # the dark theme is kept on screen


async def test_reduced_motion_stops_animation(live: str, browser: Any) -> None:
    context = await browser.new_context(reduced_motion="reduce")
    try:
        page = await context.new_page()
        await page.goto(f"{live}/embed/timeline?involving=country:mx")
        name = await page.evaluate(
            "getComputedStyle(document.querySelector('.tl-more-button')).transitionDuration"
        )
        assert name in ("0s", "0ms")
    finally:
        await context.close()
