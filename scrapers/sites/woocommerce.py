"""Any WooCommerce store, recognized by its markup: the product summary, price, stock and review list."""

from __future__ import annotations

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import attr, page_language, prose, starting_from, text, texts
from scrapers.prices import country_of, parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.types import Availability, Offer, ProductPage, Rating, Review

__all__ = ["WooCommerceScraper"]

_MARKERS = ("wp-content/plugins/woocommerce", "woocommerce-product-gallery", "woocommerce-Price-amount")
_PRICE = (
    '//div[contains(@class,"summary")]//p[contains(@class,"price")]'
    '//*[contains(@class,"woocommerce-Price-amount")][not(ancestor::del)]'
)


class WooCommerceScraper(PageScraper):
    """WooCommerce single-product pages on any domain."""

    name = "woocommerce"
    matches_label = "WooCommerce stores (detected from markup)"

    def detects(self, page: Page) -> bool:
        """A WooCommerce product page: the plugin's assets or classes and a single-product body."""
        # The parser keeps one body, a child of the root: no need for "//body" (a scan of the whole page).
        found = page.tree.find("body")
        body = (found.get("class") or "") if found is not None else ""
        return "single-product" in body or ("woocommerce" in body and any(m in page.html for m in _MARKERS))

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result (Yoast/WooCommerce JSON-LD), completed from the product summary markup."""
        result = starting_from(base, page.url, self.name)
        tree, country = page.tree, country_of(page.url)
        product = result.product
        product.name = product.name or text(tree, '//h1[contains(@class,"product_title")]')
        product.sku = product.sku or text(tree, '//*[contains(@class,"product_meta")]//*[@class="sku"]')
        crumbs = texts(tree, '//*[contains(@class,"product_meta")]//*[contains(@class,"posted_in")]/a')
        product.category = product.category or " > ".join(crumbs) or None
        if not result.offers or result.offers[0].price is None:
            amount = text(tree, _PRICE)
            symbol = text(tree, _PRICE + '//*[contains(@class,"currencySymbol")]')
            price, currency = parse_price(amount, currency=None, country=country)
            if price is not None:
                currency = currency or _symbol(symbol, country)
                result.offers = [Offer(price=price, currency=currency, url=page.url)]
        stock = _stock(tree)
        for offer in result.offers:
            offer.availability = stock if offer.availability == "unknown" else offer.availability
        if result.rating.value is None:
            value = number_of(
                text(tree, '//*[contains(@class,"woocommerce-product-rating")]//strong[@class="rating"]')
            )
            count = count_of(
                text(tree, '//*[contains(@class,"woocommerce-product-rating")]//*[@class="count"]')
            )
            result.rating = Rating(value=value, count=count) if value is not None else result.rating
        language = page_language(tree)
        items = tree.xpath('//ol[contains(@class,"commentlist")]/li')
        reviews = [_review(e, country, language) for e in items]
        result.reviews = result.reviews or [r for r in reviews if r.text]
        return result


def _symbol(symbol: str | None, country: str | None) -> str | None:
    return parse_price(f"1 {symbol}", country=country)[1] if symbol else None


def _stock(tree: HtmlElement) -> Availability:
    classes = attr(tree, '//div[contains(@class,"summary")]//p[contains(@class,"stock")]', "class") or ""
    if "out-of-stock" in classes:
        return "out_of_stock"
    if "available-on-backorder" in classes:
        return "preorder"
    return "in_stock" if "in-stock" in classes else "unknown"


def _review(element: HtmlElement, country: str | None, language: str | None) -> Review:
    return Review(
        rating=number_of(text(element, './/*[contains(@class,"star-rating")]//strong[@class="rating"]')),
        text=prose(next(iter(element.xpath('.//*[@class="description"]')), None)),
        author=text(element, './/*[contains(@class,"woocommerce-review__author")]'),
        date=parse_date(attr(element, ".//time", "datetime"), country=country),
        verified=bool(element.xpath('.//*[contains(@class,"woocommerce-review__verified")]')),
        language=language,
    )
