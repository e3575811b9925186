"""eBay item pages (`/itm/ID`) on every eBay site: title, price as eBay writes it, seller, product reviews.

Two layouts are read. The current one (2022 on) writes the price in `.x-price-primary`, an auction's current
bid in `.x-bid-price`, the struck-through "was" price in a STRIKETHROUGH span. The older "vi" layout nests a
schema.org Offer in the page: `#prcIsum` (Buy It Now), `#prcIsum_bidPrice` (the current bid, in an
`itemprop="price" content="12.99"` span), `#mm-saleDscPrc` (the discounted price) beside `#orgPrc`.
An auction's offer is the current bid, flagged `auction=True`, never its start price.
"""

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
    text_content,
)
from scrapers.prices import country_of, parse_price
from scrapers.schemaorg import count_of
from scrapers.sites._index import PageIndex
from scrapers.sites.amazon_reviews import stars
from scrapers.types import Availability, Offer, ProductPage, Review

__all__ = ["EbayScraper"]

_ITEM = re.compile(r"/itm/(?:[^/]+/)?(\d{9,})")
# eBay writes "US $249.99", "C $129.99", "AU $99.00": the prefix names the dollar.
_DOLLARS = {"US": "USD", "C": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "S": "SGD"}
_SPANS = '//span[contains(@class,"ux-textspans")]'
_BID_NOW = f'//*[{has_class("x-bid-price")}]//*[contains(@class,"x-price-primary")]{_SPANS}'
_PRICE_NOW = f'//*[contains(@class,"x-price-primary")]{_SPANS}'
_WAS_NOW = '//span[contains(@class,"ux-textspans--STRIKETHROUGH")]'


class EbayScraper(PageScraper):
    """ebay.* item pages."""

    name = "ebay"
    domains = (
        "ebay.com",
        "ebay.co.uk",
        "ebay.de",
        "ebay.fr",
        "ebay.it",
        "ebay.es",
        "ebay.nl",
        "ebay.be",
        "ebay.at",
        "ebay.ch",
        "ebay.ie",
        "ebay.pl",
        "ebay.ca",
        "ebay.com.au",
    )
    matches_label = "ebay.* sites"

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The listing as a product with one offer; the catalogue reviews shown under it."""
        result = starting_from(base, page.url, self.name)
        tree = page.tree
        title = text(tree, '//h1[contains(@class,"x-item-title__mainTitle")]//span') or text(
            tree, '//h1[@id="itemTitle"]'
        )
        if title is None:
            return result
        result.product.name = title.removeprefix("Details about").strip()
        index = page.index
        item = _ITEM.search(page.url)
        result.product.sku = item.group(1) if item else index.text("descItemNumber") or result.product.sku
        offer = result.offers[0] if result.offers else Offer()
        price, currency, offer.auction = _price_shown(tree, index, page.url)
        offer.price, offer.currency = (price, currency) if price else (offer.price, offer.currency)
        was, _ = _price(text(tree, _WAS_NOW) or index.text("orgPrc", "mm-saleOrgPrc"), page.url)
        offer.list_price = was if price and was and was != price else offer.list_price
        offer.seller = (
            text(tree, '//*[contains(@class,"x-sellercard-atf__info__about-seller")]//a//span')
            or text(tree, '//*[contains(@class,"mbg-nw")]')
            or offer.seller
        )
        quantity = text(tree, '//*[contains(@class,"x-quantity__availability")]') or index.text("qtySubTxt")
        ended = (
            bool(tree.xpath('//*[contains(@class,"d-statusmessage")]'))
            or availability_in(index.text("msgPanel")) == "out_of_stock"
        )
        shown = "out_of_stock" if ended else _in_stock(quantity)
        offer.availability = shown if shown != "unknown" else offer.availability
        offer.url = offer.url or page.url
        result.offers = [offer]
        for key, value in (
            ("name", title),
            ("sku", result.product.sku),
            ("price", price),
            ("currency", price),
            ("availability", shown != "unknown"),
            ("list_price", offer.list_price),
        ):
            if value:
                result.set_source(key, self.name)
        sections = tree.xpath(f"//*[{has_class('ebay-review-section')}]")
        language = page_language(tree)
        result.reviews = [_review(e, page.url, language) for e in sections] or result.reviews
        if sections:
            result.set_source("reviews", self.name)
        return result


def _in_stock(quantity: str | None) -> Availability:
    """Availability from eBay's quantity line: "More than 10 available", "1 verfügbar", "3 disponibili"."""
    found = availability_in(quantity)
    if found == "unknown" and (count_of(quantity) or 0) > 0:
        return "in_stock"  # a count of items left, in any language
    return found


def _price_shown(tree: HtmlElement, index: PageIndex, url: str) -> tuple[str | None, str | None, bool]:
    """(price, currency, is the current bid of an auction) as the item page shows them."""
    price, currency = _price(text(tree, _BID_NOW), url)
    if price:
        return price, currency, True
    for element in index.ids("prcIsum_bidPrice", "mm-saleDscPrc", "prcIsum"):
        words = " ".join(text_content(element).split())
        # The nested offer's machine-readable `content` is the amount; its words carry the currency.
        price, currency = _price(words, url)
        amount = element.get("content")
        if amount:
            price = _price(amount, url)[0] or price
        if price:
            return price, currency, element.get("id") == "prcIsum_bidPrice"
    price, currency = _price(text(tree, _PRICE_NOW), url)
    return price, currency, False


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
