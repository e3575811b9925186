"""eBay item pages (`/itm/ID`) on every eBay site: title, price as eBay writes it, seller, product reviews."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import (
    availability_in,
    has_class,
    helpful_votes,
    page_language,
    prose,
    starting_from,
    text,
)
from scrapers.prices import country_of, parse_price
from scrapers.sites.amazon_reviews import stars
from scrapers.types import Offer, ProductPage, Review

__all__ = ["EbayScraper"]

_ITEM = re.compile(r"/itm/(?:[^/]+/)?(\d{9,})")
# eBay writes "US $249.99", "C $129.99", "AU $99.00": the prefix names the dollar.
_DOLLARS = {"US": "USD", "C": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "S": "SGD"}


class EbayScraper(PageScraper):
    """ebay.* item pages."""

    name = "ebay"
    domains = ("ebay.com", "ebay.co.uk", "ebay.de", "ebay.fr", "ebay.it", "ebay.es", "ebay.nl", "ebay.be",
               "ebay.at", "ebay.ch", "ebay.ie", "ebay.pl", "ebay.ca", "ebay.com.au")
    matches_label = "ebay.* sites"

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The listing as a product with one offer; the catalogue reviews shown under it."""
        result = starting_from(base, page.url, self.name)
        tree = page.tree
        title = text(tree, '//h1[contains(@class,"x-item-title__mainTitle")]'
                           '//span') or text(tree, '//h1[@id="itemTitle"]')
        if title is None:
            return result
        result.product.name = title.removeprefix("Details about").strip()
        item = _ITEM.search(page.url)
        result.product.sku = item.group(1) if item else result.product.sku
        price_words = text(tree, '//div[contains(@class,"x-price-primary")]//span'
                                 '[contains(@class,"ux-textspans")]')
        price, currency = _price(price_words, page.url)
        offer = result.offers[0] if result.offers else Offer()
        offer.price, offer.currency = (price, currency) if price else (offer.price, offer.currency)
        offer.seller = text(tree, '//*[contains(@class,"x-sellercard-atf__info__about-seller")]//a'
                                  '//span') or offer.seller
        quantity = text(tree, '//*[contains(@class,"x-quantity__availability")] | //*[@id="qtySubTxt"]')
        ended = tree.xpath('//*[contains(@class,"d-statusmessage")]')
        if ended or quantity:
            offer.availability = "out_of_stock" if ended else availability_in(quantity)
        offer.url = offer.url or page.url
        result.offers = [offer]
        sections = tree.xpath(f'//*[{has_class("ebay-review-section")}]')
        language = page_language(tree)
        result.reviews = [_review(e, page.url, language) for e in sections] or result.reviews
        return result


def _price(words: str | None, url: str) -> tuple[str | None, str | None]:
    found = re.match(r"\s*([A-Z]{1,2})\s*\$", words or "")
    currency = _DOLLARS.get(found.group(1)) if found else None
    return parse_price(words, currency=currency, country=country_of(url))


def _review(element: HtmlElement, url: str, language: str | None) -> Review:
    return Review(
        rating=stars(text(element, './/*[contains(@class,"star-rating")]/@aria-label')),
        title=text(element, './/*[contains(@class,"review-item-title")]'),
        text=prose(next(iter(element.xpath('.//*[contains(@class,"review-item-content")]')), None)),
        author=(text(element, './/*[contains(@class,"review-item-author")]') or "").removeprefix("by ")
        or None,
        date=parse_date(text(element, './/*[contains(@class,"review-item-date")]'), country=country_of(url)),
        verified=bool(element.xpath('.//*[contains(@class,"rvp-vp")]')),
        language=language,
        helpful_votes=helpful_votes(text(element, './/*[contains(@class,"positive-h-c")]')),
    )
