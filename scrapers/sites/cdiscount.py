"""Cdiscount (cdiscount.com): microdata for the product; prices written with "€" as the decimal point."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import attr, availability_in, has_class, prose, starting_from, text
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.types import Offer, ProductPage, Rating, Review

__all__ = ["CdiscountScraper"]

_EURO_AS_POINT = re.compile(r"(\d)\s*€\s*(\d{2})\b")  # "299€99" is 299,99 €


class CdiscountScraper(PageScraper):
    """cdiscount.com product pages (`/…/f-CAT-SKU.html`)."""

    name = "cdiscount"
    domains = ("cdiscount.com",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result, with the price box, seller, stock, rating and reviews from the page."""
        result = starting_from(base, page.url, self.name)
        tree = page.tree
        result.product.name = text(tree, '//h1[@itemprop="name"]') or result.product.name
        shown = text(tree, f'//*[{has_class("fpPrice")}]')
        shown = _EURO_AS_POINT.sub(r"\1,\2 €", shown or "")
        price, currency = parse_price(shown, currency="EUR", country="fr")
        if price is not None:
            offer = result.offers[0] if result.offers else Offer(url=page.url)
            offer.price, offer.currency = price, currency
            result.offers = [offer]
        seller = text(tree, '//*[contains(@class,"fpSellerName")]'
                            '//a') or text(tree, '//*[contains(@class,"fpSellerName")]')
        stock = text(tree, '//*[contains(@class,"fpStock")]')
        for offer in result.offers:
            offer.seller = offer.seller or seller
            offer.url = offer.url or page.url
            offer.availability = availability_in(stock) if stock else offer.availability
        value = number_of(attr(tree, '//*[contains(@class,"fpStars")]', "data-rating"))
        if value is not None:
            count = count_of(text(tree, '//*[contains(@class,"fpNbReviews")]'))
            result.rating = Rating(value=value, count=count, distribution=result.rating.distribution)
        reviews = [_review(e) for e in tree.xpath('//*[contains(@class,"detMainRating")]//li'
                                                  '[contains(@class,"review")]')]
        result.reviews = reviews or result.reviews
        return result


def _review(element: HtmlElement) -> Review:
    return Review(
        rating=number_of(attr(element, './/*[contains(@class,"rating")]', "data-rating")),
        title=text(element, './/*[contains(@class,"rTitle")]'),
        text=prose(next(iter(element.xpath('.//*[contains(@class,"rText")]')), None)),
        author=text(element, './/*[contains(@class,"rAuthor")]'),
        date=parse_date(text(element, './/*[contains(@class,"rDate")]'), country="fr"),
        verified=bool(element.xpath('.//*[contains(@class,"rVerified")]')),
        language="fr",
    )
