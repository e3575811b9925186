"""The visible page read as a shopper reads it: the price by the title and the buy button, not the struck one,
the price per kilo, the instalment or the price of the product next door."""

from __future__ import annotations

import pytest

from scrapers.base import Page
from scrapers.generic import SchemaOrgScraper
from scrapers.types import ProductPage
from scrapers.visible import read_visible


def shop_page(block: str, *, head: str = "", lang: str = "it") -> str:
    """A product page with no markup: a title, `block` beside it, a buy button, a carousel of others."""
    return (
        f'<html lang="{lang}"><head>{head}</head><body><header class="site-header"><a href="/cart">'
        f'Carrello 0,00 €</a></header><main><div class="product-main"><h1>Moka Express 6 tazze</h1>'
        f'{block}<button class="add-to-cart">Aggiungi al carrello</button></div>'
        f'<section class="related-products"><h2>Potrebbe piacerti</h2><div class="card">'
        f'<span class="price">9,90 €</span></div></section></main>'
        f"<footer>Spedizione gratuita sopra 49,00 €</footer></body></html>"
    )


def scrape(html: str, url: str = "https://shop.example.it/moka") -> ProductPage:
    return SchemaOrgScraper().extract(Page(url=url, html=html))


@pytest.mark.parametrize(
    ("block", "price", "list_price"),
    [
        ('<span class="prezzo">34,90 €</span>', "34.90", None),
        ('<del>42,00 €</del> <span class="price">34,90 €</span>', "34.90", "42.00"),
        ('<span class="price-old">42,00 €</span><span class="price-final">34,90 €</span>', "34.90", "42.00"),
        ('<p>invece di 42,00 €</p><p class="price">34,90 €</p>', "34.90", "42.00"),
        ('<p class="price">34,90 €</p><p>69,80 € / kg</p>', "34.90", None),
        ('<p class="price">34,90 €</p><p>oppure 3x 11,63 €</p>', "34.90", None),
        ('<p class="price">40.00€ Brez DDV: 36.53€</p>', "40.00", None),
        ('<p class="cena">1.299<sup>,00</sup> €</p>', "1299.00", None),
        ('<span class="price">44 890 тг.</span>', "44890.00", None),
    ],
    ids=[
        "labelled",
        "del",
        "old-class",
        "invece-di",
        "per-kilo",
        "instalment",
        "without-vat",
        "split-cents",
        "tenge",
    ],
)
def test_the_price_is_the_one_the_shopper_pays(block, price, list_price):
    page = scrape(shop_page(block))
    assert page.offers[0].price == price
    assert page.offers[0].list_price == list_price
    assert page.field_sources["price"] == "page"


def test_prices_of_other_products_the_header_and_footer_are_not_the_price():
    visible = read_visible(Page(url="u", html=shop_page('<span class="price">34,90 €</span>')).tree)
    others = [c for c in visible.candidates["price"] if c.value in ("0.00", "9.90", "49.00")]
    assert all(c.score < 0 for c in others)
    assert visible.best("price").value == "34.90"


def test_the_eu_lowest_price_of_thirty_days_is_kept_beside_the_price():
    block = (
        '<s class="was">49,00 €</s><span class="price">34,90 €</span>'
        "<p>Prezzo più basso degli ultimi 30 giorni: 39,00 €</p>"
    )
    offer = scrape(shop_page(block)).offers[0]
    assert (offer.price, offer.list_price, offer.lowest_30d) == ("34.90", "49.00", "39.00")


@pytest.mark.parametrize(
    ("block", "availability"),
    [
        ('<span class="price">34,90 €</span>', "in_stock"),
        (
            '<span class="price">34,90 €</span><p class="stock">Esaurito</p>'
            '<button class="add-to-cart" disabled>Aggiungi al carrello</button>',
            "out_of_stock",
        ),
    ],
)
def test_availability_is_what_the_buy_button_and_the_stock_line_say(block, availability):
    html = shop_page(block).replace(
        '<button class="add-to-cart">Aggiungi al carrello</button>',
        "" if "disabled" in block else '<button class="add-to-cart">Aggiungi</button>',
    )
    assert scrape(html).offers[0].availability == availability


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("<p>Art.-Nr.: 123-4567</p>", "sku", "123-4567"),
        ("<p>Cod. articolo 0042MK</p>", "sku", "0042MK"),
        ("<dl><dt>Réf.</dt><dd>1002/710</dd></dl>", "sku", "1002/710"),
        ("<p>Product code: 141677</p>", "sku", "141677"),
        ("<p>EAN: 8006363018944</p>", "gtin", "8006363018944"),
        ("<p>Ver mais artigos da Marca: Roborock</p>", "brand", "Roborock"),
        ("<p>Marke: Bialetti</p>", "brand", "Bialetti"),
    ],
)
def test_the_codes_and_brand_the_page_prints_are_read(line, field, value):
    page = scrape(shop_page(f'<span class="price">34,90 €</span>{line}'))
    assert getattr(page.product, field) == value
    assert page.field_sources[field] == "page"


def test_an_article_quoting_a_price_is_not_a_product():
    html = (
        "<html><body><article><h1>How to dial in espresso</h1><p>My grinder cost "
        '<span class="price">$349</span>.</p></article></body></html>'
    )
    assert not scrape(html, "https://blog.example/espresso").is_product


def test_a_search_page_titled_as_results_is_not_a_product():
    html = shop_page('<span class="price">22,71 €</span>').replace(
        "Moka Express 6 tazze", "1 résultat pour moka"
    )
    assert not scrape(html).is_product


def test_markup_price_stands_when_the_page_shows_it_and_the_page_wins_when_it_shows_a_sale():
    jsonld = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Moka", "offers": '
        '{"@type": "Offer", "price": "219.99", "priceCurrency": "USD"}}</script>'
    )
    same = scrape(shop_page('<span class="price">$219.99</span>', head=jsonld), "https://shop.example.com/m")
    assert (same.offers[0].price, same.field_sources["price"]) == ("219.99", "jsonld")
    sale = scrape(
        shop_page('<s>$219.99</s> <span class="sale-price">$110.00</span>', head=jsonld),
        "https://shop.example.com/m",
    )
    assert (sale.offers[0].price, sale.offers[0].list_price) == ("110.00", "219.99")
    assert sale.field_sources["price"] == "page"
    assert "what the shopper sees wins" in sale.explanation["price"]["why"]
