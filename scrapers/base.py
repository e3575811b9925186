"""The plugin surface: a parsed page, the context plugins get, and the page-scraper base class."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from scrapers.page_index import PageIndex
from scrapers.types import ProductPage, Review

__all__ = ["FetchResponse", "Page", "PageScraper", "PluginContext"]


@dataclass
class FetchResponse:
    """A response from the guarded fetcher: the final URL after redirects, status, headers, body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    from_cache: bool = False

    @property
    def text(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.headers.get("content-type", ""), re.I)
        encoding = match.group(1) if match else "utf-8"
        try:
            return self.body.decode(encoding, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


Fetch = Callable[..., Awaitable[FetchResponse]]

# lxml.html's own parser picks each element's class in Python (a form, an input, a label get their own
# class), which runs every time lxml makes a Python object for an element: thousands of times a page, about
# half the cost of a walk. Every element here is a plain HtmlElement (text_content, xpath, cssselect, …),
# chosen in C; zmot's plugins use none of the form classes' extras.
# The page is handed over as UTF-8 bytes: a Python str with any character beyond Latin-1 reaches libxml2
# as UTF-16 or UCS-4 to convert, which costs more than encoding it first (the same tree, ~8% less time); the
# encoding is fixed, so a <meta charset> or an XML declaration in the already-decoded text is not obeyed.
# libxml2's table of ids is not built (7% of the parse, and as much again to free it): the page index files
# the ids in its own walk, and a microdata `itemref` is followed without XPath's `id()` (scrapers.schemaorg).
_PARSER = lxml.html.HTMLParser(encoding="utf-8", collect_ids=False)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


@dataclass
class PluginContext:
    """What a plugin may use: the guarded `fetch`, its settings, a logger, and the time left."""

    fetch: Fetch
    settings: Any = None
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("zmot.plugins"))
    deadline: float | None = None  # loop.time() by which the plugin's work must be done


@dataclass
class Page:
    """A page to scrape. The HTML is parsed once, on first use, and the tree and its index (elements by id,
    by data-hook, the schema.org items) are shared by the generic extractor and every plugin. Every element
    of the tree is a plain `lxml.html.HtmlElement` (no FormElement or InputElement extras)."""

    url: str
    html: str

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        html = self.html if self.html and not self.html.isspace() else "<html></html>"
        return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=_PARSER)

    @cached_property
    def index(self) -> PageIndex:
        """The tree's elements filed in one walk; look elements up here instead of scanning the tree."""
        return PageIndex(self.tree)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


class PageScraper:
    """Base of page scrapers: say which URLs you handle, turn a Page into a ProductPage.

    `domains` lists the hosts the plugin serves ("amazon.it" also matches "www.amazon.it");
    `detects` lets a plugin claim a page by its markup instead (any Shopify store, on any domain);
    an empty tuple with `fallback = True` marks the generic scraper that serves every URL.
    `extract` is given the generic result (or None) so a site plugin can build on it.
    The two async hooks may use the network, only through `ctx.fetch`, and only before `ctx.deadline`.
    """

    name: ClassVar[str] = ""
    kind: ClassVar[str] = "page"
    domains: ClassVar[tuple[str, ...]] = ()
    fallback: ClassVar[bool] = False
    matches_label: ClassVar[str] = ""  # what `zmot plugins` shows instead of a long domain list

    def matches(self, url: str) -> bool:
        """True if this plugin handles `url`."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def detects(self, page: Page) -> bool:
        """True if the markup shows the page is this plugin's kind of shop (asked when no domain matched)."""
        return False

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """Turn the page into a ProductPage; pure and synchronous (it runs off the event loop)."""
        raise NotImplementedError

    async def enrich(self, ctx: PluginContext, result: ProductPage) -> ProductPage:
        """Complete `result` from the shop's own data endpoints (e.g. Shopify's product JSON)."""
        return result

    async def more_reviews(self, ctx: PluginContext, result: ProductPage, *, limit: int) -> list[Review]:
        """Up to `limit` reviews beyond those on the page (paging through the shop's review pages)."""
        return []
