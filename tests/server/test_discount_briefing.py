"""Is the shop's reduction real? A briefing of a page with a struck "was" price says so in its price
section, from the prices zmot saw the same seller charge in the 30 days before, and weighs it in the
verdict."""

from __future__ import annotations

import time

from scrapers.types import Product
from server import api
from server.products import product_id
from server.store import PriceObservation
from tests.server.conftest import read_events
from tests.server.test_page_briefings import brief

URL = "https://shop.example/p/lume-2"
DAY = 86400.0


def page(lang: str = "en") -> str:
    """A shop's page: 149 € now, with 199 € struck through beside it (as many shops show a sale)."""
    return f"""<!doctype html><html lang="{lang}"><head><title>Lume 2 espresso machine</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
 "name": "Lume 2 espresso machine", "brand": {{"@type": "Brand", "name": "Lume"}}, "gtin13": "8001234567895",
 "aggregateRating": {{"@type": "AggregateRating", "ratingValue": "4.5", "reviewCount": "212"}},
 "offers": {{"@type": "Offer", "price": "149.00", "priceCurrency": "EUR",
  "availability": "https://schema.org/InStock"}}}}</script></head>
<body><h1>Lume 2 espresso machine</h1>
<div class="price-box"><del class="old-price">199,00 €</del> <span class="price">149,00 €</span></div>
<button>Add to cart</button></body></html>"""


async def seen_before(client, amounts: list[str]) -> None:
    """What zmot saw shop.example charge for this product in the last four weeks, a price every few days."""
    pid = product_id(Product(name="Lume 2 espresso machine", brand="Lume", gtin="8001234567895"), URL)
    now = time.time()
    step = 26 * DAY / max(1, len(amounts) - 1)
    await client.server.app[api.STORE].add_prices(
        [
            PriceObservation(pid, "shop.example", amount, "EUR", now - 27 * DAY + i * step, URL)
            for i, amount in enumerate(amounts)
        ]
    )


async def test_a_was_price_never_charged_is_called_out_with_the_real_30_day_low(client):
    await seen_before(client, ["149.00", "155.00", "149.00", "159.00", "149.00", "152.00"])
    _, briefing = await brief(client, URL, page())
    discount = briefing["price"]["discount"]
    assert discount["code"] == "inflated"
    assert discount["was"] == "199.00" and discount["history"]["low"] == "149.00"
    assert "199" in discount["reason"] and "149" in discount["reason"]
    # The shopper hears it among the verdict's reasons.
    assert any("199" in reason for reason in briefing["verdict"]["reasons"])


async def test_a_genuine_reduction_is_said_to_be_one(client):
    await seen_before(client, ["199.00", "199.00", "199.00", "195.00", "199.00", "199.00"])
    _, briefing = await brief(client, URL, page())
    discount = briefing["price"]["discount"]
    assert discount["code"] == "genuine"
    assert discount["history"] == {"days": 30, "count": 6, "low": "195.00", "high": "199.00"}


async def test_with_too_little_history_the_briefing_says_what_it_knows_in_the_shoppers_language(client):
    response = await client.post("/v1/briefings", json={"url": URL, "html": page("it"), "locale": "it-IT"})
    assert response.status == 202
    briefing = (await read_events(await client.get((await response.json())["events"])))[-1][1]
    discount = briefing["price"]["discount"]
    assert discount["code"] == "too_little_history"
    assert discount["language"] == "it" and "prezzo barrato" in discount["reason"]


async def test_a_page_without_a_reduction_has_no_discount_finding(client):
    plain = page().replace('<del class="old-price">199,00 €</del> ', "")
    _, briefing = await brief(client, URL, plain)
    assert briefing["price"]["discount"] is None


async def test_a_stored_briefing_served_to_another_shopper_is_said_in_their_language(client):
    await seen_before(client, ["149.00", "155.00", "149.00", "159.00", "149.00", "152.00"])
    english = await client.post("/v1/briefings", json={"url": URL, "html": page(), "locale": "en-GB"})
    await read_events(await client.get((await english.json())["events"]))

    again = await client.post("/v1/briefings", json={"url": URL, "html": page(), "locale": "it-IT"})
    assert again.status == 200  # the same page showing the same facts: the stored briefing
    briefing = await again.json()
    assert briefing["verdict"]["language"] == "it" and briefing["price"]["language"] == "it"
    assert briefing["price"]["discount"]["language"] == "it"
    assert "prezzo barrato" in briefing["price"]["discount"]["reason"]
