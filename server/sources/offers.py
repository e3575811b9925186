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

from scrapers.base import PluginContext
from scrapers.registry import Registry
from scrapers.sources import SearchProvider
from scrapers.types import Offer, Product
from scrapers.urls import is_web_url
from server.i18n import code
from server.sources.found import FoundPages
from server.sources.identity import fold, identity_of
from server.sources.queries import offer_queries
from server.sources.reading import entry_maker, error_code_of, ms_since, read_all, source_entry, time_left
from server.workers import CpuPool

__all__ = ["TITLE_MATCH", "OffersResult", "find_offers", "same_product"]

# rapidfuzz token_set_ratio at or above which two titles name the same product, once brand, model words
# and model numbers agree and neither GTIN nor MPN can decide. On the titles in tests/server/sources the
# same product scores 76-100 and an accessory of it ("… 700 Earbuds Travel Case") 66.
TITLE_MATCH = 72
_READ_AT_ONCE = 32  # the fetcher still keeps to its per-host limits
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
    """Equal GTIN or MPN decide; otherwise the same brand and model numbers (or model, when it has no
    numbers) and close titles: a look-alike of another model ("QuietPro 500") is not the same product."""
    if _gtin(a.gtin) and _gtin(b.gtin):
        return _gtin(a.gtin) == _gtin(b.gtin)
    if a.mpn and b.mpn:
        return a.mpn.strip().lower() == b.mpn.strip().lower()
    if not (a.brand and b.brand and a.name and b.name) or fold(a.brand).strip() != fold(b.brand).strip():
        return False
    mine, theirs = identity_of(a), identity_of(b)
    if fold(mine.model or "") != fold(theirs.model or ""):
        return False
    name, other = a.name[:_MAX_NAME_CHARS], b.name[:_MAX_NAME_CHARS]
    if set(_NUMBERS.findall(name)) != set(_NUMBERS.findall(other)):
        return False
    return fuzz.token_set_ratio(fold(name), fold(other)) >= TITLE_MATCH


async def _offers_on(
    found: FoundPages, url: str, product: Product, plugin: str
) -> tuple[list[Offer], dict[str, Any]]:
    started = time.monotonic()
    read = await found.read(url)

    source = entry_maker("offer", plugin=plugin, url=url, started=started)

    if read.status != "ok":
        return [], source(read.status, read.error, read.error_code)
    page = read.page
    if page is None or not page.is_product:
        return [], source("skipped", code("source_not_shop_page"))
    try:  # the identities of both come from the language dictionaries: a worker's work
        same = await found.cpu.run(same_product, product, page.product, timeout=time_left(found.ctx))
    except TimeoutError:
        return [], source("timeout", code("source_compare_late"))
    if not same:
        return [], source("skipped", code("source_other_product"))
    host = (urlsplit(read.url).hostname or "").lower()
    found_offers = [
        dataclasses.replace(o, seller=o.seller or host, url=o.url or read.url)
        for o in page.offers
        if o.price and o.currency
    ]
    return found_offers, source(
        "ok" if found_offers else "skipped", None if found_offers else code("source_no_price")
    )


async def find_offers(
    ctx: PluginContext,
    provider: SearchProvider,
    registry: Registry,
    product: Product,
    *,
    page_url: str,
    cpu: CpuPool,
    limit: int = 10,
    found: FoundPages | None = None,
) -> OffersResult:
    """Search by GTIN, MPN and name; read candidate pages of other shops concurrently under the context's
    deadline (each scraped in a `cpu` worker, stopped at the deadline); keep the offers of pages that show
    the same product."""
    result = OffersResult()
    own_host = (urlsplit(page_url).hostname or "").lower()
    found = found if found is not None else FoundPages(ctx, cpu, product)
    identity = await found.identity()
    found.registry = found.registry or registry
    started = time.monotonic()
    searches = await asyncio.gather(
        *(found.search(provider, q, limit=limit) for q in offer_queries(identity)), return_exceptions=True
    )
    failures = [s for s in searches if isinstance(s, BaseException)]
    result.sources.append(
        source_entry(
            "offer search",
            "error" if len(failures) == len(searches) else "ok",
            plugin=provider.name,
            elapsed_ms=ms_since(started),
            error=str(failures[0]) if failures else None,
            error_code=error_code_of(failures[0]) if failures else None,
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
        lambda url: _offers_on(found, url, product, provider.name),
        at_once=_READ_AT_ONCE,
        name="offer",
        plugin=provider.name,
    )
    for offers, source in read:
        result.sources.append(source)
        result.offers.extend(offers or [])
    return result
