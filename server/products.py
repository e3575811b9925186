"""A product's stable id across shops, and a page's own key: what a briefing is stored and served by."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.types import Product, ProductPage
from server.store.base import PriceObservation

__all__ = ["page_address", "page_key", "price_observations", "product_id"]

# Query parameters that say how the shopper arrived, not which page (or variant) they are on.
_TRACKING = ("utm_", "gclid", "gbraid", "wbraid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga", "yclid")


def product_id(product: Product, page_url: str) -> str:
    """16 hex digits from the strongest identity the page gives: GTIN, ASIN, brand+MPN, else its URL.

    It joins one product's prices across shops; it never decides which briefing a page gets (a page can
    claim any GTIN), `page_key` does."""
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


def page_address(url: str) -> str:
    """The address the shopper asked about, in one form: lower-case scheme and host, no fragment, no
    tracking parameters. The page's own canonical link is not used: the page chooses it, the shopper not."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(sorted(query)), "")
    )


def page_key(url: str, page: ProductPage) -> str:
    """The page's address plus a fingerprint of what it shows (product, offers, rating, reviews): the same
    page showing the same facts gets the briefing already made; a changed price or another shop does not."""
    facts = page.to_json()
    facts.pop("url", None)
    text = page_address(url) + "\n" + json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def price_observations(page: ProductPage, pid: str, at: float) -> list[PriceObservation]:
    """The priced offers of a scraped page as observations of product `pid` at time `at`, each with the
    page and seller it came from."""
    host = (urlsplit(page.url).hostname or "").lower()
    return [
        PriceObservation(pid, offer.seller or host, offer.price, offer.currency, at, offer.url or page.url)
        for offer in page.offers
        if offer.price and offer.currency
    ]
