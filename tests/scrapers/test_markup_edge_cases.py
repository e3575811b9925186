"""schema.org markup as shops really write it: lower-case types, no @context, the shown one of many offers,
placeholder prices, variants, ISBNs, search pages full of Products — and where every field came from."""

from __future__ import annotations

import json

import pytest

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.types import ProductPage


def scrape(
    *blocks: object, body: str = "<h1>Moka</h1>", url: str = "https://shop.example.it/p/1"
) -> ProductPage:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>' for b in blocks)
    return SchemaOrgScraper().extract(
        Page(url=url, html=f"<html><head>{scripts}</head><body>{body}</body></html>")
    )


def offer(price: object, availability: str = "InStock", **extra: object) -> dict:
    return {
        "@type": "Offer",
        "price": price,
        "priceCurrency": "EUR",
        "availability": f"https://schema.org/{availability}",
        **extra,
    }


def test_a_lower_case_type_without_context_is_still_the_product():
    page = scrape(
        {
            "@type": "product",
            "name": "Moka",
            "sku": "MK6",
            "offers": {"@type": "offer", "price": "29.90", "priceCurrency": "EUR"},
        }
    )
    assert (page.product.name, page.product.sku, page.offers[0].price) == ("Moka", "MK6", "29.90")
    assert page.field_sources == {"name": "jsonld", "sku": "jsonld", "price": "jsonld", "currency": "jsonld"}


@pytest.mark.parametrize("price", [0, "0.00", -5])
def test_a_zero_or_negative_price_is_no_price(price):
    page = scrape({"@type": "Product", "name": "Moka", "offers": offer(price, "OutOfStock")})
    assert page.offers[0].price is None
    assert "price" not in page.field_sources


def test_the_offer_whose_price_the_page_shows_comes_first():
    body = '<h1>Moka</h1><s>18,00 €</s><span class="price">17,10 €</span><button>Add to cart</button>'
    page = scrape({"@type": "Product", "name": "Moka", "offers": [offer("18.00"), offer("17.10")]}, body=body)
    assert page.offers[0].price == "17.10"
    assert page.field_sources["price"] == "jsonld"


def test_a_sold_out_first_size_does_not_make_the_product_sold_out():
    group = {
        "@type": "ProductGroup",
        "name": "Shirt",
        "hasVariant": [
            {"@type": "Product", "name": "Shirt S", "offers": offer("20.00", "OutOfStock")},
            {"@type": "Product", "name": "Shirt M", "offers": offer("20.00", "InStock")},
        ],
    }
    assert scrape(group).offers[0].availability == "in_stock"


def test_one_product_per_size_is_one_product_with_its_offers():
    sizes = [
        {"@type": "Product", "name": "Shirt", "sku": f"S-{n}", "offers": offer("20.00", stock)}
        for n, stock in ((1, "OutOfStock"), (2, "InStock"))
    ]
    page = scrape(*sizes)
    assert page.is_product and len(page.offers) == 2
    assert page.offers[0].availability == "in_stock"


def test_a_search_page_full_of_products_is_not_a_product():
    items = [
        {
            "@type": "Product",
            "name": f"iPad {n}",
            "url": f"https://shop.example.it/ipad-{n}",
            "offers": offer(f"{300 + n}.00"),
        }
        for n in range(8)
    ]
    assert not scrape({"@type": "ItemList", "itemListElement": items, "mainEntity": items}).is_product


def test_an_isbn_is_the_gtin_not_the_sku_and_zeros_are_no_gtin():
    book = scrape(
        {
            "@type": "Product",
            "@context": "https://schema.org",
            "name": "Darkseid",
            "sku": "9782365775717",
            "offers": offer("22.50"),
        }
    )
    assert (book.product.gtin, book.product.sku) == ("9782365775717", None)
    placeholder = scrape(
        {"@type": "Product", "name": "Moka", "gtin13": "0000000000000", "offers": offer("9.90")}
    )
    assert placeholder.product.gtin is None


def test_meta_tags_telling_a_sale_from_the_regular_price_correct_the_markup():
    head = (
        '<meta property="product:price:amount" content="120.00">'
        '<meta property="og:price:standard_amount" content="150.00">'
        '<meta property="og:availability" content="instock">'
    )
    block = json.dumps(
        {
            "@type": "Product",
            "name": "Sconce",
            "offers": {"@type": "Offer", "price": "150.00", "priceCurrency": "USD"},
        }
    )
    html = f'<html><head>{head}<script type="application/ld+json">{block}</script></head><body></body></html>'
    page = SchemaOrgScraper().extract(Page(url="https://shop.example.com/sconce", html=html))
    assert (page.offers[0].price, page.offers[0].list_price, page.offers[0].availability) == (
        "120.00",
        "150.00",
        "in_stock",
    )
    assert page.field_sources["price"] == "og"


