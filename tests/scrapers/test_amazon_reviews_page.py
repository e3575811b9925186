"""Amazon's "see all reviews" pages (`/product-reviews/ASIN`) read as their product, with its reviews.

The fixtures `tests/fixtures/pages/amazon/reviews-*.html` put a reviews-page frame around the real star
summary, histogram and review blocks of real product pages of each storefront (see the comment at the top of
each); the expected values below were read off those product pages by eye, not from the plugin.
"""

from __future__ import annotations

import pytest

from scrapers.base import Page
from scrapers.registry import Registry
from tests.scrapers.golden import PAGES, golden_registry

AMAZON = PAGES / "amazon"

# case, storefront host, ASIN, start of the product name, brand, stars, ratings, reviews on the page
REVIEWS_PAGES = [
    (
        "reviews-it-B08KJF2D25",
        "www.amazon.it",
        "B08KJF2D25",
        "Sony PlayStation 5 - Digital Edition",
        "PlayStation",
        4.6,
        257,
        10,
    ),
    (
        "reviews-fr-B08RJGPSK6",
        "www.amazon.fr",
        "B08RJGPSK6",
        "HP Chromebook x360 12b-ca0000sf",
        "HP",
        4.4,
        1200,
        5,
    ),
    (
        "reviews-es-B09MJSNM1L",
        "www.amazon.es",
        "B09MJSNM1L",
        "Apple iPhone 13 Pro 256GB - Grafito",
        "Apple",
        3.5,
        307,
        10,
    ),
    (
        "reviews-de-B092LGG221",
        "www.amazon.de",
        "B092LGG221",
        "Midea Washing Machine W 5.840 iN",
        "Midea",
        4.4,
        512,
        8,
    ),
    (
        "reviews-com-B00N150YS4",
        "www.amazon.com",
        "B00N150YS4",
        "Gorilla Black Duct Tape",
        "Gorilla",
        4.8,
        8249,
        10,
    ),
    (
        "reviews-ae-B08CZDYNF7",
        "www.amazon.ae",
        "B08CZDYNF7",
        "Ultrean Digital Food Scale",
        "Ultrean",
        4.5,
        14652,
        10,
    ),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return golden_registry()


def scrape(registry: Registry, case: str, host: str, asin: str):
    html = (AMAZON / f"{case}.html").read_text(encoding="utf-8")
    url = (
        f"https://{host}/product-reviews/{asin}/ref=cm_cr_dp_d_show_all_btm?ie=UTF8&reviewerType=all_reviews"
    )
    return registry.scrape(Page(url=url, html=html))


@pytest.mark.parametrize(
    ("case", "host", "asin", "name", "brand", "stars", "count", "reviews"),
    REVIEWS_PAGES,
    ids=[row[0] for row in REVIEWS_PAGES],
)
def test_a_see_all_reviews_page_is_read_as_its_product_with_its_reviews(
    registry, case, host, asin, name, brand, stars, count, reviews
):
    page = scrape(registry, case, host, asin)
    assert page.plugin == "amazon" and page.is_product
    assert page.product.name.startswith(name) and page.product.brand == brand
    assert page.product.asin == page.product.sku == asin
    assert page.product.canonical_url == f"https://{host}/dp/{asin}"
    assert (page.rating.value, page.rating.count) == (stars, count)
    assert page.rating.distribution and abs(sum(page.rating.distribution.values()) - count) <= 0.03 * count
    assert len(page.reviews) == reviews
    assert all(r.rating and r.text and r.author and r.date for r in page.reviews)
    assert page.offers == []  # a reviews page sells nothing: no price is made up for it
    assert page.field_sources["reviews"] == page.field_sources["rating"] == "amazon"


def test_the_reviews_page_and_the_product_page_show_the_same_reviews(registry):
    product_html = (AMAZON / "ae-B08CZDYNF7.html").read_bytes().decode("utf-8", errors="replace")
    product = registry.scrape(Page(url="https://www.amazon.ae/dp/B08CZDYNF7", html=product_html))
    reviews = scrape(registry, "reviews-ae-B08CZDYNF7", "www.amazon.ae", "B08CZDYNF7")
    assert reviews.reviews == product.reviews[:10]
    assert (reviews.rating, reviews.product.name) == (product.rating, product.product.name)


def test_italian_reviews_keep_their_words_votes_and_language(registry):
    page = scrape(registry, "reviews-it-B08KJF2D25", "www.amazon.it", "B08KJF2D25")
    first = page.reviews[0]
    assert (first.author, first.title, first.rating, first.date) == ("Marco", "Vergognosi", 1.0, "2020-11-19")
    assert first.helpful_votes == 471 and first.language == "it"
