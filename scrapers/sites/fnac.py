"""Fnac (fnac.com): JSON-LD for the product, the price box and the customer reviews from the page."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import attr, availability_in, helpful_votes, prose, starting_from, text
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.types import Offer, ProductPage, Rating, Review

__all__ = ["FnacScraper"]


class FnacScraper(PageScraper):
    """fnac.com product pages (`/a12345/…`)."""

    name = "fnac"
    domains = ("fnac.com",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result, with Fnac's own price (not the marketplace's), stock, rating and reviews.
        Every field read here records this plugin as its source (`field_sources`)."""
        result = starting_from(base, page.url, self.name)
        index = page.index  # one read of the page's classes instead of a document scan per field
        title = index.class_text("f-productHeader-Title", tag="h1")
        if title:
            result.product.name = title
            result.set_source("name", self.name)
        shown = index.class_text("f-faPriceBox__price", "userPrice")
        price, currency = parse_price(shown, currency="EUR", country="fr")
        if price is not None:
            offer = result.offers[0] if result.offers else Offer(url=page.url)
            offer.price, offer.currency = price, currency
            seller = index.class_text("f-faPriceBox__seller") or ""
            seller = re.sub(r"^vendu (?:et expédié )?par\s+", "", seller, flags=re.I)
            offer.seller = offer.seller or seller or None
            offer.url = offer.url or page.url
            result.offers = [offer]
            result.set_source("price", self.name)
            result.set_source("currency", self.name)
        stock = index.class_text("f-buyBox-availabilityStatus")
        if stock and result.offers:
            for offer in result.offers:
                offer.availability = availability_in(stock)
            known = result.offers[0].availability != "unknown"
            result.set_source("availability", self.name if known else None)  # "unknown" has no source
        value = number_of(index.class_text("f-review-header-note"))
        if value is not None:
            count = count_of(index.class_text("f-review-header-count"))
            result.rating = Rating(value=value, count=count, distribution=result.rating.distribution)
            result.set_source("rating", self.name)
            result.set_source("rating_count", self.name if count is not None else None)
        reviews = [_review(e) for e in index.classed("f-reviews-item", whole=True)]
        if reviews:
            result.reviews = reviews
            result.set_source("reviews", self.name)
        return result


def _review(element: HtmlElement) -> Review:
    return Review(
        rating=number_of(attr(element, './/*[contains(@class,"f-star-rating")]', "data-rating")),
        title=text(element, './/*[contains(@class,"f-reviews-itemTitle")]'),
        text=prose(next(iter(element.xpath('.//*[contains(@class,"f-reviews-itemText")]')), None)),
        author=text(element, './/*[contains(@class,"f-reviews-itemAuthor")]'),
        date=parse_date(text(element, './/*[contains(@class,"f-reviews-itemDate")]'), country="fr"),
        verified=bool(element.xpath('.//*[contains(@class,"f-reviews-itemVerified")]')),
        language="fr",
        helpful_votes=helpful_votes(text(element, './/*[contains(@class,"f-reviews-itemUseful")]')),
    )
