"""The sections of a briefing for an identified product, all under one deadline.

The page's own facts go out at once (price, reviews, then a first verdict). Beyond the page, other sellers'
offers, blog and forum mentions, more review pages and the shop's own data are fetched concurrently; each
refreshes its section when it lands. At the deadline what is still running is cancelled and marked timeout,
and the verdict is weighed again with everything that arrived.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapers.base import PageScraper, PluginContext
from scrapers.sources import SearchProvider
from scrapers.types import Offer, ProductPage, Review
from server.analysis.prices import price_section
from server.analysis.reviews import review_summary
from server.analysis.verdict import overall_verdict
from server.products import price_observations
from server.sources.mentions import find_mentions
from server.sources.offers import find_offers
from server.sources.reading import ms_since

if TYPE_CHECKING:
    from server.pipeline import BriefingRun, Pipeline

__all__ = ["run_sections"]

log = logging.getLogger("zmot.pipeline")

# Finders stop reading pages this long before the deadline, so they can hand in what they have.
_WRAP_UP_S = 0.15
_NO_MENTIONS = {"items": [], "sentiment": None}


class _Skipped(Exception):
    """A part that has nothing to do, with the data it publishes and the reason why."""

    def __init__(self, reason: str, data: Any = None) -> None:
        super().__init__(reason)
        self.data = data


class _Sections:
    """One product's sections: what the page says, refreshed as what is beyond it arrives."""

    def __init__(self, pipeline: Pipeline, run: BriefingRun, deadline: float) -> None:
        self.settings = pipeline.settings
        self.registry = pipeline.registry
        self.store = pipeline.store
        self.fetch = pipeline.fetcher.fetch
        self.cpu = pipeline.cpu
        self.run = run
        self.deadline = deadline
        assert run.page is not None
        self.page: ProductPage = run.page
        self.other_offers: list[Offer] = []
        self.extra_reviews: list[Review] = []
        self.history: list = []
        self.page_sections_done = asyncio.Event()
        # Searches wait for the shop's own data when its plugin has some (a GTIN finds other sellers).
        self.identity_known = asyncio.Event()
        if not self.enriches():
            self.identity_known.set()

    def context(self, settings: Any) -> PluginContext:
        return PluginContext(
            fetch=self.fetch,
            settings=settings,
            logger=logging.getLogger("zmot.plugins"),
            deadline=self.deadline - _WRAP_UP_S,
        )

    # -- the page's own facts --------------------------------------------------------------------------

    async def price(self) -> dict[str, Any]:
        observations = price_observations(self.page, self.run.product_id, time.time())
        if observations:
            await self.store.add_prices(observations)
        self.history = await self.store.prices(self.run.product_id)
        return self.price_now()

    def price_now(self) -> dict[str, Any]:
        offers = [*self.page.offers, *self.other_offers]
        return price_section(offers, self.history, max_offers=self.settings.briefing.max_offers)

    async def reviews(self) -> dict[str, Any]:
        """The reviews section, analyzed in a worker that is stopped at the deadline."""
        reviews = [*self.page.reviews, *self.extra_reviews]
        max_reviews = self.settings.briefing.max_reviews
        # Only the reviews to analyze make the trip to the worker; how many the page had still counts.
        page = dataclasses.replace(self.page, reviews=reviews[:max_reviews])
        return await self.cpu.run(
            review_summary, page, max_reviews=max_reviews, on_page=len(reviews), timeout=_left(self.deadline)
        )

    def verdict(self) -> None:
        run = self.run
        failed = [name for name in ("price", "reviews") if run.briefing[name] is None]
        reviews = run.briefing["reviews"] or {}
        locale = (run.locale or "")[:2].lower()
        lang = locale if locale in ("en", "it", "fr") else next(iter(reviews.get("languages") or {}), "en")
        run.set_section(
            "verdict",
            overall_verdict(
                run.briefing["reviews"],
                run.briefing["price"],
                lang=lang,
                failed=failed,
                mentions=run.briefing["mentions"],
            ),
        )

    # -- beyond the page -------------------------------------------------------------------------------

    def provider(self) -> SearchProvider:
        search = self.settings.search
        if not search.provider:
            raise _Skipped(
                "no search provider is configured: set [search] provider and url (for example a SearXNG)"
            )
        found = next((p for p in self.registry.of_kind("search") if p.name == search.provider), None)
        if found is None:
            names = ", ".join(p.name for p in self.registry.of_kind("search")) or "none"
            raise RuntimeError(f"search provider {search.provider!r} is not installed (installed: {names})")
        return found

    def enriches(self) -> bool:
        """True when the page's plugin completes the product from the shop's data (Shopify's JSON)."""
        plugin = self.registry.page_scraper_named(self.page.plugin)
        return plugin is not None and type(plugin).enrich is not PageScraper.enrich

    async def enrich(self) -> dict[str, Any]:
        """The product completed from the shop's own data; the price follows if the offer changed."""
        try:
            outcome = await self.registry.enrich(self.context(self.settings), self.page)
            if outcome.status != "ok" or outcome.value is None:
                raise RuntimeError(outcome.error or outcome.status)
            self.page = outcome.value
        finally:
            self.identity_known.set()
        await self.page_sections_done.wait()
        if self.run.briefing["price"] is not None:
            self.run.set_section("price", self.price_now())
        # The id stays the page's: it keys the price history and the stored briefings.
        return {"id": self.run.product_id, **dataclasses.asdict(self.page.product)}

    async def mentions(self) -> dict[str, Any]:
        try:
            provider = self.provider()
        except _Skipped as skip:
            raise _Skipped(str(skip), _NO_MENTIONS) from None
        await self.identity_known.wait()
        lang = (self.run.locale or "")[:2].lower() or _page_language(self.page)
        result = await find_mentions(
            self.context(self.settings.search),
            provider,
            self.page.product,
            cpu=self.cpu,
            lang=lang,
            limit=self.settings.briefing.max_mentions,
            exclude_hosts=(_host(self.page.url),),
        )
        self.run.briefing["sources"].extend(result.sources)
        return result.section()

    async def offers(self) -> dict[str, Any] | None:
        provider = self.provider()
        await self.identity_known.wait()
        result = await find_offers(
            self.context(self.settings.search),
            provider,
            self.registry,
            self.page.product,
            page_url=self.page.url,
            cpu=self.cpu,
            limit=self.settings.briefing.max_offers,
        )
        self.run.briefing["sources"].extend(result.sources)
        if not result.offers:
            return None
        self.other_offers = result.offers
        in_stock = [o for o in result.offers if o.availability != "out_of_stock"]
        elsewhere = ProductPage(self.page.url, "offers", offers=in_stock)
        # Every price one could pay is kept, other sellers' too (a sold-out shop's price is not one).
        await self.store.add_prices(price_observations(elsewhere, self.run.product_id, time.time()))
        await self.page_sections_done.wait()
        if self.run.briefing["price"] is None:
            return None
        return self.price_now()

    def pages_reviews(self) -> bool:
        """True when the page's plugin reads further review pages and more reviews are wanted."""
        plugin = self.registry.page_scraper_named(self.page.plugin)
        wanted = self.settings.briefing.max_reviews > len(self.page.reviews)
        return wanted and plugin is not None and type(plugin).more_reviews is not PageScraper.more_reviews

    async def more_reviews(self) -> dict[str, Any] | None:
        limit = self.settings.briefing.max_reviews - len(self.page.reviews)
        outcome = await self.registry.more_reviews(self.context(self.settings), self.page, limit=limit)
        if outcome.status != "ok":
            raise RuntimeError(outcome.error or outcome.status)
        if not outcome.value:
            return None
        self.extra_reviews = outcome.value[:limit]
        await self.page_sections_done.wait()
        return await self.reviews()


