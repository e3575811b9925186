"""Amazon: the real amazon.ae pages say what a shopper reads on them, and more reviews come page by page."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import pytest

from scrapers.base import Page, PluginContext
from scrapers.markup import helpful_votes
from scrapers.registry import Registry
from scrapers.sites._index import PageIndex
from scrapers.sites.amazon import AmazonScraper
from scrapers.sites.amazon_insights import customers_say
from scrapers.sites.amazon_reviews import stars
from server.fetch import Fetcher
from tests.scrapers.golden import PAGES, golden_registry

AMAZON = PAGES / "amazon"

# Read off the saved pages by eye (title, buy-box price, "x out of 5", "N ratings", histogram rows, reviews
# listed under "Top reviews"), independently of the plugin, so the golden JSON is checked against the page.
REAL_PAGES = [
    ("B00LAYVPOU", "Philips Viva Collection Compact Juicer", "330.00", 4.4, 5136, (72, 14, 5, 2, 6), 12),
    ("B08CZDYNF7", "Ultrean Digital Food Scale", "26.00", 4.5, 14652, (76, 12, 5, 2, 4), 13),
    (
        "B0CCJPGYC2",
        "JETech Screen Protector for iPhone 15 Pro Max",
        "29.99",
        4.4,
        33006,
        (68, 15, 7, 3, 7),
        13,
    ),
    ("B0D4163L94", 'MIUQAOKL 23.6"x35.4" Printed Grounding Mat', "127.16", 4.1, 44, (67, 8, 6, 4, 14), 6),
    (
        "B0D83GHDW2",
        "UGREEN iPhone 16 Pro Max Screen Protector Privacy",
        "55.00",
        4.3,
        3605,
        (66, 14, 8, 4, 8),
        13,
    ),
]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return golden_registry()


def scrape_saved(registry: Registry, asin: str):
    html = (AMAZON / f"ae-{asin}.html").read_bytes().decode("utf-8", errors="replace")
    return registry.scrape(Page(url=f"https://www.amazon.ae/dp/{asin}", html=html))


@pytest.mark.parametrize(("asin", "name", "price", "rating", "count", "shares", "reviews"), REAL_PAGES)
def test_a_real_amazon_ae_page_tells_what_the_shopper_sees(
    registry, asin, name, price, rating, count, shares, reviews
):
    page = scrape_saved(registry, asin)
    assert page.plugin == "amazon" and page.product.asin == asin and page.product.name.startswith(name)
    assert (page.offers[0].price, page.offers[0].currency) == (price, "AED")
    assert (page.rating.value, page.rating.count) == (rating, count)
    expected = {str(5 - i): round(count * share / 100) for i, share in enumerate(shares)}
    assert page.rating.distribution == expected
    assert len(page.reviews) == reviews
    assert all(r.rating and r.title and r.text and r.author and r.date for r in page.reviews)


def test_foreign_reviews_on_amazon_ae_keep_their_own_language(registry):
    page = scrape_saved(registry, "B08CZDYNF7")
    by_author = {r.author: r for r in page.reviews}
    assert by_author["Fadila Bousefira"].language == "fr"
    assert by_author["Torsten L."].language == "de"
    assert by_author["Torsten L."].date == "2022-03-26"
    assert by_author["Sashizzle"].language == "en" and by_author["Sashizzle"].verified


def test_helpful_votes_and_the_unverified_review_are_read(registry):
    by_author = {r.author: r for r in scrape_saved(registry, "B00LAYVPOU").reviews}
    assert by_author["fatima"].helpful_votes == 4
    assert by_author["Kibou Wissame"].helpful_votes == 1  # "One person found this helpful"
    assert by_author["Malaz"].verified is False and by_author["Tarek"].helpful_votes == 0


def test_a_category_page_is_not_a_product(registry):
    html = (AMAZON / "category-appliances.html").read_bytes().decode("utf-8", errors="replace")
    page = registry.scrape(Page(url="https://www.amazon.ae/gp/bestsellers/appliances", html=html))
    assert not page.is_product and page.offers == [] and page.reviews == []


@pytest.mark.parametrize(
    ("words", "votes"),
    [
        ("12 people found this helpful", 12),
        ("One person found this helpful", 1),
        ("Una persona l'ha trovato utile", 1),
        ("12 persone l'hanno trovato utile", 12),
        ("Une personne a trouvé cela utile", 1),
        ("Eine Person fand das hilfreich", 1),
        ("1.234 Personen fanden diese Informationen hilfreich", 1234),
        ("A 3 personas les ha parecido útil", 3),
        ("12人のお客様がこれが役に立ったと考えています", 12),
        ("", None),
    ],
)
def test_helpful_votes_in_every_storefront_language(words, votes):
    assert helpful_votes(words) == votes


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("4.4 out of 5 stars", 4.4),
        ("4,6 su 5 stelle", 4.6),
        ("4,5 von 5 Sternen", 4.5),
        ("5つ星のうち4.3", 4.3),
        ("5.0 out of 5 stars", 5.0),
        ("", None),
    ],
)
def test_star_ratings_in_every_storefront_language(words, value):
    assert stars(words) == value


def review_page(asin: str, reviews: list[tuple[str, str]], *, last: bool) -> str:
    items = "".join(
        f'<div id="R{i}{author}" data-hook="review"><span class="a-profile-name">{author}</span>'
        f'<i data-hook="review-star-rating" class="a-icon a-icon-star a-star-4"><span class="a-icon-alt">'
        f'4.0 out of 5 stars</span></i><a data-hook="review-title"><span>{title}</span></a>'
        f'<span data-hook="review-date">Reviewed in the United Arab Emirates on {i + 1} March 2024</span>'
        f'<span data-hook="review-body"><span>{title}, in more words.</span></span></div>'
        for i, (author, title) in enumerate(reviews)
    )
    pager = (
        '<li class="a-disabled a-last">Next page</li>'
        if last
        else '<li class="a-last"><a href="#">Next</a></li>'
    )
    return (
        f'<html lang="en-ae"><body><div id="cm_cr-review_list">{items}</div>'
        f'<ul class="a-pagination">{pager}</ul></body></html>'
    )


async def test_more_reviews_page_through_product_reviews_on_the_local_web(local_web, fetch_settings):
    host, asin = "www.amazon-reviews.test", "B00LAYVPOU"
    paging = f"/product-reviews/{asin}/ref=cm_cr_arp_d_paging_btm_next_"
    local_web.add_page(
        host, f"{paging}1", review_page(asin, [("Huda", "Great"), ("Nour", "Solid")], last=False)
    )
    local_web.add_page(
        host, f"{paging}2", review_page(asin, [("Omar", "Noisy"), ("Lina", "Fine")], last=True)
    )
    page = scrape_saved(golden_registry(), asin)
    page.url = f"http://{host}/dp/{asin}"
    async with Fetcher(fetch_settings) as fetcher:
        ctx = PluginContext(fetch=fetcher.fetch, deadline=asyncio.get_running_loop().time() + 5)
        more = await AmazonScraper().more_reviews(ctx, page, limit=10)
    assert [r.author for r in more] == ["Huda", "Nour", "Omar", "Lina"]
    assert all(r.rating == 4.0 and r.date and r.language == "en" for r in more)
    assert local_web.sent_to(host, "/product-reviews/") == [f"{paging}1", f"{paging}2"]


# Labelled real pages of other storefronts (copied from shared/data/pages/amazon into the real-page fixtures).
REAL = PAGES.parent / "real_pages" / "amazon"


def scrape_real(registry: Registry, name: str):
    label = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    raw = (REAL / Path(label["file"]).name).read_bytes()
    html = (gzip.decompress(raw) if label["file"].endswith(".gz") else raw).decode("utf-8", errors="replace")
    return registry.scrape(Page(url=label["url"], html=html))


def test_a_used_copy_is_the_offer_when_amazon_sells_no_new_one(registry):
    page = scrape_real(registry, "co.uk-1849757097")  # "Buy used £4.45", no buy-box price
    offer = page.offers[0]
    assert (offer.price, offer.currency, offer.availability) == ("4.45", "GBP", "in_stock")
    assert page.product.gtin == "9781849757096" and page.product.brand is None  # the ISBN-13; an author


def test_a_kindle_book_is_priced_and_available_from_its_format(registry):
    offer = scrape_real(registry, "com-B0011UCPM4").offers[0]  # "Kindle Price: $10.99", "Available instantly"
    assert (offer.price, offer.currency, offer.availability) == ("10.99", "USD", "in_stock")


def test_no_buy_box_and_no_seller_price_means_no_price(registry):
    page = scrape_real(registry, "es-B01MUGXRT9")  # only "Ver todas las opciones de compra"
    assert not page.offers or page.offers[0].price is None


@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("de-B08R3YHPK1", "Candy"),  # "Marke: Candy" in the overview table
        ("de-B08WC37LYB", "Lenovo"),  # "Besuche den Lenovo-Store"
        ("com-B07G2L3JMM", "ChangM"),  # an older byline: "by <a …lbr_brands_browse-bin=ChangM>ChangM</a>"
        ("es-B09MJSNM1L", "Apple"),  # the byline names Amazon Renewed; the table names the brand
    ],
)
def test_the_brand_is_what_the_page_names_it(registry, name, brand):
    page = scrape_real(registry, name)
    assert page.product.brand == brand and page.field_sources["brand"] == "amazon"


@pytest.mark.parametrize("asin", [row[0] for row in REAL_PAGES])
def test_the_sku_of_an_amazon_item_is_its_asin(registry, asin):
    page = scrape_saved(registry, asin)
    assert page.product.sku == page.product.asin == asin and page.field_sources["sku"] == "amazon"


def test_customers_say_is_kept_as_the_summary_and_its_aspects():
    html = (AMAZON / "ae-B08CZDYNF7.html").read_bytes().decode("utf-8", errors="replace")
    said = customers_say(PageIndex(Page(url="https://www.amazon.ae/dp/B08CZDYNF7", html=html).tree))
    assert said is not None and said.summary.startswith("Customers find the scale useful for baking")
    assert said.aspects == (
        ("Functionality", "positive"),
        ("Value for money", "positive"),
        ("Baking ability", "positive"),
        ("Ease of use", "positive"),
        ("Accuracy", "mixed"),
        ("Size", "negative"),
        ("Reliability", "negative"),
    )


def test_the_product_page_carries_customers_say_for_pros_and_cons(registry):
    page = scrape_saved(registry, "B08CZDYNF7")
    summary = page.to_json()["customer_summary"]
    assert summary["text"].startswith("Customers find the scale useful for baking")
    assert {"aspect": "Accuracy", "sentiment": "mixed"} in summary["aspects"]
    assert [a["aspect"] for a in summary["aspects"] if a["sentiment"] == "negative"] == [
        "Size",
        "Reliability",
    ]


def test_a_product_page_without_the_box_has_no_customer_summary(registry):
    page = scrape_saved(registry, "B00LAYVPOU")
    assert page.customer_summary is None and "customer_summary" not in page.to_json()


def test_a_page_without_customers_say_has_none():
    html = (AMAZON / "ae-B00LAYVPOU.html").read_bytes().decode("utf-8", errors="replace")
    assert customers_say(PageIndex(Page(url="https://www.amazon.ae/dp/B00LAYVPOU", html=html).tree)) is None


def test_the_index_keeps_every_element_of_a_repeated_id():
    html = (
        '<html><body><span id="acrPopover" title=""></span><div id="x" data-hook="review">a</div>'
        '<span id="acrPopover" title="4.4 out of 5 stars"></span></body></html>'
    )
    index = PageIndex(Page(url="https://www.amazon.com/dp/B000000000", html=html).tree)
    assert (
        len(index.ids("acrPopover")) == 2 and index.attr("acrPopover", name="title") == "4.4 out of 5 stars"
    )
    assert [e.get("id") for e in index.hooks("review")] == ["x"] and index.ids("missing") == []
