"""Walmart product pages: everything is in the embedded Next.js page JSON (`__NEXT_DATA__`)."""

from __future__ import annotations

from typing import Any

from scrapers.base import Page, PageScraper
from scrapers.dates import parse_date
from scrapers.markup import embedded_json, json_at, starting_from
from scrapers.prices import parse_price
from scrapers.schemaorg import count_of, long_text_of, number_of, text_of
from scrapers.types import Availability, Offer, Product, ProductPage, Rating, Review

__all__ = ["WalmartScraper"]

_AVAILABILITY: dict[str, Availability] = {"IN_STOCK": "in_stock", "OUT_OF_STOCK": "out_of_stock",
                                          "PRE_ORDER": "preorder", "PREORDER": "preorder"}
_STARS = {"1": "ratingValueOneCount", "2": "ratingValueTwoCount", "3": "ratingValueThreeCount",
          "4": "ratingValueFourCount", "5": "ratingValueFiveCount"}


class WalmartScraper(PageScraper):
    """walmart.com item pages (`/ip/…`), read from `__NEXT_DATA__`."""

    name = "walmart"
    domains = ("walmart.com",)

    def extract(self, page: Page, base: ProductPage | None = None) -> ProductPage:
        """Product, offer, rating with histogram and the reviews in the page JSON."""
        result = starting_from(base, page.url, self.name)
        data = json_at(embedded_json(page.tree, '//script[@id="__NEXT_DATA__"]'),
                       "props", "pageProps", "initialData", "data")
        item = json_at(data, "product")
        if not isinstance(item, dict):
            return result
        result.product = _product(item, result.product)
        result.offers = [_offer(item, page.url)]
        reviews = json_at(data, "reviews") or {}
        result.rating = _rating(item, reviews) or result.rating
        result.reviews = [r for r in map(_review, json_at(reviews, "customerReviews") or []) if r]
        return result


def _product(item: dict[str, Any], generic: Product) -> Product:
    path = json_at(item, "category", "path") or []
    return Product(
        name=text_of(item.get("name")) or generic.name,
        brand=text_of(item.get("brand")) or generic.brand,
        gtin=text_of(item.get("upc")) or generic.gtin,
        mpn=text_of(item.get("model")) or generic.mpn,
        sku=text_of(item.get("usItemId")) or generic.sku,
        image=text_of(json_at(item, "imageInfo", "thumbnailUrl")) or generic.image,
        category=" > ".join(filter(None, (text_of(p) for p in path))) or generic.category,
        canonical_url=generic.canonical_url,
    )


def _offer(item: dict[str, Any], url: str) -> Offer:
    current = json_at(item, "priceInfo", "currentPrice") or {}
    price, currency = parse_price(current.get("price"), currency=current.get("currencyUnit") or "USD")
    return Offer(
        seller=text_of(item.get("sellerDisplayName") or item.get("sellerName")),
        price=price,
        currency=currency,
        availability=_AVAILABILITY.get(str(item.get("availabilityStatus")), "unknown"),
        url=url,
    )


def _rating(item: dict[str, Any], reviews: dict[str, Any]) -> Rating | None:
    value = number_of(reviews.get("averageOverallRating") or item.get("averageRating"))
    count = count_of(reviews.get("totalReviewCount") or item.get("numberOfReviews"))
    if value is None and count is None:
        return None
    counts = {star: count_of(reviews.get(key)) for star, key in _STARS.items()}
    distribution = {k: v for k, v in counts.items() if v is not None}
    return Rating(value=value, count=count, distribution=distribution if len(distribution) == 5 else None)


def _review(node: Any) -> Review | None:
    if not isinstance(node, dict):
        return None
    badges = {text_of(b.get("id")) for b in node.get("badges") or [] if isinstance(b, dict)}
    responses = [text_of(r.get("response")) for r in node.get("clientResponses") or [] if isinstance(r, dict)]
    return Review(
        rating=number_of(node.get("rating")),
        title=text_of(node.get("reviewTitle")),
        text=long_text_of(node.get("reviewText")),
        author=text_of(node.get("userNickname")),
        date=parse_date(text_of(node.get("reviewSubmissionTime")), country="us"),
        verified="VerifiedPurchaser" in badges,
        language="en",
        helpful_votes=count_of(node.get("positiveFeedback")),
        response=next(filter(None, responses), None),
    )
