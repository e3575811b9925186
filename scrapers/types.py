"""Plugin-facing data: what scrapers and sources return. Unknown values are None, never guessed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AVAILABILITY",
    "SOURCED_FIELDS",
    "SOURCES",
    "Mention",
    "Offer",
    "Product",
    "ProductPage",
    "Rating",
    "Review",
    "SearchResult",
]

Availability = Literal["in_stock", "out_of_stock", "preorder", "unknown"]
AVAILABILITY: tuple[str, ...] = ("in_stock", "out_of_stock", "preorder", "unknown")
# The fields whose origin a product page records (ProductPage.field_sources), and the origins besides a
# site plugin's own name: markup syntaxes, meta tags, the visible page, the shopper's correction.
SOURCED_FIELDS: tuple[str, ...] = (
    "name",
    "brand",
    "gtin",
    "mpn",
    "sku",
    "image",
    "category",
    "price",
    "currency",
    "availability",
    "list_price",
    "lowest_30d",
    "rating",
    "rating_count",
    "reviews",
)
SOURCES: tuple[str, ...] = ("jsonld", "microdata", "rdfa", "og", "page", "correction")


@dataclass
class Product:
    name: str | None = None
    brand: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    sku: str | None = None
    asin: str | None = None
    image: str | None = None
    category: str | None = None
    canonical_url: str | None = None


@dataclass
class Offer:
    seller: str | None = None
    price: str | None = None  # decimal string, "1299.00"
    currency: str | None = None  # ISO 4217
    availability: Availability = "unknown"
    url: str | None = None
    shipping: str | None = None  # decimal string in the same currency, when known
    list_price: str | None = None  # the struck-through "was" price the page shows, decimal string
    lowest_30d: str | None = None  # the EU price indication "lowest price of the last 30 days", if shown
    auction: bool = False  # price is the current bid of an auction, not a fixed price


@dataclass
class Rating:
    value: float | None = None  # out of 5
    count: int | None = None
    distribution: dict[str, int] | None = None  # {"1": n, …, "5": n}


@dataclass
class Review:
    rating: float | None = None  # 1..5
    title: str | None = None
    text: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD
    verified: bool | None = None
    language: str | None = None
    helpful_votes: int | None = None
    response: str | None = None


@dataclass
class ProductPage:
    """What a page scraper makes of one product page (the `zmot scrape --json` document)."""

    url: str
    plugin: str
    product: Product = field(default_factory=Product)
    offers: list[Offer] = field(default_factory=list)
    rating: Rating = field(default_factory=Rating)
    reviews: list[Review] = field(default_factory=list)
    # Where each field's value came from: {"price": "page", "sku": "jsonld", "rating": "amazon", …}
    # (keys in SOURCED_FIELDS; values in SOURCES or a site plugin's name). Part of the product page JSON.
    field_sources: dict[str, str] = field(default_factory=dict)
    # The shop's own summary of all its reviews, where the page shows one (Amazon's "Customers say"):
    # {"text": str | None, "aspects": [{"aspect": str, "sentiment": "positive"|"negative"|"mixed"}]}.
    # Kept as data for pros and cons; in the JSON only when the page has it.
    customer_summary: dict[str, Any] | None = None
    # Plugins that failed on this page ("amazon: ValueError: …"): the caller marks their source as error.
    # Not part of the product page JSON, which describes the page, not the run.
    errors: list[str] = field(default_factory=list, compare=False)
    # Why each field has its value: {"price": {"chosen": …, "source": …, "why": …, "candidates": [{"value",
    # "score", "reasons"}, …]}} for `zmot scrape --explain`. Not part of the product page JSON either.
    explanation: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_product(self) -> bool:
        return bool(self.product.name) and (
            bool(self.offers)
            or self.rating.value is not None
            or bool(self.reviews)
            or bool(self.product.gtin)
        )

    def set_source(self, field_name: str, source: str | None) -> None:
        """Record where `field_name`'s value came from; None forgets it (the value was dropped)."""
        if source is None:
            self.field_sources.pop(field_name, None)
        else:
            self.field_sources[field_name] = source

    def to_json(self) -> dict[str, Any]:
        """The product page JSON (DESIGN.md), without the run's `errors`."""
        data = dataclasses.asdict(self)
        del data["errors"], data["explanation"]
        if data["customer_summary"] is None:
            del data["customer_summary"]
        return data


@dataclass
class SearchResult:
    title: str
    url: str
    snippet: str | None = None
    date: str | None = None


@dataclass
class Mention:
    title: str
    url: str
    site: str | None = None
    kind: Literal["blog", "forum", "news", "video"] = "blog"
    published: str | None = None
    snippet: str | None = None
    text: str | None = None
