"""zmot's plugin layer: the data types plugins return, the plugin base classes, and the built-ins.

This package never imports `server`: plugins reach the network only through the context's `fetch`.
"""

from scrapers.base import FetchResponse, Page, PageScraper, PluginContext
from scrapers.types import Mention, Offer, Product, ProductPage, Rating, Review, SearchResult

__all__ = [
    "FetchResponse",
    "Mention",
    "Offer",
    "Page",
    "PageScraper",
    "PluginContext",
    "Product",
    "ProductPage",
    "Rating",
    "Review",
    "SearchResult",
]
