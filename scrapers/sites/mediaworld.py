"""MediaWorld (mediaworld.it, the MediaMarkt group's Italian shop): JSON-LD plus its `data-test` markup."""

from __future__ import annotations

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import availability_in, prose, starting_from, text
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.types import Offer, ProductPage, Rating, Review

__all__ = ["MediaWorldScraper"]


class MediaWorldScraper(PageScraper):
    """mediaworld.it product pages (`/it/product/_…-ID.html`)."""

    name = "mediaworld"
    domains = ("mediaworld.it",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result, with the price, stock, rating and reviews the page shows."""
        result = starting_from(base, page.url, self.name)
        tree = page.tree
        result.product.name = text(tree, '//h1[@data-test="product-title"]') or result.product.name
        whole = text(tree, '//*[@data-test="branded-price-whole-value"]')
        cents = text(tree, '//*[@data-test="branded-price-decimal-value"]') or "00"
        if whole:
            price, currency = parse_price(f"{whole.rstrip(',.')},{cents} €", country="it")
            offer = result.offers[0] if result.offers else Offer(seller="MediaWorld", url=page.url)
            offer.price, offer.currency = price, currency
            offer.url = offer.url or page.url
            result.offers = [offer]
        stock = text(tree, '//*[@data-test="mms-delivery-online-availability"]')
        for offer in result.offers if stock else []:
            offer.availability = availability_in(stock)
        value = number_of(text(tree, '//*[@data-test="mms-customer-rating"]//*[@data-test="rating-value"]'))
        count = count_of(text(tree, '//*[@data-test="mms-customer-rating"]//*[@data-test="rating-count"]'))
        if value is not None:
            result.rating = Rating(value=value, count=count)
        reviews = [_review(e) for e in tree.xpath('//*[@data-test="mms-review-item"]')]
        result.reviews = reviews or result.reviews
        return result


def _review(element: HtmlElement) -> Review:
    return Review(
        rating=number_of(text(element, './/*[@data-test="review-rating"]/@aria-label')),
        title=text(element, './/*[@data-test="review-title"]'),
        text=prose(next(iter(element.xpath('.//*[@data-test="review-text"]')), None)),
        author=text(element, './/*[@data-test="review-author"]'),
        date=parse_date(text(element, './/*[@data-test="review-date"]'), country="it"),
        verified=bool(element.xpath('.//*[@data-test="review-verified-purchase"]')),
        language="it",
    )
