"""What each section of an identified product is made of: the page's own facts, then what is beyond the page.

The page's facts (price, reviews, a first verdict) come at once; offers, mentions, the shop's own data and
more review pages refresh their section when they land. `server.sections` runs these parts under the
briefing's deadline.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapers.base import PageScraper, PluginContext
from scrapers.corrections import keep_corrected
from scrapers.search import CombinedSearch
from scrapers.sources import SearchProvider
from scrapers.types import Offer, ProductPage, Review
from server.analysis.prices import price_section
from server.analysis.reviews import review_summary
from server.analysis.verdict import overall_verdict
from server.corrections import history_since_correction
from server.i18n import language_of
from server.i18n.briefing import reviews_in
from server.products import price_observations
from server.section_outcomes import NO_MENTIONS, Skipped, SourceFailed
from server.sources.found import FoundPages
from server.sources.mentions import find_mentions
from server.sources.offers import find_offers
from server.sources.reading import seconds_left
from server.watch import briefing_check

if TYPE_CHECKING:
    from server.pipeline import Pipeline
    from server.pipeline_run import BriefingRun

__all__ = ["SectionParts"]

# Finders stop reading pages this long before the deadline, so they can hand in what they have.
_WRAP_UP_S = 0.15


class SectionParts:
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
        # One language for every word the briefing says: the shopper's, else the page's, else English.
        self.lang = language_of(run.locale) or language_of(_page_language(self.page)) or "en"
        self.other_offers: list[Offer] = []
        self.extra_reviews: list[Review] = []
        self.history: list = []
        self.seen_at: float | None = None
        self.page_sections_done = asyncio.Event()
        self._search: tuple[SearchProvider, PluginContext] | None = None
        self._found: FoundPages | None = None
        self._reported: set[str] = set()
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
        # One time for this visit: its own observations are not the history a reduction is judged by.
        self.seen_at = time.time()
        observations = price_observations(self.page, self.run.product_id, self.seen_at)
        if observations:
            await self.store.add_prices(observations)
        # The shopper's browser read the page: a check of the shopper's own watches of it.
        await briefing_check(
            self.store, self.settings, self.run.owner, self.run.product_id, self.page, self.seen_at
        )
        history = await self.store.prices(self.run.product_id)
        self.history = history_since_correction(history, self.page, self.run.corrections)
        return self.price_now()

    def price_now(self) -> dict[str, Any]:
        offers = [*self.page.offers, *self.other_offers]
        section = price_section(
            offers,
            self.history,
            max_offers=self.settings.briefing.max_offers,
            lang=self.lang,
            at=self.seen_at,
            page_url=self.page.url,
        )
        return _with_source(section, self.page, "price")

    async def reviews(self) -> dict[str, Any]:
        """The reviews section, analyzed in a worker that is stopped at the deadline."""
        reviews = [*self.page.reviews, *self.extra_reviews]
        max_reviews = self.settings.briefing.max_reviews
        # Only the reviews to analyze make the trip to the worker; how many the page had still counts.
        page = dataclasses.replace(self.page, reviews=reviews[:max_reviews])
        section = await self.cpu.run(
            review_summary,
            page,
            max_reviews=max_reviews,
            on_page=len(reviews),
            timeout=seconds_left(self.deadline),
        )
        return _with_source(reviews_in(section, self.lang), self.page, "reviews")

    def verdict(self) -> None:
        run = self.run
        failed = [name for name in ("price", "reviews") if run.briefing[name] is None]
        run.set_section(
            "verdict",
            overall_verdict(
                run.briefing["reviews"],
                run.briefing["price"],
                lang=self.lang,
                failed=failed,
                mentions=run.briefing["mentions"],
                shop=_host(self.page.url),  # its ratings are read against what is usual on that shop
            ),
        )

    # -- beyond the page -------------------------------------------------------------------------------

    def found(self, ctx: PluginContext) -> FoundPages:
        """The briefing's searches and result pages, shared by offers and mentions: a page either wants is
        fetched and read once. Made when the first asks, after the shop's data has completed the product."""
        if self._found is None:
            self._found = FoundPages(ctx, self.cpu, self.page.product)
        return self._found

    def provider(self) -> tuple[SearchProvider, PluginContext]:
        """The briefing's search (one provider, or several asked as one) and the context to ask it with;
        made once, so that the offers and the mentions share it."""
        if self._search is None:
            self._search = self._make_provider()
        return self._search

    def _make_provider(self) -> tuple[SearchProvider, PluginContext]:
        search = self.settings.search
        names = search.chosen()
        if not names:
            raise Skipped('no search provider is configured: [search] says "none" (set provider to search)')
        installed = {p.name: p for p in self.registry.of_kind("search")}
        missing = [name for name in names if name not in installed]
        if missing:
            known = ", ".join(installed) or "none"
            raise SourceFailed(f"search provider {missing[0]!r} is not installed (installed: {known})")
        if len(names) == 1:
            return installed[names[0]], self.context(search.for_provider(names[0]))
        own = {name: search.for_provider(name) for name in names}
        return CombinedSearch([installed[n] for n in names], own), self.context(search)

    def report_search_failures(self) -> None:
        """One `sources` entry for each combined provider that failed, once per briefing."""
        combined = self._search[0] if self._search is not None else None
        if not isinstance(combined, CombinedSearch):
            return
        for name, error in combined.failures.items():
            if name not in self._reported:
                self._reported.add(name)
                self.run.add_source("search", "error", plugin=name, error=error)

    def enriches(self) -> bool:
        """True when the page's plugin completes the product from the shop's data (Shopify's JSON)."""
        plugin = self.registry.page_scraper_named(self.page.plugin)
        return plugin is not None and type(plugin).enrich is not PageScraper.enrich

    async def enrich(self) -> dict[str, Any]:
        """The product completed from the shop's own data; the price follows if the offer changed."""
        try:
            outcome = await self.registry.enrich(self.context(self.settings), self.page)
            if outcome.status != "ok" or outcome.value is None:
                raise SourceFailed(outcome.error or outcome.status)
            self.page = keep_corrected(self.page, outcome.value)
        finally:
            self.identity_known.set()
        await self.page_sections_done.wait()
        if self.run.briefing["price"] is not None:
            self.run.set_section("price", self.price_now())
        # The id stays the page's: it keys the price history and the stored briefings.
        return {"id": self.run.product_id, **dataclasses.asdict(self.page.product)}

    async def mentions(self) -> dict[str, Any]:
        try:
            provider, ctx = self.provider()
        except Skipped as skip:
            raise Skipped(str(skip), NO_MENTIONS) from None
        await self.identity_known.wait()
        lang = (self.run.locale or "")[:2].lower() or _page_language(self.page)
        try:
            result = await find_mentions(
                ctx,
                provider,
                self.page.product,
                cpu=self.cpu,
                lang=lang,
                limit=self.settings.briefing.max_mentions,
                exclude_hosts=(_host(self.page.url),),
                found=self.found(ctx),
            )
        finally:
            self.report_search_failures()
        self.run.briefing["sources"].extend(result.sources)
        return result.section()

    async def offers(self) -> dict[str, Any] | None:
        provider, ctx = self.provider()
        await self.identity_known.wait()
        try:
            result = await find_offers(
                ctx,
                provider,
                self.registry,
                self.page.product,
                page_url=self.page.url,
                cpu=self.cpu,
                limit=self.settings.briefing.max_offers,
                found=self.found(ctx),
            )
        finally:
            self.report_search_failures()
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
            raise SourceFailed(outcome.error or outcome.status)
        if not outcome.value:
            return None
        self.extra_reviews = outcome.value[:limit]
        await self.page_sections_done.wait()
        return await self.reviews()


def _with_source(section: Any, page: ProductPage, field: str) -> Any:
    """The section with where the page's value came from ("correction" when the shopper's correction set
    it, else the scrapers' source for the field), when known."""
    source = page.field_sources.get(field)
    if not isinstance(section, dict) or source is None:
        return section
    return {**section, "source": source}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _page_language(page: ProductPage) -> str:
    langs = [r.language for r in page.reviews if r.language]
    return max(set(langs), key=langs.count) if langs else "en"
