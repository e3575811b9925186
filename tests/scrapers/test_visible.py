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
        ('<p class="prix">129<sup>€99</sup></p><p class="prix-barre"><s>149€90</s></p>', "129.99", "149.90"),
        ('<p class="preis">ab 129,99 €</p>', "129.99", None),
        ('<p class="harga">Rp 1.299.000</p>', "1299000.00", None),
        ('<p class="cost">1 299 грн</p>', "1299.00", None),
        ('<p class="pris">1 299:-</p>', "1299.00", None),
        ('<p class="precio">S/ 1,299.00</p>', "1299.00", None),
        ('<p class="price">1,299 د.إ</p>', "1299.00", None),
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
        "euro-as-decimal-sign",
        "from-price-labelled",
        "rupiah",
        "hryvnia",
        "kronor-colon-dash",
        "sol",
        "dirham-in-arabic",
    ],
)
def test_the_price_is_the_one_the_shopper_pays(block, price, list_price):
    page = scrape(shop_page(block))
    assert page.offers[0].price == price
    assert page.offers[0].list_price == list_price
    assert page.field_sources["price"] == "page"


@pytest.mark.parametrize(
    "block",
    [
        '<p class="price"><sup>$</sup>129<sup>99</sup></p>',
        '<p class="price">$<span>129</span><sup>99</sup></p>',
        '<p class="price"><span class="dollars">$129</span><span class="cents">.99</span></p>',
        '<p class="a-price"><span class="a-price-symbol">$</span><span class="a-price-whole">129'
        '<span class="a-price-decimal"></span></span><span class="a-price-fraction">99</span></p>',
        '<p class="price"><span class="int">129</span><span class="dec">,99</span>'
        '<span class="cur">$</span></p>',
    ],
    ids=["sup-cents", "sup-cents-symbol-apart", "dollars-cents", "fraction-class", "three-spans"],
)
def test_a_price_split_over_elements_is_read_whole(block):
    page = scrape(shop_page(block, lang="en"), url="https://shop.example.com/moka")
    assert (page.offers[0].price, page.offers[0].currency) == ("129.99", "USD")


def test_a_price_cut_at_its_decimal_comma_is_read_whole_without_a_price_class():
    block = '<div data-test="price"><span>399,</span><span>00</span><span>€</span></div>'
    assert scrape(shop_page(block)).offers[0].price == "399.00"


@pytest.mark.parametrize(
    "block",
    [
        '<p class="price">£108.33 <span>ex. VAT</span></p>'
        '<p class="price-inc">£129.99 <span>inc. VAT</span></p>',
        '<p class="price">108,33 € <span>zzgl. MwSt.</span></p>'
        '<p class="price-gross">129,99 € inkl. MwSt.</p>',
        '<p class="price">108,33 € HT 129,99 € TTC</p>',
        '<p class="price">Prix HT : 108,33 €</p><p class="price">129,99 €</p>',
        '<p class="price">108,33 € uden moms</p><p class="price-gross">129,99 €</p>',
        '<p class="price">108,33 € fără TVA</p><p class="price-gross">129,99 €</p>',
        '<p class="price">108,33 € без НДС</p><p class="price-gross">129,99 €</p>',
    ],
    ids=["uk-after", "de-after", "fr-one-line", "fr-label", "da", "ro", "ru"],
)
def test_the_price_with_vat_wins_over_the_one_without_wherever_the_vat_words_stand(block):
    assert scrape(shop_page(block)).offers[0].price == "129.99"


# Figures printed before the price that are not what the shopper pays, with the class a shop gives each.
_INSTALMENTS = [
    "ou 3 fois 11,63 €",
    "4x 8,73 € sans frais",
    "in 3 Raten à 11,63 €",
    "ab 2,91 € mtl.",
    "da 2,91 €/mese",
    "or 4 payments of 8,73 €",
    "2,91 €/mo",
    "12 meses de 2,91 €",
    "10 rat x 3,49 zł",
    "€ 2,91 per maand",
]
_UNIT_PRICES = [
    "69,80 €/kg",
    "69,80 € / 100 g",
    "Grundpreis: 69,80 €/1 kg",
    "1 kg = 69,80 €",
    "Jämförpris 69,80 €/kg",
    "69,80 zł za kg",
    "Prix au kilo : 69,80 €",
    "Precio por kilo: 69,80 €",
]
_SAVINGS = ["Oszczędzasz 10,00 €", "Sleva 10,00 €", "Скидка 10,00 €", "Je bespaart € 10,00"]


