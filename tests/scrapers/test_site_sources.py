"""A site plugin that overwrites a field with what it read from the page says so in `field_sources`: the
shopper asking "where does this price come from?" is told the shop's own price box, not the markup."""

from __future__ import annotations

import pytest

from scrapers.base import Page
from tests.scrapers.golden import PAGES, GoldenCase, golden_registry

# (golden case, the fields its plugin reads from the page, the fields the markup still holds)
CASES = [
    (
        "fnac/casque",
        ("name", "price", "currency", "availability", "rating", "rating_count", "reviews"),
        ("brand", "gtin", "sku", "image"),
    ),
    (
        "unieuro/smartphone",
        ("name", "price", "currency", "availability", "rating", "rating_count", "reviews"),
        ("brand", "gtin", "mpn", "sku"),
    ),
]


@pytest.mark.parametrize(("case_id", "own", "markup"), CASES)
def test_a_site_plugin_names_itself_for_what_it_read_from_the_page(case_id, own, markup):
    case = GoldenCase(PAGES / f"{case_id}.html")
    plugin = case_id.split("/")[0]
    page = golden_registry().scrape(Page(url=case.expected()["url"], html=case.html()))

    assert page.plugin == plugin
    assert {name: page.field_sources.get(name) for name in own} == dict.fromkeys(own, plugin)
    assert {name: page.field_sources.get(name) for name in markup} == dict.fromkeys(markup, "jsonld")


@pytest.mark.parametrize(
    ("plugin", "url", "shown"),
    [
        (
            "fnac",
            "https://www.fnac.com/a1/Casque",
            '<h1 class="f-productHeader-Title">Casque</h1><b class="f-review-header-note">4,5</b>',
        ),
        (
            "unieuro",
            "https://www.unieuro.it/online/Cuffie/Casque-pidX1",
            '<h1 class="pdp-right__title">Casque</h1><b class="reviews-summary__value">4,5</b>',
        ),
    ],
)
def test_a_rating_shown_without_a_count_forgets_where_the_old_count_came_from(plugin, url, shown):
    markup = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Casque", "aggregateRating": '
        '{"@type": "AggregateRating", "ratingValue": 4.1, "ratingCount": 12}}</script>'
    )
    html = f"<html><head>{markup}</head><body>{shown}</body></html>"
    page = golden_registry().scrape(Page(url=url, html=html))

    assert (page.rating.value, page.rating.count) == (4.5, None)
    assert (page.field_sources.get("rating"), page.field_sources.get("name")) == (plugin, plugin)
    assert "rating_count" not in page.field_sources
