"""The sections of a briefing for an identified product, all under one deadline.

The page's own facts go out at once (price, reviews, then a first verdict). Beyond the page, other sellers'
offers, blog and forum mentions, more review pages and the shop's own data are fetched concurrently; each
refreshes its section when it lands. At the deadline what is still running is cancelled and marked timeout,
and the verdict is weighed again with everything that arrived. What each part does is in
`server.section_parts`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from server.section_outcomes import EXPECTED_FAILURES, NO_MENTIONS, Skipped
from server.section_parts import SectionParts
from server.sources.reading import error_code_of, ms_since, seconds_left

if TYPE_CHECKING:
    from server.pipeline import Pipeline
    from server.pipeline_run import BriefingRun

__all__ = ["run_sections"]

log = logging.getLogger("zmot.pipeline")

_PAGE_ONLY = "[privacy] beyond = false keeps the briefing to the page: nothing beyond it is fetched"

# A part beyond the page: the section it refreshes, the plugin it asks, what makes it, its `sources` name.
_Beyond = tuple[str, str, Callable[[], Awaitable[Any]], str | None]


async def run_sections(pipeline: Pipeline, run: BriefingRun, deadline: float) -> None:
    """Every section of an identified product; failures and lateness go into `sources`."""
    parts = SectionParts(pipeline, run, deadline)
    page_parts = {
        asyncio.create_task(_part(run, "price", "page+history", parts.price)): "price",
        asyncio.create_task(_part(run, "reviews", "sentiment", parts.reviews)): "reviews",
    }
    beyond = {
        asyncio.create_task(_part(run, section, plugin, make, source=source)): source or section
        for section, plugin, make, source in _beyond_parts(parts, pipeline.settings.privacy.beyond)
    }
    verdict = asyncio.create_task(_first_verdict(parts, page_parts))
    everything = {**page_parts, **beyond}
    done, pending = await asyncio.wait([*everything, verdict], timeout=seconds_left(deadline))
    for task in pending:
        task.cancel()
        if task in everything:
            run.add_source(
                everything[task],
                "timeout",
                elapsed_ms=run.elapsed_ms(),
                error="not finished before the briefing deadline",
            )
    await asyncio.gather(*pending, return_exceptions=True)
    if verdict in pending or any(task.result() in ("ok", "refreshed") for task in done if task in beyond):
        parts.verdict()  # weighed again with what arrived (or, at the deadline, saying what is missing)


def _beyond_parts(parts: SectionParts, beyond: bool) -> list[_Beyond]:
    """The parts that fetch beyond the page; with `beyond` off, each says so and nothing is fetched."""
    found: list[_Beyond] = [
        ("price", "search", parts.offers, "offers"),
        ("mentions", "search", parts.mentions, None),
    ]
    if parts.enriches():
        found.append(("product", parts.page.plugin, parts.enrich, "shop data"))
    if parts.pages_reviews():
        found.append(("reviews", parts.page.plugin, parts.more_reviews, "more reviews"))
    if beyond:
        return found
    parts.identity_known.set()
    return [(section, plugin, _kept_to_the_page(section), source) for section, plugin, _, source in found]


async def _first_verdict(parts: SectionParts, page_parts: dict[asyncio.Task, str]) -> None:
    """The verdict on the page's own facts, as soon as they are in; the parts beyond the page wait for it."""
    await asyncio.wait(page_parts)
    parts.verdict()
    parts.page_sections_done.set()


async def _part(
    run: BriefingRun,
    section: str,
    plugin: str,
    make: Callable[[], Awaitable[Any]],
    *,
    source: str | None = None,
) -> str:
    """Run one part; publish its section when it has data.

    Returns ok, refreshed, skipped, timeout or error."""
    started = time.monotonic()
    name = source or section
    try:
        data = await make()
    except Skipped as skip:
        if skip.data is not None:
            run.set_section(section, skip.data)
        run.add_source(name, "skipped", plugin=plugin, elapsed_ms=ms_since(started), error=str(skip))
        return "skipped"
    except TimeoutError:  # its work in a CPU worker reached the deadline (and the worker was stopped)
        late = "not finished before the briefing deadline"
        run.add_source(name, "timeout", plugin=plugin, elapsed_ms=ms_since(started), error=late)
        return "timeout"
    except Exception as exc:  # a failing part costs its own entry, not the briefing
        # A refusal, a site or provider that failed: the entry says it all.
        if isinstance(exc, EXPECTED_FAILURES):
            log.info("%s failed for %s: %s", name, run.briefing["url"], exc)
        else:
            log.warning("%s failed for %s: %r", name, run.briefing["url"], exc, exc_info=True)
        run.add_source(
            name,
            "error",
            plugin=plugin,
            elapsed_ms=ms_since(started),
            error=str(exc),
            error_code=error_code_of(exc),
        )
        return "error"
    if data is not None:
        run.set_section(section, data)
    run.add_source(name, "ok", plugin=plugin, elapsed_ms=ms_since(started))
    return "refreshed" if source and data is not None else "ok"


def _kept_to_the_page(section: str) -> Callable[[], Awaitable[Any]]:
    async def skip() -> None:
        raise Skipped(_PAGE_ONLY, NO_MENTIONS if section == "mentions" else None)

    return skip