@pytest.mark.parametrize(
    ("kind", "figure"),
    [("small", line) for line in _INSTALMENTS]
    + [("unit", line) for line in _UNIT_PRICES]
    + [("save", line) for line in _SAVINGS],
)
def test_an_instalment_a_unit_price_or_a_saving_shown_before_the_price_is_not_the_price(kind, figure):
    block = f'<p class="price-{kind}">{figure}</p><p class="price">34,90 €</p>'
    assert scrape(shop_page(block)).offers[0].price == "34.90"


@pytest.mark.parametrize(
    "label",
    ["Normalpris", "Tidligere pris", "Cena regularna", "Původní cena", "Eredeti ár", "Старая цена"]
    + ["Eski fiyat", "Ancien prix", "Compare at"],
)
def test_a_former_price_is_read_by_its_label_in_many_languages(label):
    offer = scrape(shop_page(f'<p>{label} 49,90 €</p><p class="price">34,90 €</p>')).offers[0]
    assert (offer.price, offer.list_price) == ("34.90", "49.90")


@pytest.mark.parametrize(
    "line",
    [
        "Was 49,90 € Now 34,90 €",
        "UVP 49,90 € 34,90 €",
        "Statt 49,90 € nur 34,90 €",
        "34,90 € statt 49,90 €",
        "Van € 49,90 voor € 34,90",
    ],
)
def test_a_former_price_and_the_price_on_one_line_are_told_apart_by_the_words_between_them(line):
    # A label names the number after it, up to the next price: "Was" is not also the label of 34,90.
    offer = scrape(shop_page(f"<p>{line}</p>")).offers[0]
    assert (offer.price, offer.list_price) == ("34.90", "49.90")


def test_a_dutch_van_is_a_former_price_only_right_before_the_number():
    offer = scrape(shop_page("<p>Van Gogh print € 34,90</p><p>Gratis verzending vanaf € 20</p>")).offers[0]
    assert (offer.price, offer.list_price) == ("34.90", None)


def test_the_price_of_the_one_piece_sold_is_the_price():
    assert scrape(shop_page('<p class="price">619,90 € / 1 Stk</p>')).offers[0].price == "619.90"


def test_a_threshold_is_not_the_price_unless_labelled_as_one():
    page = scrape(
        shop_page('<p class="price">34,90 €</p><p>Spedizione gratuita da 49 €, ab 50 € ohne Porto</p>')
    )
    assert page.offers[0].price == "34.90"
    page = scrape(shop_page('<p class="price">34,90 €</p><p>from 50 €</p>'))
    assert page.offers[0].price == "34.90"


def test_prices_of_other_products_the_header_and_footer_are_not_the_price():
    visible = read_visible(Page(url="u", html=shop_page('<span class="price">34,90 €</span>')).tree)
    others = [c for c in visible.candidates["price"] if c.value in ("0.00", "9.90", "49.00")]
    assert all(c.score < 0 for c in others)
    assert visible.best("price").value == "34.90"


