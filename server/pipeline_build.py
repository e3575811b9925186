"""Build one briefing: take or fetch the page, identify the product, run the sections, store the result."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import TYPE_CHECKING

from scrapers.base import Page
from scrapers.types import ProductPage
from server.corrections import (
    corrections_digest,
    corrections_of_page,
    corrections_report,
    for_page,
    with_corrections,
)
from server.errors import ZmotError
from server.fetch import Fetcher
from server.products import page_key, product_id
from server.sections import run_sections
from server.settings import Settings
from server.sources.reading import ms_since, seconds_left

if TYPE_CHECKING:
    from server.pipeline import Pipeline
    from server.pipeline_run import BriefingRun

__all__ = ["complete", "identify", "ttl_s"]

log = logging.getLogger("zmot.pipeline")

_PARTIAL_TTL_S = 15 * 60  # how long a partial briefing is served again for its product


async def complete(pipeline: Pipeline, run: BriefingRun, html: str | None) -> None:
    """Everything after the start: the page when it was not posted, the sections, then the finished run
    announced, stored and its page released for another claim."""
    deadline = run.started + pipeline.settings.briefing.deadline_s
    cancelled = False
    try:
        if html is None:
            html = await asyncio.wait_for(_fetch_page(pipeline.fetcher, run), timeout=seconds_left(deadline))
            if html is None:  # why is in the page's source entry
                run.set_section("product", None)
                return
            await identify(pipeline, run, html)
        await _run_sections(pipeline, run, deadline)
    except TimeoutError:
        run.add_source(
            "page",
            "timeout",
            url=run.briefing["url"],
            elapsed_ms=run.elapsed_ms(),
            error="the page did not arrive before the deadline",
        )
    except asyncio.CancelledError:  # the server is shutting down
        cancelled = True
        raise
    finally:
        run.finish("partial" if cancelled or run.has_failures() else "complete")
        if pipeline.on_finish is not None:
            pipeline.on_finish(run)
        await _save(pipeline, run)
        await pipeline.coordination.end(run.id)  # stored: the page may be claimed again


async def identify(pipeline: Pipeline, run: BriefingRun, html: str) -> None:
    """Scrape the page (off the event loop) and publish the product section."""
    started = time.monotonic()
    corrections = await corrections_of_page(pipeline.store, run.owner, run.briefing["url"])
    run.corrections, run.corrections_digest = corrections, corrections_digest(corrections)
    page = await _scrape(pipeline, run, html, started)
    if page is None:
        run.set_section("product", None)
        return
    run.page = page
    if corrections:
        run.briefing["corrections"] = corrections_report(page, corrections)
    if page.is_product:
        url = run.briefing["url"]
        run.product_id = product_id(page.product, url)
        run.page_key = with_corrections(page_key(url, page), run.briefing.get("corrections"))
        product = dataclasses.asdict(page.product)
        run.set_section("product", {"id": run.product_id, **product})
    else:
        run.set_section("product", None)


async def _scrape(pipeline: Pipeline, run: BriefingRun, html: str, started: float) -> ProductPage | None:
    """The page as the scrapers read it, with its `sources` entries; None when they failed or were late."""
    url = run.briefing["url"]
    deadline = run.started + pipeline.settings.briefing.deadline_s
    # The shopper's corrections of this site go with the page: they win over the scrapers' values.
    extra = (for_page(run.corrections),) if run.corrections else ()
    try:
        # In a worker process: at the deadline a hung plugin is stopped, not left running.
        page = await pipeline.cpu.run(
            pipeline.registry.scrape, Page(url=url, html=html), *extra, timeout=seconds_left(deadline)
        )
    except TimeoutError:
        run.add_source(
            "page",
            "timeout",
            url=url,
            elapsed_ms=ms_since(started),
            error="the page scrapers did not finish before the briefing deadline",
        )
        return None
    except Exception as exc:  # a broken plugin costs its own entry, not the briefing
        log.exception("scraping %s failed", url)
        run.add_source("page", "error", url=url, elapsed_ms=ms_since(started), error=f"scraper failed: {exc}")
        return None
    run.add_source("page", "ok", plugin=page.plugin, url=url, elapsed_ms=ms_since(started))
    for error in page.errors:  # a site plugin failed; the generic result stands in for it
        plugin, _, why = error.partition(": ")
        run.add_source("page", "error", plugin=plugin, url=url, error=why or error)
    return page


async def _fetch_page(fetcher: Fetcher, run: BriefingRun) -> str | None:
    started = time.monotonic()
    url = run.briefing["url"]
    try:
        response = await fetcher.fetch(url)
    except ZmotError as exc:
        run.add_source("page", exc.source_status, url=url, elapsed_ms=ms_since(started), error=exc.message)
        return None
    if response.status >= 400:
        run.add_source(
            "page",
            "error",
            url=url,
            elapsed_ms=ms_since(started),
            error=f"the shop answered HTTP {response.status}",
        )
        return None
    return response.text


async def _run_sections(pipeline: Pipeline, run: BriefingRun, deadline: float) -> None:
    page = run.page
    if page is None or not page.is_product:
        for name in ("price", "reviews"):
            run.add_source(name, "skipped", error="the page does not look like a product page")
        return
    await run_sections(pipeline, run, deadline)


def ttl_s(settings: Settings, run: BriefingRun) -> float:
    """How long a finished briefing is served again for its page."""
    if run.briefing["status"] == "partial":
        # A flaky blog should not cost every later shopper a new briefing, nor keep the gap for hours.
        return min(settings.briefing.ttl_s, _PARTIAL_TTL_S)
    return settings.briefing.ttl_s


async def _save(pipeline: Pipeline, run: BriefingRun) -> None:
    try:
        await pipeline.store.put_briefing(
            run.briefing, page_key=run.page_key, ttl_s=ttl_s(pipeline.settings, run)
        )
    except Exception:  # the shopper already has the briefing; a full disk must not take it away
        log.exception("could not store briefing %s", run.id)
    finally:
        run.saved = True
