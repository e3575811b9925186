"""Real shop pages read field by field as a shopper sees them (fixtures/real_pages/; rules: real_pages.py).

One test per (page, field). Today's misses are in known_misses.json and run as strict xfail: when the
extractor gets one right, its test fails until the field leaves the list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest

from scrapers.registry import Registry, load_registry
from scrapers.types import Offer, Product, ProductPage
from tests.scrapers.real_pages import (
    FIELDS,
    ROOT,
    Counts,
    LabelledPage,
    Verdict,
    expected,
    extracted,
    judge,
    labelled_pages,
    load_known_misses,
    scored,
    scrape,
)

_OTHER_KINDS = ("search", "mentions", "offers")  # a page plugin that failed to load has kind "?"
PAGES = labelled_pages()
KNOWN_MISSES = load_known_misses()


def _cases() -> list[Any]:
    """One case per scored (page, field); today's known misses are strict xfail."""
    cases = []
    for page in PAGES:
        for field_name in FIELDS:
            if not scored(field_name, page.expect):
                continue
            known = field_name in KNOWN_MISSES.get(page.id, ())
            marks = [pytest.mark.xfail(strict=True, reason="known miss")] if known else []
            cases.append(pytest.param(page, field_name, id=f"{page.id}:{field_name}", marks=marks))
    return cases


@pytest.fixture(scope="module")
def registry() -> Registry:
    registry = load_registry()
    broken = [
        f"{info.name}: {info.error}"
        for info in registry.infos
        if info.error and info.kind not in _OTHER_KINDS
    ]
    assert not broken, f"page plugins failed to load: {broken}"
    return registry


@pytest.fixture(scope="module")
def extraction(registry: Registry) -> Callable[[LabelledPage], dict[str, Any]]:
    """What the plugins read from a page, scraped once per page for all its fields."""
    done: dict[str, dict[str, Any]] = {}

    def read(page: LabelledPage) -> dict[str, Any]:
        if page.id not in done:
            done[page.id] = extracted(scrape(page, registry))
        return done[page.id]

    return read


@pytest.mark.parametrize(("page", "field_name"), _cases())
def test_real_page_field_reads_as_the_shopper_sees_it(
    page: LabelledPage, field_name: str, extraction: Callable[[LabelledPage], dict[str, Any]]
) -> None:
    got = extraction(page)
    verdict = judge(field_name, page.expect, page.also_ok, got)
    assert verdict in ("right", "absent"), (
        f"{page.id} {field_name}: the page shows {expected(field_name, page.expect)!r}, "
        f"read {got[field_name]!r} ({verdict})"
    )


def test_the_real_pages_are_the_46_labelled_pages_as_saved() -> None:
    assert len(PAGES) == 46 and sum(not p.expect["is_product"] for p in PAGES) == 4
    for page in PAGES:
        assert hashlib.sha256(page.content()).hexdigest() == page.sha256, page.id


def test_known_misses_name_only_labelled_pages_and_scored_fields() -> None:
    pages = {page.id: page for page in PAGES}
    assert json.loads((ROOT / "known_misses.json").read_text()) == KNOWN_MISSES
    for page_id, fields in KNOWN_MISSES.items():
        assert page_id in pages, f"{page_id} is not a labelled page"
        for field_name in fields:
            assert scored(field_name, pages[page_id].expect), f"{page_id} {field_name} is not scored"


# The scoring itself, on made-up labels and extractions.

PRODUCT = {
    "is_product": True,
    "name_contains": "Moka Express",
    "brand": "Bialetti",
    "price": "29.90",
    "currency": "EUR",
    "availability": "in_stock",
    "sku": "0001162",
    "gtin": "8006363011624",
    "rating": 4.6,
    "rating_count": 120,
    "reviews_on_page": 0,
}
SEARCH_PAGE = {**{key: None for key in PRODUCT}, "is_product": False, "reviews_on_page": 0}


