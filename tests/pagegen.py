"""Product pages made to order, with schema.org JSON-LD, for tests and benches that need a given shape."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

__all__ = ["REVIEW_TEXTS", "product_page"]

# Plain English reviews of a kettle, each with the stars its writer gave.
REVIEW_TEXTS: list[tuple[int, str]] = [
    (5, "Boils a full litre in under three minutes. Quiet, and the handle is comfortable. Love it!"),
    (5, "Excellent kettle, well made and easy to clean. Highly recommended."),
    (4, "Good value for the price. The lid is a bit stiff but it works great."),
    (1, "It stopped working after two weeks and the seller ignored me. Terrible, returned it."),
    (2, "The plastic smell never went away. The lid is flimsy. Disappointed."),
    (5, "Perfect for tea, the handle is comfortable and it heats fast."),
    (3, "It is a kettle. Does the job, nothing special."),
    (1, "Leaks from the bottom. The lid is flimsy, awful quality, waste of money."),
    (4, "Nice design and a handy water window. Happy with it."),
    (5, "Great kettle, fast and silent. My wife loves it too."),
]


def product_page(
    *,
    name: str = "Brava Steel Kettle 1.7 L",
    brand: str = "Brava",
    gtin: str = "8001234567895",
    price: str = "39.90",
    currency: str = "EUR",
    seller: str = "Kitchen Corner",
    rating: float = 4.1,
    rating_count: int = 212,
    reviews: Sequence[tuple[int, str]] = REVIEW_TEXTS,
    lang: str = "en",
) -> str:
    """A complete product page whose JSON-LD carries Product, Offer, AggregateRating and Reviews."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "brand": {"@type": "Brand", "name": brand},
        "gtin13": gtin,
        "sku": "SKU-" + gtin[-6:],
        "image": "https://cdn.shop.test/img/1.jpg",
        "offers": {
            "@type": "Offer",
            "price": price,
            "priceCurrency": currency,
            "availability": "https://schema.org/InStock",
            "seller": {"@type": "Organization", "name": seller},
        },
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": rating, "ratingCount": rating_count},
        "review": [
            {
                "@type": "Review",
                "reviewRating": {"@type": "Rating", "ratingValue": stars},
                "author": {"@type": "Person", "name": f"Shopper {i}"},
                "datePublished": f"2025-0{1 + i % 9}-1{i % 10}",
                "reviewBody": text,
            }
            for i, (stars, text) in enumerate(reviews)
        ],
    }
    items = "\n".join(f"<li><b>{stars}/5</b> {html.escape(text)}</li>" for stars, text in reviews)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(name)}</title>
<script type="application/ld+json">{json.dumps(data)}</script></head>
<body><h1>{html.escape(name)}</h1><p class="price">{price} {currency}</p><ul class="reviews">{items}</ul>
</body></html>"""
