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
from scrapers.corrections import keep_corrected
from scrapers.search import CombinedSearch
from scrapers.search._json import SearchFailed
from scrapers.sources import SearchProvider
from scrapers.types import Offer, ProductPage, Review
from server.analysis.prices import price_section
from server.analysis.reviews import review_summary
from server.analysis.verdict import overall_verdict
from server.corrections import history_since_correction
from server.errors import ZmotError
from server.i18n import language_of
from server.i18n.briefing import reviews_in
from server.products import price_observations
from server.sources.found import FoundPages
from server.sources.mentions import find_mentions
from server.sources.offers import find_offers
from server.sources.reading import error_code_of, ms_since
from server.watch import briefing_check

if TYPE_CHECKING:
    from server.pipeline import BriefingRun, Pipeline

__all__ = ["run_sections"]

log = logging.getLogger("zmot.pipeline")

# Finders stop reading pages this long before the deadline, so they can hand in what they have.
_WRAP_UP_S = 0.15
_NO_MENTIONS = {"items": [], "sentiment": None}
_PAGE_ONLY = "[privacy] beyond = false keeps the briefing to the page: nothing beyond it is fetched"


class _SourceFailed(Exception):
    """A plugin's part failed the expected way (a refusal, an unreadable site); its outcome says why."""


# Failures that are the web's, not zmot's: one line each, the traceback is of no use.
_EXPECTED = (ZmotError, SearchFailed, _SourceFailed, OSError)


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
            review_summary, page, max_reviews=max_reviews, on_page=len(reviews), timeout=_left(self.deadline)
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
            raise _Skipped('no search provider is configured: [search] says "none" (set provider to search)')
        installed = {p.name: p for p in self.registry.of_kind("search")}
        missing = [name for name in names if name not in installed]
        if missing:
            known = ", ".join(installed) or "none"
            raise _SourceFailed(f"search provider {missing[0]!r} is not installed (installed: {known})")
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
                raise _SourceFailed(outcome.error or outcome.status)
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
        except _Skipped as skip:
            raise _Skipped(str(skip), _NO_MENTIONS) from None
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
            raise _SourceFailed(outcome.error or outcome.status)
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
    beyond_parts = [("price", "search", parts.offers, "offers"), ("mentions", "search", parts.mentions, None)]
    if parts.enriches():
        beyond_parts.append(("product", parts.page.plugin, parts.enrich, "shop data"))
    if parts.pages_reviews():
        beyond_parts.append(("reviews", parts.page.plugin, parts.more_reviews, "more reviews"))
    if not pipeline.settings.privacy.beyond:
        # Kept to the page: each part that would have fetched something says so, and nothing is fetched.
        parts.identity_known.set()
        beyond_parts = [
            (section, plugin, _kept_to_the_page(section), source)
            for section, plugin, _, source in beyond_parts
        ]
    beyond = {
        asyncio.create_task(_part(run, section, plugin, make, source=source)): source or section
        for section, plugin, make, source in beyond_parts
    }

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
        if isinstance(exc, _EXPECTED):  # a refusal, a site or provider that failed: the entry says it all
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
        raise _Skipped(_PAGE_ONLY, _NO_MENTIONS if section == "mentions" else None)

    return skip


def _with_source(section: Any, page: ProductPage, field: str) -> Any:
    """The section with where the page's value came from ("correction" when the shopper's correction set
    it, else the scrapers' source for the field), when known."""
    source = page.field_sources.get(field)
    if not isinstance(section, dict) or source is None:
        return section
    return {**section, "source": source}


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _page_language(page: ProductPage) -> str:
    langs = [r.language for r in page.reviews if r.language]
    return max(set(langs), key=langs.count) if langs else "en"
