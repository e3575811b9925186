"""outlet-shop.test: a shop whose markup carries the wrong price, for the shopper's corrections.

Its JSON-LD gives the price of an open-box unit as the offer's (PriceBuddy #6, #7: "an open-box price taken
for the new one"), and the page shows that price too, labelled as a price, in an "open box" aside; the price
of a new unit, the one the shopper pays, is in the buy box beside "Add to cart" under a class that says
nothing of prices. What a reader of the page gets wrong, and what a shopper pointing at it gets right. Every
product page has the same layout, so a correction made on one is read on the others.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from tests.localweb.web import LocalWeb

__all__ = ["OUTLET_PRODUCTS", "OutletProduct", "outlet_shop"]

ALLOW_ALL = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class OutletProduct:
    """A product as the outlet sells it: the structured data's (wrong) price and the shown sale price."""

    path: str
    name: str
    gtin: str
    markup_price: str  # the open-box price, in the JSON-LD as if it were the offer's
    sale_price: str  # the new unit's price, in the buy box: what the shopper pays


OUTLET_PRODUCTS = [
    OutletProduct("/p/brava-kettle-outlet", "Brava Steel Kettle 1.7 L", "8001234567932", "79.00", "99.00"),
    OutletProduct("/p/lumo-toaster-outlet", "Lumo 2-Slice Toaster", "8001234567949", "39.00", "49.00"),
]


def outlet_page(product: OutletProduct) -> str:
    """The product's page: JSON-LD with the open-box price, the buy box with the new unit's price."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "brand": {"@type": "Brand", "name": product.name.split()[0]},
        "gtin13": product.gtin,
        "offers": {
            "@type": "Offer",
            "price": product.markup_price,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
            "seller": {"@type": "Organization", "name": "Outlet Corner"},
        },
    }
    name = html.escape(product.name)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name} | Outlet Corner</title>
<script type="application/ld+json">{json.dumps(data)}</script></head>
<body>
<header class="site-header"><a class="logo" href="/">Outlet Corner</a></header>
<main class="product css-1q2w3e">
  <h1 class="product-title">{name}</h1>
  <p class="open-box">Open box, like new: <span class="price">€{product.markup_price}</span></p>
  <div class="buy-box">
    <strong class="pdp-value">€{product.sale_price}</strong>
    <button class="add-to-cart" type="button">Add to cart</button>
  </div>
</main>
<footer><p>Outlet Corner · returns within 30 days</p></footer>
</body></html>"""


async def outlet_shop(local: LocalWeb, request: web.Request) -> web.StreamResponse:
    """outlet-shop.test: the product pages of OUTLET_PRODUCTS; anything else is 404."""
    if request.path == "/robots.txt":
        return web.Response(text=ALLOW_ALL)
    for product in OUTLET_PRODUCTS:
        if request.path == product.path:
            return web.Response(text=outlet_page(product), content_type="text/html")
    return web.Response(status=404, text="no such product\n")
