"""Codes and prices a shopper would name: the shop's own product code wherever the page keeps it, the
title shown over a shortened markup name, and the shop's own price over the cheapest marketplace seller."""

from __future__ import annotations

import json

import pytest

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.types import ProductPage


def scrape(html: str, url: str = "https://shop.example.fr/a1234/moka") -> ProductPage:
    return SchemaOrgScraper().extract(Page(url=url, html=html))


def jsonld_page(product: dict, body: str = "") -> str:
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(product)}</script></head>'
        f"<body>{body}</body></html>"
    )


@pytest.mark.parametrize(
    ("fields", "sku", "gtin"),
    [
        ({"identifier": 1442953653}, "1442953653", None),
        ({"productID": "M-4AF00230"}, "M-4AF00230", None),
        ({"gtin13": "SONPS5DISC"}, "SONPS5DISC", None),
        ({"productID": "9782070572670"}, None, "9782070572670"),
        ({"productID": "1061531002002"}, "1061531002002", None),
        ({"sku": "K-1", "productID": "M-4AF00230"}, "K-1", None),
        ({"identifier": "https://shop.example.fr/p/1"}, None, None),
    ],
    ids=[
        "identifier",
        "product-id",
        "code-filed-as-gtin",
        "ean-as-id",
        "bad-check-digit",
        "sku-first",
        "url",
    ],
)
def test_the_shops_code_is_found_where_the_markup_keeps_it(fields, sku, gtin):
    page = scrape(
        jsonld_page({"@context": "https://schema.org", "@type": "Product", "name": "Moka"} | fields)
    )
    assert (page.product.sku, page.product.gtin) == (sku, gtin)


def test_the_code_the_buy_form_sends_is_the_sku_when_the_address_carries_it_too():
    body = (
        "<h1>Moka Express 6 tazze</h1><p>34,90 €</p>"
        '<form action="/cart"><input type="hidden" name="listing_id" value="1234">'
        '<input type="hidden" name="quantity" value="1"><button>Add to cart</button></form>'
    )
    page = scrape(f"<html><body>{body}</body></html>", url="https://shop.example.com/listing/1234/moka")
    assert page.product.sku == "1234"
    assert page.field_sources["sku"] == "page"
    other = scrape(f"<html><body>{body}</body></html>", url="https://shop.example.com/moka-express")
    assert other.product.sku is None  # a form's number the address does not confirm may be a database row


def test_a_microdata_stub_before_the_real_product_does_not_hide_it():
    html = (
        '<html><body><div itemscope itemtype="http://data-vocabulary.org/Product">'
        '<span itemprop="category" content="broché"></span></div>'
        '<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Millénium, T2</span>'
        '<span itemprop="productID" content="9782742765010"></span></div></body></html>'
    )
    product = scrape(html).product
    assert (product.name, product.gtin) == ("Millénium, T2", "9782742765010")


def test_the_title_shown_wins_over_a_markup_name_that_shortens_it():
    html = jsonld_page(
        {"@context": "https://schema.org", "@type": "Product", "name": "Harry Potter, T6"},
        "<h1>Harry Potter, T6 : Harry Potter et le Prince de Sang-Mêlé, J.K. Rowling</h1>",
    )
    page = scrape(html)
    assert page.product.name.startswith("Harry Potter, T6 : Harry Potter et le Prince")
    assert page.field_sources["name"] == "page"


def test_a_privacy_notice_heading_is_not_the_products_title():
    html = (
        "<html><head><meta property='og:title' content='Calabaza felpudo'></head><body>"
        '<div class="wt-overlay"><h1>Tu configuración de privacidad</h1></div>'
        '<main><h1>Calabaza felpudo de otoño</h1><p class="price">53,11 €</p>'
        "<button>Añadir al carro</button></main></body></html>"
    )
    page = scrape(html)
    assert page.product.name == "Calabaza felpudo de otoño"


def test_the_shops_sale_price_wins_over_the_cheapest_marketplace_seller():
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Harry Potter, T6",
        "offers": {"@type": "AggregateOffer", "lowPrice": "4.09", "offerCount": 57, "priceCurrency": "EUR"},
    }
    body = (
        "<h1>Harry Potter, T6</h1><div class='buy'><ul><li><span class='price'>22,71 €</span>"
        "<del class='oldPrice'>23,90 €</del></li></ul><p>En Stock</p>"
        "<a class='add'>Ajouter au panier</a></div>"
        "<div class='marketplace'><p>57 neufs et d'occasion</p><p class='price'>4,09 €</p></div>"
    )
    offer = scrape(jsonld_page(product, body)).offers[0]
    assert (offer.price, offer.currency, offer.list_price) == ("22.71", "EUR", "23.90")


def test_a_price_comparison_page_keeps_the_lowest_price_it_shows():
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Bellona Duo",
        "offers": {
            "@type": "AggregateOffer",
            "lowPrice": "1149.00",
            "offerCount": 14,
            "priceCurrency": "EUR",
        },
    }
    body = "<h1>Bellona Duo</h1><p class='price'>ab 1.149,00 €</p><p class='price'>1.149,00 €</p>"
    page = scrape(jsonld_page(product, body))
    assert page.offers[0].price == "1149.00"
    assert page.field_sources["price"] == "jsonld"
