"""A product's stable id: the same product seen on any page gets the same id."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

from scrapers.types import Product, ProductPage
from server.store.base import PriceObservation

__all__ = ["price_observations", "product_id"]


def product_id(product: Product, page_url: str) -> str:
    """16 hex digits from the strongest identity the page gives: GTIN, ASIN, brand+MPN, else its URL."""
    if product.gtin and product.gtin.isdigit():
        key = "gtin:" + product.gtin.zfill(14)  # GTIN-8/12/13 are GTIN-14 with leading zeros
    elif product.asin:
        key = "asin:" + product.asin.upper()
    elif product.mpn and product.brand:
        key = f"mpn:{product.brand.strip().lower()}:{product.mpn.strip().lower()}"
    else:
        parts = urlsplit(product.canonical_url or page_url)
        key = "url:" + urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def price_observations(page: ProductPage, pid: str, at: float) -> list[PriceObservation]:
    """The priced offers of a scraped page as observations of product `pid` at time `at`."""
    host = (urlsplit(page.url).hostname or "").lower()
    return [
        PriceObservation(pid, offer.seller or host, offer.price, offer.currency, at, offer.url or page.url)
        for offer in page.offers
        if offer.price and offer.currency
    ]
