"""Unieuro (unieuro.it): JSON-LD for the product, the page's price box and review list for the rest."""

from __future__ import annotations

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import availability_in, prose, starting_from, text
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.types import Offer, ProductPage, Rating, Review

__all__ = ["UnieuroScraper"]


class UnieuroScraper(PageScraper):
    """unieuro.it product pages (`/online/…/…-pidSKU`)."""

    name = "unieuro"
    domains = ("unieuro.it",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result, with the price shown, stock, rating and reviews from the page. Every field
        read here records this plugin as its source (`field_sources`)."""
        result = starting_from(base, page.url, self.name)
        index = page.index  # one read of the page's classes instead of a document scan per field
        title = index.class_text("pdp-right__title", tag="h1")
        if title:
            result.product.name = title
            result.set_source("name", self.name)
        shown = index.class_text("pdp-right__price", under='.//*[contains(@class,"price__value")]')
        price, currency = parse_price(shown, country="it")
        if price is not None:
            offer = result.offers[0] if result.offers else Offer(seller="Unieuro", url=page.url)
            offer.price, offer.currency = price, currency or "EUR"
            result.offers = [offer]
            result.set_source("price", self.name)
            result.set_source("currency", self.name)
        stock = index.class_text("pdp-right__availability")
        if stock and result.offers:
            for offer in result.offers:
                offer.availability = availability_in(stock)
            known = result.offers[0].availability != "unknown"
            result.set_source("availability", self.name if known else None)  # "unknown" has no source
        value = number_of(index.class_text("reviews-summary__value"))
        if value is not None:
            count = count_of(index.class_text("reviews-summary__count"))
            result.rating = Rating(value=value, count=count, distribution=result.rating.distribution)
            result.set_source("rating", self.name)
            result.set_source("rating_count", self.name if count is not None else None)
        reviews = [_review(e) for e in index.classed("reviews-list__item")]
        if reviews:
            result.reviews = reviews
            result.set_source("reviews", self.name)
        return result


def _review(element: HtmlElement) -> Review:
    return Review(
        rating=number_of(text(element, './/*[contains(@class,"review__stars")]/@data-rating')),
        title=text(element, './/*[contains(@class,"review__title")]'),
        text=prose(next(iter(element.xpath('.//*[contains(@class,"review__text")]')), None)),
        author=text(element, './/*[contains(@class,"review__author")]'),
        date=parse_date(text(element, './/*[contains(@class,"review__date")]'), country="it"),
        verified=bool(element.xpath('.//*[contains(@class,"review__verified")]')),
        language="it",
    )