def test_a_list_price_in_the_markup_is_kept_as_the_list_price():
    spec = {
        "@type": "UnitPriceSpecification",
        "priceType": "https://schema.org/ListPrice",
        "price": "49.00",
        "priceCurrency": "EUR",
    }
    page = scrape({"@type": "Product", "name": "Moka", "offers": offer("39.00", priceSpecification=[spec])})
    assert (page.offers[0].price, page.offers[0].list_price) == ("39.00", "49.00")


@pytest.mark.parametrize(
    ("offers", "sku"),
    [
        ([offer("150.00", sku="A1686")], "A1686"),  # the product's code, written on its one offer
        ([offer("10", sku="T-S"), offer("10", sku="T-M")], None),  # one code per size: none is the product's
        ([offer("10", sku="T"), offer("12", sku="T")], "T"),
    ],
)
def test_a_product_without_a_sku_takes_the_one_its_offers_agree_on(offers, sku):
    page = scrape({"@type": "Product", "name": "Moka", "offers": offers})
    assert page.product.sku == sku
    assert page.field_sources.get("sku") == ("jsonld" if sku else None)


@pytest.mark.parametrize(
    ("head", "price", "currency"),
    [
        (
            '<meta property="og:type" content="product"><meta property="og:price" content="30,000원~">',
            "30000.00",
            "KRW",
        ),
        (
            '<meta property="og:type" content="product"><meta name="twitter:label1" content="Price">'
            '<meta name="twitter:data1" content="$49.99">',
            "49.99",
            "USD",
        ),
    ],
    ids=["og-price", "twitter-card"],
)
def test_a_price_in_meta_tags_outside_the_opengraph_keys_is_read(head, price, currency):
    title = '<meta property="og:title" content="Moka">'
    html = f"<html><head>{title}{head}</head><body><h1>Moka</h1></body></html>"
    page = SchemaOrgScraper().extract(Page(url="https://shop.example.com/moka", html=html))
    assert (page.offers[0].price, page.offers[0].currency) == (price, currency)
    assert page.field_sources["price"] == "og"


def test_a_product_id_written_with_its_scheme_is_the_gtin():
    book = scrape({"@type": "Product", "name": "Darkseid", "productID": "isbn:978-2-36577-571-7"})
    assert (book.product.gtin, book.product.sku) == ("9782365775717", None)


@pytest.mark.parametrize(
    ("title", "site_name", "url", "name"),
    [
        (
            "Moka Express 6 tazze | Bialetti Store",
            "Bialetti Store",
            "https://shop.example.it/p/1",
            "Moka Express 6 tazze",
        ),
        ("Moka Express 6 tazze - Amazon.it", None, "https://www.amazon.it/dp/B000", "Moka Express 6 tazze"),
        ("Moka Express - 6 tazze", None, "https://shop.example.it/p/1", "Moka Express - 6 tazze"),
        ("Moka Express | Shop", None, "https://shop.example.it/p/1", "Moka Express | Shop"),
    ],
    ids=["site-name", "domain", "not-a-shop", "generic-label"],
)
def test_the_shops_name_after_a_title_in_meta_tags_is_not_the_products(title, site_name, url, name):
    site = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    head = f'<meta property="og:type" content="product"><meta property="og:title" content="{title}">{site}'
    page = SchemaOrgScraper().extract(Page(url=url, html=f"<html><head>{head}</head><body></body></html>"))
    assert page.product.name == name


def test_a_markup_price_the_page_shows_only_without_vat_gives_way_to_the_price_with_vat():
    product = {
        "@type": "Product",
        "name": "Moka",
        "offers": {"@type": "Offer", "price": "16.45", "priceCurrency": "EUR"},
    }
    body = (
        '<h1>Moka</h1><p class="price">19,90 € inkl. MwSt.</p><p>16,45 € zzgl. MwSt.</p>'
        "<button>In den Warenkorb</button>"
    )
    page = scrape(product, body=body, url="https://shop.example.de/p/1")
    assert page.offers[0].price == "19.90"
    assert page.field_sources["price"] == "page"


@pytest.mark.parametrize("written", ["Wade Logan®", "Wade Logan ™", "Wade Logan(R)"])
def test_a_brand_is_named_without_its_trademark_sign(written):
    from scrapers.registry import load_registry

    block = json.dumps({"@type": "Product", "name": "Sconce", "brand": {"@type": "Brand", "name": written}})
    html = f'<html><head><script type="application/ld+json">{block}</script></head><body></body></html>'
    page = load_registry().scrape(Page(url="https://shop.example.com/sconce", html=html))
    assert page.product.brand == "Wade Logan"
