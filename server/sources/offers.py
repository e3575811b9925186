"""Other sellers' offers: find the same product in other shops through search, compare like with like."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from scrapers.base import Page, PluginContext
from scrapers.registry import Registry
from scrapers.sources import SearchProvider
from scrapers.types import Offer, Product, ProductPage
from scrapers.urls import is_web_url
from server.errors import ZmotError
from server.sources.queries import offer_queries, product_tokens
from server.sources.reading import ms_since, read_all, source_entry, time_left
from server.workers import CpuPool

__all__ = ["TITLE_MATCH", "OffersResult", "find_offers", "same_product"]

# rapidfuzz token_set_ratio at or above which two titles name the same product, once brand, model words
# and model numbers agree and neither GTIN nor MPN can decide. On the titles in tests/server/sources the
# same product scores 76-100 and an accessory of it ("… 700 Earbuds Travel Case") 66.
TITLE_MATCH = 72
_READ_AT_ONCE = 8  # the fetcher still keeps to its per-host limits
# Titles compared, at most: real product names are under 200 characters, and the fuzzy comparison of two
# texts takes time that grows with the product of their lengths (it runs on the event loop).
_MAX_NAME_CHARS = 300
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class OffersResult:
    offers: list[Offer] = field(default_factory=list)  # other sellers' offers for the same product
    sources: list[dict[str, Any]] = field(default_factory=list)


def _gtin(value: str | None) -> str | None:
    return value.zfill(14) if value and value.isdigit() else None


def same_product(a: Product, b: Product) -> bool:
    """Equal GTIN or MPN decide; otherwise the same brand, the same model numbers and close titles."""
    if _gtin(a.gtin) and _gtin(b.gtin):
        return _gtin(a.gtin) == _gtin(b.gtin)
    if a.mpn and b.mpn:
        return a.mpn.strip().lower() == b.mpn.strip().lower()
    if not (a.brand and b.brand and a.name and b.name) or a.brand.strip().lower() != b.brand.strip().lower():
        return False
    mine, other = a.name[:_MAX_NAME_CHARS], b.name[:_MAX_NAME_CHARS]
    if set(_NUMBERS.findall(mine)) != set(_NUMBERS.findall(other)):
        return False
    other = other.lower()
    if not all(token in other for token in product_tokens(a)):
        return False
    return fuzz.token_set_ratio(mine.lower(), other) >= TITLE_MATCH


async def _offers_on(
    ctx: PluginContext, cpu: CpuPool, registry: Registry, url: str, product: Product, plugin: str
) -> tuple[list[Offer], dict[str, Any]]:
    started = time.monotonic()

    def source(status: str, error: str | None = None) -> dict[str, Any]:
        return source_entry(
            "offer", status, plugin=plugin, url=url, elapsed_ms=ms_since(started), error=error
        )

    try:
        response = await ctx.fetch(url)
    except ZmotError as exc:
        return [], source(exc.source_status, exc.message)
    if response.status >= 400:
        return [], source("error", f"the shop answered HTTP {response.status}")
    try:
        page: ProductPage = await cpu.run(
            registry.scrape, Page(url=response.url, html=response.text), timeout=time_left(ctx)
        )
    except TimeoutError:
        return [], source("timeout", "the page was not read before the briefing deadline")
    except Exception as exc:  # the shop's page broke every scraper: this offer is lost, not the others
        return [], source("error", f"the page could not be read: {exc}")
    if not page.is_product or not same_product(product, page.product):
        return [], source("skipped", "not the same product")
    host = (urlsplit(response.url).hostname or "").lower()
    found = [
        dataclasses.replace(o, seller=o.seller or host, url=o.url or response.url)
        for o in page.offers
        if o.price and o.currency
    ]
    return found, source("ok" if found else "skipped", None if found else "no price on the page")


async def find_offers(
    ctx: PluginContext,
    provider: SearchProvider,
    registry: Registry,
    product: Product,
    *,
    page_url: str,
    cpu: CpuPool,
    limit: int = 10,
) -> OffersResult:
    """Search by GTIN, MPN and name; read candidate pages of other shops concurrently under the context's
    deadline (each scraped in a `cpu` worker, stopped at the deadline); keep the offers of pages that show
    the same product."""
    result = OffersResult()
    own_host = (urlsplit(page_url).hostname or "").lower()
    started = time.monotonic()
    searches = await asyncio.gather(
        *(provider.search(ctx, q, limit=limit) for q in offer_queries(product)), return_exceptions=True
    )
    failures = [s for s in searches if isinstance(s, BaseException)]
    result.sources.append(
        source_entry(
            "offer search",
            "error" if len(failures) == len(searches) else "ok",
            plugin=provider.name,
            elapsed_ms=ms_since(started),
            error=str(failures[0]) if failures else None,
        )
    )
    # A link no fetcher could follow (from a third-party search plugin) costs that result only.
    urls = [
        hit.url
        for hits in searches
        if not isinstance(hits, BaseException)
        for hit in hits
        if is_web_url(hit.url)
    ]
    candidates = [u for u in dict.fromkeys(urls) if (urlsplit(u).hostname or "").lower() != own_host]
    read = await read_all(
        ctx,
        candidates[:limit],
        lambda url: _offers_on(ctx, cpu, registry, url, product, provider.name),
        at_once=_READ_AT_ONCE,
        name="offer",
        plugin=provider.name,
    )
    for offers, source in read:
        result.sources.append(source)
        result.offers.extend(offers or [])
    return result
