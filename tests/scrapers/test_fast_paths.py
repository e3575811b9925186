"""The shortcuts that keep a page's extraction cheap read the page exactly as the long way does: the same
text below an element, the same class/id words, the same buy buttons, the same tree and microdata."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from lxml.html import HtmlElement

from scrapers.base import Page
from scrapers.markup import phrases, text_content
from scrapers.schemaorg import microdata_product
from scrapers.sites.amazon_reviews import reviews_in
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


def test_phrases_from_a_word_start_find_what_the_written_pattern_finds_after_a_boundary() -> None:
    source = r"in stock|i lager|esaurit[oa]|only \d+ left|在庫切れ|품절"
    text = (
        "within stock, in stock; vi lager, i lager. inesaurito, esaurita. "
        "この商品は在庫切れです 상품품절 only 2 left"
    )
    written = [(m.start(), m.group(0)) for m in re.finditer(rf"\b(?:{source})|在庫切れ|품절", text)]
    found = [(m.start(), m.group(0)) for m in phrases(source, word_start=True).finditer(text)]
    assert found == written
    assert [word for _, word in found] == [
        "in stock",
        "i lager",
        "esaurita",
        "在庫切れ",
        "품절",
        "only 2 left",
    ]


def _texts_the_long_way(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Every shown text and tail below `root` in page order, each element asked where it stands."""
    hidden = (
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "head",
        "title",
        "option",
        "select",
        "textarea",
    )

    def shown(element: HtmlElement) -> bool:
        return not any(e.tag in hidden for e in (element, *element.iterancestors()))

    found = []
    for element in root.iter(etree.Element):
        if shown(element) and element.text and element.text.strip():
            found.append((element, " ".join(element.text.split())))
        parent = element.getparent()
        if element is not root and shown(parent) and element.tail and element.tail.strip():
            found.append((parent, " ".join(element.tail.split())))
    return found


@pytest.mark.parametrize(
    "body",
    [
        TRICKY,
        "<script>a</script>first<div>x<style>b</style>y<noscript><svg><text>z</text></svg></noscript>w</div>",
        "<select><option>1</option><option>2</option></select>after<textarea>t</textarea><p>last</p>tail",
        "<template><p>never <b>shown</b></p></template><svg></svg>",
    ],
)
def test_the_shown_texts_skip_scripts_styles_and_drawings_and_keep_what_follows_them(body: str) -> None:
    page = Page(url="https://shop.test/p", html=f"<html><body>{body}</body></html>")
    body_element = page.tree.find("body")
    view = PageView(page.tree, index=page.index)
    assert view.texts == _texts_the_long_way(body_element)
    assert not any(element.tag in ("script", "style", "svg", "option", "template") for element in view.order)


# Two review blocks as Amazon writes them; each field is the first match in the block, as its XPath was.
REVIEW = """<html lang="en"><body><div data-hook="review" id="R1" data-reviews:ajax-post='{}'>
  <span class="a-profile-name"></span><span class="a-profile-name">Ada L.</span>
  <i class="a-icon a-icon-star a-star-4"><span class="a-icon-alt">4.0 out of 5 stars</span></i>
  <a data-hook="review-title"><span>Sturdy <b>moka</b> pot</span></a>
  <span data-hook="review-date"> </span><span data-hook="review-date">Reviewed on March 3, 2024</span>
  <span data-hook="avp-badge-linkless">Verified Purchase</span>
  <span data-hook="review-body"><span>Long text</span></span>
  <span data-hook="review-collapsed"><span>Short text</span></span>
  <span data-hook="helpful-vote-statement">12 people found this helpful</span>
  <div data-hook="seller-response"><span>Thank you!</span></div>
</div><div data-hook="review"><span data-hook="review-star-rating" class="a-star-2"></span>
  <i class="a-icon-star a-star-5"></i><span data-hook="review-body">Two stars</span>
  <span data-reviews:ajax-post='{"params": {"reviews": "[{\\"locale\\": {\\"language\\": \\"DE\\"}}]"}}'>
  </span>
</div></body></html>"""


def test_an_amazon_review_reads_each_field_from_its_first_match_in_the_block() -> None:
    page = Page(url="https://www.amazon.com/product-reviews/B000000001", html=REVIEW)
    first, second = reviews_in(page.index, language="en")
    assert (first.title, first.text, first.author) == ("Sturdy moka pot", "Short text", "Ada L.")
    assert (first.rating, str(first.date), first.verified) == (4.0, "2024-03-03", True)
    assert first.helpful_votes == 12
    assert (first.response, first.language) == ("Thank you!", "en")
    # The first non-empty author and date, the short text before the long one, the star icon's class.
    # The star hook comes before any star icon; a translated review says its language.
    assert (second.rating, second.text, second.language, second.verified) == (2.0, "Two stars", "de", False)
    assert (second.response, second.helpful_votes, second.author) == (None, 0, None)
