"""The site plugins' shared readers stay exact where they were made faster: the copy a plugin refines and
the XPath readers compiled once per process."""

from __future__ import annotations

import lxml.html

from scrapers.markup import attr, starting_from, text, texts
from scrapers.types import Offer, Product, ProductPage


def _generic_result() -> ProductPage:
    return ProductPage(
        url="https://shop.test/p/1",
        plugin="generic",
        product=Product(name="Moka pot"),
        offers=[Offer(price="10.00", currency="EUR")],
        explanation={"price": {"chosen": "10.00", "candidates": [{"value": "10.00", "reasons": ["jsonld"]}]}},
    )


def test_a_plugin_refines_its_own_copy_and_the_generic_result_stays_as_it_was() -> None:
    base = _generic_result()
    result = starting_from(base, "https://shop.test/p/1?ref=x", "shop")
    result.product.name, result.offers[0].price = "Moka pot, 6 cups", "9.00"
    result.explanation["price"]["candidates"].append({"value": "9.00"})
    assert (result.url, result.plugin) == ("https://shop.test/p/1?ref=x", "shop")
    assert (base.product.name, base.offers[0].price, base.plugin) == ("Moka pot", "10.00", "generic")
    assert base.explanation == _generic_result().explanation


def test_an_explanation_holding_what_pickle_cannot_write_is_still_copied() -> None:
    base = _generic_result()
    base.explanation["price"]["why"] = lambda: "a plugin's own note"
    result = starting_from(base, base.url, "shop")
    result.offers[0].price = "9.00"
    assert base.offers[0].price == "10.00" and result.explanation["price"]["why"]() == "a plugin's own note"
    assert result.explanation is not base.explanation


def test_the_same_xpath_reads_every_page_and_takes_its_variables() -> None:
    pages = [
        lxml.html.fromstring(f'<div><p id="a">A{n}</p><p id="b" class="c">B{n}</p></div>') for n in (1, 2)
    ]
    assert [text(page, ".//p[@id=$which]", which="b") for page in pages] == ["B1", "B2"]
    assert [texts(page, ".//p") for page in pages] == [["A1", "B1"], ["A2", "B2"]]
    assert attr(pages[1], ".//p[@id='b']", "class") == "c"
