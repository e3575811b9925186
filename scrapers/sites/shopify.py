"""Any Shopify store, recognized by its markup; the store's `/products/HANDLE.json` completes the product."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapers.base import Page, PageScraper, PluginContext
from scrapers.markup import starting_from
from scrapers.prices import country_of, parse_price
from scrapers.schemaorg import text_of
from scrapers.types import Offer, ProductPage

__all__ = ["ShopifyScraper"]

_MARKERS = ("cdn.shopify.com", "Shopify.shop", "shopify-checkout-api-token", "ShopifyAnalytics")
_HANDLE = re.compile(r"/products/([^/?#.]+)")
_CURRENCY = re.compile(r"Shopify\.currency\s*=\s*\{[^}]*\"active\"\s*:\s*\"([A-Z]{3})\"")


class ShopifyScraper(PageScraper):
    """Shopify product pages on any domain (`/products/HANDLE`)."""

    name = "shopify"
    matches_label = "Shopify stores (detected from markup)"

    def detects(self, page: Page) -> bool:
        """A Shopify store's product page: its CDN or globals in the markup, and a /products/ URL."""
        return bool(_HANDLE.search(urlsplit(page.url).path)) and any(m in page.html for m in _MARKERS)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result (themes embed JSON-LD) with the store's active currency where it had none."""
        result = starting_from(base, page.url, self.name)
        found = _CURRENCY.search(page.html)
        if found:
            for offer in result.offers:
                offer.currency = offer.currency or found.group(1)
        return result

    async def enrich(self, ctx: PluginContext, result: ProductPage) -> ProductPage:
        """Brand, barcode, SKU, type and the selected variant's price from `/products/HANDLE.json`."""
        parts = urlsplit(result.url)
        handle = _HANDLE.search(parts.path)
        if handle is None:
            return result
        response = await ctx.fetch(f"{parts.scheme}://{parts.netloc}/products/{handle.group(1)}.json")
        if response.status != 200:
            ctx.logger.info("shopify product JSON for %s answered HTTP %d", result.url, response.status)
            return result
        item = json.loads(response.body).get("product")
        if not isinstance(item, dict):
            return result
        wanted = parse_qs(parts.query).get("variant", [None])[0]
        variants = [v for v in item.get("variants") or [] if isinstance(v, dict)]
        variant = next((v for v in variants if str(v.get("id")) == wanted), variants[0] if variants else {})
        _apply(result, item, variant, country_of(result.url))
        return result


def _apply(result: ProductPage, item: dict[str, Any], variant: dict[str, Any], country: str | None) -> None:
    product = result.product
    before = (product.name, product.brand, product.category, product.sku, product.gtin, product.image)
    product.name = product.name or text_of(item.get("title"))
    product.brand = product.brand or text_of(item.get("vendor"))
    product.category = product.category or text_of(item.get("product_type"))
    # The variant's `sku` is the code the shop shows and searches by ("MISC-ORO-1KG"), not an internal id.
    product.sku = text_of(variant.get("sku")) or product.sku
    barcode = text_of(variant.get("barcode"))
    if barcode and barcode.isdigit() and len(barcode) in (8, 12, 13, 14):
        product.gtin = barcode
    images = item.get("images") or []
    if not product.image and images and isinstance(images[0], dict):
        product.image = text_of(images[0].get("src"))
    offer = result.offers[0] if result.offers else Offer(url=result.url)
    price, currency = parse_price(text_of(variant.get("price")), currency=offer.currency, country=country)
    offer.price = price or offer.price
    offer.currency = offer.currency or currency
    result.offers = [offer, *result.offers[1:]]
    after = (product.name, product.brand, product.category, product.sku, product.gtin, product.image)
    for key, old, new in zip(
        ("name", "brand", "category", "sku", "gtin", "image"), before, after, strict=True
    ):
        if new and new != old:
            result.set_source(key, "shopify")
    if price:
        result.set_source("price", "shopify")
