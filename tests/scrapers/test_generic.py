"""The generic schema.org scraper: what it reads, what it repairs, and what it refuses to guess."""

from __future__ import annotations

import json
import logging

import pytest

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.registry import Registry
from scrapers.schemaorg import load_jsonld, type_names
from scrapers.types import ProductPage


def scrape(html: str, url: str = "https://shop.example.it/p/1") -> ProductPage:
    return SchemaOrgScraper().extract(Page(url=url, html=html))


def page_with(*blocks: object, lang: str = "it") -> str:
    texts = (b if isinstance(b, str) else json.dumps(b) for b in blocks)
    scripts = "".join(f'<script type="application/ld+json">{text}</script>' for text in texts)
    return f'<!DOCTYPE html><html lang="{lang}"><head>{scripts}</head><body><h1>x</h1></body></html>'


# -- the tolerant JSON-LD loader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"@type": "Product", "name": "A"}', [{"@type": "Product", "name": "A"}]),
        ('[{"name": "A"}, {"name": "B"}]', [{"name": "A"}, {"name": "B"}]),
        ('{"name": "A", "tags": ["x", "y",],}', [{"name": "A", "tags": ["x", "y"]}]),
        ('/* theme */ {"name": "A" /* inline */}', [{"name": "A"}]),
        ('{\n  // the name\n  "name": "A"\n}', [{"name": "A"}]),
        (
            '{"url": "https://a.example/x//y", "note": "a /* not a comment */"}',
            [{"url": "https://a.example/x//y", "note": "a /* not a comment */"}],
        ),
        ('{"name": "A, B,", "n": 1,}', [{"name": "A, B,", "n": 1}]),
        ('{"name": "A"}{"name": "B"}', [{"name": "A"}, {"name": "B"}]),
        ('{"name": "A"},\n{"name": "B"};', [{"name": "A"}, {"name": "B"}]),
        ('{"name": "line\none\ttab"}', [{"name": "line\none\ttab"}]),
        ('{"name": "A"}\x00\x1f', [{"name": "A"}]),
        ('{"name": "l\\\'Aquila"}', [{"name": "l'Aquila"}]),
        ("{&quot;name&quot;: &quot;A&quot;}", [{"name": "A"}]),
        ('<!-- {"name": "A"} -->', [{"name": "A"}]),
        ('<![CDATA[{"name": "A"}]]>', [{"name": "A"}]),
        ('/*<![CDATA[*/{"name": "A"}/*]]>*/', [{"name": "A"}]),
        ('{"name": "A"}]}', [{"name": "A"}]),  # a stray tail after a whole value
    ],
)
def test_broken_json_ld_is_repaired_where_that_is_safe(text, expected):
    assert load_jsonld(text) == expected


@pytest.mark.parametrize("text", ["{name: 'A'}", '{"name": ', "", "not json at all", "{'a': 1}"])
def test_json_ld_that_cannot_be_repaired_safely_raises(text):
    with pytest.raises(ValueError):
        load_jsonld(text)


def test_a_huge_broken_block_is_not_worth_repairing():
    with pytest.raises(ValueError, match="too big"):
        load_jsonld("[" + '{"name": "x",},' * 50_000 + "]")


def test_an_unreadable_block_is_skipped_with_a_warning_and_the_product_still_found(caplog):
    html = page_with("{name: 'Shop'}", {"@type": "Product", "name": "Moka", "sku": "M1"})
    with caplog.at_level(logging.WARNING, logger="zmot.plugins"):
        result = scrape(html)
    assert result.product.name == "Moka"
    assert any("unreadable JSON-LD" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("node", "names"),
    [
        ({"@type": "Product"}, {"Product"}),
        ({"@type": "http://schema.org/Product"}, {"Product"}),
        ({"@type": "https://schema.org/Product/"}, {"Product"}),
        ({"@type": "schema:Product"}, {"Product"}),
        ({"@type": ["Product", "Thing"]}, {"Product", "Thing"}),
        ({"name": "untyped"}, set()),
        ("Product", set()),
    ],
)
def test_types_are_read_in_every_spelling(node, names):
    assert type_names(node) == names


# -- garbage in, empty page out --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "\x00\x01\x02",
        '<?xml version="1.0" encoding="utf-8"?><html><body>x</body></html>',
        "<html><head><script type='application/ld+json'>" + "[" * 5000 + "</script></head></html>",
        '<html><head><script type=\'application/ld+json\'>{"@type": "Product", "offers": 1e999}</script>',
        "<html itemscope itemtype='https://schema.org/Product'><body itemprop='name'></body></html>",
        "<div typeof='Product'><span property='name'>",
        "<<<>>>&&&;;;",
    ],
)
def test_garbage_never_raises(html):
    result = scrape(html)
    assert isinstance(result, ProductPage)
    assert result.plugin == "generic"


def test_a_page_without_product_data_gives_an_empty_product():
    result = scrape(
        '<html><head><meta property="og:type" content="website"><meta property="og:title" '
        'content="Home"><link rel="canonical" href="/"></head><body>$19.99</body></html>'
    )
    assert result.to_json() == ProductPage(url=result.url, plugin="generic").to_json()


# -- what is read, and what is not guessed ---------------------------------------------------------------


def test_products_in_a_listing_are_not_the_page_product():
    products = [{"@type": "Product", "name": name, "offers": {"price": 9}} for name in ("A", "B")]
    items = [{"@type": "ListItem", "position": n, "item": product} for n, product in enumerate(products, 1)]
    listing = {"@type": "ItemList", "itemListElement": items}
    assert scrape(page_with(listing)).product.name is None


