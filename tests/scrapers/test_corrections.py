"""A shopper's correction points at the element that shows the right value; every later page of the shop
is read there first. What it points at and cannot read leaves the page as the scrapers read it (stale)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from scrapers.base import Page
from scrapers.corrections import Correction, check_selector, correction_status, keep_corrected
from scrapers.registry import load_registry

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
REGISTRY = load_registry()

# A shop whose markup offers the open-box unit's price as the product's, while the page shows both.
OPEN_BOX_PAGE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "corrections" / "open_box_shop.html"
).read_text()


def shop_page(name="Brava Kettle", sku="BK-1", new="99,00", open_box="79.00", stock="In stock") -> Page:
    html = OPEN_BOX_PAGE.format(name=name, sku=sku, new=new, open_box=open_box, stock=stock)
    return Page(url=f"https://www.cornershop.example/p/{sku.lower()}", html=html)


def scrape(page: Page, *corrections: Correction):
    return REGISTRY.scrape(page, list(corrections))


def test_the_markup_price_is_wrong_until_the_shopper_points_at_the_shown_one():
    page = shop_page()
    assert scrape(page).offers[0].price == "79.00"  # the open-box unit's, what the markup says
    pointed = Correction("c1", "price", "#offer-new .amount", "€ 99,00")
    result = scrape(page, pointed)
    assert (result.offers[0].price, result.offers[0].currency) == ("99.00", "EUR")
    assert result.field_sources["price"] == "correction"
    assert correction_status(result, pointed) == "applied"


def test_the_correction_reads_every_later_page_of_the_shop():
    pointed = Correction("c1", "price", "#offer-new .amount")
    result = scrape(shop_page(name="Brava Toaster", sku="BT-2", new="149,50", open_box="119.00"), pointed)
    assert result.offers[0].price == "149.50"
    assert result.product.name == "Brava Toaster"


@pytest.mark.parametrize(
    ("selector", "why"),
    [
        ("#offer-refurbished .amount", "matches nothing (the shop changed its layout)"),
        ("#offer-new .label", "matches text that is no price"),
        ("h1", "matches the title"),
    ],
)
def test_a_correction_that_cannot_be_read_is_stale_and_changes_nothing(selector, why):
    pointed = Correction("c1", "price", selector)
    result = scrape(shop_page(), pointed)
    assert correction_status(result, pointed) == "stale", why
    assert result.offers[0].price == "79.00"
    assert result.field_sources["price"] != "correction"


@pytest.mark.parametrize(
    ("shown", "availability"),
    [
        ("In stock", "in_stock"),
        ("Esaurito", "out_of_stock"),
        ("Rupture de stock", "out_of_stock"),
        ("Pre-order now", "preorder"),
        ("Nicht lieferbar", "out_of_stock"),
    ],
)
def test_availability_is_read_with_the_visible_pages_stock_words(shown, availability):
    pointed = Correction("c2", "availability", "#offer-new .stock")
    result = scrape(shop_page(stock=shown), pointed)
    assert result.offers[0].availability == availability
    assert result.field_sources["availability"] == "correction"


def test_a_list_price_is_read_beside_the_price():
    result = scrape(shop_page(), Correction("c3", "list_price", "#offer-new .amount"))
    assert (result.offers[0].price, result.offers[0].list_price) == ("79.00", "99.00")


def test_a_reviews_block_gives_one_review_per_repeated_item_with_stars_date_and_author():
    pointed = Correction("c4", "reviews", "#reviews")  # the section; its list is one wrapper below
    result = scrape(shop_page(), pointed)
    got = [(r.rating, r.author, r.date, r.text) for r in result.reviews]
    assert got == [
        (5.0, "Ada", "2025-03-02", "Quiet and quick, lovely."),
        (2.0, "Ben", "2025-02-14", "The lid broke after a week."),
        (3.0, None, None, "Does the job."),
    ]
    assert result.field_sources["reviews"] == "correction"


def test_corrections_travel_to_worker_processes():
    pointed = Correction("c1", "price", "#offer-new .amount", "€ 99,00")
    assert pickle.loads(pickle.dumps(pointed)) == pointed


@pytest.mark.parametrize(
    ("selector", "ok"),
    [
        ("#offer-new > .amount", True),
        ("div.buy-box span:nth-of-type(2)", True),
        ("", False),
        ("div[[", False),
        ("a" * 1001, False),
    ],
)
def test_a_selector_lxml_cannot_use_is_refused(selector, ok):
    assert (check_selector(selector) is None) is ok


def labelled(name: str) -> tuple[Page, dict]:
    folder = REAL / name.split("/")[0]
    label = json.loads((REAL / f"{name}.json").read_text())
    return Page(url=label["url"], html=(folder / label["file"]).read_text(encoding="utf-8")), label["expect"]


def test_real_etsy_page_three_prices_the_shown_one_by_correction():
    """Etsy's markup offers 43.90 EUR (JSON-LD) and 48.00 USD (og); the page shows 53,11 €."""
    page, expect = labelled("etsy.com/550571276")
    assert scrape(page).offers[0].price != expect["price"]
    result = scrape(page, Correction("e1", "price", '[data-buy-box-region="price"] p.wt-text-title-03'))
    assert (result.offers[0].price, result.offers[0].currency) == (expect["price"], expect["currency"])


def test_real_otto_page_reviews_missed_are_read_from_the_picked_block():
    page, expect = labelled("otto.de/645503675")
    assert scrape(page).reviews == []
    result = scrape(page, Correction("o1", "reviews", ".cr_js_reviewList"))
    assert len(result.reviews) == expect["reviews_on_page"]
    first = result.reviews[0]
    assert (first.rating, first.date) == (4.0, "2020-04-18")
    assert first.text.startswith("Es ist ein einfaches weißes T Shirt")


def test_the_shops_own_data_read_later_does_not_undo_a_correction():
    page = shop_page()
    corrected = scrape(page, Correction("c1", "price", "#offer-new .amount"))
    from_shop_data = scrape(page)  # what an enriching plugin would hand back: the markup's price again
    kept = keep_corrected(corrected, from_shop_data)
    assert (kept.offers[0].price, kept.field_sources["price"]) == ("99.00", "correction")
    assert keep_corrected(scrape(page), scrape(page)).offers[0].price == "79.00"  # nothing corrected


def test_a_price_pointed_at_a_whole_block_is_not_guessed_from_its_first_number():
    pointed = Correction("c1", "price", "main")
    result = scrape(shop_page(), pointed)
    assert correction_status(result, pointed) == "stale" and result.offers[0].price == "79.00"
