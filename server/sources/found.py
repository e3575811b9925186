"""What one briefing found on the web: each query searched once, each result page fetched and read once.

Offers and mentions both search and both read result pages (a shop's page turns up for "… review", a blog
for the GTIN). They share one `FoundPages` per briefing, so a page is fetched, checked for the product's
name (a few ms) and parsed once, in one worker call, whoever asks first; the other gets the same answer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import lru_cache

import lxml.html

from scrapers.base import FetchResponse, Page, PluginContext
from scrapers.registry import Registry, load_registry
from scrapers.sources import SearchProvider
from scrapers.types import Product, ProductPage, SearchResult
from server.errors import ZmotError
from server.i18n import Code, code, render
from server.sources.identity import Identity, fold, identity_of
from server.sources.pages import ArticlePage, page_facts, read_article
from server.sources.reading import error_code_of, ms_since, time_left
from server.sources.relevance import names_product
from server.workers import CpuPool

__all__ = ["FoundPage", "FoundPages", "read_found"]


@dataclass
class FoundPage:
    """A result page as read: a shop's product page, an article, or why neither."""

    url: str
    status: str  # ok | skipped | error | timeout | blocked
    elapsed_ms: int = 0
    error: str | None = None
    article: ArticlePage | None = None
    page: ProductPage | None = None
    error_code: Code | None = None  # the error as a code (see server/sources/reading), when zmot knows it


@lru_cache(maxsize=1)
def _installed_registry() -> Registry:
    return load_registry()


def read_found(
    response: FetchResponse, identity: Identity, registry: Registry | None
) -> tuple[ArticlePage | None, ProductPage | None, str | None]:
    """(article, product page, why neither) of one fetched page: all its CPU work, in one worker call,
    decoding included (the server sends the bytes as they came). A page that does not name the product
    is dropped before it is parsed."""
    url, html = response.url, response.text
    if not names_product(html, identity):
        return None, None, "not about this product"
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None, None, "not an HTML page"
    if page_facts(tree).is_shop:
        page = Page(url=url, html=html)
        page.__dict__["tree"] = tree  # the tree parsed above; Page would parse it again on first use
        return None, (registry or _installed_registry()).scrape(page), None
    article = read_article(url, html, tree=tree)
    return article, None, None if article is not None else "no main text"


class FoundPages:
    """One briefing's searches and result pages, shared by its finders (the briefing makes one and hands
    it to both; a finder called alone makes its own)."""

    def __init__(self, ctx: PluginContext, cpu: CpuPool, product: Product) -> None:
        self.ctx = ctx
        self.cpu = cpu
        self.product = product
        self._identity: asyncio.Future[Identity] | None = None
        self.registry: Registry | None = None
        self._searches: dict[tuple[str, str, str | None], asyncio.Task[list[SearchResult]]] = {}
        self._pages: dict[str, asyncio.Task[FoundPage]] = {}

    async def identity(self) -> Identity:
        """The product's identity, worked out once, in a worker (the language dictionaries are big)."""
        if self._identity is None:
            self._identity = asyncio.ensure_future(
                self.cpu.run(identity_of, self.product, timeout=time_left(self.ctx))
            )
        return await asyncio.shield(self._identity)

    async def search(
        self, provider: SearchProvider, query: str, *, limit: int, lang: str | None = None
    ) -> list[SearchResult]:
        """The provider's results for `query`; a query already asked in this briefing is not asked again."""
        key = (provider.name, " ".join(fold(query).split()), lang)
        if key not in self._searches:
            self._searches[key] = asyncio.ensure_future(
                provider.search(self.ctx, query, limit=limit, lang=lang)
                if lang
                else provider.search(self.ctx, query, limit=limit)
            )
        return await asyncio.shield(self._searches[key])

    def asked(self) -> int:
        """How many different queries this briefing sent."""
        return len(self._searches)

    async def read(self, url: str) -> FoundPage:
        """The page at `url`, fetched and read once for the whole briefing."""
        if url not in self._pages:
            self._pages[url] = asyncio.ensure_future(self._read(url))
        return await asyncio.shield(self._pages[url])

    async def _read(self, url: str) -> FoundPage:
        started = time.monotonic()

        def found(status: str, error: str | Code, error_code: Code | None = None) -> FoundPage:
            if isinstance(error, dict):
                error, error_code = render(error, "en"), error
            return FoundPage(url, status, ms_since(started), error, error_code=error_code)

        try:
            response = await self.ctx.fetch(url)
        except ZmotError as exc:
            return found(exc.source_status, exc.message, error_code_of(exc))
        if response.status >= 400:
            return found("error", code("source_http", status=response.status))
        try:
            article, page, why_not = await self.cpu.run(
                read_found,
                response,
                await self.identity(),
                self.registry,
                timeout=time_left(self.ctx),
            )
        except TimeoutError:
            return found("timeout", code("source_read_late"))
        except Exception as exc:  # a page that breaks the reader costs its own entry
            return found("error", code("source_unreadable", detail=str(exc)))
        if why_not:
            return found("skipped", why_not)
        return FoundPage(response.url, "ok", ms_since(started), None, article, page)