async def run_sections(pipeline: Pipeline, run: BriefingRun, deadline: float) -> None:
    """Every section of an identified product; failures and lateness go into `sources`."""
    parts = _Sections(pipeline, run, deadline)
    page_parts = {
        asyncio.create_task(_part(run, "price", "page+history", parts.price)): "price",
        asyncio.create_task(_part(run, "reviews", "sentiment", parts.reviews)): "reviews",
    }
    beyond = {
        asyncio.create_task(_part(run, "price", "search", parts.offers, source="offers")): "offers",
        asyncio.create_task(_part(run, "mentions", "search", parts.mentions)): "mentions",
    }
    if parts.enriches():
        completing = _part(run, "product", parts.page.plugin, parts.enrich, source="shop data")
        beyond[asyncio.create_task(completing)] = "shop data"
    if parts.pages_reviews():
        paging = _part(run, "reviews", parts.page.plugin, parts.more_reviews, source="more reviews")
        beyond[asyncio.create_task(paging)] = "more reviews"

    async def first_verdict() -> None:
        await asyncio.wait(page_parts)
        parts.verdict()
        parts.page_sections_done.set()

    verdict = asyncio.create_task(first_verdict())
    everything = {**page_parts, **beyond}
    done, pending = await asyncio.wait([*everything, verdict], timeout=_left(deadline))
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
    except _Skipped as skip:
        if skip.data is not None:
            run.set_section(section, skip.data)
        run.add_source(name, "skipped", plugin=plugin, elapsed_ms=ms_since(started), error=str(skip))
        return "skipped"
    except TimeoutError:  # its work in a CPU worker reached the deadline (and the worker was stopped)
        late = "not finished before the briefing deadline"
        run.add_source(name, "timeout", plugin=plugin, elapsed_ms=ms_since(started), error=late)
        return "timeout"
    except Exception as exc:  # a failing part costs its own entry, not the briefing
        log.warning("%s failed for %s: %r", name, run.briefing["url"], exc, exc_info=True)
        run.add_source(name, "error", plugin=plugin, elapsed_ms=ms_since(started), error=str(exc))
        return "error"
    if data is not None:
        run.set_section(section, data)
    run.add_source(name, "ok", plugin=plugin, elapsed_ms=ms_since(started))
    return "refreshed" if source and data is not None else "ok"


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _page_language(page: ProductPage) -> str:
    langs = [r.language for r in page.reviews if r.language]
    return max(set(langs), key=langs.count) if langs else "en"