@pytest.mark.parametrize(
    "said",
    [
        "Prix le plus bas des 30 derniers jours : 39,00 €",
        "Niedrigster Preis der letzten 30 Tage: 39,00 €",
        "Lägsta pris senaste 30 dagarna: 39,00 €",
        "Najniža cijena u zadnjih 30 dana: 39,00 €",
        "Χαμηλότερη τιμή των τελευταίων 30 ημερών: 39,00 €",
    ],
)
def test_the_eu_lowest_price_of_thirty_days_is_read_in_the_languages_of_the_eu(said):
    block = f'<s class="was">49,00 €</s><span class="price">34,90 €</span><p>{said}</p>'
    offer = scrape(shop_page(block)).offers[0]
    assert (offer.price, offer.lowest_30d) == ("34.90", "39.00")


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
    ("lang", "line", "availability"),
    [
        ("it", "<p>Esaurito</p>", "out_of_stock"),
        ("fr", "<p>Victime de son succès</p>", "out_of_stock"),
        ("fr", '<button class="alert">Me prévenir</button>', "out_of_stock"),
        ("cs", "<p>Není skladem</p>", "out_of_stock"),
        ("sv", "<p>Slut i lager</p>", "out_of_stock"),
        ("tr", "<p>Stokta yok</p>", "out_of_stock"),
        ("de", "<p>Sofort lieferbar</p>", "in_stock"),
        ("uk", "<p>В наявності</p>", "in_stock"),
        ("sv", "<p>Ej i lager</p>", "out_of_stock"),
        ("sv", "<p>Finns ej i lager</p>", "out_of_stock"),
        ("pt", "<p>Não disponível</p>", "out_of_stock"),
        ("hu", "<p>Nincs raktáron</p>", "out_of_stock"),
        ("hu", "<p>Raktáron</p>", "in_stock"),
        ("tr", "<p>Stokta</p>", "in_stock"),
    ],
    ids=["it", "fr-line", "fr-alert", "cs", "sv", "tr", "de", "uk", "sv-ej", "sv-finns-ej", "pt", "hu-out"]
    + ["hu-in", "tr-in"],
)
def test_a_page_with_no_buy_button_is_a_product_when_its_stock_line_says_so(lang, line, availability):
    html = shop_page(f'<span class="price">34,90 €</span>{line}', lang=lang).replace(
        '<button class="add-to-cart">Aggiungi al carrello</button>', ""
    )
    page = scrape(html)
    assert page.is_product
    assert (page.offers[0].price, page.offers[0].availability) == ("34.90", availability)


def test_a_stock_line_makes_no_product_of_a_page_with_no_price_beside_the_title():
    html = (
        "<html><body><article><h1>Why the PS5 is sold out everywhere</h1><p>Sold out</p><p>Retailers "
        "sold every console at $499 within minutes, and the next batch is weeks away.</p></article>"
        "</body></html>"
    )
    assert not scrape(html, "https://news.example/ps5").is_product


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("cs", "Do košíku"),
        ("da", "Læg i kurv"),
        ("nb", "Legg i handlekurven"),
        ("fi", "Lisää ostoskoriin"),
        ("ro", "Adaugă în coș"),
        ("hu", "Kosárba"),
        ("el", "Προσθήκη στο καλάθι"),
        ("hr", "Dodaj u košaricu"),
        ("lt", "Į krepšelį"),
        ("bg", "Добави в количката"),
        ("sv", "Köp"),
        ("ko", "장바구니 담기"),
        ("zh", "加入购物车"),
    ],
    ids=lambda value: value if len(value) == 2 else "",
)
def test_buy_buttons_are_read_in_the_languages_of_europe_and_beyond(lang, label):
    html = shop_page('<span class="price">34,90 €</span>', lang=lang).replace(
        '<button class="add-to-cart">Aggiungi al carrello</button>', f'<button class="btn">{label}</button>'
    )
    page = scrape(html)
    assert page.is_product
    assert page.offers[0].availability == "in_stock"


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
        ("<p>Référence : 0042MK</p>", "sku", "0042MK"),
        ("<p>Referencia: 0042MK</p>", "sku", "0042MK"),
        ("<p>Artikelnr: 123456</p>", "sku", "123456"),
        ("<p>Kod produktu: 123456</p>", "sku", "123456"),
        ("<p>Varenummer: 123456</p>", "sku", "123456"),
        ("<p>Ürün kodu: 123456</p>", "sku", "123456"),
        ("<p>Артикул: 123456</p>", "sku", "123456"),
        ("<p>品番：ABC-123</p>", "sku", "ABC-123"),
        ("<p>Style #: AB1234</p>", "sku", "AB1234"),
        ("<p>Model #: WX-200</p>", "mpn", "WX-200"),
        ("<p>Modellnummer: WX-200</p>", "mpn", "WX-200"),
        ("<p>Mfr. Part #: 12-345</p>", "mpn", "12-345"),
        ("<p>EAN-Code: 4006381333931</p>", "gtin", "4006381333931"),
        ("<p>Código EAN: 4006381333931</p>", "gtin", "4006381333931"),
        ("<p>Značka: Bialetti</p>", "brand", "Bialetti"),
        ("<p>Производитель: Bialetti</p>", "brand", "Bialetti"),
        ("<p>Número de artículo: 123456</p>", "sku", "123456"),
        ("<p>Numero articolo: 123456</p>", "sku", "123456"),
        ("<p>Numer katalogowy: 123456</p>", "sku", "123456"),
        ("<p>Kat. č.: 123456</p>", "sku", "123456"),
        ("<p>Ref. fabricante: WX-200</p>", "mpn", "WX-200"),
        ("<p>Referencia del fabricante: WX-200</p>", "mpn", "WX-200"),
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