def test_a_product_that_is_the_main_entity_of_a_web_page_is_found():
    page = {
        "@type": "ItemPage",
        "mainEntity": {
            "@type": "Product",
            "name": "Moka",
            "offers": {"@type": "Offer", "price": "34.90", "priceCurrency": "EUR"},
        },
    }
    result = scrape(page_with(page))
    assert (result.product.name, result.offers[0].price) == ("Moka", "34.90")


@pytest.mark.parametrize(
    ("availability", "expected"),
    [
        ("https://schema.org/InStock", "in_stock"),
        ("http://schema.org/InStock", "in_stock"),
        ("InStock", "in_stock"),
        ("in stock", "in_stock"),
        ("https://schema.org/LimitedAvailability", "in_stock"),
        ("https://schema.org/OutOfStock", "out_of_stock"),
        ("SoldOut", "out_of_stock"),
        ("https://schema.org/Discontinued", "out_of_stock"),
        ("https://schema.org/PreOrder", "preorder"),
        ("PreSale", "preorder"),
        ("https://schema.org/BackOrder", "preorder"),
        ("https://schema.org/InStoreOnly", "in_stock"),
        ("disponibile", "unknown"),
        (None, "unknown"),
    ],
)
def test_availability_is_one_of_four_words(availability, expected):
    product = {
        "@type": "Product",
        "name": "A",
        "offers": {"price": "1", "priceCurrency": "EUR", "availability": availability},
    }
    assert scrape(page_with(product)).offers[0].availability == expected


def test_absurd_numbers_cost_only_their_own_value():
    product = {"@type": "Product", "name": "A", "aggregateRating": {"ratingValue": 4, "ratingCount": 1e999}}
    result = scrape(page_with(json.dumps(product).replace("Infinity", "1e999")))
    assert (result.product.name, result.rating.value, result.rating.count) == ("A", 4.0, None)


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ({"ratingValue": 4.3}, 4.3),
        ({"ratingValue": "4,3"}, 4.3),
        ({"ratingValue": 86, "bestRating": 100, "worstRating": 0}, 4.3),
        ({"ratingValue": 8.6, "bestRating": "10"}, 4.3),
        ({"ratingValue": 7, "bestRating": 5}, 5.0),
        ({"ratingValue": "n/a"}, None),
    ],
)
def test_aggregate_ratings_are_out_of_five(rating, expected):
    product = {"@type": "Product", "name": "A", "aggregateRating": {"@type": "AggregateRating", **rating}}
    assert scrape(page_with(product)).rating.value == expected


def test_a_dollar_price_without_a_currency_takes_the_shops_country():
    product = {"@type": "Product", "name": "A", "offers": {"@type": "Offer", "price": "$12.99"}}
    offer = scrape(page_with(product), url="https://shop.example.ca/p/1").offers[0]
    assert (offer.price, offer.currency) == ("12.99", "CAD")


def test_a_list_price_in_the_price_specification_is_not_the_price():
    product = {
        "@type": "Product",
        "name": "A",
        "offers": {
            "@type": "Offer",
            "priceCurrency": "EUR",
            "priceSpecification": [
                {"priceType": "https://schema.org/ListPrice", "price": 99},
                {"@type": "UnitPriceSpecification", "price": 79},
            ],
        },
    }
    assert scrape(page_with(product)).offers[0].price == "79.00"


def test_unknown_values_stay_unknown():
    review = {"@type": "Review", "reviewBody": "ok", "datePublished": "05/03/2024"}
    gs1_link = "https://id.gs1.org/01/0800634712075"
    product = {"@type": "Product", "name": "A", "gtin13": gs1_link, "review": review}
    result = scrape(page_with(product), url="https://shop.example.com/p/1")
    assert result.product.gtin is None  # a GS1 link, not a bare number
    assert result.product.canonical_url is None
    assert result.offers == []
    assert result.reviews[0].rating is None
    assert result.reviews[0].date is None  # 05/03 on a .com with lang "it": no country to say d/m or m/d
    assert result.reviews[0].verified is None


def test_review_language_comes_from_the_review_then_the_page():
    product = {
        "@type": "Product",
        "name": "A",
        "review": [
            {"@type": "Review", "reviewBody": "Très bien", "inLanguage": "fr-FR"},
            {"@type": "Review", "reviewBody": "Ottima"},
        ],
    }
    assert [r.language for r in scrape(page_with(product, lang="it-IT")).reviews] == ["fr", "it"]


def test_the_registry_falls_back_to_the_generic_scraper():
    registry = Registry()
    registry.add(SchemaOrgScraper())
    result = registry.scrape(
        Page(url="https://shop.example.it/p/1", html=page_with({"@type": "Product", "name": "Moka"}))
    )
    assert (result.plugin, result.product.name) == ("generic", "Moka")
    assert registry.infos[0].matches == "every URL (fallback)"


def test_the_page_index_is_built_once_and_shared_by_every_reader():
    html = (
        '<html><body><div class="pdp-price price--main" id="p">12 €</div><div class="review">a</div>'
        '<div class="review-title">b</div><span itemprop="price" content="12.00"></span></body></html>'
    )
    page = Page(url="https://shop.example/p/1", html=html)
    assert page.index is page.index and page.index.tree is page.tree
    assert [e.get("id") for e in page.index.classed("pdp-price", "main")] == ["p"]
    assert [e.text for e in page.index.classed("review")] == ["a", "b"]
    assert [e.text for e in page.index.classed("review", whole=True)] == ["a"]
    assert [e.get("content") for e in page.index.itemprop_contents] == ["12.00"]
