"""eBay: an auction is offered at its current bid in both item layouts, flagged as an auction."""

from __future__ import annotations

import json

import pytest

from scrapers.base import Page
from tests.scrapers.golden import PAGES, golden_registry

EBAY = PAGES / "ebay"


def scrape(case: str):
    url = json.loads((EBAY / f"{case}.json").read_text(encoding="utf-8"))["url"]
    return golden_registry().scrape(Page(url=url, html=(EBAY / f"{case}.html").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("case", "price", "currency", "auction"),
    [
        (
            "item-vi-auction",
            "12.99",
            "GBP",
            True,
        ),  # nested offer: #prcIsum_bidPrice content="12.99", not £5.00
        ("item-auction", "41.00", "EUR", True),  # .x-bid-price, not the Buy It Now 299,00 beside it
        ("item-us", "189.99", "USD", False),  # a fixed price
    ],
)
def test_an_item_is_offered_at_the_price_a_bidder_or_buyer_pays_now(case, price, currency, auction):
    page = scrape(case)
    offer = page.offers[0]
    assert page.plugin == "ebay" and (offer.price, offer.currency, offer.auction) == (
        price,
        currency,
        auction,
    )
    assert page.field_sources["price"] == "ebay"


def test_the_older_layout_names_the_item_its_number_and_seller():
    page = scrape("item-vi-auction")
    assert page.product.name == "Vintage Zenit-E 35mm SLR Camera Helios-44-2 Lens"  # "Details about" dropped
    assert (page.product.sku, page.offers[0].seller) == ("174512345678", "camera_attic_uk")


def test_a_count_of_items_left_in_any_language_is_in_stock():
    assert scrape("item-auction").offers[0].availability == "in_stock"  # "1 verfügbar"
