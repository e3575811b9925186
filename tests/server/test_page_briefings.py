"""A briefing belongs to its page: a forged listing or another shop never hands a shopper its briefing."""

from __future__ import annotations

import asyncio

from tests.pagegen import product_page
from tests.server.conftest import read_events

REAL_URL = "https://shop.example/p/brava-kettle"
GTIN = "8001234567895"
ONE_STAR = [(1, "Burst into flames on the first use, terrible, dangerous.")] * 20


async def brief(client, url: str, html: str) -> tuple[int, dict]:
    """POST a page and follow it to the end: (status of the POST, the final briefing)."""
    response = await client.post("/v1/briefings", json={"url": url, "html": html})
    assert response.status in (200, 202), await response.text()
    started = await response.json()
    if response.status == 200:
        return 200, started
    events = await read_events(await client.get(started["events"]))
    return 202, events[-1][1]


async def test_a_forged_listing_claiming_a_real_gtin_is_not_served_to_the_real_shops_shoppers(client):
    forged = product_page(name="RECALLED: battery fire risk", gtin=GTIN, price="9999.00", reviews=ONE_STAR)
    _, poisoned = await brief(client, "http://evil.test/fake-listing", forged)
    assert poisoned["product"]["name"] == "RECALLED: battery fire risk"

    status, briefing = await brief(client, REAL_URL, product_page(gtin=GTIN))
    assert status == 202  # a briefing of its own, not the forged one from the store
    assert briefing["id"] != poisoned["id"]
    assert briefing["product"]["name"] == "Brava Steel Kettle 1.7 L"
    assert briefing["price"]["current"]["price"] == "39.90"
    assert briefing["verdict"]["label"] != "avoid"
    # The forged price stays in the product's history, marked with the page and seller it came from.
    history = await (await client.get(f"/v1/products/{briefing['product']['id']}/prices")).json()
    forged_points = [p for p in history["points"] if p["amount"] == "9999.00"]
    assert forged_points and all(p["url"] == "http://evil.test/fake-listing" for p in forged_points)


async def test_another_shops_page_of_the_same_product_gets_its_own_briefing_and_price(client):
    _, first = await brief(client, REAL_URL, product_page(gtin=GTIN, price="39.90", seller="Kitchen Corner"))
    status, other = await brief(
        client,
        "https://other-shop.example/kettle",
        product_page(gtin=GTIN, price="35.00", seller="Casa Bella"),
    )
    assert status == 202
    assert other["id"] != first["id"]
    assert other["price"]["current"]["price"] == "35.00"
    assert other["product"]["id"] == first["product"]["id"]  # one product: its history joins both shops
    history = await (await client.get(f"/v1/products/{other['product']['id']}/prices")).json()
    assert {(p["seller"], p["amount"]) for p in history["points"]} >= {
        ("Kitchen Corner", "39.90"),
        ("Casa Bella", "35.00"),
    }


async def test_the_same_page_posted_again_is_answered_from_the_store(client):
    html = product_page(gtin=GTIN)
    _, first = await brief(client, REAL_URL, html)
    status, again = await brief(client, REAL_URL, html)
    assert (status, again["id"]) == (200, first["id"])
    # The page loaded again: other bytes (a nonce, a tracking parameter), the same facts.
    reloaded = html.replace("</body>", "<!-- csrf nonce 5f2a --></body>")
    status, again = await brief(client, REAL_URL + "?utm_source=newsletter#reviews", reloaded)
    assert (status, again["id"]) == (200, first["id"])


async def test_a_changed_price_on_the_same_page_is_a_new_briefing(client):
    _, first = await brief(client, REAL_URL, product_page(gtin=GTIN, price="39.90"))
    status, changed = await brief(client, REAL_URL, product_page(gtin=GTIN, price="29.90"))
    assert status == 202
    assert changed["id"] != first["id"]
    assert changed["price"]["current"]["price"] == "29.90"


async def test_fifty_shoppers_on_one_page_at_once_share_one_complete_briefing(client):
    html = product_page(name="Crowd Kettle", gtin="8000000000017")
    answers = await asyncio.gather(*(brief(client, REAL_URL, html) for _ in range(50)))
    assert len({briefing["id"] for _, briefing in answers}) == 1
    assert {briefing["status"] for _, briefing in answers} == {"complete"}
