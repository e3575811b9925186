"""Best Buy product pages: JSON-LD for the product, the page's own markup for price, rating and reviews."""

from __future__ import annotations

from lxml.html import HtmlElement

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import attr, has_class, helpful_votes, prose, starting_from, text
from scrapers.prices import country_of, parse_price
from scrapers.schemaorg import count_of, number_of
from scrapers.sites.amazon_reviews import stars
from scrapers.types import Offer, ProductPage, Rating, Review

__all__ = ["BestBuyScraper"]


class BestBuyScraper(PageScraper):
    """bestbuy.com and bestbuy.ca product pages."""

    name = "bestbuy"
    domains = ("bestbuy.com", "bestbuy.ca")

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """The generic result, with the price shown to the customer and the reviews listed on the page."""
        result = starting_from(base, page.url, self.name)
        tree, country = page.tree, country_of(page.url) or "us"
        product = result.product
        product.name = text(tree, '//div[contains(@class,"sku-title")]//h1') or product.name
        product.sku = text(tree, '//div[contains(@class,"sku")]/span'
                                 '[contains(@class,"sku-value")]') or product.sku
        product.mpn = text(tree, '//div[contains(@class,"model")]/span'
                                 '[contains(@class,"sku-value")]') or product.mpn
        shown = text(tree, '//div[contains(@class,"priceView-customer-price")]/span[@aria-hidden="true"]')
        price, currency = parse_price(shown, currency="CAD" if country == "ca" else "USD")
        if price is not None:
            offer = result.offers[0] if result.offers else Offer(seller="Best Buy", url=page.url)
            offer.price, offer.currency = price, currency
            offer.url = offer.url or page.url
            result.offers = [offer]
        average = number_of(text(tree, '//*[contains(@class,"ugc-c-review-average")]'))
        count = count_of(text(tree, '//*[contains(@class,"c-reviews")]//*'
                                    '[contains(@class,"c-total-reviews")]'))
        if average is not None:
            result.rating = Rating(value=average, count=count or result.rating.count,
                                   distribution=_histogram(tree) or result.rating.distribution)
        reviews = [_review(e, country) for e in tree.xpath(f'//li[{has_class("review-item")}]')]
        result.reviews = reviews or result.reviews
        return result


def _histogram(tree: HtmlElement) -> dict[str, int] | None:
    counts = {}
    for row in tree.xpath('//*[contains(@class,"ugc-rating-bar")]'):
        star = count_of(attr(row, ".", "data-rating") or text(row, './/*[contains(@class,"rating-label")]'))
        number = count_of(text(row, './/*[contains(@class,"rating-count")]'))
        if star in (1, 2, 3, 4, 5) and number is not None:
            counts[str(star)] = number
    return {k: counts[k] for k in "12345"} if len(counts) == 5 else None


def _review(element: HtmlElement, country: str) -> Review:
    when = attr(element, './/time[contains(@class,"submission-date")]', "title")
    return Review(
        rating=stars(text(element, './/*[contains(@class,"review-rating")]//*'
                                   '[contains(@class,"visually-hidden")]')),
        title=text(element, './/*[contains(@class,"review-title")]'),
        text=prose(next(iter(element.xpath('.//*[contains(@class,"ugc-review-body")]//p')), None)),
        author=text(element, './/*[contains(@class,"ugc-author")]//strong'),
        date=parse_date(when, country=country),
        verified=bool(element.xpath('.//*[contains(@class,"ugc-verified-purchase") or '
                                    'contains(text(),"Verified Purchase")]')),
        language="fr" if "/fr-ca/" in (attr(element, './/a[@href]', "href") or "") else "en",
        helpful_votes=helpful_votes(text(element, './/button[contains(@class,"helpfulness-button")]')),
        response=text(element, './/*[contains(@class,"ugc-manufacturer-response")]//p'),
    )