@pytest.mark.parametrize(
    "html",
    [
        '<head><meta property="og:title" content="Moka Express 6 tazze"></head><body><header>'
        '<h1 class="logo"><a href="/">Caffè Shop</a></h1></header><main><h2>Moka Express 6 tazze</h2>'
        '<p class="price">34,90 €</p><button>Aggiungi al carrello</button></main></body>',
        "<head><title>Moka Express 6 tazze | Caffè Shop</title></head><body><main>"
        '<div class="name">Moka Express 6 tazze</div><p class="price">34,90 €</p>'
        "<button>Aggiungi al carrello</button></main></body>",
        "<head><title>Moka Express 6 tazze - Caffè Shop</title></head><body><main><h1>Caffettiere</h1>"
        '<div class="product"><h2>Moka Express 6 tazze</h2><p class="price">34,90 €</p>'
        "<button>Aggiungi al carrello</button></div></main></body>",
    ],
    ids=["logo-h1", "no-h1", "category-h1"],
)
def test_the_products_name_is_the_element_showing_the_title_when_no_h1_names_it(html):
    page = scrape(f"<html>{html}</html>")
    assert page.product.name == "Moka Express 6 tazze"
    assert page.offers[0].price == "34.90"


def test_the_sites_own_name_marked_as_a_navbar_brand_is_not_the_products_brand():
    brand = '<a class="product-brand" href="/b/bialetti">Bialetti</a>'
    navbar = '<div class="top"><a class="navbar-brand" href="/">Caffè Shop</a></div>'
    html = shop_page(f'<span class="price">34,90 €</span>{brand}').replace("<body>", f"<body>{navbar}")
    assert scrape(html).product.brand == "Bialetti"
    assert scrape(html.replace("product-brand", "product-maker")).product.brand is None


def test_a_form_that_puts_the_product_in_the_cart_makes_a_page_without_a_buy_label_a_product():
    offers = (
        '<li><input type="radio" name="offer" disabled>'
        "<label>Occasion <strong>Non disponible</strong></label></li>"
        '<li><input type="radio" name="offer"><label>Neuf <strong>22,50 €</strong></label></li>'
    )
    html = (
        '<html lang="fr"><body><main><h1>La légende de Darkseid</h1>'
        f'<form action="/add-to-cart/" method="post"><ul>{offers}</ul><p>Disponible</p>'
        '<button type="submit" disabled>Valider</button></form></main></body></html>'
    )
    page = scrape(html, "https://librairie.example.fr/article/7466710")
    assert page.is_product
    assert (page.product.name, page.offers[0].price, page.offers[0].availability) == (
        "La légende de Darkseid",
        "22.50",
        "in_stock",
    )
    assert not scrape(html.replace("/add-to-cart/", "/newsletter/"), "https://librairie.example.fr/a/1").is_product


def test_a_labelled_buy_button_disabled_beside_a_variant_list_still_says_sold_out():
    form = (
        '<form action="/cart/add" method="post">'
        '<select name="id"><option>S</option><option>M</option></select>'
        '<button type="submit" name="add" disabled>Aggiungi al carrello</button></form>'
    )
    html = shop_page(f'<span class="price">34,90 €</span>{form}').replace(
        '<button class="add-to-cart">Aggiungi al carrello</button>', ""
    )
    assert scrape(html).offers[0].availability == "out_of_stock"
