"""A briefing beyond the page: mentions, other sellers' offers, more reviews and price history, on the
local web, all within the briefing deadline; a hanging or failing source costs only its own entry."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scrapers.base import PageScraper
from scrapers.generic import SchemaOrgScraper
from scrapers.markup import starting_from
from scrapers.registry import Registry
from scrapers.search import SearXNGSearch
from scrapers.types import Review
from server.pipeline import BriefingRequest, Pipeline
from server.store import SQLiteStore
from tests.pagegen import product_page
from tests.server.conftest import make_settings
from tests.server.test_api import brief

SHOPS = Path(__file__).resolve().parents[1] / "fixtures" / "localweb"
HEADPHONES_URL = "http://shop-us.test/products/noise-cancelling-headphones"
HEADPHONES_HTML = (SHOPS / "shop-us.test" / "products" / "noise-cancelling-headphones.html").read_text()
ESPRESSO_URL = "http://shop-it.test/prodotto/macchina-caffe-espresso"
ESPRESSO_HTML = (SHOPS / "shop-it.test" / "prodotto" / "macchina-caffe-espresso.html").read_text()
SEARXNG = {"provider": "searxng", "url": "http://search.test/search"}


def sources_named(briefing: dict, name: str) -> list[dict]:
    return [s for s in briefing["sources"] if s["name"] == name]


def status_of(briefing: dict, url_part: str) -> set[str]:
    return {s["status"] for s in briefing["sources"] if s["url"] and url_part in s["url"]}


async def test_headphones_briefing_has_mentions_and_the_cheaper_shop(api_client):
    async with api_client(search=SEARXNG, briefing={"deadline_s": 2.5}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    mentions = briefing["mentions"]["items"]
    sites = [m["url"].split("/")[2] for m in mentions]
    assert {"audioblog.test", "headfi-forum.test", "technews.test", "videos.test"} <= set(sites)
    assert not any(s.startswith("shop-") for s in sites)  # shops sell it; they are not mentions
    assert mentions[-1]["sponsored"] is True and sites[-1] == "dealsdaily.test"  # independent first
    forum = mentions[sites.index("headfi-forum.test")]
    assert (forum["kind"], forum["sentiment"]["label"]) == ("forum", "negative")
    assert briefing["mentions"]["sentiment"]["independent_only"] is True

    price = briefing["price"]
    assert price["current"]["price"] == "249.99"
    assert price["lowest"]["url"].startswith("http://shop-b.test/")
    assert price["saving"] == {"amount": "15.00", "currency": "USD", "percent": "6"}
    assert any("save 15.00 USD" in reason for reason in briefing["verdict"]["reasons"])

    assert status_of(briefing, "slowreviews.test") == {"timeout"}
    assert status_of(briefing, "brokenreviews.test") == {"error"}
    # Two blogs of ten are missing: `sources` says which, and the briefing, whose sections are all there,
    # is complete.
    assert briefing["status"] == "complete"
    assert briefing["elapsed_ms"] < 2500 + 400


async def test_page_sections_stream_first_and_the_rest_follow(api_client):
    from tests.server.conftest import read_events

    async with api_client(search=SEARXNG, briefing={"deadline_s": 2.0}) as client:
        posted = time.monotonic()
        started = await (
            await client.post("/v1/briefings", json={"url": HEADPHONES_URL, "html": HEADPHONES_HTML})
        ).json()
        assert started["product"]["gtin"] == "842075613316"  # in the POST's answer already
        events = await read_events(await client.get(started["events"]))
    order = [data["section"] for event, data in events if event == "section"]
    assert order.index("price") < order.index("mentions") and order.index("reviews") < order.index("mentions")
    assert order.index("verdict") < order.index("mentions")  # the verdict does not wait for the web
    assert order.count("price") == 2  # the page's price at once, then again with the other sellers
    assert time.monotonic() - posted < 2.0 + 0.6


async def test_italian_shopper_gets_the_italian_blog(api_client):
    async with api_client(search=SEARXNG) as client:
        response = await client.post(
            "/v1/briefings", json={"url": ESPRESSO_URL, "html": ESPRESSO_HTML, "locale": "it-IT"}
        )
        from tests.server.conftest import read_events

        briefing = (await read_events(await client.get((await response.json())["events"])))[-1][1]
    assert briefing["mentions"]["query"] == "Ardenza Sorrento Pro recensione"
    items = {m["url"].split("/")[2]: m for m in briefing["mentions"]["items"]}
    assert items["caffeblog.test"]["language"] == "it" and not items["caffeblog.test"]["sponsored"]
    assert items["offertecaffe.test"]["sponsored"] is True
    assert briefing["price"]["lowest"]["url"].startswith("http://negozio-b.test/")
    assert briefing["price"]["saving"]["amount"] == "40.10"


async def test_price_history_grows_with_each_observation(api_client):
    async with api_client(search=SEARXNG, briefing={"ttl_s": 0, "deadline_s": 1.5}) as client:
        first = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
        second = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
        assert second["id"] != first["id"]
        history = second["price"]["history"]
        prices = await (await client.get(f"/v1/products/{second['product']['id']}/prices")).json()
    own = [p for p in history["points"] if p["seller"] == "Brightline Electronics"]
    assert len(own) == 2  # the page's price, seen twice
    assert {p["seller"] for p in prices["points"]} >= {"Brightline Electronics", "SoundHaus"}
    assert history["low"] is not None and history["typical"] is not None


@pytest.mark.parametrize(
    ("url", "status"),
    [("http://search-fails.test/search", "error"), ("http://search-hangs.test/search", "timeout")],
)
async def test_a_broken_search_costs_mentions_and_offers_only(api_client, url, status):
    async with api_client(search={"provider": "searxng", "url": url}, briefing={"deadline_s": 1.0}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    assert briefing["status"] == "partial"
    assert {s["status"] for s in sources_named(briefing, "mentions")} == {status}
    assert briefing["reviews"]["analyzed"] == 9 and briefing["price"]["current"]["price"] == "249.99"
    assert briefing["verdict"]["label"] != "unknown"
    assert briefing["elapsed_ms"] < 1000 + 400


async def test_search_provider_that_is_not_installed_is_named(api_client):
    async with api_client(search={"provider": "altavista", "url": "http://search.test/"}) as client:
        briefing = await brief(client, HEADPHONES_HTML, url=HEADPHONES_URL)
    (entry,) = sources_named(briefing, "mentions")
    assert entry["status"] == "error" and "'altavista' is not installed" in entry["error"]
    assert "searxng" in entry["error"]


class PagingShop(PageScraper):
    """A shop plugin whose product pages show two reviews and whose review pages hold the rest."""

    name = "paging-shop"
    domains = ("paging-shop.test",)

    def extract(self, page, base=None):
        return starting_from(base, page.url, self.name)

    async def more_reviews(self, ctx, result, *, limit):
        found = []
        for number in range(1, 10):
            if len(found) >= limit:
                break
            response = await ctx.fetch(f"http://paging-shop.test/reviews/{number}")
            if response.status != 200:
                break
            found.append(Review(rating=1, text=response.text, language="en"))
        return found[:limit]


@pytest.fixture
async def paging_pipeline(tmp_path, local_web, cpu):
    for number, text in enumerate(
        ["It stopped working after a week.", "Terrible, returned it.", "Broke in two days. Awful."], start=1
    ):
        local_web.add_page("paging-shop.test", f"/reviews/{number}", text, content_type="text/plain")
    registry = Registry()
    for plugin in (SchemaOrgScraper(), PagingShop(), SearXNGSearch()):
        registry.add(plugin)
    # A roomy deadline: the test is about paging, not speed (nothing here hangs).
    settings = make_settings(tmp_path, local_web, briefing={"max_reviews": 4, "deadline_s": 8.0})
    store = SQLiteStore(tmp_path / "paging.sqlite3")
    await store.open()
    from server.fetch import Fetcher

    async with Fetcher(settings.fetch, store=store) as fetcher:
        yield Pipeline(settings, registry, fetcher, store, cpu=cpu)
    await store.close()


async def test_more_review_pages_are_read_up_to_max_reviews(paging_pipeline, local_web):
    html = product_page(reviews=[(5, "Great kettle, love it."), (5, "Excellent, works great.")])
    briefing = await paging_pipeline.brief(BriefingRequest("http://paging-shop.test/p/kettle", html))
    assert briefing["reviews"]["analyzed"] == 4  # two from the page, two more pages up to max_reviews
    assert briefing["reviews"]["sentiment"]["negative"] == 0.5
    (entry,) = sources_named(briefing, "more reviews")
    assert (entry["status"], entry["plugin"]) == ("ok", "paging-shop")
    assert local_web.sent_to("paging-shop.test", "/reviews/") == ["/reviews/1", "/reviews/2"]


async def test_a_shopify_store_page_is_completed_from_its_product_json(api_client, local_web):
    host = "caffe-aurora.test"
    local_web.add_page(
        host,
        "/products/miscela-oro-1kg.json",
        """{"product": {"id": 7, "title": "Miscela Oro", "vendor": "Torrefazione Aurora",
        "product_type": "Caffè in grani", "handle": "miscela-oro-1kg",
        "variants": [{"id": 1, "price": "24.90", "sku": "ORO-1000", "barcode": "8001234567890"},
                     {"id": 2, "price": "12.90", "sku": "ORO-500", "barcode": "8001234567883"}]}}""",
        content_type="application/json",
    )
    html = (SHOPS.parent / "pages" / "shopify" / "coffee-beans.html").read_text()
    async with api_client() as client:
        briefing = await brief(client, html, url=f"http://{host}/products/miscela-oro-1kg?variant=2")
    (entry,) = sources_named(briefing, "shop data")
    assert (entry["status"], entry["plugin"]) == ("ok", "shopify")
    assert (briefing["product"]["sku"], briefing["product"]["gtin"]) == ("ORO-500", "8001234567883")
    assert briefing["price"]["current"]["price"] == "12.90"  # the variant in the URL, from the shop's data
