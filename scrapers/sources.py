"""Plugin kinds that use the network: search providers, mention sources and offer sources.

Each is a class with a `name`, a `kind` and one async method that gets a PluginContext; it reaches the web
only through `ctx.fetch` and must be done by `ctx.deadline`. Register it under the `zmot.scrapers` entry
point group like a page scraper; the Registry sorts plugins by `kind`.
"""

from __future__ import annotations

from typing import ClassVar

from scrapers.base import PluginContext
from scrapers.types import Mention, Offer, Product, SearchResult

__all__ = ["MentionSource", "OfferSource", "SearchProvider"]


class SearchProvider:
    """Turns a query into web search results (SearXNG, a keyless public engine, …)."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = "search"

    async def search(
        self, ctx: PluginContext, query: str, *, limit: int = 10, lang: str | None = None
    ) -> list[SearchResult]:
        """At most `limit` results for `query`, in `lang` (ISO 639-1) when the engine can filter by it."""
        raise NotImplementedError


class MentionSource:
    """Finds what blogs, forums, news and videos say about an identified product."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = "mentions"

    async def mentions(
        self, ctx: PluginContext, product: Product, *, limit: int = 10, lang: str | None = None
    ) -> list[Mention]:
        """At most `limit` mentions of `product`."""
        raise NotImplementedError


class OfferSource:
    """Finds other sellers' offers for an identified product."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = "offers"

    async def offers(self, ctx: PluginContext, product: Product, *, limit: int = 10) -> list[Offer]:
        """At most `limit` offers for `product` from sellers other than the page's."""
        raise NotImplementedError