def _got(**changes: Any) -> dict[str, Any]:
    got = {
        "is_product": True,
        "name": "Bialetti Moka  Express 3 tazze",
        "brand": "BIALETTI",
        "price": "29.9",
        "currency": "EUR",
        "availability": "in_stock",
        "sku": ["0001162"],
        "gtin": "08006363011624",
        "rating": 4.64,
        "rating_count": 120,
        "reviews_on_page": None,
    }
    return {**got, **changes}


@pytest.mark.parametrize(
    ("field_name", "got", "verdict"),
    [
        ("price", _got(), "right"),  # 29.9 is 29.90 as a decimal
        ("price", _got(price="34.50"), "wrong"),
        ("price", _got(price=None), "missed"),
        ("name", _got(), "right"),  # a substring, spaces and case aside
        ("name", _got(name="Bialetti Venus"), "wrong"),
        ("brand", _got(), "right"),  # case-insensitive
        ("sku", _got(sku=["B000XYZ", "0001162"]), "right"),  # the sku or the ASIN may match
        ("sku", _got(sku=["B000XYZ"]), "wrong"),
        ("gtin", _got(), "right"),  # the GTIN-14 padding of the same code
        ("rating", _got(rating=4.55), "right"),
        ("rating", _got(rating=4.5), "wrong"),
        ("rating_count", _got(rating_count=121), "wrong"),
        ("reviews_on_page", _got(), "absent"),  # none shown, none read
        ("reviews_on_page", _got(reviews_on_page=10), "spurious"),
        ("availability", _got(availability=None), "missed"),
    ],
)
def test_a_field_is_judged_against_the_label(field_name: str, got: dict[str, Any], verdict: str) -> None:
    assert judge(field_name, PRODUCT, {}, got) == verdict


def test_a_value_where_the_label_has_none_is_spurious() -> None:
    label = {**PRODUCT, "gtin": None, "rating": None}
    assert judge("gtin", label, {}, _got()) == "spurious"
    assert judge("rating", label, {}, _got(rating=None)) == "absent"


def test_an_also_ok_value_counts_as_right() -> None:
    also_ok = {"price": ["24.90"], "sku": ["0001163"]}
    assert judge("price", PRODUCT, also_ok, _got(price="24.9")) == "right"
    assert judge("sku", PRODUCT, also_ok, _got(sku=["0001163"])) == "right"
    assert judge("price", PRODUCT, also_ok, _got(price="19.90")) == "wrong"


def test_unknown_availability_and_a_non_product_page_score_only_what_the_label_says() -> None:
    assert not scored("availability", {**PRODUCT, "availability": "unknown"})
    assert [f for f in FIELDS if scored(f, SEARCH_PAGE)] == ["is_product"]
    assert judge("is_product", SEARCH_PAGE, {}, _got()) == "spurious"
    assert judge("is_product", SEARCH_PAGE, {}, _got(is_product=False)) == "absent"
    assert judge("is_product", PRODUCT, {}, _got(is_product=False)) == "missed"


def test_a_wrong_value_is_a_false_positive_and_a_miss() -> None:
    counts = Counts()
    verdicts: list[Verdict] = ["right", "right", "right", "wrong", "missed", "spurious", "absent"]
    for verdict in verdicts:
        counts.add(verdict)
    assert (counts.tp, counts.fp, counts.fn) == (3, 2, 2)
    assert counts.precision == counts.recall == counts.f1 == pytest.approx(0.6)


def test_the_offer_scored_is_the_first_with_a_price() -> None:
    page = ProductPage(
        url="https://shop.test/p",
        plugin="generic",
        product=Product(name="Moka", asin="B0X"),
        offers=[
            Offer(price=None, availability="out_of_stock"),
            Offer(price="29.90", currency="EUR", availability="unknown"),
        ],
    )
    got = extracted(page)
    assert (got["price"], got["currency"], got["availability"]) == ("29.90", "EUR", None)
    assert got["sku"] == ["B0X"] and got["reviews_on_page"] is None
