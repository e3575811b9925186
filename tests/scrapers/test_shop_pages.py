"""The local web's shop pages, fetched as a browser would and scraped: what a shopper should be told."""

from __future__ import annotations

import urllib.request

import pytest

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.prices import parse_price
from tests.localweb import LocalWeb


def fetch(local_web: LocalWeb, host: str, path: str) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{local_web.port}{path}", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback only, the test's own server
        return response.read().decode("utf-8")


@pytest.mark.parametrize(
    ("host", "path", "name", "price", "currency", "visible_price", "rating", "reviews", "negative"),
    [
        ("shop-it.test", "/prodotto/macchina-caffe-espresso", "Ardenza Sorrento Pro", "1299.00", "EUR",
         "1.299,00 €", (4.3, 128), 10, 3),
        ("shop-us.test", "/products/noise-cancelling-headphones", "Sonara QuietPro 700", "249.99", "USD",
         "$249.99", (3.9, 412), 9, 3),
    ],
)
def test_a_shop_page_on_the_local_web_tells_the_shopper_what_it_sells(
    local_web, host, path, name, price, currency, visible_price, rating, reviews, negative
):
    html = fetch(local_web, host, path)
    result = SchemaOrgScraper().extract(Page(url=local_web.url(host, path), html=html))

    assert result.product.name.startswith(name)
    assert result.product.canonical_url == local_web.url(host, path)
    assert (result.offers[0].price, result.offers[0].currency) == (price, currency)
    assert visible_price in html and parse_price(visible_price) == (price, currency)
    assert (result.rating.value, result.rating.count) == rating
    assert len(result.reviews) == reviews
    assert sum(1 for review in result.reviews if review.rating <= 2) == negative
    assert all(review.text and review.author and review.date for review in result.reviews)


@pytest.mark.parametrize("host", ["shop-it.test", "shop-us.test"])
def test_the_shops_let_robots_in(local_web, host):
    assert "Allow: /" in fetch(local_web, host, "/robots.txt")
