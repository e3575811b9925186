"""The shortcuts that keep a page's extraction cheap read the page exactly as the long way does: the same
text below an element, the same class/id words, the same buy buttons, the same tree and microdata."""

from __future__ import annotations

import re

import pytest

from scrapers.base import Page
from scrapers.markup import phrases, text_content
from scrapers.schemaorg import microdata_product
from scrapers.visible import PageView, words_of
from scrapers.visible_facts import _buy_like

TRICKY = (
    "<div>Prezzo <b>1.299<sup>,00</sup></b> € <!-- a comment --> incl. IVA</div>"
    "<p>before<script>var price = 12;</script>after &amp; &euro; 5</p>"
    "<a href='/cart'><svg><title>Cart</title></svg> 2 items</a>"
    "<ul><li>one</li>tail<li>two<?pi x?>three</li></ul>"
)


def test_text_below_an_element_reads_as_lxml_reads_it() -> None:
    tree = Page(url="https://shop.test/p", html=f"<html><body>{TRICKY}</body></html>").tree
    for element in tree.iter():
        if isinstance(element.tag, str):
            assert text_content(element) == element.text_content()


def test_class_and_id_words_read_from_the_index_are_the_elements_own() -> None:
    html = (
        '<html><body><div class="Product-Main" id="ppd" data-hook="x"><span itemprop="price" '
        'content="3" class="A-Price">3 €</span><p id="">empty id</p><i data-hook="">hook</i></div>'
        "</body></html>"
    )
    page = Page(url="https://shop.test/p", html=html)
    assert [page.index.words(e) for e in page.index.elements] == [words_of(e) for e in page.index.elements]


@pytest.mark.parametrize(
    ("label", "is_buy"),
    [
        ("Buy", True),
        ("Bid", True),
        ("Buy now", True),
        ("Buyer reviews", False),
        ("Comprar ahora", True),
        ("Ver y comprar", False),
        ("Jetzt kaufen", True),
        ("Acheter", True),
        ("Ajouter au panier", True),
        ("Купить", True),
        ("Bidding history", False),
        ("Add to cart and buy it all today because the label is much too long", False),
    ],
)
def test_a_buy_button_is_known_by_its_label(label: str, is_buy: bool) -> None:
    html = f"<html><body><h1>Moka</h1><button>{label}</button><a href='/help'>Help</a></body></html>"
    view = PageView(Page(url="https://shop.test/p", html=html).tree)
    assert [found for _, found, _ in _buy_like(view)] == ([label] if is_buy else [])


def test_a_decoded_page_keeps_its_text_whatever_its_xml_declaration_says() -> None:
    html = '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Caffè 9,90 €</p></body></html>'
    assert Page(url="https://shop.test/p", html=html).tree.findtext(".//p") == "Caffè 9,90 €"


def test_a_microdata_product_still_reads_the_properties_it_refers_to_elsewhere() -> None:
    html = (
        '<html><body><div itemscope itemtype="https://schema.org/Product" itemref="offer">'
        '<h1 itemprop="name">Moka</h1></div><p>Other things</p>'
        '<div id="offer" itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<span itemprop="price" content="34.90">34,90 €</span></div></body></html>'
    )
    page = Page(url="https://shop.test/p", html=html)
    product = microdata_product(page.tree, "https://shop.test/", page.index.itemscopes)
    assert product is not None and product["name"] == "Moka"
    assert product["offers"]["price"] == "34.90"


@pytest.mark.parametrize(
    "source",
    [
        r"out of stock|sold out|esaurit[oa]|non disponibile|non è disponibile|only \d+ left|nur noch \d+",
        r"add to (cart|bag)|a[ñn]adir a la cesta|añadir al carrito|buy( it)? now|pre-?order|précommander",
        r"(brand|marca)\s*:",  # not plain phrases: compiled as written
        r"x?y|xz",  # a first character with a quantifier: compiled as written
    ],
)
def test_phrases_grouped_by_first_letter_find_what_the_written_pattern_finds(source: str) -> None:
    text = (
        "Sold out in this size, only 3 left in blue; esaurita, non è disponibile. nur noch 2! Add to bag, "
        "añadir al carrito or anadir a la cesta; buy it now, preorder, pre-order, précommander. "
        "Marca: Bialetti xz y"
    ).lower()
    written = [(m.start(), m.group(0)) for m in re.finditer(source, text)]
    assert [(m.start(), m.group(0)) for m in phrases(source).finditer(text)] == written
