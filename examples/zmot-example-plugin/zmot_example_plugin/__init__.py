"""An example zmot page scraper for shop.example-plugin.test: it refines the generic schema.org result."""

from __future__ import annotations

from scrapers.base import Page, PageScraper
from scrapers.markup import starting_from, text
from scrapers.prices import parse_price
from scrapers.types import Offer, ProductPage

__all__ = ["ExampleShopScraper"]


class ExampleShopScraper(PageScraper):
    """Product name and price from the shop's own markup, on top of whatever schema.org data it has."""

    name = "example-shop"
    domains = ("shop.example-plugin.test",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result with the name and the price the page shows."""
        result = starting_from(base, page.url, self.name)
        result.product.name = text(page.tree, '//h1[@class="product-name"]') or result.product.name
        price, currency = parse_price(text(page.tree, '//*[@class="product-price"]'), country="it")
        if price is not None:
            result.offers = [Offer(seller="Example Shop", price=price, currency=currency, url=page.url)]
        return result
